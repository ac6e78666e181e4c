/*
 * oligo analyze: concentration indices per market-period under a
 * scenario, the common-ownership kappa table (--kappa) and each lab's
 * dependence on its alliance's cloud (--dependence).
 *
 * Exit codes: 64 for bad options, an unknown market or an unknown
 * --merge firm (names the user typed that the database does not know);
 * 65 when a known market has no point shares (or no holdings are in
 * force for --kappa).  A --merge firm that exists but has no share in the
 * selected market-periods is reported on stderr and changes nothing
 * (delta 0); the rows are still printed and the exit code is 0.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/refresh.h"
#include "analysis/screen.h"
#include "cli/cli.h"
#include "db/entity.h"
#include "db/holdings.h"
#include "lib/xalloc.h"

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };
enum mode { MODE_MARKETS, MODE_KAPPA, MODE_DEPENDENCE };

#define MAX_MERGE 16

struct analyze_opts {
	const char *market, *period;
	enum scenario_kind kind;
	bool scenario_given;
	enum mode mode;
	char *merge_buf;
	const char *merge[MAX_MERGE];
	int64_t merge_id[MAX_MERGE];
	size_t nmerge;
	enum format fmt;
};

static json_t *
num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
screens_json(const struct metric_values *v)
{
	struct screens s;
	const char *rule;
	json_t *o;

	screens_eval(v->hhi_post, v->delta_hhi,
	             isfinite(v->merged_share) ? v->merged_share : 0.0, &s);
	rule = screens_us2023_rule_name(s.us2023.rule);
	o = json_pack("{s:{s:s,s:o},s:{s:s,s:s},s:{s:s}}", "us2023", "verdict",
	              screens_us2023_verdict_name(s.us2023.verdict), "rule",
	              rule ? json_string(rule) : json_null(), "us2010", "band",
	              screens_us2010_band_name(s.us2010.band), "verdict",
	              screens_us2010_verdict_name(s.us2010.verdict), "eu2004",
	              "verdict", screens_eu2004_verdict_name(s.eu2004.verdict));
	return o;
}

static void
indices_json(json_t *o, const struct conc *c)
{
	json_object_set_new(o, "hhi_normalized", num(c->hhi_normalized));
	json_object_set_new(o, "hall_tideman", num(c->hall_tideman));
	json_object_set_new(o, "gini", num(c->gini));
	json_object_set_new(o, "entropy", num(c->entropy));
	json_object_set_new(o, "theil", num(c->theil));
	json_object_set_new(o, "linda", num(c->linda));
	json_object_set_new(o, "dominance", num(c->dominance));
	json_object_set_new(o, "ck", num(c->ck));
}

static void
scenario_json(json_t *o, const struct row_result *res)
{
	const struct metric_values *v = &res->v;

	json_object_set_new(o, "scenario", json_string(v->scenario));
	json_object_set_new(o, "hhi_post", num(v->hhi_post));
	json_object_set_new(o, "delta_hhi", num(v->delta_hhi));
	json_object_set_new(o, "merged_share", num(v->merged_share));
	json_object_set_new(o, "mhhi", num(v->mhhi));
	json_object_set_new(o, "delta_mhhi", num(v->delta_mhhi));
	json_object_set_new(o, "screens", screens_json(v));
	if (strcmp(v->scenario, "ownership"))
		return;
	json_object_set_new(o, "holdings_used",
	                    json_integer((json_int_t)res->own.used));
	json_object_set_new(o, "holdings_undisclosed",
	                    json_integer((json_int_t)res->own.undisclosed));
}

static json_t *
row_json(const struct panel_row *row, const struct row_result *res,
         bool scenario)
{
	const struct conc *c = &res->conc;
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
	indices_json(o, c);
	if (scenario)
		scenario_json(o, res);
	return o;
}

static const char *
str(const char *s)
{
	return s ? s : "";
}

/* A table cell: the number with decimals places, or "-" when unknown.
 * Rotating buffers so one printf can hold several. */
static const char *
table_num(double v, int decimals)
{
	static char bufs[8][32];
	static unsigned next;
	char *b = bufs[next++ % 8];

	if (!isfinite(v))
		return "-";
	snprintf(b, sizeof(bufs[0]), "%.*f", decimals, v);
	return b;
}
#define N(v, d) table_num((v), (d))

