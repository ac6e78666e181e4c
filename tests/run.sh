#!/bin/sh
# Run every test: the Criterion unit binaries, then the shell tests
# (CLI and TUI under tmux).  Ends with one line "N passed, N failed".
# Environment: BUILD (the build folder), OLIGO_BIN (the oligo binary).
set -u
BUILD=${BUILD:-build/rel}
OLIGO_BIN=${OLIGO_BIN:-./oligo}
export BUILD OLIGO_BIN
passed=0
failed=0
failures=

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if "$t" --jobs 1 >"$BUILD/tests/$name.log" 2>&1; then
		passed=$((passed + 1))
		printf 'ok    %s  (%s)\n' "$name" \
			"$(grep -o 'Tested: [0-9]* | Passing: [0-9]*' "$BUILD/tests/$name.log" | tail -n 1)"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL  %s\n' "$name"
		tail -n 30 "$BUILD/tests/$name.log"
	fi
done

for t in tests/cli/*.sh tests/tui/*.sh tests/crash/*.sh tests/faults/*.sh \
	tests/cron/*.sh tests/soak/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	log="$BUILD/tests/sh-$name.log"
	if sh "$t" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'ok    %s  (%s)\n' "$t" "$(grep -c '^ok ' "$log") checks"
	else
		failed=$((failed + 1))
		failures="$failures $t"
		printf 'FAIL  %s\n' "$t"
		tail -n 30 "$log"
	fi
done

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
