//! The native menu bar speaks the language of the settings: built from the locale catalogs, and
//! rebuilt (through the state's language hook, which the shell points at `menu::refresh`) when
//! the language changes, and only then.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use tauri::Manager;

fn titles(ipc: &common::Ipc) -> Vec<String> {
    let menu = dbc_desk_lib::menu::build(ipc.app().handle()).unwrap();
    menu.items()
        .unwrap()
        .iter()
        .map(|i| i.as_submenu().expect("a submenu").text().unwrap())
        .collect()
}

fn prefs(language: &str) -> serde_json::Value {
    json!({"prefs": {"poll_fast_ms": 2000, "poll_slow_ms": 15000, "language": language, "theme": "system"}})
}

#[test]
fn the_menu_follows_the_language_setting() {
    let data = tempfile::tempdir().unwrap();
    let ipc = common::start(data.path());
    let changes = Arc::new(AtomicUsize::new(0));
    let seen = changes.clone();
    ipc.app()
        .state::<dbc_desk_lib::state::AppState>()
        .on_language_change(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        });

    ipc.ok("prefs_set", prefs("en"));
    assert_eq!(titles(&ipc), ["File", "Edit", "Go", "Help"]);
    ipc.ok("prefs_set", prefs("zh-CN"));
    assert_eq!(titles(&ipc), ["文件", "编辑", "前往", "帮助"]);
    ipc.ok("prefs_set", prefs("ko"));
    assert_eq!(titles(&ipc), ["파일", "편집", "이동", "도움말"]);
    let before = changes.load(Ordering::SeqCst);
    // another preference: the menu is left alone
    ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 3000, "poll_slow_ms": 15000, "language": "ko", "theme": "dark"}}));
    assert_eq!(changes.load(Ordering::SeqCst), before);
    assert_eq!(
        before, 3,
        "one rebuild per language change (\"\" → en → zh-CN → ko)"
    );
}
