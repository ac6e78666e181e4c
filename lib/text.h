#ifndef OLIGO_LIB_TEXT_H
#define OLIGO_LIB_TEXT_H

/*
 * Untrusted text made safe to store and to put on a terminal.
 *
 * Every string that comes from the network (feed titles, summaries,
 * authors, links, libxml2 error messages) goes through text_sanitize()
 * once at ingest, and again right before display (defence in depth: the
 * database may have been written by an older or different program).
 *
 * "Clean" text, the invariant text_sanitize() establishes and
 * text_is_clean() checks:
 *   - valid UTF-8: no overlong forms, no surrogates, nothing above
 *     U+10FFFF; every invalid byte sequence has become U+FFFD, one per
 *     maximal invalid subpart (Unicode's "substitution of maximal
 *     subparts"), so a bad byte never swallows the ASCII after it;
 *   - no C0 control except LF (and LF only in TEXT_BODY output), no DEL,
 *     no C1 control (U+0080-U+009F, which terminals read as CSI, OSC, ST,
 *     NEL...);
 *   - no bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E,
 *     U+2066-U+2069: "Trojan Source"), no invisible U+200B ZERO WIDTH
 *     SPACE, U+2060 WORD JOINER, U+FEFF BOM, no tag characters
 *     U+E0000-U+E007F, no U+2028/U+2029 line/paragraph separators.
 *     ZWNJ/ZWJ (U+200C/U+200D) are kept: scripts and emoji need them.
 *
 * Sanitizing is byte-wise and locale-independent (it never calls
 * mbstowcs()), so cron jobs running in the C locale store the same text
 * as an interactive run.  Display width (text_width(), text_fit()) uses
 * wcwidth() and therefore the caller's LC_CTYPE: the TUI calls
 * setlocale(LC_ALL, "") first.  In the C locale every non-ASCII code
 * point counts as one column, which is safe (nothing is ever split) but
 * misaligns wide characters.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

enum text_mode {
	/*
	 * One line (titles, authors, links, GUIDs): TAB, CR, LF, VT, FF,
	 * U+2028 and U+2029 become spaces, runs of spaces collapse to one,
	 * leading and trailing spaces go.
	 */
	TEXT_LINE,
	/*
	 * Running text (summaries): CRLF and lone CR become LF, U+2028 and
	 * U+2029 become LF, TAB, VT and FF become a space, LF is kept,
	 * leading and trailing spaces and newlines go.  Inner runs are
	 * kept: the renderer wraps.
	 */
	TEXT_BODY,
};

/* Caps from reliability.md 5.3, for callers that store text. */
#define TEXT_TITLE_MAX   1024u
#define TEXT_SUMMARY_MAX 65536u

/*
 * Append the clean form of s[0..len) (which may hold NUL bytes: they are
 * dropped) to out.  At most max_bytes bytes are appended (SIZE_MAX for no
 * cap), always ending on a code point boundary; a cap never leaves a
 * trailing space behind.  Returns true if input was cut off by the cap,
 * false if all of it fitted.
 *
 * Idempotent: sanitizing clean output again with the same mode and cap
 * gives the same bytes.
 */
bool text_sanitize(struct strbuf *out, const char *s, size_t len,
                   enum text_mode mode, size_t max_bytes);

/*
 * text_sanitize(TEXT_LINE) of the NUL-terminated s into a new string.
 * Returns a malloc'd string that the caller frees; s NULL gives NULL.
 */
char *text_clean_line(const char *s, size_t max_bytes);

/*
 * Whether s[0..len) is clean (see above; LF allowed, TAB and CR not).
 * Whitespace layout is not checked.
 */
bool text_is_clean(const char *s, size_t len);

/*
 * Decode one code point from s[0..len), len >= 1.  Returns the number of
 * bytes it used (1-4) and stores the code point in *cp, or U+FFFD for an
 * invalid maximal subpart (then the return value is that subpart's
 * length).
 */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp /* OUT */);

/* Append cp as UTF-8; surrogates and values above U+10FFFF become U+FFFD. */
void text_add_cp(struct strbuf *out, uint32_t cp);

/*
 * Display columns of the NUL-terminated s: the sum of wcwidth() over its
 * code points, with -1 (unprintable, unassigned) counted as 1 and
 * combining marks as 0.  Invalid UTF-8 and controls count as the U+FFFD
 * or space that text_fit() would show instead.  Needs setlocale() (see
 * above).
 */
size_t text_width(const char *s);

/*
 * Append to out the longest prefix of s that fits in width columns.
 * When s does not fit, the prefix ends with "…" (U+2026, one column)
 * inside the budget.  A double-width character, or a base character with
 * its combining marks, is never split: if it does not fit, the prefix
 * stops before it (the result may then be one column short; the caller
 * pads).  Returns the columns used (<= width).
 *
 * Meant for clean text; anything unsafe that still arrives is neutralized
 * on the way: TAB, CR, LF become spaces, other controls, bidi controls
 * and invalid bytes become U+FFFD.  Needs setlocale() (see above).
 */
size_t text_fit(struct strbuf *out, const char *s, size_t width);

#endif
