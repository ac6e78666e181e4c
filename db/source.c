#include "db/source.h"

#include <string.h>

#include "db/entity.h"
#include "db/stmt.h"
#include "lib/testhook.h"
#include "lib/xalloc.h"

static enum status
authority_id(struct db *db, const char *name, int64_t *id)
{
	*id = 0;
	return name && *name ? entity_find(db, name, id) : ST_OK;
}

static enum status
sync_one(struct db *db, sqlite3_stmt *st, const struct source_def *d)
{
	int64_t auth;
	enum status rc = authority_id(db, d->authority, &auth);

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->url, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, d->enabled);
	sqlite3_bind_text(st, 5, d->user ? "user" : "default", -1,
	                  SQLITE_STATIC);
	stmt_bind_id(st, 6, auth);
	stmt_bind_text(st, 7, d->cik);
	return stmt_run(db, st, "cannot record a source");
}

enum status
source_sync(struct db *db, const struct source_def *defs, size_t n)
{
	static const char upsert[] =
	    "INSERT INTO source(name, kind, url, enabled, origin,"
	    " authority_id, cik) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT(name) DO UPDATE SET kind = excluded.kind,"
	    " url = excluded.url, enabled = excluded.enabled,"
	    " origin = excluded.origin, authority_id = excluded.authority_id,"
	    " cik = excluded.cik,"
	    /* a new URL is a new document: forget the old validators */
	    " etag = CASE WHEN url = excluded.url THEN etag END,"
	    " last_modified = CASE WHEN url = excluded.url"
	    "  THEN last_modified END,"
	    " next_due = CASE WHEN url = excluded.url THEN next_due END"
	    " WHERE kind IS NOT excluded.kind OR url IS NOT excluded.url"
	    " OR enabled IS NOT excluded.enabled"
	    " OR origin IS NOT excluded.origin"
	    " OR authority_id IS NOT excluded.authority_id"
	    " OR cik IS NOT excluded.cik";
	sqlite3_stmt *st = NULL;
	enum status rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS configured(name"
	                 " TEXT PRIMARY KEY); DELETE FROM configured;");
	if (!rc)
		rc = stmt_prepare(db, upsert, &st);
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_stmt *keep;

		rc = sync_one(db, st, &defs[i]);
		if (!rc && !(rc = stmt_prepare(db,
		                               "INSERT OR IGNORE INTO"
		                               " configured VALUES (?)",
		                               &keep))) {
			sqlite3_bind_text(keep, 1, defs[i].name, -1,
			                  SQLITE_STATIC);
			rc = stmt_run(db, keep, "cannot record a source");
			sqlite3_finalize(keep);
		}
	}
	sqlite3_finalize(st);
	if (!rc)
		rc = db_exec(db,
		             "UPDATE source SET enabled = 0 WHERE enabled"
		             " AND name NOT IN (SELECT name FROM configured)");
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

static char *
dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? xstrdup((const char *)t) : NULL;
}

enum status
source_rows(struct db *db, struct source_row **out, size_t *n)
{
	sqlite3_stmt *st;
	enum status rc =
	    stmt_prepare(db,
	                 "SELECT id, name, kind, url, etag, last_modified, cik,"
	                 " authority_id, enabled, next_due, failures"
	                 " FROM source ORDER BY name",
	                 &st);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct source_row *r;

		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		r = &(*out)[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->name = dup_col(st, 1);
		r->kind = dup_col(st, 2);
		r->url = dup_col(st, 3);
		r->etag = dup_col(st, 4);
		r->last_modified = dup_col(st, 5);
		r->cik = dup_col(st, 6);
		r->authority_id = sqlite3_column_int64(st, 7);
		r->enabled = sqlite3_column_int(st, 8) != 0;
		r->next_due = dup_col(st, 9);
		r->failures = sqlite3_column_int(st, 10);
	}
	sqlite3_finalize(st);
	return ST_OK;
}

