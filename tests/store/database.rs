//! Storage: migrations, refusals, the operation log, the digest, the
//! workflow rules as they reach the database.

use crate::common;

use chrono::{NaiveDate, NaiveTime, Weekday};
use common::*;
use serde_json::json;
use waystation::domain::ValidationError;
use waystation::domain::case::{CaseStatus, CaseType, CloseReason, Outcome, Referral};
use waystation::domain::ids::RuleId;
use waystation::domain::money::Fen;
use waystation::domain::person::Trade;
use waystation::domain::schedule::{
    AppointmentStatus, AvailabilityRule, CounsellorKind, Recurrence, Slot,
};
use waystation::domain::staff::Role;
use waystation::domain::visit::{Service, Services};
use waystation::store::{Entity, SCHEMA_VERSION, Store, StoreError};
use waystation::store::{NewCase, StatusChange, TimelineEvent};

#[test]
fn a_new_file_is_migrated_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let wal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    assert_eq!(app, waystation::store::APPLICATION_ID);
    assert_eq!(wal, "wal");
    // Opening again is a no-op and keeps the replica id.
    let a = Store::open(&path).unwrap().replica_id();
    let b = Store::open(&path).unwrap().replica_id();
    assert_eq!(a, b);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    match Store::open(&path) {
        Err(StoreError::TooNew { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
}

#[test]
fn foreign_damaged_and_missing_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    assert!(matches!(Store::open(&foreign), Err(StoreError::Foreign)));

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "这不是数据库 — just some text that is long enough to have a header ".repeat(20),
    )
    .unwrap();
    assert!(matches!(
        Store::open(&text),
        Err(StoreError::NotADatabase(_))
    ));
    assert_eq!(
        std::fs::read(&text).unwrap().len(),
        "这不是数据库 — just some text that is long enough to have a header ".len() * 20,
        "left untouched"
    );

    let missing = dir.path().join("no/such/folder/x.db");
    assert!(matches!(
        Store::open(&missing),
        Err(StoreError::NoFolder(_))
    ));
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::IsFolder(_))
    ));
}

#[test]
fn nothing_is_recorded_without_a_station() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(matches!(store.begin(None), Err(StoreError::NoStation)));
    store
        .init_station("ft", "福田 爱心驿站", "Asia/Shanghai")
        .unwrap();
    assert!(store.begin(None).is_ok());
    assert!(matches!(
        store.init_station("NS", "南山", "Asia/Shanghai"),
        Err(StoreError::StationExists(_))
    ));
    assert!(matches!(
        Store::open_in_memory()
            .unwrap()
            .init_station("FT", "x", "Mars/Base"),
        Err(StoreError::Invalid(ValidationError::TimeZone(_)))
    ));
}

/// Asserts that exactly one operation was logged since the `n`th, of this
/// entity and kind, and passes its payload to `check`.
fn expect_op(
    path: &std::path::Path,
    n: &mut usize,
    entity: Entity,
    kind: i64,
    check: &dyn Fn(&serde_json::Value),
) {
    let all = ops(path);
    assert_eq!(all.len(), *n + 1, "exactly one op for {entity:?}");
    let (e, k, p) = &all[*n];
    assert_eq!((*e, *k), (entity.code(), kind), "{p}");
    check(p);
    *n += 1;
}

