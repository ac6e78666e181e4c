/* fopencookie() turns a libzip member into a FILE for lib/csv. */
#define _GNU_SOURCE
#include "ingest/f13.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "ingest/xml.h"
#include "lib/csv.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"

/* ---- small string-keyed hash table ------------------------------------ */

struct map {
	char **keys;
	void **vals;
	size_t cap, n; /* cap: power of two */
};

/* FNV-1a over at most n bytes, stopping at a NUL. */
static uint64_t
hash_n(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; s && i < n && s[i]; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static uint64_t
hash(const char *s)
{
	return hash_n(s, SIZE_MAX);
}

static size_t
map_slot(const struct map *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void *
map_get(const struct map *m, const char *key)
{
	return m->cap ? m->vals[map_slot(m, key)] : NULL;
}

/* Insert key (copied); returns false when it was there already. */
static bool
map_put(struct map *m, const char *key, void *val)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct map g = {
		    xcalloc(m->cap ? 2 * m->cap : 64, sizeof(char *)),
		    xcalloc(m->cap ? 2 * m->cap : 64, sizeof(void *)),
		    m->cap ? 2 * m->cap : 64, m->n};

		for (size_t j = 0; j < m->cap; j++)
			if (m->keys[j]) {
				size_t k = map_slot(&g, m->keys[j]);
				g.keys[k] = m->keys[j];
				g.vals[k] = m->vals[j];
			}
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	i = map_slot(m, key);
	if (m->keys[i])
		return false;
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
	return true;
}

static void
map_free(struct map *m, bool free_vals)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		if (free_vals)
			free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- dates and numbers ------------------------------------------------ */

static bool
is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool
iso_ok(int y, int m, int d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};

	return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= mdays[m - 1];
}

