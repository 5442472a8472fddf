//! Non-secret settings (client URL, wallets' names and addresses, machines, preferences),
//! persisted through `tauri-plugin-store`. Writes are atomic (temp file + rename); a corrupt or
//! foreign file is backed up and reported, never fatal and never silently dropped.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dbc_secrets::write_atomic;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::{Store, StoreBuilder};

use crate::error::{AppError, AppResult};
use crate::models::{MachineEntry, Prefs, WalletInfo};

pub const STORE_FILE: &str = "settings.json";
pub const SCHEMA: u64 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The DBC client node; `None` = the built-in demo network.
    pub client_url: Option<String>,
    pub wallets: Vec<WalletInfo>,
    pub machines: Vec<MachineEntry>,
    pub prefs: Prefs,
    /// Rental warnings already given and the orders watched (`dbc_chain::alerts`).
    pub rent_alerts: dbc_chain::alerts::AlertBook,
    /// Custom forwards sent to each VM (the node does not report them back).
    pub forwards: crate::ports::Forwards,
    /// The public IP last sent to each VM (the node does not report it back), per machine.
    pub public_ips: crate::ports::PublicIps,
    /// The first-run guide was finished or skipped.
    pub guide_done: bool,
    /// Long operations being followed, and the last ones that ended (activity centre).
    pub activities: Vec<crate::activity::Activity>,
}

/// Saves settings somewhere.
pub trait Persist: Send + Sync {
    fn save(&self, s: &Settings) -> Result<(), String>;
}

/// Read settings from the store's `schema` and `settings` keys. `Ok(None)` = nothing saved yet.
pub fn parse(schema: Option<Value>, settings: Option<Value>) -> Result<Option<Settings>, String> {
    match (schema, settings) {
        (None, None) => Ok(None),
        (Some(Value::Number(n)), Some(v)) if n.as_u64() == Some(SCHEMA) => {
            serde_json::from_value(v)
                .map(Some)
                .map_err(|e| format!("its content is not valid ({e})"))
        }
        (Some(Value::Number(n)), _) if n.as_u64().is_some_and(|v| v > SCHEMA) => {
            Err(format!("it was written by a newer DBC Desk (format {n})"))
        }
        _ => Err("it is not a DBC Desk settings file".into()),
    }
}

/// Move a bad file aside, keeping it for the user.
pub fn back_up(path: &Path) -> Option<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let backup = path.with_file_name(format!("{STORE_FILE}.bad-{stamp}"));
    std::fs::rename(path, &backup).ok().map(|_| backup)
}

/// Keeps nothing (benchmarks and tests that need no file).
pub struct NoPersist;

impl Persist for NoPersist {
    fn save(&self, _: &Settings) -> Result<(), String> {
        Ok(())
    }
}

/// The settings in memory and where they are saved: a change lands in memory only once saved.
pub struct SettingsStore {
    current: Mutex<Settings>,
    persist: Box<dyn Persist>,
    /// A problem found while loading (e.g. a corrupt file that was backed up).
    pub warning: Option<String>,
}

impl SettingsStore {
    pub fn new(settings: Settings, persist: Box<dyn Persist>, warning: Option<String>) -> Self {
        SettingsStore {
            current: Mutex::new(settings),
            persist,
            warning,
        }
    }

    pub fn get(&self) -> Settings {
        self.current.lock().unwrap().clone()
    }

    /// Change settings and save them; nothing changes in memory when saving fails.
    pub fn update<T>(&self, f: impl FnOnce(&mut Settings) -> AppResult<T>) -> AppResult<T> {
        let mut guard = self.current.lock().unwrap();
        let mut next = guard.clone();
        let out = f(&mut next)?;
        self.persist.save(&next).map_err(AppError::settings)?;
        *guard = next;
        Ok(out)
    }
}

struct StorePersist<R: Runtime> {
    store: Arc<Store<R>>,
    path: PathBuf,
}

