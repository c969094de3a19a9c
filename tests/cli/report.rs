//! `waystation report` as staff and scripts run it: the real binary on a
//! demo database, its text, CSV and XLSX read back and compared with the
//! figures the store counts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{Datelike, NaiveDate};
use waystation::domain::case::CaseType;
use waystation::domain::person::Trade;
use waystation::domain::visit::Service;
use waystation::store::Store;
use waystation::store::figures::Figures;

use crate::common::cli::{ok, refused, run};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: &str = "2026-11-20";

fn today() -> NaiveDate {
    day(2026, 11, 20)
}

/// A folder with a small demo database, `d.db`, of station FT.
fn world() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db").to_str().unwrap().to_owned();
    ok(run(
        dir.path(),
        &[
            "--db", &db, "demo", "--today", TODAY, "--people", "60", "--visits", "400", "--cases",
            "30", "--seed", "3",
        ],
    ));
    (dir, db)
}

fn figures(db: &str, from: NaiveDate, to: NaiveDate) -> Figures {
    let store = Store::open(Path::new(db)).unwrap();
    store.figures_on(from, to, None, today()).unwrap()
}

fn year() -> (NaiveDate, NaiveDate) {
    (day(2026, 1, 1), day(2026, 12, 31))
}

/// `1234567` → `1,234,567`, as the text report groups counts.
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn line<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no line {label:?} in\n{text}"))
}

#[test]
fn text_reports_the_headcount_the_store_counts() {
    let (dir, db) = world();
    let (from, to) = year();
    let f = figures(&db, from, to);
    assert!(f.visits.headcount > 100, "the demo has visits this year");
    let r = ok(run(
        dir.path(),
        &["--db", &db, "report", "--from", "2026", "--today", TODAY],
    ));
    assert!(r.out.starts_with("Figures\n"), "{}", r.out);
    let l = line(&r.out, "People served");
    assert!(
        l.ends_with(&format!(" {}", grouped(f.visits.headcount))),
        "{l}"
    );
    let claimed = format!("¥{}", f.cases.claimed.yuan_string());
    assert!(
        line(&r.out, "Amount claimed").ends_with(&claimed),
        "{}",
        r.out
    );

    // In Chinese, from a range typed as staff type it, without --today.
    let r = ok(run(
        dir.path(),
        &[
            "--db",
            &db,
            "--lang",
            "zh-CN",
            "report",
            "--from",
            "2026年1月1日",
            "--to",
            "2026-12-31",
        ],
    ));
    let store = Store::open(Path::new(&db)).unwrap();
    let now = store.figures(from, to, None).unwrap();
    let l = line(&r.out, "服务人次");
    assert!(
        l.ends_with(&format!(" {}", grouped(now.visits.headcount))),
        "{l}"
    );
    assert!(line(&r.out, "主张金额（新立案件）").ends_with(&now.cases.claimed.wan_string()));
    assert!(line(&r.out, "站点数").ends_with(" 1"), "{}", r.out);
    // The station's distinct workers, under their own heading.
    let (station, n) = &now.visits.workers_by_station[0];
    assert_eq!(now.visits.workers_by_station.len(), 1);
    let after = r
        .out
        .split("服务人数（去重）按站点")
        .nth(1)
        .unwrap_or_default();
    let l = line(after, &format!("{}（{}）", station.name, station.code));
    assert!(l.ends_with(&format!(" {}", grouped(*n))), "{l}\n{}", r.out);
    assert_eq!(*n, now.visits.workers);
}

#[test]
fn this_month_is_the_month_of_the_day_the_report_is_made() {
    let (dir, db) = world();
    let r = ok(run(
        dir.path(),
        &[
            "--db", &db, "--lang", "zh-CN", "report", "--from", "本月", "--today", TODAY,
        ],
    ));
    assert!(
        line(&r.out, "开始日期").ends_with("2026-11-01"),
        "{}",
        r.out
    );
    assert!(
        line(&r.out, "结束日期").ends_with("2026-11-30"),
        "{}",
        r.out
    );
    assert!(line(&r.out, "统计日期").ends_with(TODAY), "{}", r.out);
    let f = figures(&db, day(2026, 11, 1), day(2026, 11, 30));
    let l = line(&r.out, "服务人次");
    assert!(l.ends_with(&format!(" {}", f.visits.headcount)), "{l}");
    assert!(line(&r.out, "逾期未跟进").ends_with(&format!(" {}", f.cases.overdue)));

    // Without --today, this month by the clock (in Shanghai, the station's
    // zone; the test tolerates running across a month's end).
    let r = ok(run(
        dir.path(),
        &["--db", &db, "--lang", "zh-CN", "report", "--from", "本月"],
    ));
    let first = line(&r.out, "开始日期")
        .trim_end()
        .rsplit(' ')
        .next()
        .unwrap();
    let first: NaiveDate = first.parse().unwrap();
    let now = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    assert_eq!(first.day(), 1);
    assert!(
        (first.year(), first.month()) == (now.year(), now.month())
            || now.day() == 1
            || now.day() >= 28,
        "{first} for {now}"
    );
}

