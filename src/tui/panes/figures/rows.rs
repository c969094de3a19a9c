//! The rows of each section of the figures pane: a label, the value as
//! staff write it, a bar where a breakdown is compared, and the records
//! behind the row (what Enter lists).

use crate::domain::case::CaseType;
use crate::domain::money::Fen;
use crate::domain::schedule::CounsellorKind;
use crate::i18n::Lang;
use crate::report::sheet::Value;
use crate::store::figures::records::{SessionFilter, VisitFilter};
use crate::store::figures::{CaseFigure, Figures, SessionCounts};
use crate::t;

/// The sections of the pane, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Visits,
    Cases,
    Counselling,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Visits, Section::Cases, Section::Counselling];

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Section::Visits => t!(lang, "figures.sec_visits"),
            Section::Cases => t!(lang, "figures.sec_cases"),
            Section::Counselling => t!(lang, "figures.sec_counselling"),
        }
    }

    /// The next (or previous) section, wrapping.
    pub fn step(self, forward: bool) -> Section {
        let i = Section::ALL.iter().position(|s| *s == self).unwrap_or(0);
        let n = Section::ALL.len();
        Section::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// The records behind a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Cases(CaseFigure, Option<CaseType>),
    Visits(VisitFilter),
    Sessions(SessionFilter, Option<CounsellorKind>),
}

/// One row of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub value: String,
    /// The count a bar shows, compared with the other rows of its group.
    pub bar: Option<(u8, u64)>,
    /// A heading: not selectable, no value of its own (or a note).
    pub heading: bool,
    pub target: Option<Target>,
}

impl Item {
    fn row(label: impl Into<String>, value: impl Into<String>, target: Option<Target>) -> Item {
        Item {
            label: label.into(),
            value: value.into(),
            bar: None,
            heading: false,
            target,
        }
    }

    fn heading(label: impl Into<String>) -> Item {
        Item {
            label: label.into(),
            value: String::new(),
            bar: None,
            heading: true,
            target: None,
        }
    }

    fn bar(mut self, group: u8, n: u64) -> Item {
        self.bar = Some((group, n));
        self
    }

    /// Whether the cursor can rest on the row.
    pub fn selectable(&self) -> bool {
        !self.heading
    }
}

/// A count as staff write it: `1,234`.
pub fn count(n: u64) -> String {
    Value::Count(n).display(Lang::ZhCn)
}

/// An amount as the report writes it (`9,800.00元`, `169.74万`; in
/// English `¥1,697,400.00`).
fn amount(f: Fen, lang: Lang) -> String {
    Value::Money(f).display(lang)
}

/// The rows of `section`; `several` says whether the database holds
/// several stations (then a figure that cannot be told apart by station
/// says so).
pub fn items(section: Section, f: &Figures, lang: Lang, several: bool) -> Vec<Item> {
    match section {
        Section::Visits => visits(f, lang),
        Section::Cases => cases(f, lang),
        Section::Counselling => counselling(f, lang, several),
    }
}

fn visits(f: &Figures, lang: Lang) -> Vec<Item> {
    let v = &f.visits;
    let people = |n: u64| t!(lang, "figures.people", n = count(n));
    let mut out = vec![
        Item::row(
            t!(lang, "figure.headcount"),
            people(v.headcount),
            Some(Target::Visits(VisitFilter::All)),
        ),
        Item::row(
            t!(lang, "figure.named"),
            people(v.named),
            Some(Target::Visits(VisitFilter::Named)),
        ),
        Item::row(
            t!(lang, "figure.anonymous"),
            people(v.anonymous),
            Some(Target::Visits(VisitFilter::Anonymous)),
        ),
        Item::row(
            t!(lang, "figure.workers"),
            t!(lang, "figures.workers_n", n = count(v.workers)),
            Some(Target::Visits(VisitFilter::Named)),
        ),
        Item::heading(t!(lang, "figure.by_trade")),
    ];
    for (trade, n) in &v.by_trade {
        out.push(
            Item::row(
                trade.label(lang),
                count(*n),
                Some(Target::Visits(VisitFilter::Trade(*trade))),
            )
            .bar(1, *n),
        );
    }
    out.push(Item::heading(t!(lang, "figure.workers_by_trade")));
    for (trade, n) in &v.workers_by_trade {
        out.push(
            Item::row(
                trade.label(lang),
                count(*n),
                Some(Target::Visits(VisitFilter::Trade(*trade))),
            )
            .bar(7, *n),
        );
    }
    // One station's line would only repeat the total.
    if v.workers_by_station.len() > 1 {
        out.push(Item::heading(t!(lang, "figure.workers_by_station")));
        for (station, n) in &v.workers_by_station {
            out.push(
                Item::row(
                    format!("{} {}", station.code, station.name),
                    count(*n),
                    Some(Target::Visits(VisitFilter::Station(station.id))),
                )
                .bar(8, *n),
            );
        }
    }
    out.push(Item::heading(t!(lang, "figure.by_service")));
    for (service, n) in &v.by_service {
        out.push(
            Item::row(
                service.label(lang),
                count(*n),
                Some(Target::Visits(VisitFilter::Service(*service))),
            )
            .bar(2, *n),
        );
    }
    let busiest = v.busiest_hours(3);
    if !busiest.is_empty() {
        out.push(Item::heading(t!(lang, "figure.busiest")));
        for (h, n) in busiest {
            out.push(
                Item::row(
                    // As the report writes it: the last hour ends at 24:00.
                    format!("{h:02}:00–{:02}:00", h + 1),
                    count(n),
                    Some(Target::Visits(VisitFilter::Hour(h))),
                )
                .bar(3, n),
            );
        }
    }
    out
}

