//! Wallets: importing a key (checked and decoded here, stored in the vault under
//! `wallet:<address>`), and the signing keys of this run, read from the vault once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dbc_api::keys::{Secret, Wallet};
use dbc_api::validate::{Checker, ValidationErrors};
use dbc_secrets::wallet_entry;

use dbc_api::text::{params, Params};

use crate::error::{AppCode, AppError, AppKey, AppResult, AppRule};
use crate::models::{ImportKind, WalletImport, WalletInfo};
use crate::settings::SettingsStore;
use crate::vault::Vault;

/// Wallet id of the public demo wallet (in memory only, never stored).
pub const DEMO_WALLET_ID: &str = "demo";

/// The import form's own rules (no key is decoded yet).
pub fn check_import(input: &WalletImport) -> Result<String, ValidationErrors> {
    let name = input.name.trim().to_string();
    let mut c = Checker::new();
    if c.required("name", &name) {
        c.free_text("name", &name, 64);
    }
    if input.secret.expose().trim().is_empty() {
        c.fail("secret", AppRule::SecretRequired);
    }
    if input.kind == ImportKind::Keystore && input.password.expose().is_empty() {
        c.fail("password", AppRule::KeystorePasswordRequired);
    }
    c.finish(name)
}

/// Decode the key the form holds.
pub fn decode(input: WalletImport) -> AppResult<Wallet> {
    let WalletImport {
        kind,
        secret,
        password,
        derivation,
        ..
    } = input;
    Ok(match kind {
        ImportKind::Seed => {
            let t = secret.expose().trim();
            if t.split_whitespace().count() > 1 {
                return Err(AppError::field(
                    "secret",
                    AppRule::MnemonicTab,
                    Params::new(),
                ));
            }
            Wallet::from_hex_seed(t)?
        }
        ImportKind::Mnemonic => {
            let d = derivation.trim();
            if !d.is_empty() && !d.starts_with('/') {
                return Err(AppError::field(
                    "derivation",
                    AppRule::DerivationFormat,
                    Params::new(),
                ));
            }
            let uri = Secret::new(format!("{}{d}", secret.expose().trim()));
            let pw = (!password.expose().is_empty()).then_some(password.expose());
            Wallet::from_secret_uri(uri.expose(), pw)?
        }
        ImportKind::Keystore => dbc_api::keystore::import_polkadot_js(secret.expose(), &password)?,
    })
}

/// Signing keys of this run (read from the vault once per wallet).
#[derive(Default)]
pub struct Wallets {
    keys: Mutex<HashMap<String, Arc<Wallet>>>,
}

impl Wallets {
    /// Import a wallet: check, decode, keep the key in the vault, then list it in the settings
    /// (the key is taken out of the vault again when saving the settings fails).
    pub fn add(
        &self,
        settings: &SettingsStore,
        vault: &Vault,
        input: WalletImport,
    ) -> AppResult<WalletInfo> {
        let name = check_import(&input)?;
        let wallet = decode(input)?;
        let info = WalletInfo {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            address: wallet.address().to_string(),
        };
        if settings
            .get()
            .wallets
            .iter()
            .any(|w| w.address == info.address)
        {
            return Err(AppError::field("secret", AppRule::Duplicate, Params::new()));
        }
        let entry = wallet_entry(&info.address);
        vault.put(&entry, &wallet.export_raw_secret())?;
        let saved = settings.update(|s| {
            s.wallets.push(info.clone());
            Ok(())
        });
        if let Err(e) = saved {
            let _ = vault.delete(&entry);
            return Err(e);
        }
        self.keys
            .lock()
            .unwrap()
            .insert(info.id.clone(), Arc::new(wallet));
        Ok(info)
    }

    pub fn remove(&self, settings: &SettingsStore, vault: &Vault, id: &str) -> AppResult<()> {
        let s = settings.get();
        if let Some(m) = s.machines.iter().find(|m| m.auth.uses_wallet(id)) {
            return Err(AppError::new(
                AppCode::Conflict,
                AppKey::WalletInUse,
                params([("machine", m.label.clone())]),
            ));
        }
        let removed = settings.update(|s| {
            let pos = s
                .wallets
                .iter()
                .position(|w| w.id == id)
                .ok_or_else(|| AppError::missing(AppKey::WalletNotFound))?;
            Ok(s.wallets.remove(pos))
        })?;
        self.keys.lock().unwrap().remove(id);
        vault.delete(&wallet_entry(&removed.address))
    }

    /// The signing key of a stored wallet (from the vault the first time).
    /// Drop every decoded key from memory (the vault was locked).
    pub fn forget_keys(&self) {
        self.keys.lock().unwrap().clear();
    }

    pub fn key(&self, settings: &SettingsStore, vault: &Vault, id: &str) -> AppResult<Arc<Wallet>> {
        if let Some(w) = self.keys.lock().unwrap().get(id) {
            return Ok(w.clone());
        }
        let Some(info) = settings.get().wallets.into_iter().find(|w| w.id == id) else {
            return Err(AppError::missing(AppKey::WalletMissing));
        };
        let secret = vault.get(&wallet_entry(&info.address))?;
        let w = Arc::new(Wallet::from_raw_secret(&secret)?);
        if w.address() != info.address {
            return Err(AppError::vault(AppKey::WalletKeyMismatch, Params::new()));
        }
        self.keys.lock().unwrap().insert(id.into(), w.clone());
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(kind: ImportKind, name: &str, secret: &str, password: &str) -> WalletImport {
        serde_json::from_value(serde_json::json!({
            "name": name, "kind": kind, "secret": secret, "derivation": "", "password": password
        }))
        .unwrap()
    }

    #[test]
    fn the_form_reports_every_missing_field_at_once() {
        let e = check_import(&import(ImportKind::Keystore, "  ", " ", "")).unwrap_err();
        assert!(e.has("name") && e.has("secret") && e.has("password"), "{e}");
        assert_eq!(
            check_import(&import(ImportKind::Seed, " mine ", "00", "")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_phrase_on_the_seed_tab_is_pointed_to_the_mnemonic_tab() {
        let e = decode(import(ImportKind::Seed, "x", "word word word", "")).unwrap_err();
        assert_eq!(e.fields[0].field, "secret");
        assert!(e.fields[0].message.contains("mnemonic"));
        let w = decode(import(ImportKind::Seed, "x", dbc_sim::DEMO_SEED_HEX, "")).unwrap();
        assert!(w.address().starts_with('5'));
    }
}
