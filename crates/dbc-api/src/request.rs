//! Pure request building (no I/O): one function per endpoint, each validating its input and
//! returning an [`ApiRequest`]. Signing happens in [`ApiRequest::body`], once per send.

use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

use serde_json::{json, Map, Value};

use crate::auth::Auth;
use crate::models::*;
use crate::text::params;
use crate::validate::{Checker, Rule, ValidationErrors};

/// Folder on the GPU node where images live; uploads through a node are tracked under
/// `<dir>/<name>` (SPEC §5.15 quirk). [inferred from code: keep easy to change]
pub const NODE_IMAGE_DIR: &str = "/data";

/// Largest disk size (GB) accepted in a form (sizes are whole GB, sent as JSON integers).
pub const MAX_DISK_GB: u64 = 1 << 24;

/// Longest free-text description we let through.
pub const MAX_DESC_LEN: usize = 128;

/// The GPU machine a request is addressed to, with the caller's rent order.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// 64 lowercase hex characters.
    pub node_id: String,
    /// Decimal rent order id; sent on every machine-level call when known (SPEC §3.6).
    pub rent_order: Option<String>,
}

impl Machine {
    pub fn new(node_id: impl Into<String>, rent_order: Option<String>) -> Self {
        Machine {
            node_id: node_id.into(),
            rent_order: rent_order.filter(|r| !r.is_empty()),
        }
    }
    fn check(&self, c: &mut Checker) {
        c.node_id("node_id", &self.node_id);
        if let Some(r) = &self.rent_order {
            c.rent_order("rent_order", r);
        }
    }
}

/// What authorization an endpoint needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthNeed {
    /// Gateway-local or public node info.
    None,
    /// Optional: sent when available (image list mode 3).
    Optional,
    /// Any of the three modes.
    Required,
    /// Wallet or multisig only (session id fetch).
    Signing,
}

/// A fully validated request, ready to sign and send.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiRequest {
    /// Short operation name, e.g. `task.create` (for logs and UIs).
    pub op: &'static str,
    /// Path under `/api/v1/`, without query.
    pub path: String,
    /// Query parameters, in order (sent without URL-encoding: values are validated plain text).
    pub query: Vec<(&'static str, String)>,
    /// Target machine (`peer_nodes_list`), or none (`[]`).
    pub peer: Option<String>,
    pub additional: Map<String, Value>,
    pub rent_order: Option<String>,
    pub auth: AuthNeed,
    /// The call changes something on the node: never retried, ambiguous replies reported.
    pub mutating: bool,
}

impl ApiRequest {
    fn new(op: &'static str, path: impl Into<String>, peer: Option<&Machine>) -> Self {
        ApiRequest {
            op,
            path: path.into(),
            query: Vec::new(),
            peer: peer.map(|m| m.node_id.clone()),
            additional: Map::new(),
            rent_order: peer.and_then(|m| m.rent_order.clone()),
            auth: AuthNeed::None,
            mutating: false,
        }
    }
    fn auth(mut self, need: AuthNeed) -> Self {
        self.auth = need;
        self
    }
    fn mutating(mut self) -> Self {
        self.mutating = true;
        self
    }
    fn add(mut self, key: &str, v: impl Into<Value>) -> Self {
        self.additional.insert(key.to_string(), v.into());
        self
    }
    fn add_if(self, key: &str, v: &str) -> Self {
        if v.is_empty() {
            self
        } else {
            self.add(key, v.to_string())
        }
    }

    /// `/api/v1/<path>[?k=v&…]`.
    pub fn url_path(&self) -> String {
        let mut s = format!("/api/v1/{}", self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            s.push(if i == 0 { '?' } else { '&' });
            s.push_str(k);
            s.push('=');
            s.push_str(v);
        }
        s
    }

