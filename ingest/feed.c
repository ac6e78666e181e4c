#include "ingest/feed.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "ingest/html.h"
#include "ingest/xml.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"

#define NS_ATOM10  "http://www.w3.org/2005/Atom"
#define NS_ATOM03  "http://purl.org/atom/ns#"
#define NS_RDF     "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS10   "http://purl.org/rss/1.0/"
#define NS_RSS090  "http://my.netscape.com/rdf/simple/0.9/"
#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_XML     "http://www.w3.org/XML/1998/namespace"

/* What an open element is to us. */
enum role {
	R_IGNORE,  /* a subtree we do not read */
	R_RSS,     /* <rss> */
	R_RDF,     /* <rdf:RDF> */
	R_FEED,    /* Atom <feed> */
	R_CHANNEL, /* RSS <channel> */
	R_ITEM,    /* RSS <item>, Atom <entry> */
	R_AUTHOR,  /* Atom <author> of an entry */
	R_FEED_AUTHOR,
	R_COMPANY_INFO,  /* EDGAR getcompany <company-info> */
	R_EDGAR_CONTENT, /* EDGAR <content type="text/xml"> */
	R_EDGAR_XBRL,    /* usgaap.rss <edgar:xbrlFiling> */
	R_FIELD,         /* text being captured, or inside it */
};

/* Text captured from the document, one buffer each. */
enum field {
	F_DISCARD, /* a repeated single-valued field: captured, then dropped */
	F_FEED_TITLE,
	F_FEED_LINK,
	F_FEED_AUTHOR,
	F_FEED_CIK,
	F_TITLE,
	F_LINK,
	F_GUID,
	F_ABOUT, /* RDF item rdf:about */
	F_SUMMARY,
	F_CONTENT,
	F_AUTHOR,   /* '\n'-separated when several */
	F_CREATOR,  /* dc:creator */
	F_PUBDATE,  /* pubDate, Atom published/issued */
	F_DCDATE,   /* dc:date */
	F_ISSUED,   /* dcterms:issued/created */
	F_UPDATED,  /* Atom updated/modified, dcterms:modified */
	F_CATEGORY, /* '\n'-separated */
	F_E_FORM,
	F_E_CATFORM, /* <category label="form type" term=...> */
	F_E_ACC,
	F_E_CIK,
	F_E_FILED,     /* YYYY-MM-DD */
	F_E_FILED_MDY, /* MM/DD/YYYY (usgaap.rss) */
	NFIELDS
};

/* How captured text is to be read. */
enum textkind {
	TK_TEXT,
	TK_HTML,  /* HTML source (entity-escaped or CDATA) */
	TK_XHTML, /* inline XHTML elements: re-serialized as HTML */
	TK_SKIP,  /* base64, other media types: not text for us */
};

struct frame {
	enum role role;
	const char *base; /* xml:base in effect, or NULL */
	bool own_base;    /* base was allocated for this element */
};

struct fp {
	struct feed *feed;
	const struct feed_options *opt;
	size_t max_items, max_title, max_summary;
	const char *core_ns; /* namespace of the format's own elements */
	bool atom, atom03;

	struct frame *stack;
	size_t depth, stack_alloc;

	struct strbuf raw[NFIELDS];
	bool raw_cut[NFIELDS];
	bool seen[NFIELDS];
	enum field cap;   /* capturing into raw[cap] ... */
	bool capturing;   /* ... while this is set */
	size_t cap_depth; /* the depth of the captured element */
	enum textkind cap_kind;
	size_t cap_limit;

	enum textkind title_kind, summary_kind, content_kind, feed_title_kind;
	bool guid_permalink;
	bool item_edgar;
	struct strbuf item_link; /* resolved */
	int item_link_score;
	struct strbuf feed_link;
	int feed_link_score;

	struct strbuf scratch, scratch2;
	size_t items_alloc;
	bool *needs_cik; /* per item: fill from company-info or link later */
};

static bool
streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Same namespace: both absent or equal. */
static bool
same_ns(const char *a, const char *b)
{
	return (!a && !b) || streq(a, b);
}

static const char *
attr(const struct xml_elem *e, const char *ns, const char *local)
{
	size_t i;

	for (i = 0; i < e->nattrs; i++)
		if (streq(e->attrs[i].local, local) &&
		    same_ns(e->attrs[i].ns, ns))
			return e->attrs[i].value;
	return NULL;
}

/* ---- links ---------------------------------------------------------------- */

static bool
has_prefix_ci(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

static bool
needs_escape(unsigned char c)
{
	switch (c) {
	case '"':
	case '<':
	case '>':
	case '\\':
	case '^':
	case '`':
	case '{':
	case '|':
	case '}':
		return true;
	default:
		return c <= 0x20 || c >= 0x7F;
	}
}

/*
 * Percent-encode what may not stand in a URI (RFC 3986; RFC 3987 3.1 for
 * non-ASCII): the stored link is plain ASCII, and libxml2's URI parser
 * accepts it.
 */
static void
uri_escape(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	while (*s) {
		size_t n = 0;

		while (s[n] && !needs_escape((unsigned char)s[n]))
			n++;
		strbuf_add(out, s, n);
		s += n;
		if (*s) {
			unsigned char c = (unsigned char)*s++;
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};

			strbuf_add(out, e, 3);
		}
	}
}

