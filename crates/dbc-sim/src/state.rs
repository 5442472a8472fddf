//! Simulated world: clock, machines, chain facts, tasks. Time-driven state is derived lazily
//! ("settled") from the simulated clock whenever a machine is touched, so everything is
//! deterministic for a given seed and request sequence.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::config::{MachineConfig, SimConfig, TaskConfig};
use crate::control::{Fault, FaultKind, HostileConnection, MachineInfo, TaskInfo};

/// Simulated clock: real elapsed time plus manual advances, in milliseconds.
pub struct Clock {
    start: Instant,
    offset_ms: AtomicU64,
    /// Bumped on every manual advance (wakes whoever waits for the next block).
    advanced: tokio::sync::watch::Sender<u64>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            start: Instant::now(),
            offset_ms: AtomicU64::new(0),
            advanced: tokio::sync::watch::Sender::new(0),
        }
    }
    pub fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64 + self.offset_ms.load(Ordering::Relaxed)
    }
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.as_millis() as u64, Ordering::Relaxed);
        self.advanced.send_modify(|n| *n += 1);
    }
    /// A receiver that changes whenever the clock is advanced by hand.
    pub fn advances(&self) -> tokio::sync::watch::Receiver<u64> {
        self.advanced.subscribe()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VState {
    None,
    Running,
    ShutOff,
    Suspended,
}

impl VState {
    pub fn as_str(self) -> &'static str {
        match self {
            VState::None => "none",
            VState::Running => "running",
            VState::ShutOff => "shut_off",
            VState::Suspended => "suspended",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Start,
    Shutdown,
    Poweroff,
    Restart,
    Reset,
    Delete,
}

impl Op {
    pub fn step(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Start => "start",
            Op::Shutdown => "shutdown",
            Op::Poweroff => "poweroff",
            Op::Restart => "restart",
            Op::Reset => "reset",
            Op::Delete => "delete",
        }
    }
    pub fn transitional(self) -> &'static str {
        match self {
            Op::Create => "creating",
            Op::Start => "starting",
            Op::Shutdown => "being shutdown",
            Op::Poweroff => "being poweroff",
            Op::Restart => "restarting",
            Op::Reset => "resetting",
            Op::Delete => "deleting",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub op: Op,
    pub done_at: u64,
    pub fail: bool,
}

#[derive(Debug, Clone)]
pub struct Disk {
    pub name: String,
    pub file: String,
    pub size_gb: f64,
}

#[derive(Debug, Clone)]
pub enum DiskOp {
    Add { size_gb: u64, dir: String },
    Resize { disk: String, add_gb: u64 },
    Delete { disk: String },
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub name: String,
    pub description: String,
    pub file: String,
    pub create_time: String,
    pub started_ms: u64,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub task_id: String,
    pub owner: String,
    pub rent_order: Option<String>,
    pub os: String,
    pub bios_mode: String,
    pub image_name: String,
    pub desc: String,
    pub create_time: String,
    pub public_ip: String,
    pub ssh_port: u32,
    pub rdp_port: u32,
    pub vnc_port: u32,
    pub user_name: String,
    pub password: String,
    pub cpu_cores: u32,
    pub gpu_index: Vec<u32>,
    pub mem_gb: u64,
    pub disks: Vec<Disk>,
    pub network_name: String,
    pub network_filters: Vec<String>,
    pub custom_port: Vec<String>,
    pub multicast: Vec<String>,
    pub mac: String,
    pub interface_model: String,
    pub snapshots: Vec<Snapshot>,
    pub logs: Vec<String>,
    pub vstate: VState,
    /// Stored transitional or error status; `None` = derive from `vstate`.
    pub stored: Option<String>,
    pub pending: Option<Pending>,
    pub disk_ops: Vec<(u64, DiskOp)>,
    /// Changes that apply at next boot.
    pub next_boot: Option<(u32, u32, u64)>,
}

impl Task {
    pub fn status(&self) -> String {
        if let Some(s) = &self.stored {
            return s.clone();
        }
        match self.vstate {
            VState::Running => "running".into(),
            VState::ShutOff => "closed".into(),
            VState::Suspended => "pmsuspend".into(),
            VState::None => "none".into(),
        }
    }
    /// libvirt state text used in `task is <state>` errors.
    pub fn libvirt_state(&self) -> &'static str {
        if let Some(p) = &self.pending {
            if matches!(p.op, Op::Shutdown | Op::Poweroff) {
                return "being shutdown";
            }
        }
        self.vstate.as_str()
    }
    pub fn is_running(&self) -> bool {
        self.vstate == VState::Running
    }
    pub fn creating(&self) -> bool {
        matches!(&self.pending, Some(p) if p.op == Op::Create)
    }
    /// Counts toward resource use (running or being created).
    pub fn uses_resources(&self) -> bool {
        self.is_running() || self.creating()
    }
}

#[derive(Debug, Clone)]
pub struct RentOrder {
    pub id: u64,
    pub renter: String,
    pub status: String,
    pub gpu_index: Vec<u32>,
    pub end_secs: u64,
}

impl RentOrder {
    pub fn status_at(&self, now_secs: u64) -> &str {
        if now_secs >= self.end_secs {
            "rentExpired"
        } else {
            &self.status
        }
    }
    pub fn active(&self, now_secs: u64) -> bool {
        matches!(self.status_at(now_secs), "renting" | "waitingVerifying")
    }
}

#[derive(Debug, Clone)]
pub struct ImageFile {
    pub size_gb: f64,
    pub backing: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub wallet: String,
    pub session_id: String,
    pub members: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Lan {
    pub name: String,
    pub ip_cidr: String,
    pub vni: u32,
    pub owner: String,
    pub members: Vec<String>,
    pub last_use: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferKind {
    Download,
    Upload,
}

#[derive(Debug, Clone)]
pub struct Transfer {
    pub kind: TransferKind,
    pub file: String,
    pub server: String,
    pub size_gb: f64,
    pub started_ms: u64,
    pub done_ms: u64,
}

pub struct Machine {
    pub node_id: String,
    pub name: String,
    pub version: String,
    pub p2p: String,
    pub chain_status: String,
    pub ip: String,
    pub os: String,
    pub cpu_type: String,
    pub cpu_cores: u32,
    pub gpu_count: u32,
    pub mem_gb: u64,
    pub data_total_gb: u64,
    pub data_free_gb: f64,
    pub images: BTreeMap<String, ImageFile>,
    pub orders: Vec<RentOrder>,
    pub sessions: Vec<Session>,
    pub tasks: BTreeMap<String, Task>,
    pub lans: BTreeMap<String, Lan>,
    pub nonces: HashSet<String>,
    /// Keyed by transfer key (file name for downloads, path or name for uploads).
    pub transfers: HashMap<String, Transfer>,
    pub monitor_servers: Vec<String>,
}

impl Machine {
    pub fn order(&self, id: &str) -> Option<&RentOrder> {
        let id: u64 = id.parse().ok()?;
        self.orders.iter().find(|o| o.id == id)
    }
    pub fn image_busy(&self, name: &str) -> bool {
        self.transfers.values().any(|t| t.file == name)
    }
}

pub struct State {
    pub rng: StdRng,
    pub machines: BTreeMap<String, Machine>,
    pub image_servers: BTreeMap<String, BTreeMap<String, f64>>,
    pub client_files: BTreeMap<String, f64>,
    pub fail_next: HashMap<String, u32>,
    pub next_vni: u32,
}

pub struct Sim {
    pub cfg: SimConfig,
    pub clock: Clock,
    pub state: Mutex<State>,
    pub faults: Mutex<Vec<Fault>>,
    /// TCP connections accepted so far (shows whether a client reuses its connections).
    pub connections: std::sync::atomic::AtomicU64,
    /// Body bytes produced by `huge_body` faults (shared with the bodies being sent).
    pub huge_body_sent: Arc<AtomicU64>,
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of unix seconds.
pub fn fmt_time(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // civil_from_days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Size text with unit letter, 1024-based, at most two decimals, trailing zeros removed.
pub fn fmt_size_gb(gb: f64) -> String {
    let (mut v, mut unit) = (gb, "G");
    if gb < 1.0 && gb > 0.0 {
        v = gb * 1024.0;
        unit = "M";
    }
    let mut s = format!("{:.2}", v);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    format!("{s}{unit}")
}

/// Image sizes may use T and P.
pub fn fmt_image_size(gb: f64) -> String {
    if gb >= 1024.0 * 1024.0 {
        let s = fmt_size_gb(gb / 1024.0 / 1024.0);
        format!("{}P", s.trim_end_matches('G'))
    } else if gb >= 1024.0 {
        let s = fmt_size_gb(gb / 1024.0);
        format!("{}T", s.trim_end_matches('G'))
    } else {
        fmt_size_gb(gb)
    }
}

const PW_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/+[]@#^";

pub fn gen_password(rng: &mut StdRng) -> String {
    (0..16)
        .map(|_| PW_CHARS[rng.gen_range(0..PW_CHARS.len())] as char)
        .collect()
}

pub fn gen_mac(rng: &mut StdRng) -> String {
    let b: [u8; 3] = rng.gen();
    format!("52:54:00:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2])
}

impl Sim {
    pub fn new(cfg: SimConfig) -> Sim {
        let mut rng = StdRng::seed_from_u64(cfg.seed);
        let mut machines = BTreeMap::new();
        for mc in &cfg.machines {
            let m = build_machine(&cfg, mc, &mut rng);
            machines.insert(m.node_id.clone(), m);
        }
        let image_servers = cfg
            .image_servers
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    s.images
                        .iter()
                        .map(|i| (i.name.clone(), i.size_gb))
                        .collect(),
                )
            })
            .collect();
        let client_files = cfg
            .client_data_files
            .iter()
            .map(|i| (i.name.clone(), i.size_gb))
            .collect();
        let mut faults = vec![];
        let mut fail_next = HashMap::new();
        for f in &cfg.faults {
            if let FaultKind::FailNext { step } = &f.kind {
                *fail_next.entry(step.clone()).or_insert(0) += f.times.unwrap_or(1);
            } else {
                faults.push(f.clone());
            }
        }
        Sim {
            cfg,
            clock: Clock::new(),
            state: Mutex::new(State {
                rng,
                machines,
                image_servers,
                client_files,
                fail_next,
                next_vni: 1000,
            }),
            faults: Mutex::new(faults),
            connections: Default::default(),
            huge_body_sent: Default::default(),
        }
    }

    /// Scaled duration of a step in simulated ms.
    pub fn dur_ms(&self, secs: f64) -> u64 {
        (secs * 1000.0 / self.cfg.speed).max(0.0) as u64
    }

    pub fn now_secs(&self) -> u64 {
        self.clock.now_ms() / 1000
    }

    pub fn wall(&self, now_ms: u64) -> String {
        fmt_time(self.cfg.start_unix + now_ms / 1000)
    }

    pub fn log_line(&self, now_ms: u64, task_id: &str, level: &str, text: &str) -> String {
        format!(
            "{}.{:06} | {} | {:<8}| {}",
            self.wall(now_ms),
            (now_ms % 1000) * 1000,
            task_id,
            level,
            text
        )
    }

    pub fn chain_block(&self) -> u64 {
        self.cfg.start_block + self.now_secs() / 6
    }

    /// Apply every asynchronous step of `node_id` whose time has come.
    pub fn settle(&self, st: &mut State, node_id: &str, now: u64) {
        let Some(m) = st.machines.get_mut(node_id) else {
            return;
        };
        let mut removed = vec![];
        for t in m.tasks.values_mut() {
            if let Some(p) = t.pending.clone() {
                if p.done_at <= now {
                    t.pending = None;
                    let at = p.done_at;
                    let (ok_state, ok_msg) = match p.op {
                        Op::Create => (VState::Running, "create task successful"),
                        Op::Start => (VState::Running, "start task successful"),
                        Op::Shutdown => (VState::ShutOff, "shutdown task successful"),
                        Op::Poweroff => (VState::ShutOff, "poweroff task successful"),
                        Op::Restart => (VState::Running, "restart task successful"),
                        Op::Reset => (VState::Running, "reset task successful"),
                        Op::Delete => {
                            removed.push(t.task_id.clone());
                            continue;
                        }
                    };
                    if p.fail {
                        t.stored = Some(format!("{} error", p.op.step()));
                        let line = self.log_line(
                            at,
                            &t.task_id,
                            "error",
                            &format!("{} task failed", p.op.step()),
                        );
                        t.logs.push(line);
                    } else {
                        t.stored = None;
                        t.vstate = ok_state;
                        if ok_state == VState::Running {
                            if let Some((g, c, mem)) = t.next_boot.take() {
                                let _ = g;
                                t.cpu_cores = c;
                                t.mem_gb = mem;
                            }
                        }
                        let line = self.log_line(at, &t.task_id, "info", ok_msg);
                        t.logs.push(line);
                    }
                }
            }
            if !t.disk_ops.is_empty() {
                let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut t.disk_ops)
                    .into_iter()
                    .partition(|(at, _)| *at <= now);
                t.disk_ops = later;
                for (at, op) in due {
                    let msg = match op {
                        DiskOp::Add { size_gb, dir } => {
                            let name = next_disk_name(&t.disks);
                            let file =
                                format!("{}/data_{}_{}.qcow2", dir.trim_end_matches('/'), name, at);
                            t.disks.push(Disk {
                                name: name.clone(),
                                file,
                                size_gb: size_gb as f64,
                            });
                            format!("add disk {name} successful")
                        }
                        DiskOp::Resize { disk, add_gb } => {
                            if let Some(d) = t.disks.iter_mut().find(|d| d.name == disk) {
                                d.size_gb += add_gb as f64;
                            }
                            format!("resize disk {disk} successful")
                        }
                        DiskOp::Delete { disk } => {
                            t.disks.retain(|d| d.name != disk);
                            format!("delete disk {disk} successful")
                        }
                    };
                    let line = self.log_line(at, &t.task_id, "info", &msg);
                    t.logs.push(line);
                }
            }
        }
        for id in removed {
            if let Some(t) = m.tasks.remove(&id) {
                let disk_gb: f64 = t
                    .disks
                    .iter()
                    .filter(|d| d.name != "vda")
                    .map(|d| d.size_gb)
                    .sum::<f64>()
                    + 350.0;
                m.data_free_gb += disk_gb;
                for lan in m.lans.values_mut() {
                    lan.members.retain(|x| *x != id);
                }
            }
        }
        // transfers
        let done: Vec<String> = m
            .transfers
            .iter()
            .filter(|(_, t)| t.done_ms <= now)
            .map(|(k, _)| k.clone())
            .collect();
        for k in done {
            if let Some(t) = m.transfers.remove(&k) {
                if t.kind == TransferKind::Upload {
                    if let Some(srv) = st.image_servers.get_mut(&t.server) {
                        srv.insert(t.file.clone(), t.size_gb);
                    }
                }
            }
        }
    }

    pub fn take_fail(&self, st: &mut State, step: &str) -> bool {
        match st.fail_next.get_mut(step) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    pub fn add_fault(&self, fault: Fault) {
        if let FaultKind::FailNext { step } = &fault.kind {
            self.fail_next(step, fault.times.unwrap_or(1));
        } else {
            self.faults.lock().push(fault);
        }
    }

    /// The hostile connection values for a request path, if a fault sets them (uses one of its
    /// `times`).
    pub fn take_hostile(&self, path: &str) -> Option<HostileConnection> {
        let mut faults = self.faults.lock();
        let f = faults.iter_mut().find(|f| {
            f.times != Some(0)
                && matches!(f.kind, FaultKind::HostileConnection(_))
                && f.matches(path)
        })?;
        if let Some(n) = f.times.as_mut() {
            *n -= 1;
        }
        let FaultKind::HostileConnection(h) = &f.kind else {
            return None;
        };
        let h = h.clone();
        faults.retain(|f| f.times != Some(0));
        Some(h)
    }

    pub fn clear_faults(&self) {
        self.faults.lock().clear();
        self.state.lock().fail_next.clear();
    }

    pub fn fail_next(&self, step: &str, n: u32) {
        *self
            .state
            .lock()
            .fail_next
            .entry(step.to_string())
            .or_insert(0) += n;
    }

    pub fn set_machine_status(&self, node_id: &str, status: &str) -> bool {
        let mut st = self.state.lock();
        match st.machines.get_mut(node_id) {
            Some(m) => {
                m.chain_status = status.to_string();
                true
            }
            None => false,
        }
    }

    pub fn set_machine_p2p(&self, node_id: &str, p2p: &str) -> bool {
        let mut st = self.state.lock();
        match st.machines.get_mut(node_id) {
            Some(m) => {
                m.p2p = p2p.to_string();
                true
            }
            None => false,
        }
    }

    pub fn push_log(&self, node_id: &str, task_id: &str, text: &str) -> bool {
        let now = self.clock.now_ms();
        let mut st = self.state.lock();
        let line = self.log_line(now, task_id, "info", text);
        match st
            .machines
            .get_mut(node_id)
            .and_then(|m| m.tasks.get_mut(task_id))
        {
            Some(t) => {
                t.logs.push(line);
                true
            }
            None => false,
        }
    }

    pub fn snapshot_status(&self, s: &Snapshot, now: u64) -> &'static str {
        let c = s.started_ms + self.dur_ms(self.cfg.timing.snapshot_create_secs);
        let u = c + self.dur_ms(self.cfg.timing.snapshot_upload_secs);
        if now < c {
            "creating"
        } else if now < u {
            "uploading"
        } else {
            "none"
        }
    }

    pub fn machine_info(&self, node_id: &str) -> Option<MachineInfo> {
        let now = self.clock.now_ms();
        let mut st = self.state.lock();
        self.settle(&mut st, node_id, now);
        let m = st.machines.get(node_id)?;
        Some(MachineInfo {
            node_id: m.node_id.clone(),
            name: m.name.clone(),
            chain_status: m.chain_status.clone(),
            p2p: m.p2p.clone(),
            tasks: m
                .tasks
                .values()
                .map(|t| TaskInfo {
                    task_id: t.task_id.clone(),
                    owner: t.owner.clone(),
                    status: t.status(),
                    vm_state: t.vstate.as_str().into(),
                    desc: t.desc.clone(),
                    disks: t.disks.iter().map(|d| d.name.clone()).collect(),
                    snapshots: t
                        .snapshots
                        .iter()
                        .map(|s| (s.name.clone(), self.snapshot_status(s, now).to_string()))
                        .collect(),
                    log_lines: t.logs.len(),
                })
                .collect(),
            images: m.images.keys().cloned().collect(),
            lans: m.lans.keys().cloned().collect(),
            sessions: m
                .sessions
                .iter()
                .map(|s| (s.wallet.clone(), s.session_id.clone()))
                .collect(),
            used_nonces: m.nonces.len(),
        })
    }

    pub fn state_json(&self) -> Value {
        let ids: Vec<String> = self.state.lock().machines.keys().cloned().collect();
        let machines: Vec<Value> = ids
            .iter()
            .filter_map(|id| self.machine_info(id))
            .map(|mi| serde_json::to_value(mi).unwrap_or(Value::Null))
            .collect();
        let st = self.state.lock();
        let now_s = self.now_secs();
        let orders: Vec<Value> = st
            .machines
            .values()
            .flat_map(|m| {
                m.orders.iter().map(move |o| {
                    json!({"machine_id": m.node_id, "id": o.id, "renter": o.renter,
                        "status": o.status_at(now_s), "gpu_index": o.gpu_index, "end_secs": o.end_secs})
                })
            })
            .collect();
        json!({
            "now_secs": self.clock.now_ms() as f64 / 1000.0,
            "chain_block": self.chain_block(),
            "speed": self.cfg.speed,
            "machines": machines,
            "rent_orders": orders,
            "image_servers": st.image_servers,
            "faults": *self.faults.lock(),
            "fail_next": st.fail_next,
        })
    }
}

pub fn next_disk_name(disks: &[Disk]) -> String {
    let last = disks
        .iter()
        .filter_map(|d| d.name.strip_prefix("vd"))
        .filter_map(|s| s.bytes().next())
        .max()
        .unwrap_or(b'a');
    format!("vd{}", (last + 1) as char)
}

fn build_machine(cfg: &SimConfig, mc: &MachineConfig, rng: &mut StdRng) -> Machine {
    let mut m = Machine {
        node_id: mc.node_id.clone(),
        name: mc.name.clone(),
        version: mc.version.clone(),
        p2p: mc.p2p.clone(),
        chain_status: mc.chain_status.clone(),
        ip: mc.ip.clone(),
        os: mc.os.clone(),
        cpu_type: mc.cpu_type.clone(),
        cpu_cores: mc.cpu_cores,
        gpu_count: mc.gpu_count,
        mem_gb: mc.mem_gb,
        data_total_gb: mc.data_total_gb,
        data_free_gb: mc.data_free_gb as f64,
        images: mc
            .images
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    ImageFile {
                        size_gb: i.size_gb,
                        backing: i.backing.clone(),
                    },
                )
            })
            .collect(),
        orders: mc
            .rent_orders
            .iter()
            .map(|o| RentOrder {
                id: o.id,
                renter: o.renter.clone(),
                status: o.status.clone(),
                gpu_index: o.gpu_index.clone(),
                end_secs: o.end_secs,
            })
            .collect(),
        sessions: mc
            .sessions
            .iter()
            .map(|s| Session {
                wallet: s.wallet.clone(),
                session_id: s.session_id.clone(),
                members: s.members.clone(),
            })
            .collect(),
        tasks: BTreeMap::new(),
        lans: BTreeMap::new(),
        nonces: HashSet::new(),
        transfers: HashMap::new(),
        monitor_servers: vec![],
    };
    let mut used_gpus: Vec<u32> = vec![];
    for tc in &mc.tasks {
        let t = build_task(cfg, &m, tc, rng, &mut used_gpus);
        m.data_free_gb -= tc.disk_gb as f64 + 350.0;
        m.tasks.insert(t.task_id.clone(), t);
    }
    m
}

