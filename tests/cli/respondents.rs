//! `waystation respondents` through the real binary: found by a part of
//! the name, pinyin or code; a mistyped code refused next to the field it
//! came from, naming the character it should end with; two spellings
//! merged and the page listing both cases; nothing changed without a
//! signed-in staff member.

use crate::common;

use common::cli::{ok, refused, run, run_env};
use common::{add_person, new_case, station_db};

#[test]
fn the_register_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut s) = station_db(&dir, "FT");
    for (who, resp) in [("张三", "广厦物流"), ("李四", "深圳市广厦物流有限公司")]
    {
        let p = add_person(&mut s, who, "13912345678");
        let mut c = new_case(vec![p], chrono::Utc::now());
        c.respondent = Some(resp.into());
        s.write(|w| w.open_case(&c)).unwrap();
    }
    common::sign_in_admin(&mut s, "管理员");
    let admin = s.session().unwrap().staff;
    s.write(|w| w.set_pin(admin, "1234")).unwrap();
    drop(s);
    let db = path.to_str().unwrap();
    let home = dir.path();
    let w = |args: &[&str]| {
        let mut all = vec!["--db", db, "--lang", "zh-CN", "respondents"];
        all.extend_from_slice(args);
        run(home, &all)
    };
    let as_admin = |args: &[&str]| {
        let mut all = vec!["--db", db, "--lang", "zh-CN", "respondents"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--as", "管理员"]);
        run_env(home, &all, &[("WAYSTATION_PIN", "1234")])
    };
    let found = ok(w(&["gswl"]));
    assert!(found.out.contains("广厦物流  未结 1 件"), "{}", found.out);
    assert!(
        found.out.contains("深圳市广厦物流有限公司"),
        "{}",
        found.out
    );
    // A code with one character mistyped: refused, saying what it should be.
    let e = as_admin(&[
        "set",
        "深圳市广厦物流有限公司",
        "--code",
        "91350100M000100Y44",
    ]);
    assert!(refused(&e).contains("最后一位应为“3”"), "{}", e.err);
    // Nobody signed in: no change.
    let e = w(&[
        "set",
        "深圳市广厦物流有限公司",
        "--code",
        "91350100M000100Y43",
    ]);
    assert_ne!(e.code, 0);
    ok(as_admin(&[
        "set",
        "深圳市广厦物流有限公司",
        "--code",
        "9135 0100 M000 100Y 43",
        "--platform",
        "美团配送",
    ]));
    let by_code = ok(w(&["913501"]));
    assert!(
        by_code.out.contains("91350100M000100Y43"),
        "{}",
        by_code.out
    );
    ok(as_admin(&["merge", "广厦物流", "91350100M000100Y43"]));
    let page = ok(w(&["show", "广厦物流"]));
    assert!(
        page.out.starts_with("深圳市广厦物流有限公司\n"),
        "{}",
        page.out
    );
    assert!(page.out.contains("已并入的写法：广厦物流"), "{}", page.out);
    assert!(page.out.contains("案件 2 件（未结 2 件）"), "{}", page.out);
    ok(as_admin(&["unmerge", "广厦物流"]));
    let page = ok(w(&["show", "广厦物流"]));
    assert!(page.out.starts_with("广厦物流\n"), "{}", page.out);
    let none = ok(w(&["several"]));
    assert!(none.out.contains("没有在多个站点"), "{}", none.out);
}
