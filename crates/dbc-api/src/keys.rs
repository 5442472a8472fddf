//! Wallet keys. Secret material never prints (no `Debug`/`Display` of it) and is zeroized on drop.

use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
use sp_core::sr25519;
use sp_core::Pair as _;
use zeroize::Zeroizing;

/// DBC runtime's SS58 prefix (generic Substrate).
pub const SS58_PREFIX: u16 = 42;

/// Why a key could not be imported. Never contains the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the seed must be 32 bytes written as 64 hex characters (optionally with 0x)")]
    BadHexSeed,
    #[error("the secret phrase or derivation path is not valid: {0}")]
    BadSecretUri(String),
    #[error("the keystore file is not a polkadot.js JSON export: {0}")]
    BadKeystore(String),
    #[error("the keystore password is wrong")]
    WrongPassword,
    #[error("the keystore holds a {0} key; DBC accepts sr25519 keys only")]
    UnsupportedKeyType(String),
    #[error("not a valid SS58 address: {0}")]
    BadAddress(String),
}

/// A secret string (seed hex, mnemonic, password) that is zeroized on drop and never printed.
///
/// It deserializes from a plain JSON string (so input types can hold one and derive `Debug`:
/// it prints `Secret(<redacted>)`), and with the `specta` feature its TypeScript type is `string`.
/// It has no `Serialize` and no `Display`: a secret is never written back out by accident.
#[derive(Clone, Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(Zeroizing::new(s.into()))
    }
    /// Deliberately named: every read of the secret is visible in code review.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

#[cfg(feature = "specta")]
impl specta::Type for Secret {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        <String as specta::Type>::definition(types)
    }
}

/// An sr25519 wallet able to sign. `sp_core::sr25519::Pair` zeroizes its secret on drop.
#[derive(Clone)]
pub struct Wallet {
    pair: sr25519::Pair,
    address: String,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl Wallet {
    fn from_pair(pair: sr25519::Pair) -> Self {
        let address = pair
            .public()
            .to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX));
        Wallet { pair, address }
    }

    /// A 32-byte Substrate mini-secret seed as 64 hex chars (with or without `0x`).
    pub fn from_hex_seed(seed_hex: &str) -> Result<Self, KeyError> {
        let s = seed_hex.trim();
        let s = s.strip_prefix("0x").unwrap_or(s);
        let bytes = Zeroizing::new(hex::decode(s).map_err(|_| KeyError::BadHexSeed)?);
        if bytes.len() != 32 {
            return Err(KeyError::BadHexSeed);
        }
        let pair = sr25519::Pair::from_seed_slice(&bytes).map_err(|_| KeyError::BadHexSeed)?;
        Ok(Self::from_pair(pair))
    }

    /// A Substrate secret URI: a BIP39 mnemonic (or 0x seed) with optional `//hard/soft`
    /// derivation, and an optional password (`///password` may also be in the URI).
    pub fn from_secret_uri(uri: &str, password: Option<&str>) -> Result<Self, KeyError> {
        let pair = sr25519::Pair::from_string(uri.trim(), password.filter(|p| !p.is_empty()))
            .map_err(|e| KeyError::BadSecretUri(describe_secret_error(&e)))?;
        Ok(Self::from_pair(pair))
    }

    /// Import whatever a user pasted or a file holds: a polkadot.js JSON keystore (decrypted
    /// with `password`; see [`crate::keystore::import_polkadot_js`]), a 64-hex-char seed, a
    /// 128-hex-char raw secret key, or a secret URI (mnemonic with optional derivation, and
    /// `password` as its password).
    pub fn from_any(text: &Secret, password: Option<&Secret>) -> Result<Self, KeyError> {
        let t = text.expose().trim();
        if t.starts_with('{') {
            let none = Secret::default();
            return crate::keystore::import_polkadot_js(t, password.unwrap_or(&none));
        }
        let bare = t.strip_prefix("0x").unwrap_or(t);
        if bare.len() == 128 && bare.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Self::from_raw_secret(&Secret::new(bare));
        }
        if bare.len() == 64 && bare.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Self::from_hex_seed(t);
        }
        Self::from_secret_uri(t, password.map(|p| p.expose()))
    }

    /// Wrap an already-built pair (e.g. from a decrypted keystore).
    pub fn from_sr25519_pair(pair: sr25519::Pair) -> Self {
        Self::from_pair(pair)
    }

    /// The full 64-byte sr25519 secret key as 128 hex chars: what a vault stores, whatever the
    /// key was imported from (a keystore has no seed to keep).
    pub fn export_raw_secret(&self) -> Secret {
        let raw = Zeroizing::new(self.pair.to_raw_vec());
        Secret::new(hex::encode(&*raw))
    }

    /// The inverse of [`Wallet::export_raw_secret`].
    pub fn from_raw_secret(secret: &Secret) -> Result<Self, KeyError> {
        let bytes =
            Zeroizing::new(hex::decode(secret.expose().trim()).map_err(|_| KeyError::BadHexSeed)?);
        if bytes.len() != 64 {
            return Err(KeyError::BadHexSeed);
        }
        let pair = sr25519::Pair::from_seed_slice(&bytes).map_err(|_| KeyError::BadHexSeed)?;
        Ok(Self::from_pair(pair))
    }

    /// SS58 (prefix 42) address: the `wallet` field of a request.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Public key bytes.
    pub fn public_key(&self) -> [u8; 32] {
        self.pair.public().0
    }

    /// sr25519 signature over the message bytes, as 128 lowercase hex chars without `0x`.
    pub fn sign_hex(&self, message: &[u8]) -> String {
        hex::encode(self.pair.sign(message).0)
    }
}

