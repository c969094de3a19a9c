//! What each operation of one record was made knowing, and which setter of
//! each field stands: the fold that local writes, sync, `check` and the
//! conflicts list all use.
//!
//! An operation knows every earlier operation of its own origin (by
//! sequence number: a replica wrote them before it) and the operations it
//! names in [`LoggedOp::after`], and, transitively, everything those knew.
//! Per field, an operation that another setter of the field knew is
//! superseded by it; of the setters left (the *frontier*: edits made
//! apart), the one with the greatest `(hlc, origin, seq)` stands, and the
//! others are the conflicts worth listing.
//!
//! So an edit made after seeing another wins whatever the two clocks say
//! (a station that accepted an operation dated years ahead still orders
//! its next edit after it), and the clock only orders edits made apart.
//! While every replica's clock moves past what it receives, the greatest
//! clock is always on the frontier and this is plain last-writer-wins.
//!
//! Everything here is a function of the set of operations alone, whatever
//! their clocks, references or order of arrival: a log whose references
//! form a cycle (only a forged file can make one) is folded the same way
//! everywhere too.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{LoggedOp, OP_CREATE};

/// A set of operation indexes, as bits.
#[derive(Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: usize) -> bool {
        let (w, b) = (i / 64, 1u64 << (i % 64));
        let new = self.0[w] & b == 0;
        self.0[w] |= b;
        new
    }
    fn has(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    /// Adds `other`; whether anything was new.
    fn union(&mut self, other: &Bits) -> bool {
        let mut grew = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            grew |= *b & !*a != 0;
            *a |= b;
        }
        grew
    }
}

/// The order in which the frontier's winner is chosen, and the total
/// order of a record's operations.
fn order(o: &LoggedOp) -> (super::hlc::Hlc, crate::domain::ids::ReplicaId, i64) {
    (o.hlc, o.origin, o.seq)
}

/// The operations of one record with what each was made knowing.
pub struct Causal<'a> {
    /// Each operation once, in `(hlc, origin, seq)` order.
    pub ops: Vec<&'a LoggedOp>,
    /// `known[i]`: the operations `ops[i]` was made knowing.
    known: Vec<Bits>,
}

