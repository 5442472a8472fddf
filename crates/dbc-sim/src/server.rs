//! HTTP/1.1 server (hyper), fault application and the `/__sim` control API.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api::{self, gw, Outcome, Reply};
use crate::config::SimConfig;
use crate::control::{Control, Fault, FaultKind};
use crate::state::Sim;

/// Response body: complete, cut off after some bytes followed by an error (connection reset), or
/// generated chunk by chunk as it is sent (`huge_body`).
pub enum SimBody {
    Full(Option<Bytes>),
    Cut(Option<Bytes>, bool),
    Generated(Generated),
}

/// A long body made as it is sent: an envelope's start, then filler, `remaining` bytes in all.
pub struct Generated {
    remaining: u64,
    started: bool,
    announced: bool,
    /// Bytes produced so far (the simulator's `huge_body_sent`).
    sent: Arc<AtomicU64>,
}

/// One chunk of filler, shared by every generated body (cloning `Bytes` copies nothing).
static FILLER: [u8; 64 << 10] = [b'x'; 64 << 10];

impl Generated {
    fn next_chunk(&mut self) -> Option<Bytes> {
        if self.remaining == 0 {
            return None;
        }
        let chunk = if self.started {
            Bytes::from_static(&FILLER)
        } else {
            self.started = true;
            Bytes::from_static(b"{\"errcode\":0,\"message\":\"")
        };
        let chunk = chunk.slice(..chunk.len().min(self.remaining as usize));
        self.remaining -= chunk.len() as u64;
        self.sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        Some(chunk)
    }
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            SimBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            SimBody::Cut(b, errored) => {
                if let Some(b) = b.take() {
                    Poll::Ready(Some(Ok(Frame::data(b))))
                } else if !*errored {
                    *errored = true;
                    Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "simulated reset",
                    ))))
                } else {
                    Poll::Ready(None)
                }
            }
            SimBody::Generated(g) => Poll::Ready(g.next_chunk().map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            SimBody::Full(None) => true,
            SimBody::Generated(g) => g.remaining == 0,
            _ => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            SimBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            SimBody::Full(None) => SizeHint::with_exact(0),
            SimBody::Cut(..) => SizeHint::default(),
            // An exact hint makes hyper send Content-Length; otherwise the body goes chunked.
            SimBody::Generated(g) if g.announced => SizeHint::with_exact(g.remaining),
            SimBody::Generated(_) => SizeHint::default(),
        }
    }
}

fn base_response(status: u16) -> hyper::http::response::Builder {
    Response::builder()
        .status(status)
        .header("Content-Type", "application/json")
        .header("Access-Control-Allow-Origin", "*")
}

fn render(r: Reply) -> Response<SimBody> {
    let mut body = r.body.into_bytes();
    body.extend_from_slice(b"\r\n");
    base_response(r.status)
        .body(SimBody::Full(Some(Bytes::from(body))))
        .unwrap_or_else(|_| Response::new(SimBody::Full(None)))
}

fn render_cut(r: Reply) -> Response<SimBody> {
    let mut body = r.body.into_bytes();
    body.extend_from_slice(b"\r\n");
    let full_len = body.len();
    body.truncate((full_len / 2).max(1));
    base_response(r.status)
        .header("Content-Length", full_len.to_string())
        .body(SimBody::Cut(Some(Bytes::from(body)), false))
        .unwrap_or_else(|_| Response::new(SimBody::Full(None)))
}

fn control_json(status: u16, v: Value) -> Response<SimBody> {
    render(Reply {
        status,
        body: serde_json::to_string_pretty(&v).unwrap_or_default(),
    })
}

pub(crate) enum Terminal {
    Timeout,
    Http500,
    Reset,
    Garbage,
    HugeBody { bytes: u64, announce_length: bool },
    Redirect { status: u16, location: String },
}

/// Pick the faults that apply to `path`: total latency and the first terminal fault.
/// `global`: whether faults without a path apply (gateway requests: yes; the chain: no).
pub(crate) fn take_faults(sim: &Sim, path: &str, global: bool) -> (u64, Option<Terminal>) {
    let mut faults = sim.faults.lock();
    let mut latency = 0;
    let mut terminal = None;
    for f in faults.iter_mut() {
        if !f.matches(path) || f.times == Some(0) || (!global && f.is_global()) {
            continue;
        }
        let used = match &f.kind {
            FaultKind::Latency { ms } => {
                latency += ms;
                true
            }
            // Applied by the handlers, not here.
            FaultKind::FailNext { .. } | FaultKind::HostileConnection(_) => false,
            kind if terminal.is_none() => {
                terminal = Some(match kind {
                    FaultKind::Timeout => Terminal::Timeout,
                    FaultKind::Http500 => Terminal::Http500,
                    FaultKind::Reset => Terminal::Reset,
                    FaultKind::HugeBody {
                        bytes,
                        announce_length,
                    } => Terminal::HugeBody {
                        bytes: *bytes,
                        announce_length: *announce_length,
                    },
                    FaultKind::Redirect { status, location } => Terminal::Redirect {
                        status: *status,
                        location: location.clone(),
                    },
                    _ => Terminal::Garbage,
                });
                true
            }
            _ => false,
        };
        if used {
            if let Some(n) = f.times.as_mut() {
                *n -= 1;
            }
        }
    }
    faults.retain(|f| f.times != Some(0));
    (latency, terminal)
}

