//! The conflicts list after replicas exchange: concurrent edits of a field,
//! removals that hid an edit, double bookings and case numbers minted
//! twice — listed alike everywhere, and settled by a synced decision.

use crate::common;

use chrono::{NaiveDate, NaiveTime, Weekday};
use common::*;
use serde_json::json;
use waystation::domain::access::Session;
use waystation::domain::ids::RuleId;
use waystation::domain::schedule::{
    AppointmentStatus, AvailabilityRule, CounsellorKind, Recurrence, Slot,
};
use waystation::domain::staff::Role;
use waystation::store::ConflictKind;
use waystation::store::{Choice, Issue, Listed, Shown};
use waystation::store::{Store, StoreError};

/// Each replica applies everything the others hold.
fn exchange(rs: &mut [&mut Store]) {
    for _ in 0..2 {
        for from in 0..rs.len() {
            let ops = rs[from].all_ops().unwrap();
            for (to, r) in rs.iter_mut().enumerate() {
                if to != from {
                    r.apply_remote(&ops).unwrap();
                }
            }
        }
    }
}

fn keys(s: &Store) -> Vec<String> {
    s.conflicts().unwrap().into_iter().map(|l| l.key).collect()
}

fn rename(s: &mut Store, p: waystation::domain::ids::PersonId, name: &str) {
    let mut d = s.person(p).unwrap().unwrap().details;
    d.name = name.into();
    let mut w = s.begin(None).unwrap();
    w.update_person(p, &d).unwrap();
    w.commit().unwrap();
}

/// Two stations that both renamed one person while apart (a to 张叁, then
/// b to 张珊), after exchanging: a's path, a, b, the person.
fn renamed_apart(
    dir: &tempfile::TempDir,
) -> (
    std::path::PathBuf,
    Store,
    Store,
    waystation::domain::ids::PersonId,
) {
    let (path_a, mut a) = station_db(dir, "FT");
    let (_, mut b) = station_db(dir, "NS");
    let p = add_person(&mut a, "张三", "13800000001");
    exchange(&mut [&mut a, &mut b]);
    assert!(a.conflicts().unwrap().is_empty());
    rename(&mut a, p, "张叁");
    rename(&mut b, p, "张珊");
    exchange(&mut [&mut a, &mut b]);
    (path_a, a, b, p)
}

#[test]
fn two_renames_apart_list_the_loser_alike_and_choosing_it_settles_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a, mut b, p) = renamed_apart(&dir);
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
    let list = a.conflicts().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(keys(&a), keys(&b));
    assert_eq!(a.record_conflicts().unwrap(), b.record_conflicts().unwrap());
    assert!(a.check().unwrap().is_ok());
    let Issue::Record {
        conflict,
        record,
        winner_shown,
        loser_shown,
        winner_station,
        loser_station,
    } = &list[0].issue
    else {
        panic!("{list:?}")
    };
    assert_eq!(conflict.kind, ConflictKind::Field);
    assert_eq!(conflict.field, "name");
    // b wrote later, so b's value stands; the record is labelled by it.
    assert_eq!(record, "张珊");
    assert_eq!(winner_shown, &Shown::Text("张珊".into()));
    assert_eq!(loser_shown, &Shown::Text("张叁".into()));
    assert_eq!(winner_station.as_deref(), Some("测试驿站"));
    assert!(loser_station.is_some());

    // Staff at b choose a's value: a new edit, synced.
    let key = list[0].key.clone();
    b.resolve_conflict(&key, Choice::Other).unwrap();
    assert!(b.conflicts().unwrap().is_empty());
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "张叁");
    exchange(&mut [&mut a, &mut b]);
    assert!(a.conflicts().unwrap().is_empty());
    assert_eq!(a.person(p).unwrap().unwrap().details.name, "张叁");
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
}

