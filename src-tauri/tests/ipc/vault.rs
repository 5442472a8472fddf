//! The passphrase file through the app: idle auto-lock (keys leave memory, signed calls stop
//! until the user unlocks again) and the strength hint.

use crate::common;

use std::time::{Duration, Instant};

use dbc_desk_lib::state::AppState;
use dbc_desk_lib::vault::Keychain;
use serde_json::{json, Value};
use tauri::Manager;
use zeroize::Zeroizing;

/// A keychain that refuses everything, like a locked Secret Service: the file is the only way.
struct NoKeychain;
impl Keychain for NoKeychain {
    fn set(&self, _: &str, _: &str) -> Result<(), String> {
        Err("the system keychain is locked".into())
    }
    fn get(&self, _: &str) -> Result<Option<Zeroizing<String>>, String> {
        Err("the system keychain is locked".into())
    }
    fn delete(&self, _: &str) -> Result<(), String> {
        Err("the system keychain is locked".into())
    }
}

fn machine_error(ipc: &common::Ipc) -> Value {
    let fleet = ipc.ok("fleet", json!({"fresh": true}));
    fleet[0]["error"].clone()
}

#[test]
fn the_file_locks_itself_after_idle_time_and_signed_calls_wait_for_the_passphrase() {
    let data = tempfile::tempdir().unwrap();
    let ipc = common::start_with(data.path(), Box::new(NoKeychain));
    let demo = ipc.ok("app_info", json!({}))["demo"].clone();
    assert_eq!(
        ipc.ok("app_info", json!({}))["vault"]["backend"],
        "unavailable"
    );
    ipc.ok(
        "vault_use_file",
        json!({"passphrase": "correct horse battery"}),
    );
    let w = ipc.ok(
        "wallet_add",
        json!({"input": {"name": "Main", "kind": "seed", "secret": common::DEMO_SEED, "derivation": "", "password": ""}}),
    );
    let m = &demo["machines"][0];
    ipc.ok(
        "machine_add",
        json!({"input": {"label": "GPU box", "node_id": m["node_id"], "rent_order": m["rent_order"], "wallet_id": w["id"], "session_id": null, "session_id_sign": null}}),
    );
    assert_eq!(
        machine_error(&ipc),
        Value::Null,
        "signed with the file's key"
    );

    let state = ipc.app().state::<AppState>();
    ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 2000, "poll_slow_ms": 15000, "language": "en", "theme": "system", "auto_lock_minutes": 5}}));
    ipc.ok("vault_touch", json!({}));
    // Not idle long enough: nothing happens.
    assert!(!state.lock_if_idle(Instant::now() + Duration::from_secs(4 * 60)));
    assert_eq!(machine_error(&ipc), Value::Null);
    // Five idle minutes: locked, and the decoded key is gone from memory too.
    assert!(state.lock_if_idle(Instant::now() + Duration::from_secs(5 * 60 + 1)));
    assert_eq!(ipc.ok("app_info", json!({}))["vault"]["locked"], true);
    let err = machine_error(&ipc);
    assert_eq!(err["code"], "vault", "{err}");
    assert!(err["message"].as_str().unwrap().contains("locked"), "{err}");
    // Already locked: no second lock event.
    assert!(!state.lock_if_idle(Instant::now() + Duration::from_secs(3600)));

    let wrong = ipc
        .call("vault_unlock", json!({"passphrase": "not the passphrase"}))
        .unwrap_err();
    assert_eq!(wrong["fields"][0]["field"], "passphrase", "{wrong}");
    ipc.ok(
        "vault_unlock",
        json!({"passphrase": "correct horse battery"}),
    );
    assert_eq!(machine_error(&ipc), Value::Null);

    // "Never" never locks; "Lock now" does.
    ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 2000, "poll_slow_ms": 15000, "language": "en", "theme": "system", "auto_lock_minutes": 0}}));
    assert!(!state.lock_if_idle(Instant::now() + Duration::from_secs(86_400)));
    assert_eq!(ipc.ok("vault_lock", json!({}))["locked"], true);
    assert_eq!(machine_error(&ipc)["code"], "vault");

    let bad = ipc
        .call("prefs_set", json!({"prefs": {"poll_fast_ms": 2000, "poll_slow_ms": 15000, "language": "en", "theme": "system", "auto_lock_minutes": 100000}}))
        .unwrap_err();
    assert_eq!(bad["fields"][0]["field"], "auto_lock_minutes", "{bad}");
}

#[test]
fn the_strength_hint_rates_without_storing() {
    let data = tempfile::tempdir().unwrap();
    let ipc = common::start(data.path());
    let weak = ipc.ok("passphrase_strength", json!({"passphrase": "password1"}));
    assert_eq!(weak["score"], 0);
    assert_eq!(weak["weaknesses"], json!(["common"]));
    let strong = ipc.ok(
        "passphrase_strength",
        json!({"passphrase": "correct horse battery staple"}),
    );
    assert!(strong["score"].as_u64().unwrap() >= 3, "{strong}");
    assert!(common::files_under(data.path())
        .iter()
        .all(|p| !std::fs::read(p)
            .map(|b| String::from_utf8_lossy(&b).contains("horse"))
            .unwrap_or(false)));
}
