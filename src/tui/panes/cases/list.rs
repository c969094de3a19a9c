//! The queue: filters, sort, the rows read from `Store::case_queue`, and
//! the table.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{HighlightSpacing, Paragraph, TableState};

use super::{Cmd, overdue_style, status_style};
use crate::domain::case::{CaseStatus, CaseType};
use crate::domain::ids::{CaseId, StaffId};
use crate::domain::money::Fen;
use crate::domain::staff::Staff;
use crate::i18n::Lang;
use crate::i18n::Localized;
use crate::store::{CaseQuery, QueueCounts, QueueRow, QueueSort, StatusFilter};
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::{CaseSet, Ctx, View};
use crate::tui::widgets::picker::claimants_label;
use crate::tui::widgets::table::{self, Column};
use crate::tui::widgets::{fit, width};

/// Rows read at most: a page of the queue, never a whole district.
pub const PAGE: usize = 200;

/// Whose cases the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HandlerFilter {
    #[default]
    All,
    Unassigned,
    Staff(StaffId),
}

#[derive(Debug)]
pub struct Queue {
    pub status: Option<StatusFilter>,
    pub case_type: Option<CaseType>,
    pub handler: HandlerFilter,
    /// Only open cases whose follow-up date has passed.
    pub overdue: bool,
    /// Only the cases handed to this station (escalated or handed over to
    /// it) that wait for it or that it works on.
    pub handed: bool,
    /// How many handed to this station wait for its answer.
    pub waiting: u64,
    /// The rows' nearest statutory time limit within its warning days or
    /// past (`rules/time_limits.toml`): its last day, and whether passed.
    pub deadlines: std::collections::HashMap<CaseId, (chrono::NaiveDate, bool)>,
    pub sort: QueueSort,
    /// The cases behind a figure, shown instead of the filters' query
    /// until a filter, a sort or `x` is pressed.
    pub set: Option<CaseSet>,
    pub rows: Vec<QueueRow>,
    pub counts: Option<QueueCounts>,
    pub selected: usize,
    pub error: Option<String>,
    pub loaded: bool,
    /// Rows that fit on screen, as last drawn (for PgUp/PgDn).
    page: Cell<usize>,
}

impl Default for Queue {
    fn default() -> Self {
        Queue {
            status: Some(StatusFilter::Open),
            case_type: None,
            handler: HandlerFilter::All,
            overdue: false,
            handed: false,
            waiting: 0,
            deadlines: Default::default(),
            sort: QueueSort::FollowUp,
            set: None,
            rows: Vec::new(),
            counts: None,
            selected: 0,
            error: None,
            loaded: false,
            page: Cell::new(10),
        }
    }
}

/// The open rows with a time limit within its warning days (not passed:
/// the detail shows those): its last day. A page of rows, two reads each
/// (the case, its referrals).
fn deadlines(
    store: &crate::store::Store,
    rows: &[QueueRow],
    today: chrono::NaiveDate,
) -> std::collections::HashMap<CaseId, (chrono::NaiveDate, bool)> {
    use crate::domain::limits::Nearness;
    rows.iter()
        .filter(|r| r.status.is_open())
        .filter_map(|r| {
            let case = store.case(r.id).ok()??;
            let dues = store.case_dues(&case, today).ok()?;
            dues.into_iter()
                .find(|d| matches!(d.nearness, Nearness::Near(_)))
                .map(|d| (r.id, (d.last_day, false)))
        })
        .collect()
}

/// The status filters in the order `s` steps through them.
fn status_cycle() -> Vec<Option<StatusFilter>> {
    let mut v = vec![Some(StatusFilter::Open), None];
    v.extend(CaseStatus::ALL.iter().map(|s| Some(StatusFilter::Is(*s))));
    v
}

/// The item after `cur` in `all`, wrapping (the first when `cur` is absent).
fn next_of<T: PartialEq + Copy>(all: &[T], cur: T) -> Option<T> {
    let i = all
        .iter()
        .position(|x| *x == cur)
        .map_or(0, |i| (i + 1) % all.len().max(1));
    all.get(i).copied()
}

impl Queue {
    /// The query the filters make on `today`.
    pub fn query(&self, today: chrono::NaiveDate) -> CaseQuery {
        CaseQuery {
            status: self.status,
            case_type: self.case_type,
            handler: match self.handler {
                HandlerFilter::All => None,
                HandlerFilter::Unassigned => Some(None),
                HandlerFilter::Staff(id) => Some(Some(id)),
            },
            overdue_on: self.overdue.then_some(today),
            sort: self.sort,
            limit: PAGE,
        }
    }

