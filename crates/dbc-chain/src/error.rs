//! One error type for every failure a chain call can have, with a code to branch on.

use serde::Serialize;

/// The kind of an [`Error`], for code (and UIs) to branch on. Written on the wire (IPC, the
/// CLI's JSON errors) as the snake_case text of [`ErrorCode::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The endpoint is not a usable URL (scheme other than http, https, ws, wss).
    BadEndpoint,
    /// Nothing answered: connection refused or closed, DNS failure, TLS failure, an HTTP
    /// status other than 2xx, a WebSocket that went away.
    Unreachable,
    /// The chain answered with a JSON-RPC error object (code and message kept).
    Rpc,
    /// The chain answered something that is not the expected reply.
    Malformed,
    /// No answer within the configured time.
    Timeout,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadEndpoint => "bad_endpoint",
            ErrorCode::Unreachable => "unreachable",
            ErrorCode::Rpc => "rpc",
            ErrorCode::Malformed => "malformed",
            ErrorCode::Timeout => "timeout",
        }
    }
}

/// JSON-RPC 2.0 code for "the method does not exist / is not available".
pub const METHOD_NOT_FOUND: i32 = -32601;
/// JSON-RPC 2.0 code for invalid method parameters (e.g. a renter that is not an SS58 address).
pub const INVALID_PARAMS: i32 = -32602;

/// Every failure of a chain call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("bad chain endpoint {url:?}: {reason}")]
    BadEndpoint { url: String, reason: String },
    #[error("chain unreachable at {endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error("the chain refused {method}: {message} (JSON-RPC error {code})")]
    Rpc {
        method: String,
        code: i32,
        message: String,
        /// The error object's `data`, as JSON text, when there is one.
        data: Option<String>,
    },
    #[error("malformed reply to {method}: {reason}")]
    Malformed { method: String, reason: String },
    #[error("no answer to {method} within {after_ms} ms")]
    Timeout { method: String, after_ms: u64 },
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::BadEndpoint { .. } => ErrorCode::BadEndpoint,
            Error::Unreachable { .. } => ErrorCode::Unreachable,
            Error::Rpc { .. } => ErrorCode::Rpc,
            Error::Malformed { .. } => ErrorCode::Malformed,
            Error::Timeout { .. } => ErrorCode::Timeout,
        }
    }

    /// The JSON-RPC error code, for [`Error::Rpc`].
    pub fn rpc_code(&self) -> Option<i32> {
        match self {
            Error::Rpc { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The endpoint does not know the method (e.g. a chain without the `rentMachine` RPC).
    pub fn is_method_not_found(&self) -> bool {
        self.rpc_code() == Some(METHOD_NOT_FOUND)
    }

    /// Worth trying again later (nothing answered, or not in time).
    pub fn is_transient(&self) -> bool {
        matches!(self.code(), ErrorCode::Unreachable | ErrorCode::Timeout)
    }

    pub(crate) fn malformed(method: &str, reason: impl Into<String>) -> Error {
        Error::Malformed {
            method: method.to_string(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_helpers() {
        let rpc = Error::Rpc {
            method: "x".into(),
            code: -32601,
            message: "Method not found".into(),
            data: None,
        };
        assert_eq!(rpc.code(), ErrorCode::Rpc);
        assert!(rpc.is_method_not_found());
        assert!(!rpc.is_transient());
        let t = Error::Timeout {
            method: "x".into(),
            after_ms: 5,
        };
        assert_eq!(t.code().as_str(), "timeout");
        assert!(t.is_transient());
        assert_eq!(t.rpc_code(), None);
        assert_eq!(
            serde_json::to_value(ErrorCode::BadEndpoint).unwrap(),
            serde_json::json!("bad_endpoint")
        );
    }
}
