//! F5's lines about operations held apart (dated far in the future,
//! `store/held.rs`): one a station, under the last sync's summary, and `a`
//! to accept them all after a question; and about copies of one database
//! found lately (`store/split.rs`), for staff to know of.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Dialog, SyncPane};
use crate::store::{HeldApart, StoreError};
use crate::t;
use crate::tui::panes::schedule::dialog_frame;
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::centered;
use crate::tui::widgets::wrap::wrap;

/// The key that accepts them, named on screen.
pub const ACCEPT_KEY: char = 'a';

/// The held operations, as the store lists them (nothing on an error,
/// which the status line says).
pub(super) fn load(cx: &mut Ctx) -> Vec<HeldApart> {
    match cx.store.held_apart() {
        Ok(h) => h,
        Err(e) => {
            cx.store_error(e);
            Vec::new()
        }
    }
}

/// The copies of one database found lately, as the store lists them.
pub(super) fn load_splits(cx: &mut Ctx) -> Vec<crate::store::SplitListed> {
    match cx.store.recent_splits() {
        Ok(s) => s,
        Err(e) => {
            cx.store_error(e);
            Vec::new()
        }
    }
}

/// Their lines, `w` cells wide: a heading and a line each. None when
/// there are none.
pub(super) fn split_lines(p: &SyncPane, w: usize, v: &View) -> Vec<Line<'static>> {
    if p.splits.is_empty() {
        return Vec::new();
    }
    let lang = v.lang;
    let mut out = vec![Line::from(Span::styled(
        t!(
            lang,
            "sync.split_head",
            days = crate::store::SPLIT_LISTED_DAYS
        ),
        Style::new().add_modifier(Modifier::BOLD).fg(Color::Yellow),
    ))];
    for s in &p.splits {
        out.extend(wrapped(
            &crate::words::sync::split_listed(s, lang, v.tz),
            w,
            2,
            Style::new().fg(Color::Yellow),
        ));
    }
    out
}

fn wrapped(text: &str, cells: usize, indent: usize, style: Style) -> Vec<Line<'static>> {
    wrap(text, cells.saturating_sub(indent))
        .into_iter()
        .map(|l| Line::from(Span::styled(format!("{}{l}", " ".repeat(indent)), style)))
        .collect()
}

/// Their lines, `w` cells wide: a heading, a line a station, what to do.
/// None when nothing is held.
pub(super) fn lines(p: &SyncPane, w: usize, v: &View) -> Vec<Line<'static>> {
    let lang = v.lang;
    if p.held.is_empty() {
        return Vec::new();
    }
    let yellow = Style::new().fg(Color::Yellow);
    let mut out = vec![Line::from(Span::styled(
        t!(lang, "held.head").to_owned(),
        Style::new().add_modifier(Modifier::BOLD).fg(Color::Yellow),
    ))];
    for h in &p.held {
        out.extend(wrapped(
            &crate::words::held::line(h, lang, v.tz),
            w,
            2,
            yellow,
        ));
    }
    out.extend(wrapped(
        &format!("{}  {}", t!(lang, "held.why"), t!(lang, "held.how_key")),
        w,
        2,
        Style::new().fg(Color::DarkGray),
    ));
    out
}

impl SyncPane {
    /// `a`: asks before accepting what is held apart.
    pub(super) fn ask_accept(&mut self, cx: &mut Ctx) {
        if self.running() {
            return cx.error(t!(cx.lang, "sync.wait_decide"));
        }
        let n: usize = self.held.iter().map(|h| h.count).sum();
        if n == 0 {
            return cx.error(t!(cx.lang, "held.none"));
        }
        self.dialog = Some(Dialog::AcceptHeld { n });
    }

    /// The answer was yes: applies them all.
    pub(super) fn accept(&mut self, cx: &mut Ctx) {
        match cx.store.accept_held_noted(None) {
            Ok(applied) => {
                cx.info(t!(cx.lang, "held.accepted", n = applied.new_ops));
                *cx.changed = true;
            }
            Err(StoreError::NotFound(_)) => cx.error(t!(cx.lang, "held.none")),
            Err(e) => cx.store_error(e),
        }
        self.reload(cx);
    }
}

/// The question before accepting `n` held operations.
pub(super) fn draw_dialog(f: &mut Frame, area: Rect, n: usize, v: &View) {
    let lang = v.lang;
    let dw = area.width.saturating_sub(4).min(72);
    let inner_w = usize::from(dw.saturating_sub(2));
    let mut lines = wrapped(&t!(lang, "held.confirm_q", n = n), inner_w, 0, Style::new());
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        t!(lang, "held.confirm_keys"),
        Style::new().fg(Color::Yellow),
    )));
    let r = centered(area, dw, lines.len() as u16 + 2);
    let inner = dialog_frame(f, r, t!(lang, "held.confirm_title"));
    f.render_widget(Paragraph::new(lines), inner);
}
