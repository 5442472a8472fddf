//! The client-node gateway (envelope checks, routing) and the GPU-node logic.
//! Requests are parsed as raw `serde_json::Value`, like the real node does.

use serde_json::{json, Map, Value};

use crate::crypto;
use crate::state::{
    fmt_image_size, fmt_size_gb, gen_mac, gen_password, Disk, DiskOp, Lan, Machine, Op, Pending,
    RentOrder, Session, Sim, Snapshot, State, Task, Transfer, TransferKind, VState,
};

/// A rendered reply (body without the trailing `\r\n`).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// Gateway-built reply: pretty-printed.
pub fn gw(status: u16, code: i64, msg: impl Into<Value>) -> Reply {
    let v = json!({"errcode": code, "message": msg.into()});
    Reply {
        status,
        body: serde_json::to_string_pretty(&v).unwrap_or_default(),
    }
}

fn has_bad_text(v: &Value) -> bool {
    let bad = |s: &str| {
        s.chars()
            .any(|c| c == '"' || c == '\\' || (c as u32) < 0x20)
    };
    match v {
        Value::String(s) => bad(s),
        Value::Array(a) => a.iter().any(has_bad_text),
        Value::Object(o) => o.iter().any(|(k, v)| bad(k) || has_bad_text(v)),
        _ => false,
    }
}

/// Node-built reply: compact, hand-assembled; with the unescaped-JSON quirk, text containing
/// `"`, `\` or control characters makes the gateway answer 500 `response parse error`.
pub fn node(sim: &Sim, code: i64, msg: impl Into<Value>) -> Reply {
    let msg = msg.into();
    if sim.cfg.quirks.unescaped_json && has_bad_text(&msg) {
        return gw(500, -1, "response parse error");
    }
    Reply {
        status: 200,
        body: format!(
            "{{\"errcode\":{code}, \"message\":{}}}",
            serde_json::to_string(&msg).unwrap_or_default()
        ),
    }
}

fn ok(sim: &Sim) -> Reply {
    node(sim, 0, "ok")
}

