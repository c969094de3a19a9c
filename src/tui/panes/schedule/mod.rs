//! F3 Schedule: the counsellors and volunteer lawyers down the left, the
//! week (or one day) of the selection on the right. Book a person into a
//! free slot, move a session along (arrived, done, no-show, cancelled),
//! find the next free slot, keep a waitlist, and manage counsellors with
//! their recurring availability and exceptions.
//!
//! Who may do what follows the role signed in: everyone at the desk books
//! and moves sessions; managing counsellors and their hours needs staff,
//! counsellor or admin; a session's notes are confidential and open only
//! to counsellors, in their own dialog (`notes.rs`). The views never hold
//! the notes: the store's reads for them do not select the column.

mod book;
mod counsellors;
mod draw;
mod editor;
mod fields;
mod forms;
mod grid;
mod notes;
mod slots;
mod wait_add;
mod waitlist;
mod week;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;

pub use book::Booking;
pub use counsellors::Manage;
pub use draw::dialog_frame;
use draw::question;
pub use editor::TextBox;
pub use forms::ManageForm;
pub use notes::Notes;
pub use wait_add::WaitAdd;
pub use waitlist::Waitlist;
pub use week::{Booked, Cell, RowKey, Week};

use super::{Ctx, Pane, View};
use crate::domain::access::Act;
use crate::domain::ids::{AppointmentId, CounsellorId};
use crate::domain::schedule::{AppointmentStatus, Counsellor, CounsellorKind};
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::{Action, commands};
use crate::tui::keymap::{self, Binding, Key, bind, bind_cmd};
use crate::tui::widgets::form::Form;

commands! {
    /// The schedule pane's single-key commands.
    pub enum Cmd {
        /// From the counsellors to their slots.
        ToSlots = "schedule.to_slots",
        /// From the slots to the counsellors.
        ToSide = "schedule.to_side",
        /// One day instead of the week.
        DayView = "schedule.day_view",
        /// The week instead of one day.
        WeekView = "schedule.week_view",
        /// Go to today.
        Today = "schedule.today",
        /// Book a person into the selected free slot.
        Book = "schedule.book",
        /// Find the next free slot.
        NextFree = "schedule.next_free",
        /// The selected session: the person has arrived.
        Arrived = "schedule.arrived",
        /// The selected session took place.
        Done = "schedule.done",
        /// The selected session: the person did not come.
        NoShow = "schedule.no_show",
        /// Cancel the selected session (asks first).
        Cancel = "schedule.cancel",
        /// The selected session back to booked.
        Reset = "schedule.reset",
        /// Set the follow-up date of the selected session.
        FollowUp = "schedule.follow_up",
        /// The selected session's confidential notes (counsellors only).
        SessionNotes = "schedule.session_notes",
        /// Show the waitlist.
        Waitlist = "schedule.waitlist",
        /// Manage counsellors and their hours.
        Manage = "schedule.manage",
        /// Put someone on the waitlist.
        WaitlistAdd = "schedule.wl_add",
        /// Book the selected person of the waitlist.
        WaitlistBook = "schedule.wl_book",
        /// Take the selected person off the waitlist.
        WaitlistWithdraw = "schedule.wl_withdraw",
        /// Between the counsellors and their rules and exceptions.
        ManageFocus = "schedule.mg_focus",
        /// Add a counsellor.
        NewCounsellor = "schedule.mg_new",
        /// Add a recurring availability rule.
        NewRule = "schedule.mg_rule",
        /// Add an exception to the availability.
        NewException = "schedule.mg_exception",
        /// Remove the selected rule or exception (asks first).
        RemoveItem = "schedule.mg_remove",
        /// Deactivate or reactivate the selected counsellor.
        CounsellorActive = "schedule.mg_active",
    }
}

/// Keymap scopes of the pane.
pub const SIDE: &str = "schedule.side";
pub const WEEK: &str = "schedule.week";
pub const DAY: &str = "schedule.day";
pub const SLOTS: &str = "schedule.slots";
pub const GRID: &str = "schedule.grid";
pub const BOOK: &str = "schedule.book";
pub const PICK: &str = "schedule.pick";
pub const WAITLIST: &str = "schedule.waitlist";
pub const MANAGE: &str = "schedule.manage";
/// The pane's forms: Enter goes to the next field and saves on the last.
pub const FORM: &str = "schedule.form";
/// A session's notes: Enter breaks the line, Ctrl-S saves.
pub const NOTES: &str = "schedule.notes";

