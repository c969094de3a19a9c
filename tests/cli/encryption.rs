//! Encryption at rest through the real binary: `init` makes an encrypted
//! database, `encrypt` converts a clear one in place, `backup` copies it
//! encrypted, `passphrase` changes or recovers the key; a set of planted
//! values (a name, a mobile, an ID number, a case note, a session note,
//! the sync passphrase) is found nowhere in the file, its write-ahead log,
//! a backup or any file left beside them, read without the key.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use waystation::domain::ResidentId;
use waystation::domain::person::{PersonInput, Trade};
use waystation::domain::resident_id::check_char;
use waystation::domain::staff::Role;
use waystation::store::Store;
use waystation::store::crypt;

use crate::common::cli::{demo_db, ok, refused, run_env};

const PASS: &str = "one street, two visits a month";
const NAME: &str = "欧阳保密甲";
const MOBILE: &str = "13987654321";
const NOTE: &str = "欠薪线索：老板藏在仓库后面的办公室";
const SESSION: &str = "来访者谈到夜里睡不着的原因";
const SYNC_PASS: &str = "district-network-passphrase-4711";

fn id_number() -> String {
    let first = "11010519800214231";
    let bytes: [u8; 17] = first.as_bytes().try_into().unwrap();
    format!("{first}{}", check_char(&bytes))
}

/// Every planted value, as text and as the lookup terms keep some of
/// them (reversed numbers).
fn planted() -> Vec<String> {
    let mut v = vec![
        NAME.to_owned(),
        MOBILE.to_owned(),
        id_number(),
        NOTE.to_owned(),
        SESSION.to_owned(),
        SYNC_PASS.to_owned(),
        PASS.to_owned(),
    ];
    v.push(MOBILE.chars().rev().collect());
    v.push(id_number().chars().rev().collect());
    v
}

fn holds(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every file under `dir` (recursively) with the planted values it holds.
fn leaks(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            for v in planted() {
                if holds(&bytes, &v) {
                    found.push((p.clone(), v));
                }
            }
        }
    }
    found
}

