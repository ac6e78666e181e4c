#!/bin/sh
# The command-line contract scripts depend on: help, exit codes, init,
# status, import, export, analyze.
. tests/lib.sh

expect_exit 0 "--version" "$OLIGO" --version
expect_grep "^oligo [0-9]" "$T/out" "--version prints the version"
expect_exit 0 "--help" "$OLIGO" --help
expect_grep "import" "$T/out" "--help lists commands"
for c in init status tui import export analyze; do
	expect_exit 0 "$c --help" "$OLIGO" "$c" --help
	expect_grep "usage: oligo $c" "$T/out" "$c --help shows its usage"
done
expect_exit 64 "unknown command is a usage error" "$OLIGO" frobnicate
expect_exit 64 "the dashboard refuses to start without a terminal" \
	"$OLIGO" tui </dev/null
grep -q "needs a terminal" "$T/err" && pass "and says why" ||
	fail "and says why"
expect_exit 66 "status before init names the fix" "$OLIGO" status
expect_grep "oligo init" "$T/err" "status before init says run oligo init"

expect_exit 0 "init creates the database" "$OLIGO" init
[ -f "$OLIGO_DB" ] && pass "database file exists" || fail "database file exists"
expect_exit 0 "init again" "$OLIGO" init
expect_grep "already current" "$T/out" "second init changes nothing"
expect_exit 0 "status" "$OLIGO" status
expect_grep "alliance      3" "$T/out" "status counts three alliances"
[ "$(sqlite3 "$OLIGO_DB" 'PRAGMA journal_mode')" = wal ] &&
	pass "database is in WAL mode" || fail "database is in WAL mode"

# --db overrides OLIGO_DB; XDG_DATA_HOME is the default
expect_exit 0 "--db PATH" "$OLIGO" --db "$T/other.db" init --quiet
[ -f "$T/other.db" ] && pass "--db creates that file" || fail "--db creates that file"
(unset OLIGO_DB; "$OLIGO" init --quiet) &&
	[ -f "$XDG_DATA_HOME/oligo/oligo.db" ] &&
	pass "default path under XDG_DATA_HOME" || fail "default path under XDG_DATA_HOME"

# export: every view, stdout and files, file safety
for v in $("$OLIGO" export --list | cut -d' ' -f1); do
	expect_exit 0 "export $v" "$OLIGO" export "$v"
done
"$OLIGO" export deals >"$T/deals.csv"
head -n 1 "$T/deals.csv" | grep -q "^date,investor,target,alliance,kind,amount_usd," &&
	pass "deals header carries units" || fail "deals header carries units"
[ "$(head -c 3 "$T/deals.csv" | od -An -tx1 | tr -d ' ')" != efbbbf ] &&
	pass "no BOM by default" || fail "no BOM by default"
"$OLIGO" export deals --excel >"$T/deals-x.csv"
[ "$(head -c 3 "$T/deals-x.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] &&
	pass "--excel adds a BOM" || fail "--excel adds a BOM"
grep -q "$(printf '\r')$" "$T/deals.csv" && pass "CRLF records" || fail "CRLF records"
expect_exit 0 "export -o FILE" "$OLIGO" export deals -o "$T/d.csv"
cmp -s "$T/d.csv" "$T/deals.csv" && pass "file equals stdout" || fail "file equals stdout"
expect_exit 73 "existing file needs --force" "$OLIGO" export deals -o "$T/d.csv"
expect_exit 0 "--force overwrites" "$OLIGO" export deals -o "$T/d.csv" --force
ln -s "$T/target" "$T/link.csv"
expect_exit 73 "symlink target refused" "$OLIGO" export deals -o "$T/link.csv" --force
[ ! -e "$T/target" ] && pass "symlink target untouched" || fail "symlink target untouched"
expect_exit 64 "unknown view" "$OLIGO" export nothing
expect_exit 64 "filter the view lacks" "$OLIGO" export sources --alliance x
"$OLIGO" export deals --alliance Amazon/Anthropic >"$T/aa.csv"
[ "$(tail -n +2 "$T/aa.csv" | cut -d, -f4 | sort -u | tr -d '\r')" = Amazon/Anthropic ] &&
	pass "alliance filter" || fail "alliance filter"
ls "$T"/.d.csv.tmp.* >/dev/null 2>&1 && fail "no temp files left" || pass "no temp files left"

