/*
 * libFuzzer harness for epoch_parse(): the first byte picks the dataset
 * (chip owners, GPU clusters, notable models), the rest is the CSV.
 * Checks the row contract in ingest/epoch.h besides memory safety.
 *
 *   make fuzz FUZZ_SECONDS=60   (tests/fuzz/run.sh builds and seeds it)
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/epoch.h"
#include "lib/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

static enum status
row_ok(void *ctx, const struct epoch_row *row)
{
	const char *const s[] = {row->owner, row->name,     row->date,
	                         row->chip,  row->hardware, row->flop};

	for (size_t i = 0; i < sizeof(s) / sizeof(*s); i++)
		check(s[i] && text_is_clean(s[i], strlen(s[i])));
	check(row->h100e == -1 || (isfinite(row->h100e) && row->h100e >= 0));
	check(!*row->date ||
	      (strlen(row->period) == 6 && row->period[4] == 'Q' &&
	       row->period[5] >= '1' && row->period[5] <= '4'));
	(*(size_t *)ctx)++;
	return ST_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r;
	size_t n = 0;

	if (size < 1)
		return 0;
	csv_reader_open_mem(&r, "fuzz", (const char *)data + 1, size - 1);
	(void)epoch_parse(r, (enum epoch_kind)(data[0] % 3), row_ok, &n);
	csv_reader_free(r);
	return 0;
}
