//! Import of a polkadot.js / DBC web-wallet JSON keystore ("Export account" → `<address>.json`).
//!
//! Format (polkadot.js `@polkadot/keyring` `pair.toJson(password)`, encoding version 3):
//!
//! ```text
//! { "encoded": base64( salt[32] | N u32le | p u32le | r u32le | nonce[24] | secretbox ),
//!   "encoding": { "content": ["pkcs8", "sr25519"], "type": ["scrypt", "xsalsa20-poly1305"],
//!                 "version": "3" },
//!   "address": "<SS58>", "meta": { "name": "...", ... } }
//! ```
//!
//! The secretbox key is `scrypt(password, salt, N, r, p)` (32 bytes); the plaintext is the PKCS8
//! body `HDR[16] | secret[64] | DIV[5] | public[32]` where `secret` is the schnorrkel secret key in
//! its "ed25519-expanded" form (`SecretKey::to_ed25519_bytes`). Generations 1–2 stored the 32-byte
//! mini-secret seed instead; both are accepted. Encoding versions below 3 (no `scrypt` in `type`)
//! used the password itself, zero-padded to 32 bytes, as the secretbox key; also accepted.
//!
//! Only the scrypt parameter sets polkadot.js itself accepts are allowed, so a crafted file cannot
//! make us burn gigabytes of memory.

use base64::Engine as _;
use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::{Nonce, XSalsa20Poly1305};
use serde::Deserialize;
use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
use sp_core::sr25519;
use sp_core::Pair as _;
use zeroize::Zeroizing;

use crate::keys::{KeyError, Secret, Wallet, SS58_PREFIX};

/// PKCS8 header of the decrypted body (polkadot.js `PAIR_HDR`).
const PAIR_HDR: [u8; 16] = [48, 83, 2, 1, 1, 48, 5, 6, 3, 43, 101, 112, 4, 34, 4, 32];
/// Divider between secret and public key (polkadot.js `PAIR_DIV`).
const PAIR_DIV: [u8; 5] = [161, 35, 3, 33, 0];
const SALT_LEN: usize = 32;
const SCRYPT_LEN: usize = SALT_LEN + 12;
const NONCE_LEN: usize = 24;
/// `(N, p, r)` sets accepted by polkadot.js (`util-crypto/scrypt/defaults.ts`, `ALLOWED_PARAMS`).
const ALLOWED_SCRYPT: [(u32, u32, u32); 6] = [
    (1 << 13, 10, 8),
    (1 << 14, 5, 8),
    (1 << 15, 3, 8),
    (1 << 15, 1, 8),
    (1 << 16, 2, 8),
    (1 << 17, 1, 8),
];
/// Refuse absurdly large inputs before parsing (a single-account export is < 1 KiB).
const MAX_JSON_LEN: usize = 64 * 1024;

/// What the UI can show before asking for the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeystoreInfo {
    /// The account's address re-encoded as SS58 prefix 42 (the `wallet` the requests will carry);
    /// the file may use another network prefix for the same key.
    pub address: String,
    /// `meta.name`, the account name chosen in polkadot.js, if any.
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct KeystoreJson {
    encoded: Option<String>,
    encoding: Option<Encoding>,
    address: Option<String>,
    meta: Option<Meta>,
    /// Present in a "batch" export of several accounts.
    accounts: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Encoding {
    #[serde(default)]
    content: Vec<String>,
    #[serde(rename = "type", default)]
    kind: StringOrList,
    #[serde(default)]
    version: Option<String>,
}

/// `encoding.type` is a list in current exports and a single string in very old ones.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum StringOrList {
    One(String),
    Many(Vec<String>),
    #[default]
    Missing,
}

impl StringOrList {
    fn contains(&self, s: &str) -> bool {
        match self {
            StringOrList::One(x) => x == s,
            StringOrList::Many(v) => v.iter().any(|x| x == s),
            StringOrList::Missing => false,
        }
    }
}

#[derive(Deserialize)]
struct Meta {
    name: Option<serde_json::Value>,
}

