# Shared helpers for the shell tests: sourced, not run.
# Each check prints "ok - name" or "not ok - name"; the script exits 1 at
# the end if any check failed.
set -u
OLIGO=${OLIGO_BIN:-./oligo}
case $OLIGO in /*) ;; *) OLIGO=$PWD/$OLIGO ;; esac
T=$(mktemp -d /tmp/oligo-sh.XXXXXX)
export OLIGO_DB="$T/data/oligo.db" XDG_CONFIG_HOME="$T/config"
export XDG_DATA_HOME="$T/xdg" XDG_STATE_HOME="$T/state"
unset NO_COLOR
failures=0

cleanup() {
	[ -n "${TMUX_SOCKET:-}" ] && tmux -S "$TMUX_SOCKET" kill-server 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; failures=$((failures + 1)); }

# expect_exit CODE NAME CMD...: run CMD, compare its exit status
expect_exit() {
	want=$1 name=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name (exit $got, wanted $want)"
		sed 's/^/    /' "$T/err" | head -n 5
	fi
}

# expect_grep PATTERN FILE NAME
expect_grep() {
	if grep -q -- "$1" "$2"; then pass "$3"; else
		fail "$3 (no '$1' in $2)"
		sed 's/^/    /' "$2" | head -n 10
	fi
}

finish() {
	[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
}
