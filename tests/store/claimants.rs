//! Claimants with their own amounts: a group case registered with the case,
//! its total the sum of what each is owed and got back, in one write.

use crate::common::{add_person, at, details, station_db};
use waystation::domain::case::{CaseType, Outcome};
use waystation::domain::error::ValidationError;
use waystation::domain::ids::{CaseId, PersonId};
use waystation::domain::money::Fen;
use waystation::domain::person::Trade;
use waystation::store::{
    ClaimantRef, NewCase, NewClaimant, StatusChange, Store, StoreError, TimelineEvent,
};

fn group(claimants: Vec<NewClaimant>, claimed: Fen) -> NewCase {
    NewCase {
        case_type: CaseType::WageArrears,
        hardship_kind: None,
        claimants,
        respondent: Some("宏达劳务".into()),
        summary: None,
        claimed,
        handler: None,
        follow_up: None,
        opened_at: at(2026, 11, 20, 3),
    }
}

fn owed(p: PersonId, yuan: i64) -> NewClaimant {
    NewClaimant {
        person: ClaimantRef::Known(p),
        claimed: Some(Fen(yuan * 100)),
    }
}

fn new_owed(name: &str, mobile: &str, yuan: i64) -> NewClaimant {
    NewClaimant {
        person: ClaimantRef::New(Box::new(details(name, mobile, Trade::FoodDelivery))),
        claimed: Some(Fen(yuan * 100)),
    }
}

fn open(store: &mut Store, c: &NewCase) -> Result<CaseId, StoreError> {
    let mut w = store.begin(None).unwrap();
    let (id, _) = w.open_case(c)?;
    w.commit().unwrap();
    Ok(id)
}

fn people_count(store: &Store) -> usize {
    store.check().unwrap().counts[2].1 as usize
}

