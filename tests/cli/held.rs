//! Operations held apart (dated far in the future) on the command line:
//! `waystation conflicts` and `waystation sync --status` list them with the
//! station and the date; `waystation conflicts accept KEY` applies them.

use crate::common;
use crate::common::cli::{ok, run};

use serde_json::{Map, Value};
use waystation::domain::ids::ReplicaId;
use waystation::store::{Entity, Hlc, LoggedOp, OP_UPDATE, Store};

#[test]
fn conflicts_lists_held_operations_and_accept_applies_them() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let dir = tempfile::tempdir().unwrap();
    let (db, mut store) = common::station_db(&dir, "FT");
    let p = common::add_person(&mut store, "张远", "");
    let origin = ReplicaId(uuid::Uuid::from_u128(
        0x7e57_0000_0000_7000_8000_0000_0000_0002,
    ));
    let mut fields = Map::new();
    fields.insert("name".into(), Value::from("张未来"));
    let op = LoggedOp {
        origin,
        seq: 1,
        hlc: Hlc(i64::MAX as u64),
        actor: None,
        entity: Entity::Person,
        id: p.0,
        kind: OP_UPDATE,
        fields,
        after: Vec::new(),
    };
    assert_eq!(store.apply_remote(&[op]).unwrap().held, 1);
    drop(store);
    let db = db.to_str().unwrap();

    let listed = ok(run(h, &["--db", db, "conflicts"]));
    assert!(
        listed
            .out
            .contains("7e570000  1 operations from station 7e570000 (not known here) dated 6429-"),
        "{}",
        listed.out
    );
    assert!(
        listed.out.contains("waystation conflicts accept 7e570000"),
        "{}",
        listed.out
    );
    assert!(!listed.out.contains("no conflicts"), "{}", listed.out);
    let folder = h.join("stick");
    std::fs::create_dir(&folder).unwrap();
    let status = ok(run(
        h,
        &["--db", db, "sync", "--status", folder.to_str().unwrap()],
    ));
    assert!(status.out.contains("far in the future"), "{}", status.out);

    let wrong = run(h, &["--db", db, "conflicts", "accept", "00000000"]);
    assert_eq!(wrong.code, 1, "{}", wrong.err);
    assert!(wrong.err.contains("Nothing is held apart"), "{}", wrong.err);
    let done = ok(run(h, &["--db", db, "conflicts", "accept", "7E570000"]));
    assert!(
        done.out
            .contains("Applied 1 operations that were held apart"),
        "{}",
        done.out
    );
    let listed = ok(run(h, &["--db", db, "conflicts"]));
    assert!(!listed.out.contains("far in the future"), "{}", listed.out);
    let store = Store::open(std::path::Path::new(db)).unwrap();
    assert_eq!(store.person(p).unwrap().unwrap().details.name, "张未来");
    assert!(store.check().unwrap().is_ok());
}
