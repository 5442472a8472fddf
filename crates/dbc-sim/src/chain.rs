//! A fake DBC chain: JSON-RPC 2.0 over HTTP POST and WebSocket on one address, driven by the
//! simulator's clock and its rent orders. Parses raw JSON like everything else here.
//!
//! Methods (names and reply shapes of DeepBrainChain-MainChain's `rentMachine` RPC and
//! Substrate's `chain` API): `rentMachine_getRentList`, `rentMachine_getRentOrder`,
//! `rentMachine_getMachineRentId`, `chain_getHeader`, `chain_subscribeNewHeads` /
//! `chain_unsubscribeNewHeads` (WebSocket), `rpc_methods`. Anything else: -32601.
//!
//! Chain facts modelled: one block every 6 s of simulated time from `start_block`; an order is
//! removed from the chain (lists, and `getRentOrder` answers `null`) at its end block, as the
//! chain's `clean_order` does. Simulator choices: the unconfirmed-order cleanup of
//! `waitingVerifying` orders is not modelled (they last until their end, as on the simulated
//! GPU nodes); an order's `rentStart` is an hour before the simulator started
//! (`waitingVerifying`: the start block), `confirmRent` two blocks later (`waitingVerifying`:
//! 0); `stakeAmount` is the rent fee at 0.35 DBC per GPU per block; block hashes are made up;
//! the `at` / block-hash arguments are accepted and ignored (always the best block).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use parking_lot::Mutex;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::control::Control;
use crate::server::{take_faults, Terminal};
use crate::state::Sim;

/// Where `dbc-sim --chain-listen` serves when no address is given (Substrate's RPC port).
pub const DEFAULT_CHAIN_LISTEN: &str = "127.0.0.1:9944";

const BLOCK_MS: u64 = 6_000;
/// 0.35 DBC (15 decimals) per GPU per block.
const STAKE_PER_GPU_BLOCK: u128 = 350_000_000_000_000;
/// What a `garbage` fault sends instead of a reply.
const GARBAGE: &str = "<html>\u{0}garbage{\"jsonrpc\":\"2.0\",\r\n";

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const INTERNAL_ERROR: i64 = -32603;

const METHODS: &[&str] = &[
    "chain_getHeader",
    "chain_subscribeNewHeads",
    "chain_unsubscribeNewHeads",
    "rentMachine_getMachineRentId",
    "rentMachine_getRentList",
    "rentMachine_getRentOrder",
    "rpc_methods",
];

type BoxError = Box<dyn std::error::Error + Send + Sync>;

// ---------------------------------------------------------------------------------------------
// Chain state derived from the simulator

struct ChainOrder {
    id: u64,
    machine_id: String,
    renter: String,
    rent_start: u64,
    confirm_rent: u64,
    rent_end: u64,
    stake: u128,
    status: String,
    gpu_index: Vec<u32>,
}

impl ChainOrder {
    fn json(&self) -> Value {
        json!({
            "machineId": self.machine_id,
            "renter": self.renter,
            "rentStart": self.rent_start,
            "confirmRent": self.confirm_rent,
            "rentEnd": self.rent_end,
            "stakeAmount": self.stake.to_string(),
            "rentStatus": self.status,
            "gpuNum": self.gpu_index.len(),
            "gpuIndex": self.gpu_index,
        })
    }

    fn rented_by(&self, account: &[u8; 32]) -> bool {
        crate::crypto::parse_ss58_any(&self.renter).as_ref() == Some(account)
    }
}

