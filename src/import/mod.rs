//! Reading records that people bring on paper or in a spreadsheet: a
//! group's roster (names, phones, ID numbers, trades, the amount owed
//! each), read from CSV, XLSX, XLS or ODS, or pasted as text, validated by
//! the domain's own parsers and matched against the people already known.
//! Nothing here writes: the command line shows what was read and adds it.

pub mod roster;

use std::path::PathBuf;

use crate::i18n::{Lang, Localized};
use crate::t;

pub use roster::{
    Column, Matched, Roster, RosterRow, RowProblem, Skipped, match_known, parse_bytes, parse_text,
    read,
};

/// Why a file could not be read as a roster at all (a row's own problems
/// are [`RowProblem`]s, and the other rows still read).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {error}", path.display())]
    Open { path: PathBuf, error: String },
    #[error("{} is neither UTF-8 nor GB18030 text, nor a spreadsheet", path.display())]
    Encoding { path: PathBuf },
    #[error("cannot read the spreadsheet {}: {error}", path.display())]
    Workbook { path: PathBuf, error: String },
    #[error("{} holds no rows", path.display())]
    Empty { path: PathBuf },
    #[error("no column of names in {} (a header 姓名 or name, or a column of names)", path.display())]
    NoNames { path: PathBuf },
}

impl Localized for ImportError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            ImportError::Open { path, error } => t!(
                lang,
                "import.error.open",
                path = path.display(),
                error = error
            ),
            ImportError::Encoding { path } => {
                t!(lang, "import.error.encoding", path = path.display())
            }
            ImportError::Workbook { path, error } => t!(
                lang,
                "import.error.workbook",
                path = path.display(),
                error = error
            ),
            ImportError::Empty { path } => t!(lang, "import.error.empty", path = path.display()),
            ImportError::NoNames { path } => {
                t!(lang, "import.error.no_names", path = path.display())
            }
        }
    }
}
