//! Shared harness for the IPC tests: the real command set and state on Tauri's mock runtime.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use dbc_desk_lib::vault::Keychain;
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;
use zeroize::Zeroizing;

pub const DEMO_SEED: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";

/// An in-memory keychain standing in for the OS one; clones share it (an app restarted on the
/// same keychain).
#[derive(Default, Clone)]
pub struct MemKeychain(std::sync::Arc<Mutex<HashMap<String, String>>>);
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
            .map(|s| Zeroizing::new(s.clone())))
    }
    fn delete(&self, name: &str) -> Result<(), String> {
        self.0.lock().unwrap().remove(name);
        Ok(())
    }
}

pub struct Ipc {
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
    _app: tauri::App<tauri::test::MockRuntime>,
    /// The app finds its folders through process-wide environment variables, so two apps in
    /// one test binary would read each other's; one app at a time per process.
    _turn: MutexGuard<'static, ()>,
}

static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

impl Ipc {
    pub fn app(&self) -> &tauri::App<tauri::test::MockRuntime> {
        &self._app
    }
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let req = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.webview, req).map(|b| b.deserialize::<Value>().unwrap())
    }
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

pub fn start(data: &std::path::Path) -> Ipc {
    start_with(data, Box::new(MemKeychain::default()))
}

/// The app with a keychain of the test's choosing.
pub fn start_with(data: &std::path::Path, keychain: Box<dyn Keychain>) -> Ipc {
    // A test that failed while holding the turn poisons the lock; the next one still runs.
    let turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    std::env::set_var("XDG_DATA_HOME", data);
    std::env::set_var("XDG_CONFIG_HOME", data.join("config"));
    std::env::set_var("DBC_DESK_DEMO_SPEED", "2000");
    let app = dbc_desk_lib::build_app(mock_builder())
        .build(mock_context(noop_assets()))
        .expect("app builds");
    dbc_desk_lib::init_state(app.handle(), keychain).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Ipc {
        webview,
        _app: app,
        _turn: turn,
    }
}

pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

impl Ipc {
    /// Quit the way a user does (the last window closes), so the plugins' exit hooks run.
    pub fn exit(self) {
        let Ipc {
            webview,
            _app: app,
            _turn,
        } = self;
        let closer = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            webview.close().unwrap();
        });
        app.run_return(|_, _| {});
        closer.join().unwrap();
    }
}

/// The demo network's simulator control API (faults), over HTTP like any other client of it.
pub struct SimControl {
    url: String,
    rt: tokio::runtime::Runtime,
}

impl SimControl {
    /// The control API of the app's demo network.
    pub fn of_demo(ipc: &Ipc) -> SimControl {
        SimControl {
            url: ipc.ok("app_info", serde_json::json!({}))["demo"]["url"]
                .as_str()
                .unwrap()
                .to_string(),
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
        }
    }
    /// Add a fault (or an array of faults).
    pub fn fault(&self, body: Value) {
        self.rt.block_on(async {
            let r = http()
                .post(format!("{}/__sim/faults", self.url))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    }
    /// Move the simulated clock (and so the chain's blocks) forward.
    pub fn advance(&self, secs: f64) {
        self.rt.block_on(async {
            let r = http()
                .post(format!("{}/__sim/clock/advance", self.url))
                .json(&serde_json::json!({ "secs": secs }))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    }
    /// Remove every fault.
    pub fn clear(&self) {
        self.rt.block_on(async {
            let r = http()
                .delete(format!("{}/__sim/faults", self.url))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        })
    }
}

/// A plain HTTP client for the simulator's control endpoints (TLS provider installed first).
fn http() -> reqwest::Client {
    dbc_api::tls::install_provider();
    reqwest::Client::new()
}

/// The app connected to a simulator of the test's own configuration (not the demo network).
pub struct OwnSim {
    pub ipc: Ipc,
    pub sim: dbc_sim::SimServer,
    pub rt: tokio::runtime::Runtime,
    data: tempfile::TempDir,
    keychain: MemKeychain,
    cfg: dbc_sim::SimConfig,
}

impl OwnSim {
    pub fn start(cfg: dbc_sim::SimConfig) -> OwnSim {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let sim = rt
            .block_on(dbc_sim::SimServer::start(
                cfg.clone(),
                "127.0.0.1:0".parse().unwrap(),
            ))
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        let keychain = MemKeychain::default();
        let ipc = start_with(data.path(), Box::new(keychain.clone()));
        ipc.ok(
            "connection_set",
            serde_json::json!({ "url": sim.base_url() }),
        );
        OwnSim {
            ipc,
            sim,
            rt,
            data,
            keychain,
            cfg,
        }
    }

    /// Quit the app and start it again on the same files and keychain (the simulator runs on).
    pub fn restart(self) -> OwnSim {
        let OwnSim {
            ipc,
            sim,
            rt,
            data,
            keychain,
            cfg,
        } = self;
        drop(ipc);
        let ipc = start_with(data.path(), Box::new(keychain.clone()));
        OwnSim {
            ipc,
            sim,
            rt,
            data,
            keychain,
            cfg,
        }
    }

    /// The app's data folder.
    pub fn data(&self) -> &std::path::Path {
        self.data.path()
    }

    /// The public demo key as a wallet of the app, and the simulator's machine `i` (its first
    /// rent order) signed by it, labelled "b".
    pub fn demo_machine(&self, i: usize) -> (Value, Value) {
        let w = self.demo_wallet();
        let m = &self.cfg.machines[i];
        let input = serde_json::json!({"input": {"label": "b", "node_id": m.node_id,
            "rent_order": m.rent_orders[0].id.to_string(), "wallet_id": w["id"],
            "session_id": null, "session_id_sign": null}});
        (w, self.ipc.ok("machine_add", input))
    }

    /// The public demo key as a wallet of the app.
    pub fn demo_wallet(&self) -> Value {
        self.ipc.ok(
            "wallet_add",
            serde_json::json!({"input": {"name": "Demo", "kind": "seed", "secret": DEMO_SEED, "derivation": "", "password": ""}}),
        )
    }

    pub fn stop(self) {
        let OwnSim { ipc, sim, rt, .. } = self;
        drop(ipc);
        rt.block_on(sim.shutdown());
    }
}
