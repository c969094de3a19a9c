//! Sync through folders and bundle files, as stations do it: three to five
//! stations edit every kind of record while apart, some with clocks days
//! off, and exchange by sticks — synced with, copied in part and out of
//! order, copied twice, relayed through other stations. Once everything has
//! gone round, every station holds the same records (equal `check` digests)
//! and lists the same conflicts, and those conflicts are exactly the edits
//! overwritten without being seen.
//!
//! Separate properties: importing a folder again changes nothing, and the
//! order and grouping in which the same files arrive does not matter.
//! Deterministic tests at the end: skewed clocks, where an edit made after
//! seeing another wins however the clocks disagree.

use crate::common;

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
use proptest::prelude::*;
use uuid::Uuid;
use waystation::domain::case::{CaseStatus, CaseType, CloseReason, Outcome, Referral};
use waystation::domain::ids::{
    AppointmentId, CaseId, CounsellorId, ExceptionId, PersonId, ReplicaId, RuleId, StaffId,
    VisitId, WaitlistId,
};
use waystation::domain::money::Fen;
use waystation::domain::person::Trade;
use waystation::domain::schedule::{
    AppointmentStatus, AvailabilityException, AvailabilityRule, CounsellorKind, ExceptionKind,
    Recurrence, Slot, WaitlistStatus,
};
use waystation::domain::staff::Role;
use waystation::domain::visit::Services;
use waystation::store::Hit;
use waystation::store::{Choice, Issue};
use waystation::store::{Conflict, conflicts_of};
use waystation::store::{Entity, Store, StoreError};
use waystation::store::{LoggedOp, OP_UPDATE, OpRef};
use waystation::store::{NewCase, StatusChange};
use waystation::sync::bundle::{KdfParams, NetworkId, NetworkKey};
use waystation::sync::folder::{self, SyncReport, create_network, scan};

// ---------------------------------------------------------------------------
// Clocks: one simulated "now" for the run, and each station's clock off by
// its own skew. `Store::set_clock` takes a plain fn, so there is one per
// station index, reading thread-local cells (every test runs on its own
// thread, and proptest runs its cases on that thread).

const MAX_N: usize = 5;
const DAY_MS: i64 = 86_400_000;

thread_local! {
    static NOW: Cell<i64> = const { Cell::new(0) };
    static SKEW: [Cell<i64>; MAX_N] = const { [const { Cell::new(0) }; MAX_N] };
}

fn station_clock(r: usize) -> u64 {
    let now = NOW.with(Cell::get) + SKEW.with(|s| s[r].get());
    u64::try_from(now).unwrap_or(0)
}

fn clock0() -> u64 {
    station_clock(0)
}
fn clock1() -> u64 {
    station_clock(1)
}
fn clock2() -> u64 {
    station_clock(2)
}
fn clock3() -> u64 {
    station_clock(3)
}
fn clock4() -> u64 {
    station_clock(4)
}

const CLOCKS: [fn() -> u64; MAX_N] = [clock0, clock1, clock2, clock3, clock4];

/// Starts the simulated time at 2026-11-20 08:00 UTC, with these skews.
fn reset_clocks(skews: &[i64]) {
    NOW.with(|n| n.set(common::at(2026, 11, 20, 8).timestamp_millis()));
    SKEW.with(|s| {
        for (i, c) in s.iter().enumerate() {
            c.set(skews.get(i).copied().unwrap_or(0));
        }
    });
}

fn advance(ms: u32) {
    NOW.with(|n| n.set(n.get() + i64::from(ms)));
}

fn set_skew(r: usize, skew: i64) {
    SKEW.with(|s| s[r].set(skew));
}

// ---------------------------------------------------------------------------
// The network and its folders.

/// One network for every test: its id and key (derived once).
fn network() -> &'static (NetworkId, NetworkKey) {
    static NET: OnceLock<(NetworkId, NetworkKey)> = OnceLock::new();
    NET.get_or_init(|| {
        let id = NetworkId::new();
        let key =
            NetworkKey::derive_with_params("一街一月两次", id, KdfParams::FAST_INSECURE).unwrap();
        (id, key)
    })
}

/// A new folder `name` in `dir`, joined to the network.
fn new_folder(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(&p).unwrap();
    let (id, key) = network();
    create_network(&p, *id, key).unwrap();
    p
}

/// Syncs `store` with `folder`; no file may be refused.
fn sync_with(store: &mut Store, folder: &Path) -> SyncReport {
    let (id, key) = network();
    let report = folder::sync(store, folder, *id, key, &mut |_, _, _| {}).unwrap();
    assert!(
        report.refused.is_empty(),
        "{}: {:?}",
        folder.display(),
        report.refused
    );
    report
}

/// A replica sub-folder no station writes: files copied there are
/// duplicates of files elsewhere in the folder.
const STRANGER: &str = "0123456789abcdef0123456789abcdef";

/// Which files of a folder are copied.
#[derive(Debug, Clone, Copy)]
enum Pick {
    /// File i (in the order of `scan`) when bit i mod 64 is set.
    Bits(u64),
    /// Of each origin, only the file that reaches furthest: what arrives
    /// first when the newest files travel first.
    Newest,
    All,
}

impl Pick {
    fn files(self, folder: &Path) -> Vec<folder::Found> {
        let found = scan(folder).unwrap();
        match self {
            Pick::All => found,
            Pick::Bits(bits) => found
                .into_iter()
                .enumerate()
                .filter(|(i, _)| (bits >> (i % 64)) & 1 == 1)
                .map(|(_, f)| f)
                .collect(),
            Pick::Newest => {
                let mut newest: BTreeMap<ReplicaId, folder::Found> = BTreeMap::new();
                for f in found {
                    if newest.get(&f.origin).is_none_or(|n| f.last > n.last) {
                        newest.insert(f.origin, f);
                    }
                }
                newest.into_values().collect()
            }
        }
    }
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        3 => any::<u64>().prop_map(Pick::Bits),
        2 => Just(Pick::Newest),
        1 => Just(Pick::All),
    ]
}

