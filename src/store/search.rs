//! The one lookup used by the console and the command line: by case number
//! (whole or numeric tail), mobile (whole, last 4+ or leading digits), name
//! (any part), pinyin (full or initials), resident ID (last 4+) and
//! respondent. Every path is a range scan of an index; nothing scans a
//! table.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use super::{Result, Store, id_col};
use crate::domain::case::{CaseNumber, CaseStatus, CaseType};
use crate::domain::ids::{CaseId, PersonId};
use crate::domain::money::Fen;
use crate::domain::person::Trade;
use crate::domain::text::{MAX_SPELLINGS, name_readings};
use crate::domain::{Mobile, ResidentId};

/// Kinds of lookup term, as stored in `search_terms.kind`.
pub(crate) mod term {
    /// The whole name (prefix and exact search).
    pub const NAME: i64 = 1;
    /// Suffixes of the name from its 2nd character on ("any part").
    pub const NAME_INNER: i64 = 2;
    /// Full pinyin of the name, each character by its usual reading.
    pub const PINYIN: i64 = 3;
    /// Pinyin from the 2nd syllable on (given name), every spelling.
    pub const PINYIN_INNER: i64 = 4;
    /// Pinyin initials, each character by its usual reading.
    pub const INITIALS: i64 = 5;
    /// Initials from the 2nd syllable on, every reading.
    pub const INITIALS_INNER: i64 = 6;
    /// The mobile number (leading digits).
    pub const MOBILE: i64 = 7;
    /// The mobile number reversed (last digits).
    pub const MOBILE_REV: i64 = 8;
    /// The resident ID reversed (last characters).
    pub const RESIDENT_ID_REV: i64 = 9;
    /// Every suffix of a case respondent (the first one is the whole name).
    pub const RESPONDENT: i64 = 10;
    /// The other spellings of the full pinyin of the name (李长江:
    /// `lichangjiang` besides `lizhangjiang`).
    pub const PINYIN_OTHER: i64 = 11;
    /// The other strings of initials of the name (李长江: `lcj`).
    pub const INITIALS_OTHER: i64 = 12;
    /// A respondent of the register: every suffix of its name as compared
    /// (`respondents::name_key`).
    pub const RESP_NAME: i64 = 13;
    /// A respondent's pinyin from each syllable on, every spelling.
    pub const RESP_PINYIN: i64 = 14;
    /// A respondent's initials from each syllable on, every reading.
    pub const RESP_INITIALS: i64 = 15;
    /// A respondent's unified social credit code (lower case).
    pub const RESP_CODE: i64 = 16;
}

/// The pinyin terms of a name: from each syllable on, every spelling and
/// every string of initials of [`name_readings`] (at most
/// [`MAX_SPELLINGS`] of each), so that 李长江 is found by `lizhangjiang`
/// and `lzj` (its usual reading, by the dictionary), `lichangjiang` and
/// `lcj` (other readings), and by `changjiang` or `cj` as a part. The
/// usual spelling of the whole name has kinds of its own, so that it ranks
/// before the others.
pub(crate) fn pinyin_terms(name: &str) -> Vec<(i64, String)> {
    let readings = name_readings(name);
    let mut out = Vec::new();
    for i in 0..readings.syllables.len() {
        let kinds = if i == 0 {
            [
                (term::PINYIN, term::PINYIN_OTHER),
                (term::INITIALS, term::INITIALS_OTHER),
            ]
        } else {
            [
                (term::PINYIN_INNER, term::PINYIN_INNER),
                (term::INITIALS_INNER, term::INITIALS_INNER),
            ]
        };
        let terms = [readings.spellings(i), readings.initials(i)];
        for ((usual, other), terms) in kinds.into_iter().zip(terms) {
            for (k, t) in terms.into_iter().enumerate() {
                out.push((if k == 0 { usual } else { other }, t));
            }
        }
    }
    out
}

/// The lookup terms of a person.
pub(crate) fn person_terms(
    name: &str,
    mobile: Option<&str>,
    resident_id: Option<&str>,
) -> Vec<(i64, String)> {
    let mut out = Vec::with_capacity(16);
    let lower = name.to_lowercase();
    for (i, (pos, _)) in lower.char_indices().enumerate() {
        let suffix = &lower[pos..];
        if !suffix.starts_with(' ') {
            out.push((
                if i == 0 { term::NAME } else { term::NAME_INNER },
                suffix.to_owned(),
            ));
        }
    }
    out.extend(pinyin_terms(name));
    if let Some(m) = mobile {
        out.push((term::MOBILE, m.to_owned()));
        out.push((term::MOBILE_REV, m.chars().rev().collect()));
    }
    if let Some(r) = resident_id {
        out.push((term::RESIDENT_ID_REV, r.chars().rev().collect()));
    }
    out.sort();
    out.dedup();
    out
}

