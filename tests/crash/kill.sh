#!/bin/sh
# Crash consistency: `oligo ingest` killed with SIGKILL (its whole process
# group: the parent and the parser child) at the named pause points
# (before-commit, in-commit, after-commit) and at random moments, over
# several sources served by the loopback fixture server.  After each kill:
#   - PRAGMA integrity_check = ok, no foreign-key violations;
#   - each source is all-old or all-new: its item count is the count
#     before the run or the count the feed brings, and at the pause points
#     exactly the one the point implies;
#   - validators and the run record never ahead of items: the items of a
#     source add up to the items_new of its committed runs, an ETag is
#     stored only together with a committed run;
#   - no item twice (count = count of distinct guids);
#   - the next run, not killed, exits 0 and completes the work.
# Every round the feeds move on (a sliding window of W items, STEP new
# ones), as real feeds do: items that leave a feed must stay.
#
# CRASH_KILLS (default 40) sets the number of kills; CRASH_KILLS=200 is
# the full run.  Nothing leaves 127.0.0.1.
. tests/lib.sh
# a private copy: others may relink ./oligo while this runs
cp "$OLIGO" "$T/oligo" && OLIGO=$T/oligo || exit 1
SERVER=${BUILD:-build/rel}/tests/fixture_server
KILLS=${CRASH_KILLS:-40}
W=${CRASH_ITEMS:-2000}
STEP=25
command -v setsid >/dev/null || { echo "setsid missing"; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }

mkdir -p "$T/www"
q() { timeout 20 sqlite3 "$OLIGO_DB" "$@"; }

# make_feeds G: generation G of the three feeds (a: RSS 2.0, b: Atom,
# c: RSS 1.0/RDF); items G*STEP+1 .. G*STEP+W, written atomically
make_feeds() {
	awk -v g="$1" -v w="$W" -v step="$STEP" -v dir="$T/www" 'BEGIN {
		lo = g * step + 1; hi = g * step + w
		f = dir "/a.xml.tmp"
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" > f
		print "<rss version=\"2.0\"><channel><title>A</title><link>http://example.org/a</link>" > f
		for (i = hi; i >= lo; i--)
			printf "<item><title>A %d %s</title><link>http://example.org/a/%d</link><guid>a-%d</guid><pubDate>Tue, 25 Nov 2025 10:%02d:%02d GMT</pubDate><description>Item &lt;b&gt;%d&lt;/b&gt; of feed A</description></item>\n", i, (i % 7 ? "news" : "Microsoft and OpenAI"), i, i, (i / 60) % 60, i % 60, i > f
		print "</channel></rss>" > f
		close(f)
		f = dir "/b.xml.tmp"
		print "<?xml version=\"1.0\" encoding=\"utf-8\"?>" > f
		print "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>B</title><id>urn:b</id><updated>2025-11-25T10:00:00Z</updated>" > f
		for (i = hi; i >= lo; i--)
			printf "<entry><title>B %d %s</title><link href=\"http://example.org/b/%d\"/><id>urn:b:%d</id><updated>2025-11-2%dT10:00:%02dZ</updated><summary>Entry %d</summary></entry>\n", i, (i % 5 ? "report" : "Google DeepMind"), i, i, i % 5, i % 60, i > f
		print "</feed>" > f
		close(f)
		f = dir "/c.xml.tmp"
		print "<?xml version=\"1.0\"?>" > f
		print "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel rdf:about=\"http://example.org/c\"><title>C</title><link>http://example.org/c</link></channel>" > f
		for (i = hi; i >= lo; i--)
			printf "<item rdf:about=\"http://example.org/c/%d\"><title>C %d %s</title><link>http://example.org/c/%d</link><dc:date>2025-11-20T12:%02d:00Z</dc:date></item>\n", i, i, (i % 3 ? "filing" : "Amazon Anthropic"), i, i % 60 > f
		print "</rdf:RDF>" > f
		close(f)
	}' || return 1
	for f in a b c; do mv "$T/www/$f.xml.tmp" "$T/www/$f.xml"; done
}

