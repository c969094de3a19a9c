//! The station's work never stops for a sync (issue 14, finding 9): an
//! import of hundreds of thousands of operations commits in slices, so a
//! count or a check-in typed meanwhile waits for one slice at most; a count
//! the database cannot take at once is kept and saved later, never lost,
//! and says so.

use crate::common;
use crate::common::console::{ctrl, fixture_app, fixture_millis, fixture_path, press, send};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;
use serde_json::Value;
use waystation::domain::person::Trade;
use waystation::i18n::Lang;
use waystation::store::{Entity, Hlc, LoggedOp, Store, with_lock_wait};
use waystation::tui::action::PaneId;

/// Today's headcount in the console's database, read on a connection of
/// its own.
fn today(app: &waystation::tui::app::App) -> u64 {
    app.store
        .headcount_on(common::console::fixture_day())
        .unwrap()
}

fn open_tally_row(app: &mut waystation::tui::app::App) {
    app.show(PaneId::Checkin);
    send(app, ctrl('t'));
}

#[test]
fn a_count_typed_while_the_database_is_locked_waits_and_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    open_tally_row(&mut app);
    let before = today(&app);
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(today(&app), before + 1);

    // Another program holds the write lock (an old build's import, a
    // bulk load): the next counts cannot be saved now.
    let other = rusqlite::Connection::open(fixture_path(&dir)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    with_lock_wait(Duration::from_millis(50), || {
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Char('3'));
    });
    assert_eq!(today(&app), before + 1);
    let screen = common::console::render(&app, 100, 30);
    assert!(
        screen.contains("2 anonymous counts are not saved yet: the database is busy"),
        "{screen}"
    );
    assert!(screen.contains("2 counts wait to be saved"), "{screen}");
    assert!(app.busy(), "the loop wakes to try them again");
    // Quitting asks first.
    send(&mut app, ctrl('q'));
    assert!(!app.quit);
    press(&mut app, KeyCode::Esc);

    // Free again: the next look saves them, in the order typed, at the
    // time they were typed.
    other.execute_batch("COMMIT").unwrap();
    std::thread::sleep(waystation::tui::panes::checkin::RETRY_EVERY);
    assert!(app.poll_work());
    assert_eq!(today(&app), before + 3);
    assert!(!app.busy());
    assert!(common::console::shows(
        &app,
        "The 2 waiting anonymous counts are saved"
    ));
    assert!(app.store.check().unwrap().is_ok());
}

#[test]
fn a_check_in_refused_as_busy_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    app.show(PaneId::Checkin);
    common::console::type_text(&mut app, "13912345670");
    press(&mut app, KeyCode::Enter);
    common::console::type_text(&mut app, "王忙碌");
    let other = rusqlite::Connection::open(fixture_path(&dir)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    with_lock_wait(Duration::from_millis(50), || send(&mut app, ctrl('s')));
    let screen = common::console::render(&app, 100, 30);
    assert!(
        screen.contains("Not saved: the database is busy"),
        "{screen}"
    );
    assert!(screen.contains("王忙碌"), "what was typed stays:\n{screen}");
    other.execute_batch("COMMIT").unwrap();
    send(&mut app, ctrl('s'));
    assert!(
        common::console::shows(&app, "王忙碌"),
        "saved and listed as here"
    );
    assert!(!app.store.lookup("王忙碌", 5).unwrap().is_empty());
}

