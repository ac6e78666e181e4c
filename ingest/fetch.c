#include "ingest/fetch.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#define ZLIB_CONST /* z_stream.next_in is const */
#include <zlib.h>

#include "lib/xalloc.h"

/*
 * Design notes (the header has the contract):
 *
 * The scheduler, not libcurl, decides when a transfer starts.  A request
 * is added to the multi handle only when its host group has a free slot
 * and its interval has passed, so CURLOPT_TIMEOUT never counts time spent
 * queued, a blocked group's requests are never handed to libcurl, and the
 * deadline can end queued and running requests alike.  Connections live
 * in the multi handle's cache, so they outlive the easy handles and are
 * reused by the next request to the same host.
 *
 * Content decoding is done here with zlib (CURLOPT_HTTP_CONTENT_DECODING
 * off): libcurl 7.88 returns CURLE_OK for a gzip stream cut short, and
 * only zlib's Z_STREAM_END (which also checks the CRC and length) tells
 * a complete body from a truncated one.  We therefore advertise exactly
 * what we decode, "gzip, deflate", the header SEC asks for.
 */

#define ERROR_BODY_KEEP   (64u << 10) /* body bytes kept of a non-200 */
#define HEADER_VALUE_MAX  1024
#define URL_SHOW_MAX      120
#define BACKOFF_BASE_MS   250.0
#define RETRY_AFTER_MAX_S (7L * 24 * 3600)

enum coding { CODING_NONE, CODING_GZIP, CODING_DEFLATE, CODING_OTHER };

enum fail {
	FAIL_NONE,
	FAIL_TOO_BIG, /* decoded body over the cap */
	FAIL_DECODE,  /* corrupt gzip/deflate data */
	FAIL_CODING,  /* a Content-Encoding we did not ask for */
};

enum xstate { X_QUEUED, X_RUNNING, X_DONE };

struct xfer;

/* Requests that share concurrency, pacing and blocking. */
struct group {
	char *key;
	double interval; /* seconds between starts */
	int active;
	double next_start;
	double hold_until;   /* Retry-After of a 429/503 */
	const char *blocked; /* static reason; non-NULL: send nothing more */
	struct xfer **queue; /* in request order */
	size_t nqueue;
};

struct xfer {
	const struct fetch_request *req;
	struct fetch_result *res;
	struct group *group;
	enum xstate state;
	char *show_url; /* for messages: sanitized, no credentials */
	bool https;
	bool sec; /* host ends in sec.gov */
	bool conditional;
	double first_start;
	double ready_at; /* earliest start of a retry */
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	size_t cap; /* max_body */

	/* State of the current response; reset at each status line. */
	int status;
	enum coding coding;
	z_stream z;
	bool z_active;
	bool z_end;
	bool z_raw; /* deflate fell back to raw */
	bool cut;   /* non-200 body cut short on purpose */
	enum fail fail;
	size_t raw_bytes;
	char *retry_after;
};

struct run {
	struct fetch_config cfg; /* defaults filled in */
	CURLM *multi;
	struct curl_slist *resolve;
	struct group **groups;
	size_t ngroups;
	struct xfer *xfers;
	size_t n;
	size_t done;
	int active;
	uint64_t rng;
};

static bool global_ok;

enum status
fetch_global_init(void)
{
	const curl_version_info_data *v;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(ST_SOFTWARE, "cannot initialise libcurl");
	v = curl_version_info(CURLVERSION_NOW);
	if (v->version_num < 0x075500) {
		curl_global_cleanup();
		return err_set(ST_SOFTWARE,
		               "libcurl %s is too old (need 7.85.0 or later)",
		               v->version);
	}
	global_ok = true;
	return ST_OK;
}

void
fetch_global_cleanup(void)
{
	if (global_ok)
		curl_global_cleanup();
	global_ok = false;
}

double
fetch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *
fetch_outcome_name(enum fetch_outcome outcome)
{
	switch (outcome) {
	case FETCH_OK:
		return "ok";
	case FETCH_NOT_MODIFIED:
		return "not-modified";
	case FETCH_ERROR:
		return "error";
	case FETCH_BLOCKED:
		return "blocked";
	case FETCH_RETRY_LATER:
		return "retry-later";
	}
	return "?";
}

