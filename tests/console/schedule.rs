//! The schedule pane (F3): week and day views, booking through the keys
//! (and a taken slot refused), moving a session along, the next free slot,
//! the waitlist, and managing counsellors with their hours.

use crate::common;

use chrono::{NaiveDate, NaiveTime};
use common::console::*;
use ratatui::crossterm::event::{Event, KeyCode};
use waystation::domain::access::Act;
use waystation::domain::ids::{AppointmentId, CounsellorId, PersonId};
use waystation::domain::schedule::{AppointmentStatus, Recurrence, WeeksOfMonth};
use waystation::i18n::Lang;
use waystation::store::AuditAction;
use waystation::store::Hit;
use waystation::tui::app::App;
use waystation::tui::panes::Pane;
use waystation::tui::panes::schedule::{Dialog, Mode, ViewMode, Who};

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("schedule_{name}_{w}x{h}"), render(app, w, h));
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// The console on F3.
fn schedule(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = fixture_app(dir, lang);
    press(&mut app, KeyCode::F(3));
    assert!(app.schedule.dialog.is_none());
    app
}

/// The fixture's counsellor called `name`.
fn counsellor(app: &App, name: &str) -> CounsellorId {
    app.schedule
        .counsellors
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.id)
        .unwrap()
}

/// Picks a counsellor in the left column with the keys: Tab, ↑↓, Enter.
fn pick(app: &mut App, name: &str) {
    let id = counsellor(app, name);
    press(app, KeyCode::Tab);
    assert!(app.schedule.side_focus);
    press(app, KeyCode::Home);
    for _ in 0..12 {
        if app.schedule.who == Who::One(id) {
            break;
        }
        press(app, KeyCode::Down);
    }
    assert_eq!(app.schedule.who, Who::One(id));
    press(app, KeyCode::Enter);
    assert!(!app.schedule.side_focus);
}

/// The first person the lookup finds for `query`.
fn person(app: &App, query: &str) -> (PersonId, String) {
    match app.store.lookup(query, 5).unwrap().into_iter().next() {
        Some(Hit::Person(p)) => (p.id, p.name),
        other => panic!("no person for {query}: {other:?}"),
    }
}

/// Sessions of a counsellor on a day at `start` that hold their slot.
fn holding(
    app: &App,
    c: CounsellorId,
    date: NaiveDate,
    start: NaiveTime,
) -> Vec<(PersonId, AppointmentStatus)> {
    app.store
        .appointments_on(c, date)
        .unwrap()
        .into_iter()
        .filter(|a| a.start == start && a.status.holds_slot())
        .map(|a| (a.person, a.status))
        .collect()
}

#[test]
fn today_list_is_the_first_view() {
    let dir = tempfile::tempdir().unwrap();
    let app = schedule(&dir, Lang::En);
    assert_eq!(app.schedule.who, Who::All);
    assert_eq!(app.schedule.view, ViewMode::Day);
    assert_eq!(app.schedule.date, fixture_day());
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Everyone · 2026-11-20 Fri · today"),
        "{screen}"
    );
}

#[test]
fn week_and_day_views() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = schedule(&dir, lang);
        pick(&mut app, "赵毅文");
        type_text(&mut app, "w");
        assert_eq!(app.schedule.view, ViewMode::Week);
        // Saturday: the counsellor's morning.
        press(&mut app, KeyCode::Right);
        assert_eq!(app.schedule.date, d(2026, 11, 21));
        snap(&format!("week_{lang:?}"), &app);
        let screen = render(&app, 120, 40);
        assert!(screen.contains("2026-11-16 – 11-22"), "{screen}");
        type_text(&mut app, "d");
        assert_eq!(app.schedule.view, ViewMode::Day);
        snap(&format!("day_{lang:?}"), &app);
        // ← leaves the day; PgDn goes a week on, into another week.
        press(&mut app, KeyCode::PageDown);
        assert_eq!(app.schedule.date, d(2026, 11, 28));
        assert_eq!(app.schedule.week.monday, d(2026, 11, 23));
        press(&mut app, KeyCode::Char('t'));
        assert_eq!(app.schedule.date, fixture_day());
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.schedule.view, ViewMode::Week);
    }
}

#[test]
fn per_kind_week_shows_every_counsellor_of_the_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.schedule.who,
        Who::Kind(waystation::domain::schedule::CounsellorKind::Psychological)
    );
    type_text(&mut app, "w");
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("09:00 赵毅文") && screen.contains("14:00 王勇建"),
        "{screen}"
    );
    // Last week: done, no-show and past marks.
    press(&mut app, KeyCode::PageUp);
    snap("week_kind_last_ZhCn", &app);
    // Every name whole at 80 columns too: a counsellor's beside the time,
    // a visitor's after its mark.
    let narrow = render(&app, 80, 24);
    for name in [
        "09:00 赵毅文",
        "14:00 王勇建",
        "✓程磊喜",
        "✗吕卫涛",
        "✓吕毅鑫",
    ] {
        assert!(narrow.contains(name), "{name} cut:\n{narrow}");
    }
    assert!(!narrow.contains('…'), "{narrow}");
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("心理咨询（全部） · 2026-11-09 – 11-15"),
        "{screen}"
    );
    assert!(screen.contains("✓"), "{screen}");
    let grid: Vec<&str> = screen
        .lines()
        .filter_map(|l| l.split_once('│').map(|x| x.1))
        .collect();
    assert!(
        grid.iter().all(|l| !l.contains("余金")),
        "a lawyer in the psychological week: {screen}"
    );
}

