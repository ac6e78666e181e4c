#!/bin/sh
# oligo import epoch-chip-owners|epoch-gpu-clusters|epoch-models on the
# synthetic fixtures in tests/data/epoch: mapping, sums, notes, bad input,
# idempotence.
. tests/lib.sh
D=tests/data/epoch
q() { sqlite3 "$OLIGO_DB" "$1"; }
check() { [ "$2" = "$3" ] && pass "$1" || fail "$1 (got '$2', wanted '$3')"; }
h100e() { # ORIGIN OWNER PERIOD
	q "SELECT c.h100e FROM compute c JOIN entity e ON e.id = c.owner_id
	   WHERE c.origin = '$1' AND e.name = '$2' AND c.period = '$3'"
}
snap() { q "SELECT * FROM compute ORDER BY id; SELECT * FROM epoch_model ORDER BY 1" | md5sum; }

expect_exit 0 "init" "$OLIGO" init --quiet
expect_exit 0 "chip owners" "$OLIGO" import epoch-chip-owners "$D/chip_owners.csv"
check "two chip rows of one owner and quarter summed" \
	"$(h100e epoch-chip-owners Microsoft 2025Q3)" 1500.0
check "owner through an alias" "$(h100e epoch-chip-owners Alphabet 2025Q3)" 2000.0
check "YYYY-MM date gives its quarter" "$(h100e epoch-chip-owners Amazon 2025Q2)" 600.0
check "quarter label" "$(h100e epoch-chip-owners Amazon 2025Q3)" 700.0
check "as_of is the quarter end" \
	"$(q "SELECT DISTINCT as_of FROM compute WHERE period = '2025Q2' AND origin = 'epoch-chip-owners'")" \
	2025-06-30
expect_grep "'Synthetic Other Owner' matches no entity or alias: 2 rows left out" \
	"$T/err" "unknown owner reported"
check "unknown owner reported once" \
	"$(grep -c "Synthetic Other Owner" "$T/err")" 1
check "unknown owner not created" \
	"$(q "SELECT count(*) FROM entity WHERE name LIKE 'Synthetic%'")" 0
expect_grep "1 row without H100e left out" "$T/err" "empty H100e reported"
check "source names Epoch and the licence" \
	"$(q "SELECT count(*) FROM compute WHERE origin = 'epoch-chip-owners' AND source LIKE 'Epoch AI, AI Chip Owners (CC BY 4.0%'")" 4

expect_exit 0 "GPU clusters" "$OLIGO" import epoch-gpu-clusters "$D/gpu_clusters.csv"
check "clusters cumulate by quarter (Q1)" "$(h100e epoch-gpu-clusters Microsoft 2025Q1)" 100.0
check "clusters cumulate by quarter (Q2, carried)" "$(h100e epoch-gpu-clusters Microsoft 2025Q2)" 100.0
check "clusters cumulate by quarter (Q3)" "$(h100e epoch-gpu-clusters Microsoft 2025Q3)" 400.0
check "date with a time" "$(h100e epoch-gpu-clusters Meta 2025Q3)" 50.0
expect_grep "1 cluster not 'Existing'" "$T/err" "planned cluster reported"
expect_grep "without a first operational date" "$T/err" "undated cluster reported"
expect_grep "'Synthetic Lab Z' matches no entity" "$T/err" "unknown cluster owner reported"
# 2000, 1500 (not the clusters' 400), 700, 50: HHI 3733 points
check "chip owners' total preferred over known clusters" \
	"$("$OLIGO" analyze --market ai_compute --period 2025Q3 --format csv |
	   awk -F, 'NR == 2 { printf "%.0f", $4 }')" 3733

expect_exit 0 "models" "$OLIGO" import epoch-models "$D/models.csv"
check "models stored" "$(q "SELECT count(*) FROM epoch_model")" 3
check "organization list maps through its first part" \
	"$(q "SELECT e.name FROM epoch_model m JOIN entity e ON e.id = m.entity_id WHERE m.name = 'Synthetic Model B'")" \
	"Google DeepMind"
check "unknown organization kept without entity" \
	"$(q "SELECT entity_id IS NULL FROM epoch_model WHERE name = 'Synthetic Model C'")" 1
expect_grep "'Synthetic University' matches no entity" "$T/err" "unknown organization reported"

before=$(snap)
for k in chip-owners:chip_owners gpu-clusters:gpu_clusters models:models; do
	expect_exit 0 "again: ${k%%:*}" "$OLIGO" import "epoch-${k%%:*}" "$D/${k#*:}.csv"
done
check "importing twice changes nothing" "$(snap)" "$before"