/// The lookup terms of a case.
pub(crate) fn case_terms(respondent: Option<&str>) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    if let Some(r) = respondent {
        let lower = r.to_lowercase();
        for (pos, _) in lower.char_indices() {
            if !lower[pos..].starts_with(' ') {
                out.push((term::RESPONDENT, lower[pos..].to_owned()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Replaces the terms of record `id`: removes those of `old` that are not in
/// `new`, adds the new ones. During a bulk load (`bulk`) new terms are
/// appended to `pending_terms` and sorted into `search_terms` at its end.
pub(crate) fn reindex(
    conn: &Connection,
    id: &Uuid,
    old: &[(i64, String)],
    new: &[(i64, String)],
    bulk: bool,
) -> Result<()> {
    let removed: Vec<_> = old.iter().filter(|t| !new.contains(t)).collect();
    if !removed.is_empty() {
        let mut del = conn
            .prepare_cached("DELETE FROM search_terms WHERE kind = ?1 AND term = ?2 AND id = ?3")?;
        for t in &removed {
            del.execute(params![t.0, t.1, id.as_bytes()])?;
        }
        if bulk {
            // Rare during a load (a change right after a creation); the
            // pending table has no index, so this scans it.
            let mut del = conn.prepare_cached(
                "DELETE FROM pending_terms WHERE kind = ?1 AND term = ?2 AND id = ?3",
            )?;
            for t in &removed {
                del.execute(params![t.0, t.1, id.as_bytes()])?;
            }
        }
    }
    let mut ins = conn.prepare_cached(if bulk {
        "INSERT INTO pending_terms (kind, term, id) VALUES (?1, ?2, ?3)"
    } else {
        "INSERT OR IGNORE INTO search_terms (kind, term, id) VALUES (?1, ?2, ?3)"
    })?;
    for t in new.iter().filter(|t| !old.contains(t)) {
        ins.execute(params![t.0, t.1, id.as_bytes()])?;
    }
    Ok(())
}

/// Moves the terms a bulk load left in `pending_terms` into `search_terms`,
/// in key order (one sequential pass instead of random inserts).
pub(crate) fn flush_pending_terms(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "INSERT OR IGNORE INTO search_terms (kind, term, id)
             SELECT kind, term, id FROM pending_terms ORDER BY kind, term, id;
         DELETE FROM pending_terms;",
    )?;
    Ok(())
}

impl super::Writer<'_> {
    /// Replaces the lookup terms of a record (see [`reindex`]).
    pub(crate) fn reindex(
        &self,
        id: &Uuid,
        old: &[(i64, String)],
        new: &[(i64, String)],
    ) -> Result<()> {
        reindex(self.tx(), id, old, new, self.bulk)
    }
}

/// Why a record matched; the order is the ranking (best first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Match {
    CaseNumber,
    Mobile,
    Name,
    ResidentId,
    CaseNumberTail,
    MobileTail,
    ResidentIdTail,
    NameStart,
    Pinyin,
    Initials,
    /// The whole pinyin or initials by other readings of its characters.
    PinyinOther,
    PinyinStart,
    InitialsStart,
    PinyinOtherStart,
    /// A case found through one of its claimants.
    Claimant,
    NamePart,
    PinyinPart,
    Respondent,
    MobileStart,
}

/// A person found by a lookup.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonHit {
    pub id: PersonId,
    pub name: String,
    pub mobile: Option<Mobile>,
    pub resident_id: Option<ResidentId>,
    pub trade: Trade,
    pub employer: Option<String>,
    pub last_visit: Option<DateTime<Utc>>,
    pub matched: Match,
}

/// A case found by a lookup.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseHit {
    pub id: CaseId,
    pub number: CaseNumber,
    pub case_type: CaseType,
    pub status: CaseStatus,
    pub first_claimant: Option<String>,
    pub claimants: u32,
    pub respondent: Option<String>,
    pub claimed: Fen,
    pub recovered: Fen,
    pub handler: Option<String>,
    pub follow_up: Option<NaiveDate>,
    pub matched: Match,
}

/// One result of a lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    Person(PersonHit),
    Case(CaseHit),
}

