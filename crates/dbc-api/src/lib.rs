//! `dbc-api`: a typed client for the DBC client-node HTTP API (`POST /api/v1/...`).
//!
//! Layers, from pure to I/O:
//! * [`keys`], [`keystore`] — wallet keys (hex seed, Substrate secret URI, polkadot.js keystore),
//!   never printable, zeroized on drop.
//! * [`auth`] — the three auth modes of SPEC §3 and nonce generation.
//! * [`validate`] — field rules mirroring the node, all errors reported at once per field.
//! * [`request`] — pure request building: one function per endpoint → a typed [`request::Call`]
//!   (field errors come back here, before any key or network is touched).
//! * [`models`] — tolerant response types.
//! * [`connect`] — checked SSH command and RDP/VNC addresses from a VM's details (the node's
//!   values are untrusted: nothing is built from a value that fails).
//! * [`error`] — one error enum that keeps HTTP status, errcode and the node's message.
//! * [`address`] — what an address means: loopback or not, the proxy decision, the plain-HTTP
//!   risk ([`address::transport_risk`]).
//! * [`client`] — reqwest transport: [`Client::call`] signs, sends and decodes any built call.

pub mod address;
pub mod auth;
pub mod client;
pub mod connect;
pub mod error;
pub mod forms;
pub mod keys;
pub mod keystore;
pub mod models;
pub mod ports;
pub mod request;
pub mod text;
pub mod tls;
pub mod validate;

pub use auth::Auth;
pub use client::{Client, ClientConfig};
pub use error::Error;
pub use request::{Call, Machine};
