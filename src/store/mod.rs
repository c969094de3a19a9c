//! Storage: rusqlite over one SQLite file, with the operation log that every
//! change goes through. Knows nothing of the terminal.

mod apply;
mod audit;
pub mod backup;
mod cases;
mod check;
mod claimants;
mod codes;
mod conflicts;
pub mod crypt;
mod duplicates;
mod erase;
mod error;
mod export;
pub mod figures;
mod handoffs;
mod held;
mod kiosk;
mod knowledge;
mod merge;
mod oplog;
mod people;
mod queue;
mod replica;
mod respondents;
mod schedule;
mod schema;
mod search;
mod signin;
mod split;
mod staff;
mod station;
mod views;
mod visits;
mod waitlist;

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::domain::access::Session;
use crate::domain::ids::{ReplicaId, StaffId, StationId};

pub use apply::{Applied, SLICE_GAP, SLICE_TARGET};
pub use audit::{
    About, AuditAction, AuditEntry, AuditFilter, AuditLine, AuditPage, CHANGE_ACTION, Change,
    Subject, masked_name,
};
pub use cases::{NOTE_MAX, NewCase, StatusChange, TimelineEntry, TimelineEvent};
pub use claimants::{Claimant, ClaimantRef, NewClaimant};
pub use conflicts::{Choice, Issue, Listed, Shown};
pub use duplicates::{Candidate, Likely, PersonRecord, READING_BLOCK, Typed, Why, short};
pub use error::{BUSY_SECS, StoreError, is_full};
pub use export::{
    AppointmentExportRow, CaseExportRow, ExportFilter, PersonExportRow, VisitExportRow,
};
pub use handoffs::{Handoff, Step};
pub use held::{HeldApart, held_key};
pub use kiosk::{CaseStatusView, EXIT_THROTTLE, KioskCheckIn, KioskHolder, LOOKUP_THROTTLE};
pub use knowledge::Held;
pub use oplog::conflicts::{Conflict, ConflictKind, conflicts_of};
pub use oplog::hlc::{AHEAD_MILLIS, Hlc, wall_millis};
pub use oplog::{Entity, LoggedOp, OP_CREATE, OP_UPDATE, OpRef, Writer, to_sql};
pub use people::Namesakes;
pub use queue::{CaseQuery, QueueCounts, QueueRow, QueueSort, StatusFilter};
pub use replica::{FOLDER, LAST_SYNC, NETWORK, PASSPHRASE};
pub use respondents::{
    Respondent, RespondentCase, RespondentField, RespondentHit, RespondentInput, RespondentPage,
    RespondentPair, SpreadRespondent, name_key, parse_id as parse_respondent_id, refused_field,
};
pub use schedule::SlotFilter;
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use search::{CaseHit, Hit, Match, PersonHit};
pub use signin::{SignInError, hash_pin_salted};
pub use split::{SPLIT_LISTED_DAYS, Split, SplitListed, SplitNoted, same_op};
pub use visits::PresentRow;
pub use waitlist::WaitlistRow;

/// Page cache of a connection, in KiB: the hot pages of the lookup terms and
/// the newest records of a district database stay in memory.
const CACHE_KIB: i64 = 16 * 1024;

/// Page cache of a connection to an encrypted database, in KiB: a page read
/// from the disk is decrypted and its HMAC checked, a page in the cache is
/// not, so more of the hot pages stay decrypted in memory.
const ENCRYPTED_CACHE_KIB: i64 = 64 * 1024;

/// Page cache during a bulk load.
const BULK_CACHE_KIB: i64 = 64 * 1024;

/// Pages the write-ahead log may grow to during a bulk load before it is
/// copied into the database (the default is 1,000): fewer, larger
/// checkpoints write each hot page once instead of many times.
const BULK_WAL_PAGES: i64 = 50_000;

