#!/bin/sh
# wirewatch rules test --stored: a state filled by run --once over the
# local sample feeds, then the active rules (no change) and an edited copy
# with one watch changed run over the stored articles: the + and - lines,
# the per-article marks, the totals, --json, --since and the errors.
. "$(dirname "$0")/lib.sh"
export TZ=UTC WIREWATCH_NOW=2026-11-28T07:30:00Z
CFG="$T_TMP/cfg"
ST="$T_TMP/state"
mkdir -p "$CFG"
cp -r "$FIX/digest/rules" "$CFG/rules"
ww() { "$WIREWATCH" --config "$CFG" --state "$ST" "$@"; }

ww rules test --stored >/dev/null 2>"$T_TMP/err"
is "$?" 1 "no state yet: exit 1"
like "$(cat "$T_TMP/err")" "no stored articles" "and says there is nothing stored"

cat > "$CFG/feeds" <<EOF2
$FIX/agent/world.xml   name="Northgate World"
$FIX/agent/wire.xml    name="Eastern Wire"
$FIX/agent/burst.xml   name="Sanctions Monitor"
EOF2
printf 'notify = no\n' > "$CFG/config"
ww run --once 2>/dev/null
is "$?" 0 "the sample feeds are polled"
stored=$(sqlite3 "$ST/wirewatch.db" "select count(*) from items where title is not null")
recorded=$(sqlite3 "$ST/wirewatch.db" "select count(*) from matches where kind = 'w'")

# the active rules over what they matched: nothing changes
ww rules test --stored >"$T_TMP/same" 2>"$T_TMP/err"
is "$?" 0 "the active rules: exit 0"
is "$(grep -A1 '^Changes against the recorded matches:$' "$T_TMP/same" | sed -n 2p)" "(none)" \
    "the active rules change nothing"
like "$(cat "$T_TMP/same")" "^$stored articles: " "every stored article is counted"
like "$(cat "$T_TMP/same")" "watches  $recorded matched, $recorded recorded, 0 new, 0 no longer matched" "watch totals agree with the store"

# an edited copy: quiet-watch matches "potash" instead of "crystal"
cp -r "$CFG/rules" "$T_TMP/edited"
sed -i 's/^  match     "crystal"$/  match     "potash"/' "$T_TMP/edited/digest.rules"
grep -q '"potash"' "$T_TMP/edited/digest.rules"
ok $? "the copy is edited"
ww rules test --stored --rules "$T_TMP/edited" >"$T_TMP/bt" 2>"$T_TMP/err"
is "$?" 0 "rules test --stored --rules EDITED exits 0"
out=$(cat "$T_TMP/bt")
grep -qxF '+ quiet-watch  US Treasury blacklists Belarusian potash exporter' "$T_TMP/bt"
ok $? "+ line: the newly matched article"
grep -qxF -- '- quiet-watch  Fine china and crystal: the best holiday table sets' "$T_TMP/bt"
ok $? "- line: the article no longer matched"
is "$(grep -c '^[+-] ' "$T_TMP/bt")" 2 "exactly one + and one - line"
like "$out" "watches  $recorded matched, $recorded recorded, 1 new, 1 no longer matched" "watch totals: 1 new, 1 no longer matched"
like "$out" "actors   ([0-9]+) matched, \\1 recorded, 0 new, 0 no longer matched" "actors unchanged"
is "$(grep -A1 -F 'US Treasury blacklists Belarusian potash exporter  (Sanctions Monitor)' "$T_TMP/bt" | sed -n 2p)" \
    "  watches: sanctions-belarus-russia +quiet-watch" "per article: the new match marked +"
is "$(grep -A1 -F 'Fine china and crystal: the best holiday table sets  (Northgate World)' "$T_TMP/bt" | sed -n 2p)" \
    "  watches: -quiet-watch" "per article: the lost match marked -"

# JSON
ww rules test --stored --rules "$T_TMP/edited" --json >"$T_TMP/bt.json" 2>"$T_TMP/err"
is "$?" 0 "--json exits 0"
python3 - "$T_TMP/bt.json" "$stored" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["totals"]
assert t["articles"] == int(sys.argv[2]), t
assert t["watches"]["new"] == 1 and t["watches"]["gone"] == 1, t
new = [a["title"] for a in d["articles"] if a["watches"]["new"] == ["quiet-watch"]]
gone = [a["title"] for a in d["articles"] if a["watches"]["gone"] == ["quiet-watch"]]
assert new == ["US Treasury blacklists Belarusian potash exporter"], new
assert gone == ["Fine china and crystal: the best holiday table sets"], gone
assert d["since"] is None
EOF2
ok $? "--json parses and holds the same changes"

# --since: a window after every article is empty; a date before all of them is everything
ww rules test --stored --since 2026-11-28T08:00:00Z >"$T_TMP/out" 2>&1
like "$(cat "$T_TMP/out")" "^0 articles first seen since 2026-11-28 08:00" "--since DATE after the poll: no articles"
WIREWATCH_NOW=2026-11-29T07:30:00Z ww rules test --stored --since 12h >"$T_TMP/out" 2>&1
like "$(cat "$T_TMP/out")" "^0 articles first seen since" "--since 12h a day later: no articles"
WIREWATCH_NOW=2026-11-29T07:30:00Z ww rules test --stored --since 7d --json >"$T_TMP/out" 2>&1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["totals"]["articles"] == int(sys.argv[2]) and d["since"] == "2026-11-22T07:30:00Z", d["since"]' "$T_TMP/out" "$stored"
ok $? "--since 7d covers them all and says from when"
ww rules test --stored --since soon >/dev/null 2>"$T_TMP/err"
is "$?" 2 "a bad --since is a usage error"

# broken candidate rules
printf 'watch broken "Broken"\n  match @nosuch\n' > "$T_TMP/edited/zz.rules"
ww rules test --stored --rules "$T_TMP/edited" >/dev/null 2>"$T_TMP/err"
is "$?" 1 "candidate rules with errors: exit 1"
like "$(cat "$T_TMP/err")" "zz.rules:2:[0-9]+: error" "the error is shown at its line"
done_testing
