//! `dbc-api`: a typed client for the DBC client-node HTTP API (`POST /api/v1/...`).
//!
//! Layers, from pure to I/O:
//! * [`keys`] — wallet keys (hex seed, Substrate secret URI, polkadot.js keystore), never printable.
//! * [`auth`] — the three auth modes of SPEC §3 and nonce generation.
//! * [`validate`] — field rules mirroring the node, reported all at once per field.
//! * [`request`] — pure request building: one typed call per endpoint → [`request::ApiRequest`].
//! * [`models`] — tolerant response types.
//! * [`error`] — one error enum that keeps HTTP status, errcode and the node's message.
//! * [`client`] — reqwest transport.

pub mod auth;
pub mod error;
pub mod keys;
pub mod keystore;

pub use error::Error;
