//! `waystation import roster` as staff run it: the real binary on a real
//! spreadsheet or CSV file, what it previews, what it adds, and what
//! `waystation lookup` finds afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;
use waystation::domain::Fen;
use waystation::domain::staff::Role;
use waystation::store::{CaseQuery, Store};

use crate::common::cli::{Run, assert_one_line_error, ok, run, run_env};

/// A new station's database in a fresh folder (nobody can sign in yet,
/// so nobody is asked for).
fn station() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("st.db");
    ok(run(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "init",
            "--no-passphrase",
            "--code",
            "FT",
            "--name",
            "福田驿站",
        ],
    ));
    (home, db)
}

fn ws(home: &Path, db: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    run(home, &all)
}

/// Whether `waystation lookup QUERY` finds a person named `name`.
fn found(home: &Path, db: &Path, query: &str, name: &str) -> bool {
    let r = ok(ws(home, db, &["lookup", query]));
    r.out
        .lines()
        .any(|l| l.starts_with("person") && l.contains(name))
}

/// A roster as a team leader's spreadsheet: a title, a Chinese header,
/// a phone stored as a number, an amount with cents, a remark column.
fn roster_xlsx(path: &Path) {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write(0, 0, "某物流公司拖欠工资人员名单").unwrap();
    for (c, h) in [
        "序号",
        "姓名",
        "手机号码",
        "身份证号",
        "工种",
        "欠薪金额（元）",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        s.write(1, c as u16, *h).unwrap();
    }
    let rows: [(&str, f64, &str, &str, f64); 3] = [
        (
            "张三",
            13_800_138_000.0,
            "11010519491231002X",
            "外卖",
            8500.5,
        ),
        ("李四", 13_900_139_000.0, "", "骑手", 3500.0),
        ("王小明", 13_700_137_000.0, "", "快递员", 12000.0),
    ];
    for (i, (name, phone, id, trade, amount)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        s.write(r, 0, i as f64 + 1.0).unwrap();
        s.write(r, 1, *name).unwrap();
        s.write(r, 2, *phone).unwrap();
        if !id.is_empty() {
            s.write(r, 3, *id).unwrap();
        }
        s.write(r, 4, *trade).unwrap();
        s.write(r, 5, *amount).unwrap();
    }
    s.write(2, 6, "组长").unwrap();
    book.save(path).unwrap();
}

#[test]
fn a_spreadsheet_is_previewed_then_added_with_yes() {
    let (home, db) = station();
    let file = home.path().join("名单.xlsx");
    roster_xlsx(&file);
    let path = file.to_str().unwrap();

    // Without --yes and without a terminal: the preview, nothing added.
    let r = ok(ws(home.path(), &db, &["import", "roster", path]));
    assert!(r.out.contains("3 rows; header on line 2"), "{}", r.out);
    assert!(r.out.contains("ignored column: 序号, 备注"), "{}", r.out);
    assert!(r.out.contains("line 1 is a title"), "{}", r.out);
    let zhang = r.out.lines().find(|l| l.contains("张三")).unwrap();
    for part in [
        "3  张三",
        "138****8000",
        "Food-delivery rider",
        "8,500.50",
        "new",
    ] {
        assert!(zhang.contains(part), "{part} in {zhang}");
    }
    assert!(
        !r.out.contains("13800138000"),
        "phones are masked: {}",
        r.out
    );
    assert!(
        r.out
            .contains("3 rows: 3 new, 0 known, 0 refused; amounts owed 24,000.50 yuan in all"),
        "{}",
        r.out
    );
    assert!(r.out.contains("nothing added"), "{}", r.out);
    assert!(!found(home.path(), &db, "13800138000", "张三"));

    let r = ok(ws(home.path(), &db, &["import", "roster", path, "--yes"]));
    assert!(r.out.contains("registered 3 people"), "{}", r.out);
    assert!(found(home.path(), &db, "13800138000", "张三"));
    assert!(found(home.path(), &db, "002X", "张三"));
    assert!(found(home.path(), &db, "13900139000", "李四"));
    assert!(found(home.path(), &db, "wxm", "王小明"));
    let store = Store::open(&db).unwrap();
    let mut holders = store
        .people_by_mobile(&"13900139000".parse().unwrap())
        .unwrap();
    assert_eq!(holders.len(), 1);
    let li = holders.remove(0);
    assert_eq!(
        li.details.trade,
        waystation::domain::person::Trade::FoodDelivery
    );
    drop(store);

    // A second time everyone is known and nothing is added.
    let r = ok(ws(
        home.path(),
        &db,
        &["--lang", "zh-CN", "import", "roster", path, "--yes"],
    ));
    assert!(r.out.contains("已登记：张三"), "{}", r.out);
    assert!(r.out.contains("没有需要添加的记录"), "{}", r.out);
    let check = ok(ws(home.path(), &db, &["check"]));
    assert!(check.out.contains("people: 3"), "{}", check.out);
}

