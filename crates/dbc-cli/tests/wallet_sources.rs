//! Where `dbc` finds a wallet besides a seed in the environment: DBC Desk's passphrase-encrypted
//! file (`--keychain wallet:<address>` when the OS keychain has no such entry) and a polkadot.js
//! JSON keystore (`--key-file`). Each request is sent to an in-process simulator, which checks
//! the sr25519 signature and that the wallet rents the machine.

use std::path::{Path, PathBuf};
use std::process::Output;

use dbc_api::keys::{Secret, Wallet};
use dbc_secrets::{wallet_entry, Keychain, Vault, Zeroizing};
use dbc_sim::config::DEMO_MACHINE_BETA;
use dbc_sim::{SimConfig, SimServer, DEMO_SEED_HEX, DEMO_WALLET};
use serde_json::Value;

const PASSPHRASE: &str = "correct horse battery staple";
/// Password of `crates/dbc-api/tests/fixtures/demo-keystore.json` (see the README there).
const KEYSTORE_PASSWORD: &str = "demo keystore password";

/// A keychain that never works, so the vault can only opt in to the file (as on a machine
/// without a Secret Service).
struct NoKeychain;
impl Keychain for NoKeychain {
    fn set(&self, _: &str, _: &str) -> Result<(), String> {
        Err("no keychain service is running".into())
    }
    fn get(&self, _: &str) -> Result<Option<Zeroizing<String>>, String> {
        Err("no keychain service is running".into())
    }
    fn delete(&self, _: &str) -> Result<(), String> {
        Err("no keychain service is running".into())
    }
}

/// A passphrase file holding the demo wallet, made the way DBC Desk makes it.
fn make_vault_file(path: PathBuf) {
    let v = Vault::open(path, Box::new(NoKeychain));
    v.use_file(&Secret::new(PASSPHRASE)).unwrap();
    let wallet = Wallet::from_hex_seed(DEMO_SEED_HEX).unwrap();
    v.put(&wallet_entry(DEMO_WALLET), &wallet.export_raw_secret())
        .unwrap();
    v.put("wallet:someone-else", &Secret::new("not this one"))
        .unwrap();
}

async fn sim() -> SimServer {
    SimServer::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("start simulator")
}

/// `dbc --url <sim> --node beta --rent-order 1002 <args> tasks` with only `env` from the
/// variables `dbc` reads.
async fn dbc(sim: &SimServer, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_dbc"));
    cmd.args([
        "--url",
        &sim.base_url(),
        "--node",
        DEMO_MACHINE_BETA,
        "--rent-order",
        "1002",
    ])
    .args(args)
    .arg("tasks");
    for var in [
        "DBC_URL",
        "DBC_NODE",
        "DBC_RENT_ORDER",
        "DBC_KEY_PASSWORD",
        "DBC_DESK_PASSPHRASE",
        "DBC_VAULT_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied())
        .kill_on_drop(true)
        .output()
        .await
        .expect("run dbc")
}

/// Success with the renter's VM list (the simulator accepted the signature).
fn assert_signed_ok(out: &Output) {
    assert!(
        out.status.success(),
        "dbc failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert!(v.is_array(), "{v}");
    assert_no_secret(out);
}

fn assert_no_secret(out: &Output) {
    let raw = Wallet::from_hex_seed(DEMO_SEED_HEX)
        .unwrap()
        .export_raw_secret();
    for text in [&out.stdout, &out.stderr].map(|b| String::from_utf8_lossy(b)) {
        assert!(!text.contains(DEMO_SEED_HEX) && !text.contains(raw.expose()));
        assert!(!text.contains(PASSPHRASE) && !text.contains(KEYSTORE_PASSWORD));
    }
}

/// A usage error (exit 2) whose message contains `want`.
fn assert_usage(out: &Output, want: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(want), "expected {want:?} in {err}");
    assert_no_secret(out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_signs_with_a_wallet_kept_in_the_passphrase_file() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    make_vault_file(path.clone());
    let name = wallet_entry(DEMO_WALLET);
    let file = path.to_str().unwrap();

    let out = dbc(
        &sim,
        &["--keychain", &name, "--vault-file", file],
        &[("DBC_DESK_PASSPHRASE", PASSPHRASE)],
    )
    .await;
    assert_signed_ok(&out);
    // Also through DBC_VAULT_FILE.
    let out = dbc(
        &sim,
        &["--keychain", &name],
        &[
            ("DBC_DESK_PASSPHRASE", PASSPHRASE),
            ("DBC_VAULT_FILE", file),
        ],
    )
    .await;
    assert_signed_ok(&out);

    // The rest only holds when the OS keychain does not have the demo wallet itself (it never
    // does in CI; a developer's keychain might).
    if matches!(dbc_secrets::OsKeychain.get(&name), Ok(Some(_))) {
        eprintln!("skipping the refusals: this machine's keychain holds {name}");
        return;
    }
    let out = dbc(
        &sim,
        &["--keychain", &name, "--vault-file", file],
        &[("DBC_DESK_PASSPHRASE", "not the passphrase")],
    )
    .await;
    assert_usage(&out, "wrong passphrase");
    // No passphrase and no terminal to ask on: says how to give it, never reads argv.
    let out = dbc(&sim, &["--keychain", &name, "--vault-file", file], &[]).await;
    assert_usage(&out, "DBC_DESK_PASSPHRASE");
    // An entry that is in neither place.
    let out = dbc(
        &sim,
        &["--keychain", "wallet:nobody", "--vault-file", file],
        &[("DBC_DESK_PASSPHRASE", PASSPHRASE)],
    )
    .await;
    assert_usage(&out, "keychain entry wallet:nobody");
    // A named file that is not there.
    let missing = dir.path().join("missing.json");
    let out = dbc(
        &sim,
        &[
            "--keychain",
            &name,
            "--vault-file",
            missing.to_str().unwrap(),
        ],
        &[("DBC_DESK_PASSPHRASE", PASSPHRASE)],
    )
    .await;
    assert_usage(&out, "does not exist");
}

/// Without `--vault-file`, `dbc` reads the file where the app keeps it: Tauri's app_data_dir
/// for io.dbcdesk.desktop, i.e. `$XDG_DATA_HOME/io.dbcdesk.desktop/vault.json` on Linux.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_finds_the_apps_passphrase_file_by_default() {
    let sim = sim().await;
    let data = tempfile::tempdir().unwrap();
    make_vault_file(data.path().join("io.dbcdesk.desktop/vault.json"));
    let name = wallet_entry(DEMO_WALLET);
    let out = dbc(
        &sim,
        &["--keychain", &name],
        &[
            ("XDG_DATA_HOME", data.path().to_str().unwrap()),
            ("DBC_DESK_PASSPHRASE", PASSPHRASE),
        ],
    )
    .await;
    assert_signed_ok(&out);
}

fn keystore_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dbc-api/tests/fixtures/demo-keystore.json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_file_accepts_a_polkadot_js_keystore() {
    let sim = sim().await;
    let ks = keystore_fixture();
    let ks = ks.to_str().unwrap();
    let out = dbc(
        &sim,
        &["--key-file", ks],
        &[("DBC_KEY_PASSWORD", KEYSTORE_PASSWORD)],
    )
    .await;
    assert_signed_ok(&out);

    let out = dbc(
        &sim,
        &["--key-file", ks],
        &[("DBC_KEY_PASSWORD", "not the password")],
    )
    .await;
    assert_usage(&out, "the keystore password is wrong");
    let out = dbc(&sim, &["--key-file", ks], &[]).await;
    assert_usage(&out, "DBC_KEY_PASSWORD");
}