/// How far "next free slot" looks ahead, in days.
pub const HORIZON_DAYS: u32 = 90;

/// The pane's keys, one binding a line.
#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    let c = Key::ch;
    let mut b = vec![
        bind_cmd(SIDE, &[p(Tab), p(Enter)], Cmd::ToSlots, true),
        bind_cmd(SIDE, &[p(Esc)], Cmd::ToSlots, false),
        bind_cmd(WEEK, &[c('d')], Cmd::DayView, true),
        bind_cmd(WEEK, &[p(Enter)], Cmd::DayView, false),
        bind_cmd(DAY, &[c('w')], Cmd::WeekView, true),
        bind_cmd(DAY, &[p(Esc)], Cmd::WeekView, false),
    ];
    for scope in [WEEK, DAY] {
        b.push(bind(scope, &[p(Left)], Action::Left, "schedule.prev_day", false));
        b.push(bind(scope, &[p(Right)], Action::Right, "schedule.next_day", false));
        b.push(bind(scope, &[p(PageUp)], Action::PageUp, "schedule.prev_week", false));
        b.push(bind(scope, &[p(PageDown)], Action::PageDown, "schedule.next_week", false));
    }
    b.extend([
        bind_cmd(SLOTS, &[c('b')], Cmd::Book, true),
        bind_cmd(SLOTS, &[c('n')], Cmd::NextFree, true),
        bind_cmd(GRID, &[p(Tab)], Cmd::ToSide, true),
        bind_cmd(SLOTS, &[c('l')], Cmd::Waitlist, true),
        bind_cmd(SLOTS, &[c('m')], Cmd::Manage, true),
        bind_cmd(SLOTS, &[c('a')], Cmd::Arrived, false),
        bind_cmd(SLOTS, &[c('o')], Cmd::Done, false),
        bind_cmd(SLOTS, &[c('x')], Cmd::NoShow, false),
        bind_cmd(SLOTS, &[c('c')], Cmd::Cancel, false),
        bind_cmd(SLOTS, &[c('u')], Cmd::Reset, false),
        bind_cmd(SLOTS, &[c('f')], Cmd::FollowUp, false),
        bind_cmd(SLOTS, &[c('e')], Cmd::SessionNotes, false),
        bind_cmd(SLOTS, &[c('t')], Cmd::Today, false),
        bind(BOOK, &[p(Enter)], Action::Confirm, "schedule.book_confirm", true),
        bind(BOOK, &[p(Up)], Action::Up, "key.up", false),
        bind(BOOK, &[p(Down)], Action::Down, "key.down", false),
        bind(BOOK, &[p(Esc)], Action::Back, "key.cancel", true),
        bind(PICK, &[p(Enter)], Action::Confirm, "schedule.pick_confirm", true),
        bind(PICK, &[p(Up)], Action::Up, "key.up", false),
        bind(PICK, &[p(Down)], Action::Down, "key.down", false),
        bind(PICK, &[p(Esc)], Action::Back, "key.cancel", true),
        bind_cmd(WAITLIST, &[c('a')], Cmd::WaitlistAdd, true),
        bind_cmd(WAITLIST, &[c('b'), p(Enter)], Cmd::WaitlistBook, true),
        bind_cmd(WAITLIST, &[c('x')], Cmd::WaitlistWithdraw, true),
        bind(WAITLIST, &[p(Esc)], Action::Back, "key.back", true),
        bind_cmd(MANAGE, &[p(Tab)], Cmd::ManageFocus, true),
        bind_cmd(MANAGE, &[c('n')], Cmd::NewCounsellor, true),
        bind_cmd(MANAGE, &[c('r')], Cmd::NewRule, true),
        bind_cmd(MANAGE, &[c('e')], Cmd::NewException, true),
        bind_cmd(MANAGE, &[c('x'), p(Delete)], Cmd::RemoveItem, true),
        bind_cmd(MANAGE, &[c('s')], Cmd::CounsellorActive, false),
        bind(MANAGE, &[p(Esc)], Action::Back, "key.back", true),
        // With the shared form keys under it (Tab, Shift-Tab, Esc, ←/→).
        bind(FORM, &[p(Enter)], Action::Confirm, "schedule.form_enter", true),
        bind(FORM, &[Key::ctrl('s')], Action::Save, "key.save", true),
        bind(NOTES, &[Key::ctrl('s')], Action::Save, "key.save", true),
        bind(NOTES, &[p(Enter)], Action::Confirm, "schedule.notes_newline", true),
        bind(NOTES, &[p(Esc)], Action::Back, "key.close", true),
        bind(NOTES, &[p(Up)], Action::Up, "key.up", false),
        bind(NOTES, &[p(Down)], Action::Down, "key.down", false),
        bind(NOTES, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(NOTES, &[p(PageDown)], Action::PageDown, "key.page_down", false),
    ]);
    b
}