/// The orders still on the chain at `block`, by id.
fn chain_orders(sim: &Sim, block: u64) -> Vec<ChainOrder> {
    let now = sim.now_secs();
    let start = sim.cfg.start_block;
    let block_at = |secs: u64| start + secs / 6;
    let st = sim.state.lock();
    let mut out: Vec<ChainOrder> = st
        .machines
        .values()
        .flat_map(|m| m.orders.iter().map(move |o| (m, o)))
        .filter(|(_, o)| block < block_at(o.end_secs))
        .map(|(m, o)| {
            let waiting = o.status == "waitingVerifying";
            let rent_start = if waiting {
                start
            } else {
                start.saturating_sub(600)
            };
            let rent_end = block_at(o.end_secs);
            ChainOrder {
                id: o.id,
                machine_id: m.node_id.clone(),
                renter: o.renter.clone(),
                rent_start,
                confirm_rent: if waiting { 0 } else { rent_start + 2 },
                rent_end,
                stake: o.gpu_index.len() as u128
                    * u128::from(rent_end - rent_start)
                    * STAKE_PER_GPU_BLOCK,
                status: o.status_at(now).to_string(),
                gpu_index: o.gpu_index.clone(),
            }
        })
        .collect();
    out.sort_by_key(|o| o.id);
    out
}

fn hash_of(kind: &str, n: u64) -> String {
    let mut input = kind.as_bytes().to_vec();
    input.extend_from_slice(&n.to_le_bytes());
    format!("0x{}", hex::encode(sp_crypto_hashing::blake2_256(&input)))
}

