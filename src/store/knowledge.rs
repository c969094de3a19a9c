//! What a replica knows of each origin's log: the sending half of sync
//! reads it to write only what a folder lacks, and a gap in what arrived
//! never counts as known past the gap.

use std::collections::BTreeMap;

use rusqlite::params;

use super::oplog::{LoggedOp, OP_COLUMNS, read_op};
use super::{Result, Store};
use crate::domain::ids::ReplicaId;

/// What this database holds of one origin's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// Every operation `1..=contiguous` is here.
    pub contiguous: i64,
    /// The highest sequence number here (above `contiguous` when a middle
    /// part has not arrived yet).
    pub highest: i64,
    /// How many operations are here.
    pub count: i64,
}

impl Held {
    /// Whether a part is missing below the highest operation held.
    pub fn has_gap(&self) -> bool {
        self.highest > self.contiguous
    }
}

impl Store {
    /// Per origin replica, what this database holds of its log.
    pub fn knowledge(&self) -> Result<BTreeMap<ReplicaId, Held>> {
        let conn = self.conn();
        // One range of the primary key (origin, seq) per origin.
        let mut per_origin = conn.prepare_cached(
            "SELECT o.idx, o.replica_id, count(ops.seq), max(ops.seq)
             FROM origins o JOIN ops ON ops.origin = o.idx GROUP BY o.idx",
        )?;
        // The first operation whose successor is missing: the end of the
        // unbroken run from 1. A walk of one origin's key range, reached
        // only when an origin has a gap.
        let mut run_end = conn.prepare_cached(
            "SELECT min(seq) FROM ops a WHERE a.origin = ?1
               AND NOT EXISTS (SELECT 1 FROM ops b WHERE b.origin = a.origin AND b.seq = a.seq + 1)",
        )?;
        let mut has_first =
            conn.prepare_cached("SELECT 1 FROM ops WHERE origin = ?1 AND seq = 1")?;
        let rows: Vec<(i64, Vec<u8>, i64, i64)> = per_origin
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = BTreeMap::new();
        for (idx, replica, count, highest) in rows {
            let Some(replica) = ReplicaId::from_slice(&replica) else {
                continue;
            };
            let contiguous = if count == highest {
                highest
            } else if !has_first.exists(params![idx])? {
                0
            } else {
                let end: Option<i64> = run_end.query_row(params![idx], |r| r.get(0))?;
                end.unwrap_or(highest)
            };
            out.insert(
                replica,
                Held {
                    contiguous,
                    highest,
                    count,
                },
            );
        }
        Ok(out)
    }

    /// The operations of `origin` numbered `first..=last` that this database
    /// holds, in order.
    pub fn ops_range(&self, origin: ReplicaId, first: i64, last: i64) -> Result<Vec<LoggedOp>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {OP_COLUMNS}
             FROM origins o JOIN ops ON ops.origin = o.idx
             WHERE o.replica_id = ?1 AND ops.seq BETWEEN ?2 AND ?3 ORDER BY ops.seq"
        ))?;
        let rows = stmt.query_map(params![origin.as_bytes(), first, last], read_op)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }
}
