#ifndef OLIGO_INGEST_FEED_H
#define OLIGO_INGEST_FEED_H

/*
 * Syndication feeds parsed from memory into one shape: RSS 0.90-0.94,
 * RSS 1.0 (RDF), RSS 2.0, Atom 0.3 and 1.0, including SEC EDGAR's Atom
 * feeds (getcompany, getcurrent) and its usgaap.rss XBRL feed.
 *
 * No I/O here: the caller fetches and hands over the bytes.  Parsing is
 * streaming (ingest/xml.h's SAX setup, no tree), so a 35 MB feed costs
 * little more memory than its items.  Everything ingest/xml.h says about
 * untrusted XML applies: entity declarations are refused, the document
 * must be well-formed (no recover mode), HTML entity names such as &nbsp;
 * work anyway, and an encoding failure is retried once with the HTTP
 * charset or windows-1252 (feed->re_decoded).
 *
 * Ownership: a struct feed owns its items and every string in them;
 * feed_release() frees them all.
 *
 * Item invariants after feed_parse() returns ST_OK:
 *   - every string is NULL when the source has none (or only whitespace),
 *     else non-empty clean text (lib/text.h): TEXT_LINE for everything
 *     but summary, TEXT_BODY for summary;
 *   - title <= max_title bytes, summary <= max_summary bytes (cut on a
 *     code point, truncated_fields counts the cuts); other strings
 *     <= FEED_FIELD_MAX bytes, categories <= FEED_CATEGORIES_MAX bytes
 *     and 64 values;
 *   - link is an absolute http:// or https:// URL with a host: relative
 *     links are resolved against xml:base and the base URL, anything else
 *     (javascript:, data:, file:, gopher:, mailto:...) is dropped;
 *   - guid is never NULL: the feed's own id (RSS guid, Atom id, RDF
 *     rdf:about) if it has one, else the link, else "urn:oligo:fnv1a64:"
 *     and 16 hex digits of FNV-1a 64 over title, published and summary
 *     (NUL-separated) -- stable across fetches as long as those are.  For
 *     EDGAR getcurrent entries, where one filing appears once per party
 *     under the same Atom id, the party's CIK is appended ("<id>#CIK") so
 *     that each entry keeps its own key.  GUIDs are not deduplicated
 *     within a document: upserting by guid is the caller's job;
 *   - published/updated are Unix seconds UTC, or FEED_TIME_UNKNOWN.
 *     RSS pubDate (else dc:date, dcterms:issued) is "published", Atom
 *     published (0.3: issued) too; Atom updated (0.3: modified),
 *     dcterms:modified are "updated".  Sort by published, else updated;
 *   - summary is plain text: RSS description (else content:encoded) and
 *     Atom summary (else content) go through ingest/html.h when they are
 *     HTML (always for RSS; type="html"/"xhtml" in Atom);
 *   - edgar_* are NULL except for EDGAR items (see struct feed_item).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/date.h"
#include "lib/status.h"

#define FEED_TIME_UNKNOWN DATE_UNKNOWN

#define FEED_DEFAULT_MAX_BYTES   (64u << 20)
#define FEED_DEFAULT_MAX_ITEMS   100000u
#define FEED_DEFAULT_MAX_TITLE   1024u  /* TEXT_TITLE_MAX */
#define FEED_DEFAULT_MAX_SUMMARY 65536u /* TEXT_SUMMARY_MAX */
#define FEED_FIELD_MAX           4096u  /* link, guid, author */
#define FEED_CATEGORIES_MAX      4096u

enum feed_kind {
	FEED_RSS_09X, /* RSS 0.90 (RDF) and 0.91-0.94 */
	FEED_RSS_10,  /* RSS 1.0, rdf:RDF */
	FEED_RSS_20,  /* RSS 2.0 (also <rss> without a version) */
	FEED_ATOM_03,
	FEED_ATOM_10,
};

struct feed_item {
	char *guid;
	char *title;
	char *link;
	char *summary;
	char *author; /* several Atom authors: "A, B" */
	int64_t published;
	int64_t updated;
	char *categories; /* '\n'-separated, duplicates removed, or NULL */
	/*
	 * EDGAR filings, NULL for anything else.  An item is an EDGAR item
	 * when the feed marks it so: an Atom <content type="text/xml"> with
	 * <accession-number>, an <edgar:xbrlFiling>, or an Atom id
	 * "urn:tag:sec.gov,2008:accession-number=...".  Then the fields come
	 * from those elements, else from the title "FORM - NAME (CIK)
	 * (Role)", the summary "Filed: YYYY-MM-DD AccNo: ...", the category
	 * term, the feed's <company-info><cik> or the link's
	 * /Archives/edgar/data/<cik>/ path, in that order.
	 */
	char *edgar_form;      /* "8-K", "SC 13D/A" */
	char *edgar_accession; /* "0001213900-25-006497" */
	char *edgar_cik;       /* ten digits, zero-padded: "0001889983" */
	char *edgar_filed;     /* "YYYY-MM-DD" */
};

struct feed {
	enum feed_kind kind;
	char *title; /* or NULL */
	char *link;  /* the site (RSS channel link, Atom alternate), or NULL */
	struct feed_item *items; /* in document order */
	size_t nitems;
	size_t dropped_items;    /* items past max_items, not kept */
	size_t truncated_fields; /* fields cut to their cap */
	bool re_decoded;         /* see ingest/xml.h */
};

struct feed_options {
	const char *name;     /* for messages: "feed 'NAME': ..." */
	const char *base_url; /* the URL fetched: base for relative links */
	const char *charset;  /* HTTP charset (xml_charset_from_content_type) */
	size_t max_bytes;     /* 0: FEED_DEFAULT_MAX_BYTES */
	size_t max_items;     /* 0: FEED_DEFAULT_MAX_ITEMS */
	size_t max_title;     /* 0: FEED_DEFAULT_MAX_TITLE */
	size_t max_summary;   /* 0: FEED_DEFAULT_MAX_SUMMARY */
};

/*
 * Parse the feed in data[0..len) (need not be NUL-terminated) into *out,
 * which is overwritten (not released) first.  opt may be NULL (defaults,
 * no base URL).
 *
 * Returns ST_OK, or ST_DATAERR with err_msg() saying
 * "feed 'NAME': <what>" -- "empty document", "not a feed: root element
 * <html>", "not a feed: looks like an HTML page", "not well-formed XML
 * (line N): ...", "declares entities: refused", "cannot decode ...",
 * "document too large ...".  On failure *out is empty (feed_release() is
 * still allowed).  A feed with no items is ST_OK.
 */
enum status feed_parse(struct feed *out, const char *data, size_t len,
                       const struct feed_options *opt);

/* Free everything *feed owns and leave it empty. */
void feed_release(struct feed *feed);

/* "rss0.9x", "rss1.0", "rss2.0", "atom0.3", "atom1.0". */
const char *feed_kind_name(enum feed_kind kind);

#endif
