#include "ingest/html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/text.h"

/*
 * HTML 4.01's 252 named character references (the same set as Python's
 * html.entities.name2codepoint) plus &apos;, sorted by strcmp() for
 * bsearch.  Generated, not hand-typed.
 */
static const struct entity {
	const char *name;
	const char *utf8;
} entities[] = {
    {"AElig", "\xC3\x86"},
    {"Aacute", "\xC3\x81"},
    {"Acirc", "\xC3\x82"},
    {"Agrave", "\xC3\x80"},
    {"Alpha", "\xCE\x91"},
    {"Aring", "\xC3\x85"},
    {"Atilde", "\xC3\x83"},
    {"Auml", "\xC3\x84"},
    {"Beta", "\xCE\x92"},
    {"Ccedil", "\xC3\x87"},
    {"Chi", "\xCE\xA7"},
    {"Dagger", "\xE2\x80\xA1"},
    {"Delta", "\xCE\x94"},
    {"ETH", "\xC3\x90"},
    {"Eacute", "\xC3\x89"},
    {"Ecirc", "\xC3\x8A"},
    {"Egrave", "\xC3\x88"},
    {"Epsilon", "\xCE\x95"},
    {"Eta", "\xCE\x97"},
    {"Euml", "\xC3\x8B"},
    {"Gamma", "\xCE\x93"},
    {"Iacute", "\xC3\x8D"},
    {"Icirc", "\xC3\x8E"},
    {"Igrave", "\xC3\x8C"},
    {"Iota", "\xCE\x99"},
    {"Iuml", "\xC3\x8F"},
    {"Kappa", "\xCE\x9A"},
    {"Lambda", "\xCE\x9B"},
    {"Mu", "\xCE\x9C"},
    {"Ntilde", "\xC3\x91"},
    {"Nu", "\xCE\x9D"},
    {"OElig", "\xC5\x92"},
    {"Oacute", "\xC3\x93"},
    {"Ocirc", "\xC3\x94"},
    {"Ograve", "\xC3\x92"},
    {"Omega", "\xCE\xA9"},
    {"Omicron", "\xCE\x9F"},
    {"Oslash", "\xC3\x98"},
    {"Otilde", "\xC3\x95"},
    {"Ouml", "\xC3\x96"},
    {"Phi", "\xCE\xA6"},
    {"Pi", "\xCE\xA0"},
    {"Prime", "\xE2\x80\xB3"},
    {"Psi", "\xCE\xA8"},
    {"Rho", "\xCE\xA1"},
    {"Scaron", "\xC5\xA0"},
    {"Sigma", "\xCE\xA3"},
    {"THORN", "\xC3\x9E"},
    {"Tau", "\xCE\xA4"},
    {"Theta", "\xCE\x98"},
    {"Uacute", "\xC3\x9A"},
    {"Ucirc", "\xC3\x9B"},
    {"Ugrave", "\xC3\x99"},
    {"Upsilon", "\xCE\xA5"},
    {"Uuml", "\xC3\x9C"},
    {"Xi", "\xCE\x9E"},
    {"Yacute", "\xC3\x9D"},
    {"Yuml", "\xC5\xB8"},
    {"Zeta", "\xCE\x96"},
    {"aacute", "\xC3\xA1"},
    {"acirc", "\xC3\xA2"},
    {"acute", "\xC2\xB4"},
    {"aelig", "\xC3\xA6"},
    {"agrave", "\xC3\xA0"},
    {"alefsym", "\xE2\x84\xB5"},
    {"alpha", "\xCE\xB1"},
    {"amp", "&"},
    {"and", "\xE2\x88\xA7"},
    {"ang", "\xE2\x88\xA0"},
    {"apos", "'"},
    {"aring", "\xC3\xA5"},
    {"asymp", "\xE2\x89\x88"},
    {"atilde", "\xC3\xA3"},
    {"auml", "\xC3\xA4"},
    {"bdquo", "\xE2\x80\x9E"},
    {"beta", "\xCE\xB2"},
    {"brvbar", "\xC2\xA6"},
    {"bull", "\xE2\x80\xA2"},
    {"cap", "\xE2\x88\xA9"},
    {"ccedil", "\xC3\xA7"},
    {"cedil", "\xC2\xB8"},
    {"cent", "\xC2\xA2"},
    {"chi", "\xCF\x87"},
    {"circ", "\xCB\x86"},
    {"clubs", "\xE2\x99\xA3"},
    {"cong", "\xE2\x89\x85"},
    {"copy", "\xC2\xA9"},
    {"crarr", "\xE2\x86\xB5"},
    {"cup", "\xE2\x88\xAA"},
    {"curren", "\xC2\xA4"},
    {"dArr", "\xE2\x87\x93"},
    {"dagger", "\xE2\x80\xA0"},
    {"darr", "\xE2\x86\x93"},
    {"deg", "\xC2\xB0"},
    {"delta", "\xCE\xB4"},
    {"diams", "\xE2\x99\xA6"},
    {"divide", "\xC3\xB7"},
    {"eacute", "\xC3\xA9"},
    {"ecirc", "\xC3\xAA"},
    {"egrave", "\xC3\xA8"},
    {"empty", "\xE2\x88\x85"},
    {"emsp", "\xE2\x80\x83"},
    {"ensp", "\xE2\x80\x82"},
    {"epsilon", "\xCE\xB5"},
    {"equiv", "\xE2\x89\xA1"},
    {"eta", "\xCE\xB7"},
    {"eth", "\xC3\xB0"},
    {"euml", "\xC3\xAB"},
    {"euro", "\xE2\x82\xAC"},
    {"exist", "\xE2\x88\x83"},
    {"fnof", "\xC6\x92"},
    {"forall", "\xE2\x88\x80"},
    {"frac12", "\xC2\xBD"},
    {"frac14", "\xC2\xBC"},
    {"frac34", "\xC2\xBE"},
    {"frasl", "\xE2\x81\x84"},
    {"gamma", "\xCE\xB3"},
    {"ge", "\xE2\x89\xA5"},
    {"gt", ">"},
    {"hArr", "\xE2\x87\x94"},
    {"harr", "\xE2\x86\x94"},
    {"hearts", "\xE2\x99\xA5"},
    {"hellip", "\xE2\x80\xA6"},
    {"iacute", "\xC3\xAD"},
    {"icirc", "\xC3\xAE"},
    {"iexcl", "\xC2\xA1"},
    {"igrave", "\xC3\xAC"},
    {"image", "\xE2\x84\x91"},
    {"infin", "\xE2\x88\x9E"},
    {"int", "\xE2\x88\xAB"},
    {"iota", "\xCE\xB9"},
    {"iquest", "\xC2\xBF"},
    {"isin", "\xE2\x88\x88"},
    {"iuml", "\xC3\xAF"},
    {"kappa", "\xCE\xBA"},
    {"lArr", "\xE2\x87\x90"},
    {"lambda", "\xCE\xBB"},
    {"lang", "\xE2\x8C\xA9"},
    {"laquo", "\xC2\xAB"},
    {"larr", "\xE2\x86\x90"},
    {"lceil", "\xE2\x8C\x88"},
    {"ldquo", "\xE2\x80\x9C"},
    {"le", "\xE2\x89\xA4"},
    {"lfloor", "\xE2\x8C\x8A"},
    {"lowast", "\xE2\x88\x97"},
    {"loz", "\xE2\x97\x8A"},
    {"lrm", "\xE2\x80\x8E"},
    {"lsaquo", "\xE2\x80\xB9"},
    {"lsquo", "\xE2\x80\x98"},
    {"lt", "<"},
    {"macr", "\xC2\xAF"},
    {"mdash", "\xE2\x80\x94"},
    {"micro", "\xC2\xB5"},
    {"middot", "\xC2\xB7"},
    {"minus", "\xE2\x88\x92"},
    {"mu", "\xCE\xBC"},
    {"nabla", "\xE2\x88\x87"},
    {"nbsp", "\xC2\xA0"},
    {"ndash", "\xE2\x80\x93"},
    {"ne", "\xE2\x89\xA0"},
    {"ni", "\xE2\x88\x8B"},
    {"not", "\xC2\xAC"},
    {"notin", "\xE2\x88\x89"},
    {"nsub", "\xE2\x8A\x84"},
    {"ntilde", "\xC3\xB1"},
    {"nu", "\xCE\xBD"},
    {"oacute", "\xC3\xB3"},
    {"ocirc", "\xC3\xB4"},
    {"oelig", "\xC5\x93"},
    {"ograve", "\xC3\xB2"},
    {"oline", "\xE2\x80\xBE"},
    {"omega", "\xCF\x89"},
    {"omicron", "\xCE\xBF"},
    {"oplus", "\xE2\x8A\x95"},
    {"or", "\xE2\x88\xA8"},
    {"ordf", "\xC2\xAA"},
    {"ordm", "\xC2\xBA"},
    {"oslash", "\xC3\xB8"},
    {"otilde", "\xC3\xB5"},
    {"otimes", "\xE2\x8A\x97"},
    {"ouml", "\xC3\xB6"},
    {"para", "\xC2\xB6"},
    {"part", "\xE2\x88\x82"},
    {"permil", "\xE2\x80\xB0"},
    {"perp", "\xE2\x8A\xA5"},
    {"phi", "\xCF\x86"},
    {"pi", "\xCF\x80"},
    {"piv", "\xCF\x96"},
    {"plusmn", "\xC2\xB1"},
    {"pound", "\xC2\xA3"},
    {"prime", "\xE2\x80\xB2"},
    {"prod", "\xE2\x88\x8F"},
    {"prop", "\xE2\x88\x9D"},
    {"psi", "\xCF\x88"},
    {"quot", "\""},
    {"rArr", "\xE2\x87\x92"},
    {"radic", "\xE2\x88\x9A"},
    {"rang", "\xE2\x8C\xAA"},
    {"raquo", "\xC2\xBB"},
    {"rarr", "\xE2\x86\x92"},
    {"rceil", "\xE2\x8C\x89"},
    {"rdquo", "\xE2\x80\x9D"},
    {"real", "\xE2\x84\x9C"},
    {"reg", "\xC2\xAE"},
    {"rfloor", "\xE2\x8C\x8B"},
    {"rho", "\xCF\x81"},
    {"rlm", "\xE2\x80\x8F"},
    {"rsaquo", "\xE2\x80\xBA"},
    {"rsquo", "\xE2\x80\x99"},
    {"sbquo", "\xE2\x80\x9A"},
    {"scaron", "\xC5\xA1"},
    {"sdot", "\xE2\x8B\x85"},
    {"sect", "\xC2\xA7"},
    {"shy", "\xC2\xAD"},
    {"sigma", "\xCF\x83"},
    {"sigmaf", "\xCF\x82"},
    {"sim", "\xE2\x88\xBC"},
    {"spades", "\xE2\x99\xA0"},
    {"sub", "\xE2\x8A\x82"},
    {"sube", "\xE2\x8A\x86"},
    {"sum", "\xE2\x88\x91"},
    {"sup", "\xE2\x8A\x83"},
    {"sup1", "\xC2\xB9"},
    {"sup2", "\xC2\xB2"},
    {"sup3", "\xC2\xB3"},
    {"supe", "\xE2\x8A\x87"},
    {"szlig", "\xC3\x9F"},
    {"tau", "\xCF\x84"},
    {"there4", "\xE2\x88\xB4"},
    {"theta", "\xCE\xB8"},
    {"thetasym", "\xCF\x91"},
    {"thinsp", "\xE2\x80\x89"},
    {"thorn", "\xC3\xBE"},
    {"tilde", "\xCB\x9C"},
    {"times", "\xC3\x97"},
    {"trade", "\xE2\x84\xA2"},
    {"uArr", "\xE2\x87\x91"},
    {"uacute", "\xC3\xBA"},
    {"uarr", "\xE2\x86\x91"},
    {"ucirc", "\xC3\xBB"},
    {"ugrave", "\xC3\xB9"},
    {"uml", "\xC2\xA8"},
    {"upsih", "\xCF\x92"},
    {"upsilon", "\xCF\x85"},
    {"uuml", "\xC3\xBC"},
    {"weierp", "\xE2\x84\x98"},
    {"xi", "\xCE\xBE"},
    {"yacute", "\xC3\xBD"},
    {"yen", "\xC2\xA5"},
    {"yuml", "\xC3\xBF"},
    {"zeta", "\xCE\xB6"},
    {"zwj", "\xE2\x80\x8D"},
    {"zwnj", "\xE2\x80\x8C"},
};

