//! F2 Cases: the queue as a table with filters and sorts, a case's detail
//! with its timeline, the new-case form, and the dialogs of the detail
//! (status, note, follow-up, handler, referral, amounts, respondent,
//! claimants).
//!
//! State lives in [`CasesPane`]; `update` applies actions and writes through
//! the store; `draw` reads the state only.

mod detail;
mod dialog;
mod form;
mod handoff;
mod intake;
mod list;
mod owed;
mod respondent;
mod slip;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

use self::detail::Detail;
use self::dialog::Dialog;
use self::form::NewCaseForm;
use self::list::Queue;
use super::{Ctx, Jump, Pane, View};
use crate::domain::case::CaseStatus;
use crate::domain::error::ValidationError;
use crate::domain::ids::{CaseId, StaffId};
use crate::domain::money::Fen;
use crate::domain::staff::Staff;
use crate::i18n::{Lang, Localized};
use crate::store::QueueRow;
use crate::store::StoreError;
use crate::t;
use crate::tui::action::{Action, PaneCmd, commands};
use crate::tui::keymap::{self, Binding, Key, bind, bind_cmd};
use crate::tui::widgets::field::Field;

commands! {
    /// The cases pane's single-key commands.
    pub enum Cmd {
        /// A new case.
        NewCase = "cases.new_case",
        /// The next status filter of the queue.
        FilterStatus = "cases.filter_status",
        /// Only cases whose follow-up is overdue, or all.
        FilterOverdue = "cases.filter_overdue",
        /// The next case type filter of the queue.
        FilterType = "cases.filter_type",
        /// The next handler filter of the queue.
        FilterHandler = "cases.filter_handler",
        /// The queue without filters (open cases).
        FilterClear = "cases.filter_clear",
        /// Sort the queue by follow-up date.
        SortDue = "cases.sort_due",
        /// Sort the queue by age.
        SortAge = "cases.sort_age",
        /// Sort the queue by amount claimed.
        SortAmount = "cases.sort_amount",
        /// Sort the queue by case number.
        SortNumber = "cases.sort_number",
        /// Change the status of the case shown.
        Status = "cases.status",
        /// Add a note to the case shown.
        Note = "cases.note",
        /// Set the follow-up date of the case shown.
        FollowUp = "cases.follow_up",
        /// Assign the case shown to a handler.
        Assign = "cases.assign",
        /// Refer the case shown to an outside body, escalate it to the
        /// district office or hand it to another station.
        Refer = "cases.refer",
        /// The next step of a referral, escalation or hand-over of the case
        /// shown (accept, reject, in progress, done, withdraw).
        HandoffStep = "cases.handoff_step",
        /// The day the worker knew of the infringement (where the
        /// arbitration time limit runs from).
        Infringed = "cases.infringed",
        /// Only the cases handed to this station, or all.
        FilterHanded = "cases.filter_handed",
        /// The respondent of the case shown: every case against it at
        /// every station.
        RespondentPage = "cases.respondent_page",
        /// Take the register's respondent offered under the field.
        UseRespondent = "cases.use_respondent",
        /// Change what the register says of the respondent shown (credit
        /// code, platform, address, contact).
        RespondentEdit = "respondents.edit",
        /// Add a claimant to the case shown.
        AddClaimant = "cases.add_claimant",
        /// Remove a claimant from the case shown.
        RemoveClaimant = "cases.remove_claimant",
        /// The amounts claimed and recovered of the case shown.
        Amounts = "cases.amounts",
        /// The respondent of the case shown.
        Respondent = "cases.respondent",
        /// Drop the last claimant of the new-case form.
        PickerPop = "cases.picker_pop",
        /// Read a roster file (its path typed in the claimant field).
        OpenRoster = "cases.open_roster",
        /// The typed claimant is the registered worker said beside the
        /// line.
        UseLikely = "cases.use_likely",
        /// Show the slip the worker takes away (case number, station,
        /// handler, what next, a QR code; no name or number).
        Slip = "cases.slip",
        /// Put the slip away.
        SlipAway = "cases.slip_away",
        /// Each claimant's amounts owed and recovered.
        Owed = "cases.owed",
        /// Every claimant got back what he is owed.
        OwedInFull = "cases.owed_in_full",
    }
}

