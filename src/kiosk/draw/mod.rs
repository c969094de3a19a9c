//! Drawing the kiosk from its state only. Large and simple: one thing to do
//! per screen, centred, bold, with room around it, and on every screen a
//! line saying which keys to press.

mod case;
mod checkin;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use self::case::{lookup, status};
use self::checkin::{choose, home, mobile, services_screen, trade, welcome};
use super::state::{Screen, secs_left};
use super::update::Kiosk;
use crate::i18n::Lang;
use crate::t;
use crate::tui::widgets::{centered, width};

/// The smallest terminal the screens fit in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

fn warn() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

fn chosen() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

/// Draws the kiosk.
pub fn draw(f: &mut Frame, k: &Kiosk) {
    let area = f.area();
    let lang = k.lang;
    if k.too_small || area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let r = centered(area, area.width, 1);
        f.render_widget(
            Paragraph::new(t!(lang, "kiosk.too_small"))
                .style(bold())
                .alignment(Alignment::Center),
            r,
        );
        return;
    }
    let mut frame = Block::bordered()
        .border_type(BorderType::Double)
        .title(Line::styled(format!(" {} ", t!(lang, "kiosk.title")), bold()).centered());
    if k.screen.is_home() {
        frame = frame.title_bottom(
            Line::styled(format!(" {} ", t!(lang, "kiosk.staff_key")), dim()).right_aligned(),
        );
    }
    let inner = frame.inner(area);
    f.render_widget(frame, area);
    let [station, _, body, trouble, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(k.station.as_str())
            .style(dim())
            .alignment(Alignment::Center),
        station,
    );
    if k.trouble {
        f.render_widget(
            Paragraph::new(t!(lang, "kiosk.trouble"))
                .style(warn())
                .alignment(Alignment::Center),
            trouble,
        );
    }
    let body = body.inner(ratatui::layout::Margin::new(2, 0));
    let footer = match &k.screen {
        Screen::Home { selected } => {
            home(f, body, *selected, lang);
            t!(lang, "kiosk.home.keys").to_owned()
        }
        Screen::Trade { selected } => {
            trade(f, body, *selected, lang);
            t!(lang, "kiosk.trade.keys").to_owned()
        }
        Screen::Services {
            services, selected, ..
        } => {
            services_screen(f, body, *services, *selected, lang);
            t!(lang, "kiosk.services.keys").to_owned()
        }
        Screen::Mobile { input, error, .. } => {
            mobile(f, body, input, error.as_deref(), lang);
            t!(lang, "kiosk.mobile.keys").to_owned()
        }
        Screen::Choose {
            people, selected, ..
        } => {
            choose(f, body, people, *selected, lang);
            t!(lang, "kiosk.choose.keys").to_owned()
        }
        Screen::Welcome {
            greeting,
            unregistered,
            trade,
            services,
            until,
        } => {
            let who = (greeting.as_deref(), *unregistered);
            welcome(f, body, who, *trade, *services, lang);
            t!(lang, "kiosk.welcome.keys", n = secs_left(*until, k.now))
        }
        Screen::Lookup(form) => {
            lookup(f, body, form, k, lang);
            t!(lang, "kiosk.lookup.keys").to_owned()
        }
        Screen::Status(view) => {
            status(f, body, view, k, lang);
            t!(lang, "kiosk.status.keys").to_owned()
        }
        Screen::Exit {
            pin,
            message,
            wait_until,
        } => {
            let message = match wait_until {
                Some(u) if *u > k.now => {
                    Some(t!(lang, "kiosk.exit.wait", n = secs_left(*u, k.now)))
                }
                _ => message.clone(),
            };
            exit(f, body, pin, message.as_deref(), lang);
            t!(lang, "kiosk.exit.keys").to_owned()
        }
    };
    f.render_widget(
        Paragraph::new(footer)
            .style(Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD))
            .alignment(Alignment::Center),
        keys,
    );
}

/// A heading line, then the rest of `area` below a blank line.
fn heading(f: &mut Frame, area: Rect, step: Option<u8>, title: &str, lang: Lang) -> Rect {
    let mut spans = Vec::new();
    if let Some(n) = step {
        spans.push(Span::styled(t!(lang, "kiosk.step_of", n = n), dim()));
        spans.push(Span::raw("  "));
    }
    spans.push(Span::styled(title.to_owned(), bold()));
    let [top, _, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(Line::from(spans)).alignment(Alignment::Center),
        top,
    );
    rest
}

/// A text box with its label as title; puts the terminal cursor at its end
/// when focused. `secret`: shown as stars.
fn input(f: &mut Frame, r: Rect, label: &str, value: &str, focused: bool, secret: bool) {
    let shown = if secret {
        "*".repeat(value.chars().count())
    } else {
        value.to_owned()
    };
    let block = if focused {
        Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD))
    } else {
        Block::bordered().border_type(BorderType::Rounded)
    }
    .title(Line::styled(format!(" {label} "), bold()));
    let inner = block.inner(r);
    f.render_widget(
        Paragraph::new(format!(" {shown}"))
            .style(bold())
            .block(block),
        r,
    );
    if focused {
        let x = inner.x + 1 + width(&shown) as u16;
        f.set_cursor_position(Position::new(
            x.min(inner.right().saturating_sub(1)),
            inner.y,
        ));
    }
}

/// A line under a field: its refusal in red, or nothing.
fn refusal(f: &mut Frame, r: Rect, error: Option<&str>) {
    if let Some(e) = error {
        f.render_widget(
            Paragraph::new(format!("✗ {e}"))
                .style(warn())
                .wrap(Wrap { trim: true }),
            r,
        );
    }
}

/// Cuts `text` into lines of at most `max` cells: at spaces where a line
/// has them (English), anywhere between characters otherwise (Chinese).
/// The console's one wrapping (`tui::widgets::wrap`); nothing for no text.
fn wrap(text: &str, max: usize) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    crate::tui::widgets::wrap::wrap(text, max)
}

fn exit(f: &mut Frame, area: Rect, pin: &str, message: Option<&str>, lang: Lang) {
    let rest = heading(f, area, None, t!(lang, "kiosk.exit.title"), lang);
    let [intro, _, field, err] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(2),
    ])
    .areas(rest);
    f.render_widget(
        Paragraph::new(t!(lang, "kiosk.exit.intro")).alignment(Alignment::Center),
        intro,
    );
    let r = centered(field, 24, 3);
    input(f, r, t!(lang, "kiosk.exit.pin"), pin, true, true);
    if let Some(m) = message {
        f.render_widget(
            Paragraph::new(m).style(warn()).alignment(Alignment::Center),
            err,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_is_the_consoles_and_nothing_for_no_text() {
        assert_eq!(
            wrap("已转到劳动人事争议仲裁委员会", 10),
            ["已转到劳动", "人事争议仲", "裁委员会"]
        );
        assert!(wrap("", 20).is_empty());
    }
}
