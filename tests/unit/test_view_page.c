/*
 * Keyset paging (db/view.h view_page): read a page at a time, forwards
 * or backwards, a view gives exactly the rows and order view_open()
 * gives (what `oligo export` writes) under every sort the dashboard
 * offers, with ties, NULLs, filters and hostile search text.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "db/view.h"
#include "lib/xalloc.h"
#include "testdb.h"

static char dir[64];

static void
setup(void)
{
	testdb_mkdir(dir, sizeof(dir), "page");
}

static void
teardown(void)
{
	testdb_rmdir(dir);
}

TestSuite(view_page, .init = setup, .fini = teardown);

static void
exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	cr_assert_eq(sqlite3_exec(db_handle(db), sql, NULL, NULL, &msg),
	             SQLITE_OK, "%s", msg ? msg : "");
}

/*
 * n items in groups of 7 sharing a published time (ties), every 50th
 * without one (NULL); titles repeat so a text sort has ties too; every
 * third item tagged with the first entity.  20 filings, some NULLs.
 */
static struct db *
open_items(int n)
{
	struct db *db = testdb_open(dir);
	char sql[2048];

	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO source(name, kind, url) VALUES"
	    " ('feed a', 'rss', 'http://a/'), ('feed b', 'rss', 'http://b/');"
	    "INSERT INTO item(source_id, guid, title, link, summary,"
	    " published, fetched)"
	    " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	    "  WHERE i < %d)"
	    " SELECT 1 + i %% 2, 'g' || i,"
	    "  CASE i %% 5 WHEN 0 THEN 'Cloud deal ' || (i %% 11)"
	    "   ELSE 'Routine item ' || (i %% 13) END,"
	    "  'https://e.com/' || i, 'summary ' || i,"
	    "  CASE WHEN i %% 50 = 0 THEN NULL"
	    "   ELSE printf('2024-%%02d-%%02dT00:00:00Z', 1 + i / 7 %% 12,"
	    "    1 + i / 84 %% 28) END, '2024-01-01' FROM n;"
	    "INSERT INTO item_entity(item_id, entity_id)"
	    " SELECT id, (SELECT min(id) FROM entity) FROM item"
	    " WHERE id %% 3 = 0;"
	    "INSERT INTO filing(accession, cik, company, form, filed,"
	    " accepted, url)"
	    " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	    "  WHERE i < 20)"
	    " SELECT 'acc-' || i, '1', 'Company ' || (i %% 3),"
	    "  CASE WHEN i %% 4 THEN '10-K' END, date('2024-01-01',"
	    "  '+' || (i / 3) || ' days'),"
	    "  CASE WHEN i %% 2 THEN '2024-01-01T10:00:00Z' END,"
	    "  'https://sec.gov/' || i FROM n;",
	    n);
	exec(db, sql);
	return db;
}

struct list {
	char **s;
	size_t n;
};

static void
list_add(struct list *l, const char *s)
{
	l->s = xreallocarray(l->s, l->n + 1, sizeof(*l->s));
	l->s[l->n++] = xstrdup(s ? s : "(null)");
}

static void
list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	memset(l, 0, sizeof(*l));
}

/* What identifies a row on the screen: its link or url. */
static size_t
id_col(const struct view_def *v)
{
	int c = view_col_index(v, "link");

	return (size_t)(c >= 0 ? c : view_col_index(v, "url"));
}

static void
read_whole(struct db *db, const struct view_def *v, const struct view_filter *f,
           struct list *out)
{
	struct view_cursor *c;
	bool row;

	cr_assert_eq(view_open(db, v, f, &c), ST_OK, "%s", err_msg());
	while (view_step(c, &row) == ST_OK && row)
		list_add(out, view_text(c, id_col(v)));
	view_close(c);
}

/* Every row, a page of `size` at a time, forwards (or backwards, then
 * turned around). */
static void
read_paged(struct view_pager *p, const struct view_def *v, size_t size,
           bool backward, struct list *out)
{
	struct view_mark m = {0};
	bool have = false;

	for (;;) {
		struct view_cursor *c;
		size_t got = 0;
		bool row;

		cr_assert_eq(view_page(p, have ? &m : NULL,
		                       backward ? VIEW_BEFORE : VIEW_AFTER,
		                       size, &c),
		             ST_OK, "%s", err_msg());
		while (view_step(c, &row) == ST_OK && row) {
			list_add(out, view_text(c, id_col(v)));
			view_mark_release(&m);
			view_mark(c, &m);
			have = true;
			got++;
		}
		view_close(c);
		cr_assert_leq(got, size);
		if (got < size)
			break;
	}
	view_mark_release(&m);
	for (size_t i = 0; backward && i < out->n / 2; i++) {
		char *t = out->s[i];

		out->s[i] = out->s[out->n - 1 - i];
		out->s[out->n - 1 - i] = t;
	}
}

