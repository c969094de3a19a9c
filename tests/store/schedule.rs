//! Schedule reads for the console (week views, next free slot, rules and
//! exceptions) and the counselling waitlist.

use crate::common;

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use common::*;
use serde_json::json;
use waystation::domain::ValidationError;
use waystation::domain::access::{Act, Session};
use waystation::domain::ids::{
    AppointmentId, CounsellorId, ExceptionId, PersonId, RuleId, WaitlistId,
};
use waystation::domain::schedule::{
    AppointmentStatus, AvailabilityException, AvailabilityRule, CounsellorKind, ExceptionKind,
    Recurrence, Slot, WaitlistStatus, WeeksOfMonth,
};
use waystation::domain::staff::Role;
use waystation::store::AuditAction;
use waystation::store::SlotFilter;
use waystation::store::{Entity, Store, StoreError};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn dt(m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(m, day).and_time(t(h, min))
}

fn slot(h: u32, m: u32, minutes: i64) -> Slot {
    Slot {
        start: t(h, m),
        end: t(h, m) + chrono::Duration::minutes(minutes),
    }
}

/// Tuesdays 14:00–17:00 (2026-11-24 is a Tuesday) in slots of `minutes`.
fn tuesdays(c: CounsellorId, minutes: u32) -> AvailabilityRule {
    AvailabilityRule {
        id: RuleId::new(),
        counsellor: c,
        recurrence: Recurrence::Weekly(Weekday::Tue),
        start: t(14, 0),
        end: t(17, 0),
        slot_minutes: minutes,
        valid_from: d(1, 1),
        valid_until: None,
    }
}

fn exception(c: CounsellorId, date: NaiveDate, kind: ExceptionKind) -> AvailabilityException {
    AvailabilityException {
        id: ExceptionId::new(),
        counsellor: c,
        date,
        kind,
    }
}

fn counsellor(store: &mut Store, name: &str, kind: CounsellorKind) -> CounsellorId {
    let mut w = store.begin(None).unwrap();
    let c = w.add_counsellor(name, kind).unwrap();
    w.commit().unwrap();
    c
}