#define NENTITIES (sizeof(entities) / sizeof(entities[0]))

size_t
html_entity_count(void)
{
	return NENTITIES;
}

int
html_entity_index(const char *name, size_t len)
{
	size_t lo = 0, hi = NENTITIES;

	if (len == 0 || len > 8) /* the longest name is 8 ("thetasym") */
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t el = strlen(entities[mid].name);
		/* name is bytes, not a C string: it may hold a NUL */
		int c = memcmp(name, entities[mid].name, len < el ? len : el);

		if (c == 0)
			c = len < el ? -1 : len > el ? 1 : 0;
		if (c == 0)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *
html_entity_name(size_t index)
{
	return index < NENTITIES ? entities[index].name : NULL;
}

const char *
html_entity_value(size_t index)
{
	return index < NENTITIES ? entities[index].utf8 : NULL;
}

const char *
html_entity(const char *name, size_t len)
{
	int i = html_entity_index(name, len);

	return i < 0 ? NULL : entities[i].utf8;
}

/*
 * HTML5 reads &#128;-&#159; as the windows-1252 characters that old
 * pages meant (&#146; is a right quote, not the C1 control PU2).  Zero
 * marks the five holes, which stay C1 and are later removed.
 */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* The intermediate text before sanitizing, with whitespace bookkeeping. */
struct out {
	struct strbuf raw;
	size_t limit; /* stop scanning once raw is this long */
	int nl;       /* line breaks owed before the next character (0-2) */
	bool space;   /* a space owed before the next character */
	bool pre;     /* inside <pre>: whitespace is literal */
};

/* Pay the whitespace owed, then the caller appends visible text. */
static void
flush(struct out *o)
{
	if (o->raw.len) {
		if (o->nl)
			strbuf_add(&o->raw, "\n\n", (size_t)o->nl);
		else if (o->space)
			strbuf_addch(&o->raw, ' ');
	}
	o->nl = 0;
	o->space = false;
}

static void
put(struct out *o, const char *s, size_t n)
{
	flush(o);
	strbuf_add(&o->raw, s, n);
}

static void
line_break(struct out *o, int n)
{
	if (o->nl < n)
		o->nl = n;
}

static bool
is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool
is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static bool
is_html_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Decode the character reference at s[0..len) (s[0] == '&').  Appends
 * its text and returns the bytes consumed, or returns 0 if this '&' is
 * just an ampersand.
 */
static size_t
char_ref(struct out *o, const char *s, size_t len)
{
	size_t i = 1;

	if (i < len && s[i] == '#') {
		uint32_t v = 0;
		size_t digits = 0;
		bool hex = false;

		i++;
		if (i < len && (s[i] | 0x20) == 'x') {
			hex = true;
			i++;
		}
		for (; i < len; i++, digits++) {
			unsigned char c = (unsigned char)s[i];
			unsigned d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				d = (c | 0x20) - 'a' + 10;
			else
				break;
			if (v <= 0x10FFFF) /* saturate, keep consuming */
				v = v * (hex ? 16 : 10) + d;
		}
		if (!digits)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		else if (v >= 0x80 && v <= 0x9F && cp1252_c1[v - 0x80])
			v = cp1252_c1[v - 0x80];
		flush(o);
		text_add_cp(&o->raw, v);
		return i;
	}
	while (i < len && i <= 33 && is_alnum((unsigned char)s[i]))
		i++;
	if (i > 1) {
		static const char *const legacy[] = {"amp",  "lt",   "gt",
		                                     "quot", "nbsp", NULL};
		const char *v = html_entity(s + 1, i - 1);
		size_t k;

		if (v && i < len && s[i] == ';') {
			put(o, v, strlen(v));
			return i + 1;
		}
		/*
		 * Without the ';' only the names that old pages commonly
		 * leave open count, as a prefix ("&lt3" is "<3"); "&copy2024"
		 * stays as written.
		 */
		for (k = 0; legacy[k]; k++) {
			size_t n = strlen(legacy[k]);

			if (i - 1 >= n && !strncmp(s + 1, legacy[k], n)) {
				v = html_entity(legacy[k], n);
				put(o, v, strlen(v));
				return 1 + n;
			}
		}
	}
	return 0;
}

/* What a tag means for the text. */
enum tag {
	T_INLINE, /* anything else: the tag just goes */
	T_SKIP,   /* content is not text for us: skipped to the end tag */
	T_PARA,   /* block: a blank line around it */
	T_LINE,   /* block: a line break around it */
	T_PRE,    /* block, whitespace inside is literal */
	T_LI,     /* line break and a bullet */
	T_BR,
	T_CELL, /* a space between table cells */
	T_HEAD,
	T_BODY,
	T_HEAD_OK, /* may appear in <head> without ending it */
};

/* Sorted by strcmp() for bsearch. */
static const struct tag_info {
	const char *name;
	enum tag tag;
} tags[] = {
    {"address", T_PARA},    {"article", T_PARA},     {"aside", T_PARA},
    {"base", T_HEAD_OK},    {"blockquote", T_PARA},  {"body", T_BODY},
    {"br", T_BR},           {"caption", T_LINE},     {"center", T_LINE},
    {"dd", T_LINE},         {"details", T_PARA},     {"div", T_LINE},
    {"dl", T_PARA},         {"dt", T_LINE},          {"fieldset", T_PARA},
    {"figcaption", T_LINE}, {"figure", T_PARA},      {"footer", T_PARA},
    {"form", T_PARA},       {"h1", T_PARA},          {"h2", T_PARA},
    {"h3", T_PARA},         {"h4", T_PARA},          {"h5", T_PARA},
    {"h6", T_PARA},         {"head", T_HEAD},        {"header", T_PARA},
    {"hr", T_PARA},         {"iframe", T_SKIP},      {"legend", T_LINE},
    {"li", T_LI},           {"link", T_HEAD_OK},     {"main", T_PARA},
    {"meta", T_HEAD_OK},    {"nav", T_PARA},         {"noembed", T_SKIP},
    {"noframes", T_SKIP},   {"noscript", T_HEAD_OK}, {"ol", T_PARA},
    {"option", T_LINE},     {"p", T_PARA},           {"pre", T_PRE},
    {"script", T_SKIP},     {"section", T_PARA},     {"style", T_SKIP},
    {"summary", T_LINE},    {"table", T_PARA},       {"tbody", T_LINE},
    {"td", T_CELL},         {"template", T_SKIP},    {"textarea", T_SKIP},
    {"tfoot", T_LINE},      {"th", T_CELL},          {"thead", T_LINE},
    {"title", T_SKIP},      {"tr", T_LINE},          {"ul", T_PARA},
    {"xmp", T_SKIP},
};

static int
tag_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tag_info *)elem)->name);
}

