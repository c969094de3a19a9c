//! The check-in pane (F1), driven through keys: registering and checking
//! in, refusals that keep what was typed, a returning visitor, the here-now
//! list, the anonymous tally; and snapshots of every view.

use crate::common;

use chrono::{Duration, TimeZone, Utc};
use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::Mobile;
use waystation::domain::person::{PersonInput, Trade};
use waystation::domain::visit::Service;
use waystation::i18n::Lang;
use waystation::tui::action::PaneId;
use waystation::tui::app::App;
use waystation::tui::panes::Pane;
use waystation::tui::panes::checkin::Focus;
use waystation::tui::panes::checkin::form::{ARRIVAL, MOBILE, NAME, RESIDENT_ID, Stop};

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

/// A number no demo person has (the demo draws 13x–18x numbers; this is
/// checked below anyway).
const NEW_PHONE: &str = "19900001234";

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn status_is_error(app: &App) -> bool {
    app.status.as_ref().is_some_and(|s| s.error)
}

fn today_count(app: &App) -> u64 {
    let day = fixture_now().with_timezone(&app.tz).date_naive();
    app.store.headcount_on(day).unwrap()
}

fn present_names(app: &App) -> Vec<String> {
    app.checkin
        .present
        .rows
        .iter()
        .filter_map(|r| r.name.clone())
        .collect()
}

/// Registers someone directly in the store (a returning visitor).
fn register(
    app: &mut App,
    name: &str,
    mobile: &str,
    trade: Trade,
) -> waystation::domain::ids::PersonId {
    let details = PersonInput {
        name: name.into(),
        mobile: mobile.into(),
        resident_id: "11010519491231002X".into(),
        trade: Some(trade),
        employer: "顺丰".into(),
        union_member: true,
        union_joined: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
    }
    .validate()
    .unwrap();
    let mut w = app.store.begin(None).unwrap();
    let id = w.add_person(&details).unwrap();
    w.commit().unwrap();
    id
}

#[test]
fn a_new_person_is_registered_and_checked_in_with_a_few_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    assert!(
        app.store
            .people_by_mobile(&Mobile::parse(NEW_PHONE).unwrap())
            .unwrap()
            .is_empty()
    );
    let before = today_count(&app);
    let present_before = app.header.present.unwrap();
    // The phone first: nobody has it, Enter carries it to the new person.
    type_text(&mut app, NEW_PHONE);
    assert!(
        shows(&app, "没有找到“19900001234”"),
        "{}",
        render(&app, 120, 40)
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.checkin.form.stop, Stop::Field(NAME));
    assert_eq!(app.checkin.form.text(MOBILE), NEW_PHONE);
    type_text(&mut app, "刘新来");
    send(&mut app, ctrl('s'));

    assert!(!status_is_error(&app), "{}", status(&app));
    assert!(status(&app).contains("刘新来"), "{}", status(&app));
    let person = app
        .store
        .people_by_mobile(&Mobile::parse(NEW_PHONE).unwrap())
        .unwrap()
        .pop()
        .expect("registered");
    assert_eq!(person.details.name, "刘新来");
    let visits = app.store.visits_of(person.id, 10).unwrap();
    assert_eq!(visits.len(), 1);
    assert!(visits[0].is_present());
    assert_eq!(visits[0].arrived_at, fixture_now());
    // In the list at the top, counted in the header, and the form is empty.
    assert_eq!(
        present_names(&app).first().map(String::as_str),
        Some("刘新来")
    );
    assert!(shows(&app, "刘新来"));
    assert_eq!(app.header.present, Some(present_before + 1));
    assert_eq!(today_count(&app), before + 1);
    assert_eq!(app.checkin.form.text(NAME), "");
    assert_eq!(app.checkin.form.stop, Stop::Find);
    assert!(!app.checkin.form.touched);
}