static void
result_init(struct fetch_result *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->body, 0);
	r->outcome = FETCH_ERROR;
	r->retry_after_s = -1;
}

void
fetch_result_release(struct fetch_result *r)
{
	strbuf_release(&r->body);
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r->final_url);
	free(r->error);
	result_init(r);
}

/* ---- small text helpers ---------------------------------------------- */

static bool
is_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Append s[0..len) with every byte outside printable ASCII as '?'. */
static void
add_clean(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		strbuf_addch(sb, c >= 0x20 && c <= 0x7e ? c : '?');
	}
}

static char *
clean_dup(const char *s, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(s);

	if (len > max) {
		add_clean(&sb, s, max - 3);
		strbuf_adds(&sb, "...");
	} else {
		add_clean(&sb, s, len);
	}
	return strbuf_detach(&sb, NULL);
}

/* ceil() for the small non-negative values here, without libm. */
static long
ceil_long(double v)
{
	long n = (long)v;

	return (double)n < v ? n + 1 : n;
}

static bool
host_has_suffix(const char *host, const char *suffix)
{
	size_t hl = strlen(host), sl = strlen(suffix);

	if (sl == 0 || sl > hl)
		return false;
	if (strcasecmp(host + hl - sl, suffix) != 0)
		return false;
	return hl == sl || host[hl - sl - 1] == '.';
}

/* ---- results ---------------------------------------------------------- */

/*
 * Give x its final result.  reason (printf-style, may be NULL for OK and
 * NOT_MODIFIED) becomes "<url>: <reason>", sanitized and capped.
 */
