//! Tolerant decoding of the chain's replies (pure functions over `serde_json::Value`).
//!
//! Numbers may arrive as JSON numbers, decimal strings (`"1600590"`, as older chains wrote
//! block numbers) or `0x`-hex strings (`"0x4c4b40"`, how Substrate writes a header's number).
//! Byte strings (the machine id) may arrive as text, as `0x`-hex of the bytes, or as an array
//! of byte values. Unknown fields are ignored. A field of the wrong type is an error, never
//! silently zero.

use serde_json::{Map, Value};

use crate::types::{BlockNumber, MachineRentIds, RentOrder, RentOrderId, RentStatus};

/// An unsigned integer from a JSON number, a decimal string or a `0x`-hex string.
/// JSON numbers beyond `u64` are accepted only when exactly integral.
pub fn uint(v: &Value) -> Option<u128> {
    match v {
        Value::Number(n) => n.as_u64().map(u128::from).or_else(|| {
            let f = n.as_f64()?;
            (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 3.4e38).then_some(f as u128)
        }),
        Value::String(s) => {
            let s = s.trim();
            match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                Some(hex) if !hex.is_empty() => u128::from_str_radix(hex, 16).ok(),
                Some(_) => None,
                None if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
                None => None,
            }
        }
        _ => None,
    }
}

/// A block number (`u32`).
pub fn block(v: &Value) -> Option<BlockNumber> {
    uint(v).and_then(|n| n.try_into().ok())
}

fn u32_of(v: &Value) -> Option<u32> {
    uint(v).and_then(|n| n.try_into().ok())
}

fn u64_of(v: &Value) -> Option<u64> {
    uint(v).and_then(|n| n.try_into().ok())
}

/// Text that the chain sends for a `Vec<u8>`: plain text, `0x`-hex of printable ASCII bytes,
/// or an array of byte values.
pub fn bytes_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            if let Some(hex) = s.strip_prefix("0x") {
                if hex.len() >= 2 && hex.len() % 2 == 0 {
                    let bytes: Option<Vec<u8>> = (0..hex.len())
                        .step_by(2)
                        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                        .collect();
                    if let Some(bytes) = bytes {
                        if bytes.iter().all(|b| b.is_ascii_graphic()) {
                            return String::from_utf8(bytes).ok();
                        }
                    }
                }
            }
            Some(s.clone())
        }
        Value::Array(items) => {
            let bytes: Option<Vec<u8>> = items
                .iter()
                .map(|b| uint(b).and_then(|n| u8::try_from(n).ok()))
                .collect();
            String::from_utf8(bytes?).ok()
        }
        _ => None,
    }
}

fn list<T>(v: &Value, item: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    match v {
        Value::Null => Some(vec![]),
        Value::Array(a) => a.iter().map(item).collect(),
        _ => None,
    }
}

/// Reader over one reply object: camelCase names as the chain writes them, with the
/// snake_case spelling accepted too.
struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    fn get(&self, camel: &str, snake: &str) -> Option<&'a Value> {
        self.0
            .get(camel)
            .or_else(|| self.0.get(snake))
            .filter(|v| !v.is_null())
    }

    /// A present field must decode; an absent one takes `default`.
    fn opt<T>(
        &self,
        camel: &str,
        snake: &str,
        decode: impl Fn(&Value) -> Option<T>,
        default: T,
    ) -> Result<T, String> {
        match self.get(camel, snake) {
            None => Ok(default),
            Some(v) => decode(v).ok_or_else(|| format!("{camel}: unexpected value {v}")),
        }
    }

    fn req<T>(
        &self,
        camel: &str,
        snake: &str,
        decode: impl Fn(&Value) -> Option<T>,
    ) -> Result<T, String> {
        match self.get(camel, snake) {
            None => Err(format!("{camel} is missing")),
            Some(v) => decode(v).ok_or_else(|| format!("{camel}: unexpected value {v}")),
        }
    }
}

/// `rentMachine_getRentOrder`. `Ok(None)` when the chain has no such order: a `null` result
/// (current chain) or the all-default record older chains returned for an unknown id (empty
/// machine id and end block 0).
pub fn rent_order(v: &Value) -> Result<Option<RentOrder>, String> {
    let obj = match v {
        Value::Null => return Ok(None),
        Value::Object(o) => Fields(o),
        other => return Err(format!("expected an object or null, got {other}")),
    };
    let gpu_index = obj.opt("gpuIndex", "gpu_index", |v| list(v, u32_of), vec![])?;
    let order = RentOrder {
        machine_id: obj.opt("machineId", "machine_id", bytes_text, String::new())?,
        renter: obj.req("renter", "renter", |v| v.as_str().map(str::to_string))?,
        rent_start: obj.opt("rentStart", "rent_start", block, 0)?,
        confirm_rent: obj.opt("confirmRent", "confirm_rent", block, 0)?,
        rent_end: obj.req("rentEnd", "rent_end", block)?,
        stake_amount: obj.opt("stakeAmount", "stake_amount", uint, 0)?,
        rent_status: obj.opt(
            "rentStatus",
            "rent_status",
            |v| v.as_str().map(RentStatus::parse),
            RentStatus::Unknown(String::new()),
        )?,
        gpu_num: obj.opt("gpuNum", "gpu_num", u32_of, gpu_index.len() as u32)?,
        gpu_index,
    };
    if order.machine_id.is_empty() && order.rent_end == 0 {
        return Ok(None);
    }
    Ok(Some(order))
}

