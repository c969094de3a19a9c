//! End-to-end: the real binary in a pseudo-terminal, driven by keys, its
//! screen read through a terminal emulator.

use crate::common;

use std::path::Path;

use common::cli::{bin, demo_db};
use common::pty::Console;

/// Opens the console and signs in as the demo's admin.
fn open(dir: &Path, db: &Path, lang: &str, cols: u16, rows: u16) -> Console {
    let mut c = Console::start(
        &["--db", db.to_str().unwrap(), "--lang", lang],
        dir,
        cols,
        rows,
    );
    sign_in_admin(&mut c, db);
    c
}

/// Signs in as the demo's admin (every demo staff member's PIN is 1234),
/// with the keys a person would press on the sign-in list.
fn sign_in_admin(c: &mut Console, db: &Path) {
    let (admin, at) = {
        let store = waystation::store::Store::open(db).unwrap();
        let roster = store.sign_in_roster().unwrap();
        let at = roster
            .iter()
            .position(|s| s.role == waystation::domain::staff::Role::Admin)
            .unwrap();
        (roster[at].name.clone(), at)
    };
    c.wait_for(&admin);
    for _ in 0..at {
        c.down();
    }
    c.enter();
    c.type_text("1234");
    c.enter();
    // The tab line shows only once someone is signed in.
    c.wait_for(" F1 ");
}

#[test]
fn opens_switches_panes_looks_up_and_quits_restoring_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut c = open(dir.path(), &db, "en", 100, 30);
    c.wait_for("F1 Check-in");
    c.wait_for("Here now:");
    c.f(2);
    c.wait_for("FT-");
    c.ctrl('f');
    c.wait_for("Lookup:");
    c.type_text("FT-2026-0001");
    c.wait_for("[case]");
    c.esc();
    c.wait_gone("[case]");
    // Ctrl-L locks: the sign-in screen in front, the same person's PIN opens.
    c.ctrl('l');
    c.wait_for("The console is locked");
    c.wait_gone(" F1 ");
    c.type_text("1234");
    c.enter();
    c.wait_for(" F1 ");
    c.ctrl('q');
    let status = c.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(c.restored(), "the terminal was not restored");
}

#[test]
fn too_small_a_terminal_shows_a_message_and_redraws_on_resize() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut c = open(dir.path(), &db, "zh-CN", 100, 30);
    c.wait_for("来访登记");
    c.resize(60, 20);
    c.wait_for("窗口太小");
    c.resize(90, 26);
    c.wait_for("来访登记");
    c.ctrl('q');
    assert!(c.wait_exit().success());
}

#[test]
fn a_panic_still_restores_the_terminal_and_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    // Debug builds only: a test hook that panics after the first frame.
    let mut c = Console::start_with_env(
        &["--db", db.to_str().unwrap(), "--lang", "en"],
        dir.path(),
        100,
        30,
        &[("WAYSTATION_TEST_PANIC", "1")],
    );
    let status = c.wait_exit();
    assert!(!status.success());
    c.wait_for("internal error");
    assert!(c.restored(), "the terminal was not restored after a panic");
}

#[test]
fn a_database_without_a_station_is_refused_before_the_screen_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .arg("--lang")
        .arg("en")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("waystation init"), "{err}");
}

/// One Esc from the form the here-now list has the keyboard: a phone
/// number typed there adds no anonymous visitor (it used to add one per
/// digit) but goes to Find, which finds the person.
#[test]
fn a_phone_typed_in_the_list_finds_the_person_and_adds_no_visitor() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let phone = "19900001234";
    let details = waystation::domain::person::PersonInput {
        name: "陈回访".into(),
        mobile: phone.into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    waystation::store::Store::open(&db)
        .unwrap()
        .write(|w| w.add_person(&details))
        .unwrap();
    let visits = || -> i64 {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
            .unwrap()
    };
    let before = visits();

    let mut c = open(dir.path(), &db, "zh-CN", 80, 24);
    c.wait_for("Ctrl-T 打开");
    c.esc();
    c.wait_for("按 t 打开");
    c.type_text(phone);
    c.wait_for("陈回访   199****1234");
    c.enter();
    c.wait_for("再次来访：陈回访");
    assert_eq!(visits(), before, "no visitor was added");
    assert!(!c.screen().contains("匿名 +1"), "{}", c.screen());
    c.ctrl('q');
    c.wait_for("确定要退出");
    c.type_text("y");
    assert!(c.wait_exit().success());
    assert_eq!(visits(), before);
}

