/*
 * libFuzzer harness for lib/csv: the reader on arbitrary bytes, checked
 * two ways at once, and the writer round trip.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       -DCSV_CHUNK_SIZE=7 tests/fuzz/fuzz_csv.c lib/csv.c lib/strbuf.c \
 *       lib/status.c lib/xalloc.c -lm -o fuzz_csv
 *   ./fuzz_csv -max_total_time=60 -max_len=65536 corpus/ data/
 *
 * The first input byte picks options; the rest is the input.
 *   - The same bytes are read from memory and, through fmemopen(), from
 *     a FILE in CSV_CHUNK_SIZE chunks (a tiny one, so that records
 *     straddle chunks everywhere); both readers must agree on every
 *     status, message, field and line number.
 *   - Every field must keep csv.h's promises: NUL-terminated at its
 *     length, no NUL inside, valid UTF-8 (decoded here independently),
 *     the same field count in every record, line numbers that only grow.
 *   - Writer: the input, cut into cells at 0xFF and records at 0xFE, is
 *     written with csv_put_text_len() and read back; each cell must come
 *     back as the reference repair of its bytes, with the ' prefix where
 *     the first character after spaces is = + - @ TAB CR.  A double made
 *     of the first 8 bytes must survive csv_put_double().
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/status.h"
#include "lib/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	OPT_TSV = 1,      /* separator TAB (quoting off) */
	OPT_QUOTING = 2,  /* flip quoting after choosing the separator */
	OPT_HEADER = 4,   /* start with csv_read_header() */
	OPT_BOM = 8,      /* writer: Excel BOM */
	OPT_SEMI = 16,    /* separator ';' (unless OPT_TSV) */
	OPT_FP_READ = 32, /* also read through a FILE */
};

static void
check(bool ok)
{
	if (!ok)
		abort();
}

/* Strict UTF-8 without NUL, decoded bit by bit (not like lib/csv.c). */
static bool
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;
	uint32_t cp;

	while (i < n) {
		if (s[i] == 0)
			return false;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0)
			k = 1, cp = s[i] & 0x1F;
		else if ((s[i] & 0xF0) == 0xE0)
			k = 2, cp = s[i] & 0x0F;
		else if ((s[i] & 0xF8) == 0xF0)
			k = 3, cp = s[i] & 0x07;
		else
			return false;
		if (n - i <= k)
			return false;
		for (j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
		    (k == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += k + 1;
	}
	return true;
}

static void
setup(struct csv_reader *r, unsigned opts)
{
	if (opts & OPT_TSV)
		csv_reader_set_separator(r, '\t');
	else if (opts & OPT_SEMI)
		csv_reader_set_separator(r, ';');
	if (opts & OPT_QUOTING)
		csv_reader_set_quoting(r, !(opts & OPT_TSV));
}

static const char *const required[] = {"a", "B", NULL};
static const char *const optional[] = {"c", "id", "x y", NULL};

