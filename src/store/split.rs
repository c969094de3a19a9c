//! A replica whose history forked: two databases writing under one
//! replica id (a cloned disk image, a copy the identity check could not
//! tell apart) give different operations the same sequence numbers.
//! Every other replica would keep whichever it read first, and the two
//! copies would each believe the folder complete: silent divergence.
//!
//! So a sync compares what it reads with what it holds (`sync::folder`),
//! Syncthing's `.sync-conflict-` copies included. Two different operations
//! under one `(origin, seq)` mark the origin **split** from that sequence
//! number on, here, for good ([`Store::note_split`]):
//!
//! - if the origin is this database's own id, this database is one of the
//!   copies: its own operations from there move to a new replica id
//!   (renumbered, in their order), as after a restored backup;
//! - the origin's operations from there that this database holds, of
//!   whichever copy, move to a **carrier**: an origin of this database's
//!   whose id is tagged as one ([`ReplicaId::is_carrier`]), which makes
//!   no edits of its own and only carries copies. Operations of the split
//!   origin from there that arrive later go to the carrier too, unless an
//!   operation with the same record, clock and values is here already
//!   ([`Store::carry`]). Carriers are passed on like any origin.
//!
//! Nothing of either copy is lost: each reaches every replica, under its
//! new id or in carriers, and the split origin's log ends before the fork
//! everywhere (so no replica passes on operations others hold otherwise
//! under the same numbers). A carrier's operations were made by different
//! writers in an order nobody knows: the fold (`oplog::causal`) gives them
//! no chain, so they know only what they name (and the origin's operations
//! before the fork, which each names when carried), and a reference to an
//! operation of the fork finds its copies. Holding two copies of one
//! operation changes no record.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::erase::redact_fields;
use super::oplog::hlc::Hlc;
use super::oplog::{Entity, LoggedOp, OpRef, decode_refs, encode_refs, origin_index};
use super::{Result, Store, StoreError};
use crate::domain::ids::ReplicaId;

/// An origin whose history forked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub origin: ReplicaId,
    /// The first sequence number of the fork.
    pub from: i64,
    /// This database's carrier of the origin's operations from there.
    pub carrier: ReplicaId,
}

/// A split as staff are told of it for a while after it was found
/// ([`Store::recent_splits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitListed {
    pub origin: ReplicaId,
    pub from: i64,
    /// The station whose database it is, when this database knows it.
    pub station: Option<String>,
    /// When this database found it.
    pub noted: chrono::DateTime<chrono::Utc>,
}

/// How long a split found stays listed for staff (F5, `waystation
/// conflicts`); `sync --status` names every one.
pub const SPLIT_LISTED_DAYS: i64 = 30;

/// What noting a split did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitNoted {
    pub origin: ReplicaId,
    pub from: i64,
    /// The station whose database it is, when this database knows it.
    pub station: Option<String>,
    /// This database was one of the copies: it writes under a new id now.
    pub own: bool,
    /// Operations of the origin moved to the carrier.
    pub carried: usize,
}

/// An operation moving to the carrier: its number, record and references.
type Moving = (i64, Vec<u8>, Option<Vec<u8>>);

/// Whether two operations under one `(origin, seq)` are the same one: the
/// same record, clock, writer, kind and values (values an erasure wiped
/// on either side compared wiped on both).
pub fn same_op(a: &LoggedOp, b: &LoggedOp) -> bool {
    a.hlc == b.hlc
        && a.entity == b.entity
        && a.id == b.id
        && a.kind == b.kind
        && a.actor == b.actor
        && same_values(&a.fields, &b.fields)
}

fn same_values(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    if a == b {
        return true;
    }
    let (mut a, mut b) = (a.clone(), b.clone());
    redact_fields(&mut a);
    redact_fields(&mut b);
    a == b
}