bool
f13_date(const char *s, char out[11])
{
	static const char mon[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
	char up[4];
	int m = 0;

	if (strlen(s) != 11 || s[2] != '-' || s[6] != '-' || !is_digits(s, 2) ||
	    !is_digits(s + 7, 4))
		return false;
	for (int i = 0; i < 3; i++)
		up[i] = (char)toupper((unsigned char)s[3 + i]);
	up[3] = '\0';
	for (int i = 0; i < 12 && !m; i++)
		if (!strncmp(mon + 3 * i, up, 3))
			m = i + 1;
	if (!iso_ok(atoi(s + 7), m, atoi(s)))
		return false;
	snprintf(out, 11, "%.4s-%02u-%.2s", s + 7, (unsigned)m % 100u, s);
	return true;
}

/* "12-31-2021" (EDGAR XML) -> "2021-12-31". */
static bool
mdy_date(const char *s, char out[11])
{
	if (strlen(s) != 10 || s[2] != '-' || s[5] != '-' || !is_digits(s, 2) ||
	    !is_digits(s + 3, 2) || !is_digits(s + 6, 4) ||
	    !iso_ok(atoi(s + 6), atoi(s), atoi(s + 3)))
		return false;
	snprintf(out, 11, "%.4s-%.2s-%.2s", s + 6, s, s + 3);
	return true;
}

void
f13_quarter(const char *iso, char out[7])
{
	int m = atoi(iso + 5);

	memcpy(out, iso, 4);
	out[4] = 'Q';
	out[5] = (char)('1' + (m >= 1 && m <= 12 ? (m - 1) / 3 : 0));
	out[6] = '\0';
}

/* A whole number of shares or dollars; a fraction is cut off (it only
 * occurs in odd reports, and a share count is whole). */
static bool
amount(const char *s, int64_t *out)
{
	int64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (*p == '.' && is_digits(p + 1, strlen(p + 1)))
		p += strlen(p);
	*out = v;
	return *p == '\0';
}

/* ---- one import ------------------------------------------------------- */

struct filing {
	char acc[32], cik[16], filed[11], period[11], quarter[7];
	char form[12];
	const char *amendment; /* static string or NULL */
	char *filer;           /* clean text or NULL */
};

struct imp {
	struct db *db;
	struct own *own;
	struct own_report *rep;
	struct map cusips;  /* tracked CUSIP -> non-NULL */
	struct map filings; /* accession -> struct filing */
	struct map seen;    /* "accession SK" of counted rows */
	char source[300];   /* "data set NAME" / "XML NAME" */
	const char *path;
	zip_t *zip;
	/* in memory (f13_import_*_mem): SUBMISSION, COVERPAGE, INFOTABLE
	 * of a data set, or a filing's primary document and info table */
	const struct f13_doc *set[3], *xml[2];
};

/* A ZIP member read through stdio, for lib/csv. */
struct member {
	zip_file_t *zf;
	char err[200];
};

static ssize_t
member_read(void *cookie, char *buf, size_t n)
{
	struct member *m = cookie;
	zip_int64_t got = zip_fread(m->zf, buf, n);

	if (got < 0) {
		snprintf(m->err, sizeof(m->err), "%s",
		         zip_file_strerror(m->zf));
		errno = EIO;
		return -1;
	}
	return (ssize_t)got;
}

static int
member_close(void *cookie)
{
	struct member *m = cookie;

	zip_fclose(m->zf);
	return 0;
}

/* An open TSV: a file of the folder or a member of the ZIP. */
struct tsv {
	struct csv_reader *r;
	FILE *fp;
	struct member m;
	char name[600];
};

/* The in-memory member of that name (the three tsv_open() asks for). */
static const struct f13_doc *
mem_member(const struct imp *im, const char *member)
{
	static const char *const names[] = {"SUBMISSION.tsv", "COVERPAGE.tsv",
	                                    "INFOTABLE.tsv"};

	for (size_t i = 0; i < 3; i++)
		if (!strcmp(member, names[i]))
			return im->set[i];
	assert(!"unknown 13F data set member");
	return NULL;
}

static enum status
tsv_open(struct imp *im, const char *member, struct tsv *t)
{
	static const cookie_io_functions_t io = {.read = member_read,
	                                         .close = member_close};
	zip_int64_t i;
	enum status rc;

	memset(t, 0, sizeof(*t));
	if (im->set[0]) {
		const struct f13_doc *d = mem_member(im, member);

		snprintf(t->name, sizeof(t->name), "%s", d->name);
		csv_reader_open_mem(&t->r, t->name, d->data ? d->data : "",
		                    d->data ? d->len : 0);
		csv_reader_set_separator(t->r, '\t');
		return ST_OK;
	}
	if (!im->zip) {
		snprintf(t->name, sizeof(t->name), "%s/%s", im->path, member);
		rc = csv_reader_open(&t->r, t->name);
		if (rc == ST_NOINPUT && errno == ENOENT)
			return err_set(ST_DATAERR,
			               "%s: no %s in the 13F data "
			               "set",
			               im->path, member);
		if (!rc)
			csv_reader_set_separator(t->r, '\t');
		return rc;
	}
	snprintf(t->name, sizeof(t->name), "%s:%s", im->path, member);
	i = zip_name_locate(im->zip, member, ZIP_FL_NOCASE | ZIP_FL_NODIR);
	if (i < 0)
		return err_set(ST_DATAERR, "%s: no %s in the ZIP", im->path,
		               member);
	if (!(t->m.zf = zip_fopen_index(im->zip, (zip_uint64_t)i, 0)))
		return err_set(ST_DATAERR, "%s: %s", t->name,
		               zip_strerror(im->zip));
	t->fp = fopencookie(&t->m, "r", io);
	if (!t->fp) {
		zip_fclose(t->m.zf);
		return err_set(ST_IOERR, "%s: %s", t->name, strerror(errno));
	}
	csv_reader_open_fp(&t->r, t->name, t->fp);
	csv_reader_set_separator(t->r, '\t');
	return ST_OK;
}

/* A read error inside a ZIP member is damaged data, not I/O. */
static enum status
tsv_error(struct tsv *t, enum status rc)
{
	if (rc == ST_IOERR && t->m.err[0])
		return err_set(ST_DATAERR, "%s: damaged or truncated ZIP: %s",
		               t->name, t->m.err);
	return rc;
}

static void
tsv_close(struct tsv *t)
{
	csv_reader_free(t->r);
	if (t->fp)
		fclose(t->fp);
	t->r = NULL;
	t->fp = NULL;
}

/* Read the header; idx[i] = column of names[i] (-1: absent, allowed only
 * for i >= nreq).  Unknown columns are fine: newer sets add some. */
static enum status
tsv_columns(struct tsv *t, const char *const *names, size_t nreq, int *idx)
{
	enum status rc;
	bool eof;
	size_t i, j, nf;

	if ((rc = csv_read(t->r, &eof)))
		return tsv_error(t, rc);
	if (eof)
		return err_set(ST_DATAERR, "%s: no header line", t->name);
	nf = csv_nfields(t->r);
	for (i = 0; names[i]; i++) {
		idx[i] = -1;
		for (j = 0; j < nf; j++) {
			const char *f = csv_field(t->r, j);

			f += strspn(f, " ");
			if (!strncasecmp(f, names[i], strlen(names[i])) &&
			    strspn(f + strlen(names[i]), " ") ==
			        strlen(f + strlen(names[i])))
				idx[i] = (int)j;
		}
		if (idx[i] < 0 && i < nreq)
			return err_set(ST_DATAERR,
			               "%s:%zu: missing column '%s'", t->name,
			               csv_line(t->r), names[i]);
	}
	return ST_OK;
}

static const char *
col(const struct tsv *t, int idx)
{
	return idx < 0 ? "" : csv_field(t->r, (size_t)idx);
}

/* Read every data row with fn; the row's errors name file:line. */
static enum status
tsv_rows(struct imp *im, struct tsv *t, const int *idx,
         enum status (*fn)(struct imp *, struct tsv *, const int *))
{
	enum status rc;
	bool eof;

	while (!(rc = csv_read(t->r, &eof)) && !eof)
		if ((rc = fn(im, t, idx)))
			return rc;
	return tsv_error(t, rc);
}

/* ---- SUBMISSION.tsv, COVERPAGE.tsv ------------------------------------ */

enum { SU_ACC, SU_FILED, SU_TYPE, SU_CIK, SU_PERIOD };

static enum status
bad(const struct tsv *t, const char *what, const char *value)
{
	return err_set(ST_DATAERR, "%s:%zu: %s '%s'", t->name, csv_line(t->r),
	               what, value);
}

/* Fill f from the SUBMISSION fields; false names the bad one. */
static enum status
filing_fields(struct filing *f, const struct tsv *t, const int *idx)
{
	const char *acc = col(t, idx[SU_ACC]), *cik = col(t, idx[SU_CIK]);
	const char *filed = col(t, idx[SU_FILED]);

	if (!*acc || strlen(acc) >= sizeof(f->acc) ||
	    strspn(acc, "0123456789-") != strlen(acc))
		return bad(t, "bad ACCESSION_NUMBER", acc);
	if (!*cik || strlen(cik) > 10 || !is_digits(cik, strlen(cik)))
		return bad(t, "CIK is not a number:", cik);
	if (!f13_date(filed, f->filed))
		return bad(t,
		           "FILING_DATE is not a date (DD-MON-YYYY):", filed);
	if (!f13_date(col(t, idx[SU_PERIOD]), f->period))
		return bad(t, "PERIODOFREPORT is not a date (DD-MON-YYYY):",
		           col(t, idx[SU_PERIOD]));
	snprintf(f->acc, sizeof(f->acc), "%s", acc);
	snprintf(f->cik, sizeof(f->cik), "%s", cik);
	f13_quarter(f->period, f->quarter);
	return ST_OK;
}

static enum status
submission_row(struct imp *im, struct tsv *t, const int *idx)
{
	const char *type = col(t, idx[SU_TYPE]);
	struct filing *f;
	enum status rc;

	/* 13F-NT notices have no information table */
	if (strcmp(type, "13F-HR") && strcmp(type, "13F-HR/A"))
		return ST_OK;
	f = xcalloc(1, sizeof(*f));
	snprintf(f->form, sizeof(f->form), "%s", type);
	if (!(rc = filing_fields(f, t, idx)) &&
	    !map_put(&im->filings, f->acc, f))
		rc = bad(t, "duplicate accession", f->acc);
	if (rc)
		free(f);
	else
		im->rep->filings++;
	return rc;
}

enum { CO_ACC, CO_ISAMEND, CO_TYPE, CO_NAME };

static enum status
amendment_type(const char *is, const char *type, const char *form,
               const char **out)
{
	*out = NULL;
	if (strcasecmp(is, "Y") && strcasecmp(is, "true") &&
	    strcmp(form, "13F-HR/A"))
		return ST_OK;
	if (!strcasecmp(type, "NEW HOLDINGS"))
		*out = "NEW HOLDINGS";
	else if (!strcasecmp(type, "RESTATEMENT") || !*type)
		/* no type: the safe reading is that it replaces */
		*out = "RESTATEMENT";
	else
		return ST_DATAERR;
	return ST_OK;
}

static enum status
cover_row(struct imp *im, struct tsv *t, const int *idx)
{
	struct filing *f = map_get(&im->filings, col(t, idx[CO_ACC]));
	const char *name = col(t, idx[CO_NAME]);

	if (!f)
		return ST_OK;
	if (amendment_type(col(t, idx[CO_ISAMEND]), col(t, idx[CO_TYPE]),
	                   f->form, &f->amendment))
		return bad(t,
		           "AMENDMENTTYPE is neither RESTATEMENT nor NEW "
		           "HOLDINGS:",
		           col(t, idx[CO_TYPE]));
	free(f->filer);
	f->filer = *name ? text_clean_line(name, 200) : NULL;
	return ST_OK;
}

static enum status
read_filings(struct imp *im)
{
	static const char *const su[] = {"ACCESSION_NUMBER", "FILING_DATE",
	                                 "SUBMISSIONTYPE",   "CIK",
	                                 "PERIODOFREPORT",   NULL};
	static const char *const co[] = {"ACCESSION_NUMBER", "ISAMENDMENT",
	                                 "AMENDMENTTYPE", "FILINGMANAGER_NAME",
	                                 NULL};
	int idx[8];
	struct tsv t;
	enum status rc;

	if ((rc = tsv_open(im, "SUBMISSION.tsv", &t)))
		return rc;
	if (!(rc = tsv_columns(&t, su, 5, idx)))
		rc = tsv_rows(im, &t, idx, submission_row);
	tsv_close(&t);
	if (rc || (rc = tsv_open(im, "COVERPAGE.tsv", &t)))
		return rc;
	if (!(rc = tsv_columns(&t, co, 4, idx)))
		rc = tsv_rows(im, &t, idx, cover_row);
	tsv_close(&t);
	return rc;
}

static enum status
store_filings(struct imp *im)
{
	enum status rc = ST_OK;

	for (size_t i = 0; i < im->filings.cap && !rc; i++) {
		struct filing *f = im->filings.vals[i];
		struct own_filing of;

		if (!f)
			continue;
		of = (struct own_filing){f->acc,     f->cik,       f->filer,
		                         f->form,    f->filed,     f->period,
		                         f->quarter, f->amendment, im->source};
		rc = own_put_filing(im->own, &of);
	}
	return rc;
}

static void
free_filings(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->vals[i])
			free(((struct filing *)m->vals[i])->filer);
	map_free(m, true);
}

