//! Rental commands: every order of every wallet from the chain, and renewing on DBC's site.

use tauri::State;

use crate::error::{AppError, AppResult};
use crate::models::{RentAlert, Rentals};
use crate::state::AppState;

/// DBC's web wallet on the main chain, where a renter renews a rental (the chain's
/// `rentMachine` calls). The only address DBC Desk ever opens for rentals.
pub const RENTER_SITE: &str =
    "https://www.dbcwallet.io/?rpc=wss%3A%2F%2Finfo.dbcwallet.io#/accounts";

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
    tauri_plugin_opener::open_url(RENTER_SITE, None::<&str>)
        .map_err(|e| AppError::internal(format!("the browser could not be opened: {e}")))
}
