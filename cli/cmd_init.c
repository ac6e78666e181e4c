#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "db/dataset.h"

int
cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	struct db *db;
	bool loaded;
	enum status rc;
	int c;

	while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		if (c != 'q')
			return cli_usage("init", "unknown option");
		cli->quiet = true;
	}
	if (optind < argc)
		return cli_usage("init", "unexpected argument '%s'",
		                 argv[optind]);
	if ((rc = cli_init_db(cli, &db, &loaded)))
		return cli_fail(rc);
	if (!cli->quiet)
		printf("%s: schema %d, bundled dataset %s (%s)\n", db_path(db),
		       db_user_version(db), dataset_digest(),
		       loaded ? "loaded" : "already current");
	db_close(db);
	return 0;
}
