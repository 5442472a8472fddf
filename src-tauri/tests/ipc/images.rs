//! Image transfers beyond the machine's /data: an upload from the client node's own /data
//! (no machine involved, SPEC §5.15), done when the client node answers, and a download folder that is checked
//! before anything is sent.

use crate::common;

use serde_json::json;

#[test]
fn upload_from_the_client_node_and_a_download_folder() {
    let mut cfg = dbc_sim::SimConfig::demo().with_speed(2000.0);
    cfg.client_data_files
        .push(dbc_sim::config::ImageFileConfig {
            name: "client-backup.qcow2".into(),
            size_gb: 2.0,
            backing: None,
        });
    let own = common::OwnSim::start(cfg);
    let ipc = &own.ipc;
    let (_, m) = own.demo_machine(1);
    let server = ipc.ok("image_servers", json!({}))[0].clone();

    let file = "client-backup.qcow2";
    ipc.ok(
        "image_transfer_start",
        json!({"opts": {"machine_id": m["id"], "direction": "upload_from_client", "image_server": server, "file": file}}),
    );
    // The client node answers when it is done: no progress to follow.
    let err = ipc
        .call(
            "image_transfer_progress",
            json!({"opts": {"machine_id": m["id"], "direction": "upload_from_client", "file": file}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "conflict", "{err}");
    let listed = ipc.ok("images_on_server", json!({"imageServer": server}));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["image_name"] == file),
        "{listed}"
    );
    // A file the client node does not have: the node's words, kept.
    let err = ipc
        .call(
            "image_transfer_start",
            json!({"opts": {"machine_id": m["id"], "direction": "upload_from_client", "image_server": server, "file": "nope.qcow2"}}),
        )
        .unwrap_err();
    assert!(
        err["reply"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("not exist"),
        "{err}"
    );

    // The download folder must be absolute on the GPU host: refused before sending.
    let err = ipc
        .call(
            "image_transfer_start",
            json!({"opts": {"machine_id": m["id"], "direction": "download", "image_server": server,
                "file": "ubuntu-22.04.qcow2", "local_dir": "data/images"}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "local_dir", "{err}");
    own.stop();
}
