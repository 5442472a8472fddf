//! `dbc --dry-run` for every subcommand prints a request the node accepts: each printed body is
//! sent as-is to the simulator (which parses raw JSON the way the node does, independently of
//! dbc-api) and must pass the gateway's envelope checks and the node's authorization.

use std::process::Command;

use dbc_sim::config::DEMO_MACHINE_ALPHA;
use dbc_sim::{SimConfig, SimServer, DEMO_SEED_HEX};
use serde_json::Value;

const TASK: &str = "DemoVmAlpha0000000001";

fn dry_run(url: &str, node: bool, args: &[&str]) -> Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dbc"));
    // --show-secrets: the printed body is sent as-is, so it needs its real signature.
    cmd.args([
        "--url",
        url,
        "--key-env",
        "DBC_TEST_KEY",
        "--dry-run",
        "--show-secrets",
    ]);
    if node {
        cmd.args(["--node", DEMO_MACHINE_ALPHA, "--rent-order", "1001"]);
    }
    let out = cmd
        .args(args)
        .env("DBC_TEST_KEY", DEMO_SEED_HEX)
        .env("DBC_NEW_PASSWORD", "N3w-passw0rd")
        .env_remove("DBC_URL")
        .env_remove("DBC_NODE")
        .env_remove("DBC_RENT_ORDER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "dbc {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dry_run_request_passes_the_nodes_envelope_and_auth_checks() {
    let sim = SimServer::start(
        SimConfig::demo().with_speed(1000.0),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let url = sim.base_url();
    dbc_api::tls::install_provider();
    let http = reqwest::Client::new();
    // (needs --node, args). Ordered so that state-dependent calls meet a suitable state.
    let cases: Vec<(bool, Vec<&str>)> = vec![
        (false, vec!["version"]),
        (false, vec!["machines"]),
        (false, vec!["image-servers"]),
        (false, vec!["images", "--server", "dbc-image-center-1"]),
        (false, vec!["lans"]),
        (true, vec!["machine-info"]),
        (true, vec!["session-id"]),
        (true, vec!["rent-orders"]),
        (true, vec!["rent-orders", "--order", "1001"]),
        (true, vec!["tasks"]),
        (true, vec!["task", TASK]),
        (true, vec!["ssh", TASK]),
        (true, vec!["logs", TASK, "--lines", "5"]),
        (true, vec!["logs", TASK, "--head", "--lines", "5"]),
        (true, vec!["passwd", TASK, "--user", "dbc"]),
        (true, vec!["modify", TASK, "--new-ssh-port", "20222"]),
        (true, vec!["images"]),
        (
            true,
            vec![
                "image-download",
                "--server",
                "dbc-image-center-1",
                "--file",
                "ubuntu-22.04.qcow2",
            ],
        ),
        (
            true,
            vec!["image-download-progress", "--file", "ubuntu-22.04.qcow2"],
        ),
        (
            true,
            vec!["image-download-stop", "--file", "ubuntu-22.04.qcow2"],
        ),
        (
            true,
            vec![
                "image-upload",
                "--file",
                "windows-server-2022.qcow2",
                "--server",
                "dbc-image-center-2",
            ],
        ),
        (
            true,
            vec![
                "image-upload-progress",
                "--file",
                "windows-server-2022.qcow2",
            ],
        ),
        (
            true,
            vec!["image-upload-stop", "--file", "windows-server-2022.qcow2"],
        ),
        (
            true,
            vec![
                "lan-create",
                "--name",
                "testnet1",
                "--cidr",
                "192.168.66.0/24",
            ],
        ),
        (true, vec!["lans", "--name", "testnet1"]),
        (true, vec!["lan-delete", "testnet1"]),
        (true, vec!["restart", TASK]),
        (true, vec!["poweroff", TASK]),
        (true, vec!["disks", TASK]),
        (true, vec!["snapshots", TASK]),
        (true, vec!["disk-add", TASK, "--size-gb", "10"]),
        (true, vec!["start", TASK]),
        (true, vec!["shutdown", TASK]),
        (true, vec!["reset", TASK]),
        (
            true,
            vec!["disk-resize", TASK, "--disk", "vdb", "--add-gb", "5"],
        ),
        (true, vec!["disk-delete", TASK, "--disk", "vdc"]),
        (
            true,
            vec![
                "snapshot-create",
                TASK,
                "--name",
                "snap1",
                "--image-server",
                "dbc-image-center-1",
            ],
        ),
        (true, vec!["snapshots", TASK, "--name", "snap1"]),
        (true, vec!["snapshot-delete", TASK, "--name", "snap1"]),
        (true, vec!["image-delete", "--file", "ubuntu-22.04.qcow2"]),
        (
            true,
            vec![
                "create",
                "--image",
                "ubuntu-22.04.qcow2",
                "--ssh-port",
                "21022",
                "--vnc-port",
                "5990",
                "--cpu-cores",
                "2",
                "--mem-size",
                "4",
                "--disk-size",
                "10",
                "--gpu-count",
                "1",
                "--custom-port",
                "tcp,8080",
                "--multicast",
                "239.1.1.1:5000",
            ],
        ),
        (true, vec!["restart", TASK, "--force"]),
        (true, vec!["delete", TASK]),
    ];
    let mut subcommands = std::collections::BTreeSet::new();
    for (node, args) in &cases {
        subcommands.insert(args[0]);
        let printed = dry_run(&url, *node, args);
        assert_eq!(printed["method"], "POST");
        let target = printed["url"].as_str().unwrap();
        assert!(target.starts_with(&format!("{url}/api/v1/")), "{target}");
        let resp = http
            .post(target)
            .json(&printed["body"])
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let reply: Value = serde_json::from_str(resp.text().await.unwrap().trim_end()).unwrap();
        let errcode = reply["errcode"].as_i64().unwrap();
        let message = reply["message"].to_string();
        // Gateway-level refusals mean a malformed request; -3 authority failures mean bad auth.
        assert_eq!(status, 200, "dbc {args:?} → HTTP {status}: {message}");
        assert!(
            !(errcode == -3 && message.contains("check authority failed")),
            "dbc {args:?} was not authorized: {message}"
        );
        assert!(
            errcode == 0 || errcode == 1 || errcode == -3,
            "dbc {args:?} → errcode {errcode}: {message}"
        );
    }
    // Every subcommand of the CLI is covered.
    let help = Command::new(env!("CARGO_BIN_EXE_dbc"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_string();
    let listed: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        // `rentals` asks the chain, not a node (tests/rentals.rs)
        .filter(|c| *c != "rentals")
        .collect();
    for c in &listed {
        assert!(
            subcommands.contains(c),
            "subcommand {c} has no dry-run case"
        );
    }
    assert_eq!(listed.len(), 37, "{listed:?}");
    sim.shutdown().await;
}
