/*
 * When a source is fetched again: US federal holidays 2024-2027 (the
 * expected dates are written out, not computed), the daily EDGAR index's
 * day and readiness, intervals per kind, backoff and Retry-After.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/source.h"
#include "ingest/date.h"
#include "ingest/edgar.h"
#include "ingest/sources.h"

static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	return date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static int64_t
day(int y, int mo, int d)
{
	return date_days_from_civil(y, mo, d);
}

#define EXPECT_TIME(got, want)                                                 \
	do {                                                                   \
		char g_[DATE_UTC_SIZE], w_[DATE_UTC_SIZE];                     \
		int64_t gv_ = (got), wv_ = (want);                             \
		cr_assert_eq(gv_, wv_, "%s: got %s, want %s", #got,            \
		             date_format_utc(gv_, g_),                         \
		             date_format_utc(wv_, w_));                        \
	} while (0)

/* OPM's published federal holidays, as observed. */
static const char *const holidays[] = {
    "2024-01-01", "2024-01-15", "2024-02-19",
    "2024-05-27", "2024-06-19", "2024-07-04",
    "2024-09-02", "2024-10-14", "2024-11-11",
    "2024-11-28", "2024-12-25", "2025-01-01",
    "2025-01-20", "2025-02-17", "2025-05-26",
    "2025-06-19", "2025-07-04", "2025-09-01",
    "2025-10-13", "2025-11-11", "2025-11-27",
    "2025-12-25", "2026-01-01", "2026-01-19",
    "2026-02-16", "2026-05-25", "2026-06-19",
    "2026-07-03", /* July 4 is a Saturday */
    "2026-09-07", "2026-10-12", "2026-11-11",
    "2026-11-26", "2026-12-25", "2027-01-01",
    "2027-01-18", "2027-02-15", "2027-05-31",
    "2027-06-18", /* June 19 is a Saturday */
    "2027-07-05", /* July 4 is a Sunday */
    "2027-09-06", "2027-10-11", "2027-11-11",
    "2027-11-25", "2027-12-24", /* Christmas is a Saturday */
    "2027-12-31",               /* New Year's Day 2028 is a Saturday */
};

static bool
listed(int y, int m, int d)
{
	char buf[11];

	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	for (size_t i = 0; i < sizeof(holidays) / sizeof(holidays[0]); i++)
		if (!strcmp(holidays[i], buf))
			return true;
	return false;
}

Test(holiday, every_day_of_2024_to_2027)
{
	size_t n = 0;

	for (int64_t t = day(2024, 1, 1); t <= day(2027, 12, 31); t++) {
		int64_t y;
		int m, d;

		date_civil_from_days(t, &y, &m, &d);
		cr_assert_eq(date_us_holiday((int)y, m, d),
		             listed((int)y, m, d), "%04d-%02d-%02d", (int)y, m,
		             d);
		n += date_us_holiday((int)y, m, d);
	}
	cr_assert_eq(n, sizeof(holidays) / sizeof(holidays[0]));
}

Test(holiday, observed_days_only)
{
	/* the Saturday itself is not a day off; the Friday before is */
	cr_assert(!date_us_holiday(2026, 7, 4));
	cr_assert(date_us_holiday(2026, 7, 3));
	cr_assert(!date_us_holiday(2028, 1, 1));
	/* no Juneteenth before 2021 */
	cr_assert(!date_us_holiday(2020, 6, 19));
	cr_assert(date_us_holiday(2021, 6, 18)); /* a Saturday that year */
}

Test(holiday, business_days)
{
	cr_assert(date_us_business_day(day(2025, 11, 26)));  /* Wednesday */
	cr_assert(!date_us_business_day(day(2025, 11, 27))); /* Thanksgiving */
	cr_assert(date_us_business_day(day(2025, 11, 28)));
	cr_assert(!date_us_business_day(day(2025, 11, 29))); /* Saturday */
	cr_assert(!date_us_business_day(day(2025, 11, 30))); /* Sunday */
	cr_assert_eq(date_weekday(day(2025, 11, 30)), 0);
}

Test(daily_index, latest_ready_day)
{
	/* Wednesday 10:00 ET: Tuesday's index */
	cr_assert_eq(edgar_daily_index_day(utc(2025, 11, 26, 15, 0)),
	             day(2025, 11, 25));
	/* ready at 23:00 ET = 04:00 UTC in November */
	cr_assert_eq(edgar_daily_index_day(utc(2025, 11, 27, 3, 59)),
	             day(2025, 11, 25));
	cr_assert_eq(edgar_daily_index_day(utc(2025, 11, 27, 4, 0)),
	             day(2025, 11, 26));
	/* Thanksgiving has none, nor the weekend after */
	cr_assert_eq(edgar_daily_index_day(utc(2025, 11, 28, 12, 0)),
	             day(2025, 11, 26));
	cr_assert_eq(edgar_daily_index_day(utc(2025, 12, 1, 12, 0)),
	             day(2025, 11, 28));
	/* a Monday holiday after a weekend: Friday's */
	cr_assert_eq(edgar_daily_index_day(utc(2025, 9, 2, 12, 0)),
	             day(2025, 8, 29));
	/* New Year's Day 2026 is a Thursday */
	cr_assert_eq(edgar_daily_index_day(utc(2026, 1, 2, 12, 0)),
	             day(2025, 12, 31));
	/* summer time: 23:00 EDT = 03:00 UTC */
	EXPECT_TIME(edgar_daily_index_ready(day(2025, 7, 3)),
	            utc(2025, 7, 4, 3, 0));
	cr_assert_eq(edgar_daily_index_next(day(2025, 7, 4)), day(2025, 7, 7));
}

