//! Fault injection and the in-process control handle.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::Sim;

/// What a fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Delay the answer by `ms` real milliseconds (not scaled), then answer normally.
    Latency { ms: u64 },
    /// The gateway gives up after its (speed-scaled) timeout: HTTP 500, -1, `<op> timeout`.
    /// The action is not performed.
    Timeout,
    /// HTTP 500 with errcode -1 `simulated internal error`.
    Http500,
    /// Send the response head and part of the body, then close the connection.
    Reset,
    /// HTTP 200 with a body that is not JSON.
    Garbage,
    /// HTTP 200 whose body is `bytes` long (default 300 MB): the start of an envelope, then
    /// filler, generated as it is sent (nothing that size is held in memory). With
    /// `announce_length` the head carries the Content-Length; otherwise it is sent chunked.
    /// The action is not performed. [`Control::huge_body_bytes_sent`] counts what was produced.
    HugeBody {
        #[serde(default = "default_huge_body_bytes")]
        bytes: u64,
        #[serde(default)]
        announce_length: bool,
    },
    /// Answer with HTTP `status` (default 307, a redirect) and a `Location` header, without
    /// performing the action: what a misconfigured proxy or a hostile middlebox would do.
    Redirect {
        #[serde(default = "default_redirect_status")]
        status: u16,
        location: String,
    },
    /// The next asynchronous step named `step` (`create`, `start`, `shutdown`, `poweroff`,
    /// `restart`, `reset`) ends in `<step> error`. `times` = how many steps (default 1);
    /// `path` is ignored.
    FailNext { step: String },
    /// A hostile machine owner: the VM details (`tasks/<task_id>`) carry these connection
    /// values instead of the real ones (each absent one is left as it is). The owner controls
    /// the node, so the reply is well-formed, escaped JSON even when the values hold quotes or
    /// control characters (the unescaped-JSON quirk does not apply). Give `path`
    /// `tasks/<task_id>` to pick one VM (a prefix, like every fault path); other requests are
    /// unaffected.
    HostileConnection(HostileConnection),
}

fn default_huge_body_bytes() -> u64 {
    300_000_000
}

fn default_redirect_status() -> u16 {
    307
}

/// Connection values a hostile node puts in a VM's details (SPEC §5.4 field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HostileConnection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdp_port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vnc_port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
}

impl HostileConnection {
    /// Put the values into a task detail object.
    pub(crate) fn apply(&self, detail: &mut Value) {
        let fields = [
            ("ssh_ip", &self.ssh_ip),
            ("ssh_port", &self.ssh_port),
            ("rdp_port", &self.rdp_port),
            ("vnc_port", &self.vnc_port),
            ("user_name", &self.user_name),
        ];
        if let Some(o) = detail.as_object_mut() {
            for (k, v) in fields {
                if let Some(v) = v {
                    o.insert(k.to_string(), Value::String(v.clone()));
                }
            }
        }
    }
}

/// A fault rule. `path` is a prefix of the path after `/api/v1/` (e.g. `tasks/start`);
/// absent, empty or `*` = every request. `times` = number of matching requests it affects
/// (absent = sticky until cleared).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(flatten)]
    pub kind: FaultKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

impl Fault {
    /// A sticky fault on every request.
    pub fn global(kind: FaultKind) -> Fault {
        Fault {
            path: None,
            kind,
            times: None,
        }
    }
    /// A sticky fault on requests whose path (after `/api/v1/`) starts with `prefix`.
    pub fn on(prefix: &str, kind: FaultKind) -> Fault {
        Fault {
            path: Some(prefix.to_string()),
            kind,
            times: None,
        }
    }
    /// Hostile connection values in the details of the VM `task_id` (sticky until cleared).
    pub fn hostile_connection(task_id: &str, values: HostileConnection) -> Fault {
        Fault::on(
            &format!("tasks/{task_id}"),
            FaultKind::HostileConnection(values),
        )
    }
    /// Limit to `n` matching requests.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }
    /// No path: applies to every gateway request (never to the fake chain).
    pub(crate) fn is_global(&self) -> bool {
        matches!(self.path.as_deref(), None | Some("") | Some("*"))
    }
    pub(crate) fn matches(&self, path: &str) -> bool {
        match self.path.as_deref() {
            None | Some("") | Some("*") => true,
            Some(p) => path.starts_with(p.trim_start_matches('/')),
        }
    }
}

