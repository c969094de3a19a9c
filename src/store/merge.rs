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
        for p in [from, into] {
            if super::erase::is_erased(self.tx(), &p.0)? {
                return Err(StoreError::NotFound("person"));
            }
        }
        self.update(
            Entity::Person,
            &from.0,
            &[("merged_into", Value::String(into.0.to_string()))],
        )?;
        link(self.tx(), &from.0, &into.0)?;
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
    /// Merges `from` into `into` as whoever is signed in (staff or admin);
    /// `take`: the details `into` takes from `from` (staff's choice, field
    /// by field; the values replaced stay in `into`'s history).
    pub fn merge_people(
        &mut self,
        from: PersonId,
        into: PersonId,
        take: &[crate::domain::person::Detail],
    ) -> Result<()> {
        self.require_merge()?;
        let chosen = if take.is_empty() {
            None
        } else {
            let keep = self.person(into)?.ok_or(StoreError::NotFound("person"))?;
            let other = self.person(from)?.ok_or(StoreError::NotFound("person"))?;
            Some(crate::domain::person::combine(
                &keep.details,
                &other.details,
                take,
            ))
        };
        self.write(|w| w.merge_person(from, into, chosen.as_ref()))
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

/// Notes that `a` was merged into `b` (`merge_links`).
fn link(conn: &Connection, a: &Uuid, b: &Uuid) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO merge_links (a, b) VALUES (?1, ?2)")?
        .execute(rusqlite::params![a.as_bytes(), b.as_bytes()])?;
    Ok(())
}

/// Notes the merge an operation of person `id` makes, if it names one.
pub(crate) fn note_link(
    conn: &Connection,
    id: &Uuid,
    fields: &serde_json::Map<String, Value>,
) -> Result<()> {
    if let Some(Value::String(s)) = fields.get("merged_into")
        && let Ok(into) = Uuid::parse_str(s)
    {
        link(conn, id, &into)?;
    }
    Ok(())
}

/// The people linked by any merge ever made, to any of `start`, whose
/// linked group holds an erased person: each of them is erased with it
/// (their personal values redacted), so an erasure and a merge made apart
/// end the same wherever both arrive.
pub(crate) fn erased_with(
    conn: &Connection,
    start: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashSet<Uuid>> {
    let mut out = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    for s in start {
        if seen.contains(&s) {
            continue;
        }
        let group = linked(conn, s)?;
        seen.extend(group.iter().copied());
        if group.len() < 2 {
            continue;
        }
        let mut any = false;
        for p in &group {
            if super::erase::is_erased(conn, p)? {
                any = true;
                break;
            }
        }
        if any {
            out.extend(group);
        }
    }
    Ok(out)
}

/// Person `s` and every person linked to it by any merge ever made,
/// either way, however far.
pub(crate) fn linked(conn: &Connection, s: Uuid) -> Result<Vec<Uuid>> {
    let mut group = vec![s];
    let mut i = 0;
    while let Some(&p) = group.get(i) {
        i += 1;
        let mut stmt = conn.prepare_cached(
            "SELECT b FROM merge_links WHERE a = ?1 UNION SELECT a FROM merge_links WHERE b = ?1",
        )?;
        let next: Vec<Vec<u8>> = stmt
            .query_map([p.as_bytes()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for n in next {
            if let Ok(n) = Uuid::from_slice(&n)
                && !group.contains(&n)
            {
                group.push(n);
            }
        }
    }
    Ok(group)
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
