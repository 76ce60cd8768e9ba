#!/bin/sh
# wirewatch init in a throwaway HOME, commands without init, and status.
. "$(dirname "$0")/lib.sh"
ww() { "$WIREWATCH" "$@"; }

# Without init: every command works from the installed defaults.
out=$(ww rules check 2>&1)
is "$?" 0 "rules check works before init (installed pack)"
out=$(ww feeds list 2>&1)
is "$?" 0 "feeds list works before init (no feeds yet)"
out=$(ww digest --no-fetch 2>&1)
is "$?" 0 "digest works before init"
like "$out" "No matching articles" "and says the window is empty"

out=$(ww init)
is "$?" 0 "init succeeds"
C="$XDG_CONFIG_HOME/wirewatch"
ok $([ -f "$C/config" ] && [ -f "$C/feeds" ] && [ -d "$C/rules" ]; echo $?) "init creates config, feeds and rules/"
is "$(stat -c %a "$C")" 700 "the configuration directory is private"
like "$(cat "$C/config")" "^#interval = 30m" "the config is commented with the defaults"
n=$(grep -c '^https://' "$C/feeds")
ok $([ "$n" -ge 5 ]; echo $?) "the feeds file lists world-news feeds ($n)"
like "$(ww feeds list 2>&1)" "BBC World" "feeds list reads the new feeds file"
cmp -s "$WW_SRC/rules/actors/china.rules" "$C/rules/actors/china.rules"
ok $? "the rule pack is copied to edit"
like "$(ww rules check 2>&1)" "^ok: " "the copied pack checks clean"
printf '# mine\n' >> "$C/config"
out=$(ww init)
like "$out" "kept .*config \\(exists\\)" "a second init keeps existing files"
like "$(tail -1 "$C/config")" "# mine" "and does not overwrite them"

# status
printf '%s\n' "$FIX/agent/world.xml" > "$C/feeds"
printf 'notify = no\n' > "$C/config"
ww run --once 2>/dev/null
out=$(ww status)
is "$?" 0 "status exits 0"
like "$out" "agent: +not running" "status: no agent running"
like "$out" "feeds: +1 \\(1 healthy, 0 failing, 0 gone\\)" "status: feed health"
like "$out" "last poll: +[0-9]{4}-" "status: the last poll"
like "$out" "matched today: +[1-9]" "status: matches today"
"$WIREWATCH" run >/dev/null 2>&1 </dev/null &
pid=$!
t_bg $pid
i=0
until ww status | grep -q "agent: *running"; do i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1; done
like "$(ww status)" "agent: +running \\(pid $pid\\)" "status: the running agent and its pid"
json=$(ww status --json)
printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["agent"] is True and d["feeds"] == 1' 
ok $? "status --json parses and agrees"
kill -TERM $pid
wait $pid
is "$?" 0 "the agent stops on SIGTERM"
done_testing