static void finish(struct run *r, struct xfer *x, enum fetch_outcome outcome,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
finish(struct run *r, struct xfer *x, enum fetch_outcome outcome,
       const char *fmt, ...)
{
	struct fetch_result *res = x->res;

	res->outcome = outcome;
	free(res->error);
	res->error = NULL;
	if (fmt) {
		struct strbuf why = STRBUF_INIT, line = STRBUF_INIT;
		va_list ap;

		va_start(ap, fmt);
		strbuf_vaddf(&why, fmt, ap);
		va_end(ap);
		strbuf_adds(&line, x->show_url);
		strbuf_adds(&line, ": ");
		add_clean(&line, why.buf, why.len);
		if (line.len > FETCH_ERROR_MAX)
			strbuf_setlen(&line, FETCH_ERROR_MAX);
		/* One line: no trailing blanks from a curl message. */
		while (line.len && line.buf[line.len - 1] == ' ')
			strbuf_setlen(&line, line.len - 1);
		res->error = strbuf_detach(&line, NULL);
		strbuf_release(&why);
	}
	res->seconds = res->attempts ? fetch_now() - x->first_start : 0;
	x->state = X_DONE;
	r->done++;
	if (r->cfg.progress)
		r->cfg.progress(r->cfg.progress_ctx, r->done, r->n);
}

/* ---- per-response state and curl callbacks ----------------------------- */

static void
response_reset(struct xfer *x)
{
	struct fetch_result *res = x->res;

	strbuf_reset(&res->body);
	free(res->etag);
	free(res->last_modified);
	free(res->content_type);
	free(x->retry_after);
	res->etag = res->last_modified = res->content_type = NULL;
	x->retry_after = NULL;
	if (x->z_active)
		inflateEnd(&x->z);
	x->z_active = x->z_end = x->z_raw = false;
	x->status = 0;
	x->coding = CODING_NONE;
	x->cut = false;
	x->raw_bytes = 0;
}

static enum coding
parse_coding(const char *v)
{
	enum coding c = CODING_NONE;

	while (*v) {
		size_t len;
		enum coding this;

		v += strspn(v, " \t,");
		len = strcspn(v, " \t,");
		if (len == 0)
			break;
		if ((len == 4 && !strncasecmp(v, "gzip", 4)) ||
		    (len == 6 && !strncasecmp(v, "x-gzip", 6)))
			this = CODING_GZIP;
		else if (len == 7 && !strncasecmp(v, "deflate", 7))
			this = CODING_DEFLATE;
		else if (len == 8 && !strncasecmp(v, "identity", 8))
			this = CODING_NONE;
		else
			this = CODING_OTHER;
		if (this != CODING_NONE)
			c = c == CODING_NONE ? this : CODING_OTHER;
		v += len;
	}
	return c;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * nmemb, nl, vl;
	const char *v, *end;
	char **slot = NULL;
	char *value;

	if (len >= 5 && !memcmp(data, "HTTP/", 5)) {
		const char *p = memchr(data, ' ', len);

		response_reset(x);
		if (p && (size_t)(p - data) + 4 <= len)
			x->status = atoi(p + 1);
		return len;
	}
	v = memchr(data, ':', len);
	if (!v)
		return len;
	nl = (size_t)(v - data);
	end = data + len;
	for (v++; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	                   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	vl = (size_t)(end - v);

#define IS(name) (nl == sizeof(name) - 1 && !strncasecmp(data, name, nl))
	if (IS("Content-Encoding")) {
		value = xstrndup(v, vl);
		x->coding = parse_coding(value);
		free(value);
		return len;
	}
	if (IS("ETag"))
		slot = &x->res->etag;
	else if (IS("Last-Modified"))
		slot = &x->res->last_modified;
	else if (IS("Content-Type"))
		slot = &x->res->content_type;
	else if (IS("Retry-After"))
		slot = &x->retry_after;
#undef IS
	if (!slot || vl == 0 || vl > HEADER_VALUE_MAX)
		return len;
	value = xstrndup(v, vl);
	if (!is_printable(value)) {
		free(value);
		return len;
	}
	free(*slot);
	*slot = value;
	return len;
}

/*
 * Keep decoded bytes.  A 200 body over the cap fails the transfer; of any
 * other answer only the first ERROR_BODY_KEEP bytes are wanted, then the
 * transfer is stopped on purpose (x->cut) and judged by its status.
 */
static bool
keep(struct xfer *x, const void *data, size_t len)
{
	struct strbuf *body = &x->res->body;
	size_t cap = x->cap;

	if (x->status != 200 && cap > ERROR_BODY_KEEP)
		cap = ERROR_BODY_KEEP;
	if (len > cap - body->len) {
		if (x->status == 200) {
			x->fail = FAIL_TOO_BIG;
			return false;
		}
		strbuf_add(body, data, cap - body->len);
		x->cut = true;
		return false;
	}
	strbuf_add(body, data, len);
	return true;
}

static bool
inflate_body(struct xfer *x, const unsigned char *in, size_t len)
{
	unsigned char out[16384];

	if (!x->z_active) {
		memset(&x->z, 0, sizeof(x->z));
		if (inflateInit2(&x->z, x->coding == CODING_GZIP ? 15 + 16
		                                                 : 15) != Z_OK)
			die("out of memory (zlib)");
		x->z_active = true;
	}
	x->z.next_in = in;
	x->z.avail_in = (uInt)len;
	for (;;) {
		size_t produced;
		int rc;

		if (x->z_end) {
			if (x->z.avail_in == 0)
				return true;
			/* Another gzip member may follow; deflate may not. */
			if (x->coding != CODING_GZIP ||
			    inflateReset(&x->z) != Z_OK) {
				x->fail = FAIL_DECODE;
				return false;
			}
			x->z_end = false;
		}
		x->z.next_out = out;
		x->z.avail_out = sizeof(out);
		rc = inflate(&x->z, Z_NO_FLUSH);
		if (rc == Z_DATA_ERROR && x->coding == CODING_DEFLATE &&
		    !x->z_raw && x->z.total_out == 0 && x->raw_bytes == len) {
			/*
			 * "deflate" without the zlib wrapper, as some
			 * servers send it: start over as raw deflate.
			 */
			inflateEnd(&x->z);
			memset(&x->z, 0, sizeof(x->z));
			if (inflateInit2(&x->z, -15) != Z_OK)
				die("out of memory (zlib)");
			x->z.next_in = in;
			x->z.avail_in = (uInt)len;
			x->z_raw = true;
			continue;
		}
		produced = sizeof(out) - x->z.avail_out;
		if (produced && !keep(x, out, produced))
			return false;
		if (rc == Z_STREAM_END) {
			x->z_end = true;
			continue;
		}
		if (rc == Z_BUF_ERROR)
			return true; /* needs more input */
		if (rc != Z_OK) {
			x->fail = FAIL_DECODE;
			return false;
		}
		if (x->z.avail_in == 0 && x->z.avail_out != 0)
			return true;
	}
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * nmemb;
	bool ok;

	if (x->status >= 300 && x->status < 400)
		return len; /* a redirect's own body */
	x->raw_bytes += len;
	switch (x->coding) {
	case CODING_NONE:
		ok = keep(x, data, len);
		break;
	case CODING_GZIP:
	case CODING_DEFLATE:
		ok = inflate_body(x, (const unsigned char *)data, len);
		if (!ok && x->fail == FAIL_DECODE && x->status != 200) {
			/* An error page we cannot read: judge by status. */
			x->fail = FAIL_NONE;
			x->cut = true;
		}
		break;
	default:
		x->fail = FAIL_CODING;
		ok = false;
		break;
	}
	return ok ? len : 0; /* 0 makes libcurl stop: CURLE_WRITE_ERROR */
}

/* ---- classification ---------------------------------------------------- */

static bool
transient_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Seconds from now given by a Retry-After value, or -1 if unusable. */
static long
parse_retry_after(const char *v)
{
	long s;

	if (!v)
		return -1;
	if (v[strspn(v, "0123456789")] == '\0' && *v) {
		if (strlen(v) > 9)
			return RETRY_AFTER_MAX_S;
		s = atol(v);
	} else {
		time_t t = curl_getdate(v, NULL);

		if (t == (time_t)-1)
			return -1;
		s = t > time(NULL) ? (long)(t - time(NULL)) : 0;
	}
	return s > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : s;
}

static bool
contains(const struct strbuf *sb, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; nl <= sb->len && i <= sb->len - nl; i++)
		if (sb->buf[i] == needle[0] && !memcmp(sb->buf + i, needle, nl))
			return true;
	return false;
}

/*
 * Is this 403 an EDGAR block?  Returns a fixed description (no server
 * bytes), or NULL when it is an ordinary 403.
 */
static const char *
block_reason(const struct xfer *x)
{
	static const char *const marks[] = {
	    "Request Rate Threshold Exceeded",
	    "Undeclared Automated Tool",
	};
	const struct strbuf *b = &x->res->body;

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (contains(b, marks[i]))
			return marks[i];
	if (!x->sec)
		return NULL;
	if (contains(b, "<Code>AccessDenied</Code>"))
		return NULL; /* S3: the Archives file does not exist */
	return "HTTP 403 from sec.gov";
}

static double
jitter(struct run *r, int attempt)
{
	double top =
	    BACKOFF_BASE_MS * (double)(1u << (attempt < 8 ? attempt : 8));

	/* xorshift64: good enough to spread retries. */
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	if (top > (double)r->cfg.max_wait_ms)
		top = (double)r->cfg.max_wait_ms;
	return top * (double)(r->rng >> 11) / 9007199254740992.0;
}

static void group_enqueue(struct group *g, struct xfer *x);

/*
 * Try again later in this run if the policy allows; returns false when the
 * caller should report the result as it stands.
 */
static bool
maybe_retry(struct run *r, struct xfer *x, long retry_after_s, double now)
{
	double wait_ms;

	if (x->res->attempts > r->cfg.retries)
		return false;
	wait_ms = retry_after_s >= 0 ? (double)retry_after_s * 1000.0
	                             : jitter(r, x->res->attempts - 1);
	if (wait_ms > (double)r->cfg.max_wait_ms)
		return false;
	if (r->cfg.deadline > 0 && now + wait_ms / 1000.0 >= r->cfg.deadline)
		return false;
	x->ready_at = now + wait_ms / 1000.0;
	x->state = X_QUEUED;
	group_enqueue(x->group, x);
	return true;
}

static void
release_easy(struct run *r, struct xfer *x)
{
	if (x->easy) {
		curl_multi_remove_handle(r->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->headers);
	x->headers = NULL;
	if (x->z_active)
		inflateEnd(&x->z);
	x->z_active = false;
	x->group->active--;
	r->active--;
}

static const char *
coding_name(enum coding c)
{
	return c == CODING_GZIP ? "gzip" : "deflate";
}

/* A transfer has ended: decide its result, or queue a retry. */
static void
attempt_done(struct run *r, struct xfer *x, CURLcode rc)
{
	struct fetch_result *res = x->res;
	double now = fetch_now();
	long status = 0, ra;
	char *url = NULL;
	const char *why;
	bool truncated = x->z_active && !x->z_end;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
	res->http_status = (int)status;
	res->curl_code = (int)rc;
	free(res->final_url);
	res->final_url = url ? clean_dup(url, 2048) : NULL;
	release_easy(r, x);

	if (x->fail == FAIL_TOO_BIG || rc == CURLE_FILESIZE_EXCEEDED) {
		finish(r, x, FETCH_ERROR, "body exceeds %zu bytes", x->cap);
		return;
	}
	if (x->fail == FAIL_DECODE) {
		finish(r, x, FETCH_ERROR, "corrupt %s body",
		       coding_name(x->coding));
		return;
	}
	if (x->fail == FAIL_CODING) {
		finish(r, x, FETCH_ERROR, "unsupported Content-Encoding");
		return;
	}
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && x->cut)) {
		if (transient_curl(rc) && maybe_retry(r, x, -1, now))
			return;
		finish(r, x, FETCH_ERROR, "%s",
		       x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		return;
	}

	switch (status) {
	case 200:
		if (truncated)
			finish(r, x, FETCH_ERROR, "truncated %s body",
			       coding_name(x->coding));
		else if (res->body.len == 0)
			finish(r, x, FETCH_ERROR, "empty body");
		else
			finish(r, x, FETCH_OK, NULL);
		return;
	case 304:
		if (x->conditional)
			finish(r, x, FETCH_NOT_MODIFIED, NULL);
		else
			finish(r, x, FETCH_ERROR,
			       "HTTP 304 to an unconditional request");
		return;
	case 403:
		why = block_reason(x);
		if (!why)
			break;
		x->group->blocked = why;
		finish(r, x, FETCH_BLOCKED, "HTTP 403, blocked (%s)", why);
		return;
	case 429:
	case 503:
		ra = parse_retry_after(x->retry_after);
		if (ra < 0)
			break;
		res->retry_after_s = ra;
		if (x->group->hold_until < now + (double)ra)
			x->group->hold_until = now + (double)ra;
		if (maybe_retry(r, x, ra, now))
			return;
		finish(r, x, FETCH_RETRY_LATER, "HTTP %ld, retry after %ld s",
		       status, ra);
		return;
	case 0:
		finish(r, x, FETCH_ERROR, "no HTTP response");
		return;
	}
	if ((status == 408 || status == 429 || status == 500 || status == 502 ||
	     status == 503 || status == 504) &&
	    maybe_retry(r, x, -1, now))
		return;
	finish(r, x, FETCH_ERROR, "HTTP %ld", status);
}

/* ---- starting transfers ------------------------------------------------ */

static CURLcode
setup_easy(struct run *r, struct xfer *x)
{
	const struct fetch_config *c = &r->cfg;
	CURL *h = x->easy;
	CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                          \
	do {                                                                   \
		if (rc == CURLE_OK)                                            \
			rc = curl_easy_setopt(h, opt, val);                    \
	} while (0)
	SET(CURLOPT_URL, x->req->url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, x->https ? "https" : "http,https");
	SET(CURLOPT_FOLLOWLOCATION, c->max_redirects > 0 ? 1L : 0L);
	SET(CURLOPT_MAXREDIRS,
	    (long)(c->max_redirects > 0 ? c->max_redirects : 0));
	SET(CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, c->total_timeout_ms);
	SET(CURLOPT_LOW_SPEED_LIMIT, c->low_speed_limit);
	SET(CURLOPT_LOW_SPEED_TIME, c->low_speed_time);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->cap);
	/* We decode; advertise only what we can decode. */
	SET(CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
	SET(CURLOPT_HTTP_CONTENT_DECODING, 0L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USERAGENT, c->user_agent);
	/* "" overrides http_proxy & co. from the environment. */
	SET(CURLOPT_PROXY, c->proxy ? c->proxy : "");
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, x);
	SET(CURLOPT_PRIVATE, x);
	if (x->headers)
		SET(CURLOPT_HTTPHEADER, x->headers);
	if (r->resolve)
		SET(CURLOPT_RESOLVE, r->resolve);
#undef SET
	return rc;
}

