//! A text box of several lines, for a session's notes: the edits of every
//! text field (those tui-input reads from the keys: characters, Backspace,
//! Delete, ←/→, Ctrl-←/→, Home/End, Ctrl-U/K/W), Enter to break the line,
//! ↑↓ and PgUp/PgDn by the rows as wrapped on screen. Widths are measured
//! in cells (a Chinese character takes two), and the terminal cursor sits
//! at the caret so an input method's candidates follow it.

use std::cell::Cell as Kept;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::InputRequest;
use unicode_width::UnicodeWidthChar;

fn cells(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

fn span_cells(s: &[char]) -> usize {
    s.iter().map(|c| cells(*c)).sum()
}

/// Width assumed before the first draw (tests drive the box undrawn).
const FIRST_WIDTH: usize = 60;

/// One row on screen: logical line `line`, characters `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    line: usize,
    start: usize,
    end: usize,
}

#[derive(Debug, Clone)]
pub struct TextBox {
    lines: Vec<Vec<char>>,
    /// The caret: a line, and a character in it (0..=its length).
    line: usize,
    col: usize,
    /// The cell a run of ↑↓ keeps to, so a short row on the way does not
    /// pull the caret to the left for good.
    goal: Option<usize>,
    /// The width and the first row of the last draw: ↑↓ move by the rows
    /// seen, and the view scrolls only when the caret leaves it. (Kept in
    /// cells so drawing, which reads state, can note them.)
    width: Kept<usize>,
    top: Kept<usize>,
    /// Rows shown at the last draw, for PgUp/PgDn.
    height: Kept<usize>,
}

impl TextBox {
    /// A box holding `text`, the caret at its end (notes are mostly added
    /// to).
    pub fn new(text: &str) -> TextBox {
        let lines: Vec<Vec<char>> = text
            .replace("\r\n", "\n")
            .split(['\n', '\r'])
            .map(|l| l.chars().collect())
            .collect();
        let line = lines.len().saturating_sub(1);
        let col = lines.get(line).map_or(0, Vec::len);
        TextBox {
            lines,
            line,
            col,
            goal: None,
            width: Kept::new(FIRST_WIDTH),
            top: Kept::new(0),
            height: Kept::new(10),
        }
    }

    /// The text, lines joined with `\n`.
    pub fn text(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(|l| l.iter().collect()).collect();
        lines.join("\n")
    }

