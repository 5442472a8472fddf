//! The error every command returns: a typed code the UI branches on, plain words, and the node's
//! own reply kept verbatim.

use std::collections::BTreeMap;

use dbc_api::error::NodeReply;
use dbc_api::text::{params, render, Params};
use dbc_api::validate::{FieldError, FieldRule, ValidationErrors};
use serde::Serialize;
use specta::Type;

/// Failures that belong to the app rather than to a DBC call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AppCode {
    /// The keychain or the passphrase file.
    Vault,
    /// The settings file could not be written.
    Settings,
    /// A wallet or machine the request names is not (or no longer) configured.
    Missing,
    /// The request conflicts with the app's own state (e.g. a wallet still in use).
    Conflict,
    /// The DBC chain could not be read (rent orders, blocks); the rest of the app still works.
    Chain,
    /// A bug or an environment problem.
    Internal,
}

/// What kind of failure: one from the wire layer, or one of the app's own. Serialized as the
/// bare code string, so TypeScript sees one union of string literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(untagged)]
pub enum ErrorCode {
    Node(dbc_api::error::ErrorCode),
    App(AppCode),
}

impl AppCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AppCode::Vault => "vault",
            AppCode::Settings => "settings",
            AppCode::Missing => "missing",
            AppCode::Conflict => "conflict",
            AppCode::Chain => "chain",
            AppCode::Internal => "internal",
        }
    }
}

impl ErrorCode {
    /// The code as the web view sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Node(c) => c.as_str(),
            ErrorCode::App(c) => c.as_str(),
        }
    }
}

impl From<AppCode> for ErrorCode {
    fn from(c: AppCode) -> Self {
        ErrorCode::App(c)
    }
}

impl From<dbc_api::error::ErrorCode> for ErrorCode {
    fn from(c: dbc_api::error::ErrorCode) -> Self {
        ErrorCode::Node(c)
    }
}

