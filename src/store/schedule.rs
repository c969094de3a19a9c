//! Counsellors, their availability, and booked sessions.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::oplog::Entity;
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::error::{Field, ValidationError};
use crate::domain::ids::{AppointmentId, CounsellorId, ExceptionId, PersonId, RuleId};
use crate::domain::schedule::{
    Appointment, AppointmentStatus, AvailabilityException, AvailabilityRule, Counsellor,
    CounsellorKind, ExceptionKind, Recurrence, Slot, WeeksOfMonth, check_bookable, check_period,
};
use crate::domain::text::clean_text;

const TIME_FMT: &str = "%H:%M";

fn time_value(t: NaiveTime) -> Value {
    Value::from(t.format(TIME_FMT).to_string())
}

fn parse_t(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, TIME_FMT).unwrap_or_default()
}

fn parse_d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
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
    pub fn add_rule(&mut self, rule: &AvailabilityRule) -> Result<RuleId> {
        rule.validate()?;
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

    /// Books a person into a free slot of a counsellor. A slot that is not
    /// offered, or already taken, is refused.
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
        let exceptions = read_exceptions(self.tx(), counsellor, date)?;
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
        let from: Option<String> = self
            .tx()
            .query_row(
                "SELECT status FROM appointments WHERE id = ?1",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?;
        let from = from.ok_or(StoreError::NotFound("appointment"))?;
        let from = AppointmentStatus::from_code(&from).unwrap_or(AppointmentStatus::Booked);
        let to = from.transition(to)?;
        self.update(
            Entity::Appointment,
            &id.0,
            &[("status", Value::from(to.code()))],
        )
    }

    /// Sets (or clears) the follow-up date of a session.
    pub fn set_appointment_follow_up(
        &mut self,
        id: AppointmentId,
        date: Option<NaiveDate>,
    ) -> Result<()> {
        let v = date.map_or(Value::Null, |d| d.to_string().into());
        self.update(Entity::Appointment, &id.0, &[("follow_up", v)])
    }

    /// Replaces the confidential notes of a session (counsellors only: the
    /// console checks the role before calling this).
    pub fn set_appointment_notes(&mut self, id: AppointmentId, notes: &str) -> Result<()> {
        let notes =
            crate::domain::text::clean_multiline(Field::Note, notes, super::cases::NOTE_MAX);
        let v = match notes {
            Ok(n) => Value::from(n),
            Err(ValidationError::TextEmpty { .. }) => Value::Null,
            Err(e) => return Err(e.into()),
        };
        self.update(Entity::Appointment, &id.0, &[("notes", v)])
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
                kind: CounsellorKind::from_code(&r.get::<_, String>(2)?)
                    .unwrap_or(CounsellorKind::Psychological),
                active: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The free slots of a counsellor on a date.
    pub fn free_slots(&self, counsellor: CounsellorId, date: NaiveDate) -> Result<Vec<Slot>> {
        let rules = read_rules(self.conn(), counsellor)?;
        let exceptions = read_exceptions(self.conn(), counsellor, date)?;
        let taken: Vec<NaiveTime> = self
            .appointments_on(counsellor, date)?
            .into_iter()
            .filter(|a| a.status.holds_slot())
            .map(|a| a.start)
            .collect();
        Ok(crate::domain::schedule::slots_on(&rules, &exceptions, date)
            .into_iter()
            .filter(|s| !taken.contains(&s.start))
            .collect())
    }

    /// A counsellor's appointments on a date, by time.
    pub fn appointments_on(
        &self,
        counsellor: CounsellorId,
        date: NaiveDate,
    ) -> Result<Vec<Appointment>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, counsellor_id, person_id, date, start, end, status, follow_up, notes
             FROM appointments WHERE counsellor_id = ?1 AND date = ?2 ORDER BY start",
        )?;
        let rows = stmt.query_map(params![counsellor.as_bytes(), date.to_string()], |r| {
            Ok(Appointment {
                id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
                counsellor: id_col(&r.get::<_, Vec<u8>>(1)?)?,
                person: id_col(&r.get::<_, Vec<u8>>(2)?)?,
                date: parse_d(&r.get::<_, String>(3)?),
                start: parse_t(&r.get::<_, String>(4)?),
                end: parse_t(&r.get::<_, String>(5)?),
                status: AppointmentStatus::from_code(&r.get::<_, String>(6)?)
                    .unwrap_or(AppointmentStatus::Booked),
                follow_up: r.get::<_, Option<String>>(7)?.map(|d| parse_d(&d)),
                notes: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
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
            start: parse_t(&start),
            end: parse_t(&end),
            slot_minutes: minutes,
            valid_from: parse_d(&from),
            valid_until: until.map(|u| parse_d(&u)),
        });
    }
    Ok(out)
}

fn read_exceptions(
    conn: &Connection,
    counsellor: CounsellorId,
    date: NaiveDate,
) -> Result<Vec<AvailabilityException>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, start, end, slot_minutes FROM availability_exceptions
         WHERE counsellor_id = ?1 AND date = ?2 AND active = 1",
    )?;
    let rows = stmt.query_map(params![counsellor.as_bytes(), date.to_string()], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<u32>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, start, end, minutes) = row?;
        let period = start.zip(end).map(|(s, e)| (parse_t(&s), parse_t(&e)));
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
            date,
            kind,
        });
    }
    Ok(out)
}
