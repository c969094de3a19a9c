//! Drawing the check-in pane: the form on top (with the find field's
//! matches dropped down over it), the here-now list and the tally below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::form::{
    self, ARRIVAL, CheckinForm, EMPLOYER, FIELDS, MOBILE, NAME, RESIDENT_ID, Stop, TRADE, UNION,
};
use super::{CheckinPane, Focus, SERVICE_KEYS, service_short, trade_short};
use crate::domain::person::Trade;
use crate::domain::visit::{Service, Services};
use crate::i18n::Lang;
use crate::store::{Hit, PersonHit};
use crate::t;
use crate::tui::panes::View;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::{fit, pad, width};

/// Cells of the value box of the find field and of each field.
const FIND_BOX: usize = 24;
const BOXES: [usize; FIELDS] = [20, 16, 22, 24, 24, 3, 8];
/// Widest the matches under the find field get.
const DROPDOWN_MAX: u16 = 90;

/// A run of spans that stays on one line.
pub struct Item {
    spans: Vec<Span<'static>>,
    width: usize,
}

impl Item {
    pub fn new(spans: Vec<Span<'static>>) -> Item {
        let width = spans.iter().map(|s| width(&s.content)).sum();
        Item { spans, width }
    }
}

/// Lays items out in lines of `w` cells, two spaces apart; lines after
/// the first start with `indent` spaces.
pub fn pack(items: Vec<Item>, w: usize, indent: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut empty = true;
    for it in items {
        if !empty && used + 2 + it.width > w {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
            empty = true;
        }
        if empty {
            if !lines.is_empty() && indent > 0 {
                line.push(Span::raw(" ".repeat(indent)));
                used = indent;
            }
        } else {
            line.push(Span::raw("  "));
            used += 2;
        }
        used += it.width;
        line.extend(it.spans);
        empty = false;
    }
    if !empty {
        lines.push(Line::from(line));
    }
    lines
}

/// The cells before the value boxes: a focus mark, the label, a space.
fn lead(label_cells: usize) -> usize {
    2 + label_cells + 1
}

fn label_cells(form: &CheckinForm, lang: Lang) -> usize {
    let fields = form.fields.fields.iter().map(|f| width(&f.label));
    fields
        .chain([
            width(&form.find.field.label),
            width(t!(lang, "checkin.f_services")),
        ])
        .max()
        .unwrap_or(0)
}

pub(super) fn draw(pane: &CheckinPane, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let form = &pane.form;
    // The question over the pane has the keyboard while it is asked.
    let active = pane.focus == Focus::Form && v.focused && pane.replacing.is_none();
    let labels = label_cells(form, lang);
    let services = service_lines(
        form,
        lang,
        (area.width as usize).saturating_sub(lead(labels)),
        active,
    );
    let form_h = (1 + FIELDS + services.len().max(1)) as u16;
    let [top, bottom] =
        Layout::vertical([Constraint::Length(form_h), Constraint::Min(0)]).areas(area);
    let row = |i: usize| {
        let y = top.y + i as u16;
        (y < top.bottom()).then_some(Rect {
            y,
            height: 1,
            ..top
        })
    };
    if let Some(r) = row(0) {
        let focused = active && form.stop == Stop::Find;
        draw_row(
            f,
            r,
            &form.find.field,
            labels,
            FIND_BOX,
            focused,
            find_note(form, v, focused),
        );
    }
    for (i, field) in form.fields.fields.iter().enumerate() {
        let Some(r) = row(1 + i) else { break };
        let focused = active && form.stop == Stop::Field(i);
        let mut shown;
        let field = if i == ARRIVAL && !form.arrival_edited && !focused {
            shown = field.clone();
            shown.set_text(&form::now_text(v.now, v.tz));
            &shown
        } else {
            field
        };
        let boxed = BOXES.get(i).copied().unwrap_or(20);
        draw_row(
            f,
            r,
            field,
            labels,
            boxed,
            focused,
            field_note(form, i, lang),
        );
    }
    let focused = active && form.stop == Stop::Services;
    for (n, line) in services.into_iter().enumerate() {
        let Some(r) = row(1 + FIELDS + n) else { break };
        if n == 0 {
            mark_and_label(f, r, t!(lang, "checkin.f_services"), labels, focused);
        }
        let x = lead(labels) as u16;
        let value = Rect {
            x: r.x + x.min(r.width),
            width: r.width.saturating_sub(x),
            ..r
        };
        f.render_widget(Paragraph::new(line), value);
    }
    pane.present.draw(f, bottom, v, pane.focus, &pane.tally);
    if active && form.dropdown() {
        draw_dropdown(f, area, form, labels, v);
    }
    if let Some(r) = &pane.replacing {
        crate::tui::widgets::question(
            f,
            area,
            t!(lang, "checkin.replace_title"),
            &t!(lang, "checkin.replace_q", draft = r.draft, name = r.name),
            &t!(lang, "checkin.replace_keys", name = r.name),
            64,
        );
    }
}

