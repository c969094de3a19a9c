//! Chinese mainland mobile numbers (11 digits, 13x–19x).

use std::fmt;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

use crate::domain::error::ValidationError;

/// A mainland mobile number: exactly 11 ASCII digits, starting 13–19.
///
/// [`Display`](fmt::Display) shows the masked form (`138****5678`) so the
/// full number never reaches a list by accident; [`Mobile::as_str`] gives
/// the full number. Deserialising validates like [`Mobile::parse`].
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Mobile(String);

/// Characters that may separate the digits of a number.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

impl Mobile {
    /// A number read back from storage, where it was validated when it was
    /// written: only its shape (11 ASCII digits) is checked, so reading a
    /// list stays cheap; anything else gives `None`.
    pub fn from_stored(s: String) -> Option<Mobile> {
        (s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit())).then_some(Mobile(s))
    }

    /// Parses a mobile number as typed or pasted.
    ///
    /// After NFKC (full-width digits), spaces, dashes (ASCII, hyphen and dash
    /// variants, minus sign) and parentheses are ignored. A prefix `+86` is
    /// dropped; `0086` and `86` are dropped only when exactly 11 digits
    /// starting with 1 follow. Then there must be exactly 11 digits
    /// (`MobileLength`), starting `1` then `3`–`9` (`MobilePrefix`). Any other
    /// character, or a `+` that is not the start of `+86`, gives
    /// `MobileBadChar`; blank input gives `MobileEmpty`.
    pub fn parse(input: &str) -> Result<Mobile, ValidationError> {
        let normalised: String = input.nfkc().collect();
        if normalised.trim().is_empty() {
            return Err(ValidationError::MobileEmpty);
        }
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for c in normalised.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if !plus && digits.is_empty() => plus = true,
                c if is_separator(c) => {}
                c => return Err(ValidationError::MobileBadChar { ch: c }),
            }
        }
        let national = if plus {
            digits
                .strip_prefix("86")
                .ok_or(ValidationError::MobileBadChar { ch: '+' })?
        } else {
            let international = |prefix: &str| {
                digits
                    .strip_prefix(prefix)
                    .filter(|rest| rest.len() == 11 && rest.starts_with('1'))
            };
            international("0086")
                .or_else(|| international("86"))
                .unwrap_or(&digits)
        };
        if national.len() != 11 {
            return Err(ValidationError::MobileLength {
                digits: national.len(),
            });
        }
        let b = national.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(ValidationError::MobilePrefix);
        }
        Ok(Mobile(national.to_owned()))
    }

    /// The full 11-digit number, e.g. for dialling or storage.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with its middle four digits hidden: `138****5678`.
    pub fn masked(&self) -> String {
        let head = self.0.get(..3).unwrap_or("");
        format!("{head}****{}", self.last4())
    }

    /// The last four digits, used with a case number for self-service look-up.
    pub fn last4(&self) -> &str {
        self.0.get(self.0.len().saturating_sub(4)..).unwrap_or("")
    }
}

impl fmt::Display for Mobile {
    /// Shows the masked form, see [`Mobile::masked`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl FromStr for Mobile {
    type Err = ValidationError;

    /// Same as [`Mobile::parse`].
    fn from_str(s: &str) -> Result<Mobile, ValidationError> {
        Mobile::parse(s)
    }
}

impl TryFrom<String> for Mobile {
    type Error = ValidationError;

    /// Same as [`Mobile::parse`].
    fn try_from(s: String) -> Result<Mobile, ValidationError> {
        Mobile::parse(&s)
    }
}

impl From<Mobile> for String {
    /// The full number.
    fn from(m: Mobile) -> String {
        m.0
    }
}

