#ifndef OLIGO_INGEST_FETCH_H
#define OLIGO_INGEST_FETCH_H

/*
 * fetch: download a batch of URLs in parallel with libcurl multi and hand
 * back one result per request.  The caller parses and stores; nothing
 * here touches the database or retries across runs.
 *
 * What a run does (every point is covered by tests/unit/test_fetch.c):
 *
 *  - Only http and https, for the URL and for every redirect; at most
 *    max_redirects hops; an https URL may only redirect to https (no
 *    downgrade).  A URL with another scheme ends as FETCH_ERROR without
 *    any connection being made.
 *  - Proxies come from the config only.  libcurl would otherwise read
 *    http_proxy/https_proxy/all_proxy from the environment, and cron's
 *    environment is not the one the user tested in, so the environment
 *    is ignored.  No cookies, no .netrc.
 *  - Requests are grouped by host.  A host group is every host that
 *    matches one fetch_rate rule (so www.sec.gov and data.sec.gov share
 *    one budget), or else one host name; "127.0.0.1" and "localhost" are
 *    different hosts.  Hosts ending in sec.gov form one group even
 *    without a rule, with a 100 ms interval (EDGAR fair access: 10
 *    requests/s for everything a client sends to SEC).  Per group: at
 *    most per_host_max transfers at once, and at least min_interval_ms
 *    between two request starts.  Requests of a group start in the order
 *    given.  Connections are kept and reused within the run.  Redirects
 *    count against the group of the URL that was requested.
 *  - Compressed bodies (gzip, deflate) are requested and decoded here,
 *    not by libcurl, so that a truncated or corrupt stream is an error
 *    (libcurl 7.88 reports a truncated gzip body as success) and the size
 *    cap counts decoded bytes (a gzip bomb stops at max_body).
 *  - Success (FETCH_OK) means: transfer complete, HTTP 200, a complete
 *    body of 1..max_body decoded bytes.  A 200 text/html page is still
 *    FETCH_OK: recognising a feed is the parser's job.
 *  - A 403 that looks like an EDGAR block ends as FETCH_BLOCKED and
 *    stops the group: its requests not yet sent end as FETCH_BLOCKED
 *    without being sent (attempts == 0).  Looks like a block: the body
 *    says "Request Rate Threshold Exceeded" or "Undeclared Automated
 *    Tool" (any host), or any 403 from a host ending in sec.gov except
 *    S3's "<Code>AccessDenied</Code>" XML, which is what EDGAR's
 *    Archives answer for a missing file (that one is FETCH_ERROR).
 *  - 429 or 503 with a valid Retry-After (seconds or an HTTP date) ends
 *    as FETCH_RETRY_LATER with retry_after_s, and holds back the rest of
 *    the group until then.  Queued requests of that group that cannot
 *    start within max_wait_ms (or before the deadline) end as
 *    FETCH_RETRY_LATER without being sent.
 *  - Bounded in-run retry: a request is tried at most 1 + retries times.
 *    Retried are only transient failures: connect/DNS/timeout/partial
 *    transfer/receive errors, HTTP 408/429/500/502/503/504.  The wait is
 *    Retry-After when given, else full-jitter exponential backoff (a
 *    random wait up to 250 ms, 500 ms, 1 s, ...).  A retry that would
 *    have to wait longer than max_wait_ms or past the deadline is not
 *    made; the last attempt's result is reported.  Nothing else is ever
 *    retried (403 blocks, 404, size, decode and protocol errors).  Across
 *    runs, backing off is the caller's job (consecutive failures,
 *    next attempt time).
 *  - The deadline bounds the whole run: requests not finished by then,
 *    running or queued, end as FETCH_ERROR "deadline exceeded".
 *  - Errors are one line, "<url>: <reason>", printable ASCII only and at
 *    most FETCH_ERROR_MAX bytes; no byte from the server reaches it
 *    unsanitized, and user:password is removed from the URL.
 *
 * fetch_run() is single-threaded and uses no signals (CURLOPT_NOSIGNAL;
 * DNS timeouts still work with Debian's threaded resolver).
 */

#include <stddef.h>

#include "lib/status.h"
#include "lib/strbuf.h"

/* Longest error line in a fetch_result, without the NUL. */
#define FETCH_ERROR_MAX 200

/* Defaults used when a fetch_config field is 0. */
#define FETCH_DEFAULT_MAX_BODY           (32u << 20) /* bytes, after decoding */
#define FETCH_DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define FETCH_DEFAULT_TOTAL_TIMEOUT_MS   60000L
#define FETCH_DEFAULT_LOW_SPEED_LIMIT    100L /* bytes/s ... */
#define FETCH_DEFAULT_LOW_SPEED_TIME     20L  /* ... for this many seconds */
#define FETCH_DEFAULT_MAX_REDIRECTS      5
#define FETCH_DEFAULT_PER_HOST_MAX       2
#define FETCH_DEFAULT_MAX_PARALLEL       16
#define FETCH_DEFAULT_MAX_WAIT_MS        5000L
#define FETCH_SEC_INTERVAL_MS            100L