impl Store {
    /// Every origin noted split here, by origin.
    pub fn splits(&self) -> Result<BTreeMap<ReplicaId, Split>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT o.replica_id, s.from_seq, c.replica_id FROM splits s
             JOIN origins o ON o.idx = s.origin JOIN origins c ON c.idx = s.carrier",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (o, from, c) = row?;
            if let (Some(origin), Some(carrier)) =
                (ReplicaId::from_slice(&o), ReplicaId::from_slice(&c))
            {
                out.insert(
                    origin,
                    Split {
                        origin,
                        from,
                        carrier,
                    },
                );
            }
        }
        Ok(out)
    }

    /// The splits found here in the last [`SPLIT_LISTED_DAYS`] days,
    /// oldest first: what staff are told of.
    pub fn recent_splits(&self) -> Result<Vec<SplitListed>> {
        let now = i64::try_from((self.clock)()).unwrap_or(i64::MAX);
        let since = now.saturating_sub(SPLIT_LISTED_DAYS * 86_400_000);
        let rows: Vec<(Vec<u8>, i64, i64)> = self
            .conn()
            .prepare_cached(
                "SELECT o.replica_id, s.from_seq, s.noted_at FROM splits s
                 JOIN origins o ON o.idx = s.origin
                 WHERE s.noted_at >= ?1 ORDER BY s.noted_at",
            )?
            .query_map([since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (o, from, at) in rows {
            let Some(origin) = ReplicaId::from_slice(&o) else {
                continue;
            };
            out.push(SplitListed {
                origin,
                from,
                station: self.origin_station(origin)?,
                noted: chrono::DateTime::from_timestamp_millis(at).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// The lowest sequence number at which `ops` (of one origin) differ
    /// from the operation this database holds under the same origin and
    /// number; `None` when every one it holds is the same.
    pub fn first_difference(&self, ops: &[LoggedOp]) -> Result<Option<i64>> {
        let Some(first) = ops.first() else {
            return Ok(None);
        };
        let (lo, hi) = ops.iter().fold((i64::MAX, i64::MIN), |(lo, hi), o| {
            (lo.min(o.seq), hi.max(o.seq))
        });
        let held: BTreeMap<i64, LoggedOp> = self
            .ops_range(first.origin, lo, hi)?
            .into_iter()
            .map(|o| (o.seq, o))
            .collect();
        Ok(ops
            .iter()
            .filter(|o| o.origin == first.origin)
            .filter(|o| held.get(&o.seq).is_some_and(|h| !same_op(h, o)))
            .map(|o| o.seq)
            .min())
    }

    /// Notes that `origin`'s history forked at `from` (see the module):
    /// this database's own operations from there move to a new replica id
    /// if it is the origin; the origin's operations from there that it
    /// holds move to its carrier. Noting it again at a later number
    /// changes nothing; at an earlier one, moves what lies between.
    pub fn note_split(&mut self, origin: ReplicaId, from: i64) -> Result<SplitNoted> {
        let from = from.max(1);
        let station = self.origin_station(origin)?;
        let known = self.splits()?.get(&origin).copied();
        let mut noted = SplitNoted {
            origin,
            from: known.map_or(from, |k| k.from.min(from)),
            station,
            own: false,
            carried: 0,
        };
        if known.is_some_and(|k| k.from <= from) {
            return Ok(noted);
        }
        if origin == self.replica_id() {
            // One of the copies: what it wrote from the fork on is its
            // own, under a new id, in its own order.
            self.take_new_replica_id(from)?;
            noted.own = true;
            tracing::warn!(
                old = %origin.0, new = %self.replica_id().0, from,
                "this database's history forked from a copy of it: writing under a new replica id"
            );
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let origin_idx = origin_index(&tx, origin)?;
        let carrier = match known {
            Some(k) => k.carrier,
            None => ReplicaId::new_carrier(),
        };
        let carrier_idx = origin_index(&tx, carrier)?;
        let first = next_seq(&tx, carrier_idx)?;
        let moving: Vec<Moving> = {
            let mut stmt = tx.prepare(
                "SELECT seq, id, after FROM ops WHERE origin = ?1 AND seq >= ?2 ORDER BY seq",
            )?;
            stmt.query_map(params![origin_idx, from], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut touched = BTreeSet::new();
        for (next, (seq, id, after)) in (first..).zip(&moving) {
            let mut refs = match after {
                Some(b) => decode_refs(b)
                    .ok_or_else(|| StoreError::Corrupt("operation with bad references".into()))?,
                None => Vec::new(),
            };
            if let Some(r) = before_fork(&tx, id, origin, origin_idx, from)? {
                refs.push(r);
                refs.sort();
                refs.dedup();
            }
            tx.prepare_cached(
                "UPDATE ops SET origin = ?1, seq = ?2, after = ?3 WHERE origin = ?4 AND seq = ?5",
            )?
            .execute(params![
                carrier_idx,
                next,
                encode_refs(&refs),
                origin_idx,
                seq
            ])?;
            touched.insert(id.clone());
        }
        noted.carried = moving.len();
        tx.execute(
            "INSERT INTO splits (origin, from_seq, carrier, noted_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (origin) DO UPDATE SET from_seq = min(from_seq, excluded.from_seq)",
            params![
                origin_idx,
                from,
                carrier_idx,
                i64::try_from((self.clock)()).unwrap_or(i64::MAX)
            ],
        )?;
        rebuild_touched(&tx, &touched)?;
        tx.commit()?;
        tracing::warn!(
            origin = %origin.0, from, carried = noted.carried,
            "two copies of one database wrote under one replica id: both kept"
        );
        Ok(noted)
    }

    /// Of `ops`, those of a split origin from its fork on: each not held
    /// here in any form (the same record, clock and values under another
    /// origin) is stored in this database's carrier of that origin, naming
    /// the operation of its record before the fork. The others are left
    /// for the caller to apply. Returns `(carried, the rest)`.
    pub fn carry(&mut self, ops: &[LoggedOp]) -> Result<(usize, Vec<LoggedOp>)> {
        let splits = self.splits()?;
        let mut rest = Vec::new();
        let mut forked = Vec::new();
        for op in ops {
            match splits.get(&op.origin) {
                Some(s) if op.seq >= s.from => forked.push((op, *s)),
                _ => rest.push(op.clone()),
            }
        }
        if forked.is_empty() {
            return Ok((0, rest));
        }
        let mut copies = Vec::new();
        let mut next: BTreeMap<ReplicaId, i64> = BTreeMap::new();
        for (op, split) in forked {
            if held_in_any_form(self.conn(), op)? {
                continue;
            }
            let seq = match next.get(&split.carrier) {
                Some(n) => *n,
                None => {
                    let idx = origin_index(self.conn(), split.carrier)?;
                    next_seq(self.conn(), idx)?
                }
            };
            next.insert(split.carrier, seq + 1);
            let origin_idx = origin_index(self.conn(), op.origin)?;
            let mut after = op.after.clone();
            if let Some(r) = before_fork(
                self.conn(),
                op.id.as_bytes(),
                op.origin,
                origin_idx,
                split.from,
            )? {
                after.push(r);
                after.sort();
                after.dedup();
            }
            copies.push(LoggedOp {
                origin: split.carrier,
                seq,
                after,
                ..op.clone()
            });
        }
        let carried = copies.len();
        if carried > 0 {
            self.apply_remote(&copies)?;
        }
        Ok((carried, rest))
    }

    /// Whether a bundle file with this nonce (a keyed hash of its header
    /// and contents) was read here and found to agree with the log.
    pub fn bundle_seen(&self, nonce: &[u8]) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("SELECT 1 FROM bundles_seen WHERE nonce = ?1")?
            .query_row([nonce], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Notes that a bundle file with this nonce agrees with the log: a
    /// later sync need not read it again.
    pub fn note_bundle_seen(&mut self, nonce: &[u8]) -> Result<()> {
        self.conn()
            .prepare_cached("INSERT OR IGNORE INTO bundles_seen (nonce) VALUES (?1)")?
            .execute([nonce])?;
        Ok(())
    }
}

/// The next sequence number of an origin here (its log and what is held
/// apart of it).
fn next_seq(conn: &rusqlite::Connection, idx: i64) -> Result<i64> {
    let in_log: Option<i64> = conn
        .prepare_cached("SELECT max(seq) FROM ops WHERE origin = ?1")?
        .query_row([idx], |r| r.get(0))?;
    let held: Option<i64> = conn
        .prepare_cached("SELECT max(seq) FROM held_ops WHERE origin = ?1")?
        .query_row([idx], |r| r.get(0))?;
    Ok(in_log.unwrap_or(0).max(held.unwrap_or(0)) + 1)
}

/// The latest operation of record `id` by `origin` before its fork at
/// `from`: what every copy of the fork was made knowing.
fn before_fork(
    conn: &rusqlite::Connection,
    id: &[u8],
    origin: ReplicaId,
    origin_idx: i64,
    from: i64,
) -> Result<Option<OpRef>> {
    let hlc: Option<i64> = conn
        .prepare_cached("SELECT max(hlc) FROM ops WHERE id = ?1 AND origin = ?2 AND seq < ?3")?
        .query_row(params![id, origin_idx, from], |r| r.get(0))?;
    Ok(hlc.map(|h| OpRef {
        hlc: Hlc::from_i64(h),
        origin,
    }))
}

/// Whether the log holds `op` under another origin: an operation of the
/// same record with the same clock, kind and values.
fn held_in_any_form(conn: &rusqlite::Connection, op: &LoggedOp) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, payload, actor FROM ops WHERE id = ?1 AND hlc = ?2 AND entity = ?3",
    )?;
    let rows = stmt.query_map(
        params![op.id.as_bytes(), op.hlc.as_i64(), op.entity.code()],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<Vec<u8>>>(2)?,
            ))
        },
    )?;
    for row in rows {
        let (kind, payload, actor) = row?;
        let fields: Map<String, Value> = serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("cannot read an operation: {e}")))?;
        let actor_same = actor.as_deref() == op.actor.as_ref().map(|a| a.as_bytes().as_slice());
        if kind == op.kind && actor_same && same_values(&fields, &op.fields) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Folds again every record of `ids` (their operations moved).
fn rebuild_touched(tx: &rusqlite::Connection, ids: &BTreeSet<Vec<u8>>) -> Result<()> {
    for id in ids {
        let entity: Option<i64> = tx
            .query_row("SELECT entity FROM ops WHERE id = ?1 LIMIT 1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        if let (Some(e), Ok(id)) = (entity.and_then(Entity::from_code), Uuid::from_slice(id)) {
            super::apply::rebuild(tx, e, &id, true)?;
        }
    }
    super::search::flush_pending_terms(tx)?;
    Ok(())
}
