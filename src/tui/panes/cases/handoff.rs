//! The dialogs of cases that travel: refer, escalate or hand over a case
//! (`r`), take the next step of one (`g`: accept, reject, in progress,
//! done, withdraw — only the steps this station may take are offered), and
//! the day the worker knew of the infringement (`k`), where the
//! arbitration time limit runs from. The store decides; these ask.

use super::detail::Detail;
use super::dialog::{Dialog, Done, Kind};
use super::{invalid, parse_day};
use crate::domain::case::Referral;
use crate::domain::handoff::{HandoffKind, HandoffOutcome, HandoffStatus, NewHandoff, Side, steps};
use crate::domain::ids::StationId;
use crate::i18n::{Lang, Localized};
use crate::store::{Handoff, Step};
use crate::t;
use crate::tui::panes::Ctx;
use crate::tui::widgets::field::{Field, Value};

/// Fields of the new-handoff dialog.
pub const KIND: usize = 0;
pub const DEST: usize = 1;
pub const AGENCY: usize = 2;
pub const ASKED: usize = 3;
pub const DUE: usize = 4;
pub const REFERENCE: usize = 5;

/// Fields of the step dialog.
pub const WHICH: usize = 0;
pub const TO: usize = 1;
pub const REASON: usize = 2;
pub const OUTCOME: usize = 3;
pub const RESULT: usize = 4;
pub const STEP_REF: usize = 5;
pub const NEXT_DUE: usize = 6;

/// What the new-handoff dialog offers.
#[derive(Debug, Clone, PartialEq)]
pub struct NewState {
    /// The other stations, the one escalated to most first.
    pub stations: Vec<(StationId, String)>,
    /// The kind the destinations are listed for.
    shown_kind: usize,
}

/// What the step dialog offers: the handoffs this station may move, each
/// with its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct StepState {
    pub open: Vec<(Handoff, Vec<HandoffStatus>)>,
    shown_which: usize,
}

const KINDS: [HandoffKind; 3] = [
    HandoffKind::Referral,
    HandoffKind::Escalation,
    HandoffKind::Transfer,
];

fn dest_labels(kind: HandoffKind, stations: &[(StationId, String)], lang: Lang) -> Vec<String> {
    match kind {
        HandoffKind::Referral => Referral::ALL
            .iter()
            .map(|r| r.label(lang).to_owned())
            .collect(),
        _ if stations.is_empty() => vec![t!(lang, "handoff.no_stations").to_owned()],
        _ => stations.iter().map(|(_, n)| n.clone()).collect(),
    }
}

/// The dialog of `r`: where the case goes, what is asked, by when.
pub fn open_new(cx: &mut Ctx, d: &Detail) -> Option<Dialog> {
    let lang = cx.lang;
    let stations: Vec<(StationId, String)> = match cx.store.stations_to_hand_to() {
        Ok(s) => s.into_iter().map(|s| (s.id, s.name)).collect(),
        Err(e) => {
            cx.store_error(e);
            return None;
        }
    };
    let _ = d;
    let kinds = KINDS.iter().map(|k| k.label(lang).to_owned()).collect();
    let fields = vec![
        Field::choice(t!(lang, "handoff.f_kind"), kinds, 0),
        Field::choice(
            t!(lang, "handoff.f_dest"),
            dest_labels(HandoffKind::Referral, &stations, lang),
            0,
        ),
        Field::text(t!(lang, "handoff.f_agency"), "").with_hint(t!(lang, "handoff.agency_hint")),
        Field::text(t!(lang, "handoff.f_asked"), "").with_hint(t!(lang, "handoff.asked_hint")),
        Field::text(t!(lang, "handoff.f_due"), "").with_hint(t!(lang, "cases.date_hint")),
        Field::text(t!(lang, "handoff.f_reference"), ""),
    ];
    Some(Dialog::with(
        Kind::HandOff(NewState {
            stations,
            shown_kind: 0,
        }),
        fields,
    ))
}

/// Which side of `h` this station is on.
fn side(h: &Handoff, own: Option<StationId>) -> Side {
    match own {
        Some(o) if h.to_station == Some(o) => Side::Receiver,
        Some(o) if h.from_station == o => Side::Sender,
        _ => Side::Other,
    }
}

fn which_label(h: &Handoff, lang: Lang) -> String {
    format!(
        "{} {} · {}",
        h.kind.label(lang),
        h.whereto(lang),
        h.status.label(lang)
    )
}

fn step_labels(steps: &[HandoffStatus], lang: Lang) -> Vec<String> {
    steps.iter().map(|s| s.label(lang).to_owned()).collect()
}

