#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/refresh.h"
#include "cli/cli.h"
#include "lib/xalloc.h"

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

struct analyze_opts {
	const char *market, *period;
	enum scenario_kind kind;
	char *merge_buf;
	const char *merge[16];
	size_t nmerge;
	enum format fmt;
};

static json_t *
num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
row_json(const struct panel_row *row, const struct conc *c,
	 const struct metric_values *v, bool scenario)
{
	json_t *o = json_object();

	json_object_set_new(o, "market", json_string(row->market));
	json_object_set_new(o, "period", json_string(row->period));
	json_object_set_new(o, "n_firms", json_integer((json_int_t)c->n));
	json_object_set_new(o, "hhi", num(c->hhi));
	json_object_set_new(o, "hhi_lower", num(c->hhi_lower));
	json_object_set_new(o, "hhi_upper", num(c->hhi_upper));
	for (int k = 0; k < 4; k++) {
		char key[4] = {'c', 'r', (char)('1' + k), 0};

		json_object_set_new(o, key, num(c->cr[k]));
	}
	json_object_set_new(o, "hhi_normalized", num(c->hhi_normalized));
	json_object_set_new(o, "hall_tideman", num(c->hall_tideman));
	json_object_set_new(o, "gini", num(c->gini));
	json_object_set_new(o, "entropy", num(c->entropy));
	json_object_set_new(o, "theil", num(c->theil));
	json_object_set_new(o, "linda", num(c->linda));
	json_object_set_new(o, "dominance", num(c->dominance));
	json_object_set_new(o, "ck", num(c->ck));
	if (!scenario)
		return o;
	json_object_set_new(o, "scenario", json_string(v->scenario));
	json_object_set_new(o, "hhi_post", num(v->hhi_post));
	json_object_set_new(o, "delta_hhi", num(v->delta_hhi));
	json_object_set_new(o, "merged_share", num(v->merged_share));
	json_object_set_new(o, "mhhi", num(v->mhhi));
	json_object_set_new(o, "delta_mhhi", num(v->delta_mhhi));
	return o;
}

static void
print_row(FILE *fp, enum format fmt, const struct panel_row *row,
	  const struct conc *c, const struct metric_values *v, bool scen)
{
	if (fmt == FMT_CSV) {
		fprintf(fp, "%s,%s,%zu,%.17g,%.17g,%.17g,%.17g", row->market,
			row->period, c->n, c->hhi, c->hhi_upper, c->cr[0],
			c->cr[3]);
		if (scen)
			fprintf(fp, ",%s,%.17g,%.17g,%.17g,%s,%s,%s", v->scenario,
				v->hhi_post, v->delta_hhi, v->merged_share,
				v->us2023, v->us2010, v->eu2004);
		fputs("\r\n", fp);
		return;
	}
	fprintf(fp, "%-28.28s %-8s %5zu %7.0f %7.0f %6.1f %6.1f", row->market,
		row->period, c->n, c->hhi, c->hhi_upper, c->cr[0], c->cr[3]);
	if (scen)
		fprintf(fp, "  %7.0f %6.0f %6.1f  %-12s %-9s %s", v->hhi_post,
			v->delta_hhi, v->merged_share, v->us2023, v->us2010,
			v->eu2004);
	fputc('\n', fp);
}

static void
print_header(enum format fmt, bool scen)
{
	if (fmt == FMT_CSV) {
		fputs("market,period,n_firms,hhi_points,hhi_upper_points,"
		      "cr1_pct,cr4_pct", stdout);
		if (scen)
			fputs(",scenario,hhi_post_points,delta_hhi_points,"
			      "merged_share_pct,us2023,us2010,eu2004", stdout);
		fputs("\r\n", stdout);
	} else if (fmt == FMT_TABLE) {
		printf("%-28s %-8s %5s %7s %7s %6s %6s", "market", "period",
		       "firms", "HHI", "HHI max", "CR1", "CR4");
		if (scen)
			printf("  %7s %6s %6s  %-12s %-9s %s", "post", "ΔHHI",
			       "merged", "US 2023", "US 2010", "EU 2004");
		putchar('\n');
	}
}