#[test]
fn every_field_trade_and_services_are_set_through_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    // Tab from the empty find field starts a new person at the name.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Wang Ming");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "199 0000 5678");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "11010519491231002x");
    press(&mut app, KeyCode::Tab);
    // Trade: from "Other", right wraps to courier, then food delivery.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.checkin.form.trade(), Trade::FoodDelivery);
    // Or by its key, as in the tally row and at the kiosk: 4 truck, a
    // other, 2 food delivery.
    type_text(&mut app, "4");
    assert_eq!(app.checkin.form.trade(), Trade::Truck);
    type_text(&mut app, "a");
    assert_eq!(app.checkin.form.trade(), Trade::Other);
    type_text(&mut app, "2");
    assert_eq!(app.checkin.form.trade(), Trade::FoodDelivery);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Meituan");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, " ");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.checkin.form.stop, Stop::Services);
    assert!(!app.typing(), "single keys toggle services");
    type_text(&mut app, "12b");
    type_text(&mut app, "2");
    press(&mut app, KeyCode::Enter);

    assert!(!status_is_error(&app), "{}", status(&app));
    let p = app
        .store
        .people_by_mobile(&Mobile::parse("19900005678").unwrap())
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(p.details.name, "Wang Ming");
    assert_eq!(p.details.trade, Trade::FoodDelivery);
    assert_eq!(p.details.employer.as_deref(), Some("Meituan"));
    assert!(p.details.union_member);
    assert_eq!(
        p.details.resident_id.unwrap().as_str(),
        "11010519491231002X"
    );
    let v = &app.store.visits_of(p.id, 1).unwrap()[0];
    assert_eq!(
        v.services.iter().collect::<Vec<_>>(),
        [Service::Rest, Service::MutualAid]
    );
    assert_eq!(v.trade, Trade::FoodDelivery);
}

#[test]
fn a_refused_phone_and_id_keep_the_text_and_save_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let before = today_count(&app);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "赵错号");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "1381234");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "110105194912310021");
    send(&mut app, ctrl('s'));

    assert!(status_is_error(&app));
    let form = &app.checkin.form;
    assert_eq!(form.text(MOBILE), "1381234");
    assert_eq!(form.text(RESIDENT_ID), "110105194912310021");
    assert_eq!(form.text(NAME), "赵错号");
    assert_eq!(
        form.stop,
        Stop::Field(MOBILE),
        "the first refused field has the keyboard"
    );
    let screen = render(&app, 120, 40);
    assert!(screen.contains("手机号是7位，应为11位"), "{screen}");
    assert!(screen.contains("身份证号校验位不对"), "{screen}");
    assert_eq!(today_count(&app), before);
    assert!(app.store.lookup("赵错号", 5).unwrap().is_empty());
    // Typing fixes the number; the error goes, the rest stays.
    press(&mut app, KeyCode::Backspace);
    assert!(app.checkin.form.field(MOBILE).unwrap().error.is_none());
    assert_eq!(app.checkin.form.text(RESIDENT_ID), "110105194912310021");
    assert!(app.checkin.unsaved());
}

#[test]
fn a_returning_visitor_is_found_prefilled_and_checked_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let id = register(&mut app, "陈回访", NEW_PHONE, Trade::Truck);
    type_text(&mut app, &NEW_PHONE[3..]);
    assert!(shows(&app, "陈回访"), "{}", render(&app, 120, 40));
    press(&mut app, KeyCode::Enter);

    let form = &app.checkin.form;
    assert_eq!(form.known.as_ref().map(|k| k.id), Some(id));
    assert_eq!(form.text(NAME), "陈回访");
    assert_eq!(form.text(MOBILE), "199****1234", "shown masked");
    assert_eq!(form.text(RESIDENT_ID), "**************002X", "shown masked");
    assert_eq!(form.trade(), Trade::Truck);
    assert_eq!(form.stop, Stop::Services, "ready for the services");
    let screen = render(&app, 120, 40);
    assert!(screen.contains("✓ 再次来访：陈回访"), "{screen}");
    assert!(
        !screen.contains(NEW_PHONE),
        "the full number is not shown: {screen}"
    );

    type_text(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    assert!(!status_is_error(&app), "{}", status(&app));
    let visits = app.store.visits_of(id, 5).unwrap();
    assert_eq!(visits.len(), 1);
    assert!(visits[0].services.contains(Service::Charging));
    // Details on file are unchanged by the masked fields.
    let p = app.store.person(id).unwrap().unwrap();
    assert_eq!(p.details.mobile.unwrap().as_str(), NEW_PHONE);
    assert_eq!(
        p.details.resident_id.unwrap().as_str(),
        "11010519491231002X"
    );

    // Checking in again while here is refused.
    type_text(&mut app, &NEW_PHONE[3..]);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(status_is_error(&app));
    assert!(status(&app).contains("已在站内"), "{}", status(&app));
    assert_eq!(app.store.visits_of(id, 5).unwrap().len(), 1);
}

