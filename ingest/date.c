#include "ingest/date.h"

#include <curl/curl.h>
#include <string.h>

/* Do not parse novels: no date is longer than this. */
#define DATE_MAX_LEN 128

int64_t
date_days_from_civil(int64_t y, int m, int d)
{
	/* Howard Hinnant's days_from_civil, valid for any proleptic year. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
date_weekday(int64_t days)
{
	int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */

	return (int)(w < 0 ? w + 7 : w);
}

/* Day of month of the n-th (1-based) Sunday of year-month. */
static int
nth_sunday(int year, int month, int n)
{
	int w = date_weekday(date_days_from_civil(year, month, 1));

	return 1 + (7 - w) % 7 + 7 * (n - 1);
}

static int
last_sunday(int year, int month)
{
	int64_t last = date_days_from_civil(year, month + 1, 1) - 1;
	int64_t y;
	int m, d;

	date_civil_from_days(last, &y, &m, &d);
	return d - date_weekday(last);
}

/* Wall-clock seconds ("as if UTC") of the DST window of year. */
static void
us_dst_window(int year, int64_t *start, int64_t *end)
{
	int64_t sd, ed;

	if (year >= 2007) {
		sd = date_days_from_civil(year, 3, nth_sunday(year, 3, 2));
		ed = date_days_from_civil(year, 11, nth_sunday(year, 11, 1));
	} else {
		sd = date_days_from_civil(year, 4, nth_sunday(year, 4, 1));
		ed = date_days_from_civil(year, 10, last_sunday(year, 10));
	}
	/*
	 * Clocks jump 02:00 -> 03:00 in spring; 02:00-02:59 do not exist
	 * and are read as standard time, so DST starts at 03:00 wall.  In
	 * autumn 01:00-01:59 happen twice; the first (daylight) reading
	 * wins, so DST ends at 02:00 wall.
	 */
	*start = sd * 86400 + 3 * 3600;
	*end = ed * 86400 + 2 * 3600;
}

static bool
us_dst_wall(int64_t wall)
{
	int64_t y, start, end;
	int m, d;

	date_civil_from_days(wall >= 0 ? wall / 86400 : (wall - 86399) / 86400,
	                     &y, &m, &d);
	if (y < 1 || y > 9999)
		return false;
	us_dst_window((int)y, &start, &end);
	return wall >= start && wall < end;
}

static int64_t
wall_seconds(int64_t y, int mo, int d, int h, int mi, int s)
{
	return date_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 +
	       (int64_t)mi * 60 + s;
}

/* UTC of a US wall time whose standard offset is std_min minutes. */
static int64_t
us_local_to_utc(int64_t wall, int std_min)
{
	int off = std_min + (us_dst_wall(wall) ? 60 : 0);

	return wall - (int64_t)off * 60;
}

bool
date_us_dst(int year, int month, int day, int hour)
{
	return us_dst_wall(wall_seconds(year, month, day, hour, 0, 0));
}

int64_t
date_eastern_to_utc(int year, int month, int day, int hour, int min, int sec)
{
	return us_local_to_utc(wall_seconds(year, month, day, hour, min, sec),
	                       -300);
}

/* Day of month of the n-th (1-based; 5 = last) weekday wd of year-month. */
static int
nth_weekday(int year, int month, int wd, int n)
{
	int64_t first = date_days_from_civil(year, month, 1);
	int64_t next = date_days_from_civil(year, month + 1, 1);
	int d = 1 + (7 + wd - date_weekday(first)) % 7 + 7 * (n - 1);

	while (first + d - 1 >= next)
		d -= 7;
	return d;
}

/* A fixed-date holiday falling on a weekend is kept the Friday before
 * (Saturday) or the Monday after (Sunday), 5 U.S.C. 6103(b). */
static int64_t
observed(int year, int month, int day)
{
	int64_t t = date_days_from_civil(year, month, day);
	int w = date_weekday(t);

	return w == 6 ? t - 1 : w == 0 ? t + 1 : t;
}

