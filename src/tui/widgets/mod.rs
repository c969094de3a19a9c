//! Small reusable pieces of the console: form fields, forms, lists of hits.

pub mod field;
pub mod form;
pub mod picker;
pub mod range;
pub mod table;
pub mod wrap;

use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

/// Display width of a text in terminal cells (Chinese is two wide).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, marking a cut with `…`.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// Pads `s` with spaces to `cells` cells (after cutting it to fit).
pub fn pad(s: &str, cells: usize) -> String {
    let mut out = fit(s, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// Clears the place of a dialog, one column wider on each side: a Chinese
/// character (two cells) that starts just left of the dialog would
/// otherwise still be drawn over its left border.
pub fn clear_popup(f: &mut ratatui::Frame, r: Rect) {
    let screen = f.area();
    clear_popup_within(f, r, screen);
}

/// As [`clear_popup`], clearing nothing outside `within` (a box inside a
/// form keeps the form's border).
pub fn clear_popup_within(f: &mut ratatui::Frame, r: Rect, within: Rect) {
    let x = r.x.saturating_sub(1).max(within.x);
    let right = (r.x + r.width + 1).min(within.right()).max(r.right());
    let wide = Rect {
        x,
        y: r.y,
        width: right.saturating_sub(x),
        height: r.height,
    };
    f.render_widget(ratatui::widgets::Clear, wide);
}

/// A yes/no question in a box centred in `area`, at most `max_w` cells
/// wide: its text (wrapped), a blank line, and what the keys do. The
/// console asks this way before quitting with unsaved input, and before
/// a picked person replaces a visitor typed in the check-in form.
pub fn question(
    f: &mut ratatui::Frame,
    area: Rect,
    title: &str,
    text: &str,
    keys: &str,
    max_w: u16,
) {
    use ratatui::text::Line;
    use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
    let w = (width(text).max(width(keys)) as u16 + 4).clamp(40, area.width.min(max_w).max(40));
    let inner = usize::from(w.saturating_sub(2)).max(1);
    let lines = width(text).div_ceil(inner).max(1) as u16;
    let r = centered(area, w, 4 + lines);
    clear_popup(f, r);
    let p = Paragraph::new(vec![Line::from(text), Line::from(""), Line::from(keys)])
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {title} ")),
        );
    f.render_widget(p, r);
}

/// A rectangle of `w`×`h` centred in `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The key of the `i`-th choice of a list: 1–9, then A, B, … (the kiosk's
/// choices and the console's services and tallies alike).
pub fn choice_key(i: usize) -> char {
    match i {
        0..=8 => char::from(b'1' + i as u8),
        _ => char::from(b'A' + (i - 9).min(25) as u8),
    }
}

/// The choice a key picks in a list of `len`, if any (0 is never one: it
/// goes back).
pub fn choice_of(c: char, len: usize) -> Option<usize> {
    let i = match c {
        '1'..='9' => c as usize - '1' as usize,
        'a'..='z' => 9 + (c as usize - 'a' as usize),
        'A'..='Z' => 9 + (c as usize - 'A' as usize),
        _ => return None,
    };
    (i < len).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_two_cells_wide() {
        assert_eq!(width("张三"), 4);
        assert_eq!(fit("张三丰来了", 7), "张三丰…");
        assert_eq!(pad("张三", 6), "张三  ");
        assert_eq!(width(&pad("张三丰来了", 5)), 5);
    }
}
