#include "ingest/xml.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "ingest/html.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"

#define XML_OPTIONS                                                            \
	(XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |             \
	 XML_PARSE_NOWARNING)

/* Error messages quoted from libxml2 are cut to this many bytes. */
#define ERR_MSG_MAX 200

static bool initialized;
static unsigned long denied_loads;

/*
 * libxml2 entities answering the HTML names, made on first use, one per
 * name and context: in character data a "predefined" entity is inlined as
 * text; in attribute values libxml2 would copy only the first byte of a
 * predefined one, so there it gets an internal general entity, which
 * leaves "&name;" in the value for attr_value() to decode.
 */
static xmlEntityPtr *html_text_ents, *html_attr_ents;

struct xml_stream {
	xmlParserCtxtPtr ctxt;
	const struct xml_callbacks *cb; /* NULL when building a tree */
	void *ctx;
	const char *what;

	bool have_err; /* the first error libxml2 reported */
	int err_code;
	int err_line;
	struct strbuf err_msg;

	bool aborted; /* by a callback, or by an entity declaration */
	enum status abort_st;
	struct strbuf abort_msg;

	/* scratch for the attributes of one start tag */
	struct xml_attr *attrs;
	size_t attrs_alloc;
	size_t *attr_off;
	struct strbuf attr_text;
};

static xmlParserInputPtr
deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	denied_loads++;
	return NULL;
}

void
xml_init(void)
{
	if (initialized)
		return;
	initialized = true;
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
}

unsigned long
xml_denied_loads(void)
{
	return denied_loads;
}

bool
xml_charset_from_content_type(const char *ct, char *buf, size_t bufsz)
{
	const char *p = ct;
	size_t n = 0;

	if (bufsz)
		buf[0] = '\0';
	if (!ct || !bufsz)
		return false;
	while ((p = strchr(p, ';')) != NULL) {
		const char *q = ++p;
		char quote = 0;

		while (*q == ' ' || *q == '\t')
			q++;
		if (strncasecmp(q, "charset", 7) != 0)
			continue;
		q += 7;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q++ != '=')
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '"' || *q == '\'')
			quote = *q++;
		for (n = 0; q[n] && q[n] != quote && q[n] != ';' &&
		            q[n] != ' ' && q[n] != '\t';
		     n++) {
			char c = q[n];

			if (!((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
			      c == ':' || c == '+' || c == '-'))
				return false;
		}
		if (n == 0 || n >= bufsz || (quote && q[n] != quote))
			return false;
		memcpy(buf, q, n);
		buf[n] = '\0';
		return true;
	}
	return false;
}

/* ---- errors ------------------------------------------------------------ */

static void
note_error(struct xml_stream *xs, const xmlError *e)
{
	const char *msg;

	/*
	 * Only fatal errors fail a document; libxml2 also reports recoverable
	 * ones (an unknown entity in a document with an external DTD,
	 * undeclared namespace prefixes) at level ERROR, and those pass.
	 */
	if (!e || e->level < XML_ERR_FATAL || xs->have_err)
		return;
	xs->have_err = true;
	xs->err_code = e->code;
	xs->err_line = e->line;
	msg = e->message ? e->message : "unknown error";
	/* libxml2 quotes input bytes in its messages: never trust them. */
	text_sanitize(&xs->err_msg, msg, strlen(msg), TEXT_LINE, ERR_MSG_MAX);
}

/* Errors raised with a parser context: ud is that context. */
static void
ctxt_serror(void *ud, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ud;

	note_error(ctxt->_private, e);
}

/* Errors raised without one (encoding conversion): ud is the stream. */
static void
global_serror(void *ud, xmlErrorPtr e)
{
	note_error(ud, e);
}

static void
silent_generic(void *ud, const char *msg, ...)
{
}