async fn handle(sim: Arc<Sim>, req: Request<Incoming>) -> Result<Response<SimBody>, Infallible> {
    let method = req.method().as_str().to_string();
    let uri = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let body = match Limited::new(req.into_body(), 32 << 20).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => return Ok(render(gw(400, -25, "http request body is too large"))),
    };
    if uri == "/__sim" || uri.starts_with("/__sim/") {
        return Ok(control_http(&sim, &method, &uri, &body));
    }
    let prepared = match api::prepare(&sim, &method, &uri, &body) {
        Ok(p) => p,
        Err(r) => return Ok(render(r)),
    };
    let path = uri.split('?').next().unwrap_or("");
    let fault_path = path
        .strip_prefix("/api/v1")
        .unwrap_or(path)
        .trim_start_matches('/');
    let (latency, terminal) = take_faults(&sim, fault_path, true);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let gw_timeout = Duration::from_millis(sim.dur_ms(sim.cfg.timing.gateway_timeout_secs));
    match terminal {
        Some(Terminal::Timeout) => {
            tokio::time::sleep(gw_timeout).await;
            return Ok(render(gw(500, -1, prepared.route.timeout_message())));
        }
        Some(Terminal::Http500) => return Ok(render(gw(500, -1, "simulated internal error"))),
        Some(Terminal::Reset) => {
            let full = match api::dispatch(&sim, &prepared) {
                Outcome::Reply(r) => r,
                Outcome::Timeout(op) => gw(500, -1, op),
            };
            return Ok(render_cut(full));
        }
        Some(Terminal::Garbage) => {
            return Ok(base_response(200)
                .body(SimBody::Full(Some(Bytes::from_static(
                    b"<html>\x00garbage{\"errcode\":0,\r\n",
                ))))
                .unwrap_or_else(|_| Response::new(SimBody::Full(None))));
        }
        Some(Terminal::HugeBody {
            bytes,
            announce_length,
        }) => {
            return Ok(base_response(200)
                .body(SimBody::Generated(Generated {
                    remaining: bytes,
                    started: false,
                    announced: announce_length,
                    sent: sim.huge_body_sent.clone(),
                }))
                .unwrap_or_else(|_| Response::new(SimBody::Full(None))));
        }
        Some(Terminal::Redirect { status, location }) => {
            return Ok(base_response(status)
                .header("Location", location)
                .body(SimBody::Full(Some(Bytes::from_static(
                    b"{\"errcode\":0,\"message\":\"moved\"}\r\n",
                ))))
                .unwrap_or_else(|_| render(gw(500, -1, "bad redirect fault"))));
        }
        None => {}
    }
    match api::dispatch(&sim, &prepared) {
        Outcome::Reply(r) => Ok(render(r)),
        Outcome::Timeout(op) => {
            tokio::time::sleep(gw_timeout).await;
            Ok(render(gw(500, -1, op)))
        }
    }
}

