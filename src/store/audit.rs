//! The audit log: who signed in, viewed, unmasked, exported, erased what,
//! and when. (Who changed what is read from the operation log itself.)
//!
//! Entries are append-only records (`Entity::Audit`): created through the
//! [`Writer`] like every record, so each is an operation in the log and
//! travels with sync; nothing ever changes or removes one. An entry names a
//! record by its id (`person:<uuid>`) or a kind of record and counts, never
//! a worker by name, so it holds no personal data that an erasure would
//! have to reach.
//!
//! Admins read it ([`Store::audit_search`]), with the changes to records
//! from the operation log ([`Store::changes`]: the names of the fields
//! set, never their values), merged newest first with each subject in
//! words that hold no personal data ([`Store::audit_view`]). Each read is
//! a backwards range of a time index. See docs/audit.md.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

use super::oplog::{Entity, OP_CREATE, id_value};
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::access::Act;
use crate::domain::ids::{AuditId, ReplicaId, StaffId, StationId};
use crate::store::oplog::hlc::Hlc;

crate::code_enum! {
    /// What an audit entry records. Codes are stored and synced: never
    /// rename one.
    pub enum AuditAction {
        /// An export with ID numbers and phones masked.
        Export = "export", "导出", "Export";
        /// An export with ID numbers and phones in full.
        ExportUnmasked = "export_unmasked", "导出（完整身份证号和手机号）", "Export (full ID numbers and phones)";
        /// A staff member signed in (subject `staff:<id>`).
        SignIn = "sign_in", "登录", "Sign-in";
        /// A person's or a case's detail was opened (subject `person:<id>`
        /// or `case:<id>`).
        View = "view", "查看", "Viewed";
        /// One person's full ID number and mobile were shown (subject
        /// `person:<id>`).
        Unmask = "unmask", "显示完整证件号和手机号", "Unmasked";
        /// A staff member was added or changed: role, PIN, active (subject
        /// `staff:<id>`; detail says what).
        StaffChange = "staff", "工作人员变更", "Staff changed";
        /// A person was erased on request (subject `person:<id>`).
        Erase = "erase", "删除个人信息", "Erased";
        /// The kiosk was left with a staff PIN.
        KioskExit = "kiosk_exit", "退出自助模式", "Left the kiosk";
        /// The district's sync network was created in a folder (subject
        /// `network`; detail: its id and the folder).
        NetworkCreate = "network_create", "新建同步网络", "Sync network created";
        /// This station left its sync network (detail: which, and how many
        /// changes had not reached it).
        NetworkLeave = "network_leave", "退出同步网络", "Left the sync network";
        /// The network file Syncthing had replaced was put back (detail:
        /// the folder, the file set aside).
        NetworkRestore = "network_restore", "放回同步网络文件", "Network file put back";
        /// Changes dated far ahead, held apart, were accepted (subject
        /// `network`; detail: the station that made them, how many).
        HeldAccept = "held_accept", "接受日期超前的变更", "Accepted changes dated ahead";
    }
}

/// Longest subject kept, in characters.
const SUBJECT_MAX: usize = 100;

/// One entry of the audit log, with the names a list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    pub station: StationId,
    /// The code of the station, when it is known here.
    pub station_code: Option<String>,
    /// Who did it; `None` until staff sign in.
    pub actor: Option<StaffId>,
    pub actor_name: Option<String>,
    /// The stored action code: an [`AuditAction`] code, or one of a newer
    /// version (see [`AuditEntry::action_kind`]).
    pub action: String,
    /// What it concerned, e.g. the kind of record exported.
    pub subject: String,
    /// The particulars, a JSON object (a text that is not JSON is given as
    /// a JSON string).
    pub detail: Value,
}

impl AuditEntry {
    /// The action, if this version knows its code.
    pub fn action_kind(&self) -> Option<AuditAction> {
        AuditAction::from_code(&self.action)
    }
}

/// What an audit entry is about, as the store writes it: a record, or a
/// kind of records (what an export wrote). Stored as `person:<id>` or as
/// the kind's code; read back by [`subject_record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    Record(Entity, Uuid),
    Records(&'static str),
}

impl About {
    pub fn person(id: crate::domain::ids::PersonId) -> About {
        About::Record(Entity::Person, id.0)
    }

    pub fn case(id: crate::domain::ids::CaseId) -> About {
        About::Record(Entity::Case, id.0)
    }

    pub fn staff(id: StaffId) -> About {
        About::Record(Entity::Staff, id.0)
    }

    /// The subject as stored.
    pub fn stored(&self) -> String {
        match self {
            About::Record(e, id) => format!("{}:{id}", e.name()),
            About::Records(kind) => (*kind).to_owned(),
        }
    }
}

