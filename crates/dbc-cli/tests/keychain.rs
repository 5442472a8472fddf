//! `dbc --keychain wallet:<address>` signs with the key DBC Desk keeps in the OS keychain
//! (same service name and entry naming as the app). Runs against the real Secret Service in CI
//! (scripts/dev.sh starts one; DBC_DESK_REQUIRE_KEYCHAIN=1 makes its absence a failure).

use std::process::Command;

use dbc_api::keys::{verify, Wallet};
use dbc_secrets::{wallet_entry, Keychain, OsKeychain};

const DEMO_SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
const NODE: &str = "3f8a9c1e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f2a";

#[test]
fn cli_signs_with_the_apps_keychain_entry() {
    let wallet = Wallet::from_hex_seed(DEMO_SEED).unwrap();
    let name = wallet_entry(wallet.address());
    if let Err(e) = OsKeychain.set(&name, wallet.export_raw_secret().expose()) {
        let required = std::env::var("DBC_DESK_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1");
        assert!(!required, "keychain required but unusable: {e}");
        eprintln!("skipping: no usable OS keychain here ({e})");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_dbc"))
        .args([
            "--node",
            NODE,
            "--rent-order",
            "1001",
            "--keychain",
            &name,
            "--dry-run",
            "--show-secrets",
            "tasks",
        ])
        .output()
        .unwrap();
    let _ = OsKeychain.delete(&name);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let body = &v["body"];
    assert_eq!(body["wallet"], wallet.address());
    assert!(verify(
        wallet.address(),
        body["nonce"].as_str().unwrap().as_bytes(),
        body["sign"].as_str().unwrap()
    ));
    // The secret never shows in the output.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(DEMO_SEED) && !text.contains(wallet.export_raw_secret().expose()));

    // A missing entry is a clear usage error, not a crash.
    let out = Command::new(env!("CARGO_BIN_EXE_dbc"))
        .args([
            "--node",
            NODE,
            "--keychain",
            "wallet:nobody",
            "--dry-run",
            "tasks",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("keychain entry wallet:nobody"));
}