/// The queue.
pub const LIST: &str = "cases.list";
/// A case's detail.
pub const DETAIL: &str = "cases.detail";
/// The worker's slip over the detail: Esc or Enter puts it away.
pub const SLIP: &str = "cases.slip";
/// The new-case form.
pub const NEW: &str = "cases.new";
/// The claimant picker of the new-case form.
pub const PICKER: &str = "cases.picker";
/// A dialog of the detail with fields.
pub const DIALOG: &str = "cases.dialog";
/// Adding a claimant to an open case.
pub const ADD: &str = "cases.add";
/// Choosing the claimant to remove.
pub const REMOVE: &str = "cases.remove";
/// Asking before removing the chosen claimant.
pub const REMOVE_ASK: &str = "cases.remove_ask";
/// Each claimant's amounts.
pub const OWED: &str = "cases.owed_dialog";
/// A respondent's page.
pub const RESPONDENT_PAGE: &str = "cases.respondent";
/// Changing a respondent's record, over its page.
pub const RESPONDENT_EDIT: &str = "cases.respondent_edit";

/// The keys of the pane.
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let (c, p) = (Key::ch, Key::plain);
    vec![
        bind_cmd(LIST, &[c('n')], Cmd::NewCase, true),
        bind(LIST, &[p(Enter)], Action::Confirm, "key.open", true),
        bind_cmd(LIST, &[c('s')], Cmd::FilterStatus, true),
        bind_cmd(LIST, &[c('o')], Cmd::FilterOverdue, true),
        bind_cmd(LIST, &[c('t')], Cmd::FilterType, false),
        bind_cmd(LIST, &[c('h')], Cmd::FilterHandler, false),
        bind_cmd(LIST, &[c('x')], Cmd::FilterClear, false),
        bind_cmd(LIST, &[c('d')], Cmd::SortDue, false),
        bind_cmd(LIST, &[c('a')], Cmd::SortAge, false),
        bind_cmd(LIST, &[c('m')], Cmd::SortAmount, false),
        bind_cmd(LIST, &[c('#')], Cmd::SortNumber, false),
        bind_cmd(DETAIL, &[c('s')], Cmd::Status, true),
        bind_cmd(DETAIL, &[c('a')], Cmd::Note, true),
        bind_cmd(DETAIL, &[c('f')], Cmd::FollowUp, true),
        bind_cmd(DETAIL, &[c('h')], Cmd::Assign, true),
        bind(DETAIL, &[p(Esc)], Action::Back, "key.back", true),
        bind_cmd(DETAIL, &[c('r')], Cmd::Refer, false),
        bind_cmd(DETAIL, &[c('g')], Cmd::HandoffStep, false),
        bind_cmd(DETAIL, &[c('k')], Cmd::Infringed, false),
        bind_cmd(LIST, &[c('u')], Cmd::FilterHanded, false),
        bind_cmd(DETAIL, &[c('b')], Cmd::RespondentPage, false),
        bind_cmd(NEW, &[Key::ctrl('r')], Cmd::UseRespondent, false),
        bind_cmd(DIALOG, &[Key::ctrl('r')], Cmd::UseRespondent, false),
        bind(
            RESPONDENT_PAGE,
            &[p(Enter)],
            Action::Confirm,
            "key.open",
            true,
        ),
        bind(RESPONDENT_PAGE, &[p(Up)], Action::Up, "key.up", false),
        bind(RESPONDENT_PAGE, &[p(Down)], Action::Down, "key.down", false),
        bind(RESPONDENT_PAGE, &[p(Esc)], Action::Back, "key.back", true),
        bind_cmd(RESPONDENT_PAGE, &[c('e')], Cmd::RespondentEdit, true),
        bind(
            RESPONDENT_EDIT,
            &[Key::ctrl('s')],
            Action::Save,
            "key.save",
            true,
        ),
        bind(RESPONDENT_EDIT, &[p(Esc)], Action::Back, "key.cancel", true),
        bind_cmd(DETAIL, &[c('c')], Cmd::AddClaimant, false),
        bind_cmd(DETAIL, &[c('x')], Cmd::RemoveClaimant, false),
        bind_cmd(DETAIL, &[c('m')], Cmd::Amounts, false),
        bind_cmd(DETAIL, &[c('o')], Cmd::Owed, false),
        bind(OWED, &[p(Up)], Action::Up, "cases.owed_up", true),
        bind(OWED, &[p(Down)], Action::Down, "cases.owed_down", false),
        bind(OWED, &[p(Enter)], Action::Confirm, "cases.owed_next", true),
        bind_cmd(OWED, &[Key::ctrl('a')], Cmd::OwedInFull, true),
        bind_cmd(DETAIL, &[c('e')], Cmd::Respondent, false),
        bind_cmd(DETAIL, &[c('p')], Cmd::Slip, true),
        bind_cmd(SLIP, &[p(Esc), p(Enter)], Cmd::SlipAway, true),
        bind(NEW, &[Key::ctrl('s')], Action::Save, "key.save", true),
        bind(
            PICKER,
            &[p(Enter)],
            Action::Confirm,
            "cases.picker_add",
            true,
        ),
        bind_cmd(PICKER, &[Key::ctrl('d')], Cmd::PickerPop, true),
        bind_cmd(PICKER, &[Key::ctrl('o')], Cmd::OpenRoster, false),
        bind_cmd(PICKER, &[Key::ctrl('p')], Cmd::UseLikely, false),
        bind_cmd(ADD, &[Key::ctrl('p')], Cmd::UseLikely, false),
        bind(PICKER, &[p(Up)], Action::Up, "cases.hit_up", false),
        bind(PICKER, &[p(Down)], Action::Down, "cases.hit_down", false),
        bind(DIALOG, &[Key::ctrl('s')], Action::Save, "key.save", true),
        bind(ADD, &[p(Enter)], Action::Confirm, "cases.picker_add", true),
        bind(ADD, &[p(Up)], Action::Up, "cases.hit_up", false),
        bind(ADD, &[p(Down)], Action::Down, "cases.hit_down", false),
        bind(ADD, &[p(Esc)], Action::Back, "key.close", true),
        bind(
            REMOVE,
            &[p(Enter)],
            Action::Confirm,
            "cases.remove_selected",
            true,
        ),
        bind(REMOVE, &[p(Up)], Action::Up, "key.up", false),
        bind(REMOVE, &[p(Down)], Action::Down, "key.down", false),
        bind(REMOVE, &[p(Esc)], Action::Back, "key.cancel", true),
        bind(REMOVE_ASK, &[c('y')], Action::Yes, "cases.remove_yes", true),
        bind(
            REMOVE_ASK,
            &[c('n'), p(Esc)],
            Action::No,
            "cases.remove_no",
            true,
        ),
    ]
}