# bad input: file:line, exit 65, nothing kept
bad() { # NAME KIND FILE SED-EXPR PATTERN
	cp "$D/$3" "$T/$3" && sed -i "$4" "$T/$3"
	expect_exit 65 "$1" "$OLIGO" import "$2" "$T/$3"
	expect_grep "$5" "$T/err" "$1: message"
	check "$1: nothing changed" "$(snap)" "$before"
}
bad "renamed column" epoch-chip-owners chip_owners.csv '1s/H100e/Compute/' \
	"chip_owners.csv:1: missing column 'Compute estimate in H100e (median)' (or 'H100e compute power (median)', .*'H100e'"
bad "unit in a number" epoch-chip-owners chip_owners.csv '4s/,500,/,500k,/' \
	"chip_owners.csv:4: H100e is not a plain number"
bad "negative number" epoch-chip-owners chip_owners.csv '7s/,700,/,-700,/' \
	"chip_owners.csv:7: H100e"
bad "bad date" epoch-chip-owners chip_owners.csv '5s/2025Q3/30.09.2025/' \
	"chip_owners.csv:5: not a date"
bad "duplicate row" epoch-chip-owners chip_owners.csv '4s/AMD/Nvidia/' \
	"chip_owners.csv:4: duplicate row"
bad "duplicate cluster" epoch-gpu-clusters gpu_clusters.csv '4s/Cluster B/Cluster A/' \
	"gpu_clusters.csv:4: duplicate row"
bad "non-numeric FLOP" epoch-models models.csv '2s/1.0e24/about 1e24/' \
	"models.csv:2: training compute"
bad "duplicate model" epoch-models models.csv '3s/Model B/Model A/' \
	"models.csv:3: duplicate row"
bad "last row after the change cut" epoch-models models.csv '4s/,Confident$/,"Confident/' \
	"models.csv:4"
printf 'Owner,Date,H100e\nMicrosoft,2025-09-30,1\377\n' >"$T/utf8.csv"
expect_exit 65 "invalid UTF-8" "$OLIGO" import epoch-chip-owners "$T/utf8.csv"
expect_grep "utf8.csv:2" "$T/err" "invalid UTF-8 names file:line"
printf 'Owner,Date,H100e\nMicro\000soft,2025-09-30,1\n' >"$T/nul.csv"
expect_exit 65 "NUL byte" "$OLIGO" import epoch-chip-owners "$T/nul.csv"
printf 'Owner,Date,H100e\n' >"$T/empty.csv"
expect_exit 65 "header only" "$OLIGO" import epoch-chip-owners "$T/empty.csv"
expect_grep "no data rows" "$T/err" "header only: says why"
check "bad files kept the old rows" "$(snap)" "$before"
expect_exit 66 "a URL of another scheme is a missing file, not fetched" \
	"$OLIGO" import epoch-models ftp://127.0.0.1/x.csv
expect_exit 66 "missing file" "$OLIGO" import epoch-models "$T/nope.csv"

# Epoch's own header (cumulative_by_designer.csv; the numbers are made up)
cat >"$T/by_designer.csv" <<'CSV'
Name,Chip manufacturer,Owner,Start date,End date,Compute estimate in H100e (median),H100e (5th percentile),H100e (95th percentile),Incomplete
Synthetic row 1,Nvidia,Oracle,2022-01-01,2025-06-30,300,250,350,
Synthetic row 2,AMD,Oracle,2022-01-01,2025-06-30,20,15,25,
Synthetic row 3,Nvidia,Oracle,2022-01-01,2025-09-30,400,350,450,
CSV
expect_exit 0 "Epoch's published header" "$OLIGO" import epoch-chip-owners "$T/by_designer.csv"
check "End date and the median H100e, summed over manufacturers" \
	"$(h100e epoch-chip-owners Oracle 2025Q2)" 320.0
check "... the next quarter" "$(h100e epoch-chip-owners Oracle 2025Q3)" 400.0
sed 's/Owner,/Holder,/' "$T/by_designer.csv" >"$T/no_owner.csv"
expect_exit 65 "no Owner column" "$OLIGO" import epoch-chip-owners "$T/no_owner.csv"
expect_grep "no_owner.csv:1: missing column 'Owner' (or 'Organization', 'Company'); is it an Epoch AI chip owners CSV?" \
	"$T/err" "the missing column is named"
expect_exit 0 "the fixture again" "$OLIGO" import epoch-chip-owners "$D/chip_owners.csv"

# a new version of the file replaces the old one
grep -v '^Amazon' "$D/chip_owners.csv" >"$T/co2.csv"
expect_exit 0 "newer file without Amazon" "$OLIGO" import epoch-chip-owners "$T/co2.csv"
check "rows the file dropped are deleted" \
	"$(q "SELECT count(*) FROM compute c JOIN entity e ON e.id = c.owner_id WHERE e.name = 'Amazon' AND c.origin = 'epoch-chip-owners' AND c.period = '2025Q3'")" 0

