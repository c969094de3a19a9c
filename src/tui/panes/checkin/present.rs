//! Who is in the station now, today's count, and the anonymous tally:
//! the state the lower part of the pane shows, and drawing it.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::draw::{Item, pack, service_items};
use super::{Focus, TRADE_KEYS, service_short, trade_short};
use crate::domain::ids::{PersonId, VisitId};
use crate::domain::person::Trade;
use crate::domain::visit::Services;
use crate::i18n::Lang;
use crate::store::PresentRow;
use crate::t;
use crate::tui::panes::View;
use crate::tui::widgets::{fit, pad, width};

/// At most this many people are listed (a bounded page).
pub const LIMIT: usize = 200;

/// The tally row, opened on purpose (`t` in the list, Ctrl-T in the
/// form): there digits count one anonymous visitor of a trade, with the
/// services shown on the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyRow {
    /// What the next counts record: rest and water when the row opens.
    pub services: Services,
    /// The services' keys are in force (`s`), not the trades'.
    pub choosing: bool,
}

impl Default for TallyRow {
    fn default() -> TallyRow {
        TallyRow {
            services: Services::tally_default(),
            choosing: false,
        }
    }
}

/// An anonymous tally made in this session, to undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tallied {
    pub visit: VisitId,
    pub trade: Trade,
    pub services: Services,
    pub at: DateTime<Utc>,
}

/// A visitor marked leaving in this session, to undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub visit: VisitId,
    pub person: Option<PersonId>,
    pub name: String,
    /// The leaving time recorded.
    pub at: DateTime<Utc>,
}

/// What `u` takes back: a count or a leaving, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Tally(Tallied),
    Left(Left),
}

#[derive(Debug, Clone, Default)]
pub struct Present {
    pub rows: Vec<PresentRow>,
    pub selected: usize,
    /// Today's headcount (named visits and tallies).
    pub today: Option<u64>,
    /// Counts and leavings of this session, newest last.
    pub done: Vec<Done>,
    /// Counts typed that the database could not take yet, oldest first
    /// (`queue.rs`).
    pub queued: Vec<super::Queued>,
    pub loaded: bool,
}

impl Present {
    /// Takes freshly read rows. The selection stays on the same visitor
    /// when they are still listed (rows read again because another
    /// console checked someone in must not move it to someone else),
    /// otherwise on the same line, within the list.
    pub fn set_rows(&mut self, rows: Vec<PresentRow>) {
        let was = self.current().map(|r| r.visit);
        self.rows = rows;
        let same = was.and_then(|v| self.rows.iter().position(|r| r.visit == v));
        self.selected = same.unwrap_or(self.selected);
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.loaded = true;
    }

    pub fn current(&self) -> Option<&PresentRow> {
        self.rows.get(self.selected)
    }

    /// Moves the selection by `by` rows, within the list.
    pub fn step(&mut self, by: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(by).min(last);
    }

    /// Draws the title with the counts, the list, and the tally row at
    /// the bottom. `focus`: where the pane's keyboard is.
    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View, focus: Focus, row: &TallyRow) {
        if area.height == 0 {
            return;
        }
        let lang = v.lang;
        let w = area.width as usize;
        let active = v.focused && focus == Focus::List;
        let tally = tally_lines(lang, w, focus, row);
        let tally_h = (tally.len() as u16).min(area.height.saturating_sub(2));
        let [title, list, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(tally_h),
        ])
        .areas(area);
        self.draw_title(f, title, v, active);
        self.draw_list(f, list, v, active);
        f.render_widget(Paragraph::new(tally), keys);
    }

    fn draw_title(&self, f: &mut Frame, area: Rect, v: &View, active: bool) {
        let lang = v.lang;
        let count = if self.rows.len() >= LIMIT {
            format!("{LIMIT}+")
        } else if self.loaded {
            self.rows.len().to_string()
        } else {
            "…".to_owned()
        };
        let today = self.today.map_or_else(|| "…".to_owned(), |n| n.to_string());
        let left = format!(
            "── {} ",
            t!(lang, "checkin.here_title", n = count, today = today)
        );
        let right = match self.done.last() {
            _ if !self.queued.is_empty() => format!(
                " {} ──",
                t!(lang, "checkin.tallies_wait", n = self.queued.len())
            ),
            Some(Done::Tally(t)) => format!(
                " {} ──",
                t!(
                    lang,
                    "checkin.last_tally",
                    trade = trade_short(t.trade, lang),
                    at = t.at.with_timezone(&v.tz).format("%H:%M")
                )
            ),
            Some(Done::Left(l)) => format!(
                " {} ──",
                t!(
                    lang,
                    "checkin.last_left",
                    name = l.name,
                    at = l.at.with_timezone(&v.tz).format("%H:%M")
                )
            ),
            None => String::new(),
        };
        let w = area.width as usize;
        let right = fit(&right, w.saturating_sub(width(&left)));
        let fill = w.saturating_sub(width(&left) + width(&right));
        let style = if active {
            Style::new().add_modifier(Modifier::BOLD).fg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        let line = Line::from(vec![
            Span::styled(fit(&left, w), style),
            Span::styled("─".repeat(fill), style),
            Span::styled(right, Style::new().fg(Color::Green)),
        ]);
        f.render_widget(Paragraph::new(line), area);
    }

    fn draw_list(&self, f: &mut Frame, area: Rect, v: &View, active: bool) {
        if area.height == 0 {
            return;
        }
        let lang = v.lang;
        if self.rows.is_empty() {
            let text = if self.loaded {
                t!(lang, "checkin.nobody_here")
            } else {
                "…"
            };
            f.render_widget(
                Paragraph::new(format!("  {text}")).style(Style::new().fg(Color::DarkGray)),
                area,
            );
            return;
        }
        let name_w = 12;
        let trade_w = Trade::ALL
            .iter()
            .map(|t| width(trade_short(*t, lang)))
            .max()
            .unwrap_or(8) as u16;
        // An arrival of another day (a visitor still here after midnight)
        // shows its date: `12-06 23:50`; today's only the time.
        let today = v.today();
        let shown_at = |at: chrono::DateTime<chrono::Utc>| {
            let local = at.with_timezone(&v.tz);
            if local.date_naive() == today {
                local.format("%H:%M").to_string()
            } else {
                local.format("%m-%d %H:%M").to_string()
            }
        };
        let at_w = self
            .rows
            .iter()
            .map(|r| width(&shown_at(r.arrived_at)))
            .max()
            .unwrap_or(5);
        // Selection mark, time, name, trade, services, with spaces between.
        let services_w =
            (area.width as usize).saturating_sub(2 + at_w + name_w + trade_w as usize + 3 * 2);
        let sep = t!(lang, "checkin.services_sep");
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|r| {
                let services: Vec<&str> =
                    r.services.iter().map(|s| service_short(s, lang)).collect();
                let services = if services.is_empty() {
                    "-".to_owned()
                } else {
                    services.join(sep)
                };
                Row::new(vec![
                    Cell::from(shown_at(r.arrived_at)),
                    Cell::from(pad(r.name.as_deref().unwrap_or("-"), name_w)),
                    Cell::from(trade_short(r.trade, lang)),
                    Cell::from(fit(&services, services_w)),
                ])
            })
            .collect();
        let widths = [
            Constraint::Length(at_w as u16),
            Constraint::Length(name_w as u16),
            Constraint::Length(trade_w),
            Constraint::Fill(1),
        ];
        let table = Table::new(rows, widths)
            .column_spacing(2)
            .highlight_symbol("▶ ")
            .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut state = TableState::default();
        if active {
            state.select(Some(self.selected));
        }
        f.render_stateful_widget(table, area, &mut state);
    }
}

