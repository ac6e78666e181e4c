#ifndef OLIGO_LIB_XALLOC_H
#define OLIGO_LIB_XALLOC_H

/*
 * Allocation that cannot fail, and the one way to stop the program.
 *
 * Running out of memory is fatal: x*alloc() call die(), which first runs
 * the hook registered with die_set_hook() (the TUI uses it to restore the
 * terminal), then prints "oligo: fatal: <message>" on stderr and exits 70.
 */

#include <stdlib.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* realloc for an array of nmemb elements of size bytes, overflow-checked. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Run before a fatal message is printed; NULL to clear. */
void die_set_hook(void (*hook)(void));

_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