/// Copies the files of `from` that `pick` picks into `to`, each into the
/// sub-folder it was in; with `dup` also into [`STRANGER`]. A file already
/// there is left alone.
fn carry(from: &Path, to: &Path, pick: Pick, dup: bool) {
    for f in pick.files(from) {
        let writer = f.path.parent().unwrap().file_name().unwrap().to_owned();
        let name = f.path.file_name().unwrap();
        let mut dirs = vec![writer];
        if dup {
            dirs.push(STRANGER.into());
        }
        for d in dirs {
            let target = to.join(d);
            std::fs::create_dir_all(&target).unwrap();
            let t = target.join(name);
            if !t.exists() {
                std::fs::copy(&f.path, &t).unwrap();
            }
        }
    }
}

/// Every bundle file of these folders: its path relative to its folder
/// (writer/name) and where it is.
fn files_of(folders: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for folder in folders {
        for f in scan(folder).unwrap() {
            let rel = f.path.strip_prefix(folder).unwrap().to_owned();
            out.push((rel, f.path));
        }
    }
    out
}

/// Scratch space for the folders. In memory where the system has it:
/// every bundle file is flushed to the device when written.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(d) = tempfile::Builder::new()
            .prefix("ws-converge")
            .tempdir_in(shm)
    {
        return d;
    }
    tempfile::tempdir().unwrap()
}

// ---------------------------------------------------------------------------
// What stations do.

const CODES: [&str; MAX_N] = ["FT", "NS", "ZB", "QU", "HD"];
/// The code each station may change to (and back): never another's.
const ALT_CODES: [&str; MAX_N] = ["FT2", "NS2", "ZB2", "QU2", "HD2"];
const NAMES: [&str; 8] = [
    "张三",
    "李四",
    "王五",
    "赵六",
    "欧阳娜娜",
    "单雄信",
    "曾国藩",
    "吕布",
];
const EMPLOYERS: [&str; 4] = ["顺丰", "京东", "美团", "宏达劳务"];
const NOTES: [&str; 4] = [
    "已电话联系",
    "带上工资条",
    "对方同意调解",
    "下周复查\n第二行",
];
const COUNSELLORS: [&str; 4] = ["周医生", "吴律师", "郑老师", "王律师"];
const STAFF: [&str; 3] = ["小刘", "老陈", "何姐"];

/// Session days: Monday to Wednesday of one week, and its Saturday.
fn day(i: u8) -> NaiveDate {
    let days = [23, 24, 25, 28];
    NaiveDate::from_ymd_opt(2026, 11, days[usize::from(i) % days.len()]).unwrap()
}

fn hm(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap()
}

/// One action at a station's desk; indexes pick among the records the
/// station holds (modulo their number).
#[derive(Debug, Clone)]
enum Act {
    AddPerson(u8),
    Rename(usize, u8),
    Employer(usize, Option<u8>),
    CheckIn(usize, u8),
    Leave(usize, u16),
    ComeBack(usize),
    Tally(u8, u8),
    UndoTally(usize),
    SetServices(usize, u8),
    OpenCase(usize, usize),
    Status(usize, u8),
    Note(usize, u8),
    FollowUp(usize, Option<u8>),
    Assign(usize, Option<usize>),
    Refer(usize, Option<u8>),
    Amounts(usize, u16, u16),
    Respondent(usize, u8),
    AddClaimant(usize, usize),
    RemoveClaimant(usize, usize),
    AddStaff(u8),
    RenameStation(bool),
    AddCounsellor(u8, bool),
    CounsellorActive(usize, bool),
    AddRule(usize, u8, u8),
    StopRule(usize),
    AddException(usize, u8, u8),
    StopException(usize),
    Book(usize, usize, u8, u8),
    MarkSession(usize, u8),
    SessionNotes(usize, Option<u8>),
    SessionFollowUp(usize, Option<u8>),
    Wait(usize, Option<usize>, bool, u8),
    WaitStatus(usize, u8),
    Resolve(usize, bool),
}

#[derive(Debug, Clone)]
enum Step {
    /// Station r does something.
    Do(usize, Act),
    /// Station r syncs with stick s.
    Sync(usize, usize),
    /// Some files of stick `from` are copied onto stick `to` (a partial
    /// copy, or Syncthing half done), perhaps a second time elsewhere.
    Carry {
        from: usize,
        to: usize,
        pick: Pick,
        dup: bool,
    },
    /// Station r receives some files of stick s, in a folder of their own
    /// (a stick half copied, an e-mail with a few files): later ranges may
    /// come before earlier ones, or twice.
    Parcel {
        stick: usize,
        to: usize,
        pick: Pick,
        dup: bool,
    },
    /// Station r's clock is set off by this much (corrected, or wrong).
    SetClock(usize, i64),
}

/// Record indexes range over the first few records of a kind (those of
/// the shared base, mostly), so that stations apart edit the same ones.
const K: usize = 6;

fn people_act() -> impl Strategy<Value = Act> {
    prop_oneof![
        1 => any::<u8>().prop_map(Act::AddPerson),
        4 => (0..K, any::<u8>()).prop_map(|(k, n)| Act::Rename(k, n)),
        2 => (0..K, proptest::option::of(0..4u8)).prop_map(|(k, e)| Act::Employer(k, e)),
        1 => (0..K, any::<u8>()).prop_map(|(k, m)| Act::CheckIn(k, m)),
        2 => (0..K, 1..600u16).prop_map(|(k, m)| Act::Leave(k, m)),
        1 => (0..K).prop_map(Act::ComeBack),
        1 => (any::<u8>(), 1..5u8).prop_map(|(t, n)| Act::Tally(t, n)),
        1 => (0..K).prop_map(Act::UndoTally),
        2 => (0..K, 0..8u8).prop_map(|(k, b)| Act::SetServices(k, b)),
        1 => any::<u8>().prop_map(Act::AddStaff),
    ]
}

