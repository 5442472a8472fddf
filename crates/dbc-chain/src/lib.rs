//! dbc-chain: a Tauri-free client for the DeepBrainChain chain's JSON-RPC (HTTP(S) and
//! WebSocket, through `jsonrpsee`): a renter's rent orders, a machine's orders, the current
//! block and new heads.
//!
//! ```no_run
//! # async fn demo() -> Result<(), dbc_chain::Error> {
//! use dbc_chain::{ChainClient, ChainOptions};
//! let chain = ChainClient::new(dbc_chain::PUBLIC_WS_ENDPOINT, ChainOptions::default())?;
//! let now = chain.current_block().await?;
//! for r in chain.rentals("5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4").await? {
//!     println!("{} {} {}s left", r.id, r.order.rent_status, r.order.seconds_left(now));
//! }
//! # Ok(()) }
//! ```
//!
//! What the chain does at the end of a rental: when the end block is reached the chain removes
//! the order (`clean_order` in `pallets/rent-machine`): it leaves the renter's list and the
//! machine's list, and `rentMachine_getRentOrder` answers `null`. An order that is
//! `waitingVerifying` and not confirmed in time is removed the same way. So `rentExpired` is
//! rarely seen; a rental that disappears has ended. The GPU node powers the renter's VMs off
//! and deletes them some days later (SPEC §4.3).

pub mod alerts;
mod client;
pub mod decode;
mod error;
mod types;

pub use client::{method, ChainClient, ChainOptions, Heads};
pub use error::{Error, ErrorCode, INVALID_PARAMS, METHOD_NOT_FOUND};
pub use types::{
    seconds_left, BlockNumber, MachineRentIds, RentOrder, RentOrderId, RentStatus, Rental,
    BLOCK_SECS,
};

/// DBC's public mainnet WebSocket endpoint, as published in the DBC wiki ("DBC-Blockchain
/// mainnet RPC description", `onchain-api/dbc-rpc-readme`). Run by DBC without any promise of
/// availability; nothing in this crate uses it unless asked to.
pub const PUBLIC_WS_ENDPOINT: &str = "wss://info.dbcwallet.io";
/// DBC's public mainnet HTTP endpoint (same source as [`PUBLIC_WS_ENDPOINT`]).
pub const PUBLIC_HTTP_ENDPOINT: &str = "https://httpinfo.dbcwallet.io";

/// DBC's web wallet on the main chain, where a renter renews a rental (the chain's
/// `rentMachine` calls); DBC's docs send renters there. The only address DBC Desk opens for
/// rentals.
pub const RENTER_SITE: &str =
    "https://www.dbcwallet.io/?rpc=wss%3A%2F%2Finfo.dbcwallet.io#/accounts";