fn cases(f: &Figures, lang: Lang) -> Vec<Item> {
    let c = &f.cases;
    let n_cases = |n: u64| t!(lang, "figures.cases_n", n = count(n));
    let case = |figure: CaseFigure| Some(Target::Cases(figure, None));
    let rate = match c.mediation.permille() {
        Some(p) => t!(
            lang,
            "figures.rate",
            pct = Value::Permille(Some(p)).display(lang),
            agreed = count(c.mediation.agreed),
            all = count(c.mediation.concluded)
        ),
        None => Value::Permille(None).display(lang),
    };
    let median = Value::Days(c.median_days_to_resolve).display(lang);
    let mut out = vec![
        Item::row(
            t!(lang, "figure.opened"),
            n_cases(c.opened),
            case(CaseFigure::Opened),
        ),
        Item::row(
            t!(lang, "figure.resolved"),
            n_cases(c.resolved),
            case(CaseFigure::Resolved),
        ),
        Item::row(
            t!(lang, "figure.closed"),
            n_cases(c.closed),
            case(CaseFigure::Closed),
        ),
        Item::row(
            t!(lang, "figure.open_at_end"),
            n_cases(c.open_at_end),
            case(CaseFigure::OpenAtEnd),
        ),
        Item::row(
            t!(lang, "figure.overdue"),
            n_cases(c.overdue),
            case(CaseFigure::Overdue),
        ),
        Item::heading(t!(lang, "figures.money")),
        Item::row(
            t!(lang, "figure.claimed"),
            amount(c.claimed, lang),
            case(CaseFigure::Opened),
        ),
        Item::row(
            t!(lang, "figure.recovered"),
            amount(c.recovered, lang),
            case(CaseFigure::Resolved),
        ),
        Item::heading(t!(lang, "figures.mediation_head")),
        Item::row(
            t!(lang, "figure.mediation"),
            rate,
            case(CaseFigure::MediationConcluded),
        ),
        Item::row(
            t!(lang, "figure.mediation_agreed"),
            n_cases(c.mediation.agreed),
            case(CaseFigure::MediationAgreed),
        ),
        Item::row(
            t!(lang, "figure.group"),
            t!(
                lang,
                "figures.group_value",
                n = count(c.group_cases),
                workers = count(c.group_workers)
            ),
            case(CaseFigure::GroupCases),
        ),
        Item::row(
            t!(lang, "figure.median"),
            median,
            case(CaseFigure::Resolved),
        ),
        Item::heading(t!(lang, "figure.by_type")),
    ];
    for r in &c.by_type {
        out.push(
            Item::row(
                r.case_type.label(lang),
                format!(
                    "{} · {} · {} · {}",
                    count(r.opened),
                    count(r.resolved),
                    count(r.closed),
                    count(r.open_at_end)
                ),
                Some(Target::Cases(CaseFigure::Opened, Some(r.case_type))),
            )
            .bar(4, r.opened),
        );
    }
    out.extend(referrals(f, lang));
    out
}

