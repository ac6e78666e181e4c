#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/import.h"

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	struct import_report rep;
	enum status (*fn)(struct db *, const char *, struct import_report *);
	struct db *db;
	bool loaded;
	enum status rc;

	if (argc != 3)
		return cli_usage("import", "usage: oligo import shares|holdings "
				 "FILE.csv");
	if (!strcmp(argv[1], "shares"))
		fn = import_shares;
	else if (!strcmp(argv[1], "holdings"))
		fn = import_holdings;
	else
		return cli_usage("import", "cannot import '%s' (shares or "
				 "holdings)", argv[1]);
	/* Import into an initialized database, so names resolve against
	 * the bundled dataset rather than creating duplicates of it. */
	if ((rc = cli_init_db(cli, &db, &loaded)))
		return cli_fail(rc);
	import_report_init(&rep);
	rc = fn(db, argv[2], &rep);
	if (!rc && rep.changed)
		rc = cli_refresh(db);
	if (!rc && rep.created.len) {
		/* Created names are worth a look: a typo makes a new firm. */
		const char *p = rep.created.buf;

		while (*p) {
			size_t n = strcspn(p, "\n");

			fprintf(stderr, "oligo: %s: created %.*s\n", argv[2],
				(int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	import_report_release(&rep);
	db_close(db);
	return rc ? cli_fail(rc) : 0;
}
