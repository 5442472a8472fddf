//! When to warn a renter about a rental: before its end (at configurable thresholds) and once it
//! has ended or was cancelled. Pure bookkeeping over successive reads of the chain; the book is
//! plain serde data, so a caller can keep it across restarts and every warning fires once per
//! order and threshold.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::types::{BlockNumber, RentOrderId, RentStatus, Rental, BLOCK_SECS};

/// The window a renter has to confirm a `waitingVerifying` order before the chain cancels it:
/// 15 minutes in the current chain code (SPEC §3.6), in blocks.
pub const CONFIRM_WINDOW_BLOCKS: BlockNumber = (15 * 60 / BLOCK_SECS) as BlockNumber;

/// How long the GPU node keeps a renter's VMs (powered off) after the order's end block before
/// deleting them (SPEC §4.3: 3 days; 10 days on the older whole-machine path).
pub const DATA_KEPT_SECS: u64 = 3 * 24 * 3600;

/// The last block of an order's confirmation window (`None` once confirmed).
pub fn confirm_deadline(rent_start: BlockNumber, status: &RentStatus) -> Option<BlockNumber> {
    (*status == RentStatus::WaitingVerifying)
        .then(|| rent_start.saturating_add(CONFIRM_WINDOW_BLOCKS))
}

/// An order being watched: what is needed to tell the renter about it once it is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watched {
    pub machine_id: String,
    pub renter: String,
    pub rent_end: BlockNumber,
    /// The chain's status text when last seen.
    pub status: String,
}

/// What is due for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertKind {
    /// The order ends within `threshold_secs` (`seconds_left` at the time of the read).
    EndsSoon {
        threshold_secs: u64,
        seconds_left: u64,
    },
    /// The order reached its end: the node powers the VMs off and deletes them
    /// [`DATA_KEPT_SECS`] after the end block.
    Ended { rent_end: BlockNumber },
    /// A `waitingVerifying` order left the chain before its end: it was not confirmed in time.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub rent_order: RentOrderId,
    pub machine_id: String,
    pub renter: String,
    #[serde(flatten)]
    pub kind: AlertKind,
}

/// Which warnings have fired and which orders are watched. Keep it between reads (and across
/// restarts): [`AlertBook::observe`] never returns the same warning twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertBook {
    /// `"<order>:<threshold secs>"` of the warnings already given for orders still watched.
    pub fired: BTreeSet<String>,
    pub watched: BTreeMap<RentOrderId, Watched>,
}

fn key(order: RentOrderId, threshold_secs: u64) -> String {
    format!("{order}:{threshold_secs}")
}

