#ifndef OLIGO_CLI_CLI_H
#define OLIGO_CLI_CLI_H

/*
 * The command line: main.c parses global options and dispatches to one
 * function per subcommand (cli/cmd_NAME.c).  cli/ is the only room that
 * wires the others together.
 *
 * A command returns a sysexits.h code.  On failure it has already printed
 * one line "oligo: <message>" on stderr (cli_fail).
 */

#include <stdbool.h>

#include "db/db.h"
#include "lib/status.h"

struct cli {
	const char *argv0;
	char *db_path; /* --db, $OLIGO_DB, or the XDG default; owned */
	bool quiet;
};

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;   /* "init [--quiet]" */
	const char *summary; /* one line for `oligo --help` */
	const char *help;    /* the rest of `oligo COMMAND --help` */
};

extern const struct cli_command cli_commands[];

/* Print "oligo: <err_msg()>" and return the exit code for st. */
int cli_fail(enum status st);

/* Print a usage error for cmd and return 64. */
int cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print `oligo NAME --help` text on stdout; returns 0. */
int cli_help(const char *name);

/* True when argv holds -h or --help (checked before anything runs). */
bool cli_wants_help(int argc, char **argv);

/* Open the database: read-write creates and migrates it. */
enum status cli_open_db(struct cli *cli, enum db_mode mode, struct db **out);

/* Create/migrate the database and load the bundled dataset, then refresh
 * the metric tables; *loaded tells whether the dataset was (re)loaded. */
enum status cli_init_db(struct cli *cli, struct db **out, bool *loaded);

/* Recompute the metric tables after data changed (analysis/refresh). */
enum status cli_refresh(struct db *db);

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_tui(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_analyze(struct cli *cli, int argc, char **argv);
int cmd_ingest(struct cli *cli, int argc, char **argv);
int cmd_sources(struct cli *cli, int argc, char **argv);

#endif