#[test]
fn every_mutation_leaves_exactly_its_operations() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let station_ops = ops(&path);
    assert_eq!(station_ops.len(), 1);
    assert_eq!(station_ops[0].0, Entity::Station.code());
    assert_eq!(station_ops[0].2["code"], "FT");

    let mut n = ops(&path).len();

    let mut w = store.begin(None).unwrap();
    let handler = w.add_staff("李华", Role::Staff).unwrap();
    w.commit().unwrap();
    // The staff member, and the audit entry the store writes with every
    // staff change, in the same write.
    let all = ops(&path);
    assert_eq!(all.len(), n + 2, "the staff op and its audit entry");
    assert_eq!((all[n].0, all[n].1), (Entity::Staff.code(), 0));
    assert_eq!(all[n].2["role"], "staff");
    assert_eq!((all[n + 1].0, all[n + 1].1), (Entity::Audit.code(), 0));
    assert_eq!(all[n + 1].2["action"], "staff");
    assert_eq!(all[n + 1].2["subject"], format!("staff:{}", handler.0));
    n += 2;

    let zs = add_person(&mut store, "张三", "13812345678");
    expect_op(&path, &mut n, Entity::Person, 0, &|p| {
        assert_eq!(p["name"], "张三");
        assert_eq!(p["mobile"], "13812345678");
    });

    let mut w = store.begin(Some(handler)).unwrap();
    let mut d = details("张三", "13812345678", Trade::Courier);
    d.employer = Some("顺丰".into());
    w.update_person(zs, &d).unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Person, 1, &|p| {
        assert_eq!(
            p,
            &json!({"trade": "courier", "employer": "顺丰"}),
            "only changed fields"
        );
    });

    let mut w = store.begin(None).unwrap();
    w.update_person(zs, &d).unwrap();
    w.commit().unwrap();
    assert_eq!(ops(&path).len(), n, "an unchanged save logs nothing");

    let services: Services = [Service::Rest, Service::Charging].into_iter().collect();
    let mut w = store.begin(None).unwrap();
    let visit = w.check_in(zs, services, at(2026, 11, 22, 2)).unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Visit, 0, &|p| {
        assert_eq!(p["trade"], "courier", "trade comes from the person");
        assert_eq!(p["left_at"], serde_json::Value::Null);
    });

    let mut w = store.begin(None).unwrap();
    w.mark_left(visit, at(2026, 11, 22, 3)).unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Visit, 1, &|p| {
        assert!(p["left_at"].is_i64())
    });

    let mut w = store.begin(None).unwrap();
    w.tally(Trade::Sanitation, 3, at(2026, 11, 22, 4)).unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Visit, 0, &|p| {
        assert_eq!(p["headcount"], 3);
        assert_eq!(p["person_id"], serde_json::Value::Null);
    });

    let mut w = store.begin(Some(handler)).unwrap();
    let (case, number) = w
        .open_case(&NewCase {
            case_type: CaseType::WageArrears,
            hardship_kind: None,
            claimants: vec![zs.into()],
            respondent: Some("某某建筑劳务有限公司".into()),
            summary: None,
            claimed: Fen::parse("1.2万").unwrap(),
            handler: Some(handler),
            follow_up: None,
            opened_at: at(2026, 11, 22, 5),
        })
        .unwrap();
    w.commit().unwrap();
    assert_eq!(number.to_string(), "FT-2026-0001");
    let all = ops(&path);
    assert_eq!(
        all.len(),
        n + 3,
        "the respondent registered, case + one claimant"
    );
    assert_eq!((all[n].0, all[n].1), (Entity::Respondent.code(), 0));
    assert_eq!(all[n].2["name"], "某某建筑劳务有限公司");
    n += 1;
    assert_eq!((all[n].0, all[n].1), (Entity::Case.code(), 0));
    assert_eq!(all[n].2["claimed"], 1_200_000);
    assert!(
        all[n].2["respondent_id"].is_string(),
        "linked to the register"
    );
    assert_eq!((all[n + 1].0, all[n + 1].1), (Entity::Claimant.code(), 0));
    n += 2;

    for (change, check) in [
        (
            StatusChange::To(CaseStatus::InProgress),
            json!({"status": "in_progress"}),
        ),
        (
            StatusChange::Resolve {
                outcome: Outcome::Agreement,
                recovered: Fen(1_000_000),
            },
            json!({"status": "resolved", "outcome": "agreement", "recovered": 1_000_000}),
        ),
    ] {
        let mut w = store.begin(Some(handler)).unwrap();
        w.set_status(case, change, at(2026, 11, 23, 1)).unwrap();
        w.commit().unwrap();
        expect_op(&path, &mut n, Entity::Case, 1, &|p| {
            for (k, v) in check.as_object().unwrap() {
                assert_eq!(&p[k], v, "{p}");
            }
        });
    }

    let mut w = store.begin(Some(handler)).unwrap();
    w.add_note(case, "已联系用人单位，对方承诺月底前支付")
        .unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Note, 0, &|p| {
        assert!(p["body"].as_str().unwrap().contains("月底"))
    });

    let mut w = store.begin(None).unwrap();
    w.set_follow_up(case, Some(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()))
        .unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Case, 1, &|p| {
        assert_eq!(p, &json!({"follow_up": "2026-12-01"}))
    });

    let mut w = store.begin(None).unwrap();
    w.refer(case, Some(Referral::Arbitration)).unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Case, 1, &|p| {
        assert_eq!(p, &json!({"referral": "arbitration"}))
    });

    // A refused change writes nothing.
    let mut w = store.begin(None).unwrap();
    let err = w.set_status(
        case,
        StatusChange::To(CaseStatus::Waiting),
        at(2026, 11, 24, 1),
    );
    assert!(matches!(
        err,
        Err(StoreError::Invalid(
            ValidationError::StatusTransition { .. }
        ))
    ));
    drop(w);
    assert_eq!(ops(&path).len(), n);

    let mut w = store.begin(None).unwrap();
    let c = w
        .add_counsellor("周医生", CounsellorKind::Psychological)
        .unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Counsellor, 0, &|p| {
        assert_eq!(p["kind"], "psychological")
    });

    // The rest of the case actions, one operation each.
    let li = add_person(&mut store, "李四", "13900000000");
    n += 1;
    type Step<'a> = (
        Box<dyn Fn(&mut waystation::store::Writer<'_>) + 'a>,
        Entity,
        i64,
        serde_json::Value,
    );
    let steps: Vec<Step<'_>> = vec![
        (
            Box::new(|w| w.assign(case, None).unwrap()),
            Entity::Case,
            1,
            json!({"handler": null}),
        ),
        (
            Box::new(|w| w.set_amounts(case, Fen(2_000_000), Fen(1_500_000)).unwrap()),
            Entity::Case,
            1,
            json!({"claimed": 2_000_000, "recovered": 1_500_000}),
        ),
        (
            // The same employer typed another way: linked to its record
            // of the register, nothing new registered.
            Box::new(|w| w.set_respondent(case, "  某某建筑劳务 有限公司 ").unwrap()),
            Entity::Case,
            1,
            json!({"respondent": "某某建筑劳务 有限公司"}),
        ),
        (
            Box::new(|w| w.add_claimant(case, li).unwrap()),
            Entity::Claimant,
            0,
            json!({"case_id": case.0.to_string(), "person_id": li.0.to_string(), "removed": false,
                   "claimed": null, "recovered": null}),
        ),
        (
            Box::new(|w| w.remove_claimant(case, li).unwrap()),
            Entity::Claimant,
            1,
            json!({"removed": true}),
        ),
        (
            Box::new(|w| w.add_claimant(case, li).unwrap()),
            Entity::Claimant,
            1,
            json!({"removed": false}),
        ),
        (
            Box::new(|w| {
                w.set_status(
                    case,
                    StatusChange::To(CaseStatus::InProgress),
                    at(2026, 11, 25, 1),
                )
                .unwrap()
            }),
            Entity::Case,
            1,
            json!({"status": "in_progress", "outcome": null, "close_reason": null, "concluded_at": null}),
        ),
    ];
    for (step, entity, kind, payload) in &steps {
        let mut w = store.begin(None).unwrap();
        step(&mut w);
        w.commit().unwrap();
        expect_op(&path, &mut n, *entity, *kind, &|p| assert_eq!(p, payload));
    }

    // Schedule: a rule, an exception, a booking and its changes.
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let tue = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut w = store.begin(None).unwrap();
    w.add_rule(&tuesday_afternoons(c)).unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Rule, 0, &|p| {
        assert_eq!(
            (&p["weekday"], &p["weeks"], &p["start"]),
            (&json!(2), &json!(0), &json!("14:00"))
        );
    });
    let mut w = store.begin(None).unwrap();
    w.add_exception(&waystation::domain::schedule::AvailabilityException {
        id: waystation::domain::ids::ExceptionId::new(),
        counsellor: c,
        date: tue,
        kind: waystation::domain::schedule::ExceptionKind::Unavailable(Some((t(16), t(17)))),
    })
    .unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Exception, 0, &|p| {
        assert_eq!((&p["kind"], &p["start"]), (&json!("off"), &json!("16:00")));
    });
    let mut w = store.begin(None).unwrap();
    let appt = w
        .book(
            c,
            zs,
            tue,
            Slot {
                start: t(14),
                end: t(15),
            },
            at(2026, 11, 22, 6),
        )
        .unwrap();
    w.commit().unwrap();
    expect_op(&path, &mut n, Entity::Appointment, 0, &|p| {
        assert_eq!(
            (&p["status"], &p["start"]),
            (&json!("booked"), &json!("14:00"))
        );
    });
    for (change, payload) in [
        (0, json!({"status": "arrived"})),
        (1, json!({"status": "done"})),
        (2, json!({"follow_up": "2026-12-08"})),
        (3, json!({"notes": "情绪稳定"})),
    ] {
        let mut w = store.begin(None).unwrap();
        match change {
            0 => w
                .set_appointment_status(appt, AppointmentStatus::Arrived)
                .unwrap(),
            1 => w
                .set_appointment_status(appt, AppointmentStatus::Done)
                .unwrap(),
            2 => w
                .set_appointment_follow_up(appt, NaiveDate::from_ymd_opt(2026, 12, 8))
                .unwrap(),
            _ => w.set_appointment_notes(appt, " 情绪稳定 ").unwrap(),
        }
        w.commit().unwrap();
        expect_op(&path, &mut n, Entity::Appointment, 1, &|p| {
            assert_eq!(p, &payload)
        });
    }
    // The 16:00 slot is gone, the booked one is taken: one slot left.
    assert_eq!(store.free_slots(c, tue).unwrap().len(), 1);
    assert!(
        store.check().unwrap().is_ok(),
        "{:?}",
        store.check().unwrap().problems
    );
}

