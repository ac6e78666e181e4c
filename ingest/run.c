#include "ingest/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "analysis/refresh.h"
#include "db/dataset.h"
#include "db/entity.h"
#include "db/source.h"
#include "ingest/date.h"
#include "ingest/edgar.h"
#include "ingest/fetch.h"
#include "ingest/sources.h"
#include "ingest/store.h"
#include "ingest/worker.h"
#include "lib/conf.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

#define DEFAULT_DEADLINE_S 600
#define MAX_BODY           (64u << 20)

struct run {
	const struct ingest_options *opt;
	struct db *db;
	struct conf conf;
	struct source_row *rows;
	size_t nrows;
	struct source_row **todo; /* selected rows */
	size_t ntodo;
	char (*next_due)[DATE_UTC_SIZE]; /* per todo entry, for the worker */
	int64_t now;
	struct tagger *tagger;
	char **ciks;
	size_t nciks;
	size_t failed, config_errors, io_errors;
	enum status first_failure; /* for source_status */
};

static enum status
take_lock(const char *db_path, int *fd)
{
	struct strbuf path = STRBUF_INIT;
	enum status rc = ST_OK;

	strbuf_addf(&path, "%s.lock", db_path);
	*fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		rc = err_set(ST_CANTCREAT, "cannot open lock '%s': %s",
		             path.buf, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB))
		rc = err_set(ST_TEMPFAIL,
		             errno == EWOULDBLOCK
		                 ? "another ingest is running (lock '%s')"
		                 : "cannot lock '%s': %s",
		             path.buf, strerror(errno));
	strbuf_release(&path);
	return rc;
}

/* One line per problem, naming the source; printable ASCII only. */
static void
report(struct run *r, const char *source, const char *msg, enum status why)
{
	fprintf(stderr, "oligo: ingest: %s: ", source);
	for (const char *p = msg; *p && p - msg < 300; p++)
		fputc(*p >= 0x20 && *p < 0x7f ? *p : '?', stderr);
	fputc('\n', stderr);
	if (!r->failed++)
		r->first_failure = why;
}

static void
add_name(void *ctx, const char *name, int64_t id)
{
	tagger_add(ctx, name, id);
}