#[test]
fn booking_through_the_keys_and_a_taken_slot_refused() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = schedule(&dir, lang);
        pick(&mut app, "赵毅文");
        let c = counsellor(&app, "赵毅文");
        type_text(&mut app, "w");
        type_text(&mut app, "n");
        let cell = app.schedule.selected().cloned().unwrap();
        assert!(cell.booked.is_none(), "n lands on a free slot");
        assert_eq!((cell.date, cell.slot.start), (d(2026, 11, 21), hm(9, 0)));
        type_text(&mut app, "b");
        assert!(matches!(app.schedule.dialog, Some(Dialog::Book(_))));
        type_text(&mut app, "wang");
        snap(&format!("booking_{lang:?}"), &app);
        let (who, name) = person(&app, "wang");
        press(&mut app, KeyCode::Enter);
        assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
        assert_eq!(
            holding(&app, c, cell.date, cell.slot.start),
            vec![(who, AppointmentStatus::Booked)]
        );
        let screen = render(&app, 120, 40);
        assert!(screen.contains(&name), "{screen}");

        // The same slot again: refused at once, and by the store on Enter;
        // the dialog stays with what was typed.
        type_text(&mut app, "b");
        let refusal = match lang {
            Lang::ZhCn => "这个时段已经有预约了",
            Lang::En => "this slot is already booked",
        };
        assert!(
            render(&app, 80, 24).contains(refusal),
            "{}",
            render(&app, 80, 24)
        );
        type_text(&mut app, "wang");
        press(&mut app, KeyCode::Enter);
        snap(&format!("taken_{lang:?}"), &app);
        let Some(Dialog::Book(b)) = &app.schedule.dialog else {
            panic!("the booking dialog closed")
        };
        assert_eq!(b.picker.query(), "wang");
        assert!(
            app.status
                .as_ref()
                .is_some_and(|s| s.error && s.text.contains(refusal)),
            "{:?}",
            app.status
        );
        assert_eq!(
            holding(&app, c, cell.date, cell.slot.start).len(),
            1,
            "never two in one slot"
        );
        press(&mut app, KeyCode::Esc);
        assert!(app.schedule.dialog.is_none());
    }
}

#[test]
fn booking_needs_a_person_and_a_slot() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::En);
    pick(&mut app, "赵毅文");
    type_text(&mut app, "w");
    // Today (Friday) has no slot for this counsellor.
    type_text(&mut app, "b");
    assert!(app.schedule.dialog.is_none());
    assert!(shows(&app, "No slot here"), "{}", render(&app, 120, 40));
    type_text(&mut app, "n");
    type_text(&mut app, "b");
    press(&mut app, KeyCode::Enter);
    assert!(app.schedule.dialog.is_some());
    assert!(
        shows(&app, "Type and pick a person first"),
        "{}",
        render(&app, 120, 40)
    );
}

/// The console on F3, 赵毅文's week, on Thursday 2026-11-19 19:00: a
/// free slot that has gone by (now is Friday 16:00).
fn past_slot(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = schedule(dir, lang);
    pick(&mut app, "赵毅文");
    type_text(&mut app, "w");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Up);
    let cell = app.schedule.selected().cloned().unwrap();
    assert_eq!((cell.date, cell.slot.start), (d(2026, 11, 19), hm(19, 0)));
    assert!(cell.booked.is_none());
    app
}

#[test]
fn a_past_slot_is_recorded_only_after_asking() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = past_slot(&dir, lang);
        let c = counsellor(&app, "赵毅文");
        // The line under the grid does not call it bookable.
        let (gone, free) = match lang {
            Lang::ZhCn => ("周四 11-19 19:00–20:00 赵毅文 · 已过，未预约", "可预约"),
            Lang::En => (
                "Thu 11-19 19:00–20:00 赵毅文 · gone by, not booked",
                "free to book",
            ),
        };
        let screen = render(&app, 80, 24);
        assert!(screen.contains(gone) && !screen.contains(free), "{screen}");
        // Nor does the day list count it as free.
        type_text(&mut app, "d");
        let (summary, past) = match lang {
            Lang::ZhCn => ("可约 0 个 · 已约 0 个", "›19:00–20:00 赵毅文       已过"),
            Lang::En => ("0 free · 0 booked", "›19:00–20:00 赵毅文       Past"),
        };
        let screen = render(&app, 80, 24);
        assert!(
            screen.contains(summary) && screen.contains(past),
            "{screen}"
        );
        type_text(&mut app, "w");
        // b asks first; n leaves it.
        type_text(&mut app, "b");
        assert!(
            matches!(app.schedule.dialog, Some(Dialog::ConfirmLate(_))),
            "{}",
            render(&app, 120, 40)
        );
        snap(&format!("late_ask_{lang:?}"), &app);
        press(&mut app, KeyCode::Char('n'));
        assert!(app.schedule.dialog.is_none());
        // y: the booking dialog, saying what it does.
        type_text(&mut app, "b");
        press(&mut app, KeyCode::Char('y'));
        let Some(Dialog::Book(b)) = &app.schedule.dialog else {
            panic!("no booking dialog: {}", render(&app, 120, 40))
        };
        assert!(b.late);
        type_text(&mut app, "wang");
        snap(&format!("late_booking_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
        let (who, _) = person(&app, "wang");
        assert_eq!(
            holding(&app, c, d(2026, 11, 19), hm(19, 0)),
            vec![(who, AppointmentStatus::Booked)]
        );
        let recorded = match lang {
            Lang::ZhCn => "已补录：",
            Lang::En => "Recorded after the fact: ",
        };
        assert!(
            app.status
                .as_ref()
                .is_some_and(|s| !s.error && s.text.starts_with(recorded)),
            "{:?}",
            app.status
        );
    }
}

