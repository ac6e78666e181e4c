#ifndef OLIGO_INGEST_XML_H
#define OLIGO_INGEST_XML_H

/*
 * The one libxml2 setup for untrusted XML (reliability.md 1).  Every
 * XML document oligo reads from the network goes through here, as a
 * stream of SAX events (xml_parse_stream(), used by ingest/feed.c) or as
 * a tree (xml_read_doc(), for small documents such as 13F filings).
 *
 * Policy, and why:
 *   - Options: XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
 *     XML_PARSE_NOWARNING.  Never NOENT (substitutes entities, reads
 *     file:// even with NONET), DTDLOAD/DTDATTR/DTDVALID (fetch and obey
 *     a DTD), XINCLUDE, HUGE (switches off the billion-laughs and depth
 *     limits), RECOVER (see below).  An external entity loader that
 *     refuses everything is installed as well (xml_init()).
 *   - A document that declares an entity (<!ENTITY in its internal
 *     subset, general, parameter or unparsed) is refused the moment the
 *     declaration is seen: "declares entities: refused".  Real feeds
 *     never need them, and refusing them closes billion laughs, the
 *     quadratic blow-up through entity references and XXE in one rule.
 *     A DOCTYPE with only an external id (RSS 0.91's Netscape DTD) is
 *     fine: the DTD is never fetched.
 *   - Strict, no RECOVER mode: a fetch counts only if the document is
 *     well-formed (a truncated download must not look like a shorter
 *     feed, reliability.md 2.2), and 2.9.14's recover mode leaves raw
 *     invalid bytes in its output.  What real feeds need recovery for,
 *     undeclared HTML entities such as &nbsp; &hellip; &rsquo;, is
 *     handled without it: a getEntity hook answers every HTML 4 entity
 *     name (ingest/html.h) with its character, so "&nbsp;" parses as
 *     U+00A0.  Unknown names stay an error ("Entity 'x' not defined"),
 *     or, in a document with an external DTD, are dropped (libxml2's
 *     warning case).  In xml_read_doc() trees, HTML entities are decoded
 *     in text but dropped from attribute values.
 *   - Elements with more than max_attrs attributes are refused by a
 *     linear pre-scan before libxml2 sees them: 2.9.14 checks attributes
 *     pairwise, and 100,000 of them cost 16 s.
 *   - Encoding: BOM, then the XML declaration, then UTF-8 (libxml2's
 *     own detection).  Only when that fails ("not proper UTF-8",
 *     "unsupported encoding", a conversion error) is the document parsed
 *     again: with the HTTP charset if one was given (and says something
 *     new), then, for bytes that are not UTF-8, as windows-1252 and
 *     finally ISO-8859-1 (which decodes anything); the first that works
 *     wins and info->re_decoded says so.  RFC 7303 would let the HTTP
 *     charset override the document, but servers send stale defaults
 *     far more often than documents lie about themselves.  A document
 *     with a BOM gets no retry: the BOM is authoritative.  Mislabelled
 *     text that decodes (UTF-8 labelled ISO-8859-1) cannot be detected
 *     and is accepted as mojibake.  Whitespace before "<?xml" (an EDGAR
 *     quirk) is skipped.
 *   - Errors: a structured error handler keeps the first fatal error
 *     (code, line, sanitized message); libxml2 never writes to stderr
 *     while a parse runs here.  Recoverable errors (an undeclared
 *     namespace prefix, an unknown entity in a document with an external
 *     DTD) do not fail the document.
 *
 * Text from here is UTF-8 from libxml2 but not yet sanitized: callers run
 * it through lib/text.h before storing it.
 *
 * Not thread-safe (libxml2's error-handler globals are swapped during a
 * parse); oligo has no threads.
 */

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "lib/status.h"

struct strbuf;

#define XML_DEFAULT_MAX_BYTES (64u << 20) /* also libxml2 needs < INT_MAX */
#define XML_DEFAULT_MAX_ATTRS 128u

struct xml_options {
	/*
	 * Names the document in messages, e.g. "feed 'FTC press'"; NULL
	 * gives "XML document".  Messages read "<what>: <problem>".
	 */
	const char *what;
	/* The charset parameter of the HTTP Content-Type, or NULL. */
	const char *charset;
	size_t max_bytes; /* larger documents are refused; 0: default */
	size_t max_attrs; /* per element; 0: default */
};

