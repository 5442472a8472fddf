//! The port planner: which host ports a renter's VMs take on one machine (SSH, RDP and VNC from
//! their details, custom forwards from what the client remembers sending: the node never
//! reports them back), collisions of a form's ports with them and within the form, and free
//! ports to suggest.

use serde::{Deserialize, Serialize};

use crate::models::TaskDetail;
use crate::text::params;
use crate::validate::{Checker, FieldError, Rule};

/// Where suggestions are looked for: SSH and RDP anywhere the node takes a port (the ranges
/// below keep them apart and clear of well-known ports), VNC in the node's 5900–65535
/// (SPEC §5.3, `vnc_port`).
pub const SSH_RANGE: (u16, u16) = (20000, 29999);
pub const RDP_RANGE: (u16, u16) = (30000, 39999);
pub const VNC_RANGE: (u16, u16) = (5900, 5999);

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortKind {
    Ssh,
    Rdp,
    Vnc,
    Custom,
}

/// Host ports `from..=to` (one port: `from == to`) of one VM, for `proto` (`tcp` or `udp`).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortUse {
    pub task_id: String,
    pub kind: PortKind,
    pub proto: String,
    pub from: u16,
    pub to: u16,
}

/// Free ports to put in a new VM's form.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggested {
    pub ssh_port: String,
    pub rdp_port: String,
    pub vnc_port: String,
}

/// The ports in use on one machine.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortPlan {
    pub used: Vec<PortUse>,
}

fn port(s: &str) -> Option<u16> {
    let s = s.trim();
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse::<u16>().ok())
        .flatten()
        .filter(|p| *p > 0)
}

/// The host side of a forward (`tcp,8080`, `udp,7000-7010`, `tcp,8080:80`,
/// `tcp,7000-7010:8000-8010`, SPEC §5.3.1): protocol and host range.
pub fn forward_host_ports(entry: &str) -> Option<(String, u16, u16)> {
    let (proto, ports) = entry.trim().split_once(',')?;
    if proto != "tcp" && proto != "udp" {
        return None;
    }
    let host = ports.split_once(':').map_or(ports, |(h, _)| h);
    let (a, b) = match host.split_once('-') {
        Some((a, b)) => (port(a)?, port(b)?),
        None => (port(host)?, port(host)?),
    };
    (a <= b).then(|| (proto.to_string(), a, b))
}

/// A form's own ports: (field, protocol, from, to).
type FormPort = (String, String, u16, u16);

fn form_ports(ssh: &str, rdp: &str, vnc: &str, custom: &[String]) -> Vec<FormPort> {
    let mut out = Vec::new();
    for (field, v) in [("ssh_port", ssh), ("rdp_port", rdp), ("vnc_port", vnc)] {
        if let Some(p) = port(v) {
            out.push((field.to_string(), "tcp".to_string(), p, p));
        }
    }
    for (i, entry) in custom.iter().enumerate() {
        if let Some((proto, a, b)) = forward_host_ports(entry) {
            out.push((format!("custom_port[{i}]"), proto, a, b));
        }
    }
    out
}

fn overlap(a: (&str, u16, u16), b: (&str, u16, u16)) -> bool {
    a.0 == b.0 && a.1 <= b.2 && b.1 <= a.2
}

