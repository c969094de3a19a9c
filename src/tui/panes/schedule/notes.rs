//! A session's confidential notes, for counsellors: `e` on a booked session
//! opens them as they stand (the read is in the audit log), typed in a box
//! of several lines; Ctrl-S saves, Esc closes and asks first when edits
//! would be lost. Anyone else pressing `e` is told which role it needs, and
//! nothing is read.
//!
//! The notes stay in this dialog only: the week and day views never hold
//! them, and the dialog closes when someone else signs in at this console.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::editor::TextBox;
use super::{Dialog, SchedulePane, dialog_frame, question};
use crate::domain::access::Act;
use crate::domain::ids::{AppointmentId, StaffId};
use crate::i18n::{Lang, Localized};
use crate::store::NOTE_MAX;
use crate::store::StoreError;
use crate::t;
use crate::tui::action::Action;
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::{centered, fit};

/// The notes dialog of one session.
#[derive(Debug, Clone)]
pub struct Notes {
    pub id: AppointmentId,
    /// "张三 周二 11-24 14:00 周医生".
    pub about: String,
    /// Who opened them: they close when another person signs in here.
    pub opened_by: StaffId,
    /// The notes as stored when opened.
    pub stored: String,
    pub text: TextBox,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Esc with edits: asking whether to throw them away.
    pub discarding: bool,
}

impl Notes {
    /// Whether the text differs from the notes as stored.
    pub fn edited(&self) -> bool {
        self.text.text() != self.stored
    }

    pub fn typing(&self) -> bool {
        !self.discarding
    }
}

/// Whoever is signed in, when they may read and write session notes.
fn counsellor(cx: &Ctx) -> Option<StaffId> {
    cx.store
        .session()
        .filter(|s| s.may(Act::SessionNotes))
        .map(|s| s.staff)
}

impl SchedulePane {
    /// `e`: the notes of the session under the cursor, for a counsellor;
    /// anyone else hears which role it needs and nothing is read.
    pub(super) fn open_notes(&mut self, cx: &mut Ctx) {
        let Some(staff) = counsellor(cx) else {
            cx.error(Act::SessionNotes.needs(self.lang));
            return;
        };
        let Some((cell, b)) = self.selected_booking(cx) else {
            return;
        };
        match cx.store.session_notes(b.id) {
            Ok(notes) => {
                let stored = notes.unwrap_or_default();
                self.dialog = Some(Dialog::Notes(Box::new(Notes {
                    id: b.id,
                    about: self.about(&cell, &b.name),
                    opened_by: staff,
                    text: TextBox::new(&stored),
                    stored,
                    error: None,
                    discarding: false,
                })));
            }
            Err(e) => cx.store_error(e),
        }
    }

    /// Whether the notes dialog may stay open for whoever is signed in now:
    /// the counsellor who opened it, still a counsellor.
    pub(super) fn notes_still_theirs(cx: &Ctx, n: &Notes) -> bool {
        counsellor(cx) == Some(n.opened_by)
    }

    pub(super) fn update_notes(&mut self, cx: &mut Ctx, mut n: Box<Notes>, action: &Action) {
        let lang = self.lang;
        if !Self::notes_still_theirs(cx, &n) {
            // Signed out, or someone else at the keys: the notes close
            // unseen, and the key does nothing more.
            cx.error(Act::SessionNotes.needs(lang));
            return;
        }
        if n.discarding {
            match action {
                Action::Yes => cx.info(t!(lang, "schedule.notes.discarded", about = n.about)),
                _ => {
                    n.discarding = false;
                    self.dialog = Some(Dialog::Notes(n));
                }
            }
            return;
        }
        match action {
            Action::Save => return self.save_notes(cx, n),
            Action::Back if n.edited() => n.discarding = true,
            Action::Back => return,
            Action::Confirm => {
                n.text.newline();
                n.error = None;
            }
            Action::Up => n.text.move_rows(-1),
            Action::Down => n.text.move_rows(1),
            Action::PageUp => n.text.move_pages(-1),
            Action::PageDown => n.text.move_pages(1),
            // A refusal stands until the text changes.
            Action::Edit(req) if n.text.edit(*req) => n.error = None,
            _ => {}
        }
        self.dialog = Some(Dialog::Notes(n));
    }

