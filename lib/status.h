#ifndef OLIGO_LIB_STATUS_H
#define OLIGO_LIB_STATUS_H

/*
 * Recoverable errors: every fallible call returns an enum status and, on
 * failure, leaves one human-readable message behind (err_msg()).  The
 * message names the thing that failed ("cannot open '%s': %s"); callers
 * that add context prepend it with err_prefix().
 *
 * Each status maps to a sysexits.h exit code so that cli/ can turn the
 * result of a command straight into the process exit status that cron
 * and scripts depend on.
 *
 * The message lives in one process-wide buffer: oligo has no threads.
 */

#include <stdarg.h>

#define STATUS_TABLE(_)                                                        \
	_(OK, 0, "ok")                                                         \
	_(USAGE, 64, "usage error")                                            \
	_(DATAERR, 65, "bad input data")                                       \
	_(NOINPUT, 66, "cannot open input")                                    \
	_(SOFTWARE, 70, "internal error")                                      \
	_(CANTCREAT, 73, "cannot create output")                               \
	_(IOERR, 74, "input/output error")                                     \
	_(TEMPFAIL, 75, "temporary failure")                                   \
	_(CONFIG, 78, "configuration error")

enum status {
#define STATUS_ENUM(name, code, text) ST_##name,
	STATUS_TABLE(STATUS_ENUM)
#undef STATUS_ENUM
};

/* The sysexits.h code for a status (0 for ST_OK). */
int status_exit_code(enum status st);

/* A short fixed description of the status class, e.g. "bad input data". */
const char *status_text(enum status st);

/*
 * Record a message for a failure and return st, so callers can write
 * `return err_set(ST_IOERR, "cannot open '%s': %s", path, strerror(errno));`.
 * The message is formatted in full; nothing is truncated.
 */
enum status err_set(enum status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum status err_vset(enum status st, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Prepend "<context>: " to the current message; returns st unchanged. */
enum status err_prefix(enum status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The last message set, or "" if none.  Valid until the next err_* call. */
const char *err_msg(void);

/* Forget the last message. */
void err_clear(void);

#endif
