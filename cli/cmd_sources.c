#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/view.h"
#include "ingest/date.h"
#include "ingest/edgar.h"
#include "ingest/sources.h"
#include "lib/conf.h"
#include "lib/paths.h"
#include "lib/strbuf.h"

/* Bring the source table in line with defaults + config, so the list
 * shows every source before the first ingest too. */
static enum status
sync_sources(struct cli *cli, const struct conf *c, struct db **db)
{
	struct source_set set;
	bool loaded;
	enum status rc = cli_init_db(cli, db, &loaded);

	if (rc)
		return rc;
	if (!(rc = source_set_build(*db, c, &set))) {
		rc = source_sync(*db, set.v, set.n);
		source_set_release(&set);
	}
	return rc;
}

static enum status
list_sources(struct db *db)
{
	const struct view_def *v = view_find("sources");
	static const char *const show[] = {"name",      "kind",    "enabled",
	                                   "items",     "last_ok", "next_due",
	                                   "last_error"};
	struct view_cursor *c;
	enum status rc = view_open(db, v, NULL, &c);
	char now[DATE_UTC_SIZE];
	bool row;

	if (rc)
		return rc;
	date_format_utc(source_clock(), now);
	printf("%-24s %-18s %-3s %7s %-20s %-20s %s\n", "NAME", "KIND", "ON",
	       "ITEMS", "LAST SUCCESS", "NEXT DUE", "LAST ERROR");
	while (!(rc = view_step(c, &row)) && row) {
		const char *f[7];

		for (size_t i = 0; i < 7; i++) {
			int k = view_col_index(v, show[i]);

			f[i] = view_text(c, (size_t)k);
			f[i] = f[i] ? f[i] : "-";
		}
		/* a time already past is due at the next run */
		printf("%-24s %-18s %-3s %7s %-20s %-20s %s\n", f[0], f[1],
		       !strcmp(f[2], "1") ? "yes" : "no", f[3], f[4],
		       strcmp(f[5], "-") && strcmp(f[5], now) > 0 ? f[5]
		                                                  : "next run",
		       f[6]);
	}
	view_close(c);
	return rc;
}

static int
edit(struct conf *c, int argc, char **argv, const char *kind)
{
	const char *verb = argv[0];

	if (!strcmp(verb, "user-agent") && argc == 2) {
		if (!edgar_user_agent_ok(argv[1]) || strstr(argv[1], "#"))
			return cli_usage(
			    "sources",
			    "SEC needs a name and an "
			    "email: 'Jane Analyst jane@yourfirm.com'");
		free(c->user_agent);
		c->user_agent = strdup(argv[1]);
	} else if (!strcmp(verb, "add") && argc == 3) {
		if (strncmp(argv[2], "http://", 7) &&
		    strncmp(argv[2], "https://", 8))
			return cli_usage("sources", "only http and https URLs");
		if (conf_source_find(c, argv[1]))
			return cli_usage("sources", "source '%s' exists",
			                 argv[1]);
		conf_source_add(c, argv[1], argv[2],
		                kind ? kind : source_kind_sniff(argv[2]));
	} else if (!strcmp(verb, "remove") && argc == 2) {
		if (!conf_source_remove(c, argv[1]))
			return cli_usage("sources",
			                 "no user source '%s' (use "
			                 "'disable' for a built-in one)",
			                 argv[1]);
	} else if ((!strcmp(verb, "enable") || !strcmp(verb, "disable")) &&
	           argc == 2) {
		conf_set_disabled(c, argv[1], !strcmp(verb, "disable"));
	} else {
		return cli_usage("sources", "cannot '%s' with %d argument(s)",
		                 verb, argc - 1);
	}
	return 0;
}

int
cmd_sources(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"kind", required_argument, NULL, 'k'},
	    {NULL, 0, NULL, 0},
	};
	char *path = paths_config();
	struct conf c;
	struct db *db = NULL;
	enum status rc;
	const char *kind = NULL;
	int opt, urc = 0;

	while ((opt = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (opt != 'k' || !source_kind_valid(optarg)) {
			free(path);
			return cli_usage("sources",
			                 "--kind is one of " SOURCE_KINDS);
		}
		kind = optarg;
	}
	if (!path)
		return cli_fail(ST_CONFIG);
	if ((rc = conf_load(&c, path))) {
		free(path);
		return cli_fail(rc);
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && !(urc = edit(&c, argc, argv, kind)))
		rc = conf_save(&c);
	if (!urc && !rc)
		rc = sync_sources(cli, &c, &db);
	if (!urc && !rc && argc == 0)
		rc = list_sources(db);
	db_close(db);
	conf_release(&c);
	free(path);
	return urc ? urc : rc ? cli_fail(rc) : 0;
}