static void
start(struct run *r, struct xfer *x, double now)
{
	const struct fetch_request *q = x->req;
	struct strbuf hdr = STRBUF_INIT;
	CURLcode rc;

	response_reset(x);
	x->fail = FAIL_NONE;
	x->errbuf[0] = '\0';
	x->conditional = false;
	if (q->etag && *q->etag && is_printable(q->etag)) {
		strbuf_addf(&hdr, "If-None-Match: %s", q->etag);
		x->headers = curl_slist_append(x->headers, hdr.buf);
		x->conditional = true;
	}
	if (q->last_modified && *q->last_modified &&
	    is_printable(q->last_modified)) {
		strbuf_reset(&hdr);
		strbuf_addf(&hdr, "If-Modified-Since: %s", q->last_modified);
		x->headers = curl_slist_append(x->headers, hdr.buf);
		x->conditional = true;
	}
	strbuf_release(&hdr);
	if (x->conditional && !x->headers)
		die("out of memory (curl_slist_append)");

	if (x->res->attempts++ == 0)
		x->first_start = now;
	x->state = X_RUNNING;
	x->group->active++;
	r->active++;
	x->easy = curl_easy_init();
	if (!x->easy)
		die("out of memory (curl_easy_init)");
	rc = setup_easy(r, x);
	if (rc == CURLE_OK && curl_multi_add_handle(r->multi, x->easy) != 0)
		rc = CURLE_FAILED_INIT;
	if (rc != CURLE_OK) {
		release_easy(r, x);
		finish(r, x, FETCH_ERROR, "cannot set up the transfer: %s",
		       curl_easy_strerror(rc));
	}
}

