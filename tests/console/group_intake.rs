//! Group intake in the new-case form: claimants typed one a line with what
//! each is owed (known people found by phone, new ones registered with the
//! case), a list pasted from a spreadsheet, and the case total as their sum.

use crate::common::console::*;
use ratatui::crossterm::event::{Event, KeyCode};
use waystation::domain::Mobile;
use waystation::domain::money::Fen;
use waystation::domain::person::{PersonDetails, Trade};
use waystation::i18n::Lang;
use waystation::tui::action::PaneId;
use waystation::tui::app::App;

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("intake_{name}_{w}x{h}"), render(app, w, h));
    }
}

/// The new-case form open on the fixture, focus on its claimants; two
/// people known by their phones.
fn form(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = fixture_app(dir, lang);
    let mut w = app.store.begin(None).unwrap();
    for (name, mobile) in [("欧阳测甲", "13900001111"), ("欧阳测乙", "13900002222")] {
        w.add_person(&PersonDetails {
            name: name.into(),
            mobile: Some(Mobile::parse(mobile).unwrap()),
            resident_id: None,
            trade: Trade::FoodDelivery,
            employer: None,
            union_member: false,
            union_joined: None,
        })
        .unwrap();
    }
    w.commit().unwrap();
    press(&mut app, KeyCode::F(2));
    assert_eq!(app.pane, PaneId::Cases);
    type_text(&mut app, "n");
    press(&mut app, KeyCode::Tab); // type → claimants
    app
}

fn line(app: &mut App, text: &str) {
    type_text(app, text);
    press(app, KeyCode::Enter);
}

/// Saves from the claimants (Ctrl-S) and returns the new case.
fn save(app: &mut App) -> waystation::domain::ids::CaseId {
    send(app, ctrl('s'));
    assert!(!app.cases.form_open(), "{}", render(app, 120, 40));
    slip_away(app);
    app.cases.shown_case().expect("the new case is shown")
}

/// The names of the people registered with this mobile.
fn holders(app: &App, mobile: &str) -> Vec<String> {
    app.store
        .lookup(mobile, 10)
        .unwrap()
        .into_iter()
        .filter_map(|h| match h {
            waystation::store::Hit::Person(p) if p.matched == waystation::store::Match::Mobile => {
                Some(p.name)
            }
            _ => None,
        })
        .collect()
}

fn owed(app: &App, id: waystation::domain::ids::CaseId) -> Vec<(String, Option<Fen>)> {
    app.store
        .claimants_owed(id)
        .unwrap()
        .into_iter()
        .map(|k| (k.name, k.claimed))
        .collect()
}

#[test]
fn claimants_typed_a_line_each_are_found_or_registered_with_their_amounts() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = form(&dir, lang);
        line(&mut app, "欧阳测甲 13900001111 8500");
        line(&mut app, "王小二 13912340001 外卖 6,000");
        // What Enter will do shows while typing: a new person who shares
        // a known phone.
        type_text(&mut app, "刘小洋 13900002222 3000元");
        let screen = render(&app, 120, 40);
        assert!(screen.contains("刘小洋"), "{screen}");
        assert!(
            screen.contains("欧阳测乙"),
            "the phone's other holder: {screen}"
        );
        snap(&format!("typing_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        snap(&format!("three_{lang:?}"), &app);
        let id = save(&mut app);
        let case = app.store.case(id).unwrap().unwrap();
        assert_eq!(case.claimed, Fen(1_750_000), "the sum of the three");
        let mut got = owed(&app, id);
        got.sort();
        let mut want = vec![
            ("欧阳测甲".to_owned(), Some(Fen(850_000))),
            ("王小二".to_owned(), Some(Fen(600_000))),
            ("刘小洋".to_owned(), Some(Fen(300_000))),
        ];
        want.sort();
        assert_eq!(got, want);
        // The new ones are people now, with what was typed.
        assert_eq!(holders(&app, "13912340001"), ["王小二"]);
        let mut shared = holders(&app, "13900002222");
        shared.sort();
        assert_eq!(shared, ["刘小洋", "欧阳测乙"], "a family shares the phone");
        assert!(app.store.check().unwrap().is_ok());
    }
}

#[test]
fn a_bad_line_is_refused_beside_the_field_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::ZhCn);
    line(&mut app, "赵六 1391234567 100");
    assert!(
        shows(&app, "手机号是10位，应为11位"),
        "{}",
        render(&app, 80, 24)
    );
    assert!(shows(&app, "赵六 1391234567 100"), "the line is kept");
    assert!(app.cases.form_open());
    snap("refused_ZhCn", &app);
    // Corrected in place, it is added.
    press(&mut app, KeyCode::End);
    for _ in 0..4 {
        press(&mut app, KeyCode::Left);
    }
    type_text(&mut app, "8");
    press(&mut app, KeyCode::Enter);
    assert!(shows(&app, "已加入 1 人"), "{}", render(&app, 80, 24));
}