fn control_http(sim: &Arc<Sim>, method: &str, uri: &str, body: &[u8]) -> Response<SimBody> {
    let path = uri.split('?').next().unwrap_or("").trim_end_matches('/');
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).skip(1).collect();
    let v: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                return control_json(400, json!({"ok": false, "error": format!("bad json: {e}")}))
            }
        }
    };
    let okj = |extra: Value| control_json(200, json!({"ok": true, "result": extra}));
    let bad = |msg: &str| control_json(400, json!({"ok": false, "error": msg}));
    let control = Control { sim: sim.clone() };
    match (method, segs.as_slice()) {
        ("GET", ["state"]) | ("GET", []) => control_json(200, sim.state_json()),
        ("GET", ["config"]) => {
            control_json(200, serde_json::to_value(&sim.cfg).unwrap_or(Value::Null))
        }
        ("GET", ["faults"]) => okj(serde_json::to_value(control.faults()).unwrap_or(Value::Null)),
        ("POST", ["faults"]) => {
            let list: Vec<Value> = match v {
                Value::Array(a) => a,
                other => vec![other],
            };
            let mut added = 0;
            for f in list {
                match serde_json::from_value::<Fault>(f) {
                    Ok(f) => {
                        control.add_fault(f);
                        added += 1;
                    }
                    Err(e) => return bad(&format!("bad fault: {e}")),
                }
            }
            okj(json!({"added": added}))
        }
        ("DELETE", ["faults"]) | ("POST", ["faults", "clear"]) => {
            control.clear_faults();
            okj(Value::Null)
        }
        ("POST", ["clock", "advance"]) => {
            let ms = v.get("ms").and_then(Value::as_u64).or_else(|| {
                v.get("secs")
                    .and_then(Value::as_f64)
                    .map(|s| (s * 1000.0) as u64)
            });
            match ms {
                Some(ms) => {
                    control.advance_clock(Duration::from_millis(ms));
                    okj(json!({"now_secs": control.now_secs()}))
                }
                None => bad("expected {\"secs\": n} or {\"ms\": n}"),
            }
        }
        ("POST", ["fail_next"]) => match v.get("step").and_then(Value::as_str) {
            Some(step) => {
                let n = v.get("times").and_then(Value::as_u64).unwrap_or(1) as u32;
                sim.fail_next(step, n);
                okj(Value::Null)
            }
            None => bad("expected {\"step\": \"create\"}"),
        },
        ("POST", ["machines", id, "status"]) => match v.get("status").and_then(Value::as_str) {
            Some(s) if control.set_machine_status(id, s) => okj(Value::Null),
            Some(_) => control_json(404, json!({"ok": false, "error": "unknown machine"})),
            None => bad("expected {\"status\": \"online\"}"),
        },
        ("POST", ["machines", id, "p2p"]) => match v.get("p2p").and_then(Value::as_str) {
            Some(s) if control.set_machine_p2p(id, s) => okj(Value::Null),
            Some(_) => control_json(404, json!({"ok": false, "error": "unknown machine"})),
            None => bad("expected {\"p2p\": \"offline\"}"),
        },
        ("GET", ["machines", id]) => match control.machine(id) {
            Some(m) => okj(serde_json::to_value(m).unwrap_or(Value::Null)),
            None => control_json(404, json!({"ok": false, "error": "unknown machine"})),
        },
        ("POST", ["machines", id, "tasks", task, "log"]) => {
            match v.get("line").and_then(Value::as_str) {
                Some(l) if control.push_log(id, task, l) => okj(Value::Null),
                Some(_) => control_json(404, json!({"ok": false, "error": "unknown task"})),
                None => bad("expected {\"line\": \"...\"}"),
            }
        }
        _ => control_json(
            404,
            json!({"ok": false, "error": format!("unknown control call {method} {path}")}),
        ),
    }
}

/// `HOST:PORT` for a URL (an unspecified address is reached on the loopback).
pub(crate) fn host_port(addr: SocketAddr) -> String {
    match addr {
        a if a.ip().is_unspecified() => format!("127.0.0.1:{}", a.port()),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
        SocketAddr::V4(a) => a.to_string(),
    }
}

/// A running simulator.
pub struct SimServer {
    addr: SocketAddr,
    sim: Arc<Sim>,
    stop: watch::Sender<bool>,
    accept: JoinHandle<()>,
}

impl SimServer {
    /// Bind `addr` (port 0 = ephemeral) and serve on the current tokio runtime.
    pub async fn start(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimServer> {
        config
            .validate()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let sim = Arc::new(Sim::new(config));
        let (stop, rx) = watch::channel(false);
        let sim2 = sim.clone();
        let accept = tokio::spawn(async move {
            let mut rx_accept = rx.clone();
            loop {
                tokio::select! {
                    r = listener.accept() => {
                        let Ok((stream, _)) = r else { continue };
                        sim2.connections.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let _ = stream.set_nodelay(true);
                        let sim = sim2.clone();
                        let mut rx_conn = rx.clone();
                        tokio::spawn(async move {
                            let svc = service_fn(move |req| handle(sim.clone(), req));
                            let conn = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), svc);
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
        Ok(SimServer {
            addr,
            sim,
            stop,
            accept,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (no trailing slash, no `/api/v1`).
    pub fn base_url(&self) -> String {
        format!("http://{}", host_port(self.addr))
    }

    /// Serve this simulator's chain (JSON-RPC over HTTP and WebSocket) on `addr` as well.
    pub async fn start_chain(&self, addr: SocketAddr) -> std::io::Result<crate::ChainServer> {
        crate::ChainServer::start(&self.control(), addr).await
    }

    pub fn control(&self) -> Control {
        Control {
            sim: self.sim.clone(),
        }
    }

    /// Stop accepting, close connections.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.accept.await;
    }
}
