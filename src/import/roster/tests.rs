use std::path::Path;

use rust_xlsxwriter::Workbook;

use super::*;
use crate::domain::person::{PersonDetails, Trade};
use crate::store::Store;

const ID: &str = "11010519491231002X";

fn text(s: &str) -> Roster {
    parse_text(s).unwrap()
}

fn bytes(b: &[u8]) -> Roster {
    parse_bytes(Path::new("r.csv"), b).unwrap()
}

fn names(r: &Roster) -> Vec<&str> {
    r.rows.iter().map(|r| r.name.as_str()).collect()
}

fn mobile(s: &str) -> Option<Mobile> {
    Some(Mobile::parse(s).unwrap())
}

#[test]
fn headers_are_found_in_chinese_and_english_whatever_their_form() {
    for header in [
        "姓名,手机号,身份证号码,工种,欠薪金额",
        "名字,联系电话,身份证,岗位,应发工资",
        "Name,Phone,ID,Trade,Amount",
        " NAME ,MOBILE,id number,Job,Amount owed",
        // Full-width letters and brackets, a unit, a colon.
        "ｎａｍｅ,电话：,证件号,职业,欠薪金额（元）",
        "姓名,联系方式,身份证号,工种,未付工资(元)",
    ] {
        let r = text(&format!("{header}\n张三,13800138000,{ID},外卖骑手,8500\n"));
        assert_eq!(r.header_line, Some(1), "{header}");
        let row = &r.rows[0];
        assert_eq!(row.line, 2);
        assert_eq!(row.name, "张三", "{header}");
        assert_eq!(row.mobile, mobile("13800138000"), "{header}");
        assert_eq!(row.resident_id.as_ref().unwrap().as_str(), ID, "{header}");
        assert_eq!(row.trade, Some(Trade::FoodDelivery), "{header}");
        assert_eq!(row.claimed, Some(Fen(850_000)), "{header}");
        assert!(row.problems.is_empty(), "{header}: {:?}", row.problems);
        assert!(r.ignored.is_empty(), "{header}: {:?}", r.ignored);
    }
}

#[test]
fn columns_in_any_order_and_others_ignored_once() {
    let r = text(
        "序号,欠款,备注,姓名,备注,电话\n1,三千五,组长,李四,,13900139000\n2,壹万贰仟元整,,王五,,\n",
    );
    assert_eq!(r.ignored, ["序号", "备注"]);
    assert_eq!(names(&r), ["李四", "王五"]);
    assert_eq!(r.rows[0].claimed, Some(Fen(350_000)));
    assert_eq!(r.rows[1].claimed, Some(Fen(1_200_000)));
    assert_eq!(r.rows[1].mobile, None);
    assert!(r.rows.iter().all(RosterRow::is_good));
}

#[test]
fn a_title_above_the_header_and_a_totals_row_are_not_workers() {
    let r = text("某公司欠薪人员名单\n\n姓名,手机,金额\n张三,13800138000,100\n合计,,100\n");
    assert_eq!(r.header_line, Some(3));
    assert_eq!(
        r.skipped,
        [
            (1, Skipped::Title("某公司欠薪人员名单".into())),
            (5, Skipped::Totals)
        ]
    );
    assert_eq!(names(&r), ["张三"]);
}

#[test]
fn without_a_header_columns_are_told_by_their_content() {
    let r = text(&format!(
        "1\t张三\t13800138000\t{ID}\t快递\t8500\n\
         2\t李四\t139 0013 9000\t\t骑手\t3,500.00\n\
         3\t王小明\t13700137000\t\t保安\t1.2万\n"
    ));
    assert_eq!(r.header_line, None);
    let kept: Vec<Column> = r.columns.iter().map(|(c, _)| *c).collect();
    assert_eq!(kept, Column::ALL);
    assert!(r.columns.iter().all(|(_, h)| h.is_none()));
    assert_eq!(names(&r), ["张三", "李四", "王小明"]);
    assert_eq!(r.rows[0].line, 1);
    assert_eq!(r.rows[1].mobile, mobile("13900139000"));
    assert_eq!(r.rows[1].trade, Some(Trade::FoodDelivery));
    // The serial numbers are not taken for amounts.
    assert_eq!(
        r.rows.iter().map(|r| r.claimed).collect::<Vec<_>>(),
        [Some(Fen(850_000)), Some(Fen(350_000)), Some(Fen(1_200_000))]
    );
}

#[test]
fn a_roster_with_no_names_is_refused() {
    let e = parse_text("13800138000,8500\n13900139000,100\n").unwrap_err();
    assert!(matches!(e, ImportError::NoNames { .. }), "{e:?}");
    assert!(matches!(
        parse_text("\n , \n").unwrap_err(),
        ImportError::Empty { .. }
    ));
}

