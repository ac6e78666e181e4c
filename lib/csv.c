#include "lib/csv.h"

#include <assert.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/xalloc.h"

/*
 * Big enough that stdio and the scan loops, not calls, dominate.  The
 * fuzz harness builds with a tiny one so records straddle chunks.
 */
#ifndef CSV_CHUNK_SIZE
#define CSV_CHUNK_SIZE (64u << 10)
#endif
#define CHUNK ((size_t)CSV_CHUNK_SIZE)
/* the BOM check wants its three bytes in the first chunk */
_Static_assert(CSV_CHUNK_SIZE >= 3, "CSV_CHUNK_SIZE too small");

/* Longest column name quoted back in a message, in bytes. */
#define MSG_NAME_MAX 80

struct col {
	char *name; /* as declared by the caller */
	int idx;    /* in the file, -1 when absent */
	bool required;
};

struct csv_reader {
	char *name;
	FILE *fp;            /* NULL for memory readers */
	bool own_fp;         /* opened by csv_reader_open(), so closed by us */
	char *chunk;         /* file readers: the current chunk */
	const char *p, *end; /* input not consumed yet */
	bool at_eof;         /* nothing follows end */
	bool started;        /* BOM handled */
	bool quoting;
	char sep;
	/* bytes that end a run of ordinary bytes in an unquoted field */
	unsigned char special[256];

	size_t line;     /* physical line of *p */
	size_t rec_line; /* where the current record began */

	/*
	 * The fields of the current record, each followed by a NUL; field i
	 * starts at off[i] and off[nfields] is the end of the last NUL.
	 */
	struct strbuf rec;
	size_t *off;
	size_t nfields, off_alloc;
	size_t expected; /* fields per record; 0 before the first one */

	enum status sticky; /* set by syntax and I/O errors */
	struct strbuf sticky_msg;

	struct col *cols; /* from csv_read_header() */
	size_t ncols;
};

/* ------------------------------------------------------------------ */
/* UTF-8 */

