/*
 * ingest/feed, ingest/xml, ingest/html: every feed format by hand-written
 * documents, and the hostile XML rows of reliability.md 10 (X1-X17).
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/feed.h"
#include "ingest/html.h"
#include "ingest/xml.h"
#include "lib/status.h"
#include "lib/strbuf.h"

#define BASE "https://news.example.org/feeds/main.xml"

static enum status
parse_opt(struct feed *f, const char *doc, size_t len,
          const struct feed_options *opt)
{
	return feed_parse(f, doc, len, opt);
}

static enum status
parse(struct feed *f, const char *doc)
{
	struct feed_options o = {.name = "test", .base_url = BASE};

	return parse_opt(f, doc, strlen(doc), &o);
}

/* Parse, expect success, return the feed. */
static struct feed
ok(const char *doc)
{
	struct feed f;
	enum status st = parse(&f, doc);

	cr_assert_eq(st, ST_OK, "unexpected failure: %s", err_msg());
	return f;
}

/* Parse, expect ST_DATAERR whose message contains want. */
static void
fails(const char *doc, size_t len, const char *want)
{
	struct feed f;
	struct feed_options o = {.name = "test", .base_url = BASE};
	enum status st = parse_opt(&f, doc, len, &o);

	cr_assert_eq(st, ST_DATAERR, "parsed, but should fail with '%s'", want);
	cr_assert(strstr(err_msg(), want), "message '%s' lacks '%s'", err_msg(),
	          want);
	cr_assert(!strncmp(err_msg(), "feed 'test': ", 13), "message '%s'",
	          err_msg());
	cr_assert_eq(f.nitems, 0);
	cr_assert_null(f.items);
	feed_release(&f);
}

#define FAILS(lit, want) fails(lit, sizeof(lit) - 1, want)

static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	return date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static double
cpu_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- formats ------------------------------------------------------------ */

Test(format, rss20)
{
	struct feed f = ok(
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
	    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
	    "<channel><title> FTC  press\nreleases </title>"
	    "<link>https://www.ftc.gov/</link>\n"
	    "<image><title>not the feed title</title></image>\n"
	    "<item><title>FTC Sues to Block &lt;Merger&gt;</title>"
	    "<link>https://www.ftc.gov/news/2025/01/x</link>"
	    "<description>&lt;p&gt;The agency &lt;b&gt;said&lt;/b&gt;"
	    "&amp;nbsp;today.&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;</description>"
	    "<guid isPermaLink=\"false\">ftc-123</guid>"
	    "<pubDate>Fri, 24 Jan 2025 11:00:00 -0500</pubDate>"
	    "<author>press@ftc.gov (Press Office)</author>"
	    "<category>Competition</category><category>AI</category>"
	    "<category>Competition</category>"
	    "<content:encoded>&lt;p&gt;long&lt;/p&gt;</content:encoded>"
	    "</item>\n"
	    "<item><title>Second</title><dc:creator>Jane Roe</dc:creator>"
	    "<dc:date>2025-01-23T10:00:00Z</dc:date>"
	    "<content:encoded><![CDATA[<p>Only <i>content</i></p>]]>"
	    "</content:encoded><guid>https://www.ftc.gov/p/2</guid></item>\n"
	    "</channel></rss>\n");
	struct feed_item *a = &f.items[0], *b = &f.items[1];

	cr_assert_eq(f.kind, FEED_RSS_20);
	cr_assert_str_eq(feed_kind_name(f.kind), "rss2.0");
	cr_assert_str_eq(f.title, "FTC press releases");
	cr_assert_str_eq(f.link, "https://www.ftc.gov/");
	cr_assert_eq(f.nitems, 2);
	cr_assert_str_eq(a->title, "FTC Sues to Block <Merger>");
	cr_assert_str_eq(a->link, "https://www.ftc.gov/news/2025/01/x");
	cr_assert_str_eq(a->summary, "The agency said\xC2\xA0today.\n\nSecond");
	cr_assert_str_eq(a->guid, "ftc-123");
	cr_assert_eq(a->published, utc(2025, 1, 24, 16, 0, 0));
	cr_assert_eq(a->updated, FEED_TIME_UNKNOWN);
	cr_assert_str_eq(a->author, "press@ftc.gov (Press Office)");
	cr_assert_str_eq(a->categories, "Competition\nAI");
	cr_assert_null(a->edgar_form);
	cr_assert_null(a->edgar_accession);
	cr_assert_str_eq(b->title, "Second");
	cr_assert_str_eq(b->author, "Jane Roe");
	cr_assert_str_eq(b->summary, "Only content");
	cr_assert_eq(b->published, utc(2025, 1, 23, 10, 0, 0));
	/* a permalink guid stands in for the missing <link> */
	cr_assert_str_eq(b->guid, "https://www.ftc.gov/p/2");
	cr_assert_str_eq(b->link, "https://www.ftc.gov/p/2");
	cr_assert_null(b->categories);
	cr_assert_eq(f.dropped_items, 0);
	cr_assert_eq(f.truncated_fields, 0);
	cr_assert(!f.re_decoded);
	feed_release(&f);
	cr_assert_null(f.items);
	cr_assert_eq(f.nitems, 0);
}

Test(format, rss091_with_netscape_dtd)
{
	/* X4: the DTD is never fetched; HTML entity names still work */
	unsigned long before = xml_denied_loads();
	struct feed f =
	    ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	       "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS "
	       "0.91//EN\""
	       " \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
	       "<rss "
	       "version=\"0.91\"><channel><title>Caf&eacute;&nbsp;News</title>"
	       "<item><title>Na\xEFve &amp; caf\xE9 &bogus; end</title>"
	       "<link>http://example.com/1</link></item></channel></rss>");

	cr_assert_eq(f.kind, FEED_RSS_09X);
	cr_assert_str_eq(f.title, "Caf\xC3\xA9\xC2\xA0News");
	/* with an external DTD an unknown name is dropped, not an error */
	cr_assert_str_eq(f.items[0].title, "Na\xC3\xAFve & caf\xC3\xA9 end");
	cr_assert_eq(xml_denied_loads(), before);
	feed_release(&f);
}

Test(format, rss10_rdf)
{
	struct feed f = ok(
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
	    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
	    " xmlns=\"http://purl.org/rss/1.0/\">"
	    "<channel rdf:about=\"http://www.example.org/\"><title>Example Dot "
	    "Org</title><link>http://www.example.org</link>"
	    "<items><rdf:Seq><rdf:li resource=\"http://www.example.org/s/\"/>"
	    "</rdf:Seq></items></channel>"
	    "<image rdf:about=\"http://www.example.org/logo.gif\"><title>Logo"
	    "</title></image>"
	    "<item rdf:about=\"http://www.example.org/status/\">"
	    "<title>New Status Updates</title>"
	    "<link>http://www.example.org/status/foo</link>"
	    "<description>News about the Example project</description>"
	    "<dc:date>2008-12-30T08:20:00+01:00</dc:date>"
	    "<dc:subject>status</dc:subject></item></rdf:RDF>");

	cr_assert_eq(f.kind, FEED_RSS_10);
	cr_assert_str_eq(f.title, "Example Dot Org");
	cr_assert_eq(f.nitems, 1);
	cr_assert_str_eq(f.items[0].guid, "http://www.example.org/status/");
	cr_assert_str_eq(f.items[0].link, "http://www.example.org/status/foo");
	cr_assert_str_eq(f.items[0].summary, "News about the Example project");
	cr_assert_eq(f.items[0].published, utc(2008, 12, 30, 7, 20, 0));
	cr_assert_str_eq(f.items[0].categories, "status");
	feed_release(&f);
}

