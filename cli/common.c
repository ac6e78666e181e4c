#include <stdio.h>

#include "cli/cli.h"
#include "analysis/refresh.h"
#include "db/dataset.h"

enum status
cli_open_db(struct cli *cli, enum db_mode mode, struct db **out)
{
	return db_open(out, cli->db_path, mode);
}

enum status
cli_init_db(struct cli *cli, struct db **out, bool *loaded)
{
	enum status rc = db_open(out, cli->db_path, DB_READWRITE);

	*loaded = false;
	if (!rc)
		rc = db_check(*out);
	if (!rc)
		rc = dataset_load(*out, loaded);
	if (!rc && *loaded)
		rc = cli_refresh(*out);
	if (rc && *out) {
		db_close(*out);
		*out = NULL;
	}
	return rc;
}

enum status
cli_refresh(struct db *db)
{
	return analysis_refresh(db);
}
