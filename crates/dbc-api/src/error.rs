//! One error type for every failure a DBC call can have. Every variant that comes from the wire
//! keeps the HTTP status, the node's `errcode` and the node's own message.

use serde::Serialize;

use crate::text::{params, render, Params};
use crate::validate::{FieldError, Rule, ValidationErrors};

/// What the node (or its gateway) answered, kept verbatim.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeReply {
    /// HTTP status of the reply (200 for node-side errors).
    pub status: u16,
    /// The envelope's `errcode`.
    pub errcode: i32,
    /// The envelope's `message`, verbatim.
    pub message: String,
}

/// The most characters of the node's own text an error keeps (messages, unreadable bodies): a
/// hostile or broken node cannot flood a dialog, a log or a terminal.
pub const NODE_TEXT_MAX_CHARS: usize = 500;

/// The node's text as an error shows it: at most [`NODE_TEXT_MAX_CHARS`] characters (cut on a
/// character boundary, `…` appended when cut). The one place node text is shortened.
pub fn clip_node_text(s: &str) -> String {
    match s.char_indices().nth(NODE_TEXT_MAX_CHARS) {
        None => s.to_string(),
        Some((end, _)) => format!("{}…", &s[..end]),
    }
}

impl NodeReply {
    /// A reply as the node sent it, its message clipped for display ([`clip_node_text`]).
    pub fn from_node(status: u16, errcode: i32, message: &str) -> NodeReply {
        NodeReply {
            status,
            errcode,
            message: clip_node_text(message),
        }
    }
}

impl std::fmt::Display for NodeReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (HTTP {}, errcode {})",
            self.message, self.status, self.errcode
        )
    }
}

/// Parsed reason of an errcode -3 `check authority failed: <reason>` reply (SPEC §3.7).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum AuthReason {
    /// Bad or missing signature, reused nonce, bad multisig.
    NonceCheckFailed,
    /// Valid signature, but not the renter of this rent order.
    WalletNotRented,
    /// The machine is online but nobody rents it.
    MachineNotRented,
    /// Session fields given but invalid.
    SessionInvalid,
    /// The renter's order is no longer active.
    Expired,
    /// The node could not ask the chain.
    QueryMachineStatusFailed,
    UnknownMachineStatus,
    NotInVerifyTime,
    /// Any other text after `check authority failed`, kept verbatim (may be empty).
    Other(String),
}

impl AuthReason {
    pub fn parse(message: &str) -> AuthReason {
        let reason = message
            .strip_prefix("check authority failed")
            .map(|r| r.trim_start_matches(':').trim())
            .unwrap_or(message.trim());
        match reason {
            "nonce check failed" => AuthReason::NonceCheckFailed,
            "wallet not rented" => AuthReason::WalletNotRented,
            "machine is not be rented" => AuthReason::MachineNotRented,
            "session_id is invalid" => AuthReason::SessionInvalid,
            "machine has already expired" => AuthReason::Expired,
            "query machine_status failed" => AuthReason::QueryMachineStatusFailed,
            "unknown machine status" => AuthReason::UnknownMachineStatus,
            "not in verify time" => AuthReason::NotInVerifyTime,
            other => AuthReason::Other(other.to_string()),
        }
    }
}

/// Who gave up waiting.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutOrigin {
    /// The client node's gateway waited 30 s for the GPU node (`<op> timeout`).
    Gateway,
    /// Our own HTTP client timeout.
    Client,
}

