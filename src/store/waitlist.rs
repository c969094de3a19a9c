//! The counselling waitlist: workers waiting for a counselling or legal
//! session in a week that is full.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use super::oplog::Entity;
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::error::{Field, ValidationError};
use crate::domain::ids::{CounsellorId, PersonId, WaitlistId};
use crate::domain::schedule::{CounsellorKind, WaitlistStatus, monday_of};
use crate::domain::text::clean_optional;

/// Longest waitlist note, in characters.
pub const WAITLIST_NOTE_MAX: usize = 200;

/// One entry of the waitlist, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistRow {
    pub id: WaitlistId,
    pub person: PersonId,
    /// The person's name.
    pub name: String,
    /// The counsellor asked for, if any (otherwise any of `kind`).
    pub counsellor: Option<CounsellorId>,
    pub counsellor_name: Option<String>,
    pub kind: CounsellorKind,
    /// Monday of the week the person waits for.
    pub week: NaiveDate,
    pub note: Option<String>,
    pub status: WaitlistStatus,
    pub added_at: DateTime<Utc>,
}

impl Writer<'_> {
    /// Puts a person on the waitlist for a session of `kind` (with one
    /// counsellor, or any) in the week that holds `week_monday` (any day of
    /// the week may be given; the Monday is kept). Refused when the
    /// counsellor gives another kind of help.
    pub fn add_to_waitlist(
        &mut self,
        person: PersonId,
        counsellor: Option<CounsellorId>,
        kind: CounsellorKind,
        week_monday: NaiveDate,
        note: Option<&str>,
    ) -> Result<WaitlistId> {
        let note = match note {
            Some(n) => clean_optional(Field::Note, n, WAITLIST_NOTE_MAX)?,
            None => None,
        };
        let known: Option<i64> = self
            .tx()
            .prepare_cached("SELECT 1 FROM people WHERE id = ?1")?
            .query_row([person.as_bytes()], |r| r.get(0))
            .optional()?;
        known.ok_or(StoreError::NotFound("person"))?;
        if let Some(c) = counsellor {
            let theirs: Option<String> = self
                .tx()
                .prepare_cached("SELECT kind FROM counsellors WHERE id = ?1")?
                .query_row([c.as_bytes()], |r| r.get(0))
                .optional()?;
            let theirs = theirs.ok_or(StoreError::NotFound("counsellor"))?;
            if CounsellorKind::from_code(&theirs) != Some(kind) {
                return Err(ValidationError::CounsellorKind.into());
            }
        }
        let id = WaitlistId::new();
        let added_at = self.now();
        self.create(
            Entity::Waitlist,
            &id.0,
            &[
                ("person_id", opt_id(Some(&person.0))),
                ("counsellor_id", opt_id(counsellor.as_ref().map(|c| &c.0))),
                ("kind", Value::from(kind.code())),
                ("week", Value::from(monday_of(week_monday).to_string())),
                ("note", note.map_or(Value::Null, Value::from)),
                ("status", Value::from(WaitlistStatus::Waiting.code())),
                ("added_at", Value::from(added_at.timestamp_millis())),
            ],
        )?;
        Ok(id)
    }

    /// Marks a waitlist entry booked or withdrawn, or puts it back to
    /// waiting (see [`WaitlistStatus::transition`]).
    pub fn set_waitlist_status(&mut self, id: WaitlistId, to: WaitlistStatus) -> Result<()> {
        let from: Option<WaitlistStatus> = self
            .tx()
            .prepare_cached("SELECT status FROM waitlist WHERE id = ?1")?
            .query_row([id.as_bytes()], |r| r.get(0))
            .optional()?;
        let from = from.ok_or(StoreError::NotFound("waitlist entry"))?;
        let to = from.transition(to)?;
        self.update(
            Entity::Waitlist,
            &id.0,
            &[("status", Value::from(to.code()))],
        )
    }
}

const ROW: &str = "SELECT w.id, w.person_id, (SELECT name FROM people WHERE id = coalesce((SELECT survivor FROM person_survivor WHERE id = w.person_id), w.person_id)),
        w.counsellor_id, (SELECT name FROM counsellors WHERE id = w.counsellor_id), w.kind,
        w.week, w.note, w.status, w.added_at
     FROM waitlist w";

impl Store {
    /// The people waiting (status waiting), of one kind or all, oldest
    /// first. Reads the waiting range of `waitlist_by_status` in order.
    pub fn waitlist(&self, kind: Option<CounsellorKind>) -> Result<Vec<WaitlistRow>> {
        let conn = self.conn();
        let mut stmt;
        let rows = match kind {
            Some(k) => {
                stmt = conn.prepare_cached(&format!(
                    "{ROW} WHERE w.status = 'waiting' AND w.kind = ?1 ORDER BY w.added_at, w.id"
                ))?;
                stmt.query_map([k.code()], read_row)?
            }
            None => {
                stmt = conn.prepare_cached(&format!(
                    "{ROW} WHERE w.status = 'waiting' ORDER BY w.added_at, w.id"
                ))?;
                stmt.query_map([], read_row)?
            }
        };
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One waitlist entry, whatever its status.
    pub fn waitlist_entry(&self, id: WaitlistId) -> Result<Option<WaitlistRow>> {
        read_entry(self.conn(), id)
    }
}

fn read_entry(conn: &Connection, id: WaitlistId) -> Result<Option<WaitlistRow>> {
    Ok(conn
        .prepare_cached(&format!("{ROW} WHERE w.id = ?1"))?
        .query_row([id.as_bytes()], read_row)
        .optional()?)
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WaitlistRow> {
    Ok(WaitlistRow {
        id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
        person: id_col(&r.get::<_, Vec<u8>>(1)?)?,
        name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        counsellor: match r.get::<_, Option<Vec<u8>>>(3)? {
            Some(b) => Some(id_col(&b)?),
            None => None,
        },
        counsellor_name: r.get(4)?,
        kind: r.get::<_, CounsellorKind>(5)?,
        week: NaiveDate::parse_from_str(&r.get::<_, String>(6)?, "%Y-%m-%d").unwrap_or_default(),
        note: r.get(7)?,
        status: r.get::<_, WaitlistStatus>(8)?,
        added_at: DateTime::from_timestamp_millis(r.get(9)?).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The waiting list is one range of `waitlist_by_status`, in order.
    #[test]
    fn the_waiting_list_is_an_index_range() {
        let store = Store::open_in_memory().unwrap();
        for sql in [
            format!(
                "{ROW} WHERE w.status = 'waiting' AND w.kind = 'legal' ORDER BY w.added_at, w.id"
            ),
            format!("{ROW} WHERE w.status = 'waiting' ORDER BY w.added_at, w.id"),
        ] {
            let mut stmt = store
                .conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map([], |r| r.get(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let plan = plan.join("; ");
            assert!(
                plan.contains("SEARCH w USING INDEX waitlist_by_status (status=?)"),
                "{plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        }
    }
}