void
source_rows_free(struct source_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].kind);
		free(rows[i].url);
		free(rows[i].etag);
		free(rows[i].last_modified);
		free(rows[i].cik);
		free(rows[i].next_due);
	}
	free(rows);
}

struct commit_stmts {
	sqlite3_stmt *insert, *update, *tag, *matter, *filing;
};

/*
 * An item from a regulator's source belongs to that regulator's matters
 * whose parties it names: all of them for a one-party matter, at least
 * two otherwise ("FTC … Microsoft and OpenAI" is the Microsoft/OpenAI
 * inquiry, not every FTC matter that lists Microsoft among five).
 */
static const char link_matters_sql[] =
    "INSERT OR IGNORE INTO item_matter(item_id, matter_id)"
    " SELECT ?1, m.id FROM matter m"
    " WHERE m.authority_id = (SELECT authority_id FROM source WHERE id = ?2)"
    " AND (SELECT count(*) FROM matter_party mp JOIN item_entity ie"
    "  ON ie.entity_id = mp.entity_id AND ie.item_id = ?1"
    "  WHERE mp.matter_id = m.id)"
    "  >= min(2, (SELECT count(*) FROM matter_party WHERE matter_id = m.id))"
    " AND EXISTS (SELECT 1 FROM matter_party WHERE matter_id = m.id)";

static enum status
prepare_all(struct db *db, struct commit_stmts *s)
{
	enum status rc;

	/* New items insert; known ones update only what changed, so a
	 * re-run writes nothing and a fresh feed costs one statement an
	 * item (plus its FTS row). */
	if ((rc = db_cached(
	         db,
	         "INSERT INTO item(source_id, guid, title, link, summary,"
	         " author, published, fetched) VALUES (?1, ?2, ?3, ?4, ?5,"
	         " ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	         " ON CONFLICT(source_id, guid) DO NOTHING",
	         &s->insert)) ||
	    (rc = db_cached(
	         db,
	         "UPDATE item SET title = ?3, link = ?4, summary = ?5,"
	         " author = ?6, published = ?7"
	         " WHERE source_id = ?1 AND guid = ?2 AND"
	         " (title IS NOT ?3 OR link IS NOT ?4 OR summary IS NOT ?5"
	         " OR author IS NOT ?6 OR published IS NOT ?7)"
	         " RETURNING id",
	         &s->update)) ||
	    (rc = db_cached(db,
	                    "INSERT OR IGNORE INTO item_entity(item_id,"
	                    " entity_id) VALUES (?1, ?2)",
	                    &s->tag)) ||
	    (rc = db_cached(db, link_matters_sql, &s->matter)) ||
	    (rc = db_cached(
	         db,
	         "INSERT INTO filing(accession, cik, entity_id, company,"
	         " form, filed, accepted, url, description, source_id)"
	         " VALUES (?1, ?2, (SELECT id FROM entity WHERE cik = ?2"
	         " LIMIT 1), ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	         " ON CONFLICT(accession) DO NOTHING",
	         &s->filing)))
		return rc;
	return ST_OK;
}

static void
bind_item(sqlite3_stmt *st, int64_t source, const struct item_rec *it)
{
	sqlite3_bind_int64(st, 1, source);
	sqlite3_bind_text(st, 2, it->guid, -1, SQLITE_STATIC);
	stmt_bind_text(st, 3, it->title);
	stmt_bind_text(st, 4, it->link);
	stmt_bind_text(st, 5, it->summary);
	stmt_bind_text(st, 6, it->author);
	stmt_bind_text(st, 7, it->published);
}

/* *id = the item's id when it was inserted or changed, else 0. */
static enum status
upsert_item(struct db *db, struct commit_stmts *s, int64_t source,
            const struct item_rec *it, int64_t *id, bool *added)
{
	sqlite3 *h = db_handle(db);
	int before = sqlite3_total_changes(h), step;
	enum status rc;

	*id = 0;
	*added = false;
	bind_item(s->insert, source, it);
	if ((rc = stmt_run(db, s->insert, "cannot store an item")))
		return rc;
	if (sqlite3_total_changes(h) > before) {
		*id = sqlite3_last_insert_rowid(h);
		*added = true;
		return ST_OK;
	}
	bind_item(s->update, source, it);
	step = sqlite3_step(s->update);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(s->update, 0);
	while (step == SQLITE_ROW)
		step = sqlite3_step(s->update);
	sqlite3_reset(s->update);
	sqlite3_clear_bindings(s->update);
	return step == SQLITE_DONE ? ST_OK
	                           : db_fail(db, "cannot store an item");
}