bool
date_us_holiday(int year, int month, int day)
{
	int64_t t = date_days_from_civil(year, month, day);
	/* n-th weekday rules: month, weekday, n (5 = last) */
	static const int floating[][3] = {
	    {1, 1, 3},  /* Martin Luther King Jr. Day */
	    {2, 1, 3},  /* Washington's Birthday */
	    {5, 1, 5},  /* Memorial Day */
	    {9, 1, 1},  /* Labor Day */
	    {10, 1, 2}, /* Columbus Day */
	    {11, 4, 4}, /* Thanksgiving */
	};

	/* New Year's Day of the next year may be kept on December 31 */
	if (t == observed(year, 1, 1) || t == observed(year + 1, 1, 1) ||
	    (year >= 2021 && t == observed(year, 6, 19)) ||
	    t == observed(year, 7, 4) || t == observed(year, 11, 11) ||
	    t == observed(year, 12, 25))
		return true;
	for (size_t i = 0; i < sizeof(floating) / sizeof(floating[0]); i++)
		if (month == floating[i][0] &&
		    day == nth_weekday(year, month, floating[i][1],
		                       floating[i][2]))
			return true;
	return false;
}

bool
date_us_business_day(int64_t days)
{
	int64_t y;
	int m, d, w = date_weekday(days);

	if (w == 0 || w == 6)
		return false;
	date_civil_from_days(days, &y, &m, &d);
	return !date_us_holiday((int)y, m, d);
}

