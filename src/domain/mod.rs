//! Pure types and rules of the product: no I/O, no terminal, no SQL.

pub mod access;
pub mod case;
pub mod codes;
pub mod dates;
pub mod day;
pub mod error;
pub mod ids;
pub mod money;
pub mod person;
pub mod phone;
pub mod resident_id;
pub mod schedule;
pub mod staff;
pub mod station;
pub mod text;
pub mod visit;

pub use error::{Field, ValidationError};
pub use money::Fen;
pub use phone::Mobile;
pub use resident_id::ResidentId;

/// Parses a calendar date as staff type it: `2026-11-30`, `2026/11/30` or
/// `20261130`.
pub fn parse_date(input: &str) -> Result<chrono::NaiveDate, ValidationError> {
    let s = input.trim();
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(s, fmt)
            && (2000..=2100).contains(&chrono::Datelike::year(&d))
        {
            return Ok(d);
        }
    }
    Err(ValidationError::Date(s.to_owned()))
}

/// Parses a time of day: `14:30`, `1430` or `9:05`.
pub fn parse_time(input: &str) -> Result<chrono::NaiveTime, ValidationError> {
    let s = input.trim();
    for fmt in ["%H:%M", "%H%M", "%H：%M"] {
        if let Ok(t) = chrono::NaiveTime::parse_from_str(s, fmt) {
            return Ok(t);
        }
    }
    Err(ValidationError::TimeOfDay(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_staff_forms() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        for s in ["2026-11-30", " 2026/11/30", "20261130", "2026.11.30"] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        for s in ["2026-02-30", "30/11/2026", "", "1899-01-01", "tomorrow"] {
            assert!(parse_date(s).is_err(), "{s}");
        }
    }

    #[test]
    fn times_in_staff_forms() {
        let t = chrono::NaiveTime::from_hms_opt(14, 30, 0).unwrap();
        assert_eq!(parse_time("14:30"), Ok(t));
        assert_eq!(parse_time("1430"), Ok(t));
        assert!(parse_time("25:00").is_err());
        assert!(parse_time("").is_err());
    }
}
