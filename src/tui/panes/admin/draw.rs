//! Drawing the admin pane: the sections' tabs and each section's list;
//! the dialogs over them are drawn in `dialogs`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{HighlightSpacing, Paragraph, TableState, Wrap};

use super::log::action_words;
use super::{AdminPane, LOG_LIMIT, Section};
use crate::i18n::Lang;
use crate::store::AuditLine;
use crate::t;
use crate::tui::panes::View;
use crate::tui::widgets::table::{self, Column};
use crate::tui::widgets::wrap::wrap;
use crate::tui::widgets::{fit, width};
use crate::words::audit::{describe, entry_detail};

pub(super) fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub(super) fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub(super) fn red() -> Style {
    Style::new().fg(Color::Red)
}

pub(super) fn key() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub(super) fn row(area: Rect, y: u16) -> Rect {
    Rect {
        y: area.y + y.min(area.height.saturating_sub(1)),
        height: 1,
        ..area
    }
}

/// `area` below its first `n` rows.
pub(super) fn below(area: Rect, n: u16) -> Rect {
    Rect {
        y: area.y + n.min(area.height),
        height: area.height.saturating_sub(n),
        ..area
    }
}

pub(super) fn draw(p: &AdminPane, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    if area.height < 4 {
        return;
    }
    if let Some(refusal) = &p.refused {
        let lines = vec![
            Line::from(Span::styled(
                refusal.clone(),
                red().add_modifier(Modifier::BOLD),
            )),
            Line::from(""),
            Line::from(Span::styled(t!(lang, "admin.refused_hint"), dim())),
        ];
        let r = below(area, 2);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), r);
        return;
    }
    f.render_widget(Paragraph::new(tabs_line(p, lang)), row(area, 0));
    let body = below(area, 1);
    match p.section {
        Section::Staff => staff(p, f, body, lang),
        Section::Log => log(p, f, body, v),
        Section::Erase => erase(p, f, body, v),
    }
    if let Some(d) = &p.dialog {
        super::dialogs::draw(p, d, f, area, v);
    }
}

/// The sections, the shown one marked.
fn tabs_line(p: &AdminPane, lang: Lang) -> Line<'static> {
    let mut spans = Vec::new();
    for s in Section::ALL {
        let title = format!(" {} ", s.title(lang));
        if s == p.section {
            spans.push(Span::styled(
                title,
                Style::new()
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
            ));
        } else {
            spans.push(Span::raw(title));
        }
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("Tab", key()));
    Line::from(spans)
}

/// A list with a heading, the selected row marked, scrolled to keep it in
/// sight; only the rows on screen are made.
fn list(
    p: &AdminPane,
    f: &mut Frame,
    area: Rect,
    cols: &[Column],
    selected: usize,
    len: usize,
    make: impl Fn(usize, &[u16]) -> Vec<(String, Style)>,
) {
    let visible = (area.height as usize).saturating_sub(1).max(1);
    p.page.set(visible);
    let mut scroll = p.scroll.get();
    if selected < scroll {
        scroll = selected;
    } else if selected >= scroll + visible {
        scroll = selected + 1 - visible;
    }
    p.scroll.set(scroll);
    // The highlight symbol takes two cells.
    let widths = table::widths(cols, area.width.saturating_sub(2));
    let rows: Vec<Vec<(String, Style)>> = (scroll..len.min(scroll + visible))
        .map(|i| make(i, &widths))
        .collect();
    let t = table::table(cols, &widths, rows)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default();
    if len > 0 {
        state.select(Some(selected - scroll));
    }
    f.render_stateful_widget(t, area, &mut state);
}

fn staff(p: &AdminPane, f: &mut Frame, area: Rect, lang: Lang) {
    let admins = p
        .staff
        .iter()
        .filter(|r| {
            r.staff.active && r.has_pin && r.staff.role == crate::domain::staff::Role::Admin
        })
        .count();
    let head = match &p.error {
        Some(e) => Span::styled(e.clone(), red()),
        None => Span::styled(
            t!(
                lang,
                "admin.staff_count",
                n = p.staff.len(),
                admins = admins
            ),
            dim(),
        ),
    };
    f.render_widget(Paragraph::new(Line::from(head)), row(area, 0));
    let cols = vec![
        Column::new(t!(lang, "admin.col_name"), 8, 20, 9),
        Column::new(t!(lang, "admin.col_role"), 8, 14, 8),
        Column::new(t!(lang, "admin.col_state"), 6, 10, 7),
        Column::new(t!(lang, "admin.col_pin"), 6, 10, 6),
    ];
    let body = below(area, 2);
    list(
        p,
        f,
        body,
        &cols,
        p.staff_selected,
        p.staff.len(),
        |i, _| {
            let r = &p.staff[i];
            let plain = if r.staff.active { Style::new() } else { dim() };
            let (state, state_style) = if r.staff.active {
                (t!(lang, "admin.active_yes"), plain)
            } else {
                (t!(lang, "admin.active_no"), dim())
            };
            let (pin, pin_style) = if r.has_pin {
                (t!(lang, "admin.pin_yes"), plain)
            } else {
                (t!(lang, "admin.pin_no"), Style::new().fg(Color::Yellow))
            };
            vec![
                (r.staff.name.clone(), plain),
                (r.staff.role.label(lang).to_owned(), plain),
                (state.to_owned(), state_style),
                (pin.to_owned(), pin_style),
            ]
        },
    );
    if p.staff.is_empty() && p.error.is_none() && body.height > 2 {
        f.render_widget(Paragraph::new(t!(lang, "admin.no_staff")), row(body, 2));
    }
}