#[test]
fn changed_details_of_a_returning_visitor_are_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let id = register(&mut app, "陈回访", NEW_PHONE, Trade::Truck);
    type_text(&mut app, NEW_PHONE);
    press(&mut app, KeyCode::Enter);
    // Back to the employer field, which is typed over.
    for _ in 0..3 {
        press(&mut app, KeyCode::BackTab);
    }
    assert_eq!(
        app.checkin.form.stop,
        Stop::Field(waystation::tui::panes::checkin::form::EMPLOYER)
    );
    send(&mut app, ctrl('u'));
    type_text(&mut app, "京东");
    send(&mut app, ctrl('s'));
    assert!(!status_is_error(&app), "{}", status(&app));
    let p = app.store.person(id).unwrap().unwrap();
    assert_eq!(p.details.employer.as_deref(), Some("京东"));
    assert_eq!(p.details.mobile.unwrap().as_str(), NEW_PHONE);
}

#[test]
fn the_global_lookup_jumps_here_with_the_person_ready() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let id = register(&mut app, "陈跳转", NEW_PHONE, Trade::Security);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.checkin.focus, Focus::List);
    send(&mut app, ctrl('f'));
    type_text(&mut app, NEW_PHONE);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.pane, PaneId::Checkin);
    assert_eq!(app.checkin.focus, Focus::Form);
    assert_eq!(app.checkin.form.known.as_ref().map(|k| k.id), Some(id));
    assert_eq!(app.checkin.form.stop, Stop::Services);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.store.visits_of(id, 5).unwrap().len(),
        1,
        "{}",
        status(&app)
    );
}

#[test]
fn marking_leaving_removes_from_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let rows = app.checkin.present.rows.clone();
    assert!(rows.len() >= 2, "the fixture has people here now");
    // Letters type in the form: `l` is a letter of the name, not a command.
    type_text(&mut app, "l");
    assert_eq!(app.checkin.present.rows, rows);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.checkin.focus, Focus::List);
    press(&mut app, KeyCode::Down);
    let gone = rows[1].clone();
    let present = app.header.present.unwrap();
    type_text(&mut app, "l");
    assert!(!status_is_error(&app), "{}", status(&app));
    assert!(
        app.checkin
            .present
            .rows
            .iter()
            .all(|r| r.visit != gone.visit)
    );
    assert_eq!(app.checkin.present.rows.len(), rows.len() - 1);
    assert_eq!(
        app.store.visit(gone.visit).unwrap().unwrap().left_at,
        Some(fixture_now())
    );
    assert_eq!(app.header.present, Some(present - 1));
    assert!(
        status(&app).contains(gone.name.as_deref().unwrap_or("-")),
        "{}",
        status(&app)
    );
    // Back to the form with `i`.
    type_text(&mut app, "i");
    assert_eq!(app.checkin.focus, Focus::Form);
    assert!(app.typing());
}

/// The anonymous tallies counted now (all at the fixed time), by trade:
/// trade, services.
fn tallies(app: &App) -> Vec<(Trade, Vec<Service>)> {
    let day = fixture_now().with_timezone(&app.tz).date_naive();
    let f = app.store.figures_on(day, day, None, day).unwrap();
    let filter = waystation::store::figures::records::VisitFilter::Anonymous;
    let page = app.store.visits_for(&f, filter, 50).unwrap();
    let mut rows = page
        .rows
        .iter()
        .filter(|r| r.arrived_at == fixture_now())
        .map(|r| {
            let s = waystation::domain::visit::Services::from_bits(r.services as u16);
            (r.trade.unwrap(), s.iter().collect::<Vec<_>>())
        })
        .collect::<Vec<_>>();
    rows.sort_by_key(|(t, s)| (t.code(), s.len()));
    rows
}

