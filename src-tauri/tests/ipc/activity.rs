//! The activity centre through the app's commands against a simulator of the test's own: a VM
//! create is followed until the VM runs; an image download shows progress, is still followed
//! after the app restarts (kept in settings.json), ends once as done and can be dismissed.

use crate::common;

use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn wait_for(
    ipc: &common::Ipc,
    what: &str,
    secs: u64,
    pred: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let end = Instant::now() + Duration::from_secs(secs);
    loop {
        let list = ipc.ok("activity_list", json!({}));
        let list = list.as_array().unwrap().clone();
        if pred(&list) {
            return list;
        }
        assert!(Instant::now() < end, "{what}: still {list:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn find<'a>(list: &'a [Value], kind: &str) -> Option<&'a Value> {
    list.iter().find(|a| a["kind"] == kind)
}

#[test]
fn operations_are_followed_to_their_end_across_a_restart() {
    std::env::set_var("DBC_DESK_ACTIVITY_TICK_MS", "100");
    let mut cfg = dbc_sim::SimConfig::demo().with_speed(20.0);
    cfg.timing.create_secs = 40.0; // 2 s
    cfg.timing.download_secs = 160.0; // 8 s, in 10 % steps
    let own = common::OwnSim::start(cfg);
    let ipc = &own.ipc;
    let (_, m) = own.demo_machine(1);
    let watch = dbc_desk_lib::start_activity_watch(ipc.app().handle());

    // A VM create: followed until the VM runs.
    let fleet = ipc.ok("fleet", json!({"fresh": true}));
    let image = fleet[0]["info"]["images"][0]["image_name"].clone();
    let plan = ipc.ok("port_plan", json!({"machineId": m["id"]}));
    let s = &plan["suggested"];
    let spec = json!({"image_name": image, "ssh_port": s["ssh_port"], "vnc_port": s["vnc_port"],
        "cpu_cores": "2", "mem_size": "4", "disk_size": "10", "gpu_count": "2"});
    let vm = ipc.ok(
        "task_create",
        json!({"opts": {"machine_id": m["id"], "spec": spec}}),
    );
    let list = ipc.ok("activity_list", json!({}));
    let created = find(list.as_array().unwrap(), "vm_create")
        .expect("followed from the start")
        .clone();
    assert_eq!(created["state"], "running");
    assert_eq!(created["object"], vm["task_id"]);
    let list = wait_for(ipc, "create done", 20, |l| {
        find(l, "vm_create").is_some_and(|a| a["state"] == "done")
    });
    let created = find(&list, "vm_create").unwrap();
    assert!(
        created["checks"].as_u64().unwrap() >= 2,
        "it was seen creating first: {created}"
    );
    let task = ipc.ok(
        "task_get",
        json!({"opts": {"machine_id": m["id"], "task_id": vm["task_id"]}}),
    );
    assert_eq!(task["detail"]["status"], "running");

    // A download: progress, then the app quits half way.
    let server = ipc.ok("image_servers", json!({}))[0].clone();
    let file = "pytorch-2.3-cuda12.qcow2";
    ipc.ok(
        "image_transfer_start",
        json!({"opts": {"machine_id": m["id"], "direction": "download", "image_server": server, "file": file}}),
    );
    let list = wait_for(ipc, "some progress", 20, |l| {
        find(l, "image_download").is_some_and(|a| a["percent"].as_f64().unwrap_or(0.0) > 0.0)
    });
    let dl = find(&list, "image_download").unwrap().clone();
    assert_eq!(dl["state"], "running", "{dl}");
    assert_eq!(dl["object"], file);
    watch.abort();
    let data = own.data().to_path_buf();
    let own = own.restart();
    let ipc = &own.ipc;
    let saved = std::fs::read_to_string(
        common::files_under(&data)
            .into_iter()
            .find(|p| p.ends_with("settings.json"))
            .expect("settings.json"),
    )
    .unwrap();
    assert!(saved.contains(file), "the download is kept in the settings");

    // After a restart the download is listed, resumed and ends once as done.
    let list = ipc.ok("activity_list", json!({}));
    let again = find(list.as_array().unwrap(), "image_download")
        .expect("still listed")
        .clone();
    assert_eq!(again["id"], dl["id"]);
    assert_eq!(again["state"], "running");
    let watch = dbc_desk_lib::start_activity_watch(ipc.app().handle());
    let list = wait_for(ipc, "download done", 30, |l| {
        find(l, "image_download").is_some_and(|a| a["state"] == "done")
    });
    let done = find(&list, "image_download").unwrap();
    assert_eq!(done["percent"], 100.0);
    assert!(
        done["percent_per_min"].as_f64().is_some(),
        "a speed was measured: {done}"
    );
    let on_node = ipc.ok(
        "images_on_node",
        json!({"opts": {"machine_id": m["id"], "image_server": null}}),
    );
    assert!(
        on_node
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["image_name"] == file),
        "{on_node}"
    );

    // Dismissing ended ones; an unknown id is a clear error.
    let left = ipc.ok("activity_dismiss", json!({"id": done["id"]}));
    assert!(find(left.as_array().unwrap(), "image_download").is_none());
    let left = ipc.ok("activity_clear_ended", json!({}));
    assert!(left.as_array().unwrap().is_empty(), "{left}");
    let err = ipc
        .call("activity_recheck", json!({"id": "nope"}))
        .unwrap_err();
    assert_eq!(err["code"], "missing");
    watch.abort();
    own.stop();
}
