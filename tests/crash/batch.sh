#!/bin/sh
# Small documents are committed in batches (ingest/worker.c): one
# transaction, a savepoint per source.  The per-source guarantees must
# hold as they do for lone documents:
#   - a parser crash on a source inside a batch fails only that source,
#     and every other source is stored exactly once (the batch it was in
#     is run again without it, nothing committed twice);
#   - a document that does not parse inside a batch fails alone;
#   - killed with SIGKILL at the after-commit pause of a batch and at
#     random moments, each source is all-old or all-new (its items add up
#     to its committed runs' items_new) and the next run completes.
# Nothing leaves 127.0.0.1.
. tests/lib.sh
cp "$OLIGO" "$T/oligo" && OLIGO=$T/oligo || exit 1
SERVER=${BUILD:-build/rel}/tests/fixture_server
N=300
KILLS=${BATCH_KILLS:-6}
command -v setsid >/dev/null || { echo "setsid missing"; exit 1; }
q() { timeout 20 sqlite3 "$OLIGO_DB" "$@"; }

# make_feeds G: feed i holds items 1..G
make_feeds() {
	awk -v g="$1" -v n="$N" -v dir="$T/www" 'BEGIN {
		for (i = 0; i < n; i++) {
			f = dir "/f" i ".xml.tmp"
			printf "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>f%d</title>", i > f
			for (k = 1; k <= g; k++)
				printf "<item><title>Item %d of %d about Amazon</title><link>http://example.org/%d/%d</link><guid>g%d-%d</guid></item>", k, i, i, k, i, k > f
			print "</channel></rss>" > f
			close(f)
			system("mv " f " " dir "/f" i ".xml")
		}
	}'
}

mkdir -p "$T/www"
make_feeds 1
printf '<html><body>not a feed</body></html>' >"$T/www/page.html"
"$SERVER" -d "$T/www" -t 600 >"$T/port" 2>/dev/null &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; cleanup' EXIT
i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
P=$(head -n 1 "$T/port")
[ -n "$P" ] || { echo "fixture server did not start"; exit 1; }

"$OLIGO" init --quiet || exit 1
mkdir -p "$XDG_CONFIG_HOME/oligo"
args=
for i in $(seq 0 $((N - 1))); do
	url=http://127.0.0.1:$P/f$i.xml
	[ $i -eq 100 ] && url=http://127.0.0.1:$P/page.html
	echo "source f$i $url feed" >>"$XDG_CONFIG_HOME/oligo/config"
	args="$args --source f$i"
done

# per source: items, distinct guids, items_new of its ok runs, ok runs
state() {
	q "SELECT s.name, (SELECT count(*) FROM item i WHERE i.source_id = s.id),
		(SELECT count(DISTINCT guid) FROM item i WHERE i.source_id = s.id),
		(SELECT coalesce(sum(items_new), 0) FROM run r
			WHERE r.source_id = s.id AND r.outcome = 'ok'),
		(SELECT count(*) FROM run r WHERE r.source_id = s.id AND r.outcome = 'ok')
		FROM source s WHERE s.name GLOB 'f[0-9]*' ORDER BY s.name" | tr '|' ' '
}

# 1. a crash in the middle of a batch, and a page that is not a feed
OLIGO_TEST_CRASH=f150 expect_exit 75 "a parser crash in a batch exits 75" \
	"$OLIGO" ingest $args
expect_grep "^oligo: ingest: f150: parser stopped by signal" "$T/err" \
	"the crash is reported against its source"
expect_grep "^oligo: ingest: f100: " "$T/err" "the page is reported against its source"
[ "$(wc -l <"$T/err")" -eq 2 ] && pass "two sources fail, no other" ||
	{ fail "two sources fail, no other ($(wc -l <"$T/err") lines)"; head -n 5 "$T/err"; }
state >"$T/s1"
bad=$(awk '$1 != "f100" && $1 != "f150" && ($2 != 1 || $3 != 1 || $4 != 1 || $5 != 1)' "$T/s1" | wc -l)
[ "$bad" -eq 0 ] && pass "every other source stored once, with one run" ||
	{ fail "every other source stored once ($bad not)"; awk '$2 != 1 || $5 != 1' "$T/s1" | head -n 5; }
awk '$1 == "f100" || $1 == "f150"' "$T/s1" | grep -qv ' 0 0 0 0$' &&
	fail "the failed sources hold nothing" || pass "the failed sources hold nothing"