/* ---- INFOTABLE.tsv and information-table XML rows --------------------- */

/* One row of an information table, as text. */
struct info {
	const char *cusip, *value, *shares, *type, *putcall, *sk;
};

/*
 * Check a row and, when it counts (SH, no PUTCALL, tracked CUSIP), add
 * it to filing f's positions.  where names the row in messages.
 */
static enum status
info_add(struct imp *im, struct filing *f, const struct info *in,
         const char *where)
{
	int64_t shares, value;
	char cusip[10], key[64];
	size_t n = strlen(in->cusip);

	im->rep->rows++;
	if (!amount(in->shares, &shares))
		return err_set(ST_DATAERR, "%s: SSHPRNAMT '%s' is not a number",
		               where, in->shares);
	if (!amount(in->value, &value))
		return err_set(ST_DATAERR, "%s: VALUE '%s' is not a number",
		               where, in->value);
	if (strcmp(in->type, "SH"))
		return strcmp(in->type, "PRN")
		           ? err_set(ST_DATAERR,
		                     "%s: SSHPRNAMTTYPE '%s' is "
		                     "neither SH nor PRN",
		                     where, in->type)
		           : ST_OK; /* bond principal, not shares */
	if (*in->putcall || n != 9)
		return ST_OK; /* options are not shares held */
	for (size_t i = 0; i < 10; i++)
		cusip[i] = (char)toupper((unsigned char)in->cusip[i]);
	if (!map_get(&im->cusips, cusip))
		return ST_OK;
	if (!f)
		return err_set(ST_DATAERR,
		               "%s: accession not in SUBMISSION.tsv "
		               "as a 13F-HR",
		               where);
	if (*in->sk) {
		snprintf(key, sizeof(key), "%s %s", f->acc, in->sk);
		if (!map_put(&im->seen, key, im))
			return err_set(ST_DATAERR,
			               "%s: duplicate row "
			               "(INFOTABLE_SK %s)",
			               where, in->sk);
	}
	if (strcmp(f->filed, "2023-01-03") < 0)
		value = value > INT64_MAX / 1000 ? -1 : value * 1000;
	return own_put_position(im->own, f->acc, cusip, shares, value);
}

