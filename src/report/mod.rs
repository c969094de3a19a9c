//! What the station and the district office report: figures for a period
//! (and a station), and the dates staff type to choose the period.

pub mod dates;
pub mod figures;
