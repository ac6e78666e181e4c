#include "ingest/edgar.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/status.h"
#include "ingest/date.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"

/*
 * Limits.  A submissions document is four levels deep and holds one to a
 * few thousand rows; the caps are far above that and far below what would
 * hurt.  Field caps: structured fields (form, document name) that exceed
 * theirs are errors, free text (company, description) is cut.
 */
#define JSON_MAX_DEPTH     32
#define JSON_MAX_ROWS      100000
#define INDEX_MAX_PREAMBLE 40 /* lines before the "----" line */
#define INDEX_MAX_LINE     4096
#define MAX_COMPANY        512
#define MAX_FORM           32
#define MAX_DOC            512
#define MAX_DESCRIPTION    1024
#define ACCESSION_LEN      20

#define ARCHIVES      "https://www.sec.gov/Archives/"
#define ARCHIVES_DATA ARCHIVES "edgar/data/"

struct span {
	const char *p;
	size_t n;
};

/* ------------------------------------------------------------------ */
/* Text */

/*
 * Append s[0..len) to out as one line of clean text (lib/text.h: valid
 * UTF-8, no C0/C1/bidi controls, whitespace collapsed), at most max_bytes.
 * Every string that reaches a struct filing passes through here.
 */
static void
clean_field(struct strbuf *out, const char *s, size_t len, size_t max_bytes)
{
	text_sanitize(out, s, len, TEXT_LINE, max_bytes);
}

/*
 * clean_field() into a new string of exactly the right size (a strbuf
 * would keep at least 64 bytes, and a quarterly master.idx has a million
 * rows); NULL instead of "" when empty_is_null.
 */
static char *
clean_dup(const char *s, size_t len, size_t max_bytes, bool empty_is_null)
{
	static struct strbuf scratch = STRBUF_INIT;

	strbuf_reset(&scratch);
	clean_field(&scratch, s, len, max_bytes);
	if (!scratch.len && empty_is_null)
		return NULL;
	return xstrndup(scratch.buf, scratch.len);
}

/*
 * Input quoted in an error message is cleaned and short: the message goes
 * to logs and the terminal, and the input is hostile until proven not.
 * Returns a pointer into one of two static buffers, used in turn so that
 * one message can quote two inputs; valid until the next call but one.
 */
static const char *
quote_input(const char *s, size_t len)
{
	static struct strbuf sb[2] = {STRBUF_INIT, STRBUF_INIT};
	static unsigned turn;
	struct strbuf *b = &sb[turn++ % 2];

	strbuf_reset(b);
	clean_field(b, s, len, 48);
	if (b->len == 48 && len > 48)
		strbuf_adds(b, "...");
	return b->buf;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return n > 0;
}

static int
digits_value(const char *s, size_t n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

static struct span
trim_span(const char *p, size_t n)
{
	struct span sp;

	while (n && is_blank(*p)) {
		p++;
		n--;
	}
	while (n && is_blank(p[n - 1]))
		n--;
	sp.p = p;
	sp.n = n;
	return sp;
}

static bool
span_has_prefix(struct span sp, const char *prefix)
{
	size_t n = strlen(prefix);

	return sp.n >= n && !memcmp(sp.p, prefix, n);
}

/* ------------------------------------------------------------------ */
/* Calendar arithmetic (proleptic Gregorian, no time zone database) */

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Years outside this range are not EDGAR dates but garbage; keeping them
 * four digits also keeps every formatted date the same width.
 */
static bool
date_ok(int y, int m, int d)
{
	return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in_month(y, m);
}

/*
 * The workhorse behind edgar_accepted_to_utc(), on a (pointer, length)
 * string because JSON strings come that way.
 */
static bool
accepted_to_utc(const char *s, size_t n, char out[EDGAR_UTC_SIZE])
{
	int y, mo, d, h, mi, sec, off_min = 0;
	bool eastern = true;
	int64_t t;
	size_t i;

	if (n == 14 && all_digits(s, 14)) {
		y = digits_value(s, 4);
		mo = digits_value(s + 4, 2);
		d = digits_value(s + 6, 2);
		h = digits_value(s + 8, 2);
		mi = digits_value(s + 10, 2);
		sec = digits_value(s + 12, 2);
	} else {
		if (n < 19 || !all_digits(s, 4) || s[4] != '-' ||
		    !all_digits(s + 5, 2) || s[7] != '-' ||
		    !all_digits(s + 8, 2) || (s[10] != 'T' && s[10] != ' ') ||
		    !all_digits(s + 11, 2) || s[13] != ':' ||
		    !all_digits(s + 14, 2) || s[16] != ':' ||
		    !all_digits(s + 17, 2))
			return false;
		y = digits_value(s, 4);
		mo = digits_value(s + 5, 2);
		d = digits_value(s + 8, 2);
		h = digits_value(s + 11, 2);
		mi = digits_value(s + 14, 2);
		sec = digits_value(s + 17, 2);
		i = 19;
		if (i < n && s[i] == '.') {
			size_t f = ++i;

			while (i < n && is_digit(s[i]))
				i++;
			if (i == f || i - f > 9)
				return false;
		}
		if (i < n && s[i] == 'Z') {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i] == '-' ? -1 : 1;

			if (n - i != 6 || !all_digits(s + i + 1, 2) ||
			    s[i + 3] != ':' || !all_digits(s + i + 4, 2))
				return false;
			off_min = digits_value(s + i + 1, 2) * 60 +
			          digits_value(s + i + 4, 2);
			if (off_min > 14 * 60 ||
			    digits_value(s + i + 4, 2) > 59)
				return false;
			off_min *= sign;
			eastern = false;
			i = n;
		}
		if (i != n)
			return false;
	}
	if (!date_ok(y, mo, d) || h > 23 || mi > 59 || sec > 59)
		return false;

	/* the US Eastern rules live in ingest/date.c, shared with feeds */
	if (eastern)
		t = date_eastern_to_utc(y, mo, d, h, mi, sec);
	else
		t = date_days_from_civil(y, mo, d) * 86400 + h * 3600 +
		    mi * 60 + sec - (int64_t)off_min * 60;
	_Static_assert(EDGAR_UTC_SIZE == DATE_UTC_SIZE, "same text form");
	date_format_utc(t, out);
	/* the same year range as date_ok(); "unknown" fails it too */
	return strcmp(out, "1900") >= 0 && strcmp(out, "3000") < 0;
}