#[test]
fn marks_wait_for_the_session_and_a_wrong_mark_is_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = past_slot(&dir, Lang::ZhCn);
    let c = counsellor(&app, "赵毅文");
    type_text(&mut app, "b");
    press(&mut app, KeyCode::Char('y'));
    type_text(&mut app, "wang");
    press(&mut app, KeyCode::Enter);
    let (who, _) = person(&app, "wang");
    let (day, start) = (d(2026, 11, 19), hm(19, 0));
    let status = |app: &App| holding(app, c, day, start).first().map(|x| x.1);
    assert_eq!(status(&app), Some(AppointmentStatus::Booked));

    // Booked → done is refused, with the reason.
    type_text(&mut app, "o");
    assert!(
        shows(&app, "预约不能从“已预约”改为“已完成”"),
        "{}",
        render(&app, 120, 40)
    );
    assert_eq!(status(&app), Some(AppointmentStatus::Booked));
    // u on a session that is only booked: nothing to undo.
    type_text(&mut app, "u");
    assert!(
        shows(&app, "这次预约没有可撤销的标记"),
        "{}",
        render(&app, 120, 40)
    );
    type_text(&mut app, "a");
    assert_eq!(status(&app), Some(AppointmentStatus::Arrived));
    assert!(shows(&app, "➜"), "{}", render(&app, 120, 40));
    // An arrived person cannot be cancelled: refused before asking, with
    // the way out.
    type_text(&mut app, "c");
    assert!(app.schedule.dialog.is_none());
    assert!(
        shows(
            &app,
            "预约不能从“已到达”改为“已取消”；如是误标，先按 u 改回已预约"
        ),
        "{}",
        render(&app, 120, 40)
    );
    type_text(&mut app, "o");
    assert_eq!(status(&app), Some(AppointmentStatus::Done));
    assert!(shows(&app, "✓王博"), "{}", render(&app, 120, 40));
    type_text(&mut app, "x");
    assert_eq!(status(&app), Some(AppointmentStatus::Done));
    assert!(
        shows(&app, "预约不能从“已完成”改为“未到”"),
        "{}",
        render(&app, 120, 40)
    );
    // The wrong "done" is undone, and the session can be cancelled.
    type_text(&mut app, "u");
    assert_eq!(status(&app), Some(AppointmentStatus::Booked));
    type_text(&mut app, "x");
    assert_eq!(status(&app), Some(AppointmentStatus::NoShow));
    type_text(&mut app, "u");
    type_text(&mut app, "c");
    assert!(matches!(
        app.schedule.dialog,
        Some(Dialog::ConfirmCancel { .. })
    ));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(holding(&app, c, day, start).len(), 1, "n keeps the session");
    type_text(&mut app, "c");
    press(&mut app, KeyCode::Char('y'));
    assert!(holding(&app, c, day, start).is_empty());
    assert_eq!(
        app.store
            .appointments_on(c, day)
            .unwrap()
            .iter()
            .find(|a| a.start == start && a.person == who)
            .map(|a| a.status),
        Some(AppointmentStatus::Cancelled)
    );

    // A session to come (Saturday): arrived, done and no-show are refused.
    type_text(&mut app, "n");
    let next = app.schedule.selected().cloned().unwrap();
    assert_eq!((next.date, next.slot.start), (d(2026, 11, 21), hm(9, 0)));
    type_text(&mut app, "b");
    assert!(matches!(app.schedule.dialog, Some(Dialog::Book(_))));
    type_text(&mut app, "wang");
    press(&mut app, KeyCode::Enter);
    let later = |app: &App| holding(app, c, next.date, next.slot.start);
    assert_eq!(later(&app), vec![(who, AppointmentStatus::Booked)]);
    for key in ["a", "o", "x"] {
        type_text(&mut app, key);
        assert!(
            app.status.as_ref().is_some_and(|s| s.error
                && s.text
                    .contains("这次咨询还没开始：开始后才能标记已到达、已完成或未到")),
            "{key}: {:?}",
            app.status
        );
        assert_eq!(later(&app), vec![(who, AppointmentStatus::Booked)]);
    }
    // Cancelling a session to come is fine.
    type_text(&mut app, "c");
    press(&mut app, KeyCode::Char('y'));
    assert!(later(&app).is_empty());
    // On a free slot, a status key says there is no session.
    type_text(&mut app, "a");
    assert!(shows(&app, "这个时段没有预约"), "{}", render(&app, 120, 40));
}

#[test]
fn one_person_is_not_booked_into_overlapping_sessions() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = schedule(&dir, lang);
        // 赵毅文 Saturday 09:45–10:30, then 余金's extra Saturday 10:00–11:00.
        pick(&mut app, "赵毅文");
        type_text(&mut app, "n");
        type_text(&mut app, "n");
        type_text(&mut app, "b");
        type_text(&mut app, "wang");
        press(&mut app, KeyCode::Enter);
        let (who, _) = person(&app, "wang");
        let zhao = counsellor(&app, "赵毅文");
        assert_eq!(holding(&app, zhao, d(2026, 11, 21), hm(9, 45)).len(), 1);
        pick(&mut app, "余金");
        let yu = counsellor(&app, "余金");
        type_text(&mut app, "n");
        let cell = app.schedule.selected().cloned().unwrap();
        assert_eq!((cell.date, cell.slot.start), (d(2026, 11, 21), hm(10, 0)));
        type_text(&mut app, "b");
        type_text(&mut app, "wang");
        press(&mut app, KeyCode::Enter);
        let refusal = match lang {
            Lang::ZhCn => "未能预约：此人当天 09:45–10:30 已约了赵毅文，时间重叠",
            Lang::En => "Not booked: the person has an overlapping session: 赵毅文 09:45–10:30",
        };
        assert!(
            app.status
                .as_ref()
                .is_some_and(|s| s.error && s.text.contains(refusal)),
            "{:?}",
            app.status
        );
        assert!(
            matches!(app.schedule.dialog, Some(Dialog::Book(_))),
            "the dialog stays"
        );
        snap(&format!("overlap_{lang:?}"), &app);
        assert!(holding(&app, yu, d(2026, 11, 21), hm(10, 0)).is_empty());
        // Someone else may have it.
        let other = match app.store.lookup("zhang", 5).unwrap().into_iter().next() {
            Some(Hit::Person(p)) => p.id,
            other => panic!("{other:?}"),
        };
        assert_ne!(other, who);
        press(&mut app, KeyCode::Esc);
        type_text(&mut app, "b");
        type_text(&mut app, "zhang");
        press(&mut app, KeyCode::Enter);
        assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
        assert_eq!(holding(&app, yu, d(2026, 11, 21), hm(10, 0)).len(), 1);
    }
}

