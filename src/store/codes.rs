//! Stored codes read back: a status, a role, a kind this build does not
//! know was written by a newer station. Reading it is an error that names
//! it ("written by a newer version: upgrade this station"), never a
//! default that could then be written over the newer value.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};

use crate::domain::case::{CaseStatus, CaseType, CloseReason, HardshipKind, Outcome, Referral};
use crate::domain::handoff::{HandoffKind, HandoffOutcome, HandoffStatus};
use crate::domain::person::Trade;
use crate::domain::schedule::{AppointmentStatus, CounsellorKind, WaitlistStatus};
use crate::domain::staff::Role;

/// A code this build does not know, and what kind of code it is (in
/// Chinese and English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewerCode {
    pub what: [&'static str; 2],
    pub code: String,
}

impl std::fmt::Display for NewerCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} '{}' is not known to this version",
            self.what[1], self.code
        )
    }
}

impl std::error::Error for NewerCode {}

/// Reads a stored code of a kind: `None` when this build does not know it.
pub(crate) fn read<T>(
    v: ValueRef<'_>,
    what: [&'static str; 2],
    from_code: fn(&str) -> Option<T>,
) -> FromSqlResult<T> {
    let s = v.as_str()?;
    from_code(s).ok_or_else(|| {
        FromSqlError::Other(Box::new(NewerCode {
            what,
            code: s.to_owned(),
        }))
    })
}

macro_rules! stored_code {
    ($($t:ty => $zh:literal, $en:literal;)*) => {$(
        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                read(v, [$zh, $en], <$t>::from_code)
            }
        }
    )*};
}

stored_code! {
    Trade => "工种", "trade";
    Role => "角色", "role";
    CaseType => "案件类型", "case type";
    CaseStatus => "案件状态", "case status";
    HardshipKind => "帮扶类别", "hardship kind";
    Referral => "转介去向", "referral";
    Outcome => "办结结果", "outcome";
    CloseReason => "关闭原因", "reason closed";
    AppointmentStatus => "预约状态", "session status";
    CounsellorKind => "咨询类别", "counsellor kind";
    WaitlistStatus => "候补状态", "waitlist status";
    HandoffKind => "转介类别", "referral kind";
    HandoffStatus => "转介状态", "referral status";
    HandoffOutcome => "转介结果", "referral outcome";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreError};

    #[test]
    fn a_newer_code_is_an_error_that_names_it() {
        let s = Store::open_in_memory().unwrap();
        let read = |code: &str| -> Result<CaseStatus, StoreError> {
            Ok(s.conn().query_row("SELECT ?1", [code], |r| r.get(0))?)
        };
        assert_eq!(read("resolved").unwrap(), CaseStatus::Resolved);
        let e = read("escalated").unwrap_err();
        assert!(
            matches!(&e, StoreError::Newer { what, code } if what[1] == "case status" && code == "escalated"),
            "{e:?}"
        );
        assert!(e.to_string().contains("upgrade"), "{e}");
        let zh = crate::i18n::Localized::localized(&e, crate::i18n::Lang::ZhCn);
        assert!(
            zh.contains("案件状态") && zh.contains("escalated") && zh.contains("升级"),
            "{zh}"
        );
    }
}
