//! Candidates for one worker registered twice, across the whole database:
//! pairs of people (neither merged into anyone, neither erased) that share
//! an ID number, a mobile, or a name that reads the same with the same
//! trade or employer. Each pair comes with why and a score, best first.
//!
//! The pairs come from the lookup terms (`search_terms`, kept for every
//! person anyway): one ordered scan per kind of term (the mobile, the ID
//! number, the full pinyin of the name), people with an equal term side by
//! side. A reading shared by more than [`READING_BLOCK`] people (a common
//! name) pairs nobody by itself: such pairs are found by their phone or ID
//! number only.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::search::term;
use super::{Result, Store};
use crate::domain::ids::PersonId;
use crate::domain::person::Trade;

/// People sharing one reading of their name beyond this many are not
/// paired by it alone.
pub const READING_BLOCK: usize = 50;

/// People of one employer whose names are alike but for one character
/// (王?二) beyond this many are not paired by it: a typo makes a pair of
/// rare names, a common pattern makes a crowd of different workers.
pub const CLOSE_BLOCK: usize = 5;

/// Why two records may be one worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    SameResidentId,
    SameMobile,
    SameName,
    /// The name reads the same (same pinyin), written otherwise.
    SameReading,
    /// The names differ in one character only (a typo, a wrong pick of
    /// the input method); counts only with the same employer.
    CloseName,
    SameTrade,
    SameEmployer,
}

impl Why {
    /// What it adds to a pair's score.
    fn weight(self) -> u32 {
        match self {
            Why::SameResidentId => 100,
            Why::SameMobile => 50,
            Why::SameName => 40,
            Why::SameReading => 30,
            Why::CloseName => 20,
            Why::SameTrade => 5,
            Why::SameEmployer => 15,
        }
    }
}

/// One candidate pair: `first` registered before `second`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub first: PersonId,
    pub second: PersonId,
    pub score: u32,
    pub why: Vec<Why>,
}

impl Candidate {
    /// Names the pair on the command line: the last 8 hex digits of each
    /// id (their random part), `first:second`.
    pub fn key(&self) -> String {
        format!("{}:{}", short(self.first), short(self.second))
    }
}

/// The last 8 hex digits of a person's id.
pub fn short(p: PersonId) -> String {
    let s = p.0.as_simple().to_string();
    s[s.len() - 8..].to_owned()
}

/// What a clerk typed for someone new, as the intake check reads it.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub name: String,
    pub mobile: Option<String>,
    pub resident_id: Option<String>,
    pub trade: Option<Trade>,
    pub employer: Option<String>,
}

/// A registered worker the typed details may be, with why.
#[derive(Debug, Clone)]
pub struct Likely {
    /// The worker as shown (a merged record is its survivor).
    pub person: crate::domain::person::Person,
    pub why: Vec<Why>,
    pub score: u32,
    /// When and at which station the worker was first registered.
    pub registered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub registered_by: Option<String>,
}

impl Likely {
    /// Whether the typed mobile or ID number is this worker's.
    pub fn by_number(&self) -> bool {
        self.why
            .iter()
            .any(|w| matches!(w, Why::SameMobile | Why::SameResidentId))
    }
}

/// How many people of one reading, one name start or one name end the
/// intake check looks at, at most: a common name is found by the phone.
const INTAKE_READ: usize = 100;

/// What a pair is judged on, per person.
struct Facts {
    name: String,
    mobile: Option<String>,
    resident_id: Option<String>,
    trade: String,
    employer: Option<String>,
    created_at: i64,
}

/// A person's details as judged for the list: `None` for an erased
/// person, one not here, or one merged into another.
fn facts(conn: &Connection, id: &Uuid) -> Result<Option<Facts>> {
    read_facts(conn, id, false)
}

/// A person's details as judged, merged or not; `None` for an erased
/// person or one not here.
fn any_facts(conn: &Connection, id: &Uuid) -> Result<Option<Facts>> {
    read_facts(conn, id, true)
}

