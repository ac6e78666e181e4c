#include "db/dataset.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "db/entity.h"
#include "db/stmt.h"
#include "lib/csv.h"
#include "lib/xalloc.h"

/* One file per line, in load order. */
/* clang-format off */
#define DATASET_FILES(_) \
	_(entities) \
	_(aliases) \
	_(alliances) \
	_(memberships) \
	_(markets) \
	_(shares) \
	_(holdings) \
	_(deals) \
	_(compute) \
	_(cases) \
	_(case_events) \
	_(models) \
	_(cusips)
/* clang-format on */

#define DECLARE(n) extern const char oligo_data_##n[], oligo_data_##n##_end[];
DATASET_FILES(DECLARE)
#undef DECLARE

struct dataset_file {
	const char *name; /* file data/NAME.csv */
	const char *data;
};

static const struct dataset_file dataset_files[] = {
#define FILE_ENTRY(n) {#n, oligo_data_##n},
    DATASET_FILES(FILE_ENTRY)
#undef FILE_ENTRY
};
static const size_t dataset_nfiles =
    sizeof(dataset_files) / sizeof(dataset_files[0]);

static size_t
file_len(size_t i)
{
	static const char *const ends[] = {
#define FILE_END(n) oligo_data_##n##_end,
	    DATASET_FILES(FILE_END)
#undef FILE_END
	};
	return (size_t)(ends[i] - dataset_files[i].data);
}

/*
 * How a CSV column becomes a statement parameter.  Parameters are numbered
 * in the order of the field list.  Names that must resolve (an entity, a
 * market, an alliance) make the whole load fail when they do not: the
 * bundled dataset is part of the program, so a dangling name is a bug.
 */
enum field_kind {
	F_TEXT,
	F_REAL,
	F_INT,
	F_ENTITY,     /* name or alias of an entity; required */
	F_ENTITY_OPT, /* the same, may be empty */
	F_MARKET,
	F_ALLIANCE,
};

struct field {
	const char *col;
	enum field_kind kind;
};

struct table_load {
	const char *file;
	const char *clear; /* run before loading, may be NULL */
	const char *sql;
	const struct field *fields;
	const char *const *unused; /* columns of the file this pass skips */
};

#define END                                                                    \
	{                                                                      \
		NULL, F_TEXT                                                   \
	}

static const struct field entity_fields[] = {
    {"name", F_TEXT},  {"kind", F_TEXT},   {"country", F_TEXT},
    {"cik", F_TEXT},   {"ticker", F_TEXT}, {"source", F_TEXT},
    {"as_of", F_TEXT}, {"parent", F_TEXT}, END};
static const struct field entity_parent_fields[] = {
    {"name", F_TEXT}, {"parent", F_ENTITY_OPT}, END};
static const char *const entity_other_cols[] = {
    "kind", "country", "cik", "ticker", "source", "as_of", NULL};
static const struct field alias_fields[] = {{"alias", F_TEXT},
                                            {"entity", F_ENTITY},
                                            {"source", F_TEXT},
                                            {"as_of", F_TEXT},
                                            END};
static const struct field alliance_fields[] = {
    {"name", F_TEXT},   {"anchor", F_ENTITY}, {"description", F_TEXT},
    {"source", F_TEXT}, {"as_of", F_TEXT},    END};
static const struct field membership_fields[] = {
    {"alliance", F_ALLIANCE}, {"entity", F_ENTITY},
    {"role", F_TEXT},         {"since", F_TEXT},
    {"until", F_TEXT},        {"confidence", F_TEXT},
    {"source", F_TEXT},       {"as_of", F_TEXT},
    {"note", F_TEXT},         END};
static const struct field market_fields[] = {
    {"name", F_TEXT},       {"title", F_TEXT},
    {"unit", F_TEXT},       {"geography", F_TEXT},
    {"definition", F_TEXT}, {"source", F_TEXT},
    {"as_of", F_TEXT},      END};
static const struct field share_fields[] = {
    {"market", F_MARKET},  {"period", F_TEXT},     {"entity", F_ENTITY},
    {"share_pct", F_REAL}, {"share_low", F_REAL},  {"share_high", F_REAL},
    {"metric", F_TEXT},    {"confidence", F_TEXT}, {"source", F_TEXT},
    {"as_of", F_TEXT},     {"note", F_TEXT},       END};
