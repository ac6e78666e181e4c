/* ingest/epoch: Epoch AI CSV importers on a temporary database, and the
 * parser alone on hostile input.  Fixtures: tests/data/epoch (synthetic). */
#include <criterion/criterion.h>

#include "tests/unit/testdb.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/dataset.h"
#include "db/db.h"
#include "ingest/epoch.h"

static char dir[64];
static struct db *db;

static void
setup(void)
{
	testdb_mkdir(dir, sizeof(dir), "epoch");
	db = testdb_open(dir);
}

static void
teardown(void)
{
	db_close(db);
	testdb_rmdir(dir);
}

TestSuite(epoch, .init = setup, .fini = teardown);

static const char *
write_file(const char *name, const char *data, size_t len)
{
	static char path[400];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(fp = fopen(path, "wb"));
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
	return path;
}

static double
num(const char *sql)
{
	return testdb_num(db, sql);
}

static enum status
import(enum epoch_kind k, const char *path, struct own_report *rep)
{
	own_report_init(rep);
	return epoch_import(db, k, path, rep);
}

#define SNAP "SELECT total_changes()"

/* Import text as kind; expect ST_DATAERR naming want, nothing kept. */
static void
expect_bad(enum epoch_kind k, const char *text, size_t len, const char *want)
{
	struct own_report rep;
	double before = num("SELECT count(*) FROM compute") +
	                1000 * num("SELECT count(*) FROM epoch_model");
	enum status rc = import(k, write_file("bad.csv", text, len), &rep);

	cr_assert_eq(rc, ST_DATAERR, "%s: got %d", want, rc);
	cr_assert_not_null(strstr(err_msg(), want), "'%s' not in '%s'", want,
	                   err_msg());
	cr_assert_eq(num("SELECT count(*) FROM compute") +
	                 1000 * num("SELECT count(*) FROM epoch_model"),
	             before);
	own_report_release(&rep);
}
#define BAD(k, lit, want) expect_bad(k, lit, sizeof(lit) - 1, want)

Test(epoch, chip_owners_fixture_sums_and_reports)
{
	struct own_report rep;

	cr_assert_eq(
	    import(EPOCH_CHIP_OWNERS, "tests/data/epoch/chip_owners.csv", &rep),
	    ST_OK, "%s", err_msg());
	cr_assert_eq(rep.rows, 8);
	cr_assert_eq(rep.computed, 4);
	cr_assert_eq(num("SELECT h100e FROM compute c JOIN entity e ON"
	                 " e.id = c.owner_id WHERE e.name = 'Microsoft' AND"
	                 " c.origin = 'epoch-chip-owners'"),
	             1500);
	cr_assert_not_null(strstr(rep.notes.buf, "'Synthetic Other Owner'"));
	cr_assert_null(strstr(strstr(rep.notes.buf, "Synthetic Other") + 1,
	                      "Synthetic Other"),
	               "reported once");
	own_report_release(&rep);
	/* twice: nothing changes */
	cr_assert_eq(
	    import(EPOCH_CHIP_OWNERS, "tests/data/epoch/chip_owners.csv", &rep),
	    ST_OK);
	cr_assert_eq(rep.changed, 0);
	own_report_release(&rep);
}