/// A person's details as judged; `None` for an erased person, one not
/// here, or (unless `merged`) one merged into another.
fn read_facts(conn: &Connection, id: &Uuid, merged: bool) -> Result<Option<Facts>> {
    Ok(conn
        .prepare_cached(
            "SELECT name, mobile, resident_id, trade, employer, created_at FROM people
             WHERE id = ?1 AND coalesce(erased, 0) = 0
               AND (?2 OR NOT EXISTS (SELECT 1 FROM person_survivor s WHERE s.id = people.id))",
        )?
        .query_row(rusqlite::params![id.as_bytes(), merged], |r| {
            Ok(Facts {
                name: r.get(0)?,
                mobile: r.get(1)?,
                resident_id: r.get(2)?,
                trade: r.get(3)?,
                employer: r.get(4)?,
                created_at: r.get(5)?,
            })
        })
        .optional()?)
}

/// The pairs of people sharing a term of `kind`, from groups of at most
/// `cap` people.
fn pairs_by_term(
    conn: &Connection,
    kind: i64,
    cap: usize,
    out: &mut BTreeSet<(Uuid, Uuid)>,
) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT term, id FROM search_terms WHERE kind = ?1 ORDER BY term")?;
    let mut rows = stmt.query([kind])?;
    let mut group: Vec<Uuid> = Vec::new();
    let mut current: Option<String> = None;
    let mut flush = |group: &mut Vec<Uuid>| {
        pair_up(group, cap, out);
        group.clear();
    };
    while let Some(r) = rows.next()? {
        let t: String = r.get(0)?;
        let id: Vec<u8> = r.get(1)?;
        if current.as_deref() != Some(t.as_str()) {
            flush(&mut group);
            current = Some(t);
        }
        if let Ok(id) = Uuid::from_slice(&id) {
            group.push(id);
        }
    }
    flush(&mut group);
    Ok(())
}

/// Every pair of a group of 2 to `cap` people, each (smaller id, larger).
fn pair_up(group: &[Uuid], cap: usize, out: &mut BTreeSet<(Uuid, Uuid)>) {
    if group.len() >= 2 && group.len() <= cap {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                out.insert(((*a).min(*b), (*a).max(*b)));
            }
        }
    }
}

/// The pairs of people of one employer whose names (of [`CLOSE_MIN`] or
/// more characters, the same length) are equal but for one character, from
/// groups of at most `cap`: one pass over the people with an employer,
/// employer by employer, each name put under one key per character left
/// out ("王?二", "?小二", "王小?").
fn pairs_by_employer(
    conn: &Connection,
    cap: usize,
    out: &mut BTreeSet<(Uuid, Uuid)>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, employer FROM people
         WHERE employer IS NOT NULL AND coalesce(erased, 0) = 0
           AND NOT EXISTS (SELECT 1 FROM person_survivor s WHERE s.id = people.id)
         ORDER BY replace(lower(employer), ' ', '')",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<String> = None;
    let mut keys: std::collections::HashMap<(usize, String), Vec<Uuid>> =
        std::collections::HashMap::new();
    let flush = |keys: &mut std::collections::HashMap<(usize, String), Vec<Uuid>>,
                 out: &mut BTreeSet<(Uuid, Uuid)>| {
        for group in keys.values() {
            pair_up(group, cap, out);
        }
        keys.clear();
    };
    while let Some(r) = rows.next()? {
        let Ok(id) = Uuid::from_slice(&r.get::<_, Vec<u8>>(0)?) else {
            continue;
        };
        let name: String = r.get(1)?;
        let employer = employer_key(&r.get::<_, String>(2)?);
        if current.as_deref() != Some(employer.as_str()) {
            flush(&mut keys, out);
            current = Some(employer);
        }
        let chars: Vec<char> = norm_name(&name).chars().collect();
        if chars.len() < CLOSE_MIN {
            continue;
        }
        for i in 0..chars.len() {
            let key: String = chars
                .iter()
                .enumerate()
                .map(|(j, c)| if i == j { '\u{0}' } else { *c })
                .collect();
            let group = keys.entry((i, key)).or_default();
            // Past the cap nobody is paired: stop collecting.
            if group.len() <= cap {
                group.push(id);
            }
        }
    }
    flush(&mut keys, out);
    Ok(())
}

