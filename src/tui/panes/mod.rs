//! The panes of the console. Each keeps its own state, applies actions in
//! `update` (tested without a terminal), and draws from that state only:
//! drawing never queries the store.

pub mod admin;
pub mod cases;
pub mod checkin;
pub mod figures;
pub mod schedule;
pub mod sync;

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Action;
use crate::domain::ids::{CaseId, PersonId};
use crate::i18n::Lang;
use crate::i18n::Localized;
use crate::store::{Store, StoreError};

/// A message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// A move to another pane asked for by a pane or the lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jump {
    Person(PersonId),
    Case(CaseId),
    /// The cases behind a figure, shown as the case queue.
    Cases(Box<CaseSet>),
}

/// Cases chosen elsewhere (the cases behind a figure), with what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSet {
    /// What the cases are, e.g. "本月 · 新立案件".
    pub title: String,
    /// In the order to show them.
    pub ids: Vec<CaseId>,
}

/// What a pane may use while applying an action.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub lang: Lang,
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub status: &'a mut Option<Status>,
    pub jump: &'a mut Option<Jump>,
    /// Set when a pane saved something that the header or other panes show.
    pub changed: &'a mut bool,
    /// The database file, for work on a connection of its own (a sync on
    /// a background thread); `None` when the console has no file.
    pub db: Option<&'a crate::store::DbFile>,
    /// The data folder, where a sync also notes what it wrote out.
    pub marks: Option<&'a Path>,
}

pub use crate::domain::day::{PRESENT_HOURS, present_since};

impl Ctx<'_> {
    /// Today in the station's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    /// Says something in the status line.
    pub fn info(&mut self, text: impl Into<String>) {
        *self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    /// Reports an error in the status line.
    pub fn error(&mut self, text: impl Into<String>) {
        *self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Reports a store error in the user's language.
    pub fn store_error(&mut self, e: StoreError) {
        tracing::warn!("store error: {e}");
        let text = e.localized(self.lang);
        self.error(text);
    }
}

/// What background work reported when the app asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polled {
    /// Nothing new.
    Idle,
    /// Progress to show.
    Moved,
    /// The work ended and may have changed records, or the replica id
    /// the app's connection caches: the app opens the database again and
    /// reads every pane afresh.
    Finished,
}

/// What a pane may use while drawing.
pub struct View {
    pub lang: Lang,
    pub now: DateTime<Utc>,
    pub tz: Tz,
    /// Whether the pane has the keyboard (no dialog over it): only then
    /// does it place the terminal cursor.
    pub focused: bool,
}

impl View {
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

/// The behaviour every pane has.
pub trait Pane {
    /// Reads what the pane shows. Called after the first frame is drawn,
    /// when the pane is shown, and after a save elsewhere.
    fn load(&mut self, cx: &mut Ctx);

    /// The keymap scopes in force, most specific first (the frame's own
    /// scopes are added by the app).
    fn scopes(&self) -> Vec<&'static str>;

    /// Whether keys type into a text field now (then `/`, `?` and single-key
    /// commands type instead).
    fn typing(&self) -> bool;

    /// Whether a character that no key in force takes still goes to a
    /// text field of the pane (as an edit) though none has the keyboard:
    /// in check-in's here-now list and tally row it goes to Find, so a
    /// phone typed there finds the person instead of being lost.
    fn types_through(&self) -> bool {
        false
    }

    /// Whether text of several lines pasted now is one entry a line
    /// (`Action::PasteLines`) rather than characters of one field.
    fn takes_lines(&self) -> bool {
        false
    }

    /// Applies an action.
    fn update(&mut self, cx: &mut Ctx, action: &Action);

    /// Work deferred until pending keys are drained (incremental searches).
    /// Returns whether anything changed on screen.
    fn refresh(&mut self, _cx: &mut Ctx) -> bool {
        false
    }

    /// Whether work of the pane runs in the background (the loop then
    /// wakes often to show its progress).
    fn busy(&self) -> bool {
        false
    }

    /// Whether quitting should ask first while the background work runs
    /// (a sync, yes; figures, which are counted again, no).
    fn holds_quit(&self) -> bool {
        self.busy()
    }

    /// Takes what the background work reported since the last call.
    fn poll(&mut self, _cx: &mut Ctx) -> Polled {
        Polled::Idle
    }

    /// Shows a person or a case that the lookup jumped to.
    fn open(&mut self, _cx: &mut Ctx, _to: Jump) {}

    /// What the global lookup (Ctrl-F) opens with, when the pane has
    /// pointed at someone to look for (check-in: the name of a new visitor
    /// that others are registered with already).
    fn lookup_seed(&self) -> Option<String> {
        None
    }

    /// Draws the pane into `area`.
    fn draw(&self, f: &mut Frame, area: Rect, v: &View);

    /// Whether a form holds input that was not saved.
    fn unsaved(&self) -> bool;
}