void
xml_stream_abort(struct xml_stream *xs, enum status st, const char *fmt, ...)
{
	va_list ap;

	if (xs->aborted)
		return;
	xs->aborted = true;
	xs->abort_st = st;
	va_start(ap, fmt);
	strbuf_vaddf(&xs->abort_msg, fmt, ap);
	va_end(ap);
	xmlStopParser(xs->ctxt);
}

/* ---- SAX handlers --------------------------------------------------------- */

static xmlEntityPtr
html_ent(size_t i, bool attr)
{
	xmlEntityPtr *tab;
	size_t n = html_entity_count();

	if (!html_text_ents) {
		html_text_ents = xcalloc(n, sizeof(*html_text_ents));
		html_attr_ents = xcalloc(n, sizeof(*html_attr_ents));
	}
	tab = attr ? html_attr_ents : html_text_ents;
	if (!tab[i]) {
		tab[i] = xmlNewEntity(
		    NULL, (const xmlChar *)html_entity_name(i),
		    attr ? XML_INTERNAL_GENERAL_ENTITY
		         : XML_INTERNAL_PREDEFINED_ENTITY,
		    NULL, NULL, (const xmlChar *)html_entity_value(i));
		if (!tab[i])
			die("out of memory");
	}
	return tab[i];
}

static xmlEntityPtr
sax_get_entity(void *ud, const xmlChar *name)
{
	xmlParserCtxtPtr ctxt = ud;
	xmlEntityPtr ent = xmlGetPredefinedEntity(name);
	int i;

	if (ent)
		return ent;
	i = html_entity_index((const char *)name, strlen((const char *)name));
	if (i < 0)
		return NULL;
	return html_ent((size_t)i, ctxt->instate == XML_PARSER_ATTRIBUTE_VALUE);
}

static void
refuse_entities(xmlParserCtxtPtr ctxt)
{
	struct xml_stream *xs = ctxt->_private;

	xml_stream_abort(xs, ST_DATAERR, "declares entities: refused");
}

static void
sax_entity_decl(void *ud, const xmlChar *name, int type,
                const xmlChar *public_id, const xmlChar *system_id,
                xmlChar *content)
{
	refuse_entities(ud);
}

static void
sax_unparsed_entity_decl(void *ud, const xmlChar *name,
                         const xmlChar *public_id, const xmlChar *system_id,
                         const xmlChar *notation)
{
	refuse_entities(ud);
}

/*
 * An attribute value as libxml2 hands it to SAX2 without entity
 * substitution: "&" arrives as "&#38;", and an HTML entity as "&name;"
 * (see html_ent()).  No other '&' can be in it.
 */
static void
attr_value(struct strbuf *sb, const char *v, const char *end)
{
	while (v < end) {
		const char *amp = memchr(v, '&', (size_t)(end - v));
		const char *semi;

		if (!amp) {
			strbuf_add(sb, v, (size_t)(end - v));
			return;
		}
		strbuf_add(sb, v, (size_t)(amp - v));
		semi = memchr(amp, ';', (size_t)(end - amp));
		if (semi && semi - amp == 4 && !memcmp(amp, "&#38;", 5)) {
			strbuf_addch(sb, '&');
		} else if (semi) {
			const char *t =
			    html_entity(amp + 1, (size_t)(semi - amp - 1));

			if (t)
				strbuf_adds(sb, t);
			else
				strbuf_add(sb, amp, (size_t)(semi - amp + 1));
		} else {
			strbuf_add(sb, amp, (size_t)(end - amp));
			return;
		}
		v = semi + 1;
	}
}