/* A CSV cell: shortest round-trip digits, or empty when unknown. */
static const char *
csv_num(double v)
{
	static char bufs[8][32];
	static unsigned next;
	char *b = bufs[next++ % 8];

	if (!isfinite(v))
		return "";
	snprintf(b, sizeof(bufs[0]), "%.17g", v);
	return b;
}

static void
print_row(enum format fmt, const struct panel_row *row,
          const struct row_result *res, bool scen)
{
	const struct conc *c = &res->conc;
	const struct metric_values *v = &res->v;

	if (fmt == FMT_CSV) {
		printf("%s,%s,%zu,%s,%s,%s,%s", row->market, row->period, c->n,
		       csv_num(c->hhi), csv_num(c->hhi_upper),
		       csv_num(c->cr[0]), csv_num(c->cr[3]));
		if (scen)
			printf(",%s,%s,%s,%s,%s,%s,%s,%s,%s", v->scenario,
			       csv_num(v->hhi_post), csv_num(v->delta_hhi),
			       csv_num(v->merged_share), csv_num(v->mhhi),
			       csv_num(v->delta_mhhi), str(v->us2023),
			       str(v->us2010), str(v->eu2004));
		fputs("\r\n", stdout);
		return;
	}
	printf("%-28.28s %-10s %5zu %7s %7s %6s %6s", row->market, row->period,
	       c->n, N(c->hhi, 0), N(c->hhi_upper, 0), N(c->cr[0], 1),
	       N(c->cr[3], 1));
	if (scen)
		printf("  %7s %6s %6s %7s  %-12s %-9s %s", N(v->hhi_post, 0),
		       N(v->delta_hhi, 0), N(v->merged_share, 1), N(v->mhhi, 0),
		       str(v->us2023), str(v->us2010), str(v->eu2004));
	putchar('\n');
}

static void
print_header(enum format fmt, bool scen)
{
	if (fmt == FMT_CSV) {
		fputs("market,period,n_firms,hhi_points,hhi_upper_points,"
		      "cr1_pct,cr4_pct",
		      stdout);
		if (scen)
			fputs(",scenario,hhi_post_points,delta_hhi_points,"
			      "merged_share_pct,mhhi_points,delta_mhhi_points,"
			      "us2023,us2010,eu2004",
			      stdout);
		fputs("\r\n", stdout);
	} else if (fmt == FMT_TABLE) {
		printf("%-28s %-10s %5s %7s %7s %6s %6s", "market", "period",
		       "firms", "HHI", "HHI max", "CR1", "CR4");
		if (scen)
			printf("  %7s %6s %6s %7s  %-12s %-9s %s", "post",
			       "ΔHHI", "merged", "MHHI", "US 2023", "US 2010",
			       "EU 2004");
		putchar('\n');
	}
}

static void
emit(json_t *arr, enum format fmt)
{
	if (fmt == FMT_JSON) {
		json_dumpf(arr, stdout,
		           JSON_INDENT(2) | JSON_REAL_PRECISION(17));
		putchar('\n');
	}
}

/* A named merger party with no share anywhere selected changes nothing. */
static void
note_absent(const struct panel *p, const struct analyze_opts *o)
{
	for (size_t m = 0; m < o->nmerge; m++) {
		bool seen = false;

		for (size_t k = 0; k < p->nshares && !seen; k++)
			seen = p->entity_id[k] == o->merge_id[m];
		if (!seen)
			fprintf(stderr,
			        "oligo: analyze: note: '%s' has no share in "
			        "%s%s%s; merging it changes nothing\n",
			        o->merge[m],
			        o->market ? o->market : "any market",
			        o->period ? " in " : "", str(o->period));
	}
}

/* Per-alliance results of one row (alliances scenario). */
struct alliance_rows {
	double *delta, *share;
	size_t *members;
};

/* "alliances": every alliance with a listed member in the row. */
static json_t *
alliances_json(const struct panel *p, const struct panel_row *row,
               const struct alliance_rows *a)
{
	json_t *arr = json_array();

	for (size_t g = 0; g < p->nalliances; g++) {
		json_t *members = json_array();

		if (!a->members[g]) {
			json_decref(members);
			continue;
		}
		for (size_t i = 0; i < row->n; i++)
			if (p->alliance[row->first + i] == (int)g)
				json_array_append_new(
				    members,
				    json_string(
				        p->entity_name[row->first + i]));
		json_array_append_new(
		    arr,
		    json_pack("{s:s,s:o,s:o,s:o}", "alliance", p->alliances[g],
		              "members", members, "share", num(a->share[g]),
		              "delta_hhi", num(a->delta[g])));
	}
	return arr;
}

