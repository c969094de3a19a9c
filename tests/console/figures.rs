//! The figures pane (F4): the first frame before the figures, the period
//! keys and the from–to dialog, the station selector of a database that
//! holds several stations, and the records behind a figure (cases in the
//! F2 queue, visits and sessions listed in the pane).

use crate::common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::dates::Period;
use waystation::i18n::Lang;
use waystation::store::Store;
use waystation::store::figures::CaseFigure;
use waystation::store::figures::records::VisitFilter;
use waystation::sync::session;
use waystation::tui::action::PaneId;
use waystation::tui::app::App;
use waystation::tui::panes::figures::rows::{Section, Target};
use waystation::tui::panes::figures::{Dialog, Listed};

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Polls the app as the loop does until the figures are counted (bounded).
fn settle(app: &mut App) {
    let start = Instant::now();
    while app.busy() {
        app.poll_work();
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the figures were not counted:\n{}",
            render(app, 120, 40)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// F4, the figures counted.
fn figures_app(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = fixture_app(dir, lang);
    press(&mut app, KeyCode::F(4));
    settle(&mut app);
    app
}

/// Selects the row of `section` whose target is `target`.
fn select(app: &mut App, section: Section, target: Target) {
    while app.figures.section != section {
        press(app, KeyCode::Tab);
    }
    let items = app.figures.items(app.lang);
    let at = items
        .iter()
        .position(|i| i.target == Some(target))
        .unwrap_or_else(|| panic!("no row for {target:?}"));
    press(app, KeyCode::Home);
    for _ in 0..items[..at].iter().filter(|i| i.selectable()).count() {
        press(app, KeyCode::Down);
    }
    assert_eq!(app.figures.selected, at);
}

#[test]
fn the_first_frame_comes_before_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::F(4));
    // Counting on its own connection: the pane is drawn meanwhile.
    assert!(app.figures.counting());
    let first = render(&app, 80, 24);
    assert!(first.contains("正在统计"), "{first}");
    settle(&mut app);
    let shown = app.figures.current().expect("figures").clone();
    assert_eq!((shown.from, shown.to), (day(11, 1), day(11, 30)));
    let store = fixture_store(&tempfile::tempdir().unwrap());
    let expected = store
        .figures_on(day(11, 1), day(11, 30), shown.station, fixture_day())
        .unwrap();
    assert_eq!(shown, expected);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains(&format!("{} 人次", expected.visits.headcount)),
        "{screen}"
    );
    assert!(!screen.contains("正在统计"), "{screen}");
}

#[test]
fn each_section_in_both_languages() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = figures_app(&dir, lang);
        let tag = if lang == Lang::En { "en" } else { "zh" };
        snap(&format!("figures_visits_{tag}"), &app);
        press(&mut app, KeyCode::Tab);
        snap(&format!("figures_cases_{tag}"), &app);
        press(&mut app, KeyCode::Tab);
        snap(&format!("figures_counselling_{tag}"), &app);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.figures.section, Section::Visits);
    }
}

#[test]
fn period_keys_count_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = figures_app(&dir, Lang::En);
    let period = |app: &App| {
        let f = app.figures.current().expect("figures of the period shown");
        (f.from, f.to)
    };
    for (key, expected) in [
        ('l', (day(10, 1), day(10, 31))),
        ('y', (day(1, 1), day(12, 31))),
        ('d', (day(11, 20), day(11, 20))),
        ('w', (day(11, 16), day(11, 22))),
        ('m', (day(11, 1), day(11, 30))),
    ] {
        press(&mut app, KeyCode::Char(key));
        settle(&mut app);
        assert_eq!(period(&app), expected, "key {key}");
    }
    press(&mut app, KeyCode::Left);
    settle(&mut app);
    assert_eq!(period(&app), (day(10, 1), day(10, 31)));
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    settle(&mut app);
    assert_eq!(period(&app), (day(11, 1), day(11, 30)));
}

