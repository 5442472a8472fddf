//! Tauri commands: thin adapters that convert DTOs and call `AppState` / `dbc-api`.

use dbc_api::keys::Secret;
use dbc_api::models::TaskSummary;
use dbc_api::request::{CreateTask, LogEnd, TaskAction};
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
    passphrase: String,
) -> AppResult<VaultStatus> {
    state.vault.use_file(&Secret::new(passphrase))
}

#[tauri::command]
#[specta::specta]
pub async fn vault_unlock(
    state: State<'_, AppState>,
    passphrase: String,
) -> AppResult<VaultStatus> {
    state.vault.unlock(&Secret::new(passphrase))
}

#[tauri::command]
#[specta::specta]
pub async fn wallet_list(state: State<'_, AppState>) -> AppResult<Vec<WalletInfo>> {
    state.wallets().await
}

#[tauri::command]
#[specta::specta]
pub async fn wallet_add(state: State<'_, AppState>, input: WalletImport) -> AppResult<WalletInfo> {
    state.add_wallet(input)
}

#[tauri::command]
#[specta::specta]
pub async fn wallet_remove(state: State<'_, AppState>, id: String) -> AppResult<()> {
    state.remove_wallet(&id)
}

#[tauri::command]
#[specta::specta]
pub async fn connection_set(state: State<'_, AppState>, url: Option<String>) -> AppResult<AppInfo> {
    state.set_client(url).await
}

#[tauri::command]
#[specta::specta]
pub async fn connection_test(url: String) -> AppResult<String> {
    let client = dbc_api::Client::connect(&url)?;
    Ok(client.version().await?.client_version)
}

#[tauri::command]
#[specta::specta]
pub async fn machine_list(state: State<'_, AppState>) -> AppResult<Vec<MachineEntry>> {
    state.machines().await
}

#[tauri::command]
#[specta::specta]
pub async fn machine_add(
    state: State<'_, AppState>,
    input: MachineInput,
) -> AppResult<MachineEntry> {
    state.add_machine(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn machine_update(
    state: State<'_, AppState>,
    id: String,
    input: MachineInput,
) -> AppResult<MachineEntry> {
    state.update_machine(&id, input).await
}

#[tauri::command]
#[specta::specta]
pub async fn machine_remove(state: State<'_, AppState>, id: String) -> AppResult<()> {
    state.remove_machine(&id)
}

#[tauri::command]
#[specta::specta]
pub async fn fleet(state: State<'_, AppState>) -> AppResult<Vec<FleetMachine>> {
    state.fleet().await
}

#[tauri::command]
#[specta::specta]
pub async fn task_get(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
) -> AppResult<TaskView> {
    let (_, m, auth) = state.target(&machine_id).await?;
    let detail = state
        .client()
        .await?
        .task_detail(&m, &auth, &task_id)
        .await?;
    Ok(TaskView {
        ssh_command: detail.ssh_command(),
        rdp_address: detail.rdp_address(),
        vnc_address: detail.vnc_address(),
        detail,
    })
}

#[tauri::command]
#[specta::specta]
pub async fn task_create(
    state: State<'_, AppState>,
    machine_id: String,
    spec: CreateTask,
) -> AppResult<TaskSummary> {
    let (_, m, auth) = state.target(&machine_id).await?;
    Ok(state.client().await?.create_task(&m, &auth, &spec).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn task_action(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    action: TaskAction,
) -> AppResult<String> {
    let (_, m, auth) = state.target(&machine_id).await?;
    Ok(state
        .client()
        .await?
        .task_action(&m, &auth, action, &task_id)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn task_restart(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    force: bool,
) -> AppResult<String> {
    let (_, m, auth) = state.target(&machine_id).await?;
    Ok(state
        .client()
        .await?
        .task_restart(&m, &auth, &task_id, force)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn task_logs(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    end: LogEnd,
    lines: u32,
) -> AppResult<Vec<String>> {
    let (_, m, auth) = state.target(&machine_id).await?;
    Ok(state
        .client()
        .await?
        .task_logs(&m, &auth, &task_id, end, lines)
        .await?
        .log_content)
}

#[tauri::command]
#[specta::specta]
pub async fn session_share(
    state: State<'_, AppState>,
    machine_id: String,
) -> AppResult<SharedSession> {
    state.share_session(&machine_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn prefs_get(state: State<'_, AppState>) -> AppResult<Prefs> {
    Ok(state.settings().prefs)
}

#[tauri::command]
#[specta::specta]
pub async fn prefs_set(state: State<'_, AppState>, prefs: Prefs) -> AppResult<Prefs> {
    state.prefs_set(prefs)
}
