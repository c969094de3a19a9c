//! Managing counsellors: adding one, their recurring availability (weekly,
//! or some weeks of the month) and exceptions (a day or hours off, extra
//! hours), removing a rule or exception, stopping or resuming a counsellor.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Cmd, Dialog, ManageForm, Mode, SchedulePane, weekday_short};
use crate::domain::ids::{ExceptionId, RuleId};
use crate::domain::schedule::{AvailabilityException, AvailabilityRule, ExceptionKind, Recurrence};
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::{fit, pad, width};

/// The management view's state.
#[derive(Debug, Clone, Default)]
pub struct Manage {
    /// The selected counsellor (index into the pane's counsellors).
    pub sel: usize,
    pub rules: Vec<AvailabilityRule>,
    /// From today on.
    pub exceptions: Vec<AvailabilityException>,
    /// The cursor in rules, then exceptions.
    pub item: usize,
    /// Whether ↑↓ move in the rules and exceptions.
    pub items_focus: bool,
}

/// "每周二" / "every Tue", "每月第2个、第4个周四" / "2nd, 4th Thu of the month".
pub fn recurrence_text(r: Recurrence, lang: Lang) -> String {
    match r {
        Recurrence::Weekly(d) => t!(lang, "schedule.mg.weekly", day = weekday_short(lang, d)),
        Recurrence::Monthly(d, w) => {
            let names = [
                t!(lang, "schedule.mg.ord1"),
                t!(lang, "schedule.mg.ord2"),
                t!(lang, "schedule.mg.ord3"),
                t!(lang, "schedule.mg.ord4"),
                t!(lang, "schedule.mg.ord5"),
                t!(lang, "schedule.mg.ord_last"),
            ];
            let weeks: Vec<&str> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| w.bits() & (1 << i) != 0)
                .map(|(_, n)| *n)
                .collect();
            t!(
                lang,
                "schedule.mg.monthly",
                weeks = weeks.join(t!(lang, "schedule.mg.sep")),
                day = weekday_short(lang, d)
            )
        }
    }
}

pub fn rule_text(r: &AvailabilityRule, lang: Lang) -> String {
    let (when, terms) = rule_parts(r, lang);
    format!("{when} · {terms}")
}

/// A rule in two parts: when ("每周二 14:00–17:00"), and its terms
/// ("每段60分钟 · 2026-11-20起 · 至2027-06-30").
pub fn rule_parts(r: &AvailabilityRule, lang: Lang) -> (String, String) {
    let when = format!(
        "{} {}–{}",
        recurrence_text(r.recurrence, lang),
        r.start.format("%H:%M"),
        r.end.format("%H:%M")
    );
    let mut terms = t!(
        lang,
        "schedule.mg.rule_terms",
        m = r.slot_minutes,
        from = r.valid_from
    );
    if let Some(u) = r.valid_until {
        terms.push_str(&t!(lang, "schedule.mg.until", until = u));
    }
    (when, terms)
}

pub fn exception_text(e: &AvailabilityException, lang: Lang) -> String {
    let what = match e.kind {
        ExceptionKind::Unavailable(None) => t!(lang, "schedule.mg.x_off_day_line").to_owned(),
        ExceptionKind::Unavailable(Some((s, t))) => {
            t!(
                lang,
                "schedule.mg.x_off_line",
                start = s.format("%H:%M"),
                end = t.format("%H:%M")
            )
        }
        ExceptionKind::Extra(s, t, m) => {
            t!(
                lang,
                "schedule.mg.x_extra_line",
                start = s.format("%H:%M"),
                end = t.format("%H:%M"),
                m = m
            )
        }
    };
    format!(
        "{} {} · {}",
        e.date,
        weekday_short(lang, e.date.weekday()),
        what
    )
}

/// What to remove when the question is answered yes.
#[derive(Debug, Clone, Copy)]
enum Item {
    Rule(RuleId),
    Exception(ExceptionId),
}

impl SchedulePane {
    pub(super) fn load_manage(&mut self, cx: &mut Ctx) {
        self.load_counsellors(cx);
        self.load_manage_details(cx);
    }

    pub(super) fn load_manage_details(&mut self, cx: &mut Ctx) {
        let m = &mut self.manage;
        m.sel = m.sel.min(self.counsellors.len().saturating_sub(1));
        m.rules.clear();
        m.exceptions.clear();
        if let Some(c) = self.counsellors.get(m.sel) {
            match cx.store.rules_of(c.id) {
                Ok(r) => m.rules = r,
                Err(e) => return cx.store_error(e),
            }
            match cx.store.exceptions_of(c.id, cx.today()) {
                Ok(x) => m.exceptions = x,
                Err(e) => return cx.store_error(e),
            }
        }
        let n = m.rules.len() + m.exceptions.len();
        m.item = m.item.min(n.saturating_sub(1));
        if n == 0 {
            m.items_focus = false;
        }
    }

