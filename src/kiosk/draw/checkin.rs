//! The home screen and the check-in steps.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use super::{bold, chosen, dim, heading, input, refusal};
use crate::domain::person::Trade;
use crate::domain::visit::{Service, Services};
use crate::i18n::Lang;
use crate::kiosk::state::choice_key;
use crate::store::KioskHolder;
use crate::t;
use crate::tui::widgets::{centered, pad, width};

pub(super) fn home(f: &mut Frame, area: Rect, selected: usize, lang: Lang) {
    let rest = heading(f, area, None, t!(lang, "kiosk.home.welcome"), lang);
    let box_w = ((rest.width.saturating_sub(4)) / 2).min(32);
    let box_h = 9.min(rest.height);
    let row = Rect {
        y: rest.y + rest.height.saturating_sub(box_h) / 3,
        height: box_h,
        ..rest
    };
    let both = centered(row, box_w * 2 + 4, box_h);
    let [left, _, right] = Layout::horizontal([
        Constraint::Length(box_w),
        Constraint::Length(4),
        Constraint::Length(box_w),
    ])
    .areas(both);
    let choices = [
        (
            '1',
            t!(lang, "kiosk.home.checkin"),
            t!(lang, "kiosk.home.checkin_note"),
        ),
        (
            '2',
            t!(lang, "kiosk.home.lookup"),
            t!(lang, "kiosk.home.lookup_note"),
        ),
    ];
    for (i, (r, (key, label, note))) in [left, right].into_iter().zip(choices).enumerate() {
        let on = i == selected;
        let block = if on {
            Block::bordered()
                .border_type(BorderType::Thick)
                .border_style(Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD))
        } else {
            Block::bordered().border_type(BorderType::Rounded)
        };
        let key_style = if on {
            chosen()
        } else {
            bold().add_modifier(Modifier::REVERSED)
        };
        let lines = vec![
            Line::raw(""),
            Line::styled(format!("  {key}  "), key_style),
            Line::raw(""),
            Line::styled(label.to_owned(), bold()),
            Line::raw(""),
            Line::styled(note.to_owned(), dim()),
        ];
        f.render_widget(
            Paragraph::new(lines)
                .block(block)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            r,
        );
    }
}

/// A two-column grid of choices, laid out column by column, each with its
/// key; `mark` gives an item's check box and style, if it has one.
fn grid(
    f: &mut Frame,
    area: Rect,
    labels: &[&str],
    selected: usize,
    mark: &dyn Fn(usize) -> Option<bool>,
) {
    let rows = labels.len().div_ceil(2);
    let gap = if usize::from(area.height) >= rows * 2 {
        2
    } else {
        1
    };
    let cell = labels.iter().map(|l| width(l)).max().unwrap_or(0) + 12;
    let col_w = cell.min(usize::from(area.width.saturating_sub(4)) / 2);
    let total = (col_w * 2 + 4) as u16;
    let x0 = area.x + area.width.saturating_sub(total) / 2;
    for (i, label) in labels.iter().enumerate() {
        let (col, row) = (i / rows, i % rows);
        let y = area.y + (row * gap) as u16;
        if y >= area.bottom() {
            continue;
        }
        let x = x0 + (col * (col_w + 4)) as u16;
        let on = i == selected;
        let checked = mark(i);
        let box_text = match checked {
            Some(true) => "[✓] ",
            Some(false) => "[ ] ",
            None => "",
        };
        // The highlight is marked in characters too, for a terminal
        // without colours.
        let mark = if on { '▸' } else { ' ' };
        let text = pad(
            &format!("{mark}{}  {box_text}{label}", choice_key(i)),
            col_w,
        );
        let style = match (on, checked) {
            (true, _) => chosen(),
            (false, Some(true)) => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            _ => bold(),
        };
        let r = Rect {
            x,
            y,
            width: col_w as u16,
            height: 1,
        };
        f.render_widget(Paragraph::new(Span::styled(text, style)), r);
    }
}

pub(super) fn trade(f: &mut Frame, area: Rect, selected: usize, lang: Lang) {
    let rest = heading(f, area, Some(1), t!(lang, "kiosk.trade.title"), lang);
    let labels: Vec<&str> = Trade::ALL.iter().map(|t| t.label(lang)).collect();
    grid(f, rest, &labels, selected, &|_| None);
}

