//! App-wide commands: status, connection, vault, preferences and form checks.

use dbc_api::auth::Auth;
use dbc_api::forms::Form;
use dbc_api::keys::Secret;
use dbc_api::validate::FieldError;
use dbc_api::{request, Client};
use tauri::State;

use crate::error::AppResult;
use crate::models::*;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> AppResult<AppInfo> {
    state.app_info().await
}

#[tauri::command]
#[specta::specta]
pub async fn vault_use_file(
    state: State<'_, AppState>,
    passphrase: Secret,
) -> AppResult<VaultStatus> {
    state.vault.use_file(&passphrase)
}

#[tauri::command]
#[specta::specta]
pub async fn vault_unlock(
    state: State<'_, AppState>,
    passphrase: Secret,
) -> AppResult<VaultStatus> {
    state.touch();
    state.vault.unlock(&passphrase)
}

/// Lock the passphrase file now (the keychain backend has nothing to lock).
#[tauri::command]
#[specta::specta]
pub async fn vault_lock(state: State<'_, AppState>) -> AppResult<VaultStatus> {
    state.lock_vault();
    Ok(state.vault.status())
}

/// Mark the first-run guide finished or skipped (`false` shows it again).
#[tauri::command]
#[specta::specta]
pub fn guide_done(state: State<'_, AppState>, done: bool) -> AppResult<()> {
    state.guide_done(done)
}

/// The user is active (keys, clicks): postpones the idle auto-lock.
#[tauri::command]
#[specta::specta]
pub fn vault_touch(state: State<'_, AppState>) {
    state.touch();
}

/// How strong a new passphrase looks (a hint while typing; nothing is stored).
#[tauri::command]
#[specta::specta]
pub async fn passphrase_strength(passphrase: Secret) -> dbc_secrets::Strength {
    dbc_secrets::strength(passphrase.expose())
}

#[tauri::command]
#[specta::specta]
pub async fn connection_set(state: State<'_, AppState>, url: Option<String>) -> AppResult<AppInfo> {
    state.set_client(url).await
}

/// The risk of reaching a client node at `url` as typed (nothing is sent): plain HTTP to
/// another computer. None for a loopback or https:// address, and for one that is not valid.
#[tauri::command]
#[specta::specta]
pub fn connection_risk(url: String) -> Option<ConnectionRisk> {
    dbc_api::address::transport_risk(&url).map(ConnectionRisk::from)
}

/// Ask a client node for its version (a new client: the address is not the saved one yet).
#[tauri::command]
#[specta::specta]
pub async fn connection_test(url: String) -> AppResult<String> {
    let client = Client::connect(&url)?;
    Ok(client
        .call(request::version(), &Auth::None)
        .await?
        .client_version)
}

#[tauri::command]
#[specta::specta]
pub async fn prefs_get(state: State<'_, AppState>) -> AppResult<Prefs> {
    Ok(state.settings.get().prefs)
}

#[tauri::command]
#[specta::specta]
pub async fn prefs_set(state: State<'_, AppState>, prefs: Prefs) -> AppResult<Prefs> {
    state.prefs_set(prefs)
}

/// The field errors of a form, judged by the same builders that make its request (nothing is
/// sent). Forms call this as the user types instead of keeping a copy of the node's rules.
#[tauri::command]
#[specta::specta]
pub async fn form_check(form: Form) -> Vec<FieldError> {
    dbc_api::forms::check(&form)
}
