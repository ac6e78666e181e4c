#include "tui/tui.h"

#include <ctype.h>
#include <curses.h>
#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/export.h"
#include "lib/conf.h"
#include "lib/paths.h"
#include "lib/xalloc.h"
#include "tui/draw.h"
#include "tui/spawn.h"
#include "tui/view.h"

#define POLL_MS 400 /* a commit elsewhere shows within about a second */
#define NVIEWS  9

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
	bool prompting; /* the status line is the search box */
	char prompt[256];
	pid_t ingest;          /* the running `oligo ingest`, or 0 */
	struct binding *binds; /* the config file's, later ones first */
	size_t nbinds;
	int tab_x[NVIEWS + 1]; /* where each tab starts, for clicks */
};

/* A key the user bound in the config file: `bind ^N move-down`. */
struct binding {
	int key;
	enum action action;
};

static const char *const view_names[NVIEWS] = {
    "landscape", "markets", "compute", "ownership", "deals",
    "cases",     "news",    "filings", "sources",
};

/* The views with a file of their own; the rest are tables. */
static const struct view_ops *
custom_view_ops(const char *name)
{
	static const struct view_ops *const custom[] = {
	    &landscape_view_ops, &markets_view_ops, &compute_view_ops,
	    &ownership_view_ops};

	for (size_t i = 0; i < sizeof(custom) / sizeof(custom[0]); i++)
		if (!strcmp(custom[i]->name, name))
			return custom[i];
	return NULL;
}

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

static void set_status(struct app *app, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_status(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->status, sizeof(app->status), fmt, ap);
	va_end(ap);
}

static void
load_current(struct app *app)
{
	struct view *v = app->views[app->current];
	enum status rc = v->ops->load(v, app->db);

	app->stale[app->current] = false;
	if (rc)
		set_status(app, "%s", err_msg());
	stamp_updated(app);
}

static void
draw_tabs(struct app *app)
{
	int x = 0, w = COLS;

	move(0, 0);
	clrtoeol();
	x += draw_text(stdscr, 0, x, " oligo ", w, theme_attr(PAIR_TITLE));
	for (int i = 0; i < NVIEWS; i++)
		app->tab_x[i] = app->tab_x[i + 1] = w;
	for (int i = 0; i < NVIEWS && x < w; i++) {
		int attr = i == app->current ? A_REVERSE | A_BOLD : A_NORMAL;

		app->tab_x[i] = x;
		x += draw_textf(stdscr, 0, x + 1, w - x - 1, attr, "%d %s",
		                i + 1, app->views[i]->ops->title) +
		     1;
	}
}

static void
draw_status(struct app *app)
{
	int y = LINES - 1;

	move(y, 0);
	clrtoeol();
	mvchgat(y, 0, -1, theme_attr(PAIR_STATUS), 0, NULL);
	if (app->prompting)
		draw_textf(stdscr, y, 0, COLS, theme_attr(PAIR_STATUS),
		           "/%s_   Enter searches, Esc cancels", app->prompt);
	else if (app->status[0])
		draw_text(stdscr, y, 0, app->status, COLS,
		          theme_attr(PAIR_STATUS) | A_BOLD);
	else
		draw_textf(stdscr, y, 0, COLS, theme_attr(PAIR_STATUS),
		           " %s  updated %s%s   ? help  q quit",
		           db_path(app->db), app->updated,
		           app->ingest ? "   ingesting…" : "");
}

static enum action bound_action(const struct app *app, int key);

/* Key k's name after those in buf, unless buf names it already. */
static void
add_key_name(char *buf, size_t n, int k)
{
	const char *name = action_key_name(k);
	size_t len = strlen(buf), nl = strlen(name);

	for (const char *p = buf; (p = strstr(p, name)); p += nl)
		if ((p == buf || p[-1] == ' ') && (p[nl] == ' ' || !p[nl]))
			return;
	snprintf(buf + len, n - len, "%s%s", len ? " " : "", name);
}

/* "j Down": the keys in force for an action, once each: the config
 * file's bindings, then the defaults no binding has taken over. */