/// The cases pane.
#[derive(Debug)]
pub struct CasesPane {
    queue: Queue,
    /// Every staff member (names for handlers; the active ones as choices).
    staff: Vec<Staff>,
    /// The case shown, if any (else the queue).
    detail: Option<Detail>,
    /// A dialog over the detail.
    dialog: Option<Dialog>,
    /// The new-case form, over everything else.
    form: Option<NewCaseForm>,
    /// The worker's slip, over the detail (`slip.rs`).
    slip: Option<crate::report::slip::Slip>,
    /// A respondent's page, over the detail (`respondent.rs`).
    respondent: Option<respondent::Page>,
    /// Esc was pressed once on unsaved input; the next Esc discards it.
    esc_armed: bool,
}

impl CasesPane {
    /// A pane with nothing read yet (the language comes with each action
    /// and frame).
    pub fn new(_lang: Lang) -> Self {
        Self {
            queue: Queue::default(),
            staff: Vec::new(),
            detail: None,
            dialog: None,
            form: None,
            slip: None,
            respondent: None,
            esc_armed: false,
        }
    }

    /// The rows of the queue as shown.
    pub fn rows(&self) -> &[QueueRow] {
        &self.queue.rows
    }

    /// The case whose detail is shown.
    pub fn shown_case(&self) -> Option<CaseId> {
        self.detail.as_ref().map(|d| d.case.id)
    }

