//! A session's notes reach counsellors and nobody else: a marker written
//! into one session's notes by a counsellor is looked for in everything
//! else the station can show or write out — every schedule read, the
//! lookup, the figures, the audit view, `waystation export` and `waystation
//! report` (CSV, XLSX, text), and the bytes of the bundle files a
//! `waystation sync` writes. The notes do travel (another station's
//! counsellor reads them after the sync), so the bundles carry them, only
//! encrypted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use rusqlite::Connection;
use waystation::domain::access::{Act, Session};
use waystation::domain::ids::{AppointmentId, CounsellorId};
use waystation::domain::staff::Role;
use waystation::store::AuditFilter;
use waystation::store::{Store, StoreError};

use crate::common::cli::{Run, ok, run_env};

/// Found nowhere else in the demo's words: any hit is the notes leaking.
const MARK: &str = "会谈机密MARK7Q3Z";
const PASS: &str = "一街一月两次";

fn notes() -> String {
    format!("来访者说：{MARK}\n第二行也保密 {MARK}")
}

/// The binary from `home`, with `env`; it must succeed.
fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    ok(run_env(home, args, env))
}

fn db_arg(db: &Path) -> &str {
    db.to_str().unwrap()
}

/// A demo database in a fresh folder, with the marker in the notes of a
/// session held this month, written by a counsellor.
fn demo() -> (tempfile::TempDir, PathBuf, AppointmentId) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    run(
        home.path(),
        &[
            "--db",
            db_arg(&db),
            "demo",
            "--today",
            "2026-11-20",
            "--people",
            "60",
            "--visits",
            "300",
            "--cases",
            "20",
        ],
        &[],
    );
    let id: Vec<u8> = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id FROM appointments WHERE status = 'done' AND date >= '2026-11-01'
             ORDER BY date DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let id = AppointmentId::from_slice(&id).unwrap();
    let mut store = Store::open(&db).unwrap();
    sign_in(&mut store, Role::Counsellor);
    store.save_session_notes(id, &notes()).unwrap();
    assert_eq!(store.session_notes(id).unwrap(), Some(notes()));
    (home, db, id)
}

/// Signs the first staff member with `role` in.
fn sign_in(store: &mut Store, role: Role) -> Session {
    let s = store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == role && s.active)
        .unwrap();
    let session = Session {
        staff: s.id,
        name: s.name,
        role: s.role,
    };
    store.set_session(Some(session.clone()));
    session
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(MARK), "{what} carries the notes:\n{text}");
    assert!(!text.contains("第二行也保密"), "{what} carries the notes");
}