#[test]
fn case_numbers_count_per_station_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "ZB");
    let p = add_person(&mut store, "王五", "13912345678");
    let mut numbers = Vec::new();
    for (y, m) in [(2026, 3), (2026, 12), (2027, 1), (2026, 5)] {
        let mut w = store.begin(None).unwrap();
        let (_, n) = w.open_case(&new_case(vec![p], at(y, m, 1, 3))).unwrap();
        w.commit().unwrap();
        numbers.push(n.to_string());
    }
    assert_eq!(
        numbers,
        [
            "ZB-2026-0001",
            "ZB-2026-0002",
            "ZB-2027-0001",
            "ZB-2026-0003"
        ]
    );
    // 2026-12-31 20:00 UTC is already 2027 in Shanghai.
    let mut w = store.begin(None).unwrap();
    let (_, n) = w
        .open_case(&new_case(vec![p], at(2026, 12, 31, 20)))
        .unwrap();
    w.commit().unwrap();
    assert_eq!(n.to_string(), "ZB-2027-0002");
}

#[test]
fn group_case_claimants_and_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let a = add_person(&mut store, "赵一", "13800000001");
    let b = add_person(&mut store, "钱二", "13800000002");
    let c = add_person(&mut store, "孙三", "13800000003");
    let mut w = store.begin(None).unwrap();
    let lee = w.add_staff("李华", Role::Staff).unwrap();
    w.commit().unwrap();

    let mut w = store.begin(Some(lee)).unwrap();
    let (case, _) = w
        .open_case(&NewCase {
            case_type: CaseType::WageArrears,
            hardship_kind: None,
            claimants: vec![a.into(), b.into(), c.into()],
            respondent: Some("宏达建筑劳务公司".into()),
            summary: Some("三人被拖欠两个月工资".into()),
            claimed: Fen::parse("16,974.00").unwrap(),
            handler: Some(lee),
            follow_up: None,
            opened_at: at(2026, 11, 1, 3),
        })
        .unwrap();
    w.commit().unwrap();
    assert_eq!(store.claimants(case).unwrap().len(), 3);

    let mut w = store.begin(Some(lee)).unwrap();
    assert!(w.add_claimant(case, a).is_ok(), "adding twice is a no-op");
    w.remove_claimant(case, b).unwrap();
    w.remove_claimant(case, c).unwrap();
    assert!(matches!(
        w.remove_claimant(case, a),
        Err(StoreError::Invalid(ValidationError::NoClaimant))
    ));
    w.add_claimant(case, c).unwrap();
    w.add_note(case, "  第一次调解\r\n\r\n对方同意分期  ")
        .unwrap();
    w.set_status(
        case,
        StatusChange::Close {
            reason: CloseReason::Withdrawn,
        },
        at(2026, 11, 2, 3),
    )
    .unwrap();
    w.set_status(
        case,
        StatusChange::To(CaseStatus::InProgress),
        at(2026, 11, 3, 3),
    )
    .unwrap();
    w.commit().unwrap();

    let names: Vec<String> = store
        .claimants(case)
        .unwrap()
        .into_iter()
        .map(|x| x.1)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"赵一".to_owned()) && names.contains(&"孙三".to_owned()));
    let reopened = store.case(case).unwrap().unwrap();
    assert_eq!(reopened.status, CaseStatus::InProgress);
    assert_eq!(
        reopened.close_reason, None,
        "reopening clears the conclusion"
    );

    let t = store.case_timeline(case).unwrap();
    assert!(matches!(t[0].event, TimelineEvent::Opened));
    assert!(t.iter().all(|e| e.actor.as_deref() == Some("李华")));
    assert!(
        t.iter()
            .any(|e| e.event == TimelineEvent::ClaimantRemoved("钱二".into()))
    );
    assert!(
        t.iter()
            .any(|e| e.event == TimelineEvent::Note("第一次调解\n\n对方同意分期".into()))
    );
    let statuses: Vec<_> = t
        .iter()
        .filter_map(|e| match &e.event {
            TimelineEvent::Changed { field, value } if field == "status" => {
                value.as_str().map(str::to_owned)
            }
            _ => None,
        })
        .collect();
    assert_eq!(statuses, ["closed", "in_progress"]);
    assert!(t.windows(2).all(|w| w[0].at <= w[1].at));
}

