//! The chain client: JSON-RPC over HTTP(S) or WebSocket through `jsonrpsee`.

use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::core::client::{
    ClientT, Error as RpcClientError, Subscription, SubscriptionClientT,
};
use jsonrpsee::core::params::ArrayParams;
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::decode;
use crate::error::Error;
use crate::types::{BlockNumber, MachineRentIds, RentOrder, RentOrderId, Rental};

/// Method names of the chain's RPC (DeepBrainChain-MainChain `pallets/rent-machine/rpc` and
/// Substrate's `chain` API).
pub mod method {
    pub const RENT_LIST: &str = "rentMachine_getRentList";
    pub const RENT_ORDER: &str = "rentMachine_getRentOrder";
    pub const MACHINE_RENT_ID: &str = "rentMachine_getMachineRentId";
    pub const GET_HEADER: &str = "chain_getHeader";
    pub const SUBSCRIBE_NEW_HEADS: &str = "chain_subscribeNewHeads";
    pub const UNSUBSCRIBE_NEW_HEADS: &str = "chain_unsubscribeNewHeads";
}

/// Timeouts and polling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainOptions {
    /// Longest wait for one answer.
    pub request_timeout: Duration,
    /// Longest wait for a WebSocket connection (TCP, TLS and handshake).
    pub connect_timeout: Duration,
    /// How often [`Heads`] asks for the current block over HTTP, where there is no
    /// subscription. Half a block by default.
    pub poll_interval: Duration,
}

impl Default for ChainOptions {
    fn default() -> Self {
        ChainOptions {
            request_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(10),
            poll_interval: Duration::from_secs(3),
        }
    }
}

enum Transport {
    Http(HttpClient),
    /// Connected on first use, and again after the connection was lost.
    Ws(Mutex<Option<Arc<WsClient>>>),
}

struct Inner {
    endpoint: String,
    options: ChainOptions,
    transport: Transport,
}

/// A client of one chain endpoint (`http://`, `https://`, `ws://` or `wss://`). Cheap to clone;
/// clones share the connection.
#[derive(Clone)]
pub struct ChainClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for ChainClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainClient")
            .field("endpoint", &self.inner.endpoint)
            .finish()
    }
}

