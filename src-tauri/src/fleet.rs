//! The fleet view: every machine's info, rent order and VMs, fetched concurrently over one reused
//! client, with a bounded wait per machine. Machine info and rent orders are reused for a while
//! (VM lists never are); a machine that does not answer keeps its last known state, marked stale.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use dbc_api::auth::Auth;
use dbc_api::error::TimeoutOrigin;
use dbc_api::models::{MachineInfo, RentOrder, TaskSummary};
use dbc_api::{request, Client, Machine};

use crate::cache::TtlCache;
use crate::error::AppError;
use crate::models::{FleetMachine, MachineEntry};

/// Default per-machine wait in a fleet refresh (a real gateway waits 30 s for a silent machine:
/// one offline machine must not freeze the whole view).
pub const FLEET_TIMEOUT: Duration = Duration::from_secs(10);
/// How long fetched machine info is reused.
pub const INFO_TTL: Duration = Duration::from_secs(30);
/// How long a fetched rent order is reused.
pub const RENT_TTL: Duration = Duration::from_secs(120);

/// What a machine last answered.
#[derive(Debug, Clone, Default)]
pub struct LastSeen {
    pub info: Option<MachineInfo>,
    pub tasks: Option<Vec<TaskSummary>>,
}

/// One refresh's answers merged with what was seen before: fresh answers replace the old ones,
/// a failed part shows the last known one. Returns (info, tasks, stale).
pub fn merge_seen(
    last: &mut LastSeen,
    info: Result<MachineInfo, dbc_api::Error>,
    tasks: Result<Vec<TaskSummary>, dbc_api::Error>,
) -> (Option<MachineInfo>, Vec<TaskSummary>, bool) {
    let stale = info.is_err() && last.info.is_some() || tasks.is_err() && last.tasks.is_some();
    let info = match info {
        Ok(i) => {
            last.info = Some(i.clone());
            Some(i)
        }
        Err(_) => last.info.clone(),
    };
    let mut tasks = match tasks {
        Ok(t) => {
            last.tasks = Some(t.clone());
            t
        }
        Err(_) => last.tasks.clone().unwrap_or_default(),
    };
    sort_tasks(&mut tasks);
    (info, tasks, stale)
}

/// Newest VMs first; ties by task id so the order never jumps between refreshes.
pub fn sort_tasks(tasks: &mut [TaskSummary]) {
    tasks.sort_by(|a, b| {
        b.create_time
            .cmp(&a.create_time)
            .then(a.task_id.cmp(&b.task_id))
    });
}

pub struct Fleet {
    info: TtlCache<String, MachineInfo>,
    rent: TtlCache<(String, String), RentOrder>,
    last_seen: Mutex<HashMap<String, LastSeen>>,
    timeout: Duration,
}

impl Default for Fleet {
    fn default() -> Self {
        Fleet {
            info: TtlCache::new(INFO_TTL),
            rent: TtlCache::new(RENT_TTL),
            last_seen: Mutex::new(HashMap::new()),
            timeout: std::env::var("DBC_DESK_FLEET_TIMEOUT_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis)
                .unwrap_or(FLEET_TIMEOUT),
        }
    }
}

impl Fleet {
    /// One machine's card. `auth` failed already when it is an error (nothing is asked then).
    pub async fn machine(
        &self,
        client: &Client,
        entry: MachineEntry,
        auth: Result<Auth, AppError>,
    ) -> FleetMachine {
        let auth = match auth {
            Ok(a) => a,
            Err(e) => {
                return FleetMachine {
                    entry,
                    info: None,
                    rent: None,
                    limits: None,
                    tasks: Vec::new(),
                    error: Some(e),
                    stale: false,
                }
            }
        };
        let m = entry.target();
        let fetch = async {
            futures::join!(
                self.machine_info(client, &entry.id, &m),
                client.call(request::task_list(&m), &auth),
                self.rent_order(client, &m)
            )
        };
        let (info, tasks, rent) = match tokio::time::timeout(self.timeout, fetch).await {
            Ok(done) => done,
            Err(_) => {
                let late = dbc_api::Error::Timeout {
                    origin: TimeoutOrigin::Client,
                    message: format!(
                        "the machine did not answer within {} s; it may be offline or busy",
                        self.timeout.as_secs_f64()
                    ),
                    reply: None,
                };
                (Err(late.clone()), Err(late), None)
            }
        };
        let error = match (&info, &tasks) {
            (_, Err(e)) | (Err(e), _) => Some(AppError::from(e.clone())),
            _ => None,
        };
        let (info, tasks, stale) = {
            let mut seen = self.last_seen.lock().unwrap();
            merge_seen(seen.entry(entry.id.clone()).or_default(), info, tasks)
        };
        let limits = info
            .as_ref()
            .map(|i| dbc_api::forms::CreateLimits::of(i, rent.as_ref()));
        FleetMachine {
            entry,
            info,
            rent,
            limits,
            tasks,
            error,
            stale,
        }
    }