fn build_task(
    cfg: &SimConfig,
    m: &Machine,
    tc: &TaskConfig,
    rng: &mut StdRng,
    used: &mut Vec<u32>,
) -> Task {
    let order = tc
        .rent_order
        .and_then(|id| m.orders.iter().find(|o| o.id == id));
    let pool: Vec<u32> = order
        .map(|o| o.gpu_index.clone())
        .unwrap_or_else(|| (0..m.gpu_count).collect());
    let gpu_index: Vec<u32> = pool
        .into_iter()
        .filter(|g| !used.contains(g))
        .take(tc.gpu_count as usize)
        .collect();
    used.extend(&gpu_index);
    let windows = tc.os.contains("win");
    let create_time = fmt_time(cfg.start_unix.saturating_sub(3600));
    let pw = gen_password(rng);
    let vstate = match tc.status.as_str() {
        "running" => VState::Running,
        "pmsuspend" | "suspended" => VState::Suspended,
        _ => VState::ShutOff,
    };
    Task {
        task_id: tc.task_id.clone(),
        owner: tc.owner.clone(),
        rent_order: tc.rent_order.map(|o| o.to_string()),
        os: if windows {
            "windows".into()
        } else {
            "linux".into()
        },
        bios_mode: if windows {
            "uefi".into()
        } else {
            "legacy".into()
        },
        image_name: tc.image_name.clone(),
        desc: tc.desc.clone(),
        create_time: create_time.clone(),
        public_ip: String::new(),
        ssh_port: tc.ssh_port as u32,
        rdp_port: tc.rdp_port as u32,
        vnc_port: tc.vnc_port as u32,
        user_name: if windows {
            "Administrator".into()
        } else {
            "dbc".into()
        },
        password: pw,
        cpu_cores: tc.cpu_cores,
        gpu_index,
        mem_gb: tc.mem_gb,
        disks: vec![
            Disk {
                name: "vda".into(),
                file: format!("/data/vm_{}_{}.qcow2", tc.task_id, cfg.start_unix),
                size_gb: 350.0,
            },
            Disk {
                name: "vdb".into(),
                file: format!("/data/data_1_{}_{}.qcow2", tc.task_id, cfg.start_unix),
                size_gb: tc.disk_gb as f64,
            },
        ],
        network_name: String::new(),
        network_filters: vec![],
        custom_port: vec![],
        multicast: vec![],
        mac: gen_mac(rng),
        interface_model: "virtio".into(),
        snapshots: vec![],
        logs: vec![
            format!(
                "{}.000000 | {} | info    | create task successful",
                create_time, tc.task_id
            ),
            format!(
                "{}.000000 | {} | info    | start task successful",
                create_time, tc.task_id
            ),
        ],
        vstate,
        stored: None,
        pending: None,
        disk_ops: vec![],
        next_boot: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn formats() {
        assert_eq!(fmt_time(0), "1970-01-01 00:00:00");
        assert_eq!(fmt_time(1_714_557_600), "2024-05-01 10:00:00");
        assert_eq!(fmt_size_gb(7.5), "7.5G");
        assert_eq!(fmt_size_gb(350.0), "350G");
        assert_eq!(fmt_size_gb(0.5), "512M");
        assert_eq!(fmt_image_size(12.5), "12.5G");
        assert_eq!(fmt_image_size(2048.0), "2T");
    }
}
