//! The cases pane (F2): the queue with its filters and sorts, a case's
//! detail and timeline, opening a group case by keys, and the status
//! workflow with its refusals.

use crate::common;

use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::Mobile;
use waystation::domain::case::{CaseStatus, CaseType, Outcome};
use waystation::domain::ids::{CaseId, PersonId};
use waystation::domain::money::Fen;
use waystation::domain::person::{PersonDetails, Trade};
use waystation::i18n::Lang;
use waystation::store::{CaseQuery, StatusFilter};
use waystation::tui::action::PaneId;
use waystation::tui::app::{App, Overlay};

const LANGS: [Lang; 2] = [Lang::ZhCn, Lang::En];

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("cases_{name}_{w}x{h}"), render(app, w, h));
    }
}

/// The console on the fixture, showing the case queue.
fn cases_app(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = fixture_app(dir, lang);
    press(&mut app, KeyCode::F(2));
    assert_eq!(app.pane, PaneId::Cases);
    app
}

/// Three workers of one group, registered with unique names and phones.
const GROUP: [(&str, &str); 3] = [
    ("欧阳测甲", "13900001111"),
    ("欧阳测乙", "13900002222"),
    ("欧阳测丙", "13900003333"),
];

fn register_group(app: &mut App) -> Vec<PersonId> {
    let mut w = app.store.begin(None).unwrap();
    let ids = GROUP
        .iter()
        .map(|(name, mobile)| {
            w.add_person(&PersonDetails {
                name: (*name).into(),
                mobile: Some(Mobile::parse(mobile).unwrap()),
                resident_id: None,
                trade: Trade::Courier,
                employer: None,
                union_member: false,
                union_joined: None,
            })
            .unwrap()
        })
        .collect();
    w.commit().unwrap();
    ids
}

/// Types into the claimant picker and adds the highlighted person.
fn pick(app: &mut App, query: &str) {
    type_text(app, query);
    press(app, KeyCode::Enter);
}

/// Opens the new-case form and picks the group as claimants; focus is on
/// the claimant field afterwards.
fn new_form_with_group(app: &mut App) {
    type_text(app, "n");
    assert!(app.cases.form_open(), "{}", render(app, 120, 40));
    press(app, KeyCode::Tab); // type → claimants
    pick(app, GROUP[0].1);
    pick(app, GROUP[1].1);
    pick(app, GROUP[2].0);
}

/// Opens a group wage case by keys and returns its id.
fn open_group_case(app: &mut App) -> CaseId {
    new_form_with_group(app);
    press(app, KeyCode::Enter); // empty picker → respondent
    type_text(app, "深圳某某建筑劳务公司");
    press(app, KeyCode::Enter);
    type_text(app, "1.2万");
    press(app, KeyCode::Enter);
    press(app, KeyCode::Right); // the first staff member handles it
    press(app, KeyCode::Enter);
    type_text(app, "2026-11-27");
    press(app, KeyCode::Enter);
    type_text(app, "三个月工资未发");
    press(app, KeyCode::Enter); // Enter on the last field saves
    assert!(!app.cases.form_open(), "{}", render(app, 120, 40));
    slip_away(app);
    app.cases.shown_case().expect("the new case is shown")
}

/// Moves the status dialog's choice to `to` (→ until it shows).
fn choose_status(app: &mut App, to: CaseStatus) {
    let label = to.label(app.lang);
    for _ in 0..6 {
        if render(app, 120, 40).contains(&format!("‹ {label} ›")) {
            return;
        }
        press(app, KeyCode::Right);
    }
    panic!("status {label} not offered:\n{}", render(app, 120, 40));
}

/// The first open case of the queue in `status`.
fn case_in(app: &App, status: CaseStatus) -> CaseId {
    let q = CaseQuery {
        status: Some(StatusFilter::Is(status)),
        ..CaseQuery::default()
    };
    app.store
        .case_queue(&q)
        .unwrap()
        .first()
        .expect("a case in that status")
        .id
}

/// Jumps to a case through the global lookup, as staff would.
fn jump_to(app: &mut App, id: CaseId) {
    jump_to_case(app, id);
}

// ---- the queue ----------------------------------------------------------------

#[test]
fn the_queue_lists_open_cases_by_follow_up_date() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let app = cases_app(&dir, lang);
        let rows = app.cases.rows();
        assert!(rows.len() > 5, "{}", render(&app, 120, 40));
        assert!(rows.iter().all(|r| r.status.is_open()));
        let dates: Vec<_> = rows
            .iter()
            .map(|r| (r.follow_up.is_none(), r.follow_up))
            .collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
        let screen = render(&app, 120, 40);
        let first = rows[0].number.to_string();
        assert!(screen.contains(&first), "{screen}");
        snap(&format!("list_{lang:?}"), &app);
    }
}

#[test]
fn overdue_follow_ups_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let app = cases_app(&dir, Lang::En);
    let today = fixture_day();
    let overdue = app
        .cases
        .rows()
        .iter()
        .filter(|r| r.follow_up.is_some_and(|d| d < today))
        .count();
    assert!(overdue > 0, "the fixture has overdue follow-ups");
    let screen = render(&app, 120, 40);
    assert_eq!(screen.matches(" !20").count(), overdue.min(33), "{screen}");
}