dbc_api::message_keys! {
    /// The app's own error keys (`errors.<key>.title|message|hint` in the UI's catalogs).
    #[derive(Type)]
    pub enum AppKey {
        VaultUnavailable = "vault_unavailable" {
            title: "Wallet storage problem",
            message: "No place to keep wallet keys safely: {reason}.",
            hint: "Unlock your system keychain, or choose to keep keys in a passphrase-protected file.",
        }
        VaultKeychainWorks = "vault_keychain_works" {
            title: "Wallet storage problem",
            message: "the system keychain works; the encrypted file is not needed",
        }
        VaultFileInUse = "vault_file_in_use" {
            title: "Wallet storage problem",
            message: "the encrypted file is already in use",
            hint: "Unlock it with its passphrase.",
        }
        VaultNoFile = "vault_no_file" {
            title: "Wallet storage problem",
            message: "there is no encrypted wallet file to unlock",
        }
        VaultLocked = "vault_locked" {
            title: "Wallet storage problem",
            message: "The wallet file is locked.",
            hint: "Unlock it with its passphrase first.",
        }
        VaultNotAVault = "vault_not_a_vault" {
            title: "Wallet storage problem",
            message: "the wallet file is damaged or not a DBC Desk vault",
        }
        VaultDamaged = "vault_damaged" {
            title: "Wallet storage problem",
            message: "the wallet file is damaged",
        }
        VaultRead = "vault_read" {
            title: "Wallet storage problem",
            message: "cannot read the wallet file: {detail}",
        }
        VaultWrite = "vault_write" {
            title: "Wallet storage problem",
            message: "cannot write the wallet file: {detail}",
        }
        KeychainStore = "keychain_store" {
            title: "Wallet storage problem",
            message: "The system keychain refused to store the key: {detail}.",
        }
        KeychainRead = "keychain_read" {
            title: "Wallet storage problem",
            message: "The system keychain did not return the key: {detail}.",
        }
        KeychainDelete = "keychain_delete" {
            title: "Wallet storage problem",
            message: "The system keychain refused to delete the key: {detail}.",
        }
        KeychainMissing = "keychain_missing" {
            title: "Wallet storage problem",
            message: "This key is missing from the keychain.",
            hint: "Remove the wallet or machine and add it again.",
        }
        VaultUnsafe = "vault_unsafe" {
            title: "Wallet storage problem",
            message: "The wallet file asks for an unsafe amount of work to unlock, so it was not opened.",
            hint: "It may have been tampered with. Restore it from a backup, or remove it and import your wallets again.",
        }
        VaultChangedElsewhere = "vault_changed_elsewhere" {
            title: "Wallet storage problem",
            message: "The wallet file was changed by another program (another DBC Desk or dbc).",
            hint: "Unlock it again to see its current contents.",
        }
        WalletKeyMismatch = "wallet_key_mismatch" {
            title: "Wallet storage problem",
            message: "The keychain holds a different key for this wallet.",
            hint: "Remove the wallet and import it again.",
        }
        SettingsSave = "settings_save" {
            title: "Settings could not be saved",
            message: "{detail}",
        }
        Internal = "internal" {
            title: "Something went wrong",
            message: "{detail}",
        }
        NoClient = "no_client" {
            title: "Something went wrong",
            message: "no DBC client is configured",
        }
        DemoStart = "demo_start" {
            title: "Something went wrong",
            message: "the demo network could not start: {detail}",
        }
        BrowserOpen = "browser_open" {
            title: "Something went wrong",
            message: "the browser could not be opened: {detail}",
        }
        WalletInUse = "wallet_in_use" {
            title: "Wallet in use",
            message: "The machine \"{machine}\" signs with this wallet.",
            hint: "Remove that machine first.",
        }
        WalletNotFound = "wallet_not_found" {
            title: "Not found",
            message: "There is no such wallet.",
        }
        WalletMissing = "wallet_missing" {
            title: "Wallet missing",
            message: "The wallet this machine uses was removed.",
            hint: "Edit the machine and pick another wallet.",
        }
        MachineNotFoundEdit = "machine_not_found_edit" {
            title: "Not found",
            message: "There is no such machine (demo machines cannot be edited).",
        }
        MachineNotFoundRemove = "machine_not_found_remove" {
            title: "Not found",
            message: "There is no such machine (demo machines cannot be removed).",
        }
        MachineNotConfigured = "machine_not_configured" {
            title: "Not found",
            message: "This machine is no longer configured.",
        }
        ShareRenterOnly = "share_renter_only" {
            title: "Only the renter can share",
            message: "This machine uses a session shared with you; only the renter's wallet can share access.",
        }
        ActivityGone = "activity_gone" {
            title: "Not found",
            message: "This activity is no longer listed.",
        }
        NothingToFollow = "nothing_to_follow" {
            title: "Nothing to follow",
            message: "The client node uploads its own files in one go and answers when done; there is no progress to ask for or stop.",
        }
        ChainBadEndpoint = "chain_bad_endpoint" {
            title: "The DBC chain could not be read",
            message: "{detail}",
            hint: "Check the chain address in Settings (ws://, wss://, http:// or https://).",
        }
        ChainUnreachable = "chain_unreachable" {
            title: "The DBC chain could not be read",
            message: "{detail}",
            hint: "The chain may be down or unreachable from here. Rent orders can still be typed by hand.",
        }
        ChainRpc = "chain_rpc" {
            title: "The DBC chain could not be read",
            message: "{detail}",
            hint: "The chain address may not be a DBC chain node. Rent orders can still be typed by hand.",
        }
        OpenUnsafe = "open_unsafe" {
            title: "Not opened: unsafe connection values",
            message: "The machine's connection values failed DBC Desk's safety checks, so nothing was started. They are shown as data in the VM's details.",
        }
        OpenNotOffered = "open_not_offered" {
            title: "Not offered by this VM",
            message: "This VM has no port for that kind of connection.",
        }
        OpenNoProgram = "open_no_program" {
            title: "No program to open it",
            message: "The system has no program for {target} ({detail}).",
            hint: "Install an RDP or VNC client, or copy the address.",
        }
        OpenNoTerminal = "open_no_terminal" {
            title: "No terminal found",
            message: "DBC Desk found no terminal program to run {command}.",
            hint: "Copy the command into your terminal, or set the TERMINAL environment variable.",
        }
        OpenFailed = "open_failed" {
            title: "Something went wrong",
            message: "It could not be started: {detail}",
        }
    }
}