    /// What is said beside the claimant line of the new-case form.
    pub fn new_form_error(&self) -> Option<String> {
        self.form.as_ref()?.picker.field.error.clone()
    }

    /// The slip shown over the detail, if any.
    pub fn slip(&self) -> Option<&crate::report::slip::Slip> {
        self.slip.as_ref()
    }

    /// Whether the new-case form is open.
    pub fn form_open(&self) -> bool {
        self.form.is_some()
    }

    /// Whether a dialog is open over the detail.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_some()
    }

    fn load_staff(&mut self, cx: &mut Ctx) {
        match cx.store.staff() {
            Ok(s) => self.staff = s,
            Err(e) => cx.store_error(e),
        }
    }

    /// Shows case `id` (re-reading it).
    fn show_case(&mut self, cx: &mut Ctx, id: CaseId) {
        if let Err(e) = cx.store.note_view(crate::store::About::case(id)) {
            return cx.store_error(e);
        }
        let scroll = self
            .detail
            .as_ref()
            .filter(|d| d.case.id == id)
            .map_or(0, |d| d.scroll);
        match Detail::load(cx.store, id) {
            Ok(mut d) => {
                d.scroll = scroll;
                self.detail = Some(d);
                self.queue.select_case(id);
            }
            Err(e) => {
                self.detail = None;
                self.dialog = None;
                cx.store_error(e);
            }
        }
    }

    /// Re-reads what the pane shows after a save: the queue and the case.
    fn reload(&mut self, cx: &mut Ctx) {
        self.queue.load(cx);
        if let Some(id) = self.shown_case() {
            self.show_case(cx, id);
        }
    }

    /// Esc on input: the first press warns when something is unsaved, the
    /// second discards. Returns whether to discard now.
    fn esc_discards(&mut self, cx: &mut Ctx, unsaved: bool) -> bool {
        if unsaved && !self.esc_armed {
            self.esc_armed = true;
            cx.info(t!(cx.lang, "cases.esc_again"));
            return false;
        }
        self.esc_armed = false;
        *cx.status = None;
        true
    }

    fn update_form(&mut self, cx: &mut Ctx, action: &Action) {
        let Some(form) = &mut self.form else { return };
        if *action == Action::Back {
            let unsaved = form.unsaved();
            if self.esc_discards(cx, unsaved) {
                self.form = None;
            }
            return;
        }
        self.esc_armed = false;
        if let Some((id, number)) = form.update(cx, action) {
            self.form = None;
            cx.info(t!(cx.lang, "cases.opened", number = number));
            self.queue.load(cx);
            self.show_case(cx, id);
            // The worker leaves with the slip in hand.
            self.show_slip(cx, id);
        }
    }

    /// Shows the slip of case `id` over its detail.
    fn show_slip(&mut self, cx: &mut Ctx, id: CaseId) {
        match crate::report::slip::Slip::of(cx.store, id, cx.lang) {
            Ok(s) => self.slip = s,
            Err(e) => cx.store_error(e),
        }
    }

    fn update_dialog(&mut self, cx: &mut Ctx, action: &Action) {
        let (Some(dialog), Some(detail)) = (&mut self.dialog, &self.detail) else {
            self.dialog = None;
            return;
        };
        if *action == Action::Back {
            let unsaved = dialog.unsaved();
            if self.esc_discards(cx, unsaved) {
                self.dialog = None;
            }
            return;
        }
        self.esc_armed = false;
        match dialog.update(cx, action, detail) {
            dialog::Done::Stay => {}
            dialog::Done::Closed => self.dialog = None,
            dialog::Done::Saved { close } => {
                if close {
                    self.dialog = None;
                }
                self.reload(cx);
                if let (Some(dialog), Some(detail)) = (&mut self.dialog, &self.detail) {
                    dialog.refill_owed(detail, cx.lang);
                }
            }
        }
    }

    fn update_detail(&mut self, cx: &mut Ctx, action: &Action) {
        let Some(d) = &mut self.detail else { return };
        let lang = cx.lang;
        match action {
            Action::Back => {
                self.detail = None;
                self.queue.load(cx);
            }
            Action::Up => d.scroll = d.scroll.saturating_sub(1),
            Action::Down => d.scroll_down(1),
            Action::PageUp => d.scroll = d.scroll.saturating_sub(d.page()),
            Action::PageDown => d.scroll_down(d.page()),
            Action::Home => d.scroll = 0,
            Action::End => d.scroll_end(),
            Action::Pane(PaneCmd::Cases(Cmd::Slip)) => {
                let id = d.case.id;
                self.show_slip(cx, id);
            }
            Action::Pane(PaneCmd::Cases(Cmd::Refer)) => {
                let d = d.clone();
                self.dialog = handoff::open_new(cx, &d);
            }
            Action::Pane(PaneCmd::Cases(Cmd::HandoffStep)) => {
                let d = d.clone();
                self.dialog = handoff::open_step(cx, &d);
            }
            Action::Pane(PaneCmd::Cases(Cmd::RespondentPage)) => match d.case.respondent_id {
                None => cx.info(t!(lang, "respondents.case_has_none")),
                Some(id) => match respondent::Page::load(cx.store, id) {
                    Ok(p) => self.respondent = p,
                    Err(e) => cx.store_error(e),
                },
            },
            Action::Pane(PaneCmd::Cases(Cmd::Infringed)) => {
                self.dialog = Some(handoff::open_infringed(lang, d));
            }
            Action::Pane(PaneCmd::Cases(cmd)) => {
                if let Some(dialog) = Dialog::open(*cmd, lang, d, &self.staff) {
                    self.dialog = Some(dialog);
                }
            }
            _ => {}
        }
    }

    fn update_list(&mut self, cx: &mut Ctx, action: &Action) {
        match action {
            Action::Pane(PaneCmd::Cases(Cmd::NewCase)) => {
                self.form = Some(NewCaseForm::new(cx.lang, &self.staff));
            }
            Action::Confirm => {
                if let Some(id) = self.queue.current() {
                    self.show_case(cx, id);
                }
            }
            other => {
                if self.queue.update(other, &self.staff) {
                    self.queue.load(cx);
                }
            }
        }
    }
}