    fn manage_item(&self) -> Option<(Item, String)> {
        let m = &self.manage;
        if let Some(r) = m.rules.get(m.item) {
            return Some((Item::Rule(r.id), rule_text(r, self.lang)));
        }
        let e = m.exceptions.get(m.item.checked_sub(m.rules.len())?)?;
        Some((Item::Exception(e.id), exception_text(e, self.lang)))
    }

    pub(super) fn update_manage(&mut self, cx: &mut Ctx, action: &Action) {
        let lang = self.lang;
        let selected = self.counsellors.get(self.manage.sel).cloned();
        match action {
            Action::Up
            | Action::Down
            | Action::Home
            | Action::End
            | Action::PageUp
            | Action::PageDown => {
                let m = &mut self.manage;
                let (cur, len) = if m.items_focus {
                    (m.item, m.rules.len() + m.exceptions.len())
                } else {
                    (m.sel, self.counsellors.len())
                };
                let to = match action {
                    Action::Up => cur.saturating_sub(1),
                    Action::Down => cur + 1,
                    Action::PageUp => cur.saturating_sub(10),
                    Action::PageDown => cur + 10,
                    Action::Home => 0,
                    _ => len,
                }
                .min(len.saturating_sub(1));
                if m.items_focus {
                    m.item = to;
                } else if to != m.sel {
                    m.sel = to;
                    m.item = 0;
                    self.load_manage_details(cx);
                }
            }
            Action::Pane(PaneCmd::Schedule(Cmd::ManageFocus)) => {
                let m = &mut self.manage;
                m.items_focus = !m.items_focus && m.rules.len() + m.exceptions.len() > 0;
            }
            Action::Back => {
                self.mode = Mode::Slots;
                self.load_counsellors(cx);
                self.reload(cx);
            }
            Action::Pane(PaneCmd::Schedule(Cmd::NewCounsellor)) => {
                self.dialog = Some(Dialog::Manage(Box::new(ManageForm::counsellor(lang))));
            }
            Action::Pane(PaneCmd::Schedule(Cmd::NewRule)) => match selected {
                Some(c) => {
                    let f = ManageForm::rule(lang, c.id, cx.today());
                    self.dialog = Some(Dialog::Manage(Box::new(f)));
                }
                None => cx.error(t!(lang, "schedule.mg.no_counsellor")),
            },
            Action::Pane(PaneCmd::Schedule(Cmd::NewException)) => match selected {
                Some(c) => {
                    let f = ManageForm::exception(lang, c.id, self.date.max(cx.today()));
                    self.dialog = Some(Dialog::Manage(Box::new(f)));
                }
                None => cx.error(t!(lang, "schedule.mg.no_counsellor")),
            },
            Action::Pane(PaneCmd::Schedule(Cmd::RemoveItem)) => {
                if !self.manage.items_focus {
                    cx.error(t!(lang, "schedule.mg.pick_item"));
                    return;
                }
                match self.manage_item() {
                    Some((_, about)) => self.dialog = Some(Dialog::ConfirmRemove(about)),
                    None => cx.error(t!(lang, "schedule.mg.pick_item")),
                }
            }
            Action::Pane(PaneCmd::Schedule(Cmd::CounsellorActive)) => {
                let Some(c) = selected else {
                    return cx.error(t!(lang, "schedule.mg.no_counsellor"));
                };
                match cx.store.write(|w| w.set_counsellor_active(c.id, !c.active)) {
                    Ok(()) => {
                        let key = if c.active {
                            "schedule.mg.stopped"
                        } else {
                            "schedule.mg.resumed"
                        };
                        cx.info(crate::i18n::catalogue::fill(
                            crate::i18n::catalogue::text(lang, key),
                            &[("name", &c.name)],
                        ));
                        self.load_manage(cx);
                    }
                    Err(e) => cx.store_error(e),
                }
            }
            _ => {}
        }
    }

    pub(super) fn update_confirm_remove(&mut self, cx: &mut Ctx, about: String, action: &Action) {
        match action {
            Action::Yes => {
                let Some((item, _)) = self.manage_item() else {
                    return;
                };
                let done = cx.store.write(|w| match item {
                    Item::Rule(id) => w.remove_rule(id),
                    Item::Exception(id) => w.remove_exception(id),
                });
                match done {
                    Ok(()) => {
                        cx.info(t!(self.lang, "schedule.mg.removed", about = about));
                        self.load_manage_details(cx);
                    }
                    Err(e) => cx.store_error(e),
                }
            }
            Action::No | Action::Back => {}
            _ => self.dialog = Some(Dialog::ConfirmRemove(about)),
        }
    }

