//! The dialogs of a case's detail: change status (resolving asks for the
//! outcome and the amount recovered, closing for a reason), add a note, set
//! the follow-up, assign, refer, amounts, respondent, add and remove
//! claimants.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, HighlightSpacing, List, ListItem, ListState, Paragraph};

use super::detail::{Detail, wrap_names};
use super::intake::{self, Draft, Plan, Who};
use super::{
    Cmd, draw_field, field_rows, handler_choices, invalid, parse_amount, parse_day,
    parse_follow_up, recovered_warning, status_style,
};
use crate::domain::case::{CaseStatus, CloseReason, Outcome};
use crate::domain::error::ValidationError;
use crate::domain::ids::StaffId;
use crate::domain::money::Fen;
use crate::domain::staff::Staff;
use crate::i18n::{Lang, Localized};
use crate::store::StatusChange;
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::picker::{Picked, Picker, PickerKind, money};
use crate::tui::widgets::wrap::wrap;
use crate::tui::widgets::{centered, fit};

/// Fields of the status dialog.
pub const TARGET: usize = 0;
pub const OUTCOME: usize = 1;
pub const RECOVERED: usize = 2;
pub const REASON: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// The statuses offered: those the case may move to.
    Status {
        from: CaseStatus,
        targets: Vec<CaseStatus>,
    },
    Note,
    FollowUp,
    /// The staff behind each choice.
    Assign {
        handlers: Vec<Option<StaffId>>,
    },
    /// Refer, escalate or hand over the case (`handoff.rs`).
    HandOff(super::handoff::NewState),
    /// The next step of one of its handoffs.
    Step(super::handoff::StepState),
    /// The day the worker knew of the infringement.
    Infringed,
    Amounts,
    Respondent,
    AddClaimant,
    RemoveClaimant,
    /// Each claimant's amounts (owed.rs).
    Owed,
}

#[derive(Debug, Clone)]
pub struct Dialog {
    pub kind: Kind,
    pub form: Form,
    /// The lookup of "add claimant".
    pub picker: Option<Picker>,
    /// The claimant chosen in "remove claimant".
    pub selected: usize,
    /// Why the last try was refused (remove claimant).
    pub error: Option<String>,
    /// Remove claimant: the highlighted one is chosen; asking y/n.
    pub confirming: bool,
    /// Each claimant's amounts: fill the fields again once the detail is
    /// read again (the highlighted claimant changed or was saved).
    pub refill: bool,
    /// Add claimant: a typed new claimant who may be a registered worker,
    /// the line as typed and that worker (Ctrl-P takes him, Enter again
    /// registers the new person).
    pub likely: Option<(String, crate::store::PersonHit)>,
    /// The respondent dialog: the register's respondents matching what is
    /// typed.
    pub offers: super::respondent::Offers,
}

/// What an action did to the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Stay,
    /// Something was written; the detail must be read again.
    Saved {
        close: bool,
    },
    /// Nothing to write (nothing changed): the dialog closes.
    Closed,
}

/// Nothing changed: nothing is written (the log and the timeline stay
/// free of empty changes), and the dialog closes saying so.
fn unchanged(cx: &mut Ctx) -> Done {
    cx.info(t!(cx.lang, "cases.unchanged"));
    Done::Closed
}

fn amount_text(f: Fen) -> String {
    if f.0 == 0 { String::new() } else { f.plain() }
}

impl Dialog {
    pub(super) fn with(kind: Kind, fields: Vec<Field>) -> Dialog {
        Dialog {
            kind,
            form: Form::new(fields),
            picker: None,
            selected: 0,
            error: None,
            confirming: false,
            likely: None,
            refill: false,
            offers: Default::default(),
        }
    }