/// The CSV's rows by key: (figure, breakdown, value, unit).
fn csv_rows(bytes: &[u8]) -> (Vec<String>, HashMap<String, Vec<String>>) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let mut rows = HashMap::new();
    for rec in r.records() {
        let rec: Vec<String> = rec.unwrap().iter().map(str::to_owned).collect();
        assert_eq!(rec.len(), 7, "{rec:?}");
        assert!(rows.insert(rec[6].clone(), rec).is_none(), "a key twice");
    }
    (header, rows)
}

#[test]
fn csv_holds_the_figures_as_plain_numbers() {
    let (dir, db) = world();
    let (from, to) = year();
    let f = figures(&db, from, to);
    let out = dir.path().join("year.csv");
    let r = ok(run(
        dir.path(),
        &[
            "--db",
            &db,
            "--lang",
            "zh-CN",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--today",
            TODAY,
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    assert!(r.out.contains("year.csv"), "{}", r.out);
    let (header, rows) = csv_rows(&std::fs::read(&out).unwrap());
    assert_eq!(
        header,
        ["部分", "指标", "分类", "分项", "数值", "单位", "代码"]
    );
    let value = |key: &str| -> &str {
        &rows
            .get(key)
            .unwrap_or_else(|| panic!("no {key} in {:?}", rows.keys()))[4]
    };
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    assert_eq!(value("visits.headcount"), f.visits.headcount.to_string());
    assert_eq!(value("visits.named"), f.visits.named.to_string());
    assert_eq!(value("visits.anonymous"), f.visits.anonymous.to_string());
    assert_eq!(value("visits.workers"), f.visits.workers.to_string());
    assert!(
        f.visits.workers > 0,
        "the demo has named visitors this year"
    );
    for (s, n) in &f.visits.workers_by_station {
        let key = format!("visits.workers_by_station.{}.workers", s.code);
        assert_eq!(value(&key), n.to_string());
        assert_eq!(
            rows[&key][1..4],
            [
                "服务人数（去重）".to_owned(),
                "站点".to_owned(),
                format!("{}（{}）", s.name, s.code)
            ]
        );
    }
    for (t, n) in &f.visits.by_trade {
        let key = format!("visits.by_trade.{}.headcount", t.code());
        assert_eq!(value(&key), n.to_string());
        assert_eq!(rows[&key][3], t.label(waystation::i18n::Lang::ZhCn));
    }
    for (s, n) in &f.visits.by_service {
        assert_eq!(
            value(&format!("visits.by_service.{}.headcount", s.code())),
            n.to_string()
        );
    }
    for (d, n) in &f.visits.daily {
        assert_eq!(value(&format!("visits.daily.{d}.headcount")), n.to_string());
    }
    assert_eq!(value("cases.opened"), f.cases.opened.to_string());
    assert_eq!(value("cases.resolved"), f.cases.resolved.to_string());
    assert_eq!(value("cases.open_at_end"), f.cases.open_at_end.to_string());
    assert_eq!(value("cases.claimed"), yuan(f.cases.claimed.0));
    assert_eq!(rows["cases.claimed"][5], "元");
    assert_eq!(value("cases.recovered"), yuan(f.cases.recovered.0));
    assert_eq!(value("cases.overdue"), f.cases.overdue.to_string());
    assert_eq!(
        value("cases.group_workers"),
        f.cases.group_workers.to_string()
    );
    let m = f.cases.mediation;
    assert_eq!(value("cases.mediation_agreed"), m.agreed.to_string());
    assert_eq!(value("cases.mediation_concluded"), m.concluded.to_string());
    let rate = m.permille().map(|p| format!("{}.{}", p / 10, p % 10));
    assert_eq!(value("cases.mediation_rate"), rate.unwrap_or_default());
    for t in &f.cases.by_type {
        let k = |fig: &str| format!("cases.by_type.{}.{fig}", t.case_type.code());
        assert_eq!(value(&k("opened")), t.opened.to_string());
        assert_eq!(value(&k("closed")), t.closed.to_string());
        assert_eq!(value(&k("claimed")), yuan(t.claimed.0));
        assert_eq!(value(&k("recovered")), yuan(t.recovered.0));
    }
    let c = &f.counselling;
    assert_eq!(value("counselling.booked"), c.all.booked.to_string());
    assert_eq!(value("counselling.no_shows"), c.all.no_shows.to_string());
    assert_eq!(value("counselling.waiting"), c.waiting.to_string());
    assert_eq!(value("heading.from"), "2026-01-01");
    // A spreadsheet can sum them: money by type adds up to the total.
    let sum: f64 = CaseType::ALL
        .iter()
        .map(|t| value(&format!("cases.by_type.{}.claimed", t.code())))
        .map(|v| v.parse::<f64>().unwrap())
        .sum();
    assert!((sum - f.cases.claimed.0 as f64 / 100.0).abs() < 0.001);
    assert!(f.cases.claimed.0 > 0, "the demo claims amounts this year");
}

/// Every row of a sheet.
fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The row whose first cell is the text `label`.
fn labelled<'a>(rows: &'a [Vec<Data>], label: &str) -> &'a [Data] {
    rows.iter()
        .find(|r| r.first() == Some(&Data::String(label.into())))
        .unwrap_or_else(|| panic!("no row {label:?} in {rows:?}"))
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(x) => *x,
        Data::Int(n) => *n as f64,
        other => panic!("not a number cell: {other:?}"),
    }
}