fn write(store: &mut Store, f: impl FnOnce(&mut waystation::store::Writer<'_>)) {
    let mut w = store.begin(None).unwrap();
    f(&mut w);
    w.commit().unwrap();
}

#[test]
fn next_free_slot_skips_started_taken_and_missing_slots() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let p = add_person(&mut store, "张三", "13800000001");
    let zhou = counsellor(&mut store, "周医生", CounsellorKind::Psychological);
    write(&mut store, |w| {
        w.add_rule(&tuesdays(zhou, 60)).unwrap();
    });
    let one = SlotFilter::Counsellor(zhou);
    let next = |s: &Store, who, from, days| s.next_free_slot(who, from, days).unwrap();

    assert_eq!(
        next(&store, one, dt(11, 24, 14, 0), 7),
        Some((zhou, d(11, 24), slot(14, 0, 60))),
        "a slot starting now is still free"
    );
    assert_eq!(
        next(&store, one, dt(11, 24, 14, 30), 7),
        Some((zhou, d(11, 24), slot(15, 0, 60))),
        "the 14:00 slot has started"
    );
    let mut w = store.begin(None).unwrap();
    let taken = w
        .book(zhou, p, d(11, 24), slot(15, 0, 60), at(2026, 11, 20, 1))
        .unwrap();
    w.commit().unwrap();
    assert_eq!(
        next(&store, one, dt(11, 24, 14, 30), 7),
        Some((zhou, d(11, 24), slot(16, 0, 60)))
    );
    assert_eq!(
        next(&store, one, dt(11, 24, 16, 30), 14),
        Some((zhou, d(12, 1), slot(14, 0, 60))),
        "next week"
    );
    // The horizon counts days from `from`'s date.
    assert_eq!(next(&store, one, dt(11, 25, 0, 0), 6), None);
    assert_eq!(
        next(&store, one, dt(11, 25, 0, 0), 7).map(|x| x.1),
        Some(d(12, 1))
    );
    assert_eq!(next(&store, one, dt(11, 24, 9, 0), 0), None);

    // Exceptions: a day off is skipped, an extra period is offered, and
    // withdrawing the day off gives the day back.
    let off = exception(zhou, d(12, 1), ExceptionKind::Unavailable(None));
    write(&mut store, |w| {
        w.add_exception(&off).unwrap();
    });
    assert_eq!(
        next(&store, one, dt(11, 25, 0, 0), 14).map(|x| x.1),
        Some(d(12, 8))
    );
    let extra = exception(zhou, d(11, 26), ExceptionKind::Extra(t(9, 0), t(10, 0), 30));
    write(&mut store, |w| {
        w.add_exception(&extra).unwrap();
    });
    assert_eq!(
        next(&store, one, dt(11, 25, 0, 0), 14),
        Some((zhou, d(11, 26), slot(9, 0, 30)))
    );
    write(&mut store, |w| {
        w.remove_exception(extra.id).unwrap();
        w.remove_exception(off.id).unwrap();
    });
    assert_eq!(
        next(&store, one, dt(11, 25, 0, 0), 14).map(|x| x.1),
        Some(d(12, 1))
    );

    // A cancelled session frees its slot.
    write(&mut store, |w| {
        w.set_appointment_status(taken, AppointmentStatus::Cancelled)
            .unwrap();
    });
    assert_eq!(
        next(&store, one, dt(11, 24, 14, 30), 7).map(|x| x.2),
        Some(slot(15, 0, 60))
    );

    // By kind: the earliest slot of any active counsellor of that kind;
    // at the same time, the first by name.
    let wang = counsellor(&mut store, "王医生", CounsellorKind::Psychological);
    let chen = counsellor(&mut store, "陈律师", CounsellorKind::Legal);
    write(&mut store, |w| {
        w.add_rule(&tuesdays(wang, 30)).unwrap();
    });
    let psych = SlotFilter::Kind(CounsellorKind::Psychological);
    assert_eq!(
        next(&store, psych, dt(11, 24, 14, 20), 7),
        Some((wang, d(11, 24), slot(14, 30, 30)))
    );
    assert!("周医生" < "王医生");
    assert_eq!(
        next(&store, psych, dt(11, 24, 14, 0), 7).map(|x| x.0),
        Some(zhou),
        "same time: by name"
    );
    assert_eq!(
        next(
            &store,
            SlotFilter::Kind(CounsellorKind::Legal),
            dt(11, 24, 9, 0),
            60
        ),
        None,
        "a lawyer without availability"
    );
    let _ = chen;

    // An inactive counsellor is offered for nothing new.
    write(&mut store, |w| {
        w.set_counsellor_active(zhou, false).unwrap()
    });
    assert_eq!(next(&store, one, dt(11, 24, 9, 0), 30), None);
    assert_eq!(
        next(&store, psych, dt(11, 24, 14, 0), 7).map(|x| x.0),
        Some(wang)
    );
    assert!(
        !store
            .counsellors()
            .unwrap()
            .iter()
            .any(|c| c.id == zhou && c.active)
    );
    write(&mut store, |w| w.set_counsellor_active(zhou, true).unwrap());
    assert!(next(&store, one, dt(11, 24, 9, 0), 30).is_some());

    assert!(matches!(
        store.next_free_slot(
            SlotFilter::Counsellor(CounsellorId::new()),
            dt(11, 24, 9, 0),
            7
        ),
        Err(StoreError::NotFound("counsellor"))
    ));
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn appointments_between_carry_names_in_day_and_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13800000001");
    let ls = add_person(&mut store, "李四", "13800000002");
    let zhou = counsellor(&mut store, "周医生", CounsellorKind::Psychological);
    let chen = counsellor(&mut store, "陈律师", CounsellorKind::Legal);
    assert!(zhou < chen, "ids in creation order");
    let booked = at(2026, 11, 20, 1);
    let mut w = store.begin(None).unwrap();
    w.add_rule(&tuesdays(zhou, 60)).unwrap();
    w.add_rule(&tuesdays(chen, 30)).unwrap();
    let late = w.book(zhou, zs, d(12, 1), slot(16, 0, 60), booked).unwrap();
    let a = w
        .book(chen, ls, d(11, 24), slot(14, 0, 30), booked)
        .unwrap();
    // Cancelled before the overlapping session is booked (one person is
    // never in two sessions at once).
    let c = w
        .book(chen, zs, d(11, 24), slot(14, 30, 30), booked)
        .unwrap();
    w.set_appointment_status(c, AppointmentStatus::Cancelled)
        .unwrap();
    let b = w
        .book(zhou, zs, d(11, 24), slot(14, 0, 60), booked)
        .unwrap();
    w.commit().unwrap();

    let day = store
        .appointments_between(d(11, 24), d(11, 24), None)
        .unwrap();
    let seen: Vec<_> = day
        .iter()
        .map(|r| {
            (
                r.appointment.id,
                r.person_name.as_str(),
                r.counsellor_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (b, "张三", "周医生"),
            (a, "李四", "陈律师"),
            (c, "张三", "陈律师")
        ]
    );
    assert_eq!(day[1].counsellor_kind, CounsellorKind::Legal);
    assert_eq!(day[2].appointment.status, AppointmentStatus::Cancelled);
    assert_eq!(day[0].appointment.start, t(14, 0));

    let zhou_fortnight: Vec<_> = store
        .appointments_between(d(11, 23), d(12, 6), Some(zhou))
        .unwrap()
        .into_iter()
        .map(|r| r.appointment.id)
        .collect();
    assert_eq!(zhou_fortnight, [b, late]);
    assert_eq!(
        store
            .appointments_between(d(12, 1), d(12, 1), None)
            .unwrap()
            .len(),
        1,
        "both ends are included"
    );
    assert!(
        store
            .appointments_between(d(11, 25), d(11, 30), None)
            .unwrap()
            .is_empty()
    );
    // The same sessions as appointments_on, per counsellor and day.
    let on: Vec<_> = store
        .appointments_on(chen, d(11, 24))
        .unwrap()
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(on, [a, c]);
}

#[test]
fn rules_and_exceptions_of_a_counsellor() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let zhou = counsellor(&mut store, "周医生", CounsellorKind::Psychological);
    let thursdays = AvailabilityRule {
        recurrence: Recurrence::Monthly(Weekday::Thu, WeeksOfMonth::new(&[2, 4]).unwrap()),
        start: t(9, 0),
        end: t(12, 0),
        ..tuesdays(zhou, 60)
    };
    let mondays = AvailabilityRule {
        recurrence: Recurrence::Weekly(Weekday::Mon),
        ..tuesdays(zhou, 60)
    };
    let tue = tuesdays(zhou, 60);
    let before = exception(zhou, d(11, 20), ExceptionKind::Unavailable(None));
    let extra = exception(zhou, d(11, 26), ExceptionKind::Extra(t(9, 0), t(10, 0), 30));
    let gone = exception(zhou, d(12, 1), ExceptionKind::Unavailable(None));
    let period = exception(
        zhou,
        d(12, 8),
        ExceptionKind::Unavailable(Some((t(15, 0), t(16, 0)))),
    );
    write(&mut store, |w| {
        w.add_rule(&thursdays).unwrap();
        w.add_rule(&tue).unwrap();
        w.add_rule(&mondays).unwrap();
        w.remove_rule(mondays.id).unwrap();
        for e in [&period, &gone, &extra, &before] {
            w.add_exception(e).unwrap();
        }
    });
    let n = ops(&path).len();
    write(&mut store, |w| w.remove_exception(gone.id).unwrap());
    let all = ops(&path);
    assert_eq!(all.len(), n + 1);
    assert_eq!(
        (all[n].0, all[n].1, &all[n].2),
        (Entity::Exception.code(), 1, &json!({"active": false}))
    );
    write(&mut store, |w| {
        w.set_counsellor_active(zhou, false).unwrap()
    });
    let all = ops(&path);
    assert_eq!(
        (all[n + 1].0, all[n + 1].1, &all[n + 1].2),
        (Entity::Counsellor.code(), 1, &json!({"active": false}))
    );

    assert_eq!(store.rules_of(zhou).unwrap(), [tue, thursdays]);
    assert_eq!(
        store.exceptions_of(zhou, d(11, 21)).unwrap(),
        [extra, period]
    );
    assert_eq!(store.exceptions_of(zhou, d(11, 20)).unwrap()[0], before);
    assert!(store.exceptions_of(zhou, d(12, 9)).unwrap().is_empty());
    assert!(store.rules_of(CounsellorId::new()).unwrap().is_empty());
    assert!(matches!(
        store
            .begin(None)
            .unwrap()
            .remove_exception(ExceptionId::new()),
        Err(StoreError::NotFound(_))
    ));
}

