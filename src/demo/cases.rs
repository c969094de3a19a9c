//! Cases: who claims against whom for how much, opened over the year and
//! taken along their workflow up to now.

use chrono::Duration;
use rand::Rng;

use super::data::{CASE_TYPES, REFERRALS, Table, one};
use super::texts::unpaid;
use super::{CASE_BATCH, DAY_MS, Gen, HOUR, NOW, PROGRESS_EVERY, WINDOW, Worker, time};
use crate::domain::Fen;
use crate::domain::case::{CaseStatus, CaseType, HardshipKind};
use crate::domain::ids::{CaseId, StaffId};
use crate::domain::person::Trade;
use crate::domain::staff::Role;
use crate::store::{NewCase, StatusChange};
use crate::store::{Result, Store, Writer};

impl Gen {
    pub(super) fn cases(
        &mut self,
        store: &mut Store,
        people: &[Worker],
        n: u32,
        staff: &[(StaffId, Role)],
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<u32> {
        if people.is_empty() || n == 0 {
            return Ok(0);
        }
        // Opening times, oldest first, so case numbers follow them.
        let mut opened: Vec<i64> = Vec::with_capacity(n as usize);
        for (k, &count) in self.day_counts(n).iter().enumerate() {
            let rel = k as i64 - WINDOW + 1;
            let date = self.day(rel);
            let limit = if rel == 0 { NOW } else { 20 * HOUR };
            for _ in 0..count {
                let secs = self.rng.random_range(8 * HOUR + 1800..limit);
                opened.push(self.local_ms(date, secs) + self.rng.random_range(0..1000));
            }
        }
        opened.sort_unstable();
        let mut by_trade: Vec<Vec<u32>> = vec![Vec::new(); Trade::ALL.len()];
        for (i, p) in people.iter().enumerate() {
            by_trade[trade_index(p.trade)].push(i as u32);
        }
        let handlers: Vec<(StaffId, Role)> = staff
            .iter()
            .copied()
            .filter(|(_, r)| *r != Role::Volunteer)
            .collect();
        let cx = CaseCx {
            people,
            by_trade: &by_trade,
            handlers: &handlers,
        };
        progress("cases", 0, u64::from(n));
        let mut done = 0u32;
        for chunk in opened.chunks(CASE_BATCH as usize) {
            let actor = self.actor(staff, false);
            let mut w = store.begin(actor)?;
            for &at in chunk {
                self.case(&mut w, &cx, at)?;
                done += 1;
                if done.is_multiple_of(PROGRESS_EVERY / 10) && done < n {
                    progress("cases", u64::from(done), u64::from(n));
                }
            }
            w.commit()?;
        }
        progress("cases", u64::from(done), u64::from(n));
        Ok(done)
    }

    /// `k` distinct entries of `pool` (all of them if it has no more).
    fn pick_distinct(&mut self, pool: &[u32], k: usize) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::with_capacity(k);
        if pool.len() <= k {
            out.extend_from_slice(pool);
            return out;
        }
        while out.len() < k {
            let c = one(&mut self.rng, pool);
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// Opens one case at `at` and takes it along its workflow up to now.
    /// Claimants are people registered before that day (anyone, if nobody
    /// was yet).
    fn case(&mut self, w: &mut Writer<'_>, cx: &CaseCx<'_>, at: i64) -> Result<()> {
        let open_day = (at - self.local_ms(self.today, 0)).div_euclid(DAY_MS);
        let avail = cx.people.partition_point(|p| i64::from(p.day) < open_day);
        let avail = if avail == 0 { cx.people.len() } else { avail };
        let case_type = Table::new(CASE_TYPES).pick(&mut self.rng);
        let group = case_type == CaseType::WageArrears && avail >= 7 && self.rng.random_bool(0.35);

        // Claimants.
        let group_trade = match self.rng.random_range(0..100) {
            0..60 => Trade::Construction,
            60..85 => Trade::FoodDelivery,
            85..93 => Trade::Sanitation,
            _ => Trade::Security,
        };
        let claimants: Vec<u32> = if group {
            let want = self.rng.random_range(7..=30usize);
            let pool = &cx.by_trade[trade_index(group_trade)];
            let pool = &pool[..pool.partition_point(|&i| (i as usize) < avail)];
            if pool.len() >= 7 {
                self.pick_distinct(pool, want)
            } else {
                let all: Vec<u32> = (0..avail as u32).collect();
                self.pick_distinct(&all, want)
            }
        } else {
            vec![self.rng.random_range(0..avail) as u32]
        };
        let first_trade = claimants
            .first()
            .map_or(Trade::Other, |&i| cx.people[i as usize].trade);
        let n_claimants = claimants.len();

        // Respondent and amounts.
        let respondent = match case_type {
            CaseType::WageArrears if group => Some(self.group_respondent(group_trade)),
            CaseType::WageArrears | CaseType::LabourDispute | CaseType::WorkInjury => {
                Some(self.respondent(first_trade))
            }
            CaseType::LegalAid if self.rng.random_bool(0.5) => Some(self.respondent(first_trade)),
            _ => None,
        };
        // Wages owed: months unpaid times a monthly wage of the trade, less
        // for those who worked part of the time.
        let months = self.rng.random_range(1..=6i64);
        let monthly = match if group { group_trade } else { first_trade } {
            Trade::Construction => self.rng.random_range(7_000..=12_000),
            Trade::Sanitation => self.rng.random_range(3_500..=5_000),
            Trade::Security | Trade::Landscaping => self.rng.random_range(4_000..=6_000),
            _ => self.rng.random_range(6_000..=10_000),
        };
        let claimed = match case_type {
            CaseType::WageArrears if group => {
                let mut total = 0i64;
                for _ in 0..n_claimants {
                    let share = self.rng.random_range(60..=100);
                    total += self.wages(monthly * months * share / 100, 3_000, 60_000);
                }
                Fen(total)
            }
            CaseType::WageArrears => {
                let share = self.rng.random_range(30..=100);
                Fen(self.wages(monthly * months * share / 100, 800, 50_000))
            }
            CaseType::LabourDispute => Fen(self.amount(800, 50_000)),
            CaseType::WorkInjury => Fen(self.amount(10_000, 150_000)),
            CaseType::LegalAid if respondent.is_some() => Fen(self.amount(2_000, 50_000)),
            _ => Fen(0),
        };
        let hardship_kind = (case_type == CaseType::Hardship).then(|| {
            one(
                &mut self.rng,
                &[
                    HardshipKind::Material,
                    HardshipKind::Material,
                    HardshipKind::Medical,
                    HardshipKind::Medical,
                    HardshipKind::Education,
                    HardshipKind::Employment,
                    HardshipKind::Emotional,
                ],
            )
        });
        let opened_date = time(at).with_timezone(&self.tz).date_naive();
        let summary = self.summary(
            case_type,
            hardship_kind,
            respondent.as_deref(),
            n_claimants,
            first_trade,
            claimed,
            &unpaid(opened_date, months),
        );
        let handler = if !cx.handlers.is_empty() && self.rng.random_bool(0.6) {
            Some(self.handler(cx, case_type))
        } else {
            None
        };
        let id = CaseId(self.uuid_at(at));
        let new = NewCase {
            case_type,
            hardship_kind,
            claimants: claimants
                .iter()
                .map(|&i| cx.people[i as usize].id.into())
                .collect(),
            respondent: respondent.clone(),
            summary: Some(summary),
            claimed,
            handler,
            follow_up: Some(opened_date + Duration::days(self.rng.random_range(3..=7))),
            opened_at: time(at),
        };
        w.open_case_with_id(id, &new)?;

        // Where it stands now, by its age.
        let age = (self.today - opened_date).num_days();
        let plan = self.plan(age);
        let span = (self.now_ms - at).max(60_000);
        let mut notes_left = self.rng.random_range(1..=4u32);
        let resp = respondent.as_deref().unwrap_or("对方");
        let intake = self.intake_note(case_type, hardship_kind, resp, n_claimants);
        self.note(w, id, at + span / 50, &intake, &mut notes_left)?;
        if plan == Plan::New {
            return Ok(());
        }
        let close_early = plan == Plan::Closed && self.rng.random_bool(0.3);
        if !close_early {
            if handler.is_none() && !cx.handlers.is_empty() {
                let h = self.handler(cx, case_type);
                w.assign(id, Some(h))?;
            }
            w.set_status(
                id,
                StatusChange::To(CaseStatus::InProgress),
                time(at + span / 10),
            )?;
            let text = self.progress_note(case_type, resp);
            self.note(w, id, at + span / 8, &text, &mut notes_left)?;
        }
        let waits = match plan {
            Plan::Waiting => true,
            Plan::Resolved | Plan::Reopened => self.rng.random_bool(0.5),
            _ => false,
        };
        let mut referral = None;
        let mut handoff = None;
        if waits {
            if claimed.0 > 0 && self.rng.random_bool(0.6) {
                let r = Table::new(REFERRALS).pick(&mut self.rng);
                let sent_on = time(at + span / 4).with_timezone(&self.tz).date_naive();
                // A referral record: sent, and (for every other case that
                // waits) accepted with its answer due in a month.
                let h = crate::domain::handoff::NewHandoff {
                    kind: crate::domain::handoff::HandoffKind::Referral,
                    target: Some(r),
                    agency: None,
                    reference: None,
                    asked: Some(self.waiting_note(Some(r))),
                    sent_on,
                    due: None,
                };
                let hid = w.hand_off_with_id(
                    // Derived from the case's: the demo stays the same for
                    // a seed, and its other draws unchanged.
                    crate::domain::ids::HandoffId(uuid::Uuid::new_v5(&id.0, b"referral")),
                    id,
                    &h,
                    None,
                )?;
                if plan == Plan::Waiting && id.as_bytes()[15].is_multiple_of(2) {
                    let mut step = crate::store::Step::to(
                        crate::domain::handoff::HandoffStatus::Accepted,
                        sent_on,
                    );
                    step.due = sent_on.checked_add_days(chrono::Days::new(30));
                    w.handoff_step(hid, &step)?;
                }
                handoff = Some((hid, sent_on));
                referral = Some(r);
            }
            w.set_status(
                id,
                StatusChange::To(CaseStatus::Waiting),
                time(at + span / 4),
            )?;
            let text = self.waiting_note(referral);
            self.note(w, id, at + span / 3, &text, &mut notes_left)?;
        }
        let concluded = at + span * self.rng.random_range(40..=90) / 100;
        // Concluded cases end resolved or closed; a reopened one was one of
        // the two first.
        let resolved = match plan {
            Plan::Resolved => Some(true),
            Plan::Closed => Some(false),
            Plan::Reopened => Some(self.rng.random_bool(0.6)),
            _ => None,
        };
        match resolved {
            Some(true) => self.resolve(
                w,
                id,
                case_type,
                claimed,
                referral,
                concluded,
                &mut notes_left,
            )?,
            Some(false) => self.close(w, id, concluded, &mut notes_left)?,
            None => {}
        }
        // A referral of a concluded case ended with it.
        if let (Some((hid, sent_on)), Some(resolved)) = (handoff, resolved) {
            use crate::domain::handoff::{HandoffOutcome, HandoffStatus};
            let on = time(concluded)
                .with_timezone(&self.tz)
                .date_naive()
                .max(sent_on);
            let mut step = crate::store::Step::to(
                if resolved {
                    HandoffStatus::Done
                } else {
                    HandoffStatus::Withdrawn
                },
                on,
            );
            if resolved {
                step.outcome = Some(HandoffOutcome::Supported);
            } else {
                step.reason = Some("申请人撤回".to_owned());
            }
            w.handoff_step(hid, &step)?;
        }
        let reopen = plan == Plan::Reopened;
        if reopen {
            let again = concluded + (self.now_ms - concluded) / 2;
            w.set_status(id, StatusChange::To(CaseStatus::InProgress), time(again))?;
            let text = one(
                &mut self.rng,
                &[
                    "当事人反映对方未按调解协议履行付款，重新受理",
                    "当事人再次来站，称问题未得到解决，案件重新打开",
                    "用人单位承诺的第二期款项逾期未付，重新跟进",
                ],
            );
            self.note(w, id, again + 60_000, text, &mut notes_left)?;
        }

        // The next follow-up.
        let open_now = matches!(plan, Plan::InProgress | Plan::Waiting | Plan::Reopened);
        if open_now {
            let days = if self.rng.random_bool(0.35) {
                self.rng.random_range(-14..=-1)
            } else {
                self.rng.random_range(0..=21)
            };
            // Overdue, but never before the case was opened.
            let due = (self.today + Duration::days(days)).max(opened_date);
            w.set_follow_up(id, Some(due))?;
        } else if plan == Plan::Resolved && self.rng.random_bool(0.4) {
            let d = time(concluded).with_timezone(&self.tz).date_naive();
            w.set_follow_up(id, Some(d + Duration::days(30)))?;
        } else if plan != Plan::New {
            w.set_follow_up(id, None)?;
        }
        Ok(())
    }
}

fn trade_index(t: Trade) -> usize {
    Trade::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Plan {
    New,
    InProgress,
    Waiting,
    Resolved,
    Closed,
    Reopened,
}

pub(super) struct CaseCx<'a> {
    pub(super) people: &'a [Worker],
    pub(super) by_trade: &'a [Vec<u32>],
    pub(super) handlers: &'a [(StaffId, Role)],
}
