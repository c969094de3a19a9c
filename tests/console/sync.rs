//! The sync pane (F5): a sync through a folder from the pane, on its own
//! thread; the passphrase prompt; the summary; the conflicts list and
//! deciding an entry; errors that keep what was typed; the loop waking
//! only while a sync runs.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::console::*;
use common::{add_person, create_network, station_db};
use ratatui::crossterm::event::KeyCode;
use waystation::domain::ids::PersonId;
use waystation::i18n::Lang;
use waystation::store::Store;
use waystation::sync::session;
use waystation::tui::action::PaneId;
use waystation::tui::app::{App, Overlay};
use waystation::tui::panes::sync::job::{Progress, Stage};
use waystation::tui::panes::sync::{Dialog, Focus, Last, Running};

const PASS: &str = "福田区 2026 同步口令";

/// What the snapshots show for the folder: the real one is a temporary
/// folder whose name changes every run.
const SHOWN_FOLDER: &str = "/media/usb/waystation";

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

/// Polls the app as the loop does until the sync has ended (bounded).
fn wait_done(app: &mut App) {
    let start = Instant::now();
    while app.busy() {
        app.poll_work();
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the sync did not finish:\n{}",
            render(app, 120, 40)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The folder as the snapshots show it.
fn show_fixed_folder(app: &mut App) {
    app.sync.folder.set_text(SHOWN_FOLDER);
    if let Some(Last::Done { folder, .. } | Last::Failed { folder, .. }) = &mut app.sync.last {
        *folder = SHOWN_FOLDER.to_owned();
    }
}

fn rename(s: &mut Store, p: PersonId, name: &str) {
    let mut d = s.person(p).unwrap().unwrap().details;
    d.name = name.into();
    let mut w = s.begin(None).unwrap();
    w.update_person(p, &d).unwrap();
    w.commit().unwrap();
}

/// An hour after the fixture's clock: the other station's edit is the
/// later one, so its value stands.
fn later_millis() -> u64 {
    fixture_millis() + 3_600_000
}

/// Another station, NS, whose clock is an hour after the fixture's.
fn other_station(dir: &tempfile::TempDir) -> Store {
    let mut b = Store::open(&dir.path().join("NS.db")).unwrap();
    b.set_clock(later_millis);
    b.init_station("NS", "南山驿站", "Asia/Shanghai").unwrap();
    b
}

fn sync_store(store: &mut Store, folder: &Path) {
    session::run(store, folder, Some(PASS), None, &mut |_, _, _| {}).unwrap();
}

fn usb(dir: &tempfile::TempDir) -> PathBuf {
    let folder = dir.path().join("usb");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// The station's first sync from the pane, at the district office: the
/// folder typed; it has no network, so the sync says what to do and
/// nothing happens; `n` asks, explaining, for the passphrase twice, then
/// creates the network and syncs.
fn first_sync(app: &mut App, folder: &Path, snapshots: Option<Lang>) {
    press(app, KeyCode::F(5));
    assert_eq!(app.pane, PaneId::Sync);
    assert_eq!(
        app.sync.focus,
        Focus::Folder,
        "nothing kept: the folder first"
    );
    if let Some(lang) = snapshots {
        snap(&format!("sync_idle_{lang:?}"), app);
    }
    type_text(app, folder.to_str().unwrap());
    press(app, KeyCode::Enter);
    assert!(
        app.sync.dialog.is_none(),
        "no passphrase asked for a folder without a network"
    );
    assert!(!app.busy());
    let Some(Last::Failed { message, .. }) = &app.sync.last else {
        panic!("not refused:\n{}", render(app, 120, 40));
    };
    assert!(message.contains(" n"), "{message}");
    assert_eq!(app.sync.focus, Focus::List, "where n works");
    assert!(!folder.join("network.wsn").exists(), "nothing written");
    assert_eq!(std::fs::read_dir(folder).unwrap().count(), 0);
    if let Some(lang) = snapshots {
        let typed = app.sync.folder.text_value().to_owned();
        show_fixed_folder(app);
        snap(&format!("sync_no_network_{lang:?}"), app);
        app.sync.folder.set_text(&typed);
    }

    type_text(app, "n");
    assert!(
        matches!(app.sync.dialog, Some(Dialog::Create { .. })),
        "{}",
        render(app, 120, 40)
    );
    type_text(app, PASS);
    press(app, KeyCode::Enter);
    assert!(
        matches!(app.sync.dialog, Some(Dialog::Create { second: true, .. })),
        "Enter goes on to the second field"
    );
    type_text(app, PASS);
    let screen = render(app, 120, 40);
    assert!(!screen.contains(PASS), "the passphrase is shown:\n{screen}");
    assert!(
        screen.contains(&"*".repeat(PASS.chars().count())),
        "{screen}"
    );
    if let Some(lang) = snapshots {
        let typed = app.sync.folder.text_value().to_owned();
        app.sync.folder.set_text(SHOWN_FOLDER);
        snap(&format!("sync_create_{lang:?}"), app);
        app.sync.folder.set_text(&typed);
    }
    press(app, KeyCode::Enter);
    assert!(app.sync.dialog.is_none());
    wait_done(app);
    let Some(Last::Done { outcome, .. }) = &app.sync.last else {
        panic!("no summary:\n{}", render(app, 120, 40));
    };
    assert!(outcome.created_network && !outcome.joined);
    assert!(outcome.report.files_written > 0);
    assert!(app.sync.network.joined && app.sync.network.kept);
    assert!(folder.join("network.wsn").exists());
}

/// A station A (the console's) and B (built with the store API) rename
/// one person while apart; A syncs from the pane and finds the conflict.
/// Returns the person.
fn conflict_scenario(dir: &tempfile::TempDir, app: &mut App, lang: Lang) -> PersonId {
    let folder = usb(dir);
    let p = add_person(&mut app.store, "张三", "13800000001");
    first_sync(app, &folder, Some(lang));
    assert!(shows(app, "F5"), "the tab");

    let mut b = other_station(dir);
    sync_store(&mut b, &folder);
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "张三");
    rename(&mut app.store, p, "张叁");
    rename(&mut b, p, "张珊");
    sync_store(&mut b, &folder);
    drop(b);

    // The folder is kept: the pane opens on the list, `s` syncs.
    press(app, KeyCode::F(1));
    press(app, KeyCode::F(5));
    assert_eq!(app.sync.focus, Focus::List);
    assert_eq!(app.sync.folder.text_value(), folder.to_str().unwrap());
    type_text(app, "s");
    assert!(app.busy());
    // The rest of the console stays usable meanwhile.
    press(app, KeyCode::F(2));
    assert_eq!(app.pane, PaneId::Cases);
    wait_done(app);
    assert_eq!(
        app.header.conflicts,
        Some(1),
        "the badge, read after the sync"
    );
    // The status line says so in whichever pane is shown.
    let status = app.status.clone().expect("no message after the sync");
    assert!(!status.error && status.text.contains('1'), "{status:?}");
    assert!(shows(app, &status.text));
    press(app, KeyCode::F(5));
    p
}

#[test]
fn a_sync_from_the_pane_lists_the_conflict_and_taking_the_other_value_changes_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let p = conflict_scenario(&dir, &mut app, Lang::ZhCn);

    let Some(Last::Done { outcome, .. }) = &app.sync.last else {
        panic!("no summary")
    };
    assert_eq!(
        outcome.report.files_read, 2,
        "{outcome:?}: its station, then the rename"
    );
    assert!(outcome.report.ops_applied > 0);
    assert!(outcome.report.refused.is_empty());
    assert_eq!(outcome.conflicts, 1);
    assert!(!outcome.joined && !outcome.created_network);
    assert_eq!(app.sync.conflicts.len(), 1);
    let screen = render(&app, 120, 40);
    for want in [
        "F5 同步 (1)",
        "读入 2 个文件",
        "有 1 处冲突待定",
        "冲突（1）",
        "人员 张珊 · 姓名",
        "现为：  张珊  (南山驿站",
        "另一值：  张叁",
        "o 采用另一值",
        "k 保留现值",
    ] {
        assert!(screen.contains(want), "no {want:?}:\n{screen}");
    }
    show_fixed_folder(&mut app);
    snap("sync_done_ZhCn", &app);

    // `o` asks first, naming what will happen.
    type_text(&mut app, "o");
    assert!(matches!(app.sync.dialog, Some(Dialog::Confirm { .. })));
    snap("sync_confirm_ZhCn", &app);
    assert_eq!(app.store.person(p).unwrap().unwrap().details.name, "张珊");
    type_text(&mut app, "y");
    assert_eq!(app.store.person(p).unwrap().unwrap().details.name, "张叁");
    assert!(app.sync.conflicts.is_empty());
    assert_eq!(app.header.conflicts, Some(0));
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("已采用另一值：人员 张珊 · 姓名 → 张叁"),
        "{screen}"
    );
    assert!(!screen.contains("F5 同步 (1)"), "{screen}");
    assert!(screen.contains("没有待定的冲突"), "{screen}");
}

