#include "ingest/epoch.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/entity.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"

/* ---- columns ---------------------------------------------------------- */

enum field {
	F_OWNER,
	F_NAME,
	F_DATE,
	F_H100E,
	F_CHIP,
	F_STATUS,
	F_POWER,
	F_FLOP,
	F_HW,
	F_COUNT
};

/* Header names per field and kind; NULL list: the kind has no such
 * field.  req: the column must be there. */
struct colspec {
	const char *const *names;
	bool req;
};

/*
 * Chip owners: Epoch's AI Chip Owners download (ai_chip_owners.zip:
 * cumulative_by_designer.csv, cumulative_by_chip_type.csv) has the
 * columns Name, Chip manufacturer, Owner, [Chip type,] Start date, End
 * date, Compute estimate in H100e (median), H100e (5th percentile),
 * H100e (95th percentile), Number of units (...), Power in MW (...) or
 * Total TDP (W), Source, Notes, Incomplete (as reported by third-party
 * loaders of the 2026 releases; not checked against Epoch's own
 * documentation).  Taken: Owner, End date (the quarter the cumulative
 * total is at), the median H100e, and Chip type or else Chip manufacturer
 * (rows of one owner and quarter are summed, so one row per chip type or
 * per manufacturer).  The other names are older or hand-made spellings.
 */
static const char *const owner_names[] = {"Owner", "Organization", "Company",
                                          NULL};
static const char *const co_date[] = {"End date", "Date", "Quarter", "Period",
                                      NULL};
static const char *const co_h100e[] = {"Compute estimate in H100e (median)",
                                       "H100e compute power (median)",
                                       "H100e (median)",
                                       "Median H100e",
                                       "H100e",
                                       "H100 equivalents",
                                       "H100-equivalents",
                                       "Cumulative H100e",
                                       NULL};
static const char *const co_chip[] = {
    "Chip type",     "Chip manufacturer",   "Chip", "Designer",
    "Chip designer", "Chip type (primary)", NULL};
static const char *const org_names[] = {"Organization", NULL};
static const char *const cl_owner[] = {"Owner", NULL};
static const char *const cl_name[] = {"Name", NULL};
static const char *const model_name[] = {"Model", "System", NULL};
static const char *const cl_date[] = {"First Operational Date", NULL};
static const char *const pub_date[] = {"Publication date", NULL};
static const char *const h100e_names[] = {"H100 equivalents", "H100e",
                                          "H100-equivalents", NULL};
static const char *const cl_chip[] = {"Chip type (primary)", "Chip type", NULL};
static const char *const status_names[] = {"Status", NULL};
static const char *const power_names[] = {"Power Capacity (MW)", NULL};
static const char *const flop_names[] = {"Training compute (FLOP)", NULL};
static const char *const hw_names[] = {"Training hardware", NULL};

static const struct colspec specs[3][F_COUNT] = {
    [EPOCH_CHIP_OWNERS] = {[F_OWNER] = {owner_names, true},
                           [F_DATE] = {co_date, true},
                           [F_H100E] = {co_h100e, true},
                           [F_CHIP] = {co_chip, false}},
    [EPOCH_GPU_CLUSTERS] = {[F_OWNER] = {cl_owner, true},
                            [F_NAME] = {cl_name, true},
                            [F_DATE] = {cl_date, true},
                            [F_H100E] = {h100e_names, true},
                            [F_CHIP] = {cl_chip, false},
                            [F_STATUS] = {status_names, false},
                            [F_POWER] = {power_names, false}},
    [EPOCH_MODELS] = {[F_OWNER] = {org_names, true},
                      [F_NAME] = {model_name, true},
                      [F_DATE] = {pub_date, false},
                      [F_FLOP] = {flop_names, false},
                      [F_HW] = {hw_names, false}},
};

