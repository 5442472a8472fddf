//! App state: settings, vault, the DBC client (or the built-in demo network) and the glue that
//! turns a configured machine into a `dbc_api` target with its auth.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dbc_api::auth::Auth;
use dbc_api::keys::{Secret, Wallet};
use dbc_api::models::{MachineInfo, RentOrder, TaskSummary};
use dbc_api::request::Machine;
use dbc_api::validate::Checker;
use dbc_api::Client;
use dbc_secrets::{session_entry, wallet_entry};
use dbc_sim::{SimConfig, SimServer};

use crate::error::{AppError, AppResult};
use crate::models::*;
use crate::settings::{Persist, Settings};
use crate::vault::Vault;

/// Wallet id of the public demo wallet (in memory only, never stored).
pub const DEMO_WALLET_ID: &str = "demo";
/// Speed of the demo network's clock: VM creation (10 min on a real node) takes seconds.
pub const DEMO_SPEED: f64 = 100.0;

struct Demo {
    server: SimServer,
    info: DemoInfo,
    wallet: Arc<Wallet>,
}

pub struct AppState {
    pub vault: Vault,
    settings: Mutex<Settings>,
    persist: Box<dyn Persist>,
    pub settings_warning: Option<String>,
    demo: tokio::sync::Mutex<Option<Demo>>,
    wallets: Mutex<HashMap<String, Arc<Wallet>>>,
    /// Rent orders change rarely: keep them for a while instead of asking on every poll.
    rent_cache: Mutex<HashMap<(String, String), (Instant, RentOrder)>>,
    /// Machine info changes slowly and is costly for the node to gather: reused for a while
    /// (VM lists are always fetched fresh), and dropped after any change made through the app.
    info_cache: Mutex<HashMap<String, (Instant, MachineInfo)>>,
    /// The last answer of each machine, shown (marked stale) while it does not answer.
    last_seen: Mutex<HashMap<String, LastSeen>>,
    /// How long one machine may take in a fleet refresh before it is reported as not answering.
    fleet_timeout: Duration,
}

type LastSeen = (Option<MachineInfo>, Option<Vec<TaskSummary>>);

/// Default per-machine wait in a fleet refresh (a real gateway waits 30 s for a silent machine:
/// one offline machine must not freeze the whole view).
pub const FLEET_TIMEOUT: Duration = Duration::from_secs(10);

/// How long fetched machine info is reused.
const INFO_TTL: Duration = Duration::from_secs(30);

/// How long a fetched rent order is reused.
const RENT_TTL: Duration = Duration::from_secs(120);