/// Secondary indexes that no write path reads, so a bulk load may build them
/// after the rows are in.
const DEFERRABLE_INDEXES: &[&str] = &[
    "ops_by_entity",
    "ops_by_time",
    "visits_by_person",
    "visits_by_time",
    "visits_present",
    "claimants_by_person",
    "cases_by_status",
    "cases_by_status_age",
    "cases_by_status_amount",
    "cases_by_status_number",
    "cases_by_handler",
    "visits_by_station_time",
    "cases_by_station_opened",
    "cases_by_station_concluded",
    "cases_by_station_status",
];

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One open database.
pub struct Store {
    conn: Connection,
    replica: ReplicaId,
    origin_idx: i64,
    /// Inside [`Store::bulk_load`].
    bulk: bool,
    /// Wall clock for new operations, in milliseconds since the epoch.
    clock: fn() -> u64,
    /// Who is signed in: the actor of writes begun without one, and the
    /// role that reads of confidential fields (session notes) check.
    session: Option<Session>,
    /// Details noted as viewed lately, by whom, with the clock reading
    /// (see `views.rs`).
    viewed: std::collections::HashMap<(Option<StaffId>, String), u64>,
    /// The key of an encrypted database (to open it again elsewhere).
    key: Option<crypt::DataKey>,
}

/// A database file and the key it opens with: what a thread that needs a
/// connection of its own is given.
#[derive(Debug, Clone)]
pub struct DbFile {
    pub path: std::path::PathBuf,
    pub key: Option<crypt::DataKey>,
}

impl DbFile {
    /// A clear database at `path`.
    pub fn clear(path: impl Into<std::path::PathBuf>) -> DbFile {
        DbFile {
            path: path.into(),
            key: None,
        }
    }

    /// Opens it (it exists: nothing is created).
    pub fn open(&self) -> Result<Store> {
        Store::open_existing_with(&self.path, self.key.as_ref())
    }
}

/// Gives a new connection its key, as SQLCipher asks, before anything else
/// is read; then reads the schema, which fails on a wrong key.
pub(crate) fn apply_key(conn: &Connection, key: &crypt::DataKey) -> rusqlite::Result<()> {
    // SQLCipher writes its own errors (a wrong key: "hmac check failed")
    // to standard error; they are said in words by the caller instead.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let sql = zeroize::Zeroizing::new(format!("PRAGMA key = \"{}\";", key.pragma().as_str()));
    conn.execute_batch(&sql)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
}

