//! One error type for every failure a DBC call can have.

/// Placeholder until the full enum lands.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {0}")]
    Validation(String),
}
