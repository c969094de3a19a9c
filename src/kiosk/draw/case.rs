//! The case lookup and the status it finds.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{bold, dim, heading, input, refusal, warn, wrap};
use crate::domain::case::CaseStatus;
use crate::i18n::Lang;
use crate::kiosk::state::{LookupField, LookupForm, secs_left};
use crate::kiosk::update::Kiosk;
use crate::kiosk::words;
use crate::store::CaseStatusView;
use crate::t;
use crate::tui::widgets::{centered, pad, width};

pub(super) fn lookup(f: &mut Frame, area: Rect, form: &LookupForm, k: &Kiosk, lang: Lang) {
    let rest = heading(f, area, None, t!(lang, "kiosk.lookup.title"), lang);
    let [intro, _, fields, errors, _, message] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(3),
    ])
    .areas(rest);
    f.render_widget(
        Paragraph::new(t!(lang, "kiosk.lookup.intro"))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        intro,
    );
    let both = centered(fields, 56, 3);
    let [num, _, last] = Layout::horizontal([
        Constraint::Length(30),
        Constraint::Length(4),
        Constraint::Length(22),
    ])
    .areas(both);
    let [num_err, _, last_err] = Layout::horizontal([
        Constraint::Length(30),
        Constraint::Length(4),
        Constraint::Length(22),
    ])
    .areas(Rect {
        x: both.x,
        width: both.width,
        ..errors
    });
    input(
        f,
        num,
        t!(lang, "kiosk.lookup.number"),
        &form.number,
        form.focus == LookupField::Number,
        false,
    );
    input(
        f,
        last,
        t!(lang, "kiosk.lookup.last4"),
        &form.last4,
        form.focus == LookupField::Last4,
        false,
    );
    refusal(f, num_err, form.number_error.as_deref());
    refusal(f, last_err, form.last4_error.as_deref());
    let mut lines = Vec::new();
    if form.not_found {
        lines.push(Line::styled(t!(lang, "kiosk.lookup.not_found"), warn()));
    }
    if let Some(u) = form.wait_until.filter(|u| *u > k.now) {
        lines.push(Line::styled(
            t!(lang, "kiosk.lookup.wait", n = secs_left(u, k.now)),
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ));
    }
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        message,
    );
}

pub(super) fn status(f: &mut Frame, area: Rect, v: &CaseStatusView, k: &Kiosk, lang: Lang) {
    let rest = heading(f, area, None, t!(lang, "kiosk.status.title"), lang);
    let status_style = match v.status {
        CaseStatus::Resolved => Style::new().fg(Color::Green),
        CaseStatus::Closed => Style::new(),
        _ => Style::new().fg(Color::Yellow),
    }
    .add_modifier(Modifier::BOLD);
    let labels = [
        t!(lang, "kiosk.status.number"),
        t!(lang, "kiosk.status.status"),
        t!(lang, "kiosk.status.next"),
        t!(lang, "kiosk.status.handler"),
    ];
    let w = rest.width.min(64);
    let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(0) + 2;
    let value_w = usize::from(w).saturating_sub(label_w).max(10);
    let steps = words::next_step(v, k.today(), lang);
    let rows: Vec<(usize, String, Style)> = std::iter::once((0, v.number.to_string(), bold()))
        .chain(std::iter::once((
            1,
            v.status.label(lang).to_owned(),
            status_style,
        )))
        .chain(steps.into_iter().map(|s| (2, s, bold())))
        .chain(std::iter::once((3, words::handler(v, lang), bold())))
        .collect();
    let mut lines = Vec::new();
    let mut last = None;
    for (i, value, style) in rows {
        // A blank line between items; the lines of the next step stay
        // together under their label.
        if last.is_some() && last != Some(i) {
            lines.push(Line::raw(""));
        }
        for (n, part) in wrap(&value, value_w).into_iter().enumerate() {
            let head = if n == 0 && last != Some(i) {
                Span::styled(pad(labels[i], label_w), dim())
            } else {
                Span::raw(" ".repeat(label_w))
            };
            lines.push(Line::from(vec![head, Span::styled(part, style)]));
        }
        last = Some(i);
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(t!(lang, "kiosk.status.questions"), dim()));
    let r = Rect {
        x: rest.x + (rest.width - w) / 2,
        width: w,
        ..rest
    };
    f.render_widget(Paragraph::new(lines), r);
}
