#!/bin/sh
# Views 2-4 drawn as charts, under tmux at 80x24 and after resizes:
# Markets (sparklines, verdicts; the detail's share bars, periods and
# scenarios with the indices they change), Compute (bars by owner and
# by alliance) and Ownership (the kappa heatmap with its legend, in
# colour and with NO_COLOR as numbers, quarters, a 13F import arriving
# live).  Figures are checked against `oligo analyze` on the same data.
. tests/lib.sh
. tests/tmux.sh
# line_has TEXT PATTERN NAME: the screen line holding TEXT matches PATTERN
line_has() {
	sleep 0.2
	if screen | grep -F -- "$1" | grep -q -- "$2"; then pass "$3"; else
		fail "$3"
		screen | head -n 24
	fi
}
resize() { tm resize-window -t "$S" -x "$1" -y "$2" 2>/dev/null ||
	tm resize-pane -t "$S" -x "$1" -y "$2"; }
BLOCKS='[▁▂▃▄▅▆▇█]'

"$OLIGO" init --quiet || exit 1
# a market over three periods; Microsoft and OpenAI share an alliance
cat >"$T/shares.csv" <<'EOF'
market,period,entity,share_pct,source
zz_widgets,2023,Microsoft,20,charts test
zz_widgets,2023,Alphabet,30,charts test
zz_widgets,2023,Meta,30,charts test
zz_widgets,2024,Microsoft,30,charts test
zz_widgets,2024,Alphabet,25,charts test
zz_widgets,2024,OpenAI,20,charts test
zz_widgets,2024,Meta,15,charts test
zz_widgets,2025,Microsoft,35,charts test
zz_widgets,2025,OpenAI,25,charts test
zz_widgets,2025,Alphabet,20,charts test
zz_widgets,2025,Meta,10,charts test
EOF
"$OLIGO" import shares "$T/shares.csv" 2>/dev/null || exit 1
# one fund holding two tracked firms: kappa between them is not 0
cat >"$T/holdings.csv" <<'EOF'
investor,firm,own_pct,ctrl_pct,as_of,source
ZZ Test Fund,Microsoft,8,8,2025-09-30,charts test
ZZ Test Fund,Alphabet,7,7,2025-09-30,charts test
ZZ Other Fund,Microsoft,5,5,2025-09-30,charts test
EOF
"$OLIGO" import holdings "$T/holdings.csv" 2>/dev/null || exit 1

# e: each view exports its db view, as `oligo export NAME` writes it
export_check() { # VIEW
	tm send-keys -t t e
	check "exported" "e in $1 says it exported"
	f=$(ls "$T/work" | grep "^oligo-$1-.*\.csv$" | head -n 1)
	"$OLIGO" export "$1" -o "$T/want-$1.csv" 2>/dev/null
	[ -n "$f" ] && cmp -s "$T/want-$1.csv" "$T/work/$f" &&
		pass "e in $1 = oligo export $1" || fail "e in $1 = oligo export $1"
}

S=t
mkdir -p "$T/work"
tm new-session -d -s t -c "$T/work" -x 80 -y 24 "LANG=C.UTF-8 $OLIGO tui; sleep 60"
check "Amazon/Anthropic" "dashboard starts at 80x24" 5

# ---- Markets ----
tm send-keys -t t 2
check "Trend" "2 opens Markets with a trend column"
line_has "zz_widgets" "$BLOCKS$BLOCKS$BLOCKS" "zz_widgets has a 3-period sparkline"
line_has "zz_widgets" "1,750 *presumed" "zz_widgets: alliance ΔHHI and US 2023 verdict"
line_has "cloud_infrastruct" "$BLOCKS" "bundled markets have sparklines"
# the list is the markets export: same HHI for zz_widgets (2025:
# 35^2+25^2+20^2+10^2 = 2,350)
line_has "zz_widgets" "2,350" "list HHI = the markets view's"
export_check markets

tm send-keys -t t G Enter
check "zz_widgets  period 2025 (3/3)" "Enter opens the market at its latest period"
line_has "Microsoft" "35.0%" "a share per firm"
line_has " Microsoft " "█" "a bar per firm"
line_has " Meta " "█" "the smallest firm has a bar too"
line_has "Source:" "charts test" "the shares' source is named"
check "scenario: alliances" "the detail opens on the alliance scenario"
# Microsoft+OpenAI as one: delta = 2*35*25 = 1,750
line_has "ΔHHI" "ΔHHI 1,750" "alliance ΔHHI as computed"
line_has "US 2023" "presumed (HHI > 1,800" "US 2023 verdict with the rule that fired"
"$OLIGO" analyze --market zz_widgets --period 2025 --scenario alliances \
	--format csv >"$T/an.csv"
grep -q ',1750,' "$T/an.csv" && pass "oligo analyze agrees (ΔHHI 1750)" ||
	fail "oligo analyze agrees (ΔHHI 1750)"