static void
sax_start(void *ud, const xmlChar *local, const xmlChar *prefix,
          const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
          int ndefaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ud;
	struct xml_stream *xs = ctxt->_private;
	struct xml_elem e;
	size_t i, n = nattrs > 0 ? (size_t)nattrs : 0;

	if (xs->aborted)
		return;
	if (n > xs->attrs_alloc) {
		xs->attrs = xreallocarray(xs->attrs, n, sizeof(*xs->attrs));
		xs->attr_off =
		    xreallocarray(xs->attr_off, n, sizeof(*xs->attr_off));
		xs->attrs_alloc = n;
	}
	strbuf_reset(&xs->attr_text);
	for (i = 0; i < n; i++) {
		const xmlChar **a = attrs + 5 * i; /* local prefix URI v end */

		xs->attr_off[i] = xs->attr_text.len;
		attr_value(&xs->attr_text, (const char *)a[3],
		           (const char *)a[4]);
		xs->attrs[i].len = xs->attr_text.len - xs->attr_off[i];
		strbuf_addch(&xs->attr_text, '\0');
		xs->attrs[i].local = (const char *)a[0];
		xs->attrs[i].ns = (const char *)a[2];
	}
	/* Pointers only now: the buffer may have moved while growing. */
	for (i = 0; i < n; i++)
		xs->attrs[i].value = xs->attr_text.buf + xs->attr_off[i];
	e.local = (const char *)local;
	e.ns = (const char *)uri;
	e.nattrs = n;
	e.attrs = xs->attrs;
	xs->cb->start(xs, xs->ctx, &e);
}

static void
sax_end(void *ud, const xmlChar *local, const xmlChar *prefix,
        const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ud;
	struct xml_stream *xs = ctxt->_private;

	if (!xs->aborted)
		xs->cb->end(xs, xs->ctx, (const char *)local,
		            (const char *)uri);
}

static void
sax_text(void *ud, const xmlChar *s, int len)
{
	xmlParserCtxtPtr ctxt = ud;
	struct xml_stream *xs = ctxt->_private;

	if (!xs->aborted && len > 0)
		xs->cb->text(xs, xs->ctx, (const char *)s, (size_t)len);
}

/* ---- the parse ------------------------------------------------------------ */

/* memmem() without _GNU_SOURCE. */
static const char *
find(const char *s, size_t len, const char *pat, size_t plen)
{
	while (len >= plen) {
		const char *p = memchr(s, pat[0], len - plen + 1);

		if (!p)
			return NULL;
		if (!memcmp(p, pat, plen))
			return p;
		len -= (size_t)(p - s) + 1;
		s = p + 1;
	}
	return NULL;
}

/*
 * Whether some start tag has more than max attributes.  Linear: text is
 * skipped with memchr(), quoted values likewise; comments, CDATA and
 * processing instructions are skipped whole.  Counting '=' outside quotes
 * overestimates only for malformed tags, which libxml2 refuses anyway.
 */
static bool
too_many_attrs(const char *s, size_t len, size_t max)
{
	size_t i = 0;

	while (i < len) {
		const char *lt = memchr(s + i, '<', len - i);
		const char *e;
		size_t n = 0;

		if (!lt)
			return false;
		i = (size_t)(lt - s) + 1;
		if (i + 2 < len && !memcmp(s + i, "!--", 3)) {
			e = find(s + i + 3, len - i - 3, "-->", 3);
			if (!e)
				return false;
			i = (size_t)(e - s) + 3;
			continue;
		}
		if (i + 7 < len && !memcmp(s + i, "![CDATA[", 8)) {
			e = find(s + i + 8, len - i - 8, "]]>", 3);
			if (!e)
				return false;
			i = (size_t)(e - s) + 3;
			continue;
		}
		if (i < len && s[i] == '?') {
			e = find(s + i, len - i, "?>", 2);
			if (!e)
				return false;
			i = (size_t)(e - s) + 2;
			continue;
		}
		if (i >= len || s[i] == '!' || s[i] == '/')
			continue;
		while (i < len && s[i] != '>' && s[i] != '<') {
			if (s[i] == '"' || s[i] == '\'') {
				e = memchr(s + i + 1, s[i], len - i - 1);
				if (!e)
					return false;
				i = (size_t)(e - s) + 1;
				continue;
			}
			if (s[i] == '=' && ++n > max)
				return true;
			i++;
		}
	}
	return false;
}

