//! `dbc-sim` binary: `dbc-sim [--config FILE] [--listen ADDR] [--chain-listen [ADDR]] [--speed F]
//! [--seed N] [--print-demo-config]`.

use dbc_sim::{SimConfig, SimServer, DEFAULT_CHAIN_LISTEN};

const USAGE: &str = "usage: dbc-sim [--config FILE.toml] [--listen 127.0.0.1:5002] [--chain-listen [127.0.0.1:9944]] [--speed FACTOR] [--seed N] [--print-demo-config]
  without --config the demo network (SimConfig::demo()) is served;
  --chain-listen also serves the fake chain (JSON-RPC over HTTP and WebSocket), by default on 127.0.0.1:9944";

fn main() {
    if let Err(e) = run() {
        eprintln!("dbc-sim: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1).peekable();
    let mut config: Option<String> = None;
    let (mut listen, mut speed, mut seed) = (None, None, None);
    let mut chain_listen: Option<String> = None;
    while let Some(a) = args.next() {
        if a == "--chain-listen" {
            // optional value: the next argument unless it is another flag
            let value = args.next_if(|v| !v.starts_with('-'));
            chain_listen = Some(value.unwrap_or_else(|| DEFAULT_CHAIN_LISTEN.to_string()));
            continue;
        }
        if let Some(v) = a.strip_prefix("--chain-listen=") {
            chain_listen = Some(v.to_string());
            continue;
        }
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
    let chain_addr: Option<std::net::SocketAddr> = chain_listen
        .map(|a| a.parse().map_err(|e| format!("--chain-listen {a}: {e}")))
        .transpose()?;
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
        let chain = match chain_addr {
            Some(a) => {
                let chain = server
                    .start_chain(a)
                    .await
                    .map_err(|e| format!("cannot listen on {a} (chain): {e}"))?;
                println!(
                    "fake chain on {} and {} (JSON-RPC)",
                    chain.http_url(),
                    chain.ws_url()
                );
                Some(chain)
            }
            None => None,
        };
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
        if let Some(chain) = chain {
            chain.shutdown().await;
        }
        server.shutdown().await;
        Ok::<(), String>(())
    })
}
