//! Throughput of signed task-detail requests (`cargo bench -p dbc-sim --bench throughput`).
//! Starts the simulator in-process, pre-signs N requests with fresh nonces (outside the timed
//! region), fires them over keep-alive connections with C concurrent workers and prints req/s.
//! Env: DBC_SIM_BENCH_N (default 40000), DBC_SIM_BENCH_C (default 32).

use std::time::Instant;

use dbc_sim::{SimConfig, SimServer, DEMO_SEED_HEX, DEMO_WALLET};
use sp_core::{sr25519, Pair};

fn main() {
    let n: usize = std::env::var("DBC_SIM_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40_000);
    let c: usize = std::env::var("DBC_SIM_BENCH_C")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let server = SimServer::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let node = dbc_sim::config::DEMO_MACHINE_ALPHA;
        let url = format!("{}/api/v1/tasks/DemoVmAlpha0000000001", server.base_url());
        let seed: [u8; 32] = hex::decode(DEMO_SEED_HEX).unwrap().try_into().unwrap();
        let pair = sr25519::Pair::from_seed(&seed);
        let t_sign = Instant::now();
        let bodies: Vec<String> = (0..n)
            .map(|i| {
                let nonce = format!("bench-nonce-{i:08}");
                let sign = hex::encode(pair.sign(nonce.as_bytes()).0);
                format!(
                    r#"{{"peer_nodes_list":["{node}"],"additional":{{}},"wallet":"{DEMO_WALLET}","nonce":"{nonce}","sign":"{sign}","rent_order":"1001"}}"#
                )
            })
            .collect();
        println!("pre-signed {n} requests in {:.2?}", t_sign.elapsed());
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder().pool_max_idle_per_host(c).build().unwrap();
        // warm-up: open connections
        let warm = client.post(url.clone()).body("{}").send().await.unwrap();
        let _ = warm.text().await;
        let chunks: Vec<Vec<String>> = {
            let mut v: Vec<Vec<String>> = (0..c).map(|_| vec![]).collect();
            for (i, b) in bodies.into_iter().enumerate() {
                v[i % c].push(b);
            }
            v
        };
        let t0 = Instant::now();
        let mut handles = vec![];
        for chunk in chunks {
            let client = client.clone();
            let url = url.clone();
            handles.push(tokio::spawn(async move {
                let mut ok = 0usize;
                for b in chunk {
                    let r = client.post(url.as_str()).header("Content-Type", "application/json").body(b).send().await.unwrap();
                    let t = r.text().await.unwrap();
                    if t.starts_with("{\"errcode\":0,") {
                        ok += 1;
                    }
                }
                ok
            }));
        }
        let mut ok = 0;
        for h in handles {
            ok += h.await.unwrap();
        }
        let el = t0.elapsed();
        println!(
            "{ok}/{n} successful signed task-detail requests in {el:.2?} with {c} keep-alive connections: {:.0} req/s",
            n as f64 / el.as_secs_f64()
        );
        assert_eq!(ok, n, "every request must succeed (fresh nonce, valid signature)");
        server.shutdown().await;
    });
}
