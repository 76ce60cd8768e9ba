#!/bin/sh
# Agent benchmark: `wirewatch run --once` in the same table as newsboat and
# sfeed, polling a farm of N generated news feeds served by a private nginx
# on 127.0.0.1 (the farm and the driver are ../shared/bench beside the
# source tree: genfarm.py, farm.sh, measure.py, run-peers.sh). Then the idle
# agent: `wirewatch run` with the same N feeds, after its first poll, sampled
# for RSS, CPU time and system calls while it waits. See tests/bench/README.md
# for what each figure means and the latest results.
#
# Knobs (environment): NS (1000), RUNS (3), TOOLS ("sfeed newsboat wirewatch"),
# SCENARIOS ("cold second unchanged changed"), PORT (18180), WORKDIR
# (${TMPDIR:-/tmp}/wwbench-agent), QUIET_WAIT (10), NICE (-10 as root),
# IDLE (45: seconds of idle sampling, 0 skips it), IDLE_PORT (PORT + 1),
# PEERS (1: 0 skips the table).
#
#	sh tests/bench/agent.sh
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
WW_SRC=${WW_SRC:-$root}
SHARED=${SHARED:-$WW_SRC/../shared/bench}
if [ ! -x "$SHARED/run-peers.sh" ] || [ ! -f "$SHARED/farm.sh" ]; then
	echo "agent: the feed farm is missing: expected run-peers.sh and farm.sh in" \
	    "\$WW_SRC/../shared/bench ($SHARED); set SHARED=DIR" >&2
	exit 1
fi
sh scripts/deps-bench.sh
[ -x ./wirewatch ] || ${MAKE:-make} -s wirewatch >/dev/null

NS=${NS:-1000}
RUNS=${RUNS:-3}
PORT=${PORT:-18180}
W=${WORKDIR:-${TMPDIR:-/tmp}/wwbench-agent}
IDLE=${IDLE:-45}
PEERS=${PEERS:-1}
mkdir -p "$W"
# a private copy: a rebuild of ./wirewatch during the run changes nothing
cp ./wirewatch "$W/wirewatch"
bin=$W/wirewatch
if [ -z "${NICE+x}" ] && [ "$(id -u)" = 0 ]; then
	NICE=-10
fi

# the config every run starts from: no desktop here; nothing else changed
# from the defaults (max-per-host 2, max-connections 16)
WIREWATCH_INIT=${WIREWATCH_INIT:-'printf "notify = no\n" > "$WW_CONFIG/config"'}
WIREWATCH_COUNT=${WIREWATCH_COUNT:-'sqlite3 "$WW_STATE/wirewatch.db" "select count(*) from items" | sed "s/\$/ items/"'}
WIREWATCH_CMD=${WIREWATCH_CMD:-'exec "$WW_BIN" --config "$WW_CONFIG" --state "$WW_STATE" run --once'}
export WIREWATCH_INIT WIREWATCH_COUNT WIREWATCH_CMD

if [ "$PEERS" = 1 ]; then
	echo "# agent: load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
	NS=$NS RUNS=$RUNS PORT=$PORT WORKDIR=$W PARSE=${PARSE:-0} \
	    QUIET_WAIT=${QUIET_WAIT:-10} NICE=${NICE:-} \
	    TOOLS=${TOOLS:-"sfeed newsboat wirewatch"} \
	    SCENARIOS=${SCENARIOS:-"cold second unchanged changed"} \
	    WIREWATCH_BIN=$bin "$SHARED/run-peers.sh" | tee "$W/table.md"
	echo "# agent: load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
	res=$(ls -t "$W"/results-*.jsonl | head -1)
	python3 - "$res" "$NS" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = {}
for r in rows:
    n, tool, scen = (r["label"].split() + ["", "", ""])[:3]
    med[(n, tool, scen)] = r
bad = 0
for n in sys.argv[2].split():
    n = "n" + n
    print("\nratios for %s (medians; wirewatch against each peer):" % n)
    for scen in ("cold", "second", "unchanged", "changed"):
        w = med.get((n, "wirewatch", scen))
        if w is None:
            continue
        for peer in ("sfeed", "newsboat"):
            p = med.get((n, peer, scen))
            if p is None:
                continue
            print("  %-9s %-8s wall %6.1fx faster  cpu %5.1f%% of it" % (
                scen, peer, p["wall"]["med"] / max(w["wall"]["med"], 1e-3),
                100 * w["cpu"]["med"] / max(p["cpu"]["med"], 1e-3)))
    u = med.get((n, "wirewatch", "unchanged"))
    if u is not None:
        for h in u["http_all"]:
            if h["s200"] or h["s304"] != h["req"] or max(h["inm"], h["ims"]) != h["req"]:
                bad = 1
        print("  unchanged: every run only conditional requests answered 304: %s" %
              ("NO" if bad else "yes"))