impl Store {
    /// Opens (creating if needed) the database at `path`. The folder must
    /// exist; a foreign, damaged or newer database is refused, and so is an
    /// encrypted one ([`Store::open_with`] opens it).
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, None)
    }

    /// The database file and its key, to open it again (another thread's
    /// connection).
    pub fn file(&self) -> Option<DbFile> {
        self.file_path().map(|path| DbFile {
            path,
            key: self.key.clone(),
        })
    }

    /// The page cache of this connection, in KiB.
    fn cache_kib(&self) -> i64 {
        if self.key.is_some() {
            ENCRYPTED_CACHE_KIB
        } else {
            CACHE_KIB
        }
    }

    /// Whether the database is encrypted at rest.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Opens (creating if needed) the database at `path`, encrypted with
    /// `key` (a new file is made encrypted), or clear without one.
    pub fn open_with(path: &Path, key: Option<&crypt::DataKey>) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsFolder(path.to_owned()));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(StoreError::NoFolder(parent.to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if key.is_none() && crypt::is_encrypted(path) && crypt::key_path(path).exists() {
            return Err(StoreError::Encrypted(path.to_owned()));
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| map_open(e, path))?;
        if let Some(key) = key {
            apply_key(&conn, key).map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) => StoreError::WrongKey(path.to_owned()),
                _ => map_open(e, path),
            })?;
        }
        let mut store = Self::setup(conn, true).map_err(|e| match e {
            StoreError::Sqlite(s) => map_open(s, path),
            other => other,
        })?;
        store.key = key.cloned();
        if key.is_some() {
            store
                .conn
                .pragma_update(None, "cache_size", -ENCRYPTED_CACHE_KIB)?;
        }
        store.check_identity(path)?;
        Ok(store)
    }

    /// Opens the database at `path`, which must exist: a command that reads
    /// or changes records never creates a file for a mistyped name.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_existing_with(path, None)
    }

    /// [`Store::open_existing`] of an encrypted database.
    pub fn open_existing_with(path: &Path, key: Option<&crypt::DataKey>) -> Result<Store> {
        if !path.exists() && !path.is_symlink() {
            return Err(StoreError::NoDatabase(path.to_owned()));
        }
        Self::open_with(path, key)
    }

    /// The database file, unless the database is in memory.
    pub fn file_path(&self) -> Option<std::path::PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// A private database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<Store> {
        // A write waits for another connection's (a sync's slice, another
        // console) for up to BUSY_SECS, looking every millisecond: an
        // import lets the lock go for a few milliseconds between its
        // slices (`apply.rs`), and SQLite's own timeout, which sleeps up
        // to 100 ms between looks, would miss those gaps.
        conn.busy_handler(Some(wait_for_lock))?;
        if wal {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            tracing::debug!(mode, "journal mode");
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Old values of an edited or erased record do not linger in the
        // pages they leave (an erasure turns it fully on while it runs).
        conn.pragma_update(None, "secure_delete", "FAST")?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        // Query plans never look at bound values, so a cached statement is
        // never prepared again. Without this, SQLite marks a parameter
        // compared with `=` whenever some candidate plan leaves the term
        // unused (its "truth probability" heuristic), and then re-prepares
        // the statement at its next step after its bindings are cleared —
        // which rusqlite does each time a statement goes back into its
        // cache: every lookup range scan, `visits_of` and the case queue were
        // prepared again at every call (see `tests::cached_statements_*`).
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        schema::migrate(&mut conn)?;
        let replica = ensure_replica(&mut conn)?;
        let origin_idx = oplog::origin_index(&conn, replica)?;
        let mut store = Store {
            conn,
            replica,
            origin_idx,
            bulk: false,
            clock: wall_millis,
            session: None,
            viewed: std::collections::HashMap::new(),
            key: None,
        };
        store.rebuild_deferred_indexes()?;
        Ok(store)
    }

    /// Runs a large load (demo data, a first import) with the secondary
    /// indexes that no write reads dropped, and new lookup terms appended to
    /// `pending_terms`; at the end the terms are sorted in and the indexes
    /// built again in one pass each, which is several times faster than
    /// keeping them up to date row by row. The writes themselves go through
    /// the usual [`Writer`]; lookups do not see the new records until the
    /// load ends. If the load is cut off, the next [`Store::open`] finishes
    /// both.
    pub fn bulk_load<T>(&mut self, load: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for name in DEFERRABLE_INDEXES {
            let sql: Option<String> = tx
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                tx.execute(
                    "INSERT OR REPLACE INTO deferred_indexes (name, sql) VALUES (?1, ?2)",
                    [name, &sql.as_str()],
                )?;
                tx.execute_batch(&format!("DROP INDEX {name}"))?;
            }
        }
        tx.commit()?;
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", BULK_WAL_PAGES)?;
        self.bulk = true;
        let out = load(self);
        self.bulk = false;
        let restored = self
            .conn
            .pragma_update(None, "cache_size", -self.cache_kib())
            .and_then(|()| self.conn.pragma_update(None, "wal_autocheckpoint", 1000));
        let rebuilt = self.rebuild_deferred_indexes();
        let truncated = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let out = out?;
        restored?;
        rebuilt?;
        truncated?;
        Ok(out)
    }

    fn rebuild_deferred_indexes(&mut self) -> Result<()> {
        // Nothing to finish, nothing written: another connection on the
        // file (a console, the kiosk) notices every write
        // (`Store::data_version`), and the figures open a connection for
        // each count.
        let unfinished: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM pending_terms)
                     OR EXISTS (SELECT 1 FROM deferred_indexes)",
            )?
            .query_row([], |r| r.get(0))?;
        if !unfinished {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        search::flush_pending_terms(&tx)?;
        let pending: Vec<(String, String)> = {
            let mut stmt = tx.prepare("SELECT name, sql FROM deferred_indexes")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (name, sql) in &pending {
            tracing::info!(index = name, "building deferred index");
            tx.execute_batch(&sql.replacen("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))?;
            tx.execute("DELETE FROM deferred_indexes WHERE name = ?1", [name])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The connection, for the read queries of the store's modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Replaces the wall clock that new operations read (tests and
    /// simulations of stations whose clocks are off).
    pub fn set_clock(&mut self, clock: fn() -> u64) {
        self.clock = clock;
    }

    /// The clock new operations read: for another connection to the same
    /// database that must write at the same time (the console's sync).
    pub fn clock(&self) -> fn() -> u64 {
        self.clock
    }

    /// This database's replica id.
    pub fn replica_id(&self) -> ReplicaId {
        self.replica
    }

    /// The station this database belongs to, if it has been set up.
    pub fn station_id(&self) -> Result<Option<StationId>> {
        let id: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT station_id FROM replica")?
            .query_row([], |r| r.get(0))?;
        Ok(id.and_then(|b| StationId::from_slice(&b)))
    }

    /// A number that changes when another connection commits a change to
    /// the file (another console, the kiosk, a sync on its own thread);
    /// this connection's own writes leave it as it is. SQLite's `PRAGMA
    /// data_version`: no table is read, so the console asks on every key.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?)
    }

    /// Who is signed in, if anyone.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Notes who is signed in (None: signed out or locked). Writes begun
    /// without an actor are then made by them.
    pub fn set_session(&mut self, session: Option<Session>) {
        self.session = session;
    }

    /// Starts a write: a `BEGIN IMMEDIATE` transaction whose every change is
    /// logged as an operation by `actor`, or by whoever is signed in.
    /// Refused until a station is set up.
    pub fn begin(&mut self, actor: Option<StaffId>) -> Result<Writer<'_>> {
        let actor = actor.or(self.session.as_ref().map(|s| s.staff));
        self.start_write(actor, true)
    }

    /// Runs `f` in one write by whoever is signed in and commits it; an
    /// error from `f` drops the write, nothing of it kept.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let mut w = self.begin(None)?;
        let out = f(&mut w)?;
        w.commit()?;
        Ok(out)
    }

    /// As [`Store::begin`], also before a station is set up (setting it up).
    pub(crate) fn begin_unchecked(&mut self, actor: Option<StaffId>) -> Result<Writer<'_>> {
        self.start_write(actor, false)
    }

    fn start_write(&mut self, actor: Option<StaffId>, need_station: bool) -> Result<Writer<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // One read of the replica row serves the station check, the
        // writer's sequence number and clock, and the replica id: another
        // connection (a sync in the background) may have taken a new one.
        let (station, last_seq, last_hlc, replica): (Option<Vec<u8>>, i64, i64, Vec<u8>) = tx
            .prepare_cached("SELECT station_id, last_seq, last_hlc, replica_id FROM replica")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        if need_station && station.is_none() {
            return Err(StoreError::NoStation);
        }
        if replica.as_slice() != self.replica.as_bytes() {
            let id = ReplicaId::from_slice(&replica)
                .ok_or_else(|| StoreError::Corrupt("replica id is not a UUID".into()))?;
            self.origin_idx = oplog::origin_index(&tx, id)?;
            self.replica = id;
        }
        // The clock never runs further than the bound ahead of the wall
        // clock: a reading beyond (a database an operation dated at the end
        // of time reached before this build held such operations apart, or
        // a computer whose clock was put back by more than the bound) goes
        // on from the bound. Own operations are ordered by their sequence
        // numbers, and an edit by what it was made knowing, whatever the
        // clocks (`oplog::causal`).
        let mut hlc = Hlc::from_i64(last_hlc);
        let limit = Hlc::limit((self.clock)());
        if hlc > limit {
            tracing::warn!(
                clock = hlc.0,
                limit = limit.0,
                "this replica's clock is further ahead of the wall clock than the bound: going on from the bound"
            );
            hlc = limit;
        }
        let mut w = Writer::new(tx, self.origin_idx, last_seq, hlc, actor, self.clock);
        w.bulk = self.bulk;
        Ok(w)
    }
}