static void
group_enqueue(struct group *g, struct xfer *x)
{
	g->queue = xreallocarray(g->queue, g->nqueue + 1, sizeof(*g->queue));
	g->queue[g->nqueue++] = x;
}

static void
group_remove(struct group *g, size_t i)
{
	memmove(g->queue + i, g->queue + i + 1,
	        (g->nqueue - i - 1) * sizeof(*g->queue));
	g->nqueue--;
}

/* End every queued request of g without sending it. */
static void
drain_group(struct run *r, struct group *g, enum fetch_outcome outcome,
            double now)
{
	while (g->nqueue) {
		struct xfer *x = g->queue[0];

		group_remove(g, 0);
		/* A queued retry was sent before: not sent *again*. */
		const char *again = x->res->attempts ? " again" : "";

		if (outcome == FETCH_BLOCKED) {
			finish(r, x, FETCH_BLOCKED,
			       "not sent%s: host blocked this run (%s)", again,
			       g->blocked);
		} else {
			long s = ceil_long(g->hold_until - now);

			x->res->retry_after_s = s;
			finish(r, x, FETCH_RETRY_LATER,
			       "not sent%s: host asked to retry after %ld s",
			       again, s);
		}
	}
}

static void
wake_at(double *wake, double t)
{
	if (t < *wake)
		*wake = t;
}

