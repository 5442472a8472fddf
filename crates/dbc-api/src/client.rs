//! HTTP transport (reqwest). Mutating calls are never retried; idempotent reads retry once on a
//! connection error. Every reply is sorted into [`Error`] keeping status, errcode and message.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::address::{proxy_choice, ProxyChoice};
use crate::auth::Auth;
use crate::error::{clip_node_text, Error, NodeReply, TimeoutOrigin};
use crate::request::{ApiRequest, Call};
use crate::validate::{Checker, Rule, ValidationErrors};

/// Default HTTP timeout: the gateway waits 30 s for the GPU node, and node handlers may spend
/// ~20 s before answering (SPEC §1), so stay well above.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(45);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest reply read (4 MiB): the biggest real reply is a VM log of under 8 KiB (SPEC
/// §5.5). A longer reply is refused as soon as it announces or passes this size, so memory stays
/// bounded whatever the other end sends.
pub const MAX_REPLY_BYTES: u64 = 4 << 20;

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

/// Normalise and check a client-node URL: `http://host[:port]` or `https://host[:port]`,
/// without `/api/v1`, the scheme in lower case.
pub fn normalize_base_url(url: &str) -> Result<String, Error> {
    let mut c = Checker::new();
    let t = url.trim().trim_end_matches('/');
    let t = t.strip_suffix("/api/v1").unwrap_or(t).trim_end_matches('/');
    let split = ["http", "https"].into_iter().find_map(|scheme| {
        let head = t.get(..scheme.len() + 3)?;
        head.eq_ignore_ascii_case(&format!("{scheme}://"))
            .then(|| (scheme, &t[scheme.len() + 3..]))
    });
    let out = split.map(|(s, h)| format!("{s}://{h}"));
    match split {
        None => c.fail("url", Rule::UrlScheme),
        Some((_, host))
            if host.is_empty()
                || host.contains(['/', ' ', '@', '?', '#', '\\'])
                || host.chars().any(char::is_control)
                || out
                    .as_deref()
                    .is_some_and(|u| reqwest::Url::parse(u).is_err()) =>
        {
            c.fail("url", Rule::UrlFormat)
        }
        _ => {}
    }
    c.finish(out.unwrap_or_default()).map_err(Error::Validation)
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
        crate::tls::install_provider();
        let builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            // A signed request goes to the configured address only: a 3xx is an error.
            .redirect(reqwest::redirect::Policy::none());
        let builder = match proxy_choice(&base) {
            ProxyChoice::Direct => builder.no_proxy(),
            ProxyChoice::FromEnvironment => builder,
        };
        let http = builder
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
        if resp.status().is_redirection() {
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|v| clip_node_text(&String::from_utf8_lossy(v.as_bytes())))
                .unwrap_or_else(|| "(no Location given)".into());
            return Err(Error::Redirect { status, location });
        }
        let bytes = match read_capped(resp, MAX_REPLY_BYTES).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(announced)) => return Err(too_large(req, status, announced)),
            Err(e) => return Err(transport_error(e, req, &url)),
        };
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

/// Read a reply body of at most `limit` bytes, chunk by chunk. `Ok(Err(announced))` when the
/// reply is longer: refused before reading when its Content-Length says so (`Some(length)`),
/// otherwise as soon as the bytes read pass the limit (`None`). Dropping the response then
/// closes the connection, so the rest is never read.
async fn read_capped(
    mut resp: reqwest::Response,
    limit: u64,
) -> Result<Result<Vec<u8>, Option<u64>>, reqwest::Error> {
    let announced = resp.content_length();
    if let Some(n) = announced.filter(|n| *n > limit) {
        return Ok(Err(Some(n)));
    }
    let mut body = Vec::with_capacity(announced.unwrap_or(0).min(64 << 10) as usize);
    while let Some(chunk) = resp.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(Err(None));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(body))
}

/// A reply over [`MAX_REPLY_BYTES`]: for a mutating call the node may have acted, so the outcome
/// is unknown.
fn too_large(req: &ApiRequest, status: u16, announced: Option<u64>) -> Error {
    let e = Error::ReplyTooLarge {
        limit: MAX_REPLY_BYTES,
        announced,
        status,
    };
    if req.mutating {
        return Error::AmbiguousOutcome(NodeReply {
            status,
            errcode: 0,
            message: format!("{e}; reading stopped"),
        });
    }
    e
}