#[test]
fn keeping_the_current_value_ends_the_conflict_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let p = conflict_scenario(&dir, &mut app, Lang::En);
    let screen = render(&app, 120, 40);
    for want in [
        "F5 Sync (1)",
        "Read 2 file(s)",
        "Conflicts (1)",
        "person 张珊 · name",
    ] {
        assert!(screen.contains(want), "no {want:?}:\n{screen}");
    }
    show_fixed_folder(&mut app);
    snap("sync_done_En", &app);
    type_text(&mut app, "k");
    snap("sync_confirm_En", &app);
    // n goes back without deciding.
    type_text(&mut app, "n");
    assert!(app.sync.dialog.is_none());
    assert_eq!(app.sync.conflicts.len(), 1);
    type_text(&mut app, "k");
    press(&mut app, KeyCode::Enter);
    assert!(app.sync.conflicts.is_empty());
    assert_eq!(app.store.person(p).unwrap().unwrap().details.name, "张珊");
    assert_eq!(app.header.conflicts, Some(0));
}

#[test]
fn a_wrong_passphrase_asks_again_and_the_right_one_joins() {
    let dir = tempfile::tempdir().unwrap();
    let folder = usb(&dir);
    // The district office made the network.
    let (_, mut b) = station_db(&dir, "NS");
    create_network(&mut b, &folder, PASS);
    sync_store(&mut b, &folder);
    drop(b);

    let mut app = fixture_app(&dir, Lang::En);
    press(&mut app, KeyCode::F(5));
    type_text(&mut app, folder.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.sync.dialog, Some(Dialog::Passphrase { .. })),
        "a folder with a network: the passphrase is asked for"
    );
    type_text(&mut app, "not the passphrase");
    press(&mut app, KeyCode::Enter);
    wait_done(&mut app);
    let Some(Dialog::Passphrase { error, .. }) = &app.sync.dialog else {
        panic!("not asked again:\n{}", render(&app, 120, 40));
    };
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.contains("does not match")),
        "{error:?}"
    );
    assert!(app.sync.last.is_none(), "nothing ran");
    assert!(!app.sync.network.joined);
    // The typed folder is still there.
    assert_eq!(app.sync.folder.text_value(), folder.to_str().unwrap());
    type_text(&mut app, PASS);
    press(&mut app, KeyCode::Enter);
    wait_done(&mut app);
    let Some(Last::Done { outcome, .. }) = &app.sync.last else {
        panic!("{}", render(&app, 120, 40));
    };
    assert!(outcome.joined && !outcome.created_network);
    assert!(outcome.report.files_read >= 1);
    assert!(shows(&app, "This station joined the folder's sync network"));
    assert!(shows(&app, "joined · passphrase kept on this station"));
}

