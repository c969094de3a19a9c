//! What the station and the district office report: figures for a period
//! (and a station), and the dates staff type to choose the period; the
//! figures laid out as a report ([`sheet`]) and written as text, CSV or
//! XLSX.

pub mod csv;
pub mod export;

pub mod sheet;
pub mod slip;
pub mod text;
pub mod xlsx;
