//! Simulator configuration (TOML-deserialisable) and the demo network.

use serde::{Deserialize, Serialize};

use crate::control::Fault;

/// The public demo seed of the DBC wiki (sr25519 mini-secret). Its SS58-42 address is
/// [`DEMO_WALLET`]. Public: use only in tests and demos.
pub const DEMO_SEED_HEX: &str = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";
/// SS58-42 address of [`DEMO_SEED_HEX`].
pub const DEMO_WALLET: &str = "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4";
/// Seed of the demo "delegate" wallet (holds the renter's session, is not a renter itself).
pub const DELEGATE_SEED_HEX: &str =
    "0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f50";
/// Session id of the demo renter on the first demo machine. It is the DBC wiki's published
/// session id (SPEC §3.2, V5), so its published signature [`DEMO_SESSION_SIGN`] is valid.
pub const DEMO_SESSION_ID: &str = "3QRjS1PsbDReGJKVBBRqxUh9RqXB5jbfHJ8bMgGoJ3C9HHHHm9rCmmh";
/// The wiki's signature of [`DEMO_SESSION_ID`] by [`DEMO_WALLET`].
pub const DEMO_SESSION_SIGN: &str = "ca89d0adb44a03c6f22a9205a06e22f682805f8c8ee25dd182e36ceb581899001196ce94c40e2147247f967256d7e010318e4387853939d94ba99c81f16a358f";

fn d_listen() -> String {
    "127.0.0.1:5002".into()
}
fn d_speed() -> f64 {
    1.0
}
fn d_version() -> String {
    "0.4.1.8".into()
}
fn d_start_unix() -> u64 {
    1_780_000_000
}
fn d_block() -> u64 {
    5_000_000
}
fn d_p2p() -> String {
    "online".into()
}
fn d_chain_status() -> String {
    "rented".into()
}
fn d_renting() -> String {
    "renting".into()
}
fn d_os() -> String {
    "Ubuntu 22.04.4 LTS (GNU/Linux 5.15.0-105-generic x86_64)".into()
}
fn d_cpu_type() -> String {
    "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz".into()
}
fn d_linux() -> String {
    "linux".into()
}
fn d_running() -> String {
    "running".into()
}

/// Whole simulator configuration. Every field has a default, so a TOML file only needs the
/// keys it wants to change (an empty file gives an empty network).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimConfig {
    /// Listen address of the binary (`--listen` overrides it).
    #[serde(default = "d_listen")]
    pub listen: String,
    /// Time acceleration: every asynchronous step takes `duration / speed`.
    #[serde(default = "d_speed")]
    pub speed: f64,
    /// Seed of the deterministic random generator (task ids, passwords, session ids, MACs).
    #[serde(default)]
    pub seed: u64,
    /// Version reported by the client (`/api/v1/`).
    #[serde(default = "d_version")]
    pub client_version: String,
    /// Wall-clock time (unix seconds, shown as UTC) at simulator start; used for
    /// `create_time`, log lines and LAN `lastUseTime`. Fixed for determinism.
    #[serde(default = "d_start_unix")]
    pub start_unix: u64,
    /// Chain block number at simulator start (one block per 6 s of simulated time).
    #[serde(default = "d_block")]
    pub start_block: u64,
    /// Durations of the asynchronous steps at speed 1.
    #[serde(default)]
    pub timing: Timing,
    /// Switches for the node's known quirks (all on by default = "as implemented").
    #[serde(default)]
    pub quirks: Quirks,
    /// Image servers configured on the client node.
    #[serde(default)]
    pub image_servers: Vec<ImageServerConfig>,
    /// Files in the client node's own `/data` (for `images/upload` with an empty peer list).
    #[serde(default)]
    pub client_data_files: Vec<ImageFileConfig>,
    /// GPU machines.
    #[serde(default)]
    pub machines: Vec<MachineConfig>,
    /// Informational list of wallets used by the configuration (not used by the logic).
    #[serde(default)]
    pub wallets: Vec<WalletInfo>,
    /// Faults active from the start.
    #[serde(default)]
    pub faults: Vec<Fault>,
}

