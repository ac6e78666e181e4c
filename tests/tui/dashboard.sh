#!/bin/sh
# The dashboard as a person uses it, under tmux: the Landscape shows the
# three alliances, data imported by another process appears without a key
# press, help, view switching, resize, and q.
. tests/lib.sh
. tests/tmux.sh

"$OLIGO" init --quiet || exit 1
tm new-session -d -s t -x 150 -y 40 "LANG=C.UTF-8 $OLIGO tui; sleep 30"
for a in Microsoft/OpenAI Google/DeepMind Amazon/Anthropic; do
	wait_for "$a" 5 && pass "landscape shows $a" || fail "landscape shows $a"
done
wait_for "Other players:" 1 && pass "other players beneath" || fail "other players beneath"
wait_for "Anthropic (lab)" 1 && pass "members by role" || fail "members by role"
screen >"$T/screen1"
expect_grep "updated" "$T/screen1" "status line"

# another process commits; the screen follows with no key press
printf 'market,period,entity,share_pct,source\nzz_live,2030Q1,AWS,44.5,tmux test\n' >"$T/live.csv"
"$OLIGO" import shares "$T/live.csv" 2>/dev/null
start=$(date +%s%N)
if wait_for "44.5% Amazon zz_live 2030Q1" 3; then
	ms=$((($(date +%s%N) - start) / 1000000))
	pass "live update without a key press (${ms} ms)"
else
	fail "live update without a key press"
	screen | head -n 12
fi

tm send-keys -t t '?'
wait_for "next-view" 2 && pass "? shows help from the action table" || fail "? shows help"
tm send-keys -t t '?'
tm send-keys -t t '5'
wait_for "Investor" 2 && pass "5 opens Deals" || fail "5 opens Deals"
tm send-keys -t t 'G'
tm send-keys -t t 'g'
tm send-keys -t t Tab
wait_for "Firms" 2 || true
tm send-keys -t t '2'
wait_for "HHI" 2 && pass "2 opens Markets" || fail "2 opens Markets"
tm send-keys -t t '1'
tm resize-window -t t -x 80 -y 24 2>/dev/null || tm resize-pane -t t -x 80 -y 24
sleep 0.5
wait_for "Amazon/Anthropic" 3 && pass "redraws after resize to 80x24" ||
	fail "redraws after resize to 80x24"
tm send-keys -t t 'q'
sleep 0.5
screen | grep -q "Other players" && fail "q quits" || pass "q quits"

# monochrome: NO_COLOR still shows everything
tm kill-session -t t
tm new-session -d -s m -x 120 -y 30 "NO_COLOR=1 LANG=C.UTF-8 $OLIGO tui; sleep 30"
i=0
until tm capture-pane -p -t m | grep -q Amazon/Anthropic || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1)); done
[ $i -lt 50 ] && pass "NO_COLOR dashboard" || fail "NO_COLOR dashboard"
finish
