//! The week of the shown counsellors: every slot their availability offers
//! and every session booked, read once per week. The week grid and the day
//! list (`grid.rs`) draw from it.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::Who;
use crate::domain::ids::{AppointmentId, CounsellorId, PersonId};
use crate::domain::schedule::{AppointmentStatus, Counsellor, Slot, monday_of, slots_on};
use crate::store::{Result, Store};

/// A booked session as the views show it (the confidential notes are not
/// read into the console's lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub id: AppointmentId,
    pub person: PersonId,
    pub name: String,
    pub status: AppointmentStatus,
    pub follow_up: Option<NaiveDate>,
}

/// One slot of one counsellor on one day, free or with a session; or a
/// cancelled session (shown in the day list only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub counsellor: CounsellorId,
    pub counsellor_name: String,
    pub date: NaiveDate,
    pub slot: Slot,
    /// Whether the availability offers this slot (a session may remain
    /// after its hours were changed).
    pub offered: bool,
    pub booked: Option<Booked>,
}

/// Where a row of the week grid is: a time, and whose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowKey {
    pub start: NaiveTime,
    pub counsellor: CounsellorId,
}

impl Cell {
    pub fn key(&self) -> RowKey {
        RowKey {
            start: self.slot.start,
            counsellor: self.counsellor,
        }
    }

    /// Free or holding its slot (not a cancelled session): what the week
    /// grid shows.
    pub fn in_grid(&self) -> bool {
        self.booked.as_ref().is_none_or(|b| b.status.holds_slot())
    }

    pub fn is_free(&self) -> bool {
        self.booked.is_none() && self.offered
    }

    pub fn starts(&self) -> NaiveDateTime {
        self.date.and_time(self.slot.start)
    }

    /// Whether the slot has started by `now` (the grid calls a free one
    /// "gone by"; booking it is recording a session after the fact).
    pub fn gone_by(&self, now: NaiveDateTime) -> bool {
        self.starts() < now
    }
}

/// The slots and sessions of one week (Monday to Sunday).
#[derive(Debug, Clone, Default)]
pub struct Week {
    pub monday: NaiveDate,
    /// Per day (0 = Monday), by time, then counsellor; cancelled sessions
    /// after the slot's live entry.
    pub days: Vec<Vec<Cell>>,
    /// The rows of the week grid, by time, then counsellor.
    pub rows: Vec<RowKey>,
}

impl Week {
    /// Reads the week holding `date` for `who` (only active counsellors
    /// offer slots; sessions of inactive ones still show).
    pub fn load(
        store: &Store,
        counsellors: &[Counsellor],
        who: Who,
        date: NaiveDate,
    ) -> Result<Week> {
        let monday = monday_of(date);
        let sunday = monday + Duration::days(6);
        let mut days: Vec<Vec<Cell>> = vec![Vec::new(); 7];
        let offering = counsellors.iter().filter(|c| match who {
            Who::All => c.active,
            Who::Kind(k) => c.active && c.kind == k,
            Who::One(id) => c.active && c.id == id,
        });
        for c in offering {
            let rules = store.rules_of(c.id)?;
            let exceptions = store.exceptions_of(c.id, monday)?;
            for (i, day) in days.iter_mut().enumerate() {
                let date = monday + Duration::days(i as i64);
                for slot in slots_on(&rules, &exceptions, date) {
                    day.push(Cell {
                        counsellor: c.id,
                        counsellor_name: c.name.clone(),
                        date,
                        slot,
                        offered: true,
                        booked: None,
                    });
                }
            }
        }
        let one = match who {
            Who::One(id) => Some(id),
            _ => None,
        };
        for row in store.appointments_between(monday, sunday, one)? {
            let wanted = match who {
                Who::All | Who::One(_) => true,
                Who::Kind(k) => row.counsellor_kind == k,
            };
            let a = row.appointment;
            if !wanted || a.date < monday || a.date > sunday {
                continue;
            }
            let Some(day) = days.get_mut((a.date - monday).num_days() as usize) else {
                continue;
            };
            let booked = Booked {
                id: a.id,
                person: a.person,
                name: row.person_name,
                status: a.status,
                follow_up: a.follow_up,
            };
            let free = day.iter_mut().find(|c| {
                c.counsellor == a.counsellor && c.slot.start == a.start && c.booked.is_none()
            });
            match free {
                Some(c) if a.status.holds_slot() => c.booked = Some(booked),
                _ => day.push(Cell {
                    counsellor: a.counsellor,
                    counsellor_name: row.counsellor_name,
                    date: a.date,
                    slot: Slot {
                        start: a.start,
                        end: a.end,
                    },
                    offered: false,
                    booked: Some(booked),
                }),
            }
        }
        for day in &mut days {
            day.sort_by(|a, b| {
                (
                    a.slot.start,
                    &a.counsellor_name,
                    a.counsellor.0,
                    !a.in_grid(),
                )
                    .cmp(&(
                        b.slot.start,
                        &b.counsellor_name,
                        b.counsellor.0,
                        !b.in_grid(),
                    ))
            });
        }
        let mut rows: Vec<(NaiveTime, String, RowKey)> = Vec::new();
        for c in days.iter().flatten().filter(|c| c.in_grid()) {
            if !rows.iter().any(|(_, _, k)| *k == c.key()) {
                rows.push((c.slot.start, c.counsellor_name.clone(), c.key()));
            }
        }
        rows.sort_by(|a, b| (a.0, &a.1, a.2.counsellor.0).cmp(&(b.0, &b.1, b.2.counsellor.0)));
        Ok(Week {
            monday,
            days,
            rows: rows.into_iter().map(|r| r.2).collect(),
        })
    }

    pub fn sunday(&self) -> NaiveDate {
        self.monday + Duration::days(6)
    }

    pub fn holds(&self, date: NaiveDate) -> bool {
        !self.days.is_empty() && date >= self.monday && date <= self.sunday()
    }

    /// The entries of one day (empty when outside the week).
    pub fn day(&self, date: NaiveDate) -> &[Cell] {
        if !self.holds(date) {
            return &[];
        }
        let i = (date - self.monday).num_days() as usize;
        self.days.get(i).map_or(&[], Vec::as_slice)
    }

    /// What the week grid shows at `row` on `date`.
    pub fn at(&self, row: RowKey, date: NaiveDate) -> Option<&Cell> {
        self.day(date)
            .iter()
            .find(|c| c.key() == row && c.in_grid())
    }

    /// Whether the week still has slots to come, all of them taken.
    pub fn full_after(&self, now: NaiveDateTime) -> bool {
        let mut coming = self
            .days
            .iter()
            .flatten()
            .filter(|c| c.in_grid() && c.starts() > now)
            .peekable();
        coming.peek().is_some() && coming.all(|c| !c.is_free())
    }
}