impl Writer<'_> {
    /// Adds an entry to the audit log, made by this write's actor at this
    /// station, now. `detail` should be a JSON object.
    pub fn record_audit(
        &mut self,
        action: AuditAction,
        subject: About,
        detail: &Value,
    ) -> Result<AuditId> {
        let station = self.own_station()?;
        let subject: String = subject.stored().chars().take(SUBJECT_MAX).collect();
        let id = AuditId::new();
        let at = self.now();
        let actor = self.actor();
        self.create(
            Entity::Audit,
            &id.0,
            &[
                ("at", Value::from(at.timestamp_millis())),
                ("station_id", id_value(&station.id.0)),
                ("actor", opt_id(actor.as_ref().map(|a| &a.0))),
                ("action", Value::from(action.code())),
                ("subject", Value::from(subject)),
                ("detail", Value::from(detail.to_string())),
            ],
        )?;
        Ok(id)
    }
}

const ROW: &str =
    "SELECT a.id, a.at, a.station_id, (SELECT code FROM stations WHERE id = a.station_id),
        a.actor, (SELECT name FROM staff WHERE id = a.actor), a.action, a.subject, a.detail
     FROM audit_log a";

impl Store {
    /// Records an entry in its own write, made by whoever is signed in,
    /// committed before this returns.
    pub fn record_audit(
        &mut self,
        action: AuditAction,
        subject: About,
        detail: &Value,
    ) -> Result<AuditId> {
        let mut w = self.begin(None)?;
        let id = w.record_audit(action, subject, detail)?;
        w.commit()?;
        Ok(id)
    }

    /// The newest `limit` entries of the audit log (of every station this
    /// database holds), newest first. Reads `audit_by_time` backwards.
    /// Asks for no role: the commands that write entries read back their
    /// own; what staff are shown goes through [`Store::audit_search`].
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{ROW} ORDER BY a.at DESC, a.id DESC LIMIT ?1"))?;
        let rows = stmt.query_map([limit], read_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One entry of the audit log.
    pub fn audit_entry(&self, id: AuditId) -> Result<AuditEntry> {
        self.conn()
            .prepare_cached(&format!("{ROW} WHERE a.id = ?1"))?
            .query_row([id.as_bytes()], read_row)
            .optional()?
            .ok_or(StoreError::NotFound("audit entry"))
    }
}

/// The action code that stands for the changes to records in a filter
/// (they are no audit entries, so no [`AuditAction`] has it).
pub const CHANGE_ACTION: &str = "change";

/// What a reading of the audit log keeps. Every part left `None` keeps
/// everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// From this instant on.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (excluded).
    pub to: Option<DateTime<Utc>>,
    /// Done by this staff member.
    pub actor: Option<StaffId>,
    /// Entries with this action code; [`CHANGE_ACTION`] keeps only the
    /// changes to records.
    pub action: Option<String>,
    /// Entries about exactly this subject (`person:<uuid>`); changes to
    /// that record.
    pub subject: Option<String>,
}

impl AuditFilter {
    /// The period as milliseconds since the epoch, `to` excluded.
    fn millis(&self) -> (i64, i64) {
        (
            self.from.map_or(i64::MIN, |t| t.timestamp_millis()),
            self.to.map_or(i64::MAX, |t| t.timestamp_millis()),
        )
    }

    /// The period as clock readings: from the first reading of `from`'s
    /// millisecond to before the first of `to`'s.
    fn hlcs(&self) -> (i64, i64) {
        // Before the epoch: from the first reading; past the last reading
        // a clock takes: up to it.
        let hlc = |t: DateTime<Utc>| match u64::try_from(t.timestamp_millis()) {
            Err(_) => 0,
            Ok(ms) => Hlc::from_millis(ms).map_or(i64::MAX, Hlc::as_i64),
        };
        (self.from.map_or(0, hlc), self.to.map_or(i64::MAX, hlc))
    }

    /// Whether the filter keeps audit entries at all.
    fn keeps_entries(&self) -> bool {
        self.action.as_deref() != Some(CHANGE_ACTION)
    }

    /// Whether the filter keeps changes to records at all.
    fn keeps_changes(&self) -> bool {
        self.action.as_deref().is_none_or(|a| a == CHANGE_ACTION)
    }
}

/// One change to a record, as the operation log has it: who, when, which
/// record, and the names of the fields set. Never their values: those may
/// be personal data, and an erasure redacts them.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The wall time of the change's clock reading.
    pub at: DateTime<Utc>,
    pub hlc: Hlc,
    /// The replica (station) that made it, and its sequence number there.
    pub origin: ReplicaId,
    pub seq: i64,
    /// The code of the station that made it, when it is known here.
    pub station_code: Option<String>,
    pub actor: Option<StaffId>,
    pub actor_name: Option<String>,
    pub entity: Entity,
    pub record: Uuid,
    /// A creation, else a change of some fields.
    pub created: bool,
    /// The names of the fields set, as stored (`mobile`, `status`).
    pub fields: Vec<String>,
}

