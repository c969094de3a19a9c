//! Cases that travel, by keys: `r` refers a case (and refuses an
//! escalation while no other station is known, next to the field), `g`
//! takes the next step, `k` types the day the worker knew (a day ahead
//! refused next to it) and the time limit shows; `u` lists what another
//! station handed to this one; `b` opens the respondent's page, `e` there
//! records its credit code (a mistyped one refused next to the field); the
//! register's respondent is offered while one is typed, Ctrl-R takes it.

use crate::common;

use common::console::*;
use ratatui::crossterm::event::KeyCode;
use waystation::domain::case::{CaseType, Referral};
use waystation::domain::handoff::{HandoffKind, HandoffStatus, NewHandoff};
use waystation::domain::ids::CaseId;
use waystation::i18n::Lang;
use waystation::store::{CaseQuery, StatusFilter, Store};
use waystation::tui::action::PaneId;
use waystation::tui::app::App;

fn cases_app(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = fixture_app(dir, lang);
    press(&mut app, KeyCode::F(2));
    assert_eq!(app.pane, PaneId::Cases);
    app
}

/// An open wage case of the fixture with no referral yet, shown.
fn show_wage_case(app: &mut App) -> CaseId {
    let q = CaseQuery {
        status: Some(StatusFilter::Open),
        case_type: Some(CaseType::WageArrears),
        ..CaseQuery::default()
    };
    let id = app
        .store
        .case_queue(&q)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .find(|id| app.store.handoffs_of(*id).unwrap().is_empty())
        .expect("an open wage case");
    jump_to_case(app, id);
    id
}

#[test]
fn a_referral_by_keys_and_its_next_step() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = cases_app(&dir, lang);
        let id = show_wage_case(&mut app);
        // An escalation while this database knows no other station: said
        // next to the field, nothing written.
        type_text(&mut app, "r");
        press(&mut app, KeyCode::Right); // kind: escalation
        send(&mut app, ctrl('s'));
        assert!(app.cases.dialog_open());
        let sync_once = if lang == Lang::ZhCn {
            "F5 同步"
        } else {
            "sync in F5"
        };
        assert!(shows(&app, sync_once), "{}", render(&app, 120, 40));
        assert!(app.store.handoffs_of(id).unwrap().is_empty());
        // A referral to arbitration, with what is asked and a due date.
        press(&mut app, KeyCode::BackTab); // the refusal took the focus to the station
        press(&mut app, KeyCode::Left); // back to a referral
        press(&mut app, KeyCode::Tab); // the body's kind: arbitration
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "市南区劳动人事争议仲裁委员会");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "申请仲裁追索欠薪");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "2026-11-25");
        insta::assert_snapshot!(format!("travel_refer_{lang:?}_80x24"), render(&app, 80, 24));
        send(&mut app, ctrl('s'));
        assert!(!app.cases.dialog_open(), "{}", render(&app, 120, 40));
        let h = app.store.handoffs_of(id).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].kind, HandoffKind::Referral);
        assert_eq!(h[0].target, Some(Referral::Arbitration));
        assert_eq!(h[0].agency.as_deref(), Some("市南区劳动人事争议仲裁委员会"));
        assert_eq!(h[0].due, chrono::NaiveDate::from_ymd_opt(2026, 11, 25));
        assert!(shows(&app, "市南区劳动人事争议仲裁委员会"));
        // The next step: accepted, with the commission's number.
        type_text(&mut app, "g");
        assert!(app.cases.dialog_open());
        press(&mut app, KeyCode::Tab); // the step: accepted (the first)
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "青南劳人仲案字〔2026〕第118号");
        send(&mut app, ctrl('s'));
        let h = app.store.handoff(h[0].id).unwrap().unwrap();
        assert_eq!(h.status, HandoffStatus::Accepted);
        assert_eq!(
            h.reference.as_deref(),
            Some("青南劳人仲案字〔2026〕第118号")
        );
        // Accepted by arbitration: the award's 45 days show as a limit.
        let award = if lang == Lang::ZhCn {
            "仲裁裁决期限"
        } else {
            "Arbitration award due"
        };
        assert!(shows(&app, award), "{}", render(&app, 120, 40));
        insta::assert_snapshot!(
            format!("travel_detail_{lang:?}_120x40"),
            render(&app, 120, 40)
        );
    }
}

#[test]
fn the_day_the_worker_knew_starts_the_arbitration_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let id = show_wage_case(&mut app);
    assert!(shows(&app, "按 k 填写"), "{}", render(&app, 120, 40));
    type_text(&mut app, "k");
    type_text(&mut app, "2027-01-05");
    press(&mut app, KeyCode::Enter);
    // A day ahead of today is refused beside the field, the text kept.
    assert!(app.cases.dialog_open());
    assert!(shows(&app, "晚于今天"), "{}", render(&app, 120, 40));
    assert!(shows(&app, "2027-01-05"));
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2025-12-01");
    press(&mut app, KeyCode::Enter);
    assert!(!app.cases.dialog_open(), "{}", render(&app, 120, 40));
    assert_eq!(
        app.store.case(id).unwrap().unwrap().infringed_on,
        chrono::NaiveDate::from_ymd_opt(2025, 12, 1)
    );
    // The fixture's today is 2026-11-20: eleven days left, a warning.
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("申请劳动仲裁时效：⚠ 2026-12-01 截止，还剩 11 天"),
        "{screen}"
    );
    assert!(screen.contains("第二十七条"), "{screen}");
    // With its follow-up cleared (f, the date deleted), the queue shows
    // the limit in its place, marked.
    type_text(&mut app, "f");
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.case(id).unwrap().unwrap().follow_up, None);
    press(&mut app, KeyCode::Esc);
    let number = app.store.case(id).unwrap().unwrap().number.to_string();
    let screen = render(&app, 120, 40);
    let row = screen
        .lines()
        .find(|l| l.contains(&number))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("⚠2026-12-01"), "{row}");
}

