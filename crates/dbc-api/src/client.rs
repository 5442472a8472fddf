//! HTTP transport (reqwest). Mutating calls are never retried; idempotent reads retry once on a
//! connection error. Every reply is sorted into [`Error`] keeping status, errcode and message.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::Auth;
use crate::error::{Error, NodeReply, TimeoutOrigin};
use crate::request::{ApiRequest, Call};
use crate::validate::{Checker, ValidationErrors};

/// Default HTTP timeout: the gateway waits 30 s for the GPU node, and node handlers may spend
/// ~20 s before answering (SPEC §1), so stay well above.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(45);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `http://host:port` of the DBC client node (a trailing `/api/v1` is accepted).
    pub base_url: String,
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }
}

/// Normalise and check a client-node URL: `http://host[:port]`, without `/api/v1`.
pub fn normalize_base_url(url: &str) -> Result<String, Error> {
    let mut c = Checker::new();
    let t = url.trim().trim_end_matches('/');
    let t = t.strip_suffix("/api/v1").unwrap_or(t).trim_end_matches('/');
    let rest = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"));
    match rest {
        None => c.fail(
            "url",
            "scheme",
            "the address starts with http:// (e.g. http://127.0.0.1:5002)",
        ),
        Some(host) if host.is_empty() || host.contains('/') || host.contains(' ') => c.fail(
            "url",
            "format",
            "give the client node as http://host:port, e.g. http://127.0.0.1:5002",
        ),
        _ => {}
    }
    if t.starts_with("https://") {
        c.fail(
            "url",
            "tls",
            "DBC client nodes speak plain HTTP; use http://",
        );
    }
    c.finish(t.to_string()).map_err(Error::Validation)
}

/// A built request on its way to [`Client::call`] (a [`Call`], or a builder's `Result`).
pub struct Built<T>(Result<Call<T>, Error>);

impl<T> From<Call<T>> for Built<T> {
    fn from(c: Call<T>) -> Self {
        Built(Ok(c))
    }
}

impl<T> From<Result<Call<T>, ValidationErrors>> for Built<T> {
    fn from(r: Result<Call<T>, ValidationErrors>) -> Self {
        Built(r.map_err(Error::Validation))
    }
}

/// A DBC client-node connection. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let base = normalize_base_url(&config.base_url)?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Error::Transport(e.to_string()))?;
        Ok(Client { http, base })
    }

    /// Shorthand for default timeouts.
    pub fn connect(base_url: &str) -> Result<Client, Error> {
        Client::new(ClientConfig::new(base_url))
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The exact URL a request goes to.
    pub fn url_for(&self, req: &ApiRequest) -> String {
        format!("{}{}", self.base, req.url_path())
    }

    /// Sign, send and sort the reply; returns the envelope's `message` on success.
    pub async fn send_raw(&self, req: &ApiRequest, auth: &Auth) -> Result<Value, Error> {
        let attempts = if req.mutating { 1 } else { 2 };
        let mut last = None;
        for _ in 0..attempts {
            // A fresh nonce per attempt: a nonce is never reused, even on a retry.
            let body = req.body(auth)?;
            match self.attempt(req, &body).await {
                Err(Error::Transport(m)) if !req.mutating => last = Some(Error::Transport(m)),
                other => return other,
            }
        }
        Err(last.unwrap_or_else(|| Error::Transport("no attempt made".into())))
    }

    async fn attempt(&self, req: &ApiRequest, body: &Value) -> Result<Value, Error> {
        let url = self.url_for(req);
        let resp = self
            .http
            .post(&url)
            .header("Content-Type", "application/json")
            .body(serde_json::to_vec(body).expect("a JSON value always serializes"))
            .send()
            .await
            .map_err(|e| transport_error(e, req, &url))?;
        let status = resp.status().as_u16();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport_error(e, req, &url))?;
        parse_envelope(status, &bytes, req.mutating, req.rent_order.is_some())
    }

    /// Sign and send a built request and decode its reply: the one path every endpoint takes
    /// (`client.call(request::task_list(&m)?, &auth)`). Also accepts the builder's `Result`, so
    /// a field error comes back as [`Error::Validation`] without anything being sent.
    pub async fn call<T: DeserializeOwned>(
        &self,
        call: impl Into<Built<T>>,
        auth: &Auth,
    ) -> Result<T, Error> {
        let req = call.into().0?;
        let msg = self.send_raw(&req, auth).await?;
        decode(&req, &msg)
    }
}

