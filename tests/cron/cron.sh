#!/bin/sh
# oligo ingest as cron runs it: overlapping runs (the second exits 75 at
# once), a bare environment (env -i: no LANG, no XDG, HOME elsewhere), an
# exceeded deadline (the run ends in time, the slow source failed, exit
# 75, the others committed), and parser children that crash (SIGSEGV,
# SIGXCPU): one line each, exit 75, the source keeps its state, the run
# goes on, the next run completes.  Nothing leaves 127.0.0.1.
. tests/lib.sh
# a private copy: others may relink ./oligo while this runs
cp "$OLIGO" "$T/oligo" && OLIGO=$T/oligo || exit 1
SERVER=${BUILD:-build/rel}/tests/fixture_server
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }
q() { timeout 20 sqlite3 "$OLIGO_DB" "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
items() { q "SELECT count(*) FROM item i JOIN source s ON s.id = i.source_id WHERE s.name = '$1'"; }

mkdir -p "$T/www"
feed() { # feed FILE PREFIX N: an RSS 2.0 feed of N items
	awk -v f="$T/www/$1" -v p="$2" -v n="$3" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>" p "</title>" > f
		for (i = 1; i <= n; i++)
			printf "<item><title>%s %d caf\303\251 \342\200\224 \344\270\255\346\226\207</title><guid>%s-%d</guid><link>http://example.org/%s/%d</link></item>\n", p, i, p, i, p, i > f
		print "</channel></rss>" > f
	}'
}
feed a.xml a 20
feed b.xml b 30
feed c.xml c 40
"$SERVER" -d "$T/www" -t 300 >"$T/port" 2>/dev/null &
SERVER_PID=$!
i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
P=$(head -n 1 "$T/port")
[ -n "$P" ] || { echo "fixture server did not start"; exit 1; }
U=http://127.0.0.1:$P

"$OLIGO" init --quiet || exit 1
for s in "a $U/a.xml" "b $U/b.xml" "c $U/c.xml" "e $U/etag" \
	"slow $U/slow?bytes=2000&ms=50" "slow3 $U/slow?bytes=30&ms=100"; do
	set -- $s
	"$OLIGO" sources add "$1" "$2" >/dev/null || fail "sources add $1"
done

# ---- overlapping runs: a 3 s run holds the lock; the second exits 75 at
# once.  (The fixture server's /slow body is not a feed, so the holder
# itself ends with exit 75 and one line about slow3.)
timeout 60 "$OLIGO" ingest --source slow3 --source a >"$T/out1" 2>"$T/err1" &
first=$!
i=0; while [ ! -e "$OLIGO_DB.lock" ] && [ $i -lt 10 ]; do sleep 0.1; i=$((i+1)); done
sleep 0.5
t0=$(now_ms)
expect_exit 75 "overlapping run exits 75" timeout 30 "$OLIGO" ingest --source a
ms=$(($(now_ms) - t0))
[ $ms -lt 1000 ] && pass "... at once (${ms} ms)" || fail "... at once (${ms} ms)"
[ "$(wc -l <"$T/err")" -le 1 ] && pass "... with at most one line" || fail "... with at most one line"
grep -q "slow3" "$T/err" && fail "... and fetches nothing" || pass "... and fetches nothing"
wait $first
rc=$?
[ $rc -eq 75 ] && [ "$(wc -l <"$T/err1")" -eq 1 ] && grep -q "^oligo: ingest: slow3: " "$T/err1" &&
	pass "the lock holder ran to its end (one line about slow3)" ||
	{ fail "the lock holder ran to its end (exit $rc)"; cat "$T/err1"; }
[ "$(items a)" = 20 ] && pass "its items are there" || fail "its items are there"
# three at once: exactly one runs
for k in 1 2 3; do
	timeout 60 "$OLIGO" ingest --source slow3 >/dev/null 2>"$T/e$k" &
	eval "p$k=\$!"
done
ran=0 busy=0
for k in 1 2 3; do
	eval "wait \$p$k"
	rc=$?
	if grep -q "ingest: slow3: " "$T/e$k"; then ran=$((ran + 1))
	elif [ $rc -eq 75 ]; then busy=$((busy + 1))
	fi
done
[ $ran -eq 1 ] && [ $busy -eq 2 ] && pass "three at once: one runs, two exit 75" ||
	fail "three at once: $ran ran, $busy exited 75"

# ---- env -i: cron's bare environment.  HOME elsewhere, no XDG, no LANG;
# the paths come from HOME, UTF-8 survives the C locale
H=$T/home
mkdir -p "$H"
cr() { timeout 60 env -i PATH=/usr/bin:/bin HOME="$H" "$OLIGO" "$@"; }
expect_exit 0 "env -i: init" cr init --quiet
expect_exit 0 "env -i: sources add" cr sources add b "$U/b.xml"
expect_exit 0 "env -i: ingest" cr ingest --source b
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] && pass "env -i: silent on success" ||
	{ fail "env -i: silent on success"; cat "$T/err"; }
db=$H/.local/share/oligo/oligo.db
[ -f "$db" ] && pass "env -i: database under HOME/.local/share/oligo" ||
	fail "env -i: database under HOME/.local/share/oligo"
[ -f "$H/.config/oligo/config" ] && pass "env -i: config under HOME/.config/oligo" ||
	fail "env -i: config under HOME/.config/oligo"
