//! Gateway-level behaviour: transport, envelope, routing, errors.

mod common;
use common::*;
use dbc_sim::SimConfig;
use serde_json::json;

#[tokio::test]
async fn version_probe_any_method_and_format() {
    let s = Sim::demo().await;
    for m in ["GET", "POST", "PUT"] {
        let r = s.raw(m, "/api/v1/", "").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/json");
        assert_eq!(r.acao, "*");
        assert!(r.text.ends_with("}\r\n"), "{:?}", r.text);
        let v = r.json();
        assert_eq!(v["errcode"], 0);
        assert_eq!(v["message"]["client_version"], "0.4.1.8");
    }
}

#[tokio::test]
async fn envelope_errors_exact_messages() {
    let s = Sim::demo().await;
    let cases: Vec<(&str, &str, &str)> = vec![
        ("tasks", "", "http request body is empty"),
        ("tasks", "[1,2]", "invalid json"),
        ("tasks", "{}", "has no peer_nodes_list"),
        (
            "tasks",
            r#"{"peer_nodes_list":"x"}"#,
            "peer_nodes_list is not array",
        ),
        ("tasks", r#"{"peer_nodes_list":[]}"#, "has no additional"),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":[]}"#,
            "additional is not object",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"wallet":5}"#,
            "wallet is not string",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"rent_order":1001}"#,
            "rent_order is not string",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"session_id_sign":true}"#,
            "session_id_sign is not string",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"multisig_accounts":[]}"#,
            "multisig_accounts is not object",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"multisig_accounts":{}}"#,
            "multisig_accounts has no member wallets",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"multisig_accounts":{"wallets":{}}}"#,
            "multisig_accounts member wallets is not array",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"multisig_accounts":{"wallets":[]}}"#,
            "multisig_accounts has no member threshold",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"multisig_accounts":{"wallets":[],"threshold":2}}"#,
            "multisig_accounts member threshold is not string",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"multisig_accounts":{"wallets":[],"threshold":"2"}}"#,
            "multisig_accounts has no member signs",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{},"multisig_accounts":{"wallets":[],"threshold":"2","signs":{}}}"#,
            "multisig_accounts member signs is not array",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[],"additional":{}}"#,
            "peer_nodeid is empty",
        ),
        (
            "tasks",
            r#"{"peer_nodes_list":[""],"additional":{}}"#,
            "peer_nodeid is empty",
        ),
        (
            "mining_nodes",
            "{}",
            "parse req params failed: has no peer_nodes_list",
        ),
        ("images", "[]", "parse request params failed: invalid json"),
    ];
    for (path, body, msg) in cases {
        let r = s.raw("POST", &format!("/api/v1/{path}"), body).await;
        assert_eq!(r.status, 400, "{body}");
        let v = r.json();
        assert_eq!(v["errcode"], -25, "{body}");
        assert_eq!(v["message"], msg, "{body}");
    }
    let r = s.raw("POST", "/api/v1/tasks", "{\"a\":").await;
    assert_eq!(r.status, 400);
    let m = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        m.starts_with("json parse error: ") && m.ends_with("(5)"),
        "{m}"
    );
}

#[tokio::test]
async fn auth_precheck_messages() {
    let s = Sim::demo().await;
    let bare = json!({"peer_nodes_list": [ALPHA], "additional": {}, "rent_order": "1001"});
    for (path, msg) in [
        ("tasks", "wallet_sign and multisig_wallets all invalid"),
        ("tasks/x", "wallet_sign and multisig_wallets all invalid"),
        (
            "tasks/shutdown/x",
            "wallet_sign and multisig_wallets all invalid",
        ),
        (
            "snapshot/list/x",
            "wallet_sign and multisig_wallets all invalid",
        ),
        ("lan/create", "wallet_sign and multisig_wallets all invalid"),
        (
            "mining_nodes/session_id",
            "wallet_sign and multisig_wallets all invalid",
        ),
        ("tasks/start", "session_id and wallet all invalid"),
        ("disk/list/x", "session_id and wallet all invalid"),
        (
            "images/downloadprogress",
            "session_id and wallet all invalid",
        ),
    ] {
        let (st, v) = s.post(path, &bare).await;
        assert_eq!((st, v["errcode"].as_i64().unwrap()), (400, -25), "{path}");
        assert_eq!(v["message"], msg, "{path}");
    }
    // the session endpoint refuses a session-only request at the gateway
    let mut with_session = bare.clone();
    with_session["session_id"] = json!(dbc_sim::DEMO_SESSION_ID);
    with_session["session_id_sign"] = json!(dbc_sim::DEMO_SESSION_SIGN);
    let (st, v) = s.post("mining_nodes/session_id", &with_session).await;
    assert_eq!(
        (st, v["message"].as_str().unwrap()),
        (400, "wallet_sign and multisig_wallets all invalid")
    );
}

#[tokio::test]
async fn routing_errors() {
    let s = Sim::demo().await;
    let body = json!({"peer_nodes_list": [ALPHA], "additional": {}}).to_string();
    let r = s.raw("GET", "/api/v1/tasks", &body).await;
    assert_eq!(
        (r.status, r.json()["errcode"].as_i64().unwrap()),
        (400, -32600)
    );
    assert_eq!(r.json()["message"], "only support POST request");
    let r = s.raw("POST", "/api/v1/nothing/here", &body).await;
    assert_eq!(
        (r.status, r.json()["errcode"].as_i64().unwrap()),
        (404, -32601)
    );
    assert_eq!(r.json()["message"], "not support uri:/api/v1/nothing/here");
    let r = s.raw("POST", "/other", &body).await;
    assert_eq!(
        (r.status, r.json()["errcode"].as_i64().unwrap()),
        (400, -32600)
    );
    assert_eq!(r.json()["message"], "request uri is invalid, uri:/other");
    for p in ["/api/v1/stat", "/api/v1/config", "/api/v1/tasks/bogus/x"] {
        let r = s.raw("POST", p, &body).await;
        assert_eq!(r.status, 500, "{p}");
        assert_eq!(r.json()["errcode"], -32701);
        assert_eq!(r.json()["message"], "Unhandled request");
    }
}