/* A source row of kind and url (copied; release() frees them). */
static struct source_row
row(const char *kind, const char *url, int64_t authority)
{
	return (struct source_row){.kind = strdup(kind),
	                           .url = strdup(url),
	                           .authority_id = authority};
}

static void
release(struct source_row *s)
{
	free(s->kind);
	free(s->url);
	free(s->next_due);
}

Test(schedule, intervals)
{
	struct source_row news = row("feed", "http://x/feed", 0);
	struct source_row ftc = row("feed", "http://x/ftc", 7);
	struct source_row sub =
	    row("edgar-submissions", "https://data.sec.gov/x", 0);
	struct source_row epoch = row("epoch-models", "http://x/m.csv", 0);
	int64_t now = utc(2025, 11, 26, 15, 0);

	cr_assert_eq(source_interval(&news), 1800);
	cr_assert_eq(source_interval(&ftc), 3600);
	cr_assert_eq(source_interval(&sub), 3600);
	cr_assert_eq(source_interval(&epoch), 86400);
	EXPECT_TIME(source_next_ok(&news, now), now + 1800);
	release(&news);
	release(&ftc);
	release(&sub);
	release(&epoch);
}

Test(schedule, daily_index_waits_for_the_next_business_day)
{
	struct source_row s =
	    row("edgar-index",
	        "https://www.sec.gov/Archives/edgar/daily-index/2025/QTR4/"
	        "master.20251125.idx",
	        0);

	/* Wednesday morning: Wednesday's index, ready 23:00 ET */
	EXPECT_TIME(source_next_ok(&s, utc(2025, 11, 26, 15, 0)),
	            utc(2025, 11, 27, 4, 0));
	/* on Thanksgiving: Friday's */
	EXPECT_TIME(source_next_ok(&s, utc(2025, 11, 27, 15, 0)),
	            utc(2025, 11, 29, 4, 0));
	/* Friday night, after Friday's: Monday's */
	EXPECT_TIME(source_next_ok(&s, utc(2025, 11, 29, 5, 0)),
	            utc(2025, 12, 2, 4, 0));
	/* its failures back off from an hour */
	EXPECT_TIME(source_next_failed(&s, utc(2025, 11, 26, 15, 0), 1, -1),
	            utc(2025, 11, 26, 16, 0));
	release(&s);
}

Test(schedule, backoff_doubles_to_a_cap)
{
	struct source_row s = row("feed", "http://x/feed", 0);
	int64_t now = 1000000000;

	cr_assert_eq(source_next_failed(&s, now, 1, -1), now + 1800);
	cr_assert_eq(source_next_failed(&s, now, 2, -1), now + 3600);
	cr_assert_eq(source_next_failed(&s, now, 3, -1), now + 7200);
	cr_assert_eq(source_next_failed(&s, now, 6, -1), now + 57600);
	cr_assert_eq(source_next_failed(&s, now, 7, -1),
	             now + SOURCE_MAX_BACKOFF);
	cr_assert_eq(source_next_failed(&s, now, 1000, -1),
	             now + SOURCE_MAX_BACKOFF);
	release(&s);
}

Test(schedule, retry_after_wins)
{
	struct source_row s = row("feed", "http://x/feed", 0);
	int64_t now = 1000000000;

	cr_assert_eq(source_next_failed(&s, now, 5, 7200), now + 7200);
	cr_assert_eq(source_next_failed(&s, now, 1, 0), now + 60);
	cr_assert_eq(source_next_failed(&s, now, 1, 30 * 86400L),
	             now + 7 * 86400);
	release(&s);
}

Test(schedule, due)
{
	struct source_row s = row("feed", "http://x/feed", 0);
	int64_t t = utc(2025, 11, 26, 15, 0);

	cr_assert(source_due(&s, t), "never scheduled: due");
	s.next_due = strdup("2025-11-26T15:00:00Z");
	cr_assert(source_due(&s, t));
	cr_assert(source_due(&s, t + 1));
	/* a run a little early (cron's jitter) still takes it */
	cr_assert(source_due(&s, t - SOURCE_DUE_SLACK));
	cr_assert(!source_due(&s, t - SOURCE_DUE_SLACK - 1));
	release(&s);
}

Test(schedule, clock)
{
	setenv("OLIGO_NOW", "2025-11-26T15:00:00Z", 1);
	cr_assert_eq(source_clock(), utc(2025, 11, 26, 15, 0));
	setenv("OLIGO_NOW", "1764169200", 1);
	cr_assert_eq(source_clock(), 1764169200);
	unsetenv("OLIGO_NOW");
	cr_assert_gt(source_clock(), utc(2025, 1, 1, 0, 0));
}

Test(sources, epoch_kinds)
{
	cr_assert(source_kind_valid("epoch-chip-owners"));
	cr_assert(source_kind_epoch("epoch-gpu-clusters"));
	cr_assert(!source_kind_epoch("epoch-nonsense"));
	cr_assert(!source_kind_epoch("feed"));
	cr_assert_str_eq(
	    source_kind_sniff("https://epoch.ai/data/gpu_clusters.csv"),
	    "epoch-gpu-clusters");
	cr_assert_str_eq(
	    source_kind_sniff("https://epoch.ai/data/notable_ai_models.csv"),
	    "epoch-models");
	cr_assert_str_eq(source_kind_sniff("https://epoch.ai/data/feed.xml"),
	                 "feed");
}
