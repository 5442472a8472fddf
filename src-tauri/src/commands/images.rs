//! Image servers, images on machines, transfers with progress, and private LANs.

use dbc_api::auth::Auth;
use dbc_api::models::{ImageEntry, LanInfo, TransferProgress};
use dbc_api::request;
use serde::Deserialize;
use specta::Type;
use tauri::State;

use crate::error::AppResult;
use crate::models::Transfer;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn image_servers(state: State<'_, AppState>) -> AppResult<Vec<String>> {
    let client = state.client().await?;
    Ok(client
        .call(request::image_servers(), &Auth::None)
        .await?
        .image_server)
}

#[tauri::command]
#[specta::specta]
pub async fn images_on_server(
    state: State<'_, AppState>,
    image_server: String,
) -> AppResult<Vec<ImageEntry>> {
    let call = request::images_on_server(&image_server)?;
    Ok(state.client().await?.call(call, &Auth::None).await?)
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct ImagesOnNode {
    pub machine_id: String,
    pub image_server: Option<String>,
}

/// Images on the machine (signed: also the caller's stopped VMs' system disks).
#[tauri::command]
#[specta::specta]
pub async fn images_on_node(
    state: State<'_, AppState>,
    opts: ImagesOnNode,
) -> AppResult<Vec<ImageEntry>> {
    state
        .send(&opts.machine_id, |m| {
            request::images_on_node(m, opts.image_server.as_deref(), true)
        })
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct TransferStart {
    pub machine_id: String,
    pub direction: Transfer,
    pub image_server: String,
    pub file: String,
    /// Download: the folder on the GPU host (empty: /data, where VMs find images).
    #[serde(default)]
    pub local_dir: String,
}

#[tauri::command]
#[specta::specta]
pub async fn image_transfer_start(
    state: State<'_, AppState>,
    opts: TransferStart,
) -> AppResult<String> {
    state
        .image_transfer(
            &opts.machine_id,
            opts.direction,
            &opts.image_server,
            &opts.file,
            &opts.local_dir,
        )
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct TransferRef {
    pub machine_id: String,
    pub direction: Transfer,
    pub file: String,
}

#[tauri::command]
#[specta::specta]
pub async fn image_transfer_progress(
    state: State<'_, AppState>,
    opts: TransferRef,
) -> AppResult<TransferProgress> {
    if opts.direction == Transfer::UploadFromClient {
        return Err(crate::activity::no_client_progress());
    }
    let progress = state
        .send(&opts.machine_id, |m| match opts.direction {
            Transfer::Download => request::image_download_progress(m, &opts.file),
            _ => request::image_upload_progress(Some(m), &opts.file),
        })
        .await?;
    if progress.is_done() {
        // a finished download changes the machine's images and free space
        state.fleet.changed(&opts.machine_id);
    }
    Ok(progress)
}

#[tauri::command]
#[specta::specta]
pub async fn image_transfer_stop(
    state: State<'_, AppState>,
    opts: TransferRef,
) -> AppResult<String> {
    state
        .image_transfer_stop(&opts.machine_id, opts.direction, &opts.file)
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct ImageRef {
    pub machine_id: String,
    pub file: String,
}

#[tauri::command]
#[specta::specta]
pub async fn image_delete(state: State<'_, AppState>, opts: ImageRef) -> AppResult<String> {
    state
        .send(&opts.machine_id, |m| request::image_delete(m, &opts.file))
        .await
}

// ---- private LANs ---------------------------------------------------------------------------

#[tauri::command]
#[specta::specta]
pub async fn lan_list(state: State<'_, AppState>, machine_id: String) -> AppResult<Vec<LanInfo>> {
    let list = state
        .send(&machine_id, |m| request::lan_list(Some(m)))
        .await?;
    Ok(list.0)
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct LanCreate {
    pub machine_id: String,
    pub name: String,
    pub ip_cidr: String,
}

#[tauri::command]
#[specta::specta]
pub async fn lan_create(state: State<'_, AppState>, opts: LanCreate) -> AppResult<String> {
    state
        .lan_create(&opts.machine_id, &opts.name, &opts.ip_cidr)
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct LanRef {
    pub machine_id: String,
    pub name: String,
}

#[tauri::command]
#[specta::specta]
pub async fn lan_delete(state: State<'_, AppState>, opts: LanRef) -> AppResult<String> {
    state
        .send(&opts.machine_id, |m| request::lan_delete(m, &opts.name))
        .await
}
