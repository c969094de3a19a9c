//! The preview of a roster: what was read, a line per row with who the
//! worker is or why the row is refused, and the totals.

use std::io::Write;

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

use crate::domain::Fen;
use crate::i18n::{Lang, Localized};
use crate::import::{Column, Matched, Roster, RosterRow, Skipped};
use crate::t;

/// Prints the preview of `roster`, read from the file shown as `path`.
pub(super) fn print(
    out: &mut impl Write,
    roster: &Roster,
    path: &str,
    likely: Option<super::LikelyRows>,
    lang: Lang,
) -> Result<()> {
    let sep = t!(lang, "import.list_sep");
    let mut head = t!(
        lang,
        "import.cli.read",
        path = path,
        rows = roster.rows.len()
    );
    match roster.header_line {
        Some(line) => {
            head.push_str(t!(lang, "import.clause_sep"));
            head.push_str(&t!(lang, "import.cli.header", line = line));
        }
        None => {
            let columns: Vec<String> = roster
                .columns
                .iter()
                .map(|(c, _)| c.localized(lang))
                .collect();
            head.push_str(t!(lang, "import.clause_sep"));
            head.push_str(&t!(
                lang,
                "import.cli.no_header",
                columns = columns.join(sep)
            ));
        }
    }
    writeln!(out, "{head}")?;
    if !roster.ignored.is_empty() {
        let ignored = t!(
            lang,
            "import.cli.ignored",
            columns = roster.ignored.join(sep)
        );
        writeln!(out, "{ignored}")?;
    }
    for (line, skipped) in &roster.skipped {
        let said = match skipped {
            Skipped::Title(text) => t!(lang, "import.cli.title", line = line, text = text),
            Skipped::Totals => t!(lang, "import.cli.totals", line = line),
        };
        writeln!(out, "{said}")?;
    }

    let mut table = vec![vec![
        t!(lang, "import.cli.line").to_owned(),
        Column::Name.localized(lang),
        Column::Mobile.localized(lang),
        Column::Trade.localized(lang),
        Column::Amount.localized(lang),
        t!(lang, "import.cli.mark").to_owned(),
    ]];
    for row in &roster.rows {
        table.push(cells(row, likely, lang));
    }
    write_table(out, &table)?;

    let count = |f: &dyn Fn(&RosterRow) -> bool| roster.rows.iter().filter(|r| f(r)).count();
    let refused = count(&|r| !r.is_good());
    let known = count(&|r| r.is_good() && !super::is_new(r, likely));
    let new = count(&|r| r.is_good()) - known;
    let sum = Fen::saturating_sum(roster.rows.iter().filter_map(|r| r.claimed));
    let totals = t!(
        lang,
        "import.cli.totals_line",
        rows = roster.rows.len(),
        new = new,
        known = known,
        refused = refused,
        sum = sum
    );
    writeln!(out, "{totals}")?;
    Ok(())
}

/// One row of the table: phones masked as in every list.
fn cells(row: &RosterRow, likely: Option<super::LikelyRows>, lang: Lang) -> Vec<String> {
    let dash = || "-".to_owned();
    let mark = if !row.is_good() {
        let reasons: Vec<String> = row.problems.iter().map(|p| p.localized(lang)).collect();
        t!(
            lang,
            "import.cli.refused",
            reasons = reasons.join(t!(lang, "import.cli.reason_sep"))
        )
    } else {
        match &row.matched {
            Some(Matched::Known(_, name)) => t!(lang, "import.cli.known", name = name),
            Some(Matched::SharesPhoneWith(names)) => t!(
                lang,
                "import.cli.shares",
                names = names.join(t!(lang, "import.list_sep"))
            ),
            Some(Matched::Likely(_, name)) => match likely {
                None => t!(lang, "import.cli.likely", name = name),
                Some(super::LikelyRows::Known) => t!(lang, "import.cli.likely_known", name = name),
                Some(super::LikelyRows::New) => t!(lang, "import.cli.likely_new", name = name),
            },
            Some(Matched::New) | None => t!(lang, "import.cli.new").to_owned(),
        }
    };
    vec![
        row.line.to_string(),
        if row.name.is_empty() {
            dash()
        } else {
            row.name.clone()
        },
        row.mobile.as_ref().map_or_else(dash, |m| m.masked()),
        row.trade.map_or_else(dash, |t| t.label(lang).to_owned()),
        row.claimed.map_or_else(dash, |f| f.yuan_string()),
        mark,
    ]
}

/// Columns padded to their widest cell (Chinese characters are two
/// columns wide); the line number and the amount to the right.
fn write_table(out: &mut impl Write, table: &[Vec<String>]) -> Result<()> {
    let columns = table.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            table
                .iter()
                .map(|r| r.get(i).map_or(0, |c| c.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in table {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            if i > 0 {
                line.push_str("  ");
            }
            if i == 0 || i == 4 {
                line.push_str(&pad);
                line.push_str(cell);
            } else if i + 1 == columns {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
