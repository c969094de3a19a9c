//! Cases (求助/案件): wage arrears, disputes, legal aid, hardship assistance.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use super::error::ValidationError;
use super::ids::{CaseId, RespondentId, StaffId, StationId};
use super::money::Fen;

crate::code_enum! {
    /// What a case is about.
    pub enum CaseType {
        WageArrears = "wage_arrears", "欠薪", "Wage arrears";
        LabourDispute = "labour_dispute", "劳动争议调解", "Labour-dispute mediation";
        WorkInjury = "work_injury", "工伤", "Work injury";
        LegalAid = "legal_aid", "法律援助", "Legal aid";
        Hardship = "hardship", "困难帮扶", "Hardship assistance";
        EmergencyRelief = "emergency_relief", "应急救助", "Emergency relief";
        Psychological = "psychological", "心理支持", "Psychological support";
        Other = "other", "其他", "Other";
    }
}

crate::code_enum! {
    /// The kind of help in a hardship case.
    pub enum HardshipKind {
        Material = "material", "生活救助", "Material";
        Medical = "medical", "医疗救助", "Medical";
        Education = "education", "助学", "Education";
        Employment = "employment", "就业帮扶", "Employment";
        Emotional = "emotional", "情感关怀", "Emotional";
    }
}

crate::code_enum! {
    /// Where a case stands.
    pub enum CaseStatus {
        New = "new", "新建", "New";
        InProgress = "in_progress", "处理中", "In progress";
        Waiting = "waiting", "等待中", "Waiting";
        Resolved = "resolved", "已解决", "Resolved";
        Closed = "closed", "已关闭", "Closed";
    }
}

impl CaseStatus {
    /// Resolved and closed cases are concluded; the others are open.
    pub fn is_open(self) -> bool {
        !matches!(self, CaseStatus::Resolved | CaseStatus::Closed)
    }

    /// Whether a case may move from `self` to `to`. Open cases move freely
    /// between the open states and may conclude; a concluded case can only
    /// be reopened (back to in progress).
    pub fn can_become(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        if self == to {
            return false;
        }
        match (self, to) {
            (_, New) => false,
            (Resolved | Closed, InProgress) => true,
            (Resolved | Closed, _) => false,
            _ => true,
        }
    }

    /// Checks a status change.
    pub fn transition(self, to: CaseStatus) -> Result<CaseStatus, ValidationError> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(ValidationError::StatusTransition {
                from: self.code(),
                to: to.code(),
            })
        }
    }
}

crate::code_enum! {
    /// How a resolved case ended.
    pub enum Outcome {
        Agreement = "agreement", "调解达成协议", "Mediation agreement";
        Recovered = "recovered", "追回款项", "Amount recovered";
        Award = "award", "仲裁/判决支持", "Arbitration award or judgment";
        Assisted = "assisted", "帮扶已落实", "Assistance delivered";
        Other = "other", "其他", "Other";
    }
}

crate::code_enum! {
    /// Why a case was closed without resolution.
    pub enum CloseReason {
        Withdrawn = "withdrawn", "申请人撤回", "Withdrawn by the claimant";
        NotPursued = "not_pursued", "不予受理", "Not pursued";
        Unreachable = "unreachable", "无法联系", "Claimant unreachable";
        Transferred = "transferred", "已移交其他机构", "Transferred elsewhere";
        Other = "other", "其他", "Other";
    }
}

crate::code_enum! {
    /// Where a case was referred.
    pub enum Referral {
        Arbitration = "arbitration", "劳动人事争议仲裁委员会", "Labour arbitration commission";
        Court = "court", "人民法院", "Court";
        LegalAidCentre = "legal_aid_centre", "法律援助中心", "Legal-aid centre";
        LabourInspection = "labour_inspection", "劳动保障监察", "Labour inspection";
        Other = "other", "其他", "Other";
    }
}

/// A human case number, unique across stations: station code, year of
/// opening, per-station sequence — `FT-2026-0042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber {
    pub code: String,
    pub year: i32,
    pub seq: u32,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.code, self.year, self.seq)
    }
}

impl FromStr for CaseNumber {
    type Err = ValidationError;

    /// Parses `FT-2026-0042` (any case, spaces around dashes allowed).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ValidationError::CaseNumber(s.trim().to_owned());
        let parts: Vec<&str> = s.trim().split('-').map(str::trim).collect();
        let [code, year, seq] = parts.as_slice() else {
            return Err(bad());
        };
        let code = super::station::parse_station_code(code).map_err(|_| bad())?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if seq.is_empty() || seq.len() > 9 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(CaseNumber { code, year, seq })
    }
}

