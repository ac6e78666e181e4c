#!/bin/sh
# Build each libFuzzer harness (clang, ASan + UBSan) against the project's
# sources and run it for FUZZ_SECONDS, seeded from the project's fixtures
# and, when present, ../shared/fixtures/real.  Crashes are saved under
# build/fuzz/NAME/ and fail the run.
set -u
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
CC=${FUZZ_CC:-clang}
out=build/fuzz
mkdir -p "$out"
CFLAGS="-std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 -DOLIGO_VERSION=\"fuzz\" -g -O1 -I. -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
PKG=$(pkg-config --cflags --libs libxml-2.0 libcurl jansson sqlite3 zlib openblas)
SRC=$(ls lib/*.c ingest/*.c db/*.c analysis/*.c)
fixtures=../shared/fixtures/real
status=0
for h in "$@"; do
	name=$(basename "$h" .c)
	bin=$out/$name
	corpus=$out/$name/corpus
	mkdir -p "$corpus"
	echo "== $name"
	if ! $CC $CFLAGS -o "$bin.bin" "$h" $SRC build/rel/data/dataset.o $PKG -lm 2>"$out/$name.build.log"; then
		echo "build failed: see $out/$name.build.log"
		status=1
		continue
	fi
	seeds="tests/fuzz/seeds/$name"
	[ -d "$seeds" ] || seeds=
	[ -d "$fixtures" ] && seeds="$seeds $fixtures"
	# -max_len keeps the search on sizes parsers see in one record
	if ! "$bin.bin" -max_total_time="$FUZZ_SECONDS" -max_len=16384 \
		-artifact_prefix="$out/$name/" -print_final_stats=1 \
		"$corpus" $seeds >"$out/$name.log" 2>&1; then
		echo "CRASH: see $out/$name.log and $out/$name/"
		status=1
	fi
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$name.log" | sed 's/^/  /'
done
exit $status
