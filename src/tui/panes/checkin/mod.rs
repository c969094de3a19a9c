//! F1 Check-in: find a worker by phone, name or pinyin initials (or
//! register a new one inline), tick the services of this visit and check
//! them in; see who is in the station now and mark them leaving; count
//! anonymous visitors by trade with one key; undo the last count or
//! leaving.
//!
//! The keyboard is in one of two parts: the form (text fields type) or the
//! here-now list (single keys). Esc goes from the form to the list; `i`,
//! Enter or Esc go back.

mod draw;
pub mod form;
mod keys;
pub mod present;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;

use self::form::{CheckinForm, Stop};
use self::present::{Done, LIMIT, Left, Present, Tallied};
use super::{Ctx, Jump, Pane, View};
use crate::domain::ids::PersonId;
use crate::domain::person::{PersonDetails, Trade};
use crate::domain::visit::Services;
use crate::i18n::{Lang, Localized};
use crate::store::{Store, StoreError};
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::keymap;
use crate::tui::widgets::picker::Picked;

pub use self::keys::{
    CHOICE, Cmd, FIND, FORM, LIST, SERVICE_KEYS, SERVICES, TRADE_KEYS, bindings, service_short,
    trade_short,
};

/// Which part has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Form,
    List,
}

#[derive(Debug, Clone)]
pub struct CheckinPane {
    pub focus: Focus,
    pub form: CheckinForm,
    pub present: Present,
}

impl CheckinPane {
    pub fn new(lang: Lang) -> Self {
        Self {
            focus: Focus::Form,
            form: CheckinForm::new(lang),
            present: Present::default(),
        }
    }

    /// Reads who is here now (arrived lately, not left) and today's
    /// count.
    fn reload(&mut self, cx: &mut Ctx) {
        match cx.store.present_now(super::present_since(cx.now), LIMIT) {
            Ok(rows) => self.present.set_rows(rows),
            Err(e) => cx.store_error(e),
        }
        match cx.store.headcount_on(cx.today()) {
            Ok(n) => self.present.today = Some(n),
            Err(e) => cx.store_error(e),
        }
    }

    fn go(&mut self, cx: &Ctx, stop: Stop) {
        self.form.go(stop, cx.now, cx.tz);
    }

    fn update_form(&mut self, cx: &mut Ctx, action: &Action) {
        match action {
            Action::Edit(_) | Action::Left | Action::Right | Action::Up | Action::Down => {
                self.form.edit(action)
            }
            Action::NextField => {
                if self.form.stop == Stop::Find {
                    self.carry(cx);
                } else {
                    let to = self.form.next_stop();
                    self.go(cx, to);
                }
            }
            Action::PrevField => {
                let to = self.form.prev_stop();
                self.go(cx, to);
            }
            Action::Confirm => match self.form.stop {
                Stop::Find => self.confirm_find(cx),
                Stop::Field(_) => {
                    let to = self.form.next_stop();
                    self.go(cx, to);
                }
                Stop::Services => self.save(cx),
            },
            Action::Save => self.save(cx),
            Action::Back => self.focus = Focus::List,
            Action::Pane(PaneCmd::Checkin(Cmd::Clear)) => {
                self.form.clear();
                cx.info(t!(cx.lang, "checkin.cleared"));
            }
            Action::Pane(PaneCmd::Checkin(Cmd::Toggle)) => self.form.toggle(),
            Action::Pane(PaneCmd::Checkin(Cmd::Unmask)) => self.unmask(cx),
            Action::Pane(PaneCmd::Checkin(Cmd::Service(s))) => self.form.toggle_service(*s),
            _ => {}
        }
    }

    fn update_list(&mut self, cx: &mut Ctx, action: &Action) {
        match action {
            Action::Up => self.present.step(-1),
            Action::Down => self.present.step(1),
            Action::PageUp => self.present.step(-10),
            Action::PageDown => self.present.step(10),
            Action::Home => self.present.selected = 0,
            Action::End => self.present.step(isize::MAX),
            Action::Confirm | Action::Back | Action::Pane(PaneCmd::Checkin(Cmd::ToForm)) => {
                self.focus = Focus::Form
            }
            Action::Pane(PaneCmd::Checkin(Cmd::Leave)) => self.leave(cx),
            Action::Pane(PaneCmd::Checkin(Cmd::Tally(t))) => self.tally(cx, *t),
            Action::Pane(PaneCmd::Checkin(Cmd::Undo)) => self.undo(cx),
            _ => {}
        }
    }

