//! Visits: a named worker checking in, or an anonymous headcount.

use chrono::{DateTime, Utc};

use super::error::ValidationError;
use super::ids::{PersonId, StationId, VisitId};
use super::person::Trade;

/// Largest headcount one anonymous tally may add.
pub const HEADCOUNT_MAX: u32 = 200;

crate::code_enum! {
    /// A service a station offers. The order is the bit order of
    /// [`Services`] and must never change.
    pub enum Service {
        Rest = "rest", "休息", "Rest";
        Water = "water", "饮水", "Drinking water";
        Charging = "charging", "充电", "Phone charging";
        MealHeating = "meal_heating", "热饭", "Meal heating";
        Restroom = "restroom", "如厕", "Restroom";
        FirstAid = "first_aid", "急救/药品", "First aid / medicine";
        HealthCheck = "health_check", "义诊", "Health check";
        LegalConsultation = "legal", "法律咨询", "Legal consultation";
        Counselling = "counselling", "心理疏导", "Counselling";
        UnionEnrolment = "union_enrolment", "入会", "Union enrolment";
        MutualAid = "mutual_aid", "互助保障", "Mutual-aid insurance";
    }
}

impl Service {
    fn bit(self) -> u16 {
        // ALL lists the variants in declaration order.
        let index = Service::ALL.iter().position(|s| *s == self).unwrap_or(0);
        1 << index
    }
}

/// A set of services, stored as a bit mask (bit i = `Service::ALL[i]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Services(u16);

impl Services {
    /// No service.
    pub const EMPTY: Services = Services(0);

    /// Reads a stored mask; unknown bits (from a newer version) are kept.
    pub fn from_bits(bits: u16) -> Services {
        Services(bits)
    }
    /// What an anonymous tally records unless told otherwise: rest and
    /// water, what most visitors who give no name come for.
    pub fn tally_default() -> Services {
        [Service::Rest, Service::Water].into_iter().collect()
    }
    /// The stored mask.
    pub fn bits(self) -> u16 {
        self.0
    }
    pub fn contains(self, s: Service) -> bool {
        self.0 & s.bit() != 0
    }
    pub fn insert(&mut self, s: Service) {
        self.0 |= s.bit();
    }
    pub fn remove(&mut self, s: Service) {
        self.0 &= !s.bit();
    }
    pub fn toggle(&mut self, s: Service) {
        self.0 ^= s.bit();
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The services in the set, in display order.
    pub fn iter(self) -> impl Iterator<Item = Service> {
        Service::ALL
            .iter()
            .copied()
            .filter(move |s| self.contains(*s))
    }
}

impl FromIterator<Service> for Services {
    fn from_iter<I: IntoIterator<Item = Service>>(iter: I) -> Self {
        let mut s = Services::EMPTY;
        for x in iter {
            s.insert(x);
        }
        s
    }
}

/// A visit as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub id: VisitId,
    /// The station where the visit happened.
    pub station: StationId,
    /// `None` for an anonymous headcount.
    pub person: Option<PersonId>,
    /// 1 for a named visit; the number of people for a tally; 0 for a
    /// tally that was undone (`Writer::undo_tally`), which counts for no one.
    pub headcount: u32,
    pub trade: Trade,
    pub services: Services,
    pub arrived_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

impl Visit {
    /// A named check-in.
    pub fn check_in(
        station: StationId,
        person: PersonId,
        trade: Trade,
        services: Services,
        arrived_at: DateTime<Utc>,
    ) -> Visit {
        Visit {
            id: VisitId::new(),
            station,
            person: Some(person),
            headcount: 1,
            trade,
            services,
            arrived_at,
            left_at: None,
        }
    }

    /// An anonymous tally of `headcount` people of one trade who rested
    /// and drank water ([`Services::tally_default`]).
    pub fn tally(
        station: StationId,
        trade: Trade,
        headcount: u32,
        at: DateTime<Utc>,
    ) -> Result<Visit, ValidationError> {
        Visit::tally_with(station, trade, headcount, Services::tally_default(), at)
    }

    /// An anonymous tally of `headcount` people of one trade who used
    /// `services` (a worker who only charged a phone).
    pub fn tally_with(
        station: StationId,
        trade: Trade,
        headcount: u32,
        services: Services,
        at: DateTime<Utc>,
    ) -> Result<Visit, ValidationError> {
        check_headcount(headcount)?;
        Ok(Visit {
            id: VisitId::new(),
            station,
            person: None,
            headcount,
            trade,
            services,
            arrived_at: at,
            left_at: Some(at),
        })
    }

    /// Checks the invariants of a visit.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_headcount(self.headcount)?;
        check_left(self.arrived_at, self.left_at)
    }

    /// Whether the person is still in the station.
    pub fn is_present(&self) -> bool {
        self.left_at.is_none()
    }

    /// Whether the visitor counts as here at `now` (the one rule:
    /// [`crate::domain::day::is_here`]).
    pub fn is_here(&self, now: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> bool {
        crate::domain::day::is_here(self.arrived_at, self.left_at, now, tz)
    }

    /// Whether this is an anonymous headcount rather than a named visit.
    pub fn is_tally(&self) -> bool {
        self.person.is_none()
    }
}

/// Checks a leaving time against the arrival.
pub fn check_left(
    arrived: DateTime<Utc>,
    left: Option<DateTime<Utc>>,
) -> Result<(), ValidationError> {
    match left {
        Some(l) if l < arrived => Err(ValidationError::LeftBeforeArrived),
        _ => Ok(()),
    }
}

fn check_headcount(n: u32) -> Result<(), ValidationError> {
    if (1..=HEADCOUNT_MAX).contains(&n) {
        Ok(())
    } else {
        Err(ValidationError::Headcount { max: HEADCOUNT_MAX })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn service_bits_are_stable() {
        assert_eq!(Service::Rest.bit(), 1);
        assert_eq!(Service::Water.bit(), 2);
        assert_eq!(Service::MutualAid.bit(), 1 << 10);
        let mut s = Services::EMPTY;
        s.toggle(Service::Charging);
        s.insert(Service::Water);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [Service::Water, Service::Charging]
        );
        s.toggle(Service::Charging);
        assert!(!s.contains(Service::Charging));
        s.remove(Service::Water);
        assert!(s.is_empty());
    }

    #[test]
    fn tally_checks_headcount() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 3, 0, 0).unwrap();
        let st = StationId::new();
        assert!(Visit::tally(st, Trade::Courier, 0, at).is_err());
        assert!(Visit::tally(st, Trade::Courier, HEADCOUNT_MAX + 1, at).is_err());
        let v = Visit::tally(st, Trade::Courier, 3, at).unwrap();
        assert!(v.person.is_none() && !v.is_present());
        assert_eq!(v.validate(), Ok(()));
    }

    #[test]
    fn leaving_before_arrival_is_refused() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 3, 0, 0).unwrap();
        let mut v = Visit::check_in(
            StationId::new(),
            PersonId::new(),
            Trade::Truck,
            Services::EMPTY,
            at,
        );
        assert!(v.is_present());
        v.left_at = Some(at - chrono::Duration::minutes(1));
        assert_eq!(v.validate(), Err(ValidationError::LeftBeforeArrived));
    }
}
