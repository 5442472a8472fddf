//! Node handlers: machine info (`mining_nodes`), image list, rent orders.

use serde_json::{json, Map, Value};

use super::auth::Who;
use super::{node, Reply};
use crate::state::{fmt_image_size, fmt_size_gb, Machine, Sim, Task};

fn mask_ip(ip: &str) -> String {
    let p: Vec<&str> = ip.split('.').collect();
    if p.len() == 4 {
        format!("*.{}.*.{}", p[1], p[3])
    } else {
        ip.to_string()
    }
}

pub(super) fn machine_info(sim: &Sim, node_id: &str, add: &Map<String, Value>) -> Reply {
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

pub(super) fn images_list(
    sim: &Sim,
    node_id: &str,
    add: &Map<String, Value>,
    who: Option<&Who>,
) -> Reply {
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

pub(super) fn rent_orders(sim: &Sim, node_id: &str, id: Option<&str>) -> Reply {
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
