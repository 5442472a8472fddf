//! Secrets vault: the OS keychain (`keyring`), or — only when the user opts in because no keychain
//! is usable — a file encrypted under a passphrase (Argon2id + XChaCha20-Poly1305), unlocked once
//! per run. Secrets never reach the store file, logs, IPC replies or the web view.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use dbc_api::keys::Secret;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{AppError, AppResult};
use crate::models::{VaultBackend, VaultStatus};

/// Keychain service name shared with the `dbc` CLI (`--keychain wallet:<id>`).
pub const SERVICE: &str = "dbc-desk";
const PROBE: &str = "__dbc_desk_probe__";
const FILE_FORMAT: &str = "dbc-desk-vault";
const MIN_PASSPHRASE: usize = 8;

/// Where secrets are kept.
pub trait Keychain: Send + Sync {
    fn set(&self, name: &str, secret: &str) -> Result<(), String>;
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String>;
    fn delete(&self, name: &str) -> Result<(), String>;
}

/// The platform keychain through `keyring` (macOS Keychain, Windows Credential Manager,
/// Secret Service on Linux).
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

#[derive(Serialize, Deserialize)]
struct VaultFile {
    format: String,
    version: u32,
    kdf: String,
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    nonce: String,
    data: String,
}

struct Unlocked {
    key: Zeroizing<[u8; 32]>,
    salt: Vec<u8>,
    entries: BTreeMap<String, Zeroizing<String>>,
}

enum Backend {
    Keychain(Box<dyn Keychain>),
    File(Option<Unlocked>),
    Unavailable(String),
}

pub struct Vault {
    backend: Mutex<Backend>,
    file: PathBuf,
}

