//! Counsellors, their availability, and booked sessions.
//!
//! A session's notes are confidential: only a counsellor reads or writes
//! them, through [`Store::session_notes`] and [`Store::save_session_notes`].
//! No other read here selects the column, so nothing built on these reads
//! (the week and day views, lists, exports, figures) can carry them.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::audit::AuditAction;
use super::oplog::Entity;
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::access::Act;
use crate::domain::error::{Field, ValidationError};
use crate::domain::ids::{AppointmentId, CounsellorId, ExceptionId, PersonId, RuleId};
use crate::domain::schedule::{
    Appointment, AppointmentStatus, AvailabilityException, AvailabilityRule, Counsellor,
    CounsellorKind, ExceptionKind, Recurrence, Slot, WeeksOfMonth, check_bookable, check_period,
    check_started,
};
use crate::domain::text::clean_text;

const TIME_FMT: &str = "%H:%M";

fn time_value(t: NaiveTime) -> Value {
    Value::from(t.format(TIME_FMT).to_string())
}

/// A stored time; one this build cannot read is an error (written by a
/// newer version), never midnight.
fn parse_t(s: &str) -> rusqlite::Result<NaiveTime> {
    NaiveTime::parse_from_str(s, TIME_FMT).map_err(|_| unreadable(["时间", "time"], s))
}

/// A stored date; one this build cannot read is an error, never 1970-01-01.
fn parse_d(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| unreadable(["日期", "date"], s))
}

fn unreadable(what: [&'static str; 2], s: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        Box::new(super::codes::NewerCode {
            what,
            code: s.to_owned(),
        }),
    )
}

