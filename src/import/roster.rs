//! A group's roster: the list a team leader brings of the workers of one
//! wage case (names, phones, sometimes ID numbers, trades, the amount owed
//! each), as a CSV file, a spreadsheet or text pasted from one.
//!
//! The file becomes a grid of cells (`source`), its columns are found by
//! their headers or, without a header row, by what they hold (`columns`),
//! and each row's cells are read by the domain's own parsers (`cells`):
//! a row with a problem keeps its other values and says each problem.
//! [`match_known`] then says which rows are people already known.

mod cells;
mod columns;
mod known;
mod source;

use std::collections::HashMap;
use std::path::Path;

use crate::domain::error::ValidationError;
use crate::domain::ids::PersonId;
use crate::domain::person::Trade;
use crate::domain::{Fen, Mobile, ResidentId};
use crate::i18n::{Lang, Localized};
use crate::t;

use super::ImportError;
use source::Line;

pub use known::match_known;

/// A column of a roster that waystation keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Name,
    Mobile,
    ResidentId,
    Trade,
    Amount,
}

impl Column {
    /// Every column, in the order a preview shows them.
    pub const ALL: [Column; 5] = [
        Column::Name,
        Column::Mobile,
        Column::ResidentId,
        Column::Trade,
        Column::Amount,
    ];
}

impl Localized for Column {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Column::Name => t!(lang, "import.column.name"),
            Column::Mobile => t!(lang, "import.column.mobile"),
            Column::ResidentId => t!(lang, "import.column.resident_id"),
            Column::Trade => t!(lang, "import.column.trade"),
            Column::Amount => t!(lang, "import.column.amount"),
        }
        .to_owned()
    }
}

/// A line of the file that is not a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// A line above the header row: the list's title.
    Title(String),
    /// A row of totals (合计, 总计, total).
    Totals,
}

/// What a roster holds, read and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    /// The line of the header row, when the file has one (else the columns
    /// were told by what they hold).
    pub header_line: Option<usize>,
    /// Each column kept and where it was found: its header as written, or
    /// `None` when it was told by what it holds.
    pub columns: Vec<(Column, Option<String>)>,
    /// Headers of the columns waystation does not keep (备注, 序号 …), once
    /// each, as written.
    pub ignored: Vec<String>,
    /// Lines that are not workers: titles above the header, totals.
    pub skipped: Vec<(usize, Skipped)>,
    /// One row per worker, in the order of the file; empty rows left out.
    pub rows: Vec<RosterRow>,
}

/// One worker of a roster. Values that could not be read are `None` (the
/// name: the text as written) and say why in `problems`.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterRow {
    /// The line as the user sees it: the spreadsheet's row number, the CSV
    /// file's line.
    pub line: usize,
    pub name: String,
    pub mobile: Option<Mobile>,
    pub resident_id: Option<ResidentId>,
    pub trade: Option<Trade>,
    pub claimed: Option<Fen>,
    pub problems: Vec<RowProblem>,
    /// Who the row is among the people known, once [`match_known`] has
    /// looked.
    pub matched: Option<Matched>,
}

impl RosterRow {
    /// The person the row registers when nobody known is the row's.
    pub fn details(&self) -> crate::domain::person::PersonDetails {
        crate::domain::person::PersonDetails::newcomer(
            &self.name,
            self.mobile.clone(),
            self.resident_id.clone(),
            self.trade,
        )
    }

    /// Whether the row can be added as it is.
    pub fn is_good(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Who a row is among the people already known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// This person: the same ID number, or the same mobile and name.
    Known(PersonId, String),
    /// Nobody known.
    New,
    /// Nobody known by this name, but the phone is also that of these
    /// people (families share phones): a new person who shares it.
    SharesPhoneWith(Vec<String>),
    /// Nobody known exactly, but a registered worker the row may be: a
    /// name read alike or one character apart with the same trade,
    /// employer or phone (`Store::likely_same`). Staff decide: that
    /// worker, or someone new.
    Likely(PersonId, String),
}

/// Why a row cannot be added as it is. Each names the column and the
/// value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The row has values but no name.
    NoName,
    /// A value the domain refuses, with its reason.
    Invalid {
        column: Column,
        value: String,
        error: ValidationError,
    },
    /// A trade that is none of waystation's.
    UnknownTrade { value: String },
    /// An ID number stored as a number, which keeps only 15 digits.
    IdAsNumber { value: String },
    /// The same worker as an earlier line (same ID number, or same mobile
    /// and name).
    Repeat { first: usize },
}