    /// The dialog that command `cmd` opens on the case of `d`.
    pub fn open(cmd: Cmd, lang: Lang, d: &Detail, staff: &[Staff]) -> Option<Dialog> {
        let c = &d.case;
        Some(match cmd {
            Cmd::Status => {
                // Only the moves the workflow allows are offered.
                let targets: Vec<CaseStatus> = CaseStatus::ALL
                    .iter()
                    .copied()
                    .filter(|s| c.status.can_become(*s))
                    .collect();
                if targets.is_empty() {
                    return None;
                }
                let labels = targets.iter().map(|s| s.label(lang).to_owned()).collect();
                let fields = vec![
                    Field::choice(t!(lang, "cases.dlg_new_status"), labels, 0),
                    Field::choice(
                        t!(lang, "cases.d_outcome"),
                        Outcome::ALL
                            .iter()
                            .map(|o| o.label(lang).to_owned())
                            .collect(),
                        0,
                    ),
                    Field::text(t!(lang, "cases.d_recovered"), &amount_text(c.recovered))
                        .with_hint(t!(lang, "cases.amount_hint")),
                    Field::choice(
                        t!(lang, "cases.d_close_reason"),
                        CloseReason::ALL
                            .iter()
                            .map(|r| r.label(lang).to_owned())
                            .collect(),
                        0,
                    ),
                ];
                Dialog::with(
                    Kind::Status {
                        from: c.status,
                        targets,
                    },
                    fields,
                )
            }
            Cmd::Note => Dialog::with(
                Kind::Note,
                vec![Field::text(t!(lang, "cases.dlg_note"), "")],
            ),
            Cmd::FollowUp => {
                let date = c
                    .follow_up
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                let field = Field::text(t!(lang, "cases.d_follow_up"), &date)
                    .with_hint(t!(lang, "cases.date_hint"));
                Dialog::with(Kind::FollowUp, vec![field])
            }
            Cmd::Assign => {
                let (labels, handlers, selected) = handler_choices(staff, c.handler, lang);
                Dialog::with(
                    Kind::Assign { handlers },
                    vec![Field::choice(t!(lang, "cases.d_handler"), labels, selected)],
                )
            }
            // A case whose claimants carry their own amounts is changed
            // claimant by claimant.
            Cmd::Owed => Dialog::with(Kind::Owed, super::owed::fields(lang, d.owed.first())),
            Cmd::Amounts
                if d.owed
                    .iter()
                    .any(|k| k.claimed.is_some() || k.recovered.is_some()) =>
            {
                Dialog::with(Kind::Owed, super::owed::fields(lang, d.owed.first()))
            }
            Cmd::Amounts => Dialog::with(
                Kind::Amounts,
                vec![
                    Field::text(t!(lang, "cases.d_claimed"), &amount_text(c.claimed))
                        .with_hint(t!(lang, "cases.amount_hint")),
                    Field::text(t!(lang, "cases.d_recovered"), &amount_text(c.recovered))
                        .with_hint(t!(lang, "cases.amount_hint")),
                ],
            ),
            Cmd::Respondent => Dialog::with(
                Kind::Respondent,
                vec![Field::text(
                    t!(lang, "cases.d_respondent"),
                    c.respondent.as_deref().unwrap_or(""),
                )],
            ),
            Cmd::AddClaimant => {
                let mut picker = Picker::new(PickerKind::People, t!(lang, "cases.form_claimants"));
                picker.field.hint = Some(t!(lang, "cases.form_claimants_hint").to_owned());
                picker.term = Some(intake::term_of);
                let mut dlg = Dialog::with(Kind::AddClaimant, Vec::new());
                dlg.picker = Some(picker);
                dlg
            }
            Cmd::RemoveClaimant => Dialog::with(Kind::RemoveClaimant, Vec::new()),
            _ => return None,
        })
    }

    pub fn typing(&self) -> bool {
        match self.kind {
            Kind::AddClaimant => true,
            Kind::RemoveClaimant => false,
            _ => self.form.typing(),
        }
    }

    /// Whether Esc would throw away typed text.
    pub fn unsaved(&self) -> bool {
        self.form.touched
            && self
                .form
                .fields
                .iter()
                .any(|f| f.is_text() && !f.text_value().trim().is_empty())
    }

    /// The chosen target of the status dialog.
    fn target(&self) -> Option<CaseStatus> {
        match &self.kind {
            Kind::Status { targets, .. } => {
                targets.get(self.form.field(TARGET).selected()).copied()
            }
            _ => None,
        }
    }