static void
setup_sax(xmlParserCtxtPtr ctxt, bool tree)
{
	xmlSAXHandler *sax = ctxt->sax;

	if (!tree) {
		/* No tree at all: only our callbacks, nothing is built. */
		memset(sax, 0, sizeof(*sax));
		sax->initialized = XML_SAX2_MAGIC;
		sax->startElementNs = sax_start;
		sax->endElementNs = sax_end;
		sax->characters = sax_text;
		sax->ignorableWhitespace = sax_text;
		/* cdataBlock stays NULL: CDATA arrives as characters. */
	} else {
		/* libxml2's tree builder, minus what could reach outside. */
		sax->externalSubset = NULL;
		sax->resolveEntity = NULL;
		sax->reference = NULL;
		sax->warning = NULL;
		sax->error = NULL;
		sax->fatalError = NULL;
	}
	sax->getEntity = sax_get_entity;
	sax->entityDecl = sax_entity_decl;
	sax->unparsedEntityDecl = sax_unparsed_entity_decl;
	sax->serror = ctxt_serror;
}

/* One parse attempt; encoding forces a decoder (NULL: detect). */
static void
attempt(struct xml_stream *xs, const char *data, size_t len,
        const char *encoding, xmlDocPtr *doc)
{
	xmlParserCtxtPtr ctxt;

	xs->have_err = false;
	strbuf_reset(&xs->err_msg);
	ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
	if (!ctxt)
		die("out of memory");
	xmlCtxtUseOptions(ctxt,
	                  XML_OPTIONS | (encoding ? XML_PARSE_IGNORE_ENC : 0));
	ctxt->_private = xs;
	xs->ctxt = ctxt;
	setup_sax(ctxt, doc != NULL);
	if (encoding) {
		xmlCharEncodingHandlerPtr h =
		    xmlFindCharEncodingHandler(encoding);

		if (!h) {
			/* a failed attempt like any other, not an abort */
			xs->have_err = true;
			xs->err_code = XML_ERR_UNSUPPORTED_ENCODING;
			xs->err_line = 0;
			strbuf_addf(&xs->err_msg, "unsupported encoding '%s'",
			            encoding);
			xmlFreeParserCtxt(ctxt);
			xs->ctxt = NULL;
			return;
		}
		xmlSwitchToEncoding(ctxt, h);
	}
	xmlParseDocument(ctxt);
	if (!ctxt->wellFormed && !xs->have_err) {
		xs->have_err = true;
		xs->err_code = ctxt->errNo;
		xs->err_line = 0;
		strbuf_adds(&xs->err_msg, "malformed document");
	}
	if (doc && ctxt->wellFormed && !xs->aborted)
		*doc = ctxt->myDoc;
	else if (ctxt->myDoc)
		/*
		 * In SAX mode libxml2 still makes a scratch document to hold
		 * declared entities ("SAX compatibility"); ours refused them
		 * but the document exists.
		 */
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	xs->ctxt = NULL;
}

/* Which kind of failure the first error is. */
enum failure { FAIL_OTHER, FAIL_NOT_UTF8, FAIL_ENCODING };

static enum failure
classify_failure(const struct xml_stream *xs)
{
	if (xs->err_code == XML_ERR_INVALID_CHAR &&
	    !strncmp(xs->err_msg.buf, "Input is not proper UTF-8", 25))
		return FAIL_NOT_UTF8;
	if (xs->err_code == XML_ERR_UNSUPPORTED_ENCODING ||
	    xs->err_code == XML_I18N_CONV_FAILED ||
	    xs->err_code == XML_ERR_INVALID_ENCODING)
		return FAIL_ENCODING;
	return FAIL_OTHER;
}

/* The first error of an attempt, kept across a retry. */
struct failed {
	int code, line;
	struct strbuf msg;
};

static void
save_failure(struct xml_stream *xs, struct failed *f)
{
	f->code = xs->err_code;
	f->line = xs->err_line;
	strbuf_init(&f->msg, 0);
	strbuf_swap(&f->msg, &xs->err_msg);
}