fn auth_err(sim: &Sim, reason: &str) -> Reply {
    node(sim, -3, format!("check authority failed: {reason}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeReq {
    Required,
    Optional,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pre {
    None,
    /// "wallet_sign and multisig_wallets all invalid"
    W,
    /// "session_id and wallet all invalid"
    S,
    /// mode A or B only
    AB,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskVerb {
    List,
    Resize,
    Add,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Version,
    MiningNodes,
    SessionId,
    FreeMemory,
    TaskList,
    TaskCreate,
    TaskDetail(String),
    TaskOp(Op, String),
    TaskLogs(String),
    TaskModify(String),
    TaskPasswd(String),
    Disk(DiskVerb, String),
    SnapList(String, Option<String>),
    SnapCreate(String),
    SnapDelete(String, String),
    ImageServers,
    Images,
    ImgDownload,
    ImgDlProgress,
    ImgUpload,
    ImgUlProgress,
    ImgDlStop,
    ImgUlStop,
    ImgDelete,
    LanCreate,
    LanDelete(String),
    LanList(Option<String>),
    RentOrders(Option<String>),
    Peers,
    Monitor,
    MonitorSet,
}

impl Route {
    fn meta(&self) -> (&'static str, NodeReq, Pre) {
        use NodeReq::*;
        use Route::*;
        match self {
            Version => ("", Never, Pre::None),
            MiningNodes => ("query node info timeout", Optional, Pre::None),
            SessionId => ("get session_id timeout", Required, Pre::AB),
            FreeMemory => ("free memory timeout", Required, Pre::W),
            TaskList | TaskDetail(_) => ("list task timeout", Required, Pre::W),
            TaskCreate => ("create task timeout", Required, Pre::S),
            TaskOp(op, _) => (
                match op {
                    Op::Start => "start task timeout",
                    Op::Shutdown => "shutdown task timeout",
                    Op::Poweroff => "stop task timeout",
                    Op::Restart => "restart task timeout",
                    Op::Reset => "reset task timeout",
                    Op::Delete | Op::Create => "delete task timeout",
                },
                Required,
                Pre::W,
            ),
            TaskLogs(_) => ("task logs timeout", Required, Pre::W),
            TaskModify(_) => ("modify task timeout", Required, Pre::W),
            TaskPasswd(_) => ("set task password timeout", Required, Pre::W),
            Disk(v, _) => (
                match v {
                    DiskVerb::List => "list disk timeout",
                    DiskVerb::Resize => "resize disk timeout",
                    DiskVerb::Add => "add disk timeout",
                    DiskVerb::Delete => "delete disk timeout",
                },
                Required,
                Pre::S,
            ),
            SnapList(..) => ("list snapshot timeout", Required, Pre::W),
            SnapCreate(_) => ("create snapshot timeout", Required, Pre::W),
            SnapDelete(..) => ("delete snapshot timeout", Required, Pre::W),
            ImageServers => ("", Never, Pre::None),
            Images => ("list images timeout", Optional, Pre::None),
            ImgDownload => ("download image timeout", Required, Pre::S),
            ImgDlProgress => ("query download image progress timeout", Required, Pre::S),
            ImgUpload => ("upload image timeout", Optional, Pre::S),
            ImgUlProgress => ("query upload image progress timeout", Required, Pre::S),
            ImgDlStop => ("download image timeout", Required, Pre::S),
            ImgUlStop => ("upload image timeout", Required, Pre::S),
            ImgDelete => ("upload image timeout", Required, Pre::S),
            LanCreate => ("create local area network timeout", Required, Pre::W),
            LanDelete(_) => ("delete local area network timeout", Required, Pre::None),
            LanList(_) => ("list local area network timeout", Optional, Pre::None),
            RentOrders(_) => ("query rent orders timeout", Required, Pre::None),
            Peers => ("", Never, Pre::None),
            Monitor | MonitorSet => ("monitor timeout", Required, Pre::W),
        }
    }

    /// Timeout message of the route (`<op> timeout`).
    pub fn timeout_message(&self) -> &'static str {
        let m = self.meta().0;
        if m.is_empty() {
            "request timeout"
        } else {
            m
        }
    }
}

/// A request accepted by the gateway, ready for the node.
pub struct Prepared {
    pub route: Route,
    pub body: Map<String, Value>,
    pub query: Vec<(String, String)>,
    /// Machine the request goes to (None = gateway-local).
    pub node: Option<String>,
    /// Log query (flag-is-head, line count) computed by the gateway.
    pub log: Option<(bool, usize)>,
}

/// Outcome of dispatching to the node.
pub enum Outcome {
    Reply(Reply),
    /// The node never answers: wait the gateway timeout, then `500 -1 <op> timeout`.
    Timeout(&'static str),
}

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect()
}

fn route(sub: &str) -> Result<Route, Reply> {
    let segs: Vec<&str> = sub.split('/').filter(|s| !s.is_empty()).collect();
    let s = |i: usize| segs.get(i).map(|x| x.to_string());
    let n = segs.len();
    let bad_shape = |hint: &str| Err(gw(400, -25, format!("invalid uri, please use {hint}")));
    let r = match segs.first().copied().unwrap_or("") {
        "mining_nodes" => match (n, segs.get(1).copied()) {
            (1, _) => Route::MiningNodes,
            (2, Some("session_id")) => Route::SessionId,
            (2, Some("free_memory")) => Route::FreeMemory,
            _ => return Err(gw(400, -32600, "invalid requests uri")),
        },
        "tasks" => match n {
            1 => Route::TaskList,
            2 if segs[1] == "start" => Route::TaskCreate,
            2 => Route::TaskDetail(segs[1].to_string()),
            3 => {
                let id = segs[2].to_string();
                match segs[1] {
                    "start" => Route::TaskOp(Op::Start, id),
                    "shutdown" => Route::TaskOp(Op::Shutdown, id),
                    "poweroff" | "stop" => Route::TaskOp(Op::Poweroff, id),
                    "restart" => Route::TaskOp(Op::Restart, id),
                    "reset" => Route::TaskOp(Op::Reset, id),
                    "delete" => Route::TaskOp(Op::Delete, id),
                    "logs" => Route::TaskLogs(id),
                    "modify" => Route::TaskModify(id),
                    "passwd" => Route::TaskPasswd(id),
                    _ => return Err(gw(500, -32701, "Unhandled request")),
                }
            }
            _ => return bad_shape("/api/v1/tasks/<operation>/<task_id>"),
        },
        "disk" => {
            let verb = match segs.get(1).copied() {
                Some("list") => DiskVerb::List,
                Some("resize") => DiskVerb::Resize,
                Some("add") => DiskVerb::Add,
                Some("delete") => DiskVerb::Delete,
                _ => return Err(gw(400, -32600, "invalid requests uri")),
            };
            if n != 3 {
                return bad_shape("/api/v1/disk/<operation>/<task_id>");
            }
            Route::Disk(verb, segs[2].to_string())
        }
        "snapshot" => match (segs.get(1).copied(), n) {
            (Some("list"), 3) => Route::SnapList(segs[2].to_string(), None),
            (Some("list"), 4) => Route::SnapList(segs[2].to_string(), s(3)),
            (Some("create"), 3) => Route::SnapCreate(segs[2].to_string()),
            (Some("delete"), 4) => Route::SnapDelete(segs[2].to_string(), segs[3].to_string()),
            (Some("list" | "create" | "delete"), _) => {
                return bad_shape("/api/v1/snapshot/<operation>/<task_id>[/<snapshot_name>]")
            }
            _ => return Err(gw(400, -32600, "invalid requests uri")),
        },
        "images" => match (n, segs.get(1).copied()) {
            (1, _) => Route::Images,
            (2, Some("servers")) => Route::ImageServers,
            (2, Some("download")) => Route::ImgDownload,
            (2, Some("downloadprogress")) => Route::ImgDlProgress,
            (2, Some("upload")) => Route::ImgUpload,
            (2, Some("uploadprogress")) => Route::ImgUlProgress,
            (2, Some("download_stop")) => Route::ImgDlStop,
            (2, Some("upload_stop")) => Route::ImgUlStop,
            (2, Some("delete")) => Route::ImgDelete,
            _ => return Err(gw(400, -32600, "invalid requests uri")),
        },
        "lan" => match (n, segs.get(1).copied()) {
            (1, _) => Route::LanList(None),
            (2, Some("create")) => Route::LanCreate,
            (3, Some("delete")) => Route::LanDelete(segs[2].to_string()),
            (2, Some(name)) => Route::LanList(Some(name.to_string())),
            _ => return bad_shape("/api/v1/lan/<network_name>"),
        },
        "rent_orders" => match n {
            1 => Route::RentOrders(None),
            2 => Route::RentOrders(s(1)),
            _ => return bad_shape("/api/v1/rent_orders/<rent_order>"),
        },
        "peers" => match (n, segs.get(1).copied()) {
            (2, Some("active" | "global" | "lan")) => Route::Peers,
            _ => return Err(gw(400, -32600, "invalid requests uri")),
        },
        "monitor" => match (n, segs.get(1).copied()) {
            (1, _) => Route::Monitor,
            (2, Some("set")) => Route::MonitorSet,
            _ => return Err(gw(400, -32600, "invalid requests uri")),
        },
        "stat" | "config" => return Err(gw(500, -32701, "Unhandled request")),
        _ => {
            return Err(Reply {
                status: 404,
                body: String::new(),
            })
        }
    };
    Ok(r)
}

fn is_str_or_absent(b: &Map<String, Value>, k: &str) -> bool {
    b.get(k).is_none_or(Value::is_string)
}

fn check_envelope(b: &Map<String, Value>) -> Result<(), String> {
    match b.get("peer_nodes_list") {
        None => return Err("has no peer_nodes_list".into()),
        Some(v) if !v.is_array() => return Err("peer_nodes_list is not array".into()),
        _ => {}
    }
    match b.get("additional") {
        None => return Err("has no additional".into()),
        Some(v) if !v.is_object() => return Err("additional is not object".into()),
        _ => {}
    }
    for k in [
        "wallet",
        "nonce",
        "sign",
        "session_id",
        "session_id_sign",
        "rent_order",
    ] {
        if !is_str_or_absent(b, k) {
            return Err(format!("{k} is not string"));
        }
    }
    if let Some(m) = b.get("multisig_accounts") {
        let Some(m) = m.as_object() else {
            return Err("multisig_accounts is not object".into());
        };
        match m.get("wallets") {
            None => return Err("multisig_accounts has no member wallets".into()),
            Some(v) if !v.is_array() => {
                return Err("multisig_accounts member wallets is not array".into())
            }
            _ => {}
        }
        match m.get("threshold") {
            None => return Err("multisig_accounts has no member threshold".into()),
            Some(v) if !v.is_string() => {
                return Err("multisig_accounts member threshold is not string".into())
            }
            _ => {}
        }
        match m.get("signs") {
            None => return Err("multisig_accounts has no member signs".into()),
            Some(v) if !v.is_array() => {
                return Err("multisig_accounts member signs is not array".into())
            }
            _ => {}
        }
    }
    Ok(())
}

fn nonempty<'a>(b: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    b.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

struct Multi {
    wallets: Vec<String>,
    threshold: String,
    signs: Vec<(String, String, String)>,
}

fn multisig(b: &Map<String, Value>) -> Option<Multi> {
    let m = b.get("multisig_accounts")?.as_object()?;
    let wallets = m
        .get("wallets")?
        .as_array()?
        .iter()
        .map(|w| w.as_str().map(String::from))
        .collect::<Option<Vec<_>>>()?;
    let threshold = m.get("threshold")?.as_str()?.to_string();
    let signs = m
        .get("signs")?
        .as_array()?
        .iter()
        .map(|s| {
            let o = s.as_object()?;
            Some((
                nonempty(o, "wallet")?.to_string(),
                nonempty(o, "nonce")?.to_string(),
                nonempty(o, "sign")?.to_string(),
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    if wallets.is_empty() || signs.is_empty() || threshold.is_empty() {
        return None;
    }
    Some(Multi {
        wallets,
        threshold,
        signs,
    })
}

fn single(b: &Map<String, Value>) -> Option<(String, String, String)> {
    Some((
        nonempty(b, "wallet")?.to_string(),
        nonempty(b, "nonce")?.to_string(),
        nonempty(b, "sign")?.to_string(),
    ))
}

fn session_pair(b: &Map<String, Value>) -> Option<(String, String)> {
    Some((
        nonempty(b, "session_id")?.to_string(),
        nonempty(b, "session_id_sign")?.to_string(),
    ))
}

fn json_error_offset(body: &[u8], e: &serde_json::Error) -> usize {
    if e.classify() == serde_json::error::Category::Eof {
        return body.len();
    }
    let (line, col) = (e.line(), e.column());
    let mut off = 0usize;
    for (i, l) in body.split(|b| *b == b'\n').enumerate() {
        if i + 1 == line {
            return off + col.saturating_sub(1);
        }
        off += l.len() + 1;
    }
    body.len()
}

/// Gateway stage: URI, method, body, envelope, parameters. Returns the request ready for
/// dispatch (faults are applied between this and [`dispatch`]).
pub fn prepare(sim: &Sim, method: &str, uri: &str, body: &[u8]) -> Result<Prepared, Reply> {
    let (path, query) = match uri.split_once('?') {
        Some((p, q)) => (p, q),
        None => (uri, ""),
    };
    if path == "/api/v1" || path == "/api/v1/" {
        return Ok(Prepared {
            route: Route::Version,
            body: Map::new(),
            query: vec![],
            node: None,
            log: None,
        });
    }
    let Some(sub) = path.strip_prefix("/api/v1/") else {
        return Err(gw(
            400,
            -32600,
            format!("request uri is invalid, uri:{uri}"),
        ));
    };
    if method != "POST" {
        return Err(gw(400, -32600, "only support POST request"));
    }
    let route = match route(sub) {
        Ok(r) => r,
        Err(r) if r.status == 404 => return Err(gw(404, -32601, format!("not support uri:{uri}"))),
        Err(r) => return Err(r),
    };
    let prefix = match route {
        Route::MiningNodes => "parse req params failed: ",
        Route::Images | Route::ImgUpload | Route::ImgDownload => "parse request params failed: ",
        _ => "",
    };
    let e25 = |m: String| gw(400, -25, format!("{prefix}{m}"));
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(gw(400, -25, "http request body is empty"));
    }
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            return Err(e25(format!(
                "json parse error: {msg}({})",
                json_error_offset(body, &e)
            )));
        }
    };
    let Value::Object(b) = v else {
        return Err(e25("invalid json".into()));
    };
    if matches!(route, Route::ImageServers | Route::Peers) {
        return Ok(Prepared {
            route,
            body: b,
            query: vec![],
            node: None,
            log: None,
        });
    }
    check_envelope(&b).map_err(e25)?;
    let (_, nreq, pre) = route.meta();
    let first = b
        .get("peer_nodes_list")
        .and_then(Value::as_array)
        .and_then(|a| a.first());
    let node_id = first
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let node_id = match nreq {
        NodeReq::Never => None,
        NodeReq::Optional => node_id,
        NodeReq::Required => match node_id {
            Some(n) => Some(n),
            None => return Err(e25("peer_nodeid is empty".into())),
        },
    };
    let has_session = session_pair(&b).is_some();
    let has_wallet = single(&b).is_some();
    let has_multi = multisig(&b).is_some();
    let needs_pre = node_id.is_some();
    if needs_pre {
        match pre {
            Pre::W if !(has_session || has_wallet || has_multi) => {
                return Err(e25("wallet_sign and multisig_wallets all invalid".into()));
            }
            Pre::S if !(has_session || has_wallet || has_multi) => {
                return Err(e25("session_id and wallet all invalid".into()));
            }
            Pre::AB if !(has_wallet || has_multi) => {
                return Err(e25("wallet_sign and multisig_wallets all invalid".into()))
            }
            _ => {}
        }
    }
    let add = b
        .get("additional")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // image server checks done by the gateway
    let server_known =
        |id: Option<&str>| id.is_some_and(|id| sim.cfg.image_servers.iter().any(|s| s.id == id));
    let srv = add.get("image_server").and_then(Value::as_str);
    let srv_err = || gw(400, -25, "image_server not exist");
    match &route {
        Route::MiningNodes if node_id.is_some() && srv.is_some() && !server_known(srv) => {
            return Err(srv_err())
        }
        Route::Images
            if (node_id.is_none() && !server_known(srv))
                || (node_id.is_some() && srv.is_some() && !server_known(srv)) =>
        {
            return Err(srv_err());
        }
        Route::ImgDownload | Route::ImgUpload | Route::SnapCreate(_) if !server_known(srv) => {
            return Err(srv_err())
        }
        _ => {}
    }
    let query = parse_query(query);
    let mut log = None;
    if let Route::TaskLogs(_) = route {
        let flag = query
            .iter()
            .find(|(k, _)| k == "flag")
            .map(|(_, v)| v.as_str());
        let ln = query
            .iter()
            .find(|(k, _)| k == "line_num")
            .map(|(_, v)| v.as_str());
        let quirk = sim.cfg.quirks.log_query;
        let parse_n = |ln: Option<&str>| -> Result<usize, Reply> {
            match ln {
                None => Ok(100),
                Some(s) => match s.parse::<i64>() {
                    Ok(n) if n > 0 => Ok(if n > 100 {
                        if quirk {
                            99
                        } else {
                            100
                        }
                    } else {
                        n as usize
                    }),
                    _ => Err(gw(400, -25, "invalid line num")),
                },
            }
        };
        log = Some(match flag {
            None if quirk => (false, 100),
            None => (false, parse_n(ln)?),
            Some("head") => (true, parse_n(ln)?),
            Some("tail") => (false, parse_n(ln)?),
            Some(_) => {
                return Err(gw(
                    400,
                    -25,
                    if quirk {
                        "head_or_tail is invalid\""
                    } else {
                        "head_or_tail is invalid"
                    },
                ));
            }
        });
    }
    Ok(Prepared {
        route,
        body: b,
        query,
        node: node_id,
        log,
    })
}

/// Gateway-local answers and node dispatch.
pub fn dispatch(sim: &Sim, p: &Prepared) -> Outcome {
    let add = p
        .body
        .get("additional")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // gateway-local
    match (&p.route, &p.node) {
        (Route::Version, _) => {
            return Outcome::Reply(gw(
                200,
                0,
                json!({"client_version": sim.cfg.client_version}),
            ))
        }
        (Route::ImageServers, _) => {
            let ids: Vec<&str> = sim
                .cfg
                .image_servers
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            return Outcome::Reply(gw(200, 0, json!({"image_server": ids})));
        }
        (Route::Peers, _) => {
            let st = sim.state.lock();
            let peers: Vec<Value> = st
                .machines
                .values()
                .filter(|m| m.p2p != "offline")
                .map(|m| json!({"node_id": m.node_id, "addr": format!("{}:5001", m.ip)}))
                .collect();
            return Outcome::Reply(gw(200, 0, json!({"peer_nodes": peers})));
        }
        (Route::MiningNodes, None) => {
            let st = sim.state.lock();
            let list: Vec<Value> = st
                .machines
                .values()
                .filter(|m| m.p2p != "offline")
                .map(|m| json!({"node_id": m.node_id, "name": m.name, "version": m.version}))
                .collect();
            return Outcome::Reply(gw(200, 0, json!({"mining_nodes": list})));
        }
        (Route::Images, None) => {
            let now = sim.clock.now_ms();
            let mut st = sim.state.lock();
            let ids: Vec<String> = st.machines.keys().cloned().collect();
            for id in ids {
                sim.settle(&mut st, &id, now);
            }
            let srv = add
                .get("image_server")
                .and_then(Value::as_str)
                .unwrap_or("");
            let list: Vec<Value> = st
                .image_servers
                .get(srv)
                .map(|m| {
                    m.iter()
                        .filter(|(n, _)| n.ends_with(".qcow2"))
                        .map(|(n, s)| json!({"image_name": n, "image_size": fmt_image_size(*s)}))
                        .collect()
                })
                .unwrap_or_default();
            return Outcome::Reply(gw(200, 0, Value::Array(list)));
        }
        (Route::ImgUpload, None) => {
            let name = add
                .get("image_filename")
                .and_then(Value::as_str)
                .unwrap_or("");
            let base = name.strip_prefix("/data/").unwrap_or(name);
            let mut st = sim.state.lock();
            let Some(size) = st.client_files.get(base).copied() else {
                return Outcome::Reply(gw(
                    400,
                    -25,
                    format!("image_filename: /data/{base} not exist"),
                ));
            };
            let srv = add
                .get("image_server")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if let Some(s) = st.image_servers.get_mut(&srv) {
                s.insert(base.to_string(), size);
            }
            return Outcome::Reply(gw(200, 0, "ok"));
        }
        (Route::LanList(name), None) => {
            let st = sim.state.lock();
            let all: Vec<Value> = st
                .machines
                .values()
                .flat_map(|m| m.lans.values().map(move |l| lan_json(sim, m, l)))
                .collect();
            return Outcome::Reply(match name {
                None => gw(200, 0, json!({"networks": all})),
                Some(n) => match all.into_iter().find(|l| l["network_name"] == n.as_str()) {
                    Some(l) => gw(200, 0, l),
                    None => gw(400, -25, "network name not exist"),
                },
            });
        }
        _ => {}
    }
    let Some(node_id) = p.node.as_deref() else {
        return Outcome::Reply(gw(400, -25, "peer_nodeid is empty"));
    };
    let p2p = sim
        .state
        .lock()
        .machines
        .get(node_id)
        .map(|m| m.p2p.clone());
    match p2p.as_deref() {
        None | Some("offline") => {
            return Outcome::Reply(gw(400, -32701, "create node request failed"))
        }
        Some("silent") => return Outcome::Timeout(p.route.timeout_message()),
        _ => {}
    }
    Outcome::Reply(node_dispatch(sim, node_id, p, &add))
}

// ---------------------------------------------------------------- node side

pub struct Who {
    pub wallet: String,
    pub order: Option<RentOrder>,
}

enum Class {
    Rented,
    Online,
    Verify,
    Unknown,
}

fn classify(status: &str) -> Class {
    match status {
        "rented" | "creating" => Class::Rented,
        "online" | "waitingFulfill" => Class::Online,
        "addingCustomizeInfo" | "distributingOrder" | "committeeVerifying" | "committeeRefused" => {
            Class::Verify
        }
        _ => Class::Unknown,
    }
}

fn ensure_session(st: &mut State, node_id: &str, wallet: &str, members: &[String]) {
    let State { rng, machines, .. } = st;
    if let Some(m) = machines.get_mut(node_id) {
        if !m.sessions.iter().any(|s| s.wallet == wallet) {
            let sid = crypto::session_id(rng);
            m.sessions.push(Session {
                wallet: wallet.to_string(),
                session_id: sid,
                members: members.to_vec(),
            });
        }
    }
}

/// §3 authorization. Signature verification happens outside the state lock.
pub fn authorize(
    sim: &Sim,
    node_id: &str,
    b: &Map<String, Value>,
    allow_session: bool,
) -> Result<Who, Reply> {
    let now_s = sim.now_secs();
    let session = if allow_session { session_pair(b) } else { None };
    let multi = multisig(b);
    let wallet = single(b);
    let order_id = nonempty(b, "rent_order");
    let (order, sess_rec, used) = {
        let st = sim.state.lock();
        let Some(m) = st.machines.get(node_id) else {
            return Err(auth_err(sim, "query machine_status failed"));
        };
        match classify(&m.chain_status) {
            Class::Rented => {}
            Class::Online => return Err(auth_err(sim, "machine is not be rented")),
            Class::Verify => return Err(auth_err(sim, "not in verify time")),
            Class::Unknown => return Err(auth_err(sim, "query machine_status failed")),
        }
        let order = order_id.and_then(|id| m.order(id)).cloned();
        let rec = session
            .as_ref()
            .and_then(|(sid, _)| m.sessions.iter().find(|s| &s.session_id == sid))
            .cloned();
        let used: Vec<bool> = match (&multi, &wallet) {
            (Some(mu), _) => mu
                .signs
                .iter()
                .map(|(_, n, _)| m.nonces.contains(n))
                .collect(),
            (None, Some((_, n, _))) => vec![m.nonces.contains(n)],
            _ => vec![],
        };
        (order, rec, used)
    };
    let renter_ok = |acct: &str| {
        order
            .as_ref()
            .is_some_and(|o| o.renter == acct && o.active(now_s))
    };
    let mut session_invalid = false;
    if let Some((sid, sig)) = &session {
        if let Some(rec) = sess_rec {
            let valid = crypto::verify(&rec.wallet, sid, sig)
                || rec.members.iter().any(|w| crypto::verify(w, sid, sig));
            if valid {
                return if renter_ok(&rec.wallet) {
                    Ok(Who {
                        wallet: rec.wallet,
                        order,
                    })
                } else {
                    Err(auth_err(sim, "machine has already expired"))
                };
            }
        }
        session_invalid = true;
    }
    let nonce_fail = || auth_err(sim, "nonce check failed");
    let (account, nonces, members) = if let Some(mu) = multi {
        let th: u16 = match mu.threshold.parse() {
            Ok(t) if t > 0 => t,
            _ => return Err(nonce_fail()),
        };
        if th as usize > mu.wallets.len() || th as usize > mu.signs.len() {
            return Err(nonce_fail());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, (w, n, s)) in mu.signs.iter().enumerate() {
            if !mu.wallets.contains(w)
                || used[i]
                || !seen.insert(n.clone())
                || !crypto::verify(w, n, s)
            {
                return Err(nonce_fail());
            }
        }
        let Some(acct) = crypto::multisig_account(&mu.wallets, th) else {
            return Err(nonce_fail());
        };
        (
            acct,
            mu.signs
                .iter()
                .map(|(_, n, _)| n.clone())
                .collect::<Vec<_>>(),
            mu.wallets,
        )
    } else if let Some((w, n, s)) = wallet {
        if used.first().copied().unwrap_or(false) || !crypto::verify(&w, &n, &s) {
            return Err(nonce_fail());
        }
        (w, vec![n], vec![])
    } else if session_invalid {
        return Err(auth_err(sim, "session_id is invalid"));
    } else {
        return Err(nonce_fail());
    };
    let mut st = sim.state.lock();
    {
        let Some(m) = st.machines.get_mut(node_id) else {
            return Err(nonce_fail());
        };
        if nonces.iter().any(|n| m.nonces.contains(n)) {
            return Err(nonce_fail());
        }
        for n in nonces {
            m.nonces.insert(n);
        }
    }
    if renter_ok(&account) {
        ensure_session(&mut st, node_id, &account, &members);
        Ok(Who {
            wallet: account,
            order,
        })
    } else {
        Err(auth_err(sim, "wallet not rented"))
    }
}

fn gs<'a>(add: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    add.get(k).and_then(Value::as_str)
}

fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn ipv4(s: &str) -> Option<[u8; 4]> {
    s.parse::<std::net::Ipv4Addr>().ok().map(|a| a.octets())
}

fn str_array(add: &Map<String, Value>, k: &str) -> Vec<String> {
    add.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn node_dispatch(sim: &Sim, node_id: &str, p: &Prepared, add: &Map<String, Value>) -> Reply {
    let b = &p.body;
    // endpoints without authorization
    match &p.route {
        Route::MiningNodes => return machine_info(sim, node_id, add),
        Route::RentOrders(id) => return rent_orders(sim, node_id, id.as_deref()),
        Route::LanList(name) => return lan_list(sim, node_id, name.as_deref()),
        Route::Images
            if single(b).is_none() && multisig(b).is_none() && session_pair(b).is_none() =>
        {
            return images_list(sim, node_id, add, None);
        }
        _ => {}
    }
    let allow_session = !matches!(p.route, Route::SessionId);
    let who = match authorize(sim, node_id, b, allow_session) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let now = sim.clock.now_ms();
    let mut g = sim.state.lock();
    sim.settle(&mut g, node_id, now);
    let st = &mut *g;
    match &p.route {
        Route::SessionId => {
            let m = &st.machines[node_id];
            match m.sessions.iter().find(|s| s.wallet == who.wallet) {
                Some(s) => node(sim, 0, json!({"session_id": s.session_id})),
                None => node(sim, -3, "no session id"),
            }
        }
        Route::FreeMemory => ok(sim),
        Route::TaskList => {
            let m = &st.machines[node_id];
            let list: Vec<Value> = m
                .tasks
                .values()
                .filter(|t| t.owner == who.wallet)
                .map(|t| json!({"task_id": t.task_id, "create_time": t.create_time, "desc": t.desc, "status": t.status()}))
                .collect();
            node(sim, 0, Value::Array(list))
        }
        Route::TaskDetail(id) => {
            let m = &st.machines[node_id];
            match m.tasks.get(id).filter(|t| t.owner == who.wallet) {
                Some(t) => node(sim, 0, task_detail(m, t)),
                None => node(sim, -3, "task_id not exist"),
            }
        }
        Route::TaskCreate => create_task(sim, st, node_id, add, &who, now),
        Route::TaskOp(op, id) => {
            let force = p.query.iter().any(|(k, v)| {
                k == "force_reboot" && (v == "true" || v.parse::<i64>().is_ok_and(|n| n != 0))
            });
            task_op(sim, st, node_id, *op, id, now, force)
        }
        Route::TaskLogs(id) => task_logs(sim, st, node_id, id, p.log.unwrap_or((false, 100))),
        Route::TaskModify(id) => modify_task(sim, st, node_id, id, add, &who),
        Route::TaskPasswd(id) => {
            let Some(t) = st
                .machines
                .get_mut(node_id)
                .and_then(|m| m.tasks.get_mut(id))
            else {
                return node(sim, 1, "task not exist");
            };
            if !t.is_running() {
                return node(sim, 1, "Only the running task can change the password");
            }
            let (Some(u), Some(pw)) = (gs(add, "username"), gs(add, "password")) else {
                return node(
                    sim,
                    1,
                    if gs(add, "username").is_none_or(str::is_empty) {
                        "user name can not be empty"
                    } else {
                        "password can not be empty"
                    },
                );
            };
            if u.is_empty() {
                return node(sim, 1, "user name can not be empty");
            }
            if pw.is_empty() {
                return node(sim, 1, "password can not be empty");
            }
            t.user_name = u.to_string();
            t.password = pw.to_string();
            ok(sim)
        }
        Route::Disk(verb, id) => disk(sim, st, node_id, *verb, id, add, now),
        Route::SnapList(id, name) => {
            let m = &st.machines[node_id];
            let list: Vec<Value> = m
                .tasks
                .get(id)
                .map(|t| t.snapshots.iter().map(|s| snap_json(sim, s, now)).collect())
                .unwrap_or_default();
            match name {
                None => node(sim, 0, Value::Array(list)),
                Some(n) => match list.into_iter().find(|s| s["snapshot_name"] == n.as_str()) {
                    Some(s) => node(sim, 0, s),
                    None => node(sim, 1, "snapshot_name not exist"),
                },
            }
        }
        Route::SnapCreate(id) => {
            let name = gs(add, "snapshot_name").unwrap_or("");
            if name.is_empty() {
                return node(sim, -3, "'snapshot_name' is empty");
            }
            let wall = sim.wall(now);
            let Some(t) = st
                .machines
                .get_mut(node_id)
                .and_then(|m| m.tasks.get_mut(id))
            else {
                return node(sim, -3, "task not exist");
            };
            if t.vstate != VState::ShutOff || t.pending.is_some() {
                return node(sim, 1, "please close task first and try again");
            }
            if !t.disks.iter().any(|d| d.name == "vda") {
                return node(
                    sim,
                    1,
                    if t.disks.is_empty() {
                        "task have no disk"
                    } else {
                        "task have no disk:'vda'"
                    },
                );
            }
            let line = sim.log_line(now, id, "info", &format!("create snapshot {name}"));
            t.logs.push(line);
            t.snapshots.push(Snapshot {
                name: name.to_string(),
                description: gs(add, "desc").unwrap_or("").to_string(),
                file: format!("/data/{name}.qcow2"),
                create_time: wall,
                started_ms: now,
            });
            ok(sim)
        }
        Route::SnapDelete(id, name) => {
            let t = st
                .machines
                .get_mut(node_id)
                .and_then(|m| m.tasks.get_mut(id));
            match t {
                Some(t) if t.snapshots.iter().any(|s| &s.name == name) => {
                    t.snapshots.retain(|s| &s.name != name);
                    ok(sim)
                }
                _ => node(sim, 1, format!("{name} not exist")),
            }
        }
        Route::Images => {
            drop(g);
            images_list(sim, node_id, add, Some(&who))
        }
        Route::ImgDownload
        | Route::ImgDlProgress
        | Route::ImgUpload
        | Route::ImgUlProgress
        | Route::ImgDlStop
        | Route::ImgUlStop
        | Route::ImgDelete => images_op(sim, st, node_id, &p.route, add, now),
        Route::LanCreate => lan_create(sim, st, node_id, add, &who, now),
        Route::LanDelete(name) => {
            let m = st.machines.get_mut(node_id).expect("machine checked");
            match m.lans.get(name) {
                None => node(sim, -3, "network name not exist"),
                Some(l) if l.owner != who.wallet => node(
                    sim,
                    -3,
                    "wallet error, you are not the owner of the network",
                ),
                Some(l) if !l.members.is_empty() => node(
                    sim,
                    -3,
                    "network is in used, please delete task in the network first",
                ),
                Some(_) => {
                    m.lans.remove(name);
                    ok(sim)
                }
            }
        }
        Route::Monitor => {
            let m = &st.machines[node_id];
            node(sim, 0, json!({"servers": m.monitor_servers}))
        }
        Route::MonitorSet => {
            let servers = str_array(add, "servers");
            if servers.len() > 2 {
                return node(sim, 1, "too many monitor servers");
            }
            if let Some(m) = st.machines.get_mut(node_id) {
                m.monitor_servers = servers;
            }
            ok(sim)
        }
        _ => node(sim, -1, "unsupported"),
    }
}

fn mask_ip(ip: &str) -> String {
    let p: Vec<&str> = ip.split('.').collect();
    if p.len() == 4 {
        format!("*.{}.*.{}", p[1], p[3])
    } else {
        ip.to_string()
    }
}

fn machine_info(sim: &Sim, node_id: &str, add: &Map<String, Value>) -> Reply {
    let now = sim.clock.now_ms();
    let mut g = sim.state.lock();
    sim.settle(&mut g, node_id, now);
    let st = &*g;
    let m = &st.machines[node_id];
    let running: Vec<&Task> = m.tasks.values().filter(|t| t.uses_resources()).collect();
    let gpu_used: usize = running.iter().map(|t| t.gpu_index.len()).sum();
    let cpu_used: u32 = running.iter().map(|t| t.cpu_cores).sum();
    let mem_used: u64 = running.iter().map(|t| t.mem_gb).sum();
    let pct = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{:.1}%", a / b * 100.0)
        } else {
            "0%".into()
        }
    };
    let free = (m.data_free_gb - 350.0).max(0.0);
    let images = node_images(
        m,
        add.get("image_server")
            .and_then(Value::as_str)
            .and_then(|s| st.image_servers.get(s)),
        "image_name",
    );
    node(
        sim,
        0,
        json!({
            "version": m.version, "node_type": "1", "ip": mask_ip(&m.ip), "os": m.os,
            "cpu": {"type": m.cpu_type, "hz": "3000.000 MHz", "cores": m.cpu_cores.to_string(),
                    "used_usage": pct(cpu_used as f64, m.cpu_cores as f64), "physical_cpus": "2"},
            "gpu": {"gpu_count": m.gpu_count.to_string(), "gpu_used": gpu_used.to_string()},
            "mem": {"size": fmt_size_gb(m.mem_gb as f64), "free": fmt_size_gb((m.mem_gb.saturating_sub(mem_used)) as f64),
                    "used_usage": pct(mem_used as f64, m.mem_gb as f64)},
            "disk_system": {"type": "SSD", "size": "350G"},
            "disk_data": [{"path": "/data", "type": "SSD", "size": fmt_size_gb(m.data_total_gb as f64), "free": fmt_size_gb(free),
                           "used_usage": pct(m.data_total_gb as f64 - m.data_free_gb, m.data_total_gb as f64)}],
            "images": images,
        }),
    )
}

fn node_images(
    m: &Machine,
    server: Option<&std::collections::BTreeMap<String, f64>>,
    key: &str,
) -> Vec<Value> {
    let in_use = |n: &str| {
        m.tasks
            .values()
            .any(|t| t.is_running() && t.image_name == n)
    };
    m.images
        .iter()
        .filter(|(n, f)| {
            n.ends_with(".qcow2")
                && !m.image_busy(n)
                && if f.backing.is_none() {
                    !n.contains("data") && !in_use(n)
                } else {
                    server.is_some_and(|s| s.contains_key(*n))
                }
        })
        .map(|(n, f)| {
            let mut o = Map::new();
            o.insert(key.to_string(), json!(n));
            o.insert("image_size".into(), json!(fmt_image_size(f.size_gb)));
            Value::Object(o)
        })
        .collect()
}

fn images_list(sim: &Sim, node_id: &str, add: &Map<String, Value>, who: Option<&Who>) -> Reply {
    let now = sim.clock.now_ms();
    let mut g = sim.state.lock();
    sim.settle(&mut g, node_id, now);
    let st = &*g;
    let m = &st.machines[node_id];
    let key = if sim.cfg.quirks.image_name_colon {
        "image_name:"
    } else {
        "image_name"
    };
    let server = add
        .get("image_server")
        .and_then(Value::as_str)
        .and_then(|s| st.image_servers.get(s));
    let mut list = node_images(m, server, key);
    if let Some(w) = who {
        for t in m
            .tasks
            .values()
            .filter(|t| t.owner == w.wallet && !t.is_running())
        {
            if let Some(d) = t.disks.iter().find(|d| d.name == "vda") {
                let name = d.file.rsplit('/').next().unwrap_or(&d.file);
                list.push(json!({key: name, "image_size": fmt_image_size(d.size_gb)}));
            }
        }
    }
    node(sim, 0, Value::Array(list))
}

fn rent_orders(sim: &Sim, node_id: &str, id: Option<&str>) -> Reply {
    let now_s = sim.now_secs();
    let st = sim.state.lock();
    let m = &st.machines[node_id];
    let list: Vec<Value> = m
        .orders
        .iter()
        .filter(|o| id.is_none_or(|id| id == o.id.to_string()))
        .take(51)
        .map(|o| {
            json!({"id": o.id.to_string(), "renter": o.renter, "rent_end": (sim.cfg.start_block + o.end_secs / 6).to_string(),
                   "rent_status": o.status_at(now_s), "gpu_nums": o.gpu_index.len().to_string(), "gpu_index": o.gpu_index})
        })
        .collect();
    node(sim, 0, json!({"rent_orders": list}))
}

fn cidr_range(cidr: &str) -> (String, String) {
    let Some((ip, n)) = cidr.split_once('/') else {
        return (String::new(), String::new());
    };
    let (Some(o), Ok(n)) = (ipv4(ip), n.parse::<u32>()) else {
        return (String::new(), String::new());
    };
    let a = u32::from_be_bytes(o);
    let mask = if n == 0 {
        0
    } else {
        u32::MAX << (32 - n.min(32))
    };
    let net = a & mask;
    let bc = net | !mask;
    let f = |x: u32| std::net::Ipv4Addr::from(x).to_string();
    (f(net.saturating_add(2)), f(bc.saturating_sub(1)))
}

fn lan_json(_sim: &Sim, m: &Machine, l: &Lan) -> Value {
    let (s, e) = cidr_range(&l.ip_cidr);
    json!({"network_name": l.name, "bridge_name": format!("br_{}", l.name), "vxlan_name": format!("vx_{}", l.name),
           "vxlan_vni": l.vni.to_string(), "ip_cidr": l.ip_cidr, "ip_start": s, "ip_end": e,
           "dhcp_interface": format!("dh_{}", l.name), "machine_id": m.node_id, "rent_wallet": l.owner,
           "members": l.members, "lastUseTime": l.last_use, "native_flags": "0"})
}

fn lan_list(sim: &Sim, node_id: &str, name: Option<&str>) -> Reply {
    let now = sim.clock.now_ms();
    let mut g = sim.state.lock();
    sim.settle(&mut g, node_id, now);
    let m = &g.machines[node_id];
    match name {
        None => node(
            sim,
            0,
            Value::Array(m.lans.values().map(|l| lan_json(sim, m, l)).collect()),
        ),
        Some(n) => match m.lans.get(n) {
            Some(l) => node(sim, 0, lan_json(sim, m, l)),
            None => node(sim, -3, "network name not exist"),
        },
    }
}

fn lan_create(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    add: &Map<String, Value>,
    who: &Who,
    now: u64,
) -> Reply {
    let name = gs(add, "network_name").unwrap_or("");
    let cidr = gs(add, "ip_cidr").unwrap_or("");
    let m = st.machines.get_mut(node_id).expect("machine checked");
    if name.is_empty() {
        return node(sim, -3, "network name can not be empty");
    }
    if !(6..=10).contains(&name.len()) || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return node(
            sim,
            -3,
            "network name requires a combination of 6 to 10 letters or numbers",
        );
    }
    if m.lans.contains_key(name) {
        return node(sim, -3, "network name already existed");
    }
    if st.next_vni >= 1000 + 4096 {
        return node(sim, -3, "network vni is full");
    }
    if cidr.is_empty() {
        return node(sim, -3, "ip cidr can not be empty");
    }
    if cidr.contains("192.168.122.") {
        return node(sim, -3, "ip cidr already exist");
    }
    let valid = cidr
        .split_once('/')
        .is_some_and(|(ip, n)| ipv4(ip).is_some() && digits(n).is_some_and(|n| n <= 32));
    if !valid {
        return node(sim, -3, "invalid ip cidr");
    }
    let vni = st.next_vni;
    st.next_vni += 1;
    let m = st.machines.get_mut(node_id).expect("machine checked");
    m.lans.insert(
        name.to_string(),
        Lan {
            name: name.to_string(),
            ip_cidr: cidr.to_string(),
            vni,
            owner: who.wallet.clone(),
            members: vec![],
            last_use: sim.wall(now),
        },
    );
    ok(sim)
}

fn task_detail(m: &Machine, t: &Task) -> Value {
    let mut o = Map::new();
    let mut put = |k: &str, v: Value| {
        o.insert(k.to_string(), v);
    };
    put("task_id", json!(t.task_id));
    put("os", json!(t.os));
    put(
        "ssh_ip",
        json!(if t.public_ip.is_empty() {
            &m.ip
        } else {
            &t.public_ip
        }),
    );
    if t.os == "windows" {
        put("rdp_port", json!(t.rdp_port.to_string()));
    } else {
        put("ssh_port", json!(t.ssh_port.to_string()));
    }
    put("user_name", json!(t.user_name));
    put("login_password", json!(t.password));
    put("cpu_cores", json!(t.cpu_cores));
    put("gpu_count", json!(t.gpu_index.len()));
    put("mem_size", json!(fmt_size_gb(t.mem_gb as f64)));
    put("disk_system", json!("350G"));
    put("vnc_port", json!(t.vnc_port.to_string()));
    put(
        "vnc_password",
        json!(t.password.chars().take(8).collect::<String>()),
    );
    if !t.network_name.is_empty() {
        put("network_name", json!(t.network_name));
    }
    put("create_time", json!(t.create_time));
    put("desc", json!(t.desc));
    put("status", json!(t.status()));
    if let Some(r) = &t.rent_order {
        put("rent_order", json!(r));
    }
    if t.is_running() && (!t.network_name.is_empty() || !t.multicast.is_empty()) {
        let last = t
            .mac
            .rsplit(':')
            .next()
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(10);
        let base = m
            .lans
            .get(&t.network_name)
            .map(|l| cidr_range(&l.ip_cidr).0)
            .and_then(|s| s.rsplit_once('.').map(|(p, _)| p.to_string()))
            .unwrap_or_else(|| "10.0.0".into());
        put(
            "local_address",
            json!([format!("{base}.{}", 2 + last % 250)]),
        );
    }
    if !t.disks.is_empty() {
        let mut disks = t.disks.clone();
        disks.sort_by(|a, b| a.name.cmp(&b.name));
        put(
            "disks",
            Value::Array(disks.iter().map(|d| json!({"name": d.name, "size": fmt_size_gb(d.size_gb), "source_file": d.file})).collect()),
        );
    }
    if !t.network_filters.is_empty() {
        put("network_filters", json!(t.network_filters));
    }
    put(
        "interface",
        json!([{"name": "vnet0", "type": t.interface_model, "mac_address": t.mac}]),
    );
    Value::Object(o)
}

fn snap_json(sim: &Sim, s: &Snapshot, now: u64) -> Value {
    json!({"snapshot_name": s.name, "description": s.description, "snapshot_file": s.file,
           "create_time": s.create_time, "status": sim.snapshot_status(s, now)})
}

/// `new_ssh_port` / `new_rdp_port` of tasks/modify: absent, valid, or the node's error text.
fn modify_port(
    m: &Machine,
    id: &str,
    add: &Map<String, Value>,
    has_pub: bool,
    key: &str,
    which: &str,
) -> Result<Option<u32>, String> {
    let Some(v) = gs(add, key) else {
        return Ok(None);
    };
    let Some(p) = digits(v).filter(|p| *p > 0 && *p <= 65535) else {
        return Err(format!("{key} {v} is invalid! (usage: > 0)"));
    };
    if !has_pub && port_conflict(m, id, which, p as u32, true) {
        return Err(format!("{key} {v} has been used!"));
    }
    Ok(Some(p as u32))
}

fn port_conflict(m: &Machine, skip: &str, which: &str, port: u32, ignore_public_ip: bool) -> bool {
    m.tasks.values().any(|t| {
        t.task_id != skip
            && t.is_running()
            && (!ignore_public_ip || t.public_ip.is_empty())
            && match which {
                "ssh" => t.ssh_port == port,
                "rdp" => t.rdp_port == port,
                _ => t.vnc_port == port,
            }
    })
}

fn create_task(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    add: &Map<String, Value>,
    who: &Who,
    now: u64,
) -> Reply {
    let e = |m: String| node(sim, 1, m);
    let State {
        rng,
        machines,
        fail_next,
        ..
    } = st;
    let m = machines.get_mut(node_id).expect("machine checked");
    // 1 task id
    let custom = gs(add, "task_id").filter(|s| !s.is_empty());
    if let Some(id) = custom {
        if !(20..=22).contains(&id.len()) {
            return e("wrong task id length".into());
        }
        if !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return e("task id requires a combination of letters or numbers".into());
        }
        if m.tasks.contains_key(id) {
            return e("task id already existed".into());
        }
    }
    // 2 rent order gpus
    let order_gpus: Vec<u32> = who
        .order
        .as_ref()
        .map(|o| o.gpu_index.clone())
        .unwrap_or_default();
    if order_gpus.is_empty() {
        return e("order gpu index is empty".into());
    }
    // 3 gpu count
    let Some(gc) = digits(gs(add, "gpu_count").unwrap_or("0")) else {
        return e("gpu_count is invalid (usage: gpu_count >= 0)".into());
    };
    if gc as usize > order_gpus.len() {
        return e("gpu_count exceeds number of leases".into());
    }
    let partial = (order_gpus.len() as u32) < m.gpu_count;
    if partial && gc as usize != order_gpus.len() {
        return e("only use the number what you exactly rented".into());
    }
    let busy: Vec<u32> = m
        .tasks
        .values()
        .filter(|t| t.uses_resources())
        .flat_map(|t| t.gpu_index.clone())
        .collect();
    let free: Vec<u32> = order_gpus
        .iter()
        .copied()
        .filter(|g| !busy.contains(g))
        .collect();
    if free.len() < gc as usize {
        return e("allocate gpu failed".into());
    }
    let gpu_index: Vec<u32> = free.into_iter().take(gc as usize).collect();
    // 4 os
    let os_raw = gs(add, "operation_system")
        .filter(|s| !s.is_empty())
        .unwrap_or("linux")
        .to_lowercase();
    let os = if os_raw.contains("linux") || os_raw.contains("ubuntu") {
        "linux"
    } else if os_raw.contains("win") {
        "windows"
    } else {
        return e(format!(
            "unsupported operation system: {os_raw} (usage: 'linux' 'windows')"
        ));
    };
    // 5 bios
    let bios = gs(add, "bios_mode")
        .filter(|s| !s.is_empty())
        .unwrap_or("legacy")
        .to_lowercase();
    if !matches!(bios.as_str(), "legacy" | "uefi" | "pxe") {
        return e(format!(
            "unsupported bios mode: {bios} (usage: 'legacy(default)'、'uefi'、'pxe')"
        ));
    }
    let pxe = bios == "pxe";
    // 6 image
    let image = gs(add, "image_name").unwrap_or("");
    if image.is_empty() {
        return e("image_name is empty".into());
    }
    if !image.ends_with(".qcow2") {
        return e("'image_name' extension name is invalid".into());
    }
    if !m.images.contains_key(image) {
        return e(format!("'image_name' is not exist (path:/data/{image})"));
    }
    if m.image_busy(image) {
        return e(format!(
            "'image_name':{image} in downloading or uploading, please try again later"
        ));
    }
    if !pxe {
        let mut missing = vec![];
        let mut cur = m.images.get(image).and_then(|f| f.backing.clone());
        let mut guard = 0;
        while let Some(bk) = cur {
            guard += 1;
            if guard > 16 {
                break;
            }
            match m.images.get(&bk) {
                Some(f) => cur = f.backing.clone(),
                None => {
                    missing.push(format!("/data/{bk}"));
                    cur = None;
                }
            }
        }
        if !missing.is_empty() {
            return e(format!("image backfile not exist: {}", missing.join(",")));
        }
    }
    // 7 public ip
    let public_ip = gs(add, "public_ip").unwrap_or("").to_string();
    if !public_ip.is_empty() {
        if ipv4(&public_ip).is_none() {
            return e("invalid public ip".into());
        }
        if m.tasks.values().any(|t| t.public_ip == public_ip) {
            return e("public ip being used".into());
        }
    }
    let check_port = |name: &str, which: &str, fallback: u32| -> Result<u32, String> {
        let v = gs(add, name).unwrap_or("");
        let parsed = digits(v).filter(|p| *p <= 65535);
        if !public_ip.is_empty() {
            return Ok(parsed.map(|p| p as u32).unwrap_or(fallback));
        }
        if v.is_empty() {
            return Err(format!("{name} is empty"));
        }
        let Some(p) = parsed else {
            return Err(format!("{name} is not digit"));
        };
        if port_conflict(m, "", which, p as u32, true) {
            return Err(format!("port conflict, exist {name} = {p}"));
        }
        Ok(p as u32)
    };
    let fwd = |name: &str| {
        gs(add, name)
            .and_then(digits)
            .filter(|p| *p <= 65535)
            .unwrap_or(0) as u32
    };
    // 8 ssh, 9 rdp
    let (ssh_port, rdp_port) = if os == "linux" {
        match check_port("ssh_port", "ssh", 22) {
            Ok(p) => (p, fwd("rdp_port")),
            Err(m) => return e(m),
        }
    } else {
        match check_port("rdp_port", "rdp", 3389) {
            Ok(p) => (fwd("ssh_port"), p),
            Err(m) => return e(m),
        }
    };
    // 10 vnc
    let vnc = gs(add, "vnc_port").unwrap_or("");
    if vnc.is_empty() {
        return e("vnc_port is empty".into());
    }
    let Some(vnc) = digits(vnc).or_else(|| {
        if vnc.bytes().all(|b| b.is_ascii_digit()) {
            Some(u64::MAX)
        } else {
            None
        }
    }) else {
        return e("vnc_port is not digit".into());
    };
    if !(5900..=65535).contains(&vnc) {
        return e("vnc_port is invalid (usage: [5900, 65535])".into());
    }
    if port_conflict(m, "", "vnc", vnc as u32, false) {
        return e(format!("port conflict, exist vnc_port = {vnc}"));
    }
    // 11 cpu
    let share = |total: u64| {
        if partial {
            total * order_gpus.len() as u64 / m.gpu_count.max(1) as u64
        } else {
            total
        }
    };
    let order_id = who.order.as_ref().map(|o| o.id.to_string());
    let active: Vec<&Task> = m.tasks.values().filter(|t| t.uses_resources()).collect();
    let Some(cpu) = gs(add, "cpu_cores").and_then(digits).filter(|c| *c > 0) else {
        return e("cpu_cores is invalid".into());
    };
    let cpu_all: u64 = active.iter().map(|t| t.cpu_cores as u64).sum();
    let cpu_mine: u64 = active
        .iter()
        .filter(|t| t.rent_order == order_id)
        .map(|t| t.cpu_cores as u64)
        .sum();
    if cpu + cpu_all > m.cpu_cores as u64 || cpu + cpu_mine > share(m.cpu_cores as u64) {
        return e("allocate cpu failed".into());
    }
    // 12 mem
    let Some(mem) = gs(add, "mem_size").and_then(digits).filter(|c| *c > 0) else {
        return e("mem_size is invalid".into());
    };
    let mem_all: u64 = active.iter().map(|t| t.mem_gb).sum();
    let mem_mine: u64 = active
        .iter()
        .filter(|t| t.rent_order == order_id)
        .map(|t| t.mem_gb)
        .sum();
    if mem + mem_all > m.mem_gb || mem + mem_mine > share(m.mem_gb) {
        return e("allocate mem failed".into());
    }
    // 13 disk
    let disk = gs(add, "disk_size").and_then(digits).filter(|d| *d > 0);
    let disk = match (pxe, disk) {
        (false, None) => return e("disk_size is invalid (usage: disk_size > 0)".into()),
        (_, d) => d.unwrap_or(0),
    };
    if !pxe && disk as f64 + 350.0 > m.data_free_gb {
        return e("allocate disk failed".into());
    }
    // 14 data file
    let data_file = gs(add, "data_file_name").unwrap_or("");
    if !data_file.is_empty() && !m.images.contains_key(data_file) {
        return e(format!(
            "data_file_name is not exist, path: /data/{data_file}"
        ));
    }
    // 15 network
    let network = gs(add, "network_name").unwrap_or("").to_string();
    if !network.is_empty() && !m.lans.contains_key(&network) {
        return e("can not find network info".into());
    }
    // 16 multicast
    let multicast = str_array(add, "multicast");
    for mc in &multicast {
        let parts: Vec<&str> = mc.split(':').collect();
        if parts.len() != 2 {
            return e("multicast format: ip:port".into());
        }
        match ipv4(parts[0]) {
            Some(o) if (224..=239).contains(&o[0]) => {}
            _ => return e("address is not a multicast address".into()),
        }
        let port_ok = !parts[1].starts_with('0')
            && digits(parts[1]).is_some_and(|p| (1..=65535).contains(&p));
        if !port_ok {
            return e("invalid multicast port".into());
        }
    }
    // 17 interface model
    let model = gs(add, "interface_model_type").unwrap_or("");
    if !model.is_empty() && model != "e1000" && model != "rtl8139" {
        return e("invalid interface model type".into());
    }
    // accepted
    let task_id = match custom {
        Some(id) => id.to_string(),
        None => loop {
            let id = crypto::task_id(rng);
            if !m.tasks.contains_key(&id) {
                break id;
            }
        },
    };
    let fail = match fail_next.get_mut("create") {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    };
    let desc = gs(add, "desc").unwrap_or("").to_string();
    let ts = sim.cfg.start_unix + now / 1000;
    let mut disks = vec![];
    if !pxe {
        disks.push(Disk {
            name: "vda".into(),
            file: format!("/data/vm_{}_{}.qcow2", ts % 100_000, ts),
            size_gb: 350.0,
        });
        disks.push(Disk {
            name: "vdb".into(),
            file: format!("/data/data_1_{task_id}_{ts}.qcow2"),
            size_gb: disk as f64,
        });
        m.data_free_gb -= disk as f64 + 350.0;
    }
    let windows = os == "windows";
    let pw = gen_password(rng);
    let mac = gen_mac(rng);
    let create_time = sim.wall(now);
    let logs = vec![sim.log_line(now, &task_id, "info", "create task begin")];
    if !network.is_empty() {
        if let Some(l) = m.lans.get_mut(&network) {
            l.members.push(task_id.clone());
            l.last_use = create_time.clone();
        }
    }
    let t = Task {
        task_id: task_id.clone(),
        owner: who.wallet.clone(),
        rent_order: order_id,
        os: os.into(),
        bios_mode: bios,
        image_name: image.into(),
        desc: desc.clone(),
        create_time: create_time.clone(),
        public_ip,
        ssh_port,
        rdp_port,
        vnc_port: vnc as u32,
        user_name: if windows {
            "Administrator".into()
        } else {
            "dbc".into()
        },
        password: pw,
        cpu_cores: cpu as u32,
        gpu_index,
        mem_gb: mem,
        disks,
        network_name: network,
        network_filters: str_array(add, "network_filters"),
        custom_port: str_array(add, "custom_port"),
        multicast,
        mac,
        interface_model: if model.is_empty() {
            "virtio".into()
        } else {
            model.into()
        },
        snapshots: vec![],
        logs,
        vstate: VState::None,
        stored: Some("creating".into()),
        pending: Some(Pending {
            op: Op::Create,
            done_at: now + sim.dur_ms(sim.cfg.timing.create_secs),
            fail,
        }),
        disk_ops: vec![],
        next_boot: None,
    };
    m.tasks.insert(task_id.clone(), t);
    node(
        sim,
        0,
        json!({"task_id": task_id, "create_time": create_time, "desc": desc, "status": "creating"}),
    )
}