impl<'a> Causal<'a> {
    /// Works out what each of `ops` (one record's, any order, duplicates
    /// allowed) was made knowing.
    pub fn new(ops: &'a [LoggedOp]) -> Causal<'a> {
        let mut sorted: Vec<&LoggedOp> = ops.iter().collect();
        // One operation per (origin, seq), the log's key.
        sorted.sort_by_key(|o| (o.origin, o.seq));
        sorted.dedup_by_key(|o| (o.origin, o.seq));
        // Its predecessors in the chain of its origin, meanwhile: the
        // previous operation of the same origin.
        // A carrier's operations are copies in no order of their own
        // (`store/split.rs`): no chain.
        let chain: Vec<(usize, usize)> = sorted
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0].origin == w[1].origin && !w[0].origin.is_carrier())
            .map(|(i, _)| (i, i + 1))
            .collect();
        let by_key: Vec<&LoggedOp> = sorted.clone();
        sorted.sort_by_key(|o| order(o));
        let n = sorted.len();
        if n < 2 {
            return Causal {
                ops: sorted,
                known: vec![Bits::new(n); n],
            };
        }
        // Where each operation of `by_key` went in `sorted`.
        let place = |o: &LoggedOp| sorted.binary_search_by_key(&order(o), |s| order(s)).ok();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (a, b) in chain {
            if let (Some(pa), Some(pb)) = (place(by_key[a]), place(by_key[b])) {
                preds[pb].push(pa);
            }
        }
        for (i, op) in sorted.iter().enumerate() {
            for r in &op.after {
                // A reference to its own origin says nothing the chain
                // does not (and an honest one never names a later one).
                if r.origin == op.origin {
                    continue;
                }
                // The operation with that stamp; of several (only a forged
                // file holds two), the latest of its origin.
                let end = sorted.partition_point(|s| (s.hlc, s.origin) <= (r.hlc, r.origin));
                if end > 0 && sorted[end - 1].stamp() == *r {
                    preds[i].push(end - 1);
                    continue;
                }
                // Not here under its origin: an operation of a fork, held
                // as copies in carriers. Each copy is the one it names.
                let from = sorted.partition_point(|s| s.hlc < r.hlc);
                let to = sorted.partition_point(|s| s.hlc <= r.hlc);
                for (j, copy) in sorted.iter().enumerate().take(to).skip(from) {
                    if copy.origin.is_carrier() && copy.origin != op.origin {
                        preds[i].push(j);
                    }
                }
            }
        }
        // known[i] = preds and what they knew. In clock order one pass
        // suffices while every predecessor sorts first (always, but for
        // operations accepted from a clock far ahead, or forged ones);
        // otherwise passes repeat until nothing grows.
        let forward = preds
            .iter()
            .enumerate()
            .any(|(i, p)| p.iter().any(|&j| j >= i));
        let mut known = vec![Bits::new(n); n];
        loop {
            let mut grew = false;
            for (i, of) in preds.iter().enumerate() {
                for &j in of {
                    grew |= known[i].set(j);
                    if j != i {
                        let theirs = known[j].clone();
                        grew |= known[i].union(&theirs);
                    }
                }
            }
            if !forward || !grew {
                break;
            }
        }
        Causal { ops: sorted, known }
    }

    /// Whether operation `a` was made knowing operation `b`.
    pub fn knows(&self, a: usize, b: usize) -> bool {
        self.known[a].has(b)
    }

    /// Whether `a` supersedes `b`: made knowing it, and not known by it.
    fn supersedes(&self, a: usize, b: usize) -> bool {
        a != b && self.knows(a, b) && !self.knows(b, a)
    }

    /// The operations that set `field`, in order.
    fn setters(&self, field: &str) -> Vec<usize> {
        (0..self.ops.len())
            .filter(|&i| self.ops[i].fields.contains_key(field))
            .collect()
    }

    /// The setters of `field` that no other setter of it supersedes, in
    /// order: the last one stands.
    pub fn frontier(&self, field: &str) -> Vec<usize> {
        let setters = self.setters(field);
        setters
            .iter()
            .copied()
            .filter(|&i| !setters.iter().any(|&j| self.supersedes(j, i)))
            .collect()
    }

    /// The setter of `field` whose value stands.
    pub fn winner(&self, field: &str) -> Option<usize> {
        let setters = self.setters(field);
        // The greatest setter no other supersedes: looked for from the
        // end, where it nearly always is the first one tried.
        setters
            .iter()
            .rev()
            .copied()
            .find(|&i| !setters.iter().any(|&j| self.supersedes(j, i)))
    }

    /// The record's fields: per field, the winner's value. `None` when no
    /// operation created the record.
    pub fn fold(&self) -> Option<BTreeMap<String, Value>> {
        if !self.ops.iter().any(|o| o.kind == OP_CREATE) {
            return None;
        }
        let mut names: Vec<&String> = self.ops.iter().flat_map(|o| o.fields.keys()).collect();
        names.sort();
        names.dedup();
        let mut fields = BTreeMap::new();
        for name in names {
            if let Some(w) = self.winner(name) {
                fields.insert(name.clone(), self.ops[w].fields[name.as_str()].clone());
            }
        }
        Some(fields)
    }
}