crate::message_keys! {
    /// What went wrong, as a key of the UI's catalogs (`errors.<key>.title|message|hint`), with
    /// the English words for the CLI and logs.
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    // Named `CallErrorKey` in generated TypeScript (apps add keys of their own).
    #[serde(rename = "CallErrorKey")]
    pub enum ErrorKey {
        Validation = "validation" {
            title: "Please check the highlighted fields",
            message: "{fields}",
        }
        AuthNonce = "auth_nonce" {
            title: "Not authorized",
            message: "The machine did not accept the request's signature.",
            hint: "Check that the wallet is the renter's (or a member of the multisig), then try again.",
        }
        AuthNoRentOrder = "auth_no_rent_order" {
            title: "Not authorized",
            message: "The machine says this wallet does not rent it.",
            hint: "No rent order id was sent: add the rent order id to this machine — current DBC nodes need it.",
        }
        AuthWalletNotRented = "auth_wallet_not_rented" {
            title: "Not authorized",
            message: "The machine says this wallet does not hold this rent order.",
            hint: "Check the rent order id and that the wallet is the one that rented the machine.",
        }
        AuthMachineNotRented = "auth_machine_not_rented" {
            title: "Not authorized",
            message: "Nobody rents this machine at the moment.",
            hint: "Rent it on the DBC chain first, then add the rent order id here.",
        }
        AuthSessionInvalid = "auth_session_invalid" {
            title: "Not authorized",
            message: "The shared session was not accepted.",
            hint: "Ask the renter for a fresh session id and its signature.",
        }
        AuthExpired = "auth_expired" {
            title: "Not authorized",
            message: "The rental of this machine has ended.",
            hint: "Renew the rental on the DBC chain; VMs of ended rentals are powered off and later deleted.",
        }
        AuthChainCheck = "auth_chain_check" {
            title: "Not authorized",
            message: "The machine could not check its rental on the DBC chain.",
            hint: "This is on the machine's side; try again in a few minutes.",
        }
        AuthNotInVerifyTime = "auth_not_in_verify_time" {
            title: "Not authorized",
            message: "The verification window is closed.",
        }
        AuthOther = "auth_other" {
            title: "Not authorized",
            message: "The machine refused the request.",
        }
        NotFound = "not_found" {
            title: "Not found",
            message: "The machine does not know this item (it may have been deleted).",
            hint: "Refresh the list.",
        }
        VmMustBeOff = "vm_must_be_off" {
            title: "Stop the VM first",
            message: "This needs the VM to be powered off.",
            hint: "Shut the VM down, wait until it shows closed, then try again.",
        }
        WrongState = "wrong_state" {
            title: "Not possible in the VM's current state",
            message: "The machine says: {node}.",
            hint: "Wait for the current step to finish, then try again.",
        }
        Rejected = "rejected" {
            title: "The machine refused the request",
            message: "The machine says: {node}.",
        }
        MachineUnreachable = "machine_unreachable" {
            title: "Machine unreachable",
            message: "Your DBC client does not currently see this machine on the network.",
            hint: "Check the machine id; if it is right, the machine may be offline — try again in a few minutes.",
        }
        UnknownImageServer = "unknown_image_server" {
            title: "Unknown image server",
            message: "Your DBC client has no image server with that name.",
            hint: "Pick one of the servers listed by the client.",
        }
        Gateway = "gateway" {
            title: "Your DBC client refused the request",
            message: "It says: {node}.",
        }
        GatewayTimeout = "gateway_timeout" {
            title: "The machine did not answer in time",
            message: "Your DBC client waited 30 seconds for the GPU machine.",
            hint: "The action may still happen: refresh in a moment before trying again.",
        }
        Timeout = "timeout" {
            title: "No answer in time",
            message: "{detail}",
            hint: "Check that your DBC client is running; refresh before repeating an action.",
        }
        Transport = "transport" {
            title: "Cannot reach your DBC client",
            message: "{detail}",
            hint: "Check the client address in Settings and that the client is running.",
        }
        DecodeBadJson = "decode_bad_json" {
            title: "Unreadable reply",
            message: "The node built a reply that is not valid JSON (a text field probably contains a quote or backslash).",
        }
        Decode = "decode" {
            title: "Unreadable reply",
            message: "{detail}",
        }
        ReplyTooLarge = "reply_too_large" {
            title: "Reply too large",
            message: "The reply is larger than {limit_mib} MiB: DBC Desk stopped reading it. A DBC client's largest reply is a few KiB, so the address may not be a DBC client.",
            hint: "Check the client address in Settings.",
        }
        Redirect = "redirect" {
            title: "The address redirects elsewhere",
            message: "The client address answered with a redirect (HTTP {status}) to {location}. DBC Desk never follows redirects: a signed request goes only to the address you set.",
            hint: "Put the final address of your DBC client in Settings.",
        }
        AmbiguousOutcome = "ambiguous_outcome" {
            title: "The outcome is unknown",
            message: "The machine may have carried out the action, but its reply could not be read.",
            hint: "Refreshing the state now — check it before trying again.",
        }
    }
}

