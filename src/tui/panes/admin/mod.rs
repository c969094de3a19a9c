//! F6 Admin: staff and their roles and PINs, the audit log, erasure of a
//! person on request. Admins only.
//!
//! Three sections, switched with Tab: the staff list (add, change a role,
//! set a PIN, deactivate or reactivate), the audit log (entries and the
//! changes to records, newest first, filtered by period, staff member and
//! action, each line's details with Enter), and erasure (find the person,
//! then confirm by typing a word). The pane checks the session itself on
//! every load and key: whoever is not an admin sees only what role this
//! needs, never a line of the data.

mod dialogs;
mod draw;
mod erase;
mod keys;
mod log;
mod staff;

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Ctx, Pane, View};
use crate::domain::access::Act;
use crate::domain::dates::{NamedPeriod, Period};
use crate::domain::ids::StaffId;
use crate::domain::staff::Staff;
use crate::i18n::Lang;
use crate::store::PersonHit;
use crate::store::{AuditEntry, AuditPage};
use crate::t;
use crate::tui::action::Action;
use crate::tui::keymap;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::picker::Picker;

pub use self::keys::{CHOOSE, CONFIRM, Cmd, ERASE, FORM, LINE, LOG, PICK, STAFF, bindings};

/// Lines of the audit log read at most for one view.
pub const LOG_LIMIT: usize = 500;

/// Recent erasures listed in the erasure section.
pub const ERASED_LIMIT: usize = 20;

/// The sections, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Staff,
    Log,
    Erase,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Staff, Section::Log, Section::Erase];

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Section::Staff => t!(lang, "admin.sec_staff"),
            Section::Log => t!(lang, "admin.sec_log"),
            Section::Erase => t!(lang, "admin.sec_erase"),
        }
    }

    /// The next (or previous) section, round.
    pub fn step(self, forward: bool) -> Section {
        let i = Section::ALL.iter().position(|s| *s == self).unwrap_or(0);
        let n = Section::ALL.len();
        Section::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// A staff member as the list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub staff: Staff,
    pub has_pin: bool,
}

/// What a chooser chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choosing {
    Staff,
    Action,
}

/// A dialog over the pane.
pub enum Dialog {
    /// A new staff member: name, role, PIN, PIN again.
    Add(Form),
    /// A new role for a staff member.
    Role {
        id: StaffId,
        name: String,
        form: Form,
    },
    /// A new PIN for a staff member, twice.
    Pin {
        id: StaffId,
        name: String,
        form: Form,
    },
    /// "Deactivate (or reactivate) this staff member?" `active` is the
    /// state asked for.
    Active {
        id: StaffId,
        name: String,
        active: bool,
    },
    /// The log's period, from–to.
    Range(Form),
    /// Choosing a staff member or an action to filter the log by.
    Choose { what: Choosing, selected: usize },
    /// One line of the log in full.
    Line { index: usize },
    /// Finding the person to erase.
    Pick(Box<Picker>),
    /// Erasing a person: what it does, and the word to type.
    Erase {
        person: Box<PersonHit>,
        typed: Field,
    },
}

// PINs are typed into the forms: never in a debug print or a log.
impl std::fmt::Debug for Dialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Dialog::Add(_) => "Add",
            Dialog::Role { .. } => "Role",
            Dialog::Pin { .. } => "Pin",
            Dialog::Active { .. } => "Active",
            Dialog::Range(_) => "Range",
            Dialog::Choose { .. } => "Choose",
            Dialog::Line { .. } => "Line",
            Dialog::Pick(_) => "Pick",
            Dialog::Erase { .. } => "Erase",
        };
        write!(f, "Dialog::{name}(…)")
    }
}

#[derive(Debug)]
pub struct AdminPane {
    /// Set when whoever is signed in is no admin: the refusal, shown
    /// instead of everything else.
    pub refused: Option<String>,
    pub section: Section,
    pub staff: Vec<StaffRow>,
    pub staff_selected: usize,
    /// The log's filters.
    pub period: Period,
    pub actor: Option<(StaffId, String)>,
    /// An action code, or the code of the changes to records.
    pub action: Option<String>,
    pub with_changes: bool,
    pub log: AuditPage,
    pub log_selected: usize,
    /// The latest erasures, for the erasure section.
    pub erased: Vec<AuditEntry>,
    /// Why the section's data could not be read.
    pub error: Option<String>,
    pub dialog: Option<Dialog>,
    /// The first row shown of the list, and the rows that fit, as last
    /// drawn (for PgUp/PgDn).
    scroll: Cell<usize>,
    page: Cell<usize>,
    /// Whether the first load has set the period.
    loaded: bool,
}

impl AdminPane {
    pub fn new(_lang: Lang) -> AdminPane {
        AdminPane {
            refused: None,
            section: Section::Staff,
            staff: Vec::new(),
            staff_selected: 0,
            period: NamedPeriod::ThisMonth.period(NaiveDate::default()),
            actor: None,
            action: None,
            with_changes: true,
            log: AuditPage::default(),
            log_selected: 0,
            erased: Vec::new(),
            error: None,
            dialog: None,
            scroll: Cell::new(0),
            page: Cell::new(10),
            loaded: false,
        }
    }

