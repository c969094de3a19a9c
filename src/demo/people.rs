//! Staff and registered workers: names, mobiles, resident IDs, employers.

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::data::{
    BRANDS, BUILDERS, COURIERS, FOOD_PLATFORMS, HOME_SERVICE, PROVINCES, RIDE_HAIL, TRUCKING,
    Table, one,
};
use super::{CLOSE, Gen, HOUR, NOW, OPEN, PEOPLE_BATCH, PROGRESS_EVERY, WINDOW, Worker, time};
use crate::domain::ids::{PersonId, StaffId};
use crate::domain::person::{PersonDetails, Trade, parse_name};
use crate::domain::staff::Role;
use crate::domain::{Mobile, ResidentId};
use crate::store::{Result, Store};

/// The PIN of every generated staff member (README says so).
pub const DEMO_PIN: &str = "1234";

impl Gen {
    pub(super) fn staff(&mut self, store: &mut Store) -> Result<Vec<(StaffId, Role)>> {
        let mut roles = vec![Role::Admin, Role::Staff, Role::Counsellor, Role::Volunteer];
        for _ in 0..self.rng.random_range(0..=2) {
            roles.push(if self.rng.random_bool(0.5) {
                Role::Staff
            } else {
                Role::Volunteer
            });
        }
        let base = self.local_ms(self.day(-WINDOW - 30), 9 * HOUR);
        let mut w = store.begin(None)?;
        let mut out = Vec::with_capacity(roles.len());
        for (i, role) in roles.into_iter().enumerate() {
            let name = self.any_name();
            let id = StaffId(self.uuid_at(base + i as i64 * 60_000));
            w.add_staff_with_id(id, &name, role)?;
            // Salted with the id: the same seed gives the same records, and
            // the generator's random sequence is left as it was.
            let salt = *id.0.as_bytes();
            w.set_pin_hash(id, &crate::store::hash_pin_salted(DEMO_PIN, salt)?)?;
            out.push((id, role));
        }
        w.commit()?;
        Ok(out)
    }

