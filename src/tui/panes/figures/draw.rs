//! Drawing the figures pane: the period and station on top, the section
//! tabs, the section's figures with bars for the breakdowns, a sparkline
//! of daily visits, and the dialogs.

use chrono::DateTime;
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};

use super::rows::{self, Item, Section};
use super::{Dialog, FiguresPane, Listed};
use crate::domain::visit::Service;
use crate::i18n::Lang;
use crate::t;
use crate::tui::panes::View;
use crate::tui::panes::schedule::dialog_frame;
use crate::tui::widgets::{centered, fit, pad, width};

/// Cells of a bar at most.
const BAR: usize = 30;

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

fn key() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

fn row(area: Rect, y: u16) -> Rect {
    Rect {
        y: area.y + y,
        height: 1,
        ..area
    }
}

pub(super) fn draw(p: &FiguresPane, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    if area.height < 4 {
        return;
    }
    f.render_widget(
        Paragraph::new(top_line(p, v, area.width as usize)),
        row(area, 0),
    );
    f.render_widget(
        Paragraph::new(tabs_line(p, lang, area.width as usize)),
        row(area, 1),
    );
    let mut body = Rect {
        y: area.y + 2,
        height: area.height - 2,
        ..area
    };
    match &p.figures {
        None => {
            let text = match &p.error {
                Some(e) => Span::styled(e.clone(), Style::new().fg(Color::Red)),
                None => Span::styled(t!(lang, "figures.counting"), dim()),
            };
            f.render_widget(Paragraph::new(Line::from(text)), row(body, 1));
        }
        Some(figures) => {
            if p.section == Section::Visits && body.height >= 14 && figures.visits.daily.len() > 1 {
                let spark = Rect {
                    y: body.y + body.height - 4,
                    height: 4,
                    ..body
                };
                body.height -= 4;
                daily(f, spark, &figures.visits.daily, lang);
            }
            list(p, f, body, lang);
        }
    }
    match &p.dialog {
        Some(Dialog::Range(form)) => {
            let r = centered(area, 64.min(area.width), 8);
            let inner = dialog_frame(f, r, t!(lang, "figures.range_title"));
            form.draw(f, Rect { height: 2, ..inner }, true);
            // The whole refusal under the fields (beside them it is cut).
            let error = (0..2).find_map(|i| form.field(i).error.clone());
            let (text, style) = match &error {
                Some(e) => (e.as_str(), Style::new().fg(Color::Red)),
                None => (t!(lang, "figures.date_hint"), dim()),
            };
            let lines: Vec<Line> = crate::tui::widgets::wrap::wrap(text, inner.width as usize)
                .into_iter()
                .take(3)
                .map(|l| Line::from(Span::styled(l, style)))
                .collect();
            let below = Rect {
                y: inner.y + 3,
                height: inner.height.saturating_sub(3),
                ..inner
            };
            f.render_widget(Paragraph::new(lines), below);
        }
        Some(Dialog::Stations { filter, selected }) => {
            stations(p, f, area, filter, *selected, lang);
        }
        Some(Dialog::Records {
            title,
            listed,
            selected,
            page,
            ..
        }) => {
            let r = Rect {
                x: area.x + 1,
                y: area.y + 1,
                width: area.width.saturating_sub(2),
                height: area.height.saturating_sub(1),
            };
            let inner = dialog_frame(f, r, title);
            page.set(inner.height.saturating_sub(2) as usize);
            records(f, inner, listed, *selected, lang, v.tz);
        }
        None => {}
    }
}

/// Period, station, and whether the figures are being counted.
fn top_line(p: &FiguresPane, v: &View, cells: usize) -> Line<'static> {
    let lang = v.lang;
    let today = v.today();
    let period = p.period_label(lang, today);
    // A period without a name is said once, by its days.
    let range = p.range_text(lang);
    let station = match p.station_of(p.station) {
        Some(s) => format!("{} {}", s.code, s.name),
        None => t!(lang, "figures.all_stations", n = p.stations.len()),
    };
    let mut spans = vec![
        Span::styled(format!("{} ", t!(lang, "figures.period")), dim()),
        Span::styled(period.clone(), bold()),
    ];
    if period != range {
        spans.push(Span::raw(format!(" {range}")));
    }
    spans.push(Span::styled(
        format!("  {} ", t!(lang, "figures.station_is")),
        dim(),
    ));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let state = if p.counting() {
        Some(Span::styled(
            t!(lang, "figures.counting"),
            Style::new().fg(Color::Yellow),
        ))
    } else {
        p.error
            .as_ref()
            .filter(|_| p.figures.is_some())
            .map(|e| Span::styled(e.clone(), Style::new().fg(Color::Red)))
    };
    let state_w = state.as_ref().map_or(0, |s| width(&s.content) + 2);
    let room = cells.saturating_sub(used + state_w);
    spans.push(Span::styled(fit(&station, room), bold()));
    if let Some(s) = state {
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        spans.push(Span::raw(
            " ".repeat(cells.saturating_sub(used + width(&s.content))),
        ));
        spans.push(s);
    }
    Line::from(spans)
}