#[test]
fn a_tally_adds_one_and_undo_takes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let before = today_count(&app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "u");
    assert!(status_is_error(&app), "nothing to undo yet");
    // The tally row is opened on purpose.
    type_text(&mut app, "t");
    assert_eq!(app.checkin.focus, Focus::Tally);
    type_text(&mut app, "2");
    type_text(&mut app, "2");
    type_text(&mut app, "1");
    assert_eq!(today_count(&app), before + 3);
    assert_eq!(app.header.today, Some(before + 3));
    assert!(
        status(&app).contains("快递员，休息、饮水"),
        "{}",
        status(&app)
    );
    let plain = vec![Service::Rest, Service::Water];
    assert_eq!(
        tallies(&app),
        [
            (Trade::Courier, plain.clone()),
            (Trade::FoodDelivery, plain.clone()),
            (Trade::FoodDelivery, plain.clone())
        ]
    );
    type_text(&mut app, "u");
    assert_eq!(today_count(&app), before + 2);
    assert!(status(&app).contains("快递员"), "{}", status(&app));
    type_text(&mut app, "u");
    type_text(&mut app, "u");
    assert_eq!(today_count(&app), before);
    assert_eq!(app.header.today, Some(before));
    assert!(tallies(&app).is_empty(), "an undone tally leaves no record");
    type_text(&mut app, "u");
    assert!(status_is_error(&app));
    assert_eq!(today_count(&app), before);
    // Esc leaves the row: digits count no more.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.checkin.focus, Focus::List);
}

/// A phone typed while the here-now list has the keyboard (one Esc from
/// the form) adds nobody: it goes to Find, which finds the person.
#[test]
fn a_phone_typed_in_the_list_finds_the_person_and_counts_no_one() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        let id = register(&mut app, "陈回访", NEW_PHONE, Trade::Truck);
        let before = today_count(&app);
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.checkin.focus, Focus::List);
        type_text(&mut app, NEW_PHONE);
        assert_eq!(today_count(&app), before, "no one was counted");
        assert!(app.checkin.present.done.is_empty());
        assert_eq!(app.checkin.focus, Focus::Form);
        assert_eq!(app.checkin.form.stop, Stop::Find);
        assert_eq!(app.checkin.form.find.query(), NEW_PHONE);
        snap(&format!("typed_in_list_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.checkin.form.known.as_ref().map(|k| k.id), Some(id));
        assert_eq!(app.checkin.form.stop, Stop::Services);

        // Letters that are no key of the list, and Chinese, go there too.
        send(&mut app, ctrl('n'));
        press(&mut app, KeyCode::Esc);
        type_text(&mut app, "陈回");
        assert_eq!(app.checkin.focus, Focus::Form);
        assert_eq!(app.checkin.form.find.query(), "陈回");
        assert!(shows(&app, "陈回访"), "{}", render(&app, 120, 40));
        // A paste as well (an input method may hand over its text so).
        send(&mut app, ctrl('n'));
        press(&mut app, KeyCode::Esc);
        send(
            &mut app,
            ratatui::crossterm::event::Event::Paste(NEW_PHONE[3..].to_owned()),
        );
        assert_eq!(app.checkin.form.find.query(), &NEW_PHONE[3..]);
        assert_eq!(today_count(&app), before);
    }
}

/// The tally row records the services shown on it: rest and water when
/// it opens, the services row's keys change them (a worker who only
/// charged a phone), and a count needs one.
#[test]
fn the_tally_row_records_the_services_it_shows() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        let before = today_count(&app);
        // Ctrl-T from the form opens it too.
        send(&mut app, ctrl('t'));
        assert_eq!(app.checkin.focus, Focus::Tally);
        snap(&format!("tally_open_{lang:?}"), &app);
        type_text(&mut app, "s");
        assert!(app.checkin.tally.choosing);
        // Rest and water off, charging on: the keys of the services row.
        type_text(&mut app, "123");
        snap(&format!("tally_services_{lang:?}"), &app);
        press(&mut app, KeyCode::Enter);
        assert!(!app.checkin.tally.choosing);
        type_text(&mut app, "1");
        type_text(&mut app, "2");
        assert_eq!(
            tallies(&app),
            [
                (Trade::Courier, vec![Service::Charging]),
                (Trade::FoodDelivery, vec![Service::Charging])
            ]
        );
        snap(&format!("tally_charging_{lang:?}"), &app);
        // No service at all: refused, nothing counted.
        type_text(&mut app, "s3");
        press(&mut app, KeyCode::Esc);
        type_text(&mut app, "5");
        assert!(status_is_error(&app), "{}", status(&app));
        assert_eq!(today_count(&app), before + 2);
        // Open again: rest and water.
        press(&mut app, KeyCode::Esc);
        type_text(&mut app, "t9");
        assert!(tallies(&app).contains(&(Trade::HomeService, vec![Service::Rest, Service::Water])));
        assert_eq!(today_count(&app), before + 3);
    }
}

