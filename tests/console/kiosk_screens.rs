//! The kiosk's screens, drawn from its state on ratatui's `TestBackend`
//! with a fixed clock: home, the three check-in steps, the greeting, the
//! case lookup (found, not found, waiting), the PIN prompt; Chinese at
//! 80×24 (the smallest screen it supports), a few in English and larger.
//! And the loop itself, run on `TestBackend` with scripted keys.

use crate::common;

use std::collections::VecDeque;
use std::io;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use waystation::domain::case::{CaseStatus, CaseType, Referral};
use waystation::domain::money::Fen;
use waystation::domain::person::{PersonInput, Trade};
use waystation::domain::staff::Role;
use waystation::i18n::Lang;
use waystation::kiosk::{Action, Kiosk, Screen};
use waystation::store::AuditAction;
use waystation::store::Store;
use waystation::store::{NewCase, StatusChange};
use waystation::tui::Events;

const PIN: &str = "2468";

/// 16:00 in Shanghai.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap()
}

fn at(secs: i64) -> DateTime<Utc> {
    now() + Duration::seconds(secs)
}

fn millis() -> u64 {
    now().timestamp_millis() as u64
}

/// A station with an admin (PIN 2468), a worker 张三丰 (13812345678) and
/// their wage case FT-2026-0001, referred to arbitration, handled by 王芳,
/// next follow-up on 30 November.
fn kiosk(lang: Lang) -> Kiosk {
    kiosk_with(lang, |_| {})
}

