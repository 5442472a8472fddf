//! HTTP transport (reqwest). Mutating calls are never retried; idempotent reads retry once on a
//! connection error. Every reply is sorted into [`Error`] keeping status, errcode and message.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::Auth;
use crate::error::{Error, NodeReply, TimeoutOrigin};
use crate::models::*;
use crate::request::{self, ApiRequest, CreateTask, LogEnd, Machine, ModifyTask, TaskAction};
use crate::validate::Checker;

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

    /// Send and decode the payload into `T`.
    pub async fn send<T: DeserializeOwned>(
        &self,
        req: ApiRequest,
        auth: &Auth,
    ) -> Result<T, Error> {
        let msg = self.send_raw(&req, auth).await?;
        // Decode from a reference: no copy of the reply on the success path.
        T::deserialize(&msg).map_err(|e| Error::Decode {
            message: format!("unexpected reply shape for {}: {e}", req.op),
            body: truncate(&msg.to_string(), 512),
            status: 200,
        })
    }

    // ---- typed calls, one per endpoint -------------------------------------------------------

    pub async fn version(&self) -> Result<VersionInfo, Error> {
        self.send(request::version(), &Auth::None).await
    }
    pub async fn machine_list(&self) -> Result<MachineList, Error> {
        self.send(request::machine_list(), &Auth::None).await
    }
    pub async fn machine_info(
        &self,
        m: &Machine,
        image_server: Option<&str>,
    ) -> Result<MachineInfo, Error> {
        self.send(request::machine_info(m, image_server)?, &Auth::None)
            .await
    }
    pub async fn session_id(&self, m: &Machine, auth: &Auth) -> Result<SessionIdReply, Error> {
        self.send(request::session_id(m)?, auth).await
    }
    pub async fn rent_orders(&self, m: &Machine, order: Option<&str>) -> Result<RentOrders, Error> {
        self.send(request::rent_orders(m, order)?, &Auth::None)
            .await
    }
    pub async fn create_task(
        &self,
        m: &Machine,
        auth: &Auth,
        t: &CreateTask,
    ) -> Result<TaskSummary, Error> {
        self.send(request::create_task(m, t)?, auth).await
    }
    pub async fn task_detail(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
    ) -> Result<TaskDetail, Error> {
        self.send(request::task_detail(m, task_id)?, auth).await
    }
    pub async fn task_list(&self, m: &Machine, auth: &Auth) -> Result<Vec<TaskSummary>, Error> {
        self.send(request::task_list(m)?, auth).await
    }
    pub async fn task_action(
        &self,
        m: &Machine,
        auth: &Auth,
        action: TaskAction,
        task_id: &str,
    ) -> Result<String, Error> {
        self.send(request::task_action(m, action, task_id)?, auth)
            .await
    }
    pub async fn task_restart(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        force: bool,
    ) -> Result<String, Error> {
        self.send(request::task_restart(m, task_id, force)?, auth)
            .await
    }
    pub async fn task_logs(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        end: LogEnd,
        lines: u32,
    ) -> Result<TaskLogs, Error> {
        self.send(request::task_logs(m, task_id, end, lines)?, auth)
            .await
    }
    pub async fn task_passwd(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        user: &str,
        password: &str,
    ) -> Result<String, Error> {
        self.send(request::task_passwd(m, task_id, user, password)?, auth)
            .await
    }
    pub async fn task_modify(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        t: &ModifyTask,
    ) -> Result<String, Error> {
        self.send(request::task_modify(m, task_id, t)?, auth).await
    }
    pub async fn disk_list(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
    ) -> Result<Vec<DiskEntry>, Error> {
        self.send(request::disk_list(m, task_id)?, auth).await
    }
    pub async fn disk_resize(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        disk: &str,
        add_gb: u64,
    ) -> Result<String, Error> {
        self.send(request::disk_resize(m, task_id, disk, add_gb)?, auth)
            .await
    }
    pub async fn disk_add(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        size_gb: u64,
        mount_dir: &str,
    ) -> Result<String, Error> {
        self.send(request::disk_add(m, task_id, size_gb, mount_dir)?, auth)
            .await
    }
    pub async fn disk_delete(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        disk: &str,
    ) -> Result<String, Error> {
        self.send(request::disk_delete(m, task_id, disk)?, auth)
            .await
    }
    pub async fn snapshot_list(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
    ) -> Result<Vec<Snapshot>, Error> {
        self.send(request::snapshot_list(m, task_id, None)?, auth)
            .await
    }
    pub async fn snapshot_detail(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        name: &str,
    ) -> Result<Snapshot, Error> {
        self.send(request::snapshot_list(m, task_id, Some(name))?, auth)
            .await
    }
    pub async fn snapshot_create(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        name: &str,
        desc: &str,
        image_server: &str,
    ) -> Result<String, Error> {
        self.send(
            request::snapshot_create(m, task_id, name, desc, image_server)?,
            auth,
        )
        .await
    }
    pub async fn snapshot_delete(
        &self,
        m: &Machine,
        auth: &Auth,
        task_id: &str,
        name: &str,
    ) -> Result<String, Error> {
        self.send(request::snapshot_delete(m, task_id, name)?, auth)
            .await
    }
    pub async fn image_servers(&self) -> Result<ImageServers, Error> {
        self.send(request::image_servers(), &Auth::None).await
    }
    pub async fn images_on_server(&self, image_server: &str) -> Result<Vec<ImageEntry>, Error> {
        self.send(request::images_on_server(image_server)?, &Auth::None)
            .await
    }
    /// Images on a node; with a signing `auth` also the caller's stopped system disks.
    pub async fn images_on_node(
        &self,
        m: &Machine,
        auth: &Auth,
        image_server: Option<&str>,
    ) -> Result<Vec<ImageEntry>, Error> {
        let with_auth = !matches!(auth, Auth::None);
        self.send(request::images_on_node(m, image_server, with_auth)?, auth)
            .await
    }
    pub async fn image_download(
        &self,
        m: &Machine,
        auth: &Auth,
        image_server: &str,
        file: &str,
        local_dir: &str,
    ) -> Result<String, Error> {
        self.send(
            request::image_download(m, image_server, file, local_dir)?,
            auth,
        )
        .await
    }
    pub async fn image_download_progress(
        &self,
        m: &Machine,
        auth: &Auth,
        file: &str,
    ) -> Result<TransferProgress, Error> {
        self.send(request::image_download_progress(m, file)?, auth)
            .await
    }
    pub async fn image_download_stop(
        &self,
        m: &Machine,
        auth: &Auth,
        file: &str,
    ) -> Result<String, Error> {
        self.send(request::image_download_stop(m, file)?, auth)
            .await
    }
    pub async fn image_upload(
        &self,
        m: Option<&Machine>,
        auth: &Auth,
        file: &str,
        image_server: &str,
    ) -> Result<String, Error> {
        self.send(request::image_upload(m, file, image_server)?, auth)
            .await
    }
    pub async fn image_upload_progress(
        &self,
        m: Option<&Machine>,
        auth: &Auth,
        file: &str,
    ) -> Result<TransferProgress, Error> {
        self.send(request::image_upload_progress(m, file)?, auth)
            .await
    }
    pub async fn image_upload_stop(
        &self,
        m: Option<&Machine>,
        auth: &Auth,
        file: &str,
    ) -> Result<String, Error> {
        self.send(request::image_upload_stop(m, file)?, auth).await
    }
    pub async fn image_delete(
        &self,
        m: &Machine,
        auth: &Auth,
        file: &str,
    ) -> Result<String, Error> {
        self.send(request::image_delete(m, file)?, auth).await
    }
    pub async fn lan_create(
        &self,
        m: &Machine,
        auth: &Auth,
        name: &str,
        cidr: &str,
    ) -> Result<String, Error> {
        self.send(request::lan_create(m, name, cidr)?, auth).await
    }
    pub async fn lan_delete(&self, m: &Machine, auth: &Auth, name: &str) -> Result<String, Error> {
        self.send(request::lan_delete(m, name)?, auth).await
    }
    pub async fn lan_list(&self, m: Option<&Machine>, auth: &Auth) -> Result<LanList, Error> {
        self.send(request::lan_list(m, None)?, auth).await
    }
    pub async fn lan_detail(
        &self,
        m: Option<&Machine>,
        auth: &Auth,
        name: &str,
    ) -> Result<LanInfo, Error> {
        self.send(request::lan_list(m, Some(name))?, auth).await
    }
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