static CLOCK: AtomicU64 = AtomicU64::new(1_795_000_000_000);

/// A wall clock one minute further at every reading.
fn ticking() -> u64 {
    CLOCK.fetch_add(60_000, Ordering::SeqCst)
}

#[test]
fn the_waitlist_keeps_who_waits_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    store.set_clock(ticking);
    let zs = add_person(&mut store, "张三", "13800000001");
    let ls = add_person(&mut store, "李四", "13800000002");
    let ww = add_person(&mut store, "王五", "13800000003");
    let zhou = counsellor(&mut store, "周医生", CounsellorKind::Psychological);
    let chen = counsellor(&mut store, "陈律师", CounsellorKind::Legal);
    use CounsellorKind::{Legal, Psychological};

    let n = ops(&path).len();
    let mut w = store.begin(None).unwrap();
    // Any day of the week stands for its Monday (2026-11-23).
    let first = w
        .add_to_waitlist(zs, None, Psychological, d(11, 26), Some("  下午 方便 "))
        .unwrap();
    let second = w
        .add_to_waitlist(ls, Some(chen), Legal, d(11, 23), None)
        .unwrap();
    let third = w
        .add_to_waitlist(ww, Some(zhou), Psychological, d(11, 30), Some("  "))
        .unwrap();
    w.commit().unwrap();
    let logged = ops(&path);
    assert_eq!(logged.len(), n + 3, "one operation each");
    assert!(
        logged[n..]
            .iter()
            .all(|(e, k, _)| (*e, *k) == (Entity::Waitlist.code(), 0))
    );
    assert_eq!(logged[n].2["week"], "2026-11-23");
    assert_eq!(logged[n].2["note"], "下午 方便");
    assert_eq!(logged[n].2["status"], "waiting");
    assert_eq!(logged[n + 2].2["note"], serde_json::Value::Null);

    // Refusals write nothing.
    let mut w = store.begin(None).unwrap();
    assert!(matches!(
        w.add_to_waitlist(zs, Some(zhou), Legal, d(11, 23), None),
        Err(StoreError::Invalid(ValidationError::CounsellorKind))
    ));
    assert!(matches!(
        w.add_to_waitlist(PersonId::new(), None, Legal, d(11, 23), None),
        Err(StoreError::NotFound("person"))
    ));
    assert!(matches!(
        w.add_to_waitlist(zs, Some(CounsellorId::new()), Legal, d(11, 23), None),
        Err(StoreError::NotFound("counsellor"))
    ));
    assert!(matches!(
        w.add_to_waitlist(zs, None, Legal, d(11, 23), Some(&"长".repeat(201))),
        Err(StoreError::Invalid(ValidationError::TextTooLong { .. }))
    ));
    drop(w);
    assert_eq!(ops(&path).len(), n + 3);

    let ids =
        |s: &Store, k| -> Vec<WaitlistId> { s.waitlist(k).unwrap().iter().map(|r| r.id).collect() };
    assert_eq!(ids(&store, None), [first, second, third]);
    assert_eq!(ids(&store, Some(Legal)), [second]);
    assert_eq!(ids(&store, Some(Psychological)), [first, third]);
    let rows = store.waitlist(None).unwrap();
    assert_eq!(rows[0].name, "张三");
    assert_eq!(rows[0].counsellor, None);
    assert_eq!(rows[0].week, d(11, 23));
    assert_eq!(rows[0].note.as_deref(), Some("下午 方便"));
    assert_eq!(rows[1].counsellor_name.as_deref(), Some("陈律师"));
    assert_eq!(rows[1].kind, Legal);
    assert_eq!(rows[2].week, d(11, 30));
    assert!(rows[0].added_at < rows[1].added_at);

    // Booked or withdrawn entries leave the list; one put back keeps its
    // place.
    write(&mut store, |w| {
        w.set_waitlist_status(first, WaitlistStatus::Booked)
            .unwrap();
        w.set_waitlist_status(third, WaitlistStatus::Withdrawn)
            .unwrap();
    });
    assert_eq!(ids(&store, None), [second]);
    let mut w = store.begin(None).unwrap();
    assert!(matches!(
        w.set_waitlist_status(first, WaitlistStatus::Withdrawn),
        Err(StoreError::Invalid(
            ValidationError::WaitlistTransition { .. }
        ))
    ));
    assert!(matches!(
        w.set_waitlist_status(WaitlistId::new(), WaitlistStatus::Booked),
        Err(StoreError::NotFound(_))
    ));
    w.set_waitlist_status(first, WaitlistStatus::Waiting)
        .unwrap();
    w.commit().unwrap();
    assert_eq!(ids(&store, None), [first, second]);
    let entry = store.waitlist_entry(third).unwrap().unwrap();
    assert_eq!(entry.status, WaitlistStatus::Withdrawn);
    assert_eq!(entry.counsellor, Some(zhou));
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert!(report.counts.contains(&(Entity::Waitlist, 3)));

    // The waitlist travels with the log: another station sees it, changes
    // it, and after a full exchange both hold the same records.
    let mut other = Store::open_in_memory().unwrap();
    other.init_station("NS", "南山", "Asia/Shanghai").unwrap();
    other.apply_remote(&store.all_ops().unwrap()).unwrap();
    assert_eq!(other.waitlist(None).unwrap(), store.waitlist(None).unwrap());
    write(&mut other, |w| {
        w.set_waitlist_status(second, WaitlistStatus::Booked)
            .unwrap();
    });
    store.apply_remote(&other.all_ops().unwrap()).unwrap();
    other.apply_remote(&store.all_ops().unwrap()).unwrap();
    assert_eq!(ids(&store, None), [first]);
    assert_eq!(store.digest().unwrap(), other.digest().unwrap());
    for s in [&store, &other] {
        let report = s.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
}

