/*
 * bench_refresh: a full refresh of the metric tables for the bundled
 * dataset plus 10 years of quarterly shares for 1,000 generated markets
 * (6 to 12 firms each, a few of them alliance members so the DGEMM path
 * has work), in a temporary database built through the db API (dataset
 * load and a shares import).  Target: under 1 s.
 *
 * One result line on stdout, five fields separated by two spaces:
 *   name  value unit  ratio  target  ok|MISS
 * Diagnostics go to stderr.  Exit status 0 even on MISS.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/refresh.h"
#include "db/dataset.h"
#include "db/db.h"
#include "db/import.h"

#define MARKETS 1000
#define YEARS   10
#define REPS    3

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static double
rng_unit(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717u) >> 11) * 0x1p-53;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One market-period: n firms, shares summing to 90..100 %. */
static void
write_period(FILE *fp, int m, int y, int q, int n)
{
	static const char *const members[] = {"Microsoft", "OpenAI", "Amazon",
	                                      "Anthropic"};
	double w[12], sum = 0, total = 90 + 10 * rng_unit();

	for (int f = 0; f < n; f++)
		sum += w[f] = 0.05 + rng_unit();
	for (int f = 0; f < n; f++) {
		double s = (double)(int64_t)(total * w[f] / sum * 100) / 100;

		if (f < 2 && m % 10 == 0)
			fprintf(fp, "gen%04d,%dQ%d,%s,%.2f\n", m, 2016 + y, q,
			        members[(m / 10 + f) % 4], s);
		else
			fprintf(fp, "gen%04d,%dQ%d,Gen%04d-%02d,%.2f\n", m,
			        2016 + y, q, m, f, s);
	}
}

static int
generate(const char *csv)
{
	FILE *fp = fopen(csv, "w");

	if (!fp)
		return -1;
	fputs("market,period,entity,share_pct\n", fp);
	for (int m = 0; m < MARKETS; m++) {
		int n = 6 + (int)(rng_unit() * 7);

		for (int y = 0; y < YEARS; y++)
			for (int q = 1; q <= 4; q++)
				write_period(fp, m, y, q, n);
	}
	return fclose(fp);
}

static int
build(const char *path, const char *csv)
{
	struct import_report rep;
	struct db *db;
	bool loaded;
	enum status rc = db_open(&db, path, DB_READWRITE);

	if (rc)
		return fprintf(stderr, "bench_refresh: %s\n", err_msg()), -1;
	import_report_init(&rep);
	if (!(rc = dataset_load(db, &loaded)))
		rc = import_shares(db, csv, &rep);
	import_report_release(&rep);
	db_close(db);
	if (rc)
		fprintf(stderr, "bench_refresh: %s\n", err_msg());
	return rc ? -1 : 0;
}

static double
time_refresh(const char *path)
{
	double best = 1e9;
	struct db *db;

	if (db_open(&db, path, DB_READWRITE))
		return -1;
	for (int r = 0; r < REPS; r++) {
		double t0 = now();

		if (analysis_refresh(db)) {
			fprintf(stderr, "bench_refresh: %s\n", err_msg());
			db_close(db);
			return -1;
		}
		if (now() - t0 < best)
			best = now() - t0;
	}
	db_close(db);
	return best;
}

int
main(void)
{
	char dir[] = "/tmp/oligo-bench-refresh-XXXXXX", path[300], csv[300];
	char cmd[340];
	double t0, secs;

	if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	snprintf(path, sizeof(path), "%s/oligo.db", dir);
	snprintf(csv, sizeof(csv), "%s/shares.csv", dir);
	t0 = now();
	if (generate(csv) || build(path, csv))
		return 1;
	fprintf(stderr, "# built %d markets x %d quarters in %.1f s\n", MARKETS,
	        4 * YEARS, now() - t0);
	secs = time_refresh(path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (!getenv("OLIGO_BENCH_KEEP") && system(cmd) != 0)
		fprintf(stderr, "bench_refresh: cannot remove %s\n", dir);
	if (secs < 0)
		return 1;
	printf("refresh_1000_markets_40q  %.3f s  %.2f  <=1.00  %s\n", secs,
	       secs / 1.0, secs <= 1.0 ? "ok" : "MISS");
	return 0;
}
