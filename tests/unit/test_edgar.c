/*
 * ingest/edgar: the submissions JSON and index parsers against every real
 * sample in ../shared/fixtures/real (values checked against the files and,
 * for the acceptance times, against Python's zoneinfo), then hostile input
 * of both kinds, the Eastern-time conversion at the DST edges, and the
 * small helpers (CIK, User-Agent, URLs).
 *
 * Fixtures: $OLIGO_FIXTURES, else ../shared/fixtures/real relative to the
 * working directory (the repo root under `make test`).  Tests that need
 * them are skipped, with the path in the message, when they are absent.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/edgar.h"
#include "lib/status.h"
#include "lib/strbuf.h"

/* ------------------------------------------------------------------ */
/* Helpers */

static void
read_fixture(struct strbuf *sb, const char *rel)
{
	const char *base = getenv("OLIGO_FIXTURES");
	char path[4096], buf[65536];
	size_t n;
	FILE *fp;

	if (!base || !*base)
		base = "../shared/fixtures/real";
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	fp = fopen(path, "rb");
	if (!fp)
		cr_skip_test("fixtures absent: cannot open %s (set "
		             "OLIGO_FIXTURES to the fixtures/real directory)",
		             path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(sb, buf, n);
	cr_assert(!ferror(fp), "read error on %s", path);
	fclose(fp);
}

static enum status
parse_json_fixture(struct filing_list *l, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	enum status st;

	read_fixture(&sb, rel);
	st = edgar_parse_submissions(l, sb.buf, sb.len, rel);
	strbuf_release(&sb);
	return st;
}

static enum status
parse_index_fixture(struct filing_list *l, const char *rel,
                    struct edgar_index_info *info)
{
	struct strbuf sb = STRBUF_INIT;
	enum status st;

	read_fixture(&sb, rel);
	st = edgar_parse_index(l, sb.buf, sb.len, rel, info);
	strbuf_release(&sb);
	return st;
}

/* NULL-tolerant string equality for the optional fields. */
static void
expect_str(const char *got, const char *want, const char *what)
{
	if (!want) {
		cr_expect_null(got, "%s: want NULL, got \"%s\"", what, got);
		return;
	}
	cr_assert_not_null(got, "%s: want \"%s\", got NULL", what, want);
	cr_expect_str_eq(got, want, "%s", what);
}

static void
expect_filing(const struct filing *f, const char *cik, const char *company,
              const char *form, const char *filed, const char *accession,
              const char *accepted, const char *doc, const char *url,
              const char *description)
{
	expect_str(f->cik, cik, "cik");
	expect_str(f->company, company, "company");
	expect_str(f->form, form, "form");
	expect_str(f->filed, filed, "filed");
	expect_str(f->accession, accession, "accession");
	expect_str(f->accepted, accepted, "accepted");
	expect_str(f->primary_doc, doc, "primary_doc");
	expect_str(f->url, url, "url");
	expect_str(f->description, description, "description");
}

/* No C0, DEL or C1 control left in a string (edgar.h's promise). */
static void
expect_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	cr_assert_not_null(s);
	for (; *p; p++) {
		cr_expect(*p >= 0x20 && *p != 0x7f, "control 0x%02x in \"%s\"",
		          *p, s);
		cr_expect(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0),
		          "C1 control in \"%s\"", s);
	}
}

/* The invariants edgar.h promises for every row. */
static void
check_invariants(const struct filing_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct filing *f = &l->v[i];
		const char *s[] = {f->cik,   f->company,   f->form,
		                   f->filed, f->accession, f->url};
		size_t k;

		for (k = 0; k < sizeof(s) / sizeof(*s); k++)
			cr_assert_not_null(s[k], "row %zu field %zu", i, k);
		cr_assert(strlen(f->filed) == 10 && f->filed[4] == '-');
		cr_assert_eq(strlen(f->accession), 20);
		cr_assert(!strncmp(f->url,
		                   "https://www.sec.gov/Archives/edgar/data/",
		                   40),
		          "row %zu url %s", i, f->url);
		cr_assert(f->cik[0] != '0');
		if (f->accepted)
			cr_assert_eq(strlen(f->accepted), 20);
	}
}

/* A submissions document with the given filings.recent members. */
static char *
doc(const char *recent)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb,
	            "{\"cik\":\"0000320193\",\"name\":\"Apple Inc.\","
	            "\"filings\":{\"recent\":{%s},\"files\":[]}}",
	            recent);
	return strbuf_detach(&sb, NULL);
}

#define ONE_ROW                                                                \
	"\"accessionNumber\":[\"0000320193-25-000008\"],"                      \
	"\"filingDate\":[\"2025-01-31\"],"                                     \
	"\"acceptanceDateTime\":[\"2025-01-30T16:30:22.000Z\"],"               \
	"\"form\":[\"10-Q\"],"                                                 \
	"\"primaryDocument\":[\"aapl-20241228.htm\"],"                         \
	"\"primaryDocDescription\":[\"10-Q\"]"

/*
 * Hostile JSON must give ST_DATAERR, a message naming the document (and
 * containing needle, if given), and leave rows already in the list alone.
 */
static void
expect_json_error(const char *json, size_t len, const char *needle)
{
	struct filing_list l;
	char *good = doc(ONE_ROW);

	filing_list_init(&l);
	cr_assert_eq(edgar_parse_submissions(&l, good, strlen(good), "good"),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 1);
	err_clear();
	cr_assert_eq(edgar_parse_submissions(&l, json, len, "hostile.json"),
	             ST_DATAERR, "accepted: %.200s", json);
	cr_assert_eq(l.n, 1, "rows leaked from a failed parse");
	cr_expect_str_eq(l.v[0].accession, "0000320193-25-000008");
	cr_assert(strstr(err_msg(), "hostile.json"), "message: %s", err_msg());
	if (needle)
		cr_assert(strstr(err_msg(), needle),
		          "message \"%s\" lacks \"%s\"", err_msg(), needle);
	filing_list_release(&l);
	free(good);
}

static void
expect_json_error_doc(const char *recent, const char *needle)
{
	char *d = doc(recent);

	expect_json_error(d, strlen(d), needle);
	free(d);
}

static void
expect_json_error_s(const char *json, const char *needle)
{
	expect_json_error(json, strlen(json), needle);
}

#define MASTER_HEAD                                                            \
	"Description:           Daily Index of EDGAR Dissemination Feed\n"     \
	"Last Data Received:    Jan  3, 2020\n"                                \
	"Comments:              webmaster@sec.gov\n"                           \
	"Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n"                    \
	" \n"                                                                  \
	"CIK|Company Name|Form Type|Date Filed|File Name\n"                    \
	"--------------------------------------------------------------------" \
	"------------\n"
#define MASTER_ROW1                                                            \
	"1000229|CORE LABORATORIES N V|4|20200103|"                            \
	"edgar/data/1000229/0001209191-20-000788.txt\n"
#define MASTER_ROW2                                                            \
	"1005284|UNIVERSAL DISPLAY CORP \\PA\\|4|20200103|"                    \
	"edgar/data/1005284/0001005284-20-000002.txt\n"
#define MASTER_ROW3                                                            \
	"101778|MARATHON OIL CORP|UPLOAD|20190924|"                            \
	"edgar/data/101778/0000000000-19-013912.txt\n"

#define FORM_HEAD                                                              \
	"Description:           Master Index of EDGAR Dissemination Feed by "  \
	"Form Type\n"                                                          \
	"Last Data Received:    March 31, 2021\n"                              \
	"Comments:              webmaster@sec.gov\n"                           \
	"Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n"                    \
	"\n\n\n\n"                                                             \
	"Form Type   Company Name                                          "   \
	"        CIK         Date Filed  File Name\n"                          \
	"--------------------------------------------------------------------" \
	"-------------------------------------------------------------------"  \
	"------\n"

static enum status
parse_index_s(struct filing_list *l, const char *text,
              struct edgar_index_info *info)
{
	return edgar_parse_index(l, text, strlen(text), "test.idx", info);
}

/* ------------------------------------------------------------------ */
/* Submissions JSON: real samples */