/* One indented table line per alliance with a listed member. */
static void
print_alliances(const struct panel *p, const struct alliance_rows *a)
{
	for (size_t g = 0; g < p->nalliances; g++)
		if (a->members[g])
			printf("  %s  share %s%%  ΔHHI %s\n", p->alliances[g],
			       N(a->share[g], 1), N(a->delta[g], 0));
}

static enum status
print_markets(const struct panel *p, const struct analyze_opts *o,
              const struct scenario_spec *spec)
{
	bool scen = o->kind != SCENARIO_STANDALONE;
	bool per_alliance = o->kind == SCENARIO_ALLIANCES && o->fmt != FMT_CSV;
	size_t ng = p->nalliances ? p->nalliances : 1;
	struct alliance_rows a = {xcalloc(ng, sizeof(double)),
	                          xcalloc(ng, sizeof(double)),
	                          xcalloc(ng, sizeof(size_t))};
	json_t *arr = json_array();
	enum status rc = ST_OK;

	print_header(o->fmt, scen);
	for (size_t r = 0; r < p->nrows && !rc; r++) {
		const struct panel_row *row = &p->rows[r];
		struct row_result res;
		json_t *obj;

		if ((rc = analysis_row(p, row, spec, &res)) ||
		    (per_alliance &&
		     (rc = analysis_row_alliances(p, row, a.delta, a.share,
		                                  a.members))))
			break;
		if (o->fmt == FMT_JSON) {
			obj = row_json(row, &res, scen);
			if (per_alliance)
				json_object_set_new(obj, "alliances",
				                    alliances_json(p, row, &a));
			json_array_append_new(arr, obj);
		} else {
			print_row(o->fmt, row, &res, scen);
			if (per_alliance)
				print_alliances(p, &a);
		}
	}
	if (!rc)
		emit(arr, o->fmt);
	json_decref(arr);
	free(a.delta);
	free(a.share);
	free(a.members);
	return rc;
}

static enum status
run_markets(struct db *db, const struct analyze_opts *o)
{
	struct scenario_spec spec = {o->kind, o->merge_id, o->nmerge, NULL};
	struct holdings h = {0};
	struct panel p;
	enum status rc = panel_load(db, o->market, o->period, &p);

	if (!rc && !p.nrows)
		rc = err_set(ST_DATAERR, "no point shares%s%s%s%s",
		             o->market ? " for market " : "", str(o->market),
		             o->period ? " in " : "", str(o->period));
	if (!rc && o->kind == SCENARIO_OWNERSHIP &&
	    !(rc = holdings_load(db, &h)))
		spec.holdings = &h;
	if (!rc && o->kind == SCENARIO_ALLIANCES && o->fmt == FMT_JSON)
		rc = panel_load_names(db, &p);
	if (!rc)
		rc = print_markets(&p, o, &spec);
	if (!rc && o->kind == SCENARIO_MERGE)
		note_absent(&p, o);
	holdings_release(&h);
	panel_release(&p);
	return rc;
}

/* Without --period: the holdings in force now, labelled by the latest
 * as_of on record. */
static const char *
latest_as_of(const struct holdings *h)
{
	const char *best = NULL;

	for (size_t i = 0; i < h->n; i++)
		if (h->rows[i].as_of &&
		    (!best || strcmp(h->rows[i].as_of, best) > 0))
			best = h->rows[i].as_of;
	return best;
}