/// Decode the success message of `req` (what [`Client::send_raw`] returned) as `T`.
pub fn decode<T: DeserializeOwned>(req: &ApiRequest, msg: &Value) -> Result<T, Error> {
    // Decode from a reference: no copy of the reply on the success path.
    T::deserialize(msg).map_err(|e| Error::Decode {
        message: format!("unexpected reply shape for {}: {e}", req.op),
        body: truncate(&msg.to_string(), 512),
        status: 200,
    })
}

fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn transport_error(e: reqwest::Error, req: &ApiRequest, url: &str) -> Error {
    if e.is_timeout() {
        let hint = if req.mutating {
            " — the node may still carry out the action; refresh before trying again"
        } else {
            ""
        };
        return Error::Timeout {
            origin: TimeoutOrigin::Client,
            message: format!("no answer from {url} in time{hint}"),
            reply: None,
        };
    }
    if e.is_connect() {
        return Error::Transport(format!(
            "could not connect to the DBC client at {url}: {}",
            root_cause(&e)
        ));
    }
    // The request may have reached the node (connection reset while reading the reply).
    if req.mutating {
        return Error::AmbiguousOutcome(NodeReply {
            status: 0,
            errcode: 0,
            message: format!(
                "the connection broke before the reply arrived: {}",
                root_cause(&e)
            ),
        });
    }
    Error::Transport(format!(
        "the connection to {url} failed: {}",
        root_cause(&e)
    ))
}

/// The innermost cause in plain words (an OS error's kind rather than its errno text).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    loop {
        if let Some(io) = cur.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            let plain = match io.kind() {
                K::ConnectionRefused => {
                    Some("nothing is listening at that address (connection refused)")
                }
                K::ConnectionReset => Some("the connection was reset"),
                K::ConnectionAborted => Some("the connection was aborted"),
                K::TimedOut => Some("the connection timed out"),
                K::AddrNotAvailable => Some("that address is not available on this computer"),
                K::HostUnreachable => Some("the host cannot be reached"),
                K::NetworkUnreachable => Some("the network cannot be reached"),
                _ => None,
            };
            if let Some(p) = plain {
                return p.to_string();
            }
        }
        match cur.source() {
            Some(next) => cur = next,
            None => break,
        }
    }
    let text = cur.to_string();
    if text.contains("failed to lookup address") || text.contains("Name or service not known") {
        return "the host name could not be found".into();
    }
    text
}

/// Parse `{errcode, message}` (+ `\r\n`) and sort it.
pub fn parse_envelope(
    status: u16,
    bytes: &[u8],
    mutating: bool,
    rent_order_sent: bool,
) -> Result<Value, Error> {
    let text = String::from_utf8_lossy(bytes);
    let parsed: Option<Value> = serde_json::from_slice(bytes).ok();
    let Some(Value::Object(obj)) = parsed else {
        let reply = NodeReply {
            status,
            errcode: 0,
            message: truncate(text.trim(), 512),
        };
        return Err(if mutating {
            Error::AmbiguousOutcome(reply)
        } else {
            Error::Decode {
                message: "the client node's reply is not a JSON object".into(),
                body: reply.message,
                status,
            }
        });
    };
    let errcode = obj
        .get("errcode")
        .and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        })
        .map(|c: i64| i32::try_from(c).unwrap_or(i32::MIN));
    let message = obj.get("message").cloned().unwrap_or(Value::Null);
    match errcode {
        Some(0) if status == 200 => Ok(message),
        Some(code) => Err(Error::from_reply(
            NodeReply {
                status,
                errcode: code,
                message: match message {
                    Value::String(s) => s,
                    other => other.to_string(),
                },
            },
            mutating,
            rent_order_sent,
        )),
        None => Err(Error::Decode {
            message: "the reply has no errcode".into(),
            body: truncate(text.trim(), 512),
            status,
        }),
    }
}
