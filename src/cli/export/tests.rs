use super::*;
use crate::domain::person::{PersonInput, Trade};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn args(kind: Kind) -> ExportArgs {
    ExportArgs {
        kind,
        format: None,
        out: None,
        from: None,
        to: None,
        station: None,
        unmasked: false,
        as_name: None,
    }
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
    s
}

const TODAY: fn() -> NaiveDate = || day(2026, 11, 20);

fn plan_of(store: &Store, a: &ExportArgs, cwd: &Path) -> Result<Plan> {
    plan(store, a, TODAY(), cwd, Lang::En)
}

#[test]
fn the_default_file_is_named_after_kind_and_day() {
    let dir = tempfile::tempdir().unwrap();
    let p = plan_of(&store(), &args(Kind::Visits), dir.path()).unwrap();
    assert_eq!(p.path, dir.path().join("waystation-visits-2026-11-20.csv"));
    assert_eq!(p.format, FileFormat::Csv);
    assert!(p.masked);
    assert_eq!(p.filter, ExportFilter::default());

    // Into a folder; the format from the name; the name from the format.
    let mut a = args(Kind::Cases);
    a.out = Some(dir.path().to_owned());
    a.format = Some(FileFormat::Xlsx);
    let p = plan_of(&store(), &a, Path::new("/")).unwrap();
    assert_eq!(p.path, dir.path().join("waystation-cases-2026-11-20.xlsx"));
    let mut a = args(Kind::Cases);
    a.out = Some("月报.XLSX".into());
    let p = plan_of(&store(), &a, dir.path()).unwrap();
    assert_eq!(p.format, FileFormat::Xlsx);
    assert_eq!(p.path, dir.path().join("月报.XLSX"));
}

#[test]
fn periods_are_read_as_staff_type_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = store();
    let mut a = args(Kind::Visits);
    a.from = Some("2026-11".into());
    let f = plan_of(&s, &a, dir.path()).unwrap().filter;
    assert_eq!(
        (f.from, f.to),
        (Some(day(2026, 11, 1)), Some(day(2026, 11, 30)))
    );
    a.to = Some("11/15".into());
    let f = plan_of(&s, &a, dir.path()).unwrap().filter;
    assert_eq!(
        (f.from, f.to),
        (Some(day(2026, 11, 1)), Some(day(2026, 11, 15)))
    );
    let mut a = args(Kind::Appointments);
    a.to = Some("昨天".into());
    let f = plan_of(&s, &a, dir.path()).unwrap().filter;
    assert_eq!((f.from, f.to), (None, Some(day(2026, 11, 19))));
    a.from = Some("本月".into());
    a.to = Some("2026-10-01".into());
    let e = plan_of(&s, &a, dir.path()).unwrap_err().to_string();
    assert!(e.contains("before it starts"), "{e}");
    let mut a = args(Kind::Cases);
    a.from = Some("2026-02-30".into());
    let e = plan(&s, &a, TODAY(), dir.path(), Lang::ZhCn)
        .unwrap_err()
        .to_string();
    assert!(e.contains("2026年2月只有28天"), "{e}");
}

#[test]
fn filters_that_do_not_apply_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = store();
    let mut a = args(Kind::People);
    a.from = Some("本月".into());
    let e = plan_of(&s, &a, dir.path()).unwrap_err().to_string();
    assert!(e.contains("people are exported whole"), "{e}");
    let mut a = args(Kind::Appointments);
    a.station = Some("FT".into());
    assert!(plan_of(&s, &a, dir.path()).is_err());
    let mut a = args(Kind::Visits);
    a.unmasked = true;
    let e = plan_of(&s, &a, dir.path()).unwrap_err().to_string();
    assert!(e.contains("people only"), "{e}");
    let mut a = args(Kind::Visits);
    a.station = Some("zz".into());
    let e = plan_of(&s, &a, dir.path()).unwrap_err().to_string();
    assert_eq!(
        e,
        "no station has the code zz (stations in this database: FT)"
    );
    a.station = Some("ft".into());
    let p = plan_of(&s, &a, dir.path()).unwrap();
    assert_eq!(p.station.as_deref(), Some("FT"));
    assert_eq!(p.filter.station, s.station_id().unwrap());
    let mut a = args(Kind::Visits);
    a.out = Some("x.csv".into());
    a.format = Some(FileFormat::Xlsx);
    let e = plan_of(&s, &a, dir.path()).unwrap_err().to_string();
    assert!(e.contains("make them agree"), "{e}");
    a.out = Some("nowhere/x.xlsx".into());
    let e = plan_of(&s, &a, dir.path()).unwrap_err().to_string();
    assert!(e.contains("does not exist"), "{e}");
    // A slip of the hand must not replace a database with an export.
    let db = dir.path().join("station.db");
    Store::open(&db).unwrap();
    a.out = Some(db.clone());
    a.format = None;
    let e = plan_of(&s, &a, dir.path()).unwrap_err().to_string();
    assert!(e.contains("is a database"), "{e}");
}

