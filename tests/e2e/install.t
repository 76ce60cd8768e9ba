#!/bin/sh
# make install / make uninstall for PREFIX=/usr/local and /usr (into a
# DESTDIR tree) and for a home prefix (no DESTDIR): the binary, the rule
# pack, the systemd user units where systemd searches for them (with the
# real bindir), man pages and completions; the units pass
# `systemd-analyze --user verify`; the service's exposure is below 6; the
# installed binary finds its rule pack; uninstall leaves no file behind.
# One build directory of its own serves the three installs (only main.o,
# which carries the data directory, is rebuilt between them).
. "$(dirname "$0")/lib.sh"

# Run by make run-tests (maybe make asan): this build uses the defaults.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES CC CFLAGS SAN B
BUILD="$T_TMP/build"
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 8 ] && jobs=8
UNITS="wirewatch.service wirewatch-digest.service wirewatch-digest.timer"

# install PREFIX [DESTDIR]
install_to() {
	make -s -C "$WW_SRC" -j"$jobs" install B="$BUILD" PREFIX="$1" \
	    ${2:+DESTDIR="$2"} >"$T_TMP/make.out" 2>&1
	_r=$?
	ok $_r "make install PREFIX=$1${2:+ DESTDIR=\$T_TMP/${2##*/}}"
	[ $_r -eq 0 ] || sed 's/^/#   /' "$T_TMP/make.out" | tail -20
	return $_r
}
uninstall_from() {
	make -s -C "$WW_SRC" uninstall B="$BUILD" PREFIX="$1" \
	    ${2:+DESTDIR="$2"} >"$T_TMP/make.out" 2>&1
	ok $? "make uninstall PREFIX=$1"
}
nrules=$(cd "$WW_SRC/rules" && find . -type f -name '*.rules' | wc -l)
nsub=$(cd "$WW_SRC/rules" && find . -mindepth 2 -type f -name '*.rules' | wc -l)

# check_tree ROOT PREFIX UNITDIR: what an install must hold
check_tree() {
	_root=$1 _prefix=$2 _unitdir=$3
	[ -x "$_root$_prefix/bin/wirewatch" ]
	ok $? "$_prefix: bin/wirewatch is installed, executable"
	_n=$(find "$_root$_prefix/share/wirewatch/rules" -type f -name '*.rules' | wc -l)
	is "$_n" "$nrules" "$_prefix: the rule pack's $nrules *.rules files are installed"
	_n=$(find "$_root$_prefix/share/wirewatch/rules" -mindepth 2 -type f -name '*.rules' | wc -l)
	is "$_n" "$nsub" "$_prefix: including the $nsub in sub-folders"
	cmp -s "$WW_SRC/rules/watches/eurasia.rules" \
	    "$_root$_prefix/share/wirewatch/rules/watches/eurasia.rules"
	ok $? "$_prefix: rule files are installed as they are"
	for _u in $UNITS; do
		[ -f "$_root$_unitdir/$_u" ]
		ok $? "$_prefix: $_u in $_unitdir"
	done
	grep -q '@BINDIR@' "$_root$_unitdir"/wirewatch*
	[ $? -ne 0 ]
	ok $? "$_prefix: no @BINDIR@ left in the units"
	like "$(grep '^ExecStart=' "$_root$_unitdir/wirewatch.service")" \
	    "^ExecStart=$_prefix/bin/wirewatch run\$" "$_prefix: the service starts the installed binary"
	like "$(grep '^ExecStart=' "$_root$_unitdir/wirewatch-digest.service")" \
	    "^ExecStart=$_prefix/bin/wirewatch digest " "$_prefix: so does the digest service"
	for _m in man1/wirewatch.1 man5/wirewatch.rules.5 man5/wirewatch.conf.5; do
		cmp -s "$WW_SRC/man/${_m#man?/}" "$_root$_prefix/share/man/$_m"
		ok $? "$_prefix: share/man/$_m"
	done
	cmp -s "$WW_SRC/completions/wirewatch.bash" \
	    "$_root$_prefix/share/bash-completion/completions/wirewatch"
	ok $? "$_prefix: the bash completion"
	cmp -s "$WW_SRC/completions/_wirewatch" "$_root$_prefix/share/zsh/site-functions/_wirewatch"
	ok $? "$_prefix: the zsh completion"
}
# nothing_left ROOT: no file or link under ROOT, only (empty) directories
nothing_left() {
	_left=$(find "$1" ! -type d 2>/dev/null | sed "s|^$T_TMP|\$T_TMP|")
	is "$_left" "" "$2: uninstall leaves no file behind"
}

