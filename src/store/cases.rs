//! Cases: opening with a minted case number, the workflow, claimants, notes
//! and the timeline read back from the operation log.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

use super::claimants::{ClaimantRef, NewClaimant, check_amount};
use super::oplog::{Entity, OP_CREATE, ops_of};
use super::search::case_terms;
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::case::{
    Case, CaseNumber, CaseStatus, CaseType, CloseReason, HardshipKind, Outcome, Referral,
};
use crate::domain::error::{Field, ValidationError};
use crate::domain::ids::{CaseId, NoteId, PersonId, StaffId};
use crate::domain::money::Fen;
use crate::domain::text::{clean_multiline, clean_optional};

/// Longest note, in characters.
pub const NOTE_MAX: usize = 4000;

/// What is needed to open a case.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCase {
    pub case_type: CaseType,
    pub hardship_kind: Option<HardshipKind>,
    /// Who claims, known or registered with the case, each with the
    /// amount owed to him when known per claimant.
    pub claimants: Vec<NewClaimant>,
    pub respondent: Option<String>,
    pub summary: Option<String>,
    /// The amount claimed for the whole case; where claimants carry their
    /// own amounts it is their sum (0 or the sum may be given).
    pub claimed: Fen,
    pub handler: Option<StaffId>,
    pub follow_up: Option<NaiveDate>,
    pub opened_at: DateTime<Utc>,
}

/// A change of a case's status.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusChange {
    /// New, in progress, waiting, or back to in progress (reopen).
    To(CaseStatus),
    /// Resolved, with how it ended and the total recovered.
    Resolve { outcome: Outcome, recovered: Fen },
    /// Resolved, with how it ended and what each claimant got back (the
    /// case total is their sum).
    ResolveEach {
        outcome: Outcome,
        recovered: Vec<(PersonId, Fen)>,
    },
    /// Closed without resolution, with the reason.
    Close { reason: CloseReason },
}

fn date_value(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| d.to_string().into())
}