/// Presses → until the screen shows the choice `‹ label ›`.
fn choose(c: &mut Console, label: &str) {
    for _ in 0..12 {
        if c.screen().contains(&format!("‹ {label} ›")) {
            return;
        }
        c.right();
    }
    c.wait_for(&format!("‹ {label} ›"));
}

/// Registers a new person by phone and name and checks them in (F1).
fn check_in_new(c: &mut Console, phone: &str, name: &str) {
    c.f(1);
    c.type_text(phone);
    c.enter(); // no match: the phone goes to the new person's mobile
    c.type_text(name);
    c.ctrl('s');
    c.wait_for(&format!("Registered {name}"));
}

/// The walk of a station's afternoon: register and check in, open a group
/// wage case with three claimants, resolve it with an amount recovered,
/// book a counselling slot and fail to book it twice, quit; then the
/// command-line lookup finds the case with its new status.
#[test]
fn a_station_afternoon_from_check_in_to_counselling() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut c = open(dir.path(), &db, "en", 120, 40);
    c.wait_for("Here now:");

    // Check-in: three new workers, registered inline.
    let people = [
        ("13912340001", "测试甲"),
        ("13912340002", "测试乙"),
        ("13912340003", "测试丙"),
    ];
    for (phone, name) in people {
        check_in_new(&mut c, phone, name);
    }
    c.wait_for("测试丙");

    // A group wage case with the three as claimants, picked by lookup.
    c.f(2);
    c.wait_for("FT-");
    c.type_text("n");
    c.tab(); // type (wage arrears) → claimants
    for (phone, name) in people {
        c.type_text(phone);
        c.wait_for(name);
        c.enter();
    }
    c.enter(); // empty picker → respondent
    c.type_text("某某建筑劳务公司");
    c.enter();
    c.type_text("3万");
    c.enter();
    c.right(); // a handler
    c.enter();
    c.type_text("2026-12-31");
    c.enter();
    c.type_text("三人三个月工资未发");
    c.enter(); // saves
    // The worker's slip shows first, alone; Esc puts it away.
    c.wait_for("Case slip");
    c.esc();
    c.wait_for("¥30,000.00");
    c.wait_for("测试甲");

    // Resolve it with ¥8,000 recovered.
    c.type_text("s");
    choose(&mut c, "Resolved");
    c.tab();
    choose(&mut c, "Amount recovered");
    c.tab();
    c.type_text("8000");
    c.enter();
    c.wait_for("¥8,000.00");

    schedule_walk(&mut c, "13912340002", "测试乙");

    c.ctrl('q');
    assert!(c.wait_exit().success());
    assert!(c.restored());

    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "lookup", "测试甲"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let case_line = text
        .lines()
        .find(|l| l.starts_with("case"))
        .unwrap_or_else(|| panic!("no case found:\n{text}"));
    assert!(case_line.contains("Resolved"), "{case_line}");
    assert!(case_line.contains("测试甲"), "{case_line}");

    // One live session for the person booked, not two.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let sessions: i64 = conn
        .query_row(
            "SELECT count(*) FROM appointments a JOIN people p ON p.id = a.person_id
             WHERE p.name = '测试乙' AND a.status <> 'cancelled'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sessions, 1);
}

/// F3: picks the first counsellor, books `phone`'s holder into the next free
/// slot, then tries to book the same slot again and is refused.
fn schedule_walk(c: &mut Console, phone: &str, name: &str) {
    c.f(3);
    c.tab(); // to the counsellor column
    c.down(); // past "Everyone"
    c.down(); // past "all psychological"
    c.down(); // past "all legal": the first counsellor
    c.enter();
    c.type_text("n"); // the next free slot
    c.type_text("b");
    c.type_text(phone);
    c.wait_for(name);
    c.enter();
    c.wait_for("Booked:");
    c.type_text("b"); // the same slot again
    c.wait_for("already booked");
    c.esc();
}

