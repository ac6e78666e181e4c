#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/import.h"
#include "db/ownership.h"
#include "ingest/epoch.h"
#include "ingest/f13.h"
#include "ingest/ingest.h"
#include "ingest/xbrl.h"
#include "lib/conf.h"
#include "lib/paths.h"
#include "lib/strbuf.h"

#define IMPORT_USAGE                                                           \
	"usage: oligo import shares|holdings FILE.csv | 13f PATH | "           \
	"outstanding FILE.csv|FILE.json | "                                    \
	"epoch-chip-owners|epoch-gpu-clusters|epoch-models FILE.csv|URL"

/* Print lines of text (each ending in \n) as "oligo: FILE: <line>". */
static void
print_lines(const char *file, const char *prefix, const char *p)
{
	while (p && *p) {
		size_t n = strcspn(p, "\n");

		fprintf(stderr, "oligo: %s: %s%.*s\n", file, prefix, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static int
import_csv(struct cli *cli, struct db *db, const char *kind, const char *file)
{
	struct import_report rep;
	enum status rc;

	import_report_init(&rep);
	rc = (!strcmp(kind, "shares") ? import_shares
	                              : import_holdings)(db, file, &rep);
	if (!rc && rep.changed)
		rc = cli_refresh(db);
	/* Created names are worth a look: a typo makes a new firm. */
	if (!rc)
		print_lines(file, "created ", rep.created.buf);
	import_report_release(&rep);
	return rc;
}

/* 13F data sets and shares outstanding feed the same holdings. */
static int
import_ownership(struct cli *cli, struct db *db, const char *kind,
                 const char *file)
{
	struct own_report rep;
	enum status rc;

	own_report_init(&rep);
	rc = (!strcmp(kind, "13f") ? f13_import : xbrl_import)(db, file, &rep);
	if (!rc && rep.changed)
		rc = cli_refresh(db);
	if (!rc) {
		print_lines(file, "", rep.notes.buf);
		if (!cli->quiet && !strcmp(kind, "13f"))
			fprintf(stderr,
			        "oligo: %s: %zu rows, %zu filings, %zu 13F "
			        "holdings (%zu changed), %zu without shares "
			        "outstanding\n",
			        file, rep.rows, rep.filings, rep.holdings,
			        rep.changed, rep.skipped_no_outstanding);
	}
	own_report_release(&rep);
	return rc;
}

/* Epoch AI datasets feed the compute table and epoch_model. */
static int
import_epoch(struct cli *cli, struct db *db, enum epoch_kind kind,
             const char *file)
{
	struct own_report rep;
	enum status rc;

	own_report_init(&rep);
	rc = epoch_import(db, kind, file, &rep);
	if (!rc && rep.changed)
		rc = cli_refresh(db);
	/* names that map to nothing: shown even with --quiet, since they
	 * are data left out */
	if (!rc) {
		print_lines(file, "", rep.notes.buf);
		if (!cli->quiet)
			fprintf(stderr,
			        "oligo: %s: %zu rows, %zu compute rows, %zu "
			        "changed\n",
			        file, rep.rows, rep.computed, rep.changed);
	}
	own_report_release(&rep);
	return rc;
}

/* The user source that holds url, or a new one named after kind:
 * 0, or a usage exit code when url belongs to a source of another kind. */
static int
url_source(struct conf *c, const char *kind, const char *url,
           struct strbuf *name, bool *is_new)
{
	*is_new = false;
	for (size_t i = 0; i < c->nsources; i++) {
		const struct conf_source *u = &c->sources[i];

		if (strcmp(u->url, url))
			continue;
		if (u->kind && strcmp(u->kind, kind))
			return cli_usage("import",
			                 "'%s' is source '%s' of kind %s", url,
			                 u->name, u->kind);
		strbuf_adds(name, u->name);
		return 0;
	}
	strbuf_adds(name, kind);
	for (int k = 2; conf_source_find(c, name->buf); k++) {
		strbuf_reset(name);
		strbuf_addf(name, "%s-%d", kind, k);
	}
	conf_source_add(c, name->buf, url, kind);
	*is_new = true;
	return 0;
}

/*
 * A URL is fetched as an ingest source of that kind, added to the config
 * (or reused) and run once: conditional GET with the source's ETag, one
 * transaction, and `oligo ingest` keeps it fresh afterwards.
 */
static int
import_epoch_url(struct cli *cli, const char *kind, const char *url)
{
	struct ingest_options o = {.db_path = cli->db_path,
	                           .nonly = 1,
	                           .verbose = !cli->quiet,
	                           .source_status = true};
	struct strbuf name = STRBUF_INIT;
	char *path = paths_config();
	struct conf c;
	struct db *db;
	const char *only;
	bool is_new, loaded;
	enum status rc;
	int urc;

	if (!path)
		return cli_fail(ST_CONFIG);
	if ((rc = conf_load(&c, path))) {
		free(path);
		return cli_fail(rc);
	}
	if (!(urc = url_source(&c, kind, url, &name, &is_new)) && is_new)
		rc = conf_save(&c);
	/* initialized, so owners resolve against the bundled dataset */
	if (!urc && !rc && !(rc = cli_init_db(cli, &db, &loaded)))
		db_close(db);
	only = name.buf;
	o.only = &only;
	o.config_path = path;
	if (!urc && !rc)
		rc = ingest_run(&o);
	conf_release(&c);
	strbuf_release(&name);
	free(path);
	if (urc)
		return urc;
	if (rc && !*err_msg())
		return status_exit_code(rc); /* the source said why */
	return rc ? cli_fail(rc) : 0;
}

static bool
is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8);
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const char *const kinds[] = {"shares", "holdings", "13f",
	                                    "outstanding", NULL};
	enum epoch_kind ek;
	struct db *db;
	bool loaded;
	enum status rc;
	size_t k;

	if (argc != 3)
		return cli_usage("import", IMPORT_USAGE);
	for (k = 0; kinds[k] && strcmp(kinds[k], argv[1]); k++)
		;
	if (!kinds[k] && !epoch_kind_from_name(argv[1], &ek))
		return cli_usage("import",
		                 "cannot import '%s' (shares, holdings, 13f, "
		                 "outstanding, epoch-chip-owners, "
		                 "epoch-gpu-clusters or epoch-models)",
		                 argv[1]);
	if (!kinds[k] && is_url(argv[2]))
		return import_epoch_url(cli, argv[1], argv[2]);
	/* Import into an initialized database, so names resolve against
	 * the bundled dataset rather than creating duplicates of it. */
	if ((rc = cli_init_db(cli, &db, &loaded)))
		return cli_fail(rc);
	if (!kinds[k])
		rc = import_epoch(cli, db, ek, argv[2]);
	else
		rc = k < 2 ? import_csv(cli, db, argv[1], argv[2])
		           : import_ownership(cli, db, argv[1], argv[2]);
	db_close(db);
	return rc ? cli_fail(rc) : 0;
}