static enum status
run_analysis(struct db *db, const struct analyze_opts *o)
{
	bool scen = o->kind != SCENARIO_STANDALONE;
	json_t *arr = json_array();
	struct panel p;
	enum status rc = panel_load(db, o->market, o->period, &p);

	if (!rc && !p.nrows)
		rc = err_set(ST_DATAERR, "no shares%s%s%s%s", o->market ? " for "
			     : "", o->market ? o->market : "", o->period
			     ? " in " : "", o->period ? o->period : "");
	if (!rc)
		print_header(o->fmt, scen);
	for (size_t r = 0; r < p.nrows && !rc; r++) {
		struct metric_values v;
		struct conc c;

		rc = analysis_row(&p, &p.rows[r], o->kind, o->merge, o->nmerge,
				  &c, &v);
		if (rc)
			break;
		if (o->fmt == FMT_JSON)
			json_array_append_new(arr, row_json(&p.rows[r], &c, &v,
							    scen));
		else
			print_row(stdout, o->fmt, &p.rows[r], &c, &v, scen);
	}
	if (!rc && o->fmt == FMT_JSON) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
		putchar('\n');
	}
	json_decref(arr);
	panel_release(&p);
	return rc;
}

static int
parse_merge(struct analyze_opts *o, const char *arg)
{
	char *save = NULL;

	free(o->merge_buf);
	o->merge_buf = xstrdup(arg);
	o->nmerge = 0;
	for (char *t = strtok_r(o->merge_buf, "+", &save); t;
	     t = strtok_r(NULL, "+", &save)) {
		if (o->nmerge == sizeof(o->merge) / sizeof(o->merge[0]))
			return cli_usage("analyze", "too many firms in --merge");
		o->merge[o->nmerge++] = t;
	}
	if (o->nmerge < 2)
		return cli_usage("analyze", "--merge needs two firms: A+B");
	o->kind = SCENARIO_MERGE;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option opts[] = {
		{"market", required_argument, NULL, 'm'},
		{"period", required_argument, NULL, 'p'},
		{"merge", required_argument, NULL, 'M'},
		{"scenario", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': o->market = optarg; break;
		case 'p': o->period = optarg; break;
		case 'M':
			if ((rc = parse_merge(o, optarg)))
				return rc;
			break;
		case 's':
			if (!strcmp(optarg, "standalone"))
				o->kind = SCENARIO_STANDALONE;
			else if (!strcmp(optarg, "alliances"))
				o->kind = SCENARIO_ALLIANCES;
			else
				return cli_usage("analyze",
						 "unknown scenario '%s'", optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "table"))
				o->fmt = FMT_TABLE;
			else if (!strcmp(optarg, "csv"))
				o->fmt = FMT_CSV;
			else if (!strcmp(optarg, "json"))
				o->fmt = FMT_JSON;
			else
				return cli_usage("analyze",
						 "unknown format '%s'", optarg);
			break;
		default:
			return cli_usage("analyze", "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage("analyze", "unexpected argument '%s'",
				 argv[optind]);
	return 0;
}

int
cmd_analyze(struct cli *cli, int argc, char **argv)
{
	struct analyze_opts o = {0};
	struct db *db;
	enum status rc;
	int prc = parse_opts(argc, argv, &o);

	if (prc) {
		free(o.merge_buf);
		return prc;
	}
	if ((rc = cli_open_db(cli, DB_READONLY, &db))) {
		free(o.merge_buf);
		return cli_fail(rc);
	}
	rc = run_analysis(db, &o);
	db_close(db);
	free(o.merge_buf);
	return rc ? cli_fail(rc) : 0;
}
