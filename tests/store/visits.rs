//! Who is in the station now, with names; undoing an anonymous headcount.

use crate::common;

use chrono::Duration;
use common::*;
use serde_json::json;
use waystation::domain::ValidationError;
use waystation::domain::ids::VisitId;
use waystation::domain::person::Trade;
use waystation::domain::visit::{Service, Services, Visit};
use waystation::store::{Entity, Store, StoreError};

#[test]
fn present_now_lists_named_visitors_with_names_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13800000001");
    let ls = add_person(&mut store, "李四", "13800000002");
    let ww = add_person(&mut store, "王五", "13800000003");
    let zl = add_person(&mut store, "赵六", "13800000004");
    let station = store.require_station().unwrap().id;
    let charging: Services = [Service::Charging].into_iter().collect();
    let mut w = store.begin(None).unwrap();
    let early = w
        .check_in(zs, Services::EMPTY, at(2026, 11, 22, 0))
        .unwrap();
    let a = w.check_in(ls, charging, at(2026, 11, 22, 2)).unwrap();
    let b = w
        .check_in(ww, Services::EMPTY, at(2026, 11, 22, 3))
        .unwrap();
    let gone = w
        .check_in(zl, Services::EMPTY, at(2026, 11, 22, 2))
        .unwrap();
    w.mark_left(gone, at(2026, 11, 22, 4)).unwrap();
    w.tally(Trade::Courier, 3, at(2026, 11, 22, 3)).unwrap();
    // A headcount recorded without a leaving time is still nobody present.
    let mut odd = Visit::tally(station, Trade::Truck, 2, at(2026, 11, 22, 3)).unwrap();
    odd.left_at = None;
    w.record_visit(&odd).unwrap();
    w.commit().unwrap();

    let since = at(2026, 11, 22, 1);
    let rows = store.present_now(since, 10).unwrap();
    let seen: Vec<(VisitId, Option<&str>)> =
        rows.iter().map(|r| (r.visit, r.name.as_deref())).collect();
    assert_eq!(seen, [(b, Some("王五")), (a, Some("李四"))]);
    assert_eq!(rows[1].person, Some(ls));
    assert_eq!(rows[1].services, charging);
    assert_eq!(rows[1].trade, Trade::FoodDelivery);
    assert_eq!(rows[1].headcount, 1);
    assert_eq!(rows[1].arrived_at, at(2026, 11, 22, 2));

    // The same visits as present_since, in the same order.
    let visits: Vec<VisitId> = store
        .present_since(since)
        .unwrap()
        .iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(visits, [b, a]);

    assert_eq!(store.present_now(since, 1).unwrap().len(), 1);
    assert!(store.present_now(since, 0).unwrap().is_empty());
    let all_day = store.present_now(since - Duration::hours(2), 10).unwrap();
    assert_eq!(all_day.last().map(|r| r.visit), Some(early));
}

#[test]
fn undoing_a_tally_counts_it_for_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13800000001");
    let mut w = store.begin(None).unwrap();
    let named = w
        .check_in(zs, Services::EMPTY, at(2026, 11, 22, 2))
        .unwrap();
    let keep = w.tally(Trade::Sanitation, 2, at(2026, 11, 22, 3)).unwrap();
    let oops = w.tally(Trade::Courier, 5, at(2026, 11, 22, 4)).unwrap();
    w.commit().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    assert_eq!(store.headcount_on(today).unwrap(), 1 + 2 + 5);

    let n = ops(&path).len();
    let mut w = store.begin(None).unwrap();
    w.undo_tally(oops).unwrap();
    w.commit().unwrap();
    let all = ops(&path);
    assert_eq!(all.len(), n + 1);
    assert_eq!(
        (all[n].0, all[n].1, &all[n].2),
        (Entity::Visit.code(), 1, &json!({"headcount": 0}))
    );
    assert_eq!(store.headcount_on(today).unwrap(), 1 + 2);
    assert_eq!(store.visit(oops).unwrap().unwrap().headcount, 0);
    assert_eq!(store.visit(keep).unwrap().unwrap().headcount, 2);

    // Twice changes nothing more; a named visit and an unknown one are
    // refused, and a refusal writes nothing.
    let mut w = store.begin(None).unwrap();
    w.undo_tally(oops).unwrap();
    assert!(matches!(
        w.undo_tally(named),
        Err(StoreError::Invalid(ValidationError::NotATally))
    ));
    assert!(matches!(
        w.undo_tally(VisitId::new()),
        Err(StoreError::NotFound("visit"))
    ));
    w.commit().unwrap();
    assert_eq!(ops(&path).len(), n + 1);
    assert_eq!(store.visit(named).unwrap().unwrap().headcount, 1);
    assert!(store.check().unwrap().is_ok());

    // Another station that receives the log has the same visits, and
    // does not count them as its own.
    let mut other = Store::open_in_memory().unwrap();
    other.init_station("NS", "南山", "Asia/Shanghai").unwrap();
    other.apply_remote(&store.all_ops().unwrap()).unwrap();
    assert_eq!(other.visit(oops).unwrap().unwrap().headcount, 0);
    assert_eq!(other.visit(keep).unwrap().unwrap().headcount, 2);
    assert_eq!(other.headcount_on(today).unwrap(), 0);
    let report = other.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// An undone tally keeps its row (headcount 0: the log has no deletion)