/// [`kiosk`], with `more` written before the kiosk opens.
fn kiosk_with(lang: Lang, more: impl FnOnce(&mut Store)) -> Kiosk {
    let mut s = Store::open_in_memory().unwrap();
    s.set_clock(millis);
    s.init_station("FT", "福田区总工会 爱心驿站", "Asia/Shanghai")
        .unwrap();
    // Signed in as the admin while staff are added (only an admin may),
    // nobody afterwards.
    let admin = s.create_first_admin("王芳", PIN).unwrap();
    let worker = PersonInput {
        name: "张三丰".into(),
        mobile: "13812345678".into(),
        trade: Some(Trade::Courier),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    let mut w = s.begin(None).unwrap();
    w.add_staff("李华", Role::Staff).unwrap();
    let person = w.add_person(&worker).unwrap();
    let (case, _) = w
        .open_case(&NewCase {
            case_type: CaseType::WageArrears,
            hardship_kind: None,
            claimants: vec![person.into()],
            respondent: Some("某某物流有限公司".into()),
            summary: Some("拖欠三个月工资".into()),
            claimed: Fen(1_697_400),
            handler: Some(admin.staff),
            follow_up: None,
            opened_at: at(-86_400 * 10),
        })
        .unwrap();
    w.set_status(case, StatusChange::To(CaseStatus::Waiting), at(-3600))
        .unwrap();
    w.refer(case, Some(Referral::Arbitration)).unwrap();
    w.set_follow_up(case, NaiveDate::from_ymd_opt(2026, 11, 30))
        .unwrap();
    w.commit().unwrap();
    more(&mut s);
    s.set_session(None);
    Kiosk::new(s, lang, now()).unwrap()
}

/// The screen as text (see `common::console::render_with`).
fn render(k: &Kiosk, width: u16, height: u16) -> String {
    common::console::render_with(width, height, |f| waystation::kiosk::draw::draw(f, k))
}

fn snap(name: &str, k: &Kiosk) {
    insta::assert_snapshot!(name, render(k, 80, 24));
}

fn typed(k: &mut Kiosk, text: &str, when: DateTime<Utc>) {
    for c in text.chars() {
        k.update(Action::Char(c), when);
    }
}

/// The first two check-in steps: courier, rest and charging.
fn to_mobile(k: &mut Kiosk) {
    typed(k, "1", at(1));
    typed(k, "1", at(2));
    typed(k, "13", at(3));
    k.update(Action::Enter, at(4));
}

#[test]
fn home() {
    let k = kiosk(Lang::ZhCn);
    snap("home_zh", &k);
    insta::assert_snapshot!("home_zh_120x36", render(&k, 120, 36));
    snap("home_en", &kiosk(Lang::En));
}

#[test]
fn check_in_steps() {
    let mut k = kiosk(Lang::ZhCn);
    typed(&mut k, "1", at(1));
    k.update(Action::Down, at(1));
    snap("trade_zh", &k);
    typed(&mut k, "1", at(2));
    typed(&mut k, "13B", at(3));
    snap("services_zh", &k);
    k.update(Action::Enter, at(4));
    snap("mobile_zh", &k);
}

#[test]
fn a_bad_mobile_is_refused_beside_the_field() {
    let mut k = kiosk(Lang::ZhCn);
    to_mobile(&mut k);
    typed(&mut k, "138123", at(5));
    k.update(Action::Enter, at(6));
    snap("mobile_refused_zh", &k);
}

#[test]
fn a_known_phone_is_greeted_with_a_masked_name() {
    let mut k = kiosk(Lang::ZhCn);
    to_mobile(&mut k);
    typed(&mut k, "13812345678", at(5));
    k.update(Action::Enter, at(6));
    let text = render(&k, 80, 24);
    assert!(text.contains("欢迎您，张**"), "{text}");
    assert!(!text.contains("张三丰") && !text.contains("5678"), "{text}");
    snap("welcome_known_zh", &k);
    k.tick(at(9));
    snap("welcome_known_zh_later", &k);
}

/// 张三丰 and his son 张三 share one phone; 张三丰's brother 张三峰
/// does too (two masked names alike show their last character).
#[test]
fn a_shared_phone_lists_its_people_masked_to_choose_from() {
    for lang in [Lang::ZhCn, Lang::En] {
        let mut k = kiosk_with(lang, |s| {
            let mut w = s.begin(None).unwrap();
            for (name, trade) in [("张三", Trade::FoodDelivery), ("张三峰", Trade::Truck)] {
                let d = PersonInput {
                    name: name.into(),
                    mobile: "13812345678".into(),
                    trade: Some(trade),
                    ..PersonInput::default()
                }
                .validate()
                .unwrap();
                w.add_person(&d).unwrap();
            }
            w.commit().unwrap();
        });
        to_mobile(&mut k);
        typed(&mut k, "13812345678", at(5));
        k.update(Action::Enter, at(6));
        let text = render(&k, 80, 24);
        for shown in ["张*丰", "张*", "张*峰"] {
            assert!(text.contains(shown), "{shown}: {text}");
        }
        for secret in ["张三丰", "张三峰", "5678"] {
            assert!(!text.contains(secret), "{secret} shown:\n{text}");
        }
        snap(&format!("choose_{lang:?}"), &k);
        typed(&mut k, "3", at(7));
        let text = render(&k, 80, 24);
        let greeting = match lang {
            Lang::ZhCn => "欢迎您，张**",
            Lang::En => "Welcome, 张**",
        };
        assert!(text.contains(greeting), "{text}");
    }
}

#[test]
fn an_unknown_phone_is_told_how_to_be_known() {
    for lang in [Lang::ZhCn, Lang::En] {
        let mut k = kiosk(lang);
        to_mobile(&mut k);
        typed(&mut k, "13700000000", at(5));
        k.update(Action::Enter, at(6));
        let text = render(&k, 80, 24);
        let said = waystation::i18n::catalogue::text(lang, "kiosk.welcome.unregistered");
        assert!(text.contains(said), "{text}");
        snap(&format!("welcome_unregistered_{lang:?}"), &k);
    }
}

#[test]
fn an_anonymous_check_in_is_thanked() {
    let mut k = kiosk(Lang::En);
    to_mobile(&mut k);
    k.update(Action::Enter, at(5));
    snap("welcome_anonymous_en", &k);
}

fn lookup(k: &mut Kiosk, number: &str, last4: &str, when: DateTime<Utc>) {
    if !matches!(k.screen, Screen::Lookup(_)) {
        k.update(Action::Back, when);
        typed(k, "2", when);
    }
    // Clear what the previous try left.
    for _ in 0..4 {
        k.update(Action::Backspace, when);
    }
    k.update(Action::Up, when);
    for _ in 0..20 {
        k.update(Action::Backspace, when);
    }
    typed(k, number, when);
    k.update(Action::Next, when);
    typed(k, last4, when);
    k.update(Action::Enter, when);
}

#[test]
fn case_status_found() {
    let mut k = kiosk(Lang::ZhCn);
    typed(&mut k, "2", at(1));
    typed(&mut k, "ft-2026-1", at(1));
    k.update(Action::Next, at(1));
    typed(&mut k, "56", at(1));
    snap("lookup_typing_zh", &k);
    typed(&mut k, "78", at(2));
    k.update(Action::Enter, at(2));
    let text = render(&k, 80, 24);
    for secret in [
        "张三丰",
        "王芳",
        "某某物流",
        "16,974",
        "16974",
        "拖欠",
        "李华",
    ] {
        assert!(!text.contains(secret), "{secret} shown:\n{text}");
    }
    assert!(text.contains("王老师"), "{text}");
    snap("status_zh", &k);
    let mut en = kiosk(Lang::En);
    lookup(&mut en, "FT20260001", "5678", at(1));
    snap("status_en", &en);
}

#[test]
fn case_status_not_found_then_wait() {
    let mut k = kiosk(Lang::ZhCn);
    lookup(&mut k, "FT-2026-0001", "1234", at(1));
    snap("not_found_zh", &k);
    let found_nothing = render(&k, 80, 24);
    // A number that does not exist looks exactly the same.
    let mut other = kiosk(Lang::ZhCn);
    lookup(&mut other, "FT-2026-0099", "1234", at(1));
    assert_eq!(
        render(&other, 80, 24).replace("FT-2026-0099", "FT-2026-0001"),
        found_nothing
    );
    lookup(&mut k, "FT-2026-0002", "5678", at(2));
    lookup(&mut k, "FT-2026-0001", "8765", at(3));
    k.tick(at(4));
    snap("wait_zh", &k);
    k.tick(at(6));
    assert!(render(&k, 80, 24).contains("请 2 秒后再试"));
}

#[test]
fn incomplete_lookup_fields() {
    let mut k = kiosk(Lang::ZhCn);
    typed(&mut k, "2", at(1));
    k.update(Action::Enter, at(1));
    snap("lookup_need_number_zh", &k);
    typed(&mut k, "FT-2026-0001", at(2));
    k.update(Action::Enter, at(2));
    typed(&mut k, "12", at(2));
    k.update(Action::Enter, at(2));
    snap("lookup_need_digits_zh", &k);
}

#[test]
fn pin_prompt() {
    let mut k = kiosk(Lang::ZhCn);
    k.update(Action::Exit, at(1));
    typed(&mut k, "13", at(1));
    snap("pin_zh", &k);
    typed(&mut k, "57", at(2));
    k.update(Action::Enter, at(2));
    snap("pin_wrong_zh", &k);
    typed(&mut k, "0000", at(3));
    k.update(Action::Enter, at(3));
    typed(&mut k, "0000", at(4));
    k.update(Action::Enter, at(4));
    snap("pin_wait_zh", &k);
    let mut en = kiosk(Lang::En);
    en.update(Action::Exit, at(1));
    typed(&mut en, "1", at(1));
    snap("pin_en", &en);
}

#[test]
fn too_small_a_terminal_says_so() {
    let mut k = kiosk(Lang::ZhCn);
    k.resized(60, 20);
    insta::assert_snapshot!("too_small_zh", render(&k, 60, 20));
    k.resized(80, 24);
    assert!(render(&k, 80, 24).contains("签到"));
}

/// Scripted events; when they run out, the loop would wait forever, so the
/// test fails instead.
struct Script(VecDeque<Event>);

impl Events for Script {
    fn next(&mut self, _timeout: StdDuration) -> io::Result<Option<Event>> {
        match self.0.pop_front() {
            Some(ev) => Ok(Some(ev)),
            None => Err(io::Error::other(
                "the script ran out before the kiosk was left",
            )),
        }
    }
    fn pending(&mut self) -> io::Result<Option<Event>> {
        Ok(None)
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

#[test]
fn the_loop_ignores_escape_keys_and_ends_only_with_a_pin() {
    let mut k = kiosk(Lang::ZhCn);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let none = KeyModifiers::NONE;
    let ctrl = KeyModifiers::CONTROL;
    let mut script: Vec<Event> = vec![
        key(KeyCode::Char('c'), ctrl),
        key(KeyCode::Char('z'), ctrl),
        key(KeyCode::Char('4'), ctrl),
        key(KeyCode::Char('d'), ctrl),
        key(KeyCode::Char('x'), KeyModifiers::ALT),
        key(KeyCode::Esc, none),
        key(KeyCode::F(1), none),
        key(KeyCode::F(10), none),
        key(KeyCode::F(12), none),
    ];
    for c in "0000".chars() {
        script.push(key(KeyCode::Char(c), none));
    }
    script.push(key(KeyCode::Enter, none));
    for c in PIN.chars() {
        script.push(key(KeyCode::Char(c), none));
    }
    script.push(key(KeyCode::Enter, none));
    let mut events = Script(script.into());
    let clock = || at(5);
    waystation::kiosk::term::run_loop(&mut terminal, &mut k, &mut events, &clock).unwrap();
    assert!(k.quit());
    assert!(events.0.is_empty(), "every key was read");
    let log = k.store().audit_entries(3).unwrap();
    assert_eq!(log[0].action_kind(), Some(AuditAction::KioskExit));
    assert_eq!(log[0].actor_name.as_deref(), Some("王芳"));
}

#[test]
fn the_loop_without_the_pin_never_ends() {
    let mut k = kiosk(Lang::ZhCn);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let script = vec![
        key(KeyCode::Char('c'), KeyModifiers::CONTROL),
        key(KeyCode::F(12), KeyModifiers::NONE),
        key(KeyCode::Esc, KeyModifiers::NONE),
    ];
    let mut events = Script(script.into());
    let clock = || at(5);
    let out = waystation::kiosk::term::run_loop(&mut terminal, &mut k, &mut events, &clock);
    assert!(out.is_err(), "the loop ended without a PIN");
    assert!(!k.quit());
    assert!(k.screen.is_home());
}
