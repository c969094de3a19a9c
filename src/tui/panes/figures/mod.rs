//! F4 Figures: what the station (or the district office, for all the
//! stations its database holds) reports for a period — visits, cases,
//! counselling — and the records behind each figure.
//!
//! The period is chosen with one key (today, this week, this month, last
//! month, this year), stepped back and forth with ← →, or typed as any
//! from–to in a dialog; the station with `t` when the database holds
//! several. The figures are counted on a background thread
//! ([`job`]): the pane draws at once and shows them when they come. Enter
//! on a figure lists the records it counts: the cases go to the F2 queue,
//! visits and sessions are listed here.

mod draw;
pub mod job;
mod keys;
pub mod rows;
mod update;

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use self::job::{Ask, Job};
use self::rows::{Item, Section};
use super::{Ctx, Pane, Polled, View};
use crate::domain::dates::{NamedPeriod, Period};
use crate::domain::ids::StationId;
use crate::domain::station::Station;
use crate::i18n::Lang;
use crate::store::figures::Figures;
use crate::store::figures::records::{Page, SessionLine, VisitLine};
use crate::tui::action::Action;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;

pub use self::keys::{Cmd, MAIN, RANGE, RECORDS, STATIONS, bindings};

/// The setting that remembers the station chosen: a code, or `*` for all.
pub const STATION_SETTING: &str = "figures.station";

/// Visits or sessions listed at most behind a figure.
pub const RECORDS_PAGE: usize = 500;

/// The records behind a visit or counselling figure.
#[derive(Debug, Clone)]
pub enum Listed {
    Visits(Page<VisitLine>),
    Sessions(Page<SessionLine>),
}

