#!/bin/sh
# wirewatch rules edit with scripted editors: the pack copied into a config
# without rules, a valid edit installed with a backup and a running agent
# reloaded by SIGHUP, an unknown reference and a failing test block
# rejected with FILE:LINE:COL and the file untouched, unchanged files,
# named files, paths outside the rules directory, a failing editor, and the
# re-edit prompt on a pseudo-terminal.
. "$(dirname "$0")/lib.sh"
CFG="$T_TMP/cfg"
ST="$T_TMP/state"
mkdir -p "$CFG" "$T_TMP/tmp"
export TMPDIR="$T_TMP/tmp"
unset VISUAL
ww() { "$WIREWATCH" --config "$CFG" --state "$ST" "$@"; }
: > "$CFG/feeds"
printf 'notify = no\n' > "$CFG/config"
W="$CFG/rules/watches/eurasia.rules"
PACK="$WW_SRC/rules/watches/eurasia.rules"

# editor scripts: each applies one sed edit to "$1"
mk_editor() {	# mk_editor NAME SED-SCRIPT
	printf '#!/bin/sh\nsed -i "$(cat %s)" "$1"\n' "$T_TMP/$1.sed" > "$T_TMP/$1"
	printf '%s\n' "$2" > "$T_TMP/$1.sed"
	chmod +x "$T_TMP/$1"
}
mk_editor ed-valid 's/^watch china-belarus "China–Belarus ties"/watch china-belarus "Ties between China and Belarus"/'
mk_editor ed-unknown '0,/@belarus/s/@belarus/@belarusia/'
mk_editor ed-failtest '/^watch china-belarus "/,/^$/ s/^  match .*/  match     "no such words here"/'
mk_editor ed-topic 's/^topic sanctions "\(.*\)"/topic sanctions "\1 (edited)"/'

# no rules in the config yet: the pack is copied first
EDITOR=true ww rules edit >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
is "$?" 0 "an edit that changes nothing exits 0"
like "$(cat "$T_TMP/out")" "copied the rule pack .* to $CFG/rules" "the pack is copied into the config first"
grep -qx "no changes" "$T_TMP/out"
ok $? "and 'no changes' is said"
cmp -s "$W" "$PACK"
ok $? "the copy is the pack's file"
ok $([ ! -e "$W~" ]; echo $?) "no backup when nothing was installed"

# a running agent on an empty feeds file
"$WIREWATCH" -v --config "$CFG" --state "$ST" run >/dev/null 2>"$T_TMP/agent.err" </dev/null &
apid=$!
t_bg $apid
_w=0
until ww status 2>/dev/null | grep -q "^agent: *running"; do
	_w=$((_w + 1)); [ $_w -gt 100 ] && break; sleep 0.1
done
like "$(ww status 2>&1)" "^agent: *running" "the agent runs"
[ $_w -gt 100 ] && sed "s/^/#   /" "$T_TMP/agent.err" | tail -20

# a valid edit: installed, backup kept, agent reloaded
EDITOR="$T_TMP/ed-valid" ww rules edit >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
is "$?" 0 "a valid edit exits 0"
grep -q '^watch china-belarus "Ties between China and Belarus"' "$W"
ok $? "the edit is installed"
cmp -s "$W~" "$PACK"
ok $? "the previous version is kept as FILE~"
like "$(cat "$T_TMP/out")" "installed $W \\(the previous version is $W~\\)" "the install is reported"
like "$(cat "$T_TMP/out")" "reloaded the running agent \\(pid $apid\\)" "the agent's pid is named"
_w=0
until grep -q "rules reloaded" "$T_TMP/agent.err" || [ $_w -gt 100 ]; do sleep 0.1; _w=$((_w + 1)); done
like "$(cat "$T_TMP/agent.err")" "rules reloaded: [0-9]+ actors, [0-9]+ topics, [0-9]+ watches" "the agent reloaded its rules (SIGHUP)"
kill -0 $apid 2>/dev/null
ok $? "the agent keeps running"
ls "$TMPDIR" | grep -q .
ok $([ $? -ne 0 ]; echo $?) "the temporary copy is removed"

# an unknown reference: rejected at the real file's line and column
cp "$W" "$T_TMP/before"
line=$(grep -n -m1 '@belarus' "$W" | cut -d: -f1)
col=$(grep -m1 '@belarus' "$W" | awk '{ print index($0, "@belarus") }')
EDITOR="$T_TMP/ed-unknown" ww rules edit >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
is "$?" 1 "an invalid edit exits 1 when stdin is not a terminal"
like "$(cat "$T_TMP/err")" "^$W:$line:$col: error: unknown actor '@belarusia'" "the error is FILE:LINE:COL with the real file name"
unlike "$(cat "$T_TMP/err")" "wirewatch-edit" "the temporary copy's name is not shown"
like "$(cat "$T_TMP/err")" "nothing installed" "nothing is installed"
cmp -s "$W" "$T_TMP/before"
ok $? "the rule file is untouched"
unlike "$(cat "$T_TMP/out")" "reloaded" "the agent is not signalled"

