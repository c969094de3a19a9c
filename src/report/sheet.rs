//! The figures of a period laid out as a report, in either language, for
//! every way they are shown: the text, CSV and XLSX of `waystation report`
//! and the console's figures pane.
//!
//! A report is a list of [`Section`]s (the heading, visits, cases,
//! counselling). A section holds single figures ([`Row`]: a label and a
//! value) and then breakdowns ([`Table`]: one line per trade, service,
//! hour, day, case type or counsellor kind, one column per figure). Values
//! stay typed ([`Value`]); each output formats them its own way. Every row,
//! table and column has a stable key (`visits.by_trade.courier.headcount`,
//! see [`Section::keys`]) that does not change with the language.
//!
//! Counts only: nothing here holds a name or any text of a record (the
//! station's name and code are the only words taken from the database).

use chrono::NaiveDate;
use unicode_width::UnicodeWidthStr;

use crate::domain::case::CaseType;
use crate::domain::ids::StationId;
use crate::domain::money::Fen;
use crate::domain::person::Trade;
use crate::domain::schedule::CounsellorKind;
use crate::domain::visit::Service;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::figures::{Figures, FiguresError, MedianDays, SessionCounts};
use crate::t;

/// How many of the busiest hours a report lists.
pub const BUSIEST_HOURS: usize = 3;

/// The parts of a report, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKey {
    /// The period, the station(s), the day the report was made.
    Heading,
    Visits,
    Cases,
    /// Referrals, escalations and hand-overs.
    Referrals,
    Counselling,
}

impl SectionKey {
    /// Every section, in order.
    pub const ALL: [SectionKey; 5] = [
        SectionKey::Heading,
        SectionKey::Visits,
        SectionKey::Cases,
        SectionKey::Referrals,
        SectionKey::Counselling,
    ];

    /// The stable key, the first part of every figure's key.
    pub fn code(self) -> &'static str {
        match self {
            SectionKey::Heading => "heading",
            SectionKey::Visits => "visits",
            SectionKey::Cases => "cases",
            SectionKey::Referrals => "referrals",
            SectionKey::Counselling => "counselling",
        }
    }

    /// The title in `lang`.
    pub fn title(self, lang: Lang) -> String {
        match self {
            SectionKey::Heading => t!(lang, "report.section.heading"),
            SectionKey::Visits => t!(lang, "report.section.visits"),
            SectionKey::Cases => t!(lang, "report.section.cases"),
            SectionKey::Referrals => t!(lang, "report.section.referrals"),
            SectionKey::Counselling => t!(lang, "report.section.counselling"),
        }
        .to_owned()
    }
}

/// One part of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: SectionKey,
    pub title: String,
    /// A remark on the whole section (counselling: not by station).
    pub note: Option<String>,
    /// Single figures, in order.
    pub rows: Vec<Row>,
    /// Breakdowns, shown after the rows.
    pub tables: Vec<Table>,
}

/// A single figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable, within the section (`headcount`).
    pub key: &'static str,
    pub label: String,
    pub value: Value,
}

/// A breakdown: one line per item (trade, case type …), one column per
/// figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Stable, within the section (`by_trade`).
    pub key: &'static str,
    /// `按工种`, `By trade`.
    pub title: String,
    /// What the items are (`工种`, `Trade`): the header of their column.
    pub by: String,
    pub columns: Vec<Column>,
    /// Every item, in order; each has one value per column.
    pub items: Vec<Item>,
}

/// A column of a [`Table`]: one figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Stable (`headcount`, `opened`).
    pub key: &'static str,
    pub label: String,
}

/// A line of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Stable, within the table: the code of the trade, service, case type
    /// or kind, the hour (`14`) or the day (`2026-11-01`).
    pub key: String,
    pub label: String,
    /// One per column of the table.
    pub values: Vec<Value>,
}

/// A figure's value, typed; each output formats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Count(u64),
    Money(Fen),
    /// A rate in tenths of a percent (`None`: nothing to take a rate of).
    Permille(Option<u64>),
    /// `None`: nothing to take a median of.
    Days(Option<MedianDays>),
    Date(NaiveDate),
    /// Words of the report itself (the station asked for).
    Text(String),
}