static void
put_digits(char *out, int v, int n)
{
	while (n--) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *
date_format_utc(int64_t t, char *buf)
{
	int64_t days, secs, y;
	int m, d;

	if (t == DATE_UNKNOWN) {
		memcpy(buf, "unknown", 8);
		return buf;
	}
	days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	secs = t - days * 86400;
	date_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		memcpy(buf, "unknown", 8);
		return buf;
	}
	put_digits(buf, (int)y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = 'T';
	put_digits(buf + 11, (int)(secs / 3600), 2);
	buf[13] = ':';
	put_digits(buf + 14, (int)(secs / 60 % 60), 2);
	buf[16] = ':';
	put_digits(buf + 17, (int)(secs % 60), 2);
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

/* ---- shared pieces ---------------------------------------------------- */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Read exactly n digits at *p. */
static bool
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!is_digit((*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* The trimmed copy of s in buf, or false if it is empty or too long. */
static bool
trimmed(const char *s, char *buf)
{
	size_t n;

	if (!s)
		return false;
	while (is_space(*s))
		s++;
	n = strnlen(s, DATE_MAX_LEN + 1);
	while (n && is_space(s[n - 1]))
		n--;
	if (!n || n > DATE_MAX_LEN)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

/* ---- ISO 8601 ----------------------------------------------------------- */

enum zone { ZONE_NONE, ZONE_Z, ZONE_OFFSET };

struct fields {
	int y, mo, d, h, mi, s;
	bool have_time;
	enum zone zone;
	int off_min; /* with ZONE_OFFSET */
};

static bool
fields_ok(const struct fields *f)
{
	return f->y >= 1000 && f->y <= 9999 && f->mo >= 1 && f->mo <= 12 &&
	       f->d >= 1 && f->d <= 31 && f->h >= 0 && f->h <= 23 &&
	       f->mi >= 0 && f->mi <= 59 && f->s >= 0 && f->s <= 61;
}

static bool
zone_offset(const char **pp, int *off_min)
{
	const char *p = *pp;
	int sign = *p == '-' ? -1 : 1, hh, mm = 0;

	p++;
	if (!digits(&p, 2, &hh))
		return false;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &mm))
			return false;
	} else if (is_digit(*p)) {
		if (!digits(&p, 2, &mm))
			return false;
	}
	if (hh > 23 || mm > 59)
		return false;
	*off_min = sign * (hh * 60 + mm);
	*pp = p;
	return true;
}

/* The whole of s (already trimmed) as ISO 8601. */
static bool
iso_fields(const char *s, struct fields *f)
{
	const char *p = s;
	size_t run = 0;

	memset(f, 0, sizeof(*f));
	f->mo = f->d = 1;
	while (is_digit(p[run]))
		run++;
	if (run == 6 && p[6] == '\0') {
		/* YYMMDD, as in feedparser's iso8601_ymd_2 ("031231") */
		int yy = 0;

		digits(&p, 2, &yy);
		digits(&p, 2, &f->mo);
		digits(&p, 2, &f->d);
		f->y = yy < 50 ? 2000 + yy : 1900 + yy;
		return fields_ok(f);
	}
	if (run == 8 || run == 14) {
		digits(&p, 4, &f->y);
		digits(&p, 2, &f->mo);
		digits(&p, 2, &f->d);
		if (run == 14) { /* YYYYMMDDhhmmss (EDGAR usgaap.rss) */
			digits(&p, 2, &f->h);
			digits(&p, 2, &f->mi);
			digits(&p, 2, &f->s);
			f->have_time = true;
		}
	} else if (run == 4) {
		digits(&p, 4, &f->y);
		if (*p == '-') {
			p++;
			if (!digits(&p, 2, &f->mo))
				return false;
			if (*p == '-') {
				p++;
				if (!digits(&p, 2, &f->d))
					return false;
			}
		}
	} else {
		return false;
	}
	if (!f->have_time && (*p == 'T' || *p == 't' || *p == ' ') &&
	    is_digit(p[1])) {
		size_t hr = 0;

		p++;
		while (is_digit(p[hr]))
			hr++;
		if (hr == 6) { /* hhmmss */
			digits(&p, 2, &f->h);
			digits(&p, 2, &f->mi);
			digits(&p, 2, &f->s);
		} else if (hr == 4) {
			digits(&p, 2, &f->h);
			digits(&p, 2, &f->mi);
		} else if (hr == 1 || hr == 2) {
			digits(&p, (int)hr, &f->h);
			if (*p == ':') {
				p++;
				if (!digits(&p, 2, &f->mi))
					return false;
				if (*p == ':') {
					p++;
					if (!digits(&p, 2, &f->s))
						return false;
				}
			}
		} else {
			return false;
		}
		f->have_time = true;
	}
	if (f->have_time && (*p == '.' || *p == ',') && is_digit(p[1])) {
		p++;
		while (is_digit(*p)) /* fractions are dropped, not rounded */
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		f->zone = ZONE_Z;
		p++;
	} else if ((*p == '+' || *p == '-') && f->have_time) {
		if (!zone_offset(&p, &f->off_min))
			return false;
		f->zone = ZONE_OFFSET;
	} else if (*p == ' ' && (p[1] == 'Z' || p[1] == '+' || p[1] == '-') &&
	           f->have_time) {
		p++;
		if (*p == 'Z') {
			f->zone = ZONE_Z;
			p++;
		} else {
			if (!zone_offset(&p, &f->off_min))
				return false;
			f->zone = ZONE_OFFSET;
		}
	}
	return *p == '\0' && fields_ok(f);
}

static int64_t
fields_to_utc(const struct fields *f)
{
	int64_t wall = wall_seconds(f->y, f->mo, f->d, f->h, f->mi, f->s);

	return f->zone == ZONE_OFFSET ? wall - (int64_t)f->off_min * 60 : wall;
}

int64_t
date_parse_iso8601(const char *s)
{
	char buf[DATE_MAX_LEN + 1];
	struct fields f;

	if (!trimmed(s, buf) || !iso_fields(buf, &f))
		return DATE_UNKNOWN;
	return fields_to_utc(&f);
}

int64_t
date_parse_edgar_eastern(const char *s)
{
	char buf[DATE_MAX_LEN + 1];
	struct fields f;

	if (!trimmed(s, buf) || !iso_fields(buf, &f) || !f.have_time)
		return DATE_UNKNOWN;
	if (f.zone == ZONE_OFFSET)
		return fields_to_utc(&f);
	return date_eastern_to_utc(f.y, f.mo, f.d, f.h, f.mi, f.s);
}

/* ---- RFC 822 and friends ---------------------------------------------- */

static const struct {
	const char *name; /* lower case ASCII, or UTF-8 as written */
	int month;
} month_names[] = {
    {"jan", 1},
    {"january", 1},
    {"feb", 2},
    {"february", 2},
    {"mar", 3},
    {"march", 3},
    {"apr", 4},
    {"april", 4},
    {"may", 5},
    {"jun", 6},
    {"june", 6},
    {"jul", 7},
    {"july", 7},
    {"aug", 8},
    {"august", 8},
    {"sep", 9},
    {"sept", 9},
    {"september", 9},
    {"oct", 10},
    {"october", 10},
    {"nov", 11},
    {"november", 11},
    {"dec", 12},
    {"december", 12},
    /* feedparser's Greek abbreviations and Hungarian names */
    {"\xCE\x99\xCE\xB1\xCE\xBD", 1},         /* Ιαν */
    {"\xCE\xA6\xCE\xB5\xCE\xB2", 2},         /* Φεβ */
    {"\xCE\x9C\xCE\xAC\xCF\x8E", 3},         /* Μάώ */
    {"\xCE\x9C\xCE\xB1\xCF\x8E", 3},         /* Μαώ */
    {"\xCE\x91\xCF\x80\xCF\x81", 4},         /* Απρ */
    {"\xCE\x9C\xCE\xAC\xCE\xB9", 5},         /* Μάι */
    {"\xCE\x9C\xCE\xB1\xCF\x8A", 5},         /* Μαϊ */
    {"\xCE\x9C\xCE\xB1\xCE\xB9", 5},         /* Μαι */
    {"\xCE\x99\xCE\xBF\xCF\x8D\xCE\xBD", 6}, /* Ιούν */
    {"\xCE\x99\xCE\xBF\xCE\xBD", 6},         /* Ιον */
    {"\xCE\x99\xCE\xBF\xCF\x8D\xCE\xBB", 7}, /* Ιούλ */
    {"\xCE\x99\xCE\xBF\xCE\xBB", 7},         /* Ιολ */
    {"\xCE\x91\xCF\x8D\xCE\xB3", 8},         /* Αύγ */
    {"\xCE\x91\xCF\x85\xCE\xB3", 8},         /* Αυγ */
    {"\xCE\xA3\xCE\xB5\xCF\x80", 9},         /* Σεπ */
    {"\xCE\x9F\xCE\xBA\xCF\x84", 10},        /* Οκτ */
    {"\xCE\x9D\xCE\xBF\xCE\xAD", 11},        /* Νοέ */
    {"\xCE\x9D\xCE\xBF\xCE\xB5", 11},        /* Νοε */
    {"\xCE\x94\xCE\xB5\xCE\xBA", 12},        /* Δεκ */
    {"janu\xC3\xA1r", 1},                    /* január */
    {"febru\xC3\xA1r", 2},                   /* február */
    {"m\xC3\xA1rcius", 3},                   /* március */
    {"\xC3\xA1prilis", 4},                   /* április */
    {"m\xC3\xA1ujus", 5},                    /* máujus */
    {"m\xC3\xA1jus", 5},                     /* május */
    {"j\xC3\xBAnius", 6},                    /* június */
    {"j\xC3\xBAlius", 7},                    /* július */
    {"augusztus", 8},                        /* augusztus */
    {"szeptember", 9},                       /* szeptember */
    {"okt\xC3\xB3"
     "ber",
     10},             /* október */
    {"december", 12}, /* december */
};

static const char *const day_names[] = {
    "mon",       "monday", "tue",      "tues",  "tuesday",  "wed",
    "wednesday", "thu",    "thur",     "thurs", "thursday", "fri",
    "friday",    "sat",    "saturday", "sun",   "sunday",   NULL,
};

/*
 * Zone names.  us_rule: the offset is the standard one of a US zone and
 * daylight time applies by the US rules ("ET" in July is EDT).  "CST" is
 * the US one; Asian and Indian zone names are too ambiguous to guess.
 */
static const struct {
	const char *name;
	int off_min;
	bool us_rule;
} zone_names[] = {
    {"ut", 0, false},      {"utc", 0, false},    {"gmt", 0, false},
    {"z", 0, false},       {"wet", 0, false},    {"bst", 60, false},
    {"cet", 60, false},    {"met", 60, false},   {"cest", 120, false},
    {"mest", 120, false},  {"eet", 120, false},  {"eest", 180, false},
    {"msk", 180, false},   {"jst", 540, false},  {"kst", 540, false},
    {"aest", 600, false},  {"aedt", 660, false}, {"nzst", 720, false},
    {"nzdt", 780, false},  {"ast", -240, false}, {"adt", -180, false},
    {"est", -300, false},  {"edt", -240, false}, {"cst", -360, false},
    {"cdt", -300, false},  {"mst", -420, false}, {"mdt", -360, false},
    {"pst", -480, false},  {"pdt", -420, false}, {"akst", -540, false},
    {"akdt", -480, false}, {"hst", -600, false}, {"et", -300, true},
    {"ct", -360, true},    {"mt", -420, true},   {"pt", -480, true},
};

#define KO_AM    "\xEC\x98\xA4\xEC\xA0\x84" /* 오전 */
#define KO_PM    "\xEC\x98\xA4\xED\x9B\x84" /* 오후 */
#define KO_YEAR  "\xEB\x85\x84"             /* 년 */
#define KO_MONTH "\xEC\x9B\x94"             /* 월 */
#define KO_DAY   "\xEC\x9D\xBC"             /* 일 */

struct loose {
	int y, mo, d, h, mi, s;
	int ydigits;
	bool have_time, have_zone, us_rule, korean;
	int off_min;
	int ampm; /* 0 none, 1 am, 2 pm */
};

static bool
word_byte(unsigned char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

static bool
starts(const char *p, const char *word)
{
	return !strncmp(p, word, strlen(word));
}

/* p[0..n) equals name, ignoring the case of ASCII letters. */
static bool
fold_eq(const char *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)p[i];
		unsigned char b = (unsigned char)name[i];

		if (!b)
			return false;
		if (a >= 'A' && a <= 'Z')
			a |= 0x20;
		if (a != b)
			return false;
	}
	return name[n] == '\0';
}

/* A word at p[0..n): day name, month, zone, AM/PM; false if unknown. */
static bool
loose_word(struct loose *L, const char *p, size_t n, char next)
{
	char low[16];
	size_t i;

	if (n == 6 && (!memcmp(p, KO_AM, 6) || !memcmp(p, KO_PM, 6))) {
		L->ampm = !memcmp(p, KO_AM, 6) ? 1 : 2;
		L->korean = true;
		return true;
	}
	/* month names, any of them, ASCII letters in any case */
	for (i = 0; i < sizeof(month_names) / sizeof(month_names[0]); i++) {
		if (fold_eq(p, n, month_names[i].name)) {
			L->mo = month_names[i].month;
			return true;
		}
	}
	if (n >= sizeof(low))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x80) {
			/* Unknown non-ASCII word: only a day name before ','. */
			return next == ',' && !L->d && !L->mo;
		}
		low[i] = (char)(c | 0x20);
	}
	low[n] = '\0';
	for (i = 0; day_names[i]; i++)
		if (!strcmp(low, day_names[i]))
			return true;
	if (!strcmp(low, "am") || !strcmp(low, "pm")) {
		L->ampm = low[0] == 'a' ? 1 : 2;
		return true;
	}
	if (!strcmp(low, "t") && !L->have_time)
		return true; /* the ISO date/time separator */
	for (i = 0; i < sizeof(zone_names) / sizeof(zone_names[0]); i++) {
		if (!strcmp(low, zone_names[i].name) && !L->have_zone) {
			L->off_min = zone_names[i].off_min;
			L->us_rule = zone_names[i].us_rule;
			L->have_zone = true;
			return true;
		}
	}
	return false;
}