    /// Whether field `i` is shown (resolving and closing ask for more).
    pub fn visible(&self, i: usize) -> bool {
        match (&self.kind, i) {
            (Kind::Status { .. }, OUTCOME | RECOVERED) => {
                self.target() == Some(CaseStatus::Resolved)
            }
            (Kind::Status { .. }, REASON) => self.target() == Some(CaseStatus::Closed),
            (Kind::HandOff(_) | Kind::Step(_), _) => super::handoff::visible(self, i),
            _ => true,
        }
    }

    fn last_visible(&self) -> usize {
        (0..self.form.fields.len())
            .rev()
            .find(|i| self.visible(*i))
            .unwrap_or(0)
    }

    /// Tab / Shift-Tab, skipping hidden fields.
    fn step(&mut self, action: &Action) {
        for _ in 0..self.form.fields.len() {
            self.form.handle(action);
            if self.visible(self.form.focus) {
                break;
            }
        }
    }

    pub fn update(&mut self, cx: &mut Ctx, action: &Action, d: &Detail) -> Done {
        match self.kind {
            Kind::AddClaimant => return self.update_add(cx, action, d),
            Kind::RemoveClaimant => return self.update_remove(cx, action, d),
            Kind::Owed => return self.update_owed(cx, action, d),
            _ => {}
        }
        match action {
            Action::Pane(PaneCmd::Cases(Cmd::UseRespondent)) => {
                if let Some(name) = self.offers.first().map(str::to_owned) {
                    self.form.field_mut(0).set_text(&name);
                    self.form.touched = true;
                    self.offers.hits.clear();
                }
                Done::Stay
            }
            Action::Save => self.submit(cx, d),
            Action::Confirm if self.form.focus >= self.last_visible() => self.submit(cx, d),
            Action::Confirm => {
                self.step(&Action::NextField);
                Done::Stay
            }
            Action::NextField | Action::PrevField => {
                self.step(action);
                Done::Stay
            }
            other => {
                self.form.handle(other);
                super::handoff::follow_choices(self, cx.lang);
                Done::Stay
            }
        }
    }

