//! Local area networks: node view and create (delete is in the dispatcher).

use serde_json::{json, Map, Value};

use super::args::{digits, gs, ipv4};
use super::auth::Who;
use super::{node, ok, Reply};
use crate::state::{Lan, Machine, Sim, State};

pub(super) fn cidr_range(cidr: &str) -> (String, String) {
    let Some((ip, n)) = cidr.split_once('/') else {
        return (String::new(), String::new());
    };
    let (Some(o), Ok(n)) = (ipv4(ip), n.parse::<u32>()) else {
        return (String::new(), String::new());
    };
    let a = u32::from_be_bytes(o);
    let mask = if n == 0 {
        0
    } else {
        u32::MAX << (32 - n.min(32))
    };
    let net = a & mask;
    let bc = net | !mask;
    let f = |x: u32| std::net::Ipv4Addr::from(x).to_string();
    (f(net.saturating_add(2)), f(bc.saturating_sub(1)))
}

pub(super) fn lan_json(_sim: &Sim, m: &Machine, l: &Lan) -> Value {
    let (s, e) = cidr_range(&l.ip_cidr);
    json!({"network_name": l.name, "bridge_name": format!("br_{}", l.name), "vxlan_name": format!("vx_{}", l.name),
           "vxlan_vni": l.vni.to_string(), "ip_cidr": l.ip_cidr, "ip_start": s, "ip_end": e,
           "dhcp_interface": format!("dh_{}", l.name), "machine_id": m.node_id, "rent_wallet": l.owner,
           "members": l.members, "lastUseTime": l.last_use, "native_flags": "0"})
}

pub(super) fn lan_list(sim: &Sim, node_id: &str, name: Option<&str>) -> Reply {
    let now = sim.clock.now_ms();
    let mut g = sim.state.lock();
    sim.settle(&mut g, node_id, now);
    let m = &g.machines[node_id];
    match name {
        None => node(
            sim,
            0,
            Value::Array(m.lans.values().map(|l| lan_json(sim, m, l)).collect()),
        ),
        Some(n) => match m.lans.get(n) {
            Some(l) => node(sim, 0, lan_json(sim, m, l)),
            None => node(sim, -3, "network name not exist"),
        },
    }
}

pub(super) fn lan_create(
    sim: &Sim,
    st: &mut State,
    node_id: &str,
    add: &Map<String, Value>,
    who: &Who,
    now: u64,
) -> Reply {
    let name = gs(add, "network_name").unwrap_or("");
    let cidr = gs(add, "ip_cidr").unwrap_or("");
    let m = st.machines.get_mut(node_id).expect("machine checked");
    if name.is_empty() {
        return node(sim, -3, "network name can not be empty");
    }
    if !(6..=10).contains(&name.len()) || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return node(
            sim,
            -3,
            "network name requires a combination of 6 to 10 letters or numbers",
        );
    }
    if m.lans.contains_key(name) {
        return node(sim, -3, "network name already existed");
    }
    if st.next_vni >= 1000 + 4096 {
        return node(sim, -3, "network vni is full");
    }
    if cidr.is_empty() {
        return node(sim, -3, "ip cidr can not be empty");
    }
    if cidr.contains("192.168.122.") {
        return node(sim, -3, "ip cidr already exist");
    }
    let valid = cidr
        .split_once('/')
        .is_some_and(|(ip, n)| ipv4(ip).is_some() && digits(n).is_some_and(|n| n <= 32));
    if !valid {
        return node(sim, -3, "invalid ip cidr");
    }
    let vni = st.next_vni;
    st.next_vni += 1;
    let m = st.machines.get_mut(node_id).expect("machine checked");
    m.lans.insert(
        name.to_string(),
        Lan {
            name: name.to_string(),
            ip_cidr: cidr.to_string(),
            vni,
            owner: who.wallet.clone(),
            members: vec![],
            last_use: sim.wall(now),
        },
    );
    ok(sim)
}