# /usr/local and /usr into DESTDIR trees: units in $(PREFIX)/lib/systemd/user.
for p in /usr/local /usr; do
	dest="$T_TMP/dest${p##*/}"
	if install_to "$p" "$dest"; then
		check_tree "$dest" "$p" "$p/lib/systemd/user"
		[ ! -e "$dest$p/share/systemd" ]
		ok $? "$p: nothing in share/systemd"
		uninstall_from "$p" "$dest"
		nothing_left "$dest" "$p"
	fi
done

# A home prefix, no DESTDIR: units in share/systemd/user, where systemd
# looks for a user's own units (~/.local/share/systemd/user).
hp="$T_TMP/home/.local"
if install_to "$hp"; then
	check_tree "" "$hp" "$hp/share/systemd/user"
	[ ! -e "$hp/lib/systemd" ]
	ok $? "home prefix: nothing in lib/systemd"

	# The installed binary finds the installed rule pack by itself.
	mkdir -p "$T_TMP/empty"
	(unset WIREWATCH_DATADIR; "$hp/bin/wirewatch" --config "$T_TMP/empty" \
	    --state "$T_TMP/st" rules check) >"$T_TMP/out" 2>&1
	is "$?" 0 "the installed binary checks the installed pack without WIREWATCH_DATADIR"
	like "$(cat "$T_TMP/out")" "^ok: .* in $nrules files" "and loads all of it"
	like "$(unset WIREWATCH_DATADIR; "$hp/bin/wirewatch" --config "$T_TMP/empty" \
	    --state "$T_TMP/st" rules test "$FIX/agent/world.xml" 2>&1)" "watches:|actors:" \
	    "the installed binary matches with the installed pack"

	if command -v systemd-analyze >/dev/null 2>&1; then
		rt="$T_TMP/runtime"
		mkdir -p "$rt" && chmod 700 "$rt"
		(cd "$hp/share/systemd/user" && XDG_RUNTIME_DIR="$rt" \
		    systemd-analyze --user verify --man=no $UNITS) >"$T_TMP/verify" 2>&1
		_r=$?
		[ $_r -eq 0 ] && [ ! -s "$T_TMP/verify" ]
		ok $? "systemd-analyze --user verify passes on the installed units, silently"
		sed 's/^/#   /' "$T_TMP/verify" | head -10
		XDG_RUNTIME_DIR="$rt" systemd-analyze --user security --offline=yes \
		    "$hp/share/systemd/user/wirewatch.service" >"$T_TMP/sec" 2>&1
		level=$(sed -n 's/.*Overall exposure level for wirewatch.service: \([0-9.]*\).*/\1/p' \
		    "$T_TMP/sec")
		like "$level" '^[0-9]+\.[0-9]+$' "systemd-analyze security reports an exposure level"
		echo "# wirewatch.service exposure: $level"
		awk -v l="$level" 'BEGIN { exit !(l != "" && l + 0 < 6) }'
		ok $? "wirewatch.service exposure $level is below 6"
		# a broken unit must fail verify: the check can fail
		sed 's|^ExecStart=.*|ExecStart=/nonexistent/wirewatch run|' \
		    "$hp/share/systemd/user/wirewatch.service" >"$T_TMP/bad.service"
		(cd "$T_TMP" && XDG_RUNTIME_DIR="$rt" \
		    systemd-analyze --user verify --man=no bad.service) >/dev/null 2>&1
		[ $? -ne 0 ]
		ok $? "systemd-analyze verify rejects a unit whose binary is missing"
	else
		echo "# systemd-analyze not found (Debian package systemd): units not verified"
	fi

	uninstall_from "$hp"
	nothing_left "$hp" "home prefix"
	[ ! -e "$hp/share/wirewatch" ]
	ok $? "home prefix: share/wirewatch is removed"
fi

done_testing