dbc_api::field_rules! {
    /// The app's own field rules (`fieldRules.<id>` in the UI's catalogs).
    pub enum AppRule {
        SecretRequired = "secret_required" => "paste the secret here",
        KeystorePasswordRequired = "keystore_password_required" => "the keystore's password is required",
        MnemonicTab = "mnemonic_tab" => "this looks like a phrase: choose the mnemonic tab",
        DerivationFormat = "derivation_format" => "a derivation path starts with / or //, e.g. //hard/soft",
        Duplicate = "duplicate" => "this wallet is already in DBC Desk",
        PollFastRange = "poll_fast_range" => "between 500 ms and 60 s",
        PollSlowRange = "poll_slow_range" => "between 2 s and 10 minutes",
        PollOrder = "poll_order" => "at least the fast interval",
        AutoLockRange = "auto_lock_range" => "at most 24 hours (0 = never)",
        ChainUrl = "chain_url" => "{detail}",
        WarnCount = "warn_count" => "at most 6 warning times",
        WarnRange = "warn_range" => "each between 1 hour and 30 days",
        LanguageUnknown = "language_unknown" => "one of the offered languages",
        DemoWallet = "demo_wallet" => "the demo wallet only works on the demo network",
        WalletUnknown = "wallet_unknown" => "this wallet is not configured",
        PickWallets = "pick_wallets" => "pick your wallets from the list",
        PickWallet = "pick_wallet" => "pick one of your wallets",
        SessionSignFormat = "session_sign_format" => "the signature is 128 hex characters",
        AuthChoose = "auth_choose" => "choose a wallet, or paste a session someone shared with you",
        PassphraseLength = "passphrase_length" => "use at least {min} characters",
        PassphraseWrong = "passphrase_wrong" => "wrong passphrase",
    }
}

/// Every key an [`AppError`] can carry: one of a DBC call's, or one of the app's. Serialized as
/// the bare key, so TypeScript sees one union of string literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(untagged)]
pub enum ErrorKey {
    Call(dbc_api::error::ErrorKey),
    App(AppKey),
}

impl ErrorKey {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKey::Call(k) => k.as_str(),
            ErrorKey::App(k) => k.as_str(),
        }
    }

    pub fn english(self) -> dbc_api::text::KeyText {
        match self {
            ErrorKey::Call(k) => k.english(),
            ErrorKey::App(k) => k.english(),
        }
    }
}

/// Where [`all_keys`] is written, from the repository root.
pub const RUST_KEYS_PATH: &str = "ui/src/locales/rust-keys.json";

/// Every key Rust can send: error keys (with their English words) and field rule ids (with
/// their English templates). Written to `ui/src/locales/rust-keys.json` by a test, where the
/// UI's guard tests check that each has its words in every catalog.
pub fn all_keys() -> serde_json::Value {
    let errors: serde_json::Map<String, serde_json::Value> = dbc_api::error::ErrorKey::ALL
        .iter()
        .map(|k| ErrorKey::Call(*k))
        .chain(AppKey::ALL.iter().map(|k| ErrorKey::App(*k)))
        .map(|k| {
            let en = k.english();
            let mut v = serde_json::json!({ "title": en.title, "message": en.message });
            if let Some(h) = en.hint {
                v["hint"] = h.into();
            }
            (k.as_str().to_string(), v)
        })
        .collect();
    let rules: serde_json::Map<String, serde_json::Value> = dbc_api::validate::Rule::ALL
        .iter()
        .map(|r| (r.id().to_string(), r.english().into()))
        .chain(
            AppRule::ALL
                .iter()
                .map(|r| (r.id().to_string(), r.english().into())),
        )
        .collect();
    serde_json::json!({ "errors": errors, "fieldRules": rules })
}