#[test]
fn a_refused_folder_says_why_beside_the_field_and_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::F(5));
    press(&mut app, KeyCode::Enter);
    assert!(app.sync.folder.error.is_some());
    assert!(shows(&app, "请输入同步文件夹"));
    let missing = dir.path().join("没有插好的U盘");
    type_text(&mut app, missing.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(!app.busy());
    assert!(app.sync.dialog.is_none());
    assert_eq!(app.sync.folder.text_value(), missing.to_str().unwrap());
    let status = app.status.clone().unwrap();
    assert!(status.error && status.text.contains("不存在"), "{status:?}");
}

#[test]
fn a_folder_of_another_network_is_refused_with_a_message_in_the_pane() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let ours = usb(&dir);
    first_sync(&mut app, &ours, None);
    let theirs = dir.path().join("other-district");
    std::fs::create_dir_all(&theirs).unwrap();
    let (_, mut b) = station_db(&dir, "NS");
    create_network(&mut b, &theirs, "another district");
    session::run(
        &mut b,
        &theirs,
        Some("another district"),
        None,
        &mut |_, _, _| {},
    )
    .unwrap();
    drop(b);

    type_text(&mut app, "f");
    assert_eq!(app.sync.focus, Focus::Folder);
    for _ in 0..ours.to_str().unwrap().chars().count() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, theirs.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    wait_done(&mut app);
    let Some(Last::Failed { message, .. }) = &app.sync.last else {
        panic!("{}", render(&app, 120, 40));
    };
    assert!(message.contains("another sync network"), "{message}");
    assert!(shows(&app, "The sync did not finish"));
    assert_eq!(app.sync.folder.text_value(), theirs.to_str().unwrap());
}

