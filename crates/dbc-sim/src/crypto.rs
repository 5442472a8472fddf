//! sr25519 verification, SS58, multisig account derivation, id generation.

use rand::RngCore;
use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
use sp_core::{sr25519, Pair as _};

/// Parse an SS58 address with network prefix 42.
pub fn parse_ss58_42(addr: &str) -> Option<[u8; 32]> {
    let (public, format) = sr25519::Public::from_ss58check_with_version(addr).ok()?;
    if u16::from(format) != 42 {
        return None;
    }
    Some(public.0)
}

/// The 32-byte account of an SS58 address of any network prefix (how the chain reads an
/// `AccountId` parameter).
pub fn parse_ss58_any(addr: &str) -> Option<[u8; 32]> {
    let (public, _) = sr25519::Public::from_ss58check_with_version(addr).ok()?;
    Some(public.0)
}

/// SS58-42 text of a 32-byte account id.
pub fn to_ss58_42(raw: &[u8; 32]) -> String {
    sr25519::Public::from_raw(*raw).to_ss58check_with_version(Ss58AddressFormat::custom(42))
}

/// Address of a 32-byte sr25519 mini-secret given as hex (with or without `0x`).
pub fn address_from_seed_hex(seed_hex: &str) -> Option<String> {
    let pair = pair_from_seed_hex(seed_hex)?;
    Some(to_ss58_42(&pair.public().0))
}

/// Key pair from a hex mini-secret.
pub fn pair_from_seed_hex(seed_hex: &str) -> Option<sr25519::Pair> {
    let s = seed_hex.strip_prefix("0x").unwrap_or(seed_hex);
    let bytes = hex::decode(s).ok()?;
    let seed: [u8; 32] = bytes.try_into().ok()?;
    Some(sr25519::Pair::from_seed(&seed))
}

/// Decode a 64-byte signature given as hex with or without `0x`.
pub fn decode_sig(sig_hex: &str) -> Option<[u8; 64]> {
    let s = sig_hex
        .strip_prefix("0x")
        .or_else(|| sig_hex.strip_prefix("0X"))
        .unwrap_or(sig_hex);
    if s.len() != 128 {
        return None;
    }
    let bytes = hex::decode(s).ok()?;
    bytes.try_into().ok()
}

/// Verify an sr25519 signature (context `substrate`) of the raw UTF-8 bytes of `message` by the
/// SS58-42 `wallet`.
pub fn verify(wallet: &str, message: &str, sig_hex: &str) -> bool {
    let (Some(pk), Some(sig)) = (parse_ss58_42(wallet), decode_sig(sig_hex)) else {
        return false;
    };
    sr25519::Pair::verify(
        &sr25519::Signature::from_raw(sig),
        message.as_bytes(),
        &sr25519::Public::from_raw(pk),
    )
}

/// SCALE compact encoding of a length.
fn compact_len(n: usize, out: &mut Vec<u8>) {
    let n = n as u64;
    if n < 1 << 6 {
        out.push((n as u8) << 2);
    } else if n < 1 << 14 {
        out.extend_from_slice(&(((n as u16) << 2) | 0b01).to_le_bytes());
    } else if n < 1 << 30 {
        out.extend_from_slice(&(((n as u32) << 2) | 0b10).to_le_bytes());
    } else {
        let bytes = n.to_le_bytes();
        let len = 8 - (n.leading_zeros() / 8) as usize;
        out.push((((len - 4) as u8) << 2) | 0b11);
        out.extend_from_slice(&bytes[..len]);
    }
}

/// Standard Substrate multisig account (pallet_multisig `multi_account_id`):
/// blake2_256(b"modlpy/utilisuba" ++ SCALE(Vec<AccountId> sorted) ++ threshold u16 LE), as SS58-42.
/// Returns `None` when a wallet is not a valid SS58-42 address.
pub fn multisig_account(wallets: &[String], threshold: u16) -> Option<String> {
    let mut ids = wallets
        .iter()
        .map(|w| parse_ss58_42(w))
        .collect::<Option<Vec<_>>>()?;
    ids.sort();
    let mut buf = b"modlpy/utilisuba".to_vec();
    compact_len(ids.len(), &mut buf);
    for id in &ids {
        buf.extend_from_slice(id);
    }
    buf.extend_from_slice(&threshold.to_le_bytes());
    Some(to_ss58_42(&sp_crypto_hashing::blake2_256(&buf)))
}