/// Same as [`Mobile::parse`].
pub fn parse(input: &str) -> Result<Mobile, ValidationError> {
    Mobile::parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValidationError as E;
    use proptest::prelude::*;

    fn ok(s: &str) -> String {
        Mobile::parse(s).unwrap().as_str().to_owned()
    }

    #[test]
    fn plain_and_formatted_forms() {
        for s in [
            "13812345678",
            " 13812345678 ",
            "138 1234 5678",
            "138-1234-5678",
            "138\u{2013}1234\u{2014}5678",
            "138‐1234‑5678",
            "(138) 1234 5678",
            "１３８１２３４５６７８",
            "１３８－１２３４－５６７８",
            "138\u{3000}1234\u{3000}5678",
            "+86 138-1234-5678",
            "+8613812345678",
            "(+86) 138 1234 5678",
            "+86-13812345678",
            "＋８６ １３８ １２３４ ５６７８",
            "0086 138 1234 5678",
            "008613812345678",
            "86 13812345678",
            "8613812345678",
        ] {
            assert_eq!(ok(s), "13812345678", "{s:?}");
        }
    }

    #[test]
    fn every_second_digit_three_to_nine() {
        for second in 3..=9 {
            let s = format!("1{second}012345678");
            assert_eq!(ok(&s), s);
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(Mobile::parse(""), Err(E::MobileEmpty));
        assert_eq!(Mobile::parse(" \u{3000}\t"), Err(E::MobileEmpty));
        assert_eq!(Mobile::parse("---"), Err(E::MobileLength { digits: 0 }));
        assert_eq!(
            Mobile::parse("1381234567"),
            Err(E::MobileLength { digits: 10 })
        );
        assert_eq!(
            Mobile::parse("138123456789"),
            Err(E::MobileLength { digits: 12 })
        );
        assert_eq!(
            Mobile::parse("+86 1381234567"),
            Err(E::MobileLength { digits: 10 })
        );
        assert_eq!(
            Mobile::parse("+86 0086 13812345678"),
            Err(E::MobileLength { digits: 15 })
        );
        // 86 is a prefix only when 11 digits starting with 1 follow.
        assert_eq!(Mobile::parse("86123456789"), Err(E::MobilePrefix));
        assert_eq!(
            Mobile::parse("8628123456789"),
            Err(E::MobileLength { digits: 13 })
        );
        assert_eq!(
            Mobile::parse("008602812345678"),
            Err(E::MobileLength { digits: 15 })
        );
        assert_eq!(Mobile::parse("12812345678"), Err(E::MobilePrefix));
        assert_eq!(Mobile::parse("10812345678"), Err(E::MobilePrefix));
        assert_eq!(Mobile::parse("23812345678"), Err(E::MobilePrefix));
        assert_eq!(Mobile::parse("+86 02812345678"), Err(E::MobilePrefix));
        assert_eq!(
            Mobile::parse("138.1234.5678"),
            Err(E::MobileBadChar { ch: '.' })
        );
        assert_eq!(
            Mobile::parse("138x12345678"),
            Err(E::MobileBadChar { ch: 'x' })
        );
        assert_eq!(
            Mobile::parse("张13812345678"),
            Err(E::MobileBadChar { ch: '张' })
        );
        assert_eq!(
            Mobile::parse("138+12345678"),
            Err(E::MobileBadChar { ch: '+' })
        );
        assert_eq!(
            Mobile::parse("++8613812345678"),
            Err(E::MobileBadChar { ch: '+' })
        );
        assert_eq!(
            Mobile::parse("+1 555 123 4567"),
            Err(E::MobileBadChar { ch: '+' })
        );
        assert_eq!(
            Mobile::parse("1381234567\u{0}8"),
            Err(E::MobileBadChar { ch: '\u{0}' })
        );
    }

    #[test]
    fn masking_and_display() {
        let m = Mobile::parse("+86 138-1234-5678").unwrap();
        assert_eq!(m.as_str(), "13812345678");
        assert_eq!(m.masked(), "138****5678");
        assert_eq!(m.last4(), "5678");
        assert_eq!(m.to_string(), "138****5678");
        assert_eq!(format!("{m}"), "138****5678");
        assert_eq!("13812345678".parse::<Mobile>(), Ok(m.clone()));
        assert_eq!(parse("13812345678"), Ok(m));
    }

    #[test]
    fn serde_round_trip_validates() {
        let m = Mobile::parse("13812345678").unwrap();
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, "\"13812345678\"");
        assert_eq!(serde_json::from_str::<Mobile>(&json).unwrap(), m);
        assert!(serde_json::from_str::<Mobile>("\"12345\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in any::<String>()) {
            if let Ok(m) = Mobile::parse(&s) {
                prop_assert_eq!(m.as_str().len(), 11);
                prop_assert!(m.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn formatted_numbers_parse_back(n in "1[3-9][0-9]{9}") {
            let styled = format!("+86 {}-{}-{}", &n[..3], &n[3..7], &n[7..]);
            prop_assert_eq!(Mobile::parse(&styled).map(String::from), Ok(n.clone()));
            prop_assert_eq!(Mobile::parse(&format!("0086{n}")).map(String::from), Ok(n.clone()));
            prop_assert_eq!(Mobile::parse(&format!("86{n}")).map(String::from), Ok(n.clone()));
            let m = Mobile::parse(&n).unwrap();
            prop_assert_eq!(m.masked(), format!("{}****{}", &n[..3], &n[7..]));
        }
    }
}