#[test]
fn a_group_case_registers_its_new_claimants_and_totals_their_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let known = add_person(&mut store, "赵一", "13800000001");
    let c = group(
        vec![
            owed(known, 8_500),
            new_owed("钱二", "13800000002", 6_000),
            new_owed("孙三", "13800000003", 7_250),
        ],
        Fen(0),
    );
    let case = open(&mut store, &c).unwrap();
    let got = store.case(case).unwrap().unwrap();
    assert_eq!(got.claimed, Fen(2_175_000));
    let each: Vec<(String, Option<Fen>)> = store
        .claimants_owed(case)
        .unwrap()
        .into_iter()
        .map(|k| (k.name, k.claimed))
        .collect();
    assert_eq!(
        each,
        [
            ("赵一".to_owned(), Some(Fen(850_000))),
            ("钱二".to_owned(), Some(Fen(600_000))),
            ("孙三".to_owned(), Some(Fen(725_000))),
        ]
    );
    // The new ones are people now, found like anyone.
    assert_eq!(people_count(&store), 3);
    let hits = store.lookup("孙三", 5).unwrap();
    let people: Vec<&str> = hits
        .iter()
        .filter_map(|h| match h {
            waystation::store::Hit::Person(p) => Some(p.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(people, ["孙三"]);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_refused_group_case_registers_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let known = add_person(&mut store, "赵一", "13800000001");
    // A total that is not the sum of the claimants'.
    let c = group(
        vec![owed(known, 100), new_owed("钱二", "13800000002", 200)],
        Fen(50_000),
    );
    assert!(matches!(
        open(&mut store, &c),
        Err(StoreError::Invalid(
            ValidationError::AmountsPerClaimant { .. }
        ))
    ));
    // One person twice.
    let c = group(vec![owed(known, 100), owed(known, 200)], Fen(0));
    assert!(matches!(
        open(&mut store, &c),
        Err(StoreError::Invalid(ValidationError::ClaimantTwice { name })) if name == "赵一"
    ));
    assert_eq!(people_count(&store), 1, "钱二 was not registered");
    // The total given as the sum is taken.
    let c = group(
        vec![
            owed(known, 100),
            owed(add_person(&mut store, "李四", ""), 200),
        ],
        Fen(30_000),
    );
    let case = open(&mut store, &c).unwrap();
    assert_eq!(store.case(case).unwrap().unwrap().claimed, Fen(30_000));
}

#[test]
fn the_case_total_follows_its_claimants() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let a = add_person(&mut store, "赵一", "13800000001");
    let b = add_person(&mut store, "钱二", "13800000002");
    let c = add_person(&mut store, "孙三", "13800000003");
    let case = open(
        &mut store,
        &group(vec![owed(a, 1_000), owed(b, 2_000)], Fen(0)),
    )
    .unwrap();
    let total = |s: &Store| s.case(case).unwrap().unwrap();

    let mut w = store.begin(None).unwrap();
    // A claimant added without an amount counts 0 until one is set.
    w.add_claimant(case, c).unwrap();
    w.set_claimant_amounts(case, c, Some(Fen(50_050)), None)
        .unwrap();
    w.commit().unwrap();
    assert_eq!(total(&store).claimed, Fen(350_050));

    let mut w = store.begin(None).unwrap();
    w.remove_claimant(case, a).unwrap();
    w.commit().unwrap();
    assert_eq!(
        total(&store).claimed,
        Fen(250_050),
        "a removed claimant no longer counts"
    );

    // The case's own amount may not contradict its claimants'.
    let mut w = store.begin(None).unwrap();
    assert!(matches!(
        w.set_amounts(case, Fen(1), Fen(0)),
        Err(StoreError::Invalid(
            ValidationError::AmountsPerClaimant { .. }
        ))
    ));
    w.set_amounts(case, Fen(250_050), Fen(10_000)).unwrap();
    w.commit().unwrap();
    assert_eq!(total(&store).recovered, Fen(10_000));
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_group_case_is_resolved_with_what_each_got_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let a = add_person(&mut store, "赵一", "13800000001");
    let b = add_person(&mut store, "钱二", "13800000002");
    let case = open(
        &mut store,
        &group(vec![owed(a, 1_000), owed(b, 2_000)], Fen(0)),
    )
    .unwrap();
    let mut w = store.begin(None).unwrap();
    w.set_status(
        case,
        StatusChange::ResolveEach {
            outcome: Outcome::Agreement,
            recovered: vec![(a, Fen(100_000)), (b, Fen(150_000))],
        },
        at(2026, 11, 25, 3),
    )
    .unwrap();
    w.commit().unwrap();
    let got = store.case(case).unwrap().unwrap();
    assert_eq!((got.claimed, got.recovered), (Fen(300_000), Fen(250_000)));
    let each: Vec<Option<Fen>> = store
        .claimants_owed(case)
        .unwrap()
        .into_iter()
        .map(|k| k.recovered)
        .collect();
    assert_eq!(each, [Some(Fen(100_000)), Some(Fen(150_000))]);
    // Reopened, a lump sum that is not theirs is refused.
    let mut w = store.begin(None).unwrap();
    w.set_status(
        case,
        StatusChange::To(waystation::domain::case::CaseStatus::InProgress),
        at(2026, 11, 26, 3),
    )
    .unwrap();
    assert!(matches!(
        w.set_status(
            case,
            StatusChange::Resolve {
                outcome: Outcome::Agreement,
                recovered: Fen(999),
            },
            at(2026, 11, 27, 3),
        ),
        Err(StoreError::Invalid(
            ValidationError::AmountsPerClaimant { .. }
        ))
    ));
    drop(w);
    // The timeline says what each got back.
    let t = store.case_timeline(case).unwrap();
    assert!(t.iter().any(|e| e.event
        == TimelineEvent::ClaimantAmounts {
            name: "钱二".into(),
            claimed: None,
            recovered: Some(Some(Fen(150_000))),
        }));
    assert!(store.check().unwrap().is_ok());
}
