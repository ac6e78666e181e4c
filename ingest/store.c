#include "ingest/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/edgar.h"
#include "ingest/epoch.h"
#include "ingest/feed.h"
#include "ingest/ingest.h"
#include "ingest/xml.h"
#include "lib/testhook.h"
#include "lib/xalloc.h"

static const char *const tracked_forms[] = {
    "8-K",          "10-K",         "10-Q", "SC 13D", "SC 13G",
    "SCHEDULE 13D", "SCHEDULE 13G", "S-1",  "13F-HR",
};

bool
ingest_form_tracked(const char *form)
{
	for (size_t i = 0; form && i < sizeof(tracked_forms) / sizeof(char *);
	     i++) {
		size_t n = strlen(tracked_forms[i]);

		if (!strncmp(form, tracked_forms[i], n) &&
		    (!form[n] || !strcmp(form + n, "/A")))
			return true;
	}
	return false;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* CIK with leading zeros removed, as entity.cik stores it. */
static const char *
cik_key(const char *cik, char *buf, size_t n)
{
	if (!cik || !edgar_cik_normalize(cik, buf, n))
		return NULL;
	return buf;
}

static bool
cik_tracked(const struct store_input *in, const char *cik)
{
	return cik &&
	       bsearch(&cik, in->ciks, in->nciks, sizeof(char *), cmp_str);
}

/* Company feeds name one company; the market-wide ones (latest filings,
 * daily index) are cut down to the companies oligo tracks. */
static bool
keep_filing(const struct store_input *in, const char *cik, const char *form)
{
	if (!ingest_form_tracked(form))
		return false;
	return in->source->cik ? true : cik_tracked(in, cik);
}

static void
iso_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == FEED_TIME_UNKNOWN || !gmtime_r(&tt, &tm))
		buf[0] = '\0';
	else
		strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct records {
	struct item_rec *items;
	struct filing_rec *filings;
	char (*times)[32];
	char (*ciks)[EDGAR_CIK_SIZE];
	int64_t **tags;
	size_t n;
};

static void
records_alloc(struct records *r, size_t n)
{
	r->items = xcalloc(n ? n : 1, sizeof(*r->items));
	r->filings = xcalloc(n ? n : 1, sizeof(*r->filings));
	r->times = xcalloc(n ? n : 1, sizeof(*r->times));
	r->ciks = xcalloc(n ? n : 1, sizeof(*r->ciks));
	r->tags = xcalloc(n ? n : 1, sizeof(*r->tags));
	r->n = n;
}

static void
records_free(struct records *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->tags[i]);
	free(r->items);
	free(r->filings);
	free(r->times);
	free(r->ciks);
	free(r->tags);
}

static void
tag_item(const struct store_input *in, struct records *r, size_t k,
         const struct feed_item *it)
{
	size_t n = 0, alloc = 0;
	int64_t *ids = NULL;

	if (in->source->authority_id) {
		ids = xmalloc(8 * sizeof(*ids));
		alloc = 8;
		ids[n++] = in->source->authority_id;
	}
	if (it->title)
		tagger_scan(in->tagger, it->title, &ids, &n, &alloc);
	if (it->summary)
		tagger_scan(in->tagger, it->summary, &ids, &n, &alloc);
	r->tags[k] = ids;
	r->items[k].entities = ids;
	r->items[k].nentities = n;
}

static enum status
store_feed(struct db *db, const struct store_input *in, struct source_update *u,
           struct records *r, struct feed *f)
{
	char charset[64];
	struct feed_options opt = {.name = in->source->name,
	                           .base_url = in->final_url};
	size_t ni = 0, nf = 0;
	enum status rc;

	if (in->content_type && xml_charset_from_content_type(
	                            in->content_type, charset, sizeof(charset)))
		opt.charset = charset;
	if ((rc = feed_parse(f, in->body, in->len, &opt)))
		return rc;
	records_alloc(r, f->nitems);
	for (size_t i = 0; i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];
		const char *cik =
		    cik_key(it->edgar_cik, r->ciks[i], sizeof(r->ciks[i]));