    /// Reads the queue and its counts, keeping the selected case selected.
    pub fn load(&mut self, cx: &mut Ctx) {
        let keep = self.current();
        let today = cx.today();
        let own = cx.store.station_id().ok().flatten();
        let read = match (&self.set, own) {
            (Some(set), _) => cx.store.queue_rows(&set.ids[..set.ids.len().min(PAGE)]),
            (None, Some(own)) if self.handed => cx
                .store
                .handed_to(own, PAGE)
                .and_then(|ids| cx.store.queue_rows(&ids)),
            (None, _) => cx.store.case_queue(&self.query(today)),
        };
        self.waiting = own.and_then(|o| cx.store.waiting_for(o).ok()).unwrap_or(0);
        match read {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(e) => {
                self.rows.clear();
                self.error = Some(e.localized(cx.lang));
            }
        }
        self.deadlines = deadlines(cx.store, &self.rows, today);
        self.counts = cx.store.case_counts(today).ok();
        self.loaded = true;
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
    }

    /// Shows the cases of `set` (from the first), read afresh.
    pub fn show_set(&mut self, cx: &mut Ctx, set: CaseSet) {
        self.set = Some(set);
        self.rows.clear();
        self.selected = 0;
        self.load(cx);
    }

    pub fn current(&self) -> Option<CaseId> {
        self.rows.get(self.selected).map(|r| r.id)
    }

    /// Selects case `id` if it is in the rows.
    pub fn select_case(&mut self, id: CaseId) {
        if let Some(i) = self.rows.iter().position(|r| r.id == id) {
            self.selected = i;
        }
    }

    /// Moves or changes a filter; returns whether the queue must be read
    /// again.
    pub fn update(&mut self, action: &Action, staff: &[Staff]) -> bool {
        let last = self.rows.len().saturating_sub(1);
        let page = self.page.get().max(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(last),
            Action::Home => self.selected = 0,
            Action::End => self.selected = last,
            Action::Pane(PaneCmd::Cases(cmd)) => {
                // A filter or a sort goes back to the queue.
                let had_set = self.set.take().is_some();
                match cmd {
                    Cmd::FilterStatus => {
                        self.status = next_of(&status_cycle(), self.status).flatten();
                    }
                    Cmd::FilterType => {
                        let mut all = vec![None];
                        all.extend(CaseType::ALL.iter().map(|t| Some(*t)));
                        self.case_type = next_of(&all, self.case_type).flatten();
                    }
                    Cmd::FilterHandler => {
                        let mut all = vec![HandlerFilter::All, HandlerFilter::Unassigned];
                        all.extend(
                            staff
                                .iter()
                                .filter(|s| s.active)
                                .map(|s| HandlerFilter::Staff(s.id)),
                        );
                        self.handler = next_of(&all, self.handler).unwrap_or_default();
                    }
                    Cmd::FilterOverdue => self.overdue = !self.overdue,
                    Cmd::FilterHanded => self.handed = !self.handed,
                    Cmd::FilterClear => {
                        self.handed = false;
                        self.status = Some(StatusFilter::Open);
                        self.case_type = None;
                        self.handler = HandlerFilter::All;
                        self.overdue = false;
                    }
                    Cmd::SortDue => self.sort = QueueSort::FollowUp,
                    Cmd::SortAge => self.sort = QueueSort::Age,
                    Cmd::SortAmount => self.sort = QueueSort::Amount,
                    Cmd::SortNumber => self.sort = QueueSort::Number,
                    _ => return had_set,
                }
                // A new query starts at its first row.
                self.rows.clear();
                self.selected = 0;
                return true;
            }
            _ => {}
        }
        false
    }

    /// Whether any filter differs from the default (open cases, all).
    fn filtered(&self) -> bool {
        self.status != Some(StatusFilter::Open)
            || self.case_type.is_some()
            || self.handler != HandlerFilter::All
            || self.overdue
            || self.handed
    }