Test(edgar_json, apple_2025)
{
	struct filing_list l;
	size_t i, n3 = 0;

	filing_list_init(&l);
	cr_assert_eq(parse_json_fixture(&l, "sec-edgar-submissions/"
	                                    "CIK0000320193_apple_2025-01.json"),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 1001);
	check_invariants(&l);
	/* 12:24:33 EST -> 17:24:33 UTC: the label says Z, the clock is NY's. */
	expect_filing(&l.v[0], "320193", "Apple Inc.", "PX14A6G", "2025-01-29",
	              "0001096906-25-000100", "2025-01-29T17:24:33Z",
	              "nlpc_px14a6g.htm",
	              "https://www.sec.gov/Archives/edgar/data/320193/"
	              "000109690625000100/nlpc_px14a6g.htm",
	              "NATIONAL LEGAL AND POLICY CENTER - PX14A6G");
	/* Ownership forms point at the XSL-rendered document in a subfolder. */
	expect_filing(&l.v[1], "320193", "Apple Inc.", "3", "2025-01-10",
	              "0000320193-25-000002", "2025-01-10T23:30:12Z",
	              "xslF345X02/wk-form3_1736551805.xml",
	              "https://www.sec.gov/Archives/edgar/data/320193/"
	              "000032019325000002/xslF345X02/wk-form3_1736551805.xml",
	              "FORM 3");
	/* April 2014: EDT, so +4 h. */
	expect_filing(&l.v[1000], "320193", "Apple Inc.", "8-K", "2014-04-23",
	              "0001193125-14-154871", "2014-04-23T20:31:38Z",
	              "d715148d8k.htm",
	              "https://www.sec.gov/Archives/edgar/data/320193/"
	              "000119312514154871/d715148d8k.htm",
	              "FORM 8-K");
	for (i = 0; i < l.n; i++)
		n3 += !strcmp(l.v[i].form, "4");
	cr_expect_eq(n3, 594, "Form 4 rows");
	filing_list_release(&l);
}

Test(edgar_json, keen_vision_unpadded_cik)
{
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_json_fixture(&l, "sec-edgar-submissions/"
	                                    "CIK0001889983_keen-vision_2025-01."
	                                    "json"),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 60);
	check_invariants(&l);
	/*
	 * The same filing's Atom <updated> is 2024-12-26T17:00:07-05:00
	 * (fixtures README): the JSON's "17:00:07.000Z" is Eastern.
	 */
	expect_filing(&l.v[0], "1889983", "Keen Vision Acquisition Corp.",
	              "8-K", "2024-12-26", "0001213900-24-112698",
	              "2024-12-26T22:00:07Z", "ea0225722-8k_keen.htm",
	              "https://www.sec.gov/Archives/edgar/data/1889983/"
	              "000121390024112698/ea0225722-8k_keen.htm",
	              "CURRENT REPORT");
	expect_filing(&l.v[59], "1889983", "Keen Vision Acquisition Corp.",
	              "S-1", "2023-02-09", "0001213900-23-009668",
	              "2023-02-09T19:05:53Z", "fs12023_keenvision.htm",
	              "https://www.sec.gov/Archives/edgar/data/1889983/"
	              "000121390023009668/fs12023_keenvision.htm",
	              "REGISTRATION STATEMENT");
	filing_list_release(&l);
}

Test(edgar_json, spac_2026_isXBRLNumeric)
{
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_json_fixture(&l, "sec-edgar-submissions/"
	                                    "CIK0002042902_spac_2026-03_"
	                                    "isXBRLNumeric.json"),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 36);
	check_invariants(&l);
	/* 27 March 2026 is after the 8 March switch: EDT. */
	expect_filing(&l.v[0], "2042902", "EQV Ventures Acquisition Corp. II",
	              "10-K", "2026-03-27", "0001213900-26-035526",
	              "2026-03-27T20:20:08Z", "ea0282193-10k_eqvventures2.htm",
	              "https://www.sec.gov/Archives/edgar/data/2042902/"
	              "000121390026035526/ea0282193-10k_eqvventures2.htm",
	              "ANNUAL REPORT");
	/* An empty primaryDocDescription is NULL, not "". */
	expect_filing(&l.v[1], "2042902", "EQV Ventures Acquisition Corp. II",
	              "SCHEDULE 13G", "2026-02-02", "0001140361-26-003234",
	              "2026-02-02T21:21:43Z",
	              "xslSCHEDULE_13G_X01/primary_doc.xml",
	              "https://www.sec.gov/Archives/edgar/data/2042902/"
	              "000114036126003234/xslSCHEDULE_13G_X01/primary_doc.xml",
	              NULL);
	/* EFFECT notice, accession prefix 9999999995-, accepted after midnight
	 * UTC. */
	expect_str(l.v[10].form, "EFFECT", "form");
	expect_str(l.v[10].accession, "9999999995-25-002134", "accession");
	expect_str(l.v[10].accepted, "2025-07-02T04:15:11Z", "accepted");
	/* UPLOAD staff letter, accession prefix 0000000000-. */
	expect_str(l.v[28].form, "UPLOAD", "form");
	expect_str(l.v[28].accession, "0000000000-25-006503", "accession");
	expect_str(l.v[28].primary_doc, "filename1.pdf", "primary_doc");
	expect_filing(&l.v[35], "2042902", "EQV Ventures Acquisition Corp. II",
	              "DRS", "2024-12-09", "0001213900-24-106623",
	              "2024-12-09T11:09:41Z", "filename1.htm",
	              "https://www.sec.gov/Archives/edgar/data/2042902/"
	              "000121390024106623/filename1.htm",
	              NULL);
	filing_list_release(&l);
}

Test(edgar_json, test_filer_no_filings)
{
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_json_fixture(&l, "sec-edgar-submissions/"
	                                    "CIK0000350001_test-filer_no-"
	                                    "filings.json"),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 0);
	filing_list_release(&l);
}

Test(edgar_json, rows_append_across_documents)
{
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_json_fixture(&l, "sec-edgar-submissions/"
	                                    "CIK0001889983_keen-vision_2025-01."
	                                    "json"),
	             ST_OK);
	cr_assert_eq(parse_json_fixture(&l, "sec-edgar-submissions/"
	                                    "CIK0002042902_spac_2026-03_"
	                                    "isXBRLNumeric.json"),
	             ST_OK);
	cr_assert_eq(l.n, 96);
	expect_str(l.v[59].cik, "1889983", "cik");
	expect_str(l.v[60].cik, "2042902", "cik");
	filing_list_release(&l);
	cr_assert_eq(l.n, 0);
	cr_assert_null(l.v);
}

Test(edgar_json, s3_nosuchkey_fixture)
{
	struct strbuf sb = STRBUF_INIT;

	read_fixture(&sb, "sec-edgar-errors/"
	                  "data.sec.gov_404_NoSuchKey_submissions_CIK-"
	                  "000000001.xml");
	expect_json_error(sb.buf, sb.len, "NoSuchKey");
	strbuf_release(&sb);
}

/* ------------------------------------------------------------------ */
/* Submissions JSON: synthetic */

Test(edgar_json, minimal_and_optional_columns)
{
	struct filing_list l;
	char *d;

	filing_list_init(&l);
	d = doc(ONE_ROW);
	cr_assert_eq(edgar_parse_submissions(&l, d, strlen(d), "t"), ST_OK);
	expect_filing(&l.v[0], "320193", "Apple Inc.", "10-Q", "2025-01-31",
	              "0000320193-25-000008", "2025-01-30T21:30:22Z",
	              "aapl-20241228.htm",
	              "https://www.sec.gov/Archives/edgar/data/320193/"
	              "000032019325000008/aapl-20241228.htm",
	              "10-Q");
	free(d);

	/* Only the required columns: no acceptance time, URL = index page. */
	d = doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	        "\"filingDate\":[\"2025-01-31\"],\"form\":[\"10-Q\"]");
	cr_assert_eq(edgar_parse_submissions(&l, d, strlen(d), "t"), ST_OK);
	expect_filing(&l.v[1], "320193", "Apple Inc.", "10-Q", "2025-01-31",
	              "0000320193-25-000008", NULL, NULL,
	              "https://www.sec.gov/Archives/edgar/data/320193/"
	              "000032019325000008/0000320193-25-000008-index.htm",
	              NULL);
	free(d);

	/* null elements in optional columns, unknown keys of any type. */
	d = doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	        "\"filingDate\":[\"2025-01-31\"],\"form\":[\"10-Q\"],"
	        "\"acceptanceDateTime\":[null],\"primaryDocument\":[null],"
	        "\"primaryDocDescription\":[null],\"isXBRLNumeric\":[null],"
	        "\"futureScalar\":7,\"futureObject\":{\"a\":[1,2,3]}");
	cr_assert_eq(edgar_parse_submissions(&l, d, strlen(d), "t"), ST_OK,
	             "%s", err_msg());
	cr_assert_eq(l.n, 3);
	cr_expect_null(l.v[2].accepted);
	cr_expect_null(l.v[2].primary_doc);
	free(d);
	filing_list_release(&l);
}

Test(edgar_json, integer_cik_and_missing_name)
{
	static const char json[] =
	    "{\"cik\":320193,\"filings\":{\"recent\":{" ONE_ROW "}}}";
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(edgar_parse_submissions(&l, json, strlen(json), "t"),
	             ST_OK, "%s", err_msg());
	expect_str(l.v[0].cik, "320193", "cik");
	expect_str(l.v[0].company, "", "company");
	filing_list_release(&l);
}