fn xlsx(dir: &Path, db: &str, lang: &str, out: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    ok(run(
        dir,
        &[
            "--db",
            db,
            "--lang",
            lang,
            "report",
            "--from",
            "2026",
            "--today",
            TODAY,
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    open_workbook(out).unwrap()
}

#[test]
fn xlsx_has_a_sheet_per_section_with_numbers_and_money_in_yuan() {
    let (dir, db) = world();
    let (from, to) = year();
    let f = figures(&db, from, to);
    let path: PathBuf = dir.path().join("year.xlsx");
    let mut book = xlsx(dir.path(), &db, "zh-CN", &path);
    assert_eq!(
        book.sheet_names(),
        [
            "概况",
            "来访服务",
            "案件求助",
            "转介与上报",
            "心理与法律咨询"
        ]
    );
    let visits = sheet(&mut book, "来访服务");
    assert_eq!(visits[0][0], Data::String("来访服务".into()));
    let header = labelled(&visits, "指标");
    assert_eq!(header[1], Data::String("数值".into()));
    let n = |rows: &[Vec<Data>], label: &str| number(&labelled(rows, label)[1]);
    assert_eq!(n(&visits, "服务人次"), f.visits.headcount as f64);
    assert_eq!(n(&visits, "匿名计数人次"), f.visits.anonymous as f64);
    let courier = f.visits.by_trade.iter().find(|(t, _)| *t == Trade::Courier);
    assert_eq!(n(&visits, "快递员"), courier.unwrap().1 as f64);
    let water = f
        .visits
        .by_service
        .iter()
        .find(|(s, _)| *s == Service::Water);
    assert_eq!(n(&visits, "饮水"), water.unwrap().1 as f64);

    // Workers by station: a table of its own, a station per line.
    let title = visits
        .iter()
        .position(|r| r.first() == Some(&Data::String("服务人数（去重）按站点".into())))
        .unwrap_or_else(|| panic!("no workers by station in {visits:?}"));
    assert_eq!(
        visits[title + 1][..2],
        [
            Data::String("站点".into()),
            Data::String("服务人数（去重）".into())
        ]
    );
    for (i, (s, n)) in f.visits.workers_by_station.iter().enumerate() {
        let row = &visits[title + 2 + i];
        assert_eq!(row[0], Data::String(format!("{}（{}）", s.name, s.code)));
        assert_eq!(number(&row[1]), *n as f64);
    }
    assert_eq!(n(&visits, "服务人数（去重）"), f.visits.workers as f64);

    let cases = sheet(&mut book, "案件求助");
    // Money: the fen figure / 100, exactly.
    assert_eq!(
        n(&cases, "主张金额（新立案件）"),
        f.cases.claimed.0 as f64 / 100.0
    );
    assert_eq!(
        n(&cases, "追回金额（已解决案件）"),
        f.cases.recovered.0 as f64 / 100.0
    );
    assert_eq!(n(&cases, "群体案件"), f.cases.group_cases as f64);
    match f.cases.mediation.permille() {
        Some(p) => assert_eq!(n(&cases, "调解成功率"), p as f64 / 1000.0),
        None => assert_eq!(labelled(&cases, "调解成功率")[1], Data::String("—".into())),
    }
    let head = labelled(&cases, "案件类型");
    let col = |name: &str| {
        head.iter()
            .position(|c| *c == Data::String(name.into()))
            .unwrap_or_else(|| panic!("no column {name} in {head:?}"))
    };
    let (claimed, opened) = (col("主张金额（新立案件）"), col("新立案件"));
    for t in &f.cases.by_type {
        let row = labelled(&cases, t.case_type.label(waystation::i18n::Lang::ZhCn));
        assert_eq!(number(&row[claimed]), t.claimed.0 as f64 / 100.0);
        assert_eq!(number(&row[opened]), t.opened as f64);
    }
    let counselling = sheet(&mut book, "心理与法律咨询");
    assert_eq!(n(&counselling, "已完成"), f.counselling.all.held as f64);
    // Referrals: the total sent, and each destination's line.
    let referrals = sheet(&mut book, "转介与上报");
    let sent: u64 = f.referrals.lines.iter().map(|l| l.sent).sum();
    assert!(sent > 0, "the demo refers cases");
    assert_eq!(n(&referrals, "转介、上报、转交（本期发出）"), sent as f64);
    let head = labelled(&referrals, "去向");
    let done = head
        .iter()
        .position(|c| *c == Data::String("办结".into()))
        .unwrap();
    for l in &f.referrals.lines {
        let row = labelled(&referrals, l.to.label(waystation::i18n::Lang::ZhCn));
        assert_eq!(number(&row[done]), l.done as f64);
    }
    let heading = sheet(&mut book, "概况");
    assert_eq!(
        labelled(&heading, "开始日期")[1],
        Data::String("2026-01-01".into())
    );
    assert_eq!(n(&heading, "站点数"), 1.0);

    // English headers, the same numbers.
    let path = dir.path().join("year-en.xlsx");
    let mut book = xlsx(dir.path(), &db, "en", &path);
    assert_eq!(
        book.sheet_names(),
        [
            "Overview",
            "Visits",
            "Cases",
            "Referrals and escalations",
            "Counselling and legal advice"
        ]
    );
    let visits = sheet(&mut book, "Visits");
    assert_eq!(labelled(&visits, "Figure")[1], Data::String("Value".into()));
    assert_eq!(n(&visits, "People served"), f.visits.headcount as f64);
    let (s, workers) = &f.visits.workers_by_station[0];
    assert_eq!(
        n(&visits, &format!("{} ({})", s.name, s.code)),
        *workers as f64
    );
    labelled(&visits, "Workers (each once) by station");
    let cases = sheet(&mut book, "Cases");
    assert_eq!(
        n(&cases, "Amount claimed (cases opened)"),
        f.cases.claimed.0 as f64 / 100.0
    );
    assert!(labelled(&cases, "Case type").len() >= 7);
}

#[test]
fn files_get_default_names_and_are_never_replaced_unasked() {
    let (dir, db) = world();
    let args = |format: &'static str| {
        vec![
            "--db", &db, "report", "--from", "2026-11", "--today", TODAY, "--format", format,
        ]
    };
    let r = ok(run(dir.path(), &args("xlsx")));
    let first = dir
        .path()
        .join("waystation-report-2026-11-01_2026-11-30.xlsx");
    assert!(first.exists(), "{}", r.out);
    assert!(
        r.out
            .contains("waystation-report-2026-11-01_2026-11-30.xlsx")
    );
    let r = ok(run(dir.path(), &args("xlsx")));
    assert!(
        dir.path()
            .join("waystation-report-2026-11-01_2026-11-30-2.xlsx")
            .exists(),
        "{}",
        r.out
    );
    let r = ok(run(dir.path(), &args("csv")));
    assert!(r.out.contains(".csv"), "{}", r.out);
    // One station: its code in the name; the format from --out's name.
    let r = ok(run(
        dir.path(),
        &[
            "--db",
            &db,
            "report",
            "--from",
            "2026-11",
            "--station",
            "ft",
            "--today",
            TODAY,
            "--format",
            "csv",
        ],
    ));
    assert!(
        dir.path()
            .join("waystation-report-FT-2026-11-01_2026-11-30.csv")
            .exists(),
        "{}",
        r.out
    );
    let named = dir.path().join("mine.csv");
    std::fs::write(&named, "old").unwrap();
    ok(run(
        dir.path(),
        &[
            "--db",
            &db,
            "report",
            "--from",
            "2026-11",
            "--out",
            named.to_str().unwrap(),
        ],
    ));
    let (_, rows) = csv_rows(&std::fs::read(&named).unwrap());
    assert!(rows.contains_key("visits.headcount"));
    // No temporary file is left anywhere.
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name}");
    }
}

