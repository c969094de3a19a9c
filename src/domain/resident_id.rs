//! Resident identity card numbers (居民身份证号码, GB 11643-1999): 17 digits
//! and an ISO 7064 MOD 11-2 check character.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Local, NaiveDate};
use unicode_normalization::UnicodeNormalization;

use crate::domain::error::ValidationError;

/// A resident identity card number: 17 digits and a check character `0`–`9`
/// or `X` (always upper case).
///
/// [`Display`](fmt::Display) shows the masked form
/// (`**************002X`); [`ResidentId::as_str`] gives the full number.
/// Deserialising checks the format, region, date and check character like
/// [`ResidentId::parse`], but not that the birth date is before today, so a
/// file from a station whose clock runs ahead still loads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

/// Weights of the first 17 digits in the check sum.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each value of the weighted sum modulo 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits.
///
/// Takes ASCII digits (`b'0'..=b'9'`); bytes below `b'0'` are read as digit
/// values, so `[1, 1, 0, …]` works too. Never panics, whatever the bytes.
pub fn check_char(first17: &[u8; 17]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&b, w)| u32::from(b.checked_sub(b'0').unwrap_or(b)) * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// Whether `code` (the first two digits) is a province-level region code.
fn is_province(code: u32) -> bool {
    matches!(
        code,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82 | 83
    )
}

/// The date of birth in an 18-character number whose first 17 are digits.
fn birth_date_in(id: &[u8]) -> Option<NaiveDate> {
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        std::str::from_utf8(id.get(range)?).ok()?.parse().ok()
    };
    let year = i32::try_from(number(6..10)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(10..12)?, number(12..14)?)
}

impl ResidentId {
    /// A number read back from storage, where it was validated when it was
    /// written: only its shape (17 digits and a digit or X) is checked;
    /// anything else gives `None`.
    pub fn from_stored(s: String) -> Option<ResidentId> {
        let b = s.as_bytes();
        let ok = b.len() == 18
            && b[..17].iter().all(u8::is_ascii_digit)
            && (b[17].is_ascii_digit() || b[17] == b'X');
        ok.then_some(ResidentId(s))
    }

    /// Parses a number as typed, checking it against today's local date.
    /// See [`ResidentId::parse_on`].
    pub fn parse(input: &str) -> Result<ResidentId, ValidationError> {
        ResidentId::parse_on(input, Local::now().date_naive())
    }

    /// Parses a number as typed, with `today` as the latest possible birth
    /// date.
    ///
    /// After NFKC and removing all whitespace (a lower-case `x` is stored as
    /// `X`) the number must have 18 characters (`ResidentIdLength`), 17
    /// digits and a final digit or `X` (`ResidentIdBadChar`), start with a
    /// province code (`ResidentIdRegion`), hold a real date of birth from
    /// 1900-01-01 to `today` in characters 7–14 (`ResidentIdBirthDate`), and
    /// end with the right check character (`ResidentIdCheckDigit`).
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<ResidentId, ValidationError> {
        let cleaned: String = input
            .nfkc()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == 'x' { 'X' } else { c })
            .collect();
        let len = cleaned.chars().count();
        if len != 18 {
            return Err(ValidationError::ResidentIdLength { len });
        }
        let bytes = cleaned.as_bytes();
        let mut first17 = [0u8; 17];
        for (slot, &b) in first17.iter_mut().zip(bytes) {
            *slot = b;
        }
        // 18 characters in 18 bytes means all are ASCII.
        let last = bytes.get(17).copied().unwrap_or(0);
        if bytes.len() != 18
            || !first17.iter().all(u8::is_ascii_digit)
            || !(last.is_ascii_digit() || last == b'X')
        {
            return Err(ValidationError::ResidentIdBadChar);
        }
        let province = u32::from(first17[0] - b'0') * 10 + u32::from(first17[1] - b'0');
        if !is_province(province) {
            return Err(ValidationError::ResidentIdRegion);
        }
        match birth_date_in(bytes) {
            Some(d) if d.year() >= 1900 && d <= today => {}
            _ => return Err(ValidationError::ResidentIdBirthDate),
        }
        if check_char(&first17) != char::from(last) {
            return Err(ValidationError::ResidentIdCheckDigit);
        }
        Ok(ResidentId(cleaned))
    }

    /// The full 18-character number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date of birth held in characters 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        // Always present in a parsed number; the fallback is unreachable.
        birth_date_in(self.0.as_bytes()).unwrap_or_default()
    }

    /// 14 asterisks and the last four characters: `**************002X`.
    pub fn masked(&self) -> String {
        format!("{}{}", "*".repeat(14), self.last4())
    }

    /// The last four characters, check character included.
    pub fn last4(&self) -> &str {
        self.0.get(self.0.len().saturating_sub(4)..).unwrap_or("")
    }
}