impl AlertBook {
    /// Take in a complete read of `renters`' orders (`rentals`, at block `now`) and return the
    /// warnings now due. Only renters listed here are judged: an order of a renter whose read
    /// failed is neither warned about nor taken for ended. Orders of renters no longer given at
    /// all (a wallet was removed) are forgotten without a warning.
    ///
    /// Several thresholds crossed at once give one warning, for the nearest end (a rental seen
    /// first with 10 minutes left is not also announced as "ends within 24 h").
    pub fn observe(
        &mut self,
        renters: &[String],
        all_renters: &[String],
        rentals: &[Rental],
        now: BlockNumber,
        thresholds_secs: &[u64],
    ) -> Vec<Alert> {
        let mut out = Vec::new();
        let mut thresholds = thresholds_secs.to_vec();
        thresholds.sort_unstable();
        thresholds.dedup();
        let mut seen = BTreeSet::new();
        for r in rentals {
            let o = &r.order;
            if !o.rent_status.is_active() || !renters.contains(&o.renter) {
                continue;
            }
            let left = o.seconds_left(now);
            if left == 0 {
                continue; // at its end: judged as ended below
            }
            seen.insert(r.id);
            self.watched.insert(
                r.id,
                Watched {
                    machine_id: o.machine_id.clone(),
                    renter: o.renter.clone(),
                    rent_end: o.rent_end,
                    status: o.rent_status.as_str().to_string(),
                },
            );
            let crossed: Vec<u64> = thresholds.iter().copied().filter(|t| left <= *t).collect();
            if let Some(&nearest) = crossed.first() {
                if !self.fired.contains(&key(r.id, nearest)) {
                    out.push(Alert {
                        rent_order: r.id,
                        machine_id: o.machine_id.clone(),
                        renter: o.renter.clone(),
                        kind: AlertKind::EndsSoon {
                            threshold_secs: nearest,
                            seconds_left: left,
                        },
                    });
                }
                for t in crossed {
                    self.fired.insert(key(r.id, t));
                }
            }
        }
        let gone: Vec<RentOrderId> = self
            .watched
            .iter()
            .filter(|(id, w)| renters.contains(&w.renter) && !seen.contains(id))
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            let w = self.watched.remove(&id).expect("listed above");
            let cancelled = w.status == RentStatus::WaitingVerifying.as_str() && now < w.rent_end;
            out.push(Alert {
                rent_order: id,
                machine_id: w.machine_id,
                renter: w.renter,
                kind: if cancelled {
                    AlertKind::Cancelled
                } else {
                    AlertKind::Ended {
                        rent_end: w.rent_end,
                    }
                },
            });
        }
        self.watched.retain(|_, w| all_renters.contains(&w.renter));
        let watched = &self.watched;
        self.fired.retain(|k| {
            k.split(':')
                .next()
                .and_then(|id| id.parse().ok())
                .is_some_and(|id: RentOrderId| watched.contains_key(&id))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::RentOrder;

    const ME: &str = "5Renter";
    const HOUR: u64 = 3600;
    const BLOCKS_PER_HOUR: BlockNumber = 600;

    fn rental(id: RentOrderId, status: RentStatus, rent_end: BlockNumber) -> Rental {
        Rental {
            id,
            order: RentOrder {
                machine_id: format!("m{id}"),
                renter: ME.into(),
                rent_start: 0,
                confirm_rent: 0,
                rent_end,
                stake_amount: 0,
                rent_status: status,
                gpu_num: 1,
                gpu_index: vec![0],
            },
        }
    }

    fn me() -> Vec<String> {
        vec![ME.to_string()]
    }

    fn kinds(alerts: &[Alert]) -> Vec<(RentOrderId, AlertKind)> {
        alerts
            .iter()
            .map(|a| (a.rent_order, a.kind.clone()))
            .collect()
    }

    #[test]
    fn each_threshold_fires_once_and_ending_fires_once() {
        let mut book = AlertBook::default();
        let th = [24 * HOUR, HOUR];
        let end = 100 * BLOCKS_PER_HOUR;
        let order = [rental(7, RentStatus::Renting, end)];
        // 30 h left: nothing.
        assert!(book
            .observe(&me(), &me(), &order, end - 30 * BLOCKS_PER_HOUR, &th)
            .is_empty());
        // 23 h left: the 24 h warning, once.
        let now = end - 23 * BLOCKS_PER_HOUR;
        assert_eq!(
            kinds(&book.observe(&me(), &me(), &order, now, &th)),
            [(
                7,
                AlertKind::EndsSoon {
                    threshold_secs: 24 * HOUR,
                    seconds_left: 23 * HOUR
                }
            )]
        );
        assert!(book.observe(&me(), &me(), &order, now + 1, &th).is_empty());
        // 30 min left: the 1 h warning.
        let now = end - BLOCKS_PER_HOUR / 2;
        assert_eq!(
            kinds(&book.observe(&me(), &me(), &order, now, &th)),
            [(
                7,
                AlertKind::EndsSoon {
                    threshold_secs: HOUR,
                    seconds_left: HOUR / 2
                }
            )]
        );
        // The order leaves the chain at its end: "ended", once; then the book is empty.
        assert_eq!(
            kinds(&book.observe(&me(), &me(), &[], end, &th)),
            [(7, AlertKind::Ended { rent_end: end })]
        );
        assert!(book.observe(&me(), &me(), &[], end + 10, &th).is_empty());
        assert_eq!(book, AlertBook::default());
    }

    #[test]
    fn a_book_kept_across_restarts_does_not_fire_again() {
        let th = [24 * HOUR, HOUR];
        let order = [rental(9, RentStatus::Renting, 1_000)];
        let mut book = AlertBook::default();
        assert_eq!(book.observe(&me(), &me(), &order, 900, &th).len(), 1);
        let kept = serde_json::to_string(&book).unwrap();
        let mut again: AlertBook = serde_json::from_str(&kept).unwrap();
        assert!(again.observe(&me(), &me(), &order, 950, &th).is_empty());
    }

    #[test]
    fn first_seen_close_to_the_end_gives_only_the_nearest_warning() {
        let mut book = AlertBook::default();
        let th = [24 * HOUR, HOUR];
        let order = [rental(3, RentStatus::Renting, 1_000)];
        let got = book.observe(&me(), &me(), &order, 1_000 - 100, &th);
        assert_eq!(
            kinds(&got),
            [(
                3,
                AlertKind::EndsSoon {
                    threshold_secs: HOUR,
                    seconds_left: 600
                }
            )]
        );
        // The larger threshold does not follow later.
        assert!(book
            .observe(&me(), &me(), &order, 1_000 - 99, &th)
            .is_empty());
    }

    #[test]
    fn a_failed_read_is_not_an_ended_order_and_a_removed_wallet_is_forgotten() {
        let mut book = AlertBook::default();
        let th = [HOUR];
        let order = [rental(5, RentStatus::Renting, 100_000)];
        book.observe(&me(), &me(), &order, 1, &th);
        // This renter's read failed: the order is neither ended nor forgotten.
        assert!(book.observe(&[], &me(), &[], 2, &th).is_empty());
        assert!(book.watched.contains_key(&5));
        // The wallet was removed: forgotten, no warning.
        assert!(book.observe(&[], &[], &[], 3, &th).is_empty());
        assert!(book.watched.is_empty());
    }

    #[test]
    fn an_unconfirmed_order_that_leaves_early_was_cancelled() {
        let mut book = AlertBook::default();
        let order = [rental(4, RentStatus::WaitingVerifying, 10_000)];
        book.observe(&me(), &me(), &order, 10, &[HOUR]);
        assert_eq!(
            kinds(&book.observe(&me(), &me(), &[], 200, &[HOUR])),
            [(4, AlertKind::Cancelled)]
        );
    }

    #[test]
    fn other_renters_and_inactive_orders_are_ignored() {
        let mut book = AlertBook::default();
        let mut theirs = rental(1, RentStatus::Renting, 10);
        theirs.order.renter = "5Other".into();
        let expired = rental(2, RentStatus::RentExpired, 10);
        assert!(book
            .observe(&me(), &me(), &[theirs, expired], 5, &[HOUR])
            .is_empty());
        assert!(book.watched.is_empty());
    }

    #[test]
    fn confirm_window() {
        assert_eq!(CONFIRM_WINDOW_BLOCKS, 150);
        assert_eq!(
            confirm_deadline(1_000, &RentStatus::WaitingVerifying),
            Some(1_150)
        );
        assert_eq!(confirm_deadline(1_000, &RentStatus::Renting), None);
    }
}
