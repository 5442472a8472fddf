//! Where requests go: the configured DBC client node, or the built-in demo network (an in-process
//! `dbc-sim`, started the first time it is needed and stopped when a real client is set). One
//! HTTP client per connection is kept and reused by every command; it is rebuilt only when the
//! connection changes.

use std::sync::{Arc, Mutex};

use dbc_api::keys::Wallet;
use dbc_api::Client;
use dbc_sim::{SimConfig, SimServer};

use crate::error::{AppCode, AppError, AppKey, AppResult};
use crate::models::{DemoInfo, DemoMachine};

/// Speed of the demo network's clock: VM creation (10 min on a real node) takes seconds.
pub const DEMO_SPEED: f64 = 100.0;

struct Demo {
    server: SimServer,
    chain: dbc_sim::ChainServer,
    info: DemoInfo,
    wallet: Arc<Wallet>,
}

#[derive(Default)]
pub struct Network {
    demo: tokio::sync::Mutex<Option<Demo>>,
    client: Mutex<Option<Client>>,
}

impl Network {
    /// The demo network (started now if needed) when no client is configured.
    pub async fn demo(
        &self,
        client_url: Option<&str>,
    ) -> AppResult<Option<(DemoInfo, Arc<Wallet>)>> {
        if client_url.is_some() {
            return Ok(None);
        }
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            *demo = Some(start_demo().await?);
        }
        Ok(demo.as_ref().map(|d| (d.info.clone(), d.wallet.clone())))
    }

    /// Stop the demo network (after switching to a real client).
    pub async fn stop_demo(&self) {
        if let Some(d) = self.demo.lock().await.take() {
            d.chain.shutdown().await;
            d.server.shutdown().await;
        }
    }

    /// The HTTP client for the current connection: reused while the address stays the same.
    pub async fn client(&self, client_url: Option<&str>) -> AppResult<Client> {
        let url = match client_url {
            Some(u) => u.to_string(),
            None => match self.demo(None).await? {
                Some((info, _)) => info.url,
                None => {
                    return Err(AppError::new(
                        AppCode::Internal,
                        AppKey::NoClient,
                        Default::default(),
                    ))
                }
            },
        };
        let url = dbc_api::client::normalize_base_url(&url)?;
        let mut slot = self.client.lock().unwrap();
        if let Some(c) = slot.as_ref().filter(|c| c.base_url() == url) {
            return Ok(c.clone());
        }
        let c = Client::connect(&url)?;
        *slot = Some(c.clone());
        Ok(c)
    }
}

async fn start_demo() -> AppResult<Demo> {
    let speed = std::env::var("DBC_DESK_DEMO_SPEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEMO_SPEED);
    let config = SimConfig::demo().with_speed(speed);
    let wallet = Arc::new(Wallet::from_hex_seed(dbc_sim::DEMO_SEED_HEX)?);
    let machines = config
        .machines
        .iter()
        .filter_map(|m| {
            let order = m
                .rent_orders
                .iter()
                .find(|o| o.renter == wallet.address())?;
            Some(DemoMachine {
                node_id: m.node_id.clone(),
                name: m.name.clone(),
                rent_order: Some(order.id.to_string()),
            })
        })
        .collect();
    let server = SimServer::start(config, "127.0.0.1:0".parse().expect("static address"))
        .await
        .map_err(|e| AppError::internal(AppKey::DemoStart, e.to_string()))?;
    let chain = server
        .start_chain("127.0.0.1:0".parse().expect("static address"))
        .await
        .map_err(|e| AppError::internal(AppKey::DemoStart, e.to_string()))?;
    let info = DemoInfo {
        url: server.base_url(),
        wallet_address: wallet.address().to_string(),
        machines,
        chain_url: chain.ws_url(),
    };
    Ok(Demo {
        server,
        chain,
        info,
        wallet,
    })
}