fn text_value(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

impl Writer<'_> {
    /// Opens a case: mints the next case number of this station for the
    /// year of opening (station time), and records the claimants.
    pub fn open_case(&mut self, c: &NewCase) -> Result<(CaseId, CaseNumber)> {
        self.open_case_with_id(CaseId::new(), c)
    }

    /// As [`Writer::open_case`] with a given id (demo data).
    pub fn open_case_with_id(&mut self, id: CaseId, c: &NewCase) -> Result<(CaseId, CaseNumber)> {
        if c.claimants.is_empty() {
            return Err(ValidationError::NoClaimant.into());
        }
        check_amount(c.claimed)?;
        for k in &c.claimants {
            if let Some(f) = k.claimed {
                check_amount(f)?;
            }
        }
        // Where the claimants carry their own amounts, the case claims
        // their sum.
        let claimed = if c.claimants.iter().any(|k| k.claimed.is_some()) {
            let sum = Fen::saturating_sum(c.claimants.iter().filter_map(|k| k.claimed));
            check_amount(sum)?;
            if c.claimed.0 != 0 && c.claimed != sum {
                return Err(ValidationError::AmountsPerClaimant {
                    sum: sum.yuan_string(),
                }
                .into());
            }
            sum
        } else {
            c.claimed
        };
        self.check_handler(c.handler)?;
        let respondent = match &c.respondent {
            Some(r) => clean_optional(Field::Respondent, r, 100)?,
            None => None,
        };
        let summary = match &c.summary {
            Some(s) => clean_optional(Field::Note, s, 500)?,
            None => None,
        };
        let station = self.own_station()?;
        let tz: chrono_tz::Tz = station
            .time_zone
            .parse()
            .unwrap_or(chrono_tz::Asia::Shanghai);
        let year = c.opened_at.with_timezone(&tz).year();
        let opened = crate::domain::day::local_day(c.opened_at, tz);
        if let Some(date) = c.follow_up
            && date < opened
        {
            return Err(ValidationError::FollowUpBeforeOpening { date, opened }.into());
        }
        let seq: u32 = self
            .tx()
            .prepare_cached(
                "SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE code = ?1 AND year = ?2",
            )?
            .query_row(params![station.code, year], |r| r.get(0))?;
        let number = CaseNumber {
            code: station.code.clone(),
            year,
            seq,
        };
        let respondent_id = match &respondent {
            Some(name) => Some(self.respondent_for(name)?),
            None => None,
        };
        self.create(
            Entity::Case,
            &id.0,
            &[
                ("code", Value::from(number.code.as_str())),
                ("year", Value::from(year)),
                ("seq", Value::from(seq)),
                ("station_id", opt_id(Some(&station.id.0))),
                ("case_type", Value::from(c.case_type.code())),
                (
                    "hardship_kind",
                    text_value(c.hardship_kind.map(|h| h.code())),
                ),
                ("status", Value::from(CaseStatus::New.code())),
                ("summary", text_value(summary.as_deref())),
                ("respondent", text_value(respondent.as_deref())),
                ("claimed", Value::from(claimed.0)),
                ("recovered", Value::from(0)),
                ("handler", opt_id(c.handler.as_ref().map(|h| &h.0))),
                ("follow_up", date_value(c.follow_up)),
                ("referral", Value::Null),
                ("outcome", Value::Null),
                ("close_reason", Value::Null),
                ("opened_at", Value::from(c.opened_at.timestamp_millis())),
                ("concluded_at", Value::Null),
                (
                    "respondent_id",
                    opt_id(respondent_id.as_ref().map(|r| &r.0)),
                ),
            ],
        )?;
        self.reindex(&id.0, &[], &case_terms(respondent.as_deref()))?;
        let mut seen = std::collections::HashSet::new();
        for k in &c.claimants {
            let person = match &k.person {
                ClaimantRef::Known(p) => *p,
                ClaimantRef::New(details) => self.add_person(details)?,
            };
            if !seen.insert(person) {
                let name = self
                    .tx()
                    .query_row(
                        "SELECT name FROM people WHERE id = ?1",
                        [person.as_bytes()],
                        |r| r.get(0),
                    )
                    .optional()?
                    .unwrap_or_default();
                return Err(ValidationError::ClaimantTwice { name }.into());
            }
            self.add_claimant_owed(id, person, k.claimed)?;
        }
        Ok((id, number))
    }

    fn case_status(&self, case: CaseId) -> Result<CaseStatus> {
        // A status this build does not know is StoreError::Newer (codes.rs).
        let s: Option<CaseStatus> = self
            .tx()
            .prepare_cached("SELECT status FROM cases WHERE id = ?1")?
            .query_row([case.as_bytes()], |r| r.get(0))
            .optional()?;
        s.ok_or(StoreError::NotFound("case"))
    }

    /// Moves a case along its workflow; a refused move changes nothing.
    pub fn set_status(
        &mut self,
        case: CaseId,
        change: StatusChange,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let from = self.case_status(case)?;
        let at_ms = Value::from(at.timestamp_millis());
        let fields: Vec<(&'static str, Value)> = match change {
            StatusChange::To(to) => {
                let to = from.transition(to)?;
                let mut f = vec![("status", Value::from(to.code()))];
                if !from.is_open() {
                    f.push(("outcome", Value::Null));
                    f.push(("close_reason", Value::Null));
                    f.push(("concluded_at", Value::Null));
                }
                f
            }
            StatusChange::Resolve { outcome, recovered } => {
                from.transition(CaseStatus::Resolved)?;
                check_amount(recovered)?;
                self.check_case_amounts(case, None, Some(recovered))?;
                vec![
                    ("status", Value::from(CaseStatus::Resolved.code())),
                    ("outcome", Value::from(outcome.code())),
                    ("recovered", Value::from(recovered.0)),
                    ("concluded_at", at_ms),
                ]
            }
            StatusChange::ResolveEach { outcome, recovered } => {
                from.transition(CaseStatus::Resolved)?;
                for (person, got) in &recovered {
                    let claimed = self.claimant_claimed(case, *person)?;
                    self.set_claimant_amounts_only(case, *person, claimed, Some(*got))?;
                }
                let (_, sum) = super::claimants::derived_totals(self.tx(), case.as_bytes())?;
                let sum = check_amount(Fen(sum.unwrap_or(0)))?;
                vec![
                    ("status", Value::from(CaseStatus::Resolved.code())),
                    ("outcome", Value::from(outcome.code())),
                    ("recovered", Value::from(sum.0)),
                    ("concluded_at", at_ms),
                ]
            }
            StatusChange::Close { reason } => {
                from.transition(CaseStatus::Closed)?;
                vec![
                    ("status", Value::from(CaseStatus::Closed.code())),
                    ("close_reason", Value::from(reason.code())),
                    ("concluded_at", at_ms),
                ]
            }
        };
        self.update(Entity::Case, &case.0, &fields)
    }

    /// Appends a note to a case timeline.
    pub fn add_note(&mut self, case: CaseId, body: &str) -> Result<NoteId> {
        self.add_note_with_id(NoteId::new(), case, body)
    }

    /// As [`Writer::add_note`] with a given id (demo data, imports).
    pub fn add_note_with_id(&mut self, id: NoteId, case: CaseId, body: &str) -> Result<NoteId> {
        let body = clean_multiline(Field::Note, body, NOTE_MAX)?;
        self.case_status(case)?;
        self.create(
            Entity::Note,
            &id.0,
            &[
                ("case_id", opt_id(Some(&case.0))),
                ("body", Value::from(body)),
            ],
        )?;
        Ok(id)
    }

    /// Sets (or clears) the next follow-up date.
    /// A follow-up is never before the case's opening day (in the
    /// station's zone), whoever sets it.
    pub fn set_follow_up(&mut self, case: CaseId, date: Option<NaiveDate>) -> Result<()> {
        if let Some(date) = date {
            let opened_ms: Option<i64> = self
                .tx()
                .prepare_cached("SELECT opened_at FROM cases WHERE id = ?1")?
                .query_row([case.as_bytes()], |r| r.get(0))
                .optional()?;
            let opened_ms = opened_ms.ok_or(StoreError::NotFound("case"))?;
            let tz: chrono_tz::Tz = self
                .own_station()?
                .time_zone
                .parse()
                .unwrap_or(chrono_tz::Asia::Shanghai);
            let opened = chrono::DateTime::from_timestamp_millis(opened_ms)
                .map(|t| crate::domain::day::local_day(t, tz));
            if let Some(opened) = opened
                && date < opened
            {
                return Err(ValidationError::FollowUpBeforeOpening { date, opened }.into());
            }
        }
        self.update(Entity::Case, &case.0, &[("follow_up", date_value(date))])
    }

    /// Sets (or clears) the day the worker knew of the infringement, where
    /// the arbitration time limit runs from; never a day ahead of today
    /// (the station's date).
    pub fn set_infringed_on(&mut self, case: CaseId, date: Option<NaiveDate>) -> Result<()> {
        if let Some(date) = date {
            let today = crate::domain::day::local_day(self.now(), self.time_zone()?);
            crate::domain::case::check_infringed(date, today)?;
        }
        self.case_status(case)?;
        self.update(Entity::Case, &case.0, &[("infringed_on", date_value(date))])
    }

    /// Assigns (or unassigns) the staff member handling a case.
    pub fn assign(&mut self, case: CaseId, handler: Option<StaffId>) -> Result<()> {
        self.check_handler(handler)?;
        self.update(
            Entity::Case,
            &case.0,
            &[("handler", opt_id(handler.as_ref().map(|h| &h.0)))],
        )
    }

    /// A case's handler works on cases (`Act::Cases`: not a volunteer), as
    /// the staff table says inside the write, whoever asks.
    fn check_handler(&self, handler: Option<StaffId>) -> Result<()> {
        let Some(id) = handler else {
            return Ok(());
        };
        let row: Option<(String, crate::domain::staff::Role)> = self
            .tx()
            .prepare_cached("SELECT name, role FROM staff WHERE id = ?1")?
            .query_row([id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (name, role) = row.ok_or(StoreError::NotFound("staff member"))?;
        if crate::domain::access::Act::Cases.allows(role) {
            Ok(())
        } else {
            Err(crate::domain::ValidationError::NotAHandler { name }.into())
        }
    }

    /// Records where a case was referred (or clears it).
    pub fn refer(&mut self, case: CaseId, to: Option<Referral>) -> Result<()> {
        self.update(
            Entity::Case,
            &case.0,
            &[("referral", text_value(to.map(|r| r.code())))],
        )
    }

    /// Changes the amounts claimed and recovered.
    pub fn set_amounts(&mut self, case: CaseId, claimed: Fen, recovered: Fen) -> Result<()> {
        check_amount(claimed)?;
        check_amount(recovered)?;
        self.check_case_amounts(case, Some(claimed), Some(recovered))?;
        self.update(
            Entity::Case,
            &case.0,
            &[
                ("claimed", Value::from(claimed.0)),
                ("recovered", Value::from(recovered.0)),
            ],
        )
    }

    /// Changes the respondent (employer): as typed, linked to the
    /// register's respondent of that name or code (a new one registered
    /// when there is none); blank clears it.
    pub fn set_respondent(&mut self, case: CaseId, respondent: &str) -> Result<()> {
        let new = clean_optional(Field::Respondent, respondent, 100)?;
        let id = match &new {
            Some(name) => Some(self.respondent_for(name)?),
            None => None,
        };
        self.set_respondent_text(case, new.as_deref().unwrap_or(""), id)
    }

    /// Sets the respondent's name as shown on the case and its link.
    pub(crate) fn set_respondent_text(
        &mut self,
        case: CaseId,
        respondent: &str,
        id: Option<crate::domain::ids::RespondentId>,
    ) -> Result<()> {
        let new = clean_optional(Field::Respondent, respondent, 100)?;
        type Row = (Option<String>, Option<Vec<u8>>);
        let old: Option<Row> = self
            .tx()
            .query_row(
                "SELECT respondent, respondent_id FROM cases WHERE id = ?1",
                [case.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (old, old_id) = old.ok_or(StoreError::NotFound("case"))?;
        let mut fields = vec![("respondent", text_value(new.as_deref()))];
        if old_id.as_deref() != id.as_ref().map(|r| &r.as_bytes()[..]) {
            fields.push(("respondent_id", opt_id(id.as_ref().map(|r| &r.0))));
        }
        self.update(Entity::Case, &case.0, &fields)?;
        self.reindex(
            &case.0,
            &case_terms(old.as_deref()),
            &case_terms(new.as_deref()),
        )
    }
}

/// One line of a case timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// Name of the staff member who made the change, if known.
    pub actor: Option<String>,
    pub event: TimelineEvent,
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineEvent {
    Opened,
    /// A field got a new value (as logged).
    Changed {
        field: String,
        value: Value,
    },
    Note(String),
    ClaimantAdded(String),
    ClaimantRemoved(String),
    /// A claimant's own amounts changed: each is None when this change
    /// left it as it was, Some(None) when it was cleared.
    ClaimantAmounts {
        name: String,
        claimed: Option<Option<Fen>>,
        recovered: Option<Option<Fen>>,
    },
    /// A referral, escalation or hand-over sent (`status` Sent) or a step
    /// of one; `whereto` names the body or station as it stands now.
    Handoff {
        /// The record as it stands now (its kind, where it went).
        handoff: Box<super::Handoff>,
        /// None: a change that is no step (a new due date, a reference).
        status: Option<crate::domain::handoff::HandoffStatus>,
        reason: Option<String>,
        outcome: Option<crate::domain::handoff::HandoffOutcome>,
        result: Option<String>,
        due: Option<NaiveDate>,
    },
}

impl Store {
    /// A case by id.
    pub fn case(&self, id: CaseId) -> Result<Option<Case>> {
        read_case(self.conn(), id)
    }

    /// The fields a case was opened with, as logged when it was created
    /// (empty when the creation is not in the log).
    pub fn case_opening(&self, case: CaseId) -> Result<serde_json::Map<String, Value>> {
        Ok(ops_of(self.conn(), &case.0)?
            .into_iter()
            .find(|o| o.entity == Entity::Case && o.kind == OP_CREATE)
            .map(|o| o.fields)
            .unwrap_or_default())
    }

    /// The timeline of a case, oldest first: every change, note and
    /// claimant change, with who made it and when, read from the log.
    pub fn case_timeline(&self, case: CaseId) -> Result<Vec<TimelineEntry>> {
        let conn = self.conn();
        let mut ops = ops_of(conn, &case.0)?;
        let handoffs: std::collections::HashMap<Uuid, super::Handoff> = self
            .handoffs_of(case)?
            .into_iter()
            .map(|h| (h.id.0, h))
            .collect();
        for id in handoffs.keys() {
            ops.extend(ops_of(conn, id)?);
        }
        for table in ["case_claimants", "case_notes"] {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT id FROM {table} WHERE case_id = ?1"))?;
            let ids = stmt.query_map([case.as_bytes()], |r| r.get::<_, Vec<u8>>(0))?;
            for id in ids {
                if let Ok(id) = Uuid::from_slice(&id?) {
                    ops.extend(ops_of(conn, &id)?);
                }
            }
        }
        ops.sort_by_key(|o| (o.hlc, o.origin));
        let mut out = Vec::with_capacity(ops.len());
        for op in ops {
            let actor = match op.actor {
                Some(a) => self.staff_name(a)?,
                None => None,
            };
            let at = op.hlc.to_datetime();
            let mut push = |event| {
                out.push(TimelineEntry {
                    at,
                    actor: actor.clone(),
                    event,
                })
            };
            match op.entity {
                Entity::Case if op.kind == OP_CREATE => push(TimelineEvent::Opened),
                Entity::Case => {
                    for (field, value) in op.fields {
                        push(TimelineEvent::Changed { field, value });
                    }
                }
                Entity::Note => {
                    let body = op.fields.get("body").and_then(Value::as_str).unwrap_or("");
                    push(TimelineEvent::Note(body.to_owned()));
                }
                Entity::Handoff => {
                    let Some(h) = handoffs.get(&op.id) else {
                        continue;
                    };
                    let text =
                        |f: &str| op.fields.get(f).and_then(Value::as_str).map(str::to_owned);
                    let code = |f: &str| op.fields.get(f).and_then(Value::as_str);
                    let status = if op.kind == OP_CREATE {
                        Some(crate::domain::handoff::HandoffStatus::Sent)
                    } else {
                        code("status").and_then(crate::domain::handoff::HandoffStatus::from_code)
                    };
                    push(TimelineEvent::Handoff {
                        handoff: Box::new(h.clone()),
                        status,
                        reason: text("reason"),
                        outcome: code("outcome")
                            .and_then(crate::domain::handoff::HandoffOutcome::from_code),
                        result: text("result")
                            .or_else(|| text("asked"))
                            .or_else(|| text("reference")),
                        due: code("due")
                            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                    });
                }
                Entity::Claimant => {
                    let person = claimant_person_name(conn, &op.id)?;
                    let amount = |f: &str| {
                        op.fields
                            .get(f)
                            .map(|v| v.as_i64().map(Fen))
                            .filter(|_| op.kind != OP_CREATE)
                    };
                    let (claimed, recovered) = (amount("claimed"), amount("recovered"));
                    match op.fields.get("removed").and_then(Value::as_bool) {
                        Some(true) => push(TimelineEvent::ClaimantRemoved(person.clone())),
                        Some(false) => push(TimelineEvent::ClaimantAdded(person.clone())),
                        None => {}
                    }
                    if claimed.is_some() || recovered.is_some() {
                        push(TimelineEvent::ClaimantAmounts {
                            name: person,
                            claimed,
                            recovered,
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

fn claimant_person_name(conn: &Connection, claimant: &Uuid) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT p.name FROM case_claimants k JOIN people p ON p.id = k.person_id WHERE k.id = ?1",
            [claimant.as_bytes()],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

pub(crate) fn read_case(conn: &Connection, id: CaseId) -> Result<Option<Case>> {
    let time = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let date = |s: Option<String>| s.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    Ok(conn
        .prepare_cached(
            "SELECT code, year, seq, station_id, case_type, hardship_kind, status, summary,
                    respondent, claimed, recovered, handler, follow_up, referral, outcome,
                    close_reason, opened_at, concluded_at, respondent_id, infringed_on
             FROM cases WHERE id = ?1",
        )?
        .query_row([id.as_bytes()], |r| {
            Ok(Case {
                id,
                number: CaseNumber {
                    code: r.get(0)?,
                    year: r.get(1)?,
                    seq: r.get(2)?,
                },
                station: id_col(&r.get::<_, Vec<u8>>(3)?)?,
                case_type: r.get::<_, CaseType>(4)?,
                hardship_kind: r.get::<_, Option<HardshipKind>>(5)?,
                status: r.get::<_, CaseStatus>(6)?,
                summary: r.get(7)?,
                respondent: r.get(8)?,
                claimed: Fen(r.get(9)?),
                recovered: Fen(r.get(10)?),
                handler: match r.get::<_, Option<Vec<u8>>>(11)? {
                    Some(b) => Some(id_col(&b)?),
                    None => None,
                },
                follow_up: date(r.get(12)?),
                referral: r.get::<_, Option<Referral>>(13)?,
                outcome: r.get::<_, Option<Outcome>>(14)?,
                close_reason: r.get::<_, Option<CloseReason>>(15)?,
                opened_at: time(r.get(16)?),
                concluded_at: r.get::<_, Option<i64>>(17)?.map(time),
                respondent_id: match r.get::<_, Option<Vec<u8>>>(18)? {
                    Some(b) => Some(id_col(&b)?),
                    None => None,
                },
                infringed_on: date(r.get(19)?),
            })
        })
        .optional()?)
}

#[cfg(test)]
mod handler_tests {
    use super::*;
    use crate::domain::staff::Role;

    #[test]
    fn a_volunteer_is_no_handler_whoever_asks() {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        let mut w = s.begin(None).unwrap();
        let vol = w.add_staff("小李", Role::Volunteer).unwrap();
        let clerk = w.add_staff("王芳", Role::Staff).unwrap();
        let p = w
            .add_person(
                &crate::domain::person::PersonInput {
                    name: "张三".into(),
                    ..Default::default()
                }
                .validate()
                .unwrap(),
            )
            .unwrap();
        let case = |handler| NewCase {
            case_type: crate::domain::case::CaseType::WageArrears,
            hardship_kind: None,
            claimants: vec![p.into()],
            respondent: None,
            summary: None,
            claimed: crate::domain::money::Fen(0),
            handler,
            follow_up: None,
            opened_at: chrono::Utc::now(),
        };
        let e = w.open_case(&case(Some(vol))).unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(ValidationError::NotAHandler { name }) if name == "小李"),
            "{e:?}"
        );
        let (id, _) = w.open_case(&case(Some(clerk))).unwrap();
        assert!(w.assign(id, Some(vol)).is_err());
        // A follow-up before the opening day is refused, whoever sets it.
        let opened = crate::domain::day::local_day(chrono::Utc::now(), chrono_tz::Asia::Shanghai);
        let before = opened.pred_opt().unwrap();
        assert!(matches!(
            w.set_follow_up(id, Some(before)),
            Err(StoreError::Invalid(
                ValidationError::FollowUpBeforeOpening { .. }
            ))
        ));
        w.set_follow_up(id, Some(opened)).unwrap();
        w.assign(id, None).unwrap();
        w.assign(id, Some(clerk)).unwrap();
        w.commit().unwrap();
    }
}
