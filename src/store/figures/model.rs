//! The figures of a period: what a station, or the district office for all
//! the stations it holds, reports for a day, a month, a year or any
//! from–to. `Store::figures` (store/figures/) reads them; this module
//! holds their types and says exactly what each one counts.
//!
//! **The period** `from..=to` is whole local calendar days in the time
//! zone of the station asked for (the database's own station when all
//! stations are asked for): it starts at local midnight of `from` and ends
//! before local midnight of the day after `to`. A time belongs to the
//! period when it lies in `[start, end)`.
//!
//! **Current state.** The record tables hold each record as it is now, not
//! its history, so the figures of a past period say what the records say
//! today: a case resolved in March and reopened in May is not counted as
//! resolved in March; a case resolved twice counts at its last resolution.
//!
//! **Counts only.** No type here holds a name, a note or any text of a
//! record (but a station's code and name, which label its figures). Session notes in particular are never read: the counselling
//! figures come from an index that does not hold them.

use std::fmt;

use chrono::NaiveDate;

use crate::domain::case::{CaseType, Outcome};
use crate::domain::ids::StationId;
use crate::domain::money::Fen;
use crate::domain::person::Trade;
use crate::domain::schedule::CounsellorKind;
use crate::domain::station::Station;
use crate::domain::visit::Service;
use crate::i18n::{Lang, Localized};
use crate::store::StoreError;
use crate::t;

/// The longest period figures are computed for, in days (100 years).
pub const MAX_DAYS: i64 = 36_600;

/// The case types whose concluded cases make the mediation rate: the
/// disputes a station mediates between a worker and a respondent.
pub const MEDIATED_TYPES: &[CaseType] = &[
    CaseType::WageArrears,
    CaseType::LabourDispute,
    CaseType::WorkInjury,
];

/// The outcomes that count as an agreement for the mediation rate: a
/// mediation agreement, or the amount recovered by the station's
/// intervention. An arbitration award or a judgment is not (the dispute
/// was decided, not settled), nor is assistance delivered or "other".
pub const AGREEMENT_OUTCOMES: &[Outcome] = &[Outcome::Agreement, Outcome::Recovered];

/// Why figures cannot be computed.
#[derive(Debug, thiserror::Error)]
pub enum FiguresError {
    #[error("the period ends ({to}) before it starts ({from})")]
    Reversed { from: NaiveDate, to: NaiveDate },
    #[error("a period of {days} days is too long (at most {max})")]
    TooLong { days: i64, max: i64 },
    #[error("no such station")]
    NoSuchStation,
    #[error("the figures could not be counted (a reader stopped)")]
    Interrupted,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for FiguresError {
    fn from(e: rusqlite::Error) -> Self {
        FiguresError::Store(e.into())
    }
}

impl Localized for FiguresError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            FiguresError::Reversed { from, to } => {
                t!(lang, "errors.figures.reversed", from = from, to = to)
            }
            FiguresError::TooLong { days, max } => {
                t!(lang, "errors.figures.too_long", days = days, max = max)
            }
            FiguresError::NoSuchStation => t!(lang, "errors.figures.no_such_station").to_owned(),
            FiguresError::Interrupted => t!(lang, "errors.figures.interrupted").to_owned(),
            FiguresError::Store(e) => e.localized(lang),
        }
    }
}

/// The figures of one period, for one station or all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `None`: every station the database holds.
    pub station: Option<StationId>,
    /// The day overdue follow-ups were counted on (see
    /// [`CaseFigures::overdue`]).
    pub today: NaiveDate,
    pub visits: VisitFigures,
    pub cases: CaseFigures,
    pub counselling: CounsellingFigures,
    pub referrals: ReferralFigures,
}

/// Where referrals, escalations and hand-overs went: one line per kind of
/// outside body, one for escalations to the district office, one for cases
/// handed to another station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Destination {
    Body(crate::domain::case::Referral),
    Escalation,
    Transfer,
}

impl Destination {
    /// Every line, in the order shown.
    pub fn all() -> Vec<Destination> {
        let mut v: Vec<Destination> = crate::domain::case::Referral::ALL
            .iter()
            .map(|r| Destination::Body(*r))
            .collect();
        v.push(Destination::Escalation);
        v.push(Destination::Transfer);
        v
    }

