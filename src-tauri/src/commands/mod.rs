//! Tauri commands, grouped by feature. Each is a thin adapter: it takes one options struct
//! (never a long list of positional arguments), builds the pure request through `dbc-api`, and
//! sends it through [`crate::state::AppState::send`].

mod activity;
mod app;
mod images;
mod machines;
mod rentals;
mod storage;
mod vm;
mod wallets;

pub use activity::*;
pub use app::*;
pub use images::*;
pub use machines::*;
pub use rentals::*;
pub use storage::*;
pub use vm::*;
pub use wallets::*;

use serde::Deserialize;
use specta::Type;

/// A VM on a configured machine.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct TaskRef {
    pub machine_id: String,
    pub task_id: String,
}
