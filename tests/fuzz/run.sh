#!/bin/sh
# Run libFuzzer targets: tests/fuzz/run.sh SECONDS FUZZER...
# Each FUZZER (a built binary, e.g. build-fuzz/fuzz-feed) runs for SECONDS
# on the corpus build-fuzz/corpus/NAME, seeded from tests/fuzz/seeds/NAME/
# when that exists, with tests/fuzz/NAME.dict when that exists. Crashing
# inputs are written to build-fuzz/artifacts/. Prints, per target, the
# executions, the CPU seconds it used, libFuzzer's coverage counters (cov:
# edges reached, ft: features) and the corpus size; exits 1 when any target
# crashed, hung or reported undefined behaviour.
#   FUZZ_JOBS=N      N processes per target (default 1)
#   FUZZ_PARALLEL=N  N targets at a time (default 1)
set -u
[ $# -ge 2 ] || { echo "usage: tests/fuzz/run.sh SECONDS FUZZER..." >&2; exit 2; }
secs=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build-fuzz
jobs=${FUZZ_JOBS:-1}
par=${FUZZ_PARALLEL:-1}
mkdir -p "$out/corpus" "$out/artifacts" "$out/logs"

# run_one FUZZER: fuzz one target; writes its summary line to logs/NAME.sum
# and exits non-zero when it found something.
run_one() {
	fz=$1
	name=$(basename "$fz")
	corpus=$out/corpus/$name
	log=$out/logs/$name.log
	cpu=$out/logs/$name.cpu
	mkdir -p "$corpus"
	[ -d "$root/tests/fuzz/seeds/$name" ] && cp "$root/tests/fuzz/seeds/$name"/* "$corpus"/ 2>/dev/null
	set -- -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
	    -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-"
	[ "$jobs" -gt 1 ] && set -- "$@" -fork="$jobs"
	[ -f "$root/tests/fuzz/$name.dict" ] && set -- "$@" -dict="$root/tests/fuzz/$name.dict"
	rm -f "$cpu"
	if [ -x /usr/bin/time ]; then
		UBSAN_OPTIONS=print_stacktrace=1 /usr/bin/time -f '%U %S' -o "$cpu" \
		    "$fz" "$@" "$corpus" >"$log" 2>&1
	else
		UBSAN_OPTIONS=print_stacktrace=1 "$fz" "$@" "$corpus" >"$log" 2>&1
	fi
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	# The last status line libFuzzer printed: "#N DONE cov: C ft: F corp: ..."
	cov=$(grep ' cov: ' "$log" | tail -1 | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(grep ' ft: ' "$log" | tail -1 | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
	cpus=?
	[ -s "$cpu" ] && cpus=$(awk 'END { printf "%.0f", $1 + $2 }' "$cpu")
	files=$(ls "$corpus" | wc -l | tr -d ' ')
	if [ $rc -ne 0 ] || grep -q -e 'runtime error:' -e '^==[0-9]*==ERROR' "$log"; then
		{
			echo "$name: FOUND a problem after ${execs:-?} executions (exit $rc); see $log"
			grep -m 3 -e 'runtime error:' -e 'ERROR:' -e 'Test unit written' "$log" | sed 's/^/  /'
		} >"$out/logs/$name.sum"
		return 1
	fi
	echo "$name: ${execs:-?} executions in ${secs}s (${cpus} CPU-s), cov ${cov:-?} ft ${ft:-?}, corpus $files inputs, peak RSS ${rss:-?} MB, nothing found" \
	    >"$out/logs/$name.sum"
	return 0
}

status=0
while [ $# -gt 0 ]; do
	pids=
	names=
	n=0
	while [ $# -gt 0 ] && [ $n -lt "$par" ]; do
		run_one "$1" &
		pids="$pids $!"
		names="$names $(basename "$1")"
		n=$((n + 1))
		shift
	done
	for p in $pids; do
		wait "$p" || status=1
	done
	for nm in $names; do
		cat "$out/logs/$nm.sum"
	done
done
exit $status