static enum tag
tag_of(const char *name)
{
	const struct tag_info *t =
	    bsearch(name, tags, sizeof(tags) / sizeof(tags[0]), sizeof(tags[0]),
	            tag_cmp);

	return t ? t->tag : T_INLINE;
}

/*
 * Skip the rest of a tag from s[i] (just after its name) to past its '>',
 * honouring quoted attribute values (which may hold '>').  Returns the new
 * position; *self_closing tells whether the tag ended in "/>".
 */
static size_t
skip_tag(const char *s, size_t len, size_t i, bool *self_closing)
{
	bool after_eq = false;

	*self_closing = false;
	while (i < len && s[i] != '>') {
		char c = s[i];

		if (c == '=') {
			after_eq = true;
			i++;
			continue;
		}
		if (after_eq && (c == '"' || c == '\'')) {
			const char *q = memchr(s + i + 1, c, len - i - 1);

			/* An open quote runs to the end, as in browsers. */
			if (!q)
				return len;
			i = (size_t)(q - s) + 1;
			after_eq = false;
			continue;
		}
		if (!is_html_space((unsigned char)c))
			after_eq = false;
		*self_closing = c == '/';
		i++;
	}
	if (i < len && s[i] == '>') {
		if (i > 0 && s[i - 1] == '/')
			*self_closing = true;
		i++;
	}
	return i;
}

