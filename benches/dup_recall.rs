//! How well the duplicate detection finds one worker registered twice: a
//! generated database of distinct people, a known set of second records
//! planted in it with realistic differences, and the recall and precision
//! of both detectors on them.
//!
//! - the whole-database scan (`Store::duplicate_candidates`): recall over
//!   the planted pairs, by kind; precision in the top 100 and overall; the
//!   unplanted pairs it flags (namesakes of the base population), by reason;
//! - the intake check (`Store::likely_same`), asked with each planted
//!   record's details as a clerk would type them, before that record is
//!   registered: whether its original is among the first 5, whether it is
//!   the first; p50/p99 per call; and how often a new, distinct person is
//!   told of someone.
//!
//! `cargo bench --bench dup_recall` (20,000 people, 1,000 planted; a few
//! seconds once built); `WAYSTATION_BENCH_SCALE=small` uses 5,000 and 250.
//! `WAYSTATION_DUP_PEOPLE=n` sets the base population (planted: one in 20);
//! `WAYSTATION_DUP_MISSES=1` lists the planted pairs the scan missed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::percentile;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use waystation::domain::ids::PersonId;
use waystation::domain::person::{PersonDetails, Trade};
use waystation::domain::resident_id::check_char;
use waystation::domain::text::pinyin_of;
use waystation::domain::{Mobile, ResidentId};
use waystation::store::{Candidate, Store, Typed, Why};

const SEED: u64 = 20_261_122;

/// Surnames with their approximate frequency (per 10,000 people).
#[rustfmt::skip]
const SURNAMES: &[(&str, u32)] = &[
    ("王", 710), ("李", 700), ("张", 680), ("刘", 540), ("陈", 450), ("杨", 310), ("黄", 250),
    ("赵", 230), ("吴", 200), ("周", 190), ("徐", 150), ("孙", 150), ("马", 130), ("朱", 130),
    ("胡", 120), ("郭", 120), ("何", 100), ("高", 100), ("林", 100), ("罗", 90), ("郑", 90),
    ("梁", 90), ("谢", 70), ("宋", 70), ("唐", 60), ("许", 60), ("韩", 60), ("冯", 60), ("邓", 60),
    ("曹", 60), ("彭", 50), ("曾", 50), ("肖", 50), ("田", 50), ("董", 50), ("袁", 40), ("潘", 40),
    ("于", 40), ("蒋", 40), ("蔡", 40), ("余", 40), ("杜", 40), ("叶", 40), ("程", 40), ("苏", 30),
    ("魏", 30), ("吕", 30), ("丁", 30), ("任", 30), ("沈", 30), ("姚", 30), ("卢", 30), ("姜", 20),
    ("崔", 20), ("钟", 20), ("谭", 20), ("陆", 20), ("汪", 20), ("范", 20), ("金", 20), ("石", 20),
    ("廖", 20), ("贾", 20), ("夏", 20), ("韦", 20), ("付", 20), ("方", 20), ("白", 20), ("邹", 20),
    ("孟", 20), ("熊", 20), ("秦", 20), ("邱", 20), ("江", 20), ("尹", 20), ("薛", 15), ("段", 15),
    ("雷", 15), ("侯", 15), ("龙", 15), ("史", 15), ("陶", 10), ("黎", 10), ("贺", 10), ("顾", 10),
    ("毛", 10), ("郝", 10), ("龚", 10), ("邵", 10), ("万", 10), ("钱", 10), ("严", 10), ("武", 10),
    ("戴", 10), ("莫", 10), ("孔", 10), ("向", 10), ("汤", 10), ("常", 10), ("温", 10), ("康", 10),
    ("欧阳", 3), ("司马", 1), ("上官", 1), ("诸葛", 1),
];

/// Common characters of men's and women's given names.
const GIVEN_MALE: &str = "伟强磊军洋勇杰涛明超刚建文辉力飞鹏斌宇浩凯健俊峰波成国海志永东金亮兵新胜福\
贵德庆山荣光彬鑫振宏卫学豪毅铭忠诚根生喜发友全龙博轩阳林平华春晓";
const GIVEN_FEMALE: &str = "芳娜敏静丽艳娟秀霞桂英玉萍红春兰梅琴云莉婷雪燕晨欣怡玲晓丹佳雨嘉思涵梓秋菊\
凤珍慧颖洁琳月翠华平林";

