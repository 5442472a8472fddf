//! A machine rented by a multisig (SPEC §3.5, mode B) through the app against the simulator's
//! multisig check: members, threshold and the local wallets that sign; the fleet reads it and a
//! VM is created; too few signers is a field error before anything is sent.

use crate::common;

use serde_json::{json, Value};

#[test]
fn a_multisig_renter_signs_with_its_local_members() {
    let demo = "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4".to_string();
    let bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty".to_string();
    let members = vec![demo.clone(), bob.clone()];
    let account = dbc_sim::crypto::multisig_account(&members, 2).unwrap();
    let mut cfg = dbc_sim::SimConfig::demo().with_speed(2000.0);
    let node = cfg.machines[1].node_id.clone();
    cfg.machines[1]
        .rent_orders
        .push(dbc_sim::config::RentOrderConfig {
            id: 4242,
            renter: account,
            status: "renting".into(),
            gpu_index: vec![2, 3],
            end_secs: 86_400,
        });
    let own = common::OwnSim::start(cfg);
    let ipc = &own.ipc;
    let w1 = own.demo_wallet();
    let w2 = ipc.ok("wallet_add", json!({"input": {"name": "Bob", "kind": "mnemonic", "secret": "//Bob", "derivation": "", "password": ""}}));
    assert_eq!(w2["address"], bob.as_str());
    let input = |signers: Value, threshold: &str| {
        json!({"input": {"label": "shared rig", "node_id": node, "rent_order": "4242", "wallet_id": null,
            "session_id": null, "session_id_sign": null,
            "multisig": {"members": members, "threshold": threshold, "signer_ids": signers}}})
    };

    // Too few signers for the threshold: a field error, nothing saved.
    let err = ipc
        .call("machine_add", input(json!([w1["id"]]), "2"))
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "multisig_signers", "{err}");
    assert_eq!(ipc.ok("machine_list", json!({})), json!([]));

    let m = ipc.ok("machine_add", input(json!([w1["id"], w2["id"]]), "2"));
    assert_eq!(m["auth"]["kind"], "multisig", "{m}");
    let fleet = ipc.ok("fleet", json!({"fresh": true}));
    assert!(fleet[0]["error"].is_null(), "{fleet}");
    let image = fleet[0]["info"]["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["image_name"].as_str().unwrap().contains("ubuntu"))
        .unwrap()["image_name"]
        .clone();
    let vm = ipc.ok(
        "task_create",
        json!({"opts": {"machine_id": m["id"], "spec": {"image_name": image, "ssh_port": "20500",
            "vnc_port": "5950", "cpu_cores": "2", "mem_size": "4", "disk_size": "10", "gpu_count": "2"}}}),
    );
    assert_eq!(vm["status"], "creating", "{vm}");
    // A wallet that signs for a machine cannot be removed.
    let err = ipc
        .call("wallet_remove", json!({"id": w2["id"]}))
        .unwrap_err();
    assert_eq!(err["code"], "conflict", "{err}");
    own.stop();
}
