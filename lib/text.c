#include "lib/text.h"

#include <string.h>
#include <wchar.h>

#include "lib/strbuf.h"
#include "lib/xalloc.h"

#define REPLACEMENT 0xFFFDu

/* Bytes of U+FFFD and U+2026 in UTF-8. */
static const char replacement_utf8[] = "\xEF\xBF\xBD";
static const char ellipsis_utf8[] = "\xE2\x80\xA6";

size_t
text_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	/*
	 * The ranges of Unicode Table 3-7 (well-formed byte sequences): the
	 * second byte's range depends on the lead byte, which is how
	 * overlong forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and
	 * values above U+10FFFF (F4 90..) are refused without decoding them
	 * first.
	 */
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		need = 1;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		need = 2;
		c = s[0] & 0x0F;
		if (s[0] == 0xE0)
			lo = 0xA0;
		else if (s[0] == 0xED)
			hi = 0x9F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		need = 3;
		c = s[0] & 0x07;
		if (s[0] == 0xF0)
			lo = 0x90;
		else if (s[0] == 0xF4)
			hi = 0x8F;
	} else {
		/* C0, C1 (overlong leads), F5..FF, or a stray continuation. */
		*cp = REPLACEMENT;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		/*
		 * A byte outside the expected range ends the maximal subpart
		 * before it: one U+FFFD for s[0..i), and decoding resumes at
		 * the offending byte.
		 */
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = REPLACEMENT;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return need + 1;
}

static size_t
utf8_encode(char *out, uint32_t cp)
{
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void
text_add_cp(struct strbuf *out, uint32_t cp)
{
	char b[4];

	strbuf_add(out, b, utf8_encode(b, cp));
}

/* What the sanitizer does with one code point. */
enum cls {
	C_CHAR,  /* keep */
	C_DROP,  /* remove */
	C_SPACE, /* whitespace that is a space in both modes */
	C_NL,    /* a line break: space in TEXT_LINE, LF in TEXT_BODY */
	C_CR,    /* CR: like C_NL, and swallows a following LF */
};

static enum cls
classify(uint32_t cp)
{
	if (cp < 0x20) {
		switch (cp) {
		case '\t':
		case '\v':
		case '\f':
			return C_SPACE;
		case '\n':
			return C_NL;
		case '\r':
			return C_CR;
		default:
			return C_DROP;
		}
	}
	if (cp == ' ')
		return C_SPACE;
	if (cp < 0x7F)
		return C_CHAR;
	if (cp <= 0x9F) /* DEL and C1 */
		return C_DROP;
	if (cp < 0x061C)
		return C_CHAR;
	switch (cp) {
	case 0x061C: /* ARABIC LETTER MARK */
	case 0x200B: /* ZERO WIDTH SPACE */
	case 0x200E: /* LRM */
	case 0x200F: /* RLM */
	case 0x2060: /* WORD JOINER */
	case 0xFEFF: /* BOM / ZWNBSP */
		return C_DROP;
	case 0x2028:
	case 0x2029:
		return C_NL;
	default:
		break;
	}
	if (cp >= 0x202A && cp <= 0x202E) /* LRE RLE PDF LRO RLO */
		return C_DROP;
	if (cp >= 0x2066 && cp <= 0x2069) /* LRI RLI FSI PDI */
		return C_DROP;
	if (cp >= 0xE0000 && cp <= 0xE007F) /* tags */
		return C_DROP;
	return C_CHAR;
}

bool
text_sanitize(struct strbuf *out, const char *s, size_t len,
              enum text_mode mode, size_t max_bytes)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	size_t start = out->len, room;
	char *w, *wend, *keep;
	bool space_pending = false, truncated = false, ws_overflow = false;

	if (!len || !max_bytes)
		return len > 0;
	/*
	 * Reserve the worst case once and write in place: an invalid byte
	 * grows to three (U+FFFD), nothing else grows.
	 */
	room = len <= SIZE_MAX / 3 ? 3 * len : SIZE_MAX;
	if (room > max_bytes)
		room = max_bytes;
	strbuf_grow(out, room);
	w = out->buf + start;
	wend = w + room;
	keep = w;

	while (p < end) {
		uint32_t cp;
		size_t n;
		enum cls c;
		const char *src;

		if (*p >= 0x21 && *p < 0x7F) {
			/*
			 * Fast path: a run of printable ASCII, single spaces
			 * included, is copied as is (after the space owed in
			 * TEXT_LINE).
			 */
			if (mode == TEXT_LINE && space_pending) {
				if (wend - w < 2) {
					truncated = true;
					break;
				}
				*w++ = ' ';
				space_pending = false;
			} else if (w == wend || ws_overflow) {
				truncated = true;
				break;
			}
			for (;;) {
				do
					*w++ = (char)*p++;
				while (p < end && w < wend && *p >= 0x21 &&
				       *p < 0x7F);
				if (p + 1 < end && *p == ' ' && p[1] >= 0x21 &&
				    p[1] < 0x7F && wend - w >= 2) {
					*w++ = ' ';
					p++;
					continue;
				}
				break;
			}
			keep = w;
			continue;
		}
		n = text_utf8_decode((const char *)p, (size_t)(end - p), &cp);
		c = classify(cp);
		src = (const char *)p;
		p += n;
		if (c == C_CR) {
			if (p < end && *p == '\n')
				p++;
			c = C_NL;
		}
		if (c == C_DROP)
			continue;
		if (mode == TEXT_LINE) {
			size_t need;

			if (c != C_CHAR) {
				space_pending = w > out->buf + start;
				continue;
			}
			if (cp == REPLACEMENT) {
				src = replacement_utf8;
				n = 3;
			}
			need = n + (space_pending ? 1 : 0);
			if ((size_t)(wend - w) < need) {
				truncated = true;
				break;
			}
			if (space_pending)
				*w++ = ' ';
			space_pending = false;
			memcpy(w, src, n);
			w += n;
			continue;
		}
		/* TEXT_BODY */
		if (c != C_CHAR) {
			if (w == out->buf + start)
				continue; /* leading whitespace */
			if (w == wend) {
				ws_overflow = true;
				continue;
			}
			*w++ = c == C_NL ? '\n' : ' ';
			continue;
		}
		if (cp == REPLACEMENT) {
			src = replacement_utf8;
			n = 3;
		}
		if (ws_overflow || (size_t)(wend - w) < n) {
			truncated = true;
			break;
		}
		memcpy(w, src, n);
		w += n;
		keep = w;
	}
	if (mode == TEXT_BODY)
		w = keep; /* trailing whitespace */
	out->len = (size_t)(w - out->buf);
	out->buf[out->len] = '\0';
	return truncated;
}