#[test]
fn what_another_station_handed_here_is_listed_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    // Station NS learns this station by sync, opens a case and escalates
    // it here.
    let mut ns = Store::open_in_memory().unwrap();
    ns.init_station("NS", "南山驿站", "Asia/Shanghai").unwrap();
    let here = app.store.station_id().unwrap().unwrap();
    ns.apply_remote(&app.store.all_ops().unwrap()).unwrap();
    let p = common::add_person(&mut ns, "南山工人", "13700001234");
    let (case, _) = ns
        .write(|w| w.open_case(&common::new_case(vec![p], common::console::fixture_now())))
        .unwrap();
    let sent_on = common::console::fixture_day();
    let handoff = ns
        .write(|w| {
            w.hand_off(
                case,
                &NewHandoff {
                    kind: HandoffKind::Escalation,
                    target: None,
                    agency: None,
                    reference: None,
                    asked: Some("跨区欠薪，请区总工会协调".into()),
                    sent_on,
                    due: None,
                },
                Some(here),
            )
        })
        .unwrap();
    app.store.apply_remote(&ns.all_ops().unwrap()).unwrap();
    press(&mut app, KeyCode::F(2));
    // The filter line says one waits for an answer; u lists it alone.
    assert!(shows(&app, "1 件待答复"), "{}", render(&app, 120, 40));
    type_text(&mut app, "u");
    assert_eq!(app.cases.rows().len(), 1, "{}", render(&app, 120, 40));
    assert_eq!(app.cases.rows()[0].id, case);
    insta::assert_snapshot!("travel_handed_to_us_80x24", render(&app, 80, 24));
    press(&mut app, KeyCode::Enter);
    // Answered here: accepted.
    type_text(&mut app, "g");
    assert!(shows(&app, "已受理"), "{}", render(&app, 120, 40));
    send(&mut app, ctrl('s'));
    assert_eq!(
        app.store.handoff(handoff).unwrap().unwrap().status,
        HandoffStatus::Accepted
    );
    // The answer reaches the station that sent it.
    ns.apply_remote(&app.store.all_ops().unwrap()).unwrap();
    assert_eq!(
        ns.handoff(handoff).unwrap().unwrap().status,
        HandoffStatus::Accepted
    );
}

#[test]
fn the_respondent_page_and_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let id = show_wage_case(&mut app);
    let rid = app.store.case(id).unwrap().unwrap().respondent_id;
    assert!(rid.is_some(), "the fixture's cases link the register");
    type_text(&mut app, "b");
    let name = app.store.respondent(rid.unwrap()).unwrap().unwrap().name;
    assert!(shows(&app, &name), "{}", render(&app, 120, 40));
    assert!(shows(&app, "各站点的案件"));
    type_text(&mut app, "e");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "91350100M000100Y44");
    send(&mut app, ctrl('s'));
    assert!(shows(&app, "最后一位应为“3”"), "{}", render(&app, 120, 40));
    insta::assert_snapshot!("travel_respondent_code_refused_80x24", render(&app, 80, 24));
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "3");
    send(&mut app, ctrl('s'));
    let r = app.store.respondent(rid.unwrap()).unwrap().unwrap();
    assert_eq!(r.credit_code.as_deref(), Some("91350100M000100Y43"));
    assert!(shows(&app, "统一社会信用代码：91350100M000100Y43"));
    // Enter opens the case highlighted; Esc goes back.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.cases.shown_case(), Some(id));
}

#[test]
fn the_register_offers_a_respondent_as_it_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = cases_app(&dir, Lang::ZhCn);
    let id = show_wage_case(&mut app);
    let name = app.store.case(id).unwrap().unwrap().respondent.unwrap();
    // Another case's respondent changed to a part of this one's name.
    type_text(&mut app, "e");
    for _ in 0..40 {
        press(&mut app, KeyCode::Backspace);
    }
    let part: String = name.chars().skip(3).take(4).collect();
    type_text(&mut app, &part);

    assert!(
        shows(&app, "Ctrl-R 选用登记册中的"),
        "{}",
        render(&app, 120, 40)
    );
    send(&mut app, ctrl('r'));
    assert!(shows(&app, &name));
    press(&mut app, KeyCode::Enter);
    let c = app.store.case(id).unwrap().unwrap();
    assert_eq!(c.respondent.as_deref(), Some(name.as_str()));
}