impl Value {
    /// Whether a spreadsheet should hold it as a number (a rate or median
    /// that does not exist is not one).
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Value::Count(_) | Value::Money(_) | Value::Permille(Some(_)) | Value::Days(Some(_))
        )
    }

    /// As a spreadsheet reads it: `1234`, money in yuan `16974.00` (no
    /// groups, no 万), a rate in percent `83.4`, days `12.5`, a date
    /// `2026-11-01`; empty for a rate or median that does not exist.
    pub fn plain(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Money(f) => f.plain(),
            Value::Permille(Some(p)) => percent(*p),
            Value::Days(Some(d)) => d.to_string(),
            Value::Permille(None) | Value::Days(None) => String::new(),
            Value::Date(d) => d.to_string(),
            Value::Text(s) => s.clone(),
        }
    }

    /// As people read it: counts in groups of three (`1,234`); money in
    /// Chinese as staff write it (`9,800.00元`, `169.74万`), in English in
    /// yuan (`¥1,697,400.00`); a rate with one decimal (`83.4%`); days
    /// with their unit; `—` for a rate or median that does not exist.
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Value::Count(n) => crate::domain::money::group(*n),
            Value::Money(f) => match lang {
                Lang::ZhCn => f.wan_string(),
                Lang::En => format!("¥{}", f.yuan_string()),
            },
            Value::Permille(Some(p)) => format!("{}%", percent(*p)),
            Value::Days(Some(d)) => t!(lang, "report.days_value", n = d),
            Value::Permille(None) | Value::Days(None) => "—".to_owned(),
            Value::Date(d) => d.to_string(),
            Value::Text(s) => s.clone(),
        }
    }

    /// The unit a spreadsheet column of [`Value::plain`] needs said:
    /// yuan, `%`, days; none for counts, dates and words.
    pub fn unit(&self, lang: Lang) -> &'static str {
        match self {
            Value::Money(_) => t!(lang, "report.unit_yuan"),
            Value::Permille(_) => "%",
            Value::Days(_) => t!(lang, "report.unit_days"),
            Value::Count(_) | Value::Date(_) | Value::Text(_) => "",
        }
    }
}

/// Tenths of a percent as a percentage with one decimal: `834` → `83.4`.
fn percent(permille: u64) -> String {
    format!("{}.{}", permille / 10, permille % 10)
}

/// The cells `s` takes on a terminal (a Chinese character takes two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// What a report covers: one station, or every station the database holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Station { code: String, name: String },
    All { stations: usize },
}

impl Scope {
    /// The scope of figures asked for `station` (`None`: all).
    pub fn read(store: &Store, station: Option<StationId>) -> Result<Scope, FiguresError> {
        Ok(match station {
            Some(id) => {
                let s = store
                    .station_by_id(id)?
                    .ok_or(FiguresError::NoSuchStation)?;
                Scope::Station {
                    code: s.code,
                    name: s.name,
                }
            }
            None => Scope::All {
                stations: store.stations()?.len(),
            },
        })
    }
}

impl Section {
    /// The stable key of every value, in the order of [`Section::values`]:
    /// `visits.headcount` for a row, `visits.by_trade.courier.headcount`
    /// for a table's cell.
    pub fn keys(&self) -> Vec<String> {
        self.values().map(|v| v.key).collect()
    }

    /// Every value of the section, rows first, then each table line by
    /// line, with what a flat list (CSV) needs to say of it.
    pub fn values(&self) -> impl Iterator<Item = Flat<'_>> {
        let section = self.key.code();
        let rows = self.rows.iter().map(move |r| Flat {
            key: format!("{section}.{}", r.key),
            figure: &r.label,
            by: None,
            item: None,
            value: &r.value,
        });
        let cells = self.tables.iter().flat_map(move |t| {
            t.items.iter().flat_map(move |i| {
                t.columns.iter().zip(&i.values).map(move |(c, v)| Flat {
                    key: format!("{section}.{}.{}.{}", t.key, i.key, c.key),
                    figure: &c.label,
                    by: Some(&t.by),
                    item: Some(&i.label),
                    value: v,
                })
            })
        });
        rows.chain(cells)
    }
}

/// One value of a section as a flat list holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flat<'a> {
    /// See [`Section::keys`].
    pub key: String,
    /// The figure: the row's label, or the table column's.
    pub figure: &'a str,
    /// What the table's items are (`工种`); `None` for a row.
    pub by: Option<&'a str>,
    /// The table's item (`快递员`); `None` for a row.
    pub item: Option<&'a str>,
    pub value: &'a Value,
}

fn row(key: &'static str, label: &str, value: Value) -> Row {
    Row {
        key,
        label: label.to_owned(),
        value,
    }
}

fn column(key: &'static str, label: &str) -> Column {
    Column {
        key,
        label: label.to_owned(),
    }
}

/// The report of `f` for `scope`, in `lang`.
pub fn sections(f: &Figures, scope: &Scope, lang: Lang) -> Vec<Section> {
    vec![
        heading(f, scope, lang),
        visits(f, lang),
        cases(f, lang),
        referrals(f, lang),
        counselling(f, lang),
    ]
}

