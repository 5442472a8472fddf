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

/// Argon2id cost of a key derivation. The parameters are written next to the data they
/// protect, so a file is always opened with the parameters that sealed it: raising
/// [`KdfParams::CURRENT`] never locks anyone out, and older files are re-sealed on unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost: u32,
    /// Passes.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// What new and migrated files use: 64 MiB, 3 passes, 1 lane (about a third of a second on
    /// a laptop core; RFC 9106's second recommended option).
    pub const CURRENT: KdfParams = KdfParams {
        m_cost: 64 * 1024,
        t_cost: 3,
        p_cost: 1,
    };
    /// The most a file may ask for. A tampered file cannot make unlocking allocate or spin
    /// without bound: anything above this is refused before any work is done.
    pub const MAX: KdfParams = KdfParams {
        m_cost: 1024 * 1024,
        t_cost: 16,
        p_cost: 8,
    };

    fn within_cap(&self) -> bool {
        let max = Self::MAX;
        self.m_cost <= max.m_cost && self.t_cost <= max.t_cost && self.p_cost <= max.p_cost
    }

    /// True when `self` costs less than `other` in memory or passes (a file to re-seal).
    fn weaker_than(&self, other: &KdfParams) -> bool {
        self.m_cost < other.m_cost || self.t_cost < other.t_cost
    }
}

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
    /// The file asks for a key derivation above [`KdfParams::MAX`] (tampered or foreign).
    #[error("the wallet file asks for an unsafe key derivation ({m_cost} KiB, {t_cost} passes, {p_cost} lanes); it was not opened")]
    UnsafeParams {
        m_cost: u32,
        t_cost: u32,
        p_cost: u32,
    },
    /// Another program (a second DBC Desk, or `dbc`) re-sealed the file under a new key since it
    /// was unlocked here: unlock again to see its contents.
    #[error("the wallet file was changed by another program; unlock it again")]
    ChangedElsewhere,
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

impl VaultFile {
    fn params(&self) -> KdfParams {
        KdfParams {
            m_cost: self.m_cost,
            t_cost: self.t_cost,
            p_cost: self.p_cost,
        }
    }
}

struct Unlocked {
    key: Zeroizing<[u8; 32]>,
    salt: Vec<u8>,
    /// The parameters `key` was derived with (written back with every save).
    params: KdfParams,
    entries: BTreeMap<String, Zeroizing<String>>,
}

enum State {
    Keychain(Box<dyn Keychain>),
    File(Option<Unlocked>),
    Unavailable(String),
}

/// Secrets by name (`wallet:<address>`, `session:<machine id>`), in the OS keychain or in the
/// encrypted file.
///
/// While the file is in use, the keychain (when it works) is still read for names the file does
/// not hold, so wallets saved there before the user opted in to the file stay usable.
///
/// Every write to the file happens under an OS lock on a sidecar `<file>.lock` and starts from
/// the file's current contents, so two programs writing (the app and `dbc`, or two windows)
/// never erase each other's entries.
pub struct Vault {
    state: Mutex<State>,
    /// The OS keychain kept for reading while the file is in use.
    fallback: Option<Box<dyn Keychain>>,
    file: PathBuf,
    kdf: KdfParams,
}

