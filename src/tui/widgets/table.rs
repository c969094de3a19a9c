//! A table whose columns share the width: each column has a smallest and a
//! preferred width and a rank; when the area is too narrow the lowest-ranked
//! columns are left out, and spare cells go to the higher-ranked ones first.
//! Cell texts are cut with `…` to their column (Chinese counts two cells).

use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, Table};

use super::{fit, width};

/// Cells between two columns.
pub const GAP: u16 = 1;

/// One column of a table.
#[derive(Debug, Clone)]
pub struct Column {
    /// The heading (already in the user's language).
    pub title: String,
    /// Fewest cells worth showing; below this the column is left out.
    pub min: u16,
    /// Cells it would like.
    pub ideal: u16,
    /// Higher ranks are kept longer and widened first.
    pub rank: u8,
    /// Numbers are aligned to the right.
    pub right: bool,
}

impl Column {
    pub fn new(title: impl Into<String>, min: u16, ideal: u16, rank: u8) -> Column {
        Column {
            title: title.into(),
            min,
            ideal: ideal.max(min),
            rank,
            right: false,
        }
    }

    pub fn right(mut self) -> Column {
        self.right = true;
        self
    }
}

/// The width of each column in `avail` cells; 0 means the column is left
/// out. Column widths plus the gaps between shown columns never exceed
/// `avail`.
pub fn widths(cols: &[Column], avail: u16) -> Vec<u16> {
    let mut shown: Vec<bool> = vec![true; cols.len()];
    let need = |shown: &[bool]| -> u32 {
        let n = shown.iter().filter(|s| **s).count() as u32;
        let mins: u32 = cols
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| u32::from(c.min))
            .sum();
        mins + n.saturating_sub(1) * u32::from(GAP)
    };
    // Leave out the lowest-ranked columns (the later one first on a tie)
    // until the smallest widths fit.
    while need(&shown) > u32::from(avail) {
        let drop = cols
            .iter()
            .enumerate()
            .filter(|(i, _)| shown[*i])
            .min_by_key(|(i, c)| (c.rank, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        match drop {
            Some(i) => shown[i] = false,
            None => break,
        }
    }
    let mut out: Vec<u16> = cols
        .iter()
        .zip(&shown)
        .map(|(c, s)| if *s { c.min } else { 0 })
        .collect();
    let mut spare = u32::from(avail).saturating_sub(need(&shown));
    // Widen towards the preferred width, highest rank first.
    let mut order: Vec<usize> = (0..cols.len()).filter(|i| shown[*i]).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(cols[*i].rank), *i));
    for i in order {
        if spare == 0 {
            break;
        }
        let want = u32::from(cols[i].ideal.saturating_sub(out[i]));
        let give = want.min(spare);
        out[i] += give as u16;
        spare -= give;
    }
    out
}

/// `s` cut and padded to `w` cells, aligned left or right.
pub fn cell_text(s: &str, w: u16, right: bool) -> String {
    let s = fit(s, w as usize);
    let padding = " ".repeat((w as usize).saturating_sub(width(&s)));
    if right {
        format!("{padding}{s}")
    } else {
        format!("{s}{padding}")
    }
}

/// A table of `rows` (one text and style per column) under the headings of
/// `cols`, with the widths `widths` gave; columns of width 0 are left out.
pub fn table<'a>(cols: &[Column], widths: &[u16], rows: Vec<Vec<(String, Style)>>) -> Table<'a> {
    let keep: Vec<usize> = (0..cols.len())
        .filter(|i| widths.get(*i).is_some_and(|w| *w > 0))
        .collect();
    let w = |i: usize| widths.get(i).copied().unwrap_or(0);
    let header = Row::new(
        keep.iter()
            .map(|i| Cell::from(cell_text(&cols[*i].title, w(*i), cols[*i].right)))
            .collect::<Vec<_>>(),
    )
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let body: Vec<Row> = rows
        .into_iter()
        .map(|r| {
            Row::new(
                keep.iter()
                    .map(|i| match r.get(*i) {
                        Some((text, style)) => {
                            Cell::from(Span::styled(cell_text(text, w(*i), cols[*i].right), *style))
                        }
                        None => Cell::from(""),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    Table::new(
        body,
        keep.iter()
            .map(|i| Constraint::Length(w(*i)))
            .collect::<Vec<_>>(),
    )
    .header(header)
    .column_spacing(GAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column::new("a", 10, 10, 9),
            Column::new("b", 5, 20, 1),
            Column::new("c", 5, 8, 5).right(),
        ]
    }

    #[test]
    fn all_columns_fit_and_the_best_ranked_widen_first() {
        assert_eq!(widths(&cols(), 30), vec![10, 10, 8]);
        assert_eq!(widths(&cols(), 100), vec![10, 20, 8]);
    }

    #[test]
    fn the_lowest_rank_is_left_out_when_narrow() {
        assert_eq!(widths(&cols(), 20), vec![10, 0, 8]);
        assert_eq!(widths(&cols(), 12), vec![10, 0, 0]);
        assert_eq!(widths(&cols(), 3), vec![0, 0, 0]);
    }

    #[test]
    fn never_wider_than_the_area() {
        for avail in 0..60 {
            let w = widths(&cols(), avail);
            let n = w.iter().filter(|w| **w > 0).count() as u16;
            let total: u16 = w.iter().sum::<u16>() + n.saturating_sub(1) * GAP;
            assert!(total <= avail);
        }
    }

    #[test]
    fn cells_are_cut_and_aligned_in_cells() {
        assert_eq!(cell_text("张三丰来了", 7, false), "张三丰…");
        assert_eq!(cell_text("12", 5, true), "   12");
        assert_eq!(width(&cell_text("张三", 5, false)), 5);
    }
}
