#!/usr/bin/env bash
# Startup time and memory of DBC Desk against WebKitGTK's own MiniBrowser on the same machine.
#   bash scripts/measure-startup.sh [path/to/dbc-desk]     (default: target/release/dbc-desk)
# Runs each under Xvfb in a private D-Bus session with fresh data folders, N=5 times:
#  - DBC Desk: time from process start to the first painted fleet view (DBC_DESK_TIMING mark
#    "fleet-painted", demo network), then the summed PSS of the app and its WebKit processes;
#  - MiniBrowser: a static local page, summed PSS of its process tree after the same settle time.
# Prints medians and the PSS ratio. Needs xvfb, dbus, and libwebkit2gtk-4.1-0's MiniBrowser.
set -euo pipefail
if [ "${1:-}" = "--inner" ]; then shift; INNER=1; fi
cd "$(dirname "$0")/.."
APP=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/dbc-desk}")
MINI=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser
RUNS=${RUNS:-5}
SETTLE=${SETTLE:-4}
[ -x "$APP" ] || { echo "no app at $APP (build it: ui/node_modules/.bin/tauri build --bundles deb)" >&2; exit 1; }
[ -x "$MINI" ] || { echo "no MiniBrowser at $MINI (apt-get install libwebkit2gtk-4.1-0)" >&2; exit 1; }

inner() {
  set -euo pipefail
  local app=$1 mini=$2 runs=$3 settle=$4
  # Summed PSS (KiB) of a process and all its descendants.
  pss_tree() {
    local total=0 p
    for p in $1 $(pgrep -P "$1" || true) $(for c in $(pgrep -P "$1" || true); do pgrep -P "$c" || true; done); do
      local v; v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
      total=$((total + ${v:-0}))
    done
    echo "$total"
  }
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  local page; page=$(mktemp --suffix=.html)
  printf '<!doctype html><title>static</title><h1>A static page</h1><p>Hello.</p>' > "$page"
  local out; out=$(mktemp -d)
  : > "$out/start"; : > "$out/app"; : > "$out/mini"
  for i in $(seq "$runs"); do
    local d; d=$(mktemp -d)
    local log="$d/log"
    XDG_DATA_HOME="$d/data" XDG_CONFIG_HOME="$d/config" XDG_CACHE_HOME="$d/cache" DBC_DESK_TIMING=1 \
      "$app" 2> "$log" & local pid=$!
    for _ in $(seq 300); do grep -q "fleet-painted" "$log" && break; sleep 0.1; done
    grep -o "fleet-painted [0-9]*" "$log" | awk '{print $2}' >> "$out/start"
    sleep "$settle"
    pss_tree "$pid" >> "$out/app"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    "$mini" "file://$page" >/dev/null 2>&1 & local mpid=$!
    sleep "$settle"; sleep 1
    pss_tree "$mpid" >> "$out/mini"
    kill "$mpid"; wait "$mpid" 2>/dev/null || true
    rm -rf "$d"
  done
  local st app mini
  st=$(median < "$out/start"); app=$(median < "$out/app"); mini=$(median < "$out/mini")
  echo "startup to first painted fleet view: ${st} ms (median of $runs)"
  echo "summed PSS: DBC Desk $((app / 1024)) MiB, MiniBrowser $((mini / 1024)) MiB (medians of $runs)"
  awk -v a="$app" -v m="$mini" 'BEGIN {printf "PSS DBC Desk / MiniBrowser = %.2f\n", a / m}'
}
if [ -n "${INNER:-}" ]; then
  inner "$APP" "$MINI" "$RUNS" "$SETTLE"
else
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$0" --inner "$APP"
fi