/// Folds the operations of one record into its fields (see the module):
/// per field, the value of the setter that stands. `None` when no
/// operation created the record.
pub fn fold(ops: &[LoggedOp]) -> Option<BTreeMap<String, Value>> {
    if !ops.iter().any(|o| o.kind == OP_CREATE) {
        return None;
    }
    let first = ops.first()?;
    if !first.origin.is_carrier() && ops.iter().all(|o| o.origin == first.origin) {
        // One origin: each operation knew every one before it, so the
        // latest setter of each field stands.
        let mut sorted: Vec<&LoggedOp> = ops.iter().collect();
        sorted.sort_by_key(|o| o.seq);
        let mut fields = BTreeMap::new();
        for op in sorted {
            for (k, v) in &op.fields {
                fields.insert(k.clone(), v.clone());
            }
        }
        return Some(fields);
    }
    Causal::new(ops).fold()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::ReplicaId;
    use crate::store::oplog::hlc::Hlc;
    use crate::store::oplog::{Entity, OP_UPDATE, OpRef};
    use serde_json::json;
    use uuid::Uuid;

    fn op(
        origin: ReplicaId,
        seq: i64,
        hlc: u64,
        kind: i64,
        fields: Value,
        after: &[OpRef],
    ) -> LoggedOp {
        LoggedOp {
            origin,
            seq,
            hlc: Hlc(hlc),
            actor: None,
            entity: Entity::Person,
            id: Uuid::nil(),
            kind,
            fields: fields.as_object().cloned().unwrap_or_default(),
            after: after.to_vec(),
        }
    }

    fn all_orders(ops: &[LoggedOp]) -> Vec<Vec<LoggedOp>> {
        let mut out = vec![ops.to_vec()];
        let mut rev = ops.to_vec();
        rev.reverse();
        out.push(rev);
        let mut rot = ops.to_vec();
        rot.rotate_left(1);
        out.push(rot);
        out
    }

    #[test]
    fn an_edit_made_knowing_one_dated_far_ahead_wins() {
        let (a, b) = (ReplicaId::new(), ReplicaId::new());
        let ahead = Hlc::MAX.0;
        let create = op(a, 1, 10, OP_CREATE, json!({"name": "张三"}), &[]);
        let far = op(
            b,
            1,
            ahead,
            OP_UPDATE,
            json!({"name": "C"}),
            &[create.stamp()],
        );
        let after = op(a, 2, 20, OP_UPDATE, json!({"name": "D"}), &[far.stamp()]);
        for ops in all_orders(&[create, far, after]) {
            assert_eq!(fold(&ops).unwrap()["name"], "D");
        }
    }

    #[test]
    fn one_origin_is_ordered_by_sequence_not_clock() {
        let a = ReplicaId::new();
        let ops = [
            op(a, 1, 50, OP_CREATE, json!({"name": "一"}), &[]),
            op(a, 2, 10, OP_UPDATE, json!({"name": "二"}), &[]),
        ];
        for ops in all_orders(&ops) {
            assert_eq!(fold(&ops).unwrap()["name"], "二");
            assert_eq!(Causal::new(&ops).fold(), fold(&ops));
        }
    }

    #[test]
    fn edits_made_apart_are_ordered_by_clock_then_origin() {
        let (a, b) = (ReplicaId::new(), ReplicaId::new());
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let create = op(lo, 1, 10, OP_CREATE, json!({"name": "甲"}), &[]);
        let x = op(lo, 2, 30, OP_UPDATE, json!({"name": "乙"}), &[]);
        let y = op(
            hi,
            1,
            30,
            OP_UPDATE,
            json!({"name": "丙"}),
            &[create.stamp()],
        );
        let ops = [create, x, y];
        for ops in all_orders(&ops) {
            assert_eq!(fold(&ops).unwrap()["name"], "丙", "the greater origin");
            let c = Causal::new(&ops);
            assert_eq!(c.frontier("name").len(), 2);
        }
    }

    #[test]
    fn forged_cycles_fold_alike_in_any_order() {
        let (a, b) = (ReplicaId::new(), ReplicaId::new());
        // a2 names b1, b1 names a3 (a later one of a): a cycle.
        let a3 = op(a, 3, 40, OP_UPDATE, json!({"name": "a3"}), &[]);
        let b1 = op(b, 1, 35, OP_UPDATE, json!({"name": "b1"}), &[a3.stamp()]);
        let a2 = op(a, 2, 30, OP_UPDATE, json!({"name": "a2"}), &[b1.stamp()]);
        let a1 = op(a, 1, 20, OP_CREATE, json!({"name": "a1"}), &[]);
        let ops = [a1, a2, a3, b1];
        let want = fold(&ops);
        for ops in all_orders(&ops) {
            assert_eq!(fold(&ops), want);
        }
        // Duplicates change nothing either.
        let mut twice = ops.to_vec();
        twice.extend(ops.iter().cloned());
        assert_eq!(fold(&twice), want);
    }

    #[test]
    fn two_operations_of_one_origin_with_one_stamp_fold_alike() {
        let (a, b) = (ReplicaId::new(), ReplicaId::new());
        let c = op(a, 1, 10, OP_CREATE, json!({"name": "甲"}), &[]);
        let x = op(b, 1, 20, OP_UPDATE, json!({"name": "x"}), &[c.stamp()]);
        let y = op(b, 2, 20, OP_UPDATE, json!({"name": "y"}), &[c.stamp()]);
        let ops = [c, x, y];
        for ops in all_orders(&ops) {
            assert_eq!(fold(&ops).unwrap()["name"], "y");
        }
    }

    #[test]
    fn bits_say_whether_they_grew() {
        let mut a = Bits::new(70);
        assert!(a.set(65));
        assert!(!a.set(65));
        let mut b = Bits::new(70);
        b.set(3);
        assert!(a.union(&b));
        assert!(!a.union(&b));
        assert!(a.has(3) && a.has(65) && !a.has(4));
    }
}