    pub(super) fn people(
        &mut self,
        store: &mut Store,
        n: u32,
        staff: &[(StaffId, Role)],
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<Vec<Worker>> {
        let mut out = Vec::with_capacity(n as usize);
        progress("people", 0, u64::from(n));
        let mut i = 0;
        while i < n {
            let end = (i + PEOPLE_BATCH).min(n);
            let actor = self.actor(staff, true);
            let mut w = store.begin(actor)?;
            for k in i..end {
                let day = registration_day(k, n);
                let (details, created) = self.person(day)?;
                let id = PersonId(self.uuid_at(created));
                w.add_person_with_id(id, &details, time(created))?;
                out.push(Worker {
                    id,
                    trade: details.trade,
                    day,
                });
                if (k + 1) % PROGRESS_EVERY == 0 && k + 1 < end {
                    progress("people", u64::from(k + 1), u64::from(n));
                }
            }
            w.commit()?;
            i = end;
            progress("people", u64::from(i), u64::from(n));
        }
        Ok(out)
    }

    fn person(&mut self, day: i32) -> Result<(PersonDetails, i64)> {
        let date = self.day(i64::from(day));
        let latest = if day == 0 { NOW } else { CLOSE };
        let secs = self.rng.random_range(OPEN..latest);
        let created = self.local_ms(date, secs) + self.rng.random_range(0..1000);
        let trade = self.trades.pick(&mut self.rng);
        let p_female = match trade {
            Trade::HomeService => 0.9,
            Trade::Sanitation => 0.5,
            Trade::Landscaping => 0.4,
            Trade::Other => 0.3,
            Trade::Courier => 0.12,
            Trade::FoodDelivery | Trade::Construction => 0.1,
            Trade::RideHail => 0.06,
            Trade::Security => 0.05,
            Trade::Truck => 0.03,
        };
        let female = self.rng.random_bool(p_female);
        let name = parse_name(&self.name(female))?;
        let mobile = if self.rng.random_bool(0.7) {
            Some(self.mobile()?)
        } else {
            None
        };
        let resident_id = if self.rng.random_bool(0.25) {
            Some(self.resident_id(trade, female)?)
        } else {
            None
        };
        let employer = if self.rng.random_bool(0.9) {
            self.employer(trade)
        } else {
            None
        };
        let p_member = match trade {
            Trade::Sanitation | Trade::Security => 0.55,
            Trade::Construction | Trade::HomeService | Trade::Other => 0.18,
            _ => 0.28,
        };
        let union_member = self.rng.random_bool(p_member);
        let union_joined = if union_member && self.rng.random_bool(0.45) {
            let span = (-day).max(0);
            let joined = day + self.rng.random_range(0..=span);
            Some(self.day(i64::from(joined)))
        } else {
            None
        };
        Ok((
            PersonDetails {
                name,
                mobile,
                resident_id,
                trade,
                employer,
                union_member,
                union_joined,
            },
            created,
        ))
    }

    fn mobile(&mut self) -> Result<Mobile> {
        const SECOND: &[(u64, u32)] =
            &[(3, 25), (5, 22), (8, 25), (7, 10), (9, 10), (6, 4), (4, 4)];
        let second = Table::new(SECOND);
        loop {
            let n = 10_000_000_000
                + second.pick(&mut self.rng) * 1_000_000_000
                + self.rng.random_range(0..1_000_000_000);
            if self.mobiles.insert(n) {
                return Ok(Mobile::parse(&n.to_string())?);
            }
        }
    }

    /// A valid resident ID: home province, birth date by trade (sanitation
    /// and landscaping workers are older, riders younger) and the sex digit.
    fn resident_id(&mut self, trade: Trade, female: bool) -> Result<ResidentId> {
        let province = Table::new(PROVINCES).pick(&mut self.rng);
        let (from, to) = match trade {
            Trade::Sanitation | Trade::Landscaping => (1965, 1980),
            Trade::Construction | Trade::Truck | Trade::HomeService => (1966, 1995),
            Trade::FoodDelivery | Trade::Courier | Trade::RideHail => (1978, 2004),
            _ => (1965, 2004),
        };
        let start = NaiveDate::from_ymd_opt(from, 1, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(to, 12, 31).unwrap_or_default();
        let birth = start + Duration::days(self.rng.random_range(0..=(end - start).num_days()));
        let sex = 2 * self.rng.random_range(0..5) + u32::from(!female);
        let s = format!(
            "{province}{:02}{:02}{}{:02}{sex}",
            self.rng.random_range(1..=20),
            self.rng.random_range(1..=30),
            birth.format("%Y%m%d"),
            self.rng.random_range(0..100)
        );
        let mut first = [0u8; 17];
        for (d, b) in first.iter_mut().zip(s.bytes()) {
            *d = b;
        }
        let check = crate::domain::resident_id::check_char(&first);
        Ok(ResidentId::parse(&format!("{s}{check}"))?)
    }

    pub(super) fn company(&mut self, kinds: &[&str]) -> String {
        let brand = one(&mut self.rng, BRANDS);
        let kind = one(&mut self.rng, kinds);
        format!("{}{brand}{kind}", self.city)
    }

    fn employer(&mut self, trade: Trade) -> Option<String> {
        let r = &mut self.rng;
        let s = match trade {
            Trade::FoodDelivery => Table::new(FOOD_PLATFORMS).pick(r).to_owned(),
            Trade::Courier => Table::new(COURIERS).pick(r).to_owned(),
            Trade::RideHail => Table::new(RIDE_HAIL).pick(r).to_owned(),
            Trade::Truck => Table::new(TRUCKING).pick(r).to_owned(),
            Trade::HomeService => Table::new(HOME_SERVICE).pick(r).to_owned(),
            Trade::Sanitation => {
                if r.random_bool(0.6) {
                    format!("{}城市环境服务有限公司", self.city)
                } else {
                    format!("{}环卫所", one(r, self.areas))
                }
            }
            Trade::Construction => self.company(BUILDERS),
            Trade::Landscaping => {
                if r.random_bool(0.5) {
                    format!("{}园林绿化工程有限公司", self.city)
                } else {
                    format!("{}街道绿化队", one(r, self.areas))
                }
            }
            Trade::Security => self.company(&["保安服务有限公司", "物业管理有限公司"]),
            Trade::Other => return None,
        };
        Some(s)
    }
}

/// Day of registration of person `k` of `n`, relative to today: the first
/// 35% registered in the two years before the visits begin, the rest spread
/// over the year of visits; never decreasing in `k`.
fn registration_day(k: u32, n: u32) -> i32 {
    let window = WINDOW as i32;
    let before = (u64::from(n) * 35 / 100) as u32;
    if k < before {
        let span = 2 * window;
        -window - span + (u64::from(k) * span as u64 / u64::from(before.max(1))) as i32
    } else {
        let rest = (n - before).max(1);
        -(window - 1) + (u64::from(k - before) * (window as u64) / u64::from(rest)) as i32
    }
}
