#include "lib/paths.h"

#include <stdlib.h>

#include "lib/status.h"
#include "lib/strbuf.h"

static char *
xdg_path(const char *var, const char *fallback, const char *leaf)
{
	const char *base = getenv(var);
	const char *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (base && base[0] == '/') {
		strbuf_addf(&sb, "%s/oligo/%s", base, leaf);
	} else if (home && *home) {
		strbuf_addf(&sb, "%s/%s/oligo/%s", home, fallback, leaf);
	} else {
		err_set(ST_CONFIG, "neither $%s nor $HOME is set", var);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

char *
paths_db(void)
{
	const char *env = getenv("OLIGO_DB");
	struct strbuf sb = STRBUF_INIT;

	if (env && *env) {
		strbuf_adds(&sb, env);
		return strbuf_detach(&sb, NULL);
	}
	return xdg_path("XDG_DATA_HOME", ".local/share", "oligo.db");
}

char *
paths_config(void)
{
	return xdg_path("XDG_CONFIG_HOME", ".config", "config");
}

char *
paths_state(void)
{
	return xdg_path("XDG_STATE_HOME", ".local/state", "state");
}