#[test]
fn one_person_is_never_in_two_sessions_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13800000001");
    let ls = add_person(&mut store, "李四", "13800000002");
    let zhou = counsellor(&mut store, "周医生", CounsellorKind::Psychological);
    let chen = counsellor(&mut store, "陈律师", CounsellorKind::Legal);
    let booked = at(2026, 11, 20, 1);
    // Zhou: 10:00–11:00 slots; Chen: 09:45–10:30 slots, both on Tuesdays.
    let mornings = |c, h, m, minutes| AvailabilityRule {
        start: t(h, m),
        end: t(12, 0),
        ..tuesdays(c, minutes)
    };
    write(&mut store, |w| {
        w.add_rule(&mornings(zhou, 10, 0, 60)).unwrap();
        w.add_rule(&mornings(chen, 9, 45, 45)).unwrap();
    });
    let first = {
        let mut w = store.begin(None).unwrap();
        let id = w
            .book(zhou, zs, d(11, 24), slot(10, 0, 60), booked)
            .unwrap();
        w.commit().unwrap();
        id
    };
    let n = ops(&path).len();
    let mut w = store.begin(None).unwrap();
    let refused = w.book(chen, zs, d(11, 24), slot(9, 45, 45), booked);
    match refused {
        Err(StoreError::Invalid(e @ ValidationError::PersonDoubleBooked { .. })) => {
            assert_eq!(
                e,
                ValidationError::PersonDoubleBooked {
                    counsellor: "周医生".into(),
                    start: "10:00".into(),
                    end: "11:00".into()
                }
            );
            use waystation::i18n::{Lang, Localized};
            assert_eq!(
                e.localized(Lang::ZhCn),
                "此人当天 10:00–11:00 已约了周医生，时间重叠"
            );
            assert_eq!(
                e.localized(Lang::En),
                "the person has an overlapping session: 周医生 10:00–11:00"
            );
        }
        other => panic!("not refused: {other:?}"),
    }
    // Someone else may have that slot; back to back is fine for the same
    // person; another day too.
    w.book(chen, ls, d(11, 24), slot(9, 45, 45), booked)
        .unwrap();
    w.book(chen, zs, d(11, 24), slot(11, 15, 45), booked)
        .unwrap();
    w.book(chen, zs, d(12, 1), slot(9, 45, 45), booked).unwrap();
    // Chen's next slot still overlaps the first session.
    assert!(matches!(
        w.book(chen, zs, d(11, 24), slot(10, 30, 45), booked),
        Err(StoreError::Invalid(
            ValidationError::PersonDoubleBooked { .. }
        ))
    ));
    // Once the first session is cancelled, its time is free for the person.
    w.set_appointment_status(first, AppointmentStatus::Cancelled)
        .unwrap();
    w.book(chen, zs, d(11, 24), slot(10, 30, 45), booked)
        .unwrap();
    w.commit().unwrap();
    assert_eq!(ops(&path).len(), n + 5, "refusals write nothing");
}

