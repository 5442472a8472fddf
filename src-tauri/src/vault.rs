//! The app's side of `dbc-secrets`: the same vault (OS keychain, or the passphrase-encrypted file
//! the user opted in to), answering in the app's types — [`VaultStatus`] for the web view and
//! [`AppError`] in plain words. Secrets never reach the store file, logs, IPC replies or the web
//! view.

use std::path::PathBuf;

use dbc_api::keys::Secret;
pub use dbc_secrets::{probe, write_atomic, Keychain, OsKeychain, SERVICE};

use dbc_api::text::{params, Params};

use crate::error::{AppError, AppKey, AppResult, AppRule};
use crate::models::{VaultBackend, VaultStatus};

/// [`dbc_secrets::Vault`] with app errors and status.
pub struct Vault(dbc_secrets::Vault);

impl Vault {
    /// Pick the backend: an existing encrypted file wins (the user chose it), else the keychain if
    /// it works, else "unavailable" with the reason.
    pub fn open(file: PathBuf, keychain: Box<dyn Keychain>) -> Vault {
        Vault(dbc_secrets::Vault::open(file, keychain))
    }

    pub fn status(&self) -> VaultStatus {
        self.0.status().into()
    }

    /// Opt in to the encrypted file (only when no keychain is usable).
    pub fn use_file(&self, passphrase: &Secret) -> AppResult<VaultStatus> {
        Ok(self.0.use_file(passphrase)?.into())
    }

    /// Unlock the encrypted file for this run.
    pub fn unlock(&self, passphrase: &Secret) -> AppResult<VaultStatus> {
        Ok(self.0.unlock(passphrase)?.into())
    }

    /// Forget the file's key until the next unlock; true when something was unlocked.
    pub fn lock(&self) -> bool {
        self.0.lock()
    }

    pub fn put(&self, name: &str, secret: &Secret) -> AppResult<()> {
        Ok(self.0.put(name, secret)?)
    }

    pub fn get(&self, name: &str) -> AppResult<Secret> {
        Ok(self.0.get(name)?)
    }

    pub fn delete(&self, name: &str) -> AppResult<()> {
        Ok(self.0.delete(name)?)
    }
}

impl From<dbc_secrets::Status> for VaultStatus {
    fn from(s: dbc_secrets::Status) -> Self {
        VaultStatus {
            backend: match s.backend {
                dbc_secrets::Backend::Keychain => VaultBackend::Keychain,
                dbc_secrets::Backend::File => VaultBackend::File,
                dbc_secrets::Backend::Unavailable => VaultBackend::Unavailable,
            },
            locked: s.locked,
            reason: s.reason,
        }
    }
}

