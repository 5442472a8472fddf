//! App state, split by concern: settings, vault, network (client + demo), wallets, fleet. This
//! file holds the composition and the one generic path every machine-level command takes:
//! build the request (field errors return here, before the vault or the network is touched),
//! then resolve auth, then send over the shared client.

use std::sync::Arc;

use dbc_api::auth::Auth;
use dbc_api::keys::Wallet;
use dbc_api::text::{params, Params};
use dbc_api::validate::{Checker, ValidationErrors};
use dbc_api::{request, Call, Client, Machine};
use dbc_secrets::session_entry;
use serde::de::DeserializeOwned;

use crate::error::{AppCode, AppError, AppKey, AppResult, AppRule};
use crate::fleet::Fleet;
use crate::machines;
use crate::models::*;
use crate::network::Network;
use crate::settings::SettingsStore;
use crate::vault::Vault;
use crate::wallets::{Wallets, DEMO_WALLET_ID};

pub struct AppState {
    pub vault: Vault,
    pub settings: SettingsStore,
    pub net: Network,
    pub wallets: Wallets,
    pub fleet: Fleet,
    pub chain: crate::rentals::Chain,
    pub activity: crate::activity::ActivityBook,
    /// The app's cache folder (files handed to other programs, e.g. `.rdp`).
    cache: std::sync::OnceLock<std::path::PathBuf>,
    /// Called after the language setting changed (the shell rebuilds the native menu).
    language_hook: std::sync::Mutex<Option<Box<dyn Fn() + Send + Sync>>>,
    /// When the user last did something (idle auto-lock of the passphrase file).
    last_activity: std::sync::Mutex<std::time::Instant>,
}

impl AppState {
    pub fn new(vault: Vault, settings: SettingsStore) -> Self {
        AppState {
            vault,
            settings,
            net: Network::default(),
            wallets: Wallets::default(),
            fleet: Fleet::default(),
            chain: Default::default(),
            activity: Default::default(),
            language_hook: Default::default(),
            cache: Default::default(),
            last_activity: std::sync::Mutex::new(std::time::Instant::now()),
        }
    }

    /// Where the app may write files for other programs (set once at start).
    pub fn set_cache_dir(&self, dir: std::path::PathBuf) {
        let _ = self.cache.set(dir);
    }

    pub fn cache_dir(&self) -> std::path::PathBuf {
        self.cache
            .get()
            .cloned()
            .unwrap_or_else(|| std::env::temp_dir().join("dbc-desk"))
    }

    /// The language of the words Rust itself shows (names of demo items, notifications).
    pub fn lang(&self) -> crate::words::Lang {
        crate::words::Lang::from_pref(&self.settings.get().prefs.language)
    }

    /// What to do when the language setting changes.
    pub fn on_language_change(&self, f: impl Fn() + Send + Sync + 'static) {
        *self.language_hook.lock().unwrap() = Some(Box::new(f));
    }

    fn client_url(&self) -> Option<String> {
        self.settings.get().client_url
    }

    /// The shared client of the current connection.
    pub async fn client(&self) -> AppResult<Client> {
        self.net.client(self.client_url().as_deref()).await
    }

    async fn demo(&self) -> AppResult<Option<(DemoInfo, Arc<Wallet>)>> {
        self.net.demo(self.client_url().as_deref()).await
    }

    /// The demo network, when it is in use.
    pub(crate) async fn net_demo(&self) -> AppResult<Option<DemoInfo>> {
        Ok(self.demo().await?.map(|(info, _)| info))
    }