/// `rentMachine_getRentList`: order ids (`null` = none).
pub fn rent_list(v: &Value) -> Result<Vec<RentOrderId>, String> {
    list(v, u64_of).ok_or_else(|| format!("expected a list of order ids, got {v}"))
}

/// `rentMachine_getMachineRentId` (`null` or missing lists = none).
pub fn machine_rent_ids(v: &Value) -> Result<MachineRentIds, String> {
    let obj = match v {
        Value::Null => return Ok(MachineRentIds::default()),
        Value::Object(o) => Fields(o),
        other => return Err(format!("expected an object, got {other}")),
    };
    Ok(MachineRentIds {
        rent_order: obj.opt("rentOrder", "rent_order", |v| list(v, u64_of), vec![])?,
        used_gpu: obj.opt("usedGpu", "used_gpu", |v| list(v, u32_of), vec![])?,
    })
}

/// The block number of a header (`chain_getHeader`, `chain_newHead` notifications).
pub fn header_number(v: &Value) -> Result<BlockNumber, String> {
    match v {
        Value::Object(o) => Fields(o).req("number", "number", block),
        other => Err(format!("expected a header object, got {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_from_numbers_decimal_and_hex_strings() {
        assert_eq!(uint(&json!(42)), Some(42));
        assert_eq!(uint(&json!("42")), Some(42));
        assert_eq!(uint(&json!(" 42 ")), Some(42));
        assert_eq!(uint(&json!("0x2a")), Some(42));
        assert_eq!(uint(&json!("0X2A")), Some(42));
        assert_eq!(uint(&json!("0x4c4b40")), Some(5_000_000));
        assert_eq!(
            uint(&json!("340282366920938463463374607431768211455")),
            Some(u128::MAX)
        );
        assert_eq!(uint(&json!(1e21)), Some(1_000_000_000_000_000_000_000));
        for bad in [
            json!(-1),
            json!(1.5),
            json!("-1"),
            json!("1e3"),
            json!("0x"),
            json!("0xzz"),
            json!(""),
            json!("abc"),
            json!(true),
            json!(null),
            json!([1]),
            json!("340282366920938463463374607431768211456"),
        ] {
            assert_eq!(uint(&bad), None, "{bad}");
        }
        assert_eq!(block(&json!("0xffffffff")), Some(u32::MAX));
        assert_eq!(block(&json!(4_294_967_296u64)), None);
    }

    #[test]
    fn machine_id_from_text_hex_bytes_and_byte_arrays() {
        let id = "0edac3b0263dd09538717bb0f5bf3f1bced70d7e017239d6f307b0801220c022";
        assert_eq!(bytes_text(&json!(id)).unwrap(), id);
        let hex_of_text = format!("0x{}", hex_of(id.as_bytes()));
        assert_eq!(bytes_text(&json!(hex_of_text)).unwrap(), id);
        let arr: Vec<u8> = id.bytes().collect();
        assert_eq!(bytes_text(&json!(arr)).unwrap(), id);
        // 0x-hex that is not printable text stays as it is
        assert_eq!(bytes_text(&json!("0x00ff")).unwrap(), "0x00ff");
        assert_eq!(bytes_text(&json!([300])), None);
        assert_eq!(bytes_text(&json!(5)), None);
    }

    fn hex_of(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// The reply documented in DBC's RPC reference (mainnet, numbers as JSON numbers).
    #[test]
    fn rent_order_as_documented() {
        let v = json!({
            "confirmRent": 1600590, "gpuIndex": [0, 1, 2, 3], "gpuNum": 4,
            "machineId": "0edac3b0263dd09538717bb0f5bf3f1bced70d7e017239d6f307b0801220c022",
            "rentEnd": 1635148, "rentStart": 1600588, "rentStatus": "renting",
            "renter": "5GETYD36iceKpKf1fpKdTwtToh4MskTt5RsuouYTGxmrcouC", "stakeAmount": "0"
        });
        let o = rent_order(&v).unwrap().unwrap();
        assert_eq!(
            o.machine_id,
            "0edac3b0263dd09538717bb0f5bf3f1bced70d7e017239d6f307b0801220c022"
        );
        assert_eq!(o.renter, "5GETYD36iceKpKf1fpKdTwtToh4MskTt5RsuouYTGxmrcouC");
        assert_eq!(
            (o.rent_start, o.confirm_rent, o.rent_end),
            (1600588, 1600590, 1635148)
        );
        assert_eq!(o.stake_amount, 0);
        assert_eq!(o.rent_status, RentStatus::Renting);
        assert_eq!((o.gpu_num, o.gpu_index.as_slice()), (4, &[0, 1, 2, 3][..]));
    }

    #[test]
    fn rent_order_with_strings_hex_snake_case_and_unknown_fields() {
        let v = json!({
            "machine_id": "abc", "renter": "5Renter", "rent_start": "0x10",
            "confirmRent": "17", "rentEnd": "0x20", "stakeAmount": "2500000000000000000000",
            "rentStatus": "rentPaused", "gpu_index": ["1", "0x2"], "futureField": {"x": 1},
            "anotherOne": [1, 2, 3]
        });
        let o = rent_order(&v).unwrap().unwrap();
        assert_eq!((o.rent_start, o.confirm_rent, o.rent_end), (16, 17, 32));
        assert_eq!(o.stake_amount, 2_500_000_000_000_000_000_000);
        assert_eq!(o.rent_status, RentStatus::Unknown("rentPaused".into()));
        assert_eq!(o.gpu_index, vec![1, 2]);
        assert_eq!(o.gpu_num, 2, "gpuNum defaults to the number of GPU indexes");
    }

    #[test]
    fn rent_order_missing_or_default_is_none_and_bad_types_are_errors() {
        assert_eq!(rent_order(&json!(null)).unwrap(), None);
        // what chains with a ValueQuery store answered for an unknown id
        let default = json!({"machineId": "", "renter": "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM",
            "rentStart": 0, "confirmRent": 0, "rentEnd": 0, "stakeAmount": "0",
            "rentStatus": "rentExpired", "gpuNum": 0, "gpuIndex": []});
        assert_eq!(rent_order(&default).unwrap(), None);
        assert!(rent_order(&json!("garbage")).is_err());
        assert!(rent_order(&json!([1])).is_err());
        let base = json!({"machineId": "m", "renter": "r", "rentEnd": 5});
        assert!(rent_order(&base).unwrap().is_some());
        for (field, bad) in [
            ("rentEnd", json!(true)),
            ("rentEnd", json!("soon")),
            ("rentEnd", json!(-3)),
            ("renter", json!(5)),
            ("gpuIndex", json!("0,1")),
            ("gpuIndex", json!([0, "x"])),
            ("stakeAmount", json!({"v": 1})),
            ("rentStatus", json!(1)),
        ] {
            let mut v = base.clone();
            v[field] = bad.clone();
            let e = rent_order(&v).unwrap_err();
            assert!(e.contains(field), "{field}={bad}: {e}");
        }
        for missing in ["renter", "rentEnd"] {
            let mut v = base.clone();
            v.as_object_mut().unwrap().remove(missing);
            assert!(rent_order(&v).unwrap_err().contains("missing"));
        }
    }

    #[test]
    fn lists_and_machine_rent_ids() {
        assert_eq!(rent_list(&json!([0, "1", "0x2"])).unwrap(), vec![0, 1, 2]);
        assert_eq!(rent_list(&json!(null)).unwrap(), Vec::<u64>::new());
        assert!(rent_list(&json!({"a": 1})).is_err());
        assert!(rent_list(&json!([-1])).is_err());
        let m = machine_rent_ids(&json!({"rentOrder": [889], "usedGpu": [0, 1, 2, 3], "x": 0}))
            .unwrap();
        assert_eq!(m.rent_order, vec![889]);
        assert_eq!(m.used_gpu, vec![0, 1, 2, 3]);
        assert_eq!(
            machine_rent_ids(&json!({})).unwrap(),
            MachineRentIds::default()
        );
        assert!(machine_rent_ids(&json!({"rentOrder": "889"})).is_err());
        assert!(machine_rent_ids(&json!(3)).is_err());
    }

    #[test]
    fn header_numbers() {
        let h = json!({"parentHash": "0x00", "number": "0x4c4b40", "stateRoot": "0x",
            "extrinsicsRoot": "0x", "digest": {"logs": []}});
        assert_eq!(header_number(&h).unwrap(), 5_000_000);
        assert_eq!(header_number(&json!({"number": 12})).unwrap(), 12);
        assert!(header_number(&json!({"number": "0x1ffffffff"})).is_err());
        assert!(header_number(&json!({})).is_err());
        assert!(header_number(&json!(null)).is_err());
    }
}