#[test]
fn filters_by_status_type_handler_and_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    let open = app.cases.rows().len();

    type_text(&mut app, "s"); // all statuses
    assert!(app.cases.rows().len() > open);
    assert!(app.cases.rows().iter().any(|r| !r.status.is_open()));
    type_text(&mut app, "s"); // new only: the fixture has none
    assert!(app.cases.rows().iter().all(|r| r.status == CaseStatus::New));
    if app.cases.rows().is_empty() {
        assert!(
            shows(&app, "No case matches the filters"),
            "{}",
            render(&app, 120, 40)
        );
    }
    type_text(&mut app, "s"); // in progress only
    assert!(!app.cases.rows().is_empty());
    assert!(
        app.cases
            .rows()
            .iter()
            .all(|r| r.status == CaseStatus::InProgress)
    );
    type_text(&mut app, "x");
    assert_eq!(app.cases.rows().len(), open);

    type_text(&mut app, "t"); // the first type: wage arrears
    assert!(!app.cases.rows().is_empty());
    assert!(
        app.cases
            .rows()
            .iter()
            .all(|r| r.case_type == CaseType::WageArrears)
    );
    assert!(
        render(&app, 120, 40).contains("Type: Wage arrears"),
        "{}",
        render(&app, 120, 40)
    );
    type_text(&mut app, "x");

    type_text(&mut app, "h"); // unassigned
    assert!(app.cases.rows().iter().all(|r| r.handler.is_none()));
    // Then each staff member in turn: only their cases.
    let mut seen = 0;
    for _ in 0..12 {
        type_text(&mut app, "h");
        let screen = render(&app, 120, 40);
        if screen.contains("Handler: all") || screen.contains("Handler: Unassigned") {
            continue;
        }
        let Some(first) = app.cases.rows().first().and_then(|r| r.handler.clone()) else {
            continue;
        };
        assert!(
            app.cases
                .rows()
                .iter()
                .all(|r| r.handler.as_deref() == Some(first.as_str()))
        );
        assert!(render(&app, 120, 40).contains(&format!("Handler: {first}")));
        seen += 1;
    }
    assert!(seen >= 2, "at least two handlers have open cases");
    type_text(&mut app, "x");

    type_text(&mut app, "o");
    let today = fixture_day();
    assert!(!app.cases.rows().is_empty());
    assert!(
        app.cases
            .rows()
            .iter()
            .all(|r| r.status.is_open() && r.follow_up.is_some_and(|d| d < today))
    );
    assert!(app.cases.rows().len() < open);
}

#[test]
fn list_with_a_filter_active() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        type_text(&mut app, "o");
        type_text(&mut app, "m");
        snap(&format!("list_overdue_by_amount_{lang:?}"), &app);
    }
}

#[test]
fn sorts_by_age_amount_number_and_due_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    type_text(&mut app, "s"); // every status: more to sort
    type_text(&mut app, "m");
    let amounts: Vec<Fen> = app.cases.rows().iter().map(|r| r.claimed).collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");
    assert!(amounts.first() > amounts.last());
    type_text(&mut app, "a");
    let opened: Vec<_> = app.cases.rows().iter().map(|r| r.opened_at).collect();
    assert!(opened.windows(2).all(|w| w[0] <= w[1]));
    assert!(opened.first() < opened.last());
    type_text(&mut app, "#");
    let numbers: Vec<_> = app.cases.rows().iter().map(|r| r.number.clone()).collect();
    assert!(numbers.windows(2).all(|w| w[0] > w[1]), "{numbers:?}");
    type_text(&mut app, "d");
    let due: Vec<_> = app
        .cases
        .rows()
        .iter()
        .map(|r| (r.follow_up.is_none(), r.follow_up))
        .collect();
    assert!(due.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn moving_and_opening_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let third = app.cases.rows()[2].id;
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.cases.shown_case(), Some(third));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.cases.shown_case(), None);
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.cases.shown_case(),
        app.cases.rows().last().map(|r| r.id)
    );
}

// ---- opening a case -------------------------------------------------------------

#[test]
fn new_case_form_empty() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        type_text(&mut app, "n");
        snap(&format!("new_empty_{lang:?}"), &app);
        // The claimant picker lists matches under its field.
        register_group(&mut app);
        press(&mut app, KeyCode::Tab);
        pick(&mut app, GROUP[0].1);
        type_text(&mut app, "欧阳测");
        let screen = render(&app, 120, 40);
        assert!(
            screen.contains(GROUP[1].0) && screen.contains(GROUP[2].0),
            "{screen}"
        );
        snap(&format!("new_picking_{lang:?}"), &app);
    }
}

#[test]
fn a_group_wage_case_with_three_claimants_by_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let people = register_group(&mut app);
    let id = open_group_case(&mut app);

    let case = app.store.case(id).unwrap().unwrap();
    assert_eq!(case.case_type, CaseType::WageArrears);
    assert_eq!(case.claimed, Fen(1_200_000));
    assert_eq!(case.respondent.as_deref(), Some("深圳某某建筑劳务公司"));
    assert_eq!(
        case.follow_up,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
    );
    assert_eq!(case.summary.as_deref(), Some("三个月工资未发"));
    assert!(case.handler.is_some());
    assert_eq!(case.status, CaseStatus::New);
    let mut claimants: Vec<PersonId> = app
        .store
        .claimants(id)
        .unwrap()
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    claimants.sort();
    let mut want = people.clone();
    want.sort();
    assert_eq!(claimants, want);

    let screen = render(&app, 120, 40);
    assert!(screen.contains(&case.number.to_string()), "{screen}");
    assert!(screen.contains("申请人（3 人）"), "{screen}");
    assert!(screen.contains("已新建案件"), "{screen}");
    // Back in the queue, the case is listed with its group.
    press(&mut app, KeyCode::Esc);
    assert!(
        app.cases
            .rows()
            .iter()
            .any(|r| r.id == id && r.claimants == 3)
    );
    assert!(render(&app, 120, 40).contains("欧阳测甲等3人"));
}

