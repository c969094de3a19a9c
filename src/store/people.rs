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
        let now = self.now();
        self.add_person_with_id(PersonId::new(), details, now)
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

    /// Everyone registered with this mobile number, oldest registration
    /// first: a family may share one phone (a couple, a father and son on
    /// one platform account). Reads the `search_terms` key (kind MOBILE,
    /// the number), then each person by id: no table is scanned.
    pub fn people_by_mobile(&self, mobile: &Mobile) -> Result<Vec<Person>> {
        let ids = term_ids(
            self.conn(),
            super::search::term::MOBILE,
            mobile.as_str(),
            None,
        )?;
        // A person merged into another is that one (`store/merge.rs`).
        let mut people: Vec<Person> = Vec::with_capacity(ids.len());
        for id in ids {
            let shown = super::merge::survivor_of(self.conn(), &id)?;
            if people.iter().any(|p| p.id.0 == shown) {
                continue;
            }
            people.extend(read_person(self.conn(), &shown)?);
        }
        Ok(people)
    }

    /// The names of the others than `person` registered with `mobile` (a
    /// family sharing a phone), in the key's order (UUIDv7: registration
    /// order): what a person's details and a list of people say beside
    /// them. One range of the `search_terms` key and each one's name.
    pub fn mobile_sharers(&self, person: PersonId, mobile: &Mobile) -> Result<Vec<String>> {
        // Records merged into one another are one person, not a family.
        let me = super::merge::survivor_of(self.conn(), &person.0)?;
        let mut seen = vec![me];
        let mut names = Vec::new();
        for id in term_ids(
            self.conn(),
            super::search::term::MOBILE,
            mobile.as_str(),
            Some(usize::MAX),
        )? {
            let shown = super::merge::survivor_of(self.conn(), &id)?;
            if seen.contains(&shown) {
                continue;
            }
            seen.push(shown);
            names.extend(read_person(self.conn(), &shown)?.map(|p| p.details.name));
        }
        Ok(names)
    }

    /// The people whose name is exactly `name` (as the lookup compares
    /// names: normalised, any case): how many, and the first `show` of
    /// them, oldest registration first. One range of the `search_terms`
    /// key (kind NAME, the whole name), O(log n) however many people the
    /// station holds.
    pub fn people_named(&self, name: &str, show: usize) -> Result<Namesakes> {
        let Ok(name) = crate::domain::person::parse_name(name) else {
            return Ok(Namesakes::default());
        };
        let term = name.to_lowercase();
        // A person merged into another is not one more namesake.
        let count: i64 = self
            .conn()
            .prepare_cached(
                "SELECT count(*) FROM search_terms t WHERE t.kind = ?1 AND t.term = ?2
                   AND NOT EXISTS (SELECT 1 FROM person_survivor s WHERE s.id = t.id)",
            )?
            .query_row(rusqlite::params![super::search::term::NAME, term], |r| {
                r.get(0)
            })?;
        let count = u64::try_from(count).unwrap_or(0);
        let mut first = Vec::new();
        if count > 0 && show > 0 {
            let merged = |id: &Uuid| -> Result<bool> {
                Ok(super::merge::survivor_of(self.conn(), id)? != *id)
            };
            // The first `show` who are not merged into someone: a few more
            // rows of the key read when some are.
            let mut take = show;
            loop {
                let ids = term_ids(self.conn(), super::search::term::NAME, &term, Some(take))?;
                let got = ids.len();
                first.clear();
                for id in ids {
                    if !merged(&id)? && first.len() < show {
                        first.extend(read_person(self.conn(), &id)?);
                    }
                }
                if first.len() >= show || got < take {
                    break;
                }
                take = take.saturating_mul(2);
            }
        }
        Ok(Namesakes { count, first })
    }
}

/// People of one exact name: how many, and the first few.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Namesakes {
    pub count: u64,
    pub first: Vec<Person>,
}

/// The ids of the people with term `term` of `kind`: all of them, oldest
/// registration first, or (`show`) the first few in the key's order
/// (UUIDv7: registration order too, without reading the rows), so a name
/// shared by hundreds reads no more than it shows.
fn term_ids(conn: &Connection, kind: i64, term: &str, show: Option<usize>) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(if show.is_some() {
        "SELECT id FROM search_terms WHERE kind = ?1 AND term = ?2 ORDER BY id"
    } else {
        "SELECT t.id FROM search_terms t JOIN people p ON p.id = t.id
         WHERE t.kind = ?1 AND t.term = ?2 ORDER BY p.created_at, t.id"
    })?;
    let rows = stmt.query_map(rusqlite::params![kind, term], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for row in rows {
        if show.is_some_and(|n| out.len() >= n) {
            break;
        }
        if let Ok(id) = Uuid::from_slice(&row?) {
            out.push(id);
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The holders of a number and the namesakes of a name are read from
    /// one range of the lookup key, whatever the size of the station.
    #[test]
    fn both_read_the_lookup_key_and_scan_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        let d = crate::domain::person::PersonInput {
            name: "刘洋".into(),
            mobile: "13812345678".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        s.write(|w| w.add_person(&d)).unwrap();
        let plan = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Vec<String> {
            s.conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(args, |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let sharers = plan(
            "SELECT q.name FROM search_terms t JOIN people q ON q.id = t.id
             WHERE t.kind = ?1 AND t.term = ?2 AND t.id <> ?3",
            &[&7, &"13812345678", &vec![0u8; 16]],
        );
        assert!(
            sharers.iter().all(|p| !p.starts_with("SCAN")),
            "{sharers:?}"
        );
        for sql in [
            "SELECT id FROM search_terms WHERE kind = ?1 AND term = ?2 ORDER BY id",
            "SELECT count(*) FROM search_terms WHERE kind = ?1 AND term = ?2",
            "SELECT t.id FROM search_terms t JOIN people p ON p.id = t.id
             WHERE t.kind = ?1 AND t.term = ?2 ORDER BY p.created_at, t.id",
        ] {
            let plan: Vec<String> = s
                .conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(rusqlite::params![7, "13812345678"], |r| {
                    r.get::<_, String>(3)
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(
                plan.iter().all(|p| !p.starts_with("SCAN")),
                "{sql}: {plan:?}"
            );
        }
        let m = Mobile::parse("13812345678").unwrap();
        assert_eq!(s.people_by_mobile(&m).unwrap().len(), 1);
    }
}
