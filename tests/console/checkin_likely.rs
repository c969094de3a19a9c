//! Check-in (F1) of someone who may be registered already: a name that
//! reads the same with the same trade, or a known ID number, typed for a
//! new person is said beside the field with who it is and where they were
//! registered; Ctrl-P uses that worker; a first save registers nobody, a
//! second registers the new person anyway.

use crate::common;

use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::ids::PersonId;
use waystation::domain::person::{PersonInput, Trade};
use waystation::i18n::Lang;
use waystation::tui::app::App;
use waystation::tui::panes::checkin::form::{NAME, RESIDENT_ID, Stop};

/// Numbers no demo person has (the demo draws 13x–18x numbers).
const HIS_PHONE: &str = "19900003333";
const NEW_PHONE: &str = "19900004444";
/// A valid resident ID number (check digit included).
const HIS_ID: &str = "11010519491231002X";

fn register(app: &mut App, name: &str, resident_id: &str) -> PersonId {
    let details = PersonInput {
        name: name.into(),
        mobile: HIS_PHONE.into(),
        resident_id: resident_id.into(),
        trade: Some(Trade::FoodDelivery),
        employer: "美团".into(),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    app.store.write(|w| w.add_person(&details)).unwrap()
}

/// The people whose name is `name`, as the store has them.
fn named(app: &App, name: &str) -> u64 {
    app.store.people_named(name, 5).unwrap().count
}

fn status(app: &App) -> (String, bool) {
    app.status
        .as_ref()
        .map(|s| (s.text.clone(), s.error))
        .unwrap_or_default()
}

/// From the empty form: the name (Tab from Find), then Tab to the trade
/// and its key (2: food delivery), then Tab out of the trade.
fn type_homophone(app: &mut App) {
    press(app, KeyCode::Tab);
    type_text(app, "王晓二");
    press(app, KeyCode::Tab);
    type_text(app, NEW_PHONE);
    press(app, KeyCode::Tab);
    press(app, KeyCode::Tab);
    type_text(app, "2");
    press(app, KeyCode::Tab);
}

#[test]
fn a_name_that_reads_the_same_with_the_same_trade_is_said_and_used_in_one_key() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        let his = register(&mut app, "王小二", "");
        type_homophone(&mut app);
        let note = app.checkin.form.likely.clone().expect("a note");
        assert_eq!(note.id, his);
        assert_eq!(note.field, NAME);
        assert!(note.text.contains("王小二"), "{}", note.text);
        // Masked as the role requires, where and when registered.
        assert!(note.text.contains("199****3333"), "{}", note.text);
        assert!(!note.text.contains(HIS_PHONE), "{}", note.text);
        let station = app.store.station().unwrap().unwrap().name;
        assert!(note.text.contains(&station), "{}", note.text);
        assert!(note.text.contains("Ctrl-P"), "{}", note.text);
        assert_whole(&app, &note.text);
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("likely_name_{lang:?}_{w}x{h}"), render(&app, w, h));
        }

        // Ctrl-P: the form is his; the new number typed is said, not saved.
        send(&mut app, ctrl('p'));
        assert_eq!(app.checkin.form.known.as_ref().map(|k| k.id), Some(his));
        let (text, _) = status(&app);
        assert!(text.contains(NEW_PHONE), "{text}");
        assert_eq!(app.checkin.form.stop, Stop::Services);
        send(&mut app, ctrl('s'));
        assert_eq!(named(&app, "王晓二"), 0, "nobody registered again");
        assert_eq!(app.store.visits_of(his, 10).unwrap().len(), 1);
    }
}

#[test]
fn a_first_save_registers_nobody_and_a_second_registers_anyway() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let his = register(&mut app, "王小二", "");
    type_homophone(&mut app);
    send(&mut app, ctrl('s'));
    let (text, error) = status(&app);
    assert!(error, "{text}");
    assert!(text.contains("王小二"), "{text}");
    assert_eq!(named(&app, "王晓二"), 0);
    assert_eq!(
        app.checkin.form.text(NAME),
        "王晓二",
        "nothing typed is lost"
    );
    // Twins, say: staff know best.
    send(&mut app, ctrl('s'));
    assert!(!status(&app).1, "{}", status(&app).0);
    assert_eq!(named(&app, "王晓二"), 1);
    assert!(app.store.visits_of(his, 10).unwrap().is_empty());
}

#[test]
fn a_known_id_number_is_said_beside_the_id_and_typing_over_forgets_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let his = register(&mut app, "王小二", HIS_ID);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Wang Xiaoer");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, HIS_ID);
    press(&mut app, KeyCode::Tab);
    let note = app.checkin.form.likely.clone().expect("a note");
    assert_eq!((note.id, note.field), (his, RESIDENT_ID));
    assert!(note.text.contains("ID number"), "{}", note.text);
    // Typing in the ID field again: the note no longer holds.
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.checkin.form.stop, Stop::Field(RESIDENT_ID));
    press(&mut app, KeyCode::Backspace);
    assert!(app.checkin.form.likely.is_none());
    // Ctrl-P with nothing said: an error, nothing changes.
    send(&mut app, ctrl('p'));
    assert!(status(&app).1);
    assert!(app.checkin.form.known.is_none());
}

#[test]
fn a_different_name_and_trade_is_not_taken_for_him() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    register(&mut app, "王小二", "");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "王晓二");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, NEW_PHONE);
    // Trade left as "other", no employer: a name alone is no reason.
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    assert!(app.checkin.form.likely.is_none());
    send(&mut app, ctrl('s'));
    assert!(!status(&app).1, "{}", status(&app).0);
    assert_eq!(named(&app, "王晓二"), 1);
}