fn case_act() -> impl Strategy<Value = Act> {
    prop_oneof![
        1 => (0..K, 0..K).prop_map(|(k, j)| Act::OpenCase(k, j)),
        4 => (0..K, 0..5u8).prop_map(|(k, c)| Act::Status(k, c)),
        1 => (0..K, 0..4u8).prop_map(|(k, n)| Act::Note(k, n)),
        2 => (0..K, proptest::option::of(0..30u8)).prop_map(|(k, d)| Act::FollowUp(k, d)),
        2 => (0..K, proptest::option::of(0..K)).prop_map(|(k, s)| Act::Assign(k, s)),
        1 => (0..K, proptest::option::of(0..5u8)).prop_map(|(k, r)| Act::Refer(k, r)),
        2 => (0..K, 0..3u16, 0..3u16).prop_map(|(k, c, r)| Act::Amounts(k, c * 1000, r * 500)),
        2 => (0..K, 0..5u8).prop_map(|(k, r)| Act::Respondent(k, r)),
        2 => (0..K, 0..K).prop_map(|(k, p)| Act::AddClaimant(k, p)),
        2 => (0..K, 0..4usize).prop_map(|(k, p)| Act::RemoveClaimant(k, p)),
    ]
}

fn schedule_act() -> impl Strategy<Value = Act> {
    prop_oneof![
        1 => (any::<u8>(), any::<bool>()).prop_map(|(n, l)| Act::AddCounsellor(n, l)),
        2 => (0..K, any::<bool>()).prop_map(|(k, a)| Act::CounsellorActive(k, a)),
        1 => (0..K, 0..3u8, 0..3u8).prop_map(|(k, d, h)| Act::AddRule(k, d, h)),
        1 => (0..K).prop_map(Act::StopRule),
        1 => (0..K, 0..4u8, 0..3u8).prop_map(|(k, d, x)| Act::AddException(k, d, x)),
        1 => (0..K).prop_map(Act::StopException),
        3 => (0..K, 0..K, 0..4u8, 9..17u8).prop_map(|(c, p, d, h)| Act::Book(c, p, d, h)),
        3 => (0..K, 0..5u8).prop_map(|(k, s)| Act::MarkSession(k, s)),
        2 => (0..K, proptest::option::of(0..4u8)).prop_map(|(k, n)| Act::SessionNotes(k, n)),
        1 => (0..K, proptest::option::of(0..20u8))
            .prop_map(|(k, d)| Act::SessionFollowUp(k, d)),
    ]
}

fn other_act() -> impl Strategy<Value = Act> {
    prop_oneof![
        1 => (0..K, proptest::option::of(0..K), any::<bool>(), 0..4u8)
            .prop_map(|(p, c, l, d)| Act::Wait(p, c, l, d)),
        2 => (0..K, 0..3u8).prop_map(|(k, s)| Act::WaitStatus(k, s)),
        3 => (0..K, any::<bool>()).prop_map(|(k, o)| Act::Resolve(k, o)),
        1 => any::<bool>().prop_map(Act::RenameStation),
    ]
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        3 => people_act(),
        3 => case_act(),
        3 => schedule_act(),
        2 => other_act(),
    ]
}

/// A clock error: none, a day or days behind or ahead, or anything within
/// a week.
fn skew() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => Just(0i64),
        1 => Just(-3 * DAY_MS),
        1 => Just(2 * DAY_MS),
        1 => -7 * DAY_MS..7 * DAY_MS,
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => (0..MAX_N, act()).prop_map(|(r, a)| Step::Do(r, a)),
        5 => (0..MAX_N, 0..3usize).prop_map(|(r, s)| Step::Sync(r, s)),
        2 => (0..3usize, 0..3usize, pick(), any::<bool>())
            .prop_map(|(from, to, pick, dup)| Step::Carry { from, to, pick, dup }),
        3 => (0..3usize, 0..MAX_N, pick(), any::<bool>())
            .prop_map(|(stick, to, pick, dup)| Step::Parcel { stick, to, pick, dup }),
        1 => (0..MAX_N, skew()).prop_map(|(r, s)| Step::SetClock(r, s)),
    ]
}

/// A step and the simulated milliseconds that pass before it (often none:
/// stations then read equal clocks).
fn timed_step() -> impl Strategy<Value = (u32, Step)> {
    (prop_oneof![Just(0u32), 1..5_000u32], step())
}

/// The records of each kind a station holds operations of, by id (ids are
/// time-ordered, so this is the order they were made in). Some may not be
/// built yet (waiting for a record they refer to): using one is refused.
struct Known(BTreeMap<Entity, Vec<Uuid>>);

impl Known {
    fn of(ops: &[LoggedOp]) -> Known {
        let mut m: BTreeMap<Entity, Vec<Uuid>> = BTreeMap::new();
        for o in ops {
            m.entry(o.entity).or_default().push(o.id);
        }
        for v in m.values_mut() {
            v.sort();
            v.dedup();
        }
        Known(m)
    }

    fn nth(&self, e: Entity, k: usize) -> Option<Uuid> {
        let v = self.0.get(&e)?;
        v.get(k % v.len().max(1)).copied()
    }
}

/// A refusal of the store (the step is skipped), as opposed to a failure.
fn refused(e: &StoreError) -> bool {
    match e {
        StoreError::Invalid(_) | StoreError::NotFound(_) => true,
        StoreError::Sqlite(s) => {
            s.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
        }
        _ => false,
    }
}

fn status_change(c: u8) -> StatusChange {
    match c % 5 {
        0 => StatusChange::To(CaseStatus::InProgress),
        1 => StatusChange::To(CaseStatus::Waiting),
        2 => StatusChange::Resolve {
            outcome: Outcome::Agreement,
            recovered: Fen(500_000),
        },
        3 => StatusChange::Close {
            reason: CloseReason::Withdrawn,
        },
        _ => StatusChange::To(CaseStatus::InProgress),
    }
}

/// Set to true to keep the random runs from deciding conflicts on fields
/// the lookup index holds (a person's name, mobile or ID number, a case's
/// respondent), when hunting another fault; deciding them must keep the
/// lookup right (`choosing_a_name_in_the_conflicts_list_updates_the_lookup`).
const SKIP_LOOKUP_RESOLUTIONS: bool = false;

/// Whether deciding this entry changes a field the lookup index holds.
fn feeds_lookup(issue: &Issue) -> bool {
    match issue {
        Issue::Record { conflict: c, .. } => matches!(
            (c.entity, c.field.as_str()),
            (Entity::Person, "name" | "mobile" | "resident_id") | (Entity::Case, "respondent")
        ),
        _ => false,
    }
}

