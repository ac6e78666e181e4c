#ifndef OLIGO_TUI_SPAWN_H
#define OLIGO_TUI_SPAWN_H

/*
 * Child processes of the dashboard: a browser for `o`, `oligo ingest`
 * for `r`.  Always fork + execvp with an argument vector, never a shell,
 * so nothing in a link can become a command.  The child's stdin, stdout
 * and stderr are /dev/null: it must not write over the screen.  The
 * caller reaps with waitpid(WNOHANG) from its loop.
 */

#include <stdbool.h>
#include <sys/types.h>

/* Whether prog (a name looked up in $PATH, or a path) is executable. */
bool spawn_can_run(const char *prog);

/* Start argv[0] with argv; returns the child's pid, or -1 (errno set). */
pid_t spawn_quiet(const char *path, char *const argv[]);

/*
 * Whether url may be handed to a browser: exactly http:// or https://
 * then a host, and no spaces or control characters anywhere (which
 * also rules out a leading '-' read as an option).
 */
bool spawn_url_ok(const char *url);

#endif
