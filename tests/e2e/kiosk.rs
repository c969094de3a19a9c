//! End-to-end: the real `waystation kiosk` in a pseudo-terminal. It
//! survives every escape key, answers a case lookup for the right number
//! and digits only, slows down after repeated misses, and quits only after
//! a staff PIN, restoring the terminal.

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::cli::{bin, demo_db};
use common::pty::Console;
use waystation::domain::case::CaseStatus;
use waystation::i18n::Lang;

/// A case of the database with a current claimant who has a mobile: its
/// number, status, and the last four digits of that mobile; and four
/// digits that end no current claimant's mobile of that case.
fn a_case(db: &Path) -> (String, CaseStatus, String, String) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let (code, year, seq, status, mobile): (String, i32, u32, String, String) = conn
        .query_row(
            "SELECT c.code, c.year, c.seq, c.status, p.mobile
             FROM cases c JOIN case_claimants k ON k.case_id = c.id AND k.removed = 0
             JOIN people p ON p.id = k.person_id
             WHERE p.mobile IS NOT NULL ORDER BY c.seq LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let number = format!("{code}-{year}-{seq:04}");
    let tails: Vec<String> = conn
        .prepare(
            "SELECT p.mobile FROM cases c JOIN case_claimants k ON k.case_id = c.id
             JOIN people p ON p.id = k.person_id
             WHERE c.code = ?1 AND c.year = ?2 AND c.seq = ?3 AND p.mobile IS NOT NULL",
        )
        .unwrap()
        .query_map(rusqlite::params![code, year, seq], |r| {
            r.get::<_, String>(0)
        })
        .unwrap()
        .map(|m| m.unwrap()[7..].to_owned())
        .collect();
    let wrong = (0..10_000)
        .map(|n| format!("{n:04}"))
        .find(|d| !tails.contains(d))
        .unwrap();
    let status = CaseStatus::from_code(&status).unwrap();
    (number, status, mobile[7..].to_owned(), wrong)
}

fn kiosk(dir: &Path, db: &Path) -> Console {
    // No --lang: the kiosk speaks Chinese whatever the locale (the pseudo-
    // terminal's is C.UTF-8, which the console would take as English).
    Console::start(&["--db", db.to_str().unwrap(), "kiosk"], dir, 80, 24)
}

/// Asserts the kiosk still runs and still shows itself.
fn still_there(c: &mut Console, after: &str) {
    std::thread::sleep(Duration::from_millis(150));
    assert!(c.is_running(), "the kiosk ended after {after}");
    assert!(
        c.screen().contains("自助服务"),
        "the kiosk screen is gone after {after}:\n{}",
        c.screen()
    );
}

/// Types a case number and four digits into the lookup screen (clearing
/// what the last try left) and presses Enter.
fn look_up(c: &mut Console, number: &str, digits: &str) {
    for _ in 0..4 {
        c.send(b"\x7f");
    }
    c.up();
    for _ in 0..number.len() + 2 {
        c.send(b"\x7f");
    }
    c.type_text(number);
    c.tab();
    c.type_text(digits);
    c.enter();
}

