#!/usr/bin/env bash
# DBC Desk developer entry point.
#   bash scripts/dev.sh run    build the app and launch it (demo network when nothing is configured)
#   bash scripts/dev.sh test   run the whole test suite (what CI runs)
# Both install what is missing on a fresh Debian/Ubuntu machine first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

log() { printf '\n==> %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

BUILD_PKGS="libwebkit2gtk-4.1-dev libdbus-1-dev build-essential pkg-config curl wget file libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev"
RUN_PKGS="xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-x11 keyutils imagemagick fonts-dejavu-core fonts-wqy-microhei"

install_system() {
  local missing=()
  for p in $BUILD_PKGS $RUN_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
  command -v npm >/dev/null || { echo "Node.js 20+ with npm is required" >&2; exit 1; }
}

install_node() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    log "installing UI packages"
    npm ci --prefix ui --no-audit --no-fund
  fi
}

install_tauri_driver() {
  if ! command -v tauri-driver >/dev/null; then
    log "installing tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
}

build_ui() {
  log "building the UI"
  npm --prefix ui run build
}

cmd_run() {
  install_system
  install_node
  build_ui
  log "building and launching DBC Desk"
  cargo build --features custom-protocol
  exec ./target/debug/dbc-desk
}

# Runs inside a private D-Bus session with an unlocked gnome-keyring, so the
# keychain tests talk to a real Secret Service.
with_keyring() {
  local data; data=$(mktemp -d)
  DBC_DESK_REQUIRE_KEYCHAIN=1 XDG_DATA_HOME="$data" dbus-run-session -- keyctl session - bash -c \
    'echo -n dbc-desk-ci | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; "$@"' _ "$@"
}

cmd_test() {
  install_system
  install_node
  install_tauri_driver
  export CARGO_TERM_COLOR=never

  log "format and lint (Rust)"
  cargo fmt --all -- --check
  build_ui
  cargo clippy --workspace --all-targets --features custom-protocol -- -D warnings

  log "Rust tests (real Secret Service in a private D-Bus session)"
  # This one build also makes the app binary the E2E drives (same features: no second build).
  with_keyring cargo test --workspace --features custom-protocol

  log "TypeScript bindings are up to date"
  git diff --exit-code -- ui/src/lib/ipc/bindings.ts || {
    echo "ui/src/lib/ipc/bindings.ts drifted from the Rust types: run cargo test and commit it" >&2; exit 1; }

  log "UI type check, lint and unit tests"
  npm --prefix ui run check
  npm --prefix ui run lint
  npm --prefix ui test

  if [ -d ui/e2e ]; then
    log "real-window E2E (tauri-driver + WebKitWebDriver under Xvfb)"
    local app="${CARGO_TARGET_DIR:-target}/debug/dbc-desk"
    [ -x "$app" ] || { echo "$app was not built by cargo test" >&2; exit 1; }
    with_keyring timeout 900 xvfb-run -a -s "-screen 0 1280x800x24" \
      node --test --test-concurrency=1 ui/e2e/
  fi
  log "all tests passed"
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  *) echo "usage: bash scripts/dev.sh run|test" >&2; exit 2 ;;
esac
