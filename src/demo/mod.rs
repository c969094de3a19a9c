//! Demo data: a deterministic generator of realistic station records —
//! staff, workers, a year of visits, cases in every state, counsellors with
//! their availability and a month of sessions — written through the store's
//! normal write path ([`Writer`](crate::store::Writer) methods), so the
//! operation log holds what real use would have put there.
//!
//! The same [`DemoSpec`] on a database in the same state (for instance two
//! fresh databases) gives the same records with the same ids: every id comes
//! from a seeded RNG as a UUIDv7 whose time part is the record's own time
//! (registration, arrival, opening, booking). The RNG is seeded from the
//! spec's seed, the station code and how many operations this database had
//! already logged, so generating again into the same database adds new
//! records instead of colliding with the earlier ones.
//!
//! "Now" for the generated data is 16:00 station time on `today`
//! ([`NOW_HOUR`]): today's visits stop there, and a handful of visitors who
//! arrived in the two hours before have not left.
//!
//! Writes are committed in batches, so memory stays flat at any size; only
//! a compact list of the generated people (id, trade, registration day) is
//! kept for the later stages.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::domain::ids::{PersonId, StaffId};
use crate::domain::person::Trade;
use crate::domain::staff::Role;
use crate::store::{Result, Store};

use data::{GIVEN_FEMALE, GIVEN_MALE, SURNAMES, TRADES, Table, one, place};

mod cases;
mod data;
mod people;
mod schedule;
mod texts;
mod visits;
mod workflow;

