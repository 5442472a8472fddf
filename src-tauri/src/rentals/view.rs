//! The pure side of rentals: orders as the UI shows them and the words of a warning.

use dbc_chain::alerts::{confirm_deadline, Alert, AlertKind, DATA_KEPT_SECS};
use dbc_chain::{seconds_left, BlockNumber, Rental};

use crate::models::*;
use crate::words::{duration, text, Lang};

/// A wallet whose orders are read.
pub(super) struct Renter {
    pub(super) address: String,
    pub(super) wallet_id: String,
    pub(super) name: String,
}

fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Orders as the UI shows them, soonest end first.
pub(super) fn views(
    rentals: Vec<(Rental, &Renter)>,
    now: BlockNumber,
    entries: &[MachineEntry],
) -> Vec<RentalView> {
    let mut out: Vec<RentalView> = rentals
        .into_iter()
        .map(|(r, who)| {
            let o = r.order;
            let left = o.seconds_left(now);
            let id = r.id.to_string();
            let entry = entries.iter().find(|e| {
                e.rent_order.as_deref() == Some(id.as_str()) && e.node_id == o.machine_id
            });
            RentalView {
                confirm_seconds_left: confirm_deadline(o.rent_start, &o.rent_status)
                    .map(|end| clamp_u32(seconds_left(end, now))),
                rent_order: id,
                machine_id: o.machine_id,
                renter: o.renter,
                wallet_id: Some(who.wallet_id.clone()),
                wallet_name: Some(who.name.clone()),
                entry_id: entry.map(|e| e.id.clone()),
                machine_label: entry.map(|e| e.label.clone()),
                status: o.rent_status.as_str().to_string(),
                rent_end: o.rent_end,
                seconds_left: clamp_u32(left),
                gpu_num: o.gpu_num,
                gpu_index: o.gpu_index,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.seconds_left, &a.rent_order).cmp(&(b.seconds_left, &b.rent_order)));
    out
}

/// The words of a warning (OS notification and in-app), in the user's language.
pub fn alert_text(alert: &Alert, label: Option<&str>, lang: Lang) -> RentAlert {
    let on = label.unwrap_or(&alert.machine_id);
    let order = alert.rent_order.to_string();
    let kept = duration(lang, DATA_KEPT_SECS);
    let say = |key: &str, time: &str| {
        text(
            lang,
            key,
            &[
                ("order", &order),
                ("machine", on),
                ("kept", &kept),
                ("time", time),
            ],
        )
    };
    let (kind, seconds_left, title, body) = match &alert.kind {
        AlertKind::EndsSoon { seconds_left, .. } => (
            RentAlertKind::EndsSoon,
            Some(clamp_u32(*seconds_left)),
            say("native.rent.endsSoonTitle", &duration(lang, *seconds_left)),
            say("native.rent.endsSoonBody", ""),
        ),
        AlertKind::Ended { .. } => (
            RentAlertKind::Ended,
            None,
            say("native.rent.endedTitle", ""),
            say("native.rent.endedBody", ""),
        ),
        AlertKind::Cancelled => (
            RentAlertKind::Cancelled,
            None,
            say("native.rent.cancelledTitle", ""),
            say("native.rent.cancelledBody", ""),
        ),
    };
    RentAlert {
        seq: 0,
        rent_order: order,
        machine_id: alert.machine_id.clone(),
        machine_label: label.map(str::to_string),
        kind,
        seconds_left,
        title,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbc_chain::{RentOrder as ChainOrder, RentStatus};

    fn rental(id: u64, end: BlockNumber, status: RentStatus) -> Rental {
        Rental {
            id,
            order: ChainOrder {
                machine_id: format!("m{id}"),
                renter: "5R".into(),
                rent_start: 100,
                confirm_rent: 0,
                rent_end: end,
                stake_amount: 0,
                rent_status: status,
                gpu_num: 2,
                gpu_index: vec![0, 1],
            },
        }
    }

    #[test]
    fn views_sort_by_time_left_and_name_the_machine_using_the_order() {
        let who = Renter {
            address: "5R".into(),
            wallet_id: "w".into(),
            name: "Main".into(),
        };
        let entry = MachineEntry {
            id: "e1".into(),
            label: "rig".into(),
            node_id: "m2".into(),
            rent_order: Some("2".into()),
            auth: MachineAuth::Wallet {
                wallet_id: "w".into(),
            },
            demo: false,
        };
        let list = vec![
            (rental(1, 10_000, RentStatus::Renting), &who),
            (rental(2, 1_000, RentStatus::WaitingVerifying), &who),
        ];
        let v = views(list, 200, &[entry]);
        assert_eq!(v[0].rent_order, "2");
        assert_eq!(v[0].seconds_left, 800 * 6);
        assert_eq!(v[0].machine_label.as_deref(), Some("rig"));
        // started at block 100: the 150-block window has 50 blocks left at 200
        assert_eq!(v[0].confirm_seconds_left, Some(50 * 6));
        assert_eq!(v[1].rent_order, "1");
        assert_eq!(v[1].confirm_seconds_left, None);
        assert!(v[1].entry_id.is_none());
    }

    #[test]
    fn warnings_say_what_happens_to_the_vms() {
        let a = Alert {
            rent_order: 7,
            machine_id: "abc".into(),
            renter: "5R".into(),
            kind: AlertKind::EndsSoon {
                threshold_secs: 3600,
                seconds_left: 1800,
            },
        };
        let t = alert_text(&a, Some("rig"), Lang::En);
        assert_eq!(t.title, "Rental ends in 30 min");
        assert!(
            t.body.contains("#7 on rig") && t.body.contains("3 d"),
            "{}",
            t.body
        );
        let ended = Alert {
            kind: AlertKind::Ended { rent_end: 9 },
            ..a.clone()
        };
        let t = alert_text(&ended, None, Lang::En);
        assert_eq!(t.kind, RentAlertKind::Ended);
        assert!(
            t.body.contains("powered off") && t.body.contains("abc"),
            "{}",
            t.body
        );
        // the same warning in Chinese: the catalog's words, the numbers filled in
        let zh = alert_text(&a, Some("rig"), Lang::ZhCn);
        assert!(
            zh.title.contains("30") && zh.title != "Rental ends in 30 min",
            "{}",
            zh.title
        );
        assert!(
            zh.body.contains("#7") && zh.body.contains("rig"),
            "{}",
            zh.body
        );
    }
}