/// What an audit line is about, in a form that shows no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A person, by the first character of their name only (`张*`).
    Person(String),
    /// A person erased on request.
    Erased,
    /// A case, by its number.
    Case(String),
    /// A staff member, by name.
    Staff(String),
    /// A counsellor or volunteer lawyer, by name.
    Counsellor(String),
    /// A station, by code.
    Station(String),
    /// A record this database does not hold (yet): its kind and the start
    /// of its id.
    Missing(Entity, String),
    /// A record without a name worth showing: its kind and the start of
    /// its id.
    Record(Entity, String),
    /// What an entry names that is no record (the kind exported: `people`).
    Text(String),
}

/// One line of the audit view: an entry of the audit log or a change to
/// a record, with its subject in words.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditLine {
    Entry { entry: AuditEntry, subject: Subject },
    Change { change: Change, subject: Subject },
}

impl AuditLine {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            AuditLine::Entry { entry, .. } => entry.at,
            AuditLine::Change { change, .. } => change.at,
        }
    }

    pub fn actor(&self) -> Option<StaffId> {
        match self {
            AuditLine::Entry { entry, .. } => entry.actor,
            AuditLine::Change { change, .. } => change.actor,
        }
    }

    pub fn actor_name(&self) -> Option<&str> {
        match self {
            AuditLine::Entry { entry, .. } => entry.actor_name.as_deref(),
            AuditLine::Change { change, .. } => change.actor_name.as_deref(),
        }
    }

    pub fn station_code(&self) -> Option<&str> {
        match self {
            AuditLine::Entry { entry, .. } => entry.station_code.as_deref(),
            AuditLine::Change { change, .. } => change.station_code.as_deref(),
        }
    }

    pub fn subject(&self) -> &Subject {
        match self {
            AuditLine::Entry { subject, .. } | AuditLine::Change { subject, .. } => subject,
        }
    }
}

/// The newest lines of a filtered audit view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditPage {
    /// Newest first.
    pub lines: Vec<AuditLine>,
    /// Older lines of the filter were left out to keep to the limit.
    pub more: bool,
}

/// A name as the audit view shows it: the first character and a star.
pub fn masked_name(name: &str) -> Option<String> {
    let first = name.trim().chars().next()?;
    Some(format!("{first}*"))
}

/// The first eight hex digits of an id, enough to tell records apart on
/// a screen.
fn short(id: &Uuid) -> String {
    id.simple().to_string().chars().take(8).collect()
}

/// The kind named by the prefix of a subject (`person:<uuid>`).
fn subject_entity(prefix: &str) -> Option<Entity> {
    Entity::ALL.into_iter().find(|e| e.name() == prefix)
}

/// The record a subject names, if it names one.
pub fn subject_record(subject: &str) -> Option<(Entity, Uuid)> {
    let (prefix, id) = subject.split_once(':')?;
    Some((subject_entity(prefix)?, Uuid::parse_str(id.trim()).ok()?))
}

/// The code of the station an operation's origin belongs to: the
/// station that replica set up, or this database's own station for its
/// own operations (a copied or restored file takes a new replica id, but
/// stays the station it was). NULL for another replica that set up no
/// station.
macro_rules! origin_station {
    () => {
        "COALESCE((SELECT code FROM stations WHERE id = o.replica_id),
            (SELECT s.code FROM replica r JOIN stations s ON s.id = r.station_id
             WHERE r.replica_id = o.replica_id))"
    };
}

/// Reading the changes of a period: `ops_by_time` backwards from the end
/// of the period; the log's own entries are the audit log, read apart.
const CHANGES: &str = concat!(
    "SELECT ops.hlc, o.replica_id, ops.seq,
        ",
    origin_station!(),
    ",
        ops.actor, (SELECT name FROM staff WHERE id = ops.actor),
        ops.entity, ops.id, ops.kind, ops.payload
     FROM ops INDEXED BY ops_by_time JOIN origins o ON o.idx = ops.origin
     WHERE ops.hlc >= ?1 AND ops.hlc < ?2 AND ops.entity <> 13
       AND (?3 IS NULL OR ops.actor = ?3)
     ORDER BY ops.hlc DESC, ops.origin DESC, ops.seq DESC LIMIT ?4"
);

/// The changes of one record: its operations through `ops_by_entity`.
const RECORD_CHANGES: &str = concat!(
    "SELECT ops.hlc, o.replica_id, ops.seq,
        ",
    origin_station!(),
    ",
        ops.actor, (SELECT name FROM staff WHERE id = ops.actor),
        ops.entity, ops.id, ops.kind, ops.payload
     FROM ops INDEXED BY ops_by_entity JOIN origins o ON o.idx = ops.origin
     WHERE ops.id = ?5 AND ops.hlc >= ?1 AND ops.hlc < ?2 AND ops.entity <> 13
       AND (?3 IS NULL OR ops.actor = ?3)
     ORDER BY ops.hlc DESC, ops.origin DESC, ops.seq DESC LIMIT ?4"
);