    /// Enter in the find field: picks the highlighted person, or takes
    /// what was typed as a new person.
    fn confirm_find(&mut self, cx: &mut Ctx) {
        if self.form.find.query().trim().is_empty() {
            let to = self.form.next_stop();
            return self.go(cx, to);
        }
        if self.form.find.stale() {
            // Enter came in the same burst as the typing: search first, so
            // that a registered person is not registered again.
            self.form.find.refresh(cx.store, cx.lang);
        }
        match self.form.find.current() {
            Some(Picked::Person(hit)) => self.pick(cx, hit.id, hit.last_visit),
            _ => self.carry(cx),
        }
    }

    /// Takes what was typed in the find field as a new person, and says so
    /// when letters (pinyin, initials) were not taken as the name.
    fn carry(&mut self, cx: &mut Ctx) {
        let q = self.form.find.query().trim().to_owned();
        let to = self.form.carry();
        if form::letters_only(&q) {
            cx.info(t!(cx.lang, "checkin.letters_not_name", q = q));
        }
        self.go(cx, to);
    }

    /// Prefills the form with a registered person, ready to check in.
    /// Shows the full ID number and mobile of the person in the form
    /// (staff and above), noted in the audit log.
    fn unmask(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        let Some(id) = self.form.known.as_ref().map(|k| k.id) else {
            return cx.error(t!(lang, "checkin.unmask_none"));
        };
        if !self.form.masked() {
            return;
        }
        match cx.store.unmask_person(id) {
            Ok(()) => {
                self.form.reveal();
                cx.info(t!(lang, "checkin.unmasked"));
            }
            Err(e) => cx.store_error(e),
        }
    }

    fn pick(&mut self, cx: &mut Ctx, id: PersonId, last_visit: Option<DateTime<Utc>>) {
        if let Err(e) = cx.store.note_view(crate::store::About::person(id)) {
            return cx.store_error(e);
        }
        match cx.store.person(id) {
            Ok(Some(p)) => {
                let name = p.details.name.clone();
                self.form.prefill(p, last_visit);
                self.focus = Focus::Form;
                self.go(cx, Stop::Services);
                // Say at once when they are still checked in.
                if let Ok(Some(at)) = here_since(cx, id) {
                    let at = at.with_timezone(&cx.tz).format("%H:%M");
                    cx.error(t!(cx.lang, "checkin.already_here", name = name, at = at));
                }
            }
            Ok(None) => cx.error(t!(cx.lang, "checkin.person_gone")),
            Err(e) => cx.store_error(e),
        }
    }

