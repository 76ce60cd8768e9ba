#!/bin/sh
# Usage and documentation: every command of `wirewatch help` answers --help
# with a usage line and exit 0, unknown commands exit 2, the man pages render
# without groff warnings and their examples are accepted by the program, and
# the bash completion completes commands, subcommands and option values.
. "$(dirname "$0")/lib.sh"

cmds=$("$WIREWATCH" help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
like "$cmds" "rules" "help lists the commands"
# Known not to answer --help with 0 yet: reported as TODO, not hidden.
todo=""
for c in $cmds; do
	out=$("$WIREWATCH" "$c" --help 2>&1)
	_r=$?
	case $todo in
	*" $c "*)
		T_N=$((T_N + 1))
		[ $_r -eq 0 ] && echo "ok $T_N - $c --help exits 0 # TODO exits $_r" ||
		    echo "not ok $T_N - $c --help exits 0 # TODO exits $_r" ;;
	*) is "$_r" 0 "$c --help exits 0" ;;
	esac
	like "$out" "^usage: wirewatch .*$c" "$c --help prints its usage line"
	out=$("$WIREWATCH" help "$c" 2>&1)
	is "$?" 0 "help $c exits 0"
done
for s in check test edit; do
	out=$("$WIREWATCH" rules "$s" --help 2>&1)
	is "$?" 0 "rules $s --help exits 0"
	like "$out" "^usage: wirewatch rules $s" "rules $s --help prints its usage"
done

"$WIREWATCH" frobnicate >/dev/null 2>"$T_TMP/err"
is "$?" 2 "an unknown command exits 2"
like "$(cat "$T_TMP/err")" "unknown command 'frobnicate'" "and says so"
"$WIREWATCH" --frobnicate help >/dev/null 2>&1
is "$?" 2 "an unknown global option exits 2"
"$WIREWATCH" help frobnicate >/dev/null 2>&1
is "$?" 2 "help for an unknown command exits 2"
"$WIREWATCH" >/dev/null 2>&1
is "$?" 2 "no command exits 2"
like "$("$WIREWATCH" --version)" "^wirewatch [0-9]+\.[0-9]+" "--version prints the version"

# The man pages: no groff warning, and every command is documented.
for m in "$WW_SRC"/man/wirewatch.1 "$WW_SRC"/man/wirewatch.rules.5 "$WW_SRC"/man/wirewatch.conf.5; do
	groff -man -Tutf8 -ww -z "$m" >"$T_TMP/groff" 2>&1
	_r=$?
	[ $_r -eq 0 ] && [ ! -s "$T_TMP/groff" ]
	ok $? "$(basename "$m") renders without warnings"
	[ -s "$T_TMP/groff" ] && sed 's/^/#   /' "$T_TMP/groff" | head -5
done
render() { groff -man -Tutf8 -P-cbou "$1" 2>/dev/null | col -bx; }
page=$(render "$WW_SRC/man/wirewatch.1")
for c in $cmds; do
	like "$page" "wirewatch $c" "wirewatch(1) documents $c"
done
for s in "rules check" "rules test" "rules edit" "feeds add" "feeds remove" \
    "feeds list" "feeds import" "feeds export"; do
	like "$page" "wirewatch $s" "wirewatch(1) documents $s"
done
# Every option a command's usage line names is in the page.
opts=$(for c in $cmds; do "$WIREWATCH" help "$c"; done 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u)
missing=
for o in $opts; do
	printf '%s' "$page" | grep -q -- "$o" || missing="$missing $o"
done
is "$missing" "" "wirewatch(1) documents every option of the usage lines"

# Every key of wirewatch.conf(5) is accepted, and every key that
# `wirewatch init` writes is documented.
conf=$(render "$WW_SRC/man/wirewatch.conf.5")
mkdir -p "$T_TMP/c1" "$T_TMP/c2"
printf '%s\n' "$conf" | sed -n '/^EXAMPLES/,/^SEE ALSO/p' | sed '1d;$d' | sed 's/^       //' \
    >"$T_TMP/c1/config"
like "$(cat "$T_TMP/c1/config")" "digest-at" "the wirewatch.conf(5) example is extracted"
: >"$T_TMP/c1/feeds"
"$WIREWATCH" --config "$T_TMP/c1" --state "$T_TMP/s1" run --once >/dev/null 2>"$T_TMP/err"
is "$?" 0 "the wirewatch.conf(5) example is a valid configuration"
"$WIREWATCH" --config "$T_TMP/c2" --state "$T_TMP/s2" init >/dev/null 2>&1
keys=$(sed -n 's/^#\([a-z][a-z-]*\) = .*/\1/p' "$T_TMP/c2/config")
like "$keys" "interval" "init writes the keys as comments"
missing=
for k in $keys; do
	printf '%s' "$conf" | grep -q "^       $k " || missing="$missing $k"
done
is "$missing" "" "wirewatch.conf(5) documents every key of the init config"
# each documented key, set to its documented default, is accepted
printf '%s\n' "$conf" | sed -n 's/^       \([a-z][a-z-]*\) ([a-z]*, default \([^)]*\))$/\1 = \2/p' \
    >"$T_TMP/c2/config"