enum { IT_ACC, IT_CUSIP, IT_VALUE, IT_SHARES, IT_TYPE, IT_PUT, IT_SK };

static enum status
info_row(struct imp *im, struct tsv *t, const int *idx)
{
	struct info in = {col(t, idx[IT_CUSIP]),  col(t, idx[IT_VALUE]),
	                  col(t, idx[IT_SHARES]), col(t, idx[IT_TYPE]),
	                  col(t, idx[IT_PUT]),    col(t, idx[IT_SK])};
	char where[700];

	/* the common case, an untracked CUSIP, costs no formatting */
	if (strlen(in.cusip) == 9 && amount(in.shares, &(int64_t){0}) &&
	    amount(in.value, &(int64_t){0}) &&
	    (!strcmp(in.type, "SH") || !strcmp(in.type, "PRN")) &&
	    !map_get(&im->cusips, in.cusip)) {
		im->rep->rows++;
		return ST_OK;
	}
	snprintf(where, sizeof(where), "%s:%zu", t->name, csv_line(t->r));
	return info_add(im, map_get(&im->filings, col(t, idx[IT_ACC])), &in,
	                where);
}

static enum status
read_infotable(struct imp *im)
{
	static const char *const it[] = {
	    "ACCESSION_NUMBER", "CUSIP",   "VALUE",        "SSHPRNAMT",
	    "SSHPRNAMTTYPE",    "PUTCALL", "INFOTABLE_SK", NULL};
	int idx[8];
	struct tsv t;
	enum status rc;

	if ((rc = tsv_open(im, "INFOTABLE.tsv", &t)))
		return rc;
	if (!(rc = tsv_columns(&t, it, 5, idx)))
		rc = tsv_rows(im, &t, idx, info_row);
	tsv_close(&t);
	return rc;
}

