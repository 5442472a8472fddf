//! Machines: the form's input turned into a saved entry (normalised and checked once, here),
//! the demo network's machines, and rent orders sorted for the "Find mine" picker.

use dbc_api::keys::Secret;
use dbc_api::models::RentOrder;
use dbc_api::validate::{normalize_node_id, Checker, ValidationErrors};

use crate::error::AppRule;
use crate::models::{DemoInfo, MachineAuth, MachineEntry, MachineInput, WalletInfo};
use crate::wallets::DEMO_WALLET_ID;
use crate::words::{text, Lang};

/// Check a machine form and build the entry; a shared session's signature is returned apart (it
/// goes to the vault). When editing a machine that keeps the same session id, an empty signature
/// means "keep the stored one" (`keep_session`).
pub fn from_input(
    id: String,
    input: &MachineInput,
    wallets: &[WalletInfo],
    keep_session: Option<&str>,
) -> Result<(MachineEntry, Option<Secret>), ValidationErrors> {
    let mut c = Checker::new();
    let label = input.label.trim().to_string();
    if c.required("label", &label) {
        c.free_text("label", &label, 64);
    }
    let node_id = normalize_node_id(&input.node_id);
    c.node_id("node_id", &node_id);
    let rent_order = input.rent_order.trim().to_string();
    if !rent_order.is_empty() {
        c.rent_order("rent_order", &rent_order);
    }
    let session = input
        .session_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let wallet = input.wallet_id.as_deref().filter(|w| !w.is_empty());
    let mut sign_out = None;
    let auth = match (wallet, session) {
        _ if input.multisig.is_some() => {
            let ms = input.multisig.as_ref().expect("matched");
            let members: Vec<String> = ms
                .members
                .iter()
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect();
            let mut signers = Vec::new();
            for id in &ms.signer_ids {
                match wallets.iter().find(|w| &w.id == id) {
                    Some(w) => signers.push(w.address.clone()),
                    None => c.fail("multisig_signers", AppRule::PickWallets),
                }
            }
            c.multisig(&members, &ms.threshold, &signers)
                .map(|threshold| MachineAuth::Multisig {
                    members,
                    threshold,
                    signer_ids: ms.signer_ids.clone(),
                })
        }
        (Some(w), None) => {
            if w != DEMO_WALLET_ID && !wallets.iter().any(|x| x.id == w) {
                c.fail("wallet_id", AppRule::PickWallet);
            }
            Some(MachineAuth::Wallet {
                wallet_id: w.into(),
            })
        }
        (None, Some(sid)) => {
            c.free_text("session_id", sid, 128);
            let sign = input
                .session_id_sign
                .as_ref()
                .map_or("", Secret::expose)
                .trim();
            let hex = sign.strip_prefix("0x").unwrap_or(sign);
            let keep = sign.is_empty() && keep_session == Some(sid);
            if !keep {
                if hex.len() != 128 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    c.fail("session_id_sign", AppRule::SessionSignFormat);
                } else {
                    sign_out = Some(Secret::new(sign));
                }
            }
            Some(MachineAuth::Session {
                session_id: sid.into(),
            })
        }
        _ => {
            c.fail("auth", AppRule::AuthChoose);
            None
        }
    };
    c.finish(())?;
    let entry = MachineEntry {
        id,
        label,
        node_id,
        rent_order: (!rent_order.is_empty()).then_some(rent_order),
        auth: auth.expect("checked above"),
        demo: false,
    };
    Ok((entry, sign_out))
}

/// The demo network's machines, as entries signed by the demo wallet (labelled in `lang`).
pub fn demo_entries(info: &DemoInfo, lang: Lang) -> impl Iterator<Item = MachineEntry> + '_ {
    info.machines
        .iter()
        .enumerate()
        .map(move |(i, m)| MachineEntry {
            id: format!("demo-{}", i + 1),
            label: text(lang, "native.demo.machine", &[("name", &m.name)]),
            node_id: m.node_id.clone(),
            rent_order: m.rent_order.clone(),
            auth: MachineAuth::Wallet {
                wallet_id: DEMO_WALLET_ID.into(),
            },
            demo: true,
        })
}