#[test]
fn marks_follow_ups_and_rules_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13800000001");
    let zhou = counsellor(&mut store, "周医生", CounsellorKind::Psychological);
    write(&mut store, |w| {
        w.add_rule(&tuesdays(zhou, 60)).unwrap();
    });
    let mut w = store.begin(None).unwrap();
    let id = w
        .book(zhou, zs, d(11, 24), slot(14, 0, 60), at(2026, 11, 20, 1))
        .unwrap();

    // Arrived, done, no-show: not before the session starts.
    for to in [
        AppointmentStatus::Arrived,
        AppointmentStatus::NoShow,
        AppointmentStatus::Done,
    ] {
        assert!(matches!(
            w.mark_appointment(id, to, dt(11, 21, 16, 0)),
            Err(StoreError::Invalid(ValidationError::SessionNotStarted))
        ));
    }
    assert!(matches!(
        w.mark_appointment(id, AppointmentStatus::Arrived, dt(11, 24, 13, 59)),
        Err(StoreError::Invalid(ValidationError::SessionNotStarted))
    ));
    w.mark_appointment(id, AppointmentStatus::Arrived, dt(11, 24, 14, 0))
        .unwrap();
    w.mark_appointment(id, AppointmentStatus::Done, dt(11, 24, 15, 0))
        .unwrap();
    // A wrong "done" is undone, then the session can be cancelled.
    assert!(matches!(
        w.mark_appointment(id, AppointmentStatus::Cancelled, dt(11, 24, 15, 0)),
        Err(StoreError::Invalid(
            ValidationError::AppointmentTransition { .. }
        ))
    ));
    w.mark_appointment(id, AppointmentStatus::Booked, dt(11, 24, 15, 0))
        .unwrap();
    w.mark_appointment(id, AppointmentStatus::Cancelled, dt(11, 24, 15, 0))
        .unwrap();
    assert!(matches!(
        w.mark_appointment(
            waystation::domain::ids::AppointmentId::new(),
            AppointmentStatus::Arrived,
            dt(11, 24, 15, 0)
        ),
        Err(StoreError::NotFound("appointment"))
    ));

    // A follow-up before the session is refused; the same day or later is
    // fine, and clearing it too.
    assert_eq!(
        match w.set_appointment_follow_up(id, Some(d(11, 1))) {
            Err(StoreError::Invalid(e)) => e,
            other => panic!("{other:?}"),
        },
        ValidationError::FollowUpBeforeSession {
            session: "2026-11-24".into()
        }
    );
    w.set_appointment_follow_up(id, Some(d(11, 24))).unwrap();
    w.set_appointment_follow_up(id, Some(d(12, 8))).unwrap();
    w.set_appointment_follow_up(id, None).unwrap();
    w.commit().unwrap();

    // The same hours twice, or overlapping ones, are refused; other days,
    // back-to-back hours, other weeks of the month and other counsellors
    // are not.
    let n = ops(&path).len();
    let mut w = store.begin(None).unwrap();
    let again = tuesdays(zhou, 60);
    match w.add_rule(&again) {
        Err(StoreError::Invalid(e @ ValidationError::RuleOverlaps { .. })) => {
            use waystation::i18n::{Lang, Localized};
            assert_eq!(
                e.localized(Lang::ZhCn),
                "与这位咨询师已有的排班重叠：周二 14:00–17:00"
            );
            assert_eq!(
                e.localized(Lang::En),
                "overlaps hours this counsellor already has: Tue 14:00–17:00"
            );
        }
        other => panic!("not refused: {other:?}"),
    }
    let evening = AvailabilityRule {
        start: t(16, 30),
        end: t(19, 0),
        ..tuesdays(zhou, 30)
    };
    assert!(matches!(
        w.add_rule(&evening),
        Err(StoreError::Invalid(ValidationError::RuleOverlaps { .. }))
    ));
    let second_tuesday = AvailabilityRule {
        recurrence: Recurrence::Monthly(Weekday::Tue, WeeksOfMonth::new(&[2]).unwrap()),
        ..tuesdays(zhou, 60)
    };
    assert!(matches!(
        w.add_rule(&second_tuesday),
        Err(StoreError::Invalid(ValidationError::RuleOverlaps { .. }))
    ));
    w.add_rule(&AvailabilityRule {
        start: t(17, 0),
        end: t(19, 0),
        ..tuesdays(zhou, 60)
    })
    .unwrap();
    w.add_rule(&AvailabilityRule {
        recurrence: Recurrence::Weekly(Weekday::Wed),
        ..tuesdays(zhou, 60)
    })
    .unwrap();
    w.commit().unwrap();
    let wang = counsellor(&mut store, "王医生", CounsellorKind::Psychological);
    write(&mut store, |w| {
        w.add_rule(&tuesdays(wang, 60)).unwrap();
    });
    // A removed rule no longer stands in the way.
    let old = store.rules_of(zhou).unwrap()[0].id;
    write(&mut store, |w| {
        w.remove_rule(old).unwrap();
        w.add_rule(&tuesdays(zhou, 30)).unwrap();
    });
    assert_eq!(ops(&path).len(), n + 2 + 1 + 1 + 2);
}