#[test]
fn the_kiosk_survives_escape_keys_answers_lookups_slows_down_and_leaves_with_a_pin() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let (number, status, right, wrong) = a_case(&db);
    let mut c = kiosk(dir.path(), &db);
    c.wait_for("查询案件进度");
    c.wait_for("签到");

    // Every escape: none ends the kiosk or leaves its screen.
    let escapes: [(&str, &[u8]); 15] = [
        ("Ctrl-C", b"\x03"),
        ("Ctrl-Z", b"\x1a"),
        ("Ctrl-\\", b"\x1c"),
        ("Ctrl-D", b"\x04"),
        ("Ctrl-Q", b"\x11"),
        ("Esc", b"\x1b"),
        ("Alt-x", b"\x1bx"),
        ("arrow up", b"\x1b[A"),
        ("F1", b"\x1bOP"),
        ("F4", b"\x1bOS"),
        ("F5", b"\x1b[15~"),
        ("F10", b"\x1b[21~"),
        ("F11", b"\x1b[23~"),
        ("Alt-F4", b"\x1b[1;3S"),
        ("Ctrl-C in a burst", b"\x03\x03\x03\x1a\x1c"),
    ];
    for (name, bytes) in escapes {
        c.send(bytes);
        if bytes == b"\x1b" {
            std::thread::sleep(Duration::from_millis(100));
        }
        still_there(&mut c, name);
    }
    // It still answers keys (a stopped process would not).
    c.send(b"2");
    c.wait_for("手机后四位");
    for (name, bytes) in [
        ("Ctrl-C", &b"\x03"[..]),
        ("Ctrl-Z", b"\x1a"),
        ("F10", b"\x1b[21~"),
    ] {
        c.send(bytes);
        still_there(&mut c, &format!("{name} on the lookup screen"));
    }

    // The right number and digits: the status.
    look_up(&mut c, &number, &right);
    c.wait_for(status.label(Lang::ZhCn));
    c.wait_for("下一步");
    assert!(c.screen().contains(&number));
    c.send(b" ");
    c.wait_for("请选择");

    // Wrong digits: "not found", and nothing of the case.
    c.send(b"2");
    c.wait_for("手机后四位");
    look_up(&mut c, &number, &wrong);
    c.wait_for("未找到");
    assert!(!c.screen().contains("当前状态"));
    // A number that does not exist: the same answer.
    look_up(&mut c, "FT-2026-9999", &right);
    c.wait_for("未找到");
    assert!(!c.screen().contains("秒后再试"), "not yet slowed down");
    // The third miss makes the next try wait, and even the right digits
    // are not looked up while it does.
    look_up(&mut c, &number, &wrong);
    c.wait_for("查询次数太多，请");
    c.wait_for("秒后再试");
    // (Only the digits retyped: the wait is five seconds.)
    for _ in 0..4 {
        c.send(b"\x7f");
    }
    c.type_text(&right);
    c.enter();
    std::thread::sleep(Duration::from_millis(300));
    assert!(!c.screen().contains("下一步"), "looked up while waiting");
    assert!(c.screen().contains("秒后再试"));

    // F12: the staff exit. A wrong PIN keeps the kiosk.
    c.send(b"\x1b[24~");
    c.wait_for("工作人员退出");
    c.type_text("0000");
    c.enter();
    c.wait_for("PIN 码不对");
    still_there(&mut c, "a wrong PIN");
    // Esc leaves the prompt, not the kiosk.
    c.esc();
    c.wait_for("请选择");
    still_there(&mut c, "Esc in the PIN prompt");
    // The right one (any staff member's) leaves, restoring the terminal.
    c.send(b"\x1b[24~");
    c.wait_for("工作人员退出");
    c.type_text("1234");
    c.enter();
    let status = c.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(c.restored(), "the terminal was not restored");

    // The exit is in the audit log. Every demo staff member has the PIN
    // 1234, so the entry credits none of them and names them all.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (actor, detail): (Option<Vec<u8>>, String) = conn
        .query_row(
            "SELECT actor, detail FROM audit_log WHERE action = 'kiosk_exit'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(actor.is_none(), "a shared PIN names no one as the doer");
    let staff: i64 = conn
        .query_row(
            "SELECT count(*) FROM staff WHERE active AND pin IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(
        detail["pin_shared_by"].as_array().map(Vec::len),
        Some(staff as usize)
    );
}

#[test]
fn english_when_asked_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut c = Console::start(
        &["--db", db.to_str().unwrap(), "--lang", "en", "kiosk"],
        dir.path(),
        100,
        30,
    );
    c.wait_for("Case status");
    c.send(b"\x1b[24~");
    c.wait_for("Staff exit");
    c.type_text("1234");
    c.enter();
    assert!(c.wait_exit().success());
    assert!(c.restored());
}

#[test]
fn it_refuses_to_start_where_nobody_could_leave_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let run = |args: &[&str]| {
        bin()
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("XDG_DATA_HOME", dir.path())
            .output()
            .unwrap()
    };
    // No database yet: nothing is created, the way to make one is said.
    let out = run(&["kiosk"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("waystation init"));
    assert!(!db.exists());
    assert!(
        run(&[
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "测试驿站"
        ])
        .status
        .success()
    );
    // A station, but nobody with a PIN.
    let out = run(&["kiosk"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("第一位管理员"), "{err}");
    let out = run(&["--lang", "en", "kiosk"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no staff PIN is set") && err.contains("first admin"),
        "{err}"
    );
    // Nothing was drawn: the refusal came before the terminal was touched.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\x1b[?1049h"));
}

#[test]
fn it_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "kiosk"])
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
}

/// Signals sent from outside: the kiosk lives through every one it must
/// survive, and a stop (systemd's SIGTERM) or a hang-up ends it with the
/// terminal restored; the console, ended by any, restores it too.
#[test]
fn signals_from_outside_leave_the_terminal_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    for ending in [libc::SIGTERM, libc::SIGHUP] {
        let mut c = kiosk(dir.path(), &db);
        c.wait_for("查询案件进度");
        for sig in [
            libc::SIGINT,
            libc::SIGQUIT,
            libc::SIGUSR1,
            libc::SIGUSR2,
            libc::SIGALRM,
            libc::SIGTSTP,
        ] {
            c.signal(sig);
            still_there(&mut c, &format!("signal {sig}"));
        }
        assert!(!c.restored(), "not restored while it runs");
        c.signal(ending);
        let status = c.wait_exit();
        assert_eq!(status.exit_code(), 128 + ending as u32, "signal {ending}");
        assert!(
            c.restored(),
            "the terminal is restored after signal {ending}"
        );
    }
    for sig in [
        libc::SIGTERM,
        libc::SIGINT,
        libc::SIGQUIT,
        libc::SIGHUP,
        libc::SIGUSR1,
    ] {
        let mut c = Console::start(
            &["--db", db.to_str().unwrap(), "--lang", "en"],
            dir.path(),
            80,
            24,
        );
        c.wait_for("PIN");
        c.signal(sig);
        let status = c.wait_exit();
        assert_eq!(status.exit_code(), 128 + sig as u32, "signal {sig}");
        assert!(
            c.restored(),
            "the console restored the terminal after signal {sig}"
        );
    }
}
