//! The worker's slip over the case detail (`report::slip`): shown when a
//! case is opened, and with `p` on a case. The code is drawn black on
//! white whatever the terminal's colours; Esc or Enter puts the slip away,
//! any other key puts it away and does what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::report::slip::Slip;
use crate::t;
use crate::tui::panes::View;
use crate::tui::panes::schedule::dialog_frame;
use crate::tui::widgets::centered;
use crate::tui::widgets::wrap::wrap;

/// Draws `slip` over `area`: the code on the left, the words beside it.
pub fn draw(slip: &Slip, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let code = slip.half_blocks();
    let code_w = code.first().map_or(0, |r| r.chars().count()) as u16;
    let w = area.width.min(80);
    let h = (code.len() as u16 + 3).min(area.height);
    let inner = dialog_frame(f, centered(area, w, h), t!(lang, "slip.dialog"));
    let paper = Style::new().fg(Color::Black).bg(Color::White);
    let qr: Vec<Line> = code
        .iter()
        .map(|r| Line::from(Span::styled(r.clone(), paper)))
        .collect();
    let code_area = Rect {
        width: code_w.min(inner.width),
        ..inner
    };
    f.render_widget(Paragraph::new(qr), code_area);
    let text_x = inner.x + code_w + 2;
    if text_x >= inner.right() {
        return;
    }
    let text_w = (inner.right() - text_x) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, l) in slip.lines(lang).iter().enumerate() {
        let style = if i == 0 {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        if l.is_empty() {
            lines.push(Line::from(""));
        }
        for part in wrap(l, text_w) {
            lines.push(Line::from(Span::styled(part, style)));
        }
    }
    lines.push(Line::from(Span::styled(
        t!(lang, "slip.keys"),
        Style::new().fg(Color::DarkGray),
    )));
    let text_area = Rect {
        x: text_x,
        width: text_w as u16,
        ..inner
    };
    f.render_widget(Paragraph::new(lines), text_area);
}
