//! Cases that travel between stations: every step of a referral,
//! escalation or hand-over is an ordinary logged change that syncs; who may
//! take which step is the store's rule at every station; two stations
//! acting on one escalation while apart end the same everywhere, both steps
//! kept in the timeline and the one that lost listed.

use crate::common;

use chrono::{Days, NaiveDate, Utc};
use waystation::domain::case::Referral;
use waystation::domain::error::ValidationError;
use waystation::domain::handoff::{
    HandoffKind, HandoffOutcome, HandoffStatus, NewHandoff, Side, may_take,
};
use waystation::domain::ids::{CaseId, HandoffId, StationId};
use waystation::store::{Entity, Step, Store, StoreError, TimelineEvent};

fn station(code: &str, name: &str) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.init_station(code, name, "Asia/Shanghai").unwrap();
    s
}

fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

fn escalation(due: Option<NaiveDate>) -> NewHandoff {
    NewHandoff {
        kind: HandoffKind::Escalation,
        target: None,
        agency: None,
        reference: None,
        asked: Some("欠薪涉及十二人，请区总工会协调".into()),
        sent_on: today(),
        due,
    }
}

fn referral(target: Referral) -> NewHandoff {
    NewHandoff {
        kind: HandoffKind::Referral,
        target: Some(target),
        agency: Some("市南区劳动人事争议仲裁委员会".into()),
        reference: None,
        asked: Some("申请仲裁，追索欠发工资".into()),
        sent_on: today(),
        due: None,
    }
}

/// Station FT and the district office QU, FT with one open case.
fn two() -> (Vec<Store>, CaseId, StationId) {
    let mut a = station("FT", "福田驿站");
    let qu = station("QU", "市南区总工会");
    let p = common::add_person(&mut a, "张三", "13800138000");
    let (case, _) = a
        .write(|w| w.open_case(&common::new_case(vec![p], Utc::now())))
        .unwrap();
    let district = qu.station_id().unwrap().unwrap();
    let mut rs = vec![a, qu];
    common::exchange_all(&mut rs);
    (rs, case, district)
}

