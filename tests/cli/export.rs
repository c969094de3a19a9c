//! `waystation export` as staff run it: the real binary on a demo
//! database, its files read back, and the audit log it leaves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::TimeZone;
use rusqlite::Connection;
use waystation::domain::ids::{AppointmentId, CaseId};
use waystation::store::AuditAction;
use waystation::store::Store;

use crate::common::cli::{Run, assert_one_line_error, ok, run_env};

/// The binary from `home`, with every demo staff member's PIN.
fn run(home: &Path, args: &[&str]) -> Run {
    run_env(home, args, &[("WAYSTATION_PIN", "1234")])
}

/// A demo database in a fresh folder; the folder is also where `export`
/// runs.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    ok(run(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "demo",
            "--today",
            "2026-11-20",
            "--people",
            "50",
            "--visits",
            "300",
            "--cases",
            "20",
        ],
    ));
    (home, db)
}

fn export(home: &Path, db: &Path, args: &[&str]) -> Run {
    let admin = staff_named(db, waystation::domain::staff::Role::Admin);
    let mut all = vec!["--db", db.to_str().unwrap(), "export"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--as", admin.as_str()]);
    run(home, &all)
}

/// The name of the demo's first staff member with `role`.
fn staff_named(db: &Path, role: waystation::domain::staff::Role) -> String {
    let store = waystation::store::Store::open(db).unwrap();
    store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == role)
        .unwrap()
        .name
}

#[test]
fn exporting_needs_a_staff_member_and_their_pin() {
    let (home, db) = demo();
    let path = db.to_str().unwrap();
    // Nobody named: refused before anything is written.
    let r = run(home.path(), &["--db", path, "export", "people"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("--as"), "{}", r.err);
    // A volunteer may not export.
    let vol = staff_named(&db, waystation::domain::staff::Role::Volunteer);
    let r = run(
        home.path(),
        &["--db", path, "export", "people", "--as", &vol],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("needs one of the roles"), "{}", r.err);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'export%'"
        ),
        0
    );
    // Staff may; the export is theirs in the audit log.
    let staff = staff_named(&db, waystation::domain::staff::Role::Staff);
    ok(run(
        home.path(),
        &["--db", path, "export", "people", "--as", &staff],
    ));
    let actor = strings(
        &db,
        "SELECT s.name FROM audit_log a JOIN staff s ON s.id = a.actor
         WHERE a.action = 'export'",
    );
    assert_eq!(actor, vec![staff]);
}