/// The dialog of `g`: the next step of a referral, escalation or
/// hand-over this station may move. None (and says why) when there is none.
pub fn open_step(cx: &mut Ctx, d: &Detail) -> Option<Dialog> {
    let lang = cx.lang;
    let own = match cx.store.station_id() {
        Ok(o) => o,
        Err(e) => {
            cx.store_error(e);
            return None;
        }
    };
    let open: Vec<(Handoff, Vec<HandoffStatus>)> = d
        .handoffs
        .iter()
        .filter_map(|h| {
            let s = steps(h.kind, side(h, own), h.status);
            (!s.is_empty()).then(|| (h.clone(), s))
        })
        .collect();
    if open.is_empty() {
        cx.info(if d.handoffs.iter().any(|h| h.status.is_open()) {
            t!(lang, "handoff.none_yours")
        } else {
            t!(lang, "handoff.none_open")
        });
        return None;
    }
    let whiches = open.iter().map(|(h, _)| which_label(h, lang)).collect();
    let first = step_labels(&open[0].1, lang);
    let fields = vec![
        Field::choice(t!(lang, "handoff.f_which"), whiches, 0),
        Field::choice(t!(lang, "handoff.f_step"), first, 0),
        Field::text(t!(lang, "handoff.f_reason"), ""),
        Field::choice(
            t!(lang, "handoff.f_outcome"),
            HandoffOutcome::ALL
                .iter()
                .map(|o| o.label(lang).to_owned())
                .collect(),
            0,
        ),
        Field::text(t!(lang, "handoff.f_result"), "").with_hint(t!(lang, "handoff.result_hint")),
        Field::text(t!(lang, "handoff.f_reference"), ""),
        Field::text(t!(lang, "handoff.f_next_due"), "").with_hint(t!(lang, "cases.date_hint")),
    ];
    Some(Dialog::with(
        Kind::Step(StepState {
            open,
            shown_which: 0,
        }),
        fields,
    ))
}

/// The dialog of `k`: the day the worker knew of the infringement.
pub fn open_infringed(lang: Lang, d: &Detail) -> Dialog {
    let date = d
        .case
        .infringed_on
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    Dialog::with(
        Kind::Infringed,
        vec![
            Field::text(t!(lang, "handoff.f_infringed"), &date)
                .with_hint(t!(lang, "handoff.infringed_hint")),
        ],
    )
}

fn chosen_kind(dlg: &Dialog) -> HandoffKind {
    KINDS
        .get(dlg.form.field(KIND).selected())
        .copied()
        .unwrap_or(HandoffKind::Referral)
}

/// The step chosen in the step dialog.
fn chosen_step(dlg: &Dialog) -> Option<(&Handoff, HandoffStatus)> {
    let Kind::Step(st) = &dlg.kind else {
        return None;
    };
    let (h, s) = st.open.get(dlg.form.field(WHICH).selected())?;
    Some((h, *s.get(dlg.form.field(TO).selected())?))
}

/// Whether field `i` of a handoff dialog is shown.
pub fn visible(dlg: &Dialog, i: usize) -> bool {
    match &dlg.kind {
        Kind::HandOff(_) => match i {
            AGENCY | REFERENCE => chosen_kind(dlg) == HandoffKind::Referral,
            _ => true,
        },
        Kind::Step(_) => {
            let to = chosen_step(dlg).map(|(_, s)| s);
            match i {
                REASON => matches!(to, Some(HandoffStatus::Rejected | HandoffStatus::Withdrawn)),
                OUTCOME | RESULT => to == Some(HandoffStatus::Done),
                STEP_REF => matches!(
                    to,
                    Some(HandoffStatus::Accepted | HandoffStatus::InProgress)
                ),
                NEXT_DUE => to.is_some_and(HandoffStatus::is_open),
                _ => true,
            }
        }
        _ => true,
    }
}

/// After a key: the choices that follow another choice are listed again
/// when that one changed (a station's list for an escalation, the steps of
/// the handoff chosen).
pub fn follow_choices(dlg: &mut Dialog, lang: Lang) {
    let kind = chosen_kind(dlg);
    let which = dlg.form.field(WHICH).selected();
    match &mut dlg.kind {
        Kind::HandOff(st) => {
            let k = KINDS.iter().position(|x| *x == kind).unwrap_or(0);
            if k != st.shown_kind {
                st.shown_kind = k;
                let labels = dest_labels(kind, &st.stations, lang);
                let f = dlg.form.field_mut(DEST);
                f.value = Value::Choice {
                    options: labels,
                    selected: 0,
                };
                f.error = None;
            }
        }
        Kind::Step(st) if which != st.shown_which => {
            st.shown_which = which;
            let labels = st
                .open
                .get(which)
                .map(|(_, s)| step_labels(s, lang))
                .unwrap_or_default();
            dlg.form.field_mut(TO).value = Value::Choice {
                options: labels,
                selected: 0,
            };
        }
        _ => {}
    }
}

