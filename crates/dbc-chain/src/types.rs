//! What the chain's `rentMachine` RPC returns, as typed values, and the pure time helpers.
//!
//! Facts from DBC's chain source (DeepBrainChain-MainChain):
//! - `pallets/support/src/rental_type.rs`: `RentOrderDetail<AccountId, BlockNumber, Balance>`
//!   (serde camelCase) with `machine_id: MachineId` (bytes, sent as text), `renter`,
//!   `rent_start`, `confirm_rent`, `rent_end`, `stake_amount` (an `RpcBalance`: a decimal
//!   string), `rent_status: RentStatus` (`waitingVerifying` | `renting` | `rentExpired`),
//!   `gpu_num: u32`, `gpu_index: Vec<u32>`; `MachineGPUOrder { rent_order: Vec<RentOrderId>,
//!   used_gpu: Vec<u32> }` (camelCase).
//! - `pallets/support/src/primitives.rs`: `RentOrderId = u64`, `MachineId = Vec<u8>`.
//! - The runtime's block number is a `u32`; one block every 6 s (2880 a day).

use serde::{Serialize, Serializer};

/// Chain block number (`u32` on the DBC runtime).
pub type BlockNumber = u32;
/// Rent order id (`RentOrderId = u64`).
pub type RentOrderId = u64;

/// Seconds per block on the DBC chain (`BLOCK_PER_DAY = 2880`).
pub const BLOCK_SECS: u64 = 6;

/// Seconds until `rent_end_block`, counted from `current_block` at 6 s per block; 0 once the
/// end block is reached or passed.
pub fn seconds_left(rent_end_block: BlockNumber, current_block: BlockNumber) -> u64 {
    u64::from(rent_end_block.saturating_sub(current_block)) * BLOCK_SECS
}

/// Status of a rent order. Text the chain may add later is kept in `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RentStatus {
    /// Rented, waiting for the renter to confirm (the chain cleans it up when the short
    /// confirmation window passes unconfirmed).
    WaitingVerifying,
    Renting,
    RentExpired,
    Unknown(String),
}

impl RentStatus {
    /// Parse the chain's text (`waitingVerifying`, `renting`, `rentExpired`), ignoring case
    /// (older serialisations used `Renting` etc.).
    pub fn parse(text: &str) -> RentStatus {
        match text.to_ascii_lowercase().as_str() {
            "waitingverifying" => RentStatus::WaitingVerifying,
            "renting" => RentStatus::Renting,
            "rentexpired" => RentStatus::RentExpired,
            _ => RentStatus::Unknown(text.to_string()),
        }
    }

    /// The chain's spelling (an unknown status as received).
    pub fn as_str(&self) -> &str {
        match self {
            RentStatus::WaitingVerifying => "waitingVerifying",
            RentStatus::Renting => "renting",
            RentStatus::RentExpired => "rentExpired",
            RentStatus::Unknown(s) => s,
        }
    }

    /// An order the GPU node accepts (`renting` or `waitingVerifying`, SPEC §3.6).
    pub fn is_active(&self) -> bool {
        matches!(self, RentStatus::WaitingVerifying | RentStatus::Renting)
    }
}

impl std::fmt::Display for RentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RentStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

fn u128_as_text<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

/// One rent order (`rentMachine_getRentOrder`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RentOrder {
    /// The rented machine's id (64 hex characters on the current chain; empty on chains that
    /// did not report it).
    pub machine_id: String,
    /// Renter account, as the chain writes it (SS58).
    pub renter: String,
    /// Block of the rent call.
    pub rent_start: BlockNumber,
    /// Block of the renter's confirmation (0 while `waitingVerifying`).
    pub confirm_rent: BlockNumber,
    /// Block at which the rental ends.
    pub rent_end: BlockNumber,
    /// The renter's stake (a `u128` balance, smallest unit); written as decimal text.
    #[serde(serialize_with = "u128_as_text")]
    pub stake_amount: u128,
    pub rent_status: RentStatus,
    pub gpu_num: u32,
    pub gpu_index: Vec<u32>,
}

impl RentOrder {
    /// Seconds left at `current_block` (see [`seconds_left`]).
    pub fn seconds_left(&self, current_block: BlockNumber) -> u64 {
        seconds_left(self.rent_end, current_block)
    }
}

/// A rent order with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rental {
    pub id: RentOrderId,
    #[serde(flatten)]
    pub order: RentOrder,
}

/// `rentMachine_getMachineRentId`: the machine's current rent orders and the GPUs they use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MachineRentIds {
    pub rent_order: Vec<RentOrderId>,
    pub used_gpu: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_left_is_six_per_block_and_saturates() {
        assert_eq!(seconds_left(110, 100), 60);
        assert_eq!(seconds_left(100, 100), 0);
        assert_eq!(seconds_left(100, 250), 0);
        assert_eq!(seconds_left(u32::MAX, 0), u64::from(u32::MAX) * 6);
    }

    #[test]
    fn status_text_round_trips_and_keeps_unknown() {
        for s in ["waitingVerifying", "renting", "rentExpired"] {
            assert_eq!(RentStatus::parse(s).as_str(), s);
        }
        assert_eq!(RentStatus::parse("Renting"), RentStatus::Renting);
        assert_eq!(
            RentStatus::parse("rentPaused"),
            RentStatus::Unknown("rentPaused".into())
        );
        assert!(RentStatus::Renting.is_active());
        assert!(RentStatus::WaitingVerifying.is_active());
        assert!(!RentStatus::RentExpired.is_active());
        assert!(!RentStatus::Unknown("x".into()).is_active());
        assert_eq!(
            serde_json::to_value(RentStatus::Unknown("x".into())).unwrap(),
            "x"
        );
    }

    #[test]
    fn stake_is_written_as_decimal_text() {
        let r = Rental {
            id: 7,
            order: RentOrder {
                machine_id: "m".into(),
                renter: "r".into(),
                rent_start: 1,
                confirm_rent: 2,
                rent_end: 3,
                stake_amount: u128::MAX,
                rent_status: RentStatus::Renting,
                gpu_num: 1,
                gpu_index: vec![0],
            },
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["id"], 7);
        assert_eq!(v["stake_amount"], u128::MAX.to_string());
        assert_eq!(v["rent_status"], "renting");
    }
}