    /// Characters typed, line breaks included (as the store counts them).
    pub fn chars(&self) -> usize {
        self.lines.iter().map(Vec::len).sum::<usize>() + self.lines.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    /// The caret as (line, character).
    pub fn caret(&self) -> (usize, usize) {
        (self.line, self.col)
    }

    fn cur(&self) -> &Vec<char> {
        &self.lines[self.line]
    }

    fn cur_mut(&mut self) -> &mut Vec<char> {
        &mut self.lines[self.line]
    }

    /// Breaks the line at the caret (Enter).
    pub fn newline(&mut self) {
        let rest = self.lines[self.line].split_off(self.col);
        self.lines.insert(self.line + 1, rest);
        self.line += 1;
        self.col = 0;
        self.goal = None;
    }

    /// Applies one edit; returns whether the text changed.
    pub fn edit(&mut self, req: InputRequest) -> bool {
        use InputRequest::*;
        if !matches!(req, SetCursor(_)) {
            self.goal = None;
        }
        match req {
            InsertChar('\n' | '\r') => {
                self.newline();
                true
            }
            // Other control characters would be refused on saving; they
            // are not typed in the first place.
            InsertChar(c) if c.is_control() => false,
            InsertChar(c) => {
                let col = self.col;
                self.cur_mut().insert(col, c);
                self.col += 1;
                true
            }
            DeletePrevChar if self.col > 0 => {
                self.col -= 1;
                let col = self.col;
                self.cur_mut().remove(col);
                true
            }
            DeletePrevChar if self.line > 0 => {
                let rest = self.lines.remove(self.line);
                self.line -= 1;
                self.col = self.cur().len();
                self.cur_mut().extend(rest);
                true
            }
            DeleteNextChar if self.col < self.cur().len() => {
                let col = self.col;
                self.cur_mut().remove(col);
                true
            }
            DeleteNextChar if self.line + 1 < self.lines.len() => {
                let next = self.lines.remove(self.line + 1);
                self.cur_mut().extend(next);
                true
            }
            GoToPrevChar => {
                if self.col > 0 {
                    self.col -= 1;
                } else if self.line > 0 {
                    self.line -= 1;
                    self.col = self.cur().len();
                }
                false
            }
            GoToNextChar => {
                if self.col < self.cur().len() {
                    self.col += 1;
                } else if self.line + 1 < self.lines.len() {
                    self.line += 1;
                    self.col = 0;
                }
                false
            }
            GoToPrevWord => {
                if self.col == 0 && self.line > 0 {
                    self.line -= 1;
                    self.col = self.cur().len();
                } else {
                    self.col = self.word_before();
                }
                false
            }
            GoToNextWord => {
                if self.col == self.cur().len() && self.line + 1 < self.lines.len() {
                    self.line += 1;
                    self.col = 0;
                } else {
                    self.col = self.word_after();
                }
                false
            }
            GoToStart => {
                self.col = 0;
                false
            }
            GoToEnd => {
                self.col = self.cur().len();
                false
            }
            DeletePrevWord if self.col == 0 => self.edit(DeletePrevChar),
            DeletePrevWord => {
                let from = self.word_before();
                let to = self.col;
                self.cur_mut().drain(from..to);
                self.col = from;
                true
            }
            DeleteNextWord if self.col == self.cur().len() => self.edit(DeleteNextChar),
            DeleteNextWord => {
                let to = self.word_after();
                let from = self.col;
                self.cur_mut().drain(from..to);
                true
            }
            // Ctrl-U: the line the caret is on (a one-line field clears
            // all of itself; notes are worth more than one key).
            DeleteLine => {
                let had = !self.cur().is_empty();
                self.cur_mut().clear();
                self.col = 0;
                had
            }
            DeleteTillEnd => {
                let col = self.col;
                let had = col < self.cur().len();
                self.cur_mut().truncate(col);
                had
            }
            DeleteFromStart => {
                let col = self.col;
                self.cur_mut().drain(..col);
                self.col = 0;
                col > 0
            }
            SetCursor(n) => {
                let mut left = n;
                for (i, l) in self.lines.iter().enumerate() {
                    if left <= l.len() {
                        self.line = i;
                        self.col = left;
                        return false;
                    }
                    left -= l.len() + 1;
                }
                self.line = self.lines.len() - 1;
                self.col = self.cur().len();
                false
            }
            DeletePrevChar | DeleteNextChar | Yank => false,
        }
    }

    /// Where the word before the caret starts (spaces before it skipped).
    fn word_before(&self) -> usize {
        let l = self.cur();
        let mut i = self.col;
        while i > 0 && l[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !l[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    /// Where the word after the caret ends (spaces after it skipped).
    fn word_after(&self) -> usize {
        let l = self.cur();
        let mut i = self.col;
        while i < l.len() && !l[i].is_whitespace() {
            i += 1;
        }
        while i < l.len() && l[i].is_whitespace() {
            i += 1;
        }
        i
    }

    /// The rows of every line wrapped to `width` cells: after the last
    /// space that fits, or where the row is full when a word is longer
    /// than a row (Chinese has no spaces).
    fn rows(&self, width: usize) -> Vec<Row> {
        let width = width.max(2);
        let mut out = Vec::new();
        for (n, l) in self.lines.iter().enumerate() {
            let (mut start, mut used, mut space) = (0, 0, None);
            let mut i = 0;
            while i < l.len() {
                let w = cells(l[i]);
                if used + w > width && i > start {
                    let mut end = space.map_or(i, |s: usize| s + 1);
                    // No row starts with closing punctuation (，。）…): the
                    // character before it goes down with it.
                    if space.is_none()
                        && end > start + 1
                        && crate::tui::widgets::wrap::NO_LINE_START.contains(l[end])
                    {
                        end -= 1;
                    }
                    out.push(Row {
                        line: n,
                        start,
                        end,
                    });
                    start = end;
                    used = span_cells(&l[start..i]);
                    space = None;
                    continue;
                }
                if l[i] == ' ' {
                    space = Some(i);
                }
                used += w;
                i += 1;
            }
            out.push(Row {
                line: n,
                start,
                end: l.len(),
            });
        }
        out
    }

    /// The caret's row among `rows` and its cell in that row. A caret
    /// after a row filled to the edge goes to the start of the next one
    /// (the row after the last, when it is the last).
    fn caret_at(&self, rows: &[Row], width: usize) -> (usize, usize) {
        let Some(i) = rows.iter().position(|r| {
            r.line == self.line
                && self.col >= r.start
                && (self.col < r.end || (self.col == r.end && self.is_last_row(rows, r)))
        }) else {
            return (0, 0);
        };
        let r = rows[i];
        let x = span_cells(&self.lines[r.line][r.start..self.col]);
        if x >= width.max(2) {
            (i + 1, 0)
        } else {
            (i, x)
        }
    }

    fn is_last_row(&self, rows: &[Row], r: &Row) -> bool {
        rows.iter().rfind(|x| x.line == r.line) == Some(r)
    }

    /// Moves the caret `by` rows (negative: up), keeping to the cell it
    /// started from.
    pub fn move_rows(&mut self, by: isize) {
        let width = self.width.get();
        let rows = self.rows(width);
        let (at, x) = self.caret_at(&rows, width);
        let goal = *self.goal.get_or_insert(x);
        let to = at.saturating_add_signed(by).min(rows.len() - 1);
        let r = rows[to];
        let l = &self.lines[r.line];
        // The last character that starts at or before the goal; never the
        // end of a row that continues on the next one.
        let last = if r.end > r.start && !self.is_last_row(&rows, &r) {
            r.end - 1
        } else {
            r.end
        };
        let mut col = r.start;
        let mut used = 0;
        while col < last && used + cells(l[col]) <= goal {
            used += cells(l[col]);
            col += 1;
        }
        self.line = r.line;
        self.col = col;
    }

    /// PgUp / PgDn: a screenful less one row.
    pub fn move_pages(&mut self, pages: isize) {
        let page = self.height.get().saturating_sub(1).max(1) as isize;
        self.move_rows(pages * page);
    }

    /// Draws the text into `area` (hint when empty), scrolled to show the
    /// caret, and puts the terminal cursor there when `focused`.
    pub fn draw(&self, f: &mut Frame, area: Rect, hint: &str, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let width = area.width as usize;
        let height = area.height as usize;
        self.width.set(width);
        self.height.set(height);
        let rows = self.rows(width);
        let (at, x) = self.caret_at(&rows, width);
        let mut top = self.top.get().min(rows.len().saturating_sub(1));
        if at < top {
            top = at;
        } else if at >= top + height {
            top = at + 1 - height;
        }
        self.top.set(top);
        if self.is_empty() && !hint.is_empty() {
            let p = Paragraph::new(Span::styled(
                crate::tui::widgets::fit(hint, width),
                Style::new().fg(Color::DarkGray),
            ));
            f.render_widget(p, area);
        } else {
            let lines: Vec<Line> = rows
                .iter()
                .skip(top)
                .take(height)
                .map(|r| {
                    let s: String = self.lines[r.line][r.start..r.end].iter().collect();
                    Line::from(s)
                })
                .collect();
            f.render_widget(Paragraph::new(lines), area);
        }
        if focused {
            let y = area.y + (at - top) as u16;
            let x = area.x + (x as u16).min(area.width - 1);
            f.set_cursor_position((x, y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InputRequest::*;

    fn typed(b: &mut TextBox, s: &str) {
        for c in s.chars() {
            b.edit(InsertChar(c));
        }
    }

    #[test]
    fn lines_are_broken_joined_and_kept() {
        let mut b = TextBox::new("情绪稳定\n下次谈睡眠");
        assert_eq!(b.caret(), (1, 5));
        assert_eq!(b.chars(), 10);
        b.edit(GoToStart);
        assert!(b.edit(DeletePrevChar), "joins the lines");
        assert_eq!(b.text(), "情绪稳定下次谈睡眠");
        assert_eq!(b.caret(), (0, 4));
        b.newline();
        typed(&mut b, "  ");
        assert_eq!(b.text(), "情绪稳定\n  下次谈睡眠");
        b.edit(GoToPrevChar);
        b.edit(GoToPrevChar);
        b.edit(GoToPrevChar);
        assert_eq!(b.caret(), (0, 4), "← goes back over the line break");
        assert!(b.edit(DeleteNextChar));
        assert_eq!(b.text(), "情绪稳定  下次谈睡眠");
        assert!(!b.edit(InsertChar('\u{7}')), "no control characters");
        typed(&mut b, "\n");
        assert_eq!(b.text(), "情绪稳定\n  下次谈睡眠");
        assert_eq!(TextBox::new("a\r\nb\rc").text(), "a\nb\nc");
        assert!(TextBox::new("").is_empty());
        assert_eq!(TextBox::new("").chars(), 0);
    }

    #[test]
    fn words_and_line_edits() {
        let mut b = TextBox::new("sleep is poor");
        b.edit(GoToPrevWord);
        assert_eq!(b.caret(), (0, 9));
        b.edit(DeletePrevWord);
        assert_eq!(b.text(), "sleep poor");
        b.edit(GoToEnd);
        b.edit(GoToPrevWord);
        b.edit(DeleteNextWord);
        assert_eq!(b.text(), "sleep ");
        b.newline();
        typed(&mut b, "next");
        assert!(b.edit(DeleteLine));
        assert_eq!(b.text(), "sleep \n", "only the caret's line goes");
        b.edit(GoToPrevChar);
        b.edit(GoToStart);
        assert!(b.edit(DeleteTillEnd));
        assert_eq!(b.text(), "\n");
        b.edit(SetCursor(1));
        assert_eq!(b.caret(), (1, 0));
        typed(&mut b, "ab");
        b.edit(GoToPrevChar);
        assert!(b.edit(DeleteFromStart));
        assert_eq!(b.text(), "\nb");
    }

    #[test]
    fn no_row_starts_with_closing_punctuation() {
        let mut b = TextBox::new("");
        typed(&mut b, "一二三四五，六七");
        let rows = b.rows(10);
        let l = &b.lines[0];
        for r in &rows {
            assert!(!"，。".contains(l[r.start]), "{rows:?}");
        }
        assert_eq!(rows[0].end, 4, "四 goes down with its comma");
    }

    #[test]
    fn long_lines_wrap_at_spaces_or_where_full() {
        let b = TextBox::new("one two three");
        let rows = b.rows(8);
        let texts: Vec<String> = rows
            .iter()
            .map(|r| b.lines[r.line][r.start..r.end].iter().collect())
            .collect();
        assert_eq!(texts, ["one two ", "three"]);
        // Chinese: two cells a character, cut where the row is full.
        let b = TextBox::new("来访者反映长期睡眠不好");
        let rows = b.rows(7);
        assert_eq!(
            rows.iter().map(|r| r.end - r.start).collect::<Vec<_>>(),
            [3, 3, 3, 2]
        );
        // The caret after a row filled to the edge starts the next row.
        let b = TextBox::new("一二三");
        let rows = b.rows(6);
        assert_eq!(b.caret_at(&rows, 6), (1, 0));
    }

    #[test]
    fn up_and_down_move_by_rows_seen() {
        let mut b = TextBox::new("abcdefghij\nxy\nabcdefghij");
        b.width.set(4);
        // Rows: abcd efgh ij | xy | abcd efgh ij
        b.edit(SetCursor(2));
        b.move_rows(1);
        assert_eq!(b.caret(), (0, 6));
        b.move_rows(1);
        assert_eq!(b.caret(), (0, 10), "end of a short row");
        b.move_rows(1);
        assert_eq!(b.caret(), (1, 2));
        b.move_rows(1);
        assert_eq!(b.caret(), (2, 2), "the goal column is kept");
        b.move_rows(-10);
        assert_eq!(b.caret(), (0, 2));
        b.move_rows(10);
        assert_eq!(b.caret(), (2, 10));
        // Inside a row that goes on, the caret stays on it.
        let mut b = TextBox::new("abcdefgh");
        b.width.set(4);
        b.edit(SetCursor(7));
        b.move_rows(-1);
        assert_eq!(b.caret(), (0, 3));
    }
}