Test(edgar_json, control_characters_cleaned)
{
	static const char json[] =
	    "{\"cik\":\"320193\",\"name\":\"\\u001b[2JEvil\\u009b Co\\tInc \","
	    "\"filings\":{\"recent\":{"
	    "\"accessionNumber\":[\"0000320193-25-000008\"],"
	    "\"filingDate\":[\"2025-01-31\"],\"form\":[\"10-Q\\u0007\"],"
	    "\"primaryDocument\":[\"../../../etc/passwd\"],"
	    "\"primaryDocDescription\":[\"\\u202eok\\r\\nline\"]}}}";
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(edgar_parse_submissions(&l, json, strlen(json), "t"),
	             ST_OK, "%s", err_msg());
	/*
	 * What is asserted is what any sanitizer must do (clean_field()
	 * today, lib/text.h later): controls gone, the words kept.
	 */
	expect_clean(l.v[0].company);
	cr_expect(strstr(l.v[0].company, "Evil") &&
	              strstr(l.v[0].company, "Co") &&
	              strstr(l.v[0].company, "Inc"),
	          "%s", l.v[0].company);
	expect_str(l.v[0].form, "10-Q", "form");
	/* A document path leaving the filing's folder is dropped. */
	cr_expect_null(l.v[0].primary_doc);
	expect_str(l.v[0].url,
	           "https://www.sec.gov/Archives/edgar/data/320193/"
	           "000032019325000008/0000320193-25-000008-index.htm",
	           "url");
	expect_clean(l.v[0].description);
	cr_expect(strstr(l.v[0].description, "ok") &&
	              strstr(l.v[0].description, "line"),
	          "%s", l.v[0].description);
	filing_list_release(&l);
}

Test(edgar_json, document_name_is_percent_encoded)
{
	struct filing_list l;
	char *d = doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	              "\"filingDate\":[\"2025-01-31\"],\"form\":[\"10-Q\"],"
	              "\"primaryDocument\":[\"my doc#1?.htm\"]");

	filing_list_init(&l);
	cr_assert_eq(edgar_parse_submissions(&l, d, strlen(d), "t"), ST_OK);
	expect_str(l.v[0].url,
	           "https://www.sec.gov/Archives/edgar/data/320193/"
	           "000032019325000008/my%20doc%231%3F.htm",
	           "url");
	filing_list_release(&l);
	free(d);
}

/*
 * Regression (fuzz_edgar_json): ".." inside a name is not a ".." segment.
 * The harness once flagged "2023-09-01T16:05:48..000Z" as a path escape.
 */
Test(edgar_json, dot_segments_only_whole)
{
	static const char *const docs[][2] = {
	    {"report..final.htm", "report..final.htm"},
	    {"2023-09-01T16:05:48..000Z", "2023-09-01T16%3A05%3A48..000Z"},
	    {"...htm", "...htm"},
	    {"x/../y.htm", NULL},
	    {"./y.htm", NULL},
	    {"/etc/passwd", NULL},
	    {"a//b.htm", NULL},
	    {"a/", NULL},
	    {"..", NULL},
	};
	struct filing_list l;
	size_t i;

	filing_list_init(&l);
	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		struct strbuf r = STRBUF_INIT;
		char *d;

		strbuf_addf(&r,
		            "\"accessionNumber\":[\"0000320193-25-000008\"],"
		            "\"filingDate\":[\"2025-01-31\"],\"form\":[\"4\"],"
		            "\"primaryDocument\":[\"%s\"]",
		            docs[i][0]);
		d = doc(r.buf);
		cr_assert_eq(edgar_parse_submissions(&l, d, strlen(d), "t"),
		             ST_OK);
		if (docs[i][1]) {
			expect_str(l.v[l.n - 1].primary_doc, docs[i][0], "doc");
			cr_expect(strstr(l.v[l.n - 1].url, docs[i][1]), "%s",
			          l.v[l.n - 1].url);
		} else {
			cr_expect_null(l.v[l.n - 1].primary_doc, "%s",
			               docs[i][0]);
			cr_expect(strstr(l.v[l.n - 1].url, "-index.htm"));
		}
		free(d);
		strbuf_release(&r);
	}
	filing_list_release(&l);
}

Test(edgar_json, huge_free_text_is_cut_not_refused)
{
	struct strbuf recent = STRBUF_INIT;
	struct filing_list l;
	char *d;
	size_t i;

	strbuf_adds(&recent, "\"accessionNumber\":[\"0000320193-25-000008\"],"
	                     "\"filingDate\":[\"2025-01-31\"],"
	                     "\"form\":[\"10-Q\"],"
	                     "\"primaryDocDescription\":[\"");
	for (i = 0; i < (1u << 20); i++)
		strbuf_adds(&recent, i % 2 ? "\xc3\xa9" : "x");
	strbuf_adds(&recent, "\"]");
	d = doc(recent.buf);
	filing_list_init(&l);
	cr_assert_eq(edgar_parse_submissions(&l, d, strlen(d), "t"), ST_OK);
	cr_assert_leq(strlen(l.v[0].description), 1024);
	cr_assert_geq(strlen(l.v[0].description), 1020);
	filing_list_release(&l);
	strbuf_release(&recent);
	free(d);
}

/* ------------------------------------------------------------------ */
/* Submissions JSON: hostile */

Test(edgar_json_hostile, empty)
{
	expect_json_error("", 0, "empty");
	expect_json_error_s(" \r\n\t ", "empty");
}

Test(edgar_json_hostile, truncated)
{
	struct strbuf sb = STRBUF_INIT;

	read_fixture(&sb, "sec-edgar-submissions/"
	                  "CIK0000320193_apple_2025-01.json");
	expect_json_error(sb.buf, sb.len / 2, "invalid JSON");
	expect_json_error(sb.buf, sb.len - 1, "invalid JSON");
	strbuf_release(&sb);
	expect_json_error_s("{\"cik\":\"320193\",\"filings\":{\"rec",
	                    "invalid JSON");
}

Test(edgar_json_hostile, trailing_garbage)
{
	char *d = doc(ONE_ROW), *g;
	size_t n = strlen(d);

	g = malloc(n + 5);
	memcpy(g, d, n);
	memcpy(g + n, " junk", 5);
	expect_json_error(g, n + 5, "invalid JSON");
	free(g);
	free(d);
}

Test(edgar_json_hostile, deeply_nested)
{
	size_t n = 100000, i;
	char *s = malloc(2 * n);

	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[n + i] = ']';
	}
	expect_json_error(s, 2 * n, "nested deeper");
	free(s);
	/* Brackets inside strings do not count. */
	expect_json_error_s("{\"cik\":\"1\",\"x\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[["
	                    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\"}",
	                    "no filings.recent");
	/* Forty objects deep is far beyond a submissions document (four). */
	{
		struct strbuf sb = STRBUF_INIT;

		for (i = 0; i < 40; i++)
			strbuf_adds(&sb, "{\"a\":");
		strbuf_adds(&sb, "1");
		for (i = 0; i < 40; i++)
			strbuf_addch(&sb, '}');
		expect_json_error(sb.buf, sb.len, "nested deeper than 32");
		strbuf_release(&sb);
	}
}

Test(edgar_json_hostile, duplicate_keys)
{
	expect_json_error_s("{\"cik\":\"320193\",\"cik\":\"789019\","
	                    "\"filings\":{\"recent\":{" ONE_ROW "}}}",
	                    "duplicate");
	expect_json_error_doc(ONE_ROW ",\"form\":[\"8-K\"]", "duplicate");
}

Test(edgar_json_hostile, wrong_types)
{
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	                      "\"filingDate\":[\"2025-01-31\"],\"form\":5",
	                      "filings.recent.form is an integer");
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	                      "\"filingDate\":[\"2025-01-31\"],\"form\":[5]",
	                      "filings.recent.form[0] is an integer");
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	                      "\"filingDate\":[null],\"form\":[\"4\"]",
	                      "filingDate[0] is null");
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	                      "\"filingDate\":[\"2025-01-31\"],"
	                      "\"form\":[\"4\"],\"primaryDocument\":[{}]",
	                      "primaryDocument[0] is an object");
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	                      "\"filingDate\":[\"2025-01-31\"],"
	                      "\"form\":[\"4\"],\"acceptanceDateTime\":[true]",
	                      "acceptanceDateTime[0] is a boolean");
	expect_json_error_s("[" ONE_ROW "]", "invalid JSON");
	expect_json_error_s("[1,2,3]", "is an array, expected an object");
	expect_json_error_s("null",
	                    "invalid JSON"); /* jansson: not a container */
	expect_json_error_s("{\"cik\":[1],\"filings\":{\"recent\":{" ONE_ROW
	                    "}}}",
	                    "\"cik\" is an array");
	expect_json_error_s("{\"cik\":\"320193\",\"name\":5,\"filings\":{"
	                    "\"recent\":{" ONE_ROW "}}}",
	                    "\"name\" is an integer");
	expect_json_error_s("{\"cik\":\"320193\",\"filings\":[]}",
	                    "no filings.recent");
	expect_json_error_s("{\"cik\":\"320193\",\"filings\":{\"recent\":[]}}",
	                    "no filings.recent");
}

