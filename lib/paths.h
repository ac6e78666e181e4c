#ifndef OLIGO_LIB_PATHS_H
#define OLIGO_LIB_PATHS_H

/*
 * Where oligo keeps its files (XDG base directories):
 *   database  $OLIGO_DB, else $XDG_DATA_HOME/oligo/oligo.db,
 *             else $HOME/.local/share/oligo/oligo.db
 *   config    $XDG_CONFIG_HOME/oligo/config, else $HOME/.config/oligo/config
 *   state     $XDG_STATE_HOME/oligo/state, else $HOME/.local/state/oligo/state
 *             (what the dashboard remembers between sessions)
 * Relative XDG values are ignored, as the specification requires.
 * Every function returns a new string the caller frees, or NULL when
 * neither the variable nor $HOME is set (with err_msg() saying so).
 */

char *paths_db(void);
char *paths_config(void);
char *paths_state(void);

#endif
