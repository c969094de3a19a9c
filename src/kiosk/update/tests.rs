//! The kiosk's state machine, driven by actions and a fixed clock.

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::case::CaseType;
use crate::domain::ids::PersonId;
use crate::domain::money::Fen;
use crate::domain::person::PersonInput;
use crate::domain::staff::Role;
use crate::kiosk::state::{LookupField, LookupForm};
use crate::store::AuditAction;
use crate::store::LOOKUP_THROTTLE;
use crate::store::NewCase;

const ADMIN_PIN: &str = "2468";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap()
}

fn secs(n: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(n)
}

struct Fixture {
    kiosk: Kiosk,
    person: PersonId,
    number: String,
}

/// A station with an admin who has a PIN, a registered worker (张三丰,
/// 13812345678) and a case of theirs handled by 王芳.
fn fixture() -> Fixture {
    let mut s = Store::open_in_memory().unwrap();
    s.init_station("FT", "福田爱心驿站", "Asia/Shanghai")
        .unwrap();
    s.create_first_admin("王芳", ADMIN_PIN).unwrap();
    let admin = s.session().unwrap().staff;
    let d = PersonInput {
        name: "张三丰".into(),
        mobile: "13812345678".into(),
        trade: Some(Trade::Courier),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    let mut w = s.begin(None).unwrap();
    let person = w.add_person(&d).unwrap();
    let volunteer = w.add_staff("小李", Role::Volunteer).unwrap();
    let (_, number) = w
        .open_case(&NewCase {
            case_type: CaseType::WageArrears,
            hardship_kind: None,
            claimants: vec![person.into()],
            respondent: Some("某某物流".into()),
            summary: None,
            claimed: Fen(500_000),
            handler: Some(admin),
            follow_up: None,
            opened_at: t0(),
        })
        .unwrap();
    w.commit().unwrap();
    s.set_session(None);
    let _ = volunteer;
    Fixture {
        kiosk: Kiosk::new(s, Lang::ZhCn, t0()).unwrap(),
        person,
        number: number.to_string(),
    }
}

fn typed(k: &mut Kiosk, text: &str, at: DateTime<Utc>) {
    for c in text.chars() {
        k.update(Action::Char(c), at);
    }
}

fn anonymous_headcount(k: &Kiosk) -> i64 {
    k.store()
        .conn()
        .query_row(
            "SELECT coalesce(sum(headcount), 0) FROM visits WHERE person_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn an_anonymous_check_in_records_one_visit_of_the_chosen_trade() {
    let Fixture { mut kiosk, .. } = fixture();
    let k = &mut kiosk;
    k.update(Action::Char('1'), secs(1));
    assert_eq!(k.screen, Screen::Trade { selected: 0 });
    k.update(Action::Char('2'), secs(2));
    // Rest and water, then charging on and off again with the arrows.
    typed(k, "12", secs(3));
    k.update(Action::Down, secs(4));
    k.update(Action::Char(' '), secs(4));
    k.update(Action::Char(' '), secs(4));
    let Screen::Services {
        trade, services, ..
    } = &k.screen
    else {
        panic!("{:?}", k.screen)
    };
    assert_eq!(*trade, Trade::FoodDelivery);
    assert_eq!(
        services.iter().collect::<Vec<_>>(),
        [Service::Rest, Service::Water]
    );
    k.update(Action::Enter, secs(5));
    assert!(matches!(k.screen, Screen::Mobile { .. }));
    k.update(Action::Enter, secs(6));
    assert!(
        matches!(
            &k.screen,
            Screen::Welcome {
                greeting: None,
                trade: Trade::FoodDelivery,
                ..
            }
        ),
        "{:?}",
        k.screen
    );
    assert_eq!(anonymous_headcount(k), 1);
    let (trade, services, left): (String, u16, Option<i64>) = k
        .store()
        .conn()
        .query_row(
            "SELECT trade, services, left_at FROM visits WHERE person_id IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(trade, "food_delivery");
    assert_eq!(services, 0b11);
    assert!(left.is_some(), "an anonymous visitor leaves as they arrive");
    // Any key, or ten seconds, and the next worker sees the home screen.
    k.tick(secs(15));
    assert!(!k.screen.is_home());
    k.tick(secs(16));
    assert!(k.screen.is_home());
}

#[test]
fn a_known_phone_is_greeted_by_a_masked_name_only() {
    let Fixture {
        mut kiosk, person, ..
    } = fixture();
    let k = &mut kiosk;
    typed(k, "1", secs(1));
    k.update(Action::Enter, secs(1)); // the highlighted first trade
    k.update(Action::Char('3'), secs(2));
    k.update(Action::Enter, secs(2));
    typed(k, "138 1234 5678", secs(3));
    k.update(Action::Enter, secs(4));
    let Screen::Welcome { greeting, .. } = &k.screen else {
        panic!("{:?}", k.screen)
    };
    assert_eq!(greeting.as_deref(), Some("张**"));
    let visits = k.store().visits_of(person, 5).unwrap();
    assert_eq!(visits.len(), 1);
    assert_eq!(visits[0].trade, Trade::Courier);
    assert!(visits[0].services.contains(Service::Charging));
    assert_eq!(anonymous_headcount(k), 0);
    k.update(Action::Char('x'), secs(5));
    assert!(k.screen.is_home(), "any key goes home");
}

#[test]
fn a_bad_mobile_keeps_what_was_typed_with_its_reason() {
    let Fixture { mut kiosk, .. } = fixture();
    let k = &mut kiosk;
    typed(k, "11", secs(1));
    k.update(Action::Enter, secs(1));
    typed(k, "1381234567", secs(2));
    // Letters are not typed into a phone number at all.
    typed(k, "ab", secs(2));
    k.update(Action::Enter, secs(3));
    let Screen::Mobile { input, error, .. } = &k.screen else {
        panic!("{:?}", k.screen)
    };
    assert_eq!(input, "1381234567");
    assert_eq!(error.as_deref(), Some("手机号是10位，应为11位"));
    assert_eq!(anonymous_headcount(k), 0, "nothing recorded");
    // 0 is a digit here, not "back".
    typed(k, "0", secs(4));
    k.update(Action::Enter, secs(5));
    assert!(matches!(
        k.screen,
        Screen::Welcome {
            greeting: None,
            unregistered: true,
            ..
        }
    ));
    assert_eq!(anonymous_headcount(k), 1, "an unknown phone: anonymous");
    assert!(
        k.store()
            .people_by_mobile(&Mobile::parse("13812345670").unwrap())
            .unwrap()
            .is_empty(),
        "the kiosk never registers a person"
    );
}

fn look_up(k: &mut Kiosk, number: &str, last4: &str, at: DateTime<Utc>) {
    if !matches!(k.screen, Screen::Lookup(_)) {
        k.go_home();
        k.update(Action::Char('2'), at);
    }
    let Screen::Lookup(f) = &mut k.screen else {
        panic!("{:?}", k.screen)
    };
    f.number.clear();
    f.last4.clear();
    f.focus = LookupField::Number;
    typed(k, number, at);
    k.update(Action::Next, at);
    typed(k, last4, at);
    k.update(Action::Enter, at);
}

#[test]
fn the_right_number_and_digits_show_the_status() {
    let Fixture {
        mut kiosk, number, ..
    } = fixture();
    let k = &mut kiosk;
    look_up(k, &number.to_lowercase(), "5678", secs(1));
    let Screen::Status(v) = &k.screen else {
        panic!("{:?}", k.screen)
    };
    assert_eq!(v.number.to_string(), number);
    assert_eq!(v.status, crate::domain::case::CaseStatus::New);
    assert_eq!(v.handler_initial.as_deref(), Some("王"));
    k.update(Action::Enter, secs(2));
    assert!(k.screen.is_home());
}

#[test]
fn misses_say_not_found_and_then_make_the_next_try_wait() {
    let Fixture {
        mut kiosk, number, ..
    } = fixture();
    let k = &mut kiosk;
    let misses = [
        (number.as_str(), "5679"),
        ("FT-2026-9999", "5678"),
        ("NONSENSE", "5678"),
    ];
    for (i, (n, d)) in misses.iter().enumerate() {
        look_up(k, n, d, secs(i as i64));
        let Screen::Lookup(f) = &k.screen else {
            panic!("{:?}", k.screen)
        };
        assert!(f.not_found, "{n} {d}");
        assert_eq!(f.number, n.to_uppercase(), "what was typed stays");
    }
    // The third miss already makes the next try wait.
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert_eq!(f.wait_until, Some(secs(2) + Duration::seconds(5)));
    // Even the right digits are not looked up while the wait lasts.
    look_up(k, &number, "5678", secs(4));
    assert!(matches!(k.screen, Screen::Lookup(_)), "{:?}", k.screen);
    // Leaving and coming back does not reset the wait: it is in the
    // database.
    k.update(Action::Back, secs(5));
    k.update(Action::Char('2'), secs(5));
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert!(f.wait_until.is_some());
    k.tick(secs(8));
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert_eq!(f.wait_until, None, "the wait is over");
    look_up(k, &number, "5678", secs(8));
    assert!(matches!(k.screen, Screen::Status(_)));
    // A hit takes no miss back: the next miss waits longer.
    look_up(k, &number, "0000", secs(9));
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert_eq!(f.wait_until, Some(secs(9) + Duration::seconds(10)));
}

#[test]
fn incomplete_fields_are_refused_beside_them_without_a_lookup() {
    let Fixture {
        mut kiosk, number, ..
    } = fixture();
    let k = &mut kiosk;
    k.update(Action::Char('2'), secs(1));
    k.update(Action::Enter, secs(1));
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert_eq!(f.number_error.as_deref(), Some("请输入案件编号"));
    assert_eq!(f.focus, LookupField::Number);
    typed(k, &number, secs(2));
    k.update(Action::Enter, secs(2));
    typed(k, "567x8", secs(2));
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert_eq!(f.number_error, None);
    assert_eq!(f.last4, "5678", "only digits, at most four");
    k.update(Action::Backspace, secs(3));
    k.update(Action::Enter, secs(3));
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert_eq!(f.last4_error.as_deref(), Some("请输入 4 位数字"));
    assert!(!f.not_found);
    assert_eq!(
        k.store().throttle_wait(LOOKUP_THROTTLE, secs(3)).unwrap(),
        0
    );
    // Backspace in an empty digits field goes back to the number.
    for _ in 0..4 {
        k.update(Action::Backspace, secs(4));
    }
    let Screen::Lookup(f) = &k.screen else {
        panic!()
    };
    assert_eq!(f.focus, LookupField::Number);
}

#[test]
fn only_a_staff_pin_leaves_and_the_exit_is_audited() {
    let Fixture { mut kiosk, .. } = fixture();
    let k = &mut kiosk;
    k.update(Action::Char('2'), secs(1));
    k.update(Action::Exit, secs(1));
    assert!(matches!(k.screen, Screen::Exit { .. }));
    typed(k, "12", secs(2));
    k.update(Action::Enter, secs(2));
    let Screen::Exit { message, .. } = &k.screen else {
        panic!()
    };
    assert_eq!(message.as_deref(), Some("PIN 码是 4 到 8 位数字"));
    typed(k, "99", secs(2));
    k.update(Action::Enter, secs(3));
    let Screen::Exit { message, pin, .. } = &k.screen else {
        panic!()
    };
    assert_eq!(message.as_deref(), Some("PIN 码不对"));
    assert!(pin.is_empty(), "a wrong PIN is cleared");
    assert!(!k.quit());
    typed(k, ADMIN_PIN, secs(4));
    k.update(Action::Enter, secs(4));
    assert!(k.quit());
    assert_eq!(k.left_by.as_ref().map(|s| s.name.as_str()), Some("王芳"));
    assert_eq!(k.store().session(), None, "nobody stays signed in");
    let log = k.store().audit_entries(5).unwrap();
    assert_eq!(log[0].action_kind(), Some(AuditAction::KioskExit));
    assert_eq!(log[0].actor, k.left_by.as_ref().map(|s| s.staff));
    assert_eq!(log[0].subject, format!("staff:{}", log[0].actor.unwrap().0));
}

#[test]
fn wrong_pins_slow_the_exit_down() {
    let Fixture { mut kiosk, .. } = fixture();
    let k = &mut kiosk;
    k.update(Action::Exit, secs(0));
    for i in 0..3 {
        typed(k, "0000", secs(i));
        k.update(Action::Enter, secs(i));
    }
    let Screen::Exit { wait_until, .. } = &k.screen else {
        panic!()
    };
    assert_eq!(*wait_until, Some(secs(2) + Duration::seconds(5)));
    typed(k, ADMIN_PIN, secs(3));
    k.update(Action::Enter, secs(3));
    assert!(!k.quit(), "the right PIN waits too");
    let Screen::Exit { message, .. } = &k.screen else {
        panic!()
    };
    assert_eq!(message.as_deref(), Some("错误次数太多，请 4 秒后再试"));
    k.tick(secs(7));
    typed(k, ADMIN_PIN, secs(7));
    k.update(Action::Enter, secs(7));
    assert!(k.quit());
}

#[test]
fn esc_leaves_the_pin_prompt_for_home_and_zero_is_a_digit_there() {
    let Fixture { mut kiosk, .. } = fixture();
    let k = &mut kiosk;
    k.update(Action::Exit, secs(0));
    typed(k, "0", secs(0));
    let Screen::Exit { pin, .. } = &k.screen else {
        panic!()
    };
    assert_eq!(pin, "0");
    k.update(Action::Back, secs(1));
    assert!(k.screen.is_home());
    assert!(!k.quit());
}

#[test]
fn a_minute_without_a_key_forgets_everything_typed() {
    let Fixture {
        mut kiosk, number, ..
    } = fixture();
    let k = &mut kiosk;
    k.update(Action::Char('2'), secs(0));
    typed(k, &number, secs(10));
    assert_eq!(k.next_wake(), Some(secs(70)));
    k.tick(secs(69));
    assert!(matches!(k.screen, Screen::Lookup(_)));
    k.tick(secs(70));
    assert!(k.screen.is_home());
    assert_eq!(k.next_wake(), None, "nothing to do at home");
    k.update(Action::Char('2'), secs(71));
    assert_eq!(k.screen, Screen::Lookup(LookupForm::new()));
    // The PIN prompt and check-in forget too.
    for open in [Action::Exit, Action::Char('1')] {
        k.go_home();
        k.update(open, secs(100));
        k.tick(secs(160));
        assert!(k.screen.is_home(), "{open:?}");
    }
}

#[test]
fn escape_keys_leave_nothing_and_change_nothing() {
    let Fixture { mut kiosk, .. } = fixture();
    let k = &mut kiosk;
    let ctrl = KeyModifiers::CONTROL;
    let events = [
        Event::Key(KeyEvent::new(KeyCode::Char('c'), ctrl)),
        Event::Key(KeyEvent::new(KeyCode::Char('z'), ctrl)),
        Event::Key(KeyEvent::new(KeyCode::Char('4'), ctrl)),
        Event::Key(KeyEvent::new(KeyCode::Char('\\'), ctrl)),
        Event::Key(KeyEvent::new(KeyCode::Char('d'), ctrl)),
        Event::Key(KeyEvent::new(KeyCode::Char('q'), ctrl)),
        Event::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)),
        Event::Key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE)),
        Event::Key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE)),
        Event::Key(KeyEvent::new(KeyCode::F(10), KeyModifiers::NONE)),
        Event::Key(KeyEvent::new(KeyCode::F(11), KeyModifiers::NONE)),
        Event::Paste("\u{3}\u{1a}".into()),
    ];
    // On every screen: home, each check-in step, the lookup, the PIN
    // prompt.
    let openings: [&[Action]; 6] = [
        &[],
        &[Action::Char('1')],
        &[Action::Char('1'), Action::Char('1')],
        &[Action::Char('1'), Action::Char('1'), Action::Enter],
        &[Action::Char('2'), Action::Char('F')],
        &[Action::Exit, Action::Char('1')],
    ];
    for open in openings {
        k.go_home();
        for a in open {
            k.update(*a, secs(1));
        }
        let before = k.screen.clone();
        for ev in &events {
            k.event(ev, secs(2));
            assert_eq!(k.screen, before, "{ev:?} on {before:?}");
            assert!(!k.quit());
        }
        // Esc goes home, never out.
        k.event(
            &Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            secs(3),
        );
        assert!(k.screen.is_home());
        assert!(!k.quit());
    }
    assert_eq!(anonymous_headcount(k), 0);
}

