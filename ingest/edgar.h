#ifndef OLIGO_INGEST_EDGAR_H
#define OLIGO_INGEST_EDGAR_H

/*
 * SEC EDGAR lists of filings: parse the two machine-readable ones oligo
 * ingests into one row type, struct filing, and build the URLs that EDGAR
 * serves them (and the company/current Atom feeds) at.
 *
 *   - data.sec.gov/submissions/CIK##########.json: one company's recent
 *     filings as parallel arrays (edgar_parse_submissions());
 *   - Archives/edgar/{full,daily}-index/.../{master,form,company,crawler}
 *     .idx: one day's or quarter's filings by everyone
 *     (edgar_parse_index()).
 *
 * No I/O happens here.  The caller fetches (with a declared User-Agent, see
 * edgar_user_agent_ok()) and hands the bytes over as (pointer, length); the
 * input need not be NUL-terminated.
 *
 * Ownership: a filing_list owns its rows and every string in them.
 *
 * Row invariants after a successful parse:
 *   - cik, company, form, filed, accession and url are never NULL;
 *     accepted, primary_doc and description are NULL when the source has
 *     none (index files never have them);
 *   - every string is valid UTF-8 without control characters (C0, DEL,
 *     C1) and without leading or trailing spaces, so it can be stored and
 *     printed as is;
 *   - company is cut to 512 bytes and description to 1024 (at a
 *     character boundary); form is 1-32 bytes;
 *   - cik is 1-10 digits without leading zeros, filed is YYYY-MM-DD,
 *     accession is NNNNNNNNNN-NN-NNNNNN, accepted is YYYY-MM-DDTHH:MM:SSZ
 *     in true UTC (see edgar_accepted_to_utc()), url starts with
 *     "https://www.sec.gov/Archives/edgar/data/".
 *
 * Errors: the parsers return ST_OK or ST_DATAERR, and on failure err_msg()
 * names the document (name_for_errors) and what is wrong with it.  Rows
 * are appended all or nothing: on failure *out is exactly as it was.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "lib/status.h"

/* Submissions JSON larger than this is refused before parsing. */
#define EDGAR_JSON_MAX_BYTES (32u << 20)

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define EDGAR_UTC_SIZE 21

/* Room for a CIK of at most 10 digits and its NUL. */
#define EDGAR_CIK_SIZE 11

struct filing {
	char *cik;       /* digits, no leading zeros: "320193" */
	char *company;   /* conformed name, e.g. "Apple Inc." */
	char *form;      /* form type, e.g. "10-K", "SC 13D/A" */
	char *filed;     /* filing date, YYYY-MM-DD */
	char *accession; /* "0001234567-25-000123" */
	char *accepted;  /* acceptance time, true UTC, or NULL */
	/*
	 * "aapl-20240928.htm", "xslF345X02/form4.xml": a relative path inside
	 * the filing's folder (no "." or ".." segment, no leading '/'), or
	 * NULL.
	 */
	char *primary_doc;
	/*
	 * The primary document when known, else what the source points at:
	 * the filing index page (submissions JSON, crawler.idx) or the full
	 * submission text file (master/form/company.idx).
	 */
	char *url;
	char *description; /* primary document description, or NULL */
};

struct filing_list {
	struct filing *v;
	size_t n, alloc;
};

void filing_list_init(struct filing_list *list);

/* Free every row and its strings; leaves an empty list ready for reuse. */
void filing_list_release(struct filing_list *list);

/*
 * Parse a data.sec.gov submissions document (CIK##########.json).
 *
 * Rows come from the parallel arrays in filings.recent, in document order
 * (newest first); company is the top-level "name".  The arrays must all
 * have the same length.  accessionNumber, filingDate and form are
 * required; acceptanceDateTime, primaryDocument and primaryDocDescription
 * may be missing; every other key is ignored, so schema additions
 * (core_type, isXBRLNumeric, ...) do not break parsing.  A company with no
 * filings (empty arrays) gives zero rows and ST_OK.
 *
 * The JSON is read strictly (jansson): duplicate keys, \u0000, invalid
 * UTF-8, trailing garbage and nesting deeper than a submissions document
 * ever is are errors, as are wrong types and malformed accession numbers,
 * dates or acceptance times.
 *
 * NEEDSWORK: the older pages listed in filings.files[] hold the same
 * arrays at their top level but no cik or name; they need a variant that
 * takes both from the caller.
 */
enum status edgar_parse_submissions(struct filing_list *out, const char *json,
                                    size_t len, const char *name_for_errors);

enum edgar_index_kind {
	EDGAR_INDEX_UNKNOWN,
	EDGAR_INDEX_MASTER,  /* CIK|Company Name|Form Type|Date Filed|File */
	EDGAR_INDEX_FORM,    /* fixed width, form type first */
	EDGAR_INDEX_COMPANY, /* fixed width, company name first */
	EDGAR_INDEX_CRAWLER, /* as company, last column an -index.htm URL */
};

struct edgar_index_info {
	enum edgar_index_kind kind;
	size_t rows;      /* rows appended */
	size_t bad_lines; /* data lines skipped because they did not parse */
	size_t first_bad; /* 1-based line number of the first of them, or 0 */
};

