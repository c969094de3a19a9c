//! How a referral, escalation or hand-over and its steps read: the case
//! timeline, the detail's list of them, the command line.

use chrono::NaiveDate;

use crate::domain::handoff::{HandoffKind, HandoffOutcome, HandoffStatus};
use crate::i18n::Lang;
use crate::t;

/// One line of a case's timeline about a handoff.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub kind: HandoffKind,
    pub whereto: &'a str,
    /// Sent for the record's creation; None for a change that is no step.
    pub status: Option<HandoffStatus>,
    pub reason: Option<&'a str>,
    pub outcome: Option<HandoffOutcome>,
    /// What came of it; for the sending, what was asked.
    pub result: Option<&'a str>,
    pub due: Option<NaiveDate>,
}

/// The line: "上报区总工会：XX区总工会，答复期限 2026-12-14" when sent,
/// "上报区总工会（XX区总工会）：已受理" for a step.
pub fn event(lang: Lang, e: Event<'_>) -> String {
    let mut more: Vec<String> = Vec::new();
    if let Some(o) = e.outcome {
        more.push(o.label(lang).to_owned());
    }
    if let Some(r) = e.reason {
        more.push(t!(lang, "handoff.reason_more", text = r));
    }
    if let Some(r) = e.result {
        more.push(r.to_owned());
    }
    if let Some(d) = e.due {
        more.push(t!(lang, "handoff.due_more", date = d));
    }
    let more: String = more
        .iter()
        .map(|m| t!(lang, "handoff.more", text = m))
        .collect();
    let kind = e.kind.label(lang);
    match e.status {
        Some(HandoffStatus::Sent) => t!(
            lang,
            "handoff.ev_sent",
            kind = kind,
            whereto = e.whereto,
            more = more
        ),
        Some(s) => t!(
            lang,
            "handoff.ev_step",
            kind = kind,
            whereto = e.whereto,
            status = s.label(lang),
            more = more
        ),
        None => match e.due {
            Some(d) => t!(
                lang,
                "handoff.ev_due",
                kind = kind,
                whereto = e.whereto,
                date = d
            ),
            None => t!(
                lang,
                "handoff.ev_step",
                kind = kind,
                whereto = e.whereto,
                status = "",
                more = more
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_in_both_languages() {
        let e = Event {
            kind: HandoffKind::Escalation,
            whereto: "市南区总工会",
            status: Some(HandoffStatus::Rejected),
            reason: Some("材料不全"),
            outcome: None,
            result: None,
            due: None,
        };
        assert_eq!(
            event(Lang::ZhCn, e),
            "上报区总工会（市南区总工会）：不予受理，原因：材料不全"
        );
        assert_eq!(
            event(Lang::En, e),
            "Escalation to the district office (市南区总工会): Rejected, reason: 材料不全"
        );
        let sent = Event {
            kind: HandoffKind::Referral,
            whereto: "劳动人事争议仲裁委员会",
            status: Some(HandoffStatus::Sent),
            reason: None,
            outcome: None,
            result: None,
            due: NaiveDate::from_ymd_opt(2026, 12, 14),
        };
        assert_eq!(
            event(Lang::ZhCn, sent),
            "转介外部机构：劳动人事争议仲裁委员会，答复期限 2026-12-14"
        );
    }
}
