//! The register of respondents: the employers and other parties claims are
//! made against, one record each (name, unified social credit code when
//! known, platform or site, address, contact), so that one employer's
//! cases at every station read as one.
//!
//! A case names its respondent as typed and links the register's record.
//! Whoever opens a case or changes its respondent, the store links the
//! record of that name or code (spelled the same once spaces, brackets and
//! letter case are set aside), or registers a new one. Respondents typed
//! two ways are merged like people: the record merged keeps its cases, and
//! every read goes to the one it was merged into.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use super::search::{pinyin_terms, term};
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::credit_code::CreditCode;
use crate::domain::error::{Field, ValidationError};
use crate::domain::ids::{CaseId, RespondentId, StationId};
use crate::domain::text::{clean_optional, clean_text};
use crate::store::oplog::Entity;

/// Longest name, in characters (as a case's respondent).
pub const NAME_MAX: usize = 100;

/// A respondent as typed: the name, and what else is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RespondentInput {
    pub name: String,
    pub credit_code: Option<String>,
    pub platform: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
}

/// A respondent of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    pub id: RespondentId,
    pub name: String,
    pub credit_code: Option<String>,
    pub platform: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub merged_into: Option<RespondentId>,
}

/// A respondent found by name, pinyin, initials or code, with its cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespondentHit {
    pub respondent: Respondent,
    /// Its cases and those of the respondents merged into it: open ones,
    /// all, and at how many stations.
    pub open: u32,
    pub cases: u32,
    pub stations: u32,
}

/// One case on a respondent's page.
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentCase {
    pub row: super::QueueRow,
    pub station: Option<String>,
}

/// A respondent's page: the record, those merged into it, and every case
/// against any of them at every station, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentPage {
    pub respondent: Respondent,
    pub merged: Vec<Respondent>,
    pub cases: Vec<RespondentCase>,
}

/// A respondent with open cases at several stations (the district's early
/// warning of an employer in trouble).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpreadRespondent {
    pub id: RespondentId,
    pub name: String,
    pub stations: u32,
    pub open: u32,
}

/// Two respondents that may be one: same code, or same name once spaces,
/// brackets and letter case are set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespondentPair {
    pub a: Respondent,
    pub b: Respondent,
    pub same_code: bool,
}

/// A name as compared: full-width forms folded (NFKC), spaces, brackets
/// and punctuation dropped, letters lower-cased; 深圳市 广厦物流（有限公司）
/// and 深圳市广厦物流(有限公司) compare equal.
pub fn name_key(name: &str) -> String {
    name.nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The lookup terms of a respondent: every suffix of the name, every
/// spelling and string of initials from each syllable on, and the code.
pub(crate) fn respondent_terms(name: &str, code: Option<&str>) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let key = name_key(name);
    for (pos, _) in key.char_indices() {
        out.push((term::RESP_NAME, key[pos..].to_owned()));
    }
    for (kind, t) in pinyin_terms(name) {
        let k = match kind {
            term::PINYIN | term::PINYIN_OTHER | term::PINYIN_INNER => term::RESP_PINYIN,
            _ => term::RESP_INITIALS,
        };
        out.push((k, t));
    }
    if let Some(c) = code {
        out.push((term::RESP_CODE, c.to_lowercase()));
    }
    out.sort();
    out.dedup();
    out
}

struct Checked {
    name: String,
    code: Option<CreditCode>,
    platform: Option<String>,
    address: Option<String>,
    contact: Option<String>,
}

/// Which field of a respondent a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespondentField {
    Name,
    Code,
    Platform,
    Address,
    Contact,
}

