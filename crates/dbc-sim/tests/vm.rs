//! VM life cycle, state errors, create validation order, disks, snapshots, logs, LAN, images.

mod common;
use common::*;
use serde_json::{json, Value};

async fn status(s: &Sim, node: &str, order: &str, id: &str) -> String {
    let (code, msg) = s
        .ok_call(&format!("tasks/{id}"), node, order, json!({}))
        .await;
    assert_eq!(code, 0, "{msg}");
    msg["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn full_vm_life() {
    let s = Sim::demo().await;
    let (code, msg) = s.ok_call("tasks/start", BETA, "1002", linux_vm("2")).await;
    assert_eq!(code, 0, "{msg}");
    assert_eq!(msg["status"], "creating");
    assert_eq!(msg["desc"], "test vm");
    let id = msg["task_id"].as_str().unwrap().to_string();
    assert!((20..=22).contains(&id.len()), "{id}");
    assert_eq!(status(&s, BETA, "1002", &id).await, "creating");
    s.advance(601);
    let (_, d) = s
        .ok_call(&format!("tasks/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!(d["status"], "running");
    assert_eq!(d["os"], "linux");
    assert_eq!(d["ssh_port"], "20122");
    assert!(d.get("rdp_port").is_none());
    assert_eq!(d["cpu_cores"], 4);
    assert_eq!(d["gpu_count"], 2);
    assert_eq!(d["mem_size"], "16G");
    assert_eq!(d["disk_system"], "350G");
    assert_eq!(d["user_name"], "dbc");
    assert_eq!(d["login_password"].as_str().unwrap().len(), 16);
    assert_eq!(d["rent_order"], "1002");
    assert_eq!(d["ssh_ip"], "198.51.100.17");
    assert_eq!(d["disks"][1]["size"], "100G");
    assert!(d["interface"].is_array());
    // list shows it
    let (_, list) = s.ok_call("tasks", BETA, "1002", json!({})).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    // state errors on a running VM
    let (c, m) = s
        .ok_call(&format!("tasks/start/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "task is running"));
    let (c, m) = s
        .ok_call(&format!("disk/add/{id}"), BETA, "1002", json!({"size": 20}))
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (1, "please close task first and try again")
    );
    let (c, m) = s
        .ok_call(
            &format!("snapshot/create/{id}"),
            BETA,
            "1002",
            json!({"snapshot_name": "snap1", "image_server": "dbc-image-center-1"}),
        )
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (1, "please close task first and try again")
    );
    // shutdown
    let (c, m) = s
        .ok_call(&format!("tasks/shutdown/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (0, "ok"));
    assert_eq!(status(&s, BETA, "1002", &id).await, "being shutdown");
    let (c, m) = s
        .ok_call(&format!("tasks/shutdown/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "task is being shutdown"));
    s.advance(3);
    assert_eq!(status(&s, BETA, "1002", &id).await, "closed");
    let (c, m) = s
        .ok_call(&format!("tasks/poweroff/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "task is shut_off"));
    // disks: size must be a JSON integer
    let (c, m) = s
        .ok_call(
            &format!("disk/add/{id}"),
            BETA,
            "1002",
            json!({"size": "20"}),
        )
        .await;
    assert_eq!((c, m.as_str().unwrap()), (-3, "'size' is invalid"));
    let (c, m) = s
        .ok_call(
            &format!("disk/add/{id}"),
            BETA,
            "1002",
            json!({"size": 20, "mount_dir": "/mnt/x"}),
        )
        .await;
    assert_eq!((c, m.as_str().unwrap()), (-3, "/mnt/x is not exist"));
    let (c, _) = s
        .ok_call(&format!("disk/add/{id}"), BETA, "1002", json!({"size": 20}))
        .await;
    assert_eq!(c, 0);
    s.advance(6);
    let (_, disks) = s
        .ok_call(&format!("disk/list/{id}"), BETA, "1002", json!({}))
        .await;
    let names: Vec<&str> = disks
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["vda", "vdb", "vdc"]);
    assert_eq!(disks[2]["size"], "20G");
    let (c, _) = s
        .ok_call(
            &format!("disk/resize/{id}"),
            BETA,
            "1002",
            json!({"disk": "vdc", "size": 10}),
        )
        .await;
    assert_eq!(c, 0);
    let (c, m) = s
        .ok_call(
            &format!("disk/resize/{id}"),
            BETA,
            "1002",
            json!({"disk": "vdz", "size": 10}),
        )
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "task have no disk:vdz"));
    let (c, m) = s
        .ok_call(
            &format!("disk/delete/{id}"),
            BETA,
            "1002",
            json!({"disk": "vda"}),
        )
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (1, "can not allowed to delete disk:'vda'")
    );
    s.advance(6);
    let (_, disks) = s
        .ok_call(&format!("disk/list/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!(disks[2]["size"], "30G");
    // snapshot creating -> uploading -> none
    let (c, m) = s
        .ok_call(
            &format!("snapshot/create/{id}"),
            BETA,
            "1002",
            json!({"snapshot_name": "", "image_server": "dbc-image-center-1"}),
        )
        .await;
    assert_eq!((c, m.as_str().unwrap()), (-3, "'snapshot_name' is empty"));
    let (c, _) = s
        .ok_call(&format!("snapshot/create/{id}"), BETA, "1002", json!({"snapshot_name": "snap1", "desc": "first", "image_server": "dbc-image-center-1"}))
        .await;
    assert_eq!(c, 0);
    let snap = |s: &'static str| s;
    let (_, l) = s
        .ok_call(&format!("snapshot/list/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!(
        (
            l[0]["snapshot_name"].as_str().unwrap(),
            l[0]["status"].as_str().unwrap()
        ),
        ("snap1", snap("creating"))
    );
    assert_eq!(l[0]["description"], "first");
    s.advance(21);
    let (_, one) = s
        .ok_call(
            &format!("snapshot/list/{id}/snap1"),
            BETA,
            "1002",
            json!({}),
        )
        .await;
    assert_eq!(one["status"], "uploading");
    s.advance(61);
    let (_, one) = s
        .ok_call(
            &format!("snapshot/list/{id}/snap1"),
            BETA,
            "1002",
            json!({}),
        )
        .await;
    assert_eq!(one["status"], "none");
    let (c, m) = s
        .ok_call(&format!("snapshot/list/{id}/nope"), BETA, "1002", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "snapshot_name not exist"));
    let (c, m) = s
        .ok_call(
            &format!("snapshot/delete/{id}/nope"),
            BETA,
            "1002",
            json!({}),
        )
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "nope not exist"));
    let (_, l) = s
        .ok_call("snapshot/list/unknownTask", BETA, "1002", json!({}))
        .await;
    assert_eq!(l, json!([]));
    // start again
    let (c, _) = s
        .ok_call(&format!("tasks/start/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!(c, 0);
    assert_eq!(status(&s, BETA, "1002", &id).await, "starting");
    s.advance(4);
    assert_eq!(status(&s, BETA, "1002", &id).await, "running");
    // restart / reset
    let (c, _) = s
        .ok_call(
            &format!("tasks/restart/{id}?force_reboot=1"),
            BETA,
            "1002",
            json!({}),
        )
        .await;
    assert_eq!(c, 0);
    assert_eq!(status(&s, BETA, "1002", &id).await, "restarting");
    s.advance(6);
    let (c, _) = s
        .ok_call(&format!("tasks/reset/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!(c, 0);
    assert_eq!(status(&s, BETA, "1002", &id).await, "resetting");
    s.advance(4);
    // passwd
    let (c, _) = s
        .ok_call(
            &format!("tasks/passwd/{id}"),
            BETA,
            "1002",
            json!({"username": "dbc", "password": "Secret_123"}),
        )
        .await;
    assert_eq!(c, 0);
    let (_, d) = s
        .ok_call(&format!("tasks/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!(d["login_password"], "Secret_123");
    // logs
    let (c, logs) = s
        .ok_call(
            &format!("tasks/logs/{id}?flag=tail&line_num=3"),
            BETA,
            "1002",
            json!({}),
        )
        .await;
    assert_eq!(c, 0, "{logs}");
    assert_eq!(logs["task_id"], id.as_str());
    let lines = logs["log_content"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2]
            .as_str()
            .unwrap()
            .contains(&format!(" | {id} | info    | reset task successful")),
        "{lines:?}"
    );
    let (_, logs) = s
        .ok_call(
            &format!("tasks/logs/{id}?flag=head&line_num=1"),
            BETA,
            "1002",
            json!({}),
        )
        .await;
    assert!(logs["log_content"][0]
        .as_str()
        .unwrap()
        .ends_with("create task begin"));
    // modify
    let (c, m) = s
        .ok_call(
            &format!("tasks/modify/{id}"),
            BETA,
            "1002",
            json!({"new_ssh_port": "0"}),
        )
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (1, "new_ssh_port 0 is invalid! (usage: > 0)")
    );
    let (c, m) = s
        .ok_call(
            &format!("tasks/modify/{id}"),
            BETA,
            "1002",
            json!({"new_cpu_cores": "8"}),
        )
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "can not modify cpu cores"));
    let (c, m) = s
        .ok_call(
            &format!("tasks/modify/{id}"),
            BETA,
            "1002",
            json!({"new_vnc_port": "5990"}),
        )
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (0, "some changes will take effect on the next boot")
    );
    // delete
    let (c, _) = s
        .ok_call(&format!("tasks/delete/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!(c, 0);
    assert_eq!(status(&s, BETA, "1002", &id).await, "deleting");
    s.advance(3);
    let (c, m) = s
        .ok_call(&format!("tasks/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (-3, "task_id not exist"));
    let (c, m) = s
        .ok_call(&format!("tasks/delete/{id}"), BETA, "1002", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "task not exist"));
    assert!(s.ctl.task(BETA, &id).is_none());
}

/// Each step fixes the previous error; the node reports the first failing rule of §5.3.
#[tokio::test]
async fn create_validation_order() {
    let s = Sim::demo().await;
    let mut add = json!({"task_id": "short"});
    let steps: Vec<(&str, Value, &str)> = vec![
        ("task_id", json!("short"), "wrong task id length"),
        (
            "task_id",
            json!("abc-def-ghi-jkl-mno-pq"),
            "task id requires a combination of letters or numbers",
        ),
        (
            "task_id",
            json!("DemoVmAlpha0000000001"),
            "task id already existed",
        ),
        ("task_id", json!("MyCustomTaskId000001"), "__gpu__"),
    ];
    for (k, v, msg) in &steps {
        add[*k] = v.clone();
        if *msg == "__gpu__" {
            break;
        }
        let (c, m) = s.ok_call("tasks/start", ALPHA, "1001", add.clone()).await;
        assert_eq!((c, m.as_str().unwrap()), (1, *msg), "{add}");
    }
    let steps: Vec<(&str, Value, &str)> = vec![
        (
            "gpu_count",
            json!("x"),
            "gpu_count is invalid (usage: gpu_count >= 0)",
        ),
        (
            "gpu_count",
            json!("9"),
            "gpu_count exceeds number of leases",
        ),
        (
            "gpu_count",
            json!("1"),
            "unsupported operation system: beos (usage: 'linux' 'windows')",
        ),
        (
            "operation_system",
            json!("Ubuntu"),
            "unsupported bios mode: bogus (usage: 'legacy(default)'、'uefi'、'pxe')",
        ),
        ("bios_mode", json!("LEGACY"), "image_name is empty"),
        (
            "image_name",
            json!("x.img"),
            "'image_name' extension name is invalid",
        ),
        (
            "image_name",
            json!("nope.qcow2"),
            "'image_name' is not exist (path:/data/nope.qcow2)",
        ),
        (
            "image_name",
            json!("broken-overlay.qcow2"),
            "image backfile not exist: /data/missing-base.qcow2",
        ),
        (
            "image_name",
            json!("cuda-12.4-ubuntu.qcow2"),
            "invalid public ip",
        ),
        ("public_ip", json!(""), "ssh_port is empty"),
        ("ssh_port", json!(22022), "ssh_port is empty"),
        ("ssh_port", json!("22a"), "ssh_port is not digit"),
        (
            "ssh_port",
            json!("20022"),
            "port conflict, exist ssh_port = 20022",
        ),
        ("ssh_port", json!("20023"), "vnc_port is empty"),
        ("vnc_port", json!("abc"), "vnc_port is not digit"),
        (
            "vnc_port",
            json!("80"),
            "vnc_port is invalid (usage: [5900, 65535])",
        ),
        (
            "vnc_port",
            json!("5901"),
            "port conflict, exist vnc_port = 5901",
        ),
        ("vnc_port", json!("5902"), "cpu_cores is invalid"),
        ("cpu_cores", json!(8), "cpu_cores is invalid"),
        ("cpu_cores", json!("0"), "cpu_cores is invalid"),
        ("cpu_cores", json!("60"), "allocate cpu failed"),
        ("cpu_cores", json!("8"), "mem_size is invalid"),
        ("mem_size", json!("9999"), "allocate mem failed"),
        (
            "mem_size",
            json!("32"),
            "disk_size is invalid (usage: disk_size > 0)",
        ),
        ("disk_size", json!("999999"), "allocate disk failed"),
        (
            "disk_size",
            json!("50"),
            "data_file_name is not exist, path: /data/nope.qcow2",
        ),
        ("data_file_name", json!(""), "can not find network info"),
        ("network_name", json!(""), "multicast format: ip:port"),
        (
            "multicast",
            json!(["10.0.0.1:5000"]),
            "address is not a multicast address",
        ),
        (
            "multicast",
            json!(["239.1.1.1:0123"]),
            "invalid multicast port",
        ),
        (
            "multicast",
            json!(["239.1.1.1:5000"]),
            "invalid interface model type",
        ),
    ];
    add["operation_system"] = json!("beos");
    add["bios_mode"] = json!("bogus");
    add["public_ip"] = json!("1.2.3");
    add["data_file_name"] = json!("nope.qcow2");
    add["network_name"] = json!("nolan1");
    add["multicast"] = json!(["nonsense"]);
    add["interface_model_type"] = json!("virtio");
    for (k, v, msg) in steps {
        add[k] = v;
        let (c, m) = s.ok_call("tasks/start", ALPHA, "1001", add.clone()).await;
        assert_eq!(
            (c, m.as_str().unwrap()),
            (1, msg),
            "after setting {k}: {add}"
        );
    }
    add["interface_model_type"] = json!("e1000");
    let (c, m) = s.ok_call("tasks/start", ALPHA, "1001", add.clone()).await;
    assert_eq!(c, 0, "{m}");
    assert_eq!(m["task_id"], "MyCustomTaskId000001");
    // partial order on beta: must use exactly the rented GPU count; gpu_count "0" too
    for g in ["0", "1"] {
        let (c, m) = s.ok_call("tasks/start", BETA, "1002", linux_vm(g)).await;
        assert_eq!(
            (c, m.as_str().unwrap()),
            (1, "only use the number what you exactly rented")
        );
    }
    // partial share of CPU: 32 cores * 2/4 GPUs = 16
    let mut vm = linux_vm("2");
    vm["cpu_cores"] = json!("17");
    let (c, m) = s.ok_call("tasks/start", BETA, "1002", vm).await;
    assert_eq!((c, m.as_str().unwrap()), (1, "allocate cpu failed"));
    // windows: rdp_port validated instead of ssh_port
    let mut w = linux_vm("2");
    w["operation_system"] = json!("windows");
    w["image_name"] = json!("windows-server-2022.qcow2");
    let (c, m) = s.ok_call("tasks/start", BETA, "1002", w.clone()).await;
    assert_eq!((c, m.as_str().unwrap()), (1, "rdp_port is empty"));
    w["rdp_port"] = json!("23389");
    let (c, m) = s.ok_call("tasks/start", BETA, "1002", w).await;
    assert_eq!(c, 0, "{m}");
    s.advance(601);
    let (_, d) = s
        .ok_call(
            &format!("tasks/{}", m["task_id"].as_str().unwrap()),
            BETA,
            "1002",
            json!({}),
        )
        .await;
    assert_eq!(
        (
            d["os"].as_str().unwrap(),
            d["rdp_port"].as_str().unwrap(),
            d["user_name"].as_str().unwrap()
        ),
        ("windows", "23389", "Administrator")
    );
    // GPUs of the order are now all used
    let (c, m) = s.ok_call("tasks/start", BETA, "1002", linux_vm("2")).await;
    assert_eq!((c, m.as_str().unwrap()), (1, "allocate gpu failed"));
}

#[tokio::test]
async fn other_users_cannot_see_tasks() {
    let s = Sim::demo().await;
    let (c, m) = s
        .ok_call("tasks/DemoVmAlpha0000000001", ALPHA, "1001", json!({}))
        .await;
    assert_eq!(c, 0, "{m}");
    let (c, m) = s
        .ok_call("tasks/NoSuchTask", ALPHA, "1001", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (-3, "task_id not exist"));
}

#[tokio::test]
async fn lan_and_images() {
    let s = Sim::demo().await;
    for (name, cidr, msg) in [
        ("", "10.1.0.0/24", "network name can not be empty"),
        (
            "ab",
            "10.1.0.0/24",
            "network name requires a combination of 6 to 10 letters or numbers",
        ),
        ("mylan01", "", "ip cidr can not be empty"),
        ("mylan01", "192.168.122.0/24", "ip cidr already exist"),
        ("mylan01", "10.1.0/24", "invalid ip cidr"),
    ] {
        let (c, m) = s
            .ok_call(
                "lan/create",
                ALPHA,
                "1001",
                json!({"network_name": name, "ip_cidr": cidr}),
            )
            .await;
        assert_eq!((c, m.as_str().unwrap()), (-3, msg));
    }
    let (c, _) = s
        .ok_call(
            "lan/create",
            ALPHA,
            "1001",
            json!({"network_name": "mylan01", "ip_cidr": "192.168.66.0/24"}),
        )
        .await;
    assert_eq!(c, 0);
    let (c, m) = s
        .ok_call(
            "lan/create",
            ALPHA,
            "1001",
            json!({"network_name": "mylan01", "ip_cidr": "192.168.66.0/24"}),
        )
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (-3, "network name already existed")
    );
    let mut vm = linux_vm("1");
    vm["network_name"] = json!("mylan01");
    let (c, m) = s.ok_call("tasks/start", ALPHA, "1001", vm).await;
    assert_eq!(c, 0, "{m}");
    let id = m["task_id"].as_str().unwrap().to_string();
    let (_, v) = s
        .post(
            "lan/mylan01",
            &json!({"peer_nodes_list": [ALPHA], "additional": {}}),
        )
        .await;
    assert_eq!(v["message"]["members"], json!([id]));
    assert_eq!(v["message"]["ip_start"], "192.168.66.2");
    assert_eq!(v["message"]["rent_wallet"], dbc_sim::DEMO_WALLET);
    let (_, v) = s
        .post("lan", &json!({"peer_nodes_list": [], "additional": {}}))
        .await;
    assert_eq!(v["message"]["networks"][0]["network_name"], "mylan01");
    let (c, m) = s
        .ok_call("lan/delete/mylan01", ALPHA, "1001", json!({}))
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (
            -3,
            "network is in used, please delete task in the network first"
        )
    );
    s.ok_call(&format!("tasks/delete/{id}"), ALPHA, "1001", json!({}))
        .await;
    s.advance(3);
    let (c, m) = s
        .ok_call("lan/delete/mylan01", ALPHA, "1001", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (0, "ok"));
    let (c, m) = s
        .ok_call("lan/delete/mylan01", ALPHA, "1001", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (-3, "network name not exist"));

    // image download with progress
    let add = json!({"image_server": "dbc-image-center-1", "image_filename": "pytorch-2.3-cuda12.qcow2", "local_dir": "/data"});
    let (c, m) = s
        .ok_call("images/download", GAMMA, "1003", add.clone())
        .await;
    assert_eq!((c, m.as_str().unwrap()), (0, "ok"));
    let (c, m) = s.ok_call("images/download", GAMMA, "1003", add).await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (1, "image:pytorch-2.3-cuda12.qcow2 in downloading")
    );
    let (c, m) =
        s.ok_call("images/download", GAMMA, "1003", json!({"image_server": "dbc-image-center-1", "image_filename": "x.qcow2", "local_dir": "/data"})).await;
    assert_eq!((c, m.as_str().unwrap()), (1, "image:x.qcow2 not exist"));
    let (_, p) = s
        .ok_call(
            "images/downloadprogress",
            GAMMA,
            "1003",
            json!({"image_filename": "pytorch-2.3-cuda12.qcow2"}),
        )
        .await;
    assert_eq!(
        (
            p["status"].as_str().unwrap(),
            p["progress"].as_str().unwrap()
        ),
        ("downloading", "0%")
    );
    let mut vm = linux_vm("1");
    vm["image_name"] = json!("pytorch-2.3-cuda12.qcow2");
    let (c, m) = s.ok_call("tasks/start", GAMMA, "1003", vm.clone()).await;
    assert_eq!((c, m.as_str().unwrap()), (1, "'image_name':pytorch-2.3-cuda12.qcow2 in downloading or uploading, please try again later"));
    s.advance(60);
    let (_, p) = s
        .ok_call(
            "images/downloadprogress",
            GAMMA,
            "1003",
            json!({"image_filename": "pytorch-2.3-cuda12.qcow2"}),
        )
        .await;
    assert_eq!(p["progress"], "50%");
    s.advance(61);
    let (_, p) = s
        .ok_call(
            "images/downloadprogress",
            GAMMA,
            "1003",
            json!({"image_filename": "pytorch-2.3-cuda12.qcow2"}),
        )
        .await;
    assert_eq!(
        (
            p["status"].as_str().unwrap(),
            p["progress"].as_str().unwrap()
        ),
        ("done", "100%")
    );
    let (c, m) = s.ok_call("tasks/start", GAMMA, "1003", vm).await;
    assert_eq!(c, 0, "{m}");
    // delete image errors
    let (c, m) = s
        .ok_call(
            "images/delete",
            GAMMA,
            "1003",
            json!({"image_filename": "nope.qcow2"}),
        )
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (1, "image file:nope.qcow2 is not exist")
    );
    let (c, m) = s
        .ok_call(
            "images/delete",
            GAMMA,
            "1003",
            json!({"image_filename": "windows-server-2022.qcow2"}),
        )
        .await;
    assert_eq!((c, m.as_str().unwrap()), (0, "ok"));
    // download needs a configured image server (gateway error)
    let (st, v) = s
        .call(
            "images/download",
            GAMMA,
            "1003",
            json!({"image_server": "zzz", "image_filename": "a.qcow2", "local_dir": "/data"}),
        )
        .await;
    assert_eq!(
        (
            st,
            v["errcode"].as_i64().unwrap(),
            v["message"].as_str().unwrap()
        ),
        (400, -25, "image_server not exist")
    );
}

#[tokio::test]
async fn misc_endpoints() {
    let s = Sim::demo().await;
    let id = "DemoVmAlpha0000000001";
    // stop is an alias of poweroff
    let (c, _) = s
        .ok_call(&format!("tasks/stop/{id}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(c, 0);
    assert_eq!(status(&s, ALPHA, "1001", id).await, "being poweroff");
    s.advance(3);
    assert_eq!(status(&s, ALPHA, "1001", id).await, "closed");
    let (c, m) = s
        .ok_call(&format!("tasks/reset/{id}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (1, "task is shut_off"));
    let (c, m) = s
        .ok_call(
            &format!("tasks/passwd/{id}"),
            ALPHA,
            "1001",
            json!({"username": "dbc", "password": "x"}),
        )
        .await;
    assert_eq!(
        (c, m.as_str().unwrap()),
        (1, "Only the running task can change the password")
    );
    // image list with auth (mode 3) adds the stopped VM's system disk
    let (c, imgs) = s.ok_call("images", ALPHA, "1001", json!({})).await;
    assert_eq!(c, 0);
    assert!(
        imgs.as_array()
            .unwrap()
            .iter()
            .any(|i| i["image_name:"].as_str().unwrap().starts_with("vm_")),
        "{imgs}"
    );
    // ubuntu is no longer in use by a running VM, so it is listed (without auth, mode 2)
    let (_, v) = s.post("images", &json!({"peer_nodes_list": [ALPHA], "additional": {"image_server": "dbc-image-center-1"}})).await;
    let names: Vec<&str> = v["message"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image_name:"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"ubuntu-22.04.qcow2") && names.contains(&"cuda-12.4-ubuntu.qcow2"),
        "{names:?}"
    );
    // rent order by id, peers, free memory, monitor
    let (_, v) = s
        .post(
            "rent_orders/1001",
            &json!({"peer_nodes_list": [ALPHA], "additional": {}}),
        )
        .await;
    assert_eq!(v["message"]["rent_orders"].as_array().unwrap().len(), 1);
    let (st, v) = s.post("peers/active", &json!({})).await;
    assert_eq!(
        (st, v["message"]["peer_nodes"].as_array().unwrap().len()),
        (200, 4)
    );
    let (c, m) = s
        .ok_call("mining_nodes/free_memory", ALPHA, "1001", json!({}))
        .await;
    assert_eq!((c, m.as_str().unwrap()), (0, "ok"));
    let (c, _) = s
        .ok_call(
            "monitor/set",
            ALPHA,
            "1001",
            json!({"servers": ["10.0.0.1:10051"]}),
        )
        .await;
    assert_eq!(c, 0);
    let (_, m) = s.ok_call("monitor", ALPHA, "1001", json!({})).await;
    assert_eq!(m["servers"], json!(["10.0.0.1:10051"]));
    // deterministic ids for a seed
    let a = Sim::demo().await;
    let b = Sim::demo().await;
    let (_, ma) = a.ok_call("tasks/start", BETA, "1002", linux_vm("2")).await;
    let (_, mb) = b.ok_call("tasks/start", BETA, "1002", linux_vm("2")).await;
    assert_eq!(ma["task_id"], mb["task_id"]);
}