Test(format, rss090_rdf)
{
	struct feed f = ok(
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
	    " xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">"
	    "<channel><title>Old</title><link>http://old.example/</link>"
	    "</channel><item><title>One</title>"
	    "<link>http://old.example/1</link></item></rdf:RDF>");

	cr_assert_eq(f.kind, FEED_RSS_09X);
	cr_assert_str_eq(f.title, "Old");
	cr_assert_str_eq(f.items[0].title, "One");
	feed_release(&f);
}

Test(format, atom10)
{
	struct feed f = ok(
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xml:base=\"http://example.com/blog/\">"
	    "<title type=\"html\">CMA &amp;lt;cases&amp;gt;</title>"
	    "<link rel=\"self\" href=\"feed.atom\"/>"
	    "<link href=\"index.html\"/>"
	    "<author><name>HM Government</name></author>"
	    "<entry><id>tag:www.gov.uk,2005:/cma-cases/x</id>"
	    "<title type=\"text\">Microsoft / OpenAI partnership</title>"
	    "<link rel=\"comments\" href=\"c.html\"/>"
	    "<link rel=\"alternate\" type=\"text/plain\" href=\"plain.txt\"/>"
	    "<link rel=\"alternate\" type=\"text/html\" href=\"cases/x\"/>"
	    "<link rel=\"enclosure\" href=\"big.mp3\"/>"
	    "<updated>2025-03-05T12:00:00+00:00</updated>"
	    "<published>2025-03-04T09:30:00Z</published>"
	    "<author><name>A</name></author><author><name>B</name></author>"
	    "<category term=\"mergers\"/><category term=\"ai\"/>"
	    "<summary type=\"xhtml\"><div "
	    "xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "<p>First &amp; foremost</p><script>alert(1)</script>"
	    "<p>Second</p></div></summary>"
	    "<content type=\"html\">&lt;p&gt;ignored: summary wins&lt;/p&gt;"
	    "</content>"
	    "<source><title>Not this</title><link href=\"http://x/\"/></source>"
	    "</entry>"
	    "<entry xml:base=\"http://other.example/a/b/\"><id>e2</id>"
	    "<title type=\"html\">&lt;b&gt;Bold&lt;/b&gt; move</title>"
	    "<link href=\"../c\"/>"
	    "<content type=\"html\">&lt;p&gt;Body&lt;/p&gt;</content></entry>"
	    "</feed>");
	struct feed_item *a = &f.items[0], *b = &f.items[1];

	cr_assert_eq(f.kind, FEED_ATOM_10);
	cr_assert_str_eq(f.title, "CMA <cases>");
	cr_assert_str_eq(f.link, "http://example.com/blog/index.html");
	cr_assert_eq(f.nitems, 2);
	cr_assert_str_eq(a->guid, "tag:www.gov.uk,2005:/cma-cases/x");
	cr_assert_str_eq(a->title, "Microsoft / OpenAI partnership");
	cr_assert_str_eq(a->link, "http://example.com/blog/cases/x");
	cr_assert_eq(a->published, utc(2025, 3, 4, 9, 30, 0));
	cr_assert_eq(a->updated, utc(2025, 3, 5, 12, 0, 0));
	cr_assert_str_eq(a->author, "A, B");
	cr_assert_str_eq(a->categories, "mergers\nai");
	cr_assert_str_eq(a->summary, "First & foremost\n\nSecond");
	cr_assert_str_eq(b->title, "Bold move");
	cr_assert_str_eq(b->link, "http://other.example/a/c");
	cr_assert_str_eq(b->summary, "Body");
	/* entries inherit the feed's author */
	cr_assert_str_eq(b->author, "HM Government");
	feed_release(&f);
}

Test(format, atom03)
{
	struct feed f = ok(
	    "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
	    "<title>Old Atom</title>"
	    "<link rel=\"alternate\" type=\"text/html\" "
	    "href=\"http://a.example/\"/>"
	    "<entry><title type=\"text/html\" "
	    "mode=\"escaped\">&amp;#38;</title>"
	    "<id>urn:x:1</id><issued>2004-01-01T00:00:00Z</issued>"
	    "<modified>2004-01-02T00:00:00Z</modified>"
	    "<content type=\"text/html\" mode=\"escaped\">&lt;b&gt;hi&lt;/b&gt;"
	    "</content></entry>"
	    "<entry><content type=\"application/octet-stream\" mode=\"base64\">"
	    "aGk=</content><id>urn:x:2</id></entry></feed>");

	cr_assert_eq(f.kind, FEED_ATOM_03);
	cr_assert_str_eq(f.link, "http://a.example/");
	cr_assert_str_eq(f.items[0].title, "&");
	cr_assert_str_eq(f.items[0].summary, "hi");
	cr_assert_eq(f.items[0].published, utc(2004, 1, 1, 0, 0, 0));
	cr_assert_eq(f.items[0].updated, utc(2004, 1, 2, 0, 0, 0));
	cr_assert_null(f.items[1].summary); /* base64 is not text */
	feed_release(&f);
}

Test(format, namespaced_rss_ignores_foreign_elements)
{
	struct feed f =
	    ok("<r:rss version=\"2.0\" "
	       "xmlns:r=\"http://backend.userland.com/rss2\""
	       " xmlns:szf=\"http://schemas.pocketsoap.com/rss/myDescModule/\">"
	       "<r:channel><r:title>NS</r:title><r:item><r:title>T</r:title>"
	       "<szf:description>wrong</szf:description>"
	       "<r:description>correct description</r:description>"
	       "<description>also wrong (no namespace)</description>"
	       "</r:item></r:channel></r:rss>");

	cr_assert_str_eq(f.items[0].summary, "correct description");
	feed_release(&f);
}

/* ---- EDGAR ------------------------------------------------------------------ */

