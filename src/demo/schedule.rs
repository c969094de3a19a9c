//! Counsellors and volunteer lawyers, their availability, and a month of
//! sessions around today.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Weekday};
use rand::Rng;

use super::data::one;
use super::{DAY_MS, Gen, HOUR, Worker, time};
use crate::domain::ValidationError;
use crate::domain::ids::{AppointmentId, CounsellorId, ExceptionId, PersonId, RuleId, StaffId};
use crate::domain::schedule::{
    AppointmentStatus, AvailabilityException, AvailabilityRule, CounsellorKind, ExceptionKind,
    Recurrence, Slot, WeeksOfMonth, slots_on,
};
use crate::domain::staff::Role;
use crate::store::{Result, Store, StoreError, Writer};

impl Gen {
    /// Two psychological counsellors and two volunteer lawyers with their
    /// availability, one day off and one extra period, and sessions from two
    /// weeks before today to two weeks after. Returns (counsellors,
    /// appointments).
    pub(super) fn schedule(
        &mut self,
        store: &mut Store,
        people: &[Worker],
        staff: &[(StaffId, Role)],
    ) -> Result<(u32, u32)> {
        let actor = staff
            .iter()
            .find(|(_, r)| *r == Role::Counsellor)
            .or_else(|| staff.first())
            .map(|(id, _)| *id);
        let base = self.local_ms(self.day(-200), 10 * HOUR);
        let valid_from = self.day(-180);
        let mut w = store.begin(actor)?;
        let monthly = |d: Weekday, weeks: &[u8]| -> Result<Recurrence> {
            Ok(Recurrence::Monthly(d, WeeksOfMonth::new(weeks)?))
        };
        let specs: [(CounsellorKind, Vec<Period>); 4] = [
            (
                CounsellorKind::Psychological,
                vec![(Recurrence::Weekly(Weekday::Tue), hm(14, 0), hm(17, 0), 60)],
            ),
            (
                CounsellorKind::Psychological,
                vec![
                    (Recurrence::Weekly(Weekday::Sat), hm(9, 0), hm(12, 0), 45),
                    (Recurrence::Weekly(Weekday::Thu), hm(19, 0), hm(21, 0), 60),
                ],
            ),
            (
                CounsellorKind::Legal,
                vec![(monthly(Weekday::Thu, &[2, 4])?, hm(9, 0), hm(12, 0), 60)],
            ),
            (
                CounsellorKind::Legal,
                vec![
                    (monthly(Weekday::Fri, &[6])?, hm(14, 0), hm(17, 0), 30),
                    (monthly(Weekday::Wed, &[1])?, hm(19, 0), hm(21, 0), 60),
                ],
            ),
        ];
        let mut all: Vec<Desk> = Vec::new();
        for (i, (kind, rules)) in specs.into_iter().enumerate() {
            let name = self.any_name();
            let cid = CounsellorId(self.uuid_at(base + i as i64 * 600_000));
            w.add_counsellor_with_id(cid, &name, kind)?;
            let mut made = Vec::new();
            for (j, (recurrence, start, end, slot_minutes)) in rules.into_iter().enumerate() {
                let rule = AvailabilityRule {
                    id: RuleId(self.uuid_at(base + i as i64 * 600_000 + 1000 + j as i64)),
                    counsellor: cid,
                    recurrence,
                    start,
                    end,
                    slot_minutes,
                    valid_from,
                    valid_until: None,
                };
                w.add_rule(&rule)?;
                made.push(rule);
            }
            all.push(Desk {
                id: cid,
                kind,
                rules: made,
                exceptions: Vec::new(),
            });
        }
        // A day off for the first counsellor on their next Tuesday, and an
        // extra Saturday morning for the first lawyer.
        let next = |wd: Weekday| {
            (1..=7)
                .map(|d| self.today + Duration::days(d))
                .find(|d| d.weekday() == wd)
                .unwrap_or(self.today)
        };
        let extras = [
            (0usize, next(Weekday::Tue), ExceptionKind::Unavailable(None)),
            (
                2usize,
                next(Weekday::Sat),
                ExceptionKind::Extra(hm(9, 0), hm(11, 0), 60),
            ),
        ];
        for (who, date, kind) in extras {
            let e = AvailabilityException {
                id: ExceptionId(self.uuid_at(self.now_ms - DAY_MS * 3 + who as i64)),
                counsellor: all[who].id,
                date,
                kind,
            };
            w.add_exception(&e)?;
            all[who].exceptions.push(e);
        }

        let avail = people.partition_point(|p| p.day < -14);
        let mut appointments = 0u32;
        if avail > 0 {
            for desk in &all {
                for d in -14..=14i64 {
                    let date = self.day(d);
                    for slot in slots_on(&desk.rules, &desk.exceptions, date) {
                        if !self.rng.random_bool(0.5) {
                            continue;
                        }
                        let who = people[self.rng.random_range(0..avail)].id;
                        // A person already in another session at that time
                        // is not booked again (the store refuses it).
                        let Some((status, rebook)) =
                            busy(self.session(&mut w, desk, date, slot, who, true))?
                        else {
                            continue;
                        };
                        appointments += 1;
                        if status == AppointmentStatus::Cancelled && rebook {
                            let who = people[self.rng.random_range(0..avail)].id;
                            if busy(self.session(&mut w, desk, date, slot, who, false))?.is_some() {
                                appointments += 1;
                            }
                        }
                    }
                }
            }
        }
        w.commit()?;
        Ok((all.len() as u32, appointments))
    }