#[test]
fn no_store_read_but_the_notes_dialog_carries_them() {
    let (_home, db, id) = demo();
    let mut store = Store::open(&db).unwrap();
    let (date, person, phone): (String, String, String) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT a.date, p.name, p.mobile FROM appointments a
             JOIN people p ON p.id = a.person_id WHERE a.id = ?1",
            [id.as_bytes()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
    for role in [Role::Volunteer, Role::Staff, Role::Counsellor, Role::Admin] {
        sign_in(&mut store, role);
        let counsellors: Vec<CounsellorId> =
            store.counsellors().unwrap().iter().map(|c| c.id).collect();
        let mut reads = format!(
            "{:?}",
            store
                .appointments_between(day(2000, 1, 1), day(2100, 12, 31), None)
                .unwrap()
        );
        assert!(reads.contains(&id.0.to_string()), "the session is read");
        for c in counsellors {
            reads += &format!(
                "{:?}{:?}",
                store.appointments_on(c, date).unwrap(),
                store
                    .appointments_between(day(2000, 1, 1), day(2100, 12, 31), Some(c))
                    .unwrap()
            );
        }
        assert_clean(&format!("{role:?}: the schedule reads"), &reads);
        let lookups = format!(
            "{:?}{:?}{:?}{:?}",
            store.lookup(MARK, 50).unwrap(),
            store.lookup("MARK7Q3Z", 50).unwrap(),
            store.lookup(&person, 50).unwrap(),
            store.lookup(&phone, 50).unwrap(),
        );
        assert!(store.lookup(MARK, 50).unwrap().is_empty());
        assert_clean("the lookup", &lookups);
        let figures = store.figures(day(2025, 1, 1), day(2026, 12, 31), None);
        assert_clean("the figures", &format!("{figures:?}"));
        assert!(figures.is_ok());
        assert_clean("the conflicts", &format!("{:?}", store.conflicts()));
        if role == Role::Admin {
            // The audit view says who changed the notes, never what to.
            let page = store
                .audit_view(&AuditFilter::default(), true, 100_000)
                .unwrap();
            let page = format!("{page:?}");
            assert!(page.contains(&id.0.to_string()), "the change is listed");
            assert_clean("the audit view", &page);
        }
        // Only the counsellor gets the notes themselves.
        match store.session_notes(id) {
            Ok(n) => {
                assert_eq!(role, Role::Counsellor);
                assert_eq!(n, Some(notes()));
            }
            Err(StoreError::NotAllowed(Act::SessionNotes)) => {
                assert_ne!(role, Role::Counsellor);
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// `waystation export KIND --out OUT`. (The PIN is the demo's, for when
/// the command asks who exports.)
fn export(home: &Path, db: &Path, kind: &str, out: &str) {
    let admin = {
        let store = Store::open(db).unwrap();
        let staff = store.staff().unwrap();
        staff
            .into_iter()
            .find(|s| s.role == Role::Admin)
            .unwrap()
            .name
    };
    run(
        home,
        &[
            "--db",
            db_arg(db),
            "export",
            kind,
            "--out",
            out,
            "--as",
            &admin,
        ],
        &[("WAYSTATION_PIN", "1234")],
    );
}

/// Every cell of every sheet of a workbook, as text.
fn xlsx_text(path: &Path) -> String {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                match cell {
                    Data::String(s) => out += s,
                    other => out += &other.to_string(),
                }
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn exports_and_reports_leave_the_notes_out() {
    let (home, db, id) = demo();
    let h = home.path();
    let date: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT date FROM appointments WHERE id = ?1",
            [id.as_bytes()],
            |r| r.get(0),
        )
        .unwrap();
    for kind in ["appointments", "people", "visits", "cases"] {
        for ext in ["csv", "xlsx"] {
            let out = format!("{kind}.{ext}");
            export(h, &db, kind, &out);
            let path = h.join(&out);
            let text = if ext == "csv" {
                String::from_utf8(std::fs::read(&path).unwrap()).unwrap()
            } else {
                xlsx_text(&path)
            };
            assert_clean(&out, &text);
            // (XLSX holds dates as numbers.)
            if kind == "appointments" && ext == "csv" {
                assert!(text.contains(&date), "{out}: the session is exported");
            }
            assert!(text.lines().count() > 1, "{out} holds rows");
        }
    }
    for format in ["text", "csv", "xlsx"] {
        let out = format!("report.{format}");
        let r = run(
            h,
            &[
                "--db",
                db_arg(&db),
                "report",
                "--from",
                "2026-11",
                "--today",
                "2026-11-20",
                "--format",
                format,
                "--out",
                if format == "text" { "-" } else { &out },
            ],
            &[],
        );
        let text = match format {
            "text" => r.out,
            "csv" => String::from_utf8(std::fs::read(h.join(&out)).unwrap()).unwrap(),
            _ => xlsx_text(&h.join(&out)),
        };
        assert!(!text.trim().is_empty(), "{format}");
        assert_clean(&format!("report {format}"), &text);
    }
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

fn holds(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn sync_files_carry_the_notes_only_encrypted() {
    let (home, db, id) = demo();
    let h = home.path();
    let stick = h.join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let pass = [("WAYSTATION_SYNC_PASSPHRASE", PASS)];
    // Another station (the district office) creates the network first.
    let other = h.join("other.db");
    run(
        h,
        &[
            "--db",
            db_arg(&other),
            "init",
            "--no-passphrase",
            "--code",
            "BB",
            "--name",
            "乙站",
        ],
        &[],
    );
    run(
        h,
        &[
            "--db",
            db_arg(&other),
            "network",
            "create",
            stick.to_str().unwrap(),
        ],
        &pass,
    );
    run(
        h,
        &["--db", db_arg(&db), "sync", stick.to_str().unwrap()],
        &pass,
    );
    let written = files(&stick);
    let bundles = written
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "wsb"))
        .count();
    assert!(bundles > 0, "{written:?}");
    for needle in [MARK, "MARK7Q3Z", "第二行也保密"] {
        for (path, bytes) in &written {
            assert!(
                !holds(bytes, needle.as_bytes()),
                "{} holds {needle} in clear",
                path.display()
            );
        }
    }
    // The other station takes the folder's records: its counsellor reads
    // the notes, so they were in those bytes, encrypted.
    run(
        h,
        &["--db", db_arg(&other), "sync", stick.to_str().unwrap()],
        &pass,
    );
    let mut store = Store::open(&other).unwrap();
    sign_in(&mut store, Role::Staff);
    assert!(matches!(
        store.session_notes(id),
        Err(StoreError::NotAllowed(Act::SessionNotes))
    ));
    sign_in(&mut store, Role::Counsellor);
    assert_eq!(store.session_notes(id).unwrap(), Some(notes()));
}

#[test]
fn notes_edited_apart_stay_out_of_the_conflicts_list() {
    let (home, db, id) = demo();
    let other = home.path().join("other.db");
    let mut a = Store::open(&db).unwrap();
    let mut b = Store::open(&other).unwrap();
    b.init_station("BB", "乙站", "Asia/Shanghai").unwrap();
    let exchange = |a: &mut Store, b: &mut Store| {
        b.apply_remote(&a.all_ops().unwrap()).unwrap();
        a.apply_remote(&b.all_ops().unwrap()).unwrap();
    };
    exchange(&mut a, &mut b);
    // Two counsellors change the notes while the stations are apart.
    for (store, text) in [(&mut a, "甲站改的"), (&mut b, "乙站改的")] {
        sign_in(store, Role::Counsellor);
        store
            .save_session_notes(id, &format!("{text} {MARK}"))
            .unwrap();
    }
    exchange(&mut a, &mut b);
    for store in [&mut a, &mut b] {
        sign_in(store, Role::Staff);
        let listed = format!("{:?}", store.conflicts().unwrap());
        assert_clean("the conflicts list", &listed);
        assert!(!listed.contains("改的"), "{listed}");
    }
}
