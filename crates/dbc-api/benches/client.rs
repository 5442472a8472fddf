//! Client overhead against the in-process simulator: one full library call
//! (`Client::task_detail`: build + validate + sign + send + parse + decode) versus a bare reqwest
//! POST of a pre-built, pre-signed body to the same endpoint. Nonces are single-use, so the bare
//! side gets one fresh body per call, built outside the timed loop; the library side signs inside
//! the loop as it does in real use. The two are interleaved in rounds.
//!
//! `cargo bench -p dbc-api --bench client` (env `DBC_BENCH_ROUNDS`, `DBC_BENCH_CALLS`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use dbc_api::auth::{new_nonce, Auth};
use dbc_api::keys::Wallet;
use dbc_api::request;
use dbc_api::{Client, Machine};
use dbc_sim::config::DEMO_MACHINE_ALPHA;
use dbc_sim::{SimConfig, SimServer, DEMO_SEED_HEX};

const TASK: &str = "DemoVmAlpha0000000001";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let rounds = env_usize("DBC_BENCH_ROUNDS", 5);
    let calls = env_usize("DBC_BENCH_CALLS", 500);
    let started = Instant::now();

    let server = SimServer::start(
        SimConfig::demo().with_speed(1000.0),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("start simulator");
    let url = server.base_url();
    let wallet = Arc::new(Wallet::from_hex_seed(DEMO_SEED_HEX).unwrap());
    let auth = Auth::Wallet(wallet.clone());
    let machine = Machine::new(DEMO_MACHINE_ALPHA, Some("1001".into()));
    let client = Client::connect(&url).unwrap();
    // Same settings as the library's client, minus everything the library adds.
    dbc_api::tls::install_provider();
    let bare = reqwest::Client::builder()
        .timeout(dbc_api::client::DEFAULT_TIMEOUT)
        .connect_timeout(dbc_api::client::DEFAULT_CONNECT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let req = request::task_detail(&machine, TASK).unwrap();
    let target = client.url_for(&req);

    let prebuild = |n: usize| -> Vec<Vec<u8>> {
        (0..n)
            .map(|_| serde_json::to_vec(&req.body(&auth).unwrap()).unwrap())
            .collect()
    };

    // warm-up both paths (connections, allocator, caches)
    for _ in 0..100 {
        client
            .call(request::task_detail(&machine, TASK), &auth)
            .await
            .unwrap();
    }
    for body in prebuild(100) {
        let r = bare
            .post(&target)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.bytes().await.unwrap();
    }

    let mut lib_all = Vec::with_capacity(rounds * calls);
    let mut bare_all = Vec::with_capacity(rounds * calls);
    let mut signed_all = Vec::with_capacity(rounds * calls);
    println!("dbc-api client bench: {rounds} rounds x {calls} calls, task_detail on {url}");
    for round in 1..=rounds {
        // (a) the library call, signing inside the loop
        let mut lib = Vec::with_capacity(calls);
        for _ in 0..calls {
            let t0 = Instant::now();
            let d = client
                .call(request::task_detail(&machine, TASK), &auth)
                .await
                .unwrap();
            lib.push(t0.elapsed());
            debug_assert_eq!(d.task_id, TASK);
        }
        // (b) bare POST of pre-built bodies (built here, outside the timed loop)
        let bodies = prebuild(calls);
        let mut raw = Vec::with_capacity(calls);
        for body in bodies {
            let t0 = Instant::now();
            let r = bare
                .post(&target)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let bytes = r.bytes().await.unwrap();
            raw.push(t0.elapsed());
            assert!(status == 200 && bytes.starts_with(b"{\"errcode\":0"));
        }
        // (c) diagnostic: bare POST, but building and signing the body inside the loop — the
        // part of (a) that no client can avoid; (a)/(c) is the library's own overhead.
        let mut signed = Vec::with_capacity(calls);
        for _ in 0..calls {
            let t0 = Instant::now();
            let body = serde_json::to_vec(&req.body(&auth).unwrap()).unwrap();
            let r = bare
                .post(&target)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let bytes = r.bytes().await.unwrap();
            signed.push(t0.elapsed());
            assert!(status == 200 && bytes.starts_with(b"{\"errcode\":0"));
        }
        lib_all.extend_from_slice(&lib);
        bare_all.extend_from_slice(&raw);
        signed_all.extend_from_slice(&signed);
        let (ml, mb, ms) = (median(&mut lib), median(&mut raw), median(&mut signed));
        println!(
            "round {round}: library {:6.1} us/call | bare {:6.1} us/call | bare+sign {:6.1} us/call | library/bare {:.3} | library/bare+sign {:.3}",
            us(ml),
            us(mb),
            us(ms),
            ml.as_secs_f64() / mb.as_secs_f64(),
            ml.as_secs_f64() / ms.as_secs_f64()
        );
    }
    let (ml, mb, ms) = (
        median(&mut lib_all),
        median(&mut bare_all),
        median(&mut signed_all),
    );

    // signing and nonce throughput
    let nonce = new_nonce();
    let t0 = Instant::now();
    let mut signs = 0u64;
    while t0.elapsed() < Duration::from_secs(1) {
        for _ in 0..100 {
            std::hint::black_box(wallet.sign_hex(std::hint::black_box(nonce.as_bytes())));
        }
        signs += 100;
    }
    let sign_rate = signs as f64 / t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let mut nonces = 0u64;
    while t0.elapsed() < Duration::from_millis(500) {
        for _ in 0..1000 {
            std::hint::black_box(new_nonce());
        }
        nonces += 1000;
    }
    let nonce_rate = nonces as f64 / t0.elapsed().as_secs_f64();

    println!(
        "median per call: library {:.1} us, bare {:.1} us, bare+sign {:.1} us ({} calls each)",
        us(ml),
        us(mb),
        us(ms),
        lib_all.len()
    );
    println!(
        "ratio library/bare+sign = {:.2} (library overhead beyond signing)",
        ml.as_secs_f64() / ms.as_secs_f64()
    );
    println!(
        "sr25519 signs/s (Wallet::sign_hex): {sign_rate:.0}  ({:.1} us/sign)",
        1e6 / sign_rate
    );
    println!(
        "nonces/s (new_nonce): {nonce_rate:.0}  ({:.2} us/nonce)",
        1e6 / nonce_rate
    );
    println!("total bench time: {:.1} s", started.elapsed().as_secs_f64());
    println!(
        "ratio library/bare = {:.2}",
        ml.as_secs_f64() / mb.as_secs_f64()
    );
    server.shutdown().await;
}
