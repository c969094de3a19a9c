//! The console's state and `update`: every key arrives here as an
//! [`Action`] and changes the state; drawing happens elsewhere.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};

use super::action::{Action, PaneId};
use super::keymap::{self, Key, Keymap};
use super::panes::cases::CasesPane;
use super::panes::checkin::CheckinPane;
use super::panes::figures::FiguresPane;
use super::panes::schedule::SchedulePane;
use super::panes::sync::SyncPane;
use super::panes::{Ctx, Jump, Pane, Status};
use super::widgets::picker::{Picked, Picker, PickerKind};
use crate::domain::station::Station;
use crate::i18n::Lang;
use crate::store::Store;
use crate::t;

/// Where the time comes from (fixed in tests and snapshots).
pub type Clock = fn() -> DateTime<Utc>;

/// A dialog over the panes.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// The global lookup.
    Lookup(Box<Picker>),
    /// The key overlay, scrolled by this many lines.
    Help { scroll: u16 },
    /// "Quit and lose what was typed?"
    ConfirmQuit,
    /// "A sync is running: quit anyway?"
    ConfirmQuitSync,
}

/// What the header shows; read after the first frame.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub station: Option<Station>,
    pub present: Option<u64>,
    pub today: Option<u64>,
    /// Entries of the conflicts list (the sync tab's badge).
    pub conflicts: Option<usize>,
}

pub struct App {
    pub store: Store,
    pub lang: Lang,
    pub clock: Clock,
    pub tz: Tz,
    pub keymap: Keymap,
    pub pane: PaneId,
    pub checkin: CheckinPane,
    pub cases: CasesPane,
    pub schedule: SchedulePane,
    pub figures: FiguresPane,
    pub sync: SyncPane,
    /// The database file: a sync runs on a connection of its own, and the
    /// app's connection is opened again after it. `None`: no sync.
    pub db_path: Option<PathBuf>,
    /// The data folder, where a sync also notes what it wrote out.
    pub marks: Option<PathBuf>,
    /// The wall clock of new operations, set again on the connection that
    /// replaces the first (tests fix it).
    pub store_clock: Option<fn() -> u64>,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub header: Header,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// Whether `load` has run.
    pub loaded: bool,
    /// The terminal is smaller than the console needs: keys other than
    /// quitting are ignored, since nothing they do could be seen.
    pub too_small: bool,
    pub quit: bool,
}

