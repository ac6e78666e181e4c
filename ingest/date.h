#ifndef OLIGO_INGEST_DATE_H
#define OLIGO_INGEST_DATE_H

/*
 * Dates found in feeds, as Unix seconds (UTC).
 *
 * Nothing here reads or changes the process time zone (TZ, localtime,
 * mktime): every conversion is arithmetic, so cron (TZ unset) and an
 * interactive shell get the same numbers.
 *
 * Leniency (what real feeds send; fixtures/real/feeds-feedparser/
 * dates-2010-suite): 2-digit years (00-49 -> 20xx, 50-99 -> 19xx),
 * missing seconds or time (midnight), long or localized month names
 * (English, Greek, Hungarian), US zone names with or without DST (EST,
 * EDT, ET, PT...), asctime order, "Y/M/D", Korean date words (which imply
 * KST, UTC+9, when no zone is given), day 31 of a 30-day month and second
 * 60/61, which roll over into the next day or minute.  A date and time
 * without any zone is taken as UTC.  Years must be 1000-9999 (4-digit
 * forms) so garbage like "0" is refused; far-future dates are returned as
 * written, and clamping them is the caller's policy.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "No usable date": absent, empty or unparseable. */
#define DATE_UNKNOWN INT64_MIN

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define DATE_UTC_SIZE 21

/*
 * Any date a feed may carry: RFC 3339 / ISO 8601 / W3CDTF first, then
 * RFC 822 / 2822 and the lenient variants above, then whatever
 * curl_getdate() accepts (RFC 850, ANSI C asctime without a zone...).
 * Leading and trailing whitespace is ignored.  DATE_UNKNOWN if nothing
 * fits.
 */
int64_t date_parse(const char *s);

/*
 * RFC 3339 / ISO 8601 / W3CDTF only, the whole string: YYYY, YYYY-MM,
 * YYYY-MM-DD, YYYYMMDD, YYMMDD, each optionally followed by 'T' or a space
 * and hh[:mm[:ss[.frac]]] or hhmmss, then Z, +hh, +hh:mm or +hhmm (or -).
 */
int64_t date_parse_iso8601(const char *s);

/*
 * RFC 822 / 2822 and the lenient forms above, with curl_getdate() as the
 * last resort.
 */
int64_t date_parse_rfc822(const char *s);

/*
 * An EDGAR timestamp whose "Z" lies: EDGAR writes US Eastern wall-clock
 * time (acceptanceDateTime "2025-01-24T16:00:43.000Z" in the submissions
 * JSON, "20250124160043" in usgaap.rss).  Accepted: the ISO forms of
 * date_parse_iso8601() with a time, and the compact YYYYMMDDhhmmss.  "Z"
 * or no zone means America/New_York local time; an explicit numeric
 * offset is honoured as written.  DATE_UNKNOWN on anything else.
 */
int64_t date_parse_edgar_eastern(const char *s);

/*
 * UTC of a wall-clock time in the US Eastern zone, by the US rules
 * arithmetically: EDT (UTC-4) from the second Sunday of March to the
 * first Sunday of November since 2007, from the first Sunday of April to
 * the last Sunday of October before (the 1987 rule, used for every year
 * before 2007), EST (UTC-5) otherwise.  A wall time in the skipped spring
 * hour is read as EST, one in the repeated autumn hour as EDT (Python
 * zoneinfo with fold=0 does the same; so does ingest/edgar.c).  Fields
 * are not range-checked: day 32 is the next month's first.
 */
int64_t date_eastern_to_utc(int year, int month, int day, int hour, int min,
                            int sec);

/* Whether US daylight saving time applies to that Eastern wall time. */
bool date_us_dst(int year, int month, int day, int hour);

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian). */
int64_t date_days_from_civil(int64_t year, int month, int day);

/* The inverse: the civil date of a day number. */
void date_civil_from_days(int64_t days, int64_t *year /* OUT */,
                          int *month /* OUT */, int *day /* OUT */);

/* Day of the week of a day number, 0 = Sunday. */
int date_weekday(int64_t days);

/*
 * Whether that date is a US federal holiday as observed (5 U.S.C. 6103):
 * New Year's Day, Martin Luther King Jr. Day, Washington's Birthday,
 * Memorial Day, Juneteenth (from 2021), Independence Day, Labor Day,
 * Columbus Day, Veterans Day, Thanksgiving and Christmas; a fixed date
 * on a Saturday is kept the Friday before (so December 31 can be the
 * next year's New Year's Day), on a Sunday the Monday after.  One-off
 * closures (a day of mourning) are not known here.
 */
bool date_us_holiday(int year, int month, int day);

/* A weekday that is not a federal holiday: a day EDGAR is open. */
bool date_us_business_day(int64_t days);

/*
 * Write t as "YYYY-MM-DDTHH:MM:SSZ" into buf (DATE_UTC_SIZE bytes), or
 * "unknown" for DATE_UNKNOWN.  Returns buf.
 */
char *date_format_utc(int64_t t, char *buf);

#endif
