#!/bin/sh
# The test suite under valgrind's memcheck: every unit test program, and
# every end-to-end test with the wirewatch binary it runs wrapped in
# valgrind. Each process writes its report to build/valgrind/logs/PID.log;
# the run fails when any test fails or any report names an error (invalid
# read or write, use of uninitialised memory, bad free) or a definite or
# indirect leak. Shared-library noise that is not ours is suppressed in
# tests/valgrind.supp.
#   sh tests/valgrind.sh [TEST...]   (default: the whole suite)
# Run through `make valgrind`, which builds first.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/valgrind
logs=$out/logs
rm -rf "$out"
mkdir -p "$logs"
command -v valgrind >/dev/null || { echo "valgrind: not installed (scripts/deps.sh installs it)" >&2; exit 2; }

cat > "$out/vg" <<EOW
#!/bin/sh
exec valgrind --quiet --error-exitcode=0 --vgdb=no --num-callers=40 --leak-check=full \\
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \\
    --suppressions="$root/tests/valgrind.supp" --log-file="$logs/%p.log" "\$@"
EOW
printf '#!/bin/sh\nexec "%s/vg" "%s/wirewatch" "$@"\n' "$out" "$root" > "$out/wirewatch"
chmod +x "$out/vg" "$out/wirewatch"

units= e2e=
if [ $# -gt 0 ]; then
	for t in "$@"; do
		case $t in
		*.t) e2e="$e2e $t" ;;
		*) units="$units $t" ;;
		esac
	done
else
	units=$(ls "$root"/build/tests/test-* | grep -v '\.tmp$')
	# fuzz-short.t runs the clang fuzz builds, not the binary under test.
	e2e=$(ls "$root"/tests/e2e/*.t | grep -v '/fuzz-short\.t$')
fi

status=0
export WW_SRC="$root" WW_BUILD="$root/build"
# Waits in the tests are sized for a native or sanitizer build; valgrind
# runs the program 10-30 times slower.
export WW_SLOW=1
if [ -n "$units" ]; then
	prove --exec "$out/vg" $units || status=1
fi
if [ -n "$e2e" ]; then
	WIREWATCH="$out/wirewatch" prove --exec '' $e2e || status=1
fi

n=$(ls "$logs" | wc -l | tr -d ' ')
bad=
for f in "$logs"/*.log; do
	[ -s "$f" ] || continue
	grep -q -e '^==[0-9]*== [A-Z]' -e 'definitely lost' -e 'indirectly lost' "$f" &&
	    bad="$bad $f"
done
if [ -n "$bad" ]; then
	echo "valgrind: errors in $(echo $bad | wc -w) of $n processes:"
	for f in $bad; do
		echo "--- $f"
		head -40 "$f"
	done
	exit 1
fi
echo "valgrind: $n processes, no memory error and no definite or indirect leak"
exit $status