static const struct field holding_fields[] = {
    {"investor", F_ENTITY}, {"firm", F_ENTITY}, {"own_pct", F_REAL},
    {"ctrl_pct", F_REAL},   {"as_of", F_TEXT},  {"confidence", F_TEXT},
    {"source", F_TEXT},     {"note", F_TEXT},   END};
static const struct field deal_fields[] = {{"date", F_TEXT},
                                           {"investor", F_ENTITY},
                                           {"target", F_ENTITY},
                                           {"kind", F_TEXT},
                                           {"amount_usd", F_INT},
                                           {"status", F_TEXT},
                                           {"confidence", F_TEXT},
                                           {"source", F_TEXT},
                                           {"as_of", F_TEXT},
                                           {"note", F_TEXT},
                                           END};
static const struct field compute_fields[] = {{"owner", F_ENTITY},
                                              {"period", F_TEXT},
                                              {"h100e", F_REAL},
                                              {"h100e_low", F_REAL},
                                              {"h100e_high", F_REAL},
                                              {"chip", F_TEXT},
                                              {"confidence", F_TEXT},
                                              {"source", F_TEXT},
                                              {"as_of", F_TEXT},
                                              {"note", F_TEXT},
                                              END};
static const struct field case_fields[] = {
    {"id", F_TEXT},      {"authority", F_ENTITY}, {"title", F_TEXT},
    {"parties", F_TEXT}, {"opened", F_TEXT},      {"status", F_TEXT},
    {"closed", F_TEXT},  {"url", F_TEXT},         {"confidence", F_TEXT},
    {"source", F_TEXT},  {"as_of", F_TEXT},       END};
static const struct field event_fields[] = {
    {"case_id", F_TEXT},    {"date", F_TEXT},
    {"event", F_TEXT},      {"url", F_TEXT},
    {"confidence", F_TEXT}, {"source", F_TEXT},
    {"as_of", F_TEXT},      END};
static const struct field model_fields[] = {{"model", F_TEXT},
                                            {"organization", F_ENTITY},
                                            {"released", F_TEXT},
                                            {"training_compute_flop", F_REAL},
                                            {"hardware", F_TEXT},
                                            {"confidence", F_TEXT},
                                            {"source", F_TEXT},
                                            {"as_of", F_TEXT},
                                            END};
static const struct field cusip_fields[] = {
    {"cusip", F_TEXT},  {"entity", F_ENTITY}, {"class", F_TEXT},
    {"source", F_TEXT}, {"as_of", F_TEXT},    END};

/* Upserts keep ids stable across reloads; facts the dataset owns are
 * replaced wholesale, which is simpler than diffing and just as safe
 * inside one transaction. */
