//! Applying operations that other replicas made: the receiving half of sync.
//!
//! Operations are stored as they come (a duplicate is skipped by its origin
//! and sequence number), then every record they touch is rebuilt from all
//! of its operations with the same fold as local writes use. So the order
//! and grouping of deliveries does not matter. A record whose operations
//! refer to one not yet received (a visit before its person) waits in
//! `unresolved` and is built when the other arrives. An operation dated
//! further ahead of this computer's clock than the bound is held apart
//! instead (`held.rs`).
//!
//! **Slices.** A batch (a file of 50,000 operations) is applied in bounded
//! slices, each its own transaction: the operations of the slice are
//! stored, the records they touch rebuilt, and the slice committed. Each
//! aims at [`SLICE_TARGET`] of work (its size follows what the slice
//! before it took), and between two slices the lock is let go for
//! [`SLICE_GAP`], so a tally or a check-in typed meanwhile waits for one
//! slice at most, never for the whole import. Each committed slice leaves
//! a consistent database (every record it touched folded again; `check`
//! passes after a kill at any moment); a batch cut off is completed by
//! applying it again. Records that wait for another are tried again once
//! the batch is in, in slices too.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, params};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::claimants::{case_of_claimant, derive_totals, ever_owed};
use super::erase::{
    erased_in, erases, redact_fields, redact_log, restore_zeroing, wipe_free_pages,
    zero_freed_space,
};
use super::held;
use super::oplog::{
    Entity, LoggedOp, OP_COLUMNS, encode_refs, fold, ops_of, origin_index, read_op, to_sql,
};
use super::search::{case_terms, flush_pending_terms, person_terms, reindex};
use super::{Result, Store, StoreError};
use crate::domain::ids::ReplicaId;
use crate::store::oplog::hlc::Hlc;

/// What one application did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Operations new to this database's log (those released from being
    /// held apart included).
    pub new_ops: usize,
    /// Operations it already had.
    pub duplicates: usize,
    /// Records still waiting for a record they refer to.
    pub waiting: usize,
    /// Operations held apart by this call: dated further ahead of this
    /// computer's clock than the bound (`held.rs`).
    pub held: usize,
    /// Operations held apart before, applied now: the clock reached them
    /// or staff accepted them.
    pub released: usize,
    /// Transactions committed.
    pub slices: usize,
    /// The longest any of them held the write lock.
    pub longest_hold: Duration,
}

/// The work one slice aims at: a writer that waits for the lock (a tally
/// typed during an import) waits about this long, twice at worst.
pub const SLICE_TARGET: Duration = Duration::from_millis(40);
/// Operations in the first slice of a call; the next ones follow the time
/// the one before took.
const SLICE_FIRST: usize = 256;
const SLICE_MIN: usize = 16;
const SLICE_MAX: usize = 16_384;
/// Pages the write-ahead log may grow to while a batch applies before it
/// is copied into the database (SQLite's default is 1,000): each slice's
/// commit writes every page it changed, so with the default nearly every
/// slice would copy thousands of scattered pages (the lookup terms of the
/// people of a file) into the database; this way a page changed by many
/// slices is copied once. As `Store::bulk_load` does.
const IMPORT_WAL_PAGES: i64 = 50_000;

/// The pause between two slices, while other writers, who look for the
/// lock every millisecond (`Store::setup`), take it.
pub const SLICE_GAP: Duration = Duration::from_millis(2);

/// The size of the next slice, after one of `size` took `took`: what fits
/// in [`SLICE_TARGET`] at that pace, at most twice as many as before.
fn next_size(size: usize, took: Duration) -> usize {
    let target = SLICE_TARGET.as_secs_f64();
    let took = took.as_secs_f64().max(1e-4);
    let fits = (size as f64 * target / took) as usize;
    fits.min(size.saturating_mul(2)).clamp(SLICE_MIN, SLICE_MAX)
}

/// One operation to apply, and whether it comes from `held_ops` (due, or
/// accepted): applied whatever its date, and removed from there.
type Item<'a> = (&'a LoggedOp, bool);

