//! A form: fields in a column, one with focus. Tab / Shift-Tab (and ↓/↑)
//! move; typing edits the focused text field; ←/→ change a choice.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::field::Field;
use super::width;
use crate::tui::action::Action;

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Whether anything was typed or changed since the form was filled.
    pub touched: bool,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        Form {
            fields,
            focus: 0,
            touched: false,
        }
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// Whether keys type into the focused field.
    pub fn typing(&self) -> bool {
        self.focused().is_some_and(Field::is_text)
    }

    pub fn field(&self, i: usize) -> &Field {
        &self.fields[i]
    }

    pub fn field_mut(&mut self, i: usize) -> &mut Field {
        &mut self.fields[i]
    }

    /// Clears every error.
    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Sets the error of field `i` and moves the focus to the first field
    /// with an error.
    pub fn refuse(&mut self, i: usize, message: String) {
        if let Some(f) = self.fields.get_mut(i) {
            f.error = Some(message);
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Applies a movement or edit; returns whether the form used it.
    pub fn handle(&mut self, action: &Action) -> bool {
        let n = self.fields.len();
        if n == 0 {
            return false;
        }
        match action {
            Action::NextField => self.focus = (self.focus + 1) % n,
            Action::PrevField => self.focus = (self.focus + n - 1) % n,
            Action::Left | Action::Right => {
                let fwd = *action == Action::Right;
                let focus = self.focus;
                let f = &mut self.fields[focus];
                if f.is_text() {
                    let req = if fwd {
                        tui_input::InputRequest::GoToNextChar
                    } else {
                        tui_input::InputRequest::GoToPrevChar
                    };
                    f.edit(req);
                } else if f.step(fwd) {
                    self.touched = true;
                }
            }
            Action::Edit(req) => {
                let focus = self.focus;
                if self.fields[focus].edit(*req) {
                    self.touched = true;
                }
            }
            _ => return false,
        }
        true
    }

    /// Cells of the widest label.
    pub fn label_cells(&self) -> usize {
        self.fields
            .iter()
            .map(|f| width(&f.label))
            .max()
            .unwrap_or(0)
    }

    /// Draws the fields one a row (and a long refusal's lines) from the
    /// top of `area`; `active` says
    /// whether the form has the keyboard (focus shown, cursor placed).
    pub fn draw(&self, f: &mut Frame, area: Rect, active: bool) {
        let label_cells = self.label_cells();
        let total = usize::from(area.width);
        let mut y = area.y;
        for (i, field) in self.fields.iter().enumerate() {
            if y >= area.bottom() {
                break;
            }
            // A refusal too long for the row wraps under it, pushing the
            // fields after it down, when `area` has rows to spare (every
            // field keeps its row).
            let after = (self.fields.len() - i - 1) as u16;
            let h = field
                .height(total, label_cells)
                .min((area.bottom() - y).saturating_sub(after))
                .max(1);
            let row = Rect {
                x: area.x,
                y,
                width: area.width,
                height: h,
            };
            field.draw(f, row, label_cells, active && i == self.focus);
            y += h;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tui_input::InputRequest;

    fn form() -> Form {
        Form::new(vec![
            Field::text("姓名", ""),
            Field::choice("工种", vec!["快递员".into(), "外卖骑手".into()], 0),
            Field::check("会员", false),
        ])
    }

    #[test]
    fn tab_moves_and_wraps() {
        let mut f = form();
        f.handle(&Action::PrevField);
        assert_eq!(f.focus, 2);
        f.handle(&Action::NextField);
        assert_eq!(f.focus, 0);
    }

    #[test]
    fn typing_only_reaches_the_focused_text_field() {
        let mut f = form();
        assert!(f.typing());
        f.handle(&Action::Edit(InputRequest::InsertChar('张')));
        assert_eq!(f.field(0).text_value(), "张");
        assert!(f.touched);
        f.handle(&Action::NextField);
        assert!(!f.typing());
        f.handle(&Action::Right);
        assert_eq!(f.field(1).selected(), 1);
    }

    #[test]
    fn refusing_moves_focus_to_the_first_error_and_keeps_text() {
        let mut f = form();
        f.handle(&Action::Edit(InputRequest::InsertChar('x')));
        f.focus = 2;
        f.refuse(0, "太短".into());
        assert_eq!(f.focus, 0);
        assert_eq!(f.field(0).text_value(), "x");
        assert!(f.has_errors());
    }
}
