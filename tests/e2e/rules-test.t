#!/bin/sh
# wirewatch rules test: a feed, an HTML and a plain-text article matched
# against a small rule set (tests/fixtures/match/rules), as text, as JSON
# Lines and with --explain; a feed fetched from a loopback server; rule
# errors stop the command.
. "$(dirname "$0")/lib.sh"
W="$WIREWATCH"
M="$FIX/match"
R="--rules $M/rules"

# --- plain text over the feed ---------------------------------------------
"$W" rules test $R "$M/world.rss" >"$T_TMP/out" 2>"$T_TMP/err"
ok $? "rules test on a feed exits 0"
OUT=$(cat "$T_TMP/out")
like "$OUT" "^Xi hosts Lukashenko, vows deeper security ties
  actors:  china belarus
  watches: china-belarus
" "item 1: actors and the watch, in rule order"
like "$OUT" "Auction of fine china draws record bids
  \(no match\)" "fine china and bone china are not China"
like "$OUT" "Tesco opens stores near Minsk agreements venue
  \(no match\)" "Tesco is not the SCO, the Minsk agreements are not Belarus"
like "$OUT" "EU adopts new sanctions on Belarus
  actors:  belarus
  topics:  sanctions sport
  watches: belarus-sanctions" "item 4: sanctions beside a sport sentence"
like "$OUT" "SCO summit: members weigh new partners
  actors:  sco$" "item 5: SCO by initials and by the American spelling"

# --- JSON Lines -----------------------------------------------------------
"$W" rules test --json $R "$M/world.rss" >"$T_TMP/json" 2>"$T_TMP/err"
ok $? "--json exits 0"
python3 - "$T_TMP/json" >"$T_TMP/check" 2>&1 <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
objs = [json.loads(l) for l in lines]
print(len(objs))
for o in objs:
    print(o["id"], ",".join(o["matched"]))
# every evidence span points at its text in the item's field
fields = {0: {}}
o = objs[0]
title = o["title"]
for name, spans in o["evidence"].items():
    for s in spans:
        if s["field"] == "title":
            assert title.encode()[s["start"]:s["end"]].decode() == s["text"], s
print("spans-ok")
print(json.dumps(o["evidence"]["china"][0], sort_keys=True))
PY
ok $? "every line is a JSON object"
is "$(cat "$T_TMP/check")" '5
world-20261127-0041 china,belarus,china-belarus
world-20261127-0042 
world-20261127-0043 
world-20261127-0044 belarus,sanctions,sport,belarus-sanctions
world-20261127-0045 sco
spans-ok
{"end": 2, "field": "title", "start": 0, "term": "Xi", "text": "Xi"}' \
    "ids are the guids, matched lists, evidence offsets"

# --- --explain ------------------------------------------------------------
"$W" rules test --explain $R "$M/world.rss" >"$T_TMP/ex" 2>"$T_TMP/err"
ok $? "--explain exits 0"
EX=$(cat "$T_TMP/ex")
like "$EX" "watch china-belarus \(.*watches.rules:1\): branch 1 'same-sentence' \(.*watches.rules:2\)" \
    "the branch that fired, with its line"
like "$EX" "summary 15-25 \"Xi Jinping\" <- @china person \"Xi Jinping\" \(.*actors.rules:9\)" \
    "a span: field, offsets, surface text, rule string and line"
like "$EX" "@china: summary 14-19 \"china\" .*: inside 'fine china' \(not, .*actors.rules:12\)" \
    "suppressed: inside a not phrase"
like "$EX" "@china: summary 31-36 \"china\" .*: inside 'bone china' \(not, .*actors.rules:13\)" \
    "suppressed: the second not phrase"
like "$EX" "word boundary: 'SCO' is inside the word 'Tesco'" "suppressed: SCO in Tesco"
like "$EX" "word boundary: 'Xi' is inside the word 'Xinjiang'" "suppressed: Xi in Xinjiang"
like "$EX" "#sanctions: summary 5-14 \"sanctions\" .*excluded by sport-sanctions \(scope sentence" \
    "suppressed: a sentence exclusion"
"$W" rules test --json --explain --item 3 $R "$M/world.rss" >"$T_TMP/j3" 2>&1
is "$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["id"], "Tesco" in o["explain"])' "$T_TMP/j3")" \
    "world-20261127-0043 True" "--item picks one item; --json --explain carries the explanation"

# --- articles -------------------------------------------------------------
"$W" rules test --json $R "$M/article.html" >"$T_TMP/html" 2>"$T_TMP/err"
ok $? "an HTML article"
python3 - "$T_TMP/html" >"$T_TMP/check" 2>&1 <<'PY'
import json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").read())
print(o["title"])
print(",".join(o["matched"]))
print(sorted({s["text"] for s in o["evidence"]["sanctions"]}))
PY
is "$(cat "$T_TMP/check")" "Belarus and China expand rail links | Example News
china,belarus,sanctions,china-belarus
['embargo']" "HTML: title from <title>, text only (no script, style or attributes)"

"$W" rules test $R "$M/article.txt" >"$T_TMP/out" 2>"$T_TMP/err"
is "$(cat "$T_TMP/out")" "Лукашенко прибыл в Пекин
  actors:  china belarus
  watches: china-belarus" "plain text with a title: line; Cyrillic prefix and Han"
printf 'A quiet day\nNothing about anyone.\n' | "$W" rules test $R - >"$T_TMP/out" 2>&1
is "$(cat "$T_TMP/out")" "A quiet day
  (no match)" "an article on stdin, first line as the title"

# --- over HTTP ------------------------------------------------------------
start_server --root "$M"
"$W" rules test --json $R "$BASE/file/world.rss" >"$T_TMP/out" 2>"$T_TMP/err"
ok $? "a feed by URL from the loopback server"
is "$(wc -l <"$T_TMP/out" | tr -d ' ')" 5 "five items"

# --- the default rules directory and rule errors --------------------------
mkdir -p "$XDG_CONFIG_HOME/wirewatch/rules"
cp "$M/rules/"*.rules "$XDG_CONFIG_HOME/wirewatch/rules/"
"$W" rules test "$M/article.txt" >"$T_TMP/out" 2>"$T_TMP/err"
like "$(cat "$T_TMP/out")" "watches: china-belarus" "rules from the config directory"
"$W" rules test --rules "$M/bad" "$M/world.rss" >"$T_TMP/out" 2>"$T_TMP/err"; r=$?
is "$r" 1 "rules with errors: exit 1"
like "$(cat "$T_TMP/err")" "bad.rules:3:3: error: unknown key 'nmae'" "errors as FILE:LINE:COL"
is "$(cat "$T_TMP/out")" "" "and nothing matched"
"$W" rules test >/dev/null 2>&1; r=$?
is "$r" 2 "no SOURCE is a usage error"
"$W" rules test $R "$T_TMP/none.xml" >/dev/null 2>"$T_TMP/err"; r=$?
is "$r" 1 "a missing file fails"

done_testing
