//! A child process checks people in, in a loop, and is killed with SIGKILL
//! at random moments, many times. After each kill the database passes
//! `check` and holds every check-in the child reported as committed.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use waystation::domain::ids::VisitId;
use waystation::domain::person::Trade;
use waystation::domain::visit::{Service, Services};
use waystation::store::Store;

const CHILD_ENV: &str = "WAYSTATION_CRASH_CHILD_DB";

/// Runs only as the child: writes until killed, printing each committed
/// visit id after its transaction committed.
#[test]
fn crash_child_writer() {
    let Ok(db) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&db)).unwrap();
    let mut n = 0u64;
    loop {
        n += 1;
        let mut w = store.begin(None).unwrap();
        let person = w
            .add_person(&common::details(
                &common::numbered("工人", n),
                "",
                Trade::Courier,
            ))
            .unwrap();
        let services: Services = [Service::Rest, Service::Water].into_iter().collect();
        let visit = w.check_in(person, services, chrono::Utc::now()).unwrap();
        w.commit().unwrap();
        println!("committed {}", visit.0);
    }
}

#[test]
fn killed_writers_lose_nothing_committed() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = common::station_db(&dir, "FT");
    drop(store);
    let exe = std::env::current_exe().unwrap();
    // The child's test by its name in this binary: its module path less
    // the binary's own name.
    let child_test = format!(
        "{}::crash_child_writer",
        module_path!().split_once("::").unwrap().1
    );
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut committed: Vec<VisitId> = Vec::new();
    let rounds = 40;
    for round in 0..rounds {
        let mut child = Command::new(&exe)
            .args(["--exact", &child_test, "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut ids = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("committed ") {
                    ids.push(VisitId(id.trim().parse().unwrap()));
                }
            }
            ids
        });
        std::thread::sleep(Duration::from_millis(rng.random_range(30..250)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let ids = reader.join().unwrap();
        committed.extend(ids);

        let store = Store::open(&path).unwrap();
        let report = store.check().unwrap();
        assert!(report.is_ok(), "round {round}: {:?}", report.problems);
        for id in &committed {
            assert!(
                store.visit(*id).unwrap().is_some(),
                "round {round}: committed visit {id} lost"
            );
        }
    }
    assert!(
        committed.len() > rounds,
        "the child wrote too little to test anything ({})",
        committed.len()
    );
}