/// Does `a` at station `r`; a refusal is an `Err`.
fn perform(s: &mut Store, r: usize, known: &Known, a: &Act) -> Result<(), StoreError> {
    let person = |k| known.nth(Entity::Person, k).map(PersonId);
    let visit = |k| known.nth(Entity::Visit, k).map(VisitId);
    let case = |k| known.nth(Entity::Case, k).map(CaseId);
    let counsellor = |k| known.nth(Entity::Counsellor, k).map(CounsellorId);
    let session = |k| known.nth(Entity::Appointment, k).map(AppointmentId);
    let none = || StoreError::NotFound("record");
    let later = |d: u8| NaiveDate::from_ymd_opt(2026, 11, 26).unwrap() + Duration::days(d.into());
    match a {
        Act::RenameStation(alt) => {
            s.update_station(if *alt { ALT_CODES[r] } else { CODES[r] }, None)?;
            return Ok(());
        }
        Act::Resolve(k, other) => {
            let list = s.conflicts()?;
            let Some(l) = list.get(k % list.len().max(1)) else {
                return Err(none());
            };
            if SKIP_LOOKUP_RESOLUTIONS && feeds_lookup(&l.issue) {
                return Err(none());
            }
            let choice = if *other { Choice::Other } else { Choice::Keep };
            s.resolve_conflict(&l.key, choice)?;
            return Ok(());
        }
        _ => {}
    }
    // Reads before the write.
    let person_details = |k| -> Result<_, StoreError> {
        let p = person(k).ok_or_else(none)?;
        Ok((p, s.person(p)?.ok_or_else(none)?.details))
    };
    let prepared = match a {
        Act::Rename(k, _) | Act::Employer(k, _) => Some(person_details(*k)?),
        _ => None,
    };
    let arrived = match a {
        Act::Leave(k, _) => {
            let v = visit(*k).ok_or_else(none)?;
            Some(s.visit(v)?.ok_or_else(none)?.arrived_at)
        }
        _ => None,
    };
    let claimants = match a {
        Act::RemoveClaimant(k, _) => s.claimants(case(*k).ok_or_else(none)?)?,
        _ => Vec::new(),
    };
    let mut w = s.begin(None)?;
    match a {
        Act::AddPerson(n) => {
            let d = common::details(
                NAMES[usize::from(*n) % NAMES.len()],
                "",
                Trade::ALL[usize::from(*n) % Trade::ALL.len()],
            );
            w.add_person(&d)?;
        }
        Act::Rename(_, n) => {
            let (p, mut d) = prepared.ok_or_else(none)?;
            d.name = format!("{}{}", NAMES[usize::from(*n) % NAMES.len()], n % 3);
            w.update_person(p, &d)?;
        }
        Act::Employer(_, e) => {
            let (p, mut d) = prepared.ok_or_else(none)?;
            d.employer = e.map(|e| EMPLOYERS[usize::from(e) % EMPLOYERS.len()].to_owned());
            w.update_person(p, &d)?;
        }
        Act::CheckIn(k, m) => {
            let at = common::at(2026, 11, 22, 3) + Duration::minutes((*m).into());
            w.check_in(person(*k).ok_or_else(none)?, Services::EMPTY, at)?;
        }
        Act::Leave(k, m) => {
            let at = arrived.ok_or_else(none)? + Duration::minutes((*m).into());
            w.mark_left(visit(*k).ok_or_else(none)?, at)?;
        }
        Act::ComeBack(k) => w.clear_left(visit(*k).ok_or_else(none)?)?,
        Act::Tally(t, n) => {
            let trade = Trade::ALL[usize::from(*t) % Trade::ALL.len()];
            w.tally(trade, (*n).into(), common::at(2026, 11, 22, 4))?;
        }
        Act::UndoTally(k) => w.undo_tally(visit(*k).ok_or_else(none)?)?,
        Act::SetServices(k, b) => {
            w.set_services(
                visit(*k).ok_or_else(none)?,
                Services::from_bits((*b).into()),
            )?;
        }
        Act::OpenCase(k, j) => {
            let mut claimants = vec![person(*k).ok_or_else(none)?, person(*j).ok_or_else(none)?];
            claimants.dedup();
            w.open_case(&NewCase {
                case_type: CaseType::WageArrears,
                hardship_kind: None,
                claimants: claimants.into_iter().map(Into::into).collect(),
                respondent: Some("宏达劳务".into()),
                summary: None,
                claimed: Fen(1_000_000),
                handler: None,
                follow_up: None,
                opened_at: common::at(2026, 11, 20, 3),
            })?;
        }
        Act::Status(k, c) => {
            w.set_status(
                case(*k).ok_or_else(none)?,
                status_change(*c),
                common::at(2026, 11, 21, 3),
            )?;
        }
        Act::Note(k, n) => {
            w.add_note(
                case(*k).ok_or_else(none)?,
                NOTES[usize::from(*n) % NOTES.len()],
            )?;
        }
        Act::FollowUp(k, d) => w.set_follow_up(case(*k).ok_or_else(none)?, d.map(later))?,
        Act::Assign(k, st) => {
            let handler = match st {
                Some(j) => Some(StaffId(known.nth(Entity::Staff, *j).ok_or_else(none)?)),
                None => None,
            };
            w.assign(case(*k).ok_or_else(none)?, handler)?;
        }
        Act::Refer(k, to) => {
            let to = to.map(|i| Referral::ALL[usize::from(i) % Referral::ALL.len()]);
            w.refer(case(*k).ok_or_else(none)?, to)?;
        }
        Act::Amounts(k, c, r) => {
            w.set_amounts(
                case(*k).ok_or_else(none)?,
                Fen(i64::from(*c) * 100),
                Fen(i64::from(*r) * 100),
            )?;
        }
        Act::Respondent(k, n) => {
            let r = ["", "宏达劳务", "顺丰速运", "某某建筑公司", "美团"][usize::from(*n) % 5];
            w.set_respondent(case(*k).ok_or_else(none)?, r)?;
        }
        Act::AddClaimant(k, p) => {
            w.add_claimant(case(*k).ok_or_else(none)?, person(*p).ok_or_else(none)?)?;
        }
        Act::RemoveClaimant(k, p) => {
            let (who, _) = claimants.get(p % claimants.len().max(1)).ok_or_else(none)?;
            w.remove_claimant(case(*k).ok_or_else(none)?, *who)?;
        }
        Act::AddStaff(n) => {
            let role = Role::ALL[usize::from(*n) % Role::ALL.len()];
            w.add_staff(STAFF[usize::from(*n) % STAFF.len()], role)?;
        }
        Act::AddCounsellor(n, legal) => {
            let kind = if *legal {
                CounsellorKind::Legal
            } else {
                CounsellorKind::Psychological
            };
            w.add_counsellor(COUNSELLORS[usize::from(*n) % COUNSELLORS.len()], kind)?;
        }
        Act::CounsellorActive(k, on) => {
            w.set_counsellor_active(counsellor(*k).ok_or_else(none)?, *on)?;
        }
        Act::AddRule(k, d, h) => {
            let (start, end) = [(9, 17), (9, 12), (14, 17)][usize::from(*h) % 3];
            let weekday = [Weekday::Mon, Weekday::Tue, Weekday::Wed][usize::from(*d) % 3];
            w.add_rule(&AvailabilityRule {
                id: RuleId::new(),
                counsellor: counsellor(*k).ok_or_else(none)?,
                recurrence: Recurrence::Weekly(weekday),
                start: hm(start),
                end: hm(end),
                slot_minutes: 60,
                valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                valid_until: None,
            })?;
        }
        Act::StopRule(k) => {
            w.remove_rule(RuleId(known.nth(Entity::Rule, *k).ok_or_else(none)?))?;
        }
        Act::AddException(k, d, x) => {
            let kind = match x % 3 {
                0 => ExceptionKind::Unavailable(None),
                1 => ExceptionKind::Unavailable(Some((hm(10), hm(12)))),
                _ => ExceptionKind::Extra(hm(9), hm(12), 60),
            };
            w.add_exception(&AvailabilityException {
                id: ExceptionId::new(),
                counsellor: counsellor(*k).ok_or_else(none)?,
                date: day(*d),
                kind,
            })?;
        }
        Act::StopException(k) => {
            w.remove_exception(ExceptionId(
                known.nth(Entity::Exception, *k).ok_or_else(none)?,
            ))?;
        }
        Act::Book(c, p, d, h) => {
            let h = u32::from(*h);
            w.book(
                counsellor(*c).ok_or_else(none)?,
                person(*p).ok_or_else(none)?,
                day(*d),
                Slot {
                    start: hm(h),
                    end: hm(h + 1),
                },
                common::at(2026, 11, 20, 8),
            )?;
        }
        Act::MarkSession(k, st) => {
            let to = AppointmentStatus::ALL[usize::from(*st) % AppointmentStatus::ALL.len()];
            let now = NaiveDate::from_ymd_opt(2027, 1, 1)
                .unwrap()
                .and_time(NaiveTime::MIN);
            w.mark_appointment(session(*k).ok_or_else(none)?, to, now)?;
        }
        Act::SessionNotes(k, n) => {
            let notes = n.map_or("", |n| NOTES[usize::from(n) % NOTES.len()]);
            w.set_appointment_notes(session(*k).ok_or_else(none)?, notes)?;
        }
        Act::SessionFollowUp(k, d) => {
            w.set_appointment_follow_up(session(*k).ok_or_else(none)?, d.map(later))?;
        }
        Act::Wait(p, c, legal, d) => {
            let kind = if *legal {
                CounsellorKind::Legal
            } else {
                CounsellorKind::Psychological
            };
            let c = match c {
                Some(c) => Some(counsellor(*c).ok_or_else(none)?),
                None => None,
            };
            w.add_to_waitlist(
                person(*p).ok_or_else(none)?,
                c,
                kind,
                day(*d),
                Some("下午有空"),
            )?;
        }
        Act::WaitStatus(k, st) => {
            let id = WaitlistId(known.nth(Entity::Waitlist, *k).ok_or_else(none)?);
            w.set_waitlist_status(id, WaitlistStatus::ALL[usize::from(*st) % 3])?;
        }
        Act::RenameStation(_) | Act::Resolve(..) => unreachable!(),
    }
    w.commit()
}

