//! `waystation audit` as an admin runs it: the real binary on a demo
//! database (every generated staff member has the PIN 1234), signing in
//! with `--as` and `WAYSTATION_PIN`, and the refusals in one line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use waystation::domain::staff::Role;
use waystation::store::Store;

use crate::common::cli::{self, Run, ok, refused, run_env};

const DEMO_PIN: &str = "1234";

/// The binary from `home`, with `WAYSTATION_PIN` set to `pin` if given.
fn run(home: &Path, pin: Option<&str>, args: &[&str]) -> Run {
    match pin {
        Some(p) => run_env(home, args, &[("WAYSTATION_PIN", p)]),
        None => cli::run(home, args),
    }
}

/// The demo database, made once per test binary.
fn template() -> &'static PathBuf {
    static T: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("template.db");
        let args = [
            "--db",
            db.to_str().unwrap(),
            "demo",
            "--people",
            "300",
            "--visits",
            "2000",
            "--cases",
            "40",
            "--seed",
            "3",
        ];
        ok(run(dir.path(), None, &args));
        (dir, db)
    })
    .1
}

/// A copy of the demo database in a fresh folder, and the names of its
/// admin and of a member of staff who is no admin.
struct Demo {
    home: tempfile::TempDir,
    db: PathBuf,
    admin: String,
    clerk: String,
}

fn demo() -> Demo {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    drop(Store::open(template()).unwrap()); // checkpoint the template's WAL
    std::fs::copy(template(), &db).unwrap();
    let staff = Store::open(&db).unwrap().staff().unwrap();
    let name = |role: Role| {
        staff
            .iter()
            .find(|s| s.role == role && s.active)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| panic!("the demo has no {role:?}"))
    };
    Demo {
        admin: name(Role::Admin),
        clerk: name(Role::Staff),
        home,
        db,
    }
}

impl Demo {
    fn run(&self, pin: Option<&str>, args: &[&str]) -> Run {
        let mut all = vec!["--db", self.db.to_str().unwrap()];
        all.extend_from_slice(args);
        run(self.home.path(), pin, &all)
    }

    /// `waystation audit --as <admin>` with the demo PIN and `args`.
    fn audit(&self, args: &[&str]) -> Run {
        let mut all = vec!["audit", "--as", self.admin.as_str()];
        all.extend_from_slice(args);
        self.run(Some(DEMO_PIN), &all)
    }
}

/// The rows of the text output (without its heading and its last line).
fn rows(out: &str) -> Vec<&str> {
    let lines: Vec<&str> = out.lines().collect();
    match lines.len() {
        0..=2 => Vec::new(),
        n => lines[1..n - 1].to_vec(),
    }
}

#[test]
fn refused_without_a_name() {
    let d = demo();
    let r = d.run(Some(DEMO_PIN), &["audit"]);
    let msg = refused(&r);
    assert!(msg.contains("--as NAME"), "{msg}");
    let r = d.run(Some(DEMO_PIN), &["audit", "--as", "Nobody Here"]);
    assert!(refused(&r).contains("no staff member called “Nobody Here” can sign in"));
    // No PIN and no terminal to ask on.
    let r = d.run(None, &["audit", "--as", &d.admin]);
    assert!(refused(&r).contains("WAYSTATION_PIN"), "{}", r.err);
}

#[test]
fn a_wrong_pin_is_refused_and_slows_the_next_tries() {
    let d = demo();
    let args = ["audit", "--as", d.admin.as_str()];
    for _ in 0..2 {
        assert_eq!(
            refused(&d.run(Some("0000"), &args)),
            "waystation: wrong PIN"
        );
    }
    let third = d.run(Some("0000"), &args);
    assert!(
        refused(&third).contains("the next try must wait 5 s"),
        "{}",
        third.err
    );
    // Even the right PIN waits now, and says how long.
    let r = d.run(Some(DEMO_PIN), &args);
    assert!(refused(&r).contains("try again in"), "{}", r.err);
    // In Chinese too.
    let r = d.run(
        Some(DEMO_PIN),
        &["--lang", "zh-CN", "audit", "--as", &d.admin],
    );
    assert!(refused(&r).contains("秒后再试"), "{}", r.err);
}

#[test]
fn staff_who_are_no_admins_are_refused_with_the_role() {
    let d = demo();
    let r = d.run(Some(DEMO_PIN), &["audit", "--as", &d.clerk]);
    assert_eq!(refused(&r), "waystation: This needs the Administrator role");
    let r = d.run(
        Some(DEMO_PIN),
        &["--lang", "zh-CN", "audit", "--as", &d.clerk],
    );
    assert_eq!(refused(&r), "waystation: 需要管理员角色");
    // Their sign-in itself is in the log, as any sign-in.
    let out = ok(d.audit(&["--action", "sign_in"])).out;
    assert!(out.contains(&d.clerk), "{out}");
}