    fn save_notes(&mut self, cx: &mut Ctx, mut n: Box<Notes>) {
        let lang = self.lang;
        if !n.edited() {
            cx.info(t!(lang, "schedule.notes.unchanged"));
            return;
        }
        match cx.store.save_session_notes(n.id, &n.text.text()) {
            Ok(()) => cx.info(t!(lang, "schedule.notes.saved", about = n.about)),
            // Refused text stays as typed, the reason beside it.
            Err(StoreError::Invalid(v)) => {
                n.error = Some(v.localized(lang));
                self.dialog = Some(Dialog::Notes(n));
            }
            Err(StoreError::NotAllowed(act)) => cx.error(act.needs(lang)),
            // Anything else (the database busy or gone): what was typed
            // stays open to save again.
            Err(e) => {
                n.error = Some(e.localized(lang));
                self.dialog = Some(Dialog::Notes(n));
            }
        }
    }
}

/// Draws the notes dialog over `area`.
pub(super) fn draw(f: &mut Frame, area: Rect, n: &Notes, lang: Lang, v: &View) {
    let w = area.width.saturating_sub(4).min(84);
    let h = area.height.saturating_sub(2).min(24);
    let r = centered(area, w, h);
    let inner = dialog_frame(f, r, t!(lang, "schedule.notes.title"));
    if inner.height < 5 {
        return;
    }
    let cells = inner.width as usize;
    let line = |f: &mut Frame, y: u16, text: &str, style: Style| {
        let row = Rect {
            y,
            height: 1,
            ..inner
        };
        f.render_widget(Paragraph::new(Span::styled(fit(text, cells), style)), row);
    };
    line(
        f,
        inner.y,
        &n.about,
        Style::new().add_modifier(Modifier::BOLD),
    );
    line(
        f,
        inner.y + 1,
        t!(lang, "schedule.notes.private"),
        Style::new().fg(Color::DarkGray),
    );
    // The refusal in full above the keys (at most two lines).
    let error: Vec<String> = n
        .error
        .as_deref()
        .map(|e| crate::tui::widgets::wrap::wrap(&format!("✗ {e}"), cells))
        .unwrap_or_default()
        .into_iter()
        .take(2)
        .collect();
    let below = 1 + error.len() as u16;
    let boxed = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2 + below),
        ..inner
    };
    let frame = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::DarkGray));
    let text_area = frame.inner(boxed);
    f.render_widget(frame, boxed);
    n.text.draw(
        f,
        text_area,
        t!(lang, "schedule.notes.empty"),
        v.focused && !n.discarding,
    );
    let red = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    let mut y = boxed.bottom();
    for e in &error {
        line(f, y, e, red);
        y += 1;
    }
    let count = n.text.chars();
    let counter = t!(lang, "schedule.notes.count", n = count, max = NOTE_MAX);
    let keys = t!(lang, "schedule.notes.keys");
    let over = if count > NOTE_MAX {
        red
    } else {
        Style::new().fg(Color::DarkGray)
    };
    let row = Rect {
        y,
        height: 1,
        ..inner
    };
    let counter_w = crate::tui::widgets::width(&counter) as u16;
    let keys_w = row.width.saturating_sub(counter_w + 2);
    f.render_widget(
        Paragraph::new(Span::styled(
            fit(keys, keys_w as usize),
            Style::new().fg(Color::DarkGray),
        )),
        Rect {
            width: keys_w,
            ..row
        },
    );
    f.render_widget(
        Paragraph::new(Span::styled(counter, over)),
        Rect {
            x: row.right().saturating_sub(counter_w),
            width: counter_w.min(row.width),
            ..row
        },
    );
    if n.discarding {
        question(
            f,
            area,
            t!(lang, "schedule.notes.discard_title"),
            &t!(lang, "schedule.notes.discard_q", about = n.about),
            lang,
        );
    }
}
