//! Statutory time limits that staff rely on (the one-year limit for
//! applying to labour arbitration, the mediation period, the award's due
//! date …), shown as dates on a case with a warning as they near. The rules
//! are data, each with its source: `rules/time_limits.toml`, read here.
//! What a case's dates are is worked out from facts the store gives
//! ([`Facts`]); nothing here reads a database.

use chrono::{Days, Months, NaiveDate};
use serde::Deserialize;

use super::case::{CaseType, Referral};
use super::handoff::HandoffStatus;
use crate::i18n::Lang;

/// The rules as shipped.
const BUILTIN: &str = include_str!("../../rules/time_limits.toml");

/// What a limit runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The day the worker knew (or should have known) of the infringement,
    /// as typed on the case.
    Infringed,
    /// The day the case was opened.
    Opened,
    /// The day a referral to a body of this kind was sent, accepted or
    /// done; the limit matters while the referral stands at that step.
    Step(Stage, Referral),
}

/// A step of a referral a limit may run from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Sent,
    Accepted,
    Done,
}

impl Stage {
    /// Whether a referral at `status` stands at this stage.
    fn holds(self, status: HandoffStatus) -> bool {
        match self {
            Stage::Sent => status == HandoffStatus::Sent,
            Stage::Accepted => {
                matches!(status, HandoffStatus::Accepted | HandoffStatus::InProgress)
            }
            Stage::Done => status == HandoffStatus::Done,
        }
    }
}

/// A period, counted as the Civil Code counts it (arts. 201–202): the
/// first day is not counted; months and years end on the same date of the
/// last month, or on that month's last day when it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Months(u32),
}

impl Period {
    /// The last day of the period that starts on `from`.
    pub fn last_day(self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Days(n) => from.checked_add_days(Days::new(u64::from(n))),
            Period::Months(n) => from.checked_add_months(Months::new(n)),
        }
    }
}

/// One limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    pub id: String,
    /// Empty: every case type.
    pub case_types: Vec<CaseType>,
    pub from: Anchor,
    /// The limit no longer matters once this happened (the arbitration
    /// application limit, once the application was sent).
    pub until: Option<Anchor>,
    pub period: Period,
    pub warn_days: u32,
    name: [String; 2],
    source: [String; 2],
}

impl Limit {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name[0], &self.name[1])
    }

    /// The law it comes from, in words.
    pub fn source(&self, lang: Lang) -> &str {
        lang.pick(&self.source[0], &self.source[1])
    }

    fn applies_to(&self, t: CaseType) -> bool {
        self.case_types.is_empty() || self.case_types.contains(&t)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    limit: Vec<RawLimit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimit {
    id: String,
    case_types: Vec<String>,
    from: String,
    until: Option<String>,
    days: Option<u32>,
    months: Option<u32>,
    years: Option<u32>,
    warn_days: u32,
    name_zh: String,
    name_en: String,
    source_zh: String,
    source_en: String,
}

/// A rules file that cannot be read, naming the limit and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("time limits: {0}")]
pub struct RulesError(pub String);

fn anchor(s: &str) -> Result<Anchor, String> {
    match s {
        "infringed" => Ok(Anchor::Infringed),
        "opened" => Ok(Anchor::Opened),
        _ => {
            let (stage, target) = s.split_once(':').ok_or_else(|| format!("from “{s}”"))?;
            let stage = match stage {
                "sent" => Stage::Sent,
                "accepted" => Stage::Accepted,
                "done" => Stage::Done,
                _ => return Err(format!("step “{stage}”")),
            };
            let target = Referral::from_code(target).ok_or_else(|| format!("body “{target}”"))?;
            Ok(Anchor::Step(stage, target))
        }
    }
}

/// Reads a rules file.
pub fn parse(text: &str) -> Result<Vec<Limit>, RulesError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| RulesError(e.to_string()))?;
    let mut out = Vec::with_capacity(raw.limit.len());
    for r in raw.limit {
        let bad = |what: String| RulesError(format!("{}: {what}", r.id));
        let period = match (r.days, r.months, r.years) {
            (Some(d), None, None) if d > 0 => Period::Days(d),
            (None, Some(m), None) if m > 0 => Period::Months(m),
            (None, None, Some(y)) if y > 0 => Period::Months(y.saturating_mul(12)),
            _ => return Err(bad("one period of days, months or years".into())),
        };
        let case_types = r
            .case_types
            .iter()
            .map(|c| CaseType::from_code(c).ok_or_else(|| bad(format!("case type “{c}”"))))
            .collect::<Result<_, _>>()?;
        if out.iter().any(|l: &Limit| l.id == r.id) {
            return Err(bad("given twice".into()));
        }
        out.push(Limit {
            from: anchor(&r.from).map_err(bad)?,
            until: r.until.as_deref().map(anchor).transpose().map_err(bad)?,
            id: r.id.clone(),
            case_types,
            period,
            warn_days: r.warn_days,
            name: [r.name_zh, r.name_en],
            source: [r.source_zh, r.source_en],
        });
    }
    Ok(out)
}

