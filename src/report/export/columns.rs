//! The columns of each kind of export, and a record's values as staff read
//! them: codes as their labels, times in the station's zone, money in
//! yuan, mobile and ID numbers masked unless asked otherwise.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::domain::money::Fen;
use crate::domain::{Mobile, ResidentId};
use crate::i18n::{Lang, text};
use crate::store::{AppointmentExportRow, CaseExportRow, PersonExportRow, VisitExportRow};
use crate::t;

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Registered workers.
    People,
    /// Visits and anonymous tallies.
    Visits,
    /// Cases (without summaries or notes).
    Cases,
    /// Counselling and legal sessions (without their notes).
    #[value(alias = "sessions")]
    Appointments,
}

impl Kind {
    /// The name used on the command line, in file names and in the audit
    /// log.
    pub fn code(self) -> &'static str {
        match self {
            Kind::People => "people",
            Kind::Visits => "visits",
            Kind::Cases => "cases",
            Kind::Appointments => "appointments",
        }
    }

    /// The name of the sheet (and of the kind, in messages).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::People => t!(lang, "export.kind.people"),
            Kind::Visits => t!(lang, "export.kind.visits"),
            Kind::Cases => t!(lang, "export.kind.cases"),
            Kind::Appointments => t!(lang, "export.kind.appointments"),
        }
    }

    /// The columns: the catalogue key of the header (`export.column.*` in
    /// locales/export.toml) and a width in characters for a spreadsheet.
    pub fn column_keys(self) -> &'static [(&'static str, u16)] {
        match self {
            Kind::People => &[
                ("export.column.name", 10),
                ("export.column.mobile", 13),
                ("export.column.resident_id", 20),
                ("export.column.trade", 14),
                ("export.column.employer", 20),
                ("export.column.union_member", 10),
                ("export.column.union_joined", 12),
                ("export.column.registered", 17),
            ],
            Kind::Visits => &[
                ("export.column.station", 8),
                ("export.column.arrived", 17),
                ("export.column.left", 17),
                ("export.column.name", 10),
                ("export.column.trade", 14),
                ("export.column.headcount", 8),
                ("export.column.services", 30),
            ],
            Kind::Cases => &[
                ("export.column.case_number", 14),
                ("export.column.station", 8),
                ("export.column.case_type", 14),
                ("export.column.hardship_kind", 12),
                ("export.column.status", 10),
                ("export.column.respondent", 20),
                ("export.column.claimants", 9),
                ("export.column.claimed", 14),
                ("export.column.recovered", 14),
                ("export.column.handler", 10),
                ("export.column.follow_up", 12),
                ("export.column.referral", 16),
                ("export.column.outcome", 16),
                ("export.column.close_reason", 16),
                ("export.column.opened", 17),
                ("export.column.concluded", 17),
            ],
            Kind::Appointments => &[
                ("export.column.date", 12),
                ("export.column.start", 7),
                ("export.column.end", 7),
                ("export.column.counsellor", 10),
                ("export.column.kind", 12),
                ("export.column.person", 10),
                ("export.column.status", 10),
                ("export.column.follow_up", 12),
            ],
        }
    }

    /// The columns: header in Chinese, in English, and a width in
    /// characters for a spreadsheet.
    pub fn columns(self) -> Vec<(&'static str, &'static str, u16)> {
        self.column_keys()
            .iter()
            .map(|&(key, width)| (text(Lang::ZhCn, key), text(Lang::En, key), width))
            .collect()
    }

    /// The headers in `lang`.
    pub fn headers(self, lang: Lang) -> Vec<&'static str> {
        self.column_keys()
            .iter()
            .map(|&(key, _)| text(lang, key))
            .collect()
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// Money: yuan with two decimals.
    Money(Fen),
    /// A local date and time, to the minute.
    DateTime(NaiveDateTime),
    Date(NaiveDate),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    fn label(s: Option<&'static str>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }

    fn date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }
}

/// How values are written: language, zone, masking.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub lang: Lang,
    pub tz: Tz,
    /// Mobile and ID numbers masked.
    pub masked: bool,
}

impl Style {
    fn time(&self, t: DateTime<Utc>) -> Cell {
        Cell::DateTime(t.with_timezone(&self.tz).naive_local())
    }

    fn opt_time(&self, t: Option<DateTime<Utc>>) -> Cell {
        t.map_or(Cell::Empty, |t| self.time(t))
    }

