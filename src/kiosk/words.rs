//! A case's status in the plain words a worker reads at the kiosk: what
//! happens next, when the next follow-up is, and who handles it.

use chrono::{Datelike, NaiveDate};

use crate::domain::case::{CaseStatus, CloseReason, Outcome, Referral};
use crate::i18n::Lang;
use crate::store::CaseStatusView;
use crate::t;

/// What happens next, one sentence a line: the step the status and the
/// referral, outcome or closing reason call for, then the next follow-up
/// date of an open case when it is still ahead (`today` in station time).
pub fn next_step(v: &CaseStatusView, today: NaiveDate, lang: Lang) -> Vec<String> {
    let referred = |to: Referral| match to {
        Referral::Other => t!(lang, "kiosk.step.referred_other").to_owned(),
        to => t!(lang, "kiosk.step.referred", to = to.label(lang)),
    };
    let mut lines = Vec::with_capacity(2);
    let step = match v.status {
        CaseStatus::New => t!(lang, "kiosk.step.new").to_owned(),
        CaseStatus::InProgress | CaseStatus::Waiting if v.referral.is_some() => {
            referred(v.referral.unwrap_or(Referral::Other))
        }
        CaseStatus::InProgress => t!(lang, "kiosk.step.in_progress").to_owned(),
        CaseStatus::Waiting => t!(lang, "kiosk.step.waiting").to_owned(),
        CaseStatus::Resolved => match v.outcome {
            Some(Outcome::Agreement) => t!(lang, "kiosk.step.agreement"),
            Some(Outcome::Recovered) => t!(lang, "kiosk.step.recovered"),
            Some(Outcome::Award) => t!(lang, "kiosk.step.award"),
            Some(Outcome::Assisted) => t!(lang, "kiosk.step.assisted"),
            Some(Outcome::Other) | None => t!(lang, "kiosk.step.resolved"),
        }
        .to_owned(),
        CaseStatus::Closed => match v.close_reason {
            Some(CloseReason::Withdrawn) => t!(lang, "kiosk.step.withdrawn"),
            Some(CloseReason::NotPursued) => t!(lang, "kiosk.step.not_pursued"),
            Some(CloseReason::Unreachable) => t!(lang, "kiosk.step.unreachable"),
            Some(CloseReason::Transferred) => t!(lang, "kiosk.step.transferred"),
            Some(CloseReason::Other) | None => t!(lang, "kiosk.step.closed"),
        }
        .to_owned(),
    };
    lines.push(step);
    if v.status.is_open()
        && let Some(d) = v.follow_up.filter(|d| *d >= today)
    {
        lines.push(t!(lang, "kiosk.step.follow_up", date = day(d, today, lang)));
    }
    lines
}

/// A day as a worker says it: 11月30日 / 30 Nov, with the year when it is
/// not this year's.
pub fn day(d: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let format = if d.year() == today.year() {
        t!(lang, "kiosk.date.this_year")
    } else {
        t!(lang, "kiosk.date.other_year")
    };
    d.format(format).to_string()
}

/// The handler as the kiosk names them: the first character of the name
/// only ("王老师").
pub fn handler(v: &CaseStatusView, lang: Lang) -> String {
    match &v.handler_initial {
        Some(initial) => t!(lang, "kiosk.status.handler_name", initial = initial),
        None => t!(lang, "kiosk.status.no_handler").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::CaseNumber;

    fn view(status: CaseStatus) -> CaseStatusView {
        CaseStatusView {
            number: CaseNumber {
                code: "FT".into(),
                year: 2026,
                seq: 42,
            },
            status,
            follow_up: None,
            referral: None,
            outcome: None,
            close_reason: None,
            handler_initial: Some("王".into()),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn open_cases_say_who_acts_next_and_when() {
        let zh = Lang::ZhCn;
        let mut v = view(CaseStatus::InProgress);
        assert_eq!(
            next_step(&v, today(), zh),
            ["工作人员正在处理，如需补充材料会电话联系您。"]
        );
        v.follow_up = NaiveDate::from_ymd_opt(2026, 11, 30);
        assert_eq!(next_step(&v, today(), zh)[1], "下次跟进：11月30日");
        assert_eq!(
            next_step(&v, today(), Lang::En)[1],
            "Next follow-up: 30 Nov"
        );
        // A follow-up already past is not announced as the next one.
        v.follow_up = NaiveDate::from_ymd_opt(2026, 11, 19);
        assert_eq!(next_step(&v, today(), zh).len(), 1);
        v.status = CaseStatus::Waiting;
        v.referral = Some(Referral::Arbitration);
        assert_eq!(
            next_step(&v, today(), zh)[0],
            "已转到劳动人事争议仲裁委员会，请留意对方的通知。"
        );
        v.referral = Some(Referral::Other);
        assert!(next_step(&v, today(), zh)[0].contains("其他机构"));
    }

    #[test]
    fn concluded_cases_say_how_they_ended() {
        let mut v = view(CaseStatus::Resolved);
        v.outcome = Some(Outcome::Recovered);
        v.follow_up = NaiveDate::from_ymd_opt(2026, 12, 1);
        assert_eq!(
            next_step(&v, today(), Lang::ZhCn),
            ["已解决：款项已经追回。"]
        );
        let mut v = view(CaseStatus::Closed);
        v.close_reason = Some(CloseReason::Unreachable);
        assert!(next_step(&v, today(), Lang::En)[0].contains("could not reach you"));
        v.close_reason = None;
        assert_eq!(next_step(&v, today(), Lang::ZhCn), ["案件已关闭。"]);
    }

    #[test]
    fn days_and_handlers() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        assert_eq!(day(d, today(), Lang::ZhCn), "2027年1月5日");
        assert_eq!(day(d, today(), Lang::En), "5 Jan 2027");
        let mut v = view(CaseStatus::New);
        assert_eq!(handler(&v, Lang::ZhCn), "王老师");
        assert_eq!(handler(&v, Lang::En), "王 (handler)");
        v.handler_initial = None;
        assert_eq!(handler(&v, Lang::ZhCn), "正在安排");
    }
}