impl Hit {
    /// Why it matched.
    pub fn matched(&self) -> Match {
        match self {
            Hit::Person(p) => p.matched,
            Hit::Case(c) => c.matched,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Person(Uuid),
    Case(Uuid),
}

/// Candidates in order of discovery, keeping each record's best match.
#[derive(Default)]
struct Found {
    best: HashMap<Target, (Match, usize)>,
}

impl Found {
    fn add(&mut self, t: Target, m: Match) {
        let n = self.best.len();
        self.best
            .entry(t)
            .and_modify(|e| e.0 = e.0.min(m))
            .or_insert((m, n));
    }
    /// The same, each person as the one they are shown as (merged people:
    /// `store/merge.rs`), keeping the best match of each.
    fn through_survivors(self, conn: &Connection) -> Result<Found> {
        let mut ordered: Vec<_> = self.best.into_iter().collect();
        ordered.sort_by_key(|(_, (_, n))| *n);
        let mut out = Found::default();
        for (t, (m, _)) in ordered {
            let t = match t {
                Target::Person(id) => Target::Person(super::merge::survivor_of(conn, &id)?),
                other => other,
            };
            out.add(t, m);
        }
        Ok(out)
    }

    fn ranked(&self) -> Vec<(Target, Match)> {
        let mut v: Vec<_> = self.best.iter().map(|(t, (m, n))| (*t, *m, *n)).collect();
        v.sort_by_key(|(_, m, n)| (*m, *n));
        v.into_iter().map(|(t, m, _)| (t, m)).collect()
    }
}

impl Store {
    /// Looks `query` up; at most `limit` results, best first.
    pub fn lookup(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let q: String = query.nfkc().collect::<String>().trim().to_lowercase();
        if q.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        if let Ok(n) = q.parse::<CaseNumber>()
            && let Some(id) = case_by_number(conn, &n)?
        {
            // A whole case number names one case: nothing else to rank.
            return Ok(case_hit(conn, &id, Match::CaseNumber)?
                .map(Hit::Case)
                .into_iter()
                .collect());
        }
        let mut scan = Scan {
            conn,
            found: Found::default(),
            limit: limit.saturating_mul(2).max(10),
        };
        let compact: String = q.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let len = compact.len();
        let digits = len > 0 && compact.bytes().all(|b| b.is_ascii_digit());
        let id_tail = len >= 4
            && compact.ends_with('x')
            && compact[..len - 1].bytes().all(|b| b.is_ascii_digit());
        if digits || id_tail {
            let rev: String = compact.to_uppercase().chars().rev().collect();
            if digits && len == 11 {
                scan.exact(term::MOBILE, &compact, Match::Mobile)?;
            }
            if digits
                && len <= 6
                && let Ok(seq) = compact.parse::<i64>()
            {
                for id in cases_by_seq(conn, seq, scan.limit)? {
                    scan.found.add(Target::Case(id), Match::CaseNumberTail);
                }
            }
            if digits && (4..11).contains(&len) {
                scan.prefix(term::MOBILE_REV, &rev, Match::MobileTail, Match::MobileTail)?;
            }
            if len >= 4 {
                let m = if len == 18 {
                    Match::ResidentId
                } else {
                    Match::ResidentIdTail
                };
                scan.prefix(term::RESIDENT_ID_REV, &rev, m, m)?;
            }
            if digits && (3..11).contains(&len) {
                scan.prefix(
                    term::MOBILE,
                    &compact,
                    Match::MobileStart,
                    Match::MobileStart,
                )?;
            }
        } else {
            scan.prefix(term::NAME, &q, Match::Name, Match::NameStart)?;
            if q.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
                let letters: String = q.chars().filter(|c| *c != ' ').collect();
                scan.prefix(term::PINYIN, &letters, Match::Pinyin, Match::PinyinStart)?;
                scan.prefix(
                    term::INITIALS,
                    &letters,
                    Match::Initials,
                    Match::InitialsStart,
                )?;
                for kind in [term::PINYIN_OTHER, term::INITIALS_OTHER] {
                    scan.prefix(kind, &letters, Match::PinyinOther, Match::PinyinOtherStart)?;
                }
                for kind in [term::PINYIN_INNER, term::INITIALS_INNER] {
                    scan.prefix(kind, &letters, Match::PinyinPart, Match::PinyinPart)?;
                }
            }
            scan.prefix(term::NAME_INNER, &q, Match::NamePart, Match::NamePart)?;
            scan.prefix(term::RESPONDENT, &q, Match::Respondent, Match::Respondent)?;
        }
        // A merged person's name, phone or ID finds the one they were
        // merged into.
        let mut found = scan.found.through_survivors(conn)?;

        // The cases of the best-matching people.
        let people: Vec<(Uuid, Match)> = found
            .ranked()
            .into_iter()
            .filter_map(|(t, m)| match t {
                Target::Person(id) => Some((id, m)),
                Target::Case(_) => None,
            })
            .take(limit.min(10))
            .collect();
        for (pid, m) in people {
            for cid in cases_of_person(conn, &pid, scan.limit)? {
                found.add(Target::Case(cid), m.max(Match::Claimant));
            }
        }

        let mut hits = Vec::new();
        for (t, m) in found.ranked().into_iter().take(limit) {
            let hit = match t {
                Target::Person(id) => person_hit(conn, &id, m)?.map(Hit::Person),
                Target::Case(id) => case_hit(conn, &id, m)?.map(Hit::Case),
            };
            hits.extend(hit);
        }
        Ok(hits)
    }
}

/// Range scans of the lookup terms, collecting what they find.
///
/// Row limits are applied by stopping the iteration, never as a bound
/// `LIMIT ?`: SQLite re-prepares a statement whose `LIMIT` is a parameter at
/// every new binding. For the same reason no statement here binds a
/// parameter against a partial index or inside a `LEFT JOIN`.
struct Scan<'a> {
    conn: &'a Connection,
    found: Found,
    /// Rows read from one scan at most.
    limit: usize,
}