/// A progress set by hand: drawn as it runs, with decisions and a second
/// sync refused meanwhile, and quitting asks first.
#[test]
fn progress_and_quitting_during_a_sync() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        press(&mut app, KeyCode::F(5));
        app.sync.folder.set_text(SHOWN_FOLDER);
        app.sync.focus = Focus::List;
        app.sync.running = Some(Running {
            progress: Progress {
                stage: Stage::Read,
                done: 3,
                total: 10,
            },
            folder: SHOWN_FOLDER.into(),
            typed: false,
            job: None,
        });
        assert!(app.busy());
        snap(&format!("sync_running_{lang:?}"), &app);
        let screen = render(&app, 120, 40);
        let want = match lang {
            Lang::ZhCn => "读入 3/10 个文件",
            Lang::En => "Reading 3/10 files",
        };
        assert!(screen.contains(want), "{screen}");
        type_text(&mut app, "o");
        assert!(app.sync.dialog.is_none());
        assert!(app.status.as_ref().is_some_and(|s| s.error));
        type_text(&mut app, "s");
        assert!(app.status.as_ref().is_some_and(|s| s.error));
        send(&mut app, ctrl('q'));
        assert!(!app.quit);
        assert!(matches!(app.overlay, Some(Overlay::ConfirmQuitSync)));
        insta::assert_snapshot!(
            format!("sync_quit_running_{lang:?}_80x24"),
            render(&app, 80, 24)
        );
        type_text(&mut app, "n");
        assert!(app.overlay.is_none() && !app.quit);
        send(&mut app, ctrl('q'));
        type_text(&mut app, "y");
        assert!(app.quit);
    }
}

/// Events of a script; records how long the loop was willing to wait.
struct Script {
    events: std::collections::VecDeque<Option<ratatui::crossterm::event::Event>>,
    waits: Vec<Duration>,
}

impl waystation::tui::Events for Script {
    fn next(
        &mut self,
        timeout: Duration,
    ) -> std::io::Result<Option<ratatui::crossterm::event::Event>> {
        self.waits.push(timeout);
        Ok(self.events.pop_front().flatten())
    }
    fn pending(&mut self) -> std::io::Result<Option<ratatui::crossterm::event::Event>> {
        Ok(None)
    }
}

#[test]
fn the_loop_wakes_often_only_while_a_sync_runs() {
    let dir = tempfile::tempdir().unwrap();
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();

    // Idle: the loop sleeps until the next minute or a key.
    let mut app = fixture_app(&dir, Lang::En);
    let mut script = Script {
        events: [Some(ctrl('q'))].into(),
        waits: Vec::new(),
    };
    waystation::tui::run_loop(&mut terminal, &mut app, &mut script).unwrap();
    assert!(
        script.waits[0] >= Duration::from_secs(1),
        "{:?}",
        script.waits
    );

    // Syncing: it wakes a few times a second.
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    app.sync.running = Some(Running {
        progress: Progress::default(),
        folder: SHOWN_FOLDER.into(),
        typed: false,
        job: None,
    });
    let mut script = Script {
        events: [None, None, Some(ctrl('q')), Some(key(KeyCode::Char('y')))].into(),
        waits: Vec::new(),
    };
    waystation::tui::run_loop(&mut terminal, &mut app, &mut script).unwrap();
    assert!(app.quit);
    assert!(
        script
            .waits
            .iter()
            .all(|w| *w <= waystation::tui::WORK_TICK),
        "{:?}",
        script.waits
    );
}

/// A damaged file in the folder is refused with its reason in the
/// summary; the rest of the sync goes on.
#[test]
fn a_damaged_file_is_listed_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let folder = usb(&dir);
    first_sync(&mut app, &folder, None);
    let origin = "0123456789abcdef0123456789abcdef";
    let sub = folder.join(origin);
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join(format!("ws-{origin}-000000000001-000000000005.wsb")),
        b"not a bundle at all",
    )
    .unwrap();
    type_text(&mut app, "s");
    wait_done(&mut app);
    let Some(Last::Done { outcome, .. }) = &app.sync.last else {
        panic!("{}", render(&app, 120, 40));
    };
    assert_eq!(outcome.report.refused.len(), 1);
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("1 file(s) were refused"),
        "{status:?}"
    );
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains(&format!(
            "Refused {origin}/ws-{origin}-000000000001-000000000005.wsb:"
        )),
        "{screen}"
    );
    show_fixed_folder(&mut app);
    snap("sync_refused_En", &app);
}

