//! A file's bytes as lines of cells: text (CSV and what is pasted) or a
//! spreadsheet's first sheet with data.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use crate::import::ImportError;

/// A cell as the file holds it: spreadsheets keep numbers as numbers.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
}

impl Cell {
    fn text(s: &str) -> Cell {
        let s = s.trim();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_owned())
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        *self == Cell::Empty
    }

    /// The value as the user sees it in the file: a whole number without
    /// a decimal point or an exponent (`1.3800138e10` is `13800138000`).
    pub(super) fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e21 => format!("{x:.0}"),
            Cell::Number(x) => x.to_string(),
        }
    }
}

/// One line of the file and its cells.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    /// As the user sees it: the spreadsheet's row number, the text's line.
    pub line: usize,
    pub cells: Vec<Cell>,
}

impl Line {
    pub(super) fn cell(&self, i: usize) -> &Cell {
        self.cells.get(i).unwrap_or(&Cell::Empty)
    }

    pub(super) fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// The lines of a file: a spreadsheet when its bytes say so (a zip, as
/// XLSX and ODS are, or an OLE file, as XLS is), else text.
pub(super) fn lines(path: &Path, bytes: &[u8]) -> Result<Vec<Line>, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return workbook(path, bytes);
    }
    text_lines(path, &decode(path, bytes)?)
}

/// Text from a file's bytes: UTF-8 (its byte-order mark dropped), else
/// GB18030, which reads GBK and GB2312 too (Excel on Chinese Windows saves
/// CSV so). Anything else is refused, never guessed.
pub(super) fn decode(path: &Path, bytes: &[u8]) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| ImportError::Encoding {
            path: path.to_owned(),
        })
}

/// The lines of a text: values separated by tabs, commas or semicolons
/// (whichever the first lines hold most of), quoted as CSV quotes them.
pub(super) fn text_lines(path: &Path, text: &str) -> Result<Vec<Line>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    // The reader skips blank lines without counting them: lines are
    // counted here, from where each record starts.
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Open {
            path: path.to_owned(),
            error: e.to_string(),
        })?;
        let mut start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(counted_to)
            .clamp(counted_to, text.len());
        // The position is where the reader began, before the blank lines.
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = start;
        out.push(Line {
            line,
            cells: record.iter().map(Cell::text).collect(),
        });
    }
    Ok(out)
}

/// The separator of a text's values: of tab, `,` and `;`, the one the
/// first lines hold most of (a comma when none).
fn delimiter(text: &str) -> u8 {
    let head: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .collect();
    let count = |c: char| -> usize { head.iter().map(|l| l.matches(c).count()).sum() };
    let mut best = (b',', count(','));
    for (b, c) in [(b'\t', '\t'), (b';', ';')] {
        let n = count(c);
        if n > best.1 {
            best = (b, n);
        }
    }
    best.0
}

/// The lines of a spreadsheet's first sheet that holds any cell.
fn workbook(path: &Path, bytes: &[u8]) -> Result<Vec<Line>, ImportError> {
    let error = |e: calamine::Error| ImportError::Workbook {
        path: path.to_owned(),
        error: e.to_string(),
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(error)?;
    let sheets = book.sheet_names().len();
    for sheet in 0..sheets {
        let Some(range) = book.worksheet_range_at(sheet) else {
            continue;
        };
        let range = range.map_err(error)?;
        let Some((top, left)) = range.start() else {
            continue;
        };
        let lines: Vec<Line> = range
            .rows()
            .enumerate()
            .map(|(i, row)| Line {
                line: top as usize + i + 1,
                // Columns left of the range are empty; keep their places
                // so that every line counts columns alike.
                cells: std::iter::repeat_n(Cell::Empty, left as usize)
                    .chain(row.iter().map(cell))
                    .collect(),
            })
            .collect();
        if lines.iter().any(|l| !l.is_blank()) {
            return Ok(lines);
        }
    }
    Ok(Vec::new())
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::text(s),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(x) => Cell::Number(*x),
        Data::DateTime(t) => Cell::Number(t.as_f64()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::text(s),
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}
