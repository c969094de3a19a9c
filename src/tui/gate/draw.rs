//! Drawing the sign-in screen: a box in the middle of the body.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Gate, SignIn};
use crate::i18n::Lang;
use crate::t;
use crate::tui::widgets::wrap::wrap;
use crate::tui::widgets::{centered, clear_popup, fit, pad};

/// Draws the screen into the body `area`.
pub fn draw(f: &mut Frame, area: Rect, gate: &Gate, lang: Lang) {
    let title = match gate {
        Gate::FirstAdmin(_) => t!(lang, "signin.first_title"),
        Gate::SignIn(s) if s.locked.is_some() => t!(lang, "signin.locked_title"),
        _ => t!(lang, "signin.title"),
    };
    let w = area.width.saturating_sub(4).min(70);
    let h = area.height.saturating_sub(2).min(18);
    let r = centered(area, w, h);
    clear_popup(f, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    match gate {
        Gate::Pending => {}
        Gate::FirstAdmin(form) => {
            let intro = Paragraph::new(t!(lang, "signin.first_intro")).wrap(Wrap { trim: true });
            f.render_widget(intro, Rect { height: 3, ..inner });
            form.draw(
                f,
                Rect {
                    y: inner.y + 4,
                    height: inner.height.saturating_sub(4),
                    ..inner
                },
                true,
            );
        }
        Gate::SignIn(s) => draw_sign_in(f, inner, s, lang),
    }
}

fn draw_sign_in(f: &mut Frame, area: Rect, s: &SignIn, lang: Lang) {
    let mut y = area.y;
    let line = |f: &mut Frame, y: u16, l: Line| {
        if y < area.bottom() {
            f.render_widget(
                Paragraph::new(l),
                Rect {
                    y,
                    height: 1,
                    ..area
                },
            );
        }
    };
    let intro = match &s.locked {
        Some(who) => t!(lang, "signin.locked_intro", name = who.name.as_str()),
        None if s.pin.is_some() => t!(lang, "signin.pin_intro").to_owned(),
        None => t!(lang, "signin.intro").to_owned(),
    };
    // Messages wrap to the box rather than being cut (the English lock
    // message is longer than a box at 80 columns).
    let cells = usize::from(area.width);
    for l in wrap(&intro, cells) {
        line(f, y, Line::from(l));
        y += 1;
    }
    y += 1;
    if let Some(note) = &s.note {
        for l in wrap(note, cells) {
            line(f, y, Line::styled(l, Style::new().fg(Color::Red)));
            y += 1;
        }
        y += 1;
    }
    if s.roster.is_empty() {
        line(f, y, Line::from(t!(lang, "signin.nobody")));
        return;
    }
    // The list, scrolled to keep the chosen one in view; room is left for
    // the PIN field under it.
    let room = usize::from(area.bottom().saturating_sub(y + 2)).max(1);
    let first = s.selected.saturating_sub(room.saturating_sub(1));
    let name_cells = usize::from(area.width).saturating_sub(16).min(30);
    for (i, staff) in s.roster.iter().enumerate().skip(first).take(room) {
        let chosen = i == s.selected;
        let marker = if chosen { "▶ " } else { "  " };
        let style = if chosen && s.pin.is_none() {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else if chosen {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        line(
            f,
            y,
            Line::from(vec![
                Span::raw(marker),
                Span::styled(pad(&fit(&staff.name, name_cells), name_cells), style),
                Span::raw("  "),
                Span::styled(staff.role.label(lang), Style::new().fg(Color::DarkGray)),
            ]),
        );
        y += 1;
    }
    if let Some(form) = &s.pin {
        // The refusal goes under the field, whole (a wait says how long).
        let mut shown = form.clone();
        let error = shown.fields.first_mut().and_then(|f| f.error.take());
        let error = error.map(|e| wrap(&format!("✗ {e}"), cells));
        let under = error.as_ref().map_or(1, Vec::len) as u16;
        let y = (y + 1).min(area.bottom().saturating_sub(1 + under));
        shown.draw(
            f,
            Rect {
                y,
                height: 1,
                ..area
            },
            true,
        );
        if let Some(e) = error {
            for (k, l) in e.into_iter().enumerate() {
                line(
                    f,
                    y + 1 + k as u16,
                    Line::styled(l, Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)),
                );
            }
        }
    }
}