/* links: the source is a regulator's, whose items may name its cases */
static enum status
put_item(struct db *db, struct commit_stmts *s, int64_t source,
         const struct item_rec *it, bool links, size_t *added)
{
	int64_t item_id;
	bool is_new;
	enum status rc = upsert_item(db, s, source, it, &item_id, &is_new);

	*added += is_new;
	for (size_t k = 0; k < it->nentities && item_id && !rc; k++) {
		sqlite3_bind_int64(s->tag, 1, item_id);
		sqlite3_bind_int64(s->tag, 2, it->entities[k]);
		rc = stmt_run(db, s->tag, "cannot tag an item");
	}
	if (!rc && item_id && it->nentities && links) {
		sqlite3_bind_int64(s->matter, 1, item_id);
		sqlite3_bind_int64(s->matter, 2, source);
		rc = stmt_run(db, s->matter, "cannot link an item to a case");
	}
	return rc;
}

static enum status
put_filing(struct db *db, struct commit_stmts *s, int64_t source,
           const struct filing_rec *f, size_t *added)
{
	sqlite3 *h = db_handle(db);
	int before = sqlite3_total_changes(h);
	enum status rc;

	sqlite3_bind_text(s->filing, 1, f->accession, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->filing, 2, f->cik, -1, SQLITE_STATIC);
	stmt_bind_text(s->filing, 3, f->company);
	stmt_bind_text(s->filing, 4, f->form);
	stmt_bind_text(s->filing, 5, f->filed);
	stmt_bind_text(s->filing, 6, f->accepted);
	stmt_bind_text(s->filing, 7, f->url);
	stmt_bind_text(s->filing, 8, f->description);
	sqlite3_bind_int64(s->filing, 9, source);
	rc = stmt_run(db, s->filing, "cannot store a filing");
	if (!rc && sqlite3_total_changes(h) > before)
		(*added)++;
	return rc;
}

static enum status
finish_source(struct db *db, int64_t id, const struct source_update *u,
              size_t added)
{
	sqlite3_stmt *st;
	enum status rc =
	    db_cached(db,
	              "UPDATE source SET etag = ?2, last_modified = ?3,"
	              " last_ok = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
	              " failures = 0, next_due = ?4 WHERE id = ?1",
	              &st);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, u ? u->etag : NULL);
	stmt_bind_text(st, 3, u ? u->last_modified : NULL);
	stmt_bind_text(st, 4, u ? u->next_due : NULL);
	rc = stmt_run(db, st, "cannot update a source");
	if (rc)
		return rc;
	rc = db_cached(db,
	               "INSERT INTO run(source_id, started, finished,"
	               " outcome, items_new) VALUES (?1,"
	               " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
	               " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'ok', ?2)",
	               &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)added);
	rc = stmt_run(db, st, "cannot record a run");
	return rc;
}

/* The entity id of source's authority, 0 when it has none. */
static enum status
source_authority(struct db *db, int64_t source, int64_t *out)
{
	sqlite3_stmt *st;
	enum status rc = db_cached(
	    db, "SELECT coalesce(authority_id, 0) FROM source WHERE id = ?1",
	    &st);

	*out = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, source);
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return ST_OK;
}

/*
 * Leave the FTS5 index of the items this commit adds to fts_catch_up():
 * schema step 3's triggers skip items above *above while the mark is
 * set.  One statement indexing them all saves FTS5 writing its pending
 * index out at each item's statement savepoint.
 */
