//! dbc-sim: a simulator of the DBC client node HTTP API (gateway + GPU nodes + chain facts)
//! and a fake chain (JSON-RPC, see [`chain`]),
//! following `SPEC.md`. See `README.md` in this crate.

mod api;
pub mod chain;
pub mod config;
pub mod control;
pub mod crypto;
mod server;
mod state;

pub use chain::{ChainServer, DEFAULT_CHAIN_LISTEN};
pub use config::{
    ImageFileConfig, ImageServerConfig, MachineConfig, Quirks, RentOrderConfig, SessionConfig,
    SimConfig, TaskConfig, Timing, WalletInfo, DEMO_SEED_HEX, DEMO_SESSION_ID, DEMO_SESSION_SIGN,
    DEMO_WALLET,
};
pub use control::{Control, Fault, FaultKind, HostileConnection, MachineInfo, TaskInfo};
pub use server::SimServer;
