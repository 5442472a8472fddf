//! The error every command returns: a code the UI branches on, plain words, and the node's own
//! reply kept verbatim.

use dbc_api::error::NodeReply;
use dbc_api::validate::{FieldError, ValidationErrors};
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[error("{title}: {message}")]
pub struct AppError {
    /// validation, auth, not_found, wrong_state, rejected, gateway, timeout, transport, decode,
    /// ambiguous_outcome (from the wire layer) or vault, settings, internal (from the app).
    pub code: String,
    pub title: String,
    pub message: String,
    pub hint: Option<String>,
    /// What the node or its gateway answered, verbatim.
    pub reply: Option<NodeReply>,
    /// Field errors to show next to form fields.
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn new(code: &str, title: &str, message: impl Into<String>, hint: Option<&str>) -> Self {
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
        AppError::new("vault", "Wallet storage problem", message, hint)
    }

    pub fn settings(message: impl Into<String>) -> Self {
        AppError::new("settings", "Settings could not be saved", message, None)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AppError::new("internal", "Something went wrong", message, None)
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

impl From<ValidationErrors> for AppError {
    fn from(v: ValidationErrors) -> Self {
        dbc_api::Error::Validation(v).into()
    }
}

impl From<dbc_api::keys::KeyError> for AppError {
    fn from(e: dbc_api::keys::KeyError) -> Self {
        use dbc_api::keys::KeyError as K;
        let field = match e {
            K::WrongPassword => "password",
            _ => "secret",
        };
        let rule = match e {
            K::WrongPassword => "password",
            _ => "format",
        };
        AppError::field(field, rule, &e.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
