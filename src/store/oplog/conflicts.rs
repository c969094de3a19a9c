//! Which edits of one record were overwritten without being seen.
//!
//! Every replica folds a record the same way (per field, the operation with
//! the greatest `(hlc, origin)` wins), so every replica ends with the same
//! winner. What this module adds is the list of losers worth showing:
//!
//! - **Field conflict**: two operations set one field to different values,
//!   neither made knowing the other. The loser is kept in the log and
//!   listed until someone decides (either choice is a new edit made knowing
//!   both, which ends the conflict everywhere it arrives).
//! - **Deleted while edited**: a record was removed (a claimant taken off a
//!   case, a session cancelled, a counsellor stopped …) by an operation that
//!   did not know of an edit made elsewhere. The edit is not lost: the
//!   record can be restored.
//!
//! "Made knowing" is the causal order (`causal.rs`): an operation knows
//! every earlier operation of its own origin and the operations it names
//! in [`LoggedOp::after`], and, transitively, everything those knew. The
//! winner is the one the fold keeps, by the same rule. The list is a pure
//! function of the set of operations, so replicas that hold the same
//! operations list the same conflicts.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::store::oplog::causal::Causal;
use crate::store::oplog::{Entity, LoggedOp, OP_CREATE, OpRef};

/// Why an operation is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictKind {
    /// Both set `field`; the winner's value stands.
    Field = 0,
    /// The winner removed the record; the loser edited it, not knowing.
    DeletedWhileEdited = 1,
}

impl ConflictKind {
    /// The stored number.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// Reads a stored number.
    pub fn from_code(code: i64) -> Option<ConflictKind> {
        match code {
            0 => Some(ConflictKind::Field),
            1 => Some(ConflictKind::DeletedWhileEdited),
            _ => None,
        }
    }
}

/// One losing operation of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub entity: Entity,
    pub id: Uuid,
    pub kind: ConflictKind,
    /// The field both set; for [`ConflictKind::DeletedWhileEdited`] the
    /// field that marks the record removed.
    pub field: String,
    pub winner: OpRef,
    /// The value that stands.
    pub winner_value: Value,
    pub loser: OpRef,
    /// The value that lost; for [`ConflictKind::DeletedWhileEdited`] the
    /// fields the edit set, as an object.
    pub loser_value: Value,
}

/// How a record of `entity` is removed: the field and the value that mean
/// it, and the value that restores it when nothing better is known.
pub fn removal(entity: Entity) -> Option<(&'static str, Value, Value)> {
    let t = |s: &str| Value::String(s.to_owned());
    match entity {
        Entity::Claimant => Some(("removed", Value::Bool(true), Value::Bool(false))),
        Entity::Staff | Entity::Counsellor | Entity::Rule | Entity::Exception => {
            Some(("active", Value::Bool(false), Value::Bool(true)))
        }
        Entity::Appointment => Some(("status", t("cancelled"), t("booked"))),
        Entity::Waitlist => Some(("status", t("withdrawn"), t("waiting"))),
        // Audit entries are never removed (nor changed).
        Entity::Station
        | Entity::Person
        | Entity::Visit
        | Entity::Case
        | Entity::Note
        | Entity::Audit
        | Entity::Distinct
        | Entity::Handoff
        | Entity::Respondent => None,
    }
}

/// The value that restores a removed record: the latest value of its
/// removal field that was not the removal, or the entity's default.
pub fn restore_value(entity: Entity, ops: &[LoggedOp]) -> Option<Value> {
    let (field, gone, default) = removal(entity)?;
    let mut sorted: Vec<&LoggedOp> = ops.iter().collect();
    sorted.sort_by_key(|o| o.stamp());
    Some(
        sorted
            .iter()
            .rev()
            .filter_map(|o| o.fields.get(field))
            .find(|v| **v != gone && !v.is_null())
            .cloned()
            .unwrap_or(default),
    )
}

