//! The admin pane (F6): the staff list and its changes (each one a write
//! with an audit entry that never holds the PIN), the last admin kept,
//! the audit log with its filters and one line in full, erasure of a
//! person with its typed confirmation, and everyone else refused.

use crate::common;

use chrono::NaiveDate;
use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::dates::Period;
use waystation::domain::ids::PersonId;
use waystation::i18n::Lang;
use waystation::store::{AuditAction, AuditEntry, AuditFilter, AuditLine, Subject};
use waystation::tui::action::PaneId;
use waystation::tui::app::App;
use waystation::tui::panes::Pane;
use waystation::tui::panes::admin::{Choosing, Dialog, Section};

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh",
        Lang::En => "en",
    }
}

/// The fixture's console, an admin signed in, on F6.
fn admin_app(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = fixture_app(dir, lang);
    press(&mut app, KeyCode::F(6));
    assert_eq!(app.pane, PaneId::Admin);
    assert!(app.admin.refused.is_none());
    app
}

/// Selects the staff member called `name` in the list.
fn select(app: &mut App, name: &str) {
    let at = app
        .admin
        .staff
        .iter()
        .position(|r| r.staff.name == name)
        .unwrap_or_else(|| panic!("{name} is not listed"));
    press(app, KeyCode::Home);
    for _ in 0..at {
        press(app, KeyCode::Down);
    }
    assert_eq!(app.admin.staff_selected, at);
}

/// The staff member of `role` in the fixture.
fn name_of(app: &App, role: Role) -> String {
    session_of(&app.store, role).name
}

/// The audit entries of staff changes, newest first.
fn staff_changes(app: &App) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        action: Some(AuditAction::StaffChange.code().into()),
        ..AuditFilter::default()
    };
    app.store.audit_search(&filter, 50).unwrap()
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn each_section_in_both_languages() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = admin_app(&dir, lang);
        assert_eq!(app.admin.section, Section::Staff);
        assert_eq!(app.admin.staff.len(), 4);
        snap(&format!("admin_staff_{}", tag(lang)), &app);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.admin.section, Section::Log);
        // The demo's records were all made at the fixture's "now": more
        // than the pane reads at once.
        assert_eq!(app.admin.log.lines.len(), 500);
        assert!(app.admin.log.more);
        snap(&format!("admin_log_{}", tag(lang)), &app);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.admin.section, Section::Erase);
        snap(&format!("admin_erase_{}", tag(lang)), &app);
        press(&mut app, KeyCode::BackTab);
        assert_eq!(app.admin.section, Section::Log);
    }
}

#[test]
fn adding_staff_with_a_bad_pin_keeps_what_was_typed() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = admin_app(&dir, lang);
        type_text(&mut app, "a");
        assert!(matches!(app.admin.dialog, Some(Dialog::Add(_))));
        type_text(&mut app, "李华");
        press(&mut app, KeyCode::Tab);
        // Volunteer first; two steps on is Counsellor.
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "12a");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "12a");
        press(&mut app, KeyCode::Enter);
        let Some(Dialog::Add(form)) = &app.admin.dialog else {
            panic!("the form stays open");
        };
        assert_eq!(form.focus, 2, "the focus on the refused field");
        assert!(form.field(2).error.is_some());
        assert_eq!(form.field(0).text_value(), "李华");
        assert_eq!(form.field(2).text_value(), "12a");
        let screen = render(&app, 120, 40);
        assert!(!screen.contains("12a"), "a PIN is never shown:\n{screen}");
        let refusal = if lang == Lang::ZhCn {
            "PIN 码只能是数字"
        } else {
            "a PIN holds only digits"
        };
        assert!(screen.contains(refusal), "{screen}");
        snap(&format!("admin_add_bad_pin_{}", tag(lang)), &app);
        assert!(app.admin.unsaved(), "quitting would ask first");

        // Four digits now; the second field still differs.
        press(&mut app, KeyCode::Backspace);
        type_text(&mut app, "34");
        press(&mut app, KeyCode::Enter);
        let Some(Dialog::Add(form)) = &app.admin.dialog else {
            panic!("the form stays open");
        };
        assert_eq!(form.focus, 3);
        assert!(form.field(2).error.is_none());
        assert!(form.field(3).error.is_some(), "the two PINs differ");
        for _ in 0..3 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "1234");
        press(&mut app, KeyCode::Enter);
        assert!(app.admin.dialog.is_none(), "saved");
        assert!(status(&app).contains("李华"), "{}", status(&app));
        let row = app.admin.selected_staff().unwrap().clone();
        assert_eq!(row.staff.name, "李华");
        assert_eq!(row.staff.role, Role::Counsellor);
        assert!(row.has_pin && row.staff.active);
        // One audit entry, by the admin, about the new member, no PIN.
        let log = staff_changes(&app);
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].subject, format!("staff:{}", row.staff.id.0));
        assert_eq!(log[0].actor, app.store.session().map(|s| s.staff));
        assert_eq!(log[0].detail["change"], "added");
        assert_eq!(log[0].detail["role"], "counsellor");
        assert!(!log[0].detail.to_string().contains("1234"));
        // The new member signs in with that PIN.
        let s = app
            .store
            .sign_in(row.staff.id, "1234", fixture_now())
            .unwrap();
        assert_eq!(s.role, Role::Counsellor);
    }
}