static const struct table_load loads[] = {
    {"entities", NULL,
     "INSERT INTO entity(name, kind, country, cik, ticker, source, as_of)"
     " VALUES (?1, coalesce(?2, 'company'), ?3, ?4, ?5, ?6, ?7)"
     " ON CONFLICT(name) DO UPDATE SET kind = excluded.kind,"
     " country = excluded.country, cik = excluded.cik,"
     " ticker = excluded.ticker, source = excluded.source,"
     " as_of = excluded.as_of, origin = 'dataset'",
     entity_fields, NULL},
    {"entities", NULL, "UPDATE entity SET parent_id = ?2 WHERE name = ?1",
     entity_parent_fields, entity_other_cols},
    {"aliases", "DELETE FROM alias WHERE origin = 'dataset'",
     "INSERT INTO alias(alias, entity_id, source, as_of)"
     " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
     alias_fields, NULL},
    {"alliances", NULL,
     "INSERT INTO alliance(name, anchor_id, description, source, as_of)"
     " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO UPDATE SET"
     " anchor_id = excluded.anchor_id, description = excluded.description,"
     " source = excluded.source, as_of = excluded.as_of",
     alliance_fields, NULL},
    {"memberships", "DELETE FROM membership WHERE origin = 'dataset'",
     "INSERT INTO membership(alliance_id, entity_id, role, since, until,"
     " confidence, source, as_of, note)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING",
     membership_fields, NULL},
    {"markets", NULL,
     "INSERT INTO market(name, title, unit, geography, definition, source,"
     " as_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
     " ON CONFLICT(name) DO UPDATE SET title = excluded.title,"
     " unit = excluded.unit, geography = excluded.geography,"
     " definition = excluded.definition, source = excluded.source,"
     " as_of = excluded.as_of",
     market_fields, NULL},
    {"shares", "DELETE FROM share WHERE origin = 'dataset'",
     "INSERT INTO share(market_id, period, entity_id, share_pct, share_low,"
     " share_high, metric, confidence, source, as_of, note)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
     " ON CONFLICT DO NOTHING",
     share_fields, NULL},
    {"holdings", "DELETE FROM holding WHERE origin = 'dataset'",
     "INSERT INTO holding(investor_id, firm_id, own_pct, ctrl_pct, as_of,"
     " confidence, source, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
     " ON CONFLICT DO NOTHING",
     holding_fields, NULL},
    {"deals", "DELETE FROM deal WHERE origin = 'dataset'",
     "INSERT INTO deal(date, investor_id, target_id, kind, amount_usd,"
     " status, confidence, source, as_of, note)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
     deal_fields, NULL},
    {"compute", "DELETE FROM compute WHERE origin = 'dataset'",
     "INSERT INTO compute(owner_id, period, h100e, h100e_low, h100e_high,"
     " chip, confidence, source, as_of, note)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
     compute_fields, NULL},
    {"cases", "DELETE FROM matter_party",
     "INSERT INTO matter(id, authority_id, title, parties, opened, status,"
     " closed, url, confidence, source, as_of)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
     " ON CONFLICT(id) DO UPDATE SET authority_id = excluded.authority_id,"
     " title = excluded.title, parties = excluded.parties,"
     " opened = excluded.opened, status = excluded.status,"
     " closed = excluded.closed, url = excluded.url,"
     " confidence = excluded.confidence, source = excluded.source,"
     " as_of = excluded.as_of",
     case_fields, NULL},
    {"case_events", "DELETE FROM matter_event WHERE origin = 'dataset'",
     "INSERT INTO matter_event(matter_id, date, event, url, confidence,"
     " source, as_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
     event_fields, NULL},
    {"models", "DELETE FROM model WHERE origin = 'dataset'",
     "INSERT INTO model(name, entity_id, released, training_compute_flop,"
     " hardware, confidence, source, as_of)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
     model_fields, NULL},
    {"cusips", "DELETE FROM cusip WHERE origin = 'dataset'",
     "INSERT INTO cusip(cusip, entity_id, class, source, as_of)"
     " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
     cusip_fields, NULL},
};

static const struct dataset_file *
find_file(const char *name)
{
	for (size_t i = 0; i < dataset_nfiles; i++)
		if (!strcmp(dataset_files[i].name, name))
			return &dataset_files[i];
	return NULL;
}

static enum status
lookup_named(struct db *db, const char *sql, const char *name, int64_t *id)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);

	*id = 0;
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ST_OK;
}

/* Bind one field; on a bad value, the message names file:line:column. */
static enum status
bind_field(struct db *db, sqlite3_stmt *st, int i, const struct field *f,
           const char *v, const char *where)
{
	int64_t id = 0;
	enum status rc = ST_OK;

	switch (f->kind) {
	case F_TEXT:
		stmt_bind_text(st, i, v);
		return ST_OK;
	case F_REAL:
		if (!stmt_bind_real(st, i, v))
			goto bad_number;
		return ST_OK;
	case F_INT:
		if (!stmt_bind_int(st, i, v))
			goto bad_number;
		return ST_OK;
	case F_ENTITY_OPT:
		if (!*v) {
			sqlite3_bind_null(st, i);
			return ST_OK;
		}
		/* fall through */
	case F_ENTITY:
		rc = entity_find(db, v, &id);
		break;
	case F_MARKET:
		rc = lookup_named(db, "SELECT id FROM market WHERE name = ?", v,
		                  &id);
		break;
	case F_ALLIANCE:
		rc = lookup_named(db, "SELECT id FROM alliance WHERE name = ?",
		                  v, &id);
		break;
	}
	if (rc)
		return rc;
	if (!id)
		return err_set(ST_DATAERR, "%s: unknown %s '%s'", where, f->col,
		               v);
	sqlite3_bind_int64(st, i, id);
	return ST_OK;
bad_number:
	return err_set(ST_DATAERR, "%s: %s '%s' is not a number", where, f->col,
	               v);
}

