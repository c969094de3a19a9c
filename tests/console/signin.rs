//! Sign-in, the lock and what each role may open in the console.

use crate::common;

use chrono::Duration;
use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::access::Act;
use waystation::i18n::Lang;
use waystation::tui::action::PaneId;
use waystation::tui::app::{App, Overlay};
use waystation::tui::gate::Gate;

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

/// The console over the fixture as it starts: nobody signed in.
fn fresh(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = App::new(fixture_store(dir), lang, fixture_now);
    app.store_clock = Some(fixture_millis);
    app.load();
    app
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Chooses the fixture's first staff member with `role` on the sign-in
/// list and types `pin`.
fn sign_in_with_keys(app: &mut App, role: Role, pin: &str) {
    let who = session_of(&app.store, role);
    let Some(Gate::SignIn(s)) = &app.gate else {
        panic!("no sign-in list")
    };
    let at = s.roster.iter().position(|r| r.id == who.staff).unwrap();
    let from = s.selected;
    press(app, KeyCode::Home);
    for _ in 0..at {
        press(app, KeyCode::Down);
    }
    let _ = from;
    press(app, KeyCode::Enter);
    type_text(app, pin);
    press(app, KeyCode::Enter);
}

#[test]
fn the_console_opens_on_the_sign_in_list_and_reads_nothing_before() {
    let dir = tempfile::tempdir().unwrap();
    let app = fresh(&dir, Lang::ZhCn);
    assert!(matches!(app.gate, Some(Gate::SignIn(_))));
    assert!(app.session().is_none());
    assert!(app.checkin.present.rows.is_empty(), "no pane read yet");
    let screen = render(&app, 120, 40);
    let admin = session_of(&app.store, Role::Admin);
    assert!(screen.contains(&admin.name), "{screen}");
    assert!(!screen.contains("F2 案件"), "{screen}");
    snap("signin_list_zh", &app);
    let app = fresh(&dir, Lang::En);
    snap("signin_list_en", &app);
}

#[test]
fn the_right_pin_opens_the_console_a_wrong_one_says_so_and_slows_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fresh(&dir, Lang::En);
    sign_in_with_keys(&mut app, Role::Admin, "9999");
    assert!(app.gate.is_some());
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Wrong PIN"), "{screen}");
    snap("signin_wrong_pin_en", &app);
    type_text(&mut app, "8888");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "7777");
    press(&mut app, KeyCode::Enter);
    // The third wrong PIN: the next try waits, even with the right PIN.
    assert!(shows(&app, "try again in 5 s"), "{}", render(&app, 120, 40));
    type_text(&mut app, "1234");
    press(&mut app, KeyCode::Enter);
    assert!(app.gate.is_some(), "the wait holds");
    assert!(shows(&app, "try again in"));
}

#[test]
fn signing_in_loads_the_panes_for_that_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fresh(&dir, Lang::ZhCn);
    sign_in_with_keys(&mut app, Role::Admin, "1234");
    assert!(app.gate.is_none(), "{}", render(&app, 120, 40));
    let admin = session_of(&app.store, Role::Admin);
    assert_eq!(app.session().map(|s| s.staff), Some(admin.staff));
    assert!(!app.checkin.present.rows.is_empty(), "check-in read");
    assert!(status(&app).contains(&admin.name));
    let log = app.store.audit_entries(5).unwrap();
    assert_eq!(log[0].action, "sign_in");
    assert_eq!(log[0].actor, Some(admin.staff));
    // Writes are theirs.
    let w = app.store.begin(None).unwrap();
    assert_eq!(w.actor(), Some(admin.staff));
}