#[test]
fn role_pin_and_deactivation_are_one_write_each_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = admin_app(&dir, Lang::ZhCn);
    let clerk = name_of(&app, Role::Staff);
    select(&mut app, &clerk);
    let id = app.admin.selected_staff().unwrap().staff.id;

    // A new role: Staff → Admin.
    type_text(&mut app, "r");
    assert!(matches!(app.admin.dialog, Some(Dialog::Role { .. })));
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    assert!(app.admin.dialog.is_none());
    let row = app.admin.staff.iter().find(|r| r.staff.id == id).unwrap();
    assert_eq!(row.staff.role, Role::Admin);

    // A new PIN, typed twice alike.
    select(&mut app, &clerk);
    type_text(&mut app, "p");
    type_text(&mut app, "86420");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "86420");
    snap("admin_pin", &app);
    press(&mut app, KeyCode::Enter);
    assert!(app.admin.dialog.is_none(), "{}", render(&app, 80, 24));
    assert!(status(&app).contains("PIN"), "{}", status(&app));

    // Deactivated after a question; then reactivated.
    select(&mut app, &clerk);
    type_text(&mut app, "x");
    assert!(matches!(
        app.admin.dialog,
        Some(Dialog::Active { active: false, .. })
    ));
    snap("admin_deactivate", &app);
    type_text(&mut app, "y");
    let row = app.admin.staff.iter().find(|r| r.staff.id == id).unwrap();
    assert!(!row.staff.active);
    select(&mut app, &clerk);
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Esc);
    assert!(app.admin.dialog.is_none());
    let row = app.admin.staff.iter().find(|r| r.staff.id == id).unwrap();
    assert!(!row.staff.active, "Esc changes nothing");

    let log = staff_changes(&app);
    let changes: Vec<String> = log
        .iter()
        .map(|e| e.detail["change"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert_eq!(changes, ["active", "pin", "role"]);
    assert!(log.iter().all(|e| e.subject == format!("staff:{}", id.0)));
    assert_eq!(log[2].detail["from"], "staff");
    assert_eq!(log[2].detail["to"], "admin");
    assert_eq!(log[0].detail["active"], false);
    for e in &log {
        let d = e.detail.to_string();
        assert!(!d.contains("86420") && !d.contains("a2id"), "{d}");
    }
    // The new PIN is the one that signs in (the member is inactive now:
    // reactivate first).
    app.store
        .set_session(Some(session_of(&app.store, Role::Admin)));
    let mut w = app.store.begin(None).unwrap();
    w.set_staff_active(id, true).unwrap();
    w.commit().unwrap();
    assert!(app.store.sign_in(id, "86420", fixture_now()).is_ok());
}

#[test]
fn the_last_admin_is_protected() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = admin_app(&dir, lang);
        let admin = name_of(&app, Role::Admin);
        select(&mut app, &admin);
        // Not deactivated: said in the status line, nothing asked.
        type_text(&mut app, "x");
        assert!(app.admin.dialog.is_none());
        let said = status(&app);
        assert!(said.contains(&admin), "{said}");
        assert!(app.status.as_ref().is_some_and(|s| s.error));
        // Not demoted: said in the form.
        type_text(&mut app, "r");
        press(&mut app, KeyCode::Left);
        press(&mut app, KeyCode::Enter);
        let Some(Dialog::Role { form, .. }) = &app.admin.dialog else {
            panic!("the form stays open");
        };
        assert!(form.field(0).error.is_some());
        snap(&format!("admin_last_admin_{}", tag(lang)), &app);
        press(&mut app, KeyCode::Esc);
        let row = app.admin.selected_staff().unwrap();
        assert_eq!(row.staff.role, Role::Admin);
        assert!(row.staff.active);
        assert!(staff_changes(&app).is_empty());
    }
}