#[test]
fn follow_up_date_is_set_and_a_bad_date_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::En);
    pick(&mut app, "赵毅文");
    let c = counsellor(&app, "赵毅文");
    type_text(&mut app, "w");
    type_text(&mut app, "n");
    type_text(&mut app, "b");
    type_text(&mut app, "wang");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "f");
    type_text(&mut app, "2026-13-01");
    press(&mut app, KeyCode::Enter);
    assert!(
        shows(&app, "'2026-13-01' is not a date"),
        "{}",
        render(&app, 120, 40)
    );
    // Before the session (2026-11-21): refused next to the field, typed
    // text kept.
    for _ in 0..5 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "11-01");
    press(&mut app, KeyCode::Enter);
    snap("follow_up_refused_En", &app);
    let Some(Dialog::FollowUp { form, .. }) = &app.schedule.dialog else {
        panic!("the dialog closed: {}", render(&app, 120, 40))
    };
    assert_eq!(form.field(0).text_value(), "2026-11-01");
    assert!(
        render(&app, 80, 24).contains("✗ the follow-up date is before the session (2026-11-21)"),
        "{}",
        render(&app, 80, 24)
    );
    for _ in 0..5 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "12-05");
    press(&mut app, KeyCode::Enter);
    assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
    let a = app.store.appointments_on(c, d(2026, 11, 21)).unwrap();
    assert_eq!(
        a.iter()
            .find(|a| a.start == hm(9, 0))
            .and_then(|a| a.follow_up),
        Some(d(2026, 12, 5))
    );
    type_text(&mut app, "d");
    assert!(shows(&app, "2026-12-05"), "{}", render(&app, 120, 40));
}

/// The follow-up field reads a date as staff type one: the fixture day is
/// Friday 2026-11-20, the session Saturday 2026-11-21.
#[test]
fn a_follow_up_is_typed_as_staff_say_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::ZhCn);
    pick(&mut app, "赵毅文");
    let c = counsellor(&app, "赵毅文");
    type_text(&mut app, "w");
    type_text(&mut app, "n");
    type_text(&mut app, "b");
    type_text(&mut app, "wang");
    press(&mut app, KeyCode::Enter);
    let follow_up = |app: &App| {
        app.store
            .appointments_on(c, d(2026, 11, 21))
            .unwrap()
            .iter()
            .find(|a| a.start == hm(9, 0))
            .and_then(|a| a.follow_up)
    };
    for (typed, expected) in [
        ("下周一", d(2026, 11, 23)),
        ("12/15", d(2026, 12, 15)),
        ("12月16日", d(2026, 12, 16)),
        ("下月", d(2026, 12, 1)),
    ] {
        type_text(&mut app, "f");
        for _ in 0..12 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, typed);
        press(&mut app, KeyCode::Enter);
        assert!(
            app.schedule.dialog.is_none(),
            "{typed}: {}",
            render(&app, 120, 40)
        );
        assert_eq!(follow_up(&app), Some(expected), "{typed}");
    }
    // Read, but before the session: refused by the field's own rule.
    type_text(&mut app, "f");
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "明天后");
    press(&mut app, KeyCode::Enter);
    assert!(shows(&app, "不是日期"), "{}", render(&app, 120, 40));
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "今天");
    press(&mut app, KeyCode::Enter);
    assert!(shows(&app, "2026-11-21"), "{}", render(&app, 120, 40));
    assert_eq!(follow_up(&app), Some(d(2026, 12, 1)));
}

#[test]
fn next_free_slot_moves_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::ZhCn);
    pick(&mut app, "王勇建");
    type_text(&mut app, "w");
    type_text(&mut app, "n");
    // Next Tuesday is the counsellor's day off: the Tuesday after.
    let cell = app.schedule.selected().cloned().unwrap();
    assert_eq!((cell.date, cell.slot.start), (d(2026, 12, 1), hm(14, 0)));
    assert_eq!(app.schedule.week.monday, d(2026, 11, 30));
    assert!(
        shows(&app, "下一个空位：2026-12-01 周二 14:00–15:00 王勇建"),
        "{}",
        render(&app, 120, 40)
    );
    type_text(&mut app, "n");
    let cell = app.schedule.selected().cloned().unwrap();
    assert_eq!((cell.date, cell.slot.start), (d(2026, 12, 1), hm(15, 0)));
    // Per kind: the earliest of any lawyer.
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Home);
    for _ in 0..4 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(
        app.schedule.who,
        Who::Kind(waystation::domain::schedule::CounsellorKind::Legal)
    );
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "n");
    let cell = app.schedule.selected().cloned().unwrap();
    assert!(cell.booked.is_none());
    assert_eq!(
        cell.counsellor,
        counsellor(&app, "余金"),
        "the extra Saturday morning"
    );
    assert_eq!(cell.date, d(2026, 11, 21));
}

#[test]
fn adding_a_rule_through_the_form() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = schedule(&dir, lang);
        type_text(&mut app, "m");
        assert_eq!(app.schedule.mode, Mode::Manage);
        let c = counsellor(&app, "赵毅文");
        while app
            .schedule
            .counsellors
            .get(app.schedule.manage.sel)
            .map(|x| x.id)
            != Some(c)
        {
            press(&mut app, KeyCode::Down);
        }
        snap(&format!("manage_{lang:?}"), &app);
        type_text(&mut app, "r");
        assert!(matches!(app.schedule.dialog, Some(Dialog::Manage(_))));
        // Monthly, Thursday, weeks "2,9" (refused), 09:00–08:00 (refused).
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "2,9");
        press(&mut app, KeyCode::Tab);
        for _ in 0..5 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "09:00");
        press(&mut app, KeyCode::Tab);
        for _ in 0..5 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "08:00");
        // Enter goes on to the next field; Ctrl-S saves from anywhere.
        press(&mut app, KeyCode::Enter);
        assert!(matches!(&app.schedule.dialog, Some(Dialog::Manage(m)) if m.form.focus == 5));
        send(&mut app, ctrl('s'));
        snap(&format!("rule_refused_{lang:?}"), &app);
        let Some(Dialog::Manage(m)) = &app.schedule.dialog else {
            panic!("the form closed")
        };
        assert_eq!(m.form.field(2).text_value(), "2,9", "typed text stays");
        assert!(m.form.field(2).error.is_some() && m.form.field(4).error.is_some());
        assert_eq!(m.form.focus, 2, "focus on the first refused field");
        assert_eq!(app.store.rules_of(c).unwrap().len(), 2);
        // Fix both and save.
        press(&mut app, KeyCode::Backspace);
        type_text(&mut app, "4");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        for _ in 0..5 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "11:00");
        send(&mut app, ctrl('s'));
        assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
        let rules = app.store.rules_of(c).unwrap();
        assert_eq!(rules.len(), 3);
        let added = rules
            .iter()
            .find(|r| r.start == hm(9, 0) && r.end == hm(11, 0))
            .unwrap();
        assert_eq!(
            added.recurrence,
            Recurrence::Monthly(chrono::Weekday::Thu, WeeksOfMonth::new(&[2, 4]).unwrap())
        );
        let words = match lang {
            Lang::ZhCn => "每月第2个、第4个周四 09:00–11:00",
            Lang::En => "2nd, 4th Thu of the month 09:00–11:00",
        };
        assert!(shows(&app, words), "{}", render(&app, 120, 40));
        // Back in the schedule, the new hours give slots: 2026-11-26 is the
        // 4th Thursday.
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.schedule.mode, Mode::Slots);
    }
}

