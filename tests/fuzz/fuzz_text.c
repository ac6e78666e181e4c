/*
 * libFuzzer harness for lib/text.h (sanitizer, width, fit) and
 * ingest/date.h (every date parser takes untrusted strings).  Aborts when
 * a property of the sanitizer does not hold: valid, clean, capped,
 * idempotent; and when text_fit() exceeds its width.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/date.h"
#include "lib/strbuf.h"
#include "lib/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

static void
check(const char *s, size_t len, enum text_mode mode, size_t cap)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	text_sanitize(&a, s, len, mode, cap);
	if (a.len > cap || strlen(a.buf) != a.len ||
	    !text_is_clean(a.buf, a.len))
		abort();
	if (mode == TEXT_LINE &&
	    (memchr(a.buf, '\n', a.len) || strstr(a.buf, "  ")))
		abort();
	if (a.len && (a.buf[0] == ' ' || a.buf[a.len - 1] == ' ' ||
	              a.buf[0] == '\n' || a.buf[a.len - 1] == '\n'))
		abort();
	text_sanitize(&b, a.buf, a.len, mode, cap);
	if (b.len != a.len || memcmp(a.buf, b.buf, a.len))
		abort();
	strbuf_release(&a);
	strbuf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *z;
	size_t cap, width, used;
	struct strbuf sb = STRBUF_INIT;

	if (size < 2)
		return 0;
	cap = data[0] == 0xFF ? SIZE_MAX : data[0];
	width = data[1];
	s += 2;
	size -= 2;
	check(s, size, TEXT_LINE, cap);
	check(s, size, TEXT_BODY, cap);
	check(s, size, TEXT_LINE, SIZE_MAX);

	z = malloc(size + 1);
	memcpy(z, s, size);
	z[size] = '\0';
	used = text_fit(&sb, z, width);
	if (used > width || text_width(sb.buf) != used)
		abort();
	strbuf_release(&sb);

	{
		int64_t t = date_parse(z);
		char buf[DATE_UTC_SIZE];

		date_format_utc(t, buf);
		date_parse_rfc822(z);
		date_parse_iso8601(z);
		date_parse_edgar_eastern(z);
	}
	free(z);
	return 0;
}
