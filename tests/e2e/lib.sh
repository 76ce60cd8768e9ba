# Shared helpers for end-to-end tests (sourced, not run). TAP output.
#   WIREWATCH  the binary under test     WW_SRC  the source tree
set -u
: "${WIREWATCH:?run through make check}"
: "${WW_SRC:?run through make check}"
T_N=0
T_FAILED=0
T_TMP=$(mktemp -d)
T_PIDS=
trap 't_cleanup' EXIT
# Background processes a test starts: t_bg PID, killed at exit.
t_bg() { T_PIDS="$T_PIDS $1"; }
t_cleanup() {
	for _p in $T_PIDS ${T_SERVER:-}; do kill -KILL "$_p" 2>/dev/null; done
	rm -rf "$T_TMP"
}
export HOME="$T_TMP/home" XDG_CONFIG_HOME="$T_TMP/home/.config" \
    XDG_STATE_HOME="$T_TMP/home/.local/state" WIREWATCH_DATADIR="$WW_SRC/rules"
mkdir -p "$HOME"
FIX="$WW_SRC/tests/fixtures"

ok() {	# ok CONDITION-EXIT-STATUS NAME
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then echo "ok $T_N - $2"; else echo "not ok $T_N - $2"; T_FAILED=$((T_FAILED + 1)); fi
}
# t NAME COMMAND...: the command must succeed
t() { _n=$1; shift; "$@" >"$T_TMP/out" 2>"$T_TMP/err"; _r=$?; ok $_r "$_n"; [ $_r -eq 0 ] || sed 's/^/#   /' "$T_TMP/err" | head -20; }
# is GOT WANT NAME
is() { [ "$1" = "$2" ]; _r=$?; ok $_r "$3"; [ $_r -eq 0 ] || printf '#   got:  %s\n#   want: %s\n' "$1" "$2"; }
# like TEXT PATTERN NAME (grep -E)
like() { printf '%s' "$1" | grep -Eq -- "$2"; _r=$?; ok $_r "$3"; [ $_r -eq 0 ] || printf '#   got:  %.300s\n#   want match: %s\n' "$1" "$2"; }
unlike() { printf '%s' "$1" | grep -Eq -- "$2"; _r=$?; [ $_r -ne 0 ]; _r=$?; ok $_r "$3"; [ $_r -eq 0 ] || printf '#   got:  %.300s\n#   must not match: %s\n' "$1" "$2"; }
done_testing() { echo "1..$T_N"; [ "$T_FAILED" -eq 0 ]; }

# start_server [ARGS...]: tests/server.py on 127.0.0.1 with a request log;
# sets PORT, BASE (http://127.0.0.1:PORT) and SRVLOG. Stopped at exit.
start_server() {
	SRVLOG="$T_TMP/server.log"
	rm -f "$T_TMP/port"
	python3 "$WW_SRC/tests/server.py" --port-file "$T_TMP/port" --log "$SRVLOG" \
	    --max-life 600 "$@" >"$T_TMP/server.out" 2>&1 </dev/null &
	T_SERVER=$!
	_i=0
	while [ ! -s "$T_TMP/port" ]; do
		_i=$((_i + 1)); [ $_i -gt 100 ] && { echo "Bail out! test server did not start"; exit 1; }
		sleep 0.1
	done
	PORT=$(cat "$T_TMP/port")
	BASE="http://127.0.0.1:$PORT"
}
