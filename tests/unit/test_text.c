/*
 * lib/text: the sanitizer (properties over 100,000 random inputs, then the
 * attacks from reliability.md 5 and 10 one by one) and display width.
 */
#include <criterion/criterion.h>

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/text.h"

/* ---- an independent oracle: not text.c's decoder ---------------------- */

/*
 * Decode s strictly, calling back for each code point; false on the first
 * invalid sequence.  Written from the Unicode definition (Table 3-7) in the
 * plainest way, so that it does not share text.c's mistakes.
 */
static bool
oracle_decode(const char *str, size_t len, bool (*cb)(uint32_t, void *),
              void *ctx)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		uint32_t c = s[i];
		size_t n, k;

		if (c < 0x80)
			n = 0;
		else if (c >= 0xC2 && c <= 0xDF)
			n = 1, c &= 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, c &= 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, c &= 0x07;
		else
			return false;
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
		if (cb && !cb(c, ctx))
			return false;
		i += n + 1;
	}
	return true;
}

struct check {
	bool allow_lf;
};

static bool
forbidden_cp(uint32_t c, void *ctx)
{
	const struct check *ck = ctx;

	if (c == '\n')
		return ck->allow_lf;
	if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
		return false;
	if (c == 0x061C || c == 0x200B || c == 0x200E || c == 0x200F ||
	    c == 0x2028 || c == 0x2029 || c == 0x2060 || c == 0xFEFF)
		return false;
	if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
		return false;
	if (c >= 0xE0000 && c <= 0xE007F)
		return false;
	return true;
}

static bool
valid_and_safe(const char *s, size_t len, bool allow_lf)
{
	struct check ck = {allow_lf};

	return oracle_decode(s, len, forbidden_cp, &ck);
}

/* ---- helpers ---------------------------------------------------------- */

static char *
san(const char *s, size_t len, enum text_mode mode, size_t cap)
{
	struct strbuf sb = STRBUF_INIT;

	text_sanitize(&sb, s, len, mode, cap);
	return strbuf_detach(&sb, NULL);
}

#define LINE(lit) san(lit, sizeof(lit) - 1, TEXT_LINE, SIZE_MAX)
#define BODY(lit) san(lit, sizeof(lit) - 1, TEXT_BODY, SIZE_MAX)

static void
expect(char *got, const char *want)
{
	cr_assert_str_eq(got, want);
	free(got);
}

/* xorshift64*: a fixed, portable sequence. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint32_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* Random bytes biased towards what breaks sanitizers. */
static size_t
random_input(char *buf, size_t max)
{
	static const char *const pieces[] = {
	    "\xE2\x80\xAE",
	    "\xE2\x81\xA6",
	    "\xE2\x80\x8B",
	    "\xEF\xBB\xBF",
	    "\xC2\x9B",
	    "\xC2\x85",
	    "\x1B[2J",
	    "\x1B]52;c;",
	    "\r\n",
	    "\t",
	    "\xED\xA0\x80",
	    "\xC0\xAF",
	    "\xF4\x90\x80\x80",
	    "\xE6\x97\xA5",
	    "e\xCC\x81",
	    "\xF0\x9F\x98\x80",
	    "\xF3\xA0\x80\x81",
	    "  ",
	    "\xE2\x80\xA8",
	    "\xE0\x80",
	    "\xF0\x9F",
	    "\x00",
	    "\x7F",
	    "\xFF",
	};
	size_t n = rnd() % max, len = 0;

	while (len < n) {
		uint32_t r = rnd() % 4;

		if (r == 0) {
			buf[len++] = (char)(rnd() & 0xFF);
		} else if (r == 1) {
			buf[len++] = (char)(0x20 + rnd() % 95);
		} else {
			const char *p = pieces[rnd() % (sizeof(pieces) /
			                                sizeof(pieces[0]))];
			size_t pl = p[0] ? strlen(p) : 1;

			if (len + pl > max)
				break;
			memcpy(buf + len, p, pl);
			len += pl;
		}
	}
	return len;
}

/* ---- properties --------------------------------------------------------- */