    /// Whether the request can be sent with this auth (checked before any I/O).
    pub fn check_auth(&self, auth: &Auth) -> Result<(), ValidationErrors> {
        let mut c = Checker::new();
        match (self.auth, auth) {
            (AuthNeed::Required, Auth::None) => c.fail("auth", Rule::AuthRequired),
            (AuthNeed::Signing, Auth::None | Auth::Session { .. }) => {
                c.fail("auth", Rule::AuthSigning)
            }
            _ => {}
        }
        if let Auth::Multisig {
            wallets,
            threshold,
            signers,
        } = auth
        {
            if *threshold == 0 || *threshold as usize > wallets.len() {
                c.fail("threshold", Rule::ThresholdRange);
            }
            if signers.len() < *threshold as usize {
                c.fail("signers", Rule::SignersBelowThreshold);
            }
            for s in signers {
                if !wallets.iter().any(|w| w == s.address()) {
                    c.fail_with(
                        "signers",
                        Rule::Member,
                        params([("value", s.address().to_string())]),
                    );
                }
            }
        }
        c.finish(())
    }

    /// The JSON body with fresh auth fields (a new nonce per call).
    pub fn body(&self, auth: &Auth) -> Result<Value, ValidationErrors> {
        self.check_auth(auth)?;
        let mut m = Map::new();
        m.insert(
            "peer_nodes_list".into(),
            json!(self.peer.iter().collect::<Vec<_>>()),
        );
        m.insert("additional".into(), Value::Object(self.additional.clone()));
        if let Some(r) = &self.rent_order {
            m.insert("rent_order".into(), r.clone().into());
        }
        if self.auth != AuthNeed::None {
            m.extend(auth.fields());
        }
        Ok(Value::Object(m))
    }
}

/// A validated request that knows the type of its reply: what the builders return, and what
/// [`crate::Client::call`] sends. Derefs to the raw [`ApiRequest`].
pub struct Call<T> {
    req: ApiRequest,
    reply: PhantomData<fn() -> T>,
}

impl<T> Call<T> {
    fn new(req: ApiRequest) -> Self {
        Call {
            req,
            reply: PhantomData,
        }
    }
    /// The untyped request (e.g. to print it, or to send it with `Client::send_raw`).
    pub fn into_raw(self) -> ApiRequest {
        self.req
    }
}

impl<T> std::ops::Deref for Call<T> {
    type Target = ApiRequest;
    fn deref(&self) -> &ApiRequest {
        &self.req
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.req.fmt(f)
    }
}

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        Call::new(self.req.clone())
    }
}

impl<T> From<Call<T>> for ApiRequest {
    fn from(c: Call<T>) -> Self {
        c.req
    }
}

/// The builders' last step: the field errors found, or the typed request.
fn done<T>(c: Checker, req: ApiRequest) -> Result<Call<T>, ValidationErrors> {
    c.finish(Call::new(req))
}

fn target(m: &Machine, c: &mut Checker) {
    m.check(c);
}

fn task_target(m: &Machine, task_id: &str, c: &mut Checker) {
    m.check(c);
    c.path_segment("task_id", task_id);
}

// ---------------------------------------------------------------------------------------------
// Gateway-local

/// `GET/POST /api/v1/` — the version probe.
pub fn version() -> Call<VersionInfo> {
    Call::new(ApiRequest::new("version", "", None))
}

/// `mining_nodes` with `[]`: machines the client node knows.
pub fn machine_list() -> Call<MachineList> {
    Call::new(ApiRequest::new("machine.list", "mining_nodes", None))
}

/// `images/servers`.
pub fn image_servers() -> Call<ImageServers> {
    Call::new(ApiRequest::new("image.servers", "images/servers", None))
}

/// `images` mode 1: the images on an image server.
pub fn images_on_server(image_server: &str) -> Result<Call<Vec<ImageEntry>>, ValidationErrors> {
    let mut c = Checker::new();
    if c.required("image_server", image_server) {
        c.free_text("image_server", image_server, 128);
    }
    done(
        c,
        ApiRequest::new("image.list_server", "images", None).add("image_server", image_server),
    )
}

// ---------------------------------------------------------------------------------------------
// Machine

/// `mining_nodes` with a machine id: hardware, GPUs, images.
pub fn machine_info(
    m: &Machine,
    image_server: Option<&str>,
) -> Result<Call<MachineInfo>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    let mut r = ApiRequest::new("machine.info", "mining_nodes", Some(m));
    if let Some(s) = image_server.filter(|s| !s.is_empty()) {
        c.free_text("image_server", s, 128);
        r = r.add("image_server", s);
    }
    done(c, r)
}