static void
add_cik(void *ctx, const char *name, const char *ticker, const char *cik)
{
	struct run *r = ctx;

	r->ciks = xreallocarray(r->ciks, r->nciks + 1, sizeof(char *));
	r->ciks[r->nciks++] = xstrdup(cik);
	(void)name;
	(void)ticker;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
verbose(struct run *r, const struct source_row *s, const char *what)
{
	if (r->opt->verbose)
		printf("%-28s %s\n", s->name, what);
}

/* Named sources and --force run now; the others when they are due. */
static enum status
select_sources(struct run *r)
{
	const struct ingest_options *o = r->opt;

	r->todo = xcalloc(r->nrows ? r->nrows : 1, sizeof(*r->todo));
	r->next_due = xcalloc(r->nrows ? r->nrows : 1, sizeof(*r->next_due));
	for (size_t k = 0; k < o->nonly; k++) {
		size_t i = 0;

		while (i < r->nrows && strcmp(r->rows[i].name, o->only[k]))
			i++;
		if (i == r->nrows)
			return err_set(ST_USAGE,
			               "no source '%s' (see 'oligo "
			               "sources')",
			               o->only[k]);
		r->todo[r->ntodo++] = &r->rows[i];
	}
	for (size_t i = 0; !o->nonly && i < r->nrows; i++) {
		struct source_row *s = &r->rows[i];
		struct strbuf msg = STRBUF_INIT;

		if (!s->enabled)
			continue;
		if (o->force || source_due(s, r->now)) {
			r->todo[r->ntodo++] = s;
			continue;
		}
		strbuf_addf(&msg, "not due until %s", s->next_due);
		verbose(r, s, msg.buf);
		strbuf_release(&msg);
	}
	return ST_OK;
}

static enum status
prepare(struct run *r)
{
	struct source_set set;
	enum status rc;

	if ((rc = conf_load(&r->conf, r->opt->config_path)) ||
	    (rc = dataset_load(r->db, NULL)) ||
	    (rc = source_set_build(r->db, &r->conf, &set)))
		return rc;
	rc = source_sync(r->db, set.v, set.n);
	source_set_release(&set);
	r->now = source_clock();
	if (rc || (rc = source_rows(r->db, &r->rows, &r->nrows)) ||
	    (rc = select_sources(r)))
		return rc;
	r->tagger = tagger_new();
	if ((rc = source_entity_names(r->db, add_name, r->tagger)) ||
	    (rc = entity_each_cik(r->db, add_cik, r)))
		return rc;
	qsort(r->ciks, r->nciks, sizeof(char *), cmp_str);
	return ST_OK;
}

static struct store_input
input_for(struct run *r, struct source_row *s, struct fetch_result *res,
          char *next_due)
{
	date_format_utc(source_next_ok(s, r->now), next_due);
	return (struct store_input){.source = s,
	                            .body = res->body.buf,
	                            .len = res->body.len,
	                            .content_type = res->content_type,
	                            .final_url = res->final_url ? res->final_url
	                                                        : s->url,
	                            .etag = res->etag,
	                            .last_modified = res->last_modified,
	                            .next_due = next_due,
	                            .tagger = r->tagger,
	                            .ciks = (const char *const *)r->ciks,
	                            .nciks = r->nciks,
	                            .verbose = r->opt->verbose};
}

/* A daily index that is not there: a day EDGAR was closed (a closure
 * the holiday rules do not know), or not out yet.  404, or the S3
 * AccessDenied 403 that EDGAR's Archives answer for a missing file. */
static bool
no_index_that_day(const struct source_row *s, const struct fetch_result *res)
{
	return source_daily_index(s) && res->outcome == FETCH_ERROR &&
	       (res->http_status == 404 || res->http_status == 403);
}

/* Look again in a few hours, or when the next index is due anyway. */
static void
no_index(struct run *r, struct source_row *s)
{
	char buf[DATE_UTC_SIZE];
	int64_t next = source_next_ok(s, r->now), soon = r->now + 3 * 3600;

	source_unchanged(r->db, s->id,
	                 date_format_utc(soon < next ? soon : next, buf));
	verbose(r, s, "no index that day (not found)");
}

static void
fetch_failed(struct run *r, struct source_row *s, struct fetch_result *res)
{
	const char *why = res->error ? res->error : "failed";
	long retry =
	    res->outcome == FETCH_RETRY_LATER ? res->retry_after_s : -1;
	int64_t next = source_next_failed(s, r->now, s->failures + 1, retry);
	char buf[DATE_UTC_SIZE];

	/* SEC lifts a block after ten quiet minutes */
	if (res->outcome == FETCH_BLOCKED && next < r->now + 600)
		next = r->now + 600;
	source_failed(r->db, s->id, why, date_format_utc(next, buf));
	report(r, s->name, why,
	       res->http_status == 404 || res->http_status == 410
	           ? ST_NOINPUT
	           : ST_TEMPFAIL);
}

static void
handle_result(struct run *r, struct source_row *s, struct fetch_result *res,
              struct worker *w, size_t i, const char *next_due)
{
	struct strbuf msg = STRBUF_INIT;
	char buf[DATE_UTC_SIZE];
	enum status rc;

	switch (res->outcome) {
	case FETCH_NOT_MODIFIED:
		source_unchanged(r->db, s->id, next_due);
		verbose(r, s, "unchanged (304)");
		break;
	case FETCH_OK:
		switch ((rc = worker_run(w, i, &msg))) {
		case ST_OK:
			verbose(r, s, msg.buf);
			break;
		case ST_IOERR:
		case ST_CANTCREAT:
			/* the disk, not the source: no backing off */
			r->io_errors++;
			source_failed(r->db, s->id, msg.buf, NULL);
			report(r, s->name, msg.buf, rc);
			break;
		default:
			date_format_utc(
			    source_next_failed(s, r->now, s->failures + 1, -1),
			    buf);
			source_failed(r->db, s->id, msg.buf, buf);
			report(r, s->name, msg.buf, rc);
		}
		break;
	default:
		if (no_index_that_day(s, res))
			no_index(r, s);
		else
			fetch_failed(r, s, res);
	}
	strbuf_release(&msg);
}

/* Parse and store every fetched document through one worker process. */
static void
store_all(struct run *r, struct source_row **who, struct fetch_result *res,
          size_t n)
{
	struct store_input *docs = xcalloc(n ? n : 1, sizeof(*docs));
	size_t *plan = xcalloc(n ? n : 1, sizeof(*plan)), nplan = 0;
	struct worker *w;

	for (size_t i = 0; i < n; i++)
		docs[i] = input_for(r, who[i], &res[i], r->next_due[i]);
	w = worker_new(r->opt->db_path, docs, n);
	for (size_t i = 0; i < n; i++)
		if (res[i].outcome == FETCH_OK)
			plan[nplan++] = i;
	worker_plan(w, plan, nplan);
	for (size_t i = 0; i < n; i++)
		handle_result(r, who[i], &res[i], w, i, r->next_due[i]);
	worker_free(w);
	free(plan);
	free(docs);
}

static void
progress(void *ctx, size_t done, size_t total)
{
	int width = 30, fill = total ? (int)(done * 30 / total) : 30;

	(void)ctx;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu sources", fill,
	        "##############################", width - fill, "", done,
	        total);
	if (done == total)
		fputs("\r\033[K", stderr);
}

