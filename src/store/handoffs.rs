//! Referrals, escalations and hand-overs of cases (`domain/handoff.rs`):
//! records of their own, each step an ordinary logged change, so that every
//! step syncs and the case's timeline shows it. Who may take which step is
//! decided here, in the write, whoever asks: the station that received an
//! escalation answers it, the station that sent it may withdraw it.
//!
//! Two stations acting on one handoff while apart (the district accepts
//! while the station withdraws) both stay in the log and the timeline; the
//! later step stands, and the conflicts list names the other one (the same
//! fold as every record).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::case::Referral;
use crate::domain::error::{Field, ValidationError};
use crate::domain::handoff::{
    HandoffKind, HandoffOutcome, HandoffStatus, NewHandoff, Side, check_due, may_take,
};
use crate::domain::ids::{CaseId, HandoffId, StationId};
use crate::domain::text::clean_optional;
use crate::store::oplog::Entity;

/// Longest body name, reference, request or result, in characters.
const TEXT_MAX: usize = 200;

/// A referral, escalation or hand-over as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    pub id: HandoffId,
    pub case: CaseId,
    pub kind: HandoffKind,
    pub target: Option<Referral>,
    pub from_station: StationId,
    pub to_station: Option<StationId>,
    /// The sending and receiving stations' names, when known here.
    pub from_name: Option<String>,
    pub to_name: Option<String>,
    pub agency: Option<String>,
    pub reference: Option<String>,
    pub asked: Option<String>,
    pub sent_on: NaiveDate,
    pub due: Option<NaiveDate>,
    pub status: HandoffStatus,
    pub reason: Option<String>,
    pub outcome: Option<HandoffOutcome>,
    pub result: Option<String>,
    pub accepted_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
}

impl Handoff {
    /// Where it went, in words: the body's name, else its kind or the
    /// receiving station.
    pub fn whereto(&self, lang: crate::i18n::Lang) -> String {
        match self.kind {
            HandoffKind::Referral => self
                .agency
                .clone()
                .or_else(|| self.target.map(|t| t.label(lang).to_owned()))
                .unwrap_or_default(),
            _ => self
                .to_name
                .clone()
                .unwrap_or_else(|| self.kind.label(lang).to_owned()),
        }
    }

    /// Whether its answer is overdue on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }
}

/// A step of a handoff, with what it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub to: HandoffStatus,
    /// Why it was rejected or withdrawn (required for a rejection).
    pub reason: Option<String>,
    /// How it ended (required when done).
    pub outcome: Option<HandoffOutcome>,
    /// What came of it, in words (the award, the agreement).
    pub result: Option<String>,
    /// The body's reference number, when it gives one on accepting.
    pub reference: Option<String>,
    /// A new due date for the next answer (cleared when it concludes).
    pub due: Option<NaiveDate>,
    /// The day the step happened (station date).
    pub on: NaiveDate,
}

impl Step {
    /// A step with nothing more to record.
    pub fn to(to: HandoffStatus, on: NaiveDate) -> Step {
        Step {
            to,
            reason: None,
            outcome: None,
            result: None,
            reference: None,
            due: None,
            on,
        }
    }
}

fn date_value(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| d.to_string().into())
}

fn text(field: Field, s: Option<&str>) -> Result<Option<String>> {
    Ok(match s {
        Some(s) => clean_optional(field, s, TEXT_MAX)?,
        None => None,
    })
}