bool
edgar_accepted_to_utc(const char *in, char *out, size_t outsz)
{
	char buf[EDGAR_UTC_SIZE];

	if (!in || !out || outsz < EDGAR_UTC_SIZE ||
	    !accepted_to_utc(in, strlen(in), buf))
		return false;
	memcpy(out, buf, sizeof(buf));
	return true;
}

/* "YYYY-MM-DD" or "YYYYMMDD" -> "YYYY-MM-DD". */
static bool
normalize_date(const char *s, size_t n, char out[11])
{
	int y, m, d;

	if (n == 8 && all_digits(s, 8)) {
		y = digits_value(s, 4);
		m = digits_value(s + 4, 2);
		d = digits_value(s + 6, 2);
	} else if (n == 10 && all_digits(s, 4) && s[4] == '-' &&
	           all_digits(s + 5, 2) && s[7] == '-' &&
	           all_digits(s + 8, 2)) {
		y = digits_value(s, 4);
		m = digits_value(s + 5, 2);
		d = digits_value(s + 8, 2);
	} else {
		return false;
	}
	if (!date_ok(y, m, d))
		return false;
	/* By hand: snprintf() was a tenth of the time spent on a master.idx. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return true;
}

/* NNNNNNNNNN-NN-NNNNNN */
static bool
accession_ok(const char *s, size_t n)
{
	return n == ACCESSION_LEN && all_digits(s, 10) && s[10] == '-' &&
	       all_digits(s + 11, 2) && s[13] == '-' && all_digits(s + 14, 6);
}

/* CIK of at most 10 digits, not all zeros -> digits without leading zeros. */
static bool
cik_normalize_n(const char *s, size_t n, char out[EDGAR_CIK_SIZE])
{
	if (!all_digits(s, n) || n > 10)
		return false;
	while (n > 1 && *s == '0') {
		s++;
		n--;
	}
	if (*s == '0')
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

bool
edgar_cik_normalize(const char *in, char *out, size_t outsz)
{
	char buf[EDGAR_CIK_SIZE];
	size_t n;

	if (!in || !out || !cik_normalize_n(in, strnlen(in, 11), buf))
		return false;
	n = strlen(buf);
	if (outsz <= n)
		return false;
	memcpy(out, buf, n + 1);
	return true;
}

/* ------------------------------------------------------------------ */
/* The list */

void
filing_list_init(struct filing_list *list)
{
	list->v = NULL;
	list->n = list->alloc = 0;
}

static void
filing_release(struct filing *f)
{
	free(f->cik);
	free(f->company);
	free(f->form);
	free(f->filed);
	free(f->accession);
	free(f->accepted);
	free(f->primary_doc);
	free(f->url);
	free(f->description);
}

/* Drop rows from index n on: undoes a failed parse. */
static void
filing_list_truncate(struct filing_list *list, size_t n)
{
	while (list->n > n)
		filing_release(&list->v[--list->n]);
}

void
filing_list_release(struct filing_list *list)
{
	filing_list_truncate(list, 0);
	free(list->v);
	filing_list_init(list);
}

/* A new zeroed row at the end; the list owns whatever is put in it. */
static struct filing *
filing_list_push(struct filing_list *list)
{
	struct filing *f;

	if (list->n == list->alloc) {
		list->alloc = list->alloc ? list->alloc * 2 : 64;
		list->v = xreallocarray(list->v, list->alloc, sizeof(*list->v));
	}
	f = &list->v[list->n++];
	memset(f, 0, sizeof(*f));
	return f;
}

/*
 * Bytes kept as they are in an Archives path; the rest is %-encoded.  '/'
 * stays so that "xslF345X02/ownership.xml" still names the rendered form.
 */
static bool
path_char_ok(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
	       c == '/';
}

static void
add_percent_encoded(struct strbuf *sb, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (path_char_ok(c) && (keep_slash || c != '/'))
			strbuf_addch(sb, c);
		else
			strbuf_addf(sb, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/*
 * A primary document name is joined onto the filing's folder, so it must
 * stay inside it: no absolute path, no empty or dot segments.  One that
 * does not is dropped rather than trusted by whoever builds a URL next.
 */
static bool
doc_name_ok(const char *doc)
{
	const char *seg = doc;

	for (;;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);

		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!slash)
			return true;
		seg = slash + 1;
	}
}

/* https://www.sec.gov/Archives/edgar/data/CIK/ACCNODASHES/{doc|ACC-index.htm} */
static char *
filing_url(const char *cik, const char *accession, const char *doc)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	strbuf_addf(&sb, ARCHIVES_DATA "%s/", cik);
	for (p = accession; *p; p++)
		if (*p != '-')
			strbuf_addch(&sb, *p);
	strbuf_addch(&sb, '/');
	if (doc)
		add_percent_encoded(&sb, doc, true);
	else
		strbuf_addf(&sb, "%s-index.htm", accession);
	return strbuf_detach(&sb, NULL);
}

/* ------------------------------------------------------------------ */
/* Submissions JSON */

/*
 * Nesting depth of a JSON text, counted outside strings, capped at limit.
 * Checked before jansson sees the text so that "[[[[..." costs one linear
 * scan and gives a clear message instead of recursing to jansson's own
 * limit.  Returns the offset of the first bracket past the limit, or len.
 */
static size_t
json_depth_scan(const char *s, size_t len, int limit)
{
	bool in_string = false;
	int depth = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > limit)
				return i;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return len;
}