const BAD_CSV: &str = "姓名,手机,工种,金额\n\
    张三,13800138000,外卖,8500\n\
    王五8,1380013800,快递,100\n\
    赵六,13700137000,飞行员,50\n\
    李四,13900139000,,三千五\n";

#[test]
fn a_refused_row_stops_the_import_unless_skip_bad() {
    let (home, db) = station();
    let file = home.path().join("roster.csv");
    std::fs::write(&file, BAD_CSV).unwrap();
    let path = file.to_str().unwrap();

    let r = ws(home.path(), &db, &["import", "roster", path, "--yes"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("2 rows refused, nothing added"), "{}", r.err);
    assert!(r.err.contains("--skip-bad"), "{}", r.err);
    let bad = r.out.lines().find(|l| l.contains("王五8")).unwrap();
    assert!(bad.trim_start().starts_with("3 "), "{bad}");
    assert!(
        bad.contains("✗ Name “王五8”") && bad.contains("Mobile “1380013800”"),
        "{bad}"
    );
    assert!(r.out.contains("trade “飞行员” is not known"), "{}", r.out);
    assert!(!found(home.path(), &db, "13800138000", "张三"));

    // In Chinese too.
    let r = ws(
        home.path(),
        &db,
        &["--lang", "zh-CN", "import", "roster", path, "--yes"],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("2 行有问题"), "{}", r.err);
    assert!(r.out.contains("✗ 姓名“王五8”"), "{}", r.out);

    let r = ok(ws(
        home.path(),
        &db,
        &["import", "roster", path, "--yes", "--skip-bad"],
    ));
    assert!(r.out.contains("skipping the 2 refused rows"), "{}", r.out);
    assert!(r.out.contains("registered 2 people"), "{}", r.out);
    assert!(found(home.path(), &db, "13800138000", "张三"));
    assert!(found(home.path(), &db, "13900139000", "李四"));
    assert!(!found(home.path(), &db, "13700137000", "赵六"));
}

#[test]
fn a_roster_that_cannot_be_read_is_refused_in_one_line() {
    let (home, db) = station();
    let r = ws(home.path(), &db, &["import", "roster", "missing.csv"]);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("cannot read missing.csv"), "{}", r.err);
    let file = home.path().join("numbers.csv");
    std::fs::write(&file, "13800138000,100\n13900139000,200\n").unwrap();
    let r = ws(
        home.path(),
        &db,
        &["import", "roster", file.to_str().unwrap()],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("no column of names"), "{}", r.err);
    let r = ws(
        home.path(),
        &db,
        &[
            "import",
            "roster",
            file.to_str().unwrap(),
            "--case",
            "nonsense",
        ],
    );
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("no column of names"), "{}", r.err);
}

/// A demo database (every staff member's PIN 1234) in a fresh folder.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = crate::common::cli::demo_db(home.path());
    (home, db)
}

fn staff_named(db: &Path, role: Role) -> String {
    let store = Store::open(db).unwrap();
    store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == role)
        .unwrap()
        .name
}

#[test]
fn with_a_case_every_row_becomes_a_claimant_as_a_signed_in_staff_member() {
    let (home, db) = demo();
    let store = Store::open(&db).unwrap();
    let row = store
        .case_queue(&CaseQuery::default())
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let before = store.claimants(row.id).unwrap().len();
    let claimed_before = store.case(row.id).unwrap().unwrap().claimed;
    drop(store);
    let number = row.number.to_string();
    let file = home.path().join("roster.csv");
    std::fs::write(
        &file,
        "姓名\t手机\t欠薪\n甄一\t13512345671\t8500\n甄二\t13512345672\t1,000.50\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let pin = [("WAYSTATION_PIN", "1234")];
    let import = |who: Option<&str>, case: &str| {
        let mut args = vec!["--db", db.to_str().unwrap(), "import", "roster", path];
        args.extend(["--case", case, "--yes"]);
        if let Some(who) = who {
            args.extend(["--as", who]);
        }
        run_env(home.path(), &args, &pin)
    };

    // Once anyone can sign in, someone must; a volunteer may not handle
    // cases; an unknown case is refused; nothing is added by any of them.
    let r = import(None, &number);
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("--as"), "{}", r.err);
    let vol = staff_named(&db, Role::Volunteer);
    assert_one_line_error(&import(Some(&vol), &number), 1);
    let staff = staff_named(&db, Role::Staff);
    let r = import(Some(&staff), "FT-2026-9999");
    assert_one_line_error(&r, 1);
    assert!(r.err.contains("no case FT-2026-9999"), "{}", r.err);
    assert!(!found(home.path(), &db, "13512345671", "甄一"));

    let r = ok(import(Some(&staff), &number));
    assert!(
        r.out
            .contains(&format!("Case {number}: {before} claimants")),
        "{}",
        r.out
    );
    assert!(
        r.out.contains(&format!(
            "registered 2 people; 2 are claimants of case {number}"
        )),
        "{}",
        r.out
    );
    let store = Store::open(&db).unwrap();
    let names: Vec<String> = store
        .claimants(row.id)
        .unwrap()
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(names.len(), before + 2, "{names:?}");
    assert!(names.contains(&"甄一".to_owned()) && names.contains(&"甄二".to_owned()));
    // Each is owed their own amount, and the case total is their sum.
    let owed = store.claimants_owed(row.id).unwrap();
    let of = |name: &str| owed.iter().find(|c| c.name == name).unwrap().claimed;
    assert_eq!(of("甄一"), Some(Fen(850_000)));
    assert_eq!(of("甄二"), Some(Fen(100_050)));
    let sum = Fen::saturating_sum(owed.iter().filter_map(|c| c.claimed));
    let case = store.case(row.id).unwrap().unwrap();
    assert_eq!(case.claimed, sum, "was {claimed_before:?}");
}