/// `mining_nodes/session_id` (wallet or multisig only).
pub fn session_id(m: &Machine) -> Result<Call<SessionIdReply>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    done(
        c,
        ApiRequest::new("machine.session_id", "mining_nodes/session_id", Some(m))
            .auth(AuthNeed::Signing),
    )
}

/// `rent_orders[/<id>]`: the node's cached rent orders (no auth).
pub fn rent_orders(m: &Machine, order: Option<&str>) -> Result<Call<RentOrders>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    let path = match order {
        Some(o) => {
            c.rent_order("order", o);
            format!("rent_orders/{o}")
        }
        None => "rent_orders".into(),
    };
    done(c, ApiRequest::new("machine.rent_orders", path, Some(m)))
}

// ---------------------------------------------------------------------------------------------
// Tasks

/// Operating system family of a new VM.
pub fn normalize_os(os: &str) -> Option<&'static str> {
    let l = os.trim().to_ascii_lowercase();
    if l.is_empty() || l.contains("linux") || l.contains("ubuntu") {
        Some("linux")
    } else if l.contains("win") {
        Some("windows")
    } else {
        None
    }
}

/// Fields of `tasks/start` (SPEC §5.3). Numbers are kept as the strings the node wants; empty
/// means "not given".
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateTask {
    pub task_id: String,
    pub gpu_count: String,
    pub desc: String,
    /// `linux` (default) or `windows`.
    pub operation_system: String,
    /// `legacy` (default), `uefi` or `pxe`.
    pub bios_mode: String,
    pub image_name: String,
    pub public_ip: String,
    pub ssh_port: String,
    pub rdp_port: String,
    pub vnc_port: String,
    pub cpu_cores: String,
    /// GB.
    pub mem_size: String,
    /// GB, the extra data disk.
    pub disk_size: String,
    pub data_file_name: String,
    pub network_name: String,
    pub custom_port: Vec<String>,
    pub multicast: Vec<String>,
    pub network_filters: Vec<String>,
    /// empty or `virtio` (default, not sent: the node rejects it spelled out), `e1000`, `rtl8139`.
    pub interface_model_type: String,
}

