#!/bin/sh
# Install the Debian packages only the benchmarks need (tests/bench/agent.sh:
# a private nginx serving the feed farm, and the feed readers it compares
# against), when missing. Not part of `make check`; `make bench` runs it
# through tests/bench/agent.sh. Runs apt-get directly as root, through sudo
# otherwise.
set -e
BENCH_PKGS="nginx-light newsboat sfeed curl time libxml2-utils python3 sqlite3"
missing=
for p in $BENCH_PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "deps-bench: installing$missing" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
