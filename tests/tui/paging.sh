#!/bin/sh
# Paged tables (issue 6): News with 20,000 items is read a page at a time.
# G reaches the last row and g the first, PgDn moves a screen, the footer
# says where the selection is, a row far down is the row `oligo export`
# has there, search (a common term and a rare one) and Esc work, and the
# selection stays on its row while items arrive above it.  Keys bound in
# the config file work (an unknown action is an error naming the line);
# the mouse wheel scrolls, a click selects a row or a tab.  Items that
# arrived since the last session are marked new.  E filters by the
# selected row's entity, F cycles the sources.
. tests/lib.sh
. tests/tmux.sh
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }
selected() { # the detail pane's title: the selected row
	tm send-keys -t t Enter
	wait_for "Esc closes" 3
	screen | grep -A1 '^ Title' | tail -n 1 | sed 's/^ *//'
	tm send-keys -t t Escape
	wait_for "row " 3
}
# the mouse: X10 encoding, ESC [ M, button + 32, column + 33, row + 33
click() { # COLUMN ROW (from 0): a press and its release
	c=$(printf '%b' "\\$(printf '%03o' $(($1 + 33)))")
	r=$(printf '%b' "\\$(printf '%03o' $(($2 + 33)))")
	tm send-keys -t t -l "$(printf '\033[M %s%s\033[M#%s%s' "$c" "$r" "$c" "$r")"
}
add_items() { # FROM TO: items FROM..TO, item i published at minute i
	sqlite3 "$OLIGO_DB" "
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
 SELECT (SELECT id FROM source WHERE name = 'testfeed'), 'g' || i,
  'Item ' || i || ' routine', 'https://e.com/' || i, 'summary ' || i,
  strftime('%Y-%m-%dT%H:%M:%SZ', 1700000000 + i * 60, 'unixepoch'),
  '2024-01-01' FROM n;"
}

"$OLIGO" init --quiet || exit 1
sqlite3 "$OLIGO_DB" "INSERT INTO source(name, kind, url) VALUES ('testfeed', 'rss', 'https://e.com/f');"
add_items 1 20000

mkdir -p "$XDG_CONFIG_HOME/oligo"
printf 'bind x move-down\nbind no-such-action\n' >"$XDG_CONFIG_HOME/oligo/config"
expect_exit 78 "a bind line without an action is a config error" "$OLIGO" tui
expect_grep "config:2: expected 'bind KEY ACTION'" "$T/err" "the error names file and line"
printf 'bind x move-down\nbind y no-such-action\n' >"$XDG_CONFIG_HOME/oligo/config"
expect_exit 78 "an unknown action is a config error" "$OLIGO" tui
expect_grep "config:2: unknown action 'no-such-action'" "$T/err" "the error names the action and line"
printf 'bind x move-down\nbind ^N move-down\nbind F5 move-first\n' >"$XDG_CONFIG_HOME/oligo/config"

tm new-session -d -s t -x 160 -y 40 "LANG=C.UTF-8 $OLIGO tui; sleep 30"
check "Amazon/Anthropic" "dashboard starts" 5
tm send-keys -t t 7
check "row 1 of 10,000+" "News: footer counts no further than 10,000"
check "Item 20000 routine" "newest item first"

tm send-keys -t t G
check "row 1 from the end" "G: the footer says the last row"
check "Item 1 routine" "G shows the last row (item 1)"
tm send-keys -t t k k
check "row 3 from the end" "k moves up from the end"
tm send-keys -t t g
check "row 1 of 10,000+" "g back to the first row"

tm send-keys -t t NPage
check "row 36 of" "PgDn moves a screen (35 rows)"
# far past the first page read (200 rows): the window moves with it
i=0
while [ $i -lt 29 ]; do tm send-keys -t t NPage; i=$((i + 1)); done
check "row 1,051 of" "PgDn x30 reaches row 1,051"
want=$("$OLIGO" export news | sed -n '1052p' | cut -d, -f3)
[ "$(selected)" = "$want" ] && pass "row 1,051 is export's row 1,051 ($want)" ||
	fail "row 1,051 is export's row 1,051 ($want)"
tm send-keys -t t PPage
check "row 1,016 of" "PgUp moves back"

# items arrive above: the selection stays on its row, further down
before=$(selected)
add_items 20001 20005
check "row 1,021 of" "five new items above: the position moves by five" 4
[ "$(selected)" = "$before" ] && pass "the selection stayed on $before" ||
	fail "the selection stayed on $before"
tm send-keys -t t g
check "new since your last visit" "items that arrived in the session are new"
tm send-keys -t t G
check "row 1 from the end" "G"
screen | grep -q "new since" && fail "older items are not new" || pass "older items are not new"

