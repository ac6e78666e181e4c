#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/export.h"
#include "lib/afile.h"

static void
list_views(void)
{
	size_t n;
	const struct view_def *const *all = view_all(&n);

	for (size_t i = 0; i < n; i++)
		printf("%-10s %s\n", all[i]->name, all[i]->title);
}

struct export_opts {
	const char *out;
	bool force, excel, tsv;
	struct view_filter filter;
};

static int
parse_opts(int argc, char **argv, struct export_opts *o)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'f'},
		{"excel", no_argument, NULL, 'x'},
		{"format", required_argument, NULL, 'F'},
		{"alliance", required_argument, NULL, 'a'},
		{"entity", required_argument, NULL, 'e'},
		{"market", required_argument, NULL, 'm'},
		{"since", required_argument, NULL, 's'},
		{"until", required_argument, NULL, 'u'},
		{"search", required_argument, NULL, 'q'},
		{"sort", required_argument, NULL, 'S'},
		{"list", no_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'f': o->force = true; break;
		case 'x': o->excel = true; break;
		case 'F':
			if (strcmp(optarg, "csv") && strcmp(optarg, "tsv"))
				return cli_usage("export",
						 "unknown format '%s'", optarg);
			o->tsv = !strcmp(optarg, "tsv");
			break;
		case 'a': o->filter.alliance = optarg; break;
		case 'e': o->filter.entity = optarg; break;
		case 'm': o->filter.market = optarg; break;
		case 's': o->filter.since = optarg; break;
		case 'u': o->filter.until = optarg; break;
		case 'q': o->filter.search = optarg; break;
		case 'S': o->filter.sort = optarg; break;
		case 'l': list_views(); return -1;
		default: return cli_usage("export", "unknown option");
		}
	}
	return 0;
}

static enum status
write_view(struct db *db, const struct view_def *v,
	   const struct export_opts *o)
{
	struct csv_writer w;
	struct afile af;
	enum status rc;

	if (!o->out) {
		csv_writer_init(&w, stdout, o->tsv ? CSV_TSV : CSV_RFC4180,
				o->excel);
		w.name = "standard output";
		return view_export(db, v, &o->filter, &w, NULL);
	}
	if ((rc = afile_open(&af, o->out, o->force ? AFILE_FORCE : 0)))
		return rc;
	csv_writer_init(&w, af.fp, o->tsv ? CSV_TSV : CSV_RFC4180, o->excel);
	w.name = o->out;
	if ((rc = view_export(db, v, &o->filter, &w, NULL))) {
		afile_abort(&af);
		return rc;
	}
	return afile_commit(&af);
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	struct export_opts o = {0};
	const struct view_def *v;
	struct db *db;
	enum status rc;
	int prc = parse_opts(argc, argv, &o);

	if (prc)
		return prc < 0 ? 0 : prc;
	if (optind + 1 != argc)
		return cli_usage("export", "name one view (oligo export --list)");
	if (!(v = view_find(argv[optind])))
		return cli_usage("export", "no view '%s' (oligo export --list)",
				 argv[optind]);
	if ((rc = cli_open_db(cli, DB_READONLY, &db)))
		return cli_fail(rc);
	rc = write_view(db, v, &o);
	db_close(db);
	return rc ? cli_fail(rc) : 0;
}
