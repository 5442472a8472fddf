//! The app's side of `dbc-secrets`: the same vault (OS keychain, or the passphrase-encrypted file
//! the user opted in to), answering in the app's types — [`VaultStatus`] for the web view and
//! [`AppError`] in plain words. Secrets never reach the store file, logs, IPC replies or the web
//! view.

use std::path::PathBuf;

use dbc_api::keys::Secret;
pub use dbc_secrets::{probe, write_atomic, Keychain, OsKeychain, SERVICE};

use crate::error::{AppError, AppResult};
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

const LOCKED_HINT: &str = "Unlock it with its passphrase first.";

/// Each vault refusal in the app's words (a `vault` error, or a field error on the passphrase).
impl From<dbc_secrets::Error> for AppError {
    fn from(e: dbc_secrets::Error) -> Self {
        use dbc_secrets::Error as E;
        match e {
            E::Unavailable(reason) => AppError::vault(
                format!("No place to keep wallet keys safely: {reason}."),
                Some("Unlock your system keychain, or choose to keep keys in a passphrase-protected file."),
            ),
            E::KeychainWorks => AppError::vault(
                "the system keychain works; the encrypted file is not needed",
                None,
            ),
            E::FileInUse => AppError::vault(
                "the encrypted file is already in use",
                Some("Unlock it with its passphrase."),
            ),
            E::PassphraseTooShort => AppError::field(
                "passphrase",
                "length",
                &format!("use at least {} characters", dbc_secrets::MIN_PASSPHRASE),
            ),
            E::NoFile => AppError::vault("there is no encrypted wallet file to unlock", None),
            E::Locked => AppError::vault("The wallet file is locked.", Some(LOCKED_HINT)),
            E::WrongPassphrase => AppError::field("passphrase", "password", "wrong passphrase"),
            E::NotAVault => {
                AppError::vault("the wallet file is damaged or not a DBC Desk vault", None)
            }
            E::Damaged => AppError::vault("the wallet file is damaged", None),
            E::Read(io) => AppError::vault(format!("cannot read the wallet file: {io}"), None),
            E::Write(io) => AppError::vault(format!("cannot write the wallet file: {io}"), None),
            E::KeychainStore(r) => AppError::vault(
                format!("The system keychain refused to store the key: {r}."),
                None,
            ),
            E::KeychainRead(r) => AppError::vault(
                format!("The system keychain did not return the key: {r}."),
                None,
            ),
            E::KeychainDelete(r) => AppError::vault(
                format!("The system keychain refused to delete the key: {r}."),
                None,
            ),
            E::Missing(_) => AppError::vault(
                "This key is missing from the keychain.",
                Some("Remove the wallet or machine and add it again."),
            ),
            E::UnsafeParams { .. } => AppError::vault(
                "The wallet file asks for an unsafe amount of work to unlock, so it was not opened.",
                Some("It may have been tampered with. Restore it from a backup, or remove it and import your wallets again."),
            ),
            E::ChangedElsewhere => AppError::vault(
                "The wallet file was changed by another program (another DBC Desk or dbc).",
                Some("Unlock it again to see its current contents."),
            ),
            E::Crypto(m) => AppError::internal(m),
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
            ("validation", "passphrase", "length")
        );
        v.use_file(&Secret::new("correct horse battery")).unwrap();
        v.put("wallet:a", &Secret::new("s")).unwrap();
        let e = v.get("wallet:b").unwrap_err();
        assert_eq!(e.message, "This key is missing from the keychain.");

        let v = Vault::open(dir.path().join("vault.json"), Box::new(Broken));
        let s = v.status();
        assert_eq!((s.backend, s.locked), (VaultBackend::File, true));
        let e = v.get("wallet:a").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some(LOCKED_HINT));
        let e = v.unlock(&Secret::new("wrong passphrase")).unwrap_err();
        assert_eq!(
            (e.fields[0].field.as_str(), e.fields[0].rule),
            ("passphrase", "password")
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