# import: all or nothing, file:line, created names, idempotent
printf 'market,period,entity,share_pct,source\nt1,2025Q1,AWS,30,test\nt1,2025Q1,Azure,30,test\nt1,2025Q1,Acme,20,test\nt1,2025Q1,Beta,20,test\n' >"$T/s.csv"
expect_exit 0 "import shares" "$OLIGO" import shares "$T/s.csv"
expect_grep "created entity 'Acme'" "$T/err" "import lists created entities"
expect_exit 0 "import the same file again" "$OLIGO" import shares "$T/s.csv"
[ ! -s "$T/err" ] && pass "second import creates nothing" || fail "second import creates nothing"
"$OLIGO" analyze --market t1 --format json >"$T/a.json"
python3 -c "
import json,sys
a=json.load(open('$T/a.json'))
assert len(a)==1 and a[0]['hhi']==2600 and a[0]['cr4']==100, a
for k in 'market period n_firms hhi hhi_lower hhi_upper cr1 cr2 cr3 cr4 hhi_normalized hall_tideman gini entropy theil linda dominance ck'.split():
    assert k in a[0], k
" && pass "analyze json: T1 market HHI 2600, all keys" || fail "analyze json: T1 market HHI 2600, all keys"
"$OLIGO" analyze --market t1 --merge Acme+Beta --format json >"$T/m.json"
python3 -c "
import json
a=json.load(open('$T/m.json'))[0]
assert a['hhi_post']==3400 and a['delta_hhi']==800 and a['merged_share']==40, a
" && pass "merge scenario: T9 post 3400, delta 800" || fail "merge scenario: T9 post 3400, delta 800"
printf 'market,period,entity,share_pct\nt2,2025Q1,AWS,30\nt2,2025Q1,Azure,abc\n' >"$T/bad.csv"
expect_exit 65 "bad import exits 65" "$OLIGO" import shares "$T/bad.csv"
expect_grep "bad.csv:3:" "$T/err" "error names file:line"
"$OLIGO" export markets --market t2 >"$T/t2.csv"
[ "$(wc -l <"$T/t2.csv")" -eq 1 ] && pass "nothing half-imported" || fail "nothing half-imported"
expect_exit 66 "missing import file" "$OLIGO" import shares "$T/none.csv"
printf 'investor,firm,own_pct,ctrl_pct\nFund,Microsoft,5,\n' >"$T/h.csv"
expect_exit 0 "import holdings" "$OLIGO" import holdings "$T/h.csv"

# a database from a newer oligo is refused with a clear message
cp "$OLIGO_DB" "$T/new.db"
sqlite3 "$T/new.db" 'PRAGMA user_version = 99'
expect_exit 78 "newer database refused" "$OLIGO" --db "$T/new.db" init
expect_grep "newer" "$T/err" "refusal says why"

# a database of schema 2 (before commits indexed their items in one
# statement, step 3, and the date index carried the source, step 4):
# read-only commands say how to upgrade; init upgrades it, keeping every
# item and its search index
cp "$OLIGO_DB" "$T/old.db"
sqlite3 "$T/old.db" "
INSERT INTO source(name, kind, url) VALUES ('old', 'feed', 'http://127.0.0.1/');
DROP INDEX item_published_source;
CREATE INDEX item_published ON item(published, id);
DROP TABLE item_fts_defer;
DROP TRIGGER item_ai; DROP TRIGGER item_ad; DROP TRIGGER item_au;
CREATE TRIGGER item_ai AFTER INSERT ON item BEGIN INSERT INTO item_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); END;
CREATE TRIGGER item_ad AFTER DELETE ON item BEGIN INSERT INTO item_fts(item_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary); END;
CREATE TRIGGER item_au AFTER UPDATE ON item BEGIN INSERT INTO item_fts(item_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary); INSERT INTO item_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); END;
INSERT INTO item(source_id, guid, title, fetched) SELECT id, 'o1', 'Legacy antitrust story', '2025-01-01' FROM source WHERE name = 'old';
PRAGMA user_version = 2;"
expect_exit 78 "older database: export refuses" "$OLIGO" --db "$T/old.db" export news
expect_grep "older oligo.*oligo init" "$T/err" "older database: the refusal says how to upgrade"
expect_exit 0 "older database: init upgrades it" "$OLIGO" --db "$T/old.db" init
[ "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" = "$(sqlite3 "$OLIGO_DB" 'PRAGMA user_version')" ] &&
	pass "older database: now at the current schema" || fail "older database: now at the current schema"
expect_exit 0 "older database: search after the upgrade" "$OLIGO" --db "$T/old.db" export news --search legacy
expect_grep "Legacy antitrust story" "$T/out" "older database: its items are still found"
sqlite3 "$T/old.db" "INSERT INTO item(source_id, guid, title, fetched) SELECT id, 'o2', 'Fresh merger filing', '2025-01-02' FROM source WHERE name = 'old';
INSERT INTO item_fts(item_fts, rank) VALUES ('integrity-check', 1);" &&
	pass "older database: index intact, new rows indexed by the new triggers" ||
	fail "older database: index intact, new rows indexed by the new triggers"
expect_exit 0 "older database: a new row is found" "$OLIGO" --db "$T/old.db" export news --search merger
expect_grep "Fresh merger filing" "$T/out" "older database: the new row is in the results"
finish
