//! Routes: URI → [`Route`], and per route the timeout message, whether a machine id is
//! required and which credentials the gateway pre-checks.

use super::{gw, Reply};
use crate::state::Op;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NodeReq {
    Required,
    Optional,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pre {
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
    pub(super) fn meta(&self) -> (&'static str, NodeReq, Pre) {
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

pub(super) fn route(sub: &str) -> Result<Route, Reply> {
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