/* Header cell equals name, ASCII case aside, after trimming. */
static bool
header_is(const char *cell, const char *name)
{
	size_t n;

	cell += strspn(cell, " \t");
	n = strlen(cell);
	while (n && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
		n--;
	return n == strlen(name) && !strncasecmp(cell, name, n);
}

/* Epoch's name first, then the other spellings accepted. */
static enum status
missing(struct csv_reader *r, enum epoch_kind kind, const char *const *names)
{
	static const char *const what[] = {"chip owners", "GPU clusters",
	                                   "notable models"};
	struct strbuf also = STRBUF_INIT;
	enum status rc;

	for (size_t k = 1; names[k]; k++)
		strbuf_addf(&also, "%s'%s'", k > 1 ? ", " : " (or ", names[k]);
	if (also.len)
		strbuf_adds(&also, ")");
	rc = err_set(ST_DATAERR,
	             "%s:%zu: missing column '%s'%s; is it an Epoch AI %s "
	             "CSV?",
	             csv_name(r), csv_line(r), names[0], also.buf, what[kind]);
	strbuf_release(&also);
	return rc;
}

/* idx[f] = column of field f, -1 when absent (optional or unused). */
static enum status
read_header(struct csv_reader *r, enum epoch_kind kind, int idx[F_COUNT])
{
	enum status rc;
	bool eof;

	if ((rc = csv_read(r, &eof)))
		return rc;
	if (eof)
		return err_set(ST_DATAERR, "%s:1: empty file, no header line",
		               csv_name(r));
	for (int f = 0; f < F_COUNT; f++) {
		const struct colspec *c = &specs[kind][f];

		idx[f] = -1;
		for (size_t k = 0; c->names && c->names[k] && idx[f] < 0; k++)
			for (size_t j = 0; j < csv_nfields(r) && idx[f] < 0;
			     j++)
				if (header_is(csv_field(r, j), c->names[k]))
					idx[f] = (int)j;
		if (idx[f] < 0 && c->req)
			return missing(r, kind, c->names);
	}
	return ST_OK;
}

/* ---- values ------------------------------------------------------------ */

static bool
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * A plain decimal >= 0: digits (optionally grouped 1,234,567), a
 * fraction, an exponent.  No sign, no unit, no hex, inf or nan.
 */
static bool
number(const char *s, double *out)
{
	char buf[64], *end;
	size_t n = 0, run = 0;
	bool grouped = strchr(s, ',') != NULL, in_int = true;

	for (const char *p = s; *p; p++) {
		if (*p == ',') {
			/* a group separator between whole groups of 3 */
			if (!in_int || !run || (n > run && run != 3) ||
			    run > 3 || !isdigit((unsigned char)p[1]))
				return false;
			run = 0;
			continue;
		}
		if (n + 1 >= sizeof(buf))
			return false;
		if (isdigit((unsigned char)*p))
			run++;
		else if (*p == '.' || *p == 'e' || *p == 'E') {
			if (in_int && grouped && run != 3)
				return false;
			in_int = false;
		} else if (!((*p == '+' || *p == '-') && n &&
		             (buf[n - 1] == 'e' || buf[n - 1] == 'E')))
			return false;
		buf[n++] = *p;
	}
	if (in_int && grouped && run != 3)
		return false;
	buf[n] = '\0';
	if (!n || !isdigit((unsigned char)buf[0]))
		return false;
	*out = strtod(buf, &end);
	return *end == '\0' && isfinite(*out) && *out >= 0;
}

static bool
ymd_ok(int y, int m, int d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};

	return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= mdays[m - 1];
}

/*
 * s as a date: YYYY-MM-DD (a time after ' ' or 'T' ignored), YYYY-MM,
 * and with quarters allowed 2025Q3, 2025 Q3 or Q3 2025.  iso gets the
 * date (YYYY-MM-DD or YYYY-MM; a quarter becomes its last month),
 * period its quarter label.
 */
