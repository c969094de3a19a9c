//! Erasure on request (China's Personal Information Protection Law): an
//! admin erases a person, and their personal fields are wiped everywhere
//! the records travel — in the tables, in the lookup terms, in the
//! conflicts list and in the operation log itself.
//!
//! What is wiped: name (to "", the column is NOT NULL), mobile, resident
//! ID, employer and the date of joining the union (to NULL). What stays:
//! trade, union membership, the time of registration, and every visit,
//! case, claimant, session and waitlist entry that points to the person's
//! id. They identify nobody once the name and numbers are gone, and the
//! figures count by id, so anonymous counts stay exactly as they were.
//!
//! The erasure is an ordinary update of the person (the wiped values and
//! `erased = true`), so it syncs like any edit. It must also win over every
//! other edit of the personal fields, made before or concurrently, whatever
//! the clocks say. Per-field last-writer-wins alone would let a concurrent
//! edit with a later clock bring a name back, so instead no personal value
//! of an erased person is ever kept: the operations already in the log are
//! redacted (their values replaced by the wiped ones, origin, sequence
//! number and clock untouched, `redacted = 1`), and so is every operation
//! of the person that arrives later (`apply.rs`) before it is stored. The
//! fold then gives the wiped values whichever operation wins, and two
//! replicas that hold the same operations hold the same payloads.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::apply::terms_of;
use super::audit::AuditAction;
use super::oplog::{Entity, ops_of};
use super::search::reindex;
use super::{Result, Store, StoreError};
use crate::domain::access::Act;
use crate::domain::ids::{PersonId, ReplicaId};

/// The personal fields of a person: what an erasure wipes.
pub const PERSONAL: [&str; 5] = ["name", "mobile", "resident_id", "employer", "union_joined"];

/// The field that marks a person erased.
pub const ERASED: &str = "erased";

/// The value a personal field holds once erased: the name is NOT NULL, so
/// it becomes empty; the others become NULL.
pub fn wiped(field: &str) -> Value {
    if field == "name" {
        Value::String(String::new())
    } else {
        Value::Null
    }
}

/// Replaces the personal values among the fields of an operation of a
/// person by the wiped ones. True when anything changed.
pub fn redact_fields(fields: &mut Map<String, Value>) -> bool {
    let mut changed = false;
    for name in PERSONAL {
        if let Some(v) = fields.get_mut(name) {
            let w = wiped(name);
            if *v != w {
                *v = w;
                changed = true;
            }
        }
    }
    changed
}

/// Whether fields of a person set any personal field to a value that is
/// not the wiped one.
pub fn sets_personal(fields: &[(&str, Value)]) -> bool {
    fields
        .iter()
        .any(|(name, v)| PERSONAL.contains(name) && *v != wiped(name))
}

/// Whether the fields of an operation of a person erase it.
pub fn erases(fields: &Map<String, Value>) -> bool {
    fields.get(ERASED) == Some(&Value::Bool(true))
}

/// Whether the log holds an erasure of a person. ops_by_entity: the
/// person's operations, a handful.
const ERASURE_LOGGED: &str = "SELECT EXISTS (SELECT 1 FROM ops WHERE id = ?1 AND entity = ?2
     AND json_extract(payload, '$.erased') IS 1)";

/// The operations of a person, to redact. ops_by_entity: never the whole
/// log.
const PERSON_OPS: &str = "SELECT o.replica_id, ops.origin, ops.seq, ops.payload
     FROM ops JOIN origins o ON o.idx = ops.origin
     WHERE ops.id = ?1 AND ops.entity = ?2";

