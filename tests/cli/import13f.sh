#!/bin/sh
# oligo import 13f / outstanding: synthetic data sets (tests/data/13f)
# as a folder, a ZIP and a truncated ZIP; bad input; idempotence; a filer
# that sold out over two quarters, imported in either order.
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

# Sold out: a filer whose next report lists no position in a firm it held
# gets a 0 % row, so its old stake stops counting; a filer that filed
# nothing keeps its stake (unknown is not zero).  Fresh database, two
# quarters: E holds Microsoft and Nvidia in Q2 and only Nvidia in Q3, F
# holds Microsoft in Q2 and files nothing for Q3, G holds both in Q3 only,
# H holds Microsoft in Q2 and reports only an untracked issuer in Q3.
# set13f DIR PERIOD "ACC CIK NAME"... -- "ACC CUSIP SHARES"...: a data set
set13f() {
	dir=$1 per=$2
	shift 2
	mkdir -p "$dir"
	printf 'ACCESSION_NUMBER\tFILING_DATE\tSUBMISSIONTYPE\tCIK\tPERIODOFREPORT\n' >"$dir/SUBMISSION.tsv"
	printf 'ACCESSION_NUMBER\tREPORTCALENDARORQUARTER\tISAMENDMENT\tAMENDMENTNO\tAMENDMENTTYPE\tFILINGMANAGER_NAME\tREPORTTYPE\tCRDNUMBER\n' >"$dir/COVERPAGE.tsv"
	printf 'ACCESSION_NUMBER\tINFOTABLE_SK\tNAMEOFISSUER\tTITLEOFCLASS\tCUSIP\tFIGI\tVALUE\tSSHPRNAMT\tSSHPRNAMTTYPE\tPUTCALL\tINVESTMENTDISCRETION\tOTHERMANAGER\tVOTING_AUTH_SOLE\tVOTING_AUTH_SHARED\tVOTING_AUTH_NONE\n' >"$dir/INFOTABLE.tsv"
	while [ "$1" != -- ]; do
		echo "$1" | while read -r acc cik name; do
			printf '%s\t14-NOV-2025\t13F-HR\t%s\t%s\n' "$acc" "$cik" \
				"$per" >>"$dir/SUBMISSION.tsv"
			printf '%s\t%s\tN\t\t\t%s\t13F HOLDINGS REPORT\t\n' "$acc" \
				"$per" "$name" >>"$dir/COVERPAGE.tsv"
		done
		shift
	done
	shift
	n=0
	for row; do
		n=$((n + 1))
		echo "$row" | while read -r acc cusip shares; do
			printf '%s\t%s\tISSUER\tCOM\t%s\t\t1000\t%s\tSH\t\tSOLE\t\t%s\t0\t0\n' \
				"$acc" "$n" "$cusip" "$shares" "$shares" >>"$dir/INFOTABLE.tsv"
		done
	done
}
MSFT=594918104 NVDA=67066G104
set13f "$T/q2" 30-JUN-2025 \
	"0009000011-25-000001 9000011 SYNTHETIC FUND E" \
	"0009000012-25-000001 9000012 SYNTHETIC FUND F" \
	"0009000014-25-000001 9000014 SYNTHETIC FUND H" -- \
	"0009000011-25-000001 $MSFT 40000" "0009000011-25-000001 $NVDA 30000" \
	"0009000012-25-000001 $MSFT 50000" "0009000014-25-000001 $MSFT 10000"
set13f "$T/q3" 30-SEP-2025 \
	"0009000011-25-000002 9000011 SYNTHETIC FUND E" \
	"0009000013-25-000001 9000013 SYNTHETIC FUND G" \
	"0009000014-25-000002 9000014 SYNTHETIC FUND H" -- \
	"0009000011-25-000002 $NVDA 30000" "0009000011-25-000002 000000000 7" \
	"0009000013-25-000001 $MSFT 20000" "0009000013-25-000001 $NVDA 15000" \
	"0009000014-25-000002 000000000 5"
printf 'entity,as_of,shares\nMicrosoft,2025-06-30,1000000\nNvidia,2025-06-30,1500000\n' >"$T/out2.csv"
# kappa[row][col] of 2025Qn, the decider in the row, 6 decimals
kappa() {
	"$OLIGO" analyze --kappa --period "$1" --format json | python3 -c "
import json, sys
d = json.load(sys.stdin); f = d['firms']
print('%.6f' % d['kappa'][f.index(sys.argv[1])][f.index(sys.argv[2])])" "$2" "$3"
}
table="SELECT i.name, f.name, h.own_pct, h.ctrl_pct, h.as_of, h.confidence,
  h.source, h.note, h.origin FROM holding h JOIN entity i ON i.id = h.investor_id
  JOIN entity f ON f.id = h.firm_id WHERE h.origin = '13f' ORDER BY 1, 2, 5"