impl Store {
    /// Every operation in the log, by origin and sequence number: what this
    /// database can pass on (its own and those it relays).
    pub fn all_ops(&self) -> Result<Vec<LoggedOp>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {OP_COLUMNS}
             FROM ops JOIN origins o ON o.idx = ops.origin ORDER BY o.replica_id, ops.seq"
        ))?;
        let rows = stmt.query_map([], read_op)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }

    /// Applies operations received from other replicas, in slices (see
    /// the module). First applies the operations held apart that the
    /// clock has reached; holds apart those of `ops` dated further ahead
    /// than the bound.
    pub fn apply_remote(&mut self, ops: &[LoggedOp]) -> Result<Applied> {
        let limit = Hlc::limit((self.clock)());
        let due = held::due(self.conn(), limit)?;
        let mut items: Vec<Item<'_>> = due.iter().map(|o| (o, true)).collect();
        items.extend(ops.iter().map(|o| (o, false)));
        self.apply_items(&items, limit)
    }

    /// Applies operations taken from `held_ops`, whatever their dates.
    pub(crate) fn apply_released(&mut self, ops: &[LoggedOp]) -> Result<Applied> {
        let limit = Hlc::limit((self.clock)());
        let items: Vec<Item<'_>> = ops.iter().map(|o| (o, true)).collect();
        self.apply_items(&items, limit)
    }

    /// Makes the connection slower, as on a loaded machine: it sleeps
    /// `pause` every few thousand steps of SQLite's machine (every
    /// statement of it: an import, a check). `None` makes it whole again.
    /// For tests and benchmarks of what other writers see meanwhile.
    pub fn set_slowdown(&mut self, pause: Option<Duration>) -> Result<()> {
        match pause {
            Some(p) => self.conn.progress_handler(
                1_000,
                Some(move || {
                    std::thread::sleep(p);
                    false
                }),
            )?,
            None => self.conn.progress_handler(0, None::<fn() -> bool>)?,
        }
        Ok(())
    }

    fn apply_items(&mut self, items: &[Item<'_>], limit: Hlc) -> Result<Applied> {
        // SQLite lets the lock go at the end of a commit, then calls the
        // write-ahead log's hook, which copies the log into the database
        // when it has grown past `wal_autocheckpoint` pages: that holds no
        // writer up, but takes long on a slow disk. So while a batch
        // applies, the hook is this one: it notes when the lock was let go
        // (what `Applied::longest_hold` measures up to) and checkpoints as
        // SQLite's own would.
        let auto: i64 = self
            .conn
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
        let released = Released::default();
        let noted = released.clone();
        self.conn.wal_hook(Some(
            move |wal: &mut rusqlite::hooks::Wal, pages: std::ffi::c_int| {
                noted.note();
                if auto > 0
                    && i64::from(pages) >= IMPORT_WAL_PAGES.max(auto)
                    && let Err(e) = wal.checkpoint()
                {
                    // Passive, as SQLite's own; the commit stands anyway.
                    tracing::warn!("cannot checkpoint the write-ahead log: {e}");
                }
                Ok(())
            },
        ))?;
        let applied = self.apply_sliced(items, limit, &released);
        self.conn.wal_hook(
            None::<fn(&mut rusqlite::hooks::Wal, std::ffi::c_int) -> rusqlite::Result<()>>,
        )?;
        // What the log holds now is copied here, not in the commit of
        // whoever writes next (a count at the console).
        if let Err(e) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        {
            tracing::warn!("cannot checkpoint the write-ahead log: {e}");
        }
        // Puts SQLite's own hook back.
        self.conn.pragma_update(None, "wal_autocheckpoint", auto)?;
        applied
    }

    fn apply_sliced(
        &mut self,
        items: &[Item<'_>],
        limit: Hlc,
        released: &Released,
    ) -> Result<Applied> {
        let own = self.replica_id();
        let now_ms = (self.clock)();
        let mut applied = Applied::default();
        // Erasure wins: an operation of a person that an operation of the
        // batch erases is redacted before it is stored, whichever slice
        // the erasure is in.
        let erasures: HashSet<Uuid> = items
            .iter()
            .filter(|(o, _)| o.entity == Entity::Person && erases(&o.fields))
            .map(|(o, _)| o.id)
            .collect();
        // A file holds one origin's operations: its local number is looked
        // up once, not once per operation.
        let mut origins: HashMap<ReplicaId, i64> = HashMap::new();
        let mut size = SLICE_FIRST;
        let mut at = 0;
        let mut redacted = false;
        while at < items.len() {
            if applied.slices > 0 {
                std::thread::sleep(SLICE_GAP);
            }
            let end = at.saturating_add(size).min(items.len());
            let slice = Slice {
                own,
                items: &items[at..end],
                erasures: &erasures,
                limit,
                now_ms,
            };
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let started = Instant::now();
            redacted |= slice.apply(&tx, &mut origins, &mut applied)?;
            released.clear();
            tx.commit()?;
            let took = released.since(started);
            applied.slices += 1;
            applied.longest_hold = applied.longest_hold.max(took);
            size = next_size(end - at, took);
            at = end;
        }
        // Records that waited for one of these may be buildable now; and
        // so may records left waiting by a run of this batch that was cut
        // off after its last slice (every operation of it is a duplicate
        // now, yet the records its last slices made buildable were not
        // built): so the waiting are tried whenever there are any.
        self.build_waiting(size, released, &mut applied)?;
        let waiting: i64 = self
            .conn
            .query_row("SELECT count(*) FROM unresolved", [], |r| r.get(0))?;
        applied.waiting = usize::try_from(waiting).unwrap_or(0);
        if redacted {
            wipe_free_pages(&self.conn)?;
        }
        Ok(applied)
    }

    /// Tries again every record waiting in `unresolved`, in slices of
    /// `size`, in dependency order, while that builds some.
    fn build_waiting(
        &mut self,
        mut size: usize,
        released: &Released,
        applied: &mut Applied,
    ) -> Result<()> {
        let mut pending: Vec<(Entity, Uuid)> = {
            let mut stmt = self.conn.prepare("SELECT entity, id FROM unresolved")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (e, id) = row?;
                if let (Some(e), Ok(id)) = (Entity::from_code(e), Uuid::from_slice(&id)) {
                    out.push((e, id));
                }
            }
            out
        };
        // Entity order is dependency order (people before visits …).
        pending.sort();
        while !pending.is_empty() {
            let mut still = Vec::new();
            let mut at = 0;
            while at < pending.len() {
                std::thread::sleep(SLICE_GAP);
                let end = at.saturating_add(size).min(pending.len());
                let tx = self
                    .conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let started = Instant::now();
                let listed = any_listed(&tx)?;
                still.extend(rebuild_all(&tx, pending[at..end].to_vec(), listed, true)?);
                flush_pending_terms(&tx)?;
                released.clear();
                tx.commit()?;
                let took = released.since(started);
                applied.slices += 1;
                applied.longest_hold = applied.longest_hold.max(took);
                size = next_size(end - at, took);
                at = end;
            }
            if still.len() == pending.len() {
                break;
            }
            pending = still;
        }
        Ok(())
    }
}

