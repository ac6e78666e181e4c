/*
 * `oligo export VIEW [ARG]`, `oligo export --all DIR`, `--list`, `--sql`:
 * argument checking only; the views and the writing live in db/view and
 * db/export.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "db/export.h"
#include "lib/strbuf.h"

struct export_args {
	const char *out;
	const char *all; /* --all DIR */
	bool list, sql, excel;
	struct export_opts opts;
	struct view_filter filter;
	const struct view_def *view;
};

static void
list_views(void)
{
	size_t n;
	const struct view_def *const *all = view_all(&n);

	for (size_t i = 0; i < n; i++) {
		if (all[i]->param)
			printf("%-10s %s (optional argument: one %s)\n",
			       all[i]->name, all[i]->title, all[i]->param);
		else
			printf("%-10s %s\n", all[i]->name, all[i]->title);
	}
}

static int
parse_opts(int argc, char **argv, struct export_args *a)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"force", no_argument, NULL, 'f'},
	    {"excel", no_argument, NULL, 'x'},
	    {"format", required_argument, NULL, 'F'},
	    {"alliance", required_argument, NULL, 'a'},
	    {"entity", required_argument, NULL, 'e'},
	    {"market", required_argument, NULL, 'm'},
	    {"kind", required_argument, NULL, 'k'},
	    {"since", required_argument, NULL, 's'},
	    {"until", required_argument, NULL, 'u'},
	    {"search", required_argument, NULL, 'q'},
	    {"sort", required_argument, NULL, 'S'},
	    {"list", no_argument, NULL, 'l'},
	    {"all", required_argument, NULL, 'A'},
	    {"sql", no_argument, NULL, 'Q'},
	    {NULL, 0, NULL, 0},
	};
	struct view_filter *f = &a->filter;
	int c;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case 'f':
			a->opts.force = true;
			break;
		case 'x':
			a->excel = true;
			break;
		case 'F':
			if (!export_format_parse(optarg, &a->opts.format))
				return cli_usage("export",
				                 "unknown format '%s'"
				                 " (csv, tsv or json)",
				                 optarg);
			break;
		case 'a':
			f->alliance = optarg;
			break;
		case 'e':
			f->entity = optarg;
			break;
		case 'm':
			f->market = optarg;
			break;
		case 'k':
			f->kind = optarg;
			break;
		case 's':
			f->since = optarg;
			break;
		case 'u':
			f->until = optarg;
			break;
		case 'q':
			f->search = optarg;
			break;
		case 'S':
			f->sort = optarg;
			break;
		case 'l':
			a->list = true;
			break;
		case 'A':
			a->all = optarg;
			break;
		case 'Q':
			a->sql = true;
			break;
		default:
			return cli_usage("export", "unknown option");
		}
	}
	return 0;
}

static bool
any_filter(const struct view_filter *f)
{
	return f->alliance || f->entity || f->market || f->kind || f->since ||
	       f->until || f->search || f->sort;
}

/* VIEW [ARG]: the argument of a parameterised view (`market M`) is
 * the same filter as its option, so both cannot disagree. */
static int
parse_view(int argc, char **argv, struct export_args *a)
{
	const char *arg;

	if (optind >= argc)
		return cli_usage("export",
		                 "name one view (oligo export --list)");
	if (!(a->view = view_find(argv[optind])))
		return cli_usage("export", "no view '%s' (oligo export --list)",
		                 argv[optind]);
	if (optind + 1 == argc)
		return 0;
	arg = argv[optind + 1];
	if (!a->view->param || optind + 2 != argc)
		return cli_usage("export", "unexpected argument '%s'", arg);
	if (a->filter.market && strcasecmp(a->filter.market, arg))
		return cli_usage("export", "two markets: '%s' and '%s'", arg,
		                 a->filter.market);
	a->filter.market = arg;
	return 0;
}

static int
check_args(int argc, char **argv, struct export_args *a)
{
	if (a->excel && a->opts.format != EXPORT_CSV)
		return cli_usage("export", "--excel applies to CSV only");
	a->opts.excel = a->excel;
	if (a->list)
		return 0;
	if (!a->all)
		return parse_view(argc, argv, a);
	if (optind != argc)
		return cli_usage("export", "--all takes a folder, not a view");
	if (a->out || a->sql || any_filter(&a->filter))
		return cli_usage("export", "--all writes every view unfiltered:"
		                           " no -o, --sql or filters");
	return 0;
}

static int
print_sql(const struct export_args *a)
{
	struct strbuf sql = STRBUF_INIT;
	enum status rc = view_sql(&sql, a->view, &a->filter);

	if (!rc)
		printf("%s;\n", sql.buf);
	strbuf_release(&sql);
	return rc ? cli_fail(rc) : 0;
}

static enum status
run(struct cli *cli, struct db *db, const struct export_args *a)
{
	enum status rc;
	size_t n = 0;

	if (a->all) {
		if (!(rc = export_all(db, a->all, &a->opts, &n)) && !cli->quiet)
			fprintf(stderr, "oligo: wrote %zu files to '%s'\n", n,
			        a->all);
		return rc;
	}
	if (!a->out || !strcmp(a->out, "-"))
		return export_view_fp(db, a->view, &a->filter, stdout,
		                      "standard output", &a->opts, NULL);
	rc = export_view_file(db, a->view, &a->filter, a->out, &a->opts, &n);
	if (!rc && !cli->quiet)
		fprintf(stderr, "oligo: wrote %zu rows to '%s'\n", n, a->out);
	return rc;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	struct export_args a = {0};
	struct db *db;
	enum status rc;
	int urc;

	if ((urc = parse_opts(argc, argv, &a)) ||
	    (urc = check_args(argc, argv, &a)))
		return urc;
	if (a.list) {
		list_views();
		return 0;
	}
	if (a.sql)
		return print_sql(&a);
	if ((rc = cli_open_db(cli, DB_READONLY, &db)))
		return cli_fail(rc);
	rc = run(cli, db, &a);
	db_close(db);
	return rc ? cli_fail(rc) : 0;
}
