//! Demo data: a deterministic generator of realistic station records —
//! staff, workers, a year of visits, cases in every state, counsellors with
//! their availability and a month of sessions — written through the store's
//! normal write path ([`Writer`] methods), so the operation log holds what
//! real use would have put there.
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

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::case::{CaseStatus, CaseType, CloseReason, HardshipKind, Outcome, Referral};
use crate::domain::error::Field;
use crate::domain::ids::{
    AppointmentId, CaseId, CounsellorId, ExceptionId, NoteId, PersonId, RuleId, StaffId, StationId,
    VisitId,
};
use crate::domain::person::{PersonDetails, Trade, parse_name};
use crate::domain::schedule::{
    AppointmentStatus, AvailabilityException, AvailabilityRule, CounsellorKind, ExceptionKind,
    Recurrence, Slot, WeeksOfMonth, check_bookable, slots_on,
};
use crate::domain::staff::{Role, parse_staff_name};
use crate::domain::text::{clean_multiline, clean_text};
use crate::domain::visit::{Service, Services, Visit};
use crate::domain::{Fen, Mobile, ResidentId};
use crate::store::cases::{NOTE_MAX, NewCase, StatusChange};
use crate::store::oplog::id_value;
use crate::store::{Entity, Result, Store, Writer};

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
const CACHE_KIB: i64 = 64 * 1024;
const DAY_MS: i64 = 86_400_000;

