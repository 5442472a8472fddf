//! Small parameter helpers shared by the node handlers.

use serde_json::{Map, Value};

pub(super) fn gs<'a>(add: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    add.get(k).and_then(Value::as_str)
}

pub(super) fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub(super) fn ipv4(s: &str) -> Option<[u8; 4]> {
    s.parse::<std::net::Ipv4Addr>().ok().map(|a| a.octets())
}

pub(super) fn str_array(add: &Map<String, Value>, k: &str) -> Vec<String> {
    add.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}