#[test]
fn zero_goes_home_from_the_choice_screens() {
    let Fixture { mut kiosk, .. } = fixture();
    let k = &mut kiosk;
    for open in [
        &[Action::Char('1')][..],
        &[Action::Char('1'), Action::Char('5')],
    ] {
        for a in open {
            k.update(*a, secs(1));
        }
        assert!(!k.screen.is_home());
        k.update(Action::Char('0'), secs(2));
        assert!(k.screen.is_home(), "{open:?}");
    }
    // On the home screen 0 does nothing; the arrows choose.
    k.update(Action::Char('0'), secs(3));
    assert_eq!(k.screen, Screen::Home { selected: 0 });
    k.update(Action::Right, secs(3));
    k.update(Action::Enter, secs(3));
    assert!(matches!(k.screen, Screen::Lookup(_)));
}

#[test]
fn the_grid_moves_within_its_items() {
    // Ten items in two columns of five.
    assert_eq!(step_grid(0, 10, Action::Up), 0);
    assert_eq!(step_grid(0, 10, Action::Down), 1);
    assert_eq!(step_grid(1, 10, Action::Right), 6);
    assert_eq!(step_grid(6, 10, Action::Right), 6);
    assert_eq!(step_grid(6, 10, Action::Left), 1);
    assert_eq!(step_grid(9, 10, Action::Down), 9);
    // Eleven: the second column is one shorter.
    assert_eq!(step_grid(5, 11, Action::Right), 5);
    assert_eq!(step_grid(4, 11, Action::Right), 10);
}

