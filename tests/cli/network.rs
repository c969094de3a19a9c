//! `waystation network` and a sync into a folder without a network, in
//! the real binary: a station whose folder has not arrived creates
//! nothing and says so while the district goes on syncing; creating twice
//! is refused; leaving, then joining another network; putting back a
//! network file Syncthing replaced.

use std::path::{Path, PathBuf};

use crate::common::cli::{Run, assert_one_line_error, ok, output, refused, waystation};

const PASS: &str = "一街一月两次";

/// `waystation --db DB --lang LANG args…` from `home`, with `pass` as the
/// sync passphrase if given.
fn ws(home: &Path, db: &Path, lang: &str, pass: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = waystation(home);
    cmd.arg("--db").arg(db).args(["--lang", lang]).args(args);
    if let Some(p) = pass {
        cmd.env("WAYSTATION_SYNC_PASSPHRASE", p);
    }
    output(&mut cmd)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct District {
    home: tempfile::TempDir,
}

impl District {
    fn new() -> Self {
        District {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn h(&self) -> &Path {
        self.home.path()
    }

    fn db(&self, code: &str) -> PathBuf {
        self.h().join(format!("{code}.db"))
    }

    fn folder(&self, name: &str) -> PathBuf {
        let p = self.h().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    /// A station with a few records of its own.
    fn station(&self, code: &str, seed: u64) -> PathBuf {
        let db = self.db(code);
        ok(ws(
            self.h(),
            &db,
            "en",
            None,
            &[
                "demo",
                "--code",
                code,
                "--people",
                "20",
                "--visits",
                "60",
                "--cases",
                "2",
                "--seed",
                &seed.to_string(),
            ],
        ));
        db
    }

    /// A station set up with `init`: nobody signs in yet.
    fn plain(&self, code: &str) -> PathBuf {
        let db = self.db(code);
        ok(ws(
            self.h(),
            &db,
            "en",
            None,
            &["init", "--no-passphrase", "--code", code, "--name", code],
        ));
        db
    }

    fn run(&self, db: &Path, pass: Option<&str>, args: &[&str]) -> Run {
        ws(self.h(), db, "en", pass, args)
    }

    fn sync(&self, db: &Path, folder: &Path) -> Run {
        self.run(db, Some(PASS), &["sync", s(folder)])
    }

    fn digest(&self, db: &Path) -> String {
        let r = ok(self.run(db, None, &["check"]));
        r.out
            .lines()
            .find_map(|l| l.strip_prefix("digest:").map(|d| d.trim().to_owned()))
            .unwrap_or_else(|| panic!("no digest: {}", r.out))
    }
}

/// What Syncthing brings: every file of `from` into `to` (nothing removed).
fn bring(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            bring(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The scenario: two stations with a network; a third syncs into
/// its folder before Syncthing has brought it: nothing is joined or
/// written, and it says what to do; the two go on; the folder arrives,
/// the third joins, all converge.
#[test]
fn a_station_syncing_before_its_folder_arrived_creates_nothing_and_the_district_goes_on() {
    let d = District::new();
    let shared = d.folder("shared");
    let early = d.folder("third-shared");
    let office = d.plain("QU");
    let (a, b, c) = (d.station("AA", 1), d.station("BB", 2), d.station("CC", 3));

    let r = ok(d.run(&office, Some(PASS), &["network", "create", s(&shared)]));
    assert!(r.out.contains("Created the sync network"), "{}", r.out);
    assert!(r.out.contains("key fingerprint"), "{}", r.out);
    for db in [&office, &a, &b] {
        ok(d.sync(db, &shared));
    }

    let r = d.sync(&c, &early);
    let line = refused(&r);
    assert!(line.contains("has no sync network"), "{line}");
    assert!(line.contains("Wait until the folder has arrived"), "{line}");
    assert!(
        line.contains(&format!("waystation network create {}", s(&early))),
        "{line}"
    );
    let zh = ws(d.h(), &c, "zh-CN", Some(PASS), &["sync", s(&early)]);
    let line = refused(&zh);
    assert!(line.contains("还没有同步网络"), "{line}");
    assert!(
        line.contains("请等文件夹（Syncthing）到齐后再同步"),
        "{line}"
    );
    // Without a passphrase too: nothing is asked for.
    assert!(refused(&d.run(&c, None, &["sync", s(&early)])).contains("no sync network"));
    assert_eq!(
        std::fs::read_dir(&early).unwrap().count(),
        0,
        "nothing written"
    );
    let show = ok(d.run(&c, None, &["network", "show", s(&early)]));
    assert!(
        show.out
            .contains("This database: belongs to no sync network"),
        "{}",
        show.out
    );
    assert!(
        show.out.contains("Neither has a sync network"),
        "{}",
        show.out
    );

    // The district goes on.
    for db in [&a, &b, &office] {
        let r = ok(d.sync(db, &shared));
        assert!(!r.out.contains("refused"), "{}", r.out);
    }

    // The folder arrives: the third joins; rounds until all agree.
    bring(&shared, &early);
    let r = ok(d.sync(&c, &early));
    assert!(
        r.out.contains("joined the folder's sync network"),
        "{}",
        r.out
    );
    for _ in 0..2 {
        bring(&early, &shared);
        for db in [&office, &a, &b] {
            ok(d.sync(db, &shared));
        }
        bring(&shared, &early);
        ok(d.sync(&c, &early));
    }
    let digest = d.digest(&office);
    for db in [&a, &b, &c] {
        assert_eq!(d.digest(db), digest, "{}", db.display());
    }
    let show = ok(d.run(&c, None, &["network", "show"]));
    assert!(show.out.contains("They match"), "{}", show.out);
}

#[test]
fn a_network_is_created_once_and_an_admin_creates_it() {
    let d = District::new();
    let f = d.folder("f");
    let (office, other) = (d.plain("QU"), d.plain("AA"));
    ok(d.run(&office, Some(PASS), &["network", "create", s(&f)]));
    let r = d.run(&other, Some(PASS), &["network", "create", s(&f)]);
    assert!(
        refused(&r).contains("already has a sync network"),
        "{}",
        r.err
    );
    let g = d.folder("g");
    let r = d.run(&office, Some(PASS), &["network", "create", s(&g)]);
    assert!(
        refused(&r).contains("already belongs to a sync network"),
        "{}",
        r.err
    );
    assert_eq!(std::fs::read_dir(&g).unwrap().count(), 0);
    // No passphrase given and no terminal to ask on.
    let r = d.run(&other, None, &["network", "create", s(&g)]);
    assert!(refused(&r).contains("passphrase"), "{}", r.err);
    assert_eq!(std::fs::read_dir(&g).unwrap().count(), 0);

    // A database people sign in to: an admin, named, with the PIN.
    let demo = d.station("DM", 5);
    let r = d.run(&demo, Some(PASS), &["network", "create", s(&g)]);
    assert!(refused(&r).contains("--as"), "{}", r.err);
    let staff = waystation::store::Store::open(&demo)
        .unwrap()
        .staff()
        .unwrap();
    let name = |role| {
        staff
            .iter()
            .find(|s| s.role == role && s.active)
            .unwrap()
            .name
            .clone()
    };
    use waystation::domain::staff::Role;
    let mut cmd = waystation(d.h());
    cmd.arg("--db")
        .arg(&demo)
        .args(["--lang", "en", "network", "create", s(&g), "--as"])
        .arg(name(Role::Staff))
        .env("WAYSTATION_SYNC_PASSPHRASE", PASS)
        .env("WAYSTATION_PIN", "1234");
    let r = output(&mut cmd);
    assert!(refused(&r).contains("Administrator"), "{}", r.err);
    assert_eq!(std::fs::read_dir(&g).unwrap().count(), 0);
    let mut cmd = waystation(d.h());
    cmd.arg("--db")
        .arg(&demo)
        .args(["--lang", "en", "network", "create", s(&g), "--as"])
        .arg(name(Role::Admin))
        .env("WAYSTATION_SYNC_PASSPHRASE", PASS)
        .env("WAYSTATION_PIN", "1234");
    ok(output(&mut cmd));
    assert!(g.join("network.wsn").exists());
    // In the audit log, with who did it, where and which network.
    let net = waystation::store::Store::open(&demo)
        .unwrap()
        .sync_settings()
        .unwrap()
        .network
        .unwrap();
    let mut cmd = waystation(d.h());
    cmd.arg("--db")
        .arg(&demo)
        .args([
            "--lang",
            "en",
            "audit",
            "--action",
            "network_create",
            "--as",
        ])
        .arg(name(Role::Admin))
        .env("WAYSTATION_PIN", "1234");
    let r = ok(output(&mut cmd));
    assert!(r.out.contains("Sync network created"), "{}", r.out);
    assert!(r.out.contains(&name(Role::Admin)), "{}", r.out);
    assert!(r.out.contains(&net.0.to_string()), "{}", r.out);
}

#[test]
fn a_station_leaves_its_network_and_joins_another() {
    let d = District::new();
    let (first, second) = (d.folder("first"), d.folder("second"));
    let (a, b) = (d.plain("AA"), d.plain("BB"));
    ok(d.run(&a, Some(PASS), &["network", "create", s(&first)]));
    // Changes made here, not written out yet.
    let r = d.run(&a, None, &["network", "leave", "--yes"]);
    assert!(refused(&r).contains("sync first"), "{}", r.err);
    ok(d.sync(&a, &first));
    // Leaving asks first; without a terminal, --yes.
    let r = d.run(&a, None, &["network", "leave"]);
    assert!(refused(&r).contains("--yes"), "{}", r.err);
    let r = ok(d.run(&a, None, &["network", "leave", "--yes"]));
    assert!(r.out.contains("Left the sync network"), "{}", r.out);
    let r = d.run(&a, None, &["network", "leave", "--yes"]);
    assert!(
        refused(&r).contains("belongs to no sync network"),
        "{}",
        r.err
    );
    let show = ok(d.run(&a, None, &["network", "show", s(&first)]));
    assert!(
        show.out.contains("belongs to no sync network"),
        "{}",
        show.out
    );

    ok(d.run(
        &b,
        Some("another district"),
        &["network", "create", s(&second)],
    ));
    ok(d.run(&b, None, &["sync", s(&second)]));
    let r = ok(d.run(&a, Some("another district"), &["sync", s(&second)]));
    assert!(
        r.out.contains("joined the folder's sync network"),
        "{}",
        r.out
    );
    assert!(!r.out.contains("restored from a backup"), "{}", r.out);
    ok(d.run(&b, None, &["sync", s(&second)]));
    assert_eq!(d.digest(&a), d.digest(&b));
    // The first network's folder is another network's now.
    let r = d.run(&a, None, &["sync", s(&first)]);
    assert!(refused(&r).contains("another sync network"), "{}", r.err);
}

#[test]
fn a_network_file_syncthing_replaced_is_put_back() {
    let d = District::new();
    let shared = d.folder("shared");
    let early = d.folder("third-shared");
    let (a, b, c) = (d.plain("AA"), d.plain("BB"), d.plain("CC"));
    ok(d.run(&a, Some(PASS), &["network", "create", s(&shared)]));
    ok(d.sync(&a, &shared));
    ok(d.sync(&b, &shared));
    // The third station (an older build) made a network of its own in its
    // empty copy; Syncthing kept that file and renamed the district's.
    ok(d.run(&c, Some("ours"), &["network", "create", s(&early)]));
    ok(d.run(&c, None, &["sync", s(&early)]));
    let copy = "network.sync-conflict-20261120-101010-ABCDEFG.wsn";
    std::fs::rename(shared.join("network.wsn"), shared.join(copy)).unwrap();
    bring(&early, &shared);

    let r = d.sync(&a, &shared);
    assert!(refused(&r).contains("network show"), "{}", r.err);
    let show = ok(d.run(&a, None, &["network", "show", s(&shared)]));
    for want in [
        copy,
        "Syncthing kept the newer one",
        &format!("waystation network restore {}", s(&shared)),
    ] {
        assert!(show.out.contains(want), "no {want:?}:\n{}", show.out);
    }
    let r = ok(d.run(&a, None, &["network", "restore", s(&shared)]));
    assert!(r.out.contains("network.other-"), "{}", r.out);
    assert!(!shared.join(copy).exists());
    // The district syncs again; the other network's files are refused,
    // named, until their writer has joined.
    let r = d.sync(&b, &shared);
    assert_eq!(r.code, 1, "{}", r.err);
    assert!(
        r.out.contains("belongs to another sync network"),
        "{}",
        r.out
    );
    // The other network's station: refused, cannot undo it, leaves, joins.
    let r = d.run(&c, None, &["sync", s(&shared)]);
    assert_one_line_error(&r, 1);
    let show = ok(d.run(&c, None, &["network", "show", s(&shared)]));
    assert!(
        show.out.contains("waystation network leave"),
        "{}",
        show.out
    );
    let r = d.run(&c, None, &["network", "restore", s(&shared)]);
    assert!(refused(&r).contains("no copy"), "{}", r.err);
    ok(d.run(&c, None, &["network", "leave", "--yes"]));
    let r = ok(d.sync(&c, &shared));
    assert!(r.out.contains("joined"), "{}", r.out);
    assert!(r.out.contains("under the network it left"), "{}", r.out);
    for _ in 0..2 {
        for db in [&a, &b, &c] {
            let r = ok(d.sync(db, &shared));
            assert!(!r.out.contains("refused"), "{}", r.out);
        }
    }
    let digest = d.digest(&a);
    assert_eq!(d.digest(&b), digest);
    assert_eq!(d.digest(&c), digest);
}