/// A refused respondent: the field, and why.
pub fn refused_field(e: &ValidationError) -> RespondentField {
    use ValidationError as E;
    match e {
        E::CreditCodeLength { .. }
        | E::CreditCodeBadChar { .. }
        | E::CreditCodeRegion
        | E::CreditCodeCheck { .. }
        | E::CreditCodeTaken { .. } => RespondentField::Code,
        E::TextEmpty { field } | E::TextTooLong { field, .. } | E::TextControlChar { field } => {
            match field {
                Field::Platform => RespondentField::Platform,
                Field::Address => RespondentField::Address,
                Field::Contact => RespondentField::Contact,
                _ => RespondentField::Name,
            }
        }
        _ => RespondentField::Name,
    }
}

fn check(r: &RespondentInput) -> Result<Checked> {
    let opt = |field, s: &Option<String>| -> Result<Option<String>> {
        Ok(match s {
            Some(s) => clean_optional(field, s, 200)?,
            None => None,
        })
    };
    Ok(Checked {
        name: clean_text(Field::Respondent, &r.name, NAME_MAX)?,
        code: match r.credit_code.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => Some(CreditCode::parse(c)?),
            _ => None,
        },
        platform: opt(Field::Platform, &r.platform)?,
        address: opt(Field::Address, &r.address)?,
        contact: opt(Field::Contact, &r.contact)?,
    })
}

