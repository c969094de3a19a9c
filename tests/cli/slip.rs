//! `waystation slip CASE` through the real binary: the page it writes
//! carries the case number and a QR code that reads back exactly, and
//! nothing that names the worker.

use crate::common;

use std::path::Path;

use common::cli::{assert_one_line_error, ok, run};
use common::{add_person, new_case, qr_in_html, station_db};

#[test]
fn the_slip_page_of_a_case_reads_back_and_names_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut s) = station_db(&dir, "FT");
    let p = add_person(&mut s, "王小二", "13912345678");
    let mut w = s.begin(None).unwrap();
    let (_, number) = w.open_case(&new_case(vec![p], chrono::Utc::now())).unwrap();
    w.commit().unwrap();
    drop(s);
    let db = path.to_str().unwrap();
    let number = number.to_string();
    let out = dir.path().join("slip.html");
    let r = ok(run(
        dir.path(),
        &[
            "--db",
            db,
            "--lang",
            "en",
            "slip",
            &number,
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    assert!(
        r.out.contains(&format!("Case number: {number}")),
        "{}",
        r.out
    );
    assert!(r.out.contains("slip.html"), "{}", r.out);
    let html = std::fs::read_to_string(&out).unwrap();
    let read = qr_in_html(&html).unwrap();
    assert!(read.starts_with(&number), "{read}");
    for secret in ["王小二", "13912345678", "5678"] {
        assert!(!html.contains(secret), "{secret} on the page");
        assert!(!r.out.contains(secret), "{secret} printed");
    }
    // By default beside the command, named by the case.
    ok(run(dir.path(), &["--db", db, "slip", &number]));
    assert!(Path::new(&dir.path().join(format!("{number}.html"))).exists());
    // No such case: one line.
    let r = run(
        dir.path(),
        &["--db", db, "--lang", "en", "slip", "FT-2026-9999"],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("No case FT-2026-9999"), "{}", r.err);
}
