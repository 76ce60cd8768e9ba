#!/bin/sh
# wirewatch digest end to end: every format against golden files (a fixed
# clock makes them stable), -o written atomically with the date expanded,
# --watch, --since/--until, an empty window, and the HTML rendered by
# headless Chromium. WW_UPDATE_GOLDEN=1 rewrites the golden files.
. "$(dirname "$0")/lib.sh"
export TZ=UTC WIREWATCH_NOW=2026-11-28T07:30:00Z
CFG="$T_TMP/cfg"
ST="$T_TMP/state"
G="$FIX/digest"
mkdir -p "$CFG"
cp -r "$G/rules" "$CFG/rules"
ww() { "$WIREWATCH" --config "$CFG" --state "$ST" "$@"; }
cat > "$CFG/feeds" <<EOF2
$FIX/agent/world.xml   name="Northgate World"
$FIX/agent/wire.xml    name="Eastern Wire"
$FIX/agent/burst.xml   name="Sanctions Monitor"
EOF2
printf 'notify = no\n' > "$CFG/config"
ww run --once 2>/dev/null
is "$?" 0 "the sample feeds are polled"

for f in text markdown html json atom; do
	ww digest --no-fetch --since 24h --format $f > "$T_TMP/digest.$f"
	is "$?" 0 "digest --format $f exits 0"
	if [ -n "${WW_UPDATE_GOLDEN:-}" ]; then cp "$T_TMP/digest.$f" "$G/cli.$f"; fi
	cmp -s "$T_TMP/digest.$f" "$G/cli.$f"
	r=$?
	ok $r "digest --format $f matches its golden file"
	[ $r -eq 0 ] || diff "$G/cli.$f" "$T_TMP/digest.$f" | head -20 | sed 's/^/# /'
done
xmllint --noout "$T_TMP/digest.atom" 2>/dev/null
ok $? "the Atom digest is well-formed XML"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] == 1 and d["count"] > 0' "$T_TMP/digest.json"
ok $? "the JSON digest parses and counts its stories"
like "$(cat "$T_TMP/digest.text")" "China–Belarus ties \\(2\\)" "text: the China–Belarus section with its two stories"
like "$(cat "$T_TMP/digest.text")" "Eastern Wire, Northgate World|Northgate World, Eastern Wire" "text: one entry lists both sources of a story"
unlike "$(cat "$T_TMP/digest.text")" "$(printf '\033')" "no colour when stdout is not a terminal"

ww digest --no-fetch --since 24h --format html -o "$T_TMP/out/digest-%Y-%m-%d.html" 2>"$T_TMP/err"
is "$?" 1 "-o into a missing directory fails"
is "$(wc -l < "$T_TMP/err")" 1 "with a one-line error"
mkdir -p "$T_TMP/out"
ww digest --no-fetch --since 24h --format html -o "$T_TMP/out/digest-%Y-%m-%d.html"
ok $([ -s "$T_TMP/out/digest-2026-11-28.html" ]; echo $?) "-o expands the date in the file name"
ls "$T_TMP/out" | grep -q tmp
ok $([ $? -ne 0 ]; echo $?) "no temporary file is left behind"

out=$(ww digest --no-fetch --since 24h --watch sanctions-belarus-russia --format json)
like "$out" '"watch":"sanctions-belarus-russia"' "--watch keeps that watch"
unlike "$out" '"watch":"china-belarus"' "--watch leaves the others out"
out=$(ww digest --no-fetch --since 2026-11-28T07:00:00Z --until 2026-11-28T07:10:00Z)
like "$out" "No matching articles in this window" "an empty window says so"
ww digest --no-fetch --since yesterday 2>"$T_TMP/err"
is "$?" 2 "a bad --since is a usage error"
like "$(cat "$T_TMP/err")" "expected a duration" "and says what it expects"
ww digest --no-fetch --format pdf 2>/dev/null
is "$?" 2 "an unknown format is a usage error"

# The agent's own daily digest (digest-at), written when it is due
mkdir -p "$T_TMP/sched"
printf 'notify = no\ndigest-at = 07:00\ndigest-format = markdown\ndigest-output = %s/sched/daily-%%Y-%%m-%%d.md\n' "$T_TMP" > "$CFG/config"
"$WIREWATCH" --config "$CFG" --state "$ST" run >/dev/null 2>&1 </dev/null &
pid=$!
t_bg $pid
i=0
until [ -s "$T_TMP/sched/daily-2026-11-28.md" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
ok $([ -s "$T_TMP/sched/daily-2026-11-28.md" ]; echo $?) "the running agent writes its scheduled digest, date in the name"
like "$(cat "$T_TMP/sched/daily-2026-11-28.md" 2>/dev/null)" "^# wirewatch digest" "in the configured format"
kill -TERM $pid
wait $pid 2>/dev/null
printf 'notify = no\n' > "$CFG/config"

# The HTML digest in a real browser engine: it must load and lay out.
if command -v chromium >/dev/null 2>&1; then
	CH="chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
	    --disable-background-networking --disable-component-update --disable-sync
	    --user-data-dir=$T_TMP/chromium"
	dom=$($CH --dump-dom "file://$T_TMP/digest.html" 2>"$T_TMP/chromium.err")
	ok $? "chromium loads the HTML digest"
	n=$(printf '%s' "$dom" | grep -o '<article>' | wc -l)
	want=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(g["stories"]) for g in d["groups"]))' "$T_TMP/digest.json")
	is "$n" "$want" "every story is an article in the rendered page"
	unlike "$(cat "$T_TMP/chromium.err")" "Refused to|Uncaught|CONSOLE" "no console errors or blocked loads"
	$CH --window-size=420,2000 --screenshot="$T_TMP/phone.png" "file://$T_TMP/digest.html" >/dev/null 2>&1
	ok $([ -s "$T_TMP/phone.png" ]; echo $?) "a phone-sized screenshot renders"
	if [ -n "${WW_SCREENSHOT:-}" ]; then cp "$T_TMP/phone.png" "$WW_SCREENSHOT"; fi
else
	ok 1 "chromium is installed (make check installs it)"
fi
done_testing