/// Characters read alike (the same toneless pinyin): what an input method
/// offers side by side. A substitution counts only when the whole name's
/// reading (`pinyin_of`) stays equal.
const HOMOPHONES: &[&str] = &[
    "晓小筱",
    "明铭鸣",
    "伟玮炜维卫",
    "丽莉力立利",
    "军君俊钧",
    "华桦骅",
    "静婧靖",
    "强蔷",
    "芳方",
    "艳燕雁",
    "娟鹃",
    "霞侠",
    "英莹鹰",
    "玉宇雨羽",
    "萍平苹",
    "红宏鸿洪虹",
    "兰岚蓝",
    "梅玫媚",
    "琴勤芹",
    "云芸",
    "婷庭霆",
    "雪学",
    "欣新鑫馨",
    "怡宜艺毅义",
    "琳林霖麟",
    "玲凌灵",
    "佳嘉家",
    "涵晗寒",
    "磊蕾",
    "杰洁婕",
    "涛韬",
    "刚钢",
    "建健剑",
    "文雯",
    "辉慧惠",
    "飞菲",
    "鹏朋",
    "斌彬",
    "浩昊皓",
    "凯恺",
    "峰锋丰",
    "波博",
    "成诚城",
    "志智",
    "永勇",
    "东冬",
    "胜圣",
    "福富",
    "贵桂",
    "庆青清",
    "荣蓉",
    "振震",
    "忠中",
    "龙隆",
    "阳杨洋",
    "张章",
    "王汪",
    "刘柳",
    "徐许",
    "吴武",
    "朱祝",
    "李黎",
    "春纯",
    "秀绣",
    "娜纳",
];

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

fn employers(trade: Trade) -> &'static [(&'static str, u32)] {
    match trade {
        Trade::FoodDelivery => &[
            ("美团", 45),
            ("饿了么", 35),
            ("美团众包", 8),
            ("蜂鸟众包", 6),
            ("闪送", 6),
        ],
        Trade::Courier => &[
            ("顺丰速运", 24),
            ("京东物流", 20),
            ("中通快递", 15),
            ("圆通速递", 12),
            ("韵达快递", 10),
            ("申通快递", 8),
            ("极兔速递", 6),
            ("德邦快递", 5),
        ],
        Trade::RideHail => &[
            ("滴滴出行", 55),
            ("高德打车", 20),
            ("T3出行", 13),
            ("曹操出行", 12),
        ],
        Trade::Truck => &[("货拉拉", 40), ("满帮", 35), ("快狗打车", 25)],
        Trade::Sanitation => &[("环卫所", 50), ("玉禾田环境", 25), ("侨银环保", 25)],
        Trade::Construction => &[
            ("中建三局", 30),
            ("宏达建筑劳务有限公司", 25),
            ("鑫源建设工程有限公司", 25),
            ("恒业劳务分包有限公司", 20),
        ],
        Trade::Landscaping => &[("园林所", 60), ("绿源园林绿化公司", 40)],
        Trade::Security => &[("安泰保安服务公司", 50), ("众邦物业", 50)],
        Trade::HomeService => &[("58到家", 40), ("天鹅到家", 35), ("个体", 25)],
        Trade::Other => &[("个体", 60), ("万通商贸", 40)],
    }
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut r = rng.random_range(0..total);
    for (v, w) in table {
        if r < *w {
            return *v;
        }
        r -= w;
    }
    table[table.len() - 1].0
}

/// The base population's generator: distinct people (every mobile and ID
/// number used once), names repeating as they do.
struct Gen {
    rng: ChaCha8Rng,
    mobiles: HashSet<String>,
    ids: HashSet<String>,
}

impl Gen {
    fn name(&mut self, female: bool) -> String {
        let mut s = String::from(weighted(&mut self.rng, SURNAMES));
        let pool: Vec<char> = if female { GIVEN_FEMALE } else { GIVEN_MALE }
            .chars()
            .collect();
        let n = if self.rng.random_bool(0.75) { 2 } else { 1 };
        for _ in 0..n {
            s.push(*pool.choose(&mut self.rng).unwrap());
        }
        s
    }

    fn mobile(&mut self) -> Mobile {
        loop {
            let second = *[3, 5, 8].choose(&mut self.rng).unwrap();
            let n = format!("1{second}{:09}", self.rng.random_range(0..1_000_000_000u32));
            if self.mobiles.insert(n.clone()) {
                return Mobile::parse(&n).unwrap();
            }
        }
    }

