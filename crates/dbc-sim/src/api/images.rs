//! Image transfers (download, upload, progress, stop) and image delete on a node.

use serde_json::{json, Map, Value};

use super::args::gs;
use super::route::Route;
use super::{node, ok, Reply};
use crate::state::{Machine, Sim, State, Transfer, TransferKind};

fn progress(sim: &Sim, t: &Transfer, now: u64) -> String {
    let total = t.done_ms.saturating_sub(t.started_ms).max(1);
    let pct = (now.saturating_sub(t.started_ms) * 100 / total).min(99) as u32;
    let step = sim.cfg.timing.progress_step_pct.max(1);
    format!("{}%", pct / step * step)
}

pub(super) fn images_op(
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
