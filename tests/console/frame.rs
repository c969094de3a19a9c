//! The console's frame: header, tabs, help bar, the key overlay, the global
//! lookup, quitting, and a terminal that is too small.

use crate::common;

use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::i18n::Lang;
use waystation::tui::action::PaneId;
use waystation::tui::app::Overlay;

fn snap(name: &str, app: &waystation::tui::app::App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

#[test]
fn key_overlay_in_both_languages() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        app.update(waystation::tui::action::Action::OpenHelp);
        assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
        snap(&format!("help_{lang:?}"), &app);
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
    }
}

#[test]
fn lookup_finds_as_you_type_and_jumps_to_a_case() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        send(&mut app, ctrl('f'));
        type_text(&mut app, "FT-2026-0001");
        snap(&format!("lookup_case_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert!(app.overlay.is_none());
        assert_eq!(app.pane, PaneId::Cases);
        assert!(shows(&app, "FT-2026-0001"), "{}", render(&app, 120, 40));
    }
}

#[test]
fn lookup_by_pinyin_initials_lists_people() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    send(&mut app, ctrl('f'));
    type_text(&mut app, "zs");
    let screen = render(&app, 120, 40);
    assert!(screen.contains("[人员]"), "{screen}");
    // Backspace twice empties the query and the list.
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    assert!(!render(&app, 120, 40).contains("[人员]"));
}

#[test]
fn too_small_a_terminal_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let app = fixture_app(&dir, Lang::En);
    let screen = render(&app, 60, 20);
    assert!(screen.contains("too small (60×20)"), "{screen}");
    let app = fixture_app(&tempfile::tempdir().unwrap(), Lang::ZhCn);
    insta::assert_snapshot!("too_small_zh", render(&app, 70, 12));
}

#[test]
fn quit_without_unsaved_input_needs_no_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    send(&mut app, ctrl('q'));
    assert!(app.quit);
}

#[test]
fn switching_panes_with_function_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    press(&mut app, KeyCode::F(2));
    assert_eq!(app.pane, PaneId::Cases);
    press(&mut app, KeyCode::F(3));
    assert_eq!(app.pane, PaneId::Schedule);
    press(&mut app, KeyCode::F(1));
    assert_eq!(app.pane, PaneId::Checkin);
}

#[test]
fn header_shows_station_and_counts_only_after_loading() {
    let dir = tempfile::tempdir().unwrap();
    let app = waystation::tui::app::App::new(fixture_store(&dir), Lang::En, fixture_now);
    let first = render(&app, 120, 40);
    assert!(first.contains("Here now: …"), "{first}");
    let app = fixture_app(&dir, Lang::En);
    let loaded = render(&app, 120, 40);
    assert!(loaded.contains("FT"), "{loaded}");
    assert!(!loaded.contains("Here now: …"), "{loaded}");
}

#[test]
fn question_mark_opens_the_key_overlay_only_when_not_typing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    send(&mut app, ctrl('f'));
    type_text(&mut app, "?");
    assert!(matches!(app.overlay, Some(Overlay::Lookup(ref p)) if p.query() == "?"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::F(2));
    if !app.typing() {
        type_text(&mut app, "?");
        assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
        // The overlay lists every scope of the keymap, the frame first.
        let screen = render(&app, 120, 40);
        assert!(screen.contains("Everywhere"), "{screen}");
        type_text(&mut app, "?");
        assert!(app.overlay.is_none());
    }
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    use ratatui::crossterm::event::Event;
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    send(&mut app, Event::Resize(70, 20));
    press(&mut app, KeyCode::F(2));
    assert_eq!(
        app.pane,
        PaneId::Checkin,
        "F2 acted on a screen nobody could see"
    );
    send(&mut app, ctrl('f'));
    assert!(app.overlay.is_none());
    send(&mut app, Event::Resize(80, 24));
    press(&mut app, KeyCode::F(2));
    assert_eq!(app.pane, PaneId::Cases);
    // Quitting still works on a small screen.
    send(&mut app, Event::Resize(60, 10));
    send(&mut app, ctrl('q'));
    assert!(app.quit);
}

#[test]
fn a_message_stays_with_the_pane_it_was_said_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    app.status = Some(waystation::tui::panes::Status {
        text: "said in check-in".into(),
        error: false,
    });
    press(&mut app, KeyCode::F(2));
    assert!(app.status.is_none());
}

/// Someone who never signed out stops counting as here after half a day;
/// someone who came an hour ago counts.
#[test]
fn here_now_forgets_visitors_who_never_signed_out() {
    use waystation::domain::visit::Services;
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let before = app.header.present.unwrap();
    let now = fixture_now();
    {
        let mut w = app.store.begin(None).unwrap();
        let a = w
            .add_person(&common::details(
                "早来客",
                "13911110001",
                waystation::domain::person::Trade::Courier,
            ))
            .unwrap();
        let b = w
            .add_person(&common::details(
                "刚来客",
                "13911110002",
                waystation::domain::person::Trade::Courier,
            ))
            .unwrap();
        w.check_in(a, Services::default(), now - chrono::Duration::hours(13))
            .unwrap();
        w.check_in(b, Services::default(), now - chrono::Duration::hours(1))
            .unwrap();
        w.commit().unwrap();
    }
    app.load();
    assert_eq!(app.header.present, Some(before + 1));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("刚来客"), "{screen}");
    assert!(!screen.contains("早来客"), "{screen}");
}
