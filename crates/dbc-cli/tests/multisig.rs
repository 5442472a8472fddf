//! `dbc` signing for a multisig renter (SPEC §3.5) against the simulator's multisig check:
//! member addresses and threshold on the command line, one key option per local signer.

use std::process::Output;

use dbc_sim::config::{RentOrderConfig, DEMO_MACHINE_BETA};
use dbc_sim::{SimConfig, SimServer, DEMO_SEED_HEX, DEMO_WALLET};
use serde_json::Value;

const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

async fn dbc(url: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_dbc"))
        .args([
            "--url",
            url,
            "--node",
            DEMO_MACHINE_BETA,
            "--rent-order",
            "4242",
        ])
        .args(args)
        .env("DBC_TEST_MS_A", DEMO_SEED_HEX)
        .env("DBC_TEST_MS_B", "//Bob")
        .env_remove("DBC_URL")
        .env_remove("DBC_NODE")
        .env_remove("DBC_RENT_ORDER")
        .env_remove("DBC_KEY_PASSWORD")
        .output()
        .await
        .expect("run dbc")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[tokio::test]
async fn a_multisig_renter_from_the_command_line() {
    let members = vec![DEMO_WALLET.to_string(), BOB.to_string()];
    let mut cfg = SimConfig::demo().with_speed(2000.0);
    let beta = cfg
        .machines
        .iter_mut()
        .find(|m| m.node_id == DEMO_MACHINE_BETA)
        .unwrap();
    beta.rent_orders.push(RentOrderConfig {
        id: 4242,
        renter: dbc_sim::crypto::multisig_account(&members, 2).unwrap(),
        status: "renting".into(),
        gpu_index: vec![2, 3],
        end_secs: 86_400,
    });
    let sim = SimServer::start(cfg, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = sim.base_url();
    let ms = format!("{DEMO_WALLET},{BOB}");
    // The multisig with both local signers, then the command.
    let both = |rest: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = ["--multisig-wallets", &ms, "--threshold", "2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(["--key-env", "DBC_TEST_MS_A", "--key-env", "DBC_TEST_MS_B"].map(String::from));
        v.extend(rest.iter().map(|s| s.to_string()));
        v
    };
    let run = |args: Vec<String>| {
        let url = url.clone();
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            dbc(&url, &refs).await
        }
    };

    // Both members sign: the node lists the multisig's VMs (none yet).
    let out = run(both(&["tasks"])).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let tasks: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(tasks.is_array(), "{tasks}");

    // The request carries both signers, each with its own nonce.
    let out = run(both(&["--dry-run", "tasks"])).await;
    let req: Value = serde_json::from_slice(&out.stdout).unwrap();
    let signs = req["body"]["multisig_accounts"]["signs"]
        .as_array()
        .unwrap();
    assert_eq!(signs.len(), 2, "{req}");
    assert_eq!(req["body"]["multisig_accounts"]["threshold"], "2");
    assert_eq!(signs[0]["sign"], "<redacted>", "dry runs hide signatures");

    // One signer for a threshold of 2: a usage error before anything is sent.
    let out = dbc(
        &url,
        &[
            "--multisig-wallets",
            &ms,
            "--threshold",
            "2",
            "--key-env",
            "DBC_TEST_MS_A",
            "tasks",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("multisig_signers"),
        "{}",
        stderr(&out)
    );

    // Two keys without --multisig-wallets: which renter is meant is unclear.
    let out = dbc(
        &url,
        &[
            "--key-env",
            "DBC_TEST_MS_A",
            "--key-env",
            "DBC_TEST_MS_B",
            "tasks",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("several keys"), "{}", stderr(&out));

    // A single key of a member is not the renter: the node refuses.
    let out = dbc(&url, &["--key-env", "DBC_TEST_MS_A", "tasks"]).await;
    assert!(!out.status.success());
    sim.shutdown().await;
}