/// Picking a person while the form holds a new visitor not saved asks
/// first, from the global lookup and from Find: n keeps what was typed,
/// y replaces it.
#[test]
fn picking_someone_asks_before_replacing_an_unsaved_visitor() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        let id = register(&mut app, "陈回访", NEW_PHONE, Trade::Truck);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "草稿人");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "13711112222");
        send(&mut app, ctrl('f'));
        type_text(&mut app, NEW_PHONE);
        press(&mut app, KeyCode::Enter);
        assert!(app.checkin.replacing.is_some());
        snap(&format!("replace_ask_{lang:?}"), &app);
        press(&mut app, KeyCode::Esc);
        assert!(app.checkin.replacing.is_none());
        let form = &app.checkin.form;
        assert_eq!(form.text(NAME), "草稿人");
        assert_eq!(form.text(MOBILE), "13711112222");
        assert!(form.known.is_none());
        assert!(status(&app).contains("陈回访"), "{}", status(&app));

        // From Find: the same question; y takes the person.
        press(&mut app, KeyCode::Esc);
        type_text(&mut app, &NEW_PHONE[7..]);
        assert_eq!(app.checkin.form.stop, Stop::Find);
        press(&mut app, KeyCode::Enter);
        assert!(app.checkin.replacing.is_some());
        type_text(&mut app, "y");
        assert_eq!(app.checkin.form.known.as_ref().map(|k| k.id), Some(id));
        assert_eq!(app.checkin.form.text(NAME), "陈回访");

        // A person picked, nothing typed over: another pick asks nothing.
        send(&mut app, ctrl('f'));
        type_text(&mut app, "zs");
        press(&mut app, KeyCode::Enter);
        assert!(app.checkin.replacing.is_none());
        assert!(app.checkin.form.known.as_ref().is_some_and(|k| k.id != id));
    }
}

#[test]
fn the_arrival_time_is_now_and_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Early Bird");
    for _ in 0..6 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.checkin.form.stop, Stop::Field(ARRIVAL));
    assert_eq!(app.checkin.form.text(ARRIVAL), "16:00");
    // A time later than now is refused, the text kept.
    send(&mut app, ctrl('u'));
    type_text(&mut app, "17:30");
    send(&mut app, ctrl('s'));
    assert!(status_is_error(&app));
    assert_eq!(app.checkin.form.text(ARRIVAL), "17:30");
    assert!(render(&app, 80, 24).contains("arrival cannot be later than now"));
    send(&mut app, ctrl('u'));
    type_text(&mut app, "7.30");
    send(&mut app, ctrl('s'));
    assert!(status_is_error(&app));
    assert!(
        render(&app, 120, 40).contains("'7.30' is not a time of day"),
        "{}",
        render(&app, 120, 40)
    );
    send(&mut app, ctrl('u'));
    type_text(&mut app, "7:30");
    send(&mut app, ctrl('s'));
    assert!(!status_is_error(&app), "{}", status(&app));
    let hit = app.store.lookup("Early Bird", 1).unwrap();
    let Some(waystation::store::Hit::Person(p)) = hit.first() else {
        panic!("not registered")
    };
    let v = &app.store.visits_of(p.id, 1).unwrap()[0];
    assert_eq!(
        v.arrived_at,
        Utc.with_ymd_and_hms(2026, 11, 19, 23, 30, 0).unwrap()
    );
    assert_eq!(fixture_now() - v.arrived_at, Duration::minutes(510));
}

