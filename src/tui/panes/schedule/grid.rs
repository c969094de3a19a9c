//! Drawing the week grid (a row per slot time, a column per day) and the
//! list of one day.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::week::{Cell, Week};
use super::{Who, weekday_narrow, weekday_short};
use crate::domain::schedule::AppointmentStatus;
use crate::i18n::Lang;
use crate::t;
use crate::tui::widgets::{fit, pad};

/// How a session's state is marked in the grid.
pub fn mark(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => "",
        AppointmentStatus::Arrived => "➜",
        AppointmentStatus::Done => "✓",
        AppointmentStatus::NoShow => "✗",
        AppointmentStatus::Cancelled => "-",
    }
}

fn status_style(c: &Cell, past: bool) -> Style {
    let s = match &c.booked {
        None if past => Style::new().fg(Color::DarkGray),
        None => Style::new().fg(Color::Green),
        Some(b) => match b.status {
            AppointmentStatus::Booked => Style::new().add_modifier(Modifier::BOLD),
            AppointmentStatus::Arrived => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            AppointmentStatus::Done => Style::new().fg(Color::DarkGray),
            AppointmentStatus::NoShow => Style::new().fg(Color::Red),
            AppointmentStatus::Cancelled => Style::new()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::CROSSED_OUT),
        },
    };
    if c.offered || c.booked.is_some() {
        s
    } else {
        s.fg(Color::DarkGray)
    }
}

/// The text of a grid cell: a free slot (or one gone by), or the person
/// with a mark.
fn cell_text(c: &Cell, past: bool, lang: Lang) -> String {
    match &c.booked {
        None if past => t!(lang, "schedule.past_free").to_owned(),
        None => t!(lang, "schedule.free").to_owned(),
        Some(b) => format!("{}{}", mark(b.status), b.name),
    }
}

/// What a view draws: the week, whose it is, and the cursor.
pub struct Shown<'a> {
    pub week: &'a Week,
    pub who: Who,
    /// A row of the week grid, or a line of the day list.
    pub row: usize,
    pub date: NaiveDate,
    /// Whether the cursor has the keyboard.
    pub active: bool,
    pub lang: Lang,
    pub now: NaiveDateTime,
}

/// The week grid: `title`, the day header, the rows around the cursor,
/// the selected slot spelt out, and a legend.
pub fn draw_week(f: &mut Frame, area: Rect, cur: &Shown, title: Line) {
    let Shown {
        week,
        who,
        lang,
        now,
        ..
    } = *cur;
    if area.height < 4 || area.width < 20 {
        return;
    }
    let total = area.width as usize;
    let many = !matches!(who, Who::One(_));
    let label_w = if many { 12.min(total / 4) } else { 6 };
    let col_w = ((total.saturating_sub(label_w)) / 7).max(3);
    let mut lines = vec![title];
    // The day header.
    let mut head = vec![Span::raw(pad("", label_w))];
    for i in 0..7 {
        let d = week.monday + Duration::days(i);
        let today = d == now.date();
        let day = if col_w < 10 {
            weekday_narrow(lang, d.weekday())
        } else {
            weekday_short(lang, d.weekday())
        };
        let text = format!("{} {}{}", day, d.day(), if today { "*" } else { "" });
        let mut style = Style::new().add_modifier(Modifier::BOLD);
        if today {
            style = style.fg(Color::Yellow);
        }
        if d == cur.date {
            style = style.add_modifier(Modifier::UNDERLINED);
        }
        head.push(Span::styled(pad(&format!(" {text}"), col_w), style));
    }
    lines.push(Line::from(head));
    // Rows: as many as fit, scrolled to keep the cursor in view.
    let room = (area.height as usize).saturating_sub(4);
    if week.rows.is_empty() {
        let key = if week.days.iter().all(Vec::is_empty) {
            "schedule.no_slots_week"
        } else {
            "schedule.only_cancelled"
        };
        lines.push(Line::from(Span::styled(
            format!(" {}", crate::i18n::catalogue::text(lang, key)),
            Style::new().fg(Color::DarkGray),
        )));
    }
    let first = cur.row.saturating_sub(room.saturating_sub(1));
    for (ri, key) in week.rows.iter().enumerate().skip(first).take(room) {
        let label = if many {
            let name = week
                .days
                .iter()
                .flatten()
                .find(|c| c.counsellor == key.counsellor)
                .map_or("", |c| c.counsellor_name.as_str());
            format!("{} {}", key.start.format("%H:%M"), name)
        } else {
            key.start.format("%H:%M").to_string()
        };
        let mut spans = vec![Span::styled(
            pad(&label, label_w),
            Style::new().fg(Color::Yellow),
        )];
        for i in 0..7 {
            let d = week.monday + Duration::days(i);
            let selected = ri == cur.row && d == cur.date;
            let sel = if selected { "›" } else { " " };
            let (text, mut style) = match week.at(*key, d) {
                Some(c) => (
                    cell_text(c, c.gone_by(now), lang),
                    status_style(c, c.gone_by(now)),
                ),
                None => (String::new(), Style::new()),
            };
            if selected && cur.active {
                style = style.add_modifier(Modifier::REVERSED);
            }
            spans.push(Span::raw(sel.to_owned()));
            spans.push(Span::styled(pad(&text, col_w.saturating_sub(1)), style));
        }
        lines.push(Line::from(spans));
    }
    let body = Rect {
        height: area.height.saturating_sub(2),
        ..area
    };
    f.render_widget(Paragraph::new(lines), body);
    // The selection, spelt out, and the legend.
    let detail = week
        .rows
        .get(cur.row)
        .and_then(|k| week.at(*k, cur.date))
        .map_or_else(
            || {
                t!(
                    lang,
                    "schedule.nothing_here",
                    date = cur.date.format("%m-%d")
                )
            },
            |c| describe(c, lang, now),
        );
    let foot = Rect {
        y: area.bottom().saturating_sub(2),
        height: 2,
        ..area
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(
                fit(&format!("› {detail}"), total),
                Style::new().add_modifier(Modifier::BOLD),
            )),
            Line::from(Span::styled(
                fit(t!(lang, "schedule.legend"), total),
                Style::new().fg(Color::DarkGray),
            )),
        ]),
        foot,
    );
}

