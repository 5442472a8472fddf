//! Disk handlers (list, resize, add, delete) and the snapshot JSON.

use serde_json::{json, Map, Value};

use super::args::gs;
use super::route::DiskVerb;
use super::{node, ok, Reply};
use crate::state::{fmt_size_gb, DiskOp, Sim, Snapshot, State, VState};

pub(super) fn disk(
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

pub(super) fn snap_json(sim: &Sim, s: &Snapshot, now: u64) -> Value {
    json!({"snapshot_name": s.name, "description": s.description, "snapshot_file": s.file,
           "create_time": s.create_time, "status": sim.snapshot_status(s, now)})
}