    /// The stable key of its line (`arbitration`, `escalation` …).
    pub fn code(self) -> &'static str {
        match self {
            Destination::Body(r) => r.code(),
            Destination::Escalation => "escalation",
            Destination::Transfer => "transfer",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Destination::Body(r) => r.label(lang),
            Destination::Escalation => crate::domain::handoff::HandoffKind::Escalation.label(lang),
            Destination::Transfer => crate::domain::handoff::HandoffKind::Transfer.label(lang),
        }
    }
}

/// The referrals, escalations and hand-overs **sent in the period** (their
/// `sent_on` day lies in it) by the station asked for (or by any), one
/// line per destination, with where they stand now. Each is one record
/// wherever it was synced to: an escalation counts once, at the station
/// that sent it; the district's referral of the same case counts once
/// more, as a referral.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReferralFigures {
    pub lines: Vec<ReferralLine>,
    /// Of those done, how they ended, in [`HandoffOutcome::ALL`] order.
    pub outcomes: Vec<(crate::domain::handoff::HandoffOutcome, u64)>,
    /// Respondents with open cases at two or more stations now, whatever
    /// the period; for one station, those of its open cases with open cases
    /// at another station too.
    pub respondents_at_several_stations: u64,
}

impl ReferralFigures {
    /// All sent in the period, whatever the destination.
    pub fn sent(&self) -> u64 {
        self.lines.iter().map(|l| l.sent).sum()
    }

    /// Of those, the ones under way now.
    pub fn open(&self) -> u64 {
        self.lines.iter().map(|l| l.open).sum()
    }

    /// The escalations to the district office sent in the period.
    pub fn escalations(&self) -> u64 {
        self.lines
            .iter()
            .find(|l| l.to == Destination::Escalation)
            .map_or(0, |l| l.sent)
    }
}

/// One destination's referrals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralLine {
    pub to: Destination,
    pub sent: u64,
    /// Accepted at some step (accepted, in progress or done since).
    pub accepted: u64,
    pub rejected: u64,
    /// Still waiting or worked on: sent, accepted or in progress now.
    pub open: u64,
    pub done: u64,
    pub withdrawn: u64,
    /// Median days from sending to its conclusion (done, rejected or
    /// withdrawn), over those concluded; `None` when none is.
    pub median_days: Option<MedianDays>,
}

/// Visits whose arrival lies in the period. A named visit counts one
/// person; an anonymous tally counts its headcount (0 once undone).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisitFigures {
    /// People served: `named + anonymous`.
    pub headcount: u64,
    /// Named visits (a row with a person).
    pub named: u64,
    /// The headcount of anonymous tallies (rows without a person).
    pub anonymous: u64,
    /// Distinct workers among the named visits: each person once, a person
    /// merged into another counted as that one (`store/merge.rs`).
    pub workers: u64,
    /// The same by the trade recorded on their visits, every trade in
    /// [`Trade::ALL`] order: a worker recorded with two trades in the
    /// period counts under each.
    pub workers_by_trade: Vec<(Trade, u64)>,
    /// The same by the station visited: every station of the figures (the
    /// one asked for, or every one the database holds, in the order of
    /// `Store::stations`), each with the distinct workers among its named
    /// visits. A worker who visited two stations counts at each, and once
    /// in [`VisitFigures::workers`]; a person merged into another counts
    /// as that one at every station either was seen at.
    pub workers_by_station: Vec<(Station, u64)>,
    /// Headcount by the trade recorded on the visit; every trade, in
    /// [`Trade::ALL`] order (unknown codes count as other).
    pub by_trade: Vec<(Trade, u64)>,
    /// Headcount of the visits that used each service (a tally of three
    /// who rested and drank counts three for each); every service, in
    /// [`Service::ALL`] order (bits of services this version does not know
    /// are left out). A visit with several services counts for each, so
    /// these do not add up to the headcount.
    pub by_service: Vec<(Service, u64)>,
    /// Headcount by local hour of arrival, 0–23.
    pub by_hour: [u64; 24],
    /// Headcount by local day of arrival, every day of the period in
    /// order (the sparkline).
    pub daily: Vec<(NaiveDate, u64)>,
}

impl VisitFigures {
    /// The `n` busiest local hours (hour, headcount), busiest first, the
    /// earlier hour first on a tie; hours without visits are left out.
    pub fn busiest_hours(&self, n: usize) -> Vec<(u32, u64)> {
        let mut hours: Vec<(u32, u64)> =
            (0u32..).zip(self.by_hour).filter(|&(_, c)| c > 0).collect();
        hours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hours.truncate(n);
        hours
    }
}

