#!/bin/sh
# Every view opens with its header; News search (FTS5 text quoted safely),
# the detail pane, the alliance filter, sort, and the footer's position
# on a paged view (News; tests/tui/paging.sh covers paging itself).
. tests/lib.sh
. tests/tmux.sh
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }

"$OLIGO" init --quiet || exit 1
# 2,500 news items: more than the 2,000 rows the dashboard holds
sqlite3 "$OLIGO_DB" "
INSERT INTO source(name, kind, url) VALUES ('testfeed', 'rss', 'https://e.com/f');
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
 SELECT (SELECT id FROM source WHERE name = 'testfeed'), 'g' || i,
  'Item ' || i || ' routine', 'https://e.com/' || i, 'summary ' || i,
  printf('2024-01-01T%02d:%02d:00Z', i / 60 % 24, i % 60), '2024-01-01' FROM n;
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 VALUES ((SELECT id FROM source WHERE name = 'testfeed'), 'k', 'Microsoft files 10-K AND \"quotes\"',
  'https://e.com/10k', 'annual report', '2025-06-01T00:00:00Z', '2025-06-01');"

tm new-session -d -s t -x 160 -y 40 "LANG=C.UTF-8 $OLIGO tui; sleep 30"
check "Amazon/Anthropic" "dashboard starts" 5
v=2
for hdr in "Market" "Owner" "Investor" "Investor" "Authority" "Published" "Filed" "Last success"; do
	tm send-keys -t t "$v"
	check "$hdr" "view $v shows its header ($hdr)"
	v=$((v + 1))
done

tm send-keys -t t 7
check "row 1 of 2,501" "News pages its 2,501 rows and says where the selection is"
for q in '10-K' 'AND' '"'; do
	tm send-keys -t t / "$q" Enter
	check "search: $q" "search '$q' is applied"
	if [ "$q" != '"' ]; then
		check "Microsoft files 10-K" "search '$q' finds the item"
		screen | grep -q "Item 1 routine" && fail "search '$q' narrows" ||
			pass "search '$q' narrows"
	fi
done
tm send-keys -t t / "10-K" Enter
check "search: 10-K" "search again"
tm send-keys -t t Enter
check "Esc closes" "Enter opens the detail"
wait_for " Link" 1 && pass "detail shows every column" || fail "detail shows every column"
tm send-keys -t t Escape
check "search: 10-K" "Esc closes the detail"
tm send-keys -t t Escape
check "row 1 of 2,501" "Esc clears the search"

tm send-keys -t t 5
check "Investor" "Deals"
tm send-keys -t t f
check "alliance: Microsoft/OpenAI" "f filters Deals by alliance"
n=$("$OLIGO" export deals --alliance Microsoft/OpenAI | tail -n +2 | wc -l)
check "row 1 of $n" "filtered row count = oligo export --alliance ($n)"
tm send-keys -t t f f f
check "alliance: all" "f cycles back to all"
tm send-keys -t t s
check "sort: -date" "s sorts by the first column"
tm send-keys -t t 9 f
check "Sources cannot be filtered by alliance" "f where no alliance column says so"
tm resize-window -t t -x 80 -y 24 2>/dev/null || tm resize-pane -t t -x 80 -y 24
tm send-keys -t t 7 Enter
check "Published" "detail at 80x24"
tm send-keys -t t q
sleep 0.5
screen | grep -q "Published" && fail "q quits from the detail" || pass "q quits from the detail"
finish