// ---------------------------------------------------------------------------
// A run: stations, sticks, and what each local edit was made seeing.

struct World {
    dir: tempfile::TempDir,
    sticks: Vec<PathBuf>,
    stations: Vec<Store>,
    /// Each station's outbox, when the run keeps one: a folder only that
    /// station syncs with, after each of its steps, so that it holds the
    /// station's log in small files (see `delivery_order_does_not_matter`).
    outboxes: Vec<PathBuf>,
    /// Per local update, by (origin, seq): every operation of its record
    /// that the station held when it wrote it — what it was made seeing.
    seen: HashMap<(ReplicaId, i64), Vec<OpRef>>,
    /// Actions the store accepted (the others were refused and skipped).
    done: usize,
    /// Parcels delivered so far (each gets a folder of its own).
    parcels: usize,
}

impl World {
    fn new(n: usize, sticks: usize, skews: &[i64], outboxes: bool) -> World {
        assert!(n <= MAX_N);
        reset_clocks(skews);
        let dir = scratch();
        let sticks = (0..sticks)
            .map(|i| new_folder(dir.path(), &format!("stick{i}")))
            .collect();
        let stations = (0..n)
            .map(|i| {
                let mut s = Store::open_in_memory().unwrap();
                s.set_clock(CLOCKS[i]);
                s.init_station(CODES[i], &format!("驿站{i}"), "Asia/Shanghai")
                    .unwrap();
                s
            })
            .collect();
        let outboxes = if outboxes {
            (0..n)
                .map(|i| new_folder(dir.path(), &format!("outbox{i}")))
                .collect()
        } else {
            Vec::new()
        };
        World {
            dir,
            sticks,
            stations,
            outboxes,
            seen: HashMap::new(),
            done: 0,
            parcels: 0,
        }
    }