tm send-keys -t t '['
check "period 2024 (2/3)" "[ goes to the previous period"
line_has "Microsoft" "30.0%" "the bars follow the period"
# 2024: Microsoft 30 + OpenAI 20 -> delta 1,200
line_has "ΔHHI" "ΔHHI 1,200" "ΔHHI follows the period"
tm send-keys -t t ']'
check "period 2025 (3/3)" "] goes to the next period"

tm send-keys -t t c
check "scenario: ownership" "c: ownership scenario"
line_has "MHHI" "ΔMHHI" "ownership shows MHHI and its increment"
tm send-keys -t t c
check "mark two firms with m first" "c without two marked firms offers no merger"
check "scenario: standalone" "… and goes on to standalone"
check "screens apply to a scenario" "standalone has no verdict"
screen | grep -q "US 2023" && fail "standalone shows no screens" ||
	pass "standalone shows no screens"
# mark Microsoft and Alphabet (rows 1 and 3 in 2025): 2*35*20 = 1,400
tm send-keys -t t m j j m
check "scenario: merger Microsoft+Alphabet" "m m: the merger of two marked firms"
line_has "ΔHHI" "ΔHHI 1,400" "merger ΔHHI as computed"
line_has "US 2023" "presumed" "merger verdict"

resize 100 30
check "scenario: merger Microsoft+Alphabet" "detail survives a resize"
line_has "35.0%" "█" "bars after the resize"
resize 80 24
line_has "35.0%" "█" "bars back at 80x24"
tm send-keys -t t Escape
check "Trend" "Esc returns to the list"

# ---- Compute ----
tm send-keys -t t 3
check "Compute owned (H100e)" "3 opens Compute"
export_check compute
line_has " Alphabet " "█" "compute bar per owner"
check "By alliance" "compute by alliance"
line_has "Google/DeepMi" "█" "compute bar per alliance"
check "Concentration of compute owned" "compute concentration"
check "Labs' compute commitments" "labs' dependence on their cloud"
check "Source: OfficeChai" "compute source named"
tm send-keys -t t '['
check "period 2025-10" "[ changes the compute period"

# ---- Ownership ----
tm send-keys -t t 4
check "Common ownership κ" "4 opens Ownership"
export_check ownership
check "κ scale:" "colour legend"
check "no 13F data imported" "says when no 13F data is imported"
tm capture-pane -e -p -t t | grep "Microsoft\|Alphabet" |
	grep -q "$(printf '\033')\[[0-9;]*4[0-7]m" &&
	pass "heat cells have background colours" ||
	fail "heat cells have background colours"
check "Investor" "holdings beneath"
resize 120 40
check "Common ownership κ" "ownership survives a resize"
resize 80 24
tm send-keys -t t '['
check "quarter 2025Q4" "[ changes the quarter"
tm send-keys -t t '[' '['
check "quarter 2025Q2" "an earlier quarter"
screen | grep -q "^Microsoft .*1\.000" && fail "Microsoft's holders are not in force in 2025Q2" ||
	pass "Microsoft's holders are not in force in 2025Q2"

# a 13F data set imported by another process arrives live
"$OLIGO" import outstanding tests/data/13f/outstanding.csv 2>/dev/null &&
	"$OLIGO" import 13f tests/data/13f/set 2>/dev/null ||
	fail "13F import"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	screen | grep -q "no 13F data imported" || break
	sleep 0.2
done
screen | grep -q "no 13F data imported" && fail "the 13F message goes after an import" ||
	pass "the 13F message goes after an import"
tm send-keys -t t q

# monochrome: kappa as numbers, equal to oligo analyze --kappa
"$OLIGO" analyze --kappa --period 2025Q3 --format csv >"$T/kappa.csv"
want=$(awk -F, '$1 ~ /^Microsoft *$/ { for (i = 2; i <= NF; i++) if ($i > 0 && $i < 1) printf "%.3f\n", $i }' "$T/kappa.csv" | head -n 1)
S=m
tm new-session -d -s m -c "$T/work" -x 80 -y 24 "NO_COLOR=1 LANG=C.UTF-8 $OLIGO tui; sleep 60"
check "Amazon/Anthropic" "monochrome dashboard starts" 5
tm send-keys -t m 4
check "κ as numbers" "monochrome legend"
for q in 1 2 3 4 5 6 7 8 9 10 11 12; do
	screen | grep -q "quarter 2025Q3" && break
	tm send-keys -t m '['
	sleep 0.2
done
check "quarter 2025Q3" "monochrome: quarter 2025Q3"
[ -n "$want" ] && line_has "Microsoft" "$want" "kappa number = oligo analyze --kappa ($want)" ||
	fail "oligo analyze --kappa gives a Microsoft weight"
line_has "Microsoft" "1.000" "the diagonal is 1"
tm send-keys -t m q
finish