Test(edgar_json_hostile, missing_keys)
{
	expect_json_error_s("{\"name\":\"x\",\"filings\":{\"recent\":{" ONE_ROW
	                    "}}}",
	                    "no \"cik\"");
	expect_json_error_s("{\"cik\":\"320193\"}", "no filings.recent");
	expect_json_error_doc("\"filingDate\":[],\"form\":[]",
	                      "no filings.recent.accessionNumber");
	expect_json_error_doc("", "no filings.recent.accessionNumber");
}

Test(edgar_json_hostile, bad_values)
{
	expect_json_error_s(
	    "{\"cik\":\"CIK320193\",\"filings\":{\"recent\":{" ONE_ROW "}}}",
	    "not a CIK");
	expect_json_error_s("{\"cik\":\"00000000000320193\",\"filings\":{"
	                    "\"recent\":{" ONE_ROW "}}}",
	                    "not a CIK");
	expect_json_error_s(
	    "{\"cik\":-5,\"filings\":{\"recent\":{" ONE_ROW "}}}", "not a CIK");
	expect_json_error_s(
	    "{\"cik\":0,\"filings\":{\"recent\":{" ONE_ROW "}}}", "not a CIK");
	expect_json_error_doc(
	    "\"accessionNumber\":[\"0000320193-25-00008\"],"
	    "\"filingDate\":[\"2025-01-31\"],\"form\":[\"4\"]",
	    "not an accession number");
	expect_json_error_doc(
	    "\"accessionNumber\":[\"0000320193-25-000008\"],"
	    "\"filingDate\":[\"2025-02-30\"],\"form\":[\"4\"]",
	    "is not a date");
	expect_json_error_doc(
	    "\"accessionNumber\":[\"0000320193-25-000008\"],"
	    "\"filingDate\":[\"2025-01-31\"],\"form\":[\"4\"],"
	    "\"acceptanceDateTime\":[\"yesterday\"]",
	    "is not a date and time");
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	                      "\"filingDate\":[\"2025-01-31\"],\"form\":[\"\"]",
	                      "form[0] is empty");
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\"],"
	                      "\"filingDate\":[\"2025-01-31\"],"
	                      "\"form\":[\"\\u0001\\u0002\"]",
	                      "form[0] is empty");
	/* Big numbers jansson cannot hold are errors, not saturated values. */
	expect_json_error_doc(ONE_ROW ",\"size\":[1e999]", "invalid JSON");
	expect_json_error_doc(ONE_ROW ",\"size\":[123456789012345678901]",
	                      "invalid JSON");
}

Test(edgar_json_hostile, unequal_array_lengths)
{
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008\","
	                      "\"0000320193-25-000009\"],"
	                      "\"filingDate\":[\"2025-01-31\"],"
	                      "\"form\":[\"4\",\"4\"]",
	                      "filings.recent.filingDate has length 1 but "
	                      "filings.recent.accessionNumber has length 2");
	/* An unused column counts too: the arrays are parallel. */
	expect_json_error_doc(ONE_ROW ",\"size\":[1,2]",
	                      "filings.recent.size has length 2");
}

Test(edgar_json_hostile, too_many_rows)
{
	struct strbuf r = STRBUF_INIT;
	size_t i, n = 100001;

	/* The length checks come first, so the element types never matter. */
	strbuf_adds(&r, "\"accessionNumber\":[");
	for (i = 0; i < n; i++)
		strbuf_adds(&r, i ? ",0" : "0");
	strbuf_adds(&r, "],\"filingDate\":[],\"form\":[]");
	expect_json_error_doc(r.buf, "has length 0");
	strbuf_reset(&r);
	for (i = 0; i < 3; i++) {
		size_t k;

		strbuf_addf(&r, "%s\"%s\":[", i ? "," : "",
		            i == 0   ? "accessionNumber"
		            : i == 1 ? "filingDate"
		                     : "form");
		for (k = 0; k < n; k++)
			strbuf_adds(&r, k ? ",0" : "0");
		strbuf_addch(&r, ']');
	}
	expect_json_error_doc(r.buf, "100001 rows, more than 100000");
	strbuf_release(&r);
	/* A claim alone (files[].filingCount) allocates nothing. */
	{
		struct filing_list l;
		static const char json[] =
		    "{\"cik\":\"320193\",\"filings\":{\"recent\":{" ONE_ROW
		    "},\"files\":[{\"name\":\"x.json\",\"filingCount\":"
		    "1000000000}]}}";

		filing_list_init(&l);
		cr_assert_eq(
		    edgar_parse_submissions(&l, json, strlen(json), "t"),
		    ST_OK);
		cr_assert_eq(l.n, 1);
		filing_list_release(&l);
	}
}

Test(edgar_json_hostile, huge_strings)
{
	struct strbuf r = STRBUF_INIT;
	size_t n = EDGAR_JSON_MAX_BYTES + 16;
	char *big;

	/* Over the size cap: refused before parsing. */
	big = malloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	expect_json_error(big, n, "more than");
	free(big);

	/* A 1 MB form type or document name is not a form type. */
	strbuf_adds(&r, "\"accessionNumber\":[\"0000320193-25-000008\"],"
	                "\"filingDate\":[\"2025-01-31\"],\"form\":[\"");
	strbuf_grow(&r, 1u << 20);
	while (r.len < (1u << 20))
		strbuf_addch(&r, 'K');
	strbuf_adds(&r, "\"]");
	expect_json_error_doc(r.buf, "form[0] is too long");
	strbuf_reset(&r);
	strbuf_adds(&r, "\"accessionNumber\":[\"0000320193-25-000008\"],"
	                "\"filingDate\":[\"2025-01-31\"],\"form\":[\"4\"],"
	                "\"primaryDocument\":[\"");
	while (r.len < (1u << 20))
		strbuf_addch(&r, 'd');
	strbuf_adds(&r, "\"]");
	expect_json_error_doc(r.buf, "primaryDocument[0] is too long");
	strbuf_release(&r);
}

Test(edgar_json_hostile, invalid_utf8)
{
	expect_json_error_s("{\"cik\":\"320193\",\"name\":\"Caf\xe9\","
	                    "\"filings\":{\"recent\":{" ONE_ROW "}}}",
	                    "invalid JSON");
	expect_json_error_s("{\"cik\":\"320193\",\"name\":\"\xed\xa0\x80\","
	                    "\"filings\":{\"recent\":{" ONE_ROW "}}}",
	                    "invalid JSON");
	expect_json_error_s("\xef\xbb\xbf{\"cik\":\"320193\"}", "invalid JSON");
}

Test(edgar_json_hostile, nul_in_strings)
{
	static const char raw[] = "{\"cik\":\"320193\",\"name\":\"A\0B\"}";

	/* jansson refuses \u0000 unless JSON_ALLOW_NUL, which we never set */
	expect_json_error_s("{\"cik\":\"320193\",\"name\":\"A\\u0000B\","
	                    "\"filings\":{\"recent\":{" ONE_ROW "}}}",
	                    "invalid JSON");
	expect_json_error_doc("\"accessionNumber\":[\"0000320193-25-000008"
	                      "\\u0000junk\"],\"filingDate\":[\"2025-01-31\"],"
	                      "\"form\":[\"4\"]",
	                      "invalid JSON");
	/* A raw NUL byte inside the buffer. */
	expect_json_error(raw, sizeof(raw) - 1, "invalid JSON");
}

Test(edgar_json_hostile, error_pages)
{
	expect_json_error_s("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                    "<Error><Code>NoSuchKey</Code><Message>The "
	                    "specified key does not exist.</Message></Error>",
	                    "XML error document (NoSuchKey)");
	expect_json_error_s("<!DOCTYPE html><html><head><title>SEC.gov | "
	                    "Request Rate Threshold Exceeded</title>",
	                    "not JSON but XML or HTML");
	expect_json_error_s("<Error><Code>\x1b[31mX</Code></Error>", "([31mX)");
	expect_json_error_s("Service Unavailable", "invalid JSON");
}

/* ------------------------------------------------------------------ */
/* Index files: real samples */

struct index_case {
	const char *file;
	enum edgar_index_kind kind;
	size_t rows;
	const char *first[6]; /* cik company form filed accession url */
	const char *last[6];
};