#[test]
fn an_end_without_a_year_takes_the_start_s() {
    let (dir, db) = world();
    // November 2025, not 2025-11-01 to 2026-11-30.
    let r = ok(run(
        dir.path(),
        &[
            "--db",
            &db,
            "report",
            "--from",
            "2025-11-01",
            "--to",
            "11-30",
            "--today",
            TODAY,
            "--format",
            "csv",
        ],
    ));
    assert!(
        dir.path()
            .join("waystation-report-2025-11-01_2025-11-30.csv")
            .exists(),
        "{}",
        r.out
    );
    // An end that then comes before the start is refused, not moved.
    let r = run(
        dir.path(),
        &[
            "--db",
            &db,
            "--lang",
            "en",
            "report",
            "--from",
            "2025-12-01",
            "--to",
            "01-31",
            "--today",
            TODAY,
        ],
    );
    refused(&r);
    assert!(
        r.err.contains("--to") && r.err.contains("ends (2025-01-31) before it starts"),
        "{}",
        r.err
    );
    // Words for periods and days, in either language.
    for (from, to, name) in [
        ("上季度", None, "2026-07-01_2026-09-30"),
        ("last quarter", None, "2026-07-01_2026-09-30"),
        ("上半年", None, "2026-01-01_2026-06-30"),
        ("上周一", Some("上周五"), "2026-11-09_2026-11-13"),
        ("11月1日", Some("下周一"), "2026-11-01_2026-11-23"),
    ] {
        let mut args = vec![
            "--db", &db, "report", "--from", from, "--today", TODAY, "--format", "csv",
        ];
        if let Some(to) = to {
            args.extend(["--to", to]);
        }
        let r = ok(run(dir.path(), &args));
        let file = format!("waystation-report-{name}.csv");
        assert!(dir.path().join(&file).exists(), "{from} {to:?}: {}", r.out);
    }
}