#[test]
fn counsellors_exceptions_and_removing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::ZhCn);
    type_text(&mut app, "m");
    // A new counsellor: an empty name is refused, then saved.
    type_text(&mut app, "n");
    send(&mut app, ctrl('s'));
    assert!(
        shows(&app, "咨询师姓名不能为空"),
        "{}",
        render(&app, 120, 40)
    );
    type_text(&mut app, "林律师");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
    let c = counsellor(&app, "林律师");
    assert_eq!(
        app.schedule
            .counsellors
            .iter()
            .find(|x| x.id == c)
            .map(|x| x.kind),
        Some(waystation::domain::schedule::CounsellorKind::Legal)
    );
    assert_eq!(
        app.schedule
            .counsellors
            .get(app.schedule.manage.sel)
            .map(|x| x.id),
        Some(c)
    );
    // Weekly Tuesday hours (the form's defaults): Enter only moves on;
    // Ctrl-S saves.
    type_text(&mut app, "r");
    press(&mut app, KeyCode::Enter);
    assert!(app.store.rules_of(c).unwrap().is_empty(), "Enter saved");
    assert!(
        matches!(&app.schedule.dialog, Some(Dialog::Manage(m)) if m.form.focus == 1),
        "Enter moves to the next field"
    );
    send(&mut app, ctrl('s'));
    assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
    assert_eq!(app.store.rules_of(c).unwrap().len(), 1);
    // Extra hours on a Sunday, with too short a slot first.
    type_text(&mut app, "e");
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-11-22");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "10:00");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "12:00");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    assert!(
        shows(&app, "每个时段应为10到240分钟"),
        "{}",
        render(&app, 120, 40)
    );
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "60");
    press(&mut app, KeyCode::Enter);
    assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
    assert_eq!(
        app.store.exceptions_of(c, d(2026, 11, 20)).unwrap().len(),
        1
    );
    assert!(
        shows(&app, "2026-11-22 周日 · 加诊 10:00–12:00，每段60分钟"),
        "{}",
        render(&app, 120, 40)
    );
    // Remove the rule: Tab to the list, x, y.
    type_text(&mut app, "x");
    assert!(app.schedule.dialog.is_none(), "x needs an item picked");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "x");
    assert!(matches!(
        app.schedule.dialog,
        Some(Dialog::ConfirmRemove(_))
    ));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.store.rules_of(c).unwrap().is_empty());
    // Stop the counsellor: marked in the schedule's column, after the
    // active lawyers, and offering no slot.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "s");
    assert!(
        app.schedule
            .counsellors
            .iter()
            .any(|x| x.id == c && !x.active)
    );
    assert!(
        shows(&app, "林律师（停） 法律咨询"),
        "{}",
        render(&app, 120, 40)
    );
    press(&mut app, KeyCode::Esc);
    let items = app.schedule.side_items();
    assert_eq!(items.last(), Some(&Who::One(c)));
    pick(&mut app, "林律师");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("林律师（停）") && screen.contains("林律师 · 法律咨询 · 已停用"),
        "{screen}"
    );
    assert!(
        app.schedule
            .week
            .days
            .iter()
            .flatten()
            .all(|x| !x.is_free())
    );
    type_text(&mut app, "n");
    assert!(
        shows(&app, "这位咨询师已停用，不接受新预约"),
        "{}",
        render(&app, 120, 40)
    );
}

#[test]
fn duplicates_and_past_dates_are_refused_in_manage() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = schedule(&dir, lang);
        type_text(&mut app, "m");
        let c = counsellor(&app, "王勇建");
        while app
            .schedule
            .counsellors
            .get(app.schedule.manage.sel)
            .map(|x| x.id)
            != Some(c)
        {
            press(&mut app, KeyCode::Down);
        }
        // The form's defaults are the hours 王勇建 has already.
        assert_eq!(app.store.rules_of(c).unwrap().len(), 1);
        type_text(&mut app, "r");
        send(&mut app, ctrl('s'));
        let overlap = match lang {
            Lang::ZhCn => "✗ 与这位咨询师已有的排班重叠：周二 14:00–17:00",
            Lang::En => "✗ overlaps hours this counsellor already has: Tue 14:00–17:00",
        };
        assert!(
            render(&app, 80, 24).contains(overlap),
            "{}",
            render(&app, 80, 24)
        );
        snap(&format!("rule_overlap_{lang:?}"), &app);
        assert_eq!(app.store.rules_of(c).unwrap().len(), 1);
        press(&mut app, KeyCode::Esc);

        // An exception before today could never be seen or removed.
        type_text(&mut app, "e");
        for _ in 0..10 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "2026-11-01");
        send(&mut app, ctrl('s'));
        let past = match lang {
            Lang::ZhCn => "✗ 日期早于今天（2026-11-20）：例外只能从今天起",
            Lang::En => "✗ before today (2026-11-20); an exception starts today or later",
        };
        assert!(
            render(&app, 80, 24).contains(past),
            "{}",
            render(&app, 80, 24)
        );
        snap(&format!("exception_past_{lang:?}"), &app);
        assert!(
            app.store
                .exceptions_of(c, d(2026, 1, 1))
                .unwrap()
                .iter()
                .all(|e| e.date != d(2026, 11, 1))
        );
        press(&mut app, KeyCode::Esc);

        // A second counsellor of the same name: warned first; saving again
        // adds them.
        let before = app.schedule.counsellors.len();
        type_text(&mut app, "n");
        type_text(&mut app, "王勇建");
        send(&mut app, ctrl('s'));
        assert_eq!(app.schedule.counsellors.len(), before, "added at once");
        let warned = match lang {
            Lang::ZhCn => "已有同名咨询师“王勇建”（心理咨询）",
            Lang::En => "王勇建 (Psychological) is already a counsellor",
        };
        assert!(
            render(&app, 80, 24).contains(warned),
            "{}",
            render(&app, 80, 24)
        );
        snap(&format!("same_name_{lang:?}"), &app);
        send(&mut app, ctrl('s'));
        assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
        assert_eq!(
            app.schedule
                .counsellors
                .iter()
                .filter(|x| x.name == "王勇建")
                .count(),
            2
        );
    }
}

