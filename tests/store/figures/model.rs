//! The model the figures are checked against: every row read plainly
//! (no index chosen), every figure counted again in Rust with the
//! definitions of report/figures.rs.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Timelike};
use chrono_tz::Tz;
use rusqlite::Connection;
use waystation::domain::case::{CaseStatus, CaseType, Outcome, Referral};
use waystation::domain::handoff::HandoffOutcome;
use waystation::domain::ids::StationId;
use waystation::domain::money::Fen;
use waystation::domain::person::Trade;
use waystation::domain::schedule::{CounsellorKind, monday_of};
use waystation::domain::station::Station;
use waystation::domain::visit::{Service, Services};
use waystation::store::figures::{
    CaseFigure, CaseFigures, CaseTypeFigures, CounsellingFigures, Destination, Figures, MedianDays,
    ReferralFigures, ReferralLine, SessionCounts, VisitFigures,
};

use super::today;

/// Every row the figures count, read plainly (no index chosen).
pub struct Rows {
    /// station, arrived_at, headcount, named, trade, services, person
    pub visits: Vec<Visit>,
    /// person -> the person its record names as merged into (one held here)
    merged_into: HashMap<[u8; 16], [u8; 16]>,
    pub cases: Vec<Case>,
    /// case -> claimants not removed
    claimants: HashMap<Vec<u8>, BTreeSet<Vec<u8>>>,
    /// date, status, counsellor kind
    sessions: Vec<(NaiveDate, String, Option<String>)>,
    /// kind, week, status
    waitlist: Vec<(String, NaiveDate, String)>,
    zones: HashMap<[u8; 16], Tz>,
    /// Every station, in no particular order.
    stations: Vec<Station>,
    /// kind, target, status, outcome, accepted_on, concluded_on, sent_on,
    /// from station
    handoffs: Vec<Handoff>,
    /// respondent, station, status of every case with a respondent
    respondent_cases: Vec<([u8; 16], [u8; 16], CaseStatus)>,
    /// respondent -> the one it was merged into
    respondent_merged: HashMap<[u8; 16], [u8; 16]>,
}

type Handoff = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    NaiveDate,
    [u8; 16],
);

/// station, arrived_at, headcount, named, trade, services, person
pub type Visit = ([u8; 16], i64, u64, bool, String, u16, Option<[u8; 16]>);

pub struct Case {
    pub id: Vec<u8>,
    pub station: [u8; 16],
    pub case_type: CaseType,
    pub status: CaseStatus,
    pub claimed: i64,
    pub recovered: i64,
    pub outcome: Option<Outcome>,
    pub follow_up: Option<NaiveDate>,
    pub opened_at: i64,
    pub concluded_at: Option<i64>,
}

