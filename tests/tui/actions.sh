#!/bin/sh
# The dashboard's actions that reach outside it: e exports what the view
# shows (filters and sort included) identically to `oligo export`; o hands
# an http(s) link to $BROWSER as one argument, no shell; r runs oligo
# ingest as a child and reports its exit code; the selection stays on its
# row when another process adds rows above it.
. tests/lib.sh
. tests/tmux.sh
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }
add_items() { # FROM TO TITLE-PREFIX
	sqlite3 "$OLIGO_DB" "
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
 SELECT (SELECT id FROM source WHERE name = 'testfeed'), 'g' || i, '$3 ' || i,
  'https://e.com/' || i, 's', printf('2024-01-%02dT00:00:00Z', i), '2024' FROM n;"
}

"$OLIGO" init --quiet || exit 1
sqlite3 "$OLIGO_DB" "INSERT INTO source(name, kind, url) VALUES ('testfeed', 'rss', 'https://e.com/f');"
add_items 1 5 Old
sqlite3 "$OLIGO_DB" "INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 VALUES (1, 'evil', 'Not a web link', '-x javascript:alert(1)', 's', '2023-01-01', '2023');"
cat >"$T/browser" <<EOS
#!/bin/sh
printf '%s\n' "\$#" "\$@" >"$T/opened"
EOS
chmod +x "$T/browser"
mkdir -p "$T/work"
tm new-session -d -s t -c "$T/work" -x 160 -y 30 \
	"LANG=C.UTF-8 BROWSER=$T/browser $OLIGO tui; sleep 30"
check "Amazon/Anthropic" "dashboard starts" 5

# e: Deals filtered by an alliance and sorted, against oligo export
tm send-keys -t t 5 f s s
check "sort: investor" "Deals filtered and sorted"
tm send-keys -t t e
check "exported" "e says it exported"
f=$(ls "$T/work" | grep '^oligo-deals-.*\.csv$')
screen | grep -qF "$f" && pass "status line names $f" || fail "status line names the file"
"$OLIGO" export deals --alliance Microsoft/OpenAI --sort investor -o "$T/want.csv" 2>/dev/null
cmp -s "$T/want.csv" "$T/work/$f" && pass "export = oligo export deals --alliance --sort" ||
	fail "export = oligo export deals --alliance --sort"

# o: the link as one argument; a non-web link is refused
tm send-keys -t t 7 g
check "Old 5" "News"
tm send-keys -t t o
i=0; until [ -s "$T/opened" ] || [ $i -ge 30 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat "$T/opened" 2>/dev/null)" = "$(printf '1\nhttps://e.com/5')" ] &&
	pass "o runs \$BROWSER with the link as its only argument" ||
	fail "o runs \$BROWSER with the link"
rm -f "$T/opened"
tm send-keys -t t G o
check "no http(s) link" "o refuses a link that is not http(s)"
[ -e "$T/opened" ] && fail "browser not run for a bad link" || pass "browser not run for a bad link"

# live: rows arrive above the selection; it stays on its row
tm send-keys -t t g j j
sleep 0.3
add_items 6 9 New
check "New 9" "new rows appear without a key press"
tm send-keys -t t Enter
check "Old 3" "the selection stayed on its row"
tm send-keys -t t Escape

# r: oligo ingest as a child; a broken config is exit 78
mkdir -p "$XDG_CONFIG_HOME/oligo"
echo 'not a config line' >"$XDG_CONFIG_HOME/oligo/config"
tm send-keys -t t r
check "configuration error (exit 78)" "r runs ingest and reports exit 78" 10
tm send-keys -t t j
check "Old" "keyboard still works"
tm send-keys -t t q
sleep 0.3
screen | grep -q "Published" && fail "q quits" || pass "q quits"
finish
