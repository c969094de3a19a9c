//! People: registration, changes, and reading them back.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;
use uuid::Uuid;

use super::oplog::Entity;
use super::search::person_terms;
use super::{Result, Store, StoreError, Writer};
use crate::domain::ids::PersonId;
use crate::domain::person::{Person, PersonDetails, Trade};
use crate::domain::{Mobile, ResidentId};

fn fields(d: &PersonDetails) -> Vec<(&'static str, Value)> {
    vec![
        ("name", Value::from(d.name.as_str())),
        (
            "mobile",
            d.mobile.as_ref().map_or(Value::Null, |m| m.as_str().into()),
        ),
        (
            "resident_id",
            d.resident_id
                .as_ref()
                .map_or(Value::Null, |r| r.as_str().into()),
        ),
        ("trade", Value::from(d.trade.code())),
        (
            "employer",
            d.employer.as_deref().map_or(Value::Null, Value::from),
        ),
        ("union_member", Value::Bool(d.union_member)),
        (
            "union_joined",
            d.union_joined.map_or(Value::Null, |j| j.to_string().into()),
        ),
    ]
}

fn terms_of(d: &PersonDetails) -> Vec<(i64, String)> {
    person_terms(
        &d.name,
        d.mobile.as_ref().map(Mobile::as_str),
        d.resident_id.as_ref().map(ResidentId::as_str),
    )
}

impl Writer<'_> {
    /// Registers a new person.
    pub fn add_person(&mut self, details: &PersonDetails) -> Result<PersonId> {
        self.add_person_with_id(PersonId::new(), details, Utc::now())
    }

    /// Registers a person with a given id and registration time (demo data).
    pub fn add_person_with_id(
        &mut self,
        id: PersonId,
        details: &PersonDetails,
        created_at: DateTime<Utc>,
    ) -> Result<PersonId> {
        let mut f = fields(details);
        f.push(("created_at", Value::from(created_at.timestamp_millis())));
        self.create(Entity::Person, &id.0, &f)?;
        self.reindex(&id.0, &[], &terms_of(details))?;
        Ok(id)
    }

    /// Changes a person's details; only the fields that differ are logged.
    pub fn update_person(&mut self, id: PersonId, details: &PersonDetails) -> Result<()> {
        let old = read_person(self.tx(), &id.0)?.ok_or(StoreError::NotFound("person"))?;
        let new_fields = fields(details);
        let old_fields = fields(&old.details);
        let changed: Vec<_> = new_fields
            .into_iter()
            .zip(old_fields)
            .filter(|(n, o)| n.1 != o.1)
            .map(|(n, _)| n)
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        self.update(Entity::Person, &id.0, &changed)?;
        self.reindex(&id.0, &terms_of(&old.details), &terms_of(details))
    }
}

impl Store {
    /// A person by id.
    pub fn person(&self, id: PersonId) -> Result<Option<Person>> {
        read_person(self.conn(), &id.0)
    }

    /// The person with this mobile number, if one is registered.
    pub fn person_by_mobile(&self, mobile: &Mobile) -> Result<Option<Person>> {
        let id: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT id FROM search_terms WHERE kind = ?1 AND term = ?2 LIMIT 1")?
            .query_row(
                rusqlite::params![super::search::term::MOBILE, mobile.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        match id.and_then(|b| Uuid::from_slice(&b).ok()) {
            Some(id) => read_person(self.conn(), &id),
            None => Ok(None),
        }
    }
}

/// Reads one person row.
pub(crate) fn read_person(conn: &Connection, id: &Uuid) -> Result<Option<Person>> {
    let p = conn
        .prepare_cached(
            "SELECT name, mobile, resident_id, trade, employer, union_member, union_joined
             FROM people WHERE id = ?1",
        )?
        .query_row([id.as_bytes()], |r| {
            Ok(Person {
                id: PersonId(*id),
                details: PersonDetails {
                    name: r.get(0)?,
                    mobile: r.get::<_, Option<String>>(1)?.and_then(Mobile::from_stored),
                    resident_id: r
                        .get::<_, Option<String>>(2)?
                        .and_then(ResidentId::from_stored),
                    trade: r.get::<_, Trade>(3)?,
                    employer: r.get(4)?,
                    union_member: r.get(5)?,
                    union_joined: r
                        .get::<_, Option<String>>(6)?
                        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                },
            })
        })
        .optional()?;
    Ok(p)
}