fn bad(reason: &str) -> KeyError {
    KeyError::BadKeystore(reason.to_string())
}

/// A checked, not yet decrypted keystore.
struct Parsed {
    encoded: String,
    scrypt: bool,
    encrypted: bool,
    public: [u8; 32],
    name: Option<String>,
}

fn parse(json: &str) -> Result<Parsed, KeyError> {
    if json.len() > MAX_JSON_LEN {
        return Err(bad("the file is too large"));
    }
    let ks: KeystoreJson =
        serde_json::from_str(json).map_err(|_| bad("the file is not valid JSON"))?;
    let encoding = ks
        .encoding
        .ok_or_else(|| bad("the \"encoding\" field is missing"))?;
    if ks.accounts.is_some() || encoding.content.iter().any(|c| c == "batch-pkcs8") {
        return Err(bad(
            "this is an export of several accounts; export the single account instead",
        ));
    }
    if !encoding.content.iter().any(|c| c == "pkcs8") {
        return Err(bad("the content is not a pkcs8 key pair"));
    }
    // content = ["pkcs8", <key type>]
    let key_type = encoding
        .content
        .iter()
        .find(|c| *c != "pkcs8")
        .map(String::as_str)
        .unwrap_or("sr25519");
    if key_type != "sr25519" {
        return Err(KeyError::UnsupportedKeyType(key_type.to_string()));
    }
    let scrypt = encoding.kind.contains("scrypt");
    let encrypted = encoding.kind.contains("xsalsa20-poly1305");
    if !encrypted && !encoding.kind.contains("none") {
        return Err(bad("unknown encryption type"));
    }
    if let Some(v) = &encoding.version {
        if !matches!(v.as_str(), "1" | "2" | "3") {
            return Err(bad("unknown encoding version"));
        }
    }
    let encoded = ks
        .encoded
        .ok_or_else(|| bad("the \"encoded\" field is missing"))?;
    let address = ks
        .address
        .ok_or_else(|| bad("the \"address\" field is missing"))?;
    let (public, _format) = sr25519::Public::from_ss58check_with_version(address.trim())
        .map_err(|_| bad("the \"address\" field is not a valid SS58 address"))?;
    let name = ks.meta.and_then(|m| match m.name {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => None,
    });
    Ok(Parsed {
        encoded,
        scrypt,
        encrypted,
        public: public.0,
        name,
    })
}

fn ss58_42(public: &[u8; 32]) -> String {
    sr25519::Public::from_raw(*public)
        .to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX))
}

/// Read the address and account name without the password (and without any scrypt work), so the
/// UI can show which account is being imported. Fails the same way [`import_polkadot_js`] does on
/// files that are not sr25519 keystores.
pub fn peek(json: &str) -> Result<KeystoreInfo, KeyError> {
    let p = parse(json)?;
    Ok(KeystoreInfo {
        address: ss58_42(&p.public),
        name: p.name,
    })
}

/// Decrypt a polkadot.js JSON keystore into a signing wallet.
///
/// Errors: [`KeyError::BadKeystore`] (not a keystore / damaged / key does not match its
/// `address`), [`KeyError::WrongPassword`], [`KeyError::UnsupportedKeyType`] (ed25519, ecdsa,
/// ethereum keystores — DBC accepts sr25519 only). The returned wallet's address is the file's
/// key in SS58 prefix 42.
pub fn import_polkadot_js(json: &str, password: &Secret) -> Result<Wallet, KeyError> {
    let p = parse(json)?;
    let raw = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(p.encoded.trim())
            .map_err(|_| bad("the \"encoded\" field is not base64"))?,
    );
    let body = if p.encrypted {
        decrypt(&raw, p.scrypt, password.expose().as_bytes())?
    } else {
        raw
    };
    let pair = pair_from_pkcs8(&body)?;
    if pair.public().0 != p.public {
        return Err(bad(
            "the key inside does not match the file's address (the file was altered)",
        ));
    }
    Ok(Wallet::from_sr25519_pair(pair))
}

