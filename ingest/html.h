#ifndef OLIGO_INGEST_HTML_H
#define OLIGO_INGEST_HTML_H

/*
 * HTML found inside feeds (RSS <description>, <content:encoded>, Atom
 * type="html") turned into plain text for storage and the terminal.
 *
 * This is a small tolerant scanner of our own, not libxml2's HTML parser:
 * feed HTML is only a text source for us, and the scanner is linear in
 * the input with no tree and no nesting limit to hit (libxml2 2.9.14's
 * HTML parser is quadratic on many attributes, drops content deeper than
 * 256 levels and keeps <script> bodies in xmlNodeGetContent(); see
 * reliability.md 1.6).  Nothing here executes, fetches or follows
 * anything; links are dropped with their tags.
 *
 * What the text keeps: character data, with
 *   - <script>, <style>, <title>, <template>, <textarea>, <iframe>,
 *     <noembed>, <noframes>, <xmp> content, the whole <head>, comments,
 *     doctypes and processing instructions removed;
 *   - block elements (p, div, li, headings, tables rows, br...) turned
 *     into line breaks (at most one blank line in a row), a list item
 *     starting with "• ";
 *   - other tags removed; runs of HTML whitespace collapsed to one
 *     space, except inside <pre>;
 *   - character references decoded: decimal and hex (&#8217; &#x2019;),
 *     with HTML's windows-1252 reading of &#128;-&#159; and U+FFFD for
 *     &#0;, surrogates and values past U+10FFFF; every HTML 4 named
 *     reference (&nbsp; &amp; &hellip; &mdash; &rsquo; ...) plus &apos;.
 *     An unknown name stays literal ("&bogus;").
 * The result is then sanitized (lib/text.h, TEXT_BODY).
 */

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/*
 * Append the plain text of html[0..len) to out, sanitized as TEXT_BODY
 * and at most max_bytes long (SIZE_MAX: no cap).  Returns true if the
 * text was cut off by the cap.
 */
bool html_to_text(struct strbuf *out, const char *html, size_t len,
                  size_t max_bytes);

/*
 * The UTF-8 text of the HTML 4 named character reference name[0..len)
 * (without '&' and ';', case-sensitive: "Eacute" is not "eacute"), or
 * NULL if there is no such name.  The returned string is static.
 */
const char *html_entity(const char *name, size_t len);

/*
 * The same table by position, for callers that keep per-entity data
 * (ingest/xml.c): html_entity_index() returns 0..html_entity_count()-1,
 * or -1 if name is unknown.
 */
size_t html_entity_count(void);
int html_entity_index(const char *name, size_t len);
const char *html_entity_name(size_t index);
const char *html_entity_value(size_t index);

#endif