static void
print_kappa(const struct kappa_table *t, const char *period, enum format fmt)
{
	json_t *o, *firms = json_array(), *rows = json_array();

	for (size_t i = 0; i < t->F; i++) {
		json_t *row = json_array();

		json_array_append_new(firms, json_string(t->firms[i]));
		for (size_t j = 0; j < t->F; j++)
			json_array_append_new(row, num(t->kappa[i * t->F + j]));
		json_array_append_new(rows, row);
	}
	o = json_pack("{s:o,s:o,s:o,s:I,s:I}", "period",
	              period ? json_string(period) : json_null(), "firms",
	              firms, "kappa", rows, "investors",
	              (json_int_t)t->stats.investors, "holdings_undisclosed",
	              (json_int_t)t->stats.undisclosed);
	if (fmt == FMT_JSON) {
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
		putchar('\n');
	} else {
		printf("kappa[i][j]: weight firm i's manager puts on firm j's "
		       "profit (%s)\n%-16s",
		       period ? period : "latest", "");
		for (size_t j = 0; j < t->F; j++)
			printf(fmt == FMT_CSV ? ",%s" : " %8.8s", t->firms[j]);
		putchar('\n');
		for (size_t i = 0; i < t->F; i++) {
			printf("%-16.16s", t->firms[i]);
			for (size_t j = 0; j < t->F; j++)
				printf(fmt == FMT_CSV ? ",%.17g" : " %8.4f",
				       t->kappa[i * t->F + j]);
			putchar('\n');
		}
	}
	json_decref(o);
}

static enum status
run_kappa(struct db *db, const struct analyze_opts *o)
{
	struct kappa_table t;
	struct holdings h;
	char end[11] = "9999-12-31";
	const char *period = o->period;
	enum status rc;

	/* Rows after the period cannot be in force in it: skip them. */
	if (period)
		ownership_period_end(period, end);
	if ((rc = holdings_load_until(db, period ? end : NULL, &h)))
		return rc;
	if (!period)
		period = latest_as_of(&h);
	if (ownership_kappa(&h, end, &t))
		rc = err_set(ST_DATAERR, "holdings outside 0-100%%");
	else if (!t.F)
		rc = err_set(ST_DATAERR, "no disclosed holdings in force%s%s",
		             o->period ? " in " : "", str(o->period));
	else
		print_kappa(&t, period, o->fmt);
	ownership_kappa_release(&t);
	holdings_release(&h);
	return rc;
}

static json_t *
dependence_json(const struct dependence_rec *d)
{
	return json_pack(
	    "{s:s,s:o,s:s,s:i,s:i,s:o,s:o,s:o}", "lab", d->lab, "alliance",
	    d->alliance ? json_string(d->alliance) : json_null(), "period",
	    d->period, "deals", d->deals, "undisclosed_deals", d->undisclosed,
	    "disclosed_usd", num(d->disclosed_usd), "own_cloud_usd",
	    num(d->own_cloud_usd), "dependence_pct", num(d->dependence_pct));
}

static void
print_dependence(const struct dependence_rec *d, enum format fmt)
{
	if (fmt == FMT_CSV)
		printf("%s,%s,%s,%d,%d,%s,%s,%s\r\n", d->lab, str(d->alliance),
		       d->period, d->deals, d->undisclosed,
		       csv_num(d->disclosed_usd), csv_num(d->own_cloud_usd),
		       csv_num(d->dependence_pct));
	else
		printf("%-16.16s %-18.18s %-6s %5d %11d %14s %14s %8s\n",
		       d->lab, d->alliance ? d->alliance : "-", d->period,
		       d->deals, d->undisclosed, N(d->disclosed_usd, 0),
		       N(d->own_cloud_usd, 0), N(d->dependence_pct, 1));
}

static enum status
run_dependence(struct db *db, const struct analyze_opts *o)
{
	struct dependence_rec *d;
	json_t *arr = json_array();
	size_t n;
	enum status rc = dependence_load(db, &d, &n);

	if (rc) {
		json_decref(arr);
		return rc;
	}
	if (o->fmt == FMT_CSV)
		fputs("lab,alliance,period,deals,undisclosed_deals,"
		      "disclosed_usd,own_cloud_usd,dependence_pct\r\n",
		      stdout);
	else if (o->fmt == FMT_TABLE)
		printf("%-16s %-18s %-6s %5s %11s %14s %14s %8s\n", "lab",
		       "alliance", "year", "deals", "undisclosed",
		       "disclosed $", "own cloud $", "own %");
	for (size_t i = 0; i < n; i++) {
		if (o->period && strcmp(o->period, d[i].period))
			continue;
		if (o->fmt == FMT_JSON)
			json_array_append_new(arr, dependence_json(&d[i]));
		else
			print_dependence(&d[i], o->fmt);
	}
	emit(arr, o->fmt);
	json_decref(arr);
	dependence_release(d, n);
	return ST_OK;
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
		if (o->nmerge == MAX_MERGE)
			return cli_usage("analyze",
			                 "too many firms in --merge "
			                 "(at most %d)",
			                 MAX_MERGE);
		o->merge[o->nmerge++] = t;
	}
	if (o->nmerge < 2)
		return cli_usage("analyze", "--merge needs two firms: A+B");
	o->kind = SCENARIO_MERGE;
	return 0;
}