/// An error in plain words: a catalog key with its parameters (the UI's words), and the same
/// in English (CLI, logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub key: ErrorKey,
    /// The values the words name (the node's own text among them, verbatim).
    pub params: Params,
    pub title: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Explanation {
    /// The English words of `key`, filled with `params`.
    pub fn of(key: ErrorKey, params: Params) -> Explanation {
        let en = key.english();
        Explanation {
            key,
            title: render(en.title, &params),
            message: render(en.message, &params),
            hint: en.hint.map(|h| render(h, &params)),
            params,
        }
    }
}

/// The kind of an [`Error`], for code (and UIs) to branch on.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
// Named `CallErrorCode` in generated TypeScript (apps add codes of their own).
#[serde(rename = "CallErrorCode", rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    Auth,
    NotFound,
    WrongState,
    Rejected,
    Gateway,
    Timeout,
    Transport,
    Decode,
    AmbiguousOutcome,
    ReplyTooLarge,
    Redirect,
}

impl ErrorCode {
    /// The code as written on the wire of IPC and in the CLI's JSON errors.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::Auth => "auth",
            ErrorCode::NotFound => "not_found",
            ErrorCode::WrongState => "wrong_state",
            ErrorCode::Rejected => "rejected",
            ErrorCode::Gateway => "gateway",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Transport => "transport",
            ErrorCode::Decode => "decode",
            ErrorCode::AmbiguousOutcome => "ambiguous_outcome",
            ErrorCode::ReplyTooLarge => "reply_too_large",
            ErrorCode::Redirect => "redirect",
        }
    }
}

/// Node refusals that name a field: (operation, text in the message, field).
const REFUSAL_FIELDS: &[(&str, &str, &str)] = &[
    ("lan.create", "network name", "network_name"),
    ("lan.create", "ip cidr", "ip_cidr"),
];

/// Every failure of a DBC call.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// Bad input, caught before anything was sent.
    #[error("{0}")]
    Validation(ValidationErrors),
    /// errcode -3 `check authority failed: …`.
    #[error("not authorized: {reply}")]
    Auth {
        reason: AuthReason,
        reply: NodeReply,
        /// Whether the request carried a `rent_order` (a missing one explains `wallet not rented`).
        rent_order_sent: bool,
    },
    /// The task, disk, snapshot, image or network does not exist.
    #[error("not found: {0}")]
    NotFound(NodeReply),
    /// The VM is in the wrong state for this action (`task is …`, `please close task first …`).
    #[error("wrong state: {0}")]
    WrongState(NodeReply),
    /// The node refused the request (its own validation or resources; errcode 1 or -3).
    #[error("refused by the node: {0}")]
    Rejected(NodeReply),
    /// The client node's gateway refused or could not forward (HTTP 4xx/5xx with an errcode).
    #[error("gateway error: {0}")]
    Gateway(NodeReply),
    /// Nobody answered in time.
    #[error("timed out ({origin:?}): {message}")]
    Timeout {
        origin: TimeoutOrigin,
        message: String,
        reply: Option<NodeReply>,
    },
    /// The connection failed (refused, reset, DNS …).
    #[error("connection failed: {0}")]
    Transport(String),
    /// The reply could not be understood.
    #[error("unreadable reply: {message}")]
    Decode {
        message: String,
        /// The start of the body, for diagnosis.
        body: String,
        status: u16,
    },
    /// A mutating call answered `response parse error`: the node may well have done it (§2.3).
    #[error("the node may have carried out the action, but its reply was unreadable: {0}")]
    AmbiguousOutcome(NodeReply),
    /// A read's reply was larger than [`crate::client::MAX_REPLY_BYTES`]: reading stopped there
    /// (a mutating call's oversized reply is an [`Error::AmbiguousOutcome`]).
    #[error("reply too large (over {} MiB){}", limit >> 20, announced.map(|n| format!(", {n} bytes announced")).unwrap_or_default())]
    ReplyTooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The size the reply announced (Content-Length), when it gave one over the limit.
        announced: Option<u64>,
        status: u16,
    },
    /// The address answered with a redirect (HTTP 3xx). DBC client nodes never redirect, and a
    /// signed request is never re-sent elsewhere: nothing was sent to `location`.
    #[error("the address answered with a redirect (HTTP {status}) to {location:?}, which is not followed")]
    Redirect { status: u16, location: String },
}

