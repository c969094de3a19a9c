//! A year of visits: busier days and hours, regulars, and the few visitors
//! still here now.

use chrono::{Datelike, Weekday};
use rand::Rng;

use super::data::{Table, normal};
use super::{CLOSE, Gen, HOUR, NOW, OPEN, PROGRESS_EVERY, VISIT_BATCH, WINDOW, Worker, time};
use crate::domain::ids::{StaffId, StationId, VisitId};
use crate::domain::staff::Role;
use crate::domain::visit::{Service, Services, Visit};
use crate::store::{Result, Store};

impl Gen {
    /// Relative weight of a day: busier towards today, in summer heat and
    /// winter cold, quieter at Spring Festival and on Sundays.
    fn day_weight(&self, rel: i64) -> f64 {
        let date = self.day(rel);
        let trend = 0.55 + 0.45 * (rel + WINDOW - 1) as f64 / (WINDOW - 1) as f64;
        let season = match date.month() {
            7 | 8 => 1.35,
            6 | 9 => 1.15,
            12 | 1 => 1.2,
            2 => 0.7,
            _ => 1.0,
        };
        let weekday = match date.weekday() {
            Weekday::Sun => 0.85,
            Weekday::Sat => 0.95,
            _ => 1.0,
        };
        let part = if rel == 0 {
            f64::from(NOW - OPEN) / f64::from(CLOSE - OPEN)
        } else {
            1.0
        };
        trend * season * weekday * part
    }

    /// How many of `n` records fall on each day of the window (index 0 is
    /// the first day, the last is today), by largest remainder.
    pub(super) fn day_counts(&self, n: u32) -> Vec<u32> {
        let weights: Vec<f64> = (0..WINDOW)
            .map(|k| self.day_weight(k - WINDOW + 1))
            .collect();
        let total: f64 = weights.iter().sum();
        let exact: Vec<f64> = weights.iter().map(|w| f64::from(n) * w / total).collect();
        let mut counts: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
        let given: u32 = counts.iter().sum();
        let mut order: Vec<usize> = (0..counts.len()).collect();
        order.sort_by(|&a, &b| {
            let fa = exact[a] - exact[a].floor();
            let fb = exact[b] - exact[b].floor();
            fb.total_cmp(&fa).then(a.cmp(&b))
        });
        for &k in order.iter().take(n.saturating_sub(given) as usize) {
            counts[k] += 1;
        }
        counts
    }

    /// A second of the day with the lunch and evening peaks, before `limit`.
    fn arrival_secs(&mut self, limit: u32) -> u32 {
        for _ in 0..8 {
            let x = match self.rng.random_range(0..100) {
                0..40 => f64::from(self.rng.random_range(OPEN..CLOSE)),
                40..75 => 12.25 * 3600.0 + normal(&mut self.rng) * 2400.0,
                _ => 18.5 * 3600.0 + normal(&mut self.rng) * 3000.0,
            };
            if x >= f64::from(OPEN) && x < f64::from(limit) {
                return x as u32;
            }
        }
        self.rng.random_range(OPEN..limit.max(OPEN + 1))
    }

    /// A registered person for a visit: regulars (the earliest registered)
    /// come often.
    fn regular(&mut self, avail: usize) -> usize {
        let i = if self.rng.random_bool(0.6) {
            (avail as f64 * self.rng.random::<f64>().powf(2.2)) as usize
        } else {
            self.rng.random_range(0..avail)
        };
        i.min(avail - 1)
    }

    fn services(&mut self, secs: u32, month: u32, health_day: bool) -> Services {
        let r = &mut self.rng;
        let mut s = Services::EMPTY;
        let meal = (11 * HOUR..=13 * HOUR + 1800).contains(&secs)
            || (17 * HOUR + 1800..=19 * HOUR + 1800).contains(&secs);
        let summer = (6..=9).contains(&month);
        let odds = [
            (Service::Rest, 0.72),
            (Service::Water, 0.78),
            (Service::Charging, 0.45),
            (Service::MealHeating, if meal { 0.5 } else { 0.06 }),
            (Service::Restroom, 0.3),
            (Service::FirstAid, if summer { 0.03 } else { 0.01 }),
            (Service::HealthCheck, if health_day { 0.35 } else { 0.005 }),
            (Service::LegalConsultation, 0.01),
            (Service::Counselling, 0.005),
            (Service::UnionEnrolment, 0.008),
            (Service::MutualAid, 0.006),
        ];
        for (service, p) in odds {
            if r.random_bool(p) {
                s.insert(service);
            }
        }
        if s.is_empty() {
            s.insert(Service::Rest);
        }
        s
    }