    /// Station 0 sets up what the others then edit too: people, staff,
    /// counsellors with their hours, cases, a visit, a session and a
    /// waitlist entry; every station learns of them through stick 0.
    fn share_base(&mut self) {
        let base = [
            Act::AddPerson(0),
            Act::AddPerson(1),
            Act::AddPerson(2),
            Act::AddPerson(3),
            Act::AddStaff(0),
            Act::AddStaff(1),
            Act::AddCounsellor(0, false),
            Act::AddCounsellor(1, true),
            Act::AddRule(0, 0, 0),
            Act::AddRule(0, 1, 0),
            Act::AddRule(1, 1, 0),
            Act::AddRule(1, 2, 0),
            Act::OpenCase(0, 1),
            Act::OpenCase(2, 2),
            Act::CheckIn(3, 0),
            Act::Book(0, 0, 0, 9),
            Act::Wait(1, None, true, 1),
        ];
        for a in &base {
            advance(1_000);
            let before = self.done;
            self.act(0, a);
            assert_eq!(self.done, before + 1, "{a:?} refused");
        }
        for r in 0..self.stations.len() {
            advance(1_000);
            sync_with(&mut self.stations[r], &self.sticks[0]);
        }
    }

    fn run(&mut self, steps: &[(u32, Step)]) {
        for (ms, step) in steps {
            advance(*ms);
            self.step(step);
        }
    }

    fn step(&mut self, step: &Step) {
        let n = self.stations.len();
        match step {
            Step::Do(r, a) => {
                self.act(r % n, a);
                self.flush_outbox(r % n);
            }
            Step::Sync(r, s) => {
                let stick = &self.sticks[s % self.sticks.len()];
                sync_with(&mut self.stations[r % n], stick);
                self.after_import(r % n);
            }
            Step::Parcel {
                stick,
                to,
                pick,
                dup,
            } => {
                self.parcels += 1;
                let parcel = new_folder(self.dir.path(), &format!("parcel{}", self.parcels));
                carry(
                    &self.sticks[stick % self.sticks.len()],
                    &parcel,
                    *pick,
                    *dup,
                );
                sync_with(&mut self.stations[to % n], &parcel);
                self.after_import(to % n);
            }
            Step::Carry {
                from,
                to,
                pick,
                dup,
            } => {
                let k = self.sticks.len();
                carry(&self.sticks[from % k], &self.sticks[to % k], *pick, *dup);
            }
            Step::SetClock(r, skew) => set_skew(r % n, *skew),
        }
    }

    /// After station r imported: it is sound (records may wait for others
    /// still to come), and its outbox gets what it now holds.
    fn after_import(&mut self, r: usize) {
        let report = self.stations[r].check().unwrap();
        assert!(
            report.is_ok(),
            "station {r} after an import: {:?}",
            report.problems
        );
        self.flush_outbox(r);
    }

    fn flush_outbox(&mut self, r: usize) {
        if let Some(o) = self.outboxes.get(r) {
            let report = sync_with(&mut self.stations[r], o);
            assert_eq!(report.ops_applied, 0, "an outbox holds nothing new");
        }
    }

    /// Station r does `a`, if the store accepts it. Every operation it
    /// writes must be ordered after every operation it held (whatever its
    /// clock says), and what each update was made seeing is kept.
    fn act(&mut self, r: usize, a: &Act) {
        let s = &mut self.stations[r];
        let before = s.all_ops().unwrap();
        let own = s.replica_id();
        let last_own = before
            .iter()
            .filter(|o| o.origin == own)
            .map(|o| o.seq)
            .max()
            .unwrap_or(0);
        let newest = before.iter().map(|o| o.hlc).max().unwrap_or_default();
        match perform(s, r, &Known::of(&before), a) {
            Ok(()) => self.done += 1,
            Err(e) if refused(&e) => {}
            Err(e) => panic!("station {r}, {a:?}: {e}"),
        }
        for op in s.all_ops().unwrap() {
            if op.origin != own || op.seq <= last_own {
                continue;
            }
            assert!(
                op.hlc > newest,
                "station {r}, {a:?}: new operation {:?} at {:?} is not after {newest:?}, \
                 the newest it held",
                op.entity,
                op.hlc
            );
            if op.kind == OP_UPDATE {
                let seen = before
                    .iter()
                    .filter(|o| o.id == op.id)
                    .map(LoggedOp::stamp)
                    .collect();
                self.seen.insert((own, op.seq), seen);
            }
        }
    }

    /// Every station syncs with every stick, round after round, until a
    /// round changes nothing; three rounds must do.
    fn exchange_all(&mut self) {
        for round in 1.. {
            let mut changed = false;
            for stick in &self.sticks {
                for s in &mut self.stations {
                    let r = sync_with(s, stick);
                    changed |= r.ops_applied > 0 || r.files_written > 0;
                }
            }
            if !changed {
                break;
            }
            assert!(round < 3, "still changing after {round} rounds");
        }
    }

    /// The conflicts the stations must list: those of every record, from
    /// all operations, with what each update was really made seeing in
    /// place of the references it carries.
    fn expected_conflicts(&self) -> Vec<Conflict> {
        let mut by_record: BTreeMap<Uuid, Vec<LoggedOp>> = BTreeMap::new();
        for mut op in self.stations[0].all_ops().unwrap() {
            if op.kind == OP_UPDATE {
                op.after = self
                    .seen
                    .get(&(op.origin, op.seq))
                    .unwrap_or_else(|| panic!("an update not made by a step: {op:?}"))
                    .clone();
            }
            by_record.entry(op.id).or_default().push(op);
        }
        let mut out: Vec<Conflict> = by_record
            .values()
            .flat_map(|ops| conflicts_of(ops[0].entity, ops))
            .collect();
        out.sort_by(|a, b| {
            (a.id, &a.field, a.loser.hlc, a.loser.origin).cmp(&(
                b.id,
                &b.field,
                b.loser.hlc,
                b.loser.origin,
            ))
        });
        out
    }
}

/// What a station shows of the sync: records, conflicts, and what it holds
/// of each origin's log.
#[derive(Debug, PartialEq)]
struct Seen {
    digest: String,
    conflicts: Vec<Conflict>,
    keys: Vec<String>,
    knowledge: Vec<(ReplicaId, i64, i64, i64)>,
}

fn seen(s: &Store) -> Seen {
    Seen {
        digest: s.digest().unwrap(),
        conflicts: s.record_conflicts().unwrap(),
        keys: s.conflicts().unwrap().into_iter().map(|l| l.key).collect(),
        knowledge: s
            .knowledge()
            .unwrap()
            .into_iter()
            .map(|(o, h)| (o, h.contiguous, h.highest, h.count))
            .collect(),
    }
}