impl Error {
    /// A stable code the UI can branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::Auth { .. } => ErrorCode::Auth,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::WrongState(_) => ErrorCode::WrongState,
            Error::Rejected(_) => ErrorCode::Rejected,
            Error::Gateway(_) => ErrorCode::Gateway,
            Error::Timeout { .. } => ErrorCode::Timeout,
            Error::Transport(_) => ErrorCode::Transport,
            Error::Decode { .. } => ErrorCode::Decode,
            Error::AmbiguousOutcome(_) => ErrorCode::AmbiguousOutcome,
            Error::ReplyTooLarge { .. } => ErrorCode::ReplyTooLarge,
            Error::Redirect { .. } => ErrorCode::Redirect,
        }
    }

    /// A node refusal whose message names one of the request's fields, as a field error of
    /// that field (the node's words kept). Classifying the node's English text happens here and
    /// nowhere else. [inferred from the node's messages: keep the table easy to change]
    pub fn refused_fields(&self, op: &str) -> Vec<FieldError> {
        let Error::Rejected(reply) = self else {
            return Vec::new();
        };
        let text = reply.message.to_ascii_lowercase();
        REFUSAL_FIELDS
            .iter()
            .filter(|(o, needle, _)| *o == op && text.contains(needle))
            .take(1)
            .map(|(_, _, field)| {
                FieldError::new(
                    *field,
                    Rule::Refused,
                    params([("node", reply.message.trim().to_string())]),
                )
            })
            .collect()
    }

    /// Plain words for a renter: a catalog key and its parameters, and the same in English (a
    /// headline, a sentence, and what to do next, if anything).
    pub fn explain(&self) -> Explanation {
        use ErrorKey as K;
        let node = |r: &NodeReply| params([("node", r.message.clone())]);
        let detail = |m: &str| params([("detail", m.to_string())]);
        let (key, p) = match self {
            Error::Validation(v) => (
                K::Validation,
                params([(
                    "fields",
                    v.errors
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                )]),
            ),
            Error::Auth {
                reason,
                rent_order_sent,
                ..
            } => (
                match reason {
                    AuthReason::NonceCheckFailed => K::AuthNonce,
                    AuthReason::WalletNotRented if !rent_order_sent => K::AuthNoRentOrder,
                    AuthReason::WalletNotRented => K::AuthWalletNotRented,
                    AuthReason::MachineNotRented => K::AuthMachineNotRented,
                    AuthReason::SessionInvalid => K::AuthSessionInvalid,
                    AuthReason::Expired => K::AuthExpired,
                    AuthReason::QueryMachineStatusFailed | AuthReason::UnknownMachineStatus => {
                        K::AuthChainCheck
                    }
                    AuthReason::NotInVerifyTime => K::AuthNotInVerifyTime,
                    AuthReason::Other(_) => K::AuthOther,
                },
                Params::new(),
            ),
            Error::NotFound(_) => (K::NotFound, Params::new()),
            Error::WrongState(r) if r.message.starts_with("please close task first") => {
                (K::VmMustBeOff, Params::new())
            }
            Error::WrongState(r) => (K::WrongState, node(r)),
            Error::Rejected(r) => (K::Rejected, node(r)),
            Error::Gateway(r) if r.message == "create node request failed" => {
                (K::MachineUnreachable, Params::new())
            }
            Error::Gateway(r) if r.message == "image_server not exist" => {
                (K::UnknownImageServer, Params::new())
            }
            Error::Gateway(r) => (K::Gateway, node(r)),
            Error::Timeout {
                origin: TimeoutOrigin::Gateway,
                ..
            } => (K::GatewayTimeout, Params::new()),
            Error::Timeout { message, .. } => (K::Timeout, detail(message)),
            Error::Transport(m) => (K::Transport, detail(m)),
            Error::Decode { body, status, .. }
                if *status == 500 && body == "response parse error" =>
            {
                (K::DecodeBadJson, Params::new())
            }
            Error::Decode { message, .. } => (K::Decode, detail(message)),
            Error::ReplyTooLarge { limit, .. } => (
                K::ReplyTooLarge,
                params([("limit_mib", (limit >> 20).to_string())]),
            ),
            Error::Redirect { status, location } => (
                K::Redirect,
                params([
                    ("status", status.to_string()),
                    ("location", location.clone()),
                ]),
            ),
            Error::AmbiguousOutcome(_) => (K::AmbiguousOutcome, Params::new()),
        };
        Explanation::of(key, p)
    }

    /// The node's reply, when there was one.
    pub fn reply(&self) -> Option<&NodeReply> {
        match self {
            Error::Auth { reply, .. } => Some(reply),
            Error::NotFound(r)
            | Error::WrongState(r)
            | Error::Rejected(r)
            | Error::Gateway(r)
            | Error::AmbiguousOutcome(r) => Some(r),
            Error::Timeout { reply, .. } => reply.as_ref(),
            _ => None,
        }
    }

    /// Sort a non-success envelope into a variant (SPEC §2.4, §3.7, §4.2).
    pub fn from_reply(reply: NodeReply, mutating: bool, rent_order_sent: bool) -> Error {
        let msg = reply.message.as_str();
        if reply.status == 500 && reply.errcode == -1 {
            if msg.ends_with(" timeout") {
                return Error::Timeout {
                    origin: TimeoutOrigin::Gateway,
                    message: reply.message.clone(),
                    reply: Some(reply),
                };
            }
            if msg == "response parse error" {
                return if mutating {
                    Error::AmbiguousOutcome(reply)
                } else {
                    Error::Decode {
                        message: "the node built a reply that is not valid JSON (a text field \
                                  probably contains a quote or backslash)"
                            .into(),
                        body: reply.message,
                        status: 500,
                    }
                };
            }
        }
        if reply.status != 200 {
            return Error::Gateway(reply);
        }
        if msg.starts_with("check authority failed") {
            return Error::Auth {
                reason: AuthReason::parse(msg),
                reply,
                rent_order_sent,
            };
        }
        if msg.contains("not exist") || msg == "no session id" || msg == "task have no disk" {
            return Error::NotFound(reply);
        }
        if msg.starts_with("task is ")
            || msg.starts_with("please close task first")
            || msg.starts_with("Only the running task")
            || msg.contains("in downloading")
            || msg.contains("in uploading")
            || msg.starts_with("network is in used")
        {
            return Error::WrongState(reply);
        }
        Error::Rejected(reply)
    }
}