impl Store {
    /// Pairs of people who may be one worker, best first, at most `limit`.
    pub fn duplicate_candidates(&self, limit: usize) -> Result<Vec<Candidate>> {
        let conn = self.conn();
        let mut pairs = BTreeSet::new();
        pairs_by_term(conn, term::MOBILE, usize::MAX, &mut pairs)?;
        pairs_by_term(conn, term::RESIDENT_ID_REV, usize::MAX, &mut pairs)?;
        pairs_by_term(conn, term::PINYIN, READING_BLOCK, &mut pairs)?;
        // A typo in the name counts only with the same employer: names
        // one character apart, employer by employer.
        pairs_by_employer(conn, CLOSE_BLOCK, &mut pairs)?;
        // Pairs come in order of their first person: its details are read
        // once for all its pairs, the other's each time (no table of
        // everybody's details in memory). Only the best `limit` are kept.
        let mut first: Option<(Uuid, Option<Facts>)> = None;
        let mut best: BTreeSet<(std::cmp::Reverse<u32>, PersonId, PersonId)> = BTreeSet::new();
        let mut why: BTreeMap<(PersonId, PersonId), Vec<Why>> = BTreeMap::new();
        for (a, b) in pairs {
            if first.as_ref().is_none_or(|(id, _)| *id != a) {
                first = Some((a, facts(conn, &a)?));
            }
            let Some((_, Some(fa))) = &first else {
                continue;
            };
            let Some(fb) = facts(conn, &b)? else {
                continue;
            };
            let Some(c) = judge(a, fa, b, &fb) else {
                continue;
            };
            let worst = best.last().map(|w| (w.0, w.1, w.2));
            let key = (std::cmp::Reverse(c.score), c.first, c.second);
            if best.len() >= limit && worst.is_some_and(|w| key >= w) {
                continue;
            }
            if dismissed(conn, &pair_id(c.first, c.second))? {
                continue;
            }
            best.insert(key);
            why.insert((c.first, c.second), c.why);
            if best.len() > limit
                && let Some(w) = best.pop_last()
            {
                why.remove(&(w.1, w.2));
            }
        }
        Ok(best
            .into_iter()
            .map(|(score, first, second)| Candidate {
                first,
                second,
                score: score.0,
                why: why.remove(&(first, second)).unwrap_or_default(),
            })
            .collect())
    }
}

/// Why `a` and `b` may be one worker, or `None` when nothing says so (or
/// two different ID numbers say they are not).
fn judge(a: Uuid, fa: &Facts, b: Uuid, fb: &Facts) -> Option<Candidate> {
    let why = reasons(fa, fb)?;
    let score = why.iter().map(|w| w.weight()).sum();
    let (first, second) = if (fa.created_at, a) <= (fb.created_at, b) {
        (a, b)
    } else {
        (b, a)
    };
    Some(Candidate {
        first: PersonId(first),
        second: PersonId(second),
        score,
        why,
    })
}

/// Why two sets of details may be one worker, best reason first, or
/// `None` when nothing says so: a name alone is no reason (it must come
/// with the trade or the employer, a close name with the employer), and
/// two different ID numbers say they are two people.
fn reasons(fa: &Facts, fb: &Facts) -> Option<Vec<Why>> {
    let same = |x: &Option<String>, y: &Option<String>| x.is_some() && x == y;
    if fa.resident_id.is_some() && fb.resident_id.is_some() && fa.resident_id != fb.resident_id {
        return None;
    }
    let mut why = Vec::new();
    if same(&fa.resident_id, &fb.resident_id) {
        why.push(Why::SameResidentId);
    }
    if same(&fa.mobile, &fb.mobile) {
        why.push(Why::SameMobile);
    }
    let reading = |n: &str| crate::domain::text::pinyin_of(n).full();
    if same_name(&fa.name, &fb.name) {
        why.push(Why::SameName);
    } else if reading(&fa.name) == reading(&fb.name) {
        why.push(Why::SameReading);
    } else if one_apart(&fa.name, &fb.name) {
        why.push(Why::CloseName);
    }
    let by_number = why.contains(&Why::SameResidentId) || why.contains(&Why::SameMobile);
    let other = Trade::Other.code();
    let trade = fa.trade == fb.trade && fa.trade != other;
    if trade {
        why.push(Why::SameTrade);
    }
    let employer = same_employer(&fa.employer, &fb.employer);
    if employer {
        why.push(Why::SameEmployer);
    }
    let named = why.contains(&Why::SameName) || why.contains(&Why::SameReading);
    let close = why.contains(&Why::CloseName);
    if by_number || (named && (trade || employer)) || (close && employer) {
        Some(why)
    } else {
        None
    }
}