    fn resident_id(&mut self, female: bool) -> ResidentId {
        const PROVINCES: &[u32] = &[
            11, 13, 14, 21, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 50, 51, 52, 53, 61, 62,
        ];
        let start = NaiveDate::from_ymd_opt(1965, 1, 1).unwrap();
        loop {
            let birth = start + chrono::Duration::days(self.rng.random_range(0..40 * 365));
            let sex = 2 * self.rng.random_range(0..5) + u32::from(!female);
            let s = format!(
                "{}{:02}{:02}{}{:02}{sex}",
                PROVINCES.choose(&mut self.rng).unwrap(),
                self.rng.random_range(1..=20),
                self.rng.random_range(1..=30),
                birth.format("%Y%m%d"),
                self.rng.random_range(0..100)
            );
            let mut first = [0u8; 17];
            first.copy_from_slice(s.as_bytes());
            let full = format!("{s}{}", check_char(&first));
            if self.ids.insert(full.clone()) {
                return ResidentId::parse(&full).unwrap();
            }
        }
    }

    fn employer(&mut self, trade: Trade) -> Option<String> {
        self.rng
            .random_bool(0.85)
            .then(|| weighted(&mut self.rng, employers(trade)).to_owned())
    }

    fn person(&mut self) -> PersonDetails {
        let trade = weighted(&mut self.rng, TRADES);
        let female = self.rng.random_bool(match trade {
            Trade::HomeService => 0.9,
            Trade::Sanitation => 0.5,
            Trade::Landscaping => 0.4,
            Trade::Other => 0.3,
            _ => 0.1,
        });
        let name = self.name(female);
        let mobile = Some(self.mobile());
        let resident_id = self.rng.random_bool(0.6).then(|| self.resident_id(female));
        let employer = self.employer(trade);
        PersonDetails {
            name,
            mobile,
            resident_id,
            trade,
            employer,
            union_member: false,
            union_joined: None,
        }
    }

    /// Another employer than `now` for this trade (or the first one).
    fn other_employer(&mut self, trade: Trade, now: Option<&str>) -> String {
        loop {
            let e = weighted(&mut self.rng, employers(trade));
            if Some(e) != now {
                return e.to_owned();
            }
            if employers(trade).len() == 1 {
                return format!("{e}分公司");
            }
        }
    }

    /// `name` with one character replaced by one read alike: the place
    /// changed, or `None` when no character of it has such a neighbour.
    fn homophone(&mut self, name: &str) -> Option<(String, usize)> {
        let chars: Vec<char> = name.chars().collect();
        let reading = pinyin_of(name).full();
        let mut options = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            for group in HOMOPHONES.iter().filter(|g| g.contains(*c)) {
                for o in group.chars().filter(|o| o != c) {
                    let mut v = chars.clone();
                    v[i] = o;
                    let s: String = v.into_iter().collect();
                    if pinyin_of(&s).full() == reading {
                        options.push((s, i));
                    }
                }
            }
        }
        options.choose(&mut self.rng).cloned()
    }

    /// `name` with one character replaced by an unrelated one (another
    /// surname in the surname's place, another name character elsewhere),
    /// read otherwise; the place changed.
    fn typo(&mut self, name: &str) -> (String, usize) {
        let chars: Vec<char> = name.chars().collect();
        let reading = pinyin_of(name).full();
        let pool: Vec<char> = format!("{GIVEN_MALE}{GIVEN_FEMALE}").chars().collect();
        loop {
            let i = self.rng.random_range(0..chars.len());
            let with = if i == 0 {
                let s = weighted(&mut self.rng, SURNAMES);
                if s.chars().count() != 1 {
                    continue;
                }
                s.chars().next().unwrap()
            } else {
                *pool.choose(&mut self.rng).unwrap()
            };
            let mut v = chars.clone();
            v[i] = with;
            let s: String = v.into_iter().collect();
            if s != name && pinyin_of(&s).full() != reading {
                return (s, i);
            }
        }
    }
}