fn text_value(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

impl Writer<'_> {
    /// Refers, escalates or hands over a case. Only a station that holds
    /// the case may: the one that opened it, or one it was handed to and
    /// that accepted it. A referral also becomes the case's referral (what
    /// the kiosk tells the worker); a due date becomes the case's
    /// follow-up when the case has none sooner.
    pub fn hand_off(
        &mut self,
        case: CaseId,
        h: &NewHandoff,
        to_station: Option<StationId>,
    ) -> Result<HandoffId> {
        self.hand_off_with_id(HandoffId::new(), case, h, to_station)
    }

    /// As [`Writer::hand_off`] with a given id (demo data).
    pub fn hand_off_with_id(
        &mut self,
        id: HandoffId,
        case: CaseId,
        h: &NewHandoff,
        to_station: Option<StationId>,
    ) -> Result<HandoffId> {
        let own = self.own_station()?.id;
        let held: Option<Vec<u8>> = self
            .tx()
            .prepare_cached("SELECT station_id FROM cases WHERE id = ?1")?
            .query_row([case.as_bytes()], |r| r.get(0))
            .optional()?;
        let opened_by = held.ok_or(StoreError::NotFound("case"))?;
        if opened_by != own.as_bytes() && !handed_here(self.tx(), case, own)? {
            return Err(ValidationError::HandoffNotHeld.into());
        }
        let (target, to_station) = match h.kind {
            HandoffKind::Referral => (
                Some(h.target.ok_or(ValidationError::HandoffNoTarget)?),
                None,
            ),
            _ => {
                let to = to_station.ok_or(ValidationError::HandoffNoTarget)?;
                if to == own {
                    return Err(ValidationError::HandoffToSelf.into());
                }
                let known: bool = self
                    .tx()
                    .prepare_cached("SELECT count(*) FROM stations WHERE id = ?1")?
                    .query_row([to.as_bytes()], |r| r.get::<_, i64>(0))?
                    > 0;
                if !known {
                    return Err(StoreError::NotFound("station"));
                }
                (None, Some(to))
            }
        };
        if let Some(due) = h.due {
            check_due(due, h.sent_on)?;
        }
        let agency = text(Field::Agency, h.agency.as_deref())?;
        let reference = text(Field::Reference, h.reference.as_deref())?;
        let asked = text(Field::Note, h.asked.as_deref())?;
        self.create(
            Entity::Handoff,
            &id.0,
            &[
                ("case_id", opt_id(Some(&case.0))),
                ("kind", Value::from(h.kind.code())),
                ("target", text_value(target.map(|t| t.code()))),
                ("from_station", opt_id(Some(&own.0))),
                ("to_station", opt_id(to_station.as_ref().map(|s| &s.0))),
                ("agency", text_value(agency.as_deref())),
                ("reference", text_value(reference.as_deref())),
                ("asked", text_value(asked.as_deref())),
                ("sent_on", date_value(Some(h.sent_on))),
                ("due", date_value(h.due)),
                ("status", Value::from(HandoffStatus::Sent.code())),
                ("reason", Value::Null),
                ("outcome", Value::Null),
                ("result", Value::Null),
                ("accepted_on", Value::Null),
                ("concluded_on", Value::Null),
            ],
        )?;
        if let Some(t) = target {
            self.refer(case, Some(t))?;
        }
        if let Some(due) = h.due {
            self.follow_up_by(case, due)?;
        }
        Ok(id)
    }

    /// Takes a step of a handoff: checked against its life (no step back)
    /// and against who may take it (`domain::handoff::may_take`).
    pub fn handoff_step(&mut self, id: HandoffId, step: &Step) -> Result<()> {
        let h = read(self.tx(), id)?.ok_or(StoreError::NotFound("referral"))?;
        let own = self.own_station()?.id;
        let side = if h.to_station == Some(own) {
            Side::Receiver
        } else if h.from_station == own {
            Side::Sender
        } else {
            Side::Other
        };
        let to = h.status.step(step.to)?;
        if !may_take(h.kind, side, to) {
            return Err(match side {
                Side::Other => ValidationError::HandoffNotHeld,
                _ => ValidationError::HandoffNotYours {
                    to: to.code(),
                    receiver: side == Side::Sender,
                },
            }
            .into());
        }
        let reason = text(Field::Reason, step.reason.as_deref())?;
        if to == HandoffStatus::Rejected && reason.is_none() {
            return Err(ValidationError::HandoffNoReason.into());
        }
        let result = text(Field::Note, step.result.as_deref())?;
        let reference = text(Field::Reference, step.reference.as_deref())?;
        if let Some(due) = step.due {
            check_due(due, h.sent_on)?;
        }
        let mut fields: Vec<(&'static str, Value)> = vec![("status", Value::from(to.code()))];
        match to {
            HandoffStatus::Accepted | HandoffStatus::InProgress if h.accepted_on.is_none() => {
                fields.push(("accepted_on", date_value(Some(step.on))));
            }
            _ => {}
        }
        if !to.is_open() {
            fields.push(("concluded_on", date_value(Some(step.on))));
            fields.push(("due", Value::Null));
            if h.accepted_on.is_none() && to == HandoffStatus::Done {
                fields.push(("accepted_on", date_value(Some(step.on))));
            }
        } else if let Some(due) = step.due {
            fields.push(("due", date_value(Some(due))));
        }
        if let Some(r) = reason {
            fields.push(("reason", Value::from(r)));
        }
        if to == HandoffStatus::Done {
            let outcome = step.outcome.unwrap_or(HandoffOutcome::Other);
            fields.push(("outcome", Value::from(outcome.code())));
        }
        if let Some(r) = result {
            fields.push(("result", Value::from(r)));
        }
        if let Some(r) = reference {
            fields.push(("reference", Value::from(r)));
        }
        self.update(Entity::Handoff, &id.0, &fields)?;
        if let (true, Some(due)) = (to.is_open(), step.due) {
            self.follow_up_by(h.case, due)?;
        }
        Ok(())
    }

    /// Brings the case's follow-up forward to `due` when it has none, one
    /// already past, or a later one.
    fn follow_up_by(&mut self, case: CaseId, due: NaiveDate) -> Result<()> {
        let current: Option<Option<String>> = self
            .tx()
            .prepare_cached("SELECT follow_up FROM cases WHERE id = ?1")?
            .query_row([case.as_bytes()], |r| r.get(0))
            .optional()?;
        let current = current
            .flatten()
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        let today = crate::domain::day::local_day(self.now(), self.time_zone()?);
        match current {
            Some(c) if c >= today && c <= due => Ok(()),
            _ => self.set_follow_up(case, Some(due)),
        }
    }

    /// This station's time zone (Asia/Shanghai when it names none that
    /// this build knows).
    pub(crate) fn time_zone(&mut self) -> Result<chrono_tz::Tz> {
        Ok(self
            .own_station()?
            .time_zone
            .parse()
            .unwrap_or(chrono_tz::Asia::Shanghai))
    }
}

/// Whether `case` was handed to `station` and taken on there.
fn handed_here(conn: &Connection, case: CaseId, station: StationId) -> Result<bool> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM handoffs WHERE case_id = ?1 AND to_station = ?2
               AND status IN ('accepted', 'in_progress', 'done')",
        )?
        .query_row(params![case.as_bytes(), station.as_bytes()], |r| r.get(0))?;
    Ok(n > 0)
}

