//! Gateway stage: URI, method, body, envelope, parameters ([`prepare`]).

use serde_json::{Map, Value};

use super::auth::{multisig, session_pair, single};
use super::route::{route, NodeReq, Pre, Route};
use super::{gw, Reply};
use crate::state::Sim;

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

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect()
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
