#!/bin/sh
# Install the Debian packages wirewatch needs to build and test, when missing
# (or the packages named as arguments: scripts/deps-bench.sh does that).
# Runs apt-get directly as root, through sudo otherwise.
set -e
PKGS="build-essential pkg-config perl
libcurl4-openssl-dev libxml2-dev libxml2-utils libnotify-dev libsqlite3-dev sqlite3
libutf8proc-dev libstemmer-dev zlib1g-dev
clang libclang-rt-14-dev python3 python3-dbusmock dbus dbus-bin libglib2.0-bin
chromium fonts-dejavu-core systemd groff-base bsdextrautils valgrind"
[ $# -gt 0 ] && PKGS="$*"
missing=
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "$(basename "$0" .sh): installing$missing" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
