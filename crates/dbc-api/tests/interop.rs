//! Interop of `dbc_api::keys` / `dbc_api::keystore` with independent sr25519 implementations:
//! DBC's published verification vectors (SPEC §3.2) and polkadot.js (`@polkadot/keyring`,
//! `@polkadot/util-crypto`, run through `tests/js/polkadot.mjs` with JSON over stdin/stdout).
//!
//! Needs `node` (≥ 18) on PATH; `tests/js/node_modules` is installed with `npm ci` on first use.
//! The only fixed key is the public demo seed of SPEC §3.2; every other key, mnemonic and
//! password is generated at test time.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};

use dbc_api::auth::{new_nonce, Auth};
use dbc_api::keys::{self, KeyError, Secret, Wallet};
use dbc_api::keystore::{self, KeystoreInfo};
use serde_json::{json, Value};
use sp_core::Pair as _;

/// Public demo seed of SPEC §3.2 (DBC wiki screenshot) — a published test key.
const DEMO_SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
const DEMO_PUBLIC: &str = "5437db36c5532df3a5937b62563d71c372a74e73d71f1edc4b3836718541c510";
const V1_WALLET: &str = "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4";
const V6_WALLET: &str = "5HgVTsXnUBmaL5F2RBjKmXMoAeG9Avuyk9tmgnnVx28u2ZrS";

/// SPEC §3.2 vectors: (wallet, message, signature hex).
const VECTORS: [(&str, &str, &str); 6] = [
    (V1_WALLET, "5q7KRn4d8EmXFFsim8vHBp23N2CpERbD2mWR3WCo1o3teZnGxYEh4N6", "2460725b2f5e737cd810c773be61b9b27c3b9dbdac4af9cf25c7be9949ad7202a0b7467f71ad843888f482662d3ae2e4fa566d3c1930a3fa90f3dcb97ea4098d"),
    (V1_WALLET, "3eMPSsEtYRcPBkSMybhtdYA8WtpscTRjjNHR2AYXdFawgKW5LyEiUpr", "2e3059e12892160f736fca6ec0ab258346fa9612736735652eae893a431fab58f629fb185bee52edcca233a9e26394c1453ece51199d8f34956c626bd808b38a"),
    (V1_WALLET, "5ymJfLN9B1FhkFpydEqKQfWbKpYvxhWxMxGgerSPk4JEYE7tWb18e23", "a641cd46d1030dad2f7b966d74e12b1837dc5df6206179d29538f58257c9a50a5848341de5a43007d2cfc075949a23ed4989da34a7d4517d59a3cf598064d984"),
    (V1_WALLET, "663dmJngqu1yUmENnFM6PEsaeCKXTc4XHj6NfYbnA1ooLXuMDpNLmZu", "34a67c17e0233ea712b4b5dc4181d9f5cbdb429c7cf43e867d55efeaf632d43c55a02729a57d0351df8bf93f7cbd07a9982ed731158c0f738e33f048421d3888"),
    (V1_WALLET, "3QRjS1PsbDReGJKVBBRqxUh9RqXB5jbfHJ8bMgGoJ3C9HHHHm9rCmmh", "ca89d0adb44a03c6f22a9205a06e22f682805f8c8ee25dd182e36ceb581899001196ce94c40e2147247f967256d7e010318e4387853939d94ba99c81f16a358f"),
    (V6_WALLET, "5t1mv263Qpnu5tk5xPDk86oXGUX8yXaYGpAWj2n6gU45HNmsQqLaAU7", "c494cc517f3c181fd7206d03175b5c0c29d162e53aa88c557887241d104456272dc313501c8ae4e71dbcbae183942a119713974aff87aa1ef3870aa505be6384"),
];

// ---------------------------------------------------------------------------------------------
// Node bridge

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

/// `npm ci` once per test binary if `node_modules` is missing.
fn ensure_node_deps() -> &'static PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY.get_or_init(|| {
        let dir = js_dir();
        let marker = dir.join("node_modules/@polkadot/keyring/package.json");
        if !marker.exists() {
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir)
                .status()
                .expect("`npm` not found: the interop tests need Node.js >= 18 and npm on PATH");
            assert!(status.success(), "npm ci in {} failed", dir.display());
        }
        dir
    })
}

