//! Writing rows to a CSV or XLSX file, one row at a time.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::columns::{Cell, Kind};
use crate::i18n::{Lang, text};

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileFormat {
    /// UTF-8 with a byte-order mark, so that Excel reads Chinese right.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl FileFormat {
    /// The file name extension (and the name in the audit log).
    pub fn ext(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

/// Rows per XLSX sheet, the header row included (Excel's limit).
pub const XLSX_SHEET_ROWS: u32 = 1_048_576;

/// What can go wrong while writing.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Xlsx(#[from] XlsxError),
}

impl SinkError {
    /// The I/O error underneath, if it is one.
    pub fn io(&self) -> Option<&std::io::Error> {
        match self {
            SinkError::Io(e) => Some(e),
            SinkError::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e),
                _ => None,
            },
            SinkError::Xlsx(XlsxError::IoError(e)) => Some(e),
            SinkError::Xlsx(_) => None,
        }
    }
}

/// A file being written.
pub trait Sink {
    /// Writes one row of values.
    fn row(&mut self, cells: &[Cell]) -> Result<(), SinkError>;
    /// Finishes the file and flushes it to disk.
    fn finish(self: Box<Self>) -> Result<(), SinkError>;
}

/// Opens a sink of `format` that writes to `path` (which exists, empty),
/// and writes the header row.
pub fn open(
    format: FileFormat,
    path: &Path,
    kind: Kind,
    lang: Lang,
    sheet_rows: u32,
) -> Result<Box<dyn Sink>, SinkError> {
    Ok(match format {
        FileFormat::Csv => Box::new(CsvSink::new(path, kind, lang)?),
        FileFormat::Xlsx => Box::new(caught(|| XlsxSink::new(path, kind, lang, sheet_rows))?),
    })
}

/// CSV: UTF-8 with a BOM, comma-separated, CRLF, quoted where needed.
struct CsvSink {
    out: csv::Writer<BufWriter<File>>,
    record: Vec<String>,
}

impl CsvSink {
    fn new(path: &Path, kind: Kind, lang: Lang) -> Result<CsvSink, SinkError> {
        let mut file = BufWriter::with_capacity(256 * 1024, File::create(path)?);
        file.write_all("\u{feff}".as_bytes())?;
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(file);
        out.write_record(kind.headers(lang))?;
        Ok(CsvSink {
            out,
            record: Vec::new(),
        })
    }
}

/// Text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return first) gets a leading apostrophe, so that a
/// name typed as `=HYPERLINK(…)` stays text when the file is opened.
fn defused(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

impl Sink for CsvSink {
    fn row(&mut self, cells: &[Cell]) -> Result<(), SinkError> {
        self.record.clear();
        for c in cells {
            self.record.push(match c {
                Cell::Empty => String::new(),
                Cell::Text(s) => defused(s).into_owned(),
                Cell::Int(n) => n.to_string(),
                Cell::Money(f) => f.plain(),
                Cell::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
                Cell::Date(d) => d.to_string(),
            });
        }
        self.out.write_record(&self.record)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), SinkError> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| SinkError::Io(e.into_error()))?;
        let file = file
            .into_inner()
            .map_err(|e| SinkError::Io(e.into_error()))?;
        file.sync_all()?;
        Ok(())
    }
}

/// XLSX: one sheet per `sheet_rows` rows (header included), each in
/// constant-memory mode (a row goes to a temporary file as soon as the
/// next begins), saved in one go at the end.
struct XlsxSink {
    book: Workbook,
    path: std::path::PathBuf,
    kind: Kind,
    lang: Lang,
    sheet_rows: u32,
    /// The sheet being written (its index) and its next row.
    sheet: usize,
    next: u32,
    money: Format,
    datetime: Format,
    date: Format,
    bold: Format,
}

impl XlsxSink {
    fn new(path: &Path, kind: Kind, lang: Lang, sheet_rows: u32) -> Result<XlsxSink, SinkError> {
        let mut book = Workbook::new();
        // The sheets' temporary files go beside the export: the system's
        // temporary folder may be too small for a district's visits.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            book.set_tempdir(dir)?;
        }
        let mut sink = XlsxSink {
            book,
            path: path.to_owned(),
            kind,
            lang,
            sheet_rows: sheet_rows.clamp(2, XLSX_SHEET_ROWS),
            sheet: 0,
            next: 0,
            money: Format::new().set_num_format("¥#,##0.00"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            bold: Format::new().set_bold(),
        };
        sink.add_sheet(1)?;
        Ok(sink)
    }

