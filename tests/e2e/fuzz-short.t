#!/bin/sh
# The libFuzzer targets (tests/fuzz/fuzz-*.c), built with clang under ASan
# and UBSan as `make fuzz` builds them: each one first runs every input
# kept as a regression test (tests/fuzz/regress/NAME/, and for the feed
# parser tests/fixtures/feeds/regress/), then fuzzes for a few seconds
# from its seeds in a scratch corpus. Any crash, leak, sanitizer report or
# failed check is a failure. FUZZ_SHORT_SECONDS sets the seconds per target.
. "$WW_SRC/tests/e2e/lib.sh"

secs=${FUZZ_SHORT_SECONDS:-4}
fuzzers=
for src in "$WW_SRC"/tests/fuzz/fuzz-*.c; do
	fuzzers="$fuzzers build-fuzz/$(basename "$src" .c)"
done
# A make of our own: not the variables of a make this test may run under.
(cd "$WW_SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -s -j2 $fuzzers) >"$T_TMP/build.log" 2>&1
r=$?
ok $r "fuzz targets build with clang and libFuzzer"
if [ $r -ne 0 ]; then
	tail -15 "$T_TMP/build.log" | sed 's/^/#   /'
	done_testing
	exit
fi

# The sanitizers stop at the first report; UBSan reports are fatal too.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

for fz in $fuzzers; do
	name=$(basename "$fz")
	bin="$WW_SRC/$fz"
	dict=
	[ -f "$WW_SRC/tests/fuzz/$name.dict" ] && dict="-dict=$WW_SRC/tests/fuzz/$name.dict"

	# Every kept input, one by one.
	set --
	for d in "$WW_SRC/tests/fuzz/regress/$name" "$WW_SRC/tests/fuzz/seeds/$name"; do
		[ -d "$d" ] || continue
		for f in "$d"/*; do [ -f "$f" ] && set -- "$@" "$f"; done
	done
	if [ "$name" = fuzz-feed ] && [ -d "$FIX/feeds/regress" ]; then
		for f in "$FIX"/feeds/regress/*; do [ -f "$f" ] && set -- "$@" "$f"; done
	fi
	nin=$#
	if [ $nin -gt 0 ]; then
		"$bin" -timeout=30 -rss_limit_mb=2048 "$@" >"$T_TMP/$name.regress" 2>&1
		r=$?
		grep -q -e 'runtime error:' -e '^==[0-9]*==ERROR' "$T_TMP/$name.regress" && r=1
		ok $r "$name: $nin kept inputs (regressions and seeds) run clean"
		[ $r -eq 0 ] || grep -m 5 -e 'runtime error:' -e 'ERROR' -e 'Running:' \
		    "$T_TMP/$name.regress" | tail -5 | sed 's/^/#   /'
	fi

	# A short fuzzing run from the seeds.
	mkdir -p "$T_TMP/corpus-$name" "$T_TMP/art"
	seeds=
	[ -d "$WW_SRC/tests/fuzz/seeds/$name" ] && seeds="$WW_SRC/tests/fuzz/seeds/$name"
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$T_TMP/art/$name-" $dict \
	    "$T_TMP/corpus-$name" $seeds >"$T_TMP/$name.log" 2>&1
	r=$?
	grep -q -e 'runtime error:' -e '^==[0-9]*==ERROR' "$T_TMP/$name.log" && r=1
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T_TMP/$name.log" | tail -1)
	ok $r "$name: ${secs}s of fuzzing, ${execs:-?} executions, nothing found"
	if [ $r -ne 0 ]; then
		grep -m 5 -e 'runtime error:' -e 'ERROR' -e 'Test unit written' \
		    "$T_TMP/$name.log" | sed 's/^/#   /'
		# Keep the input where a developer finds it.
		mkdir -p "$WW_SRC/build-fuzz/artifacts"
		cp "$T_TMP"/art/"$name"-* "$WW_SRC/build-fuzz/artifacts/" 2>/dev/null
	fi
	# More than a trivial number of runs: the target really fuzzed.
	[ "${execs:-0}" -gt 50 ]
	ok $? "$name: the fuzzer made progress (${execs:-0} executions)"
done

done_testing
