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
    let w = area.width as usize;
    let rows: Vec<FieldRow> = form
        .fields
        .fields
        .iter()
        .enumerate()
        .map(|(i, field)| field_row(form, i, field, labels, w, active, v))
        .collect();
    let below: usize = rows.iter().map(|r| r.below.len()).sum();
    let form_h = (1 + FIELDS + below + services.len().max(1)) as u16;
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
            FIND_BOX.max(form.find.field.cells_needed()),
            focused,
            find_note(form, v, focused),
        );
    }
    let mut y = 1;
    for fr in rows {
        let Some(r) = row(y) else { break };
        let inline = fr.message.clone().filter(|_| fr.below.is_empty());
        draw_row(f, r, &fr.field, labels, fr.boxed, fr.focused, inline);
        y += 1;
        let style = fr.message.map_or_else(Style::new, |m| m.style);
        for line in fr.below {
            let Some(r) = row(y) else { break };
            let x = lead(labels) as u16;
            let under = Rect {
                x: r.x + x.min(r.width),
                width: r.width.saturating_sub(x),
                ..r
            };
            f.render_widget(Paragraph::new(Span::styled(line, style)), under);
            y += 1;
        }
    }
    let services_y = y;
    let focused = active && form.stop == Stop::Services;
    for (n, line) in services.into_iter().enumerate() {
        let Some(r) = row(services_y + n) else { break };
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

/// A field as its row shows it: the value (the arrival as "now" while it
/// is not typed), the cells of its box, and its refusal or note after the
/// box, or wrapped under it when it would be cut (`below`: its lines).
struct FieldRow {
    field: Field,
    boxed: usize,
    focused: bool,
    message: Option<Span<'static>>,
    below: Vec<String>,
}

fn field_row(
    form: &CheckinForm,
    i: usize,
    field: &Field,
    labels: usize,
    w: usize,
    active: bool,
    v: &View,
) -> FieldRow {
    let focused = active && form.stop == Stop::Field(i);
    let mut shown = field.clone();
    if i == ARRIVAL && !form.arrival_edited && !focused {
        shown.set_text(&form::now_text(v.now, v.tz));
    }
    // The box is as wide as its value needs (12-06 23:50, a long employer).
    let boxed = BOXES
        .get(i)
        .copied()
        .unwrap_or(20)
        .max(shown.cells_needed());
    let message = match shown.error.take() {
        Some(e) => Some(Span::styled(
            format!("✗ {e}"),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
        None => field_note(form, i, v.lang),
    };
    let below = message
        .as_ref()
        .map_or_else(Vec::new, |m| wrapped_below(&m.content, labels, boxed, w));
    FieldRow {
        field: shown,
        boxed,
        focused,
        message,
        below,
    }
}

/// The lines of a message under a row of `w` cells whose box is `boxed`
/// cells wide, from the column of the boxes: none when it fits after the
/// box.
fn wrapped_below(text: &str, labels: usize, boxed: usize, w: usize) -> Vec<String> {
    if lead(labels) + boxed + 1 + width(text) <= w {
        return Vec::new();
    }
    crate::tui::widgets::wrap::wrap(text, w.saturating_sub(lead(labels)))
}

/// One field on one row: focus mark, label, a box of `boxed` cells, then
/// the refusal or note after it (cut to the row).
fn draw_row(
    f: &mut Frame,
    r: Rect,
    field: &Field,
    labels: usize,
    boxed: usize,
    focused: bool,
    message: Option<Span<'static>>,
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
    let message = match shown.error.take() {
        Some(e) => Some(Span::styled(
            format!("✗ {e}"),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
        None => message,
    };
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
    if let Some(s) = message {
        let text = fit(&format!(" {}", s.content), rest.width as usize);
        f.render_widget(Paragraph::new(Span::styled(text, s.style)), rest);
    }
}

fn gray(s: String) -> Option<Span<'static>> {
    Some(Span::styled(s, Style::new().fg(Color::DarkGray)))
}

fn yellow(s: String) -> Option<Span<'static>> {
    Some(Span::styled(s, Style::new().fg(Color::Yellow)))
}

/// What must be read before saving (nothing was saved).
fn warning(s: String) -> Option<Span<'static>> {
    Some(Span::styled(
        s,
        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    ))
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
    if let Some(l) = form
        .likely
        .as_ref()
        .filter(|l| l.field == i && form.known.is_none())
        && !(i == MOBILE && form.mobile_warning.is_some())
    {
        return warning(l.text.clone());
    }
    match i {
        NAME if form.known.is_none() && form.namesakes.is_some() => {
            yellow(form.namesakes.clone().unwrap_or_default())
        }
        NAME if form.known.is_none() && !form.text(NAME).trim().is_empty() => {
            green(t!(lang, "checkin.new_person").to_owned())
        }
        MOBILE if form.mobile_warning.is_some() => {
            warning(form.mobile_warning.clone().unwrap_or_default())
        }
        MOBILE if form.mobile_on_file() => {
            let shares = form
                .known
                .as_ref()
                .and_then(|k| crate::words::shares_mobile(&k.shares_with, lang));
            match shares {
                Some(mut text) => {
                    if form.masked_mobile {
                        text.push_str(" · ");
                        text.push_str(t!(lang, "checkin.masked_note"));
                    }
                    yellow(text)
                }
                None if form.masked_mobile => gray(t!(lang, "checkin.masked_note").to_owned()),
                None => None,
            }
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
                .map(|p| {
                    let sharers = picker.sharers.get(&p.id).map_or(&[][..], Vec::as_slice);
                    hit_line(p, sharers, lang, v, inner_w)
                })
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

/// One matching person: name, masked phone, trade, employer, last visit,
/// and who else has the number when the line has room for it whole.
fn hit_line(p: &PersonHit, sharers: &[String], lang: Lang, v: &View, w: usize) -> String {
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
    let s = s.trim_end();
    // Who else has the number, when the line has room for it whole.
    match crate::words::shares_mobile(sharers, lang) {
        Some(note) if width(s) + 2 + width(&note) <= w => format!("{s}  {note}"),
        _ => fit(s, w),
    }
}