/// Tuesdays 14:00–17:00 in 60-minute slots, from 2026.
fn tuesday_afternoons(counsellor: waystation::domain::ids::CounsellorId) -> AvailabilityRule {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    AvailabilityRule {
        id: RuleId::new(),
        counsellor,
        recurrence: Recurrence::Weekly(Weekday::Tue),
        start: t(14),
        end: t(17),
        slot_minutes: 60,
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        valid_until: None,
    }
}

#[test]
fn a_slot_cannot_be_booked_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let p = add_person(&mut store, "吴六", "13700000001");
    let q = add_person(&mut store, "郑七", "13700000002");
    let mut w = store.begin(None).unwrap();
    let c = w
        .add_counsellor("周医生", CounsellorKind::Psychological)
        .unwrap();
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    w.add_rule(&tuesday_afternoons(c)).unwrap();
    w.commit().unwrap();
    let tue = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let slot = Slot {
        start: t(14),
        end: t(15),
    };
    assert_eq!(store.free_slots(c, tue).unwrap().len(), 3);

    let mut w = store.begin(None).unwrap();
    let first = w.book(c, p, tue, slot, at(2026, 11, 22, 1)).unwrap();
    w.commit().unwrap();
    let mut w = store.begin(None).unwrap();
    assert!(matches!(
        w.book(c, q, tue, slot, at(2026, 11, 22, 1)),
        Err(StoreError::Invalid(ValidationError::SlotTaken))
    ));
    assert!(matches!(
        w.book(
            c,
            q,
            tue,
            Slot {
                start: t(18),
                end: t(19)
            },
            at(2026, 11, 22, 1)
        ),
        Err(StoreError::Invalid(ValidationError::OutsideAvailability))
    ));
    drop(w);
    assert_eq!(store.free_slots(c, tue).unwrap().len(), 2);

    // Cancelling frees the slot for someone else.
    let mut w = store.begin(None).unwrap();
    w.set_appointment_status(first, AppointmentStatus::Cancelled)
        .unwrap();
    w.book(c, q, tue, slot, at(2026, 11, 22, 2)).unwrap();
    w.commit().unwrap();
    assert_eq!(store.appointments_on(c, tue).unwrap().len(), 2);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn digest_is_equal_for_equal_content_and_moves_with_any_change() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13812345678");
    let mut w = store.begin(None).unwrap();
    let v = w
        .check_in(zs, Services::EMPTY, at(2026, 11, 22, 2))
        .unwrap();
    w.commit().unwrap();
    drop(store);
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&copy).unwrap();
    let base = a.digest().unwrap();
    assert_eq!(base, b.digest().unwrap(), "same records, same digest");

    let mut seen = vec![base.clone()];
    type Change<'a> = Box<dyn Fn(&mut Store) + 'a>;
    let changes: Vec<Change> = vec![
        Box::new(|s| {
            let mut w = s.begin(None).unwrap();
            w.update_person(zs, &details("张叁", "13812345678", Trade::FoodDelivery))
                .unwrap();
            w.commit().unwrap();
        }),
        Box::new(|s| {
            let mut w = s.begin(None).unwrap();
            w.mark_left(v, at(2026, 11, 22, 3)).unwrap();
            w.commit().unwrap();
        }),
        Box::new(|s| {
            let mut w = s.begin(None).unwrap();
            w.set_services(v, [Service::Water].into_iter().collect())
                .unwrap();
            w.commit().unwrap();
        }),
    ];
    for change in &changes {
        change(&mut a);
        let d = a.digest().unwrap();
        assert!(!seen.contains(&d), "a change must move the digest");
        seen.push(d);
    }
    // The same changes on the copy reach the same records and digest, though
    // their operations carry other clocks.
    for change in &changes {
        change(&mut b);
    }
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
}