# ---- from a URL: an ingest source with conditional GET (loopback only)
SERVER=${BUILD:-build/rel}/tests/fixture_server
mkdir -p "$T/www"
cp "$D/gpu_clusters.csv" "$D/models.csv" "$T/www/"
"$SERVER" -d "$T/www" -t 120 >"$T/port" 2>/dev/null &
i=0; while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
U=http://127.0.0.1:$(head -n 1 "$T/port")
src() { q "SELECT $1 FROM source WHERE name = '$2'"; }

q "DELETE FROM compute WHERE origin = 'epoch-gpu-clusters'"
expect_exit 0 "clusters from a URL" "$OLIGO" import epoch-gpu-clusters "$U/cond/gpu_clusters.csv"
check "URL: same rows as the file" "$(h100e epoch-gpu-clusters Microsoft 2025Q3)" 400.0
expect_grep "^epoch-gpu-clusters  *ok [1-9]" "$T/out" "URL: says what it stored"
expect_grep "'Synthetic Lab Z' matches no entity" "$T/err" "URL: unknown owner reported"
expect_grep "source epoch-gpu-clusters $U/cond/gpu_clusters.csv epoch-gpu-clusters" \
	"$XDG_CONFIG_HOME/oligo/config" "URL: kept as a source, so ingest refreshes it"
etag=$(src etag epoch-gpu-clusters)
[ -n "$etag" ] && pass "URL: ETag stored with the source" || fail "URL: ETag stored with the source"
check "URL: source names the download" \
	"$(q "SELECT count(*) FROM compute WHERE origin = 'epoch-gpu-clusters' AND source LIKE '%file gpu_clusters.csv'")" \
	"$(q "SELECT count(*) FROM compute WHERE origin = 'epoch-gpu-clusters'")"
before=$(snap)
expect_exit 0 "URL again" "$OLIGO" import epoch-gpu-clusters "$U/cond/gpu_clusters.csv"
expect_grep "unchanged (304)" "$T/out" "URL again: a 304"
check "URL again: nothing changed" "$(snap)" "$before"
check "URL again: one source, reused" \
	"$(q "SELECT count(*) FROM source WHERE url = '$U/cond/gpu_clusters.csv'")" 1
expect_exit 0 "cron refreshes it (unchanged)" "$OLIGO" ingest --source epoch-gpu-clusters
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] && pass "... silently" || fail "... silently"

# a truncated download: the old rows and the old ETag stay
head -c 200 "$D/gpu_clusters.csv" >"$T/www/gpu_clusters.csv"
printf '"unterminated' >>"$T/www/gpu_clusters.csv"
expect_exit 65 "truncated CSV from a URL exits 65" "$OLIGO" import epoch-gpu-clusters "$U/cond/gpu_clusters.csv"
expect_grep "epoch-gpu-clusters: .*gpu_clusters.csv:[0-9]*: " "$T/err" "truncated: names source, file and line"
check "truncated: nothing half-imported" "$(snap)" "$before"
check "truncated: the ETag did not move" "$(src etag epoch-gpu-clusters)" "$etag"
check "truncated: the failure is recorded" "$(src failures epoch-gpu-clusters)" 1
expect_exit 75 "the same from ingest: a source failure (75)" "$OLIGO" ingest --source epoch-gpu-clusters
[ "$(wc -l <"$T/err")" -eq 1 ] && pass "... one line" || fail "... one line"
printf 'garbage \001\002 not a csv\n' >"$T/www/gpu_clusters.csv"
expect_exit 65 "garbage from a URL exits 65" "$OLIGO" import epoch-gpu-clusters "$U/cond/gpu_clusters.csv"
expect_grep "missing column" "$T/err" "garbage: says which column is missing"
check "garbage: nothing changed" "$(snap)" "$before"

expect_exit 66 "a URL that is not there exits 66" "$OLIGO" import epoch-models "$U/cond/nope.csv"
expect_exit 64 "a source's URL under another kind is refused" \
	"$OLIGO" import epoch-models "$U/cond/gpu_clusters.csv"

# sources add --kind epoch-...: a plain ingest source
expect_exit 0 "sources add --kind epoch-models" "$OLIGO" sources add m "$U/cond/models.csv" --kind epoch-models
q "DELETE FROM epoch_model"
expect_exit 0 "ingest an epoch-models source" "$OLIGO" ingest --source m
check "models stored through ingest" "$(q "SELECT count(*) FROM epoch_model")" 3
expect_exit 0 "sources add sniffs an Epoch URL" "$OLIGO" sources add co "$U/data/ai_chip_owners.csv"
expect_grep "source co $U/data/ai_chip_owners.csv epoch-chip-owners" \
	"$XDG_CONFIG_HOME/oligo/config" "kind sniffed from Epoch's file name"
finish