/// Lowercase UUIDv4 text from the generator.
pub fn uuid_text(rng: &mut impl RngCore) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Base58Check of a random UUID text (55 characters), like DBC's nonces and session ids.
pub fn session_id(rng: &mut impl RngCore) -> String {
    bs58::encode(uuid_text(rng)).with_check().into_string()
}

/// Base58Check task id (about 22 characters).
pub fn task_id(rng: &mut impl RngCore) -> String {
    let mut b = [0u8; 12];
    rng.fill_bytes(&mut b);
    bs58::encode(b).with_check().into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_gives_demo_wallet() {
        assert_eq!(
            address_from_seed_hex(crate::DEMO_SEED_HEX).unwrap(),
            crate::config::DEMO_WALLET
        );
    }

    #[test]
    fn wiki_vectors_verify() {
        let w = crate::config::DEMO_WALLET;
        assert!(verify(w, "5q7KRn4d8EmXFFsim8vHBp23N2CpERbD2mWR3WCo1o3teZnGxYEh4N6", "2460725b2f5e737cd810c773be61b9b27c3b9dbdac4af9cf25c7be9949ad7202a0b7467f71ad843888f482662d3ae2e4fa566d3c1930a3fa90f3dcb97ea4098d"));
        assert!(verify(w, "5q7KRn4d8EmXFFsim8vHBp23N2CpERbD2mWR3WCo1o3teZnGxYEh4N6", "0x2460725b2f5e737cd810c773be61b9b27c3b9dbdac4af9cf25c7be9949ad7202a0b7467f71ad843888f482662d3ae2e4fa566d3c1930a3fa90f3dcb97ea4098d"));
        assert!(!verify(w, "<Bytes>5q7KRn4d8EmXFFsim8vHBp23N2CpERbD2mWR3WCo1o3teZnGxYEh4N6</Bytes>", "2460725b2f5e737cd810c773be61b9b27c3b9dbdac4af9cf25c7be9949ad7202a0b7467f71ad843888f482662d3ae2e4fa566d3c1930a3fa90f3dcb97ea4098d"));
        assert!(verify(
            w,
            crate::config::DEMO_SESSION_ID,
            crate::config::DEMO_SESSION_SIGN
        ));
        assert!(verify("5HgVTsXnUBmaL5F2RBjKmXMoAeG9Avuyk9tmgnnVx28u2ZrS", "5t1mv263Qpnu5tk5xPDk86oXGUX8yXaYGpAWj2n6gU45HNmsQqLaAU7", "c494cc517f3c181fd7206d03175b5c0c29d162e53aa88c557887241d104456272dc313501c8ae4e71dbcbae183942a119713974aff87aa1ef3870aa505be6384"));
    }

    #[test]
    fn wiki_multisig_account() {
        let wallets = [
            "5Dy8ULx1De6u3WE9ixpy1VKK2CVssvsjQT15qcmQsG662Zj4",
            "5HgVTsXnUBmaL5F2RBjKmXMoAeG9Avuyk9tmgnnVx28u2ZrS",
            "5DhBmvUkj9YWvdDtJWJwaGrFRpzeqW4Ch5oTyTamXG2LMHVQ",
        ]
        .map(String::from);
        assert_eq!(
            multisig_account(&wallets, 2).unwrap(),
            "5HCCnfuhuHKVMSSMQsrmJ7y7zV25uSYvH34DjQMJfL9sqjmw"
        );
        // order of the wallets does not matter (they are sorted)
        let rev: Vec<String> = wallets.iter().rev().cloned().collect();
        assert_eq!(
            multisig_account(&rev, 2).unwrap(),
            "5HCCnfuhuHKVMSSMQsrmJ7y7zV25uSYvH34DjQMJfL9sqjmw"
        );
    }

    #[test]
    fn ids_have_dbc_shape() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        assert_eq!(session_id(&mut rng).len(), 55);
        let t = task_id(&mut rng);
        assert!((20..=22).contains(&t.len()), "{t}");
    }
}
