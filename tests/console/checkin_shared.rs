//! Check-in (F1) with people who share a phone or a name: a number
//! someone else has is shared on a second save, never refused and never
//! taken silently; a known person's details say who else has their
//! number; a new person's name that others have already gets a hint, and
//! Ctrl-F finds them.

use crate::common;

use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::Mobile;
use waystation::domain::ids::PersonId;
use waystation::domain::person::{PersonInput, Trade};
use waystation::i18n::Lang;
use waystation::tui::app::App;
use waystation::tui::panes::checkin::form::{MOBILE, NAME, Stop};

/// A number no demo person has (the demo draws 13x–18x numbers).
const FAMILY_PHONE: &str = "19900001234";

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn status_is_error(app: &App) -> bool {
    app.status.as_ref().is_some_and(|s| s.error)
}

fn register(app: &mut App, name: &str, mobile: &str, trade: Trade) -> PersonId {
    let details = PersonInput {
        name: name.into(),
        mobile: mobile.into(),
        trade: Some(trade),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    app.store.write(|w| w.add_person(&details)).unwrap()
}

/// The names registered with `mobile`, oldest first.
fn holders(app: &App, mobile: &str) -> Vec<String> {
    app.store
        .people_by_mobile(&Mobile::parse(mobile).unwrap())
        .unwrap()
        .into_iter()
        .map(|p| p.details.name)
        .collect()
}

/// From the empty form: Tab to the name, the name, Tab, the number.
fn type_new(app: &mut App, name: &str, mobile: &str) {
    press(app, KeyCode::Tab);
    type_text(app, name);
    press(app, KeyCode::Tab);
    type_text(app, mobile);
}

fn words(lang: Lang, key: &'static str) -> &'static str {
    waystation::i18n::catalogue::text(lang, key)
}

#[test]
fn a_number_someone_else_has_is_shared_on_a_second_save() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        register(&mut app, "刘洋", FAMILY_PHONE, Trade::FoodDelivery);
        type_new(&mut app, "王秀英", FAMILY_PHONE);
        send(&mut app, ctrl('s'));

        // Nothing saved; who has it is said beside the mobile, whole.
        assert!(status_is_error(&app), "{}", status(&app));
        assert_eq!(holders(&app, FAMILY_PHONE), ["刘洋"]);
        let form = &app.checkin.form;
        let warning = form.mobile_warning.clone().unwrap_or_default();
        assert!(warning.contains("刘洋"), "{warning}");
        assert_eq!(form.text(NAME), "王秀英");
        assert_eq!(form.text(MOBILE), FAMILY_PHONE);
        assert_eq!(form.stop, Stop::Services, "Enter saves from here");
        assert_whole(&app, &warning);
        snap(&format!("shared_warning_{lang:?}"), &app);

        // Enter again: a family sharing the phone.
        press(&mut app, KeyCode::Enter);
        assert!(!status_is_error(&app), "{}", status(&app));
        assert_eq!(holders(&app, FAMILY_PHONE), ["刘洋", "王秀英"]);
        assert!(app.checkin.form.mobile_warning.is_none());
    }
}

#[test]
fn a_number_typed_over_after_the_warning_is_checked_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    register(&mut app, "刘洋", FAMILY_PHONE, Trade::FoodDelivery);
    register(&mut app, "赵敏", "19900005555", Trade::Courier);
    type_new(&mut app, "王秀英", FAMILY_PHONE);
    send(&mut app, ctrl('s'));
    assert!(app.checkin.form.mobile_warning.is_some());
    // Another number that someone has: warned again, not saved.
    for _ in 0..6 {
        press(&mut app, KeyCode::BackTab);
    }
    assert_eq!(app.checkin.form.stop, Stop::Field(MOBILE));
    send(&mut app, ctrl('u'));
    assert!(
        app.checkin.form.mobile_warning.is_none(),
        "typing forgets it"
    );
    type_text(&mut app, "19900005555");
    send(&mut app, ctrl('s'));
    let warning = app.checkin.form.mobile_warning.clone().unwrap_or_default();
    assert!(warning.contains("赵敏"), "{warning}");
    assert_eq!(holders(&app, "19900005555"), ["赵敏"]);
    // A number nobody has saves at once.
    for _ in 0..6 {
        press(&mut app, KeyCode::BackTab);
    }
    send(&mut app, ctrl('u'));
    type_text(&mut app, "19900007777");
    send(&mut app, ctrl('s'));
    assert!(!status_is_error(&app), "{}", status(&app));
    assert_eq!(holders(&app, "19900007777"), ["王秀英"]);
    assert_eq!(holders(&app, FAMILY_PHONE), ["刘洋"]);
}