row() { # FUND FIRM AS_OF: own_pct|note|source
	q "SELECT h.own_pct || '|' || h.note || '|' || h.source FROM holding h
	   JOIN entity i ON i.id = h.investor_id JOIN entity f ON f.id = h.firm_id
	   WHERE i.name = 'SYNTHETIC FUND $1' AND f.name = '$2'
	   AND h.as_of = '$3' AND h.origin = '13f'"
}
export OLIGO_DB="$T/sold/oligo.db"
expect_exit 0 "sold out: init" "$OLIGO" init --quiet
expect_exit 0 "sold out: outstanding" "$OLIGO" import outstanding "$T/out2.csv"
expect_exit 0 "sold out: Q2" "$OLIGO" import 13f "$T/q2"
expect_exit 0 "sold out: Q3" "$OLIGO" import 13f "$T/q3"
check "sold out: zero row names the Q3 filing" "$(row E Microsoft 2025-09-30)" \
	"0.0|no position reported|SEC Form 13F 2025Q3 (data set q3), accession 0009000011-25-000002"
check "sold out: only untracked issuers reported is zero too" \
	"$(row H Microsoft 2025-09-30)" \
	"0.0|no position reported|SEC Form 13F 2025Q3 (data set q3), accession 0009000014-25-000002"
check "sold out: position still held has no zero row" \
	"$(row E Nvidia 2025-09-30 | cut -d'|' -f1)" 2.0
check "no Q3 filing: no Q3 row" "$(row F Microsoft 2025-09-30)" ""
check "no Q3 filing: Q2 stake kept" "$(row F Microsoft 2025-06-30 | cut -d'|' -f1)" 5.0
# by hand, beta (fractions) in force at the period end, Microsoft (M) and
# Nvidia (N); kappa[M][N] = sum bM bN / sum bM^2:
#   Q2: E .04 .02, F .05 -, H .01 -: .0008 / (.0016+.0025+.0001) = .190476
#   Q3: E 0 .02, F .05 -, G .02 .01, H 0 -: .0002 / (.0025+.0004) = .068966
#   (E and H still counted: .0010 / .0046 = .217391; F dropped: .0002 / .0004
#   = .5)
check "kappa M,N 2025Q2 counts E and H" "$(kappa 2025Q2 Microsoft Nvidia)" 0.190476
check "kappa M,N 2025Q3 counts neither E nor H in Microsoft" \
	"$(kappa 2025Q3 Microsoft Nvidia)" 0.068966
#   kappa[N][M] Q3 = .0002 / (.0004+.0001) = .4 (E's old stake: 2.0)
check "kappa N,M 2025Q3" "$(kappa 2025Q3 Nvidia Microsoft)" 0.400000
check "kappa M,N 2025Q4, no new filings: as Q3" \
	"$(kappa 2025Q4 Microsoft Nvidia)" 0.068966
before=$(q "$table")
ids=$(q "SELECT * FROM holding ORDER BY id" | md5sum)
expect_exit 0 "sold out: Q3 again" "$OLIGO" import 13f "$T/q3"
expect_grep "(0 changed)" "$T/err" "sold out: re-import reports 0 changed"
check "sold out: re-import leaves the holding table as it was" \
	"$(q "SELECT * FROM holding ORDER BY id" | md5sum)" "$ids"
expect_exit 0 "sold out: Q2 again" "$OLIGO" import 13f "$T/q2"
check "sold out: Q2 re-import leaves it too" \
	"$(q "SELECT * FROM holding ORDER BY id" | md5sum)" "$ids"

# the other order: Q3 first, whose zero rows appear once Q2 shows the stake
export OLIGO_DB="$T/rev/oligo.db"
expect_exit 0 "reverse: init" "$OLIGO" init --quiet
expect_exit 0 "reverse: outstanding" "$OLIGO" import outstanding "$T/out2.csv"
expect_exit 0 "reverse: Q3" "$OLIGO" import 13f "$T/q3"
check "reverse: no zero row before Q2 is known" \
	"$(q "SELECT count(*) FROM holding WHERE own_pct = 0 AND origin = '13f'")" 0
expect_exit 0 "reverse: Q2" "$OLIGO" import 13f "$T/q2"
check "reverse order gives the same holdings" "$(q "$table")" "$before"
check "reverse: kappa M,N 2025Q3" "$(kappa 2025Q3 Microsoft Nvidia)" 0.068966
finish