#[test]
fn a_bad_date_is_refused_beside_the_field_and_what_was_typed_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = figures_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::Char('r'));
    assert!(matches!(app.figures.dialog, Some(Dialog::Range(_))));
    // Clear the From field and type a month that does not exist.
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-13-01");
    press(&mut app, KeyCode::Enter);
    let Some(Dialog::Range(form)) = &app.figures.dialog else {
        panic!("the dialog closed:\n{}", render(&app, 80, 24));
    };
    assert_eq!(form.field(0).text_value(), "2026-13-01");
    assert!(form.field(0).error.as_deref().unwrap().contains("13"));
    snap("figures_range_refused_zh", &app);
    // An end before the start is refused on the end.
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "11-10");
    press(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "11-05");
    press(&mut app, KeyCode::Enter);
    let Some(Dialog::Range(form)) = &app.figures.dialog else {
        panic!("the dialog closed");
    };
    assert!(form.field(1).error.is_some());
    assert!(form.field(0).error.is_none());
    // A whole period in From, the end left empty: that period.
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    press(&mut app, KeyCode::BackTab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "上月");
    press(&mut app, KeyCode::Enter);
    assert!(app.figures.dialog.is_none());
    assert_eq!(
        app.figures.period,
        Period::new(day(10, 1), day(10, 31)).unwrap()
    );
    settle(&mut app);
    assert!(app.figures.current().is_some());
    // A typed range that is no named period is said once, by its days.
    press(&mut app, KeyCode::Char('r'));
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "11-19");
    press(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "11-20");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let screen = render(&app, 80, 24);
    let top = screen.lines().nth(2).unwrap();
    assert!(
        top.contains("期间 2026-11-19 至 2026-11-20  站点"),
        "{screen}"
    );
    assert!(!top.contains(".."), "{screen}");
}

#[test]
fn a_case_figure_opens_the_queue_with_exactly_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = figures_app(&dir, Lang::ZhCn);
    let f = app.figures.current().unwrap().clone();
    select(
        &mut app,
        Section::Cases,
        Target::Cases(CaseFigure::OpenAtEnd, None),
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.pane, PaneId::Cases);
    let expected = app
        .store
        .cases_for(&f, CaseFigure::OpenAtEnd, None)
        .unwrap();
    assert_eq!(expected.len() as u64, f.cases.open_at_end);
    assert!(!expected.is_empty());
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains(&format!("本月 · 期末未结（{} 件）", expected.len())),
        "{screen}"
    );
    snap("figures_cases_behind_zh", &app);
    // x goes back to the queue.
    press(&mut app, KeyCode::Char('x'));
    assert!(!render(&app, 120, 40).contains("期末未结（"));
}

#[test]
fn a_visit_figure_lists_its_visits_and_opens_a_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = figures_app(&dir, Lang::En);
    let f = app.figures.current().unwrap().clone();
    select(
        &mut app,
        Section::Visits,
        Target::Visits(VisitFilter::Named),
    );
    press(&mut app, KeyCode::Enter);
    let Some(Dialog::Records { listed, .. }) = &app.figures.dialog else {
        panic!("no list:\n{}", render(&app, 120, 40));
    };
    let Listed::Visits(page) = listed else {
        panic!("not visits")
    };
    // A named visit counts one person.
    assert_eq!(page.total, f.visits.named);
    assert!(page.rows.iter().all(|r| r.person.is_some()));
    assert!(
        page.rows
            .windows(2)
            .all(|w| w[0].arrived_at >= w[1].arrived_at)
    );
    snap("figures_visits_behind_en", &app);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.pane, PaneId::Checkin);
}

/// A count taken back in F1 is in neither the figures nor the records
/// behind them, nor their total.
#[test]
fn an_undone_count_is_not_in_the_records_behind_a_figure() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "t888u");
    press(&mut app, KeyCode::F(4));
    settle(&mut app);
    type_text(&mut app, "d");
    settle(&mut app);
    let f = app.figures.current().unwrap().clone();
    select(
        &mut app,
        Section::Visits,
        Target::Visits(VisitFilter::Anonymous),
    );
    press(&mut app, KeyCode::Enter);
    let Some(Dialog::Records { listed, .. }) = &app.figures.dialog else {
        panic!("no list:\n{}", render(&app, 120, 40));
    };
    let Listed::Visits(page) = listed else {
        panic!("not visits")
    };
    assert_eq!(page.total as usize, page.rows.len(), "one page");
    assert!(page.rows.iter().all(|r| r.headcount > 0));
    let security = page
        .rows
        .iter()
        .filter(|r| r.trade == Some(waystation::domain::person::Trade::Security))
        .count();
    assert!(security >= 2, "the two counts kept are listed");
    let listed: u64 = page.rows.iter().map(|r| u64::from(r.headcount)).sum();
    assert_eq!(listed, f.visits.anonymous);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, w, h);
        assert!(!screen.contains("×0"), "{screen}");
    }
}