static void
key_names(const struct app *app, const struct action_info *a, char *buf,
          size_t n)
{
	buf[0] = '\0';
	for (size_t i = app->nbinds; i-- > 0;)
		if (app->binds[i].action == a->action &&
		    bound_action(app, app->binds[i].key) == a->action)
			add_key_name(buf, n, app->binds[i].key);
	if (bound_action(app, a->key) == a->action || !a->key)
		add_key_name(buf, n, a->key);
	if (a->key2 && bound_action(app, a->key2) == a->action)
		add_key_name(buf, n, a->key2);
	if (!buf[0]) /* every key taken by other actions */
		snprintf(buf, n, "-");
}

/* The help screen, generated from the action table: keys, config name,
 * description in columns (drawn apart: drawing collapses blank runs),
 * in two blocks when the table is taller than the window. */
static void
draw_help(const struct app *app, WINDOW *win)
{
	size_t n;
	const struct action_info *a = action_table(&n);
	int rows = getmaxy(win) - 2, w = getmaxx(win);
	int blocks = rows > 0 && (int)n > rows ? 2 : 1;
	int bw = w / blocks;

	werase(win);
	draw_text(win, 0, 1, "Keys (press ? to close)", w - 2, A_BOLD);
	for (size_t i = 0; rows > 0 && i < n && (int)i < rows * blocks; i++) {
		int y = (int)i % rows + 2, x = (int)i / rows * bw + 1;
		char keys[32];

		key_names(app, &a[i], keys, sizeof(keys));
		draw_text(win, y, x, keys, 10, A_BOLD);
		draw_text(win, y, x + 11, a[i].name, 16, theme_attr(PAIR_DIM));
		draw_text(win, y, x + 28, a[i].help, bw - 29, A_NORMAL);
	}
}

static void
draw(struct app *app)
{
	draw_tabs(app);
	if (app->help)
		draw_help(app, app->body);
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

/* A key for the view; it may ask for a reload or say something. */
static void
view_key(struct app *app, struct view *v, enum action a)
{
	v->msg[0] = '\0';
	v->ops->key(v, a, getmaxy(app->body) - 1);
	if (v->reload) {
		v->reload = false;
		load_current(app);
	}
	if (v->msg[0])
		set_status(app, "%s", v->msg);
}

/* e: what the screen shows, filters and sort included, through the
 * same code as `oligo export`, to a new file in the current folder. */
static void
export_current(struct app *app)
{
	struct view *v = app->views[app->current];
	struct export_opts o = {.format = EXPORT_CSV};
	struct view_filter f;
	const struct view_def *def;
	char path[128], stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	size_t rows = 0;

	def = v->ops->query ? v->ops->query(v, &f) : view_find(v->ops->name);
	if (!v->ops->query)
		memset(&f, 0, sizeof(f));
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(path, sizeof(path), "oligo-%s-%s.csv", def->name, stamp);
	if (export_view_file(app->db, def, &f, path, &o, &rows))
		set_status(app, "export failed: %s", err_msg());
	else
		set_status(app, "exported %zu rows to %s", rows, path);
}

/* o: $BROWSER, else xdg-open, with the link as one argument. */
static void
open_link(struct app *app)
{
	struct view *v = app->views[app->current];
	const char *url = v->ops->link ? v->ops->link(v) : NULL;
	const char *browser = getenv("BROWSER");
	char *argv[3];

	if (!spawn_url_ok(url)) {
		set_status(app, "no http(s) link on this row");
		return;
	}
	if (!spawn_can_run(browser))
		browser = "xdg-open";
	if (!spawn_can_run(browser)) {
		set_status(app, "no browser: set $BROWSER or install xdg-open");
		return;
	}
	argv[0] = xstrdup(browser);
	argv[1] = xstrdup(url);
	argv[2] = NULL;
	if (spawn_quiet(browser, argv) < 0)
		set_status(app, "cannot start %s", browser);
	else
		set_status(app, "opening %s", url);
	free(argv[0]);
	free(argv[1]);
}

/* r: `oligo ingest` as a child; the loop reaps it and the data_version
 * poll shows what it committed. */
static void
start_ingest(struct app *app)
{
	char a0[] = "oligo", a1[] = "--db", a3[] = "ingest";
	char *path = xstrdup(db_path(app->db));
	char *argv[] = {a0, a1, path, a3, NULL};

	if (app->ingest) {
		set_status(app, "ingesting… (already running)");
		free(path);
		return;
	}
	app->ingest = spawn_quiet("/proc/self/exe", argv);
	free(path);
	if (app->ingest < 0) {
		app->ingest = 0;
		set_status(app, "cannot start oligo ingest");
	} else {
		set_status(app, "ingesting…");
	}
}

static void
reap_children(struct app *app)
{
	int ws;
	pid_t pid;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0) {
		int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;

		if (pid != app->ingest)
			continue; /* a browser */
		app->ingest = 0;
		if (code == 0)
			set_status(app, "ingest done");
		else if (code == 75)
			set_status(app, "ingest done; some sources failed"
			                " (see 9 Sources)");
		else if (code == 78)
			set_status(app,
			           "ingest: configuration error (exit 78)");
		else
			set_status(app, "ingest failed (exit %d)", code);
	}
}