static enum status
fts_defer(struct db *db, int64_t *above)
{
	sqlite3_stmt *st;
	enum status rc =
	    db_cached(db, "SELECT coalesce(max(id), 0) FROM item", &st);

	if (rc)
		return rc;
	*above =
	    sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (*above < 0)
		return db_fail(db, "cannot read the last item");
	if ((rc = db_cached(db, "INSERT INTO item_fts_defer(above) VALUES (?1)",
	                    &st)))
		return rc;
	sqlite3_bind_int64(st, 1, *above);
	return stmt_run(db, st, "cannot defer the search index");
}

/* Index the items above `above` (new ones, at their final values) and
 * lift the mark, so later writers index their own rows again. */
static enum status
fts_catch_up(struct db *db, int64_t above)
{
	sqlite3_stmt *st;
	enum status rc = db_cached(db,
	                           "INSERT INTO item_fts(rowid, title, summary)"
	                           " SELECT id, title, summary FROM item"
	                           " WHERE id > ?1",
	                           &st);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, above);
	if ((rc = stmt_run(db, st, "cannot index new items")) ||
	    (rc = db_cached(db, "DELETE FROM item_fts_defer", &st)))
		return rc;
	return stmt_run(db, st, "cannot index new items");
}

static enum status
put_items(struct db *db, struct commit_stmts *s, int64_t source,
          const struct source_update *u, size_t *added)
{
	int64_t above, authority;
	enum status rc;

	if (!u->nitems)
		return ST_OK;
	if ((rc = fts_defer(db, &above)) ||
	    (rc = source_authority(db, source, &authority)))
		return rc;
	for (size_t i = 0; i < u->nitems && !rc; i++)
		rc =
		    put_item(db, s, source, &u->items[i], authority > 0, added);
	return rc ? rc : fts_catch_up(db, above);
}

enum status
source_commit(struct db *db, int64_t id, const struct source_update *u,
              size_t *added_out)
{
	struct commit_stmts s;
	size_t added = 0;
	enum status rc = db_begin(db);

	if (rc)
		return rc;
	if ((rc = prepare_all(db, &s))) {
		db_rollback(db);
		return rc;
	}
	rc = put_items(db, &s, id, u, &added);
	for (size_t i = 0; i < u->nfilings && !rc; i++)
		rc = put_filing(db, &s, id, &u->filings[i], &added);
	if (!rc && u->write)
		rc = u->write(db, u->write_ctx, &added);
	if (!rc)
		rc = finish_source(db, id, u, added);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	if (added_out)
		*added_out = added;
	test_pause("in-commit");
	if ((rc = db_commit(db)))
		return rc;
	if (!db_batched(db)) /* else when the batch commits */
		test_pause("after-commit");
	return ST_OK;
}

enum status
source_unchanged(struct db *db, int64_t id, const char *next_due)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(
	    db,
	    "UPDATE source SET last_ok = strftime('%Y-%m-%dT%H:%M:%SZ',"
	    " 'now'), failures = 0, next_due = ?2 WHERE id = ?1",
	    &st);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, next_due);
	rc = stmt_run(db, st, "cannot update a source");
	sqlite3_finalize(st);
	return rc;
}

enum status
source_failed(struct db *db, int64_t id, const char *error,
              const char *next_due)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(
	    db,
	    "UPDATE source SET last_error = ?2,"
	    " last_error_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
	    " failures = failures + 1, next_due = ?3 WHERE id = ?1",
	    &st);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, error);
	stmt_bind_text(st, 3, next_due);
	rc = stmt_run(db, st, "cannot record a failure");
	sqlite3_finalize(st);
	return rc;
}

enum status
source_entity_names(struct db *db,
                    void (*fn)(void *ctx, const char *name, int64_t id),
                    void *ctx)
{
	sqlite3_stmt *st;
	enum status rc =
	    stmt_prepare(db,
	                 "SELECT name, id FROM entity WHERE length(name) > 1"
	                 " UNION ALL SELECT alias, entity_id FROM alias"
	                 " WHERE length(alias) > 1",
	                 &st);

	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(st, 0),
		   sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return ST_OK;
}