impl Pane for CasesPane {
    fn load(&mut self, cx: &mut Ctx) {
        self.load_staff(cx);
        self.reload(cx);
    }

    fn scopes(&self) -> Vec<&'static str> {
        if let Some(form) = &self.form {
            return if form.on_picker() {
                vec![PICKER, NEW, keymap::FORM]
            } else {
                vec![NEW, keymap::FORM]
            };
        }
        if let Some(p) = &self.respondent {
            if p.editing.is_some() {
                return vec![RESPONDENT_EDIT, keymap::FORM];
            }
            return vec![RESPONDENT_PAGE, keymap::LIST];
        }
        if let Some(d) = &self.dialog {
            return match d.kind {
                dialog::Kind::AddClaimant => vec![ADD],
                dialog::Kind::RemoveClaimant if d.confirming => vec![REMOVE_ASK],
                dialog::Kind::RemoveClaimant => vec![REMOVE],
                dialog::Kind::Owed => vec![OWED, DIALOG, keymap::FORM],
                _ => vec![DIALOG, keymap::FORM],
            };
        }
        if self.detail.is_some() {
            // Over the slip, Esc and Enter put it away; every other key
            // puts it away and does what it does on the detail.
            if self.slip.is_some() {
                return vec![SLIP, DETAIL, keymap::LIST];
            }
            return vec![DETAIL, keymap::LIST];
        }
        vec![LIST, keymap::LIST]
    }

    fn takes_lines(&self) -> bool {
        self.form.as_ref().is_some_and(NewCaseForm::on_picker)
    }

    fn typing(&self) -> bool {
        if let Some(form) = &self.form {
            return form.typing();
        }
        if let Some(f) = self.respondent.as_ref().and_then(|p| p.editing.as_ref()) {
            return f.typing();
        }
        self.dialog.as_ref().is_some_and(Dialog::typing)
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) {
        if self.slip.take().is_some()
            && matches!(action, Action::Pane(PaneCmd::Cases(Cmd::SlipAway)))
        {
            return;
        }
        if self.form.is_some() {
            self.update_form(cx, action);
        } else if let Some(page) = self.respondent.as_mut().filter(|p| p.editing.is_some()) {
            match action {
                Action::Back => page.editing = None,
                Action::Save | Action::Confirm => {
                    let last = page
                        .editing
                        .as_ref()
                        .is_some_and(|f| f.focus + 1 >= f.fields.len());
                    if *action == Action::Save || last {
                        if page.save(cx) {
                            let id = page.page.respondent.id;
                            if let Ok(Some(p)) = respondent::Page::load(cx.store, id) {
                                self.respondent = Some(p);
                            }
                            if let Some(id) = self.shown_case() {
                                self.show_case(cx, id);
                            }
                        }
                    } else if let Some(f) = &mut page.editing {
                        f.handle(&Action::NextField);
                    }
                }
                other => {
                    if let Some(f) = &mut page.editing {
                        f.handle(other);
                        if matches!(other, Action::Edit(_)) {
                            f.touched = true;
                        }
                    }
                }
            }
        } else if let Some(page) = &mut self.respondent {
            match action {
                Action::Pane(PaneCmd::Cases(Cmd::RespondentEdit)) => page.edit(cx.lang),
                Action::Up => page.up(),
                Action::Down => page.down(),
                Action::Back => self.respondent = None,
                Action::Confirm => {
                    if let Some(id) = page.current() {
                        self.respondent = None;
                        self.show_case(cx, id);
                    }
                }
                _ => {}
            }
        } else if self.dialog.is_some() {
            self.update_dialog(cx, action);
        } else if self.detail.is_some() {
            self.update_detail(cx, action);
        } else {
            self.update_list(cx, action);
        }
    }

    fn refresh(&mut self, cx: &mut Ctx) -> bool {
        let lang = cx.lang;
        if let Some(form) = &mut self.form {
            let typed = form.form.field(form::RESPONDENT).text_value().to_owned();
            let offered =
                form.form.focus == form::RESPONDENT && form.offers.refresh(cx.store, &typed);
            return form.picker.refresh(cx.store, lang) || offered;
        }
        if let Some(d) = self
            .dialog
            .as_mut()
            .filter(|d| d.kind == dialog::Kind::Respondent)
        {
            let typed = d.form.field(0).text_value().to_owned();
            return d.offers.refresh(cx.store, &typed);
        }
        if let Some(p) = self.dialog.as_mut().and_then(|d| d.picker.as_mut()) {
            return p.refresh(cx.store, lang);
        }
        false
    }

    fn open(&mut self, cx: &mut Ctx, to: Jump) {
        let id = match to {
            Jump::Case(id) => id,
            Jump::Cases(set) => {
                self.dialog = None;
                if self.form.as_ref().is_some_and(NewCaseForm::unsaved) {
                    cx.info(t!(cx.lang, "cases.form_still_open"));
                } else {
                    self.form = None;
                }
                self.detail = None;
                self.queue.show_set(cx, *set);
                return;
            }
            Jump::Person(_) => return,
        };
        self.dialog = None;
        self.esc_armed = false;
        if self.form.as_ref().is_some_and(NewCaseForm::unsaved) {
            // Keep what was typed; the case shows once the form is done.
            cx.info(t!(cx.lang, "cases.form_still_open"));
        } else {
            self.form = None;
        }
        self.show_case(cx, id);
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        if let Some(form) = &self.form {
            form.draw(f, area, v);
            return;
        }
        if let Some(p) = &self.respondent {
            p.draw(f, area, v);
            return;
        }
        if let Some(d) = &self.detail {
            // The slip alone: a photo of the screen shows nothing of the
            // case's people behind it.
            if let (Some(s), None) = (&self.slip, &self.dialog) {
                slip::draw(s, f, area, v);
                return;
            }
            d.draw(f, area, v, &self.staff);
            if let Some(dialog) = &self.dialog {
                dialog.draw(f, area, v, d);
            }
            return;
        }
        self.queue.draw(f, area, v, &self.staff);
    }

    fn unsaved(&self) -> bool {
        self.form.as_ref().is_some_and(NewCaseForm::unsaved)
            || self
                .respondent
                .as_ref()
                .and_then(|p| p.editing.as_ref())
                .is_some_and(|f| f.touched)
            || self.dialog.as_ref().is_some_and(Dialog::unsaved)
    }
}