/// Decode the success message of `req` (what [`Client::send_raw`] returned) as `T`.
pub fn decode<T: DeserializeOwned>(req: &ApiRequest, msg: &Value) -> Result<T, Error> {
    // Decode from a reference: no copy of the reply on the success path.
    T::deserialize(msg).map_err(|e| Error::Decode {
        message: format!("unexpected reply shape for {}: {e}", req.op),
        body: clip_node_text(&msg.to_string()),
        status: 200,
    })
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
        let reply = NodeReply::from_node(status, 0, text.trim());
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
            NodeReply::from_node(
                status,
                code,
                &match message {
                    Value::String(s) => s,
                    other => other.to_string(),
                },
            ),
            mutating,
            rent_order_sent,
        )),
        None => Err(Error::Decode {
            message: "the reply has no errcode".into(),
            body: clip_node_text(text.trim()),
            status,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::NODE_TEXT_MAX_CHARS;

    #[test]
    fn client_node_addresses() {
        let ok = |u: &str| normalize_base_url(u).unwrap();
        assert_eq!(ok("http://127.0.0.1:5002"), "http://127.0.0.1:5002");
        assert_eq!(
            ok(" http://127.0.0.1:5002/api/v1/ "),
            "http://127.0.0.1:5002"
        );
        assert_eq!(ok("https://dbc.example.com"), "https://dbc.example.com");
        assert_eq!(
            ok("HTTPS://dbc.example.com:8443/"),
            "https://dbc.example.com:8443"
        );
        assert_eq!(ok("http://[::1]:5002"), "http://[::1]:5002");
        let rule = |u: &str| match normalize_base_url(u) {
            Err(Error::Validation(v)) => v.errors[0].rule,
            other => panic!("{u}: {other:?}"),
        };
        assert_eq!(rule("127.0.0.1:5002"), "url_scheme");
        assert_eq!(rule("ftp://dbc.example.com"), "url_scheme");
        assert_eq!(rule("http://:5002"), "url_format");
        assert_eq!(rule("http://a b"), "url_format");
        assert_eq!(rule("http://host/path"), "url_format");
        assert_eq!(rule("http://user:pw@host:5002"), "url_format");
        assert_eq!(rule("http://host:5002?x=1"), "url_format");
        assert_eq!(rule("http://host:notaport"), "url_format");
        assert_eq!(rule("http://ho\nst"), "url_format");
    }

    #[test]
    fn node_messages_are_clipped_for_display() {
        // The node's own message, 10 000 characters of which many are two-byte ones.
        let long = "é".repeat(6000) + &"x".repeat(4000);
        let body = serde_json::json!({"errcode": 1, "message": long}).to_string();
        let err = parse_envelope(200, body.as_bytes(), true, true).unwrap_err();
        let msg = &err.reply().unwrap().message;
        assert_eq!(msg.chars().count(), NODE_TEXT_MAX_CHARS + 1);
        assert_eq!(*msg, "é".repeat(NODE_TEXT_MAX_CHARS) + "…");
        assert!(err.to_string().len() < 2 * NODE_TEXT_MAX_CHARS + 100);
        // Short messages are kept verbatim, and classified as before.
        let body = br#"{"errcode":1,"message":"task is running"}"#;
        let err = parse_envelope(200, body, true, true).unwrap_err();
        assert_eq!(err.code().as_str(), "wrong_state");
        assert_eq!(err.reply().unwrap().message, "task is running");
        // An unreadable body is clipped the same way.
        let junk = "<html>".repeat(1000);
        match parse_envelope(502, junk.as_bytes(), false, false).unwrap_err() {
            Error::Decode { body, status, .. } => {
                assert_eq!(status, 502);
                assert_eq!(body.chars().count(), NODE_TEXT_MAX_CHARS + 1);
                assert!(body.ends_with('…'));
            }
            other => panic!("{other:?}"),
        }
        // Exactly the limit: not cut, no ellipsis.
        let exact = "a".repeat(NODE_TEXT_MAX_CHARS);
        assert_eq!(crate::error::clip_node_text(&exact), exact);
    }
}