pub(super) fn services_screen(
    f: &mut Frame,
    area: Rect,
    services: Services,
    selected: usize,
    lang: Lang,
) {
    let rest = heading(f, area, Some(2), t!(lang, "kiosk.services.title"), lang);
    let [list, summary] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(rest);
    let labels: Vec<&str> = Service::ALL.iter().map(|s| s.label(lang)).collect();
    grid(f, list, &labels, selected, &|i| {
        Some(services.contains(Service::ALL[i]))
    });
    let line = if services.is_empty() {
        Line::styled(t!(lang, "kiosk.services.none"), dim())
    } else {
        Line::styled(
            t!(
                lang,
                "kiosk.services.chosen",
                list = service_list(services, lang)
            ),
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        )
    };
    f.render_widget(Paragraph::new(line).alignment(Alignment::Center), summary);
}

fn service_list(services: Services, lang: Lang) -> String {
    let sep = t!(lang, "kiosk.services.sep");
    services
        .iter()
        .map(|s| s.label(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

pub(super) fn mobile(f: &mut Frame, area: Rect, value: &str, error: Option<&str>, lang: Lang) {
    let rest = heading(f, area, Some(3), t!(lang, "kiosk.mobile.title"), lang);
    let [intro, _, field, err] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(2),
    ])
    .areas(rest);
    f.render_widget(
        Paragraph::new(t!(lang, "kiosk.mobile.intro"))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        intro,
    );
    let r = centered(field, 34, 3);
    input(f, r, t!(lang, "kiosk.mobile.label"), value, true, false);
    refusal(
        f,
        Rect {
            x: r.x,
            width: err.width.saturating_sub(r.x - err.x),
            ..err
        },
        error,
    );
}

/// The people who share the number typed, one a line with their key, to
/// say which one is checking in.
pub(super) fn choose(
    f: &mut Frame,
    area: Rect,
    people: &[KioskHolder],
    selected: usize,
    lang: Lang,
) {
    let rest = heading(f, area, Some(3), t!(lang, "kiosk.choose.title"), lang);
    let [intro, _, list] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(rest);
    f.render_widget(
        Paragraph::new(t!(lang, "kiosk.choose.intro"))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        intro,
    );
    let name_w = people
        .iter()
        .map(|p| width(&p.masked_name))
        .max()
        .unwrap_or(0)
        .max(6);
    let trade_w = people
        .iter()
        .map(|p| width(p.trade.label(lang)))
        .max()
        .unwrap_or(0);
    let line_w = (4 + name_w + 4 + trade_w + 1) as u16;
    let gap = if usize::from(list.height) >= people.len() * 2 {
        2
    } else {
        1
    };
    let x = list.x + list.width.saturating_sub(line_w) / 2;
    for (i, p) in people.iter().enumerate() {
        let y = list.y + (i * gap) as u16;
        if y >= list.bottom() {
            break;
        }
        let on = i == selected;
        // The highlight is marked in characters too, for a terminal
        // without colours.
        let mark = if on { '▸' } else { ' ' };
        let text = format!(
            "{mark}{}  {}    {}",
            choice_key(i),
            pad(&p.masked_name, name_w),
            pad(p.trade.label(lang), trade_w)
        );
        let style = if on { chosen() } else { bold() };
        let r = Rect {
            x,
            y,
            width: line_w.min(list.right().saturating_sub(x)),
            height: 1,
        };
        f.render_widget(Paragraph::new(Span::styled(text, style)), r);
    }
}

pub(super) fn welcome(
    f: &mut Frame,
    area: Rect,
    (greeting, unregistered): (Option<&str>, bool),
    trade: Trade,
    services: Services,
    lang: Lang,
) {
    let ok = Style::new().fg(Color::Green).add_modifier(Modifier::BOLD);
    let who = match greeting {
        Some(name) => t!(lang, "kiosk.welcome.known", name = name),
        None => t!(lang, "kiosk.welcome.anonymous").to_owned(),
    };
    let mut lines = vec![
        Line::raw(""),
        Line::styled(format!("✓  {}", t!(lang, "kiosk.welcome.done")), ok),
        Line::raw(""),
        Line::styled(who, bold()),
        Line::raw(""),
    ];
    if unregistered {
        lines.push(Line::styled(
            t!(lang, "kiosk.welcome.unregistered"),
            Style::new().fg(Color::Yellow),
        ));
        lines.push(Line::raw(""));
    }
    lines.push(Line::raw(t!(
        lang,
        "kiosk.welcome.summary",
        trade = trade.label(lang)
    )));
    if !services.is_empty() {
        lines.push(Line::raw(t!(
            lang,
            "kiosk.welcome.services",
            list = service_list(services, lang)
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(t!(lang, "kiosk.welcome.rest"), dim()));
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}
