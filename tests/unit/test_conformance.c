/*
 * Every real-world document under fixtures/real/{feeds-newsboat,
 * feeds-feedparser, sec-edgar-atom, sec-edgar-rss, sec-edgar-errors}
 * through feed_parse(), each with its expected outcome: a feed of a
 * given kind with N items (and its title), or a failure whose message
 * says why.  Then spot checks of items in the most important ones.
 *
 * The fixtures live outside the repository: $OLIGO_FIXTURES, else
 * ../shared/fixtures/real relative to the repository root (the current
 * directory when tests run).  Without them the tests are skipped.
 *
 * Why the failures fail (policy in ingest/xml.h: strict XML, no recover):
 * feedparser's "illformed" documents end in "</rss" without '>', put a
 * comment before the XML declaration, or are incomplete; UTF-32 is not
 * supported by libxml2 2.9.14; a UTF-8 BOM is authoritative, so invalid
 * UTF-8 after one is not re-decoded; OPML and the urls file are not feeds.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/feed.h"
#include "lib/status.h"

struct expect {
	const char *path;
	bool ok;
	const char *error; /* failure: a substring of the message */
	enum feed_kind kind;
	size_t nitems;
	const char *title; /* the feed title; NULL: must be NULL */
	bool re_decoded;
};

#define OK(p, k, n, t, r)                                                      \
	{                                                                      \
		p, true, NULL, k, n, t, r                                      \
	}
#define FAIL(p, e)                                                             \
	{                                                                      \
		p, false, e, FEED_RSS_20, 0, NULL, false                       \
	}

