//! The unified social credit code (统一社会信用代码, GB 32100-2015) of an
//! employer or other party: 18 characters from 31 (digits and capitals but
//! I, O, S, V, Z): the registering authority, the kind of organisation, the
//! region's 6 digits (GB/T 2260), the 9-character organisation code, and a
//! check character. The check is a weighted sum modulo 31, so one mistyped
//! character, or two neighbours swapped, is always caught.

use super::error::ValidationError;

/// The characters of a code, in the order of their values.
const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weight of each of the first 17 characters (3^i modulo 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A checked unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

impl CreditCode {
    /// Reads a code as staff type it: spaces and dashes ignored, any case.
    pub fn parse(input: &str) -> Result<CreditCode, ValidationError> {
        let code: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        let len = code.chars().count();
        if len != 18 {
            return Err(ValidationError::CreditCodeLength { len });
        }
        let mut values = Vec::with_capacity(18);
        for ch in code.chars() {
            match value(ch) {
                Some(v) => values.push(v),
                None => return Err(ValidationError::CreditCodeBadChar { ch }),
            }
        }
        if !code[2..8].bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::CreditCodeRegion);
        }
        let expected = check_char(&values[..17]);
        if !code.ends_with(expected) {
            return Err(ValidationError::CreditCodeCheck { expected });
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CreditCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A character's value, if it is one of a code's.
fn value(ch: char) -> Option<u32> {
    CHARS.find(ch).map(|i| i as u32)
}

/// The check character of the first 17 characters' values.
pub fn check_char(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    CHARS.chars().nth(check as usize).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Codes published as examples (the standard's own, and companies'
    /// codes printed on their public filings).
    const PUBLISHED: [&str; 4] = [
        "91350100M000100Y43",
        "91110000600037341L",
        "91110108551385082Q",
        "91440300708461136T",
    ];

    #[test]
    fn published_codes_pass_and_are_read_as_typed() {
        for c in PUBLISHED {
            assert_eq!(CreditCode::parse(c).unwrap().as_str(), c);
        }
        assert_eq!(
            CreditCode::parse(" 9135 0100-m000 100y43 ")
                .unwrap()
                .as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn the_weights_are_powers_of_three() {
        let mut w = 1u32;
        for x in WEIGHTS {
            assert_eq!(x, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn each_problem_is_named() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y4"),
            Err(ValidationError::CreditCodeLength { len: 17 })
        );
        assert_eq!(
            CreditCode::parse("91350100M000100I43"),
            Err(ValidationError::CreditCodeBadChar { ch: 'I' })
        );
        assert_eq!(
            CreditCode::parse("9135A100M000100Y43"),
            Err(ValidationError::CreditCodeRegion)
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(ValidationError::CreditCodeCheck { expected: '3' })
        );
    }

    proptest! {
        /// One character mistyped anywhere, or two different neighbours
        /// swapped, is never taken for a code.
        #[test]
        fn a_corrupted_published_code_is_refused(
            which in 0..PUBLISHED.len(),
            at in 0usize..18,
            by in 1usize..31,
            swap in any::<bool>(),
        ) {
            let code: Vec<char> = PUBLISHED[which].chars().collect();
            let mut bad = code.clone();
            if swap {
                let at = at.min(16);
                prop_assume!(bad[at] != bad[at + 1]);
                bad.swap(at, at + 1);
            } else {
                let v = value(bad[at]).unwrap() as usize;
                bad[at] = CHARS.chars().nth((v + by) % 31).unwrap();
            }
            let bad: String = bad.into_iter().collect();
            prop_assert!(CreditCode::parse(&bad).is_err(), "{bad}");
        }
    }
}