fn env<'a>(extra: &'a [(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut e = vec![("WAYSTATION_PASSPHRASE", PASS)];
    e.extend_from_slice(extra);
    e
}

/// Plants the values in an open store: a person, a case with a note, a
/// session note, the sync passphrase.
fn plant(store: &mut Store) {
    let admin = store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == Role::Admin && s.active);
    match admin {
        Some(s) => store.set_session(Some(waystation::domain::access::Session {
            staff: s.id,
            name: s.name,
            role: s.role,
        })),
        None => crate::common::sign_in_admin(store, "王芳"),
    }
    let d = PersonInput {
        name: NAME.into(),
        mobile: MOBILE.into(),
        resident_id: id_number(),
        trade: Some(Trade::Courier),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    assert!(ResidentId::parse(&id_number()).is_ok());
    let mut w = store.begin(None).unwrap();
    let person = w.add_person(&d).unwrap();
    w.commit().unwrap();
    let mut w = store.begin(None).unwrap();
    let (case, _) = w
        .open_case(&crate::common::new_case(vec![person], chrono::Utc::now()))
        .unwrap();
    w.add_note(case, NOTE).unwrap();
    w.commit().unwrap();
    store
        .set_setting(waystation::store::PASSPHRASE, Some(SYNC_PASS))
        .unwrap();
    // A session with notes, written by a counsellor.
    let mut w = store.begin(None).unwrap();
    let staff = w.add_staff("周咨询", Role::Counsellor).unwrap();
    let counsellor = w
        .add_counsellor(
            "周咨询",
            waystation::domain::schedule::CounsellorKind::Psychological,
        )
        .unwrap();
    use chrono::Datelike;
    let day = chrono::Utc::now().date_naive();
    let start = chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap();
    w.add_rule(&waystation::domain::schedule::AvailabilityRule {
        id: waystation::domain::ids::RuleId::new(),
        counsellor,
        recurrence: waystation::domain::schedule::Recurrence::Weekly(day.weekday()),
        start,
        end: start + chrono::Duration::hours(2),
        slot_minutes: 60,
        valid_from: day - chrono::Duration::days(7),
        valid_until: None,
    })
    .unwrap();
    let slot = waystation::domain::schedule::Slot {
        start,
        end: start + chrono::Duration::minutes(60),
    };
    let session = w
        .book(counsellor, person, day, slot, chrono::Utc::now())
        .unwrap();
    w.commit().unwrap();
    let admin = store.session().cloned();
    store.set_session(Some(waystation::domain::access::Session {
        staff,
        name: "周咨询".into(),
        role: Role::Counsellor,
    }));
    store.save_session_notes(session, SESSION).unwrap();
    store.set_session(admin);
}

/// A station set up encrypted by `init`, planted, backed up: no planted
/// value anywhere on disk, the database open or closed; without the key
/// neither SQLite (the bundled one, and the system's sqlite3 if there is
/// one) reads it.
#[test]
fn nothing_planted_is_found_on_disk_without_the_key() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("station");
    let sticks = home.path().join("stick");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&sticks).unwrap();
    let db = dir.join("station.db");
    let dbs = db.to_str().unwrap();
    let r = ok(run_env(
        home.path(),
        &["--db", dbs, "init", "--code", "FT", "--name", "丰台驿站"],
        &[("WAYSTATION_NEW_PASSPHRASE", PASS)],
    ));
    assert!(r.out.contains("Recovery key"), "{}", r.out);
    let secret = crypt::unlock(&db, PASS).unwrap();
    let key = secret.data_key();
    {
        let mut store = Store::open_with(&db, Some(&key)).unwrap();
        plant(&mut store);
        // While it is open: the write-ahead log holds the latest pages.
        assert!(leaks(&dir).is_empty(), "{:?}", leaks(&dir));
        let r = ok(run_env(
            home.path(),
            &["--db", dbs, "backup", sticks.to_str().unwrap()],
            &env(&[]),
        ));
        assert!(r.out.contains("Backed up"), "{}", r.out);
        assert!(leaks(&dir).is_empty(), "{:?}", leaks(&dir));
    }
    assert!(leaks(&dir).is_empty(), "{:?}", leaks(&dir));
    assert!(leaks(&sticks).is_empty(), "{:?}", leaks(&sticks));
    // The backup and its key file, nothing else on the stick.
    let mut names: Vec<String> = std::fs::read_dir(&sticks)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("waystation-FT-") && names[0].ends_with(".db"));
    assert_eq!(names[1], format!("{}.key", names[0]));

    // Without the key: SQLite reads no table of either.
    let backup = sticks.join(&names[0]);
    for file in [&db, &backup] {
        let c = Connection::open(file).unwrap();
        let e = c
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap_err();
        assert!(e.to_string().contains("not a database"), "{e}");
        if let Ok(out) = std::process::Command::new("sqlite3")
            .arg(file)
            .arg("SELECT name FROM people;")
            .output()
        {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                !out.status.success(),
                "the system sqlite3 read {}",
                file.display()
            );
            assert!(err.contains("not a database"), "{err}");
            assert!(!String::from_utf8_lossy(&out.stdout).contains(NAME));
        }
    }
    // With the key, the backup holds the planted person.
    let copy = Store::open_with(&backup, Some(&key)).unwrap();
    assert_eq!(
        copy.digest().unwrap(),
        Store::open_with(&db, Some(&key)).unwrap().digest().unwrap()
    );
    // The binary without the passphrase: refused in words.
    let r = run_env(home.path(), &["--db", dbs, "check"], &[] as &[(&str, &str)]);
    assert!(refused(&r).contains("is encrypted"), "{}", r.err);
    let r = run_env(
        home.path(),
        &["--db", dbs, "check"],
        &[("WAYSTATION_PASSPHRASE", "not the passphrase")],
    );
    assert!(refused(&r).contains("passphrase is wrong"), "{}", r.err);
    ok(run_env(home.path(), &["--db", dbs, "check"], &env(&[])));
}

