//! End-to-end, the issue's scenario through the real binary: station FT
//! escalates a group case to the district office by keys; the office, after
//! a sync through the shared folder, finds it under "handed to us", accepts
//! it, refers it to the arbitration commission and records the award; after
//! the next sync station FT's console shows every step; and `report`, at
//! either end, counts the escalation once and the referral once.

use crate::common;

use std::path::{Path, PathBuf};

use common::cli::bin;
use common::pty::Console;
use waystation::domain::staff::Role;
use waystation::store::Store;

const PASS: &str = "市南区 驿站 口令 2026";
const PIN: &str = "1357";

/// A station's database with an admin whose PIN is [`PIN`].
fn station(dir: &Path, code: &str, name: &str, admin: &str) -> PathBuf {
    let path = dir.join(format!("{code}.db"));
    let mut s = Store::open(&path).unwrap();
    s.init_station(code, name, "Asia/Shanghai").unwrap();
    s.write(|w| {
        let id = w.add_staff(admin, Role::Admin)?;
        w.set_pin(id, PIN)
    })
    .unwrap();
    path
}

fn cli(db: &Path, home: &Path, args: &[&str]) -> String {
    let out = bin()
        .arg("--db")
        .arg(db)
        .args(["--lang", "zh-CN"])
        .args(args)
        .env("XDG_DATA_HOME", home)
        .env("WAYSTATION_SYNC_PASSPHRASE", PASS)
        .env("WAYSTATION_PIN", PIN)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sync(db: &Path, folder: &Path, home: &Path) {
    cli(db, home, &["sync", folder.to_str().unwrap()]);
}

/// The console of `db`, signed in as its only staff member, `who`.
fn console(db: &Path, home: &Path, who: &str) -> Console {
    let mut c = Console::start(
        &["--db", db.to_str().unwrap(), "--lang", "zh-CN"],
        home,
        120,
        40,
    );
    c.wait_for(who);
    c.enter();
    c.wait_for("请输入 PIN 码");
    c.type_text(PIN);
    c.enter();
    c.wait_for(" F1 来访登记");
    c
}

/// Opens case `number` by the global lookup.
fn open_case(c: &mut Console, number: &str) {
    c.f(2);
    c.ctrl('f');
    c.type_text(number);
    c.wait_for("[案件]");
    c.enter();
}

/// The report of this year as CSV, figure key → value.
fn report(db: &Path, home: &Path) -> std::collections::HashMap<String, String> {
    let out = home.join(format!("{}.csv", db.file_stem().unwrap().to_string_lossy()));
    cli(
        db,
        home,
        &["report", "--from", "本年", "--out", out.to_str().unwrap()],
    );
    let bytes = std::fs::read(&out).unwrap();
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    r.records()
        .map(Result::unwrap)
        .map(|row| (row[6].to_owned(), row[4].to_owned()))
        .collect()
}

#[test]
fn an_escalation_travels_to_the_district_and_back_and_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let folder = home.join("shared");
    std::fs::create_dir_all(&folder).unwrap();
    let ft = station(home, "FT", "福田驿站", "王芳");
    let qu = station(home, "QU", "市南区总工会", "李主任");
    // Station FT's group case: three couriers against one employer.
    let number = {
        let mut s = Store::open(&ft).unwrap();
        let ids: Vec<_> = [
            ("赵一", "13900000001"),
            ("钱二", "13900000002"),
            ("孙三", "13900000003"),
        ]
        .iter()
        .map(|(n, m)| common::add_person(&mut s, n, m))
        .collect();
        let mut c = common::new_case(ids, chrono::Utc::now());
        c.case_type = waystation::domain::case::CaseType::WageArrears;
        c.respondent = Some("深圳市广厦物流有限公司".into());
        s.write(|w| w.open_case(&c)).unwrap().1.to_string()
    };
    // The office creates the network; both sync: each knows the other.
    cli(
        &qu,
        home,
        &[
            "network",
            "create",
            folder.to_str().unwrap(),
            "--as",
            "李主任",
        ],
    );
    sync(&qu, &folder, home);
    sync(&ft, &folder, home);
    sync(&qu, &folder, home);

    // FT escalates it by keys: r, the kind "escalation", the office, what
    // is asked.
    let mut c = console(&ft, home, "王芳");
    open_case(&mut c, &number);
    c.wait_for("申请人（3 人）");
    c.type_text("r");
    c.wait_for("转介/上报/转交 ·");
    c.right(); // 上报区总工会
    c.wait_for("‹ 上报区总工会 ›");
    c.wait_for("‹ 市南区总工会 ›");
    c.tab();
    c.tab();
    c.type_text("三人欠薪，请区总工会协调");
    c.ctrl('s');
    c.wait_for("已记录上报区总工会：市南区总工会");
    c.wait_for("上报区总工会 市南区总工会 · 已发出");
    c.ctrl('q');
    c.wait_exit();
    sync(&ft, &folder, home);
    sync(&qu, &folder, home);

    // The office: handed to it, accepted, referred to arbitration, the
    // award recorded, its escalation done.
    let mut c = console(&qu, home, "李主任");
    c.f(2);
    c.wait_for("1 件待答复");
    c.type_text("u");
    c.wait_for(&number);
    c.enter();
    c.wait_for("三人欠薪，请区总工会协调");
    c.type_text("g");
    c.wait_for("‹ 已受理 ›");
    c.ctrl('s');
    c.wait_for("已办理为“已受理”");
    c.type_text("r");
    c.wait_for("‹ 劳动人事争议仲裁委员会 ›");
    c.tab();
    c.tab();
    c.type_text("市南区劳动人事争议仲裁委员会");
    c.ctrl('s');
    c.wait_for("已记录转介外部机构：市南区劳动人事争议仲裁委员会");
    c.type_text("g");
    c.wait_for("办理转介/上报 ·");
    c.right(); // which: the referral
    c.wait_for("转介外部机构 市南区劳动人事争议仲裁委员会 · 已发出 ›");
    c.tab();
    for _ in 0..3 {
        c.right(); // 已受理 → 不予受理 → 办理中 → 已办结
    }
    c.wait_for("‹ 已办结 ›");
    c.tab();
    c.tab();
    c.type_text("裁决支付三人工资");
    c.ctrl('s');
    c.wait_for("已办理为“已办结”");
    c.type_text("g");
    c.wait_for("‹ 上报区总工会 市南区总工会 · 已受理 ›");
    c.tab();
    c.right(); // 办理中 → 已办结
    c.wait_for("‹ 已办结 ›");
    c.ctrl('s');
    c.wait_for("已办理为“已办结”");
    c.ctrl('q');
    c.wait_exit();
    sync(&qu, &folder, home);
    sync(&ft, &folder, home);

    // Station FT sees each step.
    let mut c = console(&ft, home, "王芳");
    open_case(&mut c, &number);
    c.wait_for("── 转介/上报 2 ─");
    c.wait_for("上报区总工会 市南区总工会 · 已办结");
    c.wait_for("转介外部机构 市南区劳动人事争议仲裁委员会 · 已办结");
    let screen = c.screen();
    for step in [
        "上报区总工会（市南区总工会）：已受理",
        "上报区总工会（市南区总工会）：已办结",
        "转介外部机构（市南区劳动人事争议仲裁委员会）：已办结，诉求得到支持，裁决支付三人工资",
    ] {
        assert!(screen.contains(step), "{step}\n{screen}");
    }
    c.ctrl('q');
    c.wait_exit();

    // Counted once at either end: one escalation, one referral, both done.
    for db in [&ft, &qu] {
        let r = report(db, home);
        assert_eq!(r["referrals.escalations"], "1", "{db:?}");
        assert_eq!(r["referrals.sent"], "2", "{db:?}");
        assert_eq!(r["referrals.by_destination.escalation.done"], "1");
        assert_eq!(r["referrals.by_destination.arbitration.sent"], "1");
        assert_eq!(r["referrals.by_destination.arbitration.done"], "1");
        // Both ended "upheld": the referral's award and the escalation.
        assert_eq!(r["referrals.by_outcome.supported.done"], "2");
        assert_eq!(r["cases.opened"], "1", "the case itself counts once");
    }
}