static bool
date(const char *s, bool quarters, char iso[11], char period[7])
{
	size_t n = strlen(s);
	int y, m, d = 0;
	bool day = false;

	if (n >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
	    s[7] == '-' && digits(s + 8, 2) &&
	    (n == 10 || s[10] == ' ' || s[10] == 'T'))
		y = atoi(s), m = atoi(s + 5), d = atoi(s + 8), day = true;
	else if (n == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2))
		y = atoi(s), m = atoi(s + 5);
	else if (quarters && (n == 6 || (n == 7 && s[4] == ' ')) &&
	         digits(s, 4) && s[n - 2] == 'Q' && s[n - 1] >= '1' &&
	         s[n - 1] <= '4')
		y = atoi(s), m = 3 * (s[n - 1] - '0');
	else if (quarters && n == 7 && s[0] == 'Q' && s[1] >= '1' &&
	         s[1] <= '4' && s[2] == ' ' && digits(s + 3, 4))
		y = atoi(s + 3), m = 3 * (s[1] - '0');
	else
		return false;
	if (!ymd_ok(y, m, day ? d : 1) || (day && !d))
		return false;
	/* ymd_ok bounds the values; the masks tell the compiler */
	if (day)
		snprintf(iso, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
		         (unsigned)m % 100u, (unsigned)d % 100u);
	else
		snprintf(iso, 11, "%04u-%02u", (unsigned)y % 10000u,
		         (unsigned)m % 100u);
	snprintf(period, 7, "%04uQ%u", (unsigned)y % 10000u,
	         (unsigned)(m - 1) / 3u % 4u + 1u);
	return true;
}

/* ---- epoch_parse ------------------------------------------------------- */

struct cells {
	struct strbuf s[F_COUNT]; /* clean text of each field */
	char iso[11];
};

static const char *
cell(struct cells *c, struct csv_reader *r, const int *idx, int f)
{
	const char *v = idx[f] < 0 ? "" : csv_field(r, (size_t)idx[f]);

	strbuf_reset(&c->s[f]);
	text_sanitize(&c->s[f], v, strlen(v), TEXT_LINE, 1000);
	return c->s[f].buf ? c->s[f].buf : "";
}

static enum status
bad(struct csv_reader *r, const char *what, const char *v)
{
	return err_set(ST_DATAERR, "%s:%zu: %s '%s'", csv_name(r), csv_line(r),
	               what, v);
}

/* Fill row from the record r holds; its errors name file:line. */
static enum status
parse_row(struct csv_reader *r, enum epoch_kind kind, const int *idx,
          struct cells *c, struct epoch_row *row)
{
	const char *v;

	memset(row, 0, sizeof(*row));
	row->line = csv_line(r);
	row->owner = cell(c, r, idx, F_OWNER);
	row->name = cell(c, r, idx, F_NAME);
	if (kind != EPOCH_CHIP_OWNERS && !*row->name)
		return bad(r, "empty name", "");
	if (!*row->owner && kind != EPOCH_MODELS)
		return bad(r, "empty owner for", row->name);
	v = cell(c, r, idx, F_DATE);
	row->date = "";
	if (*v && !date(v, kind == EPOCH_CHIP_OWNERS, c->iso, row->period))
		return bad(r, "not a date (YYYY-MM-DD):", v);
	if (*v)
		row->date = c->iso;
	else if (kind == EPOCH_CHIP_OWNERS)
		return bad(r, "no date for owner", row->owner);
	v = cell(c, r, idx, F_H100E);
	row->h100e = -1;
	if (*v && !number(v, &row->h100e))
		return bad(r, "H100e is not a plain number >= 0:", v);
	v = cell(c, r, idx, F_POWER);
	row->power_mw = -1;
	if (*v && !number(v, &row->power_mw))
		return bad(r, "power (MW) is not a plain number >= 0:", v);
	row->flop = cell(c, r, idx, F_FLOP);
	if (*row->flop && !number(row->flop, &(double){0}))
		return bad(
		    r, "training compute (FLOP) is not a number:", row->flop);
	row->chip = cell(c, r, idx, F_CHIP);
	row->hardware = cell(c, r, idx, F_HW);
	v = cell(c, r, idx, F_STATUS);
	row->counts = idx[F_STATUS] < 0 || !strcasecmp(v, "Existing");
	return ST_OK;
}

enum status
epoch_parse(struct csv_reader *r, enum epoch_kind kind,
            enum status (*fn)(void *ctx, const struct epoch_row *row),
            void *ctx)
{
	struct cells c;
	struct epoch_row row;
	int idx[F_COUNT];
	enum status rc;
	bool eof;

	for (int f = 0; f < F_COUNT; f++)
		strbuf_init(&c.s[f], 0);
	rc = read_header(r, kind, idx);
	while (!rc && !(rc = csv_read(r, &eof)) && !eof)
		if (!(rc = parse_row(r, kind, idx, &c, &row)))
			rc = fn(ctx, &row);
	for (int f = 0; f < F_COUNT; f++)
		strbuf_release(&c.s[f]);
	return rc;
}