/// Sound, nothing waiting, and everything of every origin held.
fn assert_complete(s: &Store, who: &str) {
    let report = s.check().unwrap();
    assert!(report.is_ok(), "{who}: {:?}", report.problems);
    assert_eq!(report.waiting, 0, "{who}: records still waiting");
    for (o, h) in s.knowledge().unwrap() {
        assert!(!h.has_gap(), "{who}: a gap in the log of {o:?}: {h:?}");
    }
}

/// Every station, and a newcomer that imports one stick in one go, show the
/// same; the conflicts listed are the expected ones.
fn assert_converged(w: &World) {
    let first = seen(&w.stations[0]);
    for (i, s) in w.stations.iter().enumerate() {
        assert_complete(s, &format!("station {i}"));
        assert_eq!(seen(s), first, "station {i} differs from station 0");
    }
    let mut newcomer = Store::open_in_memory().unwrap();
    sync_with(&mut newcomer, &w.sticks[0]);
    assert_complete(&newcomer, "newcomer");
    let late = seen(&newcomer);
    assert_eq!(
        (&late.digest, &late.conflicts, &late.keys),
        (&first.digest, &first.conflicts, &first.keys),
        "a newcomer that imports everything at once differs"
    );
    assert_eq!(
        first.conflicts,
        w.expected_conflicts(),
        "the conflicts listed are not the edits overwritten unseen"
    );
}

// ---------------------------------------------------------------------------
// The properties.

fn skews() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(skew(), MAX_N)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        max_shrink_iters: 1024,
        ..ProptestConfig::default()
    })]

    /// Random edits of every kind at 3–5 stations, random delivery through
    /// 2–3 sticks; then everyone exchanges everything.
    #[test]
    fn stations_converge_through_sticks(
        n in 3..=MAX_N,
        sticks in 2..=3usize,
        skews in skews(),
        steps in prop::collection::vec(timed_step(), 1..100),
    ) {
        let mut w = World::new(n, sticks, &skews, false);
        w.share_base();
        w.run(&steps);
        w.exchange_all();
        assert_converged(&w);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Syncing with a folder again, or with a copy of it (with every file
    /// twice), reads nothing new, writes nothing, and changes nothing.
    #[test]
    fn importing_a_folder_again_changes_nothing(
        n in 3..=4usize,
        skews in skews(),
        steps in prop::collection::vec(timed_step(), 1..60),
        who in 0..MAX_N,
        which in 0..3usize,
    ) {
        let mut w = World::new(n, 3, &skews, false);
        w.share_base();
        w.run(&steps);
        let r = who % n;
        let stick = w.sticks[which].clone();
        sync_with(&mut w.stations[r], &stick);
        let once = seen(&w.stations[r]);
        let files = files_of(std::slice::from_ref(&stick)).len();
        let again = sync_with(&mut w.stations[r], &stick);
        prop_assert_eq!((again.ops_applied, again.files_written), (0, 0));
        prop_assert_eq!(&seen(&w.stations[r]), &once);
        prop_assert_eq!(files_of(std::slice::from_ref(&stick)).len(), files);

        let copy = new_folder(w.dir.path(), "copy");
        carry(&stick, &copy, Pick::All, true);
        let third = sync_with(&mut w.stations[r], &copy);
        prop_assert_eq!((third.ops_applied, third.files_written), (0, 0));
        prop_assert_eq!(&seen(&w.stations[r]), &once);
        prop_assert!(w.stations[r].check().unwrap().is_ok());
    }
}

/// A small generator for orders and groupings (xorshift64*).
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self, below: usize) -> usize {
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below.max(1)
    }
}

