//! Opt-in timing marks (`DBC_DESK_TIMING=1`): the time from process start to a point the UI
//! reports, e.g. the first painted fleet view, printed on stderr as
//! `dbc-desk timing: <mark> <ms> ms`.

use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();

/// Whether marks are reported (checked once).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("DBC_DESK_TIMING").is_some_and(|v| v != "0"))
}

/// Remember the start (first thing `run` does).
pub fn start() {
    START.get_or_init(Instant::now);
}

/// Milliseconds since [`start`].
pub fn elapsed_ms() -> f64 {
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// Report that the UI reached `mark` (no-op unless timing is on). Returns the elapsed ms when on.
#[tauri::command]
#[specta::specta]
pub fn timing_mark(mark: String) -> Option<f64> {
    if !enabled() {
        return None;
    }
    let ms = elapsed_ms();
    let mark: String = mark
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    eprintln!("dbc-desk timing: {mark} {ms:.0} ms");
    Some(ms)
}