impl From<ValidationErrors> for Error {
    fn from(v: ValidationErrors) -> Self {
        Error::Validation(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(status: u16, errcode: i32, message: &str) -> NodeReply {
        NodeReply {
            status,
            errcode,
            message: message.into(),
        }
    }

    #[test]
    fn auth_reasons_parse() {
        let cases = [
            (
                "check authority failed: nonce check failed",
                AuthReason::NonceCheckFailed,
            ),
            (
                "check authority failed: wallet not rented",
                AuthReason::WalletNotRented,
            ),
            (
                "check authority failed: machine is not be rented",
                AuthReason::MachineNotRented,
            ),
            (
                "check authority failed: session_id is invalid",
                AuthReason::SessionInvalid,
            ),
            (
                "check authority failed: machine has already expired",
                AuthReason::Expired,
            ),
            (
                "check authority failed: query machine_status failed",
                AuthReason::QueryMachineStatusFailed,
            ),
            (
                "check authority failed: not in verify time",
                AuthReason::NotInVerifyTime,
            ),
            ("check authority failed", AuthReason::Other(String::new())),
            (
                "check authority failed: weird",
                AuthReason::Other("weird".into()),
            ),
        ];
        for (m, want) in cases {
            match Error::from_reply(r(200, -3, m), false, true) {
                Error::Auth { reason, reply, .. } => {
                    assert_eq!(reason, want, "{m}");
                    assert_eq!(reply.message, m);
                }
                e => panic!("{m}: {e:?}"),
            }
        }
    }

    #[test]
    fn classification() {
        let code = |s, e, m, mutating| {
            Error::from_reply(r(s, e, m), mutating, true)
                .code()
                .as_str()
        };
        assert_eq!(code(200, -3, "task_id not exist", false), "not_found");
        assert_eq!(code(200, 1, "task not exist", true), "not_found");
        assert_eq!(code(200, 1, "task is running", true), "wrong_state");
        assert_eq!(
            code(200, 1, "please close task first and try again", true),
            "wrong_state"
        );
        assert_eq!(code(200, 1, "cpu_cores is invalid", true), "rejected");
        assert_eq!(code(400, -25, "image_server not exist", false), "gateway");
        assert_eq!(
            code(400, -32701, "create node request failed", false),
            "gateway"
        );
        assert_eq!(
            code(404, -32601, "not support uri:/api/v1/x", false),
            "gateway"
        );
        assert_eq!(code(500, -1, "create task timeout", true), "timeout");
        assert_eq!(
            code(500, -1, "response parse error", true),
            "ambiguous_outcome"
        );
        assert_eq!(code(500, -1, "response parse error", false), "decode");
        assert_eq!(code(500, -32701, "Unhandled request", false), "gateway");
    }

    #[test]
    fn plain_words_name_the_likely_cause() {
        let e = Error::from_reply(
            r(200, -3, "check authority failed: wallet not rented"),
            false,
            false,
        );
        assert!(e.explain().hint.unwrap().contains("rent order id"));
        let e = Error::from_reply(
            r(200, 1, "please close task first and try again"),
            true,
            true,
        );
        assert_eq!(e.explain().title, "Stop the VM first");
        let e = Error::from_reply(r(500, -1, "response parse error"), true, true);
        assert!(e.explain().hint.unwrap().contains("Refreshing"));
        let e = Error::from_reply(r(200, 1, "allocate gpu failed"), true, true);
        assert!(e.explain().message.contains("allocate gpu failed"));
    }

    #[test]
    fn every_wire_variant_keeps_the_reply() {
        let e = Error::from_reply(r(500, -1, "stop task timeout"), true, true);
        let reply = e.reply().unwrap();
        assert_eq!((reply.status, reply.errcode), (500, -1));
        assert_eq!(reply.message, "stop task timeout");
    }

    #[test]
    fn refusals_naming_a_field_become_field_errors() {
        let e = Error::Rejected(r(200, -1, "network name already existed"));
        let f = e.refused_fields("lan.create");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field, "network_name");
        assert_eq!(f[0].message, "network name already existed");
        let e = Error::Rejected(r(200, -1, "invalid ip cidr"));
        assert_eq!(e.refused_fields("lan.create")[0].field, "ip_cidr");
        // other operations, other kinds and other texts name no field
        assert!(e.refused_fields("task.create").is_empty());
        assert!(Error::NotFound(r(200, -1, "invalid ip cidr"))
            .refused_fields("lan.create")
            .is_empty());
        assert!(Error::Rejected(r(200, -1, "out of memory"))
            .refused_fields("lan.create")
            .is_empty());
    }
}