Test(text_props, random_inputs_100k)
{
	char in[96];
	size_t i;

	for (i = 0; i < 100000; i++) {
		size_t len = random_input(in, sizeof(in));
		enum text_mode mode = (i & 1) ? TEXT_BODY : TEXT_LINE;
		size_t cap = (i % 3 == 0) ? SIZE_MAX : rnd() % 64;
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		bool cut;

		strbuf_adds(&a, "pre"); /* appends, never overwrites */
		cut = text_sanitize(&a, in, len, mode, cap);
		cr_assert(!memcmp(a.buf, "pre", 3));
		cr_assert(a.len - 3 <= cap, "cap %zu exceeded: %zu", cap,
		          a.len - 3);
		cr_assert(strlen(a.buf) == a.len, "NUL inside output");
		cr_assert(
		    valid_and_safe(a.buf + 3, a.len - 3, mode == TEXT_BODY),
		    "case %zu: unsafe output", i);
		cr_assert(text_is_clean(a.buf + 3, a.len - 3));
		if (a.len > 3) {
			cr_assert(a.buf[3] != ' ' && a.buf[a.len - 1] != ' ');
			cr_assert(a.buf[3] != '\n' && a.buf[a.len - 1] != '\n');
		}
		if (mode == TEXT_LINE)
			cr_assert(!strstr(a.buf + 3, "  "), "case %zu", i);
		if (!cut)
			cr_assert(cap == SIZE_MAX || a.len - 3 <= cap);
		/* idempotent, with the same cap */
		text_sanitize(&b, a.buf + 3, a.len - 3, mode, cap);
		cr_assert(b.len == a.len - 3 &&
		              !memcmp(b.buf, a.buf + 3, b.len),
		          "case %zu: not idempotent", i);
		strbuf_release(&a);
		strbuf_release(&b);
	}
}

Test(text_props, decode_agrees_with_oracle)
{
	char in[16];
	size_t i;

	/* Valid UTF-8 round-trips exactly; the oracle says what is valid. */
	for (i = 0; i < 100000; i++) {
		size_t len = random_input(in, sizeof(in)), j = 0;
		bool valid = oracle_decode(in, len, NULL, NULL), ok = true;

		while (j < len) {
			uint32_t cp;
			size_t n = text_utf8_decode(in + j, len - j, &cp);

			cr_assert(n >= 1 && n <= 4 && j + n <= len);
			if (cp == 0xFFFD &&
			    !(n == 3 && !memcmp(in + j, "\xEF\xBF\xBD", 3)))
				ok = false;
			j += n;
		}
		cr_assert_eq(ok, valid, "case %zu", i);
	}
}

/* ---- specific cases --------------------------------------------------- */