fn task_op(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    op: Op,
    id: &str,
    now: u64,
    force: bool,
) -> Reply {
    let fail = sim.take_fail(st, op.step());
    let m = st.machines.get_mut(node_id).expect("machine checked");
    let Some(t) = m.tasks.get(id) else {
        if fail {
            *st.fail_next.entry(op.step().into()).or_insert(0) += 1;
        }
        return node(sim, 1, "task not exist");
    };
    let refuse = if op != Op::Delete && t.creating() {
        Some("task is creating".to_string())
    } else {
        let ls = t.libvirt_state();
        let allowed = match op {
            Op::Start => matches!(t.vstate, VState::None | VState::ShutOff | VState::Suspended),
            Op::Shutdown => t.vstate != VState::ShutOff && ls != "being shutdown",
            Op::Poweroff => t.vstate != VState::ShutOff,
            Op::Restart => {
                matches!(t.vstate, VState::None | VState::ShutOff | VState::Running)
                    && ls != "being shutdown"
            }
            Op::Reset => t.vstate == VState::Running && ls != "being shutdown",
            Op::Delete | Op::Create => true,
        };
        (!allowed).then(|| format!("task is {ls}"))
    };
    // resource re-check before start/restart of a stopped VM
    let recheck = if matches!(op, Op::Start | Op::Restart) && t.vstate != VState::Running {
        if port_conflict(m, id, "vnc", t.vnc_port, false) {
            Some("check vnc_port failed")
        } else if t.os == "linux"
            && t.public_ip.is_empty()
            && port_conflict(m, id, "ssh", t.ssh_port, true)
        {
            Some("check ssh_port failed")
        } else if m.tasks.values().any(|o| {
            o.task_id != id
                && o.uses_resources()
                && o.gpu_index.iter().any(|g| t.gpu_index.contains(g))
        }) {
            Some("check gpu failed")
        } else {
            None
        }
    } else {
        None
    };
    if let Some(r) = refuse.or(recheck.map(String::from)) {
        if fail {
            *st.fail_next.entry(op.step().into()).or_insert(0) += 1;
        }
        return node(sim, 1, r);
    }
    let secs = match op {
        Op::Start => sim.cfg.timing.start_secs,
        Op::Shutdown | Op::Poweroff => sim.cfg.timing.stop_secs,
        Op::Restart => sim.cfg.timing.restart_secs,
        Op::Reset => sim.cfg.timing.reset_secs,
        Op::Delete => sim.cfg.timing.delete_secs,
        Op::Create => sim.cfg.timing.create_secs,
    };
    let what = if op == Op::Restart && force {
        "force restart".to_string()
    } else {
        op.step().to_string()
    };
    let line = sim.log_line(now, id, "info", &format!("{what} task begin"));
    let t = m.tasks.get_mut(id).expect("checked");
    t.logs.push(line);
    t.stored = Some(op.transitional().into());
    t.pending = Some(Pending {
        op,
        done_at: now + sim.dur_ms(secs),
        fail: fail && op != Op::Delete,
    });
    ok(sim)
}