/// 200,000 operations of another station: its station record, then
/// anonymous counts of two days before the fixture's day.
fn import_ops(n: usize) -> Vec<LoggedOp> {
    let mut source = Store::open_in_memory().unwrap();
    source.set_clock(fixture_millis);
    source
        .init_station("NS", "南山驿站", "Asia/Shanghai")
        .unwrap();
    let at = common::console::fixture_now() - chrono::Duration::days(2);
    let mut w = source.begin(None).unwrap();
    w.tally_with(Trade::Courier, 1, Default::default(), at)
        .unwrap();
    w.commit().unwrap();
    let mut ops = source.all_ops().unwrap();
    let template = ops.pop().unwrap();
    assert_eq!(template.entity, Entity::Visit);
    let mut seq = template.seq;
    let mut hlc = template.hlc;
    while ops.len() < n {
        let mut op = template.clone();
        op.id = uuid::Uuid::now_v7();
        op.seq = seq;
        op.hlc = hlc;
        let minute = Value::from(at.timestamp_millis() + (seq % 600) * 60_000);
        op.fields.insert("arrived_at".into(), minute.clone());
        op.fields.insert("left_at".into(), minute);
        ops.push(op);
        seq += 1;
        hlc = Hlc(hlc.0 + 1);
    }
    ops
}

/// Finding 9: with the machine slowed, 4 of 131 counts typed during an
/// import of 210,000 operations were lost ("database is locked"), and 4 of
/// 33 writes of the command line failed.
#[test]
fn counts_typed_during_a_large_slowed_import_are_all_recorded() {
    const OPS: usize = 200_000;
    const COUNTS: usize = 131;
    const WRITES: usize = 33;
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let path = fixture_path(&dir);
    open_tally_row(&mut app);
    let before = today(&app);
    let ops = import_ops(OPS);
    let done = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(3));

    // The importer: a sync's import on its own connection, slowed as on
    // a loaded machine, 50,000 operations a call as files come.
    let importer = {
        let (path, done, start) = (path.clone(), done.clone(), start.clone());
        std::thread::spawn(move || {
            let mut store = Store::open(&path).unwrap();
            store
                .set_slowdown(Some(Duration::from_micros(300)))
                .unwrap();
            start.wait();
            let t = Instant::now();
            let mut longest = Duration::ZERO;
            let mut slices = 0;
            for chunk in ops.chunks(50_000) {
                let got = store.apply_remote(chunk).unwrap();
                assert_eq!(got.new_ops, chunk.len());
                longest = longest.max(got.longest_hold);
                slices += got.slices;
            }
            done.store(true, Ordering::SeqCst);
            (t.elapsed(), slices, longest)
        })
    };
    // The command line: a write every so often, each with the store's
    // own wait, none retried.
    let cli = {
        let (path, done, start) = (path.clone(), done.clone(), start.clone());
        std::thread::spawn(move || {
            let mut store = Store::open(&path).unwrap();
            start.wait();
            let mut waits = Vec::new();
            for i in 0..WRITES {
                let t = Instant::now();
                common::add_person(&mut store, &common::numbered("命令行", i), "");
                waits.push(t.elapsed());
                if !done.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(150));
                }
            }
            waits
        })
    };
    start.wait();
    let mut slowest = Duration::ZERO;
    let mut typed = 0;
    let mut during = 0;
    for i in 0..COUNTS {
        let t = Instant::now();
        press(&mut app, KeyCode::Char(['1', '2', '3', '4'][i % 4]));
        app.poll_work();
        slowest = slowest.max(t.elapsed());
        typed += 1;
        if !done.load(Ordering::SeqCst) {
            during += 1;
            std::thread::sleep(Duration::from_millis(60));
        }
    }
    let (took, slices, longest) = importer.join().unwrap();
    let waits = cli.join().unwrap();
    // Whatever had to wait is saved now.
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.busy() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        app.poll_work();
    }
    eprintln!(
        "import of {OPS}: {took:?} in {slices} slices, longest lock {longest:?}; \
         {during} of {typed} counts typed during it, slowest key {slowest:?}; \
         command-line writes waited at most {:?}",
        waits.iter().max()
    );
    assert!(
        during >= 20,
        "the import ended before the counts were typed"
    );
    assert!(!app.busy(), "counts still wait");
    assert_eq!(today(&app), before + typed as u64, "a count was lost");
    let report = app.store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
