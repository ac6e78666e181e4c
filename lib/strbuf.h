#ifndef OLIGO_LIB_STRBUF_H
#define OLIGO_LIB_STRBUF_H

/*
 * A growable, length-tracked string.  Invariants: buf is always
 * NUL-terminated (buf[len] == '\0'), and buf points at a shared empty
 * string until the first append, so a fresh strbuf can be printed
 * without checks.  The struct owns buf; strbuf_release() frees it and
 * leaves an empty strbuf ready for reuse; strbuf_detach() hands the
 * buffer to the caller, who frees it.
 *
 * Allocation failure is fatal (xalloc), so appends cannot fail.
 */

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc; /* 0 while buf points at the shared empty string */
};

extern char strbuf_empty[];
#define STRBUF_INIT                                                            \
	{                                                                      \
		strbuf_empty, 0, 0                                             \
	}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);

/* Keep the allocation, make the string empty. */
void strbuf_reset(struct strbuf *sb);

/* Make room for at least extra more bytes (plus the NUL). */
void strbuf_grow(struct strbuf *sb, size_t extra);

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Shorten to len bytes (len <= sb->len). */
void strbuf_setlen(struct strbuf *sb, size_t len);

void strbuf_swap(struct strbuf *a, struct strbuf *b);

/*
 * Return the buffer (always heap-allocated, NUL-terminated) and leave sb
 * empty.  Caller frees.  *len_out, when not NULL, receives the length.
 */
char *strbuf_detach(struct strbuf *sb, size_t *len_out);

#endif