#[test]
fn waitlist_add_and_book() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = schedule(&dir, lang);
        pick(&mut app, "王勇建");
        let c = counsellor(&app, "王勇建");
        type_text(&mut app, "l");
        assert_eq!(app.schedule.mode, Mode::Waitlist);
        type_text(&mut app, "a");
        type_text(&mut app, "wang");
        press(&mut app, KeyCode::Enter);
        // The form opens on its first field, marked.
        let Some(Dialog::WaitAdd(w)) = &app.schedule.dialog else {
            panic!("no waitlist form")
        };
        assert_eq!(w.form.focus, 0);
        snap(&format!("wait_add_{lang:?}"), &app);
        let kind = match lang {
            Lang::ZhCn => "▸ 类别",
            Lang::En => "▸ Kind",
        };
        assert!(
            render(&app, 80, 24).contains(kind),
            "{}",
            render(&app, 80, 24)
        );
        // Enter goes down the form, and saves on the last field.
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "下午六点后");
        press(&mut app, KeyCode::Enter);
        assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
        let waiting = app.store.waitlist(None).unwrap();
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].counsellor, Some(c));
        assert_eq!(waiting[0].week, d(2026, 11, 16));
        assert_eq!(waiting[0].note.as_deref(), Some("下午六点后"));
        snap(&format!("waitlist_{lang:?}"), &app);
        let foot = match lang {
            Lang::ZhCn => "x 撤回 · Esc 返回排班",
            Lang::En => "x withdraw · Esc back",
        };
        assert!(
            render(&app, 80, 24).contains(foot),
            "{}",
            render(&app, 80, 24)
        );
        // b: the first free slot from that week on, person already chosen.
        type_text(&mut app, "b");
        let Some(Dialog::Book(b)) = &app.schedule.dialog else {
            panic!("no booking dialog")
        };
        assert_eq!(
            (b.cell.date, b.cell.slot.start),
            (d(2026, 12, 1), hm(14, 0))
        );
        press(&mut app, KeyCode::Enter);
        assert!(app.schedule.dialog.is_none(), "{}", render(&app, 120, 40));
        assert_eq!(holding(&app, c, d(2026, 12, 1), hm(14, 0)).len(), 1);
        assert!(
            app.store.waitlist(None).unwrap().is_empty(),
            "the entry is booked"
        );
        assert_eq!(app.schedule.mode, Mode::Slots);
    }
}

#[test]
fn a_full_week_offers_the_waitlist() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::ZhCn);
    pick(&mut app, "王勇建");
    type_text(&mut app, "w");
    // Fill the week of 2026-11-30 (one Tuesday afternoon).
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    let c = counsellor(&app, "王勇建");
    let (who, _) = person(&app, "wang");
    for start in [hm(14, 0), hm(15, 0), hm(16, 0)] {
        let slot = waystation::domain::schedule::Slot {
            start,
            end: start + chrono::Duration::hours(1),
        };
        let mut w = app.store.begin(None).unwrap();
        let _ = w.book(c, who, d(2026, 12, 1), slot, fixture_now());
        w.commit().unwrap();
    }
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    assert!(
        shows(&app, "本周已约满，按 l 登记候补"),
        "{}",
        render(&app, 120, 40)
    );
    type_text(&mut app, "l");
    assert!(
        matches!(app.schedule.dialog, Some(Dialog::WaitAdd(_))),
        "l opens the waitlist form"
    );
}

#[test]
fn quitting_with_a_half_typed_booking_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::En);
    pick(&mut app, "赵毅文");
    type_text(&mut app, "n");
    type_text(&mut app, "b");
    type_text(&mut app, "wa");
    send(&mut app, ctrl('q'));
    assert!(!app.quit);
    assert!(app.overlay.is_some());
}

#[test]
fn a_stopped_counsellor_is_marked_and_rules_fit() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = schedule(&dir, lang);
        type_text(&mut app, "m");
        let c = counsellor(&app, "余金");
        while app
            .schedule
            .counsellors
            .get(app.schedule.manage.sel)
            .map(|x| x.id)
            != Some(c)
        {
            press(&mut app, KeyCode::Down);
        }
        type_text(&mut app, "s");
        snap(&format!("manage_stopped_{lang:?}"), &app);
        // At 80 columns the rule keeps its start date, the list its mark.
        let screen = render(&app, 80, 24);
        let (mark, from) = match lang {
            Lang::ZhCn => ("余金（停） 法律咨询", "2026-05-24起"),
            Lang::En => ("余金 (stopped) Legal", "from 2026-05-24"),
        };
        assert!(screen.contains(mark) && screen.contains(from), "{screen}");
        press(&mut app, KeyCode::Esc);
        pick(&mut app, "余金");
        let screen = render(&app, 80, 24);
        let side = match lang {
            Lang::ZhCn => "余金（停）",
            Lang::En => "余金 (off)",
        };
        assert!(screen.contains(side), "{screen}");
        let title = match lang {
            Lang::ZhCn => "余金 · 法律咨询 · 已停用",
            Lang::En => "余金 · Legal · stopped",
        };
        assert!(screen.contains(title), "{screen}");
        snap(&format!("side_stopped_{lang:?}"), &app);
    }
}

