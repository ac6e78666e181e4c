/*
 * fixture_server: oligo's loopback HTTP/1.1 server for network tests.
 *
 *   fixture_server [-p PORT] [-d DIR] [-t SECONDS] [-v]
 *
 * Listens on 127.0.0.1:PORT (0 = any free port) and prints the port as
 * the first line on stdout.  Single-threaded: one poll() loop, non-blocking
 * sockets, keep-alive.  It exits by itself on SIGTERM/SIGINT and after
 * SECONDS of runtime (default 120), so a crashed test never leaves it
 * behind.  -v logs each request on stderr.
 *
 * Paths (query parameters in brackets):
 *   /status/NNN [retry=S, retry-date=S]  that status; Retry-After S
 *                          seconds, or as an HTTP date S seconds ahead
 *   /429 [retry=S, date=S] 429 with Retry-After (same as /status/429)
 *   /edgar403 [kind=ua]    SEC's 403 "Request Rate Threshold Exceeded"
 *                          page (kind=ua: "Undeclared Automated Tool")
 *   /s3-403                S3's 403 AccessDenied XML (a missing EDGAR file)
 *   /slow [bytes=N, ms=M]  Content-Length N, then one byte every M ms
 *   /delay [ms=M]          a small 200 after M ms
 *   /hang                  accept the request, never answer
 *   /drop-body             Content-Length 1000, 100 bytes, close
 *   /drop-headers          close in the middle of the header block
 *   /gzip, /deflate, /deflate-raw   an RSS document, compressed
 *   /gzip-truncated        half of /gzip, Content-Length matching the half
 *   /gzip-fake             "Content-Encoding: gzip" on plain text
 *   /br                    "Content-Encoding: br" (never asked for)
 *   /gzip-bomb [mb=N]      a small gzip body expanding to N MB of zeros
 *   /chunked [mb=N, drop=1]  chunked N MB body; drop=1 closes halfway
 *   /redirect-loop         302 to itself
 *   /redirect [to=URL]     302 to URL (percent-decoded)
 *   /redirect-chain [n=K]  K redirects, then a 200
 *   /html200, /empty200    an HTML page / an empty body, both 200
 *   /etag                  ETag + Last-Modified; 304 when If-None-Match or
 *                          If-Modified-Since match
 *   /headers               the request headers, as the body
 *   /garbage               bytes that are not HTTP, then close
 *   /big-header            a 200 KB header line
 *   /cond/FILE             FILE under DIR with an ETag from its size and
 *                          mtime; 304 when If-None-Match matches it
 *   /count                 requests received before this one
 *   /stats                 "connections C", "requests R", "max_open M",
 *                          "max_busy B" (most requests answered at once)
 *   anything else          a file under DIR (no "." path segments)
 *
 * Not part of oligo; links zlib for the compressed modes.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ZLIB_CONST
#include <zlib.h>

#define MAX_CONN 512
#define REQ_MAX  16384
#define CHUNK    65536

enum gen { GEN_NONE, GEN_CHUNKED, GEN_TRICKLE };

struct conn {
	int fd;
	char in[REQ_MAX];
	size_t inlen;
	bool busy; /* a response is in progress */
	char *out;
	size_t outlen, outoff;
	double send_at; /* nothing is sent before */
	bool hang;
	enum gen gen;
	size_t gen_left;   /* body bytes still to generate */
	bool drop;         /* chunked: close when gen_left reaches ... */
	size_t drop_after; /* ... this */
	bool gen_final;    /* chunked terminator queued */
	double trickle_s;
	double next_send;
	bool close_after;
};

static struct conn *conns[MAX_CONN];
static const char *docroot;
static bool verbose;
static volatile sig_atomic_t stop;
static unsigned long n_conns, n_requests, n_open, max_open;
/* requests being answered at once: the concurrency a client used */
static unsigned long n_busy, max_busy;

static const char etag_value[] = "\"v1\"";
static const char last_modified_value[] = "Tue, 01 Oct 2024 10:00:00 GMT";