bool
epoch_kind_from_name(const char *name, enum epoch_kind *out)
{
	static const char *const names[] = {
	    [EPOCH_CHIP_OWNERS] = "epoch-chip-owners",
	    [EPOCH_GPU_CLUSTERS] = "epoch-gpu-clusters",
	    [EPOCH_MODELS] = "epoch-models"};

	for (int k = 0; k < 3; k++)
		if (!strcmp(name, names[k])) {
			*out = (enum epoch_kind)k;
			return true;
		}
	return false;
}

/* ---- a small string set ------------------------------------------------ */

/* Keys (copied, compared as given) to a size_t value. */
struct set {
	char **keys;
	size_t *vals;
	size_t cap, n;
};

static size_t
slot(const struct set *s, const char *key)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	i = (size_t)h & (s->cap - 1);
	while (s->keys[i] && strcmp(s->keys[i], key))
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* *val = the value of key, or 0 when key is absent. */
static size_t
set_get(const struct set *s, const char *key)
{
	return s->cap ? s->vals[slot(s, key)] : 0;
}

/* Add key with val (> 0); false when key was there already. */
static bool
set_put(struct set *s, const char *key, size_t val)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct set g = {NULL, NULL, s->cap ? 2 * s->cap : 64, s->n};

		g.keys = xcalloc(g.cap, sizeof(*g.keys));
		g.vals = xcalloc(g.cap, sizeof(*g.vals));
		for (size_t j = 0; j < s->cap; j++)
			if (s->keys[j]) {
				size_t k = slot(&g, s->keys[j]);

				g.keys[k] = s->keys[j];
				g.vals[k] = s->vals[j];
			}
		free(s->keys);
		free(s->vals);
		*s = g;
	}
	i = slot(s, key);
	if (s->keys[i])
		return false;
	s->keys[i] = xstrdup(key);
	s->vals[i] = val;
	s->n++;
	return true;
}