static const char *
json_type_name(const json_t *v)
{
	if (!v)
		return "missing";
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "something unknown";
}

/*
 * Not JSON at all: data.sec.gov answers an unknown CIK with S3's XML
 * <Error><Code>NoSuchKey</Code>..., and www.sec.gov its block pages in
 * HTML.  Say so, with the S3 code when there is one, rather than quoting
 * jansson's "'[' or '{' expected near '<'".
 */
static enum status
not_json(const char *s, size_t len, const char *name)
{
	static const char open[] = "<Code>";
	const char *code = NULL, *end = NULL;
	size_t i;

	for (i = 0; i + sizeof(open) - 1 < len && i < 4096; i++) {
		if (!memcmp(s + i, open, sizeof(open) - 1)) {
			code = s + i + sizeof(open) - 1;
			end = memchr(code, '<', len - (size_t)(code - s));
			break;
		}
	}
	if (code && end)
		return err_set(ST_DATAERR,
		               "%s: not JSON but an XML error document (%s)",
		               name, quote_input(code, (size_t)(end - code)));
	return err_set(ST_DATAERR,
	               "%s: not JSON but XML or HTML (an error page?)", name);
}

/* The columns read from filings.recent; the first three are required. */
enum column {
	COL_ACCESSION,
	COL_FILED,
	COL_FORM,
	COL_ACCEPTED,
	COL_DOC,
	COL_DESCRIPTION,
	NCOLUMNS
};

static const char *const column_key[NCOLUMNS] = {
    "accessionNumber",    "filingDate",      "form",
    "acceptanceDateTime", "primaryDocument", "primaryDocDescription",
};

struct submissions {
	const char *name; /* for errors */
	char cik[EDGAR_CIK_SIZE];
	char *company;
	json_t *col[NCOLUMNS]; /* borrowed from the document; NULL = absent */
	size_t rows;
};

/*
 * String i of a column.  Optional columns may be absent or hold null, both
 * giving *out = {NULL, 0}; anything but a string is an error.
 */
static enum status
column_string(const struct submissions *sub, enum column c, size_t i,
              struct span *out)
{
	json_t *v;

	out->p = NULL;
	out->n = 0;
	if (!sub->col[c])
		return ST_OK;
	v = json_array_get(sub->col[c], i);
	if (json_is_string(v)) {
		out->p = json_string_value(v);
		out->n = json_string_length(v);
		return ST_OK;
	}
	if (json_is_null(v) && c >= COL_ACCEPTED)
		return ST_OK;
	return err_set(ST_DATAERR,
	               "%s: filings.recent.%s[%zu] is %s, expected a string",
	               sub->name, column_key[c], i, json_type_name(v));
}

static enum status
submission_row(struct filing_list *out, const struct submissions *sub, size_t i)
{
	struct span acc, filed, form, accepted, doc, desc;
	char date[11], utc[EDGAR_UTC_SIZE];
	struct filing *f;
	enum status st;
	char *form_s;

	if ((st = column_string(sub, COL_ACCESSION, i, &acc)) ||
	    (st = column_string(sub, COL_FILED, i, &filed)) ||
	    (st = column_string(sub, COL_FORM, i, &form)) ||
	    (st = column_string(sub, COL_ACCEPTED, i, &accepted)) ||
	    (st = column_string(sub, COL_DOC, i, &doc)) ||
	    (st = column_string(sub, COL_DESCRIPTION, i, &desc)))
		return st;

	if (!accession_ok(acc.p, acc.n))
		return err_set(ST_DATAERR,
		               "%s: filings.recent.accessionNumber[%zu] \"%s\" "
		               "is not an accession number",
		               sub->name, i, quote_input(acc.p, acc.n));
	if (!normalize_date(filed.p, filed.n, date))
		return err_set(
		    ST_DATAERR,
		    "%s: filings.recent.filingDate[%zu] \"%s\" is not "
		    "a date",
		    sub->name, i, quote_input(filed.p, filed.n));
	if (accepted.n && !accepted_to_utc(accepted.p, accepted.n, utc))
		return err_set(
		    ST_DATAERR,
		    "%s: filings.recent.acceptanceDateTime[%zu] \"%s\" "
		    "is not a date and time",
		    sub->name, i, quote_input(accepted.p, accepted.n));
	if (form.n > MAX_FORM || doc.n > MAX_DOC)
		return err_set(
		    ST_DATAERR, "%s: filings.recent.%s[%zu] is too long",
		    sub->name,
		    column_key[form.n > MAX_FORM ? COL_FORM : COL_DOC], i);
	form_s = clean_dup(form.p, form.n, MAX_FORM, true);
	if (!form_s)
		return err_set(ST_DATAERR,
		               "%s: filings.recent.form[%zu] is empty",
		               sub->name, i);

	f = filing_list_push(out);
	f->cik = xstrdup(sub->cik);
	f->company = xstrdup(sub->company);
	f->form = form_s;
	f->filed = xstrdup(date);
	f->accession = xstrndup(acc.p, acc.n);
	f->accepted = accepted.n ? xstrdup(utc) : NULL;
	f->primary_doc = doc.n ? clean_dup(doc.p, doc.n, MAX_DOC, true) : NULL;
	if (f->primary_doc && !doc_name_ok(f->primary_doc)) {
		free(f->primary_doc);
		f->primary_doc = NULL;
	}
	f->url = filing_url(f->cik, f->accession, f->primary_doc);
	f->description =
	    desc.n ? clean_dup(desc.p, desc.n, MAX_DESCRIPTION, true) : NULL;
	return ST_OK;
}

