# The dashboard under tmux, for the TUI tests: sourced after tests/lib.sh
# (which removes the server with $T).  Tests start sessions on
# $TMUX_SOCKET with tm; screen, wait_for and check read session $S (t
# unless the test sets it).
command -v tmux >/dev/null || { echo "tmux missing"; exit 1; }
TMUX_SOCKET=$T/tmux.sock
S=t
tm() { tmux -S "$TMUX_SOCKET" "$@"; }
screen() { tm capture-pane -p -t "$S"; }

# wait_for TEXT SECONDS: poll the screen until TEXT shows up
wait_for() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# check TEXT NAME [SECONDS]: pass when TEXT shows up in time; on failure
# the screen goes to the log
check() {
	if wait_for "$1" "${3:-3}"; then
		pass "$2"
	else
		fail "$2"
		screen | head -n 24
	fi
}
