#!/bin/sh
# oligo import 13f / outstanding: synthetic data sets (tests/data/13f)
# as a folder, a ZIP and a truncated ZIP; bad input; idempotence.
. tests/lib.sh
D=tests/data/13f
q() { sqlite3 "$OLIGO_DB" "$1"; }
# own_pct of a synthetic fund in Microsoft on 2025-09-30
pct() {
	q "SELECT round(h.own_pct, 4) FROM holding h JOIN entity i ON
	   i.id = h.investor_id JOIN entity f ON f.id = h.firm_id WHERE
	   i.name = '$1' AND f.name = 'Microsoft' AND h.as_of = '2025-09-30'
	   AND h.origin = '13f'"
}
check() { [ "$2" = "$3" ] && pass "$1" || fail "$1 (got '$2', wanted '$3')"; }

expect_exit 0 "init" "$OLIGO" init --quiet
expect_exit 0 "13f folder without outstanding" "$OLIGO" import 13f "$D/set"
expect_grep "no shares outstanding for Microsoft" "$T/err" "skips are reported"
check "positions kept without outstanding" \
	"$(q "SELECT count(*) FROM f13_position")" 5
check "no holding without outstanding" \
	"$(q "SELECT count(*) FROM holding WHERE origin = '13f'")" 0

expect_exit 0 "outstanding CSV" "$OLIGO" import outstanding "$D/outstanding.csv"
check "SH rows summed, PRN and put excluded" "$(pct 'SYNTHETIC FUND A')" 1.5
check "RESTATEMENT replaces" "$(pct 'SYNTHETIC FUND B')" 3.0
check "NEW HOLDINGS adds, original kept" "$(pct 'SYNTHETIC FUND C')" 0.1
check "filer is a fund with its CIK" \
	"$(q "SELECT kind || ' ' || cik FROM entity WHERE name = 'SYNTHETIC FUND C'")" \
	"fund 9000003"
check "period label" "$(q "SELECT DISTINCT quarter FROM f13_filing")" 2025Q3
check "13F-NT not stored" \
	"$(q "SELECT count(*) FROM f13_filing WHERE cik = '9000004'")" 0
check "VALUE in dollars after 2023-01-03" \
	"$(q "SELECT value_usd FROM f13_position WHERE accession = '0009000001-25-000001'")" \
	7500000

before=$(q "SELECT * FROM holding ORDER BY id; SELECT * FROM f13_filing ORDER BY 1; SELECT * FROM f13_position ORDER BY 1, 2" | md5sum)
expect_exit 0 "same folder again" "$OLIGO" import 13f "$D/set"
after=$(q "SELECT * FROM holding ORDER BY id; SELECT * FROM f13_filing ORDER BY 1; SELECT * FROM f13_position ORDER BY 1, 2" | md5sum)
check "importing twice changes nothing" "$after" "$before"

# the same data set as the SEC ships it: a ZIP
python3 -c "import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
for n in ('SUBMISSION.tsv', 'COVERPAGE.tsv', 'INFOTABLE.tsv'):
    z.write(sys.argv[2] + '/' + n, n)" "$T/set.zip" "$D/set"
pcts="SELECT investor_id, firm_id, own_pct FROM holding WHERE origin = '13f' ORDER BY 1, 2"
before=$(q "$pcts")
expect_exit 0 "13f ZIP" "$OLIGO" import 13f "$T/set.zip"
check "ZIP agrees with the folder" "$(q "$pcts")" "$before"
check "ZIP source recorded" \
	"$(q "SELECT count(*) FROM f13_filing WHERE source = 'data set set.zip'")" 5
size=$(wc -c <"$T/set.zip")
head -c $((size - 30)) "$T/set.zip" >"$T/cut.zip"
expect_exit 65 "truncated ZIP" "$OLIGO" import 13f "$T/cut.zip"
expect_grep "cut.zip" "$T/err" "truncated ZIP names the file"

# bad input: each fails with file:line, exit 65, nothing kept
bad() { # NAME FILE SED-EXPR PATTERN
	rm -rf "$T/bad" && cp -r "$D/set" "$T/bad"
	sed -i "$3" "$T/bad/$2"
	n0=$(q "SELECT total_changes()"; q "SELECT count(*) FROM f13_filing")
	expect_exit 65 "$1" "$OLIGO" import 13f "$T/bad"
	expect_grep "$4" "$T/err" "$1: message"
	check "$1: nothing kept" \
		"$(q "SELECT count(*) FROM f13_filing WHERE source = 'data set bad'")" 0
}
bad "renamed column" INFOTABLE.tsv '1s/SSHPRNAMT\t/SHARES\t/' \
	"INFOTABLE.tsv:1: missing column 'SSHPRNAMT'"