#[test]
fn check_finds_a_record_changed_behind_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    add_person(&mut store, "张三", "13812345678");
    assert!(store.check().unwrap().is_ok());
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE people SET name = '李四'", []).unwrap();
    drop(conn);
    let report = Store::open(&path).unwrap().check().unwrap();
    assert!(!report.is_ok());
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("people") && p.contains("name")),
        "{:?}",
        report.problems
    );

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE people SET name = '张三'", []).unwrap();
    conn.execute("DELETE FROM ops WHERE entity = 1", [])
        .unwrap();
    drop(conn);
    let report = Store::open(&path).unwrap().check().unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains("stations")),
        "{:?}",
        report.problems
    );
}

#[test]
fn check_finds_a_lookup_index_out_of_step() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    add_person(&mut store, "张三", "13812345678");
    assert!(store.check().unwrap().is_ok());
    drop(store);
    for tamper in [
        "DELETE FROM search_terms WHERE kind = 5",
        "UPDATE search_terms SET term = 'zz' WHERE kind = 5",
        "INSERT INTO search_terms VALUES (1, '李四', x'00')",
    ] {
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).unwrap();
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute(tamper, []).unwrap();
        drop(conn);
        let report = Store::open(&copy).unwrap().check().unwrap();
        assert!(
            report.problems.iter().any(|p| p.contains("lookup index")),
            "{tamper}: {:?}",
            report.problems
        );
        std::fs::remove_file(&copy).unwrap();
    }
}

