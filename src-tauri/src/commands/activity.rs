//! Activity centre commands: the list of long operations being followed (and the last ones that
//! ended), dismissing, and checking again.

use tauri::State;

use crate::activity::Activity;
use crate::error::AppResult;
use crate::state::AppState;

/// Every followed operation, newest first (also sent as the `activity` event when it changes).
#[tauri::command]
#[specta::specta]
pub fn activity_list(state: State<'_, AppState>) -> Vec<Activity> {
    state.activity_list()
}

/// Forget one ended operation (running ones stay).
#[tauri::command]
#[specta::specta]
pub fn activity_dismiss(state: State<'_, AppState>, id: String) -> AppResult<Vec<Activity>> {
    state.activity_dismiss(&id)?;
    Ok(state.activity_list())
}

/// Forget every ended operation.
#[tauri::command]
#[specta::specta]
pub fn activity_clear_ended(state: State<'_, AppState>) -> AppResult<Vec<Activity>> {
    state.activity_clear_ended()?;
    Ok(state.activity_list())
}

/// Check one again now (also one whose checking stopped).
#[tauri::command]
#[specta::specta]
pub fn activity_recheck(state: State<'_, AppState>, id: String) -> AppResult<Vec<Activity>> {
    state.activity_recheck(&id)?;
    Ok(state.activity_list())
}