/* The top-level "cik": a string of digits (padded or not) or an integer. */
static enum status
submission_cik(struct submissions *sub, json_t *root)
{
	json_t *v = json_object_get(root, "cik");
	char num[24];

	if (json_is_string(v)) {
		if (cik_normalize_n(json_string_value(v), json_string_length(v),
		                    sub->cik))
			return ST_OK;
		return err_set(
		    ST_DATAERR, "%s: \"cik\" \"%s\" is not a CIK", sub->name,
		    quote_input(json_string_value(v), json_string_length(v)));
	}
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(v));
		if (cik_normalize_n(num, strlen(num), sub->cik))
			return ST_OK;
		return err_set(ST_DATAERR, "%s: \"cik\" %s is not a CIK",
		               sub->name, num);
	}
	if (!v)
		return err_set(ST_DATAERR, "%s: no \"cik\"", sub->name);
	return err_set(ST_DATAERR, "%s: \"cik\" is %s, expected a string",
	               sub->name, json_type_name(v));
}

/*
 * Find the columns and check that every array in filings.recent has the
 * same length: the arrays are parallel, so one of a different length
 * means rows would be stitched together from different filings.
 */
static enum status
submission_columns(struct submissions *sub, json_t *recent)
{
	const char *key, *first_key = NULL;
	json_t *v;
	int c;

	json_object_foreach(recent, key, v)
	{
		if (!json_is_array(v))
			continue;
		if (!first_key) {
			first_key = key;
			sub->rows = json_array_size(v);
		} else if (json_array_size(v) != sub->rows) {
			return err_set(
			    ST_DATAERR,
			    "%s: filings.recent.%s has length %zu but "
			    "filings.recent.%s has length %zu",
			    sub->name, quote_input(key, strlen(key)),
			    json_array_size(v),
			    quote_input(first_key, strlen(first_key)),
			    sub->rows);
		}
	}
	if (sub->rows > JSON_MAX_ROWS)
		return err_set(ST_DATAERR,
		               "%s: filings.recent has %zu rows, more than %d",
		               sub->name, sub->rows, JSON_MAX_ROWS);
	for (c = 0; c < NCOLUMNS; c++) {
		v = json_object_get(recent, column_key[c]);
		if (json_is_array(v))
			sub->col[c] = v;
		else if (v && !(json_is_null(v) && c >= COL_ACCEPTED))
			return err_set(
			    ST_DATAERR,
			    "%s: filings.recent.%s is %s, expected an "
			    "array",
			    sub->name, column_key[c], json_type_name(v));
		else if (c < COL_ACCEPTED)
			return err_set(ST_DATAERR, "%s: no filings.recent.%s",
			               sub->name, column_key[c]);
	}
	return ST_OK;
}

static enum status
submission_object(struct filing_list *out, struct submissions *sub,
                  json_t *root)
{
	json_t *filings, *recent, *name;
	enum status st;
	size_t i;

	if (!json_is_object(root))
		return err_set(ST_DATAERR,
		               "%s: the document is %s, expected an object",
		               sub->name, json_type_name(root));
	if ((st = submission_cik(sub, root)))
		return st;

	name = json_object_get(root, "name");
	if (name && !json_is_string(name) && !json_is_null(name))
		return err_set(ST_DATAERR,
		               "%s: \"name\" is %s, expected a string",
		               sub->name, json_type_name(name));
	sub->company =
	    json_is_string(name)
	        ? clean_dup(json_string_value(name), json_string_length(name),
	                    MAX_COMPANY, false)
	        : xstrdup("");

	filings = json_object_get(root, "filings");
	recent = json_object_get(filings, "recent");
	if (!json_is_object(filings) || !json_is_object(recent))
		return err_set(ST_DATAERR, "%s: no filings.recent object",
		               sub->name);
	if ((st = submission_columns(sub, recent)))
		return st;

	for (i = 0; i < sub->rows; i++)
		if ((st = submission_row(out, sub, i)))
			return st;
	return ST_OK;
}