/// When the last commit let the lock go, as the write-ahead log's hook
/// notes it (a database in memory has none: then when the commit returned).
#[derive(Clone, Default)]
struct Released(std::sync::Arc<std::sync::Mutex<Option<Instant>>>);

impl Released {
    fn note(&self) {
        if let Ok(mut at) = self.0.lock() {
            *at = Some(Instant::now());
        }
    }

    fn clear(&self) {
        if let Ok(mut at) = self.0.lock() {
            *at = None;
        }
    }

    /// How long since `started` the lock was held.
    fn since(&self, started: Instant) -> Duration {
        let at = self.0.lock().ok().and_then(|mut at| at.take());
        at.unwrap_or_else(Instant::now)
            .saturating_duration_since(started)
    }
}

/// One slice of a batch.
struct Slice<'a, 'b> {
    own: ReplicaId,
    items: &'a [Item<'b>],
    erasures: &'a HashSet<Uuid>,
    limit: Hlc,
    now_ms: u64,
}

impl Slice<'_, '_> {
    /// Stores the slice's operations (or holds them apart), rebuilds the
    /// records they touch, in `tx`. Whether an erasure redacted operations
    /// already in the log.
    fn apply(
        &self,
        tx: &Transaction<'_>,
        origins: &mut HashMap<ReplicaId, i64>,
        applied: &mut Applied,
    ) -> Result<bool> {
        let mut erased = erased_in(tx, self.items.iter().map(|(o, _)| *o))?;
        // (Grown below by the records ever merged with an erased person.)
        erased.extend(self.erasures.iter().copied());
        let mut zeroing = if erased.is_empty() {
            None
        } else {
            Some(zero_freed_space(tx)?)
        };
        let mut touched: BTreeSet<(Entity, Uuid)> = BTreeSet::new();
        let mut newest = Hlc::default();
        for &(op, from_held) in self.items {
            if op.origin == self.own {
                applied.duplicates += 1;
                continue;
            }
            let origin = match origins.get(&op.origin) {
                Some(i) => *i,
                None => {
                    let i = origin_index(tx, op.origin)?;
                    origins.insert(op.origin, i);
                    i
                }
            };
            let (fields, redacted) = if op.entity == Entity::Person && erased.contains(&op.id) {
                let mut fields = op.fields.clone();
                let redacted = redact_fields(&mut fields);
                (Cow::Owned(fields), redacted)
            } else {
                (Cow::Borrowed(&op.fields), false)
            };
            if !from_held && op.hlc > self.limit {
                if held::hold(tx, origin, op, &fields, redacted, self.now_ms)? {
                    applied.held += 1;
                } else {
                    applied.duplicates += 1;
                }
                continue;
            }
            let stored = store_op(tx, origin, op, &fields, redacted)?;
            if from_held {
                held::forget(tx, origin, op.seq)?;
            }
            if !stored {
                applied.duplicates += 1;
                continue;
            }
            applied.new_ops += 1;
            if from_held {
                applied.released += 1;
            }
            if op.entity == Entity::Person {
                super::merge::note_link(tx, &op.id, &fields)?;
            }
            // One dated further ahead than the bound (accepted by staff)
            // does not move this replica's clock.
            if op.hlc <= self.limit {
                newest = newest.max(op.hlc);
            }
            touched.insert((op.entity, op.id));
        }
        // The next local edit comes after what was seen here, but this
        // replica's clock never runs further than the bound ahead of the
        // wall clock, whatever an accepted operation says (an edit made
        // knowing it wins anyway: `oplog::causal`).
        if newest > Hlc::default() {
            tx.prepare_cached("UPDATE replica SET last_hlc = max(last_hlc, ?1)")?
                .execute([newest.as_i64()])?;
        }
        // An erasure that arrived now reaches the person's operations
        // already in the log; the person is rebuilt from the redacted
        // ones (wiped row, no lookup terms, no conflicts of old values).
        // It reaches as well every record ever merged with an erased
        // person, however the merge and the erasure arrived.
        let people = touched
            .iter()
            .filter(|(e, _)| *e == Entity::Person)
            .map(|(_, id)| *id)
            .chain(erased.iter().copied())
            .collect::<Vec<_>>();
        let with = super::merge::erased_with(tx, people)?;
        if zeroing.is_none() && !with.is_empty() {
            zeroing = Some(zero_freed_space(tx)?);
        }
        erased.extend(with);
        let mut redacted = false;
        for id in &erased {
            if redact_log(tx, id)? > 0 {
                touched.insert((Entity::Person, *id));
                redacted = true;
            }
        }
        let listed = any_listed(tx)?;
        let waited: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM unresolved)", [], |r| r.get(0))?;
        rebuild_all(tx, touched.into_iter().collect(), listed, waited)?;
        flush_pending_terms(tx)?;
        if let Some(was) = zeroing {
            restore_zeroing(tx, was)?;
        }
        Ok(redacted)
    }
}