fn people(s: &mut Store) {
    let mut w = s.begin(None).unwrap();
    for (name, mobile) in [("张三", "13812345678"), ("=李四", "")] {
        let d = PersonInput {
            name: name.into(),
            mobile: mobile.into(),
            trade: Some(Trade::Courier),
            ..PersonInput::default()
        }
        .validate()
        .unwrap();
        w.add_person(&d).unwrap();
    }
    w.commit().unwrap();
}

fn style(masked: bool) -> Style {
    Style {
        lang: Lang::ZhCn,
        tz: chrono_tz::Asia::Shanghai,
        masked,
    }
}

/// Only the finished file is left in the folder.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn an_export_is_written_recorded_and_put_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    people(&mut s);
    let p = plan_of(&s, &args(Kind::People), dir.path()).unwrap();
    let rows = write_and_record(&mut s, &p, style(true), XLSX_SHEET_ROWS).unwrap();
    assert_eq!(rows, 2);
    assert_eq!(files(dir.path()), vec!["waystation-people-2026-11-20.csv"]);
    let text = std::fs::read_to_string(&p.path).unwrap();
    assert!(text.contains("138****5678"), "{text}");
    assert!(!text.contains("13812345678"), "{text}");
    assert!(text.contains("'=李四"), "a name is never a formula: {text}");
    let log = s.audit_entries(5).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action_kind(), Some(AuditAction::Export));
    assert_eq!(log[0].subject, "people");
    assert_eq!(log[0].detail["rows"], 2);
    assert_eq!(log[0].detail["masked"], true);
    assert_eq!(log[0].detail["format"], "csv");
    assert_eq!(log[0].detail["from"], serde_json::Value::Null);
    assert_eq!(
        log[0].detail["file"],
        p.path.to_string_lossy().into_owned().as_str()
    );

    let mut a = args(Kind::People);
    a.unmasked = true;
    a.format = Some(FileFormat::Xlsx);
    let p = plan_of(&s, &a, dir.path()).unwrap();
    write_and_record(&mut s, &p, style(false), XLSX_SHEET_ROWS).unwrap();
    let log = s.audit_entries(5).unwrap();
    assert_eq!(log[0].action_kind(), Some(AuditAction::ExportUnmasked));
    assert_eq!(log[0].detail["masked"], false);
    assert_eq!(log[0].detail["format"], "xlsx");
    assert_eq!(files(dir.path()).len(), 2);
}

/// An export that cannot be recorded is not written: no file, no part.
#[test]
fn no_record_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_in_memory().unwrap(); // no station: no audit entry
    let p = Plan {
        kind: Kind::People,
        format: FileFormat::Csv,
        path: dir.path().join("out.csv"),
        stdout: false,
        filter: ExportFilter::default(),
        station: None,
        masked: true,
    };
    let e = write_and_record(&mut s, &p, style(true), XLSX_SHEET_ROWS)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("未导出：无法记入审计日志"), "{e}");
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

/// An existing file of the same name is replaced whole.
#[test]
fn an_older_export_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    let target = dir.path().join("waystation-people-2026-11-20.csv");
    std::fs::write(&target, "old").unwrap();
    let p = plan_of(&s, &args(Kind::People), dir.path()).unwrap();
    assert_eq!(write_and_record(&mut s, &p, style(true), 10).unwrap(), 0);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("\u{feff}姓名,手机,身份证号"), "{text}");
    assert_eq!(files(dir.path()).len(), 1);
}
