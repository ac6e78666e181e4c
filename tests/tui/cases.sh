#!/bin/sh
# Cases and Deals (issue 6): Enter on a case lists its timeline (the
# bundled matter events, in date order) and the regulator items linked to
# it; j/k select one and o opens its link.  K filters Deals by kind, and
# e exports what the screen shows, as `oligo export deals --kind`.  A
# filing's detail lists its filer's other filings.  The
# ? screen shows the keys in force, the config file's bindings included.
. tests/lib.sh
. tests/tmux.sh
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }
case_id=cma-amazon-anthropic

"$OLIGO" init --quiet || exit 1
# a regulator's item linked to the case, as ingest would link it
sqlite3 "$OLIGO_DB" "
INSERT INTO source(name, kind, url) VALUES ('cmafeed', 'rss', 'https://e.com/f');
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 VALUES ((SELECT id FROM source WHERE name = 'cmafeed'), 'x1',
  'CMA item linked to the case', 'https://e.com/cma-item', 's',
  '2024-09-27T10:00:00Z', '2024-09-27');
INSERT INTO item_matter(item_id, matter_id)
 VALUES ((SELECT id FROM item WHERE guid = 'x1'), '$case_id');
INSERT INTO filing(accession, cik, company, form, filed, url) VALUES
 ('0000000009-25-000001', '0000000009', 'Test Filer', '8-K', '2025-01-02',
  'https://e.com/f1'),
 ('0000000009-25-000002', '0000000009', 'Test Filer', '10-Q', '2025-02-03',
  'https://e.com/f2'),
 ('0000000008-25-000003', '0000000008', 'Other Filer', '8-K', '2025-01-05',
  'https://e.com/f3');" || exit 1
# the case's events in the bundled file, in date order: "DATE<TAB>EVENT"
python3 - "$case_id" data/case_events.csv >"$T/events" <<'PY' || exit 1
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[2], encoding='utf-8'))
        if r['case_id'] == sys.argv[1]]
assert len(rows) >= 3, 'few events for %s' % sys.argv[1]
for r in sorted(rows, key=lambda r: r['date']):   # stable: file order ties
    print('%s\t%s' % (r['date'], r['event']))