#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[error("{title}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    /// What went wrong, as a key of the UI's catalogs (`errors.<key>.title|message|hint`).
    pub key: ErrorKey,
    /// The values the words name (the node's own text among them, verbatim).
    pub params: BTreeMap<String, String>,
    /// English words (logs; a UI that does not know the key).
    pub title: String,
    pub message: String,
    pub hint: Option<String>,
    /// What the node or its gateway answered, verbatim.
    pub reply: Option<NodeReply>,
    /// Field errors to show next to form fields.
    pub fields: Vec<FieldError>,
}

impl AppError {
    /// An app error: its code, its key, and the values the key's words name.
    pub fn new(code: AppCode, key: AppKey, params: Params) -> Self {
        let en = key.english();
        AppError {
            code: code.into(),
            key: ErrorKey::App(key),
            title: render(en.title, &params),
            message: render(en.message, &params),
            hint: en.hint.map(|h| render(h, &params)),
            params,
            reply: None,
            fields: Vec::new(),
        }
    }

    /// A wallet storage problem.
    pub fn vault(key: AppKey, params: Params) -> Self {
        AppError::new(AppCode::Vault, key, params)
    }

    pub fn settings(detail: impl Into<String>) -> Self {
        AppError::new(
            AppCode::Settings,
            AppKey::SettingsSave,
            params([("detail", detail.into())]),
        )
    }

    /// A bug or an environment problem, in the words of whatever failed.
    pub fn internal(key: AppKey, detail: impl Into<String>) -> Self {
        AppError::new(AppCode::Internal, key, params([("detail", detail.into())]))
    }

    /// A wallet or machine (or activity) the request names is not there.
    pub fn missing(key: AppKey) -> Self {
        AppError::new(AppCode::Missing, key, Params::new())
    }

    /// One field error, for app-level form checks.
    pub fn field(field: &str, rule: impl FieldRule, params: Params) -> Self {
        ValidationErrors {
            errors: vec![FieldError::new(field, rule, params)],
        }
        .into()
    }

    /// A failed call of operation `op`: a node refusal that names a field becomes that field's
    /// error too (the node's words kept).
    pub fn from_call(op: &str, e: dbc_api::Error) -> Self {
        let fields = e.refused_fields(op);
        let mut out = AppError::from(e);
        out.fields.extend(fields);
        out
    }
}

impl From<dbc_api::Error> for AppError {
    fn from(e: dbc_api::Error) -> Self {
        let ex = e.explain();
        AppError {
            code: e.code().into(),
            key: ErrorKey::Call(ex.key),
            params: ex.params,
            title: ex.title,
            message: ex.message,
            hint: ex.hint,
            reply: e.reply().cloned(),
            fields: match e {
                dbc_api::Error::Validation(v) => v.errors,
                _ => Vec::new(),
            },
        }
    }
}

impl From<dbc_chain::Error> for AppError {
    fn from(e: dbc_chain::Error) -> Self {
        use dbc_chain::ErrorCode as C;
        let key = match e.code() {
            C::BadEndpoint => AppKey::ChainBadEndpoint,
            C::Unreachable | C::Timeout => AppKey::ChainUnreachable,
            C::Rpc | C::Malformed => AppKey::ChainRpc,
        };
        AppError::new(AppCode::Chain, key, params([("detail", e.to_string())]))
    }
}

impl From<ValidationErrors> for AppError {
    fn from(v: ValidationErrors) -> Self {
        dbc_api::Error::Validation(v).into()
    }
}

