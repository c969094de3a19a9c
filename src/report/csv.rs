//! A report as CSV for a spreadsheet: UTF-8 with a byte-order mark (so
//! Excel reads the Chinese right), CRLF line ends, one line per value.
//!
//! Columns: section, figure, breakdown by (`工种`, empty for a single
//! figure), breakdown (`快递员`), value, unit, key. Values are plain
//! numbers a spreadsheet can sum: counts, money in yuan with two decimals
//! (no groups, no 万), a rate in percent with one decimal; an empty value
//! where a rate or median does not exist. The key
//! (`visits.by_trade.courier.headcount`) is the same in both languages,
//! for scripts.

use crate::i18n::Lang;
use crate::report::sheet::Section;
use crate::t;

/// The byte-order mark a CSV file starts with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The report as the bytes of a CSV file.
pub fn render(sections: &[Section], lang: Lang) -> Result<Vec<u8>, ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    w.write_record([
        t!(lang, "report.col_section"),
        t!(lang, "report.col_figure"),
        t!(lang, "report.col_by"),
        t!(lang, "report.col_item"),
        t!(lang, "report.col_value"),
        t!(lang, "report.col_unit"),
        t!(lang, "report.col_key"),
    ])?;
    for s in sections {
        for v in s.values() {
            w.write_record([
                s.title.as_str(),
                v.figure,
                v.by.unwrap_or_default(),
                v.item.unwrap_or_default(),
                &v.value.plain(),
                v.value.unit(lang),
                &v.key,
            ])?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sheet::tests::sample;
    use crate::report::sheet::{Scope, sections};

    fn rows(lang: Lang) -> Vec<Vec<String>> {
        let bytes = render(
            &sections(&sample(), &Scope::All { stations: 2 }, lang),
            lang,
        )
        .unwrap();
        assert!(bytes.starts_with(BOM));
        assert!(String::from_utf8_lossy(&bytes).contains("\r\n"));
        let mut r = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[BOM.len()..]);
        r.records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    fn by_key<'a>(rows: &'a [Vec<String>], key: &str) -> &'a [String] {
        rows.iter()
            .find(|r| r[6] == key)
            .unwrap_or_else(|| panic!("no {key}"))
    }

    #[test]
    fn one_line_per_value_with_plain_numbers() {
        let rows = rows(Lang::ZhCn);
        assert_eq!(
            rows[0],
            ["部分", "指标", "分类", "分项", "数值", "单位", "代码"]
        );
        assert!(rows.iter().all(|r| r.len() == 7));
        assert_eq!(
            by_key(&rows, "visits.headcount"),
            ["来访服务", "服务人次", "", "", "12", "", "visits.headcount"]
        );
        assert_eq!(
            by_key(&rows, "visits.by_trade.courier.headcount")[1..6],
            ["服务人次", "工种", "快递员", "12", ""]
        );
        assert_eq!(by_key(&rows, "cases.claimed")[4..6], ["1697450.50", "元"]);
        assert_eq!(
            by_key(&rows, "cases.by_type.wage_arrears.claimed")[1..6],
            [
                "主张金额（新立案件）",
                "案件类型",
                "欠薪",
                "1697400.00",
                "元"
            ]
        );
        assert_eq!(by_key(&rows, "cases.mediation_rate")[4..6], ["83.3", "%"]);
        assert_eq!(by_key(&rows, "cases.median_days")[4..6], ["3.5", "天"]);
        assert_eq!(by_key(&rows, "heading.from")[4], "2026-11-01");
        // The parts of a breakdown sum to its total.
        let sum: u64 = rows
            .iter()
            .filter(|r| r[6].starts_with("visits.by_trade."))
            .map(|r| r[4].parse::<u64>().unwrap())
            .sum();
        assert_eq!(sum, 12);
    }

    #[test]
    fn english_headers_and_the_same_keys() {
        let (en, zh) = (rows(Lang::En), rows(Lang::ZhCn));
        assert_eq!(en[0][0], "Section");
        assert_eq!(by_key(&en, "cases.claimed")[5], "yuan");
        let keys = |r: &[Vec<String>]| r.iter().map(|r| r[6].clone()).collect::<Vec<_>>();
        assert_eq!(keys(&en)[1..], keys(&zh)[1..]);
    }
}