tm send-keys -t t / "routine" Enter
check "search: routine" "search for a term every item has"
check "row 1 of 10,000+" "the search starts at the first match"
tm send-keys -t t G
check "Item 1 routine" "G in a common-term search"
tm send-keys -t t Escape
check "row 1 of 10,000+" "Esc clears the search"
check "Item 20005 routine" "back at the newest item"
tm send-keys -t t / "12345" Enter
sleep 0.5
screen | grep -q "search: 12345 *row 1 of 1$" && pass "a rare term: one match" ||
	fail "a rare term: one match"
check "Item 12345 routine" "and it is the item"
tm send-keys -t t Escape

# keys from the config file
tm send-keys -t t g x x C-n
check "row 4 of 10,000+" "bound keys x and ^N move down"
tm send-keys -t t F5
check "row 1 of 10,000+" "bound key F5 runs move-first"
# the mouse (X10 encoding: ESC [ M, button + 32, column + 33, row + 33)
tm send-keys -t t -l "$(printf '\033[Ma!!')"
check "row 4 of 10,000+" "the wheel scrolls down three rows"
tm send-keys -t t -l "$(printf '\033[M`!!')"
check "row 1 of 10,000+" "and up"
click 10 7 # the 6th row under the header
check "row 6 of 10,000+" "a click selects a row"
x=$(screen | head -n 1 | python3 -c 'import sys; print(sys.stdin.read().index("8 Filings") + 5)')
click "$x" 0
check "Accession" "a click on a tab switches to it"
tm send-keys -t t 7

tm send-keys -t t s
check "sort: -published" "s sorts by a column an index serves"
tm send-keys -t t s
check "without an index skipped" "columns without an index are skipped on large views"
tm send-keys -t t q
sleep 0.3
grep -qx "news 20005" "$XDG_STATE_HOME/oligo/state" &&
	pass "the state file remembers the newest item seen" ||
	fail "the state file remembers the newest item seen"
add_items 20006 20006
sqlite3 "$OLIGO_DB" "
INSERT INTO source(name, kind, url) VALUES ('alpha', 'rss', 'https://a.com/f');
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 SELECT (SELECT id FROM source WHERE name = 'alpha'), 'a' || value,
  'Alpha news ' || value, 'https://a.com/' || value, 's',
  '2000-01-0' || value, '2000' FROM json_each('[1, 2, 3]');
INSERT INTO item_entity(item_id, entity_id)
 SELECT id, (SELECT id FROM entity WHERE name = 'Microsoft') FROM item
 WHERE id % 4 = 0 AND id <= 20000;"
tm respawn-pane -k -t t "LANG=C.UTF-8 $OLIGO tui; sleep 30"
check "Amazon/Anthropic" "a second session" 5
tm send-keys -t t 7
check "Item 20006 routine" "News in the second session"
check "new since your last visit" "the item that arrived between sessions is new"
tm send-keys -t t j
check "row 2 of" "j"
sleep 0.3
screen | grep -q "new since" && fail "items of the last session are not new" ||
	pass "items of the last session are not new"

# filters: E takes the selected row's entity, F cycles the sources
tm send-keys -t t / "20000" Enter
check "search: 20000" "search for item 20000"
tm send-keys -t t E
check "entity: Microsoft" "E filters by the row's entity"
tm send-keys -t t Escape
check "row 1 of 5,000" "without the search: the 5,000 items tagged Microsoft"
check "Item 20000 routine" "the newest tagged item first"
tm send-keys -t t E
check "entity: all" "E again: the row names no other entity, so no filter"
tm send-keys -t t F
check "source: alpha" "F filters by the first source"
check "row 1 of 3" "alpha's three items"
check "Alpha news 3" "newest of them first"
tm send-keys -t t F F
check "source: all" "F cycles back to all"
# a source added while the dashboard is open is offered too, and the
# source applied stays applied while the list changes
tm send-keys -t t F
check "source: alpha" "F: alpha again"
sqlite3 "$OLIGO_DB" "INSERT INTO source(name, kind, url) VALUES ('zz-late', 'rss', 'https://late.example/f');
INSERT INTO item(source_id, guid, title, link, published, fetched)
 SELECT id, 'late1', 'Late arrival from a new source', 'https://late.example/1',
  '2030-01-01T00:00:00Z', '2030-01-01' FROM source WHERE name = 'zz-late';"
sleep 1.5
check "source: alpha" "the applied source survives a reload"
check "Alpha news 3" "its rows too"
for i in 1 2 3 4 5 6; do
	screen | grep -q "source: zz-late" && break
	tm send-keys -t t F
	sleep 0.3
done
check "source: zz-late" "F offers the source added while the dashboard was open"
check "Late arrival from a new source" "and filters by it"
tm send-keys -t t q
finish