/// A staff member of `role` added to the store and signed in (`None`:
/// nobody signed in).
fn sign_in(store: &mut Store, role: Option<Role>) -> Option<Session> {
    store.set_session(None);
    let session = role.map(|role| {
        let name = format!("{role:?}");
        let mut w = store.begin(None).unwrap();
        let staff = w.add_staff(&name, role).unwrap();
        w.commit().unwrap();
        Session { staff, name, role }
    });
    store.set_session(session.clone());
    session
}

/// A booked session of 张三 with 周医生 on Tuesday 24 November.
fn one_session(store: &mut Store) -> AppointmentId {
    let zs = add_person(store, "张三", "13800000001");
    let zhou = counsellor(store, "周医生", CounsellorKind::Psychological);
    let mut w = store.begin(None).unwrap();
    w.add_rule(&tuesdays(zhou, 60)).unwrap();
    let id = w
        .book(zhou, zs, d(11, 24), slot(14, 0, 60), at(2026, 11, 20, 1))
        .unwrap();
    w.commit().unwrap();
    id
}

const ROLES: [Option<Role>; 5] = [
    None,
    Some(Role::Volunteer),
    Some(Role::Staff),
    Some(Role::Counsellor),
    Some(Role::Admin),
];

#[test]
fn only_a_counsellor_reads_and_writes_session_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let id = one_session(&mut store);
    let counsellor = sign_in(&mut store, Some(Role::Counsellor)).unwrap();
    store.save_session_notes(id, "第一次：睡眠不好").unwrap();
    for role in ROLES {
        let who = sign_in(&mut store, role);
        assert_eq!(store.session(), who.as_ref());
        let allowed = role == Some(Role::Counsellor);
        let entries = store.audit_entries(1000).unwrap().len();
        let log = ops(&path).len();
        let read = store.session_notes(id);
        let saved = store.save_session_notes(id, &format!("{role:?} 写的"));
        // A refusal names the one role that may.
        if let Err(e) = &read {
            assert_eq!(e.to_string(), "This needs the Counsellor role");
        }
        if allowed {
            assert_eq!(read.unwrap().as_deref(), Some("第一次：睡眠不好"));
            saved.unwrap();
            store.save_session_notes(id, "第一次：睡眠不好").unwrap();
        } else {
            assert!(
                matches!(read, Err(StoreError::NotAllowed(Act::SessionNotes))),
                "{role:?} read: {read:?}"
            );
            assert!(
                matches!(saved, Err(StoreError::NotAllowed(Act::SessionNotes))),
                "{role:?} saved: {saved:?}"
            );
            // Refused: nothing written, not even an audit entry (the
            // sign-in above wrote a staff member, counted before).
            assert_eq!(store.audit_entries(1000).unwrap().len(), entries);
            assert_eq!(ops(&path).len(), log, "{role:?}");
        }
    }
    store.set_session(Some(counsellor));
    assert_eq!(
        store.session_notes(id).unwrap().as_deref(),
        Some("第一次：睡眠不好"),
        "no refused save changed them"
    );
}

