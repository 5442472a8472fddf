//! Data disk and snapshot commands.

use dbc_api::models::{DiskEntry, Snapshot};
use dbc_api::request;
use serde::Deserialize;
use specta::Type;
use tauri::State;

use super::TaskRef;
use crate::error::AppResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn disk_list(state: State<'_, AppState>, opts: TaskRef) -> AppResult<Vec<DiskEntry>> {
    state
        .send(&opts.machine_id, |m| request::disk_list(m, &opts.task_id))
        .await
}

/// A new data disk; the size is whole GB as typed.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct DiskAddOptions {
    pub machine_id: String,
    pub task_id: String,
    pub size_gb: String,
    pub mount_dir: String,
}

#[tauri::command]
#[specta::specta]
pub async fn disk_add(state: State<'_, AppState>, opts: DiskAddOptions) -> AppResult<String> {
    state
        .disk_add(
            &opts.machine_id,
            &opts.task_id,
            &opts.size_gb,
            &opts.mount_dir,
        )
        .await
}

/// Grow a data disk by `add_gb` (whole GB as typed).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct DiskResizeOptions {
    pub machine_id: String,
    pub task_id: String,
    pub disk: String,
    pub add_gb: String,
}

#[tauri::command]
#[specta::specta]
pub async fn disk_resize(state: State<'_, AppState>, opts: DiskResizeOptions) -> AppResult<String> {
    state
        .disk_resize(&opts.machine_id, &opts.task_id, &opts.disk, &opts.add_gb)
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct DiskRef {
    pub machine_id: String,
    pub task_id: String,
    pub disk: String,
}

#[tauri::command]
#[specta::specta]
pub async fn disk_delete(state: State<'_, AppState>, opts: DiskRef) -> AppResult<String> {
    state
        .send(&opts.machine_id, |m| {
            request::disk_delete(m, &opts.task_id, &opts.disk)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_list(state: State<'_, AppState>, opts: TaskRef) -> AppResult<Vec<Snapshot>> {
    state
        .send(&opts.machine_id, |m| {
            request::snapshot_list(m, &opts.task_id)
        })
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct SnapshotCreateOptions {
    pub machine_id: String,
    pub task_id: String,
    pub name: String,
    pub desc: String,
    pub image_server: String,
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_create(
    state: State<'_, AppState>,
    opts: SnapshotCreateOptions,
) -> AppResult<String> {
    state
        .snapshot_create(
            &opts.machine_id,
            &opts.task_id,
            &opts.name,
            &opts.desc,
            &opts.image_server,
        )
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct SnapshotRef {
    pub machine_id: String,
    pub task_id: String,
    pub name: String,
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_delete(state: State<'_, AppState>, opts: SnapshotRef) -> AppResult<String> {
    state
        .send(&opts.machine_id, |m| {
            request::snapshot_delete(m, &opts.task_id, &opts.name)
        })
        .await
}