#[test]
fn keeping_the_standing_value_also_ends_the_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a, mut b, p) = renamed_apart(&dir);
    let key = keys(&a).remove(0);
    a.resolve_conflict(&key, Choice::Keep).unwrap();
    exchange(&mut [&mut a, &mut b]);
    assert!(a.conflicts().unwrap().is_empty());
    assert!(b.conflicts().unwrap().is_empty());
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "张珊");
    // An unknown key is refused.
    assert!(matches!(
        a.resolve_conflict("00000000", Choice::Other),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn edits_of_different_fields_or_made_after_seeing_are_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a) = station_db(&dir, "FT");
    let (_, mut b) = station_db(&dir, "NS");
    let p = add_person(&mut a, "张三", "13800000001");
    exchange(&mut [&mut a, &mut b]);
    rename(&mut a, p, "张叁");
    let mut d = b.person(p).unwrap().unwrap().details;
    d.employer = Some("顺丰".into());
    let mut w = b.begin(None).unwrap();
    w.update_person(p, &d).unwrap();
    w.commit().unwrap();
    exchange(&mut [&mut a, &mut b]);
    let person = a.person(p).unwrap().unwrap().details;
    assert_eq!(
        (person.name.as_str(), person.employer.as_deref()),
        ("张叁", Some("顺丰"))
    );
    assert!(a.conflicts().unwrap().is_empty());
    // b renames after seeing a's rename: b wins, nothing listed.
    rename(&mut b, p, "张珊");
    exchange(&mut [&mut a, &mut b]);
    assert_eq!(a.person(p).unwrap().unwrap().details.name, "张珊");
    assert!(a.conflicts().unwrap().is_empty());
    assert!(b.conflicts().unwrap().is_empty());
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap() // a Tuesday
}

fn slot(h: u32) -> Slot {
    let start = NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    Slot {
        start,
        end: start + chrono::Duration::minutes(60),
    }
}

/// A counsellor with Tuesday afternoons, known to both replicas.
fn counsellor(a: &mut Store, b: &mut Store) -> waystation::domain::ids::CounsellorId {
    let mut w = a.begin(None).unwrap();
    let c = w
        .add_counsellor("周医生", CounsellorKind::Psychological)
        .unwrap();
    w.add_rule(&AvailabilityRule {
        id: RuleId::new(),
        counsellor: c,
        recurrence: Recurrence::Weekly(Weekday::Tue),
        start: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        slot_minutes: 60,
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        valid_until: None,
    })
    .unwrap();
    w.commit().unwrap();
    exchange(&mut [a, b]);
    c
}

#[test]
fn one_slot_booked_at_two_stations_is_kept_twice_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a) = station_db(&dir, "FT");
    let (_, mut b) = station_db(&dir, "NS");
    let c = counsellor(&mut a, &mut b);
    let pa = add_person(&mut a, "张三", "13800000001");
    let pb = add_person(&mut b, "李四", "13800000002");
    let now = at(2026, 11, 20, 8);
    let mut w = a.begin(None).unwrap();
    let first = w.book(c, pa, day(), slot(14), now).unwrap();
    w.commit().unwrap();
    let mut w = b.begin(None).unwrap();
    w.book(c, pb, day(), slot(14), now).unwrap();
    w.commit().unwrap();
    exchange(&mut [&mut a, &mut b]);
    // Both sessions are there: nothing waits, nothing is lost.
    assert_eq!(a.appointments_on(c, day()).unwrap().len(), 2);
    assert!(a.check().unwrap().is_ok());
    let list = a.conflicts().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(keys(&a), keys(&b));
    let Issue::DoubleBooking {
        counsellor,
        date,
        sessions,
    } = &list[0].issue
    else {
        panic!("{list:?}")
    };
    assert_eq!(
        (counsellor.as_str(), date.as_str()),
        ("周医生", "2026-11-24")
    );
    let mut who: Vec<&str> = sessions.iter().map(|s| s.2.as_str()).collect();
    who.sort();
    assert_eq!(who, ["张三", "李四"]);
    // It is settled in the schedule: one session is cancelled.
    assert!(a.resolve_conflict(&list[0].key, Choice::Other).is_err());
    let mut w = a.begin(None).unwrap();
    w.set_appointment_status(first, AppointmentStatus::Cancelled)
        .unwrap();
    w.commit().unwrap();
    exchange(&mut [&mut a, &mut b]);
    assert!(a.conflicts().unwrap().is_empty());
    assert!(b.conflicts().unwrap().is_empty());
}

