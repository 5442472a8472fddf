//! The vault: the OS keychain, or a passphrase-encrypted file the user opted in to, unlocked once
//! per run. Secrets never reach logs or error messages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::fsutil::write_private;
use crate::keychain::{probe, Keychain};
use crate::Secret;

const FILE_FORMAT: &str = "dbc-desk-vault";

/// Shortest passphrase accepted for a new encrypted file (in characters).
pub const MIN_PASSPHRASE: usize = 8;

/// Argon2id cost: 19 MiB, 2 passes (OWASP's baseline).
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;

/// Why the vault refused. Each variant is one situation the app explains in its own words;
/// `Display` is a plain sentence fit for the CLI. Never carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No keychain works and the encrypted file has not been chosen; why, in plain words.
    #[error("no place to keep wallet keys safely: {0}")]
    Unavailable(String),
    /// `use_file` while the keychain works.
    #[error("the system keychain works; the encrypted file is not needed")]
    KeychainWorks,
    /// `use_file` while the file is already in use.
    #[error("the encrypted file is already in use")]
    FileInUse,
    /// A new file's passphrase is shorter than [`MIN_PASSPHRASE`].
    #[error("the passphrase is too short: use at least {MIN_PASSPHRASE} characters")]
    PassphraseTooShort,
    /// `unlock` while no encrypted file is in use.
    #[error("there is no encrypted wallet file to unlock")]
    NoFile,
    /// The file is in use but not unlocked in this run.
    #[error("the wallet file is locked")]
    Locked,
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// Not JSON, or not this format/version.
    #[error("the wallet file is damaged or not a DBC Desk vault")]
    NotAVault,
    /// The right format, but a field does not decode.
    #[error("the wallet file is damaged")]
    Damaged,
    #[error("cannot read the wallet file: {0}")]
    Read(#[source] std::io::Error),
    #[error("cannot write the wallet file: {0}")]
    Write(#[source] std::io::Error),
    #[error("the system keychain refused to store the key: {0}")]
    KeychainStore(String),
    #[error("the system keychain did not return the key: {0}")]
    KeychainRead(String),
    #[error("the system keychain refused to delete the key: {0}")]
    KeychainDelete(String),
    /// No entry of this name (the name is not secret: `wallet:<address>`, `session:<id>`).
    #[error("there is no entry {0}")]
    Missing(String),
    /// Key derivation or encryption failed (a bug, not a user error).
    #[error("encryption failed: {0}")]
    Crypto(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Which backend is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Keychain,
    File,
    Unavailable,
}

/// What the vault can do right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub backend: Backend,
    /// The encrypted file exists but has not been unlocked in this run.
    pub locked: bool,
    /// Why the OS keychain cannot be used, in plain words.
    pub reason: Option<String>,
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

enum State {
    Keychain(Box<dyn Keychain>),
    File(Option<Unlocked>),
    Unavailable(String),
}

/// Secrets by name (`wallet:<address>`, `session:<machine id>`), in the OS keychain or in the
/// encrypted file.
pub struct Vault {
    state: Mutex<State>,
    file: PathBuf,
}

fn derive_key(
    passphrase: &str,
    salt: &[u8],
    m: u32,
    t: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>> {
    let params =
        argon2::Params::new(m, t, p, Some(32)).map_err(|e| Error::Crypto(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut *key)
        .map_err(|e| Error::Crypto(e.to_string()))?;
    Ok(key)
}

impl Vault {
    /// Pick the backend: an existing encrypted file wins (the user chose it), else the keychain if
    /// it works, else "unavailable" with the reason.
    pub fn open(file: PathBuf, keychain: Box<dyn Keychain>) -> Vault {
        let state = if file.exists() {
            State::File(None)
        } else {
            match probe(keychain.as_ref()) {
                Ok(()) => State::Keychain(keychain),
                Err(reason) => State::Unavailable(reason),
            }
        };
        Vault {
            state: Mutex::new(state),
            file,
        }
    }

    /// The encrypted file alone, locked, without touching any keychain (what `dbc --vault-file`
    /// reads). `unlock` reports a missing file as [`Error::Read`].
    pub fn open_file(file: PathBuf) -> Vault {
        Vault {
            state: Mutex::new(State::File(None)),
            file,
        }
    }

    /// The encrypted file's path (used or not).
    pub fn file(&self) -> &Path {
        &self.file
    }

    pub fn status(&self) -> Status {
        match &*self.state.lock().unwrap() {
            State::Keychain(_) => Status {
                backend: Backend::Keychain,
                locked: false,
                reason: None,
            },
            State::File(u) => Status {
                backend: Backend::File,
                locked: u.is_none(),
                reason: None,
            },
            State::Unavailable(r) => Status {
                backend: Backend::Unavailable,
                locked: true,
                reason: Some(r.clone()),
            },
        }
    }

    /// Opt in to the encrypted file (only when no keychain is usable).
    pub fn use_file(&self, passphrase: &Secret) -> Result<Status> {
        {
            let mut s = self.state.lock().unwrap();
            match &*s {
                State::Unavailable(_) => {}
                State::Keychain(_) => return Err(Error::KeychainWorks),
                State::File(_) => return Err(Error::FileInUse),
            }
            if passphrase.expose().chars().count() < MIN_PASSPHRASE {
                return Err(Error::PassphraseTooShort);
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
            *s = State::File(Some(u));
        }
        Ok(self.status())
    }

    /// Unlock the encrypted file for this run.
    pub fn unlock(&self, passphrase: &Secret) -> Result<Status> {
        {
            let mut s = self.state.lock().unwrap();
            if !matches!(&*s, State::File(_)) {
                return Err(Error::NoFile);
            }
            let raw = std::fs::read(&self.file).map_err(Error::Read)?;
            let vf: VaultFile = serde_json::from_slice(&raw)
                .ok()
                .filter(|v: &VaultFile| {
                    v.format == FILE_FORMAT && v.version == 1 && v.kdf == "argon2id"
                })
                .ok_or(Error::NotAVault)?;
            let dec = |s: &str| B64.decode(s).map_err(|_| Error::Damaged);
            let salt = dec(&vf.salt)?;
            let nonce: [u8; 24] = dec(&vf.nonce)?.try_into().map_err(|_| Error::Damaged)?;
            let data = dec(&vf.data)?;
            let key = derive_key(passphrase.expose(), &salt, vf.m_cost, vf.t_cost, vf.p_cost)?;
            let cipher = XChaCha20Poly1305::new((&*key).into());
            let plain = Zeroizing::new(
                cipher
                    .decrypt(&XNonce::from(nonce), data.as_slice())
                    .map_err(|_| Error::WrongPassphrase)?,
            );
            let entries: BTreeMap<String, String> =
                serde_json::from_slice(&plain).map_err(|_| Error::Damaged)?;
            let entries = entries
                .into_iter()
                .map(|(k, v)| (k, Zeroizing::new(v)))
                .collect();
            *s = State::File(Some(Unlocked { key, salt, entries }));
        }
        Ok(self.status())
    }

    fn write_file(&self, u: &Unlocked) -> Result<()> {
        let plain: BTreeMap<&str, &str> = u
            .entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let plain =
            Zeroizing::new(serde_json::to_vec(&plain).map_err(|e| Error::Crypto(e.to_string()))?);
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new((&*u.key).into());
        let data = cipher
            .encrypt(&XNonce::from(nonce), plain.as_slice())
            .map_err(|_| Error::Crypto("XChaCha20-Poly1305 refused to encrypt".into()))?;
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
        let bytes = serde_json::to_vec_pretty(&vf).map_err(|e| Error::Crypto(e.to_string()))?;
        write_private(&self.file, &bytes).map_err(Error::Write)
    }

    pub fn put(&self, name: &str, secret: &Secret) -> Result<()> {
        let mut s = self.state.lock().unwrap();
        match &mut *s {
            State::Keychain(k) => k.set(name, secret.expose()).map_err(Error::KeychainStore),
            State::File(Some(u)) => {
                u.entries
                    .insert(name.into(), Zeroizing::new(secret.expose().to_string()));
                self.write_file(u)
            }
            State::File(None) => Err(Error::Locked),
            State::Unavailable(r) => Err(Error::Unavailable(r.clone())),
        }
    }

    /// The secret stored under `name`; [`Error::Missing`] when there is none.
    pub fn get(&self, name: &str) -> Result<Secret> {
        let s = self.state.lock().unwrap();
        let found = match &*s {
            State::Keychain(k) => k
                .get(name)
                .map_err(Error::KeychainRead)?
                .map(|s| Secret::new(s.as_str())),
            State::File(Some(u)) => u.entries.get(name).map(|s| Secret::new(s.as_str())),
            State::File(None) => return Err(Error::Locked),
            State::Unavailable(r) => return Err(Error::Unavailable(r.clone())),
        };
        found.ok_or_else(|| Error::Missing(name.into()))
    }

    /// Remove `name`; removing a missing entry is not an error.
    pub fn delete(&self, name: &str) -> Result<()> {
        let mut s = self.state.lock().unwrap();
        match &mut *s {
            State::Keychain(k) => k.delete(name).map_err(Error::KeychainDelete),
            State::File(Some(u)) => {
                u.entries.remove(name);
                self.write_file(u)
            }
            State::File(None) => Err(Error::Locked),
            State::Unavailable(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::OsKeychain;

    /// A keychain that always fails, like a locked Secret Service.
    struct Broken;
    impl Keychain for Broken {
        fn set(&self, _: &str, _: &str) -> std::result::Result<(), String> {
            Err("the system keychain is locked or no keychain service is running".into())
        }
        fn get(&self, _: &str) -> std::result::Result<Option<Zeroizing<String>>, String> {
            Err("locked".into())
        }
        fn delete(&self, _: &str) -> std::result::Result<(), String> {
            Err("locked".into())
        }
    }

    #[test]
    fn unavailable_keychain_explains_and_refuses_until_opt_in() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path().join("vault.json"), Box::new(Broken));
        let s = v.status();
        assert_eq!(s.backend, Backend::Unavailable);
        assert!(s.reason.unwrap().contains("locked"));
        let e = v.put("wallet:x", &Secret::new("s")).unwrap_err();
        assert!(
            matches!(&e, Error::Unavailable(r) if r.contains("locked")),
            "{e:?}"
        );
        assert!(v.unlock(&Secret::new("whatever123")).is_err());
        assert!(!dir.path().join("vault.json").exists());
    }

    #[test]
    fn encrypted_file_round_trip_wrong_passphrase_and_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let secret = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
        {
            let v = Vault::open(path.clone(), Box::new(Broken));
            assert!(matches!(
                v.use_file(&Secret::new("short")).unwrap_err(),
                Error::PassphraseTooShort
            ));
            let s = v.use_file(&Secret::new("correct horse battery")).unwrap();
            assert_eq!((s.backend, s.locked), (Backend::File, false));
            assert!(matches!(
                v.use_file(&Secret::new("correct horse battery")),
                Err(Error::FileInUse)
            ));
            v.put("wallet:a", &Secret::new(secret)).unwrap();
            v.put("wallet:b", &Secret::new("other")).unwrap();
            v.delete("wallet:b").unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(!on_disk.contains(secret) && !on_disk.contains("b0afb3"));
        // A new run: the file is found and locked.
        let v = Vault::open(path.clone(), Box::new(Broken));
        assert!(v.status().locked);
        assert!(matches!(v.get("wallet:a").unwrap_err(), Error::Locked));
        assert!(matches!(
            v.unlock(&Secret::new("wrong passphrase")).unwrap_err(),
            Error::WrongPassphrase
        ));
        v.unlock(&Secret::new("correct horse battery")).unwrap();
        assert_eq!(v.get("wallet:a").unwrap().expose(), secret);
        assert!(matches!(v.get("wallet:b").unwrap_err(), Error::Missing(n) if n == "wallet:b"));
        // The file alone, as the CLI opens it.
        let f = Vault::open_file(path.clone());
        assert!(f.status().locked);
        f.unlock(&Secret::new("correct horse battery")).unwrap();
        assert_eq!(f.get("wallet:a").unwrap().expose(), secret);
        // Errors never carry the secret or the passphrase.
        let text = format!("{:?} {}", v.get("x").unwrap_err(), v.get("x").unwrap_err());
        assert!(!text.contains(secret) && !text.contains("correct horse"));
    }

    #[cfg(unix)]
    #[test]
    fn encrypted_file_is_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/io.dbcdesk.desktop/vault.json");
        let v = Vault::open(path.clone(), Box::new(Broken));
        v.use_file(&Secret::new("correct horse battery")).unwrap();
        v.put("wallet:a", &Secret::new("s")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn damaged_or_missing_file_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        std::fs::write(&path, b"{ not json").unwrap();
        let v = Vault::open(path, Box::new(Broken));
        let e = v.unlock(&Secret::new("whatever123")).unwrap_err();
        assert!(matches!(e, Error::NotAVault));
        assert!(e.to_string().contains("damaged"));
        let v = Vault::open_file(dir.path().join("nope.json"));
        assert!(matches!(
            v.unlock(&Secret::new("whatever123")).unwrap_err(),
            Error::Read(_)
        ));
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
        assert_eq!(v.status().backend, Backend::Keychain);
        let name = format!("test:{}", uuid::Uuid::new_v4());
        v.put(&name, &Secret::new("top secret value")).unwrap();
        assert_eq!(v.get(&name).unwrap().expose(), "top secret value");
        v.delete(&name).unwrap();
        assert!(matches!(v.get(&name).unwrap_err(), Error::Missing(_)));
        assert!(
            !dir.path().join("vault.json").exists(),
            "the keychain backend writes no file"
        );
    }
}
