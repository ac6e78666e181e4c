/*
 * Form 13F import at full size.  Generates a synthetic quarter (3 million
 * INFOTABLE rows, 8,000 filers, 5,000 issuers, popularity skewed so that
 * low issuer numbers are the "largest"; the six tracked CUSIPs are among
 * them) into a temporary folder, imports it with f13_import() -- the code
 * behind `oligo import 13f` -- into a temporary database, and compares
 * with `sqlite3 .import` of the same INFOTABLE.tsv into a plain table in
 * the same run.  Then beta for all filers x the 500 largest issuers (from
 * the generated positions, summed per filer and issuer) and kappa with
 * kappa_compute(); and the real path: the same data set imported into a
 * second database where those 500 issuers are tracked (CUSIP, shares
 * outstanding), then holdings_load() and ownership_kappa() -- what
 * `oligo analyze --kappa --period 2025Q3` runs -- timed against a plain
 * count/sum scan of the same holding rows, and checked against kappa
 * summed straight from the generated positions.
 * No arguments; result lines for bench/run.sh:
 *   name  value unit  ratio  target  ok|MISS|skip
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analysis/kappa.h"
#include "analysis/ownership.h"
#include "db/dataset.h"
#include "db/db.h"
#include "db/entity.h"
#include "db/holdings.h"
#include "db/ownership.h"
#include "ingest/f13.h"

enum { ROWS = 3000000, FILERS = 8000, ISSUERS = 5000, TOP = 500 };

static const char *const tracked[] = {"594918104", "023135106", "02079K305",
                                      "67066G104", "30303M102", "68389X105"};
/* the bundled entities of those CUSIPs */
static const char *const tracked_names[] = {"Microsoft", "Amazon", "Alphabet",
                                            "Nvidia",    "Meta",   "Oracle"};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long rng = 88172645463325252ull;

static unsigned
next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static void
cusip(unsigned issuer, char out[10])
{
	if (issuer < 6)
		memcpy(out, tracked[issuer], 10);
	else
		snprintf(out, 10, "Z%08u", issuer % 100000000u);
}

static FILE *
open_in(const char *dir, const char *name)
{
	char path[300];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(fp = fopen(path, "w"))) {
		perror(path);
		exit(1);
	}
	return fp;
}

/* The data set; held[f * TOP + i] sums filer f's shares of issuer i. */
static void
generate(const char *dir, double *held)
{
	FILE *su = open_in(dir, "SUBMISSION.tsv");
	FILE *co = open_in(dir, "COVERPAGE.tsv");
	FILE *it = open_in(dir, "INFOTABLE.tsv");

	fputs("ACCESSION_NUMBER\tFILING_DATE\tSUBMISSIONTYPE\tCIK\t"
	      "PERIODOFREPORT\n",
	      su);
	fputs("ACCESSION_NUMBER\tREPORTCALENDARORQUARTER\tISAMENDMENT\t"
	      "AMENDMENTNO\tAMENDMENTTYPE\tFILINGMANAGER_NAME\n",
	      co);
	fputs("ACCESSION_NUMBER\tINFOTABLE_SK\tNAMEOFISSUER\tTITLEOFCLASS\t"
	      "CUSIP\tFIGI\tVALUE\tSSHPRNAMT\tSSHPRNAMTTYPE\tPUTCALL\t"
	      "INVESTMENTDISCRETION\tOTHERMANAGER\tVOTING_AUTH_SOLE\t"
	      "VOTING_AUTH_SHARED\tVOTING_AUTH_NONE\n",
	      it);
	for (unsigned f = 0; f < FILERS; f++) {
		fprintf(su,
		        "%010u-25-%06u\t14-NOV-2025\t13F-HR\t%u\t"
		        "30-SEP-2025\n",
		        8000000 + f, f, 8000000 + f);
		fprintf(co,
		        "%010u-25-%06u\t30-SEP-2025\tN\t\t\tBENCH FUND %u\n",
		        8000000 + f, f, f);
	}
	for (unsigned r = 0; r < ROWS; r++) {
		unsigned f = r % FILERS;
		/* skewed popularity: the minimum of two uniforms */
		unsigned a = next() % ISSUERS, b = next() % ISSUERS;
		unsigned i = a < b ? a : b, sh = 1 + next() % 100000;
		char c[10];

		cusip(i, c);
		fprintf(it,
		        "%010u-25-%06u\t%u\tISSUER %u\tCOM\t%s\t\t%u\t%u\t"
		        "SH\t\tSOLE\t\t%u\t0\t0\n",
		        8000000 + f, f, r, i, c, sh * 10, sh, sh);
		if (i < TOP)
			held[(size_t)f * TOP + i] += sh;
	}
	if (fclose(su) || fclose(co) || fclose(it)) {
		perror("writing the data set");
		exit(1);
	}
}

