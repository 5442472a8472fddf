//! The OS keychain behind a small trait (tests substitute an in-memory one).

use zeroize::Zeroizing;

use crate::SERVICE;

const PROBE: &str = "__dbc_desk_probe__";

/// Where secrets are kept. Errors are plain words, ready to show.
pub trait Keychain: Send + Sync {
    fn set(&self, name: &str, secret: &str) -> Result<(), String>;
    /// `Ok(None)` when there is no entry of that name.
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, name: &str) -> Result<(), String>;
}

/// The platform keychain through `keyring` (macOS Keychain, Windows Credential Manager,
/// Secret Service on Linux), under the service name [`SERVICE`].
pub struct OsKeychain;

fn plain_keyring_error(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoStorageAccess(_) => {
            "the system keychain is locked or no keychain service is running".into()
        }
        keyring::Error::PlatformFailure(_) => {
            "the system keychain service could not be reached (on Linux: is a Secret Service such as GNOME Keyring running?)".into()
        }
        other => format!("the system keychain failed: {other}"),
    }
}

impl Keychain for OsKeychain {
    fn set(&self, name: &str, secret: &str) -> Result<(), String> {
        keyring::Entry::new(SERVICE, name)
            .and_then(|e| e.set_password(secret))
            .map_err(|e| plain_keyring_error(&e))
    }
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String> {
        match keyring::Entry::new(SERVICE, name).and_then(|e| e.get_password()) {
            Ok(s) => Ok(Some(Zeroizing::new(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(plain_keyring_error(&e)),
        }
    }
    fn delete(&self, name: &str) -> Result<(), String> {
        match keyring::Entry::new(SERVICE, name).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(plain_keyring_error(&e)),
        }
    }
}

/// Check that a keychain really stores and returns a value.
pub fn probe(k: &dyn Keychain) -> Result<(), String> {
    k.set(PROBE, "probe")?;
    let back = k.get(PROBE)?;
    let _ = k.delete(PROBE);
    match back.as_deref().map(|s| s.as_str()) {
        Some("probe") => Ok(()),
        _ => Err("the system keychain did not keep a test value".into()),
    }
}

/// A keychain in memory, shared by clones (tests, benchmarks, and the place to start when a
/// platform has no keychain and the user has not chosen the file yet). Nothing outlives the
/// process.
#[derive(Default, Clone)]
pub struct MemoryKeychain(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Zeroizing<String>>>>,
);

impl MemoryKeychain {
    /// How many entries it holds (probe entries are removed by `probe`).
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Keychain for MemoryKeychain {
    fn set(&self, name: &str, secret: &str) -> Result<(), String> {
        self.0
            .lock()
            .unwrap()
            .insert(name.into(), Zeroizing::new(secret.into()));
        Ok(())
    }
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String> {
        Ok(self.0.lock().unwrap().get(name).cloned())
    }
    fn delete(&self, name: &str) -> Result<(), String> {
        self.0.lock().unwrap().remove(name);
        Ok(())
    }
}