/*
 * Length of the well-formed UTF-8 sequence at s[0..n) (s[0] >= 0x80), or
 * 0 when there is none; then *skip is the length of the maximal subpart
 * of a sequence there (Unicode ch. 3, "U+FFFD substitution of maximal
 * subparts", which WHATWG decoders use), at least 1.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n, size_t *skip)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		*skip = 1;
		return 0;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*skip = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return need + 1;
}

/* Offset of the first NUL or invalid UTF-8 byte in p[0..n), or n. */
static size_t
utf8_check(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
	size_t i = 0, k, skip;
	uint64_t v;

	while (i < n) {
		/* eight bytes at a time while they are all in 0x01..0x7f */
		if (n - i >= 8) {
			memcpy(&v, s + i, 8);
			if ((((v - ones) | v) & highs) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] == 0)
			return i;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(s + i, n - i, &skip);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

/*
 * Append s[0..n) for an error message: C0, DEL and C1 controls become
 * \xNN so a hostile header cannot drive the terminal, and long names are
 * cut (at a character boundary).
 */
static void
add_for_msg(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, skip;

	while (i < n) {
		if (i >= MSG_NAME_MAX) {
			strbuf_adds(sb, "...");
			return;
		}
		if (u[i] < 0x20 || u[i] == 0x7f) {
			strbuf_addf(sb, "\\x%02x", u[i]);
			i++;
		} else if (u[i] < 0x80) {
			strbuf_addch(sb, u[i]);
			i++;
		} else if ((k = utf8_seq(u + i, n - i, &skip)) == 0) {
			strbuf_addf(sb, "\\x%02x", u[i]);
			i++;
		} else if (k == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0) {
			strbuf_addf(sb, "\\u%04x", u[i + 1]);
			i += 2;
		} else {
			strbuf_add(sb, u + i, k);
			i += k;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Reader: errors */

static enum status vrecord_err(struct csv_reader *r, size_t line,
                               const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static enum status
vrecord_err(struct csv_reader *r, size_t line, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s:%zu: ", r->name, line);
	strbuf_vaddf(&sb, fmt, ap);
	err_set(ST_DATAERR, "%s", sb.buf);
	strbuf_release(&sb);
	r->nfields = 0;
	return ST_DATAERR;
}

/* An error confined to one record: reading may go on after it. */
static enum status record_err(struct csv_reader *r, size_t line,
                              const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum status
record_err(struct csv_reader *r, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord_err(r, line, fmt, ap);
	va_end(ap);
	return ST_DATAERR;
}

static enum status
make_sticky(struct csv_reader *r, enum status st)
{
	r->sticky = st;
	strbuf_reset(&r->sticky_msg);
	strbuf_adds(&r->sticky_msg, err_msg());
	r->nfields = 0;
	return st;
}

/*
 * A syntax error: where the next record would start is unknown, so every
 * later read fails the same way rather than guess.
 */
static enum status syntax_err(struct csv_reader *r, size_t line,
                              const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum status
syntax_err(struct csv_reader *r, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord_err(r, line, fmt, ap);
	va_end(ap);
	return make_sticky(r, ST_DATAERR);
}

/* ------------------------------------------------------------------ */
/* Reader: setup */

static void
set_special(struct csv_reader *r)
{
	memset(r->special, 0, sizeof(r->special));
	r->special[(unsigned char)r->sep] = 1;
	r->special['\n'] = 1;
	r->special['\r'] = 1;
	r->special['"'] = r->quoting;
}

static struct csv_reader *
reader_new(const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->name = xstrdup(name);
	r->sep = ',';
	r->quoting = true;
	set_special(r);
	r->line = 1;
	r->rec_line = 1;
	strbuf_init(&r->rec, 0);
	strbuf_init(&r->sticky_msg, 0);
	r->sticky = ST_OK;
	return r;
}

enum status
csv_reader_open(struct csv_reader **out, const char *path)
{
	FILE *fp = fopen(path, "re");

	*out = NULL;
	if (!fp)
		return err_set(ST_NOINPUT, "cannot open '%s': %s", path,
		               strerror(errno));
	csv_reader_open_fp(out, path, fp);
	(*out)->own_fp = true;
	return ST_OK;
}

enum status
csv_reader_open_fp(struct csv_reader **out, const char *name, FILE *fp)
{
	struct csv_reader *r = reader_new(name);

	r->fp = fp;
	r->chunk = xmalloc(CHUNK);
	r->p = r->end = r->chunk;
	*out = r;
	return ST_OK;
}

enum status
csv_reader_open_mem(struct csv_reader **out, const char *name, const char *data,
                    size_t len)
{
	struct csv_reader *r = reader_new(name);

	if (!data)
		data = ""; /* NULL + 0 is undefined */
	r->p = data;
	r->end = data + len;
	r->at_eof = true;
	*out = r;
	return ST_OK;
}

void
csv_reader_free(struct csv_reader *r)
{
	size_t i;

	if (!r)
		return;
	if (r->own_fp)
		fclose(r->fp); /* read-only: nothing to lose */
	free(r->chunk);
	free(r->name);
	strbuf_release(&r->rec);
	strbuf_release(&r->sticky_msg);
	free(r->off);
	for (i = 0; i < r->ncols; i++)
		free(r->cols[i].name);
	free(r->cols);
	free(r);
}

void
csv_reader_set_separator(struct csv_reader *r, char sep)
{
	assert(sep != '"' && sep != '\r' && sep != '\n' && sep != '\0' &&
	       (unsigned char)sep < 0x80);
	r->sep = sep;
	r->quoting = sep != '\t';
	set_special(r);
}

void
csv_reader_set_quoting(struct csv_reader *r, bool quoting)
{
	r->quoting = quoting;
	set_special(r);
}

/* ------------------------------------------------------------------ */
/* Reader: parsing */

enum parse_state {
	S_RECORD,   /* before a record; blank lines are skipped here */
	S_BLANK_CR, /* CR of a blank line seen */
	S_FIELD,    /* at the start of a field */
	S_PLAIN,    /* inside an unquoted field */
	S_QUOTED,   /* inside a quoted field */
	S_QUOTE,    /* a quote inside a quoted field: end or doubled? */
	S_CR,       /* CR that ended a field: LF must follow */
};

static enum status
refill(struct csv_reader *r)
{
	size_t n;

	errno = 0;
	n = fread(r->chunk, 1, CHUNK, r->fp);

	if (n < CHUNK) {
		if (ferror(r->fp)) {
			int e = errno ? errno : EIO;

			err_set(ST_IOERR, "cannot read '%s': %s", r->name,
			        strerror(e));
			return make_sticky(r, ST_IOERR);
		}
		r->at_eof = true;
	}
	r->p = r->chunk;
	r->end = r->chunk + n;
	return ST_OK;
}

static enum status
begin_field(struct csv_reader *r)
{
	if (r->nfields == CSV_MAX_FIELDS)
		return syntax_err(r, r->line, "more than %d fields",
		                  CSV_MAX_FIELDS);
	if (r->nfields + 2 > r->off_alloc) {
		r->off_alloc = r->off_alloc ? 2 * r->off_alloc : 16;
		r->off = xreallocarray(r->off, r->off_alloc, sizeof(*r->off));
	}
	r->off[r->nfields++] = r->rec.len;
	return ST_OK;
}

static void
end_field(struct csv_reader *r)
{
	strbuf_addch(&r->rec, '\0');
	r->off[r->nfields] = r->rec.len;
}

/* Append n bytes to the current field, within the caps. */
static enum status
add_bytes(struct csv_reader *r, const char *s, size_t n, size_t field_line)
{
	size_t flen = r->rec.len - r->off[r->nfields - 1];

	if (n > CSV_MAX_FIELD - flen)
		return syntax_err(r, field_line, "field longer than %u MiB",
		                  CSV_MAX_FIELD >> 20);
	if (n > CSV_MAX_RECORD - r->rec.len)
		return syntax_err(r, r->rec_line, "record longer than %u MiB",
		                  CSV_MAX_RECORD >> 20);
	strbuf_add(&r->rec, s, n);
	return ST_OK;
}

/*
 * Parse one record into r->rec/r->off.  A state machine, because a
 * record can straddle chunks anywhere; inside fields, runs of ordinary
 * bytes are found with a table and copied in one go.
 */
static enum status
parse_record(struct csv_reader *r, bool *eof)
{
	enum parse_state state = S_RECORD;
	size_t field_line = r->line;
	enum status st;
	const char *q;
	char c;

	strbuf_reset(&r->rec);
	r->nfields = 0;
	if (!r->started) {
		r->started = true;
		if (r->p == r->end && !r->at_eof && (st = refill(r)))
			return st;
		if (r->end - r->p >= 3 && !memcmp(r->p, "\xEF\xBB\xBF", 3))
			r->p += 3;
	}
	for (;;) {
		if (r->p == r->end) {
			if (!r->at_eof) {
				if ((st = refill(r)))
					return st;
				continue;
			}
			switch (state) {
			case S_RECORD:
			case S_BLANK_CR:
				*eof = true;
				return ST_OK;
			case S_QUOTED:
				return syntax_err(r, field_line,
				                  "unterminated quoted field");
			case S_FIELD:
				if ((st = begin_field(r)))
					return st;
				end_field(r);
				return ST_OK;
			case S_PLAIN:
			case S_QUOTE:
				end_field(r);
				return ST_OK;
			case S_CR:
				return ST_OK; /* field already ended */
			}
		}
		switch (state) {
		case S_RECORD:
			c = *r->p;
			if (c == '\n') {
				r->p++;
				r->line++;
			} else if (c == '\r') {
				r->p++;
				state = S_BLANK_CR;
			} else {
				r->rec_line = r->line;
				state = S_FIELD;
			}
			break;
		case S_BLANK_CR:
			if (*r->p != '\n')
				return syntax_err(r, r->line,
				                  "carriage return without "
				                  "newline");
			r->p++;
			r->line++;
			state = S_RECORD;
			break;
		case S_FIELD:
			if ((st = begin_field(r)))
				return st;
			field_line = r->line;
			if (r->quoting && *r->p == '"') {
				r->p++;
				state = S_QUOTED;
				break;
			}
			state = S_PLAIN;
			break;
		case S_PLAIN:
			q = r->p;
			while (q < r->end && !r->special[(unsigned char)*q])
				q++;
			if (q > r->p &&
			    (st = add_bytes(r, r->p, (size_t)(q - r->p),
			                    field_line)))
				return st;
			r->p = q;
			if (q == r->end)
				break;
			c = *r->p++;
			if (c == r->sep) {
				end_field(r);
				state = S_FIELD;
			} else if (c == '\n') {
				r->line++;
				end_field(r);
				return ST_OK;
			} else if (c == '\r') {
				end_field(r);
				state = S_CR;
			} else {
				return syntax_err(
				    r, r->line, "quote inside unquoted field");
			}
			break;
		case S_QUOTED:
			q = r->p;
			while (q < r->end && *q != '"' && *q != '\n')
				q++;
			if (q < r->end && *q == '\n') {
				r->line++;
				q++; /* the newline is data */
			}
			if (q > r->p &&
			    (st = add_bytes(r, r->p, (size_t)(q - r->p),
			                    field_line)))
				return st;
			r->p = q;
			if (q < r->end && *q == '"') {
				r->p++;
				state = S_QUOTE;
			}
			break;
		case S_QUOTE:
			c = *r->p++;
			if (c == '"') {
				if ((st = add_bytes(r, "\"", 1, field_line)))
					return st;
				state = S_QUOTED;
			} else if (c == r->sep) {
				end_field(r);
				state = S_FIELD;
			} else if (c == '\n') {
				r->line++;
				end_field(r);
				return ST_OK;
			} else if (c == '\r') {
				end_field(r);
				state = S_CR;
			} else {
				return syntax_err(r, r->line,
				                  "text after closing quote");
			}
			break;
		case S_CR:
			if (*r->p != '\n')
				return syntax_err(r, r->line,
				                  "carriage return without "
				                  "newline");
			r->p++;
			r->line++;
			return ST_OK;
		}
	}
}

/* Checks that need the whole record: field count, NUL, UTF-8. */
static enum status
check_record(struct csv_reader *r)
{
	size_t i, k, len, line;
	const char *f, *nl;

	if (!r->expected)
		r->expected = r->nfields;
	else if (r->nfields != r->expected)
		return record_err(r, r->rec_line,
		                  "expected %zu field%s, got %zu", r->expected,
		                  r->expected == 1 ? "" : "s", r->nfields);
	for (i = 0; i < r->nfields; i++) {
		f = r->rec.buf + r->off[i];
		len = r->off[i + 1] - r->off[i] - 1;
		k = utf8_check(f, len);
		if (k == len)
			continue;
		/* newlines inside quoted fields are kept, so count them */
		line = r->rec_line;
		for (nl = r->rec.buf;
		     (nl = memchr(nl, '\n', (size_t)(f + k - nl))); nl++)
			line++;
		return record_err(r, line, "%s in field %zu",
		                  f[k] ? "invalid UTF-8" : "NUL byte", i + 1);
	}
	return ST_OK;
}

enum status
csv_read(struct csv_reader *r, bool *eof)
{
	enum status st;

	*eof = false;
	if (r->sticky) {
		r->nfields = 0;
		return err_set(r->sticky, "%s", r->sticky_msg.buf);
	}
	if ((st = parse_record(r, eof)))
		return st;
	if (*eof) {
		r->nfields = 0;
		return ST_OK;
	}
	return check_record(r);
}

size_t
csv_nfields(const struct csv_reader *r)
{
	return r->nfields;
}

const char *
csv_field(const struct csv_reader *r, size_t i)
{
	assert(i < r->nfields);
	if (i >= r->nfields)
		return "";
	return r->rec.buf + r->off[i];
}

size_t
csv_field_len(const struct csv_reader *r, size_t i)
{
	assert(i < r->nfields);
	if (i >= r->nfields)
		return 0;
	return r->off[i + 1] - r->off[i] - 1;
}

size_t
csv_line(const struct csv_reader *r)
{
	return r->rec_line;
}

const char *
csv_name(const struct csv_reader *r)
{
	return r->name;
}

/* ------------------------------------------------------------------ */
/* Reader: header */

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* s[0..n) equals the NUL-terminated name, ignoring ASCII case */
static bool
name_eq(const char *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!name[i] || ascii_lower((unsigned char)s[i]) !=
		                    ascii_lower((unsigned char)name[i]))
			return false;
	return name[n] == '\0';
}

static void
add_cols(struct csv_reader *r, const char *const *names, bool required)
{
	for (; names && *names; names++) {
		r->cols =
		    xreallocarray(r->cols, r->ncols + 1, sizeof(*r->cols));
		r->cols[r->ncols].name = xstrdup(*names);
		r->cols[r->ncols].idx = -1;
		r->cols[r->ncols].required = required;
		r->ncols++;
	}
}

static enum status
column_err(struct csv_reader *r, const char *what, const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	add_for_msg(&sb, s, n);
	record_err(r, r->rec_line, "%s column '%s'", what, sb.buf);
	strbuf_release(&sb);
	return ST_DATAERR;
}

enum status
csv_read_header(struct csv_reader *r, const char *const *required,
                const char *const *optional)
{
	size_t i, j, n;
	const char *s;
	enum status st;
	bool eof;

	for (i = 0; i < r->ncols; i++)
		free(r->cols[i].name);
	free(r->cols);
	r->cols = NULL;
	r->ncols = 0;
	add_cols(r, required, true);
	add_cols(r, optional, false);

	if ((st = csv_read(r, &eof)))
		return st;
	if (eof)
		return err_set(ST_DATAERR, "%s:1: no header line", r->name);
	for (i = 0; i < r->nfields; i++) {
		s = csv_field(r, i);
		n = csv_field_len(r, i);
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		for (j = 0; j < r->ncols; j++)
			if (name_eq(s, n, r->cols[j].name))
				break;
		if (j == r->ncols)
			return column_err(r, "unknown", s, n);
		if (r->cols[j].idx >= 0)
			return column_err(r, "duplicate", s, n);
		r->cols[j].idx = (int)i;
	}
	for (j = 0; j < r->ncols; j++)
		if (r->cols[j].required && r->cols[j].idx < 0)
			return column_err(r, "missing", r->cols[j].name,
			                  strlen(r->cols[j].name));
	return ST_OK;
}

int
csv_col(const struct csv_reader *r, const char *name)
{
	size_t j;

	for (j = 0; j < r->ncols; j++)
		if (name_eq(name, strlen(name), r->cols[j].name))
			return r->cols[j].idx;
	assert(!"csv_col: column not declared in csv_read_header()");
	return -1;
}

const char *
csv_get(const struct csv_reader *r, const char *name)
{
	int i = csv_col(r, name);

	if (i < 0 || (size_t)i >= r->nfields)
		return "";
	return csv_field(r, (size_t)i);
}

/* ------------------------------------------------------------------ */
/* Writer */

static void
put(struct csv_writer *w, const void *s, size_t n)
{
	if (w->err || !n)
		return;
	errno = 0;
	if (fwrite(s, 1, n, w->fp) != n)
		w->err = errno ? errno : EIO;
}

/* One byte; unlocked, as separators and quotes are most of the calls. */
static void
put_ch(struct csv_writer *w, char c)
{
	if (w->err)
		return;
	errno = 0;
	if (putc_unlocked(c, w->fp) == EOF)
		w->err = errno ? errno : EIO;
}

void
csv_writer_init(struct csv_writer *w, FILE *fp, enum csv_dialect d,
                bool excel_bom)
{
	w->fp = fp;
	w->name = NULL;
	w->dialect = d;
	w->nfields = 0;
	w->nrecords = 0;
	w->only_empty = false;
	w->at_start = !excel_bom;
	w->err = 0;
	if (excel_bom)
		put(w, "\xEF\xBB\xBF", 3);
}

/* Bytes of untrusted text that need a look beyond "copy it". */
static bool
is_plain(unsigned char c, bool tsv)
{
	if (c >= 0x80 || c == '\0')
		return false;
	if (tsv)
		return c != '\t' && c != '\r' && c != '\n';
	return c != '"';
}

/*
 * Write one field.  defuse: the text is untrusted, so apply the formula
 * prefix.  Two passes: decide on prefix and quotes, then copy runs of
 * plain bytes with fwrite, repairing as we go.
 */
static void
put_field(struct csv_writer *w, const char *s, size_t len, bool defuse)
{
	const unsigned char *u = (const unsigned char *)s;
	bool tsv = w->dialect == CSV_TSV;
	bool quote = false, prefix = false;
	size_t i, start, k, skip, first = len, last = len;
	char head[3];

	if (w->nfields++)
		put_ch(w, tsv ? '\t' : ',');
	for (i = 0; i < len; i++) {
		if (!u[i])
			continue;
		if (first == len)
			first = i;
		last = i;
		if (u[i] == ',' || u[i] == '"' || u[i] == '\r' || u[i] == '\n')
			quote = true;
	}
	if (first < len && (u[first] == ' ' || u[last] == ' '))
		quote = true;
	if (w->at_start) {
		/* text that starts the file with U+FEFF would read as a BOM */
		for (i = k = 0; i < len && k < 3; i++)
			if (u[i])
				head[k++] = (char)u[i];
		if (k == 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
			quote = true;
		w->at_start = false;
	}
	if (defuse) {
		/* importers that trim would expose a formula behind spaces */
		for (i = 0; i < len && (u[i] == ' ' || u[i] == '\0'); i++)
			;
		prefix = i < len && strchr("=+-@\t\r", u[i]);
	}
	if (tsv)
		quote = false;
	w->only_empty = w->nfields == 1 && first == len;

	if (quote)
		put_ch(w, '"');
	if (prefix)
		put_ch(w, '\'');
	for (i = start = 0; i < len;) {
		if (is_plain(u[i], tsv)) {
			i++;
		} else if (u[i] == '"') {
			/* write through the quote, then again from it */
			put(w, u + start, i + 1 - start);
			start = i++;
		} else if (u[i] >= 0x80) {
			if ((k = utf8_seq(u + i, len - i, &skip))) {
				i += k;
				continue;
			}
			put(w, u + start, i - start);
			put(w, "\xEF\xBF\xBD", 3);
			start = i += skip;
		} else {
			put(w, u + start, i - start);
			if (u[i])
				put_ch(w, ' '); /* TSV: TAB, CR, LF */
			start = ++i;
		}
	}
	put(w, u + start, len - start);
	if (quote)
		put_ch(w, '"');
}

void
csv_put_text(struct csv_writer *w, const char *s)
{
	if (!s)
		s = "";
	put_field(w, s, strlen(s), true);
}

void
csv_put_text_len(struct csv_writer *w, const char *s, size_t len)
{
	put_field(w, s, len, true);
}

void
csv_put_number(struct csv_writer *w, const char *s)
{
	if (!s)
		s = "";
	put_field(w, s, strlen(s), false);
}

void
csv_put_null(struct csv_writer *w)
{
	put_field(w, "", 0, false);
}

void
csv_put_int(struct csv_writer *w, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	put_field(w, buf, strlen(buf), false);
}

/* printf obeys LC_NUMERIC; CSV wants '.' whatever the user's locale. */
static void
c_decimal_point(char *buf)
{
	const char *dp = localeconv()->decimal_point;
	size_t n = strlen(dp);
	char *p;

	if (!n || !strcmp(dp, "."))
		return;
	if ((p = strstr(buf, dp))) {
		*p = '.';
		memmove(p + 1, p + n, strlen(p + n) + 1);
	}
}

/*
 * The shortest decimal that reads back as v (finite), positional between
 * 1e-7 and 1e21 like JavaScript's Number#toString, else d.ddde+XX.
 */
static void
shortest(char *out, size_t size, double v)
{
	char tmp[40], digits[24];
	size_t nd = 0, o = 0, i;
	int prec, exp10;
	const char *e;

	/*
	 * If some string of k <= 15 significant digits reads back as v, it
	 * is the one %.14e prints, padded with zeros: 15-digit decimals are
	 * spaced wider than the doubles that round to one, so the nearest
	 * is the only candidate.  So try 15, 16, then 17 digits (which
	 * always work) and drop trailing zeros.  Subnormals have fewer bits,
	 * so for them count up from one digit.
	 */
	prec = v != 0 && fabs(v) < DBL_MIN ? 0 : 14;
	for (; prec < 16; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (prec == 16)
		snprintf(tmp, sizeof(tmp), "%.16e", v);
	e = strchr(tmp, 'e');
	for (i = 0; tmp + i < e; i++)
		if (tmp[i] >= '0' && tmp[i] <= '9')
			digits[nd++] = tmp[i];
	assert(e && nd > 0); /* v is finite: "d.ddde+XX" */
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	exp10 = atoi(e + 1);
	if (v < 0)
		out[o++] = '-';
	if (exp10 >= 21 || exp10 < -7) {
		out[o++] = digits[0];
		if (nd > 1)
			out[o++] = '.';
		memcpy(out + o, digits + 1, nd - 1);
		o += nd - 1;
		snprintf(out + o, size - o, "e%+03d", exp10);
		return;
	}
	if (exp10 < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < (size_t)(-exp10 - 1); i++)
			out[o++] = '0';
		memcpy(out + o, digits, nd);
		o += nd;
	} else {
		for (i = 0; i < nd || i <= (size_t)exp10; i++) {
			if (i == (size_t)exp10 + 1)
				out[o++] = '.';
			out[o++] = i < nd ? digits[i] : '0';
		}
	}
	out[o] = '\0';
}

void
csv_put_double(struct csv_writer *w, double v, int decimals)
{
	/* 309 integer digits, sign, point, 20 decimals */
	char buf[400];

	if (!isfinite(v)) {
		csv_put_null(w);
		return;
	}
	if (decimals < 0) {
		shortest(buf, sizeof(buf), v);
	} else {
		snprintf(buf, sizeof(buf), "%.*f",
		         decimals > 20 ? 20 : decimals, v);
		c_decimal_point(buf);
	}
	/* -0, or a small negative rounded to -0.00: not a negative number */
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	put_field(w, buf, strlen(buf), false);
}

void
csv_end_record(struct csv_writer *w)
{
	assert(w->nfields > 0);
	if (w->only_empty && w->dialect == CSV_RFC4180)
		put(w, "\"\"", 2);
	if (w->dialect == CSV_TSV) {
		put_ch(w, '\n');
	} else {
		put_ch(w, '\r');
		put_ch(w, '\n');
	}
	w->nfields = 0;
	w->only_empty = false;
	w->nrecords++;
}

enum status
csv_writer_error(struct csv_writer *w)
{
	errno = 0;
	if (fflush(w->fp) && !w->err)
		w->err = errno ? errno : EIO;
	if (ferror(w->fp) && !w->err)
		w->err = EIO;
	if (!w->err)
		return ST_OK;
	if (w->name)
		return err_set(ST_IOERR, "cannot write '%s': %s", w->name,
		               strerror(w->err));
	return err_set(ST_IOERR, "cannot write output: %s", strerror(w->err));
}