static const struct expect table[] = {
    FAIL("feeds-feedparser/dates-2010-suite/channel_dc_date_w3dtf_utc.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_asctime.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_disney.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_disney_pt.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_greek_1.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_hungarian_1.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_iso8601_ymd_2.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_korean_nate.xml",
         "not well-formed XML (line 11): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_mssql.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_nosecond.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_notime.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_rfc2822.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/"
         "channel_pubDate_rfc2822_rollover_june_31.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_rfc822.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/"
         "channel_pubDate_w3dtf_rollover_61s.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_w3dtf_tokyo.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/channel_pubDate_w3dtf_y.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/feed_updated_frac_secs.xml",
         "not well-formed XML (line 8): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/item_pubDate_euc-kr.xml",
         "not well-formed XML (line 13): expected '>'"),
    FAIL("feeds-feedparser/dates-2010-suite/item_pubDate_perforce.xml",
         "not well-formed XML (line 12): expected '>'"),
    OK("feeds-feedparser/encoding/big5.xml", FEED_RSS_20, 0, NULL, false),
    FAIL("feeds-feedparser/encoding/bozo_bogus_encoding.xml",
         "cannot decode (line 1): Unsupported encoding bogus"),
    OK("feeds-feedparser/encoding/bozo_double-encoded-html.xml", FEED_RSS_20, 1,
       NULL, false),
    OK("feeds-feedparser/encoding/bozo_encoding_mismatch_crash.xml",
       FEED_RSS_20, 1, NULL, true),
    FAIL("feeds-feedparser/encoding/bozo_invalid-bytes-with-bom.xml",
         "cannot decode (line 7): Input is not proper UTF-8, indicate "),
    OK("feeds-feedparser/encoding/bozo_linenoise.xml", FEED_RSS_20, 1, NULL,
       true),
    OK("feeds-feedparser/encoding/demoronize-1.xml", FEED_RSS_20, 1, NULL,
       false),
    OK("feeds-feedparser/encoding/double-encoded-html.xml", FEED_RSS_20, 1,
       NULL, false),
    OK("feeds-feedparser/encoding/euc-kr.xml", FEED_RSS_20, 0, "\xEB\x85\x84",
       false),
    OK("feeds-feedparser/encoding/"
       "http_application_atom_xml_gb2312_charset_overrides_encoding.xml",
       FEED_ATOM_10, 0, NULL, false),
    OK("feeds-feedparser/encoding/http_text_xml_bogus_charset.xml", FEED_RSS_20,
       0, NULL, false),
    OK("feeds-feedparser/encoding/http_text_xml_charset_overrides_encoding.xml",
       FEED_RSS_20, 0, NULL, false),
    OK("feeds-feedparser/encoding/no_content_type_default.xml", FEED_ATOM_03, 0,
       NULL, false),
    OK("feeds-feedparser/encoding/utf-16be.xml", FEED_RSS_20, 0, NULL, false),
    OK("feeds-feedparser/encoding/utf-16le-bom.xml", FEED_RSS_20, 0, NULL,
       false),
    FAIL("feeds-feedparser/encoding/utf-32le-bom.xml",
         "not well-formed XML (line 1): Document is empty"),
    OK("feeds-feedparser/encoding/utf-8-bom.xml", FEED_RSS_20, 0, NULL, false),
    FAIL("feeds-feedparser/entities/numeric_160.xml",
         "not well-formed XML (line 9): expected '>'"),
    FAIL("feeds-feedparser/entities/numeric_8217.xml",
         "not well-formed XML (line 9): expected '>'"),
    OK("feeds-feedparser/entities/undeclared-html-entity_hellip.xml",
       FEED_RSS_20, 0, "testing \xE2\x80\xA6 entity", false),
    OK("feeds-feedparser/entities/undeclared-html-entity_mdash.xml",
       FEED_RSS_20, 0, "testing \xE2\x80\x94 entity", false),
    OK("feeds-feedparser/entities/undeclared-html-entity_nbsp.xml", FEED_RSS_20,
       0, "testing \xC2\xA0 entity", false),
    OK("feeds-feedparser/entities/undeclared-html-entity_rsquo.xml",
       FEED_RSS_20, 0, "testing \xE2\x80\x99 entity", false),
    FAIL("feeds-feedparser/illformed/aaa_illformed.xml",
         "not well-formed XML (line 6): expected '>'"),
    OK("feeds-feedparser/illformed/always_strip_doctype.xml", FEED_RSS_20, 0,
       "found", false),
    OK("feeds-feedparser/illformed/chardet_shiftjis.xml", FEED_ATOM_10, 1, NULL,
       true),
    OK("feeds-feedparser/illformed/chardet_windows1255.xml", FEED_RSS_20, 1,
       NULL, true),
    OK("feeds-feedparser/illformed/http_high_bit_date.xml", FEED_RSS_20, 0,
       NULL, false),
    FAIL("feeds-feedparser/illformed/rdf_channel_empty_textinput.xml",
         "not well-formed XML (line 5): XML declaration allowed only a"),
    FAIL("feeds-feedparser/illformed/rss_empty_document.xml",
         "not well-formed XML (line 5): Start tag expected, '<' not fo"),
    FAIL("feeds-feedparser/illformed/rss_incomplete_cdata.xml",
         "not well-formed XML (line 5): XML declaration allowed only a"),
    FAIL("feeds-feedparser/illformed/rss_item_link_corrupted_ampersands.xml",
         "not well-formed XML (line 13): expected '>'"),
    OK("feeds-feedparser/illformed/undeclared_namespace.xml", FEED_RSS_20, 0,
       NULL, false),
    OK("feeds-feedparser/namespace/atomthreadingwithentry.xml", FEED_ATOM_10, 1,
       "Comments on salmon-test: Test post", false),
    OK("feeds-feedparser/namespace/rss1.0withModules.xml", FEED_RSS_10, 1,
       "RSS Tests - RSS 1.0", false),
    OK("feeds-feedparser/namespace/"
       "rss2.0NSwithModulesNoDefNSLocalNameClash.xml",
       FEED_RSS_20, 1,
       "RSS Tests - RSS2.0 w/ NS, no default NS, localName clash", false),
    OK("feeds-feedparser/namespace/rss2.0withAtomNS.xml", FEED_RSS_20, 1,
       "Delicious/wearehugh", false),
    OK("feeds-feedparser/sanitize/entry_content_crazy.xml", FEED_ATOM_03, 1,
       NULL, false),
    OK("feeds-feedparser/sanitize/item_description_crazy.xml", FEED_RSS_20, 1,
       "Crazy RSS", false),
    OK("feeds-feedparser/wellformed-misc/amp_amp01.xml", FEED_ATOM_03, 1, NULL,
       false),
    OK("feeds-feedparser/wellformed-misc/atom10_entry_content_and_summary.xml",
       FEED_ATOM_10, 1, NULL, false),
    OK("feeds-feedparser/wellformed-misc/atom10_entry_content_base64.xml",
       FEED_ATOM_10, 1, NULL, false),
    OK("feeds-feedparser/wellformed-misc/atom10_entry_link_rel_enclosure.xml",
       FEED_ATOM_10, 1, NULL, false),
    OK("feeds-feedparser/wellformed-misc/"
       "base_entry_content_xml_base_inherit_3.xml",
       FEED_ATOM_03, 1, NULL, false),
    OK("feeds-feedparser/wellformed-misc/rss_item_content_encoded.xml",
       FEED_RSS_20, 1, NULL, false),
    OK("feeds-feedparser/wellformed-misc/rss_item_description_and_summary.xml",
       FEED_RSS_20, 1, NULL, false),
    OK("feeds-feedparser/wellformed-misc/"
       "rss_item_guid_isPermaLink_conflict_link.xml",
       FEED_RSS_20, 1, NULL, false),
    OK("feeds-newsboat/atom10_1.xml", FEED_ATOM_10, 3, "test atom", false),
    OK("feeds-newsboat/atom10_2.xml", FEED_ATOM_10, 6, "Media test feed",
       false),
    OK("feeds-newsboat/atom10_feed_authors.xml", FEED_ATOM_10, 9,
       "Author Test Feed", false),
    FAIL("feeds-newsboat/body-element-missing.opml",
         "not a feed: root element <opml>"),
    FAIL("feeds-newsboat/category.opml", "not a feed: root element <opml>"),
    FAIL("feeds-newsboat/empty.xml", "empty document"),
    FAIL("feeds-newsboat/example.opml", "not a feed: root element <opml>"),
    OK("feeds-newsboat/items_without_titles.xml", FEED_ATOM_10, 5, "test atom",
       false),
    OK("feeds-newsboat/multiple_item_links.atom", FEED_ATOM_10, 1, "Test",
       false),
    FAIL("feeds-newsboat/opml-element-missing.opml",
         "not a feed: root element <not-opml>"),
    OK("feeds-newsboat/rss.xml", FEED_RSS_20, 8, "AK's moblog", false),
    OK("feeds-newsboat/rss091_1.xml", FEED_RSS_09X, 1, "Example Channel",
       false),
    OK("feeds-newsboat/rss092_1.xml", FEED_RSS_09X, 3, "Example Channel",
       false),
    OK("feeds-newsboat/rss10_1.xml", FEED_RSS_10, 1, "Example Dot Org", false),
    OK("feeds-newsboat/rss20_1.xml", FEED_RSS_20, 1, "my weblog", false),
    OK("feeds-newsboat/rss20_2.xml", FEED_RSS_20, 3, "my weblog", false),
    OK("feeds-newsboat/rss_091_with_bracket_author.xml", FEED_RSS_09X, 3,
       "A Channel with Authors With Names Containing Brackets", false),
    OK("feeds-newsboat/rss_092_with_empty_author.xml", FEED_RSS_09X, 2,
       "A Channel with Unnamed Authors", false),
    FAIL("feeds-newsboat/test-urls.txt",
         "not well-formed XML (line 1): Start tag expected, '<' not fo"),
    OK("sec-edgar-atom/getcompany_CIK0001844419_type-S-1.atom.xml",
       FEED_ATOM_10, 5, "Maquia Capital Acquisition Corp (0001844419)", false),
    OK("sec-edgar-atom/getcompany_CIK0001889983_all-forms.atom.xml",
       FEED_ATOM_10, 55, "Keen Vision Acquisition Corp. (0001889983)", false),
    OK("sec-edgar-atom/getcurrent_count100_start0_2025-12-12.atom.xml",
       FEED_ATOM_10, 100, "Latest Filings - Fri, 12 Dec 2025 18:03:31 EST",
       false),
    FAIL("sec-edgar-errors/"
         "data.sec.gov_404_NoSuchKey_submissions_CIK-000000001.xml",
         "not a feed: root element <Error>"),
    FAIL("sec-edgar-errors/"
         "www.sec.gov_403_AccessDenied_full-index_2099_QTR1_form.gz.xml",
         "not a feed: root element <Error>"),
    FAIL("sec-edgar-errors/"
         "www.sec.gov_503_maintenance_getcurrent_start5100.html",
         "not a feed: root element <html>"),
    OK("sec-edgar-rss/sec_newsroom_pressreleases.rss.xml", FEED_RSS_20, 25,
       "Press Releases", false),
    OK("sec-edgar-rss/sec_newsroom_testimony.rss.xml", FEED_RSS_20, 25,
       "Testimony", false),
    OK("sec-edgar-rss/usgaap.rss_first10items.xml", FEED_RSS_20, 10,
       "Filings containing financial statements tagged using the US GAAP or "
       "IFRS taxonomies.",
       false),
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

/* The HTTP Content-Type charset the feedparser harness pretends (Header:). */
static const struct {
	const char *path, *charset;
} charsets[] = {
    {"feeds-feedparser/encoding/"
     "http_application_atom_xml_gb2312_charset_overrides_encoding.xml",
     "gb2312"},
    {"feeds-feedparser/encoding/http_text_xml_charset_overrides_encoding.xml",
     "us-ascii"},
};

static const char *const dirs[] = {
    "feeds-newsboat", "feeds-feedparser", "sec-edgar-atom",
    "sec-edgar-rss",  "sec-edgar-errors",
};

static const char *
fixtures_dir(void)
{
	const char *env = getenv("OLIGO_FIXTURES");

	return env && *env ? env : "../shared/fixtures/real";
}

static void
need_fixtures(void)
{
	struct stat st;
	char path[1024];

	snprintf(path, sizeof(path), "%s/sec-edgar-atom", fixtures_dir());
	if (stat(path, &st) != 0)
		cr_skip_test(
		    "fixtures absent: %s not found (set OLIGO_FIXTURES "
		    "to the fixtures/real folder)",
		    path);
}

static char *
slurp(const char *rel, size_t *len)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", fixtures_dir(), rel);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static enum status
parse_fixture(const char *rel, struct feed *f, const char *base)
{
	struct feed_options o = {.name = rel, .base_url = base};
	enum status st;
	size_t i, len;
	char *data = slurp(rel, &len);

	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++)
		if (!strcmp(charsets[i].path, rel))
			o.charset = charsets[i].charset;
	st = feed_parse(f, data, len, &o);
	free(data);
	return st;
}