    /// Registers a new person (or saves changed details of a known one)
    /// and checks them in. A refused value is shown next to its field and
    /// nothing is saved.
    fn save(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        if !self.form.find.query().trim().is_empty() {
            self.carry(cx);
        }
        self.form.fields.clear_errors();
        let details = self.form.person_input(cx.today()).validate();
        let arrival = self.form.arrival(cx.now, cx.tz);
        if let Err(errors) = &details {
            for (field, e) in errors {
                self.form
                    .refuse(CheckinForm::field_of(*field), e.localized(lang));
            }
        }
        if let Err(e) = &arrival {
            self.form.refuse(form::ARRIVAL, e.clone());
        }
        let (Ok(details), Ok(arrival)) = (details, arrival) else {
            return cx.error(t!(lang, "checkin.refused"));
        };
        let known = self.form.known.as_ref().map(|k| k.id);
        if let Some(m) = &details.mobile {
            match cx.store.person_by_mobile(m) {
                Ok(Some(other)) if Some(other.id) != known => {
                    self.form.refuse(
                        form::MOBILE,
                        t!(lang, "checkin.mobile_taken", name = other.details.name),
                    );
                    return cx.error(t!(lang, "checkin.refused"));
                }
                Ok(_) => {}
                Err(e) => return cx.store_error(e),
            }
        }
        if let Some(id) = known {
            match here_since(cx, id) {
                Ok(Some(at)) => {
                    let at = at.with_timezone(&cx.tz).format("%H:%M");
                    return cx.error(t!(
                        lang,
                        "checkin.already_here",
                        name = details.name,
                        at = at
                    ));
                }
                Ok(None) => {}
                Err(e) => return cx.store_error(e),
            }
        }
        let changed = self
            .form
            .known
            .as_ref()
            .filter(|k| k.details != details)
            .map(|k| k.id);
        match write_check_in(
            cx.store,
            known,
            changed,
            &details,
            self.form.services,
            arrival,
        ) {
            Ok(_) => {
                let at = arrival.with_timezone(&cx.tz).format("%H:%M");
                let text = if known.is_some() {
                    t!(lang, "checkin.saved", name = details.name, at = at)
                } else {
                    t!(lang, "checkin.saved_new", name = details.name, at = at)
                };
                cx.info(text);
                *cx.changed = true;
                self.form.clear();
                self.reload(cx);
                // The one just checked in, at the top.
                self.present.selected = 0;
            }
            Err(e) => cx.store_error(e),
        }
    }

    /// `l` in the list: the highlighted visitor leaves now. One whose
    /// arrival is recorded later than now (a clock set wrong, here or where
    /// the visit was made) leaves at the arrival time instead, and the
    /// status line says so: leaving cannot be before arriving, and staff
    /// have no way to change a recorded arrival.
    fn leave(&mut self, cx: &mut Ctx) {
        let Some(row) = self.present.current().cloned() else {
            return cx.error(t!(cx.lang, "checkin.nobody_selected"));
        };
        let at = cx.now.max(row.arrived_at);
        let result = cx.store.begin(None).and_then(|mut w| {
            w.mark_left(row.visit, at)?;
            w.commit()
        });
        match result {
            Ok(()) => {
                let name = row.name.clone().unwrap_or_else(|| "-".to_owned());
                let text = if at > cx.now {
                    let shown = at.with_timezone(&cx.tz).format("%H:%M");
                    t!(cx.lang, "checkin.left_at_arrival", name = name, at = shown)
                } else {
                    t!(cx.lang, "checkin.left", name = name)
                };
                cx.info(text);
                self.present.done.push(Done::Left(Left {
                    visit: row.visit,
                    person: row.person,
                    name,
                    at,
                }));
                *cx.changed = true;
                self.reload(cx);
            }
            Err(e) => cx.store_error(e),
        }
    }

    /// A digit in the list: one anonymous visitor of `trade`.
    fn tally(&mut self, cx: &mut Ctx, trade: Trade) {
        let result = cx.store.begin(None).and_then(|mut w| {
            let id = w.tally(trade, 1, cx.now)?;
            w.commit()?;
            Ok(id)
        });
        match result {
            Ok(visit) => {
                self.present.done.push(Done::Tally(Tallied {
                    visit,
                    trade,
                    at: cx.now,
                }));
                *cx.changed = true;
                self.reload(cx);
                let today = self.present.today.unwrap_or(0);
                cx.info(t!(
                    cx.lang,
                    "checkin.tallied",
                    trade = trade_short(trade, cx.lang),
                    n = today
                ));
            }
            Err(e) => cx.store_error(e),
        }
    }

    /// `u` in the list: takes back the last anonymous count or leaving of
    /// this session, whichever came last.
    fn undo(&mut self, cx: &mut Ctx) {
        match self.present.done.pop() {
            Some(Done::Tally(last)) => self.undo_tally(cx, last),
            Some(Done::Left(last)) => self.undo_left(cx, last),
            None => cx.error(t!(cx.lang, "checkin.nothing_to_undo")),
        }
    }

    fn undo_tally(&mut self, cx: &mut Ctx, last: Tallied) {
        let result = cx.store.begin(None).and_then(|mut w| {
            w.undo_tally(last.visit)?;
            w.commit()
        });
        match result {
            Ok(()) => {
                *cx.changed = true;
                self.reload(cx);
                let today = self.present.today.unwrap_or(0);
                cx.info(t!(
                    cx.lang,
                    "checkin.undone",
                    trade = trade_short(last.trade, cx.lang),
                    n = today
                ));
            }
            Err(e) => {
                self.present.done.push(Done::Tally(last));
                cx.store_error(e);
            }
        }
    }

