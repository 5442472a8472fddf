//! Check-only mode for forms: the values a form holds, run through the very builders that make
//! the requests, so a form shows the node's rules as the user types without a copy of any rule.
//! The target (machine, task) is a placeholder here: only the form's own fields are reported.

use serde::{Deserialize, Serialize};

use crate::models::{MachineInfo, RentOrder};
use crate::ports::PortPlan;
use crate::request::{self, CreateTask, Machine, ModifyTask};
use crate::text::params;
use crate::validate::{Checker, FieldError, Rule, ValidationErrors};

/// Space the GPU node keeps free on `/data` when it places a new VM's disk (SPEC §5.3:
/// "must fit `/data` free space minus 350 GB").
pub const DATA_RESERVE_GB: u64 = 350;

/// What a machine and its rent order leave for a new VM, from the machine's info and order
/// (SPEC §5.3 `gpu_count`, `mem_size`, `disk_size`). `None` = not known.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateLimits {
    pub machine_gpus: u32,
    /// GPUs of the rent order (`None`: the order is not known).
    pub rent_gpus: Option<u32>,
    pub rent_gpu_index: Vec<u32>,
    pub free_mem_gb: Option<u32>,
    /// Free space on `/data` less the node's reserve.
    pub free_disk_gb: Option<u32>,
}

/// "448G", "1.5T", "512 GB", "2048M" → whole GB (rounded down); `None` when unreadable.
pub fn size_gb(text: &str) -> Option<u64> {
    let t = text.trim().trim_end_matches(['B', 'b', 'i']).trim();
    let (num, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (t[..i].trim(), t[i..].trim()),
        None => (t, "G"),
    };
    let v: f64 = num.parse().ok()?;
    let gb = match unit.to_ascii_uppercase().as_str() {
        "K" => v / (1024.0 * 1024.0),
        "M" => v / 1024.0,
        "G" | "" => v,
        "T" => v * 1024.0,
        _ => return None,
    };
    (gb.is_finite() && gb >= 0.0).then_some(gb.floor() as u64)
}

fn clamp(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl CreateLimits {
    pub fn of(info: &MachineInfo, rent: Option<&RentOrder>) -> CreateLimits {
        let data = info
            .disk_data
            .iter()
            .find(|d| d.path.trim_end_matches('/') == "/data")
            .or(info.disk_data.first());
        CreateLimits {
            machine_gpus: info.gpu.gpu_count,
            rent_gpus: rent.map(|r| r.gpu_nums),
            rent_gpu_index: rent.map(|r| r.gpu_index.clone()).unwrap_or_default(),
            free_mem_gb: size_gb(&info.mem.free).map(clamp),
            free_disk_gb: data
                .and_then(|d| size_gb(&d.free))
                .map(|gb| clamp(gb.saturating_sub(DATA_RESERVE_GB))),
        }
    }

    /// Why the values of a new VM do not fit (GPUs against the rent order, memory and disk
    /// against what is free). Values that are not whole numbers are left to the request's rules.
    pub fn check(&self, spec: &CreateTask) -> Vec<FieldError> {
        let mut c = Checker::new();
        let num = |s: &str| s.trim().parse::<u64>().ok();
        if let (Some(gpus), Some(rent)) = (num(&spec.gpu_count), self.rent_gpus) {
            let rent = u64::from(rent);
            let partial = rent < u64::from(self.machine_gpus);
            if gpus > rent {
                c.fail_with(
                    "gpu_count",
                    Rule::OverRent,
                    params([("rent", rent.to_string())]),
                );
            } else if partial && gpus != rent {
                c.fail_with(
                    "gpu_count",
                    Rule::ExactRent,
                    params([("rent", rent.to_string())]),
                );
            }
        }
        if let (Some(mem), Some(free)) = (num(&spec.mem_size), self.free_mem_gb) {
            if mem > u64::from(free) {
                c.fail_with(
                    "mem_size",
                    Rule::MemOverFree,
                    params([("free", free.to_string())]),
                );
            }
        }
        if let (Some(disk), Some(free)) = (num(&spec.disk_size), self.free_disk_gb) {
            if disk > u64::from(free) {
                c.fail_with(
                    "disk_size",
                    Rule::DiskOverFree,
                    params([
                        ("free", free.to_string()),
                        ("reserve", DATA_RESERVE_GB.to_string()),
                    ]),
                );
            }
        }
        errors(c.finish(()))
    }
}

/// A form's values, as typed (numbers as text).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Form {
    /// New VM (`tasks/start`); with the machine's limits when known.
    CreateTask {
        spec: Box<CreateTask>,
        #[serde(default)]
        limits: Option<CreateLimits>,
        /// The machine's ports in use (`ports::PortPlan`): collisions are reported.
        #[serde(default)]
        ports: Option<PortPlan>,
    },
    /// VM settings (`tasks/modify`) of VM `task_id`, with the machine's ports in use.
    ModifyTask {
        changes: ModifyTask,
        #[serde(default)]
        ports: Option<PortPlan>,
        #[serde(default)]
        task_id: Option<String>,
    },
    /// VM login (`tasks/passwd`). The password is checked in memory and dropped; nothing is sent.
    Passwd { username: String, password: String },
    /// New data disk (`disk/add`).
    DiskAdd { size_gb: String, mount_dir: String },
    /// Grow a data disk (`disk/resize`).
    DiskResize { disk: String, add_gb: String },
    /// Snapshot of the system disk (`snapshot/create`).
    Snapshot {
        name: String,
        desc: String,
        image_server: String,
    },
    /// Private network (`lan/create`).
    Lan { name: String, ip_cidr: String },
}