Test(conformance, every_listed_document)
{
	size_t i, nok = 0, nfail = 0;

	need_fixtures();
	for (i = 0; i < NTABLE; i++) {
		const struct expect *e = &table[i];
		struct feed f;
		enum status st = parse_fixture(e->path, &f, NULL);

		if (!e->ok) {
			cr_expect_eq(st, ST_DATAERR,
			             "%s: parsed, expected '%s'", e->path,
			             e->error);
			cr_expect(st == ST_OK || strstr(err_msg(), e->error),
			          "%s: message '%s' lacks '%s'", e->path,
			          err_msg(), e->error);
			feed_release(&f);
			nfail++;
			continue;
		}
		cr_expect_eq(st, ST_OK, "%s: %s", e->path, err_msg());
		if (st != ST_OK)
			continue;
		cr_expect_eq(f.kind, e->kind, "%s: kind %s", e->path,
		             feed_kind_name(f.kind));
		cr_expect_eq(f.nitems, e->nitems, "%s: %zu items, expected %zu",
		             e->path, f.nitems, e->nitems);
		if (e->title)
			cr_expect(f.title && !strcmp(f.title, e->title),
			          "%s: title '%s'", e->path,
			          f.title ? f.title : "(null)");
		else
			cr_expect_null(f.title, "%s: title '%s'", e->path,
			               f.title);
		cr_expect_eq(f.re_decoded, e->re_decoded, "%s: re_decoded",
		             e->path);
		cr_expect_eq(f.dropped_items, 0);
		feed_release(&f);
		nok++;
	}
	cr_log_info("conformance: %zu documents, %zu feeds, %zu refused",
	            NTABLE, nok, nfail);
}

