#!/bin/sh
# oligo ingest against the project's own loopback fixture server: silent
# success, one line per failed source, exit codes, conditional GET, no
# duplicates, the lock, the SEC User-Agent rule.  Nothing leaves 127.0.0.1.
. tests/lib.sh
SERVER=${BUILD:-build/rel}/tests/fixture_server
mkdir -p "$T/www"
cat >"$T/www/ai.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>AI news</title><link>http://example.org/</link>
<item><title>Amazon adds to Anthropic stake; AWS Trainium deal</title>
<link>http://example.org/1</link><guid>g1</guid>
<pubDate>Tue, 25 Nov 2025 10:00:00 GMT</pubDate>
<description>The Claude maker gets &lt;b&gt;more&lt;/b&gt; funding</description></item>
<item><title>FTC looks at Microsoft and OpenAI &#x9b;[31m</title>
<link>javascript:alert(1)</link><guid>g2</guid></item>
</channel></rss>
XML
printf '<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>' >"$T/www/laughs.xml"
"$SERVER" -d "$T/www" -t 120 >"$T/port" 2>/dev/null &
i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
P=$(head -n 1 "$T/port")
U=http://127.0.0.1:$P

"$OLIGO" init --quiet
for s in "ai $U/ai.xml" "broken $U/status/500" "html $U/html200" \
	"laughs $U/laughs.xml" "bomb $U/gzip-bomb?mb=200" "empty $U/empty200" \
	"gone $U/drop-body" "slow429 $U/429?retry=1"; do
	set -- $s
	expect_exit 0 "sources add $1" "$OLIGO" sources add "$1" "$2"
done
expect_exit 64 "non-http source refused" "$OLIGO" sources add bad file:///etc/passwd
expect_grep "source ai $U/ai.xml feed" "$XDG_CONFIG_HOME/oligo/config" \
	"user sources live in the config file"

expect_exit 0 "ingest one good source" "$OLIGO" ingest --source ai
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] && pass "silent on success" || fail "silent on success"
"$OLIGO" export news >"$T/news.csv"
[ "$(tail -n +2 "$T/news.csv" | wc -l)" -eq 2 ] && pass "two items stored" || fail "two items stored"
expect_grep "Amazon; Anthropic" "$T/news.csv" "items tagged through aliases (AWS, Claude)"
grep -q "$(printf '\302\233')" "$T/news.csv" && fail "C1 control (CSI) stripped" || pass "C1 control (CSI) stripped"
grep -q "javascript:" "$T/news.csv" && fail "javascript: link dropped" || pass "javascript: link dropped"

expect_exit 0 "ingest again" "$OLIGO" ingest --source ai
[ "$(sqlite3 "$OLIGO_DB" 'SELECT count(*) FROM item')" -eq 2 ] &&
	pass "re-running changes nothing" || fail "re-running changes nothing"

expect_exit 75 "failing sources exit 75" "$OLIGO" ingest --source ai \
	--source broken --source html --source laughs --source bomb \
	--source empty --source gone
[ "$(wc -l <"$T/err")" -eq 6 ] && pass "one stderr line per failed source" ||
	{ fail "one stderr line per failed source"; cat "$T/err"; }
for s in broken html laughs bomb empty gone; do
	expect_grep "^oligo: ingest: $s: " "$T/err" "failure names source $s"
done
grep -q "$(printf '\033')" "$T/err" && fail "stderr sanitized" || pass "stderr sanitized"
[ "$(sqlite3 "$OLIGO_DB" 'SELECT count(*) FROM item')" -eq 2 ] &&
	pass "failures lose nothing" || fail "failures lose nothing"
"$OLIGO" sources >"$T/src"
expect_grep "^broken .*HTTP 500" "$T/src" "sources shows the last error"

# a parser that crashes fails only its own source; the next one still runs
"$OLIGO" sources add ai2 "$U/ai.xml?copy" >/dev/null
OLIGO_TEST_CRASH=ai expect_exit 75 "crashing parser exits 75" "$OLIGO" ingest \
	--source ai --source ai2
expect_grep "^oligo: ingest: ai: parser stopped by signal" "$T/err" \
	"the crash is reported against its source"
[ "$(sqlite3 "$OLIGO_DB" "SELECT count(*) FROM item i JOIN source s ON s.id = i.source_id WHERE s.name = 'ai2'")" -eq 2 ] &&
	pass "the next source is stored after a parser crash" ||
	fail "the next source is stored after a parser crash"

expect_exit 0 "-v" "$OLIGO" ingest -v --source ai
expect_grep "^ai  *ok 0" "$T/out" "-v prints per-source results"

# one ingest at a time: the lock file, not the database
if command -v flock >/dev/null; then
	flock "$OLIGO_DB.lock" sleep 3 &
	sleep 0.3
	expect_exit 75 "second run exits 75 at once" "$OLIGO" ingest --source ai
	expect_grep "another ingest is running" "$T/err" "lock message"
	wait
fi

# SEC refuses anonymous tools: no contact without a User-Agent, exit 78,
# and the other sources in the run still run
printf 'title\n' >/dev/null
expect_exit 78 "EDGAR without User-Agent exits 78" "$OLIGO" ingest \
	--source edgar-msft --source ai
expect_grep "user-agent" "$T/err" "says how to set the User-Agent"
expect_exit 64 "user-agent without email refused" "$OLIGO" sources user-agent "Jane"
expect_exit 0 "user-agent with email" "$OLIGO" sources user-agent "Jane Analyst jane@analyst-firm.com"
expect_grep "user-agent = Jane Analyst jane@analyst-firm.com" "$XDG_CONFIG_HOME/oligo/config" \
	"user-agent stored in the config"

expect_exit 0 "disable a source" "$OLIGO" sources disable broken
"$OLIGO" sources >"$T/src"
expect_grep "^broken  *feed  *no " "$T/src" "disabled source listed as off"
expect_exit 0 "remove a source" "$OLIGO" sources remove html
expect_exit 64 "unknown --source" "$OLIGO" ingest --source nosuch
printf 'bogus line here\n' >>"$XDG_CONFIG_HOME/oligo/config"
expect_exit 78 "bad config line exits 78" "$OLIGO" ingest --source ai
expect_grep "config:[0-9]*:" "$T/err" "config error names file:line"
finish