#[test]
fn a_roster_pasted_on_standard_input_is_previewed_only_without_yes() {
    use std::io::Write;
    use std::process::Stdio;
    let (home, db) = station();
    let paste = |yes: bool| {
        let mut cmd = crate::common::cli::waystation(home.path());
        cmd.args(["--db", db.to_str().unwrap(), "import", "roster", "-"]);
        if yes {
            cmd.arg("--yes");
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all("张三\t13800138000\t外卖\t8500\n李四\t13900139000\t快递\t3500\n".as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let out = paste(false);
    assert!(out.contains("no header row"), "{out}");
    assert!(out.contains("nothing added"), "{out}");
    assert!(!found(home.path(), &db, "13800138000", "张三"));
    let out = paste(true);
    assert!(out.contains("registered 2 people"), "{out}");
    assert!(found(home.path(), &db, "13800138000", "张三"));
}

/// A row that may be a worker registered already (a homophone on his
/// phone; a row with a known ID number is that person whatever the name):
/// the import stops and says how to decide; `--likely known` takes them as those
/// workers, `--likely new` would register them apart.
#[test]
fn rows_that_may_be_registered_workers_wait_for_staff_to_decide() {
    let (home, db) = station();
    let first = home.path().join("first.csv");
    std::fs::write(
        &first,
        "姓名,手机,身份证,工种\n王小二,13900000002,,外卖\n李大明,13900000003,11010519491231002X,快递\n",
    )
    .unwrap();
    ok(ws(
        home.path(),
        &db,
        &["import", "roster", first.to_str().unwrap(), "--yes"],
    ));
    let again = home.path().join("again.csv");
    std::fs::write(
        &again,
        "姓名,手机,身份证,工种\n王晓二,13900000002,,外卖\n李大民,,11010519491231002X,快递\n赵新,13900000004,,快递\n",
    )
    .unwrap();
    let path = again.to_str().unwrap();
    let r = ws(home.path(), &db, &["import", "roster", path, "--yes"]);
    assert_one_line_error(&r, 1);
    assert!(
        r.err.contains("1 rows may be workers registered already"),
        "{}",
        r.err
    );
    let by_id = r.out.lines().find(|l| l.contains("李大民")).unwrap();
    assert!(by_id.contains("already known as 李大明"), "{by_id}");
    assert!(r.err.contains("--likely known"), "{}", r.err);
    let row = r.out.lines().find(|l| l.contains("王晓二")).unwrap();
    assert!(row.contains("maybe 王小二, registered already"), "{row}");
    assert!(!found(home.path(), &db, "赵新", "赵新"), "nothing added");

    let r = ok(ws(
        home.path(),
        &db,
        &["import", "roster", path, "--yes", "--likely", "known"],
    ));
    assert!(
        r.out.contains("registered 1 people") || r.out.contains("registered 1 person"),
        "{}",
        r.out
    );
    assert!(found(home.path(), &db, "赵新", "赵新"));
    // Nobody registered twice: his phone finds him alone.
    let r = ok(ws(home.path(), &db, &["lookup", "13900000002"]));
    assert_eq!(
        r.out.lines().filter(|l| l.starts_with("person")).count(),
        1,
        "{}",
        r.out
    );
    assert!(!found(home.path(), &db, "王晓二", "王晓二"));
}
