//! The core paths every command shares: a form's field errors come back before any secret is
//! read, forms are judged by Rust's rules (`form_check`), and one HTTP client is reused across
//! commands instead of a new one (and new connections) per command.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{start, start_with, MemKeychain, DEMO_SEED};
use dbc_desk_lib::vault::Keychain;
use serde_json::{json, Value};
use zeroize::Zeroizing;

/// A keychain that works (its probe passes) but refuses to hand out wallet keys, as one that
/// locked itself does, counting the wallet keys asked for.
#[derive(Default)]
struct LockedKeychain(MemKeychain, Arc<AtomicUsize>);
impl Keychain for LockedKeychain {
    fn set(&self, name: &str, secret: &str) -> Result<(), String> {
        self.0.set(name, secret)
    }
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String> {
        if name.starts_with("wallet:") {
            self.1.fetch_add(1, Ordering::SeqCst);
            return Err("the system keychain is locked".into());
        }
        self.0.get(name)
    }
    fn delete(&self, name: &str) -> Result<(), String> {
        self.0.delete(name)
    }
}

fn add_wallet_and_machine(ipc: &common::Ipc, node_id: &Value, rent_order: &Value) -> Value {
    let w = ipc.ok(
        "wallet_add",
        json!({"input": {"name": "Main", "kind": "seed", "secret": DEMO_SEED, "derivation": "", "password": ""}}),
    );
    let m = ipc.ok(
        "machine_add",
        json!({"input": {"label": "rig", "node_id": node_id, "rent_order": rent_order,
                         "wallet_id": w["id"], "session_id": null, "session_id_sign": null}}),
    );
    m["id"].clone()
}

#[test]
fn field_errors_come_back_before_any_keychain_access() {
    let data = tempfile::tempdir().unwrap();
    let (node, order, mid) = {
        let ipc = start(data.path());
        let demo = ipc.ok("app_info", json!({}))["demo"]["machines"][0].clone();
        let mid = add_wallet_and_machine(&ipc, &demo["node_id"], &demo["rent_order"]);
        (demo["node_id"].clone(), demo["rent_order"].clone(), mid)
    };
    assert!(node.is_string() && order.is_string());

    // The next run finds the keychain locked.
    let keychain = LockedKeychain::default();
    let reads = keychain.1.clone();
    let ipc = start_with(data.path(), Box::new(keychain));
    let bad = json!({"opts": {"machine_id": mid, "spec": {"image_name": "ubuntu.img", "vnc_port": "80",
        "ssh_port": "20022", "cpu_cores": "2", "mem_size": "4", "disk_size": "10"}}});
    let err = ipc.call("task_create", bad).unwrap_err();
    assert_eq!(err["code"], "validation", "{err}");
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["image_name", "vnc_port"]);
    for (cmd, opts) in [
        (
            "disk_add",
            json!({"machine_id": mid, "task_id": "t1", "size_gb": "0", "mount_dir": ""}),
        ),
        (
            "lan_create",
            json!({"machine_id": mid, "name": "x", "ip_cidr": "10.0.0.0/8"}),
        ),
        (
            "task_logs",
            json!({"machine_id": mid, "task_id": "a/b", "end": "tail", "lines": 10}),
        ),
    ] {
        let err = ipc.call(cmd, json!({ "opts": opts })).unwrap_err();
        assert_eq!(err["code"], "validation", "{cmd}: {err}");
    }
    assert_eq!(reads.load(Ordering::SeqCst), 0, "no key was asked for");

    // A good form gets as far as the key, and says why it stops there.
    let good = json!({"opts": {"machine_id": mid, "spec": {"image_name": "ubuntu.qcow2", "vnc_port": "5901",
        "ssh_port": "20022", "cpu_cores": "2", "mem_size": "4", "disk_size": "10"}}});
    let err = ipc.call("task_create", good).unwrap_err();
    assert_eq!(err["code"], "vault", "{err}");
    assert_eq!(reads.load(Ordering::SeqCst), 1);
}

#[test]
fn forms_are_checked_by_the_request_builders() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    let check = |form: Value| -> Vec<String> {
        ipc.ok("form_check", json!({ "form": form }))
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect()
    };
    let spec = |extra: Value| {
        let mut s = json!({"image_name": "ubuntu.qcow2", "vnc_port": "5901", "ssh_port": "20022",
            "cpu_cores": "2", "mem_size": "4", "disk_size": "10"});
        s.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"form": "create_task", "spec": s})
    };
    assert!(check(spec(json!({}))).is_empty());
    // What the old TypeScript copy of the rules let through:
    assert_eq!(check(spec(json!({"desc": "d".repeat(1024)}))), ["desc"]);
    assert_eq!(
        check(spec(json!({"public_ip": "999.1.1.1"}))),
        ["public_ip"]
    );
    assert_eq!(
        check(spec(
            json!({"custom_port": ["tcp,80", "sctp,9"], "multicast": ["1.2.3.4:5"],
            "network_filters": ["in,tcp,22,0.0.0.0/0,allow"]})
        )),
        ["custom_port[1]", "multicast[0]", "network_filters[0]"]
    );
    assert_eq!(
        check(json!({"form": "lan", "name": "x", "ip_cidr": "10.0.0.0/33"})),
        ["network_name", "ip_cidr"]
    );
    assert_eq!(
        check(json!({"form": "disk_add", "size_gb": "ten", "mount_dir": "data"})),
        ["size", "mount_dir"]
    );
}

#[test]
fn one_http_client_is_reused_across_commands() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt
        .block_on(dbc_sim::SimServer::start(
            dbc_sim::SimConfig::demo().with_speed(2000.0),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let ipc = start_with(data.path(), Box::new(MemKeychain::default()));
    ipc.ok("connection_set", json!({ "url": sim.base_url() }));
    let cfg = dbc_sim::SimConfig::demo();
    let m = &cfg.machines[0];
    let order = m.rent_orders[0].id.to_string();
    let mid = add_wallet_and_machine(&ipc, &json!(m.node_id), &json!(order));

    let fleet = ipc.ok("fleet", json!({"fresh": true}));
    assert!(fleet[0]["error"].is_null(), "{fleet}");
    let after_first = sim.control().connections();
    assert!(after_first >= 1);
    for _ in 0..5 {
        ipc.ok("fleet", json!({"fresh": true}));
        ipc.ok("lan_list", json!({ "machineId": mid }));
        ipc.ok("image_servers", json!({}));
    }
    assert_eq!(
        sim.control().connections(),
        after_first,
        "later commands reuse the first connections"
    );
    rt.block_on(sim.shutdown());
}