/*
 * Find the end tag "</name" (any case) followed by space, '/' or '>'
 * from s[i]; returns the position just past that end tag's '>', or len.
 */
static size_t
skip_to_end_tag(const char *s, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name);

	while (i < len) {
		const char *lt = memchr(s + i, '<', len - i);
		size_t j, k;
		bool dummy;

		if (!lt)
			return len;
		j = (size_t)(lt - s);
		if (j + 2 + n <= len && s[j + 1] == '/') {
			for (k = 0; k < n; k++)
				if ((s[j + 2 + k] | 0x20) != name[k])
					break;
			if (k == n &&
			    (j + 2 + n == len ||
			     is_html_space((unsigned char)s[j + 2 + n]) ||
			     s[j + 2 + n] == '/' || s[j + 2 + n] == '>'))
				return skip_tag(s, len, j + 2 + n, &dummy);
		}
		i = j + 1;
	}
	return len;
}

/* Handle the markup at s[i] == '<'; returns the position after it. */
static size_t
markup(struct out *o, const char *s, size_t len, size_t i, bool *in_head)
{
	char name[16];
	size_t j = i + 1, n = 0;
	bool end_tag = false, self_closing;
	enum tag tag;

	if (j + 2 < len && s[j] == '!' && s[j + 1] == '-' && s[j + 2] == '-') {
		const char *e = NULL;
		size_t k;

		for (k = j + 3; k + 2 < len; k++) {
			if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') {
				e = s + k;
				break;
			}
		}
		return e ? (size_t)(e - s) + 3 : len;
	}
	if (j < len && (s[j] == '!' || s[j] == '?')) {
		const char *gt = memchr(s + j, '>', len - j);

		return gt ? (size_t)(gt - s) + 1 : len;
	}
	if (j < len && s[j] == '/') {
		end_tag = true;
		j++;
	}
	if (j >= len || !is_alpha((unsigned char)s[j])) {
		/* "1 < 2", "a <= b": a literal '<'. */
		put(o, "<", 1);
		return i + 1;
	}
	while (j < len &&
	       (is_alnum((unsigned char)s[j]) || s[j] == '-' || s[j] == ':')) {
		if (n < sizeof(name) - 1)
			name[n++] = (char)(s[j] | 0x20);
		j++;
	}
	name[n] = '\0';
	j = skip_tag(s, len, j, &self_closing);

	tag = tag_of(name);
	if (tag == T_HEAD) {
		*in_head = !end_tag;
		return j;
	}
	if (tag == T_BODY) {
		*in_head = false;
		return j;
	}
	if (tag == T_SKIP && !end_tag && !self_closing)
		return skip_to_end_tag(s, len, j, name);
	if (*in_head) {
		/* Like browsers: a tag that cannot be in <head> ends it. */
		if (tag == T_HEAD_OK || tag == T_SKIP)
			return j;
		*in_head = false;
	}
	switch (tag) {
	case T_BR:
		if (o->nl < 2)
			o->nl++;
		o->space = false;
		break;
	case T_PRE:
		o->pre = !end_tag;
		line_break(o, 2);
		break;
	case T_PARA:
		line_break(o, 2);
		break;
	case T_LI:
		line_break(o, 1);
		if (!end_tag) {
			put(o, "\xE2\x80\xA2", 3); /* "•" */
			o->space = true;
		}
		break;
	case T_LINE:
		line_break(o, 1);
		break;
	case T_CELL:
		o->space = true;
		break;
	default:
		break;
	}
	return j;
}