/// The rules as shipped, read once.
pub fn builtin() -> Result<&'static [Limit], RulesError> {
    static RULES: std::sync::OnceLock<Result<Vec<Limit>, RulesError>> = std::sync::OnceLock::new();
    RULES
        .get_or_init(|| parse(BUILTIN))
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// What a case's dates are worked out from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub case_type: CaseType,
    /// Concluded cases warn of nothing.
    pub open: bool,
    pub opened: NaiveDate,
    pub infringed: Option<NaiveDate>,
    /// Each referral: the kind of body, where it stands, when it was sent,
    /// accepted and concluded.
    pub referrals: Vec<ReferralFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralFacts {
    pub target: Referral,
    pub status: HandoffStatus,
    pub sent_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
}

/// How near a limit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nearness {
    /// More than its warning days away.
    Ahead,
    /// Within its warning days: this many days left (0: today is the last).
    Near(i64),
    /// Its last day has passed.
    Passed,
}

/// One limit's date on a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Due<'a> {
    pub limit: &'a Limit,
    pub from: NaiveDate,
    pub last_day: NaiveDate,
    pub nearness: Nearness,
}

impl Facts {
    /// The day an anchor happened, if it has and (for a referral step) the
    /// referral still stands there; `standing` false: whenever it happened.
    fn day(&self, a: Anchor, standing: bool) -> Option<NaiveDate> {
        match a {
            Anchor::Infringed => self.infringed,
            Anchor::Opened => Some(self.opened),
            Anchor::Step(stage, target) => self
                .referrals
                .iter()
                .filter(|r| r.target == target && (!standing || stage.holds(r.status)))
                .filter_map(|r| match stage {
                    Stage::Sent => Some(r.sent_on),
                    Stage::Accepted => r.accepted_on,
                    Stage::Done => (r.status == HandoffStatus::Done)
                        .then_some(r.concluded_on)
                        .flatten(),
                })
                .max(),
        }
    }
}