/// Summary of a task for assertions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskInfo {
    pub task_id: String,
    pub owner: String,
    pub status: String,
    /// libvirt-like state: `running`, `shut_off`, `suspended`, `none`.
    pub vm_state: String,
    pub desc: String,
    pub disks: Vec<String>,
    pub snapshots: Vec<(String, String)>,
    pub log_lines: usize,
}

/// Summary of a machine for assertions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineInfo {
    pub node_id: String,
    pub name: String,
    pub chain_status: String,
    pub p2p: String,
    pub tasks: Vec<TaskInfo>,
    pub images: Vec<String>,
    pub lans: Vec<String>,
    pub sessions: Vec<(String, String)>,
    pub used_nonces: usize,
}

/// Cheap clonable control handle (in-process twin of the `/__sim` HTTP API).
#[derive(Clone)]
pub struct Control {
    pub(crate) sim: Arc<Sim>,
}

impl Control {
    /// Add a fault (a `FailNext` fault arms the step failure instead).
    pub fn add_fault(&self, fault: Fault) {
        self.sim.add_fault(fault);
    }
    /// Remove every fault and armed step failure.
    pub fn clear_faults(&self) {
        self.sim.clear_faults();
    }
    /// Active faults.
    pub fn faults(&self) -> Vec<Fault> {
        self.sim.faults.lock().clone()
    }
    /// TCP connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.sim
            .connections
            .load(std::sync::atomic::Ordering::Relaxed)
    }
    /// Body bytes produced so far by `huge_body` faults (all of them, over all requests): what a
    /// client made the simulator generate before it stopped reading.
    pub fn huge_body_bytes_sent(&self) -> u64 {
        self.sim
            .huge_body_sent
            .load(std::sync::atomic::Ordering::Relaxed)
    }
    /// Advance the simulated clock (chain clock and asynchronous steps).
    pub fn advance_clock(&self, by: Duration) {
        self.sim.clock.advance(by);
    }
    /// Simulated seconds since start.
    pub fn now_secs(&self) -> f64 {
        self.sim.clock.now_ms() as f64 / 1000.0
    }
    /// Set the chain status of a machine (`rented`, `online`, ...). Returns false if unknown.
    pub fn set_machine_status(&self, node_id: &str, status: &str) -> bool {
        self.sim.set_machine_status(node_id, status)
    }
    /// Set the gateway view of a machine (`online`, `offline`, `silent`).
    pub fn set_machine_p2p(&self, node_id: &str, p2p: &str) -> bool {
        self.sim.set_machine_p2p(node_id, p2p)
    }
    /// The next asynchronous `step` (e.g. `create`) ends in `<step> error`.
    pub fn fail_next(&self, step: &str) {
        self.sim.fail_next(step, 1);
    }
    /// Machine summary.
    pub fn machine(&self, node_id: &str) -> Option<MachineInfo> {
        self.sim.machine_info(node_id)
    }
    /// Task summary.
    pub fn task(&self, node_id: &str, task_id: &str) -> Option<TaskInfo> {
        self.sim
            .machine_info(node_id)?
            .tasks
            .into_iter()
            .find(|t| t.task_id == task_id)
    }
    /// Session id of a wallet on a machine, if one was created.
    pub fn session_id(&self, node_id: &str, wallet: &str) -> Option<String> {
        self.sim
            .machine_info(node_id)?
            .sessions
            .into_iter()
            .find(|(w, _)| w == wallet)
            .map(|(_, s)| s)
    }
    /// Append a log line to a task (e.g. with a `"` to test the escaping quirk).
    pub fn push_log(&self, node_id: &str, task_id: &str, text: &str) -> bool {
        self.sim.push_log(node_id, task_id, text)
    }
    /// Whole state as JSON (same as `GET /__sim/state`).
    pub fn state_json(&self) -> Value {
        self.sim.state_json()
    }
}