PY
nevents=$(wc -l <"$T/events")
# the case's row on screen: its line in the export (same order)
row=$("$OLIGO" export cases | tail -n +2 | grep -n "^$case_id," | cut -d: -f1)
url=$("$OLIGO" export cases --format json | python3 -c "
import json, sys
print(next(r['url'] for r in json.load(sys.stdin) if r['id'] == sys.argv[1]))
" "$case_id")
[ -n "$row" ] && [ -n "$url" ] || { fail "case $case_id exported"; finish; }

mkdir -p "$XDG_CONFIG_HOME/oligo" "$T/work"
printf 'bind J move-down\nbind c view-news\n' >"$XDG_CONFIG_HOME/oligo/config"
cat >"$T/browser" <<EOS
#!/bin/sh
printf '%s\n' "\$#" "\$@" >"$T/opened"
EOS
chmod +x "$T/browser"
opened() { # URL NAME: $BROWSER ran with URL as its only argument
	i=0; until [ -s "$T/opened" ] || [ $i -ge 30 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(cat "$T/opened" 2>/dev/null)" = "$(printf '1\n%s' "$1")" ] && pass "$2" ||
		{ fail "$2"; cat "$T/opened" 2>/dev/null; }
	rm -f "$T/opened"
}
tm new-session -d -s t -c "$T/work" -x 160 -y 80 \
	"LANG=C.UTF-8 BROWSER=$T/browser $OLIGO tui; sleep 30"
check "Amazon/Anthropic" "dashboard starts" 5

# the case's detail: its timeline in date order, then the linked item
tm send-keys -t t 6 g
check "Authority" "Cases"
i=1; while [ $i -lt "$row" ]; do tm send-keys -t t j; i=$((i + 1)); done
tm send-keys -t t Enter
check "Timeline" "Enter on a case shows its timeline"
check "   $case_id" "the detail is the case's"
screen >"$T/detail"
python3 - "$T/events" "$T/detail" <<'PY' && pass "the $nevents bundled events, in date order" ||
import sys
events = [l.rstrip('\n').split('\t', 1) for l in open(sys.argv[1], encoding='utf-8')]
lines = open(sys.argv[2], encoding='utf-8').read().split('\n')
at = [next((i for i, l in enumerate(lines)
            if l.strip().startswith(d + ' ' + e[:30])), -1) for d, e in events]
assert -1 not in at, 'missing: %s' % [events[k] for k, i in enumerate(at) if i < 0]
assert at == sorted(at) and len(set(at)) == len(at), 'order %s' % at
tl = next(i for i, l in enumerate(lines) if l.strip() == 'Timeline')
li = next(i for i, l in enumerate(lines) if l.strip() == 'Linked items')
assert tl < at[0] and at[-1] < li, 'sections'
PY
	{ fail "the bundled events, in date order"; cat "$T/detail"; }
check "Linked items" "the linked items follow"
check "2024-09-27T10:00:00Z CMA item linked to the case" "the linked item, dated"

# o: on the case itself its URL; after j past the events, the item's link
tm send-keys -t t o
opened "$url" "o in the detail opens the case's URL"
i=0; while [ $i -le "$nevents" ]; do tm send-keys -t t j; i=$((i + 1)); done
check "▸ 2024-09-27T10:00:00Z CMA item" "j moves the cursor onto the linked item"
tm send-keys -t t o
opened "https://e.com/cma-item" "o opens the selected linked item's link"
tm send-keys -t t k
check "▸ $(tail -n 1 "$T/events" | cut -f1)" "k moves back to the last event"
tm send-keys -t t Escape
check "Latest event" "Esc closes the detail"

# K: Deals by kind; the screen's rows are `oligo export deals --kind`
kinds=$("$OLIGO" export deals --format json | python3 -c "
import json, sys
print(' '.join(sorted({r['kind'] for r in json.load(sys.stdin) if r['kind']})))")
k1=$(echo "$kinds" | cut -d' ' -f1) k2=$(echo "$kinds" | cut -d' ' -f2)
all=$("$OLIGO" export deals | tail -n +2 | wc -l)
tm send-keys -t t 5
check "row 1 of $all" "Deals: every deal"
tm send-keys -t t K
check "kind: $k1" "K filters Deals by the first kind ($k1)"
n=$("$OLIGO" export deals --kind "$k1" | tail -n +2 | wc -l)
check "row 1 of $n" "filtered row count = oligo export --kind $k1 ($n)"
tm send-keys -t t K
check "kind: $k2" "K again: the next kind ($k2)"
n=$("$OLIGO" export deals --kind "$k2" | tail -n +2 | wc -l)
check "row 1 of $n" "filtered row count = oligo export --kind $k2 ($n)"
[ "$n" -lt "$all" ] && pass "the kind filter narrows ($n of $all)" ||
	fail "the kind filter narrows ($n of $all)"
tm send-keys -t t e
check "exported" "e exports the filtered view"
f=$(ls "$T/work" | grep '^oligo-deals-.*\.csv$')
"$OLIGO" export deals --kind "$k2" -o "$T/want.csv" 2>/dev/null
[ -n "$f" ] && cmp -s "$T/want.csv" "$T/work/$f" &&
	pass "e = oligo export deals --kind $k2" || fail "e = oligo export deals --kind $k2"
tm send-keys -t t 6 K
check "Cases cannot be filtered by kind" "K where there are no kinds says so"

# a filing's detail lists the same filer's other filings, not others'
tm send-keys -t t 8 g Enter
check "Same filer" "a filing's detail lists its filer's other filings"
screen | grep -q "8-K 0000000009-25-000001" && pass "the filer's 8-K is listed" ||
	fail "the filer's 8-K is listed"
screen | grep -q "0000000008-25-000003" && fail "another filer's filing is not" ||
	pass "another filer's filing is not"
tm send-keys -t t Escape

# ?: the keys in force; a key the config took from its default action
# no longer shows there
tm send-keys -t t '?'
check "Keys (press ? to close)" "? shows the help"
screen >"$T/help"
grep -Eq '^ *J j Down +move-down' "$T/help" && pass "help shows the bound J for move-down" ||
	{ fail "help shows the bound J for move-down"; grep move-down "$T/help"; }
grep -Eq ' c 7 +view-news' "$T/help" && pass "help shows c for view-news" ||
	{ fail "help shows c for view-news"; grep view-news "$T/help"; }
grep -Eq '(^|  )c +scenario' "$T/help" && fail "c no longer listed for scenario" ||
	pass "c no longer listed for scenario"
grep -Eq ' K +filter-kind' "$T/help" && pass "help lists filter-kind (K)" ||
	fail "help lists filter-kind (K)"
tm send-keys -t t '?' J
tm send-keys -t t q
sleep 0.5
screen | grep -q "Authority" && fail "q quits" || pass "q quits"
finish