/// `tasks/start`: create a VM.
pub fn create_task(m: &Machine, t: &CreateTask) -> Result<Call<TaskSummary>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    if !t.task_id.is_empty()
        && (!(20..=22).contains(&t.task_id.len())
            || !t.task_id.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        c.fail("task_id", Rule::TaskIdFormat);
    }
    if !t.gpu_count.is_empty() {
        c.number("gpu_count", &t.gpu_count, 0, 1024);
    }
    c.free_text("desc", &t.desc, MAX_DESC_LEN);
    let os = normalize_os(&t.operation_system);
    if os.is_none() {
        c.fail("operation_system", Rule::OsChoice);
    }
    let bios = t.bios_mode.trim().to_ascii_lowercase();
    if !matches!(bios.as_str(), "" | "legacy" | "uefi" | "pxe") {
        c.fail("bios_mode", Rule::BiosChoice);
    }
    c.qcow2_name("image_name", &t.image_name);
    let has_ip = !t.public_ip.is_empty();
    if has_ip {
        c.ipv4("public_ip", &t.public_ip);
    }
    let windows = os == Some("windows");
    // The port of the VM's own OS is required unless a public IP is set; the other one is
    // checked only when given.
    let ssh_needed = !windows && !has_ip;
    let ssh = if ssh_needed || !t.ssh_port.is_empty() {
        c.port("ssh_port", &t.ssh_port)
    } else {
        None
    };
    let rdp_needed = windows && !has_ip;
    let rdp = if rdp_needed || !t.rdp_port.is_empty() {
        c.port("rdp_port", &t.rdp_port)
    } else {
        None
    };
    let vnc = c.vnc_port("vnc_port", &t.vnc_port);
    if vnc.is_some() && (vnc == ssh || vnc == rdp) {
        c.fail("vnc_port", Rule::VncPortConflict);
    }
    c.number("cpu_cores", &t.cpu_cores, 1, 4096);
    c.number("mem_size", &t.mem_size, 1, 1 << 20);
    if bios != "pxe" {
        c.number("disk_size", &t.disk_size, 1, MAX_DISK_GB);
    } else if !t.disk_size.is_empty() {
        c.number("disk_size", &t.disk_size, 0, MAX_DISK_GB);
    }
    if !t.data_file_name.is_empty() {
        c.free_text("data_file_name", &t.data_file_name, 255);
        if t.data_file_name.contains('/') {
            c.fail("data_file_name", Rule::DataFileNameOnly);
        }
    }
    if !t.network_name.is_empty() {
        c.network_name("network_name", &t.network_name);
    }
    for (i, p) in t.custom_port.iter().enumerate() {
        c.port_forward(&format!("custom_port[{i}]"), p);
    }
    for (i, p) in t.multicast.iter().enumerate() {
        c.multicast(&format!("multicast[{i}]"), p);
    }
    for (i, p) in t.network_filters.iter().enumerate() {
        c.network_filter(&format!("network_filters[{i}]"), p);
    }
    let nic = t.interface_model_type.trim().to_ascii_lowercase();
    if !matches!(nic.as_str(), "" | "virtio" | "e1000" | "rtl8139") {
        c.fail("interface_model_type", Rule::NicChoice);
    }

    let r = ApiRequest::new("task.create", "tasks/start", Some(m))
        .auth(AuthNeed::Required)
        .mutating()
        .add_if("task_id", &t.task_id)
        .add_if("gpu_count", t.gpu_count.trim())
        .add("desc", t.desc.clone())
        .add("operation_system", os.unwrap_or("linux"))
        .add_if("bios_mode", &bios)
        .add("image_name", t.image_name.clone())
        .add_if("public_ip", &t.public_ip)
        .add_if("ssh_port", t.ssh_port.trim())
        .add_if("rdp_port", t.rdp_port.trim())
        .add("vnc_port", t.vnc_port.trim())
        .add("cpu_cores", t.cpu_cores.trim())
        .add("mem_size", t.mem_size.trim())
        .add_if("disk_size", t.disk_size.trim())
        .add_if("data_file_name", &t.data_file_name)
        .add_if("network_name", &t.network_name)
        .add("custom_port", t.custom_port.clone())
        .add("multicast", t.multicast.clone())
        .add("network_filters", t.network_filters.clone());
    let r = if nic.is_empty() || nic == "virtio" {
        r
    } else {
        r.add("interface_model_type", nic)
    };
    done(c, r)
}

/// `tasks/<task_id>`: VM details.
pub fn task_detail(m: &Machine, task_id: &str) -> Result<Call<TaskDetail>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    if task_id == "start" {
        c.fail("task_id", Rule::TaskIdReserved);
    }
    done(
        c,
        ApiRequest::new("task.detail", format!("tasks/{task_id}"), Some(m))
            .auth(AuthNeed::Required),
    )
}

/// `tasks`: the caller's VMs.
pub fn task_list(m: &Machine) -> Result<Call<Vec<TaskSummary>>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    done(
        c,
        ApiRequest::new("task.list", "tasks", Some(m)).auth(AuthNeed::Required),
    )
}

/// VM power actions addressed by path.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAction {
    /// Start a stopped VM or wake a suspended one.
    Start,
    Shutdown,
    Poweroff,
    /// Hard reset of a running VM.
    Reset,
    Delete,
}

impl TaskAction {
    fn segment(self) -> &'static str {
        match self {
            TaskAction::Start => "start",
            TaskAction::Shutdown => "shutdown",
            TaskAction::Poweroff => "poweroff",
            TaskAction::Reset => "reset",
            TaskAction::Delete => "delete",
        }
    }
    fn op(self) -> &'static str {
        match self {
            TaskAction::Start => "task.start",
            TaskAction::Shutdown => "task.shutdown",
            TaskAction::Poweroff => "task.poweroff",
            TaskAction::Reset => "task.reset",
            TaskAction::Delete => "task.delete",
        }
    }
}