/// The sections, the shown one marked, and the columns of its breakdown.
fn tabs_line(p: &FiguresPane, lang: Lang, cells: usize) -> Line<'static> {
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
    if let Some(cols) = rows::columns_hint(p.section, lang) {
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        let gap = cells.saturating_sub(used + width(cols));
        if gap > 1 {
            spans.push(Span::raw(" ".repeat(gap)));
            spans.push(Span::styled(cols.to_owned(), dim()));
        }
    }
    Line::from(spans)
}

/// The rows of the section, scrolled to keep the selection in sight.
fn list(p: &FiguresPane, f: &mut Frame, area: Rect, lang: Lang) {
    let items = p.items(lang);
    let rows = area.height as usize;
    if rows == 0 {
        return;
    }
    // When the section is longer than the room, the last row says what
    // is out of sight (as the case detail does).
    let overflow = items.len() > rows && rows > 1;
    let h = if overflow { rows - 1 } else { rows };
    let mut scroll = p.scroll.get();
    if p.selected < scroll {
        scroll = p.selected;
    } else if p.selected >= scroll + h {
        scroll = p.selected + 1 - h;
    }
    p.scroll.set(scroll);
    let value_w = items
        .iter()
        .map(|i| width(&i.value))
        .max()
        .unwrap_or(6)
        .max(6);
    let cells = area.width as usize;
    // Labels are shown whole when the line has room (the bars give way
    // first): a figure's name is never cut while space is left.
    let label_max = cells.saturating_sub(value_w + 8).max(8);
    let label_w = items
        .iter()
        .filter(|i| !i.heading)
        .map(|i| width(&i.label))
        .max()
        .unwrap_or(8)
        .clamp(8, label_max);
    let bar_room = cells.saturating_sub(label_w + value_w + 7).min(BAR);
    for (n, item) in items.iter().enumerate().skip(scroll).take(h) {
        let line = item_line(
            item,
            &items,
            n == p.selected,
            label_w,
            value_w,
            bar_room,
            cells,
        );
        f.render_widget(Paragraph::new(line), row(area, (n - scroll) as u16));
    }
    if overflow {
        let below = items.len().saturating_sub(scroll + h);
        let text = if below > 0 {
            t!(lang, "figures.more_below", n = below)
        } else {
            t!(lang, "figures.more_above", n = scroll)
        };
        f.render_widget(
            Paragraph::new(Span::styled(
                fit(&format!(" {text}"), cells),
                Style::new().fg(Color::Yellow),
            )),
            row(area, h as u16),
        );
    }
}

fn item_line(
    item: &Item,
    items: &[Item],
    selected: bool,
    label_w: usize,
    value_w: usize,
    bar_room: usize,
    cells: usize,
) -> Line<'static> {
    if item.heading {
        return Line::from(Span::styled(
            fit(&item.label, cells),
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ));
    }
    let marker = if selected { "▶ " } else { "  " };
    let label = pad(&fit(&item.label, label_w), label_w);
    let value = fit(&item.value, value_w);
    let value = format!(
        "{}{value}",
        " ".repeat(value_w.saturating_sub(width(&value)))
    );
    let style = if selected {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    };
    let mut spans = vec![
        Span::styled(marker, key()),
        Span::styled(format!("{label}  {value}"), style),
    ];
    if let Some((group, n)) = item.bar {
        let max = rows::group_max(items, group);
        if max > 0 && bar_room > 0 {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                bar(n, max, bar_room),
                Style::new().fg(Color::Green),
            ));
        }
    }
    Line::from(spans)
}

/// A horizontal bar of `n` against `max` in `cells`, in eighths.
fn bar(n: u64, max: u64, cells: usize) -> String {
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = (u128::from(n) * cells as u128 * 8 / u128::from(max.max(1))) as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8 - 1]);
    } else if s.is_empty() && n > 0 {
        s.push('▏');
    }
    s
}