/// Which transport a URL asks for.
fn scheme(url: &str) -> Result<bool, Error> {
    let bad = |reason: &str| Error::BadEndpoint {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("expected http://, https://, ws:// or wss://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(bad("no host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => Ok(false),
        "ws" | "wss" => Ok(true),
        _ => Err(bad("expected http://, https://, ws:// or wss://")),
    }
}

impl ChainClient {
    /// A client for `url`. No I/O happens here: a WebSocket is opened by the first call.
    pub fn new(url: &str, options: ChainOptions) -> Result<ChainClient, Error> {
        let url = url.trim();
        let ws = scheme(url)?;
        let transport = if ws {
            Transport::Ws(Mutex::new(None))
        } else {
            let http = HttpClientBuilder::default()
                .request_timeout(options.request_timeout + SLACK)
                .build(url)
                .map_err(|e| Error::BadEndpoint {
                    url: url.to_string(),
                    reason: e.to_string(),
                })?;
            Transport::Http(http)
        };
        Ok(ChainClient {
            inner: Arc::new(Inner {
                endpoint: url.to_string(),
                options,
                transport,
            }),
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// True for `ws://` and `wss://` endpoints (new heads are pushed, not polled).
    pub fn is_websocket(&self) -> bool {
        matches!(self.inner.transport, Transport::Ws(_))
    }

    /// Order ids of `renter` (an SS58 address): `rentMachine_getRentList`. The chain removes
    /// an order when it ends, so these are the current ones.
    pub async fn rent_list(&self, renter: &str) -> Result<Vec<RentOrderId>, Error> {
        let v = self.call(method::RENT_LIST, params1(renter)).await?;
        decode::rent_list(&v).map_err(|r| Error::malformed(method::RENT_LIST, r))
    }

    /// One order: `rentMachine_getRentOrder`. `None` when the chain has no such order
    /// (never existed, or ended and was removed).
    pub async fn rent_order(&self, id: RentOrderId) -> Result<Option<RentOrder>, Error> {
        let v = self.call(method::RENT_ORDER, params1(id)).await?;
        decode::rent_order(&v).map_err(|r| Error::malformed(method::RENT_ORDER, r))
    }

    /// The current orders of a machine and the GPUs they use: `rentMachine_getMachineRentId`.
    pub async fn machine_rent_ids(&self, machine_id: &str) -> Result<MachineRentIds, Error> {
        let v = self
            .call(method::MACHINE_RENT_ID, params1(machine_id))
            .await?;
        decode::machine_rent_ids(&v).map_err(|r| Error::malformed(method::MACHINE_RENT_ID, r))
    }

    /// The best block's number (`chain_getHeader`).
    pub async fn current_block(&self) -> Result<BlockNumber, Error> {
        let v = self.call(method::GET_HEADER, ArrayParams::new()).await?;
        decode::header_number(&v).map_err(|r| Error::malformed(method::GET_HEADER, r))
    }

    /// Every order of `renter` with its details, in the chain's order. An id the chain lists
    /// but no longer has (it ended between the two calls) is left out.
    pub async fn rentals(&self, renter: &str) -> Result<Vec<Rental>, Error> {
        let mut out = vec![];
        for id in self.rent_list(renter).await? {
            if let Some(order) = self.rent_order(id).await? {
                out.push(Rental { id, order });
            }
        }
        Ok(out)
    }

    /// New best blocks: a `chain_subscribeNewHeads` subscription over WebSocket (the chain
    /// sends the current head first), or polling `chain_getHeader` every
    /// [`ChainOptions::poll_interval`] over HTTP. Either way [`Heads::next`] yields each
    /// new, higher block number once.
    pub async fn new_heads(&self) -> Result<Heads, Error> {
        let m = method::SUBSCRIBE_NEW_HEADS;
        let source = match &self.inner.transport {
            Transport::Http(_) => HeadSource::Poll(self.clone()),
            Transport::Ws(_) => {
                let ws = self.ws(m).await?;
                let sub = self
                    .bounded(
                        m,
                        ws.subscribe::<Value, _>(
                            m,
                            ArrayParams::new(),
                            method::UNSUBSCRIBE_NEW_HEADS,
                        ),
                    )
                    .await?;
                HeadSource::Push(sub)
            }
        };
        Ok(Heads {
            source,
            last: None,
            endpoint: self.inner.endpoint.clone(),
            poll_interval: self.inner.options.poll_interval,
        })
    }

    /// Send one call and return its raw `result`.
    pub async fn call(&self, method: &str, params: ArrayParams) -> Result<Value, Error> {
        match &self.inner.transport {
            Transport::Http(http) => self.bounded(method, http.request(method, params)).await,
            Transport::Ws(_) => {
                let ws = self.ws(method).await?;
                self.bounded(method, ws.request(method, params)).await
            }
        }
    }

    /// The open WebSocket, (re)connecting when there is none.
    async fn ws(&self, method: &str) -> Result<Arc<WsClient>, Error> {
        let Transport::Ws(slot) = &self.inner.transport else {
            unreachable!("ws() is only called for WebSocket endpoints")
        };
        let mut slot = slot.lock().await;
        if let Some(c) = slot.as_ref().filter(|c| c.is_connected()) {
            return Ok(c.clone());
        }
        let o = self.inner.options;
        // jsonrpsee's own limits are a little later than ours, so that running out of time is
        // always reported by our timer (as Timeout)
        let connect = WsClientBuilder::default()
            .request_timeout(o.request_timeout + SLACK)
            .connection_timeout(o.connect_timeout + SLACK)
            .build(&self.inner.endpoint);
        let client = match tokio::time::timeout(o.connect_timeout, connect).await {
            Err(_) => return Err(self.timeout(method, o.connect_timeout)),
            Ok(r) => Arc::new(r.map_err(|e| self.map_err(method, e))?),
        };
        *slot = Some(client.clone());
        Ok(client)
    }

    /// Run a jsonrpsee future under our own deadline (a little before jsonrpsee's).
    async fn bounded<T>(
        &self,
        method: &str,
        fut: impl std::future::Future<Output = Result<T, RpcClientError>>,
    ) -> Result<T, Error> {
        let limit = self.inner.options.request_timeout;
        match tokio::time::timeout(limit, fut).await {
            Err(_) => Err(self.timeout(method, limit)),
            Ok(r) => r.map_err(|e| self.map_err(method, e)),
        }
    }

    fn timeout(&self, method: &str, after: Duration) -> Error {
        Error::Timeout {
            method: method.to_string(),
            after_ms: after.as_millis() as u64,
        }
    }

    fn unreachable(&self, reason: impl Into<String>) -> Error {
        Error::Unreachable {
            endpoint: self.inner.endpoint.clone(),
            reason: reason.into(),
        }
    }

    /// Sort a jsonrpsee error into ours.
    fn map_err(&self, method: &str, e: RpcClientError) -> Error {
        match e {
            RpcClientError::Call(obj) => Error::Rpc {
                method: method.to_string(),
                code: obj.code(),
                message: obj.message().to_string(),
                data: obj.data().map(|d| d.get().to_string()),
            },
            RpcClientError::RequestTimeout => {
                self.timeout(method, self.inner.options.request_timeout)
            }
            RpcClientError::ParseError(e) => Error::malformed(method, e.to_string()),
            RpcClientError::InvalidRequestId(e) => Error::malformed(method, e.to_string()),
            RpcClientError::InvalidSubscriptionId => {
                Error::malformed(method, "invalid subscription id")
            }
            // The WebSocket client stops on a frame that is not JSON-RPC ("Unparseable
            // message"); every waiting call then gets RestartNeeded with that reason.
            RpcClientError::RestartNeeded(reason) => match &*reason {
                RpcClientError::ParseError(e) => Error::malformed(method, e.to_string()),
                RpcClientError::Custom(s) if s.starts_with("Unparseable message") => {
                    Error::malformed(method, s.clone())
                }
                other => self.unreachable(format!("connection lost: {other}")),
            },
            RpcClientError::Custom(s) if s.starts_with("Unparseable message") => {
                Error::malformed(method, s)
            }
            RpcClientError::Transport(e) => {
                use jsonrpsee::core::http_helpers::HttpError as Body;
                use jsonrpsee::http_client::transport::Error as Http;
                match e.downcast_ref::<Http>() {
                    Some(Http::Rejected { status_code }) => {
                        self.unreachable(format!("HTTP status {status_code}"))
                    }
                    // a 2xx body that is not JSON-RPC (does not start with { or [), or too big
                    Some(Http::Http(b @ (Body::Malformed | Body::TooLarge))) => {
                        Error::malformed(method, b.to_string())
                    }
                    Some(Http::Url(u)) => Error::BadEndpoint {
                        url: self.inner.endpoint.clone(),
                        reason: u.clone(),
                    },
                    _ => self.unreachable(e.to_string()),
                }
            }
            other => self.unreachable(other.to_string()),
        }
    }
}

/// How much later than ours jsonrpsee's own timeouts are set.
const SLACK: Duration = Duration::from_millis(250);

fn params1(p: impl serde::Serialize) -> ArrayParams {
    let mut params = ArrayParams::new();
    // Serialising a &str or an integer cannot fail.
    let _ = params.insert(p);
    params
}

enum HeadSource {
    Push(Subscription<Value>),
    Poll(ChainClient),
}

/// New best blocks (see [`ChainClient::new_heads`]).
pub struct Heads {
    source: HeadSource,
    last: Option<BlockNumber>,
    endpoint: String,
    poll_interval: Duration,
}

impl Heads {
    /// The next new block number (always higher than the one before). A closed
    /// subscription gives `Unreachable` (open a new one); over HTTP a failed poll gives its
    /// error and the next call polls again.
    pub async fn next(&mut self) -> Result<BlockNumber, Error> {
        loop {
            let n = match &mut self.source {
                HeadSource::Push(sub) => match sub.next().await {
                    None => {
                        return Err(Error::Unreachable {
                            endpoint: self.endpoint.clone(),
                            reason: format!(
                                "new-heads subscription closed ({:?})",
                                sub.close_reason()
                            ),
                        })
                    }
                    Some(Err(e)) => {
                        return Err(Error::malformed(method::SUBSCRIBE_NEW_HEADS, e.to_string()))
                    }
                    Some(Ok(h)) => decode::header_number(&h)
                        .map_err(|r| Error::malformed(method::SUBSCRIBE_NEW_HEADS, r))?,
                },
                HeadSource::Poll(client) => {
                    if self.last.is_some() {
                        tokio::time::sleep(self.poll_interval).await;
                    }
                    client.current_block().await?
                }
            };
            if self.last.is_none_or(|l| n > l) {
                self.last = Some(n);
                return Ok(n);
            }
        }
    }

    /// True when the chain pushes heads (WebSocket), false when they are polled (HTTP).
    pub fn is_push(&self) -> bool {
        matches!(self.source, HeadSource::Push(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn endpoints_are_checked_without_io() {
        for ok in [
            "http://127.0.0.1:9944",
            "https://httpinfo.dbcwallet.io",
            "ws://localhost:9944",
            "WSS://info.dbcwallet.io",
        ] {
            let c = ChainClient::new(ok, ChainOptions::default()).unwrap();
            assert_eq!(c.is_websocket(), ok.to_lowercase().starts_with("ws"));
        }
        for bad in ["", "info.dbcwallet.io", "ftp://x", "http://", "ws:///x"] {
            let e = ChainClient::new(bad, ChainOptions::default()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::BadEndpoint, "{bad}");
        }
    }
}