/// Durations in seconds at speed 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Timing {
    pub create_secs: f64,
    pub start_secs: f64,
    pub stop_secs: f64,
    pub restart_secs: f64,
    pub reset_secs: f64,
    pub delete_secs: f64,
    pub disk_secs: f64,
    pub snapshot_create_secs: f64,
    pub snapshot_upload_secs: f64,
    pub download_secs: f64,
    pub upload_secs: f64,
    /// Progress granularity of downloads/uploads in percent.
    pub progress_step_pct: u32,
    /// How long the gateway waits for a GPU node before `<op> timeout`.
    pub gateway_timeout_secs: f64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            create_secs: 600.0,
            start_secs: 3.0,
            stop_secs: 2.0,
            restart_secs: 5.0,
            reset_secs: 3.0,
            delete_secs: 2.0,
            disk_secs: 5.0,
            snapshot_create_secs: 20.0,
            snapshot_upload_secs: 60.0,
            download_secs: 120.0,
            upload_secs: 120.0,
            progress_step_pct: 10,
            gateway_timeout_secs: 30.0,
        }
    }
}

/// Quirk switches. `true` = behave like the real node (SPEC "as implemented").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quirks {
    /// Node image lists spell the key `"image_name:"`.
    pub image_name_colon: bool,
    /// User text with `"`, `\` or control characters breaks the node's JSON: HTTP 500
    /// `response parse error` (after the action happened).
    pub unescaped_json: bool,
    /// Log query handling of the gateway (flag absent ignores line_num, >100 becomes 99,
    /// message `head_or_tail is invalid"` with the stray quote) and the 8 KiB cap.
    pub log_query: bool,
    /// Uploads through a GPU node are tracked under `/data/<name>`; a bare name reports done.
    pub upload_progress_path: bool,
}

impl Default for Quirks {
    fn default() -> Self {
        Quirks {
            image_name_colon: true,
            unescaped_json: true,
            log_query: true,
            upload_progress_path: true,
        }
    }
}

