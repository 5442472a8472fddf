//! Rental commands: every order of every wallet from the chain, and renewing on DBC's site.

use tauri::State;

use crate::error::{AppError, AppKey, AppResult};
use crate::models::{RentAlert, Rentals};
use crate::state::AppState;

/// Every rent order of every wallet, soonest end first; chain trouble is reported inside.
#[tauri::command]
#[specta::specta]
pub async fn rentals(state: State<'_, AppState>) -> AppResult<Rentals> {
    state.rentals().await
}

/// The rental warnings given in this run, newest first.
#[tauri::command]
#[specta::specta]
pub fn rent_alerts(state: State<'_, AppState>) -> Vec<RentAlert> {
    state.rent_alerts_recent()
}

/// Open DBC's renter site in the browser (to renew a rental).
#[tauri::command]
#[specta::specta]
pub fn renter_site_open() -> AppResult<()> {
    tauri_plugin_opener::open_url(dbc_chain::RENTER_SITE, None::<&str>)
        .map_err(|e| AppError::internal(AppKey::BrowserOpen, e.to_string()))
}