fn referrals(f: &Figures, lang: Lang) -> Section {
    let r = &f.referrals;
    let rows = vec![
        row(
            "sent",
            t!(lang, "figure.referrals_sent"),
            Value::Count(r.sent()),
        ),
        row(
            "escalations",
            t!(lang, "figure.escalations"),
            Value::Count(r.escalations()),
        ),
        row(
            "open",
            t!(lang, "figure.referrals_open"),
            Value::Count(r.open()),
        ),
        row(
            "respondents_several_stations",
            t!(lang, "figure.respondents_several"),
            Value::Count(r.respondents_at_several_stations),
        ),
    ];
    let by_destination = Table {
        key: "by_destination",
        title: t!(lang, "figure.by_destination").to_owned(),
        by: t!(lang, "report.destination").to_owned(),
        columns: vec![
            column("sent", t!(lang, "figure.h_sent")),
            column("accepted", t!(lang, "figure.h_accepted")),
            column("rejected", t!(lang, "figure.h_rejected")),
            column("open", t!(lang, "figure.h_open")),
            column("done", t!(lang, "figure.h_done")),
            column("withdrawn", t!(lang, "figure.h_withdrawn")),
            column("median_days", t!(lang, "figure.h_median_days")),
        ],
        items: r
            .lines
            .iter()
            .map(|l| Item {
                key: l.to.code().to_owned(),
                label: l.to.label(lang).to_owned(),
                values: vec![
                    Value::Count(l.sent),
                    Value::Count(l.accepted),
                    Value::Count(l.rejected),
                    Value::Count(l.open),
                    Value::Count(l.done),
                    Value::Count(l.withdrawn),
                    Value::Days(l.median_days),
                ],
            })
            .collect(),
    };
    let by_outcome = Table {
        key: "by_outcome",
        title: t!(lang, "figure.by_outcome").to_owned(),
        by: t!(lang, "report.outcome").to_owned(),
        columns: vec![column("done", t!(lang, "figure.h_done"))],
        items: r
            .outcomes
            .iter()
            .map(|(o, n)| Item {
                key: o.code().to_owned(),
                label: o.label(lang).to_owned(),
                values: vec![Value::Count(*n)],
            })
            .collect(),
    };
    section(
        SectionKey::Referrals,
        lang,
        rows,
        vec![by_destination, by_outcome],
    )
}

fn section(key: SectionKey, lang: Lang, rows: Vec<Row>, tables: Vec<Table>) -> Section {
    Section {
        key,
        title: key.title(lang),
        note: None,
        rows,
        tables,
    }
}

fn heading(f: &Figures, scope: &Scope, lang: Lang) -> Section {
    let mut rows = vec![
        row("from", t!(lang, "report.from"), Value::Date(f.from)),
        row("to", t!(lang, "report.to"), Value::Date(f.to)),
    ];
    let station = t!(lang, "report.station");
    match scope {
        Scope::Station { code, name } => {
            let named = t!(lang, "report.station_name", name = name, code = code);
            rows.push(row("station", station, Value::Text(named)));
        }
        Scope::All { stations } => {
            let all = t!(lang, "report.all_stations").to_owned();
            rows.push(row("station", station, Value::Text(all)));
            let n = *stations as u64;
            rows.push(row(
                "stations",
                t!(lang, "report.stations"),
                Value::Count(n),
            ));
        }
    }
    rows.push(row(
        "generated",
        t!(lang, "report.generated"),
        Value::Date(f.today),
    ));
    section(SectionKey::Heading, lang, rows, Vec::new())
}

/// A one-column table of counts, the column keyed `headcount`.
fn counts(
    key: &'static str,
    labels: (&str, &str, &str),
    items: impl IntoIterator<Item = (String, String, u64)>,
) -> Table {
    counts_of(key, "headcount", labels, items)
}

/// A one-column table of counts, the column keyed `column_key`.
fn counts_of(
    key: &'static str,
    column_key: &'static str,
    (title, by, figure): (&str, &str, &str),
    items: impl IntoIterator<Item = (String, String, u64)>,
) -> Table {
    Table {
        key,
        title: title.to_owned(),
        by: by.to_owned(),
        columns: vec![column(column_key, figure)],
        items: items
            .into_iter()
            .map(|(key, label, n)| Item {
                key,
                label,
                values: vec![Value::Count(n)],
            })
            .collect(),
    }
}