#[test]
fn day_list_statuses_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::En);
    // A day of the fixture with a cancelled session, reached with ←/→.
    let today = fixture_day();
    let day = app
        .store
        .appointments_between(
            today - chrono::Duration::days(7),
            today + chrono::Duration::days(7),
            None,
        )
        .unwrap()
        .into_iter()
        .find(|r| r.appointment.status == AppointmentStatus::Cancelled)
        .map(|r| r.appointment.date)
        .expect("a cancelled session in the fixture");
    let steps = (day - today).num_days();
    for _ in 0..steps.abs() {
        press(
            &mut app,
            if steps > 0 {
                KeyCode::Right
            } else {
                KeyCode::Left
            },
        );
    }
    assert_eq!(app.schedule.date, day);
    let screen = render(&app, 120, 40);
    assert!(screen.contains(" - Cancelled "), "{screen}");
    assert!(!screen.contains("-Cancelled"), "{screen}");
    // Every status word starts with a capital, after its mark column.
    for word in [" free ", " past ", " booked "] {
        assert!(
            !screen
                .lines()
                .filter(|l| l.contains(":00–") || l.contains(":30–"))
                .any(|l| l.contains(word)),
            "{word}: {screen}"
        );
    }
}

/// What a counsellor wrote after the session, on two lines.
const NOTES: &str = "情绪较上次稳定\n讨论与家人沟通的方式";

/// 王博 booked into 赵毅文's Thursday 19:00 (gone by), with notes written
/// by a counsellor; the console on that session, signed in as `role`.
fn noted_session(dir: &tempfile::TempDir, lang: Lang, role: Role) -> (App, AppointmentId) {
    let mut app = past_slot(dir, lang);
    type_text(&mut app, "b");
    press(&mut app, KeyCode::Char('y'));
    type_text(&mut app, "wang");
    press(&mut app, KeyCode::Enter);
    let id = app
        .schedule
        .selected()
        .and_then(|c| c.booked.as_ref())
        .map(|b| b.id)
        .unwrap();
    sign_in_as_role(&mut app, Role::Counsellor);
    app.store.save_session_notes(id, NOTES).unwrap();
    sign_in_as_role(&mut app, role);
    (app, id)
}

/// How often the notes of `id` were read, by the audit log.
fn notes_read(app: &App, id: AppointmentId) -> usize {
    let subject = format!("appointment:{}", id.0);
    app.store
        .audit_entries(10_000)
        .unwrap()
        .iter()
        .filter(|e| e.action_kind() == Some(AuditAction::View) && e.subject == subject)
        .count()
}

/// The notes as a counsellor reads them (then back to who was signed in).
fn stored_notes(app: &mut App, id: AppointmentId) -> Option<String> {
    let was = app.store.session().cloned();
    app.store
        .set_session(Some(session_of(&app.store, Role::Counsellor)));
    let notes = app.store.session_notes(id).unwrap();
    app.store.set_session(was);
    notes
}

fn status_error(app: &App) -> Option<String> {
    app.status
        .as_ref()
        .filter(|s| s.error)
        .map(|s| s.text.clone())
}

#[test]
fn a_counsellor_reads_and_writes_session_notes() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, id) = noted_session(&dir, lang, Role::Counsellor);
        // The week never shows notes, even to a counsellor.
        let week = render(&app, 120, 40);
        assert!(!week.contains("情绪较上次稳定"), "{week}");
        assert_eq!(notes_read(&app, id), 0);
        type_text(&mut app, "e");
        let Some(Dialog::Notes(n)) = &app.schedule.dialog else {
            panic!("{:?} {:?}", app.schedule.dialog, app.status)
        };
        assert_eq!(n.text.text(), NOTES);
        assert_eq!(notes_read(&app, id), 1, "the reading is audited");
        snap(&format!("notes_{lang:?}"), &app);
        let screen = render(&app, 120, 40);
        assert!(screen.contains("讨论与家人沟通的方式"), "{screen}");

        // Enter breaks the line; letters type (no command keys here).
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "下次 e n m");
        assert!(app.schedule.dialog.is_some());
        assert!(app.schedule.unsaved());
        send(&mut app, ctrl('s'));
        assert!(app.schedule.dialog.is_none(), "{:?}", app.status);
        let want = format!("{NOTES}\n下次 e n m");
        assert_eq!(stored_notes(&mut app, id).as_deref(), Some(want.as_str()));
        let saved = match lang {
            Lang::ZhCn => "已保存会谈笔记：王博 周四 11-19 19:00 赵毅文",
            Lang::En => "Notes saved: 王博 Thu 11-19 19:00 赵毅文",
        };
        assert!(shows(&app, saved), "{}", render(&app, 120, 40));
        // Nothing of them is left on the screen once the dialog closes.
        let screen = render(&app, 120, 40);
        assert!(!screen.contains("情绪较上次稳定"), "{screen}");
        type_text(&mut app, "d");
        let screen = render(&app, 120, 40);
        assert!(!screen.contains("情绪较上次稳定"), "{screen}");

        // Opened again: as saved; Esc with nothing changed closes at once,
        // and Ctrl-S with nothing changed writes nothing.
        let reads = notes_read(&app, id);
        type_text(&mut app, "e");
        assert_eq!(notes_read(&app, id), reads + 1);
        send(&mut app, ctrl('s'));
        assert!(app.schedule.dialog.is_none());
        type_text(&mut app, "e");
        press(&mut app, KeyCode::Esc);
        assert!(app.schedule.dialog.is_none());
    }
}

#[test]
fn every_other_role_is_refused_the_notes() {
    for role in [Role::Volunteer, Role::Staff, Role::Admin] {
        for lang in [Lang::ZhCn, Lang::En] {
            let dir = tempfile::tempdir().unwrap();
            let (mut app, id) = noted_session(&dir, lang, role);
            type_text(&mut app, "e");
            assert!(app.schedule.dialog.is_none(), "{role:?}");
            assert_eq!(
                status_error(&app).as_deref(),
                Some(Act::SessionNotes.needs(lang).as_str()),
                "{role:?}"
            );
            assert_eq!(notes_read(&app, id), 0, "{role:?}: nothing was read");
            let screen = render(&app, 120, 40);
            assert!(!screen.contains("情绪较上次稳定"), "{screen}");
            if role == Role::Staff {
                snap(&format!("notes_refused_{lang:?}"), &app);
            }
        }
    }
    // Nobody signed in (a console that never had staff): refused as well.
    let dir = tempfile::tempdir().unwrap();
    let (mut app, id) = noted_session(&dir, Lang::En, Role::Counsellor);
    app.store.set_session(None);
    type_text(&mut app, "e");
    assert!(app.schedule.dialog.is_none());
    assert_eq!(
        status_error(&app).as_deref(),
        Some("This needs the Counsellor role")
    );
    assert_eq!(notes_read(&app, id), 0);
}