#[test]
fn a_session_cancelled_while_edited_elsewhere_is_listed_and_can_be_restored() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a) = station_db(&dir, "FT");
    let (_, mut b) = station_db(&dir, "NS");
    let c = counsellor(&mut a, &mut b);
    let p = add_person(&mut a, "张三", "13800000001");
    let mut w = a.begin(None).unwrap();
    let s = w.book(c, p, day(), slot(15), at(2026, 11, 20, 8)).unwrap();
    w.commit().unwrap();
    exchange(&mut [&mut a, &mut b]);
    let mut w = a.begin(None).unwrap();
    w.set_appointment_status(s, AppointmentStatus::Cancelled)
        .unwrap();
    w.commit().unwrap();
    let mut w = b.begin(None).unwrap();
    w.set_appointment_notes(s, "带上工资条").unwrap();
    w.commit().unwrap();
    exchange(&mut [&mut a, &mut b]);
    let list = a.conflicts().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(a.record_conflicts().unwrap(), b.record_conflicts().unwrap());
    let Issue::Record {
        conflict,
        loser_shown,
        ..
    } = &list[0].issue
    else {
        panic!("{list:?}")
    };
    assert_eq!(conflict.kind, ConflictKind::DeletedWhileEdited);
    assert_eq!(conflict.winner_value, json!("cancelled"));
    // Nobody signed in (or anyone but a counsellor) sees that there were
    // notes, not what they say.
    assert_eq!(
        loser_shown,
        &Shown::Fields(vec![("notes".into(), Shown::Hidden)])
    );
    assert!(!format!("{list:?}").contains("工资条"));
    let mut w = a.begin(None).unwrap();
    let counsellor_staff = w.add_staff("周敏", Role::Counsellor).unwrap();
    w.commit().unwrap();
    a.set_session(Some(Session {
        staff: counsellor_staff,
        name: "周敏".into(),
        role: Role::Counsellor,
    }));
    let Issue::Record { loser_shown, .. } = &a.conflicts().unwrap()[0].issue else {
        panic!()
    };
    assert_eq!(
        loser_shown,
        &Shown::Fields(vec![("notes".into(), Shown::Text("带上工资条".into()))])
    );
    a.set_session(None);
    // Restoring brings the session back, with the note.
    b.resolve_conflict(&list[0].key, Choice::Other).unwrap();
    exchange(&mut [&mut a, &mut b]);
    let sessions = a.appointments_on(c, day()).unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, AppointmentStatus::Booked);
    assert!(a.conflicts().unwrap().is_empty());
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
    // Only a counsellor reads the notes that came back.
    a.set_session(Some(Session {
        staff: counsellor_staff,
        name: "周敏".into(),
        role: Role::Counsellor,
    }));
    assert_eq!(a.session_notes(s).unwrap().as_deref(), Some("带上工资条"));
}

#[test]
fn a_case_number_minted_twice_is_listed_and_renumbered_once() {
    let dir = tempfile::tempdir().unwrap();
    // Two stations set up with one code before they ever exchanged.
    let (_, mut a) = station_db(&dir, "FT");
    let other = dir.path().join("other.db");
    let mut b = Store::open(&other).unwrap();
    b.init_station("FT", "另一个驿站", "Asia/Shanghai").unwrap();
    let pa = add_person(&mut a, "张三", "13800000001");
    let pb = add_person(&mut b, "李四", "13800000002");
    let mut w = a.begin(None).unwrap();
    let (ca, na) = w
        .open_case(&new_case(vec![pa], at(2026, 11, 20, 8)))
        .unwrap();
    w.commit().unwrap();
    let mut w = b.begin(None).unwrap();
    let (cb, nb) = w
        .open_case(&new_case(vec![pb], at(2026, 11, 20, 9)))
        .unwrap();
    w.commit().unwrap();
    assert_eq!(na, nb);
    exchange(&mut [&mut a, &mut b]);
    assert!(a.check().unwrap().is_ok());
    let list: Vec<Listed> = a.conflicts().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let Issue::SameCaseNumber { number, cases } = &list[0].issue else {
        panic!("{list:?}")
    };
    assert_eq!(number, &na.to_string());
    assert_eq!(cases, &vec![ca.0, cb.0], "the first opened is listed first");
    a.resolve_conflict(&list[0].key, Choice::Other).unwrap();
    exchange(&mut [&mut a, &mut b]);
    assert!(b.conflicts().unwrap().is_empty());
    assert_eq!(b.case(ca).unwrap().unwrap().number, na);
    assert_ne!(b.case(cb).unwrap().unwrap().number, na);
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
}

#[test]
fn check_knows_what_the_conflicts_list_should_hold() {
    let dir = tempfile::tempdir().unwrap();
    let (path_a, a, _b, _) = renamed_apart(&dir);
    assert!(a.check().unwrap().is_ok());
    let raw = rusqlite::Connection::open(&path_a).unwrap();
    raw.execute("DELETE FROM conflicts", []).unwrap();
    let report = a.check().unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains("conflicts list")),
        "{:?}",
        report.problems
    );
}