#[test]
fn an_upgrade_indexes_names_by_every_reading() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let li = add_person(&mut store, "李长江", "13812345678");
    let wei = add_person(&mut store, "尉建国", "13812345679");
    drop(store);
    // What the schema before wrote: one reading per character, the
    // dictionary's (尉 as yu), and a term a cut-off bulk load left waiting.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DELETE FROM search_terms WHERE kind IN (3, 4, 5, 6);
         INSERT INTO search_terms (kind, term, id)
             SELECT k, t, id FROM people,
                 (SELECT 3 AS k, 'lizhangjiang' AS t UNION ALL SELECT 5, 'lzj'
                  UNION ALL SELECT 4, 'zhangjiang' UNION ALL SELECT 6, 'zj'
                  UNION ALL SELECT 4, 'jiang' UNION ALL SELECT 6, 'j')
             WHERE name = '李长江';
         INSERT INTO search_terms (kind, term, id)
             SELECT 3, 'yujianguo', id FROM people WHERE name = '尉建国';
         INSERT INTO pending_terms (kind, term, id)
             SELECT 5, 'yjg', id FROM people WHERE name = '尉建国';
         -- As schema 9 left them (migration 11 adds these, 12 and 13 the
         -- tables, 14 a column, its index and a table, 15 a table, 16 a
         -- table and its index, 17 two tables, two columns and their
         -- indexes).
         ALTER TABLE case_claimants DROP COLUMN claimed;
         ALTER TABLE case_claimants DROP COLUMN recovered;
         DROP TABLE held_ops;
         DROP TABLE splits;
         DROP TABLE bundles_seen;
         DROP INDEX people_by_merged_into;
         ALTER TABLE people DROP COLUMN merged_into;
         DROP TABLE person_survivor;
         DROP TABLE distinct_pairs;
         DROP INDEX merge_links_by_b;
         DROP TABLE merge_links;
         DROP TABLE handoffs;
         DROP INDEX cases_by_respondent;
         ALTER TABLE cases DROP COLUMN respondent_id;
         ALTER TABLE cases DROP COLUMN infringed_on;
         DROP TABLE respondents;",
    )
    .unwrap();
    // Schema 9: the re-indexing by every reading (10) runs again.
    conn.pragma_update(None, "user_version", 9).unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let finds = |q: &str, id| {
        store.lookup(q, 10).unwrap().iter().any(|h| {
            matches!(h, waystation::store::Hit::Person(p) if p.id == id
                && p.matched <= waystation::store::Match::PinyinOther)
        })
    };
    for q in ["lichangjiang", "lizhangjiang", "lcj", "lzj"] {
        assert!(finds(q, li), "{q}");
    }
    for q in ["weijianguo", "wjg"] {
        assert!(finds(q, wei), "{q}");
    }
    assert!(store.lookup("changjiang", 10).unwrap().len() == 1);
}

