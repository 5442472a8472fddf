//! Disks, snapshots, VM settings, images and private LANs through the app's commands on the
//! demo network (the demo machine `demo-1` signs with the built-in demo wallet).

use crate::common;

use std::time::{Duration, Instant};

use common::{start, Ipc};
use serde_json::{json, Value};

const TASK: &str = "DemoVmAlpha0000000001";
const M: &str = "demo-1";

fn wait(what: &str, mut f: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(40));
    }
}

fn status(ipc: &Ipc) -> String {
    ipc.ok(
        "task_get",
        json!({"opts": {"machine_id": M, "task_id": TASK}}),
    )["detail"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

fn disks(ipc: &Ipc) -> Vec<String> {
    ipc.ok(
        "disk_list",
        json!({"opts": {"machine_id": M, "task_id": TASK}}),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|d| d["name"].as_str().unwrap().to_string())
    .collect()
}

#[test]
fn disks_snapshots_settings_images_and_lans() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    assert_eq!(
        ipc.ok("app_info", json!({}))["demo"]["machines"][0]["name"],
        "gpu-node-alpha"
    );

    // Disks and snapshots need the VM off: the node says so, in plain words.
    let err = ipc
        .call(
            "disk_add",
            json!({"opts": {"machine_id": M, "task_id": TASK, "size_gb": "10", "mount_dir": ""}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "wrong_state");
    assert_eq!(err["title"], "Stop the VM first");
    // The password can only change while it runs.
    let ok = ipc.ok(
        "task_passwd",
        json!({"opts": {"machine_id": M, "task_id": TASK, "username": "dbc", "password": "N3w-passw0rd"}}),
    );
    assert_eq!(ok, "ok");

    ipc.ok(
        "task_action",
        json!({"opts": {"machine_id": M, "task_id": TASK, "action": "poweroff"}}),
    );
    wait("closed", || status(&ipc) == "closed");
    let err = ipc
        .call(
            "task_passwd",
            json!({"opts": {"machine_id": M, "task_id": TASK, "username": "dbc", "password": "x"}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "wrong_state", "{err}");

    let before = disks(&ipc);
    assert!(before.contains(&"vda".to_string()), "{before:?}");
    let err = ipc
        .call(
            "disk_add",
            json!({"opts": {"machine_id": M, "task_id": TASK, "size_gb": "0", "mount_dir": ""}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "size");
    ipc.ok(
        "disk_add",
        json!({"opts": {"machine_id": M, "task_id": TASK, "size_gb": "10", "mount_dir": "/data"}}),
    );
    wait("a new disk", || disks(&ipc).len() == before.len() + 1);
    let added = disks(&ipc).last().unwrap().clone();
    ipc.ok(
        "disk_resize",
        json!({"opts": {"machine_id": M, "task_id": TASK, "disk": added, "add_gb": "5"}}),
    );
    let err = ipc
        .call(
            "disk_delete",
            json!({"opts": {"machine_id": M, "task_id": TASK, "disk": "vda"}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["rule"], "system");
    wait("the resize to finish", || {
        ipc.call(
            "disk_delete",
            json!({"opts": {"machine_id": M, "task_id": TASK, "disk": added}}),
        )
        .is_ok()
    });
    wait("the disk to go", || disks(&ipc).len() == before.len());

    let servers = ipc.ok("image_servers", json!({}));
    let server = servers[0].as_str().unwrap().to_string();
    ipc.ok("snapshot_create", json!({"opts": {"machine_id": M, "task_id": TASK, "name": "snap1", "desc": "before upgrade", "image_server": server}}));
    wait("the snapshot to be uploaded", || {
        let list = ipc.ok(
            "snapshot_list",
            json!({"opts": {"machine_id": M, "task_id": TASK}}),
        );
        list.as_array()
            .unwrap()
            .iter()
            .any(|s| s["snapshot_name"] == "snap1" && s["status"] == "none")
    });
    ipc.ok(
        "snapshot_delete",
        json!({"opts": {"machine_id": M, "task_id": TASK, "name": "snap1"}}),
    );
    let list = ipc.ok(
        "snapshot_list",
        json!({"opts": {"machine_id": M, "task_id": TASK}}),
    );
    assert!(list.as_array().unwrap().is_empty(), "{list}");

    // VM settings: a bad port is a field error; a good change is applied.
    let err = ipc
        .call(
            "task_modify",
            json!({"opts": {"machine_id": M, "task_id": TASK, "changes": {"new_vnc_port": "80"}}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "new_vnc_port");
    ipc.ok(
        "task_modify",
        json!({"opts": {"machine_id": M, "task_id": TASK, "changes": {"new_ssh_port": "20777"}}}),
    );
    let view = ipc.ok(
        "task_get",
        json!({"opts": {"machine_id": M, "task_id": TASK}}),
    );
    assert_eq!(view["detail"]["ssh_port"], "20777", "{view}");

    // Images: a server image not on the machine downloads with progress to done.
    let on_server = ipc.ok("images_on_server", json!({"imageServer": server}));
    let on_node: Vec<Value> = ipc
        .ok(
            "images_on_node",
            json!({"opts": {"machine_id": M, "image_server": null}}),
        )
        .as_array()
        .unwrap()
        .clone();
    let missing = on_server
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image_name"].as_str().unwrap().to_string())
        .find(|n| !on_node.iter().any(|i| i["image_name"] == n.as_str()))
        .expect("an image to download");
    ipc.ok(
        "image_transfer_start",
        json!({"opts": {"machine_id": M, "direction": "download", "image_server": server, "file": missing}}),
    );
    let mut seen = Vec::new();
    wait("the download to finish", || {
        let p = ipc.ok(
            "image_transfer_progress",
            json!({"opts": {"machine_id": M, "direction": "download", "file": missing}}),
        );
        seen.push(p["progress"].as_str().unwrap().to_string());
        p["status"] == "done"
    });
    assert_eq!(seen.last().unwrap(), "100%");
    let on_node = ipc.ok(
        "images_on_node",
        json!({"opts": {"machine_id": M, "image_server": null}}),
    );
    assert!(
        on_node
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["image_name"] == missing.as_str()),
        "{on_node}"
    );
    ipc.ok(
        "image_delete",
        json!({"opts": {"machine_id": M, "file": missing}}),
    );

    // Private LANs.
    let err = ipc
        .call(
            "lan_create",
            json!({"opts": {"machine_id": M, "name": "x", "ip_cidr": "10.0.0.0/8"}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "network_name");
    ipc.ok(
        "lan_create",
        json!({"opts": {"machine_id": M, "name": "teamnet1", "ip_cidr": "192.168.77.0/24"}}),
    );
    let lans = ipc.ok("lan_list", json!({"machineId": M}));
    assert!(
        lans.as_array()
            .unwrap()
            .iter()
            .any(|l| l["network_name"] == "teamnet1" && l["ip_cidr"] == "192.168.77.0/24"),
        "{lans}"
    );
    ipc.ok(
        "lan_delete",
        json!({"opts": {"machine_id": M, "name": "teamnet1"}}),
    );
    let err = ipc
        .call(
            "lan_delete",
            json!({"opts": {"machine_id": M, "name": "teamnet1"}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
}