enum fetch_outcome {
	FETCH_OK,           /* HTTP 200 with a complete, non-empty body */
	FETCH_NOT_MODIFIED, /* 304 to our conditional request */
	FETCH_ERROR,        /* anything else; see error */
	FETCH_BLOCKED,      /* EDGAR-style 403, or not sent after one */
	FETCH_RETRY_LATER,  /* 429/503 + Retry-After; see retry_after_s */
};

/* "ok", "not-modified", "error", "blocked", "retry-later". */
const char *fetch_outcome_name(enum fetch_outcome outcome);

/*
 * One URL to fetch.  All strings are borrowed and must stay valid during
 * fetch_run().  etag and last_modified are the validators the server sent
 * last time (NULL when unknown); they are sent as If-None-Match and
 * If-Modified-Since, unless they hold control characters, in which case
 * they are not sent at all.  user is not touched.
 */
struct fetch_request {
	const char *url;
	const char *etag;
	const char *last_modified;
	void *user;
};

/*
 * The result of one request.  The struct owns every pointer in it;
 * fetch_result_release() frees them.  Strings are NULL when absent, and
 * header values are printable ASCII (a value with other bytes, or longer
 * than 1 KiB, is dropped).  Headers are those of the last response
 * (after redirects).
 */
struct fetch_result {
	enum fetch_outcome outcome;
	int http_status; /* last HTTP status; 0 if none was received */
	int attempts;    /* requests sent; 0 = never sent */
	int curl_code;   /* CURLcode of the last attempt; 0 = none */
	/*
	 * The decoded body.  Only FETCH_OK bodies are meant for parsing;
	 * other outcomes may leave a partial body or the first 64 KiB of
	 * an error page here, for logging.
	 */
	struct strbuf body;
	char *etag;
	char *last_modified;
	char *content_type;
	char *final_url; /* after redirects; sanitized */
	/*
	 * Retry-After of a 429/503 in seconds from now, 0 if already
	 * past, capped at a week; -1 when there is none.
	 */
	long retry_after_s;
	/* One line, see above; NULL for OK and NOT_MODIFIED. */
	char *error;
	double seconds; /* first start to final end; 0 if never sent */
};

/*
 * A per-host-group request-start interval.  host_suffix matches a host
 * equal to it or ending in "." host_suffix, case-insensitively
 * ("sec.gov" matches www.sec.gov and data.sec.gov).  The first matching
 * rule wins.
 */
struct fetch_rate {
	const char *host_suffix;
	long min_interval_ms;
};

/*
 * Run settings.  Strings are borrowed.  A field left 0 takes the default
 * above, so a designated initializer with user_agent alone is a sane
 * configuration.
 */
struct fetch_config {
	/*
	 * Required: non-empty printable ASCII.  Requests to sec.gov also
	 * need a contact e-mail in it ("Org Name admin@org.example").
	 */
	const char *user_agent;
	size_t max_body;         /* cap on decoded body bytes */
	long connect_timeout_ms; /* per connection */
	long total_timeout_ms;   /* per attempt, from its start */
	long low_speed_limit;    /* abort below this many bytes/s ... */
	long low_speed_time;     /* ... for this many seconds */
	int max_redirects;       /* < 0: follow none */
	int per_host_max;        /* concurrent transfers per host group */
	int max_parallel;        /* concurrent transfers in all */
	const struct fetch_rate *rates; /* nrates rules; may be NULL */
	size_t nrates;
	/*
	 * Extra attempts for transient failures; 0 = none (here 0 is not
	 * "the default").
	 */
	int retries;
	long max_wait_ms; /* longest in-run wait before a retry */
	double deadline;  /* absolute fetch_now() time; 0 = none */
	/*
	 * CURLOPT_PROXY, e.g. "http://proxy:3128"; NULL = no proxy, and
	 * http_proxy & co. in the environment are ignored.
	 */
	const char *proxy;
	/*
	 * NULL-terminated "host:port:address" pins (CURLOPT_RESOLVE), for
	 * tests and fixed addresses; NULL = none.
	 */
	const char *const *resolve;
	/* Called after each request has its final result. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

/*
 * Initialise libcurl once per process, before any fetch_run() and before
 * any thread starts; check that libcurl is new enough (7.85.0, for
 * CURLOPT_PROTOCOLS_STR).  Pair with fetch_global_cleanup() at exit.
 */
enum status fetch_global_init(void);
void fetch_global_cleanup(void);

/* Monotonic clock in seconds, the clock of fetch_config.deadline. */
double fetch_now(void);

/*
 * Fetch reqs[0..n) and fill results[0..n) (OUT), one per request in the
 * same order.  results are always initialised, even when an error is
 * returned, and each must be released with fetch_result_release().
 *
 * Returns ST_OK when the run took place, whatever the outcome of each
 * request (look at results[i].outcome); ST_CONFIG for an unusable
 * configuration (no user agent), with nothing sent; ST_SOFTWARE if
 * libcurl itself fails, with the unfinished requests ended as
 * FETCH_ERROR.  The message is left in err_msg().
 */
enum status fetch_run(const struct fetch_config *cfg,
                      const struct fetch_request *reqs, size_t n,
                      struct fetch_result *results);

/* Free what a result owns and leave it empty (safe to call twice). */
void fetch_result_release(struct fetch_result *r);

#endif