/// A person picked twice is refused next to the field with the typed text
/// kept; Backspace only ever deletes text, and Ctrl-D drops the last
/// claimant added.
#[test]
fn a_refused_duplicate_keeps_the_text_and_backspace_never_drops_a_claimant() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        new_form_with_group(&mut app);
        let added = |n: usize| match lang {
            Lang::ZhCn => format!("已加入 {n} 人"),
            Lang::En => format!("{n} added"),
        };
        assert!(shows(&app, &added(3)));
        // Picking the same person twice adds nobody and keeps the query.
        pick(&mut app, GROUP[0].1);
        let why = waystation::i18n::catalogue::fill(
            waystation::i18n::catalogue::text(lang, "cases.claimant_already"),
            &[("name", &GROUP[0].0)],
        );
        let screen = render(&app, 120, 40);
        assert!(screen.contains(&why), "{screen}");
        assert!(
            screen.contains(GROUP[0].1),
            "the typed text stays\n{screen}"
        );
        assert!(shows(&app, &added(3)));
        snap(&format!("new_claimant_twice_{lang:?}"), &app);
        // Deleting the text, and more, removes nobody.
        for _ in 0..GROUP[0].1.len() + 3 {
            press(&mut app, KeyCode::Backspace);
        }
        let screen = render(&app, 120, 40);
        assert!(!screen.contains(GROUP[0].1), "{screen}");
        assert!(screen.contains(&added(3)), "{screen}");
        // Ctrl-D drops the last one added, and says so.
        send(&mut app, ctrl('d'));
        let screen = render(&app, 120, 40);
        let picked = screen
            .lines()
            .find(|l| l.contains(&added(2)))
            .unwrap_or_else(|| panic!("{screen}"));
        assert!(!picked.contains(GROUP[2].0), "{screen}");
        assert!(picked.contains(GROUP[1].0), "{screen}");
    }
}

#[test]
fn a_refused_amount_keeps_what_was_typed() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        let before = app
            .store
            .case_queue(&CaseQuery {
                status: None,
                limit: 1000,
                ..CaseQuery::default()
            })
            .unwrap()
            .len();
        new_form_with_group(&mut app);
        press(&mut app, KeyCode::Tab); // respondent
        type_text(&mut app, "某公司");
        press(&mut app, KeyCode::Tab); // claimed
        type_text(&mut app, "12,34.5元");
        send(&mut app, ctrl('s'));
        assert!(app.cases.form_open());
        let screen = render(&app, 120, 40);
        let message =
            waystation::i18n::Localized::localized(&Fen::parse("12,34.5").unwrap_err(), lang);
        assert!(screen.contains(&message), "{screen}");
        assert!(screen.contains("12,34.5元"), "{screen}");
        assert!(screen.contains("某公司"), "{screen}");
        let after = app
            .store
            .case_queue(&CaseQuery {
                status: None,
                limit: 1000,
                ..CaseQuery::default()
            })
            .unwrap()
            .len();
        assert_eq!(before, after, "nothing saved");
        snap(&format!("new_refused_amount_{lang:?}"), &app);

        // Correcting it saves, the claimants still there.
        for _ in 0.."12,34.5元".chars().count() {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "1234.5");
        send(&mut app, ctrl('s'));
        let id = app.cases.shown_case().expect("saved");
        assert_eq!(app.store.case(id).unwrap().unwrap().claimed, Fen(123_450));
        assert_eq!(app.store.claimants(id).unwrap().len(), 3);
    }
}

/// The amount claimed is read as staff say it (两万三 is 23,000 yuan); one
/// that could mean two amounts is refused next to the field, whole even on
/// an 80-column screen.
#[test]
fn a_spoken_amount_is_read_and_an_ambiguous_one_refused() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        new_form_with_group(&mut app);
        press(&mut app, KeyCode::Tab); // respondent
        type_text(&mut app, "某公司");
        press(&mut app, KeyCode::Tab); // claimed
        type_text(&mut app, "2万50");
        send(&mut app, ctrl('s'));
        assert!(app.cases.form_open());
        let message =
            waystation::i18n::Localized::localized(&Fen::parse("2万50").unwrap_err(), lang);
        let screen = render(&app, 80, 24);
        assert!(screen.contains(&message), "{screen}");

        for _ in 0.."2万50".chars().count() {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "两万三");
        send(&mut app, ctrl('s'));
        let id = app.cases.shown_case().expect("saved");
        assert_eq!(app.store.case(id).unwrap().unwrap().claimed, Fen(2_300_000));
    }
}

/// A follow-up date before today is refused next to the field, in the
/// form and in the detail's dialog, with the typed date kept.
#[test]
fn a_follow_up_before_today_is_refused() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        new_form_with_group(&mut app);
        for _ in 0..4 {
            press(&mut app, KeyCode::Tab); // → follow-up
        }
        type_text(&mut app, "2020-01-01");
        send(&mut app, ctrl('s'));
        assert!(app.cases.form_open(), "{}", render(&app, 120, 40));
        let why = waystation::i18n::Localized::localized(
            &waystation::domain::case::check_follow_up(
                chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                fixture_day(),
            )
            .unwrap_err(),
            lang,
        );
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&app, w, h);
            assert!(screen.contains("2020-01-01"), "{screen}");
            let start: String = why.chars().take(24).collect();
            assert!(screen.contains(&start), "{start}\n{screen}");
        }
        snap(&format!("new_refused_past_date_{lang:?}"), &app);
        // Today is fine.
        for _ in 0..10 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "2026-11-20");
        send(&mut app, ctrl('s'));
        let id = app.cases.shown_case().expect("saved");
        assert_eq!(
            app.store.case(id).unwrap().unwrap().follow_up,
            Some(fixture_day())
        );

        // The same in the detail.
        type_text(&mut app, "f");
        for _ in 0..12 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "2026-11-19");
        press(&mut app, KeyCode::Enter);
        assert!(app.cases.dialog_open());
        assert!(shows(&app, "2026-11-19"));
        assert_eq!(
            app.store.case(id).unwrap().unwrap().follow_up,
            Some(fixture_day())
        );
    }
}