static void
set_free(struct set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

/* Lower-cased key of up to three parts, for duplicate detection. */
static const char *
key3(struct strbuf *k, const char *a, const char *b, const char *c)
{
	strbuf_reset(k);
	strbuf_addf(k, "%s\x1f%s\x1f%s", a, b, c);
	for (size_t i = 0; i < k->len; i++)
		k->buf[i] = (char)tolower((unsigned char)k->buf[i]);
	return k->buf;
}

/* ---- epoch_import -------------------------------------------------------- */

/* Compute of one owner in one quarter (chip owners). */
struct agg {
	int64_t eid;
	char period[7];
	double h100e;
	size_t rows;
	struct strbuf chips;
};

/* One cluster that counts (GPU clusters); q = year * 4 + quarter - 1. */
struct cluster {
	int64_t eid;
	int q;
	double h100e, mw;
};

/* A name that maps to no entity: reported once, with its row count. */
struct unknown {
	char *name;
	size_t rows, line;
};

struct imp {
	struct db *db;
	struct own *own;
	struct own_report *rep;
	enum epoch_kind kind;
	const char *path;
	struct set names; /* lower-case name -> 1 + index into eids */
	int64_t *eids;    /* 0: maps to nothing */
	size_t neids;
	struct set unknown_at; /* lower-case name -> 1 + index */
	struct unknown *unknown;
	size_t nunknown;
	struct set dups; /* key -> line */
	struct strbuf key;
	struct set agg_at; /* "eid period" -> 1 + index */
	struct agg *agg;
	size_t nagg;
	struct cluster *cl;
	size_t ncl;
	int qmax;
	size_t no_value, not_existing, no_date;
	char source[400];
};

static void
note_unknown(struct imp *im, const char *name, size_t line)
{
	const char *k = key3(&im->key, name, "", "");
	size_t i = set_get(&im->unknown_at, k);

	if (!i) {
		im->unknown = xreallocarray(im->unknown, im->nunknown + 1,
		                            sizeof(*im->unknown));
		im->unknown[im->nunknown] =
		    (struct unknown){xstrdup(name), 0, line};
		set_put(&im->unknown_at, k, i = ++im->nunknown);
	}
	im->unknown[i - 1].rows++;
}

/* The entity name (or a part of a list "A, B") stands for; 0: none. */
static enum status
resolve(struct imp *im, const char *name, size_t line, int64_t *eid)
{
	size_t i = set_get(&im->names, key3(&im->key, name, "", ""));
	enum status rc = ST_OK;

	if (!i) {
		char *copy = xstrdup(name), *part, *save = NULL;

		if (!(rc = entity_find(im->db, name, eid)) && !*eid)
			for (part = strtok_r(copy, ",;", &save);
			     part && !*eid && !rc;
			     part = strtok_r(NULL, ",;", &save))
				rc = entity_find(im->db, part, eid);
		free(copy);
		if (rc)
			return rc;
		im->eids =
		    xreallocarray(im->eids, im->neids + 1, sizeof(*im->eids));
		im->eids[im->neids] = *eid;
		set_put(&im->names, key3(&im->key, name, "", ""),
		        i = ++im->neids);
	}
	*eid = im->eids[i - 1];
	if (!*eid && *name)
		note_unknown(im, name, line);
	return rc;
}

/* A second row with the same key is an error naming both lines. */
static enum status
unique(struct imp *im, const struct epoch_row *row, const char *what,
       const char *a, const char *b, const char *c)
{
	const char *k = key3(&im->key, a, b, c);
	size_t first = set_get(&im->dups, k);

	if (!first) {
		set_put(&im->dups, k, row->line);
		return ST_OK;
	}
	return err_set(ST_DATAERR,
	               "%s:%zu: duplicate row: %s already on line %zu",
	               im->path, row->line, what, first);
}

static enum status
owner_row(void *ctx, const struct epoch_row *row)
{
	struct imp *im = ctx;
	struct agg *a;
	char k[40];
	int64_t eid;
	size_t i;
	enum status rc;

	im->rep->rows++;
	if ((rc = unique(im, row, "same owner, period and chip", row->owner,
	                 row->period, row->chip)) ||
	    (rc = resolve(im, row->owner, row->line, &eid)) || !eid)
		return rc;
	if (row->h100e < 0) {
		im->no_value++;
		return ST_OK;
	}
	snprintf(k, sizeof(k), "%lld %s", (long long)eid, row->period);
	if (!(i = set_get(&im->agg_at, k))) {
		im->agg =
		    xreallocarray(im->agg, im->nagg + 1, sizeof(*im->agg));
		a = &im->agg[im->nagg];
		memset(a, 0, sizeof(*a));
		strbuf_init(&a->chips, 0);
		a->eid = eid;
		memcpy(a->period, row->period, sizeof(a->period));
		set_put(&im->agg_at, k, i = ++im->nagg);
	}
	a = &im->agg[i - 1];
	a->h100e += row->h100e;
	a->rows++;
	if (*row->chip && a->chips.len < 200)
		strbuf_addf(&a->chips, "%s%s", a->chips.len ? ", " : "",
		            row->chip);
	return ST_OK;
}

static enum status
cluster_row(void *ctx, const struct epoch_row *row)
{
	struct imp *im = ctx;
	int64_t eid;
	int q;
	enum status rc;

	im->rep->rows++;
	if ((rc = unique(im, row, "same cluster name and owner", row->name,
	                 row->owner, "")))
		return rc;
	if (!row->counts || !*row->period || row->h100e < 0) {
		im->not_existing += !row->counts;
		im->no_date += row->counts && !*row->period;
		im->no_value += row->counts && *row->period;
		return ST_OK;
	}
	q = atoi(row->period) * 4 + (row->period[5] - '1');
	if (q > im->qmax)
		im->qmax = q;
	if ((rc = resolve(im, row->owner, row->line, &eid)) || !eid)
		return rc;
	im->cl = xreallocarray(im->cl, im->ncl + 1, sizeof(*im->cl));
	im->cl[im->ncl++] = (struct cluster){
	    eid, q, row->h100e, row->power_mw < 0 ? 0 : row->power_mw};
	return ST_OK;
}

static enum status
model_row(void *ctx, const struct epoch_row *row)
{
	struct imp *im = ctx;
	struct own_model m;
	int64_t eid = 0;
	bool changed;
	enum status rc;

	im->rep->rows++;
	if ((rc = unique(im, row, "same model name", row->name, "", "")) ||
	    (rc = resolve(im, row->owner, row->line, &eid)))
		return rc;
	m = (struct own_model){row->name, row->owner,    eid,       row->date,
	                       row->flop, row->hardware, im->source};
	if ((rc = own_put_model(im->own, &m, &changed)))
		return err_set(rc, "%s:%zu: %s", im->path, row->line,
		               err_msg());
	im->rep->changed += changed;
	return ST_OK;
}

/* "2025Q3" -> "2025-09-30". */
static void
quarter_end(const char *period, char out[11])
{
	static const char *const ends[] = {"03-31", "06-30", "09-30", "12-31"};

	snprintf(out, 11, "%.4s-%s", period, ends[(period[5] - '1') & 3]);
}

static enum status
put_compute(struct imp *im, const struct own_compute *c)
{
	bool changed;
	enum status rc = own_put_compute(im->own, c, &changed);

	im->rep->changed += changed;
	im->rep->computed++;
	return rc;
}

static enum status
store_owners(struct imp *im)
{
	enum status rc = ST_OK;

	for (size_t i = 0; i < im->nagg && !rc; i++) {
		struct agg *a = &im->agg[i];
		char end[11], note[300] = "";
		struct own_compute c;

		quarter_end(a->period, end);
		if (a->rows > 1)
			snprintf(note, sizeof(note), "sum of %zu rows%s%s%s",
			         a->rows, a->chips.len ? " (" : "",
			         a->chips.len ? a->chips.buf : "",
			         a->chips.len ? ")" : "");
		c = (struct own_compute){
		    a->eid,
		    a->period,
		    a->h100e,
		    a->rows == 1 && a->chips.len ? a->chips.buf : NULL,
		    im->source,
		    end,
		    *note ? note : NULL,
		    "epoch-chip-owners",
		    "medium"};
		rc = put_compute(im, &c);
	}
	return rc;
}

static int
by_owner_quarter(const void *a, const void *b)
{
	const struct cluster *x = a, *y = b;

	if (x->eid != y->eid)
		return x->eid < y->eid ? -1 : 1;
	return (x->q > y->q) - (x->q < y->q);
}

/* Each owner's known clusters, cumulated quarter by quarter. */
static enum status
store_clusters(struct imp *im)
{
	enum status rc = ST_OK;
	size_t i = 0;

	qsort(im->cl, im->ncl, sizeof(*im->cl), by_owner_quarter);
	while (i < im->ncl && !rc) {
		size_t j = i, n = 0;
		double h = 0, mw = 0;

		for (int q = im->cl[i].q; q <= im->qmax && !rc; q++) {
			char period[12], end[11], note[200];
			struct own_compute c;

			for (; j < im->ncl && im->cl[j].eid == im->cl[i].eid &&
			       im->cl[j].q == q;
			     j++, n++)
				h += im->cl[j].h100e, mw += im->cl[j].mw;
			snprintf(period, sizeof(period), "%04uQ%u",
			         (unsigned)q / 4u % 10000u,
			         (unsigned)q % 4u + 1u);
			quarter_end(period, end);
			snprintf(note, sizeof(note),
			         "%zu known cluster%s operational by quarter "
			         "end, %.0f MW; known clusters only (a lower "
			         "bound)",
			         n, n == 1 ? "" : "s", mw);
			c = (struct own_compute){
			    im->cl[i].eid, period, h,    NULL,
			    im->source,    end,    note, "epoch-gpu-clusters",
			    "low"};
			rc = put_compute(im, &c);
		}
		i = j;
	}
	return rc;
}

static void
write_notes(struct imp *im)
{
	struct strbuf *o = &im->rep->notes;

	for (size_t i = 0; i < im->nunknown; i++)
		strbuf_addf(
		    o,
		    "line %zu: '%s' matches no entity or alias: %zu "
		    "row%s %s (add an alias to count it)\n",
		    im->unknown[i].line, im->unknown[i].name,
		    im->unknown[i].rows, im->unknown[i].rows == 1 ? "" : "s",
		    im->kind == EPOCH_MODELS ? "stored without an entity"
		                             : "left out");
	if (im->no_value)
		strbuf_addf(o, "%zu row%s without H100e left out\n",
		            im->no_value, im->no_value == 1 ? "" : "s");
	if (im->not_existing)
		strbuf_addf(o,
		            "%zu cluster%s not 'Existing' (planned, "
		            "decommissioned...) left out\n",
		            im->not_existing, im->not_existing == 1 ? "" : "s");
	if (im->no_date)
		strbuf_addf(o,
		            "%zu cluster%s without a first operational date "
		            "left out\n",
		            im->no_date, im->no_date == 1 ? "" : "s");
}

static void
imp_free(struct imp *im)
{
	for (size_t i = 0; i < im->nagg; i++)
		strbuf_release(&im->agg[i].chips);
	for (size_t i = 0; i < im->nunknown; i++)
		free(im->unknown[i].name);
	free(im->agg);
	free(im->unknown);
	free(im->eids);
	free(im->cl);
	set_free(&im->names);
	set_free(&im->unknown_at);
	set_free(&im->dups);
	set_free(&im->agg_at);
	strbuf_release(&im->key);
	own_close(im->own);
}

static enum status
run(struct imp *im, struct csv_reader *r)
{
	static enum status (*const fns[])(void *, const struct epoch_row *) = {
	    owner_row, cluster_row, model_row};
	static const char *const origins[] = {
	    "epoch-chip-owners", "epoch-gpu-clusters", "epoch-models"};
	enum status rc;

	if ((rc = own_open(im->db, &im->own)) ||
	    (rc = own_keep_begin(im->own)) ||
	    (rc = epoch_parse(r, im->kind, fns[im->kind], im)))
		return rc;
	if (!im->rep->rows)
		return err_set(ST_DATAERR,
		               "%s:%zu: no data rows (a truncated download?)",
		               im->path, csv_line(r));
	if (im->kind == EPOCH_CHIP_OWNERS)
		rc = store_owners(im);
	else if (im->kind == EPOCH_GPU_CLUSTERS)
		rc = store_clusters(im);
	if (!rc)
		rc = own_keep_end(im->own, origins[im->kind],
		                  im->kind == EPOCH_MODELS, &im->rep->changed);
	if (!rc)
		write_notes(im);
	return rc;
}

/* Parse r into the caller's transaction; label names the document. */
static enum status
load(struct db *db, enum epoch_kind kind, struct csv_reader *r,
     const char *label, struct own_report *rep)
{
	static const char *const titles[] = {"AI Chip Owners", "GPU Clusters",
	                                     "Notable AI Models"};
	struct imp im = {.db = db, .rep = rep, .kind = kind, .path = label};
	const char *base = strrchr(label, '/');
	enum status rc;

	strbuf_init(&im.key, 0);
	snprintf(im.source, sizeof(im.source),
	         "Epoch AI, %s (CC BY 4.0, https://epoch.ai/data), file %s",
	         titles[kind], base && base[1] ? base + 1 : label);
	rc = run(&im, r);
	imp_free(&im);
	return rc;
}

enum status
epoch_import(struct db *db, enum epoch_kind kind, const char *path,
             struct own_report *rep)
{
	struct csv_reader *r;
	enum status rc;

	if ((rc = csv_reader_open(&r, path)))
		return rc;
	if (!(rc = db_begin(db)))
		rc = load(db, kind, r, path, rep);
	csv_reader_free(r);
	if (rc) {
		db_rollback(db);
		rep->changed = 0;
		return rc;
	}
	return db_commit(db);
}

enum status
epoch_import_mem(struct db *db, enum epoch_kind kind, const char *name,
                 const char *data, size_t len, struct own_report *rep)
{
	struct csv_reader *r;
	enum status rc = csv_reader_open_mem(&r, name, data, len);

	if (!rc)
		rc = load(db, kind, r, name, rep);
	csv_reader_free(r);
	return rc;
}