/// F5 from the real binary: another station has written into the folder;
/// the passphrase comes from the environment (a scripted kiosk), the
/// folder is typed, Enter syncs on a thread of its own, and the summary
/// shows what was read, what was written, and that the station joined.
#[test]
fn syncs_from_the_sync_pane_and_shows_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let folder = dir.path().join("usb");
    std::fs::create_dir_all(&folder).unwrap();
    let other = dir.path().join("other.db");
    let out = bin()
        .arg("--db")
        .arg(&other)
        .args([
            "demo", "--code", "NS", "--people", "20", "--visits", "50", "--cases", "3", "--seed",
            "9",
        ])
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The other station is the district office: it creates the network
    // (an admin's act), then syncs.
    let admin = {
        let store = waystation::store::Store::open(&other).unwrap();
        let roster = store.sign_in_roster().unwrap();
        roster
            .iter()
            .find(|s| s.role == waystation::domain::staff::Role::Admin)
            .map(|s| s.name.clone())
            .unwrap()
    };
    let out = bin()
        .arg("--db")
        .arg(&other)
        .args(["--lang", "en", "network", "create"])
        .arg(&folder)
        .args(["--as", &admin])
        .env("XDG_DATA_HOME", dir.path())
        .env("WAYSTATION_SYNC_PASSPHRASE", PASS)
        .env("WAYSTATION_PIN", "1234")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sync_by_command(&other, &folder, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut c = Console::start_with_env(
        &["--db", db.to_str().unwrap(), "--lang", "en"],
        dir.path(),
        120,
        40,
        &[("WAYSTATION_SYNC_PASSPHRASE", PASS)],
    );
    sign_in_admin(&mut c, &db);
    c.wait_for("Here now:");
    c.f(5);
    c.wait_for("not joined yet");
    c.type_text(folder.to_str().unwrap());
    c.enter();
    c.wait_for("Last sync ·");
    c.wait_for("This station joined the folder's sync network");
    c.wait_for("Read 1 file(s)");
    c.wait_for("joined · passphrase set on this computer");
    assert!(
        !c.screen().contains(PASS),
        "the passphrase is on the screen"
    );
    c.ctrl('q');
    assert!(c.wait_exit().success());
    assert!(c.restored());

    // The other station reads what this one wrote.
    let out = sync_by_command(&other, &folder, dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("read 1 file(s)"), "{text}");
}

/// The sync passphrase of the end-to-end tests.
const PASS: &str = "district passphrase";

/// `waystation --db DB sync FOLDER` with the test passphrase, in English.
fn sync_by_command(
    db: &std::path::Path,
    folder: &std::path::Path,
    data: &std::path::Path,
) -> std::process::Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--lang", "en", "sync"])
        .arg(folder)
        .env("XDG_DATA_HOME", data)
        .env("WAYSTATION_SYNC_PASSPHRASE", PASS)
        .output()
        .unwrap()
}

/// An encrypted station's console in the morning: the passphrase is asked
/// before the screen is taken, a wrong one asked again, the right one
/// opens the console; the kiosk asks the same.
#[test]
fn an_encrypted_database_asks_its_passphrase_before_the_console_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("station.db");
    let pass = "one street, two visits a month";
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "init", "--code", "FT", "--name", "丰台驿站"])
        .env("WAYSTATION_NEW_PASSPHRASE", pass)
        .env_remove("WAYSTATION_PASSPHRASE")
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut c = Console::start(
        &["--db", db.to_str().unwrap(), "--lang", "en"],
        dir.path(),
        80,
        24,
    );
    c.wait_for("Station passphrase of");
    c.type_text("not the passphrase at all");
    c.enter();
    c.wait_for("wrong; try again");
    c.type_text(pass);
    c.enter();
    // No staff yet: the console asks for the first admin.
    c.wait_for("admin");
    assert!(!c.screen().contains(pass), "the passphrase is never shown");
    c.signal(libc::SIGTERM);
    c.wait_exit();
    assert!(c.restored_at_exit());
    // The kiosk asks in its own language, Chinese unless told otherwise
    // (it refuses to start afterwards: nobody has a PIN yet to leave it).
    let mut k = Console::start(&["--db", db.to_str().unwrap(), "kiosk"], dir.path(), 80, 24);
    k.wait_for("的站点口令");
    k.type_text(pass);
    k.enter();
    k.wait_for("管理员");
    k.wait_exit();
}