/// The follow-up field reads a date as staff type one, in the form and
/// in the detail's dialog: the fixture day is Friday 2026-11-20.
#[test]
fn a_follow_up_is_typed_as_staff_say_it() {
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d);
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        new_form_with_group(&mut app);
        for _ in 0..4 {
            press(&mut app, KeyCode::Tab); // → follow-up
        }
        type_text(&mut app, "下周一");
        send(&mut app, ctrl('s'));
        let id = app
            .cases
            .shown_case()
            .unwrap_or_else(|| panic!("saved: {}", render(&app, 120, 40)));
        let follow_up = || app.store.case(id).unwrap().unwrap().follow_up;
        assert_eq!(follow_up(), day(11, 23));

        for (typed, expected) in [
            ("12/15", day(12, 15)),
            ("12月16日", day(12, 16)),
            ("next monday", day(11, 23)),
            ("3天后", day(11, 23)),
            ("周五", day(11, 20)),
        ] {
            type_text(&mut app, "f");
            for _ in 0..12 {
                press(&mut app, KeyCode::Backspace);
            }
            type_text(&mut app, typed);
            press(&mut app, KeyCode::Enter);
            assert!(
                !app.cases.dialog_open(),
                "{typed}: {}",
                render(&app, 120, 40)
            );
            let follow_up = app.store.case(id).unwrap().unwrap().follow_up;
            assert_eq!(follow_up, expected, "{typed}");
        }
        // A form that reads, but before today: refused beside the field.
        type_text(&mut app, "f");
        for _ in 0..12 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "昨天");
        press(&mut app, KeyCode::Enter);
        assert!(app.cases.dialog_open());
        assert!(shows(&app, "2026-11-19"), "{}", render(&app, 120, 40));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        assert!(!app.cases.dialog_open());
        assert_eq!(app.store.case(id).unwrap().unwrap().follow_up, day(11, 20));
    }
}

#[test]
fn a_case_needs_a_claimant_and_a_date_must_be_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    type_text(&mut app, "n");
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "next week");
    send(&mut app, ctrl('s'));
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("a case needs at least one claimant"),
        "{screen}"
    );
    assert!(screen.contains("is not a date"), "{screen}");
    assert!(screen.contains("next week"), "{screen}");
    assert!(app.cases.form_open());
}

#[test]
fn esc_asks_once_before_dropping_typed_input_and_quitting_asks_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    type_text(&mut app, "n");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "欧阳");
    send(&mut app, ctrl('q'));
    assert!(matches!(app.overlay, Some(Overlay::ConfirmQuit)));
    press(&mut app, KeyCode::Esc); // no, stay
    assert!(!app.quit);
    press(&mut app, KeyCode::Esc);
    assert!(app.cases.form_open(), "the first Esc only warns");
    assert!(shows(&app, "Press Esc again"));
    press(&mut app, KeyCode::Esc);
    assert!(!app.cases.form_open());
    // An untouched form closes at once.
    type_text(&mut app, "n");
    press(&mut app, KeyCode::Esc);
    assert!(!app.cases.form_open());
}

// ---- the detail and its dialogs ----------------------------------------------------

#[test]
fn detail_with_timeline() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        let id = case_in(&app, CaseStatus::Waiting);
        jump_to(&mut app, id);
        let screen = render(&app, 120, 40);
        let opened = waystation::i18n::catalogue::text(lang, "cases.ev_opened");
        assert!(screen.contains(opened), "{screen}");
        snap(&format!("detail_{lang:?}"), &app);
    }
}

#[test]
fn resolving_asks_for_the_outcome_and_the_amount_recovered() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        let id = open_group_case(&mut app);
        type_text(&mut app, "s");
        assert!(app.cases.dialog_open());
        let outcome_label = waystation::i18n::catalogue::text(lang, "cases.d_outcome");
        assert!(
            !render(&app, 120, 40).contains(&format!("{outcome_label} ")),
            "{}",
            render(&app, 120, 40)
        );
        choose_status(&mut app, CaseStatus::Resolved);
        press(&mut app, KeyCode::Tab);
        choose_status_outcome(&mut app, Outcome::Recovered);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "8000");
        snap(&format!("status_resolve_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert!(!app.cases.dialog_open(), "{}", render(&app, 120, 40));
        let case = app.store.case(id).unwrap().unwrap();
        assert_eq!(case.status, CaseStatus::Resolved);
        assert_eq!(case.outcome, Some(Outcome::Recovered));
        assert_eq!(case.recovered, Fen(800_000));
        let screen = render(&app, 120, 40);
        assert!(screen.contains("¥8,000.00"), "{screen}");
        assert!(screen.contains(Outcome::Recovered.label(lang)), "{screen}");
        // The timeline has the change.
        assert!(
            screen.contains(&format!("→ {}", CaseStatus::Resolved.label(lang))),
            "{screen}"
        );
        if lang == Lang::ZhCn {
            snap("detail_resolved_ZhCn", &app);
        }
    }
}

fn choose_status_outcome(app: &mut App, o: Outcome) {
    let label = o.label(app.lang);
    for _ in 0..6 {
        if render(app, 120, 40).contains(&format!("‹ {label} ›")) {
            return;
        }
        press(app, KeyCode::Right);
    }
    panic!("outcome {label} not offered");
}

