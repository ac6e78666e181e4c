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
#include "tests/fuzz/check_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
