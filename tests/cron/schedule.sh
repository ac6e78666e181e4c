#!/bin/sh
# oligo ingest's schedule, as cron runs it (no --source): a due source is
# fetched, one not yet due is skipped (and -v says so), failures back off
# exponentially, Retry-After is honoured, --force and --source run
# regardless; the daily EDGAR index skips weekends and holidays and a 404
# for its day is "no index", not a failure.  Time comes from OLIGO_NOW
# (test-only), so nothing sleeps.  Nothing leaves 127.0.0.1.
. tests/lib.sh
SERVER=${BUILD:-build/rel}/tests/fixture_server
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }
q() { sqlite3 "$OLIGO_DB" "$1"; }
check() { [ "$2" = "$3" ] && pass "$1" || fail "$1 (got '$2', wanted '$3')"; }
due() { q "SELECT next_due FROM source WHERE name = '$1'"; }
# requests the server saw for a path (its -v log)
hits() { grep -c "GET $1 " "$T/server.log"; }

mkdir -p "$T/www/Archives/edgar/daily-index/2025/QTR4"
cat >"$T/www/a.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>a</title>
<item><title>one</title><guid>a1</guid><link>http://example.org/1</link></item>
</channel></rss>
XML
printf 'Description: Daily Index of EDGAR Dissemination Feed\n\nCIK|Company Name|Form Type|Date Filed|File Name\n--------------------------------------------------------------------------------\n789019|MICROSOFT CORP|8-K|20251126|edgar/data/789019/0000789019-25-000111.txt\n' \
	>"$T/www/Archives/edgar/daily-index/2025/QTR4/master.20251126.idx"
"$SERVER" -d "$T/www" -t 120 -v >"$T/port" 2>"$T/server.log" &
i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
U=http://127.0.0.1:$(head -n 1 "$T/port")

"$OLIGO" init --quiet || exit 1
# A cron run fetches every enabled source: only ours may be on.
for n in $("$OLIGO" sources | awk 'NR > 1 { print $1 }'); do
	"$OLIGO" sources disable "$n" >/dev/null
done
"$OLIGO" sources add a "$U/a.xml" >/dev/null
"$OLIGO" sources add b "$U/status/500" >/dev/null
# another host: a Retry-After holds back its whole host in the run
"$OLIGO" sources add c "http://localhost:$(head -n 1 "$T/port")/status/503?retry=7200" >/dev/null
check "only the test's sources are enabled" \
	"$(q "SELECT group_concat(name) FROM (SELECT name FROM source WHERE enabled ORDER BY name)")" "a,b,c"
[ "$failures" -eq 0 ] || { finish; exit 1; }

T0=2025-11-26T12:00:00Z
OLIGO_NOW=$T0 expect_exit 75 "first run: b and c fail" "$OLIGO" ingest
check "a fetched" "$(hits /a.xml)" 1
check "a due again after 30 min (news feed)" "$(due a)" 2025-11-26T12:30:00Z
check "b: first failure, retried after the interval" "$(due b)" 2025-11-26T12:30:00Z
check "c: Retry-After 7200 honoured" "$(due c)" 2025-11-26T14:00:00Z

OLIGO_NOW=2025-11-26T12:10:00Z expect_exit 0 "10 min later: nothing due, exit 0" "$OLIGO" ingest -v
check "... nothing fetched" "$(hits /a.xml)" 1
expect_grep "^a  *not due until 2025-11-26T12:30:00Z" "$T/out" "-v says a is not due"
expect_grep "^c  *not due until 2025-11-26T14:00:00Z" "$T/out" "-v says c is not due"
[ ! -s "$T/err" ] && pass "... and stderr stays quiet" || fail "... and stderr stays quiet"

OLIGO_NOW=2025-11-26T12:31:00Z expect_exit 75 "31 min later: a and b due" "$OLIGO" ingest
check "a fetched again" "$(hits /a.xml)" 2
check "b: second failure, backs off 1 h" "$(due b)" 2025-11-26T13:31:00Z
check "c still waits" "$(due c)" 2025-11-26T14:00:00Z
OLIGO_NOW=2025-11-26T13:32:00Z "$OLIGO" ingest 2>/dev/null
check "b: third failure, backs off 2 h" "$(due b)" 2025-11-26T15:32:00Z
check "a fetched with it" "$(hits /a.xml)" 3
check "b: failures counted" "$(q "SELECT failures FROM source WHERE name = 'b'")" 3
"$OLIGO" sources add b2 "$U/status/500?b2" >/dev/null
for k in 1 2 3 4 5 6 7 8 9; do
	OLIGO_NOW=2025-11-26T13:32:00Z "$OLIGO" ingest --source b2 2>/dev/null
