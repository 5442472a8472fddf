//! Wallet commands.

use tauri::State;

use crate::error::AppResult;
use crate::models::*;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn wallet_list(state: State<'_, AppState>) -> AppResult<Vec<WalletInfo>> {
    state.wallet_list().await
}

#[tauri::command]
#[specta::specta]
pub async fn wallet_add(state: State<'_, AppState>, input: WalletImport) -> AppResult<WalletInfo> {
    state.wallet_add(input)
}

#[tauri::command]
#[specta::specta]
pub async fn wallet_remove(state: State<'_, AppState>, id: String) -> AppResult<()> {
    state.wallet_remove(&id)
}