/// The conflicts of one record, from all of its operations (any order).
/// Empty when the record has no creation yet.
pub fn conflicts_of(entity: Entity, ops: &[LoggedOp]) -> Vec<Conflict> {
    // One origin's operations are each made knowing the one before.
    let Some(first) = ops.first() else {
        return Vec::new();
    };
    if !first.origin.is_carrier() && ops.iter().all(|o| o.origin == first.origin) {
        return Vec::new();
    }
    let causal = Causal::new(ops);
    let Some(state) = causal.fold() else {
        return Vec::new();
    };
    let sorted = &causal.ops;
    let id = first.id;
    let n = sorted.len();
    let knows = |a: usize, b: usize| causal.knows(a, b);

    let mut out = Vec::new();
    // Field conflicts: per field, the operations that set it which no other
    // setter of it superseded; more than one with different values is a
    // conflict.
    let mut fields: Vec<&String> = sorted.iter().flat_map(|o| o.fields.keys()).collect();
    fields.sort();
    fields.dedup();
    for field in fields {
        let frontier = causal.frontier(field);
        let Some(&w) = frontier.last() else { continue };
        let winner_value = &sorted[w].fields[field.as_str()];
        for &l in &frontier[..frontier.len() - 1] {
            let loser_value = &sorted[l].fields[field.as_str()];
            // Two creations of one record whose id is derived from what it
            // is (a respondent from its name): one thing registered at two
            // places, not an edit overwritten.
            let both_created = sorted[l].kind == OP_CREATE && sorted[w].kind == OP_CREATE;
            if loser_value != winner_value && !both_created {
                out.push(Conflict {
                    entity,
                    id,
                    kind: ConflictKind::Field,
                    field: field.clone(),
                    winner: sorted[w].stamp(),
                    winner_value: winner_value.clone(),
                    loser: sorted[l].stamp(),
                    loser_value: loser_value.clone(),
                });
            }
        }
    }

    // Deleted while edited: the record stands removed, and edits of its
    // other fields were made not knowing the removal (nor known by it).
    if let Some((mark, gone, _)) = removal(entity)
        && state.get(mark) == Some(&gone)
        && let Some(d) = causal.winner(mark)
    {
        let edits: Vec<usize> = (0..n)
            .filter(|&e| {
                e != d
                    && sorted[e].kind != OP_CREATE
                    && sorted[e].fields.keys().any(|k| k != mark)
                    && !knows(d, e)
                    && !knows(e, d)
            })
            .collect();
        for &e in &edits {
            // An edit that a later concurrent edit knew is covered by it.
            if edits.iter().any(|&f| f != e && knows(f, e)) {
                continue;
            }
            let set: Map<String, Value> = sorted[e]
                .fields
                .iter()
                .filter(|(k, _)| k.as_str() != mark)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            out.push(Conflict {
                entity,
                id,
                kind: ConflictKind::DeletedWhileEdited,
                field: mark.to_owned(),
                winner: sorted[d].stamp(),
                winner_value: gone.clone(),
                loser: sorted[e].stamp(),
                loser_value: Value::Object(set),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::ReplicaId;
    use crate::store::oplog::OP_UPDATE;
    use crate::store::oplog::hlc::Hlc;
    use serde_json::json;

    struct Log {
        entity: Entity,
        id: Uuid,
        ops: Vec<LoggedOp>,
    }

    impl Log {
        fn new(entity: Entity) -> Log {
            Log {
                entity,
                id: Uuid::now_v7(),
                ops: Vec::new(),
            }
        }

        /// Adds an operation of `origin` at `hlc`, made knowing `after`.
        fn op(&mut self, origin: ReplicaId, hlc: u64, fields: Value, after: &[OpRef]) -> OpRef {
            let kind = if self.ops.is_empty() {
                OP_CREATE
            } else {
                OP_UPDATE
            };
            let op = LoggedOp {
                origin,
                seq: self.ops.len() as i64 + 1,
                hlc: Hlc(hlc),
                actor: None,
                entity: self.entity,
                id: self.id,
                kind,
                fields: fields.as_object().cloned().unwrap_or_default(),
                after: after.to_vec(),
            };
            let r = op.stamp();
            self.ops.push(op);
            r
        }

        fn conflicts(&self) -> Vec<Conflict> {
            let c = conflicts_of(self.entity, &self.ops);
            let mut rev = self.ops.clone();
            rev.reverse();
            assert_eq!(conflicts_of(self.entity, &rev), c, "order must not matter");
            c
        }
    }

    fn two() -> (ReplicaId, ReplicaId) {
        let (a, b) = (ReplicaId::new(), ReplicaId::new());
        if a < b { (a, b) } else { (b, a) }
    }

    #[test]
    fn concurrent_edits_of_one_field_list_the_loser() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Person);
        let c = log.op(a, 10, json!({"name": "张三", "employer": "顺丰"}), &[]);
        let la = log.op(a, 20, json!({"name": "张叁"}), &[]);
        let lb = log.op(b, 30, json!({"name": "张珊"}), &[c]);
        let found = log.conflicts();
        assert_eq!(found.len(), 1);
        let x = &found[0];
        assert_eq!((x.kind, x.field.as_str()), (ConflictKind::Field, "name"));
        assert_eq!((x.winner, x.loser), (lb, la));
        assert_eq!(
            (x.winner_value.clone(), x.loser_value.clone()),
            (json!("张珊"), json!("张叁"))
        );
    }

    #[test]
    fn an_edit_made_knowing_the_other_is_no_conflict() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Person);
        let c = log.op(a, 10, json!({"name": "张三"}), &[]);
        let la = log.op(a, 20, json!({"name": "张叁"}), &[]);
        log.op(b, 30, json!({"name": "张珊"}), &[la]);
        assert!(log.conflicts().is_empty());
        // Knowing it through another op of the same origin counts too.
        let mut log = Log::new(Entity::Person);
        let _ = c;
        let c = log.op(a, 10, json!({"name": "张三"}), &[]);
        let la = log.op(a, 20, json!({"name": "张叁"}), &[c]);
        let lb = log.op(b, 25, json!({"employer": "京东"}), &[la]);
        log.op(b, 30, json!({"name": "张珊"}), &[lb]);
        assert!(log.conflicts().is_empty());
    }

    #[test]
    fn different_fields_and_equal_values_are_no_conflict() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Person);
        let c = log.op(a, 10, json!({"name": "张三"}), &[]);
        log.op(a, 20, json!({"name": "张叁"}), &[]);
        log.op(b, 21, json!({"employer": "京东"}), &[c]);
        log.op(b, 22, json!({"name": "张叁"}), &[c]);
        assert!(log.conflicts().is_empty());
    }

    #[test]
    fn an_edit_knowing_both_settles_the_conflict() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Person);
        let c = log.op(a, 10, json!({"name": "张三"}), &[]);
        let la = log.op(a, 20, json!({"name": "张叁"}), &[]);
        let lb = log.op(b, 30, json!({"name": "张珊"}), &[c]);
        assert_eq!(log.conflicts().len(), 1);
        // a chooses b's value: a new edit knowing lb (and its own la).
        log.op(a, 40, json!({"name": "张叁"}), &[lb]);
        assert!(log.conflicts().is_empty());
        let _ = la;
    }

    #[test]
    fn an_edit_of_another_field_does_not_settle_it() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Person);
        let c = log.op(a, 10, json!({"name": "张三"}), &[]);
        log.op(a, 20, json!({"name": "张叁"}), &[]);
        let lb = log.op(b, 30, json!({"name": "张珊"}), &[c]);
        log.op(a, 40, json!({"employer": "京东"}), &[lb]);
        assert_eq!(log.conflicts().len(), 1);
    }

    #[test]
    fn three_way_lists_both_losers() {
        let (a, b) = two();
        let c_origin = ReplicaId::new();
        let mut log = Log::new(Entity::Case);
        let c = log.op(a, 10, json!({"status": "open"}), &[]);
        log.op(a, 20, json!({"status": "mediating"}), &[]);
        log.op(b, 30, json!({"status": "referred"}), &[c]);
        log.op(c_origin, 40, json!({"status": "closed"}), &[c]);
        let found = log.conflicts();
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|x| x.winner_value == json!("closed")));
    }

    #[test]
    fn removal_while_edited_elsewhere_is_listed_and_restore_settles_it() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Appointment);
        let c = log.op(a, 10, json!({"status": "booked", "notes": null}), &[]);
        let edit = log.op(a, 20, json!({"notes": "带上工资条"}), &[]);
        let cancel = log.op(b, 30, json!({"status": "cancelled"}), &[c]);
        let found = log.conflicts();
        assert_eq!(found.len(), 1);
        let x = &found[0];
        assert_eq!(x.kind, ConflictKind::DeletedWhileEdited);
        assert_eq!((x.winner, x.loser), (cancel, edit));
        assert_eq!(x.loser_value, json!({"notes": "带上工资条"}));
        assert_eq!(
            restore_value(Entity::Appointment, &log.ops),
            Some(json!("booked"))
        );
        log.op(a, 40, json!({"status": "booked"}), &[cancel]);
        assert!(log.conflicts().is_empty());
    }

    #[test]
    fn an_edit_after_seeing_the_removal_is_not_listed() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Claimant);
        let c = log.op(a, 10, json!({"removed": false}), &[]);
        let gone = log.op(b, 20, json!({"removed": true}), &[c]);
        log.op(a, 30, json!({"person_id": "x"}), &[gone]);
        assert!(log.conflicts().is_empty());
    }

    #[test]
    fn ties_on_the_clock_are_broken_by_origin_alike_everywhere() {
        let (a, b) = two();
        let mut log = Log::new(Entity::Person);
        let c = log.op(a, 10, json!({"name": "张三"}), &[]);
        log.op(a, 20, json!({"name": "张叁"}), &[]);
        log.op(b, 20, json!({"name": "张珊"}), &[c]);
        let found = log.conflicts();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].winner.origin, b, "the greater origin wins a tie");
    }
}
