#ifndef OLIGO_LIB_CSV_H
#define OLIGO_LIB_CSV_H

/*
 * CSV in and out: a streaming reader for `oligo import` and the bundled
 * dataset, and a writer for `oligo export`.
 *
 * Reader.  RFC 4180 plus the tolerance people expect: records end in
 * CRLF or LF, a UTF-8 byte order mark at the start is skipped, blank
 * lines are skipped, and the last record may lack its newline.  Quoted
 * fields may hold separators, doubled quotes and newlines; line numbers
 * keep counting physical lines (LF) inside them.  Memory is bounded per
 * record (CSV_MAX_FIELD, CSV_MAX_FIELDS, CSV_MAX_RECORD), not per file.
 *
 * Every record must have as many fields as the first one (the header,
 * when there is one), every field must be valid UTF-8 without NUL bytes,
 * and a bare CR outside quotes is an error.  Failures are ST_DATAERR with
 * a message "NAME:LINE: what", where NAME is the path or the name given
 * to csv_reader_open_mem() and LINE is 1-based; read errors are ST_IOERR
 * "cannot read 'PATH': why".
 *
 * Two kinds of ST_DATAERR:
 *   - record errors (wrong field count, NUL byte, invalid UTF-8): the
 *     record was parsed and is skipped; the next csv_read() continues
 *     with the following record, so a caller may log and carry on;
 *   - syntax errors (stray quote, text after a closing quote, bare CR,
 *     unterminated quote, a cap exceeded) and I/O errors are sticky:
 *     every later csv_read() returns the same status and message.
 * After any error csv_nfields() is 0.
 *
 * The reader owns all the memory it hands out; strings returned by
 * csv_field()/csv_get() stay valid until the next csv_read() or
 * csv_reader_free().
 *
 * Writer.  Writes records to a FILE it does not own.  Text that came
 * from outside (csv_put_text) is repaired to valid UTF-8 without NUL and
 * defused against spreadsheet formula injection (OWASP "CSV injection"):
 * when its first character, after any leading spaces, is one of
 * = + - @ TAB CR, the cell is prefixed with a single quote '.  Values
 * oligo computed itself (numbers, ISO dates) go through csv_put_number/
 * _double/_int and are never prefixed, so -2.5 stays a number.
 * Individual writes cannot fail; check csv_writer_error() once at the
 * end.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/status.h"

/* Caps; exceeding one is a sticky ST_DATAERR. */
#define CSV_MAX_FIELD  (1u << 20)  /* bytes in one field, after unquoting */
#define CSV_MAX_FIELDS 4096        /* fields in one record */
#define CSV_MAX_RECORD (64u << 20) /* bytes in one record */

/* ------------------------------------------------------------------ */
/* Reader */

struct csv_reader;

/*
 * Open the file at path for reading (stdio, in 64 KiB chunks).  On
 * success *out is a new reader the caller frees with csv_reader_free().
 * On failure *out is NULL and the status is ST_NOINPUT ("cannot open
 * 'PATH': why").
 */
enum status csv_reader_open(struct csv_reader **out /* OUT */,
                            const char *path);

/*
 * Read from fp, which stays open and owned by the caller (for standard
 * input: `oligo import -`).  name is copied and used in messages.
 * Cannot fail; returns ST_OK.
 */
enum status csv_reader_open_fp(struct csv_reader **out /* OUT */,
                               const char *name, FILE *fp);

/*
 * Read len bytes at data, which must stay valid and unchanged until
 * csv_reader_free() (nothing is copied).  name is copied and used in
 * messages.  Cannot fail; returns ST_OK.
 */
enum status csv_reader_open_mem(struct csv_reader **out /* OUT */,
                                const char *name, const char *data, size_t len);

/* Close the file, free everything.  NULL is allowed. */
void csv_reader_free(struct csv_reader *r);

/*
 * Use sep (ASCII, not '"', CR, LF or NUL) between fields, not ','.
 * Setting '\t' also turns quoting off, which is what TAB-separated data
 * sets such as the SEC 13F files expect: '"' is an ordinary character
 * there.  Call before the first csv_read().
 */
void csv_reader_set_separator(struct csv_reader *r, char sep);

/*
 * Whether '"' starts a quoted field (true by default, false after
 * csv_reader_set_separator(r, '\t')).  Call before the first csv_read().
 */
void csv_reader_set_quoting(struct csv_reader *r, bool quoting);

/*
 * Read the next record.  *eof is set to true when there are no more
 * records (then csv_nfields() is 0), false otherwise.
 */
enum status csv_read(struct csv_reader *r, bool *eof /* OUT */);