/// Referrals, escalations and hand-overs sent in the period, by where
/// they went: sent · accepted · done · under way, and the median days.
fn referrals(f: &Figures, lang: Lang) -> Vec<Item> {
    let r = &f.referrals;
    let mut out = vec![
        Item::heading(t!(lang, "report.section.referrals")),
        Item::row(t!(lang, "figure.referrals_sent"), count(r.sent()), None),
        Item::row(t!(lang, "figure.escalations"), count(r.escalations()), None),
        Item::row(t!(lang, "figure.referrals_open"), count(r.open()), None),
        Item::row(
            t!(lang, "figure.respondents_several"),
            count(r.respondents_at_several_stations),
            None,
        ),
    ];
    if r.lines.iter().any(|l| l.sent > 0) {
        out.push(Item::heading(t!(lang, "figure.by_destination")));
    }
    let sep = " · ";
    for l in r.lines.iter().filter(|l| l.sent > 0) {
        // The counts that are not naught, and the median when there is one:
        // the line fits 80 columns.
        let mut parts = vec![format!("{} {}", t!(lang, "figure.h_sent"), count(l.sent))];
        for (key, n) in [
            ("figure.h_accepted", l.accepted),
            ("figure.h_rejected", l.rejected),
            ("figure.h_open", l.open),
            ("figure.h_done", l.done),
            ("figure.h_withdrawn", l.withdrawn),
        ] {
            if n > 0 {
                parts.push(format!(
                    "{} {}",
                    crate::i18n::catalogue::text(lang, key),
                    count(n)
                ));
            }
        }
        if l.median_days.is_some() {
            parts.push(format!(
                "{} {}",
                t!(lang, "figure.h_median_days"),
                Value::Days(l.median_days).display(lang)
            ));
        }
        out.push(Item::row(l.to.label(lang), parts.join(sep), None).bar(5, l.sent));
    }
    let done: Vec<String> = r
        .outcomes
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(o, n)| format!("{} {}", o.label(lang), count(*n)))
        .collect();
    if !done.is_empty() {
        out.push(Item::row(
            t!(lang, "figure.by_outcome"),
            done.join(t!(lang, "cases.list_sep")),
            None,
        ));
    }
    out
}

fn counselling(f: &Figures, lang: Lang, several: bool) -> Vec<Item> {
    let c = &f.counselling;
    let sessions = |n: u64| t!(lang, "figures.sessions_n", n = count(n));
    let s = |filter: SessionFilter| Some(Target::Sessions(filter, None));
    let mut out = Vec::new();
    if several && f.station.is_some() && !c.station_scoped {
        out.push(Item::heading(t!(lang, "figures.not_scoped")));
    }
    out.extend([
        Item::row(
            t!(lang, "figure.booked"),
            sessions(c.all.booked),
            s(SessionFilter::Booked),
        ),
        Item::row(
            t!(lang, "figure.held"),
            sessions(c.all.held),
            s(SessionFilter::Held),
        ),
        Item::row(
            t!(lang, "figure.no_shows"),
            sessions(c.all.no_shows),
            s(SessionFilter::NoShows),
        ),
        Item::row(
            t!(lang, "figure.cancelled"),
            sessions(c.all.cancelled),
            s(SessionFilter::Cancelled),
        ),
        Item::row(
            t!(lang, "figure.pending"),
            sessions(c.all.pending),
            s(SessionFilter::Pending),
        ),
        Item::heading(t!(lang, "figure.by_kind")),
    ]);
    for (kind, n) in &c.by_kind {
        out.push(
            Item::row(
                kind.label(lang),
                kind_counts(n),
                Some(Target::Sessions(SessionFilter::Booked, Some(*kind))),
            )
            .bar(5, n.booked),
        );
    }
    out.push(Item::heading(t!(lang, "figures.waitlist")));
    out.push(Item::row(
        t!(lang, "figure.waiting"),
        t!(lang, "figures.persons", n = count(c.waiting)),
        None,
    ));
    for (kind, n) in &c.waiting_by_kind {
        out.push(Item::row(kind.label(lang), count(*n), None).bar(6, *n));
    }
    out
}

/// Booked · held · no-shows.
fn kind_counts(n: &SessionCounts) -> String {
    format!(
        "{} · {} · {}",
        count(n.booked),
        count(n.held),
        count(n.no_shows)
    )
}

/// The labels of the columns of the by-type and by-kind rows.
pub fn columns_hint(section: Section, lang: Lang) -> Option<&'static str> {
    match section {
        Section::Visits => None,
        Section::Cases => Some(t!(lang, "figures.by_type_cols")),
        Section::Counselling => Some(t!(lang, "figures.by_kind_cols")),
    }
}

