//! Drawing the frame: header, tabs, the shown pane, status line, help bar,
//! and the overlays. Reads only the app's state; never queries.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::action::PaneId;
use super::app::{App, Overlay};
use super::keymap::Binding;
use super::panes::View;
use super::widgets::{centered, clear_popup, fit, pad, question, width};
use crate::i18n::Lang;
use crate::t;

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    let lang = app.lang;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = t!(
            lang,
            "frame.too_small",
            w = area.width,
            h = area.height,
            min_w = MIN_WIDTH,
            min_h = MIN_HEIGHT
        );
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    // A message longer than the line takes the rows it needs (three at
    // most), so none is cut.
    let status_rows =
        app.status
            .as_ref()
            .map_or(1, |s| status_lines(&s.text, area.width).len().clamp(1, 3)) as u16;
    let [header, tabs, body, status, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(f, header, app);
    draw_tabs(f, tabs, app);
    if let Some(gate) = &app.gate {
        // Nothing of the panes shows behind the sign-in screen.
        super::gate::draw(f, body, gate, lang);
        draw_status(f, status, app);
        draw_bar(f, bar, app);
        return;
    }
    let view = View {
        lang,
        now: app.now(),
        tz: app.tz,
        focused: app.overlay.is_none(),
    };
    app.pane_ref(app.pane).draw(f, body, &view);
    draw_status(f, status, app);
    draw_bar(f, bar, app);
    match &app.overlay {
        Some(Overlay::Lookup(p)) => {
            let r = centered(
                body,
                body.width.saturating_sub(4).min(110),
                body.height.saturating_sub(2).min(20),
            );
            clear_popup(f, r);
            let block = Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", t!(lang, "lookup.title")));
            let inner = block.inner(r);
            f.render_widget(block, r);
            p.draw(f, inner, lang, app.tz, true);
        }
        Some(Overlay::Help { scroll }) => draw_help(f, body, app, *scroll),
        Some(o @ (Overlay::ConfirmQuit | Overlay::ConfirmQuitSync)) => {
            let text = if matches!(o, Overlay::ConfirmQuitSync) {
                t!(lang, "sync.quit_q")
            } else {
                t!(lang, "frame.confirm_quit")
            };
            question(
                f,
                body,
                t!(lang, "frame.quit_title"),
                text,
                t!(lang, "frame.yes_no"),
                body.width,
            );
        }
        None => {}
    }
}

fn draw_header(f: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let local = app.now().with_timezone(&app.tz);
    let name = match &app.header.station {
        Some(s) => format!("{} · {}", s.name, s.code),
        None if app.loaded => t!(lang, "frame.no_station").to_owned(),
        None => "…".to_owned(),
    };
    let count = |n: Option<u64>| n.map_or_else(|| "…".to_owned(), |n| n.to_string());
    let right = format!(
        "{}  {}  {}",
        t!(lang, "frame.present", n = count(app.header.present)),
        t!(lang, "frame.today_count", n = count(app.header.today)),
        local.format("%Y-%m-%d %H:%M"),
    );
    let left_w = (area.width as usize).saturating_sub(width(&right) + 1);
    let line = Line::from(vec![
        Span::styled(
            pad(&format!(" {name}"), left_w),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(" "),
        Span::raw(right),
    ]);
    f.render_widget(
        Paragraph::new(line).style(Style::new().bg(Color::Blue).fg(Color::White)),
        area,
    );
}

/// The title of a pane.
pub fn pane_title(p: PaneId, lang: Lang) -> &'static str {
    match p {
        PaneId::Checkin => t!(lang, "checkin.title"),
        PaneId::Cases => t!(lang, "cases.title"),
        PaneId::Schedule => t!(lang, "schedule.title"),
        PaneId::Figures => t!(lang, "figures.title"),
        PaneId::Sync => t!(lang, "sync.title"),
        PaneId::Admin => t!(lang, "admin.title"),
    }
}