static void
add_cusip(void *ctx, const char *cusip)
{
	map_put(ctx, cusip, ctx);
}

static enum status
import_dataset(struct imp *im)
{
	enum status rc;

	if ((rc = read_filings(im)) || (rc = store_filings(im)))
		return rc;
	return read_infotable(im);
}

/* ---- one filing as XML ------------------------------------------------ */

static const xmlNode *
find(const xmlNode *n, const char *local)
{
	for (; n; n = n->next) {
		const xmlNode *hit;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)n->name, local))
			return n;
		if ((hit = find(n->children, local)))
			return hit;
	}
	return NULL;
}

/* Clean text of the first descendant named local, into out ("" if none). */
static const char *
text_of(struct strbuf *out, const xmlNode *under, const char *local)
{
	const xmlNode *n = under ? find(under->children, local) : NULL;
	struct strbuf raw = STRBUF_INIT;

	strbuf_reset(out);
	if (n) {
		xml_node_text(&raw, n, 4096);
		text_sanitize(out, raw.buf, raw.len, TEXT_LINE, 4096);
	}
	strbuf_release(&raw);
	return out->buf ? out->buf : "";
}

static enum status
primary_doc(struct imp *im, const char *name, const xmlNode *root,
            struct filing *f)
{
	struct strbuf s = STRBUF_INIT;
	const char *v;
	enum status rc = ST_OK;