static void
line(const char *name, double v, const char *unit, const char *ratio,
     const char *target, const char *verdict)
{
	printf("%s  %.2f %s  %s  %s  %s\n", name, v, unit, ratio, target,
	       verdict);
}

static void
fail(const char *what)
{
	fprintf(stderr, "bench_f13: %s: %s\n", what, err_msg());
	exit(1);
}

/* Synthetic shares outstanding of issuer i, above any sum of holdings. */
static double
outstanding(unsigned i)
{
	return 1e9 + 1e6 * i;
}

static void
issuer_name(unsigned i, char out[32])
{
	if (i < 6)
		snprintf(out, 32, "%s", tracked_names[i]);
	else
		snprintf(out, 32, "BENCH ISSUER %04u", i);
}

/* The TOP issuers tracked: CUSIP mapped, shares outstanding known. */
static void
track_top(struct db *db)
{
	struct own *o;
	bool b;

	if (db_begin(db) || own_open(db, &o))
		fail("tracking issuers");
	for (unsigned i = 0; i < TOP; i++) {
		char name[32], c[10];
		int64_t id;

		issuer_name(i, name);
		cusip(i, c);
		if (entity_ensure(db, name, "import", &id, &b) ||
		    (i >= 6 &&
		     own_put_cusip(o, c, id, "COM", "bench_f13", NULL)) ||
		    own_put_outstanding(o, id, "2025-06-30",
		                        (int64_t)outstanding(i), "bench_f13",
		                        "import", &b))
			fail("tracking issuers");
	}
	own_close(o);
	if (db_commit(db))
		fail("tracking issuers");
}

/* The floor: one plain scan of the holding rows, straight SQLite. */
static double
scan_floor(const char *path, size_t *rows)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	double t;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ||
	    sqlite3_prepare_v2(db,
	                       "SELECT count(*), sum(own_pct), sum(ctrl_pct)"
	                       " FROM holding",
	                       -1, &st, NULL)) {
		fprintf(stderr, "bench_f13: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	t = now();
	if (sqlite3_step(st) != SQLITE_ROW)
		exit(1);
	*rows = (size_t)sqlite3_column_int64(st, 0);
	t = now() - t;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return t;
}

static size_t
firm_index(const struct kappa_table *t, unsigned issuer)
{
	char name[32];

	issuer_name(issuer, name);
	for (size_t j = 0; j < t->F; j++)
		if (!strcmp(t->firms[j], name))
			return j;
	fprintf(stderr, "bench_f13: issuer %u missing from kappa\n", issuer);
	exit(1);
}

/*
 * kappa[j][k] of two generated issuers from the positions themselves
 * (gamma = beta: sum_f b_fj b_fk / sum_f b_fj^2); only the generated
 * funds hold them, so the database's answer must be the same.
 */
static void
check_kappa(const struct kappa_table *t, const double *held)
{
	static const unsigned pairs[][2] = {
	    {6, 7}, {6, 499}, {250, 100}, {499, 6}};

	for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		unsigned a = pairs[p][0], b = pairs[p][1];
		double num = 0, den = 0, got;

		for (size_t f = 0; f < FILERS; f++) {
			double x = held[f * TOP + a] / outstanding(a);

			num += x * held[f * TOP + b] / outstanding(b);
			den += x * x;
		}
		got = t->kappa[firm_index(t, a) * t->F + firm_index(t, b)];
		if (!(fabs(got - num / den) <= 1e-9 * (num / den))) {
			fprintf(stderr,
			        "bench_f13: kappa[%u][%u] = %.17g from the "
			        "database, %.17g from the positions\n",
			        a, b, got, num / den);
			exit(1);
		}
	}
}

/* The real path, as `oligo analyze --kappa --period 2025Q3` runs it. */
static void
bench_db_kappa(const char *dir, const double *held)
{
	struct own_report rep;
	struct kappa_table k;
	struct holdings h;
	struct db *db;
	char path[300], r[32];
	double t, t_load, t_floor;
	size_t rows;
	bool loaded;

	snprintf(path, sizeof(path), "%s/db2/oligo.db", dir);
	if (db_open(&db, path, DB_READWRITE) || dataset_load(db, &loaded))
		fail(path);
	track_top(db);
	own_report_init(&rep);
	t = now();
	if (f13_import(db, dir, &rep))
		fail("f13_import");
	fprintf(stderr,
	        "# f13_import, %d issuers tracked: %zu holdings, "
	        "%.2f s\n",
	        TOP, rep.holdings, now() - t);
	own_report_release(&rep);
	db_close(db);
	if (db_open(&db, path, DB_READONLY))
		fail(path);
	t = now();
	if (holdings_load(db, &h))
		fail("holdings_load");
	t_load = now() - t;
	if (ownership_kappa(&h, "2025-09-30", &k) || k.F < TOP)
		fail("ownership_kappa");
	t = now() - t;
	t_floor = scan_floor(path, &rows);
	fprintf(stderr,
	        "# holdings_load %.3f s, ownership_kappa %.3f s: %zu "
	        "investors x %zu firms; floor scan of %zu rows %.3f s\n",
	        t_load, t - t_load, k.stats.investors, k.F, rows, t_floor);
	check_kappa(&k, held);
	snprintf(r, sizeof(r), "%.1f", t / t_floor);
	line("f13_db_beta_kappa_all_x500_s", t, "s", r, "<=1.00",
	     t <= 1.0 ? "ok" : "MISS");
	ownership_kappa_release(&k);
	holdings_release(&h);
	db_close(db);
}

