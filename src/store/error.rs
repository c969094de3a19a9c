//! What can go wrong with a database, in the words of the person at the
//! keyboard (English in `Display`, both languages through [`Localized`]).

use std::path::PathBuf;

use crate::domain::ValidationError;
use crate::domain::access::Act;
use crate::i18n::{Lang, Localized};

/// What can go wrong with a database, worded for the person at the keyboard.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("folder {0} does not exist")]
    NoFolder(PathBuf),
    #[error("{0} is a folder, not a database file")]
    IsFolder(PathBuf),
    #[error("{0} is not a database file (damaged, or another kind of file)")]
    NotADatabase(PathBuf),
    #[error("cannot open {0}: it is unreadable, read-only, or its folder cannot be written")]
    CannotOpen(PathBuf),
    #[error("this is an SQLite database of another program, not a waystation database")]
    Foreign,
    #[error(
        "this database was written by a newer waystation (schema {found}; this version knows up to {supported}); please update waystation"
    )]
    TooNew { found: i64, supported: i64 },
    #[error(
        "this database has no station yet; set one with: waystation init --code CODE --name NAME"
    )]
    NoStation,
    #[error("the station is already set up as {0}")]
    StationExists(String),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{}", .0.needs(crate::i18n::Lang::En))]
    NotAllowed(Act),
    #[error("the database is inconsistent: {0}")]
    Corrupt(String),
    #[error(
        "{0} is the last admin who can sign in: one must stay, or nobody could manage staff or read the audit log"
    )]
    LastAdmin(String),
    #[error(
        "the {} '{code}' was written by a newer version of waystation: upgrade this station to read it; the record is left as it is",
        what[1]
    )]
    Newer {
        what: [&'static str; 2],
        code: String,
    },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// A stored code (a status, a role, a kind) this build does not know:
    /// written by a newer station. The record is left as it is.
    pub fn newer(what: [&'static str; 2], code: impl ToString) -> StoreError {
        StoreError::Newer {
            what,
            code: code.to_string(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    /// A stored code this build does not know, met while reading a row,
    /// becomes [`StoreError::Newer`]; anything else stays a database error.
    fn from(e: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &e
            && let Some(n) = inner.downcast_ref::<super::codes::NewerCode>()
        {
            return StoreError::Newer {
                what: n.what,
                code: n.code.clone(),
            };
        }
        StoreError::Sqlite(e)
    }
}

impl Localized for StoreError {
    fn localized(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return match self {
                StoreError::Invalid(v) => v.localized(lang),
                StoreError::LastAdmin(name) => crate::t!(lang, "admin.last_admin", name = name),
                other => other.to_string(),
            };
        }
        match self {
            StoreError::Invalid(v) => v.localized(lang),
            StoreError::NotAllowed(act) => act.needs(lang),
            StoreError::NotFound(_) => {
                "找不到这条记录（可能已被删除或清除了个人信息）".to_owned()
            }
            StoreError::NoStation => "这个数据库还没有设置站点；请先运行：waystation init --code 站点代码 --name 站点名称".to_owned(),
            StoreError::NotADatabase(p) => {
                format!("{} 不是数据库文件（已损坏或是其他类型的文件）", p.display())
            }
            StoreError::NoFolder(p) => format!("文件夹 {} 不存在", p.display()),
            StoreError::CannotOpen(p) => format!(
                "无法打开 {}：文件不可读、只读，或所在文件夹不可写",
                p.display()
            ),
            StoreError::IsFolder(p) => format!("{} 是文件夹，不是数据库文件", p.display()),
            StoreError::StationExists(s) => format!("这个数据库已经设置了站点：{s}"),
            StoreError::Foreign => {
                "这是其他程序的 SQLite 数据库，不是 waystation 数据库".to_owned()
            }
            StoreError::TooNew { found, supported } => format!(
                "这个数据库由更新版本的 waystation 写入（结构版本 {found}，本版本最高支持 {supported}），请升级 waystation"
            ),
            StoreError::LastAdmin(name) => crate::t!(lang, "admin.last_admin", name = name),
            StoreError::Newer { what, code } => format!(
                "{}“{code}”由更新版本的 waystation 写入：请升级本站的 waystation；这条记录保持原样",
                what[0]
            ),
            StoreError::Corrupt(m) => format!("数据库不一致：{m}"),
            StoreError::Sqlite(e) => format!("数据库错误：{e}"),
        }
    }
}