/* Read a number of at most 9 digits at *pp. */
static int
number(const char **pp, int *nd)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (is_digit(*p)) {
		if (n < 9)
			v = v * 10 + (*p - '0');
		n++;
		p++;
	}
	*nd = n;
	*pp = p;
	return v;
}

static bool
loose_time(struct loose *L, const char **pp, int h)
{
	const char *p = *pp;
	int nd;

	if (L->have_time)
		return false;
	p++; /* ':' */
	L->mi = number(&p, &nd);
	if (nd != 2)
		return false;
	if (*p == ':' && is_digit(p[1])) {
		p++;
		L->s = number(&p, &nd);
		if (nd != 2)
			return false;
		if ((*p == '.' || *p == ',') && is_digit(p[1])) {
			p++;
			while (is_digit(*p))
				p++;
		}
	}
	L->h = h;
	L->have_time = true;
	*pp = p;
	return true;
}

static bool
loose_parse(const char *s, struct loose *L)
{
	const char *p = s;

	memset(L, 0, sizeof(*L));
	while (*p) {
		unsigned char c = (unsigned char)*p;

		if (is_space(*p) || c == ',') {
			p++;
			continue;
		}
		if (c == '(') { /* an RFC 2822 comment, e.g. "(PST)" */
			const char *e = strchr(p, ')');

			if (!e)
				return false;
			p = e + 1;
			continue;
		}
		if ((c == '+' || c == '-') && is_digit(p[1]) && L->have_time) {
			if (L->have_zone && L->off_min == 0 && !L->us_rule) {
				/* "GMT+0100": the offset refines "GMT" */
			} else if (L->have_zone) {
				return false;
			}
			if (!zone_offset(&p, &L->off_min))
				return false;
			L->us_rule = false;
			L->have_zone = true;
			continue;
		}
		if (c == '-' || c == '/' || c == '.') {
			p++; /* separators: "06-Nov-94", "2006/09/15" */
			continue;
		}
		if (is_digit(*p)) {
			int nd, v = number(&p, &nd);
			const char *q = p;

			while (*q == ' ')
				q++;
			if (*p == ':') {
				if (nd > 2 || !loose_time(L, &p, v))
					return false;
				continue;
			}
			if (starts(q, KO_YEAR) || starts(q, KO_MONTH) ||
			    starts(q, KO_DAY)) {
				L->korean = true;
				if (starts(q, KO_YEAR) && !L->y && nd == 4) {
					L->y = v;
					L->ydigits = 4;
				} else if (starts(q, KO_MONTH) && !L->mo) {
					L->mo = v;
				} else if (starts(q, KO_DAY) && !L->d) {
					L->d = v;
				} else {
					return false;
				}
				p = q + 3;
				continue;
			}
			if (nd == 4 && !L->y && *p == '-' && is_digit(p[1])) {
				/* ISO date inside a loose string: "2004-07-08" */
				int m, d;

				p++;
				m = number(&p, &nd);
				if (nd > 2 || *p != '-')
					return false;
				p++;
				d = number(&p, &nd);
				if (nd > 2 || L->mo || L->d)
					return false;
				L->y = v;
				L->ydigits = 4;
				L->mo = m;
				L->d = d;
				continue;
			}
			if (nd == 4 && !L->y && *p == '/' && is_digit(p[1])) {
				/* "2006/09/15" (perforce) */
				int m, d;

				p++;
				m = number(&p, &nd);
				if (nd > 2 || *p != '/')
					return false;
				p++;
				d = number(&p, &nd);
				if (nd > 2 || L->mo || L->d)
					return false;
				L->y = v;
				L->ydigits = 4;
				L->mo = m;
				L->d = d;
				continue;
			}
			if (nd >= 3 && nd <= 4 && !L->y) {
				L->y = v;
				L->ydigits = nd;
			} else if (nd <= 2 && !L->d) {
				L->d = v;
			} else if (nd <= 2 && L->d && L->mo && !L->y) {
				L->y = v;
				L->ydigits = nd;
			} else {
				return false;
			}
			continue;
		}
		if (word_byte(c)) {
			const char *w = p;

			while (word_byte((unsigned char)*p) || *p == '.') {
				if (*p == '.' &&
				    !word_byte((unsigned char)p[1]))
					break;
				p++;
			}
			if (!loose_word(L, w, (size_t)(p - w),
			                *p == '.' ? p[1] : *p))
				return false;
			if (*p == '.')
				p++; /* "Jan." */
			continue;
		}
		return false;
	}
	if (!L->y || !L->mo || !L->d)
		return false;
	if (L->ydigits <= 2)
		L->y += L->y < 50 ? 2000 : 1900;
	else if (L->ydigits == 3)
		L->y += 1900; /* RFC 2822 obs-year */
	if (L->ampm) {
		if (!L->have_time || L->h < 1 || L->h > 12)
			return false;
		if (L->ampm == 2 && L->h < 12)
			L->h += 12;
		else if (L->ampm == 1 && L->h == 12)
			L->h = 0;
	}
	if (L->korean && !L->have_zone) {
		L->off_min = 540; /* KST */
		L->have_zone = true;
	}
	return L->y >= 1000 && L->y <= 9999 && L->mo >= 1 && L->mo <= 12 &&
	       L->d >= 1 && L->d <= 31 && L->h >= 0 && L->h <= 23 &&
	       L->mi >= 0 && L->mi <= 59 && L->s >= 0 && L->s <= 61;
}