/*
 * Characters the sanitizer removed (controls, bidi marks) were visible to
 * the whitespace bookkeeping above, so line breaks around them may have
 * piled up.  In out[start..]: every run of spaces and newlines that holds
 * a newline becomes at most two newlines plus the spaces after the last
 * one (indentation inside <pre>); trailing spaces on a line go.
 */
static void
tidy_breaks(struct strbuf *sb, size_t start)
{
	char *r = sb->buf + start, *w = r, *end = sb->buf + sb->len;

	while (r < end) {
		char *q = r, *after = r;
		int nl = 0;

		if (*r != ' ' && *r != '\n') {
			*w++ = *r++;
			continue;
		}
		for (; q < end && (*q == ' ' || *q == '\n'); q++) {
			if (*q == '\n') {
				nl++;
				after = q + 1;
			}
		}
		if (nl > 2)
			nl = 2;
		while (nl--)
			*w++ = '\n';
		memmove(w, after, (size_t)(q - after));
		w += q - after;
		r = q;
	}
	if (sb->alloc) {
		sb->len = (size_t)(w - sb->buf);
		sb->buf[sb->len] = '\0';
	}
}

/* Bytes that end a run of ordinary text: markup, references, spaces. */
static const bool special[256] = {
    ['<'] = true,  ['&'] = true,  [' '] = true,  ['\t'] = true,
    ['\n'] = true, ['\r'] = true, ['\f'] = true,
};

