//! The hard edges of the command line: what `--out` may write, arguments
//! echoed in errors, read commands given a mistyped database, impossible
//! schema versions, a reader that goes away, a full disk.

use std::path::Path;
use std::process::Stdio;

use crate::common::cli::{demo_db, ok, refused, run, run_env, waystation};

fn db_arg(db: &Path) -> &str {
    db.to_str().unwrap()
}

/// The name of the demo's first admin (every demo PIN is 1234).
fn admin(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(
        "SELECT name FROM staff WHERE role = 'admin' ORDER BY name LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// `--out` writes only regular files: a device, a named pipe, a symbolic
/// link and (for a file of its own name) a folder are refused and left as
/// they were; `-` is standard output for every command that writes.
#[test]
fn out_writes_only_regular_files_and_dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let home = dir.path();
    let target = home.join("kept.csv");
    std::fs::write(&target, "kept").unwrap();
    let link = home.join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let fifo = home.join("fifo.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let pin = [("WAYSTATION_PIN", "1234")];
    let admin = admin(&db);
    for out in ["/dev/null", fifo.to_str().unwrap(), link.to_str().unwrap()] {
        let r = run(
            home,
            &[
                "--db",
                db_arg(&db),
                "report",
                "--from",
                "2026-11",
                "--format",
                "csv",
                "--out",
                out,
            ],
        );
        let msg = refused(&r);
        assert!(msg.contains(out), "{msg}");
        // (A named pipe with no reader would hang an open for writing.)
        let r = run_env(
            home,
            &[
                "--db",
                db_arg(&db),
                "export",
                "cases",
                "--as",
                &admin,
                "--out",
                out,
            ],
            &pin,
        );
        let msg = refused(&r);
        assert!(
            msg.contains("not a regular file") || msg.contains("symbolic link"),
            "{msg}"
        );
    }
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    // `-`: the rows on standard output, what was done on the error stream.
    let r = ok(run_env(
        home,
        &[
            "--db",
            db_arg(&db),
            "export",
            "cases",
            "--as",
            &admin,
            "--out",
            "-",
        ],
        &pin,
    ));
    assert!(
        r.out.starts_with("\u{feff}"),
        "a CSV with its BOM: {:?}",
        &r.out[..40.min(r.out.len())]
    );
    assert!(r.out.lines().count() > 10, "{}", r.out);
    assert!(r.err.contains("cases"), "{}", r.err);
    assert!(!home.join("-").exists(), "no file named -");
    let r = ok(run(
        home,
        &[
            "--db",
            db_arg(&db),
            "report",
            "--from",
            "2026-11",
            "--format",
            "csv",
            "--out",
            "-",
        ],
    ));
    assert!(r.out.contains(','), "{}", r.out);
    // No file is left in the folder but what was there.
    let mut names: Vec<String> = std::fs::read_dir(home)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("station.db") && n != "data" && n != "waystation")
        .collect();
    names.sort();
    assert_eq!(names, ["fifo.csv", "kept.csv", "link.csv"]);
}

/// An argument with terminal control sequences is echoed escaped: the
/// error cannot clear the screen or retitle the window.
#[test]
fn errors_echo_arguments_with_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let hostile = "a\u{1b}[2J\u{1b}]0;pwned\u{7}\rb";
    for args in [
        vec!["--db", db_arg(&db), "conflicts", "choose", hostile],
        vec!["--db", db_arg(&db), "report", "--from", hostile],
        vec!["--db", db_arg(&db), "export", hostile],
        vec!["--db", hostile, "check"],
    ] {
        let mut cmd = waystation(dir.path());
        cmd.args(&args);
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.starts_with("waystation: "), "{err:?}");
        let body = err.trim_end_matches('\n');
        assert!(!body.chars().any(char::is_control), "{args:?}: {err:?}");
        assert!(
            body.contains("\\u{1b}") || body.contains("\\r"),
            "the argument is still shown: {err:?}"
        );
    }
}

/// Commands that read or change records refuse a database file that does
/// not exist, and create nothing.
#[test]
fn read_commands_refuse_a_missing_database_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("statoin.db");
    for args in [
        vec!["check"],
        vec!["lookup", "张"],
        vec!["report", "--from", "2026-11"],
        vec!["audit"],
        vec!["export", "cases", "--out", "x.csv"],
        vec!["conflicts"],
        vec!["respondents", "顺丰"],
        vec!["slip", "FT-2026-0001"],
        vec!["kiosk"],
    ] {
        let mut all = vec!["--db", db_arg(&typo)];
        all.extend(&args);
        let r = run(dir.path(), &all);
        let msg = refused(&r);
        // (The kiosk speaks Chinese unless told otherwise.)
        let said = if args[0] == "kiosk" {
            "没有数据库"
        } else {
            "no database at"
        };
        assert!(msg.contains(said), "{args:?}: {msg}");
        assert!(!typo.exists(), "{args:?} created the file");
        assert!(!dir.path().join("x.csv").exists());
    }
    // `init` is how a database is made.
    ok(run(
        dir.path(),
        &[
            "--db",
            db_arg(&typo),
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "丰台驿站",
        ],
    ));
    ok(run(dir.path(), &["--db", db_arg(&typo), "check"]));
}