#[tokio::test]
async fn unknown_offline_and_silent_machines() {
    let s = Sim::start(SimConfig::demo().with_speed(1000.0)).await;
    for node in [OFFLINE, "00".repeat(32).as_str()] {
        let (st, v) = s.call("tasks", node, "1005", json!({})).await;
        assert_eq!((st, v["errcode"].as_i64().unwrap()), (400, -32701));
        assert_eq!(v["message"], "create node request failed");
    }
    // a known machine that never answers: gateway timeout (30 s / 1000)
    assert!(s.ctl.set_machine_p2p(ALPHA, "silent"));
    let t0 = std::time::Instant::now();
    let (st, v) = s.call("tasks", ALPHA, "1001", json!({})).await;
    assert!(t0.elapsed() >= std::time::Duration::from_millis(25));
    assert_eq!((st, v["errcode"].as_i64().unwrap()), (500, -1));
    assert_eq!(v["message"], "list task timeout");
}

#[tokio::test]
async fn gateway_local_endpoints() {
    let s = Sim::demo().await;
    let (st, v) = s.post("images/servers", &json!({})).await;
    assert_eq!(st, 200);
    assert_eq!(
        v["message"]["image_server"],
        json!(["dbc-image-center-1", "dbc-image-center-2"])
    );
    let (st, v) = s
        .post(
            "images",
            &json!({"peer_nodes_list": [], "additional": {"image_server": "dbc-image-center-2"}}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(
        v["message"][0]["image_name"],
        "stable-diffusion-webui.qcow2"
    );
    assert_eq!(v["message"][0]["image_size"], "42.5G");
    let (st, v) = s
        .post(
            "images",
            &json!({"peer_nodes_list": [], "additional": {"image_server": "nope"}}),
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
    let (st, v) = s
        .post(
            "mining_nodes",
            &json!({"peer_nodes_list": [], "additional": {}}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(
        v["message"]["mining_nodes"].as_array().unwrap().len(),
        4,
        "offline machine is not listed"
    );
    // machine info needs no auth
    let (st, v) = s
        .post(
            "mining_nodes",
            &json!({"peer_nodes_list": [BETA], "additional": {}}),
        )
        .await;
    assert_eq!(st, 200);
    let m = &v["message"];
    assert_eq!(m["gpu"]["gpu_count"], "4");
    assert_eq!(m["ip"], "*.51.*.17");
    assert_eq!(m["disk_data"][0]["free"], "2050G");
    // rent orders
    let (st, v) = s
        .post(
            "rent_orders",
            &json!({"peer_nodes_list": [BETA], "additional": {}}),
        )
        .await;
    assert_eq!(st, 200);
    let o = &v["message"]["rent_orders"][0];
    assert_eq!(o["id"], "1002");
    assert_eq!(o["renter"], dbc_sim::DEMO_WALLET);
    assert_eq!(o["rent_status"], "renting");
    assert_eq!(o["gpu_nums"], "2");
    assert_eq!(o["gpu_index"], json!([0, 1]));
}

#[tokio::test]
async fn fuzzy_bodies_never_crash() {
    let s = Sim::demo().await;
    let bodies = [
        "\u{0}\u{1}\u{2}",
        "{\"peer_nodes_list\":[1,2],\"additional\":{}}",
        "{\"peer_nodes_list\":[null],\"additional\":{}}",
        "{\"peer_nodes_list\":[\"zz\"],\"additional\":{\"gpu_count\":[1]}}",
        "9999999999999999999999999999",
        "\"str\"",
        "{\"peer_nodes_list\":[],\"additional\":{},\"multisig_accounts\":{\"wallets\":[1],\"threshold\":\"x\",\"signs\":[1]}}",
    ];
    for path in [
        "tasks",
        "tasks/start",
        "disk/add/x",
        "images",
        "lan/create",
        "mining_nodes",
        "snapshot/create/x",
    ] {
        for b in bodies {
            let r = s.raw("POST", &format!("/api/v1/{path}"), b).await;
            assert!(
                r.status == 200 || r.status == 400 || r.status == 500,
                "{path} {b} -> {}",
                r.status
            );
            let _ = r.json();
        }
    }
    // a signed request with garbage in additional for every node endpoint
    for path in [
        "tasks/start",
        "tasks/modify/DemoVmAlpha0000000001",
        "disk/resize/DemoVmAlpha0000000001",
        "images/download",
        "lan/create",
    ] {
        let add = json!({"gpu_count": {"a": 1}, "size": "x", "disk": 5, "new_custom_port": [1], "image_filename": null, "image_server": "dbc-image-center-1", "network_name": ["x"]});
        let (st, v) = s.call(path, ALPHA, "1001", add).await;
        assert_eq!(st, 200, "{path}: {v}");
        assert_ne!(v["errcode"], 0, "{path}: {v}");
    }
}

#[test]
fn demo_toml_matches_demo_config() {
    let text = include_str!("../examples/demo.toml");
    let parsed = SimConfig::from_toml_str(text).unwrap();
    assert_eq!(parsed, SimConfig::demo());
    assert!(SimConfig::from_toml_str("speed = 0.0").is_err());
    assert!(SimConfig::from_toml_str("bogus = 1").is_err());
    assert_eq!(SimConfig::from_toml_str("").unwrap().machines.len(), 0);
}
