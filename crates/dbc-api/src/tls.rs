//! TLS for `https://` client nodes.
//!
//! reqwest runs on rustls with the **ring** crypto provider, the same one the chain client
//! (jsonrpsee) uses, so the workspace compiles one provider and not aws-lc (minutes of C build).
//! reqwest then needs a process-wide default provider before any `reqwest::Client` is built;
//! [`install_provider`] sets it once and [`crate::Client::new`] calls it. Code that builds its own
//! `reqwest::Client` (tests, benches) calls it first.

use std::sync::Once;

/// Make ring the process's rustls provider. Idempotent; a provider some other code installed
/// first is left in place.
pub fn install_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn after_install_a_default_provider_exists_and_plain_reqwest_clients_build() {
        super::install_provider();
        super::install_provider();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        reqwest::Client::builder().build().expect("a client builds");
    }
}