/// The focus mark and the label of a row drawn without a [`Field`].
fn mark_and_label(f: &mut Frame, r: Rect, label: &str, labels: usize, focused: bool) {
    let style = if focused {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let line = Line::from(vec![
        Span::styled(
            if focused { "▸ " } else { "  " },
            Style::new().fg(Color::Yellow),
        ),
        Span::styled(pad(label, labels), style),
    ]);
    f.render_widget(Paragraph::new(line), r);
}

/// One field on one row: focus mark, label, a box of `boxed` cells, then
/// the refusal (or a note) after it.
fn draw_row(
    f: &mut Frame,
    r: Rect,
    field: &Field,
    labels: usize,
    boxed: usize,
    focused: bool,
    note: Option<Span<'static>>,
) {
    if focused {
        f.render_widget(
            Paragraph::new(Span::styled("▸", Style::new().fg(Color::Yellow))),
            Rect {
                width: 1.min(r.width),
                ..r
            },
        );
    }
    let inner = Rect {
        x: r.x + 2.min(r.width),
        width: r.width.saturating_sub(2),
        ..r
    };
    let mut shown = field.clone();
    let error = shown.error.take();
    // The box is as wide as its value needs (12-06 23:50, a long employer).
    let boxed = boxed.max(shown.cells_needed());
    let used = (labels + 1 + boxed).min(inner.width as usize) as u16;
    shown.draw(
        f,
        Rect {
            width: used,
            ..inner
        },
        labels,
        focused,
    );
    let rest = Rect {
        x: inner.x + used,
        width: inner.width - used,
        ..inner
    };
    let extra = match error {
        Some(e) => Some(Span::styled(
            format!(" ✗ {e}"),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
        None => note.map(|n| Span::styled(format!(" {}", n.content), n.style)),
    };
    if let Some(s) = extra {
        let text = fit(&s.content, rest.width as usize);
        f.render_widget(Paragraph::new(Span::styled(text, s.style)), rest);
    }
}

fn gray(s: String) -> Option<Span<'static>> {
    Some(Span::styled(s, Style::new().fg(Color::DarkGray)))
}

fn green(s: String) -> Option<Span<'static>> {
    Some(Span::styled(s, Style::new().fg(Color::Green)))
}

/// Beside the find field: who was picked, or what to type (an empty field
/// without the keyboard shows the same as a hint inside).
fn find_note(form: &CheckinForm, v: &View, focused: bool) -> Option<Span<'static>> {
    let lang = v.lang;
    if let Some(k) = &form.known {
        let text = match k.last_visit {
            Some(at) => t!(
                lang,
                "checkin.returning_last",
                name = k.details.name,
                at = at.with_timezone(&v.tz).format("%Y-%m-%d")
            ),
            None => t!(lang, "checkin.returning", name = k.details.name),
        };
        return green(text);
    }
    if form.dropdown() || !focused {
        return None;
    }
    gray(t!(lang, "checkin.find_note").to_owned())
}

/// Beside a field: what a masked number means, membership, "now".
fn field_note(form: &CheckinForm, i: usize, lang: Lang) -> Option<Span<'static>> {
    match i {
        NAME if form.known.is_none() && !form.text(NAME).trim().is_empty() => {
            green(t!(lang, "checkin.new_person").to_owned())
        }
        MOBILE if form.masked_mobile => gray(t!(lang, "checkin.masked_note").to_owned()),
        RESIDENT_ID if form.masked_id => gray(t!(lang, "checkin.masked_note").to_owned()),
        TRADE | EMPLOYER => None,
        UNION => {
            let joined = form.known.as_ref().and_then(|k| k.details.union_joined);
            match joined {
                Some(d) => gray(t!(
                    lang,
                    "checkin.union_joined",
                    date = d.format("%Y-%m-%d")
                )),
                None if form.services.contains(Service::UnionEnrolment) => {
                    green(t!(lang, "checkin.union_today").to_owned())
                }
                None => None,
            }
        }
        ARRIVAL if !form.arrival_edited => gray(t!(lang, "checkin.arrival_now").to_owned()),
        _ => None,
    }
}

