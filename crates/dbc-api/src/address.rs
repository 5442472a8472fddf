//! What a client-node address means for the transport, decided purely from the address: is it
//! this computer (loopback), does the request go through a proxy, and is it at risk on the way.

use std::net::IpAddr;

use serde::Serialize;

use crate::client::normalize_base_url;

/// The scheme and host of an address (`http://host[:port]`, IPv6 in brackets), lower-cased
/// scheme; `None` when it has no `http://` or `https://` scheme.
fn scheme_and_host(url: &str) -> Option<(&'static str, &str)> {
    let t = url.trim();
    let (scheme, rest) = if let Some(r) = strip_prefix_ignore_case(t, "http://") {
        ("http", r)
    } else {
        ("https", strip_prefix_ignore_case(t, "https://")?)
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    Some((scheme, host))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Whether `host` (a name or an IP address, IPv6 without brackets) is this computer: `localhost`,
/// 127.0.0.0/8, `::1` or an IPv4-mapped loopback address. Other names are not resolved (a name
/// that happens to resolve to 127.0.0.1 still counts as remote).
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Whether requests to a client node go through a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyChoice {
    /// Straight to the node, whatever proxy variables are set: a node on this computer is never
    /// reached through a proxy (which would see every signed request, and may not even be able
    /// to reach this computer's loopback).
    Direct,
    /// The proxy that `HTTP_PROXY` / `HTTPS_PROXY` / `ALL_PROXY` name, unless `NO_PROXY` excludes
    /// the host (as curl does). With none set, straight to the node. The OS's own proxy settings
    /// (macOS, Windows) are not read.
    FromEnvironment,
}

/// The proxy decision for a client-node address.
pub fn proxy_choice(base_url: &str) -> ProxyChoice {
    match scheme_and_host(base_url) {
        Some((_, host)) if is_loopback_host(host) => ProxyChoice::Direct,
        _ => ProxyChoice::FromEnvironment,
    }
}

/// A risk of the way a client-node address is reached.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportRisk {
    /// Plain `http://` to another computer: anyone on the path can read the signed requests
    /// (and the VM passwords in the replies) and replay a captured request.
    PlainHttpRemote,
}

impl TransportRisk {
    /// The code as written on the wire of IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportRisk::PlainHttpRemote => "plain_http_remote",
        }
    }

    /// What the risk is, in plain words.
    pub fn warning(self) -> &'static str {
        match self {
            TransportRisk::PlainHttpRemote => {
                "Plain HTTP to a remote node: anyone on the path can read and replay signed \
                 requests."
            }
        }
    }

    /// What to do about it.
    pub fn remedy(self) -> &'static str {
        match self {
            TransportRisk::PlainHttpRemote => {
                "Put the node behind a TLS reverse proxy (https://) or use an SSH tunnel \
                 (ssh -L 5002:127.0.0.1:5002 host, then http://127.0.0.1:5002)."
            }
        }
    }
}

/// The risk of reaching a client node at `base_url`, if any: plain `http://` to a host that is
/// not this computer. An address that is not valid (see [`normalize_base_url`]) has none: its
/// field error says what is wrong.
pub fn transport_risk(base_url: &str) -> Option<TransportRisk> {
    let url = normalize_base_url(base_url).ok()?;
    match scheme_and_host(&url)? {
        ("http", host) if !is_loopback_host(host) => Some(TransportRisk::PlainHttpRemote),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "LocalHost",
            "localhost.",
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "0:0:0:0:0:0:0:1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "",
            "10.0.0.1",
            "192.168.1.20",
            "0.0.0.0",
            "::",
            "::ffff:10.0.0.1",
            "fe80::1",
            "localhost.example.com",
            "mylocalhost",
            "127.0.0.1.nip.io",
            "node.local",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn loopback_nodes_never_go_through_a_proxy() {
        for u in [
            "http://127.0.0.1:5002",
            "http://localhost:5002/api/v1",
            "HTTP://LOCALHOST",
            "http://[::1]:5002",
            "https://127.0.0.1:8443",
            "https://localhost",
        ] {
            assert_eq!(proxy_choice(u), ProxyChoice::Direct, "{u}");
        }
        for u in [
            "http://10.1.2.3:5002",
            "http://dbc.example.com:5002",
            "https://dbc.example.com",
            "http://[fe80::1]:5002",
            // the host is what counts, not a user name or path that looks local
            "http://localhost.example.com:5002",
        ] {
            assert_eq!(proxy_choice(u), ProxyChoice::FromEnvironment, "{u}");
        }
    }

    #[test]
    fn plain_http_to_another_computer_is_a_risk() {
        let risky = Some(TransportRisk::PlainHttpRemote);
        assert_eq!(transport_risk("http://10.1.2.3:5002"), risky);
        assert_eq!(transport_risk("http://192.168.1.5:5002/api/v1/"), risky);
        assert_eq!(transport_risk(" http://dbc.example.com "), risky);
        assert_eq!(transport_risk("http://[2001:db8::1]:5002"), risky);
        assert_eq!(transport_risk("http://0.0.0.0:5002"), risky);
        for safe in [
            "http://127.0.0.1:5002",
            "http://localhost:5002",
            "http://[::1]:5002",
            "https://dbc.example.com",
            "https://10.1.2.3:8443/api/v1",
            // not an address at all: the field error says so, not a risk
            "dbc.example.com:5002",
            "ftp://dbc.example.com",
            "",
        ] {
            assert_eq!(transport_risk(safe), None, "{safe}");
        }
        assert_eq!(TransportRisk::PlainHttpRemote.as_str(), "plain_http_remote");
        assert_eq!(
            serde_json::to_value(TransportRisk::PlainHttpRemote).unwrap(),
            "plain_http_remote"
        );
        assert!(TransportRisk::PlainHttpRemote
            .remedy()
            .contains("ssh -L 5002:127.0.0.1:5002"));
    }
}
