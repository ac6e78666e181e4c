#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/ingest.h"
#include "lib/paths.h"
#include "lib/xalloc.h"

int
cmd_ingest(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"verbose", no_argument, NULL, 'v'},
	    {"source", required_argument, NULL, 's'},
	    {"force", no_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct ingest_options o = {.db_path = cli->db_path};
	const char **only = xcalloc((size_t)argc, sizeof(char *));
	char *config = paths_config();
	enum status rc;
	int c;

	while ((c = getopt_long(argc, argv, "vs:f", opts, NULL)) != -1) {
		if (c == 'v') {
			o.verbose = true;
		} else if (c == 'f') {
			o.force = true;
		} else if (c == 's') {
			only[o.nonly++] = optarg;
		} else {
			free(only);
			free(config);
			return cli_usage("ingest", "unknown option");
		}
	}
	if (optind < argc || !config) {
		free(only);
		free(config);
		return optind < argc
		           ? cli_usage("ingest", "unexpected argument '%s'",
		                       argv[optind])
		           : cli_fail(ST_CONFIG);
	}
	o.only = only;
	o.config_path = config;
	o.progress = isatty(STDERR_FILENO) && !o.verbose;
	rc = ingest_run(&o);
	free(only);
	free(config);
	if ((rc == ST_TEMPFAIL || rc == ST_CONFIG || rc == ST_IOERR) &&
	    !*err_msg())
		return status_exit_code(rc); /* sources reported already */
	return rc ? cli_fail(rc) : 0;
}
