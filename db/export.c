#include "db/export.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "db/stmt.h"
#include "lib/afile.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"

#ifndef OLIGO_VERSION
#define OLIGO_VERSION "dev"
#endif

bool
export_format_parse(const char *s, enum export_format *out)
{
	static const char *const names[] = {"csv", "tsv", "json"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum export_format)i;
			return true;
		}
	}
	return false;
}

const char *
export_format_ext(enum export_format f)
{
	return f == EXPORT_JSON ? "json" : f == EXPORT_TSV ? "tsv" : "csv";
}

/* ------------------------------------------------------------------ */
/* CSV and TSV */

/* A number the database holds goes out as a number; text found in a
 * numeric column (a bad import) goes out as defused text, never as a
 * cell a spreadsheet would evaluate. */
static void
put_number(struct csv_writer *w, struct view_cursor *c, size_t i)
{
	switch (view_type(c, i)) {
	case VIEW_NULL:
		csv_put_null(w);
		break;
	case VIEW_INT:
		csv_put_int(w, (long long)view_int(c, i));
		break;
	case VIEW_REAL:
		csv_put_double(w, view_real(c, i), CSV_SHORTEST);
		break;
	case VIEW_TEXT:
		csv_put_text(w, view_text(c, i));
		break;
	}
}

static void
put_value(struct csv_writer *w, const struct view_col *col,
          struct view_cursor *c, size_t i)
{
	if (view_is_null(c, i))
		csv_put_null(w);
	else if (col->type == COL_TEXT || col->type == COL_DATE)
		/* Dates are text from the data too: defuse them the same
		 * way (a real date never starts with = + - @). */
		csv_put_text(w, view_text(c, i));
	else
		put_number(w, c, i);
}

enum status
view_export(struct db *db, const struct view_def *v,
            const struct view_filter *f, struct csv_writer *w, size_t *rows)
{
	struct view_cursor *c;
	enum status rc;
	size_t n = 0;
	bool row;

	if (rows)
		*rows = 0;
	if ((rc = view_open(db, v, f, &c)))
		return rc;
	for (size_t i = 0; i < v->ncols; i++)
		csv_put_number(w, v->cols[i].name);
	csv_end_record(w);
	/* Stop at the first failed write: a full disk need not be asked
	 * a million more times. */
	while (!w->err && !(rc = view_step(c, &row)) && row) {
		for (size_t i = 0; i < v->ncols; i++)
			put_value(w, &v->cols[i], c, i);
		csv_end_record(w);
		n++;
	}
	view_close(c);
	if (!rc)
		rc = csv_writer_error(w);
	if (rows)
		*rows = n;
	return rc;
}

/* ------------------------------------------------------------------ */
/* JSON */

static bool
json_plain(unsigned char ch)
{
	return ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\';
}

static void
json_escape_ascii(FILE *fp, unsigned char ch)
{
	switch (ch) {
	case '"':
		fputs("\\\"", fp);
		break;
	case '\\':
		fputs("\\\\", fp);
		break;
	case '\n':
		fputs("\\n", fp);
		break;
	case '\r':
		fputs("\\r", fp);
		break;
	case '\t':
		fputs("\\t", fp);
		break;
	default:
		fprintf(fp, "\\u%04x", ch);
		break;
	}
}

/* A JSON string: valid UTF-8 out whatever comes in; U+2028/2029 are
 * escaped too, so the output is also safe to paste into JavaScript. */
static void
json_str(FILE *fp, const char *s)
{
	const char *end = s + strlen(s);

	putc('"', fp);
	while (s < end) {
		size_t n = 0;
		uint32_t cp;

		while (s + n < end && json_plain((unsigned char)s[n]))
			n++;
		if (n) {
			fwrite(s, 1, n, fp);
			s += n;
			continue;
		}
		if ((unsigned char)*s < 0x80) {
			json_escape_ascii(fp, (unsigned char)*s++);
			continue;
		}
		n = text_utf8_decode(s, (size_t)(end - s), &cp);
		if (cp == 0x2028 || cp == 0x2029 || cp == 0xFFFD)
			fprintf(fp, "\\u%04x", (unsigned)cp);
		else
			fwrite(s, 1, n, fp);
		s += n;
	}
	putc('"', fp);
}

/* The shortest %g that reads back as v, with '.' whatever the locale;
 * JSON has no NaN or infinity, so they are null. */
static void
json_double(FILE *fp, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		fputs("null", fp);
		return;
	}
	for (int p = 15; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	for (char *q = buf; *q; q++)
		if (*q == ',')
			*q = '.';
	fputs(buf, fp);
}

static void
json_value(FILE *fp, const struct view_col *col, struct view_cursor *c,
           size_t i)
{
	enum view_value t = view_type(c, i);

	if (t == VIEW_NULL)
		fputs("null", fp);
	else if (col->type == COL_TEXT || col->type == COL_DATE ||
	         t == VIEW_TEXT)
		json_str(fp, view_text(c, i));
	else if (t == VIEW_INT)
		fprintf(fp, "%lld", (long long)view_int(c, i));
	else
		json_double(fp, view_real(c, i));
}

