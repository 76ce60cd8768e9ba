#!/bin/sh
# wirewatch rules check: golden diagnostics for broken rule files
# (tests/fixtures/rules-bad/NAME.rules -> NAME.expected, stderr byte for
# byte), exit codes, directory loading, the default rules directory, limits.
. "$(dirname "$0")/lib.sh"

BAD="$FIX/rules-bad"

# golden NAME ARG...: run `rules check ARG...` in $BAD, compare stderr with NAME.expected
golden() {
	name=$1; shift
	(cd "$BAD" && "$WIREWATCH" rules check "$@") >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	if tail -n 1 "$BAD/$name.expected" | grep -q '^ok:'; then want=0; else want=1; fi
	is "$rc" "$want" "$name: exit status $want"
	diff -u "$BAD/$name.expected" "$T_TMP/err" >"$T_TMP/diff"
	r=$?
	ok $r "$name: diagnostics match $name.expected"
	[ $r -eq 0 ] || sed 's/^/#   /' "$T_TMP/diff" | head -40
	is "$(wc -c <"$T_TMP/out" | tr -d ' ')" 0 "$name: nothing on stdout"
}

for n in syntax bytes keys expr refs checks files crlf-bom-tabs; do
	golden "$n" "$n.rules"
done
golden dir dir
# a directory given with a slash and one of its files again: each file is read once
golden dir dir/ dir/actors/china.rules

# the rules directory under --config, then the default pack
mkdir -p "$T_TMP/conf/rules/sub"
cat >"$T_TMP/conf/rules/sub/a.rules" <<'R'
actor belarus "Belarus"
  name "Belarus"
R
cat >"$T_TMP/conf/rules/b.rules" <<'R'
watch by "Belarus"
  match @belarus
R
"$WIREWATCH" --config "$T_TMP/conf" rules check 2>"$T_TMP/err"
is $? 0 "no FILE: the config rules directory is checked"
is "$(cat "$T_TMP/err")" "ok: 1 actor, 0 topics, 1 watch, 0 exclusions, 0 tests in 2 files" \
    "summary line for a good rule set"
mkdir -p "$XDG_CONFIG_HOME/wirewatch/rules"
cp "$T_TMP/conf/rules/sub/a.rules" "$XDG_CONFIG_HOME/wirewatch/rules/"
"$WIREWATCH" rules check 2>"$T_TMP/err"
is $? 0 "no FILE and no --config: \$XDG_CONFIG_HOME/wirewatch/rules"
like "$(cat "$T_TMP/err")" "^ok: 1 actor, .* in 1 file$" "XDG rules directory summary"
rm -rf "$XDG_CONFIG_HOME/wirewatch"
npack=$(find "$WW_SRC/rules" -name '*.rules' ! -path '*/.*' | wc -l | tr -d ' ')
"$WIREWATCH" rules check --no-tests >/dev/null 2>"$T_TMP/err"
like "$(tail -n 1 "$T_TMP/err")" " in $npack files$" "no config rules: the installed pack ($npack files) is read"

# errors about files and directories
"$WIREWATCH" rules check "$T_TMP/nope.rules" 2>"$T_TMP/err"
is $? 1 "missing file: exit 1"
is "$(head -n 1 "$T_TMP/err")" "$T_TMP/nope.rules: error: No such file or directory" "missing file: message"
mkdir -p "$T_TMP/empty"
"$WIREWATCH" rules check "$T_TMP/empty" 2>"$T_TMP/err"
is $? 1 "a directory without rule files: exit 1"
like "$(cat "$T_TMP/err")" "no \*\.rules files in" "a directory without rule files: message"
printf 'actor a "A"\n  name "A"\n' | "$WIREWATCH" rules check - 2>"$T_TMP/err"
is $? 0 "'-' reads the rules from stdin"

# limits: huge file, long line, many errors, NUL bytes
head -c $((4 * 1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$T_TMP/huge.rules"
"$WIREWATCH" rules check "$T_TMP/huge.rules" 2>"$T_TMP/err"
is $? 1 "a file over 4 MiB is refused"
like "$(head -n 1 "$T_TMP/err")" "huge.rules: error: larger than 4194304 bytes" "huge file: message"
{ printf 'actor a "A"\n  name "'; head -c 9000 /dev/zero | tr '\0' 'a'; printf '"\n  name "B"\n'; } >"$T_TMP/long.rules"
"$WIREWATCH" rules check "$T_TMP/long.rules" 2>"$T_TMP/err"
is "$(head -n 1 "$T_TMP/err")" "$T_TMP/long.rules:2: error: line longer than 8192 bytes" "long line: message"
i=0; : >"$T_TMP/many.rules"
while [ $i -lt 300 ]; do echo "bogus$i x" >>"$T_TMP/many.rules"; i=$((i + 1)); done
"$WIREWATCH" rules check "$T_TMP/many.rules" 2>"$T_TMP/err"
is $? 1 "many errors: exit 1"
is "$(grep -c ': error: ' "$T_TMP/err")" 100 "at most 100 diagnostics are printed"
is "$(tail -n 2 "$T_TMP/err" | head -n 1)" "(1 more not shown)" "the rest is counted"
is "$(tail -n 1 "$T_TMP/err")" "101 errors, 0 warnings in 1 file" "the file is given up after 100 errors"
printf 'actor a "A"\n  name "A\000B"\n\000\001\002\n' >"$T_TMP/nul.rules"
"$WIREWATCH" rules check "$T_TMP/nul.rules" 2>"$T_TMP/err"
is $? 1 "NUL bytes: exit 1, no crash"
is "$(grep ':2:' "$T_TMP/err")" "$T_TMP/nul.rules:2:10: error: control character 0x00 in string" "NUL byte in a string: column"
is "$(grep ':3:' "$T_TMP/err")" "$T_TMP/nul.rules:3:1: error: unexpected control character 0x00" "NUL byte in a line: column"

# test blocks run after a clean load; a failing expectation is an error at its line
cat >"$T_TMP/t.rules" <<'R'
actor belarus "Belarus"
  name "Belarus"

test wrong
  title "Minsk hosts a chess tournament"
  expect belarus
R
"$WIREWATCH" rules check "$T_TMP/t.rules" 2>"$T_TMP/err"
is $? 1 "a failing test expectation: exit 1"
like "$(cat "$T_TMP/err")" "^$T_TMP/t.rules:6:[0-9]+: error: " "failing expectation reported at its line"
"$WIREWATCH" rules check --no-tests "$T_TMP/t.rules" 2>"$T_TMP/err"
is $? 0 "--no-tests: the test blocks are not run"

# the command family
"$WIREWATCH" rules --help >"$T_TMP/out" 2>&1
is $? 0 "rules --help: exit 0"
like "$(cat "$T_TMP/out")" "wirewatch rules check" "rules --help: usage"
"$WIREWATCH" rules check --help >"$T_TMP/out" 2>&1
is $? 0 "rules check --help: exit 0"
"$WIREWATCH" rules >/dev/null 2>&1
is $? 2 "rules without a subcommand: usage, exit 2"
"$WIREWATCH" rules chek 2>"$T_TMP/err"
is $? 2 "unknown subcommand: exit 2"
like "$(head -n 1 "$T_TMP/err")" "did you mean 'check'" "unknown subcommand: did you mean"
"$WIREWATCH" rules edit 2>"$T_TMP/err"
is $? 1 "rules edit without an editor or a terminal: exit 1"
"$WIREWATCH" rules check --bogus 2>/dev/null
is $? 2 "unknown option: exit 2"

done_testing
