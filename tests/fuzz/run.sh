#!/bin/sh
# Run libFuzzer targets: tests/fuzz/run.sh SECONDS FUZZER...
# Each FUZZER (a built binary, e.g. build-fuzz/fuzz-feed) runs for SECONDS
# on the corpus build-fuzz/corpus/NAME, seeded from tests/fuzz/seeds/NAME/
# when that exists, with tests/fuzz/NAME.dict when that exists. Crashing
# inputs are written to build-fuzz/artifacts/. Prints executions and
# findings per target; exits 1 when any target crashed or reported
# undefined behaviour. FUZZ_JOBS=N runs N processes per target (default 1).
set -u
[ $# -ge 2 ] || { echo "usage: tests/fuzz/run.sh SECONDS FUZZER..." >&2; exit 2; }
secs=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build-fuzz
mkdir -p "$out/corpus" "$out/artifacts" "$out/logs"
status=0
for fz in "$@"; do
	name=$(basename "$fz")
	corpus=$out/corpus/$name
	log=$out/logs/$name.log
	mkdir -p "$corpus"
	[ -d "$root/tests/fuzz/seeds/$name" ] && cp "$root/tests/fuzz/seeds/$name"/* "$corpus"/ 2>/dev/null
	set -- -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
	    -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-"
	[ -f "$root/tests/fuzz/$name.dict" ] && set -- "$@" -dict="$root/tests/fuzz/$name.dict"
	UBSAN_OPTIONS=print_stacktrace=1 "$fz" "$@" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	files=$(ls "$corpus" | wc -l | tr -d ' ')
	if [ $rc -ne 0 ] || grep -q -e 'runtime error:' -e '^==[0-9]*==ERROR' "$log"; then
		echo "$name: FOUND a problem after ${execs:-?} executions (exit $rc); see $log"
		grep -m 3 -e 'runtime error:' -e 'ERROR:' -e 'Test unit written' "$log" | sed 's/^/  /'
		status=1
	else
		echo "$name: ${execs:-?} executions in ${secs}s, corpus $files inputs, nothing found"
	fi
done
exit $status
