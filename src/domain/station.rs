//! The station a database belongs to.

use super::error::{Field, ValidationError};
use super::ids::StationId;
use super::text::clean_text;

/// The zone used when a station names none.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// A rest station: one replica of the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    /// Equal to the replica id of the database that created the station.
    pub id: StationId,
    /// Short code that prefixes case numbers, e.g. `FT`.
    pub code: String,
    pub name: String,
    /// IANA time zone, e.g. `Asia/Shanghai`.
    pub time_zone: String,
}

/// Checks a station code: 2–6 ASCII capitals or digits, starting with a
/// letter. Lower case is accepted and raised.
pub fn parse_station_code(input: &str) -> Result<String, ValidationError> {
    let code = input.trim().to_ascii_uppercase();
    let ok = (2..=6).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(code)
    } else {
        Err(ValidationError::StationCode)
    }
}

/// Checks a station name (1–60 characters).
pub fn parse_station_name(input: &str) -> Result<String, ValidationError> {
    clean_text(Field::StationName, input, 60)
}

/// Checks an IANA time zone name.
pub fn parse_time_zone(input: &str) -> Result<chrono_tz::Tz, ValidationError> {
    input
        .trim()
        .parse::<chrono_tz::Tz>()
        .map_err(|_| ValidationError::TimeZone(input.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn station_codes() {
        assert_eq!(parse_station_code("ft").unwrap(), "FT");
        assert_eq!(parse_station_code(" ZB01 ").unwrap(), "ZB01");
        for bad in ["F", "1FT", "TOOLONGX", "F-T", "福田", ""] {
            assert_eq!(
                parse_station_code(bad),
                Err(ValidationError::StationCode),
                "{bad}"
            );
        }
    }

    #[test]
    fn time_zones() {
        assert!(parse_time_zone("Asia/Shanghai").is_ok());
        assert!(parse_time_zone("Asia/Urumqi").is_ok());
        assert_eq!(
            parse_time_zone("Mars/Base"),
            Err(ValidationError::TimeZone("Mars/Base".into()))
        );
    }

    #[test]
    fn station_names() {
        assert_eq!(
            parse_station_name("  福田 爱心驿站 ").unwrap(),
            "福田 爱心驿站"
        );
        assert!(parse_station_name("  ").is_err());
    }
}