/// The largest count of a bar group: the full length of its bars.
pub fn group_max(items: &[Item], group: u8) -> u64 {
    items
        .iter()
        .filter_map(|i| i.bar)
        .filter(|(g, _)| *g == group)
        .map(|(_, n)| n)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::person::Trade;
    use crate::domain::visit::Service;

    #[test]
    fn amounts_as_staff_write_them() {
        assert_eq!(amount(Fen(980_000), Lang::ZhCn), "9,800.00元");
        assert_eq!(amount(Fen(169_740_000), Lang::ZhCn), "169.74万");
        assert_eq!(amount(Fen(169_740_000), Lang::En), "¥1,697,400.00");
        assert_eq!(amount(Fen(12_345), Lang::En), "¥123.45");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn the_last_hour_of_the_day_ends_at_24_as_in_the_report() {
        let mut visits = crate::store::figures::VisitFigures::default();
        visits.by_hour[23] = 1;
        let f = crate::store::figures::Figures {
            from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            station: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            visits,
            cases: Default::default(),
            counselling: Default::default(),
            referrals: Default::default(),
        };
        let v = items(Section::Visits, &f, Lang::ZhCn, false);
        assert!(v.iter().any(|i| i.label == "23:00–24:00"), "{v:?}");
    }

    #[test]
    fn workers_by_station_only_when_there_are_several_with_their_own_bars() {
        use crate::domain::ids::StationId;
        use crate::domain::station::Station;
        let station = |code: &str, name: &str| Station {
            id: StationId::new(),
            code: code.into(),
            name: name.into(),
            time_zone: "Asia/Shanghai".into(),
        };
        let (ft, ns) = (station("FT", "福田驿站"), station("NS", "南山驿站"));
        let mut visits = crate::store::figures::VisitFigures {
            workers_by_station: vec![(ft.clone(), 3), (ns.clone(), 1)],
            workers_by_trade: Trade::ALL.iter().map(|t| (*t, 1)).collect(),
            ..Default::default()
        };
        visits.by_hour[9] = 40;
        let mut f = crate::store::figures::Figures {
            from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            station: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            visits,
            cases: Default::default(),
            counselling: Default::default(),
            referrals: Default::default(),
        };
        let v = items(Section::Visits, &f, Lang::ZhCn, true);
        let at = v
            .iter()
            .position(|i| i.heading && i.label == "服务人数（去重）按站点")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(v[at + 1].label, "FT 福田驿站");
        assert_eq!(v[at + 1].value, "3");
        assert_eq!(
            v[at + 2].target,
            Some(Target::Visits(VisitFilter::Station(ns.id)))
        );
        // Each breakdown's bars are measured against its own largest.
        let (g, _) = v[at + 1].bar.unwrap();
        assert_eq!(group_max(&v, g), 3);
        let trade = v
            .iter()
            .find(|i| {
                matches!(i.target, Some(Target::Visits(VisitFilter::Trade(_))))
                    && i.bar.is_some_and(|(g, _)| g != 1)
            })
            .unwrap();
        assert_eq!(group_max(&v, trade.bar.unwrap().0), 1);
        // One station: its line would only repeat the total.
        f.visits.workers_by_station.truncate(1);
        let v = items(Section::Visits, &f, Lang::En, false);
        assert!(
            !v.iter()
                .any(|i| i.label == "Workers (each once) by station")
        );
    }

    #[test]
    fn sections_step_round() {
        assert_eq!(Section::Counselling.step(true), Section::Visits);
        assert_eq!(Section::Visits.step(false), Section::Counselling);
    }

    #[test]
    fn every_breakdown_row_has_its_records() {
        let f = crate::store::figures::Figures {
            from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            station: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            visits: crate::store::figures::VisitFigures {
                by_trade: Trade::ALL.iter().map(|t| (*t, 2)).collect(),
                by_service: Service::ALL.iter().map(|s| (*s, 1)).collect(),
                ..Default::default()
            },
            cases: Default::default(),
            counselling: Default::default(),
            referrals: Default::default(),
        };
        for section in Section::ALL {
            let items = items(section, &f, Lang::En, true);
            assert!(items.iter().any(Item::selectable));
            for i in items.iter().filter(|i| i.bar.is_some()) {
                assert!(!i.heading, "{}", i.label);
            }
        }
        let v = items(Section::Visits, &f, Lang::ZhCn, false);
        let trades = v
            .iter()
            .filter(|i| matches!(i.target, Some(Target::Visits(VisitFilter::Trade(_)))))
            .count();
        assert_eq!(trades, Trade::ALL.len());
    }
}
