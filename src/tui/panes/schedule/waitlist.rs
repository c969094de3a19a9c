//! The waitlist: people waiting for a session in a week that was full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Cmd, Mode, SchedulePane, Who};
use crate::domain::schedule::{CounsellorKind, WaitlistStatus};
use crate::store::WaitlistRow;
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::{fit, pad};

/// At most this many waiting entries are read.
pub const WAITLIST_PAGE: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct Waitlist {
    /// The kind shown (all kinds when `None`).
    pub kind: Option<CounsellorKind>,
    pub rows: Vec<WaitlistRow>,
    pub sel: usize,
}

impl SchedulePane {
    pub(super) fn load_waitlist(&mut self, cx: &mut Ctx) {
        self.waitlist.kind = match self.who {
            Who::All => None,
            Who::Kind(k) => Some(k),
            Who::One(id) => self.counsellor(id).map(|c| c.kind),
        };
        match cx.store.waitlist(self.waitlist.kind) {
            Ok(mut rows) => {
                rows.truncate(WAITLIST_PAGE);
                self.waitlist.rows = rows;
            }
            Err(e) => cx.store_error(e),
        }
        self.waitlist.sel = self
            .waitlist
            .sel
            .min(self.waitlist.rows.len().saturating_sub(1));
    }

    pub(super) fn update_waitlist(&mut self, cx: &mut Ctx, action: &Action) {
        let len = self.waitlist.rows.len();
        let sel = &mut self.waitlist.sel;
        match action {
            Action::Up => *sel = sel.saturating_sub(1),
            Action::Down => *sel = (*sel + 1).min(len.saturating_sub(1)),
            Action::PageUp => *sel = sel.saturating_sub(10),
            Action::PageDown => *sel = (*sel + 10).min(len.saturating_sub(1)),
            Action::Home => *sel = 0,
            Action::End => *sel = len.saturating_sub(1),
            Action::Back => self.mode = Mode::Slots,
            Action::Pane(PaneCmd::Schedule(Cmd::WaitlistAdd)) => self.open_wait_add(),
            Action::Pane(PaneCmd::Schedule(Cmd::WaitlistBook)) => self.book_from_waitlist(cx),
            Action::Pane(PaneCmd::Schedule(Cmd::WaitlistWithdraw)) => {
                let Some(row) = self.waitlist.rows.get(self.waitlist.sel).cloned() else {
                    cx.error(t!(self.lang, "schedule.wl.none_selected"));
                    return;
                };
                match cx
                    .store
                    .write(|w| w.set_waitlist_status(row.id, WaitlistStatus::Withdrawn))
                {
                    Ok(()) => {
                        cx.info(t!(self.lang, "schedule.wl.withdrawn", name = row.name));
                        self.load_waitlist(cx);
                    }
                    Err(e) => cx.store_error(e),
                }
            }
            _ => {}
        }
    }

    pub(super) fn draw_waitlist(&self, f: &mut Frame, area: Rect, v: &View) {
        let lang = self.lang;
        let total = area.width as usize;
        let kind = match self.waitlist.kind {
            Some(k) => k.label(lang).to_owned(),
            None => t!(lang, "schedule.everyone").to_owned(),
        };
        let title = t!(
            lang,
            "schedule.wl.title",
            kind = kind,
            n = self.waitlist.rows.len()
        );
        let mut lines = vec![Line::from(Span::styled(
            fit(&title, total),
            Style::new().add_modifier(Modifier::BOLD),
        ))];
        let (aw, nw, kw, cw, ww) = (7, 11, 15, 11, 12);
        let head = format!(
            " {}{}{}{}{}{}",
            pad(t!(lang, "schedule.wl.col_added"), aw),
            pad(t!(lang, "schedule.wl.col_name"), nw),
            pad(t!(lang, "schedule.wl.kind"), kw),
            pad(t!(lang, "schedule.col_counsellor"), cw),
            pad(t!(lang, "schedule.wl.col_week"), ww),
            t!(lang, "schedule.wl.note"),
        );
        lines.push(Line::from(Span::styled(
            fit(&head, total),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )));
        if self.waitlist.rows.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(" {}", t!(lang, "schedule.wl.empty")),
                Style::new().fg(Color::DarkGray),
            )));
        }
        let room = (area.height as usize).saturating_sub(3);
        let first = self.waitlist.sel.saturating_sub(room.saturating_sub(1));
        for (i, r) in self.waitlist.rows.iter().enumerate().skip(first).take(room) {
            let selected = i == self.waitlist.sel;
            let added = r.added_at.with_timezone(&v.tz).format("%m-%d").to_string();
            let who = r
                .counsellor_name
                .clone()
                .unwrap_or_else(|| t!(lang, "schedule.wl.any").to_owned());
            let text = format!(
                "{}{}{}{}{}{}{}",
                if selected { "›" } else { " " },
                pad(&added, aw),
                pad(&r.name, nw),
                pad(r.kind.label(lang), kw),
                pad(&who, cw),
                pad(&r.week.format("%Y-%m-%d").to_string(), ww),
                r.note.as_deref().unwrap_or("")
            );
            let style = if selected && self.dialog.is_none() {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(pad(&text, total), style)));
        }
        f.render_widget(
            Paragraph::new(lines),
            Rect {
                height: area.height.saturating_sub(1),
                ..area
            },
        );
        let foot = Rect {
            y: area.bottom().saturating_sub(1),
            height: 1,
            ..area
        };
        f.render_widget(
            Paragraph::new(Span::styled(
                fit(t!(lang, "schedule.wl.foot"), total),
                Style::new().fg(Color::DarkGray),
            )),
            foot,
        );
        if let Some(d) = &self.dialog {
            self.draw_dialog(f, area, d, v);
        }
    }
}
