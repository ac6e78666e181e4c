/*
 * ingest/fetch against tests/helpers/fixture_server on 127.0.0.1.
 *
 * Each test starts its own server (fresh request and connection counts)
 * on a free port: $BUILD/tests/fixture_server, BUILD defaulting to
 * build/rel, run from the repository root.  FIXTURE_VERBOSE=1 makes the
 * server log requests on stderr.  Timeouts and caps are small so the file
 * runs in a few seconds.
 */

#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ingest/fetch.h"

static pid_t server_pid;
static int port;
static char docdir[64];

static const char feed[] =
    "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
    "<title>t</title><item><title>one</title></item></channel></rss>\n";

static const char ua[] = "oligo-test/1.0 (Test Org test@example.org)";

static void
write_file(const char *name, const char *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", docdir, name);
	f = fopen(path, "wb");
	cr_assert(f, "cannot create %s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
server_start(void)
{
	const char *build = getenv("BUILD");
	char bin[512], line[32];
	char big[2048];
	int fds[2];
	size_t got = 0;

	strcpy(docdir, "/tmp/oligo-fetch-XXXXXX");
	cr_assert(mkdtemp(docdir), "mkdtemp: %s", strerror(errno));
	write_file("feed.xml", feed, strlen(feed));
	memset(big, 'b', sizeof(big));
	write_file("big.txt", big, sizeof(big));

	snprintf(bin, sizeof(bin), "%s/tests/fixture_server",
	         build && *build ? build : "build/rel");
	cr_assert(access(bin, X_OK) == 0, "no fixture server at %s", bin);
	cr_assert(pipe(fds) == 0);
	server_pid = fork();
	cr_assert(server_pid >= 0);
	if (server_pid == 0) {
		const char *v = getenv("FIXTURE_VERBOSE");

#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(bin, bin, "-p", "0", "-d", docdir, "-t", "60",
		      v && *v ? "-v" : (char *)NULL, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (got < sizeof(line) - 1 && !memchr(line, '\n', got)) {
		struct pollfd p = {.fd = fds[0], .events = POLLIN};
		ssize_t n;

		cr_assert(poll(&p, 1, 5000) == 1, "fixture server is silent");
		n = read(fds[0], line + got, sizeof(line) - 1 - got);
		cr_assert(n > 0, "fixture server exited");
		got += (size_t)n;
	}
	close(fds[0]);
	line[got] = '\0';
	port = atoi(line);
	cr_assert(port > 0, "bad port line '%s'", line);
	cr_assert_eq(fetch_global_init(), ST_OK);
}

static void
server_stop(void)
{
	char path[128];

	fetch_global_cleanup();
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
	}
	snprintf(path, sizeof(path), "%s/feed.xml", docdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/big.txt", docdir);
	unlink(path);
	rmdir(docdir);
}

TestSuite(fetch, .init = server_start, .fini = server_stop, .timeout = 20);

/* A URL on the fixture server; host is "127.0.0.1" unless given. */
static const char *url_on(const char *host, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *
url_on(const char *host, const char *fmt, ...)
{
	static char pool[64][640];
	static int next;
	char *u = pool[next++ % 64];
	int n;
	va_list ap;

	n = snprintf(u, sizeof(pool[0]), "http://%s:%d", host, port);
	va_start(ap, fmt);
	vsnprintf(u + n, sizeof(pool[0]) - (size_t)n, fmt, ap);
	va_end(ap);
	return u;
}

#define URL(...) url_on("127.0.0.1", __VA_ARGS__)

static struct fetch_config
config(void)
{
	struct fetch_config c = {
	    .user_agent = ua,
	    .connect_timeout_ms = 2000,
	    .total_timeout_ms = 5000,
	    .max_body = 1 << 20,
	};
	return c;
}

/* Fetch one URL; the caller releases *res. */
static void
fetch1(const struct fetch_config *c, const char *url, const char *etag,
       const char *lm, struct fetch_result *res)
{
	struct fetch_request q = {
	    .url = url, .etag = etag, .last_modified = lm};

	cr_assert_eq(fetch_run(c, &q, 1, res), ST_OK, "%s", err_msg());
}

static void
fetch_n(const struct fetch_config *c, const char *const *urls, size_t n,
        struct fetch_result *res)
{
	struct fetch_request q[64];

	cr_assert(n <= 64);
	memset(q, 0, sizeof(q));
	for (size_t i = 0; i < n; i++)
		q[i].url = urls[i];
	cr_assert_eq(fetch_run(c, q, n, res), ST_OK, "%s", err_msg());
}

static void
release_n(struct fetch_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fetch_result_release(&res[i]);
}

/* What /count says: requests the server got before asking. */
static long
server_count(void)
{
	struct fetch_config c = config();
	struct fetch_result r;
	long n;

	fetch1(&c, URL("/count"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	n = atol(r.body.buf);
	fetch_result_release(&r);
	return n;
}

/* A field of /stats ("connections", "requests", "max_open", "max_busy"). */
static long
server_stat(const char *name)
{
	struct fetch_config c = config();
	struct fetch_result r;
	const char *p;
	long n;

	fetch1(&c, URL("/stats"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	p = strstr(r.body.buf, name);
	cr_assert(p, "no %s in /stats", name);
	n = atol(p + strlen(name) + 1);
	fetch_result_release(&r);
	return n;
}

static void
assert_error(const struct fetch_result *r, const char *url, const char *why)
{
	char want[512];

	snprintf(want, sizeof(want), "%s: %s", url, why);
	cr_assert_eq(r->outcome, FETCH_ERROR, "%s: outcome %s (%s)", url,
	             fetch_outcome_name(r->outcome), r->error);
	cr_assert_str_eq(r->error, want);
}

static void
assert_error_has(const struct fetch_result *r, const char *part)
{
	cr_assert_eq(r->outcome, FETCH_ERROR, "outcome %s (%s)",
	             fetch_outcome_name(r->outcome), r->error);
	cr_assert(r->error && strstr(r->error, part), "'%s' lacks '%s'",
	          r->error, part);
}

/* ---- success and conditional GET --------------------------------------- */

Test(fetch, ok_body)
{
	struct fetch_config c = config();
	struct fetch_result r;
	const char *u = URL("/feed.xml");

	fetch1(&c, u, NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	cr_assert_eq(r.http_status, 200);
	cr_assert_eq(r.attempts, 1);
	cr_assert_null(r.error);
	cr_assert_eq(r.body.len, strlen(feed));
	cr_assert_str_eq(r.body.buf, feed);
	cr_assert_str_eq(r.content_type, "application/xml");
	cr_assert_str_eq(r.final_url, u);
	cr_assert_eq(r.retry_after_s, -1);
	cr_assert(r.seconds > 0 && r.seconds < 2);
	fetch_result_release(&r);
	fetch_result_release(&r); /* twice is fine */
}

Test(fetch, request_headers)
{
	struct fetch_config c = config();
	struct fetch_result r;

	fetch1(&c, URL("/headers"), "\"v1\"", "Tue, 01 Oct 2024 10:00:00 GMT",
	       &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	cr_assert(strstr(r.body.buf, "User-Agent: oligo-test/1.0 (Test Org "
	                             "test@example.org)\r\n"),
	          "%s", r.body.buf);
	cr_assert(strstr(r.body.buf, "Accept-Encoding: gzip, deflate\r\n"));
	cr_assert(strstr(r.body.buf, "If-None-Match: \"v1\"\r\n"));
	cr_assert(strstr(r.body.buf, "If-Modified-Since: Tue, 01 Oct 2024 "
	                             "10:00:00 GMT\r\n"));
	fetch_result_release(&r);

	/* A validator that would inject a header is not sent at all. */
	fetch1(&c, URL("/headers"), "\"v1\"\r\nX-Evil: 1", NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK);
	cr_assert_null(strstr(r.body.buf, "X-Evil"));
	cr_assert_null(strstr(r.body.buf, "If-None-Match"));
	fetch_result_release(&r);
}

Test(fetch, conditional_get_round_trip)
{
	struct fetch_config c = config();
	struct fetch_result r, again;
	const char *u = URL("/etag");

	fetch1(&c, u, NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	cr_assert_str_eq(r.etag, "\"v1\"");
	cr_assert_str_eq(r.last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");

	/* Send back what the server gave: 304, nothing to parse. */
	fetch1(&c, u, r.etag, r.last_modified, &again);
	cr_assert_eq(again.outcome, FETCH_NOT_MODIFIED, "%s", again.error);
	cr_assert_eq(again.http_status, 304);
	cr_assert_eq(again.body.len, 0);
	cr_assert_null(again.error);
	fetch_result_release(&again);

	/* The date alone works too. */
	fetch1(&c, u, NULL, r.last_modified, &again);
	cr_assert_eq(again.outcome, FETCH_NOT_MODIFIED);
	fetch_result_release(&again);

	/* A stale validator gets the full body. */
	fetch1(&c, u, "\"v0\"", NULL, &again);
	cr_assert_eq(again.outcome, FETCH_OK);
	cr_assert_gt(again.body.len, 0);
	fetch_result_release(&again);
	fetch_result_release(&r);
}

Test(fetch, unasked_304_is_an_error)
{
	struct fetch_config c = config();
	struct fetch_result r;
	const char *u = URL("/status/304");

	fetch1(&c, u, NULL, NULL, &r);
	assert_error(&r, u, "HTTP 304 to an unconditional request");
	fetch_result_release(&r);
}

Test(fetch, html_200_is_ok)
{
	struct fetch_config c = config();
	struct fetch_result r;

	fetch1(&c, URL("/html200"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	cr_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	cr_assert(strstr(r.body.buf, "<html>"));
	fetch_result_release(&r);
}

Test(fetch, empty_200_is_an_error)
{
	struct fetch_config c = config();
	struct fetch_result r;
	const char *u = URL("/empty200");

	fetch1(&c, u, NULL, NULL, &r);
	assert_error(&r, u, "empty body");
	cr_assert_eq(r.http_status, 200);
	fetch_result_release(&r);
}

/* ---- HTTP errors, Retry-After, retries ---------------------------------- */

Test(fetch, http_errors)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/status/404"), URL("/status/500"),
	                   URL("/status/503"), URL("/status/410")};
	const char *why[] = {"HTTP 404", "HTTP 500", "HTTP 503", "HTTP 410"};
	struct fetch_result r[4];

	fetch_n(&c, u, 4, r);
	for (int i = 0; i < 4; i++) {
		assert_error(&r[i], u[i], why[i]);
		cr_assert_eq(r[i].attempts, 1);
		cr_assert_eq(r[i].retry_after_s, -1);
		cr_assert_gt(r[i].body.len, 0); /* the error page is kept */
	}
	release_n(r, 4);
	cr_assert_eq(server_count(), 4);
}

Test(fetch, retry_after_seconds_and_date)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/429?retry=2"), URL("/status/503?retry=7"),
	                   url_on("localhost", "/429?date=30")};
	struct fetch_result r[3];

	fetch_n(&c, u, 3, r);
	cr_assert_eq(r[0].outcome, FETCH_RETRY_LATER, "%s", r[0].error);
	cr_assert_eq(r[0].http_status, 429);
	cr_assert_eq(r[0].retry_after_s, 2);
	cr_assert(strstr(r[0].error, ": HTTP 429, retry after 2 s"));
	cr_assert_eq(r[1].outcome, FETCH_RETRY_LATER);
	cr_assert_eq(r[1].retry_after_s, 7);
	cr_assert_eq(r[2].outcome, FETCH_RETRY_LATER, "%s", r[2].error);
	cr_assert(r[2].retry_after_s >= 28 && r[2].retry_after_s <= 30,
	          "retry_after_s %ld", r[2].retry_after_s);
	release_n(r, 3);
}

Test(fetch, retry_after_holds_back_the_host)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/429?retry=100"), URL("/feed.xml"),
	                   url_on("localhost", "/feed.xml")};
	struct fetch_result r[3];

	c.per_host_max = 1;
	fetch_n(&c, u, 3, r);
	cr_assert_eq(r[0].outcome, FETCH_RETRY_LATER);
	cr_assert_eq(r[0].attempts, 1);
	/* Same host: not sent, 100 s is beyond max_wait_ms. */
	cr_assert_eq(r[1].outcome, FETCH_RETRY_LATER, "%s", r[1].error);
	cr_assert_eq(r[1].attempts, 0);
	cr_assert(r[1].retry_after_s >= 99 && r[1].retry_after_s <= 100);
	cr_assert(strstr(r[1].error, "not sent: host asked to retry after"));
	/* Other host: unaffected. */
	cr_assert_eq(r[2].outcome, FETCH_OK, "%s", r[2].error);
	release_n(r, 3);
	cr_assert_eq(server_count(), 2);
}

Test(fetch, bounded_retries)
{
	struct fetch_config c = config();
	struct fetch_result r;
	double t0;

	/* No retries unless asked. */
	fetch1(&c, URL("/status/500"), NULL, NULL, &r);
	cr_assert_eq(r.attempts, 1);
	fetch_result_release(&r);
	cr_assert_eq(server_count(), 1);

	/* A transient failure is tried 1 + retries times. */
	c.retries = 2;
	c.max_wait_ms = 300;
	fetch1(&c, URL("/status/500"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_ERROR);
	cr_assert_eq(r.attempts, 3);
	fetch_result_release(&r);
	cr_assert_eq(server_count(), 1 + 1 + 3);

	/* A permanent one is not retried. */
	fetch1(&c, URL("/status/404"), NULL, NULL, &r);
	cr_assert_eq(r.attempts, 1);
	fetch_result_release(&r);

	/* Retry-After within max_wait_ms is waited for, then retried. */
	c.retries = 1;
	c.max_wait_ms = 2000;
	t0 = fetch_now();
	fetch1(&c, URL("/429?retry=1"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_RETRY_LATER);
	cr_assert_eq(r.attempts, 2);
	cr_assert_geq(fetch_now() - t0, 0.95);
	fetch_result_release(&r);

	/* ... and beyond it is not. */
	fetch1(&c, URL("/429?retry=3"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_RETRY_LATER);
	cr_assert_eq(r.attempts, 1);
	cr_assert_eq(r.retry_after_s, 3);
	fetch_result_release(&r);
}

/* ---- EDGAR blocks -------------------------------------------------------- */

Test(fetch, edgar_403_blocks_the_host)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/edgar403"), URL("/feed.xml"), URL("/etag"),
	                   URL("/feed.xml"), url_on("localhost", "/feed.xml")};
	struct fetch_result r[5];

	c.per_host_max = 1;
	fetch_n(&c, u, 5, r);
	cr_assert_eq(r[0].outcome, FETCH_BLOCKED, "%s", r[0].error);
	cr_assert_eq(r[0].http_status, 403);
	cr_assert(strstr(r[0].error, "blocked (Request Rate Threshold "
	                             "Exceeded)"),
	          "%s", r[0].error);
	for (int i = 1; i < 4; i++) {
		cr_assert_eq(r[i].outcome, FETCH_BLOCKED, "%d: %s", i,
		             r[i].error);
		cr_assert_eq(r[i].attempts, 0);
		cr_assert_eq(r[i].http_status, 0);
		cr_assert(strstr(r[i].error, "not sent: host blocked"));
	}
	cr_assert_eq(r[4].outcome, FETCH_OK, "%s", r[4].error);
	release_n(r, 5);
	/* The blocked host got exactly one request (localhost got one). */
	cr_assert_eq(server_count(), 2);
}

Test(fetch, edgar_undeclared_tool_blocks)
{
	struct fetch_config c = config();
	struct fetch_result r;

	fetch1(&c, URL("/edgar403?kind=ua"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_BLOCKED);
	cr_assert(strstr(r.error, "Undeclared Automated Tool"));
	fetch_result_release(&r);
}

Test(fetch, sec_gov_403_blocks_all_sec_hosts)
{
	char www[64], data[64];
	const char *pins[3] = {www, data, NULL};
	struct fetch_config c = config();
	struct fetch_result r[4];
	const char *u[4];

	snprintf(www, sizeof(www), "www.sec.gov:%d:127.0.0.1", port);
	snprintf(data, sizeof(data), "data.sec.gov:%d:127.0.0.1", port);
	c.resolve = pins;
	c.per_host_max = 1;

	/* S3's AccessDenied is a missing file, not a block. */
	u[0] = url_on("www.sec.gov", "/s3-403");
	u[1] = url_on("data.sec.gov", "/feed.xml");
	fetch_n(&c, u, 2, r);
	assert_error(&r[0], u[0], "HTTP 403");
	cr_assert_eq(r[1].outcome, FETCH_OK, "%s", r[1].error);
	release_n(r, 2);

	/* Any other 403 from sec.gov stops every SEC host. */
	u[0] = url_on("www.sec.gov", "/status/403");
	u[1] = url_on("data.sec.gov", "/feed.xml");
	u[2] = url_on("www.sec.gov", "/feed.xml");
	u[3] = URL("/feed.xml");
	fetch_n(&c, u, 4, r);
	cr_assert_eq(r[0].outcome, FETCH_BLOCKED, "%s", r[0].error);
	cr_assert(strstr(r[0].error, "HTTP 403 from sec.gov"));
	cr_assert_eq(r[1].outcome, FETCH_BLOCKED);
	cr_assert_eq(r[1].attempts, 0);
	cr_assert_eq(r[2].outcome, FETCH_BLOCKED);
	cr_assert_eq(r[2].attempts, 0);
	cr_assert_eq(r[3].outcome, FETCH_OK);
	release_n(r, 4);
	cr_assert_eq(server_count(), 2 + 2);
}

Test(fetch, sec_gov_needs_a_contact_in_the_user_agent)
{
	char pin[64];
	const char *pins[2] = {pin, NULL};
	struct fetch_config c = config();
	struct fetch_result r;

	snprintf(pin, sizeof(pin), "www.sec.gov:%d:127.0.0.1", port);
	c.resolve = pins;
	c.user_agent = "oligo/1.0";
	fetch1(&c, url_on("www.sec.gov", "/feed.xml"), NULL, NULL, &r);
	assert_error_has(&r, "requires a User-Agent with a contact e-mail");
	cr_assert_eq(r.attempts, 0);
	fetch_result_release(&r);
	cr_assert_eq(server_count(), 0);
}

Test(fetch, sec_gov_hosts_share_ten_per_second)
{
	char www[64], data[64];
	const char *pins[3] = {www, data, NULL};
	struct fetch_config c = config();
	struct fetch_result r[10];
	const char *u[10];
	double t0;

	snprintf(www, sizeof(www), "www.sec.gov:%d:127.0.0.1", port);
	snprintf(data, sizeof(data), "data.sec.gov:%d:127.0.0.1", port);
	c.resolve = pins;
	c.per_host_max = 4;
	for (int i = 0; i < 10; i++)
		u[i] =
		    url_on(i % 2 ? "www.sec.gov" : "data.sec.gov", "/feed.xml");
	t0 = fetch_now();
	fetch_n(&c, u, 10, r); /* no rate configured: built-in 100 ms */
	cr_assert_geq(fetch_now() - t0, 0.9);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(r[i].outcome, FETCH_OK, "%s", r[i].error);
	release_n(r, 10);
}

/* ---- broken transfers ---------------------------------------------------- */

Test(fetch, trickle_hits_low_speed_limit)
{
	struct fetch_config c = config();
	struct fetch_result r;
	double t0 = fetch_now();

	c.low_speed_limit = 100;
	c.low_speed_time = 1;
	fetch1(&c, URL("/slow?bytes=1000&ms=100"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_ERROR);
	cr_assert_eq(r.curl_code, 28, "%d: %s", r.curl_code, r.error);
	cr_assert_lt(fetch_now() - t0, 3.0);
	fetch_result_release(&r);
}

Test(fetch, total_timeout)
{
	struct fetch_config c = config();
	struct fetch_result r[2];
	const char *u[] = {URL("/slow?bytes=1000&ms=5"), URL("/hang")};
	double t0 = fetch_now();

	c.total_timeout_ms = 500;
	fetch_n(&c, u, 2, r);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(r[i].outcome, FETCH_ERROR);
		cr_assert_eq(r[i].curl_code, 28, "%s", r[i].error);
		cr_assert(strstr(r[i].error, "timed out"), "%s", r[i].error);
	}
	cr_assert_lt(fetch_now() - t0, 1.5);
	release_n(r, 2);
}

Test(fetch, dropped_connections)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/drop-body"), URL("/drop-headers"),
	                   URL("/chunked?mb=2&drop=1"), URL("/garbage"),
	                   URL("/big-header")};
	struct fetch_result r[5];

	fetch_n(&c, u, 5, r);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(r[i].outcome, FETCH_ERROR, "%s: %s", u[i],
		             fetch_outcome_name(r[i].outcome));
	cr_assert_eq(r[0].curl_code, 18, "%s", r[0].error); /* partial */
	/* libcurl calls a cut header block a 0-byte 200: empty body. */
	cr_assert(r[1].curl_code != 0 || strstr(r[1].error, "empty body"), "%s",
	          r[1].error);
	cr_assert_eq(r[2].curl_code, 18, "%s", r[2].error);
	cr_assert_neq(r[3].curl_code, 0, "%s", r[3].error);
	cr_assert_neq(r[4].curl_code, 0, "%s", r[4].error);
	release_n(r, 5);
}

/* ---- content coding and size caps --------------------------------------- */

Test(fetch, compressed_bodies_are_decoded)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/gzip"), URL("/deflate"), URL("/deflate-raw")};
	struct fetch_result r[3];

	fetch_n(&c, u, 3, r);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(r[i].outcome, FETCH_OK, "%s", r[i].error);
		cr_assert(strstr(r[i].body.buf, "<title>Item 39</title>"));
		cr_assert(strstr(r[i].body.buf, "</rss>\n"));
	}
	cr_assert_eq(r[0].body.len, r[1].body.len);
	cr_assert_eq(r[0].body.len, r[2].body.len);
	release_n(r, 3);
}

Test(fetch, truncated_gzip_is_an_error)
{
	struct fetch_config c = config();
	struct fetch_result r;
	const char *u = URL("/gzip-truncated");

	fetch1(&c, u, NULL, NULL, &r);
	/* libcurl itself says CURLE_OK here. */
	cr_assert_eq(r.curl_code, 0);
	assert_error(&r, u, "truncated gzip body");
	fetch_result_release(&r);
}

Test(fetch, bad_coding_is_an_error)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/gzip-fake"), URL("/br")};
	struct fetch_result r[2];

	fetch_n(&c, u, 2, r);
	assert_error(&r[0], u[0], "corrupt gzip body");
	assert_error(&r[1], u[1], "unsupported Content-Encoding");
	release_n(r, 2);
}

Test(fetch, gzip_bomb_stops_at_the_decoded_cap)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/gzip-bomb?mb=50"), URL("/gzip-bomb?mb=5")};
	struct fetch_result r[2];

	c.max_body = 10 << 20;
	fetch_n(&c, u, 2, r);
	assert_error(&r[0], u[0], "body exceeds 10485760 bytes");
	cr_assert_leq(r[0].body.len, c.max_body);
	cr_assert_eq(r[1].outcome, FETCH_OK, "%s", r[1].error);
	cr_assert_eq(r[1].body.len, 5 << 20);
	release_n(r, 2);
}

Test(fetch, chunked_50mb_stops_at_the_cap)
{
	struct fetch_config c = config();
	struct fetch_result r;
	const char *u = URL("/chunked?mb=50");
	double t0 = fetch_now();

	c.max_body = 10 << 20;
	fetch1(&c, u, NULL, NULL, &r);
	assert_error(&r, u, "body exceeds 10485760 bytes");
	cr_assert_eq(r.curl_code, 23); /* CURLE_WRITE_ERROR */
	cr_assert_lt(fetch_now() - t0, 3.0);
	fetch_result_release(&r);
}

Test(fetch, content_length_over_the_cap)
{
	struct fetch_config c = config();
	struct fetch_result r;
	const char *u = URL("/big.txt");

	c.max_body = 1024;
	fetch1(&c, u, NULL, NULL, &r);
	assert_error(&r, u, "body exceeds 1024 bytes");
	fetch_result_release(&r);
	c.max_body = 2048; /* exactly the size: fine */
	fetch1(&c, u, NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	fetch_result_release(&r);
}

/* ---- redirects and protocols --------------------------------------------- */

Test(fetch, redirects)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/redirect-loop"), URL("/redirect-chain?n=5"),
	                   URL("/redirect-chain?n=6")};
	struct fetch_result r[3];

	fetch_n(&c, u, 3, r);
	cr_assert_eq(r[0].outcome, FETCH_ERROR);
	cr_assert_eq(r[0].curl_code, 47, "%s", r[0].error);
	cr_assert_eq(r[1].outcome, FETCH_OK, "%s", r[1].error);
	cr_assert_str_eq(r[1].final_url, URL("/redirect-chain?n=0"));
	cr_assert_str_eq(r[1].body.buf, "end of chain\n");
	cr_assert_eq(r[2].curl_code, 47, "%s", r[2].error);
	release_n(r, 3);

	/* Redirects off: the 302 is the answer. */
	c.max_redirects = -1;
	fetch_n(&c, u + 1, 1, r);
	assert_error(&r[0], u[1], "HTTP 302");
	release_n(r, 1);
}

Test(fetch, redirect_to_other_protocols_is_refused)
{
	struct fetch_config c = config();
	char ftp[128];
	const char *u[3];
	struct fetch_result r[3];

	snprintf(ftp, sizeof(ftp), "ftp%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fx", port);
	u[0] = URL("/redirect?to=file%%3A%%2F%%2F%%2Fetc%%2Fpasswd");
	u[1] = URL("/redirect?to=%s", ftp);
	u[2] = URL("/redirect?to=gopher%%3A%%2F%%2F127.0.0.1%%3A%d%%2F", port);
	fetch_n(&c, u, 3, r);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(r[i].outcome, FETCH_ERROR);
		cr_assert_eq(r[i].curl_code, 1, "%s", r[i].error);
		cr_assert_eq(r[i].body.len, 0);
		cr_assert_null(strstr(r[i].body.buf, "root:"));
	}
	release_n(r, 3);
	/* Only the three redirects reached the server, not ftp/gopher. */
	cr_assert_eq(server_count(), 3);
}

Test(fetch, non_http_urls_are_never_sent)
{
	struct fetch_config c = config();
	char ftp[64];
	const char *u[] = {"file:///etc/passwd",
	                   ftp,
	                   "gopher://127.0.0.1/",
	                   "not a url",
	                   "",
	                   NULL,
	                   "http://"};
	struct fetch_result r[7];

	snprintf(ftp, sizeof(ftp), "ftp://127.0.0.1:%d/x", port);
	fetch_n(&c, u, 7, r);
	for (int i = 0; i < 7; i++) {
		cr_assert_eq(r[i].outcome, FETCH_ERROR, "%d", i);
		cr_assert_eq(r[i].attempts, 0, "%d: %s", i, r[i].error);
		cr_assert_not_null(r[i].error);
	}
	cr_assert_str_eq(r[0].error, "file:///etc/passwd: unsupported URL "
	                             "scheme (only http and https)");
	cr_assert(strstr(r[1].error, "unsupported URL scheme"));
	cr_assert_str_eq(r[3].error, "not a url: not a valid URL");
	cr_assert_str_eq(r[5].error, "(no URL): not a valid URL");
	release_n(r, 7);
	cr_assert_eq(server_count(), 0);
}

Test(fetch, proxy_only_from_config)
{
	struct fetch_config c = config();
	struct fetch_result r;

	/* The environment is ignored ... */
	setenv("http_proxy", "http://127.0.0.1:1", 1);
	setenv("all_proxy", "http://127.0.0.1:1", 1);
	fetch1(&c, URL("/feed.xml"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_OK, "%s", r.error);
	fetch_result_release(&r);
	/* ... the config is not (nothing listens on port 1). */
	c.proxy = "http://127.0.0.1:1";
	fetch1(&c, URL("/feed.xml"), NULL, NULL, &r);
	cr_assert_eq(r.outcome, FETCH_ERROR);
	cr_assert_eq(r.curl_code, 7, "%s", r.error);
	fetch_result_release(&r);
}

/* ---- errors are safe one-liners ------------------------------------------ */

Test(fetch, error_lines_are_sanitized)
{
	struct fetch_config c = config();
	char longpath[600];
	const char *u[3];
	struct fetch_result r[3];

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	u[0] = url_on("user:s3cret@127.0.0.1", "/status/404");
	u[1] = URL("/status/404?%s", longpath);
	u[2] = "http://127.0.0.1/\x1b[2J\x07";
	fetch_n(&c, u, 3, r);
	cr_assert_eq(r[0].outcome, FETCH_ERROR);
	cr_assert_null(strstr(r[0].error, "s3cret"), "%s", r[0].error);
	cr_assert(strstr(r[0].error, ": HTTP 404"));
	cr_assert_leq(strlen(r[1].error), FETCH_ERROR_MAX);
	cr_assert(strstr(r[1].error, "...: HTTP 404"), "%s", r[1].error);
	for (int i = 0; i < 3; i++)
		for (const char *p = r[i].error; *p; p++)
			cr_assert(*p >= 0x20 && *p <= 0x7e, "byte %d in '%s'",
			          *p, r[i].error);
	release_n(r, 3);
}

Test(fetch, config_is_checked)
{
	struct fetch_config c = config();
	struct fetch_request q = {.url = URL("/feed.xml")};
	struct fetch_result r;

	c.user_agent = " ";
	cr_assert_eq(fetch_run(&c, &q, 1, &r), ST_CONFIG);
	cr_assert(strstr(err_msg(), "User-Agent"));
	cr_assert_eq(r.outcome, FETCH_ERROR);
	cr_assert_eq(r.attempts, 0);
	fetch_result_release(&r);
	c.user_agent = "oligo\r\nX-Evil: 1";
	cr_assert_eq(fetch_run(&c, &q, 1, &r), ST_CONFIG);
	fetch_result_release(&r);
	c.user_agent = NULL;
	cr_assert_eq(fetch_run(&c, &q, 1, &r), ST_CONFIG);
	fetch_result_release(&r);
	cr_assert_eq(server_count(), 0);
	/* An empty batch is fine. */
	c.user_agent = ua;
	cr_assert_eq(fetch_run(&c, &q, 0, &r), ST_OK);
}

/* ---- scheduling --------------------------------------------------------- */

struct progress_log {
	size_t calls, last_done, total;
};

static void
on_progress(void *ctx, size_t done, size_t total)
{
	struct progress_log *p = ctx;

	cr_assert_eq(done, p->last_done + 1);
	p->calls++;
	p->last_done = done;
	p->total = total;
}

Test(fetch, rate_limit_per_host)
{
	struct fetch_rate rate = {.host_suffix = "127.0.0.1",
	                          .min_interval_ms = 50};
	struct fetch_config c = config();
	struct progress_log log = {0};
	const char *u[20];
	struct fetch_result r[20];
	double t0;

	c.rates = &rate;
	c.nrates = 1;
	c.per_host_max = 4;
	c.progress = on_progress;
	c.progress_ctx = &log;
	for (int i = 0; i < 20; i++)
		u[i] = URL("/feed.xml");
	t0 = fetch_now();
	fetch_n(&c, u, 20, r);
	/* 19 intervals of 50 ms between 20 starts. */
	cr_assert_geq(fetch_now() - t0, 0.95);
	for (int i = 0; i < 20; i++)
		cr_assert_eq(r[i].outcome, FETCH_OK, "%s", r[i].error);
	cr_assert_eq(log.calls, 20);
	cr_assert_eq(log.total, 20);
	release_n(r, 20);
}

Test(fetch, deadline)
{
	struct fetch_config c = config();
	const char *u[] = {URL("/feed.xml"), URL("/delay?ms=3000"),
	                   URL("/feed.xml"), URL("/feed.xml")};
	struct fetch_result r[4];
	double t0 = fetch_now();

	c.per_host_max = 1;
	c.deadline = t0 + 0.5;
	fetch_n(&c, u, 4, r);
	cr_assert_lt(fetch_now() - t0, 1.0);
	cr_assert_eq(r[0].outcome, FETCH_OK, "%s", r[0].error);
	for (int i = 1; i < 4; i++)
		assert_error(&r[i], u[i], "deadline exceeded");
	cr_assert_eq(r[1].attempts, 1);
	cr_assert_eq(r[2].attempts, 0);
	cr_assert_eq(r[3].attempts, 0);
	release_n(r, 4);
}

Test(fetch, hosts_run_in_parallel)
{
	struct fetch_config c = config();
	const char *u[8];
	struct fetch_result r[8];
	double t0, dt;

	c.per_host_max = 1;
	for (int i = 0; i < 8; i++)
		u[i] =
		    url_on(i < 4 ? "127.0.0.1" : "localhost", "/delay?ms=300");
	t0 = fetch_now();
	fetch_n(&c, u, 8, r);
	dt = fetch_now() - t0;
	/* 4 x 300 ms per host, both hosts at once; serial would be 2.4 s. */
	cr_assert_geq(dt, 1.15);
	cr_assert_lt(dt, 2.0);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(r[i].outcome, FETCH_OK, "%s", r[i].error);
	release_n(r, 8);
}

Test(fetch, per_host_concurrency)
{
	struct fetch_config c = config();
	const char *u[6];
	struct fetch_result r[6];
	double t0, dt;

	c.per_host_max = 2;
	for (int i = 0; i < 6; i++)
		u[i] = URL("/delay?ms=300");
	t0 = fetch_now();
	fetch_n(&c, u, 6, r);
	dt = fetch_now() - t0;
	cr_assert_geq(dt, 0.88); /* 3 rounds of 2 */
	cr_assert_lt(dt, 1.6);
	release_n(r, 6);
	/* Requests answered at once, not sockets open: the server may see a
	 * closed connection's EOF after the next one's accept. */
	cr_assert_leq(server_stat("max_busy"), 2);
	cr_assert_geq(server_stat("max_busy"), 2);
}

Test(fetch, connection_reuse)
{
	struct fetch_config c = config();
	const char *u[20];
	struct fetch_result r[20];
	long before;

	c.per_host_max = 1;
	for (int i = 0; i < 20; i++)
		u[i] = URL(i % 2 ? "/feed.xml" : "/etag");
	before = server_stat("connections");
	fetch_n(&c, u, 20, r);
	for (int i = 0; i < 20; i++)
		cr_assert_eq(r[i].outcome, FETCH_OK, "%s", r[i].error);
	release_n(r, 20);
	/* One for the 20 requests, one for this /stats. */
	cr_assert_eq(server_stat("connections") - before, 2);
}
