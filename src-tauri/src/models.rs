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
    /// The first-run guide was finished or skipped.
    pub guide_done: bool,
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
    /// The demo network's simulated chain (JSON-RPC over WebSocket).
    pub chain_url: String,
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
    /// A multisig renter (SPEC §3.5): all members in the multisig's order, its threshold, and
    /// the local wallets that sign.
    Multisig {
        members: Vec<String>,
        threshold: u32,
        signer_ids: Vec<String>,
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
    /// Whether wallet `id` signs for this machine.
    pub fn uses_wallet(&self, id: &str) -> bool {
        match self {
            MachineAuth::Wallet { wallet_id } => wallet_id == id,
            MachineAuth::Multisig { signer_ids, .. } => signer_ids.iter().any(|s| s == id),
            MachineAuth::Session { .. } => false,
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
    /// A multisig renter instead of one wallet.
    #[serde(default)]
    pub multisig: Option<MultisigInput>,
}

/// A multisig renter as typed: member addresses, threshold, and the local wallets that sign.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct MultisigInput {
    pub members: Vec<String>,
    pub threshold: String,
    pub signer_ids: Vec<String>,
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
    /// "" follows the OS language; else "en", "zh-CN" or "ko" (`words::LANGUAGE_PREFS`).
    pub language: String,
    pub theme: Theme,
    /// Lock the passphrase file after this many minutes without input (0 = never).
    pub auto_lock_minutes: u32,
    /// Where rent orders are read from.
    pub chain_source: ChainSource,
    /// The chain's JSON-RPC address when `chain_source` is `custom`.
    pub chain_url: String,
    /// Warn this many hours before a rental ends (each once per order).
    pub warn_before_hours: Vec<u32>,
}

/// Where rent orders are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ChainSource {
    /// The demo network's chain on the demo network, DBC's public endpoint otherwise.
    Auto,
    Custom,
    /// No chain: rent orders are typed by hand and nothing warns before a rental ends.
    Off,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            poll_fast_ms: 2000,
            poll_slow_ms: 15000,
            language: String::new(),
            theme: Theme::System,
            auto_lock_minutes: 15,
            chain_source: ChainSource::Auto,
            chain_url: String::new(),
            warn_before_hours: vec![24, 1],
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FleetMachine {
    pub entry: MachineEntry,
    pub info: Option<dbc_api::models::MachineInfo>,
    /// The machine's rent order (GPU count and indexes decide what a new VM may use).
    pub rent: Option<dbc_api::models::RentOrder>,
    /// What the machine and the rent order leave for a new VM (from `info` and `rent`).
    pub limits: Option<dbc_api::forms::CreateLimits>,
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

/// The chain the app reads rent orders from, and how that went.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ChainInfo {
    /// `None` when the chain is switched off.
    pub endpoint: Option<String>,
    pub source: ChainSource,
    pub current_block: Option<u32>,
    /// Why the chain could not be read (the rest of the app works without it).
    pub error: Option<crate::error::AppError>,
}

/// One rent order of one of the user's wallets, as the chain has it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RentalView {
    pub rent_order: String,
    pub machine_id: String,
    pub renter: String,
    pub wallet_id: Option<String>,
    pub wallet_name: Option<String>,
    /// The configured machine that uses this order, if any.
    pub entry_id: Option<String>,
    pub machine_label: Option<String>,
    /// The chain's status: `waitingVerifying`, `renting`, `rentExpired` (or newer text).
    pub status: String,
    pub rent_end: u32,
    /// Block difference x 6 s, at the time of the read.
    pub seconds_left: u32,
    /// `waitingVerifying`: seconds left to confirm (0 once the window has passed).
    pub confirm_seconds_left: Option<u32>,
    pub gpu_num: u32,
    pub gpu_index: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct Rentals {
    pub chain: ChainInfo,
    /// Sorted by time left, soonest first.
    pub orders: Vec<RentalView>,
}

/// Where "find my rent order" found its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RentSource {
    Chain,
    Node,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct RentLookup {
    pub orders: Vec<dbc_api::models::RentOrder>,
    pub source: RentSource,
    /// The chain could not be asked (the machine's own list was used instead).
    pub chain_error: Option<crate::error::AppError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RentAlertKind {
    EndsSoon,
    Ended,
    Cancelled,
}

/// A rental warning (also shown as an OS notification): sent as the `rent-alert` event.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RentAlert {
    /// Counts up from 1 in each run (to tell an alert from the same one seen twice).
    pub seq: u32,
    pub rent_order: String,
    pub machine_id: String,
    pub machine_label: Option<String>,
    pub kind: RentAlertKind,
    pub seconds_left: Option<u32>,
    pub title: String,
    pub body: String,
}

/// A machine's ports in use (SSH, RDP and VNC of every VM, plus the custom forwards DBC Desk
/// remembers sending), free ones to suggest, and the remembered forwards per VM.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PortPlanView {
    pub plan: dbc_api::ports::PortPlan,
    pub suggested: dbc_api::ports::Suggested,
    pub remembered: std::collections::BTreeMap<String, Vec<String>>,
    /// The public IP DBC Desk last sent to each VM (the node does not report it).
    pub public_ips: std::collections::BTreeMap<String, String>,
}

/// Which way an image moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Transfer {
    /// From an image server to the machine's /data.
    Download,
    /// From the machine's /data to an image server.
    Upload,
    /// From the client node's own /data to an image server (no machine involved; the client
    /// node answers when it is done, so there is no progress to follow).
    UploadFromClient,
}