#[test]
fn the_same_person_again_takes_the_new_amount_and_ctrl_d_drops_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::ZhCn);
    line(&mut app, "王小二 13912340001 6000");
    line(&mut app, "李大 13912340002 4000");
    line(&mut app, "王小二 13912340001 6500");
    assert!(
        shows(&app, "王小二 的主张金额改为 ¥6,500.00"),
        "{}",
        render(&app, 120, 40)
    );
    assert!(
        shows(&app, "已加入 2 人，主张合计 ¥10,500.00"),
        "{}",
        render(&app, 120, 40)
    );
    send(&mut app, ctrl('d'));
    assert!(
        shows(&app, "主张合计 ¥6,500.00"),
        "{}",
        render(&app, 120, 40)
    );
    let id = save(&mut app);
    assert_eq!(app.store.case(id).unwrap().unwrap().claimed, Fen(650_000));
    // 李大 was never saved: nobody registered him.
    assert!(holders(&app, "13912340002").is_empty());
}

#[test]
fn a_list_pasted_from_a_spreadsheet_adds_a_claimant_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::ZhCn);
    // Cells copied without their header: the columns are told by what
    // they hold.
    let pasted = "张一\t13912340011\t快递\t5000\n\
                  张二\t13912340012\t快递\t5,500\n\
                  张三\t1391234001\t快递\t6000\n\
                  张四\t13912340014\t快递\t6500\n";
    send(&mut app, Event::Paste(pasted.into()));
    // Three added; the third line waits in the field with its reason.
    assert!(shows(&app, "已加入 3 人"), "{}", render(&app, 120, 40));
    assert!(shows(&app, "名单第 3 行"), "{}", render(&app, 120, 40));
    assert!(
        shows(&app, "张三 1391234001"),
        "its values as written: {}",
        render(&app, 120, 40)
    );
    snap("pasted_ZhCn", &app);
    send(&mut app, ctrl('s'));
    assert!(app.cases.form_open(), "nothing is saved while a line waits");
    // Corrected (one digit), it is added.
    press(&mut app, KeyCode::Home);
    for _ in 0.."张三 1391234001".chars().count() {
        press(&mut app, KeyCode::Right);
    }
    type_text(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    assert!(
        shows(&app, "已加入 4 人，主张合计 ¥23,000.00"),
        "{}",
        render(&app, 120, 40)
    );
    let id = save(&mut app);
    assert_eq!(app.store.case(id).unwrap().unwrap().claimed, Fen(2_300_000));
    assert_eq!(owed(&app, id).len(), 4);
    assert_eq!(holders(&app, "13912340013"), ["张三"]);
}