fn task_logs(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    id: &str,
    (head, n): (bool, usize),
) -> Reply {
    let m = &st.machines[node_id];
    let Some(t) = m.tasks.get(id) else {
        return node(sim, 1, "task not exist");
    };
    if t.logs.is_empty() {
        return node(sim, 1, "task log not exist");
    }
    let sel: Vec<&String> = if head {
        t.logs.iter().take(n).collect()
    } else {
        t.logs.iter().skip(t.logs.len().saturating_sub(n)).collect()
    };
    let cap = if sim.cfg.quirks.log_query {
        8192
    } else {
        usize::MAX
    };
    let mut total = 0usize;
    let mut out = vec![];
    for l in sel {
        if total + l.len() >= cap {
            break;
        }
        total += l.len();
        out.push(l.clone());
    }
    node(sim, 0, json!({"task_id": id, "log_content": out}))
}

fn modify_task(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    id: &str,
    add: &Map<String, Value>,
    who: &Who,
) -> Reply {
    let e = |m: String| node(sim, 1, m);
    let m = st.machines.get_mut(node_id).expect("machine checked");
    let Some(t) = m.tasks.get(id).cloned() else {
        return e("task not exist".into());
    };
    let mut next_boot = false;
    let whole = who
        .order
        .as_ref()
        .is_some_and(|o| o.gpu_index.len() as u32 >= m.gpu_count);
    if who.order.is_none() {
        return e("gpu rent order is empty".into());
    }
    if let Some(ip) = gs(add, "new_public_ip").filter(|s| !s.is_empty() && *s != t.public_ip) {
        if ipv4(ip).is_none() {
            return e("invalid public ip".into());
        }
        if m.tasks.values().any(|o| o.public_ip == ip) {
            return e("public ip being used".into());
        }
        m.tasks.get_mut(id).expect("exists").public_ip = ip.to_string();
    }
    let has_pub = !m.tasks[id].public_ip.is_empty();
    let ssh = match modify_port(m, id, add, has_pub, "new_ssh_port", "ssh") {
        Ok(p) => p,
        Err(m) => return e(m),
    };
    if let Some(p) = ssh {
        m.tasks.get_mut(id).expect("exists").ssh_port = p;
    }
    let rdp = match modify_port(m, id, add, has_pub, "new_rdp_port", "rdp") {
        Ok(p) => p,
        Err(m) => return e(m),
    };
    if ssh.is_some() && ssh == rdp {
        return e("new_ssh_port and new_rdp_port are the same!".into());
    }
    let tm = m.tasks.get_mut(id).expect("exists");
    if let Some(p) = rdp {
        tm.rdp_port = p;
    }
    if let Some(arr) = add.get("new_custom_port") {
        match arr.as_array().and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
        }) {
            Some(list) => tm.custom_port = list,
            None => return e("can not find iptable info when modify custom port".into()),
        }
    }
    if let Some(arr) = add.get("new_network_filters") {
        match arr.as_array().and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
        }) {
            Some(list) => tm.network_filters = list,
            None => return e("modify network filter error".into()),
        }
    }
    if let Some(v) = gs(add, "new_vnc_port") {
        let Some(p) = digits(v).filter(|p| (5900..=65535).contains(p)) else {
            return e(format!(
                "new_vnc_port {v} is invalid! (usage: 5900 =< port <= 65535)"
            ));
        };
        if port_conflict(m, id, "vnc", p as u32, false) {
            return e(format!("new_vnc_port {v} has been used!"));
        }
        m.tasks.get_mut(id).expect("exists").vnc_port = p as u32;
        next_boot = true;
    }
    if let Some(v) = gs(add, "new_gpu_count") {
        if !whole {
            return e("can not modify gpu count".into());
        }
        let Some(n) = digits(v) else {
            return e("allocate gpu failed".into());
        };
        let busy: Vec<u32> = m
            .tasks
            .values()
            .filter(|o| o.task_id != id && o.uses_resources())
            .flat_map(|o| o.gpu_index.clone())
            .collect();
        let free: Vec<u32> = (0..m.gpu_count).filter(|g| !busy.contains(g)).collect();
        if free.len() < n as usize {
            return e("allocate gpu failed".into());
        }
        m.tasks.get_mut(id).expect("exists").gpu_index =
            free.into_iter().take(n as usize).collect();
        next_boot = true;
    }
    if let Some(v) = gs(add, "new_cpu_cores") {
        if !whole {
            return e("can not modify cpu cores".into());
        }
        match digits(v).filter(|c| *c > 0 && *c <= m.cpu_cores as u64) {
            Some(c) => m.tasks.get_mut(id).expect("exists").cpu_cores = c as u32,
            None => return e("allocate cpu failed".into()),
        }
        next_boot = true;
    }
    if let Some(v) = gs(add, "new_mem_size") {
        if !whole {
            return e("can not modify mem size".into());
        }
        match digits(v).filter(|c| *c > 0 && *c <= m.mem_gb) {
            Some(c) => m.tasks.get_mut(id).expect("exists").mem_gb = c,
            None => return e("allocate memory failed".into()),
        }
        next_boot = true;
    }
    if next_boot {
        node(sim, 0, "some changes will take effect on the next boot")
    } else {
        ok(sim)
    }
}