/// and is in nothing people read as visits: today's count, the figures,
/// the records behind them with their total, and `export visits`; on
/// another station after sync too; and `check` is clean.
#[test]
fn an_undone_tally_leaves_no_record_anywhere_visits_are_read() {
    use waystation::store::ExportFilter;
    use waystation::store::figures::records::VisitFilter;
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13800000001");
    let mut w = store.begin(None).unwrap();
    w.check_in(zs, Services::EMPTY, at(2026, 11, 22, 2))
        .unwrap();
    let keep = w.tally(Trade::Security, 1, at(2026, 11, 22, 3)).unwrap();
    let oops = w.tally(Trade::Security, 1, at(2026, 11, 22, 4)).unwrap();
    w.undo_tally(oops).unwrap();
    w.commit().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();

    let seen = |store: &Store, station| {
        let f = store.figures_on(day, day, station, day).unwrap();
        let page = store.visits_for(&f, VisitFilter::All, 50).unwrap();
        let anonymous = store.visits_for(&f, VisitFilter::Anonymous, 50).unwrap();
        let mut exported = Vec::new();
        let n = store
            .export_visits::<StoreError>(&ExportFilter::default(), |v| {
                exported.push(v.headcount);
                Ok(())
            })
            .unwrap();
        (
            f.visits.headcount,
            f.visits.anonymous,
            page.total,
            page.rows.iter().map(|r| r.headcount).collect::<Vec<_>>(),
            anonymous.total,
            n,
            exported,
        )
    };
    assert_eq!(store.headcount_on(day).unwrap(), 2);
    assert_eq!(
        seen(&store, None),
        (2, 1, 2, vec![1, 1], 1, 2, vec![1, 1]),
        "the undone tally is in no read"
    );
    // The row stays, for the log and its fold.
    assert_eq!(store.visit(oops).unwrap().unwrap().headcount, 0);
    assert_eq!(store.visit(keep).unwrap().unwrap().headcount, 1);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);

    // Another station that receives the log reads the same.
    let mut other = Store::open_in_memory().unwrap();
    other.init_station("NS", "南山", "Asia/Shanghai").unwrap();
    other.apply_remote(&store.all_ops().unwrap()).unwrap();
    let ft = store.station_id().unwrap();
    assert_eq!(seen(&other, ft), (2, 1, 2, vec![1, 1], 1, 2, vec![1, 1]));
    let report = other.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// A tally records rest and water unless told what the visitors used.
#[test]
fn a_tally_records_the_services_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let charging: Services = [Service::Charging].into_iter().collect();
    let mut w = store.begin(None).unwrap();
    let plain = w.tally(Trade::Courier, 1, at(2026, 11, 22, 2)).unwrap();
    let phone = w
        .tally_with(Trade::Courier, 2, charging, at(2026, 11, 22, 3))
        .unwrap();
    w.commit().unwrap();
    let services = |id| store.visit(id).unwrap().unwrap().services;
    assert_eq!(services(plain), Services::tally_default());
    assert_eq!(
        Services::tally_default().iter().collect::<Vec<_>>(),
        [Service::Rest, Service::Water]
    );
    assert_eq!(services(phone), charging);
    assert_eq!(store.visit(phone).unwrap().unwrap().headcount, 2);
}

