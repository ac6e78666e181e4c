/* oligo — market power and antitrust in the AI industry, in a terminal. */
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/paths.h"
#include "lib/xalloc.h"

const struct cli_command cli_commands[] = {
    {"init", cmd_init, "init [--quiet]",
     "create or migrate the database and load the bundled dataset",
     "Idempotent: running it again changes nothing unless this oligo\n"
     "bundles a newer dataset.  Rows you imported are never touched.\n"},
    {"status", cmd_status, "status",
     "database path, schema version, rows per table, last ingest", ""},
    {"tui", cmd_tui, "tui",
     "open the dashboard (the default when stdout is a terminal)",
     "Keys: ? help, q quit, 1-9 and Tab switch views.\n"},
    {"import", cmd_import,
     "import shares|holdings|outstanding FILE.csv\n"
     "       oligo import 13f ZIP|FOLDER|INFOTABLE.xml\n"
     "       oligo import epoch-chip-owners|epoch-gpu-clusters|"
     "epoch-models FILE.csv|URL",
     "import shares, stakes, 13F holdings or Epoch AI compute data",
     "shares:      header market,period,entity,share_pct[,source]\n"
     "holdings:    header investor,firm,own_pct,ctrl_pct[,as_of,source]\n"
     "             empty ctrl_pct means control equals ownership; a\n"
     "             holding without as_of applies to every period.\n"
     "outstanding: header entity,as_of,shares — or an SEC XBRL\n"
     "             companyconcept JSON (EntityCommonStockSharesOutstanding)\n"
     "13f:         an SEC Form 13F data set (ZIP or unpacked folder) or a\n"
     "             13F-HR information table; stakes in the tracked\n"
     "             companies become holdings (shares / outstanding).\n"
     "epoch-*:     Epoch AI CSV downloads (CC BY 4.0) into compute owned;\n"
     "             a URL becomes an ingest source of that kind, fetched\n"
     "             now with conditional GET and refreshed by ingest.\n"
     "Names match the dataset's names and aliases, case-insensitively;\n"
     "unknown names are listed on stderr.  All or nothing: any bad row\n"
     "rolls the whole file back (exit 65, the error names file:line).\n"
     "Importing the same file twice changes nothing.\n"},
    {"export", cmd_export,
     "export VIEW [-o FILE] [--force] [--excel] [--format csv|tsv|json]\n"
     "             [--alliance A] [--entity E] [--market M] [--kind K]\n"
     "             [--since DATE] [--until DATE] [--search Q]\n"
     "             [--sort [-]COLUMN]\n"
     "       oligo export market [M] | --all DIR [--force] | --list",
     "write a view as CSV, exactly as the dashboard shows it",
     "Without -o the output goes to stdout.  A file is written to a\n"
     "temporary name and renamed; an existing file needs --force; a\n"
     "symlink is refused.  Text cells that a spreadsheet would run as a\n"
     "formula are prefixed with '.  --excel adds a UTF-8 byte order mark\n"
     "(CSV only).  --all DIR writes every view plus README.txt listing\n"
     "each view's sources and as-of dates.  --list names the views.\n"},
    {"ingest", cmd_ingest, "ingest [-v] [--force] [--source NAME]...",
     "fetch the enabled sources that are due; quiet on success (for cron)",
     "Fetches regulators' press releases, news feeds and SEC EDGAR\n"
     "filings with conditional GET, parses each source in a child\n"
     "process and commits its items in one transaction.  One run at a\n"
     "time (a lock file beside the database).  Prints nothing on\n"
     "success and one line per failed source on stderr.\n"
     "Exit: 0 all ok, 75 some source failed or another run holds the\n"
     "lock, 78 configuration (SEC EDGAR needs 'user-agent = Name email'\n"
     "in the config file).  -v prints one line per source.\n"
     "Each source has a schedule (news 30 min, regulators and EDGAR 1 h,\n"
     "Epoch AI daily, the daily EDGAR index each business day after\n"
     "22:00 US Eastern) and backs off after failures; 'oligo sources'\n"
     "shows when each is due.  --force fetches every enabled source\n"
     "now, --source NAME the named ones, due or not.\n"},
    {"sources", cmd_sources,
     "sources [add NAME URL [--kind K] | remove NAME | enable NAME |\n"
     "              disable NAME | user-agent 'NAME EMAIL']",
     "list sources with their health, or change them",
     "Without arguments, lists every source: built-in ones (regulators,\n"
     "news, SEC EDGAR for each company with a CIK) and yours, with last\n"
     "success, next due time, last error and items.  Changes are written\n"
     "to the config file ($XDG_CONFIG_HOME/oligo/config).  Kinds: feed,\n"
     "edgar-atom, edgar-submissions, edgar-index, epoch-chip-owners,\n"
     "epoch-gpu-clusters, epoch-models (sniffed from the URL if omitted).\n"},
    {"analyze", cmd_analyze,
     "analyze [--market M] [--period P]\n"
     "             [--scenario standalone|alliances|ownership] [--merge A+B]\n"
     "             [--kappa | --dependence] [--format table|csv|json]",
     "concentration indices, merger scenarios and guideline screens",
     "Per market and period: HHI (points) with bounds for an unlisted\n"
     "fringe, CR1-CR4, normalized HHI, Hall-Tideman, Gini, entropy,\n"
     "Theil, Linda, dominance, Kvalseth CK.  --scenario alliances counts\n"
     "each alliance as one firm; --merge A+B an ad hoc merger (names and\n"
     "aliases); --scenario ownership the modified HHI from holdings\n"
     "(O'Brien-Salop).  With a scenario: post-merger HHI, delta HHI and the\n"
     "US 2023, US 2010 and EU 2004 screens.  --kappa prints the common-\n"
     "ownership weights among firms with holdings; --dependence each lab's\n"
     "share of disclosed compute commitments to its alliance's cloud.\n"
     "The market ai_compute is compute owned (H100e) by owner.\n"},
    {NULL, NULL, NULL, NULL, NULL},
};