fn decrypt(raw: &[u8], scrypt: bool, password: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let mut key = Zeroizing::new([0u8; 32]);
    let rest = if scrypt {
        if raw.len() < SCRYPT_LEN + NONCE_LEN {
            return Err(bad("the encrypted data is truncated"));
        }
        let (head, rest) = raw.split_at(SCRYPT_LEN);
        let salt = &head[..SALT_LEN];
        let le = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
        let (n, p, r) = (le(32), le(36), le(40));
        if !ALLOWED_SCRYPT.contains(&(n, p, r)) {
            return Err(bad("unsupported scrypt parameters"));
        }
        let params = scrypt::Params::new(n.trailing_zeros() as u8, r, p, 32)
            .map_err(|_| bad("unsupported scrypt parameters"))?;
        scrypt::scrypt(password, salt, &params, key.as_mut_slice())
            .map_err(|_| bad("unsupported scrypt parameters"))?;
        rest
    } else {
        // Pre-scrypt exports: the password itself, cut or zero-padded to 32 bytes.
        let n = password.len().min(32);
        key[..n].copy_from_slice(&password[..n]);
        raw
    };
    if rest.len() < NONCE_LEN {
        return Err(bad("the encrypted data is truncated"));
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| bad("truncated"))?;
    let cipher = XSalsa20Poly1305::new_from_slice(key.as_slice())
        .map_err(|_| bad("the encryption key has the wrong length"))?;
    cipher
        .decrypt(&Nonce::from(nonce), ciphertext)
        .map(Zeroizing::new)
        // The Poly1305 tag fails: with an intact file this means the password is wrong.
        .map_err(|_| KeyError::WrongPassword)
}