/// `tasks/{start,shutdown,poweroff,reset,delete}/<task_id>`.
pub fn task_action(
    m: &Machine,
    action: TaskAction,
    task_id: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    done(
        c,
        ApiRequest::new(
            action.op(),
            format!("tasks/{}/{task_id}", action.segment()),
            Some(m),
        )
        .auth(AuthNeed::Required)
        .mutating(),
    )
}

/// `tasks/restart/<task_id>[?force_reboot=true]`.
pub fn task_restart(
    m: &Machine,
    task_id: &str,
    force: bool,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    let mut r = ApiRequest::new("task.restart", format!("tasks/restart/{task_id}"), Some(m))
        .auth(AuthNeed::Required)
        .mutating();
    if force {
        r.query.push(("force_reboot", "true".into()));
    }
    done(c, r)
}

/// Which end of the log to read.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogEnd {
    Head,
    Tail,
}

/// `tasks/logs/<task_id>?flag=head|tail&line_num=N` (N 1–100).
pub fn task_logs(
    m: &Machine,
    task_id: &str,
    end: LogEnd,
    lines: u32,
) -> Result<Call<TaskLogs>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    if !(1..=100).contains(&lines) {
        c.fail("line_num", Rule::LineNumRange);
    }
    let mut r = ApiRequest::new("task.logs", format!("tasks/logs/{task_id}"), Some(m))
        .auth(AuthNeed::Required);
    r.query.push((
        "flag",
        match end {
            LogEnd::Head => "head",
            LogEnd::Tail => "tail",
        }
        .into(),
    ));
    r.query.push(("line_num", lines.to_string()));
    done(c, r)
}

/// `tasks/passwd/<task_id>`: change a login password (running VM with guest agent).
pub fn task_passwd(
    m: &Machine,
    task_id: &str,
    username: &str,
    password: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    if c.required("username", username) {
        c.free_text("username", username, 64);
    }
    if c.required("password", password) {
        c.free_text("password", password, 128);
    }
    done(
        c,
        ApiRequest::new("task.passwd", format!("tasks/passwd/{task_id}"), Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("username", username)
            .add("password", password),
    )
}

/// Fields of `tasks/modify` (SPEC §5.12); empty / `None` = unchanged.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModifyTask {
    pub new_public_ip: String,
    pub new_ssh_port: String,
    pub new_rdp_port: String,
    pub new_custom_port: Option<Vec<String>>,
    pub new_network_filters: Option<Vec<String>>,
    pub new_vnc_port: String,
    pub new_gpu_count: String,
    pub new_cpu_cores: String,
    pub new_mem_size: String,
}

/// `tasks/modify/<task_id>`.
pub fn task_modify(
    m: &Machine,
    task_id: &str,
    t: &ModifyTask,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    let mut r = ApiRequest::new("task.modify", format!("tasks/modify/{task_id}"), Some(m))
        .auth(AuthNeed::Required)
        .mutating();
    if !t.new_public_ip.is_empty() {
        c.ipv4("new_public_ip", &t.new_public_ip);
        r = r.add("new_public_ip", t.new_public_ip.clone());
    }
    let ssh = (!t.new_ssh_port.is_empty())
        .then(|| c.port("new_ssh_port", &t.new_ssh_port))
        .flatten();
    let rdp = (!t.new_rdp_port.is_empty())
        .then(|| c.port("new_rdp_port", &t.new_rdp_port))
        .flatten();
    if ssh.is_some() && ssh == rdp {
        c.fail("new_rdp_port", Rule::SshRdpConflict);
    }
    r = r
        .add_if("new_ssh_port", t.new_ssh_port.trim())
        .add_if("new_rdp_port", t.new_rdp_port.trim());
    if let Some(list) = &t.new_custom_port {
        for (i, p) in list.iter().enumerate() {
            c.port_forward(&format!("new_custom_port[{i}]"), p);
        }
        r = r.add("new_custom_port", list.clone());
    }
    if let Some(list) = &t.new_network_filters {
        for (i, p) in list.iter().enumerate() {
            c.network_filter(&format!("new_network_filters[{i}]"), p);
        }
        r = r.add("new_network_filters", list.clone());
    }
    if !t.new_vnc_port.is_empty() {
        c.vnc_port("new_vnc_port", &t.new_vnc_port);
    }
    if !t.new_gpu_count.is_empty() {
        c.number("new_gpu_count", &t.new_gpu_count, 0, 1024);
    }
    if !t.new_cpu_cores.is_empty() {
        c.number("new_cpu_cores", &t.new_cpu_cores, 1, 4096);
    }
    if !t.new_mem_size.is_empty() {
        c.number("new_mem_size", &t.new_mem_size, 1, 1 << 20);
    }
    r = r
        .add_if("new_vnc_port", t.new_vnc_port.trim())
        .add_if("new_gpu_count", t.new_gpu_count.trim())
        .add_if("new_cpu_cores", t.new_cpu_cores.trim())
        .add_if("new_mem_size", t.new_mem_size.trim());
    if r.additional.is_empty() {
        c.fail("modify", Rule::NothingToChange);
    }
    done(c, r)
}