    pub(super) fn visits(
        &mut self,
        store: &mut Store,
        station: StationId,
        people: &[Worker],
        n: u32,
        staff: &[(StaffId, Role)],
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<u32> {
        let counts = self.day_counts(n);
        let present_target = if people.is_empty() {
            0
        } else {
            4 + (n / 100_000).min(8)
        };
        let headcounts = Table::new(&[(1u32, 60), (2, 22), (3, 10), (4, 5), (5, 3)]);
        let tally_services: Services = [Service::Rest, Service::Water].into_iter().collect();
        let mut arrivals: Vec<(u32, bool)> = Vec::new();
        let mut avail = 0usize;
        let mut done = 0u32;
        let mut in_batch = 0u32;
        progress("visits", 0, u64::from(n));
        let actor = self.actor(staff, true);
        let mut w = store.begin(actor)?;
        for (k, &count) in counts.iter().enumerate() {
            let rel = k as i64 - WINDOW + 1;
            let date = self.day(rel);
            while avail < people.len() && i64::from(people[avail].day) < rel {
                avail += 1;
            }
            let is_today = rel == 0;
            let limit = if is_today { NOW } else { CLOSE };
            let forced = if is_today && avail > 0 {
                count.min(present_target)
            } else {
                0
            };
            arrivals.clear();
            for j in 0..count {
                if j < forced {
                    arrivals.push((self.rng.random_range(NOW - 2 * HOUR + 60..NOW - 180), true));
                } else {
                    let s = self.arrival_secs(limit);
                    arrivals.push((s, false));
                }
            }
            arrivals.sort_unstable();
            let day_start = self.local_ms(date, 0);
            let close_ms = day_start + i64::from(CLOSE) * 1000;
            let health_day = date.day() == 15;
            for &(secs, present) in &arrivals {
                let arrived = day_start + i64::from(secs) * 1000 + self.rng.random_range(0..1000);
                let id = VisitId(self.uuid_at(arrived));
                let named = avail > 0 && (present || self.rng.random_bool(0.75));
                let v = if named {
                    let p = people[self.regular(avail)];
                    let services = self.services(secs, date.month(), health_day);
                    let minutes = if services.contains(Service::MealHeating) {
                        self.rng.random_range(20..=60)
                    } else {
                        10 + (80.0 * self.rng.random::<f64>().powf(1.6)) as i64
                    };
                    let mut left = (arrived + minutes * 60_000 + self.rng.random_range(0..60_000))
                        .min(close_ms.max(arrived));
                    if is_today && left > self.now_ms {
                        left = arrived + self.rng.random_range(0..=(self.now_ms - arrived).max(0));
                    }
                    Visit {
                        id,
                        station,
                        person: Some(p.id),
                        headcount: 1,
                        trade: p.trade,
                        services,
                        arrived_at: time(arrived),
                        left_at: if present { None } else { Some(time(left)) },
                    }
                } else {
                    // As Visit::tally, with an id of our own.
                    Visit {
                        id,
                        station,
                        person: None,
                        headcount: headcounts.pick(&mut self.rng),
                        trade: self.trades.pick(&mut self.rng),
                        services: tally_services,
                        arrived_at: time(arrived),
                        left_at: Some(time(arrived)),
                    }
                };
                w.record_visit(&v)?;
                done += 1;
                in_batch += 1;
                if in_batch >= VISIT_BATCH {
                    w.commit()?;
                    let actor = self.actor(staff, true);
                    w = store.begin(actor)?;
                    in_batch = 0;
                }
                if done.is_multiple_of(PROGRESS_EVERY) && done < n {
                    progress("visits", u64::from(done), u64::from(n));
                }
            }
        }
        w.commit()?;
        progress("visits", u64::from(done), u64::from(n));
        Ok(done)
    }
}
