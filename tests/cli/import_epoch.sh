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
	"chip_owners.csv:1: missing column 'H100e'"
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
expect_exit 64 "URL refused with a usage error" "$OLIGO" import epoch-models https://epoch.ai/data/notable_ai_models.csv
expect_exit 66 "missing file" "$OLIGO" import epoch-models "$T/nope.csv"

# a new version of the file replaces the old one
grep -v '^Amazon' "$D/chip_owners.csv" >"$T/co2.csv"
expect_exit 0 "newer file without Amazon" "$OLIGO" import epoch-chip-owners "$T/co2.csv"
check "rows the file dropped are deleted" \
	"$(q "SELECT count(*) FROM compute c JOIN entity e ON e.id = c.owner_id WHERE e.name = 'Amazon' AND c.origin = 'epoch-chip-owners' AND c.period = '2025Q3'")" 0
finish