fn draw_tabs(f: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    if app.gate.is_some() {
        f.render_widget(Paragraph::new(""), area);
        return;
    }
    let who = app
        .session()
        .map(|s| format!("{} · {} ", s.name, s.role.label(app.lang)))
        .unwrap_or_default();
    for p in PaneId::ALL.iter() {
        let mut label = format!(" F{} {}", p.fkey(), pane_title(*p, app.lang));
        if *p == PaneId::Sync {
            // Open conflicts, and a mark while a sync runs.
            if let Some(n) = app.header.conflicts.filter(|n| *n > 0) {
                label.push_str(&format!(" ({n})"));
            }
            if app.sync.running() {
                label.push_str(" …");
            }
        }
        label.push(' ');
        let style = if *p == app.pane {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else if !app.may(p.act()) {
            // A pane this role may not open.
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = usize::from(area.width).saturating_sub(used);
    if !who.is_empty() && width(&who) <= room {
        spans.push(Span::raw(" ".repeat(room - width(&who))));
        spans.push(Span::styled(who, Style::new().fg(Color::Cyan)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(f: &mut Frame, area: Rect, app: &App) {
    let Some(s) = &app.status else { return };
    let style = if s.error {
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::Green)
    };
    let mut lines = status_lines(&s.text, area.width);
    let rows = usize::from(area.height.max(1));
    if lines.len() > rows {
        // Longer than three rows: the last one says it goes on.
        let rest = lines.split_off(rows - 1).join(" ");
        lines.push(fit(&rest, usize::from(area.width.saturating_sub(1))));
    }
    let text: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    f.render_widget(Paragraph::new(text).style(style), area);
}

/// The status message wrapped to the line (a space before each row).
fn status_lines(text: &str, width: u16) -> Vec<String> {
    crate::tui::widgets::wrap::wrap(text, usize::from(width.saturating_sub(1)).max(1))
}

/// The help bar: the bindings marked for the bar, of the scopes in force.
/// A binding whose every key an earlier scope already takes is never
/// reached, so it is not shown.
pub fn bar_items(app: &App) -> Vec<(String, &'static str)> {
    let mut items: Vec<(String, &'static str)> = Vec::new();
    let mut taken: Vec<super::keymap::Key> = Vec::new();
    for scope in app.scopes() {
        let bindings: Vec<&Binding> = app.keymap.of_scope(scope).collect();
        for b in &bindings {
            let shadowed = b.keys.iter().all(|k| taken.contains(k));
            if !b.bar || shadowed || items.iter().any(|(_, h)| *h == b.help) {
                continue;
            }
            items.push((keys_label(b), b.help));
        }
        taken.extend(bindings.iter().flat_map(|b| b.keys.iter().copied()));
    }
    items
}

fn keys_label(b: &Binding) -> String {
    b.keys
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("/")
}

fn draw_bar(f: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let max = area.width as usize;
    for (keys, help) in bar_items(app) {
        let words = crate::i18n::catalogue::text(app.lang, help);
        let w = width(&keys) + width(words) + 3;
        if used + w > max {
            break;
        }
        used += w;
        spans.push(Span::styled(
            format!(" {keys}"),
            Style::new().add_modifier(Modifier::BOLD).fg(Color::Yellow),
        ));
        spans.push(Span::raw(format!(" {words} ")));
    }
    f.render_widget(
        Paragraph::new(Line::from(spans)).style(Style::new().bg(Color::DarkGray)),
        area,
    );
}

fn draw_help(f: &mut Frame, body: Rect, app: &App, scroll: u16) {
    let lang = app.lang;
    let mut lines = Vec::new();
    // The shown pane's keys first, then the frame's, then all others.
    let mut scopes: Vec<&'static str> = app.pane_ref(app.pane).scopes();
    scopes.retain(|s| *s != super::keymap::LIST && *s != super::keymap::FORM);
    scopes.extend([super::keymap::FRAME, super::keymap::BROWSE]);
    for b in &app.keymap.bindings {
        if !scopes.contains(&b.scope) {
            scopes.push(b.scope);
        }
    }
    for scope in scopes {
        if !lines.is_empty() {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(
            crate::i18n::catalogue::text(lang, &format!("scope.{scope}")).to_owned(),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )));
        for b in app.keymap.of_scope(scope) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}", pad(&keys_label(b), 18)),
                    Style::new().fg(Color::Yellow),
                ),
                Span::raw(crate::i18n::catalogue::text(lang, b.help).to_owned()),
            ]));
        }
    }
    let r = centered(body, body.width.saturating_sub(4).min(80), body.height);
    clear_popup(f, r);
    let title = format!(" {} ", t!(lang, "frame.keys_title"));
    let p = Paragraph::new(lines)
        .scroll((scroll, 0))
        .block(Block::default().borders(Borders::ALL).title(title));
    f.render_widget(p, r);
}