static enum status
load_rows(struct db *db, struct csv_reader *r, sqlite3_stmt *st,
          const struct table_load *t)
{
	char where[128];
	enum status rc;
	bool eof;

	while (!(rc = csv_read(r, &eof)) && !eof) {
		snprintf(where, sizeof(where), "data/%s.csv:%zu", t->file,
		         csv_line(r));
		for (int i = 0; t->fields[i].col; i++) {
			rc = bind_field(db, st, i + 1, &t->fields[i],
			                csv_get(r, t->fields[i].col), where);
			if (rc)
				return rc;
		}
		if ((rc = stmt_run(db, st, where)))
			return rc;
	}
	return rc;
}

static enum status
load_table(struct db *db, const struct table_load *t)
{
	const struct dataset_file *f = find_file(t->file);
	const char *cols[32];
	struct csv_reader *r = NULL;
	sqlite3_stmt *st = NULL;
	char name[64];
	enum status rc;
	size_t n = 0;

	if (!f)
		return err_set(ST_SOFTWARE, "no bundled file '%s'", t->file);
	for (; t->fields[n].col; n++)
		cols[n] = t->fields[n].col;
	cols[n] = NULL;
	if (t->clear && (rc = db_exec(db, t->clear)))
		return rc;
	snprintf(name, sizeof(name), "data/%s.csv", t->file);
	rc =
	    csv_reader_open_mem(&r, name, f->data, file_len(f - dataset_files));
	if (!rc)
		rc = csv_read_header(r, cols, t->unused);
	if (!rc)
		rc = stmt_prepare(db, t->sql, &st);
	if (!rc)
		rc = load_rows(db, r, st, t);
	sqlite3_finalize(st);
	csv_reader_free(r);
	return rc;
}

/* Parties are a ';'-separated list of names in cases.csv; each must be a
 * known entity so the Cases view can link matters to alliances. */
static enum status
link_parties(struct db *db)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	enum status rc;

	rc = stmt_prepare(db, "SELECT id, parties FROM matter", &sel);
	if (!rc)
		rc = stmt_prepare(db,
		                  "INSERT OR IGNORE INTO matter_party"
		                  "(matter_id, entity_id) VALUES (?, ?)",
		                  &ins);
	while (!rc && sqlite3_step(sel) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(sel, 0);
		const char *p = (const char *)sqlite3_column_text(sel, 1);
		char *list = xstrdup(p ? p : ""), *save = NULL;

		for (char *tok = strtok_r(list, ";", &save); tok && !rc;
		     tok = strtok_r(NULL, ";", &save)) {
			int64_t eid;

			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			if ((rc = entity_find(db, tok, &eid)))
				break;
			if (!eid) {
				rc = err_set(
				    ST_DATAERR,
				    "data/cases.csv: case '%s': unknown "
				    "party '%s'",
				    id, tok);
				break;
			}
			sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins, 2, eid);
			rc = stmt_run(db, ins, "cannot link a party");
		}
		free(list);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return rc;
}

const char *
dataset_digest(void)
{
	static char hex[17];
	uint64_t h = 1469598103934665603ULL; /* FNV-1a 64 */

	if (hex[0])
		return hex;
	for (size_t i = 0; i < dataset_nfiles; i++) {
		const unsigned char *p =
		    (const unsigned char *)dataset_files[i].data;

		for (size_t k = 0, n = file_len(i); k < n; k++)
			h = (h ^ p[k]) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL; /* file boundary */
	}
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	return hex;
}

enum status
dataset_load(struct db *db, bool *loaded)
{
	char *have = db_meta_get(db, "dataset_digest");
	bool same = have && !strcmp(have, dataset_digest());
	enum status rc;

	free(have);
	if (loaded)
		*loaded = false;
	if (same)
		return ST_OK;
	if ((rc = db_begin(db)))
		return rc;
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]) && !rc; i++)
		rc = load_table(db, &loads[i]);
	if (!rc)
		rc = link_parties(db);
	if (!rc)
		rc = db_meta_set(db, "dataset_digest", dataset_digest());
	if (rc) {
		db_rollback(db);
		return err_prefix(rc, "cannot load the bundled dataset");
	}
	if ((rc = db_commit(db)))
		return rc;
	if (loaded)
		*loaded = true;
	return ST_OK;
}