sys.exit(bad)
EOF
fi

# ---- the idle agent ---------------------------------------------------------
[ "$IDLE" -gt 0 ] || exit 0
n=$(echo "$NS" | awk '{print $NF}')
farm=$W/farm/n$n
[ -f "$farm/s0/urls.txt" ] || { echo "agent: no farm in $farm (run with PEERS=1 first)" >&2; exit 1; }
ln -sfn s0 "$farm/live"
run=$W/idle
rm -rf "$run"; mkdir -p "$run/conf/rules" "$run/state"
# a farm server of its own on IDLE_PORT: the table's may still be running
iport=${IDLE_PORT:-$((PORT + 1))}
sed "s#//127.0.0.1:[0-9]*/#//127.0.0.1:$iport/#" "$farm/s0/urls.txt" > "$run/conf/feeds"
printf 'notify = no\ninterval = 6h\nmin-interval = 6h\njitter = 0\n' > "$run/conf/config"
FARM_RUN=$run/nginx "$SHARED/farm.sh" start "$W/farm" "$iport" >/dev/null
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	FARM_RUN=$run/nginx "$SHARED/farm.sh" stop "$W/farm" "$iport" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$bin" --config "$run/conf" --state "$run/state" run 2> "$run/agent.log" &
pid=$!
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$pid/status"; }
# the first poll is over when every feed was asked for and the CPU time
# stops moving for 3 s
t=0; last=-1; still=0
while [ $t -lt 900 ]; do
	kill -0 "$pid" 2>/dev/null || { echo "agent: wirewatch run exited:" >&2; cat "$run/agent.log" >&2; exit 1; }
	reqs=$(wc -l < "$run/nginx/access.log")
	c=$(cpu)
	if [ "$reqs" -ge "$n" ] && [ "$c" = "$last" ]; then
		still=$((still + 1)); [ $still -ge 3 ] && break
	else
		still=0
	fi
	last=$c; sleep 1; t=$((t + 1))
done
tck=$(getconf CLK_TCK)
items=$(sqlite3 "$run/state/wirewatch.db" "select count(*) from items")
c0=$(cpu); r0=$(rss); reqs0=$(wc -l < "$run/nginx/access.log")
echo
echo "idle agent, $n feeds: first poll done after ~${t} s, $items items stored, $(awk -v c=$c0 -v k=$tck 'BEGIN{printf "%.2f", c/k}') cpu-s so far, peak RSS $(hwm) kB"
if command -v strace >/dev/null 2>&1; then
	timeout 20 strace -f -c -p "$pid" -o "$run/strace-idle.txt" 2>/dev/null || true
	calls=$(awk '/^------/ {n++; next} n == 2 {print $4; exit}' "$run/strace-idle.txt")
	echo "idle agent: system calls in 20 s under strace -c: ${calls:-0}"
	sed -n '1,12p' "$run/strace-idle.txt" | sed 's/^/	/'
	rest=$((IDLE - 20)); [ $rest -gt 0 ] && sleep $rest
else
	sleep "$IDLE"
fi
c1=$(cpu); r1=$(rss); reqs1=$(wc -l < "$run/nginx/access.log")
echo "idle agent over ${IDLE} s: RSS ${r0} kB -> ${r1} kB (goal < 20480 kB)," \
    "CPU used $(awk -v a=$c0 -v b=$c1 -v k=$tck 'BEGIN{printf "%.2f", (b-a)/k}') s," \
    "HTTP requests $((reqs1 - reqs0))"
# VmRSS counts the shared library pages (libcrypto, gnutls, sqlite, glib ...)
# too; the agent's own share is Pss, its own pages Private_Dirty
awk '/^(Pss|Private_Dirty|Shared_Clean):/ {printf "%s %s kB  ", $1, $2} END {print ""}' \
    "/proc/$pid/smaps_rollup" 2>/dev/null | sed 's/^/idle agent: /'
[ "$r1" -lt 20480 ] || echo "agent: idle RSS over 20 MB" >&2
