#include "tui/tui.h"

#include <curses.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "lib/xalloc.h"
#include "tui/draw.h"
#include "tui/view.h"

#define POLL_MS 400 /* a commit elsewhere shows within about a second */
#define NVIEWS 9

struct app {
	struct db *db;
	struct view *views[NVIEWS];
	bool stale[NVIEWS];
	int current;
	bool help;
	int64_t data_version;
	char status[256];
	char updated[16];
	WINDOW *body;
};

static const char *const view_names[NVIEWS] = {
	"landscape", "markets", "compute", "ownership", "deals",
	"cases",     "news",    "filings", "sources",
};

static void
restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
stamp_updated(struct app *app)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(app->updated, sizeof(app->updated), "%H:%M:%S", &tm);
}

static void
load_current(struct app *app)
{
	struct view *v = app->views[app->current];
	enum status rc = v->ops->load(v, app->db);

	app->stale[app->current] = false;
	if (rc)
		snprintf(app->status, sizeof(app->status), "%s", err_msg());
	else
		app->status[0] = '\0';
	stamp_updated(app);
}

static void
draw_tabs(struct app *app)
{
	int x = 0, w = COLS;

	move(0, 0);
	clrtoeol();
	x += draw_text(stdscr, 0, x, " oligo ", w, theme_attr(PAIR_TITLE));
	for (int i = 0; i < NVIEWS && x < w; i++) {
		int attr = i == app->current ? A_REVERSE | A_BOLD : A_NORMAL;

		x += draw_textf(stdscr, 0, x + 1, w - x - 1, attr, "%d %s", i + 1,
				app->views[i]->ops->title) + 1;
	}
}

static void
draw_status(struct app *app)
{
	int y = LINES - 1;

	move(y, 0);
	clrtoeol();
	mvchgat(y, 0, -1, theme_attr(PAIR_STATUS), 0, NULL);
	if (app->status[0])
		draw_text(stdscr, y, 0, app->status, COLS,
			  theme_attr(PAIR_STATUS) | A_BOLD);
	else
		draw_textf(stdscr, y, 0, COLS, theme_attr(PAIR_STATUS),
			   " %s  updated %s   ? help  q quit",
			   db_path(app->db), app->updated);
}

static void
draw_help(WINDOW *win)
{
	size_t n;
	const struct action_info *a = action_table(&n);

	werase(win);
	draw_text(win, 0, 1, "Keys (press ? to close)", COLS - 2, A_BOLD);
	for (size_t i = 0; i < n && (int)i + 2 < getmaxy(win); i++) {
		char keys[32];

		snprintf(keys, sizeof(keys), "%s%s%s",
			 action_key_name(a[i].key), a[i].key2 ? " " : "",
			 a[i].key2 ? action_key_name(a[i].key2) : "");
		draw_textf(win, (int)i + 2, 2, COLS - 4, A_NORMAL,
			   "%-12s %-16s %s", keys, a[i].name, a[i].help);
	}
}

static void
draw(struct app *app)
{
	draw_tabs(app);
	if (app->help)
		draw_help(app->body);
	else
		app->views[app->current]->ops->draw(app->views[app->current],
						    app->body);
	draw_status(app);
	wnoutrefresh(stdscr);
	wnoutrefresh(app->body);
	doupdate();
}

static void
switch_view(struct app *app, int i)
{
	app->current = (i + NVIEWS) % NVIEWS;
	app->help = false;
	if (app->stale[app->current])
		load_current(app);
}

/* Returns false to quit. */
static bool
dispatch(struct app *app, enum action a)
{
	struct view *v = app->views[app->current];

	switch (a) {
	case ACTION_QUIT: return false;
	case ACTION_HELP: app->help = !app->help; break;
	case ACTION_NEXT_VIEW: switch_view(app, app->current + 1); break;
	case ACTION_PREV_VIEW: switch_view(app, app->current - 1); break;
	case ACTION_REFRESH:
		load_current(app);
		clearok(curscr, TRUE);
		break;
	default:
		if (a >= ACTION_VIEW_1 && a <= ACTION_VIEW_9)
			switch_view(app, (int)(a - ACTION_VIEW_1));
		else
			v->ops->key(v, a, getmaxy(app->body) - 1);
	}
	return true;
}

/* Another process committed: reload what is on screen now, the rest
 * when it is next shown. */
static void
poll_db(struct app *app)
{
	int64_t dv;

	if (db_data_version(app->db, &dv) || dv == app->data_version)
		return;
	app->data_version = dv;
	for (int i = 0; i < NVIEWS; i++)
		app->stale[i] = true;
	load_current(app);
}

static void
layout(struct app *app)
{
	if (app->body)
		delwin(app->body);
	app->body = newwin(LINES > 2 ? LINES - 2 : 1, COLS, 1, 0);
}

static void
run_loop(struct app *app)
{
	long long next_poll = now_ms() + POLL_MS;

	for (;;) {
		long long wait = next_poll - now_ms();
		int ch;

		draw(app);
		timeout(wait > 0 ? (int)wait : 0);
		ch = getch();
		if (ch == KEY_RESIZE) {
			layout(app);
			clear();
		} else if (ch != ERR && !dispatch(app, action_for_key(ch))) {
			return;
		}
		if (now_ms() >= next_poll) {
			poll_db(app);
			next_poll = now_ms() + POLL_MS;
		}
	}
}

enum status
tui_run(const char *db_path_arg)
{
	struct app app = {0};
	enum status rc;

	if ((rc = db_open(&app.db, db_path_arg, DB_READONLY)))
		return rc;
	for (int i = 0; i < NVIEWS; i++) {
		const struct view_ops *ops = i ? table_view_ops(view_names[i])
					       : &landscape_view_ops;

		app.views[i] = ops->create(ops);
		app.stale[i] = true;
	}
	db_data_version(app.db, &app.data_version);
	setlocale(LC_ALL, "");
	if (!initscr())
		return err_set(ST_IOERR, "cannot start the terminal");
	die_set_hook(restore_terminal);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	theme_init();
	layout(&app);
	load_current(&app);
	run_loop(&app);
	restore_terminal();
	die_set_hook(NULL);
	for (int i = 0; i < NVIEWS; i++)
		app.views[i]->ops->free(app.views[i]);
	delwin(app.body);
	db_close(app.db);
	return ST_OK;
}