/// A newcomer that receives `files` in an order and grouping drawn from
/// `seed`: each group through a folder of its own.
fn deliver(dir: &Path, files: &[(PathBuf, PathBuf)], seed: u64, tag: &str) -> Store {
    let mut rng = Shuffle(seed);
    let mut order: Vec<&(PathBuf, PathBuf)> = files.iter().collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.next(i + 1));
    }
    let mut s = Store::open_in_memory().unwrap();
    let mut rest = &order[..];
    let mut g = 0;
    while !rest.is_empty() {
        let size = (1 + rng.next(3)).min(rest.len());
        let (group, tail) = rest.split_at(size);
        rest = tail;
        let folder = new_folder(dir, &format!("{tag}-{g}"));
        g += 1;
        for (rel, path) in group {
            let target = folder.join(rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            if !target.exists() {
                std::fs::copy(path, &target).unwrap();
            }
        }
        sync_with(&mut s, &folder);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Two newcomers receive the same files — every station's log in small
    /// pieces, and whatever the sticks hold — in different orders and
    /// groupings: they end equal, and equal to the stations once those
    /// have exchanged everything.
    #[test]
    fn delivery_order_does_not_matter(
        n in 3..=4usize,
        skews in skews(),
        steps in prop::collection::vec(timed_step(), 1..50),
        seeds in (any::<u64>(), any::<u64>()),
    ) {
        let mut w = World::new(n, 2, &skews, true);
        w.share_base();
        w.run(&steps);
        for r in 0..n {
            w.flush_outbox(r);
        }
        let mut folders = w.outboxes.clone();
        folders.extend(w.sticks.iter().cloned());
        let files = files_of(&folders);
        let a = deliver(w.dir.path(), &files, seeds.0, "a");
        let b = deliver(w.dir.path(), &files, seeds.1, "b");
        assert_complete(&a, "newcomer a");
        assert_complete(&b, "newcomer b");
        let seen_a = seen(&a);
        prop_assert_eq!(&seen_a, &seen(&b));
        w.exchange_all();
        let s = seen(&w.stations[0]);
        prop_assert_eq!(
            (&s.digest, &s.conflicts, &s.keys),
            (&seen_a.digest, &seen_a.conflicts, &seen_a.keys)
        );
    }
}

// ---------------------------------------------------------------------------
// Skewed clocks, deterministic: station A's clock runs three days ahead,
// station B's three days behind; C, the district office, is right. They
// exchange through two sticks: A ⇄ stick 0 ⇄ C ⇄ stick 1 ⇄ B.

const AHEAD: i64 = 3 * DAY_MS;
const BEHIND: i64 = -3 * DAY_MS;

struct Skewed {
    w: World,
    person: PersonId,
}

const A: usize = 0;
const B: usize = 1;
const C: usize = 2;

impl Skewed {
    /// A registers a person; everyone learns of it.
    fn new() -> Skewed {
        let mut w = World::new(3, 2, &[AHEAD, BEHIND, 0], false);
        w.act(A, &Act::AddPerson(0));
        let person = PersonId(Known::of(&w.stations[A].all_ops().unwrap()).0[&Entity::Person][0]);
        let mut s = Skewed { w, person };
        s.relay_a_to_b();
        assert!(s.w.stations[B].person(person).unwrap().is_some());
        s
    }

    fn sync(&mut self, r: usize, stick: usize) {
        advance(60_000);
        sync_with(&mut self.w.stations[r], &self.w.sticks[stick].clone());
    }

    /// A → stick 0 → C → stick 1 → B.
    fn relay_a_to_b(&mut self) {
        self.sync(A, 0);
        self.sync(C, 0);
        self.sync(C, 1);
        self.sync(B, 1);
    }

    fn rename(&mut self, r: usize, name: &str) {
        advance(60_000);
        let s = &mut self.w.stations[r];
        let mut d = s.person(self.person).unwrap().unwrap().details;
        d.name = name.into();
        let before = s.all_ops().unwrap();
        let mut w = s.begin(None).unwrap();
        w.update_person(self.person, &d).unwrap();
        w.commit().unwrap();
        // Keep what it was made seeing, for the expected conflicts.
        note_last_seen(&mut self.w.seen, s, &before);
    }

    fn name_at(&self, r: usize) -> String {
        self.w.stations[r]
            .person(self.person)
            .unwrap()
            .unwrap()
            .details
            .name
    }
}

#[test]
fn an_edit_made_after_seeing_one_from_a_clock_days_ahead_wins_everywhere() {
    let mut s = Skewed::new();
    s.rename(A, "张叁");
    s.relay_a_to_b();
    assert_eq!(s.name_at(B), "张叁", "B has seen A's rename");
    // B's clock reads six days before A's edit; its edit still comes after.
    s.rename(B, "张三丰");
    assert_eq!(s.name_at(B), "张三丰");
    s.w.exchange_all();
    for r in [A, B, C] {
        assert_eq!(s.name_at(r), "张三丰", "station {r}");
        assert!(
            s.w.stations[r].conflicts().unwrap().is_empty(),
            "station {r}"
        );
    }
    assert_converged(&s.w);
}

#[test]
fn unseen_the_edit_of_the_clock_ahead_wins_and_is_listed_everywhere() {
    let mut s = Skewed::new();
    // A renames first, B a little later in real time, not having seen it:
    // A's clock is ahead, so A's value stands; B's is listed as lost.
    s.rename(A, "张叁");
    s.rename(B, "张珊");
    s.w.exchange_all();
    for r in [A, B, C] {
        assert_eq!(s.name_at(r), "张叁", "station {r}");
        let list = s.w.stations[r].record_conflicts().unwrap();
        assert_eq!(list.len(), 1, "station {r}: {list:?}");
        let c = &list[0];
        assert_eq!(c.field, "name");
        assert_eq!(c.winner.origin, s.w.stations[A].replica_id());
        assert_eq!(c.loser.origin, s.w.stations[B].replica_id());
        assert_eq!(c.winner_value, serde_json::json!("张叁"));
        assert_eq!(c.loser_value, serde_json::json!("张珊"));
    }
    assert_converged(&s.w);
}

/// Station r decides the first entry of its conflicts list, and the
/// operation that writes it is kept with what it was made seeing.
fn decide_first(s: &mut Skewed, r: usize, choice: Choice) {
    advance(60_000);
    let station = &mut s.w.stations[r];
    let key = station.conflicts().unwrap()[0].key.clone();
    let before = station.all_ops().unwrap();
    station.resolve_conflict(&key, choice).unwrap();
    note_last_seen(&mut s.w.seen, station, &before);
}

/// Keeps what the station's last operation was made seeing: the
/// operations of its record that the station held `before` it.
fn note_last_seen(
    seen: &mut HashMap<(ReplicaId, i64), Vec<OpRef>>,
    station: &Store,
    before: &[LoggedOp],
) {
    let own = station.replica_id();
    let op = station
        .all_ops()
        .unwrap()
        .into_iter()
        .rfind(|o| o.origin == own)
        .unwrap();
    let stamps = before
        .iter()
        .filter(|o| o.id == op.id)
        .map(LoggedOp::stamp)
        .collect();
    seen.insert((own, op.seq), stamps);
}

/// Deciding a conflict on a field that lookup finds (a name here; also a
/// mobile, an ID number, a respondent) updates the lookup on the station
/// that decides, as on those that receive the decision.
#[test]
fn choosing_a_name_in_the_conflicts_list_updates_the_lookup() {
    let mut s = Skewed::new();
    s.rename(A, "张叁");
    s.rename(B, "李四");
    s.w.exchange_all();
    assert_eq!(s.name_at(C), "张叁");
    // B's staff choose B's value, knowing both: it now wins everywhere,
    // and the conflict ends everywhere.
    decide_first(&mut s, B, Choice::Other);
    s.w.exchange_all();
    for r in [A, B, C] {
        assert_eq!(s.name_at(r), "李四", "station {r}");
        assert!(
            s.w.stations[r].conflicts().unwrap().is_empty(),
            "station {r}"
        );
        let found = |q: &str| {
            s.w.stations[r]
                .lookup(q, 5)
                .unwrap()
                .iter()
                .filter(|h| matches!(h, Hit::Person(p) if p.id == s.person))
                .count()
        };
        assert_eq!(
            (found("李四"), found("张叁")),
            (1, 0),
            "station {r} finds the person by the name that stands, not the old one"
        );
    }
    assert_converged(&s.w);
}

#[test]
fn a_clock_set_back_by_days_still_orders_a_later_edit_last() {
    // A's clock is corrected from three days ahead to right between two
    // renames: the second still wins, and nothing is listed.
    let mut s = Skewed::new();
    s.rename(A, "张叁");
    set_skew(A, 0);
    s.rename(A, "张三丰");
    s.w.exchange_all();
    for r in [A, B, C] {
        assert_eq!(s.name_at(r), "张三丰", "station {r}");
        assert!(s.w.stations[r].conflicts().unwrap().is_empty());
    }
    assert_converged(&s.w);
}
