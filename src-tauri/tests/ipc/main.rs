//! The app's commands over real IPC on Tauri's mock runtime, one module per area. One test
//! binary for all of them: each module used to be a binary of its own, and every binary links
//! the whole app (minutes of CI linking).

mod common;

mod activity;
mod basics;
mod connect;
mod fleet;
mod images;
mod menu;
mod menu_items;
mod multisig;
mod ports;
mod rentals;
mod settings;
mod shared_paths;
mod storage;
mod vault;