#[test]
fn a_fresh_database_asks_for_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = waystation::store::Store::open(&dir.path().join("new.db")).unwrap();
    store
        .init_station("NS", "南山区 新站", "Asia/Shanghai")
        .unwrap();
    let mut app = App::new(store, Lang::ZhCn, fixture_now);
    app.load();
    assert!(matches!(app.gate, Some(Gate::FirstAdmin(_))));
    type_text(&mut app, "陈静");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "12");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "12");
    send(&mut app, ctrl('s'));
    snap("signin_first_admin_refused_zh", &app);
    assert!(app.gate.is_some());
    let Some(Gate::FirstAdmin(form)) = &mut app.gate else {
        panic!()
    };
    assert_eq!(form.fields[0].text_value(), "陈静", "what was typed stays");
    form.fields[1].set_text("24680");
    form.fields[2].set_text("24680");
    send(&mut app, ctrl('s'));
    assert!(app.gate.is_none());
    let s = app.session().unwrap();
    assert_eq!((s.name.as_str(), s.role), ("陈静", Role::Admin));
    assert!(app.store.has_sign_in().unwrap());
}

#[test]
fn locking_keeps_the_typed_form_behind_the_sign_in_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "13900001234");
    // A lookup alone is nothing to lose; a new visitor's number is.
    assert!(!waystation::tui::panes::Pane::unsaved(&app.checkin));
    press(&mut app, KeyCode::Enter);
    assert!(waystation::tui::panes::Pane::unsaved(&app.checkin));
    let admin = app.session().cloned().unwrap();
    send(&mut app, ctrl('l'));
    assert!(app.gate.is_some());
    assert!(app.store.session().is_none(), "locked: nobody can write");
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("13900001234"), "{screen}");
    assert!(screen.contains(&admin.name), "{screen}");
    snap("signin_locked_zh", &app);
    // Quitting would lose the typing unseen: refused.
    send(&mut app, ctrl('q'));
    assert!(!app.quit);
    assert!(status(&app).contains("未保存"), "{}", status(&app));
    // The same person's PIN: straight back to the form as it was.
    type_text(&mut app, "1234");
    press(&mut app, KeyCode::Enter);
    assert!(app.gate.is_none());
    assert!(waystation::tui::panes::Pane::unsaved(&app.checkin));
    assert!(shows(&app, "13900001234"));
}

#[test]
fn the_console_locks_itself_after_the_idle_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    app.lock_after = Some(Duration::minutes(5));
    app.last_input = fixture_now() - Duration::minutes(4);
    app.tick();
    assert!(app.gate.is_none(), "not yet");
    app.last_input = fixture_now() - Duration::minutes(5);
    app.tick();
    assert!(app.gate.is_some(), "locked");
    let mut never = fixture_app(&dir, Lang::En);
    never.lock_after = None;
    never.last_input = fixture_now() - Duration::days(1);
    never.tick();
    assert!(never.gate.is_none());
}

#[test]
fn volunteers_keep_to_check_in_and_the_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(fixture_store(&dir), Lang::ZhCn, fixture_now);
    sign_in_as_role(&mut app, Role::Volunteer);
    app.load();
    for (key, pane) in [(1, PaneId::Checkin), (3, PaneId::Schedule)] {
        press(&mut app, KeyCode::F(key));
        assert_eq!(app.pane, pane);
    }
    for key in [2, 4, 5, 6] {
        press(&mut app, KeyCode::F(key));
        assert_eq!(app.pane, PaneId::Schedule, "F{key} refused");
        assert!(status(&app).starts_with("需要"), "{}", status(&app));
    }
    assert_eq!(status(&app), "需要管理员角色");
    press(&mut app, KeyCode::F(2));
    assert_eq!(status(&app), Act::Cases.needs(Lang::ZhCn));
    snap("signin_volunteer_refused_zh", &app);
    // The lookup finds people, never cases.
    press(&mut app, KeyCode::F(1));
    send(&mut app, ctrl('f'));
    type_text(&mut app, "FT-2026-0001");
    assert!(matches!(app.overlay, Some(Overlay::Lookup(_))));
    let screen = render(&app, 120, 40);
    assert!(!screen.contains("[案件]"), "{screen}");
}