/* The search box owns the keyboard while open: bytes of UTF-8 go in
 * as typed; the view's search quotes them for FTS5. */
static void
prompt_key(struct app *app, int ch)
{
	struct view *v = app->views[app->current];
	size_t n = strlen(app->prompt);

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		app->prompting = false;
		v->ops->search(v, app->prompt);
		if (v->reload) {
			v->reload = false;
			load_current(app);
		}
	} else if (ch == 27) {
		app->prompting = false;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		while (n && ((unsigned char)app->prompt[n - 1] & 0xc0) == 0x80)
			n--; /* continuation bytes of the last character */
		app->prompt[n ? n - 1 : 0] = '\0';
	} else if (ch >= ' ' && ch < 256 && ch != 127 &&
	           n + 1 < sizeof(app->prompt)) {
		app->prompt[n] = (char)ch;
		app->prompt[n + 1] = '\0';
	}
}

/* Returns false to quit. */
static bool
dispatch(struct app *app, enum action a)
{
	struct view *v = app->views[app->current];

	switch (a) {
	case ACTION_QUIT:
		return false;
	case ACTION_HELP:
		app->help = !app->help;
		break;
	case ACTION_NEXT_VIEW:
		switch_view(app, app->current + 1);
		break;
	case ACTION_PREV_VIEW:
		switch_view(app, app->current - 1);
		break;
	case ACTION_REFRESH:
		load_current(app);
		clearok(curscr, TRUE);
		break;
	case ACTION_SEARCH:
		if (v->ops->search) {
			app->prompting = true;
			app->prompt[0] = '\0';
		}
		break;
	case ACTION_EXPORT:
		export_current(app);
		break;
	case ACTION_OPEN_LINK:
		open_link(app);
		break;
	case ACTION_INGEST:
		start_ingest(app);
		break;
	default:
		if (a >= ACTION_VIEW_1 && a <= ACTION_VIEW_9)
			switch_view(app, (int)(a - ACTION_VIEW_1));
		else
			view_key(app, v, a);
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

/* The config file's binding of key, else the default one. */
static enum action
bound_action(const struct app *app, int key)
{
	for (size_t i = app->nbinds; i-- > 0;)
		if (app->binds[i].key == key)
			return app->binds[i].action;
	return action_for_key(key);
}

/* The wheel moves the selection; a click selects a row or a tab.  The
 * view is told the clicked line as ACTION_SELECT_ROW's page argument. */
static void
mouse_event(struct app *app)
{
	struct view *v = app->views[app->current];
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		for (int i = 0; i < 3 && !app->help; i++)
			view_key(app, v,
			         ev.bstate & BUTTON4_PRESSED ? ACTION_UP
			                                     : ACTION_DOWN);
	} else if (ev.y == 0) {
		for (int i = 0; i < NVIEWS; i++)
			if (ev.x >= app->tab_x[i] && ev.x < app->tab_x[i + 1])
				switch_view(app, i);
	} else if (ev.y >= 2 && !app->help) {
		v->msg[0] = '\0';
		v->ops->key(v, ACTION_SELECT_ROW, ev.y - 2);
		if (v->msg[0])
			set_status(app, "%s", v->msg);
	}
}

/* A key: the old message goes; the search box or an action takes it.
 * Returns false to quit. */
static bool
key_pressed(struct app *app, int ch)
{
	app->status[0] = '\0';
	if (ch == KEY_MOUSE) {
		if (!app->prompting)
			mouse_event(app);
		return true;
	}
	if (app->prompting) {
		prompt_key(app, ch);
		return true;
	}
	return dispatch(app, bound_action(app, ch == '\r' ? '\n' : ch));
}

/* "j", "^N", "F5", "PgDn": a key as the config file names it, or -1. */
static int
parse_key(const char *s)
{
	static const struct {
		const char *name;
		int key;
	} named[] = {
	    {"Tab", '\t'},       {"S-Tab", KEY_BTAB},
	    {"Enter", '\n'},     {"Esc", 27},
	    {"Space", ' '},      {"Backspace", KEY_BACKSPACE},
	    {"Up", KEY_UP},      {"Down", KEY_DOWN},
	    {"Left", KEY_LEFT},  {"Right", KEY_RIGHT},
	    {"PgUp", KEY_PPAGE}, {"PgDn", KEY_NPAGE},
	    {"Home", KEY_HOME},  {"End", KEY_END},
	    {"Insert", KEY_IC},  {"Delete", KEY_DC},
	};
	char *end;
	long n;

	if (s[0] && !s[1] && (unsigned char)s[0] > ' ' &&
	    (unsigned char)s[0] < 127)
		return (unsigned char)s[0];
	if (s[0] == '^' && s[1] && !s[2] && s[1] >= '@' && s[1] < 127 &&
	    toupper((unsigned char)s[1]) <= '_')
		return toupper((unsigned char)s[1]) & 0x1f;
	if ((s[0] == 'F' || s[0] == 'f') && isdigit((unsigned char)s[1])) {
		n = strtol(s + 1, &end, 10);
		if (!*end && n >= 1 && n <= 12)
			return KEY_F((int)n);
	}
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcasecmp(named[i].name, s))
			return named[i].key;
	return -1;
}

