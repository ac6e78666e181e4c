#include "db/holdings.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/stmt.h"
#include "lib/idmap.h"
#include "lib/xalloc.h"

/*
 * One pass over the table in rowid order, the newest-most-confident pick
 * and the order done in C: the window query this replaces sorted the whole
 * table twice in SQLite and copied every row's source and note (1.36 s
 * against 0.03 s for a plain scan of 240,000 holdings).
 */
static const char holdings_sql[] =
    "SELECT id, investor_id, firm_id, own_pct, ctrl_pct, as_of,"
    " CASE confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "  WHEN 'low' THEN 2 ELSE 3 END FROM holding"
    " WHERE ?1 IS NULL OR ifnull(as_of, '') <= ?1";

static const char name_sql[] = "SELECT name FROM entity WHERE id = ?1";

/* A row as read; date is an index into struct reader's dates. */
struct raw {
	int64_t id, investor, firm;
	double own, ctrl;
	int32_t date; /* -1: NULL */
	int32_t key;  /* sort key of the date (key_dates) */
	int32_t rank; /* confidence, 0 best */
};

/* Interned strings: each distinct date and name is stored once. */
struct reader {
	struct holdings *h;
	size_t used; /* bytes used in the last block */
	const char **dates;
	size_t ndates;
	int32_t last;  /* the previous row's date: rows come in runs */
	size_t *slots; /* open addressing: date index + 1, 0 = empty */
	size_t nslots;
};

enum { BLOCK = 64 * 1024 };

static const char *
store(struct reader *rd, const char *s, size_t len)
{
	struct holdings *h = rd->h;
	char *p;

	if (!h->nstrings || rd->used + len + 1 > BLOCK) {
		size_t size = len + 1 > BLOCK ? len + 1 : BLOCK;

		h->strings = xreallocarray(h->strings, h->nstrings + 1,
		                           sizeof(*h->strings));
		h->strings[h->nstrings++] = xmalloc(size);
		/* an oversized string fills its own block */
		rd->used = len + 1 > BLOCK ? BLOCK : len + 1;
		p = h->strings[h->nstrings - 1];
	} else {
		p = h->strings[h->nstrings - 1] + rd->used;
		rd->used += len + 1;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static size_t
hash(const unsigned char *s, size_t len)
{
	uint64_t x = 14695981039346656037u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		x = (x ^ s[i]) * 1099511628211u;
	return (size_t)x;
}

static void
rehash(struct reader *rd)
{
	size_t n = rd->nslots ? 2 * rd->nslots : 64;

	free(rd->slots);
	rd->slots = xcalloc(n, sizeof(*rd->slots));
	rd->nslots = n;
	for (size_t i = 0; i < rd->ndates; i++) {
		const char *d = rd->dates[i];
		size_t k = hash((const unsigned char *)d, strlen(d)) & (n - 1);

		while (rd->slots[k])
			k = (k + 1) & (n - 1);
		rd->slots[k] = i + 1;
	}
}

static bool
same_date(const char *d, const unsigned char *s, size_t len)
{
	return !strncmp(d, (const char *)s, len) && !d[len];
}

/* The index of date s (len bytes), stored on first sight. */
static int32_t
date_index(struct reader *rd, const unsigned char *s, size_t len)
{
	size_t k;

	if (rd->last >= 0 && same_date(rd->dates[rd->last], s, len))
		return rd->last;
	if (2 * (rd->ndates + 1) > rd->nslots)
		rehash(rd);
	k = hash(s, len) & (rd->nslots - 1);
	for (; rd->slots[k]; k = (k + 1) & (rd->nslots - 1))
		if (same_date(rd->dates[rd->slots[k] - 1], s, len))
			return rd->last = (int32_t)(rd->slots[k] - 1);
	assert(rd->ndates < INT32_MAX);
	rd->dates =
	    xreallocarray(rd->dates, rd->ndates + 1, sizeof(*rd->dates));
	rd->dates[rd->ndates] = store(rd, (const char *)s, len);
	rd->slots[k] = rd->ndates + 1;
	return rd->last = (int32_t)rd->ndates++;
}

static double
frac(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col) / 100.0;
}

static void
read_row(struct reader *rd, sqlite3_stmt *st, struct raw *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->investor = sqlite3_column_int64(st, 1);
	r->firm = sqlite3_column_int64(st, 2);
	r->own = frac(st, 3);
	/* control not disclosed: proportional to ownership */
	r->ctrl =
	    sqlite3_column_type(st, 4) == SQLITE_NULL ? r->own : frac(st, 4);
	r->date = -1;
	if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
		const unsigned char *s = sqlite3_column_text(st, 5);

		r->date =
		    date_index(rd, s, (size_t)sqlite3_column_bytes(st, 5));
	}
	r->rank = sqlite3_column_int(st, 6);
}