/* What a successful parse learned. */
struct xml_info {
	/* Parsed a second time with another encoding (see above). */
	bool re_decoded;
	/* That encoding ("windows-1252", the HTTP charset), or "". */
	char encoding[40];
};

/*
 * Install the deny-all external entity loader and warm libxml2 up.
 * Idempotent; the parse functions call it themselves, but main() should
 * call it once early (libxml2 wants xmlInitParser() before other use).
 */
void xml_init(void);

/* How many external entity loads were attempted (and refused). */
unsigned long xml_denied_loads(void);

/*
 * The charset parameter of an HTTP Content-Type value into buf (bufsz
 * bytes), e.g. "text/xml; charset='gb2312'" -> "gb2312".  Quotes and
 * spaces around '=' are allowed.  Returns false, with buf "", when there
 * is none or it holds anything but [A-Za-z0-9._:+-].
 */
bool xml_charset_from_content_type(const char *content_type, char *buf,
                                   size_t bufsz);

/* ---- streaming ---------------------------------------------------------- */

/*
 * Why SAX2 callbacks rather than xmlTextReader or a tree walk
 * (reliability.md 1.4, limits.md): like the reader, nothing is built, so
 * memory stays flat for a 35 MB feed (a tree of it is several times its
 * size); unlike the reader, the SAX handler is where libxml2 asks
 * getEntity() and reports entityDecl(), the two hooks the entity policy
 * above needs.  It is also the cheapest of the three: on a 37.7 MB,
 * 50,000-item RSS feed the bare event pass takes ~150 ms CPU here, where
 * "xmllint --stream" (xmlTextReader) takes ~235 ms.
 */

struct xml_attr {
	const char *local; /* local name, e.g. "href" */
	const char *ns;    /* namespace URI or NULL */
	const char *value; /* NUL-terminated, entities decoded */
	size_t len;
};

struct xml_elem {
	const char *local;
	const char *ns; /* namespace URI or NULL */
	size_t nattrs;
	const struct xml_attr *attrs;
};

struct xml_stream; /* the running parse, for xml_stream_abort() */

/*
 * Event callbacks.  Pointers passed to them are valid only during the
 * call.  text may come in several pieces for one run of character data
 * (CDATA included).  reset is called before the document is parsed again
 * with another encoding: forget everything the events said so far.
 */
struct xml_callbacks {
	void (*start)(struct xml_stream *xs, void *ctx,
	              const struct xml_elem *e);
	void (*end)(struct xml_stream *xs, void *ctx, const char *local,
	            const char *ns);
	void (*text)(struct xml_stream *xs, void *ctx, const char *s,
	             size_t len);
	void (*reset)(void *ctx);
};

/*
 * Parse data[0..len) and deliver its events to cb with ctx.  Returns
 * ST_OK for a well-formed document (whose events were all delivered),
 * else ST_DATAERR (malformed, refused, too large, empty, unsupported
 * encoding) or what a callback passed to xml_stream_abort(), with
 * err_msg() set.  After a failure the callbacks may have seen part of
 * the document: discard what they built.  info (OUT) may be NULL.
 */
enum status xml_parse_stream(const char *data, size_t len,
                             const struct xml_options *opt,
                             const struct xml_callbacks *cb, void *ctx,
                             struct xml_info *info /* OUT */);

/*
 * From inside a callback: stop the parse; xml_parse_stream() returns st
 * with "<what>: <message>" as err_msg().  The first abort wins.
 */
void xml_stream_abort(struct xml_stream *xs, enum status st, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));

/* ---- tree ------------------------------------------------------------- */

/*
 * Parse into a tree under the same policy.  On ST_OK *out is a document
 * with a root element; the caller frees it with xmlFreeDoc().  On failure
 * *out is NULL.
 */
enum status xml_read_doc(xmlDocPtr *out, const char *data, size_t len,
                         const struct xml_options *opt,
                         struct xml_info *info /* OUT */);

/*
 * Append the character data under node (text and CDATA descendants, in
 * document order) to out, at most max_bytes bytes (cut on a UTF-8
 * boundary).  Entity reference nodes are ignored instead of expanded:
 * xmlNodeGetContent() expands them without limit (reliability.md 1.2).
 * Not sanitized.
 */
void xml_node_text(struct strbuf *out, const xmlNode *node, size_t max_bytes);

#endif
