//! One machine that does not answer must not freeze the fleet view: each machine gets a bounded
//! wait, and what was last seen stays on screen, marked stale, with a plain-words error.

mod common;

use std::time::{Duration, Instant};

use common::start;
use serde_json::json;

#[test]
fn a_silent_machine_is_reported_with_its_last_known_state() {
    std::env::set_var("DBC_DESK_FLEET_TIMEOUT_MS", "700");
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    let sim = ipc.ok("app_info", json!({}))["demo"]["url"]
        .as_str()
        .unwrap()
        .to_string();

    let fresh = ipc.ok("fleet", json!({"fresh": false}));
    let alpha = fresh
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["entry"]["label"]
                .as_str()
                .unwrap()
                .starts_with("gpu-node-alpha")
        })
        .unwrap()
        .clone();
    assert_eq!(alpha["stale"], false);
    assert!(alpha["error"].is_null(), "{alpha}");
    let tasks_before = alpha["tasks"].clone();
    assert!(!tasks_before.as_array().unwrap().is_empty());

    // Every task list now takes 5 s on the "network".
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let post = |body: serde_json::Value| {
        rt.block_on(async {
            let r = reqwest::Client::new()
                .post(format!("{sim}/__sim/faults"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    };
    post(json!({"path": "tasks", "kind": "latency", "ms": 5000}));

    let t0 = Instant::now();
    let slow = ipc.ok("fleet", json!({"fresh": false}));
    let took = t0.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "the fleet waited {took:?} for a silent machine"
    );
    let alpha = slow
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entry"]["id"] == alpha["entry"]["id"])
        .unwrap()
        .clone();
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

    rt.block_on(async {
        reqwest::Client::new()
            .delete(format!("{sim}/__sim/faults"))
            .send()
            .await
            .unwrap();
    });
    let back = ipc.ok("fleet", json!({"fresh": false}));
    let alpha = back
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entry"]["id"] == alpha["entry"]["id"])
        .unwrap()
        .clone();
    assert_eq!(alpha["stale"], false);
    assert!(alpha["error"].is_null());

    // Machine info is reused for a while (the node gathers it at some cost)…
    post(json!({"path": "mining_nodes", "kind": "latency", "ms": 3000}));
    // (Had alpha's info been requested again, it would now wait 3 s and time out.)
    let cached = ipc.ok("fleet", json!({"fresh": false}));
    let alpha = cached
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entry"]["id"] == alpha["entry"]["id"])
        .unwrap()
        .clone();
    assert_eq!(alpha["stale"], false, "{alpha}");
    assert!(alpha["error"].is_null(), "{alpha}");
    assert!(alpha["info"]["gpu"]["gpu_count"].as_u64().unwrap() > 0);
    // …until the app changes something on that machine: then it is asked again.
    let mid = alpha["entry"]["id"].as_str().unwrap();
    ipc.ok(
        "task_action",
        json!({"machineId": mid, "taskId": "DemoVmAlpha0000000001", "action": "reset"}),
    );
    let after = ipc.ok("fleet", json!({"fresh": false}));
    let alpha = after
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entry"]["id"] == mid)
        .unwrap()
        .clone();
    assert_eq!(
        alpha["stale"], true,
        "the info was requested again (and timed out): {alpha}"
    );
    rt.block_on(async {
        reqwest::Client::new()
            .delete(format!("{sim}/__sim/faults"))
            .send()
            .await
            .unwrap();
    });

    // A full refresh (the Refresh button) asks again too.
    ipc.ok("fleet", json!({"fresh": false}));
    post(json!({"path": "mining_nodes", "kind": "latency", "ms": 3000}));
    let again = ipc.ok("fleet", json!({"fresh": false}));
    let find = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|f| f["entry"]["id"] == mid)
            .unwrap()
            .clone()
    };
    assert_eq!(find(&again)["stale"], false);
    let forced = ipc.ok("fleet", json!({"fresh": true}));
    assert_eq!(find(&forced)["stale"], true, "{}", find(&forced));
    rt.block_on(async {
        reqwest::Client::new()
            .delete(format!("{sim}/__sim/faults"))
            .send()
            .await
            .unwrap();
    });
}