# expected count of a feed source after generation G has been ingested
want() { echo $(($1 * STEP + W)); }

# state: one line per source "name count distinct sum_new etag runs"
state() {
	q "SELECT s.name, (SELECT count(*) FROM item i WHERE i.source_id = s.id),
		(SELECT count(DISTINCT guid) FROM item i WHERE i.source_id = s.id),
		(SELECT coalesce(sum(items_new), 0) FROM run r
			WHERE r.source_id = s.id AND r.outcome = 'ok'),
		coalesce(s.etag, '-'),
		(SELECT count(*) FROM run r WHERE r.source_id = s.id AND r.outcome = 'ok')
		FROM source s WHERE s.name IN ('a', 'b', 'c', 'e') ORDER BY s.name" |
		tr '|' ' '
}

count_of() { awk -v n="$2" '$1 == n { print $2 }' "$1"; }

"$SERVER" -d "$T/www" -t $((KILLS * 8 + 300)) >"$T/port" 2>/dev/null &
SERVER_PID=$!
i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
P=$(head -n 1 "$T/port")
[ -n "$P" ] || { echo "fixture server did not start"; exit 1; }
U=http://127.0.0.1:$P

"$OLIGO" init --quiet || exit 1
for s in "a $U/a.xml" "b $U/b.xml" "c $U/c.xml" "e $U/etag"; do
	set -- $s
	"$OLIGO" sources add "$1" "$2" >/dev/null || { fail "sources add $1"; finish; }
done

# generation 0, a full run: the time one run takes bounds the random kills
gen=0
make_feeds $gen
t0=$(date +%s%N)
timeout 120 "$OLIGO" ingest --source a --source b --source c --source e 2>"$T/err0"
rc=$?
dur_ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc -eq 0 ] && pass "first full run ($((3 * W)) items, ${dur_ms} ms)" ||
	{ fail "first full run (exit $rc)"; cat "$T/err0"; finish; }