static enum status
read_all(struct db *db, const char *end, struct reader *rd, struct raw **out,
         size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	enum status rc;
	int step;

	*out = NULL;
	*n = 0;
	if ((rc = stmt_prepare(db, holdings_sql, &st)))
		return rc;
	stmt_bind_text(st, 1, end);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		read_row(rd, st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? ST_OK
	                           : db_fail(db, "cannot read holdings");
}

struct dated {
	const char *s;
	int32_t i;
};

static int
by_text(const void *a, const void *b)
{
	return strcmp(((const struct dated *)a)->s,
	              ((const struct dated *)b)->s);
}

/*
 * Each row's key: its date's rank in SQL's text order, so that the sort
 * compares integers; "" groups with NULL as one date, as ifnull(as_of,
 * '') did.
 */
static void
key_dates(const struct reader *rd, struct raw *v, size_t n)
{
	struct dated *d = xcalloc(rd->ndates + 1, sizeof(*d));
	int32_t *key = xcalloc(rd->ndates + 1, sizeof(*key));

	for (size_t i = 0; i < rd->ndates; i++)
		d[i] = (struct dated){rd->dates[i], (int32_t)i};
	qsort(d, rd->ndates, sizeof(*d), by_text);
	for (size_t i = 0; i < rd->ndates; i++)
		key[d[i].i] = d[i].s[0] ? (int32_t)i : -1;
	for (size_t i = 0; i < n; i++)
		v[i].key = v[i].date < 0 ? -1 : key[v[i].date];
	free(key);
	free(d);
}

#define CMP(x, y) ((x) < (y) ? -1 : (x) > (y))

/* firm, investor, date (NULL first), then the row that wins first */
static int
by_key(const void *a, const void *b)
{
	const struct raw *x = a, *y = b;
	int c = CMP(x->firm, y->firm);

	if (!c)
		c = CMP(x->investor, y->investor);
	if (!c)
		c = CMP(x->key, y->key);
	if (!c)
		c = CMP(x->rank, y->rank);
	return c ? c : CMP(y->id, x->id);
}

static int
by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return CMP(x, y);
}

/* start[b]: where bucket b's rows go, buckets in firm id order. */
static size_t *
bucket_starts(const struct idmap *f, const size_t *b, size_t n)
{
	int64_t *sorted = xcalloc(f->n + 1, sizeof(*sorted));
	size_t *count = xcalloc(f->n + 1, sizeof(*count));
	size_t *start = xcalloc(f->n + 1, sizeof(*start));

	for (size_t i = 0; i < n; i++)
		count[b[i]]++;
	if (f->n) { /* f->ids is NULL when there are no firms */
		memcpy(sorted, f->ids, f->n * sizeof(*sorted));
		qsort(sorted, f->n, sizeof(*sorted), by_id);
	}
	/* start of the bucket of sorted[r] = rows of sorted[0..r-1] */
	for (size_t r = 0, at = 0; r < f->n; r++) {
		size_t k;

		idmap_find(f, sorted[r], &k);

		start[k] = at;
		at += count[k];
	}
	free(count);
	free(sorted);
	return start;
}

/*
 * v sorted by_key: a stable counting sort by firm, then each firm's rows
 * sorted where they are not already.  A 13F import writes its rows in
 * investor order, so most firms need only the check, and the sort does
 * not move 56-byte rows n log n times (a quarter of the load with qsort).
 */