// ---- shared helpers ---------------------------------------------------------

/// The validation error inside a store error.
fn invalid(e: &StoreError) -> Option<&ValidationError> {
    match e {
        StoreError::Invalid(v) => Some(v),
        _ => None,
    }
}

/// An amount typed in yuan; blank is zero.
fn parse_amount(s: &str, lang: Lang) -> Result<Fen, String> {
    if s.trim().is_empty() {
        return Ok(Fen(0));
    }
    Fen::parse(s).map_err(|e| e.localized(lang))
}

/// A date typed on `today`, in any form staff type one
/// ([`crate::domain::dates::parse_date`]); blank is none.
fn parse_day(s: &str, today: NaiveDate, lang: Lang) -> Result<Option<NaiveDate>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    crate::domain::dates::parse_date(s, today)
        .map(Some)
        .map_err(|e| e.localized(lang))
}

/// A follow-up date typed on `today`: a date, not before today; blank is
/// none.
fn parse_follow_up(s: &str, today: NaiveDate, lang: Lang) -> Result<Option<NaiveDate>, String> {
    match parse_day(s, today, lang)? {
        None => Ok(None),
        Some(d) => crate::domain::case::check_follow_up(d, today)
            .map(Some)
            .map_err(|e| e.localized(lang)),
    }
}

