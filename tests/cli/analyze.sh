#!/bin/sh
# The `oligo analyze` contract scripts depend on: JSON keys and screens,
# scenarios, --merge through aliases, --kappa, --dependence, exit codes
# (64 bad options / unknown names, 65 a known market without shares).
. tests/lib.sh

"$OLIGO" init --quiet || fail "init"
printf 'market,period,entity,share_pct\nt1,2025Q1,AWS,30\nt1,2025Q1,Azure,30\nt1,2025Q1,Acme,20\nt1,2025Q1,Beta,20\n' >"$T/s.csv"
"$OLIGO" import shares "$T/s.csv" 2>/dev/null || fail "import shares"

expect_exit 0 "merge through aliases" "$OLIGO" analyze --market t1 --merge "AWS+Azure" --format json
python3 -c "
import json
a=json.load(open('$T/out'))
assert len(a)==1, a
o=a[0]
keys='market period n_firms hhi hhi_lower hhi_upper cr1 cr2 cr3 cr4 hhi_normalized hall_tideman gini entropy theil linda dominance ck scenario hhi_post delta_hhi merged_share mhhi delta_mhhi screens'.split()
for k in keys: assert k in o, k
assert o['delta_hhi']==1800 and o['hhi_post']==4400 and o['merged_share']==60, o
s=o['screens']
assert s['us2023']=={'verdict':'presumed','rule':'both'}, s
assert s['us2010']=={'band':'high','verdict':'presumed'}, s
assert s['eu2004']=={'verdict':'outside_safe_harbour'}, s
assert o['mhhi'] is None and o['linda'] is not None
" && pass "merge json: keys, screens, T9-style values" || fail "merge json: keys, screens, T9-style values"

expect_exit 0 "standalone json" "$OLIGO" analyze --market t1 --format json
python3 -c "
import json
o=json.load(open('$T/out'))[0]
assert 'scenario' not in o and 'screens' not in o, o
assert o['hhi']==2600
" && pass "standalone json has no scenario keys" || fail "standalone json has no scenario keys"

expect_exit 0 "merge with a firm absent from the market" "$OLIGO" analyze --market t1 --merge "Acme+Nvidia" --format json
expect_grep "'Nvidia' has no share" "$T/err" "absent merger party is reported"
python3 -c "
import json
assert json.load(open('$T/out'))[0]['delta_hhi']==0
" && pass "absent party: delta 0" || fail "absent party: delta 0"

expect_exit 64 "unknown merge firm" "$OLIGO" analyze --market t1 --merge "Acme+Nosuchco"
expect_grep "unknown firm 'Nosuchco'" "$T/err" "unknown firm is named"
expect_exit 64 "unknown market" "$OLIGO" analyze --market nosuchmarket
expect_exit 65 "known market without point shares" "$OLIGO" analyze --market uk_cloud_iaas
expect_exit 64 "unknown scenario" "$OLIGO" analyze --scenario bogus
expect_exit 64 "unknown format" "$OLIGO" analyze --format xml
expect_exit 64 "merge with scenario" "$OLIGO" analyze --merge A+B --scenario alliances
expect_exit 64 "merge needs two firms" "$OLIGO" analyze --merge Acme
expect_exit 64 "kappa with market" "$OLIGO" analyze --kappa --market t1
expect_exit 64 "unknown option" "$OLIGO" analyze --frobnicate

for s in standalone alliances ownership; do
	expect_exit 0 "scenario $s csv" "$OLIGO" analyze --scenario "$s" --format csv
	expect_exit 0 "scenario $s table" "$OLIGO" analyze --scenario "$s"
done
# per-alliance results: AWS (an alias of Amazon) and Anthropic are both
# Amazon/Anthropic, so that alliance alone adds 2*30*20 = 1200 points
printf 'market,period,entity,share_pct\nt3,2025Q1,AWS,30\nt3,2025Q1,Anthropic,20\nt3,2025Q1,Acme,25\nt3,2025Q1,Beta,25\n' >"$T/s3.csv"
"$OLIGO" import shares "$T/s3.csv" 2>/dev/null || fail "import shares t3"
expect_exit 0 "alliances json per alliance" "$OLIGO" analyze --market t3 --scenario alliances --format json
python3 -c "
import json
a=json.load(open('$T/out'))
assert len(a)==1, a
o=a[0]
assert o['delta_hhi']==1200 and o['hhi_post']==3750 and o['merged_share']==50, o
al=o['alliances']
assert isinstance(al, list) and len(al)==1, al
x=al[0]
assert set(x)=={'alliance','members','share','delta_hhi'}, x
assert x['alliance']=='Amazon/Anthropic', x
assert sorted(x['members'])==['Amazon','Anthropic'], x
assert x['share']==50 and x['delta_hhi']==1200, x
" && pass "alliances json: Amazon/Anthropic share 50, delta 1200" || fail "alliances json: Amazon/Anthropic share 50, delta 1200"
expect_exit 0 "alliances json, every market" "$OLIGO" analyze --scenario alliances --format json
python3 -c "
import json
for o in json.load(open('$T/out')):
    al=o['alliances']
    assert all(x['members'] for x in al), o
    assert abs(sum(x['delta_hhi'] for x in al)-o['delta_hhi'])<1e-9, o
    assert sum(x['share'] for x in al)<=100+1e-9, o