Test(text, overlong_and_invalid)
{
	/* C0 and AF are each a maximal invalid subpart of their own */
	expect(LINE("a\xC0\xAF"
	            "b"),
	       "a\xEF\xBF\xBD\xEF\xBF\xBD"
	       "b");
	/* a truncated sequence is one U+FFFD, and the 'b' survives */
	expect(LINE("a\xE4\xB8"
	            "b"),
	       "a\xEF\xBF\xBD"
	       "b");
	expect(LINE("\xF0\x9F\x98"), "\xEF\xBF\xBD");
	/* above U+10FFFF */
	expect(LINE("\xF4\x90\x80\x80"),
	       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	expect(LINE("\xFF\xFE"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	/* E0 80: overlong three-byte form */
	expect(LINE("\xE0\x80\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

Test(text, surrogates)
{
	/* CESU-style surrogate halves are not UTF-8 */
	expect(LINE("x\xED\xA0\x80y"),
	       "x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy");
	expect(LINE("\xED\xBF\xBF"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	/* the last code point before the surrogates is fine */
	expect(LINE("\xED\x9F\xBF"), "\xED\x9F\xBF");
}

Test(text, bidi_and_invisible)
{
	expect(LINE("abc\xE2\x80\xAE"
	            "fed"),
	       "abcfed");                               /* RLO */
	expect(LINE("\xE2\x81\xA6x\xE2\x81\xA9"), "x"); /* LRI .. PDI */
	expect(LINE("a\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C"
	            "b"),
	       "ab");
	expect(LINE("\xEF\xBB\xBFtitle\xE2\x80\x8B"), "title"); /* BOM, ZWSP */
	/* tag characters (invisible "ASCII smuggling") */
	expect(LINE("ok\xF3\xA0\x80\x81\xF3\xA0\x81\xBF"), "ok");
	/* ZWJ stays: emoji sequences need it */
	expect(LINE("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9"),
	       "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9");
}

Test(text, terminal_escapes)
{
	/* OSC 52 (clipboard write), CSI clear, OSC 0 (title): ESC and BEL go */
	expect(LINE("\x1B]52;c;SGVsbG8=\x07tail"), "]52;c;SGVsbG8=tail");
	expect(LINE("\x1B[2Jhi"), "[2Jhi");
	expect(LINE("\x1B]0;pwned\x07"), "]0;pwned");
	/* C1 CSI / OSC / ST / NEL as UTF-8, and DEL, BS */
	expect(LINE("a\xC2\x9B"
	            "31mb\xC2\x9D\xC2\x9C\xC2\x85\x7F\x08"
	            "c"),
	       "a31mbc");
	/* raw 8-bit CSI byte: invalid UTF-8, visible as U+FFFD */
	expect(LINE("\x9B"
	            "2J"),
	       "\xEF\xBF\xBD"
	       "2J");
}

Test(text, nul_inside)
{
	static const char in[] = "ab\0cd\0";

	expect(san(in, sizeof(in) - 1, TEXT_LINE, SIZE_MAX), "abcd");
	expect(san(in, sizeof(in) - 1, TEXT_BODY, SIZE_MAX), "abcd");
}

Test(text, line_mode_whitespace)
{
	expect(LINE("  a \t\r\n b  "), "a b");
	expect(LINE("one\ntwo\rthree\r\nfour"), "one two three four");
	expect(LINE("x\xE2\x80\xA8y"), "x y"); /* LINE SEPARATOR */
	expect(LINE("a\v\fb"), "a b");
	expect(LINE(" \t\n "), "");
	/* NBSP is a character, not collapsible space */
	expect(LINE("a\xC2\xA0\xC2\xA0"
	            "b"),
	       "a\xC2\xA0\xC2\xA0"
	       "b");
}

Test(text, body_mode_newlines)
{
	expect(BODY("a\r\nb\rc\n\nd"), "a\nb\nc\n\nd");
	expect(BODY("\n\n  text\twith tab  \n\n"), "text with tab");
	expect(BODY("p1\xE2\x80\xA9p2"), "p1\np2");
	expect(BODY("keep  inner   runs"), "keep  inner   runs");
}

Test(text, cap_on_code_point_boundary)
{
	/* "aé" is 3 bytes; a cap of 2 cannot hold the é */
	expect(san("a\xC3\xA9", 3, TEXT_LINE, 2), "a");
	/* 日本語 = 9 bytes */
	expect(san("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 9, TEXT_LINE, 7),
	       "\xE6\x97\xA5\xE6\x9C\xAC");
	expect(san("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 9, TEXT_LINE, 2),
	       "");
	/* no trailing space left by the cap */
	expect(san("abcd efgh", 9, TEXT_LINE, 5), "abcd");
	expect(san("abcd\n\nefgh", 10, TEXT_BODY, 6), "abcd");
	/* a U+FFFD replacement needs its 3 bytes too */
	expect(san("ab\xFF", 3, TEXT_LINE, 4), "ab");
}

Test(text, cap_reports_truncation)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert(text_sanitize(&sb, "abcdef", 6, TEXT_LINE, 3));
	cr_assert_str_eq(sb.buf, "abc");
	strbuf_reset(&sb);
	cr_assert(!text_sanitize(&sb, "abc   ", 6, TEXT_LINE, 3));
	strbuf_reset(&sb);
	cr_assert(!text_sanitize(&sb, "abc\n\n\n", 6, TEXT_BODY, 3));
	cr_assert_str_eq(sb.buf, "abc");
	strbuf_release(&sb);
}

Test(text, title_cap_1k_summary_64k)
{
	static char big[200000];
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = "\xE6\x97\xA5"[i % 3]; /* 日日日... */
	text_sanitize(&sb, big, sizeof(big), TEXT_LINE, TEXT_TITLE_MAX);
	cr_assert_eq(sb.len, 1023); /* 341 whole characters */
	cr_assert(text_is_clean(sb.buf, sb.len));
	strbuf_reset(&sb);
	text_sanitize(&sb, big, sizeof(big), TEXT_BODY, TEXT_SUMMARY_MAX);
	cr_assert_eq(sb.len, 65535);
	strbuf_release(&sb);
}

Test(text, is_clean)
{
	cr_assert(text_is_clean("plain text\nline two", 19));
	cr_assert(text_is_clean("\xEF\xBF\xBD", 3)); /* U+FFFD itself */
	cr_assert(!text_is_clean("tab\there", 8));
	cr_assert(!text_is_clean("cr\r", 3));
	cr_assert(!text_is_clean("\x1B[0m", 4));
	cr_assert(!text_is_clean("\xC2\x9B", 2));
	cr_assert(!text_is_clean("\xE2\x80\xAE", 3));
	cr_assert(!text_is_clean("\xC0\xAF", 2));
	cr_assert(!text_is_clean("\xF0\x9F\x98", 3));
	cr_assert(!text_is_clean("a\0b", 3));
}

Test(text, clean_line_helper)
{
	char *s = text_clean_line("  Hello,\n\x1B[1mworld\xE2\x80\xAE  ", 100);

	cr_assert_str_eq(s, "Hello, [1mworld");
	free(s);
	cr_assert_null(text_clean_line(NULL, 10));
	s = text_clean_line("abcdef", 3);
	cr_assert_str_eq(s, "abc");
	free(s);
}

Test(text, add_cp)
{
	struct strbuf sb = STRBUF_INIT;

	text_add_cp(&sb, 'A');
	text_add_cp(&sb, 0xE9);
	text_add_cp(&sb, 0x20AC);
	text_add_cp(&sb, 0x1F600);
	text_add_cp(&sb, 0xD800);   /* surrogate */
	text_add_cp(&sb, 0x110000); /* too large */
	cr_assert_str_eq(sb.buf, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
	                         "\xEF\xBF\xBD\xEF\xBF\xBD");
	strbuf_release(&sb);
}

/* ---- display width (needs a UTF-8 locale) --------------------------------- */

static void
utf8_locale(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		cr_skip_test("locale C.UTF-8 is not available");
}

static char *
fit(const char *s, size_t width, size_t *used)
{
	struct strbuf sb = STRBUF_INIT;

	*used = text_fit(&sb, s, width);
	return strbuf_detach(&sb, NULL);
}

Test(width, cjk_and_combining)
{
	utf8_locale();
	cr_assert_eq(text_width("abc"), 3);
	cr_assert_eq(text_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4); /* 日本 */
	cr_assert_eq(text_width("e\xCC\x81"), 1);                /* é */
	cr_assert_eq(text_width("\xEF\xBD\x81"), 2); /* fullwidth a */
	cr_assert_eq(text_width(""), 0);
	/* invalid bytes show as U+FFFD, a control as a space: one each */
	cr_assert_eq(text_width("a\xFF"
	                        "b"),
	             3);
	cr_assert_eq(text_width("a\tb"), 3);
}

Test(width, fit_never_splits)
{
	size_t used;
	char *s;

	utf8_locale();
	/* 日本語 is 6 columns; in 5: 日本 + … */
	s = fit("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 5, &used);
	cr_assert_str_eq(s, "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
	cr_assert_eq(used, 5);
	free(s);
	/* in 4: 日 + … (日本 + … would need 5); one column short */
	s = fit("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4, &used);
	cr_assert_str_eq(s, "\xE6\x97\xA5\xE2\x80\xA6");
	cr_assert_eq(used, 3);
	free(s);
	/* base + combining mark stays together */
	s = fit("e\xCC\x81"
	        "e\xCC\x81"
	        "e\xCC\x81",
	        2, &used);
	cr_assert_str_eq(s, "e\xCC\x81\xE2\x80\xA6");
	cr_assert_eq(used, 2);
	free(s);
	/* fits exactly: no ellipsis */
	s = fit("e\xCC\x81"
	        "e\xCC\x81"
	        "e\xCC\x81",
	        3, &used);
	cr_assert_str_eq(s, "e\xCC\x81"
	                    "e\xCC\x81"
	                    "e\xCC\x81");
	cr_assert_eq(used, 3);
	free(s);
	s = fit("abcd", 3, &used);
	cr_assert_str_eq(s, "ab\xE2\x80\xA6");
	cr_assert_eq(used, 3);
	free(s);
	s = fit("abcd", 0, &used);
	cr_assert_str_eq(s, "");
	cr_assert_eq(used, 0);
	free(s);
	s = fit("abcd", 1, &used);
	cr_assert_str_eq(s, "\xE2\x80\xA6");
	free(s);
}

Test(width, fit_neutralizes_leftovers)
{
	size_t used;
	char *s;

	utf8_locale();
	s = fit("a\x1B[2J\tb\xE2\x80\xAE", 20, &used);
	cr_assert_str_eq(s, "a\xEF\xBF\xBD[2J b\xEF\xBF\xBD");
	cr_assert_eq(used, 8);
	free(s);
}

Test(width, c_locale_is_safe)
{
	size_t used;
	char *s;

	setlocale(LC_ALL, "C");
	/* every non-ASCII code point counts 1; still never split bytes */
	s = fit("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 2, &used);
	cr_assert_str_eq(s, "\xE6\x97\xA5\xE2\x80\xA6");
	cr_assert(used <= 2);
	free(s);
}