#[test]
fn clearing_a_leaving_makes_the_visitor_present_again() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = station_db(&dir, "FT");
    let zs = add_person(&mut store, "张三", "13800000001");
    let mut w = store.begin(None).unwrap();
    let visit = w
        .check_in(zs, Services::EMPTY, at(2026, 11, 22, 2))
        .unwrap();
    let tally = w.tally(Trade::Courier, 1, at(2026, 11, 22, 2)).unwrap();
    w.mark_left(visit, at(2026, 11, 22, 3)).unwrap();
    w.commit().unwrap();
    let since = at(2026, 11, 22, 1);
    assert!(store.present_now(since, 10).unwrap().is_empty());

    let n = ops(&path).len();
    let mut w = store.begin(None).unwrap();
    w.clear_left(visit).unwrap();
    w.commit().unwrap();
    let all = ops(&path);
    assert_eq!(all.len(), n + 1);
    assert_eq!(
        (all[n].0, all[n].1, &all[n].2),
        (Entity::Visit.code(), 1, &json!({"left_at": null}))
    );
    assert_eq!(store.visit(visit).unwrap().unwrap().left_at, None);
    let rows = store.present_now(since, 10).unwrap();
    assert_eq!(rows.iter().map(|r| r.visit).collect::<Vec<_>>(), [visit]);

    // Again, or on a tally, changes nothing; an unknown visit is refused.
    let mut w = store.begin(None).unwrap();
    w.clear_left(visit).unwrap();
    w.clear_left(tally).unwrap();
    assert!(matches!(
        w.clear_left(VisitId::new()),
        Err(StoreError::NotFound("visit"))
    ));
    w.commit().unwrap();
    assert_eq!(ops(&path).len(), n + 1);
    assert!(store.visit(tally).unwrap().unwrap().left_at.is_some());
    assert!(store.check().unwrap().is_ok());

    // Another station that receives the log sees them present too.
    let mut other = Store::open_in_memory().unwrap();
    other.init_station("NS", "南山", "Asia/Shanghai").unwrap();
    other.apply_remote(&store.all_ops().unwrap()).unwrap();
    assert_eq!(other.visit(visit).unwrap().unwrap().left_at, None);
}

#[test]
fn visitors_of_other_stations_learned_by_sync_are_not_here() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a) = station_db(&dir, "FT");
    let (_, mut b) = station_db(&dir, "NS");
    let zs = add_person(&mut a, "张三", "13800000001");
    let ls = add_person(&mut b, "李四", "13800000002");
    let now = at(2026, 11, 22, 2);
    let mut w = a.begin(None).unwrap();
    w.check_in(zs, Services::EMPTY, now).unwrap();
    w.tally(Trade::Courier, 3, now).unwrap();
    w.commit().unwrap();
    let mut w = b.begin(None).unwrap();
    w.check_in(ls, Services::EMPTY, now).unwrap();
    w.commit().unwrap();
    let ops = a.all_ops().unwrap();
    b.apply_remote(&ops).unwrap();
    let since = now - Duration::hours(1);
    let here: Vec<_> = b
        .present_now(since, 50)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(here, [Some("李四".to_owned())]);
    assert_eq!(b.present_since(since).unwrap().len(), 1);
    let day = now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    assert_eq!(b.headcount_on(day).unwrap(), 1);
    assert_eq!(a.headcount_on(day).unwrap(), 4);
}

/// Two connections on one file (two consoles, or a console and the kiosk):
/// each reads the other's check-ins, and `data_version` tells a reader
/// that another connection wrote, never its own writes.
#[test]
fn two_stores_on_one_file_see_each_others_check_ins() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut a) = station_db(&dir, "FT");
    let zs = add_person(&mut a, "张三", "13800000001");
    // Opening a connection writes nothing (the figures open one for each
    // count: a write there would have every console read again).
    let before = a.data_version().unwrap();
    let mut b = Store::open(&path).unwrap();
    drop(Store::open(&path).unwrap());
    assert_eq!(a.data_version().unwrap(), before, "opening wrote something");
    let now = at(2026, 11, 22, 2);
    let since = now - Duration::hours(1);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let seen = b.data_version().unwrap();
    assert_eq!(b.data_version().unwrap(), seen, "nothing written");

    let mut w = a.begin(None).unwrap();
    w.check_in(zs, Services::EMPTY, now).unwrap();
    w.commit().unwrap();
    let after_a = b.data_version().unwrap();
    assert_ne!(after_a, seen, "b notices a's write");
    let here: Vec<_> = b.present_now(since, 10).unwrap();
    assert_eq!(
        here.iter().map(|r| r.person).collect::<Vec<_>>(),
        [Some(zs)]
    );
    assert_eq!(b.headcount_on(day).unwrap(), 1);

    // b's own write: a notices, b does not.
    let a_seen = a.data_version().unwrap();
    let mut w = b.begin(None).unwrap();
    let t = w.tally(Trade::Courier, 1, now).unwrap();
    w.commit().unwrap();
    assert_eq!(b.data_version().unwrap(), after_a, "its own write");
    assert_ne!(a.data_version().unwrap(), a_seen);
    assert_eq!(a.headcount_on(day).unwrap(), 2);
    // An undo made on one connection is read on the other.
    let mut w = b.begin(None).unwrap();
    w.undo_tally(t).unwrap();
    w.commit().unwrap();
    assert_eq!(a.headcount_on(day).unwrap(), 1);
}