fn describe_secret_error(e: &sp_core::crypto::SecretStringError) -> String {
    use sp_core::crypto::SecretStringError as E;
    match e {
        E::InvalidFormat(_) => "unrecognised format".into(),
        E::InvalidPhrase => "the mnemonic is not a valid BIP39 phrase".into(),
        E::InvalidPassword => "the password is not valid for this phrase".into(),
        E::InvalidSeed => "the seed is not valid".into(),
        E::InvalidSeedLength => "the seed has the wrong length".into(),
        E::InvalidPath => "the derivation path is not valid".into(),
    }
}

/// Decode an SS58 address to its public key, checking the checksum.
pub fn decode_address(address: &str) -> Result<[u8; 32], KeyError> {
    sr25519::Public::from_ss58check(address)
        .map(|p| p.0)
        .map_err(|_| KeyError::BadAddress(address.to_string()))
}

/// Verify an sr25519 signature (hex, with or without `0x`) over `message` by `address`.
pub fn verify(address: &str, message: &[u8], signature_hex: &str) -> bool {
    let Ok(public) = sr25519::Public::from_ss58check(address) else {
        return false;
    };
    let s = signature_hex.strip_prefix("0x").unwrap_or(signature_hex);
    let Ok(bytes) = hex::decode(s) else {
        return false;
    };
    let Ok(arr) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    sr25519::Pair::verify(&sr25519::Signature::from_raw(arr), message, &public)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public demo seed of SPEC §3.2 (a published test key, never a real wallet).
    const DEMO_SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
    const V1_WALLET: &str = "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4";

    #[test]
    fn demo_seed_derives_v1_wallet() {
        let w = Wallet::from_hex_seed(DEMO_SEED).unwrap();
        assert_eq!(w.address(), V1_WALLET);
        assert_eq!(
            hex::encode(w.public_key()),
            "5437db36c5532df3a5937b62563d71c372a74e73d71f1edc4b3836718541c510"
        );
        let w2 = Wallet::from_hex_seed(&format!("0x{DEMO_SEED}")).unwrap();
        assert_eq!(w2.address(), V1_WALLET);
    }

    #[test]
    fn sign_round_trips_and_is_lower_hex_without_prefix() {
        let w = Wallet::from_hex_seed(DEMO_SEED).unwrap();
        let sig = w.sign_hex(b"hello");
        assert_eq!(sig.len(), 128);
        assert!(sig
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(verify(V1_WALLET, b"hello", &sig));
        assert!(!verify(V1_WALLET, b"hellO", &sig));
    }

    #[test]
    fn bad_seeds_are_rejected() {
        assert_eq!(
            Wallet::from_hex_seed("abcd").unwrap_err(),
            KeyError::BadHexSeed
        );
        assert_eq!(
            Wallet::from_hex_seed(&"zz".repeat(32)).unwrap_err(),
            KeyError::BadHexSeed
        );
    }

    #[test]
    fn raw_secret_round_trips() {
        for w in [
            Wallet::from_hex_seed(DEMO_SEED).unwrap(),
            Wallet::from_secret_uri("//Alice//stash", None).unwrap(),
        ] {
            let raw = w.export_raw_secret();
            assert_eq!(raw.expose().len(), 128);
            let back = Wallet::from_raw_secret(&raw).unwrap();
            assert_eq!(back.address(), w.address());
            assert!(verify(w.address(), b"m", &back.sign_hex(b"m")));
            assert_eq!(Wallet::from_any(&raw, None).unwrap().address(), w.address());
        }
    }

    #[test]
    fn from_any_detects_the_format() {
        let hex = Wallet::from_any(&Secret::new(format!(" 0x{DEMO_SEED}\n")), None).unwrap();
        assert_eq!(hex.address(), V1_WALLET);
        let uri = Wallet::from_any(&Secret::new("//Alice"), None).unwrap();
        assert_eq!(
            uri.address(),
            Wallet::from_secret_uri("//Alice", None).unwrap().address()
        );
        // A polkadot.js keystore (made by polkadot.js itself; see tests/fixtures/README.md).
        let json = Secret::new(include_str!("../tests/fixtures/demo-keystore.json"));
        let pw = Secret::new("demo keystore password");
        let ks = Wallet::from_any(&json, Some(&pw)).unwrap();
        assert_eq!(ks.address(), V1_WALLET);
        assert_eq!(
            ks.public_key(),
            Wallet::from_hex_seed(DEMO_SEED).unwrap().public_key()
        );
        assert_eq!(
            Wallet::from_any(&json, Some(&Secret::new("wrong"))).unwrap_err(),
            KeyError::WrongPassword
        );
        assert_eq!(
            Wallet::from_any(&json, None).unwrap_err(),
            KeyError::WrongPassword
        );
        assert!(matches!(
            Wallet::from_any(&Secret::new("{\"x\":1}"), Some(&Secret::new("pw"))),
            Err(KeyError::BadKeystore(_))
        ));
        assert!(matches!(
            Wallet::from_any(&Secret::new("not a phrase at all"), None),
            Err(KeyError::BadSecretUri(_))
        ));
    }

    #[test]
    fn secret_deserializes_from_a_plain_string_and_stays_redacted() {
        let s: Secret = serde_json::from_str(&format!("\"{DEMO_SEED}\"")).unwrap();
        assert_eq!(s.expose(), DEMO_SEED);
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        let o: Option<Secret> = serde_json::from_str("null").unwrap();
        assert!(o.is_none());
        assert!(serde_json::from_str::<Secret>("42").is_err());

        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Form {
            name: String,
            secret: Secret,
        }
        let f: Form =
            serde_json::from_value(serde_json::json!({"name": "n", "secret": DEMO_SEED})).unwrap();
        let d = format!("{f:?} {f:#?}");
        assert!(!d.contains(DEMO_SEED) && !d.contains("b0afb3"), "{d}");
        assert!(d.contains("Secret(<redacted>)"));
    }

    #[cfg(feature = "specta")]
    #[test]
    fn secret_is_a_string_for_typescript() {
        use specta::Type as _;
        let mut types = specta::Types::default();
        assert_eq!(
            Secret::definition(&mut types),
            String::definition(&mut types)
        );
    }

    #[test]
    fn debug_never_prints_secrets() {
        let w = Wallet::from_hex_seed(DEMO_SEED).unwrap();
        let d = format!("{w:?}");
        assert!(!d.contains(DEMO_SEED) && d.contains(V1_WALLET));
        assert_eq!(
            format!("{:?}", Secret::new(DEMO_SEED)),
            "Secret(<redacted>)"
        );
    }
}