    /// Machine info, from the cache while it is fresh.
    async fn machine_info(
        &self,
        client: &Client,
        machine_id: &str,
        m: &Machine,
    ) -> Result<MachineInfo, dbc_api::Error> {
        if let Some(info) = self.info.get(&machine_id.to_string()) {
            return Ok(info);
        }
        let info = client
            .call(request::machine_info(m, None), &Auth::None)
            .await?;
        self.info.put(machine_id.to_string(), info.clone());
        Ok(info)
    }

    /// The machine's rent order as the node sees it (cached; `None` when unknown or unreachable).
    async fn rent_order(&self, client: &Client, m: &Machine) -> Option<RentOrder> {
        let id = m.rent_order.clone()?;
        let key = (m.node_id.clone(), id.clone());
        if let Some(order) = self.rent.get(&key) {
            return Some(order);
        }
        let order = client
            .call(request::rent_orders(m, Some(&id)), &Auth::None)
            .await
            .ok()?
            .rent_orders
            .into_iter()
            .find(|o| o.id == id)?;
        self.rent.put(key, order.clone());
        Some(order)
    }

    /// Something was changed on a machine through the app: its info (GPUs used, images, disk
    /// space) is fetched again on the next refresh.
    pub fn changed(&self, machine_id: &str) {
        self.info.remove(&machine_id.to_string());
    }

    /// The user asked for a full refresh: ask every machine for its info again.
    pub fn forget_info(&self) {
        self.info.clear();
    }

    /// Another network: nothing seen on the previous one applies.
    pub fn forget_all(&self) {
        self.info.clear();
        self.rent.clear();
        self.last_seen.lock().unwrap().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, created: &str) -> TaskSummary {
        serde_json::from_value(serde_json::json!({"task_id": id, "create_time": created})).unwrap()
    }

    fn info(version: &str) -> MachineInfo {
        serde_json::from_value(serde_json::json!({"version": version})).unwrap()
    }

    fn down() -> dbc_api::Error {
        dbc_api::Error::Transport("down".into())
    }

    #[test]
    fn vms_newest_first_then_by_id() {
        let mut t = vec![task("b", "1"), task("a", "1"), task("c", "2")];
        sort_tasks(&mut t);
        let ids: Vec<_> = t.iter().map(|t| t.task_id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
    }

    #[test]
    fn a_silent_machine_shows_its_last_state_marked_stale() {
        let mut last = LastSeen::default();
        // never seen, no answer: nothing to show, nothing stale
        let (i, t, stale) = merge_seen(&mut last, Err(down()), Err(down()));
        assert!(i.is_none() && t.is_empty() && !stale);
        // an answer is remembered
        let (i, t, stale) = merge_seen(&mut last, Ok(info("x86")), Ok(vec![task("a", "1")]));
        assert!(i.is_some() && t.len() == 1 && !stale);
        // then silence: the last answer, stale
        let (i, t, stale) = merge_seen(&mut last, Err(down()), Err(down()));
        assert_eq!(i, Some(info("x86")));
        assert_eq!(t.len(), 1);
        assert!(stale);
        // a partial answer: fresh tasks, last info, still stale
        let (i, t, stale) = merge_seen(&mut last, Err(down()), Ok(vec![]));
        assert!(i.is_some() && t.is_empty() && stale);
        // back: fresh, not stale
        let (_, _, stale) = merge_seen(&mut last, Ok(info("arm")), Ok(vec![]));
        assert!(!stale);
        assert_eq!(last.info, Some(info("arm")));
    }
}
