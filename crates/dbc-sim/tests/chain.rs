//! The fake chain on raw JSON-RPC: HTTP POST with reqwest, WebSocket with a bare
//! tokio-tungstenite client (no JSON-RPC library), so the shapes checked here are the bytes on
//! the wire.

use std::time::{Duration, Instant};

use dbc_sim::config::{DEMO_MACHINE_ALPHA, DEMO_MACHINE_BETA, DEMO_MACHINE_GAMMA};
use dbc_sim::{ChainServer, Control, Fault, FaultKind, SimConfig, SimServer, DEMO_WALLET};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

const START_BLOCK: u64 = 5_000_000;
/// A valid SS58 address that rents nothing (Alice).
const NOBODY: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

struct Chain {
    sim: SimServer,
    chain: ChainServer,
    ctl: Control,
    http: reqwest::Client,
}

impl Chain {
    async fn start() -> Chain {
        let sim = SimServer::start(
            SimConfig::demo().with_speed(1.0),
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .unwrap();
        let chain = sim
            .start_chain("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let ctl = sim.control();
        Chain {
            sim,
            chain,
            ctl,
            http: {
                // reqwest has no built-in TLS provider in this workspace (dbc-api `tls`).
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::new()
            },
        }
    }

    async fn post_raw(&self, body: &str) -> (u16, String) {
        let r = self
            .http
            .post(self.chain.http_url())
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// One call over HTTP; the whole reply object.
    async fn rpc(&self, method: &str, params: Value) -> Value {
        let body = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
        let (status, text) = self.post_raw(&body.to_string()).await;
        assert_eq!(status, 200, "{method}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["jsonrpc"], "2.0");
        assert_eq!(v["id"], 7);
        v
    }

    async fn result(&self, method: &str, params: Value) -> Value {
        let v = self.rpc(method, params).await;
        assert!(v.get("error").is_none(), "{method}: {v}");
        v["result"].clone()
    }

    async fn ws(&self) -> Ws {
        let addr = self.chain.addr();
        let tcp = TcpStream::connect(addr).await.unwrap();
        let (ws, _) = tokio_tungstenite::client_async(self.chain.ws_url(), tcp)
            .await
            .unwrap();
        Ws(ws)
    }

    async fn stop(self) {
        self.chain.shutdown().await;
        self.sim.shutdown().await;
    }
}

struct Ws(WebSocketStream<TcpStream>);

impl Ws {
    async fn send(&mut self, v: Value) {
        self.0.send(Message::text(v.to_string())).await.unwrap();
    }
    /// The next text frame (within 5 s), raw.
    async fn next_text(&mut self) -> Option<String> {
        match tokio::time::timeout(Duration::from_secs(5), self.0.next())
            .await
            .expect("a frame within 5 s")
        {
            Some(Ok(Message::Text(t))) => Some(t.to_string()),
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => None,
            Some(Ok(other)) => panic!("unexpected frame {other:?}"),
        }
    }
    async fn next_json(&mut self) -> Value {
        let t = self.next_text().await.expect("connection open");
        serde_json::from_str(&t).unwrap_or_else(|e| panic!("not JSON ({e}): {t}"))
    }
}

fn number(header: &Value) -> u64 {
    let hex = header["number"].as_str().expect("number is a hex string");
    u64::from_str_radix(hex.strip_prefix("0x").unwrap(), 16).unwrap()
}

#[tokio::test]
async fn header_follows_the_simulated_clock() {
    let c = Chain::start().await;
    let h = c.result("chain_getHeader", json!([])).await;
    assert_eq!(number(&h), START_BLOCK);
    for key in ["parentHash", "stateRoot", "extrinsicsRoot"] {
        let s = h[key].as_str().unwrap();
        assert!(s.starts_with("0x") && s.len() == 66, "{key}: {s}");
    }
    assert_eq!(h["digest"], json!({"logs": []}));
    c.ctl.advance_clock(Duration::from_secs(60));
    let h2 = c.result("chain_getHeader", json!([])).await;
    assert_eq!(number(&h2), START_BLOCK + 10);
    // a block hash argument is accepted
    c.result("chain_getHeader", json!([h2["parentHash"]])).await;
    c.stop().await;
}

#[tokio::test]
async fn rent_orders_as_the_chain_writes_them() {
    let c = Chain::start().await;
    assert_eq!(
        c.result("rentMachine_getRentList", json!([DEMO_WALLET]))
            .await,
        json!([1001, 1002, 1003, 1005])
    );
    // named parameters and the optional block hash
    assert_eq!(
        c.result(
            "rentMachine_getRentList",
            json!({"renter": DEMO_WALLET, "at": null})
        )
        .await,
        json!([1001, 1002, 1003, 1005])
    );
    assert_eq!(
        c.result("rentMachine_getRentList", json!([NOBODY])).await,
        json!([])
    );
    let o = c.result("rentMachine_getRentOrder", json!([1002])).await;
    let keys: Vec<&str> = o.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "confirmRent",
            "gpuIndex",
            "gpuNum",
            "machineId",
            "rentEnd",
            "rentStart",
            "rentStatus",
            "renter",
            "stakeAmount"
        ]
    );
    assert_eq!(o["machineId"], DEMO_MACHINE_BETA);
    assert_eq!(o["renter"], DEMO_WALLET);
    assert_eq!(o["rentStatus"], "renting");
    assert_eq!(o["rentEnd"], START_BLOCK + 7 * 86_400 / 6);
    assert_eq!(o["rentStart"], START_BLOCK - 600);
    assert_eq!(o["confirmRent"], START_BLOCK - 598);
    assert_eq!(
        (o["gpuNum"].clone(), o["gpuIndex"].clone()),
        (json!(2), json!([0, 1]))
    );
    // a Balance is written as decimal text; this one does not fit in a u64
    let stake: u128 = o["stakeAmount"].as_str().unwrap().parse().unwrap();
    assert_eq!(stake, 2 * (7 * 14_400 + 600) * 350_000_000_000_000);
    assert!(stake > u128::from(u64::MAX));

    let w = c.result("rentMachine_getRentOrder", json!([1003])).await;
    assert_eq!(w["rentStatus"], "waitingVerifying");
    assert_eq!(
        (w["rentStart"].clone(), w["confirmRent"].clone()),
        (json!(START_BLOCK), json!(0))
    );
    assert_eq!(
        c.result("rentMachine_getRentOrder", json!([424242])).await,
        Value::Null
    );
    assert_eq!(
        c.result("rentMachine_getMachineRentId", json!([DEMO_MACHINE_ALPHA]))
            .await,
        json!({"rentOrder": [1001], "usedGpu": [0, 1, 2, 3, 4, 5, 6, 7]})
    );
    assert_eq!(
        c.result("rentMachine_getMachineRentId", json!(["no-such-machine"]))
            .await,
        json!({"rentOrder": [], "usedGpu": []})
    );
    c.stop().await;
}

#[tokio::test]
async fn an_order_leaves_the_chain_at_its_end_block() {
    let c = Chain::start().await;
    // gamma's order 1003 ends after 2 h of chain time
    c.ctl.advance_clock(Duration::from_secs(2 * 3600 - 12));
    assert_eq!(
        c.result("rentMachine_getRentOrder", json!([1003])).await["rentStatus"],
        "waitingVerifying"
    );
    c.ctl.advance_clock(Duration::from_secs(12));
    let h = c.result("chain_getHeader", json!([])).await;
    assert_eq!(number(&h), START_BLOCK + 1200);
    assert_eq!(
        c.result("rentMachine_getRentOrder", json!([1003])).await,
        Value::Null
    );
    assert_eq!(
        c.result("rentMachine_getRentList", json!([DEMO_WALLET]))
            .await,
        json!([1001, 1002, 1005])
    );
    assert_eq!(
        c.result("rentMachine_getMachineRentId", json!([DEMO_MACHINE_GAMMA]))
            .await,
        json!({"rentOrder": [], "usedGpu": []})
    );
    c.stop().await;
}

#[tokio::test]
async fn json_rpc_errors() {
    let c = Chain::start().await;
    let v = c.rpc("rentMachine_getRentOrders", json!([1])).await;
    assert_eq!(v["error"]["code"], -32601);
    assert_eq!(v["error"]["message"], "Method not found");
    assert!(v.get("result").is_none());
    // the chain's types: u64 order id (a number), AccountId (SS58 text)
    for (method, params) in [
        ("rentMachine_getRentOrder", json!(["1001"])),
        ("rentMachine_getRentOrder", json!([])),
        ("rentMachine_getRentOrder", json!([1001, null, 3])),
        ("rentMachine_getRentList", json!(["not-an-address"])),
        ("rentMachine_getRentList", json!([42])),
        ("rentMachine_getMachineRentId", json!([1])),
        ("rentMachine_getRentList", json!([DEMO_WALLET, 5])),
    ] {
        let v = c.rpc(method, params.clone()).await;
        assert_eq!(v["error"]["code"], -32602, "{method} {params}: {v}");
    }
    // subscriptions need a WebSocket
    let v = c.rpc("chain_subscribeNewHeads", json!([])).await;
    assert_eq!(v["error"]["code"], -32601);

    let (st, text) = c.post_raw("{not json").await;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (st, v["error"]["code"].clone(), v["id"].clone()),
        (200, json!(-32700), Value::Null)
    );
    let (_, text) = c
        .post_raw(r#"{"jsonrpc":"1.0","id":1,"method":"rpc_methods"}"#)
        .await;
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["error"]["code"],
        -32600
    );
    // a notification gets no answer; a batch gets one per call
    let (st, text) = c
        .post_raw(r#"{"jsonrpc":"2.0","method":"chain_getHeader"}"#)
        .await;
    assert_eq!((st, text.as_str()), (200, ""));
    let (_, text) = c
        .post_raw(r#"[{"jsonrpc":"2.0","id":"a","method":"chain_getHeader"},{"jsonrpc":"2.0","method":"x"},{"jsonrpc":"2.0","id":"b","method":"x"}]"#)
        .await;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["id"], "a");
    assert_eq!(v[1]["error"]["code"], -32601);
    // GET without an upgrade is not JSON-RPC
    let r = c.http.get(c.chain.http_url()).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    c.stop().await;
}

#[tokio::test]
async fn websocket_calls_and_new_heads() {
    let c = Chain::start().await;
    let mut ws = c.ws().await;
    ws.send(json!({"jsonrpc": "2.0", "id": 1, "method": "rentMachine_getRentList", "params": [DEMO_WALLET]}))
        .await;
    let v = ws.next_json().await;
    assert_eq!(
        (v["id"].clone(), v["result"].clone()),
        (json!(1), json!([1001, 1002, 1003, 1005]))
    );
    ws.send(json!({"jsonrpc": "2.0", "id": 2, "method": "nope", "params": []}))
        .await;
    assert_eq!(ws.next_json().await["error"]["code"], -32601);

    ws.send(json!({"jsonrpc": "2.0", "id": 3, "method": "chain_subscribeNewHeads", "params": []}))
        .await;
    let v = ws.next_json().await;
    assert_eq!(v["id"], 3);
    let sub = v["result"].as_str().expect("subscription id").to_string();
    // the current head at once
    let n = ws.next_json().await;
    assert_eq!(n["method"], "chain_newHead");
    assert_eq!(n["params"]["subscription"], sub);
    assert!(n.get("id").is_none());
    let first = number(&n["params"]["result"]);
    assert_eq!(first, START_BLOCK + c.ctl.now_secs() as u64 / 6);
    // each new block once the clock moves
    let mut last = first;
    for _ in 0..3 {
        c.ctl.advance_clock(Duration::from_secs(6));
        let n = ws.next_json().await;
        let b = number(&n["params"]["result"]);
        assert!(b > last, "{b} after {last}");
        last = b;
    }
    ws.send(
        json!({"jsonrpc": "2.0", "id": 4, "method": "chain_unsubscribeNewHeads", "params": [sub]}),
    )
    .await;
    let v = ws.next_json().await;
    assert_eq!(
        (v["id"].clone(), v["result"].clone()),
        (json!(4), json!(true))
    );
    // no more heads after unsubscribing
    c.ctl.advance_clock(Duration::from_secs(60));
    ws.send(
        json!({"jsonrpc": "2.0", "id": 5, "method": "chain_unsubscribeNewHeads", "params": [sub]}),
    )
    .await;
    let v = ws.next_json().await;
    assert_eq!(
        (v["id"].clone(), v["result"].clone()),
        (json!(5), json!(false))
    );
    c.stop().await;
}

#[tokio::test]
async fn chain_faults_over_http() {
    let c = Chain::start().await;
    let header = r#"{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":[]}"#;
    // slow
    c.ctl
        .add_fault(Fault::on("chain/chain_getHeader", FaultKind::Latency { ms: 150 }).times(1));
    let t0 = Instant::now();
    c.result("chain_getHeader", json!([])).await;
    assert!(t0.elapsed() >= Duration::from_millis(150));
    // malformed
    c.ctl
        .add_fault(Fault::on("chain/chain_getHeader", FaultKind::Garbage).times(1));
    let (st, text) = c.post_raw(header).await;
    assert_eq!(st, 200);
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    // a proxy's error page
    c.ctl
        .add_fault(Fault::on("chain", FaultKind::Http500).times(1));
    let (st, _) = c.post_raw(header).await;
    assert_eq!(st, 500);
    // down: the connection closes without an answer
    c.ctl
        .add_fault(Fault::on("chain", FaultKind::Reset).times(1));
    let r = c.http.post(c.chain.http_url()).body(header).send().await;
    assert!(r.is_err(), "expected no answer, got {r:?}");
    // a gateway fault without a path leaves the chain alone, a chain fault leaves the gateway
    // alone
    c.ctl.add_fault(Fault::global(FaultKind::Http500));
    c.result("chain_getHeader", json!([])).await;
    c.ctl.clear_faults();
    c.ctl.add_fault(Fault::on("chain", FaultKind::Http500));
    let r = c
        .http
        .post(format!("{}/api/v1/", c.sim.base_url()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    c.ctl.clear_faults();
    c.result("chain_getHeader", json!([])).await;
    c.stop().await;
}

#[tokio::test]
async fn chain_faults_over_websocket() {
    let c = Chain::start().await;
    let mut ws = c.ws().await;
    // malformed frame
    c.ctl
        .add_fault(Fault::on("chain/rentMachine", FaultKind::Garbage).times(1));
    ws.send(json!({"jsonrpc": "2.0", "id": 1, "method": "rentMachine_getRentList", "params": [DEMO_WALLET]}))
        .await;
    let t = ws.next_text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&t).is_err(), "{t}");
    // internal error
    c.ctl
        .add_fault(Fault::on("chain/rentMachine", FaultKind::Http500).times(1));
    ws.send(json!({"jsonrpc": "2.0", "id": 2, "method": "rentMachine_getRentList", "params": [DEMO_WALLET]}))
        .await;
    let v = ws.next_json().await;
    assert_eq!(
        (v["id"].clone(), v["error"]["code"].clone()),
        (json!(2), json!(-32603))
    );
    // no answer: the call is dropped, the next one is answered
    c.ctl
        .add_fault(Fault::on("chain/chain_getHeader", FaultKind::Timeout).times(1));
    ws.send(json!({"jsonrpc": "2.0", "id": 3, "method": "chain_getHeader", "params": []}))
        .await;
    ws.send(json!({"jsonrpc": "2.0", "id": 4, "method": "rpc_methods", "params": []}))
        .await;
    assert_eq!(ws.next_json().await["id"], 4);
    // down: the connection is closed, and new connections are refused
    c.ctl.add_fault(Fault::on("chain", FaultKind::Reset));
    ws.send(json!({"jsonrpc": "2.0", "id": 5, "method": "rpc_methods", "params": []}))
        .await;
    assert_eq!(ws.next_text().await, None);
    let tcp = TcpStream::connect(c.chain.addr()).await.unwrap();
    assert!(tokio_tungstenite::client_async(c.chain.ws_url(), tcp)
        .await
        .is_err());
    c.ctl.clear_faults();
    let mut ws = c.ws().await;
    ws.send(json!({"jsonrpc": "2.0", "id": 6, "method": "rpc_methods", "params": []}))
        .await;
    assert_eq!(ws.next_json().await["id"], 6);
    c.stop().await;
}

#[tokio::test]
async fn a_fault_on_new_heads_ends_the_subscription() {
    let c = Chain::start().await;
    let mut ws = c.ws().await;
    ws.send(json!({"jsonrpc": "2.0", "id": 1, "method": "chain_subscribeNewHeads", "params": []}))
        .await;
    ws.next_json().await; // subscription id
    ws.next_json().await; // current head
    c.ctl
        .add_fault(Fault::on("chain/chain_newHead", FaultKind::Reset).times(1));
    c.ctl.advance_clock(Duration::from_secs(6));
    assert_eq!(ws.next_text().await, None);
    c.stop().await;
}
