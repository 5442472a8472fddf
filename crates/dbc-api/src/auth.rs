//! The three authorization modes of SPEC §3 and nonce generation.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::keys::Wallet;

/// A fresh nonce the way DBC's `sign_tool` makes one: Base58Check (Bitcoin alphabet, 4-byte
/// double-SHA-256 checksum) of the text of a random lowercase UUIDv4 — 55 characters.
pub fn new_nonce() -> String {
    let text = uuid::Uuid::new_v4().hyphenated().to_string();
    bs58::encode(text.as_bytes()).with_check().into_string()
}

/// How a request proves who is calling.
#[derive(Clone, Debug)]
pub enum Auth {
    /// Mode A: the renter's own wallet signs a fresh nonce per request.
    Wallet(Arc<Wallet>),
    /// Mode B: a Substrate multisig renter; every local signer signs its own fresh nonce.
    Multisig {
        /// All member addresses, in the order used to create the multisig.
        wallets: Vec<String>,
        threshold: u32,
        signers: Vec<Arc<Wallet>>,
    },
    /// Mode C: a session id handed out by the renter and its signature.
    Session {
        session_id: String,
        session_id_sign: String,
    },
    /// No auth (gateway-local endpoints, machine info, image lists).
    None,
}

impl Auth {
    /// A session pair signed by a local wallet (the renter using his own session).
    pub fn session_from_wallet(session_id: &str, wallet: &Wallet) -> Auth {
        Auth::Session {
            session_id: session_id.to_string(),
            session_id_sign: wallet.sign_hex(session_id.as_bytes()),
        }
    }

    /// Whether this is a mode that can fetch a session id (A or B only, SPEC §5.2).
    pub fn is_signing(&self) -> bool {
        matches!(self, Auth::Wallet(_) | Auth::Multisig { .. })
    }

    /// The envelope fields for one request. Each call makes fresh nonces.
    pub fn fields(&self) -> Map<String, Value> {
        let mut m = Map::new();
        match self {
            Auth::Wallet(w) => {
                let nonce = new_nonce();
                m.insert("wallet".into(), w.address().into());
                m.insert("sign".into(), w.sign_hex(nonce.as_bytes()).into());
                m.insert("nonce".into(), nonce.into());
            }
            Auth::Multisig {
                wallets,
                threshold,
                signers,
            } => {
                let signs: Vec<Value> = signers
                    .iter()
                    .map(|w| {
                        let nonce = new_nonce();
                        serde_json::json!({
                            "wallet": w.address(),
                            "sign": w.sign_hex(nonce.as_bytes()),
                            "nonce": nonce,
                        })
                    })
                    .collect();
                m.insert(
                    "multisig_accounts".into(),
                    serde_json::json!({
                        "wallets": wallets,
                        "threshold": threshold.to_string(),
                        "signs": signs,
                    }),
                );
            }
            Auth::Session {
                session_id,
                session_id_sign,
            } => {
                m.insert("session_id".into(), session_id.clone().into());
                m.insert("session_id_sign".into(), session_id_sign.clone().into());
            }
            Auth::None => {}
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::verify;

    const DEMO_SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";

    #[test]
    fn nonce_is_base58check_of_a_uuid_and_fresh() {
        let a = new_nonce();
        let b = new_nonce();
        assert_ne!(a, b);
        assert_eq!(a.len(), 55, "{a}");
        let raw = bs58::decode(&a).with_check(None).into_vec().unwrap();
        let text = String::from_utf8(raw).unwrap();
        assert!(uuid::Uuid::parse_str(&text).is_ok());
        assert_eq!(text, text.to_lowercase());
    }

    #[test]
    fn wallet_mode_signs_the_nonce_text() {
        let w = Arc::new(Wallet::from_hex_seed(DEMO_SEED).unwrap());
        let f = Auth::Wallet(w.clone()).fields();
        let nonce = f["nonce"].as_str().unwrap();
        assert!(verify(
            w.address(),
            nonce.as_bytes(),
            f["sign"].as_str().unwrap()
        ));
        assert_eq!(f["wallet"], w.address());
        let f2 = Auth::Wallet(w).fields();
        assert_ne!(f2["nonce"], f["nonce"]);
    }

    #[test]
    fn multisig_threshold_is_a_string_and_each_signer_has_its_own_nonce() {
        let a = Arc::new(Wallet::from_hex_seed(DEMO_SEED).unwrap());
        let b = Arc::new(Wallet::from_secret_uri("//Bob", None).unwrap());
        let auth = Auth::Multisig {
            wallets: vec![a.address().into(), b.address().into()],
            threshold: 2,
            signers: vec![a.clone(), b.clone()],
        };
        let f = auth.fields();
        let ms = &f["multisig_accounts"];
        assert_eq!(ms["threshold"], "2");
        let signs = ms["signs"].as_array().unwrap();
        assert_eq!(signs.len(), 2);
        assert_ne!(signs[0]["nonce"], signs[1]["nonce"]);
        for s in signs {
            assert!(verify(
                s["wallet"].as_str().unwrap(),
                s["nonce"].as_str().unwrap().as_bytes(),
                s["sign"].as_str().unwrap()
            ));
        }
    }

    #[test]
    fn session_mode_signs_the_session_id() {
        let w = Wallet::from_hex_seed(DEMO_SEED).unwrap();
        let sid = "663dmJngqu1yUmENnFM6PEsaeCKXTc4XHj6NfYbnA1ooLXuMDpNLmZu";
        let f = Auth::session_from_wallet(sid, &w).fields();
        assert_eq!(f["session_id"], sid);
        assert!(verify(
            w.address(),
            sid.as_bytes(),
            f["session_id_sign"].as_str().unwrap()
        ));
        assert!(!f.contains_key("nonce"));
    }
}