/// A schema version no waystation writes is refused in plain words, and
/// one whose tables do not match says so without the SQL; the file is
/// left as it was.
#[test]
fn impossible_schema_versions_are_refused_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    ok(run(
        dir.path(),
        &[
            "--db",
            db_arg(&db),
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "丰台驿站",
        ],
    ));
    let set = |v: i64| {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "user_version", v).unwrap();
    };
    for v in [-1, i64::from(i32::MIN), 0] {
        set(v);
        let r = run(dir.path(), &["--db", db_arg(&db), "check"]);
        let msg = refused(&r);
        assert!(msg.contains("no waystation writes"), "{v}: {msg}");
    }
    for v in 1..=7 {
        set(v);
        let r = run(dir.path(), &["--db", db_arg(&db), "check"]);
        let msg = refused(&r);
        assert!(
            msg.contains("do not match its schema version"),
            "{v}: {msg}"
        );
        for sql in ["CREATE", "TABLE", "INDEX", "already exists", "SQL"] {
            assert!(!msg.contains(sql), "{v}: {msg}");
        }
        let c = rusqlite::Connection::open(&db).unwrap();
        let now: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(now, v, "the file is left as it was");
    }
}

/// A reader that goes away (`| head -1`) ends the command quietly, with
/// status 0, as for the standard tools.
#[test]
fn a_closed_pipe_ends_quietly_with_status_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let pin = [("WAYSTATION_PIN", "1234")];
    let admin = admin(&db);
    for args in [
        vec!["lookup", "张"],
        vec!["check"],
        vec!["conflicts"],
        vec!["audit", "--as", &admin],
        vec!["report", "--from", "2026-01", "--to", "2026-12"],
        vec!["export", "visits", "--as", &admin, "--out", "-"],
    ] {
        let mut cmd = waystation(dir.path());
        cmd.arg("--db").arg(&db).args(&args);
        for (k, v) in pin {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before the first line is written: every
        // write fails with EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(!err.contains("internal error"), "{args:?}: {err}");
    }
}

/// A small file system of its own that fills up (tmpfs; needs root, as CI
/// runs): None where it cannot be mounted.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount(kib: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk(dir))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn files(&self) -> Vec<String> {
        std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

/// A full disk is said in words ("the disk is full"), never as an
/// internal error or an SQLite code, and leaves no temporary file.
#[test]
fn a_full_disk_is_said_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let Some(disk) = SmallDisk::mount(160) else {
        eprintln!("SKIPPED: no tmpfs can be mounted here (not root?)");
        return;
    };
    let admin = admin(&db);
    let pin = [("WAYSTATION_PIN", "1234")];
    for (kind, out) in [("visits", "v.xlsx"), ("visits", "v.csv")] {
        let out = disk.path().join(out);
        let r = run_env(
            dir.path(),
            &[
                "--db",
                db_arg(&db),
                "export",
                kind,
                "--as",
                &admin,
                "--out",
                out.to_str().unwrap(),
            ],
            &pin,
        );
        let msg = refused(&r);
        assert!(msg.contains("the disk is full"), "{msg}");
        assert!(disk.files().is_empty(), "{:?}", disk.files());
    }
    // A backup of the database to a stick that is too small.
    let r = run(
        dir.path(),
        &["--db", db_arg(&db), "backup", disk.path().to_str().unwrap()],
    );
    let msg = refused(&r);
    assert!(msg.contains("the disk is full"), "{msg}");
    assert!(disk.files().is_empty(), "{:?}", disk.files());
    let out = disk.path().join("r.xlsx");
    // A report is small: fill the disk first.
    let filler = disk.path().join("filler");
    let _ = std::fs::write(&filler, vec![7u8; 160 * 1024]);
    let r = run(
        dir.path(),
        &[
            "--db",
            db_arg(&db),
            "report",
            "--from",
            "2025-12",
            "--to",
            "2026-12",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let msg = refused(&r);
    assert!(msg.contains("the disk is full"), "{msg}");
    assert_eq!(disk.files(), ["filler"]);
    std::fs::remove_file(&filler).unwrap();

    // The database itself on a disk that fills up.
    drop(disk);
    let Some(disk) = SmallDisk::mount(1536) else {
        panic!("mounted once, not twice");
    };
    let small = disk.path().join("s.db");
    ok(run(
        dir.path(),
        &[
            "--db",
            db_arg(&small),
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "丰台驿站",
        ],
    ));
    let r = run(
        dir.path(),
        &["--db", db_arg(&small), "demo", "--people", "3000"],
    );
    assert_eq!(r.code, 1, "{}", r.err);
    let last = r.err.trim_end().lines().last().unwrap_or_default();
    assert!(last.contains("the disk is full"), "{}", r.err);
    assert!(!r.err.contains("Error code"), "{}", r.err);
}