#[test]
fn each_claimants_amounts_are_kept_and_the_case_resolved_with_their_sum() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = form(&dir, lang);
        line(&mut app, "欧阳测甲 13900001111 8500");
        line(&mut app, "王小二 13912340001 6000");
        line(&mut app, "李大 13912340002 3000");
        let id = save(&mut app);
        // The detail lists what each claims.
        assert!(shows(&app, "8,500.00"), "{}", render(&app, 120, 40));
        // What each got back: 8,000 for the first, then the second left as
        // it is, then all paid in full but the first.
        type_text(&mut app, "o");
        snap(&format!("owed_{lang:?}"), &app);
        press(&mut app, KeyCode::Tab); // → recovered
        type_text(&mut app, "8000");
        press(&mut app, KeyCode::Enter);
        let owed = app.store.claimants_owed(id).unwrap();
        assert_eq!(owed[0].recovered, Some(Fen(800_000)), "{owed:?}");
        assert!(
            shows(&app, "▶ 王小二"),
            "the next one: {}",
            render(&app, 120, 40)
        );
        press(&mut app, KeyCode::Enter); // unchanged: on to 李大
        assert!(shows(&app, "▶ 李大"), "{}", render(&app, 120, 40));
        type_text(&mut app, "2500");
        press(&mut app, KeyCode::Enter);
        let case = app.store.case(id).unwrap().unwrap();
        assert_eq!(case.recovered, Fen(1_050_000), "8,000 + 2,500");
        assert!(!shows(&app, "Ctrl-A"), "the last one's Enter closes");
        // Resolved: the amount offered is their sum, and taken.
        type_text(&mut app, "s");
        for _ in 0..6 {
            if render(&app, 120, 40).contains(&format!(
                "‹ {} ›",
                waystation::domain::case::CaseStatus::Resolved.label(lang)
            )) {
                break;
            }
            press(&mut app, KeyCode::Right);
        }
        assert!(shows(&app, "10500.00"), "{}", render(&app, 120, 40));
        send(&mut app, ctrl('s'));
        let case = app.store.case(id).unwrap().unwrap();
        assert_eq!(case.status, waystation::domain::case::CaseStatus::Resolved);
        assert_eq!(case.recovered, Fen(1_050_000));
        // A lump sum that is not theirs is refused beside the field.
        type_text(&mut app, "s");
        press(&mut app, KeyCode::Enter); // reopen
        type_text(&mut app, "s");
        for _ in 0..6 {
            if render(&app, 120, 40).contains(&format!(
                "‹ {} ›",
                waystation::domain::case::CaseStatus::Resolved.label(lang)
            )) {
                break;
            }
            press(&mut app, KeyCode::Right);
        }
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        for _ in 0..10 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "20000");
        send(&mut app, ctrl('s'));
        assert_eq!(
            app.store.case(id).unwrap().unwrap().recovered,
            Fen(1_050_000)
        );
        assert!(
            shows(&app, "10,500.00"),
            "the sum is named: {}",
            render(&app, 120, 40)
        );
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        // Ctrl-A: everyone paid in full.
        type_text(&mut app, "o");
        send(&mut app, ctrl('a'));
        assert_eq!(
            app.store.case(id).unwrap().unwrap().recovered,
            Fen(1_750_000)
        );
        assert!(app.store.check().unwrap().is_ok());
    }
}

#[test]
fn a_roster_file_read_with_ctrl_o_adds_its_good_rows_and_holds_the_bad() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::ZhCn);
    // The spreadsheet a team leader brings: a title, a header, a phone
    // stored as a number, one known worker, one bad phone.
    let path = dir.path().join("名单.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.write(0, 0, "拖欠工资人员名单").unwrap();
    for (c, h) in ["序号", "姓名", "手机号", "工种", "欠薪金额（元）"]
        .iter()
        .enumerate()
    {
        s.write(1, c as u16, *h).unwrap();
    }
    let rows: [(&str, f64, &str, f64); 4] = [
        ("欧阳测甲", 13_900_001_111.0, "外卖", 8500.0),
        ("周一", 13_912_340_021.0, "外卖", 6000.0),
        ("周二", 1_391_234_002.0, "外卖", 5000.0),
        ("周三", 13_912_340_023.0, "外卖", 4500.5),
    ];
    for (i, (name, phone, trade, owed)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        s.write(r, 0, i as f64 + 1.0).unwrap();
        s.write(r, 1, *name).unwrap();
        s.write(r, 2, *phone).unwrap();
        s.write(r, 3, *trade).unwrap();
        s.write(r, 4, *owed).unwrap();
    }
    book.save(&path).unwrap();

    type_text(&mut app, path.to_str().unwrap());
    send(&mut app, ctrl('o'));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("加入 3 人，1 行待改正"), "{screen}");
    assert!(
        screen.contains("名单第 5 行"),
        "the bad row by its row number: {screen}"
    );
    assert!(screen.contains("主张合计 ¥19,000.50"), "{screen}");
    // The bad row waits in the field: corrected, it is added.
    for _ in 0..40 {
        press(&mut app, KeyCode::Backspace);
    }
    line(&mut app, "周二 13912340022 外卖 5000");
    assert!(
        shows(&app, "已加入 4 人，主张合计 ¥24,000.50"),
        "{}",
        render(&app, 120, 40)
    );
    let id = save(&mut app);
    let mut got = owed(&app, id);
    got.sort();
    assert_eq!(got.len(), 4);
    assert_eq!(app.store.case(id).unwrap().unwrap().claimed, Fen(2_400_050));
    // The known worker was not registered again.
    assert_eq!(holders(&app, "13900001111"), ["欧阳测甲"]);
}

