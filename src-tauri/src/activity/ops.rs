//! The activity centre's side that talks to the node: the long operations themselves (each
//! sends, then starts tracking), one check per activity, and the book kept in memory and saved
//! in the settings whenever an activity starts, ends or is dismissed (progress is not saved).

use std::sync::Mutex;

use dbc_api::auth::Auth;
use dbc_api::error::ErrorCode as NodeCode;
use dbc_api::request::{self, TaskAction};
use dbc_api::validate::ValidationErrors;
use dbc_api::{Call, Machine};
use serde::de::DeserializeOwned;

use super::{now_ms, prune, Activity, ActivityKind, ActivityState, Observation, Problem};
use crate::error::{AppCode, AppError, AppKey, AppResult, ErrorCode};
use crate::models::Transfer;
use crate::state::AppState;

/// The activities in memory (loaded from the settings on first use) and whether the window has
/// seen the latest change.
#[derive(Default)]
pub struct ActivityBook {
    list: Mutex<Option<Vec<Activity>>>,
    changed: std::sync::atomic::AtomicBool,
}

impl ActivityBook {
    fn with<T>(&self, state: &AppState, f: impl FnOnce(&mut Vec<Activity>) -> T) -> T {
        let mut g = self.list.lock().unwrap();
        let list = g.get_or_insert_with(|| state.settings.get().activities);
        f(list)
    }

    /// Whether something changed since the last call (the watcher then tells the window).
    pub fn take_changed(&self) -> bool {
        self.changed
            .swap(false, std::sync::atomic::Ordering::SeqCst)
    }