fn index_names(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_bulk_load_defers_indexes_and_builds_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let before = index_names(&path);
    assert!(before.contains(&"visits_by_time".to_owned()));
    let seen_inside = store
        .bulk_load(|s| {
            let p = {
                let mut w = s.begin(None).unwrap();
                let p = w
                    .add_person(&details("张三", "13812345678", Trade::Courier))
                    .unwrap();
                w.check_in(p, Services::EMPTY, at(2026, 11, 22, 2)).unwrap();
                w.commit().unwrap();
                p
            };
            let _ = p;
            Ok(index_names(&path))
        })
        .unwrap();
    assert!(
        !seen_inside.contains(&"visits_by_time".to_owned()),
        "dropped during the load"
    );
    assert_eq!(index_names(&path), before, "all back afterwards");
    assert!(store.check().unwrap().is_ok());
    assert_eq!(store.lookup("张三", 5).unwrap().len(), 1);
}

#[test]
fn indexes_of_a_cut_off_bulk_load_are_rebuilt_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    add_person(&mut store, "张三", "13812345678");
    let before = index_names(&path);
    drop(store);
    // What a bulk load leaves behind when the process dies in the middle.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO deferred_indexes SELECT name, sql FROM sqlite_schema WHERE name = 'visits_by_person';
         DROP INDEX visits_by_person;",
    )
    .unwrap();
    drop(conn);
    assert!(!index_names(&path).contains(&"visits_by_person".to_owned()));
    drop(Store::open(&path).unwrap());
    assert_eq!(index_names(&path), before);

    // Terms of records committed during a load that never finished.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO pending_terms SELECT kind, term, id FROM search_terms;
         DELETE FROM search_terms;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.lookup("张三", 5).unwrap().len(),
        1,
        "terms sorted in on open"
    );
}
