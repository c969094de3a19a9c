//! Drawing the admin pane's dialogs: the forms (PINs as dots, never as
//! typed), the question, the choosers, one line of the log in full, the
//! person picker and the erasure's confirmation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::draw::{below, bold, dim, key, red, row};
use super::{AdminPane, Choosing, Dialog};
use crate::i18n::Lang;
use crate::store::AuditLine;
use crate::store::{Hit, PersonHit};
use crate::t;
use crate::tui::panes::View;
use crate::tui::panes::schedule::dialog_frame;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::picker::hit_line;
use crate::tui::widgets::wrap::wrap;
use crate::tui::widgets::{centered, fit, width};
use crate::words::audit::{Described, describe};
use crate::words::{entity as entity_words, field as field_words};

pub(super) fn draw(p: &AdminPane, d: &Dialog, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    match d {
        Dialog::Add(form) => {
            form_box(f, area, t!(lang, "admin.add_title"), form, lang);
        }
        Dialog::Role { name, form, .. } => {
            let title = t!(lang, "admin.role_title", name = name);
            form_box(f, area, &title, form, lang);
        }
        Dialog::Pin { name, form, .. } => {
            let title = t!(lang, "admin.pin_title", name = name);
            form_box(f, area, &title, form, lang);
        }
        Dialog::Range(form) => {
            form_box(f, area, t!(lang, "admin.range_title"), form, lang);
        }
        Dialog::Active { name, active, .. } => {
            let text = if *active {
                t!(lang, "admin.activate_q", name = name)
            } else {
                t!(lang, "admin.deactivate_q", name = name)
            };
            let w = (width(&text) as u16 + 4).clamp(40, area.width.saturating_sub(2));
            let inner = dialog_frame(f, centered(area, w, 6), t!(lang, "admin.sec_staff"));
            let body = vec![
                Line::from(text),
                Line::from(""),
                Line::from(Span::styled(t!(lang, "admin.yes_no"), key())),
            ];
            f.render_widget(Paragraph::new(body).wrap(Wrap { trim: true }), inner);
        }
        Dialog::Choose { what, selected } => choose(p, *what, *selected, f, area, lang),
        Dialog::Line { index } => {
            if let Some(l) = p.log.lines.get(*index) {
                line_box(l, *index, p.log.lines.len(), f, area, v);
            }
        }
        Dialog::Pick(picker) => {
            let r = centered(
                area,
                area.width.saturating_sub(4).min(100),
                area.height.saturating_sub(2).min(18),
            );
            let inner = dialog_frame(f, r, t!(lang, "admin.pick_title"));
            picker.draw(f, inner, lang, v.tz, v.focused);
        }
        Dialog::Erase { person, typed } => erase_box(person, typed, f, area, v),
    }
}

/// A form in a box, the first refusal in full under the fields.
fn form_box(f: &mut Frame, area: Rect, title: &str, form: &Form, lang: Lang) {
    let n = form.fields.len() as u16;
    let r = centered(area, 70.min(area.width), n + 6);
    let inner = dialog_frame(f, r, title);
    form.draw(f, Rect { height: n, ..inner }, true);
    let error = form.fields.iter().find_map(|fl| fl.error.clone());
    let (text, style) = match &error {
        Some(e) => (e.as_str(), red()),
        None => (t!(lang, "admin.form_hint"), dim()),
    };
    let lines: Vec<Line> = wrap(text, inner.width as usize)
        .into_iter()
        .take(3)
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    f.render_widget(Paragraph::new(lines), below(inner, n + 1));
}

