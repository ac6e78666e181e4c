#!/bin/sh
# Dashboard latency on a big database, driven through a pty:
#   bench/tui.sh [DB]
# Without DB it builds one (oligo init, then 1,000,000 items and 100,000
# filings with the sqlite3 shell) in a temporary folder.  Prints first
# frame, view switch, keystroke-to-frame (j, PgDn, G, search) and peak RSS
# against the issue's targets (150 ms, 20 ms, 64 MB).
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
exec python3 - "$OLIGO" "$DB" <<'PY'
import os, pty, select, sys, time
oligo, db = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.environ.update(TERM='xterm-256color', LANG='C.UTF-8', LINES='40', COLUMNS='150')
    os.execv(oligo, [oligo, '--db', db, 'tui'])
import fcntl, struct, termios
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 150, 0, 0))

def until(text, limit=10.0):
    """Read output until text shows up; return seconds taken."""
    t0, buf = time.monotonic(), b''
    while time.monotonic() - t0 < limit:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            buf += os.read(fd, 65536)
            if text.encode() in buf:
                return time.monotonic() - t0
    raise SystemExit('timed out waiting for %r' % text)

def settle(idle=0.03):
    """Read until the screen is quiet; return time of the last byte."""
    t0 = last = time.monotonic()
    while True:
        r, _, _ = select.select([fd], [], [], idle)
        if not r:
            return last - t0
        os.read(fd, 65536)
        last = time.monotonic()

def key(k, idle=0.03):
    """Send k; return the time of the last byte of the frame it caused."""
    os.write(fd, k)
    return settle(idle)

res = []
res.append(('first frame (Landscape)', until('Amazon/Anthropic'), 0.150))
settle(0.2)
res.append(('switch to News (1M items)', key(b'7', 0.5), 0.150))
for name, k in (('j', b'j'), ('PgDn', b'\x1b[6~'), ('G (last held row)', b'G'),
                ('g', b'g'), ('k', b'k')):
    res.append(('keystroke ' + name, key(k), 0.020))
t = key(b'/')
for ch in b'number 5000':
    t = max(t, key(bytes([ch])))
res.append(('keystroke typing in search box (max)', t, 0.020))
res.append(('search Enter -> results', key(b'\r', 0.5), 0.150))
res.append(('switch to Filings (100k)', key(b'8', 0.5), 0.150))
res.append(('keystroke j in Filings', key(b'j'), 0.020))
rss = 0
for line in open('/proc/%d/status' % pid):
    if line.startswith('VmHWM:'):
        rss = int(line.split()[1]) / 1024
os.write(fd, b'q')
os.waitpid(pid, 0)
import re
for name, s, goal in res:
    tag = 'tui_' + re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')
    print('%s  %.1f ms  %.2f  <=%.0f  %s' % (tag, s * 1000, s / goal,
          goal * 1000, 'ok' if s <= goal else 'MISS'))
print('tui_peak_rss  %.1f MB  %.2f  <=64  %s' % (rss, rss / 64,
      'ok' if rss <= 64 else 'MISS'))
PY
