//! DTOs exchanged with the web view (TypeScript types are generated from these).

use dbc_api::keys::Secret;
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

/// A risk in how the client-node address is reached, in plain words (`connection_risk`).
#[derive(Debug, Clone, Serialize, Type)]
pub struct ConnectionRisk {
    pub code: dbc_api::address::TransportRisk,
    /// What the risk is.
    pub warning: String,
    /// What to do about it.
    pub remedy: String,
}

impl From<dbc_api::address::TransportRisk> for ConnectionRisk {
    fn from(code: dbc_api::address::TransportRisk) -> Self {
        ConnectionRisk {
            code,
            warning: code.warning().into(),
            remedy: code.remedy().into(),
        }
    }
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
#[derive(Debug, Clone, Deserialize, Type)]
pub struct WalletImport {
    pub name: String,
    pub kind: ImportKind,
    pub secret: Secret,
    pub derivation: String,
    pub password: Secret,
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

impl MachineAuth {
    /// The wallet that signs, when a wallet does.
    pub fn wallet_id(&self) -> Option<&str> {
        match self {
            MachineAuth::Wallet { wallet_id } => Some(wallet_id),
            MachineAuth::Session { .. } => None,
        }
    }
}

impl MachineEntry {
    /// Where this machine's requests go.
    pub fn target(&self) -> dbc_api::Machine {
        dbc_api::Machine::new(self.node_id.clone(), self.rent_order.clone())
    }
}

/// A machine to add. `session_id_sign` is a credential: never echoed back.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct MachineInput {
    pub label: String,
    pub node_id: String,
    pub rent_order: String,
    pub wallet_id: Option<String>,
    pub session_id: Option<String>,
    pub session_id_sign: Option<Secret>,
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
    /// Lock the passphrase file after this many minutes without input (0 = never).
    pub auto_lock_minutes: u32,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            poll_fast_ms: 2000,
            poll_slow_ms: 15000,
            language: "en".into(),
            theme: Theme::System,
            auto_lock_minutes: 15,
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
    /// The checked SSH command and RDP/VNC addresses, or the values and why they were refused
    /// (`dbc_api::connect`): the only connection strings the UI shows or copies.
    pub connection: dbc_api::connect::Connection,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SharedSession {
    pub node_id: String,
    pub rent_order: Option<String>,
    pub session_id: String,
    pub session_id_sign: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
    const SIGN: &str = "2460725b2f5e737cd810c773be61b9b27c3b9dbdac4af9cf25c7be9949ad7202a0b7467f71ad843888f482662d3ae2e4fa566d3c1930a3fa90f3dcb97ea4098d";

    /// Secrets arrive as plain strings over IPC and never show in `Debug`.
    #[test]
    fn input_debug_never_shows_secrets() {
        let w: WalletImport = serde_json::from_value(serde_json::json!({
            "name": "mine", "kind": "keystore", "secret": SEED, "derivation": "//x",
            "password": "hunter2-password"
        }))
        .unwrap();
        assert_eq!(
            (w.secret.expose(), w.password.expose()),
            (SEED, "hunter2-password")
        );
        let d = format!("{w:?} {w:#?}");
        assert!(d.contains("mine") && d.contains("Keystore"), "{d}");
        assert!(!d.contains("b0afb3") && !d.contains("hunter2"), "{d}");

        let m: MachineInput = serde_json::from_value(serde_json::json!({
            "label": "rig", "node_id": "ab", "rent_order": "1", "wallet_id": null,
            "session_id": "s1", "session_id_sign": SIGN
        }))
        .unwrap();
        assert_eq!(m.session_id_sign.as_ref().map(Secret::expose), Some(SIGN));
        let d = format!("{m:?} {m:#?}");
        assert!(d.contains("rig") && d.contains("s1"), "{d}");
        assert!(!d.contains(&SIGN[..16]), "{d}");
    }
}
