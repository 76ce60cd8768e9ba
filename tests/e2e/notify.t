#!/bin/sh
# Notifications on a private session bus with python3-dbusmock's
# notification daemon: summary, escaped body, urgency, actions, in-place
# replacement, the hyperlink fallback and the no-server path.
. "$(dirname "$0")/lib.sh"
DRV="$WW_BUILD/drivers/notify-send"

# mock CAPS LOG -- COMMAND...: run COMMAND on a fresh bus with a mock daemon
mock() {
	caps=$1 log=$2
	shift 3
	dbus-run-session -- sh -c '
		caps=$1 log=$2; shift 2
		/usr/bin/python3 -m dbusmock --template notification_daemon \
		    -p "{\"capabilities\": \"$caps\"}" -l "$log" >/dev/null 2>&1 &
		i=0
		until gdbus call --session --dest org.freedesktop.DBus \
		    --object-path /org/freedesktop/DBus \
		    --method org.freedesktop.DBus.NameHasOwner \
		    org.freedesktop.Notifications 2>/dev/null | grep -q true; do
			i=$((i + 1)); [ $i -gt 100 ] && exit 99; sleep 0.1
		done
		"$@"
		r=$?
		kill $! 2>/dev/null
		exit $r' sh "$caps" "$log" "$@" 2>/dev/null
}

L1="$T_TMP/n1.log"
out=$(mock "body body-markup actions body-hyperlinks" "$L1" -- "$DRV" \
    china-belarus 2 "China–Belarus ties" 'Xi & Lukashenko <b>meet</b> <a href="x">now</a> a<b' https://example.org/story -- \
    china-belarus 2 "China–Belarus ties: 3 new articles" 'Second headline' https://example.org/2 3 -- \
    sanctions 3 "Sanctions" 'Critical one' https://example.org/3)
is "$(echo "$out" | cut -d' ' -f1 | tr '\n' ' ')" "ok ok ok " "three notices shown"
id1=$(echo "$out" | sed -n 1p | cut -d' ' -f2)
id2=$(echo "$out" | sed -n 2p | cut -d' ' -f2)
id3=$(echo "$out" | sed -n 3p | cut -d' ' -f2)
is "$id2" "$id1" "same watch: the second notice replaces the first (same id)"
[ "$id3" != "$id1" ]; ok $? "another watch gets its own notification"
log=$(cat "$L1")
like "$log" 'Notify "wirewatch" 0 "" "China–Belarus ties"' "summary names the watch, app name set"
like "$log" 'Xi &amp; Lukashenko &lt;b&gt;meet&lt;/b&gt; &lt;a href=&quot;x&quot;&gt;now&lt;/a&gt; a&lt;b' "feed markup is escaped in the body"
like "$log" 'matched: Lukashenko, Beijing' "body names the words that matched"
like "$log" "Notify \"wirewatch\" $id1 \"\" \"China–Belarus ties: 3 new articles\"" "update carries replaces_id"
like "$log" '"desktop-entry": "wirewatch"' "desktop-entry hint set"
like "$log" '\["default", "Open"\]' "Open action offered when the server has actions"
like "$log" '"urgency": 2' "critical priority gives critical urgency"
like "$log" '"urgency": 1' "high priority gives normal urgency"
unlike "$log" '<a href="https://example.org/story">' "no link in the body when actions exist"

L2="$T_TMP/n2.log"
out=$(mock "body body-markup body-hyperlinks" "$L2" -- "$DRV" \
    w 1 "Watch" 'Headline' 'https://example.org/a?x=1&y=2')
is "$out" "ok 1" "shown on a server without actions"
log=$(cat "$L2")
like "$log" '<a href=\\?"https://example.org/a\?x=1&amp;y=2\\?">' "without actions the link goes into the body, escaped"
unlike "$log" '"Open"' "no action offered to a server without actions"

L3="$T_TMP/n3.log"
out=$(mock "body" "$L3" -- "$DRV" w 0 "Watch" 'Plain <b>text</b> & more' javascript:alert)
log=$(cat "$L3")
like "$log" 'Plain <b>text</b> & more' "a server without body-markup gets plain text"
like "$log" '"urgency": 0' "low priority gives low urgency"

out=$(DBUS_SESSION_BUS_ADDRESS="unix:path=$T_TMP/nobus" DISPLAY= "$DRV" w 1 "Watch" "Headline" 2>/dev/null)
rc=$?
like "$out" '^fail ' "no session bus: a clear failure, not a crash"
is "$rc" 1 "no session bus: the driver exits 1, not a signal"

done_testing
