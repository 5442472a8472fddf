//! Machine commands: the saved machines, their rent orders, the fleet view and session sharing.

use serde::Deserialize;
use specta::Type;
use tauri::State;

use crate::error::AppResult;
use crate::models::*;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn machine_list(state: State<'_, AppState>) -> AppResult<Vec<MachineEntry>> {
    state.machine_list().await
}

#[tauri::command]
#[specta::specta]
pub async fn machine_add(
    state: State<'_, AppState>,
    input: MachineInput,
) -> AppResult<MachineEntry> {
    state.machine_add(input)
}

/// A saved machine and its new values.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct MachineUpdate {
    pub id: String,
    pub input: MachineInput,
}

#[tauri::command]
#[specta::specta]
pub async fn machine_update(
    state: State<'_, AppState>,
    opts: MachineUpdate,
) -> AppResult<MachineEntry> {
    state.machine_update(&opts.id, opts.input)
}

#[tauri::command]
#[specta::specta]
pub async fn machine_remove(state: State<'_, AppState>, id: String) -> AppResult<()> {
    state.machine_remove(&id)
}

/// Which rent orders to look up: a machine's, those of a wallet first.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct RentOrderQuery {
    pub node_id: String,
    pub wallet_id: Option<String>,
}

/// Rent orders of a machine (for the wallet when given), to fill in the rent order id: the
/// chain's active orders, else the machine's own list.
#[tauri::command]
#[specta::specta]
pub async fn rent_orders_find(
    state: State<'_, AppState>,
    opts: RentOrderQuery,
) -> AppResult<RentLookup> {
    state
        .rent_orders_find(&opts.node_id, opts.wallet_id.as_deref())
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn fleet(state: State<'_, AppState>, fresh: bool) -> AppResult<Vec<FleetMachine>> {
    state.fleet(fresh).await
}

#[tauri::command]
#[specta::specta]
pub async fn session_share(
    state: State<'_, AppState>,
    machine_id: String,
) -> AppResult<SharedSession> {
    state.session_share(&machine_id).await
}