/// Cases of the station (the station that opened them), or of all
/// stations.
///
/// A case is *concluded* when its status is resolved or closed; it is
/// *resolved* (or *closed*) in the period when its status is resolved (or
/// closed) now and `concluded_at`, the time of its last conclusion, lies in
/// the period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseFigures {
    /// Cases whose `opened_at` lies in the period.
    pub opened: u64,
    /// Cases resolved in the period.
    pub resolved: u64,
    /// Cases closed in the period.
    pub closed: u64,
    /// Cases still open at the end of the period: opened before its end,
    /// and open now or concluded (last) at or after its end. A case
    /// concluded before the end and reopened after it counts as open (the
    /// records keep only the last conclusion). For a period that ends
    /// today or later, these are the cases open now.
    pub open_at_end: u64,
    /// The same four counts with the amounts, for every case type in
    /// [`CaseType::ALL`] order.
    pub by_type: Vec<CaseTypeFigures>,
    /// Amount claimed by the cases opened in the period.
    pub claimed: Fen,
    /// Amount recovered by the cases resolved in the period (a closed
    /// case's amount is not counted).
    pub recovered: Fen,
    /// Cases of [`MEDIATED_TYPES`] concluded in the period, and those of
    /// them resolved with one of [`AGREEMENT_OUTCOMES`].
    pub mediation: Mediation,
    /// Cases opened in the period with two or more claimants (not
    /// removed).
    pub group_cases: u64,
    /// Distinct workers among the claimants (not removed) of those group
    /// cases; a worker in two of them counts once.
    pub group_workers: u64,
    /// Median, over the cases resolved in the period, of the local
    /// calendar days from the day of opening to the day of resolution (0
    /// when resolved the day it was opened). `None` when none was resolved.
    pub median_days_to_resolve: Option<MedianDays>,
    /// Cases open now whose follow-up date is before the period's last day
    /// is over, or before today if that comes first: `follow_up <
    /// min(to + 1 day, today)`, as the case queue's overdue filter.
    pub overdue: u64,
}

/// The case figures of one case type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseTypeFigures {
    pub case_type: CaseType,
    pub opened: u64,
    pub resolved: u64,
    pub closed: u64,
    pub open_at_end: u64,
    pub claimed: Fen,
    pub recovered: Fen,
}

impl CaseTypeFigures {
    pub(crate) fn zero(case_type: CaseType) -> CaseTypeFigures {
        CaseTypeFigures {
            case_type,
            opened: 0,
            resolved: 0,
            closed: 0,
            open_at_end: 0,
            claimed: Fen(0),
            recovered: Fen(0),
        }
    }
}

/// The mediation success rate: `agreed / concluded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mediation {
    pub agreed: u64,
    pub concluded: u64,
}

impl Mediation {
    /// The rate in tenths of a percent (834 = 83.4 %), rounded half up;
    /// `None` when no case was concluded.
    pub fn permille(self) -> Option<u64> {
        (self.concluded > 0).then(|| (self.agreed * 2000 + self.concluded) / (self.concluded * 2))
    }
}

/// A median number of days, exact: the mean of the two middle values of
/// an even count may end in a half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MedianDays {
    /// Twice the median.
    pub halves: u64,
}

impl MedianDays {
    /// The median of `days` (sorted here); `None` when empty.
    pub fn of(mut days: Vec<u64>) -> Option<MedianDays> {
        days.sort_unstable();
        let n = days.len();
        let halves = match n {
            0 => return None,
            _ if n % 2 == 1 => days[n / 2] * 2,
            _ => days[n / 2 - 1] + days[n / 2],
        };
        Some(MedianDays { halves })
    }
}

impl fmt::Display for MedianDays {
    /// `12` or `12.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.halves.is_multiple_of(2) {
            write!(f, "{}", self.halves / 2)
        } else {
            write!(f, "{}.5", self.halves / 2)
        }
    }
}

/// Counselling and legal sessions dated in the period.
///
/// Counsellors, sessions and the waitlist are not tied to a station in the
/// records, so these figures are always those of the whole database,
/// whichever station is asked for ([`CounsellingFigures::station_scoped`]
/// says so).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CounsellingFigures {
    /// Every session.
    pub all: SessionCounts,
    /// By the kind of the counsellor (psychological, legal), in
    /// [`CounsellorKind::ALL`] order.
    pub by_kind: Vec<(CounsellorKind, SessionCounts)>,
    /// Waitlist entries waiting now for a week that overlaps the period.
    pub waiting: u64,
    /// The same, by the kind asked for.
    pub waiting_by_kind: Vec<(CounsellorKind, u64)>,
    /// Whether the station filter applied to these figures: false, the
    /// records do not say at which station a session is held.
    pub station_scoped: bool,
}