static enum action
find_action(const char *name)
{
	size_t n;
	const struct action_info *a = action_table(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(a[i].name, name))
			return a[i].action;
	return ACTION_NONE;
}

/* The config file's bind lines; an unknown key or action is an error
 * naming the line, before the terminal is taken over. */
static enum status
load_bindings(struct app *app)
{
	char *path = paths_config();
	struct conf c;
	enum status rc;

	if (!path)
		return ST_OK; /* no $HOME: no config file either */
	rc = conf_load(&c, path);
	free(path);
	for (size_t i = 0; !rc && i < c.nbinds; i++) {
		const struct conf_bind *b = &c.binds[i];
		int key = parse_key(b->key);
		enum action a = find_action(b->action);

		if (key < 0)
			rc =
			    err_set(ST_CONFIG,
			            "%s: unknown key '%s' (a character, ^X,"
			            " F1-F12, Tab, Enter, Esc, Space, Up, Down,"
			            " Left, Right, PgUp, PgDn, Home, End)",
			            b->where, b->key);
		else if (a == ACTION_NONE)
			rc = err_set(ST_CONFIG,
			             "%s: unknown action '%s' (? in the"
			             " dashboard lists them)",
			             b->where, b->action);
		if (rc)
			break;
		app->binds = xreallocarray(app->binds, app->nbinds + 1,
		                           sizeof(*app->binds));
		app->binds[app->nbinds++] = (struct binding){key, a};
	}
	conf_release(&c);
	return rc;
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
		} else if (ch != ERR && !key_pressed(app, ch)) {
			return;
		}
		reap_children(app);
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

	if ((rc = load_bindings(&app))) {
		free(app.binds);
		return rc;
	}
	/* Without a terminal curses would redraw into nothing, forever. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		free(app.binds);
		return err_set(ST_USAGE, "the dashboard needs a terminal "
		                         "(oligo export writes any view)");
	}
	if ((rc = db_open(&app.db, db_path_arg, DB_READONLY))) {
		free(app.binds);
		return rc;
	}
	for (int i = 0; i < NVIEWS; i++) {
		const struct view_ops *ops = custom_view_ops(view_names[i]);

		if (!ops)
			ops = table_view_ops(view_names[i]);

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
	set_escdelay(25); /* Esc closes at once, not after a second */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0); /* a press is a click: no wait for a release */
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
	free(app.binds);
	return ST_OK;
}
