//! Pure types and rules of the product: no I/O, no terminal, no SQL.

pub mod access;
pub mod case;
pub mod codes;
pub mod credit_code;
pub mod dates;
pub mod day;
pub mod error;
pub mod handoff;
pub mod ids;
pub mod intake;
pub mod limits;
pub mod money;
pub mod person;
pub mod phone;
pub mod resident_id;
pub mod schedule;
pub mod staff;
pub mod station;
pub mod text;
pub mod visit;

pub use error::{Field, ValidationError};
pub use money::Fen;
pub use phone::Mobile;
pub use resident_id::ResidentId;