#[test]
fn csv_in_utf8_with_a_bom_in_gbk_and_with_semicolons() {
    let csv = "姓名,手机号,欠薪金额\n张三,13800138000,\"8,500.00\"\n";
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), csv.as_bytes()].concat();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(csv);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err());
    for b in [csv.as_bytes(), &with_bom, &gbk] {
        let r = bytes(b);
        assert_eq!(r.header_line, Some(1));
        assert_eq!(names(&r), ["张三"]);
        assert_eq!(r.rows[0].claimed, Some(Fen(850_000)));
    }
    let r = bytes("姓名;手机号;欠薪金额\n张三;13800138000;8,500.00\n".as_bytes());
    assert_eq!(r.rows[0].claimed, Some(Fen(850_000)));
    let e = parse_bytes(Path::new("x.csv"), b"\xFF\xFE\xFF\x00\x81").unwrap_err();
    assert!(matches!(e, ImportError::Encoding { .. }), "{e:?}");
}

#[test]
fn lines_are_counted_as_the_file_has_them() {
    // A quoted value over two lines, and blank lines.
    let r = text("姓名,备注\n\n张三,\"一\n二\"\n\n李四,\n");
    assert_eq!(
        r.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [3, 6],
        "{:?}",
        r.rows
    );
}

fn xlsx(write: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    // An empty first sheet: the first sheet with data is read.
    book.add_worksheet();
    write(book.add_worksheet());
    book.save_to_buffer().unwrap()
}

#[test]
fn spreadsheet_numbers_read_as_what_they_show() {
    let b = xlsx(|s| {
        s.write(0, 1, "名单").unwrap();
        for (c, h) in ["姓名", "手机", "身份证号", "金额", "备注"]
            .iter()
            .enumerate()
        {
            s.write(2, c as u16 + 1, *h).unwrap();
        }
        s.write(3, 1, "张三").unwrap();
        s.write(3, 2, 13_800_138_000.0).unwrap();
        s.write(3, 3, ID).unwrap();
        s.write(3, 4, 8500.5).unwrap();
        s.write(4, 1, "李四").unwrap();
        s.write(4, 2, "13900139000").unwrap();
        s.write(4, 3, 110_105_194_912_310_020.0).unwrap();
        // A formula's float noise is read to the fen.
        s.write(4, 4, 0.1 + 0.2 + 8500.0).unwrap();
        s.write(5, 1, "王五").unwrap();
        s.write(5, 4, 12.345).unwrap();
    });
    let r = parse_bytes(Path::new("名单.xlsx"), &b).unwrap();
    assert_eq!(r.header_line, Some(3));
    assert_eq!(r.skipped, [(1, Skipped::Title("名单".into()))]);
    assert_eq!(r.ignored, ["备注"]);
    let [a, b, c] = r.rows.as_slice() else {
        panic!("{:?}", r.rows)
    };
    assert_eq!((a.line, b.line, c.line), (4, 5, 6));
    assert_eq!(a.mobile, mobile("13800138000"));
    assert_eq!(a.resident_id.as_ref().unwrap().as_str(), ID);
    assert_eq!(a.claimed, Some(Fen(850_050)));
    assert!(a.is_good());
    assert_eq!(b.claimed, Some(Fen(850_030)));
    // The ID stored as a number lost its end: refused, never guessed.
    assert!(
        matches!(b.problems.as_slice(), [RowProblem::IdAsNumber { .. }]),
        "{:?}",
        b.problems
    );
    assert_eq!(b.resident_id, None);
    assert!(matches!(
        &c.problems[..],
        [RowProblem::Invalid {
            column: Column::Amount,
            error: ValidationError::MoneyTooPrecise,
            ..
        }]
    ));
}

#[test]
fn each_problem_names_its_column_and_value_in_both_languages() {
    let r = text(&format!(
        "姓名,手机,身份证,工种,金额\n\
         王五8,1380013800,,快递,100\n\
         ,13800138000,,,50\n\
         赵六,,11010519491231002Y,飞行员,-5\n\
         钱七,,{ID},,\n\
         钱七,,{ID},,\n"
    ));
    let problems: Vec<&[RowProblem]> = r.rows.iter().map(|r| r.problems.as_slice()).collect();
    assert!(matches!(
        problems[0],
        [
            RowProblem::Invalid {
                column: Column::Name,
                error: ValidationError::NameDigit { ch: '8' },
                ..
            },
            RowProblem::Invalid {
                column: Column::Mobile,
                error: ValidationError::MobileLength { digits: 10 },
                ..
            },
        ]
    ));
    // A row keeps what it could read.
    assert_eq!(r.rows[0].trade, Some(Trade::Courier));
    assert_eq!(r.rows[0].claimed, Some(Fen(10_000)));
    assert_eq!(r.rows[0].name, "王五8");
    assert_eq!(problems[1], [RowProblem::NoName]);
    assert!(matches!(
        problems[2],
        [
            RowProblem::Invalid {
                column: Column::ResidentId,
                ..
            },
            RowProblem::Invalid {
                column: Column::Amount,
                error: ValidationError::MoneyNegative,
                ..
            },
            RowProblem::UnknownTrade { .. },
        ]
    ));
    assert_eq!(problems[3], []);
    assert_eq!(problems[4], [RowProblem::Repeat { first: 5 }]);

    let said = |p: &RowProblem| (p.localized(Lang::ZhCn), p.localized(Lang::En));
    let (zh, en) = said(&problems[0][1]);
    assert!(zh.contains("手机") && zh.contains("1380013800"), "{zh}");
    assert!(en.contains("Mobile") && en.contains("1380013800") && en.contains("11"));
    let (zh, en) = said(&problems[2][2]);
    assert!(zh.contains("飞行员") && zh.contains("外卖骑手"), "{zh}");
    assert!(en.contains("飞行员") && en.contains("Courier"), "{en}");
    let (zh, en) = said(&problems[4][0]);
    assert!(zh.contains('5') && en == "repeats line 5", "{zh} {en}");
    let (zh, en) = said(&RowProblem::IdAsNumber {
        value: "1.1e17".into(),
    });
    assert!(zh.contains("文本") && en.contains("as text"), "{zh} {en}");
    assert_eq!(RowProblem::NoName.to_string(), "no name");
}

