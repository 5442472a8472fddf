//! The native menu bar. Menu clicks reach the web view as a `menu` event carrying the item id
//! (see `MenuAction`); the UI decides what to do.

use tauri::menu::{
    AboutMetadataBuilder, Menu, MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::words::{text, Lang};

/// Name of the event the web view listens to.
pub const MENU_EVENT: &str = "menu";

/// Ids of the app's own menu items (the payload of the `menu` event).
pub const REFRESH: &str = "refresh";
pub const GO_FLEET: &str = "go:fleet";
pub const GO_ACTIVITY: &str = "go:activity";
pub const GO_RENTALS: &str = "go:rentals";
pub const GO_WALLETS: &str = "go:wallets";
pub const GO_MACHINES: &str = "go:machines";
pub const GO_SETTINGS: &str = "go:settings";
pub const HELP_SHORTCUTS: &str = "help:shortcuts";

/// The menu bar in the language of the settings (rebuilt when it changes: [`refresh`]).
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let pref = app
        .try_state::<crate::state::AppState>()
        .map(|s| s.settings.get().prefs.language)
        .unwrap_or_default();
    build_in(app, Lang::from_pref(&pref))
}

fn build_in<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> tauri::Result<Menu<R>> {
    let w = |key: &str| text(lang, key, &[]);
    let item = |id: &str, key: &str, accel: &str| {
        MenuItemBuilder::with_id(id, w(key))
            .accelerator(accel)
            .build(app)
    };
    let file = SubmenuBuilder::new(app, w("native.menu.file"))
        .item(&item(REFRESH, "native.menu.refresh", "CmdOrCtrl+R")?)
        .separator()
        .item(&PredefinedMenuItem::quit(
            app,
            Some(&w("native.menu.quit")),
        )?)
        .build()?;
    let edit = SubmenuBuilder::new(app, w("native.menu.edit"))
        .item(&PredefinedMenuItem::cut(app, Some(&w("native.menu.cut")))?)
        .item(&PredefinedMenuItem::copy(
            app,
            Some(&w("native.menu.copy")),
        )?)
        .item(&PredefinedMenuItem::paste(
            app,
            Some(&w("native.menu.paste")),
        )?)
        .item(&PredefinedMenuItem::select_all(
            app,
            Some(&w("native.menu.selectAll")),
        )?)
        .build()?;
    let go = SubmenuBuilder::new(app, w("native.menu.go"))
        .item(&item(GO_FLEET, "nav.fleet", "CmdOrCtrl+1")?)
        .item(&item(GO_ACTIVITY, "nav.activity", "CmdOrCtrl+2")?)
        .item(&item(GO_RENTALS, "nav.rentals", "CmdOrCtrl+3")?)
        .item(&item(GO_WALLETS, "nav.wallets", "CmdOrCtrl+4")?)
        .item(&item(GO_MACHINES, "nav.machines", "CmdOrCtrl+5")?)
        .item(&item(GO_SETTINGS, "nav.settings", "CmdOrCtrl+,")?)
        .build()?;
    let comments = w("native.menu.aboutComments");
    let about = AboutMetadataBuilder::new()
        .name(Some("DBC Desk"))
        .version(Some(env!("CARGO_PKG_VERSION")))
        .comments(Some(comments.as_str()))
        .build();
    let help = SubmenuBuilder::new(app, w("native.menu.help"))
        .item(&item(HELP_SHORTCUTS, "shortcuts.title", "F1")?)
        .item(&PredefinedMenuItem::about(
            app,
            Some(&w("native.menu.about")),
            Some(about),
        )?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &go, &help])
        .build()
}

/// Rebuild the menu bar (after the language changed).
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    if let Ok(menu) = build(app) {
        let _ = app.set_menu(menu);
    }
}

/// Forward a click on one of our items to the web view.
pub fn forward<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if [
        REFRESH,
        GO_FLEET,
        GO_ACTIVITY,
        GO_RENTALS,
        GO_WALLETS,
        GO_MACHINES,
        GO_SETTINGS,
        HELP_SHORTCUTS,
    ]
    .contains(&id)
    {
        let _ = app.emit(MENU_EVENT, id);
    }
}