/// A warning when `recovered` is more than a (non-zero) `claimed`: allowed,
/// but worth a second look before saving.
fn recovered_warning(claimed: Fen, recovered: Fen, lang: Lang) -> Option<String> {
    (claimed.0 > 0 && recovered > claimed).then(|| {
        t!(
            lang,
            "cases.warn_recovered_more",
            recovered = money_long(recovered),
            claimed = money_long(claimed)
        )
    })
}

/// Money in the detail: ¥1,234.50, or `-`.
fn money_long(f: Fen) -> String {
    crate::tui::widgets::picker::money(f)
}

/// The name of a staff member, `?` when unknown.
fn staff_name(staff: &[Staff], id: Option<StaffId>, lang: Lang) -> String {
    match id {
        None => t!(lang, "cases.unassigned").to_owned(),
        Some(id) => staff
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| "?".to_owned(), |s| s.name.clone()),
    }
}

/// The handler choices: unassigned, then the active staff by name (and the
/// current handler if no longer active).
fn handler_choices(
    staff: &[Staff],
    current: Option<StaffId>,
    lang: Lang,
) -> (Vec<String>, Vec<Option<StaffId>>, usize) {
    let mut labels = vec![t!(lang, "cases.unassigned").to_owned()];
    let mut ids = vec![None];
    // Who may be chosen: active staff who work on cases (the store's rule:
    // no volunteer), and whoever handles the case now.
    let handles = |s: &&Staff| {
        (s.active && crate::domain::access::Act::Cases.allows(s.role)) || Some(s.id) == current
    };
    for s in staff.iter().filter(handles) {
        labels.push(s.name.clone());
        ids.push(Some(s.id));
    }
    let selected = ids.iter().position(|i| *i == current).unwrap_or(0);
    (labels, ids, selected)
}

