#ifndef OLIGO_TESTS_FUZZ_CHECK_TEXT_H
#define OLIGO_TESTS_FUZZ_CHECK_TEXT_H

/*
 * Invariant checks shared by the EDGAR fuzz harnesses: a violated one
 * aborts, which libFuzzer reports like a crash.  Header-only: each
 * harness is its own program.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check(int ok)
{
	if (!ok)
		abort();
}

/*
 * Strict UTF-8 with no C0, DEL or C1 control: what edgar.h promises for
 * every string, decoded here independently of edgar.c.
 */
static void
check_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	check(s != NULL && s[0] != ' ');
	check(!*s || s[strlen(s) - 1] != ' ');
	while (*p) {
		uint32_t cp;
		int n, k;

		if (*p < 0x80) {
			check(*p >= 0x20 && *p != 0x7f);
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0)
			n = 2, cp = *p & 0x1F;
		else if ((*p & 0xF0) == 0xE0)
			n = 3, cp = *p & 0x0F;
		else if ((*p & 0xF8) == 0xF0)
			n = 4, cp = *p & 0x07;
		else
			abort();
		for (k = 1; k < n; k++) {
			check((p[k] & 0xC0) == 0x80);
			cp = cp << 6 | (p[k] & 0x3F);
		}
		check(cp >= (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u));
		check(cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF));
		check(cp > 0x9F);
		p += n;
	}
}

#endif