done
check "backoff capped at 24 h" "$(due b2)" 2025-11-27T13:32:00Z

OLIGO_NOW=2025-11-26T13:33:00Z expect_exit 75 "--force runs what is not due" "$OLIGO" ingest --force
check "... a fetched" "$(hits /a.xml)" 4
OLIGO_NOW=2025-11-26T13:34:00Z expect_exit 0 "--source runs a source not due" "$OLIGO" ingest --source a
check "... a fetched" "$(hits /a.xml)" 5
check "... and rescheduled" "$(due a)" 2025-11-26T14:04:00Z

OLIGO_NOW=2025-11-26T13:35:00Z "$OLIGO" sources >"$T/list"
expect_grep "^a .* 2025-11-26T14:04:00Z" "$T/list" "oligo sources shows the next due time"
OLIGO_NOW=2025-11-26T14:05:00Z "$OLIGO" sources >"$T/list"
expect_grep "^a .* next run" "$T/list" "a time already past shows as next run"

"$OLIGO" sources remove a >/dev/null
"$OLIGO" sources add a "$U/a.xml?moved" >/dev/null
check "a new URL is due at once" "$(due a)" ""

# ---- the daily EDGAR index.  The default source's URL follows the
# clock: Friday after Thanksgiving, the latest index is Wednesday's.
OLIGO_NOW=2025-11-28T12:00:00Z "$OLIGO" sources >/dev/null
expect_grep "/daily-index/2025/QTR4/master.20251126.idx" \
	"$(q "SELECT url FROM source WHERE name = 'edgar-daily-index'" >"$T/url"; echo "$T/url")" \
	"default daily index skips Thanksgiving"
OLIGO_NOW=2025-12-01T12:00:00Z "$OLIGO" sources >/dev/null
expect_grep "master.20251128.idx" \
	"$(q "SELECT url FROM source WHERE name = 'edgar-daily-index'" >"$T/url"; echo "$T/url")" \
	"Monday noon: Friday's, not the weekend's"
# Served by the fixture server instead of sec.gov: a user source of the
# default's name replaces it.
"$OLIGO" sources add edgar-daily-index \
	"$U/Archives/edgar/daily-index/2025/QTR4/master.20251126.idx" --kind edgar-index >/dev/null
"$OLIGO" sources enable edgar-daily-index >/dev/null
OLIGO_NOW=2025-11-27T15:00:00Z expect_exit 0 "daily index fetched" "$OLIGO" ingest -v --source edgar-daily-index
check "its filing stored" "$(q "SELECT count(*) FROM filing WHERE accession = '0000789019-25-000111'")" 1
check "next: Friday's index, ready 23:00 ET (Thanksgiving skipped)" \
	"$(due edgar-daily-index)" 2025-11-29T04:00:00Z
"$OLIGO" sources remove edgar-daily-index >/dev/null
"$OLIGO" sources add edgar-daily-index \
	"$U/Archives/edgar/daily-index/2025/QTR4/master.20251127.idx" --kind edgar-index >/dev/null
OLIGO_NOW=2025-11-28T12:00:00Z expect_exit 0 "a 404 for the day is no index, not a failure" \
	"$OLIGO" ingest -v --source edgar-daily-index
expect_grep "no index that day" "$T/out" "-v says there was no index"
[ ! -s "$T/err" ] && pass "... nothing on stderr" || fail "... nothing on stderr"
check "... no failure counted" "$(q "SELECT failures FROM source WHERE name = 'edgar-daily-index'")" 0
check "... looked at again in 3 h" "$(due edgar-daily-index)" 2025-11-28T15:00:00Z
"$OLIGO" sources remove edgar-daily-index >/dev/null
"$OLIGO" sources add edgar-daily-index "$U/status/500?idx=/daily-index/" --kind edgar-index >/dev/null
OLIGO_NOW=2025-11-28T12:00:00Z expect_exit 75 "other index errors still fail" \
	"$OLIGO" ingest --source edgar-daily-index

# a kind picks the parser: a typo in the config is a configuration error
printf 'source typo %s/a.xml fed\n' "$U" >>"$XDG_CONFIG_HOME/oligo/config"
expect_exit 78 "unknown kind in the config exits 78" "$OLIGO" ingest --source a
expect_grep "source 'typo': unknown kind 'fed'" "$T/err" "... and names source and kind"
finish