/// Each vault refusal in the app's words (a `vault` error, or a field error on the passphrase).
impl From<dbc_secrets::Error> for AppError {
    fn from(e: dbc_secrets::Error) -> Self {
        use dbc_secrets::Error as E;
        use AppKey as K;
        match e {
            E::Unavailable(reason) => {
                AppError::vault(K::VaultUnavailable, params([("reason", reason)]))
            }
            E::KeychainWorks => AppError::vault(K::VaultKeychainWorks, Params::new()),
            E::FileInUse => AppError::vault(K::VaultFileInUse, Params::new()),
            E::PassphraseTooShort => AppError::field(
                "passphrase",
                AppRule::PassphraseLength,
                params([("min", dbc_secrets::MIN_PASSPHRASE.to_string())]),
            ),
            E::NoFile => AppError::vault(K::VaultNoFile, Params::new()),
            E::Locked => AppError::vault(K::VaultLocked, Params::new()),
            E::WrongPassphrase => {
                AppError::field("passphrase", AppRule::PassphraseWrong, Params::new())
            }
            E::NotAVault => AppError::vault(K::VaultNotAVault, Params::new()),
            E::Damaged => AppError::vault(K::VaultDamaged, Params::new()),
            E::Read(io) => AppError::vault(K::VaultRead, params([("detail", io.to_string())])),
            E::Write(io) => AppError::vault(K::VaultWrite, params([("detail", io.to_string())])),
            E::KeychainStore(r) => AppError::vault(K::KeychainStore, params([("detail", r)])),
            E::KeychainRead(r) => AppError::vault(K::KeychainRead, params([("detail", r)])),
            E::KeychainDelete(r) => AppError::vault(K::KeychainDelete, params([("detail", r)])),
            E::Missing(_) => AppError::vault(K::KeychainMissing, Params::new()),
            E::UnsafeParams { .. } => AppError::vault(K::VaultUnsafe, Params::new()),
            E::ChangedElsewhere => AppError::vault(K::VaultChangedElsewhere, Params::new()),
            E::Crypto(m) => AppError::internal(K::Internal, m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zeroize::Zeroizing;

    /// A keychain that always fails, like a locked Secret Service.
    struct Broken;
    impl Keychain for Broken {
        fn set(&self, _: &str, _: &str) -> Result<(), String> {
            Err("the system keychain is locked or no keychain service is running".into())
        }
        fn get(&self, _: &str) -> Result<Option<Zeroizing<String>>, String> {
            Err("locked".into())
        }
        fn delete(&self, _: &str) -> Result<(), String> {
            Err("locked".into())
        }
    }

    /// The app's words for each refusal are what they were before the vault moved to its crate.
    #[test]
    fn vault_refusals_in_the_apps_words() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path().join("vault.json"), Box::new(Broken));
        assert_eq!(v.status().backend, VaultBackend::Unavailable);
        let e = v.put("wallet:x", &Secret::new("s")).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.title.as_str()),
            ("vault", "Wallet storage problem")
        );
        assert!(e
            .message
            .starts_with("No place to keep wallet keys safely: "));
        assert!(e.hint.unwrap().contains("passphrase-protected file"));

        let e = v.use_file(&Secret::new("short")).unwrap_err();
        assert_eq!(
            (
                e.code.as_str(),
                e.fields[0].field.as_str(),
                e.fields[0].rule
            ),
            ("validation", "passphrase", "passphrase_length")
        );
        v.use_file(&Secret::new("correct horse battery")).unwrap();
        v.put("wallet:a", &Secret::new("s")).unwrap();
        let e = v.get("wallet:b").unwrap_err();
        assert_eq!(e.message, "This key is missing from the keychain.");

        let v = Vault::open(dir.path().join("vault.json"), Box::new(Broken));
        let s = v.status();
        assert_eq!((s.backend, s.locked), (VaultBackend::File, true));
        let e = v.get("wallet:a").unwrap_err();
        assert_eq!(e.hint.as_deref(), AppKey::VaultLocked.english().hint);
        let e = v.unlock(&Secret::new("wrong passphrase")).unwrap_err();
        assert_eq!(
            (e.fields[0].field.as_str(), e.fields[0].rule),
            ("passphrase", "passphrase_wrong")
        );
        v.unlock(&Secret::new("correct horse battery")).unwrap();
        assert_eq!(v.get("wallet:a").unwrap().expose(), "s");

        std::fs::write(dir.path().join("bad.json"), b"{ not json").unwrap();
        let v = Vault::open(dir.path().join("bad.json"), Box::new(Broken));
        let e = v.unlock(&Secret::new("whatever123")).unwrap_err();
        assert_eq!(e.code.as_str(), "vault");
        assert!(e.message.contains("damaged"));
    }

    /// The CLI finds the app's passphrase file by the identifier `dbc-secrets` knows.
    #[test]
    fn identifier_matches_tauri_conf() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"], dbc_secrets::APP_IDENTIFIER);
        assert!(
            conf["app"].get("appDirectoriesOverride").is_none(),
            "dbc_secrets::app_data_dir assumes Tauri's default app_data_dir"
        );
    }
}
