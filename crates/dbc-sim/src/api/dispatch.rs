//! Gateway-local answers ([`dispatch`]) and routing of a request to the GPU node's handlers.

use serde_json::{json, Map, Value};

use super::args::{gs, str_array};
use super::auth::{authorize, multisig, session_pair, single};
use super::create::create_task;
use super::disks::{disk, snap_json};
use super::gateway::Prepared;
use super::images::images_op;
use super::lan::{lan_create, lan_json, lan_list};
use super::machine::{images_list, machine_info, rent_orders};
use super::route::Route;
use super::tasks::{modify_task, task_detail, task_logs, task_op};
use super::{gw, node, node_escaped, ok, Reply};
use crate::state::{fmt_image_size, Sim, Snapshot, VState};

/// Outcome of dispatching to the node.
pub enum Outcome {
    Reply(Reply),
    /// The node never answers: wait the gateway timeout, then `500 -1 <op> timeout`.
    Timeout(&'static str),
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
                Some(t) => match sim.take_hostile(&format!("tasks/{id}")) {
                    Some(h) => {
                        let mut d = task_detail(m, t);
                        h.apply(&mut d);
                        node_escaped(0, d)
                    }
                    None => node(sim, 0, task_detail(m, t)),
                },
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