		if (it->edgar_accession) {
			/* An EDGAR entry is a filing, not a headline. */
			if (!cik || !keep_filing(in, cik, it->edgar_form))
				continue;
			r->filings[nf++] = (struct filing_rec){
			    .accession = it->edgar_accession,
			    .cik = cik,
			    .company = it->title,
			    .form = it->edgar_form,
			    .filed = it->edgar_filed,
			    .url = it->link};
			continue;
		}
		if (!strcmp(in->source->kind, "edgar-atom"))
			continue;
		iso_time(it->published, r->times[ni], sizeof(r->times[ni]));
		r->items[ni] = (struct item_rec){
		    .guid = it->guid,
		    .title = it->title,
		    .link = it->link,
		    .summary = it->summary,
		    .author = it->author,
		    .published = r->times[ni][0] ? r->times[ni] : NULL};
		tag_item(in, r, ni, it);
		ni++;
	}
	u->items = r->items;
	u->nitems = ni;
	u->filings = r->filings;
	u->nfilings = nf;
	(void)db;
	return ST_OK;
}

static enum status
store_filings(const struct store_input *in, struct source_update *u,
              struct records *r, struct filing_list *fl)
{
	enum status rc;
	size_t nf = 0;

	if (!strcmp(in->source->kind, "edgar-submissions"))
		rc = edgar_parse_submissions(fl, in->body, in->len,
		                             in->source->name);
	else
		rc = edgar_parse_index(fl, in->body, in->len, in->source->name,
		                       NULL);
	if (rc)
		return rc;
	records_alloc(r, fl->n);
	for (size_t i = 0; i < fl->n; i++) {
		const struct filing *f = &fl->v[i];

		if (!keep_filing(in, f->cik, f->form))
			continue;
		r->filings[nf++] =
		    (struct filing_rec){.accession = f->accession,
		                        .cik = f->cik,
		                        .company = f->company,
		                        .form = f->form,
		                        .filed = f->filed,
		                        .accepted = f->accepted,
		                        .url = f->url,
		                        .description = f->description};
	}
	u->filings = r->filings;
	u->nfilings = nf;
	return ST_OK;
}

struct epoch_doc {
	const struct store_input *in;
	enum epoch_kind kind;
};

static enum status
write_epoch(struct db *db, void *ctx, size_t *added)
{
	struct epoch_doc *d = ctx;
	struct own_report rep;
	enum status rc;

	own_report_init(&rep);
	rc = epoch_import_mem(db, d->kind, d->in->final_url, d->in->body,
	                      d->in->len, &rep);
	/* Owners that map to no entity, once each (a file import prints
	 * the same); cron runs without -v stay silent. */
	for (const char *p = rep.notes.buf; !rc && d->in->verbose && p && *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(stderr, "oligo: %s: %.*s\n", d->in->final_url, (int)n,
		        p);
		p += n + (p[n] == '\n');
	}
	*added += rep.changed;
	own_report_release(&rep);
	return rc;
}

enum status
store_document(struct db *db, const struct store_input *in, size_t *added)
{
	struct source_update u = {.etag = in->etag,
	                          .last_modified = in->last_modified,
	                          .next_due = in->next_due};
	struct epoch_doc epoch = {.in = in};
	struct records r = {0};
	struct filing_list fl;
	struct feed f = {0};
	enum status rc;

	test_crash(in->source->name);
	filing_list_init(&fl);
	if (!strcmp(in->source->kind, "feed") ||
	    !strcmp(in->source->kind, "edgar-atom")) {
		rc = store_feed(db, in, &u, &r, &f);
	} else if (epoch_kind_from_name(in->source->kind, &epoch.kind)) {
		u.write = write_epoch;
		u.write_ctx = &epoch;
		rc = ST_OK;
	} else {
		rc = store_filings(in, &u, &r, &fl);
	}
	if (!rc) {
		test_pause("before-commit");
		rc = source_commit(db, in->source->id, &u, added);
	}
	records_free(&r);
	feed_release(&f);
	filing_list_release(&fl);
	return rc;
}