#[test]
fn views_in_both_languages() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        snap(&format!("empty_{lang:?}"), &app);

        type_text(&mut app, "zs");
        assert!(
            !app.checkin.form.find.hits.is_empty(),
            "the fixture has people with initials zs"
        );
        snap(&format!("matches_{lang:?}"), &app);

        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        assert!(app.checkin.form.known.is_some());
        type_text(&mut app, "12");
        snap(&format!("returning_{lang:?}"), &app);

        send(&mut app, ctrl('n'));
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "赵错号");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "1381234");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "110105194912310021");
        send(&mut app, ctrl('s'));
        snap(&format!("refused_{lang:?}"), &app);

        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Down);
        snap(&format!("list_{lang:?}"), &app);

        type_text(&mut app, "t2");
        snap(&format!("tally_{lang:?}"), &app);

        press(&mut app, KeyCode::Esc);
        type_text(&mut app, "l");
        snap(&format!("left_{lang:?}"), &app);
    }
}

#[test]
fn letters_typed_in_find_are_not_taken_as_the_name() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        // Initials with matches, then Tab: a new visitor, name left empty.
        type_text(&mut app, "zs");
        assert!(!app.checkin.form.find.hits.is_empty());
        press(&mut app, KeyCode::Tab);
        let form = &app.checkin.form;
        assert_eq!(form.stop, Stop::Field(NAME));
        assert_eq!(form.text(NAME), "", "initials are not a name");
        assert_eq!(form.find.query(), "");
        assert!(!status_is_error(&app));
        assert!(status(&app).contains("“zs”"), "{}", status(&app));
        snap(&format!("letters_not_name_{lang:?}"), &app);

        // Pinyin without a match, then Enter: the same.
        send(&mut app, ctrl('n'));
        type_text(&mut app, "qxzw");
        assert!(app.checkin.form.find.hits.is_empty());
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.checkin.form.stop, Stop::Field(NAME));
        assert_eq!(app.checkin.form.text(NAME), "");

        // A name typed in Chinese still goes to the name.
        send(&mut app, ctrl('n'));
        type_text(&mut app, "欧阳新");
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.checkin.form.text(NAME), "欧阳新");
        assert_eq!(app.checkin.form.stop, Stop::Field(MOBILE));
    }
}

#[test]
fn the_global_lookup_marks_the_chosen_hit_like_the_other_lists() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    press(&mut app, KeyCode::Esc);
    send(&mut app, ctrl('f'));
    type_text(&mut app, "zs");
    press(&mut app, KeyCode::Down);
    let screen = render(&app, 120, 40);
    let marked: Vec<&str> = screen.lines().filter(|l| l.contains("▶ [人员]")).collect();
    assert_eq!(marked.len(), 1, "{screen}");
    // The second hit is marked, and the others are indented alike.
    let hits: Vec<&str> = screen.lines().filter(|l| l.contains("[人员]")).collect();
    assert!(hits.len() >= 2, "{screen}");
    assert_eq!(hits[1], marked[0], "{screen}");
    let col = |l: &str| l.split("[人员]").next().map(|p| p.chars().count());
    assert_eq!(col(hits[0]), col(hits[1]), "{screen}");
}

#[test]
fn undo_takes_back_the_last_leaving_or_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let rows = app.checkin.present.rows.clone();
    let present = app.header.present.unwrap();
    let before = today_count(&app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Down);
    let gone = rows[1].clone();
    type_text(&mut app, "l");
    assert!(
        app.checkin
            .present
            .rows
            .iter()
            .all(|r| r.visit != gone.visit)
    );
    type_text(&mut app, "t2");
    assert_eq!(today_count(&app), before + 1);

    // The count came last: it goes first, the leaving stays.
    type_text(&mut app, "u");
    assert!(!status_is_error(&app), "{}", status(&app));
    assert_eq!(today_count(&app), before);
    assert!(
        app.checkin
            .present
            .rows
            .iter()
            .all(|r| r.visit != gone.visit)
    );

    // Then the leaving: back in the list, selected, counted.
    type_text(&mut app, "u");
    assert!(!status_is_error(&app), "{}", status(&app));
    let name = gone.name.clone().unwrap_or_default();
    assert!(status(&app).contains(&name), "{}", status(&app));
    assert_eq!(app.checkin.present.rows, rows);
    assert_eq!(
        app.checkin.present.current().map(|r| r.visit),
        Some(gone.visit)
    );
    assert_eq!(app.store.visit(gone.visit).unwrap().unwrap().left_at, None);
    assert_eq!(app.header.present, Some(present));
    assert_eq!(today_count(&app), before);

    type_text(&mut app, "u");
    assert!(status_is_error(&app), "nothing more to undo");
    assert_eq!(app.checkin.present.rows, rows);
}

