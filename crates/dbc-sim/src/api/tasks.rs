//! Task handlers: detail, control operations, logs, modify, port checks.

use serde_json::{json, Map, Value};

use super::args::{digits, gs, ipv4};
use super::auth::Who;
use super::lan::cidr_range;
use super::{node, ok, Reply};
use crate::state::{fmt_size_gb, Machine, Op, Pending, Sim, State, Task, VState};

pub(super) fn task_detail(m: &Machine, t: &Task) -> Value {
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

pub(super) fn port_conflict(
    m: &Machine,
    skip: &str,
    which: &str,
    port: u32,
    ignore_public_ip: bool,
) -> bool {
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

pub(super) fn task_op(
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

pub(super) fn task_logs(
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

pub(super) fn modify_task(
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