    /// The visitor is back in the list, unless they have checked in again
    /// since (two visits at once would count them twice).
    fn undo_left(&mut self, cx: &mut Ctx, last: Left) {
        if let Some(person) = last.person {
            match cx.store.visits_of(person, 3) {
                Ok(v) if v.iter().any(|v| v.id != last.visit && v.is_here(cx.now)) => {
                    return cx.error(t!(cx.lang, "checkin.back_already", name = last.name));
                }
                Ok(_) => {}
                Err(e) => {
                    self.present.done.push(Done::Left(last));
                    return cx.store_error(e);
                }
            }
        }
        let result = cx.store.begin(None).and_then(|mut w| {
            w.clear_left(last.visit)?;
            w.commit()
        });
        match result {
            Ok(()) => {
                *cx.changed = true;
                self.reload(cx);
                if let Some(i) = self.present.rows.iter().position(|r| r.visit == last.visit) {
                    self.present.selected = i;
                }
                cx.info(t!(cx.lang, "checkin.unleft", name = last.name));
            }
            Err(e) => {
                self.present.done.push(Done::Left(last));
                cx.store_error(e);
            }
        }
    }
}

/// When `person` arrived, if they are still checked in (arrived lately
/// and not left).
fn here_since(cx: &Ctx, person: PersonId) -> Result<Option<DateTime<Utc>>, StoreError> {
    let last = cx.store.visits_of(person, 1)?;
    Ok(last
        .first()
        .filter(|v| v.is_here(cx.now))
        .map(|v| v.arrived_at))
}

/// One transaction: the person (added, or changed when `changed`), then
/// the visit.
fn write_check_in(
    store: &mut Store,
    known: Option<PersonId>,
    changed: Option<PersonId>,
    details: &PersonDetails,
    services: Services,
    arrival: DateTime<Utc>,
) -> Result<PersonId, StoreError> {
    let mut w = store.begin(None)?;
    let id = match known {
        Some(id) => {
            if changed == Some(id) {
                w.update_person(id, details)?;
            }
            id
        }
        None => w.add_person(details)?,
    };
    w.check_in(id, services, arrival)?;
    w.commit()?;
    Ok(id)
}

impl Pane for CheckinPane {
    fn load(&mut self, cx: &mut Ctx) {
        self.reload(cx);
    }

    fn scopes(&self) -> Vec<&'static str> {
        match self.focus {
            Focus::List => vec![LIST, keymap::LIST],
            Focus::Form => {
                let mut s = Vec::with_capacity(2);
                match self.form.stop {
                    Stop::Find if !self.form.find.hits.is_empty() && self.form.dropdown() => {
                        s.push(FIND)
                    }
                    Stop::Services => s.push(SERVICES),
                    _ if self.form.on_choice() => s.push(CHOICE),
                    _ => {}
                }
                // The pane's own form keys first, then the shared ones
                // (Tab, Shift-Tab, ←/→).
                s.push(FORM);
                s.push(keymap::FORM);
                s
            }
        }
    }

    fn typing(&self) -> bool {
        self.focus == Focus::Form && self.form.typing()
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) {
        match self.focus {
            Focus::Form => self.update_form(cx, action),
            Focus::List => self.update_list(cx, action),
        }
    }

    fn refresh(&mut self, cx: &mut Ctx) -> bool {
        self.form.find.refresh(cx.store, cx.lang)
    }

    fn open(&mut self, cx: &mut Ctx, to: Jump) {
        let Jump::Person(id) = to else { return };
        let last = match cx.store.visits_of(id, 1) {
            Ok(v) => v.first().map(|v| v.arrived_at),
            Err(e) => return cx.store_error(e),
        };
        self.pick(cx, id, last);
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        draw::draw(self, f, area, v);
    }

    fn unsaved(&self) -> bool {
        self.form.touched
    }
}