    fn yes_no(&self, b: bool) -> Cell {
        Cell::text(if b {
            t!(self.lang, "export.cell.yes")
        } else {
            t!(self.lang, "export.cell.no")
        })
    }

    /// A stored mobile number, masked unless asked otherwise. A stored
    /// value of an unexpected shape is hidden whole when masking.
    pub fn mobile(&self, stored: Option<&str>) -> Cell {
        match stored {
            None => Cell::Empty,
            Some(s) if !self.masked => Cell::text(s),
            Some(s) => Cell::Text(
                Mobile::from_stored(s.to_owned()).map_or_else(|| "****".to_owned(), |m| m.masked()),
            ),
        }
    }

    /// A stored resident ID number, masked unless asked otherwise.
    pub fn resident_id(&self, stored: Option<&str>) -> Cell {
        match stored {
            None => Cell::Empty,
            Some(s) if !self.masked => Cell::text(s),
            Some(s) => Cell::Text(
                ResidentId::from_stored(s.to_owned())
                    .map_or_else(|| "*".repeat(18), |r| r.masked()),
            ),
        }
    }

    pub fn person(&self, p: &PersonExportRow) -> Vec<Cell> {
        vec![
            Cell::text(p.name.as_str()),
            self.mobile(p.mobile.as_deref()),
            self.resident_id(p.resident_id.as_deref()),
            Cell::text(p.trade.label(self.lang)),
            Cell::opt(p.employer.as_deref()),
            self.yes_no(p.union_member),
            Cell::date(p.union_joined),
            self.time(p.created_at),
        ]
    }

    pub fn visit(&self, v: &VisitExportRow) -> Vec<Cell> {
        let services: Vec<&str> = v.services.iter().map(|s| s.label(self.lang)).collect();
        vec![
            Cell::opt(v.station.as_deref()),
            self.time(v.arrived_at),
            self.opt_time(v.left_at),
            Cell::opt(v.name.as_deref()),
            Cell::text(v.trade.label(self.lang)),
            Cell::Int(v.headcount),
            Cell::Text(services.join(t!(self.lang, "export.cell.services_sep"))),
        ]
    }

    pub fn case(&self, c: &CaseExportRow) -> Vec<Cell> {
        let l = self.lang;
        vec![
            Cell::Text(c.number.to_string()),
            Cell::opt(c.station.as_deref()),
            Cell::label(c.case_type.map(|x| x.label(l))),
            Cell::label(c.hardship_kind.map(|x| x.label(l))),
            Cell::label(c.status.map(|x| x.label(l))),
            Cell::opt(c.respondent.as_deref()),
            Cell::Int(c.claimants),
            Cell::Money(c.claimed),
            Cell::Money(c.recovered),
            Cell::opt(c.handler.as_deref()),
            Cell::date(c.follow_up),
            Cell::label(c.referral.map(|x| x.label(l))),
            Cell::label(c.outcome.map(|x| x.label(l))),
            Cell::label(c.close_reason.map(|x| x.label(l))),
            self.time(c.opened_at),
            self.opt_time(c.concluded_at),
        ]
    }

