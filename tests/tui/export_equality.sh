#!/bin/sh
# Screen/export equality (issue 7): the Deals view under tmux shows the
# same rows, in the same order, as `oligo export deals` — compared on the
# first three columns (date, investor, target) of every visible row, at
# the top and after G (the last rows).
. tests/lib.sh
. tests/tmux.sh
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }

"$OLIGO" init --quiet || exit 1
"$OLIGO" export deals >"$T/deals.csv" || exit 1
tm new-session -d -s t -x 160 -y 30 "LANG=C.UTF-8 $OLIGO tui; sleep 30"
wait_for "Amazon/Anthropic" 5 || fail "dashboard started"
tm send-keys -t t '5'
wait_for "Investor" 3 && pass "5 opens Deals" || fail "5 opens Deals"
sleep 0.3
screen >"$T/top"
tm send-keys -t t 'G'
sleep 0.5
screen >"$T/bottom"

# compare SCREEN WHERE: the rows under the header line against the export
# (top: its first rows; bottom: its last rows)
compare() {
	python3 - "$T/deals.csv" "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))[1:]
lines = open(sys.argv[2], encoding='utf-8').read().split('\n')
head = next(i for i, l in enumerate(lines) if l.startswith('Date ') and 'Investor' in l)
cols = [(0, 10), (11, 29), (30, 48)]   # widths 10, 18, 18 and one space
shown = []
for l in lines[head + 1:]:
    if not l[:10].strip() or not (l[0].isdigit() or l.startswith('\u2014')):
        break
    shown.append([l[a:b].rstrip() for a, b in cols])
assert len(shown) >= 5, 'only %d rows visible' % len(shown)
want = rows[:len(shown)] if sys.argv[3] == 'top' else rows[-len(shown):]
def same(cell, value):
    value = value or '\u2014'            # NULL is an em dash on screen
    if cell.endswith('\u2026'):           # cut to the column width
        return value.startswith(cell[:-1])
    return cell == value
for s, w in zip(shown, want):
    for cell, value in zip(s, w[:3]):
        assert same(cell, value), 'screen %r, export %r' % (s, w[:3])
print(len(shown))
PY
}
n=$(compare "$T/top" top) && pass "top $n rows on screen = first rows of export deals" ||
	{ fail "top rows on screen = first rows of export deals"; head -n 8 "$T/top"; }
n=$(compare "$T/bottom" bottom) && pass "last $n rows on screen (G) = last rows of export deals" ||
	{ fail "last rows on screen = last rows of export deals"; tail -n 8 "$T/bottom"; }
tm send-keys -t t 'q'
finish
