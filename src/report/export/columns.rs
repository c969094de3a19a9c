//! The columns of each kind of export, and a record's values as staff read
//! them: codes as their labels, times in the station's zone, money in
//! yuan, mobile and ID numbers masked unless asked otherwise.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::domain::money::Fen;
use crate::domain::{Mobile, ResidentId};
use crate::i18n::Lang;
use crate::store::{AppointmentExportRow, CaseExportRow, PersonExportRow, VisitExportRow};

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
        let (zh, en) = match self {
            Kind::People => ("人员", "People"),
            Kind::Visits => ("来访", "Visits"),
            Kind::Cases => ("案件", "Cases"),
            Kind::Appointments => ("咨询预约", "Sessions"),
        };
        lang.pick(zh, en)
    }

    /// The columns: header in Chinese, in English, and a width in
    /// characters for a spreadsheet.
    pub fn columns(self) -> &'static [(&'static str, &'static str, u16)] {
        match self {
            Kind::People => &[
                ("姓名", "Name", 10),
                ("手机", "Mobile", 13),
                ("身份证号", "ID number", 20),
                ("工种", "Trade", 14),
                ("单位/平台", "Employer or platform", 20),
                ("工会会员", "Union member", 10),
                ("入会日期", "Joined the union", 12),
                ("登记时间", "Registered", 17),
            ],
            Kind::Visits => &[
                ("站点", "Station", 8),
                ("到达时间", "Arrived", 17),
                ("离开时间", "Left", 17),
                ("姓名", "Name", 10),
                ("工种", "Trade", 14),
                ("人数", "Headcount", 8),
                ("服务", "Services", 30),
            ],
            Kind::Cases => &[
                ("案件号", "Case number", 14),
                ("站点", "Station", 8),
                ("类型", "Type", 14),
                ("困难类别", "Hardship kind", 12),
                ("状态", "Status", 10),
                ("被申请方", "Respondent", 20),
                ("当事人数", "Claimants", 9),
                ("主张金额（元）", "Claimed (yuan)", 14),
                ("追回金额（元）", "Recovered (yuan)", 14),
                ("经办人", "Handler", 10),
                ("回访日期", "Follow-up", 12),
                ("转介", "Referral", 16),
                ("结果", "Outcome", 16),
                ("结案原因", "Reason for closing", 16),
                ("立案时间", "Opened", 17),
                ("办结时间", "Concluded", 17),
            ],
            Kind::Appointments => &[
                ("日期", "Date", 12),
                ("开始", "Start", 7),
                ("结束", "End", 7),
                ("咨询师", "Counsellor", 10),
                ("类别", "Kind", 12),
                ("人员", "Person", 10),
                ("状态", "Status", 10),
                ("回访日期", "Follow-up", 12),
            ],
        }
    }

    /// The headers in `lang`.
    pub fn headers(self, lang: Lang) -> Vec<&'static str> {
        self.columns()
            .iter()
            .map(|(zh, en, _)| lang.pick(zh, en))
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
            self.lang.pick("是", "yes")
        } else {
            self.lang.pick("否", "no")
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
            Cell::Text(services.join(self.lang.pick("、", "; "))),
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
