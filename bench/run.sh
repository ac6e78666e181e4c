#!/bin/sh
# Run every benchmark, then print one summary table.  Each benchmark
# prints result lines "name  value unit  ratio  target  ok|MISS|skip";
# other lines are its commentary.
set -u
BUILD=${BUILD:-build/rel}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for b in "$BUILD"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" | tee -a "$out"
done
for b in bench/*.sh; do
	[ -f "$b" ] && [ "$b" != bench/run.sh ] || continue
	echo "== $(basename "$b")"
	sh "$b" | tee -a "$out"
done
echo
echo "summary (name  value unit  ratio  target  verdict)"
grep -E '  (ok|MISS|skip)$' "$out"
miss=$(grep -c '  MISS$' "$out")
echo "$(grep -c '  ok$' "$out") ok, $miss missed"