#[test]
fn a_leaving_is_not_undone_once_they_checked_in_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::En);
    let id = register(&mut app, "陈回访", NEW_PHONE, Trade::Truck);
    let check_in = |app: &mut App| {
        type_text(app, NEW_PHONE);
        press(app, KeyCode::Enter);
        press(app, KeyCode::Enter);
        assert!(!status_is_error(app), "{}", status(app));
    };
    check_in(&mut app);
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        app.checkin.present.current().and_then(|r| r.person),
        Some(id)
    );
    type_text(&mut app, "l");
    type_text(&mut app, "i");
    check_in(&mut app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "u");
    assert!(status_is_error(&app));
    assert!(status(&app).contains("陈回访"), "{}", status(&app));
    let visits = app.store.visits_of(id, 5).unwrap();
    assert_eq!(visits.len(), 2);
    assert_eq!(visits.iter().filter(|v| v.is_present()).count(), 1);
}

#[test]
fn an_arrival_later_than_now_leaves_at_the_arrival_time() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = fixture_store(&dir);
        let details = PersonInput {
            name: "钟未来".into(),
            mobile: NEW_PHONE.into(),
            ..PersonInput::default()
        }
        .validate()
        .unwrap();
        let arrived = fixture_now() + Duration::minutes(10);
        let mut w = store.begin(None).unwrap();
        let person = w.add_person(&details).unwrap();
        let visit = w
            .check_in(person, waystation::domain::visit::Services::EMPTY, arrived)
            .unwrap();
        w.commit().unwrap();
        let mut app = App::new(store, lang, fixture_now);
        sign_in_as_role(&mut app, Role::Admin);
        app.load();
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.checkin.present.current().map(|r| r.visit), Some(visit));
        type_text(&mut app, "l");
        assert!(!status_is_error(&app), "{}", status(&app));
        assert!(status(&app).contains("16:10"), "{}", status(&app));
        assert_eq!(
            app.store.visit(visit).unwrap().unwrap().left_at,
            Some(arrived)
        );
        assert!(app.checkin.present.rows.iter().all(|r| r.visit != visit));
        snap(&format!("left_at_arrival_{lang:?}"), &app);
        // And it can be undone like any leaving.
        type_text(&mut app, "u");
        assert!(!status_is_error(&app), "{}", status(&app));
        assert_eq!(app.store.visit(visit).unwrap().unwrap().left_at, None);
    }
}

/// Events for the loop: on the first wait another connection writes (a
/// kiosk or a second console on the same file), then the keys.
struct WriteThenKeys {
    write: Option<Box<dyn FnOnce()>>,
    keys: std::collections::VecDeque<ratatui::crossterm::event::Event>,
}

impl waystation::tui::Events for WriteThenKeys {
    fn next(
        &mut self,
        _timeout: std::time::Duration,
    ) -> std::io::Result<Option<ratatui::crossterm::event::Event>> {
        if let Some(write) = self.write.take() {
            write();
        }
        Ok(self.keys.pop_front())
    }
    fn pending(&mut self) -> std::io::Result<Option<ratatui::crossterm::event::Event>> {
        Ok(None)
    }
}

