//! §3 authorization: multisig / single-wallet / session parsing, [`authorize`], session
//! bookkeeping.

use serde_json::{Map, Value};

use super::{node, Reply};
use crate::crypto;
use crate::state::{RentOrder, Session, Sim, State};

fn auth_err(sim: &Sim, reason: &str) -> Reply {
    node(sim, -3, format!("check authority failed: {reason}"))
}

fn nonempty<'a>(b: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    b.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

pub(super) struct Multi {
    wallets: Vec<String>,
    threshold: String,
    signs: Vec<(String, String, String)>,
}

pub(super) fn multisig(b: &Map<String, Value>) -> Option<Multi> {
    let m = b.get("multisig_accounts")?.as_object()?;
    let wallets = m
        .get("wallets")?
        .as_array()?
        .iter()
        .map(|w| w.as_str().map(String::from))
        .collect::<Option<Vec<_>>>()?;
    let threshold = m.get("threshold")?.as_str()?.to_string();
    let signs = m
        .get("signs")?
        .as_array()?
        .iter()
        .map(|s| {
            let o = s.as_object()?;
            Some((
                nonempty(o, "wallet")?.to_string(),
                nonempty(o, "nonce")?.to_string(),
                nonempty(o, "sign")?.to_string(),
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    if wallets.is_empty() || signs.is_empty() || threshold.is_empty() {
        return None;
    }
    Some(Multi {
        wallets,
        threshold,
        signs,
    })
}

pub(super) fn single(b: &Map<String, Value>) -> Option<(String, String, String)> {
    Some((
        nonempty(b, "wallet")?.to_string(),
        nonempty(b, "nonce")?.to_string(),
        nonempty(b, "sign")?.to_string(),
    ))
}

pub(super) fn session_pair(b: &Map<String, Value>) -> Option<(String, String)> {
    Some((
        nonempty(b, "session_id")?.to_string(),
        nonempty(b, "session_id_sign")?.to_string(),
    ))
}

pub struct Who {
    pub wallet: String,
    pub order: Option<RentOrder>,
}

enum Class {
    Rented,
    Online,
    Verify,
    Unknown,
}

fn classify(status: &str) -> Class {
    match status {
        "rented" | "creating" => Class::Rented,
        "online" | "waitingFulfill" => Class::Online,
        "addingCustomizeInfo" | "distributingOrder" | "committeeVerifying" | "committeeRefused" => {
            Class::Verify
        }
        _ => Class::Unknown,
    }
}

fn ensure_session(st: &mut State, node_id: &str, wallet: &str, members: &[String]) {
    let State { rng, machines, .. } = st;
    if let Some(m) = machines.get_mut(node_id) {
        if !m.sessions.iter().any(|s| s.wallet == wallet) {
            let sid = crypto::session_id(rng);
            m.sessions.push(Session {
                wallet: wallet.to_string(),
                session_id: sid,
                members: members.to_vec(),
            });
        }
    }
}

/// §3 authorization. Signature verification happens outside the state lock.
pub fn authorize(
    sim: &Sim,
    node_id: &str,
    b: &Map<String, Value>,
    allow_session: bool,
) -> Result<Who, Reply> {
    let now_s = sim.now_secs();
    let session = if allow_session { session_pair(b) } else { None };
    let multi = multisig(b);
    let wallet = single(b);
    let order_id = nonempty(b, "rent_order");
    let (order, sess_rec, used) = {
        let st = sim.state.lock();
        let Some(m) = st.machines.get(node_id) else {
            return Err(auth_err(sim, "query machine_status failed"));
        };
        match classify(&m.chain_status) {
            Class::Rented => {}
            Class::Online => return Err(auth_err(sim, "machine is not be rented")),
            Class::Verify => return Err(auth_err(sim, "not in verify time")),
            Class::Unknown => return Err(auth_err(sim, "query machine_status failed")),
        }
        let order = order_id.and_then(|id| m.order(id)).cloned();
        let rec = session
            .as_ref()
            .and_then(|(sid, _)| m.sessions.iter().find(|s| &s.session_id == sid))
            .cloned();
        let used: Vec<bool> = match (&multi, &wallet) {
            (Some(mu), _) => mu
                .signs
                .iter()
                .map(|(_, n, _)| m.nonces.contains(n))
                .collect(),
            (None, Some((_, n, _))) => vec![m.nonces.contains(n)],
            _ => vec![],
        };
        (order, rec, used)
    };
    let renter_ok = |acct: &str| {
        order
            .as_ref()
            .is_some_and(|o| o.renter == acct && o.active(now_s))
    };
    let mut session_invalid = false;
    if let Some((sid, sig)) = &session {
        if let Some(rec) = sess_rec {
            let valid = crypto::verify(&rec.wallet, sid, sig)
                || rec.members.iter().any(|w| crypto::verify(w, sid, sig));
            if valid {
                return if renter_ok(&rec.wallet) {
                    Ok(Who {
                        wallet: rec.wallet,
                        order,
                    })
                } else {
                    Err(auth_err(sim, "machine has already expired"))
                };
            }
        }
        session_invalid = true;
    }
    let nonce_fail = || auth_err(sim, "nonce check failed");
    let (account, nonces, members) = if let Some(mu) = multi {
        let th: u16 = match mu.threshold.parse() {
            Ok(t) if t > 0 => t,
            _ => return Err(nonce_fail()),
        };
        if th as usize > mu.wallets.len() || th as usize > mu.signs.len() {
            return Err(nonce_fail());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, (w, n, s)) in mu.signs.iter().enumerate() {
            if !mu.wallets.contains(w)
                || used[i]
                || !seen.insert(n.clone())
                || !crypto::verify(w, n, s)
            {
                return Err(nonce_fail());
            }
        }
        let Some(acct) = crypto::multisig_account(&mu.wallets, th) else {
            return Err(nonce_fail());
        };
        (
            acct,
            mu.signs
                .iter()
                .map(|(_, n, _)| n.clone())
                .collect::<Vec<_>>(),
            mu.wallets,
        )
    } else if let Some((w, n, s)) = wallet {
        if used.first().copied().unwrap_or(false) || !crypto::verify(&w, &n, &s) {
            return Err(nonce_fail());
        }
        (w, vec![n], vec![])
    } else if session_invalid {
        return Err(auth_err(sim, "session_id is invalid"));
    } else {
        return Err(nonce_fail());
    };
    let mut st = sim.state.lock();
    {
        let Some(m) = st.machines.get_mut(node_id) else {
            return Err(nonce_fail());
        };
        if nonces.iter().any(|n| m.nonces.contains(n)) {
            return Err(nonce_fail());
        }
        for n in nonces {
            m.nonces.insert(n);
        }
    }
    if renter_ok(&account) {
        ensure_session(&mut st, node_id, &account, &members);
        Ok(Who {
            wallet: account,
            order,
        })
    } else {
        Err(auth_err(sim, "wallet not rented"))
    }
}
