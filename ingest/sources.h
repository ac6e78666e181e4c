#ifndef OLIGO_INGEST_SOURCES_H
#define OLIGO_INGEST_SOURCES_H

/*
 * Which sources an ingest run fetches: the built-in defaults (regulators,
 * news, and SEC EDGAR for every entity with a CIK) plus the user's own
 * from the config file, minus those the config disables.
 */

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/source.h"
#include "lib/conf.h"

#define SOURCE_KINDS                                                           \
	"feed, edgar-atom, edgar-submissions, edgar-index, "                   \
	"epoch-chip-owners, epoch-gpu-clusters, epoch-models"

struct source_set {
	struct source_def *v;
	size_t n;
	char **owned; /* strings the set allocated */
	size_t nowned;
};

/* Build the set; release it with source_set_release() (on an error there
 * is nothing to release).  A user source of an unknown kind is ST_CONFIG. */
enum status source_set_build(struct db *db, const struct conf *c,
                             struct source_set *out /* OUT */);
void source_set_release(struct source_set *s);

/* True for one of SOURCE_KINDS. */
bool source_kind_valid(const char *kind);

/* The kind a URL most likely is (for `oligo sources add` without --kind). */
const char *source_kind_sniff(const char *url);

/* True when the URL's host is sec.gov or one of its subdomains. */
bool source_is_sec(const char *url);

/* True for the Epoch AI kinds (epoch-chip-owners, ...). */
bool source_kind_epoch(const char *kind);

/*
 * Scheduling.  A run fetches the sources that are due (next_due unset or
 * not after now) and sets next_due when it has a result:
 *
 *   success or 304   now + the kind's interval: regulators' feeds 1 h,
 *                    other feeds 30 min, EDGAR Atom and submissions 1 h
 *                    (a handful of requests an hour, far inside SEC's
 *                    fair access), Epoch AI datasets 24 h; the daily
 *                    EDGAR index: when the next business day's index is
 *                    ready (edgar_daily_index_ready()).
 *   failure n in a row   now + interval * 2^(n-1), at most
 *                    SOURCE_MAX_BACKOFF (the daily index backs off from
 *                    1 h); when the server sent Retry-After, that instead
 *                    (at least a minute, at most a week).
 *
 * A source is due SOURCE_DUE_SLACK early: a cron run every 30 minutes
 * starts a few seconds later or earlier each time, and a 30-minute
 * source must not slip to every other run.
 *
 * Times are Unix seconds.  source_clock() is time(NULL), or the
 * OLIGO_NOW environment variable when set (Unix seconds or an ISO 8601
 * UTC time): a hook for tests only, so they need not sleep.
 */
#define SOURCE_MAX_BACKOFF (24 * 3600L)
#define SOURCE_DUE_SLACK   120 /* seconds */

int64_t source_clock(void);
long source_interval(const struct source_row *s);
bool source_due(const struct source_row *s, int64_t now);
int64_t source_next_ok(const struct source_row *s, int64_t now);
int64_t source_next_failed(const struct source_row *s, int64_t now,
                           int failures, long retry_after_s);

/* True for the daily EDGAR index (an edgar-index URL under daily-index/). */
bool source_daily_index(const struct source_row *s);

#endif
