#!/bin/sh
# The Landscape answers "who controls what" (issue 6), under tmux on a
# database the test builds: models, compute share, ΔHHI if the alliance
# were one firm (the figure `oligo analyze` prints), headlines, matters;
# filled at 200x60, degraded but not overlapping at 80x24, scrolling with
# j/k; and `oligo export landscape` holds what the screen shows.
. tests/lib.sh
. tests/tmux.sh
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }

"$OLIGO" init --quiet || exit 1
start() { # WIDTH HEIGHT
	tm kill-session -t t 2>/dev/null
	tm new-session -d -s t -x "$1" -y "$2" "LANG=C.UTF-8 $OLIGO tui; sleep 30"
	wait_for "Amazon/Anthropic" 5 || fail "dashboard started at $1x$2"
}

# before any news: the headline section says how to get some
start 200 60
check "no news ingested yet" "headlines: no news yet says run oligo ingest"
check "GPT-4 2023-03" "models with release date (Microsoft/OpenAI)"
check "Claude 3 Opus" "models (Amazon/Anthropic)"
check "no market with 2+ members" "if one firm: none in the bundled data"
"$OLIGO" analyze --market ai_compute --scenario alliances --format json >"$T/c.json"
share=$(python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
r=d[-1] if isinstance(d,list) else d
rows=r.get('rows',[r]) if isinstance(r,dict) else r
row=rows[-1]
a=[x for x in row['alliances'] if x['alliance']=='Google/DeepMind'][0]
print('%.1f%% %s %s' % (a['share'], '', row['period']))
" "$T/c.json" 2>/dev/null | sed 's/  / /')
pct=${share%% *} period=${share##* }
[ -n "$share" ] || fail "analyze --format json gives Google/DeepMind's compute share"
check "Compute owned" "compute section"
screen >"$T/s0"
grep -qF "$pct" "$T/s0" && grep -q "$pct .*H100e $period" "$T/s0" &&
	pass "compute share = oligo analyze ai_compute ($pct, $period)" ||
	{ fail "compute share $pct $period = oligo analyze"; grep -n H100e "$T/s0"; }

# an alliance with two members in one market, and tagged news
printf 'market,period,entity,share_pct,source\nzz_one,2030Q1,AWS,40,tmux test\nzz_one,2030Q1,Anthropic,25,tmux test\nzz_one,2030Q1,Azure,20,tmux test\nzz_one,2030Q1,OpenAI,15,tmux test\n' >"$T/one.csv"
"$OLIGO" import shares "$T/one.csv" 2>/dev/null || fail "import shares"
sqlite3 "$OLIGO_DB" "
INSERT INTO source(name, kind, url) VALUES ('testfeed', 'rss', 'https://e.com/f');
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 SELECT id, 'g' || n, 'Headline number ' || n || ' about Anthropic', 'https://e.com/' || n,
 '', '2030-01-' || printf('%02d', n) || 'T10:00:00Z', '2030-02-01'
 FROM source, (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3 UNION SELECT 9)
 WHERE name = 'testfeed';
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 SELECT id, 'evil', 'Evil ' || char(27) || '[2J title', 'https://e.com/e', '',
 '2029-12-31T10:00:00Z', '2030-02-01' FROM source WHERE name = 'testfeed';
INSERT INTO item_entity(item_id, entity_id)
 SELECT i.id, e.id FROM item i, entity e WHERE e.name = 'Anthropic';
" || fail "insert news"
"$OLIGO" analyze --market zz_one --scenario alliances --format csv >"$T/a.csv"
"$OLIGO" analyze --market zz_one --scenario alliances --format json >"$T/a.json"
# Amazon/Anthropic alone: 2 x 40 x 25 = 2,000; with Microsoft/OpenAI's
# 2 x 20 x 15 = 600 the scenario's ΔHHI is 2,600 (the CSV's figure)
csv=$(python3 -c "
import csv,sys
r=list(csv.DictReader(open(sys.argv[1])))[-1]
print('{:,} {}'.format(round(float(r['delta_hhi_points'])), r['us2023']))
" "$T/a.csv")
own=$(python3 -c "
import json,sys
d=json.load(open(sys.argv[1])); d=d[-1] if isinstance(d,list) else d
rows=d.get('rows',[d]); row=rows[-1]
a=[x for x in row['alliances'] if x['alliance']=='Amazon/Anthropic'][0]
print('{:,}'.format(round(a['delta_hhi'])))
" "$T/a.json" 2>/dev/null)
[ "$csv" = "2,600 presumed" ] && pass "oligo analyze --format csv: ΔHHI 2,600 presumed" ||
	fail "oligo analyze --format csv: ΔHHI (got '$csv')"
check "ΔHHI ${own:-?} ${csv#* } zz_one 2030Q1 (all ${csv% *})" \
	"if one firm: ΔHHI ${own:-?} and US 2023 verdict agree with oligo analyze" 5
check "ΔHHI 600 presumed zz_one 2030Q1 (all 2,600)" "if one firm: the other alliance too"
check "2030-01-09 Headline number 9 about Anthropic" "latest headline, newest first"
screen >"$T/s1"
awk '/Headline number 9/{a=NR} /Headline number 3/{b=NR} END{exit !(a && b && a < b)}' "$T/s1" &&
	pass "headlines newest first" || fail "headlines newest first"
grep -q "Evil .*title" "$T/s1" && pass "hostile title shown" || fail "hostile title shown"
tm capture-pane -p -e -t t | grep -q "$(printf '\033')\[2J" &&
	fail "escape in a title reaches the terminal" || pass "escape in a title sanitized"
grep -q "Headline number" "$T/s1" && ! grep -q "no news ingested" "$T/s1" &&
	pass "the no-news hint goes once news arrives" || fail "the no-news hint goes"
check "Regulators (open first)" "regulatory matters"
check "Other players:" "other players beneath"
lines=$(grep -c . "$T/s1")
[ "$lines" -ge 45 ] && pass "200x60: the columns fill the height ($lines lines used)" ||
	fail "200x60: the columns fill the height (only $lines lines)"

# nothing wraps into the next column: each line of column 1 stops before
# column 2 starts (200 / 3 = 66 columns each)
cut_ok() { # FILE WIDTH
	python3 - "$1" "$2" <<'PY'
import sys, unicodedata
w = int(sys.argv[2]) // 3
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
bad = []
for n, l in enumerate(open(sys.argv[1], encoding='utf-8').read().split('\n')[2:-4]):
    for c in range(3):
        # cells of column c: chars between c*w and c*w + w - 1 (the gap)
        s = l
        cells = []
        x = 0
        for ch in s:
            cells.append((x, ch)); x += width(ch)
        gap = [ch for x0, ch in cells if x0 == c * w + w - 1]
        if gap and gap[0] != ' ' and c < 2:
            bad.append((n, c, l))
for b in bad[:3]:
    print(b)
sys.exit(1 if bad else 0)
PY
}
cut_ok "$T/s1" 200 && pass "200x60: a space between columns" || fail "200x60: a space between columns"

# 80x24: members, shares and matters first; the rest by scrolling
tm resize-window -t t -x 80 -y 24 2>/dev/null || tm resize-pane -t t -x 80 -y 24
sleep 0.5
check "Amazon/Anthropic" "80x24 redraw"
screen >"$T/s2"
for s in "Members" "Shares" "If one firm" "Regulators"; do
	grep -q "$s" "$T/s2" && pass "80x24 shows $s" || fail "80x24 shows $s"
done
grep -q "2030-01-09 Headline" "$T/s2" && grep -q "Compute owned" "$T/s2" &&
	pass "80x24: every section keeps a row when it fits" || fail "80x24: every section keeps a row"
cut_ok "$T/s2" 80 && pass "80x24: nothing runs into the next column" ||
	fail "80x24: nothing runs into the next column"

# too many members for 80x24: the columns scroll, "…" marks the rest
sqlite3 "$OLIGO_DB" "
INSERT INTO membership(alliance_id, entity_id, role, source, as_of)
 SELECT a.id, e.id, 'test', 'tmux test', '2030-01-01' FROM alliance a,
 (SELECT id FROM entity WHERE kind = 'company' ORDER BY name LIMIT 12) e
 WHERE a.name = 'Amazon/Anthropic';" || fail "insert members"
check "… j/k scrolls" "80x24: … marks what is below" 5
screen >"$T/s3"
grep -q "2030-01-09 Headline" "$T/s3" && fail "80x24: headlines pushed below" ||
	pass "80x24: headlines pushed below"
cut_ok "$T/s3" 80 && pass "80x24 scrolled: nothing runs into the next column" ||
	fail "80x24 scrolled: nothing runs into the next column"
tm send-keys -t t G
check "2030-01-09 Headline" "G: headlines reachable by scrolling"
screen | grep -q "… j/k scrolls" && fail "no … at the end" || pass "no … at the end"
tm send-keys -t t g
check "Members" "g back to the top"
tm resize-window -t t -x 200 -y 60 2>/dev/null || tm resize-pane -t t -x 200 -y 60
sleep 0.5
check "Headline number 9" "resize back to 200x60"

# the export holds each figure the screen shows, with source and as_of
"$OLIGO" export landscape >"$T/land.csv" || fail "export landscape"
python3 - "$T/land.csv" <<'PY' && pass "export landscape: models, compute, if one firm, headlines with source and as_of" || fail "export landscape rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
def one(**kw):
    m = [r for r in rows if all(r[k] == v for k, v in kw.items())]
    assert m, kw
    return m[0]
r = one(alliance='Amazon/Anthropic', section='if_one_firm', item='zz_one')
assert round(float(r['delta_hhi_points'])) == 2000, r
assert round(float(r['scenario_delta_hhi_points'])) == 2600, r
assert r['us2023'] == 'presumed' and r['source'] == 'tmux test', r
r = one(alliance='Microsoft/OpenAI', section='model', item='GPT-4')
assert r['date'] == '2023-03' and r['source'] and r['as_of'], r
r = one(alliance='Google/DeepMind', section='compute')
assert r['period'] and r['share_pct'] and r['source'] and r['as_of'], r
h = [r for r in rows if r['alliance'] == 'Amazon/Anthropic' and r['section'] == 'headline']
assert h[0]['item'] == 'Headline number 9 about Anthropic', h[0]
assert h[0]['source'] == 'testfeed' and h[0]['as_of'].startswith('2030-01-09'), h[0]
assert all(r['source'] for r in rows if r['alliance'] != 'Other'), 'a row without source'
PY
tm send-keys -t t q
finish