#[test]
fn a_bad_recovered_amount_is_refused_next_to_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let id = case_in(&app, CaseStatus::InProgress);
    jump_to(&mut app, id);
    type_text(&mut app, "s");
    choose_status(&mut app, CaseStatus::Resolved);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "-5");
    press(&mut app, KeyCode::Enter);
    assert!(app.cases.dialog_open());
    let why = waystation::i18n::Localized::localized(&Fen::parse("-5").unwrap_err(), Lang::ZhCn);
    assert!(shows(&app, &why), "{}", render(&app, 120, 40));
    assert!(shows(&app, "-5"));
    assert_eq!(
        app.store.case(id).unwrap().unwrap().status,
        CaseStatus::InProgress
    );
}

/// The status dialog offers only the moves the workflow allows: a
/// concluded case can only be reopened. The timeline of the reopening
/// shows only what changed: no "reason closed → (cleared)" on a resolved
/// case.
#[test]
fn a_concluded_case_is_offered_only_reopening() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        let id = case_in(&app, CaseStatus::Resolved);
        jump_to(&mut app, id);
        type_text(&mut app, "s");
        assert!(app.cases.dialog_open());
        let reopen = format!("‹ {} ›", CaseStatus::InProgress.label(lang));
        for _ in 0..CaseStatus::ALL.len() {
            let screen = render(&app, 120, 40);
            assert!(screen.contains(&reopen), "{screen}");
            press(&mut app, KeyCode::Right);
        }
        for other in [CaseStatus::New, CaseStatus::Waiting, CaseStatus::Closed] {
            assert!(
                !shows(&app, &format!("‹ {} ›", other.label(lang))),
                "{other:?}"
            );
        }
        snap(&format!("status_reopen_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert!(!app.cases.dialog_open(), "{}", render(&app, 120, 40));
        assert_eq!(
            app.store.case(id).unwrap().unwrap().status,
            CaseStatus::InProgress
        );
        // The timeline shows what changed: the status and the outcome
        // cleared; not the reason closed, which was never set (the store
        // clears it too, to keep replicas consistent, but it was empty).
        let outcome = waystation::i18n::catalogue::text(lang, "cases.d_outcome");
        assert!(
            shows(&app, &format!("{outcome} →")),
            "{}",
            render(&app, 120, 40)
        );
        let reason = waystation::i18n::catalogue::text(lang, "cases.d_close_reason");
        assert!(
            !shows(&app, &format!("{reason} →")),
            "{}",
            render(&app, 120, 40)
        );
    }
}

#[test]
fn closing_asks_for_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    let id = case_in(&app, CaseStatus::Waiting);
    jump_to(&mut app, id);
    type_text(&mut app, "s");
    choose_status(&mut app, CaseStatus::Closed);
    assert!(shows(&app, "Reason closed"));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // not pursued
    press(&mut app, KeyCode::Enter);
    let case = app.store.case(id).unwrap().unwrap();
    assert_eq!(case.status, CaseStatus::Closed);
    assert_eq!(
        case.close_reason,
        Some(waystation::domain::case::CloseReason::NotPursued)
    );
}

#[test]
fn note_follow_up_handler_referral_and_claimants_from_the_detail() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let people = register_group(&mut app);
    let id = case_in(&app, CaseStatus::InProgress);
    jump_to(&mut app, id);

    type_text(&mut app, "a");
    type_text(&mut app, "已电话联系用人单位");
    press(&mut app, KeyCode::Enter);
    assert!(
        shows(&app, "备注：已电话联系用人单位"),
        "{}",
        render(&app, 120, 40)
    );

    type_text(&mut app, "f");
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026/12/01");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.store.case(id).unwrap().unwrap().follow_up,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
    );

    type_text(&mut app, "f");
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "下周");
    press(&mut app, KeyCode::Enter);
    assert!(app.cases.dialog_open(), "a bad date is refused");
    assert!(shows(&app, "下周"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(!app.cases.dialog_open());

    type_text(&mut app, "h");
    let before = app.store.case(id).unwrap().unwrap().handler;
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    let after = app.store.case(id).unwrap().unwrap().handler;
    assert_ne!(before, after);

    type_text(&mut app, "r");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // the second kind of body: a court
    send(&mut app, ctrl('s'));
    assert_eq!(
        app.store.case(id).unwrap().unwrap().referral,
        Some(waystation::domain::case::Referral::Court)
    );
    let handoffs = app.store.handoffs_of(id).unwrap();
    assert_eq!(handoffs.len(), 1, "the referral is a record of its own");
    assert_eq!(
        handoffs[0].status,
        waystation::domain::handoff::HandoffStatus::Sent
    );

    let n = app.store.claimants(id).unwrap().len();
    type_text(&mut app, "c");
    pick(&mut app, GROUP[0].1);
    assert!(app.cases.dialog_open(), "stays open for more");
    pick(&mut app, GROUP[1].1);
    press(&mut app, KeyCode::Esc);
    let now: Vec<PersonId> = app
        .store
        .claimants(id)
        .unwrap()
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(now.len(), n + 2);
    assert!(now.contains(&people[0]) && now.contains(&people[1]));

    type_text(&mut app, "x");
    let victim = app.store.claimants(id).unwrap()[0].0;
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "y");
    assert_eq!(app.store.claimants(id).unwrap().len(), n + 1);
    assert!(
        !app.store
            .claimants(id)
            .unwrap()
            .iter()
            .any(|(p, _)| *p == victim)
    );

    type_text(&mut app, "m");
    press(&mut app, KeyCode::Tab);
    for _ in 0..15 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "300");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.case(id).unwrap().unwrap().recovered, Fen(30_000));

    // Every change is in the timeline.
    let screen = render(&app, 120, 40);
    for want in [
        "追回金额 → ¥300.00",
        "移除申请人",
        "加入申请人",
        "转介外部机构：人民法院",
        "经办人 →",
        "下次回访 → 2026-12-01",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
}

