//! Rentals from the DBC chain: which chain (settings), every order of every wallet, finding a
//! machine's rent order for its form, and the warnings before and at the end of a rental. The
//! chain is optional: without it (switched off, down, or not a DBC chain) every other part of
//! the app works and rent orders are typed by hand.

use std::sync::Mutex;
use std::time::Duration;

use dbc_api::auth::Auth;
use dbc_api::models::RentOrder;
use dbc_api::validate::normalize_node_id;
use dbc_api::{request, Machine};
use dbc_chain::{BlockNumber, ChainClient, ChainOptions, Rental};

use crate::error::{AppError, AppResult};
use crate::machines;
use crate::models::*;
use crate::state::AppState;

mod view;
pub use view::alert_text;
use view::{views, Renter};

/// One chain client per endpoint, reused until the endpoint changes.
#[derive(Default)]
pub struct Chain {
    client: Mutex<Option<ChainClient>>,
    /// The warnings of this run, newest first (a window that loads later still shows them).
    recent: Mutex<Vec<RentAlert>>,
}

/// How many warnings of this run are kept for the window.
const RECENT: usize = 20;

impl Chain {
    fn client(&self, endpoint: &str) -> AppResult<ChainClient> {
        let mut slot = self.client.lock().unwrap();
        if let Some(c) = slot.as_ref().filter(|c| c.endpoint() == endpoint) {
            return Ok(c.clone());
        }
        let options = ChainOptions {
            request_timeout: Duration::from_secs(8),
            connect_timeout: Duration::from_secs(6),
            ..ChainOptions::default()
        };
        let c = ChainClient::new(endpoint, options)?;
        *slot = Some(c.clone());
        Ok(c)
    }
}

impl AppState {
    /// The chain to read (`None` = switched off).
    pub async fn chain_endpoint(&self) -> AppResult<Option<String>> {
        let prefs = self.settings.get().prefs;
        Ok(match prefs.chain_source {
            ChainSource::Off => None,
            ChainSource::Custom => Some(prefs.chain_url.trim().to_string()),
            ChainSource::Auto => Some(match self.net_demo().await? {
                Some(info) => info.chain_url,
                None => dbc_chain::PUBLIC_WS_ENDPOINT.to_string(),
            }),
        })
    }

    async fn chain_client(&self) -> AppResult<Option<ChainClient>> {
        match self.chain_endpoint().await? {
            Some(url) => self.chain.client(&url).map(Some),
            None => Ok(None),
        }
    }

    async fn renters(&self) -> AppResult<Vec<Renter>> {
        Ok(self
            .wallet_list()
            .await?
            .into_iter()
            .map(|w| Renter {
                address: w.address,
                wallet_id: w.id,
                name: w.name,
            })
            .collect())
    }

    /// Every order of every wallet, with the current block. A renter whose read failed is left
    /// out and named in `failed`; the first error is returned with them.
    async fn read_all(
        &self,
        chain: &ChainClient,
        renters: &[Renter],
    ) -> Result<
        (
            BlockNumber,
            Vec<(Rental, usize)>,
            Vec<usize>,
            Option<AppError>,
        ),
        AppError,
    > {
        let now = chain.current_block().await?;
        let reads =
            futures::future::join_all(renters.iter().map(|r| chain.rentals(&r.address))).await;
        let (mut all, mut failed, mut first_err) = (Vec::new(), Vec::new(), None);
        for (i, read) in reads.into_iter().enumerate() {
            match read {
                Ok(list) => all.extend(list.into_iter().map(|r| (r, i))),
                Err(e) => {
                    failed.push(i);
                    first_err.get_or_insert(AppError::from(e));
                }
            }
        }
        Ok((now, all, failed, first_err))
    }

    /// The Rentals view (and the fleet's time left): never an error for chain trouble, which is
    /// reported in `chain.error` instead.
    pub async fn rentals(&self) -> AppResult<Rentals> {
        let source = self.settings.get().prefs.chain_source;
        let endpoint = self.chain_endpoint().await?;
        let mut info = ChainInfo {
            endpoint: endpoint.clone(),
            source,
            current_block: None,
            error: None,
        };
        let chain = match endpoint.as_deref().map(|u| self.chain.client(u)) {
            None => {
                return Ok(Rentals {
                    chain: info,
                    orders: vec![],
                })
            }
            Some(Err(e)) => {
                info.error = Some(e);
                return Ok(Rentals {
                    chain: info,
                    orders: vec![],
                });
            }
            Some(Ok(c)) => c,
        };
        let renters = self.renters().await?;
        let entries = self.machine_list().await?;
        match self.read_all(&chain, &renters).await {
            Ok((now, all, _, err)) => {
                info.current_block = Some(now);
                info.error = err;
                let list = all.into_iter().map(|(r, i)| (r, &renters[i])).collect();
                Ok(Rentals {
                    chain: info,
                    orders: views(list, now, &entries),
                })
            }
            Err(e) => {
                info.error = Some(e);
                Ok(Rentals {
                    chain: info,
                    orders: vec![],
                })
            }
        }
    }