#[test]
fn session_lists_never_show_notes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    // A note written on every session of the month.
    let n = rusqlite::Connection::open(fixture_path(&dir))
        .unwrap()
        .execute(
            "UPDATE appointments SET notes = '机密笔记' WHERE date >= '2026-11-01'",
            [],
        )
        .unwrap();
    assert!(n > 0);
    press(&mut app, KeyCode::F(4));
    settle(&mut app);
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.figures.dialog, Some(Dialog::Records { .. })));
    for (w, h) in [(80, 24), (120, 40)] {
        assert!(!render(&app, w, h).contains("机密笔记"));
    }
}

/// The fixture's station (FT) with another, NS, learned by sync: three
/// anonymous tallies of two couriers each there; F4 shown, counted.
fn district_app(dir: &tempfile::TempDir, lang: Lang) -> App {
    let folder = dir.path().join("usb");
    std::fs::create_dir_all(&folder).unwrap();
    let pass = "figures 2026";
    // Another station with a few visits of its own, learned by sync.
    let mut ns = Store::open(&dir.path().join("NS.db")).unwrap();
    ns.set_clock(fixture_millis);
    ns.init_station("NS", "南山驿站", "Asia/Shanghai").unwrap();
    for _ in 0..3 {
        let mut w = ns.begin(None).unwrap();
        w.tally(waystation::domain::person::Trade::Courier, 2, fixture_now())
            .unwrap();
        w.commit().unwrap();
    }
    common::create_network(&mut ns, &folder, pass);
    session::run(&mut ns, &folder, Some(pass), None, &mut |_, _, _| {}).unwrap();
    let mut ft = fixture_store(dir);
    session::run(&mut ft, &folder, Some(pass), None, &mut |_, _, _| {}).unwrap();
    drop(ft);

    let mut app = App::new(fixture_store_kept(dir), lang, fixture_now);
    app.db = Some(waystation::store::DbFile::clear(fixture_path(dir)));
    app.store_clock = Some(fixture_millis);
    sign_in_as_role(&mut app, Role::Admin);
    app.load();
    press(&mut app, KeyCode::F(4));
    settle(&mut app);
    app
}

#[test]
fn a_district_database_chooses_its_station() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = district_app(&dir, Lang::ZhCn);
    // The station's own figures first.
    let own = app.store.station().unwrap().unwrap();
    assert_eq!(app.figures.station, Some(own.id));
    press(&mut app, KeyCode::Char('t'));
    assert!(matches!(app.figures.dialog, Some(Dialog::Stations { .. })));
    snap("figures_stations_zh", &app);
    type_text(&mut app, "ns");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let f = app.figures.current().unwrap();
    assert_eq!(f.visits.headcount, 6);
    assert_eq!(f.visits.anonymous, 6);
    // All stations: the sum.
    press(&mut app, KeyCode::Char('t'));
    for _ in 0..3 {
        press(&mut app, KeyCode::Up);
    }
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(app.figures.station, None);
    let all = app.figures.current().unwrap().visits.headcount;
    let own_only = app
        .store
        .figures_on(day(11, 1), day(11, 30), Some(own.id), fixture_day())
        .unwrap()
        .visits
        .headcount;
    assert_eq!(all, own_only + 6);
    assert!(render(&app, 80, 24).contains("全部站点（2 个）"));
    // The choice is remembered by the database.
    let mut again = App::new(fixture_store_kept(&dir), Lang::ZhCn, fixture_now);
    again.db = Some(waystation::store::DbFile::clear(fixture_path(&dir)));
    sign_in_as_role(&mut again, Role::Admin);
    again.load();
    press(&mut again, KeyCode::F(4));
    settle(&mut again);
    assert_eq!(again.figures.station, None);
}