impl Listed {
    pub fn len(&self) -> usize {
        match self {
            Listed::Visits(p) => p.rows.len(),
            Listed::Sessions(p) => p.rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn total(&self) -> u64 {
        match self {
            Listed::Visits(p) => p.total,
            Listed::Sessions(p) => p.total,
        }
    }
}

/// A dialog over the pane.
#[derive(Debug)]
pub enum Dialog {
    /// Any from–to.
    Range(Form),
    /// Choosing the station: a filter and the matching entries (`None`:
    /// all stations).
    Stations { filter: Field, selected: usize },
    /// The visits or sessions behind a figure.
    Records {
        title: String,
        /// What the records are of, to read them again when the pane is
        /// shown again (a record may have been added meanwhile).
        target: rows::Target,
        listed: Listed,
        selected: usize,
        /// Rows that fit, as last drawn (for PgUp/PgDn).
        page: Cell<usize>,
    },
}

#[derive(Debug)]
pub struct FiguresPane {
    pub period: Period,
    /// `None`: the station's own (when it has one), else all.
    pub station: Option<StationId>,
    pub stations: Vec<Station>,
    /// The database's own station.
    pub own: Option<StationId>,
    pub section: Section,
    /// The selected row of the section.
    pub selected: usize,
    /// The figures last counted, and what they were asked for.
    pub figures: Option<Figures>,
    pub error: Option<String>,
    /// Figures being counted.
    pub job: Option<Job>,
    pub dialog: Option<Dialog>,
    /// The first line of the list shown, as last drawn.
    scroll: Cell<usize>,
    /// Whether `load` has run once (the first load sets the period).
    loaded: bool,
}

impl FiguresPane {
    pub fn new(_lang: Lang) -> Self {
        let today = NaiveDate::default();
        FiguresPane {
            period: NamedPeriod::ThisMonth.period(today),
            station: None,
            stations: Vec::new(),
            own: None,
            section: Section::Visits,
            selected: 0,
            figures: None,
            error: None,
            job: None,
            dialog: None,
            scroll: Cell::new(0),
            loaded: false,
        }
    }

    /// Whether figures are being counted.
    pub fn counting(&self) -> bool {
        self.job.is_some()
    }

    /// The figures, if they are those of the period and station chosen.
    pub fn current(&self) -> Option<&Figures> {
        self.figures
            .as_ref()
            .filter(|f| f.from == self.period.from && f.to == self.period.to)
            .filter(|f| f.station == self.station)
    }

    /// The rows of the section shown, from the figures last counted.
    pub fn items(&self, lang: Lang) -> Vec<Item> {
        self.figures
            .as_ref()
            .map(|f| rows::items(self.section, f, lang, self.stations.len() > 1))
            .unwrap_or_default()
    }

    /// The stations whose code or name holds `filter` (any case), after
    /// the "all stations" entry (`None`).
    pub fn station_choices(&self, filter: &str) -> Vec<Option<&Station>> {
        let needle = filter.trim().to_lowercase();
        let mut out: Vec<Option<&Station>> = vec![None];
        out.extend(
            self.stations
                .iter()
                .filter(|s| {
                    needle.is_empty()
                        || s.code.to_lowercase().contains(&needle)
                        || s.name.to_lowercase().contains(&needle)
                })
                .map(Some),
        );
        out
    }

    /// The station's code and name, or `None` for all.
    pub fn station_of(&self, id: Option<StationId>) -> Option<&Station> {
        id.and_then(|id| self.stations.iter().find(|s| s.id == id))
    }

    /// Asks for the figures of the period and station chosen: counted on
    /// a thread when the database is a file, else here.
    fn count(&mut self, cx: &mut Ctx) {
        let ask = Ask {
            from: self.period.from,
            to: self.period.to,
            station: self.station,
            today: cx.today(),
        };
        self.job = None;
        if let Some(db) = cx.db {
            match job::spawn(db.clone(), ask, cx.lang) {
                Ok(j) => {
                    self.job = Some(j);
                    return;
                }
                Err(e) => tracing::warn!("figures: no thread ({e}); counting here"),
            }
        }
        self.take(job::count(cx.store, ask, cx.lang));
    }

    /// Takes a result.
    fn take(&mut self, result: Result<Figures, String>) {
        match result {
            Ok(f) => {
                self.figures = Some(f);
                self.error = None;
                self.fix_selection();
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Keeps the selection on a selectable row of the section.
    fn fix_selection(&mut self) {
        let items = self.items(Lang::En);
        if items.is_empty() {
            self.selected = 0;
            return;
        }
        self.selected = self.selected.min(items.len() - 1);
        if !items[self.selected].selectable() {
            self.selected = items
                .iter()
                .enumerate()
                .skip(self.selected)
                .chain(items.iter().enumerate().take(self.selected).rev())
                .find(|(_, i)| i.selectable())
                .map_or(0, |(n, _)| n);
        }
    }

    /// Reads the stations and the remembered choice.
    fn read_stations(&mut self, cx: &mut Ctx) {
        match cx.store.stations() {
            Ok(s) => self.stations = s,
            Err(e) => cx.store_error(e),
        }
        self.own = cx.store.station().ok().flatten().map(|s| s.id);
        if !self.loaded {
            let kept = cx.store.setting(STATION_SETTING).ok().flatten();
            self.station = match kept.as_deref() {
                Some("*") => None,
                Some(code) => self
                    .stations
                    .iter()
                    .find(|s| s.code == code)
                    .map(|s| s.id)
                    .or(self.own),
                // A station's staff see their own station first; a
                // database without one (an office) sees all.
                None => self.own,
            };
        }
        if self
            .station
            .is_some_and(|id| !self.stations.iter().any(|s| s.id == id))
        {
            self.station = None;
        }
    }
}

impl Pane for FiguresPane {
    fn load(&mut self, cx: &mut Ctx) {
        self.read_stations(cx);
        if !self.loaded {
            self.period = NamedPeriod::ThisMonth.period(cx.today());
            self.loaded = true;
        }
        // Shown again: count afresh (records may have changed), showing
        // the last figures meanwhile; an open list of records is read
        // again.
        self.count(cx);
        self.reread_records(cx);
    }

    fn scopes(&self) -> Vec<&'static str> {
        match &self.dialog {
            Some(Dialog::Range(_)) => vec![RANGE, crate::tui::keymap::FORM],
            Some(Dialog::Stations { .. }) => vec![STATIONS],
            Some(Dialog::Records { .. }) => vec![RECORDS],
            None => vec![MAIN],
        }
    }

    fn typing(&self) -> bool {
        matches!(
            self.dialog,
            Some(Dialog::Range(_) | Dialog::Stations { .. })
        )
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) {
        self.apply(cx, action);
    }

    fn busy(&self) -> bool {
        self.counting()
    }

    fn holds_quit(&self) -> bool {
        false
    }

    fn poll(&mut self, _cx: &mut Ctx) -> Polled {
        let Some(job) = &mut self.job else {
            return Polled::Idle;
        };
        match job.poll() {
            job::News::Nothing => Polled::Idle,
            job::News::Done(r) => {
                self.job = None;
                self.take(*r);
                Polled::Moved
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        draw::draw(self, f, area, v);
    }

    fn unsaved(&self) -> bool {
        false
    }
}
