//! `dbc rentals` (the real binary) against dbc-sim's fake chain.

use std::process::Output;
use std::time::Duration;

use dbc_sim::config::{DEMO_MACHINE_BETA, DEMO_MACHINE_GAMMA};
use dbc_sim::{ChainServer, SimConfig, SimServer, DEMO_SEED_HEX, DEMO_WALLET};
use serde_json::Value;

const KEY_VAR: &str = "DBC_TEST_RENTALS_KEY";
const START_BLOCK: u64 = 5_000_000;

async fn dbc(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_dbc"));
    cmd.arg("rentals").args(args);
    for var in ["DBC_CHAIN_URL", "DBC_URL", "DBC_NODE", "DBC_RENT_ORDER"] {
        cmd.env_remove(var);
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    tokio::time::timeout(Duration::from_secs(60), cmd.kill_on_drop(true).output())
        .await
        .expect("dbc finished")
        .expect("run dbc")
}

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "dbc failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stderr_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "stderr is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

async fn start() -> (SimServer, ChainServer) {
    let sim = SimServer::start(
        SimConfig::demo().with_speed(1.0),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let chain = sim
        .start_chain("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    (sim, chain)
}

#[tokio::test]
async fn rentals_of_a_wallet() {
    let (sim, chain) = start().await;
    let ws = chain.ws_url();
    let list = stdout_json(&dbc(&["--chain-url", &ws, "--wallet", DEMO_WALLET], &[]).await);
    let list = list.as_array().expect("a JSON array");
    let ids: Vec<u64> = list
        .iter()
        .map(|o| o["rent_order"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1001, 1002, 1003, 1005]);
    let beta = &list[1];
    assert_eq!(beta["machine_id"], DEMO_MACHINE_BETA);
    assert_eq!(beta["status"], "renting");
    assert_eq!(beta["renter"], DEMO_WALLET);
    assert_eq!(beta["gpu_num"], 2);
    assert_eq!(beta["gpu_index"], serde_json::json!([0, 1]));
    assert_eq!(beta["rent_start"], START_BLOCK - 600);
    assert_eq!(beta["confirm_rent"], START_BLOCK - 598);
    let end = beta["rent_end_block"].as_u64().unwrap();
    assert_eq!(end, START_BLOCK + 7 * 14_400);
    let now = beta["current_block"].as_u64().unwrap();
    assert_eq!(now, START_BLOCK + sim.control().now_secs() as u64 / 6);
    assert_eq!(beta["seconds_left"].as_u64().unwrap(), (end - now) * 6);
    assert!(beta["stake_amount"]
        .as_str()
        .unwrap()
        .parse::<u128>()
        .is_ok());
    let gamma = &list[2];
    assert_eq!(gamma["machine_id"], DEMO_MACHINE_GAMMA);
    assert_eq!(gamma["status"], "waitingVerifying");
    assert_eq!(gamma["confirm_rent"], 0);

    // a wallet that rents nothing
    let none = stdout_json(
        &dbc(
            &[
                "--chain-url",
                &ws,
                "--wallet",
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
            ],
            &[],
        )
        .await,
    );
    assert_eq!(none, serde_json::json!([]));

    // two hours later gamma's order has ended and left the chain
    sim.control().advance_clock(Duration::from_secs(2 * 3600));
    let list = stdout_json(&dbc(&["--chain-url", &ws, "--wallet", DEMO_WALLET], &[]).await);
    let ids: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["rent_order"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1001, 1002, 1005]);
    chain.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn wallet_from_a_key_and_chain_from_the_environment() {
    let (sim, chain) = start().await;
    let http = chain.http_url();
    let out = dbc(
        &["--key-env", KEY_VAR],
        &[(KEY_VAR, DEMO_SEED_HEX), ("DBC_CHAIN_URL", &http)],
    )
    .await;
    let list = stdout_json(&out);
    assert_eq!(list.as_array().unwrap().len(), 4);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["renter"] == DEMO_WALLET));
    chain.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn errors_are_json_with_codes() {
    let (sim, chain) = start().await;
    let ws = chain.ws_url();
    // no wallet at all: usage error
    let out = dbc(&["--chain-url", &ws], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr_json(&out)["error"], "usage");
    // the chain refuses a renter that is not an address
    let out = dbc(&["--chain-url", &ws, "--wallet", "not-an-address"], &[]).await;
    assert_eq!(out.status.code(), Some(1));
    let e = stderr_json(&out);
    assert_eq!(e["error"], "rpc");
    assert_eq!(e["rpc"]["code"], -32602);
    // a bad endpoint
    let out = dbc(&["--chain-url", "ftp://x", "--wallet", DEMO_WALLET], &[]).await;
    assert_eq!(stderr_json(&out)["error"], "bad_endpoint");
    chain.shutdown().await;
    sim.shutdown().await;
    // nothing listening any more
    let out = dbc(&["--chain-url", &ws, "--wallet", DEMO_WALLET], &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr_json(&out)["error"], "unreachable");
}