/// Filtered entries: a range of `audit_by_time`, read backwards.
const SEARCH: &str = "WHERE a.at >= ?1 AND a.at < ?2
       AND (?3 IS NULL OR a.actor = ?3)
       AND (?4 IS NULL OR a.action = ?4)
       AND (?5 IS NULL OR a.subject = ?5)
     ORDER BY a.at DESC, a.id DESC LIMIT ?6";

impl Store {
    /// Refuses unless an admin is signed in.
    fn require_audit(&self) -> Result<()> {
        match self.session() {
            Some(s) if s.may(Act::Audit) => Ok(()),
            _ => Err(StoreError::NotAllowed(Act::Audit)),
        }
    }

    /// The newest `limit` entries of the audit log that pass `filter`,
    /// newest first (admins only). A period is one range of
    /// `audit_by_time`; the other parts are checked along it.
    pub fn audit_search(&self, filter: &AuditFilter, limit: usize) -> Result<Vec<AuditEntry>> {
        self.require_audit()?;
        if !filter.keeps_entries() {
            return Ok(Vec::new());
        }
        let (from, to) = filter.millis();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!("{ROW} INDEXED BY audit_by_time {SEARCH}");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                from,
                to,
                filter.actor.as_ref().map(|a| a.as_bytes().as_slice()),
                filter.action,
                filter.subject,
                limit
            ],
            read_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest `limit` changes to records that pass `filter`, newest
    /// first (admins only): who created or changed which record and which
    /// fields, never the values. A subject filter reads that record's
    /// operations; otherwise the period is one range of `ops_by_time`.
    pub fn changes(&self, filter: &AuditFilter, limit: usize) -> Result<Vec<Change>> {
        self.require_audit()?;
        if !filter.keeps_changes() {
            return Ok(Vec::new());
        }
        let (from, to) = filter.hlcs();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let actor = filter.actor.as_ref().map(|a| a.as_bytes().as_slice());
        let rows = match &filter.subject {
            None => {
                let mut stmt = self.conn().prepare_cached(CHANGES)?;
                stmt.query_map(params![from, to, actor, limit], read_change)?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            }
            Some(subject) => {
                let Some((entity, id)) = subject_record(subject) else {
                    return Ok(Vec::new());
                };
                let mut stmt = self.conn().prepare_cached(RECORD_CHANGES)?;
                let mut rows = stmt
                    .query_map(
                        params![from, to, actor, limit, id.as_bytes().as_slice()],
                        read_change,
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                // `case:<id of a person>` names no case.
                rows.retain(|c| c.entity == entity);
                rows
            }
        };
        Ok(rows)
    }

    /// The audit view (admins only): entries and, with `with_changes`, the
    /// changes to records, merged newest first, at most `limit` lines,
    /// each with its subject in words that hold no personal data.
    pub fn audit_view(
        &self,
        filter: &AuditFilter,
        with_changes: bool,
        limit: usize,
    ) -> Result<AuditPage> {
        self.require_audit()?;
        // One more of each says whether older lines were left out.
        let asked = limit.saturating_add(1);
        let entries = self.audit_search(filter, asked)?;
        let changes = if with_changes {
            self.changes(filter, asked)?
        } else {
            Vec::new()
        };
        let more = entries.len() + changes.len() > limit;
        let mut entries = entries.into_iter().peekable();
        let mut changes = changes.into_iter().peekable();
        let mut lines = Vec::with_capacity(limit.min(asked));
        while lines.len() < limit {
            // An entry and a change of one millisecond: the entry first
            // (an export is recorded after the reads it made).
            let take_entry = match (entries.peek(), changes.peek()) {
                (Some(e), Some(c)) => e.at >= c.at,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let line = if take_entry {
                let Some(entry) = entries.next() else { break };
                let subject = self.entry_subject(&entry.subject)?;
                AuditLine::Entry { entry, subject }
            } else {
                let Some(change) = changes.next() else { break };
                let subject = self.record_subject(change.entity, &change.record)?;
                AuditLine::Change { change, subject }
            };
            lines.push(line);
        }
        Ok(AuditPage { lines, more })
    }

    /// The subject of an entry in words.
    fn entry_subject(&self, subject: &str) -> Result<Subject> {
        match subject_record(subject) {
            Some((entity, id)) => self.record_subject(entity, &id),
            None => Ok(Subject::Text(subject.to_owned())),
        }
    }

    /// A record in words: a person masked (or erased), a case by number,
    /// staff and counsellors by name, a station by code.
    fn record_subject(&self, entity: Entity, id: &Uuid) -> Result<Subject> {
        let conn = self.conn();
        let one = |sql: &str| -> Result<Option<String>> {
            Ok(conn
                .prepare_cached(sql)?
                .query_row([id.as_bytes().as_slice()], |r| r.get(0))
                .optional()?)
        };
        let named = match entity {
            Entity::Person => {
                let row: Option<(String, Option<bool>)> = conn
                    .prepare_cached("SELECT name, erased FROM people WHERE id = ?1")?
                    .query_row([id.as_bytes().as_slice()], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                return Ok(match row {
                    None => Subject::Missing(entity, short(id)),
                    Some((_, Some(true))) => Subject::Erased,
                    Some((name, _)) => masked_name(&name).map_or(Subject::Erased, Subject::Person),
                });
            }
            Entity::Case => one(
                "SELECT code || '-' || year || '-' || printf('%04d', seq) FROM cases WHERE id = ?1",
            )?
            .map(Subject::Case),
            // A claimant or a note is part of its case.
            Entity::Claimant => one(
                "SELECT c.code || '-' || c.year || '-' || printf('%04d', c.seq)
                 FROM case_claimants m JOIN cases c ON c.id = m.case_id WHERE m.id = ?1",
            )?
            .map(Subject::Case),
            Entity::Note => one(
                "SELECT c.code || '-' || c.year || '-' || printf('%04d', c.seq)
                 FROM case_notes n JOIN cases c ON c.id = n.case_id WHERE n.id = ?1",
            )?
            .map(Subject::Case),
            Entity::Staff => one("SELECT name FROM staff WHERE id = ?1")?.map(Subject::Staff),
            Entity::Counsellor => {
                one("SELECT name FROM counsellors WHERE id = ?1")?.map(Subject::Counsellor)
            }
            Entity::Station => {
                one("SELECT code FROM stations WHERE id = ?1")?.map(Subject::Station)
            }
            _ => return Ok(Subject::Record(entity, short(id))),
        };
        Ok(named.unwrap_or_else(|| Subject::Missing(entity, short(id))))
    }
}

fn read_change(r: &rusqlite::Row<'_>) -> rusqlite::Result<Change> {
    let hlc = Hlc::from_i64(r.get(0)?);
    let entity_code: i64 = r.get(6)?;
    let entity = Entity::from_code(entity_code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            6,
            rusqlite::types::Type::Integer,
            format!("unknown entity {entity_code}").into(),
        )
    })?;
    let payload: String = r.get(9)?;
    // Only the names: the values stay where they are. In the order of the
    // record's columns, as a form shows them; a field of a newer version
    // last.
    let mut fields: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&payload)
        .map(|m| m.into_iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    let cols = entity.table().cols;
    fields.sort_by_key(|f| cols.iter().position(|(n, _)| n == f).unwrap_or(cols.len()));
    Ok(Change {
        at: hlc.to_datetime(),
        hlc,
        origin: id_col(&r.get::<_, Vec<u8>>(1)?)?,
        seq: r.get(2)?,
        station_code: r.get(3)?,
        actor: match r.get::<_, Option<Vec<u8>>>(4)? {
            Some(b) => Some(id_col(&b)?),
            None => None,
        },
        actor_name: r.get(5)?,
        entity,
        record: id_col(&r.get::<_, Vec<u8>>(7)?)?,
        created: r.get::<_, i64>(8)? == OP_CREATE,
        fields,
    })
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let detail: String = r.get(8)?;
    Ok(AuditEntry {
        id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
        at: DateTime::from_timestamp_millis(r.get(1)?).unwrap_or_default(),
        station: id_col(&r.get::<_, Vec<u8>>(2)?)?,
        station_code: r.get(3)?,
        actor: match r.get::<_, Option<Vec<u8>>>(4)? {
            Some(b) => Some(id_col(&b)?),
            None => None,
        },
        actor_name: r.get(5)?,
        action: r.get(6)?,
        subject: r.get(7)?,
        detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        s
    }

    static NOW: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

    fn fixed_clock() -> u64 {
        NOW.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[test]
    fn entries_are_logged_and_listed_newest_first() {
        let mut s = store();
        let a = s
            .record_audit(
                AuditAction::Export,
                About::Records("visits"),
                &serde_json::json!({"rows": 3}),
            )
            .unwrap();
        let b = s
            .record_audit(
                AuditAction::ExportUnmasked,
                About::Records("people"),
                &serde_json::json!({"rows": 2, "masked": false}),
            )
            .unwrap();
        let list = s.audit_entries(10).unwrap();
        assert_eq!(
            list.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![b, a],
            "newest first"
        );
        assert_eq!(list[0].action_kind(), Some(AuditAction::ExportUnmasked));
        assert_eq!(list[0].subject, "people");
        assert_eq!(list[0].detail["masked"], false);
        assert_eq!(list[0].station_code.as_deref(), Some("FT"));
        assert_eq!(list[0].actor, None);
        assert_eq!(s.audit_entries(1).unwrap().len(), 1);
        assert_eq!(s.audit_entry(a).unwrap().detail["rows"], 3);
        // Each entry is one creation in the operation log.
        let ops = super::super::oplog::ops_of(s.conn(), &a.0).unwrap();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].entity, Entity::Audit);
        assert!(s.check().unwrap().is_ok());
    }

    /// Entries made in one millisecond still come out in a fixed order.
    #[test]
    fn ties_in_time_are_broken_by_id() {
        let mut s = store();
        NOW.store(1_795_000_000_000, std::sync::atomic::Ordering::SeqCst);
        s.set_clock(fixed_clock);
        let ids: Vec<AuditId> = (0..3)
            .map(|_| {
                s.record_audit(AuditAction::Export, About::Records("cases"), &Value::Null)
                    .unwrap()
            })
            .collect();
        let listed: Vec<AuditId> = s.audit_entries(10).unwrap().iter().map(|e| e.id).collect();
        let mut want = ids.clone();
        want.sort();
        want.reverse();
        assert_eq!(listed, want);
    }

    #[test]
    fn refused_without_a_station() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(matches!(
            s.record_audit(AuditAction::Export, About::Records("people"), &Value::Null),
            Err(StoreError::NoStation)
        ));
    }

