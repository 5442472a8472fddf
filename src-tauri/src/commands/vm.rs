//! VM commands: detail, create, power actions, logs, settings and password.

use dbc_api::keys::Secret;
use dbc_api::models::TaskSummary;
use dbc_api::request::{self, CreateTask, LogEnd, ModifyTask, TaskAction};
use serde::Deserialize;
use specta::Type;
use tauri::State;

use super::TaskRef;
use crate::error::AppResult;
use crate::models::*;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn task_get(state: State<'_, AppState>, opts: TaskRef) -> AppResult<TaskView> {
    let detail = state
        .send(&opts.machine_id, |m| request::task_detail(m, &opts.task_id))
        .await?;
    Ok(TaskView {
        connection: detail.connection(),
        detail,
    })
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct CreateOptions {
    pub machine_id: String,
    pub spec: CreateTask,
}

#[tauri::command]
#[specta::specta]
pub async fn task_create(
    state: State<'_, AppState>,
    opts: CreateOptions,
) -> AppResult<TaskSummary> {
    state.create_vm(&opts.machine_id, &opts.spec).await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct ActionOptions {
    pub machine_id: String,
    pub task_id: String,
    pub action: TaskAction,
}

#[tauri::command]
#[specta::specta]
pub async fn task_action(state: State<'_, AppState>, opts: ActionOptions) -> AppResult<String> {
    state
        .vm_action(&opts.machine_id, &opts.task_id, opts.action)
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct RestartOptions {
    pub machine_id: String,
    pub task_id: String,
    pub force: bool,
}

#[tauri::command]
#[specta::specta]
pub async fn task_restart(state: State<'_, AppState>, opts: RestartOptions) -> AppResult<String> {
    state
        .vm_restart(&opts.machine_id, &opts.task_id, opts.force)
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct LogsOptions {
    pub machine_id: String,
    pub task_id: String,
    pub end: LogEnd,
    pub lines: u32,
}

#[tauri::command]
#[specta::specta]
pub async fn task_logs(state: State<'_, AppState>, opts: LogsOptions) -> AppResult<Vec<String>> {
    let logs = state
        .send(&opts.machine_id, |m| {
            request::task_logs(m, &opts.task_id, opts.end, opts.lines)
        })
        .await?;
    Ok(logs.log_content)
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct ModifyOptions {
    pub machine_id: String,
    pub task_id: String,
    pub changes: ModifyTask,
}

#[tauri::command]
#[specta::specta]
pub async fn task_modify(state: State<'_, AppState>, opts: ModifyOptions) -> AppResult<String> {
    state
        .modify_vm(&opts.machine_id, &opts.task_id, &opts.changes)
        .await
}

/// The ports the user's VMs take on a machine and free ones to suggest (port planner).
#[tauri::command]
#[specta::specta]
pub async fn port_plan(state: State<'_, AppState>, machine_id: String) -> AppResult<PortPlanView> {
    state.port_plan(&machine_id).await
}

/// A new login password for a VM (a credential: never logged, never echoed back).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct PasswdOptions {
    pub machine_id: String,
    pub task_id: String,
    pub username: String,
    pub password: Secret,
}

#[tauri::command]
#[specta::specta]
pub async fn task_passwd(state: State<'_, AppState>, opts: PasswdOptions) -> AppResult<String> {
    state
        .send(&opts.machine_id, |m| {
            request::task_passwd(m, &opts.task_id, &opts.username, opts.password.expose())
        })
        .await
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct OpenOptions {
    pub machine_id: String,
    pub task_id: String,
    pub kind: dbc_api::connect::OpenKind,
}

/// Open a VM: SSH in the user's terminal, RDP or VNC with the system's client.
#[tauri::command]
#[specta::specta]
pub async fn vm_open(
    state: State<'_, AppState>,
    opts: OpenOptions,
) -> AppResult<crate::open::Opened> {
    state
        .vm_open(&opts.machine_id, &opts.task_id, opts.kind)
        .await
}