#[test]
fn a_pin_two_staff_hold_leaves_but_is_credited_to_neither() {
    let mut f = fixture();
    let k = &mut f.kiosk;
    // A second staff member, set up at another station with the admin's PIN.
    let admin = k.store().sign_in_roster().unwrap()[0].clone();
    k.store.set_session(Some(crate::domain::access::Session {
        staff: admin.id,
        name: admin.name.clone(),
        role: admin.role,
    }));
    let twin = k
        .store
        .add_staff_member("赵强", Role::Staff, ADMIN_PIN)
        .unwrap();
    k.store.set_session(None);
    k.update(Action::Exit, secs(0));
    typed(k, ADMIN_PIN, secs(1));
    k.update(Action::Enter, secs(1));
    assert!(k.quit(), "a staff PIN leaves the kiosk");
    let log = k.store().audit_entries(5).unwrap();
    assert_eq!(log[0].action_kind(), Some(AuditAction::KioskExit));
    assert_eq!(log[0].actor, None, "neither of the two is named as the one");
    let names = log[0].detail["pin_shared_by"].as_array().unwrap();
    assert_eq!(names.len(), 2);
    assert!(names.iter().any(|n| n == "赵强") && names.iter().any(|n| n == "王芳"));
    let _ = twin;
    let words =
        crate::words::audit::entry_detail(Some(AuditAction::KioskExit), &log[0].detail, Lang::ZhCn);
    assert!(words.contains("王芳") && words.contains("赵强"), "{words}");
}

