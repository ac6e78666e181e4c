#!/bin/sh
# Ingest benchmarks (issue 3), all over loopback to the project's own
# fixture server:
#   1. a generated 50,000-item RSS 2.0 feed (~35 MB): items/s, and the
#      ratio of oligo's time to a floor measured in the same run (libxml2
#      reader parse + SQLite insert with FTS5 of the same bytes); target
#      <= 1.5.  newsboat, when installed, is timed on the same feed
#      (its own reload, empty cache, private HOME) and counted only if
#      it stored all 50,000 items; newsboat / floor (the floor indexing
#      in one statement) is printed too, the most any ingester that
#      builds the FTS index could reach.
#   2. 1,000 small feeds from one host: oligo's time against one curl
#      process fetching all 1,000 over a reused connection; target <= 2.
set -u
BUILD=${BUILD:-build/rel}
OLIGO=${OLIGO_BIN:-./oligo}
case $OLIGO in /*) ;; *) OLIGO=$PWD/$OLIGO ;; esac
T=$(mktemp -d /tmp/oligo-bench.XXXXXX)
trap 'kill $SERVER_PID 2>/dev/null; rm -rf "$T"' EXIT
export XDG_CONFIG_HOME=$T/config OLIGO_DB=$T/oligo.db

now() { date +%s.%N; }
best_of_3() { # command...; prints the best wall time in seconds
	best=
	for i in 1 2 3; do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}
verdict() { [ "$(echo "$1" | bc -l)" = 1 ] && echo ok || echo MISS; }

mkdir -p "$T/www/small"
python3 - "$T/www" <<'PY'
import sys, random
random.seed(7)
words = "antitrust cloud merger partnership compute chips model regulator inquiry stake investment market share alliance review".split()
names = ["Amazon", "Anthropic", "Microsoft", "OpenAI", "Google", "Nvidia", "AWS", "Claude", "Azure", "Gemini"]
out = open(sys.argv[1] + "/big.xml", "w")
out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>bench</title><link>http://127.0.0.1/</link>\n')
for i in range(50000):
    t = " ".join(random.choice(words) for _ in range(8)) + " " + random.choice(names)
    d = " ".join(random.choice(words + names) for _ in range(90))
    out.write("<item><title>%s %d</title><link>http://127.0.0.1/item/%d</link><guid>urn:bench:%d</guid>"
              "<pubDate>Tue, 25 Nov 2025 10:%02d:%02d GMT</pubDate><description>%s</description></item>\n"
              % (t, i, i, i, (i // 60) % 60, i % 60, d))
out.write("</channel></rss>\n")
for i in range(1000):
    open("%s/small/f%d.xml" % (sys.argv[1], i), "w").write(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>f%d</title>'
        '<item><title>Item %d about Amazon</title><link>http://127.0.0.1/s/%d</link><guid>s%d</guid></item>'
        '</channel></rss>' % (i, i, i, i))
PY
"$BUILD/tests/fixture_server" -d "$T/www" -t 600 >"$T/port" 2>/dev/null &
SERVER_PID=$!
i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
P=$(head -n 1 "$T/port")
mb=$(du -m "$T/www/big.xml" | cut -f1)
echo "feed: 50000 items, ${mb} MB, served on 127.0.0.1:$P"

"$OLIGO" init --quiet
"$OLIGO" sources add big "http://127.0.0.1:$P/big.xml" >/dev/null
fresh_ingest() { rm -f "$OLIGO_DB"*; "$OLIGO" init --quiet && "$OLIGO" ingest --source big; }
# init is part of neither side: time it alone and subtract it
t_init=$(best_of_3 sh -c "rm -f '$OLIGO_DB'*; '$OLIGO' init --quiet")
t_all=$(best_of_3 fresh_ingest)
t_oligo=$(echo "$t_all - $t_init" | bc -l)
floor=$("$BUILD/bench/tool_ingest_floor" "$T/www/big.xml" "$T/floor.db" | cut -d' ' -f1)
fetch=$(best_of_3 curl -s -o /dev/null "http://127.0.0.1:$P/big.xml")
floor=$(echo "$floor + $fetch" | bc -l)
bulk=$("$BUILD/bench/tool_ingest_floor" "$T/www/big.xml" "$T/floor.db" bulk | cut -d' ' -f1)
bulk=$(echo "$bulk + $fetch" | bc -l)
items=$(sqlite3 "$OLIGO_DB" 'SELECT count(*) FROM item')
ratio=$(echo "$t_oligo / $floor" | bc -l)
printf 'ingest 50k items: oligo %.3f s (%s items stored), floor %.3f s (fetch %.3f s + parse/insert)\n' \
	"$t_oligo" "$items" "$floor" "$fetch"
# the issue's floor indexes by trigger, row by row; oligo indexes a
# commit's items in one statement, and so can a floor: the stricter one
printf 'floor indexing in one statement: %.3f s; oligo / that floor = %.2f\n' \
	"$bulk" "$(echo "$t_oligo / $bulk" | bc -l)"
printf 'ingest_50k_items_per_s  %.0f items/s  %.2f  <=1.50  %s\n' \
	"$(echo "50000 / $t_oligo" | bc -l)" "$ratio" "$(verdict "$ratio <= 1.5")"
if command -v newsboat >/dev/null 2>&1; then
	# newsboat's own reload, from an empty cache like oligo's run, with
	# a private HOME so no user configuration changes what it does
	echo "http://127.0.0.1:$P/big.xml" >"$T/urls"
	mkdir -p "$T/nbhome"
	t_nb=$(best_of_3 env HOME="$T/nbhome" sh -c "rm -f '$T/nb.db'; newsboat -u '$T/urls' -c '$T/nb.db' -x reload")
	nb_items=$(sqlite3 "$T/nb.db" 'SELECT count(*) FROM rss_item' 2>/dev/null)
	r=$(echo "$t_nb / $t_oligo" | bc -l)
	# no ingester that builds the FTS index can beat the floor: the
	# most its ratio to newsboat can be
	printf 'newsboat %s, %s items stored; newsboat / floor = %.1f\n' \
		"$(newsboat -v 2>/dev/null | head -n 1 | cut -d' ' -f2)" \
		"${nb_items:-0}" "$(echo "$t_nb / $bulk" | bc -l)"
	if [ "${nb_items:-0}" -ne 50000 ]; then
		printf 'ingest_vs_newsboat  - s  -  >=20  skip\n' # it failed
	else
		printf 'ingest_vs_newsboat  %.3f s  %.1f  >=20  %s\n' "$t_nb" \
			"$r" "$(verdict "$r >= 20")"
	fi
else
	printf 'ingest_vs_newsboat  - s  -  >=20  skip\n'
fi

# 1,000 small feeds from one host
args=
: >"$T/curl.cfg"
for i in $(seq 0 999); do
	echo "source s$i http://127.0.0.1:$P/small/f$i.xml feed" >>"$XDG_CONFIG_HOME/oligo/config"
	args="$args --source s$i"
	printf 'url = "http://127.0.0.1:%s/small/f%d.xml"\noutput = "/dev/null"\n' "$P" "$i" >>"$T/curl.cfg"
done
many() { rm -f "$OLIGO_DB"*; "$OLIGO" init --quiet && "$OLIGO" ingest $args; }
t_many=$(best_of_3 many)
t_many=$(echo "$t_many - $t_init" | bc -l)
t_curl=$(best_of_3 curl -s --config "$T/curl.cfg")
r=$(echo "$t_many / $t_curl" | bc -l)
printf '1000 feeds: oligo %.3f s, one curl process %.3f s\n' "$t_many" "$t_curl"
printf 'ingest_1000_feeds_s  %.3f s  %.2f  <=2.00  %s\n' "$t_many" "$r" "$(verdict "$r <= 2")"