enum status
edgar_parse_submissions(struct filing_list *out, const char *json, size_t len,
                        const char *name_for_errors)
{
	struct submissions sub = {0};
	const char *name = name_for_errors ? name_for_errors : "submissions";
	size_t n0 = out->n, i, deep;
	json_error_t jerr;
	json_t *root;
	enum status st;

	sub.name = name;
	for (i = 0; i < len && (json[i] == ' ' || json[i] == '\t' ||
	                        json[i] == '\r' || json[i] == '\n');
	     i++)
		;
	if (i == len)
		return err_set(ST_DATAERR, "%s: empty document", name);
	if (len > EDGAR_JSON_MAX_BYTES)
		return err_set(ST_DATAERR,
		               "%s: %zu bytes, more than the %u allowed", name,
		               len, EDGAR_JSON_MAX_BYTES);
	if (json[i] == '<')
		return not_json(json + i, len - i, name);
	deep = json_depth_scan(json, len, JSON_MAX_DEPTH);
	if (deep < len)
		return err_set(ST_DATAERR,
		               "%s: nested deeper than %d levels at byte %zu",
		               name, JSON_MAX_DEPTH, deep);

	/*
	 * JSON_REJECT_DUPLICATES: with "last one wins" a second "form" key
	 * could silently replace the column.  JSON_ALLOW_NUL stays off, so
	 * "\u0000" is an error instead of a C string cut short.
	 */
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err_set(ST_DATAERR,
		               "%s: invalid JSON at line %d, column %d: %s",
		               name, jerr.line, jerr.column,
		               quote_input(jerr.text, strlen(jerr.text)));
	st = submission_object(out, &sub, root);
	json_decref(root);
	free(sub.company);
	if (st != ST_OK)
		filing_list_truncate(out, n0);
	return st;
}

/* ------------------------------------------------------------------ */
/* Index files */

/* One line of the input, without its LF or CR LF. */
struct line {
	const char *p;
	size_t n;
	size_t number; /* 1-based */
};

struct line_reader {
	const char *text;
	size_t len, pos, number;
};

static bool
next_line(struct line_reader *r, struct line *l)
{
	const char *nl;

	if (r->pos >= r->len)
		return false;
	l->p = r->text + r->pos;
	nl = memchr(l->p, '\n', r->len - r->pos);
	l->n = nl ? (size_t)(nl - l->p) : r->len - r->pos;
	r->pos += l->n + (nl != NULL);
	l->number = ++r->number;
	while (l->n && (l->p[l->n - 1] == '\r' || is_blank(l->p[l->n - 1])))
		l->n--;
	return true;
}

static bool
has_substr(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(p + i, needle, k))
			return true;
	return false;
}

/* The "-----" line that ends the preamble (80 or 141-179 dashes). */
static bool
is_separator(const struct line *l)
{
	size_t i;

	if (l->n < 20)
		return false;
	for (i = 0; i < l->n; i++)
		if (l->p[i] != '-')
			return false;
	return true;
}

/*
 * Read the preamble up to the separator and work out the kind from the
 * column header: "CIK|Company Name|..." (master, xbrl), "Form Type
 * Company Name ..." (form), "Company Name  Form Type  CIK" (company and
 * crawler; both wrap the header, and crawler's continuation says URL).
 */
static enum status
index_preamble(struct line_reader *r, const char *name,
               enum edgar_index_kind *kind)
{
	struct line l;
	bool company_header = false, url = false;

	*kind = EDGAR_INDEX_UNKNOWN;
	while (next_line(r, &l)) {
		if (l.number > INDEX_MAX_PREAMBLE)
			break;
		if (is_separator(&l)) {
			if (*kind == EDGAR_INDEX_UNKNOWN && company_header)
				*kind = url ? EDGAR_INDEX_CRAWLER
				            : EDGAR_INDEX_COMPANY;
			if (*kind == EDGAR_INDEX_UNKNOWN)
				return err_set(
				    ST_DATAERR,
				    "%s: line %zu: no known column "
				    "header before the separator (not "
				    "an EDGAR index?)",
				    name, l.number);
			return ST_OK;
		}
		if (l.n > INDEX_MAX_LINE)
			continue;
		if (has_substr(l.p, l.n, "CIK|Company Name|Form Type|"))
			*kind = EDGAR_INDEX_MASTER;
		else if (span_has_prefix((struct span){l.p, l.n},
		                         "Form Type") &&
		         has_substr(l.p, l.n, "Company Name"))
			*kind = EDGAR_INDEX_FORM;
		else if (span_has_prefix((struct span){l.p, l.n},
		                         "Company Name") &&
		         has_substr(l.p, l.n, "Form Type"))
			company_header = true;
		else if (company_header && has_substr(l.p, l.n, "Date Filed") &&
		         has_substr(l.p, l.n, "URL"))
			url = true;
	}
	return err_set(ST_DATAERR,
	               "%s: no \"-----\" separator line in the first %d lines "
	               "(not an EDGAR index?)",
	               name, INDEX_MAX_PREAMBLE);
}

/* The fields of one data line, still raw. */
struct index_fields {
	struct span cik, company, form, date, file;
};

/*
 * master.idx: CIK|Company Name|Form Type|Date Filed|Filename.  A company
 * name may contain '|' (SEC's own test filer does), so the CIK is split
 * off the left and the last three fields off the right.
 */
static const char *
split_master(const struct line *l, struct index_fields *f)
{
	const char *first = memchr(l->p, '|', l->n);
	const char *bar[3];
	size_t i = l->n, k = 0;

	while (i > 0 && k < 3)
		if (l->p[--i] == '|')
			bar[k++] = l->p + i;
	if (!first || k < 3 || bar[2] <= first)
		return "fewer than 5 '|'-separated fields";
	f->cik = trim_span(l->p, (size_t)(first - l->p));
	f->company = trim_span(first + 1, (size_t)(bar[2] - first - 1));
	f->form = trim_span(bar[2] + 1, (size_t)(bar[1] - bar[2] - 1));
	f->date = trim_span(bar[1] + 1, (size_t)(bar[0] - bar[1] - 1));
	f->file = trim_span(bar[0] + 1, (size_t)(l->p + l->n - bar[0] - 1));
	return NULL;
}