static int
parse_scenario(struct analyze_opts *o, const char *arg)
{
	static const char *const names[] = {"standalone", "alliances", NULL,
	                                    "ownership"};

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (names[k] && !strcmp(arg, names[k])) {
			o->kind = (enum scenario_kind)k;
			o->scenario_given = true;
			return 0;
		}
	return cli_usage("analyze",
	                 "unknown scenario '%s' (standalone, "
	                 "alliances or ownership)",
	                 arg);
}

static int
parse_format(struct analyze_opts *o, const char *arg)
{
	static const char *const names[] = {"table", "csv", "json"};

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (!strcmp(arg, names[k])) {
			o->fmt = (enum format)k;
			return 0;
		}
	return cli_usage("analyze", "unknown format '%s'", arg);
}

/* Options that contradict each other are usage errors, not guesses. */
static int
check_combination(const struct analyze_opts *o)
{
	if (o->kind == SCENARIO_MERGE && o->scenario_given)
		return cli_usage("analyze", "--merge is a scenario of its own; "
		                            "drop --scenario");
	if (o->mode != MODE_MARKETS &&
	    (o->market || o->kind != SCENARIO_STANDALONE))
		return cli_usage("analyze", "--kappa and --dependence take "
		                            "only --period and --format");
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
	    {"kappa", no_argument, NULL, 'k'},
	    {"dependence", no_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	int c, rc = 0;

	while (!rc && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o->market = optarg;
			break;
		case 'p':
			o->period = optarg;
			break;
		case 'M':
			rc = parse_merge(o, optarg);
			break;
		case 's':
			rc = parse_scenario(o, optarg);
			break;
		case 'f':
			rc = parse_format(o, optarg);
			break;
		case 'k':
		case 'd':
			if (o->mode != MODE_MARKETS)
				return cli_usage(
				    "analyze",
				    "--kappa and "
				    "--dependence exclude each other");
			o->mode = c == 'k' ? MODE_KAPPA : MODE_DEPENDENCE;
			break;
		default:
			return cli_usage("analyze", "unknown option");
		}
	}
	if (!rc && optind < argc)
		return cli_usage("analyze", "unexpected argument '%s'",
		                 argv[optind]);
	return rc ? rc : check_combination(o);
}

/* Names the user typed must exist: 64 (usage) when they do not. */
static int
resolve_names(struct db *db, struct analyze_opts *o, enum status *rc)
{
	bool known = true;

	if (o->market && (*rc = panel_market_known(db, o->market, &known)))
		return 0;
	if (!known)
		return cli_usage("analyze",
		                 "unknown market '%s' (oligo export "
		                 "markets lists them)",
		                 o->market);
	for (size_t m = 0; m < o->nmerge; m++) {
		if ((*rc = entity_find(db, o->merge[m], &o->merge_id[m])))
			return 0;
		if (!o->merge_id[m])
			return cli_usage("analyze",
			                 "--merge: unknown firm '%s'",
			                 o->merge[m]);
	}
	return 0;
}

int
cmd_analyze(struct cli *cli, int argc, char **argv)
{
	struct analyze_opts o = {0};
	enum status rc = ST_OK;
	struct db *db;
	int prc = parse_opts(argc, argv, &o);

	if (prc || (rc = cli_open_db(cli, DB_READONLY, &db))) {
		free(o.merge_buf);
		return prc ? prc : cli_fail(rc);
	}
	prc = resolve_names(db, &o, &rc);
	if (!prc && !rc) {
		if (o.mode == MODE_KAPPA)
			rc = run_kappa(db, &o);
		else if (o.mode == MODE_DEPENDENCE)
			rc = run_dependence(db, &o);
		else
			rc = run_markets(db, &o);
	}
	db_close(db);
	free(o.merge_buf);
	return prc ? prc : rc ? cli_fail(rc) : 0;
}