/// Generates demo records into `store`, setting up the station first if the
/// database has none (an existing station keeps its code and name).
///
/// `progress(stage, done, total)` is called at the start and end of each
/// stage and every 10,000 records (1,000 cases) in between; the stages are
/// `staff`, `people`, `visits`, `cases` and `schedule`. Without people there
/// are no claimants, so no cases and no sessions are generated.
pub fn generate(
    store: &mut Store,
    spec: &DemoSpec,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<DemoSummary> {
    let cache: i64 = store
        .conn()
        .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    let kib = if cache < 0 {
        -cache
    } else {
        cache.saturating_mul(4)
    };
    if kib < CACHE_KIB {
        store.conn().pragma_update(None, "cache_size", -CACHE_KIB)?;
    }
    let result = generate_in(store, spec, progress);
    let restored = store.conn().pragma_update(None, "cache_size", cache);
    let summary = result?;
    restored?;
    Ok(summary)
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

// --- reference data -------------------------------------------------------------

/// Surnames with their approximate frequency (per 10,000 people).
#[rustfmt::skip]
const SURNAMES: &[(&str, u32)] = &[
    ("王", 710), ("李", 700), ("张", 680), ("刘", 540), ("陈", 450), ("杨", 310), ("黄", 250),
    ("赵", 230), ("吴", 200), ("周", 190), ("徐", 150), ("孙", 150), ("马", 130), ("朱", 130),
    ("胡", 120), ("郭", 120), ("何", 100), ("高", 100), ("林", 100), ("罗", 90), ("郑", 90), ("梁", 90),
    ("谢", 70), ("宋", 70), ("唐", 60), ("许", 60), ("韩", 60), ("冯", 60), ("邓", 60), ("曹", 60),
    ("彭", 50), ("曾", 50), ("肖", 50), ("田", 50), ("董", 50), ("袁", 40), ("潘", 40), ("于", 40),
    ("蒋", 40), ("蔡", 40), ("余", 40), ("杜", 40), ("叶", 40), ("程", 40), ("苏", 30), ("魏", 30),
    ("吕", 30), ("丁", 30), ("任", 30), ("沈", 30), ("姚", 30), ("卢", 30), ("姜", 20), ("崔", 20),
    ("钟", 20), ("谭", 20), ("陆", 20), ("汪", 20), ("范", 20), ("金", 20), ("石", 20), ("廖", 20),
    ("贾", 20), ("夏", 20), ("韦", 20), ("付", 20), ("方", 20), ("白", 20), ("邹", 20), ("孟", 20),
    ("熊", 20), ("秦", 20), ("邱", 20), ("江", 20), ("尹", 20), ("薛", 15), ("闫", 15), ("段", 15),
    ("雷", 15), ("侯", 15), ("龙", 15), ("史", 15), ("陶", 10), ("黎", 10), ("贺", 10), ("顾", 10),
    ("毛", 10), ("郝", 10), ("龚", 10), ("邵", 10), ("万", 10), ("钱", 10), ("严", 10), ("覃", 10),
    ("武", 10), ("戴", 10), ("莫", 10), ("孔", 10), ("向", 10), ("汤", 10), ("常", 10), ("温", 10),
    ("康", 10), ("施", 8), ("文", 8), ("牛", 8), ("樊", 8), ("葛", 8), ("邢", 8), ("安", 8), ("齐", 8),
    ("易", 8), ("乔", 8), ("伍", 8), ("庞", 8), ("颜", 8), ("倪", 8), ("庄", 8), ("聂", 8), ("章", 6),
    ("鲁", 6), ("岳", 6), ("翟", 6), ("殷", 6), ("詹", 6), ("申", 6), ("耿", 6), ("关", 6), ("兰", 6),
    ("焦", 6), ("俞", 6), ("左", 6), ("柳", 6), ("甘", 6), ("祝", 6), ("包", 6), ("欧阳", 3), ("司马", 1),
    ("上官", 1), ("诸葛", 1), ("司徒", 1), ("皇甫", 1), ("令狐", 1), ("东方", 1),
];

/// Common characters of men's and women's given names (some are used for
/// both).
const GIVEN_MALE: &str = "伟强磊军洋勇杰涛明超刚建文辉力飞鹏斌宇浩凯健俊峰波成国海志永东金亮兵新胜福\
贵德庆山荣光彬鑫振宏卫学豪毅铭忠诚根生喜发友全龙博轩阳林平华春晓";
const GIVEN_FEMALE: &str = "芳娜敏静丽艳娟秀霞桂英玉萍红春兰梅琴云莉婷雪燕晨欣怡玲晓丹佳雨嘉思涵梓秋菊\
凤珍慧颖洁琳月翠华平林";

const TRADES: &[(Trade, u32)] = &[
    (Trade::FoodDelivery, 30),
    (Trade::Courier, 24),
    (Trade::RideHail, 12),
    (Trade::Sanitation, 9),
    (Trade::Construction, 8),
    (Trade::Truck, 6),
    (Trade::Security, 4),
    (Trade::Landscaping, 3),
    (Trade::HomeService, 2),
    (Trade::Other, 2),
];

const FOOD_PLATFORMS: &[(&str, u32)] = &[
    ("美团", 45),
    ("饿了么", 35),
    ("美团众包", 8),
    ("蜂鸟众包", 6),
    ("闪送", 3),
    ("UU跑腿", 3),
];
const COURIERS: &[(&str, u32)] = &[
    ("顺丰速运", 24),
    ("京东物流", 20),
    ("中通快递", 15),
    ("圆通速递", 12),
    ("韵达快递", 10),
    ("申通快递", 8),
    ("极兔速递", 6),
    ("中国邮政EMS", 3),
    ("德邦快递", 2),
];
const RIDE_HAIL: &[(&str, u32)] = &[
    ("滴滴出行", 55),
    ("高德打车", 15),
    ("T3出行", 8),
    ("曹操出行", 8),
    ("美团打车", 6),
    ("如祺出行", 4),
    ("花小猪打车", 4),
];
const TRUCKING: &[(&str, u32)] = &[
    ("货拉拉", 35),
    ("满帮", 30),
    ("快狗打车", 10),
    ("个体运输", 25),
];
const HOME_SERVICE: &[(&str, u32)] = &[("58到家", 30), ("天鹅到家", 25), ("个体", 45)];

/// Made-up company name parts (no real company is named as a respondent).
const BRANDS: &[&str] = &[
    "宏达", "鑫源", "恒业", "华建", "远航", "众邦", "安泰", "鹏程", "德润", "金桥", "永盛", "万通",
    "瑞丰", "广厦", "中联", "盛世", "顺捷", "嘉禾", "兴业", "汇通",
];
const BUILDERS: &[&str] = &[
    "建筑劳务有限公司",
    "建设工程有限公司",
    "建筑工程有限公司",
    "劳务分包有限公司",
    "装饰工程有限公司",
];

/// The city and a few street areas of a station, by its code.
fn place(code: &str) -> (&'static str, &'static [&'static str]) {
    match code {
        "FT" => (
            "深圳市",
            &["车公庙", "华强北", "梅林", "香蜜湖", "福田口岸", "景田"],
        ),
        "NS" => ("深圳市", &["科技园", "蛇口", "西丽", "南头", "前海"]),
        "ZB" => ("淄博市", &["张店", "淄川", "周村", "临淄", "博山"]),
        _ => ("", &["城东", "城西", "城南", "城北", "新区"]),
    }
}

const PROVINCES: &[(&str, u32)] = &[
    ("44", 20),
    ("41", 14),
    ("43", 12),
    ("51", 10),
    ("37", 10),
    ("36", 8),
    ("42", 8),
    ("45", 8),
    ("34", 6),
    ("52", 4),
];

const CASE_TYPES: &[(CaseType, u32)] = &[
    (CaseType::WageArrears, 42),
    (CaseType::LabourDispute, 14),
    (CaseType::WorkInjury, 10),
    (CaseType::LegalAid, 8),
    (CaseType::Hardship, 12),
    (CaseType::EmergencyRelief, 5),
    (CaseType::Psychological, 5),
    (CaseType::Other, 4),
];

const REFERRALS: &[(Referral, u32)] = &[
    (Referral::Arbitration, 40),
    (Referral::LegalAidCentre, 25),
    (Referral::LabourInspection, 25),
    (Referral::Court, 10),
];

const CLOSE_REASONS: &[(CloseReason, u32)] = &[
    (CloseReason::Withdrawn, 35),
    (CloseReason::Unreachable, 25),
    (CloseReason::NotPursued, 15),
    (CloseReason::Transferred, 20),
    (CloseReason::Other, 5),
];

// --- small tools ----------------------------------------------------------------

/// A weighted choice among a few items.
struct Table<T: Copy> {
    items: Vec<T>,
    cum: Vec<u32>,
}

impl<T: Copy> Table<T> {
    fn new(pairs: &[(T, u32)]) -> Self {
        let mut total = 0;
        let mut items = Vec::with_capacity(pairs.len());
        let mut cum = Vec::with_capacity(pairs.len());
        for &(item, w) in pairs {
            total += w;
            items.push(item);
            cum.push(total);
        }
        Table { items, cum }
    }

    fn pick(&self, rng: &mut ChaCha8Rng) -> T {
        let total = self.cum.last().copied().unwrap_or(0).max(1);
        let r = rng.random_range(0..total);
        let i = self.cum.partition_point(|&c| c <= r);
        self.items[i.min(self.items.len() - 1)]
    }
}

fn one<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// An approximately normal number (mean 0, deviation 1).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let s: f64 = (0..4).map(|_| rng.random::<f64>()).sum();
    (s - 2.0) * 3f64.sqrt()
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

fn yuan(f: Fen) -> String {
    format!("{}元", f.yuan_string())
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

    // --- staff ------------------------------------------------------------------

    fn staff(&mut self, store: &mut Store) -> Result<Vec<(StaffId, Role)>> {
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
            let name = parse_staff_name(&self.any_name())?;
            let id = StaffId(self.uuid_at(base + i as i64 * 60_000));
            // As Writer::add_staff, with an id of our own.
            w.create(
                Entity::Staff,
                &id.0,
                &[
                    ("name", Value::from(name)),
                    ("role", Value::from(role.code())),
                    ("active", Value::Bool(true)),
                ],
            )?;
            out.push((id, role));
        }
        w.commit()?;
        Ok(out)
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

    // --- people -----------------------------------------------------------------

    fn people(
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

    fn company(&mut self, kinds: &[&str]) -> String {
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

    // --- visits -----------------------------------------------------------------

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
    fn day_counts(&self, n: u32) -> Vec<u32> {
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

    fn visits(
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
                if done % PROGRESS_EVERY == 0 && done < n {
                    progress("visits", u64::from(done), u64::from(n));
                }
            }
        }
        w.commit()?;
        progress("visits", u64::from(done), u64::from(n));
        Ok(done)
    }

    // --- cases ------------------------------------------------------------------

    fn cases(
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
                if done % (PROGRESS_EVERY / 10) == 0 && done < n {
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
                .map(|&i| cx.people[i as usize].id)
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
        if waits {
            if claimed.0 > 0 && self.rng.random_bool(0.6) {
                let r = Table::new(REFERRALS).pick(&mut self.rng);
                w.refer(id, Some(r))?;
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
        let mut reopen = plan == Plan::Reopened;
        match plan {
            Plan::Resolved => self.resolve(
                w,
                id,
                case_type,
                claimed,
                referral,
                concluded,
                &mut notes_left,
            )?,
            Plan::Closed => self.close(w, id, concluded, &mut notes_left)?,
            Plan::Reopened => {
                if self.rng.random_bool(0.6) {
                    self.resolve(
                        w,
                        id,
                        case_type,
                        claimed,
                        referral,
                        concluded,
                        &mut notes_left,
                    )?;
                } else {
                    self.close(w, id, concluded, &mut notes_left)?;
                }
            }
            _ => reopen = false,
        }
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
            w.set_follow_up(id, Some(self.today + Duration::days(days)))?;
        } else if plan == Plan::Resolved && self.rng.random_bool(0.4) {
            let d = time(concluded).with_timezone(&self.tz).date_naive();
            w.set_follow_up(id, Some(d + Duration::days(30)))?;
        } else if plan != Plan::New {
            w.set_follow_up(id, None)?;
        }
        Ok(())
    }

    fn handler(&mut self, cx: &CaseCx<'_>, case_type: CaseType) -> StaffId {
        let psych = matches!(case_type, CaseType::Psychological);
        let pool: Vec<StaffId> = cx
            .handlers
            .iter()
            .filter(|(_, r)| psych || *r != Role::Counsellor)
            .map(|(id, _)| *id)
            .collect();
        if pool.is_empty() {
            cx.handlers[0].0
        } else {
            one(&mut self.rng, &pool)
        }
    }

    /// Fen owed for about `yuan` of wages, within `lo..=hi` yuan: whole
    /// yuan mostly, sometimes with fen.
    fn wages(&mut self, yuan: i64, lo: i64, hi: i64) -> i64 {
        let fen = if self.rng.random_bool(0.15) {
            self.rng.random_range(1..100)
        } else {
            0
        };
        yuan.clamp(lo, hi) * 100 + fen
    }

    /// Whole yuan mostly, sometimes with fen, between two amounts in yuan.
    fn amount(&mut self, lo: i64, hi: i64) -> i64 {
        // Skewed towards the lower end, as most claims are a few months' pay.
        let u: f64 = self.rng.random::<f64>().powf(1.7);
        let y = lo + ((hi - lo) as f64 * u) as i64;
        let y = if y >= 5_000 && self.rng.random_bool(0.6) {
            y / 100 * 100
        } else {
            y
        };
        let fen = if self.rng.random_bool(0.15) {
            self.rng.random_range(1..100)
        } else {
            0
        };
        y * 100 + fen
    }

    fn plan(&mut self, age: i64) -> Plan {
        let weights: &[(Plan, u32)] = if age < 7 {
            &[
                (Plan::New, 55),
                (Plan::InProgress, 30),
                (Plan::Waiting, 10),
                (Plan::Closed, 5),
            ]
        } else if age < 60 {
            &[
                (Plan::New, 8),
                (Plan::InProgress, 34),
                (Plan::Waiting, 25),
                (Plan::Resolved, 22),
                (Plan::Closed, 8),
                (Plan::Reopened, 3),
            ]
        } else {
            &[
                (Plan::New, 2),
                (Plan::InProgress, 12),
                (Plan::Waiting, 12),
                (Plan::Resolved, 53),
                (Plan::Closed, 16),
                (Plan::Reopened, 5),
            ]
        };
        Table::new(weights).pick(&mut self.rng)
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        w: &mut Writer<'_>,
        id: CaseId,
        case_type: CaseType,
        claimed: Fen,
        referral: Option<Referral>,
        at: i64,
        notes_left: &mut u32,
    ) -> Result<()> {
        let outcome = match case_type {
            CaseType::WageArrears | CaseType::LabourDispute | CaseType::WorkInjury => {
                if matches!(referral, Some(Referral::Arbitration | Referral::Court)) {
                    Outcome::Award
                } else {
                    Table::new(&[
                        (Outcome::Agreement, 50),
                        (Outcome::Recovered, 40),
                        (Outcome::Award, 10),
                    ])
                    .pick(&mut self.rng)
                }
            }
            CaseType::LegalAid => one(
                &mut self.rng,
                &[Outcome::Agreement, Outcome::Award, Outcome::Other],
            ),
            CaseType::Other => Outcome::Other,
            _ => Outcome::Assisted,
        };
        let pct = match outcome {
            Outcome::Agreement => self.rng.random_range(55..=100),
            Outcome::Recovered => {
                if self.rng.random_bool(0.7) {
                    100
                } else {
                    self.rng.random_range(80..100)
                }
            }
            Outcome::Award => self.rng.random_range(85..=100),
            _ => 0,
        };
        let recovered = if pct == 100 {
            claimed
        } else {
            Fen(claimed.0 * pct / 100 / 100 * 100)
        };
        w.set_status(id, StatusChange::Resolve { outcome, recovered }, time(at))?;
        let text = match outcome {
            Outcome::Agreement => format!(
                "{}，对方已支付{}",
                one(
                    &mut self.rng,
                    &[
                        "双方在驿站调解室达成调解协议",
                        "经街道人民调解委员会调解，双方达成协议",
                        "双方签订分期付款调解协议"
                    ]
                ),
                yuan(recovered)
            ),
            Outcome::Recovered => format!("款项{}已全部追回，工人已确认收到", yuan(recovered)),
            Outcome::Award => format!("仲裁裁决支持工人请求，已执行到位{}", yuan(recovered)),
            Outcome::Assisted => one(
                &mut self.rng,
                &[
                    "帮扶物资已送达，工会慰问金已发放",
                    "已协调医疗救助资金，当事人表示感谢",
                    "已对接就业岗位，当事人已上岗",
                    "已安排心理咨询师跟进，情绪明显好转",
                ],
            )
            .to_owned(),
            _ => "已为当事人解答并协助办理，事项已办结".to_owned(),
        };
        self.note(w, id, at + 60_000, &text, notes_left)
    }

    fn close(
        &mut self,
        w: &mut Writer<'_>,
        id: CaseId,
        at: i64,
        notes_left: &mut u32,
    ) -> Result<()> {
        let reason = Table::new(CLOSE_REASONS).pick(&mut self.rng);
        if reason == CloseReason::Transferred {
            let r = Table::new(REFERRALS).pick(&mut self.rng);
            w.refer(id, Some(r))?;
        }
        w.set_status(id, StatusChange::Close { reason }, time(at))?;
        let text = match reason {
            CloseReason::Withdrawn => "当事人表示已与公司自行协商解决，申请撤回",
            CloseReason::Unreachable => "多次电话联系无人接听，短信未回复，暂停处理",
            CloseReason::NotPursued => "经核实不属于劳动关系纠纷，已告知其他解决途径",
            CloseReason::Transferred => "已移交相关部门处理，本站不再跟进",
            CloseReason::Other => "当事人已离开本市，案件关闭",
        };
        self.note(w, id, at + 60_000, text, notes_left)
    }

    /// Appends a note (as Writer::add_note, with an id of our own) while
    /// the case's quota of notes lasts.
    fn note(
        &mut self,
        w: &mut Writer<'_>,
        case: CaseId,
        at: i64,
        text: &str,
        left: &mut u32,
    ) -> Result<()> {
        if *left == 0 {
            return Ok(());
        }
        *left -= 1;
        let body = clean_multiline(Field::Note, text, NOTE_MAX)?;
        let id = NoteId(self.uuid_at(at.min(self.now_ms)));
        w.create(
            Entity::Note,
            &id.0,
            &[("case_id", id_value(&case.0)), ("body", Value::from(body))],
        )
    }

    fn group_respondent(&mut self, trade: Trade) -> String {
        match trade {
            Trade::Construction => self.company(BUILDERS),
            Trade::FoodDelivery => {
                let brand = one(&mut self.rng, BRANDS);
                let area = one(&mut self.rng, self.areas);
                format!("{}{brand}配送服务有限公司（{area}配送站）", self.city)
            }
            Trade::Sanitation => self.company(&["环境卫生服务有限公司", "清洁服务有限公司"]),
            _ => self.company(&["保安服务有限公司", "物业管理有限公司", "人力资源有限公司"]),
        }
    }

    fn respondent(&mut self, trade: Trade) -> String {
        match trade {
            Trade::FoodDelivery | Trade::Courier => {
                let brand = one(&mut self.rng, BRANDS);
                let area = one(&mut self.rng, self.areas);
                let kind = one(
                    &mut self.rng,
                    &["配送服务有限公司", "物流有限公司", "快递服务部"],
                );
                format!("{}{brand}{kind}（{area}站）", self.city)
            }
            Trade::Construction => self.company(BUILDERS),
            Trade::RideHail => self.company(&["汽车租赁有限公司", "网约车运营有限公司"]),
            Trade::Truck => self.company(&["物流有限公司", "货运代理有限公司"]),
            Trade::Sanitation => self.company(&["环境卫生服务有限公司"]),
            Trade::Landscaping => self.company(&["园林绿化工程有限公司"]),
            Trade::Security => self.company(&["保安服务有限公司", "物业管理有限公司"]),
            Trade::HomeService => self.company(&["家政服务有限公司"]),
            Trade::Other => {
                self.company(&["人力资源有限公司", "劳务派遣有限公司", "餐饮管理有限公司"])
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn summary(
        &mut self,
        case_type: CaseType,
        hardship: Option<HardshipKind>,
        respondent: Option<&str>,
        claimants: usize,
        trade: Trade,
        claimed: Fen,
        period: &str,
    ) -> String {
        let resp = respondent.unwrap_or("用人单位");
        let trade_zh = trade.label(crate::i18n::Lang::ZhCn);
        match case_type {
            CaseType::WageArrears if claimants > 1 => {
                format!(
                    "{claimants}名{trade_zh}反映{resp}拖欠{period}工资，合计{}",
                    yuan(claimed)
                )
            }
            CaseType::WageArrears => format!("反映{resp}拖欠{period}工资{}", yuan(claimed)),
            CaseType::LabourDispute => format!(
                "与{resp}{}",
                one(
                    &mut self.rng,
                    &[
                        "解除劳动合同经济补偿争议",
                        "未签订书面劳动合同二倍工资争议",
                        "加班费争议",
                        "社会保险缴纳争议",
                        "押金及罚款扣除争议"
                    ]
                )
            ),
            CaseType::WorkInjury => match trade {
                Trade::FoodDelivery => "送餐途中发生交通事故受伤，申请工伤认定",
                Trade::Courier => "派件时摔倒致手腕骨折，要求单位承担医疗费",
                Trade::Construction => "施工中高处坠落受伤，单位未缴工伤保险",
                Trade::Sanitation => "清扫路面时被车辆剐蹭受伤，协商工伤待遇",
                Trade::Truck => "装卸货物时腰部扭伤，要求认定工伤",
                Trade::RideHail => "营运途中发生交通事故受伤，与公司协商赔偿",
                _ => "高温作业中暑送医，协商工伤待遇",
            }
            .to_owned(),
            CaseType::LegalAid => one(
                &mut self.rng,
                &[
                    "交通事故赔偿纠纷，申请法律援助",
                    "劳动合同纠纷，需要律师代理仲裁",
                    "被平台封号及扣款，咨询维权途径",
                ],
            )
            .to_owned(),
            CaseType::Hardship => match hardship {
                Some(HardshipKind::Medical) => "家属患重病，医疗费用负担重，申请医疗救助",
                Some(HardshipKind::Education) => "子女上学费用困难，申请金秋助学",
                Some(HardshipKind::Employment) => "失业后求职困难，申请就业帮扶",
                Some(HardshipKind::Emotional) => "独自在外务工，家庭变故后情绪低落，需要关怀",
                _ => "家庭生活困难，申请生活救助",
            }
            .to_owned(),
            CaseType::EmergencyRelief => one(
                &mut self.rng,
                &[
                    "高温天气中暑晕倒，送医后申请应急救助",
                    "电动车被盗无法工作，生活陷入困难",
                    "暴雨中受伤，急需医疗费用",
                ],
            )
            .to_owned(),
            CaseType::Psychological => one(
                &mut self.rng,
                &[
                    "工作压力大，长期失眠焦虑，申请心理疏导",
                    "与顾客发生冲突后情绪困扰",
                    "夫妻矛盾影响工作，希望得到心理支持",
                ],
            )
            .to_owned(),
            CaseType::Other => one(
                &mut self.rng,
                &[
                    "咨询灵活就业人员社保缴纳问题",
                    "咨询工会会员服务卡办理",
                    "咨询子女入学积分政策",
                ],
            )
            .to_owned(),
        }
    }

    fn intake_note(
        &mut self,
        t: CaseType,
        h: Option<HardshipKind>,
        resp: &str,
        n: usize,
    ) -> String {
        match t {
            CaseType::WageArrears if n > 1 => {
                format!("{n}名工人来站反映{resp}拖欠工资，已登记考勤记录、工资条和聊天记录截图")
            }
            CaseType::WageArrears => {
                "当事人来站反映被拖欠工资，已登记劳动合同、工资流水等材料".to_owned()
            }
            CaseType::LabourDispute => "受理调解申请，已告知双方调解程序及权利义务".to_owned(),
            CaseType::WorkInjury => {
                "已协助整理就医记录和事故经过，告知工伤认定申请时限为一年".to_owned()
            }
            CaseType::LegalAid => "已登记法律援助申请，收取身份证复印件及经济困难说明".to_owned(),
            CaseType::Hardship => match h {
                Some(HardshipKind::Medical) => {
                    "已收取诊断证明及医疗费票据，上报区总工会".to_owned()
                }
                Some(HardshipKind::Education) => "已收取录取通知书及家庭收入证明".to_owned(),
                _ => "上门走访核实家庭情况，符合帮扶条件".to_owned(),
            },
            CaseType::EmergencyRelief => "情况紧急，站长已同意先行发放应急救助金".to_owned(),
            CaseType::Psychological => "已预约心理咨询师，告知来访时间".to_owned(),
            CaseType::Other => "已登记，待核实相关政策后答复".to_owned(),
        }
    }

    fn progress_note(&mut self, t: CaseType, resp: &str) -> String {
        match t {
            CaseType::WageArrears | CaseType::LabourDispute | CaseType::WorkInjury => {
                match self.rng.random_range(0..4) {
                    0 => "已联系用人单位，对方承诺月底前支付".to_owned(),
                    1 => format!("已与{resp}负责人电话沟通，对方称资金周转困难，约定下周面谈"),
                    2 => "组织双方在驿站调解室面谈，对方同意核对工资明细".to_owned(),
                    _ => format!("已向劳动保障监察大队反映{resp}欠薪情况"),
                }
            }
            CaseType::Psychological => "咨询师已进行首次疏导，建议每两周一次".to_owned(),
            _ => one(
                &mut self.rng,
                &[
                    "材料已齐全，报区总工会审批",
                    "已电话联系当事人补充材料",
                    "已与社区联系，了解家庭情况",
                ],
            )
            .to_owned(),
        }
    }

    fn waiting_note(&mut self, referral: Option<Referral>) -> String {
        match referral {
            Some(Referral::Arbitration) => "已协助申请劳动仲裁，等待仲裁委受理".to_owned(),
            Some(Referral::Court) => "已协助向人民法院起诉，等待开庭".to_owned(),
            Some(Referral::LegalAidCentre) => "已转介法律援助中心，等待指派律师".to_owned(),
            Some(Referral::LabourInspection) => "已移送劳动保障监察，等待责令整改结果".to_owned(),
            _ => one(
                &mut self.rng,
                &[
                    "等待对方提供工资发放记录",
                    "等待区总工会审批结果",
                    "对方负责人出差，约定回来后再谈",
                ],
            )
            .to_owned(),
        }
    }

    // --- schedule ---------------------------------------------------------------

    /// Two psychological counsellors and two volunteer lawyers with their
    /// availability, one day off and one extra period, and sessions from two
    /// weeks before today to two weeks after. Returns (counsellors,
    /// appointments).
    fn schedule(
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
            let name = clean_text(Field::CounsellorName, &self.any_name(), 50)?;
            let cid = CounsellorId(self.uuid_at(base + i as i64 * 600_000));
            // As Writer::add_counsellor, with an id of our own.
            w.create(
                Entity::Counsellor,
                &cid.0,
                &[
                    ("name", Value::from(name)),
                    ("kind", Value::from(kind.code())),
                    ("active", Value::Bool(true)),
                ],
            )?;
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
                        check_bookable(&desk.rules, &desk.exceptions, date, slot)?;
                        let who = people[self.rng.random_range(0..avail)].id;
                        let (status, rebook) = self.session(&mut w, desk, date, slot, who, true)?;
                        appointments += 1;
                        if status == AppointmentStatus::Cancelled && rebook {
                            let who = people[self.rng.random_range(0..avail)].id;
                            self.session(&mut w, desk, date, slot, who, false)?;
                            appointments += 1;
                        }
                    }
                }
            }
        }
        w.commit()?;
        Ok((all.len() as u32, appointments))
    }

    /// Books one session (as Writer::book, with an id of our own) and moves
    /// it along as far as time allows. Returns its status and whether a
    /// cancelled slot should be offered to someone else.
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
        w.create(
            Entity::Appointment,
            &id.0,
            &[
                ("counsellor_id", id_value(&desk.id.0)),
                ("person_id", id_value(&person.0)),
                ("date", Value::from(date.to_string())),
                ("start", Value::from(slot.start.format("%H:%M").to_string())),
                ("end", Value::from(slot.end.format("%H:%M").to_string())),
                ("status", Value::from(AppointmentStatus::Booked.code())),
                ("follow_up", Value::Null),
                ("notes", Value::Null),
                ("booked_at", Value::from(booked)),
            ],
        )?;
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
            let follow_up = if self.rng.random_bool(0.4) {
                Value::from((date + Duration::days(14)).to_string())
            } else {
                Value::Null
            };
            // No writer method sets these yet; the generic update logs them.
            w.update(
                Entity::Appointment,
                &id.0,
                &[("notes", Value::from(notes)), ("follow_up", follow_up)],
            )?;
        }
        Ok((status, status == Cancelled && self.rng.random_bool(0.4)))
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

/// The months of unpaid wages before a case opened in `opened`, as written
/// in a summary: `2026年3月至5月`, `2025年12月至2026年2月`, `2026年10月`.
fn unpaid(opened: NaiveDate, months: i64) -> String {
    let last = opened - Duration::days(30);
    let first = last - Duration::days(30 * (months - 1).max(0));
    if (first.year(), first.month()) == (last.year(), last.month()) {
        format!("{}年{}月", last.year(), last.month())
    } else if first.year() == last.year() {
        format!("{}年{}月至{}月", first.year(), first.month(), last.month())
    } else {
        format!(
            "{}年{}月至{}年{}月",
            first.year(),
            first.month(),
            last.year(),
            last.month()
        )
    }
}

fn trade_index(t: Trade) -> usize {
    Trade::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    New,
    InProgress,
    Waiting,
    Resolved,
    Closed,
    Reopened,
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

struct CaseCx<'a> {
    people: &'a [Worker],
    by_trade: &'a [Vec<u32>],
    handlers: &'a [(StaffId, Role)],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::CaseId;

    fn spec(seed: u64) -> DemoSpec {
        DemoSpec {
            code: "FT".into(),
            name: None,
            people: 300,
            visits: 3_000,
            cases: 120,
            seed,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        }
    }

    fn run(store: &mut Store, s: &DemoSpec) -> DemoSummary {
        generate(store, s, &mut |_, _, _| {}).unwrap()
    }

    /// Two fresh databases with the same replica id (a station's id is its
    /// database's replica id, which `open` draws at random).
    fn twin_stores(dir: &std::path::Path) -> (Store, Store) {
        let a = dir.join("a.db");
        let b = dir.join("b.db");
        drop(Store::open(&a).unwrap());
        std::fs::copy(&a, &b).unwrap();
        (Store::open(&a).unwrap(), Store::open(&b).unwrap())
    }

    #[test]
    fn same_seed_same_records_other_seed_other_records() {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, mut b) = twin_stores(dir.path());
        let sa = run(&mut a, &spec(7));
        let sb = run(&mut b, &spec(7));
        assert_eq!(sa, sb);
        assert_eq!(a.digest().unwrap(), b.digest().unwrap());

        let dir = tempfile::tempdir().unwrap();
        let (mut c, mut d) = twin_stores(dir.path());
        run(&mut c, &spec(7));
        run(&mut d, &spec(8));
        assert_ne!(c.digest().unwrap(), d.digest().unwrap());
    }

    #[test]
    fn same_seed_same_ids_in_memory() {
        // In memory the station ids differ, but every generated id agrees.
        let ids = |s: &Store| -> Vec<Vec<u8>> {
            let mut out = Vec::new();
            for t in [
                "people",
                "visits",
                "cases",
                "case_notes",
                "staff",
                "appointments",
            ] {
                let mut stmt = s
                    .conn()
                    .prepare(&format!("SELECT id FROM {t} ORDER BY id"))
                    .unwrap();
                let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap();
                out.extend(rows.map(|r| r.unwrap()));
            }
            out
        };
        let mut a = Store::open_in_memory().unwrap();
        let mut b = Store::open_in_memory().unwrap();
        // `init` then `demo` gives what `demo` alone gives.
        b.init_station("ft", "福田 爱心驿站", "Asia/Shanghai")
            .unwrap();
        run(&mut a, &spec(3));
        run(&mut b, &spec(3));
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(
            b.station().unwrap().unwrap().name,
            "福田 爱心驿站",
            "its name wins"
        );
    }

    #[test]
    fn records_validate_and_counts_match() {
        let mut store = Store::open_in_memory().unwrap();
        let s = spec(1);
        let mut stages = Vec::new();
        let summary = generate(&mut store, &s, &mut |stage, done, total| {
            assert!(done <= total);
            stages.push(stage.to_owned());
        })
        .unwrap();
        assert!(stages.iter().any(|x| x == "visits"));
        assert_eq!(summary.people, s.people);
        assert_eq!(summary.visits, s.visits);
        assert_eq!(summary.cases, s.cases);
        assert_eq!(summary.counsellors, 4);
        assert!((4..=6).contains(&summary.staff));
        assert!(summary.appointments > 10, "{summary:?}");
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        let count = |e: Entity| report.counts.iter().find(|(x, _)| *x == e).unwrap().1;
        assert_eq!(count(Entity::Person), u64::from(s.people));
        assert_eq!(count(Entity::Visit), u64::from(s.visits));
        assert_eq!(count(Entity::Case), u64::from(s.cases));
        assert_eq!(count(Entity::Appointment), u64::from(summary.appointments));
        assert_eq!(
            report.ops, summary.ops,
            "a fresh database logs only the demo"
        );
        let station = store.station().unwrap().unwrap();
        assert_eq!(station.name, "福田区总工会 爱心驿站");

        // Generating again adds new records instead of colliding.
        let again = run(
            &mut store,
            &DemoSpec {
                people: 20,
                visits: 50,
                cases: 5,
                ..s
            },
        );
        assert_eq!(again.people, 20);
        assert!(store.check().unwrap().is_ok());
    }

    #[test]
    fn cases_in_every_state_and_a_group_case() {
        let mut store = Store::open_in_memory().unwrap();
        run(&mut store, &spec(2));
        let conn = store.conn();
        for st in CaseStatus::ALL {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM cases WHERE status = ?1",
                    [st.code()],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(n > 0, "no case is {}", st.code());
        }
        let (case, n): (Vec<u8>, i64) = conn
            .query_row(
                "SELECT case_id, count(*) AS n FROM case_claimants GROUP BY case_id ORDER BY n DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(n >= 7, "largest case has {n} claimants");
        let case = store
            .case(CaseId::from_slice(&case).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(case.case_type, CaseType::WageArrears);
        assert!(case.claimed.0 >= 7 * 300_000, "{:?}", case.claimed);
        let reopened: i64 = conn
            .query_row(
                "SELECT count(DISTINCT id) FROM ops WHERE entity = 5 AND payload LIKE '%\"status\":\"in_progress\"%'
                 AND id IN (SELECT id FROM ops WHERE entity = 5 AND payload LIKE '%\"concluded_at\":null%')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(reopened > 0, "some case was reopened");
        let bad: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases WHERE recovered > claimed",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(bad, 0);
        let today = spec(2).today;
        let n_overdue: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases WHERE status IN ('new','in_progress','waiting') AND follow_up < ?1",
                [today.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n_overdue > 0);
    }

    #[test]
    fn some_visitors_are_here_now() {
        let mut store = Store::open_in_memory().unwrap();
        let s = spec(4);
        run(&mut store, &s);
        let tz = store.time_zone().unwrap();
        let now = tz
            .from_local_datetime(&s.today.and_hms_opt(NOW_HOUR, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc);
        let present = store.present_since(now - Duration::hours(2)).unwrap();
        assert!((4..=12).contains(&present.len()), "{}", present.len());
        assert!(
            present
                .iter()
                .all(|v| v.person.is_some() && v.arrived_at <= now)
        );
        assert!(store.headcount_on(s.today).unwrap() > 0);
        let future: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM visits WHERE arrived_at > ?1 OR left_at > ?1",
                [now.timestamp_millis()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(future, 0, "nothing happens after now");
    }

    #[test]
    fn people_look_real() {
        let mut store = Store::open_in_memory().unwrap();
        run(&mut store, &spec(5));
        let conn = store.conn();
        let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        let n = q("SELECT count(*) FROM people");
        let mobiles = q("SELECT count(*) FROM people WHERE mobile IS NOT NULL");
        let distinct = q("SELECT count(DISTINCT mobile) FROM people WHERE mobile IS NOT NULL");
        let ids = q("SELECT count(*) FROM people WHERE resident_id IS NOT NULL");
        let members = q("SELECT count(*) FROM people WHERE union_member = 1");
        assert!(
            mobiles * 100 > n * 55 && mobiles * 100 < n * 85,
            "{mobiles}/{n}"
        );
        assert_eq!(mobiles, distinct);
        assert!(ids * 100 > n * 15 && ids * 100 < n * 35, "{ids}/{n}");
        assert!(
            members * 100 > n * 18 && members * 100 < n * 42,
            "{members}/{n}"
        );
        let mut stmt = conn
            .prepare("SELECT name, resident_id FROM people")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .unwrap();
        for row in rows {
            let (name, rid) = row.unwrap();
            assert!((2..=4).contains(&name.chars().count()), "{name}");
            if let Some(r) = rid {
                assert!(ResidentId::parse(&r).is_ok(), "{r}");
            }
        }
    }

    #[test]
    fn sessions_never_share_a_slot() {
        let mut store = Store::open_in_memory().unwrap();
        run(&mut store, &spec(6));
        let conn = store.conn();
        let clash: i64 = conn
            .query_row(
                "SELECT count(*) FROM (SELECT 1 FROM appointments WHERE status <> 'cancelled'
                 GROUP BY counsellor_id, date, start HAVING count(*) > 1)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(clash, 0);
        for st in ["booked", "done", "no_show"] {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM appointments WHERE status = ?1",
                    [st],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(n > 0, "no session is {st}");
        }
        let c = &store.counsellors().unwrap()[0];
        let next_week = spec(6).today + Duration::days(7);
        assert!(store.free_slots(c.id, next_week).is_ok());
    }

    #[test]
    fn unpaid_months_read_naturally() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(unpaid(d(2026, 11, 22), 1), "2026年10月");
        assert_eq!(unpaid(d(2026, 6, 20), 3), "2026年3月至5月");
        assert_eq!(unpaid(d(2026, 2, 10), 3), "2025年11月至2026年1月");
    }

    /// Full district scale; run with
    /// `cargo test --release --lib demo::tests::district_scale -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn district_scale() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("district.db")).unwrap();
        let s = DemoSpec {
            people: 200_000,
            visits: 1_000_000,
            cases: 50_000,
            ..spec(1)
        };
        let t = std::time::Instant::now();
        let mut last = std::time::Instant::now();
        let summary = generate(&mut store, &s, &mut |stage, done, total| {
            eprintln!(
                "{:>6.1}s (+{:.1}s) {stage} {done}/{total}",
                t.elapsed().as_secs_f64(),
                last.elapsed().as_secs_f64()
            );
            last = std::time::Instant::now();
        })
        .unwrap();
        eprintln!("{summary:?} in {:.1} s", t.elapsed().as_secs_f64());
    }
}
