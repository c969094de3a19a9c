//! One form field: a label, a value (typed text, a choice, or a yes/no), and
//! the reason its value was refused, shown next to it. What was typed stays.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};

use super::{pad, width};

/// What a field holds.
#[derive(Debug, Clone)]
pub enum Value {
    /// Free text, edited with the text-input widget.
    Text(Input),
    /// One of `options` (labels), chosen with ←/→.
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    /// Yes or no, toggled with ←/→ or Space.
    Check(bool),
}

/// A labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Shown before the value (already in the user's language).
    pub label: String,
    pub value: Value,
    /// Why the value was refused (already in the user's language).
    pub error: Option<String>,
    /// A short hint shown in an empty text field.
    pub hint: Option<String>,
    /// A PIN: each character typed shows as `*`.
    pub secret: bool,
}

impl Field {
    pub fn text(label: impl Into<String>, value: &str) -> Field {
        Field {
            label: label.into(),
            value: Value::Text(Input::new(value.to_owned())),
            error: None,
            hint: None,
            secret: false,
        }
    }

    pub fn choice(label: impl Into<String>, options: Vec<String>, selected: usize) -> Field {
        Field {
            label: label.into(),
            value: Value::Choice { options, selected },
            error: None,
            hint: None,
            secret: false,
        }
    }

    pub fn check(label: impl Into<String>, on: bool) -> Field {
        Field {
            label: label.into(),
            value: Value::Check(on),
            error: None,
            hint: None,
            secret: false,
        }
    }