/// Whether the conflicts list holds anything (while it does not, a record
/// without conflicts has nothing to clear).
fn any_listed(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM conflicts)")?
        .query_row([], |r| r.get(0))?)
}

/// Rebuilds `pending` (in entity order: dependency order), again while
/// records that waited become buildable; notes in `unresolved` the ones
/// that still wait and takes out the ones built (`waited`: it may hold
/// them). Returns the ones that wait.
fn rebuild_all(
    conn: &Connection,
    mut pending: Vec<(Entity, Uuid)>,
    listed: bool,
    waited: bool,
) -> Result<Vec<(Entity, Uuid)>> {
    let mut built = Vec::new();
    loop {
        let mut waiting = Vec::new();
        for (entity, id) in &pending {
            if rebuild(conn, *entity, id, listed)? {
                built.push(*id);
            } else {
                waiting.push((*entity, *id));
            }
        }
        let stuck = waiting.len() == pending.len();
        pending = waiting;
        if pending.is_empty() || stuck {
            break;
        }
    }
    if waited {
        let mut gone = conn.prepare_cached("DELETE FROM unresolved WHERE id = ?1")?;
        for id in &built {
            gone.execute([id.as_bytes()])?;
        }
    }
    let mut wait =
        conn.prepare_cached("INSERT OR IGNORE INTO unresolved (id, entity) VALUES (?1, ?2)")?;
    for (entity, id) in &pending {
        wait.execute(params![id.as_bytes(), entity.code()])?;
    }
    Ok(pending)
}

/// Stores one operation of the origin numbered `origin` here, with
/// `fields` as its payload (its own, or redacted ones); false when the log
/// already has it.
fn store_op(
    conn: &Connection,
    origin: i64,
    op: &LoggedOp,
    fields: &Map<String, Value>,
    redacted: bool,
) -> Result<bool> {
    let payload = serde_json::to_string(fields)
        .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO ops
                 (origin, seq, hlc, actor, entity, id, kind, payload, after, redacted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            origin,
            op.seq,
            op.hlc.as_i64(),
            op.actor.as_ref().map(|a| a.as_bytes().as_slice()),
            op.entity.code(),
            op.id.as_bytes().as_slice(),
            op.kind,
            payload,
            encode_refs(&op.after),
            redacted,
        ])?;
    Ok(n == 1)
}