fn visits(f: &Figures, lang: Lang) -> Section {
    let v = &f.visits;
    let headcount = t!(lang, "figure.headcount");
    let rows = vec![
        row("headcount", headcount, Value::Count(v.headcount)),
        row("named", t!(lang, "figure.named"), Value::Count(v.named)),
        row(
            "anonymous",
            t!(lang, "figure.anonymous"),
            Value::Count(v.anonymous),
        ),
        row(
            "workers",
            t!(lang, "figure.workers"),
            Value::Count(v.workers),
        ),
    ];
    let by_trade = v
        .by_trade
        .iter()
        .map(|&(t, n): &(Trade, u64)| (t.code().to_owned(), t.label(lang).to_owned(), n));
    let by_service = v
        .by_service
        .iter()
        .map(|&(s, n): &(Service, u64)| (s.code().to_owned(), s.label(lang).to_owned(), n));
    let hours = v
        .busiest_hours(BUSIEST_HOURS)
        .into_iter()
        .map(|(h, n)| (h.to_string(), format!("{h:02}:00–{:02}:00", h + 1), n));
    let daily = v
        .daily
        .iter()
        .map(|(d, n)| (d.to_string(), d.to_string(), *n));
    let workers_by_trade = v
        .workers_by_trade
        .iter()
        .map(|&(t, n): &(Trade, u64)| (t.code().to_owned(), t.label(lang).to_owned(), n));
    let workers_by_station = v.workers_by_station.iter().map(|(s, n)| {
        // Keyed by the code; by the id where two stations share a code.
        let shared = v
            .workers_by_station
            .iter()
            .filter(|(o, _)| o.code == s.code)
            .count()
            > 1;
        let key = if shared {
            s.id.0.to_string()
        } else {
            s.code.clone()
        };
        let label = t!(lang, "report.station_name", name = s.name, code = s.code);
        (key, label, *n)
    });
    let tables = vec![
        counts(
            "by_trade",
            (
                t!(lang, "figure.by_trade"),
                t!(lang, "report.trade"),
                headcount,
            ),
            by_trade,
        ),
        counts(
            "workers_by_trade",
            (
                t!(lang, "figure.workers_by_trade"),
                t!(lang, "report.trade"),
                t!(lang, "figure.workers"),
            ),
            workers_by_trade,
        ),
        counts_of(
            "workers_by_station",
            "workers",
            (
                t!(lang, "figure.workers_by_station"),
                t!(lang, "report.station"),
                t!(lang, "figure.workers"),
            ),
            workers_by_station,
        ),
        counts(
            "by_service",
            (
                t!(lang, "figure.by_service"),
                t!(lang, "report.service"),
                headcount,
            ),
            by_service,
        ),
        counts(
            "busiest_hours",
            (
                t!(lang, "figure.busiest"),
                t!(lang, "report.hour"),
                headcount,
            ),
            hours,
        ),
        counts(
            "daily",
            (t!(lang, "figure.daily"), t!(lang, "report.date"), headcount),
            daily,
        ),
    ];
    section(SectionKey::Visits, lang, rows, tables)
}

fn cases(f: &Figures, lang: Lang) -> Section {
    let c = &f.cases;
    let opened = t!(lang, "figure.opened");
    let resolved = t!(lang, "figure.resolved");
    let closed = t!(lang, "figure.closed");
    let open_at_end = t!(lang, "figure.open_at_end");
    let claimed = t!(lang, "figure.claimed");
    let recovered = t!(lang, "figure.recovered");
    let rows = vec![
        row("opened", opened, Value::Count(c.opened)),
        row("resolved", resolved, Value::Count(c.resolved)),
        row("closed", closed, Value::Count(c.closed)),
        row("open_at_end", open_at_end, Value::Count(c.open_at_end)),
        row("claimed", claimed, Value::Money(c.claimed)),
        row("recovered", recovered, Value::Money(c.recovered)),
        row(
            "mediation_rate",
            t!(lang, "figure.mediation"),
            Value::Permille(c.mediation.permille()),
        ),
        row(
            "mediation_agreed",
            t!(lang, "figure.mediation_agreed"),
            Value::Count(c.mediation.agreed),
        ),
        row(
            "mediation_concluded",
            t!(lang, "figure.mediation_concluded"),
            Value::Count(c.mediation.concluded),
        ),
        row(
            "group_cases",
            t!(lang, "figure.group"),
            Value::Count(c.group_cases),
        ),
        row(
            "group_workers",
            t!(lang, "figure.group_workers"),
            Value::Count(c.group_workers),
        ),
        row(
            "median_days",
            t!(lang, "figure.median"),
            Value::Days(c.median_days_to_resolve),
        ),
        row(
            "overdue",
            t!(lang, "figure.overdue"),
            Value::Count(c.overdue),
        ),
    ];
    let by_type = Table {
        key: "by_type",
        title: t!(lang, "figure.by_type").to_owned(),
        by: t!(lang, "report.case_type").to_owned(),
        columns: vec![
            column("opened", opened),
            column("resolved", resolved),
            column("closed", closed),
            column("open_at_end", open_at_end),
            column("claimed", claimed),
            column("recovered", recovered),
        ],
        items: c
            .by_type
            .iter()
            .map(|r| Item {
                key: r.case_type.code().to_owned(),
                label: CaseType::label(r.case_type, lang).to_owned(),
                values: vec![
                    Value::Count(r.opened),
                    Value::Count(r.resolved),
                    Value::Count(r.closed),
                    Value::Count(r.open_at_end),
                    Value::Money(r.claimed),
                    Value::Money(r.recovered),
                ],
            })
            .collect(),
    };
    section(SectionKey::Cases, lang, rows, vec![by_type])
}