    /// Books one session and moves it along as far as time allows. Returns
    /// its status and whether a cancelled slot should be offered to someone
    /// else.
    fn session(
        &mut self,
        w: &mut Writer<'_>,
        desk: &Desk,
        date: NaiveDate,
        slot: Slot,
        person: PersonId,
        may_cancel: bool,
    ) -> Result<(AppointmentStatus, bool)> {
        let start_ms = self.local_ms(date, slot.start.num_seconds_from_midnight());
        let end_ms = self.local_ms(date, slot.end.num_seconds_from_midnight());
        let booked = (start_ms - self.rng.random_range(1..=10) * DAY_MS
            + self.rng.random_range(-3 * 3_600_000..3 * 3_600_000))
        .min(self.now_ms - self.rng.random_range(600_000..=4 * 3_600_000));
        let id = AppointmentId(self.uuid_at(booked));
        w.book_with_id(id, desk.id, person, date, slot, time(booked))?;
        use AppointmentStatus::{Arrived, Booked, Cancelled, Done, NoShow};
        let past = end_ms <= self.now_ms;
        let current = start_ms <= self.now_ms && !past;
        let roll = self.rng.random_range(0..100);
        let path: &[AppointmentStatus] = if past {
            self.past_sessions += 1;
            match self.past_sessions % 10 {
                2 | 6 => &[NoShow],
                // A no-show who turned up late after all.
                9 if roll < 30 => &[NoShow, Arrived, Done],
                4 if may_cancel => &[Cancelled],
                _ => &[Arrived, Done],
            }
        } else if current {
            &[Arrived]
        } else if may_cancel && roll < 6 {
            &[Cancelled]
        } else {
            &[]
        };
        for &to in path {
            w.set_appointment_status(id, to)?;
        }
        let status = path.last().copied().unwrap_or(Booked);
        if status == Done {
            let notes = match desk.kind {
                CounsellorKind::Psychological => one(
                    &mut self.rng,
                    &[
                        "来访者反映长期睡眠不好、工作压力大，进行放松训练，建议两周后复访",
                        "情绪较上次稳定，讨论与家人沟通的方式",
                        "因差评与顾客冲突后自责，做认知调整练习",
                    ],
                ),
                CounsellorKind::Legal => one(
                    &mut self.rng,
                    &[
                        "解答欠薪维权途径，建议保留考勤和转账记录后申请劳动仲裁",
                        "审阅劳动合同，指出违约金条款无效",
                        "说明工伤认定流程及所需材料",
                    ],
                ),
            };
            w.set_appointment_notes(id, notes)?;
            if self.rng.random_bool(0.4) {
                w.set_appointment_follow_up(id, Some(date + Duration::days(14)))?;
            }
        }
        Ok((status, status == Cancelled && self.rng.random_bool(0.4)))
    }
}

/// `None` when the person was refused for being in another session at that
/// time; other errors stay errors.
fn busy<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::Invalid(ValidationError::PersonDoubleBooked { .. })) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A recurring period: when, from, to, slot minutes.
type Period = (Recurrence, NaiveTime, NaiveTime, u32);

/// A counsellor with their availability, as generated.
struct Desk {
    id: CounsellorId,
    kind: CounsellorKind,
    rules: Vec<AvailabilityRule>,
    exceptions: Vec<AvailabilityException>,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}