/* Fields of the record just read. */
size_t csv_nfields(const struct csv_reader *r);
/* Field i < csv_nfields(): NUL-terminated, valid UTF-8, no NUL inside. */
const char *csv_field(const struct csv_reader *r, size_t i);
size_t csv_field_len(const struct csv_reader *r, size_t i);
/* Physical line (1-based) on which the current record began. */
size_t csv_line(const struct csv_reader *r);
/* The name used in messages. */
const char *csv_name(const struct csv_reader *r);

/*
 * Read the first record as a header and check its column names against
 * two NULL-terminated lists (either list may be NULL).  Names match
 * case-insensitively (ASCII) after trimming spaces and tabs.  Fails with
 * ST_DATAERR "NAME:LINE: unknown column 'x'", "duplicate column 'x'",
 * "missing column 'x'" (for a required one), or "no header line" for an
 * empty input.  The lists are copied.
 */
enum status csv_read_header(struct csv_reader *r, const char *const *required,
                            const char *const *optional);

/*
 * Index of the column declared as name in csv_read_header(), or -1 when
 * it is an optional column that the file does not have.  Asking for a
 * name that was never declared is a programmer error (assert; -1).
 */
int csv_col(const struct csv_reader *r, const char *name);

/* Field of the current record in column name, or "" when absent. */
const char *csv_get(const struct csv_reader *r, const char *name);

/* ------------------------------------------------------------------ */
/* Writer */

enum csv_dialect {
	CSV_RFC4180, /* ',' separator, quoting, CRLF after every record */
	CSV_TSV,     /* TAB separator, no quoting: TAB/CR/LF become spaces;
			LF after every record */
};

/* For csv_put_double(): the shortest text that reads back exactly. */
#define CSV_SHORTEST (-1)

/*
 * All fields are public so callers can read nrecords; treat the rest as
 * private.  No release is needed: the writer allocates nothing.
 */
struct csv_writer {
	FILE *fp;         /* not owned */
	const char *name; /* for messages, not owned; NULL: "output" */
	enum csv_dialect dialect;
	size_t nfields;  /* fields written in the current record */
	size_t nrecords; /* records ended with csv_end_record() */
	bool only_empty; /* the record so far is one empty field */
	bool at_start;   /* nothing written yet */
	int err;         /* errno of the first failed write, 0 if none */
};

/*
 * Start writing to fp; with excel_bom, write a UTF-8 byte order mark
 * first, which Excel needs to detect UTF-8 (other tools see it as part of
 * the first header, so it is off by default in oligo).  Set w->name after
 * this call to name the output in messages.
 */
void csv_writer_init(struct csv_writer *w, FILE *fp, enum csv_dialect d,
                     bool excel_bom);

/*
 * Untrusted text: NUL bytes are dropped, invalid UTF-8 becomes U+FFFD
 * (one per maximal invalid subsequence, as WHATWG decoders do), a cell
 * starting with = + - @ TAB or CR, also after leading spaces, gets a '
 * prefix, and the cell is quoted (CSV_RFC4180) when it contains , " CR
 * or LF or starts or ends with a space.  csv_put_text_len() takes a
 * length, so it can be handed bytes with NULs inside.  NULL is written as
 * an empty field (handy for SQL NULL).
 */
void csv_put_text(struct csv_writer *w, const char *s);
void csv_put_text_len(struct csv_writer *w, const char *s, size_t len);

/*
 * A value oligo formatted itself (a number, an ISO date): written as is,
 * never prefixed; still quoted if it would otherwise break the record.
 * NULL is written as an empty field.
 */
void csv_put_number(struct csv_writer *w, const char *s);

/*
 * v with a '.' decimal point whatever the locale, no thousands
 * separators, no exponent for 1e-7 <= |v| < 1e21.  decimals >= 0 prints
 * that many decimals (printf "%.*f", at most 20); CSV_SHORTEST prints
 * the fewest significant digits (up to 17) that read back as exactly v.
 * A negative zero prints without its sign; NaN and infinities print as
 * an empty field.
 */
void csv_put_double(struct csv_writer *w, double v, int decimals);
void csv_put_int(struct csv_writer *w, long long v);

/* An empty field (the same bytes as empty text). */
void csv_put_null(struct csv_writer *w);

/*
 * End the record (CRLF; LF for CSV_TSV).  A record must have at least one
 * field.  A record made of one empty field is written as "" so that
 * readers do not take it for a blank line (in CSV_TSV it cannot be told
 * apart from one).
 */
void csv_end_record(struct csv_writer *w);

/*
 * Flush fp and report whether any write failed: ST_OK, or ST_IOERR
 * "cannot write 'NAME': why" (for example "No space left on device").
 */
enum status csv_writer_error(struct csv_writer *w);

#endif