/// Whether the person `id` is erased in this database: its row says so,
/// or, while it has no row yet (its erasure arrived before its creation),
/// an erasure is in the log.
pub(crate) fn is_erased(conn: &Connection, id: &Uuid) -> Result<bool> {
    let row: Option<Option<i64>> = conn
        .prepare_cached("SELECT erased FROM people WHERE id = ?1")?
        .query_row([id.as_bytes()], |r| r.get(0))
        .optional()?;
    if let Some(erased) = row {
        return Ok(erased == Some(1));
    }
    let logged: bool = conn
        .prepare_cached(ERASURE_LOGGED)?
        .query_row(params![id.as_bytes(), Entity::Person.code()], |r| r.get(0))?;
    Ok(logged)
}

/// Redacts every operation of person `id` in the log that still holds a
/// personal value. Reads only that person's operations (`ops_by_entity`).
/// The redacted operations are noted in the journal (see
/// [`Store::redactions_after`]). Returns how many were redacted.
pub(crate) fn redact_log(conn: &Connection, id: &Uuid) -> Result<usize> {
    // Held apart (dated far ahead, `held.rs`): redacted too, never
    // journaled (this replica never writes them out).
    super::held::redact_held(conn, id)?;
    let mut found = Vec::new();
    {
        let mut stmt = conn.prepare_cached(PERSON_OPS)?;
        let rows = stmt.query_map(params![id.as_bytes(), Entity::Person.code()], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (replica, origin, seq, payload) = row?;
            let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(&payload) else {
                return Err(StoreError::Corrupt(format!(
                    "operation {seq} of a person has a bad payload"
                )));
            };
            if redact_fields(&mut fields) {
                let replica = ReplicaId::from_slice(&replica)
                    .ok_or_else(|| StoreError::Corrupt("origin with a bad id".into()))?;
                found.push((replica, origin, seq, Value::Object(fields).to_string()));
            }
        }
    }
    if found.is_empty() {
        return Ok(0);
    }
    let mut update = conn.prepare_cached(
        "UPDATE ops SET payload = ?3, redacted = 1 WHERE origin = ?1 AND seq = ?2",
    )?;
    for (_, origin, seq, payload) in &found {
        update.execute(params![origin, seq, payload])?;
    }
    let refs: Vec<(ReplicaId, i64)> = found.iter().map(|(r, _, seq, _)| (*r, *seq)).collect();
    journal(conn, &refs)?;
    Ok(found.len())
}

/// Makes SQLite overwrite with zeros the space that the writes of this
/// connection free, until [`restore_zeroing`]: the old payloads, rows and
/// lookup terms of an erased person would otherwise stay readable in the
/// file's free space. Gives the setting before.
pub(crate) fn zero_freed_space(conn: &Connection) -> Result<i64> {
    let was: i64 = conn.query_row("PRAGMA secure_delete", [], |r| r.get(0))?;
    conn.pragma_update(None, "secure_delete", 1)?;
    Ok(was)
}

/// Puts back the setting [`zero_freed_space`] found.
pub(crate) fn restore_zeroing(conn: &Connection, was: i64) -> Result<()> {
    conn.pragma_update(None, "secure_delete", was)?;
    Ok(())
}

/// Bytes of zeros written in one row by [`wipe_free_pages`].
const WIPE_CHUNK: i64 = 4 << 20;

/// After an erasure is committed: overwrites with zeros every page of the
/// file that is free now. Zeroing what the erasure itself frees is not
/// enough: the person's values passed through pages freed long before
/// (lookup terms sorted in after a sync, rows of a bulk load), which
/// SQLite's `secure_delete = FAST` leaves as they were. SQLite has no
/// command for it, so the free pages are taken up by rows of zeros (pages
/// are taken from the free list before the file grows) and handed back
/// zeroed; the file does not grow. Then the write-ahead log is flushed
/// ([`flush_wal`]).
pub(crate) fn wipe_free_pages(conn: &Connection) -> Result<()> {
    let free = |c: &Connection| -> Result<i64> {
        Ok(c.query_row("PRAGMA freelist_count", [], |r| r.get(0))?)
    };
    if free(conn)? > 0 {
        let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let was = zero_freed_space(&tx)?;
        tx.execute_batch("CREATE TABLE wipe_free_pages (zeros BLOB)")?;
        let mut left = free(&tx)?;
        while left > 1 {
            // A row's overflow pages hold a little less than a page each;
            // the last pages are left to the table's own leaf.
            let bytes = ((left - 1) * (page - 8)).min(WIPE_CHUNK);
            tx.execute("INSERT INTO wipe_free_pages VALUES (zeroblob(?1))", [bytes])?;
            let now = free(&tx)?;
            if now >= left {
                break;
            }
            left = now;
        }
        tx.execute_batch("DROP TABLE wipe_free_pages")?;
        restore_zeroing(&tx, was)?;
        tx.commit()?;
    }
    flush_wal(conn);
    Ok(())
}