/// How a planted record differs from its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    // Sharing a phone or an ID number.
    MobileHomophone,
    MobileTypo,
    IdNewMobile,
    MobileNoId,
    MobileOtherEmployer,
    // Name only: another mobile, no ID number.
    SameName,
    Homophone,
    Typo,
    OtherEmployer,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::MobileHomophone,
        Kind::MobileTypo,
        Kind::IdNewMobile,
        Kind::MobileNoId,
        Kind::MobileOtherEmployer,
        Kind::SameName,
        Kind::Homophone,
        Kind::Typo,
        Kind::OtherEmployer,
    ];

    fn by_number(self) -> bool {
        self < Kind::SameName
    }

    fn label(self) -> &'static str {
        match self {
            Kind::MobileHomophone => "same mobile, a homophone in the name",
            Kind::MobileTypo => "same mobile, a typo in the name",
            Kind::IdNewMobile => "same ID number, another mobile",
            Kind::MobileNoId => "same mobile, ID number left out",
            Kind::MobileOtherEmployer => "same mobile, another employer",
            Kind::SameName => "same name, trade and employer",
            Kind::Homophone => "a homophone in the name, same trade and employer",
            Kind::Typo => "a typo in the name, same trade and employer",
            Kind::OtherEmployer => "same name and trade, another employer",
        }
    }
}

/// Where in the name a character was changed, for homophones and typos.
fn place(name: &str, i: usize) -> &'static str {
    match (name.chars().count(), i) {
        (2, _) => "2-character name",
        (_, 0) => "3-character name, 1st character",
        (3, 1) => "3-character name, 2nd character",
        _ => "3-character name, last character",
    }
}

struct Planted {
    kind: Kind,
    base: PersonId,
    details: PersonDetails,
    id: PersonId,
    /// Where the name was changed, for a homophone or a typo.
    place: Option<&'static str>,
}

fn uuid(rng: &mut ChaCha8Rng) -> PersonId {
    PersonId(uuid::Builder::from_random_bytes(rng.random()).into_uuid())
}

fn typed(d: &PersonDetails) -> Typed {
    Typed {
        name: d.name.clone(),
        mobile: d.mobile.as_ref().map(|m| m.as_str().to_owned()),
        resident_id: d.resident_id.as_ref().map(|r| r.as_str().to_owned()),
        trade: Some(d.trade),
        employer: d.employer.clone(),
    }
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{:.1} %", 100.0 * n as f64 / of as f64)
    }
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

/// found / planted per kind and per (kind, place), number pairs and name-only.
fn recall_table(plants: &[Planted], hit: &[bool]) {
    let mut by: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    let mut by_place: BTreeMap<(Kind, &str), (usize, usize)> = BTreeMap::new();
    let (mut num, mut name) = ((0, 0), (0, 0));
    for (p, &h) in plants.iter().zip(hit) {
        let e = by.entry(p.kind).or_default();
        e.0 += usize::from(h);
        e.1 += 1;
        if let Some(pl) = p.place {
            let e = by_place.entry((p.kind, pl)).or_default();
            e.0 += usize::from(h);
            e.1 += 1;
        }
        let t = if p.kind.by_number() {
            &mut num
        } else {
            &mut name
        };
        t.0 += usize::from(h);
        t.1 += 1;
    }
    println!(
        "  sharing a phone or ID: {}/{} = {} (target ≥ 95 %)",
        num.0,
        num.1,
        pct(num.0, num.1)
    );
    println!(
        "  name only:             {}/{} = {} (target ≥ 80 %)",
        name.0,
        name.1,
        pct(name.0, name.1)
    );
    for k in Kind::ALL {
        let (f, n) = by.get(&k).copied().unwrap_or_default();
        println!("    {:<52} {f:>4}/{n:<4} {}", k.label(), pct(f, n));
        for ((_, pl), (f, n)) in by_place
            .range((k, "")..)
            .take_while(|((kk, _), _)| *kk == k)
        {
            println!("      {pl:<50} {f:>4}/{n:<4} {}", pct(*f, *n));
        }
    }
}

/// The reason that put a pair up, in a word.
fn why_key(why: &[Why]) -> &'static str {
    if why.contains(&Why::SameResidentId) {
        "same ID number"
    } else if why.contains(&Why::SameMobile) {
        "same mobile"
    } else if why.contains(&Why::SameName) {
        "same name + trade/employer"
    } else if why.contains(&Why::SameReading) {
        "same reading + trade/employer"
    } else {
        "one character apart + employer"
    }
}

