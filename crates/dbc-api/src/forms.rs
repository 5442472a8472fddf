//! Check-only mode for forms: the values a form holds, run through the very builders that make
//! the requests, so a form shows the node's rules as the user types without a copy of any rule.
//! The target (machine, task) is a placeholder here: only the form's own fields are reported.

use serde::Deserialize;

use crate::request::{self, CreateTask, Machine, ModifyTask};
use crate::validate::{FieldError, ValidationErrors};

/// A form's values, as typed (numbers as text).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Form {
    /// New VM (`tasks/start`).
    CreateTask { spec: Box<CreateTask> },
    /// VM settings (`tasks/modify`).
    ModifyTask { changes: ModifyTask },
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
        Form::CreateTask { spec } => errors(request::create_task(&m, spec)),
        Form::ModifyTask { changes } => errors(request::task_modify(&m, TASK, changes)),
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
            spec: Box::new(good_create())
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
                spec: Box::new(spec)
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
                spec: Box::new(spec)
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
                spec: Box::new(spec)
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
}