Test(conformance, unlisted_files_are_reported)
{
	size_t d, unlisted = 0;

	need_fixtures();
	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		char path[1024];
		/* one level of subfolders (feeds-feedparser/<topic>/) */
		const char *sub[] = {"",           "/dates-2010-suite",
		                     "/encoding",  "/entities",
		                     "/illformed", "/namespace",
		                     "/sanitize",  "/wellformed-misc"};
		size_t s;

		for (s = 0; s < sizeof(sub) / sizeof(sub[0]); s++) {
			DIR *dir;
			struct dirent *de;

			snprintf(path, sizeof(path), "%s/%s%s", fixtures_dir(),
			         dirs[d], sub[s]);
			if (!(dir = opendir(path)))
				continue;
			while ((de = readdir(dir))) {
				char rel[1024];
				size_t i;
				bool found = false;

				if (de->d_name[0] == '.' ||
				    !strcmp(de->d_name, "README.md") ||
				    !strchr(de->d_name, '.'))
					continue;
				snprintf(rel, sizeof(rel), "%s%s/%s", dirs[d],
				         sub[s], de->d_name);
				for (i = 0; i < NTABLE && !found; i++)
					found = !strcmp(table[i].path, rel);
				if (!found) {
					cr_log_warn(
					    "fixture not in the table: %s",
					    rel);
					unlisted++;
				}
			}
			closedir(dir);
		}
	}
	/* informational only: new fixtures need a row, not a failure */
	cr_log_info("%zu unlisted fixture files", unlisted);
}

