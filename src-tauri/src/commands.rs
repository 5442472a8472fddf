//! Tauri commands: thin adapters that convert DTOs and call `AppState` / `dbc-api`.

use dbc_api::keys::Secret;
use dbc_api::models::{
    DiskEntry, ImageEntry, LanInfo, RentOrder, Snapshot, TaskSummary, TransferProgress,
};
use dbc_api::request::{CreateTask, LogEnd, ModifyTask, TaskAction};
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

/// Rent orders of a machine (for the wallet when given), to fill in the rent order id.
#[tauri::command]
#[specta::specta]
pub async fn rent_orders_find(
    state: State<'_, AppState>,
    node_id: String,
    wallet_id: Option<String>,
) -> AppResult<Vec<RentOrder>> {
    state.find_rent_orders(&node_id, wallet_id.as_deref()).await
}

#[tauri::command]
#[specta::specta]
pub async fn machine_remove(state: State<'_, AppState>, id: String) -> AppResult<()> {
    state.remove_machine(&id)
}

#[tauri::command]
#[specta::specta]
pub async fn fleet(state: State<'_, AppState>, fresh: bool) -> AppResult<Vec<FleetMachine>> {
    if fresh {
        state.forget_info();
    }
    state.fleet().await
}

// ---- VMs ------------------------------------------------------------------------------------

#[tauri::command]
#[specta::specta]
pub async fn task_get(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
) -> AppResult<TaskView> {
    let detail = state
        .read(&machine_id, |c, m, a| async move {
            c.task_detail(&m, &a, &task_id).await
        })
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
    state
        .change(&machine_id, |c, m, a| async move {
            c.create_task(&m, &a, &spec).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn task_action(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    action: TaskAction,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.task_action(&m, &a, action, &task_id).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn task_restart(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    force: bool,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.task_restart(&m, &a, &task_id, force).await
        })
        .await
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
    let logs = state
        .read(&machine_id, |c, m, a| async move {
            c.task_logs(&m, &a, &task_id, end, lines).await
        })
        .await?;
    Ok(logs.log_content)
}

#[tauri::command]
#[specta::specta]
pub async fn task_modify(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    changes: ModifyTask,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.task_modify(&m, &a, &task_id, &changes).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn task_passwd(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    username: String,
    password: String,
) -> AppResult<String> {
    let password = Secret::new(password);
    state
        .change(&machine_id, |c, m, a| async move {
            c.task_passwd(&m, &a, &task_id, &username, password.expose())
                .await
        })
        .await
}

// ---- disks and snapshots ------------------------------------------------------------------

#[tauri::command]
#[specta::specta]
pub async fn disk_list(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
) -> AppResult<Vec<DiskEntry>> {
    state
        .read(&machine_id, |c, m, a| async move {
            c.disk_list(&m, &a, &task_id).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn disk_add(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    size_gb: u32,
    mount_dir: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.disk_add(&m, &a, &task_id, size_gb.into(), &mount_dir)
                .await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn disk_resize(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    disk: String,
    add_gb: u32,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.disk_resize(&m, &a, &task_id, &disk, add_gb.into()).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn disk_delete(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    disk: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.disk_delete(&m, &a, &task_id, &disk).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_list(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
) -> AppResult<Vec<Snapshot>> {
    state
        .read(&machine_id, |c, m, a| async move {
            c.snapshot_list(&m, &a, &task_id).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_create(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    name: String,
    desc: String,
    image_server: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.snapshot_create(&m, &a, &task_id, &name, &desc, &image_server)
                .await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_delete(
    state: State<'_, AppState>,
    machine_id: String,
    task_id: String,
    name: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.snapshot_delete(&m, &a, &task_id, &name).await
        })
        .await
}

// ---- sharing and preferences ----------------------------------------------------------------

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

#[tauri::command]
#[specta::specta]
pub async fn image_servers(state: State<'_, AppState>) -> AppResult<Vec<String>> {
    Ok(state.client().await?.image_servers().await?.image_server)
}

#[tauri::command]
#[specta::specta]
pub async fn images_on_server(
    state: State<'_, AppState>,
    image_server: String,
) -> AppResult<Vec<ImageEntry>> {
    Ok(state
        .client()
        .await?
        .images_on_server(&image_server)
        .await?)
}

// ---- images ---------------------------------------------------------------------------------

/// Images on the machine (with auth: also the caller's stopped VMs' system disks).
#[tauri::command]
#[specta::specta]
pub async fn images_on_node(
    state: State<'_, AppState>,
    machine_id: String,
    image_server: Option<String>,
) -> AppResult<Vec<ImageEntry>> {
    state
        .read(&machine_id, |c, m, a| async move {
            c.images_on_node(&m, &a, image_server.as_deref()).await
        })
        .await
}

/// Which way an image moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Transfer {
    /// From an image server to the machine's /data.
    Download,
    /// From the machine's /data to an image server.
    Upload,
}

#[tauri::command]
#[specta::specta]
pub async fn image_transfer_start(
    state: State<'_, AppState>,
    machine_id: String,
    direction: Transfer,
    image_server: String,
    file: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            match direction {
                Transfer::Download => c.image_download(&m, &a, &image_server, &file, "").await,
                Transfer::Upload => c.image_upload(Some(&m), &a, &file, &image_server).await,
            }
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn image_transfer_progress(
    state: State<'_, AppState>,
    machine_id: String,
    direction: Transfer,
    file: String,
) -> AppResult<TransferProgress> {
    let progress = state
        .read(&machine_id, |c, m, a| async move {
            match direction {
                Transfer::Download => c.image_download_progress(&m, &a, &file).await,
                Transfer::Upload => c.image_upload_progress(Some(&m), &a, &file).await,
            }
        })
        .await?;
    if progress.is_done() {
        // a finished download changes the machine's images and free space
        state.changed(&machine_id);
    }
    Ok(progress)
}

#[tauri::command]
#[specta::specta]
pub async fn image_transfer_stop(
    state: State<'_, AppState>,
    machine_id: String,
    direction: Transfer,
    file: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            match direction {
                Transfer::Download => c.image_download_stop(&m, &a, &file).await,
                Transfer::Upload => c.image_upload_stop(Some(&m), &a, &file).await,
            }
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn image_delete(
    state: State<'_, AppState>,
    machine_id: String,
    file: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.image_delete(&m, &a, &file).await
        })
        .await
}

// ---- private LANs ---------------------------------------------------------------------------

#[tauri::command]
#[specta::specta]
pub async fn lan_list(state: State<'_, AppState>, machine_id: String) -> AppResult<Vec<LanInfo>> {
    let list = state
        .read(&machine_id, |c, m, a| async move {
            c.lan_list(Some(&m), &a).await
        })
        .await?;
    Ok(list.0)
}

#[tauri::command]
#[specta::specta]
pub async fn lan_create(
    state: State<'_, AppState>,
    machine_id: String,
    name: String,
    ip_cidr: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.lan_create(&m, &a, &name, &ip_cidr).await
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn lan_delete(
    state: State<'_, AppState>,
    machine_id: String,
    name: String,
) -> AppResult<String> {
    state
        .change(&machine_id, |c, m, a| async move {
            c.lan_delete(&m, &a, &name).await
        })
        .await
}
