//! The activity centre: every long operation the user starts (VM create, start, stop, restart,
//! reset, delete; disk add and resize; snapshot create; image download and upload; LAN create) is
//! tracked here until it ends. Tracking is polled with back-off by a watcher (`lib.rs`), kept in
//! the settings file (non-secret) so it resumes after a restart, and each operation ends exactly
//! once, as done, failed or "stopped checking". This file is the pure part: the records, the
//! schedule and how an observation moves an activity on. `ops.rs` talks to the node.

mod ops;
pub use ops::{no_client_progress, ActivityBook};

use dbc_api::models::TaskStatus;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::words::{text, Lang};

/// What is being followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    VmCreate,
    VmStart,
    VmShutdown,
    VmPoweroff,
    VmRestart,
    VmReset,
    VmDelete,
    DiskAdd,
    DiskResize,
    SnapshotCreate,
    ImageDownload,
    ImageUpload,
    LanCreate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ActivityState {
    Running,
    Done,
    Failed,
    /// Still not over after the kind's patience: checking stopped (the user can check again).
    StoppedChecking,
    /// The user stopped it (an image transfer).
    Stopped,
}

/// One tracked operation. Times are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Activity {
    pub id: String,
    pub kind: ActivityKind,
    /// The app's machine id.
    pub machine_id: String,
    /// What it is about: the VM's task id, the image file or the LAN name.
    pub object: String,
    /// A second name when there is one: the disk, the snapshot, the image server.
    pub detail: Option<String>,
    pub state: ActivityState,
    pub started_ms: f64,
    pub updated_ms: f64,
    pub ended_ms: Option<f64>,
    /// Percent done, where the node reports progress (image transfers).
    pub percent: Option<f64>,
    /// Percent per minute, from the last two readings.
    pub percent_per_min: Option<f64>,
    pub eta_secs: Option<f64>,
    /// The image's size when the app knew it at the start (bytes), for a speed in bytes.
    pub total_bytes: Option<f64>,
    /// The node's last status word (`creating`, `downloading`…).
    pub status: String,
    /// Why it failed, or the last read problem while it keeps trying (worded by the UI's and
    /// the notifications' catalogs).
    pub problem: Option<Problem>,
    pub checks: u32,
    pub errors: u32,
    /// The VM went through the operation's own state (`restarting`, `disk_adding`…).
    pub seen_transition: bool,
    pub next_check_ms: f64,
}

/// What went wrong, as a key the catalogs word (never an English sentence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// A check could not read the node (it keeps trying): the error's key (`errors.<key>`) and
    /// its parameters.
    Read {
        key: String,
        params: std::collections::BTreeMap<String, String>,
    },
    /// The VM is no longer on the machine.
    VmGone,
    /// The node reports the operation's error status (its word, verbatim).
    NodeStatus { status: String },
}

impl Problem {
    /// In `lang`: the error's title for a read, the catalog's sentence otherwise.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Problem::Read { key, .. } => text(lang, &format!("errors.{key}.title"), &[]),
            Problem::VmGone => text(lang, "activity.problems.vm_gone", &[]),
            Problem::NodeStatus { status } => {
                text(lang, "activity.problems.node_status", &[("status", status)])
            }
        }
    }
}

/// What one check of the node saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// The VM's status.
    Vm(TaskStatus),
    /// The VM is not there (any more).
    VmGone,
    /// A transfer's reply.
    Transfer {
        done: bool,
        percent: Option<f64>,
        status: String,
    },
    /// Whether the LAN is listed.
    Lan(bool),
}

/// First check this soon after the start.
pub const FIRST_CHECK_MS: f64 = 1_000.0;
/// Consecutive failed reads before an activity's message shows the problem (it keeps trying).
pub const ERRORS_SHOWN_AFTER: u32 = 2;

impl ActivityKind {
    fn is_transfer(self) -> bool {
        matches!(
            self,
            ActivityKind::ImageDownload | ActivityKind::ImageUpload
        )
    }

    /// How long to keep checking before "stopped checking".
    pub fn patience_ms(self) -> f64 {
        let min = 60_000.0;
        match self {
            k if k.is_transfer() => 24.0 * 60.0 * min,
            ActivityKind::VmCreate | ActivityKind::SnapshotCreate => 2.0 * 60.0 * min,
            _ => 30.0 * min,
        }
    }

    /// Longest wait between two checks while all goes well.
    fn max_interval_ms(self) -> f64 {
        if self.is_transfer() {
            5_000.0
        } else {
            20_000.0
        }
    }