/// After an erasure is committed: the write-ahead log still holds older
/// images of the pages it changed. Copying it into the database and
/// truncating it removes them. Best effort: while another connection reads
/// (the console's background sync), SQLite cannot truncate it, and the next
/// checkpoint overwrites it in time.
pub(crate) fn flush_wal(conn: &Connection) {
    match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(0) => {}
        Ok(_) => tracing::info!("after an erasure: the write-ahead log is in use, not truncated"),
        Err(e) => tracing::warn!("after an erasure: cannot checkpoint the write-ahead log: {e}"),
    }
}

/// Settings keys of the journal of redactions: `erase.journal.` and a
/// 12-digit number, one entry per erasure that redacted operations already
/// in the log, listing them (`<origin, 32 hex> <seq>` a line). Bundle files
/// that this replica wrote before the erasure hold their old values: the
/// next sync with each folder rewrites them (`sync/folder.rs`).
const JOURNAL: &str = "erase.journal.";
/// Just past every journal key ('/' follows '.').
const JOURNAL_END: &str = "erase.journal/";

fn journal_key(n: u64) -> String {
    format!("{JOURNAL}{n:012}")
}

/// Adds an entry to the journal of redactions.
fn journal(conn: &Connection, refs: &[(ReplicaId, i64)]) -> Result<()> {
    // settings primary key: the last journal key.
    let last: Option<String> = conn
        .prepare_cached("SELECT max(key) FROM settings WHERE key > ?1 AND key < ?2")?
        .query_row(params![JOURNAL, JOURNAL_END], |r| r.get(0))?;
    let n = last
        .and_then(|k| k.strip_prefix(JOURNAL).and_then(|n| n.parse::<u64>().ok()))
        .unwrap_or(0)
        + 1;
    let lines: Vec<String> = refs
        .iter()
        .map(|(origin, seq)| format!("{} {seq}", origin.0.as_simple()))
        .collect();
    conn.prepare_cached("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)")?
        .execute(params![journal_key(n), lines.join("\n")])?;
    Ok(())
}

/// The people of a batch of operations that are erased, here already or by
/// an operation of the batch: every operation of theirs is redacted before
/// it is stored. One read per person of the batch, none for other records.
pub(crate) fn erased_in<'a>(
    conn: &Connection,
    ops: impl IntoIterator<Item = &'a super::oplog::LoggedOp>,
) -> Result<HashSet<Uuid>> {
    let mut seen: HashMap<Uuid, bool> = HashMap::new();
    for op in ops.into_iter().filter(|o| o.entity == Entity::Person) {
        let erased = seen.entry(op.id).or_insert(false);
        *erased |= erases(&op.fields);
    }
    let mut out = HashSet::new();
    for (id, in_batch) in seen {
        if in_batch || is_erased(conn, &id)? {
            out.insert(id);
        }
    }
    Ok(out)
}

/// Operations redacted after they were stored, as the journal of
/// redactions lists them: by origin, their sequence numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactions {
    /// The number of the last journal entry read; 0 when there is none.
    pub upto: u64,
    pub ops: BTreeMap<ReplicaId, BTreeSet<i64>>,
}

