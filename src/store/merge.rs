//! One worker registered twice (two stations that had not synced, a
//! clerk who did not find him): merging person B into person A is an
//! operation in the log, a change of B's `merged_into` field, so it
//! reaches every replica like any edit, in any order, and is undone by
//! another (setting it back to nothing). Nothing is deleted: B's record,
//! visits, cases and sessions stay as they were written; every read that
//! shows or counts people goes through the **survivor** of each person
//! (`person_survivor`): B is shown and counted as A.
//!
//! The survivor is a function of the folded `merged_into` fields alone:
//! follow `merged_into` from a person while it names a person this
//! database has; where the chain ends is the survivor. Two stations that
//! merged A into B and B into A apart make a cycle: the person of the
//! cycle with the smallest id survives, everywhere. Chains (C into B into
//! A) end at A. A merge naming a person not here yet waits: B stands
//! alone until A arrives, then the table is brought up to date.
//!
//! The table is kept per connected group (the people linked by
//! `merged_into` either way): whenever a person's record is written (a
//! local merge or undo, or a rebuild by sync), the survivors of its group
//! are worked out again. A survivor depends only on the chain after a
//! person, and every person whose chain passes through the one that
//! changed is in its group.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

use super::oplog::{Entity, Writer};
use super::{Result, Store, StoreError};
use crate::domain::access::Act;
use crate::domain::ids::PersonId;
use crate::domain::person::PersonDetails;

/// The person `id` was merged into, if it names one this database has.
fn held_target(conn: &Connection, id: &Uuid) -> Result<Option<Uuid>> {
    let target: Option<Option<Vec<u8>>> = conn
        .prepare_cached(
            "SELECT p.merged_into FROM people p
             WHERE p.id = ?1 AND EXISTS (SELECT 1 FROM people t WHERE t.id = p.merged_into)",
        )?
        .query_row([id.as_bytes()], |r| r.get(0))
        .optional()?;
    Ok(target.flatten().and_then(|b| Uuid::from_slice(&b).ok()))
}