/// Names compared as the lookup compares them: any case, spaces collapsed.
fn same_name(a: &str, b: &str) -> bool {
    norm_name(a) == norm_name(b) && !a.trim().is_empty()
}

fn norm_name(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Employers compared without case or spaces mattering: "美团" and
/// "美 团 " are one.
fn same_employer(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (employer_key(a), employer_key(b));
            !a.is_empty() && a == b
        }
        _ => false,
    }
}

/// An employer as compared: lower case, without spaces (as the intake
/// check's SQL compares it: `replace(lower(employer), ' ', '')`).
fn employer_key(s: &str) -> String {
    s.chars()
        .filter(|c| *c != ' ')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two names of three or more characters differ in exactly one
/// character, in the same place.
pub(crate) fn one_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = norm_name(a).chars().collect();
    let b: Vec<char> = norm_name(b).chars().collect();
    a.len() == b.len()
        && a.len() >= CLOSE_MIN
        && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
}

/// Names shorter than this are never "close" to one another: two
/// characters with one different are simply two names.
const CLOSE_MIN: usize = 3;

/// Adds the person ids `sql` gives (its first column) to `ids`.
fn collect_ids(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    ids: &mut BTreeSet<Uuid>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| r.get::<_, Vec<u8>>(0))?;
    for r in rows {
        if let Ok(id) = Uuid::from_slice(&r?) {
            ids.insert(id);
        }
    }
    Ok(())
}