/// Whose slots the views show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Every active counsellor (today's list).
    All,
    /// Every active counsellor of one kind.
    Kind(CounsellorKind),
    One(CounsellorId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewMode {
    Week,
    Day,
}

/// What fills the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Counsellors and their week or day.
    Slots,
    Waitlist,
    Manage,
}

/// A dialog over the pane.
#[derive(Debug, Clone)]
pub enum Dialog {
    Book(Box<Booking>),
    /// The follow-up date of a session.
    FollowUp {
        id: AppointmentId,
        about: String,
        form: Form,
    },
    /// "Cancel this session?"
    ConfirmCancel {
        id: AppointmentId,
        about: String,
    },
    /// "This slot has gone by: record a session in it after the fact?"
    ConfirmLate(Box<Cell>),
    WaitAdd(Box<WaitAdd>),
    /// A counsellor, rule or exception form of the management view.
    Manage(Box<ManageForm>),
    /// "Remove this rule / exception?"
    ConfirmRemove(String),
    /// A session's confidential notes (counsellors only).
    Notes(Box<Notes>),
}

#[derive(Debug, Clone)]
pub struct SchedulePane {
    lang: Lang,
    /// All counsellors, active or not, by name.
    pub counsellors: Vec<Counsellor>,
    pub who: Who,
    pub view: ViewMode,
    /// The selected day; the week shown holds it.
    pub date: NaiveDate,
    pub week: Week,
    /// The cursor: a row of the week grid, a line of the day list.
    pub wrow: usize,
    pub drow: usize,
    /// Whether ↑↓ move in the counsellor column.
    pub side_focus: bool,
    pub mode: Mode,
    pub waitlist: Waitlist,
    pub manage: Manage,
    pub dialog: Option<Dialog>,
    /// Where the cursor should land after the next load.
    want: Option<RowKey>,
    /// The shown week must be read again (done in `refresh`).
    due: bool,
    started: bool,
}

