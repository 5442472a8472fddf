//! Settings files that are corrupt or foreign are set aside and reported, never fatal and never
//! silently dropped; the app starts on defaults and saves again.

use crate::common;

use common::start;
use serde_json::json;

#[test]
fn corrupt_settings_file_is_backed_up_and_reported() {
    let data = tempfile::tempdir().unwrap();
    // The mock runtime's identifier decides the folder; find it by starting once.
    let dir = {
        let ipc = start(data.path());
        ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 1000, "poll_slow_ms": 20000, "language": "en", "theme": "light"}}));
        let settings = common::files_under(data.path())
            .into_iter()
            .find(|p| p.ends_with("settings.json"))
            .expect("settings saved");
        settings.parent().unwrap().to_path_buf()
    };
    let file = dir.join("settings.json");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["settings"]["prefs"]["theme"], "light");

    // Damage it: the next start reports it, keeps the bytes, and works on defaults.
    std::fs::write(&file, b"{ this is not json").unwrap();
    let ipc = start(data.path());
    let info = ipc.ok("app_info", json!({}));
    let warning = info["settings_warning"]
        .as_str()
        .expect("a warning")
        .to_string();
    assert!(
        warning.contains("could not be read") && warning.contains("kept as"),
        "{warning}"
    );
    let backups: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("settings.json.bad-")
        })
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read(backups[0].path()).unwrap(),
        b"{ this is not json"
    );
    assert_eq!(ipc.ok("prefs_get", json!({}))["theme"], "system");
    ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 1000, "poll_slow_ms": 20000, "language": "en", "theme": "dark"}}));
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["settings"]["prefs"]["theme"], "dark");
    drop(ipc);

    // A foreign JSON file (valid JSON, not ours) is treated the same way.
    std::fs::write(&file, br#"{"some_other_app": true}"#).unwrap();
    let ipc = start(data.path());
    let warning = ipc.ok("app_info", json!({}))["settings_warning"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        warning.contains("not a DBC Desk settings file"),
        "{warning}"
    );
    // No temporary files are left behind by the atomic writes.
    ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 1000, "poll_slow_ms": 20000, "language": "en", "theme": "dark"}}));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A change whose save failed (here: a wallet whose settings could not be written, so its key
/// was rolled back) must not come back after the app exits and starts again.
#[test]
fn a_failed_save_leaves_no_ghost_entry_after_exit_and_restart() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 1000, "poll_slow_ms": 20000, "language": "en", "theme": "light"}}));
    let file = common::files_under(data.path())
        .into_iter()
        .find(|p| p.ends_with("settings.json"))
        .expect("settings saved");
    // Block the atomic write: its temporary file's name is taken by a folder.
    let blocker = file.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::create_dir(&blocker).unwrap();
    std::fs::write(blocker.join("x"), b"x").unwrap();
    let err = ipc
        .call(
            "wallet_add",
            json!({"input": {"name": "ghost", "kind": "seed", "secret": common::DEMO_SEED, "derivation": "", "password": ""}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "settings", "{err}");
    let ghost = |list: serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .any(|w| w["name"] == "ghost")
    };
    assert!(!ghost(ipc.ok("wallet_list", json!({}))));
    ipc.exit();
    std::fs::remove_dir_all(&blocker).unwrap();

    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["settings"]["wallets"], json!([]), "{saved}");
    let ipc = start(data.path());
    assert!(!ghost(ipc.ok("wallet_list", json!({}))));
    assert_eq!(ipc.ok("prefs_get", json!({}))["theme"], "light");
}

/// The client-node address: https:// is accepted and kept; plain HTTP to another computer is
/// reported as a risk (nothing is sent to judge it), loopback and https:// are not.
#[test]
fn connection_addresses_and_their_risk() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    let risk = |url: &str| ipc.ok("connection_risk", json!({ "url": url }));
    let r = risk("http://192.168.1.20:5002");
    assert_eq!(r["code"], "plain_http_remote", "{r}");
    assert!(
        r["warning"]
            .as_str()
            .unwrap()
            .starts_with("Plain HTTP to a remote node"),
        "{r}"
    );
    assert!(
        r["remedy"]
            .as_str()
            .unwrap()
            .contains("ssh -L 5002:127.0.0.1:5002"),
        "{r}"
    );
    assert_eq!(
        risk(" http://dbc.example.com:5002/api/v1 ")["code"],
        "plain_http_remote"
    );
    for safe in [
        "http://127.0.0.1:5002",
        "http://localhost:5002",
        "https://dbc.example.com",
        "not an address",
        "",
    ] {
        assert!(risk(safe).is_null(), "{safe}");
    }
    // An https:// address is saved as given (it used to be refused).
    let info = ipc.ok(
        "connection_set",
        json!({ "url": "HTTPS://dbc.example.com:8443/api/v1/" }),
    );
    assert_eq!(info["client_url"], "https://dbc.example.com:8443");
    // Addresses with credentials or a path are still refused, with a field error.
    let err = ipc
        .call(
            "connection_set",
            json!({ "url": "http://me:pw@10.0.0.1:5002" }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation", "{err}");
    assert_eq!(err["fields"][0]["field"], "url", "{err}");
    assert_eq!(
        ipc.ok("app_info", json!({}))["client_url"],
        "https://dbc.example.com:8443"
    );
}
