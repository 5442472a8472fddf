//! Input rules that mirror the node's (SPEC §2.3, §5). Every builder collects all field errors at
//! once, in a shape a form can show next to its fields.

use std::net::Ipv4Addr;

use serde::Serialize;

use crate::text::{params, render, Params};

/// One broken rule on one field.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The request field (wire name), e.g. `vnc_port`, `custom_port[1]`.
    pub field: String,
    /// A stable rule id naming one message, e.g. `range`, `required`, `cidr_format`: the UI
    /// shows `fieldRules.<rule>` from its catalogs, filled with `params`.
    pub rule: &'static str,
    /// The values in the message (limits, the value given, the node's words), never translated.
    /// Left out when there are none.
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub params: Params,
    /// The English sentence (CLI, logs, and the UI's fallback for a rule it does not know).
    pub message: String,
}

impl FieldError {
    /// An error of `rule` on `field`, its English message rendered from `params`.
    pub fn new(field: impl Into<String>, rule: impl FieldRule, params: Params) -> FieldError {
        let template = rule.english();
        debug_assert_eq!(
            params.keys().map(String::as_str).collect::<Vec<_>>(),
            {
                let mut p = crate::text::placeholders(template);
                p.sort_unstable();
                p
            },
            "parameters of rule {}",
            rule.id()
        );
        FieldError {
            field: field.into(),
            rule: rule.id(),
            message: render(template, &params),
            params,
        }
    }
}

/// A field rule: a stable id and its English template (`{name}` placeholders = parameters).
pub trait FieldRule: Copy {
    fn id(self) -> &'static str;
    fn english(self) -> &'static str;
}

/// An enum of field rules: each variant has an id (the UI's `fieldRules.<id>`) and an English
/// template; `ALL` lists them.
#[macro_export]
macro_rules! field_rules {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($v:ident = $id:literal => $en:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $($v,)* }
        impl $name {
            /// Every rule, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
        }
        impl $crate::validate::FieldRule for $name {
            fn id(self) -> &'static str {
                match self { $($name::$v => $id),* }
            }
            fn english(self) -> &'static str {
                match self { $($name::$v => $en),* }
            }
        }
    };
}