/// A Substrate header for block `n` (the number as `0x`-hex, as Substrate writes it).
fn header(n: u64) -> Value {
    json!({
        "parentHash": hash_of("block", n.saturating_sub(1)),
        "number": format!("0x{n:x}"),
        "stateRoot": hash_of("state", n),
        "extrinsicsRoot": hash_of("extrinsics", n),
        "digest": {"logs": []},
    })
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC

struct RpcError {
    code: i64,
    message: &'static str,
    data: Option<String>,
}

impl RpcError {
    fn new(code: i64, message: &'static str) -> RpcError {
        RpcError {
            code,
            message,
            data: None,
        }
    }
    fn params(why: impl Into<String>) -> RpcError {
        RpcError {
            code: INVALID_PARAMS,
            message: "Invalid params",
            data: Some(why.into()),
        }
    }
    fn reply(self, id: &Value) -> Value {
        let mut err = json!({"code": self.code, "message": self.message});
        if let Some(d) = self.data {
            err["data"] = json!(d);
        }
        json!({"jsonrpc": "2.0", "error": err, "id": id})
    }
}

/// Positional (array) or named (object) parameters, as the values for `names` (absent =
/// `null`). More positional values than names is an error.
fn params(params: &Value, names: &[&str]) -> Result<Vec<Value>, RpcError> {
    match params {
        Value::Null => Ok(vec![Value::Null; names.len()]),
        Value::Array(a) if a.len() <= names.len() => Ok(names
            .iter()
            .enumerate()
            .map(|(i, _)| a.get(i).cloned().unwrap_or(Value::Null))
            .collect()),
        Value::Array(a) => Err(RpcError::params(format!(
            "expected at most {} parameters, got {}",
            names.len(),
            a.len()
        ))),
        Value::Object(o) => Ok(names
            .iter()
            .map(|n| o.get(*n).cloned().unwrap_or(Value::Null))
            .collect()),
        _ => Err(RpcError::params("params must be an array or an object")),
    }
}

/// The optional block hash argument: `null` or text (ignored: always the best block).
fn check_at(v: &Value) -> Result<(), RpcError> {
    match v {
        Value::Null | Value::String(_) => Ok(()),
        other => Err(RpcError::params(format!("invalid block hash {other}"))),
    }
}

fn account(v: &Value) -> Result<[u8; 32], RpcError> {
    let text = v
        .as_str()
        .ok_or_else(|| RpcError::params(format!("expected an SS58 address, got {v}")))?;
    crate::crypto::parse_ss58_any(text)
        .ok_or_else(|| RpcError::params(format!("invalid SS58 address {text:?}")))
}

/// The plain (non-subscription) methods.
fn call_method(sim: &Sim, method: &str, p: &Value) -> Result<Value, RpcError> {
    let block = sim.chain_block();
    match method {
        "rentMachine_getRentList" => {
            let p = params(p, &["renter", "at"])?;
            check_at(&p[1])?;
            let who = account(&p[0])?;
            let ids: Vec<u64> = chain_orders(sim, block)
                .iter()
                .filter(|o| o.rented_by(&who))
                .map(|o| o.id)
                .collect();
            Ok(json!(ids))
        }
        "rentMachine_getRentOrder" => {
            let p = params(p, &["rent_id", "at"])?;
            check_at(&p[1])?;
            let id = p[0].as_u64().ok_or_else(|| {
                RpcError::params(format!("expected a u64 order id, got {}", p[0]))
            })?;
            Ok(chain_orders(sim, block)
                .iter()
                .find(|o| o.id == id)
                .map_or(Value::Null, ChainOrder::json))
        }
        "rentMachine_getMachineRentId" => {
            let p = params(p, &["machine_id", "at"])?;
            check_at(&p[1])?;
            let machine = p[0]
                .as_str()
                .ok_or_else(|| RpcError::params(format!("expected a machine id, got {}", p[0])))?;
            let orders: Vec<ChainOrder> = chain_orders(sim, block)
                .into_iter()
                .filter(|o| o.machine_id == machine)
                .collect();
            let mut used: Vec<u32> = orders.iter().flat_map(|o| o.gpu_index.clone()).collect();
            used.sort_unstable();
            used.dedup();
            let ids: Vec<u64> = orders.iter().map(|o| o.id).collect();
            Ok(json!({"rentOrder": ids, "usedGpu": used}))
        }
        "chain_getHeader" => {
            let p = params(p, &["hash"])?;
            check_at(&p[0])?;
            Ok(header(block))
        }
        "rpc_methods" => {
            params(p, &[])?;
            Ok(json!({"version": 1, "methods": METHODS}))
        }
        _ => Err(RpcError::new(METHOD_NOT_FOUND, "Method not found")),
    }
}

/// A request body or frame: the parsed JSON, or `None` when it is not JSON.
fn parse(raw: &[u8]) -> Option<Value> {
    serde_json::from_slice(raw).ok()
}

/// The name faults match a message by (`chain/<name>`): its method, `batch` for an array,
/// `invalid` for anything else.
fn fault_path(msg: &Option<Value>) -> String {
    let name = match msg {
        Some(Value::Array(_)) => "batch",
        Some(v) => v.get("method").and_then(Value::as_str).unwrap_or("invalid"),
        None => "invalid",
    };
    format!("chain/{name}")
}

/// Answer one request object; `None` for a notification (no `id`).
fn answer(
    sim: &Sim,
    call: &Value,
    ws: Option<&WsConn>,
    started: &mut Vec<String>,
) -> Option<Value> {
    let Some(obj) = call.as_object() else {
        return Some(RpcError::new(INVALID_REQUEST, "Invalid request").reply(&Value::Null));
    };
    let id = obj.get("id");
    let reply_id = id.cloned().unwrap_or(Value::Null);
    let valid = obj.get("jsonrpc").and_then(Value::as_str) == Some("2.0")
        && matches!(
            id,
            None | Some(Value::Null | Value::Number(_) | Value::String(_))
        )
        && obj.get("method").is_some_and(Value::is_string)
        && matches!(
            obj.get("params"),
            None | Some(Value::Null | Value::Array(_) | Value::Object(_))
        );
    if !valid {
        return Some(RpcError::new(INVALID_REQUEST, "Invalid request").reply(&reply_id));
    }
    let method = obj.get("method").and_then(Value::as_str).unwrap_or("");
    let p = obj.get("params").unwrap_or(&Value::Null);
    let result = match (method, ws) {
        ("chain_subscribeNewHeads", Some(ws)) => params(p, &[]).map(|_| {
            let sub = format!("sim-{}", ws.next_sub.fetch_add(1, Ordering::Relaxed));
            ws.subs.lock().insert(sub.clone(), None);
            started.push(sub.clone());
            json!(sub)
        }),
        ("chain_unsubscribeNewHeads", Some(ws)) => params(p, &["subscription"]).map(|p| {
            let removed = p[0]
                .as_str()
                .and_then(|s| ws.subs.lock().remove(s))
                .map(|h| h.map(|h| h.abort()));
            json!(removed.is_some())
        }),
        // Subscriptions need a connection that stays open.
        ("chain_subscribeNewHeads" | "chain_unsubscribeNewHeads", None) => {
            Err(RpcError::new(METHOD_NOT_FOUND, "Method not found"))
        }
        (m, _) => call_method(sim, m, p),
    };
    id?;
    Some(match result {
        Ok(v) => json!({"jsonrpc": "2.0", "result": v, "id": reply_id}),
        Err(e) => e.reply(&reply_id),
    })
}

/// Answer a whole message (single call or batch). `None`: nothing to send.
fn answer_message(
    sim: &Sim,
    msg: Option<Value>,
    ws: Option<&WsConn>,
    started: &mut Vec<String>,
) -> Option<Value> {
    match msg {
        None => Some(RpcError::new(PARSE_ERROR, "Parse error").reply(&Value::Null)),
        Some(Value::Array(calls)) if calls.is_empty() => {
            Some(RpcError::new(INVALID_REQUEST, "Invalid request").reply(&Value::Null))
        }
        Some(Value::Array(calls)) => {
            let replies: Vec<Value> = calls
                .iter()
                .filter_map(|c| answer(sim, c, ws, started))
                .collect();
            (!replies.is_empty()).then_some(Value::Array(replies))
        }
        Some(call) => answer(sim, &call, ws, started),
    }
}

/// The id of a single call, for a reply made up by a fault.
fn message_id(msg: &Option<Value>) -> Value {
    msg.as_ref()
        .and_then(|m| m.get("id"))
        .cloned()
        .unwrap_or(Value::Null)
}

// ---------------------------------------------------------------------------------------------
// HTTP

fn http_reply(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("Content-Type", content_type)
        .header("Access-Control-Allow-Origin", "*")
        .body(Full::new(body.into()))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Apply a terminal fault to an HTTP exchange: `Err` closes the connection without answering.
async fn http_fault(sim: &Sim, terminal: Terminal) -> Result<Response<Full<Bytes>>, BoxError> {
    match terminal {
        Terminal::Timeout => {
            let gw = sim.dur_ms(sim.cfg.timing.gateway_timeout_secs);
            tokio::time::sleep(Duration::from_millis(gw)).await;
            Err("simulated chain timeout: no answer".into())
        }
        Terminal::Reset => Err("simulated chain down: connection closed".into()),
        Terminal::Http500 => Ok(http_reply(500, "text/plain", "Internal Server Error")),
        // The fake chain does not stream huge replies: it answers with something unreadable.
        Terminal::Garbage | Terminal::HugeBody { .. } => {
            Ok(http_reply(200, "application/json", GARBAGE))
        }
        Terminal::Redirect { status, location } => {
            let mut r = http_reply(status, "text/plain", "");
            if let Ok(v) = hyper::header::HeaderValue::from_str(&location) {
                r.headers_mut().insert(hyper::header::LOCATION, v);
            }
            Ok(r)
        }
    }
}

async fn handle_http(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, BoxError> {
    let sim = shared.sim.clone();
    let upgrade = req
        .headers()
        .get(hyper::header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if upgrade && req.method() == hyper::Method::GET {
        return ws_upgrade(shared, req).await;
    }
    if req.method() != hyper::Method::POST {
        return Ok(http_reply(405, "text/plain", "Method Not Allowed"));
    }
    let body = match Limited::new(req.into_body(), 10 << 20).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => return Ok(http_reply(413, "text/plain", "Payload Too Large")),
    };
    let msg = parse(&body);
    let (latency, terminal) = take_faults(&sim, &fault_path(&msg), false);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    if let Some(t) = terminal {
        return http_fault(&sim, t).await;
    }
    Ok(match answer_message(&sim, msg, None, &mut vec![]) {
        Some(v) => http_reply(200, "application/json", v.to_string()),
        None => http_reply(200, "application/json", Bytes::new()),
    })
}

// ---------------------------------------------------------------------------------------------
// WebSocket

enum Out {
    Frame(Message),
    /// Close the TCP connection at once (no close frame).
    Drop,
}

struct WsConn {
    sim: Arc<Sim>,
    tx: mpsc::UnboundedSender<Out>,
    /// Subscription id → its notifier (`None` until started).
    subs: Mutex<HashMap<String, Option<JoinHandle<()>>>>,
    next_sub: Arc<AtomicU64>,
}

async fn ws_upgrade(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, BoxError> {
    let sim = shared.sim.clone();
    let (latency, terminal) = take_faults(&sim, "chain/connect", false);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    if let Some(t) = terminal {
        return http_fault(&sim, t).await;
    }
    let Some(key) = req.headers().get("sec-websocket-key") else {
        return Ok(http_reply(400, "text/plain", "missing Sec-WebSocket-Key"));
    };
    let accept = derive_accept_key(key.as_bytes());
    tokio::spawn(async move {
        if let Ok(upgraded) = hyper::upgrade::on(req).await {
            let ws =
                WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
            serve_ws(shared, ws).await;
        }
    });
    Ok(Response::builder()
        .status(101)
        .header(hyper::header::CONNECTION, "Upgrade")
        .header(hyper::header::UPGRADE, "websocket")
        .header("Sec-WebSocket-Accept", accept)
        .body(Full::new(Bytes::new()))?)
}

async fn serve_ws<S>(shared: Arc<Shared>, ws: WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn = Arc::new(WsConn {
        sim: shared.sim.clone(),
        tx,
        subs: Mutex::new(HashMap::new()),
        next_sub: shared.next_sub.clone(),
    });
    let mut stop = shared.stop.clone();
    loop {
        tokio::select! {
            m = stream.next() => match m {
                Some(Ok(Message::Text(t))) => ws_request(conn.clone(), t.as_bytes().to_vec()),
                Some(Ok(Message::Binary(b))) => ws_request(conn.clone(), b.to_vec()),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            out = rx.recv() => match out {
                Some(Out::Frame(m)) => {
                    if sink.send(m).await.is_err() {
                        break;
                    }
                }
                Some(Out::Drop) | None => break,
            },
            _ = stop.changed() => break,
        }
    }
    for (_, h) in conn.subs.lock().drain() {
        if let Some(h) = h {
            h.abort();
        }
    }
}

/// Answer one frame on its own task (a slow call does not hold up the others).
fn ws_request(conn: Arc<WsConn>, raw: Vec<u8>) {
    tokio::spawn(async move {
        let msg = parse(&raw);
        let (latency, terminal) = take_faults(&conn.sim, &fault_path(&msg), false);
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        match terminal {
            // never answered
            Some(Terminal::Timeout) => return,
            Some(Terminal::Reset) => {
                let _ = conn.tx.send(Out::Drop);
                return;
            }
            // A WebSocket has no redirects or streamed bodies: these answer garbage too.
            Some(Terminal::Garbage | Terminal::HugeBody { .. } | Terminal::Redirect { .. }) => {
                let _ = conn.tx.send(Out::Frame(Message::text(GARBAGE)));
                return;
            }
            Some(Terminal::Http500) => {
                let reply =
                    RpcError::new(INTERNAL_ERROR, "Internal error").reply(&message_id(&msg));
                let _ = conn.tx.send(Out::Frame(Message::text(reply.to_string())));
                return;
            }
            None => {}
        }
        let mut started = vec![];
        if let Some(v) = answer_message(&conn.sim, msg, Some(&conn), &mut started) {
            let _ = conn.tx.send(Out::Frame(Message::text(v.to_string())));
        }
        // after the reply that names them
        for sub in started {
            start_new_heads(conn.clone(), sub);
        }
    });
}

fn start_new_heads(conn: Arc<WsConn>, sub: String) {
    let task = tokio::spawn(new_heads(conn.clone(), sub.clone()));
    match conn.subs.lock().get_mut(&sub) {
        Some(slot) => *slot = Some(task),
        None => task.abort(),
    }
}

/// `chain_newHead` notifications: the current head at once, then each new block (a clock
/// advanced by hand gives one notification with the latest block). Faults on
/// `chain/chain_newHead` apply to each notification.
async fn new_heads(conn: Arc<WsConn>, sub: String) {
    let sim = conn.sim.clone();
    let mut advances = sim.clock.advances();
    let mut last = None;
    loop {
        let n = sim.chain_block();
        if last != Some(n) {
            last = Some(n);
            let (latency, terminal) = take_faults(&sim, "chain/chain_newHead", false);
            if latency > 0 {
                tokio::time::sleep(Duration::from_millis(latency)).await;
            }
            let frame = match terminal {
                Some(Terminal::Reset) => {
                    let _ = conn.tx.send(Out::Drop);
                    return;
                }
                Some(Terminal::Garbage | Terminal::HugeBody { .. } | Terminal::Redirect { .. }) => {
                    Some(Message::text(GARBAGE))
                }
                Some(Terminal::Timeout | Terminal::Http500) => None,
                None => Some(Message::text(
                    json!({
                        "jsonrpc": "2.0",
                        "method": "chain_newHead",
                        "params": {"subscription": sub, "result": header(n)},
                    })
                    .to_string(),
                )),
            };
            if let Some(f) = frame {
                if conn.tx.send(Out::Frame(f)).is_err() {
                    return;
                }
            }
        }
        let wait = BLOCK_MS - sim.clock.now_ms() % BLOCK_MS;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
            r = advances.changed() => if r.is_err() { return },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Server

struct Shared {
    sim: Arc<Sim>,
    stop: watch::Receiver<bool>,
    next_sub: Arc<AtomicU64>,
}

/// A running fake chain (HTTP and WebSocket on one address), sharing a simulator's clock and
/// rent orders.
pub struct ChainServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    accept: JoinHandle<()>,
}

impl ChainServer {
    /// Bind `addr` (port 0 = ephemeral) and serve the chain of the simulator behind `control`
    /// on the current tokio runtime.
    pub async fn start(control: &Control, addr: SocketAddr) -> std::io::Result<ChainServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            sim: control.sim.clone(),
            stop: rx.clone(),
            next_sub: Arc::new(AtomicU64::new(1)),
        });
        let accept = tokio::spawn(async move {
            let mut rx_accept = rx.clone();
            loop {
                tokio::select! {
                    r = listener.accept() => {
                        let Ok((stream, _)) = r else { continue };
                        let _ = stream.set_nodelay(true);
                        let shared = shared.clone();
                        let mut rx_conn = rx.clone();
                        tokio::spawn(async move {
                            let svc = service_fn(move |req| handle_http(shared.clone(), req));
                            let conn = http1::Builder::new()
                                .keep_alive(true)
                                .serve_connection(TokioIo::new(stream), svc)
                                .with_upgrades();
                            tokio::select! {
                                _ = conn => {}
                                _ = rx_conn.changed() => {}
                            }
                        });
                    }
                    _ = rx_accept.changed() => break,
                }
            }
        });
        Ok(ChainServer { addr, stop, accept })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (JSON-RPC over HTTP POST).
    pub fn http_url(&self) -> String {
        format!("http://{}", crate::server::host_port(self.addr))
    }

    /// `ws://127.0.0.1:PORT` (JSON-RPC over WebSocket, with subscriptions).
    pub fn ws_url(&self) -> String {
        format!("ws://{}", crate::server::host_port(self.addr))
    }

    /// Stop accepting, close connections and subscriptions.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.accept.await;
    }
}