impl Writer<'_> {
    /// Adds a counsellor or volunteer lawyer.
    pub fn add_counsellor(&mut self, name: &str, kind: CounsellorKind) -> Result<CounsellorId> {
        self.add_counsellor_with_id(CounsellorId::new(), name, kind)
    }

    /// As [`Writer::add_counsellor`] with a given id (demo data, imports).
    pub fn add_counsellor_with_id(
        &mut self,
        id: CounsellorId,
        name: &str,
        kind: CounsellorKind,
    ) -> Result<CounsellorId> {
        let name = clean_text(Field::CounsellorName, name, 50)?;
        self.create(
            Entity::Counsellor,
            &id.0,
            &[
                ("name", Value::from(name)),
                ("kind", Value::from(kind.code())),
                ("active", Value::Bool(true)),
            ],
        )?;
        Ok(id)
    }

    /// Adds a recurring availability rule after checking it.
    /// A rule that overlaps one the counsellor already has (the same hours
    /// twice, or overlapping ones) is refused.
    pub fn add_rule(&mut self, rule: &AvailabilityRule) -> Result<RuleId> {
        rule.validate()?;
        let existing = read_rules(self.tx(), rule.counsellor)?;
        if let Some(other) = existing.iter().find(|r| r.overlaps(rule)) {
            let day = match other.recurrence {
                Recurrence::Weekly(d) | Recurrence::Monthly(d, _) => d,
            };
            return Err(ValidationError::RuleOverlaps {
                weekday: day,
                start: other.start.format(TIME_FMT).to_string(),
                end: other.end.format(TIME_FMT).to_string(),
            }
            .into());
        }
        let (weekday, weeks) = match rule.recurrence {
            Recurrence::Weekly(d) => (d, 0),
            Recurrence::Monthly(d, w) => (d, w.bits()),
        };
        self.create(
            Entity::Rule,
            &rule.id.0,
            &[
                ("counsellor_id", opt_id(Some(&rule.counsellor.0))),
                ("weekday", Value::from(weekday.number_from_monday())),
                ("weeks", Value::from(weeks)),
                ("start", time_value(rule.start)),
                ("end", time_value(rule.end)),
                ("slot_minutes", Value::from(rule.slot_minutes)),
                ("valid_from", Value::from(rule.valid_from.to_string())),
                (
                    "valid_until",
                    rule.valid_until
                        .map_or(Value::Null, |d| d.to_string().into()),
                ),
                ("active", Value::Bool(true)),
            ],
        )?;
        Ok(rule.id)
    }

    /// Ends a rule (it no longer produces slots).
    pub fn remove_rule(&mut self, rule: RuleId) -> Result<()> {
        self.update(Entity::Rule, &rule.0, &[("active", Value::Bool(false))])
    }

    /// Adds an exception to a counsellor's availability.
    pub fn add_exception(&mut self, e: &AvailabilityException) -> Result<ExceptionId> {
        let (kind, start, end, minutes) = match e.kind {
            ExceptionKind::Unavailable(None) => ("off", None, None, None),
            ExceptionKind::Unavailable(Some((s, t))) => {
                check_period(s, t)?;
                ("off", Some(s), Some(t), None)
            }
            ExceptionKind::Extra(s, t, m) => {
                check_period(s, t)?;
                if !(10..=240).contains(&m) {
                    return Err(ValidationError::SlotLength.into());
                }
                ("extra", Some(s), Some(t), Some(m))
            }
        };
        self.create(
            Entity::Exception,
            &e.id.0,
            &[
                ("counsellor_id", opt_id(Some(&e.counsellor.0))),
                ("date", Value::from(e.date.to_string())),
                ("kind", Value::from(kind)),
                ("start", start.map_or(Value::Null, time_value)),
                ("end", end.map_or(Value::Null, time_value)),
                ("slot_minutes", minutes.map_or(Value::Null, Value::from)),
                ("active", Value::Bool(true)),
            ],
        )?;
        Ok(e.id)
    }

    /// Withdraws an exception (its day is as the rules say again).
    pub fn remove_exception(&mut self, id: ExceptionId) -> Result<()> {
        self.update(Entity::Exception, &id.0, &[("active", Value::Bool(false))])
    }

    /// Marks a counsellor active or not. An inactive counsellor keeps the
    /// sessions booked, but is offered for no new one.
    pub fn set_counsellor_active(&mut self, id: CounsellorId, active: bool) -> Result<()> {
        self.update(
            Entity::Counsellor,
            &id.0,
            &[("active", Value::Bool(active))],
        )
    }

    /// Books a person into a free slot of a counsellor. A slot that is not
    /// offered, or already taken, is refused; so is one that overlaps
    /// another session of the same person that day (with any counsellor).
    pub fn book(
        &mut self,
        counsellor: CounsellorId,
        person: PersonId,
        date: NaiveDate,
        slot: Slot,
        booked_at: DateTime<Utc>,
    ) -> Result<AppointmentId> {
        self.book_with_id(
            AppointmentId::new(),
            counsellor,
            person,
            date,
            slot,
            booked_at,
        )
    }

    /// As [`Writer::book`] with a given id (demo data, imports).
    pub fn book_with_id(
        &mut self,
        id: AppointmentId,
        counsellor: CounsellorId,
        person: PersonId,
        date: NaiveDate,
        slot: Slot,
        booked_at: DateTime<Utc>,
    ) -> Result<AppointmentId> {
        let rules = read_rules(self.tx(), counsellor)?;
        let exceptions = read_exceptions(self.tx(), counsellor, date, date)?;
        check_bookable(&rules, &exceptions, date, slot)?;
        let taken: Option<i64> = self
            .tx()
            .prepare_cached(
                "SELECT 1 FROM appointments WHERE counsellor_id = ?1 AND date = ?2 AND start = ?3
                 AND status <> 'cancelled'",
            )?
            .query_row(
                params![
                    counsellor.as_bytes(),
                    date.to_string(),
                    slot.start.format(TIME_FMT).to_string()
                ],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(ValidationError::SlotTaken.into());
        }
        // The person's other sessions that day: times are "HH:MM" text, so
        // they compare as times.
        let clash: Option<(String, String, Option<String>)> = self
            .tx()
            .prepare_cached(
                "SELECT a.start, a.end, (SELECT name FROM counsellors WHERE id = a.counsellor_id)
                 FROM appointments a
                 WHERE a.person_id = ?1 AND a.date = ?2 AND a.start < ?3 AND a.end > ?4
                 AND a.status <> 'cancelled'
                 ORDER BY a.start LIMIT 1",
            )?
            .query_row(
                params![
                    person.as_bytes(),
                    date.to_string(),
                    slot.end.format(TIME_FMT).to_string(),
                    slot.start.format(TIME_FMT).to_string()
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((start, end, counsellor)) = clash {
            return Err(ValidationError::PersonDoubleBooked {
                counsellor: counsellor.unwrap_or_default(),
                start,
                end,
            }
            .into());
        }
        self.create(
            Entity::Appointment,
            &id.0,
            &[
                ("counsellor_id", opt_id(Some(&counsellor.0))),
                ("person_id", opt_id(Some(&person.0))),
                ("date", Value::from(date.to_string())),
                ("start", time_value(slot.start)),
                ("end", time_value(slot.end)),
                ("status", Value::from(AppointmentStatus::Booked.code())),
                ("follow_up", Value::Null),
                ("notes", Value::Null),
                ("booked_at", Value::from(booked_at.timestamp_millis())),
            ],
        )?;
        Ok(id)
    }

    /// Moves an appointment along (arrived, done, no-show, cancelled).
    pub fn set_appointment_status(
        &mut self,
        id: AppointmentId,
        to: AppointmentStatus,
    ) -> Result<()> {
        let from: Option<AppointmentStatus> = self
            .tx()
            .query_row(
                "SELECT status FROM appointments WHERE id = ?1",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?;
        let from = from.ok_or(StoreError::NotFound("appointment"))?;
        let to = from.transition(to)?;
        self.update(
            Entity::Appointment,
            &id.0,
            &[("status", Value::from(to.code()))],
        )
    }

    /// As [`Writer::set_appointment_status`], for a person at the desk:
    /// arrived, done and no-show are refused before the session has
    /// started (`now` in station time).
    pub fn mark_appointment(
        &mut self,
        id: AppointmentId,
        to: AppointmentStatus,
        now: NaiveDateTime,
    ) -> Result<()> {
        let when: Option<(String, String)> = self
            .tx()
            .query_row(
                "SELECT date, start FROM appointments WHERE id = ?1",
                [id.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (date, start) = when.ok_or(StoreError::NotFound("appointment"))?;
        check_started(to, parse_d(&date)?.and_time(parse_t(&start)?), now)?;
        self.set_appointment_status(id, to)
    }

    /// Sets (or clears) the follow-up date of a session; a date before the
    /// session is refused.
    pub fn set_appointment_follow_up(
        &mut self,
        id: AppointmentId,
        date: Option<NaiveDate>,
    ) -> Result<()> {
        if let Some(follow_up) = date {
            let session: Option<String> = self
                .tx()
                .query_row(
                    "SELECT date FROM appointments WHERE id = ?1",
                    [id.as_bytes()],
                    |r| r.get(0),
                )
                .optional()?;
            let session = parse_d(&session.ok_or(StoreError::NotFound("appointment"))?)?;
            if follow_up < session {
                return Err(ValidationError::FollowUpBeforeSession {
                    session: session.to_string(),
                }
                .into());
            }
        }
        let v = date.map_or(Value::Null, |d| d.to_string().into());
        self.update(Entity::Appointment, &id.0, &[("follow_up", v)])
    }

    /// Replaces the confidential notes of a session, whoever writes: the
    /// demo generator and imports. People at a console save notes through
    /// [`Store::save_session_notes`], which asks for the counsellor role.
    pub fn set_appointment_notes(&mut self, id: AppointmentId, notes: &str) -> Result<()> {
        let v = clean_notes(notes)?;
        self.update(Entity::Appointment, &id.0, &[("notes", v)])
    }
}

/// The stored value of typed notes: cleaned text, or null when blank.
fn clean_notes(notes: &str) -> Result<Value> {
    match crate::domain::text::clean_multiline(Field::Note, notes, super::cases::NOTE_MAX) {
        Ok(n) => Ok(Value::from(n)),
        Err(ValidationError::TextEmpty { .. }) => Ok(Value::Null),
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// Refused unless whoever is signed in may read and write session
    /// notes (counsellors; nobody when no one is signed in).
    fn check_notes_allowed(&self) -> Result<()> {
        match self.session() {
            Some(s) if s.may(Act::SessionNotes) => Ok(()),
            _ => Err(StoreError::NotAllowed(Act::SessionNotes)),
        }
    }

    /// The confidential notes of a session (`None`: none written yet), for
    /// the counsellor signed in; anyone else is refused. Each read is in
    /// the audit log (`view` of `appointment:<id>`), written in the same
    /// transaction as the read: notes that cannot be traced are not shown.
    pub fn session_notes(&mut self, id: AppointmentId) -> Result<Option<String>> {
        self.check_notes_allowed()?;
        let mut w = self.begin(None)?;
        let notes: Option<Option<String>> = w
            .tx()
            .prepare_cached("SELECT notes FROM appointments WHERE id = ?1")?
            .query_row([id.as_bytes()], |r| r.get(0))
            .optional()?;
        let notes = notes.ok_or(StoreError::NotFound("appointment"))?;
        w.record_audit(
            AuditAction::View,
            super::audit::About::Record(super::Entity::Appointment, id.0),
            &serde_json::json!({ "field": "notes" }),
        )?;
        w.commit()?;
        Ok(notes)
    }

    /// Replaces the notes of a session (blank text clears them), for the
    /// counsellor signed in; anyone else is refused. Notes as they already
    /// stand are not written again (the log stays free of empty changes).
    /// Saving is in the operation log like every change.
    pub fn save_session_notes(&mut self, id: AppointmentId, text: &str) -> Result<()> {
        self.check_notes_allowed()?;
        let v = clean_notes(text)?;
        let mut w = self.begin(None)?;
        let stored: Option<Option<String>> = w
            .tx()
            .prepare_cached("SELECT notes FROM appointments WHERE id = ?1")?
            .query_row([id.as_bytes()], |r| r.get(0))
            .optional()?;
        let stored = stored.ok_or(StoreError::NotFound("appointment"))?;
        if stored.as_deref() == v.as_str() {
            return Ok(());
        }
        w.update(Entity::Appointment, &id.0, &[("notes", v)])?;
        w.commit()
    }
}

impl Store {
    /// All counsellors, by name.
    pub fn counsellors(&self) -> Result<Vec<Counsellor>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name, kind, active FROM counsellors ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Counsellor {
                id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
                name: r.get(1)?,
                kind: r.get::<_, CounsellorKind>(2)?,
                active: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The free slots of a counsellor on a date.
    pub fn free_slots(&self, counsellor: CounsellorId, date: NaiveDate) -> Result<Vec<Slot>> {
        let rules = read_rules(self.conn(), counsellor)?;
        let exceptions = read_exceptions(self.conn(), counsellor, date, date)?;
        let taken = taken_slots(self.conn(), counsellor, date, date)?;
        Ok(crate::domain::schedule::slots_on(&rules, &exceptions, date)
            .into_iter()
            .filter(|s| !taken.contains(&(date, s.start)))
            .collect())
    }

    /// A counsellor's appointments on a date, by time.
    pub fn appointments_on(
        &self,
        counsellor: CounsellorId,
        date: NaiveDate,
    ) -> Result<Vec<Appointment>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, counsellor_id, person_id, date, start, end, status, follow_up
             FROM appointments WHERE counsellor_id = ?1 AND date = ?2 ORDER BY start",
        )?;
        let rows = stmt.query_map(
            params![counsellor.as_bytes(), date.to_string()],
            row_to_appointment,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The appointments from `from` to `to_inclusive` (of one counsellor, or
    /// of all), with the names a day or week view shows, by date and time
    /// (then counsellor). Cancelled ones are included, as in
    /// [`Store::appointments_on`]: their status says so.
    pub fn appointments_between(
        &self,
        from: NaiveDate,
        to_inclusive: NaiveDate,
        counsellor: Option<CounsellorId>,
    ) -> Result<Vec<AppointmentRow>> {
        // Names are scalar subqueries, not LEFT JOINs (see store/search.rs).
        const COLS: &str = "SELECT a.id, a.counsellor_id, a.person_id, a.date, a.start, a.end,
                    a.status, a.follow_up,
                    (SELECT name FROM people WHERE id = coalesce((SELECT survivor FROM person_survivor WHERE id = a.person_id), a.person_id)),
                    (SELECT name FROM counsellors WHERE id = a.counsellor_id),
                    (SELECT kind FROM counsellors WHERE id = a.counsellor_id)
             FROM appointments a";
        let (from, to) = (from.to_string(), to_inclusive.to_string());
        let mut stmt;
        let rows = match counsellor {
            Some(c) => {
                stmt = self.conn().prepare_cached(&format!(
                    "{COLS} WHERE a.counsellor_id = ?1 AND a.date >= ?2 AND a.date <= ?3
                     ORDER BY a.date, a.start"
                ))?;
                stmt.query_map(params![c.as_bytes(), from, to], row_to_appointment_row)?
            }
            None => {
                stmt = self.conn().prepare_cached(&format!(
                    "{COLS} WHERE a.date >= ?1 AND a.date <= ?2
                     ORDER BY a.date, a.start, a.counsellor_id"
                ))?;
                stmt.query_map(params![from, to], row_to_appointment_row)?
            }
        };
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The first free slot at or after `from` (station time), within
    /// `horizon_days` days starting with `from`'s date (at most 366): of one
    /// counsellor, or of any active counsellor of a kind (the earliest
    /// slot; between counsellors free at the same time, the first by
    /// name). A slot that has already started on `from`'s date is skipped.
    /// An inactive counsellor has none; an unknown one is an error.
    pub fn next_free_slot(
        &self,
        who: SlotFilter,
        from: NaiveDateTime,
        horizon_days: u32,
    ) -> Result<Option<(CounsellorId, NaiveDate, Slot)>> {
        let days = horizon_days.min(366);
        if days == 0 {
            return Ok(None);
        }
        let conn = self.conn();
        let first = from.date();
        let last = first + Duration::days(i64::from(days) - 1);
        let candidates: Vec<CounsellorId> = match who {
            SlotFilter::Counsellor(c) => {
                let active: Option<bool> = conn
                    .prepare_cached("SELECT active FROM counsellors WHERE id = ?1")?
                    .query_row([c.as_bytes()], |r| r.get(0))
                    .optional()?;
                match active {
                    None => return Err(StoreError::NotFound("counsellor")),
                    Some(true) => vec![c],
                    Some(false) => Vec::new(),
                }
            }
            SlotFilter::Kind(k) => {
                let mut stmt = conn.prepare_cached(
                    "SELECT id, active FROM counsellors WHERE kind = ?1 ORDER BY name, id",
                )?;
                let rows = stmt.query_map([k.code()], |r| {
                    Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, bool>(1)?))
                })?;
                let mut out = Vec::new();
                for row in rows {
                    let (id, active) = row?;
                    if active {
                        out.push(id_col(&id)?);
                    }
                }
                out
            }
        };
        // Rules, exceptions and bookings of the whole horizon, read once per
        // counsellor; the days are then cut in memory.
        let mut plans = Vec::with_capacity(candidates.len());
        for c in candidates {
            let rules = read_rules(conn, c)?;
            let exceptions = read_exceptions(conn, c, first, last)?;
            if rules.is_empty()
                && !exceptions
                    .iter()
                    .any(|e| matches!(e.kind, ExceptionKind::Extra(..)))
            {
                continue;
            }
            let taken = taken_slots(conn, c, first, last)?;
            plans.push((c, rules, exceptions, taken));
        }
        for day in 0..days {
            let date = first + Duration::days(i64::from(day));
            let mut best: Option<(CounsellorId, Slot)> = None;
            for (c, rules, exceptions, taken) in &plans {
                let free = crate::domain::schedule::slots_on(rules, exceptions, date)
                    .into_iter()
                    .filter(|s| date > first || s.start >= from.time())
                    .find(|s| !taken.contains(&(date, s.start)));
                if let Some(s) = free
                    && best.is_none_or(|(_, b)| s.start < b.start)
                {
                    best = Some((*c, s));
                }
            }
            if let Some((c, s)) = best {
                return Ok(Some((c, date, s)));
            }
        }
        Ok(None)
    }

    /// The active availability rules of a counsellor, by weekday and time.
    pub fn rules_of(&self, counsellor: CounsellorId) -> Result<Vec<AvailabilityRule>> {
        let mut rules = read_rules(self.conn(), counsellor)?;
        rules.sort_by_key(|r| {
            let day = match r.recurrence {
                Recurrence::Weekly(d) | Recurrence::Monthly(d, _) => d.num_days_from_monday(),
            };
            (day, r.start, r.end, r.id)
        });
        Ok(rules)
    }

    /// The active exceptions of a counsellor on `from` or later, by date
    /// and time.
    pub fn exceptions_of(
        &self,
        counsellor: CounsellorId,
        from: NaiveDate,
    ) -> Result<Vec<AvailabilityException>> {
        // Dates are compared as text: the last four-digit year is the end.
        let end = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(from);
        read_exceptions(self.conn(), counsellor, from, end)
    }
}

/// Which counsellors [`Store::next_free_slot`] looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotFilter {
    /// This counsellor.
    Counsellor(CounsellorId),
    /// Any active counsellor of this kind.
    Kind(CounsellorKind),
}

/// An appointment with the names a day or week view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentRow {
    pub appointment: Appointment,
    pub person_name: String,
    pub counsellor_name: String,
    pub counsellor_kind: CounsellorKind,
}

fn row_to_appointment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
        counsellor: id_col(&r.get::<_, Vec<u8>>(1)?)?,
        person: id_col(&r.get::<_, Vec<u8>>(2)?)?,
        date: parse_d(&r.get::<_, String>(3)?)?,
        start: parse_t(&r.get::<_, String>(4)?)?,
        end: parse_t(&r.get::<_, String>(5)?)?,
        status: r.get::<_, AppointmentStatus>(6)?,
        follow_up: r
            .get::<_, Option<String>>(7)?
            .map(|d| parse_d(&d))
            .transpose()?,
    })
}

fn row_to_appointment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AppointmentRow> {
    Ok(AppointmentRow {
        appointment: row_to_appointment(r)?,
        person_name: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
        counsellor_name: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
        counsellor_kind: r
            .get::<_, Option<String>>(10)?
            .and_then(|k| CounsellorKind::from_code(&k))
            .unwrap_or(CounsellorKind::Psychological),
    })
}

/// The (date, start) of the sessions of a counsellor that hold their slot,
/// from `from` to `to` inclusive.
fn taken_slots(
    conn: &Connection,
    counsellor: CounsellorId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashSet<(NaiveDate, NaiveTime)>> {
    // The status is tested here, not in SQL: `status <> 'cancelled'` would
    // bring in the partial index appointments_slot.
    let mut stmt = conn.prepare_cached(
        "SELECT date, start, status FROM appointments
         WHERE counsellor_id = ?1 AND date >= ?2 AND date <= ?3",
    )?;
    let rows = stmt.query_map(
        params![counsellor.as_bytes(), from.to_string(), to.to_string()],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut out = HashSet::new();
    for row in rows {
        let (date, start, status) = row?;
        let holds = AppointmentStatus::from_code(&status).is_none_or(|s| s.holds_slot());
        if holds {
            out.insert((parse_d(&date)?, parse_t(&start)?));
        }
    }
    Ok(out)
}

fn read_rules(conn: &Connection, counsellor: CounsellorId) -> Result<Vec<AvailabilityRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, weekday, weeks, start, end, slot_minutes, valid_from, valid_until
         FROM availability_rules WHERE counsellor_id = ?1 AND active = 1",
    )?;
    let rows = stmt.query_map([counsellor.as_bytes()], |r| {
        let weekday: u8 = r.get(1)?;
        let weeks: u8 = r.get(2)?;
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            weekday,
            weeks,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, u32>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, weekday, weeks, start, end, minutes, from, until) = row?;
        let day = Weekday::try_from(weekday.saturating_sub(1))
            .map_err(|_| StoreError::Corrupt("availability rule with a bad weekday".into()))?;
        let recurrence = if weeks == 0 {
            Recurrence::Weekly(day)
        } else {
            Recurrence::Monthly(day, WeeksOfMonth::from_bits(weeks)?)
        };
        out.push(AvailabilityRule {
            id: id_col(&id)?,
            counsellor,
            recurrence,
            start: parse_t(&start)?,
            end: parse_t(&end)?,
            slot_minutes: minutes,
            valid_from: parse_d(&from)?,
            valid_until: until.map(|u| parse_d(&u)).transpose()?,
        });
    }
    Ok(out)
}

/// The active exceptions of a counsellor from `from` to `to` inclusive, by
/// date and time.
fn read_exceptions(
    conn: &Connection,
    counsellor: CounsellorId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AvailabilityException>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date, kind, start, end, slot_minutes FROM availability_exceptions
         WHERE counsellor_id = ?1 AND date >= ?2 AND date <= ?3 AND active = 1
         ORDER BY date, start, id",
    )?;
    let rows = stmt.query_map(
        params![counsellor.as_bytes(), from.to_string(), to.to_string()],
        |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<u32>>(5)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, date, kind, start, end, minutes) = row?;
        let period = match start.zip(end) {
            Some((s, e)) => Some((parse_t(&s)?, parse_t(&e)?)),
            None => None,
        };
        let kind = match (kind.as_str(), period, minutes) {
            ("extra", Some((s, e)), Some(m)) => ExceptionKind::Extra(s, e, m),
            ("off", p, _) => ExceptionKind::Unavailable(p),
            _ => {
                return Err(StoreError::Corrupt(
                    "availability exception of unknown kind".into(),
                ));
            }
        };
        out.push(AvailabilityException {
            id: id_col(&id)?,
            counsellor,
            date: parse_d(&date)?,
            kind,
        });
    }
    Ok(out)
}