Test(edgar, getcompany_entry)
{
	struct feed f = ok(
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
	    "  <feed xmlns=\"http://www.w3.org/2005/Atom\">"
	    "<author><name>Webmaster</name></author>"
	    "<company-info><cik>0001889983</cik></company-info>"
	    "<entry><category label=\"form type\" "
	    "scheme=\"https://www.sec.gov/\""
	    " term=\"8-K\" /><content type=\"text/xml\">"
	    "<accession-number>0001213900-25-006497</accession-number>"
	    "<filing-date>2025-01-24</filing-date>"
	    "<filing-href>https://www.sec.gov/Archives/edgar/data/1889983/"
	    "000121390025006497/0001213900-25-006497-index.htm</filing-href>"
	    "<filing-type>8-K</filing-type></content>"
	    "<id>urn:tag:sec.gov,2008:accession-number=0001213900-25-006497</"
	    "id>"
	    "<link href=\"https://www.sec.gov/Archives/edgar/data/1889983/"
	    "000121390025006497/0001213900-25-006497-index.htm\" "
	    "rel=\"alternate\" type=\"text/html\" />"
	    "<summary type=\"html\"> &lt;b&gt;Filed:&lt;/b&gt; 2025-01-24 "
	    "&lt;b&gt;AccNo:&lt;/b&gt; 0001213900-25-006497 &lt;b&gt;Size:&lt;"
	    "/b&gt; 302 KB&lt;br&gt;Item 1.01: Entry into a Material Definitive"
	    " Agreement</summary>"
	    "<title>8-K  - Current report</title>"
	    "<updated>2025-01-24T16:00:43-05:00</updated></entry></feed>");
	struct feed_item *it = &f.items[0];

	cr_assert_str_eq(it->edgar_form, "8-K");
	cr_assert_str_eq(it->edgar_accession, "0001213900-25-006497");
	cr_assert_str_eq(it->edgar_cik, "0001889983");
	cr_assert_str_eq(it->edgar_filed, "2025-01-24");
	cr_assert_str_eq(it->title, "8-K - Current report");
	cr_assert_str_eq(it->summary,
	                 "Filed: 2025-01-24 AccNo: 0001213900-25-006497 Size: "
	                 "302 KB\nItem 1.01: Entry into a Material Definitive "
	                 "Agreement");
	cr_assert_eq(it->updated, utc(2025, 1, 24, 21, 0, 43));
	cr_assert_str_eq(
	    it->guid,
	    "urn:tag:sec.gov,2008:accession-number=0001213900-25-006497");
	cr_assert_null(it->author); /* not "Webmaster" */
	feed_release(&f);
}

Test(edgar, getcurrent_one_entry_per_party)
{
	struct feed f;
	struct feed_options o = {
	    .name = "edgar current",
	    .base_url = "https://www.sec.gov/cgi-bin/browse-edgar?action="
	                "getcurrent&count=100&output=atom"};
	static const char doc[] =
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	    "<title>Latest Filings</title>"
	    "<link rel=\"alternate\" href=\"/cgi-bin/browse-edgar?action="
	    "getcurrent\"/>"
	    "<entry><title>4 - Perez Daniel Antonio (0002063236) (Reporting)"
	    "</title><link rel=\"alternate\" type=\"text/html\" href=\"https://"
	    "www.sec.gov/Archives/edgar/data/2063236/000206323625000004/"
	    "0002063236-25-000004-index.htm\"/><summary type=\"html\">\n"
	    " &lt;b&gt;Filed:&lt;/b&gt; 2025-12-12 &lt;b&gt;AccNo:&lt;/b&gt; "
	    "0002063236-25-000004 &lt;b&gt;Size:&lt;/b&gt; 10 KB\n</summary>"
	    "<updated>2025-12-12T18:02:43-05:00</updated>"
	    "<category scheme=\"https://www.sec.gov/\" label=\"form type\" "
	    "term=\"4\"/><id>urn:tag:sec.gov,2008:accession-number="
	    "0002063236-25-000004</id></entry>"
	    "<entry><title>SC 13D/A - Hinge Health, Inc. (0001673743) (Subject)"
	    "</title><link rel=\"alternate\" type=\"text/html\" href=\"https://"
	    "www.sec.gov/Archives/edgar/data/1673743/000206323625000004/"
	    "0002063236-25-000004-index.htm\"/><summary type=\"html\">"
	    "&lt;b&gt;Filed:&lt;/b&gt; 2025-12-12</summary>"
	    "<id>urn:tag:sec.gov,2008:accession-number=0002063236-25-000004</"
	    "id>"
	    "</entry></feed>";

	cr_assert_eq(feed_parse(&f, doc, sizeof(doc) - 1, &o), ST_OK, "%s",
	             err_msg());
	cr_assert_str_eq(f.link,
	                 "https://www.sec.gov/cgi-bin/browse-edgar?action="
	                 "getcurrent");
	cr_assert_str_eq(f.items[0].edgar_form, "4");
	cr_assert_str_eq(f.items[0].edgar_cik, "0002063236");
	cr_assert_str_eq(f.items[0].edgar_accession, "0002063236-25-000004");
	cr_assert_str_eq(f.items[0].edgar_filed, "2025-12-12");
	cr_assert_str_eq(f.items[0].guid,
	                 "urn:tag:sec.gov,2008:accession-number="
	                 "0002063236-25-000004#0002063236");
	/* same filing, other party: its own key; form from the title */
	cr_assert_str_eq(f.items[1].edgar_form, "SC 13D/A");
	cr_assert_str_eq(f.items[1].edgar_cik, "0001673743");
	cr_assert_str_eq(f.items[1].edgar_accession, "0002063236-25-000004");
	cr_assert_str_eq(f.items[1].guid,
	                 "urn:tag:sec.gov,2008:accession-number="
	                 "0002063236-25-000004#0001673743");
	feed_release(&f);
}

Test(edgar, usgaap_rss_item)
{
	struct feed f =
	    ok("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<rss "
	       "version=\"2.0\">"
	       "<channel><title>XBRL</title><item>"
	       "<title>HF Sinclair Corp (0001915657) (Filer)</title>"
	       "<link>https://www.sec.gov/Archives/edgar/data/1915657/"
	       "000119312525012309/0001193125-25-012309-index.htm</link>"
	       "<guid>https://www.sec.gov/Archives/edgar/data/1915657/"
	       "000119312525012309/0001193125-25-012309-xbrl.zip</guid>"
	       "<description>8-K</description>"
	       "<pubDate>Fri, 24 Jan 2025 17:08:44 EST</pubDate>"
	       "<edgar:xbrlFiling "
	       "xmlns:edgar=\"https://www.sec.gov/Archives/edgar\">"
	       "<edgar:companyName>HF Sinclair Corp</edgar:companyName>"
	       "<edgar:formType>8-K</edgar:formType>"
	       "<edgar:filingDate>01/24/2025</edgar:filingDate>"
	       "<edgar:cikNumber>1915657</edgar:cikNumber>"
	       "<edgar:accessionNumber>0001193125-25-012309</"
	       "edgar:accessionNumber>"
	       "</edgar:xbrlFiling></item></channel></rss>");
	struct feed_item *it = &f.items[0];

	cr_assert_str_eq(it->edgar_form, "8-K");
	cr_assert_str_eq(it->edgar_cik, "0001915657");
	cr_assert_str_eq(it->edgar_accession, "0001193125-25-012309");
	cr_assert_str_eq(it->edgar_filed, "2025-01-24");
	cr_assert_eq(it->published, utc(2025, 1, 24, 22, 8, 44));
	/* the guid is unique already: no party suffix on RSS */
	cr_assert_str_eq(it->guid,
	                 "https://www.sec.gov/Archives/edgar/data/1915657/"
	                 "000119312525012309/0001193125-25-012309-xbrl.zip");
	feed_release(&f);
}

Test(edgar, cik_from_link_when_nothing_else)
{
	struct feed f =
	    ok("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	       "<id>urn:tag:sec.gov,2008:accession-number=0000320193-24-000123<"
	       "/id>"
	       "<title>10-K - annual report</title>"
	       "<link "
	       "href=\"https://www.sec.gov/Archives/edgar/data/320193/x.htm\"/>"
	       "</entry></feed>");

	cr_assert_str_eq(f.items[0].edgar_cik, "0000320193");
	cr_assert_str_eq(f.items[0].edgar_form, "10-K");
	cr_assert_str_eq(f.items[0].edgar_accession, "0000320193-24-000123");
	cr_assert_null(f.items[0].edgar_filed);
	feed_release(&f);
}