fn disk(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    verb: DiskVerb,
    id: &str,
    add: &Map<String, Value>,
    now: u64,
) -> Reply {
    let m = st.machines.get_mut(node_id).expect("machine checked");
    let Some(t) = m.tasks.get(id) else {
        return node(sim, -3, "task not exist");
    };
    if t.bios_mode == "pxe" {
        return node(sim, -3, "pxe not support disk");
    }
    let size = add.get("size").and_then(Value::as_i64).filter(|s| *s > 0);
    let disk_name = gs(add, "disk").unwrap_or("");
    let closed = t.vstate == VState::ShutOff && t.pending.is_none();
    let done_at = now + sim.dur_ms(sim.cfg.timing.disk_secs);
    match verb {
        DiskVerb::List => {
            let mut d = t.disks.clone();
            d.sort_by(|a, b| a.name.cmp(&b.name));
            node(sim, 0, Value::Array(d.iter().map(|d| json!({"name": d.name, "file": d.file, "size": fmt_size_gb(d.size_gb)})).collect()))
        }
        DiskVerb::Resize => {
            if disk_name.is_empty() {
                return node(sim, -3, "'disk' is empty");
            }
            let Some(size) = size else {
                return node(sim, -3, "'size' is invalid");
            };
            if t.disks.is_empty() {
                return node(sim, 1, "task have no disk");
            }
            if !t.disks.iter().any(|d| d.name == disk_name) {
                return node(sim, 1, format!("task have no disk:{disk_name}"));
            }
            if !closed {
                return node(sim, 1, "please close task first and try again");
            }
            m.data_free_gb -= size as f64;
            let t = m.tasks.get_mut(id).expect("exists");
            t.disk_ops.push((
                done_at,
                DiskOp::Resize {
                    disk: disk_name.to_string(),
                    add_gb: size as u64,
                },
            ));
            ok(sim)
        }
        DiskVerb::Add => {
            let Some(size) = size else {
                return node(sim, -3, "'size' is invalid");
            };
            let dir = gs(add, "mount_dir")
                .filter(|s| !s.is_empty())
                .unwrap_or("/data");
            if dir.trim_end_matches('/') != "/data" {
                return node(sim, -3, format!("{dir} is not exist"));
            }
            if !closed {
                return node(sim, 1, "please close task first and try again");
            }
            if t.disks.is_empty() {
                return node(sim, 1, "task have no disk");
            }
            if size as f64 > m.data_free_gb {
                return node(
                    sim,
                    1,
                    format!("mount directory:{dir} have no enough space"),
                );
            }
            m.data_free_gb -= size as f64;
            let t = m.tasks.get_mut(id).expect("exists");
            t.disk_ops.push((
                done_at,
                DiskOp::Add {
                    size_gb: size as u64,
                    dir: dir.to_string(),
                },
            ));
            ok(sim)
        }
        DiskVerb::Delete => {
            if disk_name.is_empty() {
                return node(sim, -3, "'disk' is empty");
            }
            if !closed {
                return node(sim, 1, "please close task first and try again");
            }
            if disk_name == "vda" {
                return node(sim, 1, "can not allowed to delete disk:'vda'");
            }
            if t.disks.is_empty() {
                return node(sim, 1, "task no disk");
            }
            let Some(d) = t.disks.iter().find(|d| d.name == disk_name) else {
                return node(sim, 1, format!("task have no disk:{disk_name}"));
            };
            m.data_free_gb += d.size_gb;
            let t = m.tasks.get_mut(id).expect("exists");
            t.disk_ops.push((
                done_at,
                DiskOp::Delete {
                    disk: disk_name.to_string(),
                },
            ));
            ok(sim)
        }
    }
}