impl<R: Runtime> Persist for StorePersist<R> {
    fn save(&self, s: &Settings) -> Result<(), String> {
        let value = serde_json::to_value(s).map_err(|e| e.to_string())?;
        // Write the next content atomically first; the plugin's in-memory copy changes only once
        // the file holds it, so a failed save leaves nothing behind to resurface later.
        let mut map: serde_json::Map<String, Value> = self.store.entries().into_iter().collect();
        map.insert("schema".into(), SCHEMA.into());
        map.insert("settings".into(), value.clone());
        let bytes = serde_json::to_vec_pretty(&map).map_err(|e| e.to_string())?;
        write_atomic(&self.path, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        self.store.set("schema", SCHEMA);
        self.store.set("settings", value);
        Ok(())
    }
}

/// Open the store: settings, the persister, and a warning when the file had to be set aside.
pub fn open<R: Runtime>(app: &AppHandle<R>) -> (Settings, Box<dyn Persist>, Option<String>) {
    let path = tauri_plugin_store::resolve_store_path(app, STORE_FILE)
        .unwrap_or_else(|_| PathBuf::from(STORE_FILE));
    let build = || {
        StoreBuilder::new(app, STORE_FILE)
            .disable_auto_save()
            .build()
    };
    let mut warning = None;
    let store = build().expect("building a store only resolves its path");
    // The plugin saves every store it tracks at exit, in place (a kill mid-write truncates the
    // file). Ours is saved only by `StorePersist`, atomically: take it off the plugin's list.
    store.close_resource();
    // The plugin ignores a file it cannot parse and would overwrite it on the next save:
    // load it again explicitly to see the error, and keep the file aside.
    if path.exists() {
        if let Err(e) = store.reload() {
            let kept = back_up(&path);
            store.clear();
            warning = Some(describe_backup(
                &format!("it could not be read ({e})"),
                kept.as_deref(),
            ));
        }
    }
    let parsed = if store.is_empty() {
        Ok(None)
    } else {
        // Keys but none of ours: a file that belongs to something else.
        parse(store.get("schema"), store.get("settings")).and_then(|s| {
            s.map(Some)
                .ok_or_else(|| "it is not a DBC Desk settings file".to_string())
        })
    };
    let settings = match parsed {
        Ok(s) => s.unwrap_or_default(),
        Err(why) => {
            let kept = back_up(&path);
            store.clear();
            warning = Some(describe_backup(&why, kept.as_deref()));
            Settings::default()
        }
    };
    (settings, Box::new(StorePersist { store, path }), warning)
}

fn describe_backup(why: &str, kept: Option<&Path>) -> String {
    match kept {
        Some(p) => format!(
            "Your settings file was not used because {why}. It was kept as {} and DBC Desk started with default settings.",
            p.display()
        ),
        None => format!("Your settings file was not used because {why}. DBC Desk started with default settings."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_accepts_ours_and_rejects_foreign_or_future() {
        assert_eq!(parse(None, None).unwrap(), None);
        let s = parse(
            Some(json!(1)),
            Some(json!({"client_url": "http://1.2.3.4:5002"})),
        )
        .unwrap()
        .unwrap();
        assert_eq!(s.client_url.as_deref(), Some("http://1.2.3.4:5002"));
        assert_eq!(s.prefs, Prefs::default());
        assert!(parse(None, Some(json!({})))
            .unwrap_err()
            .contains("not a DBC Desk"));
        assert!(parse(Some(json!("x")), None)
            .unwrap_err()
            .contains("not a DBC Desk"));
        assert!(parse(Some(json!(9)), Some(json!({})))
            .unwrap_err()
            .contains("newer"));
        assert!(parse(Some(json!(1)), Some(json!({"machines": 5})))
            .unwrap_err()
            .contains("not valid"));
    }

    #[test]
    fn back_up_keeps_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(STORE_FILE);
        std::fs::write(&p, b"garbage").unwrap();
        let kept = back_up(&p).unwrap();
        assert!(!p.exists());
        assert_eq!(std::fs::read(kept).unwrap(), b"garbage");
    }
}