/// The tally row, packed into lines of `w` cells. Closed, one line saying
/// how to open it; open, the trades with their digits and the services
/// the counts record; choosing those, the services with their keys.
fn tally_lines(lang: Lang, w: usize, focus: Focus, row: &TallyRow) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let gray = Style::new().fg(Color::DarkGray);
    let keys = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let text = |s: &str, style: Style| Item::new(vec![Span::styled(s.to_owned(), style)]);
    // The row with the keyboard is marked as the form's focused field is.
    let marked = |s: &str| {
        Item::new(vec![
            Span::styled("▸ ".to_owned(), Style::new().fg(Color::Yellow)),
            Span::styled(s.to_owned(), bold),
        ])
    };
    match focus {
        Focus::Tally if row.choosing => {
            let mut items = vec![marked(t!(lang, "checkin.tally_choosing"))];
            items.extend(service_items(row.services, lang, keys));
            pack(items, w, 0)
        }
        Focus::Tally => {
            let mut items = vec![marked(t!(lang, "checkin.tally_title"))];
            for (k, t) in TRADE_KEYS.iter().zip(Trade::ALL) {
                items.push(Item::new(vec![
                    Span::styled(k.to_string(), keys),
                    Span::raw(format!(" {}", trade_short(*t, lang))),
                ]));
            }
            let mut lines = pack(items, w, 0);
            let mut services = vec![text(t!(lang, "checkin.tally_services_now"), bold)];
            if row.services.is_empty() {
                services.push(text(t!(lang, "checkin.tally_no_service"), gray));
            }
            let chosen = Style::new()
                .fg(Color::Green)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED);
            for s in row.services.iter() {
                services.push(text(&format!("✓{}", service_short(s, lang)), chosen));
            }
            services.push(Item::new(vec![
                Span::styled("s".to_owned(), keys),
                Span::styled(format!(" {}", t!(lang, "checkin.tally_change")), gray),
            ]));
            lines.extend(pack(services, w, 0));
            lines
        }
        Focus::List => pack(
            vec![text(t!(lang, "checkin.tally_closed_list"), gray)],
            w,
            0,
        ),
        Focus::Form => pack(
            vec![text(t!(lang, "checkin.tally_closed_form"), gray)],
            w,
            0,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::visit::Services;

    fn row(name: &str) -> PresentRow {
        PresentRow {
            visit: VisitId::new(),
            person: Some(PersonId::new()),
            name: Some(name.to_owned()),
            trade: Trade::Courier,
            headcount: 1,
            services: Services::EMPTY,
            arrived_at: DateTime::<Utc>::default(),
        }
    }

    #[test]
    fn rows_read_again_keep_the_selected_visitor() {
        let (a, b, c) = (row("甲"), row("乙"), row("丙"));
        let mut p = Present::default();
        p.set_rows(vec![a.clone(), b.clone()]);
        p.step(1);
        assert_eq!(p.current(), Some(&b));
        // Someone checked in elsewhere comes first: still 乙.
        p.set_rows(vec![c.clone(), a.clone(), b.clone()]);
        assert_eq!(p.current(), Some(&b));
        // 乙 left elsewhere: the same line, within the list.
        p.set_rows(vec![c.clone(), a.clone()]);
        assert_eq!(p.current(), Some(&a));
        p.set_rows(vec![c.clone()]);
        assert_eq!(p.current(), Some(&c));
        p.set_rows(Vec::new());
        assert_eq!(p.current(), None);
    }
}
