#!/bin/sh
# The Criterion unit tests under Valgrind (memcheck): any error or
# definite leak fails.  test_fetch is left out: its timeouts are measured
# in milliseconds against a live server, which Valgrind's 20-50x slowdown
# turns into false failures; ASan covers it in `make test SANITIZE=1`.
set -u
BUILD=${BUILD:-build/rel}
failed=0
passed=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ "$name" = test_fetch ] && continue
	if valgrind --trace-children=yes --trace-children-skip='/usr/*,/bin/*' \
		--error-exitcode=9 --leak-check=full \
		--errors-for-leak-kinds=definite -q "$t" --jobs 1 \
		>"$BUILD/tests/$name.vg.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok    $name (valgrind)"
	else
		failed=$((failed + 1))
		echo "FAIL  $name (valgrind): see $BUILD/tests/$name.vg.log"
		grep -m 20 '==[0-9]*==' "$BUILD/tests/$name.vg.log"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