#[cfg(test)]
mod tests;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSpec {
    /// Station code, used when the database has no station yet.
    pub code: String,
    /// Station name for a new station; a default from the code otherwise.
    pub name: Option<String>,
    pub people: u32,
    /// Visit records (an anonymous tally of several people is one record).
    pub visits: u32,
    pub cases: u32,
    pub seed: u64,
    /// The last day of the generated year; "now" is [`NOW_HOUR`] on it.
    pub today: NaiveDate,
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoSummary {
    pub people: u32,
    pub visits: u32,
    pub cases: u32,
    pub staff: u32,
    pub counsellors: u32,
    pub appointments: u32,
    /// Operations this database logged while generating.
    pub ops: u64,
}

/// The hour of `today` (station time) that the generated data treats as now.
pub const NOW_HOUR: u32 = 16;

const HOUR: u32 = 3600;
const OPEN: u32 = 7 * HOUR;
const CLOSE: u32 = 22 * HOUR;
const NOW: u32 = NOW_HOUR * HOUR;
/// Days of visits, ending with today.
const WINDOW: i64 = 365;
/// Records per transaction. Large batches matter at district scale: every
/// commit writes each page it touched, and the lookup terms and the
/// per-person visit index are touched all over; with batches of 10,000
/// people, 20,000 visits and 2,000 cases, 200k/1M/50k took 45 s instead of
/// about 35. Memory stays bounded by the page cache, which spills to the
/// log file when a batch outgrows it.
const PEOPLE_BATCH: u32 = 25_000;
const VISIT_BATCH: u32 = 100_000;
const CASE_BATCH: u32 = 5_000;
/// Progress is reported this often within a batch.
const PROGRESS_EVERY: u32 = 10_000;
/// Page cache while generating, in KiB. With SQLite's default of 2,000 KiB,
/// district-scale generation spends about a third of its time re-reading
/// index pages. The connection's own setting is restored afterwards.
const DAY_MS: i64 = 86_400_000;

/// Generates demo records into `store`, setting up the station first if the
/// database has none (an existing station keeps its code and name).
///
/// `progress(stage, done, total)` is called at the start and end of each
/// stage and every 10,000 records (1,000 cases) in between; the stages are
/// `staff`, `people`, `visits`, `cases` and `schedule`. Without people there
/// are no claimants, so no cases and no sessions are generated. It runs as a
/// [`Store::bulk_load`]: indexes that no write reads are built at the end.
pub fn generate(
    store: &mut Store,
    spec: &DemoSpec,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<DemoSummary> {
    store.bulk_load(|store| generate_in(store, spec, progress))
}

fn generate_in(
    store: &mut Store,
    spec: &DemoSpec,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<DemoSummary> {
    let seq_start = last_seq(store)?;
    let station = match store.station()? {
        Some(s) => s,
        None => {
            let name = spec
                .name
                .clone()
                .unwrap_or_else(|| default_name(&spec.code));
            store.init_station(&spec.code, &name, crate::domain::station::DEFAULT_TIME_ZONE)?
        }
    };
    let tz = store.time_zone()?;
    // Seeded after the station is set up, so that `init` then `demo` gives
    // the same records as `demo` alone.
    let mut g = Gen::new(spec, &station.code, tz, last_seq(store)?);
    let mut summary = DemoSummary::default();

    progress("staff", 0, 1);
    let staff = g.staff(store)?;
    summary.staff = staff.len() as u32;
    progress("staff", 1, 1);

    let people = g.people(store, spec.people, &staff, progress)?;
    summary.people = people.len() as u32;
    summary.visits = g.visits(store, station.id, &people, spec.visits, &staff, progress)?;
    summary.cases = g.cases(store, &people, spec.cases, &staff, progress)?;
    progress("schedule", 0, 1);
    let (counsellors, appointments) = g.schedule(store, &people, &staff)?;
    summary.counsellors = counsellors;
    summary.appointments = appointments;
    progress("schedule", 1, 1);

    summary.ops = last_seq(store)?.saturating_sub(seq_start);
    Ok(summary)
}

/// The default name of a new station with this code.
fn default_name(code: &str) -> String {
    let code = code.trim().to_ascii_uppercase();
    match code.as_str() {
        "FT" => "福田区总工会 爱心驿站".to_owned(),
        "NS" => "南山区总工会 爱心驿站".to_owned(),
        "ZB" => "淄博市总工会 爱心驿站".to_owned(),
        _ => format!("{code} 户外劳动者服务站"),
    }
}

/// Operations this replica has logged so far.
fn last_seq(store: &Store) -> Result<u64> {
    let n: i64 = store
        .conn()
        .query_row("SELECT last_seq FROM replica", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A generated person, as later stages need it.
#[derive(Debug, Clone, Copy)]
struct Worker {
    id: PersonId,
    trade: Trade,
    /// Day of registration relative to today (0 = today, negative = past).
    day: i32,
}

struct Gen {
    rng: ChaCha8Rng,
    tz: Tz,
    today: NaiveDate,
    now_ms: i64,
    city: &'static str,
    areas: &'static [&'static str],
    surnames: Table<&'static str>,
    given: [Vec<char>; 2],
    trades: Table<Trade>,
    mobiles: HashSet<u64>,
    /// Past sessions so far: every tenth is cancelled and two in ten are
    /// no-shows, so that even a small month shows each.
    past_sessions: u32,
}

impl Gen {
    fn new(spec: &DemoSpec, code: &str, tz: Tz, seq_before: u64) -> Gen {
        let mut h = blake3::Hasher::new();
        h.update(b"waystation demo\0");
        h.update(&spec.seed.to_le_bytes());
        h.update(code.as_bytes());
        h.update(&[0]);
        h.update(&seq_before.to_le_bytes());
        let rng = ChaCha8Rng::from_seed(*h.finalize().as_bytes());
        let (city, areas) = place(code);
        let mut g = Gen {
            rng,
            tz,
            today: spec.today,
            now_ms: 0,
            city,
            areas,
            surnames: Table::new(SURNAMES),
            given: [GIVEN_MALE.chars().collect(), GIVEN_FEMALE.chars().collect()],
            trades: Table::new(TRADES),
            mobiles: HashSet::new(),
            past_sessions: 0,
        };
        g.now_ms = g.local_ms(spec.today, NOW);
        g
    }

    /// Milliseconds UTC of a local date and second of the day.
    fn local_ms(&self, date: NaiveDate, secs: u32) -> i64 {
        let t =
            NaiveTime::from_num_seconds_from_midnight_opt(secs.min(86_399), 0).unwrap_or_default();
        let local = date.and_time(t);
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                self.tz
                    .from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })
            .map_or_else(
                || local.and_utc().timestamp_millis(),
                |d| d.timestamp_millis(),
            )
    }

    fn day(&self, rel: i64) -> NaiveDate {
        self.today + Duration::days(rel)
    }

    /// A UUIDv7 with time part `ms` and the rest from the RNG.
    fn uuid_at(&mut self, ms: i64) -> Uuid {
        let mut b = [0u8; 10];
        self.rng.fill_bytes(&mut b);
        uuid::Builder::from_unix_timestamp_millis(u64::try_from(ms).unwrap_or(0), &b).into_uuid()
    }

    /// A name: a surname and one or (mostly) two given-name characters.
    fn name(&mut self, female: bool) -> String {
        let mut s = String::with_capacity(12);
        s.push_str(self.surnames.pick(&mut self.rng));
        let n = if self.rng.random_bool(0.8) { 2 } else { 1 };
        for _ in 0..n {
            let c = one(&mut self.rng, &self.given[usize::from(female)]);
            s.push(c);
        }
        s
    }

    fn any_name(&mut self) -> String {
        let female = self.rng.random_bool(0.5);
        self.name(female)
    }

    fn actor(&mut self, staff: &[(StaffId, Role)], desk: bool) -> Option<StaffId> {
        let pool: Vec<StaffId> = staff
            .iter()
            .filter(|(_, r)| match r {
                Role::Admin | Role::Staff => true,
                Role::Volunteer => desk,
                Role::Counsellor => false,
            })
            .map(|(id, _)| *id)
            .collect();
        if pool.is_empty() {
            None
        } else {
            Some(one(&mut self.rng, &pool))
        }
    }
}