/* SEC refuses anonymous tools: without a contact, do not connect. */
static bool
refuse_sec(struct run *r, struct source_row *s)
{
	if (!source_is_sec(s->url) ||
	    (r->conf.user_agent && edgar_user_agent_ok(r->conf.user_agent)))
		return false;
	/* the user's to fix, not the server's: no backing off */
	source_failed(r->db, s->id, "no SEC User-Agent configured", NULL);
	report(r, s->name,
	       "SEC EDGAR requires a User-Agent with your name and email; "
	       "add a line 'user-agent = Your Name you@yourfirm.com' to the "
	       "config file (see 'oligo sources')",
	       ST_CONFIG);
	r->config_errors++;
	return true;
}

static enum status
fetch_all(struct run *r)
{
	struct fetch_request *req = xcalloc(r->ntodo + 1, sizeof(*req));
	struct fetch_result *res = xcalloc(r->ntodo + 1, sizeof(*res));
	struct source_row **who = xcalloc(r->ntodo + 1, sizeof(*who));
	long deadline =
	    r->conf.deadline_s ? r->conf.deadline_s : DEFAULT_DEADLINE_S;
	struct fetch_config cfg = {
	    .user_agent = r->conf.user_agent ? r->conf.user_agent
	                                     : "oligo/" OLIGO_VERSION,
	    .max_body = MAX_BODY,
	    .retries = 1,
	    .deadline = fetch_now() + (double)deadline,
	    .progress = r->opt->progress ? progress : NULL};
	size_t n = 0;
	enum status rc;

	for (size_t i = 0; i < r->ntodo; i++) {
		if (refuse_sec(r, r->todo[i]))
			continue;
		who[n] = r->todo[i];
		req[n++] = (struct fetch_request){
		    .url = r->todo[i]->url,
		    .etag = r->todo[i]->etag,
		    .last_modified = r->todo[i]->last_modified};
	}
	rc = n ? fetch_run(&cfg, req, n, res) : ST_OK;
	if (!rc)
		store_all(r, who, res, n);
	for (size_t i = 0; i < n; i++)
		fetch_result_release(&res[i]);
	free(req);
	free(res);
	free(who);
	return rc;
}

static void
run_release(struct run *r)
{
	for (size_t i = 0; i < r->nciks; i++)
		free(r->ciks[i]);
	free(r->ciks);
	tagger_free(r->tagger);
	free(r->todo);
	free(r->next_due);
	source_rows_free(r->rows, r->nrows);
	conf_release(&r->conf);
	db_close(r->db);
}

enum status
ingest_run(const struct ingest_options *o)
{
	struct run r = {.opt = o};
	int lock = -1;
	enum status rc;

	/* a parser child that died must not take the run with it */
	signal(SIGPIPE, SIG_IGN);
	if (!(rc = db_open(&r.db, o->db_path, DB_READWRITE)) &&
	    !(rc = take_lock(o->db_path, &lock)) && !(rc = db_check(r.db)) &&
	    !(rc = prepare(&r)) && !(rc = fetch_global_init()))
		rc = fetch_all(&r);
	if (!rc)
		rc = analysis_refresh(r.db);
	if (!rc) /* syncs what the relaxed commits wrote */
		db_exec(r.db, "PRAGMA wal_checkpoint(PASSIVE)");
	/* Failed sources have had their line each; no summary line, so
	 * cron mails exactly one line per problem. */
	if (!rc && (r.config_errors || r.failed)) {
		err_clear();
		rc = o->source_status  ? r.first_failure
		     : r.io_errors     ? ST_IOERR
		     : r.config_errors ? ST_CONFIG
		                       : ST_TEMPFAIL;
	}
	run_release(&r);
	if (lock >= 0)
		close(lock);
	fetch_global_cleanup();
	return rc;
}