    pub fn appointment(&self, a: &AppointmentExportRow) -> Vec<Cell> {
        let l = self.lang;
        let hm = |t: Option<chrono::NaiveTime>| {
            t.map_or(Cell::Empty, |t| Cell::Text(t.format("%H:%M").to_string()))
        };
        vec![
            Cell::Date(a.date),
            hm(a.start),
            hm(a.end),
            Cell::opt(a.counsellor.as_deref()),
            Cell::label(a.kind.map(|x| x.label(l))),
            Cell::opt(a.person.as_deref()),
            Cell::label(a.status.map(|x| x.label(l))),
            Cell::date(a.follow_up),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{CaseNumber, CaseStatus, CaseType};
    use crate::domain::person::Trade;
    use crate::domain::visit::{Service, Services};

    fn style(lang: Lang, masked: bool) -> Style {
        Style {
            lang,
            tz: chrono_tz::Asia::Shanghai,
            masked,
        }
    }

    fn person() -> PersonExportRow {
        PersonExportRow {
            name: "张三".into(),
            mobile: Some("13812345678".into()),
            resident_id: Some("11010519491231002X".into()),
            trade: Trade::Courier,
            employer: None,
            union_member: true,
            union_joined: None,
            created_at: DateTime::from_timestamp(1_795_000_000, 0).unwrap(),
        }
    }

    #[test]
    fn every_row_has_a_value_per_column() {
        let s = style(Lang::ZhCn, true);
        assert_eq!(s.person(&person()).len(), Kind::People.columns().len());
        let v = VisitExportRow {
            station: Some("FT".into()),
            arrived_at: DateTime::from_timestamp(0, 0).unwrap(),
            left_at: None,
            name: None,
            trade: Trade::Courier,
            headcount: 3,
            services: Services::EMPTY,
        };
        assert_eq!(s.visit(&v).len(), Kind::Visits.columns().len());
        let c = CaseExportRow {
            number: CaseNumber {
                code: "FT".into(),
                year: 2026,
                seq: 7,
            },
            station: None,
            case_type: Some(CaseType::WageArrears),
            hardship_kind: None,
            status: Some(CaseStatus::New),
            respondent: None,
            claimants: 2,
            claimed: Fen(123_450),
            recovered: Fen(0),
            handler: None,
            follow_up: None,
            referral: None,
            outcome: None,
            close_reason: None,
            opened_at: DateTime::from_timestamp(0, 0).unwrap(),
            concluded_at: None,
        };
        let cells = s.case(&c);
        assert_eq!(cells.len(), Kind::Cases.columns().len());
        assert_eq!(cells[0], Cell::text("FT-2026-0007"));
        assert_eq!(cells[2], Cell::text("欠薪"));
        assert_eq!(cells[7], Cell::Money(Fen(123_450)));
        let a = AppointmentExportRow {
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            start: chrono::NaiveTime::from_hms_opt(9, 30, 0),
            end: None,
            counsellor: None,
            kind: None,
            person: None,
            status: None,
            follow_up: None,
        };
        let cells = s.appointment(&a);
        assert_eq!(cells.len(), Kind::Appointments.columns().len());
        assert_eq!(cells[1], Cell::text("09:30"));
        for k in [Kind::People, Kind::Visits, Kind::Cases, Kind::Appointments] {
            assert_eq!(k.headers(Lang::En).len(), k.columns().len());
        }
    }

    #[test]
    fn every_header_has_words_in_both_languages() {
        for k in [Kind::People, Kind::Visits, Kind::Cases, Kind::Appointments] {
            for (key, _) in k.column_keys() {
                for lang in [Lang::ZhCn, Lang::En] {
                    assert!(
                        crate::i18n::catalogue::lookup(lang, key).is_some(),
                        "{key} has no words in {lang:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_are_masked_unless_asked() {
        let masked = style(Lang::ZhCn, true).person(&person());
        assert_eq!(masked[1], Cell::text("138****5678"));
        assert_eq!(masked[2], Cell::text("**************002X"));
        let full = style(Lang::ZhCn, false).person(&person());
        assert_eq!(full[1], Cell::text("13812345678"));
        assert_eq!(full[2], Cell::text("11010519491231002X"));
        // A stored value of another shape is never shown when masking.
        let s = style(Lang::En, true);
        assert_eq!(s.mobile(Some("12345")), Cell::text("****"));
        assert_eq!(s.resident_id(Some("1234")), Cell::Text("*".repeat(18)));
        assert_eq!(s.mobile(None), Cell::Empty);
    }

    #[test]
    fn values_are_in_the_language_and_zone() {
        let p = style(Lang::En, true).person(&person());
        assert_eq!(p[3], Cell::text("Courier"));
        assert_eq!(p[5], Cell::text("yes"));
        // 1_795_000_000 s is 2026-11-18 11:06:40 UTC, 19:06 in Shanghai.
        assert_eq!(
            p[7],
            Cell::DateTime(
                NaiveDate::from_ymd_opt(2026, 11, 18)
                    .unwrap()
                    .and_hms_opt(19, 6, 40)
                    .unwrap()
            )
        );
        let v = VisitExportRow {
            station: None,
            arrived_at: DateTime::from_timestamp(0, 0).unwrap(),
            left_at: None,
            name: None,
            trade: Trade::Courier,
            headcount: 1,
            services: [Service::Water, Service::Rest].into_iter().collect(),
        };
        assert_eq!(
            style(Lang::ZhCn, true).visit(&v)[6],
            Cell::text("休息、饮水")
        );
        assert_eq!(
            style(Lang::En, true).visit(&v)[6],
            Cell::text("Rest; Drinking water")
        );
    }
}