field_rules! {
    /// The rules of the DBC API's own checks.
    pub enum Rule {
        Required = "required" => "this field is required",
        Number = "number" => "must be a whole number (digits only)",
        Range = "range" => "must be between {min} and {max}",
        AtLeast = "at_least" => "must be at least {min}",
        Length = "length" => "at most {max} characters",
        CharsetControl = "charset_control" => "control characters (such as new lines or tabs) cannot be used here: the node would answer with a broken reply",
        CharsetChar = "charset_char" => "the character {char} cannot be used here: the node would answer with a broken reply",
        PathCharset = "path_charset" => "only letters, digits, '.', '_' and '-' are allowed (it becomes part of the URL)",
        MachineIdFormat = "machine_id_format" => "a machine id is 64 lowercase hex characters (the on-chain machine id, without 0x)",
        RentOrderFormat = "rent_order_format" => "the rent order id is a whole number (digits only)",
        MultisigMembersCount = "multisig_members_count" => "give the addresses of all members (at least two)",
        Address = "address" => "{value} is not an SS58 address",
        Repeat = "repeat" => "{value} is listed twice",
        Member = "member" => "{value} is not a member of this multisig",
        SignersCount = "signers_count" => "the node needs {count} signatures: choose at least {count} of your wallets",
        Ipv4Format = "ipv4_format" => "must be an IPv4 address such as 203.0.113.7",
        Extension = "extension" => "the image file name must end in .qcow2",
        FileNameOnly = "file_name_only" => "give the file name only, without a folder",
        NetworkNameFormat = "network_name_format" => "a network name is 6 to 10 letters or digits",
        CidrFormat = "cidr_format" => "must be an IPv4 network such as 192.168.66.0/24",
        CidrReserved = "cidr_reserved" => "192.168.122.x is used by the hypervisor; pick another range",
        MulticastFormat = "multicast_format" => "write it as address:port, e.g. 239.1.1.1:5000",
        Multicast = "multicast" => "the address must be a multicast address (224.0.0.0 to 239.255.255.255)",
        MulticastPort = "multicast_port" => "the port must be 1 to 65535 without leading zeros",
        PortForwardFormat = "port_forward_format" => "write it as protocol,ports — e.g. tcp,8080 or udp,7000-7010",
        PortForwardSplit = "port_forward_split" => "the protocol {proto} is not accepted by the node (it silently ignores it): send one entry per protocol, e.g. tcp,{ports} and udp,{ports}",
        PortForwardProtocol = "port_forward_protocol" => "the protocol must be tcp or udp",
        PortForwardPorts = "port_forward_ports" => "ports must be N, HOST:GUEST, FROM-TO or FROM-TO:FROM-TO with ports 1 to 65535",
        NetworkFilterFormat = "network_filter_format" => "write a rule as direction,protocol,port,cidr,action — e.g. in,tcp,22,0.0.0.0/0,accept",
        OverRent = "over_rent" => "your rent order has {rent} GPU(s); ask for at most {rent}",
        ExactRent = "exact_rent" => "your rent order covers part of the machine: use exactly its {rent} GPU(s)",
        MemOverFree = "mem_over_free" => "the machine has {free} GB of memory free",
        DiskOverFree = "disk_over_free" => "{free} GB can be placed on /data (free space less the node's {reserve} GB reserve)",
        PortTaken = "port_taken" => "{proto} {ports} is used by VM {vm} ({kind}) on this machine",
        PortTakenForward = "port_taken_forward" => "{proto} {ports} is used by VM {vm} (a forward) on this machine",
        PortTwice = "port_twice" => "the same port is already given in {other}",
        UrlScheme = "url_scheme" => "the address starts with http:// or https:// (e.g. http://127.0.0.1:5002)",
        UrlFormat = "url_format" => "give the client node as http://host:port or https://host[:port], e.g. http://127.0.0.1:5002",
        AuthRequired = "auth_required" => "this action needs a wallet or a shared session for the machine",
        AuthSigning = "auth_signing" => "only the renter's own wallet (or multisig) can fetch the session id, not a session",
        ThresholdRange = "threshold_range" => "the threshold must be between 1 and the number of wallets",
        SignersBelowThreshold = "signers_below_threshold" => "fewer local signers than the threshold",
        TaskIdFormat = "task_id_format" => "a custom task id is 20 to 22 letters or digits",
        OsChoice = "os_choice" => "choose linux or windows",
        BiosChoice = "bios_choice" => "choose legacy, uefi or pxe",
        VncPortConflict = "vnc_port_conflict" => "the VNC port must differ from the SSH/RDP port",
        DataFileNameOnly = "data_file_name_only" => "give the file name in /data only, without a folder",
        NicChoice = "nic_choice" => "choose virtio (default), e1000 or rtl8139",
        TaskIdReserved = "task_id_reserved" => "a task named 'start' cannot be queried (the path is reserved)",
        LineNumRange = "line_num_range" => "the node returns 1 to 100 lines at a time",
        SshRdpConflict = "ssh_rdp_conflict" => "the SSH and RDP ports must differ",
        NothingToChange = "nothing_to_change" => "nothing to change: fill in at least one field",
        DiskNameFormat = "disk_name_format" => "a disk name looks like vdb, vdc, …",
        AbsoluteDir = "absolute_dir" => "an absolute folder on the GPU host, e.g. /data",
        SystemDisk = "system" => "the system disk vda cannot be deleted",
        HexSeed = "hex_seed" => "the seed must be 32 bytes written as 64 hex characters (optionally with 0x)",
        SecretUri = "secret_uri" => "the secret phrase or derivation path is not valid: {detail}",
        KeystoreFormat = "keystore_format" => "the keystore file is not a polkadot.js JSON export: {detail}",
        KeystorePassword = "keystore_password" => "the keystore password is wrong",
        KeyType = "key_type" => "the keystore holds a {type} key; DBC accepts sr25519 keys only",
        Refused = "refused" => "{node}",
    }
}