/// Sessions by status. `booked` is every session dated in the period,
/// whatever became of it: `booked = pending + held + no_shows + cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionCounts {
    pub booked: u64,
    /// Still booked, or arrived and not yet marked done.
    pub pending: u64,
    /// Done.
    pub held: u64,
    pub no_shows: u64,
    pub cancelled: u64,
}

/// A case figure, to ask for the cases behind it (`Store::cases_for`).
/// The amounts claimed are those of [`CaseFigure::Opened`], the amounts
/// recovered and the median those of [`CaseFigure::Resolved`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseFigure {
    Opened,
    Resolved,
    Closed,
    OpenAtEnd,
    /// The cases the mediation rate is over.
    MediationConcluded,
    /// The cases of the mediation rate that reached an agreement.
    MediationAgreed,
    GroupCases,
    Overdue,
}

impl CaseFigure {
    pub const ALL: &'static [CaseFigure] = &[
        CaseFigure::Opened,
        CaseFigure::Resolved,
        CaseFigure::Closed,
        CaseFigure::OpenAtEnd,
        CaseFigure::MediationConcluded,
        CaseFigure::MediationAgreed,
        CaseFigure::GroupCases,
        CaseFigure::Overdue,
    ];

    /// The figure's value in `f` (for one case type: `Some(t)`, the
    /// figures of [`CaseFigures::by_type`] and, for the others, `None`).
    pub fn count(self, f: &CaseFigures, case_type: Option<CaseType>) -> Option<u64> {
        let Some(t) = case_type else {
            return Some(match self {
                CaseFigure::Opened => f.opened,
                CaseFigure::Resolved => f.resolved,
                CaseFigure::Closed => f.closed,
                CaseFigure::OpenAtEnd => f.open_at_end,
                CaseFigure::MediationConcluded => f.mediation.concluded,
                CaseFigure::MediationAgreed => f.mediation.agreed,
                CaseFigure::GroupCases => f.group_cases,
                CaseFigure::Overdue => f.overdue,
            });
        };
        let row = f.by_type.iter().find(|r| r.case_type == t)?;
        match self {
            CaseFigure::Opened => Some(row.opened),
            CaseFigure::Resolved => Some(row.resolved),
            CaseFigure::Closed => Some(row.closed),
            CaseFigure::OpenAtEnd => Some(row.open_at_end),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_are_the_display() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        for e in [
            FiguresError::Reversed {
                from: d(20),
                to: d(1),
            },
            FiguresError::TooLong {
                days: 4000,
                max: 3660,
            },
            FiguresError::NoSuchStation,
            FiguresError::Interrupted,
        ] {
            assert_eq!(e.localized(Lang::En), e.to_string());
        }
    }

    #[test]
    fn medians_are_exact() {
        assert_eq!(MedianDays::of(vec![]), None);
        assert_eq!(
            MedianDays::of(vec![4]).map(|m| m.to_string()),
            Some("4".into())
        );
        let m = MedianDays::of(vec![9, 1, 4, 2]).unwrap();
        assert_eq!((m.halves, m.to_string()), (6, "3".into()));
        let m = MedianDays::of(vec![0, 1]).unwrap();
        assert_eq!(m.to_string(), "0.5");
    }

    #[test]
    fn mediation_rate_in_tenths_of_a_percent() {
        let r = |agreed, concluded| Mediation { agreed, concluded }.permille();
        assert_eq!(r(0, 0), None);
        assert_eq!(r(5, 6), Some(833));
        assert_eq!(r(1, 8), Some(125));
        assert_eq!(r(1, 16), Some(63)); // 62.5 rounds up
        assert_eq!(r(3, 3), Some(1000));
    }

    #[test]
    fn busiest_hours_leave_out_empty_ones() {
        let mut v = VisitFigures::default();
        v.by_hour[12] = 5;
        v.by_hour[18] = 7;
        v.by_hour[9] = 5;
        assert_eq!(v.busiest_hours(2), [(18, 7), (9, 5)]);
        assert_eq!(v.busiest_hours(10).len(), 3);
    }
}