// ---------------------------------------------------------------------------------------------
// Disks

fn disk_name(c: &mut Checker, disk: &str) {
    if disk.len() < 3
        || !disk.starts_with("vd")
        || !disk[2..].bytes().all(|b| b.is_ascii_lowercase())
    {
        c.fail("disk", Rule::DiskNameFormat);
    }
}

/// `disk/list/<task_id>`.
pub fn disk_list(m: &Machine, task_id: &str) -> Result<Call<Vec<DiskEntry>>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    done(
        c,
        ApiRequest::new("disk.list", format!("disk/list/{task_id}"), Some(m))
            .auth(AuthNeed::Required),
    )
}

/// `disk/resize/<task_id>`: grow `disk` by `add_gb` GB (the amount added, not the new total).
pub fn disk_resize(
    m: &Machine,
    task_id: &str,
    disk: &str,
    add_gb: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    disk_name(&mut c, disk);
    let add_gb = c.number("size", add_gb, 1, MAX_DISK_GB).unwrap_or(0);
    done(
        c,
        ApiRequest::new("disk.resize", format!("disk/resize/{task_id}"), Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("disk", disk)
            .add("size", add_gb),
    )
}

/// `disk/add/<task_id>`: a new data disk of `size_gb` GB created in `mount_dir` on the host.
pub fn disk_add(
    m: &Machine,
    task_id: &str,
    size_gb: &str,
    mount_dir: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    let size_gb = c.number("size", size_gb, 1, MAX_DISK_GB).unwrap_or(0);
    let dir = if mount_dir.is_empty() {
        NODE_IMAGE_DIR
    } else {
        mount_dir
    };
    if !dir.starts_with('/') {
        c.fail("mount_dir", Rule::AbsoluteDir);
    }
    c.free_text("mount_dir", dir, 255);
    done(
        c,
        ApiRequest::new("disk.add", format!("disk/add/{task_id}"), Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("size", size_gb)
            .add("mount_dir", dir),
    )
}

/// `disk/delete/<task_id>` (never `vda`).
pub fn disk_delete(
    m: &Machine,
    task_id: &str,
    disk: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    disk_name(&mut c, disk);
    if disk == "vda" {
        c.fail("disk", Rule::SystemDisk);
    }
    done(
        c,
        ApiRequest::new("disk.delete", format!("disk/delete/{task_id}"), Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("disk", disk),
    )
}

// ---------------------------------------------------------------------------------------------
// Snapshots

/// `snapshot/list/<task_id>`: the VM's snapshots.
pub fn snapshot_list(m: &Machine, task_id: &str) -> Result<Call<Vec<Snapshot>>, ValidationErrors> {
    snapshots(m, task_id, None).map(Call::new)
}

/// `snapshot/list/<task_id>/<name>`: one snapshot.
pub fn snapshot_detail(
    m: &Machine,
    task_id: &str,
    name: &str,
) -> Result<Call<Snapshot>, ValidationErrors> {
    snapshots(m, task_id, Some(name)).map(Call::new)
}

fn snapshots(
    m: &Machine,
    task_id: &str,
    name: Option<&str>,
) -> Result<ApiRequest, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    let path = match name {
        Some(n) => {
            c.path_segment("snapshot_name", n);
            format!("snapshot/list/{task_id}/{n}")
        }
        None => format!("snapshot/list/{task_id}"),
    };
    c.finish(ApiRequest::new("snapshot.list", path, Some(m)).auth(AuthNeed::Required))
}

/// `snapshot/create/<task_id>`: export the system disk to an image server (VM must be off).
pub fn snapshot_create(
    m: &Machine,
    task_id: &str,
    name: &str,
    desc: &str,
    image_server: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    c.path_segment("snapshot_name", name);
    c.free_text("desc", desc, MAX_DESC_LEN);
    if c.required("image_server", image_server) {
        c.free_text("image_server", image_server, 128);
    }
    done(
        c,
        ApiRequest::new(
            "snapshot.create",
            format!("snapshot/create/{task_id}"),
            Some(m),
        )
        .auth(AuthNeed::Required)
        .mutating()
        .add("snapshot_name", name)
        .add("desc", desc)
        .add("image_server", image_server),
    )
}

/// `snapshot/delete/<task_id>/<name>`.
pub fn snapshot_delete(
    m: &Machine,
    task_id: &str,
    name: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    task_target(m, task_id, &mut c);
    c.path_segment("snapshot_name", name);
    done(
        c,
        ApiRequest::new(
            "snapshot.delete",
            format!("snapshot/delete/{task_id}/{name}"),
            Some(m),
        )
        .auth(AuthNeed::Required)
        .mutating(),
    )
}

// ---------------------------------------------------------------------------------------------
// Images

fn image_file(c: &mut Checker, field: &str, v: &str) {
    if c.required(field, v) {
        c.free_text(field, v, 255);
    }
}

/// `images` modes 2/3: images on a GPU node (with auth, also the caller's stopped system disks).
pub fn images_on_node(
    m: &Machine,
    image_server: Option<&str>,
    with_auth: bool,
) -> Result<Call<Vec<ImageEntry>>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    let mut r = ApiRequest::new("image.list_node", "images", Some(m)).auth(if with_auth {
        AuthNeed::Required
    } else {
        AuthNeed::None
    });
    if let Some(s) = image_server.filter(|s| !s.is_empty()) {
        c.free_text("image_server", s, 128);
        r = r.add("image_server", s);
    }
    done(c, r)
}

/// `images/download`: the GPU node pulls an image from a server into `local_dir` (default /data).
pub fn image_download(
    m: &Machine,
    image_server: &str,
    file: &str,
    local_dir: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    if c.required("image_server", image_server) {
        c.free_text("image_server", image_server, 128);
    }
    c.qcow2_name("image_filename", file);
    let dir = if local_dir.is_empty() {
        NODE_IMAGE_DIR
    } else {
        local_dir
    };
    if !dir.starts_with('/') {
        c.fail("local_dir", Rule::AbsoluteDir);
    }
    done(
        c,
        ApiRequest::new("image.download", "images/download", Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("image_server", image_server)
            .add("image_filename", file)
            .add("local_dir", dir),
    )
}

/// `images/downloadprogress`.
pub fn image_download_progress(
    m: &Machine,
    file: &str,
) -> Result<Call<TransferProgress>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    image_file(&mut c, "image_filename", file);
    done(
        c,
        ApiRequest::new(
            "image.download_progress",
            "images/downloadprogress",
            Some(m),
        )
        .auth(AuthNeed::Required)
        .add("image_filename", file),
    )
}

/// `images/upload`: from a GPU node (`Some(machine)`, auth) or from the client node itself (`None`).
pub fn image_upload(
    m: Option<&Machine>,
    file: &str,
    image_server: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    if let Some(m) = m {
        target(m, &mut c);
    }
    image_file(&mut c, "image_filename", file);
    if c.required("image_server", image_server) {
        c.free_text("image_server", image_server, 128);
    }
    let r = ApiRequest::new("image.upload", "images/upload", m)
        .mutating()
        .auth(if m.is_some() {
            AuthNeed::Required
        } else {
            AuthNeed::None
        })
        .add("image_filename", file)
        .add("image_server", image_server);
    done(c, r)
}

/// The name under which an upload is tracked: through a GPU node, the absolute path (§5.15 quirk).
pub fn upload_tracking_name(via_node: bool, file: &str) -> String {
    if via_node && !file.starts_with('/') {
        format!("{NODE_IMAGE_DIR}/{file}")
    } else {
        file.to_string()
    }
}

/// `images/uploadprogress` (queries with the tracked name, see [`upload_tracking_name`]).
pub fn image_upload_progress(
    m: Option<&Machine>,
    file: &str,
) -> Result<Call<TransferProgress>, ValidationErrors> {
    let mut c = Checker::new();
    if let Some(m) = m {
        target(m, &mut c);
    }
    image_file(&mut c, "image_filename", file);
    done(
        c,
        ApiRequest::new("image.upload_progress", "images/uploadprogress", m)
            .auth(if m.is_some() {
                AuthNeed::Required
            } else {
                AuthNeed::None
            })
            .add("image_filename", upload_tracking_name(m.is_some(), file)),
    )
}

/// `images/download_stop`.
pub fn image_download_stop(m: &Machine, file: &str) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    image_file(&mut c, "image_filename", file);
    done(
        c,
        ApiRequest::new("image.download_stop", "images/download_stop", Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("image_filename", file),
    )
}

/// `images/upload_stop`.
pub fn image_upload_stop(
    m: Option<&Machine>,
    file: &str,
) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    if let Some(m) = m {
        target(m, &mut c);
    }
    image_file(&mut c, "image_filename", file);
    done(
        c,
        ApiRequest::new("image.upload_stop", "images/upload_stop", m)
            .auth(if m.is_some() {
                AuthNeed::Required
            } else {
                AuthNeed::None
            })
            .mutating()
            .add("image_filename", upload_tracking_name(m.is_some(), file)),
    )
}