fn count(db: &Path, sql: &str) -> usize {
    let conn = Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

fn strings(db: &Path, sql: &str) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A CSV file: it starts with the BOM; its header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Every sheet of a workbook: its name and its rows.
fn read_xlsx(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}

/// The export entries of the audit log, newest first (each export also
/// signs its maker in, which is an entry of its own).
fn audit(db: &Path) -> Vec<waystation::store::AuditEntry> {
    let mut log = Store::open(db).unwrap().audit_entries(100).unwrap();
    log.retain(|e| e.action.starts_with("export"));
    log
}

#[test]
fn people_are_masked_by_default_and_full_when_asked() {
    let (home, db) = demo();
    let r = ok(export(home.path(), &db, &["people"]));
    let path = home.path().join("waystation-people-");
    let file = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().starts_with(path.to_str().unwrap()))
        .expect("the default file in the current folder");
    assert!(file.to_string_lossy().ends_with(".csv"));
    let people = count(&db, "SELECT count(*) FROM people");
    assert!(
        r.out
            .contains(&format!("Exported {people} rows of people to ")),
        "{}",
        r.out
    );
    assert!(r.out.contains(&*file.to_string_lossy()), "{}", r.out);

    let (header, rows) = read_csv(&file);
    assert_eq!(header[..3], ["Name", "Mobile", "ID number"]);
    assert_eq!(rows.len(), people);
    let text = std::fs::read_to_string(&file).unwrap();
    let mobiles = strings(&db, "SELECT mobile FROM people WHERE mobile IS NOT NULL");
    let ids = strings(
        &db,
        "SELECT resident_id FROM people WHERE resident_id IS NOT NULL",
    );
    assert!(!mobiles.is_empty() && !ids.is_empty(), "the demo has both");
    for full in mobiles.iter().chain(&ids) {
        assert!(!text.contains(full.as_str()), "{full} in the masked file");
    }
    // Nowhere a run of 11 digits (a mobile) or 17 (an ID number).
    let longest_digits = text
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(longest_digits < 11, "{longest_digits} digits in a row");
    let m = &mobiles[0];
    assert!(text.contains(&format!("{}****{}", &m[..3], &m[7..])));
    assert!(text.contains(&format!("{}{}", "*".repeat(14), &ids[0][14..])));

    let full = home.path().join("full.csv");
    ok(export(
        home.path(),
        &db,
        &["people", "--unmasked", "--out", "full.csv"],
    ));
    let text = std::fs::read_to_string(&full).unwrap();
    for n in mobiles.iter().chain(&ids) {
        assert!(text.contains(n.as_str()), "{n} missing from the full file");
    }

    let log = audit(&db);
    assert_eq!(log.len(), 2, "every export is recorded");
    let (unmasked, masked) = (&log[0], &log[1]);
    assert_eq!(masked.action_kind(), Some(AuditAction::Export));
    assert_eq!(masked.subject, "people");
    assert_eq!(masked.detail["rows"], people as u64);
    assert_eq!(masked.detail["masked"], true);
    assert_eq!(masked.detail["format"], "csv");
    assert_eq!(masked.detail["file"], &*file.to_string_lossy());
    assert_eq!(unmasked.action_kind(), Some(AuditAction::ExportUnmasked));
    assert_eq!(unmasked.detail["masked"], false);
    assert_eq!(unmasked.detail["file"], &*full.to_string_lossy());
    assert_eq!(masked.station_code.as_deref(), Some("FT"));
    let admin = staff_named(&db, waystation::domain::staff::Role::Admin);
    assert_eq!(
        masked.actor_name.as_deref(),
        Some(admin.as_str()),
        "who exported"
    );
}

/// Milliseconds of a local midnight in Shanghai.
fn midnight(y: i32, m: u32, d: u32) -> i64 {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, 0, 0, 0)
        .unwrap()
        .timestamp_millis()
}

#[test]
fn visits_of_a_period_and_a_station() {
    let (home, db) = demo();
    ok(export(
        home.path(),
        &db,
        &[
            "visits",
            "--from",
            "2026-11-10",
            "--to",
            "11/19",
            "--station",
            "ft",
            "--out",
            "v.csv",
        ],
    ));
    let (header, rows) = read_csv(&home.path().join("v.csv"));
    assert_eq!(
        header,
        [
            "Station",
            "Arrived",
            "Left",
            "Name",
            "Trade",
            "Headcount",
            "Services"
        ]
    );
    let want = count(
        &db,
        &format!(
            "SELECT count(*) FROM visits WHERE arrived_at >= {} AND arrived_at < {}",
            midnight(2026, 11, 10),
            midnight(2026, 11, 20)
        ),
    );
    assert!(want > 0, "the demo has visits in the period");
    assert_eq!(rows.len(), want);
    assert!(rows.iter().all(|r| r[0] == "FT"));
    assert!(rows.windows(2).all(|w| w[0][1] <= w[1][1]), "by arrival");
    assert!(
        rows.iter()
            .all(|r| r[1].as_str() >= "2026-11-10 00:00" && r[1].as_str() < "2026-11-20")
    );
    // Anonymous tallies: no name, a headcount.
    let tallies = count(
        &db,
        &format!(
            "SELECT count(*) FROM visits WHERE person_id IS NULL AND arrived_at >= {}
             AND arrived_at < {}",
            midnight(2026, 11, 10),
            midnight(2026, 11, 20)
        ),
    );
    assert_eq!(rows.iter().filter(|r| r[3].is_empty()).count(), tallies);
    let log = audit(&db);
    assert_eq!(log[0].subject, "visits");
    assert_eq!(log[0].detail["from"], "2026-11-10");
    assert_eq!(log[0].detail["to"], "2026-11-19");
    assert_eq!(log[0].detail["station"], "FT");
    assert_eq!(log[0].detail["rows"], want as u64);
}