static void
assert_same(const struct list *want, const struct list *got, const char *what)
{
	cr_assert_eq(got->n, want->n, "%s: %zu rows paged, %zu whole", what,
	             got->n, want->n);
	for (size_t i = 0; i < want->n; i++)
		cr_assert_str_eq(got->s[i], want->s[i], "%s: row %zu", what, i);
}

/* Paged both ways under f equals view_open() under f. */
static void
check_view(struct db *db, const char *name, const struct view_filter *f,
           size_t size)
{
	const struct view_def *v = view_find(name);
	struct list whole = {0}, fwd = {0}, back = {0};
	struct view_pager *p;
	char what[160];
	size_t n;

	snprintf(what, sizeof(what), "%s sort %s search %s", name,
	         f->sort ? f->sort : "default", f->search ? f->search : "none");
	read_whole(db, v, f, &whole);
	cr_assert_eq(view_pager_new(db, v, f, &p), ST_OK, "%s", err_msg());
	read_paged(p, v, size, false, &fwd);
	read_paged(p, v, size, true, &back);
	assert_same(&whole, &fwd, what);
	assert_same(&whole, &back, what);
	cr_assert_eq(view_pager_count(p, NULL, 1000000, &n), ST_OK);
	cr_assert_eq(n, whole.n, "%s: count", what);
	view_pager_free(p);
	list_free(&whole);
	list_free(&fwd);
	list_free(&back);
}

Test(view_page, every_sort_both_ways_equals_the_whole_view)
{
	static const char *const news[] = {
	    NULL,    "published", "-published", "source",    "-source",
	    "title", "-title",    "entities",   "-entities", "link",
	};
	static const char *const filings[] = {
	    NULL,       "filed",     "-filed",    "company",
	    "-company", "form",      "-form",     "entity",
	    "accepted", "-accepted", "accession", "-accession",
	};
	struct db *db = open_items(700);

	for (size_t i = 0; i < sizeof(news) / sizeof(news[0]); i++) {
		struct view_filter f = {.sort = news[i]};

		check_view(db, "news", &f, 7); /* a page splits ties */
		check_view(db, "news", &f, 64);
	}
	for (size_t i = 0; i < sizeof(filings) / sizeof(filings[0]); i++) {
		struct view_filter f = {.sort = filings[i]};

		check_view(db, "filings", &f, 3);
	}
	db_close(db);
}

Test(view_page, filters_and_hostile_search)
{
	static const char *const search[] = {
	    "routine", "cloud deal", "10-K",  "AND", "\"",   "a OR",  "NEAR(",
	    "(",       "*",          "col:x", "NOT", "a\"b", "clou*",
	};
	struct db *db = open_items(700);
	char *entity;
	sqlite3_stmt *st;

	for (size_t i = 0; i < sizeof(search) / sizeof(search[0]); i++) {
		struct view_filter f = {.search = search[i]};
		struct view_filter g = {.search = search[i], .sort = "title"};

		check_view(db, "news", &f, 10);
		check_view(db, "news", &g, 10);
	}
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db),
	                                "SELECT name FROM entity ORDER BY id",
	                                -1, &st, NULL),
	             SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	entity = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	{
		struct view_filter f = {.entity = entity};
		struct view_filter g = {.since = "2024-06-01",
		                        .until = "2024-09",
		                        .sort = "-published"};
		struct view_filter h = {.entity = entity, .search = "routine"};

		check_view(db, "news", &f, 9);
		check_view(db, "news", &g, 9);
		check_view(db, "news", &h, 9);
	}
	free(entity);
	db_close(db);
}

/* The name of the entity with the largest id (caller frees). */
static char *
last_entity(struct db *db)
{
	sqlite3_stmt *st;
	char *name;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db),
	                                "SELECT name FROM entity"
	                                " ORDER BY id DESC LIMIT 1",
	                                -1, &st, NULL),
	             SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	name = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return name;
}

/* 12,000 matches of 15,000 items: the search (and an entity on 6 items
 * of 7) walks the date index with a bitmap of the matches instead of
 * sorting them; the rows must not change. */
Test(view_page, common_term_search)
{
	struct db *db = open_items(15000);
	char *entity = last_entity(db);
	struct view_filter f = {.search = "routine"};
	struct view_filter g = {.search = "summary", .sort = "published"};
	struct view_filter h = {.entity = entity, .search = "deal"};
	struct view_filter k = {.entity = entity, .sort = "-published"};

	exec(db, "INSERT INTO item_entity(item_id, entity_id)"
	         " SELECT id, (SELECT max(id) FROM entity) FROM item"
	         " WHERE id % 7;");
	check_view(db, "news", &f, 500);
	check_view(db, "news", &g, 500);
	check_view(db, "news", &h, 500);
	check_view(db, "news", &k, 500);
	free(entity);
	db_close(db);
}

/* A search's bitmap is read a chunk of 16,384 keys at a time as rows
 * are tested: with 50,000 items whose dates run against their ids (the
 * chunks filled out of order, some never) and a gap in the ids, the
 * rows must still be exactly the whole view's. */