/// The dates of `rules` that matter to a case on `today`, soonest first.
pub fn dues<'a>(rules: &'a [Limit], f: &Facts, today: NaiveDate) -> Vec<Due<'a>> {
    if !f.open {
        return Vec::new();
    }
    let mut out: Vec<Due<'a>> = rules
        .iter()
        .filter(|l| l.applies_to(f.case_type))
        .filter(|l| l.until.is_none_or(|u| f.day(u, false).is_none()))
        .filter_map(|l| {
            let from = f.day(l.from, true)?;
            let last_day = l.period.last_day(from)?;
            let left = (last_day - today).num_days();
            let nearness = if left < 0 {
                Nearness::Passed
            } else if left <= i64::from(l.warn_days) {
                Nearness::Near(left)
            } else {
                Nearness::Ahead
            };
            Some(Due {
                limit: l,
                from,
                last_day,
                nearness,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.last_day, &a.limit.id).cmp(&(b.last_day, &b.limit.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn facts(t: CaseType) -> Facts {
        Facts {
            case_type: t,
            open: true,
            opened: day(2026, 12, 1),
            infringed: None,
            referrals: Vec::new(),
        }
    }

    #[test]
    fn the_shipped_rules_read_and_name_their_sources() {
        let rules = builtin().unwrap();
        assert!(rules.len() >= 6);
        for l in rules {
            assert!(l.source(Lang::ZhCn).contains('《'), "{}", l.id);
            assert!(!l.source(Lang::En).is_empty() && !l.name(Lang::En).is_empty());
        }
    }

    #[test]
    fn periods_count_as_the_civil_code_does() {
        // The first day is not counted: 15 days from 1 December end on
        // the 16th.
        assert_eq!(
            Period::Days(15).last_day(day(2026, 12, 1)),
            Some(day(2026, 12, 16))
        );
        // A year from 29 February ends on 28 February (no such day).
        assert_eq!(
            Period::Months(12).last_day(day(2024, 2, 29)),
            Some(day(2025, 2, 28))
        );
        assert_eq!(
            Period::Months(1).last_day(day(2026, 1, 31)),
            Some(day(2026, 2, 28))
        );
        assert_eq!(
            Period::Months(12).last_day(day(2026, 3, 5)),
            Some(day(2027, 3, 5))
        );
    }

    #[test]
    fn a_wage_case_warns_as_the_arbitration_limit_nears() {
        let rules = builtin().unwrap();
        let mut f = facts(CaseType::WageArrears);
        assert!(
            dues(rules, &f, day(2026, 12, 7)).is_empty(),
            "no day typed yet"
        );
        f.infringed = Some(day(2026, 1, 10));
        let d = dues(rules, &f, day(2026, 12, 7));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].limit.id, "arbitration_application");
        assert_eq!(d[0].last_day, day(2027, 1, 10));
        assert_eq!(d[0].nearness, Nearness::Ahead);
        assert_eq!(
            dues(rules, &f, day(2026, 12, 20))[0].nearness,
            Nearness::Near(21)
        );
        assert_eq!(
            dues(rules, &f, day(2027, 1, 10))[0].nearness,
            Nearness::Near(0)
        );
        assert_eq!(
            dues(rules, &f, day(2027, 1, 11))[0].nearness,
            Nearness::Passed
        );
        // Applied for arbitration: that limit is met; the commission's five
        // days to accept run instead.
        f.referrals.push(ReferralFacts {
            target: Referral::Arbitration,
            status: HandoffStatus::Sent,
            sent_on: day(2026, 12, 7),
            accepted_on: None,
            concluded_on: None,
        });
        let d = dues(rules, &f, day(2026, 12, 8));
        let ids: Vec<&str> = d.iter().map(|d| d.limit.id.as_str()).collect();
        assert_eq!(ids, ["arbitration_acceptance"]);
        assert_eq!(d[0].last_day, day(2026, 12, 12));
        // Accepted: the award is due in 45 days.
        f.referrals[0].status = HandoffStatus::Accepted;
        f.referrals[0].accepted_on = Some(day(2026, 12, 10));
        let d = dues(rules, &f, day(2026, 12, 11));
        assert_eq!(d[0].limit.id, "arbitration_award");
        assert_eq!(d[0].last_day, day(2027, 1, 24));
        // A concluded case warns of nothing.
        f.open = false;
        assert!(dues(rules, &f, day(2026, 12, 11)).is_empty());
    }

    #[test]
    fn mediation_runs_from_the_opening() {
        let rules = builtin().unwrap();
        let d = dues(rules, &facts(CaseType::LabourDispute), day(2026, 12, 14));
        assert_eq!(d[0].limit.id, "mediation_period");
        assert_eq!(d[0].last_day, day(2026, 12, 16));
        assert_eq!(d[0].nearness, Nearness::Near(2));
        assert!(dues(rules, &facts(CaseType::Hardship), day(2026, 12, 14)).is_empty());
    }

    #[test]
    fn a_bad_rules_file_names_what_is_wrong() {
        let one = |body: &str| {
            parse(&format!(
                "[[limit]]\nid = \"x\"\ncase_types = []\nwarn_days = 1\nname_zh = \"a\"\nname_en = \"a\"\nsource_zh = \"s\"\nsource_en = \"s\"\n{body}"
            ))
        };
        assert!(one("from = \"opened\"\ndays = 5").is_ok());
        assert!(one("from = \"opened\"").unwrap_err().0.contains("period"));
        assert!(one("from = \"opened\"\ndays = 5\nyears = 1").is_err());
        assert!(
            one("from = \"sent:nowhere\"\ndays = 5")
                .unwrap_err()
                .0
                .contains("nowhere")
        );
        assert!(one("from = \"later\"\ndays = 5").is_err());
        assert!(one("from = \"opened\"\ndays = 5\nextra = 1").is_err());
    }
}
