/*
 * libFuzzer harness for ingest/html.h: any bytes as an HTML fragment.
 * Aborts if the text is not clean or not within its cap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/html.h"
#include "lib/strbuf.h"
#include "lib/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cap;

	if (size < 1)
		return 0;
	cap = data[0] == 0xFF ? SIZE_MAX : (size_t)data[0] * 4;
	html_to_text(&sb, (const char *)data + 1, size - 1, cap);
	if (sb.len > cap || strlen(sb.buf) != sb.len ||
	    !text_is_clean(sb.buf, sb.len))
		abort();
	if (sb.len && (sb.buf[0] == ' ' || sb.buf[0] == '\n' ||
	               sb.buf[sb.len - 1] == ' ' || sb.buf[sb.len - 1] == '\n'))
		abort();
	if (strstr(sb.buf, "\n\n\n"))
		abort(); /* at most one blank line */
	strbuf_release(&sb);
	if (size > 1 && size < 12)
		html_entity((const char *)data + 1, size - 1);
	return 0;
}
