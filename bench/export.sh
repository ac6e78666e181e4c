#!/bin/sh
# Export benchmark (issue 7): 1,000,000 news rows.
#   1. rows/s of `oligo export news` against the sqlite3 shell's -csv
#      output of the very same query (`oligo export news --sql`) on the
#      same database in the same run; target ratio >= 0.8 (oligo's speed
#      over the shell's).
#   2. peak RSS of the 1M-row export against a 100k-row one: constant
#      memory means the ratio stays near 1 (target <= 1.5).
# The database is built with sqlite3 inserts, not oligo ingest: a
# recursive CTE into item (FTS trigger dropped: search is not timed) and
# item_entity for every third item.
set -u
OLIGO=${OLIGO_BIN:-./oligo}
case $OLIGO in /*) ;; *) OLIGO=$PWD/$OLIGO ;; esac
ROWS=${EXPORT_ROWS:-1000000}
T=$(mktemp -d /tmp/oligo-bench-export.XXXXXX)
trap 'rm -rf "$T"' EXIT
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

if ! command -v sqlite3 >/dev/null || ! command -v bc >/dev/null; then
	printf 'export_news_rows_per_s  - rows/s  -  >=0.80  skip\n'
	exit 0
fi
"$OLIGO" init --quiet || exit 1
t0=$(now)
sqlite3 "$OLIGO_DB" >/dev/null <<SQL || exit 1
PRAGMA synchronous = OFF;
DROP TRIGGER item_ai;
INSERT INTO source(name, kind, url) VALUES ('bench', 'rss', 'http://127.0.0.1/');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
INSERT INTO item(id, source_id, guid, title, link, published, fetched)
 SELECT i, (SELECT id FROM source WHERE name = 'bench'), 'urn:bench:' || i,
  'Regulators weigh the cloud, chips and model partnership, item ' || i
   || CASE i % 7 WHEN 0 THEN ', "quoted", with comma' ELSE '' END,
  'https://news.example.com/2025/' || i,
  strftime('%Y-%m-%dT%H:%M:%SZ', 1700000000 + i * 37, 'unixepoch'),
  '2025-11-25T00:00:00Z'
 FROM n;
INSERT INTO item_entity(item_id, entity_id)
 SELECT i.id, (SELECT min(id) FROM entity) + i.id % 5
 FROM item i WHERE i.id % 3 = 0;
SQL
sqlite3 "$OLIGO_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
t1=$(now)
printf 'export: %s news rows built in %.1f s\n' "$ROWS" "$(echo "$t1 - $t0" | bc -l)"

"$OLIGO" export news --sql >"$T/q.sql" || exit 1
# check both sides write the same rows before timing them
n_oligo=$("$OLIGO" export news | python3 -c "
import csv,sys; print(sum(1 for _ in csv.reader(sys.stdin)) - 1)" 2>/dev/null)
t_oligo=$(best_of_3 "$OLIGO" export news)
t_sqlite=$(best_of_3 sh -c "sqlite3 -csv -header '$OLIGO_DB' <'$T/q.sql'")
ratio=$(echo "$t_sqlite / $t_oligo" | bc -l)
printf 'export news: oligo %.3f s (%s rows), sqlite3 -csv %.3f s\n' \
	"$t_oligo" "$n_oligo" "$t_sqlite"
printf 'export_news_rows_per_s  %.0f rows/s  %.2f  >=0.80  %s\n' \
	"$(echo "$ROWS / $t_oligo" | bc -l)" "$ratio" "$(verdict "$ratio >= 0.8")"

# peak RSS: all rows against the last tenth (by date)
if [ -x /usr/bin/time ]; then
	since=$(sqlite3 "$OLIGO_DB" "SELECT published FROM item ORDER BY published
		LIMIT 1 OFFSET $((ROWS * 9 / 10))")
	rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null |
		awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}'; }
	big=$(rss "$OLIGO" export news)
	small=$(rss "$OLIGO" export news --since "$since")
	r=$(echo "$big / $small" | bc -l)
	printf 'export news peak RSS: %s KiB for %s rows, %s KiB for a tenth\n' \
		"$big" "$ROWS" "$small"
	printf 'export_news_peak_rss  %.1f MiB  %.2f  <=1.50  %s\n' \
		"$(echo "$big / 1024" | bc -l)" "$r" "$(verdict "$r <= 1.5")"
else
	printf 'export_news_peak_rss  - MiB  -  <=1.50  skip\n'
fi
