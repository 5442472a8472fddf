//! Fleet refresh through the app's real path (`AppState::fleet`: settings → auth → the shared
//! client → every machine concurrently) against the simulator, with 100 ms of latency injected
//! into every reply. 1, 10 and 50 machines of 20 VMs each; the last line is the ratio of
//! refreshing 50 machines to refreshing one (target ≤ 1.5).
//!
//!     cargo bench --bench fleet

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dbc_api::keys::Wallet;
use dbc_desk_lib::models::{MachineAuth, MachineEntry, WalletInfo};
use dbc_desk_lib::settings::{NoPersist, Settings, SettingsStore};
use dbc_desk_lib::state::AppState;
use dbc_desk_lib::vault::{Keychain, Vault};
use dbc_sim::{Fault, FaultKind, RentOrderConfig, SimConfig, SimServer, TaskConfig};
use zeroize::Zeroizing;

const VMS_PER_MACHINE: usize = 20;
const LATENCY_MS: u64 = 100;
const ROUNDS: usize = 7;

#[derive(Default)]
struct MemKeychain(Mutex<HashMap<String, String>>);
impl Keychain for MemKeychain {
    fn set(&self, name: &str, secret: &str) -> Result<(), String> {
        self.0.lock().unwrap().insert(name.into(), secret.into());
        Ok(())
    }
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(name)
            .cloned()
            .map(Zeroizing::new))
    }
    fn delete(&self, name: &str) -> Result<(), String> {
        self.0.lock().unwrap().remove(name);
        Ok(())
    }
}

/// `n` rented machines of `VMS_PER_MACHINE` VMs each, all the demo wallet's.
fn config(n: usize, renter: &str) -> SimConfig {
    let demo = SimConfig::demo();
    let template = demo.machines[0].clone();
    let mut cfg = demo.clone();
    cfg.machines = (0..n)
        .map(|i| {
            let mut m = template.clone();
            m.node_id = format!("{:064x}", 0xbe_0000 + i);
            m.name = format!("bench-{i}");
            m.p2p = "online".into();
            m.chain_status = "rented".into();
            let order = 50_000 + i as u64;
            m.rent_orders = vec![RentOrderConfig {
                id: order,
                renter: renter.into(),
                status: "renting".into(),
                gpu_index: (0..m.gpu_count).collect(),
                end_secs: 30 * 86_400,
            }];
            m.sessions.clear();
            m.tasks = (0..VMS_PER_MACHINE)
                .map(|t| TaskConfig {
                    task_id: format!("Bench{i:04}Vm{t:012}"),
                    owner: renter.into(),
                    rent_order: Some(order),
                    os: "linux".into(),
                    image_name: "ubuntu-22.04.qcow2".into(),
                    desc: String::new(),
                    status: "running".into(),
                    cpu_cores: 1,
                    gpu_count: 0,
                    mem_gb: 1,
                    disk_gb: 10,
                    ssh_port: 20_000 + t as u16,
                    rdp_port: 0,
                    vnc_port: 5_900 + t as u16,
                })
                .collect();
            m
        })
        .collect();
    cfg
}

/// Median wall time of one full refresh (machine info asked again each time) of `n` machines.
async fn refresh_ms(n: usize, dir: &std::path::Path) -> f64 {
    let wallet = Wallet::from_hex_seed(dbc_sim::DEMO_SEED_HEX).unwrap();
    let cfg = config(n, wallet.address());
    let nodes: Vec<(String, String)> = cfg
        .machines
        .iter()
        .map(|m| (m.node_id.clone(), m.rent_orders[0].id.to_string()))
        .collect();
    let sim = SimServer::start(cfg, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    sim.control()
        .add_fault(Fault::global(FaultKind::Latency { ms: LATENCY_MS }));

    let vault = Vault::open(
        dir.join(format!("vault-{n}.json")),
        Box::new(MemKeychain::default()),
    );
    vault
        .put(
            &dbc_secrets::wallet_entry(wallet.address()),
            &wallet.export_raw_secret(),
        )
        .unwrap();
    let settings = Settings {
        client_url: Some(sim.base_url()),
        wallets: vec![WalletInfo {
            id: "w".into(),
            name: "bench".into(),
            address: wallet.address().into(),
        }],
        machines: nodes
            .into_iter()
            .enumerate()
            .map(|(i, (node_id, order))| MachineEntry {
                id: format!("m{i}"),
                label: format!("bench {i}"),
                node_id,
                rent_order: Some(order),
                auth: MachineAuth::Wallet {
                    wallet_id: "w".into(),
                },
                demo: false,
            })
            .collect(),
        ..Default::default()
    };
    let state = AppState::new(
        vault,
        SettingsStore::new(settings, Box::new(NoPersist), None),
    );

    // Warm-up: keys loaded, connections open.
    let first = state.fleet(true).await.unwrap();
    assert_eq!(first.len(), n);
    for f in &first {
        assert!(f.error.is_none(), "{:?}", f.error);
        assert_eq!(f.tasks.len(), VMS_PER_MACHINE);
    }
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let fleet = state.fleet(true).await.unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(fleet.iter().all(|f| f.error.is_none() && !f.stale));
    }
    sim.shutdown().await;
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

fn main() {
    // The app's own runtime shape: two workers.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut one = 0.0;
    let mut ratio = 0.0;
    for n in [1, 10, 50] {
        let ms = rt.block_on(refresh_ms(n, dir.path()));
        println!(
            "fleet refresh {n} machines x {VMS_PER_MACHINE} VMs, {LATENCY_MS} ms latency: {ms:.1} ms (median of {ROUNDS})"
        );
        if n == 1 {
            one = ms;
        } else {
            ratio = ms / one;
        }
    }
    std::thread::sleep(Duration::from_millis(10));
    println!("fleet refresh 50/1 = {ratio:.2}");
}