impl AppState {
    pub fn new(
        vault: Vault,
        settings: Settings,
        persist: Box<dyn Persist>,
        settings_warning: Option<String>,
    ) -> Self {
        AppState {
            vault,
            settings: Mutex::new(settings),
            persist,
            settings_warning,
            demo: tokio::sync::Mutex::new(None),
            wallets: Mutex::new(HashMap::new()),
            rent_cache: Mutex::new(HashMap::new()),
            info_cache: Mutex::new(HashMap::new()),
            last_seen: Mutex::new(HashMap::new()),
            fleet_timeout: std::env::var("DBC_DESK_FLEET_TIMEOUT_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis)
                .unwrap_or(FLEET_TIMEOUT),
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().unwrap().clone()
    }

    /// Change settings and save them; nothing changes in memory when saving fails.
    fn update<T>(&self, f: impl FnOnce(&mut Settings) -> AppResult<T>) -> AppResult<T> {
        let mut guard = self.settings.lock().unwrap();
        let mut next = guard.clone();
        let out = f(&mut next)?;
        self.persist.save(&next).map_err(AppError::settings)?;
        *guard = next;
        Ok(out)
    }

    // ---- network -----------------------------------------------------------------------------

    /// Start the demo network when no client is configured (once), and return it.
    async fn demo(&self) -> AppResult<Option<(DemoInfo, Arc<Wallet>)>> {
        if self.settings().client_url.is_some() {
            return Ok(None);
        }
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            let speed = std::env::var("DBC_DESK_DEMO_SPEED")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(DEMO_SPEED);
            let config = SimConfig::demo().with_speed(speed);
            let wallet =
                Arc::new(Wallet::from_hex_seed(dbc_sim::DEMO_SEED_HEX).map_err(AppError::from)?);
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
                .map_err(|e| {
                    AppError::internal(format!("the demo network could not start: {e}"))
                })?;
            let info = DemoInfo {
                url: server.base_url(),
                wallet_address: wallet.address().to_string(),
                machines,
            };
            *demo = Some(Demo {
                server,
                info,
                wallet,
            });
        }
        Ok(demo.as_ref().map(|d| (d.info.clone(), d.wallet.clone())))
    }

    /// Stop the demo network (after switching to a real client).
    async fn stop_demo(&self) {
        if let Some(d) = self.demo.lock().await.take() {
            d.server.shutdown().await;
        }
    }

    pub async fn client(&self) -> AppResult<Client> {
        let url = match self.settings().client_url {
            Some(u) => u,
            None => self
                .demo()
                .await?
                .map(|(i, _)| i.url)
                .ok_or_else(|| AppError::internal("no client"))?,
        };
        Ok(Client::connect(&url)?)
    }

    pub async fn app_info(&self) -> AppResult<AppInfo> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            demo: self.demo().await?.map(|(i, _)| i),
            client_url: self.settings().client_url,
            settings_warning: self.settings_warning.clone(),
            vault: self.vault.status(),
        })
    }

    pub async fn set_client(&self, url: Option<String>) -> AppResult<AppInfo> {
        let url = match url.filter(|u| !u.trim().is_empty()) {
            Some(u) => Some(dbc_api::client::normalize_base_url(&u)?),
            None => None,
        };
        self.update(|s| {
            s.client_url = url.clone();
            Ok(())
        })?;
        if url.is_some() {
            self.stop_demo().await;
        }
        // What was seen on the previous network says nothing about the new one.
        self.last_seen.lock().unwrap().clear();
        self.rent_cache.lock().unwrap().clear();
        self.info_cache.lock().unwrap().clear();
        self.app_info().await
    }

    // ---- wallets -----------------------------------------------------------------------------

    pub async fn wallets(&self) -> AppResult<Vec<WalletInfo>> {
        let mut list = self.settings().wallets;
        if let Some((info, _)) = self.demo().await? {
            list.insert(
                0,
                WalletInfo {
                    id: DEMO_WALLET_ID.into(),
                    name: "Demo wallet (public test key)".into(),
                    address: info.wallet_address,
                },
            );
        }
        Ok(list)
    }

    pub fn add_wallet(&self, input: WalletImport) -> AppResult<WalletInfo> {
        let name = input.name.trim().to_string();
        let mut c = Checker::new();
        if c.required("name", &name) {
            c.free_text("name", &name, 64);
        }
        if input.secret.expose().trim().is_empty() {
            c.fail("secret", "required", "paste the secret here");
        }
        if input.kind == ImportKind::Keystore && input.password.expose().is_empty() {
            c.fail(
                "password",
                "required",
                "the keystore's password is required",
            );
        }
        c.finish(())?;
        let (secret, password) = (input.secret, input.password);
        let wallet = match input.kind {
            ImportKind::Seed => {
                let t = secret.expose().trim();
                if t.split_whitespace().count() > 1 {
                    return Err(AppError::field(
                        "secret",
                        "format",
                        "this looks like a phrase: choose the mnemonic tab",
                    ));
                }
                Wallet::from_hex_seed(t)?
            }
            ImportKind::Mnemonic => {
                let d = input.derivation.trim();
                if !d.is_empty() && !d.starts_with('/') {
                    return Err(AppError::field(
                        "derivation",
                        "format",
                        "a derivation path starts with / or //, e.g. //hard/soft",
                    ));
                }
                let uri = Secret::new(format!("{}{d}", secret.expose().trim()));
                let pw = (!password.expose().is_empty()).then_some(password.expose());
                Wallet::from_secret_uri(uri.expose(), pw)?
            }
            ImportKind::Keystore => {
                dbc_api::keystore::import_polkadot_js(secret.expose(), &password)?
            }
        };
        let info = WalletInfo {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            address: wallet.address().to_string(),
        };
        if self
            .settings()
            .wallets
            .iter()
            .any(|w| w.address == info.address)
        {
            return Err(AppError::field(
                "secret",
                "duplicate",
                "this wallet is already in DBC Desk",
            ));
        }
        self.vault
            .put(&wallet_entry(&info.address), &wallet.export_raw_secret())?;
        let saved = self.update(|s| {
            s.wallets.push(info.clone());
            Ok(())
        });
        if let Err(e) = saved {
            let _ = self.vault.delete(&wallet_entry(&info.address));
            return Err(e);
        }
        self.wallets
            .lock()
            .unwrap()
            .insert(info.id.clone(), Arc::new(wallet));
        Ok(info)
    }

    pub fn remove_wallet(&self, id: &str) -> AppResult<()> {
        if let Some(m) = self.settings().machines.iter().find(|m| {
            m.auth
                == MachineAuth::Wallet {
                    wallet_id: id.into(),
                }
        }) {
            return Err(AppError::new(
                "validation",
                "Wallet in use",
                format!("The machine \"{}\" signs with this wallet.", m.label),
                Some("Remove that machine first."),
            ));
        }
        let removed = self.update(|s| {
            let pos = s.wallets.iter().position(|w| w.id == id).ok_or_else(|| {
                AppError::new("not_found", "Not found", "There is no such wallet.", None)
            })?;
            Ok(s.wallets.remove(pos))
        })?;
        self.wallets.lock().unwrap().remove(id);
        self.vault.delete(&wallet_entry(&removed.address))
    }

    async fn wallet(&self, id: &str) -> AppResult<Arc<Wallet>> {
        if id == DEMO_WALLET_ID {
            return match self.demo().await? {
                Some((_, w)) => Ok(w),
                None => Err(AppError::new(
                    "validation",
                    "Demo wallet",
                    "The demo wallet only works on the demo network.",
                    None,
                )),
            };
        }
        if let Some(w) = self.wallets.lock().unwrap().get(id) {
            return Ok(w.clone());
        }
        let Some(info) = self.settings().wallets.into_iter().find(|w| w.id == id) else {
            return Err(AppError::new(
                "not_found",
                "Wallet missing",
                "The wallet this machine uses was removed.",
                Some("Edit the machine and pick another wallet."),
            ));
        };
        let secret = self.vault.get(&wallet_entry(&info.address))?;
        let w = Arc::new(Wallet::from_raw_secret(&secret)?);
        if w.address() != info.address {
            return Err(AppError::vault(
                "The keychain holds a different key for this wallet.",
                Some("Remove the wallet and import it again."),
            ));
        }
        self.wallets.lock().unwrap().insert(id.into(), w.clone());
        Ok(w)
    }

    // ---- machines ----------------------------------------------------------------------------

    pub async fn machines(&self) -> AppResult<Vec<MachineEntry>> {
        let mut list = self.settings().machines;
        if let Some((info, _)) = self.demo().await? {
            for (i, m) in info.machines.iter().enumerate() {
                list.push(MachineEntry {
                    id: format!("demo-{}", i + 1),
                    label: format!("{} (demo)", m.name),
                    node_id: m.node_id.clone(),
                    rent_order: m.rent_order.clone(),
                    auth: MachineAuth::Wallet {
                        wallet_id: DEMO_WALLET_ID.into(),
                    },
                    demo: true,
                });
            }
        }
        Ok(list)
    }

    /// Check a machine form and build the entry. A shared session's signature is returned apart
    /// (it goes to the vault). When editing a machine that keeps the same session id, an empty
    /// signature means "keep the stored one" (`keep_session`).
    fn machine_from_input(
        &self,
        id: String,
        input: &MachineInput,
        keep_session: Option<&str>,
    ) -> AppResult<(MachineEntry, Option<Secret>)> {
        let mut c = Checker::new();
        let label = input.label.trim().to_string();
        if c.required("label", &label) {
            c.free_text("label", &label, 64);
        }
        let node_id = input.node_id.trim().to_ascii_lowercase();
        let node_id = node_id.strip_prefix("0x").unwrap_or(&node_id).to_string();
        c.node_id("node_id", &node_id);
        let rent_order = input.rent_order.trim().to_string();
        if !rent_order.is_empty() {
            c.rent_order("rent_order", &rent_order);
        }
        let session = input
            .session_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let mut sign_out = None;
        let auth = match (
            input.wallet_id.as_deref().filter(|w| !w.is_empty()),
            session,
        ) {
            (Some(w), None) => {
                if w != DEMO_WALLET_ID && !self.settings().wallets.iter().any(|x| x.id == w) {
                    c.fail("wallet_id", "unknown", "pick one of your wallets");
                }
                Some(MachineAuth::Wallet {
                    wallet_id: w.into(),
                })
            }
            (None, Some(sid)) => {
                c.free_text("session_id", sid, 128);
                let sign = input
                    .session_id_sign
                    .as_ref()
                    .map_or("", Secret::expose)
                    .trim();
                let hex = sign.strip_prefix("0x").unwrap_or(sign);
                let keep = sign.is_empty() && keep_session == Some(sid);
                if !keep {
                    if hex.len() != 128 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        c.fail(
                            "session_id_sign",
                            "format",
                            "the signature is 128 hex characters",
                        );
                    } else {
                        sign_out = Some(Secret::new(sign));
                    }
                }
                Some(MachineAuth::Session {
                    session_id: sid.into(),
                })
            }
            _ => {
                c.fail(
                    "auth",
                    "required",
                    "choose a wallet, or paste a session someone shared with you",
                );
                None
            }
        };
        c.finish(())?;
        let entry = MachineEntry {
            id,
            label,
            node_id,
            rent_order: (!rent_order.is_empty()).then_some(rent_order),
            auth: auth.expect("checked above"),
            demo: false,
        };
        Ok((entry, sign_out))
    }

    pub async fn add_machine(&self, input: MachineInput) -> AppResult<MachineEntry> {
        let (entry, sign) =
            self.machine_from_input(uuid::Uuid::new_v4().to_string(), &input, None)?;
        if let Some(sign) = &sign {
            self.vault.put(&session_entry(&entry.id), sign)?;
        }
        self.update(|s| {
            s.machines.push(entry.clone());
            Ok(())
        })?;
        Ok(entry)
    }

    /// Edit a saved machine (label, rent order id, auth…).
    pub async fn update_machine(&self, id: &str, input: MachineInput) -> AppResult<MachineEntry> {
        let old = self
            .settings()
            .machines
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| {
                AppError::new(
                    "not_found",
                    "Not found",
                    "There is no such machine (demo machines cannot be edited).",
                    None,
                )
            })?;
        let keep = match &old.auth {
            MachineAuth::Session { session_id } => Some(session_id.as_str()),
            MachineAuth::Wallet { .. } => None,
        };
        let (entry, sign) = self.machine_from_input(old.id.clone(), &input, keep)?;
        if let Some(sign) = &sign {
            self.vault.put(&session_entry(&entry.id), sign)?;
        }
        self.update(|s| {
            if let Some(slot) = s.machines.iter_mut().find(|m| m.id == entry.id) {
                *slot = entry.clone();
            }
            Ok(())
        })?;
        if matches!(old.auth, MachineAuth::Session { .. })
            && matches!(entry.auth, MachineAuth::Wallet { .. })
        {
            self.vault.delete(&session_entry(&entry.id))?;
        }
        Ok(entry)
    }

    pub fn remove_machine(&self, id: &str) -> AppResult<()> {
        let removed = self.update(|s| {
            let pos = s.machines.iter().position(|m| m.id == id).ok_or_else(|| {
                AppError::new(
                    "not_found",
                    "Not found",
                    "There is no such machine (demo machines cannot be removed).",
                    None,
                )
            })?;
            Ok(s.machines.remove(pos))
        })?;
        if let MachineAuth::Session { .. } = removed.auth {
            self.vault.delete(&session_entry(id))?;
        }
        Ok(())
    }

    /// Rent orders the machine knows about (no auth needed), those of `wallet_id`'s address first
    /// and active ones before ended ones: helps a renter find the id to put in `rent_order`.
    pub async fn find_rent_orders(
        &self,
        node_id: &str,
        wallet_id: Option<&str>,
    ) -> AppResult<Vec<RentOrder>> {
        let node_id = node_id.trim().to_ascii_lowercase();
        let node_id = node_id.strip_prefix("0x").unwrap_or(&node_id).to_string();
        let mut c = Checker::new();
        c.node_id("node_id", &node_id);
        c.finish(())?;
        let address = match wallet_id.filter(|w| !w.is_empty()) {
            Some(id) => Some(self.wallet(id).await?.address().to_string()),
            None => None,
        };
        let m = Machine::new(node_id, None);
        let mut orders = self
            .client()
            .await?
            .rent_orders(&m, None)
            .await?
            .rent_orders;
        if let Some(addr) = &address {
            orders.retain(|o| &o.renter == addr);
        }
        let active =
            |o: &RentOrder| matches!(o.rent_status.as_str(), "renting" | "waitingVerifying");
        orders.sort_by_key(|o| {
            (
                !active(o),
                std::cmp::Reverse(o.id.parse::<u64>().unwrap_or(0)),
            )
        });
        Ok(orders)
    }

    /// Run a read-only call against a configured machine (its target, auth and the client).
    pub async fn read<T, F, Fut>(&self, machine_id: &str, call: F) -> AppResult<T>
    where
        F: FnOnce(Client, Machine, Auth) -> Fut,
        Fut: std::future::Future<Output = Result<T, dbc_api::Error>>,
    {
        let (_, m, auth) = self.target(machine_id).await?;
        Ok(call(self.client().await?, m, auth).await?)
    }

    /// Run a call that changes something on a machine; whatever the outcome (a failed or
    /// ambiguous call may still have acted), its cached info is fetched again next time.
    pub async fn change<T, F, Fut>(&self, machine_id: &str, call: F) -> AppResult<T>
    where
        F: FnOnce(Client, Machine, Auth) -> Fut,
        Fut: std::future::Future<Output = Result<T, dbc_api::Error>>,
    {
        let out = self.read(machine_id, call).await;
        self.changed(machine_id);
        out
    }

    /// A machine's target and auth.
    pub async fn target(&self, machine_id: &str) -> AppResult<(MachineEntry, Machine, Auth)> {
        let entry = self
            .machines()
            .await?
            .into_iter()
            .find(|m| m.id == machine_id)
            .ok_or_else(|| {
                AppError::new(
                    "not_found",
                    "Not found",
                    "This machine is no longer configured.",
                    None,
                )
            })?;
        let auth = self.auth_for(&entry).await?;
        let m = Machine::new(entry.node_id.clone(), entry.rent_order.clone());
        Ok((entry, m, auth))
    }

    async fn auth_for(&self, entry: &MachineEntry) -> AppResult<Auth> {
        Ok(match &entry.auth {
            MachineAuth::Wallet { wallet_id } => Auth::Wallet(self.wallet(wallet_id).await?),
            MachineAuth::Session { session_id } => Auth::Session {
                session_id: session_id.clone(),
                session_id_sign: self
                    .vault
                    .get(&session_entry(&entry.id))?
                    .expose()
                    .to_string(),
            },
        })
    }

    /// Every machine with its info and VMs, fetched concurrently.
    pub async fn fleet(&self) -> AppResult<Vec<FleetMachine>> {
        let client = self.client().await?;
        let machines = self.machines().await?;
        let jobs = machines.into_iter().map(|entry| {
            let client = client.clone();
            async move {
                let m = Machine::new(entry.node_id.clone(), entry.rent_order.clone());
                let auth = match self.auth_for(&entry).await {
                    Ok(a) => a,
                    Err(e) => {
                        return FleetMachine {
                            entry,
                            info: None,
                            rent: None,
                            tasks: Vec::new(),
                            error: Some(e),
                            stale: false,
                        }
                    }
                };
                let fetch = async {
                    futures::join!(
                        self.machine_info(&client, &entry.id, &m),
                        client.task_list(&m, &auth),
                        self.rent_order(&client, &m)
                    )
                };
                let (info, tasks, rent) =
                    match tokio::time::timeout(self.fleet_timeout, fetch).await {
                        Ok(done) => done,
                        Err(_) => {
                            let late = dbc_api::Error::Timeout {
                                origin: dbc_api::error::TimeoutOrigin::Client,
                                message: format!(
                                "the machine did not answer within {} s; it may be offline or busy",
                                self.fleet_timeout.as_secs_f64()
                            ),
                                reply: None,
                            };
                            (Err(late.clone()), Err(late), None)
                        }
                    };
                let error = match (&info, &tasks) {
                    (_, Err(e)) | (Err(e), _) => Some(AppError::from(e.clone())),
                    _ => None,
                };
                // Keep showing what was last seen while a machine does not answer.
                let mut seen = self.last_seen.lock().unwrap();
                let last = seen.entry(entry.id.clone()).or_default();
                let stale = info.is_err() && last.0.is_some() || tasks.is_err() && last.1.is_some();
                let info = match info {
                    Ok(i) => {
                        last.0 = Some(i.clone());
                        Some(i)
                    }
                    Err(_) => last.0.clone(),
                };
                let mut tasks = match tasks {
                    Ok(t) => {
                        last.1 = Some(t.clone());
                        t
                    }
                    Err(_) => last.1.clone().unwrap_or_default(),
                };
                drop(seen);
                tasks.sort_by(|a, b| {
                    b.create_time
                        .cmp(&a.create_time)
                        .then(a.task_id.cmp(&b.task_id))
                });
                FleetMachine {
                    entry,
                    info,
                    rent,
                    tasks,
                    error,
                    stale,
                }
            }
        });
        Ok(futures::future::join_all(jobs).await)
    }

    /// Machine info, from the cache while it is fresh.
    async fn machine_info(
        &self,
        client: &Client,
        machine_id: &str,
        m: &Machine,
    ) -> Result<MachineInfo, dbc_api::Error> {
        if let Some((at, info)) = self.info_cache.lock().unwrap().get(machine_id) {
            if at.elapsed() < INFO_TTL {
                return Ok(info.clone());
            }
        }
        let info = client.machine_info(m, None).await?;
        self.info_cache
            .lock()
            .unwrap()
            .insert(machine_id.to_string(), (Instant::now(), info.clone()));
        Ok(info)
    }

    /// The user asked for a full refresh: ask every machine for its info again.
    pub fn forget_info(&self) {
        self.info_cache.lock().unwrap().clear();
    }

    /// Something was changed on a machine through the app: its info (GPUs used, images, disk
    /// space) is fetched again on the next refresh.
    pub fn changed(&self, machine_id: &str) {
        self.info_cache.lock().unwrap().remove(machine_id);
    }

    /// The machine's rent order as the node sees it (cached; `None` when unknown or unreachable).
    async fn rent_order(&self, client: &Client, m: &Machine) -> Option<RentOrder> {
        let id = m.rent_order.clone()?;
        let key = (m.node_id.clone(), id.clone());
        if let Some((at, order)) = self.rent_cache.lock().unwrap().get(&key) {
            if at.elapsed() < RENT_TTL {
                return Some(order.clone());
            }
        }
        let order = client
            .rent_orders(m, Some(&id))
            .await
            .ok()?
            .rent_orders
            .into_iter()
            .find(|o| o.id == id)?;
        self.rent_cache
            .lock()
            .unwrap()
            .insert(key, (Instant::now(), order.clone()));
        Some(order)
    }

    pub async fn share_session(&self, machine_id: &str) -> AppResult<SharedSession> {
        let (entry, m, auth) = self.target(machine_id).await?;
        let Auth::Wallet(w) = &auth else {
            return Err(AppError::new(
                "validation",
                "Only the renter can share",
                "This machine uses a session shared with you; only the renter's wallet can share access.",
                None,
            ));
        };
        let reply = self.client().await?.session_id(&m, &auth).await?;
        Ok(SharedSession {
            node_id: entry.node_id,
            rent_order: entry.rent_order,
            session_id_sign: w.sign_hex(reply.session_id.as_bytes()),
            session_id: reply.session_id,
        })
    }

    pub fn prefs_set(&self, prefs: Prefs) -> AppResult<Prefs> {
        let mut c = Checker::new();
        if !(500..=60_000).contains(&prefs.poll_fast_ms) {
            c.fail("poll_fast_ms", "range", "between 500 ms and 60 s");
        }
        if !(2_000..=600_000).contains(&prefs.poll_slow_ms) {
            c.fail("poll_slow_ms", "range", "between 2 s and 10 minutes");
        }
        c.finish(())?;
        self.update(|s| {
            s.prefs = prefs.clone();
            Ok(prefs)
        })
    }
}