/// SQLite's busy handler of every connection: called while another
/// connection holds the write lock, with how many times it was called for
/// this statement; sleeps a millisecond and says to try again, until
/// [`error::BUSY_SECS`] have passed since the first call (then the write
/// fails as [`StoreError::Busy`]).
fn wait_for_lock(calls: i32) -> bool {
    let now = Instant::now();
    let since = LOCK_SINCE.with(|s| {
        if calls == 0 {
            s.set(Some(now));
        }
        s.get().unwrap_or(now)
    });
    if now.duration_since(since) >= LOCK_WAIT.with(std::cell::Cell::get) {
        return false;
    }
    std::thread::sleep(Duration::from_millis(1));
    true
}

thread_local! {
    /// When the statement waiting for the lock on this thread first found
    /// it taken.
    static LOCK_SINCE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
    /// How long writes on this thread wait for the lock.
    static LOCK_WAIT: std::cell::Cell<Duration> =
        const { std::cell::Cell::new(Duration::from_secs(error::BUSY_SECS)) };
}

/// Runs `f` with the writes it makes on this thread waiting at most `wait`
/// for another connection's write to end (instead of
/// [`BUSY_SECS`](error::BUSY_SECS)): a write tried again in the background
/// (a count the console keeps) does not hold the keyboard up for seconds.
pub fn with_lock_wait<T>(wait: Duration, f: impl FnOnce() -> T) -> T {
    let was = LOCK_WAIT.with(|w| w.replace(wait));
    let out = f();
    LOCK_WAIT.with(|w| w.set(was));
    out
}