/* "Jan".."Dec" in any case, or 0. */
static int
month3(const char *p)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[3];
	int i;

	for (i = 0; i < 3; i++)
		m[i] = (char)(p[i] | 0x20);
	for (i = 0; i < 12; i++)
		if (!memcmp(names + 3 * i, m, 3))
			return i + 1;
	return 0;
}

/*
 * The exact RFC 822 shape nearly every feed uses,
 * "Fri, 24 Jan 2025 11:00:00 -0500" (day name optional, seconds
 * optional, numeric zone or GMT/UT/UTC/Z), without the tokenizer; false
 * sends the string to loose_parse().
 */
static bool
rfc822_fast(const char *p, int64_t *out)
{
	int d, mo, y, h, mi, s = 0, off = 0;

	if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') {
		if (p[3] != ',' || p[4] != ' ')
			return false;
		p += 5;
	}
	if (!digits(&p, 1, &d))
		return false;
	if (is_digit(*p))
		d = d * 10 + (*p++ - '0');
	if (*p++ != ' ' || !(mo = month3(p)) || p[3] != ' ')
		return false;
	p += 4;
	if (!digits(&p, 4, &y) || *p++ != ' ' || !digits(&p, 2, &h) ||
	    *p++ != ':' || !digits(&p, 2, &mi))
		return false;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &s))
			return false;
	}
	if (*p++ != ' ')
		return false;
	if ((*p == '+' || *p == '-') && is_digit(p[1])) {
		int sign = *p == '-' ? -1 : 1, hh, mm;

		p++;
		if (!digits(&p, 2, &hh) || !digits(&p, 2, &mm) || mm > 59)
			return false;
		off = sign * (hh * 60 + mm);
	} else if (!strcmp(p, "GMT") || !strcmp(p, "UT") || !strcmp(p, "UTC") ||
	           !strcmp(p, "Z")) {
		p += strlen(p);
	} else {
		return false;
	}
	if (*p || y < 1000 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 61)
		return false;
	*out = wall_seconds(y, mo, d, h, mi, s) - (int64_t)off * 60;
	return true;
}

static int64_t
rfc822_trimmed(const char *buf)
{
	struct loose L;
	time_t t;
	int64_t v;

	if (rfc822_fast(buf, &v))
		return v;
	if (loose_parse(buf, &L)) {
		int64_t wall = wall_seconds(L.y, L.mo, L.d, L.h, L.mi, L.s);

		if (L.us_rule)
			return us_local_to_utc(wall, L.off_min);
		return wall - (int64_t)L.off_min * 60;
	}
	/* curl's parser knows a few more historic shapes (RFC 850 etc.). */
	t = curl_getdate(buf, NULL);
	return t == -1 ? DATE_UNKNOWN : (int64_t)t;
}

int64_t
date_parse_rfc822(const char *s)
{
	char buf[DATE_MAX_LEN + 1];

	if (!trimmed(s, buf))
		return DATE_UNKNOWN;
	return rfc822_trimmed(buf);
}

int64_t
date_parse(const char *s)
{
	char buf[DATE_MAX_LEN + 1];
	struct fields f;

	if (!trimmed(s, buf))
		return DATE_UNKNOWN;
	if (iso_fields(buf, &f))
		return fields_to_utc(&f);
	return rfc822_trimmed(buf);
}