static struct raw *
sort_rows(struct raw *v, size_t n)
{
	struct idmap f = IDMAP_INIT;
	size_t *b = xcalloc(n + 1, sizeof(*b)), *start;
	struct raw *out = xcalloc(n + 1, sizeof(*out));

	for (size_t i = 0; i < n; i++)
		b[i] = idmap_index(&f, v[i].firm);
	start = bucket_starts(&f, b, n);
	for (size_t i = 0; i < n; i++)
		out[start[b[i]]++] = v[i];
	/* start[k] is now the end of bucket k */
	for (size_t k = 0; k < f.n; k++) {
		size_t e = start[k], s = e;

		while (s > 0 && out[s - 1].firm == f.ids[k])
			s--;
		for (size_t i = s + 1; i < e; i++)
			if (by_key(&out[i - 1], &out[i]) > 0) {
				qsort(out + s, e - s, sizeof(*out), by_key);
				break;
			}
	}
	free(start);
	free(b);
	idmap_release(&f);
	free(v);
	return out;
}

/* Keep the first row of every (firm, investor, date); returns the count. */
static size_t
pick(struct raw *v, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++)
		if (!out || v[i].firm != v[out - 1].firm ||
		    v[i].investor != v[out - 1].investor ||
		    v[i].key != v[out - 1].key)
			v[out++] = v[i];
	return out;
}

struct names {
	struct idmap ids;
	const char **name; /* by index in ids; NULL: no such entity */
};

/* The name of every entity in v, one lookup each. */
static enum status
load_names(struct db *db, struct reader *rd, const struct raw *v, size_t n,
           struct names *nm)
{
	sqlite3_stmt *st;
	enum status rc;

