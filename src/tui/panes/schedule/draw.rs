//! Drawing the counsellor column, the week or day, and the dialogs.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Dialog, SchedulePane, ViewMode, Who, fields, grid, weekday_short};
use crate::i18n::Lang;
use crate::t;
use crate::tui::panes::View;
use crate::tui::widgets::{centered, clear_popup, fit, pad, width};

impl SchedulePane {
    pub(super) fn draw_side(&self, f: &mut Frame, area: Rect) {
        let lang = self.lang;
        let block = Block::default()
            .borders(Borders::RIGHT)
            .border_style(if self.side_focus {
                Style::new().fg(Color::Yellow)
            } else {
                Style::new().fg(Color::DarkGray)
            });
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        let head_style = if self.side_focus {
            Style::new()
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                .fg(Color::Yellow)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        };
        let mut lines = vec![Line::from(Span::styled(
            fit(t!(lang, "schedule.side_title"), w),
            head_style,
        ))];
        let items = self.side_items();
        let at = items.iter().position(|x| *x == self.who).unwrap_or(0);
        let room = (inner.height as usize).saturating_sub(1);
        let first = at.saturating_sub(room.saturating_sub(1));
        for (i, who) in items.iter().enumerate().skip(first).take(room) {
            let (indent, text, mut style) = match who {
                Who::All => (
                    "",
                    t!(lang, "schedule.everyone").to_owned(),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Who::Kind(k) => (
                    "",
                    k.label(lang).to_owned(),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Who::One(id) => match self.counsellor(*id) {
                    // The mark stays whole; a long name is cut.
                    Some(c) if !c.active => {
                        // Short: the column is narrow; the title says
                        // "stopped" in full.
                        let mark = t!(lang, "schedule.stopped_side");
                        let room = w.saturating_sub(3 + width(mark));
                        (
                            "  ",
                            format!("{}{mark}", fit(&c.name, room)),
                            Style::new().fg(Color::DarkGray),
                        )
                    }
                    Some(c) => ("  ", c.name.clone(), Style::new()),
                    None => ("  ", String::new(), Style::new()),
                },
            };
            let selected = i == at;
            if selected {
                style = style.add_modifier(if self.side_focus {
                    Modifier::REVERSED
                } else {
                    Modifier::UNDERLINED
                });
            }
            let mark = if selected { "›" } else { " " };
            lines.push(Line::from(Span::styled(
                pad(&format!("{mark}{indent}{text}"), w),
                style,
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    pub(super) fn draw_slots(&self, f: &mut Frame, area: Rect, v: &View) {
        let lang = self.lang;
        // Below 110 columns the week's seven columns need the room of the
        // counsellor list to show names whole (✓张婷婷): the list gives it
        // up in the week view until Tab goes back to it (the title names
        // whose week it is).
        let narrow_week = area.width < 110 && self.view == ViewMode::Week && !self.side_focus;
        let side_w = match (narrow_week, area.width >= 110) {
            (true, _) => 0,
            (false, true) => 22,
            (false, false) => 16,
        };
        let [side, main] =
            Layout::horizontal([Constraint::Length(side_w), Constraint::Min(1)]).areas(area);
        if side_w > 0 {
            self.draw_side(f, side);
        }
        let main = Rect {
            x: main.x + 1,
            width: main.width.saturating_sub(1),
            ..main
        };
        let now = v.now.with_timezone(&v.tz).naive_local();
        let who = match self.who {
            Who::One(id) => match self.counsellor(id) {
                Some(c) if !c.active => format!(
                    "{} · {} · {}",
                    c.name,
                    c.kind.label(lang),
                    t!(lang, "schedule.mg.stopped_word")
                ),
                Some(c) => format!("{} · {}", c.name, c.kind.label(lang)),
                None => self.who_label(self.who),
            },
            w => self.who_label(w),
        };
        let title_style = Style::new().add_modifier(Modifier::BOLD);
        let active = !self.side_focus && self.dialog.is_none();
        let shown = grid::Shown {
            week: &self.week,
            who: self.who,
            row: 0,
            date: self.date,
            active,
            lang,
            now,
        };
        match self.view {
            ViewMode::Week => {
                let mut spans = vec![Span::styled(
                    format!(
                        "{} · {} – {}",
                        who,
                        self.week.monday.format("%Y-%m-%d"),
                        self.week.sunday().format("%m-%d")
                    ),
                    title_style,
                )];
                if self.week_full(now) {
                    spans.push(Span::styled(
                        format!("  {}", t!(lang, "schedule.week_full")),
                        Style::new().fg(Color::Yellow),
                    ));
                }
                let shown = grid::Shown {
                    row: self.wrow,
                    ..shown
                };
                grid::draw_week(f, main, &shown, Line::from(spans));
            }
            ViewMode::Day => {
                let mut text = format!(
                    "{} · {} {}",
                    who,
                    self.date.format("%Y-%m-%d"),
                    weekday_short(lang, self.date.weekday())
                );
                if self.date == now.date() {
                    text.push_str(&format!(" · {}", t!(lang, "schedule.today_word")));
                }
                let title = Line::from(Span::styled(text, title_style));
                let shown = grid::Shown {
                    row: self.drow,
                    ..shown
                };
                grid::draw_day(f, main, &shown, title);
            }
        }
        if let Some(d) = &self.dialog {
            self.draw_dialog(f, area, d, v);
        }
    }

    pub(super) fn draw_dialog(&self, f: &mut Frame, area: Rect, d: &Dialog, v: &View) {
        let lang = self.lang;
        match d {
            Dialog::Book(b) => b.draw(f, area, lang, v),
            Dialog::WaitAdd(w) => w.draw(f, area, lang, v),
            Dialog::Manage(m) => m.draw(f, area, lang),
            Dialog::Notes(n) => super::notes::draw(f, area, n, lang, v),
            Dialog::ConfirmCancel { about, .. } => {
                question(
                    f,
                    area,
                    t!(lang, "schedule.cancel_title"),
                    &t!(lang, "schedule.cancel_q", about = about),
                    lang,
                );
            }
            Dialog::ConfirmLate(cell) => {
                question(
                    f,
                    area,
                    t!(lang, "schedule.booking.late_title"),
                    &t!(
                        lang,
                        "schedule.booking.late_q",
                        slot = grid::describe_slot(cell, lang)
                    ),
                    lang,
                );
            }
            Dialog::ConfirmRemove(about) => {
                question(
                    f,
                    area,
                    t!(lang, "schedule.mg.remove_title"),
                    &t!(lang, "schedule.mg.remove_q", about = about),
                    lang,
                );
            }
            Dialog::FollowUp { about, form, .. } => {
                let w = area.width.saturating_sub(4).min(72);
                let rows = fields::form_height(form, w.saturating_sub(2));
                let r = centered(area, w, rows + 6);
                let inner = dialog_frame(f, r, t!(lang, "schedule.fu.title"));
                let [top, _, body, _, hint] = Layout::vertical([
                    Constraint::Length(1),
                    Constraint::Length(1),
                    Constraint::Length(rows),
                    Constraint::Length(1),
                    Constraint::Length(1),
                ])
                .areas(inner);
                f.render_widget(Paragraph::new(fit(about, top.width as usize)), top);
                fields::draw_form(f, body, form, true);
                f.render_widget(
                    Paragraph::new(Span::styled(
                        fit(t!(lang, "schedule.fu.keys"), hint.width as usize),
                        Style::new().fg(Color::DarkGray),
                    )),
                    hint,
                );
            }
        }
    }
}

/// A bordered dialog box; returns its inside.
pub fn dialog_frame(f: &mut Frame, r: Rect, title: &str) -> Rect {
    // One column more each side: a Chinese character under the border
    // would break it.
    clear_popup(f, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Yellow))
        .title(Span::styled(
            format!(" {title} "),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(r);
    f.render_widget(block, r);
    inner
}

/// A yes/no question in a box.
pub(super) fn question(f: &mut Frame, area: Rect, title: &str, text: &str, lang: Lang) {
    let yes_no = t!(lang, "schedule.yes_no");
    let w = (width(text).max(width(yes_no)) as u16 + 4).clamp(40, area.width.saturating_sub(2));
    let r = centered(area, w, 6);
    let inner = dialog_frame(f, r, title);
    let p = Paragraph::new(vec![
        Line::from(text.to_owned()),
        Line::from(""),
        Line::from(Span::styled(yes_no, Style::new().fg(Color::Yellow))),
    ])
    .wrap(Wrap { trim: true });
    f.render_widget(p, inner);
}
