//! `dbc-sim` binary: `dbc-sim [--config FILE] [--listen ADDR] [--speed F] [--seed N] [--print-demo-config]`.

use dbc_sim::{SimConfig, SimServer};

const USAGE: &str = "usage: dbc-sim [--config FILE.toml] [--listen 127.0.0.1:5002] [--speed FACTOR] [--seed N] [--print-demo-config]
  without --config the demo network (SimConfig::demo()) is served";

fn main() {
    if let Err(e) = run() {
        eprintln!("dbc-sim: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut config: Option<String> = None;
    let (mut listen, mut speed, mut seed) = (None, None, None);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match a.as_str() {
            "--config" | "-c" => config = Some(val("--config")?),
            "--listen" | "-l" => listen = Some(val("--listen")?),
            "--speed" => {
                speed = Some(
                    val("--speed")?
                        .parse::<f64>()
                        .map_err(|e| format!("--speed: {e}"))?,
                )
            }
            "--seed" => {
                seed = Some(
                    val("--seed")?
                        .parse::<u64>()
                        .map_err(|e| format!("--seed: {e}"))?,
                )
            }
            "--print-demo-config" => {
                print!("{}", SimConfig::demo().to_toml_string());
                return Ok(());
            }
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let mut cfg = match config {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            SimConfig::from_toml_str(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => SimConfig::demo(),
    };
    if let Some(l) = listen {
        cfg.listen = l;
    }
    if let Some(s) = speed {
        cfg = cfg.with_speed(s);
    }
    if let Some(s) = seed {
        cfg = cfg.with_seed(s);
    }
    cfg.validate()?;
    let addr: std::net::SocketAddr = cfg
        .listen
        .parse()
        .map_err(|e| format!("listen address {}: {e}", cfg.listen))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let machines: Vec<(String, String, String)> = cfg
            .machines
            .iter()
            .map(|m| {
                (
                    m.name.clone(),
                    m.node_id.clone(),
                    m.chain_status.clone() + "/" + &m.p2p,
                )
            })
            .collect();
        let speed = cfg.speed;
        let server = SimServer::start(cfg, addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        println!(
            "dbc-sim listening on {}/api/v1/ (speed x{speed}, control API {}/__sim/state)",
            server.base_url(),
            server.base_url()
        );
        for (name, id, st) in machines {
            println!("  {name:<18} {id}  {st}");
        }
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
        server.shutdown().await;
        Ok::<(), String>(())
    })
}