impl fmt::Display for ResidentId {
    /// Shows the masked form, see [`ResidentId::masked`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl FromStr for ResidentId {
    type Err = ValidationError;

    /// Same as [`ResidentId::parse`].
    fn from_str(s: &str) -> Result<ResidentId, ValidationError> {
        ResidentId::parse(s)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = ValidationError;

    /// Like [`ResidentId::parse`] without the "not after today" rule (used
    /// when reading stored records).
    fn try_from(s: String) -> Result<ResidentId, ValidationError> {
        ResidentId::parse_on(&s, NaiveDate::MAX)
    }
}

impl From<ResidentId> for String {
    /// The full number.
    fn from(id: ResidentId) -> String {
        id.0
    }
}

/// Same as [`ResidentId::parse`].
pub fn parse(input: &str) -> Result<ResidentId, ValidationError> {
    ResidentId::parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValidationError as E;
    use chrono::Days;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
    }

    fn p(s: &str) -> Result<ResidentId, ValidationError> {
        ResidentId::parse_on(s, today())
    }

    fn first17(s: &str) -> [u8; 17] {
        s.as_bytes()[..17].try_into().unwrap()
    }

    #[test]
    fn check_char_known_values() {
        assert_eq!(check_char(&first17("11010519491231002")), 'X');
        assert_eq!(check_char(&first17("44052418800101001")), '4');
        assert_eq!(check_char(&first17("32010619850615002")), '8');
        assert_eq!(check_char(&first17("32010619850615003")), '6');
        assert_eq!(check_char(&first17("65010219000101001")), '6');
        let values = [1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2];
        assert_eq!(check_char(&values), 'X');
        let _ = check_char(&[255; 17]); // any bytes: no panic
    }