/// A case as recorded. Claimants and the timeline live beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: CaseId,
    pub number: CaseNumber,
    /// The station that opened the case.
    pub station: StationId,
    pub case_type: CaseType,
    pub hardship_kind: Option<HardshipKind>,
    pub status: CaseStatus,
    /// Short description of what the claimants ask for.
    pub summary: Option<String>,
    /// The employer (or other party) the claim is against.
    pub respondent: Option<String>,
    pub claimed: Fen,
    pub recovered: Fen,
    pub handler: Option<StaffId>,
    pub follow_up: Option<NaiveDate>,
    pub referral: Option<Referral>,
    pub outcome: Option<Outcome>,
    pub close_reason: Option<CloseReason>,
    pub opened_at: DateTime<Utc>,
    /// When the case was last resolved or closed.
    pub concluded_at: Option<DateTime<Utc>>,
    /// The respondent in the register, when linked (`respondent` keeps
    /// the name as typed).
    pub respondent_id: Option<RespondentId>,
    /// The day the worker knew (or should have known) of the
    /// infringement: where the arbitration time limit runs from.
    pub infringed_on: Option<NaiveDate>,
}

/// Checks the day the worker knew of the infringement: not after `today`.
pub fn check_infringed(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, ValidationError> {
    if date > today {
        Err(ValidationError::InfringedFuture { date, today })
    } else {
        Ok(date)
    }
}

/// Checks a follow-up date set on `today` (the station's local date): the
/// next follow-up cannot be a day already past. Today itself is allowed.
pub fn check_follow_up(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, ValidationError> {
    if date < today {
        Err(ValidationError::FollowUpPast { date, today })
    } else {
        Ok(date)
    }
}

impl Case {
    /// Whether the next follow-up date has passed on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.follow_up.is_some_and(|d| d < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn workflow() {
        assert!(New.can_become(InProgress));
        assert!(New.can_become(Waiting));
        assert!(InProgress.can_become(Waiting));
        assert!(Waiting.can_become(InProgress));
        assert!(Waiting.can_become(Resolved));
        assert!(New.can_become(Closed));
        assert!(Resolved.can_become(InProgress), "reopen");
        assert!(Closed.can_become(InProgress), "reopen");
        assert!(!Resolved.can_become(Closed));
        assert!(!Closed.can_become(Waiting));
        assert!(!InProgress.can_become(New));
        assert!(!Waiting.can_become(Waiting));
        assert_eq!(
            Resolved.transition(Waiting),
            Err(ValidationError::StatusTransition {
                from: "resolved",
                to: "waiting"
            })
        );
    }

    #[test]
    fn case_numbers() {
        let n: CaseNumber = "FT-2026-0042".parse().unwrap();
        assert_eq!(
            n,
            CaseNumber {
                code: "FT".into(),
                year: 2026,
                seq: 42
            }
        );
        assert_eq!(n.to_string(), "FT-2026-0042");
        assert_eq!("ft-2026-42".parse::<CaseNumber>().unwrap(), n);
        assert_eq!(
            CaseNumber {
                code: "ZB".into(),
                year: 2027,
                seq: 12345
            }
            .to_string(),
            "ZB-2027-12345"
        );
        for bad in [
            "FT-26-0042",
            "FT-2026",
            "FT-2026-0000",
            "2026-0042",
            "FT-2026-00x2",
            "",
        ] {
            assert!(bad.parse::<CaseNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn status_error_names_states_in_both_languages() {
        use crate::i18n::{Lang, Localized};
        let e = Closed.transition(Waiting).unwrap_err();
        assert_eq!(e.localized(Lang::ZhCn), "案件不能从“已关闭”改为“等待中”");
        assert_eq!(
            e.localized(Lang::En),
            "a case cannot go from “Closed” to “Waiting”"
        );
        let e = InProgress.transition(New).unwrap_err();
        assert!(!e.localized(Lang::En).contains("in_progress"));
        assert!(e.localized(Lang::En).contains("“In progress” to “New”"));
    }

    #[test]
    fn a_follow_up_cannot_be_in_the_past() {
        use crate::i18n::{Lang, Localized};
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(check_follow_up(today, today), Ok(today));
        assert_eq!(check_follow_up(day(12, 1), today), Ok(day(12, 1)));
        let past = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let e = check_follow_up(past, today).unwrap_err();
        assert_eq!(e, ValidationError::FollowUpPast { date: past, today });
        assert!(e.localized(Lang::ZhCn).contains("早于今天"));
        assert!(e.localized(Lang::ZhCn).contains("2020-01-01"));
        assert!(e.localized(Lang::En).contains("before today (2026-11-20)"));
        assert!(check_follow_up(day(11, 19), today).is_err());
    }
}
