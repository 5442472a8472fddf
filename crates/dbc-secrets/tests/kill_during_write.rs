//! A process killed in the middle of saving leaves the previous file or the new one, whole:
//! never a truncated or half-written file. The writer is this test binary run again as a child
//! (with `DBC_TEST_WRITER` set), killed at a random moment while it saves in a loop.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const WRITER: &str = "DBC_TEST_WRITER";

fn content(n: u64) -> Vec<u8> {
    // Big enough that a write takes a while, and self-checking: `n` is written at both ends.
    serde_json::to_vec(&serde_json::json!({"n": n, "fill": "x".repeat(2 << 20), "n_again": n}))
        .unwrap()
}

fn check_whole(path: &Path) -> u64 {
    let bytes = std::fs::read(path).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "a killed save left a broken file ({} bytes): {e}",
            bytes.len()
        )
    });
    assert_eq!(v["n"], v["n_again"]);
    assert_eq!(v["fill"].as_str().unwrap().len(), 2 << 20);
    v["n"].as_u64().unwrap()
}

#[test]
fn a_kill_during_a_save_leaves_a_whole_file() {
    if let Ok(path) = std::env::var(WRITER) {
        for n in 1.. {
            dbc_secrets::write_private(Path::new(&path), &content(n)).unwrap();
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    dbc_secrets::write_private(&path, &content(0)).unwrap();
    let mut last = 0;
    for round in 0..12u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "a_kill_during_a_save_leaves_a_whole_file",
                "--test-threads=1",
            ])
            .env(WRITER, &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the write cycle.
        std::thread::sleep(Duration::from_millis(40 + (round * 37) % 200));
        child.kill().unwrap();
        child.wait().unwrap();
        last = check_whole(&path);
    }
    assert!(
        last > 0,
        "the writer never completed a save: the test saw nothing happen"
    );
}
