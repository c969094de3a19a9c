//! F1 Check-in: find a worker by phone, name or pinyin initials (or
//! register a new one inline), tick the services of this visit and check
//! them in; see who is in the station now and mark them leaving; count
//! anonymous visitors by trade with one key; undo the last count or
//! leaving.
//!
//! The keyboard is in one of three parts: the form (text fields type),
//! the here-now list (single keys) or the tally row. Esc goes from the
//! form to the list; `i`, Enter or Esc go back. Digits count anonymous
//! visitors only in the tally row, opened on purpose (`t` in the list,
//! Ctrl-T in the form; Esc leaves it); typed in the list, a digit, a
//! letter that is no key of the list or a Chinese character goes to Find
//! with the keyboard, so a phone typed there finds the person.
//!
//! Picking a person (in Find, from the global lookup, from the records
//! behind a figure) while the form holds a visitor's details not saved
//! asks first.

mod draw;
pub mod form;
mod keys;
pub mod present;
mod queue;
mod shared;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;

use self::form::{CheckinForm, Stop};
use self::present::{Done, LIMIT, Left, Present, Tallied, TallyRow};
use self::shared::Sharing;
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

pub use self::queue::{Queued, RETRY_EVERY};

pub use self::keys::{
    CHOICE, Cmd, FIND, FORM, LIST, SERVICE_KEYS, SERVICES, TALLY, TALLY_SERVICES, TRADE_FIELD,
    TRADE_KEYS, bindings, service_short, trade_short,
};

/// Which part has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Form,
    List,
    /// The tally row: digits count.
    Tally,
}

/// A person picked while the form holds a visitor's details not saved:
/// the question before they replace them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacing {
    pub id: PersonId,
    pub last_visit: Option<DateTime<Utc>>,
    /// The picked person's name, and what the form holds (a name, or the
    /// number typed).
    pub name: String,
    pub draft: String,
}

#[derive(Debug, Clone)]
pub struct CheckinPane {
    pub focus: Focus,
    pub form: CheckinForm,
    pub present: Present,
    /// The tally row's state (the services of the next counts).
    pub tally: TallyRow,
    /// The question before a picked person replaces an unsaved visitor.
    pub replacing: Option<Replacing>,
    /// When the counts that wait were last tried (`queue.rs`).
    retried: Option<std::time::Instant>,
}

impl CheckinPane {
    pub fn new(lang: Lang) -> Self {
        Self {
            focus: Focus::Form,
            form: CheckinForm::new(lang),
            present: Present::default(),
            tally: TallyRow::default(),
            replacing: None,
            retried: None,
        }
    }

    /// Opens the tally row, with the services of a plain count (rest and
    /// water).
    fn open_tally(&mut self) {
        self.focus = Focus::Tally;
        self.tally = TallyRow::default();
    }

    /// A character typed in the list or the tally row that is no key of
    /// theirs: the keyboard goes to Find, the character after what Find
    /// holds. A phone typed in the wrong place finds the person.
    fn type_into_find(&mut self, cx: &mut Ctx, action: &Action) {
        self.focus = Focus::Form;
        if self.form.stop != Stop::Find {
            self.go(cx, Stop::Find);
        }
        self.form.find.field.edit(tui_input::InputRequest::GoToEnd);
        self.form.edit(action);
    }

    /// Reads who is here now (arrived lately, not left) and today's
    /// count.
    fn reload(&mut self, cx: &mut Ctx) {
        match cx
            .store
            .present_now(super::present_since(cx.now, cx.tz), LIMIT)
        {
            Ok(rows) => self.present.set_rows(rows),
            Err(e) => cx.store_error(e),
        }
        match cx.store.headcount_on(cx.today()) {
            Ok(n) => self.present.today = Some(n),
            Err(e) => cx.store_error(e),
        }
    }

    /// Moves to `stop`; leaving the name of a new person looks up who has
    /// that name already.
    /// Leaving a person's field of a new person says beside the form
    /// which registered worker they may be.
    fn go(&mut self, cx: &mut Ctx, stop: Stop) {
        let left = match self.form.stop {
            Stop::Field(i) if Stop::Field(i) != stop => Some(i),
            _ => None,
        };
        self.form.go(stop, cx.now, cx.tz);
        if left == Some(form::NAME) {
            self.check_namesakes(cx);
        }
        if matches!(
            left,
            Some(form::NAME | form::MOBILE | form::RESIDENT_ID | form::TRADE | form::EMPLOYER)
        ) {
            self.check_likely(cx);
        }
    }

