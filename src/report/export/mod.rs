//! Records laid out for the office's own spreadsheets: the columns of each
//! kind of export ([`columns`]) and the CSV / XLSX writers ([`sink`]).

pub mod columns;
pub mod sink;

pub use columns::{Cell, Kind, Style};
pub use sink::{FileFormat, SinkError, XLSX_SHEET_ROWS};
