/*
 * libFuzzer harness for edgar_parse_index(), and for the small string
 * parsers beside it (acceptance times, CIKs, User-Agents) on short inputs.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       tests/fuzz/fuzz_edgar_index.c ingest/edgar.c lib/strbuf.c \
 *       lib/status.c lib/xalloc.c -ljansson -o fuzz_edgar_index
 *   ./fuzz_edgar_index -max_total_time=60 corpus/ \
 *       ../shared/fixtures/real/sec-edgar-index/
 *
 * Checks the contract in edgar.h as well as memory safety: failures leave
 * the list alone, successes keep the row invariants and the counts in
 * struct edgar_index_info add up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/edgar.h"
#include "lib/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

/*
 * Strict UTF-8 with no C0, DEL or C1 control: what edgar.h promises for
 * every string, decoded here independently of edgar.c.
 */
static void
check_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	check(s != NULL && s[0] != ' ');
	check(!*s || s[strlen(s) - 1] != ' ');
	while (*p) {
		uint32_t cp;
		int n, k;

		if (*p < 0x80) {
			check(*p >= 0x20 && *p != 0x7f);
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0)
			n = 2, cp = *p & 0x1F;
		else if ((*p & 0xF0) == 0xE0)
			n = 3, cp = *p & 0x0F;
		else if ((*p & 0xF8) == 0xF0)
			n = 4, cp = *p & 0x07;
		else
			abort();
		for (k = 1; k < n; k++) {
			check((p[k] & 0xC0) == 0x80);
			cp = cp << 6 | (p[k] & 0x3F);
		}
		check(cp >= (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u));
		check(cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF));
		check(cp > 0x9F);
		p += n;
	}
}

static void
check_row(const struct filing *f)
{
	check_text(f->cik);
	check(strlen(f->cik) >= 1 && strlen(f->cik) <= 10 && f->cik[0] != '0');
	check_text(f->company);
	check(f->company[0] != '\0');
	check_text(f->form);
	check(f->form[0] != '\0');
	check(strlen(f->filed) == 10 && f->filed[4] == '-');
	check(strlen(f->accession) == 20);
	check(!strncmp(f->url, "https://www.sec.gov/Archives/edgar/data/", 40));
	check(!f->accepted && !f->primary_doc && !f->description);
}

/* The short-string helpers, on a NUL-terminated copy of the input. */
static void
fuzz_helpers(const uint8_t *data, size_t size)
{
	char *s, out[EDGAR_UTC_SIZE], cik[EDGAR_CIK_SIZE];

	if (size > 256)
		return;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (edgar_accepted_to_utc(s, out, sizeof(out)))
		check(strlen(out) == 20 && out[19] == 'Z');
	if (edgar_cik_normalize(s, cik, sizeof(cik)))
		check(cik[0] != '0' && strlen(cik) <= 10);
	(void)edgar_user_agent_ok(s);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct edgar_index_info info;
	struct filing_list l;
	enum status st;
	size_t i;

	fuzz_helpers(data, size);
	filing_list_init(&l);
	st = edgar_parse_index(&l, (const char *)data, size, "fuzz", &info);
	if (st == ST_OK) {
		check(info.rows == l.n);
		check(info.kind != EDGAR_INDEX_UNKNOWN);
		check(!info.bad_lines == !info.first_bad);
		for (i = 0; i < l.n; i++)
			check_row(&l.v[i]);
	} else {
		check(st == ST_DATAERR);
		check(l.n == 0 && info.rows == 0);
		check(strncmp(err_msg(), "fuzz: ", 6) == 0);
	}
	filing_list_release(&l);
	return 0;
}