impl SchedulePane {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            counsellors: Vec::new(),
            who: Who::All,
            view: ViewMode::Day,
            date: NaiveDate::default(),
            week: Week::default(),
            wrow: 0,
            drow: 0,
            side_focus: false,
            mode: Mode::Slots,
            waitlist: Waitlist::default(),
            manage: Manage::default(),
            dialog: None,
            want: None,
            due: false,
            started: false,
        }
    }

    /// The entries of the counsellor column: each kind with its active
    /// counsellors, then its stopped ones (marked; their sessions booked
    /// before they stopped still show there).
    pub fn side_items(&self) -> Vec<Who> {
        let mut items = vec![Who::All];
        for kind in CounsellorKind::ALL {
            items.push(Who::Kind(*kind));
            for active in [true, false] {
                items.extend(
                    self.counsellors
                        .iter()
                        .filter(|c| c.active == active && c.kind == *kind)
                        .map(|c| Who::One(c.id)),
                );
            }
        }
        items
    }

    /// Whether `id` is a stopped counsellor.
    pub fn stopped(&self, id: CounsellorId) -> bool {
        self.counsellor(id).is_some_and(|c| !c.active)
    }

    pub fn counsellor(&self, id: CounsellorId) -> Option<&Counsellor> {
        self.counsellors.iter().find(|c| c.id == id)
    }

    /// The selection in words: "全部咨询师", "心理咨询（全部）", "王芳".
    pub fn who_label(&self, who: Who) -> String {
        match who {
            Who::All => t!(self.lang, "schedule.everyone").to_owned(),
            Who::Kind(k) => t!(self.lang, "schedule.all_of_kind", kind = k.label(self.lang)),
            Who::One(id) => self
                .counsellor(id)
                .map_or_else(|| "?".to_owned(), |c| c.name.clone()),
        }
    }

    /// The slot or session under the cursor.
    pub fn selected(&self) -> Option<&Cell> {
        match self.view {
            ViewMode::Week => self
                .week
                .rows
                .get(self.wrow)
                .and_then(|k| self.week.at(*k, self.date)),
            ViewMode::Day => self.week.day(self.date).get(self.drow),
        }
    }

    fn key(&self) -> Option<RowKey> {
        match self.view {
            ViewMode::Week => self.week.rows.get(self.wrow).copied(),
            ViewMode::Day => self.week.day(self.date).get(self.drow).map(Cell::key),
        }
    }

    /// Puts both cursors on `key` where it is, else keeps them in range.
    fn place(&mut self, key: Option<RowKey>) {
        let rows = &self.week.rows;
        self.wrow = key
            .and_then(|k| rows.iter().position(|r| *r == k))
            .unwrap_or(self.wrow)
            .min(rows.len().saturating_sub(1));
        let day = self.week.day(self.date);
        self.drow = key
            .and_then(|k| day.iter().position(|c| c.key() == k))
            .unwrap_or(self.drow)
            .min(day.len().saturating_sub(1));
    }

    /// Reads the shown week now.
    fn reload(&mut self, cx: &mut Ctx) {
        let key = self.want.take().or_else(|| self.key());
        self.due = false;
        match Week::load(cx.store, &self.counsellors, self.who, self.date) {
            Ok(w) => {
                self.week = w;
                self.place(key);
            }
            Err(e) => cx.store_error(e),
        }
    }

    fn load_counsellors(&mut self, cx: &mut Ctx) {
        match cx.store.counsellors() {
            Ok(c) => self.counsellors = c,
            Err(e) => cx.store_error(e),
        }
        if let Who::One(id) = self.who
            && !self.counsellors.iter().any(|c| c.id == id)
        {
            self.who = Who::All;
        }
    }

    /// Moves the selected day by `days`, within the years a date may have,
    /// reading another week when it leaves this one.
    fn go_by(&mut self, days: i64) {
        let to = self
            .date
            .checked_add_signed(chrono::Duration::days(days))
            .filter(|d| (2000..=2100).contains(&d.year()));
        if let Some(to) = to {
            self.go_to(to);
        }
    }

    fn go_to(&mut self, date: NaiveDate) {
        self.want = self.key();
        self.date = date;
        if self.week.holds(date) {
            let key = self.want.take();
            self.place(key);
        } else {
            self.due = true;
        }
    }

    /// Whether the shown week has slots to come, and none of them free.
    pub fn week_full(&self, now: NaiveDateTime) -> bool {
        let stopped = matches!(self.who, Who::One(id) if self.stopped(id));
        !stopped && self.week.full_after(now)
    }

    fn now_local(cx: &Ctx) -> NaiveDateTime {
        cx.now.with_timezone(&cx.tz).naive_local()
    }

    /// Whether whoever is signed in may do `act` (nobody signed in: no).
    fn may(cx: &Ctx, act: Act) -> bool {
        cx.store.session().is_some_and(|s| s.may(act))
    }

    /// Closes what the person signed in now may not see: another person's
    /// open notes, the management of counsellors for a volunteer. (The
    /// console keeps every form behind its lock; whoever signs in next is
    /// not always who typed.)
    fn fit_to_session(&mut self, cx: &Ctx) {
        let keep = match &self.dialog {
            Some(Dialog::Notes(n)) => Self::notes_still_theirs(cx, n),
            Some(Dialog::Manage(_) | Dialog::ConfirmRemove(_)) => {
                Self::may(cx, Act::ManageSchedule)
            }
            _ => true,
        };
        if !keep {
            self.dialog = None;
        }
        if self.mode == Mode::Manage && !Self::may(cx, Act::ManageSchedule) {
            self.mode = Mode::Slots;
        }
    }
}

/// "五" / "Fr": the day header of a narrow week grid.
pub fn weekday_narrow(lang: Lang, d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => t!(lang, "schedule.wdn.mon"),
        Weekday::Tue => t!(lang, "schedule.wdn.tue"),
        Weekday::Wed => t!(lang, "schedule.wdn.wed"),
        Weekday::Thu => t!(lang, "schedule.wdn.thu"),
        Weekday::Fri => t!(lang, "schedule.wdn.fri"),
        Weekday::Sat => t!(lang, "schedule.wdn.sat"),
        Weekday::Sun => t!(lang, "schedule.wdn.sun"),
    }
}

