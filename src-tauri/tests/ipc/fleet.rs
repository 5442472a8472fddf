//! One machine that does not answer must not freeze the fleet view: each machine gets a bounded
//! wait, and what was last seen stays on screen, marked stale, with a plain-words error. Machine
//! info is cached for a while, dropped after a change made through the app or a full refresh.

use crate::common;

use std::time::{Duration, Instant};

use common::{start, Ipc, SimControl};
use serde_json::{json, Value};

/// One machine of a `fleet` reply.
fn machine(fleet: &Value, id: &str) -> Value {
    fleet
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entry"]["id"] == id)
        .unwrap_or_else(|| panic!("no machine {id} in {fleet}"))
        .clone()
}

fn fleet(ipc: &Ipc, fresh: bool) -> Value {
    ipc.ok("fleet", json!({ "fresh": fresh }))
}

#[test]
fn a_silent_machine_is_reported_with_its_last_known_state() {
    std::env::set_var("DBC_DESK_FLEET_TIMEOUT_MS", "700");
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    let sim = SimControl::of_demo(&ipc);

    let first = fleet(&ipc, false);
    let mid = first
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["entry"]["label"]
                .as_str()
                .unwrap()
                .starts_with("gpu-node-alpha")
        })
        .unwrap()["entry"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let alpha = machine(&first, &mid);
    assert_eq!(alpha["stale"], false);
    assert!(alpha["error"].is_null(), "{alpha}");
    let tasks_before = alpha["tasks"].clone();
    assert!(!tasks_before.as_array().unwrap().is_empty());

    // Every task list now takes 5 s on the "network".
    sim.fault(json!({"path": "tasks", "kind": "latency", "ms": 5000}));
    let t0 = Instant::now();
    let slow = fleet(&ipc, false);
    let took = t0.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "the fleet waited {took:?} for a silent machine"
    );
    let alpha = machine(&slow, &mid);
    assert_eq!(alpha["stale"], true, "{alpha}");
    assert_eq!(alpha["tasks"], tasks_before, "last known VMs are kept");
    assert_eq!(alpha["error"]["code"], "timeout");
    assert!(
        alpha["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did not answer"),
        "{alpha}"
    );

    sim.clear();
    let alpha = machine(&fleet(&ipc, false), &mid);
    assert_eq!(alpha["stale"], false);
    assert!(alpha["error"].is_null());

    // Machine info is reused for a while (the node gathers it at some cost): had alpha's info
    // been requested again, it would now wait 3 s and time out.
    sim.fault(json!({"path": "mining_nodes", "kind": "latency", "ms": 3000}));
    let alpha = machine(&fleet(&ipc, false), &mid);
    assert_eq!(alpha["stale"], false, "{alpha}");
    assert!(alpha["error"].is_null(), "{alpha}");
    assert!(alpha["info"]["gpu"]["gpu_count"].as_u64().unwrap() > 0);
    // …until the app changes something on that machine: then it is asked again.
    ipc.ok(
        "task_action",
        json!({"opts": {"machine_id": mid, "task_id": "DemoVmAlpha0000000001", "action": "reset"}}),
    );
    let alpha = machine(&fleet(&ipc, false), &mid);
    assert_eq!(
        alpha["stale"], true,
        "the info was requested again (and timed out): {alpha}"
    );
    sim.clear();

    // A full refresh (the Refresh button) asks again too.
    fleet(&ipc, false);
    sim.fault(json!({"path": "mining_nodes", "kind": "latency", "ms": 3000}));
    assert_eq!(machine(&fleet(&ipc, false), &mid)["stale"], false);
    let forced = machine(&fleet(&ipc, true), &mid);
    assert_eq!(forced["stale"], true, "{forced}");
    sim.clear();
}