/* Read data both ways; compare; check the promises. */
static void
fuzz_reader(const char *data, size_t size, unsigned opts)
{
	struct csv_reader *a, *b = NULL;
	struct strbuf msg = STRBUF_INIT, prev = STRBUF_INIT;
	enum status sa, sb;
	bool ea, eb = false, header_ok = false;
	size_t i, iter, nf = 0, last_line = 0, lines = 1;
	FILE *fp = NULL;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	csv_reader_open_mem(&a, "in", data, size);
	setup(a, opts);
	if ((opts & OPT_FP_READ) && size) {
		fp = fmemopen((void *)(uintptr_t)data, size, "r");
		check(fp != NULL);
		csv_reader_open_fp(&b, "in", fp);
		setup(b, opts);
	}

	if (opts & OPT_HEADER) {
		sa = csv_read_header(a, required, optional);
		strbuf_reset(&msg);
		strbuf_adds(&msg, err_msg());
		if (b) {
			sb = csv_read_header(b, required, optional);
			check(sa == sb && !strcmp(msg.buf, err_msg()));
		}
		if (sa == ST_OK) {
			header_ok = true;
			check(csv_col(a, "a") >= 0 && csv_col(a, "b") >= 0);
			check(csv_col(a, "ID") >= -1);
			nf = csv_nfields(a);
			for (i = 0; optional[i]; i++)
				check(csv_col(a, optional[i]) < (int)nf);
		}
	}

	/*
	 * Every read consumes input or repeats a sticky error.  Record
	 * errors name ever later lines, so the same message twice in a row
	 * means a sticky one: stop there.
	 */
	for (iter = 0; iter < size + 3; iter++) {
		sa = csv_read(a, &ea);
		strbuf_reset(&msg);
		strbuf_adds(&msg, err_msg());
		if (b) {
			sb = csv_read(b, &eb);
			check(sa == sb && ea == eb);
			check(sa == ST_OK || !strcmp(msg.buf, err_msg()));
			check(csv_nfields(a) == csv_nfields(b));
			check(sa != ST_OK || csv_line(a) == csv_line(b));
		}
		if (sa != ST_OK) {
			check(sa == ST_DATAERR);
			check(csv_nfields(a) == 0);
			check(!strncmp(msg.buf, "in:", 3));
			if (!strcmp(msg.buf, prev.buf))
				break;
			strbuf_swap(&msg, &prev);
			continue;
		}
		strbuf_reset(&prev);
		if (ea) {
			check(csv_nfields(a) == 0);
			break;
		}
		check(csv_nfields(a) >= 1 && csv_nfields(a) <= CSV_MAX_FIELDS);
		if (!nf)
			nf = csv_nfields(a);
		check(csv_nfields(a) == nf);
		check(csv_line(a) > last_line && csv_line(a) <= lines);
		last_line = csv_line(a);
		for (i = 0; i < csv_nfields(a); i++) {
			const char *f = csv_field(a, i);
			size_t len = csv_field_len(a, i);

			check(strlen(f) == len && len <= CSV_MAX_FIELD);
			check(valid_utf8((const unsigned char *)f, len));
			if (b)
				check(csv_field_len(b, i) == len &&
				      !memcmp(csv_field(b, i), f, len));
		}
		if (header_ok)
			check(csv_get(a, "a") ==
			      csv_field(a, (size_t)csv_col(a, "a")));
	}
	check(iter < size + 3);
	csv_reader_free(a);
	csv_reader_free(b);
	if (fp)
		fclose(fp);
	strbuf_release(&msg);
	strbuf_release(&prev);
}

/* WHATWG "UTF-8 decode" with U+FFFD, NULs dropped: the reference repair. */
static void
ref_repair(struct strbuf *out, const unsigned char *s, size_t n)
{
	size_t i, start = 0, needed = 0, seen = 0;
	unsigned lower = 0x80, upper = 0xBF, b;

	for (i = 0; i < n; i++) {
		b = s[i];
		if (!needed) {
			start = i;
			if (b == 0) {
				continue;
			} else if (b < 0x80) {
				strbuf_addch(out, (int)b);
			} else if (b >= 0xC2 && b <= 0xDF) {
				needed = 1;
			} else if (b >= 0xE0 && b <= 0xEF) {
				lower = b == 0xE0 ? 0xA0 : 0x80;
				upper = b == 0xED ? 0x9F : 0xBF;
				needed = 2;
			} else if (b >= 0xF0 && b <= 0xF4) {
				lower = b == 0xF0 ? 0x90 : 0x80;
				upper = b == 0xF4 ? 0x8F : 0xBF;
				needed = 3;
			} else {
				strbuf_adds(out, "\xEF\xBF\xBD");
			}
			continue;
		}
		if (b < lower || b > upper) {
			needed = seen = 0;
			lower = 0x80;
			upper = 0xBF;
			strbuf_adds(out, "\xEF\xBF\xBD");
			i--;
			continue;
		}
		lower = 0x80;
		upper = 0xBF;
		if (++seen == needed) {
			strbuf_add(out, s + start, i + 1 - start);
			needed = seen = 0;
		}
	}
	if (needed)
		strbuf_adds(out, "\xEF\xBF\xBD");
}

static void
expected_cell(struct strbuf *out, const unsigned char *s, size_t n, bool tsv)
{
	struct strbuf rep = STRBUF_INIT;
	size_t i;

	ref_repair(&rep, s, n);
	for (i = 0; i < rep.len && rep.buf[i] == ' '; i++)
		;
	if (i < rep.len && strchr("=+-@\t\r", rep.buf[i]))
		strbuf_addch(out, '\'');
	for (i = 0; i < rep.len; i++)
		strbuf_addch(out, tsv && strchr("\t\r\n", rep.buf[i])
		                      ? ' '
		                      : rep.buf[i]);
	strbuf_release(&rep);
}