#[test]
fn the_last_claimant_cannot_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    let id = app
        .cases
        .rows()
        .iter()
        .find(|r| r.claimants == 1)
        .map(|r| r.id)
        .expect("a case with one claimant");
    jump_to(&mut app, id);
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    assert!(app.cases.dialog_open());
    assert!(
        shows(&app, "a case needs at least one claimant"),
        "{}",
        render(&app, 120, 40)
    );
    assert_eq!(app.store.claimants(id).unwrap().len(), 1);
}

#[test]
fn every_key_of_the_pane_is_in_the_help_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    type_text(&mut app, "?");
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    let mut text = String::new();
    for _ in 0..30 {
        text.push_str(&render(&app, 120, 40));
        press(&mut app, KeyCode::PageDown);
    }
    for want in [
        "Case queue",
        "Status filter",
        "Case detail",
        "Change status",
        "Drop the last claimant added",
        "Confirming a removal",
        "Removing a claimant",
    ] {
        assert!(text.contains(want), "{want}");
    }
}

#[test]
fn every_dialog_of_the_detail() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        let id = app
            .cases
            .rows()
            .iter()
            .find(|r| r.claimants > 1)
            .map(|r| r.id)
            .expect("a group case");
        jump_to(&mut app, id);
        for (key, name) in [
            ("s", "status"),
            ("a", "note"),
            ("f", "follow_up"),
            ("h", "assign"),
            ("r", "refer"),
            ("m", "amounts"),
            ("e", "respondent"),
            ("c", "add_claimant"),
            ("x", "remove_claimant"),
        ] {
            type_text(&mut app, key);
            assert!(app.cases.dialog_open(), "{key}");
            if key == "c" {
                type_text(&mut app, "欧阳测");
                assert!(shows(&app, GROUP[0].0));
            }
            snap(&format!("dialog_{name}_{lang:?}"), &app);
            if key == "x" {
                // Enter asks before removing; n goes back to the list.
                press(&mut app, KeyCode::Down);
                press(&mut app, KeyCode::Enter);
                snap(&format!("dialog_remove_ask_{lang:?}"), &app);
                type_text(&mut app, "n");
                assert!(app.cases.dialog_open());
            }
            press(&mut app, KeyCode::Esc);
            if app.cases.dialog_open() {
                press(&mut app, KeyCode::Esc);
            }
            assert!(!app.cases.dialog_open(), "{key}");
        }
        assert_eq!(
            app.cases.shown_case(),
            Some(id),
            "Esc closes the dialog, not the case"
        );
    }
}

#[test]
fn a_large_group_lists_its_claimants_in_the_detail() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        let row = app
            .cases
            .rows()
            .iter()
            .max_by_key(|r| r.claimants)
            .cloned()
            .expect("a case");
        assert!(row.claimants >= 20, "the fixture has a large group");
        jump_to(&mut app, row.id);
        let screen = render(&app, 120, 40);
        let first = row.first_claimant.clone().unwrap_or_default();
        assert!(screen.contains(&first), "{screen}");
        snap(&format!("detail_group_{lang:?}"), &app);
        // Scrolling the timeline moves it.
        let before = render(&app, 80, 24);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        assert_ne!(before, render(&app, 80, 24));
        press(&mut app, KeyCode::Home);
        assert_eq!(before, render(&app, 80, 24));
    }
}

#[test]
fn a_claimant_typed_but_not_added_is_not_dropped_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    register_group(&mut app);
    new_form_with_group(&mut app);
    type_text(&mut app, "欧阳");
    send(&mut app, ctrl('s'));
    assert!(app.cases.form_open());
    assert!(
        shows(&app, "Something is typed in Claimants"),
        "{}",
        render(&app, 120, 40)
    );
    assert!(shows(&app, "欧阳"));
    assert!(shows(&app, "3 added"));
}

/// A queue longer than the screen scrolls to keep the selected row in
/// view, at both sizes.
#[test]
fn the_selected_row_stays_on_screen_in_a_long_queue() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    type_text(&mut app, "s"); // all statuses: more rows than fit
    let rows = app.cases.rows().len();
    assert!(
        rows > 40,
        "the fixture should fill more than a screen: {rows}"
    );
    let first = app.cases.rows()[0].number.to_string();
    let last = app.cases.rows()[rows - 1].number.to_string();
    for (w, h) in [(80, 24), (120, 40)] {
        assert!(!render(&app, w, h).contains(&last));
    }
    press(&mut app, KeyCode::End);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, w, h);
        assert!(screen.contains(&format!("▶ {last}")), "{screen}");
        assert!(!screen.contains(&first), "{screen}");
    }
    press(&mut app, KeyCode::Home);
    assert!(render(&app, 80, 24).contains(&format!("▶ {first}")));
}

/// Removing a claimant asks first: only y removes; n or Esc keep them.
#[test]
fn removing_a_claimant_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let id = app
        .cases
        .rows()
        .iter()
        .find(|r| r.claimants > 1)
        .map(|r| r.id)
        .expect("a group case");
    jump_to(&mut app, id);
    let before = app.store.claimants(id).unwrap();
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    let ask = waystation::i18n::catalogue::fill(
        waystation::i18n::catalogue::text(Lang::ZhCn, "cases.dlg_remove_ask"),
        &[("name", &before[0].1)],
    );
    assert!(shows(&app, &ask), "{}", render(&app, 120, 40));
    assert_eq!(app.store.claimants(id).unwrap(), before, "not yet");
    press(&mut app, KeyCode::Esc); // no: back to the list
    assert!(app.cases.dialog_open());
    assert!(!shows(&app, &ask));
    assert_eq!(app.store.claimants(id).unwrap(), before);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "n");
    assert_eq!(app.store.claimants(id).unwrap(), before);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "y");
    assert!(!app.cases.dialog_open());
    let after = app.store.claimants(id).unwrap();
    assert_eq!(after.len(), before.len() - 1);
    assert!(!after.contains(&before[0]));
}

