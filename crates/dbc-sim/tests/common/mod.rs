#![allow(dead_code)]
//! Test helper: starts the simulator in-process and signs requests with sp-core (not dbc-api).

use std::sync::atomic::{AtomicU64, Ordering};

use dbc_sim::{Control, SimConfig, SimServer, DEMO_SEED_HEX};
use serde_json::{json, Value};
use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
use sp_core::{sr25519, Pair};

pub const ALPHA: &str = dbc_sim::config::DEMO_MACHINE_ALPHA;
pub const BETA: &str = dbc_sim::config::DEMO_MACHINE_BETA;
pub const GAMMA: &str = dbc_sim::config::DEMO_MACHINE_GAMMA;
pub const IDLE: &str = dbc_sim::config::DEMO_MACHINE_IDLE;
pub const OFFLINE: &str = dbc_sim::config::DEMO_MACHINE_OFFLINE;

pub fn pair(seed_hex: &str) -> sr25519::Pair {
    let seed: [u8; 32] = hex::decode(seed_hex).unwrap().try_into().unwrap();
    sr25519::Pair::from_seed(&seed)
}

pub fn demo_pair() -> sr25519::Pair {
    pair(DEMO_SEED_HEX)
}

pub fn address(p: &sr25519::Pair) -> String {
    p.public()
        .to_ss58check_with_version(Ss58AddressFormat::custom(42))
}

pub fn sign(p: &sr25519::Pair, msg: &str) -> String {
    hex::encode(p.sign(msg.as_bytes()).0)
}

pub struct Sim {
    pub server: SimServer,
    pub client: reqwest::Client,
    pub url: String,
    pub ctl: Control,
    counter: AtomicU64,
}

pub struct Resp {
    pub status: u16,
    pub text: String,
    pub content_type: String,
    pub acao: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not json ({e}): {:?}", self.text))
    }
}

/// A reqwest builder for talking to the simulator. reqwest runs on rustls without a built-in
/// provider in this workspace (see dbc-api's `tls`), so the test installs ring first.
pub fn http_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

impl Sim {
    pub async fn start(cfg: SimConfig) -> Sim {
        let server = SimServer::start(cfg, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let url = server.base_url();
        let ctl = server.control();
        Sim {
            server,
            client: http_builder().build().unwrap(),
            url,
            ctl,
            counter: AtomicU64::new(0),
        }
    }

    /// Demo network at speed 1: steps are driven by advancing the clock (exact, no sleeping).
    pub async fn demo() -> Sim {
        Sim::start(SimConfig::demo().with_speed(1.0)).await
    }

    pub fn nonce(&self) -> String {
        format!(
            "nonce-{}-{}",
            self.counter.fetch_add(1, Ordering::Relaxed),
            rand::random::<u64>()
        )
    }

    pub async fn raw(&self, method: &str, path: &str, body: &str) -> Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = self
            .client
            .request(m, format!("{}{}", self.url, path))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let h = |k: &str| {
            r.headers()
                .get(k)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let (content_type, acao) = (h("content-type"), h("access-control-allow-origin"));
        let text = r.text().await.unwrap();
        Resp {
            status,
            text,
            content_type,
            acao,
        }
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .raw("POST", &format!("/api/v1/{path}"), &body.to_string())
            .await;
        (r.status, r.json())
    }

    /// Envelope signed by `p` (mode A).
    pub fn env_by(&self, p: &sr25519::Pair, node: &str, order: Option<&str>, add: Value) -> Value {
        let nonce = self.nonce();
        let mut v = json!({"peer_nodes_list": [node], "additional": add, "wallet": address(p), "nonce": nonce, "sign": sign(p, &nonce)});
        if let Some(o) = order {
            v["rent_order"] = json!(o);
        }
        v
    }

    pub fn env(&self, node: &str, order: &str, add: Value) -> Value {
        self.env_by(&demo_pair(), node, Some(order), add)
    }

    /// Signed call by the demo wallet.
    pub async fn call(&self, path: &str, node: &str, order: &str, add: Value) -> (u16, Value) {
        let body = self.env(node, order, add);
        self.post(path, &body).await
    }

    /// Asserts HTTP 200 and returns (errcode, message).
    pub async fn ok_call(&self, path: &str, node: &str, order: &str, add: Value) -> (i64, Value) {
        let (s, v) = self.call(path, node, order, add).await;
        assert_eq!(s, 200, "{path}: {v}");
        (v["errcode"].as_i64().unwrap(), v["message"].clone())
    }

    pub fn advance(&self, secs: u64) {
        self.ctl.advance_clock(std::time::Duration::from_secs(secs));
    }
}

pub fn linux_vm(gpu: &str) -> Value {
    json!({"gpu_count": gpu, "image_name": "ubuntu-22.04.qcow2", "ssh_port": "20122", "vnc_port": "5911",
           "cpu_cores": "4", "mem_size": "16", "disk_size": "100", "desc": "test vm"})
}