expect_exit 75 "the next run stores the crashed source" "$OLIGO" ingest $args
[ "$(q "SELECT count(*) FROM item i JOIN source s ON s.id = i.source_id WHERE s.name = 'f150'")" -eq 1 ] &&
	pass "f150 stored once it no longer crashes" || fail "f150 stored once it no longer crashes"

# 2. kill -9 at the after-commit pause of a batch, then at random moments
gen=1 kills=0 round=0
while [ $kills -lt "$KILLS" ] && [ $round -lt $((KILLS * 2)) ]; do
	round=$((round + 1)) gen=$((gen + 1))
	make_feeds $gen
	: >"$T/kerr"
	if [ $round -eq 1 ]; then
		OLIGO_TEST_PAUSE=after-commit setsid "$OLIGO" ingest $args \
			>/dev/null 2>"$T/kerr" &
		pid=$!
		i=0
		while ! grep -q "paused at after-commit" "$T/kerr" &&
			[ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
			sleep 0.05; i=$((i + 1))
		done
		grep -q "paused at after-commit" "$T/kerr" ||
			fail "never paused at after-commit"
	else
		setsid "$OLIGO" ingest $args >/dev/null 2>"$T/kerr" &
		pid=$!
		sleep "$(awk -v s="$round" 'BEGIN { srand(s); printf "%.3f", 0.02 + rand() * 0.2 }')"
	fi
	kill -0 $pid 2>/dev/null && { kill -9 -$pid 2>/dev/null; kills=$((kills + 1)); }
	wait $pid 2>/dev/null
	[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "round $round: integrity_check"
	state >"$T/after"
	partial=$(awk -v g=$gen '$1 != "f100" && (($2 != g - 1 && $2 != g) || $2 != $3 || $2 != $4)' "$T/after" | wc -l)
	[ "$partial" -eq 0 ] && pass "round $round: each source all-old or all-new" ||
		{ fail "round $round: $partial sources partial or out of step"; head -n 3 "$T/after"; }
	if [ $round -eq 1 ]; then
		new=$(awk -v g=$gen '$2 == g' "$T/after" | wc -l)
		[ "$new" -gt 1 ] && [ "$new" -lt $((N - 1)) ] &&
			pass "after-commit: the batch is committed, the rest is not ($new new)" ||
			fail "after-commit: $new sources new, wanted a committed batch"
	fi
	timeout 120 "$OLIGO" ingest $args >/dev/null 2>"$T/err"
	state >"$T/done"
	left=$(awk -v g=$gen '$1 != "f100" && ($2 != g || $4 != g)' "$T/done" | wc -l)
	[ "$left" -eq 0 ] && pass "round $round: the next run completes" ||
		fail "round $round: $left sources incomplete after the next run"
done
[ $kills -gt 0 ] && pass "killed $kills runs" || fail "no run was killed"

# 3. the disk fills inside a batch (a file-size limit): the batch is
# rolled back and its sources tried alone; nothing partial, and the next
# run with room completes
q 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
gen=$((gen + 40))
make_feeds $gen
sz=$(stat -c %s "$OLIGO_DB")
(
	ulimit -f $(((sz + 300000) / 512)) || exit 99
	trap '' XFSZ
	exec timeout 120 "$OLIGO" ingest $args
) >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 99 ]; then
	echo "# cannot set a file-size limit here: skipped"
else
	[ $rc -eq 74 ] && pass "disk full in a batch: exit 74" ||
		{ fail "disk full in a batch: exit $rc, wanted 74"; head -n 3 "$T/err"; }
	[ "$(q 'PRAGMA integrity_check')" = ok ] &&
		pass "disk full in a batch: integrity_check ok" ||
		fail "disk full in a batch: integrity_check"
	state >"$T/after"
	partial=$(awk -v g=$gen -v o=$((gen - 40)) '$1 != "f100" && (($2 != o && $2 != g) || $2 != $3 || $2 != $4)' "$T/after" | wc -l)
	new=$(awk -v g=$gen '$2 == g' "$T/after" | wc -l)
	[ "$partial" -eq 0 ] && pass "disk full in a batch: each source all-old or all-new ($new new)" ||
		{ fail "disk full in a batch: $partial sources partial"; head -n 3 "$T/after"; }
	timeout 120 "$OLIGO" ingest $args >/dev/null 2>"$T/err"
	state >"$T/done"
	left=$(awk -v g=$gen '$1 != "f100" && ($2 != g || $4 != g)' "$T/done" | wc -l)
	[ "$left" -eq 0 ] && pass "disk full in a batch: the next run completes" ||
		fail "disk full in a batch: $left sources incomplete after the next run"
fi
echo "# batch: kills=$kills rounds=$round"
[ $failures -eq 0 ]