static void
fuzz_writer(const uint8_t *data, size_t size, unsigned opts)
{
	bool tsv = opts & OPT_TSV, bom = opts & OPT_BOM, eof, skip = false;
	struct strbuf want = STRBUF_INIT;
	struct csv_writer w;
	struct csv_reader *r;
	size_t nf = 0, i, rec, len = 0, pos, end;
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, &len);

	check(fp != NULL);
	/* count the cells of the first record: all records get as many */
	for (i = 0; i < size && data[i] != 0xFE; i++)
		nf += data[i] == 0xFF;
	nf++;
	csv_writer_init(&w, fp, tsv ? CSV_TSV : CSV_RFC4180, bom);
	pos = 0;
	for (rec = 0; pos < size || rec == 0; rec++) {
		for (i = 0; i < nf; i++) {
			for (end = pos; end < size && data[end] != 0xFF &&
			                data[end] != 0xFE;
			     end++)
				;
			csv_put_text_len(&w, (const char *)data + pos,
			                 end - pos);
			pos = end;
			if (pos < size && data[pos] == 0xFF)
				pos++;
		}
		/* extra cells in this record are dropped */
		while (pos < size && data[pos] != 0xFE)
			pos++;
		if (pos < size)
			pos++;
		csv_end_record(&w);
	}
	check(w.nrecords == rec);
	check(csv_writer_error(&w) == ST_OK);
	fclose(fp);

	/* read back, comparing with the same cuts */
	csv_reader_open_mem(&r, "out", buf, len);
	if (tsv)
		csv_reader_set_separator(r, '\t');
	pos = 0;
	for (rec = 0; pos < size || rec == 0; rec++) {
		check(csv_read(r, &eof) == ST_OK);
		/*
		 * TSV cannot tell a record of one empty cell from a blank
		 * line, nor a leading U+FEFF from a BOM: stop comparing there
		 */
		if (eof) {
			check(tsv);
			skip = true;
			break;
		}
		check(csv_nfields(r) == nf);
		for (i = 0; i < nf; i++) {
			for (end = pos; end < size && data[end] != 0xFF &&
			                data[end] != 0xFE;
			     end++)
				;
			strbuf_reset(&want);
			expected_cell(&want, data + pos, end - pos, tsv);
			pos = end;
			if (pos < size && data[pos] == 0xFF)
				pos++;
			if (tsv && rec == 0 && i == 0 && !bom &&
			    !strncmp(want.buf, "\xEF\xBB\xBF", 3)) {
				skip = true;
				break;
			}
			if (tsv && nf == 1 && !want.len) {
				skip = true;
				break;
			}
			check(csv_field_len(r, i) == want.len);
			check(!memcmp(csv_field(r, i), want.buf, want.len));
		}
		if (skip)
			break;
		while (pos < size && data[pos] != 0xFE)
			pos++;
		if (pos < size)
			pos++;
	}
	if (!skip) {
		check(csv_read(r, &eof) == ST_OK);
		check(eof);
	}
	csv_reader_free(r);
	free(buf);
	strbuf_release(&want);
}

static void
fuzz_double(const uint8_t *data, size_t size)
{
	struct csv_writer w;
	char *buf = NULL;
	size_t len = 0;
	double v;
	FILE *fp;

	if (size < 9)
		return;
	memcpy(&v, data + 1, sizeof(v));
	fp = open_memstream(&buf, &len);
	check(fp != NULL);
	csv_writer_init(&w, fp, CSV_RFC4180, false);
	csv_put_double(&w, v, CSV_SHORTEST);
	csv_put_double(&w, v, data[0] % 24);
	csv_end_record(&w);
	check(csv_writer_error(&w) == ST_OK);
	fclose(fp);
	check(len >= 3 && !strcmp(buf + len - 2, "\r\n"));
	buf[len - 2] = '\0';
	if (!isfinite(v)) {
		check(!strcmp(buf, ","));
	} else {
		char *comma = strchr(buf, ',');

		check(comma && !strchr(comma + 1, ',') && buf[0] != '\'');
		*comma = '\0';
		check(strtod(buf, NULL) == v);
		check(strspn(buf, "-0123456789.e+") == strlen(buf));
		check(fabs(v) < 1e-7 || fabs(v) >= 1e21 || !strchr(buf, 'e'));
		check(strspn(comma + 1, "-0123456789.") == strlen(comma + 1));
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned opts;

	if (size < 1)
		return 0;
	opts = data[0];
	fuzz_reader((const char *)data + 1, size - 1, opts);
	fuzz_writer(data + 1, size - 1, opts);
	fuzz_double(data + 1, size - 1);
	err_clear();
	return 0;
}