/// Two consoles on one file: what one checks in, the other's header and
/// here-now list show after its next key or minute tick (it asks SQLite's
/// data version, and reads nothing when nothing changed).
#[test]
fn two_consoles_on_one_file_see_each_others_check_ins() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = fixture_app(&dir, Lang::ZhCn);
    let mut store = waystation::store::Store::open(&fixture_path(&dir)).unwrap();
    store.set_clock(fixture_millis);
    let mut b = App::new(store, Lang::ZhCn, fixture_now);
    sign_in_as_role(&mut b, Role::Staff);
    b.load();
    let (present, today) = (b.header.present.unwrap(), b.header.today.unwrap());
    assert!(!b.notice_writers(), "nothing new yet");

    type_text(&mut a, NEW_PHONE);
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "刘新来");
    send(&mut a, ctrl('s'));
    assert!(!status_is_error(&a), "{}", status(&a));
    assert!(!a.notice_writers(), "its own write is not another's");
    assert_eq!(b.header.present, Some(present), "b has not looked yet");

    // b's minute tick (or its next key).
    assert!(b.notice_writers());
    assert_eq!(b.header.present, Some(present + 1));
    assert_eq!(b.header.today, Some(today + 1));
    assert_eq!(
        present_names(&b).first().map(String::as_str),
        Some("刘新来")
    );
    assert!(!b.notice_writers(), "read once");

    // b marks them leaving; a, in its loop, shows it after its next key.
    press(&mut b, KeyCode::Esc);
    press(&mut b, KeyCode::Home);
    type_text(&mut b, "l");
    assert!(status(&b).contains("刘新来"), "{}", status(&b));
    let path = fixture_path(&dir);
    let mut events = WriteThenKeys {
        write: Some(Box::new(move || {
            // Meanwhile a kiosk on the same file counts one anonymous visitor.
            let mut kiosk = waystation::store::Store::open(&path).unwrap();
            kiosk.set_clock(fixture_millis);
            let mut w = kiosk.begin(None).unwrap();
            w.tally(Trade::Courier, 1, fixture_now()).unwrap();
            w.commit().unwrap();
        })),
        keys: [key(KeyCode::Esc), ctrl('q')].into(),
    };
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    waystation::tui::run_loop(&mut terminal, &mut a, &mut events).unwrap();
    assert_eq!(a.header.present, Some(present));
    assert_eq!(a.header.today, Some(today + 2));
    assert!(!present_names(&a).contains(&"刘新来".to_owned()));
}

/// 02:15: a visitor who came before midnight is still here, and the list
/// says on which day he came.
#[test]
fn after_midnight_an_arrival_of_yesterday_shows_its_day() {
    fn small_hours() -> chrono::DateTime<Utc> {
        // 2026-11-21 02:15 in Shanghai.
        Utc.with_ymd_and_hms(2026, 11, 20, 18, 15, 0).unwrap()
    }
    let dir = tempfile::tempdir().unwrap();
    let mut store = fixture_store(&dir);
    let details = PersonInput {
        name: "钟夜班".into(),
        mobile: NEW_PHONE.into(),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    let mut w = store.begin(None).unwrap();
    let person = w.add_person(&details).unwrap();
    // 2026-11-20 23:50 in Shanghai.
    let arrived = Utc.with_ymd_and_hms(2026, 11, 20, 15, 50, 0).unwrap();
    w.check_in(person, waystation::domain::visit::Services::EMPTY, arrived)
        .unwrap();
    w.commit().unwrap();
    let mut app = App::new(store, Lang::ZhCn, small_hours);
    sign_in_as_role(&mut app, Role::Admin);
    app.load();
    let screen = render(&app, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("钟夜班"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(line.contains("11-20 23:50"), "{line}");
}

/// A lookup is nothing to lose: Ctrl-Q after only a search quits at once.
#[test]
fn quitting_after_only_a_lookup_asks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    type_text(&mut app, "138");
    assert!(!waystation::tui::panes::Pane::unsaved(&app.checkin));
    send(&mut app, ctrl('q'));
    assert!(app.quit, "{}", render(&app, 80, 24));
}

#[test]
fn an_arrival_of_another_day_shows_whole_in_its_field() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "Early Bird");
        for _ in 0..6 {
            press(&mut app, KeyCode::Tab);
        }
        assert_eq!(app.checkin.form.stop, Stop::Field(ARRIVAL));
        send(&mut app, ctrl('u'));
        type_text(&mut app, "11-19 23:50");
        press(&mut app, KeyCode::Tab);
        assert_ne!(app.checkin.form.stop, Stop::Field(ARRIVAL));
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&app, w, h);
            assert!(screen.contains("11-19 23:50"), "{screen}");
        }
    }
}
