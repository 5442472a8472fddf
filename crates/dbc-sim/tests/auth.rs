//! §3 authorization over real HTTP with real sr25519 signatures.

mod common;
use common::*;
use dbc_sim::{
    MachineConfig, RentOrderConfig, SimConfig, DEMO_SESSION_ID, DEMO_SESSION_SIGN, DEMO_WALLET,
};
use serde_json::json;

const OTHER_SEED: &str = "1111111111111111111111111111111111111111111111111111111111111111";

#[tokio::test]
async fn good_bad_replayed_signatures() {
    let s = Sim::demo().await;
    // good
    let (code, msg) = s.ok_call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(code, 0, "{msg}");
    assert_eq!(msg[0]["task_id"], "DemoVmAlpha0000000001");
    // signature with 0x prefix is accepted too
    let mut body = s.env(ALPHA, "1001", json!({}));
    body["sign"] = json!(format!("0x{}", body["sign"].as_str().unwrap()));
    let (_, v) = s.post("tasks", &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
    // replay of the same nonce
    let (_, v) = s.post("tasks", &body).await;
    assert_eq!(v["errcode"], -3);
    assert_eq!(v["message"], "check authority failed: nonce check failed");
    // bad signature (signed another text) does not consume the nonce
    let nonce = s.nonce();
    let p = demo_pair();
    let bad = json!({"peer_nodes_list": [ALPHA], "additional": {}, "rent_order": "1001", "wallet": DEMO_WALLET, "nonce": nonce, "sign": sign(&p, "other")});
    let (st, v) = s.post("tasks", &bad).await;
    assert_eq!((st, v["errcode"].as_i64().unwrap()), (200, -3));
    assert_eq!(v["message"], "check authority failed: nonce check failed");
    let good = json!({"peer_nodes_list": [ALPHA], "additional": {}, "rent_order": "1001", "wallet": DEMO_WALLET, "nonce": nonce, "sign": sign(&p, &nonce)});
    let (_, v) = s.post("tasks", &good).await;
    assert_eq!(v["errcode"], 0, "{v}");
    // garbage signature text
    let mut g = s.env(ALPHA, "1001", json!({}));
    g["sign"] = json!("zz");
    let (_, v) = s.post("tasks", &g).await;
    assert_eq!(v["message"], "check authority failed: nonce check failed");
    // wiki vector V1 verifies (first use of that nonce on this node)
    let v1 = json!({"peer_nodes_list": [ALPHA], "additional": {}, "rent_order": "1001", "wallet": DEMO_WALLET,
        "nonce": "5q7KRn4d8EmXFFsim8vHBp23N2CpERbD2mWR3WCo1o3teZnGxYEh4N6",
        "sign": "2460725b2f5e737cd810c773be61b9b27c3b9dbdac4af9cf25c7be9949ad7202a0b7467f71ad843888f482662d3ae2e4fa566d3c1930a3fa90f3dcb97ea4098d"});
    let (_, v) = s.post("tasks", &v1).await;
    assert_eq!(v["errcode"], 0, "{v}");
    let (_, v) = s.post("tasks", &v1).await;
    assert_eq!(v["message"], "check authority failed: nonce check failed");
}

#[tokio::test]
async fn renter_rules() {
    let s = Sim::demo().await;
    // a valid signature by a wallet that is not the renter
    let other = pair(OTHER_SEED);
    let (_, v) = s
        .post("tasks", &s.env_by(&other, ALPHA, Some("1001"), json!({})))
        .await;
    assert_eq!(
        (
            v["errcode"].as_i64().unwrap(),
            v["message"].as_str().unwrap()
        ),
        (-3, "check authority failed: wallet not rented")
    );
    // no rent_order: legacy lookup fails
    let (_, v) = s
        .post("tasks", &s.env_by(&demo_pair(), ALPHA, None, json!({})))
        .await;
    assert_eq!(v["message"], "check authority failed: wallet not rented");
    // order of another machine
    let (_, v) = s.call("tasks", ALPHA, "1002", json!({})).await;
    assert_eq!(v["message"], "check authority failed: wallet not rented");
    // machine online but not rented
    let (_, v) = s.call("tasks", IDLE, "1001", json!({})).await;
    assert_eq!(
        v["message"],
        "check authority failed: machine is not be rented"
    );
    // chain status changes
    s.ctl.set_machine_status(BETA, "committeeVerifying");
    let (_, v) = s.call("tasks", BETA, "1002", json!({})).await;
    assert_eq!(v["message"], "check authority failed: not in verify time");
    s.ctl.set_machine_status(BETA, "weird");
    let (_, v) = s.call("tasks", BETA, "1002", json!({})).await;
    assert_eq!(
        v["message"],
        "check authority failed: query machine_status failed"
    );
    // waitingVerifying order works until its end (2 h), then expires
    let (code, _) = s.ok_call("tasks", GAMMA, "1003", json!({})).await;
    assert_eq!(code, 0);
    s.advance(2 * 3600 + 1);
    let (_, v) = s.call("tasks", GAMMA, "1003", json!({})).await;
    assert_eq!(v["message"], "check authority failed: wallet not rented");
    let (_, v) = s
        .post(
            "rent_orders",
            &json!({"peer_nodes_list": [GAMMA], "additional": {}}),
        )
        .await;
    assert_eq!(v["message"]["rent_orders"][0]["rent_status"], "rentExpired");
}

#[tokio::test]
async fn sessions() {
    let s = Sim::demo().await;
    // fetch the renter's session id on beta (created at first successful wallet auth)
    assert!(s.ctl.session_id(BETA, DEMO_WALLET).is_none());
    let (code, msg) = s
        .ok_call("mining_nodes/session_id", BETA, "1002", json!({}))
        .await;
    assert_eq!(code, 0);
    let sid = msg["session_id"].as_str().unwrap().to_string();
    assert_eq!(sid.len(), 55);
    assert_eq!(
        s.ctl.session_id(BETA, DEMO_WALLET).as_deref(),
        Some(sid.as_str())
    );
    // same id on a second request
    let (_, msg2) = s
        .ok_call("mining_nodes/session_id", BETA, "1002", json!({}))
        .await;
    assert_eq!(msg2["session_id"], sid.as_str());
    // a delegate uses it (no wallet fields)
    let sess = |sid: &str, sig: &str, node: &str, order: &str| json!({"peer_nodes_list": [node], "additional": {}, "session_id": sid, "session_id_sign": sig, "rent_order": order});
    let (_, v) = s
        .post(
            "tasks",
            &sess(&sid, &sign(&demo_pair(), &sid), BETA, "1002"),
        )
        .await;
    assert_eq!(v["errcode"], 0, "{v}");
    // the pre-seeded demo session with the wiki signature works on alpha, reusable
    for _ in 0..2 {
        let (_, v) = s
            .post(
                "tasks",
                &sess(DEMO_SESSION_ID, DEMO_SESSION_SIGN, ALPHA, "1001"),
            )
            .await;
        assert_eq!(v["errcode"], 0, "{v}");
        assert_eq!(v["message"][0]["task_id"], "DemoVmAlpha0000000001");
    }
    // invalid session signature
    let (_, v) = s
        .post(
            "tasks",
            &sess(&sid, &sign(&pair(OTHER_SEED), &sid), BETA, "1002"),
        )
        .await;
    assert_eq!(
        v["message"],
        "check authority failed: session_id is invalid"
    );
    let (_, v) = s
        .post(
            "tasks",
            &sess("unknown-session", DEMO_SESSION_SIGN, BETA, "1002"),
        )
        .await;
    assert_eq!(
        v["message"],
        "check authority failed: session_id is invalid"
    );
    // expired order: session is valid but the machine has expired for the renter
    s.advance(8 * 86_400);
    let (_, v) = s
        .post(
            "tasks",
            &sess(&sid, &sign(&demo_pair(), &sid), BETA, "1002"),
        )
        .await;
    assert_eq!(
        v["message"],
        "check authority failed: machine has already expired"
    );
}

fn multisig_cfg(members: &[String], threshold: u16) -> (SimConfig, String) {
    let account = dbc_sim::crypto::multisig_account(members, threshold).unwrap();
    let mut cfg = SimConfig::demo().with_speed(1000.0);
    let mut m: MachineConfig = cfg.machines[1].clone();
    m.node_id = "ab".repeat(32);
    m.name = "multisig-box".into();
    m.rent_orders = vec![RentOrderConfig {
        id: 77,
        renter: account.clone(),
        status: "renting".into(),
        gpu_index: vec![0, 1, 2, 3],
        end_secs: 86_400,
    }];
    cfg.machines.push(m);
    (cfg, account)
}

#[tokio::test]
async fn multisig_mode_b() {
    let pairs = [demo_pair(), pair(OTHER_SEED), pair(&"22".repeat(32))];
    let wallets: Vec<String> = pairs.iter().map(address).collect();
    let (cfg, account) = multisig_cfg(&wallets, 2);
    let s = Sim::start(cfg).await;
    let node = "ab".repeat(32);
    let body = |signers: &[usize], threshold: &str| {
        let signs: Vec<_> = signers
            .iter()
            .map(|i| {
                let n = s.nonce();
                json!({"wallet": wallets[*i], "nonce": n, "sign": sign(&pairs[*i], &n)})
            })
            .collect();
        json!({"peer_nodes_list": [node], "additional": {}, "rent_order": "77",
               "multisig_accounts": {"wallets": wallets, "threshold": threshold, "signs": signs}})
    };
    let b = body(&[0, 2], "2");
    let (_, v) = s.post("tasks", &b).await;
    assert_eq!(v["errcode"], 0, "{v}");
    // replaying the same signatures fails
    let (_, v) = s.post("tasks", &b).await;
    assert_eq!(v["message"], "check authority failed: nonce check failed");
    // below threshold
    let (_, v) = s.post("tasks", &body(&[1], "2")).await;
    assert_eq!(v["message"], "check authority failed: nonce check failed");
    // wrong threshold derives another account
    let (_, v) = s.post("tasks", &body(&[0, 1], "1")).await;
    assert_eq!(v["message"], "check authority failed: wallet not rented");
    // a bad signature among them
    let mut b = body(&[0, 1], "2");
    b["multisig_accounts"]["signs"][1]["sign"] = json!(sign(&pairs[0], "x"));
    let (_, v) = s.post("tasks", &b).await;
    assert_eq!(v["message"], "check authority failed: nonce check failed");
    // session of the multisig account, signed by a member
    let (_, v) = s.post("mining_nodes/session_id", &body(&[1, 2], "2")).await;
    let sid = v["message"]["session_id"].as_str().unwrap().to_string();
    assert_eq!(
        s.ctl.session_id(&node, &account).as_deref(),
        Some(sid.as_str())
    );
    let sb = json!({"peer_nodes_list": [node], "additional": {}, "rent_order": "77", "session_id": sid, "session_id_sign": sign(&pairs[1], &sid)});
    let (_, v) = s.post("tasks", &sb).await;
    assert_eq!(v["errcode"], 0, "{v}");
}