#[test]
fn with_a_second_admin_the_first_may_step_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = admin_app(&dir, Lang::En);
    let clerk = name_of(&app, Role::Staff);
    let admin = name_of(&app, Role::Admin);
    select(&mut app, &clerk);
    // Staff → counsellor → admin.
    type_text(&mut app, "r");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    assert!(app.admin.dialog.is_none());
    // The admin signed in makes themselves staff: the pane closes to them.
    select(&mut app, &admin);
    type_text(&mut app, "r");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.session().map(|s| s.role), Some(Role::Staff));
    press(&mut app, KeyCode::Down);
    assert!(app.admin.refused.is_some());
    assert!(app.admin.staff.is_empty(), "nothing read is kept");
}

#[test]
fn whoever_is_no_admin_is_refused() {
    for role in [Role::Volunteer, Role::Staff, Role::Counsellor] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, Lang::ZhCn);
        sign_in_as_role(&mut app, role);
        press(&mut app, KeyCode::F(6));
        assert_ne!(app.pane, PaneId::Admin, "the app refuses {role:?}");
        // Shown anyway (a role changed while it was open): the pane says
        // what it needs, nothing else.
        app.pane = PaneId::Admin;
        app.load();
        assert_eq!(app.admin.refused.as_deref(), Some("需要管理员角色"));
        for key in ["a", "x", "e"] {
            type_text(&mut app, key);
        }
        press(&mut app, KeyCode::Tab);
        assert!(app.admin.dialog.is_none());
        let screen = render(&app, 120, 40);
        assert!(screen.contains("需要管理员角色"), "{screen}");
        for s in app.store.staff().unwrap() {
            if s.role != role {
                assert!(!screen.contains(&s.name), "{} shown:\n{screen}", s.name);
            }
        }
        if role == Role::Staff {
            snap("admin_refused", &app);
        }
    }
}

#[test]
fn the_log_filtered_and_one_line_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = admin_app(&dir, Lang::ZhCn);
    let admin = name_of(&app, Role::Admin);
    // Something to find: a staff change by the admin.
    let clerk = name_of(&app, Role::Staff);
    select(&mut app, &clerk);
    type_text(&mut app, "p");
    type_text(&mut app, "2468");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2468");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.admin.section, Section::Log);

    // By staff member: the chooser lists everyone after "all".
    type_text(&mut app, "s");
    assert!(matches!(
        app.admin.dialog,
        Some(Dialog::Choose {
            what: Choosing::Staff,
            ..
        })
    ));
    let at = app
        .admin
        .choices(Choosing::Staff, Lang::ZhCn)
        .iter()
        .position(|c| *c == admin)
        .unwrap();
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    snap("admin_choose_staff", &app);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.admin.actor.as_ref().map(|(_, n)| n.as_str()),
        Some(admin.as_str())
    );
    assert!(
        app.admin
            .log
            .lines
            .iter()
            .all(|l| l.actor_name() == Some(admin.as_str()))
    );
    assert!(!app.admin.log.lines.is_empty());

    // By action: staff changes.
    type_text(&mut app, "a");
    let at = app
        .admin
        .choices(Choosing::Action, Lang::ZhCn)
        .iter()
        .position(|c| c == "工作人员变更")
        .unwrap();
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.admin.action.as_deref(), Some("staff"));
    assert_eq!(app.admin.log.lines.len(), 1);
    assert!(!app.admin.log.more);
    snap("admin_log_filtered", &app);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.admin.dialog, Some(Dialog::Line { index: 0 })));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("设置了新 PIN"), "{screen}");
    assert!(!screen.contains("2468"), "{screen}");
    snap("admin_log_line", &app);
    press(&mut app, KeyCode::Esc);

    // Changes hidden, then "all" again: only entries.
    type_text(&mut app, "a");
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "c");
    assert!(!app.admin.with_changes);
    assert!(
        app.admin
            .log
            .lines
            .iter()
            .all(|l| matches!(l, AuditLine::Entry { .. }))
    );

    // A period typed wrong is refused beside its field and kept.
    type_text(&mut app, "r");
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-13-01");
    press(&mut app, KeyCode::Enter);
    let Some(Dialog::Range(form)) = &app.admin.dialog else {
        panic!("the range dialog stays open");
    };
    assert!(form.field(0).error.is_some());
    assert_eq!(form.field(0).text_value(), "2026-13-01");
    snap("admin_range_refused", &app);
    press(&mut app, KeyCode::Esc);
    // Today only; then a period with nothing in it.
    type_text(&mut app, "d");
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    assert_eq!(app.admin.period, Period::day(today));
    assert!(!app.admin.log.lines.is_empty());
    type_text(&mut app, "r");
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-10");
    press(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.admin.dialog.is_none());
    assert_eq!(
        app.admin.period.from,
        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
    );
    assert!(app.admin.log.lines.is_empty());
    assert!(render(&app, 80, 24).contains("这一期间没有符合条件的记录"));
    type_text(&mut app, "m");
    assert_eq!(
        app.admin.period.from,
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
    );
}

