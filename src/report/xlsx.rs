//! A report as an XLSX workbook: one sheet per section, named after it.
//!
//! Each sheet: the section's title (and its note), its single figures
//! under a header (figure, value), then each breakdown under its title and
//! a header of its columns. Numbers are number cells: counts, money in
//! yuan shown as `¥#,##0.00`, a rate as a percentage with one decimal,
//! median days; the period's dates are written as text
//! (`2026-11-01`), as are a rate or median that does not exist (`—`).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::i18n::Lang;
use crate::report::sheet::{Section, Value, width};
use crate::t;

/// The number format of money (a cell holds yuan).
pub const MONEY_FORMAT: &str = "\"¥\"#,##0.00";
/// The number format of a rate (a cell holds a fraction: 0.834).
pub const RATE_FORMAT: &str = "0.0%";
/// The number format of a count.
pub const COUNT_FORMAT: &str = "#,##0";

/// The longest name a sheet may have.
const SHEET_NAME_MAX: usize = 31;
/// The widest a label column is made (in characters, a Chinese one two).
const LABEL_WIDTH_MAX: usize = 40;
/// The narrowest a value column is made.
const VALUE_WIDTH_MIN: usize = 12;

struct Formats {
    title: Format,
    bold: Format,
    note: Format,
    count: Format,
    money: Format,
    rate: Format,
    right: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            note: Format::new().set_italic(),
            count: Format::new().set_num_format(COUNT_FORMAT),
            money: Format::new().set_num_format(MONEY_FORMAT),
            rate: Format::new().set_num_format(RATE_FORMAT),
            right: Format::new().set_align(rust_xlsxwriter::FormatAlign::Right),
        }
    }
}

/// The report as the bytes of an XLSX file.
pub fn render(sections: &[Section], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    for s in sections {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&s.title))?;
        write_section(sheet, s, lang, &formats)?;
    }
    book.save_to_buffer()
}

/// A title as a sheet name: without the characters Excel refuses, at most
/// 31 characters.
fn sheet_name(title: &str) -> String {
    let name: String = title
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => ' ',
            _ => c,
        })
        .take(SHEET_NAME_MAX)
        .collect();
    let name = name.trim().trim_matches('\'').to_owned();
    if name.is_empty() { "-".into() } else { name }
}

fn write_section(
    sheet: &mut Worksheet,
    s: &Section,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, &s.title, &f.title)?;
    let mut row = 1;
    if let Some(note) = &s.note {
        sheet.write_string_with_format(row, 0, note, &f.note)?;
        row += 1;
    }
    // Column widths: the labels, and each value column's header.
    let mut widths = vec![width(t!(lang, "report.col_figure"))];
    let mut grow = |col: usize, w: usize| {
        if widths.len() <= col {
            widths.resize(col + 1, VALUE_WIDTH_MIN);
        }
        widths[col] = widths[col].max(w);
    };
    if !s.rows.is_empty() {
        row += 1;
        sheet.write_string_with_format(row, 0, t!(lang, "report.col_figure"), &f.bold)?;
        sheet.write_string_with_format(row, 1, t!(lang, "report.col_value"), &f.bold)?;
        grow(1, width(t!(lang, "report.col_value")));
        for r in &s.rows {
            row += 1;
            sheet.write_string(row, 0, &r.label)?;
            grow(0, width(&r.label));
            write_value(sheet, row, 1, &r.value, f)?;
            if let Value::Text(t) = &r.value {
                grow(1, width(t));
            }
        }
    }
    for t in &s.tables {
        row += 2;
        sheet.write_string_with_format(row, 0, &t.title, &f.bold)?;
        row += 1;
        sheet.write_string_with_format(row, 0, &t.by, &f.bold)?;
        grow(0, width(&t.by));
        for (c, col) in t.columns.iter().zip(1u16..) {
            sheet.write_string_with_format(row, col, &c.label, &f.bold)?;
            grow(usize::from(col), width(&c.label));
        }
        for i in &t.items {
            row += 1;
            sheet.write_string(row, 0, &i.label)?;
            grow(0, width(&i.label));
            for (v, col) in i.values.iter().zip(1u16..) {
                write_value(sheet, row, col, v, f)?;
            }
        }
    }
    for (col, w) in (0u16..).zip(&widths) {
        let w = if col == 0 {
            (*w).min(LABEL_WIDTH_MAX)
        } else {
            *w
        };
        sheet.set_column_width(col, (w + 2) as f64)?;
    }
    Ok(())
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Value,
    f: &Formats,
) -> Result<(), XlsxError> {
    match v {
        Value::Count(n) => sheet.write_number_with_format(row, col, *n as f64, &f.count)?,
        Value::Money(fen) => sheet.write_number_with_format(row, col, yuan(fen.0), &f.money)?,
        Value::Permille(Some(p)) => {
            sheet.write_number_with_format(row, col, *p as f64 / 1000.0, &f.rate)?
        }
        Value::Days(Some(d)) => sheet.write_number(row, col, d.halves as f64 / 2.0)?,
        Value::Permille(None) | Value::Days(None) => {
            sheet.write_string_with_format(row, col, "—", &f.right)?
        }
        Value::Date(d) => sheet.write_string(row, col, d.to_string())?,
        Value::Text(t) => sheet.write_string(row, col, t)?,
    };
    Ok(())
}

/// Fen as a number of yuan: `fen / 100`, the nearest `f64` (exact for
/// every amount a spreadsheet shows to the fen).
pub fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_takes() {
        assert_eq!(sheet_name("来访服务"), "来访服务");
        assert_eq!(sheet_name("a/b: c?"), "a b  c");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name("[]"), "-");
        for lang in [Lang::ZhCn, Lang::En] {
            for key in crate::report::sheet::SectionKey::ALL {
                let title = key.title(lang);
                assert_eq!(sheet_name(&title), title, "titles are names as they are");
            }
        }
    }

    #[test]
    fn a_workbook_is_written() {
        use crate::report::sheet::tests::sample;
        use crate::report::sheet::{Scope, sections};
        let s = sections(&sample(), &Scope::All { stations: 1 }, Lang::ZhCn);
        let bytes = render(&s, Lang::ZhCn).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip file");
        assert_eq!(yuan(169_745_050), 1_697_450.5);
        assert_eq!(yuan(5), 0.05);
    }
}