/// The slot of a cell in words: "周二 11-24 14:00–15:00 王芳".
pub fn describe_slot(c: &Cell, lang: Lang) -> String {
    format!(
        "{} {} {}–{} {}",
        weekday_short(lang, c.date.weekday()),
        c.date.format("%m-%d"),
        c.slot.start.format("%H:%M"),
        c.slot.end.format("%H:%M"),
        c.counsellor_name
    )
}

/// One slot in words: "周二 11-24 14:00–15:00 王芳 · 张三 · 已预约"; a free
/// slot that has gone by is not called bookable.
pub fn describe(c: &Cell, lang: Lang, now: NaiveDateTime) -> String {
    let mut parts = vec![describe_slot(c, lang)];
    match &c.booked {
        None if c.gone_by(now) => parts.push(t!(lang, "schedule.past_slot").to_owned()),
        None => parts.push(t!(lang, "schedule.free_slot").to_owned()),
        Some(b) => {
            parts.push(b.name.clone());
            parts.push(b.status.label(lang).to_owned());
            if let Some(d) = b.follow_up {
                parts.push(t!(
                    lang,
                    "schedule.follow_up_on",
                    date = d.format("%Y-%m-%d")
                ));
            }
        }
    }
    if !c.offered && c.booked.as_ref().is_some_and(|b| b.status.holds_slot()) {
        parts.push(t!(lang, "schedule.outside_hours").to_owned());
    }
    parts.join(" · ")
}

/// A status in the day list: its mark in a column of its own, then the
/// word ("✓ 已完成", "  可约").
fn status_word(mark: &str, word: &str) -> String {
    format!("{} {word}", pad(mark, 1))
}

/// The list of one day: a line per slot or session.
pub fn draw_day(f: &mut Frame, area: Rect, cur: &Shown, title: Line) {
    let Shown {
        week,
        date,
        row,
        active,
        lang,
        now,
        ..
    } = *cur;
    if area.height < 3 || area.width < 20 {
        return;
    }
    let total = area.width as usize;
    let cells = week.day(date);
    let (tw, cw, sw) = (12, 11, 12);
    let nw = total.saturating_sub(tw + cw + sw + 12).clamp(7, 20);
    let mut lines = vec![title];
    let head = format!(
        " {}{}{}{}{}",
        pad(t!(lang, "schedule.col_time"), tw),
        pad(t!(lang, "schedule.col_counsellor"), cw),
        // Over the words of the statuses, after their marks.
        pad(&format!("  {}", t!(lang, "schedule.col_status")), sw),
        pad(t!(lang, "schedule.col_person"), nw + 1),
        t!(lang, "schedule.col_follow_up"),
    );
    lines.push(Line::from(Span::styled(
        fit(&head, total),
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )));
    if cells.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {}", t!(lang, "schedule.no_slots_day")),
            Style::new().fg(Color::DarkGray),
        )));
    }
    let room = (area.height as usize).saturating_sub(3);
    let first = row.saturating_sub(room.saturating_sub(1));
    for (i, c) in cells.iter().enumerate().skip(first).take(room) {
        let selected = i == row;
        let time = format!(
            "{}–{}",
            c.slot.start.format("%H:%M"),
            c.slot.end.format("%H:%M")
        );
        let (status, name, follow) = match &c.booked {
            None => (
                status_word("", cell_text(c, c.gone_by(now), lang).as_str()),
                String::new(),
                String::new(),
            ),
            Some(b) => (
                status_word(mark(b.status), b.status.label(lang)),
                b.name.clone(),
                b.follow_up
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
        };
        let mut style = status_style(c, c.gone_by(now));
        if selected && active {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let text = format!(
            "{}{}{}{}{} {}",
            if selected { "›" } else { " " },
            pad(&time, tw),
            pad(&c.counsellor_name, cw),
            pad(&status, sw),
            pad(&name, nw),
            follow
        );
        lines.push(Line::from(Span::styled(pad(&text, total), style)));
    }
    f.render_widget(
        Paragraph::new(lines),
        Rect {
            height: area.height.saturating_sub(1),
            ..area
        },
    );
    let held = cells
        .iter()
        .filter(|c| c.booked.as_ref().is_some_and(|b| b.status.holds_slot()))
        .count();
    // Slots that have gone by are not counted as free to book.
    let free = cells
        .iter()
        .filter(|c| c.is_free() && !c.gone_by(now))
        .count();
    let foot = t!(lang, "schedule.day_summary", free = free, held = held);
    let r = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    f.render_widget(
        Paragraph::new(Span::styled(
            fit(&foot, total),
            Style::new().fg(Color::DarkGray),
        )),
        r,
    );
}
