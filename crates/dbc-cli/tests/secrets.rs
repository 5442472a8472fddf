//! No secret on the command line: the real `dbc` binary takes the keystore password, the session
//! signature and `passwd`'s new password from an environment variable, a file or standard
//! input, refuses them as arguments (exit 2, nothing sent), and `--dry-run` prints signatures,
//! nonces and passwords as `<redacted>` unless `--show-secrets`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use dbc_sim::config::{DEMO_MACHINE_ALPHA, DEMO_MACHINE_BETA};
use dbc_sim::{
    SimConfig, SimServer, DEMO_SEED_HEX, DEMO_SESSION_ID, DEMO_SESSION_SIGN, DEMO_WALLET,
};
use serde_json::Value;

const KEYSTORE_PASSWORD: &str = "demo keystore password";
const TASK: &str = "DemoVmAlpha0000000001";
/// Every variable `dbc` reads a secret or a default from.
const DBC_VARS: &[&str] = &[
    "DBC_URL",
    "DBC_NODE",
    "DBC_RENT_ORDER",
    "DBC_KEY_PASSWORD",
    "DBC_SESSION_SIGN",
    "DBC_NEW_PASSWORD",
    "DBC_DESK_PASSPHRASE",
    "DBC_VAULT_FILE",
];

fn keystore() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dbc-api/tests/fixtures/demo-keystore.json")
}

async fn sim() -> SimServer {
    SimServer::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("start simulator")
}