fn ensure_replica(conn: &mut Connection) -> Result<ReplicaId> {
    let existing: Option<Vec<u8>> = conn
        .query_row("SELECT replica_id FROM replica", [], |r| r.get(0))
        .optional()?;
    if let Some(b) = existing {
        return ReplicaId::from_slice(&b)
            .ok_or_else(|| StoreError::Corrupt("replica id is not a UUID".into()));
    }
    let id = ReplicaId::new();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO replica (singleton, replica_id) VALUES (1, ?1)",
        [id.as_bytes()],
    )?;
    tx.commit()?;
    Ok(id)
}

fn map_open(e: rusqlite::Error, path: &Path) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(path.to_owned()),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            StoreError::CannotOpen(path.to_owned())
        }
        _ => StoreError::Sqlite(e),
    }
}

/// Reads a 16-byte id column.
pub(crate) fn id_col<T: From<uuid::Uuid>>(bytes: &[u8]) -> rusqlite::Result<T> {
    uuid::Uuid::from_slice(bytes).map(T::from).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    /// A statement taken from the cache again, with other values bound, is
    /// not prepared again (see `Store::setup`).
    #[test]
    fn cached_statements_are_not_prepared_again() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .init_station("FT", "测试驿站", "Asia/Shanghai")
            .unwrap();
        for q in ["zs", "张", "1381", "ls", "zs"] {
            store.lookup(q, 10).unwrap();
        }
        let person = crate::domain::ids::PersonId::new();
        for _ in 0..3 {
            store.visits_of(person, 5).unwrap();
        }
        let conn = store.conn();
        for sql in [
            "SELECT term, id FROM search_terms
             WHERE kind = ?1 AND term >= ?2 AND term < ?3 ORDER BY term",
            visits::VISITS_OF,
        ] {
            let stmt = conn.prepare_cached(sql).unwrap();
            assert!(
                stmt.get_status(StatementStatus::Run) >= 3,
                "not the statement the store runs: {sql}"
            );
            assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0, "{sql}");
        }
    }
}