/// Brings `person_survivor` up to date for the group of `id`.
pub(crate) fn refresh_survivors(conn: &Connection, id: &Uuid) -> Result<()> {
    // The group: linked by merged_into either way.
    let mut group: BTreeSet<Uuid> = BTreeSet::from([*id]);
    let mut queue = VecDeque::from([*id]);
    let mut next: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    while let Some(x) = queue.pop_front() {
        if let Some(t) = held_target(conn, &x)? {
            next.insert(x, t);
            if group.insert(t) {
                queue.push_back(t);
            }
        }
        let before: Vec<Vec<u8>> = conn
            .prepare_cached("SELECT id FROM people WHERE merged_into = ?1")?
            .query_map([x.as_bytes()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for b in before {
            if let Ok(b) = Uuid::from_slice(&b)
                && group.insert(b)
            {
                queue.push_back(b);
            }
        }
    }
    let mut delete = conn.prepare_cached("DELETE FROM person_survivor WHERE id = ?1")?;
    let mut insert =
        conn.prepare_cached("INSERT INTO person_survivor (id, survivor) VALUES (?1, ?2)")?;
    for m in &group {
        delete.execute([m.as_bytes()])?;
        let s = survivor_in(&next, *m);
        if s != *m {
            insert.execute(params![m.as_bytes(), s.as_bytes()])?;
        }
    }
    Ok(())
}

/// Where the chain from `m` ends; in a cycle, its smallest id.
fn survivor_in(next: &BTreeMap<Uuid, Uuid>, m: Uuid) -> Uuid {
    let mut seen = vec![m];
    let mut at = m;
    while let Some(&t) = next.get(&at) {
        if let Some(i) = seen.iter().position(|s| *s == t) {
            return seen[i..].iter().copied().min().unwrap_or(t);
        }
        seen.push(t);
        at = t;
    }
    at
}

/// The survivor of `id`: itself unless merged.
pub(crate) fn survivor_of(conn: &Connection, id: &Uuid) -> Result<Uuid> {
    let s: Option<Vec<u8>> = conn
        .prepare_cached("SELECT survivor FROM person_survivor WHERE id = ?1")?
        .query_row([id.as_bytes()], |r| r.get(0))
        .optional()?;
    Ok(s.and_then(|b| Uuid::from_slice(&b).ok()).unwrap_or(*id))
}

/// Where `person_survivor` differs from what the folded `merged_into`
/// fields say (for `check`).
pub(crate) fn survivor_problems(conn: &Connection) -> Result<Vec<String>> {
    let links: Vec<(Vec<u8>, Vec<u8>)> = conn
        .prepare(
            "SELECT p.id, p.merged_into FROM people p
             WHERE p.merged_into IS NOT NULL
               AND EXISTS (SELECT 1 FROM people t WHERE t.id = p.merged_into)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let next: BTreeMap<Uuid, Uuid> = links
        .iter()
        .filter_map(|(a, b)| Some((Uuid::from_slice(a).ok()?, Uuid::from_slice(b).ok()?)))
        .collect();
    let mut want: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    for m in next.keys() {
        let s = survivor_in(&next, *m);
        if s != *m {
            want.insert(*m, s);
        }
    }
    let have: BTreeMap<Uuid, Uuid> = conn
        .prepare("SELECT id, survivor FROM person_survivor")?
        .query_map([], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .iter()
        .filter_map(|(a, b)| Some((Uuid::from_slice(a).ok()?, Uuid::from_slice(b).ok()?)))
        .collect();
    Ok(if have == want {
        Vec::new()
    } else {
        vec![format!(
            "merged people: the survivors kept ({} people) are not those the records give ({} people)",
            have.len(),
            want.len()
        )]
    })
}

impl Writer<'_> {
    /// Merges person `from` into person `into`: from now on, on every
    /// replica the operation reaches, `from` is shown and counted as
    /// `into`'s survivor. `chosen`: the details `into` takes (staff's
    /// choice, field by field; the values replaced stay in its history).
    pub fn merge_person(
        &mut self,
        from: PersonId,
        into: PersonId,
        chosen: Option<&PersonDetails>,
    ) -> Result<()> {
        if from == into {
            return Err(StoreError::SamePerson);
        }
        for p in [from, into] {
            if !exists(self.tx(), &p.0)? {
                return Err(StoreError::NotFound("person"));
            }
        }
        if survivor_of(self.tx(), &into.0)? == survivor_of(self.tx(), &from.0)? {
            return Err(StoreError::SamePerson);
        }
        self.update(
            Entity::Person,
            &from.0,
            &[("merged_into", Value::String(into.0.to_string()))],
        )?;
        if let Some(d) = chosen {
            self.update_person(into, d)?;
        }
        refresh_survivors(self.tx(), &from.0)
    }

    /// Undoes the merge of `from`: it stands alone again, with its own
    /// visits, cases and sessions, on every replica the operation reaches.
    pub fn unmerge_person(&mut self, from: PersonId) -> Result<()> {
        let was: Option<Option<Vec<u8>>> = self
            .tx()
            .prepare_cached("SELECT merged_into FROM people WHERE id = ?1")?
            .query_row([from.0.as_bytes()], |r| r.get(0))
            .optional()?;
        match was {
            None => return Err(StoreError::NotFound("person")),
            Some(None) => return Err(StoreError::NotMerged),
            Some(Some(_)) => {}
        }
        self.update(Entity::Person, &from.0, &[("merged_into", Value::Null)])?;
        refresh_survivors(self.tx(), &from.0)
    }
}

fn exists(conn: &Connection, id: &Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM people WHERE id = ?1")?
        .query_row([id.as_bytes()], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Store {
    /// Merges `from` into `into` as whoever is signed in (staff or admin).
    pub fn merge_people(&mut self, from: PersonId, into: PersonId) -> Result<()> {
        self.require_merge()?;
        self.write(|w| w.merge_person(from, into, None))
    }

    /// Undoes the merge of `from` as whoever is signed in (staff or admin).
    pub fn unmerge_people(&mut self, from: PersonId) -> Result<()> {
        self.require_merge()?;
        self.write(|w| w.unmerge_person(from))
    }

    pub(super) fn require_merge(&self) -> Result<()> {
        match self.session() {
            Some(s) if !s.may(Act::MergePeople) => Err(StoreError::NotAllowed(Act::MergePeople)),
            _ => Ok(()),
        }
    }

    /// The people whose id ends with the hex digits `tail` (how the
    /// command line names them). Reads every person: not for a hot path.
    pub fn people_ending_with(&self, tail: &str) -> Result<Vec<PersonId>> {
        let tail = tail.to_ascii_uppercase();
        let rows: Vec<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT id FROM people WHERE hex(id) LIKE '%' || ?1")?
            .query_map([tail], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .iter()
            .filter_map(|b| Uuid::from_slice(b).ok().map(PersonId))
            .collect())
    }

    /// When the person was registered.
    pub fn registered_at(&self, id: PersonId) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        let at: Option<i64> = self
            .conn()
            .prepare_cached("SELECT created_at FROM people WHERE id = ?1")?
            .query_row([id.0.as_bytes()], |r| r.get(0))
            .optional()?;
        Ok(at.and_then(chrono::DateTime::from_timestamp_millis))
    }

    /// The person `id` is shown and counted as: itself unless merged.
    pub fn survivor(&self, id: PersonId) -> Result<PersonId> {
        Ok(PersonId(survivor_of(self.conn(), &id.0)?))
    }

    /// The person `id`'s own record names as the one it was merged into
    /// (whether this database has that person or not).
    pub fn merged_into(&self, id: PersonId) -> Result<Option<PersonId>> {
        let v: Option<Option<Vec<u8>>> = self
            .conn()
            .prepare_cached("SELECT merged_into FROM people WHERE id = ?1")?
            .query_row([id.0.as_bytes()], |r| r.get(0))
            .optional()?;
        Ok(v.flatten()
            .and_then(|b| Uuid::from_slice(&b).ok())
            .map(PersonId))
    }

    /// The people merged into `survivor` (not itself), in id order.
    pub fn merged_people(&self, survivor: PersonId) -> Result<Vec<PersonId>> {
        let rows: Vec<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT id FROM person_survivor WHERE survivor = ?1 ORDER BY id")?
            .query_map([survivor.0.as_bytes()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .iter()
            .filter_map(|b| Uuid::from_slice(b).ok().map(PersonId))
            .collect())
    }

    /// Every merged person and its survivor, in id order (what `check`
    /// and the tests compare).
    pub fn survivors(&self) -> Result<Vec<(PersonId, PersonId)>> {
        let rows: Vec<(Vec<u8>, Vec<u8>)> = self
            .conn()
            .prepare_cached("SELECT id, survivor FROM person_survivor ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .iter()
            .filter_map(|(a, b)| {
                Some((
                    PersonId(Uuid::from_slice(a).ok()?),
                    PersonId(Uuid::from_slice(b).ok()?),
                ))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn chains_end_where_they_end_and_cycles_at_their_smallest() {
        let next = BTreeMap::from([(id(3), id(2)), (id(2), id(1))]);
        assert_eq!(survivor_in(&next, id(3)), id(1));
        assert_eq!(survivor_in(&next, id(1)), id(1));
        let cycle = BTreeMap::from([(id(5), id(7)), (id(7), id(5)), (id(9), id(7))]);
        assert_eq!(survivor_in(&cycle, id(5)), id(5));
        assert_eq!(survivor_in(&cycle, id(7)), id(5));
        assert_eq!(survivor_in(&cycle, id(9)), id(5));
    }
}