Test(epoch, clusters_cumulate_and_models_store)
{
	struct own_report rep;

	cr_assert_eq(import(EPOCH_GPU_CLUSTERS,
	                    "tests/data/epoch/gpu_clusters.csv", &rep),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(num("SELECT h100e FROM compute c JOIN entity e ON"
	                 " e.id = c.owner_id WHERE e.name = 'Microsoft' AND"
	                 " c.period = '2025Q3'"),
	             400);
	cr_assert_eq(num("SELECT count(*) FROM compute WHERE confidence ="
	                 " 'low' AND origin = 'epoch-gpu-clusters'"),
	             4);
	own_report_release(&rep);
	cr_assert_eq(import(EPOCH_MODELS, "tests/data/epoch/models.csv", &rep),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(num("SELECT count(*) FROM epoch_model WHERE"
	                 " training_compute_flop = 1e24"),
	             1);
	own_report_release(&rep);
}

Test(epoch, extra_and_reordered_columns_and_bom)
{
	static const char csv[] = "\xEF\xBB\xBF"
	                          "x,  h100E ,y,OWNER,Quarter\n"
	                          "1,\"1,234,567\",2,Microsoft,Q3 2025\n";
	struct own_report rep;

	cr_assert_eq(import(EPOCH_CHIP_OWNERS,
	                    write_file("c.csv", csv, sizeof(csv) - 1), &rep),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(num("SELECT h100e FROM compute WHERE period = '2025Q3'"
	                 " AND origin = 'epoch-chip-owners'"),
	             1234567);
	own_report_release(&rep);
}

Test(epoch, hostile_input_fails_whole_file)
{
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date\nMicrosoft,2025-09-30\n",
	    "bad.csv:1: missing column 'Compute estimate in H100e (median)'");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\nMicrosoft,2025-09-30,1e3x\n",
	    "bad.csv:2: H100e is not a plain number");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\nMicrosoft,2025-09-30,1.5M\n",
	    "bad.csv:2:");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\nMicrosoft,2025-09-30,inf\n",
	    "bad.csv:2:");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\nMicrosoft,2025-09-30,12,34\n",
	    "bad.csv:2:");
	BAD(EPOCH_CHIP_OWNERS,
	    "Owner,Date,H100e\nMicrosoft,2025-09-30,1\nAmazon,2025-02-30,1\n",
	    "bad.csv:3: not a date");
	BAD(EPOCH_CHIP_OWNERS,
	    "Owner,Date,H100e\nMicrosoft,2025Q3,1\nmicrosoft,2025-09-30,2\n",
	    "bad.csv:3: duplicate row");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\nMicro\xff,2025Q3,1\n",
	    "bad.csv:2:");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\nMicro\0soft,2025Q3,1\n",
	    "bad.csv:2:");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\n\"Microsoft,2025Q3,1\n",
	    "bad.csv:2:");
	BAD(EPOCH_CHIP_OWNERS, "Owner,Date,H100e\n", "no data rows");
	BAD(EPOCH_CHIP_OWNERS, "", "empty file");
	BAD(EPOCH_MODELS, "Model,Organization\n,OpenAI\n",
	    "bad.csv:2: empty name");
	BAD(EPOCH_GPU_CLUSTERS,
	    "Name,Owner,First Operational Date,H100 equivalents\n"
	    "A,Meta,2025-01-01,1\nA,Meta,2025-01-01,1\n",
	    "bad.csv:3: duplicate row");
}

static enum status
count_rows(void *ctx, const struct epoch_row *row)
{
	(*(size_t *)ctx)++;
	cr_assert(row->h100e >= 0 || row->h100e == -1);
	return ST_OK;
}

Test(epoch, parser_keeps_quoted_newlines_and_lines)
{
	static const char csv[] = "Name,Owner,First Operational Date,"
	                          "H100 equivalents,Note\r\n"
	                          "A,Meta,2025-01-01,1,\"two\r\nlines\"\r\n"
	                          "B,Meta,,,x\r\n";
	struct csv_reader *r;
	size_t n = 0;

	csv_reader_open_mem(&r, "mem", csv, sizeof(csv) - 1);
	cr_assert_eq(epoch_parse(r, EPOCH_GPU_CLUSTERS, count_rows, &n), ST_OK,
	             "%s", err_msg());
	cr_assert_eq(n, 2);
	cr_assert_eq(csv_line(r), 4);
	csv_reader_free(r);
}

Test(epoch, kind_names)
{
	enum epoch_kind k;

	cr_assert(epoch_kind_from_name("epoch-gpu-clusters", &k));
	cr_assert_eq(k, EPOCH_GPU_CLUSTERS);
	cr_assert_not(epoch_kind_from_name("epoch", &k));
}
