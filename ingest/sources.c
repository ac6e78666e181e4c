#include "ingest/sources.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "db/entity.h"
#include "ingest/date.h"
#include "ingest/edgar.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

/* Feeds from ../shared/research/sources.md §2; authority names are
 * entities of the bundled dataset. */
static const struct source_def defaults[] = {
    {"ftc-press", "feed", "https://www.ftc.gov/feeds/press-release.xml", "FTC",
     NULL, true, false},
    {"ftc-competition", "feed",
     "https://www.ftc.gov/feeds/press-release-competition.xml", "FTC", NULL,
     true, false},
    {"doj-antitrust", "feed",
     "https://www.justice.gov/news/rss?type=press_release"
     "&field_component=376",
     "DOJ Antitrust Division", NULL, true, false},
    {"ec-presscorner", "feed",
     "https://ec.europa.eu/commission/presscorner/api/rss?language=en",
     "European Commission", NULL, true, false},
    {"ec-competition", "feed",
     "https://competition-policy.ec.europa.eu/node/38/rss_en",
     "European Commission", NULL, true, false},
    {"cma-merger-cases", "feed",
     "https://www.gov.uk/cma-cases.atom?case_type%5B%5D=mergers", "UK CMA",
     NULL, true, false},
    {"cma-news", "feed",
     "https://www.gov.uk/search/news-and-communications.atom"
     "?organisations%5B%5D=competition-and-markets-authority",
     "UK CMA", NULL, true, false},
    {"openai-news", "feed", "https://openai.com/news/rss.xml", NULL, NULL, true,
     false},
    {"deepmind-blog", "feed", "https://deepmind.google/blog/rss.xml", NULL,
     NULL, true, false},
    {"google-ai-blog", "feed", "https://blog.google/technology/ai/rss/", NULL,
     NULL, true, false},
    {"techcrunch", "feed", "https://techcrunch.com/feed/", NULL, NULL, true,
     false},
    {"ars-technica", "feed", "https://feeds.arstechnica.com/arstechnica/index",
     NULL, NULL, true, false},
    {"edgar-latest", "edgar-atom",
     "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent"
     "&count=100&start=0&type=&owner=include&output=atom",
     NULL, NULL, true, false},
};

static const char *const kinds[] = {
    "feed",        "edgar-atom",        "edgar-submissions",
    "edgar-index", "epoch-chip-owners", "epoch-gpu-clusters",
    "epoch-models"};

bool
source_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

bool
source_is_sec(const char *url)
{
	const char *host = strstr(url, "://");
	size_t n;

	if (!host)
		return false;
	host += 3;
	n = strcspn(host, "/:?#");
	return (n == 7 && !strncasecmp(host, "sec.gov", 7)) ||
	       (n > 8 && !strncasecmp(host + n - 8, ".sec.gov", 8));
}

bool
source_kind_epoch(const char *kind)
{
	return !strncmp(kind, "epoch-", 6) && source_kind_valid(kind);
}

/* Epoch AI's download names (https://epoch.ai/data/...). */
static const char *
sniff_epoch(const char *url, size_t n)
{
	static const struct {
		const char *part, *kind;
	} files[] = {
	    {"chip_owners", "epoch-chip-owners"},
	    {"cumulative_by_designer", "epoch-chip-owners"},
	    {"cumulative_by_chip_type", "epoch-chip-owners"},
	    {"gpu_clusters", "epoch-gpu-clusters"},
	    {"ai_models", "epoch-models"},
	};

	if (n < 4 || strncmp(url + n - 4, ".csv", 4))
		return NULL;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *p = strstr(url, files[i].part);

		if (p && p < url + n)
			return files[i].kind;
	}
	return NULL;
}

const char *
source_kind_sniff(const char *url)
{
	size_t n = strcspn(url, "?#");
	const char *epoch = sniff_epoch(url, n);

	if (epoch)
		return epoch;
	if (source_is_sec(url)) {
		if (strstr(url, "/submissions/"))
			return "edgar-submissions";
		if (n > 4 && !strncmp(url + n - 4, ".idx", 4))
			return "edgar-index";
		if (strstr(url, "output=atom"))
			return "edgar-atom";
	}
	return "feed";
}

static const char *
keep(struct source_set *s, char *str)
{
	s->owned = xreallocarray(s->owned, s->nowned + 1, sizeof(char *));
	s->owned[s->nowned++] = str;
	return str;
}

static void
add(struct source_set *s, const struct source_def *d, const struct conf *c)
{
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n] = *d;
	s->v[s->n].enabled = !conf_disabled(c, d->name);
	s->n++;
}

struct cik_ctx {
	struct source_set *set;
	const struct conf *conf;
};