    fn filter_line(&self, lang: Lang, staff: &[Staff], cells: usize) -> Line<'static> {
        let key = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
        if let Some(set) = &self.set {
            let back = t!(lang, "cases.set_back");
            let title = t!(lang, "cases.set_title", what = set.title, n = set.ids.len());
            let room = cells.saturating_sub(width(back) + 4);
            return Line::from(vec![
                Span::raw(" "),
                Span::styled(
                    fit(&title, room),
                    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                ),
                Span::styled("  x", key),
                Span::raw(format!(" {back}")),
            ]);
        }
        let status = match self.status {
            None => t!(lang, "cases.all").to_owned(),
            Some(StatusFilter::Open) => t!(lang, "cases.open_cases").to_owned(),
            Some(StatusFilter::Is(s)) => s.label(lang).to_owned(),
        };
        let case_type = self.case_type.map_or_else(
            || t!(lang, "cases.all").to_owned(),
            |t| t.label(lang).to_owned(),
        );
        let handler = match self.handler {
            HandlerFilter::All => t!(lang, "cases.all").to_owned(),
            HandlerFilter::Unassigned => t!(lang, "cases.unassigned").to_owned(),
            HandlerFilter::Staff(id) => super::staff_name(staff, Some(id), lang),
        };
        let overdue = if self.overdue {
            t!(lang, "cases.yes")
        } else {
            t!(lang, "cases.no")
        };
        let on = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
        let handed = (
            "u",
            t!(lang, "cases.f_handed"),
            if self.handed {
                t!(lang, "cases.yes").to_owned()
            } else if self.waiting > 0 {
                t!(lang, "cases.handed_waiting", n = self.waiting)
            } else {
                t!(lang, "cases.no").to_owned()
            },
            self.handed || self.waiting > 0,
        );
        // Handed to us goes first when it is on or something waits for an
        // answer; else last, where a narrow screen may leave it out.
        let first = self.handed || self.waiting > 0;
        let mut items = vec![
            (
                "s",
                t!(lang, "cases.f_status"),
                status,
                self.status != Some(StatusFilter::Open),
            ),
            (
                "t",
                t!(lang, "cases.f_type"),
                case_type,
                self.case_type.is_some(),
            ),
            (
                "h",
                t!(lang, "cases.f_handler"),
                handler,
                self.handler != HandlerFilter::All,
            ),
            (
                "o",
                t!(lang, "cases.f_overdue"),
                overdue.to_owned(),
                self.overdue,
            ),
        ];
        if first {
            items.insert(0, handed);
        } else {
            items.push(handed);
        }
        let colon = t!(lang, "cases.colon");
        let mut spans = Vec::new();
        let mut used = 0;
        for (k, label, value, active) in items {
            let value = fit(&value, 14);
            let w = width(k) + width(label) + width(colon) + width(&value) + 3;
            if used + w > cells {
                break;
            }
            used += w;
            spans.push(Span::styled(format!(" {k}"), key));
            spans.push(Span::raw(format!(" {label}{colon}")));
            spans.push(Span::styled(value, if active { on } else { Style::new() }));
            spans.push(Span::raw(" "));
        }
        Line::from(spans)
    }

    fn counts_line(&self, lang: Lang, cells: usize) -> Line<'static> {
        let sort = match self.sort {
            QueueSort::FollowUp => t!(lang, "cases.by_due"),
            QueueSort::Age => t!(lang, "cases.by_age"),
            QueueSort::Amount => t!(lang, "cases.by_amount"),
            QueueSort::Number => t!(lang, "cases.by_number"),
        };
        // The cases behind a figure come oldest first, whatever the sort.
        let right = if self.set.is_some() {
            String::new()
        } else {
            t!(lang, "cases.sorted", by = sort)
        };
        let mut spans = vec![Span::raw(" ")];
        if let Some(c) = self.counts {
            spans.push(Span::raw(t!(lang, "cases.count_open", n = c.open())));
            spans.push(Span::raw(" · "));
            let style = if c.overdue > 0 {
                super::overdue_style()
            } else {
                Style::new()
            };
            spans.push(Span::styled(
                t!(lang, "cases.count_overdue", n = c.overdue),
                style,
            ));
            spans.push(Span::raw(" · "));
            spans.push(Span::raw(t!(
                lang,
                "cases.count_unassigned",
                n = c.unassigned
            )));
            spans.push(Span::raw(" · "));
        }
        let shown = if self.rows.len() >= PAGE {
            t!(lang, "cases.count_shown_max", n = self.rows.len())
        } else {
            t!(lang, "cases.count_shown", n = self.rows.len())
        };
        spans.push(Span::raw(shown));
        let left: usize = spans.iter().map(|s| width(&s.content)).sum();
        let gap = cells.saturating_sub(left + width(&right) + 1);
        if gap > 0 {
            spans.push(Span::raw(" ".repeat(gap)));
            spans.push(Span::styled(
                right,
                Style::new().add_modifier(Modifier::BOLD),
            ));
        }
        Line::from(spans)
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View, staff: &[Staff]) {
        let lang = v.lang;
        let [filters, counts, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(area);
        f.render_widget(
            Paragraph::new(self.filter_line(lang, staff, filters.width as usize)),
            filters,
        );
        f.render_widget(
            Paragraph::new(self.counts_line(lang, counts.width as usize)),
            counts,
        );
        self.page
            .set((body.height as usize).saturating_sub(1).max(1));

        let today = v.today();
        let wide = area.width >= 100;
        let status_cells = CaseStatus::ALL
            .iter()
            .map(|s| width(s.label(lang)))
            .max()
            .unwrap_or(6)
            .min(11) as u16;
        let cols = vec![
            Column::new(t!(lang, "cases.col_number"), 12, 12, 10),
            Column::new(t!(lang, "cases.col_type"), 8, 12, 6),
            Column::new(t!(lang, "cases.col_status"), status_cells, status_cells, 9),
            Column::new(t!(lang, "cases.col_claimants"), 10, 16, 8),
            Column::new(t!(lang, "cases.col_respondent"), 12, 26, 3),
            // Claimed and recovered both, before the claimants widen: at 80
            // columns the recovered amount is what a worker asks about.
            Column::new(t!(lang, "cases.col_amount"), 9, 15, 9).right(),
            Column::new(t!(lang, "cases.col_handler"), 6, 8, 5),
            Column::new(t!(lang, "cases.col_follow_up"), 6, 11, 8),
            Column::new(t!(lang, "cases.col_age"), 5, 6, 4).right(),
        ];
        // The highlight symbol takes two cells.
        let widths = table::widths(&cols, body.width.saturating_sub(2));
        let amount_cells = widths.get(5).copied().unwrap_or(0) as usize;
        let type_cells = widths.get(1).copied().unwrap_or(0) as usize;
        // Only the rows on screen are formatted: the window that a fresh
        // table state would scroll to, selected row at the bottom at most.
        let visible = (body.height as usize).saturating_sub(1).max(1);
        let first = self.selected.saturating_sub(visible - 1);
        let rows: Vec<Vec<(String, Style)>> = self
            .rows
            .iter()
            .skip(first)
            .take(visible)
            .map(|r| {
                let overdue = r.status.is_open() && r.follow_up.is_some_and(|d| d < today);
                // A statutory time limit within its warning days, sooner
                // than a follow-up not overdue, shows in its place, marked.
                let deadline = self
                    .deadlines
                    .get(&r.id)
                    .filter(|(d, _)| r.follow_up.is_none_or(|f| *d <= f && f >= today));
                let fmt = |d: chrono::NaiveDate| {
                    if wide {
                        d.format("%Y-%m-%d").to_string()
                    } else {
                        d.format("%m-%d").to_string()
                    }
                };
                let follow = match (deadline, r.follow_up) {
                    (Some((d, passed)), _) => (
                        format!("⚠{}", fmt(*d)),
                        if *passed {
                            overdue_style()
                        } else {
                            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
                        },
                    ),
                    (None, None) => ("-".to_owned(), Style::new()),
                    (None, Some(d)) => {
                        let shown = fmt(d);
                        if overdue {
                            (format!("!{shown}"), overdue_style())
                        } else if d == today && r.status.is_open() {
                            (shown, Style::new().fg(Color::Yellow))
                        } else {
                            (shown, Style::new())
                        }
                    }
                };
                // Claimed/recovered when it fits, else what was claimed.
                let both = format!("{}/{}", yuan(r.claimed), yuan(r.recovered));
                let amount = if r.recovered.0 > 0 && width(&both) <= amount_cells {
                    both
                } else {
                    yuan(r.claimed)
                };
                let opened = r.opened_at.with_timezone(&v.tz).date_naive();
                let age = (today - opened).num_days().max(0);
                vec![
                    (r.number.to_string(), Style::new()),
                    (type_label(r.case_type, type_cells, lang), Style::new()),
                    (r.status.label(lang).to_owned(), status_style(r.status)),
                    (
                        claimants_label(r.first_claimant.as_deref(), r.claimants, lang),
                        Style::new(),
                    ),
                    (
                        r.respondent.clone().unwrap_or_else(|| "-".into()),
                        Style::new(),
                    ),
                    (amount, Style::new()),
                    (
                        r.handler.clone().unwrap_or_else(|| "-".into()),
                        Style::new(),
                    ),
                    follow,
                    (t!(lang, "cases.days", n = age), Style::new()),
                ]
            })
            .collect();
        let table = table::table(&cols, &widths, rows)
            .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
            .highlight_symbol("▶ ")
            // The marker's cells are kept when nothing is selected too, so
            // the headings stay over their columns.
            .highlight_spacing(HighlightSpacing::Always);
        let mut state = TableState::default();
        if !self.rows.is_empty() {
            state.select(Some(self.selected - first));
        }
        f.render_stateful_widget(table, body, &mut state);

        if self.rows.is_empty() {
            let msg = if let Some(e) = &self.error {
                Span::styled(e.clone(), overdue_style())
            } else if !self.loaded {
                Span::raw("…")
            } else if self.filtered() {
                Span::raw(t!(lang, "cases.none_filtered"))
            } else {
                Span::raw(t!(lang, "cases.none"))
            };
            let r = Rect {
                y: body.y + 2,
                height: 1,
                ..body
            };
            if body.height > 2 {
                f.render_widget(Paragraph::new(Line::from(vec![Span::raw("  "), msg])), r);
            }
        }
    }
}