#[test]
fn bad_dates_and_stations_are_one_line_naming_the_option() {
    let (dir, db) = world();
    let report = |lang: &str, extra: &[&str]| {
        let mut args = vec!["--db", &db, "--lang", lang, "report"];
        args.extend_from_slice(extra);
        run(dir.path(), &args)
    };
    let r = report("en", &["--from", "2026-02-30"]);
    refused(&r);
    assert!(r.err.contains("--from"), "{}", r.err);
    assert!(
        r.err.contains("February 2026 has only 28 days"),
        "{}",
        r.err
    );
    let r = report("zh-CN", &["--from", "2026-11-01", "--to", "下下周"]);
    refused(&r);
    assert!(r.err.contains("--to"), "{}", r.err);
    assert!(r.err.contains("“下下周”不是时间段"), "{}", r.err);
    let r = report("en", &["--from", "2026-11-10", "--to", "2026-11-01"]);
    refused(&r);
    assert!(
        r.err.contains("--to") && r.err.contains("ends"),
        "{}",
        r.err
    );
    let r = report("zh-CN", &["--from", "本月", "--today", "明年"]);
    refused(&r);
    assert!(r.err.contains("--today"), "{}", r.err);
    let r = report("en", &["--from", "2026-11", "--station", "ZZ"]);
    refused(&r);
    assert!(
        r.err.contains("ZZ") && r.err.contains("codes this database knows: FT"),
        "{}",
        r.err
    );
    let r = report("zh-CN", &["--from", "2026-11", "--station", "ZZ"]);
    refused(&r);
    assert!(
        r.err.contains("没有站点代码为 ZZ") && r.err.contains("FT"),
        "{}",
        r.err
    );
    let r = report("en", &["--from", "2026-11", "--out", "r.xls"]);
    refused(&r);
    assert!(r.err.contains("--format"), "{}", r.err);
    let missing = dir.path().join("no/such/folder/r.csv");
    let r = report(
        "en",
        &["--from", "2026-11", "--out", missing.to_str().unwrap()],
    );
    refused(&r);
    assert!(r.err.contains("cannot write"), "{}", r.err);
    // A format clap does not know is its usage error (exit 2).
    let r = report("en", &["--from", "2026-11", "--format", "pdf"]);
    assert_eq!(r.code, 2, "{}", r.err);
}