/// The session counts in the order a report shows them.
fn sessions(s: &SessionCounts) -> [u64; 5] {
    [s.booked, s.held, s.no_shows, s.cancelled, s.pending]
}

const SESSION_KEYS: [&str; 5] = ["booked", "held", "no_shows", "cancelled", "pending"];

fn counselling(f: &Figures, lang: Lang) -> Section {
    let c = &f.counselling;
    let labels = [
        t!(lang, "figure.booked"),
        t!(lang, "figure.held"),
        t!(lang, "figure.no_shows"),
        t!(lang, "figure.cancelled"),
        t!(lang, "figure.pending"),
    ];
    let waiting = t!(lang, "figure.waiting");
    let mut rows: Vec<Row> = SESSION_KEYS
        .iter()
        .zip(labels)
        .zip(sessions(&c.all))
        .map(|((k, label), n)| row(k, label, Value::Count(n)))
        .collect();
    rows.push(row("waiting", waiting, Value::Count(c.waiting)));
    let mut columns: Vec<Column> = SESSION_KEYS
        .iter()
        .zip(labels)
        .map(|(k, label)| column(k, label))
        .collect();
    columns.push(column("waiting", waiting));
    let items = CounsellorKind::ALL
        .iter()
        .map(|&kind| {
            let counts = c
                .by_kind
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, s)| *s)
                .unwrap_or_default();
            let waiting = c
                .waiting_by_kind
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(0, |(_, n)| *n);
            let mut values: Vec<Value> = sessions(&counts).map(Value::Count).into();
            values.push(Value::Count(waiting));
            Item {
                key: kind.code().to_owned(),
                label: kind.label(lang).to_owned(),
                values,
            }
        })
        .collect();
    let by_kind = Table {
        key: "by_kind",
        title: t!(lang, "figure.by_kind").to_owned(),
        by: t!(lang, "report.kind").to_owned(),
        columns,
        items,
    };
    let mut s = section(SectionKey::Counselling, lang, rows, vec![by_kind]);
    if !c.station_scoped {
        s.note = Some(t!(lang, "report.not_by_station").to_owned());
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::station::Station;
    use crate::store::figures::{
        CaseFigures, CaseTypeFigures, CounsellingFigures, Mediation, VisitFigures,
    };

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    pub(crate) fn station(code: &str, name: &str) -> Station {
        Station {
            id: StationId::new(),
            code: code.into(),
            name: name.into(),
            time_zone: "Asia/Shanghai".into(),
        }
    }

    /// A small hand-made period: two days, a few visits, two case types.
    pub(crate) fn sample() -> Figures {
        let mut by_hour = [0; 24];
        by_hour[9] = 2;
        by_hour[14] = 5;
        by_hour[18] = 5;
        let mut wage = CaseTypeFigures::zero(CaseType::WageArrears);
        wage.opened = 3;
        wage.resolved = 2;
        wage.open_at_end = 1;
        wage.claimed = Fen(169_740_000);
        wage.recovered = Fen(980_000);
        let mut injury = CaseTypeFigures::zero(CaseType::WorkInjury);
        injury.opened = 1;
        injury.closed = 1;
        injury.claimed = Fen(5_050);
        Figures {
            from: day(1),
            to: day(2),
            station: None,
            today: day(20),
            visits: VisitFigures {
                headcount: 12,
                named: 4,
                anonymous: 8,
                workers: 3,
                workers_by_trade: Trade::ALL
                    .iter()
                    .map(|&t| (t, if t == Trade::Courier { 3 } else { 0 }))
                    .collect(),
                // One of the three visited both stations.
                workers_by_station: vec![
                    (station("FT", "福田驿站"), 2),
                    (station("NS", "南山驿站"), 2),
                ],
                by_trade: Trade::ALL
                    .iter()
                    .map(|&t| (t, if t == Trade::Courier { 12 } else { 0 }))
                    .collect(),
                by_service: Service::ALL
                    .iter()
                    .map(|&s| (s, if s == Service::Water { 7 } else { 1 }))
                    .collect(),
                by_hour,
                daily: vec![(day(1), 5), (day(2), 7)],
            },
            cases: CaseFigures {
                opened: 4,
                resolved: 2,
                closed: 1,
                open_at_end: 1,
                by_type: CaseType::ALL
                    .iter()
                    .map(|&t| match t {
                        CaseType::WageArrears => wage.clone(),
                        CaseType::WorkInjury => injury.clone(),
                        _ => CaseTypeFigures::zero(t),
                    })
                    .collect(),
                claimed: Fen(169_745_050),
                recovered: Fen(980_000),
                mediation: Mediation {
                    agreed: 5,
                    concluded: 6,
                },
                group_cases: 1,
                group_workers: 7,
                median_days_to_resolve: MedianDays::of(vec![3, 4]),
                overdue: 2,
            },
            counselling: CounsellingFigures {
                all: SessionCounts {
                    booked: 6,
                    pending: 1,
                    held: 3,
                    no_shows: 1,
                    cancelled: 1,
                },
                by_kind: vec![(
                    CounsellorKind::Legal,
                    SessionCounts {
                        booked: 6,
                        pending: 1,
                        held: 3,
                        no_shows: 1,
                        cancelled: 1,
                    },
                )],
                waiting: 2,
                waiting_by_kind: vec![(CounsellorKind::Psychological, 2)],
                station_scoped: false,
            },
            referrals: {
                use crate::store::figures::{Destination, ReferralFigures, ReferralLine};
                let line = |to, sent, done, days: Vec<u64>| ReferralLine {
                    to,
                    sent,
                    accepted: done,
                    rejected: 0,
                    open: sent - done,
                    done,
                    withdrawn: 0,
                    median_days: MedianDays::of(days),
                };
                ReferralFigures {
                    lines: Destination::all()
                        .into_iter()
                        .map(|d| match d {
                            Destination::Escalation => line(d, 2, 1, vec![4]),
                            Destination::Body(crate::domain::case::Referral::Arbitration) => {
                                line(d, 1, 1, vec![30])
                            }
                            _ => line(d, 0, 0, vec![]),
                        })
                        .collect(),
                    outcomes: crate::domain::handoff::HandoffOutcome::ALL
                        .iter()
                        .map(|o| {
                            (
                                *o,
                                u64::from(*o == crate::domain::handoff::HandoffOutcome::Supported),
                            )
                        })
                        .collect(),
                    respondents_at_several_stations: 1,
                }
            },
        }
    }

    fn value<'a>(s: &'a [Section], key: &str) -> &'a Value {
        s.iter()
            .flat_map(|s| s.values())
            .find(|v| v.key == key)
            .map(|v| v.value)
            .unwrap_or_else(|| panic!("no {key}"))
    }

    #[test]
    fn sections_hold_every_figure_under_a_stable_key() {
        let f = sample();
        let s = sections(&f, &Scope::All { stations: 2 }, Lang::ZhCn);
        let keys: Vec<SectionKey> = s.iter().map(|s| s.key).collect();
        assert_eq!(keys, SectionKey::ALL);
        assert_eq!(value(&s, "heading.from"), &Value::Date(day(1)));
        assert_eq!(value(&s, "heading.generated"), &Value::Date(day(20)));
        assert_eq!(
            value(&s, "heading.station"),
            &Value::Text("全部站点".into())
        );
        assert_eq!(value(&s, "heading.stations"), &Value::Count(2));
        assert_eq!(value(&s, "visits.headcount"), &Value::Count(12));
        assert_eq!(value(&s, "visits.anonymous"), &Value::Count(8));
        assert_eq!(value(&s, "visits.workers"), &Value::Count(3));
        assert_eq!(
            value(&s, "visits.workers_by_trade.courier.headcount"),
            &Value::Count(3)
        );
        assert_eq!(
            value(&s, "visits.workers_by_station.FT.workers"),
            &Value::Count(2)
        );
        assert_eq!(
            value(&s, "visits.workers_by_station.NS.workers"),
            &Value::Count(2)
        );
        assert_eq!(
            value(&s, "visits.by_trade.courier.headcount"),
            &Value::Count(12)
        );
        assert_eq!(
            value(&s, "visits.by_service.water.headcount"),
            &Value::Count(7)
        );
        assert_eq!(
            value(&s, "visits.daily.2026-11-02.headcount"),
            &Value::Count(7)
        );
        assert_eq!(value(&s, "cases.claimed"), &Value::Money(Fen(169_745_050)));
        assert_eq!(
            value(&s, "cases.mediation_rate"),
            &Value::Permille(Some(833))
        );
        assert_eq!(
            value(&s, "cases.median_days"),
            &Value::Days(MedianDays::of(vec![3, 4]))
        );
        assert_eq!(
            value(&s, "cases.by_type.wage_arrears.recovered"),
            &Value::Money(Fen(980_000))
        );
        assert_eq!(
            value(&s, "cases.by_type.work_injury.closed"),
            &Value::Count(1)
        );
        assert_eq!(value(&s, "counselling.held"), &Value::Count(3));
        assert_eq!(value(&s, "counselling.waiting"), &Value::Count(2));
        // Every kind has a line, also one without sessions.
        assert_eq!(
            value(&s, "counselling.by_kind.psychological.waiting"),
            &Value::Count(2)
        );
        assert_eq!(
            value(&s, "counselling.by_kind.psychological.booked"),
            &Value::Count(0)
        );
        assert_eq!(
            value(&s, "counselling.by_kind.legal.no_shows"),
            &Value::Count(1)
        );
        assert!(s[4].note.as_deref().is_some_and(|n| n.contains("全部")));
        assert_eq!(value(&s, "referrals.sent"), &Value::Count(3));
        assert_eq!(value(&s, "referrals.escalations"), &Value::Count(2));
        assert_eq!(
            value(&s, "referrals.by_destination.escalation.median_days"),
            &Value::Days(MedianDays::of(vec![4]))
        );
        assert_eq!(
            value(&s, "referrals.by_destination.arbitration.done"),
            &Value::Count(1)
        );
        assert_eq!(
            value(&s, "referrals.by_outcome.supported.done"),
            &Value::Count(1)
        );
        assert_eq!(
            value(&s, "referrals.respondents_several_stations"),
            &Value::Count(1)
        );
        // Keys are unique, and the same in both languages.
        let all: Vec<String> = s.iter().flat_map(Section::keys).collect();
        let unique: std::collections::HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        let en = sections(&f, &Scope::All { stations: 2 }, Lang::En);
        let en_keys: Vec<String> = en.iter().flat_map(Section::keys).collect();
        assert_eq!(all, en_keys);
        assert_eq!(en[1].title, "Visits");
        assert_eq!(en[1].rows[0].label, "People served");
    }

    #[test]
    fn workers_by_station_are_named_and_keyed_by_code_or_else_id() {
        let mut f = sample();
        let s = sections(&f, &Scope::All { stations: 2 }, Lang::ZhCn);
        let t = s[1]
            .tables
            .iter()
            .find(|t| t.key == "workers_by_station")
            .unwrap();
        assert_eq!(
            (t.title.as_str(), t.by.as_str(), t.columns[0].label.as_str()),
            ("服务人数（去重）按站点", "站点", "服务人数（去重）")
        );
        let lines: Vec<(&str, &str)> = t
            .items
            .iter()
            .map(|i| (i.key.as_str(), i.label.as_str()))
            .collect();
        assert_eq!(lines, [("FT", "福田驿站（FT）"), ("NS", "南山驿站（NS）")]);
        let en = sections(&f, &Scope::All { stations: 2 }, Lang::En);
        let t = en[1]
            .tables
            .iter()
            .find(|t| t.key == "workers_by_station")
            .unwrap();
        assert_eq!(t.title, "Workers (each once) by station");
        assert_eq!(t.items[1].label, "南山驿站 (NS)");
        // Two stations with one code: their lines are keyed by id.
        f.visits.workers_by_station[1].0.code = "FT".into();
        let ids: Vec<String> = f
            .visits
            .workers_by_station
            .iter()
            .map(|(s, _)| s.id.to_string())
            .collect();
        let s = sections(&f, &Scope::All { stations: 2 }, Lang::ZhCn);
        for id in &ids {
            let key = format!("visits.workers_by_station.{id}.workers");
            assert_eq!(value(&s, &key), &Value::Count(2));
        }
        let all: Vec<String> = s.iter().flat_map(Section::keys).collect();
        let unique: std::collections::HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
    }

    #[test]
    fn busiest_hours_are_labelled_and_keyed_by_hour() {
        let s = sections(&sample(), &Scope::All { stations: 1 }, Lang::En);
        let hours = s[1]
            .tables
            .iter()
            .find(|t| t.key == "busiest_hours")
            .unwrap();
        let lines: Vec<(&str, &str)> = hours
            .items
            .iter()
            .map(|i| (i.key.as_str(), i.label.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                ("14", "14:00–15:00"),
                ("18", "18:00–19:00"),
                ("9", "09:00–10:00")
            ]
        );
    }

    #[test]
    fn one_station_is_named_with_its_code() {
        let scope = Scope::Station {
            code: "FT".into(),
            name: "福田 爱心驿站".into(),
        };
        let s = sections(&sample(), &scope, Lang::ZhCn);
        assert_eq!(
            value(&s, "heading.station"),
            &Value::Text("福田 爱心驿站（FT）".into())
        );
        assert!(!s[0].keys().contains(&"heading.stations".to_owned()));
        let s = sections(&sample(), &scope, Lang::En);
        assert_eq!(
            value(&s, "heading.station"),
            &Value::Text("福田 爱心驿站 (FT)".into())
        );
    }

    #[test]
    fn values_format_for_people_and_for_spreadsheets() {
        let cases = [
            (Value::Count(1_234_567), "1,234,567", "1234567", "1,234,567"),
            (Value::Count(0), "0", "0", "0"),
            (
                Value::Money(Fen(169_740_000)),
                "169.74万",
                "1697400.00",
                "¥1,697,400.00",
            ),
            (
                Value::Money(Fen(980_000)),
                "9,800.00元",
                "9800.00",
                "¥9,800.00",
            ),
            (Value::Money(Fen(5)), "0.05元", "0.05", "¥0.05"),
            (Value::Permille(Some(834)), "83.4%", "83.4", "83.4%"),
            (Value::Permille(Some(1000)), "100.0%", "100.0", "100.0%"),
            (Value::Permille(Some(5)), "0.5%", "0.5", "0.5%"),
            (Value::Permille(None), "—", "", "—"),
            (
                Value::Days(MedianDays::of(vec![12, 13])),
                "12.5 天",
                "12.5",
                "12.5 days",
            ),
            (Value::Days(None), "—", "", "—"),
        ];
        for (v, zh, plain, en) in cases {
            assert_eq!(v.display(Lang::ZhCn), zh, "{v:?}");
            assert_eq!(v.plain(), plain, "{v:?}");
            assert_eq!(v.display(Lang::En), en, "{v:?}");
        }
        assert!(Value::Money(Fen(1)).is_number());
        assert!(!Value::Permille(None).is_number());
        assert!(!Value::Date(day(1)).is_number());
        assert_eq!(Value::Money(Fen(1)).unit(Lang::ZhCn), "元");
        assert_eq!(Value::Permille(None).unit(Lang::En), "%");
    }

    #[test]
    fn no_label_is_a_missing_word() {
        for lang in [Lang::ZhCn, Lang::En] {
            for s in sections(&sample(), &Scope::All { stations: 1 }, lang) {
                let mut words = vec![s.title.clone()];
                words.extend(s.rows.iter().map(|r| r.label.clone()));
                for t in &s.tables {
                    words.extend([t.title.clone(), t.by.clone()]);
                    words.extend(t.columns.iter().map(|c| c.label.clone()));
                    words.extend(t.items.iter().map(|i| i.label.clone()));
                }
                for w in words {
                    assert!(!w.is_empty() && !w.contains('\u{fffd}'), "{w:?}");
                }
            }
        }
    }
}