/// All stations: the distinct workers of each, each line listing its
/// station's visits.
#[test]
fn all_stations_show_the_workers_of_each_station() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = district_app(&dir, lang);
        // Only one station: no breakdown by station.
        let heading = match lang {
            Lang::ZhCn => "服务人数（去重）按站点",
            Lang::En => "Workers (each once) by station",
        };
        assert!(!app.figures.items(lang).iter().any(|i| i.label == heading));
        press(&mut app, KeyCode::Char('t'));
        for _ in 0..3 {
            press(&mut app, KeyCode::Up);
        }
        press(&mut app, KeyCode::Enter);
        settle(&mut app);
        assert_eq!(app.figures.station, None);
        let f = app.figures.current().unwrap().clone();
        let own = app.store.station().unwrap().unwrap();
        let own_only = app
            .store
            .figures_on(day(11, 1), day(11, 30), Some(own.id), fixture_day())
            .unwrap();
        let lines: Vec<(&str, u64)> = f
            .visits
            .workers_by_station
            .iter()
            .map(|(s, n)| (s.code.as_str(), *n))
            .collect();
        // NS counted couriers, no one by name.
        assert_eq!(lines, [("FT", own_only.visits.workers), ("NS", 0)]);
        assert!(own_only.visits.workers > 0);
        let ns = f.visits.workers_by_station[1].0.clone();
        let items = app.figures.items(lang);
        let at = items.iter().position(|i| i.label == heading).unwrap();
        assert_eq!(items[at + 1].label, format!("{} {}", own.code, own.name));
        assert_eq!(items[at + 2].label, "NS 南山驿站");
        assert_eq!(items[at + 2].value, "0");
        select(
            &mut app,
            Section::Visits,
            Target::Visits(VisitFilter::Station(ns.id)),
        );
        let tag = if lang == Lang::En { "en" } else { "zh" };
        snap(&format!("figures_workers_by_station_{tag}"), &app);
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&app, w, h);
            assert!(screen.contains(heading), "{screen}");
            assert!(screen.contains("NS 南山驿站"), "{screen}");
        }
        press(&mut app, KeyCode::Enter);
        let Some(Dialog::Records { listed, .. }) = &app.figures.dialog else {
            panic!("no list:\n{}", render(&app, 120, 40));
        };
        let Listed::Visits(page) = listed else {
            panic!("not visits")
        };
        // The station's visits: its three tallies.
        assert_eq!(page.total, 3);
        assert!(page.rows.iter().all(|r| r.station == "NS"));
    }
}

/// The fixture's copy in `dir` as it is now (not copied again).
fn fixture_store_kept(dir: &tempfile::TempDir) -> Store {
    let mut s = Store::open(&fixture_path(dir)).unwrap();
    s.set_clock(fixture_millis);
    s
}

#[test]
fn quitting_does_not_wait_for_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    press(&mut app, KeyCode::F(4));
    assert!(app.figures.counting());
    send(&mut app, ctrl('q'));
    assert!(app.quit, "asked:\n{}", render(&app, 80, 24));
}

/// The records behind a figure, left open while a count is made in F1,
/// show it when F4 is shown again.
#[test]
fn an_open_list_of_records_is_read_again_when_f4_is_shown_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::F(4));
    settle(&mut app);
    select(
        &mut app,
        Section::Visits,
        Target::Visits(VisitFilter::Anonymous),
    );
    press(&mut app, KeyCode::Enter);
    let total = |app: &App| match &app.figures.dialog {
        Some(Dialog::Records {
            listed: Listed::Visits(page),
            ..
        }) => page.total,
        _ => panic!("no list:\n{}", render(app, 120, 40)),
    };
    let before = total(&app);
    press(&mut app, KeyCode::F(1));
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "t8");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::F(4));
    settle(&mut app);
    assert_eq!(total(&app), before + 1, "{}", render(&app, 120, 40));
}