bad "non-numeric shares" INFOTABLE.tsv '3s/\t5000\tSH/\t5k\tSH/' \
	"INFOTABLE.tsv:3: SSHPRNAMT '5k' is not a number"
bad "non-numeric value" INFOTABLE.tsv '2s/\t5000000\t/\t$5M\t/' \
	"INFOTABLE.tsv:2: VALUE"
bad "unknown share type" INFOTABLE.tsv '2s/\tSH\t/\tSHS\t/' \
	"INFOTABLE.tsv:2: SSHPRNAMTTYPE 'SHS'"
bad "duplicate row" INFOTABLE.tsv '3s/\t2\t/\t1\t/' \
	"INFOTABLE.tsv:3: duplicate row"
bad "bad date" SUBMISSION.tsv '2s/30-SEP-2025/2025-09-30/' \
	"SUBMISSION.tsv:2: PERIODOFREPORT"
bad "duplicate accession" SUBMISSION.tsv '3s/0009000002-25-000001/0009000001-25-000001/' \
	"SUBMISSION.tsv:3: duplicate accession"
bad "unknown amendment type" COVERPAGE.tsv '4s/RESTATEMENT/REVISED/' \
	"COVERPAGE.tsv:4: AMENDMENTTYPE"
rm -rf "$T/bad" && cp -r "$D/set" "$T/bad" && rm "$T/bad/COVERPAGE.tsv"
expect_exit 65 "missing member" "$OLIGO" import 13f "$T/bad"
expect_grep "no COVERPAGE.tsv" "$T/err" "missing member named"

# wrong units: more shares held than outstanding
printf 'entity,as_of,shares\nMicrosoft,2025-09-30,100\n' >"$T/tiny.csv"
expect_exit 65 "held > outstanding" "$OLIGO" import outstanding "$T/tiny.csv"
expect_grep "wrong units" "$T/err" "held > outstanding says wrong units"
printf 'entity,as_of,shares\nMicrosoft,2025-09-30,12.3M\n' >"$T/m.csv"
expect_exit 65 "outstanding with a unit" "$OLIGO" import outstanding "$T/m.csv"
expect_grep "m.csv:2: shares '12.3M'" "$T/err" "outstanding unit error names file:line"
check "failed imports kept the old holdings" "$(pct 'SYNTHETIC FUND B')" 3.0

# real EDGAR documents, when present
F=${OLIGO_FIXTURES:-../shared/fixtures/real}
if [ -d "$F/sec-edgar-xbrl-api" ]; then
	expect_exit 0 "companyconcept JSON (Apple)" "$OLIGO" import outstanding \
		"$F/sec-edgar-xbrl-api/companyconcept_CIK0000320193_dei_EntityCommonStockSharesOutstanding.json"
	check "first Apple fact" "$(q "SELECT o.shares FROM outstanding o JOIN
	   entity e ON e.id = o.entity_id WHERE e.name = 'Apple'
	   AND o.as_of = '2009-06-27'")" 895816758
	check "10-K and 10-K/A of one date: one row, the later filing" \
		"$(q "SELECT source FROM outstanding WHERE as_of = '2009-10-16'")" \
		"SEC XBRL dei:EntityCommonStockSharesOutstanding, accession 0001193125-10-012091"
	expect_exit 65 "XBRL frames JSON is refused" "$OLIGO" import outstanding \
		"$F/sec-edgar-xbrl-api/frames_us-gaap_EarningsPerShareBasic_USD-per-shares_CY2023.json"
	expect_grep "not companyconcept JSON" "$T/err" "frames JSON: says why"
	mkdir -p "$T/x" && cp "$F/sec-edgar-13f/13F-HR_infotable.xml" "$F/sec-edgar-13f/13F-HR_primary_doc_metlife.xml" "$T/x/"
	expect_exit 0 "13F XML filing folder" "$OLIGO" import 13f "$T/x"
	check "XML filing period" "$(q "SELECT quarter FROM f13_filing WHERE cik = '1099219'")" 2021Q4
else
	echo "skip - fixtures absent: $F"
fi
finish