    /// A text field whose characters show as `*` (PINs).
    pub fn secret(mut self) -> Field {
        self.secret = true;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Field {
        self.hint = Some(hint.into());
        self
    }

    /// Whether keys type into this field.
    pub fn is_text(&self) -> bool {
        matches!(self.value, Value::Text(_))
    }

    /// The typed text ("" for other kinds).
    pub fn text_value(&self) -> &str {
        match &self.value {
            Value::Text(i) => i.value(),
            _ => "",
        }
    }

    /// Replaces the typed text, caret at the end.
    pub fn set_text(&mut self, s: &str) {
        if let Value::Text(i) = &mut self.value {
            *i = Input::new(s.to_owned());
        }
    }

    pub fn selected(&self) -> usize {
        match &self.value {
            Value::Choice { selected, .. } => *selected,
            _ => 0,
        }
    }

    pub fn select(&mut self, n: usize) {
        if let Value::Choice { options, selected } = &mut self.value
            && n < options.len()
        {
            *selected = n;
        }
    }

    pub fn checked(&self) -> bool {
        matches!(self.value, Value::Check(true))
    }

    pub fn set_checked(&mut self, on: bool) {
        if let Value::Check(c) = &mut self.value {
            *c = on;
        }
    }

    /// Applies an edit; returns whether the value changed.
    pub fn edit(&mut self, req: InputRequest) -> bool {
        match &mut self.value {
            Value::Text(i) => {
                let before = i.value().to_owned();
                i.handle(req);
                if i.value() != before {
                    self.error = None;
                    return true;
                }
                false
            }
            Value::Check(c) if req == InputRequest::InsertChar(' ') => {
                *c = !*c;
                true
            }
            _ => false,
        }
    }

    /// ←/→ on a choice or a check; returns whether it changed.
    pub fn step(&mut self, forward: bool) -> bool {
        match &mut self.value {
            Value::Choice { options, selected } if !options.is_empty() => {
                let n = options.len();
                *selected = if forward {
                    (*selected + 1) % n
                } else {
                    (*selected + n - 1) % n
                };
                self.error = None;
                true
            }
            Value::Check(c) => {
                *c = !*c;
                true
            }
            _ => false,
        }
    }

    /// Cells the value needs to be seen whole: the typed text (or the
    /// hint of an empty one) and a cell for the caret; a choice's label
    /// between its arrows.
    pub fn cells_needed(&self) -> usize {
        match &self.value {
            Value::Text(i) => {
                let hint = if i.value().is_empty() {
                    self.hint.as_deref().map_or(0, width)
                } else {
                    0
                };
                width(i.value()).max(hint) + 1
            }
            Value::Choice { options, selected } => {
                width(options.get(*selected).map(String::as_str).unwrap_or("")) + 4
            }
            Value::Check(_) => 3,
        }
    }

    /// The cells of the value box on a row of `total` cells: as wide as
    /// the value needs (at least `base`), within the row.
    fn box_cells(&self, total: usize, label_cells: usize, base: usize) -> usize {
        total
            .saturating_sub(label_cells + 1)
            .min(base.max(self.cells_needed()))
    }

    /// Where the refusal goes on a row of `total` cells: `None` when it
    /// fits after the box, else its lines, wrapped under the box.
    fn error_below(&self, total: usize, label_cells: usize) -> Option<Vec<String>> {
        let e = self.error.as_ref()?;
        let text = format!("✗ {e}");
        let boxed = self.box_cells(total, label_cells, 30);
        if label_cells + 1 + boxed + 1 + width(&text) <= total {
            return None;
        }
        let lead = (label_cells + 1).min(total / 2);
        Some(crate::tui::widgets::wrap::wrap(
            &text,
            total.saturating_sub(lead),
        ))
    }

    /// Rows the field takes on a row of `total` cells: one, and the lines
    /// of a refusal too long to follow the box.
    pub fn height(&self, total: usize, label_cells: usize) -> u16 {
        1 + self
            .error_below(total, label_cells)
            .map_or(0, |l| l.len() as u16)
    }

    /// Draws the field: label (padded to `label_cells`), value box, then
    /// the refusal after it, or wrapped under it (when `area` has the rows,
    /// see [`Field::height`]) if it would be cut. Puts the terminal cursor
    /// at the caret when `focused`, so an input method's candidate window
    /// follows it. Without the keyboard a text shows from its start.
    pub fn draw(&self, f: &mut Frame, area: Rect, label_cells: usize, focused: bool) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let total = area.width as usize;
        let label = pad(&self.label, label_cells.min(total));
        let below = if area.height > 1 {
            self.error_below(total, label_cells)
        } else {
            None
        };
        let inline_error = self.error.is_some() && below.is_none();
        let box_cells = self.box_cells(total, label_cells, if inline_error { 30 } else { 40 });
        let focus_style = if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        };
        let label_style = if focused {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let mut spans = vec![Span::styled(label, label_style), Span::raw(" ")];
        let mut caret = None;
        match &self.value {
            Value::Text(input) => {
                let inner = box_cells.max(1);
                let scroll = if focused {
                    input.visual_scroll(inner.saturating_sub(1))
                } else {
                    0
                };
                let masked;
                let value = if self.secret {
                    masked = "*".repeat(input.value().chars().count());
                    masked.as_str()
                } else {
                    input.value()
                };
                let shown = skip_cells(value, scroll);
                if input.value().is_empty() && !focused {
                    let hint = self.hint.as_deref().unwrap_or("");
                    spans.push(Span::styled(
                        pad(hint, inner),
                        Style::new()
                            .fg(Color::DarkGray)
                            .add_modifier(Modifier::UNDERLINED),
                    ));
                } else {
                    let style = if focused {
                        Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
                    } else {
                        Style::new().add_modifier(Modifier::UNDERLINED)
                    };
                    spans.push(Span::styled(pad(&shown, inner), style));
                }
                if focused {
                    let x = label_cells + 1 + input.visual_cursor().saturating_sub(scroll);
                    caret = Some(x.min(total.saturating_sub(1)));
                }
            }
            Value::Choice { options, selected } => {
                let text = options.get(*selected).map(String::as_str).unwrap_or("");
                let shown = format!("‹ {text} ›");
                spans.push(Span::styled(
                    pad(&shown, box_cells.min(width(&shown).max(12))),
                    focus_style,
                ));
            }
            Value::Check(on) => {
                let shown = if *on { "[x]" } else { "[ ]" };
                spans.push(Span::styled(shown, focus_style));
            }
        }
        let error_style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
        if let Some(e) = self.error.as_ref().filter(|_| inline_error) {
            spans.push(Span::styled(format!(" ✗ {e}"), error_style));
        }
        f.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect { height: 1, ..area },
        );
        if let Some(lines) = below {
            let lead = (label_cells + 1).min(total / 2) as u16;
            for (k, l) in lines.into_iter().enumerate() {
                let y = area.y + 1 + k as u16;
                if y >= area.bottom() {
                    break;
                }
                f.render_widget(
                    Paragraph::new(Span::styled(l, error_style)),
                    Rect {
                        x: area.x + lead,
                        y,
                        width: area.width.saturating_sub(lead),
                        height: 1,
                    },
                );
            }
        }
        if let Some(x) = caret {
            f.set_cursor_position((area.x + x as u16, area.y));
        }
    }
}

/// `s` without its first `cells` display cells.
fn skip_cells(s: &str, cells: usize) -> String {
    let mut w = 0;
    let mut out = String::new();
    for c in s.chars() {
        if w >= cells {
            out.push(c);
        } else {
            w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_clears_the_error_but_keeps_the_text() {
        let mut f = Field::text("手机", "1381234");
        f.error = Some("手机号应为11位".into());
        assert!(f.edit(InputRequest::InsertChar('5')));
        assert_eq!(f.text_value(), "13812345");
        assert!(f.error.is_none());
    }

    #[test]
    fn choices_wrap_around() {
        let mut f = Field::choice("x", vec!["a".into(), "b".into()], 0);
        f.step(false);
        assert_eq!(f.selected(), 1);
        f.step(true);
        assert_eq!(f.selected(), 0);
    }

    #[test]
    fn skipping_counts_cells_not_chars() {
        assert_eq!(skip_cells("张三abc", 4), "abc");
        assert_eq!(skip_cells("张三abc", 2), "三abc");
    }
}