static void
check_index_case(const struct index_case *c)
{
	struct edgar_index_info info;
	struct filing_list l;
	const struct filing *f;
	int k;

	filing_list_init(&l);
	cr_assert_eq(parse_index_fixture(&l, c->file, &info), ST_OK, "%s: %s",
	             c->file, err_msg());
	cr_assert_eq(info.kind, c->kind, "%s kind", c->file);
	cr_assert_eq(l.n, c->rows, "%s rows: %zu", c->file, l.n);
	cr_assert_eq(info.rows, c->rows);
	cr_assert_eq(info.bad_lines, 0, "%s bad lines, first %zu: %s", c->file,
	             info.first_bad, err_msg());
	check_invariants(&l);
	for (k = 0; k < 2 && l.n; k++) {
		const char *const *w = k ? c->last : c->first;

		f = k ? &l.v[l.n - 1] : &l.v[0];
		expect_filing(f, w[0], w[1], w[2], w[3], w[4], NULL, NULL, w[5],
		              NULL);
	}
	filing_list_release(&l);
}

#define A "https://www.sec.gov/Archives/edgar/data/"

static const struct index_case index_cases[] = {
    {"sec-edgar-index/daily-index_master.20200103_first200.idx",
     EDGAR_INDEX_MASTER,
     193,
     {"1000229", "CORE LABORATORIES N V", "4", "2020-01-03",
      "0001209191-20-000788", A "1000229/0001209191-20-000788.txt"},
     {"1023844", "NATIONAL HOLDINGS CORP", "4", "2020-01-03",
      "0001437749-20-000183", A "1023844/0001437749-20-000183.txt"}},
    {"sec-edgar-index/daily-index_master.20181231_excerpt.idx",
     EDGAR_INDEX_MASTER,
     10,
     {"1000228", "HENRY SCHEIN INC", "4", "2018-12-31", "0001209191-18-064398",
      A "1000228/0001209191-18-064398.txt"},
     /* the last row has no trailing newline */
     {"10048", "BARNWELL INDUSTRIES INC", "4", "2018-12-31",
      "0000899681-18-000091", A "10048/0000899681-18-000091.txt"}},
    {"sec-edgar-index/full-index_master_1993QTR4_excerpt.idx",
     EDGAR_INDEX_MASTER,
     20,
     {"1095785", "SAGE CAPITAL LP", "REGDEX", "1993-12-30",
      "9999999997-02-056978", A "1095785/9999999997-02-056978.txt"},
     {"926688", "SMITH THOMAS W", "13FCONP", "1993-11-15",
      "9999999997-05-015669", A "926688/9999999997-05-015669.txt"}},
    {"sec-edgar-index/daily-index_form.20200318_first300.idx",
     EDGAR_INDEX_FORM,
     290,
     {"1806014", "DLP Positive Note Fund LLC", "1-A", "2020-03-18",
      "0001140361-20-006155", A "1806014/0001140361-20-006155.txt"},
     {"1387467", "ALPHA & OMEGA SEMICONDUCTOR Ltd", "4", "2020-03-18",
      "0001387467-20-000016", A "1387467/0001387467-20-000016.txt"}},
    {"sec-edgar-index/full-index_form_2021QTR1_excerpt.idx",
     EDGAR_INDEX_FORM,
     10,
     {"1838675", "A-Game Beverages, Inc.", "1-A", "2021-02-05",
      "0001213900-21-007106", A "1838675/0001213900-21-007106.txt"},
     {"1225152", "UOB GLOBAL EQUITY SALES LLC", "X-17A-5", "2021-02-25",
      "0001225152-21-000002", A "1225152/0001225152-21-000002.txt"}},
    {"sec-edgar-index/full-index_form_no-rows_lastdata-2025-03-29.idx",
     EDGAR_INDEX_FORM,
     0,
     {NULL},
     {NULL}},
    {"sec-edgar-index/daily-index_company.20221003_first300.idx",
     EDGAR_INDEX_COMPANY,
     289,
     {"1700461", "1st stREIT Office Inc.", "1-A POS", "2022-10-03",
      "0001104659-22-105357", A "1700461/0001104659-22-105357.txt"},
     {"1815974", "Anebulo Pharmaceuticals, Inc.", "4", "2022-10-03",
      "0001209191-22-051983", A "1815974/0001209191-22-051983.txt"}},
    {"sec-edgar-index/daily-index_crawler.20230703_first120.idx",
     EDGAR_INDEX_CRAWLER,
     110,
     {"1975393", "3J LLC", "D", "2023-07-03", "0001975393-23-000001",
      A "1975393/0001975393-23-000001-index.htm"},
     {"1823794", "ARKO Corp.", "4", "2023-07-03", "0001209191-23-040543",
      A "1823794/0001209191-23-040543-index.htm"}},
};

Test(edgar_index, real_samples)
{
	size_t i;

	for (i = 0; i < sizeof(index_cases) / sizeof(*index_cases); i++)
		check_index_case(&index_cases[i]);
}

static const struct filing *
find_accession(const struct filing_list *l, const char *acc)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].accession, acc))
			return &l->v[i];
	cr_assert_fail("accession %s not found", acc);
	return NULL;
}

Test(edgar_index, overflowing_company_name)
{
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_index_fixture(&l,
	                                 "sec-edgar-index/full-index_form_"
	                                 "2021QTR1_excerpt.idx",
	                                 NULL),
	             ST_OK);
	/* 64 characters in a 62-character column: everything shifted by 4. */
	expect_filing(find_accession(&l, "9999999997-21-003146"), "820694",
	              "UNITED PLANNERS' FINANCIAL SERVICES OF AMERICA A "
	              "LIMITED PARTNER",
	              "X-17A-5", "2021-02-24", "9999999997-21-003146", NULL,
	              NULL, A "820694/9999999997-21-003146.txt", NULL);
	expect_str(l.v[5].form, "1-A POS", "form with a space");
	filing_list_release(&l);
}

Test(edgar_index, master_quirks)
{
	struct filing_list l;
	const struct filing *f;

	filing_list_init(&l);
	cr_assert_eq(parse_index_fixture(&l,
	                                 "sec-edgar-index/daily-index_master."
	                                 "20200103_first200.idx",
	                                 NULL),
	             ST_OK);
	f = find_accession(&l, "0001005284-20-000002");
	expect_str(f->company, "UNIVERSAL DISPLAY CORP \\PA\\", "company");
	/* A daily index lists filings dated months before the index day. */
	f = find_accession(&l, "9999999997-20-000025");
	expect_str(f->form, "REVOKED", "form");
	expect_str(f->filed, "2019-07-26", "filed");
	f = find_accession(&l, "0000000000-19-013912");
	expect_str(f->form, "UPLOAD", "form");
	filing_list_release(&l);

	filing_list_init(&l);
	cr_assert_eq(parse_index_fixture(&l,
	                                 "sec-edgar-index/full-index_master_"
	                                 "1993QTR4_excerpt.idx",
	                                 NULL),
	             ST_OK);
	f = find_accession(&l, "0001021408-01-503754");
	expect_str(f->company, "MORGAN STANLEY DEAN WITTER & CO", "company");
	expect_str(l.v[17].company,
	           "AFFILIATE STKHLDRS OF MORGAN STANLEY DEAN WITTER "
	           "DISCOVER&CO",
	           "company");
	filing_list_release(&l);
}

/* Every sample, rewritten with CRLF line ends, parses to the same rows. */
Test(edgar_index, crlf_same_as_lf)
{
	size_t i, k;

	for (i = 0; i < sizeof(index_cases) / sizeof(*index_cases); i++) {
		struct strbuf lf = STRBUF_INIT, crlf = STRBUF_INIT;
		struct filing_list a, b;

		read_fixture(&lf, index_cases[i].file);
		for (k = 0; k < lf.len; k++) {
			if (lf.buf[k] == '\n')
				strbuf_addch(&crlf, '\r');
			strbuf_addch(&crlf, lf.buf[k]);
		}
		filing_list_init(&a);
		filing_list_init(&b);
		cr_assert_eq(edgar_parse_index(&a, lf.buf, lf.len, "lf", NULL),
		             ST_OK);
		cr_assert_eq(
		    edgar_parse_index(&b, crlf.buf, crlf.len, "crlf", NULL),
		    ST_OK, "%s", err_msg());
		cr_assert_eq(a.n, b.n, "%s", index_cases[i].file);
		for (k = 0; k < a.n; k++) {
			cr_assert_str_eq(a.v[k].company, b.v[k].company);
			cr_assert_str_eq(a.v[k].form, b.v[k].form);
			cr_assert_str_eq(a.v[k].url, b.v[k].url);
		}
		filing_list_release(&a);
		filing_list_release(&b);
		strbuf_release(&lf);
		strbuf_release(&crlf);
	}
}

/* ------------------------------------------------------------------ */
/* Index files: synthetic and hostile */

