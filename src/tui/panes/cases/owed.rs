//! Each claimant's amounts, in a dialog of the case detail: the claimants
//! listed with what each is owed and got back, two fields for the one
//! highlighted. Enter saves him and goes to the next, so a group is done
//! one amount and Enter each; Ctrl-A records every claimant as paid in
//! full. The case total is the store's sum of theirs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{HighlightSpacing, List, ListItem, ListState, Paragraph};

use super::detail::Detail;
use super::dialog::{Dialog, Done};
use super::{draw_field, invalid, parse_amount};
use crate::domain::money::Fen;
use crate::i18n::{Lang, Localized};
use crate::store::Claimant;
use crate::t;
use crate::tui::action::Action;
use crate::tui::panes::Ctx;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::fit;
use crate::tui::widgets::picker::money;

/// The fields: owed and got back.
pub const OWED: usize = 0;
pub const GOT: usize = 1;

/// An amount as the field shows it (empty: not given).
fn text(f: Option<Fen>) -> String {
    f.map(Fen::plain).unwrap_or_default()
}

/// The two fields, filled with the amounts of `k`.
pub fn fields(lang: Lang, k: Option<&Claimant>) -> Vec<Field> {
    vec![
        Field::text(
            t!(lang, "cases.owed_claimed"),
            &text(k.and_then(|k| k.claimed)),
        )
        .with_hint(t!(lang, "cases.amount_hint")),
        Field::text(
            t!(lang, "cases.owed_recovered"),
            &text(k.and_then(|k| k.recovered)),
        )
        .with_hint(t!(lang, "cases.owed_blank_hint")),
    ]
}

/// A field's amount: None when blank.
fn amount(field: &Field, lang: Lang) -> Result<Option<Fen>, String> {
    let t = field.text_value().trim();
    if t.is_empty() {
        Ok(None)
    } else {
        parse_amount(t, lang).map(Some)
    }
}

impl Dialog {
    /// Shows the amounts of the claimant at `i` in the fields.
    fn load_owed(&mut self, i: usize, d: &Detail, lang: Lang) {
        self.selected = i.min(d.owed.len().saturating_sub(1));
        let focus = self.form.focus;
        self.form = crate::tui::widgets::form::Form::new(fields(lang, d.owed.get(self.selected)));
        self.form.focus = focus;
        self.error = None;
    }

    pub(super) fn update_owed(&mut self, cx: &mut Ctx, action: &Action, d: &Detail) -> Done {
        let lang = cx.lang;
        let last = d.owed.len().saturating_sub(1);
        match action {
            Action::Up if self.selected > 0 => {
                self.load_owed(self.selected - 1, d, lang);
                Done::Stay
            }
            Action::Down if self.selected < last => {
                self.load_owed(self.selected + 1, d, lang);
                Done::Stay
            }
            Action::Up | Action::Down => Done::Stay,
            Action::Confirm | Action::Save => {
                let done = self.save_owed(cx, d);
                match (done, action) {
                    // Enter goes on to the next claimant (saved or not
                    // changed); the last one's Enter, and Ctrl-S, close.
                    (Done::Saved { .. } | Done::Closed, Action::Confirm)
                        if self.selected < last =>
                    {
                        self.selected += 1;
                        self.refill = true;
                        Done::Saved { close: false }
                    }
                    (Done::Saved { .. }, _) => Done::Saved { close: true },
                    (d, _) => d,
                }
            }
            Action::Pane(crate::tui::action::PaneCmd::Cases(super::Cmd::OwedInFull)) => {
                self.all_in_full(cx, d)
            }
            other => {
                self.form.handle(other);
                Done::Stay
            }
        }
    }

    /// Saves the highlighted claimant's amounts if they changed.
    fn save_owed(&mut self, cx: &mut Ctx, d: &Detail) -> Done {
        let lang = cx.lang;
        let Some(k) = d.owed.get(self.selected) else {
            return Done::Stay;
        };
        self.form.clear_errors();
        let claimed = amount(self.form.field(OWED), lang).map_err(|m| self.form.refuse(OWED, m));
        let recovered = amount(self.form.field(GOT), lang).map_err(|m| self.form.refuse(GOT, m));
        let (Ok(claimed), Ok(recovered)) = (claimed, recovered) else {
            return Done::Stay;
        };
        if (claimed, recovered) == (k.claimed, k.recovered) {
            return Done::Closed;
        }
        let case = d.case.id;
        let person = k.person;
        match cx
            .store
            .write(|w| w.set_claimant_amounts(case, person, claimed, recovered))
        {
            Ok(()) => {
                cx.info(t!(lang, "cases.done_owed", name = k.name));
                Done::Saved { close: false }
            }
            Err(e) => {
                match invalid(&e) {
                    Some(v) => self.form.refuse(OWED, v.localized(lang)),
                    None => cx.store_error(e),
                }
                Done::Stay
            }
        }
    }