impl Scan<'_> {
    /// Adds the records with a term of `kind` equal to `q`.
    fn exact(&mut self, kind: i64, q: &str, m: Match) -> Result<()> {
        self.range(kind, q, &format!("{q}\0"), m, m)
    }

    /// Adds the records with a term of `kind` starting with `q`, marking
    /// exact matches `on_exact` and the others `on_prefix`.
    fn prefix(&mut self, kind: i64, q: &str, on_exact: Match, on_prefix: Match) -> Result<()> {
        let mut upper = q.to_owned();
        upper.push(char::MAX);
        self.range(kind, q, &upper, on_exact, on_prefix)
    }

    fn range(
        &mut self,
        kind: i64,
        q: &str,
        hi: &str,
        on_exact: Match,
        on_prefix: Match,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT term, id FROM search_terms
             WHERE kind = ?1 AND term >= ?2 AND term < ?3 ORDER BY term",
        )?;
        let rows = stmt.query_map(params![kind, q, hi], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        // A person has several pinyin terms that may share the prefix (李长江:
        // `lichangjiang` and `lizhangjiang` for `li`): the scan stops after
        // `limit` records, or after reading as many rows as that many
        // records can have terms.
        let mut records = std::collections::HashSet::new();
        for row in rows.take(self.limit.saturating_mul(MAX_SPELLINGS)) {
            let (t, id) = row?;
            let Ok(id) = Uuid::from_slice(&id) else {
                continue;
            };
            let m = if t == q { on_exact } else { on_prefix };
            let target = if kind == term::RESPONDENT {
                Target::Case(id)
            } else {
                Target::Person(id)
            };
            self.found.add(target, m);
            records.insert(id);
            if records.len() >= self.limit {
                break;
            }
        }
        Ok(())
    }
}

fn case_by_number(conn: &Connection, n: &CaseNumber) -> Result<Option<Uuid>> {
    let id: Option<Vec<u8>> = conn
        .prepare_cached("SELECT id FROM cases WHERE code = ?1 AND year = ?2 AND seq = ?3")?
        .query_row(params![n.code, n.year, n.seq], |r| r.get(0))
        .optional()?;
    Ok(id.and_then(|b| Uuid::from_slice(&b).ok()))
}

fn cases_by_seq(conn: &Connection, seq: i64, limit: usize) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM cases WHERE seq = ?1 ORDER BY year DESC")?;
    let rows = stmt.query_map(params![seq], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for r in rows.take(limit) {
        if let Ok(id) = Uuid::from_slice(&r?) {
            out.push(id);
        }
    }
    Ok(out)
}

fn cases_of_person(conn: &Connection, person: &Uuid, limit: usize) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT case_id FROM case_claimants WHERE person_id IN
             (SELECT ?1 UNION ALL SELECT id FROM person_survivor WHERE survivor = ?1)
           AND removed = 0",
    )?;
    let rows = stmt.query_map(params![person.as_bytes()], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for r in rows.take(limit) {
        if let Ok(id) = Uuid::from_slice(&r?) {
            out.push(id);
        }
    }
    Ok(out)
}