/*
 * Take the last blank-separated token of s[0..*n) and shorten *n to what
 * is left before it, trailing blanks removed.
 */
static bool
take_last_token(const char *s, size_t *n, struct span *tok)
{
	size_t e = *n, b;

	while (e > 0 && is_blank(s[e - 1]))
		e--;
	b = e;
	while (b > 0 && !is_blank(s[b - 1]))
		b--;
	if (b == e)
		return false;
	tok->p = s + b;
	tok->n = e - b;
	while (b > 0 && is_blank(s[b - 1]))
		b--;
	*n = b;
	return true;
}

/* Offset of the first (or last) run of two or more blanks in s, or n. */
static size_t
find_gap(const char *s, size_t n, bool last)
{
	size_t i, found = n;

	for (i = 0; i + 1 < n; i++) {
		if (is_blank(s[i]) && is_blank(s[i + 1])) {
			found = i;
			if (!last)
				break;
			while (i + 1 < n && is_blank(s[i + 1]))
				i++;
		}
	}
	return found;
}

/*
 * form.idx, company.idx, crawler.idx: fixed-width columns (form 12,
 * company 62, CIK 12, date 12, then file name or URL), but a value longer
 * than its column pushes the rest right ("UNITED PLANNERS' FINANCIAL
 * SERVICES OF AMERICA A LIMITED PARTNER" is 64 characters).  So: the file,
 * date and CIK, which have no spaces, are taken from the right; what is
 * left is form and company, which may both contain single spaces.  SEC
 * always leaves at least two blanks between columns, even after an
 * overflow, and neither form types nor the ends of company names hold two
 * blanks in a row, so the split is at the first run of blanks after the
 * form (form.idx) or the last one before it (company/crawler).  Without
 * such a run, fall back to the nominal column boundary.
 */
static const char *
split_fixed(const struct line *l, enum edgar_index_kind kind,
            struct index_fields *f)
{
	size_t n = l->n, gap, col;
	struct span rest;

	if (!take_last_token(l->p, &n, &f->file) ||
	    !take_last_token(l->p, &n, &f->date) ||
	    !take_last_token(l->p, &n, &f->cik))
		return "fewer than 4 columns";
	if (n == 0 || is_blank(l->p[0]))
		return "no form type and company name";
	if (kind == EDGAR_INDEX_FORM) {
		gap = find_gap(l->p, n, false);
		col = 12;
	} else {
		gap = find_gap(l->p, n, true);
		col = 62;
	}
	if (gap == n) {
		if (n <= col || !is_blank(l->p[col - 1]))
			return "cannot tell the form type from the company "
			       "name";
		gap = col;
	}
	rest = trim_span(l->p + gap, n - gap);
	if (kind == EDGAR_INDEX_FORM) {
		f->form = trim_span(l->p, gap);
		f->company = rest;
	} else {
		f->company = trim_span(l->p, gap);
		f->form = rest;
	}
	return NULL;
}

/*
 * "edgar/data/<digits>/<accession>..." -> the accession.  The file name
 * starts with the accession number: "0001209191-20-000788.txt" or, in
 * crawler.idx, "0001975393-23-000001-index.htm".
 */
static bool
archive_path_ok(struct span path, struct span *accession)
{
	size_t i = strlen("edgar/data/"), d;

	if (!span_has_prefix(path, "edgar/data/"))
		return false;
	for (d = i; d < path.n && is_digit(path.p[d]); d++)
		;
	if (d == i || d - i > 10 || d >= path.n || path.p[d] != '/')
		return false;
	for (i = 0; i < path.n; i++)
		if (!path_char_ok((unsigned char)path.p[i]))
			return false;
	accession->p = path.p + d + 1;
	accession->n = ACCESSION_LEN;
	if (path.n - d - 1 < ACCESSION_LEN ||
	    !accession_ok(accession->p, ACCESSION_LEN))
		return false;
	return path.n - d - 1 == ACCESSION_LEN ||
	       accession->p[ACCESSION_LEN] == '.' ||
	       accession->p[ACCESSION_LEN] == '-';
}