/// All field errors of one request.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ValidationErrors {
    pub errors: Vec<FieldError>,
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        write!(f, "invalid input: {}", parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

impl ValidationErrors {
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
    /// Whether a given field has an error (for tests and forms).
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
    pub fn rule_of(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.rule)
    }
}

/// A machine id as people paste it (upper case, `0x…`, spaces around) in the form the node wants:
/// 64 lowercase hex characters. Checked afterwards with [`Checker::node_id`].
pub fn normalize_node_id(v: &str) -> String {
    let t = v.trim().to_ascii_lowercase();
    t.strip_prefix("0x").unwrap_or(&t).to_string()
}

/// Collects errors while a builder checks its fields.
#[derive(Default, Debug)]
pub struct Checker {
    errs: ValidationErrors,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Record a broken rule without parameters.
    pub fn fail(&mut self, field: impl Into<String>, rule: impl FieldRule) {
        self.fail_with(field, rule, Params::new());
    }

    /// Record a broken rule with the values its message names.
    pub fn fail_with(&mut self, field: impl Into<String>, rule: impl FieldRule, params: Params) {
        self.errs.errors.push(FieldError::new(field, rule, params));
    }

    /// `Ok(v)` when no rule was broken.
    pub fn finish<T>(self, v: T) -> Result<T, ValidationErrors> {
        if self.errs.is_empty() {
            Ok(v)
        } else {
            Err(self.errs)
        }
    }