#[test]
fn a_database_where_nobody_can_sign_in_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("new.db");
    let db = db.to_str().unwrap();
    ok(run(
        home.path(),
        None,
        &[
            "--db",
            db,
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "测试驿站",
        ],
    ));
    let r = run(
        home.path(),
        Some(DEMO_PIN),
        &["--db", db, "audit", "--as", "x"],
    );
    assert!(
        refused(&r).contains("create the first admin in the console first"),
        "{}",
        r.err
    );
}

#[test]
fn an_admin_sees_sign_ins_and_exports() {
    let d = demo();
    ok(d.run(
        Some(DEMO_PIN),
        &["export", "people", "--as", d.admin.as_str()],
    ));
    let out = ok(d.audit(&["--no-changes"])).out;
    let listed = rows(&out);
    assert!(out.starts_with("Time "), "{out}");
    // Newest first: this sign-in, then the export.
    assert!(
        listed[0].contains("Sign-in") && listed[0].contains(&d.admin),
        "{out}"
    );
    let export = listed
        .iter()
        .find(|r| r.contains("Export"))
        .unwrap_or_else(|| panic!("no export line:\n{out}"));
    assert!(
        export.contains("People") && export.contains("rows · csv"),
        "{export}"
    );
    assert!(out.ends_with(&format!("{} lines\n", listed.len())), "{out}");
    // With the changes to records (the default), names stay masked.
    let out = ok(d.audit(&["--action", "change", "--limit", "50"])).out;
    assert_eq!(rows(&out).len(), 50, "{out}");
    assert!(out.contains("Only the newest 50 are listed"), "{out}");
    let conn = rusqlite::Connection::open(&d.db).unwrap();
    let mut stmt = conn.prepare("SELECT name FROM people").unwrap();
    let people: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!people.is_empty());
    // (A worker who shares a staff member's name is named as staff.)
    let staff: Vec<String> = Store::open(&d.db)
        .unwrap()
        .staff()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    for name in people
        .iter()
        .filter(|n| n.chars().count() > 1 && !staff.contains(n))
    {
        assert!(!out.contains(name.as_str()), "{name} in:\n{out}");
    }
}

#[test]
fn filters_by_period_action_and_staff() {
    let d = demo();
    ok(d.run(
        Some(DEMO_PIN),
        &["export", "people", "--as", d.admin.as_str()],
    ));
    let nothing = ok(d.audit(&["--to", "2020-01-01"])).out;
    assert_eq!(nothing, "Nothing matches\n");
    let exports = ok(d.audit(&["--from", "today", "--action", "export"])).out;
    let export_rows = rows(&exports);
    assert_eq!(export_rows.len(), 1, "{exports}");
    assert!(export_rows[0].contains("Export"), "{exports}");
    let today = ok(d.audit(&["--from", "today", "--to", "today", "--no-changes"])).out;
    assert!(rows(&today).len() >= 2, "{today}");
    let by = ok(d.audit(&["--staff", &d.admin, "--action", "sign_in"])).out;
    assert!(rows(&by).iter().all(|r| r.contains(&d.admin)), "{by}");
    let r = d.audit(&["--from", "2026-13-01"]);
    assert!(refused(&r).starts_with("waystation: --from: "), "{}", r.err);
    let r = d.audit(&["--action", "exprt"]);
    assert!(refused(&r).contains("use one of: export,"), "{}", r.err);
    let r = d.audit(&["--staff", "Nobody Here"]);
    assert!(
        refused(&r).contains("no staff member is called"),
        "{}",
        r.err
    );
}

#[test]
fn csv_for_the_office() {
    let d = demo();
    ok(d.run(
        Some(DEMO_PIN),
        &["export", "people", "--as", d.admin.as_str()],
    ));
    let r = ok(d.audit(&["--format", "csv", "--limit", "30"]));
    let bytes = r.out.as_bytes();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "Time",
            "Station",
            "By",
            "Action",
            "Subject",
            "Detail",
            "Code",
            "Subject id"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 30);
    assert!(rows.iter().all(|r| r.len() == 8));
    assert_eq!(rows[0][6], "sign_in");
    assert!(rows[0][7].starts_with("staff:"), "{:?}", rows[0]);
    let export = rows
        .iter()
        .find(|r| r[6] == "export")
        .expect("an export row");
    assert_eq!(export[7], "people");
    assert!(rows.iter().any(|r| r[6] == "create" || r[6] == "update"));
    assert!(r.out.contains("\r\n"), "CRLF line ends");
    assert!(r.err.contains("Only the newest 30"), "{}", r.err);
}