fn text_value(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

impl Writer<'_> {
    /// Registers a respondent. A code already held by another respondent
    /// is refused, naming it.
    pub fn add_respondent(&mut self, r: &RespondentInput) -> Result<RespondentId> {
        let c = check(r)?;
        let id = RespondentId::of_name(&name_key(&c.name));
        if let Some(there) = read(self.tx(), id)? {
            return Err(ValidationError::RespondentExists { name: there.name }.into());
        }
        self.code_free(c.code.as_ref(), None)?;
        self.create(
            Entity::Respondent,
            &id.0,
            &[
                ("name", Value::from(c.name.as_str())),
                (
                    "credit_code",
                    text_value(c.code.as_ref().map(CreditCode::as_str)),
                ),
                ("platform", text_value(c.platform.as_deref())),
                ("address", text_value(c.address.as_deref())),
                ("contact", text_value(c.contact.as_deref())),
                ("merged_into", Value::Null),
            ],
        )?;
        let terms = respondent_terms(&c.name, c.code.as_ref().map(CreditCode::as_str));
        self.reindex(&id.0, &[], &terms)?;
        Ok(id)
    }

    /// Changes what the register says of a respondent (the fields that
    /// differ are logged).
    pub fn update_respondent(&mut self, id: RespondentId, r: &RespondentInput) -> Result<()> {
        let c = check(r)?;
        let old = read(self.tx(), id)?.ok_or(StoreError::NotFound("respondent"))?;
        self.code_free(c.code.as_ref(), Some(id))?;
        let code = c.code.as_ref().map(|x| x.as_str().to_owned());
        let mut fields: Vec<(&'static str, Value)> = Vec::new();
        let mut put = |name, old: &Option<String>, new: &Option<String>| {
            if old != new {
                fields.push((name, text_value(new.as_deref())));
            }
        };
        put("name", &Some(old.name.clone()), &Some(c.name.clone()));
        put("credit_code", &old.credit_code, &code);
        put("platform", &old.platform, &c.platform);
        put("address", &old.address, &c.address);
        put("contact", &old.contact, &c.contact);
        self.update(Entity::Respondent, &id.0, &fields)?;
        self.reindex(
            &id.0,
            &respondent_terms(&old.name, old.credit_code.as_deref()),
            &respondent_terms(&c.name, code.as_deref()),
        )
    }

    /// Refuses a code another respondent (not merged away, not `except`)
    /// already holds.
    fn code_free(&self, code: Option<&CreditCode>, except: Option<RespondentId>) -> Result<()> {
        let Some(code) = code else { return Ok(()) };
        let holder: Option<(Vec<u8>, String)> = self
            .tx()
            .prepare_cached(
                "SELECT id, name FROM respondents
                 WHERE credit_code = ?1 AND merged_into IS NULL LIMIT 1",
            )?
            .query_row([code.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match holder {
            Some((id, name))
                if Some(id.as_slice()) != except.as_ref().map(|e| &e.0.as_bytes()[..]) =>
            {
                Err(ValidationError::CreditCodeTaken { name }.into())
            }
            _ => Ok(()),
        }
    }

    /// The respondent a typed name (or code) stands for: the one it names
    /// in the register (spelled the same, or its code), else a new one.
    pub(crate) fn respondent_for(&mut self, typed: &str) -> Result<RespondentId> {
        if let Some(id) = find_exact(self.tx(), typed)? {
            return Ok(id);
        }
        // Registered under this name once, and renamed since: the same.
        let derived = RespondentId::of_name(&name_key(typed));
        if let Some(r) = read(self.tx(), derived)? {
            return Ok(survivor(self.tx(), r)?.id);
        }
        self.add_respondent(&RespondentInput {
            name: typed.to_owned(),
            ..Default::default()
        })
    }

    /// Links a case to a respondent of the register, its name as the case's
    /// respondent.
    pub fn link_respondent(&mut self, case: CaseId, id: RespondentId) -> Result<()> {
        let r = read(self.tx(), id)?.ok_or(StoreError::NotFound("respondent"))?;
        let r = survivor(self.tx(), r)?;
        self.set_respondent_text(case, &r.name, Some(r.id))
    }

    /// Merges respondent `from` into `into`: one employer typed two ways.
    /// Its cases stay its own and read as `into`'s; undone by
    /// [`Writer::unmerge_respondent`].
    pub fn merge_respondents(&mut self, from: RespondentId, into: RespondentId) -> Result<()> {
        if from == into {
            return Err(ValidationError::RespondentMergeSelf.into());
        }
        read(self.tx(), from)?.ok_or(StoreError::NotFound("respondent"))?;
        let b = read(self.tx(), into)?.ok_or(StoreError::NotFound("respondent"))?;
        // No cycle: `into` must not lead back to `from`.
        if survivor(self.tx(), b.clone())?.id == from {
            return Err(ValidationError::RespondentMergeSelf.into());
        }
        self.update(
            Entity::Respondent,
            &from.0,
            &[("merged_into", opt_id(Some(&into.0)))],
        )
    }

    /// Undoes the merge of a respondent.
    pub fn unmerge_respondent(&mut self, id: RespondentId) -> Result<()> {
        read(self.tx(), id)?.ok_or(StoreError::NotFound("respondent"))?;
        self.update(Entity::Respondent, &id.0, &[("merged_into", Value::Null)])
    }
}

/// The register's respondent that `typed` names exactly: by code, else by
/// its name spelled the same (see [`name_key`]); the survivor of a merge.
pub(crate) fn find_exact(conn: &Connection, typed: &str) -> Result<Option<RespondentId>> {
    if let Ok(code) = CreditCode::parse(typed) {
        let by_code: Option<Vec<u8>> = conn
            .prepare_cached("SELECT id FROM respondents WHERE credit_code = ?1 ORDER BY merged_into IS NOT NULL LIMIT 1")?
            .query_row([code.as_str()], |r| r.get(0))
            .optional()?;
        if let Some(id) = by_code {
            let r = read(conn, id_col(&id)?)?.ok_or(StoreError::NotFound("respondent"))?;
            return Ok(Some(survivor(conn, r)?.id));
        }
    }
    let key = name_key(typed);
    if key.is_empty() {
        return Ok(None);
    }
    let ids: Vec<Vec<u8>> = conn
        .prepare_cached("SELECT id FROM search_terms WHERE kind = ?1 AND term = ?2")?
        .query_map(params![term::RESP_NAME, key], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut best: Option<Respondent> = None;
    for id in ids {
        let Some(r) = read(conn, id_col(&id)?)? else {
            continue;
        };
        if name_key(&r.name) != key {
            continue; // a longer name that ends with this one
        }
        let r = survivor(conn, r)?;
        // The oldest record of the name, the same at every station.
        if best.as_ref().is_none_or(|b| r.id < b.id) {
            best = Some(r);
        }
    }
    Ok(best.map(|r| r.id))
}

const COLUMNS: &str = "id, name, credit_code, platform, address, contact, merged_into";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Respondent> {
    Ok(Respondent {
        id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
        name: r.get(1)?,
        credit_code: r.get(2)?,
        platform: r.get(3)?,
        address: r.get(4)?,
        contact: r.get(5)?,
        merged_into: match r.get::<_, Option<Vec<u8>>>(6)? {
            Some(b) => Some(id_col(&b)?),
            None => None,
        },
    })
}

pub(crate) fn read(conn: &Connection, id: RespondentId) -> Result<Option<Respondent>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM respondents WHERE id = ?1"))?
        .query_row([id.as_bytes()], row)
        .optional()?)
}

/// The respondent `r` reads as: the end of its chain of merges (a chain
/// that loops, made apart at two stations, ends at the smallest id in it,
/// the same everywhere).
fn survivor(conn: &Connection, r: Respondent) -> Result<Respondent> {
    let mut seen = vec![r.id];
    let mut cur = r;
    while let Some(next) = cur.merged_into {
        if seen.contains(&next) {
            let min = seen.iter().min().copied().unwrap_or(next);
            return read(conn, min)?.ok_or(StoreError::NotFound("respondent"));
        }
        seen.push(next);
        match read(conn, next)? {
            Some(n) => cur = n,
            None => break, // not received yet: this one stands meanwhile
        }
    }
    Ok(cur)
}

/// The respondents merged into `id`, directly or along a chain.
fn merged_into(conn: &Connection, id: RespondentId) -> Result<Vec<Respondent>> {
    let mut out: Vec<Respondent> = Vec::new();
    let mut todo = vec![id];
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM respondents WHERE merged_into = ?1 ORDER BY id"
    ))?;
    while let Some(cur) = todo.pop() {
        let rows = stmt.query_map([cur.as_bytes()], row)?;
        for r in rows {
            let r = r?;
            if r.id != id && !out.iter().any(|o| o.id == r.id) {
                todo.push(r.id);
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// The cases against any of `ids`: id, status open?, station.
fn cases_of(conn: &Connection, ids: &[RespondentId]) -> Result<Vec<(CaseId, bool, StationId)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, status, station_id FROM cases INDEXED BY cases_by_respondent
         WHERE respondent_id = ?1",
    )?;
    let mut out = Vec::new();
    for id in ids {
        let rows = stmt.query_map([id.as_bytes()], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, crate::domain::case::CaseStatus>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        for r in rows {
            let (c, s, st) = r?;
            out.push((id_col(&c)?, s.is_open(), id_col(&st)?));
        }
    }
    Ok(out)
}

impl Store {
    /// A respondent of the register by id.
    pub fn respondent(&self, id: RespondentId) -> Result<Option<Respondent>> {
        read(self.conn(), id)
    }

    /// Respondents found by name (any part), pinyin (full or initials, from
    /// any syllable) or code (its start), each as the one it was merged
    /// into, with its cases; those with open cases first.
    pub fn find_respondents(&self, query: &str, limit: usize) -> Result<Vec<RespondentHit>> {
        let q = name_key(query);
        if q.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let mut upper = q.clone();
        upper.push(char::MAX);
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM search_terms WHERE kind = ?1 AND term >= ?2 AND term < ?3",
        )?;
        let mut ids: Vec<RespondentId> = Vec::new();
        for kind in [
            term::RESP_CODE,
            term::RESP_NAME,
            term::RESP_PINYIN,
            term::RESP_INITIALS,
        ] {
            let rows = stmt.query_map(params![kind, q, upper], |r| r.get::<_, Vec<u8>>(0))?;
            for r in rows.take(limit.saturating_mul(8)) {
                let id: RespondentId = id_col(&r?)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        let mut hits: Vec<RespondentHit> = Vec::new();
        for id in ids {
            let Some(r) = read(conn, id)? else { continue };
            let r = survivor(conn, r)?;
            if hits.iter().any(|h| h.respondent.id == r.id) {
                continue;
            }
            hits.push(self.hit(r)?);
        }
        hits.sort_by(|a, b| {
            (b.open, b.cases, &a.respondent.name).cmp(&(a.open, a.cases, &b.respondent.name))
        });
        hits.truncate(limit);
        Ok(hits)
    }

    fn hit(&self, r: Respondent) -> Result<RespondentHit> {
        let mut group = vec![r.id];
        group.extend(merged_into(self.conn(), r.id)?.into_iter().map(|m| m.id));
        let cases = cases_of(self.conn(), &group)?;
        let stations: BTreeSet<StationId> = cases.iter().map(|c| c.2).collect();
        Ok(RespondentHit {
            respondent: r,
            open: cases.iter().filter(|c| c.1).count() as u32,
            cases: cases.len() as u32,
            stations: stations.len() as u32,
        })
    }

    /// A respondent's page: as the one it was merged into, with every case
    /// against it or those merged into it, at every station, newest first.
    pub fn respondent_page(&self, id: RespondentId) -> Result<Option<RespondentPage>> {
        let conn = self.conn();
        let Some(r) = read(conn, id)? else {
            return Ok(None);
        };
        let r = survivor(conn, r)?;
        let merged = merged_into(conn, r.id)?;
        let mut group = vec![r.id];
        group.extend(merged.iter().map(|m| m.id));
        let mut ids: Vec<CaseId> = cases_of(conn, &group)?.into_iter().map(|c| c.0).collect();
        ids.sort_by(|a, b| b.cmp(a));
        let names: HashMap<StationId, String> = self
            .stations()?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let mut cases = Vec::with_capacity(ids.len());
        for row in self.queue_rows(&ids)? {
            let station = self
                .case(row.id)?
                .and_then(|c| names.get(&c.station).cloned());
            cases.push(RespondentCase { row, station });
        }
        Ok(Some(RespondentPage {
            respondent: r,
            merged,
            cases,
        }))
    }

    /// How many respondents have open cases at two or more stations (the
    /// figure): for one station, those of its open cases that have open
    /// cases at another station too. Counted in the index, no row read,
    /// unless some respondent was merged into another (then exactly, each
    /// as the one it was merged into).
    pub fn count_respondents_at_several_stations(&self, station: Option<StationId>) -> Result<u64> {
        let conn = self.conn();
        let merged: bool = conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM respondents INDEXED BY respondents_by_merged_into
                 WHERE merged_into IS NOT NULL LIMIT 1)",
            )?
            .query_row([], |r| r.get::<_, i64>(0))?
            > 0;
        if merged {
            let all = self.spread()?;
            return Ok(all
                .iter()
                .filter(|(_, st, _)| st.len() >= 2 && station.is_none_or(|s| st.contains(&s)))
                .count() as u64);
        }
        let n: i64 = match station {
            None => conn
                .prepare_cached(
                    "SELECT count(*) FROM (
                       SELECT respondent_id FROM cases INDEXED BY cases_by_respondent
                       WHERE respondent_id IS NOT NULL AND status IN ('new', 'in_progress', 'waiting')
                       GROUP BY respondent_id HAVING min(station_id) <> max(station_id))",
                )?
                .query_row([], |r| r.get(0))?,
            Some(s) => conn
                .prepare_cached(
                    "SELECT count(*) FROM (
                       SELECT DISTINCT respondent_id AS r FROM cases INDEXED BY cases_by_station_status
                       WHERE station_id = ?1 AND status IN ('new', 'in_progress', 'waiting')
                         AND respondent_id IS NOT NULL)
                     WHERE EXISTS (SELECT 1 FROM cases c INDEXED BY cases_by_respondent
                       WHERE c.respondent_id = r AND c.status IN ('new', 'in_progress', 'waiting')
                         AND c.station_id <> ?1)",
                )?
                .query_row([s.as_bytes()], |r| r.get(0))?,
        };
        Ok(n as u64)
    }

    /// Each respondent with open cases, as the one it was merged into: the
    /// stations of its open cases, and how many there are.
    fn spread(&self) -> Result<Vec<(Respondent, BTreeSet<StationId>, u32)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT respondent_id, station_id FROM cases INDEXED BY cases_by_respondent
             WHERE respondent_id IS NOT NULL AND status IN ('new', 'in_progress', 'waiting')",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut by: BTreeMap<RespondentId, (Respondent, BTreeSet<StationId>, u32)> =
            BTreeMap::new();
        let mut seen: HashMap<RespondentId, Respondent> = HashMap::new();
        for r in rows {
            let (rid, st) = r?;
            let rid: RespondentId = id_col(&rid)?;
            let surv = match seen.get(&rid) {
                Some(s) => s.clone(),
                None => {
                    let Some(x) = read(conn, rid)? else { continue };
                    let s = survivor(conn, x)?;
                    seen.insert(rid, s.clone());
                    s
                }
            };
            let e = by
                .entry(surv.id)
                .or_insert_with(|| (surv.clone(), BTreeSet::new(), 0));
            e.1.insert(id_col(&st)?);
            e.2 += 1;
        }
        Ok(by.into_values().collect())
    }

    /// Respondents with open cases at two or more stations, most stations
    /// first: the district's early warning of an employer in trouble.
    pub fn respondents_at_several_stations(&self) -> Result<Vec<SpreadRespondent>> {
        let mut out: Vec<SpreadRespondent> = self
            .spread()?
            .into_iter()
            .filter(|(_, st, _)| st.len() >= 2)
            .map(|(r, st, open)| SpreadRespondent {
                id: r.id,
                name: r.name,
                stations: st.len() as u32,
                open,
            })
            .collect();
        out.sort_by(|a, b| (b.stations, b.open, &a.name).cmp(&(a.stations, a.open, &b.name)));
        Ok(out)
    }

    /// Respondents that may be one: the same code, or the same name once
    /// spaces, brackets and letter case are set aside (only respondents
    /// not merged away).
    pub fn respondent_duplicates(&self) -> Result<Vec<RespondentPair>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM respondents WHERE merged_into IS NULL ORDER BY id"
        ))?;
        let all: Vec<Respondent> = stmt.query_map([], row)?.collect::<rusqlite::Result<_>>()?;
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in all.iter().enumerate() {
            by_key.entry(name_key(&r.name)).or_default().push(i);
            if let Some(c) = &r.credit_code {
                by_code.entry(c.as_str()).or_default().push(i);
            }
        }
        let mut pairs: BTreeMap<(usize, usize), bool> = BTreeMap::new();
        for group in by_code.values() {
            for (x, a) in group.iter().enumerate() {
                for b in &group[x + 1..] {
                    pairs.insert((*a, *b), true);
                }
            }
        }
        for group in by_key.values() {
            for (x, a) in group.iter().enumerate() {
                for b in &group[x + 1..] {
                    pairs.entry((*a, *b)).or_insert(false);
                }
            }
        }
        Ok(pairs
            .into_iter()
            .map(|((a, b), same_code)| RespondentPair {
                a: all[a].clone(),
                b: all[b].clone(),
                same_code,
            })
            .collect())
    }
}

/// A respondent id from its text form (the command line).
pub fn parse_id(s: &str) -> Option<RespondentId> {
    Uuid::parse_str(s.trim()).ok().map(RespondentId)
}

/// Re-indexes a respondent after a rebuild from the log (apply.rs).
pub(crate) fn terms_of(conn: &Connection, id: &Uuid) -> Result<Vec<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT name, credit_code FROM respondents WHERE id = ?1",
            [id.as_bytes()],
            |r| {
                Ok(respondent_terms(
                    &r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?.as_deref(),
                ))
            },
        )
        .optional()?
        .unwrap_or_default())
}