    /// Ctrl-P: the new person is the registered worker named beside the
    /// form. The form takes that worker; what was typed and differs from
    /// the record is said, not saved.
    fn use_likely(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        let Some(l) = self.form.likely.clone() else {
            return cx.error(t!(lang, "checkin.use_likely_none"));
        };
        let person = match cx.store.person(l.id) {
            Ok(Some(p)) => p,
            Ok(None) => return cx.error(t!(lang, "checkin.person_gone")),
            Err(e) => return cx.store_error(e),
        };
        let d = &person.details;
        let typed = |i: usize| self.form.text(i).trim().to_owned();
        let mut dropped: Vec<String> = Vec::new();
        let name = typed(form::NAME);
        if !name.is_empty() && name != d.name {
            dropped.push(name);
        }
        let mobile = typed(form::MOBILE);
        if !mobile.is_empty() && Some(mobile.as_str()) != d.mobile.as_ref().map(|m| m.as_str()) {
            dropped.push(mobile);
        }
        let rid = typed(form::RESIDENT_ID);
        if !rid.is_empty()
            && crate::domain::ResidentId::parse(&rid).ok().as_ref() != d.resident_id.as_ref()
        {
            dropped.push(rid);
        }
        let employer = typed(form::EMPLOYER);
        if !employer.is_empty() && Some(employer.as_str()) != d.employer.as_deref() {
            dropped.push(employer);
        }
        let last_visit = match cx.store.visits_of(l.id, 1) {
            Ok(v) => v.first().map(|v| v.arrived_at),
            Err(e) => return cx.store_error(e),
        };
        cx.info(if dropped.is_empty() {
            t!(lang, "checkin.used_likely", name = d.name)
        } else {
            t!(
                lang,
                "checkin.used_likely_dropped",
                name = d.name,
                typed = dropped.join(" ")
            )
        });
        self.prefill(cx, l.id, last_visit);
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
            Action::Back => {
                if self.form.stop == Stop::Field(form::NAME) {
                    self.check_namesakes(cx);
                }
                self.focus = Focus::List
            }
            Action::Pane(PaneCmd::Checkin(Cmd::Clear)) => {
                self.form.clear();
                cx.info(t!(cx.lang, "checkin.cleared"));
            }
            Action::Pane(PaneCmd::Checkin(Cmd::Toggle)) => self.form.toggle(),
            Action::Pane(PaneCmd::Checkin(Cmd::Unmask)) => self.unmask(cx),
            Action::Pane(PaneCmd::Checkin(Cmd::UseLikely)) => self.use_likely(cx),
            Action::Pane(PaneCmd::Checkin(Cmd::Service(s))) => self.form.toggle_service(*s),
            Action::Pane(PaneCmd::Checkin(Cmd::PickTrade(t))) => self.form.pick_trade(*t),
            Action::Pane(PaneCmd::Checkin(Cmd::OpenTally)) => self.open_tally(),
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
            Action::Pane(PaneCmd::Checkin(Cmd::Undo)) => self.undo(cx),
            Action::Pane(PaneCmd::Checkin(Cmd::OpenTally)) => self.open_tally(),
            Action::Edit(tui_input::InputRequest::InsertChar(_)) => self.type_into_find(cx, action),
            _ => {}
        }
    }

    fn update_tally(&mut self, cx: &mut Ctx, action: &Action) {
        match action {
            Action::Pane(PaneCmd::Checkin(Cmd::Tally(t))) if !self.tally.choosing => {
                self.tally(cx, *t)
            }
            Action::Pane(PaneCmd::Checkin(Cmd::Service(s))) if self.tally.choosing => {
                self.tally.services.toggle(*s)
            }
            Action::Pane(PaneCmd::Checkin(Cmd::TallyServices)) => self.tally.choosing = true,
            Action::Pane(PaneCmd::Checkin(Cmd::CloseTally)) => {
                if self.tally.choosing {
                    self.tally.choosing = false;
                } else {
                    self.focus = Focus::List;
                }
            }
            Action::Pane(PaneCmd::Checkin(Cmd::Undo)) => self.undo(cx),
            Action::Edit(tui_input::InputRequest::InsertChar(_)) => self.type_into_find(cx, action),
            _ => {}
        }
    }

    /// The answer to "replace the unsaved visitor with the one picked?".
    fn answer_replacing(&mut self, cx: &mut Ctx, r: Replacing, action: &Action) {
        if *action == Action::Yes {
            self.prefill(cx, r.id, r.last_visit);
        } else {
            cx.info(t!(cx.lang, "checkin.replace_kept", name = r.name));
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
        if to == Stop::Field(form::MOBILE) {
            // The name was typed in Find and carried: it is left as well.
            self.check_namesakes(cx);
        }
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

    /// Picks person `id` to check in. While the form holds a visitor's
    /// details that were not saved, asks first: nothing typed is lost
    /// without a word.
    fn pick(&mut self, cx: &mut Ctx, id: PersonId, last_visit: Option<DateTime<Utc>>) {
        let Some(draft) = self.form.draft(cx.lang) else {
            return self.prefill(cx, id, last_visit);
        };
        if self.form.known.as_ref().is_some_and(|k| k.id == id) {
            // The same person again: their edits stay.
            self.focus = Focus::Form;
            return self.go(cx, Stop::Services);
        }
        match cx.store.person(id) {
            // Only their name was typed (the namesakes hint, then Ctrl-F):
            // nothing is lost.
            Ok(Some(p)) if self.form.only_name() == Some(p.details.name.as_str()) => {
                self.prefill(cx, id, last_visit)
            }
            Ok(Some(p)) => {
                self.replacing = Some(Replacing {
                    id,
                    last_visit,
                    name: p.details.name,
                    draft,
                });
            }
            Ok(None) => cx.error(t!(cx.lang, "checkin.person_gone")),
            Err(e) => cx.store_error(e),
        }
    }

    /// Fills the form with person `id` (noted in the audit log as viewed).
    fn prefill(&mut self, cx: &mut Ctx, id: PersonId, last_visit: Option<DateTime<Utc>>) {
        if let Err(e) = cx.store.note_view(crate::store::About::person(id)) {
            return cx.store_error(e);
        }
        match cx.store.person(id) {
            Ok(Some(p)) => {
                let name = p.details.name.clone();
                let shares_with = match shared::sharing_names(cx.store, &p) {
                    Ok(names) => names,
                    Err(e) => return cx.store_error(e),
                };
                self.form.prefill(p, last_visit, shares_with);
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
        // Said beside the name whether the save goes through or not.
        self.check_namesakes(cx);
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
        if known.is_none() {
            // Nothing is registered twice by accident: a first save of
            // someone who may be registered already says who, and saves
            // nothing; a second save registers them anyway.
            self.check_likely(cx);
            // A number someone has is the shared-number rule's (below):
            // a family may share one phone.
            if let Some(l) = self.form.likely.clone()
                && l.field != form::MOBILE
                && self.form.likely_ok != Some(l.id)
            {
                self.form.likely_ok = Some(l.id);
                self.focus = Focus::Form;
                self.go(cx, Stop::Services);
                let name = match cx.store.person(l.id) {
                    Ok(p) => p.map(|p| p.details.name).unwrap_or_default(),
                    Err(e) => return cx.store_error(e),
                };
                return cx.error(t!(lang, "checkin.likely_status", name = name));
            }
        }
        match self.check_sharing(cx, &details) {
            Ok(Sharing::Save) => {}
            Ok(Sharing::Warned) => {
                // Enter on the services row is the second save.
                self.focus = Focus::Form;
                self.go(cx, Stop::Services);
                return cx.error(t!(lang, "checkin.mobile_shared_status"));
            }
            Err(e) => return cx.store_error(e),
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
            // What was typed stays in the form, to save again.
            Err(StoreError::Busy) => cx.error(t!(lang, "checkin.busy_kept")),
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

    /// A digit in the tally row: one anonymous visitor of `trade`, with
    /// the services shown on the row; kept to save again when the database
    /// cannot take it now (`queue.rs`).
    fn tally(&mut self, cx: &mut Ctx, trade: Trade) {
        let services = self.tally.services;
        if services.is_empty() {
            return cx.error(t!(cx.lang, "checkin.tally_needs_service"));
        }
        self.count(cx, trade, services);
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
                Ok(v)
                    if v.iter()
                        .any(|v| v.id != last.visit && v.is_here(cx.now, cx.tz)) =>
                {
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

/// The services' short labels, as the here-now list shows them.
fn services_text(services: Services, lang: Lang) -> String {
    let labels: Vec<&str> = services.iter().map(|s| service_short(s, lang)).collect();
    labels.join(t!(lang, "checkin.services_sep"))
}

/// When `person` arrived, if they are still checked in (arrived lately
/// and not left).
fn here_since(cx: &Ctx, person: PersonId) -> Result<Option<DateTime<Utc>>, StoreError> {
    let last = cx.store.visits_of(person, 1)?;
    Ok(last
        .first()
        .filter(|v| v.is_here(cx.now, cx.tz))
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
        if self.replacing.is_some() {
            return vec![keymap::QUESTION];
        }
        match self.focus {
            Focus::List => vec![LIST, keymap::LIST],
            Focus::Tally if self.tally.choosing => vec![TALLY_SERVICES],
            Focus::Tally => vec![TALLY],
            Focus::Form => {
                let mut s = Vec::with_capacity(2);
                match self.form.stop {
                    Stop::Find if !self.form.find.hits.is_empty() && self.form.dropdown() => {
                        s.push(FIND)
                    }
                    Stop::Services => s.push(SERVICES),
                    _ if self.form.on_trade() => {
                        s.push(TRADE_FIELD);
                        s.push(CHOICE);
                    }
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
        self.replacing.is_none() && self.focus == Focus::Form && self.form.typing()
    }

    fn types_through(&self) -> bool {
        self.replacing.is_none() && matches!(self.focus, Focus::List | Focus::Tally)
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) {
        if let Some(r) = self.replacing.take() {
            return self.answer_replacing(cx, r, action);
        }
        match self.focus {
            Focus::Form => self.update_form(cx, action),
            Focus::List => self.update_list(cx, action),
            Focus::Tally => self.update_tally(cx, action),
        }
    }

    fn refresh(&mut self, cx: &mut Ctx) -> bool {
        self.form.find.refresh(cx.store, cx.lang)
    }

    /// Counts that wait to be saved: the loop wakes to try them again.
    fn busy(&self) -> bool {
        !self.present.queued.is_empty()
    }

    /// Quitting asks as for unsaved input (`unsaved`), not as for a sync.
    fn holds_quit(&self) -> bool {
        false
    }

    fn poll(&mut self, cx: &mut Ctx) -> super::Polled {
        let tried = self.retried;
        self.retry_queued(cx);
        if self.retried != tried {
            super::Polled::Moved
        } else {
            super::Polled::Idle
        }
    }

    fn open(&mut self, cx: &mut Ctx, to: Jump) {
        let Jump::Person(id) = to else { return };
        let last = match cx.store.visits_of(id, 1) {
            Ok(v) => v.first().map(|v| v.arrived_at),
            Err(e) => return cx.store_error(e),
        };
        self.pick(cx, id, last);
    }

    /// The name of a new visitor that others are registered with already
    /// (the hint beside the name says Ctrl-F finds them).
    fn lookup_seed(&self) -> Option<String> {
        self.form
            .namesakes
            .as_ref()
            .filter(|_| self.form.known.is_none())
            .map(|_| self.form.text(form::NAME).trim().to_owned())
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        draw::draw(self, f, area, v);
    }

    fn unsaved(&self) -> bool {
        self.form.touched || !self.present.queued.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::visit::Service;
    use chrono::TimeZone;
    use tui_input::InputRequest;

    struct World {
        store: Store,
        status: Option<super::super::Status>,
        pane: CheckinPane,
    }

    impl World {
        fn new() -> World {
            let mut store = Store::open_in_memory().unwrap();
            store
                .init_station("FT", "测试驿站", "Asia/Shanghai")
                .unwrap();
            World {
                store,
                status: None,
                pane: CheckinPane::new(Lang::ZhCn),
            }
        }

        fn send(&mut self, action: Action) {
            self.run(|pane, cx| pane.update(cx, &action));
        }

        fn run(&mut self, f: impl FnOnce(&mut CheckinPane, &mut Ctx)) {
            let (mut jump, mut changed) = (None, false);
            let mut cx = Ctx {
                store: &mut self.store,
                lang: Lang::ZhCn,
                now: Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap(),
                tz: chrono_tz::Asia::Shanghai,
                status: &mut self.status,
                jump: &mut jump,
                changed: &mut changed,
                db: None,
                marks: None,
            };
            f(&mut self.pane, &mut cx);
        }

        fn cmd(&mut self, c: Cmd) {
            self.send(Action::Pane(PaneCmd::Checkin(c)));
        }

        fn type_in(&mut self, s: &str) {
            for c in s.chars() {
                self.send(Action::Edit(InputRequest::InsertChar(c)));
            }
        }

        fn today(&self) -> u64 {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
            self.store.headcount_on(day).unwrap()
        }
    }

    #[test]
    fn digits_in_the_list_go_to_find_and_count_no_one() {
        let mut w = World::new();
        w.send(Action::Back);
        assert_eq!(w.pane.focus, Focus::List);
        assert!(w.pane.types_through());
        w.type_in("13800138000");
        assert_eq!(w.today(), 0);
        assert_eq!(w.pane.focus, Focus::Form);
        assert_eq!(w.pane.form.stop, Stop::Find);
        assert_eq!(w.pane.form.find.query(), "13800138000");
        // What Find held stays, the new text after it.
        w.send(Action::Back);
        w.type_in("张");
        assert_eq!(w.pane.form.find.query(), "13800138000张");
    }

    #[test]
    fn the_tally_row_counts_with_its_services_and_opens_plain() {
        let mut w = World::new();
        w.cmd(Cmd::OpenTally);
        assert_eq!(w.pane.focus, Focus::Tally);
        assert_eq!(w.pane.scopes(), [TALLY]);
        w.cmd(Cmd::Tally(Trade::Courier));
        assert_eq!(w.today(), 1);
        w.cmd(Cmd::TallyServices);
        assert_eq!(w.pane.scopes(), [TALLY_SERVICES]);
        // Trades do not count while the services are chosen.
        w.cmd(Cmd::Tally(Trade::Courier));
        assert_eq!(w.today(), 1);
        for s in [Service::Rest, Service::Water, Service::Charging] {
            w.cmd(Cmd::Service(s));
        }
        w.cmd(Cmd::CloseTally);
        assert_eq!(w.pane.focus, Focus::Tally);
        w.cmd(Cmd::Tally(Trade::Truck));
        let Some(Done::Tally(last)) = w.pane.present.done.last().cloned() else {
            panic!("no tally noted");
        };
        assert_eq!(
            last.services.iter().collect::<Vec<_>>(),
            [Service::Charging]
        );
        let v = w.store.visit(last.visit).unwrap().unwrap();
        assert_eq!((v.trade, v.services), (Trade::Truck, last.services));
        // Undo in the row; closing it and opening again starts plain.
        w.cmd(Cmd::Undo);
        assert_eq!(w.today(), 1);
        w.cmd(Cmd::CloseTally);
        assert_eq!(w.pane.focus, Focus::List);
        w.cmd(Cmd::OpenTally);
        assert_eq!(w.pane.tally, TallyRow::default());
    }

    #[test]
    fn picking_someone_over_typed_details_asks_first() {
        let mut w = World::new();
        let details = crate::domain::person::PersonInput {
            name: "陈回访".into(),
            mobile: "19900001234".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let id = w.store.write(|wr| wr.add_person(&details)).unwrap();
        let open = |w: &mut World| w.run(|p, cx| p.open(cx, Jump::Person(id)));
        // Nothing typed: a pick asks nothing.
        open(&mut w);
        assert!(w.pane.replacing.is_none());
        assert_eq!(w.pane.form.known.as_ref().map(|k| k.id), Some(id));
        w.send(Action::Pane(PaneCmd::Checkin(Cmd::Clear)));

        w.send(Action::NextField);
        w.type_in("草稿人");
        open(&mut w);
        let asked = w.pane.replacing.clone().unwrap();
        assert_eq!(
            (asked.name.as_str(), asked.draft.as_str()),
            ("陈回访", "草稿人")
        );
        assert_eq!(w.pane.scopes(), [keymap::QUESTION]);
        assert!(!w.pane.typing() && !w.pane.types_through());
        w.send(Action::No);
        assert!(w.pane.replacing.is_none());
        assert_eq!(w.pane.form.text(form::NAME), "草稿人");
        assert!(w.pane.form.known.is_none());

        open(&mut w);
        w.send(Action::Yes);
        assert_eq!(w.pane.form.known.as_ref().map(|k| k.id), Some(id));
        assert_eq!(w.pane.form.text(form::NAME), "陈回访");
    }
}
