//! The native menu bar. Menu clicks reach the web view as a `menu` event carrying the item id
//! (see `MenuAction`); the UI decides what to do.

use tauri::menu::{
    AboutMetadataBuilder, Menu, MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Runtime};

/// Name of the event the web view listens to.
pub const MENU_EVENT: &str = "menu";

/// Ids of the app's own menu items (the payload of the `menu` event).
pub const REFRESH: &str = "refresh";
pub const GO_FLEET: &str = "go:fleet";
pub const GO_WALLETS: &str = "go:wallets";
pub const GO_MACHINES: &str = "go:machines";
pub const GO_SETTINGS: &str = "go:settings";

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str, text: &str, accel: &str| {
        MenuItemBuilder::with_id(id, text)
            .accelerator(accel)
            .build(app)
    };
    let file = SubmenuBuilder::new(app, "File")
        .item(&item(REFRESH, "Refresh", "CmdOrCtrl+R")?)
        .separator()
        .item(&PredefinedMenuItem::quit(app, None)?)
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&PredefinedMenuItem::cut(app, None)?)
        .item(&PredefinedMenuItem::copy(app, None)?)
        .item(&PredefinedMenuItem::paste(app, None)?)
        .item(&PredefinedMenuItem::select_all(app, None)?)
        .build()?;
    let go = SubmenuBuilder::new(app, "Go")
        .item(&item(GO_FLEET, "Fleet", "CmdOrCtrl+1")?)
        .item(&item(GO_WALLETS, "Wallets", "CmdOrCtrl+2")?)
        .item(&item(GO_MACHINES, "Machines", "CmdOrCtrl+3")?)
        .item(&item(GO_SETTINGS, "Settings", "CmdOrCtrl+,")?)
        .build()?;
    let about = AboutMetadataBuilder::new()
        .name(Some("DBC Desk"))
        .version(Some(env!("CARGO_PKG_VERSION")))
        .comments(Some(
            "Manage the GPU machines you rent on the DeepBrainChain network.",
        ))
        .build();
    let help = SubmenuBuilder::new(app, "Help")
        .item(&PredefinedMenuItem::about(
            app,
            Some("About DBC Desk"),
            Some(about),
        )?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &go, &help])
        .build()
}

/// Forward a click on one of our items to the web view.
pub fn forward<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if [REFRESH, GO_FLEET, GO_WALLETS, GO_MACHINES, GO_SETTINGS].contains(&id) {
        let _ = app.emit(MENU_EVENT, id);
    }
}