fn choose(p: &AdminPane, what: Choosing, selected: usize, f: &mut Frame, area: Rect, lang: Lang) {
    let choices = p.choices(what, lang);
    let title = match what {
        Choosing::Staff => t!(lang, "admin.by_staff"),
        Choosing::Action => t!(lang, "admin.by_action"),
    };
    let w = choices
        .iter()
        .map(|c| width(c))
        .chain([width(title)])
        .max()
        .unwrap_or(10) as u16
        + 8;
    let h = (choices.len() as u16 + 2).min(area.height.saturating_sub(2));
    let inner = dialog_frame(f, centered(area, w.min(area.width), h), title);
    let visible = inner.height as usize;
    let first = selected.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = choices
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, c)| {
            if i == selected {
                Line::from(Span::styled(
                    format!("▶ {c}"),
                    Style::new().add_modifier(Modifier::REVERSED),
                ))
            } else {
                Line::from(format!("  {c}"))
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// One line of the log in full: every part labelled, a change's fields
/// and record, an entry's particulars.
fn line_box(l: &AuditLine, index: usize, of: usize, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let d: Described = describe(l, lang, v.tz);
    let mut rows: Vec<(String, String)> = vec![
        (t!(lang, "admin.col_time").to_owned(), d.at),
        (t!(lang, "admin.col_station").to_owned(), d.station),
        (t!(lang, "admin.col_who").to_owned(), d.who),
        (t!(lang, "admin.col_action").to_owned(), d.action),
        (t!(lang, "admin.col_subject").to_owned(), d.subject),
        (t!(lang, "admin.col_subject_id").to_owned(), d.subject_id),
    ];
    match l {
        AuditLine::Change { change, .. } => {
            let fields: Vec<&str> = change.fields.iter().map(|x| field_words(x, lang)).collect();
            rows.push((
                t!(lang, "admin.fields").to_owned(),
                fields.join(t!(lang, "admin.fields_sep")),
            ));
            rows.push((
                t!(lang, "admin.record_kind").to_owned(),
                format!(
                    "{} ({})",
                    entity_words(change.entity, lang),
                    crate::store::Entity::name(change.entity)
                ),
            ));
            // The station and its own number of the change: the same on
            // every replica the change reaches.
            let origin = change
                .station_code
                .clone()
                .unwrap_or_else(|| change.origin.0.simple().to_string()[..8].to_owned());
            rows.push((
                t!(lang, "admin.origin").to_owned(),
                format!("{origin} #{}", change.seq),
            ));
        }
        AuditLine::Entry { .. } => {
            rows.push((t!(lang, "admin.col_detail").to_owned(), d.detail));
            rows.push((t!(lang, "admin.col_code").to_owned(), d.code));
        }
    }
    let w = area.width.saturating_sub(4).min(96);
    let label = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    // Inside the border, after the labels.
    let cells = (w as usize).saturating_sub(label + 4).max(8);
    let mut lines = Vec::new();
    for (k, value) in rows {
        let parts = if value.is_empty() {
            vec!["-".to_owned()]
        } else {
            wrap(&value, cells)
        };
        for (i, part) in parts.into_iter().enumerate() {
            let head = if i == 0 { k.clone() } else { String::new() };
            lines.push(Line::from(vec![
                Span::styled(crate::tui::widgets::pad(&head, label), dim()),
                Span::raw("  "),
                Span::raw(part),
            ]));
        }
    }
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let title = t!(lang, "admin.line_title", n = index + 1, of = of);
    let inner = dialog_frame(f, centered(area, w, h), &title);
    f.render_widget(Paragraph::new(lines), inner);
}

/// Erasing: who, what goes, what stays, and the word to type, in a box
/// as tall as that takes.
fn erase_box(person: &PersonHit, typed: &Field, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let w = area.width.saturating_sub(4).min(84);
    // Inside the border.
    let cells = w.saturating_sub(2) as usize;
    let hit = Hit::Person(person.clone());
    let mut lines = vec![
        Line::from(Span::styled(
            fit(&hit_line(&hit, lang, v.tz), cells),
            bold(),
        )),
        Line::from(""),
    ];
    for text in [
        t!(lang, "admin.erase_wipes"),
        t!(lang, "admin.erase_keeps"),
        t!(lang, "admin.erase_final"),
    ] {
        lines.extend(wrap(text, cells).into_iter().map(Line::from));
    }
    lines.push(Line::from(""));
    let word = t!(lang, "admin.erase_word");
    lines.extend(
        wrap(&t!(lang, "admin.type_word", word = word), cells)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, Style::new().fg(Color::Yellow)))),
    );
    let text_rows = lines.len() as u16;
    // The text, a blank row, the field, the refusal under it.
    let h = (text_rows + 5).min(area.height.saturating_sub(2));
    let inner = dialog_frame(f, centered(area, w, h), t!(lang, "admin.erase_title"));
    let text_rows = text_rows.min(inner.height.saturating_sub(3));
    f.render_widget(
        Paragraph::new(lines),
        Rect {
            height: text_rows,
            ..inner
        },
    );
    // The refusal goes under the field, whole.
    let mut shown = typed.clone();
    let error = shown.error.take();
    shown.draw(f, row(inner, text_rows + 1), width(&typed.label), v.focused);
    if let Some(e) = error {
        f.render_widget(
            Paragraph::new(Span::styled(fit(&e, cells), red())),
            row(inner, text_rows + 2),
        );
    }
}