#[test]
fn the_same_name_on_the_same_number_is_most_likely_the_same_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    register(&mut app, "刘建国", FAMILY_PHONE, Trade::Courier);
    register(&mut app, "刘洋", FAMILY_PHONE, Trade::FoodDelivery);
    type_new(&mut app, "刘洋", FAMILY_PHONE);
    send(&mut app, ctrl('s'));
    let warning = app.checkin.form.mobile_warning.clone().unwrap_or_default();
    assert!(warning.contains("同名的 刘洋，"), "{warning}");
    assert!(!warning.contains("刘建国"), "only the namesake: {warning}");
    assert!(warning.contains("多半是同一人"), "{warning}");
    assert_whole(&app, &warning);
    assert_eq!(holders(&app, FAMILY_PHONE), ["刘建国", "刘洋"]);
    // Still a second save registers (staff know best: twins, say).
    press(&mut app, KeyCode::Enter);
    assert_eq!(holders(&app, FAMILY_PHONE), ["刘建国", "刘洋", "刘洋"]);
}

#[test]
fn a_known_person_moving_to_someone_elses_number_is_asked_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    register(&mut app, "刘洋", FAMILY_PHONE, Trade::FoodDelivery);
    let id = register(&mut app, "刘建国", "19900002222", Trade::Courier);
    type_text(&mut app, "19900002222");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.checkin.form.known.as_ref().map(|k| k.id), Some(id));
    for _ in 0..6 {
        press(&mut app, KeyCode::BackTab);
    }
    assert_eq!(app.checkin.form.stop, Stop::Field(MOBILE));
    type_text(&mut app, FAMILY_PHONE);
    send(&mut app, ctrl('s'));
    let warning = app.checkin.form.mobile_warning.clone().unwrap_or_default();
    assert!(warning.contains("刘洋"), "{warning}");
    assert_eq!(
        app.store.person(id).unwrap().unwrap().details.mobile,
        Mobile::parse("19900002222").ok(),
        "nothing saved"
    );
    send(&mut app, ctrl('s'));
    assert!(!status_is_error(&app), "{}", status(&app));
    assert_eq!(holders(&app, FAMILY_PHONE), ["刘洋", "刘建国"]);
    assert_eq!(app.store.visits_of(id, 5).unwrap().len(), 1);
}

#[test]
fn a_known_person_says_who_else_has_their_number() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        register(&mut app, "刘洋", FAMILY_PHONE, Trade::FoodDelivery);
        let father = register(&mut app, "刘建国", FAMILY_PHONE, Trade::Courier);
        let note = match lang {
            Lang::ZhCn => "共用手机号：刘洋",
            Lang::En => "shares this number with 刘洋",
        };
        // The matches under Find say it where the line has room.
        type_text(&mut app, FAMILY_PHONE);
        let screen = render(&app, 120, 40);
        assert!(screen.contains(&note.replace("刘洋", "刘建国")), "{screen}");
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.checkin.form.known.as_ref().map(|k| k.id), Some(father));
        // A second save of their own, shared number asks nothing.
        assert_whole(&app, note);
        snap(&format!("shares_note_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert!(!status_is_error(&app), "{}", status(&app));
        assert_eq!(app.store.visits_of(father, 5).unwrap().len(), 1);
    }
}