impl Localized for RowProblem {
    fn localized(&self, lang: Lang) -> String {
        match self {
            RowProblem::NoName => t!(lang, "import.problem.no_name").to_owned(),
            RowProblem::Invalid {
                column,
                value,
                error,
            } => t!(
                lang,
                "import.problem.invalid",
                column = column.localized(lang),
                value = value,
                reason = error.localized(lang)
            ),
            RowProblem::UnknownTrade { value } => {
                let known: Vec<&str> = Trade::ALL.iter().map(|t| t.label(lang)).collect();
                t!(
                    lang,
                    "import.problem.unknown_trade",
                    value = value,
                    known = known.join(t!(lang, "import.list_sep"))
                )
            }
            RowProblem::IdAsNumber { value } => {
                t!(lang, "import.problem.id_as_number", value = value)
            }
            RowProblem::Repeat { first } => t!(lang, "import.problem.repeat", line = first),
        }
    }
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

/// Reads the roster in the file at `path`: CSV (UTF-8 with or without a
/// byte-order mark, or GB18030/GBK; `,` `;` or tab between values) or a
/// spreadsheet (XLSX, XLS, ODS: its first sheet with data), told apart by
/// what the file holds, not by its name.
pub fn read(path: &Path) -> Result<Roster, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Open {
        path: path.to_owned(),
        error: e.to_string(),
    })?;
    parse_bytes(path, &bytes)
}

/// Reads a roster from the bytes of a file; `path` only names it in
/// errors.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Roster, ImportError> {
    let lines = source::lines(path, bytes)?;
    roster_of(path, lines)
}

/// Reads a roster pasted as text: lines of values separated by tabs (as
/// copied from a spreadsheet), commas or semicolons.
pub fn parse_text(text: &str) -> Result<Roster, ImportError> {
    let path = Path::new("-");
    roster_of(path, source::text_lines(path, text)?)
}

fn roster_of(path: &Path, lines: Vec<Line>) -> Result<Roster, ImportError> {
    let lines: Vec<Line> = lines.into_iter().filter(|l| !l.is_blank()).collect();
    if lines.is_empty() {
        return Err(ImportError::Empty {
            path: path.to_owned(),
        });
    }
    let layout = columns::layout(&lines);
    let Some(name_at) = layout.at(Column::Name) else {
        return Err(ImportError::NoNames {
            path: path.to_owned(),
        });
    };
    let mut skipped: Vec<(usize, Skipped)> = layout
        .titles
        .iter()
        .map(|(line, text)| (*line, Skipped::Title(text.clone())))
        .collect();
    let mut rows = Vec::new();
    for line in &lines[layout.first_data..] {
        if cells::is_totals(line, &layout, name_at) {
            skipped.push((line.line, Skipped::Totals));
            continue;
        }
        // A row whose kept columns are all empty holds no worker.
        if Column::ALL
            .iter()
            .filter_map(|c| layout.at(*c))
            .all(|i| line.cell(i).is_empty())
        {
            continue;
        }
        rows.push(cells::row(line, &layout));
    }
    mark_repeats(&mut rows);
    Ok(Roster {
        header_line: layout.header_line,
        columns: layout.kept(),
        ignored: layout.ignored,
        skipped,
        rows,
    })
}

/// Marks each row that repeats an earlier one: the same ID number, or the
/// same mobile and the same name.
fn mark_repeats(rows: &mut [RosterRow]) {
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_mobile_name: HashMap<(String, String), usize> = HashMap::new();
    for row in rows.iter_mut() {
        let id_first = row
            .resident_id
            .as_ref()
            .and_then(|r| by_id.get(r.as_str()).copied());
        let pair = row
            .mobile
            .as_ref()
            .map(|m| (m.as_str().to_owned(), row.name.clone()));
        let pair_first = pair.as_ref().and_then(|p| by_mobile_name.get(p).copied());
        if let Some(first) = id_first.or(pair_first) {
            row.problems.push(RowProblem::Repeat { first });
            continue;
        }
        if let Some(r) = &row.resident_id {
            by_id.insert(r.as_str().to_owned(), row.line);
        }
        if let Some(p) = pair {
            by_mobile_name.insert(p, row.line);
        }
    }
}

#[cfg(test)]
mod tests;