/* ---- spot checks ------------------------------------------------------------ */

static struct feed
must(const char *rel, const char *base)
{
	struct feed f;

	need_fixtures();
	cr_assert_eq(parse_fixture(rel, &f, base), ST_OK, "%s: %s", rel,
	             err_msg());
	return f;
}

Test(spot, edgar_getcompany)
{
	struct feed f = must(
	    "sec-edgar-atom/getcompany_CIK0001889983_all-forms.atom.xml", NULL);
	const struct feed_item *it = &f.items[0];
	size_t i;

	cr_assert_str_eq(it->edgar_form, "8-K");
	cr_assert_str_eq(it->edgar_accession, "0001213900-25-006497");
	cr_assert_str_eq(it->edgar_cik, "0001889983");
	cr_assert_str_eq(it->edgar_filed, "2025-01-24");
	cr_assert_str_eq(it->title, "8-K - Current report");
	cr_assert_str_eq(it->link,
	                 "https://www.sec.gov/Archives/edgar/data/1889983/"
	                 "000121390025006497/0001213900-25-006497-index.htm");
	cr_assert_eq(it->updated, date_parse("2025-01-24T16:00:43-05:00"));
	cr_assert(strstr(it->summary, "\nItem 2.03: Creation of a Direct"));
	for (i = 0; i < f.nitems; i++) {
		cr_assert_str_eq(f.items[i].edgar_cik, "0001889983");
		cr_assert_not_null(f.items[i].edgar_accession, "item %zu", i);
		cr_assert_not_null(f.items[i].edgar_form, "item %zu", i);
		cr_assert_not_null(f.items[i].edgar_filed, "item %zu", i);
	}
	/* the oldest filing is the S-1 */
	cr_assert_str_eq(f.items[f.nitems - 1].edgar_form, "S-1");
	feed_release(&f);
}