    fn mark(&self) {
        self.changed
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

fn kind_of(action: TaskAction) -> ActivityKind {
    match action {
        TaskAction::Start => ActivityKind::VmStart,
        TaskAction::Shutdown => ActivityKind::VmShutdown,
        TaskAction::Poweroff => ActivityKind::VmPoweroff,
        TaskAction::Reset => ActivityKind::VmReset,
        TaskAction::Delete => ActivityKind::VmDelete,
    }
}

impl AppState {
    // ---- the book ------------------------------------------------------------------------------

    /// Every tracked activity, newest first.
    pub fn activity_list(&self) -> Vec<Activity> {
        let mut out = self.activity.with(self, |l| l.clone());
        out.sort_by(|a, b| b.started_ms.total_cmp(&a.started_ms));
        out
    }

    fn save_activities(&self) -> AppResult<()> {
        let list = self.activity.with(self, |l| {
            prune(l);
            l.clone()
        });
        self.activity.mark();
        self.settings.update(|s| {
            s.activities = list;
            Ok(())
        })
    }

    /// Start following an operation the node accepted.
    pub fn track(
        &self,
        kind: ActivityKind,
        machine_id: &str,
        object: &str,
        detail: Option<String>,
    ) -> AppResult<Activity> {
        let id = uuid::Uuid::new_v4().to_string();
        let a = Activity::new(id, kind, machine_id, object, detail, now_ms());
        self.activity.with(self, |l| {
            // a newer operation on the same object replaces one still running
            l.retain(|o| {
                !(o.is_running()
                    && o.machine_id == a.machine_id
                    && o.object == a.object
                    && o.kind == a.kind)
            });
            l.push(a.clone());
        });
        self.save_activities()?;
        Ok(a)
    }

    pub fn activity_dismiss(&self, id: &str) -> AppResult<()> {
        self.activity
            .with(self, |l| l.retain(|a| a.id != id || a.is_running()));
        self.save_activities()
    }

    pub fn activity_clear_ended(&self) -> AppResult<()> {
        self.activity.with(self, |l| l.retain(Activity::is_running));
        self.save_activities()
    }

    /// Check this one again now (also after checking stopped).
    pub fn activity_recheck(&self, id: &str) -> AppResult<()> {
        let found = self.activity.with(self, |l| {
            l.iter_mut()
                .find(|a| a.id == id)
                .map(|a| a.recheck(now_ms()))
                .is_some()
        });
        if !found {
            return Err(AppError::missing(AppKey::ActivityGone));
        }
        self.save_activities()
    }

    /// One round of the watcher: check every due activity once. Returns the ones that ended.
    pub async fn activity_tick(&self) -> Vec<Activity> {
        let now = now_ms();
        let due: Vec<Activity> = self
            .activity
            .with(self, |l| l.iter().filter(|a| a.due(now)).cloned().collect());
        if due.is_empty() {
            return Vec::new();
        }
        let seen = futures::future::join_all(due.iter().map(|a| self.observe(a))).await;
        let now = now_ms();
        let mut ended = Vec::new();
        self.activity.with(self, |l| {
            for (a, seen) in due.iter().zip(seen) {
                if let Some(cur) = l.iter_mut().find(|c| c.id == a.id) {
                    if cur.observe(seen, now) {
                        ended.push(cur.clone());
                    }
                }
            }
        });
        if ended.is_empty() {
            self.activity.mark();
        } else {
            for a in &ended {
                self.fleet.changed(&a.machine_id);
            }
            // a failed save keeps the activity in memory; the next end retries it
            let _ = self.save_activities();
        }
        ended
    }

    /// Ask the node once how an activity is doing.
    async fn observe(&self, a: &Activity) -> Result<Observation, Problem> {
        let out = match a.kind {
            ActivityKind::ImageDownload | ActivityKind::ImageUpload => {
                let p = self
                    .send(&a.machine_id, |m| {
                        if a.kind == ActivityKind::ImageDownload {
                            request::image_download_progress(m, &a.object)
                        } else {
                            request::image_upload_progress(Some(m), &a.object)
                        }
                    })
                    .await;
                p.map(|p| Observation::Transfer {
                    done: p.is_done(),
                    percent: p.percent(),
                    status: p.status,
                })
            }
            ActivityKind::LanCreate => self
                .send(&a.machine_id, |m| request::lan_list(Some(m)))
                .await
                .map(|l| Observation::Lan(l.0.iter().any(|n| n.network_name == a.object))),
            _ => match self
                .send(&a.machine_id, |m| request::task_detail(m, &a.object))
                .await
            {
                Err(e) if e.code == ErrorCode::Node(NodeCode::NotFound) => Ok(Observation::VmGone),
                r => r.map(|d| Observation::Vm(d.status)),
            },
        };
        out.map_err(|e| Problem::Read {
            key: e.key.as_str().to_string(),
            params: e.params,
        })
    }

    // ---- the long operations -------------------------------------------------------------------

    /// A VM power action, followed until the VM reaches its state.
    pub(crate) fn track_action(&self, machine_id: &str, task_id: &str, action: TaskAction) {
        let _ = self.track(kind_of(action), machine_id, task_id, None);
    }

    /// Send a long operation and follow it once the node accepted it. (When the settings
    /// cannot be written the activity is still followed in memory, so the accepted operation
    /// is not reported as failed.)
    async fn send_followed<T, B>(
        &self,
        machine_id: &str,
        follow: (ActivityKind, &str, Option<String>),
        build: B,
    ) -> AppResult<T>
    where
        T: DeserializeOwned,
        B: FnOnce(&Machine) -> Result<Call<T>, ValidationErrors>,
    {
        let out = self.send(machine_id, build).await?;
        let (kind, object, detail) = follow;
        let _ = self.track(kind, machine_id, object, detail);
        Ok(out)
    }

    pub async fn vm_restart(
        &self,
        machine_id: &str,
        task_id: &str,
        force: bool,
    ) -> AppResult<String> {
        let follow = (ActivityKind::VmRestart, task_id, None);
        self.send_followed(machine_id, follow, |m| {
            request::task_restart(m, task_id, force)
        })
        .await
    }

    pub async fn disk_add(
        &self,
        machine_id: &str,
        task_id: &str,
        size_gb: &str,
        mount_dir: &str,
    ) -> AppResult<String> {
        let follow = (
            ActivityKind::DiskAdd,
            task_id,
            Some(format!("{size_gb} GB")),
        );
        self.send_followed(machine_id, follow, |m| {
            request::disk_add(m, task_id, size_gb, mount_dir)
        })
        .await
    }

    pub async fn disk_resize(
        &self,
        machine_id: &str,
        task_id: &str,
        disk: &str,
        add_gb: &str,
    ) -> AppResult<String> {
        let follow = (ActivityKind::DiskResize, task_id, Some(disk.to_string()));
        self.send_followed(machine_id, follow, |m| {
            request::disk_resize(m, task_id, disk, add_gb)
        })
        .await
    }

    pub async fn snapshot_create(
        &self,
        machine_id: &str,
        task_id: &str,
        name: &str,
        desc: &str,
        image_server: &str,
    ) -> AppResult<String> {
        let follow = (
            ActivityKind::SnapshotCreate,
            task_id,
            Some(name.to_string()),
        );
        self.send_followed(machine_id, follow, |m| {
            request::snapshot_create(m, task_id, name, desc, image_server)
        })
        .await
    }

    pub async fn lan_create(&self, machine_id: &str, name: &str, cidr: &str) -> AppResult<String> {
        let follow = (ActivityKind::LanCreate, name, Some(cidr.to_string()));
        self.send_followed(machine_id, follow, |m| request::lan_create(m, name, cidr))
            .await
    }

    /// Start an image transfer. Machine transfers are followed in the activity centre; the
    /// client node's upload of its own file answers when it is over, so there is nothing to
    /// follow (SPEC §5.15).
    pub async fn image_transfer(
        &self,
        machine_id: &str,
        direction: Transfer,
        image_server: &str,
        file: &str,
        local_dir: &str,
    ) -> AppResult<String> {
        if direction == Transfer::UploadFromClient {
            let call = request::image_upload(None, file, image_server)?;
            return Ok(self.client().await?.call(call, &Auth::None).await?);
        }
        let kind = match direction {
            Transfer::Download => ActivityKind::ImageDownload,
            _ => ActivityKind::ImageUpload,
        };
        let follow = (kind, file, Some(image_server.to_string()));
        self.send_followed(machine_id, follow, |m| match direction {
            Transfer::Download => request::image_download(m, image_server, file, local_dir.trim()),
            _ => request::image_upload(Some(m), file, image_server),
        })
        .await
    }

    /// Stop a machine's image transfer; its activity ends as stopped (not as done: the node
    /// answers "done" for a name it no longer knows).
    pub async fn image_transfer_stop(
        &self,
        machine_id: &str,
        direction: Transfer,
        file: &str,
    ) -> AppResult<String> {
        if direction == Transfer::UploadFromClient {
            return Err(no_client_progress());
        }
        let out = self
            .send(machine_id, |m| match direction {
                Transfer::Download => request::image_download_stop(m, file),
                _ => request::image_upload_stop(Some(m), file),
            })
            .await?;
        let kind = match direction {
            Transfer::Download => ActivityKind::ImageDownload,
            _ => ActivityKind::ImageUpload,
        };
        let now = now_ms();
        self.activity.with(self, |l| {
            for a in l.iter_mut() {
                if a.state == ActivityState::Running
                    && a.machine_id == machine_id
                    && a.kind == kind
                    && a.object == file
                {
                    a.stopped(now);
                }
            }
        });
        self.save_activities()?;
        Ok(out)
    }
}

/// The client node answers an upload of its own file when it is over (SPEC §5.15): its gateway
/// keeps no progress for it to ask about or stop.
pub fn no_client_progress() -> AppError {
    AppError::new(
        AppCode::Conflict,
        AppKey::NothingToFollow,
        Default::default(),
    )
}