impl Quirks {
    /// All quirks off ("as documented").
    pub fn none() -> Quirks {
        Quirks {
            image_name_colon: false,
            unescaped_json: false,
            log_query: false,
            upload_progress_path: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageServerConfig {
    pub id: String,
    #[serde(default)]
    pub images: Vec<ImageFileConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageFileConfig {
    pub name: String,
    pub size_gb: f64,
    /// Backing file (a name in `/data`) for overlays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backing: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineConfig {
    /// On-chain machine id: 64 lowercase hex characters.
    pub node_id: String,
    /// Host name shown in the machine list.
    pub name: String,
    #[serde(default = "d_version")]
    pub version: String,
    /// Gateway view: `online` (reachable), `offline` (unknown to the gateway:
    /// 400 -32701 `create node request failed`), `silent` (known but never answers:
    /// 500 -1 `<op> timeout` after the gateway timeout).
    #[serde(default = "d_p2p")]
    pub p2p: String,
    /// Chain machine status: `rented`, `creating`, `online`, `waitingFulfill`,
    /// `addingCustomizeInfo`, `distributingOrder`, `committeeVerifying`, `committeeRefused`,
    /// anything else = chain unreachable.
    #[serde(default = "d_chain_status")]
    pub chain_status: String,
    /// Public IPv4 of the host (masked in machine info).
    pub ip: String,
    #[serde(default = "d_os")]
    pub os: String,
    #[serde(default = "d_cpu_type")]
    pub cpu_type: String,
    pub cpu_cores: u32,
    pub gpu_count: u32,
    pub mem_gb: u64,
    /// Total size of `/data` in GB.
    pub data_total_gb: u64,
    /// Free space of `/data` in GB (the 350 GB system-disk reserve is subtracted on output).
    pub data_free_gb: u64,
    #[serde(default)]
    pub images: Vec<ImageFileConfig>,
    #[serde(default)]
    pub rent_orders: Vec<RentOrderConfig>,
    #[serde(default)]
    pub sessions: Vec<SessionConfig>,
    #[serde(default)]
    pub tasks: Vec<TaskConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RentOrderConfig {
    pub id: u64,
    /// Renter account, SS58-42 (a multisig account for multisig renters).
    pub renter: String,
    /// `renting`, `waitingVerifying` or `rentExpired`.
    #[serde(default = "d_renting")]
    pub status: String,
    /// GPU indexes of the order (its length is the rented GPU count).
    pub gpu_index: Vec<u32>,
    /// End of the order in simulated seconds after start (chain clock).
    pub end_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionConfig {
    /// Renter wallet (or multisig account) the session belongs to.
    pub wallet: String,
    pub session_id: String,
    /// For a multisig renter: member wallets allowed to sign the session id.
    #[serde(default)]
    pub members: Vec<String>,
}

/// A VM that exists when the simulator starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskConfig {
    pub task_id: String,
    /// Wallet that created it.
    pub owner: String,
    #[serde(default)]
    pub rent_order: Option<u64>,
    #[serde(default = "d_linux")]
    pub os: String,
    pub image_name: String,
    #[serde(default)]
    pub desc: String,
    /// `running`, `closed` or `pmsuspend`.
    #[serde(default = "d_running")]
    pub status: String,
    pub cpu_cores: u32,
    pub gpu_count: u32,
    pub mem_gb: u64,
    pub disk_gb: u64,
    #[serde(default)]
    pub ssh_port: u16,
    #[serde(default)]
    pub rdp_port: u16,
    pub vnc_port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletInfo {
    pub name: String,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_hex: Option<String>,
    #[serde(default)]
    pub note: String,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: d_listen(),
            speed: 1.0,
            seed: 0,
            client_version: d_version(),
            start_unix: d_start_unix(),
            start_block: d_block(),
            timing: Timing::default(),
            quirks: Quirks::default(),
            image_servers: vec![],
            client_data_files: vec![],
            machines: vec![],
            wallets: vec![],
            faults: vec![],
        }
    }
}

/// Demo machine ids (blake2-256 of the host name, hex).
pub const DEMO_MACHINE_ALPHA: &str =
    "3f8a9c1e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f2a";
pub const DEMO_MACHINE_BETA: &str =
    "7c2e4a6b8d0f1e3c5a7b9d2f4e6a8c0b1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f4b";
pub const DEMO_MACHINE_GAMMA: &str =
    "b5d7f9a1c3e5b7d9f2a4c6e8b0d2f4a6c8e1b3d5f7a9c2e4b6d8f0a3c5e7b9d1";
pub const DEMO_MACHINE_IDLE: &str =
    "d1e3f5a7b9c2d4e6f8a0b2c4d6e8f1a3b5c7d9e2f4a6b8c0d3e5f7a9b1c4d6e8";
pub const DEMO_MACHINE_OFFLINE: &str =
    "e9f1a3b5c7d9e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b3c5d7e9f1a4b6c8d0e2f5";

fn img(name: &str, size_gb: f64, backing: Option<&str>) -> ImageFileConfig {
    ImageFileConfig {
        name: name.into(),
        size_gb,
        backing: backing.map(String::from),
    }
}

impl SimConfig {
    /// The demo network (identical to `examples/demo.toml`).
    pub fn demo() -> SimConfig {
        let delegate = crate::crypto::address_from_seed_hex(DELEGATE_SEED_HEX).unwrap_or_default();
        let base_images = || {
            vec![
                img("ubuntu-22.04.qcow2", 12.5, None),
                img("windows-server-2022.qcow2", 28.0, None),
                img("cuda-12.4-ubuntu.qcow2", 3.25, Some("ubuntu-22.04.qcow2")),
            ]
        };
        let machine =
            |node_id: &str, name: &str, ip: &str, gpus: u32, cpus: u32, mem: u64| MachineConfig {
                node_id: node_id.into(),
                name: name.into(),
                version: d_version(),
                p2p: d_p2p(),
                chain_status: d_chain_status(),
                ip: ip.into(),
                os: d_os(),
                cpu_type: d_cpu_type(),
                cpu_cores: cpus,
                gpu_count: gpus,
                mem_gb: mem,
                data_total_gb: 3584,
                data_free_gb: 2400,
                images: base_images(),
                rent_orders: vec![],
                sessions: vec![],
                tasks: vec![],
            };
        let day = 86_400;
        let mut alpha = machine(
            DEMO_MACHINE_ALPHA,
            "gpu-node-alpha",
            "203.0.113.42",
            8,
            64,
            512,
        );
        alpha
            .images
            .push(img("broken-overlay.qcow2", 1.5, Some("missing-base.qcow2")));
        alpha.rent_orders.push(RentOrderConfig {
            id: 1001,
            renter: DEMO_WALLET.into(),
            status: d_renting(),
            gpu_index: (0..8).collect(),
            end_secs: 30 * day,
        });
        alpha.sessions.push(SessionConfig {
            wallet: DEMO_WALLET.into(),
            session_id: DEMO_SESSION_ID.into(),
            members: vec![],
        });
        alpha.tasks.push(TaskConfig {
            task_id: "DemoVmAlpha0000000001".into(),
            owner: DEMO_WALLET.into(),
            rent_order: Some(1001),
            os: d_linux(),
            image_name: "ubuntu-22.04.qcow2".into(),
            desc: "demo training box".into(),
            status: d_running(),
            cpu_cores: 16,
            gpu_count: 2,
            mem_gb: 64,
            disk_gb: 200,
            ssh_port: 20022,
            rdp_port: 0,
            vnc_port: 5901,
        });
        let mut beta = machine(
            DEMO_MACHINE_BETA,
            "gpu-node-beta",
            "198.51.100.17",
            4,
            32,
            256,
        );
        beta.rent_orders.push(RentOrderConfig {
            id: 1002,
            renter: DEMO_WALLET.into(),
            status: d_renting(),
            gpu_index: vec![0, 1],
            end_secs: 7 * day,
        });
        let mut gamma = machine(
            DEMO_MACHINE_GAMMA,
            "gpu-node-gamma",
            "192.0.2.88",
            2,
            16,
            128,
        );
        gamma.rent_orders.push(RentOrderConfig {
            id: 1003,
            renter: DEMO_WALLET.into(),
            status: "waitingVerifying".into(),
            gpu_index: vec![0, 1],
            end_secs: 2 * 3600,
        });
        let mut idle = machine(
            DEMO_MACHINE_IDLE,
            "gpu-node-idle",
            "203.0.113.99",
            4,
            32,
            256,
        );
        idle.chain_status = "online".into();
        let mut offline = machine(
            DEMO_MACHINE_OFFLINE,
            "gpu-node-offline",
            "198.51.100.200",
            8,
            64,
            512,
        );
        offline.p2p = "offline".into();
        offline.rent_orders.push(RentOrderConfig {
            id: 1005,
            renter: DEMO_WALLET.into(),
            status: d_renting(),
            gpu_index: (0..8).collect(),
            end_secs: 30 * day,
        });
        SimConfig {
            speed: 60.0,
            seed: 42,
            image_servers: vec![
                ImageServerConfig {
                    id: "dbc-image-center-1".into(),
                    images: vec![
                        img("ubuntu-22.04.qcow2", 12.5, None),
                        img("cuda-12.4-ubuntu.qcow2", 3.25, None),
                        img("pytorch-2.3-cuda12.qcow2", 18.75, None),
                    ],
                },
                ImageServerConfig {
                    id: "dbc-image-center-2".into(),
                    images: vec![
                        img("windows-server-2022.qcow2", 28.0, None),
                        img("stable-diffusion-webui.qcow2", 42.5, None),
                    ],
                },
            ],
            machines: vec![alpha, beta, gamma, idle, offline],
            wallets: vec![
                WalletInfo {
                    name: "demo renter".into(),
                    address: DEMO_WALLET.into(),
                    seed_hex: Some(DEMO_SEED_HEX.into()),
                    note: "public DBC wiki demo key; renter of orders 1001 (alpha, whole machine), 1002 (beta, GPUs 0-1 of 4), 1003 (gamma, waitingVerifying, ends after 2 h), 1005 (offline machine)".into(),
                },
                WalletInfo {
                    name: "delegate".into(),
                    address: delegate,
                    seed_hex: Some(DELEGATE_SEED_HEX.into()),
                    note: format!(
                        "not a renter; holds the renter's session on gpu-node-alpha: session_id {DEMO_SESSION_ID}, session_id_sign {DEMO_SESSION_SIGN}"
                    ),
                },
            ],
            ..SimConfig::default()
        }
    }

    /// Parse a TOML configuration.
    pub fn from_toml_str(s: &str) -> Result<SimConfig, String> {
        let cfg: SimConfig = toml::from_str(s).map_err(|e| e.to_string())?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Render as TOML.
    pub fn to_toml_string(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Replace the speed factor (1000.0 makes a 10 s step take 10 ms).
    pub fn with_speed(mut self, factor: f64) -> SimConfig {
        self.speed = factor;
        self
    }

    /// Replace the random seed.
    pub fn with_seed(mut self, seed: u64) -> SimConfig {
        self.seed = seed;
        self
    }

    /// Replace the quirk switches.
    pub fn with_quirks(mut self, quirks: Quirks) -> SimConfig {
        self.quirks = quirks;
        self
    }

    /// Check ids and numbers.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.speed.is_finite() && self.speed > 0.0) {
            return Err(format!("speed must be > 0, got {}", self.speed));
        }
        for m in &self.machines {
            if m.node_id.len() != 64
                || !m
                    .node_id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                return Err(format!(
                    "machine {}: node_id must be 64 lowercase hex characters",
                    m.name
                ));
            }
            for o in &m.rent_orders {
                if o.gpu_index.iter().any(|g| *g >= m.gpu_count) {
                    return Err(format!("rent order {}: gpu index out of range", o.id));
                }
            }
        }
        Ok(())
    }
}