Test(edgar_index, master_name_with_pipe)
{
	static const char text[] = MASTER_HEAD
	    "350001|Company Name Three `!#$(),:;=.-;\\|@/{}&'\\WA\\|"
	    "8-K|2025-03-05|edgar/data/350001/"
	    "0000350001-25-000001.txt\n";
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_index_s(&l, text, NULL), ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 1);
	expect_str(l.v[0].company,
	           "Company Name Three `!#$(),:;=.-;\\|@/{}&'\\WA\\",
	           "company");
	expect_str(l.v[0].form, "8-K", "form");
	filing_list_release(&l);
}

Test(edgar_index, overlong_form_and_company)
{
	static const char form_text[] = FORM_HEAD
	    "SCHEDULE 13D/A  NVIDIA CORP                                       "
	    " "
	    "           1045810     2025-02-14  edgar/data/1045810/"
	    "0001045810-25-000001.txt\n"
	    "SC 13G      AN EXTREMELY LONG COMPANY NAME THAT GOES ON AND ON "
	    "AND "
	    "ON AND ON LLC  1234567     2025-02-14  edgar/data/1234567/"
	    "0001234567-25-000002.txt\n";
	static const char company_text[] =
	    "Description:           Daily Index of EDGAR Dissemination Feed by "
	    "Company Name\n\n"
	    "Company Name                                                  "
	    "Form "
	    "Type   CIK\n"
	    "      Date Filed  File Name\n"
	    "------------------------------------------------------------------"
	    "-"
	    "-----\n"
	    "AN EXTREMELY LONG COMPANY NAME  THAT GOES ON AND ON AND ON AND ON "
	    "LLC  SCHEDULE 13D/A  1234567     20250214    edgar/data/1234567/"
	    "0001234567-25-000002.txt   \n";
	struct edgar_index_info info;
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_index_s(&l, form_text, &info), ST_OK, "%s",
	             err_msg());
	cr_assert_eq(info.kind, EDGAR_INDEX_FORM);
	cr_assert_eq(l.n, 2);
	expect_str(l.v[0].form, "SCHEDULE 13D/A", "form");
	expect_str(l.v[0].company, "NVIDIA CORP", "company");
	expect_str(l.v[1].form, "SC 13G", "form");
	expect_str(l.v[1].company,
	           "AN EXTREMELY LONG COMPANY NAME THAT GOES ON AND ON AND ON "
	           "AND ON LLC",
	           "company");
	filing_list_release(&l);

	cr_assert_eq(parse_index_s(&l, company_text, &info), ST_OK, "%s",
	             err_msg());
	cr_assert_eq(info.kind, EDGAR_INDEX_COMPANY);
	cr_assert_eq(l.n, 1);
	/* The last gap splits, not the double space inside the name. */
	cr_expect(
	    !strncmp(l.v[0].company, "AN EXTREMELY LONG COMPANY NAME", 30),
	    "%s", l.v[0].company);
	cr_expect(
	    strstr(l.v[0].company, "THAT GOES ON AND ON AND ON AND ON LLC"),
	    "%s", l.v[0].company);
	expect_str(l.v[0].form, "SCHEDULE 13D/A", "form");
	expect_str(l.v[0].filed, "2025-02-14", "filed");
	filing_list_release(&l);
}

Test(edgar_index, header_only)
{
	struct edgar_index_info info;
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_index_s(&l, MASTER_HEAD, &info), ST_OK);
	cr_assert_eq(l.n, 0);
	cr_assert_eq(info.kind, EDGAR_INDEX_MASTER);
	cr_assert_eq(parse_index_s(&l, FORM_HEAD "\n\n  \n", &info), ST_OK);
	cr_assert_eq(l.n, 0);
	cr_assert_eq(info.bad_lines, 0);
	filing_list_release(&l);
}

static void
expect_index_error(const char *text, size_t len, const char *needle)
{
	struct filing_list l;
	static const char good[] = MASTER_HEAD MASTER_ROW1;

	filing_list_init(&l);
	cr_assert_eq(edgar_parse_index(&l, good, strlen(good), "good", NULL),
	             ST_OK);
	err_clear();
	cr_assert_eq(edgar_parse_index(&l, text, len, "hostile.idx", NULL),
	             ST_DATAERR, "accepted: %.200s", text);
	cr_assert_eq(l.n, 1, "rows leaked from a failed parse");
	cr_assert(strstr(err_msg(), "hostile.idx"), "message: %s", err_msg());
	if (needle)
		cr_assert(strstr(err_msg(), needle),
		          "message \"%s\" lacks \"%s\"", err_msg(), needle);
	filing_list_release(&l);
}

static void
expect_index_error_s(const char *text, const char *needle)
{
	expect_index_error(text, strlen(text), needle);
}

Test(edgar_index_hostile, not_an_index)
{
	static const char nul[] = MASTER_HEAD "1000229|CORE\0LABS|4|20200103|"
	                                      "edgar/data/1000229/"
	                                      "0001209191-20-000788.txt\n";
	static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00";

	expect_index_error("", 0, "empty");
	expect_index_error(nul, sizeof(nul) - 1, "NUL byte at offset");
	expect_index_error(gz, sizeof(gz) - 1, "gzip");
	expect_index_error_s("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                     "<Error><Code>AccessDenied</Code></Error>",
	                     "no \"-----\" separator");
	expect_index_error_s("{\"directory\":{\"name\":\"daily-index/\"}}",
	                     "no \"-----\" separator");
}

Test(edgar_index_hostile, missing_separator)
{
	/* Only the header: no separator, no rows. */
	expect_index_error_s(
	    "Description:           Daily Index of EDGAR "
	    "Dissemination Feed\n"
	    "CIK|Company Name|Form Type|Date Filed|File Name\n",
	    "no \"-----\" separator");
	/* Rows but no separator: still refused, rows are not guessed at. */
	expect_index_error_s(
	    "CIK|Company Name|Form Type|Date Filed|File Name\n" MASTER_ROW1
	        MASTER_ROW2,
	    "separator");
	/* Separator without a column header we know. */
	expect_index_error_s("Description: something else\n"
	                     "Name|Value\n"
	                     "------------------------------\n" MASTER_ROW1,
	                     "no known column header");
}

Test(edgar_index_hostile, preamble_too_long)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	for (i = 0; i < 100; i++)
		strbuf_adds(&sb, "Comments: padding\n");
	strbuf_adds(&sb, MASTER_HEAD MASTER_ROW1);
	expect_index_error(sb.buf, sb.len, "separator");
	strbuf_release(&sb);
}

Test(edgar_index_hostile, megabyte_line)
{
	struct strbuf sb = STRBUF_INIT;
	struct edgar_index_info info;
	struct filing_list l;

	strbuf_adds(&sb, MASTER_HEAD MASTER_ROW1);
	strbuf_adds(&sb, "1|");
	while (sb.len < (1u << 20))
		strbuf_addch(&sb, 'A');
	strbuf_adds(&sb, "|4|20200103|edgar/data/1/0000000001-20-000001.txt\n");
	strbuf_adds(&sb, MASTER_ROW2 MASTER_ROW3);

	filing_list_init(&l);
	cr_assert_eq(edgar_parse_index(&l, sb.buf, sb.len, "big.idx", &info),
	             ST_OK);
	cr_assert_eq(l.n, 3);
	cr_assert_eq(info.bad_lines, 1);
	cr_assert_eq(info.first_bad, 9);
	cr_assert(strstr(err_msg(), "line 9: line too long"), "%s", err_msg());
	filing_list_release(&l);

	/* Alone, it is more than half of the data: the file is refused. */
	strbuf_reset(&sb);
	strbuf_adds(&sb, MASTER_HEAD);
	while (sb.len < (1u << 20))
		strbuf_addch(&sb, '|');
	expect_index_error(sb.buf, sb.len, "1 of 1 lines do not parse");
	/* A megabyte preamble line is skipped, not read. */
	strbuf_reset(&sb);
	while (sb.len < (1u << 20))
		strbuf_addch(&sb, 'x');
	strbuf_adds(&sb, "\n" MASTER_HEAD MASTER_ROW1);
	filing_list_init(&l);
	cr_assert_eq(edgar_parse_index(&l, sb.buf, sb.len, "t", NULL), ST_OK);
	cr_assert_eq(l.n, 1);
	filing_list_release(&l);
	strbuf_release(&sb);
}