	v = text_of(&s, root, "cik");
	if (!*v || strlen(v) > 10 || !is_digits(v, strlen(v)))
		rc = err_set(ST_DATAERR, "%s: cik '%s' is not a number", name,
		             v);
	snprintf(f->cik, sizeof(f->cik), "%s", v);
	v = text_of(&s, root, "periodOfReport");
	if (!rc && !mdy_date(v, f->period))
		rc = err_set(ST_DATAERR,
		             "%s: periodOfReport '%s' is not a date "
		             "(MM-DD-YYYY)",
		             name, v);
	snprintf(f->form, sizeof(f->form), "%s",
	         text_of(&s, root, "submissionType"));
	if (!rc && strcmp(f->form, "13F-HR") && strcmp(f->form, "13F-HR/A"))
		rc =
		    err_set(ST_DATAERR, "%s: submissionType '%s' is not 13F-HR",
		            name, f->form);
	/* no filing date in the document: the signature's is the closest */
	if (!rc && !mdy_date(text_of(&s, root, "signatureDate"), f->filed))
		snprintf(f->filed, sizeof(f->filed), "%s",
		         strcmp(f->period, "2022-09-30") > 0 ? "2023-01-03"
		                                             : "2023-01-02");
	if (!rc) {
		char is[8];

		snprintf(is, sizeof(is), "%s",
		         text_of(&s, root, "isAmendment"));
		if (amendment_type(is, text_of(&s, root, "amendmentType"),
		                   f->form, &f->amendment))
			rc = err_set(ST_DATAERR,
			             "%s: amendmentType '%s' is "
			             "neither RESTATEMENT nor NEW HOLDINGS",
			             name, s.buf);
	}
	if (!rc) {
		const xmlNode *fm = find(root->children, "filingManager");

		v = text_of(&s, fm, "name");
		f->filer = *v ? xstrdup(v) : NULL;
		f13_quarter(f->period, f->quarter);
	}
	strbuf_release(&s);
	(void)im;
	return rc;
}

static enum status
info_doc(struct imp *im, const char *name, const xmlNode *root,
         struct filing *f)
{
	struct strbuf v[6];
	enum status rc = ST_OK;
	static const char *const tag[] = {"cusip", "value", "sshPrnamt",
	                                  "sshPrnamtType", "putCall"};

	for (int i = 0; i < 6; i++)
		strbuf_init(&v[i], 0);
	for (const xmlNode *n = root->children; n && !rc; n = n->next) {
		char where[700];
		struct info in;

		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "infoTable"))
			continue;
		for (int i = 0; i < 5; i++)
			text_of(&v[i], n, tag[i]);
		in = (struct info){
		    v[0].buf ? v[0].buf : "", v[1].buf ? v[1].buf : "",
		    v[2].buf ? v[2].buf : "", v[3].buf ? v[3].buf : "",
		    v[4].buf ? v[4].buf : "", ""};
		snprintf(where, sizeof(where), "%s:%ld", name, xmlGetLineNo(n));
		rc = info_add(im, f, &in, where);
	}
	for (int i = 0; i < 6; i++)
		strbuf_release(&v[i]);
	return rc;
}

static enum status
slurp(const char *path, struct strbuf *out)
{
	FILE *fp = fopen(path, "rb");
	char buf[65536];
	size_t n;

	if (!fp)
		return err_set(ST_NOINPUT, "cannot open '%s': %s", path,
		               strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (out->len + n > XML_DEFAULT_MAX_BYTES) {
			fclose(fp);
			return err_set(ST_DATAERR, "%s: larger than %u MiB",
			               path, XML_DEFAULT_MAX_BYTES >> 20);
		}
		strbuf_add(out, buf, n);
	}
	n = (size_t)ferror(fp);
	fclose(fp);
	return n ? err_set(ST_IOERR, "cannot read '%s'", path) : ST_OK;
}

/* The accession number in the filing's path (EDGAR names folders and
 * files after it), else one made from the filer, period and content, so
 * that importing the same documents again finds the same filing. */
static void
accession_for(const char *path, const struct filing *f,
              const struct f13_doc *info, char out[32])
{
	for (const char *p = path; *p; p++)
		if (is_digits(p, 10) && p[10] == '-' && is_digits(p + 11, 2) &&
		    p[13] == '-' && is_digits(p + 14, 6)) {
			snprintf(out, 32, "%.20s", p);
			return;
		}
	snprintf(out, 32, "X%.10s-%.4s%.2s-%08x", f->cik, f->period,
	         f->period + 5,
	         (unsigned)(hash_n(info->data, info->len) & 0xffffffffu));
}