fn progress(sim: &Sim, t: &Transfer, now: u64) -> String {
    let total = t.done_ms.saturating_sub(t.started_ms).max(1);
    let pct = (now.saturating_sub(t.started_ms) * 100 / total).min(99) as u32;
    let step = sim.cfg.timing.progress_step_pct.max(1);
    format!("{}%", pct / step * step)
}

fn images_op(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    route: &Route,
    add: &Map<String, Value>,
    now: u64,
) -> Reply {
    let name = gs(add, "image_filename").unwrap_or("").to_string();
    let State {
        machines,
        image_servers,
        ..
    } = st;
    let m = machines.get_mut(node_id).expect("machine checked");
    let quirk = sim.cfg.quirks.upload_progress_path;
    let base = name.rsplit('/').next().unwrap_or(&name).to_string();
    let up_key = if quirk {
        format!("/data/{base}")
    } else {
        base.clone()
    };
    let find_up = |m: &Machine| -> Option<String> {
        let candidates = if quirk {
            vec![name.clone()]
        } else {
            vec![name.clone(), base.clone()]
        };
        candidates.into_iter().find(|k| {
            m.transfers
                .get(k)
                .is_some_and(|t| t.kind == TransferKind::Upload)
        })
    };
    match route {
        Route::ImgDownload => {
            if name.is_empty() {
                return node(sim, 1, "additional no image_filename");
            }
            let dir = gs(add, "local_dir").unwrap_or("");
            if dir.is_empty() {
                return node(sim, 1, "additional no local_dir");
            }
            let srv = gs(add, "image_server").unwrap_or("").to_string();
            let Some(size) = image_servers.get(&srv).and_then(|s| s.get(&name)).copied() else {
                return node(sim, 1, format!("image:{name} not exist"));
            };
            if m.transfers
                .get(&name)
                .is_some_and(|t| t.kind == TransferKind::Download)
            {
                return node(sim, 1, format!("image:{name} in downloading"));
            }
            if dir.trim_end_matches('/') == "/data" {
                m.images.insert(
                    name.clone(),
                    crate::state::ImageFile {
                        size_gb: size,
                        backing: None,
                    },
                );
            }
            m.transfers.insert(
                name.clone(),
                Transfer {
                    kind: TransferKind::Download,
                    file: name.clone(),
                    server: srv,
                    size_gb: size,
                    started_ms: now,
                    done_ms: now + sim.dur_ms(sim.cfg.timing.download_secs).max(1),
                },
            );
            ok(sim)
        }
        Route::ImgDlProgress => match m
            .transfers
            .get(&name)
            .filter(|t| t.kind == TransferKind::Download)
        {
            Some(t) => node(
                sim,
                0,
                json!({"status": "downloading", "progress": progress(sim, t, now)}),
            ),
            None => node(sim, 0, json!({"status": "done", "progress": "100%"})),
        },
        Route::ImgUpload => {
            if name.is_empty() {
                return node(sim, 1, "image_filename is empty");
            }
            let Some(f) = m.images.get(&base) else {
                return node(sim, 1, format!("image:{name} not exist"));
            };
            if m.transfers
                .get(&up_key)
                .is_some_and(|t| t.kind == TransferKind::Upload)
            {
                return node(sim, 1, format!("image:{name} in uploading"));
            }
            let srv = gs(add, "image_server").unwrap_or("").to_string();
            let t = Transfer {
                kind: TransferKind::Upload,
                file: base.clone(),
                server: srv,
                size_gb: f.size_gb,
                started_ms: now,
                done_ms: now + sim.dur_ms(sim.cfg.timing.upload_secs).max(1),
            };
            m.transfers.insert(up_key, t);
            ok(sim)
        }
        Route::ImgUlProgress => match find_up(m).and_then(|k| m.transfers.get(&k)) {
            Some(t) => node(
                sim,
                0,
                json!({"status": "uploading", "progress": progress(sim, t, now)}),
            ),
            None => node(sim, 0, json!({"status": "done", "progress": "100%"})),
        },
        Route::ImgDlStop => {
            if m.transfers
                .get(&name)
                .is_some_and(|t| t.kind == TransferKind::Download)
            {
                m.transfers.remove(&name);
                m.images.remove(&name);
            }
            ok(sim)
        }
        Route::ImgUlStop => {
            if let Some(k) = find_up(m) {
                m.transfers.remove(&k);
            }
            ok(sim)
        }
        Route::ImgDelete => {
            if name.is_empty() {
                return node(sim, 1, "image_filename is empty");
            }
            if !m.images.contains_key(&name) {
                return node(sim, 1, format!("image file:{name} is not exist"));
            }
            if m.image_busy(&name) {
                return node(
                    sim,
                    1,
                    "image file is in downloading or uploading, please try again later",
                );
            }
            m.images.remove(&name);
            ok(sim)
        }
        _ => node(sim, -1, "unsupported"),
    }
}
