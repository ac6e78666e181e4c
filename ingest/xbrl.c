#include "ingest/xbrl.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "db/entity.h"
#include "lib/csv.h"

static bool
iso_date(const char *s)
{
	return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	       strspn(s, "0123456789-") == 10;
}

/* Whole shares only: "12.3M" or "1,000" is a unit mistake, not data. */
static bool
whole(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return false;
	for (; *s; s++)
		v = v * 10 + (*s - '0');
	*out = v;
	return v > 0;
}

static enum status
csv_row(struct own *o, struct db *db, struct csv_reader *r,
        struct own_report *rep)
{
	const char *name = csv_get(r, "entity"), *as_of = csv_get(r, "as_of");
	const char *sh = csv_get(r, "shares"), *src = csv_get(r, "source");
	int64_t id, shares;
	enum status rc;
	bool changed;

	if (!iso_date(as_of))
		return err_set(ST_DATAERR,
		               "%s:%zu: as_of '%s' is not a date "
		               "(YYYY-MM-DD)",
		               csv_name(r), csv_line(r), as_of);
	if (!whole(sh, &shares))
		return err_set(ST_DATAERR,
		               "%s:%zu: shares '%s' is not a whole "
		               "positive number of shares",
		               csv_name(r), csv_line(r), sh);
	if ((rc = entity_find(db, name, &id)))
		return rc;
	if (!id)
		return err_set(ST_DATAERR, "%s:%zu: unknown entity '%s'",
		               csv_name(r), csv_line(r), name);
	rc = own_put_outstanding(o, id, as_of, shares, *src ? src : NULL,
	                         "import", &changed);
	rep->changed += changed;
	return rc;
}

static enum status
import_csv(struct own *o, struct db *db, const char *path,
           struct own_report *rep)
{
	static const char *const req[] = {"entity", "as_of", "shares", NULL};
	static const char *const opt[] = {"source", NULL};
	struct csv_reader *r;
	enum status rc;
	bool eof;

	if ((rc = csv_reader_open(&r, path)))
		return rc;
	if (!(rc = csv_read_header(r, req, opt)))
		while (!(rc = csv_read(r, &eof)) && !eof) {
			rep->rows++;
			if ((rc = csv_row(o, db, r, rep)))
				break;
		}
	csv_reader_free(r);
	return rc;
}

/* Later filings of the same end date win (10-K/A after 10-K). */
static bool
superseded(json_t *facts, size_t i, const char *end, const char *filed)
{
	size_t j;
	json_t *g;

	json_array_foreach(facts, j, g)
	{
		const char *e = json_string_value(json_object_get(g, "end"));
		const char *f = json_string_value(json_object_get(g, "filed"));

		if (j != i && e && f && !strcmp(e, end) &&
		    (strcmp(f, filed) > 0 || (!strcmp(f, filed) && j > i)))
			return true;
	}
	return false;
}

static enum status
json_fact(struct own *o, const char *path, json_t *fact, size_t i,
          json_t *facts, int64_t id, struct own_report *rep)
{
	const char *end = json_string_value(json_object_get(fact, "end"));
	const char *filed = json_string_value(json_object_get(fact, "filed"));
	const char *accn = json_string_value(json_object_get(fact, "accn"));
	json_t *val = json_object_get(fact, "val");
	char source[160];
	bool changed;
	enum status rc;

	rep->rows++;
	if (!iso_date(end) || !iso_date(filed) || !json_is_integer(val) ||
	    json_integer_value(val) <= 0)
		return err_set(ST_DATAERR,
		               "%s: units.shares[%zu]: needs end, "
		               "filed (YYYY-MM-DD) and a positive whole val",
		               path, i);
	if (superseded(facts, i, end, filed))
		return ST_OK;
	snprintf(source, sizeof(source),
	         "SEC XBRL dei:EntityCommonStock"
	         "SharesOutstanding, accession %.40s",
	         accn ? accn : "?");
	rc = own_put_outstanding(o, id, end, json_integer_value(val), source,
	                         "xbrl", &changed);
	rep->changed += changed;
	return rc;
}

static enum status
import_json(struct own *o, const char *path, struct own_report *rep)
{
	json_error_t je;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	json_t *facts, *fact;
	const char *tag;
	char cik[24];
	int64_t id = 0;
	size_t i;
	enum status rc = ST_OK;

	if (!doc)
		return err_set(ST_DATAERR, "%s:%d: %s", path, je.line, je.text);
	tag = json_string_value(json_object_get(doc, "tag"));
	facts = json_object_get(json_object_get(doc, "units"), "shares");
	if (!tag || strcmp(tag, "EntityCommonStockSharesOutstanding") ||
	    !json_is_array(facts) ||
	    !json_is_integer(json_object_get(doc, "cik")))
		rc = err_set(ST_DATAERR,
		             "%s: not companyconcept JSON for "
		             "dei:EntityCommonStockSharesOutstanding "
		             "(cik, tag, units.shares)",
		             path);
	if (!rc) {
		snprintf(
		    cik, sizeof(cik), "%lld",
		    (long long)json_integer_value(json_object_get(doc, "cik")));
		if (!(rc = own_entity_by_cik(o, cik, &id)) && !id)
			rc = err_set(ST_DATAERR, "%s: no entity with CIK %s",
			             path, cik);
	}
	if (!rc)
		json_array_foreach(facts, i, fact)
		{
			if ((rc = json_fact(o, path, fact, i, facts, id, rep)))
				break;
		}
	json_decref(doc);
	return rc;
}

enum status
xbrl_import(struct db *db, const char *path, struct own_report *rep)
{
	size_t n = strlen(path);
	bool json = n > 5 && !strcmp(path + n - 5, ".json");
	struct own *o = NULL;
	enum status rc;

	if ((rc = db_begin(db)))
		return rc;
	if (!(rc = own_open(db, &o)))
		rc = json ? import_json(o, path, rep)
		          : import_csv(o, db, path, rep);
	if (!rc)
		rc = own_refresh_holdings(o, rep);
	own_close(o);
	if (rc) {
		db_rollback(db);
		rep->changed = 0;
		return rc;
	}
	return db_commit(db);
}