/// "周二" / "Tue".
pub fn weekday_short(lang: Lang, d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => t!(lang, "schedule.wd.mon"),
        Weekday::Tue => t!(lang, "schedule.wd.tue"),
        Weekday::Wed => t!(lang, "schedule.wd.wed"),
        Weekday::Thu => t!(lang, "schedule.wd.thu"),
        Weekday::Fri => t!(lang, "schedule.wd.fri"),
        Weekday::Sat => t!(lang, "schedule.wd.sat"),
        Weekday::Sun => t!(lang, "schedule.wd.sun"),
    }
}

impl Pane for SchedulePane {
    fn load(&mut self, cx: &mut Ctx) {
        if !self.started {
            self.started = true;
            self.date = cx.today();
        }
        self.fit_to_session(cx);
        self.load_counsellors(cx);
        self.reload(cx);
        match self.mode {
            Mode::Slots => {}
            Mode::Waitlist => self.load_waitlist(cx),
            Mode::Manage => self.load_manage(cx),
        }
    }

    fn scopes(&self) -> Vec<&'static str> {
        match &self.dialog {
            Some(Dialog::Book(_)) => return vec![BOOK],
            Some(Dialog::WaitAdd(w)) if w.picking() => return vec![PICK],
            Some(Dialog::Notes(n)) if n.discarding => return vec![keymap::QUESTION],
            Some(Dialog::Notes(_)) => return vec![NOTES],
            Some(
                Dialog::ConfirmCancel { .. } | Dialog::ConfirmRemove(_) | Dialog::ConfirmLate(_),
            ) => {
                return vec![keymap::QUESTION];
            }
            Some(_) => return vec![FORM, keymap::FORM],
            None => {}
        }
        match self.mode {
            Mode::Waitlist => vec![WAITLIST, keymap::LIST],
            Mode::Manage => vec![MANAGE, keymap::LIST],
            Mode::Slots => {
                let view = match self.view {
                    ViewMode::Week => WEEK,
                    ViewMode::Day => DAY,
                };
                if self.side_focus {
                    vec![SIDE, view, SLOTS, keymap::LIST]
                } else {
                    vec![view, SLOTS, GRID, keymap::LIST]
                }
            }
        }
    }

    fn typing(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Book(_)) => true,
            Some(Dialog::WaitAdd(w)) => w.typing(),
            Some(Dialog::FollowUp { form, .. }) => form.typing(),
            Some(Dialog::Manage(m)) => m.form.typing(),
            Some(Dialog::Notes(n)) => n.typing(),
            _ => false,
        }
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) {
        let managing = self.mode == Mode::Manage
            || matches!(
                self.dialog,
                Some(Dialog::Manage(_) | Dialog::ConfirmRemove(_))
            );
        if managing && !Self::may(cx, Act::ManageSchedule) {
            self.fit_to_session(cx);
            cx.error(Act::ManageSchedule.needs(self.lang));
            return;
        }
        if let Some(d) = self.dialog.take() {
            self.update_dialog(cx, d, action);
            return;
        }
        match self.mode {
            Mode::Slots => self.update_slots(cx, action),
            Mode::Waitlist => self.update_waitlist(cx, action),
            Mode::Manage => self.update_manage(cx, action),
        }
    }

    fn refresh(&mut self, cx: &mut Ctx) -> bool {
        let mut changed = false;
        if self.due {
            self.reload(cx);
            changed = true;
        }
        match &mut self.dialog {
            Some(Dialog::Book(b)) => changed |= b.picker.refresh(cx.store, cx.lang),
            Some(Dialog::WaitAdd(w)) => changed |= w.refresh(cx),
            _ => {}
        }
        changed
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        match self.mode {
            Mode::Slots => self.draw_slots(f, area, v),
            Mode::Waitlist => self.draw_waitlist(f, area, v),
            Mode::Manage => self.draw_manage(f, area, v),
        }
    }

    fn unsaved(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Book(b)) => !b.picker.query().trim().is_empty(),
            Some(Dialog::WaitAdd(w)) => w.unsaved(),
            Some(Dialog::FollowUp { form, .. }) => form.touched,
            Some(Dialog::Manage(m)) => m.form.touched,
            Some(Dialog::Notes(n)) => n.edited(),
            _ => false,
        }
    }
}
