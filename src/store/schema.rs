//! Schema versions: ordered migrations, each applied in one transaction.
//! An old migration is never edited; a change is a new one at the end.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use super::StoreError;
use super::search::pinyin_terms;

/// `PRAGMA application_id` of a waystation database ("WSTN").
pub const APPLICATION_ID: i32 = 0x5753_544E;

/// The migrations, in order; `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    V1,
    V2,
    V3,
    V4,
    V5,
    V6,
    V7,
    V8,
    V9,
    PINYIN_READINGS,
    CLAIMANT_AMOUNTS,
    HELD_OPS,
    SPLITS,
    MERGES,
    DISTINCT,
    MERGE_LINKS,
    TRAVEL,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings a database up to [`SCHEMA_VERSION`], refusing foreign files and
/// databases written by a newer waystation.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if app_id != 0 || tables > 0 {
            return Err(StoreError::Foreign);
        }
    }
    if version < 0 {
        return Err(StoreError::ImpossibleVersion(version));
    }
    if version == 0 && app_id == APPLICATION_ID {
        // Version 0 is a new, empty file: a waystation file says so only
        // before its first migration has created a table.
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(StoreError::ImpossibleVersion(version));
        }
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    add_functions(conn)?;
    // A migration that fails on a file claiming an older version (its
    // tables are not what that version had) is said in words; the SQL
    // goes to the log. Each step is its own transaction: nothing of the
    // failed one stays.
    let migrated = run(conn, version).map_err(|e| match e {
        StoreError::Sqlite(e) if version > 0 => {
            tracing::error!(version, "migration failed: {e}");
            StoreError::SchemaMismatch(version)
        }
        other => other,
    });
    let removed = conn.remove_function(PINYIN_TERMS_FN, 1);
    migrated?;
    removed?;
    Ok(())
}

fn run(conn: &mut Connection, from: i64) -> Result<(), StoreError> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// `waystation_pinyin_terms(name)`: the pinyin lookup terms this build makes
/// for a name (`search::pinyin_terms`), as a JSON array of `[kind, term]`
/// pairs, for migrations that index names again. Defined while migrating
/// only.
const PINYIN_TERMS_FN: &str = "waystation_pinyin_terms";

fn add_functions(conn: &Connection) -> Result<(), StoreError> {
    conn.create_scalar_function(
        PINYIN_TERMS_FN,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let name: String = ctx.get(0)?;
            serde_json::to_string(&pinyin_terms(&name))
                .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
        },
    )?;
    Ok(())
}

const V1: &str = r#"
-- This database's own identity: not synced.
CREATE TABLE replica (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    replica_id BLOB NOT NULL,
    station_id BLOB,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    last_hlc   INTEGER NOT NULL DEFAULT 0
);

-- Small local numbers for replica ids, so each op row stores an integer.
CREATE TABLE origins (
    idx        INTEGER PRIMARY KEY,
    replica_id BLOB NOT NULL UNIQUE
);

