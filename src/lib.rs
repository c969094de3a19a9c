//! waystation: the console and records of a trade-union rest station for
//! outdoor workers. See `docs/architecture.md` for how the layers fit.

pub mod domain;
pub mod i18n;
pub mod store;
pub mod sync;