Test(spot, edgar_getcompany_amendments)
{
	struct feed f = must(
	    "sec-edgar-atom/getcompany_CIK0001844419_type-S-1.atom.xml", NULL);

	cr_assert_str_eq(f.items[0].edgar_form, "S-1/A");
	cr_assert_str_eq(f.items[0].edgar_cik, "0001844419");
	cr_assert_str_eq(f.items[0].edgar_accession, "0001104659-21-057704");
	feed_release(&f);
}

Test(spot, edgar_getcurrent)
{
	struct feed f = must(
	    "sec-edgar-atom/getcurrent_count100_start0_2025-12-12.atom.xml",
	    "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&"
	    "count=100&start=0&type=&owner=include&output=atom");
	size_t i, j;

	cr_assert_str_eq(f.link,
	                 "https://www.sec.gov/cgi-bin/browse-edgar?action="
	                 "getcurrent");
	cr_assert_str_eq(f.items[0].title,
	                 "4 - Perez Daniel Antonio (0002063236) (Reporting)");
	cr_assert_str_eq(f.items[1].edgar_cik, "0001673743");
	cr_assert_str_eq(f.items[1].edgar_accession, "0002063236-25-000004");
	cr_assert_str_eq(f.items[1].edgar_filed, "2025-12-12");
	cr_assert_str_eq(f.items[1].edgar_form, "4");
	/* one entry per party, but every guid is distinct */
	for (i = 0; i < f.nitems; i++) {
		cr_assert_not_null(f.items[i].edgar_cik, "item %zu", i);
		cr_assert_eq(strlen(f.items[i].edgar_cik), 10);
		for (j = i + 1; j < f.nitems; j++)
			cr_assert_str_neq(f.items[i].guid, f.items[j].guid);
	}
	feed_release(&f);
}

Test(spot, edgar_usgaap_rss)
{
	struct feed f = must("sec-edgar-rss/usgaap.rss_first10items.xml", NULL);

	cr_assert_str_eq(f.items[0].edgar_form, "8-K");
	cr_assert_str_eq(f.items[0].edgar_cik, "0001915657");
	cr_assert_str_eq(f.items[0].edgar_accession, "0001193125-25-012309");
	cr_assert_str_eq(f.items[0].edgar_filed, "2025-01-24");
	cr_assert_eq(f.items[0].published, date_parse("2025-01-24T22:08:44Z"));
	feed_release(&f);
}

Test(spot, sec_press_releases)
{
	struct feed f =
	    must("sec-edgar-rss/sec_newsroom_pressreleases.rss.xml", NULL);
	const struct feed_item *it = &f.items[0];

	cr_assert_str_eq(
	    it->title,
	    "Acting Chairman Mark T. Uyeda Names Acting Senior Staff");
	cr_assert_str_eq(it->guid, "ec1b9af9-5a0f-44b3-83c6-adc75a33096d");
	cr_assert_str_eq(it->link,
	                 "https://www.sec.gov/newsroom/press-releases/2025-31");
	cr_assert_null(it->author); /* <dc:creator> </dc:creator> */
	cr_assert_eq(it->published, date_parse("2025-01-24T16:00:00Z"));
	/*
	 * &amp;nbsp; in the description is a real NBSP in the text; the
	 * blank line before it is HTML whitespace, so one space.
	 */
	cr_assert(strstr(it->summary, "departures. \xC2\xA0\xE2\x80\x9CThese"),
	          "%s", it->summary);
	feed_release(&f);
}