/// `HDR | secret(64, gen 3; or 32-byte seed, gen 1–2) | DIV | public(32)` → key pair, checking
/// that the stored public key is the one the secret gives.
fn pair_from_pkcs8(body: &[u8]) -> Result<sr25519::Pair, KeyError> {
    let damaged = || bad("the decrypted key is damaged");
    let rest = body.strip_prefix(&PAIR_HDR[..]).ok_or_else(damaged)?;
    let (pair, after) = if rest.len() >= 64 && rest[64..].starts_with(&PAIR_DIV) {
        // Generation 3: schnorrkel secret key in ed25519-expanded form (polkadot.js wasm-crypto
        // `Keypair::to_half_ed25519_bytes`).
        let secret =
            schnorrkel::SecretKey::from_ed25519_bytes(&rest[..64]).map_err(|_| damaged())?;
        (sr25519::Pair::from(secret), &rest[64 + PAIR_DIV.len()..])
    } else if rest.len() >= 32 && rest[32..].starts_with(&PAIR_DIV) {
        // Generations 1–2: the 32-byte mini-secret seed.
        let pair = sr25519::Pair::from_seed_slice(&rest[..32]).map_err(|_| damaged())?;
        (pair, &rest[32 + PAIR_DIV.len()..])
    } else {
        return Err(damaged());
    };
    let stored_public = after.get(..32).ok_or_else(damaged)?;
    if pair.public().0 != stored_public {
        return Err(damaged());
    }
    Ok(pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public demo seed of SPEC §3.2.
    const DEMO_SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
    const V1_WALLET: &str = "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4";

    fn demo_keypair() -> schnorrkel::Keypair {
        let seed = hex::decode(DEMO_SEED).unwrap();
        schnorrkel::MiniSecretKey::from_bytes(&seed)
            .unwrap()
            .expand_to_keypair(schnorrkel::ExpansionMode::Ed25519)
    }

    /// `HDR | secret | DIV | public`; generation 3 stores the ed25519-form secret key,
    /// generations 1–2 the 32-byte seed.
    fn body(gen3: bool) -> Vec<u8> {
        let kp = demo_keypair();
        let mut body = PAIR_HDR.to_vec();
        if gen3 {
            body.extend_from_slice(&kp.secret.to_ed25519_bytes());
        } else {
            body.extend_from_slice(&hex::decode(DEMO_SEED).unwrap());
        }
        body.extend_from_slice(&PAIR_DIV);
        body.extend_from_slice(&kp.public.to_bytes());
        body
    }

    /// Encrypt a body the way polkadot.js `encodePair` + `jsonEncryptFormat` do, with the
    /// cheapest allowed scrypt parameters (fast in debug builds); `scrypt == false` gives the
    /// pre-scrypt format (password zero-padded to 32 bytes as the key).
    fn seal(body: &[u8], password: &str, scrypt: bool) -> Vec<u8> {
        let salt = [7u8; 32];
        let (n, p, r) = (1u32 << 13, 10u32, 8u32);
        let mut key = [0u8; 32];
        let mut raw = Vec::new();
        if scrypt {
            scrypt::scrypt(
                password.as_bytes(),
                &salt,
                &scrypt::Params::new(13, r, p, 32).unwrap(),
                &mut key,
            )
            .unwrap();
            raw.extend_from_slice(&salt);
            for v in [n, p, r] {
                raw.extend_from_slice(&v.to_le_bytes());
            }
        } else {
            let pw = password.as_bytes();
            key[..pw.len().min(32)].copy_from_slice(&pw[..pw.len().min(32)]);
        }
        let nonce = [9u8; 24];
        let ct = XSalsa20Poly1305::new_from_slice(&key)
            .unwrap()
            .encrypt(&Nonce::from(nonce), body)
            .unwrap();
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&ct);
        raw
    }

    fn to_json(raw: &[u8], content_type: &str, kind: serde_json::Value, address: &str) -> String {
        serde_json::json!({
            "encoded": base64::engine::general_purpose::STANDARD.encode(raw),
            "encoding": {"content": ["pkcs8", content_type], "type": kind, "version": "3"},
            "address": address,
            "meta": {"name": "demo", "whenCreated": 0}
        })
        .to_string()
    }

    fn make(seed_hex: &str, password: &str, content_type: &str, address: &str) -> String {
        assert_eq!(seed_hex, DEMO_SEED);
        let raw = seal(&body(true), password, true);
        let kind = serde_json::json!(["scrypt", "xsalsa20-poly1305"]);
        to_json(&raw, content_type, kind, address)
    }

    #[test]
    fn secret_is_stored_in_ed25519_form() {
        // The reason for `from_ed25519_bytes`: read with plain `from_bytes`, the same 64 bytes
        // give another key (the scalar is stored multiplied by the cofactor).
        let stored = demo_keypair().secret.to_ed25519_bytes();
        let right = schnorrkel::SecretKey::from_ed25519_bytes(&stored).unwrap();
        assert_eq!(
            hex::encode(right.to_public().to_bytes()),
            hex::encode(demo_keypair().public.to_bytes())
        );
        if let Ok(wrong) = schnorrkel::SecretKey::from_bytes(&stored) {
            assert_ne!(wrong.to_public().to_bytes(), right.to_public().to_bytes());
        }
    }

    #[test]
    fn older_formats_import() {
        let pw = Secret::new("pw");
        let scrypt = serde_json::json!(["scrypt", "xsalsa20-poly1305"]);
        // Generation 1–2 body (seed instead of secret key).
        let json = to_json(
            &seal(&body(false), "pw", true),
            "sr25519",
            scrypt,
            V1_WALLET,
        );
        assert_eq!(import_polkadot_js(&json, &pw).unwrap().address(), V1_WALLET);
        // Pre-scrypt encryption, `type` as a plain string.
        let raw = seal(&body(true), "pw", false);
        let json = to_json(&raw, "sr25519", "xsalsa20-poly1305".into(), V1_WALLET);
        assert_eq!(import_polkadot_js(&json, &pw).unwrap().address(), V1_WALLET);
        assert_eq!(
            import_polkadot_js(&json, &Secret::new("pW")).unwrap_err(),
            KeyError::WrongPassword
        );
        // Unencrypted export.
        let json = to_json(
            &body(true),
            "sr25519",
            serde_json::json!(["none"]),
            V1_WALLET,
        );
        assert_eq!(import_polkadot_js(&json, &pw).unwrap().address(), V1_WALLET);
        // A damaged body behind a correct password is "damaged", not "wrong password".
        let mut broken = body(true);
        broken[0] ^= 1;
        let scrypt = serde_json::json!(["scrypt", "xsalsa20-poly1305"]);
        let json = to_json(&seal(&broken, "pw", true), "sr25519", scrypt, V1_WALLET);
        assert!(matches!(
            import_polkadot_js(&json, &pw).unwrap_err(),
            KeyError::BadKeystore(_)
        ));
    }

    #[test]
    fn imports_demo_keystore_and_signs() {
        let json = make(DEMO_SEED, "pw", "sr25519", V1_WALLET);
        assert_eq!(
            peek(&json).unwrap(),
            KeystoreInfo {
                address: V1_WALLET.into(),
                name: Some("demo".into())
            }
        );
        let w = import_polkadot_js(&json, &Secret::new("pw")).unwrap();
        assert_eq!(w.address(), V1_WALLET);
        let sig = w.sign_hex(b"nonce");
        assert!(crate::keys::verify(V1_WALLET, b"nonce", &sig));
        // Same key as the seed itself.
        let direct = Wallet::from_hex_seed(DEMO_SEED).unwrap();
        assert_eq!(direct.public_key(), w.public_key());
    }

    #[test]
    fn wrong_password_and_key_type_and_tampering() {
        let json = make(DEMO_SEED, "pw", "sr25519", V1_WALLET);
        assert_eq!(
            import_polkadot_js(&json, &Secret::new("PW")).unwrap_err(),
            KeyError::WrongPassword
        );
        let ed = make(DEMO_SEED, "pw", "ed25519", V1_WALLET);
        assert_eq!(
            import_polkadot_js(&ed, &Secret::new("pw")).unwrap_err(),
            KeyError::UnsupportedKeyType("ed25519".into())
        );
        assert_eq!(
            peek(&ed).unwrap_err(),
            KeyError::UnsupportedKeyType("ed25519".into())
        );
        // Another account's address on an intact body: refused, not silently re-addressed.
        let other = "5HgVTsXnUBmaL5F2RBjKmXMoAeG9Avuyk9tmgnnVx28u2ZrS";
        let swapped = make(DEMO_SEED, "pw", "sr25519", other);
        assert!(matches!(
            import_polkadot_js(&swapped, &Secret::new("pw")).unwrap_err(),
            KeyError::BadKeystore(_)
        ));
    }

    #[test]
    fn not_a_keystore() {
        for s in [
            "",
            "{}",
            "[1,2]",
            r#"{"encoded":"AAAA","encoding":{"content":["pkcs8","sr25519"],"type":["scrypt","xsalsa20-poly1305"],"version":"3"},"address":"5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4"}"#,
            r#"{"encoded":"!!","encoding":{"content":["pkcs8","sr25519"],"type":["scrypt","xsalsa20-poly1305"],"version":"3"},"address":"5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4"}"#,
            r#"{"encoded":"AAAA","encoding":{"content":["pkcs8","sr25519"],"type":["scrypt","xsalsa20-poly1305"],"version":"3"},"address":"nope"}"#,
            r#"{"encoded":"AAAA","encoding":{"content":["batch-pkcs8"],"type":["scrypt","xsalsa20-poly1305"],"version":"3"},"accounts":[]}"#,
        ] {
            let e = import_polkadot_js(s, &Secret::new("pw")).unwrap_err();
            assert!(matches!(e, KeyError::BadKeystore(_)), "{s}: {e:?}");
        }
        // Crafted scrypt parameters (N = 2^30) are refused before any work.
        let json = make(DEMO_SEED, "pw", "sr25519", V1_WALLET);
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut raw = b64.decode(v["encoded"].as_str().unwrap()).unwrap();
        raw[32..36].copy_from_slice(&(1u32 << 30).to_le_bytes());
        v["encoded"] = b64.encode(&raw).into();
        assert_eq!(
            import_polkadot_js(&v.to_string(), &Secret::new("pw")).unwrap_err(),
            KeyError::BadKeystore("unsupported scrypt parameters".into())
        );
    }
}