/// More recovered than claimed is accepted, with a warning in the dialog
/// before saving.
#[test]
fn recovering_more_than_claimed_warns_but_saves() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        let id = open_group_case(&mut app); // claims ¥12,000
        type_text(&mut app, "m");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "20000");
        let warning = waystation::i18n::catalogue::fill(
            waystation::i18n::catalogue::text(lang, "cases.warn_recovered_more"),
            &[("recovered", &"¥20,000.00"), ("claimed", &"¥12,000.00")],
        );
        let start: String = warning.chars().take(30).collect();
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&app, w, h);
            assert!(screen.contains(&start), "{start}\n{screen}");
        }
        snap(&format!("dialog_amounts_warning_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert!(!app.cases.dialog_open());
        assert_eq!(
            app.store.case(id).unwrap().unwrap().recovered,
            Fen(2_000_000)
        );

        // The same when resolving.
        type_text(&mut app, "s");
        choose_status(&mut app, CaseStatus::Resolved);
        assert!(shows(&app, &start), "{}", render(&app, 120, 40));
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        for _ in 0..12 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "12000");
        assert!(!shows(&app, &start), "{}", render(&app, 120, 40));
    }
}

/// The "opened" entry of the timeline says what the case was opened with.
#[test]
fn the_opening_shows_handler_follow_up_and_amount() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        register_group(&mut app);
        let id = open_group_case(&mut app);
        let case = app.store.case(id).unwrap().unwrap();
        let handler = app
            .store
            .staff()
            .unwrap()
            .into_iter()
            .find(|s| Some(s.id) == case.handler)
            .expect("a handler")
            .name;
        let opened = waystation::i18n::catalogue::text(lang, "cases.ev_opened");
        let screen = render(&app, 120, 40);
        let line = screen
            .lines()
            .find(|l| l.contains(opened) && l.contains("2026-11-27"))
            .unwrap_or_else(|| panic!("{screen}"));
        assert!(line.contains(&handler), "{line}");
        assert!(line.contains("¥12,000.00"), "{line}");
        snap(&format!("detail_new_case_{lang:?}"), &app);
    }
}

/// In English, names are joined with commas, and the queue's type column
/// shows short labels whole at 80 columns.
#[test]
fn english_lists_use_commas_and_short_type_labels() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    let screen = render(&app, 80, 24);
    for cut in ["Wage ar…", "Hardshi…", "Labour-…", "Emergen…"] {
        assert!(!screen.contains(cut), "{cut}\n{screen}");
    }
    assert!(screen.contains(" Wages "), "{screen}");
    assert!(render(&app, 120, 40).contains("Wage arrears"));
    register_group(&mut app);
    open_group_case(&mut app);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("Claimants (3): 欧阳测甲, 欧阳测乙, 欧阳测丙"),
        "{screen}"
    );
    assert!(!screen.contains('、'), "{screen}");
}

/// An empty queue keeps its headings over their columns.
#[test]
fn an_empty_queue_keeps_the_heading_indent() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        let full = render(&app, 80, 24);
        type_text(&mut app, "s");
        type_text(&mut app, "s"); // new only: the fixture has none
        assert!(app.cases.rows().is_empty());
        let empty = render(&app, 80, 24);
        let heading = |s: &str| s.lines().nth(4).unwrap_or("").to_owned();
        assert_eq!(heading(&full), heading(&empty), "{empty}");
        assert!(heading(&empty).starts_with("  "), "{empty}");
        snap(&format!("list_empty_{lang:?}"), &app);
    }
}

/// Long texts wrap at 80×24: every claimant of a large group, the whole
/// summary and whole notes can be read by scrolling, and the end of the
/// detail does not scroll away into blank space.
#[test]
fn long_texts_wrap_and_the_detail_scrolls_to_its_end() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        let row = app
            .cases
            .rows()
            .iter()
            .max_by_key(|r| r.claimants)
            .cloned()
            .expect("a case");
        let id = row.id;
        // Forty more claimants with long names.
        let mut w = app.store.begin(None).unwrap();
        for i in 0..40 {
            let p = w
                .add_person(&PersonDetails {
                    name: format!("司马测试长名{i:02}"),
                    mobile: Some(Mobile::parse(&format!("1370000{i:04}")).unwrap()),
                    resident_id: None,
                    trade: Trade::Courier,
                    employer: None,
                    union_member: false,
                    union_joined: None,
                })
                .unwrap();
            w.add_claimant(id, p).unwrap();
        }
        let long_note = format!(
            "{}END-OF-NOTE",
            "对方同意分三期支付拖欠工资，第一期在月底前到账，驿站将继续跟进。".repeat(8)
        );
        w.add_note(id, &long_note).unwrap();
        w.commit().unwrap();
        jump_to(&mut app, id);
        let summary = app
            .store
            .case(id)
            .unwrap()
            .unwrap()
            .summary
            .unwrap_or_default();
        let summary_tail: String = summary
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let names: Vec<String> = app
            .store
            .claimants(id)
            .unwrap()
            .into_iter()
            .map(|c| c.1)
            .collect();
        assert!(names.len() >= 60);

        // Everything shows somewhere from the top to the end.
        let mut seen = String::new();
        let mut last = String::new();
        for _ in 0..200 {
            let screen = render(&app, 80, 24);
            if screen == last {
                break;
            }
            seen.push_str(&screen);
            last = screen;
            press(&mut app, KeyCode::Down);
        }
        assert!(!seen.contains("…等共"), "no claimant is left out");
        for n in &names {
            assert!(seen.contains(n.as_str()), "{n}");
        }
        assert!(seen.contains(&summary_tail), "{summary_tail}");
        assert!(seen.contains("END-OF-NOTE"));
        // At the end, the oldest entry sits at the bottom: no blank rows.
        press(&mut app, KeyCode::End);
        let end = render(&app, 80, 24);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::PageDown);
        assert_eq!(end, render(&app, 80, 24), "nothing past the end");
        let opened = waystation::i18n::catalogue::text(lang, "cases.ev_opened");
        let rows: Vec<&str> = end.lines().collect();
        let at = rows
            .iter()
            .rposition(|l| l.contains(opened))
            .unwrap_or_else(|| panic!("{end}"));
        assert!(
            rows[at + 1..rows.len() - 2]
                .iter()
                .all(|l| !l.trim().is_empty())
                || at + 3 >= rows.len(),
            "{end}"
        );
        assert!(
            end.lines().filter(|l| l.trim().is_empty()).count() <= 1,
            "{end}"
        );
        snap(&format!("detail_long_end_{lang:?}"), &app);
        press(&mut app, KeyCode::Home);
        snap(&format!("detail_long_top_{lang:?}"), &app);
    }
}