/* Each company with a CIK: its submissions JSON and its Atom feed. */
static void
add_company(void *ctx, const char *name, const char *ticker, const char *cik)
{
	struct cik_ctx *cc = ctx;
	struct strbuf sb = STRBUF_INIT;
	struct source_def d = {.authority = NULL, .cik = cik, .user = false};
	const char *label = ticker && *ticker ? ticker : cik;

	d.cik = keep(cc->set, xstrdup(cik));
	strbuf_addf(&sb, "edgar-%s", label);
	for (char *p = sb.buf; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	d.name = keep(cc->set, strbuf_detach(&sb, NULL));
	d.kind = "edgar-submissions";
	d.url = keep(cc->set, edgar_submissions_url(cik));
	add(cc->set, &d, cc->conf);
	strbuf_addf(&sb, "%s-atom", d.name);
	d.name = keep(cc->set, strbuf_detach(&sb, NULL));
	d.kind = "edgar-atom";
	d.url = keep(cc->set, edgar_company_atom_url(cik, NULL));
	add(cc->set, &d, cc->conf);
	(void)name;
}

/* The latest business day's index that is out: weekends and federal
 * holidays have none.  The URL moves on when the next one is ready,
 * which makes the source due again (source_sync() forgets next_due). */
static void
add_daily_index(struct source_set *s, const struct conf *c)
{
	int64_t y;
	int m, d;
	struct source_def def = {.name = "edgar-daily-index",
	                         .kind = "edgar-index"};

	date_civil_from_days(edgar_daily_index_day(source_clock()), &y, &m, &d);
	def.url = keep(s, edgar_daily_index_url((int)y, m, d, "master"));
	add(s, &def, c);
}

enum status
source_set_build(struct db *db, const struct conf *c, struct source_set *out)
{
	struct cik_ctx cc = {out, c};
	enum status rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		add(out, &defaults[i], c);
	if ((rc = entity_each_cik(db, add_company, &cc))) {
		source_set_release(out);
		return rc;
	}
	add_daily_index(out, c);
	for (size_t i = 0; i < c->nsources; i++) {
		const struct conf_source *u = &c->sources[i];
		struct source_def d = {
		    .name = u->name,
		    .url = u->url,
		    .user = true,
		    .kind = u->kind ? u->kind : source_kind_sniff(u->url)};

		/* the kind picks the parser: a typo must not pick one */
		if (!source_kind_valid(d.kind)) {
			source_set_release(out);
			return err_set(
			    ST_CONFIG,
			    "%s: source '%s': unknown kind '%s' (%s)", c->path,
			    u->name, d.kind, SOURCE_KINDS);
		}
		/* a user source of a default's name replaces it */
		for (size_t k = 0; k < out->n; k++)
			if (!strcmp(out->v[k].name, u->name))
				out->v[k] = out->v[--out->n];
		add(out, &d, c);
	}
	return ST_OK;
}

void
source_set_release(struct source_set *s)
{
	for (size_t i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- scheduling ---------------------------------------------------- */

int64_t
source_clock(void)
{
	const char *env = getenv("OLIGO_NOW");
	int64_t t;

	if (!env || !*env)
		return (int64_t)time(NULL);
	if (env[strspn(env, "0123456789")] == '\0')
		return strtoll(env, NULL, 10);
	t = date_parse_iso8601(env);
	return t == DATE_UNKNOWN ? (int64_t)time(NULL) : t;
}

bool
source_daily_index(const struct source_row *s)
{
	return !strcmp(s->kind, "edgar-index") &&
	       strstr(s->url, "/daily-index/") != NULL;
}

long
source_interval(const struct source_row *s)
{
	if (!strcmp(s->kind, "feed"))
		return s->authority_id ? 3600 : 1800;
	if (!strcmp(s->kind, "edgar-index") || source_kind_epoch(s->kind))
		return 86400;
	return 3600; /* EDGAR Atom and submissions */
}

bool
source_due(const struct source_row *s, int64_t now)
{
	char buf[DATE_UTC_SIZE];

	/* ISO UTC times of one format compare as strings */
	return !s->next_due ||
	       strcmp(s->next_due,
	              date_format_utc(now + SOURCE_DUE_SLACK, buf)) <= 0;
}

int64_t
source_next_ok(const struct source_row *s, int64_t now)
{
	int64_t day;

	if (!source_daily_index(s))
		return now + source_interval(s);
	day = edgar_daily_index_next(edgar_daily_index_day(now) + 1);
	return edgar_daily_index_ready(day);
}

int64_t
source_next_failed(const struct source_row *s, int64_t now, int failures,
                   long retry_after_s)
{
	long delay = source_daily_index(s) ? 3600 : source_interval(s);

	if (retry_after_s >= 0)
		return now + (retry_after_s < 60          ? 60
		              : retry_after_s > 7 * 86400 ? 7 * 86400
		                                          : retry_after_s);
	for (int i = 1; i < failures && delay < SOURCE_MAX_BACKOFF; i++)
		delay *= 2;
	return now + (delay < SOURCE_MAX_BACKOFF ? delay : SOURCE_MAX_BACKOFF);
}