static void
restore_failure(struct xml_stream *xs, struct failed *f)
{
	xs->have_err = true;
	xs->err_code = f->code;
	xs->err_line = f->line;
	strbuf_swap(&f->msg, &xs->err_msg);
	strbuf_release(&f->msg);
}

static bool
has_bom(const char *s, size_t len)
{
	return (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) ||
	       (len >= 2 &&
	        (!memcmp(s, "\xFE\xFF", 2) || !memcmp(s, "\xFF\xFE", 2)));
}

static bool
is_utf8_name(const char *cs)
{
	return !strcasecmp(cs, "utf-8") || !strcasecmp(cs, "utf8");
}

static enum status
parse(const char *data, size_t len, const struct xml_options *opt,
      const struct xml_callbacks *cb, void *ctx, xmlDocPtr *doc,
      struct xml_info *info)
{
	struct xml_stream xs;
	const char *what = opt && opt->what ? opt->what : "XML document";
	const char *charset = opt ? opt->charset : NULL;
	size_t max_bytes =
	    opt && opt->max_bytes ? opt->max_bytes : XML_DEFAULT_MAX_BYTES;
	size_t max_attrs =
	    opt && opt->max_attrs ? opt->max_attrs : XML_DEFAULT_MAX_ATTRS;
	xmlStructuredErrorFunc old_serror;
	xmlGenericErrorFunc old_generic;
	void *old_sctx, *old_gctx;
	enum status st = ST_OK;

	xml_init();
	if (info) {
		info->re_decoded = false;
		info->encoding[0] = '\0';
	}
	if (doc)
		*doc = NULL;
	if (max_bytes > INT_MAX)
		max_bytes = INT_MAX;
	/*
	 * EDGAR serves documents with a newline before "<?xml", which
	 * libxml2 refuses ("XML declaration allowed only at the start").
	 * Whitespace there carries nothing, so skip it (after a UTF-8 BOM
	 * too, which only says what UTF-8 already is).
	 */
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) && len > 3 &&
	    (data[3] == ' ' || data[3] == '\t' || data[3] == '\r' ||
	     data[3] == '\n')) {
		data += 3;
		len -= 3;
	}
	while (len && (*data == ' ' || *data == '\t' || *data == '\r' ||
	               *data == '\n')) {
		data++;
		len--;
	}
	if (!len)
		return err_set(ST_DATAERR, "%s: empty document", what);
	if (len > max_bytes)
		return err_set(ST_DATAERR,
		               "%s: document too large (%zu bytes; the limit "
		               "is %zu)",
		               what, len, max_bytes);
	if (too_many_attrs(data, len, max_attrs))
		return err_set(ST_DATAERR,
		               "%s: an element has more than %zu attributes: "
		               "refused",
		               what, max_attrs);

	memset(&xs, 0, sizeof(xs));
	xs.cb = cb;
	xs.ctx = ctx;
	xs.what = what;
	strbuf_init(&xs.err_msg, 0);
	strbuf_init(&xs.abort_msg, 0);
	strbuf_init(&xs.attr_text, 0);

	old_serror = xmlStructuredError;
	old_sctx = xmlStructuredErrorContext;
	old_generic = xmlGenericError;
	old_gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(&xs, global_serror);
	xmlSetGenericErrorFunc(&xs, silent_generic);

	attempt(&xs, data, len, NULL, doc);
	if (!xs.aborted && xs.have_err && !has_bom(data, len)) {
		enum failure f = classify_failure(&xs);
		const char *tries[3];
		size_t ntries = 0, i;

		/*
		 * Parse again with another decoder (see xml.h): the HTTP
		 * charset if it says something new; then, for bytes that are
		 * not UTF-8, windows-1252 (what such feeds nearly always
		 * are), and ISO-8859-1 for the five bytes windows-1252 lacks.
		 * A BOM is authoritative, so documents with one get no retry.
		 */
		if (f != FAIL_OTHER && charset && *charset &&
		    !(f == FAIL_NOT_UTF8 && is_utf8_name(charset)))
			tries[ntries++] = charset;
		if (f == FAIL_NOT_UTF8) {
			tries[ntries++] = "windows-1252";
			tries[ntries++] = "ISO-8859-1";
		}
		for (i = 0; i < ntries; i++) {
			struct failed first;

			save_failure(&xs, &first);
			if (cb && cb->reset)
				cb->reset(ctx);
			attempt(&xs, data, len, tries[i], doc);
			if (!xs.aborted && !xs.have_err) {
				if (info) {
					info->re_decoded = true;
					snprintf(info->encoding,
					         sizeof(info->encoding), "%s",
					         tries[i]);
				}
				strbuf_release(&first.msg);
				break;
			}
			/* Report the original problem, not the retry's. */
			restore_failure(&xs, &first);
			if (xs.aborted)
				break;
		}
	}

	xmlSetStructuredErrorFunc(old_sctx, old_serror);
	xmlSetGenericErrorFunc(old_gctx, old_generic);

	if (xs.aborted) {
		st = err_set(xs.abort_st, "%s: %s", what, xs.abort_msg.buf);
	} else if (xs.have_err) {
		if (classify_failure(&xs) != FAIL_OTHER)
			st = err_set(ST_DATAERR,
			             "%s: cannot decode (line %d): %s", what,
			             xs.err_line, xs.err_msg.buf);
		else
			st = err_set(ST_DATAERR,
			             "%s: not well-formed XML (line %d): %s",
			             what, xs.err_line, xs.err_msg.buf);
	} else if (doc && (!*doc || !xmlDocGetRootElement(*doc))) {
		st = err_set(ST_DATAERR, "%s: no root element", what);
	}
	if (st != ST_OK && doc && *doc) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	strbuf_release(&xs.err_msg);
	strbuf_release(&xs.abort_msg);
	strbuf_release(&xs.attr_text);
	free(xs.attrs);
	free(xs.attr_off);
	return st;
}