    /// The newest-first list is a backwards range of `audit_by_time`.
    #[test]
    fn the_list_reads_the_index_without_sorting() {
        let s = store();
        let sql = format!("EXPLAIN QUERY PLAN {ROW} ORDER BY a.at DESC, a.id DESC LIMIT 5");
        let mut stmt = s.conn().prepare(&sql).unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join("; ");
        assert!(plan.contains("audit_by_time"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    mod view {
        use super::super::*;
        use crate::domain::access::Session;
        use crate::domain::case::CaseType;
        use crate::domain::ids::PersonId;
        use crate::domain::money::Fen;
        use crate::domain::person::{PersonInput, Trade};
        use crate::domain::staff::Role;
        use crate::store::cases::NewCase;
        use std::cell::Cell;

        /// 2026-11-26 08:00 UTC.
        const T0: u64 = 1_795_680_000_000;

        thread_local! {
            /// The store's clock, per test thread (tests run at once).
            static CLOCK: Cell<u64> = const { Cell::new(T0) };
        }

        fn clock() -> u64 {
            CLOCK.with(Cell::get)
        }

        fn set_clock(ms: u64) {
            CLOCK.with(|c| c.set(ms));
        }

        fn at(ms: u64) -> DateTime<Utc> {
            DateTime::from_timestamp_millis(ms as i64).unwrap()
        }

        struct Fixture {
            s: Store,
            admin: Session,
            clerk: StaffId,
            person: PersonId,
        }

        /// A station with an admin (signed in) and a clerk; a person
        /// registered by the clerk, whose mobile the admin
        /// changes; then the admin views the person and exports, all at T0.
        fn fixture() -> Fixture {
            let mut s = Store::open_in_memory().unwrap();
            s.set_clock(clock);
            set_clock(T0);
            s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
            let admin = s.create_first_admin("王芳", "2468").unwrap();
            let mut w = s.begin(None).unwrap();
            let clerk = w.add_staff("李强", Role::Staff).unwrap();
            w.commit().unwrap();
            let details = |mobile: &str| {
                PersonInput {
                    name: "张三丰".into(),
                    mobile: mobile.into(),
                    trade: Some(Trade::Courier),
                    ..PersonInput::default()
                }
                .validate()
                .unwrap()
            };
            let mut w = s.begin(Some(clerk)).unwrap();
            let person = w
                .add_person_with_id(PersonId::new(), &details("13812345678"), at(T0))
                .unwrap();
            w.commit().unwrap();
            let mut w = s.begin(None).unwrap();
            w.update_person(person, &details("13900001111")).unwrap();
            w.commit().unwrap();
            s.record_audit(AuditAction::View, About::person(person), &Value::Null)
                .unwrap();
            s.record_audit(
                AuditAction::Export,
                About::Records("people"),
                &serde_json::json!({"rows": 1}),
            )
            .unwrap();
            Fixture {
                s,
                admin,
                clerk,
                person,
            }
        }

        fn codes(e: &[AuditEntry]) -> Vec<&str> {
            e.iter().map(|e| e.action.as_str()).collect()
        }

        fn plan(s: &Store, sql: &str, args: impl rusqlite::Params) -> String {
            let mut stmt = s
                .conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let rows: Vec<String> = stmt
                .query_map(args, |r| r.get(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            rows.join("; ")
        }

        #[test]
        fn only_admins_read_the_log() {
            let mut f = fixture();
            let any = AuditFilter::default();
            assert_eq!(
                codes(&f.s.audit_search(&any, 10).unwrap()),
                ["export", "view", "staff", "sign_in", "staff"]
            );
            for role in [Role::Volunteer, Role::Staff, Role::Counsellor] {
                f.s.set_session(Some(Session {
                    staff: f.clerk,
                    name: "李强".into(),
                    role,
                }));
                for result in [
                    f.s.audit_search(&any, 10).map(|_| ()),
                    f.s.changes(&any, 10).map(|_| ()),
                    f.s.audit_view(&any, true, 10).map(|_| ()),
                ] {
                    assert!(
                        matches!(result, Err(StoreError::NotAllowed(Act::Audit))),
                        "{role:?}"
                    );
                }
            }
            f.s.set_session(None);
            assert!(matches!(
                f.s.audit_view(&any, false, 10),
                Err(StoreError::NotAllowed(Act::Audit))
            ));
        }

        #[test]
        fn entries_filtered_by_period_actor_action_and_subject() {
            let mut f = fixture();
            // The clerk signs in a day later; the admin's session is back.
            set_clock(T0 + 86_400_000);
            let mut w = f.s.begin(None).unwrap();
            w.set_pin(f.clerk, "1357").unwrap();
            w.commit().unwrap();
            f.s.sign_in(f.clerk, "1357", at(T0 + 86_400_000)).unwrap();
            f.s.set_session(Some(f.admin.clone()));
            let day1 = AuditFilter {
                from: Some(at(T0)),
                to: Some(at(T0 + 86_400_000)),
                ..AuditFilter::default()
            };
            assert_eq!(
                codes(&f.s.audit_search(&day1, 10).unwrap()),
                ["export", "view", "staff", "sign_in", "staff"]
            );
            let later = AuditFilter {
                from: Some(at(T0 + 86_400_000)),
                ..AuditFilter::default()
            };
            let l = f.s.audit_search(&later, 10).unwrap();
            // The clerk's sign-in, and the admin setting the clerk's PIN.
            assert_eq!(codes(&l), ["sign_in", "staff"]);
            assert_eq!(l[0].actor_name.as_deref(), Some("李强"));
            let by_clerk = AuditFilter {
                actor: Some(f.clerk),
                ..AuditFilter::default()
            };
            assert_eq!(
                codes(&f.s.audit_search(&by_clerk, 10).unwrap()),
                ["sign_in"]
            );
            let exports = AuditFilter {
                action: Some("export".into()),
                ..AuditFilter::default()
            };
            assert_eq!(codes(&f.s.audit_search(&exports, 10).unwrap()), ["export"]);
            let about = AuditFilter {
                subject: Some(format!("person:{}", f.person.0)),
                ..AuditFilter::default()
            };
            assert_eq!(codes(&f.s.audit_search(&about, 10).unwrap()), ["view"]);
            assert_eq!(
                f.s.audit_search(&AuditFilter::default(), 2).unwrap().len(),
                2
            );
            // "change" keeps the changes only.
            let changes_only = AuditFilter {
                action: Some(CHANGE_ACTION.into()),
                ..AuditFilter::default()
            };
            assert!(f.s.audit_search(&changes_only, 10).unwrap().is_empty());
            assert!(!f.s.changes(&changes_only, 10).unwrap().is_empty());
            assert!(f.s.changes(&exports, 10).unwrap().is_empty());
        }

        #[test]
        fn changes_name_fields_never_values() {
            let f = fixture();
            assert_eq!(Entity::Audit.code(), 13, "the statements leave out 13");
            let all = f.s.changes(&AuditFilter::default(), 100).unwrap();
            assert!(all.iter().all(|c| c.entity != Entity::Audit), "{all:?}");
            assert!(all.windows(2).all(|w| w[0].hlc >= w[1].hlc), "newest first");
            let about = AuditFilter {
                subject: Some(format!("person:{}", f.person.0)),
                ..AuditFilter::default()
            };
            let person = f.s.changes(&about, 10).unwrap();
            assert_eq!(person.len(), 2, "{person:?}");
            let (edit, made) = (&person[0], &person[1]);
            assert!(!edit.created && made.created);
            assert_eq!(edit.fields, ["mobile"]);
            assert_eq!(edit.actor_name.as_deref(), Some("王芳"));
            assert_eq!(made.actor, Some(f.clerk));
            assert_eq!(made.station_code.as_deref(), Some("FT"));
            assert!(made.fields.contains(&"name".to_owned()));
            let shown = format!("{person:?}");
            for secret in ["13812345678", "13900001111", "张三丰"] {
                assert!(!shown.contains(secret), "{shown}");
            }
            // By actor and by period (the mobile was changed at once).
            let by_clerk = AuditFilter {
                actor: Some(f.clerk),
                ..AuditFilter::default()
            };
            let c = f.s.changes(&by_clerk, 10).unwrap();
            assert!(!c.is_empty() && c.iter().all(|c| c.actor == Some(f.clerk)));
            let before = AuditFilter {
                to: Some(at(T0)),
                ..AuditFilter::default()
            };
            assert!(f.s.changes(&before, 10).unwrap().is_empty());
            let not_a_record = AuditFilter {
                subject: Some("people".into()),
                ..AuditFilter::default()
            };
            assert!(f.s.changes(&not_a_record, 10).unwrap().is_empty());
        }

        #[test]
        fn the_view_merges_and_masks() {
            let mut f = fixture();
            let mut w = f.s.begin(None).unwrap();
            let (case, number) = w
                .open_case(&NewCase {
                    case_type: CaseType::WageArrears,
                    hardship_kind: None,
                    claimants: vec![f.person.into()],
                    respondent: None,
                    summary: None,
                    claimed: Fen(0),
                    handler: None,
                    follow_up: None,
                    opened_at: at(T0),
                })
                .unwrap();
            w.commit().unwrap();
            f.s.record_audit(AuditAction::View, About::case(case), &Value::Null)
                .unwrap();
            let page = f.s.audit_view(&AuditFilter::default(), true, 500).unwrap();
            assert!(!page.more);
            assert!(page.lines.windows(2).all(|w| w[0].at() >= w[1].at()));
            let subjects: Vec<&Subject> = page.lines.iter().map(AuditLine::subject).collect();
            assert!(
                subjects.contains(&&Subject::Person("张*".into())),
                "{subjects:?}"
            );
            assert!(subjects.contains(&&Subject::Case(number.to_string())));
            assert!(subjects.contains(&&Subject::Staff("李强".into())));
            assert!(subjects.contains(&&Subject::Text("people".into())));
            assert!(!format!("{subjects:?}").contains("张三丰"));
            let entries = page
                .lines
                .iter()
                .filter(|l| matches!(l, AuditLine::Entry { .. }))
                .count();
            // Two staff changes, a sign-in, a view, two exports.
            assert_eq!(entries, 6);
            // Without the changes, and cut short.
            let only = f.s.audit_view(&AuditFilter::default(), false, 500).unwrap();
            assert_eq!(only.lines.len(), 6);
            let short = f.s.audit_view(&AuditFilter::default(), true, 3).unwrap();
            assert_eq!((short.lines.len(), short.more), (3, true));
            assert_eq!(short.lines[..], page.lines[..3]);
            // An erased person is said to be erased, never named.
            f.s.conn()
                .execute("UPDATE people SET erased = 1", [])
                .unwrap();
            let page = f.s.audit_view(&AuditFilter::default(), true, 500).unwrap();
            let subjects: Vec<&Subject> = page.lines.iter().map(AuditLine::subject).collect();
            assert!(subjects.contains(&&Subject::Erased));
            assert!(!subjects.iter().any(|s| matches!(s, Subject::Person(_))));
        }

        #[test]
        fn reads_use_the_time_indexes() {
            let s = fixture().s;
            let none = None::<Vec<u8>>;
            let search = plan(
                &s,
                &format!("{ROW} INDEXED BY audit_by_time {SEARCH}"),
                params![0, 1, none, None::<String>, None::<String>, 10],
            );
            assert!(search.contains("audit_by_time (at>? AND at<?)"), "{search}");
            assert!(!search.contains("TEMP B-TREE"), "{search}");
            let changes = plan(&s, CHANGES, params![0, 1, none, 10]);
            assert!(
                changes.contains("ops_by_time (hlc>? AND hlc<?)"),
                "{changes}"
            );
            assert!(!changes.contains("TEMP B-TREE"), "{changes}");
            let record = plan(&s, RECORD_CHANGES, params![0, 1, none, 10, vec![0u8; 16]]);
            assert!(
                record.contains("ops_by_entity (id=? AND hlc>? AND hlc<?)"),
                "{record}"
            );
            assert!(!record.contains("TEMP B-TREE"), "{record}");
        }

        #[test]
        fn names_are_masked_to_their_first_character() {
            assert_eq!(masked_name("张三丰").as_deref(), Some("张*"));
            assert_eq!(masked_name(" Li Wei").as_deref(), Some("L*"));
            assert_eq!(masked_name("  "), None);
            let id = Uuid::parse_str("0193a2b4-0000-7000-8000-000000000000").unwrap();
            assert_eq!(
                subject_record(&format!("case:{id}")),
                Some((Entity::Case, id))
            );
            assert_eq!(subject_record("people"), None);
            assert_eq!(subject_record("case:nonsense"), None);
        }
    }
}