/// A roster's path typed in the claimant field is no person to look up:
/// the field says Ctrl-O reads it, whole at 80×24, and Enter says the same.
#[test]
fn a_path_typed_in_the_claimant_field_points_to_ctrl_o() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::ZhCn);
    type_text(&mut app, "~/名单.csv");
    assert_whole(&app, "按 Ctrl-O 读入名单文件“~/名单.csv”");
    assert!(
        !render(&app, 80, 24).contains('…'),
        "{}",
        render(&app, 80, 24)
    );
    press(&mut app, KeyCode::Enter);
    assert_whole(&app, "按 Ctrl-O 读入名单文件“~/名单.csv”");
    // A name nobody has still says how to add someone new, wrapped.
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "欧阳无此人");
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, w, h);
        assert!(!screen.contains('…'), "cut at {w}×{h}:\n{screen}");
        for part in ["没有找到“欧阳无此人”。新来的人：", "13912345678 8500）"] {
            assert!(screen.contains(part), "{part} at {w}×{h}:\n{screen}");
        }
    }
}

#[test]
fn cells_pasted_from_a_spreadsheet_with_their_header_are_a_roster() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::En);
    let pasted = "姓名\t手机\t金额\n吴一\t13912340031\t3000\n吴二\t13912340032\t3500\n";
    send(&mut app, Event::Paste(pasted.into()));
    assert!(
        shows(&app, "2 added, 0 lines to correct"),
        "{}",
        render(&app, 120, 40)
    );
    let id = save(&mut app);
    assert_eq!(app.store.case(id).unwrap().unwrap().claimed, Fen(650_000));
}

#[test]
fn the_timeline_names_a_claimant_once_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::ZhCn);
    line(&mut app, "欧阳测甲 13900001111 8500");
    line(&mut app, "王小二 13912340001 6000");
    save(&mut app);
    // The first claimant got 8,000 back; then everyone is paid in full
    // (his amount changes again, a moment later).
    type_text(&mut app, "o");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "8000");
    press(&mut app, KeyCode::Enter);
    send(&mut app, ctrl('a'));
    press(&mut app, KeyCode::Esc);
    // Wide enough that no timeline entry wraps.
    let screen = render(&app, 400, 40);
    let lines: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("申请人金额"))
        .collect();
    assert_eq!(lines.len(), 2, "{screen}");
    for l in lines {
        assert_eq!(l.matches("欧阳测甲").count(), 1, "{screen}");
    }
}

/// A claimant typed with a homophone of a registered worker's name and his
/// trade: said beside the line, Ctrl-P adds him with the amount typed; a
/// second Enter on another line adds a new person anyway.
#[test]
fn a_claimant_who_may_be_registered_is_said_and_taken_in_one_key() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = form(&dir, lang);
        // 欧阳测甲 is a food-delivery rider; "欧阳策甲" reads the same.
        line(&mut app, "欧阳策甲 外卖 8500");
        let error = app.cases.new_form_error().unwrap_or_default();
        assert!(error.contains("欧阳测甲"), "{error}");
        assert!(error.contains("139****1111"), "{error}");
        assert!(error.contains("Ctrl-P"), "{error}");
        assert_whole(&app, &error);
        insta::assert_snapshot!(
            format!("intake_likely_{lang:?}_80x24"),
            render(&app, 80, 24)
        );
        send(&mut app, ctrl('p'));
        // Another reads the same too; this time Enter again: someone new.
        line(&mut app, "欧阳测乙 外卖 100");
        line(&mut app, "欧阳策乙 13700000009 外卖 200");
        assert!(app.cases.new_form_error().is_some());
        press(&mut app, KeyCode::Enter);
        let id = save(&mut app);
        assert_eq!(
            owed(&app, id),
            [
                ("欧阳测甲".to_owned(), Some(Fen(850_000))),
                ("欧阳测乙".to_owned(), Some(Fen(10_000))),
                ("欧阳策乙".to_owned(), Some(Fen(20_000))),
            ]
        );
        assert_eq!(holders(&app, "13700000009"), ["欧阳策乙"]);
    }
}

/// Adding a claimant to a case already open asks the same: a homophone of
/// a registered worker with his trade is said beside the line, and Ctrl-P
/// adds that worker.
#[test]
fn a_claimant_added_to_an_open_case_who_may_be_registered_is_said_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = form(&dir, Lang::ZhCn);
    line(&mut app, "欧阳测甲 13900001111 8500");
    let id = save(&mut app);
    type_text(&mut app, "c");
    assert!(app.cases.dialog_open());
    type_text(&mut app, "欧阳策乙 外卖 100");
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("可能已登记：欧阳测乙"), "{screen}");
    assert_eq!(owed(&app, id).len(), 1, "nobody added yet");
    send(&mut app, ctrl('p'));
    assert_eq!(
        owed(&app, id),
        [
            ("欧阳测甲".to_owned(), Some(Fen(850_000))),
            ("欧阳测乙".to_owned(), Some(Fen(10_000))),
        ]
    );
    assert_eq!(app.store.people_named("欧阳策乙", 1).unwrap().count, 0);
}