char *
text_clean_line(const char *s, size_t max_bytes)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s)
		return NULL;
	text_sanitize(&sb, s, strlen(s), TEXT_LINE, max_bytes);
	return strbuf_detach(&sb, NULL);
}

bool
text_is_clean(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;
		enum cls c;

		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
			i++;
			continue;
		}
		n = text_utf8_decode(s + i, len - i, &cp);
		if (cp == REPLACEMENT &&
		    (n != 3 || memcmp(s + i, replacement_utf8, 3) != 0))
			return false; /* an invalid sequence, not U+FFFD */
		c = classify(cp);
		if (c == C_DROP || c == C_CR || (c == C_SPACE && cp != ' '))
			return false;
		if (c == C_NL && cp != '\n')
			return false;
		i += n;
	}
	return true;
}

/*
 * The code point text_fit() shows for cp: whitespace controls as a space,
 * anything the sanitizer would drop as U+FFFD (visible, so that a missed
 * sanitize call is noticed rather than silently "fixed").
 */
static uint32_t
display_cp(uint32_t cp)
{
	switch (classify(cp)) {
	case C_CHAR:
		return cp;
	case C_SPACE:
	case C_NL:
	case C_CR:
		return ' ';
	case C_DROP:
	default:
		return REPLACEMENT;
	}
}

static size_t
cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : (size_t)w;
}

size_t
text_width(const char *s)
{
	size_t len = strlen(s), i = 0, cols = 0;

	while (i < len) {
		uint32_t cp;

		i += text_utf8_decode(s + i, len - i, &cp);
		cols += cp_width(display_cp(cp));
	}
	return cols;
}

size_t
text_fit(struct strbuf *out, const char *s, size_t width)
{
	size_t len = strlen(s), i = 0, used = 0, budget;
	bool fits = text_width(s) <= width;

	budget = fits ? width : width ? width - 1 : 0;
	if (!fits && !width)
		return 0;
	while (i < len) {
		uint32_t cp;
		size_t n, w, j;

		n = text_utf8_decode(s + i, len - i, &cp);
		cp = display_cp(cp);
		w = cp_width(cp);
		/*
		 * A cluster is this code point and every zero-width one after
		 * it (combining marks, ZWJ...): all of it fits or none.
		 */
		j = i + n;
		while (j < len) {
			uint32_t next;
			size_t m = text_utf8_decode(s + j, len - j, &next);

			if (cp_width(display_cp(next)) != 0)
				break;
			j += m;
		}
		if (used + w > budget)
			break;
		while (i < j) {
			n = text_utf8_decode(s + i, len - i, &cp);
			text_add_cp(out, display_cp(cp));
			i += n;
		}
		used += w;
	}
	if (!fits) {
		strbuf_adds(out, ellipsis_utf8);
		used++;
	}
	return used;
}
