#include "cli/cli.h"
#include "tui/tui.h"

int
cmd_tui(struct cli *cli, int argc, char **argv)
{
	enum status rc;

	if (argc > 1)
		return cli_usage("tui", "unexpected argument '%s'", argv[1]);
	rc = tui_run(cli->db_path);
	return rc ? cli_fail(rc) : 0;
}