/*
 * Start what may start now; lower *wake to the next time something queued
 * becomes startable.
 */
static void
schedule(struct run *r, double now, double *wake)
{
	const struct fetch_config *c = &r->cfg;

	for (size_t gi = 0; gi < r->ngroups; gi++) {
		struct group *g = r->groups[gi];

		if (!g->nqueue)
			continue;
		if (g->blocked) {
			drain_group(r, g, FETCH_BLOCKED, now);
			continue;
		}
		if (g->hold_until > now) {
			double limit = now + (double)c->max_wait_ms / 1000.0;

			if (c->deadline > 0 && c->deadline < limit)
				limit = c->deadline;
			if (g->hold_until > limit)
				drain_group(r, g, FETCH_RETRY_LATER, now);
			else
				wake_at(wake, g->hold_until);
			continue;
		}
		while (g->nqueue && g->active < c->per_host_max &&
		       r->active < c->max_parallel) {
			size_t i;

			if (now < g->next_start) {
				wake_at(wake, g->next_start);
				break;
			}
			for (i = 0; i < g->nqueue; i++)
				if (g->queue[i]->ready_at <= now)
					break;
				else
					wake_at(wake, g->queue[i]->ready_at);
			if (i == g->nqueue)
				break;
			struct xfer *x = g->queue[i];
			group_remove(g, i);
			g->next_start = now + g->interval;
			start(r, x, now);
		}
	}
}

/* ---- setting up a run -------------------------------------------------- */

