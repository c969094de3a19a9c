//! An import applied in slices (`Store::apply_remote`) is killed with
//! SIGKILL at random moments, many times. The batch comes shuffled, so
//! visits and claimants arrive before their people and wait across slices.
//! After each kill the database passes `check` and holds no fewer of the
//! batch's operations than before; a run to the end holds exactly what an
//! uninterrupted import holds.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use waystation::store::{LoggedOp, Store};

const CHILD_ENV: &str = "WAYSTATION_IMPORT_CRASH_CHILD";

/// The source's operations, in the same shuffled order every time.
fn batch(source: &std::path::Path) -> Vec<LoggedOp> {
    let mut ops = Store::open(source).unwrap().all_ops().unwrap();
    ops.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(11));
    ops
}

/// Runs only as the child: imports the batch into the target, slowed, and
/// says when it is done.
#[test]
fn import_crash_child() {
    let Ok(paths) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (source, target) = paths.split_once('\n').unwrap();
    let ops = batch(std::path::Path::new(source));
    let mut store = Store::open(std::path::Path::new(target)).unwrap();
    store
        .set_slowdown(Some(Duration::from_micros(100)))
        .unwrap();
    store.apply_remote(&ops).unwrap();
    println!("done");
}

fn held(store: &Store, origin: waystation::domain::ids::ReplicaId) -> i64 {
    store
        .knowledge()
        .unwrap()
        .get(&origin)
        .map_or(0, |h| h.count)
}

#[test]
fn a_killed_sliced_import_leaves_a_sound_database_and_a_rerun_completes() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    {
        let mut s = Store::open(&source).unwrap();
        let spec = waystation::demo::DemoSpec {
            code: "NS".into(),
            name: None,
            people: 300,
            visits: 2500,
            cases: 60,
            seed: 3,
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        };
        waystation::demo::generate(&mut s, &spec, &mut |_, _, _| {}).unwrap();
    }
    let origin = Store::open(&source).unwrap().replica_id();
    let total = batch(&source).len() as i64;
    let (target, store) = common::station_db(&dir, "FT");
    drop(store);
    let pristine = dir.path().join("pristine.db");
    std::fs::copy(&target, &pristine).unwrap();

    // The uninterrupted import: where every run must end.
    let want = {
        let reference = dir.path().join("reference.db");
        std::fs::copy(&pristine, &reference).unwrap();
        let mut s = Store::open(&reference).unwrap();
        let got = s.apply_remote(&batch(&source)).unwrap();
        assert!(got.slices > 3, "{got:?}");
        assert_eq!(got.waiting, 0);
        s.digest().unwrap()
    };

    let exe = std::env::current_exe().unwrap();
    let child_test = format!(
        "{}::import_crash_child",
        module_path!().split_once("::").unwrap().1
    );
    let spawn = || {
        Command::new(&exe)
            .args(["--exact", &child_test, "--nocapture", "--test-threads=1"])
            .env(
                CHILD_ENV,
                format!("{}\n{}", source.display(), target.display()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole run takes, from nothing applied.
    let t = Instant::now();
    let out = spawn().wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("done"));
    let full = t.elapsed();
    let whole = Store::open(&target).unwrap();
    assert_eq!(whole.digest().unwrap(), want);
    drop(whole);

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let (mut cut, mut finished) = (0, 0);
    let mut before = 0;
    for kill in 0..24 {
        if before == 0 || before == total {
            // Start again from nothing.
            std::fs::copy(&pristine, &target).unwrap();
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            before = 0;
        }
        let mut child = spawn();
        std::thread::sleep(full.mul_f64(rng.random_range(0.05..0.6)));
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        let done = String::from_utf8_lossy(&out.stdout).contains("done");
        let store = Store::open(&target).unwrap();
        let report = store.check().unwrap();
        assert!(report.is_ok(), "kill {kill}: {:?}", report.problems);
        let now = held(&store, origin);
        assert!(now >= before, "kill {kill}: held {now}, before {before}");
        if done {
            finished += 1;
            assert_eq!(now, total);
            assert_eq!(store.digest().unwrap(), want, "kill {kill}");
        } else if now > before && now < total {
            cut += 1;
        }
        before = now;
    }
    // A last run to the end, from where the kills left it.
    let out = spawn().wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("done"));
    let store = Store::open(&target).unwrap();
    assert!(store.check().unwrap().is_ok());
    assert_eq!(store.digest().unwrap(), want);
    eprintln!(
        "{total} operations, a run {full:?}: {cut} kills between slices, {finished} runs finished"
    );
    assert!(cut >= 5, "only {cut} kills landed inside the import");
}

/// A run cut off after its last slice but before the records waiting for
/// one another were built leaves every operation in the log and some
/// records waiting; applying the batch again (all duplicates now) builds
/// them.
#[test]
fn records_left_waiting_by_a_cut_off_run_are_built_by_the_next() {
    use waystation::domain::person::PersonDetails;
    use waystation::domain::visit::Services;
    use waystation::store::Entity;
    let dir = tempfile::tempdir().unwrap();
    let (source, mut s) = common::station_db(&dir, "NS");
    let mut w = s.begin(None).unwrap();
    let person = w
        .add_person(&PersonDetails::newcomer("王小二", None, None, None))
        .unwrap();
    w.check_in(person, Services::EMPTY, chrono::Utc::now())
        .unwrap();
    w.commit().unwrap();
    drop(s);
    let ops = batch(&source);
    let (target, mut t) = common::station_db(&dir, "FT");
    t.apply_remote(&ops).unwrap();
    let want = t.digest().unwrap();
    drop(t);
    // What a kill during that last step leaves: the visit is in the log,
    // not in its table, and noted as waiting.
    {
        let conn = rusqlite::Connection::open(&target).unwrap();
        let id: Vec<u8> = conn
            .query_row("SELECT id FROM visits", [], |r| r.get(0))
            .unwrap();
        conn.execute("DELETE FROM visits", []).unwrap();
        conn.execute(
            "INSERT INTO unresolved (id, entity) VALUES (?1, ?2)",
            rusqlite::params![id, Entity::Visit.code()],
        )
        .unwrap();
    }
    let mut t = Store::open(&target).unwrap();
    assert_ne!(t.digest().unwrap(), want);
    let got = t.apply_remote(&ops).unwrap();
    assert_eq!(got.new_ops, 0);
    assert_eq!(got.waiting, 0, "{got:?}");
    assert_eq!(t.digest().unwrap(), want);
    assert!(t.check().unwrap().is_ok());
}
