#!/bin/sh
# The default rule pack: it loads without errors or warnings, its own test
# blocks pass, and it tags the labelled corpus with precision and recall of
# at least 0.90 per core name (0.80 on the held-out part, which is never
# used for tuning).
. "$(dirname "$0")/lib.sh"

out=$("$WIREWATCH" rules check "$WW_SRC/rules" 2>&1); r=$?
ok $r "rules check of the default pack exits 0"
unlike "$out" 'error:' "no errors"
unlike "$out" 'warning:' "no warnings"
like "$out" 'tests passed' "test blocks ran"

# Every core name and the four required watches exist.
for id in china belarus russia ukraine united-states european-union sco sanctions \
    military-cooperation peace-talks lethal-aid color-revolution \
    china-belarus sanctions-belarus-russia sco-enlargement china-ukraine-war; do
	grep -Eqr "^(actor|topic|watch) $id " "$WW_SRC/rules"
	ok $? "rule $id is defined"
done

score() {	# score NAME THRESHOLD FILE [--quiet]
	python3 "$WW_SRC/tests/pack-score.py" --threshold "$2" ${4:-} "$3" \
	    >"$T_TMP/score" 2>&1
	r=$?
	ok $r "$1"
	sed 's/^/#   /' "$T_TMP/score" | head -60
}
score "tuning corpus: precision and recall >= 0.90 per name" 0.90 \
    "$WW_SRC/tests/fixtures/pack/corpus.tsv"
# Only the figures of the held-out part are shown, never its lines.
score "held-out corpus: precision and recall >= 0.80 per name" 0.80 \
    "$WW_SRC/tests/fixtures/pack/holdout.tsv" --quiet

# The scorer itself must notice a wrong label: flip one label and it fails.
head -1 "$WW_SRC/tests/fixtures/pack/corpus.tsv" >"$T_TMP/bad.tsv"
printf 'en\tFine china for sale\tPlates and cups.\tchina\n' >>"$T_TMP/bad.tsv"
python3 "$WW_SRC/tests/pack-score.py" --quiet --threshold 0.95 "$T_TMP/bad.tsv" \
    >"$T_TMP/score" 2>&1
r=$?
[ $r -eq 1 ]; ok $? "the scorer fails on a mislabelled line"

done_testing
