//! Any roster written as CSV (UTF-8, with a byte-order mark, or GBK) and
//! as XLSX (phones and amounts as numbers or as text) reads back to the
//! same rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::path::Path;

use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use waystation::domain::person::Trade;
use waystation::domain::resident_id::check_char;
use waystation::domain::{Fen, Mobile, ResidentId};
use waystation::i18n::Lang;
use waystation::import::{Roster, parse_bytes};

#[derive(Debug, Clone)]
struct Worker {
    name: String,
    mobile: Option<Mobile>,
    id: Option<ResidentId>,
    trade: Option<Trade>,
    claimed: Option<Fen>,
}

const SURNAMES: &str = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂";

fn name() -> impl Strategy<Value = String> {
    let pick = |s: &'static str| {
        let chars: Vec<char> = s.chars().collect();
        prop::sample::select(chars)
    };
    (pick(SURNAMES), prop::collection::vec(pick(GIVEN), 1..=2))
        .prop_map(|(s, g)| std::iter::once(s).chain(g).collect())
}

fn mobile() -> impl Strategy<Value = Mobile> {
    (3u8..=9, 0u64..1_000_000_000)
        .prop_map(|(second, rest)| Mobile::parse(&format!("1{second}{rest:09}")).unwrap())
}

fn resident_id() -> impl Strategy<Value = ResidentId> {
    let regions = prop::sample::select(vec!["110105", "310101", "440304", "510104", "650102"]);
    (regions, 1950i32..2005, 1u32..=12, 1u32..=28, 0u32..1000).prop_map(|(r, y, m, d, seq)| {
        let first17 = format!("{r}{y:04}{m:02}{d:02}{seq:03}");
        let bytes: [u8; 17] = first17.as_bytes().try_into().unwrap();
        ResidentId::parse(&format!("{first17}{}", check_char(&bytes))).unwrap()
    })
}

fn worker() -> impl Strategy<Value = Worker> {
    (
        name(),
        prop::option::of(mobile()),
        prop::option::of(resident_id()),
        prop::option::of(prop::sample::select(Trade::ALL.to_vec())),
        prop::option::of((0i64..=Fen::MAX.0).prop_map(Fen)),
    )
        .prop_map(|(name, mobile, id, trade, claimed)| Worker {
            name,
            mobile,
            id,
            trade,
            claimed,
        })
}

/// Workers with no two alike (a repeat is a problem of its own).
fn workers() -> impl Strategy<Value = Vec<Worker>> {
    prop::collection::vec(worker(), 1..15).prop_map(|ws| {
        let (mut ids, mut pairs) = (HashSet::new(), HashSet::new());
        ws.into_iter()
            .filter(|w| {
                let id_new = w.id.as_ref().is_none_or(|i| ids.insert(i.clone()));
                let pair_new = w
                    .mobile
                    .as_ref()
                    .is_none_or(|m| pairs.insert((m.clone(), w.name.clone())));
                id_new && pair_new
            })
            .collect()
    })
}

const HEADER: [&str; 5] = ["姓名", "手机号", "身份证号", "工种", "欠薪金额"];

fn csv(ws: &[Worker], lang: Lang, bom: bool, gbk: bool) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for x in ws {
        w.write_record([
            x.name.clone(),
            x.mobile.as_ref().map_or("", |m| m.as_str()).to_owned(),
            x.id.as_ref().map_or("", |i| i.as_str()).to_owned(),
            x.trade.map_or("", |t| t.label(lang)).to_owned(),
            x.claimed.map_or_else(String::new, |f| f.yuan_string()),
        ])
        .unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let mut out = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        vec![]
    };
    if gbk {
        let (b, _, bad) = encoding_rs::GBK.encode(&text);
        assert!(!bad);
        out.extend_from_slice(&b);
    } else {
        out.extend_from_slice(text.as_bytes());
    }
    out
}

fn xlsx(ws: &[Worker], lang: Lang, numbers: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        s.write(0, c as u16, *h).unwrap();
    }
    for (i, x) in ws.iter().enumerate() {
        let r = i as u32 + 1;
        s.write(r, 0, &x.name).unwrap();
        if let Some(m) = &x.mobile {
            if numbers {
                s.write(r, 1, m.as_str().parse::<f64>().unwrap()).unwrap();
            } else {
                s.write(r, 1, m.as_str()).unwrap();
            }
        }
        if let Some(id) = &x.id {
            s.write(r, 2, id.as_str()).unwrap();
        }
        if let Some(t) = x.trade {
            s.write(r, 3, t.label(lang)).unwrap();
        }
        if let Some(f) = x.claimed {
            if numbers {
                s.write(r, 4, f.0 as f64 / 100.0).unwrap();
            } else {
                s.write(r, 4, f.plain()).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn check(ws: &[Worker], r: &Roster) {
    assert_eq!(r.header_line, Some(1));
    assert_eq!(r.rows.len(), ws.len(), "{:?}", r.rows);
    for (i, (x, row)) in ws.iter().zip(&r.rows).enumerate() {
        assert_eq!(row.line, i + 2);
        assert_eq!(row.name, x.name);
        assert_eq!(row.mobile, x.mobile);
        assert_eq!(row.resident_id, x.id);
        assert_eq!(row.trade, x.trade);
        assert_eq!(row.claimed, x.claimed);
        assert!(row.problems.is_empty(), "{:?}", row.problems);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_roster_reads_back_the_same_from_csv_and_xlsx(
        ws in workers(),
        english in any::<bool>(),
        bom in any::<bool>(),
        gbk in any::<bool>(),
        numbers in any::<bool>(),
    ) {
        let lang = if english { Lang::En } else { Lang::ZhCn };
        let from_csv = parse_bytes(Path::new("r.csv"), &csv(&ws, lang, bom, gbk)).unwrap();
        check(&ws, &from_csv);
        let from_xlsx = parse_bytes(Path::new("r.xlsx"), &xlsx(&ws, lang, numbers)).unwrap();
        check(&ws, &from_xlsx);
        prop_assert_eq!(from_csv.rows, from_xlsx.rows);
    }
}