    pub fn node_id(&mut self, field: &str, v: &str) {
        if v.len() != 64
            || !v
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            self.fail(field, Rule::MachineIdFormat);
        }
    }

    pub fn rent_order(&mut self, field: &str, v: &str) {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.parse::<u64>().is_err() {
            self.fail(field, Rule::RentOrderFormat);
        }
    }

    pub fn required(&mut self, field: &str, v: &str) -> bool {
        if v.trim().is_empty() {
            self.fail(field, Rule::Required);
            false
        } else {
            true
        }
    }

    /// Free text the node copies into hand-made JSON: no `"`, `\` or control characters.
    pub fn free_text(&mut self, field: &str, v: &str, max_len: usize) {
        if let Some(c) = v
            .chars()
            .find(|c| *c == '"' || *c == '\\' || c.is_control())
        {
            if c.is_control() {
                self.fail(field, Rule::CharsetControl);
            } else {
                self.fail_with(field, Rule::CharsetChar, params([("char", c.to_string())]));
            }
        }
        if v.chars().count() > max_len {
            self.fail_with(field, Rule::Length, params([("max", max_len.to_string())]));
        }
    }

    /// A segment placed in the URL path (task id, snapshot name, network name).
    pub fn path_segment(&mut self, field: &str, v: &str) {
        if v.is_empty() {
            self.fail(field, Rule::Required);
        } else if !v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        {
            self.fail(field, Rule::PathCharset);
        }
    }

    /// A decimal in a string with bounds; returns the value when valid.
    pub fn number(&mut self, field: &str, v: &str, min: u64, max: u64) -> Option<u64> {
        let t = v.trim();
        if t.is_empty() {
            self.fail(field, Rule::Required);
            return None;
        }
        if !t.bytes().all(|b| b.is_ascii_digit()) {
            self.fail(field, Rule::Number);
            return None;
        }
        match t.parse::<u64>() {
            Ok(n) if n >= min && n <= max => Some(n),
            _ if max == u64::MAX => {
                self.fail_with(field, Rule::AtLeast, params([("min", min.to_string())]));
                None
            }
            _ => {
                self.fail_with(
                    field,
                    Rule::Range,
                    params([("min", min.to_string()), ("max", max.to_string())]),
                );
                None
            }
        }
    }

    pub fn port(&mut self, field: &str, v: &str) -> Option<u64> {
        self.number(field, v, 1, 65535)
    }

    /// A multisig renter (SPEC §3.5): member addresses (SS58, no repeats, in the multisig's
    /// order), a threshold of 1 to the number of members, and local signers that are members
    /// and at least as many as the threshold. Fields `multisig_members`, `multisig_threshold`,
    /// `multisig_signers`. Returns the threshold when it is a number.
    pub fn multisig(
        &mut self,
        members: &[String],
        threshold: &str,
        signers: &[String],
    ) -> Option<u32> {
        if members.len() < 2 {
            self.fail("multisig_members", Rule::MultisigMembersCount);
        }
        for (i, m) in members.iter().enumerate() {
            if crate::keys::decode_address(m).is_err() {
                self.fail_with(
                    "multisig_members",
                    Rule::Address,
                    params([("value", m.clone())]),
                );
            } else if members[..i].contains(m) {
                self.fail_with(
                    "multisig_members",
                    Rule::Repeat,
                    params([("value", m.clone())]),
                );
            }
        }
        let t = self.number(
            "multisig_threshold",
            threshold,
            1,
            members.len().max(1) as u64,
        );
        for s in signers {
            if !members.contains(s) {
                self.fail_with(
                    "multisig_signers",
                    Rule::Member,
                    params([("value", s.clone())]),
                );
            }
        }
        match t {
            Some(t) if (signers.len() as u64) < t => {
                self.fail_with(
                    "multisig_signers",
                    Rule::SignersCount,
                    params([("count", t.to_string())]),
                );
            }
            _ => {}
        }
        t.map(|t| t as u32)
    }

    pub fn vnc_port(&mut self, field: &str, v: &str) -> Option<u64> {
        self.number(field, v, 5900, 65535)
    }

    pub fn ipv4(&mut self, field: &str, v: &str) {
        if v.parse::<Ipv4Addr>().is_err() {
            self.fail(field, Rule::Ipv4Format);
        }
    }

    pub fn qcow2_name(&mut self, field: &str, v: &str) {
        if !self.required(field, v) {
            return;
        }
        if !v.ends_with(".qcow2") {
            self.fail(field, Rule::Extension);
        }
        self.free_text(field, v, 255);
        if v.contains('/') {
            self.fail(field, Rule::FileNameOnly);
        }
    }

    /// LAN name: 6–10 ASCII letters or digits.
    pub fn network_name(&mut self, field: &str, v: &str) {
        let n = v.len();
        if !(6..=10).contains(&n) || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.fail(field, Rule::NetworkNameFormat);
        }
    }

    /// `a.b.c.d/n`, not the hypervisor's own 192.168.122.x range.
    pub fn cidr(&mut self, field: &str, v: &str) {
        let ok = v.split_once('/').is_some_and(|(ip, bits)| {
            ip.parse::<Ipv4Addr>().is_ok()
                && !bits.is_empty()
                && bits.bytes().all(|b| b.is_ascii_digit())
                && bits.parse::<u8>().is_ok_and(|b| b <= 32)
        });
        if !ok {
            self.fail(field, Rule::CidrFormat);
        } else if v.contains("192.168.122.") {
            self.fail(field, Rule::CidrReserved);
        }
    }

    /// `a.b.c.d:port`, address in 224.0.0.0/4, port 1–65535 without leading zeros.
    pub fn multicast(&mut self, field: &str, v: &str) {
        let Some((ip, port)) = v.rsplit_once(':') else {
            self.fail(field, Rule::MulticastFormat);
            return;
        };
        match ip.parse::<Ipv4Addr>() {
            Ok(a) if a.is_multicast() => {}
            Ok(_) => self.fail(field, Rule::Multicast),
            Err(_) => self.fail(field, Rule::MulticastFormat),
        }
        let port_ok = !port.starts_with('0')
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !port_ok {
            self.fail(field, Rule::MulticastPort);
        }
    }

    /// Port-forward entries of SPEC §5.3.1: `tcp|udp,N`, `A:B`, `A-B`, `A-B:C-D`.
    pub fn port_forward(&mut self, field: &str, v: &str) {
        let Some((proto, ports)) = v.split_once(',') else {
            self.fail(field, Rule::PortForwardFormat);
            return;
        };
        if proto.contains('/') {
            self.fail_with(
                field,
                Rule::PortForwardSplit,
                params([("proto", proto.to_string()), ("ports", ports.to_string())]),
            );
            return;
        }
        if proto != "tcp" && proto != "udp" {
            self.fail(field, Rule::PortForwardProtocol);
            return;
        }
        let port = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .filter(|p| (1..=65535).contains(p))
        };
        let range = |s: &str| -> Option<(u32, u32)> {
            match s.split_once('-') {
                Some((a, b)) => match (port(a), port(b)) {
                    (Some(a), Some(b)) if a <= b => Some((a, b)),
                    _ => None,
                },
                None => port(s).map(|p| (p, p)),
            }
        };
        let ok = match ports.split_once(':') {
            None => range(ports).is_some(),
            Some((host, guest)) => match (host.contains('-'), guest.contains('-')) {
                (false, false) => port(host).is_some() && port(guest).is_some(),
                (true, true) => range(host).is_some() && range(guest).is_some(),
                _ => false,
            },
        };
        if !ok {
            self.fail(field, Rule::PortForwardPorts);
        }
    }

    /// Security-group rule `direction,protocol,port,cidr,action`.
    pub fn network_filter(&mut self, field: &str, v: &str) {
        let parts: Vec<&str> = v.split(',').collect();
        if parts.len() != 5 {
            self.fail(field, Rule::NetworkFilterFormat);
            return;
        }
        let dir_ok = matches!(parts[0], "in" | "out");
        let proto_ok = matches!(parts[1], "tcp" | "udp" | "icmp" | "all");
        let port_ok = parts[2] == "all"
            || parts[2].split('-').all(|p| {
                !p.is_empty()
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|n| n <= 65535)
            });
        let mut sub = Checker::new();
        sub.cidr("x", parts[3]);
        let cidr_ok = sub.errs.is_empty() || parts[3] == "0.0.0.0/0";
        let action_ok = matches!(parts[4], "accept" | "drop" | "reject");
        if !(dir_ok && proto_ok && port_ok && cidr_ok && action_ok) {
            self.fail(field, Rule::NetworkFilterFormat);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(f: impl FnOnce(&mut Checker)) -> ValidationErrors {
        let mut c = Checker::new();
        f(&mut c);
        c.finish(()).err().unwrap_or_default()
    }

    #[test]
    fn node_ids() {
        assert!(errs(|c| c.node_id("n", &"a1".repeat(32))).is_empty());
        assert!(errs(|c| c.node_id("n", &"A1".repeat(32))).has("n"));
        assert!(errs(|c| c.node_id("n", "abc")).has("n"));
        assert!(errs(|c| c.node_id("n", &format!("0x{}", "a".repeat(62)))).has("n"));
    }

    #[test]
    fn rent_orders() {
        assert!(errs(|c| c.rent_order("r", "12345")).is_empty());
        for bad in ["", "12a", "-1", "1 2", "99999999999999999999999"] {
            assert!(errs(|c| c.rent_order("r", bad)).has("r"), "{bad}");
        }
    }

    #[test]
    fn numbers_and_ports() {
        assert!(errs(|c| {
            c.vnc_port("vnc_port", "5900");
        })
        .is_empty());
        assert!(errs(|c| {
            c.vnc_port("vnc_port", "65535");
        })
        .is_empty());
        assert_eq!(
            errs(|c| {
                c.vnc_port("vnc_port", "5899");
            })
            .rule_of("vnc_port"),
            Some("range")
        );
        assert_eq!(
            errs(|c| {
                c.vnc_port("vnc_port", "65536");
            })
            .rule_of("vnc_port"),
            Some("range")
        );
        assert_eq!(
            errs(|c| {
                c.port("ssh_port", "0");
            })
            .rule_of("ssh_port"),
            Some("range")
        );
        assert_eq!(
            errs(|c| {
                c.port("ssh_port", "22a");
            })
            .rule_of("ssh_port"),
            Some("number")
        );
        assert_eq!(
            errs(|c| {
                c.port("ssh_port", "");
            })
            .rule_of("ssh_port"),
            Some("required")
        );
        assert_eq!(
            errs(|c| {
                c.number("cpu_cores", "0", 1, u64::MAX);
            })
            .rule_of("cpu_cores"),
            Some("at_least")
        );
        assert!(errs(|c| {
            c.number("gpu_count", "0", 0, u64::MAX);
        })
        .is_empty());
        assert_eq!(
            errs(|c| {
                c.number("gpu_count", "-1", 0, u64::MAX);
            })
            .rule_of("gpu_count"),
            Some("number")
        );
    }

    #[test]
    fn free_text() {
        assert!(errs(|c| c.free_text("desc", "my vm: 4090 (test) ü", 100)).is_empty());
        for bad in ["say \"hi\"", "a\\b", "line\nbreak", "tab\there"] {
            assert_eq!(
                errs(|c| c.free_text("desc", bad, 100)).rule_of("desc"),
                Some(if bad.contains(['\n', '\t']) {
                    "charset_control"
                } else {
                    "charset_char"
                }),
                "{bad}"
            );
        }
        assert_eq!(
            errs(|c| c.free_text("desc", &"x".repeat(101), 100)).rule_of("desc"),
            Some("length")
        );
    }

    #[test]
    fn images_and_segments() {
        assert!(errs(|c| c.qcow2_name("image_name", "ubuntu.qcow2")).is_empty());
        assert_eq!(
            errs(|c| c.qcow2_name("image_name", "ubuntu.img")).rule_of("image_name"),
            Some("extension")
        );
        assert_eq!(
            errs(|c| c.qcow2_name("image_name", "")).rule_of("image_name"),
            Some("required")
        );
        assert!(errs(|c| c.qcow2_name("image_name", "/data/x.qcow2")).has("image_name"));
        assert!(errs(|c| c.path_segment("task_id", "75M7MfQsC1WopDZigxf21c")).is_empty());
        assert!(errs(|c| c.path_segment("task_id", "vm_check_1700000000")).is_empty());
        assert!(errs(|c| c.path_segment("task_id", "a/b")).has("task_id"));
        assert!(errs(|c| c.path_segment("task_id", "a?x=1")).has("task_id"));
    }

    #[test]
    fn lan_rules() {
        assert!(errs(|c| c.network_name("n", "testnet")).is_empty());
        assert!(errs(|c| c.network_name("n", "abc12")).has("n"));
        assert!(errs(|c| c.network_name("n", "abcdefghijk")).has("n"));
        assert!(errs(|c| c.network_name("n", "test-net")).has("n"));
        assert!(errs(|c| c.cidr("c", "192.168.66.0/24")).is_empty());
        assert_eq!(
            errs(|c| c.cidr("c", "192.168.122.0/24")).rule_of("c"),
            Some("cidr_reserved")
        );
        for bad in [
            "192.168.66.0",
            "192.168.66.0/33",
            "300.1.1.1/24",
            "x/24",
            "10.0.0.0/",
        ] {
            assert_eq!(
                errs(|c| c.cidr("c", bad)).rule_of("c"),
                Some("cidr_format"),
                "{bad}"
            );
        }
    }

    #[test]
    fn multicast_rules() {
        for ok in ["224.0.0.1:1", "239.255.255.255:65535", "230.1.2.3:5000"] {
            assert!(errs(|c| c.multicast("m", ok)).is_empty(), "{ok}");
        }
        assert_eq!(
            errs(|c| c.multicast("m", "192.168.1.1:5000")).rule_of("m"),
            Some("multicast")
        );
        assert_eq!(
            errs(|c| c.multicast("m", "240.0.0.1:5000")).rule_of("m"),
            Some("multicast")
        );
        assert_eq!(
            errs(|c| c.multicast("m", "239.1.1.1:05000")).rule_of("m"),
            Some("multicast_port")
        );
        assert_eq!(
            errs(|c| c.multicast("m", "239.1.1.1:0")).rule_of("m"),
            Some("multicast_port")
        );
        assert_eq!(
            errs(|c| c.multicast("m", "239.1.1.1:70000")).rule_of("m"),
            Some("multicast_port")
        );
        assert_eq!(
            errs(|c| c.multicast("m", "239.1.1.1")).rule_of("m"),
            Some("multicast_format")
        );
    }

    #[test]
    fn port_forward_grammar() {
        for ok in [
            "tcp,8080",
            "udp,7000:7001",
            "tcp,7000-7010",
            "tcp,7000-7010:8000-8010",
        ] {
            assert!(errs(|c| c.port_forward("p", ok)).is_empty(), "{ok}");
        }
        let e = errs(|c| c.port_forward("p", "tcp/udp,123"));
        assert_eq!(e.rule_of("p"), Some("port_forward_split"));
        assert!(e.errors[0].message.contains("one entry per protocol"));
        assert!(e.errors[0].message.contains("tcp,123 and udp,123"));
        for bad in [
            "icmp,1",
            "tcp",
            "tcp,",
            "tcp,0",
            "tcp,70000",
            "tcp,10-5",
            "tcp,1-5:7",
            "tcp,a:b",
        ] {
            assert!(errs(|c| c.port_forward("p", bad)).has("p"), "{bad}");
        }
    }

    #[test]
    fn network_filters() {
        for ok in [
            "in,tcp,22,0.0.0.0/0,accept",
            "out,all,all,0.0.0.0/0,accept",
            "in,all,all,0.0.0.0/0,drop",
        ] {
            assert!(errs(|c| c.network_filter("f", ok)).is_empty(), "{ok}");
        }
        for bad in [
            "in,tcp,22,0.0.0.0/0",
            "sideways,tcp,22,0.0.0.0/0,accept",
            "in,tcp,22,nonsense,accept",
        ] {
            assert!(errs(|c| c.network_filter("f", bad)).has("f"), "{bad}");
        }
    }

    #[test]
    fn all_errors_are_reported_at_once() {
        let e = errs(|c| {
            c.port("ssh_port", "x");
            c.vnc_port("vnc_port", "1");
            c.free_text("desc", "\"", 10);
        });
        assert_eq!(e.errors.len(), 3);
        assert!(e
            .to_string()
            .contains("vnc_port: must be between 5900 and 65535"));
    }

    #[test]
    fn multisig_rules() {
        let a = "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4".to_string();
        let b = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty".to_string();
        let rules = |members: &[String], t: &str, signers: &[String]| {
            let mut c = Checker::new();
            let out = c.multisig(members, t, signers);
            let errs = c.finish(()).err().map(|e| e.errors).unwrap_or_default();
            (
                out,
                errs.into_iter()
                    .map(|e| (e.field, e.rule))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            rules(&[a.clone(), b.clone()], "2", &[a.clone(), b.clone()]),
            (Some(2), vec![])
        );
        assert_eq!(
            rules(&[a.clone(), b.clone()], "2", std::slice::from_ref(&a)).1,
            [("multisig_signers".to_string(), "signers_count")]
        );
        assert_eq!(
            rules(&[a.clone(), b.clone()], "3", &[a.clone(), b.clone()]).1,
            [("multisig_threshold".to_string(), "range")]
        );
        assert_eq!(
            rules(&[a.clone(), "nope".into()], "1", &["5Other".into()]).1,
            [
                ("multisig_members".to_string(), "address"),
                ("multisig_signers".to_string(), "member")
            ]
        );
        assert_eq!(
            rules(&[a.clone(), a.clone()], "1", std::slice::from_ref(&a)).1,
            [("multisig_members".to_string(), "repeat")]
        );
    }
}
