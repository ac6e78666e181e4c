#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/dataset.h"
#include "db/stats.h"

int
cmd_status(struct cli *cli, int argc, char **argv)
{
	struct db_stats s;
	struct db *db;
	enum status rc;
	char *digest;

	if (argc > 1)
		return cli_usage("status", "unexpected argument '%s'", argv[1]);
	if ((rc = cli_open_db(cli, DB_READONLY, &db)))
		return cli_fail(rc);
	if ((rc = db_check(db)) || (rc = db_stats_read(db, &s))) {
		db_close(db);
		return cli_fail(rc);
	}
	digest = db_meta_get(db, "dataset_digest");
	printf("database:  %s\n", db_path(db));
	printf("schema:    %d (this oligo: %d)\n", db_user_version(db),
	       db_schema_version());
	printf("dataset:   %s%s\n", digest ? digest : "not loaded",
	       digest && strcmp(digest, dataset_digest())
	           ? " (run 'oligo init')"
	           : "");
	printf("facts as of: %s .. %s\n", s.as_of_min ? s.as_of_min : "-",
	       s.as_of_max ? s.as_of_max : "-");
	printf("last ingest: %s\n", s.last_ingest ? s.last_ingest : "never");
	printf("rows:\n");
	for (size_t i = 0; i < s.ntables; i++)
		printf("  %-13s %lld\n", s.tables[i].table,
		       (long long)s.tables[i].rows);
	free(digest);
	db_stats_release(&s);
	db_close(db);
	return 0;
}