fn derive_key(
    passphrase: &str,
    salt: &[u8],
    m: u32,
    t: u32,
    p: u32,
) -> AppResult<Zeroizing<[u8; 32]>> {
    let params =
        argon2::Params::new(m, t, p, Some(32)).map_err(|e| AppError::internal(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut *key)
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(key)
}

/// Argon2id cost: 19 MiB, 2 passes (OWASP's baseline).
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;

/// Write through a temporary file and rename, so a crash never leaves a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

impl Vault {
    /// Pick the backend: an existing encrypted file wins (the user chose it), else the keychain if
    /// it works, else "unavailable" with the reason.
    pub fn open(file: PathBuf, keychain: Box<dyn Keychain>) -> Vault {
        let backend = if file.exists() {
            Backend::File(None)
        } else {
            match probe(keychain.as_ref()) {
                Ok(()) => Backend::Keychain(keychain),
                Err(reason) => Backend::Unavailable(reason),
            }
        };
        Vault {
            backend: Mutex::new(backend),
            file,
        }
    }

    pub fn status(&self) -> VaultStatus {
        match &*self.backend.lock().unwrap() {
            Backend::Keychain(_) => VaultStatus {
                backend: VaultBackend::Keychain,
                locked: false,
                reason: None,
            },
            Backend::File(u) => VaultStatus {
                backend: VaultBackend::File,
                locked: u.is_none(),
                reason: None,
            },
            Backend::Unavailable(r) => VaultStatus {
                backend: VaultBackend::Unavailable,
                locked: true,
                reason: Some(r.clone()),
            },
        }
    }

    /// Opt in to the encrypted file (only when no keychain is usable).
    pub fn use_file(&self, passphrase: &Secret) -> AppResult<VaultStatus> {
        {
            let mut b = self.backend.lock().unwrap();
            match &*b {
                Backend::Unavailable(_) => {}
                Backend::Keychain(_) => {
                    return Err(AppError::vault(
                        "the system keychain works; the encrypted file is not needed",
                        None,
                    ))
                }
                Backend::File(_) => {
                    return Err(AppError::vault(
                        "the encrypted file is already in use",
                        Some("Unlock it with its passphrase."),
                    ))
                }
            }
            if passphrase.expose().chars().count() < MIN_PASSPHRASE {
                return Err(AppError::field(
                    "passphrase",
                    "length",
                    "use at least 8 characters",
                ));
            }
            let mut salt = vec![0u8; 16];
            rand::thread_rng().fill_bytes(&mut salt);
            let key = derive_key(passphrase.expose(), &salt, M_COST, T_COST, 1)?;
            let u = Unlocked {
                key,
                salt,
                entries: BTreeMap::new(),
            };
            self.write_file(&u)?;
            *b = Backend::File(Some(u));
        }
        Ok(self.status())
    }

    /// Unlock the encrypted file for this run.
    pub fn unlock(&self, passphrase: &Secret) -> AppResult<VaultStatus> {
        {
            let mut b = self.backend.lock().unwrap();
            if !matches!(&*b, Backend::File(_)) {
                return Err(AppError::vault(
                    "there is no encrypted wallet file to unlock",
                    None,
                ));
            }
            let raw = std::fs::read(&self.file)
                .map_err(|e| AppError::vault(format!("cannot read the wallet file: {e}"), None))?;
            let vf: VaultFile = serde_json::from_slice(&raw)
                .ok()
                .filter(|v: &VaultFile| {
                    v.format == FILE_FORMAT && v.version == 1 && v.kdf == "argon2id"
                })
                .ok_or_else(|| {
                    AppError::vault("the wallet file is damaged or not a DBC Desk vault", None)
                })?;
            let dec = |s: &str| {
                B64.decode(s)
                    .map_err(|_| AppError::vault("the wallet file is damaged", None))
            };
            let salt = dec(&vf.salt)?;
            let nonce = dec(&vf.nonce)?;
            let data = dec(&vf.data)?;
            let nonce: [u8; 24] = nonce
                .try_into()
                .map_err(|_| AppError::vault("the wallet file is damaged", None))?;
            let key = derive_key(passphrase.expose(), &salt, vf.m_cost, vf.t_cost, vf.p_cost)?;
            let cipher = XChaCha20Poly1305::new((&*key).into());
            let plain = Zeroizing::new(
                cipher
                    .decrypt(&XNonce::from(nonce), data.as_slice())
                    .map_err(|_| AppError::field("passphrase", "password", "wrong passphrase"))?,
            );
            let entries: BTreeMap<String, String> = serde_json::from_slice(&plain)
                .map_err(|_| AppError::vault("the wallet file is damaged", None))?;
            let entries = entries
                .into_iter()
                .map(|(k, v)| (k, Zeroizing::new(v)))
                .collect();
            *b = Backend::File(Some(Unlocked { key, salt, entries }));
        }
        Ok(self.status())
    }

    fn write_file(&self, u: &Unlocked) -> AppResult<()> {
        let plain: BTreeMap<&str, &str> = u
            .entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let plain = Zeroizing::new(
            serde_json::to_vec(&plain).map_err(|e| AppError::internal(e.to_string()))?,
        );
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new((&*u.key).into());
        let data = cipher
            .encrypt(&XNonce::from(nonce), plain.as_slice())
            .map_err(|_| AppError::internal("encryption failed"))?;
        let vf = VaultFile {
            format: FILE_FORMAT.into(),
            version: 1,
            kdf: "argon2id".into(),
            m_cost: M_COST,
            t_cost: T_COST,
            p_cost: 1,
            salt: B64.encode(&u.salt),
            nonce: B64.encode(nonce),
            data: B64.encode(data),
        };
        let bytes =
            serde_json::to_vec_pretty(&vf).map_err(|e| AppError::internal(e.to_string()))?;
        write_atomic(&self.file, &bytes)
            .map_err(|e| AppError::vault(format!("cannot write the wallet file: {e}"), None))
    }

    fn unavailable(reason: &str) -> AppError {
        AppError::vault(
            format!("No place to keep wallet keys safely: {reason}."),
            Some("Unlock your system keychain, or choose to keep keys in a passphrase-protected file."),
        )
    }

    pub fn put(&self, name: &str, secret: &Secret) -> AppResult<()> {
        let mut b = self.backend.lock().unwrap();
        match &mut *b {
            Backend::Keychain(k) => k.set(name, secret.expose()).map_err(|r| {
                AppError::vault(
                    format!("The system keychain refused to store the key: {r}."),
                    None,
                )
            }),
            Backend::File(Some(u)) => {
                u.entries
                    .insert(name.into(), Zeroizing::new(secret.expose().to_string()));
                self.write_file(u)
            }
            Backend::File(None) => Err(AppError::vault(
                "The wallet file is locked.",
                Some("Unlock it with its passphrase first."),
            )),
            Backend::Unavailable(r) => Err(Self::unavailable(r)),
        }
    }

    pub fn get(&self, name: &str) -> AppResult<Secret> {
        let b = self.backend.lock().unwrap();
        let found = match &*b {
            Backend::Keychain(k) => k
                .get(name)
                .map_err(|r| {
                    AppError::vault(
                        format!("The system keychain did not return the key: {r}."),
                        None,
                    )
                })?
                .map(|s| Secret::new(s.as_str())),
            Backend::File(Some(u)) => u.entries.get(name).map(|s| Secret::new(s.as_str())),
            Backend::File(None) => {
                return Err(AppError::vault(
                    "The wallet file is locked.",
                    Some("Unlock it with its passphrase first."),
                ))
            }
            Backend::Unavailable(r) => return Err(Self::unavailable(r)),
        };
        found.ok_or_else(|| {
            AppError::vault(
                "This key is missing from the keychain.",
                Some("Remove the wallet or machine and add it again."),
            )
        })
    }

    pub fn delete(&self, name: &str) -> AppResult<()> {
        let mut b = self.backend.lock().unwrap();
        match &mut *b {
            Backend::Keychain(k) => k.delete(name).map_err(|r| {
                AppError::vault(
                    format!("The system keychain refused to delete the key: {r}."),
                    None,
                )
            }),
            Backend::File(Some(u)) => {
                u.entries.remove(name);
                self.write_file(u)
            }
            Backend::File(None) => Err(AppError::vault(
                "The wallet file is locked.",
                Some("Unlock it with its passphrase first."),
            )),
            Backend::Unavailable(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn unavailable_keychain_explains_and_refuses_until_opt_in() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path().join("vault.json"), Box::new(Broken));
        let s = v.status();
        assert_eq!(s.backend, VaultBackend::Unavailable);
        assert!(s.reason.unwrap().contains("locked"));
        let e = v.put("wallet:x", &Secret::new("s")).unwrap_err();
        assert_eq!(e.code, "vault");
        assert!(e.hint.unwrap().contains("passphrase-protected file"));
        assert!(!dir.path().join("vault.json").exists());
    }

    #[test]
    fn encrypted_file_round_trip_wrong_passphrase_and_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let secret = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
        {
            let v = Vault::open(path.clone(), Box::new(Broken));
            assert_eq!(
                v.use_file(&Secret::new("short")).unwrap_err().fields[0].field,
                "passphrase"
            );
            let s = v.use_file(&Secret::new("correct horse battery")).unwrap();
            assert_eq!((s.backend, s.locked), (VaultBackend::File, false));
            v.put("wallet:a", &Secret::new(secret)).unwrap();
            v.put("wallet:b", &Secret::new("other")).unwrap();
            v.delete("wallet:b").unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(!on_disk.contains(secret) && !on_disk.contains("b0afb3"));
        // A new run: the file is found and locked.
        let v = Vault::open(path.clone(), Box::new(Broken));
        assert!(v.status().locked);
        assert_eq!(v.get("wallet:a").unwrap_err().code, "vault");
        let e = v.unlock(&Secret::new("wrong passphrase")).unwrap_err();
        assert_eq!(e.fields[0].rule, "password");
        v.unlock(&Secret::new("correct horse battery")).unwrap();
        assert_eq!(v.get("wallet:a").unwrap().expose(), secret);
        assert_eq!(v.get("wallet:b").unwrap_err().code, "vault");
    }

    #[test]
    fn damaged_file_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        std::fs::write(&path, b"{ not json").unwrap();
        let v = Vault::open(path, Box::new(Broken));
        let e = v.unlock(&Secret::new("whatever123")).unwrap_err();
        assert!(e.message.contains("damaged"));
    }

    /// The real OS keychain. In CI this runs inside a private D-Bus session with an unlocked
    /// gnome-keyring (scripts/dev.sh); DBC_DESK_REQUIRE_KEYCHAIN=1 makes its absence a failure.
    #[test]
    fn os_keychain_round_trip() {
        let required = std::env::var("DBC_DESK_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1");
        if let Err(reason) = probe(&OsKeychain) {
            assert!(!required, "keychain required but unusable: {reason}");
            eprintln!("skipping: no usable OS keychain here ({reason})");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path().join("vault.json"), Box::new(OsKeychain));
        assert_eq!(v.status().backend, VaultBackend::Keychain);
        let name = format!("test:{}", uuid::Uuid::new_v4());
        v.put(&name, &Secret::new("top secret value")).unwrap();
        assert_eq!(v.get(&name).unwrap().expose(), "top secret value");
        v.delete(&name).unwrap();
        assert_eq!(v.get(&name).unwrap_err().code, "vault");
        assert!(
            !dir.path().join("vault.json").exists(),
            "the keychain backend writes no file"
        );
    }
}