fn derive_key(passphrase: &str, salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(p.m_cost, p.t_cost, p.p_cost, Some(32))
        .map_err(|e| Error::Crypto(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut *key)
        .map_err(|e| Error::Crypto(e.to_string()))?;
    Ok(key)
}

fn new_salt() -> Vec<u8> {
    let mut salt = vec![0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    salt
}

/// Read and check the file's envelope (not its contents).
fn read_envelope(path: &Path) -> Result<VaultFile> {
    let raw = std::fs::read(path).map_err(Error::Read)?;
    let vf: VaultFile = serde_json::from_slice(&raw)
        .ok()
        .filter(|v: &VaultFile| v.format == FILE_FORMAT && v.version == 1 && v.kdf == "argon2id")
        .ok_or(Error::NotAVault)?;
    let p = vf.params();
    if !p.within_cap() {
        return Err(Error::UnsafeParams {
            m_cost: p.m_cost,
            t_cost: p.t_cost,
            p_cost: p.p_cost,
        });
    }
    Ok(vf)
}

fn b64(s: &str) -> Result<Vec<u8>> {
    B64.decode(s).map_err(|_| Error::Damaged)
}

/// Decrypt the envelope's contents with `key`.
fn open_envelope(vf: &VaultFile, key: &[u8; 32]) -> Result<BTreeMap<String, Zeroizing<String>>> {
    let nonce: [u8; 24] = b64(&vf.nonce)?.try_into().map_err(|_| Error::Damaged)?;
    let data = b64(&vf.data)?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(&XNonce::from(nonce), data.as_slice())
            .map_err(|_| Error::WrongPassphrase)?,
    );
    let entries: BTreeMap<String, String> =
        serde_json::from_slice(&plain).map_err(|_| Error::Damaged)?;
    Ok(entries
        .into_iter()
        .map(|(k, v)| (k, Zeroizing::new(v)))
        .collect())
}

/// An exclusive OS lock on `<file>.lock`, held until dropped (the OS drops it if we crash).
struct FileLock(std::fs::File);

impl FileLock {
    fn take(vault_file: &Path) -> Result<FileLock> {
        let mut name = vault_file.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::fsutil::create_private_dir(dir).map_err(Error::Write)?;
        }
        let f = crate::fsutil::open_private(&path).map_err(Error::Write)?;
        f.lock().map_err(Error::Write)?;
        Ok(FileLock(f))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Vault {
    /// Pick the backend: an existing encrypted file wins (the user chose it), else the keychain if
    /// it works, else "unavailable" with the reason.
    pub fn open(file: PathBuf, keychain: Box<dyn Keychain>) -> Vault {
        let (state, fallback) = if file.exists() {
            (State::File(None), Some(keychain))
        } else {
            match probe(keychain.as_ref()) {
                Ok(()) => (State::Keychain(keychain), None),
                Err(reason) => (State::Unavailable(reason), Some(keychain)),
            }
        };
        Vault {
            state: Mutex::new(state),
            fallback,
            file,
            kdf: KdfParams::CURRENT,
        }
    }

    /// The encrypted file alone, locked, without touching any keychain (what `dbc --vault-file`
    /// reads). `unlock` reports a missing file as [`Error::Read`].
    pub fn open_file(file: PathBuf) -> Vault {
        Vault {
            state: Mutex::new(State::File(None)),
            fallback: None,
            file,
            kdf: KdfParams::CURRENT,
        }
    }

    /// Seal new and migrated files with `kdf` instead of [`KdfParams::CURRENT`] (tests and
    /// benchmarks; the app keeps the default).
    pub fn with_kdf(mut self, kdf: KdfParams) -> Vault {
        self.kdf = kdf;
        self
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
            let _lock = FileLock::take(&self.file)?;
            if self.file.exists() {
                // Another program opted in meanwhile: use its file, never overwrite it.
                *s = State::File(None);
                return Err(Error::FileInUse);
            }
            let u = self.seal(passphrase, BTreeMap::new())?;
            self.write_file(&u)?;
            *s = State::File(Some(u));
        }
        Ok(self.status())
    }

    /// Unlock the encrypted file for this run. A file sealed with weaker parameters than this
    /// vault's is re-sealed (new salt, current parameters) on the way.
    pub fn unlock(&self, passphrase: &Secret) -> Result<Status> {
        {
            let mut s = self.state.lock().unwrap();
            if !matches!(&*s, State::File(_)) {
                return Err(Error::NoFile);
            }
            let vf = read_envelope(&self.file)?;
            let salt = b64(&vf.salt)?;
            let key = derive_key(passphrase.expose(), &salt, vf.params())?;
            let entries = open_envelope(&vf, &key)?;
            let mut u = Unlocked {
                key,
                salt,
                params: vf.params(),
                entries,
            };
            if u.params.weaker_than(&self.kdf) {
                let _lock = FileLock::take(&self.file)?;
                // Start from what is on disk now, in case another program wrote meanwhile.
                let now = read_envelope(&self.file)?;
                if now.salt == vf.salt && now.params() == vf.params() {
                    let migrated = self.seal(passphrase, open_envelope(&now, &u.key)?)?;
                    self.write_file(&migrated)?;
                    u = migrated;
                }
            }
            *s = State::File(Some(u));
        }
        Ok(self.status())
    }

    /// A new key for `entries`: fresh salt, this vault's parameters.
    fn seal(
        &self,
        passphrase: &Secret,
        entries: BTreeMap<String, Zeroizing<String>>,
    ) -> Result<Unlocked> {
        let salt = new_salt();
        let key = derive_key(passphrase.expose(), &salt, self.kdf)?;
        Ok(Unlocked {
            key,
            salt,
            params: self.kdf,
            entries,
        })
    }

    /// Forget the file's key and contents until the next `unlock` (idle auto-lock). Returns
    /// whether anything was unlocked. The keychain backend has nothing to lock.
    pub fn lock(&self) -> bool {
        let mut s = self.state.lock().unwrap();
        match &*s {
            State::File(Some(_)) => {
                *s = State::File(None);
                true
            }
            _ => false,
        }
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
            m_cost: u.params.m_cost,
            t_cost: u.params.t_cost,
            p_cost: u.params.p_cost,
            salt: B64.encode(&u.salt),
            nonce: B64.encode(nonce),
            data: B64.encode(data),
        };
        let bytes = serde_json::to_vec_pretty(&vf).map_err(|e| Error::Crypto(e.to_string()))?;
        write_private(&self.file, &bytes).map_err(Error::Write)
    }

    /// Change the file under its lock, starting from what is on disk now (another program may
    /// have added or removed entries since this one unlocked).
    fn change_file(
        &self,
        u: &mut Unlocked,
        change: impl FnOnce(&mut BTreeMap<String, Zeroizing<String>>),
    ) -> Result<()> {
        let _lock = FileLock::take(&self.file)?;
        match read_envelope(&self.file) {
            Ok(now) => {
                if b64(&now.salt)? != u.salt || now.params() != u.params {
                    return Err(Error::ChangedElsewhere);
                }
                u.entries = open_envelope(&now, &u.key)?;
            }
            // Deleted from outside: write what this run holds.
            Err(Error::Read(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let before = u.entries.clone();
        change(&mut u.entries);
        self.write_file(u).inspect_err(|_| u.entries = before)
    }

    pub fn put(&self, name: &str, secret: &Secret) -> Result<()> {
        let mut s = self.state.lock().unwrap();
        match &mut *s {
            State::Keychain(k) => k.set(name, secret.expose()).map_err(Error::KeychainStore),
            State::File(Some(u)) => self.change_file(u, |e| {
                e.insert(name.into(), Zeroizing::new(secret.expose().to_string()));
            }),
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
            State::File(Some(u)) => match u.entries.get(name) {
                Some(s) => Some(Secret::new(s.as_str())),
                // Saved in the keychain before the file was chosen: still readable.
                None => self
                    .fallback
                    .as_ref()
                    .and_then(|k| k.get(name).ok().flatten())
                    .map(|s| Secret::new(s.as_str())),
            },
            State::File(None) => return Err(Error::Locked),
            State::Unavailable(r) => return Err(Error::Unavailable(r.clone())),
        };
        found.ok_or_else(|| Error::Missing(name.into()))
    }

    /// Remove `name`; removing a missing entry is not an error. With the file in use, a copy
    /// left in the keychain from before is removed too (best effort).
    pub fn delete(&self, name: &str) -> Result<()> {
        let mut s = self.state.lock().unwrap();
        match &mut *s {
            State::Keychain(k) => k.delete(name).map_err(Error::KeychainDelete),
            State::File(Some(u)) => {
                self.change_file(u, |e| {
                    e.remove(name);
                })?;
                if let Some(k) = &self.fallback {
                    let _ = k.delete(name);
                }
                Ok(())
            }
            State::File(None) => Err(Error::Locked),
            State::Unavailable(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::{MemoryKeychain, OsKeychain};

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

    /// Cheap parameters for tests (Argon2's minimum memory for one lane is 8 KiB).
    const FAST: KdfParams = KdfParams {
        m_cost: 8,
        t_cost: 1,
        p_cost: 1,
    };

    fn envelope(path: &Path) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    fn new_file(path: &Path, kdf: KdfParams, pass: &str) {
        let v = Vault::open(path.to_path_buf(), Box::new(Broken)).with_kdf(kdf);
        v.use_file(&Secret::new(pass)).unwrap();
    }

    fn unlocked(path: &Path, kdf: KdfParams, pass: &str) -> Vault {
        let v = Vault::open_file(path.to_path_buf()).with_kdf(kdf);
        v.unlock(&Secret::new(pass)).unwrap();
        v
    }

    #[test]
    fn new_files_use_64_mib_and_3_passes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let v = Vault::open(path.clone(), Box::new(Broken));
        v.use_file(&Secret::new("correct horse battery")).unwrap();
        let e = envelope(&path);
        assert_eq!(
            (e["m_cost"].as_u64(), e["t_cost"].as_u64()),
            (Some(65536), Some(3))
        );
    }

    #[test]
    fn parameters_read_from_a_file_are_capped_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        new_file(&path, FAST, "correct horse battery");
        let mut e = envelope(&path);
        // A tampered file asking for ~4 TiB of memory: refused at once, nothing allocated.
        e["m_cost"] = serde_json::json!(4_000_000_000u64);
        std::fs::write(&path, serde_json::to_vec(&e).unwrap()).unwrap();
        let started = std::time::Instant::now();
        let err = Vault::open_file(path.clone())
            .unlock(&Secret::new("correct horse battery"))
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::UnsafeParams {
                    m_cost: 4_000_000_000,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("unsafe"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        e["m_cost"] = serde_json::json!(8);
        e["t_cost"] = serde_json::json!(1_000_000);
        std::fs::write(&path, serde_json::to_vec(&e).unwrap()).unwrap();
        let err = Vault::open_file(path)
            .unlock(&Secret::new("correct horse battery"))
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::UnsafeParams {
                    t_cost: 1_000_000,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn an_older_file_opens_with_its_own_parameters_and_is_resealed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        new_file(&path, FAST, "correct horse battery");
        unlocked(&path, FAST, "correct horse battery")
            .put("wallet:a", &Secret::new("seed a"))
            .unwrap();
        let old_salt = envelope(&path)["salt"].clone();
        // This build seals with stronger parameters: the old file still opens...
        let stronger = KdfParams {
            m_cost: 16,
            t_cost: 2,
            p_cost: 1,
        };
        let v = unlocked(&path, stronger, "correct horse battery");
        assert_eq!(v.get("wallet:a").unwrap().expose(), "seed a");
        // ...and is re-sealed under them with a new salt, contents kept.
        let e = envelope(&path);
        assert_eq!(
            (e["m_cost"].as_u64(), e["t_cost"].as_u64()),
            (Some(16), Some(2))
        );
        assert_ne!(e["salt"], old_salt);
        v.put("wallet:b", &Secret::new("seed b")).unwrap();
        let again = unlocked(&path, stronger, "correct horse battery");
        assert_eq!(again.get("wallet:a").unwrap().expose(), "seed a");
        assert_eq!(again.get("wallet:b").unwrap().expose(), "seed b");
        // A build with weaker defaults does not downgrade the file.
        unlocked(&path, FAST, "correct horse battery");
        assert_eq!(envelope(&path)["m_cost"].as_u64(), Some(16));
    }

    #[test]
    fn two_writers_keep_each_others_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        new_file(&path, FAST, "correct horse battery");
        let app = unlocked(&path, FAST, "correct horse battery");
        let cli = unlocked(&path, FAST, "correct horse battery");
        app.put("wallet:a", &Secret::new("seed a")).unwrap();
        cli.put("wallet:b", &Secret::new("seed b")).unwrap();
        app.delete("session:x").unwrap();
        let fresh = unlocked(&path, FAST, "correct horse battery");
        assert_eq!(fresh.get("wallet:a").unwrap().expose(), "seed a");
        assert_eq!(fresh.get("wallet:b").unwrap().expose(), "seed b");
        // Each writer sees the other's entry once it has written.
        assert_eq!(app.get("wallet:b").unwrap().expose(), "seed b");
    }

    #[test]
    fn many_writers_at_once_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        new_file(&path, FAST, "correct horse battery");
        std::thread::scope(|s| {
            for w in 0..6 {
                let path = &path;
                s.spawn(move || {
                    let v = unlocked(path, FAST, "correct horse battery");
                    for i in 0..5 {
                        v.put(&format!("wallet:{w}-{i}"), &Secret::new("s"))
                            .unwrap();
                    }
                });
            }
        });
        let fresh = unlocked(&path, FAST, "correct horse battery");
        for w in 0..6 {
            for i in 0..5 {
                fresh.get(&format!("wallet:{w}-{i}")).unwrap();
            }
        }
    }

    #[test]
    fn a_writer_whose_key_was_replaced_elsewhere_is_told_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        new_file(&path, FAST, "correct horse battery");
        let old = unlocked(&path, FAST, "correct horse battery");
        let stronger = KdfParams {
            m_cost: 16,
            t_cost: 2,
            p_cost: 1,
        };
        unlocked(&path, stronger, "correct horse battery")
            .put("wallet:kept", &Secret::new("k"))
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        assert!(matches!(
            old.put("wallet:x", &Secret::new("x")).unwrap_err(),
            Error::ChangedElsewhere
        ));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn wallets_kept_in_the_keychain_stay_readable_once_the_file_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let keychain = MemoryKeychain::default();
        keychain.set("wallet:old", "old seed").unwrap();
        // The keychain was locked in some run and the user chose the file then.
        new_file(&path, FAST, "correct horse battery");
        // Now the keychain works again; the file still wins, and both are read.
        let v = Vault::open(path.clone(), Box::new(keychain.clone())).with_kdf(FAST);
        assert_eq!(v.status().backend, Backend::File);
        v.unlock(&Secret::new("correct horse battery")).unwrap();
        assert_eq!(v.get("wallet:old").unwrap().expose(), "old seed");
        v.put("wallet:new", &Secret::new("new seed")).unwrap();
        assert_eq!(
            keychain.get("wallet:new").unwrap(),
            None,
            "new keys go to the file"
        );
        v.delete("wallet:old").unwrap();
        assert_eq!(keychain.get("wallet:old").unwrap(), None);
        assert!(matches!(
            v.get("wallet:old").unwrap_err(),
            Error::Missing(_)
        ));
    }

    #[test]
    fn lock_forgets_the_key_until_the_next_unlock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        new_file(&path, FAST, "correct horse battery");
        let v = unlocked(&path, FAST, "correct horse battery");
        v.put("wallet:a", &Secret::new("seed")).unwrap();
        assert!(v.lock());
        assert!(!v.lock(), "nothing left to lock");
        assert!(v.status().locked);
        assert!(matches!(v.get("wallet:a").unwrap_err(), Error::Locked));
        v.unlock(&Secret::new("correct horse battery")).unwrap();
        assert_eq!(v.get("wallet:a").unwrap().expose(), "seed");
        let keychain = Vault::open(
            dir.path().join("none.json"),
            Box::new(MemoryKeychain::default()),
        );
        assert!(!keychain.lock());
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