static void
usage_all(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: oligo [--db PATH] COMMAND [ARGS]\n"
	    "       oligo --help | --version | COMMAND --help\n\n"
	    "Market power and antitrust in the AI industry: the Microsoft/\n"
	    "OpenAI, Google/DeepMind and Amazon/Anthropic alliances, their\n"
	    "deals, stakes, market shares and the regulators watching them.\n\n"
	    "Commands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(fp, "  %-9s %s\n", c->name, c->summary);
	fprintf(
	    fp,
	    "\nWith no command, oligo opens the dashboard when stdout is a\n"
	    "terminal.  Database: --db, else $OLIGO_DB, else\n"
	    "$XDG_DATA_HOME/oligo/oligo.db.  See oligo(1).\n");
}

int
cli_fail(enum status st)
{
	fprintf(stderr, "oligo: %s\n",
	        *err_msg() ? err_msg() : status_text(st));
	return status_exit_code(st);
}

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("oligo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'oligo %s --help'.\n", cmd ? cmd : "");
	return status_exit_code(ST_USAGE);
}

int
cli_help(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		if (strcmp(c->name, name))
			continue;
		printf("usage: oligo %s\n\n%s.\n", c->usage, c->summary);
		if (*c->help)
			printf("\n%s", c->help);
		return 0;
	}
	return 1;
}

bool
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

static const struct cli_command *
find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd;

	if (!cli->db_path && !(cli->db_path = paths_db()))
		return cli_fail(ST_CONFIG);
	if (argc == 0) {
		static char tui[] = "tui";
		char *tui_argv[] = {tui, NULL};

		if (isatty(STDOUT_FILENO))
			return cmd_tui(cli, 1, tui_argv);
		usage_all(stderr);
		return status_exit_code(ST_USAGE);
	}
	if (!(cmd = find_command(argv[0])))
		return cli_usage(NULL, "'%s' is not an oligo command", argv[0]);
	if (cli_wants_help(argc, argv))
		return cli_help(cmd->name);
	optind = 0; /* reset getopt for the command */
	return cmd->run(cli, argc, argv);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct cli cli = {.argv0 = argv[0]};
	int c, rc;

	setlocale(LC_ALL, "");
	/* '+': stop at the command name, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			free(cli.db_path);
			cli.db_path = xstrdup(optarg);
			break;
		case 'h':
			usage_all(stdout);
			free(cli.db_path);
			return 0;
		case 'V':
			printf("oligo %s\n", OLIGO_VERSION);
			free(cli.db_path);
			return 0;
		default:
			usage_all(stderr);
			free(cli.db_path);
			return status_exit_code(ST_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	rc = run(&cli, argc, argv);
	free(cli.db_path);
	err_clear();
	return rc;
}