impl Redactions {
    /// Whether any of them is among `origin`'s operations `first..=last`.
    pub fn touches(&self, origin: ReplicaId, first: i64, last: i64) -> bool {
        self.ops
            .get(&origin)
            .is_some_and(|seqs| seqs.range(first..=last).next().is_some())
    }
}

impl Store {
    /// The operations redacted by the entries of the journal of redactions
    /// after entry `after` (a range of the settings' primary key; entries
    /// are few, one per erasure).
    pub fn redactions_after(&self, after: u64) -> Result<Redactions> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT key, value FROM settings WHERE key > ?1 AND key < ?2")?;
        let rows = stmt.query_map(params![journal_key(after), JOURNAL_END], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Redactions {
            upto: after,
            ..Redactions::default()
        };
        for row in rows {
            let (key, value) = row?;
            let bad = || StoreError::Corrupt(format!("journal entry {key} is damaged"));
            let n: u64 = key
                .strip_prefix(JOURNAL)
                .and_then(|n| n.parse().ok())
                .ok_or_else(bad)?;
            out.upto = out.upto.max(n);
            for line in value.lines() {
                let (origin, seq) = line.split_once(' ').ok_or_else(bad)?;
                let origin = Uuid::try_parse(origin).map_err(|_| bad())?;
                let seq: i64 = seq.parse().map_err(|_| bad())?;
                out.ops.entry(ReplicaId(origin)).or_default().insert(seq);
            }
        }
        Ok(out)
    }

    /// Erases a person on request (admins): their personal fields are
    /// wiped here and, through sync, on every replica; their operations in
    /// the log are redacted; lookup no longer finds them; their visits,
    /// cases and sessions stay, so the figures do not change. Recorded in
    /// the audit log by id only. Erasing an erased person again changes
    /// nothing. Records merged into one another (`store/merge.rs`) are one
    /// worker: erasing any of them erases every one, and every record ever
    /// merged with them (the merge undone since or not).
    pub fn erase_person(&mut self, id: PersonId) -> Result<()> {
        if !self.session().is_some_and(|s| s.may(Act::Erase)) {
            return Err(StoreError::NotAllowed(Act::Erase));
        }
        let survivor = self.survivor(id)?;
        let mut group = vec![survivor];
        group.extend(self.merged_people(survivor)?);
        // And every record ever merged with them, the merge undone or not:
        // as every replica does once the erasure reaches it (`apply.rs`).
        for p in super::merge::linked(&self.conn, id.0)? {
            if !group.contains(&PersonId(p))
                && super::people::read_person(&self.conn, &p)?.is_some()
            {
                group.push(PersonId(p));
            }
        }
        let mut w = self.begin(None)?;
        let zeroing = zero_freed_space(w.tx())?;
        for p in group {
            erase_one(&mut w, p)?;
        }
        restore_zeroing(w.tx(), zeroing)?;
        w.commit()?;
        wipe_free_pages(&self.conn)
    }
}