/// Daily visits as a sparkline, with the busiest day.
fn daily(f: &mut Frame, area: Rect, days: &[(chrono::NaiveDate, u64)], lang: Lang) {
    let max = days.iter().max_by_key(|(_, n)| *n);
    let title = match max {
        Some((d, n)) if *n > 0 => t!(
            lang,
            "figures.daily_max",
            day = d.format("%m-%d"),
            n = rows::count(*n)
        ),
        _ => t!(lang, "figure.daily").to_owned(),
    };
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(
            title,
            Style::new().fg(Color::Cyan),
        ))),
        row(area, 0),
    );
    let cells = (area.width as usize).min(days.len());
    // More days than cells: each cell sums its share of days.
    let data: Vec<u64> = (0..cells)
        .map(|c| {
            let a = c * days.len() / cells;
            let b = ((c + 1) * days.len() / cells).max(a + 1);
            days[a..b].iter().map(|(_, n)| n).sum()
        })
        .collect();
    let spark = Rect {
        y: area.y + 1,
        height: 2,
        width: cells as u16,
        ..area
    };
    f.render_widget(
        Sparkline::default()
            .data(&data)
            .style(Style::new().fg(Color::Green)),
        spark,
    );
    if let (Some((first, _)), Some((last, _))) = (days.first(), days.last()) {
        let a = first.format("%m-%d").to_string();
        let b = last.format("%m-%d").to_string();
        let gap = cells.saturating_sub(width(&a) + width(&b));
        let axis = if gap > 0 {
            format!("{a}{}{b}", " ".repeat(gap))
        } else {
            a
        };
        f.render_widget(Paragraph::new(Span::styled(axis, dim())), row(area, 3));
    }
}

fn stations(
    p: &FiguresPane,
    f: &mut Frame,
    area: Rect,
    filter: &crate::tui::widgets::field::Field,
    selected: usize,
    lang: Lang,
) {
    let choices = p.station_choices(filter.text_value());
    let h = area.height.saturating_sub(2).clamp(6, 18);
    let r = centered(area, 56.min(area.width), h);
    let inner = dialog_frame(f, r, t!(lang, "figures.station_title"));
    filter.draw(f, row(inner, 0), width(&filter.label) + 1, true);
    let rows_h = inner.height.saturating_sub(2) as usize;
    let first = selected.saturating_sub(rows_h.saturating_sub(1));
    for (n, s) in choices.iter().enumerate().skip(first).take(rows_h) {
        let text = match s {
            Some(s) => format!("{}  {}", s.code, s.name),
            None => t!(lang, "figures.all_stations", n = p.stations.len()),
        };
        let style = if n == selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let y = (n - first) as u16 + 2;
        f.render_widget(
            Paragraph::new(Span::styled(fit(&text, inner.width as usize), style)),
            row(inner, y),
        );
    }
}

fn records(f: &mut Frame, area: Rect, listed: &Listed, selected: usize, lang: Lang, tz: Tz) {
    let head = if listed.total() > listed.len() as u64 {
        t!(
            lang,
            "figures.records_some",
            n = listed.len(),
            total = rows::count(listed.total())
        )
    } else {
        t!(lang, "figures.records_all", n = rows::count(listed.total()))
    };
    f.render_widget(Paragraph::new(Span::styled(head, dim())), row(area, 0));
    let h = area.height.saturating_sub(2) as usize;
    let first = selected.saturating_sub(h.saturating_sub(1));
    let cells = area.width as usize;
    let lines: Vec<String> = match listed {
        Listed::Visits(p) => p
            .rows
            .iter()
            .skip(first)
            .take(h)
            .map(|r| visit_line(r, lang, tz))
            .collect(),
        Listed::Sessions(p) => p
            .rows
            .iter()
            .skip(first)
            .take(h)
            .map(|r| {
                let person = r.person.as_ref().map_or("-", |(_, n)| n.as_str());
                let kind = r.kind.map_or("", |k| k.label(lang));
                let status = r.status.map_or("?", |s| s.label(lang));
                format!(
                    "{} {}  {}  {}  {}  {}",
                    r.date.format("%m-%d"),
                    r.start,
                    pad(&fit(&r.counsellor, 10), 10),
                    pad(&fit(kind, 8), 8),
                    pad(&fit(person, 10), 10),
                    status
                )
            })
            .collect(),
    };
    for (n, text) in lines.into_iter().enumerate() {
        let style = if first + n == selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        f.render_widget(
            Paragraph::new(Span::styled(fit(&text, cells), style)),
            row(area, n as u16 + 2),
        );
    }
}

fn visit_line(r: &crate::store::figures::records::VisitLine, lang: Lang, tz: Tz) -> String {
    let at: DateTime<Tz> = r.arrived_at.with_timezone(&tz);
    let who = match &r.person {
        Some((_, name)) => name.clone(),
        None => t!(lang, "figures.anonymous_n", n = r.headcount),
    };
    let trade = r.trade.map_or("", |t| t.label(lang));
    let services: Vec<&str> = Service::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| r.services & (1 << i) != 0)
        .map(|(_, s)| s.label(lang))
        .collect();
    format!(
        "{}  {}  {}  {}  {}",
        at.format("%m-%d %H:%M"),
        pad(&fit(&r.station, 6), 6),
        pad(&fit(&who, 12), 12),
        pad(&fit(trade, 10), 10),
        services.join(t!(lang, "figures.list_sep"))
    )
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_in_eighths() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 16, 4), "▎");
        assert_eq!(bar(1, 1000, 4), "▏");
        assert_eq!(bar(0, 10, 4), "");
    }
}
