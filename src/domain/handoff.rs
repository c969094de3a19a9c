//! Cases that travel: a referral to an outside body (arbitration, a court,
//! a legal-aid centre, labour inspection), an escalation to the district
//! union office, or a case handed to another station. Each is a record of
//! its own with a status life:
//!
//! ```text
//! sent ──► accepted ──► in progress ──► done (with an outcome)
//!   │          │              │
//!   ├──► rejected (with a reason)      any open one ──► withdrawn
//! ```
//!
//! Who may take which step is [`may_take`]: for an escalation or a
//! hand-over the receiving station answers and the sending station may
//! withdraw; for an outside body the sending station records what the body
//! did.

use chrono::NaiveDate;

use super::case::Referral;
use super::error::ValidationError;

crate::code_enum! {
    /// Where a case goes.
    pub enum HandoffKind {
        Referral = "referral", "转介外部机构", "Referral to an outside body";
        Escalation = "escalation", "上报区总工会", "Escalation to the district office";
        Transfer = "transfer", "转交其他驿站", "Handed to another station";
    }
}

crate::code_enum! {
    /// Where a referral, escalation or hand-over stands.
    pub enum HandoffStatus {
        Sent = "sent", "已发出", "Sent";
        Accepted = "accepted", "已受理", "Accepted";
        Rejected = "rejected", "不予受理", "Rejected";
        InProgress = "in_progress", "办理中", "In progress";
        Done = "done", "已办结", "Done";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

crate::code_enum! {
    /// How a referral or escalation ended, for the figures.
    pub enum HandoffOutcome {
        Supported = "supported", "诉求得到支持", "Claim upheld";
        Partly = "partly", "部分支持", "Partly upheld";
        Settled = "settled", "调解/和解结案", "Settled";
        NotSupported = "not_supported", "未获支持", "Not upheld";
        Other = "other", "其他", "Other";
    }
}

impl HandoffStatus {
    /// Sent, accepted and in progress are still open: they wait for
    /// somebody, and their due date shows in the follow-up queue.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            HandoffStatus::Sent | HandoffStatus::Accepted | HandoffStatus::InProgress
        )
    }

    /// Whether a handoff may move from `self` to `to`. A concluded one
    /// (rejected, done, withdrawn) moves no more: a new referral is a new
    /// record.
    pub fn can_become(self, to: HandoffStatus) -> bool {
        use HandoffStatus::*;
        matches!(
            (self, to),
            (Sent, Accepted | Rejected | InProgress | Done | Withdrawn)
                | (Accepted, InProgress | Done | Withdrawn)
                | (InProgress, Done | Withdrawn)
        )
    }

    /// Checks a step.
    pub fn step(self, to: HandoffStatus) -> Result<HandoffStatus, ValidationError> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(ValidationError::HandoffStep {
                from: self.code(),
                to: to.code(),
            })
        }
    }
}

/// Which side of a handoff a station is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The station that sent it.
    Sender,
    /// The station it was handed to (escalation, transfer).
    Receiver,
    /// Neither.
    Other,
}

/// Whether a station on `side` may move a handoff of `kind` to `to`. An
/// escalation or hand-over is answered (accepted, rejected, worked on,
/// done) by the station that received it, and withdrawn by the one that
/// sent it; a referral to an outside body is kept up by the sender, who
/// records what the body did.
pub fn may_take(kind: HandoffKind, side: Side, to: HandoffStatus) -> bool {
    match (kind, side) {
        (HandoffKind::Referral, Side::Sender) => true,
        (HandoffKind::Referral, _) => false,
        (_, Side::Sender) => to == HandoffStatus::Withdrawn,
        (_, Side::Receiver) => to != HandoffStatus::Withdrawn,
        (_, Side::Other) => false,
    }
}

/// The steps a station on `side` may take from `from`, in display order.
pub fn steps(kind: HandoffKind, side: Side, from: HandoffStatus) -> Vec<HandoffStatus> {
    HandoffStatus::ALL
        .iter()
        .copied()
        .filter(|to| from.can_become(*to) && may_take(kind, side, *to))
        .collect()
}

/// What a new referral, escalation or hand-over says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHandoff {
    pub kind: HandoffKind,
    /// The kind of outside body (referrals only).
    pub target: Option<Referral>,
    /// The body's own name (青岛市市南区劳动人事争议仲裁委员会).
    pub agency: Option<String>,
    /// The body's reference number for it (受理号, 案号).
    pub reference: Option<String>,
    /// What was asked of the body or station.
    pub asked: Option<String>,
    pub sent_on: NaiveDate,
    /// When an answer is due: it shows in the follow-up queue.
    pub due: Option<NaiveDate>,
}

/// Checks a due date: not before the day the handoff was sent.
pub fn check_due(due: NaiveDate, sent_on: NaiveDate) -> Result<NaiveDate, ValidationError> {
    if due < sent_on {
        Err(ValidationError::DueBeforeSent { due, sent_on })
    } else {
        Ok(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HandoffStatus::*;

    #[test]
    fn the_life_of_a_handoff() {
        assert!(Sent.can_become(Accepted));
        assert!(Sent.can_become(Rejected));
        assert!(Sent.can_become(Withdrawn));
        assert!(Accepted.can_become(InProgress));
        assert!(InProgress.can_become(Done));
        assert!(
            !Accepted.can_become(Rejected),
            "accepted, then not: a withdrawal"
        );
        assert!(!Done.can_become(InProgress));
        assert!(!Rejected.can_become(Accepted));
        assert!(!Withdrawn.can_become(Sent));
        for s in HandoffStatus::ALL {
            assert!(!s.can_become(Sent), "nothing goes back to sent");
            assert!(!s.can_become(*s));
            assert_eq!(
                s.is_open(),
                HandoffStatus::ALL.iter().any(|t| s.can_become(*t))
            );
        }
    }

    #[test]
    fn who_answers_what() {
        let e = HandoffKind::Escalation;
        assert_eq!(
            steps(e, Side::Receiver, Sent),
            vec![Accepted, Rejected, InProgress, Done]
        );
        assert_eq!(steps(e, Side::Sender, Sent), vec![Withdrawn]);
        assert_eq!(steps(e, Side::Other, Sent), vec![]);
        assert_eq!(steps(e, Side::Receiver, Done), vec![]);
        let r = HandoffKind::Referral;
        assert_eq!(
            steps(r, Side::Sender, Sent),
            vec![Accepted, Rejected, InProgress, Done, Withdrawn]
        );
        assert_eq!(steps(r, Side::Receiver, Sent), vec![]);
    }

    #[test]
    fn a_step_refused_names_both_states() {
        use crate::i18n::{Lang, Localized};
        let e = Done.step(Accepted).unwrap_err();
        assert_eq!(
            e.localized(Lang::ZhCn),
            "转介/上报不能从“已办结”改为“已受理”"
        );
        assert_eq!(
            e.localized(Lang::En),
            "a referral cannot go from “Done” to “Accepted”"
        );
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(check_due(day(9), day(7)), Ok(day(9)));
        assert!(check_due(day(6), day(7)).is_err());
    }
}