/// 张三丰's son 张三 shares his phone (one platform account).
fn add_son(k: &mut Kiosk) -> PersonId {
    let d = PersonInput {
        name: "张三".into(),
        mobile: "13812345678".into(),
        trade: Some(Trade::FoodDelivery),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    let mut w = k.store.begin(None).unwrap();
    let id = w.add_person(&d).unwrap();
    w.commit().unwrap();
    id
}

#[test]
fn a_shared_phone_asks_who_is_checking_in_and_records_nothing_before() {
    let Fixture {
        mut kiosk, person, ..
    } = fixture();
    let k = &mut kiosk;
    let son = add_son(k);
    typed(k, "11", secs(1));
    k.update(Action::Enter, secs(1));
    typed(k, "13812345678", secs(2));
    k.update(Action::Enter, secs(3));
    let Screen::Choose { people, input, .. } = &k.screen else {
        panic!("{:?}", k.screen)
    };
    assert_eq!(input, "13812345678");
    assert_eq!(
        people
            .iter()
            .map(|p| (p.person, p.masked_name.as_str(), p.trade))
            .collect::<Vec<_>>(),
        [
            (person, "张**", Trade::Courier),
            (son, "张*", Trade::FoodDelivery)
        ]
    );
    assert!(!k.screen.typing(), "digits choose here");
    assert!(k.store().visits_of(person, 5).unwrap().is_empty());
    assert!(k.store().visits_of(son, 5).unwrap().is_empty());
    assert_eq!(anonymous_headcount(k), 0, "the kiosk does not guess");
    // A key that is no one's does nothing.
    typed(k, "3", secs(4));
    assert!(matches!(k.screen, Screen::Choose { .. }));
    typed(k, "2", secs(5));
    let Screen::Welcome { greeting, .. } = &k.screen else {
        panic!("{:?}", k.screen)
    };
    assert_eq!(greeting.as_deref(), Some("张*"));
    assert_eq!(k.store().visits_of(son, 5).unwrap().len(), 1);
    assert!(k.store().visits_of(person, 5).unwrap().is_empty());
}

#[test]
fn esc_goes_back_to_the_number_and_the_arrows_choose_too() {
    let Fixture {
        mut kiosk, person, ..
    } = fixture();
    let k = &mut kiosk;
    add_son(k);
    typed(k, "11", secs(1));
    k.update(Action::Enter, secs(1));
    typed(k, "13812345678", secs(2));
    k.update(Action::Enter, secs(3));
    k.update(Action::Back, secs(4));
    let Screen::Mobile { input, error, .. } = &k.screen else {
        panic!("{:?}", k.screen)
    };
    assert_eq!((input.as_str(), error), ("13812345678", &None));
    // 0 is back too, where nothing is typed.
    k.update(Action::Enter, secs(5));
    typed(k, "0", secs(5));
    assert!(matches!(k.screen, Screen::Mobile { .. }));
    k.update(Action::Enter, secs(6));
    k.update(Action::Down, secs(6));
    k.update(Action::Up, secs(6));
    k.update(Action::Enter, secs(7));
    let Screen::Welcome { greeting, .. } = &k.screen else {
        panic!("{:?}", k.screen)
    };
    assert_eq!(greeting.as_deref(), Some("张**"));
    assert_eq!(k.store().visits_of(person, 5).unwrap().len(), 1);
    // Left alone, the list goes home like any screen.
    let mut other = fixture().kiosk;
    add_son(&mut other);
    typed(&mut other, "11", secs(1));
    other.update(Action::Enter, secs(1));
    typed(&mut other, "13812345678", secs(2));
    other.update(Action::Enter, secs(3));
    other.tick(secs(3 + IDLE_SECS));
    assert!(other.screen.is_home());
}