impl Store {
    /// The registered workers that what was typed for someone new may be,
    /// best first, at most `limit`: the same mobile or ID number, or a
    /// name that reads the same (or is one character apart) with the same
    /// trade or employer, as the duplicates list judges pairs. Reads a few
    /// index ranges, never a scan: fit for every field left in a form.
    pub fn likely_same(&self, typed: &Typed, limit: usize) -> Result<Vec<Likely>> {
        let conn = self.conn();
        let mut ids: BTreeSet<Uuid> = BTreeSet::new();
        let mut by = |kind: i64, t: &str| -> Result<()> {
            collect_ids(
                conn,
                "SELECT id FROM search_terms WHERE kind = ?1 AND term = ?2 LIMIT ?3",
                rusqlite::params![kind, t, INTAKE_READ as i64],
                &mut ids,
            )
        };
        if let Some(m) = &typed.mobile {
            by(term::MOBILE, m)?;
        }
        if let Some(r) = &typed.resident_id {
            by(term::RESIDENT_ID_REV, &r.chars().rev().collect::<String>())?;
        }
        let name = norm_name(&typed.name);
        let chars: Vec<char> = name.chars().collect();
        let trade = typed.trade.filter(|t| *t != Trade::Other).map(|t| t.code());
        let employer = typed
            .employer
            .as_deref()
            .map(employer_key)
            .filter(|e| !e.is_empty());
        if !name.is_empty() && (trade.is_some() || employer.is_some()) {
            // A name counts only with the trade or the employer: only
            // people with one of them are read.
            collect_ids(
                conn,
                "SELECT p.id FROM
                   (SELECT id FROM search_terms WHERE kind = ?1 AND term = ?2 LIMIT ?5) t
                 JOIN people p ON p.id = t.id
                 WHERE p.trade = ?3 OR replace(lower(p.employer), ' ', '') = ?4",
                rusqlite::params![
                    term::PINYIN,
                    crate::domain::text::pinyin_of(&name).full(),
                    trade,
                    employer,
                    INTAKE_READ as i64
                ],
                &mut ids,
            )?;
        }
        if let Some(employer) = employer.as_deref()
            && chars.len() >= CLOSE_MIN
        {
            // One character apart, at the end or at the start, with the
            // same employer.
            let end: String = chars[1..].iter().collect();
            let start: String = chars[..chars.len() - 1].iter().collect();
            collect_ids(
                conn,
                "SELECT p.id FROM
                   (SELECT id FROM
                      (SELECT id FROM search_terms WHERE kind = ?1 AND term = ?2 LIMIT ?7)
                    UNION
                    SELECT id FROM
                      (SELECT id FROM search_terms
                       WHERE kind = ?3 AND term >= ?4 AND term < ?4 || char(1114111)
                         AND length(term) = ?5 LIMIT ?7)) t
                 JOIN people p ON p.id = t.id
                 WHERE replace(lower(p.employer), ' ', '') = ?6",
                rusqlite::params![
                    term::NAME_INNER,
                    end,
                    term::NAME,
                    start,
                    chars.len() as i64,
                    employer,
                    INTAKE_READ as i64
                ],
                &mut ids,
            )?;
        }
        let mine = Facts {
            name: typed.name.clone(),
            mobile: typed.mobile.clone(),
            resident_id: typed.resident_id.clone(),
            trade: typed.trade.unwrap_or(Trade::Other).code().to_owned(),
            employer: typed.employer.clone(),
            created_at: 0,
        };
        // Best reason per worker shown (records merged into one another are
        // one worker).
        let mut best: BTreeMap<Uuid, (u32, Vec<Why>)> = BTreeMap::new();
        for id in ids {
            let Some(theirs) = any_facts(conn, &id)? else {
                continue;
            };
            let Some(why) = reasons(&mine, &theirs) else {
                continue;
            };
            let score = why.iter().map(|w| w.weight()).sum();
            let shown = super::merge::survivor_of(conn, &id)?;
            let e = best.entry(shown).or_insert((0, Vec::new()));
            if score > e.0 {
                *e = (score, why);
            }
        }
        // Best first; only the shown are read in full.
        let mut best: Vec<(Uuid, u32, Vec<Why>)> =
            best.into_iter().map(|(id, (s, w))| (id, s, w)).collect();
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out = Vec::new();
        for (id, score, why) in best {
            if out.len() >= limit {
                break;
            }
            let Some(person) = super::people::read_person(conn, &id)? else {
                continue;
            };
            out.push(Likely {
                registered_at: self.registered_at(person.id)?,
                registered_by: self.registered_by(person.id)?,
                person,
                why,
                score,
            });
        }
        Ok(out)
    }

    /// The station whose database registered person `id` (made its first
    /// operation), when known here.
    pub fn registered_by(&self, id: PersonId) -> Result<Option<String>> {
        let origin: Option<Vec<u8>> = self
            .conn()
            .prepare_cached(
                "SELECT o.replica_id FROM ops JOIN origins o ON o.idx = ops.origin
                 WHERE ops.id = ?1 AND ops.entity = ?2 ORDER BY ops.hlc LIMIT 1",
            )?
            .query_row(
                rusqlite::params![id.0.as_bytes(), super::Entity::Person.code()],
                |r| r.get(0),
            )
            .optional()?;
        match origin.and_then(|o| crate::domain::ids::ReplicaId::from_slice(&o)) {
            Some(r) => self.origin_station(r),
            None => Ok(None),
        }
    }
}

/// The id of the record that marks a pair two workers: the same at every
/// station for the same two people, whichever was named first.
pub fn pair_id(a: PersonId, b: PersonId) -> Uuid {
    let (x, y) = (a.0.min(b.0), a.0.max(b.0));
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(x.as_bytes());
    bytes[16..].copy_from_slice(y.as_bytes());
    Uuid::new_v5(&PAIR_NAMESPACE, &bytes)
}

