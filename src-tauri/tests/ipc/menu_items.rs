//! The native menu carries the app's own items (their clicks reach the web view as events).

use crate::common;

use common::start;

#[test]
fn the_menu_has_our_items_with_shortcuts() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    let menu = dbc_desk_lib::menu::build(ipc.app().handle()).unwrap();
    let mut ids = Vec::new();
    for sub in menu.items().unwrap() {
        if let Some(sub) = sub.as_submenu() {
            for item in sub.items().unwrap() {
                ids.push(item.id().0.clone());
            }
        }
    }
    for id in [
        "refresh",
        "go:fleet",
        "go:wallets",
        "go:machines",
        "go:settings",
    ] {
        assert!(ids.iter().any(|x| x == id), "{id} missing from {ids:?}");
    }
}