/// Erases one record in the write `w` (see [`Store::erase_person`]).
fn erase_one(w: &mut super::oplog::Writer<'_>, id: PersonId) -> Result<()> {
    let erased: Option<Option<i64>> = w
        .tx()
        .prepare_cached("SELECT erased FROM people WHERE id = ?1")?
        .query_row([id.0.as_bytes()], |r| r.get(0))
        .optional()?;
    let Some(erased) = erased else {
        return Err(StoreError::NotFound("person"));
    };
    let before = terms_of(w.tx(), Entity::Person, &id.0)?;
    // Old values first, so that nothing below (the conflicts list rebuilt
    // after the update) reads them again.
    let redacted = redact_log(w.tx(), &id.0)?;
    if erased != Some(1) {
        let mut fields: Vec<(&'static str, Value)> =
            PERSONAL.iter().map(|f| (*f, wiped(f))).collect();
        fields.push((ERASED, Value::Bool(true)));
        w.update(Entity::Person, &id.0, &fields)?;
    }
    let after = terms_of(w.tx(), Entity::Person, &id.0)?;
    reindex(w.tx(), &id.0, &before, &after, false)?;
    // A lookup term may also wait in pending_terms (an unfinished load; the
    // table is empty otherwise).
    w.tx()
        .prepare_cached("DELETE FROM pending_terms WHERE id = ?1")?
        .execute([id.0.as_bytes()])?;
    // Listed conflicts of the person held the old values: rebuilt from the
    // redacted log, where the personal fields all agree.
    let ops = ops_of(w.tx(), &id.0)?;
    super::conflicts::refresh(w.tx(), Entity::Person, &id.0, &ops, true)?;
    if erased != Some(1) {
        // The detail holds a count, never a value.
        w.record_audit(
            AuditAction::Erase,
            super::audit::About::person(id),
            &serde_json::json!({ "operations_redacted": redacted }),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::domain::access::Session;
    use crate::domain::case::CaseType;
    use crate::domain::money::Fen;
    use crate::domain::person::{PersonDetails, PersonInput, Trade};
    use crate::domain::staff::Role;
    use crate::domain::visit::Services;
    use crate::store::cases::NewCase;
    use crate::store::search::Hit;

    const NAME: &str = "欧阳娜娜";
    const MOBILE: &str = "13812345678";
    const RESIDENT_ID: &str = "11010519491231002X";
    const EMPLOYER: &str = "闪送同城";

    fn details(name: &str, mobile: &str) -> PersonDetails {
        PersonInput {
            name: name.into(),
            mobile: mobile.into(),
            resident_id: RESIDENT_ID.into(),
            trade: Some(Trade::Courier),
            employer: EMPLOYER.into(),
            union_member: true,
            union_joined: NaiveDate::from_ymd_opt(2026, 3, 8),
        }
        .validate()
        .unwrap()
    }

    /// A station with its first admin signed in, a person with every
    /// personal field, two visits and a case, and one other person.
    fn setup() -> (Store, PersonId, PersonId) {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        s.create_first_admin("王芳", "2468").unwrap();
        let mut w = s.begin(None).unwrap();
        let p = w.add_person(&details(NAME, MOBILE)).unwrap();
        let mut other = details("张三", "13900000001");
        other.resident_id = None;
        other.employer = Some("顺丰速运".into());
        other.union_joined = None;
        let q = w.add_person(&other).unwrap();
        for (who, h) in [(p, 3), (p, 5), (q, 4)] {
            w.check_in(
                who,
                Services::EMPTY,
                Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap(),
            )
            .unwrap();
        }
        w.open_case(&NewCase {
            case_type: CaseType::WageArrears,
            hardship_kind: None,
            claimants: vec![p.into(), q.into()],
            respondent: Some("宏达劳务".into()),
            summary: None,
            claimed: Fen(1_697_400),
            handler: None,
            follow_up: None,
            opened_at: Utc.with_ymd_and_hms(2026, 11, 20, 6, 0, 0).unwrap(),
        })
        .unwrap();
        w.commit().unwrap();
        // A later edit, so that more than one operation holds old values.
        let mut d = s.person(p).unwrap().unwrap().details;
        d.name = "欧阳娜".into();
        d.mobile = crate::domain::Mobile::parse("13812345679").ok();
        let mut w = s.begin(None).unwrap();
        w.update_person(p, &d).unwrap();
        w.commit().unwrap();
        (s, p, q)
    }

    /// Every payload of the log, whatever its record.
    fn payloads(s: &Store) -> Vec<String> {
        let mut stmt = s.conn().prepare("SELECT payload FROM ops").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    const OLD: [&str; 8] = [
        NAME,
        "欧阳娜",
        MOBILE,
        "13812345679",
        RESIDENT_ID,
        EMPLOYER,
        "2026-03-08",
        "ouyang",
    ];

    fn figures(s: &Store) -> crate::store::figures::Figures {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        s.figures_on(day, day, None, day).unwrap()
    }

    #[test]
    fn erasing_wipes_the_fields_the_log_and_the_lookup() {
        let (mut s, p, q) = setup();
        let before = figures(&s);
        assert!(payloads(&s).iter().any(|t| t.contains(NAME)));
        assert!(!s.lookup("ouyang", 5).unwrap().is_empty());

        s.erase_person(p).unwrap();

        let d = s.person(p).unwrap().unwrap().details;
        assert_eq!(d.name, "");
        assert_eq!(
            (d.mobile, d.resident_id, d.employer, d.union_joined),
            (None, None, None, None)
        );
        assert_eq!((d.trade, d.union_member), (Trade::Courier, true), "kept");
        let erased: Option<i64> = s
            .conn()
            .query_row(
                "SELECT erased FROM people WHERE id = ?1",
                [p.0.as_bytes()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(erased, Some(1));
        // Gone from the whole log, not only hidden.
        for text in payloads(&s) {
            for old in OLD {
                assert!(!text.contains(old), "{old} still in {text}");
            }
        }
        // The operations stay, with their numbers, marked redacted.
        let (n, redacted): (i64, i64) = s
            .conn()
            .query_row(
                "SELECT count(*), sum(redacted) FROM ops WHERE id = ?1",
                [p.0.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((n, redacted), (3, 2), "create, edit (redacted), erasure");
        for q in [
            NAME,
            "欧阳",
            "娜娜",
            "ouyang",
            "oynn",
            "nn",
            MOBILE,
            "5679",
            "5678",
            "002X",
            RESIDENT_ID,
        ] {
            let found: Vec<Hit> = s
                .lookup(q, 10)
                .unwrap()
                .into_iter()
                .filter(|h| matches!(h, Hit::Person(x) if x.id == p))
                .collect();
            assert!(found.is_empty(), "{q} still finds the person: {found:?}");
        }
        assert!(
            s.people_by_mobile(&crate::domain::Mobile::parse(MOBILE).unwrap())
                .unwrap()
                .is_empty()
        );
        // The other person, the visits and the case are untouched.
        assert_eq!(s.person(q).unwrap().unwrap().details.name, "张三");
        assert_eq!(s.lookup("张三", 5).unwrap().len(), 2, "张三 and the case");
        assert_eq!(s.visits_of(p, 10).unwrap().len(), 2);
        assert_eq!(figures(&s), before, "anonymous counts stay right");
        let report = s.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }

    #[test]
    fn the_journal_names_the_operations_redacted() {
        let (mut s, p, _) = setup();
        assert_eq!(s.redactions_after(0).unwrap(), Redactions::default());
        s.erase_person(p).unwrap();
        let r = s.redactions_after(0).unwrap();
        assert_eq!(r.upto, 1);
        let mut stmt = s
            .conn()
            .prepare("SELECT seq FROM ops WHERE id = ?1 AND redacted = 1 ORDER BY seq")
            .unwrap();
        let seqs: BTreeSet<i64> = stmt
            .query_map([p.0.as_bytes()], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        drop(stmt);
        assert_eq!(r.ops.get(&s.replica_id()), Some(&seqs));
        let (first, last) = (*seqs.first().unwrap(), *seqs.last().unwrap());
        assert!(r.touches(s.replica_id(), first, first));
        assert!(r.touches(s.replica_id(), 1, 1_000));
        assert!(!r.touches(s.replica_id(), last + 1, last + 100));
        assert!(!r.touches(ReplicaId::new(), 1, 1_000));
        assert_eq!(s.redactions_after(1).unwrap().ops.len(), 0);
        s.erase_person(p).unwrap();
        assert_eq!(
            s.redactions_after(0).unwrap().upto,
            1,
            "nothing more to note"
        );
    }

    #[test]
    fn the_erasure_is_audited_by_id_only() {
        let (mut s, p, _) = setup();
        s.erase_person(p).unwrap();
        let e = &s.audit_entries(1).unwrap()[0];
        assert_eq!(e.action_kind(), Some(AuditAction::Erase));
        assert_eq!(e.subject, format!("person:{}", p.0));
        assert_eq!(e.actor, s.session().map(|x| x.staff));
        let text = e.detail.to_string();
        for old in OLD {
            assert!(!text.contains(old));
        }
    }

    #[test]
    fn only_an_admin_erases() {
        let (mut s, p, _) = setup();
        let admin = s.session().cloned().unwrap();
        for role in [Role::Volunteer, Role::Staff, Role::Counsellor] {
            s.set_session(Some(Session {
                role,
                ..admin.clone()
            }));
            assert!(matches!(
                s.erase_person(p),
                Err(StoreError::NotAllowed(Act::Erase))
            ));
        }
        s.set_session(None);
        assert!(matches!(
            s.erase_person(p),
            Err(StoreError::NotAllowed(Act::Erase))
        ));
        assert_eq!(s.person(p).unwrap().unwrap().details.name, "欧阳娜");
        s.set_session(Some(admin));
        assert!(matches!(
            s.erase_person(PersonId::new()),
            Err(StoreError::NotFound("person"))
        ));
    }

    #[test]
    fn erasing_again_changes_nothing() {
        let (mut s, p, _) = setup();
        s.erase_person(p).unwrap();
        let digest = s.digest().unwrap();
        let ops = payloads(&s).len();
        s.erase_person(p).unwrap();
        assert_eq!(s.digest().unwrap(), digest);
        assert_eq!(
            payloads(&s).len(),
            ops,
            "no new operation, no second audit entry"
        );
        assert!(s.check().unwrap().is_ok());
    }

    #[test]
    fn an_open_form_cannot_bring_the_values_back() {
        let (mut s, p, _) = setup();
        let form = s.person(p).unwrap().unwrap().details;
        s.erase_person(p).unwrap();
        let mut w = s.begin(None).unwrap();
        assert!(matches!(
            w.update_person(p, &form),
            Err(StoreError::NotFound("person"))
        ));
        drop(w);
        // Fields that identify nobody can still change.
        let mut w = s.begin(None).unwrap();
        w.update(
            Entity::Person,
            &p.0,
            &[("trade", Value::from(Trade::Sanitation.code()))],
        )
        .unwrap();
        w.commit().unwrap();
        assert_eq!(
            s.person(p).unwrap().unwrap().details.trade,
            Trade::Sanitation
        );
        assert_eq!(s.person(p).unwrap().unwrap().details.name, "");
        assert!(s.check().unwrap().is_ok());
    }

    #[test]
    fn redaction_reads_only_the_persons_operations() {
        let (s, _, _) = setup();
        for sql in [ERASURE_LOGGED, PERSON_OPS] {
            let mut stmt = s
                .conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map(params![Uuid::nil().as_bytes(), 3], |r| r.get(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let plan = plan.join("; ");
            assert!(plan.contains("ops_by_entity (id=?)"), "{sql}: {plan}");
            assert!(!plan.contains("SCAN ops"), "{sql}: {plan}");
        }
    }

    #[test]
    fn redaction_keeps_what_identifies_nobody() {
        let mut f: Map<String, Value> = serde_json::from_str(
            r#"{"name":"张三","mobile":"13812345678","trade":"courier","union_member":true,"employer":null}"#,
        )
        .unwrap();
        assert!(redact_fields(&mut f));
        assert_eq!(
            Value::Object(f.clone()),
            serde_json::json!({"name":"","mobile":null,"trade":"courier","union_member":true,"employer":null})
        );
        assert!(!redact_fields(&mut f), "already wiped");
        assert!(sets_personal(&[("name", Value::from("x"))]));
        assert!(!sets_personal(&[
            ("name", Value::from("")),
            ("mobile", Value::Null)
        ]));
        assert!(!sets_personal(&[("trade", Value::from("courier"))]));
    }
}