late=0 kills=0 round=0 bad=0 paused_miss=0 random_kills=0 point_kills=0
points="before-commit in-commit after-commit"
while [ $kills -lt "$KILLS" ] && [ $round -lt $((KILLS * 2)) ]; do
	round=$((round + 1))
	gen=$((gen + 1))
	make_feeds $gen
	state >"$T/before"
	new=$(want $gen)
	# who goes first: rotates over the three item feeds; e (/etag) last
	case $((round % 3)) in
	0) order="a b c" ;; 1) order="b c a" ;; 2) order="c a b" ;;
	esac
	first=${order%% *}
	args=
	for s in $order e; do args="$args --source $s"; done
	# cycle: the three pause points, then three random moments
	k=$((round % 6))
	if [ $k -lt 3 ]; then
		point=$(echo $points | cut -d' ' -f$((k + 1)))
	else
		point=random
	fi
	: >"$T/kerr"
	if [ "$point" = random ]; then
		# a moment inside the run (0 .. its duration)
		ms=$(awk -v s="$round" -v d="$dur_ms" 'BEGIN { srand(s * 7919 + d); printf "%d", rand() * d }')
		setsid "$OLIGO" ingest $args >/dev/null 2>"$T/kerr" &
		pid=$!
		sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
		random_kills=$((random_kills + 1))
	else
		OLIGO_TEST_PAUSE=$point setsid "$OLIGO" ingest $args >/dev/null 2>"$T/kerr" &
		pid=$!
		i=0
		while ! grep -q "paused at $point" "$T/kerr" && [ $i -lt 300 ] &&
			kill -0 $pid 2>/dev/null; do
			sleep 0.05
			i=$((i + 1))
		done
		grep -q "paused at $point" "$T/kerr" || {
			paused_miss=$((paused_miss + 1))
			fail "round $round: never paused at $point"
			sed 's/^/    /' "$T/kerr" | head -n 5
		}
		point_kills=$((point_kills + 1))
	fi
	if kill -0 $pid 2>/dev/null; then
		kill -9 -$pid 2>/dev/null
		kills=$((kills + 1))
	else
		late=$((late + 1)) # the run had ended: checked, not counted
		[ "$point" = random ] && random_kills=$((random_kills - 1))
	fi
	wait $pid 2>/dev/null

	# --- checks after the kill ---
	ic=$(q "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || { fail "round $round ($point): integrity_check: $ic"; bad=$((bad + 1)); }
	fk=$(q "PRAGMA foreign_key_check" 2>&1)
	[ -z "$fk" ] || { fail "round $round ($point): foreign_key_check: $fk"; bad=$((bad + 1)); }
	state >"$T/after"
	for s in a b c; do
		old=$(count_of "$T/before" $s)
		got=$(count_of "$T/after" $s)
		line=$(awk -v n=$s '$1 == n' "$T/after")
		set -- $line
		if [ "$got" != "$old" ] && [ "$got" != "$new" ]; then
			fail "round $round ($point): source $s partial: $got items (old $old, new $new)"
			bad=$((bad + 1))
		fi
		if [ "$2" != "$3" ]; then
			fail "round $round ($point): source $s duplicates ($2 rows, $3 guids)"
			bad=$((bad + 1))
		fi
		if [ "$2" != "$4" ]; then
			fail "round $round ($point): source $s items ($2) != committed runs' items_new ($4)"
			bad=$((bad + 1))
		fi
		# the pause points say exactly which state the first source is in
		if [ "$point" != random ] && [ "$s" = "$first" ]; then
			case $point in after-commit) exp=$new ;; *) exp=$old ;; esac
			[ "$got" = "$exp" ] || {
				fail "round $round: killed at $point, source $s has $got items, wanted $exp"
				bad=$((bad + 1))
			}
		elif [ "$point" != random ] && [ "$got" != "$old" ]; then
			fail "round $round: killed at $point in $first, yet $s changed"
			bad=$((bad + 1))
		fi
	done
	set -- $(awk '$1 == "e"' "$T/after")
	if { [ "$5" != "-" ] && [ "$6" -eq 0 ]; } || { [ "$5" = "-" ] && [ "$6" -ne 0 ]; }; then
		fail "round $round ($point): source e validators out of step (etag $5, $6 runs)"
		bad=$((bad + 1))
	fi

	# --- the next run completes the work ---
	t0=$(date +%s%N)
	timeout 120 "$OLIGO" ingest $args >"$T/out" 2>"$T/err"
	rc=$?
	# random kills aim inside a run like this one
	dur_ms=$((($(date +%s%N) - t0) / 1000000))
	if [ $rc -ne 0 ]; then
		fail "round $round ($point): next run exit $rc"
		sed 's/^/    /' "$T/err" | head -n 5
		bad=$((bad + 1))
	fi
	state >"$T/done"
	for s in a b c; do
		set -- $(awk -v n=$s '$1 == n' "$T/done")
		[ "$2" = "$new" ] && [ "$3" = "$new" ] && [ "$4" = "$new" ] || {
			fail "round $round ($point): after the next run $s has $2 items/$3 guids/$4 new, wanted $new"
			bad=$((bad + 1))
		}
	done
	set -- $(awk '$1 == "e"' "$T/done")
	[ "$5" = '"v1"' ] || { fail "round $round: etag of e is $5 after a full run"; bad=$((bad + 1)); }
	[ $bad -gt 10 ] && { echo "too many failures, stopping"; break; }
done

[ $bad -eq 0 ] && pass "$kills kills survived ($point_kills at pause points, $random_kills at random moments)" ||
	fail "$kills kills: $bad problems"
[ "$(q 'PRAGMA integrity_check')" = ok ] && pass "integrity_check ok at the end" ||
	fail "integrity_check at the end"
total=$(q "SELECT count(*) FROM item i JOIN source s ON s.id = i.source_id WHERE s.name IN ('a','b','c')")
[ "$total" = $((3 * $(want $gen))) ] && pass "nothing lost: $total items over $gen generations" ||
	fail "nothing lost: $total items, wanted $((3 * $(want $gen)))"
echo "# crash: kills=$kills point=$point_kills random=$random_kills late=$late rounds=$round items=$total"
kill $SERVER_PID 2>/dev/null
finish