/// The type of a case in `cells`: its label when it fits, else the short
/// one.
fn type_label(t: CaseType, cells: usize, lang: Lang) -> String {
    let full = t.label(lang);
    if width(full) <= cells {
        return full.to_owned();
    }
    type_short(t, lang).to_owned()
}

/// Short labels of the case types, for the narrow queue (8 cells at most).
fn type_short(t: CaseType, lang: Lang) -> &'static str {
    match t {
        CaseType::WageArrears => t!(lang, "cases.type_short.wage_arrears"),
        CaseType::LabourDispute => t!(lang, "cases.type_short.labour_dispute"),
        CaseType::WorkInjury => t!(lang, "cases.type_short.work_injury"),
        CaseType::LegalAid => t!(lang, "cases.type_short.legal_aid"),
        CaseType::Hardship => t!(lang, "cases.type_short.hardship"),
        CaseType::EmergencyRelief => t!(lang, "cases.type_short.emergency_relief"),
        CaseType::Psychological => t!(lang, "cases.type_short.psychological"),
        CaseType::Other => t!(lang, "cases.type_short.other"),
    }
}

/// Whole yuan with comma groups (fen dropped: the detail shows them), `-`
/// for zero.
fn yuan(f: Fen) -> String {
    if f.0 == 0 {
        return "-".into();
    }
    let s = Fen(f.0 - f.0 % 100).yuan_string();
    s.strip_suffix(".00").map_or(s.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_short_label_that_fits_the_narrow_column() {
        for lang in [Lang::ZhCn, Lang::En] {
            for t in CaseType::ALL {
                let short = type_short(*t, lang);
                assert!(width(short) <= 8, "{short}");
                assert!(!short.contains('\u{fffd}'), "{t:?}");
                assert!(!type_label(*t, 8, lang).contains('…'));
            }
        }
        assert_eq!(
            type_label(CaseType::WageArrears, 12, Lang::En),
            "Wage arrears"
        );
        assert_ne!(
            type_label(CaseType::WageArrears, 8, Lang::En),
            "Wage arrears"
        );
    }

    #[test]
    fn table_amounts_are_whole_yuan() {
        assert_eq!(yuan(Fen(0)), "-");
        assert_eq!(yuan(Fen(54_658_799)), "546,587");
        assert_eq!(yuan(Fen(1_200_000)), "12,000");
    }

    #[test]
    fn status_filter_steps_through_every_status_and_back() {
        let mut q = Queue::default();
        let mut seen = vec![q.status];
        for _ in 0..7 {
            q.update(&Action::Pane(PaneCmd::Cases(Cmd::FilterStatus)), &[]);
            seen.push(q.status);
        }
        assert_eq!(seen.first(), seen.last());
        assert_eq!(seen.len(), 8);
        assert!(seen.contains(&None));
        assert!(seen.contains(&Some(StatusFilter::Is(CaseStatus::Closed))));
    }

    #[test]
    fn overdue_uses_today_and_clear_resets() {
        let mut q = Queue::default();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert!(q.update(&Action::Pane(PaneCmd::Cases(Cmd::FilterOverdue)), &[]));
        assert_eq!(q.query(day).overdue_on, Some(day));
        assert!(q.update(&Action::Pane(PaneCmd::Cases(Cmd::SortAmount)), &[]));
        assert_eq!(q.query(day).sort, QueueSort::Amount);
        q.update(&Action::Pane(PaneCmd::Cases(Cmd::FilterClear)), &[]);
        assert_eq!(q.query(day).overdue_on, None);
        assert!(!q.filtered());
    }
}
