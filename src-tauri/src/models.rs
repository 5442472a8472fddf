//! DTOs exchanged with the web view (TypeScript types are generated from these).

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Serialize, Type)]
pub struct AppInfo {
    pub version: String,
    /// Set while the built-in demo network is in use.
    pub demo: Option<DemoInfo>,
    /// The configured DBC client, or null for the demo network.
    pub client_url: Option<String>,
    /// A problem found while loading settings (e.g. a corrupt file that was backed up).
    pub settings_warning: Option<String>,
    pub vault: VaultStatus,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DemoInfo {
    /// Base URL of the in-process simulator (its control API lives under /__sim/).
    pub url: String,
    pub wallet_address: String,
    pub machines: Vec<DemoMachine>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DemoMachine {
    pub node_id: String,
    pub name: String,
    pub rent_order: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum VaultBackend {
    Keychain,
    File,
    Unavailable,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct VaultStatus {
    pub backend: VaultBackend,
    /// The encrypted file exists but has not been unlocked in this run.
    pub locked: bool,
    /// Why the OS keychain cannot be used, in plain words.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct WalletInfo {
    pub id: String,
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// 32-byte hex seed.
    Seed,
    /// BIP39 words (+ optional derivation and password).
    Mnemonic,
    /// polkadot.js JSON keystore (+ password).
    Keystore,
}

/// A wallet to import. Holds secrets: never logged, never echoed back.
#[derive(Clone, Deserialize, Type)]
pub struct WalletImport {
    pub name: String,
    pub kind: ImportKind,
    pub secret: String,
    pub derivation: String,
    pub password: String,
}

impl std::fmt::Debug for WalletImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletImport")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MachineAuth {
    Wallet {
        wallet_id: String,
    },
    /// A session shared by the renter; its signature lives in the vault.
    Session {
        session_id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct MachineEntry {
    pub id: String,
    pub label: String,
    pub node_id: String,
    pub rent_order: Option<String>,
    pub auth: MachineAuth,
    /// Provided by the built-in demo network (not saved).
    #[serde(default)]
    pub demo: bool,
}

/// A machine to add. `session_id_sign` is a credential: never echoed back.
#[derive(Clone, Deserialize, Type)]
pub struct MachineInput {
    pub label: String,
    pub node_id: String,
    pub rent_order: String,
    pub wallet_id: Option<String>,
    pub session_id: Option<String>,
    pub session_id_sign: Option<String>,
}

impl std::fmt::Debug for MachineInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MachineInput")
            .field("label", &self.label)
            .field("node_id", &self.node_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Prefs {
    pub poll_fast_ms: u32,
    pub poll_slow_ms: u32,
    pub language: String,
    pub theme: Theme,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            poll_fast_ms: 2000,
            poll_slow_ms: 15000,
            language: "en".into(),
            theme: Theme::System,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FleetMachine {
    pub entry: MachineEntry,
    pub info: Option<dbc_api::models::MachineInfo>,
    /// The machine's rent order (GPU count and indexes decide what a new VM may use).
    pub rent: Option<dbc_api::models::RentOrder>,
    pub tasks: Vec<dbc_api::models::TaskSummary>,
    pub error: Option<crate::error::AppError>,
    /// `info`/`tasks` are the last ones seen: the machine did not answer this time.
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct TaskView {
    pub detail: dbc_api::models::TaskDetail,
    pub ssh_command: Option<String>,
    pub rdp_address: Option<String>,
    pub vnc_address: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SharedSession {
    pub node_id: String,
    pub rent_order: Option<String>,
    pub session_id: String,
    pub session_id_sign: String,
}