static const char edgar_threshold[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
    "<title>SEC.gov | Request Rate Threshold Exceeded</title>\n</head>\n"
    "<body>\n<h1>Your Request Rate Threshold Has Been Exceeded</h1>\n"
    "<p>To allow for equitable access to all users, SEC reserves the right "
    "to limit requests originating from undeclared automated tools.</p>\n"
    "<p>Reference ID: 0.fixture</p>\n</body>\n</html>\n";

static const char edgar_undeclared[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
    "<title>SEC.gov | Your Request Originates from an Undeclared Automated "
    "Tool</title>\n</head>\n<body>\n<p>Please declare your traffic by "
    "updating your user agent to include company specific information."
    "</p>\n</body>\n</html>\n";

static const char s3_denied[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied"
    "</Code><Message>Access Denied</Message></Error>\n";

static const char html_page[] =
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
    "<body><p>Please sign in to continue.</p></body></html>\n";

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
logf_(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	fputs("fixture_server: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static _Noreturn void
fatal(const char *what)
{
	fprintf(stderr, "fixture_server: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *
xmalloc_(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("fixture_server: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---- output buffer ------------------------------------------------------ */

static void
out_add(struct conn *c, const void *data, size_t len)
{
	char *p = realloc(c->out, c->outlen + len);

	if (!p) {
		fputs("fixture_server: out of memory\n", stderr);
		exit(1);
	}
	c->out = p;
	memcpy(c->out + c->outlen, data, len);
	c->outlen += len;
}

static void out_addf(struct conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
out_addf(struct conn *c, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out_add(c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static const char *
reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 302:
		return "Found";
	case 304:
		return "Not Modified";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 429:
		return "Too Many Requests";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return "Status";
	}
}

/*
 * Queue a complete response.  extra is a block of header lines, each
 * ending in CRLF, or NULL.
 */
static void
respond(struct conn *c, int status, const char *ctype, const char *extra,
        const void *body, size_t len)
{
	out_addf(c, "HTTP/1.1 %d %s\r\n", status, reason(status));
	if (status != 304)
		out_addf(c, "Content-Length: %zu\r\n", len);
	if (ctype)
		out_addf(c, "Content-Type: %s\r\n", ctype);
	if (extra)
		out_add(c, extra, strlen(extra));
	if (c->close_after)
		out_addf(c, "Connection: close\r\n");
	out_add(c, "\r\n", 2);
	if (status != 304)
		out_add(c, body, len);
}

static void
respond_text(struct conn *c, int status, const char *text)
{
	respond(c, status, "text/plain", NULL, text, strlen(text));
}

/* ---- request helpers ---------------------------------------------------- */

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The percent-decoded value of query parameter name, or NULL. */
static char *
qstr(const char *query, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = query; p && *p;) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			char *v = xmalloc_(len - nl), *o = v;

			for (const char *s = p + nl + 1; s < p + len; s++) {
				if (*s == '%' && s + 2 < p + len + 1 &&
				    hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
					*o++ = (char)(hexval(s[1]) * 16 +
					              hexval(s[2]));
					s += 2;
				} else {
					*o++ = *s == '+' ? ' ' : *s;
				}
			}
			*o = '\0';
			return v;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static long
qlong(const char *query, const char *name, long def)
{
	char *v = qstr(query, name);
	long n = def;

	if (v && *v)
		n = strtol(v, NULL, 10);
	free(v);
	return n;
}

/* The value of request header name (case-insensitive), or NULL. */
static char *
header(const char *head, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = strstr(head, "\r\n"); p; p = strstr(p, "\r\n")) {
		p += 2;
		if (!strncasecmp(p, name, nl) && p[nl] == ':') {
			const char *v = p + nl + 1, *e;

			v += strspn(v, " \t");
			e = strstr(v, "\r\n");
			if (!e)
				e = v + strlen(v);
			while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			char *s = xmalloc_((size_t)(e - v) + 1);
			memcpy(s, v, (size_t)(e - v));
			s[e - v] = '\0';
			return s;
		}
	}
	return NULL;
}

/* An RSS document for the compressed modes. */
static char *
rss_doc(size_t *len)
{
	char *doc = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&doc, &size);

	if (!f)
		fatal("open_memstream");
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<rss version=\"2.0\"><channel><title>fixture</title>\n",
	      f);
	for (int i = 0; i < 40; i++)
		fprintf(f,
		        "<item><title>Item %d</title><guid>urn:fixture:%d"
		        "</guid><link>http://example.org/%d</link></item>\n",
		        i, i, i);
	fputs("</channel></rss>\n", f);
	fclose(f);
	*len = size;
	return doc;
}

/* Compress with zlib; wbits as for deflateInit2 (31 gzip, 15, -15). */
static char *
compress_(const void *data, size_t len, size_t repeat, int wbits,
          size_t *outlen)
{
	z_stream z;
	size_t cap = 1 << 16, used = 0;
	char *out = xmalloc_(cap);
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, wbits, 9, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		fputs("fixture_server: deflateInit2 failed\n", stderr);
		exit(1);
	}
	for (size_t i = 0; i <= repeat; i++) {
		int flush = i == repeat ? Z_FINISH : Z_NO_FLUSH;

		z.next_in = (const unsigned char *)(i == repeat ? "" : data);
		z.avail_in = i == repeat ? 0 : (uInt)len;
		do {
			if (cap - used < 4096) {
				cap *= 2;
				out = realloc(out, cap);
				if (!out)
					exit(1);
			}
			z.next_out = (unsigned char *)out + used;
			z.avail_out = (uInt)(cap - used);
			rc = deflate(&z, flush);
			used = cap - z.avail_out;
		} while (z.avail_out == 0 ||
		         (flush == Z_FINISH && rc != Z_STREAM_END));
	}
	deflateEnd(&z);
	*outlen = used;
	return out;
}

static void
respond_compressed(struct conn *c, const char *coding, int wbits, bool truncate)
{
	size_t len, zlen;
	char *doc = rss_doc(&len);
	char *z = compress_(doc, len, 1, wbits, &zlen);
	char extra[64];

	snprintf(extra, sizeof(extra), "Content-Encoding: %s\r\n", coding);
	respond(c, 200, "application/rss+xml", extra, z,
	        truncate ? zlen / 2 : zlen);
	free(doc);
	free(z);
}

static void
respond_bomb(struct conn *c, long mb)
{
	static char zeros[1 << 20];
	size_t zlen;
	char *z;

	if (mb < 1)
		mb = 1;
	z = compress_(zeros, sizeof(zeros), (size_t)mb, 31, &zlen);
	respond(c, 200, "application/xml", "Content-Encoding: gzip\r\n", z,
	        zlen);
	free(z);
}

static const char *
mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".xml") || !strcmp(dot, ".rss"))
		return "application/xml";
	if (!strcmp(dot, ".atom"))
		return "application/atom+xml";
	if (!strcmp(dot, ".json"))
		return "application/json";
	if (!strcmp(dot, ".html"))
		return "text/html";
	return "text/plain";
}

/* etag: an ETag from size and mtime is sent, and If-None-Match in head
 * that names it gets a 304 (a changed file gets a new ETag). */
static void
respond_file(struct conn *c, const char *path, const char *head, bool etag)
{
	char full[4096], tag[128], extra[160];
	struct stat st;
	char *data, *inm;
	FILE *f;

	/* No "." or ".." segments, no hidden files. */
	if (!docroot || strstr(path, "/.")) {
		respond_text(c, 404, "not found\n");
		return;
	}
	snprintf(full, sizeof(full), "%s%s", docroot, path);
	if (stat(full, &st) != 0 || !S_ISREG(st.st_mode) ||
	    !(f = fopen(full, "rb"))) {
		respond_text(c, 404, "not found\n");
		return;
	}
	data = xmalloc_((size_t)st.st_size);
	if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fclose(f);
		free(data);
		respond_text(c, 500, "read error\n");
		return;
	}
	fclose(f);
	snprintf(tag, sizeof(tag), "\"%lld-%lld-%ld\"", (long long)st.st_size,
	         (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
	snprintf(extra, sizeof(extra), "ETag: %s\r\n", tag);
	inm = etag ? header(head, "If-None-Match") : NULL;
	respond(c, inm && strstr(inm, tag) ? 304 : 200, mime_type(path),
	        etag ? extra : NULL, data, (size_t)st.st_size);
	free(inm);
	free(data);
}

static void
http_date(char *buf, size_t size, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Retry-After header lines from retry=S or retry-date=S, or "". */
static void
retry_after(char *buf, size_t size, const char *query, const char *datekey)
{
	long s = qlong(query, "retry", -1), d = qlong(query, datekey, -1);
	char date[64];

	buf[0] = '\0';
	if (s >= 0) {
		snprintf(buf, size, "Retry-After: %ld\r\n", s);
	} else if (d >= 0) {
		http_date(date, sizeof(date), time(NULL) + d);
		snprintf(buf, size, "Retry-After: %s\r\n", date);
	}
}

/* ---- dispatch ----------------------------------------------------------- */

static void
handle(struct conn *c, const char *method, const char *target, const char *head)
{
	char path[2048], extra[512];
	const char *query = strchr(target, '?');
	size_t plen = query ? (size_t)(query - target) : strlen(target);
	double now = now_s();

	if (plen >= sizeof(path))
		plen = sizeof(path) - 1;
	memcpy(path, target, plen);
	path[plen] = '\0';
	query = query ? query + 1 : "";
	logf_("%s %s (conn %d, request %lu)", method, target, c->fd,
	      n_requests);

	if (!strncmp(path, "/status/", 8) || !strcmp(path, "/429")) {
		bool is429 = !strcmp(path, "/429");
		int status = is429 ? 429 : atoi(path + 8);
		char body[64];

		if (status < 100 || status > 599)
			status = 500;
		retry_after(extra, sizeof(extra), query,
		            is429 ? "date" : "retry-date");
		snprintf(body, sizeof(body), "status %d\n", status);
		respond(c, status, "text/plain", extra, body, strlen(body));
	} else if (!strcmp(path, "/edgar403")) {
		char *kind = qstr(query, "kind");
		const char *page = kind && !strcmp(kind, "ua")
		                       ? edgar_undeclared
		                       : edgar_threshold;

		respond(c, 403, "text/html", NULL, page, strlen(page));
		free(kind);
	} else if (!strcmp(path, "/s3-403")) {
		respond(c, 403, "application/xml", NULL, s3_denied,
		        strlen(s3_denied));
	} else if (!strcmp(path, "/slow")) {
		long bytes = qlong(query, "bytes", 1000);
		long ms = qlong(query, "ms", 1000);

		out_addf(c,
		         "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\n"
		         "Content-Type: text/plain\r\n\r\n",
		         bytes);
		c->gen = GEN_TRICKLE;
		c->gen_left = (size_t)(bytes > 0 ? bytes : 0);
		c->trickle_s = (double)ms / 1000.0;
		c->next_send = now + c->trickle_s;
	} else if (!strcmp(path, "/delay")) {
		long ms = qlong(query, "ms", 500);

		c->send_at = now + (double)ms / 1000.0;
		respond_text(c, 200, "delayed\n");
	} else if (!strcmp(path, "/hang")) {
		c->hang = true;
	} else if (!strcmp(path, "/drop-body")) {
		char body[100];

		memset(body, 'x', sizeof(body));
		out_addf(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
		            "Content-Type: text/plain\r\n\r\n");
		out_add(c, body, sizeof(body));
		c->close_after = true;
	} else if (!strcmp(path, "/drop-headers")) {
		out_addf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
		            "Content-Len");
		c->close_after = true;
	} else if (!strcmp(path, "/gzip")) {
		respond_compressed(c, "gzip", 31, false);
	} else if (!strcmp(path, "/gzip-truncated")) {
		respond_compressed(c, "gzip", 31, true);
	} else if (!strcmp(path, "/deflate")) {
		respond_compressed(c, "deflate", 15, false);
	} else if (!strcmp(path, "/deflate-raw")) {
		respond_compressed(c, "deflate", -15, false);
	} else if (!strcmp(path, "/gzip-fake")) {
		respond(c, 200, "text/plain", "Content-Encoding: gzip\r\n",
		        "this is not gzip\n", 17);
	} else if (!strcmp(path, "/br")) {
		respond(c, 200, "text/plain", "Content-Encoding: br\r\n",
		        "not brotli\n", 11);
	} else if (!strcmp(path, "/gzip-bomb")) {
		respond_bomb(c, qlong(query, "mb", 64));
	} else if (!strcmp(path, "/chunked")) {
		long mb = qlong(query, "mb", 50);

		out_addf(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		            "Content-Type: application/xml\r\n\r\n");
		c->gen = GEN_CHUNKED;
		c->gen_left = (size_t)(mb > 0 ? mb : 0) << 20;
		c->drop = qlong(query, "drop", 0) != 0;
		c->drop_after = c->gen_left / 2;
	} else if (!strcmp(path, "/redirect-loop")) {
		respond(c, 302, "text/plain", "Location: /redirect-loop\r\n",
		        "loop\n", 5);
	} else if (!strcmp(path, "/redirect")) {
		char *to = qstr(query, "to");

		snprintf(extra, sizeof(extra), "Location: %s\r\n",
		         to ? to : "/");
		respond(c, 302, "text/plain", extra, "moved\n", 6);
		free(to);
	} else if (!strcmp(path, "/redirect-chain")) {
		long n = qlong(query, "n", 1);

		if (n <= 0) {
			respond_text(c, 200, "end of chain\n");
		} else {
			snprintf(extra, sizeof(extra),
			         "Location: /redirect-chain?n=%ld\r\n", n - 1);
			respond(c, 302, "text/plain", extra, "moved\n", 6);
		}
	} else if (!strcmp(path, "/html200")) {
		respond(c, 200, "text/html; charset=utf-8", NULL, html_page,
		        strlen(html_page));
	} else if (!strcmp(path, "/empty200")) {
		respond(c, 200, "application/xml", NULL, "", 0);
	} else if (!strcmp(path, "/etag")) {
		char *inm = header(head, "If-None-Match");
		char *ims = header(head, "If-Modified-Since");
		bool match = (inm && strstr(inm, etag_value)) ||
		             (!inm && ims && !strcmp(ims, last_modified_value));

		snprintf(extra, sizeof(extra),
		         "ETag: %s\r\nLast-Modified: %s\r\n", etag_value,
		         last_modified_value);
		respond(c, match ? 304 : 200, "application/rss+xml", extra,
		        "<rss version=\"2.0\"><channel/></rss>\n", 36);
		free(inm);
		free(ims);
	} else if (!strcmp(path, "/headers")) {
		const char *h = strstr(head, "\r\n");

		h = h ? h + 2 : "";
		respond_text(c, 200, h);
	} else if (!strcmp(path, "/garbage")) {
		out_addf(c, "\x01\x02 this is not HTTP\r\n\r\n");
		c->close_after = true;
	} else if (!strcmp(path, "/big-header")) {
		size_t n = 200 * 1024;
		char *v = xmalloc_(n + 1);

		memset(v, 'a', n);
		v[n] = '\0';
		out_addf(c, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-Big: ");
		out_add(c, v, n);
		out_addf(c, "\r\n\r\nok\n");
		free(v);
	} else if (!strcmp(path, "/count")) {
		char body[32];

		snprintf(body, sizeof(body), "%lu\n", n_requests - 1);
		respond_text(c, 200, body);
	} else if (!strcmp(path, "/stats")) {
		char body[128];

		snprintf(body, sizeof(body),
		         "connections %lu\nrequests %lu\nmax_open %lu\n"
		         "max_busy %lu\n",
		         n_conns, n_requests, max_open, max_busy);
		respond_text(c, 200, body);
	} else if (!strncmp(path, "/cond/", 6)) {
		respond_file(c, path + 5, head, true);
	} else {
		respond_file(c, path, head, false);
	}
	(void)method;
}

/*
 * Parse one request from c->in if complete; returns false if the
 * connection must be closed.
 */
/* A request is being answered on c until conn_idle() or conn_close(). */
static void
mark_busy(struct conn *c)
{
	c->busy = true;
	if (++n_busy > max_busy)
		max_busy = n_busy;
}

static bool
parse_request(struct conn *c)
{
	char *end, *sp1, *sp2, *line_end;
	char method[16], target[4096];
	size_t hlen;
	char *conn_hdr;

	if (c->busy)
		return true;
	c->in[c->inlen < REQ_MAX ? c->inlen : REQ_MAX - 1] = '\0';
	end = strstr(c->in, "\r\n\r\n");
	if (!end) {
		if (c->inlen >= REQ_MAX - 1) {
			c->close_after = true;
			mark_busy(c);
			respond_text(c, 431, "request too large\n");
		}
		return true;
	}
	hlen = (size_t)(end - c->in) + 4;
	end[2] = '\0'; /* head = request line + headers, each with CRLF */
	n_requests++;
	mark_busy(c);
	line_end = strstr(c->in, "\r\n");
	sp1 = memchr(c->in, ' ', (size_t)(line_end - c->in));
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1)) : NULL;
	if (!sp1 || !sp2 || (size_t)(sp1 - c->in) >= sizeof(method) ||
	    (size_t)(sp2 - sp1 - 1) >= sizeof(target)) {
		c->close_after = true;
		respond_text(c, 400, "bad request\n");
	} else {
		memcpy(method, c->in, (size_t)(sp1 - c->in));
		method[sp1 - c->in] = '\0';
		memcpy(target, sp1 + 1, (size_t)(sp2 - sp1 - 1));
		target[sp2 - sp1 - 1] = '\0';
		conn_hdr = header(c->in, "Connection");
		if ((conn_hdr && !strcasecmp(conn_hdr, "close")) ||
		    !strncmp(sp2 + 1, "HTTP/1.0", 8))
			c->close_after = true;
		free(conn_hdr);
		handle(c, method, target, c->in);
	}
	memmove(c->in, c->in + hlen, c->inlen - hlen);
	c->inlen -= hlen;
	return true;
}

static void
conn_close(int i)
{
	struct conn *c = conns[i];

	close(c->fd);
	if (c->busy && n_busy)
		n_busy--;
	free(c->out);
	free(c);
	conns[i] = NULL;
	n_open--;
}

/* The response is complete: reset for the next request. */
static void
conn_idle(struct conn *c)
{
	free(c->out);
	c->out = NULL;
	c->outlen = c->outoff = 0;
	if (c->busy && n_busy)
		n_busy--;
	c->busy = false;
	c->hang = false;
	c->gen = GEN_NONE;
	c->gen_left = 0;
	c->gen_final = false;
	c->drop = false;
	c->send_at = 0;
}

/* Send what can be sent now; returns false to close the connection. */
static bool
pump(struct conn *c, double now)
{
	while (c->busy && !c->hang && now >= c->send_at) {
		if (c->outoff < c->outlen) {
			ssize_t n = send(c->fd, c->out + c->outoff,
			                 c->outlen - c->outoff, MSG_NOSIGNAL);

			if (n < 0)
				return errno == EAGAIN || errno == EINTR;
			c->outoff += (size_t)n;
			continue;
		}
		free(c->out);
		c->out = NULL;
		c->outlen = c->outoff = 0;
		if (c->gen == GEN_CHUNKED && c->drop &&
		    c->gen_left <= c->drop_after)
			return false;
		if (c->gen == GEN_CHUNKED && c->gen_left > 0) {
			size_t n = c->gen_left < CHUNK ? c->gen_left : CHUNK;
			char *buf = xmalloc_(n);

			memset(buf, 'x', n);
			out_addf(c, "%zx\r\n", n);
			out_add(c, buf, n);
			out_add(c, "\r\n", 2);
			free(buf);
			c->gen_left -= n;
			continue;
		}
		if (c->gen == GEN_CHUNKED && !c->gen_final) {
			out_add(c, "0\r\n\r\n", 5);
			c->gen_final = true;
			continue;
		}
		if (c->gen == GEN_TRICKLE && c->gen_left > 0) {
			if (now < c->next_send)
				return true;
			out_add(c, "x", 1);
			c->gen_left--;
			c->next_send = now + c->trickle_s;
			continue;
		}
		if (c->close_after)
			return false;
		conn_idle(c);
		parse_request(c);
	}
	return true;
}

/* When pump() next has something to do for c, or -1 for "on POLLOUT". */
static double
next_timer(const struct conn *c)
{
	if (!c->busy || c->hang)
		return -1;
	if (c->send_at > 0 && c->outoff == 0)
		return c->send_at;
	if (c->gen == GEN_TRICKLE && c->outoff >= c->outlen)
		return c->next_send;
	return -1;
}

static bool
wants_pollout(const struct conn *c, double now)
{
	if (!c->busy || c->hang || now < c->send_at)
		return false;
	if (c->outoff < c->outlen)
		return true;
	return c->gen == GEN_CHUNKED;
}

static void
accept_all(int lfd)
{
	for (;;) {
		int fd = accept(lfd, NULL, NULL), i;

		if (fd < 0)
			return;
		n_conns++;
		for (i = 0; i < MAX_CONN && conns[i]; i++)
			;
		if (i == MAX_CONN) {
			close(fd);
			continue;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		conns[i] = calloc(1, sizeof(struct conn));
		if (!conns[i])
			exit(1);
		conns[i]->fd = fd;
		if (++n_open > max_open)
			max_open = n_open;
		logf_("accepted connection %lu (fd %d)", n_conns, fd);
	}
}

static _Noreturn void
usage(void)
{
	fputs("usage: fixture_server [-p PORT] [-d DIR] [-t SECONDS] [-v]\n",
	      stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct sigaction act;
	long port = 0, seconds = 120;
	double end;
	int opt, lfd, one = 1;

	while ((opt = getopt(argc, argv, "p:d:t:v")) != -1) {
		switch (opt) {
		case 'p':
			port = strtol(optarg, NULL, 10);
			break;
		case 'd':
			docroot = optarg;
			break;
		case 't':
			seconds = strtol(optarg, NULL, 10);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (port < 0 || port > 65535 || seconds <= 0 || optind != argc)
		usage();

	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal; /* no SA_RESTART: poll() sees EINTR */
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		fatal("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		fatal("bind");
	if (listen(lfd, 128) != 0)
		fatal("listen");
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	if (getsockname(lfd, (struct sockaddr *)&sa, &salen) != 0)
		fatal("getsockname");
	printf("%u\n", ntohs(sa.sin_port));
	fflush(stdout);

	end = now_s() + (double)seconds;
	while (!stop) {
		struct pollfd pfd[MAX_CONN + 1];
		int idx[MAX_CONN + 1], np = 0, timeout;
		double now = now_s(), wake = end;

		if (now >= end) {
			logf_("time limit reached");
			break;
		}
		pfd[np].fd = lfd;
		pfd[np].events = POLLIN;
		idx[np++] = -1;
		for (int i = 0; i < MAX_CONN; i++) {
			struct conn *c = conns[i];
			double t;

			if (!c)
				continue;
			pfd[np].fd = c->fd;
			/* A full input buffer waits for the response. */
			pfd[np].events = c->inlen < REQ_MAX - 1 ? POLLIN : 0;
			if (wants_pollout(c, now))
				pfd[np].events |= POLLOUT;
			idx[np++] = i;
			t = next_timer(c);
			if (t >= 0 && t < wake)
				wake = t;
		}
		timeout = (int)((wake - now) * 1000.0) + 1;
		if (timeout < 0)
			timeout = 0;
		if (poll(pfd, (nfds_t)np, timeout) < 0 && errno != EINTR)
			fatal("poll");
		now = now_s();
		for (int k = 0; k < np; k++) {
			struct conn *c;
			bool ok = true;

			if (idx[k] < 0) {
				if (pfd[k].revents & POLLIN)
					accept_all(lfd);
				continue;
			}
			c = conns[idx[k]];
			if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) {
				ssize_t n = 0;

				if (c->inlen < REQ_MAX - 1)
					n = recv(c->fd, c->in + c->inlen,
					         REQ_MAX - 1 - c->inlen, 0);
				if (n == 0 || (n < 0 && errno != EAGAIN &&
				               errno != EINTR))
					ok = false;
				else if (n > 0)
					c->inlen += (size_t)n;
				if (ok)
					ok = parse_request(c);
			}
			if (ok)
				ok = pump(c, now);
			if (!ok)
				conn_close(idx[k]);
		}
	}
	for (int i = 0; i < MAX_CONN; i++)
		if (conns[i])
			conn_close(i);
	close(lfd);
	return 0;
}