Test(edgar_index_hostile, garbage_lines_mixed_in)
{
	static const char some[] = MASTER_HEAD MASTER_ROW1
	    "garbage\n" MASTER_ROW2
	    "1|X|4|20200231|edgar/data/1/0000000001-20-000001.txt\n"
	    "1|X|4|20200103|../../etc/passwd\n" MASTER_ROW3
	    "1|X|4|20200103|edgar/data/1/0000000001-20-000001.txt\n"
	    "x1|X|4|20200103|edgar/data/1/0000000001-20-000001.txt\n"
	    "12345678901|X|4|20200103|edgar/data/1/0000000001-20-000001.txt\n"
	    "1||4|20200103|edgar/data/1/0000000001-20-000001.txt\n" MASTER_ROW1
	        MASTER_ROW2;
	static const char most[] = MASTER_HEAD
	    "garbage\n" MASTER_ROW1 "more garbage\n"
	    "1|X|4|2020-1-3|edgar/data/1/0000000001-20-000001.txt\n";
	struct edgar_index_info info;
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_index_s(&l, some, &info), ST_OK, "%s", err_msg());
	/* Six of twelve: exactly half bad is still accepted. */
	cr_assert_eq(l.n, 6);
	cr_assert_eq(info.bad_lines, 6);
	cr_assert_eq(info.first_bad, 9);
	cr_assert(strstr(err_msg(), "skipped 6 of 12 lines (first: line 9: "
	                            "fewer than 5"),
	          "%s", err_msg());
	expect_str(l.v[3].accession, "0000000001-20-000001", "accession");
	filing_list_release(&l);

	expect_index_error_s(most, "3 of 4 lines do not parse (first: line 8");
}

Test(edgar_index_hostile, fixed_width_garbage)
{
	static const char text[] = FORM_HEAD
	    "10-K        GOOD CO                                               "
	    "        1234        20250101    edgar/data/1234/"
	    "0000001234-25-000001.txt\n"
	    "            NO FORM CO                                            "
	    "        1234        20250101    edgar/data/1234/"
	    "0000001234-25-000001.txt\n"
	    "10-K 20250101 edgar/data/1234/0000001234-25-000001.txt\n"
	    "10-K        GOOD CO                                               "
	    "        1234        20250101    http://example.com/x.txt\n"
	    "10-K        GOOD CO                                               "
	    "        1234        20250101    edgar/data/1234/"
	    "0000001234-25-000002.txt\n"
	    "10-K        GOOD CO                                               "
	    "        1234        20250101    edgar/data/1234/"
	    "0000001234-25-000003.txt\n";
	struct edgar_index_info info;
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_index_s(&l, text, &info), ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 3);
	cr_assert_eq(info.bad_lines, 3);
	cr_assert_eq(info.first_bad, 12);
	filing_list_release(&l);
}

Test(edgar_index_hostile, dirty_text_cleaned)
{
	static const char text[] =
	    MASTER_HEAD "1234|\x1b]0;pwned\x07 CAF\xc3\x89 \xff\xfe "
	                "CO\r\t|8-K\x1b|20250101|"
	                "edgar/data/1234/0000001234-25-000001.txt\r\n";
	struct filing_list l;

	filing_list_init(&l);
	cr_assert_eq(parse_index_s(&l, text, NULL), ST_OK, "%s", err_msg());
	cr_assert_eq(l.n, 1);
	expect_clean(l.v[0].company);
	cr_expect(strstr(l.v[0].company, "pwned") &&
	              strstr(l.v[0].company, "CAF\xc3\x89") &&
	              strstr(l.v[0].company, "CO"),
	          "%s", l.v[0].company);
	expect_str(l.v[0].form, "8-K", "form");
	filing_list_release(&l);
}

Test(edgar_index_hostile, long_company_name_cut)
{
	struct strbuf sb = STRBUF_INIT;
	struct filing_list l;
	int i;

	strbuf_adds(&sb, MASTER_HEAD "1234|   ");
	for (i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'A' + i % 26);
	strbuf_adds(&sb,
	            "|4|20250101|edgar/data/1234/0000001234-25-000001.txt");
	filing_list_init(&l);
	cr_assert_eq(edgar_parse_index(&l, sb.buf, sb.len, "t", NULL), ST_OK);
	cr_assert_eq(l.n, 1);
	/* Cut to at most 512 bytes, leading blanks gone. */
	cr_assert_leq(strlen(l.v[0].company), 512);
	cr_assert_geq(strlen(l.v[0].company), 500);
	cr_assert(!strncmp(l.v[0].company, "ABCDEFG", 7));
	filing_list_release(&l);
	strbuf_release(&sb);
}

/* ------------------------------------------------------------------ */
/* Eastern time */

static void
expect_utc(const char *in, const char *want)
{
	char out[EDGAR_UTC_SIZE];

	cr_assert(edgar_accepted_to_utc(in, out, sizeof(out)), "%s refused",
	          in);
	cr_expect_str_eq(out, want, "%s", in);
}

static void
expect_bad_time(const char *in)
{
	char out[EDGAR_UTC_SIZE] = "untouched";

	cr_expect(!edgar_accepted_to_utc(in, out, sizeof(out)), "%s accepted",
	          in);
	cr_expect_str_eq(out, "untouched");
}

Test(edgar_time, dst_2024)
{
	/* Spring forward: Sunday 10 March 2024, 02:00 EST -> 03:00 EDT. */
	expect_utc("2024-03-10T00:59:59.000Z", "2024-03-10T05:59:59Z");
	expect_utc("2024-03-10T01:59:59.000Z", "2024-03-10T06:59:59Z");
	expect_utc("2024-03-10T03:00:00.000Z", "2024-03-10T07:00:00Z");
	expect_utc("2024-03-10T03:59:59.000Z", "2024-03-10T07:59:59Z");
	/* The skipped hour never happens; read as EST (zoneinfo fold=0). */
	expect_utc("2024-03-10T02:30:00.000Z", "2024-03-10T07:30:00Z");
	expect_utc("2024-03-09T12:00:00.000Z", "2024-03-09T17:00:00Z");
	/* Fall back: Sunday 3 November 2024, 02:00 EDT -> 01:00 EST. */
	expect_utc("2024-11-03T00:59:59.000Z", "2024-11-03T04:59:59Z");
	/* The repeated hour reads as its first pass, EDT. */
	expect_utc("2024-11-03T01:00:00.000Z", "2024-11-03T05:00:00Z");
	expect_utc("2024-11-03T01:59:59.000Z", "2024-11-03T05:59:59Z");
	expect_utc("2024-11-03T02:00:00.000Z", "2024-11-03T07:00:00Z");
	expect_utc("2024-11-03T02:59:59.000Z", "2024-11-03T07:59:59Z");
	expect_utc("2024-11-04T09:00:00.000Z", "2024-11-04T14:00:00Z");
}

Test(edgar_time, dst_2006_old_rule)
{
	/* 2006: first Sunday of April (2nd) to last Sunday of October (29th). */
	expect_utc("2006-03-12T12:00:00.000Z", "2006-03-12T17:00:00Z");
	expect_utc("2006-04-02T01:59:59.000Z", "2006-04-02T06:59:59Z");
	expect_utc("2006-04-02T03:00:00.000Z", "2006-04-02T07:00:00Z");
	expect_utc("2006-04-02T02:30:00.000Z", "2006-04-02T07:30:00Z");
	expect_utc("2006-10-29T00:59:59.000Z", "2006-10-29T04:59:59Z");
	expect_utc("2006-10-29T01:30:00.000Z", "2006-10-29T05:30:00Z");
	expect_utc("2006-10-29T02:00:00.000Z", "2006-10-29T07:00:00Z");
	expect_utc("2006-11-01T12:00:00.000Z", "2006-11-01T17:00:00Z");
	/* 2007: the new rule's first year (second Sunday of March, 11th). */
	expect_utc("2007-03-11T01:59:59.000Z", "2007-03-11T06:59:59Z");
	expect_utc("2007-03-11T03:00:00.000Z", "2007-03-11T07:00:00Z");
	expect_utc("2007-04-01T12:00:00.000Z", "2007-04-01T16:00:00Z");
	expect_utc("2007-11-04T00:59:59.000Z", "2007-11-04T04:59:59Z");
	expect_utc("2007-11-04T02:00:00.000Z", "2007-11-04T07:00:00Z");
	expect_utc("1994-01-26T10:00:00.000Z", "1994-01-26T15:00:00Z");
}

Test(edgar_time, rollover_and_formats)
{
	expect_utc("2024-12-31T22:00:00.000Z", "2025-01-01T03:00:00Z");
	expect_utc("2024-02-29T23:00:00.000Z", "2024-03-01T04:00:00Z");
	expect_utc("2023-02-28T20:00:00.000Z", "2023-03-01T01:00:00Z");
	expect_utc("2025-01-29T12:24:33", "2025-01-29T17:24:33Z");
	expect_utc("2025-01-29T12:24:33.5Z", "2025-01-29T17:24:33Z");
	/* Atom <updated> carries a real offset, honoured as written. */
	expect_utc("2025-01-24T16:00:43-05:00", "2025-01-24T21:00:43Z");
	expect_utc("2021-04-29T16:45:49-04:00", "2021-04-29T20:45:49Z");
	expect_utc("2025-01-24T03:00:00+05:30", "2025-01-23T21:30:00Z");
	/* usgaap.rss acceptanceDatetime, Eastern. */
	expect_utc("20251212180243", "2025-12-12T23:02:43Z");
}