#[test]
fn unsaved_notes_are_kept_until_thrown_away() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, id) = noted_session(&dir, Lang::ZhCn, Role::Counsellor);
    type_text(&mut app, "e");
    type_text(&mut app, "补充");
    press(&mut app, KeyCode::Esc);
    let Some(Dialog::Notes(n)) = &app.schedule.dialog else {
        panic!("{:?}", app.schedule.dialog)
    };
    assert!(n.discarding);
    snap("notes_discard_ZhCn", &app);
    // n: back to the text as typed.
    press(&mut app, KeyCode::Char('n'));
    let Some(Dialog::Notes(n)) = &app.schedule.dialog else {
        panic!("{:?}", app.schedule.dialog)
    };
    assert!(!n.discarding);
    assert_eq!(n.text.text(), format!("{NOTES}补充"));
    // Quitting asks first.
    send(&mut app, ctrl('q'));
    assert!(!app.quit);
    assert!(app.overlay.is_some());
    press(&mut app, KeyCode::Char('n'));
    assert!(app.schedule.dialog.is_some());
    // y throws the edits away; the notes stay as they were.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.schedule.dialog.is_none());
    assert!(
        shows(&app, "已放弃对笔记的修改"),
        "{}",
        render(&app, 120, 40)
    );
    assert_eq!(stored_notes(&mut app, id).as_deref(), Some(NOTES));
}

#[test]
fn refused_notes_keep_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, id) = noted_session(&dir, Lang::En, Role::Counsellor);
    type_text(&mut app, "e");
    press(&mut app, KeyCode::Enter);
    send(&mut app, Event::Paste("很".repeat(4000)));
    send(&mut app, ctrl('s'));
    let Some(Dialog::Notes(n)) = &app.schedule.dialog else {
        panic!("{:?}", app.schedule.dialog)
    };
    let error = n.error.clone().unwrap();
    assert!(error.contains("4000"), "{error}");
    assert_eq!(n.text.chars(), NOTES.chars().count() + 1 + 4000);
    let screen = render(&app, 80, 24);
    assert!(screen.contains(&error[..20]), "{screen}");
    assert_eq!(stored_notes(&mut app, id).as_deref(), Some(NOTES));
    // Ctrl-U takes the pasted line; what is left saves.
    send(&mut app, ctrl('u'));
    type_text(&mut app, "ok");
    send(&mut app, ctrl('s'));
    assert!(app.schedule.dialog.is_none(), "{:?}", app.status);
    let want = format!("{NOTES}\nok");
    assert_eq!(stored_notes(&mut app, id).as_deref(), Some(want.as_str()));
}

#[test]
fn open_notes_close_when_someone_else_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = noted_session(&dir, Lang::ZhCn, Role::Counsellor);
    type_text(&mut app, "e");
    type_text(&mut app, "未存");
    // Another person at the keys, before any reload: the next key closes
    // the notes unseen.
    sign_in_as_role(&mut app, Role::Staff);
    press(&mut app, KeyCode::Down);
    assert!(app.schedule.dialog.is_none());
    assert_eq!(
        status_error(&app).as_deref(),
        Some(Act::SessionNotes.needs(Lang::ZhCn).as_str())
    );
    let screen = render(&app, 120, 40);
    assert!(!screen.contains("情绪较上次稳定"), "{screen}");
    // Signed in anew and the pane read again: closed as well.
    sign_in_as_role(&mut app, Role::Counsellor);
    type_text(&mut app, "e");
    assert!(app.schedule.dialog.is_some());
    sign_in_as_role(&mut app, Role::Volunteer);
    app.load();
    assert!(app.schedule.dialog.is_none());
    // The same counsellor back at the keys keeps what they typed.
    sign_in_as_role(&mut app, Role::Counsellor);
    type_text(&mut app, "e");
    type_text(&mut app, "留着");
    app.load();
    let Some(Dialog::Notes(n)) = &app.schedule.dialog else {
        panic!("{:?}", app.schedule.dialog)
    };
    assert!(n.text.text().ends_with("留着"));
}

#[test]
fn managing_counsellors_needs_staff_counsellor_or_admin() {
    for lang in [Lang::ZhCn, Lang::En] {
        for role in [Role::Volunteer, Role::Staff, Role::Counsellor, Role::Admin] {
            let dir = tempfile::tempdir().unwrap();
            let mut app = schedule(&dir, lang);
            sign_in_as_role(&mut app, role);
            type_text(&mut app, "m");
            if role == Role::Volunteer {
                assert_eq!(app.schedule.mode, Mode::Slots);
                assert_eq!(
                    status_error(&app).as_deref(),
                    Some(Act::ManageSchedule.needs(lang).as_str())
                );
                // Booking and the waitlist stay theirs.
                type_text(&mut app, "l");
                assert_eq!(app.schedule.mode, Mode::Waitlist);
            } else {
                assert_eq!(app.schedule.mode, Mode::Manage, "{role:?}");
                assert_eq!(status_error(&app), None, "{role:?}");
            }
        }
    }
    // In the middle of managing, a volunteer signs in: the next key leaves
    // the management with the refusal, and so does a reload.
    let dir = tempfile::tempdir().unwrap();
    let mut app = schedule(&dir, Lang::ZhCn);
    type_text(&mut app, "m");
    type_text(&mut app, "n");
    assert!(matches!(app.schedule.dialog, Some(Dialog::Manage(_))));
    sign_in_as_role(&mut app, Role::Volunteer);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.schedule.mode, Mode::Slots);
    assert!(app.schedule.dialog.is_none());
    assert_eq!(
        status_error(&app).as_deref(),
        Some("需要以下角色之一：工作人员、咨询师、管理员")
    );
    sign_in_as_role(&mut app, Role::Staff);
    type_text(&mut app, "m");
    assert_eq!(app.schedule.mode, Mode::Manage);
    sign_in_as_role(&mut app, Role::Volunteer);
    app.load();
    assert_eq!(app.schedule.mode, Mode::Slots);
}
