#ifndef OLIGO_INGEST_INGEST_H
#define OLIGO_INGEST_INGEST_H

/*
 * One ingest run, as cron runs it: fetch every enabled source (or those
 * named), parse each in a child process under CPU and memory limits, and
 * commit each source's items and validators in one transaction.
 *
 * One run at a time: a lock file beside the database (never the database
 * itself) is taken with flock; a second run fails at once with
 * ST_TEMPFAIL.  Silent on success.  Each failed source gets one sanitized
 * line on stderr naming it.
 *
 * Scheduling (ingest/sources.h): a run fetches only the enabled sources
 * that are due, and says which it skipped with verbose; sources named
 * with only, or all enabled ones with force, run whether due or not.
 *
 * Result: ST_OK when every source succeeded (or was unchanged);
 * ST_CONFIG when a source could not run for a configuration reason (no
 * SEC User-Agent); ST_TEMPFAIL when some source failed or the lock was
 * held; another status for a failure of the run itself.
 */

#include <stdbool.h>
#include <stddef.h>

#include "lib/status.h"

struct ingest_options {
	const char *db_path;
	const char *config_path;
	const char *const *only; /* --source NAME…, nonly entries */
	size_t nonly;
	bool verbose;  /* a line per source on stdout */
	bool progress; /* a progress bar on stderr */
	bool force;    /* fetch every enabled source, due or not */
	/*
	 * Return the first failed source's own status (ST_DATAERR for a
	 * document that does not parse, ST_NOINPUT for HTTP 404/410,
	 * ST_TEMPFAIL for other fetch failures) rather than ST_TEMPFAIL:
	 * for `oligo import URL`, which runs one source.
	 */
	bool source_status;
};

enum status ingest_run(const struct ingest_options *o);

/* Forms oligo keeps from EDGAR: 8-K, 10-K, 10-Q, SC 13D/G, S-1, 13F-HR
 * and their amendments. */
bool ingest_form_tracked(const char *form);

#endif