	for (size_t i = 0; i < n; i++) {
		idmap_index(&nm->ids, v[i].investor);
		idmap_index(&nm->ids, v[i].firm);
	}
	nm->name = xcalloc(nm->ids.n + 1, sizeof(*nm->name));
	if ((rc = stmt_prepare(db, name_sql, &st)))
		return rc;
	for (size_t i = 0; i < nm->ids.n && !rc; i++) {
		int step;

		sqlite3_bind_int64(st, 1, nm->ids.ids[i]);
		if ((step = sqlite3_step(st)) == SQLITE_ROW)
			nm->name[i] =
			    store(rd, (const char *)sqlite3_column_text(st, 0),
			          (size_t)sqlite3_column_bytes(st, 0));
		else if (step != SQLITE_DONE)
			rc = db_fail(db, "cannot read holders' names");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

static const char *
name_of(const struct names *nm, int64_t id)
{
	size_t k = 0;
	bool known = idmap_find(&nm->ids, id, &k);

	assert(known); /* every id of v went through load_names() */
	(void)known;
	return nm->name[k];
}

/* The records, dropping rows whose entity is gone (as a join would). */
static void
fill(struct holdings *h, const struct reader *rd, const struct raw *v, size_t n,
     const struct names *nm)
{
	h->rows = xcalloc(n + 1, sizeof(*h->rows));
	for (size_t i = 0; i < n; i++) {
		struct holding_rec *r = &h->rows[h->n];

		r->investor = name_of(nm, v[i].investor);
		r->firm = name_of(nm, v[i].firm);
		if (!r->investor || !r->firm)
			continue;
		r->investor_id = v[i].investor;
		r->firm_id = v[i].firm;
		r->own = v[i].own;
		r->ctrl = v[i].ctrl;
		r->as_of = v[i].date < 0 ? NULL : rd->dates[v[i].date];
		h->n++;
	}
}

enum status
holdings_load(struct db *db, struct holdings *out)
{
	return holdings_load_until(db, NULL, out);
}

enum status
holdings_load_until(struct db *db, const char *end, struct holdings *out)
{
	struct reader rd = {out, 0, NULL, 0, -1, NULL, 0};
	struct names nm = {{NULL, 0, NULL, 0}, NULL};
	struct raw *v;
	enum status rc;
	size_t n;

	memset(out, 0, sizeof(*out));
	rc = read_all(db, end, &rd, &v, &n);
	if (!rc) {
		key_dates(&rd, v, n);
		v = sort_rows(v, n);
		n = pick(v, n);
		rc = load_names(db, &rd, v, n, &nm);
	}
	if (!rc)
		fill(out, &rd, v, n, &nm);
	free(v);
	idmap_release(&nm.ids);
	free(nm.name);
	free(rd.dates);
	free(rd.slots);
	if (rc)
		holdings_release(out);
	return rc;
}
void
holdings_release(struct holdings *h)
{
	for (size_t i = 0; i < h->nstrings; i++)
		free(h->strings[i]);
	free(h->strings);
	free(h->rows);
	memset(h, 0, sizeof(*h));
}

/* The alliance of entity e: own membership, parent's, or anchored. */
#define ALLIANCE_ID(e)                                                         \
	"coalesce((SELECT min(alliance_id) FROM membership"                    \
	" WHERE entity_id = " e ".id), (SELECT min(alliance_id) FROM"          \
	" membership WHERE entity_id = " e ".parent_id), (SELECT min(id)"      \
	" FROM alliance WHERE anchor_id IN (" e ".id, " e ".parent_id)))"

static const char dependence_sql[] =
    "INSERT INTO dependence(lab_id, period, alliance_id, deals,"
    " undisclosed, disclosed_usd, own_cloud_usd, dependence_pct)"
    " WITH d AS (SELECT dl.investor_id AS lab, substr(dl.date, 1, 4) AS yr,"
    "  dl.amount_usd AS usd, " ALLIANCE_ID(
        "l") " AS la,"
             "  " ALLIANCE_ID(
                 "t") " AS ta"
                      "  FROM deal dl JOIN entity l ON l.id = dl.investor_id"
                      "  JOIN entity t ON t.id = dl.target_id"
                      "  WHERE dl.kind IN ('cloud_commitment', "
                      "'compute_supply')"
                      "  AND dl.date IS NOT NULL AND (l.kind = 'lab' OR l.id IN"
                      "  (SELECT entity_id FROM membership WHERE role = "
                      "'lab'))),"
                      " y AS (SELECT DISTINCT lab, yr FROM d)"
                      " SELECT y.lab, y.yr, max(d.la), count(*), sum(d.usd IS "
                      "NULL),"
                      "  sum(d.usd), sum(CASE WHEN d.usd IS NOT NULL THEN"
                      "   CASE WHEN d.ta = d.la THEN d.usd ELSE 0 END END),"
                      "  CASE WHEN max(d.la) IS NOT NULL AND sum(d.usd) > 0 "
                      "THEN 100.0 *"
                      "   sum(CASE WHEN d.ta = d.la THEN d.usd ELSE 0 END) / "
                      "sum(d.usd) END"
                      " FROM y JOIN d ON d.lab = y.lab AND d.yr <= y.yr"
                      " GROUP BY y.lab, y.yr";

enum status
dependence_store(struct db *db)
{
	enum status rc = db_exec(db, "DELETE FROM dependence");

	return rc ? rc : db_exec(db, dependence_sql);
}

static char *
dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? xstrdup((const char *)s) : NULL;
}

static double
num_col(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

enum status
dependence_load(struct db *db, struct dependence_rec **out, size_t *n)
{
	static const char sql[] =
	    "SELECT l.name, a.name, d.period, d.deals, d.undisclosed,"
	    " d.disclosed_usd, d.own_cloud_usd, d.dependence_pct"
	    " FROM dependence d JOIN entity l ON l.id = d.lab_id"
	    " LEFT JOIN alliance a ON a.id = d.alliance_id"
	    " ORDER BY l.name, d.period";
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);
	int step;

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct dependence_rec *r;

		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		r = &(*out)[(*n)++];
		r->lab = dup_col(st, 0);
		r->alliance = dup_col(st, 1);
		r->period = dup_col(st, 2);
		r->deals = sqlite3_column_int(st, 3);
		r->undisclosed = sqlite3_column_int(st, 4);
		r->disclosed_usd = num_col(st, 5);
		r->own_cloud_usd = num_col(st, 6);
		r->dependence_pct = num_col(st, 7);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		dependence_release(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, "cannot read compute dependence");
	}
	return ST_OK;
}

void
dependence_release(struct dependence_rec *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].lab);
		free(rows[i].alliance);
		free(rows[i].period);
	}
	free(rows);
}
