//! The real binary, as a station's staff or a script would run it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use crate::common::cli::{Run, assert_one_line_error, ok, output, run, run_env, waystation};

fn digest(r: &Run) -> String {
    r.out
        .lines()
        .find_map(|l| l.strip_prefix("digest: "))
        .unwrap_or_else(|| panic!("no digest line in {}", r.out))
        .to_owned()
}

#[test]
fn init_lookup_and_check_on_a_new_station() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("st.db");
    let db = db.to_str().unwrap();
    let r = run(
        home.path(),
        &[
            "--db",
            db,
            "init",
            "--no-passphrase",
            "--code",
            "ft",
            "--name",
            "福田 爱心驿站",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("FT"), "{}", r.out);

    let again = run(
        home.path(),
        &[
            "--db",
            db,
            "init",
            "--no-passphrase",
            "--code",
            "NS",
            "--name",
            "南山",
        ],
    );
    assert_one_line_error(&again, 1);
    assert!(again.err.contains("already"), "{}", again.err);
    let again = run(
        home.path(),
        &[
            "--db",
            db,
            "--lang",
            "zh-CN",
            "init",
            "--no-passphrase",
            "--code",
            "NS",
            "--name",
            "南山",
        ],
    );
    assert_one_line_error(&again, 1);
    assert!(again.err.contains("已经设置了站点"), "{}", again.err);

    let r = run(home.path(), &["--db", db, "lookup", "张三"]);
    assert_eq!(r.code, 0);
    assert!(r.out.contains("No person or case matches"), "{}", r.out);
    let r = run(
        home.path(),
        &["--db", db, "--lang", "zh-CN", "lookup", "张三"],
    );
    assert!(r.out.contains("没有找到"), "{}", r.out);

    let r = run(home.path(), &["--db", db, "check"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("stations: 1"), "{}", r.out);
    assert_eq!(digest(&r).len(), 64);
}

#[test]
fn bad_station_values_are_refused_in_words() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("st.db");
    let r = run(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "init",
            "--no-passphrase",
            "--code",
            "福田",
            "--name",
            "x",
        ],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("station code"), "{}", r.err);
    let r = run(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "zh-CN",
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "x",
            "--tz",
            "Mars/Base",
        ],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("未知时区"), "{}", r.err);
}