[ "$(timeout 20 sqlite3 "$db" "SELECT count(*) FROM item WHERE title LIKE '%café — 中文'")" = 30 ] &&
	pass "env -i: UTF-8 titles stored intact without LANG" ||
	fail "env -i: UTF-8 titles stored intact without LANG"
expect_exit 0 "env -i: export" cr export news
grep -q 'b 1 café — 中文' "$T/out" && pass "env -i: export keeps UTF-8" || fail "env -i: export keeps UTF-8"
expect_exit 0 "env -i: second ingest" cr ingest --source b
[ ! -s "$T/err" ] && pass "env -i: second run silent" || fail "env -i: second run silent"
mkdir "$T/nohome"
expect_exit 0 "env -i with no HOME at all but --db" timeout 60 env -i PATH=/usr/bin:/bin \
	"$OLIGO" --db "$T/nohome/x.db" init --quiet

# ---- an exceeded deadline: deadline = 1 s, a source that needs 100 s
printf 'deadline = 1\n' >>"$XDG_CONFIG_HOME/oligo/config"
t0=$(now_ms)
expect_exit 75 "deadline exceeded: exit 75" timeout 60 "$OLIGO" ingest --source b --source slow --source c
ms=$(($(now_ms) - t0))
[ $ms -lt 5000 ] && pass "deadline 1 s: the run ends in time (${ms} ms)" ||
	fail "deadline 1 s: the run ends in time (${ms} ms)"
expect_grep "^oligo: ingest: slow: " "$T/err" "deadline: the slow source named"
[ "$(wc -l <"$T/err")" -eq 1 ] && pass "deadline: one line" || { fail "deadline: one line"; cat "$T/err"; }
[ "$(items b)" = 30 ] && [ "$(items c)" = 40 ] && pass "deadline: the fast sources committed" ||
	fail "deadline: the fast sources committed (b $(items b), c $(items c))"
[ "$(items slow)" = 0 ] && pass "deadline: nothing from the slow source" || fail "deadline: nothing from the slow source"
"$OLIGO" sources >"$T/src"
grep -q "^slow " "$T/src" && pass "deadline: sources lists the slow one" || fail "deadline: sources lists the slow one"
sed -i '/^deadline = 1$/d' "$XDG_CONFIG_HOME/oligo/config"

# ---- a parser child that crashes.  The child pauses before its commit
# (OLIGO_TEST_PAUSE); the test then sends it SIGSEGV (a crash) or SIGXCPU
# (what RLIMIT_CPU sends).  The /etag source answers 304 and needs no child.
expect_exit 0 "e: first fetch stores the ETag" timeout 60 "$OLIGO" ingest --source e
feed a.xml a 25
feed b.xml b 35
# (ASan would catch the SEGV itself and exit 1: let it through, as in a
# normal build)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0 \
	OLIGO_TEST_PAUSE=before-commit setsid "$OLIGO" ingest --source a --source b --source e \
	>"$T/out" 2>"$T/err" &
pid=$!
crash_child() { # crash_child SIGNAL: wait for the next pause, signal that child
	i=0
	while [ $i -lt 200 ]; do
		child=$(pgrep -P $pid 2>/dev/null | head -n 1)
		[ -n "$child" ] && [ "$(grep -c 'paused at' "$T/err")" -ge "$1" ] && break
		sleep 0.05
		i=$((i + 1))
	done
	[ -n "$child" ] && kill -s "$2" "$child"
}
crash_child 1 SEGV
crash_child 2 XCPU
i=0; while kill -0 $pid 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
if kill -0 $pid 2>/dev/null; then
	fail "crashing children: the run ends"
	kill -9 -$pid 2>/dev/null
fi
wait $pid
rc=$?
[ $rc -eq 75 ] && pass "crashing children: exit 75" || fail "crashing children: exit $rc"
expect_grep "^oligo: ingest: a: parser stopped by signal 11" "$T/err" "SIGSEGV: one line naming the source"
expect_grep "^oligo: ingest: b: parser stopped by signal 24 (CPU limit)" "$T/err" "SIGXCPU: says CPU limit"
[ "$(grep -vc 'paused at' "$T/err")" -eq 2 ] && pass "crashing children: one line each" ||
	{ fail "crashing children: one line each"; cat "$T/err"; }
[ "$(items a)" = 20 ] && [ "$(items b)" = 30 ] && pass "crashing children: the sources keep their state" ||
	fail "crashing children: the sources keep their state (a $(items a), b $(items b))"
[ "$(q "SELECT failures > 0 FROM source WHERE name = 'a'")" = 1 ] &&
	pass "crashing children: the failure is recorded" || fail "crashing children: the failure is recorded"
[ "$(q "SELECT count(*) FROM run r JOIN source s ON s.id = r.source_id WHERE s.name = 'e'")" -ge 1 ] &&
	pass "crashing children: the run went on to the next source" || fail "crashing children: the run went on"
[ "$(q 'PRAGMA integrity_check')" = ok ] && pass "crashing children: integrity_check ok" ||
	fail "crashing children: integrity_check ok"
expect_exit 0 "the next run completes" timeout 60 "$OLIGO" ingest --source a --source b --source e
[ "$(items a)" = 25 ] && [ "$(items b)" = 35 ] && pass "the next run brings the new items" ||
	fail "the next run brings the new items (a $(items a), b $(items b))"

kill $SERVER_PID 2>/dev/null
finish
