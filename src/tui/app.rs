//! The console's state and `update`: every key arrives here as an
//! [`Action`] and changes the state; drawing happens elsewhere.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, PaneId};
use super::gate::Gate;
use super::keymap::{self, Key, Keymap};
use super::panes::admin::AdminPane;
use super::panes::cases::CasesPane;
use super::panes::checkin::CheckinPane;
use super::panes::figures::FiguresPane;
use super::panes::schedule::SchedulePane;
use super::panes::sync::SyncPane;
use super::panes::{Ctx, Jump, Pane, Status};
use super::widgets::picker::{Picked, Picker, PickerKind};
use crate::domain::access::{Act, Session};
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

/// Idle minutes before the console locks, unless configured otherwise.
pub const DEFAULT_LOCK_MINUTES: i64 = 5;

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
    pub admin: AdminPane,
    /// The database file: a sync runs on a connection of its own, and the
    /// app's connection is opened again after it. `None`: no sync.
    pub db: Option<crate::store::DbFile>,
    /// The data folder, where a sync also notes what it wrote out.
    pub marks: Option<PathBuf>,
    /// The wall clock of new operations, set again on the connection that
    /// replaces the first (tests fix it).
    pub store_clock: Option<fn() -> u64>,
    pub overlay: Option<Overlay>,
    /// The sign-in screen, in front of everything while nobody is signed
    /// in (also when locked: the panes behind keep what was typed).
    pub gate: Option<Gate>,
    /// Idle time after which the console locks (`None`: never).
    pub lock_after: Option<chrono::Duration>,
    /// When the last key was pressed.
    pub last_input: DateTime<Utc>,
    pub status: Option<Status>,
    pub header: Header,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// Whether `load` has run.
    pub loaded: bool,
    /// The database's data version when last looked at (`notice_writers`):
    /// another writer's commit changes it.
    pub seen_version: Option<i64>,
    /// Another writer changed the records while the sign-in screen was in
    /// front: the shown pane reads them once someone is signed in.
    pub pane_stale: bool,
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
            admin: AdminPane::new(lang),
            db: None,
            marks: None,
            store_clock: None,
            overlay: None,
            gate: Some(Gate::Pending),
            lock_after: Some(chrono::Duration::minutes(DEFAULT_LOCK_MINUTES)),
            last_input: clock(),
            status: None,
            header: Header::default(),
            dirty: true,
            loaded: false,
            seen_version: None,
            pane_stale: false,
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
            PaneId::Admin => &self.admin,
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
                PaneId::Admin => &mut self.admin,
            };
            let mut cx = Ctx {
                store: &mut self.store,
                lang,
                now,
                tz,
                status: &mut self.status,
                jump: &mut jump,
                changed: &mut changed,
                db: self.db.as_ref(),
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
        if matches!(self.gate, Some(Gate::Pending)) {
            self.gate = Some(Gate::open(&self.store, self.lang, None));
        }
        // Nothing of a pane is read before someone signs in.
        if self.gate.is_none() {
            let pane = self.pane;
            self.with_pane(pane, |p, cx| p.load(cx));
        }
        self.loaded = true;
        self.seen_version = self.store.data_version().ok();
        self.dirty = true;
    }

    /// Who is signed in.
    pub fn session(&self) -> Option<&Session> {
        self.store.session()
    }

    /// Whether the person signed in may do `act`.
    pub fn may(&self, act: Act) -> bool {
        self.session().is_some_and(|s| s.may(act))
    }

    /// Signs `session` in without the sign-in screen (tests, benchmarks).
    pub fn sign_in_as(&mut self, session: Session) {
        self.store.set_session(Some(session));
        self.gate = None;
        self.dirty = true;
    }

    /// Someone signed in at the sign-in screen: the panes behind it open
    /// for them (a pane their role may not use gives way to check-in).
    fn signed_in(&mut self, session: Session) {
        let same =
            self.gate.as_ref().and_then(Gate::locked).map(|l| l.staff) == Some(session.staff);
        self.gate = None;
        self.last_input = self.now();
        self.status = Some(Status {
            text: crate::t!(
                self.lang,
                "signin.signed_in",
                name = session.name.as_str(),
                role = session.role.label(self.lang)
            ),
            error: false,
        });
        if !session.may(self.pane.act()) {
            self.pane = PaneId::Checkin;
        }
        if !session.may(Act::Cases) && matches!(self.overlay, Some(Overlay::Lookup(_))) {
            self.overlay = None;
        }
        self.store.set_session(Some(session));
        if !same {
            // Full numbers were shown to the one who locked, not to whoever
            // signs in now.
            self.checkin.form.mask_again();
        }
        if self.loaded && !same {
            let pane = self.pane;
            self.with_pane(pane, |p, cx| p.load(cx));
        }
        self.dirty = true;
    }

    /// Locks the console: the sign-in screen in front, the person who was
    /// signed in asked for their PIN; every form keeps what was typed.
    pub fn lock(&mut self) {
        if self.gate.is_some() {
            return;
        }
        let locked = self.store.session().cloned();
        self.store.set_session(None);
        self.gate = Some(Gate::open(&self.store, self.lang, locked));
        self.status = None;
        self.dirty = true;
    }

    /// Locks the console when nobody pressed a key for the idle time.
    /// Called when the loop wakes without a key.
    pub fn tick(&mut self) {
        if let Some(after) = self.lock_after
            && self.gate.is_none()
            && self.now() - self.last_input >= after
        {
            tracing::info!("locked after idle time");
            self.lock();
        }
    }

    pub(super) fn load_header(&mut self) {
        self.header.station = self.store.station().ok().flatten();
        let now = self.now();
        let today = now.with_timezone(&self.tz).date_naive();
        self.header.today = self.store.headcount_on(today).ok();
        // Who is here now: arrived lately and not left.
        self.header.present = self
            .store
            .present_since(super::panes::present_since(now, self.tz))
            .ok()
            .map(|v| v.len() as u64);
        self.dirty = true;
    }

    /// The keymap scopes in force, most specific first.
    pub fn scopes(&self) -> Vec<&'static str> {
        if let Some(g) = &self.gate {
            return vec![g.scope()];
        }
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
        if let Some(g) = &self.gate {
            return g.typing();
        }
        match &self.overlay {
            Some(Overlay::Lookup(_)) => true,
            Some(_) => false,
            None => self.pane_ref(self.pane).typing(),
        }
    }

    /// Whether a character no key takes goes to a field of the shown pane
    /// though none has the keyboard ([`Pane::types_through`]).
    pub fn types_through(&self) -> bool {
        self.gate.is_none() && self.overlay.is_none() && self.pane_ref(self.pane).types_through()
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
        if self.types_through()
            && let KeyCode::Char(c) = key.code
            && !key
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            && !c.is_whitespace()
            && !c.is_control()
        {
            return Some(Action::Edit(tui_input::InputRequest::InsertChar(c)));
        }
        None
    }

    /// Handles one terminal event.
    pub fn handle_event(&mut self, ev: &Event) {
        if matches!(ev, Event::Key(k) if k.kind == KeyEventKind::Press)
            || matches!(ev, Event::Paste(_))
        {
            self.last_input = self.now();
        }
        match ev {
            Event::Resize(w, h) => self.resized(*w, *h),
            Event::Key(_) if self.too_small => {
                if self.action_of(ev) == Some(Action::Quit) {
                    self.update(Action::Quit);
                }
            }
            Event::Paste(text)
                if text.trim().contains('\n')
                    && self.gate.is_none()
                    && self.overlay.is_none()
                    && self.pane_ref(self.pane).takes_lines() =>
            {
                self.update(Action::PasteLines(
                    text.lines().map(str::to_owned).collect(),
                ));
            }
            Event::Paste(text) if self.typing() || self.types_through() => {
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
        if self.gate.is_some() {
            return self.update_gate(action);
        }
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
                // Volunteers find people, not cases.
                let kind = if self.may(Act::Cases) {
                    PickerKind::All
                } else {
                    PickerKind::People
                };
                let mut picker = Picker::new(kind, t!(self.lang, "lookup.label"));
                picker.with_sharers = true;
                if let Some(seed) = self.pane_ref(self.pane).lookup_seed() {
                    picker.field.set_text(&seed);
                }
                self.overlay = Some(Overlay::Lookup(Box::new(picker)));
            }
            Action::OpenHelp => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Lock => self.lock(),
            other => {
                let pane = self.pane;
                self.with_pane(pane, |p, cx| p.update(cx, &other));
            }
        }
    }

    /// An action while the sign-in screen is in front.
    fn update_gate(&mut self, action: Action) {
        if action == Action::Quit {
            // Quitting from the lock would lose someone's typing unseen.
            if PaneId::ALL.iter().any(|p| self.pane_ref(*p).unsaved()) {
                self.status = Some(Status {
                    text: crate::t!(self.lang, "signin.need_sign_in_to_quit").to_owned(),
                    error: true,
                });
            } else {
                self.quit = true;
            }
            return;
        }
        let now = self.now();
        let Some(gate) = self.gate.as_mut() else {
            return;
        };
        if let Some(session) = gate.update(&mut self.store, self.lang, now, &action) {
            self.signed_in(session);
        }
    }

    /// Says what a refused action needs.
    fn refuse(&mut self, act: Act) {
        self.status = Some(Status {
            text: act.needs(self.lang),
            error: true,
        });
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
        if !self.may(pane.act()) {
            self.overlay = None;
            return self.refuse(pane.act());
        }
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
        if !self.may(pane.act()) {
            return self.refuse(pane.act());
        }
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