/* ---- hostile XML: reliability.md 10 ------------------------------------------- */

Test(hostile, x1_billion_laughs)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol1 "
	    "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	    "<!ENTITY lol2 "
	    "\"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
	    "<!ENTITY lol3 "
	    "\"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
	    "<!ENTITY lol9 "
	    "\"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
	    "]><rss><channel><title>&lol9;</title></channel></rss>";
	double t0 = cpu_seconds();

	FAILS(doc, "declares entities: refused");
	cr_assert(cpu_seconds() - t0 < 0.5);
}

Test(hostile, x2_quadratic_blowup)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	double t0;

	strbuf_adds(&sb, "<!DOCTYPE rss [<!ENTITY a \"");
	for (i = 0; i < 100000; i++)
		strbuf_addch(&sb, 'a');
	strbuf_adds(&sb, "\">]><rss><channel><title>");
	for (i = 0; i < 20000; i++)
		strbuf_adds(&sb, "&a;");
	strbuf_adds(&sb, "</title></channel></rss>");
	t0 = cpu_seconds();
	fails(sb.buf, sb.len, "declares entities: refused");
	cr_assert(cpu_seconds() - t0 < 1.0);
	strbuf_release(&sb);
}

Test(hostile, x3_xxe_internal_subset)
{
	FAILS("<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	      "<rss><channel><title>&x;</title></channel></rss>",
	      "declares entities: refused");
	/* parameter entity pulling in a file */
	FAILS("<!DOCTYPE rss [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
	      "<rss/>",
	      "declares entities: refused");
	/* unparsed entity */
	FAILS("<!DOCTYPE rss [<!NOTATION n SYSTEM \"x\">"
	      "<!ENTITY u SYSTEM \"file:///etc/passwd\" NDATA n>]><rss/>",
	      "declares entities: refused");
}

Test(hostile, x4_external_dtd_never_loaded)
{
	char path[] = "/tmp/oligo_test_dtd_XXXXXX";
	int fd = mkstemp(path);
	struct strbuf doc = STRBUF_INIT;
	struct feed f;
	unsigned long before = xml_denied_loads();
	enum status st;

	cr_assert(fd >= 0);
	cr_assert(write(fd, "<!ENTITY secret \"LEAKED\">", 25) == 25);
	close(fd);
	strbuf_addf(&doc,
	            "<!DOCTYPE rss SYSTEM \"file://%s\">"
	            "<rss><channel><title>x &secret; y</title>"
	            "<item><title>t</title></item></channel></rss>",
	            path);
	st = parse(&f, doc.buf);
	unlink(path);
	cr_assert_eq(st, ST_OK, "%s", err_msg());
	cr_assert_str_eq(f.title, "x y");
	cr_assert_eq(xml_denied_loads(), before); /* not even attempted */
	feed_release(&f);
	strbuf_release(&doc);

	/* SYSTEM file:///etc/passwd as the DTD: parsed, nothing read */
	f = ok("<!DOCTYPE rss SYSTEM \"file:///etc/passwd\"><rss><channel>"
	       "<title>ok</title></channel></rss>");
	cr_assert_str_eq(f.title, "ok");
	feed_release(&f);
}

Test(hostile, x5_deep_nesting)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_adds(&sb, "<rss><channel><item><description>");
	for (i = 0; i < 5000; i++)
		strbuf_adds(&sb, "<d>");
	for (i = 0; i < 5000; i++)
		strbuf_adds(&sb, "</d>");
	strbuf_adds(&sb, "</description></item></channel></rss>");
	fails(sb.buf, sb.len, "depth");
	strbuf_release(&sb);
}

Test(hostile, x6_many_attributes)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	double t0;

	strbuf_adds(&sb, "<rss><channel><item ");
	for (i = 0; i < 100000; i++)
		strbuf_addf(&sb, "a%zu=\"v\" ", i);
	strbuf_adds(&sb, "/></channel></rss>");
	t0 = cpu_seconds();
	fails(sb.buf, sb.len, "more than 128 attributes: refused");
	cr_assert(cpu_seconds() - t0 < 1.0);
	strbuf_release(&sb);
}

Test(hostile, huge_attribute_and_name)
{
	struct strbuf sb = STRBUF_INIT;
	struct feed f;
	size_t i;

	/* a 2 MB attribute value is only data */
	strbuf_adds(&sb,
	            "<rss><channel><item><title>t</title><enclosure url=\"");
	for (i = 0; i < (2u << 20); i++)
		strbuf_addch(&sb, 'x');
	strbuf_adds(&sb, "\"/></item></channel></rss>");
	cr_assert_eq(parse_opt(&f, sb.buf, sb.len, NULL), ST_OK, "%s",
	             err_msg());
	cr_assert_eq(f.nitems, 1);
	cr_assert_str_eq(f.items[0].title, "t");
	feed_release(&f);
	/* a 60,000-character name is over libxml2's limit */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "<rss><");
	for (i = 0; i < 60000; i++)
		strbuf_addch(&sb, 'n');
	strbuf_adds(&sb, "/></rss>");
	fails(sb.buf, sb.len, "not well-formed XML");
	strbuf_release(&sb);
}