/*
 * Parse an EDGAR index file: master.idx (and xbrl.idx, same layout),
 * form.idx, company.idx or crawler.idx, quarterly (full-index) or daily.
 *
 * The kind is recognised from the column header, everything up to the
 * "-----" line is skipped, and each data line becomes one row.  Columns
 * are found from the right, because over-long company names and form
 * types push the fixed-width columns out of place.  Dates may be YYYYMMDD
 * or YYYY-MM-DD; CRLF line ends and a missing final newline are fine.  A
 * header with no rows gives zero rows and ST_OK.
 *
 * A data line that does not parse is skipped and counted rather than
 * failing the file; if more than half of the data lines are bad, the file
 * is rejected (ST_DATAERR).  When ST_OK comes back with bad lines,
 * err_msg() describes the first one so that the caller can log it.
 * Input with a NUL byte, or no separator line in its first lines, is not
 * an index: ST_DATAERR.
 *
 * info (OUT, may be NULL) is filled in on success and on failure.
 */
enum status edgar_parse_index(struct filing_list *out, const char *text,
                              size_t len, const char *name_for_errors,
                              struct edgar_index_info *info /* OUT */);

/*
 * Convert an EDGAR acceptance time to true UTC, writing
 * "YYYY-MM-DDTHH:MM:SSZ" to out (outsz >= EDGAR_UTC_SIZE).
 *
 * Accepted input: "YYYY-MM-DDTHH:MM:SS", optionally with a fraction
 * (".000"), then "Z", an explicit offset "+HH:MM"/"-HH:MM", or nothing;
 * also the compact "YYYYMMDDhhmmss" of the usgaap RSS feed.
 *
 * EDGAR writes its US Eastern wall-clock time and labels it "Z" in the
 * submissions JSON, so "Z" and no zone both mean US Eastern; an explicit
 * offset (Atom <updated>) is honoured as written.  Eastern time is worked
 * out arithmetically from the US rules, never through the process TZ:
 * EDT (UTC-4) from the second Sunday of March 02:00 to the first Sunday of
 * November 02:00 since 2007, from the first Sunday of April to the last
 * Sunday of October before (the 1987 rule; EDGAR has nothing older that
 * matters), EST (UTC-5) otherwise.  A wall time that does not exist (the
 * skipped hour in spring) is read as EST and one that occurs twice (the
 * repeated hour in autumn) as EDT, as Python's zoneinfo does with fold=0.
 *
 * Returns false, leaving out untouched, if the input is malformed.
 */
bool edgar_accepted_to_utc(const char *in, char *out, size_t outsz);

/*
 * "0000320193" -> "320193".  Accepts 1-10 ASCII digits, nothing else,
 * and not all zeros.  Returns false, leaving out untouched, on bad input
 * or if out (outsz bytes, EDGAR_CIK_SIZE is always enough) is too small.
 */
bool edgar_cik_normalize(const char *in, char *out, size_t outsz);

/*
 * Whether ua is a User-Agent SEC accepts: it must declare who is asking
 * ("Sample Company Name AdminContact@example-company.com"), that is, hold
 * a plausible e-mail address (user@domain.tld, angle brackets or
 * parentheses allowed) and at least one other word naming a person or
 * company.  Control characters (header injection), non-ASCII, over-long
 * values and reserved domains that cannot reach anyone (localhost,
 * example.com/.net/.org, .test, .invalid, .example, .local) are refused.
 */
bool edgar_user_agent_ok(const char *ua);

/*
 * URL builders.  Each returns a new string (caller frees), or NULL when an
 * argument is invalid (bad CIK, impossible date, unknown index kind).  A
 * CIK may be given with or without leading zeros.
 */

/* https://data.sec.gov/submissions/CIK0000320193.json */
char *edgar_submissions_url(const char *cik);

/*
 * The company's filings as Atom, newest first, 40 per page:
 * https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=
 * 0000320193&type=10-K&dateb=&owner=include&start=0&count=40&output=atom
 * form (may be NULL for all forms) is a prefix filter on EDGAR's side:
 * "10-K" also returns 10-K/A.
 */
char *edgar_company_atom_url(const char *cik, const char *form);

/*
 * The latest filings by everyone as Atom:
 * https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&count=100&
 * start=0&type=&owner=include&output=atom
 * form may be NULL (all forms).  count is rounded up to one EDGAR serves
 * (10, 20, 40, 80, 100); 0 or more than 100 means 100.
 */
char *edgar_current_atom_url(const char *form, unsigned start, unsigned count);

/*
 * https://www.sec.gov/Archives/edgar/daily-index/2020/QTR1/master.20200103.idx
 * kind is "master", "form", "company" or "crawler".
 */
char *edgar_daily_index_url(int year, int month, int day, const char *kind);

/*
 * EDGAR writes a daily index for each business day (weekdays that are
 * not US federal holidays, date_us_business_day()) at about 22:00 US
 * Eastern; EDGAR_INDEX_READY is when oligo takes it to be there, with
 * some slack.
 *
 * edgar_daily_index_day(): the day number (days since 1970-01-01) of the
 * latest business day whose index is ready at now (Unix seconds).
 * edgar_daily_index_ready(): when the index of day is ready (Unix
 * seconds); for the following one, pass the day returned + 1 to
 * edgar_daily_index_next().
 * edgar_daily_index_next(): the first business day on or after day.
 */
#define EDGAR_INDEX_READY_HOUR 23 /* US Eastern */
int64_t edgar_daily_index_day(int64_t now);
int64_t edgar_daily_index_ready(int64_t day);
int64_t edgar_daily_index_next(int64_t day);

/*
 * https://www.sec.gov/Archives/edgar/full-index/2021/QTR1/form.idx
 * kind is "master", "form", "company", "crawler" or "xbrl".
 */
char *edgar_full_index_url(int year, int quarter, const char *kind);

#endif