    /// Ctrl-A: every claimant got back what he is owed, in one write.
    fn all_in_full(&mut self, cx: &mut Ctx, d: &Detail) -> Done {
        let lang = cx.lang;
        if d.owed.iter().all(|k| k.claimed.is_none()) {
            self.error = Some(t!(lang, "cases.owed_none").to_owned());
            return Done::Stay;
        }
        let case = d.case.id;
        let written = cx.store.write(|w| {
            for k in &d.owed {
                if k.claimed.is_some() && k.recovered != k.claimed {
                    w.set_claimant_amounts(case, k.person, k.claimed, k.claimed)?;
                }
            }
            Ok(())
        });
        match written {
            Ok(()) => {
                cx.info(t!(lang, "cases.done_owed_in_full", n = d.owed.len()));
                self.refill = true;
                Done::Saved { close: false }
            }
            Err(e) => {
                cx.store_error(e);
                Done::Stay
            }
        }
    }

    /// After the detail was read again: the fields show the highlighted
    /// claimant's amounts as stored.
    pub(super) fn refill_owed(&mut self, d: &Detail, lang: Lang) {
        if std::mem::take(&mut self.refill) {
            self.load_owed(self.selected, d, lang);
        }
    }

    /// Rows the dialog wants.
    pub(super) fn owed_rows(&self, d: &Detail) -> u16 {
        (d.owed.len() as u16).min(10) + 4 + u16::from(self.error.is_some())
    }

    pub(super) fn draw_owed(&self, f: &mut Frame, inner: Rect, d: &Detail, lang: Lang) {
        let cells = inner.width as usize;
        let help_rows = 1;
        let field_rows = 2 + u16::from(self.form.fields.iter().any(|f| f.error.is_some()));
        let list_h = inner
            .height
            .saturating_sub(field_rows + help_rows + 1 + u16::from(self.error.is_some()));
        // The claimants, each with his amounts; names padded to the
        // longest (up to 20 cells).
        let name_w = d
            .owed
            .iter()
            .map(|k| crate::tui::widgets::width(crate::i18n::catalogue::person_name(&k.name, lang)))
            .max()
            .unwrap_or(8)
            .clamp(8, 20);
        let items: Vec<ListItem> = d
            .owed
            .iter()
            .map(|k| {
                let got = k.recovered.map_or_else(|| "—".to_owned(), money);
                let owed = k.claimed.map_or_else(|| "—".to_owned(), money);
                let line = t!(
                    lang,
                    "cases.owed_row",
                    name = crate::tui::widgets::pad(
                        crate::i18n::catalogue::person_name(&k.name, lang),
                        name_w
                    ),
                    owed = owed,
                    got = got
                );
                ListItem::new(fit(&line, cells.saturating_sub(2)))
            })
            .collect();
        let mut state = ListState::default();
        state.select(Some(self.selected));
        f.render_stateful_widget(
            List::new(items)
                .highlight_symbol("▶ ")
                .highlight_spacing(HighlightSpacing::Always)
                .highlight_style(Style::new().add_modifier(Modifier::REVERSED)),
            Rect {
                height: list_h,
                ..inner
            },
            &mut state,
        );
        let mut y = inner.y + list_h + 1;
        let label_cells = self.form.label_cells();
        for (i, field) in self.form.fields.iter().enumerate() {
            if y >= inner.bottom() {
                return;
            }
            let row = Rect {
                y,
                height: inner.bottom() - y,
                ..inner
            };
            y += draw_field(f, row, field, label_cells, i == self.form.focus);
        }
        let mut lines = Vec::new();
        if let Some(e) = &self.error {
            lines.push(Span::styled(
                fit(&format!("✗ {e}"), cells),
                super::overdue_style(),
            ));
        }
        lines.push(Span::styled(
            fit(t!(lang, "cases.owed_help"), cells),
            Style::new().fg(Color::DarkGray),
        ));
        for l in lines {
            if y >= inner.bottom() {
                return;
            }
            f.render_widget(
                Paragraph::new(l),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            y += 1;
        }
    }
}