    pub async fn app_info(&self) -> AppResult<AppInfo> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            demo: self.demo().await?.map(|(i, _)| i),
            client_url: self.client_url(),
            settings_warning: self.settings.warning.clone(),
            vault: self.vault.status(),
            guide_done: self.settings.get().guide_done,
        })
    }

    /// The first-run guide is over (finished or skipped; it can be opened again from Help).
    pub fn guide_done(&self, done: bool) -> AppResult<()> {
        self.settings.update(|s| {
            s.guide_done = done;
            Ok(())
        })
    }

    pub async fn set_client(&self, url: Option<String>) -> AppResult<AppInfo> {
        let url = match url.filter(|u| !u.trim().is_empty()) {
            Some(u) => Some(dbc_api::client::normalize_base_url(&u)?),
            None => None,
        };
        self.settings.update(|s| {
            s.client_url = url.clone();
            Ok(())
        })?;
        if url.is_some() {
            self.net.stop_demo().await;
        }
        self.fleet.forget_all();
        self.app_info().await
    }

    pub fn prefs_set(&self, prefs: Prefs) -> AppResult<Prefs> {
        let mut c = Checker::new();
        if !(500..=60_000).contains(&prefs.poll_fast_ms) {
            c.fail("poll_fast_ms", AppRule::PollFastRange);
        }
        if !(2_000..=600_000).contains(&prefs.poll_slow_ms) {
            c.fail("poll_slow_ms", AppRule::PollSlowRange);
        }
        if prefs.poll_slow_ms < prefs.poll_fast_ms {
            c.fail("poll_slow_ms", AppRule::PollOrder);
        }
        if prefs.auto_lock_minutes > 24 * 60 {
            c.fail("auto_lock_minutes", AppRule::AutoLockRange);
        }
        if prefs.chain_source == ChainSource::Custom {
            if let Err(e) = dbc_chain::ChainClient::new(&prefs.chain_url, Default::default()) {
                c.fail_with(
                    "chain_url",
                    AppRule::ChainUrl,
                    params([("detail", e.to_string())]),
                );
            }
        }
        if prefs.warn_before_hours.len() > 6 {
            c.fail("warn_before_hours", AppRule::WarnCount);
        }
        if prefs
            .warn_before_hours
            .iter()
            .any(|h| !(1..=720).contains(h))
        {
            c.fail("warn_before_hours", AppRule::WarnRange);
        }
        if !crate::words::LANGUAGE_PREFS.contains(&prefs.language.as_str()) {
            c.fail("language", AppRule::LanguageUnknown);
        }
        c.finish(())?;
        let before = self.settings.get().prefs.language;
        let saved = self.settings.update(|s| {
            s.prefs = prefs.clone();
            Ok(prefs)
        })?;
        if saved.language != before {
            if let Some(hook) = self.language_hook.lock().unwrap().as_ref() {
                hook();
            }
        }
        Ok(saved)
    }

    // ---- vault lock ----------------------------------------------------------------------------

    /// The user did something: the idle auto-lock starts counting again.
    pub fn touch(&self) {
        *self.last_activity.lock().unwrap() = std::time::Instant::now();
    }

    /// Lock the passphrase file now and drop the decoded keys; true when it was unlocked.
    pub fn lock_vault(&self) -> bool {
        let locked = self.vault.lock();
        self.wallets.forget_keys();
        locked
    }

    /// Lock the passphrase file when the user has been idle for the configured time (checked
    /// by a timer; `now` is a parameter so tests need not wait). True when it locked now.
    pub fn lock_if_idle(&self, now: std::time::Instant) -> bool {
        let minutes = self.settings.get().prefs.auto_lock_minutes;
        let idle = now.saturating_duration_since(*self.last_activity.lock().unwrap());
        minutes > 0
            && idle >= std::time::Duration::from_secs(u64::from(minutes) * 60)
            && self.lock_vault()
    }

    // ---- wallets -----------------------------------------------------------------------------

    pub async fn wallet_list(&self) -> AppResult<Vec<WalletInfo>> {
        let mut list = self.settings.get().wallets;
        if let Some((info, _)) = self.demo().await? {
            list.insert(
                0,
                WalletInfo {
                    id: DEMO_WALLET_ID.into(),
                    name: crate::words::text(self.lang(), "native.demo.wallet", &[]),
                    address: info.wallet_address,
                },
            );
        }
        Ok(list)
    }

    pub fn wallet_add(&self, input: WalletImport) -> AppResult<WalletInfo> {
        self.wallets.add(&self.settings, &self.vault, input)
    }

    pub fn wallet_remove(&self, id: &str) -> AppResult<()> {
        self.wallets.remove(&self.settings, &self.vault, id)
    }

    async fn key(&self, wallet_id: &str) -> AppResult<Arc<Wallet>> {
        if wallet_id == DEMO_WALLET_ID {
            return match self.demo().await? {
                Some((_, w)) => Ok(w),
                None => Err(AppError::field(
                    "wallet_id",
                    AppRule::DemoWallet,
                    Params::new(),
                )),
            };
        }
        self.wallets.key(&self.settings, &self.vault, wallet_id)
    }

    // ---- machines ----------------------------------------------------------------------------

    pub async fn machine_list(&self) -> AppResult<Vec<MachineEntry>> {
        let mut list = self.settings.get().machines;
        if let Some((info, _)) = self.demo().await? {
            list.extend(machines::demo_entries(&info, self.lang()));
        }
        Ok(list)
    }

    pub fn machine_add(&self, input: MachineInput) -> AppResult<MachineEntry> {
        let wallets = self.settings.get().wallets;
        let id = uuid::Uuid::new_v4().to_string();
        let (entry, sign) = machines::from_input(id, &input, &wallets, None)?;
        if let Some(sign) = &sign {
            self.vault.put(&session_entry(&entry.id), sign)?;
        }
        self.settings.update(|s| {
            s.machines.push(entry.clone());
            Ok(())
        })?;
        Ok(entry)
    }

    /// Edit a saved machine (label, rent order id, auth…).
    pub fn machine_update(&self, id: &str, input: MachineInput) -> AppResult<MachineEntry> {
        let s = self.settings.get();
        let old = s
            .machines
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| AppError::missing(AppKey::MachineNotFoundEdit))?;
        let keep = match &old.auth {
            MachineAuth::Session { session_id } => Some(session_id.as_str()),
            MachineAuth::Wallet { .. } | MachineAuth::Multisig { .. } => None,
        };
        let (entry, sign) = machines::from_input(old.id.clone(), &input, &s.wallets, keep)?;
        if let Some(sign) = &sign {
            self.vault.put(&session_entry(&entry.id), sign)?;
        }
        self.settings.update(|s| {
            if let Some(slot) = s.machines.iter_mut().find(|m| m.id == entry.id) {
                *slot = entry.clone();
            }
            Ok(())
        })?;
        if keep.is_some() && !matches!(entry.auth, MachineAuth::Session { .. }) {
            self.vault.delete(&session_entry(&entry.id))?;
        }
        self.fleet.changed(id);
        Ok(entry)
    }

    pub fn machine_remove(&self, id: &str) -> AppResult<()> {
        let removed = self.settings.update(|s| {
            let pos = s
                .machines
                .iter()
                .position(|m| m.id == id)
                .ok_or_else(|| AppError::missing(AppKey::MachineNotFoundRemove))?;
            Ok(s.machines.remove(pos))
        })?;
        if let MachineAuth::Session { .. } = removed.auth {
            self.vault.delete(&session_entry(id))?;
        }
        Ok(())
    }

    /// A wallet's address (no secret is read).
    pub async fn wallet_address(&self, wallet_id: &str) -> AppResult<String> {
        self.wallet_list()
            .await?
            .into_iter()
            .find(|w| w.id == wallet_id)
            .map(|w| w.address)
            .ok_or_else(|| AppError::field("wallet_id", AppRule::WalletUnknown, Params::new()))
    }

    /// A configured machine (no secret is read).
    pub async fn entry(&self, machine_id: &str) -> AppResult<MachineEntry> {
        self.machine_list()
            .await?
            .into_iter()
            .find(|m| m.id == machine_id)
            .ok_or_else(|| AppError::missing(AppKey::MachineNotConfigured))
    }

    /// How a machine's requests are signed (reads the vault when the key is not loaded yet).
    pub async fn auth_for(&self, entry: &MachineEntry) -> AppResult<Auth> {
        Ok(match &entry.auth {
            MachineAuth::Wallet { wallet_id } => Auth::Wallet(self.key(wallet_id).await?),
            MachineAuth::Multisig {
                members,
                threshold,
                signer_ids,
            } => {
                let mut signers = Vec::new();
                for id in signer_ids {
                    signers.push(self.key(id).await?);
                }
                Auth::Multisig {
                    wallets: members.clone(),
                    threshold: *threshold,
                    signers,
                }
            }
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

    /// The one path of every machine-level command: build (field errors first, before any
    /// secret or network), sign with the machine's auth, send over the shared client. A call that
    /// changes something drops the machine's cached info, whatever its outcome (a failed or
    /// ambiguous call may still have acted).
    pub async fn send<T, B>(&self, machine_id: &str, build: B) -> AppResult<T>
    where
        T: DeserializeOwned,
        B: FnOnce(&Machine) -> Result<Call<T>, ValidationErrors>,
    {
        let entry = self.entry(machine_id).await?;
        let call = build(&entry.target())?;
        let auth = self.auth_for(&entry).await?;
        let client = self.client().await?;
        let (op, mutating) = (call.op, call.mutating);
        let out = client.call(call, &auth).await;
        if mutating {
            self.fleet.changed(machine_id);
        }
        out.map_err(|e| AppError::from_call(op, e))
    }

    /// Every machine with its info and VMs, fetched concurrently.
    pub async fn fleet(&self, fresh: bool) -> AppResult<Vec<FleetMachine>> {
        if fresh {
            self.fleet.forget_info();
        }
        let client = self.client().await?;
        let jobs = self.machine_list().await?.into_iter().map(|entry| {
            let client = client.clone();
            async move {
                let auth = self.auth_for(&entry).await;
                self.fleet.machine(&client, entry, auth).await
            }
        });
        Ok(futures::future::join_all(jobs).await)
    }

    pub async fn session_share(&self, machine_id: &str) -> AppResult<SharedSession> {
        let entry = self.entry(machine_id).await?;
        let call = request::session_id(&entry.target())?;
        let MachineAuth::Wallet { wallet_id } = &entry.auth else {
            return Err(AppError::new(
                AppCode::Conflict,
                AppKey::ShareRenterOnly,
                Params::new(),
            ));
        };
        let w = self.key(wallet_id).await?;
        let reply = self
            .client()
            .await?
            .call(call, &Auth::Wallet(w.clone()))
            .await?;
        Ok(SharedSession {
            node_id: entry.node_id,
            rent_order: entry.rent_order,
            session_id_sign: w.sign_hex(reply.session_id.as_bytes()),
            session_id: reply.session_id,
        })
    }
}