static double
import_ours(const char *dir, size_t *rows)
{
	char path[300];
	struct own_report rep;
	struct db *db;
	bool loaded;
	double t;

	snprintf(path, sizeof(path), "%s/db/oligo.db", dir);
	if (db_open(&db, path, DB_READWRITE) || dataset_load(db, &loaded)) {
		fprintf(stderr, "bench_f13: %s\n", err_msg());
		exit(1);
	}
	own_report_init(&rep);
	t = now();
	if (f13_import(db, dir, &rep)) {
		fprintf(stderr, "bench_f13: %s\n", err_msg());
		exit(1);
	}
	t = now() - t;
	*rows = rep.rows;
	fprintf(stderr, "# f13_import: %zu rows, %zu filings, %.2f s\n",
	        rep.rows, rep.filings, t);
	own_report_release(&rep);
	db_close(db);
	return t;
}

/* sqlite3 CLI .import of the same file; < 0 when there is no sqlite3. */
static double
import_sqlite(const char *dir)
{
	char cmd[1200];
	double t;

	if (system("sqlite3 -version >/dev/null 2>&1"))
		return -1;
	snprintf(cmd, sizeof(cmd),
	         "sqlite3 '%s/plain.db' '.mode tabs' "
	         "'.import %s/INFOTABLE.tsv infotable' >/dev/null",
	         dir, dir);
	t = now();
	if (system(cmd))
		return -1;
	return now() - t;
}

static void
bench_kappa(const double *held)
{
	double *beta = malloc(sizeof(double) * FILERS * TOP);
	double *kappa = malloc(sizeof(double) * TOP * TOP);
	double out[TOP], t;
	char r[32];

	if (!beta || !kappa)
		exit(1);
	for (unsigned i = 0; i < TOP; i++)
		out[i] = outstanding(i);
	t = now();
	for (size_t f = 0; f < FILERS; f++)
		for (size_t i = 0; i < TOP; i++)
			beta[f * TOP + i] = held[f * TOP + i] / out[i];
	if (kappa_compute(beta, NULL, FILERS, TOP, kappa)) {
		fprintf(stderr, "bench_f13: kappa_compute failed\n");
		exit(1);
	}
	t = now() - t;
	snprintf(r, sizeof(r), "%.2f", t);
	line("f13_beta_kappa_8000x500_s", t, "s", r, "<=1.00",
	     t <= 1.0 ? "ok" : "MISS");
	free(beta);
	free(kappa);
}

int
main(void)
{
	char dir[] = "/tmp/oligo-bench-f13-XXXXXX", cmd[100], r[32];
	double *held = calloc((size_t)FILERS * TOP, sizeof(double));
	double t_gen, t_ours, t_lite;
	struct rusage ru;
	size_t rows;

	if (!held || !mkdtemp(dir))
		return 1;
	t_gen = now();
	generate(dir, held);
	fprintf(stderr, "# generated %d rows in %.1f s (%s)\n", ROWS,
	        now() - t_gen, dir);
	t_ours = import_ours(dir, &rows);
	getrusage(RUSAGE_SELF, &ru);
	t_lite = import_sqlite(dir);
	snprintf(r, sizeof(r), "%.2f", t_lite > 0 ? t_lite / t_ours : 0);
	line("f13_import_3M_rows_per_s", rows / t_ours / 1e6, "Mrows/s",
	     t_lite > 0 ? r : "-", ">=1.00",
	     rows / t_ours >= 1e6 ? "ok" : "MISS");
	if (t_lite > 0)
		line("f13_import_vs_sqlite3_import", t_lite / t_ours, "x", r,
		     "-", "ok");
	else
		printf("f13_import_vs_sqlite3_import  - x  -  -  skip\n");
	/* ru_maxrss is KiB; held (32 MB) is part of it */
	line("f13_import_peak_rss", ru.ru_maxrss / 1024.0, "MiB", "-", "<=256",
	     ru.ru_maxrss / 1024.0 <= 256 ? "ok" : "MISS");
	bench_kappa(held);
	bench_db_kappa(dir, held);
	free(held);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? 1 : 0;
}
