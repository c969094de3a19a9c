//! A roster's cells read by the domain's own parsers: names, mobiles, ID
//! numbers, amounts, trades.

use unicode_normalization::UnicodeNormalization;

use super::columns::Layout;
use super::source::{Cell, Line};
use super::{Column, RosterRow, RowProblem};
use crate::domain::error::ValidationError;
use crate::domain::person::{Trade, parse_name};
use crate::domain::{Fen, Mobile, ResidentId};

/// The row of one line, each value read, each refusal said.
pub(super) fn row(line: &Line, layout: &Layout) -> RosterRow {
    let cell = |c: Column| layout.at(c).map_or(&Cell::Empty, |i| line.cell(i));
    let mut problems = Vec::new();
    let mut invalid = |column: Column, value: String, error: ValidationError| {
        problems.push(RowProblem::Invalid {
            column,
            value,
            error,
        });
    };

    let written = cell(Column::Name).shown();
    let name = if written.is_empty() {
        None
    } else {
        match parse_name(&written) {
            Ok(n) => Some(n),
            Err(e) => {
                invalid(Column::Name, written.clone(), e);
                None
            }
        }
    };

    let mobile = match cell(Column::Mobile) {
        Cell::Empty => None,
        c => Mobile::parse(&c.shown())
            .map_err(|e| invalid(Column::Mobile, c.shown(), e))
            .ok(),
    };

    let mut id_as_number = None;
    let resident_id = match cell(Column::ResidentId) {
        Cell::Empty => None,
        // A float holds 15 to 17 digits: the end of an 18-digit number
        // stored as a number is lost, whatever the cell shows.
        c @ Cell::Number(x) if x.abs() >= 1e15 => {
            id_as_number = Some(c.shown());
            None
        }
        c => ResidentId::parse(&c.shown())
            .map_err(|e| invalid(Column::ResidentId, c.shown(), e))
            .ok(),
    };

    let claimed = match cell(Column::Amount) {
        Cell::Empty => None,
        c => Fen::parse(&amount_text(c))
            .map_err(|e| invalid(Column::Amount, c.shown(), e))
            .ok(),
    };

    let mut unknown_trade = None;
    let trade = match cell(Column::Trade) {
        Cell::Empty => None,
        c => {
            let t = trade_of(&c.shown());
            if t.is_none() {
                unknown_trade = Some(c.shown());
            }
            t
        }
    };

    if written.is_empty() {
        problems.insert(0, RowProblem::NoName);
    }
    if let Some(value) = id_as_number {
        problems.push(RowProblem::IdAsNumber { value });
    }
    if let Some(value) = unknown_trade {
        problems.push(RowProblem::UnknownTrade { value });
    }
    RosterRow {
        line: line.line,
        name: name.unwrap_or(written),
        mobile,
        resident_id,
        trade,
        claimed,
        problems,
        matched: None,
    }
}

/// An amount as text for [`Fen::parse`]: a spreadsheet's number to the
/// fen when it is one (`8500.5` is `8500.50`; a sum's float noise such as
/// `8500.300000000001` is `8500.30`), else as it is, for the parser to
/// refuse (`12.345`).
fn amount_text(c: &Cell) -> String {
    match c {
        Cell::Number(x) => {
            let fen = x * 100.0;
            if (fen - fen.round()).abs() < 1e-6 * fen.abs().max(1.0) {
                format!("{x:.2}")
            } else {
                x.to_string()
            }
        }
        c => c.shown(),
    }
}

/// A row of totals (合计, 总计, 小计, total) under the workers: a name
/// cell that says so and no mobile or ID number.
pub(super) fn is_totals(line: &Line, layout: &Layout, name_at: usize) -> bool {
    let name: String = line
        .cell(name_at)
        .shown()
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let blank = |c: Column| layout.at(c).is_none_or(|i| line.cell(i).is_empty());
    matches!(
        name.trim_end_matches([':', '：']),
        "合计" | "总计" | "小计" | "共计" | "总额" | "total" | "sum" | "subtotal"
    ) && blank(Column::Mobile)
        && blank(Column::ResidentId)
}

/// What a cell of a column of mobiles looks like.
pub(super) fn mobile_like(c: &Cell) -> bool {
    !c.is_empty() && Mobile::parse(&c.shown()).is_ok()
}

/// What a cell of a column of ID numbers looks like: 18 characters, 17
/// digits then a digit or X (a wrong check digit is still an ID number,
/// refused later with its reason), or a number that long.
pub(super) fn id_like(c: &Cell) -> bool {
    match c {
        Cell::Number(x) => x.abs() >= 1e16,
        Cell::Text(s) => {
            let s: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
            let b = s.as_bytes();
            b.len() == 18
                && b[..17].iter().all(u8::is_ascii_digit)
                && (b[17].is_ascii_digit() || b[17] == b'x' || b[17] == b'X')
        }
        _ => false,
    }
}

/// What a cell of a column of amounts looks like.
pub(super) fn amount_like(c: &Cell) -> bool {
    match c {
        Cell::Int(_) | Cell::Number(_) => true,
        Cell::Text(_) => Fen::parse(&c.shown()).is_ok(),
        Cell::Empty => false,
    }
}

/// What a cell of a column of trades looks like.
pub(super) fn trade_like(c: &Cell) -> bool {
    matches!(c, Cell::Text(s) if trade_of(s).is_some())
}

/// What a cell of a column of names looks like: a name the domain
/// accepts, with a letter in it, no longer than names are.
pub(super) fn name_like(c: &Cell) -> bool {
    match c {
        Cell::Text(s) => {
            s.chars().count() <= 20
                && s.chars().any(char::is_alphabetic)
                && parse_name(s).is_ok()
                && trade_of(s).is_none()
        }
        _ => false,
    }
}

/// The trade a cell names, by the domain's one reading of trade words
/// (labels in either language, 外卖, 骑手, 快递 …). `None` for anything
/// else: never guessed as "other".
pub(super) fn trade_of(written: &str) -> Option<Trade> {
    Trade::from_word(written)
}