const COLUMNS: &str = "h.id, h.case_id, h.kind, h.target, h.from_station, h.to_station,
    (SELECT name FROM stations WHERE id = h.from_station),
    (SELECT name FROM stations WHERE id = h.to_station),
    h.agency, h.reference, h.asked, h.sent_on, h.due, h.status, h.reason, h.outcome, h.result,
    h.accepted_on, h.concluded_on";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Handoff> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
    };
    let opt_station = |i: usize| -> rusqlite::Result<Option<StationId>> {
        match r.get::<_, Option<Vec<u8>>>(i)? {
            Some(b) => Ok(Some(id_col(&b)?)),
            None => Ok(None),
        }
    };
    Ok(Handoff {
        id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
        case: id_col(&r.get::<_, Vec<u8>>(1)?)?,
        kind: r.get(2)?,
        target: r.get(3)?,
        from_station: id_col(&r.get::<_, Vec<u8>>(4)?)?,
        to_station: opt_station(5)?,
        from_name: r.get(6)?,
        to_name: r.get(7)?,
        agency: r.get(8)?,
        reference: r.get(9)?,
        asked: r.get(10)?,
        sent_on: date(11)?.unwrap_or_default(),
        due: date(12)?,
        status: r.get(13)?,
        reason: r.get(14)?,
        outcome: r.get(15)?,
        result: r.get(16)?,
        accepted_on: date(17)?,
        concluded_on: date(18)?,
    })
}

fn read(conn: &Connection, id: HandoffId) -> Result<Option<Handoff>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM handoffs h WHERE h.id = ?1"))?
        .query_row([id.as_bytes()], row)
        .optional()?)
}