/// Rent orders for the "Find mine" picker: only `address`'s when given, active ones first, then
/// the newest.
pub fn sort_rent_orders(mut orders: Vec<RentOrder>, address: Option<&str>) -> Vec<RentOrder> {
    if let Some(addr) = address {
        orders.retain(|o| o.renter == addr);
    }
    let active = |o: &RentOrder| matches!(o.rent_status.as_str(), "renting" | "waitingVerifying");
    orders.sort_by_key(|o| {
        (
            !active(o),
            std::cmp::Reverse(o.id.parse::<u64>().unwrap_or(0)),
        )
    });
    orders
}

#[cfg(test)]
mod tests {
    use super::*;

    const NODE: &str = "3a1e0b6d5b3f4d2c9a7e8f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d";

    fn input(v: serde_json::Value) -> MachineInput {
        serde_json::from_value(v).unwrap()
    }

    fn wallets() -> Vec<WalletInfo> {
        vec![WalletInfo {
            id: "w1".into(),
            name: "mine".into(),
            address: "5Abc".into(),
        }]
    }

    #[test]
    fn node_id_and_fields_are_normalised() {
        let i = input(serde_json::json!({
            "label": "  rig one ", "node_id": format!(" 0x{} ", NODE.to_uppercase()),
            "rent_order": " 42 ", "wallet_id": "w1", "session_id": null, "session_id_sign": null
        }));
        let (e, sign) = from_input("id1".into(), &i, &wallets(), None).unwrap();
        assert_eq!(
            (
                e.label.as_str(),
                e.node_id.as_str(),
                e.rent_order.as_deref()
            ),
            ("rig one", NODE, Some("42"))
        );
        assert!(sign.is_none());
    }

    #[test]
    fn every_bad_field_is_reported() {
        let i = input(serde_json::json!({
            "label": "", "node_id": "xyz", "rent_order": "4x", "wallet_id": "nope",
            "session_id": null, "session_id_sign": null
        }));
        let e = from_input("id".into(), &i, &wallets(), None).unwrap_err();
        for f in ["label", "node_id", "rent_order", "wallet_id"] {
            assert!(e.has(f), "{f}: {e}");
        }
    }

    #[test]
    fn a_session_keeps_its_stored_signature_only_when_the_id_is_unchanged() {
        let i = |sid: &str| {
            input(serde_json::json!({
                "label": "r", "node_id": NODE, "rent_order": "", "wallet_id": null,
                "session_id": sid, "session_id_sign": ""
            }))
        };
        assert!(from_input("m".into(), &i("s1"), &[], Some("s1")).is_ok());
        let e = from_input("m".into(), &i("s2"), &[], Some("s1")).unwrap_err();
        assert!(e.has("session_id_sign"));
    }

    fn order(id: &str, renter: &str, status: &str) -> RentOrder {
        serde_json::from_value(serde_json::json!({
            "id": id, "renter": renter, "rent_status": status
        }))
        .unwrap()
    }

    #[test]
    fn rent_orders_mine_first_active_first_newest_first() {
        let all = vec![
            order("7", "me", "rentExpired"),
            order("9", "other", "renting"),
            order("8", "me", "renting"),
            order("10", "me", "rentExpired"),
            order("3", "me", "waitingVerifying"),
        ];
        let ids = |v: Vec<RentOrder>| v.into_iter().map(|o| o.id).collect::<Vec<_>>();
        assert_eq!(
            ids(sort_rent_orders(all.clone(), Some("me"))),
            ["8", "3", "10", "7"]
        );
        assert_eq!(ids(sort_rent_orders(all, None))[0], "9");
    }
}