/// The namespace of [`pair_id`] (a fixed random UUID).
const PAIR_NAMESPACE: Uuid = Uuid::from_u128(0x6d3c_2a8e_51f4_4c0b_9e7a_0b1d_2c3e_4f50);

impl super::Writer<'_> {
    /// Marks `a` and `b` two workers (`true`), or takes the mark back:
    /// one synced record per pair, changed in place.
    pub fn mark_distinct(&mut self, a: PersonId, b: PersonId, distinct: bool) -> Result<()> {
        let id = pair_id(a, b);
        let exists: bool = self
            .tx()
            .prepare_cached("SELECT count(*) FROM distinct_pairs WHERE id = ?1")?
            .query_row([id.as_bytes()], |r| r.get::<_, i64>(0))?
            > 0;
        let v = serde_json::Value::Bool(distinct);
        if exists {
            self.update(super::Entity::Distinct, &id, &[("dismissed", v)])
        } else {
            let (x, y) = (a.0.min(b.0), a.0.max(b.0));
            self.create(
                super::Entity::Distinct,
                &id,
                &[
                    ("first", serde_json::Value::String(x.to_string())),
                    ("second", serde_json::Value::String(y.to_string())),
                    ("dismissed", v),
                ],
            )
        }
    }
}

impl Store {
    /// Marks a listed pair two workers, as whoever is signed in (staff or
    /// admin): it is listed no more, here and wherever the mark reaches.
    pub fn dismiss_pair(&mut self, a: PersonId, b: PersonId) -> Result<()> {
        self.require_merge()?;
        self.write(|w| w.mark_distinct(a, b, true))
    }

    /// Takes back the mark of [`Store::dismiss_pair`].
    pub fn undismiss_pair(&mut self, a: PersonId, b: PersonId) -> Result<()> {
        self.require_merge()?;
        self.write(|w| w.mark_distinct(a, b, false))
    }

    /// Whether `a` and `b` are marked two workers.
    pub fn dismissed(&self, a: PersonId, b: PersonId) -> Result<bool> {
        dismissed(self.conn(), &pair_id(a, b))
    }
}

fn dismissed(conn: &Connection, id: &Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT coalesce(dismissed, 0) FROM distinct_pairs WHERE id = ?1")?
        .query_row([id.as_bytes()], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

/// One record of a pair as the side-by-side comparison shows it: its own
/// details, where and when registered, its own visits and cases.
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub person: crate::domain::person::Person,
    pub registered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub registered_by: Option<String>,
    /// Named visits of this record (not of records merged into it).
    pub visits: u64,
    pub last_visit: Option<chrono::DateTime<chrono::Utc>>,
    /// The numbers of the cases it is a claimant of, newest first.
    pub cases: Vec<String>,
}

impl Store {
    /// Person `id`'s own record, for comparing it with another.
    pub fn person_record(&self, id: PersonId) -> Result<Option<PersonRecord>> {
        let conn = self.conn();
        let Some(person) = super::people::read_person(conn, &id.0)? else {
            return Ok(None);
        };
        let (visits, last): (i64, Option<i64>) = conn
            .prepare_cached("SELECT count(*), max(arrived_at) FROM visits WHERE person_id = ?1")?
            .query_row([id.0.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let cases = conn
            .prepare_cached(
                "SELECT c.code || '-' || c.year || '-' || substr('000' || c.seq, -4, 4)
                 FROM case_claimants k JOIN cases c ON c.id = k.case_id
                 WHERE k.person_id = ?1 AND coalesce(k.removed, 0) = 0
                 ORDER BY c.opened_at DESC",
            )?
            .query_map([id.0.as_bytes()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(PersonRecord {
            registered_at: self.registered_at(id)?,
            registered_by: self.registered_by(id)?,
            person,
            visits: u64::try_from(visits).unwrap_or(0),
            last_visit: last.and_then(chrono::DateTime::from_timestamp_millis),
            cases,
        }))
    }
}