/// The fixture's first person by id, and their name.
fn first_person(dir: &tempfile::TempDir) -> (PersonId, String) {
    let conn = rusqlite::Connection::open(fixture_path(dir)).unwrap();
    conn.query_row("SELECT id, name FROM people ORDER BY id LIMIT 1", [], |r| {
        let id: Vec<u8> = r.get(0)?;
        Ok((PersonId::from_slice(&id).unwrap(), r.get(1)?))
    })
    .unwrap()
}

#[test]
fn erasing_a_person_takes_the_typed_word() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = admin_app(&dir, lang);
        let (id, name) = first_person(&dir);
        press(&mut app, KeyCode::BackTab);
        assert_eq!(app.admin.section, Section::Erase);
        type_text(&mut app, "e");
        assert!(matches!(app.admin.dialog, Some(Dialog::Pick(_))));
        type_text(&mut app, &name);
        let Some(Dialog::Pick(picker)) = &app.admin.dialog else {
            panic!("the picker stays open");
        };
        let at = picker
            .hits
            .iter()
            .position(|h| matches!(h, waystation::store::Hit::Person(p) if p.id == id))
            .expect("the person is found");
        for _ in 0..at {
            press(&mut app, KeyCode::Down);
        }
        snap(&format!("admin_erase_pick_{}", tag(lang)), &app);
        press(&mut app, KeyCode::Enter);
        assert!(matches!(app.admin.dialog, Some(Dialog::Erase { .. })));
        snap(&format!("admin_erase_confirm_{}", tag(lang)), &app);

        // A wrong word: refused, kept, nothing erased.
        type_text(&mut app, "yes");
        press(&mut app, KeyCode::Enter);
        let Some(Dialog::Erase { typed, .. }) = &app.admin.dialog else {
            panic!("the dialog stays open");
        };
        assert_eq!(typed.text_value(), "yes");
        assert!(typed.error.is_some());
        snap(&format!("admin_erase_wrong_word_{}", tag(lang)), &app);
        let erased = |app: &App| {
            app.store
                .audit_search(
                    &AuditFilter {
                        action: Some(AuditAction::Erase.code().into()),
                        ..AuditFilter::default()
                    },
                    10,
                )
                .unwrap()
        };
        assert!(erased(&app).is_empty());

        for _ in 0..3 {
            press(&mut app, KeyCode::Backspace);
        }
        let word = if lang == Lang::ZhCn {
            "删除"
        } else {
            "ERASE"
        };
        type_text(&mut app, word);
        press(&mut app, KeyCode::Enter);
        assert!(app.admin.dialog.is_none(), "{}", render(&app, 120, 40));
        assert!(
            !app.status.as_ref().is_some_and(|s| s.error),
            "{}",
            status(&app)
        );
        let log = erased(&app);
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].subject, format!("person:{}", id.0));
        assert_eq!(app.admin.erased.len(), 1, "listed in the section");
        let screen = render(&app, 120, 40);
        assert!(!screen.contains(&name), "{screen}");
        // In the log the person is said to be erased.
        press(&mut app, KeyCode::BackTab);
        let subjects: Vec<&Subject> = app.admin.log.lines.iter().map(|l| l.subject()).collect();
        assert!(subjects.contains(&&Subject::Erased));
    }
}
