#!/bin/sh
# Hostile text in the database never reaches the terminal raw: titles
# with OSC/CSI escape sequences, C1 controls, bidi overrides and CR are
# inserted directly (as if the ingest sanitizer had been bypassed), the
# dashboard runs under script(1) so every byte it writes is logged, and
# the log is scanned.
. tests/lib.sh
. tests/tmux.sh
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 1; }
command -v script >/dev/null || { echo "script missing"; exit 1; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }

"$OLIGO" init --quiet || exit 1
# ESC ] 0 ; title BEL (OSC), ESC [ 2 J (CSI), U+009B (C1 CSI), U+202E (RLO),
# U+0085 (NEL), CR, BS, and an OSC 8 hyperlink in the link itself
sqlite3 "$OLIGO_DB" "
INSERT INTO source(name, kind, url) VALUES ('evil' || char(27) || ']0;pwned' || char(7), 'rss', 'https://e.com/f');
INSERT INTO item(source_id, guid, title, link, summary, published, fetched) VALUES
 (1, 'a', 'HOSTILE1 ' || char(27) || ']0;pwned' || char(7) || ' ' || char(27) || '[2J end', 'https://e.com/a', 's', '2025-01-02', '2025'),
 (1, 'b', 'HOSTILE2 ' || char(155) || '31m ' || char(8238) || 'txt.exe ' || char(133) || ' x' || char(13) || 'y' || char(8) || 'z', 'https://e.com/b', 's', '2025-01-01', '2025'),
 (1, 'c', 'HOSTILE3', char(27) || ']8;;https://evil/' || char(27) || '\\\\x', 's', '2024-12-31', '2025');"
tm new-session -d -s t -x 150 -y 30 \
	"LANG=C.UTF-8 script -q -f -c '$OLIGO tui' $T/raw; sleep 30"
wait_for "Amazon/Anthropic" 5 && pass "dashboard starts under script" || fail "dashboard starts"
tm send-keys -t t 7
wait_for "HOSTILE3" 3 && pass "News shows the hostile rows" || fail "News shows the hostile rows"
tm send-keys -t t g Enter
wait_for "Esc closes" 3 && pass "detail of a hostile row" || fail "detail of a hostile row"
tm send-keys -t t Escape j Enter Escape j Enter Escape 9
wait_for "Last success" 3 && pass "Sources shows the hostile source" || fail "Sources"
tm send-keys -t t q
sleep 0.5
python3 - "$T/raw" <<'PY'
import sys
raw = open(sys.argv[1], 'rb').read()
bad = {b'\x1b]': 'OSC', b']0;pwned': 'OSC payload after ESC', b'\x1b[2J': 'clear screen from data',
       b'\xc2\x9b': 'C1 CSI', b'\xc2\x85': 'C1 NEL', b'\xe2\x80\xae': 'U+202E',
       b'\x1b]8;;': 'OSC 8'}
found = [name for seq, name in bad.items() if seq in raw and not
         (seq == b']0;pwned' and b'\x1b]0;pwned' not in raw)]
# ncurses itself may clear the screen with ESC [ 2 J once at start; only
# count it when it sits next to the hostile text
if 'clear screen from data' in found and b'\x1b[2J end' not in raw:
    found.remove('clear screen from data')
if found:
    print('found: ' + ', '.join(found), file=sys.stderr)
    sys.exit(1)
assert b'HOSTILE1' in raw and b'HOSTILE2' in raw, 'hostile rows not in the log'
PY
[ $? -eq 0 ] && pass "no OSC, injected CSI, C1 or bidi control in the raw output" ||
	fail "hostile bytes reached the terminal"
finish
