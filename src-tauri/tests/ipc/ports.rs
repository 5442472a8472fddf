//! The port planner through the app's commands on the demo network: a machine's ports in use
//! (details plus the custom forwards DBC Desk remembers sending), free suggestions, collisions
//! reported by `form_check`, and forwards forgotten when the VM is deleted.

use crate::common;

use common::start;
use serde_json::{json, Value};

const M: &str = "demo-2";

fn used(plan: &Value) -> Vec<(u64, String)> {
    plan["plan"]["used"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["from"].as_u64().unwrap(),
                u["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn ports_in_use_suggestions_collisions_and_forgetting() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    let fleet = ipc.ok("fleet", json!({"fresh": true}));
    let beta = fleet
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["entry"]["id"] == M)
        .expect("demo-2");
    let image = beta["info"]["images"][0]["image_name"].clone();
    let before = ipc.ok("port_plan", json!({"machineId": M}));
    let s = &before["suggested"];
    let spec = json!({"image_name": image, "ssh_port": s["ssh_port"], "vnc_port": s["vnc_port"],
        "cpu_cores": "2", "mem_size": "4", "disk_size": "10", "gpu_count": "2",
        "custom_port": ["tcp,8080:80", "udp,7000-7010"]});
    let vm = ipc.ok(
        "task_create",
        json!({"opts": {"machine_id": M, "spec": spec}}),
    );
    let tid = vm["task_id"].as_str().unwrap().to_string();

    let after = ipc.ok("port_plan", json!({"machineId": M}));
    let ports = used(&after);
    let ssh: u64 = s["ssh_port"].as_str().unwrap().parse().unwrap();
    assert!(ports.contains(&(ssh, "ssh".into())), "{after}");
    assert!(
        ports.contains(&(8080, "custom".into())) && ports.contains(&(7000, "custom".into())),
        "{after}"
    );
    assert_eq!(
        after["remembered"][&tid],
        json!(["tcp,8080:80", "udp,7000-7010"])
    );
    assert_ne!(
        after["suggested"]["ssh_port"], s["ssh_port"],
        "the next suggestion is another port"
    );

    // A second VM's form: the taken SSH port and forward are reported as the user types.
    let form = json!({"form": "create_task", "spec": {"image_name": image, "ssh_port": s["ssh_port"],
        "vnc_port": after["suggested"]["vnc_port"], "cpu_cores": "2", "mem_size": "4", "disk_size": "10",
        "custom_port": ["tcp,8080", "tcp,9000", "tcp,9000"]}, "ports": after["plan"]});
    let errs = ipc.ok("form_check", json!({"form": form}));
    let rules: Vec<(String, String)> = errs
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        rules.contains(&("ssh_port".into(), "port_taken".into())),
        "{errs}"
    );
    assert!(
        rules.contains(&("custom_port[0]".into(), "port_taken_forward".into())),
        "{errs}"
    );
    assert!(
        rules.contains(&("custom_port[2]".into(), "port_twice".into())),
        "{errs}"
    );

    // Remembered in the settings file (a restart starts a fresh demo network, so the file is
    // read directly), forgotten with the VM.
    let saved = || -> Value {
        let file = common::files_under(data.path())
            .into_iter()
            .find(|p| p.ends_with("settings.json"))
            .expect("settings saved");
        serde_json::from_slice::<Value>(&std::fs::read(file).unwrap()).unwrap()["settings"]
            ["forwards"]
            .clone()
    };
    assert_eq!(saved()[M][&tid], json!(["tcp,8080:80", "udp,7000-7010"]));

    // The public IP the node does not report back: remembered when sent, the next Modify form
    // starts from it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let r = ipc.call(
            "task_modify",
            json!({"opts": {"machine_id": M, "task_id": tid, "changes": {"new_public_ip": "203.0.113.9"}}}),
        );
        if r.is_ok() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "modify: {r:?}");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let plan = ipc.ok("port_plan", json!({"machineId": M}));
    assert_eq!(plan["public_ips"][&tid], "203.0.113.9", "{plan}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let r = ipc.call(
            "task_action",
            json!({"opts": {"machine_id": M, "task_id": tid, "action": "delete"}}),
        );
        if r.is_ok() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "delete: {r:?}");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let gone = ipc.ok("port_plan", json!({"machineId": M}));
    assert!(gone["remembered"].get(&tid).is_none(), "{gone}");
    assert!(gone["public_ips"].get(&tid).is_none(), "{gone}");
    assert_eq!(saved(), json!({}));
}