/// The services with their keys, chosen ones ticked, packed to `w` cells.
fn service_lines(form: &CheckinForm, lang: Lang, w: usize, active: bool) -> Vec<Line<'static>> {
    let key_style = if active && form.stop == Stop::Services {
        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::DarkGray)
    };
    pack(service_items(form.services, lang, key_style), w, 0)
}

/// Each service with its key (in `key_style`), the chosen ones ticked:
/// the form's services row, and the tally row's.
pub fn service_items(chosen: Services, lang: Lang, key_style: Style) -> Vec<Item> {
    SERVICE_KEYS
        .iter()
        .zip(Service::ALL)
        .map(|(k, s)| {
            let on = chosen.contains(*s);
            let label = service_short(*s, lang);
            let (mark, style) = if on {
                (
                    "✓",
                    Style::new()
                        .fg(Color::Green)
                        .add_modifier(Modifier::BOLD | Modifier::REVERSED),
                )
            } else {
                (" ", Style::new())
            };
            Item::new(vec![
                Span::styled(k.to_string(), key_style),
                Span::styled(format!("{mark}{label}"), style),
            ])
        })
        .collect()
}

/// The people matching the find field, dropped down under it.
fn draw_dropdown(f: &mut Frame, area: Rect, form: &CheckinForm, labels: usize, v: &View) {
    let lang = v.lang;
    let picker = &form.find;
    let x = area.x + (lead(labels) as u16).min(area.width);
    let y = area.y + 1;
    let w = area.right().saturating_sub(x).min(DROPDOWN_MAX);
    let inner_w = (w as usize).saturating_sub(4);
    let people: Vec<&PersonHit> = picker
        .hits
        .iter()
        .filter_map(|h| match h {
            Hit::Person(p) => Some(p),
            Hit::Case(_) => None,
        })
        .collect();
    let (title, lines): (String, Vec<String>) = if let Some(e) = &picker.error {
        (String::new(), vec![e.clone()])
    } else if !people.is_empty() {
        let title = t!(lang, "checkin.hits_title", n = people.len());
        (
            title,
            people
                .iter()
                .map(|p| hit_line(p, lang, v, inner_w))
                .collect(),
        )
    } else if picker.stale() {
        (String::new(), vec!["…".to_owned()])
    } else {
        (
            String::new(),
            vec![t!(lang, "checkin.no_match", q = picker.query().trim())],
        )
    };
    let h = (lines.len().min(form::HITS) as u16 + 2).min(area.bottom().saturating_sub(y));
    let r = Rect {
        x,
        y,
        width: w,
        height: h,
    };
    crate::tui::widgets::clear_popup(f, r);
    let mut block = Block::default().borders(Borders::ALL);
    if !title.is_empty() {
        block = block.title(format!(" {} ", fit(&title, (w as usize).saturating_sub(4))));
    }
    let items: Vec<ListItem> = lines
        .into_iter()
        .map(|l| ListItem::new(fit(&l, inner_w + 2)))
        .collect();
    let mut state = ListState::default();
    if !people.is_empty() {
        state.select(Some(picker.selected.min(people.len() - 1)));
    }
    let list = List::new(items)
        .block(block)
        .highlight_symbol("▶ ")
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    f.render_stateful_widget(list, r, &mut state);
}

/// One matching person: name, masked phone, trade, employer, last visit.
fn hit_line(p: &PersonHit, lang: Lang, v: &View, w: usize) -> String {
    let mobile = p
        .mobile
        .as_ref()
        .map_or_else(|| "-".to_owned(), |m| m.masked());
    let trade_w = Trade::ALL
        .iter()
        .map(|t| width(trade_short(*t, lang)))
        .max()
        .unwrap_or(10);
    let mut s = format!(
        "{} {} {} {}",
        pad(crate::i18n::catalogue::person_name(&p.name, lang), 8),
        pad(&mobile, 11),
        pad(trade_short(p.trade, lang), trade_w),
        pad(p.employer.as_deref().unwrap_or("-"), 14)
    );
    if let Some(at) = p.last_visit {
        s.push_str(&format!(
            " {}",
            t!(
                lang,
                "checkin.last_visit",
                at = at.with_timezone(&v.tz).format("%m-%d")
            )
        ));
    }
    fit(s.trim_end(), w)
}