static enum status
write_error(FILE *fp, const char *name)
{
	int e = errno;

	if (fflush(fp) == 0 && !ferror(fp))
		return ST_OK;
	if (fflush(fp))
		e = errno;
	return err_set(ST_IOERR, "cannot write '%s': %s", name,
	               e ? strerror(e) : "write error");
}

static enum status
view_export_json(struct db *db, const struct view_def *v,
                 const struct view_filter *f, FILE *fp, const char *name,
                 size_t *rows)
{
	struct view_cursor *c;
	enum status rc;
	size_t n = 0;
	bool row;

	if ((rc = view_open(db, v, f, &c)))
		return rc;
	fputs("[", fp);
	while (!ferror(fp) && !(rc = view_step(c, &row)) && row) {
		fputs(n++ ? ",\n{" : "\n{", fp);
		for (size_t i = 0; i < v->ncols; i++) {
			if (i)
				putc(',', fp);
			json_str(fp, v->cols[i].name);
			putc(':', fp);
			json_value(fp, &v->cols[i], c, i);
		}
		putc('}', fp);
	}
	fputs("\n]\n", fp);
	view_close(c);
	if (!rc)
		rc = write_error(fp, name);
	if (rows)
		*rows = n;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Streams and files */

enum status
export_view_fp(struct db *db, const struct view_def *v,
               const struct view_filter *f, FILE *fp, const char *name,
               const struct export_opts *o, size_t *rows)
{
	struct csv_writer w;

	if (rows)
		*rows = 0;
	if (o->format == EXPORT_JSON)
		return view_export_json(db, v, f, fp, name, rows);
	csv_writer_init(&w, fp, o->format == EXPORT_TSV ? CSV_TSV : CSV_RFC4180,
	                o->excel && o->format == EXPORT_CSV);
	w.name = name;
	return view_export(db, v, f, &w, rows);
}

enum status
export_view_file(struct db *db, const struct view_def *v,
                 const struct view_filter *f, const char *path,
                 const struct export_opts *o, size_t *rows)
{
	struct afile af;
	enum status rc;

	if (rows)
		*rows = 0;
	if ((rc = afile_open(&af, path, o->force ? AFILE_FORCE : 0)))
		return rc;
	if ((rc = export_view_fp(db, v, f, af.fp, path, o, rows))) {
		afile_abort(&af);
		return rc;
	}
	return afile_commit(&af);
}

/* ------------------------------------------------------------------ */
/* The snapshot folder */

/* An existing folder must be empty unless the user said --force; a
 * missing one is created (one level, like mkdir). */
static enum status
prepare_dir(const char *dir, bool force)
{
	struct stat st;
	struct dirent *e;
	bool empty = true;
	DIR *d;

	if (stat(dir, &st)) {
		if (errno == ENOENT && !mkdir(dir, 0755))
			return ST_OK;
		return err_set(ST_CANTCREAT, "cannot create '%s': %s", dir,
		               strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return err_set(ST_CANTCREAT, "'%s' is not a folder", dir);
	if (!(d = opendir(dir)))
		return err_set(ST_CANTCREAT, "cannot open '%s': %s", dir,
		               strerror(errno));
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	if (!empty && !force)
		return err_set(ST_CANTCREAT, "'%s' is not empty (use --force)",
		               dir);
	return ST_OK;
}

/* Markets that have shares: one `market` file each. */
static enum status
market_names(struct db *db, char ***names, size_t *n)
{
	sqlite3_stmt *st;
	enum status rc;
	size_t alloc = 0;
	int s;

	*names = NULL;
	*n = 0;
	if ((rc = stmt_prepare(db,
	                       "SELECT name FROM market WHERE id IN"
	                       " (SELECT market_id FROM share) ORDER BY name",
	                       &st)))
		return rc;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			*names = xreallocarray(*names, alloc, sizeof(char *));
		}
		(*names)[(*n)++] =
		    xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return s == SQLITE_DONE ? ST_OK : db_fail(db, "cannot list markets");
}

/* "market-" NAME with anything but [A-Za-z0-9_.-] as '_': a market name
 * comes from an import and must not pick the folder. */
static void
market_file(struct strbuf *out, const char *market, const char *ext)
{
	strbuf_adds(out, "market-");
	for (const char *p = market; *p; p++) {
		char ch = *p;
		bool ok = (ch >= 'a' && ch <= 'z') ||
		          (ch >= 'A' && ch <= 'Z') ||
		          (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
		          (ch == '.' && p != market);
		strbuf_addch(out, ok ? ch : '_');
	}
	strbuf_addf(out, ".%s", ext);
}

static void
readme_text(struct strbuf *out, const char *s)
{
	char *clean = text_clean_line(s ? s : "", 2000);

	strbuf_adds(out, clean);
	free(clean);
}

/* One README section: the file, its columns, its sources and dates. */
static enum status
readme_view(struct strbuf *out, struct db *db, const struct view_def *v,
            const struct view_filter *f, const char *file, size_t rows)
{
	struct view_cursor *c;
	enum status rc;
	bool row;

	strbuf_addf(out, "\n%s\n  %s", file, v->title);
	if (v->param)
		strbuf_addf(out, " %s", f->market);
	strbuf_addf(out, ": %zu row%s.  Columns:", rows, rows == 1 ? "" : "s");
	for (size_t i = 0; i < v->ncols; i++)
		strbuf_addf(out, "%s %s", i ? "," : "", v->cols[i].name);
	strbuf_adds(out, ".\n  Sources (rows; as of first .. last):\n");
	if ((rc = view_provenance(db, v, f, &c)))
		return rc;
	while (!(rc = view_step(c, &row)) && row) {
		strbuf_adds(out, "    - ");
		readme_text(out, view_is_null(c, 0) ? "(no source recorded)"
		                                    : view_text(c, 0));
		strbuf_addf(out, " (%lld; ", (long long)view_int(c, 1));
		readme_text(out,
		            view_is_null(c, 2) ? "no date" : view_text(c, 2));
		strbuf_adds(out, " .. ");
		readme_text(out,
		            view_is_null(c, 3) ? "no date" : view_text(c, 3));
		strbuf_adds(out, ")\n");
	}
	view_close(c);
	return rc;
}

struct snapshot {
	struct db *db;
	const char *dir;
	const struct export_opts *o;
	struct strbuf readme;
	size_t files;
};

static enum status
snapshot_view(struct snapshot *s, const struct view_def *v,
              const struct view_filter *f, const char *file)
{
	struct strbuf path = STRBUF_INIT;
	enum status rc;
	size_t rows;

	strbuf_addf(&path, "%s/%s", s->dir, file);
	rc = export_view_file(s->db, v, f, path.buf, s->o, &rows);
	strbuf_release(&path);
	if (rc)
		return rc;
	s->files++;
	return readme_view(&s->readme, s->db, v, f, file, rows);
}

static enum status
snapshot_param_view(struct snapshot *s, const struct view_def *v)
{
	char **names;
	size_t n;
	enum status rc = market_names(s->db, &names, &n);

	for (size_t i = 0; i < n; i++) {
		struct view_filter f = {.market = names[i]};
		struct strbuf file = STRBUF_INIT;

		market_file(&file, names[i], export_format_ext(s->o->format));
		if (!rc)
			rc = snapshot_view(s, v, &f, file.buf);
		strbuf_release(&file);
		free(names[i]);
	}
	free(names);
	return rc;
}

static void
readme_head(struct strbuf *out, const struct export_opts *o)
{
	char when[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addf(out,
	            "oligo snapshot, written %s by oligo %s.\n\n"
	            "Every view of the dashboard, read in one transaction, as"
	            " %s.\n",
	            when, OLIGO_VERSION,
	            o->format == EXPORT_JSON  ? "JSON (an array of objects)"
	            : o->format == EXPORT_TSV ? "TSV (UTF-8, LF)"
	                                      : "CSV (RFC 4180, UTF-8, CRLF)");
	strbuf_adds(out,
	            "Column names carry their unit (_usd dollars, _pct percent"
	            " 0-100, _points HHI\npoints 0-10,000, h100e H100"
	            " equivalents); dates are ISO 8601; empty means\nunknown."
	            "  Text cells a spreadsheet would run as a formula start"
	            " with '.\nEach file lists the sources of its rows and the"
	            " range of their as-of dates\n(for news and filings: the"
	            " publication and filing dates).\n");
}

static enum status
write_readme(struct snapshot *s)
{
	struct strbuf path = STRBUF_INIT;
	struct afile af;
	enum status rc;

	strbuf_addf(&path, "%s/README.txt", s->dir);
	rc = afile_open(&af, path.buf, s->o->force ? AFILE_FORCE : 0);
	if (!rc) {
		fwrite(s->readme.buf, 1, s->readme.len, af.fp);
		if ((rc = write_error(af.fp, path.buf)))
			afile_abort(&af);
		else if (!(rc = afile_commit(&af)))
			s->files++;
	}
	strbuf_release(&path);
	return rc;
}

enum status
export_all(struct db *db, const char *dir, const struct export_opts *o,
           size_t *files)
{
	struct snapshot s = {.db = db, .dir = dir, .o = o};
	const struct view_def *const *all;
	enum status rc;
	size_t n;

	if (files)
		*files = 0;
	if ((rc = prepare_dir(dir, o->force)))
		return rc;
	/* One read transaction: a cron ingest committing meanwhile must
	 * not make deals.csv newer than README.txt. */
	if ((rc = db_exec(db, "BEGIN")))
		return rc;
	readme_head(&s.readme, o);
	all = view_all(&n);
	for (size_t i = 0; i < n && !rc; i++) {
		struct strbuf file = STRBUF_INIT;

		if (all[i]->param) {
			rc = snapshot_param_view(&s, all[i]);
			continue;
		}
		strbuf_addf(&file, "%s.%s", all[i]->name,
		            export_format_ext(o->format));
		rc = snapshot_view(&s, all[i], NULL, file.buf);
		strbuf_release(&file);
	}
	db_exec(db, "COMMIT");
	if (!rc)
		rc = write_readme(&s);
	strbuf_release(&s.readme);
	if (files)
		*files = s.files;
	return rc;
}