    /// Whether an admin is signed in; if not, forgets everything read and
    /// notes the refusal.
    fn check(&mut self, cx: &Ctx) -> bool {
        if cx.store.session().is_some_and(|s| s.may(Act::ManageStaff)) {
            self.refused = None;
            return true;
        }
        self.refused = Some(Act::ManageStaff.needs(cx.lang));
        self.staff.clear();
        self.log = AuditPage::default();
        self.erased.clear();
        self.dialog = None;
        false
    }

    /// Reads what the section shows.
    fn read(&mut self, cx: &mut Ctx) {
        self.error = None;
        match self.section {
            Section::Staff => self.read_staff(cx),
            Section::Log => self.read_log(cx),
            Section::Erase => self.read_erased(cx),
        }
    }

    /// Moves a selection in a list of `len` rows.
    fn moved(&self, selected: usize, len: usize, action: &Action) -> usize {
        let last = len.saturating_sub(1);
        let page = self.page.get().max(1);
        match action {
            Action::Up => selected.saturating_sub(1),
            Action::Down => (selected + 1).min(last),
            Action::PageUp => selected.saturating_sub(page),
            Action::PageDown => (selected + page).min(last),
            Action::Home => 0,
            Action::End => last,
            _ => selected,
        }
        .min(last)
    }

    /// The period in words: its name when it is one (本月), else from–to.
    pub fn period_label(&self, lang: Lang, today: NaiveDate) -> String {
        match NamedPeriod::matching(self.period, today) {
            Some(n) => n.label(lang).to_owned(),
            None => self.period.to_string(),
        }
    }
}

impl Pane for AdminPane {
    fn load(&mut self, cx: &mut Ctx) {
        if !self.check(cx) {
            return;
        }
        if !self.loaded {
            self.period = NamedPeriod::ThisMonth.period(cx.today());
            self.loaded = true;
        }
        self.read(cx);
    }

    fn scopes(&self) -> Vec<&'static str> {
        if self.refused.is_some() {
            return Vec::new();
        }
        match &self.dialog {
            Some(Dialog::Add(_) | Dialog::Role { .. } | Dialog::Pin { .. } | Dialog::Range(_)) => {
                vec![FORM, keymap::FORM]
            }
            Some(Dialog::Active { .. }) => vec![keymap::QUESTION],
            Some(Dialog::Choose { .. }) => vec![CHOOSE],
            Some(Dialog::Line { .. }) => vec![LINE],
            Some(Dialog::Pick(_)) => vec![PICK],
            Some(Dialog::Erase { .. }) => vec![CONFIRM],
            None => vec![match self.section {
                Section::Staff => STAFF,
                Section::Log => LOG,
                Section::Erase => ERASE,
            }],
        }
    }

    fn typing(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Add(f) | Dialog::Role { form: f, .. } | Dialog::Pin { form: f, .. }) => {
                f.typing()
            }
            Some(Dialog::Range(f)) => f.typing(),
            Some(Dialog::Pick(_) | Dialog::Erase { .. }) => true,
            _ => false,
        }
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) {
        if !self.check(cx) {
            return;
        }
        match self.dialog.take() {
            Some(d) => self.dialog_key(cx, d, action),
            None => match action {
                Action::NextField | Action::PrevField => {
                    self.section = self.section.step(*action == Action::NextField);
                    self.scroll.set(0);
                    self.read(cx);
                }
                _ => match self.section {
                    Section::Staff => self.staff_key(cx, action),
                    Section::Log => self.log_key(cx, action),
                    Section::Erase => self.erase_key(cx, action),
                },
            },
        }
    }

    fn refresh(&mut self, cx: &mut Ctx) -> bool {
        match &mut self.dialog {
            Some(Dialog::Pick(p)) => p.refresh(cx.store, cx.lang),
            _ => false,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        draw::draw(self, f, area, v);
    }

    fn unsaved(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Add(f) | Dialog::Role { form: f, .. } | Dialog::Pin { form: f, .. }) => {
                f.touched
            }
            _ => false,
        }
    }
}

impl AdminPane {
    /// A key while a dialog is open; the dialog is put back unless the key
    /// closed it.
    fn dialog_key(&mut self, cx: &mut Ctx, dialog: Dialog, action: &Action) {
        match dialog {
            Dialog::Add(form) => self.add_dialog(cx, form, action),
            Dialog::Role { id, name, form } => self.role_dialog(cx, id, name, form, action),
            Dialog::Pin { id, name, form } => self.pin_dialog(cx, id, name, form, action),
            Dialog::Active { id, name, active } => {
                self.active_dialog(cx, id, name, active, action);
            }
            Dialog::Range(form) => self.range_dialog(cx, form, action),
            Dialog::Choose { what, selected } => self.choose_dialog(cx, what, selected, action),
            Dialog::Line { index } => self.line_dialog(index, action),
            Dialog::Pick(picker) => self.pick_dialog(cx, picker, action),
            Dialog::Erase { person, typed } => self.erase_dialog(cx, person, typed, action),
        }
    }
}