enum status
xml_parse_stream(const char *data, size_t len, const struct xml_options *opt,
                 const struct xml_callbacks *cb, void *ctx,
                 struct xml_info *info)
{
	return parse(data, len, opt, cb, ctx, NULL, info);
}

enum status
xml_read_doc(xmlDocPtr *out, const char *data, size_t len,
             const struct xml_options *opt, struct xml_info *info)
{
	return parse(data, len, opt, NULL, NULL, out, info);
}

/* Append s, but stop on a UTF-8 boundary before out passes cap. */
static bool
add_capped(struct strbuf *out, size_t start, const char *s, size_t cap)
{
	size_t n = strlen(s), room = cap - (out->len - start);

	if (n <= room) {
		strbuf_add(out, s, n);
		return true;
	}
	n = room;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	strbuf_add(out, s, n);
	return false;
}

void
xml_node_text(struct strbuf *out, const xmlNode *node, size_t max_bytes)
{
	size_t start = out->len;
	const xmlNode *cur;

	if (!node)
		return;
	if (node->type == XML_TEXT_NODE ||
	    node->type == XML_CDATA_SECTION_NODE) {
		if (node->content)
			add_capped(out, start, (const char *)node->content,
			           max_bytes);
		return;
	}
	cur = node->children;
	while (cur) {
		if ((cur->type == XML_TEXT_NODE ||
		     cur->type == XML_CDATA_SECTION_NODE) &&
		    cur->content &&
		    !add_capped(out, start, (const char *)cur->content,
		                max_bytes))
			return;
		/* Descend into elements only: never into entity references. */
		if (cur->type == XML_ELEMENT_NODE && cur->children) {
			cur = cur->children;
			continue;
		}
		while (cur != node && !cur->next)
			cur = cur->parent;
		if (cur == node)
			return;
		cur = cur->next;
	}
}
