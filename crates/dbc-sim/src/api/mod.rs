//! The client-node gateway (envelope checks, routing) and the GPU-node logic.
//! Requests are parsed as raw `serde_json::Value`, like the real node does.
//!
//! Layout: `route` (URI → `Route`), `gateway` (envelope checks, `prepare`), `auth` (§3
//! authorization, sessions), `dispatch` (gateway-local answers, routing to the node handlers),
//! the node handlers per area (`machine`, `tasks`, `create`, `disks`, `images`, `lan`) and
//! small parameter helpers (`args`).

mod args;
mod auth;
mod create;
mod disks;
mod dispatch;
mod gateway;
mod images;
mod lan;
mod machine;
mod route;
mod tasks;

use serde_json::{json, Value};

use crate::state::Sim;

pub use dispatch::{dispatch, Outcome};
pub use gateway::prepare;

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
    node_escaped(code, msg)
}

/// A node reply with its text properly escaped, whatever the quirks (a node someone rebuilt).
fn node_escaped(code: i64, msg: Value) -> Reply {
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