#[test]
fn demo_is_deterministic_and_findable() {
    let home = tempfile::tempdir().unwrap();
    let args = |db: &str, seed: &str| -> Vec<String> {
        [
            "--db",
            db,
            "demo",
            "--people",
            "150",
            "--visits",
            "600",
            "--cases",
            "25",
            "--seed",
            seed,
            "--today",
            "2026-11-22",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    };
    // The station record is the database's own identity (its replica id), so
    // equal content needs one station: set it up once and copy the file.
    let base = home.path().join("base.db");
    let r = run(
        home.path(),
        &[
            "--db",
            base.to_str().unwrap(),
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "福田 爱心驿站",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let mut digests = Vec::new();
    for (name, seed) in [("a.db", "5"), ("b.db", "5"), ("c.db", "6")] {
        let db = home.path().join(name);
        std::fs::copy(&base, &db).unwrap();
        let a = args(db.to_str().unwrap(), seed);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let r = run(home.path(), &a);
        assert_eq!(r.code, 0, "{}{}", r.out, r.err);
        let c = run(home.path(), &["--db", db.to_str().unwrap(), "check"]);
        assert_eq!(c.code, 0, "{}", c.out);
        assert!(c.out.contains("people: 150"), "{}", c.out);
        assert!(c.out.contains("cases: 25"), "{}", c.out);
        digests.push(digest(&c));
    }
    assert_eq!(digests[0], digests[1], "same seed, same records");
    assert_ne!(digests[0], digests[2], "another seed, other records");

    let db = home.path().join("a.db");
    let r = run(
        home.path(),
        &["--db", db.to_str().unwrap(), "lookup", "FT-2026-0001"],
    );
    assert_eq!(r.code, 0);
    let first = r.out.lines().next().unwrap_or_default();
    assert!(first.contains("FT-2026-0001"), "{}", r.out);
    assert!(first.contains("handler"), "{}", r.out);
    assert!(first.contains("follow-up"), "{}", r.out);
}

#[test]
fn the_database_can_come_from_the_environment() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("env.db");
    let r = run_env(
        home.path(),
        &["init", "--no-passphrase", "--code", "ZB", "--name", "淄博"],
        &[("WAYSTATION_DB", &db)],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(db.exists());
    let r = run(
        home.path(),
        &["init", "--no-passphrase", "--code", "ZB", "--name", "淄博"],
    );
    assert_eq!(
        r.code, 0,
        "the default database lives in the data folder: {}",
        r.err
    );
    assert!(home.path().join("data/waystation/waystation.db").exists());
}

#[test]
fn bad_input_is_one_line_and_non_zero() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("no/such/dir/x.db");
    let r = run(home.path(), &["--db", missing.to_str().unwrap(), "check"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("no database at"), "{}", r.err);
    let r = run(
        home.path(),
        &[
            "--db",
            missing.to_str().unwrap(),
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "x",
        ],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("does not exist"), "{}", r.err);

    let text = home.path().join("notes.txt");
    std::fs::write(&text, "not a database, just text. ".repeat(40)).unwrap();
    let r = run(
        home.path(),
        &["--db", text.to_str().unwrap(), "lookup", "x"],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("not a database"), "{}", r.err);

    let foreign = home.path().join("other.sqlite");
    let c = rusqlite::Connection::open(&foreign).unwrap();
    c.execute_batch("CREATE TABLE x (a)").unwrap();
    drop(c);
    let r = run(home.path(), &["--db", foreign.to_str().unwrap(), "check"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("another program"), "{}", r.err);

    let newer = home.path().join("newer.db");
    assert_eq!(
        run(
            home.path(),
            &[
                "--db",
                newer.to_str().unwrap(),
                "init",
                "--no-passphrase",
                "--code",
                "NW",
                "--name",
                "新站"
            ]
        )
        .code,
        0
    );
    let c = rusqlite::Connection::open(&newer).unwrap();
    c.pragma_update(None, "user_version", 999).unwrap();
    drop(c);
    let r = run(home.path(), &["--db", newer.to_str().unwrap(), "check"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("newer waystation"), "{}", r.err);

    let r = run(home.path(), &["--bogus"]);
    assert_one_line_error(&r, 2);
    let r = run(home.path(), &["demo", "--people", "many"]);
    assert_one_line_error(&r, 2);
    let r = run(home.path(), &["--lang", "fr", "check"]);
    assert_one_line_error(&r, 2);
    let r = run(home.path(), &["lookup"]);
    assert_one_line_error(&r, 2);
    assert!(
        r.err.contains("<QUERY>"),
        "names what is missing: {}",
        r.err
    );
}

#[test]
fn two_stations_sync_through_a_folder_by_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let stick = h.join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let (a, b) = (h.join("a.db"), h.join("b.db"));
    let (a, b, s) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        stick.to_str().unwrap(),
    );
    assert_eq!(
        run(
            h,
            &[
                "--db", a, "demo", "--code", "AA", "--people", "30", "--visits", "100", "--cases",
                "3"
            ]
        )
        .code,
        0
    );
    assert_eq!(
        run(
            h,
            &[
                "--db",
                b,
                "init",
                "--no-passphrase",
                "--code",
                "BB",
                "--name",
                "乙站"
            ]
        )
        .code,
        0
    );
    let sync = |db: &str, pass: &str| {
        let r = run_env(
            h,
            &["--db", db, "--lang", "en", "sync", s],
            &[("WAYSTATION_SYNC_PASSPHRASE", pass)],
        );
        (r.code, r.out, r.err)
    };
    // The district office (b) creates the network; a station joins it by
    // syncing.
    let r = run_env(
        h,
        &["--db", b, "--lang", "en", "network", "create", s],
        &[("WAYSTATION_SYNC_PASSPHRASE", "一街一月两次")],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("Created the sync network"), "{}", r.out);
    let (code, out, _) = sync(a, "一街一月两次");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("joined the folder's sync network"), "{out}");
    let (code, out, _) = sync(b, "一街一月两次");
    assert_eq!(code, 0);
    assert!(out.contains("read 1 file(s)"), "{out}");
    assert_eq!(sync(a, "一街一月两次").0, 0);
    // Both hold the same records now.
    let (da, db) = (run(h, &["--db", a, "check"]), run(h, &["--db", b, "check"]));
    assert_eq!(digest(&da), digest(&db));
    // A wrong passphrase is one line, non-zero, and changes nothing.
    let (code, _, err) = sync(b, "wrong");
    assert_ne!(code, 0);
    assert!(err.contains("passphrase"), "{err}");
    assert_eq!(digest(&run(h, &["--db", b, "check"])), digest(&db));
    // Status changes nothing and lists both origins.
    let status = run(h, &["--db", b, "sync", "--status", s]);
    assert_eq!(status.code, 0);
    assert_eq!(status.out.lines().count(), 3, "{}", status.out);
    // The passphrase was kept: a later sync needs none.
    let again = run(h, &["--db", b, "sync", s]);
    assert_eq!(again.code, 0, "{}", again.err);
    assert!(again.out.contains("read 0 file(s)"), "{}", again.out);
}

/// `waystation network create FOLDER` on `db` with `pass`: it must succeed.
fn create_cli(home: &Path, db: &Path, folder: &Path, pass: &str) {
    let mut cmd = waystation(home);
    cmd.arg("--db")
        .arg(db)
        .args(["--lang", "en", "network", "create"])
        .arg(folder)
        .env("WAYSTATION_SYNC_PASSPHRASE", pass);
    ok(output(&mut cmd));
}

/// Syncs `db` with `folder` by the command line, with `pass` if given.
fn sync_cli(home: &Path, db: &Path, folder: &Path, pass: Option<&str>) -> Run {
    let mut cmd = waystation(home);
    cmd.arg("--db")
        .arg(db)
        .args(["--lang", "en", "sync"])
        .arg(folder);
    if let Some(p) = pass {
        cmd.env("WAYSTATION_SYNC_PASSPHRASE", p);
    }
    output(&mut cmd)
}

#[test]
fn sync_keeps_to_its_network_and_station_codes_and_conflicts_are_decided_by_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let dir = |n: &str| {
        let p = h.join(n);
        std::fs::create_dir_all(&p).unwrap();
        p
    };
    let (stick, fresh, other_district) = (dir("stick"), dir("fresh"), dir("other"));
    let db = |n: &str| h.join(format!("{n}.db"));
    let init = |n: &str, code: &str| {
        let r = run(
            h,
            &[
                "--db",
                db(n).to_str().unwrap(),
                "init",
                "--no-passphrase",
                "--code",
                code,
                "--name",
                n,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.err);
    };
    init("a", "AA");
    init("b", "BB");
    init("c", "AA");
    init("d", "DD");
    let pass = Some("一街一月两次");
    create_cli(h, &db("a"), &stick, "一街一月两次");
    assert_eq!(sync_cli(h, &db("a"), &stick, pass).code, 0);
    assert_eq!(sync_cli(h, &db("b"), &stick, pass).code, 0);

    // No passphrase kept, none given, no terminal to ask on.
    let r = sync_cli(h, &db("d"), &stick, None);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("passphrase"), "{}", r.err);

    // A fresh stick gets the same network, but only with the same passphrase.
    let r = sync_cli(h, &db("a"), &fresh, Some("another"));
    assert_ne!(r.code, 0);
    assert!(r.err.contains("passphrase"), "{}", r.err);
    assert_eq!(sync_cli(h, &db("a"), &fresh, None).code, 0);
    assert_eq!(
        std::fs::read_to_string(stick.join("network.wsn")).unwrap(),
        std::fs::read_to_string(fresh.join("network.wsn")).unwrap()
    );

    // Another district's folder is refused, whatever the passphrase.
    create_cli(h, &db("d"), &other_district, "一街一月两次");
    assert_eq!(sync_cli(h, &db("d"), &other_district, pass).code, 0);
    let r = sync_cli(h, &db("a"), &other_district, pass);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("another sync network"), "{}", r.err);

    // c uses a's station code: it reads, but writes nothing until it has
    // its own code.
    let subfolders = || std::fs::read_dir(&stick).unwrap().count();
    let before = subfolders();
    let r = sync_cli(h, &db("c"), &stick, pass);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("station code AA"), "{}", r.err);
    assert_eq!(subfolders(), before);
    let r = run(
        h,
        &["--db", db("c").to_str().unwrap(), "station", "--code", "CC"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(sync_cli(h, &db("c"), &stick, None).code, 0);
    assert_eq!(subfolders(), before + 1);

    // A person renamed at a and at b while apart: one conflict, listed on
    // both with the same key; choosing the other value settles it.
    let mut sa = waystation::store::Store::open(&db("a")).unwrap();
    let p = {
        let d = waystation::domain::person::PersonInput {
            name: "张三".into(),
            mobile: "13800000001".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let mut w = sa.begin(None).unwrap();
        let p = w.add_person(&d).unwrap();
        w.commit().unwrap();
        p
    };
    drop(sa);
    assert_eq!(sync_cli(h, &db("a"), &stick, None).code, 0);
    assert_eq!(sync_cli(h, &db("b"), &stick, None).code, 0);
    for (n, name) in [("a", "张叁"), ("b", "张珊")] {
        let mut s = waystation::store::Store::open(&db(n)).unwrap();
        let mut d = s.person(p).unwrap().unwrap().details;
        d.name = name.into();
        let mut w = s.begin(None).unwrap();
        w.update_person(p, &d).unwrap();
        w.commit().unwrap();
    }
    assert_eq!(sync_cli(h, &db("a"), &stick, None).code, 0);
    let r = sync_cli(h, &db("b"), &stick, None);
    assert!(r.out.contains("1 conflict(s)"), "{}", r.out);
    assert_eq!(sync_cli(h, &db("a"), &stick, None).code, 0);
    let list = |n: &str| run(h, &["--db", db(n).to_str().unwrap(), "conflicts"]);
    let (la, lb) = (list("a"), list("b"));
    assert_eq!(la.out, lb.out);
    assert!(la.out.contains("person 张珊 · name"), "{}", la.out);
    assert!(la.out.contains("张叁"), "{}", la.out);
    let key = la.out.split_whitespace().next().unwrap().to_owned();
    let r = run(
        h,
        &[
            "--db",
            db("a").to_str().unwrap(),
            "conflicts",
            "choose",
            &key,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let r = run(
        h,
        &["--db", db("a").to_str().unwrap(), "conflicts", "keep", &key],
    );
    assert_ne!(r.code, 0, "already settled");
    assert_eq!(sync_cli(h, &db("a"), &stick, None).code, 0);
    assert_eq!(sync_cli(h, &db("b"), &stick, None).code, 0);
    assert_eq!(list("b").out.trim(), "no conflicts");
    let found = run(h, &["--db", db("b").to_str().unwrap(), "lookup", "张叁"]);
    assert!(found.out.contains("张叁"), "{}", found.out);
}