/* Validate one line's fields and append the row; NULL or what is wrong. */
static const char *
index_row(struct filing_list *out, enum edgar_index_kind kind,
          const struct index_fields *in)
{
	char cik[EDGAR_CIK_SIZE], date[11];
	struct span path = in->file, acc;
	struct filing *f;
	char *company, *form;

	if (!cik_normalize_n(in->cik.p, in->cik.n, cik))
		return "bad CIK";
	if (!normalize_date(in->date.p, in->date.n, date))
		return "bad date";
	if (kind == EDGAR_INDEX_CRAWLER) {
		/* Crawler URLs are http://www.sec.gov/Archives/edgar/... */
		static const char *const prefixes[] = {
		    "http://www.sec.gov/Archives/",
		    "https://www.sec.gov/Archives/"};
		size_t k;

		for (k = 0; k < 2; k++) {
			if (span_has_prefix(path, prefixes[k])) {
				path.p += strlen(prefixes[k]);
				path.n -= strlen(prefixes[k]);
				break;
			}
		}
		if (k == 2)
			return "URL not under www.sec.gov/Archives";
	}
	if (!archive_path_ok(path, &acc))
		return "file name is not edgar/data/CIK/ACCESSION...";
	if (in->form.n > MAX_FORM)
		return "form type too long";

	company = clean_dup(in->company.p, in->company.n, MAX_COMPANY, true);
	form = clean_dup(in->form.p, in->form.n, MAX_FORM, true);
	if (!company || !form) {
		free(company);
		free(form);
		return "empty company name or form type";
	}
	f = filing_list_push(out);
	f->cik = xstrdup(cik);
	f->company = company;
	f->form = form;
	f->filed = xstrdup(date);
	f->accession = xstrndup(acc.p, acc.n);
	f->url = xmalloc(strlen(ARCHIVES) + path.n + 1);
	memcpy(f->url, ARCHIVES, strlen(ARCHIVES));
	memcpy(f->url + strlen(ARCHIVES), path.p, path.n);
	f->url[strlen(ARCHIVES) + path.n] = '\0';
	return NULL;
}

enum status
edgar_parse_index(struct filing_list *out, const char *text, size_t len,
                  const char *name_for_errors, struct edgar_index_info *info)
{
	const char *name = name_for_errors ? name_for_errors : "index";
	struct edgar_index_info res = {0};
	struct line_reader r = {text, len, 0, 0};
	size_t n0 = out->n, total = 0;
	const char *why, *first_why = NULL;
	struct index_fields f;
	enum status st;
	struct line l;
	const char *nul;

	if (info)
		*info = res;
	if (len == 0)
		return err_set(ST_DATAERR, "%s: empty document", name);
	if (len >= 2 && (unsigned char)text[0] == 0x1f &&
	    (unsigned char)text[1] == 0x8b)
		return err_set(ST_DATAERR, "%s: gzip data; decompress it first",
		               name);
	nul = memchr(text, '\0', len);
	if (nul)
		return err_set(
		    ST_DATAERR,
		    "%s: NUL byte at offset %zu: binary data, not an "
		    "index",
		    name, (size_t)(nul - text));
	if ((st = index_preamble(&r, name, &res.kind))) {
		if (info)
			*info = res;
		return st;
	}

	while (next_line(&r, &l)) {
		if (l.n == 0)
			continue;
		total++;
		memset(&f, 0, sizeof(f));
		if (l.n > INDEX_MAX_LINE)
			why = "line too long";
		else if (res.kind == EDGAR_INDEX_MASTER)
			why = split_master(&l, &f);
		else
			why = split_fixed(&l, res.kind, &f);
		if (!why)
			why = index_row(out, res.kind, &f);
		if (why) {
			if (!res.bad_lines++) {
				res.first_bad = l.number;
				first_why = why;
			}
		}
	}
	res.rows = out->n - n0;

	if (res.bad_lines && res.bad_lines * 2 > total) {
		filing_list_truncate(out, n0);
		res.rows = 0;
		if (info)
			*info = res;
		return err_set(ST_DATAERR,
		               "%s: %zu of %zu lines do not parse (first: line "
		               "%zu: %s)",
		               name, res.bad_lines, total, res.first_bad,
		               first_why);
	}
	if (res.bad_lines)
		err_set(ST_OK,
		        "%s: skipped %zu of %zu lines (first: line %zu: %s)",
		        name, res.bad_lines, total, res.first_bad, first_why);
	if (info)
		*info = res;
	return ST_OK;
}

/* ------------------------------------------------------------------ */
/* User-Agent */

/*
 * Domains that cannot reach a person: what SEC wants is a way to contact
 * whoever runs the tool, and these are what placeholder configs contain.
 */
static bool
domain_reserved(const char *d, size_t n)
{
	static const char *const tld[] = {".localhost", ".invalid", ".test",
	                                  ".example", ".local"};
	static const char *const exact[] = {"example.com", "example.net",
	                                    "example.org"};
	size_t i, k;

	for (i = 0; i < sizeof(tld) / sizeof(*tld); i++) {
		k = strlen(tld[i]);
		if (n >= k && !strncasecmp(d + n - k, tld[i], k))
			return true;
	}
	for (i = 0; i < sizeof(exact) / sizeof(*exact); i++) {
		k = strlen(exact[i]);
		if (n >= k && !strncasecmp(d + n - k, exact[i], k) &&
		    (n == k || d[n - k - 1] == '.'))
			return true;
	}
	return false;
}

static bool
is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/* local@label.label...tld, the common subset of RFC 5321 that mail uses. */
static bool
email_ok(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n), *d, *label;
	size_t local, dn, i, tld_len = 0;

	if (!at)
		return false;
	local = (size_t)(at - s);
	d = at + 1;
	dn = n - local - 1;
	if (local == 0 || local > 64 || dn < 4 || dn > 253 || s[0] == '.' ||
	    s[local - 1] == '.')
		return false;
	for (i = 0; i < local; i++)
		if (!is_alnum(s[i]) && !strchr(".!#$%&'*+/=?^_`{|}~-", s[i]))
			return false;
	label = d;
	for (i = 0; i <= dn; i++) {
		if (i == dn || d[i] == '.') {
			size_t ln = (size_t)(d + i - label);

			if (ln == 0 || ln > 63 || label[0] == '-' ||
			    label[ln - 1] == '-')
				return false;
			tld_len = ln;
			label = d + i + 1;
		} else if (!is_alnum(d[i]) && d[i] != '-') {
			return false;
		}
	}
	/* At least two labels, and a TLD of letters. */
	if (tld_len == dn || tld_len < 2)
		return false;
	for (i = dn - tld_len; i < dn; i++)
		if (!is_alpha(d[i]))
			return false;
	return !domain_reserved(d, dn);
}