/// `images/delete`: delete `/data/<name>` on the GPU node.
pub fn image_delete(m: &Machine, file: &str) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    c.qcow2_name("image_filename", file);
    done(
        c,
        ApiRequest::new("image.delete", "images/delete", Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("image_filename", file),
    )
}

// ---------------------------------------------------------------------------------------------
// LAN

/// `lan/create`.
pub fn lan_create(m: &Machine, name: &str, cidr: &str) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    c.network_name("network_name", name);
    c.cidr("ip_cidr", cidr);
    done(
        c,
        ApiRequest::new("lan.create", "lan/create", Some(m))
            .auth(AuthNeed::Required)
            .mutating()
            .add("network_name", name)
            .add("ip_cidr", cidr),
    )
}

/// `lan/delete/<name>`.
pub fn lan_delete(m: &Machine, name: &str) -> Result<Call<String>, ValidationErrors> {
    let mut c = Checker::new();
    target(m, &mut c);
    c.network_name("network_name", name);
    done(
        c,
        ApiRequest::new("lan.delete", format!("lan/delete/{name}"), Some(m))
            .auth(AuthNeed::Required)
            .mutating(),
    )
}

/// `lan`: the private networks of a machine (`Some`) or of the client node's own view (`None`).
pub fn lan_list(m: Option<&Machine>) -> Result<Call<LanList>, ValidationErrors> {
    lans(m, None).map(Call::new)
}

/// `lan/<name>`: one private network.
pub fn lan_detail(m: Option<&Machine>, name: &str) -> Result<Call<LanInfo>, ValidationErrors> {
    lans(m, Some(name)).map(Call::new)
}

fn lans(m: Option<&Machine>, name: Option<&str>) -> Result<ApiRequest, ValidationErrors> {
    let mut c = Checker::new();
    if let Some(m) = m {
        target(m, &mut c);
    }
    let path = match name {
        Some(n) => {
            c.network_name("network_name", n);
            format!("lan/{n}")
        }
        None => "lan".into(),
    };
    c.finish(ApiRequest::new("lan.list", path, m).auth(if m.is_some() {
        AuthNeed::Optional
    } else {
        AuthNeed::None
    }))
}