    pub(super) fn draw_manage(&self, f: &mut Frame, area: Rect, v: &View) {
        let lang = self.lang;
        let m = &self.manage;
        let left_w = if area.width >= 110 { 30 } else { 24 };
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_w), Constraint::Min(1)]).areas(area);
        let block = Block::default()
            .borders(Borders::RIGHT)
            .border_style(Style::new().fg(Color::DarkGray));
        let inner = block.inner(left);
        f.render_widget(block, left);
        let w = inner.width as usize;
        let head = |text: &str, focus: bool, w: usize| {
            let mut s = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
            if focus {
                s = s.fg(Color::Yellow);
            }
            Line::from(Span::styled(fit(text, w), s))
        };
        let mut lines = vec![head(t!(lang, "schedule.mg.title"), !m.items_focus, w)];
        if self.counsellors.is_empty() {
            lines.push(Line::from(Span::styled(
                fit(t!(lang, "schedule.mg.none"), w),
                Style::new().fg(Color::DarkGray),
            )));
        }
        let room = (inner.height as usize).saturating_sub(1);
        let first = m.sel.saturating_sub(room.saturating_sub(1));
        for (i, c) in self.counsellors.iter().enumerate().skip(first).take(room) {
            let selected = i == m.sel;
            // A stopped counsellor's mark comes before the kind, which is
            // cut first when the column is narrow.
            let stop = if c.active {
                ""
            } else {
                t!(lang, "schedule.stopped_mark")
            };
            let text = format!(
                "{}{}{} {}",
                if selected { "›" } else { " " },
                c.name,
                stop,
                c.kind.label(lang)
            );
            let mut style = if c.active {
                Style::new()
            } else {
                Style::new().fg(Color::DarkGray)
            };
            if selected {
                style = style.add_modifier(if m.items_focus {
                    Modifier::UNDERLINED
                } else {
                    Modifier::REVERSED
                });
            }
            lines.push(Line::from(Span::styled(pad(&text, w), style)));
        }
        f.render_widget(Paragraph::new(lines), inner);

        let right = Rect {
            x: right.x + 1,
            width: right.width.saturating_sub(1),
            ..right
        };
        let w = right.width as usize;
        let mut lines = Vec::new();
        // The lines of each item: [start, end).
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if let Some(c) = self.counsellors.get(m.sel) {
            let state = if c.active {
                t!(lang, "schedule.mg.active")
            } else {
                t!(lang, "schedule.mg.stopped_word")
            };
            lines.push(Line::from(Span::styled(
                fit(
                    &format!("{} · {} · {}", c.name, c.kind.label(lang), state),
                    w,
                ),
                Style::new().add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(""));
            lines.push(head(t!(lang, "schedule.mg.rules"), m.items_focus, w));
            if m.rules.is_empty() {
                lines.push(Line::from(Span::styled(
                    fit(t!(lang, "schedule.mg.no_rules"), w),
                    Style::new().fg(Color::DarkGray),
                )));
            }
            // Each item on one line when it fits, else two (the second
            // indented).
            let mut item = |lines: &mut Vec<Line>, i: usize, parts: Vec<String>| {
                let selected = m.items_focus && i == m.item;
                let style = if selected {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                let mark = if selected { "›" } else { " " };
                let whole = parts.join(" · ");
                let texts = if width(&whole) < w || parts.len() < 2 {
                    vec![format!("{mark}{whole}")]
                } else {
                    let (head, tail) = parts.split_at(1);
                    vec![
                        format!("{mark}{}", head.join(" · ")),
                        format!("   {}", tail.join(" · ")),
                    ]
                };
                let start = lines.len();
                for text in texts {
                    lines.push(Line::from(Span::styled(pad(&text, w), style)));
                }
                spans.push((start, lines.len()));
            };
            for (i, r) in m.rules.iter().enumerate() {
                let (when, terms) = rule_parts(r, lang);
                item(&mut lines, i, vec![when, terms]);
            }
            lines.push(Line::from(""));
            lines.push(head(t!(lang, "schedule.mg.exceptions"), m.items_focus, w));
            if m.exceptions.is_empty() {
                lines.push(Line::from(Span::styled(
                    fit(t!(lang, "schedule.mg.no_exceptions"), w),
                    Style::new().fg(Color::DarkGray),
                )));
            }
            for (i, e) in m.exceptions.iter().enumerate() {
                item(&mut lines, m.rules.len() + i, vec![exception_text(e, lang)]);
            }
        }
        // Keep the highlighted item (all its lines) in view.
        let room = right.height as usize;
        let end = spans.get(m.item).map_or(0, |(_, end)| *end);
        let scroll = if m.items_focus {
            end.saturating_sub(room)
        } else {
            0
        };
        f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), right);
        if let Some(d) = &self.dialog {
            self.draw_dialog(f, area, d, v);
        }
    }
}
