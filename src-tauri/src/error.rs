//! The error every command returns: a typed code the UI branches on, plain words, and the node's
//! own reply kept verbatim.

use dbc_api::error::NodeReply;
use dbc_api::validate::{FieldError, ValidationErrors};
use serde::Serialize;
use specta::Type;

/// Failures that belong to the app rather than to a DBC call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AppCode {
    /// The keychain or the passphrase file.
    Vault,
    /// The settings file could not be written.
    Settings,
    /// A wallet or machine the request names is not (or no longer) configured.
    Missing,
    /// The request conflicts with the app's own state (e.g. a wallet still in use).
    Conflict,
    /// The DBC chain could not be read (rent orders, blocks); the rest of the app still works.
    Chain,
    /// A bug or an environment problem.
    Internal,
}

/// What kind of failure: one from the wire layer, or one of the app's own. Serialized as the
/// bare code string, so TypeScript sees one union of string literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(untagged)]
pub enum ErrorCode {
    Node(dbc_api::error::ErrorCode),
    App(AppCode),
}

impl AppCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AppCode::Vault => "vault",
            AppCode::Settings => "settings",
            AppCode::Missing => "missing",
            AppCode::Conflict => "conflict",
            AppCode::Chain => "chain",
            AppCode::Internal => "internal",
        }
    }
}

impl ErrorCode {
    /// The code as the web view sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Node(c) => c.as_str(),
            ErrorCode::App(c) => c.as_str(),
        }
    }
}

impl From<AppCode> for ErrorCode {
    fn from(c: AppCode) -> Self {
        ErrorCode::App(c)
    }
}

impl From<dbc_api::error::ErrorCode> for ErrorCode {
    fn from(c: dbc_api::error::ErrorCode) -> Self {
        ErrorCode::Node(c)
    }
}

#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[error("{title}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub title: String,
    pub message: String,
    pub hint: Option<String>,
    /// What the node or its gateway answered, verbatim.
    pub reply: Option<NodeReply>,
    /// Field errors to show next to form fields.
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn new(
        code: impl Into<ErrorCode>,
        title: &str,
        message: impl Into<String>,
        hint: Option<&str>,
    ) -> Self {
        AppError {
            code: code.into(),
            title: title.into(),
            message: message.into(),
            hint: hint.map(str::to_string),
            reply: None,
            fields: Vec::new(),
        }
    }

    pub fn vault(message: impl Into<String>, hint: Option<&str>) -> Self {
        AppError::new(AppCode::Vault, "Wallet storage problem", message, hint)
    }

    pub fn settings(message: impl Into<String>) -> Self {
        AppError::new(
            AppCode::Settings,
            "Settings could not be saved",
            message,
            None,
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AppError::new(AppCode::Internal, "Something went wrong", message, None)
    }

    pub fn missing(title: &str, message: impl Into<String>, hint: Option<&str>) -> Self {
        AppError::new(AppCode::Missing, title, message, hint)
    }

    /// One field error, for app-level form checks.
    pub fn field(field: &str, rule: &'static str, message: &str) -> Self {
        ValidationErrors {
            errors: vec![FieldError {
                field: field.into(),
                rule,
                message: message.into(),
            }],
        }
        .into()
    }

    /// A failed call of operation `op`: a node refusal that names a field becomes that field's
    /// error too (the node's words kept).
    pub fn from_call(op: &str, e: dbc_api::Error) -> Self {
        let fields = e.refused_fields(op);
        let mut out = AppError::from(e);
        out.fields.extend(fields);
        out
    }
}

/// The error in one line (for an activity's message or a log).
pub fn one_line(e: &AppError) -> String {
    if e.message.trim().is_empty() {
        e.title.clone()
    } else {
        format!("{}: {}", e.title, e.message)
    }
}

impl From<dbc_api::Error> for AppError {
    fn from(e: dbc_api::Error) -> Self {
        let ex = e.explain();
        AppError {
            code: e.code().into(),
            title: ex.title,
            message: ex.message,
            hint: ex.hint,
            reply: e.reply().cloned(),
            fields: match e {
                dbc_api::Error::Validation(v) => v.errors,
                _ => Vec::new(),
            },
        }
    }
}

impl From<dbc_chain::Error> for AppError {
    fn from(e: dbc_chain::Error) -> Self {
        use dbc_chain::ErrorCode as C;
        let hint = match e.code() {
            C::BadEndpoint => "Check the chain address in Settings (ws://, wss://, http:// or https://).",
            C::Unreachable | C::Timeout => "The chain may be down or unreachable from here. Rent orders can still be typed by hand.",
            C::Rpc | C::Malformed => "The chain address may not be a DBC chain node. Rent orders can still be typed by hand.",
        };
        AppError::new(
            AppCode::Chain,
            "The DBC chain could not be read",
            e.to_string(),
            Some(hint),
        )
    }
}

impl From<ValidationErrors> for AppError {
    fn from(v: ValidationErrors) -> Self {
        dbc_api::Error::Validation(v).into()
    }
}

impl From<dbc_api::keys::KeyError> for AppError {
    fn from(e: dbc_api::keys::KeyError) -> Self {
        use dbc_api::keys::KeyError as K;
        let (field, rule) = match e {
            K::WrongPassword => ("password", "password"),
            _ => ("secret", "format"),
        };
        AppError::field(field, rule, &e.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use dbc_api::error::ErrorCode as Wire;

    #[test]
    fn codes_serialize_as_bare_strings() {
        let v = |c: ErrorCode| {
            let j = serde_json::to_value(c).unwrap();
            assert_eq!(j, c.as_str());
            j
        };
        assert_eq!(v(Wire::AmbiguousOutcome.into()), "ambiguous_outcome");
        assert_eq!(v(Wire::Validation.into()), "validation");
        assert_eq!(v(AppCode::Vault.into()), "vault");
        assert_eq!(v(AppCode::Missing.into()), "missing");
    }

    #[test]
    fn a_lan_refusal_naming_a_field_lands_on_that_field() {
        let reply = NodeReply {
            status: 200,
            errcode: -1,
            message: "network name already existed".into(),
        };
        let e = AppError::from_call("lan.create", dbc_api::Error::Rejected(reply));
        assert_eq!(e.code, ErrorCode::Node(Wire::Rejected));
        assert_eq!(e.fields.len(), 1);
        assert_eq!(e.fields[0].field, "network_name");
        assert_eq!(
            e.reply.map(|r| r.message).as_deref(),
            Some("network name already existed")
        );
    }
}