/// The filters of the log, in one line.
fn filters_line(p: &AdminPane, v: &View, cells: usize) -> Line<'static> {
    let lang = v.lang;
    let today = v.today();
    let name = p.period_label(lang, today);
    let range = if p.period.from == p.period.to {
        p.period.from.to_string()
    } else {
        t!(
            lang,
            "figures.from_to",
            from = p.period.from,
            to = p.period.to
        )
    };
    let all = t!(lang, "admin.all");
    let mut spans = vec![
        Span::styled(format!("{} ", t!(lang, "figures.period")), dim()),
        Span::styled(name.clone(), bold()),
    ];
    if name != range {
        spans.push(Span::raw(format!(" {range}")));
    }
    let mut pair = |label: &str, value: String| {
        spans.push(Span::styled(format!("  {label} "), dim()));
        spans.push(Span::styled(value, bold()));
    };
    pair(
        t!(lang, "admin.col_who"),
        p.actor
            .as_ref()
            .map_or_else(|| all.to_owned(), |(_, n)| n.clone()),
    );
    pair(
        t!(lang, "admin.col_action"),
        p.action
            .as_deref()
            .map_or_else(|| all.to_owned(), |a| action_words(a, lang).to_owned()),
    );
    pair(
        t!(lang, "admin.change_action"),
        if p.with_changes {
            t!(lang, "admin.shown")
        } else {
            t!(lang, "admin.hidden")
        }
        .to_owned(),
    );
    // Cut on the right when narrow: the period matters most.
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = width(&s.content);
        if used + w > cells {
            out.push(Span::styled(fit(&s.content, cells - used), s.style));
            break;
        }
        used += w;
        out.push(s);
    }
    Line::from(out)
}

fn log(p: &AdminPane, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    f.render_widget(
        Paragraph::new(filters_line(p, v, area.width as usize)),
        row(area, 0),
    );
    let n = p.log.lines.len();
    let count = match &p.error {
        Some(e) => Span::styled(e.clone(), red()),
        None if n == 0 => Span::styled(t!(lang, "admin.log_none"), dim()),
        None if p.log.more => Span::styled(
            t!(lang, "admin.log_more", n = LOG_LIMIT),
            Style::new().fg(Color::Yellow),
        ),
        None => Span::styled(t!(lang, "admin.log_count", n = n), dim()),
    };
    f.render_widget(Paragraph::new(Line::from(count)), row(area, 1));
    let wide = area.width >= 110;
    let time_cells = if wide { 16 } else { 11 };
    let station = t!(lang, "admin.col_station");
    let cols = vec![
        Column::new(t!(lang, "admin.col_time"), time_cells, time_cells, 10),
        Column::new(station, 4, width(station).max(4) as u16, 6),
        Column::new(t!(lang, "admin.col_who"), 6, 10, 8),
        Column::new(t!(lang, "admin.col_action"), 8, 18, 9),
        Column::new(t!(lang, "admin.col_subject"), 8, 16, 7),
        Column::new(t!(lang, "admin.col_detail"), 8, 60, 3),
    ];
    list(p, f, below(area, 2), &cols, p.log_selected, n, |i, _| {
        let d = describe(&p.log.lines[i], lang, v.tz);
        let at = if wide {
            d.at.get(..16)
        } else {
            d.at.get(5..16)
        };
        let action_style = match &p.log.lines[i] {
            AuditLine::Change { .. } => dim(),
            AuditLine::Entry { .. } => Style::new(),
        };
        vec![
            (at.unwrap_or(&d.at).to_owned(), Style::new()),
            (d.station, Style::new()),
            (d.who, Style::new()),
            (d.action, action_style),
            (d.subject, Style::new()),
            (d.detail, dim()),
        ]
    });
}

fn erase(p: &AdminPane, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let cells = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::from(vec![
        Span::styled("e ", key()),
        Span::styled(t!(lang, "admin.erase_intro"), bold()),
    ]));
    for text in [t!(lang, "admin.erase_wipes"), t!(lang, "admin.erase_keeps")] {
        lines.extend(
            wrap(text, cells.saturating_sub(2))
                .into_iter()
                .map(|l| Line::from(format!("  {l}"))),
        );
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        t!(lang, "admin.erased_recent"),
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    )));
    match &p.error {
        Some(e) => lines.push(Line::from(Span::styled(format!("  {e}"), red()))),
        None if p.erased.is_empty() => {
            lines.push(Line::from(Span::styled(
                format!("  {}", t!(lang, "admin.erased_none")),
                dim(),
            )));
        }
        None => {
            for e in &p.erased {
                let at = e.at.with_timezone(&v.tz).format("%Y-%m-%d %H:%M");
                let who = e.actor_name.as_deref().unwrap_or(t!(lang, "admin.nobody"));
                let station = e.station_code.as_deref().unwrap_or("-");
                let what = entry_detail(e.action_kind(), &e.detail, lang);
                lines.push(Line::from(fit(
                    &format!("  {at}  {station}  {who}  {what}"),
                    cells,
                )));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}