Test(hostile, x7_invalid_utf8_is_redecoded)
{
	struct feed f = ok("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	                   "<rss><channel><item><title>caf\xE9 \x93quoted\x94"
	                   "</title></item></channel></rss>");

	cr_assert(f.re_decoded);
	cr_assert_str_eq(f.items[0].title,
	                 "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
	feed_release(&f);
}

Test(hostile, x7_http_charset_hint)
{
	static const char doc[] =
	    "<rss><channel><item><title>\xC4\xE5\xED\xFC</title></item>"
	    "</channel></rss>";
	struct feed_options o = {.name = "test", .charset = "ISO-8859-7"};
	struct feed f;

	cr_assert_eq(feed_parse(&f, doc, sizeof(doc) - 1, &o), ST_OK);
	cr_assert(f.re_decoded);
	cr_assert_str_eq(f.items[0].title, "\xCE\x94\xCE\xB5\xCE\xBD\xCF\x8C");
	feed_release(&f);
}

Test(hostile, x8_unsupported_encoding)
{
	FAILS("<?xml version=\"1.0\" encoding=\"x-bogus\"?><rss/>",
	      "Unsupported encoding");
}

Test(hostile, x9_nul_and_raw_controls)
{
	static const char nul[] =
	    "<rss><channel><title>a\0b</title></channel></rss>";

	fails(nul, sizeof(nul) - 1, "not well-formed XML");
	FAILS("<rss><channel><title>a\x1B[2Jb</title></channel></rss>",
	      "not well-formed XML");
	FAILS("<rss><channel><title>&#27;</title></channel></rss>",
	      "not well-formed XML");
}

Test(hostile, x10_c1_bidi_zwsp_bom_removed)
{
	struct feed f = ok("<rss><channel><item><title>A&#x9b;31mB&#x9d;0;x"
	                   "&#x9c;C&#x202e;D&#x200b;E&#xfeff;F\xC2\x85G</title>"
	                   "<description>x&#x2066;y</description>"
	                   "</item></channel></rss>");

	cr_assert_str_eq(f.items[0].title, "A31mB0;xCDEFG");
	cr_assert_str_eq(f.items[0].summary, "xy");
	feed_release(&f);
}

Test(hostile, x11_cdata_script_and_javascript_links)
{
	struct feed f = ok(
	    "<rss><channel><link>javascript:alert(1)</link><item><title>t</"
	    "title>"
	    "<link>javascript:alert(document.cookie)</link>"
	    "<description><![CDATA[<script>alert('x')</script><style>p{}</"
	    "style>"
	    "<p onclick=\"evil()\">Safe <a href=\"javascript:evil()\">text</a>"
	    "</p>]]></description></item>"
	    "<item><title>u</title><link> JavaScript:x </link></item>"
	    "<item><title>v</title><link>data:text/html,hi</link></item>"
	    "<item><title>w</title><link>file:///etc/passwd</link></item>"
	    "<item><title>y</title><link>mailto:a@b.c</link></item>"
	    "<item><title>z</title><link>http:///no-host</link></item>"
	    "</channel></rss>");
	size_t i;

	cr_assert_null(f.link);
	cr_assert_str_eq(f.items[0].summary, "Safe text");
	for (i = 0; i < f.nitems; i++)
		cr_assert_null(f.items[i].link, "item %zu kept '%s'", i,
		               f.items[i].link);
	feed_release(&f);
}

Test(hostile, x12_missing_and_duplicate_guids)
{
	static const char doc[] =
	    "<rss><channel>"
	    "<item><title>Same</title><link>https://a.example/1</link></item>"
	    "<item><title>No link</title>"
	    "<pubDate>Fri, 24 Jan 2025 11:00:00 -0500</pubDate></item>"
	    "<item><guid "
	    "isPermaLink=\"false\">dup</guid><title>1</title></item>"
	    "<item><guid "
	    "isPermaLink=\"false\">dup</guid><title>2</title></item>"
	    "</channel></rss>";
	struct feed a = ok(doc), b = ok(doc), c;

	cr_assert_str_eq(a.items[0].guid, "https://a.example/1");
	cr_assert(!strncmp(a.items[1].guid, "urn:oligo:fnv1a64:", 18));
	cr_assert_eq(strlen(a.items[1].guid), 18 + 16);
	/* stable across fetches */
	cr_assert_str_eq(a.items[1].guid, b.items[1].guid);
	/* duplicates are reported as they are, in order */
	cr_assert_str_eq(a.items[2].guid, "dup");
	cr_assert_str_eq(a.items[3].guid, "dup");
	cr_assert_str_eq(a.items[3].title, "2");
	c = ok("<rss><channel><item><title>No link, edited</title>"
	       "<pubDate>Fri, 24 Jan 2025 11:00:00 -0500</pubDate></item>"
	       "</channel></rss>");
	cr_assert_str_neq(a.items[1].guid, c.items[0].guid);
	feed_release(&a);
	feed_release(&b);
	feed_release(&c);
}

Test(hostile, x13_bad_dates)
{
	struct feed f =
	    ok("<rss><channel>"
	       "<item><title>a</title><pubDate>garbage</pubDate></item>"
	       "<item><title>b</title><pubDate></pubDate></item>"
	       "<item><title>c</title><pubDate>Mon, 1 Jan 1900 00:00:00 GMT"
	       "</pubDate></item>"
	       "<item><title>d</title><pubDate>Fri, 31 Dec 9999 23:59:59 GMT"
	       "</pubDate></item>"
	       "<item><title>e</title><pubDate>Thu, 01 Jan 04 19:48:21 EST"
	       "</pubDate></item></channel></rss>");

	cr_assert_eq(f.items[0].published, FEED_TIME_UNKNOWN);
	cr_assert_eq(f.items[1].published, FEED_TIME_UNKNOWN);
	cr_assert_eq(f.items[2].published, utc(1900, 1, 1, 0, 0, 0));
	cr_assert_eq(f.items[3].published, utc(9999, 12, 31, 23, 59, 59));
	cr_assert_eq(f.items[4].published, utc(2004, 1, 2, 0, 48, 21));
	feed_release(&f);
}

Test(hostile, x14_caps)
{
	struct strbuf sb = STRBUF_INIT;
	struct feed_options o = {.name = "caps", .max_items = 3};
	struct feed f;
	size_t i;

	strbuf_adds(&sb, "<rss><channel><item><title>");
	for (i = 0; i < 2000000; i++)
		strbuf_addch(&sb, "abc "[i % 4]);
	strbuf_adds(&sb, "</title><description>");
	for (i = 0; i < 200000; i++)
		strbuf_adds(&sb, "word ");
	strbuf_adds(&sb, "</description></item>");
	for (i = 0; i < 10; i++)
		strbuf_addf(&sb, "<item><title>%zu</title></item>", i);
	strbuf_adds(&sb, "</channel></rss>");
	cr_assert_eq(feed_parse(&f, sb.buf, sb.len, &o), ST_OK);
	cr_assert_eq(f.nitems, 3);
	cr_assert_eq(f.dropped_items, 8);
	cr_assert(strlen(f.items[0].title) <= 1024);
	cr_assert(strlen(f.items[0].title) >= 1020);
	cr_assert(strlen(f.items[0].summary) <= 65536);
	cr_assert(strlen(f.items[0].summary) >= 65530);
	cr_assert_eq(f.truncated_fields, 2);
	cr_assert_str_eq(f.items[2].title, "1");
	feed_release(&f);
	/* the document size cap */
	o.max_bytes = 100;
	cr_assert_eq(feed_parse(&f, sb.buf, sb.len, &o), ST_DATAERR);
	cr_assert(strstr(err_msg(), "document too large"));
	strbuf_release(&sb);
}

Test(hostile, x15_relative_links_and_xml_base)
{
	struct feed f = ok(
	    "<rss version=\"0.92\" "
	    "xml:base=\"http://example.com/feed/rss.html\">"
	    "<channel><title>t</title><link>/</link>"
	    "<item><title>1</title><link>/a_third_item.html</link></item>"
	    "<item xml:base=\"http://example.com/item/x.html\"><title>2</title>"
	    "<link>rel/path?q=1#f</link></item>"
	    "<item><title>3</title><link>//cdn.example.net/x</link></item>"
	    "<item><title>4</title><link>HTTP://Example.COM/Up</link></item>"
	    "<item><title>5</title><link>has space/\xC3\xA9</link></item>"
	    "<item xml:base=\"javascript:alert(1)//\"><title>6</title>"
	    "<link>x</link></item>"
	    "</channel></rss>");

	cr_assert_str_eq(f.link, "http://example.com/");
	cr_assert_str_eq(f.items[0].link,
	                 "http://example.com/a_third_item.html");
	cr_assert_str_eq(f.items[1].link,
	                 "http://example.com/item/rel/path?q=1#f");
	cr_assert_str_eq(f.items[2].link, "http://cdn.example.net/x");
	cr_assert_str_eq(f.items[3].link, "http://Example.COM/Up");
	cr_assert_str_eq(f.items[4].link,
	                 "http://example.com/feed/has%20space/%C3%A9");
	/* a javascript: base is ignored: the outer base applies */
	cr_assert_str_eq(f.items[5].link, "http://example.com/feed/x");
	feed_release(&f);

	/* xml:base on the Atom <link> element itself */
	f = ok("<feed xmlns=\"http://www.w3.org/2005/Atom\"><link href=\"h\" "
	       "xml:base=\"https://a.example/f/\"/><entry><link href=\"y\" "
	       "xml:base=\"http://b.example/x/\"/></entry></feed>");
	cr_assert_str_eq(f.link, "https://a.example/f/h");
	cr_assert_str_eq(f.items[0].link, "http://b.example/x/y");
	feed_release(&f);
	/* a scheme with no host, or a port without one */
	f = ok("<rss><channel><item><link>http://:80/x</link></item>"
	       "<item><link>https://@/</link></item></channel></rss>");
	cr_assert_null(f.items[0].link);
	cr_assert_null(f.items[1].link);
	feed_release(&f);

	/* no base URL at all: relative links are dropped */
	{
		static const char doc[] =
		    "<rss><channel><item><title>r</title><link>/x</link></item>"
		    "</channel></rss>";

		cr_assert_eq(feed_parse(&f, doc, sizeof(doc) - 1, NULL), ST_OK);
		cr_assert_null(f.items[0].link);
		feed_release(&f);
	}
}

Test(hostile, x16_not_a_feed)
{
	FAILS("<!DOCTYPE html>\n<html lang=\"en\"><head><title>SEC.gov | File "
	      "Unavailable</title></head><body></body></html>",
	      "not a feed: root element <html>");
	FAILS(
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey"
	    "</Code></Error>",
	    "not a feed: root element <Error>");
	/* HTML that is not even XML */
	FAILS("<!doctype html><html><body><p>Login<br></body></html>",
	      "not a feed: looks like an HTML page");
	FAILS("<opml version=\"1.0\"><body/></opml>",
	      "not a feed: root element <opml>");
	/* a namespaced <feed> that is not Atom */
	FAILS("<feed xmlns=\"urn:other\"/>", "not a feed: root element <feed>");
	/* the name in the message is sanitized */
	FAILS("<a\xC2\xB7\xCC\x80/>",
	      "not a feed: root element <a\xC2\xB7\xCC\x80>");
}

Test(hostile, x17_deep_html_in_description)
{
	struct strbuf sb = STRBUF_INIT;
	struct feed f;
	size_t i;

	strbuf_adds(&sb, "<rss><channel><item><description>");
	for (i = 0; i < 10000; i++)
		strbuf_adds(&sb, "&lt;div&gt;");
	strbuf_adds(&sb, "deep");
	for (i = 0; i < 10000; i++)
		strbuf_adds(&sb, "&lt;/div&gt;");
	strbuf_adds(&sb, "</description></item></channel></rss>");
	cr_assert_eq(parse_opt(&f, sb.buf, sb.len, NULL), ST_OK);
	cr_assert_str_eq(f.items[0].summary, "deep");
	feed_release(&f);
	strbuf_release(&sb);
}

Test(hostile, empty_and_truncated)
{
	fails("", 0, "empty document");
	FAILS(" \n\t\r\n", "empty document");
	FAILS("<rss><channel><item><title>cut", "not well-formed XML");
	FAILS("<rss><channel><item><title>x</title></item>",
	      "Premature end of data");
	FAILS("<rss></rss", "not well-formed XML");
	FAILS("just text", "not well-formed XML");
}

Test(hostile, undeclared_html_entities)
{
	struct feed f =
	    ok("<rss><channel><title>a&nbsp;b&hellip;&mdash;&rsquo;"
	       "&eacute;&amp;&lt;</title>"
	       "<item><title>t</title><link>https://x.example/?a=1&amp;"
	       "b=2&amp;nbsp=3</link>"
	       "<guid isPermaLink=\"false\">g&nbsp;1</guid></item>"
	       "</channel></rss>");

	cr_assert_str_eq(f.title, "a\xC2\xA0"
	                          "b\xE2\x80\xA6\xE2\x80\x94"
	                          "\xE2\x80\x99\xC3\xA9&<");
	cr_assert_str_eq(f.items[0].link, "https://x.example/?a=1&b=2&nbsp=3");
	cr_assert_str_eq(f.items[0].guid, "g\xC2\xA0"
	                                  "1");
	feed_release(&f);
	/* without a DTD, a name that is not HTML either is an error */
	FAILS("<rss><channel><title>&bogus;</title></channel></rss>",
	      "Entity 'bogus' not defined");
}

Test(hostile, entities_in_attributes)
{
	struct feed f = ok("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	                   "<link href=\"https://x.example/a?b=1&amp;c=&#38;"
	                   "&amp;amp;&eacute;\"/></entry></feed>");

	cr_assert_str_eq(f.items[0].link,
	                 "https://x.example/a?b=1&c=&&amp;%C3%A9");
	feed_release(&f);
}

Test(encoding, declared_encodings)
{
	struct feed f;

	f = ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel>"
	       "<title>caf\xE9</title></channel></rss>");
	cr_assert_str_eq(f.title, "caf\xC3\xA9");
	cr_assert(!f.re_decoded);
	feed_release(&f);
	f = ok("<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel>"
	       "<title>\x93"
	       "AI\x94 \x80"
	       "5</title></channel></rss>");
	cr_assert_str_eq(f.title, "\xE2\x80\x9C"
	                          "AI\xE2\x80\x9D \xE2\x82\xAC"
	                          "5");
	feed_release(&f);
	/* leading whitespace before the declaration (EDGAR) */
	f = ok("\n  <?xml version=\"1.0\" ?>\n<rss><channel><title>ws</title>"
	       "</channel></rss>");
	cr_assert_str_eq(f.title, "ws");
	feed_release(&f);
	/* UTF-8 BOM */
	f = ok("\xEF\xBB\xBF<?xml version=\"1.0\"?><rss><channel><title>bom"
	       "</title></channel></rss>");
	cr_assert_str_eq(f.title, "bom");
	feed_release(&f);
}