#[test]
fn the_global_lookup_says_who_shares_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    register(&mut app, "刘洋", FAMILY_PHONE, Trade::FoodDelivery);
    register(&mut app, "刘建国", FAMILY_PHONE, Trade::Courier);
    press(&mut app, KeyCode::Esc);
    send(&mut app, ctrl('f'));
    type_text(&mut app, FAMILY_PHONE);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("共用手机号：刘建国"), "{screen}");
    assert!(screen.contains("共用手机号：刘洋"), "{screen}");
    // At 80 columns the note is left out rather than cut.
    let narrow = render(&app, 80, 24);
    assert!(!narrow.contains("共用手机…"), "{narrow}");
}

#[test]
fn a_name_others_have_gets_a_hint_when_the_name_is_left() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        let name = "李明远";
        assert_eq!(app.store.people_named(name, 0).unwrap().count, 0);
        register(&mut app, name, "13812345678", Trade::FoodDelivery);
        register(&mut app, name, "", Trade::Courier);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, name);
        assert!(
            app.checkin.form.namesakes.is_none(),
            "nothing is looked up while typing"
        );
        press(&mut app, KeyCode::Tab);
        let hint = app.checkin.form.namesakes.clone().unwrap_or_default();
        let want = match lang {
            Lang::ZhCn => {
                "已有 2 位 李明远（138****5678 外卖骑手；未留手机 快递员）：是其中一位请按 Ctrl-F 查找"
            }
            Lang::En => {
                "Already on file: 2 named 李明远 (138****5678, Delivery rider; no mobile, Courier). One of them? Ctrl-F finds them"
            }
        };
        assert_eq!(hint, want);
        assert_whole(&app, &hint);
        snap(&format!("namesakes_{lang:?}"), &app);

        // Ctrl-F opens the lookup with the name, the two of them listed.
        send(&mut app, ctrl('f'));
        let screen = render(&app, 120, 40);
        let person = words(lang, "lookup.person");
        assert_eq!(
            screen.matches(&format!("[{person}]  {name}  ")).count(),
            2,
            "{screen}"
        );
        press(&mut app, KeyCode::Esc);

        // The hint stops no one: a third 李明远 is registered.
        send(&mut app, ctrl('s'));
        assert!(!status_is_error(&app), "{}", status(&app));
        assert_eq!(app.store.people_named(name, 0).unwrap().count, 3);
    }
}

#[test]
fn a_name_carried_from_find_is_checked_too_and_typing_clears_the_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    register(&mut app, "李明远", "", Trade::Courier);
    type_text(&mut app, "李明远");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.checkin.form.stop, Stop::Field(MOBILE));
    assert!(app.checkin.form.namesakes.is_some());
    assert!(shows(&app, "已有 1 位 李明远"), "{}", render(&app, 120, 40));
    press(&mut app, KeyCode::BackTab);
    type_text(&mut app, "二");
    assert!(app.checkin.form.namesakes.is_none());
    press(&mut app, KeyCode::Tab);
    assert!(app.checkin.form.namesakes.is_none(), "nobody is 李明远二");
    assert!(shows(&app, words(Lang::ZhCn, "checkin.new_person")));
}

/// The hint, then Ctrl-F and Enter: the one registered already is in the
/// form, without asking to replace the name typed (nothing else was).
#[test]
fn ctrl_f_from_the_hint_picks_a_namesake_without_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let first = register(&mut app, "李明远", "13812345678", Trade::FoodDelivery);
    register(&mut app, "李明远", "", Trade::Courier);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "李明远");
    press(&mut app, KeyCode::Tab);
    send(&mut app, ctrl('f'));
    press(&mut app, KeyCode::Enter);
    assert!(app.checkin.replacing.is_none(), "{}", render(&app, 80, 24));
    assert_eq!(app.checkin.form.known.as_ref().map(|k| k.id), Some(first));
    assert!(app.checkin.form.namesakes.is_none());

    // With a number typed as well, picking asks first as ever.
    send(&mut app, ctrl('n'));
    type_new(&mut app, "李明远", "19900006666");
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Tab);
    assert!(app.checkin.form.namesakes.is_some());
    send(&mut app, ctrl('f'));
    press(&mut app, KeyCode::Enter);
    assert!(app.checkin.replacing.is_some());
}