static struct group *
group_for(struct run *r, const char *host)
{
	const struct fetch_config *c = &r->cfg;
	const char *key = host;
	double interval = 0;
	struct group *g;

	for (size_t i = 0; i < c->nrates; i++) {
		const struct fetch_rate *rate = &c->rates[i];

		if (rate->host_suffix &&
		    host_has_suffix(host, rate->host_suffix)) {
			key = rate->host_suffix;
			interval = (double)rate->min_interval_ms / 1000.0;
			break;
		}
	}
	if (key == host && host_has_suffix(host, "sec.gov")) {
		key = "sec.gov";
		interval = (double)FETCH_SEC_INTERVAL_MS / 1000.0;
	}
	for (size_t i = 0; i < r->ngroups; i++)
		if (!strcasecmp(r->groups[i]->key, key))
			return r->groups[i];
	g = xcalloc(1, sizeof(*g));
	g->key = xstrdup(key);
	g->interval = interval;
	r->groups =
	    xreallocarray(r->groups, r->ngroups + 1, sizeof(*r->groups));
	r->groups[r->ngroups++] = g;
	return g;
}

/*
 * Parse the URL; on success put x in its group's queue, else end it.
 * Nothing here touches the network.
 */
static void
prepare(struct run *r, struct xfer *x)
{
	const char *raw = x->req->url ? x->req->url : "";
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *shown = NULL;

	if (!u)
		die("out of memory (curl_url)");
	if (curl_url_set(u, CURLUPART_URL, raw, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK) {
		x->show_url = clean_dup(*raw ? raw : "(no URL)", URL_SHOW_MAX);
		finish(r, x, FETCH_ERROR, "not a valid URL");
		goto out;
	}
	/* Credentials never appear in messages. */
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	if (curl_url_get(u, CURLUPART_URL, &shown, 0) == CURLUE_OK)
		x->show_url = clean_dup(shown, URL_SHOW_MAX);
	else
		x->show_url = clean_dup(raw, URL_SHOW_MAX);
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	if (!scheme || (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
		finish(r, x, FETCH_ERROR,
		       "unsupported URL scheme (only http and https)");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
		finish(r, x, FETCH_ERROR, "URL has no host");
		goto out;
	}
	x->https = !strcmp(scheme, "https");
	x->sec = host_has_suffix(host, "sec.gov");
	if (x->sec && !strchr(r->cfg.user_agent, '@')) {
		finish(r, x, FETCH_ERROR,
		       "not sent: sec.gov requires a User-Agent with a "
		       "contact e-mail");
		goto out;
	}
	x->group = group_for(r, host);
	group_enqueue(x->group, x);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(shown);
	curl_url_cleanup(u);
}

static enum status
check_config(const struct fetch_config *in, struct fetch_config *c)
{
	const char *ua = in->user_agent;

	if (!ua || !ua[strspn(ua, " \t")])
		return err_set(ST_CONFIG, "fetch: no User-Agent configured");
	if (!is_printable(ua))
		return err_set(ST_CONFIG,
		               "fetch: User-Agent has control or non-ASCII "
		               "characters");
	*c = *in;
	if (!c->max_body)
		c->max_body = FETCH_DEFAULT_MAX_BODY;
	if (c->connect_timeout_ms <= 0)
		c->connect_timeout_ms = FETCH_DEFAULT_CONNECT_TIMEOUT_MS;
	if (c->total_timeout_ms <= 0)
		c->total_timeout_ms = FETCH_DEFAULT_TOTAL_TIMEOUT_MS;
	if (c->low_speed_limit <= 0)
		c->low_speed_limit = FETCH_DEFAULT_LOW_SPEED_LIMIT;
	if (c->low_speed_time <= 0)
		c->low_speed_time = FETCH_DEFAULT_LOW_SPEED_TIME;
	if (c->max_redirects == 0)
		c->max_redirects = FETCH_DEFAULT_MAX_REDIRECTS;
	if (c->per_host_max <= 0)
		c->per_host_max = FETCH_DEFAULT_PER_HOST_MAX;
	if (c->max_parallel <= 0)
		c->max_parallel = FETCH_DEFAULT_MAX_PARALLEL;
	if (c->retries < 0)
		c->retries = 0;
	if (c->max_wait_ms <= 0)
		c->max_wait_ms = FETCH_DEFAULT_MAX_WAIT_MS;
	if (!c->rates)
		c->nrates = 0;
	return ST_OK;
}

/* End everything unfinished with the same reason. */
static void
end_all(struct run *r, const char *why)
{
	for (size_t i = 0; i < r->n; i++) {
		struct xfer *x = &r->xfers[i];

		if (x->state == X_RUNNING)
			release_easy(r, x);
		if (x->state != X_DONE)
			finish(r, x, FETCH_ERROR, "%s", why);
	}
	for (size_t gi = 0; gi < r->ngroups; gi++)
		r->groups[gi]->nqueue = 0;
}

/* Hand finished transfers to attempt_done(); returns how many. */
static int
collect(struct run *r)
{
	CURLMsg *m;
	int left, count = 0;

	while ((m = curl_multi_info_read(r->multi, &left))) {
		struct xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &x);
		attempt_done(r, x, m->data.result);
		count++;
	}
	return count;
}

static enum status
loop(struct run *r)
{
	const struct fetch_config *c = &r->cfg;
	CURLMcode mc;

	while (r->done < r->n) {
		double now = fetch_now(), wake = HUGE_VAL;
		long timeout = -1;
		int running;

		if (c->deadline > 0 && now >= c->deadline) {
			end_all(r, "deadline exceeded");
			break;
		}
		schedule(r, now, &wake);
		if (r->done == r->n)
			break;
		mc = curl_multi_perform(r->multi, &running);
		if (mc != CURLM_OK)
			goto fail;
		if (collect(r))
			continue; /* a slot may have opened */
		if (r->active == 0 && wake == HUGE_VAL)
			die("fetch: %zu requests neither queued nor running",
			    r->n - r->done);
		curl_multi_timeout(r->multi, &timeout);
		if (timeout < 0 || timeout > 1000)
			timeout = 1000;
		if (wake < HUGE_VAL && (wake - now) * 1000.0 < (double)timeout)
			timeout = ceil_long((wake - now) * 1000.0);
		if (c->deadline > 0 &&
		    (c->deadline - now) * 1000.0 < (double)timeout)
			timeout = ceil_long((c->deadline - now) * 1000.0);
		if (timeout < 0)
			timeout = 0;
		mc = curl_multi_poll(r->multi, NULL, 0, (int)timeout, NULL);
		if (mc != CURLM_OK)
			goto fail;
	}
	return ST_OK;
fail:
	end_all(r, "internal error in libcurl");
	return err_set(ST_SOFTWARE, "fetch: libcurl multi: %s",
	               curl_multi_strerror(mc));
}

enum status
fetch_run(const struct fetch_config *cfg, const struct fetch_request *reqs,
          size_t n, struct fetch_result *results)
{
	struct run r;
	enum status st;

	for (size_t i = 0; i < n; i++)
		result_init(&results[i]);
	memset(&r, 0, sizeof(r));
	st = check_config(cfg, &r.cfg);
	if (st != ST_OK)
		return st;
	r.n = n;
	r.rng = (uint64_t)(fetch_now() * 1e9) | 1;
	r.xfers = xcalloc(n ? n : 1, sizeof(*r.xfers));
	for (const char *const *p = cfg->resolve; p && *p; p++) {
		struct curl_slist *s = curl_slist_append(r.resolve, *p);

		if (!s)
			die("out of memory (curl_slist_append)");
		r.resolve = s;
	}
	r.multi = curl_multi_init();
	if (!r.multi)
		die("out of memory (curl_multi_init)");
	curl_multi_setopt(
	    r.multi, CURLMOPT_MAXCONNECTS,
	    (long)(r.cfg.max_parallel * 4 < 16 ? 16 : r.cfg.max_parallel * 4));

	for (size_t i = 0; i < n; i++) {
		struct xfer *x = &r.xfers[i];

		x->req = &reqs[i];
		x->res = &results[i];
		x->cap = r.cfg.max_body;
		prepare(&r, x);
	}
	st = loop(&r);

	for (size_t i = 0; i < n; i++) {
		free(r.xfers[i].show_url);
		free(r.xfers[i].retry_after);
	}
	for (size_t gi = 0; gi < r.ngroups; gi++) {
		free(r.groups[gi]->key);
		free(r.groups[gi]->queue);
		free(r.groups[gi]);
	}
	free(r.groups);
	free(r.xfers);
	curl_multi_cleanup(r.multi);
	curl_slist_free_all(r.resolve);
	return st;
}