    /// Add claimant: a lookup, or one claimant typed on the line (with
    /// what he is owed; someone new is registered), as in the new-case form.
    fn update_add(&mut self, cx: &mut Ctx, action: &Action, d: &Detail) -> Done {
        let lang = cx.lang;
        let Some(picker) = &mut self.picker else {
            return Done::Stay;
        };
        let use_likely = *action == Action::Pane(PaneCmd::Cases(Cmd::UseLikely));
        if *action != Action::Confirm && !use_likely {
            picker.handle(action);
            match action {
                Action::Up | Action::Down => self.confirming = true,
                Action::Edit(_) => {
                    self.confirming = false;
                    picker.field.error = None;
                    self.likely = None;
                }
                _ => {}
            }
            return Done::Stay;
        }
        picker.refresh(cx.store, lang);
        let q = picker.query().trim().to_owned();
        if q.is_empty() {
            return Done::Stay;
        }
        // `confirming` stands for "↑/↓ chose a hit" in this dialog.
        let chosen = self.confirming.then_some(picker.selected);
        let draft = match intake::plan(&q, &picker.hits, chosen, lang) {
            Plan::Refused(m) => {
                picker.field.error = Some(m);
                return Done::Stay;
            }
            Plan::Add(draft) => draft,
            Plan::Lookup => match picker.current() {
                Some(Picked::Person(p)) => Draft {
                    who: Who::Known(p),
                    claimed: None,
                },
                _ => {
                    picker.field.error = Some(t!(lang, "cases.no_such_person", q = q));
                    return Done::Stay;
                }
            },
        };
        let mut draft = draft;
        if use_likely {
            // Ctrl-P: the worker said beside this line, with the amount.
            match self.likely.take().filter(|(line, _)| *line == q) {
                Some((_, hit)) => draft.who = Who::Known(hit),
                None => {
                    cx.error(t!(lang, "cases.use_likely_none"));
                    return Done::Stay;
                }
            }
        } else if let Who::New { details, .. } = &draft.who
            && self.likely.as_ref().is_none_or(|(line, _)| *line != q)
        {
            // Nobody is registered twice by accident (as in the new-case
            // form).
            match super::form::likely_claimant(cx, details) {
                Ok(Some((hit, text))) => {
                    picker.field.error = Some(t!(lang, "cases.likely", who = text));
                    self.likely = Some((q, hit));
                    return Done::Stay;
                }
                Ok(None) => {}
                Err(e) => {
                    cx.store_error(e);
                    return Done::Stay;
                }
            }
        }
        self.likely = None;
        let name = draft.name().to_owned();
        let already = match &draft.who {
            Who::Known(p) => d.claimants.iter().any(|(id, _)| *id == p.id),
            Who::New { .. } => false,
        };
        if already && draft.claimed.is_none() {
            picker.field.error = Some(t!(lang, "cases.claimant_already", name = name));
            return Done::Stay;
        }
        let case = d.case.id;
        let written = cx.store.write(|w| {
            let person = match &draft.who {
                Who::Known(p) => p.id,
                Who::New { details, .. } => w.add_person(details)?,
            };
            w.add_claimant_owed(case, person, draft.claimed)
        });
        match written {
            Ok(()) => {
                picker.clear();
                self.confirming = false;
                cx.info(if already {
                    t!(
                        lang,
                        "cases.claimant_amount",
                        name = name,
                        amount = draft.claimed.map(money).unwrap_or_default()
                    )
                } else {
                    t!(
                        lang,
                        "cases.done_claimant_added",
                        name = name,
                        n = d.claimants.len() + 1
                    )
                });
                Done::Saved { close: false }
            }
            Err(e) => {
                match invalid(&e) {
                    Some(v) => picker.field.error = Some(v.localized(lang)),
                    None => cx.store_error(e),
                }
                Done::Stay
            }
        }
    }

    /// Remove claimant: Enter on a name asks y/n; only y removes.
    fn update_remove(&mut self, cx: &mut Ctx, action: &Action, d: &Detail) -> Done {
        let last = d.claimants.len().saturating_sub(1);
        if self.confirming && *action != Action::Yes {
            // n or Esc: back to the list, nothing removed.
            self.confirming = false;
            return Done::Stay;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Confirm if d.claimants.len() <= 1 => {
                let m = ValidationError::NoClaimant.localized(cx.lang);
                cx.error(m.clone());
                self.error = Some(m);
            }
            Action::Confirm if d.claimants.get(self.selected).is_some() => {
                self.error = None;
                self.confirming = true;
            }
            Action::Yes if self.confirming => {
                self.confirming = false;
                let Some((person, name)) = d.claimants.get(self.selected) else {
                    return Done::Stay;
                };
                let case = d.case.id;
                return match cx.store.write(|w| w.remove_claimant(case, *person)) {
                    Ok(()) => {
                        cx.info(t!(cx.lang, "cases.done_claimant_removed", name = name));
                        Done::Saved { close: true }
                    }
                    Err(e) => {
                        match invalid(&e) {
                            Some(v) => {
                                let m = v.localized(cx.lang);
                                cx.error(m.clone());
                                self.error = Some(m);
                            }
                            None => cx.store_error(e),
                        }
                        Done::Stay
                    }
                };
            }
            _ => {}
        }
        Done::Stay
    }