fn person_hit(conn: &Connection, id: &Uuid, matched: Match) -> Result<Option<PersonHit>> {
    let hit = conn
        .prepare_cached(
            "SELECT name, mobile, resident_id, trade, employer,
                    (SELECT max(arrived_at) FROM visits WHERE person_id IN
                        (SELECT p.id UNION ALL
                         SELECT m.id FROM person_survivor m WHERE m.survivor = p.id))
             FROM people p WHERE id = ?1",
        )?
        .query_row([id.as_bytes()], |r| {
            Ok(PersonHit {
                id: PersonId(*id),
                name: r.get(0)?,
                mobile: r.get::<_, Option<String>>(1)?.and_then(Mobile::from_stored),
                resident_id: r
                    .get::<_, Option<String>>(2)?
                    .and_then(ResidentId::from_stored),
                trade: r.get::<_, Trade>(3)?,
                employer: r.get(4)?,
                last_visit: r
                    .get::<_, Option<i64>>(5)?
                    .and_then(DateTime::from_timestamp_millis),
                matched,
            })
        })
        .optional()?;
    Ok(hit)
}

// The handler's name is a scalar subquery, not a LEFT JOIN: SQLite
// re-prepares a LEFT JOIN statement whose WHERE binds a parameter every time
// it is bound again, which doubled the cost of a lookup.
fn case_hit(conn: &Connection, id: &Uuid, matched: Match) -> Result<Option<CaseHit>> {
    let hit = conn
        .prepare_cached(
            "SELECT c.code, c.year, c.seq, c.case_type, c.status, c.respondent, c.claimed,
                    c.recovered, (SELECT name FROM staff WHERE id = c.handler), c.follow_up,
                    (SELECT count(*) FROM case_claimants k WHERE k.case_id = c.id AND k.removed = 0),
                    (SELECT p.name FROM people p WHERE p.id =
                      (SELECT k.person_id FROM case_claimants k
                        WHERE k.case_id = c.id AND k.removed = 0 ORDER BY k.person_id LIMIT 1))
             FROM cases c WHERE c.id = ?1",
        )?
        .query_row([id.as_bytes()], |r| {
            Ok(CaseHit {
                id: id_col(id.as_bytes())?,
                number: CaseNumber {
                    code: r.get(0)?,
                    year: r.get(1)?,
                    seq: r.get(2)?,
                },
                case_type: r.get::<_, CaseType>(3)?,
                status: r.get::<_, CaseStatus>(4)?,
                respondent: r.get(5)?,
                claimed: Fen(r.get(6)?),
                recovered: Fen(r.get(7)?),
                handler: r.get(8)?,
                follow_up: r
                    .get::<_, Option<String>>(9)?
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                claimants: r.get(10)?,
                first_claimant: r.get(11)?,
                matched,
            })
        })
        .optional()?;
    Ok(hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_terms_cover_every_lookup_form() {
        let t = person_terms("张小三", Some("13812345678"), Some("11010519491231002X"));
        let has = |k, s: &str| t.contains(&(k, s.to_owned()));
        assert!(has(term::NAME, "张小三"));
        assert!(has(term::NAME_INNER, "小三"));
        assert!(has(term::NAME_INNER, "三"));
        assert!(has(term::PINYIN, "zhangxiaosan"));
        assert!(has(term::PINYIN_INNER, "xiaosan"));
        assert!(has(term::INITIALS, "zxs"));
        assert!(has(term::INITIALS_INNER, "xs"));
        assert!(has(term::MOBILE, "13812345678"));
        assert!(has(term::MOBILE_REV, "87654321831"));
        assert!(has(term::RESIDENT_ID_REV, "X20013219491501011"));
    }

    #[test]
    fn pinyin_terms_of_every_reading_the_usual_one_apart() {
        let t = pinyin_terms("李长江");
        let of = |k| {
            let mut v: Vec<&str> = t
                .iter()
                .filter(|(kind, _)| *kind == k)
                .map(|(_, s)| s.as_str())
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(of(term::PINYIN), ["lizhangjiang"]);
        assert_eq!(of(term::PINYIN_OTHER), ["lichangjiang"]);
        assert_eq!(of(term::INITIALS), ["lzj"]);
        assert_eq!(of(term::INITIALS_OTHER), ["lcj"]);
        assert_eq!(
            of(term::PINYIN_INNER),
            ["changjiang", "jiang", "zhangjiang"]
        );
        assert_eq!(of(term::INITIALS_INNER), ["cj", "j", "zj"]);
        assert_eq!(pinyin_terms("张三").len(), 4);
    }

    #[test]
    fn match_order_is_the_ranking() {
        assert!(Match::CaseNumber < Match::Mobile);
        assert!(Match::Name < Match::NameStart);
        assert!(Match::NameStart < Match::NamePart);
        assert!(Match::Claimant < Match::NamePart);
        assert!(Match::Initials < Match::PinyinOther);
        assert!(Match::PinyinOther < Match::PinyinStart);
        assert!(Match::InitialsStart < Match::PinyinOtherStart);
    }
}
