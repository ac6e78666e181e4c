#ifndef OLIGO_LIB_CONF_H
#define OLIGO_LIB_CONF_H

/*
 * The user's config file, $XDG_CONFIG_HOME/oligo/config: one setting per
 * line, '#' starts a comment.
 *
 *   user-agent = Jane Analyst jane@yourfirm.com # required for SEC EDGAR
 *   deadline = 600                               # seconds per ingest run
 *   source NAME URL [KIND]                       # a feed of your own
 *   disable NAME                                 # turn a source off
 *   bind KEY ACTION                              # a dashboard key
 *
 * bind lines are kept as written (KEY like j, ^N, F5, PgDn; ACTION a
 * config name from the dashboard's action table): the dashboard checks
 * them, and names the line of an unknown one.
 *
 * A missing file is an empty config.  Errors name PATH:LINE and are
 * ST_CONFIG.  conf_save() rewrites the file atomically (mode 0600) from
 * the struct, so comments the user wrote are not kept.
 */

#include <stdbool.h>
#include <stddef.h>

#include "lib/status.h"

struct conf_source {
	char *name, *url, *kind; /* kind may be NULL: sniff it */
};

struct conf_bind {
	char *key, *action;
	char *where; /* "PATH:LINE", for the dashboard's errors */
};

struct conf {
	char *path;
	char *user_agent; /* NULL when unset */
	long deadline_s;  /* 0 when unset */
	struct conf_source *sources;
	size_t nsources;
	char **disabled;
	size_t ndisabled;
	struct conf_bind *binds; /* in file order: a later one wins */
	size_t nbinds;
};

/* Read path into c (initialised here); release with conf_release(). */
enum status conf_load(struct conf *c, const char *path);
void conf_release(struct conf *c);

/* Write c back to c->path atomically, creating the folder. */
enum status conf_save(const struct conf *c);

bool conf_disabled(const struct conf *c, const char *name);
void conf_set_disabled(struct conf *c, const char *name, bool disabled);

/* Find a user source by name, or NULL. */
struct conf_source *conf_source_find(struct conf *c, const char *name);
void conf_source_add(struct conf *c, const char *name, const char *url,
                     const char *kind);
/* Returns false when there is no such user source. */
bool conf_source_remove(struct conf *c, const char *name);

#endif