fn refused(e: StoreError) -> ValidationError {
    match e {
        StoreError::Invalid(v) => v,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn status(s: &Store, id: HandoffId) -> HandoffStatus {
    s.handoff(id).unwrap().unwrap().status
}

#[test]
fn an_escalation_travels_to_the_district_and_its_answers_come_back() {
    let (mut rs, case, district) = two();
    let due = today().checked_add_days(Days::new(7)).unwrap();
    let id = rs[0]
        .write(|w| w.hand_off(case, &escalation(Some(due)), Some(district)))
        .unwrap();
    // The case's follow-up is its answer's due date.
    assert_eq!(rs[0].case(case).unwrap().unwrap().follow_up, Some(due));
    // The station cannot answer its own escalation.
    let e = rs[0]
        .write(|w| w.handoff_step(id, &Step::to(HandoffStatus::Accepted, today())))
        .unwrap_err();
    assert_eq!(
        refused(e),
        ValidationError::HandoffNotYours {
            to: "accepted",
            receiver: true
        }
    );
    common::exchange_all(&mut rs);
    // The district sees it handed to it, waiting for an answer.
    assert_eq!(rs[1].handed_to(district, 50).unwrap(), vec![case]);
    assert_eq!(rs[1].waiting_for(district).unwrap(), 1);
    // It cannot withdraw what it received.
    let e = rs[1]
        .write(|w| w.handoff_step(id, &Step::to(HandoffStatus::Withdrawn, today())))
        .unwrap_err();
    assert!(matches!(
        refused(e),
        ValidationError::HandoffNotYours {
            receiver: false,
            ..
        }
    ));
    rs[1]
        .write(|w| w.handoff_step(id, &Step::to(HandoffStatus::Accepted, today())))
        .unwrap();
    assert_eq!(rs[1].waiting_for(district).unwrap(), 0);
    // Accepted, the district holds the case: it refers it to arbitration;
    // the station that only sent it may not.
    let arb = rs[1]
        .write(|w| w.hand_off(case, &referral(Referral::Arbitration), None))
        .unwrap();
    common::exchange_all(&mut rs);
    assert_eq!(status(&rs[0], id), HandoffStatus::Accepted);
    assert_eq!(
        rs[0].handoff(id).unwrap().unwrap().accepted_on,
        Some(today())
    );
    assert_eq!(status(&rs[0], arb), HandoffStatus::Sent);
    let e = rs[0]
        .write(|w| w.handoff_step(arb, &Step::to(HandoffStatus::Accepted, today())))
        .unwrap_err();
    assert_eq!(refused(e), ValidationError::HandoffNotHeld);
    // The district records what arbitration did, then ends its escalation.
    let mut done = Step::to(HandoffStatus::Done, today());
    done.outcome = Some(HandoffOutcome::Supported);
    done.result = Some("裁决支付工资 86,400 元".into());
    rs[1]
        .write(|w| {
            w.handoff_step(arb, &Step::to(HandoffStatus::Accepted, today()))?;
            w.handoff_step(arb, &done)?;
            w.handoff_step(id, &done)
        })
        .unwrap();
    common::exchange_all(&mut rs);
    for s in &rs {
        let h = s.handoff(arb).unwrap().unwrap();
        assert_eq!(h.status, HandoffStatus::Done);
        assert_eq!(h.outcome, Some(HandoffOutcome::Supported));
        assert_eq!(h.concluded_on, Some(today()));
        assert_eq!(h.due, None);
        assert_eq!(
            s.case(case).unwrap().unwrap().referral,
            Some(Referral::Arbitration)
        );
        // Every step in the case's timeline, in order, at both ends.
        let steps: Vec<(HandoffKind, Option<HandoffStatus>)> = s
            .case_timeline(case)
            .unwrap()
            .into_iter()
            .filter_map(|e| match e.event {
                TimelineEvent::Handoff {
                    handoff, status, ..
                } => Some((handoff.kind, status)),
                _ => None,
            })
            .collect();
        use HandoffKind::{Escalation as E, Referral as R};
        use HandoffStatus::*;
        assert_eq!(
            steps,
            vec![
                (E, Some(Sent)),
                (E, Some(Accepted)),
                (R, Some(Sent)),
                (R, Some(Accepted)),
                (R, Some(Done)),
                (E, Some(Done)),
            ]
        );
        assert!(s.handed_to(district, 50).unwrap().is_empty());
    }
}

#[test]
fn two_stations_acting_apart_on_one_escalation_end_alike_and_nothing_is_lost() {
    let (mut rs, case, district) = two();
    let id = rs[0]
        .write(|w| w.hand_off(case, &escalation(None), Some(district)))
        .unwrap();
    common::exchange_all(&mut rs);
    // Apart: the station withdraws it while the district accepts it.
    rs[0]
        .write(|w| {
            let mut s = Step::to(HandoffStatus::Withdrawn, today());
            s.reason = Some("工人已与公司和解".into());
            w.handoff_step(id, &s)
        })
        .unwrap();
    rs[1]
        .write(|w| w.handoff_step(id, &Step::to(HandoffStatus::Accepted, today())))
        .unwrap();
    common::exchange_all(&mut rs);
    let a = rs[0].handoff(id).unwrap().unwrap();
    let b = rs[1].handoff(id).unwrap().unwrap();
    assert_eq!(a, b, "both ends hold the same record");
    // Both steps are in the timeline at both ends.
    for s in &rs {
        let steps: Vec<HandoffStatus> = s
            .case_timeline(case)
            .unwrap()
            .into_iter()
            .filter_map(|e| match e.event {
                TimelineEvent::Handoff { status, .. } => status,
                _ => None,
            })
            .collect();
        assert!(steps.contains(&HandoffStatus::Withdrawn), "{steps:?}");
        assert!(steps.contains(&HandoffStatus::Accepted), "{steps:?}");
        // The step that lost is listed for staff to decide.
        let listed: Vec<_> = s
            .record_conflicts()
            .unwrap()
            .into_iter()
            .filter(|c| c.entity == Entity::Handoff && c.field == "status")
            .collect();
        assert_eq!(listed.len(), 1, "{listed:?}");
        let values = [
            listed[0].winner_value.as_str().unwrap(),
            listed[0].loser_value.as_str().unwrap(),
        ];
        assert!(values.contains(&"withdrawn") && values.contains(&"accepted"));
    }
    assert_eq!(
        common::conflicts_as_read(&rs[0]),
        common::conflicts_as_read(&rs[1])
    );
}

/// Every step from every state, by each side, is taken or refused at the
/// store exactly as the life and the rule of who answers say, and a taken
/// step reaches the other station.
#[test]
fn every_step_by_every_side_is_decided_in_the_store() {
    use HandoffStatus::*;
    // The path that brings a new handoff to each state, by the side that
    // may take it.
    let paths: &[(HandoffStatus, &[HandoffStatus])] = &[
        (Sent, &[]),
        (Accepted, &[Accepted]),
        (InProgress, &[Accepted, InProgress]),
        (Rejected, &[Rejected]),
        (Done, &[Accepted, Done]),
        (Withdrawn, &[Withdrawn]),
    ];
    let mut checked = 0;
    for kind in [
        HandoffKind::Escalation,
        HandoffKind::Transfer,
        HandoffKind::Referral,
    ] {
        for (from, path) in paths {
            for to in HandoffStatus::ALL.iter().copied() {
                for side in [Side::Sender, Side::Receiver] {
                    let (mut rs, case, other) = two();
                    let h = match kind {
                        HandoffKind::Referral => referral(Referral::LegalAidCentre),
                        _ => NewHandoff {
                            kind,
                            ..escalation(None)
                        },
                    };
                    let to_station = (kind != HandoffKind::Referral).then_some(other);
                    let id = rs[0].write(|w| w.hand_off(case, &h, to_station)).unwrap();
                    common::exchange_all(&mut rs);
                    for s in *path {
                        // Each step of the path by whoever may take it.
                        let at = if may_take(kind, Side::Sender, *s) {
                            0
                        } else {
                            1
                        };
                        let mut st = Step::to(*s, today());
                        st.reason = Some("材料不全".into());
                        rs[at].write(|w| w.handoff_step(id, &st)).unwrap();
                        common::exchange_all(&mut rs);
                    }
                    assert_eq!(status(&rs[1], id), *from);
                    let at = if side == Side::Sender { 0 } else { 1 };
                    let mut st = Step::to(to, today());
                    st.reason = Some("材料不全".into());
                    let taken = rs[at].write(|w| w.handoff_step(id, &st));
                    // A referral to an outside body has no receiving
                    // station: the district here is "another station".
                    let side_here = match (kind, side) {
                        (HandoffKind::Referral, Side::Receiver) => Side::Other,
                        _ => side,
                    };
                    let allowed = from.can_become(to) && may_take(kind, side_here, to);
                    assert_eq!(
                        taken.is_ok(),
                        allowed,
                        "{kind:?} {from:?}→{to:?} by {side:?}: {taken:?}"
                    );
                    if allowed {
                        common::exchange_all(&mut rs);
                        assert_eq!(status(&rs[1 - at], id), to);
                    } else {
                        assert_eq!(status(&rs[at], id), *from, "a refused step changes nothing");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 3 * 6 * 6 * 2);
}

#[test]
fn what_a_handoff_asks_is_checked() {
    let (mut rs, case, district) = two();
    let own = rs[0].station_id().unwrap().unwrap();
    // Handing to oneself, to nobody, or a referral without its kind.
    let e = rs[0]
        .write(|w| w.hand_off(case, &escalation(None), Some(own)))
        .unwrap_err();
    assert_eq!(refused(e), ValidationError::HandoffToSelf);
    let e = rs[0]
        .write(|w| w.hand_off(case, &escalation(None), None))
        .unwrap_err();
    assert_eq!(refused(e), ValidationError::HandoffNoTarget);
    let e = rs[0]
        .write(|w| {
            w.hand_off(
                case,
                &NewHandoff {
                    target: None,
                    ..referral(Referral::Court)
                },
                None,
            )
        })
        .unwrap_err();
    assert_eq!(refused(e), ValidationError::HandoffNoTarget);
    // A due date before the day it was sent.
    let e = rs[0]
        .write(|w| {
            w.hand_off(
                case,
                &escalation(today().checked_sub_days(Days::new(1))),
                Some(district),
            )
        })
        .unwrap_err();
    assert!(matches!(refused(e), ValidationError::DueBeforeSent { .. }));
    // The district may not refer a case it was never handed.
    let e = rs[1]
        .write(|w| w.hand_off(case, &referral(Referral::Court), None))
        .unwrap_err();
    assert_eq!(refused(e), ValidationError::HandoffNotHeld);
    // A rejection says why.
    let id = rs[0]
        .write(|w| w.hand_off(case, &escalation(None), Some(district)))
        .unwrap();
    common::exchange_all(&mut rs);
    let e = rs[1]
        .write(|w| w.handoff_step(id, &Step::to(HandoffStatus::Rejected, today())))
        .unwrap_err();
    assert_eq!(refused(e), ValidationError::HandoffNoReason);
    // Nothing refused was written.
    assert_eq!(rs[0].handoffs_of(case).unwrap().len(), 1);
    assert_eq!(status(&rs[1], id), HandoffStatus::Sent);
}
