//! Merging one worker registered twice is an operation that syncs: under
//! any delivery order — windows, reversed, duplicated, relayed — replicas
//! that merge, undo, chain and cross merges apart, while others edit and
//! check people in, end with equal records, one survivor per merged group
//! (the same everywhere, worked out again from the folded records alone),
//! and every visit of a merged person counted as the survivor's; an
//! erasure reaches every record ever merged with the erased person,
//! whichever came first.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use waystation::domain::ids::PersonId;
use waystation::domain::visit::Services;
use waystation::store::{Entity, OP_CREATE, Store, StoreError};

const N: usize = 3;

#[derive(Debug, Clone)]
enum Step {
    AddPerson(usize, u8),
    /// Replica r merges its k-th known person into its j-th.
    Merge(usize, usize, usize),
    /// Replica r undoes the merge of its k-th known person.
    Unmerge(usize, usize),
    Rename(usize, usize, u8),
    CheckIn(usize, usize),
    /// Replica r marks its k-th and j-th known people two workers (or
    /// takes the mark back).
    Dismiss(usize, usize, usize, bool),
    /// Replica r erases its k-th known person (an admin, on request).
    Erase(usize, usize),
    /// Replica r opens a case for its k-th known person (maybe merged
    /// elsewhere already).
    OpenCase(usize, usize),
    Deliver {
        from: usize,
        to: usize,
        skip: usize,
        take: usize,
        reverse: bool,
        twice: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (0..N, any::<u8>()).prop_map(|(r, n)| Step::AddPerson(r, n)),
        3 => (0..N, 0..8usize, 0..8usize).prop_map(|(r, k, j)| Step::Merge(r, k, j)),
        1 => (0..N, 0..8usize).prop_map(|(r, k)| Step::Unmerge(r, k)),
        1 => (0..N, 0..8usize, any::<u8>()).prop_map(|(r, k, n)| Step::Rename(r, k, n)),
        2 => (0..N, 0..8usize).prop_map(|(r, k)| Step::CheckIn(r, k)),
        1 => (0..N, 0..8usize, 0..8usize, any::<bool>())
            .prop_map(|(r, k, j, d)| Step::Dismiss(r, k, j, d)),
        1 => (0..N, 0..8usize).prop_map(|(r, k)| Step::Erase(r, k)),
        1 => (0..N, 0..8usize).prop_map(|(r, k)| Step::OpenCase(r, k)),
        3 => (0..N, 0..N, 0..60usize, 1..60usize, any::<bool>(), any::<bool>()).prop_map(
            |(from, to, skip, take, reverse, twice)| Step::Deliver {
                from,
                to,
                skip,
                take,
                reverse,
                twice
            }
        ),
    ]
}

/// The people erased, and everyone linked to them by any merge ever made
/// (worked out from the log alone).
fn erased_reach(s: &Store) -> BTreeSet<PersonId> {
    let ops = s.all_ops().unwrap();
    let persons = ops.iter().filter(|o| o.entity == Entity::Person);
    let mut erased: BTreeSet<uuid::Uuid> = BTreeSet::new();
    let mut links: Vec<(uuid::Uuid, uuid::Uuid)> = Vec::new();
    for o in persons {
        if o.fields.get("erased") == Some(&serde_json::Value::Bool(true)) {
            erased.insert(o.id);
        }
        if let Some(serde_json::Value::String(t)) = o.fields.get("merged_into") {
            links.push((o.id, uuid::Uuid::parse_str(t).unwrap()));
        }
    }
    let mut reach = erased.clone();
    loop {
        let before = reach.len();
        for (a, b) in &links {
            if reach.contains(a) || reach.contains(b) {
                reach.insert(*a);
                reach.insert(*b);
            }
        }
        if reach.len() == before {
            break;
        }
    }
    reach.into_iter().map(PersonId).collect()
}

/// The people a replica holds, in id order.
fn people(s: &Store) -> Vec<PersonId> {
    let mut v: Vec<PersonId> = s
        .all_ops()
        .unwrap()
        .into_iter()
        .filter(|o| o.entity == Entity::Person && o.kind == OP_CREATE)
        .map(|o| PersonId(o.id))
        .collect();
    v.sort();
    v.dedup();
    v.retain(|p| s.person(*p).unwrap().is_some());
    v
}

