//! How operations held apart read (`store/held.rs`): one line per station,
//! the same in F5, `waystation conflicts` and `waystation sync --status`.

use chrono_tz::Tz;

use crate::i18n::Lang;
use crate::store::HeldApart;
use crate::t;

/// "3 operations from station 南山驿站 dated 2031-05-04, far in the
/// future: held until accepted or until the clock reaches them". Dates in
/// the station's time zone; two when the operations span days.
pub fn line(h: &HeldApart, lang: Lang, tz: Tz) -> String {
    let day =
        |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&tz).format("%Y-%m-%d").to_string();
    let (from, to) = (day(h.first), day(h.last));
    let dates = if from == to {
        from
    } else {
        t!(lang, "held.dates", from = from, to = to)
    };
    let station = match &h.station {
        Some(name) => name.clone(),
        None => t!(lang, "held.unknown_station", key = h.key),
    };
    t!(
        lang,
        "held.line",
        n = h.count,
        station = station,
        dates = dates
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::ReplicaId;
    use chrono::TimeZone;

    #[test]
    fn one_date_or_two_and_the_station_or_its_key() {
        let at = |y| chrono::Utc.with_ymd_and_hms(y, 5, 4, 3, 0, 0).unwrap();
        let mut h = HeldApart {
            key: "3f9a1c2e".into(),
            origin: ReplicaId::new(),
            station: Some("南山驿站".into()),
            count: 3,
            first: at(2031),
            last: at(2031),
        };
        let tz = chrono_tz::Asia::Shanghai;
        assert_eq!(
            line(&h, Lang::En, tz),
            "3 operations from station 南山驿站 dated 2031-05-04, far in the future: \
             held until accepted or until the clock reaches them"
        );
        h.station = None;
        h.last = at(6429);
        assert!(
            line(&h, Lang::En, tz)
                .contains("3f9a1c2e (not known here) dated 2031-05-04 to 6429-05-04")
        );
        assert!(line(&h, Lang::ZhCn, tz).contains("2031-05-04 至 6429-05-04"));
    }
}