# a syntactically valid edit that breaks test blocks
EDITOR="$T_TMP/ed-failtest" ww rules edit watches/eurasia.rules >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
is "$?" 1 "an edit that fails the rule tests exits 1"
like "$(cat "$T_TMP/err")" "$CFG/rules/tests/[a-z]+\\.rules:[0-9]+:[0-9]+: error: test [a-z-]+: 'china-belarus' did not match" "failing tests are errors at their own lines"
cmp -s "$W" "$T_TMP/before"
ok $? "the rule file is untouched"

# unchanged
EDITOR=true ww rules edit >"$T_TMP/out" 2>&1 </dev/null
is "$(cat "$T_TMP/out")" "no changes" "an unchanged file: 'no changes'"
cmp -s "$W~" "$PACK"
ok $? "and the backup is not replaced"

# a named file, ".rules" left out; an absolute path inside the directory
EDITOR="$T_TMP/ed-topic" ww rules edit topics/sanctions >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
is "$?" 0 "rules edit topics/sanctions exits 0"
grep -q '^topic sanctions ".* (edited)"' "$CFG/rules/topics/sanctions.rules"
ok $? "topics/sanctions.rules is edited"
ok $([ -f "$CFG/rules/topics/sanctions.rules~" ]; echo $?) "with its backup"
EDITOR=true ww rules edit "$CFG/rules/topics/sanctions.rules" >"$T_TMP/out" 2>&1 </dev/null
is "$(cat "$T_TMP/out")" "no changes" "an absolute path inside the rules directory is accepted"
EDITOR=true ww rules edit "$T_TMP/before" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
is "$?" 1 "a file outside the rules directory is refused"
like "$(cat "$T_TMP/err")" "is not in the rules directory" "and says why"
EDITOR=true ww rules edit ../config >/dev/null 2>"$T_TMP/err" </dev/null
is "$?" 1 "'..' out of the rules directory is refused"

# a new rule file
cat > "$T_TMP/ed-new" <<'EOF2'
#!/bin/sh
printf 'watch potash "Potash"\n  match "potash"\n' >> "$1"
EOF2
chmod +x "$T_TMP/ed-new"
EDITOR="$T_TMP/ed-new" ww rules edit watches/potash.rules >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
is "$?" 0 "a new rule file exits 0"
like "$(cat "$T_TMP/out")" "installed $CFG/rules/watches/potash.rules" "a new rule file is installed"
grep -q '^watch potash' "$CFG/rules/watches/potash.rules"
ok $? "with the edited text"

# a failing editor, no editor without a terminal
cp "$W" "$T_TMP/before"
EDITOR=false ww rules edit >/dev/null 2>"$T_TMP/err" </dev/null
is "$?" 1 "a failing editor exits 1"
like "$(cat "$T_TMP/err")" "exited with status 1" "and says so"
cmp -s "$W" "$T_TMP/before"
ok $? "nothing is installed"
env -u EDITOR "$WIREWATCH" --config "$CFG" --state "$ST" rules edit >/dev/null 2>"$T_TMP/err" </dev/null
is "$?" 1 "no EDITOR and no terminal: exit 1"
like "$(cat "$T_TMP/err")" "set VISUAL or EDITOR" "and says what to set"

# the agent stopped: "no agent running"
kill -TERM $apid
wait $apid 2>/dev/null
mk_editor ed-valid2 's/^watch china-belarus "Ties between China and Belarus"/watch china-belarus "China and Belarus"/'
EDITOR="$T_TMP/ed-valid2" ww rules edit >"$T_TMP/out" 2>&1 </dev/null
like "$(cat "$T_TMP/out")" "no agent running" "without an agent: 'no agent running'"

# the prompt on a terminal: a bad edit, then (e)dit again fixes it;
# a bad edit, then (q)uit keeps nothing
if command -v script >/dev/null 2>&1; then
	cat > "$T_TMP/ed-twice" <<EOF2
#!/bin/sh
if [ -e "$T_TMP/first-done" ]; then
	sed -i 's/@belaruz/@belarus/' "\$1"
else
	touch "$T_TMP/first-done"
	sed -i '0,/@belarus/s/@belarus/@belaruz/; s/^watch china-belarus "China and Belarus"/watch china-belarus "China, Belarus"/' "\$1"
fi
EOF2
	chmod +x "$T_TMP/ed-twice"
	printf 'e\n' | EDITOR="$T_TMP/ed-twice" script -qec \
	    "'$WIREWATCH' --config '$CFG' --state '$ST' rules edit" /dev/null \
	    >"$T_TMP/pty" 2>&1
	like "$(cat "$T_TMP/pty")" "unknown actor '@belaruz'" "pty: the first save shows the error"
	like "$(cat "$T_TMP/pty")" "What now\\? \\(e\\)dit again" "pty: the prompt is shown"
	like "$(cat "$T_TMP/pty")" "installed $W" "pty: (e)dit again, fixed, installed"
	grep -q '^watch china-belarus "China, Belarus"' "$W"
	ok $? "pty: the second edit is the one installed"
	cp "$W" "$T_TMP/before"
	printf 'q\n' | EDITOR="$T_TMP/ed-unknown" script -qec \
	    "'$WIREWATCH' --config '$CFG' --state '$ST' rules edit" /dev/null \
	    >"$T_TMP/pty" 2>&1
	like "$(cat "$T_TMP/pty")" "nothing installed" "pty: (q)uit keeps nothing"
	cmp -s "$W" "$T_TMP/before"
	ok $? "pty: the file is untouched"
fi
done_testing