    #[test]
    fn valid_numbers() {
        let id = p("11010519491231002X").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        for s in [
            "320106198506150028",
            "320106198506150036",
            "440304199003071248",
            "650102190001010016",
            "830000200012310024",
        ] {
            assert_eq!(p(s).unwrap().as_str(), s);
        }
        // Born today, leap day, lower-case x, spaces and full width.
        assert!(p("110105202606300015").is_ok());
        assert_eq!(
            p("11010120000229124 8").unwrap().birth_date(),
            NaiveDate::from_ymd_opt(2000, 2, 29).unwrap()
        );
        assert_eq!(
            p(" 110105 19491231 002x ").unwrap().as_str(),
            "11010519491231002X"
        );
        assert_eq!(
            p("１１０１０５１９４９１２３１００２Ｘ").unwrap().as_str(),
            "11010519491231002X"
        );
        assert_eq!(
            p("11010519491231002ｘ").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(p(""), Err(E::ResidentIdLength { len: 0 }));
        assert_eq!(p("11010519491231002"), Err(E::ResidentIdLength { len: 17 }));
        assert_eq!(
            p("11010519491231002X1"),
            Err(E::ResidentIdLength { len: 19 })
        );
        assert_eq!(p("110105194912310"), Err(E::ResidentIdLength { len: 15 }));
        assert_eq!(p("11010519491231002张"), Err(E::ResidentIdBadChar));
        assert_eq!(p("1101051949123100X2"), Err(E::ResidentIdBadChar));
        assert_eq!(p("11010519491231002Y"), Err(E::ResidentIdBadChar));
        assert_eq!(p("11010519491231-02X"), Err(E::ResidentIdBadChar));
        assert_eq!(p("A1010519491231002X"), Err(E::ResidentIdBadChar));
        for region in [
            "00", "10", "16", "20", "24", "38", "47", "55", "60", "66", "72", "84", "91", "99",
        ] {
            let mut s = format!("{region}010519491231002");
            s.push(check_char(&first17(&s)));
            assert_eq!(p(&s), Err(E::ResidentIdRegion), "{s}");
        }
        for date in [
            "18991231", "19490230", "19491301", "19490000", "20230229", "20260701", "99991231",
        ] {
            let mut s = format!("110105{date}002");
            s.push(check_char(&first17(&s)));
            assert_eq!(p(&s), Err(E::ResidentIdBirthDate), "{s}");
        }
        assert_eq!(p("440524188001010014"), Err(E::ResidentIdBirthDate));
        assert_eq!(p("110105194912310021"), Err(E::ResidentIdCheckDigit));
        assert_eq!(p("110105194912310029"), Err(E::ResidentIdCheckDigit));
        assert_eq!(p("11010519491231003X"), Err(E::ResidentIdCheckDigit));
    }

    #[test]
    fn masking_display_and_serde() {
        let id = p("11010519491231002x").unwrap();
        assert_eq!(id.masked(), "**************002X");
        assert_eq!(id.last4(), "002X");
        assert_eq!(id.to_string(), "**************002X");
        assert_eq!(parse("11010519491231002X"), Ok(id.clone()));
        assert_eq!("11010519491231002X".parse::<ResidentId>(), Ok(id.clone()));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"11010519491231002X\"");
        assert_eq!(serde_json::from_str::<ResidentId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<ResidentId>("\"110105194912310021\"").is_err());
        // A future date of birth still deserialises (clock skew between stations).
        let mut future = String::from("11010599991231002");
        future.push(check_char(&first17(&future)));
        assert!(serde_json::from_str::<ResidentId>(&format!("\"{future}\"")).is_ok());
    }

    prop_compose! {
        fn valid_first17()(
            province in prop::sample::select(vec![11u32, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]),
            area in 0u32..10_000,
            days in 0u64..=46_000,
            seq in 0u32..1000,
        ) -> String {
            let start = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
            let born = start.checked_add_days(Days::new(days)).unwrap().min(today());
            format!("{province:02}{area:04}{}{seq:03}", born.format("%Y%m%d"))
        }
    }

    proptest! {
        #[test]
        fn check_char_makes_it_valid(s in valid_first17()) {
            let id = format!("{s}{}", check_char(&first17(&s)));
            prop_assert_eq!(p(&id).map(String::from), Ok(id.clone()));
        }

        #[test]
        fn any_single_change_is_refused(s in valid_first17(), pos in 0usize..18, shift in 1usize..10) {
            let id: Vec<char> = format!("{s}{}", check_char(&first17(&s))).chars().collect();
            let mut changed = id.clone();
            changed[pos] = if pos < 17 {
                let digit = id[pos].to_digit(10).unwrap() as usize;
                char::from_digit(((digit + shift) % 10) as u32, 10).unwrap()
            } else {
                let all = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'];
                let i = all.iter().position(|&c| c == id[17]).unwrap();
                all[(i + shift) % 11]
            };
            let changed: String = changed.into_iter().collect();
            prop_assert!(p(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = p(&s);
            let _ = ResidentId::parse_on(&s, NaiveDate::MIN);
        }

        #[test]
        fn parse_never_panics_on_id_like_text(s in "[0-9xX ０-９ｘ]{15,21}") {
            if let Ok(id) = p(&s) {
                prop_assert_eq!(id.as_str().len(), 18);
                prop_assert!(id.birth_date() <= today());
            }
        }
    }
}
