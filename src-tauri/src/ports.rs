//! The port planner's app side: the custom forwards sent to each VM are remembered in the
//! settings (the node never reports them back), and a machine's plan is built from its VMs'
//! details and those forwards (`dbc_api::ports`).

use std::collections::BTreeMap;

use dbc_api::models::TaskSummary;
use dbc_api::ports::PortPlan;
use dbc_api::request::{self, CreateTask, ModifyTask, TaskAction};

use crate::activity::ActivityKind;
use crate::error::AppResult;
use crate::models::PortPlanView;
use crate::state::AppState;

/// Custom forwards per machine, per VM, as last sent.
pub type Forwards = BTreeMap<String, BTreeMap<String, Vec<String>>>;
/// The public IP per machine, per VM, as last sent.
pub type PublicIps = BTreeMap<String, BTreeMap<String, String>>;

impl AppState {
    /// Create a VM and remember its custom forwards.
    pub async fn create_vm(&self, machine_id: &str, spec: &CreateTask) -> AppResult<TaskSummary> {
        let task: TaskSummary = self
            .send(machine_id, |m| request::create_task(m, spec))
            .await?;
        if !spec.custom_port.is_empty() {
            self.remember_forwards(machine_id, &task.task_id, Some(spec.custom_port.clone()))?;
        }
        // followed in memory even when the settings cannot be written (the VM was created)
        let _ = self.track(ActivityKind::VmCreate, machine_id, &task.task_id, None);
        Ok(task)
    }

    /// Change a VM's settings; new custom forwards replace the remembered ones.
    pub async fn modify_vm(
        &self,
        machine_id: &str,
        task_id: &str,
        changes: &ModifyTask,
    ) -> AppResult<String> {
        let out = self
            .send(machine_id, |m| request::task_modify(m, task_id, changes))
            .await?;
        if let Some(forwards) = &changes.new_custom_port {
            self.remember_forwards(machine_id, task_id, Some(forwards.clone()))?;
        }
        let ip = changes.new_public_ip.trim();
        if !ip.is_empty() {
            self.remember_public_ip(machine_id, task_id, Some(ip.to_string()))?;
        }
        Ok(out)
    }

    /// A VM action; a deleted VM's forwards are forgotten.
    pub async fn vm_action(
        &self,
        machine_id: &str,
        task_id: &str,
        action: TaskAction,
    ) -> AppResult<String> {
        let out = self
            .send(machine_id, |m| request::task_action(m, action, task_id))
            .await?;
        if action == TaskAction::Delete {
            self.remember_forwards(machine_id, task_id, None)?;
            self.remember_public_ip(machine_id, task_id, None)?;
        }
        self.track_action(machine_id, task_id, action);
        Ok(out)
    }

    fn remember_forwards(
        &self,
        machine_id: &str,
        task_id: &str,
        forwards: Option<Vec<String>>,
    ) -> AppResult<()> {
        self.settings.update(|s| {
            let vms = s.forwards.entry(machine_id.to_string()).or_default();
            match forwards.filter(|f| !f.is_empty()) {
                Some(f) => {
                    vms.insert(task_id.to_string(), f);
                }
                None => {
                    vms.remove(task_id);
                }
            }
            s.forwards.retain(|_, vms| !vms.is_empty());
            Ok(())
        })
    }

    fn remember_public_ip(
        &self,
        machine_id: &str,
        task_id: &str,
        ip: Option<String>,
    ) -> AppResult<()> {
        self.settings.update(|s| {
            let vms = s.public_ips.entry(machine_id.to_string()).or_default();
            match ip {
                Some(ip) => {
                    vms.insert(task_id.to_string(), ip);
                }
                None => {
                    vms.remove(task_id);
                }
            }
            s.public_ips.retain(|_, vms| !vms.is_empty());
            Ok(())
        })
    }

    /// The ports the user's VMs take on a machine, and free ones to suggest.
    pub async fn port_plan(&self, machine_id: &str) -> AppResult<PortPlanView> {
        let tasks = self.send(machine_id, request::task_list).await?;
        let details = futures::future::join_all(tasks.iter().map(|t| {
            let id = t.task_id.clone();
            async move {
                self.send(machine_id, |m| request::task_detail(m, &id))
                    .await
                    .ok()
            }
        }))
        .await;
        let details: Vec<_> = details.into_iter().flatten().collect();
        let settings = self.settings.get();
        let remembered = settings
            .forwards
            .get(machine_id)
            .cloned()
            .unwrap_or_default();
        let public_ips = settings
            .public_ips
            .get(machine_id)
            .cloned()
            .unwrap_or_default();
        let plan = PortPlan::from_details(&details, |id| {
            remembered.get(id).cloned().unwrap_or_default()
        });
        Ok(PortPlanView {
            suggested: plan.suggest(),
            remembered,
            public_ips,
            plan,
        })
    }
}