#[test]
fn reading_notes_is_audited_and_saving_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let id = one_session(&mut store);
    let c = sign_in(&mut store, Some(Role::Counsellor)).unwrap();
    // None written yet: nothing, and the read is traced all the same.
    assert_eq!(store.session_notes(id).unwrap(), None);
    let views: Vec<_> = store
        .audit_entries(10)
        .unwrap()
        .into_iter()
        .filter(|e| e.action_kind() == Some(AuditAction::View))
        .collect();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].subject, format!("appointment:{}", id.0));
    assert_eq!(views[0].actor, Some(c.staff));
    assert_eq!(views[0].detail, json!({"field": "notes"}));

    // Saved notes are cleaned (trimmed, line breaks kept) and logged as
    // the counsellor's change.
    let n = ops(&path).len();
    store
        .save_session_notes(id, "  情绪稳定\r\n\r\n\r\n下次谈睡眠  ")
        .unwrap();
    let log = ops(&path);
    assert_eq!(log.len(), n + 1);
    assert_eq!(log[n].2, json!({"notes": "情绪稳定\n\n下次谈睡眠"}));
    assert_eq!(
        store.session_notes(id).unwrap().as_deref(),
        Some("情绪稳定\n\n下次谈睡眠")
    );
    let actor: Vec<u8> = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT actor FROM ops WHERE payload LIKE '%下次谈睡眠%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(actor, c.staff.as_bytes());

    // The same notes again write nothing; blank clears them.
    let n = ops(&path).len();
    store
        .save_session_notes(id, "情绪稳定\n\n下次谈睡眠 ")
        .unwrap();
    assert_eq!(ops(&path).len(), n, "unchanged notes are not written again");
    store.save_session_notes(id, " \n ").unwrap();
    assert_eq!(ops(&path)[n].2, json!({"notes": null}));
    assert_eq!(store.session_notes(id).unwrap(), None);
}

