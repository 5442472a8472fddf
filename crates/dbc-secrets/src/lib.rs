//! Where DBC Desk and the `dbc` CLI keep wallet secrets: the OS keychain (`keyring`: macOS
//! Keychain, Windows Credential Manager, Secret Service on Linux), or — only when the user opts in
//! because no keychain is usable — a file encrypted under a passphrase (Argon2id +
//! XChaCha20-Poly1305). No Tauri in here: the app and the CLI share this crate, so both agree on
//! the keychain service name, the entry names and the file format.
//!
//! # Why this crate depends on `dbc-api` (and not the other way round)
//!
//! [`Secret`] stays in `dbc_api::keys` and is re-exported here. It is part of `dbc-api`'s own
//! signatures (`Wallet::from_any`, `Wallet::export_raw_secret`, `keystore::import_polkadot_js`),
//! while `dbc-api` has no business with storage: a program that only signs requests should not
//! pull in D-Bus, platform keychain bindings or Argon2. So storage sits on top of the client
//! library: `dbc-secrets → dbc-api`, never the reverse, and there is no cycle.

mod fsutil;
mod keychain;
mod strength;
mod vault;

use std::path::PathBuf;

pub use dbc_api::keys::Secret;
pub use fsutil::{write_atomic, write_private};
pub use keychain::{probe, Keychain, MemoryKeychain, OsKeychain};
pub use strength::{strength, Strength, Weakness};
pub use vault::{Backend, Error, KdfParams, Status, Vault, MIN_PASSPHRASE};
pub use zeroize::Zeroizing;

/// Keychain service name under which DBC Desk and `dbc` keep secrets.
pub const SERVICE: &str = "dbc-desk";

/// The app's Tauri identifier (`tauri.conf.json`); names its data folder.
pub const APP_IDENTIFIER: &str = "io.dbcdesk.desktop";

/// File name of the passphrase-encrypted vault inside the app's data folder.
pub const VAULT_FILE: &str = "vault.json";

/// Entry name of a wallet's secret: named by its address, so `dbc --keychain wallet:<address>`
/// finds what the app stored.
pub fn wallet_entry(address: &str) -> String {
    format!("wallet:{address}")
}

/// Entry name of the signature of a session shared with the user, per machine entry.
pub fn session_entry(machine_id: &str) -> String {
    format!("session:{machine_id}")
}

/// The app's data folder, computed like Tauri's `app_data_dir()` (no override is configured):
/// the platform data folder joined with [`APP_IDENTIFIER`] —
/// `$XDG_DATA_HOME` or `~/.local/share` on Linux, `~/Library/Application Support` on macOS,
/// `%APPDATA%` (roaming) on Windows.
pub fn app_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER))
}

/// Where the app keeps its passphrase-encrypted vault: `app_data_dir()/vault.json`.
pub fn default_vault_path() -> Option<PathBuf> {
    app_data_dir().map(|d| d.join(VAULT_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        assert_eq!(wallet_entry("5Abc"), "wallet:5Abc");
        assert_eq!(session_entry("m-1"), "session:m-1");
    }

    #[test]
    fn default_vault_path_is_under_the_app_identifier() {
        let p = default_vault_path().expect("a data folder on this platform");
        assert!(p.ends_with(format!("{APP_IDENTIFIER}/{VAULT_FILE}")));
        assert_eq!(p.parent(), app_data_dir().as_deref());
    }
}
