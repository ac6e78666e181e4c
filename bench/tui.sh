#!/bin/sh
# Dashboard latency on a big database, driven through a pty:
#   bench/tui.sh [DB]
# Without DB it builds one (oligo init, then 1,000,000 items and 100,000
# filings with the sqlite3 shell) in a temporary folder.  Prints first
# frame, view switch, keystroke-to-frame (j, PgDn, 100 PgDn deep, G, g,
# search typing, a rare and a common search term, G in the search, Esc,
# the source filter, sort) and peak RSS against the issue's targets: 150 ms
# for the first frame, 20 ms from any key to its frame (switching views,
# applying a search and changing a filter or sort are keys too), 64 MB.
# Esc alone gets 45 ms: ncurses waits ESCDELAY (25 ms, set by the
# dashboard) to tell a lone Esc from the start of an arrow key's sequence.
# A key's time is from writing it to the last byte of the frame it
# causes: the first byte is awaited (up to 5 s), then the output must
# stay quiet for 30 ms.
set -eu
OLIGO=${OLIGO_BIN:-./oligo}
case $OLIGO in /*) ;; *) OLIGO=$PWD/$OLIGO ;; esac
DB=${1:-}
if [ -z "$DB" ]; then
	T=$(mktemp -d /tmp/oligo-bench.XXXXXX)
	trap 'rm -rf "$T"' EXIT
	DB=$T/big.db
	XDG_CONFIG_HOME=$T OLIGO_DB=$DB "$OLIGO" init --quiet
	sqlite3 "$DB" "
INSERT INTO source(name, kind, url) VALUES ('bench', 'rss', 'https://example.com/f');
INSERT INTO item(source_id, guid, title, link, summary, published, fetched)
 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
 SELECT (SELECT id FROM source WHERE name = 'bench'), 'g' || i,
  'Headline number ' || i || ' about Microsoft OpenAI Azure cloud 10-K',
  'https://example.com/' || i, 'summary ' || i,
  strftime('%Y-%m-%dT%H:%M:%SZ', 1700000000 + i * 30, 'unixepoch'), '2024-01-01' FROM n;
INSERT INTO filing(accession, cik, company, form, filed, url)
 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
 SELECT 'acc-' || i, '0000789019', 'Company ' || (i % 50), '10-K',
  date(1700000000 + i * 300, 'unixepoch'), 'https://sec.gov/' || i FROM n;
PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
fi
# the dashboard's state file (last visit) goes to a temporary folder
XDG_STATE_HOME=$(mktemp -d /tmp/oligo-bench-state.XXXXXX)
export XDG_STATE_HOME
trap 'rm -rf "${T:-}" "$XDG_STATE_HOME"' EXIT
python3 - "$OLIGO" "$DB" <<'PY'
import os, pty, re, select, sys, time
oligo, db = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.environ.update(TERM='xterm-256color', LANG='C.UTF-8', LINES='40', COLUMNS='150')
    os.execv(oligo, [oligo, '--db', db, 'tui'])
import fcntl, struct, termios
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 150, 0, 0))
t_start = time.monotonic()

def until(text, limit=10.0):
    """Read output until text shows up; return seconds since t0."""
    buf = b''
    while time.monotonic() - t_start < limit:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            buf += os.read(fd, 65536)
            if text.encode() in buf:
                return time.monotonic() - t_start
    raise SystemExit('timed out waiting for %r' % text)

def settle(t0, idle=0.03, first=5.0):
    """Wait for the first byte (up to first s), then for idle s of quiet;
    return the time of the last byte after t0 (0: nothing was drawn)."""
    r, _, _ = select.select([fd], [], [], first)
    if not r:
        return 0.0
    last = time.monotonic()
    while True:
        os.read(fd, 65536)
        last = time.monotonic()
        r, _, _ = select.select([fd], [], [], idle)
        if not r:
            return last - t0

def key(k):
    """Send k; return the time of the last byte of the frame it caused."""
    settle(time.monotonic(), 0.03, 0)  # drain anything pending
    t0 = time.monotonic()
    os.write(fd, k)
    return settle(t0)

def typed(text):
    return max(key(bytes([c])) for c in text)

PGDN, PGUP, ESC = b'\x1b[6~', b'\x1b[5~', b'\x1b'
res = []
res.append(('first frame (Landscape)', until('Amazon/Anthropic'), 0.150))
settle(time.monotonic(), 0.2)
res.append(('switch to News (1M items)', key(b'7'), 0.020))
res.append(('keystroke j', key(b'j'), 0.020))
res.append(('keystroke k', key(b'k'), 0.020))
res.append(('keystroke PgDn', key(PGDN), 0.020))
res.append(('keystroke PgDn x100, slowest', max(key(PGDN) for _ in range(100)), 0.020))
res.append(('keystroke PgUp', key(PGUP), 0.020))
res.append(('keystroke G (last of 1M rows)', key(b'G'), 0.020))
res.append(('keystroke k at the end', key(b'k'), 0.020))
res.append(('keystroke g', key(b'g'), 0.020))
res.append(('keystroke / then typing, slowest', max(key(b'/'), typed(b'number 5000')), 0.020))
res.append(('search Enter, rare term', key(b'\r'), 0.020))
res.append(('keystroke Esc clears the search', key(ESC), 0.045))
key(b'/'); typed(b'microsoft')
res.append(('search Enter, term in every item', key(b'\r'), 0.020))
res.append(('keystroke j in the search', key(b'j'), 0.020))
res.append(('keystroke G in the search', key(b'G'), 0.020))
res.append(('keystroke PgUp in the search', key(PGUP), 0.020))
key(ESC)
res.append(('keystroke F (filter by source)', key(b'F'), 0.020))
res.append(('keystroke G under the source filter', key(b'G'), 0.020))
key(b'F')
res.append(('keystroke s (sort by an indexed column)', key(b's'), 0.020))
res.append(('keystroke s again (skips unindexed)', key(b's'), 0.020))
res.append(('switch to Filings (100k)', key(b'8'), 0.020))
res.append(('keystroke j in Filings', key(b'j'), 0.020))
res.append(('keystroke G in Filings', key(b'G'), 0.020))
rss = 0
for line in open('/proc/%d/status' % pid):
    if line.startswith('VmHWM:'):
        rss = int(line.split()[1]) / 1024
os.write(fd, b'q')
os.waitpid(pid, 0)
for name, s, goal in res:
    tag = 'tui_' + re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')
    print('%s  %.1f ms  %.2f  <=%.0f  %s' % (tag, s * 1000, s / goal,
          goal * 1000, 'ok' if s <= goal else 'MISS'))
print('tui_peak_rss  %.1f MB  %.2f  <=64  %s' % (rss, rss / 64,
      'ok' if rss <= 64 else 'MISS'))
PY