impl Store {
    /// A handoff by id.
    pub fn handoff(&self, id: HandoffId) -> Result<Option<Handoff>> {
        read(self.conn(), id)
    }

    /// A case's referrals, escalations and hand-overs, oldest first.
    pub fn handoffs_of(&self, case: CaseId) -> Result<Vec<Handoff>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM handoffs h WHERE h.case_id = ?1 ORDER BY h.sent_on, h.id"
        ))?;
        let rows = stmt.query_map([case.as_bytes()], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// "Handed to us": the cases handed to `station` that wait for it or
    /// that it works on (sent, accepted, in progress), by due date (none
    /// last), each case once.
    pub fn handed_to(&self, station: StationId, limit: usize) -> Result<Vec<CaseId>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT case_id FROM handoffs
             WHERE to_station = ?1 AND status IN ('sent', 'accepted', 'in_progress')
             ORDER BY due IS NULL, due, id",
        )?;
        let rows = stmt.query_map([station.as_bytes()], |r| r.get::<_, Vec<u8>>(0))?;
        let mut out: Vec<CaseId> = Vec::new();
        for r in rows {
            let id: CaseId = id_col(&r?)?;
            if !out.contains(&id) {
                out.push(id);
            }
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// The statutory time limits that matter to a case on `today`, soonest
    /// first (`rules/time_limits.toml`): from the day the worker knew of
    /// the infringement, the opening, and its referrals' steps.
    pub fn case_dues(
        &self,
        case: &crate::domain::case::Case,
        today: NaiveDate,
    ) -> Result<Vec<crate::domain::limits::Due<'static>>> {
        use crate::domain::limits::{builtin, dues};
        let rules = builtin().map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(dues(rules, &self.limit_facts(case)?, today))
    }

    /// What a case's time limits are worked out from.
    pub fn limit_facts(
        &self,
        case: &crate::domain::case::Case,
    ) -> Result<crate::domain::limits::Facts> {
        use crate::domain::limits::{Facts, ReferralFacts};
        let tz: chrono_tz::Tz = self
            .station()?
            .and_then(|s| s.time_zone.parse().ok())
            .unwrap_or(chrono_tz::Asia::Shanghai);
        Ok(Facts {
            case_type: case.case_type,
            open: case.status.is_open(),
            opened: crate::domain::day::local_day(case.opened_at, tz),
            infringed: case.infringed_on,
            referrals: self
                .handoffs_of(case.id)?
                .into_iter()
                .filter_map(|h| {
                    Some(ReferralFacts {
                        target: h.target?,
                        status: h.status,
                        sent_on: h.sent_on,
                        accepted_on: h.accepted_on,
                        concluded_on: h.concluded_on,
                    })
                })
                .collect(),
        })
    }

    /// The other stations a case may be handed to: those escalated to from
    /// here before first, most often first (the district office), then
    /// the rest by code.
    pub fn stations_to_hand_to(&self) -> Result<Vec<crate::domain::station::Station>> {
        let own = self.station_id()?;
        let mut all: Vec<_> = self
            .stations()?
            .into_iter()
            .filter(|s| Some(s.id) != own)
            .collect();
        let mut used: std::collections::HashMap<StationId, i64> = Default::default();
        let mut stmt = self.conn().prepare_cached(
            "SELECT to_station, count(*) FROM handoffs
             WHERE kind = 'escalation' AND to_station IS NOT NULL GROUP BY to_station",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))?;
        for r in rows {
            let (id, n) = r?;
            used.insert(id_col(&id)?, n);
        }
        // A stable sort: by code within equal use.
        all.sort_by_key(|s| std::cmp::Reverse(used.get(&s.id).copied().unwrap_or(0)));
        Ok(all)
    }

    /// How many handoffs wait for `station` to answer (sent to it, not yet
    /// accepted or rejected): the count beside the "handed to us" filter.
    pub fn waiting_for(&self, station: StationId) -> Result<u64> {
        let n: i64 = self
            .conn()
            .prepare_cached(
                "SELECT count(*) FROM handoffs WHERE to_station = ?1 AND status = 'sent'",
            )?
            .query_row([station.as_bytes()], |r| r.get(0))?;
        Ok(n as u64)
    }
}
