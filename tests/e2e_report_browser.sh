#!/usr/bin/env bash
# e2e_report_browser: `scmpwatch suggest --format html` as a browser shows it. A state file
# with hostile names (container names, labels, images and executables holding <script>, &, ",
# newlines, ANSI escapes, | and backticks: a container controls them) is rendered to HTML and
# Markdown; Debian's headless Chromium then loads the page offline and
#   - dumps its DOM: the SVG charts are there, no element of the names' own (no <script>, no
#     <img onerror>), the names appear escaped as text;
#   - logs its console: no error, nothing "Uncaught" (the page has no script: a CSP forbids it);
#   - takes a screenshot (1280x2000): decoded here (PNG, zlib, no PIL), it must not be blank.
# The Markdown must keep its table cells whole and stay under 65,000 bytes. A replayed log whose
# events span 20 minutes draws its timeline as bars (one per time bucket with events, its count
# and interval in its title; the counts add up to the syscall's), in the file and in the DOM.
# Installs chromium when missing (packaging/install-deps.sh browser); skips (77) only if it cannot,
# after checking the files.
set -uo pipefail
bin=${SCMPWATCH:?SCMPWATCH must name the binary}
src=${SCW_SOURCE_DIR:?SCW_SOURCE_DIR must name the source tree}
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
export NO_COLOR=1
tmp=$(mktemp -d)
trap '[ -n "${SCW_KEEP:-}" ] && cp -r "$tmp" "$SCW_KEEP"; rm -rf "$tmp"' EXIT
fails=0 passes=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
pass() { passes=$((passes + 1)); }

# A state: three replicas of "web" (hostile names and labels), one of them with a hostile
# executable; all under --profile web.json (log-only).
python3 - "$tmp/state.json" <<'PY'
import json, sys
hostile = '<script>alert("pwned")</script> & "quotes" | `tick`\n\x1b[31mred\x1b[0m'
ws = []
for i in range(3):
    wid = "%064x" % (0xabc0 + i)
    exe = "/srv/web" if i else '/srv/<img src=x onerror=alert(1)>\x1b]0;t\x07'
    entries = [{"arch": 3221225534, "syscall": nr, "code": 2147221504, "count": c,
                "first": [1764339736 + 10 * k, 0], "last": [1764339736 + 10 * k + 300 * (i + 1), 0],
                "pids": [100 + i], "exes": [exe]}
               for k, (nr, c) in enumerate([(0, 50), (1, 40), (90, 3), (246, 1), (165, 2), (39, 7)])]
    ws.append({"key": "docker:" + wid,
               "container": {"runtime": "docker", "id": wid, "name": "web-%d %s" % (i, hostile),
                             "image": 'registry.example/web:1&"2"',
                             "labels": {"com.example.owner": "<b>mallory</b>", "note": "a|b`c`"}},
               "entries": entries})
json.dump({"format": "scmpwatch-state", "version": 1, "input": {"seccomp": 309, "lines": 309},
           "workloads": ws}, open(sys.argv[1], "w"))
PY

run() { # name, args...: suggest over the state
  local name=$1; shift
  if (cd "$src" && "$bin" suggest --state "$tmp/state.json" --no-default-rules \
      --rules rules/default.yaml --profile tests/data/advise/web.json "$@") >"$tmp/$name.out" \
      2>"$tmp/$name.err"; then pass; else fail "$name: exit $?"; sed 's/^/  /' "$tmp/$name.err"; fi
}
run html --format html --output "$tmp/report.html"
run md --format markdown

# --- the file itself: self-contained and escaped ----------------------------------------------
html=$tmp/report.html
[ -s "$html" ] && pass || fail "no $html"
grep -q "Content-Security-Policy" "$html" && pass || fail "no CSP"
grep -Eiq '<script|<link|src="https?:|url\(' "$html" && fail "the page loads or runs something" || pass
grep -q '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;' "$html" && pass ||
  fail "the name is not escaped in the file"