    /// (the status that means done, the operation's own status, the status that means failed)
    fn vm_states(self) -> Option<(Option<TaskStatus>, TaskStatus, TaskStatus)> {
        use TaskStatus as S;
        Some(match self {
            ActivityKind::VmCreate => (Some(S::Running), S::Creating, S::CreateError),
            ActivityKind::VmStart => (Some(S::Running), S::Starting, S::StartError),
            ActivityKind::VmShutdown => (Some(S::Closed), S::BeingShutdown, S::ShutdownError),
            ActivityKind::VmPoweroff => (Some(S::Closed), S::BeingPoweroff, S::PoweroffError),
            ActivityKind::VmRestart => (Some(S::Running), S::Restarting, S::RestartError),
            ActivityKind::VmReset => (Some(S::Running), S::Resetting, S::ResetError),
            ActivityKind::VmDelete => (None, S::Deleting, S::DeleteError),
            ActivityKind::DiskAdd => (None, S::DiskAdding, S::AddDiskError),
            ActivityKind::DiskResize => (None, S::DiskResizing, S::ResizeDiskError),
            ActivityKind::SnapshotCreate => (None, S::SnapshotCreating, S::CreateSnapshotError),
            _ => return None,
        })
    }

    /// Operations whose end state is also the state before (restart, reset, disk and snapshot
    /// work on a running VM): done only once the VM was seen in the operation's own state, or
    /// after it stayed settled for this long (the operation was quicker than the first check).
    fn settle_ms(self) -> Option<f64> {
        match self {
            ActivityKind::VmRestart
            | ActivityKind::VmReset
            | ActivityKind::DiskAdd
            | ActivityKind::DiskResize
            | ActivityKind::SnapshotCreate => Some(8_000.0),
            _ => None,
        }
    }
}

/// Wait before the next check: quick at first, then 1.5× per check up to the kind's cap; after
/// failed reads 2 s doubling up to a minute.
pub fn next_delay_ms(kind: ActivityKind, checks: u32, errors: u32) -> f64 {
    if errors > 0 {
        return (2_000.0 * 2f64.powi(errors.min(10) as i32 - 1)).min(60_000.0);
    }
    (FIRST_CHECK_MS * 1.5f64.powi(checks.min(20) as i32)).min(kind.max_interval_ms())
}

impl Activity {
    pub fn new(
        id: String,
        kind: ActivityKind,
        machine_id: &str,
        object: &str,
        detail: Option<String>,
        now_ms: f64,
    ) -> Activity {
        Activity {
            id,
            kind,
            machine_id: machine_id.into(),
            object: object.into(),
            detail,
            state: ActivityState::Running,
            started_ms: now_ms,
            updated_ms: now_ms,
            ended_ms: None,
            percent: kind.is_transfer().then_some(0.0),
            percent_per_min: None,
            eta_secs: None,
            total_bytes: None,
            status: String::new(),
            problem: None,
            checks: 0,
            errors: 0,
            seen_transition: false,
            next_check_ms: now_ms + FIRST_CHECK_MS,
        }
    }

    pub fn is_running(&self) -> bool {
        self.state == ActivityState::Running
    }

    pub fn due(&self, now_ms: f64) -> bool {
        self.is_running() && self.next_check_ms <= now_ms
    }

    fn end(&mut self, state: ActivityState, now_ms: f64) {
        self.state = state;
        self.ended_ms = Some(now_ms);
        self.eta_secs = None;
    }

    /// Take one check's result; true when the activity ended with it.
    pub fn observe(&mut self, seen: Result<Observation, Problem>, now_ms: f64) -> bool {
        if !self.is_running() {
            return false;
        }
        let since = self.updated_ms;
        self.updated_ms = now_ms;
        self.checks += 1;
        match seen {
            Err(why) => {
                self.errors += 1;
                if self.errors >= ERRORS_SHOWN_AFTER {
                    self.problem = Some(why);
                }
            }
            Ok(obs) => {
                self.errors = 0;
                self.problem = None;
                self.take(obs, since, now_ms);
            }
        }
        if self.is_running() && now_ms - self.started_ms >= self.kind.patience_ms() {
            self.end(ActivityState::StoppedChecking, now_ms);
        }
        if self.is_running() {
            self.next_check_ms = now_ms + next_delay_ms(self.kind, self.checks, self.errors);
        }
        !self.is_running()
    }

    fn take(&mut self, obs: Observation, since_ms: f64, now_ms: f64) {
        match obs {
            Observation::Vm(status) => self.vm_status(status, now_ms),
            Observation::VmGone => {
                if self.kind == ActivityKind::VmDelete {
                    self.end(ActivityState::Done, now_ms);
                } else {
                    self.problem = Some(Problem::VmGone);
                    self.end(ActivityState::Failed, now_ms);
                }
            }
            Observation::Transfer {
                done,
                percent,
                status,
            } => {
                self.status = status;
                if done {
                    self.percent = Some(100.0);
                    self.end(ActivityState::Done, now_ms);
                    return;
                }
                if let (Some(p), Some(before)) = (percent, self.percent) {
                    let mins = (now_ms - since_ms) / 60_000.0;
                    if p > before && mins > 0.0 {
                        let rate = (p - before) / mins;
                        // smooth over readings so one slow poll does not swing the estimate
                        let rate = match self.percent_per_min {
                            Some(old) => 0.5 * old + 0.5 * rate,
                            None => rate,
                        };
                        self.percent_per_min = Some(rate);
                        self.eta_secs = Some((100.0 - p) / rate * 60.0);
                    }
                }
                if percent.is_some() {
                    self.percent = percent;
                }
            }
            Observation::Lan(listed) => {
                if listed {
                    self.end(ActivityState::Done, now_ms);
                }
            }
        }
    }