/// Style of a status label.
fn status_style(s: CaseStatus) -> Style {
    match s {
        CaseStatus::New => Style::new().fg(Color::Cyan),
        CaseStatus::InProgress => Style::new(),
        CaseStatus::Waiting => Style::new().fg(Color::Yellow),
        CaseStatus::Resolved => Style::new().fg(Color::Green),
        CaseStatus::Closed => Style::new().fg(Color::DarkGray),
    }
}

/// Style of an overdue follow-up date.
fn overdue_style() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// Rows a field takes: one, and the lines of an error too long to go
/// beside it (see `Field::height`).
fn field_rows(field: &Field, cells: u16, label_cells: usize) -> u16 {
    field.height(usize::from(cells), label_cells)
}

/// Draws a field at the top of `area`, its error wrapped below it when it
/// does not fit beside; returns the rows used.
fn draw_field(f: &mut Frame, area: Rect, field: &Field, label_cells: usize, focused: bool) -> u16 {
    if area.height == 0 {
        return 0;
    }
    let h = field_rows(field, area.width, label_cells).min(area.height);
    field.draw(f, Rect { height: h, ..area }, label_cells, focused);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_amounts_and_dates_are_none() {
        assert_eq!(parse_amount("  ", Lang::En), Ok(Fen(0)));
        assert_eq!(parse_amount("1.2万", Lang::En), Ok(Fen(1_200_000)));
        assert!(parse_amount("12x", Lang::ZhCn).is_err());
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(parse_day("", today, Lang::En), Ok(None));
        assert!(parse_day("2026-13-01", today, Lang::En).is_err());
    }

    #[test]
    fn a_follow_up_before_today_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(parse_follow_up(" ", today, Lang::En), Ok(None));
        assert_eq!(
            parse_follow_up("2026-11-20", today, Lang::En),
            Ok(Some(today))
        );
        let e = parse_follow_up("2020-01-01", today, Lang::ZhCn).unwrap_err();
        assert!(e.contains("早于今天"), "{e}");
        assert!(parse_follow_up("2026-11-19", today, Lang::En).is_err());
        // Any form of date: today is a Friday.
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d);
        assert_eq!(parse_follow_up("下周一", today, Lang::En), Ok(day(11, 23)));
        assert_eq!(parse_follow_up("12/15", today, Lang::En), Ok(day(12, 15)));
        assert_eq!(parse_follow_up("周五", today, Lang::En), Ok(Some(today)));
        assert!(parse_follow_up("昨天", today, Lang::En).is_err());
    }

    #[test]
    fn recovering_more_than_claimed_warns() {
        assert!(recovered_warning(Fen(1_200_000), Fen(2_000_000), Lang::En).is_some());
        assert!(recovered_warning(Fen(1_200_000), Fen(1_200_000), Lang::En).is_none());
        assert!(recovered_warning(Fen(0), Fen(2_000_000), Lang::En).is_none());
    }

    #[test]
    fn a_long_error_goes_below_its_field() {
        let mut f = Field::text("金额", "12x");
        assert_eq!(field_rows(&f, 80, 8), 1);
        f.error = Some("x".repeat(60));
        assert_eq!(field_rows(&f, 80, 8), 2);
        assert_eq!(field_rows(&f, 120, 8), 1);
    }

    #[test]
    fn every_scope_has_keys_and_a_short_bar() {
        let b = bindings();
        for scope in [LIST, DETAIL, NEW, PICKER, DIALOG, ADD, REMOVE, REMOVE_ASK] {
            assert!(b.iter().any(|x| x.scope == scope));
            assert!(b.iter().filter(|x| x.scope == scope && x.bar).count() <= 6);
        }
    }
}