-- The append-only operation log. The record tables below are what it says.
-- payload is a JSON object of field -> value; redacted = 1 once the
-- personal values in it have been erased on request (the op stays, so the
-- order and the sequence numbers of the log are unchanged).
CREATE TABLE ops (
    origin   INTEGER NOT NULL REFERENCES origins(idx),
    seq      INTEGER NOT NULL,
    hlc      INTEGER NOT NULL,
    actor    BLOB,
    entity   INTEGER NOT NULL,
    id       BLOB NOT NULL,
    kind     INTEGER NOT NULL,
    payload  TEXT NOT NULL,
    redacted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
-- Serves: folding one record from its ops (sync, check) and case timelines.
CREATE INDEX ops_by_entity ON ops(id, hlc);

CREATE TABLE stations (
    id        BLOB PRIMARY KEY,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    time_zone TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE staff (
    id     BLOB PRIMARY KEY,
    name   TEXT NOT NULL,
    role   TEXT NOT NULL,
    active INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE people (
    id           BLOB PRIMARY KEY,
    name         TEXT NOT NULL,
    mobile       TEXT,
    resident_id  TEXT,
    trade        TEXT NOT NULL,
    employer     TEXT,
    union_member INTEGER NOT NULL,
    union_joined TEXT,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE visits (
    id         BLOB PRIMARY KEY,
    station_id BLOB NOT NULL REFERENCES stations(id),
    person_id  BLOB REFERENCES people(id),
    headcount  INTEGER NOT NULL,
    trade      TEXT NOT NULL,
    services   INTEGER NOT NULL,
    arrived_at INTEGER NOT NULL,
    left_at    INTEGER
) WITHOUT ROWID;
-- Serves: a person's visit history and last visit (lookup, check-in prefill).
-- Not a partial index: SQLite re-prepares `person_id = ?` against a partial
-- index's WHERE at every new binding.
CREATE INDEX visits_by_person ON visits(person_id, arrived_at);
-- Serves: today's count and figures by period.
CREATE INDEX visits_by_time ON visits(arrived_at);
-- Serves: who is in the station now.
CREATE INDEX visits_present ON visits(arrived_at) WHERE left_at IS NULL;

CREATE TABLE cases (
    id            BLOB PRIMARY KEY,
    code          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    station_id    BLOB NOT NULL REFERENCES stations(id),
    case_type     TEXT NOT NULL,
    hardship_kind TEXT,
    status        TEXT NOT NULL,
    summary       TEXT,
    respondent    TEXT,
    claimed       INTEGER NOT NULL,
    recovered     INTEGER NOT NULL,
    handler       BLOB REFERENCES staff(id),
    follow_up     TEXT,
    referral      TEXT,
    outcome       TEXT,
    close_reason  TEXT,
    opened_at     INTEGER NOT NULL,
    concluded_at  INTEGER
) WITHOUT ROWID;
-- Serves: lookup by whole case number, and minting the next number.
CREATE UNIQUE INDEX cases_by_number ON cases(code, year, seq);
-- Serves: lookup by the numeric tail of a case number.
CREATE INDEX cases_by_seq ON cases(seq);

CREATE TABLE case_claimants (
    id        BLOB PRIMARY KEY,
    case_id   BLOB NOT NULL REFERENCES cases(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    removed   INTEGER NOT NULL
) WITHOUT ROWID;
-- Serves: the claimants of a case (covering: count and names need no row).
CREATE INDEX claimants_by_case ON case_claimants(case_id, removed, person_id);
-- Serves: the cases of a person (lookup by claimant; covering).
CREATE INDEX claimants_by_person ON case_claimants(person_id, removed, case_id);

CREATE TABLE case_notes (
    id      BLOB PRIMARY KEY,
    case_id BLOB NOT NULL REFERENCES cases(id),
    body    TEXT NOT NULL
) WITHOUT ROWID;
-- Serves: the notes of a case timeline.
CREATE INDEX notes_by_case ON case_notes(case_id);

CREATE TABLE counsellors (
    id     BLOB PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    active INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE availability_rules (
    id            BLOB PRIMARY KEY,
    counsellor_id BLOB NOT NULL REFERENCES counsellors(id),
    weekday       INTEGER NOT NULL,
    weeks         INTEGER NOT NULL,
    start         TEXT NOT NULL,
    end           TEXT NOT NULL,
    slot_minutes  INTEGER NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT,
    active        INTEGER NOT NULL
) WITHOUT ROWID;
-- Serves: the rules of one counsellor (slot generation).
CREATE INDEX rules_by_counsellor ON availability_rules(counsellor_id);

CREATE TABLE availability_exceptions (
    id            BLOB PRIMARY KEY,
    counsellor_id BLOB NOT NULL REFERENCES counsellors(id),
    date          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    start         TEXT,
    end           TEXT,
    slot_minutes  INTEGER,
    active        INTEGER NOT NULL
) WITHOUT ROWID;
-- Serves: the exceptions of one counsellor on a date.
CREATE INDEX exceptions_by_counsellor ON availability_exceptions(counsellor_id, date);

CREATE TABLE appointments (
    id            BLOB PRIMARY KEY,
    counsellor_id BLOB NOT NULL REFERENCES counsellors(id),
    person_id     BLOB NOT NULL REFERENCES people(id),
    date          TEXT NOT NULL,
    start         TEXT NOT NULL,
    end           TEXT NOT NULL,
    status        TEXT NOT NULL,
    follow_up     TEXT,
    notes         TEXT,
    booked_at     INTEGER NOT NULL
) WITHOUT ROWID;
-- Serves: no two live bookings in one slot, and a counsellor's day view.
CREATE UNIQUE INDEX appointments_slot ON appointments(counsellor_id, date, start)
    WHERE status <> 'cancelled';
-- Serves: a person's sessions.
CREATE INDEX appointments_by_person ON appointments(person_id);
-- Serves: today's list across counsellors.
CREATE INDEX appointments_by_date ON appointments(date);

-- Lookup terms: name suffixes, pinyin, initials, phone and ID forms.
-- kind values are listed in store/search.rs.
CREATE TABLE search_terms (
    kind INTEGER NOT NULL,
    term TEXT NOT NULL,
    id   BLOB NOT NULL,
    PRIMARY KEY (kind, term, id)
) WITHOUT ROWID;
"#;

/// Secondary indexes dropped for a bulk load (`Store::bulk_load`) wait in
/// `deferred_indexes` until they are built again, and its lookup terms in
/// `pending_terms`; a database opened with rows in either (a bulk load that
/// was cut off) finishes the job first.
const V2: &str = r#"
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);

-- Lookup terms written during a bulk load, sorted into search_terms at its
-- end (or by the next open, if the load was cut off). No index: append only.
CREATE TABLE pending_terms (
    kind INTEGER NOT NULL,
    term TEXT NOT NULL,
    id   BLOB NOT NULL
);
"#;

/// Records whose operations arrived from another replica before a record
/// they refer to (a visit before its person): they are built as soon as it
/// arrives.
const V3: &str = r#"
CREATE TABLE unresolved (
    id     BLOB PRIMARY KEY,
    entity INTEGER NOT NULL
) WITHOUT ROWID;
"#;

/// The case queue's indexes, the schedule views' indexes, and the
/// counselling waitlist.
///
/// The queue (`store/queue.rs`) reads one status at a time: each read is a
/// range of one of these indexes, in the order asked, stopped after the rows
/// the screen needs. The sort key is followed by the id (the tie-break, so
/// that the index order is the whole order) and by the filtered columns, so
/// that the type, handler and overdue filters are tested on the index entry
/// without reading the row. None is partial: the queue binds its filters as
/// parameters.
const V4: &str = r#"
-- Serves: the case queue by due date (status = ?, follow_up order; the
-- overdue filter is the range follow_up < ?) and the open and overdue
-- counts of the queue header.
CREATE INDEX cases_by_status ON cases(status, follow_up, id, case_type, handler);
-- Serves: the case queue by age (status = ?, oldest opened first).
CREATE INDEX cases_by_status_age
    ON cases(status, opened_at, id, follow_up, case_type, handler);
-- Serves: the case queue by amount claimed (status = ?, read backwards).
CREATE INDEX cases_by_status_amount
    ON cases(status, claimed, id, follow_up, case_type, handler);
-- Serves: the case queue by case number (status = ?, newest first, read
-- backwards).
CREATE INDEX cases_by_status_number
    ON cases(status, year, seq, id, follow_up, case_type, handler);
-- Serves: the case queue of one handler, or of unassigned cases
-- (handler IS NULL), by status and due date; the unassigned count.
CREATE INDEX cases_by_handler ON cases(handler, status, follow_up, id, case_type);

-- Serves: a counsellor's day and week views and the next free slot
-- (counsellor_id = ? AND date in a range, by time). The unique
-- appointments_slot cannot: it is partial, and these reads bind their
-- parameters.
CREATE INDEX appointments_by_counsellor ON appointments(counsellor_id, date, start);
-- Serves: the next free slot of a kind (the counsellors of one kind, by
-- name).
CREATE INDEX counsellors_by_kind ON counsellors(kind, name);

-- Workers waiting for a counselling or legal session in a week that is
-- full. week is the ISO date of that week's Monday; kind a CounsellorKind
-- code; status 'waiting', 'booked' or 'withdrawn'.
CREATE TABLE waitlist (
    id            BLOB PRIMARY KEY,
    person_id     BLOB NOT NULL REFERENCES people(id),
    counsellor_id BLOB REFERENCES counsellors(id),
    kind          TEXT NOT NULL,
    week          TEXT NOT NULL,
    note          TEXT,
    status        TEXT NOT NULL,
    added_at      INTEGER NOT NULL
) WITHOUT ROWID;
-- Serves: the waiting entries, oldest first (status = 'waiting').
CREATE INDEX waitlist_by_status ON waitlist(status, added_at);
"#;

/// Sync: what each operation was made knowing, the conflicts list, and the
/// settings a database keeps for itself.
///
/// Two stations may book one slot or, in a race, mint one case number while
/// apart: the unique indexes that refused such records would have kept them
/// out of the tables (waiting forever), so both become plain indexes and
/// the duplicates are listed as conflicts instead.
const V5: &str = r#"
-- The operations of the record, from other origins, that the writer had
-- seen (see LoggedOp::after): 24 bytes each, NULL when none.
ALTER TABLE ops ADD COLUMN after BLOB;

-- Derived from the log, rebuilt with the record (sync/conflicts.rs): edits
-- overwritten without being seen. kind 0 = both set field, 1 = the record
-- was removed while another replica edited it. Values are JSON.
CREATE TABLE conflicts (
    id            BLOB NOT NULL,
    field         TEXT NOT NULL,
    loser_origin  BLOB NOT NULL,
    loser_hlc     INTEGER NOT NULL,
    entity        INTEGER NOT NULL,
    kind          INTEGER NOT NULL,
    loser_value   TEXT NOT NULL,
    winner_origin BLOB NOT NULL,
    winner_hlc    INTEGER NOT NULL,
    winner_value  TEXT NOT NULL,
    PRIMARY KEY (id, field, loser_origin, loser_hlc)
) WITHOUT ROWID;

DROP INDEX appointments_slot;
DROP INDEX cases_by_number;
-- Serves: lookup by whole case number, minting the next number, and
-- finding numbers minted twice.
CREATE INDEX cases_by_number ON cases(code, year, seq);

-- This database's own settings (not synced): the sync network it belongs
-- to, its passphrase, the last folder, where the file was last opened.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// The figures of a period (store/figures/, report/figures.rs): each
/// figure is a range of one of these indexes per station (all stations:
/// one range per station), read without touching a row. Each holds the
/// columns its reads need after the key, so that the index is covering.
const V6: &str = r#"
-- Serves: the visit figures of a station and period (headcount, named vs
-- anonymous, by trade, service, local hour and day): station_id = ? AND
-- arrived_at in a range, covering; also today's count of a station
-- (Store::headcount_on). The person id is there for `person_id IS NULL`
-- (named or not): with that expression indexed instead, or as two partial
-- indexes, SQLite still looks up every row of this WITHOUT ROWID table,
-- which made the read five times slower.
CREATE INDEX visits_by_station_time
    ON visits(station_id, arrived_at, headcount, trade, services, person_id);

-- Serves: cases opened in a period by type, the amounts claimed, and the
-- group cases (station_id = ? AND opened_at in a range, covering).
CREATE INDEX cases_by_station_opened ON cases(station_id, opened_at, case_type, claimed);
-- Serves: cases resolved and closed in a period by type, the amounts
-- recovered, the mediation rate and the days to resolution (station_id = ?
-- AND concluded_at in a range), and the concluded cases still open at the
-- end of a period (concluded_at >= its end).
CREATE INDEX cases_by_station_concluded
    ON cases(station_id, concluded_at, status, case_type, outcome, recovered, opened_at);
-- Serves: the cases open now of a station (status IN the open ones),
-- counted by status and type in index order (no sort): those opened before
-- the end of a period, and the overdue ones (both tested on the entry).
CREATE INDEX cases_by_station_status
    ON cases(station_id, status, case_type, opened_at, follow_up);

-- Serves: the counselling figures of a period (date in a range, grouped by
-- status and counsellor), covering: a figures read never reads a session
-- row, and so never its notes.
CREATE INDEX appointments_by_date_status ON appointments(date, status, counsellor_id);
"#;

/// The audit log: who exported (later: viewed, unmasked) what, and when.
/// Append-only: a record is created and never changed, and travels with
/// sync like any other, so the district office sees every station's log.
/// It names kinds of record and counts, never a worker: nothing in it is
/// personal data to erase on request.
const V7: &str = r#"
-- at: milliseconds since the epoch (UTC); actor: the staff member signed
-- in, NULL before sign-in exists; action: a code of store/audit.rs
-- ('export', 'export_unmasked'); subject: what it concerned (the kind
-- exported); detail: a JSON object (format, rows, masked, period, station
-- filter, file).
CREATE TABLE audit_log (
    id         BLOB PRIMARY KEY,
    at         INTEGER NOT NULL,
    station_id BLOB NOT NULL REFERENCES stations(id),
    actor      BLOB REFERENCES staff(id),
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL
) WITHOUT ROWID;
-- Serves: the audit log newest first (Store::audit_entries: read backwards,
-- the id after the time breaks ties in index order, no sort).
CREATE INDEX audit_by_time ON audit_log(at, id);
"#;

/// Sign-in, erasure on request, and the audit view of changes.
const V8: &str = r#"
-- pin: Argon2id hash of the staff member's PIN (store/signin.rs); travels
-- with the staff record inside the encrypted bundles, so a PIN set at the
-- district office opens every station's console. NULL: no PIN yet.
ALTER TABLE staff ADD COLUMN pin TEXT;
-- erased: 1 once the person was erased on request (store/erase.rs): the
-- personal fields are empty and every operation of the person is redacted.
-- NULL (every person before) or 0: not erased. Nullable, since a record is
-- the fold of its operations and older operations never name the field.
ALTER TABLE people ADD COLUMN erased INTEGER;
-- Failed PINs and kiosk lookups, to slow down guessing. Local to this
-- database, never synced. key: 'pin:<staff id>', 'kiosk-exit',
-- 'kiosk-lookup'; last_at: milliseconds since the epoch.
CREATE TABLE throttle (
    key      TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  INTEGER NOT NULL
) WITHOUT ROWID;
-- Serves: the changes of a period in the audit view, newest first
-- (Store::changes reads it backwards from the end of the period).
CREATE INDEX ops_by_time ON ops(hlc);
"#;

/// Three indexes of V1 were changed in place after databases of schema 1
/// had been written (claimant indexes made covering, `visits_by_person` no
/// longer partial), so those databases kept the first definitions through
/// every later migration: the figures, the case queue and the lookup read
/// rows where they should read only the index. Built again here as V1
/// defines them now; on other databases this rebuilds the same indexes.
/// If a cut-off bulk load left one of them in `deferred_indexes`, it is
/// built here and the saved definition is then skipped (`IF NOT EXISTS`).
const V9: &str = r#"
DROP INDEX IF EXISTS visits_by_person;
CREATE INDEX visits_by_person ON visits(person_id, arrived_at);
DROP INDEX IF EXISTS claimants_by_case;
CREATE INDEX claimants_by_case ON case_claimants(case_id, removed, person_id);
DROP INDEX IF EXISTS claimants_by_person;
CREATE INDEX claimants_by_person ON case_claimants(person_id, removed, case_id);
"#;

/// Lookup by every reading of each character of a name (`text::name_readings`):
/// the pinyin terms of every person (kinds 3 to 6: full pinyin, initials, and
/// both from the second syllable on; new kinds 11 and 12: the other
/// spellings of the name and their initials) are made again by this build, so that
/// people registered before are found by each reading (李长江 by
/// `lichangjiang` as well as `lizhangjiang`) and surnames by their reading as
/// surnames (尉 `wei`). Terms a cut-off bulk load left waiting are dropped
/// too: their people are in `people` and get theirs here. Sorted, so the
/// rows go in in key order.
const PINYIN_READINGS: &str = r#"
DELETE FROM search_terms WHERE kind IN (3, 4, 5, 6, 11, 12);
DELETE FROM pending_terms WHERE kind IN (3, 4, 5, 6, 11, 12);
INSERT OR IGNORE INTO search_terms (kind, term, id)
    SELECT t.value ->> 0, t.value ->> 1, p.id
    FROM people p, json_each(waystation_pinyin_terms(p.name)) t
    ORDER BY 1, 2, 3;
"#;

/// Amounts owed and recovered per claimant, so that each worker of a group
/// case can be told his own figure. NULL: not given for this claimant. A
/// case whose current claimants carry amounts has the sum of theirs as its
/// total (`cases::settle_totals`); a case without keeps its own, as before.
const CLAIMANT_AMOUNTS: &str = r#"
ALTER TABLE case_claimants ADD COLUMN claimed INTEGER;
ALTER TABLE case_claimants ADD COLUMN recovered INTEGER;
"#;

/// Operations of other replicas dated further ahead of this computer's
/// clock than the bound (`store/held.rs`, `oplog::hlc::AHEAD_MILLIS`): kept
/// apart, as they came (their payload redacted when their person is
/// erased), not in the log, not folded, not passed on, until staff accept
/// them or the clock reaches them. `held_at`: this computer's clock when
/// one first arrived, in milliseconds.
const HELD_OPS: &str = r#"
CREATE TABLE held_ops (
    origin   INTEGER NOT NULL REFERENCES origins(idx),
    seq      INTEGER NOT NULL,
    hlc      INTEGER NOT NULL,
    actor    BLOB,
    entity   INTEGER NOT NULL,
    id       BLOB NOT NULL,
    kind     INTEGER NOT NULL,
    payload  TEXT NOT NULL,
    after    BLOB,
    redacted INTEGER NOT NULL DEFAULT 0,
    held_at  INTEGER NOT NULL,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
"#;

/// Origins whose history forked (two copies of one database writing under
/// one replica id: `store/split.rs`): from which sequence number, and the
/// carrier origin that holds their operations from there. And the nonces
/// of bundle files read and found to agree with the log, so that each
/// file is compared once.
const SPLITS: &str = r#"
CREATE TABLE splits (
    origin   INTEGER PRIMARY KEY REFERENCES origins(idx),
    from_seq INTEGER NOT NULL,
    carrier  INTEGER NOT NULL REFERENCES origins(idx),
    noted_at INTEGER NOT NULL
);
CREATE TABLE bundles_seen (
    nonce BLOB PRIMARY KEY
) WITHOUT ROWID;
"#;

/// One worker registered twice, merged (`store/merge.rs`): the person a
/// record was merged into (a field of its own, synced), and per merged
/// person the one it is shown and counted as (derived from those fields).
const MERGES: &str = r#"
ALTER TABLE people ADD COLUMN merged_into BLOB;
CREATE INDEX people_by_merged_into ON people(merged_into) WHERE merged_into IS NOT NULL;
CREATE TABLE person_survivor (
    id       BLOB PRIMARY KEY,
    survivor BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_survivor_by_survivor ON person_survivor(survivor);
"#;

/// Pairs staff judged to be two workers (`store/duplicates.rs`): one
/// synced record per pair, its id derived from the two people's.
const DISTINCT: &str = r#"
CREATE TABLE distinct_pairs (
    id        BLOB PRIMARY KEY,
    first     BLOB,
    second    BLOB,
    dismissed INTEGER
) WITHOUT ROWID;
"#;

/// Every merge ever made between two people, undone or not (derived from
/// the log, `store/merge.rs`): an erasure reaches every record merged with
/// the erased person at any time, whatever order the operations came in.
const MERGE_LINKS: &str = r#"
CREATE TABLE merge_links (
    a BLOB NOT NULL,
    b BLOB NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX merge_links_by_b ON merge_links(b);
INSERT OR IGNORE INTO merge_links (a, b)
    SELECT id, unhex(replace(json_extract(payload, '$.merged_into'), '-', ''))
    FROM ops
    WHERE entity = 3 AND json_type(payload, '$.merged_into') = 'text';
"#;

/// Cases that travel (`store/handoffs.rs`, `store/respondents.rs`): the
/// register of respondents, each case's link to one and the day the worker
/// knew of the infringement (the start of the arbitration time limit),
/// and the referrals, escalations and hand-overs of cases.
const TRAVEL: &str = r#"
CREATE TABLE respondents (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL,
    credit_code TEXT,
    platform    TEXT,
    address     TEXT,
    contact     TEXT,
    merged_into BLOB
) WITHOUT ROWID;
-- Serves: the same code typed for a second respondent (refused), and the
-- duplicates among respondents.
CREATE INDEX respondents_by_code ON respondents(credit_code) WHERE credit_code IS NOT NULL;
-- Serves: the respondents merged into one (its page names them).
CREATE INDEX respondents_by_merged_into ON respondents(merged_into) WHERE merged_into IS NOT NULL;
ALTER TABLE cases ADD COLUMN respondent_id BLOB REFERENCES respondents(id);
ALTER TABLE cases ADD COLUMN infringed_on TEXT;
-- Serves: a respondent's page (its cases at every station) and the figure
-- of respondents with open cases at several stations.
CREATE INDEX cases_by_respondent ON cases(respondent_id, status, station_id)
    WHERE respondent_id IS NOT NULL;
CREATE TABLE handoffs (
    id           BLOB PRIMARY KEY,
    case_id      BLOB NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL,
    target       TEXT,
    from_station BLOB NOT NULL REFERENCES stations(id),
    to_station   BLOB REFERENCES stations(id),
    agency       TEXT,
    reference    TEXT,
    asked        TEXT,
    sent_on      TEXT NOT NULL,
    due          TEXT,
    status       TEXT NOT NULL,
    reason       TEXT,
    outcome      TEXT,
    result       TEXT,
    accepted_on  TEXT,
    concluded_on TEXT
) WITHOUT ROWID;
-- Serves: a case's referrals (its detail and timeline).
CREATE INDEX handoffs_by_case ON handoffs(case_id);
-- Serves: "handed to us": what was handed to a station, by status.
CREATE INDEX handoffs_by_to ON handoffs(to_station, status, due);
-- Serves: the referral figures of a period (by the day sent).
CREATE INDEX handoffs_by_sent ON handoffs(sent_on);
"#;