#[test]
fn the_last_sync_before_this_session_is_remembered_and_an_old_one_stands_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    // Nine days before the fixture's day, as a sync would have noted it.
    let then = fixture_now() - chrono::Duration::days(9);
    app.store
        .set_setting(waystation::store::LAST_SYNC, Some(&then.to_rfc3339()))
        .unwrap();
    press(&mut app, KeyCode::F(5));
    let Some(Last::Earlier { at }) = &app.sync.last else {
        panic!("{:?}", app.sync.last)
    };
    assert_eq!(*at, then);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("(9 day(s) ago)"), "{screen}");
    assert!(screen.contains("Press s to sync again."), "{screen}");
}

#[test]
fn a_refused_folder_is_read_whole_at_80_columns() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        press(&mut app, KeyCode::F(5));
        let missing = dir.path().join("no-such-usb-stick");
        type_text(&mut app, missing.to_str().unwrap());
        press(&mut app, KeyCode::Enter);
        let message = app
            .sync
            .folder
            .error
            .clone()
            .expect("refused beside the field");
        assert_whole(&app, &format!("✗ {message}"));
    }
}

/// Joining: the district office made the network; a station's first sync
/// asks for the passphrase (nothing kept yet).
#[test]
fn joining_asks_for_the_passphrase_in_both_languages() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let folder = usb(&dir);
        let (_, mut b) = station_db(&dir, "NS");
        create_network(&mut b, &folder, PASS);
        drop(b);
        let mut app = fixture_app(&dir, lang);
        press(&mut app, KeyCode::F(5));
        type_text(&mut app, folder.to_str().unwrap());
        press(&mut app, KeyCode::Enter);
        assert!(matches!(app.sync.dialog, Some(Dialog::Passphrase { .. })));
        type_text(&mut app, PASS);
        app.sync.folder.set_text(SHOWN_FOLDER);
        snap(&format!("sync_secret_{lang:?}"), &app);
        press(&mut app, KeyCode::Esc);
        assert!(app.sync.dialog.is_none() && !app.busy());
    }
}

/// Someone who is not an admin, at a station whose folder has not
/// arrived: the sync says to wait (an admin at the office creates the
/// network), `n` names the role it needs, and nothing is written.
#[test]
fn a_station_whose_folder_has_not_arrived_creates_nothing_and_is_told_to_wait() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let folder = usb(&dir);
        let mut app = fixture_app(&dir, lang);
        sign_in_as_role(&mut app, Role::Staff);
        press(&mut app, KeyCode::F(5));
        assert!(!app.sync.network.may_create);
        let idle = render(&app, 120, 40);
        let hint = match lang {
            Lang::ZhCn => "全区的网络由区总工会的管理员新建",
            Lang::En => "an admin at the district office creates the district's",
        };
        assert!(unbroken(&idle).contains(&unbroken(hint)), "{idle}");
        type_text(&mut app, folder.to_str().unwrap());
        press(&mut app, KeyCode::Enter);
        assert!(app.sync.dialog.is_none() && !app.busy());
        let Some(Last::Failed { message, .. }) = &app.sync.last else {
            panic!("{}", render(&app, 120, 40));
        };
        let want = match lang {
            Lang::ZhCn => "请等它到齐后再按 s",
            Lang::En => "wait until it has arrived and press s again",
        };
        assert!(message.contains(want), "{message}");
        assert_whole(&app, message);
        let status = app.status.clone().unwrap();
        assert!(status.error, "{status:?}");
        // `n` is an admin's.
        type_text(&mut app, "n");
        assert!(app.sync.dialog.is_none());
        let status = app.status.clone().unwrap();
        let needs = match lang {
            Lang::ZhCn => "需要管理员角色",
            Lang::En => "This needs the Administrator role",
        };
        assert!(status.error && status.text.contains(needs), "{status:?}");
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
        assert!(app.store.sync_settings().unwrap().network.is_none());
    }
}