Test(spot, newsboat)
{
	struct feed f = must("feeds-newsboat/rss092_1.xml", NULL);

	cr_assert_str_eq(f.items[0].title, "1 < 2");
	cr_assert_str_eq(f.items[2].link,
	                 "http://example.com/a_third_item.html");
	feed_release(&f);

	f = must("feeds-newsboat/multiple_item_links.atom", NULL);
	cr_assert_str_eq(f.items[0].link, "http://www.test.org/tests");
	feed_release(&f);

	f = must("feeds-newsboat/atom10_1.xml", NULL);
	cr_assert_str_eq(f.items[2].title, "alternate link isn't first");
	cr_assert_str_eq(f.items[2].link,
	                 "http://example.com/atom_testing.html");
	cr_assert_str_eq(f.items[2].author, "Person A, Person B");
	feed_release(&f);

	f = must("feeds-newsboat/rss20_1.xml", NULL);
	cr_assert_str_eq(f.items[0].summary, "oh well, this is the content.");
	cr_assert_str_eq(f.items[0].guid,
	                 "http://example.com/blog/this_is_an_item.html");
	cr_assert_eq(f.items[0].published, date_parse("2008-12-12T01:36:10Z"));
	feed_release(&f);

	f = must("feeds-newsboat/rss10_1.xml", NULL);
	cr_assert_str_eq(f.items[0].guid, "http://www.example.org/status/");
	cr_assert_eq(f.items[0].published, date_parse("2008-12-30T07:20:00Z"));
	feed_release(&f);

	f = must("feeds-newsboat/atom10_feed_authors.xml", NULL);
	cr_assert_str_eq(f.items[0].author, "First Feed Author");
	cr_assert_str_eq(f.items[2].author, "Entry Author 1, Entry Author 2");
	feed_release(&f);
}

Test(spot, feedparser)
{
	struct feed f =
	    must("feeds-feedparser/sanitize/item_description_crazy.xml", NULL);

	cr_assert_str_eq(f.items[0].summary,
	                 "Did The Javascript Execute?\n\nI will execute here, "
	                 "too, if you mouse over me");
	feed_release(&f);

	f = must("feeds-feedparser/namespace/"
	         "rss2.0NSwithModulesNoDefNSLocalNameClash.xml",
	         NULL);
	cr_assert_str_eq(f.items[0].summary, "correct description");
	feed_release(&f);

	f = must("feeds-feedparser/wellformed-misc/"
	         "rss_item_guid_isPermaLink_conflict_link.xml",
	         NULL);
	cr_assert_str_eq(f.items[0].link, "http://link.example.com/");
	feed_release(&f);

	f = must("feeds-feedparser/wellformed-misc/"
	         "atom10_entry_content_and_summary.xml",
	         NULL);
	cr_assert_str_eq(f.items[0].summary, "Summary");
	feed_release(&f);

	f = must("feeds-feedparser/encoding/demoronize-1.xml", NULL);
	/* a raw C1 control (U+0092) is removed, not guessed */
	cr_assert_str_eq(f.items[0].summary, "dont");
	feed_release(&f);

	f = must("feeds-feedparser/encoding/utf-16le-bom.xml", NULL);
	cr_assert_eq(f.kind, FEED_RSS_20);
	feed_release(&f);

	f = must("feeds-feedparser/namespace/rss2.0withAtomNS.xml", NULL);
	cr_assert_str_eq(f.items[0].categories,
	                 "rsync\nvfat\nwindows\nlinux\nmount");
	cr_assert_str_eq(f.items[0].author, "wearehugh");
	feed_release(&f);
}