    fn vm_status(&mut self, status: TaskStatus, now_ms: f64) {
        let Some((done, own, failed)) = self.kind.vm_states() else {
            return;
        };
        self.status = status.as_str().to_string();
        if status == own {
            self.seen_transition = true;
            return;
        }
        if status == failed || status == TaskStatus::Error {
            self.problem = Some(Problem::NodeStatus {
                status: status.as_str().to_string(),
            });
            self.end(ActivityState::Failed, now_ms);
            return;
        }
        let settled = match done {
            Some(d) => status == d,
            // disk, snapshot, delete: back to a resting state
            None => matches!(status, TaskStatus::Running | TaskStatus::Closed),
        };
        if self.kind == ActivityKind::VmDelete || !settled {
            return;
        }
        let quick_enough = match self.kind.settle_ms() {
            None => true,
            Some(ms) => self.seen_transition || now_ms - self.started_ms >= ms,
        };
        if quick_enough {
            self.end(ActivityState::Done, now_ms);
        }
    }

    /// The user stopped the operation (the node accepted the stop).
    pub fn stopped(&mut self, now_ms: f64) {
        if self.is_running() {
            self.end(ActivityState::Stopped, now_ms);
        }
    }

    /// "Check again" after checking stopped (or to hurry a slow schedule).
    pub fn recheck(&mut self, now_ms: f64) {
        if self.state == ActivityState::StoppedChecking {
            self.state = ActivityState::Running;
            self.ended_ms = None;
            self.started_ms = now_ms;
            self.checks = 0;
        }
        self.next_check_ms = now_ms;
    }
}

/// Finished activities kept for the panel (newest first); older ones are dropped.
pub const KEEP_ENDED: usize = 50;

/// Drop the oldest ended activities beyond [`KEEP_ENDED`]; running ones always stay.
pub fn prune(list: &mut Vec<Activity>) {
    let mut ended: Vec<(f64, String)> = list
        .iter()
        .filter(|a| !a.is_running())
        .map(|a| (a.ended_ms.unwrap_or(a.updated_ms), a.id.clone()))
        .collect();
    if ended.len() <= KEEP_ENDED {
        return;
    }
    ended.sort_by(|a, b| b.0.total_cmp(&a.0));
    let drop: std::collections::HashSet<String> = ended
        .into_iter()
        .skip(KEEP_ENDED)
        .map(|(_, id)| id)
        .collect();
    list.retain(|a| !drop.contains(&a.id));
}

impl ActivityKind {
    /// The wire name, as the catalogs key it (`activity.kinds.<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::VmCreate => "vm_create",
            ActivityKind::VmStart => "vm_start",
            ActivityKind::VmShutdown => "vm_shutdown",
            ActivityKind::VmPoweroff => "vm_poweroff",
            ActivityKind::VmRestart => "vm_restart",
            ActivityKind::VmReset => "vm_reset",
            ActivityKind::VmDelete => "vm_delete",
            ActivityKind::DiskAdd => "disk_add",
            ActivityKind::DiskResize => "disk_resize",
            ActivityKind::SnapshotCreate => "snapshot_create",
            ActivityKind::ImageDownload => "image_download",
            ActivityKind::ImageUpload => "image_upload",
            ActivityKind::LanCreate => "lan_create",
        }
    }
}

impl ActivityState {
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityState::Running => "running",
            ActivityState::Done => "done",
            ActivityState::Failed => "failed",
            ActivityState::StoppedChecking => "stopped_checking",
            ActivityState::Stopped => "stopped",
        }
    }
}

/// The OS notification of an ended activity, (title, body), in the user's language.
pub fn ended_text(a: &Activity, lang: Lang) -> (String, String) {
    let what = text(lang, &format!("activity.kinds.{}", a.kind.as_str()), &[]);
    let outcome = text(lang, &format!("activity.states.{}", a.state.as_str()), &[]);
    let title = text(
        lang,
        "activity.notified",
        &[("what", &what), ("outcome", &outcome)],
    );
    let mut body = a.object.clone();
    if let Some(d) = &a.detail {
        body = text(
            lang,
            "native.activity.withDetail",
            &[("object", &body), ("detail", d)],
        );
    }
    if let Some(m) = a.problem.as_ref().map(|p| p.words(lang)) {
        body = text(
            lang,
            "native.activity.withMessage",
            &[("text", &body), ("message", &m)],
        );
    }
    (title, body)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests;