impl From<dbc_api::keys::KeyError> for AppError {
    fn from(e: dbc_api::keys::KeyError) -> Self {
        use dbc_api::keys::KeyError as K;
        use dbc_api::validate::Rule;
        match e {
            K::WrongPassword => AppError::field("password", Rule::KeystorePassword, Params::new()),
            K::BadHexSeed => AppError::field("secret", Rule::HexSeed, Params::new()),
            K::BadSecretUri(d) => {
                AppError::field("secret", Rule::SecretUri, params([("detail", d)]))
            }
            K::BadKeystore(d) => {
                AppError::field("secret", Rule::KeystoreFormat, params([("detail", d)]))
            }
            K::UnsupportedKeyType(t) => {
                AppError::field("secret", Rule::KeyType, params([("type", t)]))
            }
            K::BadAddress(a) => AppError::field("secret", Rule::Address, params([("value", a)])),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use dbc_api::error::ErrorCode as Wire;

    #[test]
    fn codes_serialize_as_bare_strings() {
        let v = |c: ErrorCode| {
            let j = serde_json::to_value(c).unwrap();
            assert_eq!(j, c.as_str());
            j
        };
        assert_eq!(v(Wire::AmbiguousOutcome.into()), "ambiguous_outcome");
        assert_eq!(v(Wire::Validation.into()), "validation");
        assert_eq!(v(AppCode::Vault.into()), "vault");
        assert_eq!(v(AppCode::Missing.into()), "missing");
    }

    #[test]
    fn a_lan_refusal_naming_a_field_lands_on_that_field() {
        let reply = NodeReply {
            status: 200,
            errcode: -1,
            message: "network name already existed".into(),
        };
        let e = AppError::from_call("lan.create", dbc_api::Error::Rejected(reply));
        assert_eq!(e.code, ErrorCode::Node(Wire::Rejected));
        assert_eq!(e.fields.len(), 1);
        assert_eq!(e.fields[0].field, "network_name");
        assert_eq!(
            e.reply.map(|r| r.message).as_deref(),
            Some("network name already existed")
        );
    }

    /// Every key and rule id is unique, and no English template has an apostrophe before a
    /// placeholder (ICU would read `'{` as quoted text).
    #[test]
    fn keys_are_unique_and_icu_safe() {
        let keys = all_keys();
        let n_errors = dbc_api::error::ErrorKey::ALL.len() + AppKey::ALL.len();
        let n_rules = dbc_api::validate::Rule::ALL.len() + AppRule::ALL.len();
        assert_eq!(keys["errors"].as_object().unwrap().len(), n_errors);
        assert_eq!(keys["fieldRules"].as_object().unwrap().len(), n_rules);
        let text = keys.to_string();
        assert!(!text.contains("'{"), "an apostrophe before a placeholder");
    }

    /// `ui/src/locales/rust-keys.json` lists every key Rust can send (the UI's guard tests read
    /// it). A stale file is rewritten and the test fails once: commit the new file.
    #[test]
    fn export_rust_keys() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(RUST_KEYS_PATH);
        let text = serde_json::to_string_pretty(&all_keys()).unwrap() + "\n";
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old != text {
            std::fs::write(&path, &text).unwrap();
        }
        assert!(
            old == text,
            "{RUST_KEYS_PATH} was stale: it has been rewritten, commit it"
        );
    }

    #[test]
    fn explanations_carry_key_and_node_text() {
        let reply = NodeReply {
            status: 200,
            errcode: 1,
            message: "allocate gpu failed".into(),
        };
        let e = AppError::from(dbc_api::Error::Rejected(reply));
        assert_eq!(e.key.as_str(), "rejected");
        assert_eq!(e.params["node"], "allocate gpu failed");
        assert_eq!(e.message, "The machine says: allocate gpu failed.");
        let j = serde_json::to_value(&e).unwrap();
        assert_eq!(j["key"], "rejected");
        assert_eq!(j["params"]["node"], "allocate gpu failed");
        let e = AppError::missing(AppKey::WalletNotFound);
        assert_eq!(serde_json::to_value(&e).unwrap()["key"], "wallet_not_found");
        assert_eq!(e.title, "Not found");
    }
}