" && pass "alliances json: deltas add up to delta_hhi everywhere" || fail "alliances json: deltas add up to delta_hhi everywhere"
expect_exit 0 "alliances table" "$OLIGO" analyze --market t3 --scenario alliances
expect_grep '^  Amazon/Anthropic  share 50.0%  ΔHHI 1200$' "$T/out" "alliances table: one line per alliance"
expect_exit 0 "alliances csv" "$OLIGO" analyze --market t3 --scenario alliances --format csv
[ "$(wc -l <"$T/out")" -eq 2 ] && ! grep -q Amazon "$T/out" &&
	pass "alliances csv keeps its columns" || fail "alliances csv keeps its columns"
expect_exit 0 "merge json has no alliances key" "$OLIGO" analyze --market t3 --merge "Acme+Beta" --format json
python3 -c "
import json
assert 'alliances' not in json.load(open('$T/out'))[0]
" && pass "alliances key only with --scenario alliances" || fail "alliances key only with --scenario alliances"

expect_exit 0 "ai_compute pseudo-market" "$OLIGO" analyze --market ai_compute --scenario alliances --format json
python3 -c "
import json
a=json.load(open('$T/out'))
assert {o['period'] for o in a} >= {'2026-04'}, a
assert all(o['market']=='ai_compute' for o in a)
" && pass "ai_compute rows" || fail "ai_compute rows"

printf 'investor,firm,own_pct,ctrl_pct,as_of\nFund1,Acme,10,,2025-01-01\nFund1,Beta,5,,2025-01-01\nFund2,Acme,5,,2025-01-01\nFund2,Beta,10,,2025-01-01\n' >"$T/h.csv"
"$OLIGO" import holdings "$T/h.csv" 2>/dev/null || fail "import holdings"
expect_exit 0 "ownership scenario" "$OLIGO" analyze --market t1 --scenario ownership --format json
python3 -c "
import json
o=json.load(open('$T/out'))[0]
# kappa Acme->Beta = (10*5+5*10)/(100+25) = 0.8 both ways: 2*0.8*20*20
assert abs(o['delta_mhhi']-640)<1e-9 and abs(o['mhhi']-3240)<1e-9, o
assert o['merged_share'] is None and o['holdings_used']==4, o
" && pass "ownership json: MHHI from holdings" || fail "ownership json: MHHI from holdings"

expect_exit 0 "kappa json" "$OLIGO" analyze --kappa --period 2025Q4 --format json
python3 -c "
import json
o=json.load(open('$T/out'))
assert set(o) >= {'period','firms','kappa'}, o
n=len(o['firms']); k=o['kappa']
assert n>=2 and len(k)==n and all(len(r)==n for r in k)
assert all(abs(k[i][i]-1)<1e-12 for i in range(n)), k
i,j=o['firms'].index('Acme'),o['firms'].index('Beta')
assert abs(k[i][j]-0.8)<1e-12, k
" && pass "kappa json: shape, kappa_ii = 1, Acme->Beta 0.8" || fail "kappa json: shape, kappa_ii = 1, Acme->Beta 0.8"
expect_exit 0 "kappa table" "$OLIGO" analyze --kappa
expect_exit 65 "kappa before any holding" "$OLIGO" analyze --kappa --period 1990

expect_exit 0 "dependence json" "$OLIGO" analyze --dependence --format json
python3 -c "
import json
a=json.load(open('$T/out'))
o=[r for r in a if r['lab']=='OpenAI' and r['period']=='2025'][0]
assert abs(o['dependence_pct']-100*250/1010.4)<1e-9, o
assert set(o)=={'lab','alliance','period','deals','undisclosed_deals','disclosed_usd','own_cloud_usd','dependence_pct'}
" && pass "dependence json" || fail "dependence json"
finish