bool
html_to_text(struct strbuf *out, const char *s, size_t len, size_t max_bytes)
{
	struct out o = {STRBUF_INIT, 0, 0, false, false};
	size_t i = 0;
	bool in_head = false, cut = false, truncated;
	size_t start;

	/*
	 * Scan until the text is comfortably past the cap: sanitizing may
	 * drop characters, so stopping exactly at max_bytes could end short.
	 */
	o.limit =
	    max_bytes > (SIZE_MAX - 64) / 2 ? SIZE_MAX : 2 * max_bytes + 64;
	/* Text is rarely longer than its HTML: one allocation, usually. */
	strbuf_grow(&o.raw, len < o.limit ? len : o.limit);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (o.raw.len >= o.limit) {
			cut = true;
			break;
		}
		if (c == '<') {
			i = markup(&o, s, len, i, &in_head);
			continue;
		}
		if (in_head) {
			i++;
			continue;
		}
		if (c == '&') {
			size_t n = char_ref(&o, s + i, len - i);

			if (n) {
				i += n;
				continue;
			}
			put(&o, "&", 1);
			i++;
			continue;
		}
		if (is_html_space(c)) {
			if (!o.pre) {
				o.space = true;
			} else if (c == '\n') {
				if (o.nl < 2)
					o.nl++;
				o.space = false;
			} else if (c != '\r') {
				put(&o, " ", 1);
			}
			i++;
			continue;
		}
		/* A run of ordinary bytes in one go. */
		{
			size_t j = i + 1;

			while (j < len && !special[(unsigned char)s[j]])
				j++;
			put(&o, s + i, j - i);
			i = j;
		}
	}
	start = out->len;
	truncated =
	    text_sanitize(out, o.raw.buf, o.raw.len, TEXT_BODY, max_bytes);
	tidy_breaks(out, start);
	strbuf_release(&o.raw);
	return truncated || cut;
}