    /// Adds sheet number `n` (from 1) with its header row.
    fn add_sheet(&mut self, n: usize) -> Result<(), SinkError> {
        let label = self.kind.label(self.lang);
        let name = if n == 1 {
            label.to_owned()
        } else {
            format!("{label} ({n})")
        };
        let ws = self.book.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        for (i, (key, width)) in self.kind.column_keys().iter().enumerate() {
            let col = i as u16;
            ws.set_column_width(col, f64::from(*width))?;
            ws.write_string_with_format(0, col, text(self.lang, key), &self.bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        self.sheet = n - 1;
        self.next = 1;
        Ok(())
    }
}

/// Days from Excel's day zero (1899-12-30) to 1970-01-01.
const EXCEL_UNIX_EPOCH: f64 = 25_569.0;

/// Excel's serial number of a local date and time.
fn excel_serial(t: chrono::NaiveDateTime) -> f64 {
    let secs = t.and_utc().timestamp() as f64;
    EXCEL_UNIX_EPOCH + secs / 86_400.0
}

/// rust_xlsxwriter panics when it cannot write a sheet's temporary file
/// (a full disk): the panic becomes an I/O error of the export.
fn caught<T>(f: impl FnOnce() -> Result<T, SinkError>) -> Result<T, SinkError> {
    crate::caught::catch(f).unwrap_or_else(|m| Err(SinkError::Io(crate::caught::as_io(m))))
}

impl Sink for XlsxSink {
    fn row(&mut self, cells: &[Cell]) -> Result<(), SinkError> {
        caught(|| self.write_row(cells))
    }

    fn finish(mut self: Box<Self>) -> Result<(), SinkError> {
        caught(move || {
            self.book.save(&self.path)?;
            File::open(&self.path)?.sync_all()?;
            Ok(())
        })
    }
}

impl XlsxSink {
    fn write_row(&mut self, cells: &[Cell]) -> Result<(), SinkError> {
        if self.next >= self.sheet_rows {
            self.add_sheet(self.sheet + 2)?;
        }
        let row = self.next;
        let ws = self.book.worksheet_from_index(self.sheet)?;
        for (i, c) in cells.iter().enumerate() {
            let col = i as u16;
            match c {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(row, col, s.as_str())?;
                }
                Cell::Int(n) => {
                    ws.write_number(row, col, *n as f64)?;
                }
                Cell::Money(f) => {
                    ws.write_number_with_format(row, col, f.0 as f64 / 100.0, &self.money)?;
                }
                Cell::DateTime(t) => {
                    ws.write_number_with_format(row, col, excel_serial(*t), &self.datetime)?;
                }
                Cell::Date(d) => {
                    let t = d.and_time(chrono::NaiveTime::MIN);
                    ws.write_number_with_format(row, col, excel_serial(t), &self.date)?;
                }
            }
        }
        self.next += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn excel_serials_match_excel() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Excel shows 45992 as 2025-12-01.
        assert_eq!(
            excel_serial(d(2025, 12, 1).and_hms_opt(0, 0, 0).unwrap()),
            45_992.0
        );
        assert_eq!(
            excel_serial(d(2026, 11, 20).and_hms_opt(12, 0, 0).unwrap()),
            46_346.5
        );
    }

    #[test]
    fn formula_like_text_is_defused() {
        assert_eq!(defused("=1+1"), "'=1+1");
        assert_eq!(defused("-5"), "'-5");
        assert_eq!(defused("@SUM"), "'@SUM");
        assert_eq!(defused("张三"), "张三");
        assert_eq!(defused("138****5678"), "138****5678");
    }

    #[test]
    fn csv_has_a_bom_header_and_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        let mut s = open(FileFormat::Csv, &path, Kind::Visits, Lang::En, 10).unwrap();
        s.row(&[
            Cell::Text("FT".into()),
            Cell::DateTime(
                NaiveDate::from_ymd_opt(2026, 11, 20)
                    .unwrap()
                    .and_hms_opt(9, 5, 30)
                    .unwrap(),
            ),
            Cell::Empty,
            Cell::Text("a, \"b\"".into()),
            Cell::Text("Courier".into()),
            Cell::Int(3),
            Cell::Money(crate::domain::money::Fen(123_450)),
        ])
        .unwrap();
        s.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(
            text,
            "\u{feff}Station,Arrived,Left,Name,Trade,Headcount,Services\r\n\
             FT,2026-11-20 09:05,,\"a, \"\"b\"\"\",Courier,3,1234.50\r\n"
        );
    }

    #[test]
    fn xlsx_continues_on_a_further_sheet() {
        use calamine::{Reader, Xlsx, open_workbook};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        let mut s = open(FileFormat::Xlsx, &path, Kind::Cases, Lang::ZhCn, 3).unwrap();
        for i in 0..5 {
            let mut cells = vec![Cell::Text(format!("FT-2026-{i:04}"))];
            cells.extend(std::iter::repeat_n(Cell::Empty, 6));
            cells.push(Cell::Money(crate::domain::money::Fen(i * 100 + 5)));
            s.row(&cells).unwrap();
        }
        s.finish().unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(book.sheet_names(), vec!["案件", "案件 (2)", "案件 (3)"]);
        let mut numbers = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            let rows: Vec<_> = range.rows().collect();
            assert_eq!(rows[0][0].to_string(), "案件号", "header on every sheet");
            for r in &rows[1..] {
                numbers.push(r[0].to_string());
                assert!(matches!(r[7], calamine::Data::Float(_)), "{:?}", r[7]);
            }
        }
        assert_eq!(numbers.len(), 5);
        assert_eq!(numbers[4], "FT-2026-0004");
    }
}
