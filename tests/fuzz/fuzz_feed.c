/*
 * libFuzzer harness: bytes from the network -> feed_parse() -> items, and
 * the same bytes through xml_read_doc().  Besides what ASan/UBSan catch,
 * it aborts when a parsed feed breaks an invariant of ingest/feed.h.
 *
 * The first input byte picks options (charset hint, small caps, a base
 * URL), so the fuzzer reaches the re-decoding and truncation paths.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *     $(pkg-config --cflags libxml-2.0 libcurl) tests/fuzz/fuzz_feed.c \
 *     ingest/feed.c ingest/xml.c ingest/html.c ingest/date.c lib/text.c \
 *     lib/strbuf.c lib/status.c lib/xalloc.c \
 *     $(pkg-config --libs libxml-2.0 libcurl) -lm
 *   ./a.out -max_total_time=60 -timeout=10 -rss_limit_mb=2048 corpus/
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/feed.h"
#include "ingest/xml.h"
#include "lib/strbuf.h"
#include "lib/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_line(const char *s, size_t cap)
{
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	if (n == 0 || n > cap || !text_is_clean(s, n) || strchr(s, '\n') ||
	    s[0] == ' ' || s[n - 1] == ' ')
		abort();
}

static void
check_link(const char *s)
{
	if (!s)
		return;
	check_line(s, FEED_FIELD_MAX);
	if (strncmp(s, "http://", 7) && strncmp(s, "https://", 8))
		abort();
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
			abort(); /* links are percent-encoded ASCII */
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xml_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = {NULL, "ISO-8859-1", "utf-8",
	                                       "gb2312", "bogus"};
	struct feed_options o = {.name = "fuzz"};
	struct feed f;
	unsigned sel;
	size_t i;
	xmlDocPtr doc;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	o.charset = charsets[sel % 5];
	if (sel & 0x08)
		o.base_url = "https://example.com/dir/feed.xml";
	if (sel & 0x10) {
		o.max_items = 3;
		o.max_title = 16;
		o.max_summary = 64;
	}
	if (feed_parse(&f, (const char *)data, size, &o) == ST_OK) {
		size_t max_title = o.max_title ? o.max_title : 1024;
		size_t max_summary = o.max_summary ? o.max_summary : 65536;

		check_line(f.title, max_title);
		check_link(f.link);
		if (f.nitems > (o.max_items ? o.max_items : 100000))
			abort();
		for (i = 0; i < f.nitems; i++) {
			const struct feed_item *it = &f.items[i];

			if (!it->guid)
				abort();
			check_line(it->guid, FEED_FIELD_MAX + 64);
			check_line(it->title, max_title);
			check_line(it->author, FEED_FIELD_MAX);
			check_link(it->link);
			if (it->summary &&
			    (strlen(it->summary) > max_summary ||
			     !text_is_clean(it->summary, strlen(it->summary))))
				abort();
			if (it->categories &&
			    (strlen(it->categories) > FEED_CATEGORIES_MAX ||
			     !text_is_clean(it->categories,
			                    strlen(it->categories))))
				abort();
			if (it->edgar_cik && strlen(it->edgar_cik) != 10)
				abort();
			if (it->edgar_filed && strlen(it->edgar_filed) != 10)
				abort();
			if (it->edgar_accession &&
			    strlen(it->edgar_accession) != 20)
				abort();
		}
	} else if (f.nitems || f.items || f.title) {
		abort(); /* failure leaves the feed empty */
	}
	feed_release(&f);

	if (xml_read_doc(&doc, (const char *)data, size, NULL, NULL) == ST_OK) {
		struct strbuf sb = STRBUF_INIT;

		xml_node_text(&sb, xmlDocGetRootElement(doc), 4096);
		if (sb.len > 4096)
			abort();
		strbuf_release(&sb);
		xmlFreeDoc(doc);
	}
	return 0;
}