    /// Checks the fields and writes the change.
    fn submit(&mut self, cx: &mut Ctx, d: &Detail) -> Done {
        let lang = cx.lang;
        let case = d.case.id;
        self.form.clear_errors();
        let texts: Vec<String> = self
            .form
            .fields
            .iter()
            .map(|f| f.text_value().to_owned())
            .collect();
        let choices: Vec<usize> = self.form.fields.iter().map(Field::selected).collect();
        let text = |i: usize| texts.get(i).cloned().unwrap_or_default();
        let selected = |i: usize| choices.get(i).copied().unwrap_or(0);
        let (result, done): (Result<(), crate::store::StoreError>, String) = match &self.kind {
            Kind::Status { from, targets } => {
                let Some(to) = targets.get(selected(TARGET)).copied() else {
                    return Done::Stay;
                };
                if let Err(e) = from.transition(to) {
                    self.form.refuse(TARGET, e.localized(lang));
                    return Done::Stay;
                }
                let change = match to {
                    CaseStatus::Resolved => {
                        let recovered = match parse_amount(&text(RECOVERED), lang) {
                            Ok(f) => f,
                            Err(m) => {
                                self.form.refuse(RECOVERED, m);
                                return Done::Stay;
                            }
                        };
                        let outcome = Outcome::ALL
                            .get(selected(OUTCOME))
                            .copied()
                            .unwrap_or(Outcome::Other);
                        StatusChange::Resolve { outcome, recovered }
                    }
                    CaseStatus::Closed => StatusChange::Close {
                        reason: CloseReason::ALL
                            .get(selected(REASON))
                            .copied()
                            .unwrap_or(CloseReason::Other),
                    },
                    s => StatusChange::To(s),
                };
                let now = cx.now;
                (
                    cx.store.write(|w| w.set_status(case, change, now)),
                    t!(lang, "cases.done_status", status = to.label(lang)),
                )
            }
            Kind::Note => {
                let body = text(0);
                (
                    cx.store.write(|w| w.add_note(case, &body).map(|_| ())),
                    t!(lang, "cases.done_note").to_owned(),
                )
            }
            Kind::FollowUp => {
                let today = cx.today();
                let date = match parse_day(&text(0), today, lang) {
                    Ok(date) if date == d.case.follow_up => return unchanged(cx),
                    Ok(_) => parse_follow_up(&text(0), today, lang),
                    Err(m) => Err(m),
                };
                let date = match date {
                    Ok(d) => d,
                    Err(m) => {
                        self.form.refuse(0, m);
                        return Done::Stay;
                    }
                };
                let shown = date.map_or_else(
                    || t!(lang, "cases.ev_cleared").to_owned(),
                    |d| d.format("%Y-%m-%d").to_string(),
                );
                (
                    cx.store.write(|w| w.set_follow_up(case, date)),
                    t!(lang, "cases.done_follow_up", date = shown),
                )
            }
            Kind::Assign { handlers } => {
                let h = handlers.get(selected(0)).copied().flatten();
                if h == d.case.handler {
                    return unchanged(cx);
                }
                let name = self.form.fields.first().and_then(|f| match &f.value {
                    crate::tui::widgets::field::Value::Choice { options, selected } => {
                        options.get(*selected).cloned()
                    }
                    _ => None,
                });
                (
                    cx.store.write(|w| w.assign(case, h)),
                    t!(lang, "cases.done_assign", name = name.unwrap_or_default()),
                )
            }
            Kind::HandOff(_) | Kind::Step(_) | Kind::Infringed => {
                return super::handoff::submit(self, cx, d);
            }
            Kind::Amounts => {
                let claimed = parse_amount(&text(0), lang)
                    .map_err(|m| self.form.refuse(0, m))
                    .ok();
                let recovered = parse_amount(&text(1), lang)
                    .map_err(|m| self.form.refuse(1, m))
                    .ok();
                let (Some(claimed), Some(recovered)) = (claimed, recovered) else {
                    return Done::Stay;
                };
                if (claimed, recovered) == (d.case.claimed, d.case.recovered) {
                    return unchanged(cx);
                }
                (
                    cx.store.write(|w| w.set_amounts(case, claimed, recovered)),
                    t!(lang, "cases.done_amounts").to_owned(),
                )
            }
            Kind::Respondent => {
                let r = text(0);
                if r.trim() == d.case.respondent.as_deref().unwrap_or("").trim() {
                    return unchanged(cx);
                }
                (
                    cx.store.write(|w| w.set_respondent(case, &r)),
                    t!(lang, "cases.done_respondent").to_owned(),
                )
            }
            Kind::AddClaimant | Kind::RemoveClaimant | Kind::Owed => return Done::Stay,
        };
        match result {
            Ok(()) => {
                cx.info(done);
                Done::Saved { close: true }
            }
            Err(e) => {
                match invalid(&e) {
                    Some(v) => {
                        let i = match (&self.kind, v) {
                            (Kind::Status { .. }, ValidationError::StatusTransition { .. }) => {
                                TARGET
                            }
                            (Kind::Status { .. }, _) => RECOVERED,
                            _ => self.form.focus,
                        };
                        self.form.refuse(i, v.localized(lang));
                    }
                    None => cx.store_error(e),
                }
                Done::Stay
            }
        }
    }

