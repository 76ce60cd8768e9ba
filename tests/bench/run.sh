#!/bin/sh
# make bench: run every benchmark script in tests/bench/ (all *.sh but this
# one), one after the other, and print what each reports. Exits non-zero
# when any of them failed.
cd "$(dirname "$0")/../.." || exit 1
status=0
for b in tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $b"
	sh "$b" || { echo "$b: failed" >&2; status=1; }
	echo
done
exit $status
