//! waystation: the console and records of a trade-union rest station for
//! outdoor workers. See `docs/architecture.md` for how the layers fit.

pub mod caught;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod kiosk;
pub mod paths;
pub mod report;
pub mod store;
pub mod sync;
pub mod tui;
pub mod words;