grep -q $'\x1b' "$html" && fail "an escape byte reached the HTML" || pass

# --- a replayed log over 20 minutes: the timeline in bars ---------------------------------------
# chmod every 10 s for 1200 s (120), getpid 3 times a second in the last 300 s (900)
python3 - "$tmp/audit.log" <<'PY'
import sys
t0, lines, serial = 1764339700, [], 1
def rec(t, nr):
    global serial
    serial += 1
    return ('type=SECCOMP msg=audit(%d.%03d:%d): auid=4294967295 uid=0 gid=0 ses=4294967295 '
            'subj=unconfined pid=100 comm="web" exe="/srv/web" sig=0 arch=c000003e syscall=%d '
            'compat=0 ip=0x7f4192faed57 code=0x7ffc0000' % (t // 1000, t % 1000, serial, nr))
ev = [(t0 * 1000 + 10000 * i, 90) for i in range(120)]
ev += [(t0 * 1000 + 900000 + 333 * i, 39) for i in range(900)]
open(sys.argv[1], "w").write("".join(rec(t, nr) + "\n" for t, nr in sorted(ev)))
PY
if (cd "$src" && "$bin" replay --no-default-rules --rules rules/default.yaml \
    --profile tests/data/advise/web.json --format html -o "$tmp/replay.html" "$tmp/audit.log") \
    >"$tmp/replay.out" 2>"$tmp/replay.err"; then pass; else fail "replay --format html: exit $?"; sed 's/^/  /' "$tmp/replay.err"; fi
rhtml=$tmp/replay.html
grep -q '<p class="dim">bars: events per 128 s</p>' "$rhtml" && pass ||
  fail "replay: no 'bars: events per 128 s' (20 minutes from 14:21:40 in 16 aligned buckets)"
# one bar per bucket with events: its count in its title; chmod's add up to 120, getpid's to 900
bars() { grep -oE "<rect class=\"[a-z]+\" [^>]*><title>$1: [0-9,]+ in [0-9]+ s from [0-9: .-]+ UTC</title>" "$rhtml"; }
n=$(bars chmod | wc -l)
[ "$n" -ge 9 ] && pass || fail "replay: $n chmod bars, want one per bucket (>= 9)"
sum() { bars "$1" | sed -E 's/.*<title>[a-z]+: ([0-9,]+) in.*/\1/; s/,//g' | awk '{s += $1} END {print s + 0}'; }
[ "$(sum chmod)" = 120 ] && pass || fail "replay: chmod bars add up to $(sum chmod), want 120"
[ "$(sum getpid)" = 900 ] && pass || fail "replay: getpid bars add up to $(sum getpid), want 900"
first_getpid=$(bars getpid | head -1 | grep -oE 'from [0-9: .-]+ UTC')
[ "$first_getpid" \> "from 2025-11-28 14:31:40" ] && pass || # t0 + 10 minutes
  fail "replay: getpid's first bar is '$first_getpid', want one after the first 10 minutes"
grep -q 'no time' "$rhtml" && fail "replay: events said to have no time" || pass

# --- Chromium: DOM, console, screenshot ---------------------------------------------------------
chromium=$(command -v chromium || command -v chromium-browser || true)
# A fresh machine has no browser: install it (as the metrics test installs Prometheus), so CI
# runs this test instead of skipping it; skip only where it cannot be installed.
if [ -z "$chromium" ] && [ "$(id -u)" -eq 0 ]; then
  "$src/packaging/install-deps.sh" browser >&2 || true
  chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$chromium" ]; then
  [ "$fails" -eq 0 ] || { echo "e2e_report_browser: $passes passed, $fails failed"; exit 1; }
  echo "SKIP: no chromium, and packaging/install-deps.sh browser could not install it (the files passed)"
  exit 77
fi
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync)
chrome() { # output-file, extra flags...
  local out=$1; shift
  local profile; profile=$(mktemp -d "$tmp/profile.XXXX")
  timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$profile" "$@" >"$out" 2>"$out.log"
}
chrome "$tmp/dom.html" --dump-dom --enable-logging=stderr --v=0 "file://$html" ||
  fail "chromium --dump-dom failed: $(tail -3 "$tmp/dom.html.log")"
dom=$tmp/dom.html
[ "$(grep -c '<svg class="timeline"' "$dom")" -ge 1 ] && pass || fail "no timeline SVG in the DOM"
grep -q '<svg class="bar"' "$dom" && pass || fail "no decision bar SVG in the DOM"
grep -q '<table class="matrix">' "$dom" && pass || fail "no coverage matrix in the DOM"
grep -Eiq '<script|<img|<b>mallory' "$dom" && fail "a name became an element in the DOM" || pass
grep -q '&lt;script&gt;alert("pwned")&lt;/script&gt; &amp; "quotes" | `tick`\\x0a\\x1b\[31mred' "$dom" &&
  pass || fail "the hostile name is not shown as text in the DOM"
grep -q 'com.example.owner=&lt;b&gt;mallory&lt;/b&gt;' "$dom" && pass || fail "label not escaped"
chrome "$tmp/rdom.html" --dump-dom "file://$rhtml" ||
  fail "chromium --dump-dom of the replay failed: $(tail -3 "$tmp/rdom.html.log")"
[ "$(grep -oE '<title>chmod: [0-9,]+ in [0-9]+ s from ' "$tmp/rdom.html" | wc -l)" -ge 9 ] && pass ||
  fail "the replay's timeline bars are not in the DOM"
if grep -E 'Uncaught|CONSOLE\(|:ERROR:CONSOLE' "$dom.log" | grep -v 'ssl_client_socket' >"$tmp/console"; then
  fail "console errors:"; sed 's/^/  /' "$tmp/console"
else
  pass
fi

chrome "$tmp/shot.out" --screenshot="$tmp/shot.png" --window-size=1280,2000 "file://$html" ||
  fail "chromium --screenshot failed: $(tail -3 "$tmp/shot.out.log")"
if python3 - "$tmp/shot.png" <<'PY'; then pass; else fail "the screenshot is blank or unreadable"; fi
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "unexpected PNG type %d/%d" % (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
nonwhite = coloured = 0
i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 2 == 0:
        for x in range(0, stride, bpp * 2):
            r, g, bl = line[x], line[x + 1], line[x + 2]
            if r < 240 or g < 240 or bl < 240:
                nonwhite += 1
                if abs(r - g) > 60 or abs(g - bl) > 60:
                    coloured += 1
    prev = line
total = (h // 2) * (w // 2)
print("screenshot %dx%d: %.1f%% non-white, %d coloured samples" % (w, h, 100.0 * nonwhite / total, coloured))
sys.exit(0 if nonwhite > total * 0.01 and coloured > 100 else 1)
PY

# --- Markdown: the bound, whole cells, escaped names ----------------------------------------------
md=$tmp/md.out
[ "$(wc -c <"$md")" -le 65000 ] && pass || fail "markdown over 65,000 bytes"
grep -q '<script' "$md" && fail "markdown carries <script>" || pass
grep -q '&lt;script&gt;alert("pwned")&lt;/script&gt; &amp; "quotes" \\| \\`tick\\`' "$md" && pass ||
  fail "markdown name not escaped"
grep -q $'\x1b' "$md" && fail "an escape byte reached the Markdown" || pass
bad=$(awk '/^\|   \|/ {n = gsub(/[^\\]\|/, "&"); want = n} /^\| / && want {m = gsub(/[^\\]\|/, "&"); if (m != want) print}' "$md")
[ -z "$bad" ] && pass || { fail "markdown rows with a wrong number of cells:"; echo "$bad" | head -3; }

echo "e2e_report_browser: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