impl PortPlan {
    /// The plan of a machine from its VMs' details and the custom forwards remembered per VM.
    pub fn from_details<'a>(
        details: impl IntoIterator<Item = &'a TaskDetail>,
        remembered: impl Fn(&str) -> Vec<String>,
    ) -> PortPlan {
        let mut used = Vec::new();
        for d in details {
            let id = d.task_id.clone();
            let mut add = |kind: PortKind, v: Option<&str>| {
                if let Some(p) = v.and_then(port) {
                    used.push(PortUse {
                        task_id: id.clone(),
                        kind,
                        proto: "tcp".into(),
                        from: p,
                        to: p,
                    });
                }
            };
            add(PortKind::Ssh, d.ssh_port.as_deref());
            add(PortKind::Rdp, d.rdp_port.as_deref());
            add(PortKind::Vnc, Some(&d.vnc_port));
            for entry in remembered(&d.task_id) {
                if let Some((proto, from, to)) = forward_host_ports(&entry) {
                    used.push(PortUse {
                        task_id: d.task_id.clone(),
                        kind: PortKind::Custom,
                        proto,
                        from,
                        to,
                    });
                }
            }
        }
        used.sort_by_key(|u| (u.from, u.to));
        PortPlan { used }
    }

    fn taken_by(&self, proto: &str, from: u16, to: u16, except: Option<&str>) -> Option<&PortUse> {
        self.used.iter().find(|u| {
            Some(u.task_id.as_str()) != except
                && overlap((&u.proto, u.from, u.to), (proto, from, to))
        })
    }

    /// Collisions of a form's ports with the machine's (except VM `except`'s own, when a VM is
    /// being modified) and with each other.
    pub fn check(
        &self,
        ssh: &str,
        rdp: &str,
        vnc: &str,
        custom: &[String],
        except: Option<&str>,
    ) -> Vec<FieldError> {
        let mut c = Checker::new();
        let mine = form_ports(ssh, rdp, vnc, custom);
        for (i, (field, proto, a, b)) in mine.iter().enumerate() {
            if let Some(u) = self.taken_by(proto, *a, *b, except) {
                let ports = if u.from == u.to {
                    u.from.to_string()
                } else {
                    format!("{}-{}", u.from, u.to)
                };
                let mut p = params([
                    ("proto", proto.to_string()),
                    ("ports", ports),
                    ("vm", u.task_id.clone()),
                ]);
                let kind = match u.kind {
                    PortKind::Ssh => Some("SSH"),
                    PortKind::Rdp => Some("RDP"),
                    PortKind::Vnc => Some("VNC"),
                    PortKind::Custom => None,
                };
                match kind {
                    Some(k) => {
                        p.insert("kind".into(), k.into());
                        c.fail_with(field.clone(), Rule::PortTaken, p);
                    }
                    None => c.fail_with(field.clone(), Rule::PortTakenForward, p),
                }
            } else if let Some((other, ..)) = mine[..i]
                .iter()
                .find(|(_, p, x, y)| overlap((p, *x, *y), (proto, *a, *b)))
            {
                c.fail_with(
                    field.clone(),
                    Rule::PortTwice,
                    params([("other", other.clone())]),
                );
            }
        }
        c.finish(()).err().map(|e| e.errors).unwrap_or_default()
    }

    fn free_in(&self, (lo, hi): (u16, u16)) -> String {
        (lo..=hi)
            .find(|p| self.taken_by("tcp", *p, *p, None).is_none())
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    /// The lowest free SSH, RDP and VNC ports in their ranges (empty when a range is full).
    pub fn suggest(&self) -> Suggested {
        Suggested {
            ssh_port: self.free_in(SSH_RANGE),
            rdp_port: self.free_in(RDP_RANGE),
            vnc_port: self.free_in(VNC_RANGE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(id: &str, ssh: Option<&str>, rdp: Option<&str>, vnc: &str) -> TaskDetail {
        serde_json::from_value(serde_json::json!({
            "task_id": id, "ssh_port": ssh, "rdp_port": rdp, "vnc_port": vnc
        }))
        .unwrap()
    }

    fn plan() -> PortPlan {
        let a = detail("vmA", Some("20000"), None, "5900");
        let b = detail("vmB", None, Some("30000"), "5901");
        PortPlan::from_details([&a, &b], |id| {
            if id == "vmA" {
                vec!["tcp,8080:80".into(), "udp,7000-7010".into()]
            } else {
                vec![]
            }
        })
    }

    fn rules(errs: Vec<FieldError>) -> Vec<(String, &'static str)> {
        errs.into_iter().map(|e| (e.field, e.rule)).collect()
    }

    #[test]
    fn host_side_of_forwards() {
        assert_eq!(
            forward_host_ports("tcp,8080"),
            Some(("tcp".into(), 8080, 8080))
        );
        assert_eq!(
            forward_host_ports("tcp,8080:80"),
            Some(("tcp".into(), 8080, 8080))
        );
        assert_eq!(
            forward_host_ports("udp,7000-7010:8000-8010"),
            Some(("udp".into(), 7000, 7010))
        );
        assert_eq!(forward_host_ports("tcp/udp,1"), None);
        assert_eq!(forward_host_ports("tcp,9-3"), None);
    }

    #[test]
    fn the_plan_lists_every_port_of_the_machine() {
        let p = plan();
        let ports: Vec<(u16, PortKind)> = p.used.iter().map(|u| (u.from, u.kind)).collect();
        assert_eq!(
            ports,
            [
                (5900, PortKind::Vnc),
                (5901, PortKind::Vnc),
                (7000, PortKind::Custom),
                (8080, PortKind::Custom),
                (20000, PortKind::Ssh),
                (30000, PortKind::Rdp)
            ]
        );
    }

    #[test]
    fn collisions_with_the_machine_and_within_the_form() {
        let p = plan();
        assert!(p
            .check("20001", "", "5902", &["tcp,8081".into()], None)
            .is_empty());
        assert_eq!(
            rules(p.check(
                "20000",
                "",
                "5900",
                &["udp,7005".into(), "tcp,7005".into()],
                None
            )),
            [
                ("ssh_port".into(), "port_taken"),
                ("vnc_port".into(), "port_taken"),
                ("custom_port[0]".into(), "port_taken_forward"),
            ]
        );
        // tcp 7005 is free (the forward is udp); the same port twice in one form is not
        assert_eq!(
            rules(p.check("20001", "", "20001", &["tcp,20001".into()], None)),
            [
                ("vnc_port".into(), "port_twice"),
                ("custom_port[0]".into(), "port_twice")
            ]
        );
        // a VM being modified keeps its own ports
        assert!(p.check("20000", "", "5900", &[], Some("vmA")).is_empty());
        let msg = &p.check("", "30000", "5999", &[], None)[0].message;
        assert!(msg.contains("vmB") && msg.contains("RDP"), "{msg}");
    }

    #[test]
    fn suggestions_are_free() {
        let s = plan().suggest();
        assert_eq!(s.ssh_port, "20001");
        assert_eq!(s.rdp_port, "30001");
        assert_eq!(s.vnc_port, "5902");
        let empty = PortPlan::default().suggest();
        assert_eq!(empty.ssh_port, "20000");
    }
}
