//! Drawing the pane's forms: a "▸ " before the focused field (as in F1),
//! and a refusal beside its field when it fits there, else on the lines
//! below it, never cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::tui::widgets::form::Form;
use crate::tui::widgets::width;

/// Cells of the focus mark before each label.
const MARK: usize = 2;
/// Cells of a value box at most.
const BOX: usize = 30;

/// Where one field goes: its row, and the lines of its refusal (beside it
/// when `beside`, else one a row below it).
struct Placed {
    row: u16,
    beside: bool,
    error: Vec<String>,
}

/// Cells from the left of the form to the value boxes, and to their end.
fn columns(form: &Form, total: usize) -> (usize, usize) {
    let value = MARK + form.label_cells() + 1;
    let boxed = (value + BOX).min(total);
    (value, boxed)
}

fn place(form: &Form, total: usize) -> Vec<Placed> {
    let (value, boxed) = columns(form, total);
    let mut row = 0u16;
    let mut out = Vec::with_capacity(form.fields.len());
    for field in &form.fields {
        let mut p = Placed {
            row,
            beside: true,
            error: Vec::new(),
        };
        row += 1;
        if let Some(e) = &field.error {
            let text = format!("✗ {e}");
            if boxed + 1 + width(&text) <= total {
                p.error.push(text);
            } else {
                // Below the value, or from the label when that is too narrow.
                let indent = if total.saturating_sub(value) >= 24 {
                    value
                } else {
                    MARK
                };
                p.beside = false;
                p.error =
                    crate::tui::widgets::wrap::wrap(&text, total.saturating_sub(indent).max(1))
                        .into_iter()
                        .map(|l| format!("{}{l}", " ".repeat(indent)))
                        .collect();
                row += p.error.len() as u16;
            }
        }
        out.push(p);
    }
    out
}

/// Rows the form takes at `width` cells.
pub fn form_height(form: &Form, total: u16) -> u16 {
    let placed = place(form, total as usize);
    placed.last().map_or(0, |p| {
        p.row + 1 + if p.beside { 0 } else { p.error.len() as u16 }
    })
}

/// Draws the form from the top of `area`; `active` says whether it has the
/// keyboard (focus mark, cursor).
pub fn draw_form(f: &mut Frame, area: Rect, form: &Form, active: bool) {
    let total = area.width as usize;
    let (_, boxed) = columns(form, total);
    let labels = form.label_cells();
    let red = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    for (i, (field, p)) in form.fields.iter().zip(place(form, total)).enumerate() {
        let y = area.y + p.row;
        if y >= area.bottom() {
            break;
        }
        let focused = active && i == form.focus;
        let row = |x: usize, w: usize, y: u16| Rect {
            x: area.x + x.min(total) as u16,
            y,
            width: w.min(total.saturating_sub(x)) as u16,
            height: 1,
        };
        if focused {
            f.render_widget(
                Paragraph::new(Span::styled("▸ ", Style::new().fg(Color::Yellow))),
                row(0, MARK, y),
            );
        }
        let mut shown = field.clone();
        shown.error = None;
        shown.draw(f, row(MARK, boxed.saturating_sub(MARK), y), labels, focused);
        for (n, line) in p.error.iter().enumerate() {
            let (x, y) = if p.beside {
                (boxed + 1, y)
            } else {
                (0, y + 1 + n as u16)
            };
            if y >= area.bottom() {
                break;
            }
            f.render_widget(
                Paragraph::new(Span::styled(line.clone(), red)),
                row(x, total, y),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::field::Field;

    #[test]
    fn a_long_refusal_goes_below_its_field() {
        let mut form = Form::new(vec![Field::text("日期", ""), Field::text("开始", "")]);
        assert_eq!(form_height(&form, 78), 2);
        form.refuse(1, "短".into());
        assert_eq!(form_height(&form, 78), 2, "beside the field");
        form.refuse(0, "“2026-11-31”不是日期（格式 2026-11-30）".into());
        assert_eq!(form_height(&form, 78), 3, "a line below");
        // Narrow: both refusals below, the long one on two lines.
        assert_eq!(form_height(&form, 40), 5);
    }
}