Test(view_page, common_term_search_across_chunks)
{
	struct db *db = open_items(50000);
	struct view_filter f = {.search = "routine"};
	struct view_filter g = {.search = "summary", .sort = "-published"};
	struct view_filter h = {.search = "routine", .source = "feed b"};

	exec(db,
	     "UPDATE item SET published = printf('2023-%02d-%02dT%02d:00:00Z',"
	     " 1 + id * 7919 % 12, 1 + id * 31 % 28, id * 13 % 24)"
	     " WHERE published IS NOT NULL;"
	     "DELETE FROM item_entity WHERE item_id BETWEEN 16000 AND 33000;"
	     "DELETE FROM item WHERE id BETWEEN 16000 AND 33000;");
	check_view(db, "news", &f, 700);
	check_view(db, "news", &g, 300);
	check_view(db, "news", &h, 900);
	db_close(db);
}

/* A row given a huge id by hand: the search keeps its rows without a
 * bitmap reaching that id (2^40 bits would be 128 GB). */
Test(view_page, common_term_search_with_a_huge_key)
{
	struct db *db = open_items(12000);
	struct view_filter f = {.search = "routine"};
	struct view_filter g = {.search = "summary", .sort = "published"};

	exec(db, "INSERT INTO item(id, source_id, guid, title, summary,"
	         " published, fetched) VALUES (1099511627776, 1, 'huge',"
	         " 'Routine huge', 'summary', '2024-06-01T00:00:00Z',"
	         " '2024-06-01')");
	check_view(db, "news", &f, 800);
	check_view(db, "news", &g, 800);
	db_close(db);
}

/* The entity filter is the items tagged with the entity, by any of its
 * names' case: every third item here. */
Test(view_page, entity_filter_rows)
{
	struct db *db = open_items(300);
	char *entity = last_entity(db);
	struct view_filter f = {.entity = entity};
	struct view_pager *p;
	size_t n;

	exec(db, "INSERT INTO item_entity(item_id, entity_id)"
	         " SELECT id, (SELECT max(id) FROM entity) FROM item"
	         " WHERE id % 3 = 1;");
	cr_assert_eq(view_pager_new(db, view_find("news"), &f, &p), ST_OK);
	cr_assert_eq(view_pager_count(p, NULL, 1000, &n), ST_OK);
	cr_assert_eq(n, 100);
	view_pager_free(p);
	for (char *c = entity; *c; c++)
		*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	cr_assert_eq(view_pager_new(db, view_find("news"), &f, &p), ST_OK);
	cr_assert_eq(view_pager_count(p, NULL, 1000, &n), ST_OK);
	cr_assert_eq(n, 100, "upper case %s", entity);
	view_pager_free(p);
	free(entity);
	db_close(db);
}

/* VIEW_AT starts at the mark's row; counts before a mark are its
 * position, and stop at the cap. */
Test(view_page, at_and_count)
{
	struct db *db = open_items(300);
	const struct view_def *v = view_find("news");
	struct view_pager *p;
	struct view_cursor *c;
	struct view_mark m[40];
	char *link[40];
	size_t n = 0, before;
	bool row;

	cr_assert_eq(view_pager_new(db, v, NULL, &p), ST_OK);
	cr_assert_eq(view_page(p, NULL, VIEW_AT, 40, &c), ST_OK);
	while (view_step(c, &row) == ST_OK && row) {
		view_mark(c, &m[n]);
		link[n++] = xstrdup(view_text(c, id_col(v)));
	}
	view_close(c);
	cr_assert_eq(n, 40);
	for (size_t i = 0; i < n; i += 13) {
		cr_assert_eq(view_page(p, &m[i], VIEW_AT, 1, &c), ST_OK);
		cr_assert_eq(view_step(c, &row), ST_OK);
		cr_assert(row);
		cr_assert_str_eq(view_text(c, id_col(v)), link[i]);
		view_close(c);
		cr_assert_eq(view_pager_count(p, &m[i], 1000, &before), ST_OK);
		cr_assert_eq(before, i);
	}
	cr_assert_eq(view_pager_count(p, NULL, 100, &before), ST_OK);
	cr_assert_eq(before, 100, "the count stops at the cap");
	for (size_t i = 0; i < n; i++) {
		view_mark_release(&m[i]);
		free(link[i]);
	}
	view_pager_free(p);
	db_close(db);
}

/* The default sorts use an index; sorting by title needs one that
 * does not exist, which the dashboard must know before offering it. */
Test(view_page, sort_indexed)
{
	struct db *db = open_items(10);

	cr_assert(view_sort_indexed(db, view_find("news"), "-published"));
	cr_assert(view_sort_indexed(db, view_find("filings"), "accession"));
	cr_assert_not(view_sort_indexed(db, view_find("news"), "title"));
	cr_assert(view_sort_indexed(db, view_find("deals"), "investor"),
	          "views read whole are always allowed");
	db_close(db);
}