impl App {
    /// A console over `store`. Reads nothing yet: the first frame is drawn
    /// before any query.
    pub fn new(store: Store, lang: Lang, clock: Clock) -> App {
        App {
            store,
            lang,
            clock,
            tz: chrono_tz::Asia::Shanghai,
            keymap: Keymap::default_map(),
            pane: PaneId::Checkin,
            checkin: CheckinPane::new(lang),
            cases: CasesPane::new(lang),
            schedule: SchedulePane::new(lang),
            figures: FiguresPane::new(lang),
            sync: SyncPane::new(lang),
            db_path: None,
            marks: None,
            store_clock: None,
            overlay: None,
            status: None,
            header: Header::default(),
            dirty: true,
            loaded: false,
            too_small: false,
            quit: false,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn pane_ref(&self, id: PaneId) -> &dyn Pane {
        match id {
            PaneId::Checkin => &self.checkin,
            PaneId::Cases => &self.cases,
            PaneId::Schedule => &self.schedule,
            PaneId::Figures => &self.figures,
            PaneId::Sync => &self.sync,
        }
    }

    /// Runs `f` on pane `id` with a context; then follows any jump it asked
    /// for and reloads the header when it saved something.
    pub(super) fn with_pane(&mut self, id: PaneId, f: impl FnOnce(&mut dyn Pane, &mut Ctx)) {
        let mut jump = None;
        let mut changed = false;
        let now = self.now();
        let (tz, lang) = (self.tz, self.lang);
        {
            let pane: &mut dyn Pane = match id {
                PaneId::Checkin => &mut self.checkin,
                PaneId::Cases => &mut self.cases,
                PaneId::Schedule => &mut self.schedule,
                PaneId::Figures => &mut self.figures,
                PaneId::Sync => &mut self.sync,
            };
            let mut cx = Ctx {
                store: &mut self.store,
                lang,
                now,
                tz,
                status: &mut self.status,
                jump: &mut jump,
                changed: &mut changed,
                db_path: self.db_path.as_deref(),
                marks: self.marks.as_deref(),
            };
            f(pane, &mut cx);
        }
        if changed {
            self.load_header();
            // Only a sync adds conflicts; an edit here may settle some.
            if self.header.conflicts != Some(0) {
                self.count_conflicts();
            }
        }
        if let Some(j) = jump {
            self.follow(j);
        }
    }

    /// Reads the station and the header counts, then the shown pane.
    pub fn load(&mut self) {
        if let Ok(tz) = self.store.time_zone() {
            self.tz = tz;
        }
        self.load_header();
        self.count_conflicts();
        let pane = self.pane;
        self.with_pane(pane, |p, cx| p.load(cx));
        self.loaded = true;
        self.dirty = true;
    }

    pub(super) fn load_header(&mut self) {
        self.header.station = self.store.station().ok().flatten();
        let now = self.now();
        let today = now.with_timezone(&self.tz).date_naive();
        self.header.today = self.store.headcount_on(today).ok();
        // Who is here now: arrived lately and not left.
        self.header.present = self
            .store
            .present_since(super::panes::present_since(now))
            .ok()
            .map(|v| v.len() as u64);
        self.dirty = true;
    }

    /// The keymap scopes in force, most specific first.
    pub fn scopes(&self) -> Vec<&'static str> {
        match &self.overlay {
            Some(Overlay::Lookup(_)) => vec![keymap::LOOKUP, keymap::FRAME],
            Some(Overlay::Help { .. }) => vec![keymap::HELP, keymap::FRAME],
            Some(Overlay::ConfirmQuit | Overlay::ConfirmQuitSync) => vec![keymap::QUESTION],
            None => {
                let pane = self.pane_ref(self.pane);
                let mut s = pane.scopes();
                s.push(keymap::FRAME);
                if !pane.typing() {
                    s.push(keymap::BROWSE);
                }
                s
            }
        }
    }

    /// Whether keys type into a text field now.
    pub fn typing(&self) -> bool {
        match &self.overlay {
            Some(Overlay::Lookup(_)) => true,
            Some(_) => false,
            None => self.pane_ref(self.pane).typing(),
        }
    }

    /// Turns a terminal event into an action (None: nothing to do).
    pub fn action_of(&self, ev: &Event) -> Option<Action> {
        let Event::Key(k) = ev else { return None };
        self.action_of_key(k)
    }

    pub fn action_of_key(&self, k: &KeyEvent) -> Option<Action> {
        if k.kind != KeyEventKind::Press {
            return None;
        }
        let key = Key::of(k);
        if let Some(a) = self.keymap.resolve(&self.scopes(), key) {
            return Some(a);
        }
        if self.typing() {
            return tui_input::backend::crossterm::to_input_request(&Event::Key(*k))
                .map(Action::Edit);
        }
        None
    }

    /// Handles one terminal event.
    pub fn handle_event(&mut self, ev: &Event) {
        match ev {
            Event::Resize(w, h) => self.resized(*w, *h),
            Event::Key(_) if self.too_small => {
                if self.action_of(ev) == Some(Action::Quit) {
                    self.update(Action::Quit);
                }
            }
            Event::Paste(text) if self.typing() => {
                for c in text.chars().filter(|c| !c.is_control()) {
                    self.update(Action::Edit(tui_input::InputRequest::InsertChar(c)));
                }
            }
            _ => {
                if let Some(a) = self.action_of(ev) {
                    self.update(a);
                }
            }
        }
    }

    /// Notes the terminal's size.
    pub fn resized(&mut self, width: u16, height: u16) {
        self.too_small = width < super::view::MIN_WIDTH || height < super::view::MIN_HEIGHT;
        self.dirty = true;
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        self.dirty = true;
        match self.overlay.take() {
            Some(Overlay::Lookup(picker)) => return self.update_lookup(picker, action),
            Some(Overlay::Help { scroll }) => {
                self.overlay = match action {
                    Action::Back | Action::OpenHelp => None,
                    Action::Up => Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    }),
                    Action::Down => Some(Overlay::Help {
                        scroll: scroll.saturating_add(1),
                    }),
                    Action::PageUp => Some(Overlay::Help {
                        scroll: scroll.saturating_sub(10),
                    }),
                    Action::PageDown => Some(Overlay::Help {
                        scroll: scroll.saturating_add(10),
                    }),
                    Action::Quit => return self.ask_quit(),
                    Action::Show(p) => return self.show(p),
                    _ => Some(Overlay::Help { scroll }),
                };
                return;
            }
            Some(Overlay::ConfirmQuit | Overlay::ConfirmQuitSync) => {
                match action {
                    Action::Yes => self.quit = true,
                    _ => self.status = None,
                }
                return;
            }
            None => {}
        }
        match action {
            Action::Quit => self.ask_quit(),
            Action::Show(p) => self.show(p),
            Action::OpenLookup => {
                self.overlay = Some(Overlay::Lookup(Box::new(Picker::new(
                    PickerKind::All,
                    t!(self.lang, "lookup.label"),
                ))));
            }
            Action::OpenHelp => self.overlay = Some(Overlay::Help { scroll: 0 }),
            other => {
                let pane = self.pane;
                self.with_pane(pane, |p, cx| p.update(cx, &other));
            }
        }
    }

    fn ask_quit(&mut self) {
        if PaneId::ALL.iter().any(|p| self.pane_ref(*p).holds_quit()) {
            self.overlay = Some(Overlay::ConfirmQuitSync);
        } else if PaneId::ALL.iter().any(|p| self.pane_ref(*p).unsaved()) {
            self.overlay = Some(Overlay::ConfirmQuit);
        } else {
            self.quit = true;
        }
    }

    /// Shows a pane, reading its data afresh.
    pub fn show(&mut self, pane: PaneId) {
        if pane != self.pane {
            // A message belongs to the pane it was said in.
            self.status = None;
        }
        self.pane = pane;
        self.overlay = None;
        if self.loaded {
            self.with_pane(pane, |p, cx| p.load(cx));
        }
    }

    fn update_lookup(&mut self, mut picker: Box<Picker>, action: Action) {
        match action {
            Action::Back => {}
            Action::Quit => self.ask_quit(),
            Action::Show(p) => self.show(p),
            Action::OpenLookup => self.overlay = Some(Overlay::Lookup(picker)),
            other => {
                let (_, picked) = picker.handle(&other);
                match picked {
                    Some(Picked::Person(p)) => self.follow(Jump::Person(p.id)),
                    Some(Picked::Case(c)) => self.follow(Jump::Case(c.id)),
                    None => self.overlay = Some(Overlay::Lookup(picker)),
                }
            }
        }
    }

    /// Goes to a person (check-in, prefilled) or a case (its detail).
    fn follow(&mut self, jump: Jump) {
        self.overlay = None;
        let pane = match jump {
            Jump::Person(_) => PaneId::Checkin,
            Jump::Case(_) | Jump::Cases(_) => PaneId::Cases,
        };
        self.pane = pane;
        self.with_pane(pane, |p, cx| {
            p.load(cx);
            p.open(cx, jump);
        });
        self.dirty = true;
    }

    /// Deferred work once pending keys are drained: searches for what was
    /// typed. Returns whether the screen must be redrawn.
    pub fn refresh(&mut self) -> bool {
        let mut changed = false;
        if let Some(Overlay::Lookup(p)) = &mut self.overlay {
            changed |= p.refresh(&self.store, self.lang);
        } else if self.overlay.is_none() {
            let pane = self.pane;
            let mut did = false;
            self.with_pane(pane, |p, cx| did = p.refresh(cx));
            changed |= did;
        }
        if changed {
            self.dirty = true;
        }
        changed
    }
}
