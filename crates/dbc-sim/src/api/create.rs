//! `tasks/start`: the node's checks (in the node's order) and the new VM.

use serde_json::{json, Map, Value};

use super::args::{digits, gs, ipv4, str_array};
use super::auth::Who;
use super::tasks::port_conflict;
use super::{node, Reply};
use crate::crypto;
use crate::state::{gen_mac, gen_password, Disk, Op, Pending, Sim, State, Task, VState};

pub(super) fn create_task(
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
