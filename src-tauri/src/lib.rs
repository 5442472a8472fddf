//! DBC Desk: the Tauri shell. Commands are thin adapters over `dbc-api`.

pub fn run() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("error while running DBC Desk");
}