#[test]
fn repeats_are_the_same_id_or_the_same_mobile_and_name() {
    let r = text(
        "姓名,手机\n张三,13800138000\n李四,13800138000\n张三,138-0013-8000\n张三,13900139000\n",
    );
    let repeats: Vec<_> = r.rows.iter().map(|r| r.problems.clone()).collect();
    assert_eq!(
        repeats,
        [
            vec![],
            vec![],
            vec![RowProblem::Repeat { first: 2 }],
            vec![]
        ]
    );
}

#[test]
fn trades_are_read_by_the_domain_words() {
    use super::cells::trade_of;
    for (w, t) in [
        ("外卖骑手", Trade::FoodDelivery),
        ("Food-delivery rider", Trade::FoodDelivery),
        ("外卖", Trade::FoodDelivery),
        ("骑手", Trade::FoodDelivery),
        ("快递", Trade::Courier),
        ("courier", Trade::Courier),
        ("网约车", Trade::RideHail),
        ("保安", Trade::Security),
        ("其他", Trade::Other),
        (" ＯＴＨＥＲ ", Trade::Other),
    ] {
        assert_eq!(trade_of(w), Some(t), "{w}");
        assert_eq!(trade_of(w), Trade::from_word(w), "one reading: {w}");
    }
    // Nothing is guessed.
    for w in ["飞行员", "司机", ""] {
        assert_eq!(trade_of(w), None, "{w}");
    }
}

#[test]
fn headers_that_are_not_kept_or_say_paid() {
    use super::columns::column_of;
    assert_eq!(column_of("工资卡号"), None);
    assert_eq!(column_of("已发工资"), None);
    assert_eq!(column_of("本人手机号"), Some(Column::Mobile));
    assert_eq!(column_of("拖欠工资金额合计"), Some(Column::Amount));
    assert_eq!(column_of("备注"), None);
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
    s
}

fn person(name: &str, mobile: Option<&str>, id: Option<&str>) -> PersonDetails {
    PersonDetails {
        name: name.into(),
        mobile: mobile.map(|m| Mobile::parse(m).unwrap()),
        resident_id: id.map(|r| ResidentId::parse(r).unwrap()),
        trade: Trade::Courier,
        employer: None,
        union_member: false,
        union_joined: None,
    }
}

#[test]
fn rows_are_matched_with_the_people_known() {
    let mut s = store();
    let (zhang, li) = s
        .write(|w| {
            Ok((
                w.add_person(&person("张三", Some("13800138000"), None))?,
                w.add_person(&person("李四", None, Some(ID)))?,
            ))
        })
        .unwrap();
    let mut r = text(&format!(
        "姓名,手机,身份证\n\
         张三,13800138000,\n\
         李思,,{ID}\n\
         张小三,13800138000,\n\
         王五,13700137000,\n\
         王六,13700137000,\n\
         张叁,13800138000,\n"
    ));
    match_known(&s, &mut r).unwrap();
    let matched: Vec<Matched> = r.rows.iter().map(|r| r.matched.clone().unwrap()).collect();
    assert_eq!(
        matched,
        [
            Matched::Known(zhang, "张三".into()),
            // The ID number says who it is, whatever the name written.
            Matched::Known(li, "李四".into()),
            Matched::SharesPhoneWith(vec!["张三".into()]),
            Matched::New,
            // A family in the roster itself.
            Matched::SharesPhoneWith(vec!["王五".into()]),
            // His phone, his name written with a homophone: maybe him.
            Matched::Likely(zhang, "张三".into()),
        ]
    );
}

#[test]
fn every_header_docs_import_md_lists_is_read_as_its_column() {
    use super::columns::column_of;
    let doc = include_str!("../../../docs/import.md");
    let mut seen = 0;
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let column = match cells.get(1).copied() {
            Some("name") => Column::Name,
            Some("mobile") => Column::Mobile,
            Some("ID number") => Column::ResidentId,
            Some("trade") => Column::Trade,
            Some("amount owed") => Column::Amount,
            _ => continue,
        };
        for header in cells[2].split(", ") {
            assert_eq!(column_of(header), Some(column), "{header}");
            seen += 1;
        }
    }
    assert!(seen > 30, "{seen}");
}