#[test]
fn cases_in_xlsx_have_headers_in_the_language_and_money_as_numbers() {
    let (home, db) = demo();
    for (lang, sheet, first) in [("zh-CN", "案件", "案件号"), ("en", "Cases", "Case number")] {
        let name = format!("cases-{lang}.xlsx");
        ok(export(
            home.path(),
            &db,
            &["--lang", lang, "cases", "--out", &name],
        ));
        let sheets = read_xlsx(&home.path().join(&name));
        assert_eq!(sheets.len(), 1);
        let (got_sheet, rows) = &sheets[0];
        assert_eq!(got_sheet, sheet);
        assert_eq!(rows[0][0].to_string(), first);
        assert_eq!(rows.len() - 1, count(&db, "SELECT count(*) FROM cases"));
        let conn = Connection::open(&db).unwrap();
        for row in &rows[1..] {
            let number = row[0].to_string();
            let (claimed, recovered): (i64, i64) = conn
                .query_row(
                    "SELECT claimed, recovered FROM cases
                     WHERE code || '-' || year || '-' || substr('000' || seq, -4, 4) = ?1",
                    [&number],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            for (cell, fen) in [(&row[7], claimed), (&row[8], recovered)] {
                let Data::Float(yuan) = cell else {
                    panic!("money is a number: {cell:?}");
                };
                assert!((yuan - fen as f64 / 100.0).abs() < 1e-9, "{yuan} vs {fen}");
            }
            assert!(
                matches!(row[14], Data::DateTime(_)),
                "opened is a date and time: {:?}",
                row[14]
            );
        }
    }
}

#[test]
fn counselling_notes_and_case_notes_never_leave() {
    let (home, db) = demo();
    const SESSION: &str = "保密咨询内容XQZ7";
    const CASE_NOTE: &str = "案件记录内容WJK3";
    {
        let mut store = Store::open(&db).unwrap();
        let conn = Connection::open(&db).unwrap();
        let appointment: Vec<u8> = conn
            .query_row("SELECT id FROM appointments LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let case: Vec<u8> = conn
            .query_row("SELECT id FROM cases LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let mut w = store.begin(None).unwrap();
        w.set_appointment_notes(AppointmentId::from_slice(&appointment).unwrap(), SESSION)
            .unwrap();
        w.add_note(CaseId::from_slice(&case).unwrap(), CASE_NOTE)
            .unwrap();
        w.commit().unwrap();
    }
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM appointments WHERE notes = '{SESSION}'")
        ),
        1
    );
    for (kind, rows_sql) in [
        ("appointments", "SELECT count(*) FROM appointments"),
        ("cases", "SELECT count(*) FROM cases"),
    ] {
        let csv = format!("{kind}.csv");
        ok(export(home.path(), &db, &[kind, "--out", &csv]));
        let text = std::fs::read_to_string(home.path().join(&csv)).unwrap();
        assert!(
            !text.contains(SESSION) && !text.contains(CASE_NOTE),
            "{kind}"
        );
        assert_eq!(
            read_csv(&home.path().join(&csv)).1.len(),
            count(&db, rows_sql)
        );

        let xlsx = format!("{kind}.xlsx");
        ok(export(home.path(), &db, &[kind, "--out", &xlsx]));
        for (_, rows) in read_xlsx(&home.path().join(&xlsx)) {
            assert_eq!(rows.len() - 1, count(&db, rows_sql));
            for cell in rows.iter().flatten() {
                let s = cell.to_string();
                assert!(
                    !s.contains(SESSION) && !s.contains(CASE_NOTE),
                    "{kind}: {s}"
                );
            }
        }
    }
    let (header, _) = read_csv(&home.path().join("appointments.csv"));
    assert_eq!(
        header,
        [
            "Date",
            "Start",
            "End",
            "Counsellor",
            "Kind",
            "Person",
            "Status",
            "Follow-up"
        ]
    );
    assert_eq!(audit(&db).len(), 4);
}

#[test]
fn bad_command_lines_say_why_on_one_line_and_record_nothing() {
    let (home, db) = demo();
    let r = export(home.path(), &db, &["payments"]);
    assert_one_line_error(&r, 2);
    assert!(r.err.contains("payments"), "{}", r.err);
    let r = export(home.path(), &db, &["visits", "--format", "pdf"]);
    assert_one_line_error(&r, 2);
    assert!(r.err.contains("pdf"), "{}", r.err);
    let r = export(home.path(), &db, &["visits", "--from", "2026-13-01"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("no month 13"), "{}", r.err);
    let r = run(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "zh-CN",
            "export",
            "visits",
            "--from",
            "昨天天",
        ],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("不是时间段"), "{}", r.err);
    let r = export(home.path(), &db, &["cases", "--station", "XX"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("no station has the code XX"), "{}", r.err);
    let r = export(home.path(), &db, &["people", "--from", "本月"]);
    assert_one_line_error(&r, 1);
    let r = export(
        home.path(),
        &db,
        &["visits", "--out", "no/such/folder/v.csv"],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("does not exist"), "{}", r.err);
    assert!(audit(&db).is_empty(), "a refused export is not recorded");
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("waystation-") || n.ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// An export recorded at one station is in the other's audit log after
/// they exchange operations, and both hold the same records.
#[test]
fn the_audit_log_travels_with_sync() {
    let (home, db) = demo();
    ok(export(
        home.path(),
        &db,
        &["people", "--unmasked", "--out", "p.xlsx"],
    ));
    let a = Store::open(&db).unwrap();
    let mut b = Store::open(&home.path().join("office.db")).unwrap();
    b.init_station("QU", "区总工会", "Asia/Shanghai").unwrap();
    b.apply_remote(&a.all_ops().unwrap()).unwrap();
    let seen = b.audit_entries(10).unwrap();
    assert_eq!(seen.len(), 2, "the sign-in and the export");
    assert_eq!(seen, a.audit_entries(10).unwrap());
    assert_eq!(seen[1].action, "sign_in");
    let seen = &seen[..1];
    assert_eq!(seen[0].action_kind(), Some(AuditAction::ExportUnmasked));
    assert_eq!(seen[0].station_code.as_deref(), Some("FT"));
    assert_eq!(seen[0].detail["format"], "xlsx");
    // And back: the office's records reach the station.
    let mut a = a;
    a.apply_remote(&b.all_ops().unwrap()).unwrap();
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
    assert!(b.check().unwrap().is_ok());
}

/// docs/exports.md names every column of every kind in both languages.
#[test]
fn the_doc_lists_every_column() {
    use waystation::report::export::Kind;
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/exports.md")).unwrap();
    for kind in [Kind::People, Kind::Visits, Kind::Cases, Kind::Appointments] {
        let section = doc
            .split(&format!("**{}**", kind.code()))
            .nth(1)
            .unwrap_or_else(|| panic!("no section for {}", kind.code()));
        let section = section.split("\n\n").next().unwrap_or_default();
        let section = section.split_whitespace().collect::<Vec<_>>().join(" ");
        for (zh, en, _) in kind.columns() {
            assert!(
                section.contains(&format!("{zh} {en}")),
                "docs/exports.md: {} lacks {zh} {en}",
                kind.code()
            );
        }
    }
}
