//! The app's commands through Tauri's IPC layer on the mock runtime (no display): the same
//! command set, state and plugins as the real app, against the built-in demo network.

use crate::common;

use std::time::{Duration, Instant};

use common::{files_under, start, DEMO_SEED};
use serde_json::{json, Value};

#[test]
fn renter_flow_through_ipc_on_the_demo_network() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());

    // Nothing configured: the demo network is up, with the public demo wallet and machines.
    let info = ipc.ok("app_info", json!({}));
    let demo = &info["demo"];
    assert!(demo["url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert_eq!(
        demo["wallet_address"],
        "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4"
    );
    let demo_machine = demo["machines"][0].clone();
    assert_eq!(info["vault"]["backend"], "keychain");

    // Bad input is refused with field errors before anything is stored.
    let err = ipc
        .call("wallet_add", json!({"input": {"name": "", "kind": "seed", "secret": "abc", "derivation": "", "password": ""}}))
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["fields"][0]["field"], "name");
    let err = ipc
        .call("wallet_add", json!({"input": {"name": "x", "kind": "seed", "secret": "abc", "derivation": "", "password": ""}}))
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "secret");

    // Add a wallet: the reply carries the name and address, never the secret.
    let w = ipc.ok(
        "wallet_add",
        json!({"input": {"name": "Main", "kind": "seed", "secret": DEMO_SEED, "derivation": "", "password": ""}}),
    );
    assert_eq!(w["address"], demo["wallet_address"]);
    assert!(!w.to_string().contains(DEMO_SEED));
    let wallets = ipc.ok("wallet_list", json!({}));
    assert_eq!(
        wallets.as_array().unwrap().len(),
        2,
        "demo wallet + ours: {wallets}"
    );

    // Finding the rent order id: the machine's orders for this wallet, active first.
    let beta = demo["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "gpu-node-beta")
        .unwrap()
        .clone();
    let found = ipc.ok(
        "rent_orders_find",
        json!({"opts": {"node_id": beta["node_id"], "wallet_id": w["id"]}}),
    );
    assert_eq!(found["source"], "chain", "{found}");
    assert_eq!(found["orders"][0]["id"], beta["rent_order"], "{found}");
    assert_eq!(found["orders"][0]["renter"], w["address"]);
    let bob = ipc.ok(
        "wallet_add",
        json!({"input": {"name": "Bob", "kind": "mnemonic", "secret": "//Bob", "derivation": "", "password": ""}}),
    );
    let none = ipc.ok(
        "rent_orders_find",
        json!({"opts": {"node_id": beta["node_id"], "wallet_id": bob["id"]}}),
    );
    // Nothing on the chain: the machine's own list is asked too, and it has nothing for Bob.
    assert_eq!(none["orders"], json!([]), "Bob rents nothing: {none}");
    assert_eq!(none["source"], "node", "{none}");
    let err = ipc
        .call(
            "rent_orders_find",
            json!({"opts": {"node_id": "nope", "wallet_id": null}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "node_id");
    ipc.ok("wallet_remove", json!({"id": bob["id"]}));

    // Add a machine; a bad machine id is refused.
    let err = ipc
        .call("machine_add", json!({"input": {"label": "m", "node_id": "xyz", "rent_order": "1", "wallet_id": w["id"], "session_id": null, "session_id_sign": null}}))
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "node_id");
    let m = ipc.ok(
        "machine_add",
        json!({"input": {"label": "GPU box", "node_id": demo_machine["node_id"], "rent_order": demo_machine["rent_order"], "wallet_id": w["id"], "session_id": null, "session_id_sign": null}}),
    );
    let mid = m["id"].as_str().unwrap().to_string();

    // A machine reached through a session someone shared (mode C): its signature goes to the
    // vault, never to the settings file, and the fleet shows the renter's VMs through it.
    let alpha = demo["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "gpu-node-alpha")
        .unwrap()
        .clone();
    let bad = ipc
        .call("machine_add", json!({"input": {"label": "Shared", "node_id": alpha["node_id"], "rent_order": alpha["rent_order"], "wallet_id": null, "session_id": dbc_sim::DEMO_SESSION_ID, "session_id_sign": "12ab"}}))
        .unwrap_err();
    assert_eq!(bad["fields"][0]["field"], "session_id_sign");
    let shared_m = ipc.ok(
        "machine_add",
        json!({"input": {"label": "Shared alpha", "node_id": alpha["node_id"], "rent_order": alpha["rent_order"], "wallet_id": null, "session_id": dbc_sim::DEMO_SESSION_ID, "session_id_sign": dbc_sim::DEMO_SESSION_SIGN}}),
    );
    assert_eq!(
        shared_m["auth"],
        json!({"kind": "session", "session_id": dbc_sim::DEMO_SESSION_ID})
    );

    // Fleet: our machine with its info.
    let fleet = ipc.ok("fleet", json!({"fresh": false}));
    let ours = fleet
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entry"]["id"] == mid.as_str())
        .unwrap()
        .clone();
    assert!(ours["error"].is_null(), "{ours}");
    assert!(ours["info"]["gpu"]["gpu_count"].as_u64().unwrap() > 0);
    assert_eq!(ours["rent"]["id"], demo_machine["rent_order"], "{ours}");
    assert!(ours["rent"]["gpu_nums"].as_u64().unwrap() > 0);
    let image = ours["info"]["images"][0]["image_name"]
        .as_str()
        .unwrap()
        .to_string();

    // Create a VM, see it run, read its SSH command.
    let spec = json!({"task_id": "", "gpu_count": "", "desc": "ipc test", "operation_system": "linux", "bios_mode": "",
        "image_name": image, "public_ip": "", "ssh_port": "20122", "rdp_port": "", "vnc_port": "5955", "cpu_cores": "4",
        "mem_size": "8", "disk_size": "20", "data_file_name": "", "network_name": "", "custom_port": [], "multicast": [],
        "network_filters": [], "interface_model_type": ""});
    let bad = ipc
        .call(
            "task_create",
            json!({"opts": {"machine_id": mid, "spec": {"vnc_port": "80", "image_name": image}}}),
        )
        .unwrap_err();
    assert!(
        bad["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "vnc_port"),
        "{bad}"
    );
    let created = ipc.ok(
        "task_create",
        json!({"opts": {"machine_id": mid, "spec": spec}}),
    );
    assert_eq!(created["status"], "creating");
    let tid = created["task_id"].as_str().unwrap().to_string();
    let wait_for = |want: &str| {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let v = ipc.ok(
                "task_get",
                json!({"opts": {"machine_id": mid, "task_id": tid}}),
            );
            if v["detail"]["status"] == want {
                return v;
            }
            assert!(Instant::now() < until, "never reached {want}: {v}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let view = wait_for("running");
    assert_eq!(view["connection"]["safe"], true, "{view}");
    let ssh = view["connection"]["ssh_command"].as_str().unwrap();
    assert!(
        ssh.starts_with("ssh -p 20122 ") && ssh.contains('@'),
        "{ssh}"
    );

    // Shut down, then a wrong-state action maps to plain words with the node's message kept.
    ipc.ok(
        "task_action",
        json!({"opts": {"machine_id": mid, "task_id": tid, "action": "shutdown"}}),
    );
    wait_for("closed");
    let err = ipc
        .call(
            "task_action",
            json!({"opts": {"machine_id": mid, "task_id": tid, "action": "shutdown"}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "wrong_state");
    assert_eq!(err["reply"]["errcode"], 1);
    assert!(
        err["reply"]["message"]
            .as_str()
            .unwrap()
            .starts_with("task is "),
        "{err}"
    );
    let logs = ipc.ok(
        "task_logs",
        json!({"opts": {"machine_id": mid, "task_id": tid, "end": "tail", "lines": 10}}),
    );
    assert!(!logs.as_array().unwrap().is_empty());

    // Share the session (renter only), then delete the VM.
    let shared = ipc.ok("session_share", json!({"machineId": mid}));
    assert_eq!(shared["session_id_sign"].as_str().unwrap().len(), 128);
    ipc.ok(
        "task_action",
        json!({"opts": {"machine_id": mid, "task_id": tid, "action": "delete"}}),
    );
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        match ipc.call(
            "task_get",
            json!({"opts": {"machine_id": mid, "task_id": tid}}),
        ) {
            Err(e) if e["code"] == "not_found" => break,
            _ => assert!(Instant::now() < until, "VM was never deleted"),
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    // A wallet in use cannot be removed; preferences are validated and saved.
    let err = ipc
        .call("wallet_remove", json!({"id": w["id"]}))
        .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("GPU box"));
    let err = ipc.call("prefs_set", json!({"prefs": {"poll_fast_ms": 1, "poll_slow_ms": 15000, "language": "en", "theme": "dark"}})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "poll_fast_ms");
    ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 1500, "poll_slow_ms": 20000, "language": "en", "theme": "dark"}}));
    // A language the app does not speak is refused; "" follows the OS, the offered ones save.
    let err = ipc.call("prefs_set", json!({"prefs": {"poll_fast_ms": 1500, "poll_slow_ms": 20000, "language": "fr", "theme": "dark"}})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "language", "{err}");
    for lang in ["", "zh-CN", "ko"] {
        let saved = ipc.ok("prefs_set", json!({"prefs": {"poll_fast_ms": 1500, "poll_slow_ms": 20000, "language": lang, "theme": "dark"}}));
        assert_eq!(saved["language"], lang);
    }

    // No secret in any file the app wrote.
    let files = files_under(data.path());
    assert!(
        files.iter().any(|p| p.ends_with("settings.json")),
        "{files:?}"
    );
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).to_string();
        assert!(!text.contains(DEMO_SEED), "seed found in {}", f.display());
        assert!(
            !text.contains(shared["session_id_sign"].as_str().unwrap()),
            "session signature in {}",
            f.display()
        );
        assert!(
            !text.to_lowercase().contains("5437db36c5532df3"),
            "key material in {}",
            f.display()
        );
    }
    let saved: Value = serde_json::from_str(
        &std::fs::read_to_string(data.path().join("com.tauri.dev/settings.json")).unwrap_or_else(
            |_| {
                let p = files_under(data.path())
                    .into_iter()
                    .find(|p| p.ends_with("settings.json"))
                    .unwrap();
                std::fs::read_to_string(p).unwrap()
            },
        ),
    )
    .unwrap();
    assert_eq!(saved["schema"], 1);
    assert_eq!(saved["settings"]["machines"][0]["label"], "GPU box");
    assert_eq!(saved["settings"]["prefs"]["poll_fast_ms"], 1500);
}