#[test]
fn bad_notes_and_unknown_sessions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let id = one_session(&mut store);
    sign_in(&mut store, Some(Role::Counsellor));
    store.save_session_notes(id, "原来的").unwrap();
    let n = ops(&path).len();
    let long = "很".repeat(4001);
    assert!(matches!(
        store.save_session_notes(id, &long),
        Err(StoreError::Invalid(ValidationError::TextTooLong {
            max: 4000,
            ..
        }))
    ));
    assert!(matches!(
        store.save_session_notes(id, "响铃\u{7}"),
        Err(StoreError::Invalid(ValidationError::TextControlChar { .. }))
    ));
    let nobody = AppointmentId::new();
    assert!(matches!(
        store.save_session_notes(nobody, "有内容"),
        Err(StoreError::NotFound("appointment"))
    ));
    let audited = store.audit_entries(1000).unwrap().len();
    assert!(matches!(
        store.session_notes(nobody),
        Err(StoreError::NotFound("appointment"))
    ));
    assert_eq!(store.audit_entries(1000).unwrap().len(), audited);
    assert_eq!(ops(&path).len(), n, "nothing refused was written");
    assert_eq!(store.session_notes(id).unwrap().as_deref(), Some("原来的"));
}

#[test]
fn schedule_reads_never_carry_notes() {
    const MARK: &str = "笔记标记-Q7X";
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let id = one_session(&mut store);
    sign_in(&mut store, Some(Role::Counsellor));
    store.save_session_notes(id, MARK).unwrap();
    // Even for the counsellor, the general reads leave the notes out.
    let zhou = store.counsellors().unwrap()[0].id;
    let reads = format!(
        "{:?}{:?}{:?}",
        store.appointments_on(zhou, d(11, 24)).unwrap(),
        store
            .appointments_between(d(11, 1), d(11, 30), None)
            .unwrap(),
        store
            .appointments_between(d(11, 1), d(11, 30), Some(zhou))
            .unwrap(),
    );
    assert!(reads.contains(&id.0.to_string()), "{reads}");
    assert!(!reads.contains(MARK), "{reads}");
    assert_eq!(store.session_notes(id).unwrap().as_deref(), Some(MARK));
}
