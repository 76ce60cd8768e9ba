#!/bin/sh
# Matcher benchmark: a generated rule set (500 watches over 5,000 strings)
# and corpus (5,000 articles of 2-5 KB), in one run:
#   - rule load and compile time (goal: under 200 ms together),
#   - tokenisation alone and full matching: articles/s and MB/s on one core,
#   - grep -F -i -w -f TERMS over the same text normalised by text_fold(),
#     and the ratio of the matcher's time to grep's (goal: within 3x).
# Inputs go to build/bench/match/input/ (regenerated when the knobs or the
# generator change), figures to build/bench/match/results; nothing here is
# committed. Knobs (environment):
# WATCHES, TERMS, ARTICLES, SEED, RUNS (best of RUNS for every timing),
# B (build directory), GREP_UTF8=1 (also time grep in a UTF-8 locale, once:
# slow).
#
#	sh tests/bench/match.sh
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
B=${B:-build}
WATCHES=${WATCHES:-500}
TERMS=${TERMS:-5000}
ARTICLES=${ARTICLES:-5000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
out=$B/bench/match
mkdir -p "$out"

${MAKE:-make} -s B="$B" "$B/libwirewatch.a" >/dev/null

# Inputs are shared between runs (generated into a fresh directory and
# renamed into place); everything a run writes is in its own directory.
params="$WATCHES $TERMS $ARTICLES $SEED $(cksum <tests/bench/genrules.py)"
in=$out/input
if [ ! -f "$in/params" ] || [ "$(cat "$in/params")" != "$params" ]; then
	gen=$(mktemp -d "$out/gen.XXXXXX")
	echo "generating: $(python3 tests/bench/genrules.py --watches "$WATCHES" \
	    --terms "$TERMS" --articles "$ARTICLES" --seed "$SEED" "$gen")" >&2
	echo "$params" >"$gen/params"
	rm -rf "$in.old" "$out/rules" "$out/corpus" "$out/feed.xml" "$out/params" \
	    "$out/bench-match" "$out/figures" "$out/grep.out" "$out/terms.txt" \
	    "$out/text.txt"
	[ -d "$in" ] && mv "$in" "$in.old"
	mv "$gen" "$in"
	rm -rf "$in.old"
fi
run=$(mktemp -d "$out/run.XXXXXX")
trap 'rm -rf "$run"' EXIT
trap 'exit 1' INT TERM HUP

pkgs=$(sed -n 's/^PKGS[[:space:]]*=[[:space:]]*//p' Makefile)
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=c11 -O2 -Iinclude -D_GNU_SOURCE $(pkg-config --cflags $pkgs) \
    -o "$run/bench-match" tests/bench/bench-match.c "$B/libwirewatch.a" \
    $(pkg-config --libs $pkgs) -lstemmer -lm

pin=
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	pin="taskset -c 0"
fi

$pin "$run/bench-match" -r "$RUNS" "$in/rules/bench.rules" "$in/corpus" \
    "$run/terms.txt" "$run/text.txt" >"$run/figures" 2>"$run/warnings"

# Best of RUNS wall-clock seconds of a command whose output goes to $run/grep.out.
best_of() {
	best=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		"$@" >"$run/grep.out"
		t1=$(date +%s%N)
		t=$(( (t1 - t0) / 1000 ))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then
			best=$t
		fi
		i=$((i + 1))
	done
	awk -v us="$best" 'BEGIN { printf "%.4f\n", us / 1e6 }'
}

# -c: count matching lines (an article a line), so grep reads everything
# (output to /dev/null would let GNU grep stop at the first match). The
# text is already case folded, so the byte locale C loses nothing but -w's
# idea of a non-ASCII letter; grep 3.8 -i in a UTF-8 locale leaves its fast
# path (about 50x slower here), so that run is opt-in: GREP_UTF8=1.
grep_c=$(best_of env LC_ALL=C $pin grep -F -i -w -c -f "$run/terms.txt" "$run/text.txt")
grep_lines=$(cat "$run/grep.out")
grep_o=$(best_of env LC_ALL=C $pin sh -c 'grep -F -i -w -o -f "$1" "$2" | wc -l' sh \
    "$run/terms.txt" "$run/text.txt")
grep_spans=$(cat "$run/grep.out")
grep_utf8=0
if [ "${GREP_UTF8:-0}" = 1 ]; then
	grep_utf8=$(RUNS=1; best_of env LC_ALL=C.UTF-8 $pin grep -F -i -w -c \
	    -f "$run/terms.txt" "$run/text.txt")
fi
textbytes=$(wc -c <"$run/text.txt")

# End to end: the same articles as one RSS feed through the binary
# (XML and HTML parsing, matching, JSON Lines with evidence).
e2e_s=0
if [ -x "$B/wirewatch" ]; then
	e2e_s=$(best_of $pin "$B/wirewatch" --config "$in" rules test --json \
	    "$in/feed.xml") || e2e_s=0
fi
e2e_lines=$(wc -l <"$run/grep.out")

{
	cat "$run/figures"
	echo "grep_utf8_s=$grep_utf8"
	echo "grep_c_s=$grep_c"
	echo "grep_o_s=$grep_o"
	echo "grep_lines=$grep_lines"
	echo "grep_spans=$grep_spans"
	echo "text_bytes=$textbytes"
	echo "e2e_s=$e2e_s"
	echo "e2e_lines=$e2e_lines"
	echo "feed_bytes=$(wc -c <"$in/feed.xml")"
} >"$run/results"
cp "$run/results" "$out/results"
cp "$run/warnings" "$out/warnings"

awk -F= '{ v[$1] = $2 }
END {
	mb = v["bytes"] / 1e6
	lc = v["load_ms"] + v["compile_ms"]
	printf "matcher benchmark (%d watches, %d actors, %d topics, %d strings; %d articles, %.1f MB; best of '"$RUNS"')\n",
	    v["watches"], v["actors"], v["topics"], v["terms"], v["articles"], mb
	printf "  rule load + compile   %7.1f ms  (load %.1f, compile %.1f; goal < 200 ms: %s)\n",
	    lc, v["load_ms"], v["compile_ms"], lc < 200 ? "met" : "MISSED"
	printf "  tokenise only         %7.3f s   %8.0f articles/s  %6.1f MB/s\n",
	    v["tokenize_s"], v["articles"] / v["tokenize_s"], mb / v["tokenize_s"]
	printf "  full matching         %7.3f s   %8.0f articles/s  %6.1f MB/s  (%d articles matched, %d hits, %d watch hits)\n",
	    v["match_s"], v["articles"] / v["match_s"], mb / v["match_s"],
	    v["matched_articles"], v["hits"], v["watch_hits"]
	printf "  grep -F -i -w -c      %7.3f s   LC_ALL=C, %.1f MB normalised text, %d matching lines\n",
	    v["grep_c_s"], v["text_bytes"] / 1e6, v["grep_lines"]
	printf "  grep -F -i -w -o      %7.3f s   every span: %d\n", v["grep_o_s"], v["grep_spans"]
	if (v["grep_utf8_s"] > 0)
		printf "  grep -c, C.UTF-8      %7.3f s   (one run)\n", v["grep_utf8_s"]
	if (v["e2e_s"] > 0)
		printf "  wirewatch rules test  %7.3f s   %8.0f articles/s  (RSS feed, %.1f MB: parse + match + JSON, %d lines)\n",
		    v["e2e_s"], v["articles"] / v["e2e_s"], v["feed_bytes"] / 1e6, v["e2e_lines"]
	r = v["match_s"] / v["grep_c_s"]
	printf "  matcher / grep -c     %7.2f x   (goal <= 3x: %s); tokenising alone %.2f x\n",
	    r, r <= 3 ? "met" : "MISSED", v["tokenize_s"] / v["grep_c_s"]
}' "$run/results"