/// Run a batch of ops through `tests/js/polkadot.mjs`; results in the same order.
fn polkadot_js(ops: Vec<Value>) -> Vec<Value> {
    let dir = ensure_node_deps();
    let mut child = Command::new("node")
        .arg(dir.join("polkadot.mjs"))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`node` not found: the interop tests need Node.js >= 18 on PATH");
    let n = ops.len();
    let input = serde_json::to_vec(&json!({ "ops": ops })).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "polkadot.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("polkadot.mjs printed invalid JSON");
    let results = v["results"].as_array().expect("no results").clone();
    assert_eq!(results.len(), n);
    results
}

fn js_verify(address: &str, message: &str, signature: &str) -> Value {
    json!({"op": "verify", "address": address, "message": message, "signature": signature})
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key}"))
}

fn random_seed_hex() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

fn random_password() -> String {
    format!("pw-{}-ü", hex::encode(rand::random::<[u8; 8]>()))
}

/// A fresh 12-word mnemonic from polkadot.js (`mnemonicGenerate`).
fn fresh_mnemonic() -> String {
    let r = polkadot_js(vec![json!({"op": "mnemonic"})]);
    str_of(&r[0], "mnemonic").to_string()
}

// ---------------------------------------------------------------------------------------------
// DBC's published vectors (pure Rust)

#[test]
fn published_vectors_verify() {
    for (i, (wallet, msg, sig)) in VECTORS.iter().enumerate() {
        assert!(keys::verify(wallet, msg.as_bytes(), sig), "V{}", i + 1);
        // The 0x form DBC's Node backend sends is accepted by our verifier too.
        assert!(
            keys::verify(wallet, msg.as_bytes(), &format!("0x{sig}")),
            "V{} 0x",
            i + 1
        );
        // A signature is bound to its message and its signer.
        let other = VECTORS[(i + 1) % VECTORS.len()].1;
        assert!(
            !keys::verify(wallet, other.as_bytes(), sig),
            "V{} other msg",
            i + 1
        );
        let other_wallet = if *wallet == V1_WALLET {
            V6_WALLET
        } else {
            V1_WALLET
        };
        assert!(
            !keys::verify(other_wallet, msg.as_bytes(), sig),
            "V{} other wallet",
            i + 1
        );
    }
}

#[test]
fn published_vectors_negative_checks() {
    let (wallet, msg, sig) = VECTORS[0];
    // Wrapped the way a browser extension's signRaw does.
    let wrapped = format!("<Bytes>{msg}</Bytes>");
    assert!(!keys::verify(wallet, wrapped.as_bytes(), sig));
    // The uppercase hex text the C++ side passes across its FFI.
    let hex_text = hex::encode_upper(msg.as_bytes());
    assert!(!keys::verify(wallet, hex_text.as_bytes(), sig));
    // Lowercase hex text and the 0x-prefixed form of it: also not the signed bytes.
    assert!(!keys::verify(
        wallet,
        hex::encode(msg.as_bytes()).as_bytes(),
        sig
    ));
    // The same bytes taken as an ed25519 key/signature do not verify.
    let public = keys::decode_address(wallet).unwrap();
    let sig_bytes: [u8; 64] = hex::decode(sig).unwrap().try_into().unwrap();
    assert!(!sp_core::ed25519::Pair::verify(
        &sp_core::ed25519::Signature::from_raw(sig_bytes),
        msg.as_bytes(),
        &sp_core::ed25519::Public::from_raw(public),
    ));
    // A flipped bit anywhere in the signature breaks it.
    for pos in [0usize, 31, 32, 63] {
        let mut bad = sig_bytes;
        bad[pos] ^= 0x01;
        assert!(
            !keys::verify(wallet, msg.as_bytes(), &hex::encode(bad)),
            "byte {pos}"
        );
    }
    // Malformed inputs are a plain `false`.
    assert!(!keys::verify(wallet, msg.as_bytes(), &sig[..126]));
    assert!(!keys::verify(wallet, msg.as_bytes(), "zz"));
    assert!(!keys::verify("not-an-address", msg.as_bytes(), sig));
}

#[test]
fn demo_seed_derives_v1_wallet() {
    let w = Wallet::from_hex_seed(DEMO_SEED).unwrap();
    assert_eq!(w.address(), V1_WALLET);
    assert_eq!(hex::encode(w.public_key()), DEMO_PUBLIC);
    // The same seed as a Substrate secret URI.
    let u = Wallet::from_secret_uri(&format!("0x{DEMO_SEED}"), None).unwrap();
    assert_eq!(u.address(), V1_WALLET);
    // Round trip: what we sign for V1's wallet verifies as V1's wallet.
    let nonce = new_nonce();
    assert!(keys::verify(
        V1_WALLET,
        nonce.as_bytes(),
        &w.sign_hex(nonce.as_bytes())
    ));
}