/// An optional text field's value.
fn opt(dlg: &Dialog, i: usize) -> Option<String> {
    let s = dlg.form.field(i).text_value().trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// Checks the fields and writes: the new handoff, the step, or the day.
pub fn submit(dlg: &mut Dialog, cx: &mut Ctx, d: &Detail) -> Done {
    let lang = cx.lang;
    let today = cx.today();
    let case = d.case.id;
    let date = |dlg: &mut Dialog, i: usize| -> Result<Option<chrono::NaiveDate>, ()> {
        parse_day(dlg.form.field(i).text_value(), today, lang).map_err(|m| dlg.form.refuse(i, m))
    };
    let (written, done, field) = match &dlg.kind {
        Kind::HandOff(st) => {
            let kind = chosen_kind(dlg);
            let dest = dlg.form.field(DEST).selected();
            let (target, to_station) = match kind {
                HandoffKind::Referral => (Referral::ALL.get(dest).copied(), None),
                _ => match st.stations.get(dest) {
                    Some((id, _)) => (None, Some(*id)),
                    None => {
                        dlg.form
                            .refuse(DEST, t!(lang, "handoff.need_sync").to_owned());
                        return Done::Stay;
                    }
                },
            };
            let whereto = match kind {
                HandoffKind::Referral => opt(dlg, AGENCY)
                    .or_else(|| target.map(|t| t.label(lang).to_owned()))
                    .unwrap_or_default(),
                _ => st
                    .stations
                    .get(dest)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
            };
            let Ok(due) = date(dlg, DUE) else {
                return Done::Stay;
            };
            let referral = kind == HandoffKind::Referral;
            let h = NewHandoff {
                kind,
                target,
                agency: opt(dlg, AGENCY).filter(|_| referral),
                reference: opt(dlg, REFERENCE).filter(|_| referral),
                asked: opt(dlg, ASKED),
                sent_on: today,
                due,
            };
            (
                cx.store
                    .write(|w| w.hand_off(case, &h, to_station).map(|_| ())),
                t!(
                    lang,
                    "handoff.done_sent",
                    kind = kind.label(lang),
                    whereto = whereto
                ),
                DUE,
            )
        }
        Kind::Step(_) => {
            let Some((h, to)) = chosen_step(dlg).map(|(h, s)| (h.id, s)) else {
                return Done::Stay;
            };
            let Ok(next_due) = date(dlg, NEXT_DUE) else {
                return Done::Stay;
            };
            let step = Step {
                to,
                reason: opt(dlg, REASON),
                outcome: (to == HandoffStatus::Done)
                    .then(|| {
                        HandoffOutcome::ALL
                            .get(dlg.form.field(OUTCOME).selected())
                            .copied()
                    })
                    .flatten(),
                result: opt(dlg, RESULT).filter(|_| to == HandoffStatus::Done),
                reference: opt(dlg, STEP_REF),
                due: next_due.filter(|_| to.is_open()),
                on: today,
            };
            let field = match to {
                HandoffStatus::Rejected | HandoffStatus::Withdrawn => REASON,
                _ if to.is_open() => NEXT_DUE,
                _ => TO,
            };
            (
                cx.store.write(|w| w.handoff_step(h, &step)),
                t!(lang, "handoff.done_step", status = to.label(lang)),
                field,
            )
        }
        Kind::Infringed => {
            let Ok(day) = date(dlg, 0) else {
                return Done::Stay;
            };
            if day == d.case.infringed_on {
                cx.info(t!(lang, "cases.unchanged"));
                return Done::Closed;
            }
            (
                cx.store.write(|w| w.set_infringed_on(case, day)),
                t!(lang, "handoff.done_infringed").to_owned(),
                0,
            )
        }
        _ => return Done::Stay,
    };
    match written {
        Ok(()) => {
            cx.info(done);
            Done::Saved { close: true }
        }
        Err(e) => {
            match invalid(&e) {
                Some(v) => dlg.form.refuse(field, v.localized(lang)),
                None => cx.store_error(e),
            }
            Done::Stay
        }
    }
}