#[test]
fn unmasking_is_for_staff_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    // A registered person with a phone and an ID number.
    let store = fixture_store(&dir);
    let person = store
        .lookup("138", 50)
        .unwrap()
        .into_iter()
        .find_map(|h| match h {
            waystation::store::Hit::Person(p) => Some(p.id),
            _ => None,
        })
        .expect("a person with a 138 phone");
    let full = store.person(person).unwrap().unwrap().details;
    let mobile = full.mobile.clone().unwrap();
    drop(store);
    for role in [Role::Volunteer, Role::Staff] {
        let mut app = App::new(fixture_store(&dir), Lang::En, fixture_now);
        sign_in_as_role(&mut app, role);
        app.load();
        send(&mut app, ctrl('f'));
        type_text(&mut app, mobile.as_str());
        press(&mut app, KeyCode::Enter);
        assert!(shows(&app, &mobile.masked()), "{}", render(&app, 120, 40));
        assert!(!shows(&app, mobile.as_str()));
        let viewed = app.store.audit_entries(1).unwrap();
        assert_eq!(viewed[0].action, "view");
        assert_eq!(viewed[0].subject, format!("person:{}", person.0));
        send(&mut app, ctrl('r'));
        let log = app.store.audit_entries(1).unwrap();
        if role == Role::Volunteer {
            assert_eq!(status(&app), Act::Unmask.needs(Lang::En));
            assert!(!shows(&app, mobile.as_str()));
            assert_ne!(log[0].action, "unmask");
        } else {
            assert!(shows(&app, mobile.as_str()), "{}", render(&app, 120, 40));
            assert_eq!(log[0].action, "unmask");
            assert_eq!(log[0].subject, format!("person:{}", person.0));
            assert_eq!(log[0].actor, app.session().map(|s| s.staff));
            // Locked, and someone else signs in: the numbers are masked
            // again; the same person would have found them as they were.
            send(&mut app, ctrl('l'));
            press(&mut app, KeyCode::Esc);
            sign_in_with_keys(&mut app, Role::Counsellor, "1234");
            assert!(app.gate.is_none());
            assert!(!shows(&app, mobile.as_str()), "{}", render(&app, 120, 40));
            assert!(shows(&app, &mobile.masked()));
        }
    }
}

#[test]
fn opening_a_case_is_noted_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    press(&mut app, KeyCode::F(2));
    press(&mut app, KeyCode::Enter);
    let case = app.cases.shown_case().unwrap();
    let log = app.store.audit_entries(1).unwrap();
    assert_eq!(log[0].action, "view");
    assert_eq!(log[0].subject, format!("case:{}", case.0));
}

#[test]
fn an_erased_claimant_shows_as_erased() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::F(2));
    press(&mut app, KeyCode::Enter);
    let case = app.cases.shown_case().unwrap();
    let (person, name) = app.store.claimants(case).unwrap()[0].clone();
    assert!(shows(&app, &name));
    app.store.erase_person(person).unwrap();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.cases.shown_case(), Some(case));
    assert!(!shows(&app, &name), "{}", render(&app, 120, 40));
    assert!(shows(&app, "（已删除）"), "{}", render(&app, 120, 40));
}

#[test]
fn the_english_lock_message_is_read_whole_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let admin = app.session().cloned().unwrap();
    send(&mut app, ctrl('l'));
    assert!(app.gate.is_some());
    let message = waystation::i18n::catalogue::text(Lang::En, "signin.locked_intro")
        .replace("{name}", &admin.name);
    assert_whole(&app, &message);
    // A wrong PIN's refusal, under the field, whole too.
    type_text(&mut app, "99");
    press(&mut app, KeyCode::Enter);
    let Some(Gate::SignIn(s)) = &app.gate else {
        panic!("no sign-in")
    };
    let refused = s.pin.as_ref().and_then(|f| f.fields[0].error.clone());
    if let Some(e) = refused {
        assert_whole(&app, &e);
    }
}