pub fn read_rows(path: &std::path::Path) -> Rows {
    let conn = Connection::open(path).unwrap();
    let all = |sql: &str| conn.prepare(sql).unwrap();
    let id16 = |b: Vec<u8>| -> [u8; 16] { b.try_into().unwrap() };
    let date = |s: String| NaiveDate::parse_from_str(&s, "%Y-%m-%d").unwrap();
    let visits = all(
        "SELECT station_id, arrived_at, headcount, person_id IS NOT NULL, trade, services,
                person_id
         FROM visits",
    )
    .query_map([], |r| {
        Ok((
            id16(r.get(0)?),
            r.get(1)?,
            r.get::<_, i64>(2)? as u64,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get::<_, Option<Vec<u8>>>(6)?.map(id16),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let merged_into = all("SELECT p.id, p.merged_into FROM people p
         WHERE p.merged_into IN (SELECT id FROM people)")
    .query_map([], |r| Ok((id16(r.get(0)?), id16(r.get(1)?))))
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let cases = all(
        "SELECT id, station_id, case_type, status, claimed, recovered, outcome, follow_up,
                opened_at, concluded_at FROM cases",
    )
    .query_map([], |r| {
        Ok(Case {
            id: r.get(0)?,
            station: id16(r.get(1)?),
            case_type: CaseType::from_code(&r.get::<_, String>(2)?).unwrap(),
            status: CaseStatus::from_code(&r.get::<_, String>(3)?).unwrap(),
            claimed: r.get(4)?,
            recovered: r.get(5)?,
            outcome: r
                .get::<_, Option<String>>(6)?
                .map(|o| Outcome::from_code(&o).unwrap()),
            follow_up: r.get::<_, Option<String>>(7)?.map(date),
            opened_at: r.get(8)?,
            concluded_at: r.get(9)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let mut claimants: HashMap<Vec<u8>, BTreeSet<Vec<u8>>> = HashMap::new();
    let rows = all("SELECT case_id, person_id FROM case_claimants WHERE removed = 0")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect::<Vec<(Vec<u8>, Vec<u8>)>>();
    for (case, person) in rows {
        claimants.entry(case).or_default().insert(person);
    }
    let sessions = all("SELECT a.date, a.status, c.kind FROM appointments a
         LEFT JOIN counsellors c ON c.id = a.counsellor_id")
    .query_map([], |r| Ok((date(r.get(0)?), r.get(1)?, r.get(2)?)))
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let waitlist = all("SELECT kind, week, status FROM waitlist")
        .query_map([], |r| Ok((r.get(0)?, date(r.get(1)?), r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let stations = all("SELECT id, code, name, time_zone FROM stations")
        .query_map([], |r| {
            Ok(Station {
                id: StationId::from_slice(&r.get::<_, Vec<u8>>(0)?).unwrap(),
                code: r.get(1)?,
                name: r.get(2)?,
                time_zone: r.get(3)?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let zones = all("SELECT id, time_zone FROM stations")
        .query_map([], |r| {
            Ok((id16(r.get(0)?), r.get::<_, String>(1)?.parse().unwrap()))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let handoffs = all(
        "SELECT kind, target, status, outcome, accepted_on, concluded_on, sent_on,
                from_station FROM handoffs",
    )
    .query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, Option<String>>(4)?.map(date),
            r.get::<_, Option<String>>(5)?.map(date),
            date(r.get(6)?),
            id16(r.get(7)?),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let respondent_cases =
        all("SELECT respondent_id, station_id, status FROM cases WHERE respondent_id IS NOT NULL")
            .query_map([], |r| {
                Ok((
                    id16(r.get(0)?),
                    id16(r.get(1)?),
                    CaseStatus::from_code(&r.get::<_, String>(2)?).unwrap(),
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let respondent_merged =
        all("SELECT id, merged_into FROM respondents WHERE merged_into IS NOT NULL")
            .query_map([], |r| Ok((id16(r.get(0)?), id16(r.get(1)?))))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    Rows {
        visits,
        merged_into,
        cases,
        claimants,
        sessions,
        waitlist,
        zones,
        stations,
        handoffs,
        respondent_cases,
        respondent_merged,
    }
}

/// The referral figures by their definitions, handoff by handoff.
fn expected_referrals(
    rows: &Rows,
    from: NaiveDate,
    to: NaiveDate,
    station: Option<StationId>,
) -> ReferralFigures {
    let mut lines = Vec::new();
    let mut outcomes: HashMap<String, u64> = HashMap::new();
    for d in Destination::all() {
        let mine: Vec<&Handoff> = rows
            .handoffs
            .iter()
            .filter(|h| h.6 >= from && h.6 <= to)
            .filter(|h| station.is_none_or(|s| *s.as_bytes() == h.7))
            .filter(|h| {
                let dest = match h.0.as_str() {
                    "escalation" => Destination::Escalation,
                    "transfer" => Destination::Transfer,
                    _ => Destination::Body(
                        h.1.as_deref()
                            .and_then(Referral::from_code)
                            .unwrap_or(Referral::Other),
                    ),
                };
                dest == d
            })
            .collect();
        let with = |st: &str| mine.iter().filter(|h| h.2 == st).count() as u64;
        for h in mine.iter().filter(|h| h.2 == "done") {
            if let Some(o) = &h.3 {
                *outcomes.entry(o.clone()).or_default() += 1;
            }
        }
        let days: Vec<u64> = mine
            .iter()
            .filter(|h| matches!(h.2.as_str(), "done" | "rejected" | "withdrawn"))
            .filter_map(|h| h.5.map(|c| (c - h.6).num_days() as u64))
            .collect();
        lines.push(ReferralLine {
            to: d,
            sent: mine.len() as u64,
            accepted: mine
                .iter()
                .filter(|h| h.4.is_some() && h.2 != "rejected")
                .count() as u64,
            rejected: with("rejected"),
            open: with("sent") + with("accepted") + with("in_progress"),
            done: with("done"),
            withdrawn: with("withdrawn"),
            median_days: MedianDays::of(days),
        });
    }
    // Respondents with open cases at several stations, each as the one it
    // was merged into.
    let survivor = |mut r: [u8; 16]| {
        while let Some(n) = rows.respondent_merged.get(&r) {
            r = *n;
        }
        r
    };
    let mut at: HashMap<[u8; 16], BTreeSet<[u8; 16]>> = HashMap::new();
    for (r, st, status) in &rows.respondent_cases {
        if status.is_open() {
            at.entry(survivor(*r)).or_default().insert(*st);
        }
    }
    ReferralFigures {
        lines,
        outcomes: HandoffOutcome::ALL
            .iter()
            .map(|o| (*o, outcomes.get(o.code()).copied().unwrap_or(0)))
            .collect(),
        respondents_at_several_stations: at
            .values()
            .filter(|s| s.len() >= 2 && station.is_none_or(|x| s.contains(x.as_bytes())))
            .count() as u64,
    }
}

/// The figures by the definitions, counted row by row.
pub fn expected(
    rows: &Rows,
    own: StationId,
    from: NaiveDate,
    to: NaiveDate,
    station: Option<StationId>,
) -> Figures {
    let tz = rows.zones[station.unwrap_or(own).as_bytes()];
    let local = |ms: i64| {
        DateTime::from_timestamp_millis(ms)
            .unwrap()
            .with_timezone(&tz)
    };
    let in_period = |ms: i64| (from..=to).contains(&local(ms).date_naive());
    let ours = |s: &[u8; 16]| station.is_none_or(|x| x.as_bytes() == s);

    let mut v = VisitFigures {
        by_trade: Trade::ALL.iter().map(|t| (*t, 0)).collect(),
        by_service: Service::ALL.iter().map(|s| (*s, 0)).collect(),
        daily: (0..=(to - from).num_days())
            .map(|d| (from + Duration::days(d), 0))
            .collect(),
        ..VisitFigures::default()
    };
    // Who each person is counted as: the end of the chain of merges, the
    // smallest id of a cycle.
    let survivor = |p: [u8; 16]| {
        let mut path = vec![p];
        let mut at = p;
        while let Some(t) = rows.merged_into.get(&at) {
            if let Some(i) = path.iter().position(|x| x == t) {
                return *path[i..].iter().min().unwrap();
            }
            path.push(*t);
            at = *t;
        }
        at
    };
    let mut workers: HashSet<[u8; 16]> = HashSet::new();
    let mut workers_by_trade: HashSet<(Trade, [u8; 16])> = HashSet::new();
    let mut workers_by_station: HashSet<([u8; 16], [u8; 16])> = HashSet::new();
    for (st, at, n, named, trade, services, person) in &rows.visits {
        if !ours(st) || !in_period(*at) {
            continue;
        }
        let t = local(*at);
        let trade = Trade::from_code(trade).unwrap_or(Trade::Other);
        if *named {
            v.named += n;
            if let Some(p) = person
                && *n > 0
            {
                workers.insert(survivor(*p));
                workers_by_trade.insert((trade, survivor(*p)));
                workers_by_station.insert((*st, survivor(*p)));
            }
        } else {
            v.anonymous += n;
        }
        v.headcount += n;
        v.by_trade.iter_mut().find(|x| x.0 == trade).unwrap().1 += n;
        for (s, c) in v.by_service.iter_mut() {
            if Services::from_bits(*services).contains(*s) {
                *c += n;
            }
        }
        v.by_hour[t.hour() as usize] += n;
        v.daily
            .iter_mut()
            .find(|x| x.0 == t.date_naive())
            .unwrap()
            .1 += n;
    }
    v.workers = workers.len() as u64;
    v.workers_by_trade = Trade::ALL
        .iter()
        .map(|t| {
            let n = workers_by_trade.iter().filter(|(x, _)| x == t).count();
            (*t, n as u64)
        })
        .collect();
    // Every station asked for, by code, name and id, with or without
    // visits.
    let mut stations: Vec<&Station> = rows
        .stations
        .iter()
        .filter(|s| ours(s.id.as_bytes()))
        .collect();
    stations.sort_by(|a, b| (&a.code, &a.name, a.id).cmp(&(&b.code, &b.name, b.id)));
    v.workers_by_station = stations
        .into_iter()
        .map(|s| {
            let n = workers_by_station
                .iter()
                .filter(|(st, _)| st == s.id.as_bytes())
                .count();
            (s.clone(), n as u64)
        })
        .collect();

    let mut c = CaseFigures {
        by_type: CaseType::ALL
            .iter()
            .map(|t| CaseTypeFigures {
                case_type: *t,
                opened: 0,
                resolved: 0,
                closed: 0,
                open_at_end: 0,
                claimed: Fen(0),
                recovered: Fen(0),
            })
            .collect(),
        ..CaseFigures::default()
    };
    let overdue_on = (to + Duration::days(1)).min(today());
    let mut workers = HashSet::new();
    let mut days = Vec::new();
    for case in rows.cases.iter().filter(|x| ours(&x.station)) {
        let row = c
            .by_type
            .iter_mut()
            .find(|r| r.case_type == case.case_type)
            .unwrap();
        let opened = in_period(case.opened_at);
        let concluded_in = !case.status.is_open() && case.concluded_at.is_some_and(in_period);
        if opened {
            row.opened += 1;
            row.claimed.0 += case.claimed;
            let people = rows.claimants.get(&case.id).map_or(0, |p| p.len());
            if people >= 2 {
                c.group_cases += 1;
                workers.extend(rows.claimants[&case.id].iter().cloned());
            }
        }
        if concluded_in && case.status == CaseStatus::Resolved {
            row.resolved += 1;
            row.recovered.0 += case.recovered;
            let at = case.concluded_at.unwrap();
            let d = (local(at).date_naive() - local(case.opened_at).date_naive()).num_days();
            days.push(d as u64);
        }
        if concluded_in && case.status == CaseStatus::Closed {
            row.closed += 1;
        }
        let mediated = matches!(
            case.case_type,
            CaseType::WageArrears | CaseType::LabourDispute | CaseType::WorkInjury
        );
        if mediated && concluded_in {
            c.mediation.concluded += 1;
            if case.status == CaseStatus::Resolved
                && matches!(case.outcome, Some(Outcome::Agreement | Outcome::Recovered))
            {
                c.mediation.agreed += 1;
            }
        }
        let opened_by_end = local(case.opened_at).date_naive() <= to;
        let concluded_after = case
            .concluded_at
            .is_some_and(|t| local(t).date_naive() > to);
        if opened_by_end && (case.status.is_open() || concluded_after) {
            row.open_at_end += 1;
        }
        if case.status.is_open() && case.follow_up.is_some_and(|d| d < overdue_on) {
            c.overdue += 1;
        }
    }
    for r in &c.by_type {
        c.opened += r.opened;
        c.resolved += r.resolved;
        c.closed += r.closed;
        c.open_at_end += r.open_at_end;
        c.claimed.0 += r.claimed.0;
        c.recovered.0 += r.recovered.0;
    }
    c.group_workers = workers.len() as u64;
    days.sort();
    c.median_days_to_resolve = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(MedianDays {
            halves: days[n / 2] * 2,
        }),
        n => Some(MedianDays {
            halves: days[n / 2 - 1] + days[n / 2],
        }),
    };

    let mut k = CounsellingFigures {
        by_kind: CounsellorKind::ALL
            .iter()
            .map(|k| (*k, SessionCounts::default()))
            .collect(),
        waiting_by_kind: CounsellorKind::ALL.iter().map(|k| (*k, 0)).collect(),
        ..CounsellingFigures::default()
    };
    for (date, status, kind) in &rows.sessions {
        if !(from..=to).contains(date) {
            continue;
        }
        let add = |s: &mut SessionCounts| {
            s.booked += 1;
            match status.as_str() {
                "done" => s.held += 1,
                "no_show" => s.no_shows += 1,
                "cancelled" => s.cancelled += 1,
                _ => s.pending += 1,
            }
        };
        add(&mut k.all);
        if let Some((_, s)) = k
            .by_kind
            .iter_mut()
            .find(|(x, _)| Some(x.code()) == kind.as_deref())
        {
            add(s);
        }
    }
    for (kind, week, status) in &rows.waitlist {
        if status == "waiting" && *week >= monday_of(from) && *week <= to {
            k.waiting += 1;
            k.waiting_by_kind
                .iter_mut()
                .find(|(x, _)| x.code() == kind)
                .unwrap()
                .1 += 1;
        }
    }

    Figures {
        from,
        to,
        station,
        today: today(),
        visits: v,
        cases: c,
        counselling: k,
        referrals: expected_referrals(rows, from, to, station),
    }
}

/// The cases each case figure counts, by the definitions.
pub fn expected_cases(
    rows: &Rows,
    f: &Figures,
    own: StationId,
) -> HashMap<CaseFigure, BTreeSet<Vec<u8>>> {
    let tz = rows.zones[f.station.unwrap_or(own).as_bytes()];
    let date = |ms: i64| {
        DateTime::from_timestamp_millis(ms)
            .unwrap()
            .with_timezone(&tz)
            .date_naive()
    };
    let in_period = |ms: i64| (f.from..=f.to).contains(&date(ms));
    let overdue_on = (f.to + Duration::days(1)).min(f.today);
    let mut out: HashMap<CaseFigure, BTreeSet<Vec<u8>>> = HashMap::new();
    for case in &rows.cases {
        if f.station.is_some_and(|s| s.as_bytes() != &case.station) {
            continue;
        }
        let concluded_in = !case.status.is_open() && case.concluded_at.is_some_and(in_period);
        let mediated = matches!(
            case.case_type,
            CaseType::WageArrears | CaseType::LabourDispute | CaseType::WorkInjury
        );
        let people = rows.claimants.get(&case.id).map_or(0, |p| p.len());
        let open_at_end = date(case.opened_at) <= f.to
            && (case.status.is_open() || case.concluded_at.is_some_and(|t| date(t) > f.to));
        for (figure, counts) in [
            (CaseFigure::Opened, in_period(case.opened_at)),
            (
                CaseFigure::Resolved,
                concluded_in && case.status == CaseStatus::Resolved,
            ),
            (
                CaseFigure::Closed,
                concluded_in && case.status == CaseStatus::Closed,
            ),
            (CaseFigure::OpenAtEnd, open_at_end),
            (CaseFigure::MediationConcluded, mediated && concluded_in),
            (
                CaseFigure::MediationAgreed,
                mediated
                    && concluded_in
                    && case.status == CaseStatus::Resolved
                    && matches!(case.outcome, Some(Outcome::Agreement | Outcome::Recovered)),
            ),
            (
                CaseFigure::GroupCases,
                in_period(case.opened_at) && people >= 2,
            ),
            (
                CaseFigure::Overdue,
                case.status.is_open() && case.follow_up.is_some_and(|d| d < overdue_on),
            ),
        ] {
            if counts {
                out.entry(figure).or_default().insert(case.id.clone());
            }
        }
    }
    out
}