/// A clear database with its records is encrypted in place: the same
/// records, the planted values gone from the folder, the clear copy
/// wiped; then the passphrase is changed, and a forgotten one (and a lost
/// key file) recovered with the recovery key.
#[test]
fn a_clear_database_is_encrypted_in_place_and_its_passphrase_recovered() {
    let home = tempfile::tempdir().unwrap();
    let db = demo_db(home.path());
    let dbs = db.to_str().unwrap();
    {
        let mut store = Store::open(&db).unwrap();
        plant(&mut store);
    }
    let before = Store::open(&db).unwrap().digest().unwrap();
    assert!(!leaks(home.path()).is_empty(), "planted in the clear file");
    // A console left open on it stops the conversion.
    {
        let _open = Store::open(&db).unwrap();
        let r = run_env(
            home.path(),
            &["--db", dbs, "encrypt"],
            &[("WAYSTATION_NEW_PASSPHRASE", PASS)],
        );
        assert!(refused(&r).contains("in use"), "{}", r.err);
    }
    let r = run_env(
        home.path(),
        &["--db", dbs, "encrypt"],
        &[("WAYSTATION_NEW_PASSPHRASE", "short")],
    );
    assert!(refused(&r).contains("too short"), "{}", r.err);
    let r = ok(run_env(
        home.path(),
        &["--db", dbs, "encrypt"],
        &[("WAYSTATION_NEW_PASSPHRASE", PASS)],
    ));
    let recovery = r
        .out
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 34 && l.matches('-').count() == 6)
        .unwrap_or_else(|| panic!("{}", r.out))
        .to_owned();
    assert!(leaks(home.path()).is_empty(), "{:?}", leaks(home.path()));
    let secret = crypt::unlock(&db, PASS).unwrap();
    let after = Store::open_with(&db, Some(&secret.data_key()))
        .unwrap()
        .digest()
        .unwrap();
    assert_eq!(after, before, "the same records");
    let r = run_env(home.path(), &["--db", dbs, "encrypt"], &env(&[]));
    assert!(refused(&r).contains("already encrypted"), "{}", r.err);

    // A new passphrase: the old one opens nothing any more.
    let new = "three streets and a square";
    ok(run_env(
        home.path(),
        &["--db", dbs, "passphrase"],
        &env(&[("WAYSTATION_NEW_PASSPHRASE", new)]),
    ));
    let r = run_env(home.path(), &["--db", dbs, "check"], &env(&[]));
    assert!(refused(&r).contains("wrong"), "{}", r.err);
    ok(run_env(
        home.path(),
        &["--db", dbs, "check"],
        &[("WAYSTATION_PASSPHRASE", new)],
    ));

    // Forgotten, and the key file lost too: the recovery key makes both.
    std::fs::remove_file(crypt::key_path(&db)).unwrap();
    let r = run_env(
        home.path(),
        &["--db", dbs, "check"],
        &[("WAYSTATION_PASSPHRASE", new)],
    );
    assert!(refused(&r).contains("key file is missing"), "{}", r.err);
    let other = crypt::Secret::random().recovery_key().to_string();
    let r = run_env(
        home.path(),
        &["--db", dbs, "passphrase", "--recover"],
        &[
            ("WAYSTATION_RECOVERY_KEY", other.as_str()),
            ("WAYSTATION_NEW_PASSPHRASE", PASS),
        ],
    );
    assert!(
        refused(&r).contains("not the one of this database"),
        "{}",
        r.err
    );
    let typo = recovery.replacen(
        &recovery[..1],
        if &recovery[..1] == "Z" { "Y" } else { "Z" },
        1,
    );
    let r = run_env(
        home.path(),
        &["--db", dbs, "passphrase", "--recover"],
        &[
            ("WAYSTATION_RECOVERY_KEY", typo.as_str()),
            ("WAYSTATION_NEW_PASSPHRASE", PASS),
        ],
    );
    assert!(refused(&r).contains("not a recovery key"), "{}", r.err);
    ok(run_env(
        home.path(),
        &["--db", dbs, "passphrase", "--recover"],
        &[
            ("WAYSTATION_RECOVERY_KEY", recovery.to_lowercase().as_str()),
            ("WAYSTATION_NEW_PASSPHRASE", PASS),
        ],
    ));
    let r = ok(run_env(home.path(), &["--db", dbs, "check"], &env(&[])));
    assert!(r.out.contains(&format!("digest: {before}")), "{}", r.out);
}
