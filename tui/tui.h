#ifndef OLIGO_TUI_TUI_H
#define OLIGO_TUI_TUI_H

/*
 * The dashboard.  One thread, one event loop: wait for a key with a
 * timeout computed from the next database poll, and redraw when a key
 * changed something or another process committed (PRAGMA data_version).
 * The terminal is restored on every exit path, fatal ones included.
 */

#include "lib/status.h"

enum status tui_run(const char *db_path);

#endif
