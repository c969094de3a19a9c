//! F5 lists the operations held apart (dated far in the future) and `a`
//! accepts them after a question.

use crate::common::console::{fixture_app, press, render};

use ratatui::crossterm::event::KeyCode;
use serde_json::{Map, Value};
use waystation::domain::ids::ReplicaId;
use waystation::i18n::Lang;
use waystation::store::{Entity, Hlc, LoggedOp, OP_UPDATE};
use waystation::tui::action::PaneId;

#[test]
fn f5_lists_operations_held_apart_and_a_accepts_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let person = app
        .store
        .all_ops()
        .unwrap()
        .into_iter()
        .find(|o| o.entity == Entity::Person)
        .unwrap()
        .id;
    let origin = ReplicaId(uuid::Uuid::from_u128(
        0x3f9a_1c2e_0000_7000_8000_0000_0000_0001,
    ));
    let ops: Vec<LoggedOp> = (1..=3)
        .map(|seq| {
            let mut fields = Map::new();
            fields.insert("employer".into(), Value::from("未来公司"));
            LoggedOp {
                origin,
                seq,
                hlc: Hlc(i64::MAX as u64 - 10 + seq as u64),
                actor: None,
                entity: Entity::Person,
                id: person,
                kind: OP_UPDATE,
                fields,
                after: Vec::new(),
            }
        })
        .collect();
    assert_eq!(app.store.apply_remote(&ops).unwrap().held, 3);
    press(&mut app, KeyCode::F(5));
    assert_eq!(app.pane, PaneId::Sync);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("3 operations from station 3f9a1c2e (not known here) dated 6429-"),
        "{screen}"
    );
    assert!(screen.contains("a accepts them"), "{screen}");
    // At 80 columns the line wraps, whole.
    crate::common::console::assert_whole(
        &app,
        "far in the future: held until accepted or until the clock reaches them",
    );

    // To the list, `a`, then no: nothing happens; `a`, yes: applied.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('a'));
    assert!(render(&app, 100, 30).contains("Apply the 3 operations held apart now?"));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.store.held_apart().unwrap().len(), 1);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.store.held_apart().unwrap().is_empty());
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Applied 3 operations that were held apart"),
        "{screen}"
    );
    assert!(!screen.contains("far in the future"), "{screen}");
    assert!(app.store.check().unwrap().is_ok());
}

#[test]
fn f5_tells_of_copies_of_one_database_found_lately() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        let origin = ReplicaId(uuid::Uuid::from_u128(
            0x3f9a_1c2e_0000_7000_8000_0000_0000_0001,
        ));
        app.store.note_split(origin, 12).unwrap();
        press(&mut app, KeyCode::F(5));
        let screen = render(&app, 80, 24);
        let (head, line) = match lang {
            Lang::ZhCn => ("同一数据库的两份拷贝", "从第 12 条变更起各自写了记录"),
            Lang::En => (
                "Two copies of one database",
                "wrote apart from change 12 on",
            ),
        };
        assert!(screen.contains(head), "{screen}");
        crate::common::console::assert_whole(&app, line);
        insta::assert_snapshot!(format!("f5_split_{lang:?}_80x24"), screen);
    }
}