bool
edgar_user_agent_ok(const char *ua)
{
	bool have_email = false, have_name = false;
	const char *p;
	size_t len;

	if (!ua)
		return false;
	len = strnlen(ua, 1025);
	if (len == 0 || len > 1024)
		return false;
	for (p = ua; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return false;

	for (p = ua; *p;) {
		const char *b, *e;
		size_t letters = 0;

		while (*p == ' ')
			p++;
		b = p;
		while (*p && *p != ' ')
			p++;
		e = p;
		/* "<jane@doe.org>", "(ops@acme.io)", "jane@doe.org," */
		while (b < e && strchr("<([\"'", *b))
			b++;
		while (e > b && strchr(">)]\"',;.", e[-1]))
			e--;
		if (b == e)
			continue;
		if (memchr(b, '@', (size_t)(e - b))) {
			if (email_ok(b, (size_t)(e - b)))
				have_email = true;
			continue;
		}
		for (; b < e; b++)
			letters += is_alpha(*b);
		if (letters >= 2)
			have_name = true;
	}
	return have_email && have_name;
}

/* ------------------------------------------------------------------ */
/* URLs */

/* A CIK in any padding -> the 10-digit form the URLs use. */
static bool
cik10(const char *cik, char out[EDGAR_CIK_SIZE])
{
	char norm[EDGAR_CIK_SIZE];

	if (!edgar_cik_normalize(cik, norm, sizeof(norm)))
		return false;
	snprintf(out, EDGAR_CIK_SIZE, "%010lld", atoll(norm));
	return true;
}

char *
edgar_submissions_url(const char *cik)
{
	struct strbuf sb = STRBUF_INIT;
	char c10[EDGAR_CIK_SIZE];

	if (!cik10(cik, c10))
		return NULL;
	strbuf_addf(&sb, "https://data.sec.gov/submissions/CIK%s.json", c10);
	return strbuf_detach(&sb, NULL);
}

char *
edgar_company_atom_url(const char *cik, const char *form)
{
	struct strbuf sb = STRBUF_INIT;
	char c10[EDGAR_CIK_SIZE];

	if (!cik10(cik, c10))
		return NULL;
	strbuf_addf(&sb,
	            "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany"
	            "&CIK=%s&type=",
	            c10);
	add_percent_encoded(&sb, form ? form : "", false);
	strbuf_adds(&sb, "&dateb=&owner=include&start=0&count=40&output=atom");
	return strbuf_detach(&sb, NULL);
}

char *
edgar_current_atom_url(const char *form, unsigned start, unsigned count)
{
	static const unsigned served[] = {10, 20, 40, 80, 100};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (count == 0 || count > 100)
		count = 100;
	for (i = 0; served[i] < count; i++)
		;
	strbuf_addf(&sb,
	            "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent"
	            "&count=%u&start=%u&type=",
	            served[i], start);
	add_percent_encoded(&sb, form ? form : "", false);
	strbuf_adds(&sb, "&owner=include&output=atom");
	return strbuf_detach(&sb, NULL);
}

static bool
index_kind_ok(const char *kind, bool xbrl_too)
{
	return kind && (!strcmp(kind, "master") || !strcmp(kind, "form") ||
	                !strcmp(kind, "company") || !strcmp(kind, "crawler") ||
	                (xbrl_too && !strcmp(kind, "xbrl")));
}

char *
edgar_daily_index_url(int year, int month, int day, const char *kind)
{
	struct strbuf sb = STRBUF_INIT;

	if (!index_kind_ok(kind, false) || year < 1993 ||
	    !date_ok(year, month, day))
		return NULL;
	strbuf_addf(&sb,
	            ARCHIVES "edgar/daily-index/%04d/QTR%d/%s.%04d%02d%02d.idx",
	            year, (month - 1) / 3 + 1, kind, year, month, day);
	return strbuf_detach(&sb, NULL);
}

int64_t
edgar_daily_index_ready(int64_t day)
{
	int64_t y;
	int m, d;

	date_civil_from_days(day, &y, &m, &d);
	return date_eastern_to_utc((int)y, m, d, EDGAR_INDEX_READY_HOUR, 0, 0);
}

int64_t
edgar_daily_index_next(int64_t day)
{
	/* at most a four-day weekend plus a holiday in between */
	while (!date_us_business_day(day))
		day++;
	return day;
}

int64_t
edgar_daily_index_day(int64_t now)
{
	/* Eastern is behind UTC: the UTC day is the latest candidate */
	int64_t day = (now >= 0 ? now : now - 86399) / 86400;

	while (!date_us_business_day(day) || edgar_daily_index_ready(day) > now)
		day--;
	return day;
}

char *
edgar_full_index_url(int year, int quarter, const char *kind)
{
	struct strbuf sb = STRBUF_INIT;

	if (!index_kind_ok(kind, true) || year < 1993 || year > 2999 ||
	    quarter < 1 || quarter > 4)
		return NULL;
	strbuf_addf(&sb, ARCHIVES "edgar/full-index/%04d/QTR%d/%s.idx", year,
	            quarter, kind);
	return strbuf_detach(&sb, NULL);
}
