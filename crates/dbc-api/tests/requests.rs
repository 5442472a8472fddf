//! Pure request building: envelope, field types, paths, queries and validation, per endpoint.

use std::sync::Arc;

use dbc_api::auth::Auth;
use dbc_api::keys::{verify, Wallet};
use dbc_api::request::{
    self as rq, ApiRequest, CreateTask, LogEnd, Machine, ModifyTask, TaskAction,
};
use serde_json::{json, Value};

const DEMO_SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
const T: &str = "75M7MfQsC1WopDZigxf21c";

fn node() -> String {
    "ab".repeat(32)
}
fn machine() -> Machine {
    Machine::new(node(), Some("1234".into()))
}
fn wallet() -> Auth {
    Auth::Wallet(Arc::new(Wallet::from_hex_seed(DEMO_SEED).unwrap()))
}
fn body(r: &ApiRequest) -> Value {
    r.body(&wallet()).unwrap()
}
fn minimal_create() -> CreateTask {
    CreateTask {
        image_name: "ubuntu.qcow2".into(),
        ssh_port: "20022".into(),
        vnc_port: "5901".into(),
        cpu_cores: "8".into(),
        mem_size: "32".into(),
        disk_size: "100".into(),
        ..Default::default()
    }
}

/// Every machine-level builder, for checks that apply to all of them.
fn all_machine_requests() -> Vec<ApiRequest> {
    let m = machine();
    vec![
        rq::machine_info(&m, None).unwrap().into(),
        rq::session_id(&m).unwrap().into(),
        rq::rent_orders(&m, None).unwrap().into(),
        rq::create_task(&m, &minimal_create()).unwrap().into(),
        rq::task_detail(&m, T).unwrap().into(),
        rq::task_list(&m).unwrap().into(),
        rq::task_action(&m, TaskAction::Start, T).unwrap().into(),
        rq::task_action(&m, TaskAction::Shutdown, T).unwrap().into(),
        rq::task_action(&m, TaskAction::Poweroff, T).unwrap().into(),
        rq::task_action(&m, TaskAction::Reset, T).unwrap().into(),
        rq::task_action(&m, TaskAction::Delete, T).unwrap().into(),
        rq::task_restart(&m, T, false).unwrap().into(),
        rq::task_logs(&m, T, LogEnd::Tail, 50).unwrap().into(),
        rq::task_passwd(&m, T, "dbc", "s3cret!").unwrap().into(),
        rq::task_modify(
            &m,
            T,
            &ModifyTask {
                new_ssh_port: "2222".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .into(),
        rq::disk_list(&m, T).unwrap().into(),
        rq::disk_resize(&m, T, "vdb", "20").unwrap().into(),
        rq::disk_add(&m, T, "20", "").unwrap().into(),
        rq::disk_delete(&m, T, "vdc").unwrap().into(),
        rq::snapshot_list(&m, T).unwrap().into(),
        rq::snapshot_detail(&m, T, "snap1").unwrap().into(),
        rq::snapshot_create(&m, T, "snap1", "before upgrade", "img1")
            .unwrap()
            .into(),
        rq::snapshot_delete(&m, T, "snap1").unwrap().into(),
        rq::images_on_node(&m, None, true).unwrap().into(),
        rq::image_download(&m, "img1", "ubuntu.qcow2", "")
            .unwrap()
            .into(),
        rq::image_download_progress(&m, "ubuntu.qcow2")
            .unwrap()
            .into(),
        rq::image_download_stop(&m, "ubuntu.qcow2").unwrap().into(),
        rq::image_upload(Some(&m), "ubuntu.qcow2", "img1")
            .unwrap()
            .into(),
        rq::image_upload_progress(Some(&m), "ubuntu.qcow2")
            .unwrap()
            .into(),
        rq::image_upload_stop(Some(&m), "ubuntu.qcow2")
            .unwrap()
            .into(),
        rq::image_delete(&m, "ubuntu.qcow2").unwrap().into(),
        rq::lan_create(&m, "testnet", "192.168.66.0/24")
            .unwrap()
            .into(),
        rq::lan_delete(&m, "testnet").unwrap().into(),
        rq::lan_list(Some(&m)).unwrap().into(),
        rq::lan_detail(Some(&m), "testnet").unwrap().into(),
    ]
}

#[test]
fn envelope_on_every_machine_call() {
    for r in all_machine_requests() {
        let b = body(&r);
        assert_eq!(b["peer_nodes_list"], json!([node()]), "{}", r.op);
        assert!(b["additional"].is_object(), "{}", r.op);
        assert_eq!(
            b["rent_order"],
            json!("1234"),
            "rent_order as a string on {}",
            r.op
        );
        if r.auth != rq::AuthNeed::None {
            let nonce = b["nonce"].as_str().unwrap();
            assert!(verify(
                b["wallet"].as_str().unwrap(),
                nonce.as_bytes(),
                b["sign"].as_str().unwrap()
            ));
        } else {
            assert!(b.get("wallet").is_none(), "{} sends no auth", r.op);
        }
    }
}

#[test]
fn rent_order_may_be_omitted() {
    let m = Machine::new(node(), None);
    let b = body(&rq::task_list(&m).unwrap());
    assert!(b.get("rent_order").is_none());
    let m = Machine::new(node(), Some(String::new()));
    assert!(body(&rq::task_list(&m).unwrap())
        .get("rent_order")
        .is_none());
}

#[test]
fn gateway_local_calls_have_empty_peer_list() {
    for r in [
        rq::machine_list().into(),
        rq::image_servers().into(),
        rq::images_on_server("img1").unwrap().into(),
        rq::image_upload(None, "x.qcow2", "img1").unwrap().into(),
        rq::lan_list(None).unwrap().into(),
    ] {
        let b = body(&r);
        assert_eq!(b["peer_nodes_list"], json!([]), "{}", r.op);
        assert!(b.get("rent_order").is_none());
    }
    assert_eq!(rq::version().url_path(), "/api/v1/");
}

#[test]
fn paths_and_queries() {
    let m = machine();
    let cases: Vec<(ApiRequest, String)> = vec![
        (rq::machine_list().into(), "/api/v1/mining_nodes".into()),
        (
            rq::session_id(&m).unwrap().into(),
            "/api/v1/mining_nodes/session_id".into(),
        ),
        (
            rq::create_task(&m, &minimal_create()).unwrap().into(),
            "/api/v1/tasks/start".into(),
        ),
        (
            rq::task_detail(&m, T).unwrap().into(),
            format!("/api/v1/tasks/{T}"),
        ),
        (rq::task_list(&m).unwrap().into(), "/api/v1/tasks".into()),
        (
            rq::task_action(&m, TaskAction::Shutdown, T).unwrap().into(),
            format!("/api/v1/tasks/shutdown/{T}"),
        ),
        (
            rq::task_action(&m, TaskAction::Poweroff, T).unwrap().into(),
            format!("/api/v1/tasks/poweroff/{T}"),
        ),
        (
            rq::task_action(&m, TaskAction::Start, T).unwrap().into(),
            format!("/api/v1/tasks/start/{T}"),
        ),
        (
            rq::task_action(&m, TaskAction::Delete, T).unwrap().into(),
            format!("/api/v1/tasks/delete/{T}"),
        ),
        (
            rq::task_action(&m, TaskAction::Reset, T).unwrap().into(),
            format!("/api/v1/tasks/reset/{T}"),
        ),
        (
            rq::task_restart(&m, T, false).unwrap().into(),
            format!("/api/v1/tasks/restart/{T}"),
        ),
        (
            rq::task_restart(&m, T, true).unwrap().into(),
            format!("/api/v1/tasks/restart/{T}?force_reboot=true"),
        ),
        (
            rq::task_logs(&m, T, LogEnd::Head, 10).unwrap().into(),
            format!("/api/v1/tasks/logs/{T}?flag=head&line_num=10"),
        ),
        (
            rq::task_logs(&m, T, LogEnd::Tail, 100).unwrap().into(),
            format!("/api/v1/tasks/logs/{T}?flag=tail&line_num=100"),
        ),
        (
            rq::task_modify(
                &m,
                T,
                &ModifyTask {
                    new_vnc_port: "5999".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .into(),
            format!("/api/v1/tasks/modify/{T}"),
        ),
        (
            rq::task_passwd(&m, T, "u", "p").unwrap().into(),
            format!("/api/v1/tasks/passwd/{T}"),
        ),
        (
            rq::disk_list(&m, T).unwrap().into(),
            format!("/api/v1/disk/list/{T}"),
        ),
        (
            rq::disk_resize(&m, T, "vdb", "1").unwrap().into(),
            format!("/api/v1/disk/resize/{T}"),
        ),
        (
            rq::disk_add(&m, T, "1", "/data").unwrap().into(),
            format!("/api/v1/disk/add/{T}"),
        ),
        (
            rq::disk_delete(&m, T, "vdc").unwrap().into(),
            format!("/api/v1/disk/delete/{T}"),
        ),
        (
            rq::snapshot_list(&m, T).unwrap().into(),
            format!("/api/v1/snapshot/list/{T}"),
        ),
        (
            rq::snapshot_detail(&m, T, "s1").unwrap().into(),
            format!("/api/v1/snapshot/list/{T}/s1"),
        ),
        (
            rq::snapshot_create(&m, T, "s1", "", "img1").unwrap().into(),
            format!("/api/v1/snapshot/create/{T}"),
        ),
        (
            rq::snapshot_delete(&m, T, "s1").unwrap().into(),
            format!("/api/v1/snapshot/delete/{T}/s1"),
        ),
        (rq::image_servers().into(), "/api/v1/images/servers".into()),
        (
            rq::images_on_server("img1").unwrap().into(),
            "/api/v1/images".into(),
        ),
        (
            rq::image_download(&m, "img1", "a.qcow2", "/data")
                .unwrap()
                .into(),
            "/api/v1/images/download".into(),
        ),
        (
            rq::image_download_progress(&m, "a.qcow2").unwrap().into(),
            "/api/v1/images/downloadprogress".into(),
        ),
        (
            rq::image_upload(Some(&m), "a.qcow2", "img1")
                .unwrap()
                .into(),
            "/api/v1/images/upload".into(),
        ),
        (
            rq::image_upload_progress(Some(&m), "a.qcow2")
                .unwrap()
                .into(),
            "/api/v1/images/uploadprogress".into(),
        ),
        (
            rq::image_download_stop(&m, "a.qcow2").unwrap().into(),
            "/api/v1/images/download_stop".into(),
        ),
        (
            rq::image_upload_stop(Some(&m), "a.qcow2").unwrap().into(),
            "/api/v1/images/upload_stop".into(),
        ),
        (
            rq::image_delete(&m, "a.qcow2").unwrap().into(),
            "/api/v1/images/delete".into(),
        ),
        (
            rq::lan_create(&m, "testnet", "10.1.0.0/16").unwrap().into(),
            "/api/v1/lan/create".into(),
        ),
        (
            rq::lan_delete(&m, "testnet").unwrap().into(),
            "/api/v1/lan/delete/testnet".into(),
        ),
        (rq::lan_list(None).unwrap().into(), "/api/v1/lan".into()),
        (
            rq::lan_detail(None, "testnet").unwrap().into(),
            "/api/v1/lan/testnet".into(),
        ),
        (
            rq::rent_orders(&m, None).unwrap().into(),
            "/api/v1/rent_orders".into(),
        ),
        (
            rq::rent_orders(&m, Some("77")).unwrap().into(),
            "/api/v1/rent_orders/77".into(),
        ),
    ];
    for (r, want) in cases {
        assert_eq!(r.url_path(), want, "{}", r.op);
    }
}

#[test]
fn create_sends_strings_and_arrays() {
    let mut t = minimal_create();
    t.gpu_count = "1".into();
    t.custom_port = vec!["tcp,8080".into(), "udp,7000-7010".into()];
    t.multicast = vec!["239.1.1.1:5000".into()];
    t.interface_model_type = "e1000".into();
    let b = body(&rq::create_task(&machine(), &t).unwrap());
    let a = &b["additional"];
    for key in [
        "gpu_count",
        "ssh_port",
        "vnc_port",
        "cpu_cores",
        "mem_size",
        "disk_size",
    ] {
        assert!(a[key].is_string(), "{key} must be a JSON string: {a}");
    }
    assert_eq!(a["operation_system"], "linux");
    assert_eq!(a["custom_port"], json!(["tcp,8080", "udp,7000-7010"]));
    assert_eq!(a["multicast"], json!(["239.1.1.1:5000"]));
    assert_eq!(a["interface_model_type"], "e1000");
    assert!(
        a.get("task_id").is_none() && a.get("public_ip").is_none() && a.get("rdp_port").is_none()
    );
}

#[test]
fn create_never_spells_out_virtio() {
    let mut t = minimal_create();
    t.interface_model_type = "virtio".into();
    let b = body(&rq::create_task(&machine(), &t).unwrap());
    assert!(b["additional"].get("interface_model_type").is_none());
}

#[test]
fn create_validation_reports_everything() {
    let t = CreateTask {
        task_id: "short".into(),
        gpu_count: "-1".into(),
        desc: "my \"vm\"".into(),
        operation_system: "bsd".into(),
        bios_mode: "efi".into(),
        image_name: "ubuntu.iso".into(),
        public_ip: "1.2.3".into(),
        ssh_port: "x".into(),
        vnc_port: "5000".into(),
        cpu_cores: "0".into(),
        mem_size: "".into(),
        disk_size: "0".into(),
        network_name: "no".into(),
        custom_port: vec!["tcp/udp,123".into()],
        multicast: vec!["10.0.0.1:1".into()],
        network_filters: vec!["bad".into()],
        interface_model_type: "ne2k".into(),
        ..Default::default()
    };
    let e = rq::create_task(&machine(), &t).unwrap_err();
    for f in [
        "task_id",
        "gpu_count",
        "desc",
        "operation_system",
        "bios_mode",
        "image_name",
        "public_ip",
        "vnc_port",
        "cpu_cores",
        "mem_size",
        "disk_size",
        "network_name",
        "custom_port[0]",
        "multicast[0]",
        "network_filters[0]",
        "interface_model_type",
    ] {
        assert!(e.has(f), "missing error for {f}: {e}");
    }
}

#[test]
fn create_port_rules_by_os() {
    let m = machine();
    // Linux needs ssh_port.
    let mut t = minimal_create();
    t.ssh_port.clear();
    assert_eq!(
        rq::create_task(&m, &t).unwrap_err().rule_of("ssh_port"),
        Some("required")
    );
    // ...unless a public IP is set.
    t.public_ip = "203.0.113.7".into();
    assert!(rq::create_task(&m, &t).is_ok());
    // Windows needs rdp_port instead.
    let mut w = minimal_create();
    w.operation_system = "windows".into();
    w.ssh_port.clear();
    assert_eq!(
        rq::create_task(&m, &w).unwrap_err().rule_of("rdp_port"),
        Some("required")
    );
    w.rdp_port = "33389".into();
    let b = body(&rq::create_task(&m, &w).unwrap());
    assert_eq!(b["additional"]["operation_system"], "windows");
    assert_eq!(b["additional"]["rdp_port"], "33389");
    // VNC range and conflicts.
    let mut v = minimal_create();
    v.vnc_port = "65536".into();
    assert_eq!(
        rq::create_task(&m, &v).unwrap_err().rule_of("vnc_port"),
        Some("range")
    );
    v.vnc_port = "20022".into();
    assert_eq!(
        rq::create_task(&m, &v).unwrap_err().rule_of("vnc_port"),
        Some("vnc_port_conflict")
    );
    // pxe needs no data disk.
    let mut p = minimal_create();
    p.bios_mode = "PXE".into();
    p.disk_size.clear();
    assert_eq!(
        body(&rq::create_task(&m, &p).unwrap())["additional"]["bios_mode"],
        "pxe"
    );
    // custom task id 20-22 alphanumerics
    let mut c = minimal_create();
    c.task_id = "abcdefghij0123456789".into();
    assert!(rq::create_task(&m, &c).is_ok());
    c.task_id = "abcdefghij0123456789_".into();
    assert!(rq::create_task(&m, &c).unwrap_err().has("task_id"));
}

#[test]
fn bad_targets_are_rejected_before_sending() {
    let bad = Machine::new("not-a-node", Some("12x".into()));
    let e = rq::task_list(&bad).unwrap_err();
    assert!(e.has("node_id") && e.has("rent_order"));
    assert!(rq::task_detail(&machine(), "a/../b")
        .unwrap_err()
        .has("task_id"));
    assert!(rq::task_detail(&machine(), "start")
        .unwrap_err()
        .has("task_id"));
    assert!(rq::task_action(&machine(), TaskAction::Delete, "")
        .unwrap_err()
        .has("task_id"));
}

#[test]
fn disk_sizes_are_integers() {
    let m = machine();
    let b = body(&rq::disk_resize(&m, T, "vdb", "20").unwrap());
    assert_eq!(b["additional"], json!({"disk": "vdb", "size": 20}));
    let b = body(&rq::disk_add(&m, T, "50", "").unwrap());
    assert_eq!(b["additional"], json!({"size": 50, "mount_dir": "/data"}));
    assert!(rq::disk_resize(&m, T, "vdb", "0").unwrap_err().has("size"));
    assert!(rq::disk_resize(&m, T, "sda", "1").unwrap_err().has("disk"));
    assert_eq!(
        rq::disk_delete(&m, T, "vda").unwrap_err().rule_of("disk"),
        Some("system")
    );
    assert!(rq::disk_add(&m, T, "1", "data")
        .unwrap_err()
        .has("mount_dir"));
    assert!(rq::disk_add(&m, T, "0", "/data").unwrap_err().has("size"));
}

#[test]
fn logs_rules() {
    let m = machine();
    assert!(rq::task_logs(&m, T, LogEnd::Tail, 0)
        .unwrap_err()
        .has("line_num"));
    assert!(rq::task_logs(&m, T, LogEnd::Tail, 101)
        .unwrap_err()
        .has("line_num"));
    assert!(rq::task_logs(&m, T, LogEnd::Head, 1).is_ok());
}

#[test]
fn modify_rules() {
    let m = machine();
    assert!(rq::task_modify(&m, T, &ModifyTask::default())
        .unwrap_err()
        .has("modify"));
    let same = ModifyTask {
        new_ssh_port: "2222".into(),
        new_rdp_port: "2222".into(),
        ..Default::default()
    };
    assert_eq!(
        rq::task_modify(&m, T, &same)
            .unwrap_err()
            .rule_of("new_rdp_port"),
        Some("ssh_rdp_conflict")
    );
    let bad_vnc = ModifyTask {
        new_vnc_port: "80".into(),
        ..Default::default()
    };
    assert!(rq::task_modify(&m, T, &bad_vnc)
        .unwrap_err()
        .has("new_vnc_port"));
    let ports = ModifyTask {
        new_custom_port: Some(vec!["tcp,80".into()]),
        new_cpu_cores: "4".into(),
        ..Default::default()
    };
    let b = body(&rq::task_modify(&m, T, &ports).unwrap());
    assert_eq!(
        b["additional"],
        json!({"new_custom_port": ["tcp,80"], "new_cpu_cores": "4"})
    );
    let clear = ModifyTask {
        new_custom_port: Some(vec![]),
        ..Default::default()
    };
    assert_eq!(
        body(&rq::task_modify(&m, T, &clear).unwrap())["additional"],
        json!({"new_custom_port": []})
    );
}

#[test]
fn snapshot_image_and_lan_rules() {
    let m = machine();
    assert!(rq::snapshot_create(&m, T, "a/b", "", "img1")
        .unwrap_err()
        .has("snapshot_name"));
    assert!(rq::snapshot_create(&m, T, "s1", "x\\y", "img1")
        .unwrap_err()
        .has("desc"));
    assert!(rq::snapshot_create(&m, T, "s1", "", "")
        .unwrap_err()
        .has("image_server"));
    assert!(rq::image_download(&m, "img1", "x.raw", "")
        .unwrap_err()
        .has("image_filename"));
    assert!(rq::images_on_server("").unwrap_err().has("image_server"));
    assert!(rq::lan_create(&m, "net", "192.168.122.0/24")
        .unwrap_err()
        .has("network_name"));
    assert!(rq::lan_create(&m, "testnet", "192.168.122.0/24")
        .unwrap_err()
        .has("ip_cidr"));
    let b = body(&rq::lan_create(&m, "testnet", "192.168.66.0/24").unwrap());
    assert_eq!(
        b["additional"],
        json!({"network_name": "testnet", "ip_cidr": "192.168.66.0/24"})
    );
}

#[test]
fn upload_progress_uses_the_node_path_quirk() {
    let m = machine();
    let via_node = body(&rq::image_upload_progress(Some(&m), "x.qcow2").unwrap());
    assert_eq!(via_node["additional"]["image_filename"], "/data/x.qcow2");
    let local = rq::image_upload_progress(None, "x.qcow2")
        .unwrap()
        .body(&Auth::None)
        .unwrap();
    assert_eq!(local["additional"]["image_filename"], "x.qcow2");
}

#[test]
fn auth_requirements_checked_before_sending() {
    let m = machine();
    let r = rq::task_list(&m).unwrap();
    assert!(r.body(&Auth::None).unwrap_err().has("auth"));
    let session = Auth::Session {
        session_id: "s".into(),
        session_id_sign: "00".into(),
    };
    assert!(r.body(&session).is_ok());
    assert!(rq::session_id(&m)
        .unwrap()
        .body(&session)
        .unwrap_err()
        .has("auth"));
    // public calls never carry auth, even when one is given
    let b = rq::machine_info(&m, None).unwrap().body(&wallet()).unwrap();
    assert!(b.get("sign").is_none());
}

#[test]
fn multisig_rules() {
    let a = Arc::new(Wallet::from_hex_seed(DEMO_SEED).unwrap());
    let b = Arc::new(Wallet::from_secret_uri("//Bob", None).unwrap());
    let r = rq::task_list(&machine()).unwrap();
    let bad = Auth::Multisig {
        wallets: vec![a.address().into()],
        threshold: 2,
        signers: vec![a.clone(), b.clone()],
    };
    let e = r.body(&bad).unwrap_err();
    assert!(e.has("threshold") && e.has("signers"));
    let good = Auth::Multisig {
        wallets: vec![a.address().into(), b.address().into()],
        threshold: 2,
        signers: vec![a, b],
    };
    let body = r.body(&good).unwrap();
    assert_eq!(body["multisig_accounts"]["threshold"], "2");
}