/// The passphrase is typed twice: two that differ create nothing, and Esc
/// leaves the folder as it was.
#[test]
fn creating_takes_the_passphrase_twice_and_esc_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = usb(&dir);
    let mut app = fixture_app(&dir, Lang::En);
    press(&mut app, KeyCode::F(5));
    type_text(&mut app, folder.to_str().unwrap());
    send(&mut app, ctrl('n'));
    assert!(
        matches!(app.sync.dialog, Some(Dialog::Create { .. })),
        "Ctrl-N from the folder field"
    );
    assert!(shows(&app, "Once, at the district office"));
    // Enter on an empty first field: asked to type it.
    press(&mut app, KeyCode::Enter);
    assert!(shows(&app, "Type the passphrase"));
    type_text(&mut app, PASS);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "something else");
    press(&mut app, KeyCode::Enter);
    let Some(Dialog::Create { error, .. }) = &app.sync.dialog else {
        panic!("{}", render(&app, 120, 40));
    };
    assert!(
        error.as_deref().is_some_and(|e| e.contains("differ")),
        "{error:?}"
    );
    assert!(!app.busy());
    press(&mut app, KeyCode::Esc);
    assert!(app.sync.dialog.is_none());
    assert!(shows(&app, "No sync network was created"));
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    assert!(!app.sync.network.joined);
}

/// `n` where a network is already: the folder's (join it by syncing), or
/// the station's own (a sync writes it onto an empty folder).
#[test]
fn a_second_network_is_never_created() {
    let dir = tempfile::tempdir().unwrap();
    let folder = usb(&dir);
    let (_, mut b) = station_db(&dir, "NS");
    create_network(&mut b, &folder, PASS);
    drop(b);
    let mut app = fixture_app(&dir, Lang::En);
    press(&mut app, KeyCode::F(5));
    type_text(&mut app, folder.to_str().unwrap());
    send(&mut app, ctrl('n'));
    assert!(app.sync.dialog.is_none());
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("already has a sync network"),
        "{status:?}"
    );

    // Joined (by syncing), then an empty stick: `n` refused, `s` writes
    // the same network onto it.
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, PASS);
    press(&mut app, KeyCode::Enter);
    wait_done(&mut app);
    assert!(app.sync.network.joined);
    let fresh = dir.path().join("new-stick");
    std::fs::create_dir_all(&fresh).unwrap();
    type_text(&mut app, "f");
    app.sync.folder.set_text(fresh.to_str().unwrap());
    send(&mut app, ctrl('n'));
    assert!(app.sync.dialog.is_none());
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("already belongs to a sync network"),
        "{status:?}"
    );
    press(&mut app, KeyCode::Enter);
    wait_done(&mut app);
    assert!(matches!(app.sync.last, Some(Last::Done { .. })));
    assert_eq!(
        std::fs::read_to_string(folder.join("network.wsn")).unwrap(),
        std::fs::read_to_string(fresh.join("network.wsn")).unwrap(),
        "the same network"
    );
}

/// A pipe and a folder with bundles' names in the folder: F5 names each
/// on a line of its own, in Chinese; the one whose records the station
/// lacks fails the sync (in red, said in the status line), the one whose
/// records are here is only listed; once the first is gone the sync is
/// done, with the other still listed.
#[cfg(unix)]
#[test]
fn special_files_are_listed_each_on_a_line_and_only_what_is_missing_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let folder = usb(&dir);
    first_sync(&mut app, &folder, None);
    let stranger = "0123456789abcdef0123456789abcdef";
    let sub = folder.join(stranger);
    std::fs::create_dir_all(&sub).unwrap();
    let own = waystation::sync::folder::scan(&folder).unwrap().remove(0);
    let own_name = own.path.file_name().unwrap().to_str().unwrap().to_owned();
    {
        use std::os::unix::ffi::OsStrExt;
        let pipe = sub.join(&own_name);
        let c = std::ffi::CString::new(pipe.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    }
    let phantom = format!("ws-{stranger}-000000000001-000000000005.wsb");
    std::fs::create_dir(sub.join(&phantom)).unwrap();

    type_text(&mut app, "s");
    wait_done(&mut app);
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("有 1 个文件被拒收"),
        "{status:?}"
    );
    let screen = render(&app, 200, 40);
    assert!(
        screen.contains(&format!(
            "已拒收 {stranger}/{phantom}：这不是文件，而是文件夹"
        )),
        "{screen}"
    );
    assert!(
        screen.contains(&format!(
            "已跳过 {stranger}/{own_name}：这不是文件，而是命名管道（FIFO）（其中的记录本站已有）"
        )),
        "{screen}"
    );

    std::fs::remove_dir(sub.join(&phantom)).unwrap();
    type_text(&mut app, "s");
    wait_done(&mut app);
    let status = app.status.clone().unwrap();
    assert!(
        !status.error && status.text.contains("跳过了文件夹里 1 个损坏或无关的文件"),
        "{status:?}"
    );
    assert!(render(&app, 200, 40).contains("已跳过"));
}