    fn title(&self, lang: Lang) -> &'static str {
        match self.kind {
            Kind::Status { .. } => t!(lang, "cases.status"),
            Kind::Note => t!(lang, "cases.note"),
            Kind::FollowUp => t!(lang, "cases.follow_up"),
            Kind::Assign { .. } => t!(lang, "cases.assign"),
            Kind::HandOff(_) => t!(lang, "cases.refer"),
            Kind::Step(_) => t!(lang, "handoff.title_step"),
            Kind::Infringed => t!(lang, "handoff.title_infringed"),
            Kind::Amounts => t!(lang, "cases.amounts"),
            Kind::Respondent => t!(lang, "cases.respondent"),
            Kind::AddClaimant => t!(lang, "cases.add_claimant"),
            Kind::RemoveClaimant => t!(lang, "cases.remove_claimant"),
            Kind::Owed => t!(lang, "cases.owed"),
        }
    }

    /// A warning about what is typed that does not stop saving: more
    /// recovered than claimed.
    fn warning(&self, d: &Detail, lang: Lang) -> Option<String> {
        let amount = |i: usize| parse_amount(self.form.field(i).text_value(), lang).ok();
        match self.kind {
            Kind::Amounts => recovered_warning(amount(0)?, amount(1)?, lang),
            Kind::Respondent => self.offers.line(lang),
            Kind::Status { .. } if self.target() == Some(CaseStatus::Resolved) => {
                recovered_warning(d.case.claimed, amount(RECOVERED)?, lang)
            }
            _ => None,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View, d: &Detail) {
        let lang = v.lang;
        let w = area.width.saturating_sub(4).min(84);
        let inner_w = w.saturating_sub(2);
        let label_cells = self.form.label_cells();
        // The warning wraps to the dialog's width.
        let warning: Vec<String> = self
            .warning(d, lang)
            .map(|w| match self.kind {
                // An offer from the register, not a warning.
                Kind::Respondent => wrap(&w, inner_w as usize),
                _ => wrap(&format!("⚠ {w}"), inner_w as usize),
            })
            .unwrap_or_default();
        let body_rows: u16 = match self.kind {
            Kind::AddClaimant => 12,
            Kind::Owed => self.owed_rows(d),
            Kind::RemoveClaimant => {
                (d.claimants.len() as u16).saturating_add(1 + u16::from(self.error.is_some()))
            }
            _ => {
                1 + warning.len() as u16
                    + (0..self.form.fields.len())
                        .filter(|i| self.visible(*i))
                        .map(|i| field_rows(self.form.field(i), inner_w, label_cells))
                        .sum::<u16>()
            }
        };
        let h = (body_rows + 2).min(area.height);
        let r = centered(area, w, h);
        crate::tui::widgets::clear_popup_within(f, r, area);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(Style::new().fg(Color::Cyan))
            .title(format!(" {} · {} ", self.title(lang), d.case.number));
        let inner = block.inner(r);
        f.render_widget(block, r);
        if inner.height == 0 {
            return;
        }
        let cells = inner.width as usize;
        let top = Rect { height: 1, ..inner };
        let rest = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
        match self.kind {
            Kind::Owed => self.draw_owed(f, inner, d, lang),
            Kind::AddClaimant => {
                let names: Vec<&str> = d.claimants.iter().map(|(_, n)| n.as_str()).collect();
                let head = format!(
                    "{}{}",
                    t!(lang, "cases.d_claimants", n = names.len()),
                    t!(lang, "cases.colon")
                );
                let line = wrap_names(&head, &names, cells, 1, lang).join("");
                f.render_widget(
                    Paragraph::new(Span::styled(line, Style::new().fg(Color::Gray))),
                    top,
                );
                if let Some(p) = &self.picker {
                    // What Enter does with a typed claimant, on the last row.
                    let q = p.query().trim();
                    let planned = match intake::plan(q, &p.hits, None, lang) {
                        _ if q.is_empty() || p.field.error.is_some() => None,
                        Plan::Add(dr) if dr.is_new() || dr.claimed.is_some() => {
                            Some((intake::plan_line(&dr, lang), Color::Yellow))
                        }
                        Plan::Refused(m) => Some((format!("✗ {m}"), Color::Red)),
                        _ => None,
                    };
                    let list = Rect {
                        height: rest.height.saturating_sub(u16::from(planned.is_some())),
                        ..rest
                    };
                    p.draw(f, list, lang, v.tz, true);
                    if let (Some((line, color)), true) = (planned, rest.height > 1) {
                        f.render_widget(
                            Paragraph::new(Span::styled(fit(&line, cells), Style::new().fg(color))),
                            Rect {
                                y: rest.bottom() - 1,
                                height: 1,
                                ..rest
                            },
                        );
                    }
                }
            }
            Kind::RemoveClaimant => {
                let chosen = d.claimants.get(self.selected).map(|(_, n)| n.as_str());
                let head = match chosen {
                    Some(name) if self.confirming => Span::styled(
                        fit(&t!(lang, "cases.dlg_remove_ask", name = name), cells),
                        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                    ),
                    _ => Span::raw(fit(t!(lang, "cases.dlg_remove_which"), cells)),
                };
                f.render_widget(Paragraph::new(head), top);
                let items: Vec<ListItem> = d
                    .claimants
                    .iter()
                    .map(|(_, n)| ListItem::new(fit(n, cells.saturating_sub(2))))
                    .collect();
                let list_h = rest.height.saturating_sub(u16::from(self.error.is_some()));
                let mut state = ListState::default();
                state.select(Some(self.selected));
                let list = List::new(items)
                    .highlight_symbol("▶ ")
                    .highlight_spacing(HighlightSpacing::Always)
                    .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
                f.render_stateful_widget(
                    list,
                    Rect {
                        height: list_h,
                        ..rest
                    },
                    &mut state,
                );
                if let (Some(e), true) = (&self.error, rest.height > 0) {
                    let er = Rect {
                        y: rest.bottom() - 1,
                        height: 1,
                        ..rest
                    };
                    f.render_widget(
                        Paragraph::new(Span::styled(
                            fit(&format!("✗ {e}"), cells),
                            super::overdue_style(),
                        )),
                        er,
                    );
                }
            }
            _ => {
                let mut head = vec![Span::raw(t!(lang, "cases.dlg_case_is"))];
                head.push(Span::styled(
                    d.case.status.label(lang),
                    status_style(d.case.status).add_modifier(Modifier::BOLD),
                ));
                f.render_widget(Paragraph::new(Line::from(head)), top);
                let mut y = rest.y;
                for i in (0..self.form.fields.len()).filter(|i| self.visible(*i)) {
                    if y >= rest.bottom() {
                        break;
                    }
                    let row = Rect {
                        y,
                        height: rest.bottom() - y,
                        ..rest
                    };
                    y += draw_field(
                        f,
                        row,
                        self.form.field(i),
                        label_cells,
                        i == self.form.focus,
                    );
                }
                if !warning.is_empty() && y < rest.bottom() {
                    let r = Rect {
                        y,
                        height: rest.bottom() - y,
                        ..rest
                    };
                    let style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
                    let lines: Vec<Line> = warning
                        .iter()
                        .map(|l| Line::from(Span::styled(fit(l, cells), style)))
                        .collect();
                    f.render_widget(Paragraph::new(lines), r);
                }
            }
        }
    }
}
