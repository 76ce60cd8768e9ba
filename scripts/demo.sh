#!/bin/sh
# make demo: run wirewatch on the sample feeds bundled in tests/fixtures/demo/.
set -e
cd "$(dirname "$0")/.."
for f in tests/fixtures/demo/*.xml; do
	[ -e "$f" ] || continue
	echo "== $f"
	./wirewatch parse "$f"
done
