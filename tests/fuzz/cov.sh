#!/bin/sh
# Source coverage of each fuzz target's corpus: tests/fuzz/cov.sh [NAME...]
# Replays build-fuzz/corpus/NAME (what `make fuzz` grew) through a build of
# the target with clang's source-based coverage, and prints the line and
# branch coverage of the files the target is for. Reports per file go to
# build-cov/NAME.txt. Run through `make fuzz-cov`, which builds first.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build-cov
profdata=$(command -v llvm-profdata-14 || command -v llvm-profdata)
llvmcov=$(command -v llvm-cov-14 || command -v llvm-cov)
[ -n "$profdata" ] && [ -n "$llvmcov" ] || { echo "cov.sh: llvm-profdata and llvm-cov are needed" >&2; exit 2; }

# The files each target exercises on purpose.
files_of() {
	case $1 in
	fuzz-feed) echo agent/feed.c agent/feed-xml.c agent/feed-enc.c agent/jsonp.c ;;
	fuzz-html) echo agent/html.c ;;
	fuzz-date) echo agent/date.c ;;
	fuzz-rules) echo agent/rules.c agent/rules-lex.c agent/rules-expr.c agent/diag.c ;;
	fuzz-opml) echo agent/opml.c ;;
	fuzz-config) echo agent/config.c ;;
	fuzz-feedlist) echo agent/feedlist.c ;;
	esac
}

[ $# -gt 0 ] || set -- $(cd "$root/tests/fuzz" && ls fuzz-*.c | sed 's/\.c$//')
status=0
for name in "$@"; do
	corpus=$root/build-fuzz/corpus/$name
	[ -d "$corpus" ] || corpus=$root/tests/fuzz/seeds/$name
	rm -f "$out/$name".profraw*
	LLVM_PROFILE_FILE="$out/$name.profraw" "$out/$name" -runs=0 \
	    -rss_limit_mb=2560 "$corpus" >"$out/$name.replay" 2>&1 || status=1
	"$profdata" merge -sparse -o "$out/$name.profdata" "$out/$name.profraw" || { status=1; continue; }
	(cd "$root" && "$llvmcov" report -instr-profile="$out/$name.profdata" "$out/$name" \
	    $(files_of "$name")) >"$out/$name.txt" 2>&1
	# TOTAL  regions missed cover  functions missed exec  lines missed cover  branches missed cover
	awk -v n="$name" -v c="$(ls "$corpus" | wc -l)" '$1 == "TOTAL" {
		printf "%s: %d inputs replayed; lines %s of %d, branches %s of %d, functions %s\n",
		    n, c, $10, $8, $13, $11, $7 }' "$out/$name.txt"
done
exit $status