#[cfg(test)]
mod glossary {
    //! One name per figure: F4 and the report take every figure's name from
    //! `locales/glossary.toml`, so the two can never name one figure apart.

    /// Figures the report lists on their own that F4 shows inside another
    /// figure's line (the rate's "agreed/all", the group cases' workers).
    const REPORT_ONLY: [&str; 2] = ["mediation_concluded", "group_workers"];

    fn source(rel: &str) -> String {
        std::fs::read_to_string(format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn f4_and_the_report_name_every_figure_from_the_glossary() {
        let (cat, _) = crate::i18n::catalogue::catalogue();
        let figures: Vec<&str> = cat
            .keys()
            .filter_map(|k| k.strip_prefix("figure."))
            .collect();
        assert!(figures.len() > 20, "{figures:?}");
        let report = source("src/report/sheet.rs");
        let f4 = source("src/tui/panes/figures/rows.rs") + &source("src/tui/panes/figures/draw.rs");
        for f in &figures {
            let key = format!("\"figure.{f}\"");
            assert!(
                report.contains(&key),
                "the report does not name {f} from the glossary"
            );
            if !REPORT_ONLY.contains(f) {
                assert!(f4.contains(&key), "F4 does not name {f} from the glossary");
            }
        }
    }

    #[test]
    fn no_other_words_of_f4_or_the_report_repeat_a_figure_name() {
        // A second key with a figure's very words would be a second name
        // waiting to drift.
        let (cat, _) = crate::i18n::catalogue::catalogue();
        for (key, entry) in cat.iter().filter(|(k, _)| k.starts_with("figure.")) {
            for (other, e) in cat
                .iter()
                .filter(|(k, _)| k.starts_with("figures.") || k.starts_with("report."))
            {
                assert!(
                    e.zh != entry.zh && e.en != entry.en,
                    "{other} repeats the name of {key}: {} / {}",
                    e.zh,
                    e.en
                );
            }
        }
    }
}