/// A placeholder target that passes every target rule.
fn placeholder() -> Machine {
    Machine::new("0".repeat(64), None)
}
const TASK: &str = "formcheck";

fn errors<T>(r: Result<T, ValidationErrors>) -> Vec<FieldError> {
    r.err().map(|e| e.errors).unwrap_or_default()
}

/// The field errors of a form, all at once (empty: the request would be sent).
pub fn check(form: &Form) -> Vec<FieldError> {
    let m = placeholder();
    match form {
        Form::CreateTask {
            spec,
            limits,
            ports,
        } => {
            let mut out = errors(request::create_task(&m, spec));
            if let Some(l) = limits {
                out.extend(l.check(spec));
            }
            if let Some(p) = ports {
                let t = spec.as_ref();
                out.extend(p.check(&t.ssh_port, &t.rdp_port, &t.vnc_port, &t.custom_port, None));
            }
            out
        }
        Form::ModifyTask {
            changes,
            ports,
            task_id,
        } => {
            let mut out = errors(request::task_modify(&m, TASK, changes));
            if let Some(p) = ports {
                let c = changes;
                let custom = c.new_custom_port.clone().unwrap_or_default();
                let found = p.check(
                    &c.new_ssh_port,
                    &c.new_rdp_port,
                    &c.new_vnc_port,
                    &custom,
                    task_id.as_deref(),
                );
                out.extend(found.into_iter().map(|mut e| {
                    e.field = format!("new_{}", e.field);
                    e
                }));
            }
            out
        }
        Form::Passwd { username, password } => {
            errors(request::task_passwd(&m, TASK, username, password))
        }
        Form::DiskAdd { size_gb, mount_dir } => {
            errors(request::disk_add(&m, TASK, size_gb, mount_dir))
        }
        Form::DiskResize { disk, add_gb } => errors(request::disk_resize(&m, TASK, disk, add_gb)),
        Form::Snapshot {
            name,
            desc,
            image_server,
        } => errors(request::snapshot_create(&m, TASK, name, desc, image_server)),
        Form::Lan { name, ip_cidr } => errors(request::lan_create(&m, name, ip_cidr)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(form: Form) -> Vec<String> {
        check(&form).into_iter().map(|e| e.field).collect()
    }

    fn good_create() -> CreateTask {
        CreateTask {
            image_name: "ubuntu.qcow2".into(),
            ssh_port: "20022".into(),
            vnc_port: "5901".into(),
            cpu_cores: "4".into(),
            mem_size: "8".into(),
            disk_size: "50".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_has_no_errors() {
        assert!(fields(Form::CreateTask {
            spec: Box::new(good_create()),
            limits: None,
            ports: None,
        })
        .is_empty());
        assert!(fields(Form::Lan {
            name: "teamnet1".into(),
            ip_cidr: "10.8.0.0/24".into()
        })
        .is_empty());
        assert!(fields(Form::DiskAdd {
            size_gb: "20".into(),
            mount_dir: "/data".into()
        })
        .is_empty());
    }

    // These three were accepted by the UI's own copy of the rules (issue 7).
    #[test]
    fn description_longer_than_the_node_takes() {
        let spec = CreateTask {
            desc: "x".repeat(1024),
            ..good_create()
        };
        assert_eq!(
            fields(Form::CreateTask {
                spec: Box::new(spec),
                limits: None,
                ports: None,
            }),
            ["desc"]
        );
    }

    #[test]
    fn out_of_range_ipv4() {
        let spec = CreateTask {
            public_ip: "999.1.1.1".into(),
            ..good_create()
        };
        assert_eq!(
            fields(Form::CreateTask {
                spec: Box::new(spec),
                limits: None,
                ports: None,
            }),
            ["public_ip"]
        );
    }

    #[test]
    fn create_checks_ports_multicast_and_filters() {
        let spec = CreateTask {
            custom_port: vec!["tcp,8080".into(), "tcp/udp,80".into()],
            multicast: vec!["10.0.0.1:5000".into()],
            network_filters: vec!["in,tcp,22,0.0.0.0/0,maybe".into()],
            ..good_create()
        };
        assert_eq!(
            fields(Form::CreateTask {
                spec: Box::new(spec),
                limits: None,
                ports: None,
            }),
            ["custom_port[1]", "multicast[0]", "network_filters[0]"]
        );
    }

    #[test]
    fn disk_sizes_are_whole_gb() {
        assert_eq!(
            fields(Form::DiskAdd {
                size_gb: "1.5".into(),
                mount_dir: "/data".into()
            }),
            ["size"]
        );
        assert_eq!(
            fields(Form::DiskResize {
                disk: "vdb".into(),
                add_gb: "0".into()
            }),
            ["size"]
        );
    }

    #[test]
    fn the_placeholder_target_never_reports() {
        let all = [
            Form::ModifyTask {
                changes: ModifyTask::default(),
                ports: None,
                task_id: None,
            },
            Form::Passwd {
                username: String::new(),
                password: "a\"b".into(),
            },
            Form::Snapshot {
                name: "a b".into(),
                desc: String::new(),
                image_server: String::new(),
            },
        ];
        for f in all {
            for e in check(&f) {
                assert!(
                    !["node_id", "rent_order", "task_id"].contains(&e.field.as_str()),
                    "{}",
                    e.field
                );
            }
        }
    }

    #[test]
    fn sizes_in_gb() {
        assert_eq!(size_gb("448G"), Some(448));
        assert_eq!(size_gb("1.5T"), Some(1536));
        assert_eq!(size_gb("512 GB"), Some(512));
        assert_eq!(size_gb("2048M"), Some(2));
        assert_eq!(size_gb("20"), Some(20));
        assert_eq!(size_gb("lots"), None);
    }

    fn limits() -> CreateLimits {
        CreateLimits {
            machine_gpus: 4,
            rent_gpus: Some(2),
            rent_gpu_index: vec![0, 1],
            free_mem_gb: Some(64),
            free_disk_gb: Some(100),
        }
    }

    fn over(spec: CreateTask, l: CreateLimits) -> Vec<(String, &'static str)> {
        check(&Form::CreateTask {
            spec: Box::new(spec),
            limits: Some(l),
            ports: None,
        })
        .into_iter()
        .map(|e| (e.field, e.rule))
        .collect()
    }

    #[test]
    fn limits_say_why_a_value_is_too_much() {
        let fits = CreateTask {
            gpu_count: "2".into(),
            mem_size: "64".into(),
            disk_size: "100".into(),
            ..good_create()
        };
        assert!(over(fits.clone(), limits()).is_empty());
        let big = CreateTask {
            gpu_count: "3".into(),
            mem_size: "65".into(),
            disk_size: "101".into(),
            ..fits.clone()
        };
        assert_eq!(
            over(big, limits()),
            [
                ("gpu_count".into(), "over_rent"),
                ("mem_size".into(), "mem_over_free"),
                ("disk_size".into(), "disk_over_free")
            ]
        );
        // a partial rental takes exactly its GPUs; a whole-machine one any count up to it
        let one = CreateTask {
            gpu_count: "1".into(),
            ..fits.clone()
        };
        assert_eq!(
            over(one.clone(), limits()),
            [("gpu_count".into(), "exact_rent")]
        );
        let whole = CreateLimits {
            rent_gpus: Some(4),
            ..limits()
        };
        assert!(over(one, whole).is_empty());
        // unknown limits judge nothing
        assert!(over(fits, CreateLimits::default()).is_empty());
    }

    #[test]
    fn limits_from_the_machine_and_its_order() {
        let info: MachineInfo = serde_json::from_value(serde_json::json!({
            "gpu": {"gpu_count": 4, "gpu_used": 1},
            "mem": {"size": "512G", "free": "448G"},
            "disk_data": [{"path": "/data", "type": "ssd", "size": "3584G", "free": "1500G"}]
        }))
        .unwrap();
        let rent = RentOrder {
            gpu_nums: 2,
            gpu_index: vec![0, 1],
            ..Default::default()
        };
        let l = CreateLimits::of(&info, Some(&rent));
        assert_eq!(l.machine_gpus, 4);
        assert_eq!(l.rent_gpus, Some(2));
        assert_eq!(l.free_mem_gb, Some(448));
        assert_eq!(l.free_disk_gb, Some(1500 - DATA_RESERVE_GB as u32));
    }

    #[test]
    fn forms_report_port_collisions_under_their_own_field_names() {
        let used: crate::models::TaskDetail = serde_json::from_value(serde_json::json!({
            "task_id": "vmA", "ssh_port": "20022", "vnc_port": "5901"
        }))
        .unwrap();
        let plan = PortPlan::from_details([&used], |_| vec![]);
        let create = check(&Form::CreateTask {
            spec: Box::new(CreateTask {
                ssh_port: "20022".into(),
                ..good_create()
            }),
            limits: None,
            ports: Some(plan.clone()),
        });
        assert_eq!(create[0].field, "ssh_port");
        assert_eq!(create[0].rule, "port_taken");
        let modify = |task: &str| {
            check(&Form::ModifyTask {
                changes: ModifyTask {
                    new_vnc_port: "5901".into(),
                    ..Default::default()
                },
                ports: Some(plan.clone()),
                task_id: Some(task.into()),
            })
        };
        assert_eq!(modify("vmB")[0].field, "new_vnc_port");
        assert!(modify("vmA").is_empty(), "a VM keeps its own port");
    }
}