static enum status
parse(const struct f13_doc *d, xmlDocPtr *doc)
{
	struct xml_options opt = {.what = d->name};

	/* the limit slurp() applies to files */
	if (d->len > XML_DEFAULT_MAX_BYTES)
		return err_set(ST_DATAERR, "%s: larger than %u MiB", d->name,
		               XML_DEFAULT_MAX_BYTES >> 20);
	return xml_read_doc(doc, d->data ? d->data : "", d->data ? d->len : 0,
	                    &opt, NULL);
}

/* One filing from its two documents, whatever they were read from. */
static enum status
import_xml_docs(struct imp *im, const struct f13_doc *primary,
                const struct f13_doc *info)
{
	xmlDocPtr pd = NULL, id = NULL;
	struct filing f;
	enum status rc;

	memset(&f, 0, sizeof(f));
	if (!(rc = parse(primary, &pd)) && !(rc = parse(info, &id)))
		rc = primary_doc(im, primary->name, xmlDocGetRootElement(pd),
		                 &f);
	if (!rc) {
		struct own_filing of;

		accession_for(info->name, &f, info, f.acc);
		of = (struct own_filing){f.acc,     f.cik,       f.filer,
		                         f.form,    f.filed,     f.period,
		                         f.quarter, f.amendment, im->source};
		im->rep->filings++;
		if (!(rc = own_put_filing(im->own, &of)))
			rc = info_doc(im, info->name, xmlDocGetRootElement(id),
			              &f);
	}
	free(f.filer);
	xmlFreeDoc(pd);
	xmlFreeDoc(id);
	return rc;
}

static enum status
import_xml(struct imp *im, const char *primary, const char *infotable)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	enum status rc;

	if (!(rc = slurp(primary, &a)) && !(rc = slurp(infotable, &b))) {
		struct f13_doc pd = {primary, a.buf, a.len};
		struct f13_doc id = {infotable, b.buf, b.len};

		rc = import_xml_docs(im, &pd, &id);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return rc;
}

/* 1: primary document, 2: information table, 0: neither. */
static int
xml_kind(const char *path)
{
	char head[4096];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return 0;
	n = fread(head, 1, sizeof(head) - 1, fp);
	fclose(fp);
	head[n] = '\0';
	if (strstr(head, "edgarSubmission"))
		return 1;
	return strstr(head, "informationTable") ? 2 : 0;
}

/* Find the filing's two documents in dir; only is the information table
 * to use when the user named one. */
