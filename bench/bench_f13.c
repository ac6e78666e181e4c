/*
 * Form 13F import at full size.  Generates a synthetic quarter (3 million
 * INFOTABLE rows, 8,000 filers, 5,000 issuers, popularity skewed so that
 * low issuer numbers are the "largest"; the six tracked CUSIPs are among
 * them) into a temporary folder, imports it with f13_import() -- the code
 * behind `oligo import 13f` -- into a temporary database, and compares
 * with `sqlite3 .import` of the same INFOTABLE.tsv into a plain table in
 * the same run.  Then beta for all filers x the 500 largest issuers (from
 * the generated positions, summed per filer and issuer) and kappa with
 * kappa_compute().  No arguments; result lines for bench/run.sh:
 *   name  value unit  ratio  target  ok|MISS|skip
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analysis/kappa.h"
#include "db/dataset.h"
#include "db/db.h"
#include "ingest/f13.h"

enum { ROWS = 3000000, FILERS = 8000, ISSUERS = 5000, TOP = 500 };

static const char *const tracked[] = {"594918104", "023135106", "02079K305",
                                      "67066G104", "30303M102", "68389X105"};

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
	for (unsigned i = 0; i < TOP; i++) /* synthetic shares outstanding */
		out[i] = 1e9 + 1e6 * i;
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
	free(held);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? 1 : 0;
}