fn main() {
    let small = std::env::var("WAYSTATION_BENCH_SCALE").as_deref() == Ok("small");
    let people: usize = std::env::var("WAYSTATION_DUP_PEOPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if small { 5_000 } else { 20_000 });
    let planted_n = people / 20;
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(SEED),
        mobiles: HashSet::new(),
        ids: HashSet::new(),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("dups.db")).unwrap();
    store
        .init_station("DUP", "去重测试驿站", "Asia/Shanghai")
        .unwrap();
    let t0: DateTime<Utc> = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();

    // The base population.
    let t = Instant::now();
    let mut base: Vec<(PersonId, PersonDetails)> = Vec::with_capacity(people);
    let mut w = store.begin(None).unwrap();
    for i in 0..people {
        let d = g.person();
        let id = uuid(&mut g.rng);
        w.add_person_with_id(id, &d, t0 + chrono::Duration::minutes(i as i64))
            .unwrap();
        base.push((id, d));
    }
    w.commit().unwrap();
    let with_id = base.iter().filter(|(_, d)| d.resident_id.is_some()).count();
    let three = base
        .iter()
        .filter(|(_, d)| d.name.chars().count() >= 3)
        .count();
    println!(
        "base population: {people} people ({} with an ID number, {} with 3-character names, {} distinct names) in {:.1} s",
        pct(with_id, people),
        pct(three, people),
        base.iter()
            .map(|(_, d)| &d.name)
            .collect::<HashSet<_>>()
            .len(),
        t.elapsed().as_secs_f64()
    );

    // The planted second records: one original each, a tenth of them per
    // kind sharing a number, an eighth per name-only kind.
    let mut used: HashSet<usize> = HashSet::new();
    let mut plants: Vec<Planted> = Vec::with_capacity(planted_n);
    for kind in Kind::ALL {
        let n = if kind.by_number() {
            planted_n / 10
        } else {
            planted_n / 8
        };
        let mut made = 0;
        while made < n {
            let i = g.rng.random_range(0..people);
            if used.contains(&i) {
                continue;
            }
            let (base_id, b) = &base[i];
            let mut d = b.clone();
            let mut at = None;
            match kind {
                Kind::MobileHomophone | Kind::Homophone => {
                    let Some((name, pos)) = g.homophone(&b.name) else {
                        continue;
                    };
                    at = Some(place(&b.name, pos));
                    d.name = name;
                }
                Kind::MobileTypo | Kind::Typo => {
                    if kind == Kind::Typo && b.employer.is_none() {
                        continue;
                    }
                    let (name, pos) = g.typo(&b.name);
                    at = Some(place(&b.name, pos));
                    d.name = name;
                }
                Kind::IdNewMobile | Kind::MobileNoId => {
                    if b.resident_id.is_none() {
                        continue;
                    }
                    if kind == Kind::IdNewMobile {
                        d.mobile = Some(g.mobile());
                    } else {
                        d.resident_id = None;
                    }
                }
                Kind::MobileOtherEmployer | Kind::OtherEmployer => {
                    d.employer = Some(g.other_employer(b.trade, b.employer.as_deref()));
                }
                Kind::SameName => {}
            }
            if !kind.by_number() {
                d.mobile = Some(g.mobile());
                d.resident_id = None;
            }
            used.insert(i);
            plants.push(Planted {
                kind,
                base: *base_id,
                details: d,
                id: uuid(&mut g.rng),
                place: at,
            });
            made += 1;
        }
    }
    // New people, distinct from everyone: what the intake check says of
    // someone who really is new.
    let fresh: Vec<PersonDetails> = (0..planted_n).map(|_| g.person()).collect();

    // The intake check, before each planted record is registered.
    println!(
        "\nintake check (likely_same, limit 5) with each of {} planted records' details, before it is registered:",
        plants.len()
    );
    let mut times = Vec::with_capacity(plants.len() + fresh.len());
    let mut hit = Vec::with_capacity(plants.len());
    let (mut top1, mut returned, mut right, mut deeper) = (0, 0, 0, 0);
    for p in &plants {
        let typed = typed(&p.details);
        let s = Instant::now();
        let got = store.likely_same(&typed, 5).unwrap();
        times.push(s.elapsed());
        let found = got.iter().any(|l| l.person.id == p.base);
        hit.push(found);
        top1 += usize::from(got.first().is_some_and(|l| l.person.id == p.base));
        returned += got.len();
        right += usize::from(found);
        // Untimed: whether it is there at all, past the first 5.
        let more = store.likely_same(&typed, 50).unwrap();
        deeper += usize::from(more.iter().any(|l| l.person.id == p.base));
    }
    recall_table(&plants, &hit);
    let (mut alarmed, mut told) = (0, 0);
    for d in &fresh {
        let s = Instant::now();
        let got = store.likely_same(&typed(d), 5).unwrap();
        times.push(s.elapsed());
        alarmed += usize::from(!got.is_empty());
        told += got.len();
    }
    times.sort();
    println!(
        "  top-1 is the original: {top1}/{} = {}; of all {returned} returned, the original: {}",
        plants.len(),
        pct(top1, plants.len()),
        pct(right, returned)
    );
    println!(
        "  the original among the first 50 (limit 50): {deeper}/{} = {}",
        plants.len(),
        pct(deeper, plants.len())
    );
    println!(
        "  {} new, distinct people: {alarmed} told of someone ({}), {told} people shown in all",
        fresh.len(),
        pct(alarmed, fresh.len())
    );
    println!(
        "  time per call: p50 {}, p99 {}, max {} ({} calls)",
        us(percentile(&times, 0.5)),
        us(percentile(&times, 0.99)),
        us(*times.last().unwrap()),
        times.len()
    );

    // Register them, then scan.
    let mut w = store.begin(None).unwrap();
    for (i, p) in plants.iter().enumerate() {
        w.add_person_with_id(
            p.id,
            &p.details,
            t0 + chrono::Duration::minutes((people + i) as i64),
        )
        .unwrap();
    }
    w.commit().unwrap();
    let key = |a: PersonId, b: PersonId| (a.min(b), a.max(b));
    let pairs: HashMap<(PersonId, PersonId), usize> = plants
        .iter()
        .enumerate()
        .map(|(i, p)| (key(p.base, p.id), i))
        .collect();
    let dups: HashSet<PersonId> = plants.iter().map(|p| p.id).collect();
    let t = Instant::now();
    let cands: Vec<Candidate> = store.duplicate_candidates(usize::MAX).unwrap();
    let scan = t.elapsed();
    println!(
        "\nwhole-database scan (duplicate_candidates) of {} people: {:.2} s, {} candidates",
        people + plants.len(),
        scan.as_secs_f64(),
        cands.len()
    );
    let mut hit = vec![false; plants.len()];
    let is_planted: Vec<bool> = cands
        .iter()
        .map(|c| {
            let p = pairs.get(&key(c.first, c.second)).copied();
            if let Some(i) = p {
                hit[i] = true;
            }
            p.is_some()
        })
        .collect();
    recall_table(&plants, &hit);
    if std::env::var_os("WAYSTATION_DUP_MISSES").is_some() {
        let of: HashMap<PersonId, &PersonDetails> = base.iter().map(|(i, d)| (*i, d)).collect();
        for (p, _) in plants.iter().zip(&hit).filter(|(_, h)| !**h) {
            let b = of[&p.base];
            println!(
                "  missed {:?}: {} {} {:?} / {} {} {:?}",
                p.kind,
                b.name,
                b.trade.code(),
                b.employer,
                p.details.name,
                p.details.trade.code(),
                p.details.employer
            );
        }
    }
    let mut tops: Vec<usize> = [100, 500, 1000, cands.len()]
        .into_iter()
        .map(|n| n.min(cands.len()))
        .collect();
    tops.dedup();
    for n in tops {
        let tp = is_planted[..n].iter().filter(|&&b| b).count();
        println!(
            "  precision in the top {n}: {tp}/{n} = {}{}",
            pct(tp, n),
            if n == 100 { " (target ≥ 90 %)" } else { "" }
        );
    }
    // What else it flags: pairs of two original people (namesakes by
    // chance), or a planted record and someone not its original.
    let mut other: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (c, &p) in cands.iter().zip(&is_planted) {
        if p {
            continue;
        }
        let among = if dups.contains(&c.first) || dups.contains(&c.second) {
            "a planted record and another"
        } else {
            "two original people"
        };
        *other.entry((among, why_key(&c.why))).or_default() += 1;
    }
    println!("  unplanted pairs flagged:");
    for ((among, why), n) in &other {
        println!("    {among:<30} {why:<32} {n:>6}");
    }
    // By score: how the planted pairs and the others mix.
    let mut by_score: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (c, &p) in cands.iter().zip(&is_planted) {
        let e = by_score.entry(c.score).or_default();
        e.0 += usize::from(p);
        e.1 += 1;
    }
    println!("  by score (planted / candidates):");
    for (s, (p, n)) in by_score.iter().rev() {
        println!("    {s:>4}: {p:>5} / {n:<6} {}", pct(*p, *n));
    }
}