static enum status
import_xml_dir(struct imp *im, const char *dir, const char *only)
{
	char *found[3] = {NULL, NULL, NULL};
	struct dirent *e;
	DIR *d = opendir(dir);
	enum status rc = ST_OK;

	if (!d)
		return err_set(ST_NOINPUT, "cannot open '%s': %s", dir,
		               strerror(errno));
	while (!rc && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[4200];
		int k;

		if (n < 5 || strcasecmp(e->d_name + n - 4, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(k = xml_kind(path)) || (k == 2 && only))
			continue;
		if (found[k])
			rc = err_set(ST_DATAERR, "%s: more than one %s", dir,
			             k == 1
			                 ? "primary document (edgarSubmission)"
			                 : "information table");
		else
			found[k] = xstrdup(path);
	}
	closedir(d);
	if (only)
		found[2] = xstrdup(only);
	if (!rc && (!found[1] || !found[2]))
		rc = err_set(ST_DATAERR,
		             "%s: a 13F filing needs its primary "
		             "document (edgarSubmission) and its information "
		             "table (informationTable) side by side",
		             dir);
	if (!rc)
		rc = import_xml(im, found[1], found[2]);
	for (int i = 0; i < 3; i++)
		free(found[i]);
	return rc;
}

/* ---- f13_import ------------------------------------------------------- */

static bool
is_zip(const char *path)
{
	unsigned char m[4] = {0};
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return false;
	if (fread(m, 1, 4, fp) != 4)
		m[0] = 0;
	fclose(fp);
	return !memcmp(m, "PK\3\4", 4) || !memcmp(m, "PK\5\6", 4);
}

static enum status
open_zip(struct imp *im)
{
	int err = 0;
	zip_error_t ze;
	enum status rc;

	im->zip = zip_open(im->path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (im->zip)
		return ST_OK;
	zip_error_init_with_code(&ze, err);
	rc = err_set(err == ZIP_ER_OPEN || err == ZIP_ER_READ ? ST_IOERR
	                                                      : ST_DATAERR,
	             "%s: not a readable ZIP (truncated or damaged?): %s",
	             im->path, zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return rc;
}

/* What path is and how to read it; fills im->source. */
static enum status
dispatch(struct imp *im)
{
	const char *base = strrchr(im->path, '/');
	struct stat sb;
	char probe[4200];

	base = base && base[1] ? base + 1 : im->path;
	if (stat(im->path, &sb))
		return err_set(ST_NOINPUT, "cannot open '%s': %s", im->path,
		               strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		snprintf(probe, sizeof(probe), "%s/SUBMISSION.tsv", im->path);
		if (!access(probe, F_OK)) {
			snprintf(im->source, sizeof(im->source), "data set %s",
			         base);
			return import_dataset(im);
		}
		snprintf(im->source, sizeof(im->source), "XML %s", base);
		return import_xml_dir(im, im->path, NULL);
	}
	if (is_zip(im->path)) {
		enum status rc = open_zip(im);

		snprintf(im->source, sizeof(im->source), "data set %s", base);
		return rc ? rc : import_dataset(im);
	}
	if (xml_kind(im->path) == 2) {
		char *dir = xstrdup(im->path);
		char *slash = strrchr(dir, '/');
		enum status rc;

		if (slash)
			*slash = '\0';
		snprintf(im->source, sizeof(im->source), "XML %s", base);
		rc = import_xml_dir(im, slash ? dir : ".", im->path);
		free(dir);
		return rc;
	}
	return err_set(ST_DATAERR,
	               "%s: neither a 13F data set (ZIP or folder "
	               "with SUBMISSION.tsv) nor a 13F information table XML",
	               im->path);
}

/* One import in one transaction: read with fn, then rebuild holdings. */
static enum status
run(struct imp *im, enum status (*fn)(struct imp *))
{
	enum status rc;

	if ((rc = db_begin(im->db)))
		return rc;
	if (!(rc = own_open(im->db, &im->own)) &&
	    !(rc = own_each_cusip(im->own, add_cusip, &im->cusips)) &&
	    !(rc = fn(im)))
		rc = own_refresh_holdings(im->own, im->rep);
	own_close(im->own);
	if (im->zip)
		zip_discard(im->zip);
	free_filings(&im->filings);
	map_free(&im->cusips, false);
	map_free(&im->seen, false);
	if (rc) {
		db_rollback(im->db);
		im->rep->changed = 0;
		return rc;
	}
	return db_commit(im->db);
}

enum status
f13_import(struct db *db, const char *path, struct own_report *rep)
{
	struct imp im = {.db = db, .rep = rep, .path = path};

	return run(&im, dispatch);
}

enum status
f13_import_dataset_mem(struct db *db, const char *name,
                       const struct f13_doc *submission,
                       const struct f13_doc *coverpage,
                       const struct f13_doc *infotable, struct own_report *rep)
{
	struct imp im = {.db = db,
	                 .rep = rep,
	                 .path = name,
	                 .set = {submission, coverpage, infotable}};

	assert(submission && coverpage && infotable);
	snprintf(im.source, sizeof(im.source), "data set %s", name);
	return run(&im, import_dataset);
}

static enum status
import_xml_mem(struct imp *im)
{
	return import_xml_docs(im, im->xml[0], im->xml[1]);
}

enum status
f13_import_xml_mem(struct db *db, const struct f13_doc *primary,
                   const struct f13_doc *infotable, struct own_report *rep)
{
	const char *base = strrchr(infotable->name, '/');
	struct imp im = {.db = db,
	                 .rep = rep,
	                 .path = infotable->name,
	                 .xml = {primary, infotable}};

	snprintf(im.source, sizeof(im.source), "XML %s",
	         base && base[1] ? base + 1 : infotable->name);
	return run(&im, import_xml_mem);
}
