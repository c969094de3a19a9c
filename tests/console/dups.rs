//! F5 `d`: people who may be one worker registered twice, the selected
//! pair side by side, merging it choosing field by field what the record
//! keeps, undoing that merge, and marking a pair two workers.

use crate::common;

use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::Mobile;
use waystation::domain::ids::PersonId;
use waystation::domain::person::{Detail, PersonDetails, Trade};
use waystation::domain::visit::Services;
use waystation::i18n::Lang;
use waystation::tui::action::PaneId;
use waystation::tui::app::App;
use waystation::tui::panes::sync::Focus;

/// 王小二 registered at this station with a visit, then 王晓二 on the same
/// phone with an employer (as another station would have, before a sync).
fn two_records(app: &mut App) -> (PersonId, PersonId) {
    let d = |name: &str, employer: Option<&str>| PersonDetails {
        name: name.into(),
        mobile: Some(Mobile::parse("19900002222").unwrap()),
        resident_id: None,
        trade: Trade::FoodDelivery,
        employer: employer.map(str::to_owned),
        union_member: false,
        union_joined: None,
    };
    let mut w = app.store.begin(None).unwrap();
    let a = w.add_person(&d("王小二", None)).unwrap();
    w.check_in(a, Services::EMPTY, fixture_now()).unwrap();
    let b = w.add_person(&d("王晓二", Some("美团"))).unwrap();
    w.commit().unwrap();
    (a, b)
}

/// Polls as the console's loop does until the list has been read
/// (bounded).
fn settle(app: &mut App) {
    let start = std::time::Instant::now();
    while app.busy() {
        app.poll_work();
        assert!(start.elapsed().as_secs() < 30, "the list is never read");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// F5, the list, then `d`, and the pair selected.
fn open(app: &mut App, a: PersonId, b: PersonId) {
    press(app, KeyCode::F(5));
    assert_eq!(app.pane, PaneId::Sync);
    if app.sync.focus == Focus::Folder {
        press(app, KeyCode::Tab);
    }
    type_text(app, "d");
    // Read on a thread of its own: the console says so until it is taken.
    assert!(app.busy());
    let reading = waystation::i18n::catalogue::text(app.lang, "dups.reading");
    let head: String = reading.chars().take(8).collect();
    assert!(shows(app, &head), "{}", render(app, 120, 40));
    settle(app);
    let view = app.sync.dups.as_ref().expect("the list is open");
    let at = view
        .pairs
        .iter()
        .position(|c| (c.first, c.second) == (a, b))
        .expect("the pair is listed");
    for _ in 0..at {
        press(app, KeyCode::Down);
    }
}

#[test]
fn a_pair_is_compared_side_by_side_and_merged_keeping_the_values_chosen() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        let (a, b) = two_records(&mut app);
        open(&mut app, a, b);
        let screen = render(&app, 120, 40);
        for text in ["王小二", "王晓二", "199****2222", "美团"] {
            assert!(screen.contains(text), "{text}: {screen}");
        }
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("dups_list_{lang:?}_{w}x{h}"), render(&app, w, h));
        }

        // m: what stays. Record 1 stays and takes, as first offered, what
        // it lacks (the employer); the name is taken from record 2 too.
        type_text(&mut app, "m");
        let rows: Vec<_> = app
            .sync
            .dups
            .as_ref()
            .unwrap()
            .merging
            .as_ref()
            .unwrap()
            .rows
            .clone();
        assert_eq!(rows, [(Detail::Name, false), (Detail::Employer, true)]);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Right);
        insta::assert_snapshot!(format!("dups_merge_{lang:?}_80x24"), render(&app, 80, 24));
        press(&mut app, KeyCode::Enter);
        settle(&mut app);
        assert_eq!(app.store.survivor(b).unwrap(), a);
        let kept = app.store.person(a).unwrap().unwrap().details;
        assert_eq!(kept.name, "王晓二");
        assert_eq!(kept.employer.as_deref(), Some("美团"));
        let view = app.sync.dups.as_ref().unwrap();
        assert!(!view.pairs.iter().any(|c| c.second == b), "listed no more");

        // u: two again.
        type_text(&mut app, "u");
        settle(&mut app);
        assert_eq!(app.store.survivor(b).unwrap(), b);
        assert!(
            app.sync
                .dups
                .as_ref()
                .unwrap()
                .pairs
                .iter()
                .any(|c| (c.first, c.second) == (a, b))
        );

        // x: two workers, listed no more; Esc back to the sync pane.
        let view = app.sync.dups.as_ref().unwrap();
        let at = view
            .pairs
            .iter()
            .position(|c| (c.first, c.second) == (a, b))
            .unwrap();
        let now = view.selected;
        for _ in now..at {
            press(&mut app, KeyCode::Down);
        }
        type_text(&mut app, "x");
        settle(&mut app);
        assert!(app.store.dismissed(a, b).unwrap());
        assert!(
            !app.sync
                .dups
                .as_ref()
                .unwrap()
                .pairs
                .iter()
                .any(|c| (c.first, c.second) == (a, b))
        );
        press(&mut app, KeyCode::Esc);
        assert!(app.sync.dups.is_none());
    }
}

#[test]
fn a_volunteer_never_reaches_the_list_and_esc_while_merging_merges_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let (a, b) = two_records(&mut app);
    open(&mut app, a, b);
    type_text(&mut app, "m");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.store.survivor(b).unwrap(), b);
    assert!(app.sync.dups.as_ref().unwrap().merging.is_none());
    press(&mut app, KeyCode::Esc);
    sign_in_as_role(&mut app, waystation::domain::staff::Role::Volunteer);
    press(&mut app, KeyCode::F(5));
    assert!(!shows(&app, "王晓二"), "{}", render(&app, 80, 24));
}
