//! A passphrase strength hint for the encrypted wallet file: an estimate of the guesses an
//! attacker needs, from the characters used, with repeats, runs and well-known passwords
//! discounted. It is a hint shown while typing, not a gate (only [`crate::MIN_PASSPHRASE`] is
//! enforced).

use serde::Serialize;

/// What weakens a passphrase, one code per problem (the UI words each in its own language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Weakness {
    /// Shorter than [`crate::MIN_PASSPHRASE`].
    TooShort,
    /// Only one kind of character (all lower-case letters, all digits, ...).
    OneKind,
    /// The same character many times in a row (`aaaa`).
    Repeats,
    /// A run such as `abcd`, `1234` or `qwerty`.
    Sequence,
    /// A password on every attacker's first list.
    Common,
}

/// The hint: a score from 0 (guessed at once) to 4 (strong), the estimated entropy in bits, and
/// what to improve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Strength {
    pub score: u8,
    pub bits: u32,
    pub weaknesses: Vec<Weakness>,
}

const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty",
    "qwertyuiop",
    "iloveyou",
    "admin",
    "welcome",
    "letmein",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "trustno1",
    "abc123",
    "111111",
    "000000",
    "666666",
    "888888",
    "password1",
    "qwerty123",
    "1q2w3e4r",
    "zaq12wsx",
    "changeme",
    "secret",
    "deepbrainchain",
    "dbcwallet",
    "wallet",
    "bitcoin",
    "polkadot",
    "substrate",
];

const KEYBOARD_ROWS: &[&str] = &["qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890"];

/// Rate a passphrase.
pub fn strength(pass: &str) -> Strength {
    let chars: Vec<char> = pass.chars().collect();
    let mut weaknesses = Vec::new();
    if chars.len() < crate::MIN_PASSPHRASE {
        weaknesses.push(Weakness::TooShort);
    }
    let lower = pass.to_lowercase();
    if COMMON.iter().any(|c| lower == *c || leet(&lower) == *c) {
        weaknesses.push(Weakness::Common);
        return Strength {
            score: 0,
            bits: 0,
            weaknesses,
        };
    }

    let (mut pool, mut kinds) = (0u32, 0u32);
    for (present, size) in [
        (chars.iter().any(|c| c.is_ascii_lowercase()), 26),
        (chars.iter().any(|c| c.is_ascii_uppercase()), 26),
        (chars.iter().any(|c| c.is_ascii_digit()), 10),
        (
            chars.iter().any(|c| c.is_ascii_punctuation() || *c == ' '),
            33,
        ),
        (chars.iter().any(|c| !c.is_ascii()), 100),
    ] {
        if present {
            pool += size;
            kinds += 1;
        }
    }
    if kinds == 1 && !chars.is_empty() {
        weaknesses.push(Weakness::OneKind);
    }

    // Effective length: a character that repeats the one before, or extends a run of three or
    // more (`abc`, `321`, a keyboard row), adds almost nothing for an attacker.
    let (mut effective, mut repeats, mut runs) = (0.0f64, 0usize, 0usize);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let cheap = match prev {
            Some(p) if p == c => {
                repeats += 1;
                true
            }
            Some(p) if i >= 2 && continues_run(chars[i - 2], p) && continues_run(p, c) => {
                runs += 1;
                true
            }
            _ => false,
        };
        effective += if cheap { 0.25 } else { 1.0 };
    }
    if repeats >= 3 {
        weaknesses.push(Weakness::Repeats);
    }
    if runs >= 2 {
        weaknesses.push(Weakness::Sequence);
    }
    let bits = if pool == 0 {
        0
    } else {
        (effective * f64::from(pool).log2()).floor() as u32
    };
    let mut score = match bits {
        0..=27 => 0,
        28..=39 => 1,
        40..=59 => 2,
        60..=79 => 3,
        _ => 4,
    };
    if weaknesses.contains(&Weakness::TooShort) {
        score = score.min(1);
    }
    Strength {
        score,
        bits,
        weaknesses,
    }
}

fn leet(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '@' => 'a',
            '$' => 's',
            other => other,
        })
        .collect()
}

fn continues_run(prev: char, c: char) -> bool {
    let (p, c) = (prev.to_ascii_lowercase(), c.to_ascii_lowercase());
    if p.is_ascii_alphanumeric() && c.is_ascii_alphanumeric() && (c as i32 - p as i32).abs() == 1 {
        return true;
    }
    KEYBOARD_ROWS.iter().any(|row| {
        let r: Vec<char> = row.chars().collect();
        r.windows(2)
            .any(|w| (w[0] == p && w[1] == c) || (w[1] == p && w[0] == c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_short_passwords_score_zero_or_one() {
        for p in ["password", "Password", "P@ssw0rd", "12345678", "qwerty123"] {
            let s = strength(p);
            assert_eq!(s.score, 0, "{p}: {s:?}");
            assert!(s.weaknesses.contains(&Weakness::Common), "{p}: {s:?}");
        }
        let s = strength("Zq9!");
        assert!(
            s.score <= 1 && s.weaknesses.contains(&Weakness::TooShort),
            "{s:?}"
        );
    }

    #[test]
    fn runs_repeats_and_one_kind_are_named_and_cost_points() {
        let s = strength("aaaaaaaaaaaa");
        assert!(s.weaknesses.contains(&Weakness::Repeats), "{s:?}");
        assert!(s.weaknesses.contains(&Weakness::OneKind), "{s:?}");
        assert_eq!(s.score, 0, "{s:?}");
        let s = strength("abcdefgh12345");
        assert!(s.weaknesses.contains(&Weakness::Sequence), "{s:?}");
        assert!(s.score <= 1, "{s:?}");
        let s = strength("asdfghjkl;");
        assert!(s.weaknesses.contains(&Weakness::Sequence), "{s:?}");
    }

    #[test]
    fn long_mixed_passphrases_score_high() {
        let s = strength("correct horse battery staple");
        assert!(s.score >= 3, "{s:?}");
        assert!(s.weaknesses.is_empty(), "{s:?}");
        let s = strength("T7#mQ2v!xR9@pL4z");
        assert_eq!(s.score, 4, "{s:?}");
        // Non-Latin passphrases count too.
        let s = strength("深度脑链租用显卡服务器");
        assert!(s.score >= 3, "{s:?}");
    }

    #[test]
    fn more_variety_never_scores_lower() {
        let base = strength("mountainriver").bits;
        assert!(strength("Mountainriver").bits > base);
        assert!(strength("Mountain river7").bits > strength("Mountainriver").bits);
    }
}