/// `dbc --url <sim> <args>` with only `env` set of the variables `dbc` reads, `stdin` piped in.
async fn dbc(sim: &SimServer, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_dbc"));
    cmd.args(["--url", &sim.base_url()]).args(args);
    for var in DBC_VARS {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("run dbc");
    if let Some(text) = stdin {
        use tokio::io::AsyncWriteExt as _;
        let mut pipe = child.stdin.take().unwrap();
        // dbc may refuse and exit before it reads: a broken pipe is not the test's concern.
        let _ = pipe.write_all(text.as_bytes()).await;
    }
    child.wait_with_output().await.unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Success with a JSON reply on stdout.
fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "dbc failed ({:?}): {}",
        out.status.code(),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Exit 2 with a usage message containing every one of `want`; the message is JSON.
fn usage_error(out: &Output, want: &[&str]) -> String {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_str(err.trim()).expect("JSON on stderr");
    assert_eq!(v["error"], "usage", "{err}");
    let msg = v["message"].as_str().unwrap().to_string();
    for w in want {
        assert!(msg.contains(w), "expected {w:?} in {msg}");
    }
    msg
}

fn temp_file(dir: &Path, name: &str, content: &str) -> String {
    let p = dir.join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(content.as_bytes())
        .unwrap();
    p.to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_given_as_arguments_are_refused_before_anything_is_sent() {
    let sim = sim().await;
    let ks = keystore();
    let ks = ks.to_str().unwrap();
    let beta = ["--node", DEMO_MACHINE_BETA, "--rent-order", "1002"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--key-file",
                ks,
                "--key-password",
                KEYSTORE_PASSWORD,
                "tasks",
            ],
            "--key-password",
        ),
        (
            vec!["--key-file", ks, "--key-password=hunter2-secret", "tasks"],
            "--key-password",
        ),
        // refused even where it would not be used (a hex seed needs no password)
        (
            vec![
                "--key-env",
                "K",
                "--key-password",
                "hunter2-secret",
                "tasks",
            ],
            "--key-password",
        ),
        // without a value (after the subcommand, so it cannot take the subcommand as its value)
        (vec!["tasks", "--key-password"], "--key-password"),
        (
            vec![
                "--session-id",
                DEMO_SESSION_ID,
                "--session-sign",
                DEMO_SESSION_SIGN,
                "tasks",
            ],
            "--session-sign",
        ),
        (
            vec![
                "--key-env",
                "K",
                "passwd",
                TASK,
                "--user",
                "dbc",
                "--password",
                "hunter2-secret",
            ],
            "--password",
        ),
        (
            vec![
                "--key-env",
                "K",
                "--dry-run",
                "passwd",
                TASK,
                "--user",
                "dbc",
                "--password=hunter2-secret",
            ],
            "--password",
        ),
    ];
    for (args, flag) in cases {
        let mut all = beta.to_vec();
        all.extend(&args);
        let out = dbc(&sim, &all, &[("K", DEMO_SEED_HEX)], None).await;
        let msg = usage_error(
            &out,
            &[
                &format!("{flag} does not take"),
                &format!("{flag}-env VAR"),
                &format!("{flag}-file PATH"),
                &format!("{flag}-stdin"),
            ],
        );
        for secret in [KEYSTORE_PASSWORD, "hunter2-secret", DEMO_SESSION_SIGN] {
            assert!(
                !msg.contains(secret),
                "{args:?}: the secret was echoed: {msg}"
            );
        }
    }
    assert_eq!(sim.control().connections(), 0, "something was sent");
    // Two secrets cannot both come from standard input.
    let out = dbc(
        &sim,
        &[
            "--node",
            DEMO_MACHINE_BETA,
            "--key-file",
            ks,
            "--key-password-stdin",
            "passwd",
            TASK,
            "--user",
            "dbc",
            "--password-stdin",
        ],
        &[],
        Some("x\n"),
    )
    .await;
    usage_error(&out, &["only one secret can come from standard input"]);
    // Nor one secret from two places.
    let out = dbc(
        &sim,
        &[
            "--node",
            DEMO_MACHINE_BETA,
            "--key-file",
            ks,
            "--key-password-env",
            "P",
            "--key-password-stdin",
            "tasks",
        ],
        &[("P", KEYSTORE_PASSWORD)],
        Some(KEYSTORE_PASSWORD),
    )
    .await;
    usage_error(&out, &["give the keystore password once"]);
    assert_eq!(sim.control().connections(), 0, "something was sent");

    // The help lists the safe forms only.
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_dbc"))
        .arg("--help")
        .output()
        .unwrap();
    let help = text(&help.stdout);
    for f in [
        "--key-password-env <VAR>",
        "--key-password-file <PATH>",
        "--key-password-stdin",
        "--session-sign-env <VAR>",
        "--session-sign-file <PATH>",
        "--session-sign-stdin",
        "--show-secrets",
    ] {
        assert!(help.contains(f), "{f} not in help:\n{help}");
    }
    assert!(
        !help.contains("--key-password <") && !help.contains("--session-sign <"),
        "{help}"
    );
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_dbc"))
        .args(["passwd", "--help"])
        .output()
        .unwrap();
    let help = text(&help.stdout);
    assert!(
        help.contains("--password-env <VAR>") && help.contains("--password-stdin"),
        "{help}"
    );
    assert!(!help.contains("--password <"), "{help}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keystore_password_from_a_variable_a_file_or_stdin() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ks = keystore();
    let ks = ks.to_str().unwrap();
    let file = temp_file(dir.path(), "pw", &format!("{KEYSTORE_PASSWORD}\n"));
    let tasks = |extra: &'static [&'static str]| {
        let mut v: Vec<&str> = vec![
            "--node",
            DEMO_MACHINE_BETA,
            "--rent-order",
            "1002",
            "--key-file",
            ks,
        ];
        v.extend(extra);
        v.push("tasks");
        v
    };
    let signed = |out: &Output| assert!(ok_json(out).is_array());
    signed(
        &dbc(
            &sim,
            &tasks(&["--key-password-env", "MY_PW"]),
            &[("MY_PW", KEYSTORE_PASSWORD)],
            None,
        )
        .await,
    );
    signed(
        &dbc(
            &sim,
            &tasks(&[]),
            &[("DBC_KEY_PASSWORD", KEYSTORE_PASSWORD)],
            None,
        )
        .await,
    );
    let mut args = tasks(&["--key-password-file"]);
    args.insert(args.len() - 1, &file);
    signed(&dbc(&sim, &args, &[], None).await);
    let piped = format!("{KEYSTORE_PASSWORD}\r\n");
    signed(&dbc(&sim, &tasks(&["--key-password-stdin"]), &[], Some(&piped)).await);

    // A wrong one is still a wrong password, a missing variable is named.
    let out = dbc(
        &sim,
        &tasks(&["--key-password-stdin"]),
        &[],
        Some("not it\n"),
    )
    .await;
    usage_error(&out, &["the keystore password is wrong"]);
    let out = dbc(&sim, &tasks(&["--key-password-env", "UNSET_PW"]), &[], None).await;
    usage_error(&out, &["environment variable UNSET_PW is not set"]);
    let out = dbc(&sim, &tasks(&[]), &[], None).await;
    usage_error(&out, &["DBC_KEY_PASSWORD", "--key-password-file PATH"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_signature_from_a_variable_a_file_or_stdin() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let file: &'static str =
        temp_file(dir.path(), "sign", &format!("{DEMO_SESSION_SIGN}\n")).leak();
    let base = [
        "--node",
        DEMO_MACHINE_ALPHA,
        "--rent-order",
        "1001",
        "--session-id",
        DEMO_SESSION_ID,
    ];
    let run = |extra: Vec<&'static str>| -> Vec<&'static str> {
        let mut v = base.to_vec();
        v.extend(extra);
        v.push("tasks");
        v
    };
    let listed = |out: &Output| {
        let v = ok_json(out);
        assert!(
            v.as_array().unwrap().iter().any(|t| t["task_id"] == TASK),
            "{v}"
        );
    };
    listed(
        &dbc(
            &sim,
            &run(vec!["--session-sign-env", "SIG"]),
            &[("SIG", DEMO_SESSION_SIGN)],
            None,
        )
        .await,
    );
    listed(
        &dbc(
            &sim,
            &run(vec![]),
            &[("DBC_SESSION_SIGN", DEMO_SESSION_SIGN)],
            None,
        )
        .await,
    );
    listed(&dbc(&sim, &run(vec!["--session-sign-file", &file]), &[], None).await);
    listed(
        &dbc(
            &sim,
            &run(vec!["--session-sign-stdin"]),
            &[],
            Some(DEMO_SESSION_SIGN),
        )
        .await,
    );
    // No signature at all: says where to put it.
    let out = dbc(&sim, &run(vec![]), &[], None).await;
    usage_error(&out, &["DBC_SESSION_SIGN", "--session-sign-stdin"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_redacts_signatures_nonces_and_passwords() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let pw_file: &'static str = temp_file(dir.path(), "new-pw", "N3w-passw0rd\n").leak();
    let alpha = ["--node", DEMO_MACHINE_ALPHA, "--rent-order", "1001"];
    let env = [("K", DEMO_SEED_HEX)];
    let dry = |extra: &[&'static str], show: bool| -> Vec<&'static str> {
        let mut v = alpha.to_vec();
        v.extend(["--key-env", "K", "--dry-run"]);
        if show {
            v.push("--show-secrets");
        }
        v.extend(extra);
        v
    };

    // Wallet mode: sign and nonce redacted, the rest as sent.
    let out = dbc(&sim, &dry(&["tasks"], false), &env, None).await;
    let v = ok_json(&out);
    let body = &v["body"];
    assert_eq!(body["sign"], "<redacted>");
    assert_eq!(body["nonce"], "<redacted>");
    assert_eq!(body["wallet"], DEMO_WALLET);
    assert_eq!(body["rent_order"], "1001");
    assert_eq!(body["peer_nodes_list"][0], DEMO_MACHINE_ALPHA);
    // With --show-secrets: a real signature of a real nonce.
    let v = ok_json(&dbc(&sim, &dry(&["tasks"], true), &env, None).await);
    let (nonce, sign) = (
        v["body"]["nonce"].as_str().unwrap(),
        v["body"]["sign"].as_str().unwrap(),
    );
    assert!(dbc_sim::crypto::verify(DEMO_WALLET, nonce, sign));

    // passwd: the new password too (read from a file, newline dropped).
    let mut args = dry(&["passwd", TASK, "--user", "dbc", "--password-file"], false);
    args.push(pw_file);
    let out = dbc(&sim, &args, &env, None).await;
    let v = ok_json(&out);
    assert_eq!(v["body"]["additional"]["password"], "<redacted>");
    assert_eq!(v["body"]["additional"]["username"], "dbc");
    assert!(!text(&out.stdout).contains("N3w-passw0rd"));
    let mut args = dry(&["passwd", TASK, "--user", "dbc", "--password-file"], true);
    args.push(pw_file);
    let v = ok_json(&dbc(&sim, &args, &env, None).await);
    assert_eq!(v["body"]["additional"]["password"], "N3w-passw0rd");
    // …or from stdin, or the default variable.
    let v = ok_json(
        &dbc(
            &sim,
            &dry(&["passwd", TASK, "--user", "dbc", "--password-stdin"], true),
            &env,
            Some("fr0m-stdin\n"),
        )
        .await,
    );
    assert_eq!(v["body"]["additional"]["password"], "fr0m-stdin");
    let v = ok_json(
        &dbc(
            &sim,
            &dry(&["passwd", TASK, "--user", "dbc"], true),
            &[("K", DEMO_SEED_HEX), ("DBC_NEW_PASSWORD", "fr0m-env")],
            None,
        )
        .await,
    );
    assert_eq!(v["body"]["additional"]["password"], "fr0m-env");
    let out = dbc(
        &sim,
        &dry(&["passwd", TASK, "--user", "dbc"], false),
        &env,
        None,
    )
    .await;
    usage_error(&out, &["DBC_NEW_PASSWORD", "--password-stdin"]);

    // Session mode: the session's signature.
    let mut args = alpha.to_vec();
    args.extend([
        "--session-id",
        DEMO_SESSION_ID,
        "--session-sign-env",
        "SIG",
        "--dry-run",
        "tasks",
    ]);
    let out = dbc(&sim, &args, &[("SIG", DEMO_SESSION_SIGN)], None).await;
    let v = ok_json(&out);
    assert_eq!(v["body"]["session_id"], DEMO_SESSION_ID);
    assert_eq!(v["body"]["session_id_sign"], "<redacted>");
    assert!(!text(&out.stdout).contains(DEMO_SESSION_SIGN));

    // Nothing was sent by any dry run.
    assert_eq!(sim.control().connections(), 0);
}