// ---------------------------------------------------------------------------------------------
// Ours → polkadot.js

#[test]
fn our_signatures_verify_under_polkadot_js() {
    let mnemonic = fresh_mnemonic();
    let wallets = [
        Wallet::from_hex_seed(DEMO_SEED).unwrap(),
        Wallet::from_hex_seed(&random_seed_hex()).unwrap(),
        Wallet::from_secret_uri(&format!("{mnemonic}//dbc/0"), Some("extra words")).unwrap(),
    ];
    let messages = [
        new_nonce(),
        "session-🔑-ünïcode".to_string(),
        " ".to_string(),
    ];

    let mut ops = Vec::new();
    let mut expect = Vec::new();
    for w in &wallets {
        for m in &messages {
            let sig = w.sign_hex(m.as_bytes());
            ops.push(js_verify(w.address(), m, &sig));
            expect.push(true);
            // Negative controls: the JS verifier is not a rubber stamp.
            ops.push(js_verify(w.address(), &format!("{m}x"), &sig));
            expect.push(false);
            ops.push(js_verify(V6_WALLET, m, &sig));
            expect.push(false);
        }
        // The real envelope fields of auth mode A and of a session signature.
        let fields = Auth::Wallet(Arc::new(w.clone())).fields();
        assert_eq!(fields["wallet"], w.address());
        ops.push(js_verify(
            fields["wallet"].as_str().unwrap(),
            fields["nonce"].as_str().unwrap(),
            fields["sign"].as_str().unwrap(),
        ));
        expect.push(true);
        if let Auth::Session {
            session_id,
            session_id_sign,
        } = Auth::session_from_wallet("663dmJngqu1yUmENnFM6PEsaeCKXTc4X", w)
        {
            ops.push(js_verify(w.address(), &session_id, &session_id_sign));
            expect.push(true);
        } else {
            panic!("session_from_wallet did not give a session");
        }
    }
    // DBC's vectors also verify under polkadot.js (independent check of the vectors themselves).
    for (wallet, msg, sig) in VECTORS {
        ops.push(js_verify(wallet, msg, sig));
        expect.push(true);
    }
    let results = polkadot_js(ops.clone());
    for ((op, r), want) in ops.iter().zip(&results).zip(expect) {
        assert_eq!(r["isValid"], want, "signatureVerify {op}");
        assert_eq!(r["sr25519"], want, "sr25519Verify {op}");
        if want {
            assert_eq!(r["crypto"], "sr25519", "{op}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// polkadot.js → ours

#[test]
fn polkadot_js_signatures_verify_under_ours_and_addresses_match() {
    let mnemonic = fresh_mnemonic();
    let seed = random_seed_hex();
    let pw = random_password();
    // (uri as given to polkadot.js addFromUri, the same key via from_secret_uri(uri, password))
    let cases: Vec<(String, String, Option<String>)> = vec![
        (format!("0x{DEMO_SEED}"), format!("0x{DEMO_SEED}"), None),
        (format!("0x{seed}"), format!("0x{seed}"), None),
        (mnemonic.clone(), mnemonic.clone(), None),
        (
            format!("{mnemonic}//hard/soft"),
            format!("{mnemonic}//hard/soft"),
            None,
        ),
        (
            format!("{mnemonic}//hard/soft///{pw}"),
            format!("{mnemonic}//hard/soft///{pw}"),
            None,
        ),
        // The password given separately rather than inside the URI.
        (
            format!("{mnemonic}//hard/soft///{pw}"),
            format!("{mnemonic}//hard/soft"),
            Some(pw.clone()),
        ),
        (
            format!("0x{seed}//dbc//7/x"),
            format!("0x{seed}//dbc//7/x"),
            None,
        ),
        ("//Alice".to_string(), "//Alice".to_string(), None),
    ];
    let message = new_nonce();
    let ops = cases
        .iter()
        .map(|(js_uri, _, _)| json!({"op": "sign", "uri": js_uri, "message": message}))
        .collect();
    let results = polkadot_js(ops);

    let mut addresses = std::collections::HashSet::new();
    for ((js_uri, uri, password), r) in cases.iter().zip(&results) {
        let label = js_uri.replace(&mnemonic, "<mnemonic>").replace(&pw, "<pw>");
        let js_address = str_of(r, "address");
        let ours = Wallet::from_secret_uri(uri, password.as_deref())
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(ours.address(), js_address, "{label}");
        assert_eq!(
            hex::encode(ours.public_key()),
            str_of(r, "publicKey"),
            "{label}"
        );
        let sig = str_of(r, "signature");
        assert_eq!(sig.len(), 128, "{label}");
        assert!(keys::verify(js_address, message.as_bytes(), sig), "{label}");
        assert!(!keys::verify(js_address, b"another nonce", sig), "{label}");
        addresses.insert(js_address.to_string());
    }
    assert_eq!(results[0]["address"], V1_WALLET);
    // Derivation paths and passwords really give distinct keys (5 and 6 are the same key).
    assert_eq!(addresses.len(), cases.len() - 1);
}

// ---------------------------------------------------------------------------------------------
// polkadot.js JSON keystore → ours

#[test]
fn polkadot_js_keystores_import() {
    let mnemonic = fresh_mnemonic();
    let pw = random_password();
    let derived = format!("{mnemonic}//dbc/1");
    let ops = vec![
        // A derived key: the stored secret is not a seed expansion we could shortcut.
        json!({"op": "keystore", "uri": derived, "password": pw, "type": "sr25519", "name": "Renter ü"}),
        // The Polkadot network prefix (0): same key, other address text.
        json!({"op": "keystore", "uri": format!("0x{DEMO_SEED}"), "password": pw, "type": "sr25519", "ss58Format": 0}),
        json!({"op": "keystore", "uri": mnemonic, "password": pw, "type": "ed25519"}),
        json!({"op": "sign", "uri": derived, "message": "x"}),
    ];
    let r = polkadot_js(ops);
    let (sr_json, sr_address) = (str_of(&r[0], "json"), str_of(&r[0], "address"));
    let (dot_json, dot_address) = (str_of(&r[1], "json"), str_of(&r[1], "address"));
    let ed_json = str_of(&r[2], "json");
    assert_eq!(str_of(&r[3], "address"), sr_address);
    assert!(!dot_address.starts_with('5'));

    // Address and name before the password.
    assert_eq!(
        keystore::peek(sr_json).unwrap(),
        KeystoreInfo {
            address: sr_address.to_string(),
            name: Some("Renter ü".to_string())
        }
    );
    assert_eq!(keystore::peek(dot_json).unwrap().address, V1_WALLET);

    // Import: same key as polkadot.js and as our own derivation of the same URI; it signs.
    let w = keystore::import_polkadot_js(sr_json, &Secret::new(pw.clone())).unwrap();
    assert_eq!(w.address(), sr_address);
    assert_eq!(
        w.address(),
        Wallet::from_secret_uri(&derived, None).unwrap().address()
    );
    let nonce = new_nonce();
    assert!(keys::verify(
        sr_address,
        nonce.as_bytes(),
        &w.sign_hex(nonce.as_bytes())
    ));

    let d = keystore::import_polkadot_js(dot_json, &Secret::new(pw.clone())).unwrap();
    assert_eq!(d.address(), V1_WALLET);
    assert_eq!(hex::encode(d.public_key()), DEMO_PUBLIC);

    // Wrong passwords.
    let mut truncated = pw.clone();
    truncated.pop();
    for wrong in ["", "PW", truncated.as_str(), &pw.to_uppercase()] {
        assert_eq!(
            keystore::import_polkadot_js(sr_json, &Secret::new(wrong)).unwrap_err(),
            KeyError::WrongPassword,
            "wrong password of length {}",
            wrong.len()
        );
    }
    // ed25519 keystores are refused by type, with or without the right password.
    assert_eq!(
        keystore::import_polkadot_js(ed_json, &Secret::new(pw.clone())).unwrap_err(),
        KeyError::UnsupportedKeyType("ed25519".into())
    );
    assert_eq!(
        keystore::peek(ed_json).unwrap_err(),
        KeyError::UnsupportedKeyType("ed25519".into())
    );

    // A file whose address was edited to another account is refused, not re-addressed.
    let mut v: Value = serde_json::from_str(sr_json).unwrap();
    v["address"] = V6_WALLET.into();
    assert!(matches!(
        keystore::import_polkadot_js(&v.to_string(), &Secret::new(pw.clone())).unwrap_err(),
        KeyError::BadKeystore(_)
    ));
    // Not a keystore at all.
    assert!(matches!(
        keystore::import_polkadot_js(r#"{"hello":"world"}"#, &Secret::new(pw)).unwrap_err(),
        KeyError::BadKeystore(_)
    ));
}
