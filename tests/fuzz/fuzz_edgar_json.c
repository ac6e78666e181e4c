/*
 * libFuzzer harness for edgar_parse_submissions().
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       tests/fuzz/fuzz_edgar_json.c ingest/edgar.c lib/strbuf.c \
 *       lib/status.c lib/xalloc.c -ljansson -o fuzz_edgar_json
 *   ./fuzz_edgar_json -max_total_time=60 corpus/ \
 *       ../shared/fixtures/real/sec-edgar-submissions/
 *
 * Beyond "no crash, no leak", each run checks the contract in edgar.h:
 * a failure leaves the list as it was and says why; a success yields rows
 * that keep every invariant.  A violated invariant aborts, which libFuzzer
 * reports like a crash.
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
	size_t i;

	check_text(f->cik);
	check(strlen(f->cik) >= 1 && strlen(f->cik) <= 10 && f->cik[0] != '0');
	check_text(f->company);
	check_text(f->form);
	check(f->form[0] != '\0');
	check_text(f->filed);
	check(strlen(f->filed) == 10);
	check_text(f->accession);
	check(strlen(f->accession) == 20 && f->accession[10] == '-' &&
	      f->accession[13] == '-');
	check_text(f->url);
	check(!strncmp(f->url, "https://www.sec.gov/Archives/edgar/data/", 40));
	for (i = 0; f->url[i]; i++)
		check(f->url[i] > 0x20 && f->url[i] < 0x7f);
	if (f->accepted) {
		check(strlen(f->accepted) == 20 && f->accepted[19] == 'Z');
	}
	if (f->primary_doc) {
		const char *seg = f->primary_doc;

		check_text(seg);
		/* Every segment non-empty and neither "." nor "..". */
		for (;;) {
			size_t n = strcspn(seg, "/");

			check(n > 0 && !(n == 1 && seg[0] == '.') &&
			      !(n == 2 && seg[0] == '.' && seg[1] == '.'));
			if (!seg[n])
				break;
			seg += n + 1;
		}
	}
	if (f->description)
		check_text(f->description);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filing_list l;
	enum status st;
	size_t i;

	filing_list_init(&l);
	st = edgar_parse_submissions(&l, (const char *)data, size, "fuzz");
	if (st == ST_OK) {
		for (i = 0; i < l.n; i++)
			check_row(&l.v[i]);
	} else {
		check(st == ST_DATAERR);
		check(l.n == 0);
		check(strncmp(err_msg(), "fuzz: ", 6) == 0);
	}
	filing_list_release(&l);
	return 0;
}