Test(edgar_time, malformed)
{
	char small[EDGAR_UTC_SIZE - 1];

	expect_bad_time("");
	expect_bad_time("2024-01-01");
	expect_bad_time("2024-02-30T00:00:00.000Z");
	expect_bad_time("2023-02-29T00:00:00.000Z");
	expect_bad_time("2024-01-01T24:00:00.000Z");
	expect_bad_time("2024-01-01T23:60:00.000Z");
	expect_bad_time("2024-01-01T23:00:60.000Z");
	expect_bad_time("2024-01-01T00:00:00.Z");
	expect_bad_time("2024-01-01T00:00:00.000Zjunk");
	expect_bad_time("2024-01-01T00:00:00+25:00");
	expect_bad_time("2024-01-01T00:00:00+05");
	expect_bad_time("2024-1-01T00:00:00Z");
	expect_bad_time("0000-01-01T00:00:00Z");
	expect_bad_time("20241301000000");
	expect_bad_time("yesterday");
	cr_expect(!edgar_accepted_to_utc(NULL, small, sizeof(small)));
	cr_expect(!edgar_accepted_to_utc("2024-01-01T00:00:00Z", small,
	                                 sizeof(small)));
}

/* ------------------------------------------------------------------ */
/* CIK, User-Agent, URLs */

Test(edgar_cik, normalize)
{
	char out[EDGAR_CIK_SIZE];

	cr_assert(edgar_cik_normalize("0000320193", out, sizeof(out)));
	cr_expect_str_eq(out, "320193");
	cr_assert(edgar_cik_normalize("320193", out, sizeof(out)));
	cr_expect_str_eq(out, "320193");
	cr_assert(edgar_cik_normalize("9999999999", out, sizeof(out)));
	cr_expect_str_eq(out, "9999999999");
	cr_assert(edgar_cik_normalize("0000000001", out, sizeof(out)));
	cr_expect_str_eq(out, "1");

	strcpy(out, "untouched");
	cr_expect(!edgar_cik_normalize("00000320193", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("12345678901", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("0000000000", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("0", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("CIK0000320193", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("320193 ", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize(" 320193", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("-320193", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("32o193", out, sizeof(out)));
	cr_expect(!edgar_cik_normalize(NULL, out, sizeof(out)));
	cr_expect(!edgar_cik_normalize("320193", out, 6));
	cr_expect_str_eq(out, "untouched");
	cr_expect(edgar_cik_normalize("320193", out, 7));
}

Test(edgar_ua, good)
{
	static const char *const good[] = {
	    "Sample Company Name AdminContact@samplecompany.com",
	    "oligo/0.1 (Jane Doe jane.doe@university.edu)",
	    "Acme Research ops@acme-research.co.uk",
	    "Jane Doe <jane@doe.org>",
	    "Jane jane+sec@doe.io",
	    "ACME Corp. compliance@acme.com.",
	    "oligo jd@x.co",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		cr_expect(edgar_user_agent_ok(good[i]), "refused: %s", good[i]);
}

Test(edgar_ua, bad)
{
	static const char *const bad[] = {
	    "",
	    " ",
	    "curl/7.88.1",
	    "python-requests/2.31.0",
	    "Go-http-client/1.1",
	    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
	    "oligo/0.1",
	    "Jane Doe",
	    "jane@doe.org",
	    "<jane@doe.org>",
	    "jane@doe.org jane@doe.org",
	    "Jane Doe jane@localhost",
	    "Jane Doe jane@doe",
	    "Jane Doe jane@@doe.org",
	    "Jane Doe @doe.org",
	    "Jane Doe jane@.org",
	    "Jane Doe jane@doe..org",
	    "Jane Doe jane@-doe.org",
	    "Jane Doe jane@doe.o",
	    "Jane Doe jane@doe.123",
	    "Jane Doe .jane@doe.org",
	    "Jane Doe jane@example.com",
	    "Jane Doe jane@mail.example.org",
	    "Jane Doe jane@corp.test",
	    "Jane Doe jane@corp.invalid",
	    "Sample Company Name AdminContact@<sample company domain>.com",
	    "Jane Doe\r\nX-Injected: 1 jane@doe.org",
	    "Jane Doe jane@doe.org\n",
	    "Jane\tDoe jane@doe.org",
	    "J\xc3\xa9r\xc3\xb4me Doe jerome@doe.org",
	    "1 2 3 jane@doe.org",
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect(!edgar_user_agent_ok(bad[i]), "accepted: %s", bad[i]);
	cr_expect(!edgar_user_agent_ok(NULL));
	strbuf_adds(&sb, "Jane Doe jane@doe.org ");
	while (sb.len < 10000)
		strbuf_adds(&sb, "padding ");
	cr_expect(!edgar_user_agent_ok(sb.buf), "10 KB accepted");
	strbuf_release(&sb);
}

static void
expect_url(char *got, const char *want)
{
	if (!want) {
		cr_expect_null(got, "want NULL, got %s", got);
		free(got);
		return;
	}
	cr_assert_not_null(got, "want %s", want);
	cr_expect_str_eq(got, want);
	free(got);
}

Test(edgar_url, builders)
{
	expect_url(edgar_submissions_url("320193"),
	           "https://data.sec.gov/submissions/CIK0000320193.json");
	expect_url(edgar_submissions_url("0000320193"),
	           "https://data.sec.gov/submissions/CIK0000320193.json");
	expect_url(edgar_submissions_url("1889983"),
	           "https://data.sec.gov/submissions/CIK0001889983.json");
	expect_url(edgar_submissions_url("-000000001"), NULL);
	expect_url(edgar_submissions_url(NULL), NULL);
	expect_url(edgar_submissions_url("AAPL"), NULL);

	expect_url(edgar_company_atom_url("789019", "10-K"),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany"
	           "&CIK=0000789019&type=10-K&dateb=&owner=include&start=0"
	           "&count=40&output=atom");
	expect_url(edgar_company_atom_url("0001045810", NULL),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany"
	           "&CIK=0001045810&type=&dateb=&owner=include&start=0"
	           "&count=40&output=atom");
	expect_url(edgar_company_atom_url("1045810", "SC 13D/A&x=1"),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany"
	           "&CIK=0001045810&type=SC%2013D%2FA%26x%3D1&dateb=&owner="
	           "include&start=0&count=40&output=atom");
	expect_url(edgar_company_atom_url("x", "10-K"), NULL);

	expect_url(edgar_current_atom_url(NULL, 0, 100),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent"
	           "&count=100&start=0&type=&owner=include&output=atom");
	expect_url(edgar_current_atom_url("8-K", 200, 30),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent"
	           "&count=40&start=200&type=8-K&owner=include&output=atom");
	expect_url(edgar_current_atom_url("4", 0, 0),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent"
	           "&count=100&start=0&type=4&owner=include&output=atom");
	expect_url(edgar_current_atom_url(NULL, 0, 500),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent"
	           "&count=100&start=0&type=&owner=include&output=atom");
	expect_url(edgar_current_atom_url(NULL, 0, 1),
	           "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent"
	           "&count=10&start=0&type=&owner=include&output=atom");

	expect_url(edgar_daily_index_url(2020, 1, 3, "master"),
	           "https://www.sec.gov/Archives/edgar/daily-index/2020/QTR1/"
	           "master.20200103.idx");
	expect_url(edgar_daily_index_url(2023, 7, 3, "crawler"),
	           "https://www.sec.gov/Archives/edgar/daily-index/2023/QTR3/"
	           "crawler.20230703.idx");
	expect_url(edgar_daily_index_url(2022, 12, 31, "form"),
	           "https://www.sec.gov/Archives/edgar/daily-index/2022/QTR4/"
	           "form.20221231.idx");
	expect_url(edgar_daily_index_url(2020, 4, 1, "company"),
	           "https://www.sec.gov/Archives/edgar/daily-index/2020/QTR2/"
	           "company.20200401.idx");
	expect_url(edgar_daily_index_url(2023, 2, 29, "master"), NULL);
	expect_url(edgar_daily_index_url(2023, 13, 1, "master"), NULL);
	expect_url(edgar_daily_index_url(2023, 1, 1, "../x"), NULL);
	expect_url(edgar_daily_index_url(2023, 1, 1, NULL), NULL);
	expect_url(edgar_daily_index_url(1850, 1, 1, "master"), NULL);

	expect_url(edgar_full_index_url(2021, 1, "form"),
	           "https://www.sec.gov/Archives/edgar/full-index/2021/QTR1/"
	           "form.idx");
	expect_url(edgar_full_index_url(1993, 4, "xbrl"),
	           "https://www.sec.gov/Archives/edgar/full-index/1993/QTR4/"
	           "xbrl.idx");
	expect_url(edgar_full_index_url(2021, 5, "form"), NULL);
	expect_url(edgar_full_index_url(2021, 1, "sitemap"), NULL);
}