/// Hardship assistance is opened with its kind (medical, education …),
/// chosen in the type field.
#[test]
fn a_hardship_case_is_opened_with_its_kind() {
    use waystation::domain::case::HardshipKind;
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::En);
    register_group(&mut app);
    type_text(&mut app, "n");
    let want = format!(
        "‹ {} · {} ›",
        CaseType::Hardship.label(Lang::En),
        HardshipKind::Medical.label(Lang::En)
    );
    let mut found = false;
    for _ in 0..20 {
        if render(&app, 120, 40).contains(&want) {
            found = true;
            break;
        }
        press(&mut app, KeyCode::Right);
    }
    assert!(found, "{}", render(&app, 120, 40));
    press(&mut app, KeyCode::Tab);
    pick(&mut app, GROUP[0].1);
    send(&mut app, ctrl('s'));
    assert!(!app.cases.form_open(), "{}", render(&app, 120, 40));
    slip_away(&mut app);
    let id = app.cases.shown_case().expect("the new case is shown");
    let case = app.store.case(id).unwrap().unwrap();
    assert_eq!(case.case_type, CaseType::Hardship);
    assert_eq!(case.hardship_kind, Some(HardshipKind::Medical));
}

/// A resolved case's follow-up (a call after the payment) is a date, not
/// work that is due: no "(today)" mark.
#[test]
fn a_concluded_case_shows_its_follow_up_as_a_date_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let id = case_in(&app, CaseStatus::Resolved);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    app.store
        .write(|w| w.set_follow_up(id, Some(today)))
        .unwrap();
    jump_to(&mut app, id);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("2026-11-20"), "{screen}");
    assert!(!screen.contains("2026-11-20（今天）"), "{screen}");
    // An open case due today keeps the mark.
    let open = case_in(&app, CaseStatus::InProgress);
    app.store
        .write(|w| w.set_follow_up(open, Some(today)))
        .unwrap();
    jump_to(&mut app, open);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("2026-11-20（今天）"), "{screen}");
}

/// A respondent of 40 characters.
const LONG_RESPONDENT: &str =
    "深圳市福田区某某建筑劳务分包有限公司华强北第三工程项目部施工班组一二三四五六七八";

#[test]
fn a_long_respondent_is_shown_whole_where_there_is_room() {
    assert_eq!(LONG_RESPONDENT.chars().count(), 40);
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    register_group(&mut app);
    new_form_with_group(&mut app);
    press(&mut app, KeyCode::Enter); // empty picker → respondent
    type_text(&mut app, LONG_RESPONDENT);
    press(&mut app, KeyCode::Enter);
    // Off the field: the whole name at 120 columns, its start at 80.
    assert!(
        render(&app, 120, 40).contains(LONG_RESPONDENT),
        "{}",
        render(&app, 120, 40)
    );
    let start: String = LONG_RESPONDENT.chars().take(12).collect();
    assert!(
        render(&app, 80, 24).contains(&start),
        "{}",
        render(&app, 80, 24)
    );
    // The summary wraps what is typed in a box of several lines.
    type_text(&mut app, "1.2万");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let summary =
        "三个月工资未发，老板联系不上，工地已停工，十二名工人在驿站等候，需要尽快联系劳动监察大队";
    type_text(&mut app, summary);
    assert_whole(&app, summary);
    press(&mut app, KeyCode::Enter); // Enter on the last field saves
    assert!(!app.cases.form_open(), "{}", render(&app, 120, 40));
    slip_away(&mut app);
    let id = app.cases.shown_case().expect("the new case is shown");
    let case = app.store.case(id).unwrap().unwrap();
    assert_eq!(case.respondent.as_deref(), Some(LONG_RESPONDENT));
    assert_eq!(case.summary.as_deref(), Some(summary));
    // The detail wraps it.
    assert_whole(&app, LONG_RESPONDENT);
}

/// At 80 columns the queue shows what was recovered beside what was
/// claimed (主张/追回).
#[test]
fn the_queue_at_80_columns_shows_claimed_and_recovered() {
    use waystation::domain::money::Fen;
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let id = case_in(&app, CaseStatus::InProgress);
    app.store
        .write(|w| w.set_amounts(id, Fen(11_050_000), Fen(8_000_000)))
        .unwrap();
    app.load();
    let screen = render(&app, 80, 24);
    assert!(screen.contains("110,500/80,000"), "{screen}");
}