/* Whether s (escaped) is http(s)://host...; lower-cases the scheme. */
static bool
web_url(char *s)
{
	size_t n;

	if (has_prefix_ci(s, "http://"))
		n = 7;
	else if (has_prefix_ci(s, "https://"))
		n = 8;
	else
		return false;
	for (size_t i = 0; i < n - 3; i++)
		s[i] = (char)(s[i] | 0x20);
	/* a host (or user@host, [IPv6], %-escaped IDN) must follow */
	return ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z') ||
	       (s[n] >= '0' && s[n] <= '9') || s[n] == '[' || s[n] == '%';
}

/* A scheme ("javascript:", "mailto:") before any '/', '?', '#'. */
static bool
has_scheme(const char *s)
{
	const char *p = s;

	if (!((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
		return false;
	while (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/*
 * The absolute http(s) URL of link (clean text) resolved against base
 * (an absolute URL or NULL), into out; false if there is none.
 */
static bool
resolve_url(struct strbuf *out, const char *link, const char *base)
{
	struct strbuf l = STRBUF_INIT, b = STRBUF_INIT;
	xmlChar *r = NULL;
	bool ok = false;

	strbuf_reset(out);
	if (!*link)
		return false;
	uri_escape(&l, link);
	if (has_scheme(l.buf)) {
		ok = web_url(l.buf);
		if (ok)
			strbuf_add(out, l.buf, l.len);
	} else if (base) {
		uri_escape(&b, base);
		r = xmlBuildURI((const xmlChar *)l.buf, (const xmlChar *)b.buf);
		/*
		 * libxml2 unescapes some parts (the host) when it rebuilds
		 * the URI: escape its result again.
		 */
		if (r)
			uri_escape(out, (const char *)r);
		xmlFree(r);
		ok = out->len && web_url(out->buf);
	}
	strbuf_release(&l);
	strbuf_release(&b);
	if (ok && out->len > FEED_FIELD_MAX)
		ok = false; /* cutting a URL would change where it points */
	if (!ok)
		strbuf_reset(out);
	return ok;
}

/* ---- the element stack -------------------------------------------------- */

static struct frame *
top(struct fp *p)
{
	return p->depth ? &p->stack[p->depth - 1] : NULL;
}

static void
push(struct fp *p, enum role role, const struct xml_elem *e)
{
	struct frame *parent, *f;
	const char *xb = attr(e, NS_XML, "base");

	if (p->depth == p->stack_alloc) {
		p->stack_alloc = p->stack_alloc ? 2 * p->stack_alloc : 32;
		p->stack =
		    xreallocarray(p->stack, p->stack_alloc, sizeof(*p->stack));
	}
	parent = top(p); /* only now: the stack may have moved */
	f = &p->stack[p->depth++];
	f->role = role;
	f->base = parent ? parent->base : p->opt->base_url;
	f->own_base = false;
	/* Only where links are read: not in skipped subtrees or text. */
	if (xb && (!parent ||
	           (parent->role != R_IGNORE && parent->role != R_FIELD))) {
		struct strbuf clean = STRBUF_INIT, url = STRBUF_INIT;

		/*
		 * An xml:base that does not resolve to http(s) is ignored:
		 * the outer base stays in effect.
		 */
		text_sanitize(&clean, xb, strlen(xb), TEXT_LINE,
		              FEED_FIELD_MAX);
		if (resolve_url(&url, clean.buf, f->base)) {
			f->base = strbuf_detach(&url, NULL);
			f->own_base = true;
		}
		strbuf_release(&clean);
		strbuf_release(&url);
	}
}

static void
pop(struct fp *p)
{
	struct frame *f = top(p);

	if (!f)
		return;
	if (f->own_base)
		free((char *)(uintptr_t)f->base);
	p->depth--;
}

/* ---- capture -------------------------------------------------------------- */

static bool
single_valued(enum field f)
{
	return f != F_AUTHOR && f != F_CATEGORY && f != F_DISCARD;
}

static size_t
raw_limit(const struct fp *p, enum field f)
{
	switch (f) {
	case F_SUMMARY:
	case F_CONTENT:
		/* HTML source is bulkier than its text. */
		return 4 * p->max_summary + 65536;
	case F_TITLE:
	case F_FEED_TITLE:
		return 4 * p->max_title + 4096;
	case F_CATEGORY:
		return 2 * FEED_CATEGORIES_MAX;
	default:
		return 2 * FEED_FIELD_MAX;
	}
}

static void
capture(struct fp *p, enum field f, enum textkind kind)
{
	if (single_valued(f) && p->seen[f])
		f = F_DISCARD;
	p->seen[f] = true;
	if (f == F_DISCARD)
		strbuf_reset(&p->raw[F_DISCARD]);
	else if (!single_valued(f) && p->raw[f].len)
		strbuf_addch(&p->raw[f], '\n');
	p->cap = f;
	p->capturing = true;
	p->cap_depth = p->depth; /* the field's frame is pushed next */
	p->cap_kind = kind;
	p->cap_limit = raw_limit(p, f);
}

static void
cap_add(struct fp *p, const char *s, size_t len)
{
	struct strbuf *sb = &p->raw[p->cap];
	size_t room;

	if (sb->len >= p->cap_limit) {
		p->raw_cut[p->cap] = true;
		return;
	}
	room = p->cap_limit - sb->len;
	if (len > room) {
		/* cut on a character boundary: no U+FFFD at the end */
		len = room;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		p->raw_cut[p->cap] = true;
	}
	strbuf_add(sb, s, len);
}

/* Character data as HTML source (for TK_XHTML). */
static void
cap_add_escaped(struct fp *p, const char *s, size_t len)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++) {
		const char *rep = s[i] == '<'   ? "&lt;"
		                  : s[i] == '&' ? "&amp;"
		                  : s[i] == '>' ? "&gt;"
		                                : NULL;

		if (!rep)
			continue;
		cap_add(p, s + from, i - from);
		cap_add(p, rep, strlen(rep));
		from = i + 1;
	}
	cap_add(p, s + from, len - from);
}

/* ---- dispatch ------------------------------------------------------------ */

static enum textkind
atom_kind(const struct xml_elem *e)
{
	const char *type = attr(e, NULL, "type");
	const char *mode = attr(e, NULL, "mode"); /* Atom 0.3 */

	if (mode && !strcasecmp(mode, "base64"))
		return TK_SKIP;
	if (!type)
		return mode && !strcasecmp(mode, "escaped") ? TK_HTML : TK_TEXT;
	if (!strcasecmp(type, "text") || !strcasecmp(type, "text/plain"))
		return TK_TEXT;
	if (!strcasecmp(type, "html") || !strcasecmp(type, "text/html"))
		return mode && !strcasecmp(mode, "xml") ? TK_XHTML : TK_HTML;
	if (!strcasecmp(type, "xhtml") ||
	    !strcasecmp(type, "application/xhtml+xml"))
		return mode && !strcasecmp(mode, "escaped") ? TK_HTML
		                                            : TK_XHTML;
	if (!strncasecmp(type, "text/", 5))
		return TK_TEXT;
	return TK_SKIP;
}

static void
begin_item(struct fp *p)
{
	int f;

	for (f = F_TITLE; f < NFIELDS; f++) {
		strbuf_reset(&p->raw[f]);
		p->raw_cut[f] = false;
		p->seen[f] = false;
	}
	strbuf_reset(&p->item_link);
	p->item_link_score = 0;
	p->title_kind = p->summary_kind = p->content_kind = TK_TEXT;
	p->guid_permalink = true;
	p->item_edgar = false;
}

/* An Atom <link>: keep the best alternate (text/html > no type > other). */
static void
atom_link(struct fp *p, const struct xml_elem *e, bool feed_level)
{
	const char *rel = attr(e, NULL, "rel");
	const char *type = attr(e, NULL, "type");
	const char *href = attr(e, NULL, "href");
	struct strbuf clean = STRBUF_INIT, url = STRBUF_INIT;
	struct strbuf *best = feed_level ? &p->feed_link : &p->item_link;
	int *best_score =
	    feed_level ? &p->feed_link_score : &p->item_link_score;
	int score;

	if (!href || (rel && strcmp(rel, "alternate") != 0))
		return;
	score = !type                                        ? 2
	        : !strcasecmp(type, "text/html")             ? 3
	        : !strcasecmp(type, "application/xhtml+xml") ? 3
	                                                     : 1;
	if (score <= *best_score)
		return;
	text_sanitize(&clean, href, strlen(href), TEXT_LINE, FEED_FIELD_MAX);
	if (resolve_url(&url, clean.buf, top(p)->base)) {
		strbuf_swap(best, &url);
		*best_score = score;
	}
	strbuf_release(&clean);
	strbuf_release(&url);
}

static void
atom_category(struct fp *p, const struct xml_elem *e)
{
	const char *term = attr(e, NULL, "term");
	const char *label = attr(e, NULL, "label");
	const char *scheme = attr(e, NULL, "scheme");
	struct strbuf *c = &p->raw[F_CATEGORY];

	if (!term || !*term)
		return;
	if (c->len)
		strbuf_addch(c, '\n');
	if (c->len + strlen(term) <= raw_limit(p, F_CATEGORY))
		strbuf_adds(c, term);
	if ((label && !strcasecmp(label, "form type")) ||
	    (scheme && strstr(scheme, "sec.gov"))) {
		strbuf_reset(&p->raw[F_E_CATFORM]);
		text_sanitize(&p->raw[F_E_CATFORM], term, strlen(term),
		              TEXT_LINE, 64);
	}
}

static void
root(struct fp *p, struct xml_stream *xs, const struct xml_elem *e)
{
	const char *version = attr(e, NULL, "version");

	if (!strcmp(e->local, "rss")) {
		p->feed->kind = version && !strncmp(version, "0.", 2)
		                    ? FEED_RSS_09X
		                    : FEED_RSS_20;
		p->core_ns = e->ns;
		push(p, R_RSS, e);
	} else if (!strcmp(e->local, "RDF") && streq(e->ns, NS_RDF)) {
		p->feed->kind = FEED_RSS_10;
		p->core_ns = NS_RSS10; /* or 0.90's: see on_start() */
		push(p, R_RDF, e);
	} else if (!strcmp(e->local, "feed") &&
	           (!e->ns || streq(e->ns, NS_ATOM10) ||
	            streq(e->ns, NS_ATOM03))) {
		p->atom = true;
		p->atom03 = streq(e->ns, NS_ATOM03) ||
		            (!e->ns && version && !strcmp(version, "0.3"));
		p->feed->kind = p->atom03 ? FEED_ATOM_03 : FEED_ATOM_10;
		p->core_ns = e->ns;
		push(p, R_FEED, e);
	} else {
		struct strbuf name = STRBUF_INIT;

		text_sanitize(&name, e->local, strlen(e->local), TEXT_LINE, 64);
		xml_stream_abort(xs, ST_DATAERR,
		                 "not a feed: root element <%s>", name.buf);
		strbuf_release(&name);
		push(p, R_IGNORE, e);
	}
}

/* The field an RSS item child is, or -1 for none. */
static int
rss_item_field(struct fp *p, const struct xml_elem *e, enum textkind *kind)
{
	const char *l = e->local;

	*kind = TK_TEXT;
	if (same_ns(e->ns, p->core_ns)) {
		if (!strcmp(l, "title"))
			return F_TITLE;
		if (!strcmp(l, "link"))
			return F_LINK;
		if (!strcmp(l, "description")) {
			*kind = TK_HTML;
			return F_SUMMARY;
		}
		if (!strcmp(l, "guid")) {
			const char *pl = attr(e, NULL, "isPermaLink");

			if (!p->seen[F_GUID])
				p->guid_permalink = !pl || strcmp(pl, "false");
			return F_GUID;
		}
		if (!strcmp(l, "pubDate"))
			return F_PUBDATE;
		if (!strcmp(l, "author"))
			return F_AUTHOR;
		if (!strcmp(l, "category"))
			return F_CATEGORY;
		return -1;
	}
	if (streq(e->ns, NS_DC)) {
		if (!strcmp(l, "creator"))
			return F_CREATOR;
		if (!strcmp(l, "date"))
			return F_DCDATE;
		if (!strcmp(l, "subject"))
			return F_CATEGORY;
		return -1;
	}
	if (streq(e->ns, NS_DCTERMS)) {
		if (!strcmp(l, "issued") || !strcmp(l, "created"))
			return F_ISSUED;
		if (!strcmp(l, "modified"))
			return F_UPDATED;
		return -1;
	}
	if (streq(e->ns, NS_CONTENT) && !strcmp(l, "encoded")) {
		*kind = TK_HTML;
		return F_CONTENT;
	}
	return -1;
}

/* The field an Atom entry child is (-1: none); may set the role. */
static int
atom_entry_field(struct fp *p, const struct xml_elem *e, enum textkind *kind,
                 enum role *role)
{
	const char *l = e->local;

	*kind = TK_TEXT;
	if (!same_ns(e->ns, p->core_ns)) {
		if (streq(e->ns, NS_DC)) {
			if (!strcmp(l, "creator"))
				return F_CREATOR;
			if (!strcmp(l, "subject"))
				return F_CATEGORY;
			if (!strcmp(l, "date"))
				return F_DCDATE;
		}
		return -1;
	}
	if (!strcmp(l, "title")) {
		*kind = atom_kind(e);
		if (!p->seen[F_TITLE])
			p->title_kind = *kind;
		return F_TITLE;
	}
	if (!strcmp(l, "id"))
		return F_GUID;
	if (!strcmp(l, "summary")) {
		*kind = atom_kind(e);
		if (!p->seen[F_SUMMARY])
			p->summary_kind = *kind;
		return F_SUMMARY;
	}
	if (!strcmp(l, "content")) {
		const char *type = attr(e, NULL, "type");

		if (type && (!strcasecmp(type, "text/xml") ||
		             !strcasecmp(type, "xml"))) {
			*role = R_EDGAR_CONTENT;
			return -1;
		}
		if (attr(e, NULL, "src"))
			return -1; /* out-of-line content: nothing to read */
		*kind = atom_kind(e);
		if (!p->seen[F_CONTENT])
			p->content_kind = *kind;
		return F_CONTENT;
	}
	if (!strcmp(l, "published") || !strcmp(l, "issued"))
		return F_PUBDATE;
	if (!strcmp(l, "created"))
		return F_ISSUED;
	if (!strcmp(l, "updated") || !strcmp(l, "modified"))
		return F_UPDATED;
	if (!strcmp(l, "author")) {
		*role = R_AUTHOR;
		return -1;
	}
	if (!strcmp(l, "link")) {
		atom_link(p, e, false);
		return -1;
	}
	if (!strcmp(l, "category")) {
		atom_category(p, e);
		return -1;
	}
	return -1;
}

static void
on_start(struct xml_stream *xs, void *ctx, const struct xml_elem *e)
{
	struct fp *p = ctx;
	struct frame *parent = top(p);
	enum role role = R_IGNORE;
	enum textkind kind = TK_TEXT;
	int field = -1;

	if (!parent) {
		root(p, xs, e);
		return;
	}
	switch (parent->role) {
	case R_IGNORE:
		break;
	case R_FIELD:
		role = R_FIELD;
		/* Markup inside HTML-ish text: keep the tag for html.c. */
		if (p->cap_kind == TK_HTML || p->cap_kind == TK_XHTML) {
			cap_add(p, "<", 1);
			cap_add(p, e->local, strlen(e->local));
			cap_add(p, ">", 1);
		}
		break;
	case R_RSS:
	case R_RDF:
		if (!strcmp(e->local, "channel") || !strcmp(e->local, "item")) {
			if (parent->role == R_RDF && streq(e->ns, NS_RSS090)) {
				p->core_ns = NS_RSS090;
				p->feed->kind = FEED_RSS_09X;
			}
			if (same_ns(e->ns, p->core_ns))
				role = e->local[0] == 'c' ? R_CHANNEL : R_ITEM;
		}
		break;
	case R_CHANNEL:
		if (!same_ns(e->ns, p->core_ns))
			break;
		if (!strcmp(e->local, "item"))
			role = R_ITEM;
		else if (!strcmp(e->local, "title"))
			field = F_FEED_TITLE;
		else if (!strcmp(e->local, "link"))
			field = F_FEED_LINK;
		break;
	case R_FEED:
		if (!same_ns(e->ns, p->core_ns))
			break;
		if (!strcmp(e->local, "entry")) {
			role = R_ITEM;
		} else if (!strcmp(e->local, "title")) {
			field = F_FEED_TITLE;
			kind = atom_kind(e);
			if (!p->seen[F_FEED_TITLE])
				p->feed_title_kind = kind;
		} else if (!strcmp(e->local, "link")) {
			push(p, R_IGNORE, e); /* for its xml:base */
			atom_link(p, e, true);
			return;
		} else if (!strcmp(e->local, "author")) {
			role = R_FEED_AUTHOR;
		} else if (!strcmp(e->local, "company-info")) {
			role = R_COMPANY_INFO;
		}
		break;
	case R_FEED_AUTHOR:
		if (same_ns(e->ns, p->core_ns) && !strcmp(e->local, "name"))
			field = F_FEED_AUTHOR;
		break;
	case R_COMPANY_INFO:
		if (same_ns(e->ns, p->core_ns) && !strcmp(e->local, "cik"))
			field = F_FEED_CIK;
		break;
	case R_AUTHOR:
		if (same_ns(e->ns, p->core_ns) && !strcmp(e->local, "name"))
			field = F_AUTHOR;
		break;
	case R_EDGAR_CONTENT:
		p->item_edgar =
		    p->item_edgar || !strcmp(e->local, "accession-number");
		if (!strcmp(e->local, "accession-number"))
			field = F_E_ACC;
		else if (!strcmp(e->local, "filing-type"))
			field = F_E_FORM;
		else if (!strcmp(e->local, "filing-date"))
			field = F_E_FILED;
		break;
	case R_EDGAR_XBRL:
		if (!strcmp(e->local, "formType"))
			field = F_E_FORM;
		else if (!strcmp(e->local, "filingDate"))
			field = F_E_FILED_MDY;
		else if (!strcmp(e->local, "cikNumber"))
			field = F_E_CIK;
		else if (!strcmp(e->local, "accessionNumber"))
			field = F_E_ACC;
		break;
	case R_ITEM:
		if (p->atom) {
			/* atom_link() and friends need this element's base */
			push(p, R_IGNORE, e);
			field = atom_entry_field(p, e, &kind, &role);
			top(p)->role = field >= 0 ? R_FIELD : role;
			if (field >= 0)
				capture(p, (enum field)field, kind);
			if (field >= 0)
				p->cap_depth = p->depth;
			return;
		}
		if (!strcmp(e->local, "xbrlFiling") && e->ns &&
		    strstr(e->ns, "sec.gov/Archives/edgar")) {
			role = R_EDGAR_XBRL;
			p->item_edgar = true;
			break;
		}
		field = rss_item_field(p, e, &kind);
		break;
	}
	if (field >= 0) {
		capture(p, (enum field)field, kind);
		role = R_FIELD;
	}
	if (role == R_ITEM) {
		begin_item(p);
		if (!p->atom) {
			const char *about = attr(e, NS_RDF, "about");

			if (about)
				strbuf_adds(&p->raw[F_ABOUT], about);
		}
	}
	push(p, role, e);
	if (field >= 0)
		p->cap_depth = p->depth;
}

static void
on_text(struct xml_stream *xs, void *ctx, const char *s, size_t len)
{
	struct fp *p = ctx;

	if (!p->capturing)
		return;
	if (p->cap_kind == TK_XHTML)
		cap_add_escaped(p, s, len);
	else
		cap_add(p, s, len);
}

static void finish_item(struct fp *p);
static void end_link_field(struct fp *p, enum field f);

static void
on_end(struct xml_stream *xs, void *ctx, const char *local, const char *ns)
{
	struct fp *p = ctx;
	struct frame *f = top(p);

	if (!f)
		return;
	if (p->capturing && p->depth == p->cap_depth) {
		p->capturing = false;
		if (p->cap == F_LINK || p->cap == F_FEED_LINK)
			end_link_field(p, p->cap);
	} else if (f->role == R_FIELD &&
	           (p->cap_kind == TK_HTML || p->cap_kind == TK_XHTML)) {
		cap_add(p, "</", 2);
		cap_add(p, local, strlen(local));
		cap_add(p, ">", 1);
	}
	if (f->role == R_ITEM)
		finish_item(p);
	pop(p);
}

/* An RSS <link> just ended: resolve it against its element's base. */
static void
end_link_field(struct fp *p, enum field fld)
{
	struct strbuf clean = STRBUF_INIT;
	struct strbuf *dst = fld == F_LINK ? &p->item_link : &p->feed_link;
	int *score = fld == F_LINK ? &p->item_link_score : &p->feed_link_score;

	text_sanitize(&clean, p->raw[fld].buf, p->raw[fld].len, TEXT_LINE,
	              2 * FEED_FIELD_MAX);
	if (*score < 2 && resolve_url(dst, clean.buf, top(p)->base))
		*score = 2;
	strbuf_release(&clean);
}

/* ---- finishing an item ---------------------------------------------------- */

/* An exact-size copy of sb, or NULL if it is empty. */
static char *
dup_or_null(const struct strbuf *sb)
{
	return sb->len ? xstrndup(sb->buf, sb->len) : NULL;
}

/*
 * The stored form of captured text: HTML made plain, sanitized, capped.
 * Counts a cut in truncated_fields.
 */
static char *
finish_text(struct fp *p, enum field f, enum textkind kind, enum text_mode mode,
            size_t cap)
{
	struct strbuf *raw = &p->raw[f];
	bool cut = p->raw_cut[f];

	strbuf_reset(&p->scratch);
	if (!raw->len || kind == TK_SKIP)
		return NULL;
	if (kind == TK_TEXT) {
		cut |=
		    text_sanitize(&p->scratch, raw->buf, raw->len, mode, cap);
	} else if (mode == TEXT_BODY) {
		cut |= html_to_text(&p->scratch, raw->buf, raw->len, cap);
	} else {
		strbuf_reset(&p->scratch2);
		cut |= html_to_text(&p->scratch2, raw->buf, raw->len, 2 * cap);
		cut |= text_sanitize(&p->scratch, p->scratch2.buf,
		                     p->scratch2.len, TEXT_LINE, cap);
	}
	if (cut && p->scratch.len)
		p->feed->truncated_fields++;
	return dup_or_null(&p->scratch);
}

static char *
finish_line(struct fp *p, enum field f)
{
	return finish_text(p, f, TK_TEXT, TEXT_LINE, FEED_FIELD_MAX);
}

/*
 * Several '\n'-separated values, each cleaned, joined with sep; empty ones
 * and duplicates dropped.  Values stop at cap bytes in all.
 */
static char *
finish_list(struct fp *p, enum field f, const char *sep, size_t cap)
{
	const char *s = p->raw[f].buf, *end = s + p->raw[f].len;
	struct strbuf *out = &p->scratch2, one = STRBUF_INIT;
	size_t seen[64][2], nseen = 0, i, sl = strlen(sep);

	strbuf_reset(out);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		bool dup = false;

		strbuf_reset(&one);
		text_sanitize(&one, s, (size_t)(e - s), TEXT_LINE, cap);
		s = e + (nl ? 1 : 0);
		if (!one.len)
			continue;
		for (i = 0; i < nseen && !dup; i++)
			dup = seen[i][1] == one.len &&
			      !memcmp(out->buf + seen[i][0], one.buf, one.len);
		if (dup)
			continue;
		if (nseen == sizeof(seen) / sizeof(seen[0]) ||
		    out->len + sl + one.len > cap) {
			p->feed->truncated_fields++;
			break;
		}
		if (out->len)
			strbuf_add(out, sep, sl);
		seen[nseen][0] = out->len;
		seen[nseen++][1] = one.len;
		strbuf_add(out, one.buf, one.len);
	}
	strbuf_release(&one);
	return dup_or_null(out);
}

static int64_t
field_date(struct fp *p, enum field f)
{
	if (!p->raw[f].len || p->raw[f].len > 256)
		return FEED_TIME_UNKNOWN;
	return date_parse(p->raw[f].buf);
}

static uint64_t
fnv1a(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static char *
derived_guid(const struct feed_item *it)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char num[32], out[64];

	if (it->title)
		h = fnv1a(h, it->title, strlen(it->title));
	h = fnv1a(h, "", 1);
	snprintf(num, sizeof(num), "%lld", (long long)it->published);
	h = fnv1a(h, num, strlen(num));
	h = fnv1a(h, "", 1);
	if (it->summary)
		h = fnv1a(h, it->summary, strlen(it->summary));
	snprintf(out, sizeof(out), "urn:oligo:fnv1a64:%016llx",
	         (unsigned long long)h);
	return xstrdup(out);
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* NNNNNNNNNN-NN-NNNNNN at s. */
static bool
is_accession(const char *s)
{
	return all_digits(s, 10) && s[10] == '-' && all_digits(s + 11, 2) &&
	       s[13] == '-' && all_digits(s + 14, 6);
}

static char *
accession_at(const char *s)
{
	return s && is_accession(s) ? xstrndup(s, 20) : NULL;
}

/* 1-10 digits -> ten digits, zero-padded; NULL otherwise. */
static char *
cik10(const char *s, size_t n)
{
	char out[11];

	if (!all_digits(s, n) || n > 10)
		return NULL;
	memset(out, '0', 10 - n);
	memcpy(out + 10 - n, s, n);
	out[10] = '\0';
	return xstrdup(out);
}

static bool
is_ymd(const char *s)
{
	return all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) &&
	       s[7] == '-' && all_digits(s + 8, 2);
}

/* The CIK in "NAME (0001234567) (Role)": the last "(" 10 digits ")". */
static char *
cik_from_title(const char *t)
{
	const char *p, *found = NULL;

	for (p = t ? strchr(t, '(') : NULL; p; p = strchr(p + 1, '('))
		if (all_digits(p + 1, 10) && p[11] == ')')
			found = p + 1;
	return found ? xstrndup(found, 10) : NULL;
}

/* The form in "FORM - NAME ...": text before the first " - ". */
static char *
form_from_title(const char *t)
{
	const char *d = t ? strstr(t, " - ") : NULL;
	size_t n;

	if (!d)
		return NULL;
	n = (size_t)(d - t);
	while (n && t[n - 1] == ' ')
		n--;
	return n && n <= 32 ? xstrndup(t, n) : NULL;
}

/* "Key: value" in the summary text: the value's first word. */
static const char *
summary_value(const char *summary, const char *key)
{
	const char *v = summary ? strstr(summary, key) : NULL;

	if (!v)
		return NULL;
	v += strlen(key);
	while (*v == ' ')
		v++;
	return v;
}

static char *
cik_from_link(const char *link)
{
	const char *d = link ? strstr(link, "/Archives/edgar/data/") : NULL;
	size_t n = 0;

	if (!d)
		return NULL;
	d += strlen("/Archives/edgar/data/");
	while (d[n] >= '0' && d[n] <= '9')
		n++;
	return n && d[n] == '/' ? cik10(d, n) : NULL;
}

static void
finish_edgar(struct fp *p, struct feed_item *it, bool *needs_cik)
{
	char *v, *title_cik;
	const char *s;

	v = finish_line(p, F_E_FORM);
	if (!v && p->raw[F_E_CATFORM].len)
		v = xstrdup(p->raw[F_E_CATFORM].buf);
	if (!v)
		v = form_from_title(it->title);
	it->edgar_form = v;

	v = finish_line(p, F_E_ACC);
	if (v && !is_accession(v)) {
		free(v);
		v = NULL;
	}
	if (!v && it->guid)
		v = accession_at(summary_value(it->guid, "accession-number="));
	if (!v)
		v = accession_at(summary_value(it->summary, "AccNo:"));
	it->edgar_accession = v;

	title_cik = cik_from_title(it->title);
	v = finish_line(p, F_E_CIK);
	if (v) {
		char *padded = cik10(v, strlen(v));

		free(v);
		v = padded;
	}
	if (!v && title_cik)
		v = xstrdup(title_cik);
	it->edgar_cik = v;
	*needs_cik = v == NULL;

	v = finish_line(p, F_E_FILED);
	if (v && (strlen(v) != 10 || !is_ymd(v))) {
		free(v);
		v = NULL;
	}
	if (!v && (s = p->raw[F_E_FILED_MDY].buf, p->raw[F_E_FILED_MDY].len)) {
		/* usgaap.rss: MM/DD/YYYY */
		while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
			s++;
		if (all_digits(s, 2) && s[2] == '/' && all_digits(s + 3, 2) &&
		    s[5] == '/' && all_digits(s + 6, 4)) {
			char ymd[11];

			memcpy(ymd, s + 6, 4);
			ymd[4] = '-';
			memcpy(ymd + 5, s, 2);
			ymd[7] = '-';
			memcpy(ymd + 8, s + 3, 2);
			ymd[10] = '\0';
			v = xstrdup(ymd);
		}
	}
	if (!v && (s = summary_value(it->summary, "Filed:")) && is_ymd(s))
		v = xstrndup(s, 10);
	it->edgar_filed = v;

	/*
	 * getcurrent lists a filing once per party (filer, issuer,
	 * reporting owner...) under one Atom id: the party makes the key.
	 */
	if (p->atom && title_cik && it->guid &&
	    strstr(it->guid, "accession-number=")) {
		struct strbuf g = STRBUF_INIT;

		strbuf_addf(&g, "%s#%s", it->guid, title_cik);
		free(it->guid);
		it->guid = strbuf_detach(&g, NULL);
	}
	free(title_cik);
}

static void
finish_item(struct fp *p)
{
	struct feed *feed = p->feed;
	struct feed_item *it;
	bool needs_cik = false;

	if (feed->nitems >= p->max_items) {
		feed->dropped_items++;
		return;
	}
	if (feed->nitems == p->items_alloc) {
		p->items_alloc = p->items_alloc ? 2 * p->items_alloc : 16;
		feed->items = xreallocarray(feed->items, p->items_alloc,
		                            sizeof(*feed->items));
		p->needs_cik = xreallocarray(p->needs_cik, p->items_alloc,
		                             sizeof(*p->needs_cik));
	}
	it = &feed->items[feed->nitems];
	memset(it, 0, sizeof(*it));

	it->title = finish_text(p, F_TITLE, p->atom ? p->title_kind : TK_TEXT,
	                        TEXT_LINE, p->max_title);
	if (p->raw[F_SUMMARY].len && p->summary_kind != TK_SKIP)
		it->summary = finish_text(p, F_SUMMARY,
		                          p->atom ? p->summary_kind : TK_HTML,
		                          TEXT_BODY, p->max_summary);
	if (!it->summary)
		it->summary = finish_text(p, F_CONTENT,
		                          p->atom ? p->content_kind : TK_HTML,
		                          TEXT_BODY, p->max_summary);
	it->author = finish_list(p, F_AUTHOR, ", ", FEED_FIELD_MAX);
	if (!it->author)
		it->author = finish_line(p, F_CREATOR);
	it->published = field_date(p, F_PUBDATE);
	if (it->published == FEED_TIME_UNKNOWN)
		it->published = field_date(p, F_DCDATE);
	if (it->published == FEED_TIME_UNKNOWN)
		it->published = field_date(p, F_ISSUED);
	it->updated = field_date(p, F_UPDATED);
	it->categories = finish_list(p, F_CATEGORY, "\n", FEED_CATEGORIES_MAX);
	it->link = dup_or_null(&p->item_link);

	it->guid = finish_line(p, F_GUID);
	if (!it->guid)
		it->guid = finish_line(p, F_ABOUT);
	/*
	 * RSS 2.0: a permalink guid is the item's URL when <link> is
	 * missing; it never overrides <link>.
	 */
	if (!it->link && it->guid && p->guid_permalink && !p->atom &&
	    p->seen[F_GUID]) {
		struct strbuf url = STRBUF_INIT;

		if (resolve_url(&url, it->guid, NULL))
			it->link = strbuf_detach(&url, NULL);
		strbuf_release(&url);
	}
	if (!it->guid && it->link)
		it->guid = xstrdup(it->link);
	if (!it->guid)
		it->guid = derived_guid(it);

	if (p->item_edgar ||
	    (it->guid &&
	     !strncmp(it->guid, "urn:tag:sec.gov,2008:accession-number=", 38)))
		finish_edgar(p, it, &needs_cik);
	p->needs_cik[feed->nitems] = needs_cik;
	feed->nitems++;
}

/* ---- driving ---------------------------------------------------------------- */

static void
fp_reset(void *ctx)
{
	struct fp *p = ctx;
	int f;

	while (p->depth)
		pop(p);
	feed_release(p->feed);
	p->items_alloc = 0;
	for (f = 0; f < NFIELDS; f++) {
		strbuf_reset(&p->raw[f]);
		p->raw_cut[f] = false;
		p->seen[f] = false;
	}
	p->capturing = false;
	p->atom = p->atom03 = false;
	p->core_ns = NULL;
	strbuf_reset(&p->item_link);
	strbuf_reset(&p->feed_link);
	p->item_link_score = p->feed_link_score = 0;
	p->feed_title_kind = TK_TEXT;
}

static const struct xml_callbacks callbacks = {
    .start = on_start,
    .end = on_end,
    .text = on_text,
    .reset = fp_reset,
};

/* Feed-level fields and what needs every item (EDGAR CIKs). */
static void
finish_feed(struct fp *p)
{
	struct feed *feed = p->feed;
	char *feed_cik = NULL, *feed_author;
	size_t i;

	feed->title =
	    finish_text(p, F_FEED_TITLE, p->atom ? p->feed_title_kind : TK_TEXT,
	                TEXT_LINE, p->max_title);
	feed->link = dup_or_null(&p->feed_link);
	if (p->raw[F_FEED_CIK].len) {
		char *c = finish_line(p, F_FEED_CIK);

		feed_cik = c ? cik10(c, strlen(c)) : NULL;
		free(c);
	}
	feed_author = p->atom ? finish_line(p, F_FEED_AUTHOR) : NULL;
	for (i = 0; i < feed->nitems; i++) {
		struct feed_item *it = &feed->items[i];

		if (p->needs_cik[i]) {
			it->edgar_cik = feed_cik ? xstrdup(feed_cik)
			                         : cik_from_link(it->link);
		}
		/* Atom: entries inherit the feed's author (not EDGAR's
		 * "Webmaster", which says nothing about a filing). */
		if (!it->author && feed_author && !it->edgar_accession &&
		    !it->edgar_form)
			it->author = xstrdup(feed_author);
	}
	free(feed_cik);
	free(feed_author);
}

/* Does the start of the document look like HTML? */
static bool
looks_like_html(const char *data, size_t len)
{
	size_t i, n = len < 1024 ? len : 1024;

	for (i = 0; i + 5 <= n; i++) {
		if (data[i] != '<')
			continue;
		if (!strncasecmp(data + i, "<html", 5) ||
		    (i + 14 <= n &&
		     !strncasecmp(data + i, "<!doctype html", 14)))
			return true;
	}
	return false;
}

enum status
feed_parse(struct feed *out, const char *data, size_t len,
           const struct feed_options *opt)
{
	static const struct feed_options defaults;
	struct fp p;
	struct xml_options xo;
	struct xml_info info;
	struct strbuf what = STRBUF_INIT;
	enum status st;
	int f;

	if (!opt)
		opt = &defaults;
	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.feed = out;
	p.opt = opt;
	p.max_items = opt->max_items ? opt->max_items : FEED_DEFAULT_MAX_ITEMS;
	p.max_title = opt->max_title ? opt->max_title : FEED_DEFAULT_MAX_TITLE;
	p.max_summary =
	    opt->max_summary ? opt->max_summary : FEED_DEFAULT_MAX_SUMMARY;
	for (f = 0; f < NFIELDS; f++)
		strbuf_init(&p.raw[f], 0);
	strbuf_init(&p.item_link, 0);
	strbuf_init(&p.feed_link, 0);
	strbuf_init(&p.scratch, 0);
	strbuf_init(&p.scratch2, 0);

	strbuf_adds(&what, "feed '");
	text_sanitize(&what, opt->name ? opt->name : "?",
	              strlen(opt->name ? opt->name : "?"), TEXT_LINE, 200);
	strbuf_addch(&what, '\'');
	memset(&xo, 0, sizeof(xo));
	xo.what = what.buf;
	xo.charset = opt->charset;
	xo.max_bytes = opt->max_bytes ? opt->max_bytes : FEED_DEFAULT_MAX_BYTES;

	st = xml_parse_stream(data, len, &xo, &callbacks, &p, &info);
	if (st == ST_OK) {
		finish_feed(&p);
		out->re_decoded = info.re_decoded;
	} else {
		if (!strstr(err_msg(), "not a feed") &&
		    strstr(err_msg(), "not well-formed") &&
		    looks_like_html(data, len))
			st = err_set(ST_DATAERR,
			             "%s: not a feed: looks like an HTML page",
			             what.buf);
		fp_reset(&p);
		memset(out, 0, sizeof(*out));
	}
	while (p.depth)
		pop(&p);
	for (f = 0; f < NFIELDS; f++)
		strbuf_release(&p.raw[f]);
	strbuf_release(&p.item_link);
	strbuf_release(&p.feed_link);
	strbuf_release(&p.scratch);
	strbuf_release(&p.scratch2);
	strbuf_release(&what);
	free(p.stack);
	free(p.needs_cik);
	return st;
}

void
feed_release(struct feed *feed)
{
	size_t i;

	for (i = 0; i < feed->nitems; i++) {
		struct feed_item *it = &feed->items[i];

		free(it->guid);
		free(it->title);
		free(it->link);
		free(it->summary);
		free(it->author);
		free(it->categories);
		free(it->edgar_form);
		free(it->edgar_accession);
		free(it->edgar_cik);
		free(it->edgar_filed);
	}
	free(feed->items);
	free(feed->title);
	free(feed->link);
	memset(feed, 0, sizeof(*feed));
}

const char *
feed_kind_name(enum feed_kind kind)
{
	switch (kind) {
	case FEED_RSS_09X:
		return "rss0.9x";
	case FEED_RSS_10:
		return "rss1.0";
	case FEED_RSS_20:
		return "rss2.0";
	case FEED_ATOM_03:
		return "atom0.3";
	case FEED_ATOM_10:
		return "atom1.0";
	}
	return "unknown";
}