/// The survivor of each person, worked out independently from the
/// folded `merged_into` fields the records hold.
fn expected_survivors(s: &Store) -> BTreeMap<PersonId, PersonId> {
    let all: BTreeSet<PersonId> = people(s).into_iter().collect();
    let next: BTreeMap<PersonId, PersonId> = all
        .iter()
        .filter_map(|p| {
            let t = s.merged_into(*p).unwrap()?;
            all.contains(&t).then_some((*p, t))
        })
        .collect();
    let mut out = BTreeMap::new();
    for p in &all {
        let mut path = vec![*p];
        let mut at = *p;
        let end = loop {
            match next.get(&at) {
                None => break at,
                Some(t) => {
                    if let Some(i) = path.iter().position(|x| x == t) {
                        break *path[i..].iter().min().unwrap();
                    }
                    path.push(*t);
                    at = *t;
                }
            }
        };
        if end != *p {
            out.insert(*p, end);
        }
    }
    out
}

fn run(steps: &[Step]) -> Vec<Store> {
    let mut rs: Vec<Store> = (0..N)
        .map(|i| {
            let mut s = Store::open_in_memory().unwrap();
            s.init_station(["FT", "NS", "ZB"][i], "驿站", "Asia/Shanghai")
                .unwrap();
            common::sign_in_admin(&mut s, ["王芳", "李强", "赵敏"][i]);
            s
        })
        .collect();
    let names = ["张三", "张叁", "李四", "王五", "赵六", "吕布"];
    for st in steps {
        match st.clone() {
            Step::AddPerson(r, n) => {
                common::add_person(
                    &mut rs[r],
                    names[n as usize % names.len()],
                    &format!("1380000{:04}", n),
                );
            }
            Step::Merge(r, k, j) => {
                let ps = people(&rs[r]);
                if ps.len() < 2 {
                    continue;
                }
                let (from, into) = (ps[k % ps.len()], ps[j % ps.len()]);
                let mut w = rs[r].begin(None).unwrap();
                match w.merge_person(from, into, None) {
                    Ok(()) => w.commit().unwrap(),
                    // Into or from someone erased here: refused.
                    Err(StoreError::SamePerson | StoreError::NotFound(_)) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            Step::Unmerge(r, k) => {
                let ps = people(&rs[r]);
                if ps.is_empty() {
                    continue;
                }
                let mut w = rs[r].begin(None).unwrap();
                match w.unmerge_person(ps[k % ps.len()]) {
                    Ok(()) => w.commit().unwrap(),
                    Err(StoreError::NotMerged) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            Step::Rename(r, k, n) => {
                let ps = people(&rs[r]);
                if ps.is_empty() {
                    continue;
                }
                let p = ps[k % ps.len()];
                let mut d = rs[r].person(p).unwrap().unwrap().details;
                if d.name.is_empty() {
                    continue; // erased here: nobody finds them to rename
                }
                d.name = names[n as usize % names.len()].into();
                let mut w = rs[r].begin(None).unwrap();
                w.update_person(p, &d).unwrap();
                w.commit().unwrap();
            }
            Step::OpenCase(r, k) => {
                let ps = people(&rs[r]);
                if ps.is_empty() {
                    continue;
                }
                let mut w = rs[r].begin(None).unwrap();
                w.open_case(&common::new_case(
                    vec![ps[k % ps.len()]],
                    chrono::Utc::now(),
                ))
                .unwrap();
                w.commit().unwrap();
            }
            Step::Erase(r, k) => {
                let ps = people(&rs[r]);
                if ps.is_empty() {
                    continue;
                }
                rs[r].erase_person(ps[k % ps.len()]).unwrap();
            }
            Step::Dismiss(r, k, j, distinct) => {
                let ps = people(&rs[r]);
                if ps.len() < 2 || k % ps.len() == j % ps.len() {
                    continue;
                }
                let mut w = rs[r].begin(None).unwrap();
                w.mark_distinct(ps[k % ps.len()], ps[j % ps.len()], distinct)
                    .unwrap();
                w.commit().unwrap();
            }
            Step::CheckIn(r, k) => {
                let ps = people(&rs[r]);
                if ps.is_empty() {
                    continue;
                }
                let mut w = rs[r].begin(None).unwrap();
                w.check_in(ps[k % ps.len()], Services::EMPTY, chrono::Utc::now())
                    .unwrap();
                w.commit().unwrap();
            }
            Step::Deliver {
                from,
                to,
                skip,
                take,
                reverse,
                twice,
            } => common::deliver(&mut rs, from, to, (skip, take), reverse, twice),
        }
    }
    rs
}

use common::exchange_all;

/// Distinct workers among the named visits, counting each as its
/// survivor, from the visits' own person ids.
fn distinct_visitors(s: &Store) -> usize {
    let survivors: BTreeMap<PersonId, PersonId> = s.survivors().unwrap().into_iter().collect();
    people(s)
        .iter()
        .filter(|p| !s.visits_of(**p, 10_000).unwrap().is_empty())
        .map(|p| survivors.get(p).copied().unwrap_or(*p))
        .collect::<BTreeSet<_>>()
        .len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merges_converge_to_one_survivor_per_group(steps in prop::collection::vec(step(), 1..40)) {
        let mut rs = run(&steps);
        // Before everything arrived, each replica's table already follows
        // the rule over what it holds.
        for s in &rs {
            let want: Vec<_> = expected_survivors(s).into_iter().collect();
            prop_assert_eq!(s.survivors().unwrap(), want);
        }
        exchange_all(&mut rs);
        let digest = rs[0].digest().unwrap();
        let survivors = rs[0].survivors().unwrap();
        let distinct = distinct_visitors(&rs[0]);
        let listed = rs[0].duplicate_candidates(100).unwrap();
        for s in &rs {
            // The same pairs listed (dismissals included) everywhere.
            prop_assert_eq!(&s.duplicate_candidates(100).unwrap(), &listed);
            prop_assert_eq!(&s.digest().unwrap(), &digest);
            prop_assert_eq!(&s.survivors().unwrap(), &survivors);
            let want: Vec<_> = expected_survivors(s).into_iter().collect();
            prop_assert_eq!(&s.survivors().unwrap(), &want);
            prop_assert_eq!(distinct_visitors(s), distinct);
            // The figures count each worker once, as counted here apart.
            let today = chrono::Utc::now().date_naive();
            let f = s
                .figures(today - chrono::Days::new(2), today + chrono::Days::new(2), None)
                .unwrap();
            prop_assert_eq!(f.visits.workers as usize, distinct);
            prop_assert!(s.check().unwrap().is_ok());
            // No personal value of an erased person, nor of anyone ever
            // merged with one, in the records or in the log.
            for p in erased_reach(s) {
                if let Some(q) = s.person(p).unwrap() {
                    prop_assert_eq!(q.details.name.as_str(), "");
                    prop_assert!(q.details.mobile.is_none());
                }
                for op in s.all_ops().unwrap().iter().filter(|o| o.id == p.0) {
                    for f in ["name", "mobile"] {
                        let v = op.fields.get(f);
                        prop_assert!(
                            v.is_none() || v == Some(&serde_json::Value::Null)
                                || v == Some(&serde_json::Value::String(String::new())),
                            "{p:?} {f} {v:?}"
                        );
                    }
                }
            }
            // No survivor is itself merged.
            for (_, sv) in &survivors {
                prop_assert_eq!(s.survivor(*sv).unwrap(), *sv);
            }
        }
    }
}

#[test]
fn a_merge_and_its_undo_travel_and_two_crossed_merges_keep_one_survivor() {
    let mut rs = run(&[]);
    let a = common::add_person(&mut rs[0], "张三", "13800000001");
    let b = common::add_person(&mut rs[1], "张叁", "13800000001");
    exchange_all(&mut rs);
    // Merged apart, crosswise: 0 merges B into A, 1 merges A into B.
    let mut w = rs[0].begin(None).unwrap();
    w.merge_person(b, a, None).unwrap();
    w.commit().unwrap();
    let mut w = rs[1].begin(None).unwrap();
    w.merge_person(a, b, None).unwrap();
    w.commit().unwrap();
    assert_eq!(rs[0].survivor(b).unwrap(), a);
    assert_eq!(rs[1].survivor(a).unwrap(), b);
    exchange_all(&mut rs);
    let one = a.min(b);
    for s in &rs {
        assert_eq!(s.survivor(a).unwrap(), one);
        assert_eq!(s.survivor(b).unwrap(), one);
    }
    // Undone at one station, everywhere.
    let other = if one == a { b } else { a };
    let mut w = rs[2].begin(None).unwrap();
    w.unmerge_person(other).unwrap();
    w.commit().unwrap();
    exchange_all(&mut rs);
    for s in &rs {
        assert_eq!(s.survivor(other).unwrap(), other);
        assert!(s.check().unwrap().is_ok());
    }
    let mut w = rs[0].begin(None).unwrap();
    assert!(matches!(
        w.merge_person(a, a, None),
        Err(StoreError::SamePerson)
    ));
}

#[test]
fn a_merge_applied_at_a_copy_of_the_database_file_reaches_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut s) = common::station_db(&dir, "FT");
    let a = common::add_person(&mut s, "王小二", "13900009999");
    let b = common::add_person(&mut s, "王小二", "13900009999");
    let mut w = s.begin(None).unwrap();
    w.check_in(b, Services::EMPTY, chrono::Utc::now()).unwrap();
    w.commit().unwrap();
    drop(s);
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    let mut s = Store::open(&path).unwrap();
    let mut other = Store::open(&copy).unwrap();
    let mut w = s.begin(None).unwrap();
    w.merge_person(b, a, None).unwrap();
    w.commit().unwrap();
    assert_eq!(s.survivor(b).unwrap(), a);
    let op = s
        .all_ops()
        .unwrap()
        .into_iter()
        .rfind(|o| o.id == b.0)
        .unwrap();
    let got = other.apply_remote(std::slice::from_ref(&op)).unwrap();
    assert_eq!(got.new_ops, 1);
    assert_eq!(other.merged_into(b).unwrap(), Some(a));
    assert_eq!(other.survivor(b).unwrap(), a);
}

#[test]
fn a_pair_dismissed_at_two_stations_at_once_is_one_mark_and_taking_it_back_travels() {
    let mut rs = run(&[]);
    let a = common::add_person(&mut rs[0], "王小二", "13900000002");
    exchange_all(&mut rs);
    let b = common::add_person(&mut rs[1], "王晓二", "13900000002");
    exchange_all(&mut rs);
    for s in &rs {
        assert_eq!(s.duplicate_candidates(10).unwrap().len(), 1);
    }
    // Two stations, neither knowing the other did.
    for r in [0, 2] {
        let mut w = rs[r].begin(None).unwrap();
        w.mark_distinct(a, b, true).unwrap();
        w.commit().unwrap();
    }
    exchange_all(&mut rs);
    let digest = rs[0].digest().unwrap();
    for s in &rs {
        assert!(s.dismissed(b, a).unwrap());
        assert!(s.duplicate_candidates(10).unwrap().is_empty());
        assert_eq!(s.digest().unwrap(), digest);
        assert!(s.check().unwrap().is_ok());
    }
    let mut w = rs[1].begin(None).unwrap();
    w.mark_distinct(b, a, false).unwrap();
    w.commit().unwrap();
    exchange_all(&mut rs);
    for s in &rs {
        assert!(!s.dismissed(a, b).unwrap());
        assert_eq!(s.duplicate_candidates(10).unwrap().len(), 1);
    }
}

#[test]
fn an_erasure_and_a_merge_made_apart_wipe_both_records_everywhere() {
    let mut rs = run(&[]);
    let a = common::add_person(&mut rs[0], "王小二", "13900000002");
    exchange_all(&mut rs);
    let b = common::add_person(&mut rs[1], "王晓二", "13900000009");
    exchange_all(&mut rs);
    // 福田 erases 王小二 on his request; 南山, not knowing, merges 王晓二
    // into him.
    rs[0].erase_person(a).unwrap();
    let mut w = rs[1].begin(None).unwrap();
    w.merge_person(b, a, None).unwrap();
    w.commit().unwrap();
    exchange_all(&mut rs);
    let digest = rs[0].digest().unwrap();
    for s in &rs {
        for p in [a, b] {
            let d = s.person(p).unwrap().unwrap().details;
            assert_eq!((d.name.as_str(), d.mobile), ("", None), "{p:?}");
        }
        let log = serde_json::to_string(
            &s.all_ops()
                .unwrap()
                .iter()
                .map(|o| o.fields.clone())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        for secret in ["王小二", "王晓二", "13900000002", "13900000009"] {
            assert!(!log.contains(secret), "{secret} in the log");
        }
        assert_eq!(s.digest().unwrap(), digest);
        assert!(s.check().unwrap().is_ok());
    }
    // Merging into an erased person is refused where the erasure is known.
    let c = common::add_person(&mut rs[2], "王小贰", "13900000010");
    let mut w = rs[2].begin(None).unwrap();
    assert!(matches!(
        w.merge_person(c, a, None),
        Err(StoreError::NotFound(_))
    ));
}
