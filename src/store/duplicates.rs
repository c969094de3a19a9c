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

/// Why two records may be one worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    SameResidentId,
    SameMobile,
    SameName,
    /// The name reads the same (same pinyin), written otherwise.
    SameReading,
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

/// What a pair is judged on, per person.
struct Facts {
    name: String,
    mobile: Option<String>,
    resident_id: Option<String>,
    trade: String,
    employer: Option<String>,
    created_at: i64,
}

fn facts(conn: &Connection, id: &Uuid) -> Result<Option<Facts>> {
    Ok(conn
        .prepare_cached(
            "SELECT name, mobile, resident_id, trade, employer, created_at FROM people
             WHERE id = ?1 AND coalesce(erased, 0) = 0
               AND NOT EXISTS (SELECT 1 FROM person_survivor s WHERE s.id = people.id)",
        )?
        .query_row([id.as_bytes()], |r| {
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
        if group.len() >= 2 && group.len() <= cap {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    out.insert(((*a).min(*b), (*a).max(*b)));
                }
            }
        }
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

impl Store {
    /// Pairs of people who may be one worker, best first, at most `limit`.
    pub fn duplicate_candidates(&self, limit: usize) -> Result<Vec<Candidate>> {
        let conn = self.conn();
        let mut pairs = BTreeSet::new();
        pairs_by_term(conn, term::MOBILE, usize::MAX, &mut pairs)?;
        pairs_by_term(conn, term::RESIDENT_ID_REV, usize::MAX, &mut pairs)?;
        pairs_by_term(conn, term::PINYIN, READING_BLOCK, &mut pairs)?;
        let mut known: BTreeMap<Uuid, Option<Facts>> = BTreeMap::new();
        let mut out = Vec::new();
        for (a, b) in pairs {
            for id in [a, b] {
                if let std::collections::btree_map::Entry::Vacant(e) = known.entry(id) {
                    e.insert(facts(conn, &id)?);
                }
            }
            let (Some(fa), Some(fb)) = (&known[&a], &known[&b]) else {
                continue;
            };
            if let Some(c) = judge(a, fa, b, fb) {
                out.push(c);
            }
        }
        out.sort_by(|x, y| {
            y.score
                .cmp(&x.score)
                .then(x.first.cmp(&y.first))
                .then(x.second.cmp(&y.second))
        });
        out.truncate(limit);
        Ok(out)
    }
}

/// Why `a` and `b` may be one worker, or `None` when nothing says so (or
/// two different ID numbers say they are not).
fn judge(a: Uuid, fa: &Facts, b: Uuid, fb: &Facts) -> Option<Candidate> {
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
    if fa.name == fb.name {
        why.push(Why::SameName);
    } else if reading(&fa.name) == reading(&fb.name) {
        why.push(Why::SameReading);
    }
    let named = why.contains(&Why::SameName) || why.contains(&Why::SameReading);
    let by_number = why.contains(&Why::SameResidentId) || why.contains(&Why::SameMobile);
    let other = Trade::Other.code();
    if fa.trade == fb.trade && fa.trade != other {
        why.push(Why::SameTrade);
    }
    if same(&fa.employer, &fb.employer) {
        why.push(Why::SameEmployer);
    }
    // A name alone is no reason: it must come with the trade or employer.
    if !by_number && !(named && (why.contains(&Why::SameTrade) || why.contains(&Why::SameEmployer)))
    {
        return None;
    }
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