n=$(wc -l <"$T_TMP/c2/config")
[ "$n" -ge 15 ]
ok $? "wirewatch.conf(5) gives the default of most keys ($n)"
: >"$T_TMP/c2/feeds"
"$WIREWATCH" --config "$T_TMP/c2" --state "$T_TMP/s2" run --once >/dev/null 2>"$T_TMP/err"
is "$?" 0 "the documented defaults are valid values"
printf 'intreval = 5m\n' >"$T_TMP/c2/config"
"$WIREWATCH" --config "$T_TMP/c2" --state "$T_TMP/s2" run --once >/dev/null 2>"$T_TMP/err"
is "$?" 78 "run exits 78 on a bad configuration, as documented"

# The example rule file of wirewatch.rules(5) passes rules check.
mkdir -p "$T_TMP/r"
render "$WW_SRC/man/wirewatch.rules.5" | sed -n '/^EXAMPLES/,/^SEE ALSO/p' |
    sed -n '/^       # My rules/,/^       Check it/p' | sed '$d' | sed 's/^       //' \
    >"$T_TMP/r/example.rules"
like "$(cat "$T_TMP/r/example.rules")" "^watch china-belarus" "the wirewatch.rules(5) example is extracted"
out=$("$WIREWATCH" rules check "$T_TMP/r" 2>&1)
is "$?" 0 "the wirewatch.rules(5) example passes rules check"
like "$out" "^ok: 2 actors, 2 topics, 2 watches, 1 exclusion, 2 tests" "with what the page says"

# bash completion: loads, and completes through its function.
comp() {	# comp WORD... : COMPREPLY for the last word, one line
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    COMPREPLY=(); _wirewatch; complete -p wirewatch >/dev/null || exit 3;
	    echo "${COMPREPLY[*]}"' comp "$WW_SRC/completions/wirewatch.bash" "$@"
}
bash -c ". '$WW_SRC/completions/wirewatch.bash' && complete -p wirewatch" >/dev/null 2>"$T_TMP/err"
is "$?" 0 "the bash completion loads and registers wirewatch"
is "$(comp wirewatch r)" "rules run" "wirewatch r<TAB>"
is "$(comp wirewatch '')" "$(echo $cmds)" "wirewatch <TAB> lists the commands of help"
is "$(comp wirewatch --config /tmp f)" "feeds" "the command after a global option"
is "$(comp wirewatch rules '')" "check test edit --help" "rules <TAB>"
is "$(comp wirewatch rules test --e)" "--explain" "rules test --e<TAB>"
is "$(comp wirewatch rules test --st)" "--stored" "rules test --st<TAB>"
is "$(comp wirewatch rules test --stored --since '')" "24h 7d 2w" "rules test --stored --since <TAB>"
is "$(comp wirewatch feeds '')" "add remove list import export --help" "feeds <TAB>"
is "$(comp wirewatch feeds add --i)" "--interval" "feeds add --i<TAB>"
is "$(comp wirewatch digest --format '')" "text markdown html json atom" "digest --format <TAB>"
is "$(comp wirewatch digest --since 7d -f h)" "html" "digest ... -f h<TAB>"
is "$(comp wirewatch help st)" "status" "help st<TAB>"
: >"$T_TMP/feed-one.xml"
is "$(cd "$T_TMP" && comp wirewatch parse feed-)" "feed-one.xml" "parse completes a file name"
is "$(cd "$T_TMP" && comp wirewatch rules test --rules feed-)" "feed-one.xml" "rules test --rules completes a file"
mkdir "$T_TMP/cfgdir"
printf '# feeds\nhttps://a.example/x.rss name="A"\n  https://b.example/y.xml  # two\n' \
    >"$T_TMP/cfgdir/feeds"
is "$(comp wirewatch --config "$T_TMP/cfgdir" feeds remove https://b)" "https://b.example/y.xml" \
    "feeds remove completes the URLs of the feeds file of --config"
is "$(comp wirewatch --config "$T_TMP/cfgdir" feeds remove '')" \
    "https://a.example/x.rss https://b.example/y.xml" "and only the URLs"
is "$(cd "$T_TMP" && comp wirewatch --config cfgd)" "cfgdir" "--config completes a directory"
# every option the completion offers is in the usage line or the man page
for c in digest run status "rules check" "rules test" "feeds add"; do
	for o in $(comp wirewatch $c --); do
		{ "$WIREWATCH" $c --help 2>&1 | grep -q -- "$o" ||
		    printf '%s' "$page" | grep -q -- "$o"; }
		ok $? "completion option $c $o is documented"
	done
done
for s in add remove list import export; do
	out=$("$WIREWATCH" feeds "$s" --help 2>&1)
	is "$?" 0 "feeds $s --help exits 0"
	like "$out" "^usage: wirewatch feeds $s" "feeds $s --help prints its usage"
done

# zsh completion: a #compdef file for wirewatch
head -1 "$WW_SRC/completions/_wirewatch" | grep -q '^#compdef wirewatch$'
ok $? "the zsh completion is a #compdef file"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$WW_SRC/completions/_wirewatch"
	ok $? "the zsh completion parses"
fi

done_testing