    /// A machine's rent orders for its form: the chain's (those of `wallet_id`'s address, active
    /// ones), else the machine's own cached list.
    pub async fn rent_orders_find(
        &self,
        node_id: &str,
        wallet_id: Option<&str>,
    ) -> AppResult<RentLookup> {
        let node_id = normalize_node_id(node_id);
        let call = request::rent_orders(&Machine::new(node_id.clone(), None), None)?;
        let address = match wallet_id.filter(|w| !w.is_empty()) {
            Some(id) => Some(self.wallet_address(id).await?),
            None => None,
        };
        let mut chain_error = None;
        if let Some(chain) = self.chain_client().await? {
            match chain_orders_of(&chain, &node_id, address.as_deref()).await {
                Ok(orders) if !orders.is_empty() => {
                    return Ok(RentLookup {
                        orders,
                        source: RentSource::Chain,
                        chain_error: None,
                    })
                }
                Ok(_) => {}
                Err(e) => chain_error = Some(AppError::from(e)),
            }
        }
        let orders = self.client().await?.call(call, &Auth::None).await?;
        Ok(RentLookup {
            orders: machines::sort_rent_orders(orders.rent_orders, address.as_deref()),
            source: RentSource::Node,
            chain_error,
        })
    }

    /// Read the chain and return the warnings now due; the book of fired warnings is saved
    /// (settings) before they are returned, so each fires once, across restarts too.
    pub async fn rent_watch(&self) -> AppResult<Vec<RentAlert>> {
        let Some(chain) = self.chain_client().await? else {
            return Ok(vec![]);
        };
        let renters = self.renters().await?;
        let (now, all, failed, _) = self.read_all(&chain, &renters).await?;
        let ok: Vec<String> = (0..renters.len())
            .filter(|i| !failed.contains(i))
            .map(|i| renters[i].address.clone())
            .collect();
        let everyone: Vec<String> = renters.iter().map(|r| r.address.clone()).collect();
        let rentals: Vec<Rental> = all.into_iter().map(|(r, _)| r).collect();
        let settings = self.settings.get();
        let thresholds: Vec<u64> = settings
            .prefs
            .warn_before_hours
            .iter()
            .map(|h| u64::from(*h) * 3600)
            .collect();
        let mut book = settings.rent_alerts.clone();
        let alerts = book.observe(&ok, &everyone, &rentals, now, &thresholds);
        if book != settings.rent_alerts {
            self.settings.update(|s| {
                s.rent_alerts = book;
                Ok(())
            })?;
        }
        let entries = self.machine_list().await?;
        let lang = crate::words::Lang::from_pref(&self.settings.get().prefs.language);
        let mut recent = self.chain.recent.lock().unwrap();
        let mut seq = recent.first().map_or(0, |a| a.seq);
        let out: Vec<RentAlert> = alerts
            .iter()
            .map(|a| {
                let order = a.rent_order.to_string();
                let label = entries
                    .iter()
                    .find(|e| e.rent_order.as_deref() == Some(order.as_str()))
                    .map(|e| e.label.as_str());
                seq += 1;
                RentAlert {
                    seq,
                    ..alert_text(a, label, lang)
                }
            })
            .collect();
        for a in &out {
            recent.insert(0, a.clone());
        }
        recent.truncate(RECENT);
        Ok(out)
    }

    /// The warnings of this run, newest first.
    pub fn rent_alerts_recent(&self) -> Vec<RentAlert> {
        self.chain.recent.lock().unwrap().clone()
    }
}

/// `machine`'s active orders on the chain, of `renter` when given, as the node's order type.
async fn chain_orders_of(
    chain: &ChainClient,
    machine: &str,
    renter: Option<&str>,
) -> Result<Vec<RentOrder>, dbc_chain::Error> {
    let ids = chain.machine_rent_ids(machine).await?.rent_order;
    let orders = futures::future::try_join_all(ids.iter().map(|id| chain.rent_order(*id))).await?;
    let mut out: Vec<RentOrder> = ids
        .into_iter()
        .zip(orders)
        .filter_map(|(id, o)| Some((id, o?)))
        .filter(|(_, o)| o.rent_status.is_active())
        .filter(|(_, o)| renter.is_none_or(|r| o.renter == r))
        .map(|(id, o)| RentOrder {
            id: id.to_string(),
            renter: o.renter,
            rent_end: o.rent_end.to_string(),
            rent_status: o.rent_status.as_str().to_string(),
            gpu_nums: o.gpu_num,
            gpu_index: o.gpu_index,
        })
        .collect();
    out.sort_by_key(|o| std::cmp::Reverse(o.id.parse::<u64>().unwrap_or(0)));
    Ok(out)
}