/// Rebuilds one record from all of its operations, and its listed
/// conflicts; its new lookup terms wait in `pending_terms` until the caller
/// runs `flush_pending_terms`. False when it cannot be built yet: it refers to a record this
/// database does not have. `listed`: the conflicts list may hold the record.
pub(crate) fn rebuild(conn: &Connection, entity: Entity, id: &Uuid, listed: bool) -> Result<bool> {
    let ops = ops_of(conn, id)?;
    let Some(fields) = fold(&ops) else {
        return Ok(true); // no creation yet: nothing to build, nothing waits
    };
    let table = entity.table();
    let old_terms = terms_of(conn, entity, id)?;
    let mut values = Vec::with_capacity(table.cols.len() + 1);
    values.push(SqlValue::Blob(id.as_bytes().to_vec()));
    for (name, ty) in table.cols {
        values.push(to_sql(*ty, fields.get(*name).unwrap_or(&Value::Null))?);
    }
    conn.execute("SAVEPOINT rebuild", [])?;
    match conn
        .prepare_cached(upsert_sql(entity))?
        .execute(rusqlite::params_from_iter(values))
    {
        Ok(_) => {}
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
            conn.execute("ROLLBACK TO rebuild", [])?;
            conn.execute("RELEASE rebuild", [])?;
            return Ok(false);
        }
        Err(e) => return Err(StoreError::Sqlite(e)),
    }
    conn.execute("RELEASE rebuild", [])?;
    // A case's total follows its claimants' amounts, whichever station
    // wrote which of them (claimants.rs).
    match entity {
        Entity::Case => derive_totals(conn, id.as_bytes(), Some(&fields))?,
        // Whoever this person is shown as, and those merged into them.
        Entity::Person => super::merge::refresh_survivors(conn, id)?,
        Entity::Claimant if ever_owed(&ops) => {
            if let Some(case) = case_of_claimant(conn, id.as_bytes())? {
                derive_totals(conn, &case, None)?;
            }
        }
        _ => {}
    }
    let new_terms = terms_of(conn, entity, id)?;
    // New terms wait in pending_terms and are sorted in by the caller
    // (flush_pending_terms): one pass instead of random inserts.
    reindex(conn, id, &old_terms, &new_terms, true)?;
    super::conflicts::refresh(conn, entity, id, &ops, listed)?;
    Ok(true)
}

/// The statement that writes a record's whole row, made once per kind.
fn upsert_sql(entity: Entity) -> &'static str {
    static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        Entity::ALL
            .iter()
            .map(|e| {
                let table = e.table();
                let cols: Vec<&str> = table.cols.iter().map(|(n, _)| *n).collect();
                let marks: Vec<String> = (2..=cols.len() + 1).map(|i| format!("?{i}")).collect();
                let updates: Vec<String> =
                    cols.iter().map(|c| format!("{c} = excluded.{c}")).collect();
                format!(
                    "INSERT INTO {} (id, {}) VALUES (?1, {}) ON CONFLICT (id) DO UPDATE SET {}",
                    table.name,
                    cols.join(", "),
                    marks.join(", "),
                    updates.join(", ")
                )
            })
            .collect()
    });
    // ALL is in code order from 1.
    &all[entity as usize - 1]
}

/// The lookup terms of a record as it stands.
pub(crate) fn terms_of(conn: &Connection, entity: Entity, id: &Uuid) -> Result<Vec<(i64, String)>> {
    Ok(match entity {
        Entity::Person => conn
            .query_row(
                "SELECT name, mobile, resident_id FROM people WHERE id = ?1",
                [id.as_bytes()],
                |r| {
                    Ok(person_terms(
                        &r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?.as_deref(),
                        r.get::<_, Option<String>>(2)?.as_deref(),
                    ))
                },
            )
            .optional()?
            .unwrap_or_default(),
        Entity::Case => conn
            .query_row(
                "SELECT respondent FROM cases WHERE id = ?1",
                [id.as_bytes()],
                |r| Ok(case_terms(r.get::<_, Option<String>>(0)?.as_deref())),
            )
            .optional()?
            .unwrap_or_default(),
        Entity::Respondent => super::respondents::terms_of(conn, id)?,
        _ => Vec::new(),
    })
}