Test(encoding, utf16)
{
	static const char doc[] =
	    "\xFF\xFE<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0"
	    ">\0<\0t\0i\0t\0l\0e\0>\0\xE9\0<\0/\0t\0i\0t\0"
	    "l\0e\0>\0<\0/\0c\0h\0a\0n\0n\0e\0l\0>\0<\0/\0"
	    "r\0s\0s\0>\0";
	struct feed f;

	cr_assert_eq(feed_parse(&f, doc, sizeof(doc) - 1, NULL), ST_OK, "%s",
	             err_msg());
	cr_assert_str_eq(f.title, "\xC3\xA9");
	feed_release(&f);
}

Test(encoding, cdata)
{
	struct feed f = ok("<rss><channel><item><title><![CDATA[1 < 2 & 3]]>"
	                   "</title><description><![CDATA[a <b>b</b> &amp; c]]>"
	                   "</description></item></channel></rss>");

	cr_assert_str_eq(f.items[0].title, "1 < 2 & 3");
	cr_assert_str_eq(f.items[0].summary, "a b & c");
	feed_release(&f);
}

Test(errors, libxml2_never_writes_stderr)
{
	char path[] = "/tmp/oligo_stderr_XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	struct feed f;
	off_t size;

	cr_assert(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	feed_parse(&f,
	           "<rss><\xC2\x9B"
	           "x>",
	           10, NULL);
	feed_parse(&f, "<?xml version=\"1.0\" encoding=\"x\"?><r/>", 37, NULL);
	feed_parse(&f, "<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\"><r/>",
	           50, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	cr_assert_eq(size, 0, "libxml2 wrote %lld bytes to stderr",
	             (long long)size);
	/* and the message is sanitized: no C1 control in it */
	feed_parse(&f,
	           "<rss><\xC2\x9B"
	           "x>",
	           10, NULL);
	cr_assert_null(strstr(err_msg(), "\xC2\x9B"));
}

/* ---- 50,000 items --------------------------------------------------------- */

Test(scale, fifty_thousand_items, .timeout = 60)
{
	struct strbuf sb = STRBUF_INIT;
	struct feed f;
	struct feed_options o = {.name = "big"};
	size_t i, n = 50000;
	double t0, dt;

	strbuf_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss "
	                 "version=\"2.0\"><channel><title>Big</title>\n");
	for (i = 0; i < n; i++)
		strbuf_addf(
		    &sb,
		    "<item><title>Item %zu: regulators probe cloud and AI "
		    "chip partnerships</title><link>https://www.example.com"
		    "/news/2025/01/item-%zu.html</link><description>&lt;p"
		    "&gt;The &lt;b&gt;Commission&lt;/b&gt; opened an "
		    "inquiry into investments and partnerships involving "
		    "generative AI companies and cloud providers &amp;amp; "
		    "chip makers; orders went to five companies.&lt;/p&gt;"
		    "&lt;p&gt;Item %zu &amp;mdash; more text.&lt;/p&gt;"
		    "</description><pubDate>Fri, 24 Jan 2025 11:%02zu:00 "
		    "-0500</pubDate><guid isPermaLink=\"false\">urn:uuid:"
		    "6f1c2a3e-0000-4000-8000-%012zu</guid><category>"
		    "Antitrust</category></item>\n",
		    i, i, i, i % 60, i);
	strbuf_adds(&sb, "</channel></rss>\n");
	t0 = cpu_seconds();
	cr_assert_eq(feed_parse(&f, sb.buf, sb.len, &o), ST_OK, "%s",
	             err_msg());
	dt = cpu_seconds() - t0;
	cr_assert_eq(f.nitems, n);
	cr_assert_str_eq(
	    f.items[0].title,
	    "Item 0: regulators probe cloud and AI chip partnerships");
	cr_assert_str_eq(f.items[n - 1].guid,
	                 "urn:uuid:6f1c2a3e-0000-4000-8000-000000049999");
	cr_assert_str_eq(
	    f.items[n - 1].link,
	    "https://www.example.com/news/2025/01/item-49999.html");
	cr_assert_eq(f.items[n - 1].published, utc(2025, 1, 24, 16, 19, 0));
	cr_assert(!strncmp(f.items[7].summary, "The Commission opened", 21));
	cr_log_info("%zu items, %zu bytes: %.0f ms CPU, %.0f items/s", n,
	            sb.len, dt * 1e3, (double)n / dt);
	/* generous: sanitizer builds are several times slower */
	cr_assert(dt < 20.0);
	feed_release(&f);
	strbuf_release(&sb);
}

/* ---- xml.h on its own ------------------------------------------------------ */

Test(xml, charset_from_content_type)
{
	char buf[32];

	cr_assert(xml_charset_from_content_type("text/xml; charset=UTF-8", buf,
	                                        sizeof(buf)));
	cr_assert_str_eq(buf, "UTF-8");
	cr_assert(xml_charset_from_content_type(
	    "application/atom+xml; charset='gb2312'", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "gb2312");
	cr_assert(xml_charset_from_content_type("text/xml;charset = us-ascii",
	                                        buf, sizeof(buf)));
	cr_assert_str_eq(buf, "us-ascii");
	cr_assert(xml_charset_from_content_type(
	    "text/html; q=1; CHARSET=\"iso-8859-1\"; x=y", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "iso-8859-1");
	cr_assert(
	    !xml_charset_from_content_type("text/xml;", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "");
	cr_assert(!xml_charset_from_content_type("text/xml; charset=\"a b\"",
	                                         buf, sizeof(buf)));
	cr_assert(!xml_charset_from_content_type("text/xml; charset=$(rm)", buf,
	                                         sizeof(buf)));
	cr_assert(!xml_charset_from_content_type(NULL, buf, sizeof(buf)));
	cr_assert(!xml_charset_from_content_type(
	    "text/xml; charset=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", buf,
	    sizeof(buf)));
}

Test(xml, read_doc_and_node_text)
{
	static const char doc[] =
	    "\n<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"x.dtd\">"
	    "<r><a>one <b>two</b> &undefined; &nbsp;three</a>"
	    "<c><![CDATA[<cdata>]]></c></r>";
	static const char entdoc[] =
	    "<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>";
	struct xml_options o = {.what = "13F 'test'"};
	struct strbuf sb = STRBUF_INIT;
	xmlDocPtr d = NULL;

	cr_assert_eq(xml_read_doc(&d, doc, sizeof(doc) - 1, &o, NULL), ST_OK,
	             "%s", err_msg());
	xml_node_text(&sb, xmlDocGetRootElement(d), SIZE_MAX);
	cr_assert_str_eq(sb.buf, "one two  \xC2\xA0three<cdata>");
	strbuf_reset(&sb);
	xml_node_text(&sb, xmlDocGetRootElement(d), 6);
	cr_assert_str_eq(sb.buf, "one tw");
	strbuf_reset(&sb);
	/* never cut inside a character */
	xml_node_text(&sb, xmlDocGetRootElement(d), 10);
	cr_assert_str_eq(sb.buf, "one two  ");
	strbuf_release(&sb);
	xmlFreeDoc(d);

	cr_assert_eq(xml_read_doc(&d, entdoc, strlen(entdoc), &o, NULL),
	             ST_DATAERR);
	cr_assert_null(d);
	cr_assert_str_eq(err_msg(), "13F 'test': declares entities: refused");
	cr_assert_eq(xml_read_doc(&d, "<r>", 3, &o, NULL), ST_DATAERR);
	cr_assert_null(d);
}

static size_t n_start, n_text;

static void
count_start(struct xml_stream *xs, void *ctx, const struct xml_elem *e)
{
	n_start++;
	if (!strcmp(e->local, "stop"))
		xml_stream_abort(xs, ST_USAGE, "stopped at <%s>", e->local);
}

static void
count_end(struct xml_stream *xs, void *ctx, const char *l, const char *ns)
{
}

static void
count_text(struct xml_stream *xs, void *ctx, const char *s, size_t len)
{
	n_text += len;
}

Test(xml, stream_abort_and_info)
{
	static const char d1[] = "<a><b>xy</b><stop/><c/></a>";
	static const char d2[] = "<a>caf\xE9</a>";
	struct xml_callbacks cb = {count_start, count_end, count_text, NULL};
	struct xml_options o = {.what = "doc"};
	struct xml_info info;

	n_start = n_text = 0;
	cr_assert_eq(xml_parse_stream(d1, sizeof(d1) - 1, &o, &cb, NULL, &info),
	             ST_USAGE);
	cr_assert_str_eq(err_msg(), "doc: stopped at <stop>");
	cr_assert_eq(n_start, 3);
	cr_assert_eq(n_text, 2);
	cr_assert_eq(xml_parse_stream(d2, sizeof(d2) - 1, &o, &cb, NULL, &info),
	             ST_OK);
	cr_assert(info.re_decoded);
	cr_assert_str_eq(info.encoding, "windows-1252");
}

/* ---- html.h ------------------------------------------------------------------ */

static void
html_is(const char *html, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	html_to_text(&sb, html, strlen(html), SIZE_MAX);
	cr_assert_str_eq(sb.buf, want, "html '%s'", html);
	strbuf_release(&sb);
}

Test(html, blocks_and_whitespace)
{
	html_is("<p>one</p><p>two</p>", "one\n\ntwo");
	html_is("a<br>b<br/><br />c", "a\nb\n\nc");
	html_is("  lots \n\t of   space  ", "lots of space");
	html_is("<ul><li>x</li><li> y </li></ul>end",
	        "\xE2\x80\xA2 x\n\xE2\x80\xA2 y\n\nend");
	html_is("<div>a</div><div>b</div>", "a\nb");
	html_is("<table><tr><td>1</td><td>2</td></tr></table>", "1 2");
	html_is("<pre>  keep\n  this</pre>after", "keep\n  this\n\nafter");
	html_is("in<b>line</b> <i>tags</i>", "inline tags");
	html_is("<H1>Title</H1>Body", "Title\n\nBody");
}

Test(html, skipped_content)
{
	html_is("<script>alert(1)</script>ok", "ok");
	html_is("<SCRIPT type=x>var a = '</p>';</SCRIPT >ok", "ok");
	html_is("<style>p { color: red }</style>ok", "ok");
	html_is("<html><head><title>T</title><meta x=1></head><body>B</body>",
	        "B");
	html_is("<head><title>T</title><p>implicit body</p>", "implicit body");
	html_is("a<!-- comment <p> -->b", "ab");
	html_is("a<!-- unterminated", "a");
	html_is("<!DOCTYPE html><?php x ?>text", "text");
	html_is("<script>never closed", "");
	html_is("<a href=\"x>y\" title='a>b'>link</a>", "link");
	html_is("<a href=\"never closed>text", "");
	html_is("<textarea><b>raw</b></textarea>x", "x");
}

Test(html, entities)
{
	html_is("&amp; &lt; &gt; &quot; &apos; &nbsp;x",
	        "& < > \" ' \xC2\xA0x");
	html_is("&hellip;&mdash;&rsquo;&eacute;&Eacute;",
	        "\xE2\x80\xA6\xE2\x80\x94\xE2\x80\x99\xC3\xA9\xC3\x89");
	html_is("&#8217;&#x2019;&#X2019;",
	        "\xE2\x80\x99\xE2\x80\x99\xE2\x80\x99");
	/* HTML reads &#146; as windows-1252 */
	html_is("don&#146;t &#128;5", "don\xE2\x80\x99t \xE2\x82\xAC"
	                              "5");
	html_is("&#0;&#xD800;&#x110000;&#99999999999;",
	        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	html_is("&bogus; & &; &#; &#x;", "&bogus; & &; &#; &#x;");
	html_is("&amp &lt3 &copy2024", "& <3 &copy2024");
	/* decoded controls are still removed */
	/* ESC and RLO go; &#x9b; is windows-1252 for U+203A */
	html_is("a&#27;[2J&#x9b;b&#x202e;c", "a[2J\xE2\x80\xBA"
	                                     "bc");
	html_is("x&#x9d;y\xC2\x9B"
	        "z",
	        "xyz");
	html_is("1 < 2 and 3 <= 4", "1 < 2 and 3 <= 4");
}

Test(html, caps)
{
	struct strbuf sb = STRBUF_INIT, in = STRBUF_INIT;
	size_t i;

	for (i = 0; i < 100000; i++)
		strbuf_adds(&in, "<p>para</p>");
	cr_assert(html_to_text(&sb, in.buf, in.len, 100));
	cr_assert(sb.len <= 100);
	cr_assert(!strncmp(sb.buf, "para\n\npara", 10));
	strbuf_reset(&sb);
	cr_assert(!html_to_text(&sb, "<p>short</p>", 12, 100));
	cr_assert_str_eq(sb.buf, "short");
	strbuf_release(&sb);
	strbuf_release(&in);
}

Test(html, entity_table)
{
	cr_assert_str_eq(html_entity("nbsp", 4), "\xC2\xA0");
	cr_assert_str_eq(html_entity("amp", 3), "&");
	cr_assert_str_eq(html_entity("thetasym", 8), "\xCF\x91");
	cr_assert_str_eq(html_entity("AElig", 5), "\xC3\x86");
	cr_assert_null(html_entity("Amp", 3));
	cr_assert_null(html_entity("am", 2));
	cr_assert_null(html_entity("ampx", 4));
	cr_assert_null(html_entity("", 0));
	cr_assert_eq(html_entity_count(), 253);
	cr_assert_eq(html_entity_index("zwnj", 4), 252);
	cr_assert_str_eq(html_entity_name(0), "AElig");
	cr_assert_null(html_entity_name(253));
}

/* ---- regressions found by the fuzzers (tests/fuzz) ------------------------- */

Test(regress, base_with_non_ascii_host_stays_ascii)
{
	/*
	 * fuzz_feed: xmlBuildURI() unescapes the host of the base it
	 * resolves against, so raw UTF-8 came back in an http link.
	 */
	struct feed f = ok("<rss version=\"0.92\" xml:base=\"http://example.com"
	                   "\xC3\x9B\xE2\x84\xA2"
	                   "d/x.html\"><channel><item>"
	                   "<title>t</title><link>/a.html</link></item>"
	                   "</channel></rss>");

	cr_assert_str_eq(f.items[0].link,
	                 "http://example.com%C3%9B%E2%84%A2d/a.html");
	feed_release(&f);
}

Test(regress, dropped_characters_between_blocks)
{
	/*
	 * fuzz_html: DEL counted as text for the line-break bookkeeping, and
	 * once the sanitizer removed it, "\n\n\n\n" was left.
	 */
	html_is("x<p>\x7f<p>\x7fy", "x\n\ny");
	html_is("a \x1b\n<br>\xE2\x80\xAE<br><br>b", "a\n\nb");
}

Test(regress, entity_name_with_nul)
{
	/* fuzz_html: a NUL inside the name read past the table's string */
	cr_assert_null(html_entity("nbsp\0", 5));
	cr_assert_null(html_entity("lt\0\0\0\0\0\0", 8));
	cr_assert_eq(html_entity_index("amp", 3), html_entity_index("amp;", 3));
}

Test(encoding, unknown_http_charset_falls_through)
{
	static const char doc[] =
	    "<rss><channel><title>caf\xE9</title></channel></rss>";
	struct feed_options o = {.name = "test", .charset = "x-no-such"};
	struct feed f;

	/* the bogus hint is tried, fails, and windows-1252 still works */
	cr_assert_eq(feed_parse(&f, doc, sizeof(doc) - 1, &o), ST_OK, "%s",
	             err_msg());
	cr_assert_str_eq(f.title, "caf\xC3\xA9");
	feed_release(&f);
}
