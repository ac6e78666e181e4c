#!/bin/sh
# Build each libFuzzer harness (clang, ASan + UBSan) against the project's
# sources and run it for FUZZ_SECONDS, seeded from the project's fixtures
# and, when present, ../shared/fixtures/real.  Crashes are saved under
# build/fuzz/NAME/ and fail the run.
#
# Seeds: tests/fuzz/seeds/NAME/ (small hand-written inputs, committed) and
# the subfolders of ../shared/fixtures/real that hold the harness's kind
# of document.  The corpus the fuzzer grows lives in build/fuzz/NAME/corpus.
set -u
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
DATASET_O=${DATASET_O:-build/rel/data/dataset.o} # the bundled data, compiled
CC=${FUZZ_CC:-clang}
out=build/fuzz
mkdir -p "$out"
CFLAGS="-std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 -DOLIGO_VERSION=\"fuzz\" -g -O1 -I. -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
PKG=$(pkg-config --cflags --libs libxml-2.0 libcurl jansson sqlite3 zlib openblas libzip)
SRC=$(ls lib/*.c ingest/*.c db/*.c analysis/*.c)
fixtures=../shared/fixtures/real
status=0
for h in "$@"; do
	name=$(basename "$h" .c)
	bin=$out/$name
	corpus=$out/$name/corpus
	mkdir -p "$corpus"
	echo "== $name"
	if ! $CC $CFLAGS -o "$bin.bin" "$h" $SRC "$DATASET_O" $PKG -lm 2>"$out/$name.build.log"; then
		echo "build failed: see $out/$name.build.log"
		status=1
		continue
	fi
	seeds="tests/fuzz/seeds/$name"
	[ -d "$seeds" ] || seeds=
	case $name in
	fuzz_feed) real="feeds-feedparser feeds-newsboat sec-edgar-atom sec-edgar-rss" ;;
	fuzz_html) real="feeds-newsboat sec-edgar-errors" ;;
	fuzz_edgar_json) real="sec-edgar-submissions sec-edgar-efts sec-edgar-xbrl-api" ;;
	fuzz_edgar_index) real="sec-edgar-index" ;;
	fuzz_13f* | fuzz_f13*) real="sec-edgar-13f" ;;
	*) real= ;;
	esac
	for d in $real; do
		[ -d "$fixtures/$d" ] && seeds="$seeds $fixtures/$d"
	done
	# every crash found so far, replayed once each (no mutation)
	regs=tests/fuzz/regressions/$name
	if [ -d "$regs" ] && [ -n "$(ls "$regs")" ]; then
		if ! "$bin.bin" "$regs"/* >"$out/$name.regress.log" 2>&1; then
			echo "REGRESSION: an input under $regs fails again: see $out/$name.regress.log"
			status=1
		fi
	fi
	# -max_len keeps the search on sizes parsers see in one record
	if ! "$bin.bin" -max_total_time="$FUZZ_SECONDS" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/$name/" -print_final_stats=1 \
		"$corpus" $seeds >"$out/$name.log" 2>&1; then
		echo "CRASH: see $out/$name.log and $out/$name/"
		status=1
	fi
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$name.log" | sed 's/^/  /'
done
exit $status
