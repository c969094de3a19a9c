//! Drawing the sync pane: the folder and the network on top, the last
//! sync's summary (or its progress), the conflicts list with the selected
//! entry's details (the dialogs over it: dialog.rs).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::job::{Progress, Stage};
use super::{CREATE_KEY, Focus, KEEP_KEY, Last, OTHER_KEY, RUN_KEY, SyncPane};
use crate::i18n::{Lang, Localized};
use crate::t;
use crate::tui::panes::View;
use crate::tui::widgets::wrap::wrap;
use crate::tui::widgets::{fit, pad, width};
use crate::words::sync as words;

/// Cells of the progress bar at most.
const BAR: usize = 40;

pub(super) fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub(super) fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub(super) fn red() -> Style {
    Style::new().fg(Color::Red)
}

/// `text` wrapped into `cells`, each line indented by `indent` spaces.
pub(super) fn wrapped(text: &str, cells: usize, indent: usize, style: Style) -> Vec<Line<'static>> {
    wrap(text, cells.saturating_sub(indent))
        .into_iter()
        .map(|l| Line::from(Span::styled(format!("{}{l}", " ".repeat(indent)), style)))
        .collect()
}

/// One row of `area`, from `y` (relative), if it is inside.
pub(super) fn row(area: Rect, y: u16) -> Option<Rect> {
    (y < area.height).then(|| Rect {
        y: area.y + y,
        height: 1,
        ..area
    })
}

pub(super) fn draw(p: &SyncPane, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let w = area.width as usize;
    let label_cells = width(t!(lang, "sync.f_folder")).max(width(t!(lang, "sync.f_network")));

    // The folder field and the network.
    let focused = p.focus == Focus::Folder && p.dialog.is_none();
    // A refusal of the folder too long for its row wraps under it.
    let folder_h = p
        .folder
        .height(w.saturating_sub(2), label_cells)
        .min(area.height.saturating_sub(1).max(1));
    if let Some(r) = row(area, 0) {
        let mark = if focused { "▸ " } else { "  " };
        f.render_widget(Paragraph::new(Span::styled(mark, bold())), r);
        let field = Rect {
            x: r.x + 2,
            width: r.width.saturating_sub(2),
            height: folder_h,
            ..r
        };
        p.folder.draw(f, field, label_cells, focused && v.focused);
    }
    if let Some(r) = row(area, folder_h) {
        let line = Line::from(vec![
            Span::raw(format!(
                "  {} ",
                pad(t!(lang, "sync.f_network"), label_cells)
            )),
            Span::raw(fit(
                &network_words(p, lang),
                w.saturating_sub(label_cells + 3),
            )),
        ]);
        f.render_widget(Paragraph::new(line), r);
    }

    // The summary, or the progress.
    let h = area.height;
    let cap = if h >= 30 { 10 } else { 5 };
    let mut top = summary_lines(p, lang, w, v);
    if top.len() > cap + 1 {
        let more = top.len() - cap;
        top.truncate(cap);
        top.push(Line::from(Span::styled(
            format!("  {}", t!(lang, "sync.more", n = more)),
            dim(),
        )));
    }
    // Operations held apart, when there are any (`held.rs`).
    top.extend(super::held::lines(p, w, v));
    top.extend(super::held::split_lines(p, w, v));
    let mut y = folder_h + 2;
    for line in top {
        if let Some(r) = row(area, y) {
            f.render_widget(Paragraph::new(line), r);
        }
        y += 1;
    }
    y += 1;
    draw_conflicts(p, f, area, y, v);

    if let Some(d) = &p.dialog {
        super::dialog::draw_dialog(p, f, area, d, v);
    }
}

fn network_words(p: &SyncPane, lang: Lang) -> String {
    let n = p.network;
    if !n.joined {
        return t!(lang, "sync.net_none").to_owned();
    }
    let pass = if n.given {
        t!(lang, "sync.pass_given")
    } else if n.kept {
        t!(lang, "sync.pass_kept")
    } else {
        t!(lang, "sync.pass_asked")
    };
    format!("{} · {pass}", t!(lang, "sync.net_joined"))
}

/// The heading and lines of the last sync, or of the one running.
fn summary_lines(p: &SyncPane, lang: Lang, w: usize, v: &View) -> Vec<Line<'static>> {
    let at = |t: &chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&v.tz).format("%Y-%m-%d %H:%M").to_string()
    };
    let mut out = Vec::new();
    let head = |text: String| Line::from(Span::styled(fit(&text, w), bold()));
    if let Some(run) = &p.running {
        out.push(head(t!(lang, "sync.running_head", folder = run.folder)));
        out.push(Line::from(format!(
            "  {}",
            progress_words(run.progress, lang)
        )));
        out.push(Line::from(Span::styled(
            format!("  {}", bar(run.progress, w.saturating_sub(2).min(BAR))),
            Style::new().fg(Color::Cyan),
        )));
        return out;
    }
    // The heading of a sync of this session: when, and which folder.
    let head_at = |t: &chrono::DateTime<chrono::Utc>, folder: &str| {
        head(t!(lang, "sync.last_head_at", at = at(t), folder = folder))
    };
    match &p.last {
        None => {
            out.push(head(t!(lang, "sync.last_head").to_owned()));
            out.extend(wrapped(&t!(lang, "sync.never", key = RUN_KEY), w, 2, dim()));
            // Not in a network yet: a sync joins the folder's; creating
            // one is the district office's, once.
            if !p.network.joined {
                let hint = if p.network.may_create {
                    t!(lang, "sync.unjoined_admin", key = CREATE_KEY)
                } else {
                    t!(lang, "sync.unjoined").to_owned()
                };
                out.extend(wrapped(&hint, w, 2, dim()));
            }
        }
        Some(Last::Earlier { at: t }) => {
            let days = (v.today() - t.with_timezone(&v.tz).date_naive()).num_days();
            out.push(head(t!(lang, "sync.last_earlier", at = at(t), days = days)));
            // A stick carried rarely is worth a reminder.
            let style = if days >= 7 { red() } else { dim() };
            out.extend(wrapped(&t!(lang, "sync.again", key = RUN_KEY), w, 2, style));
        }
        Some(Last::Failed {
            message,
            folder,
            at: t,
        }) => {
            out.push(head_at(t, folder));
            out.extend(wrapped(
                &t!(lang, "sync.failed", why = message),
                w,
                2,
                red().add_modifier(Modifier::BOLD),
            ));
        }
        Some(Last::Done {
            outcome,
            folder,
            at: t,
        }) => {
            out.push(head_at(t, folder));
            let r = &outcome.report;
            let mut say = |text: String, style: Style| out.extend(wrapped(&text, w, 2, style));
            if outcome.created_network {
                say(t!(lang, "sync.created").to_owned(), Style::new());
            } else if outcome.joined {
                say(t!(lang, "sync.joined").to_owned(), Style::new());
            }
            if outcome.left_files_removed > 0 {
                say(
                    t!(
                        lang,
                        "sync.left_files_removed",
                        n = outcome.left_files_removed
                    ),
                    Style::new(),
                );
            }
            if outcome.new_replica {
                say(t!(lang, "sync.new_replica").to_owned(), Style::new());
            }
            if outcome.copied {
                say(t!(lang, "sync.copied").to_owned(), Style::new());
            }
            for s in &r.splits {
                say(crate::words::sync::split(s, lang), red());
            }
            let counts = if r.files_read + r.files_written == 0 && r.refused.is_empty() {
                t!(lang, "sync.nothing_new").to_owned()
            } else {
                t!(
                    lang,
                    "sync.counts",
                    read = r.files_read,
                    applied = r.ops_applied,
                    written = r.files_written,
                    ops = r.ops_written
                )
            };
            say(counts, Style::new());
            if r.waiting > 0 {
                say(t!(lang, "sync.waiting", n = r.waiting), Style::new());
            }
            let conflicts = match outcome.conflicts {
                0 => t!(lang, "sync.no_conflicts_after").to_owned(),
                n => t!(lang, "sync.conflicts_after", n = n),
            };
            say(conflicts, Style::new());
            if r.files_repaired > 0 {
                say(
                    t!(lang, "sync.repaired", n = r.files_repaired),
                    Style::new(),
                );
            }
            if r.temp_removed > 0 {
                say(
                    t!(lang, "sync.temp_removed", n = r.temp_removed),
                    Style::new(),
                );
            }
            // Paths inside the folder (made so when the sync ended). Those
            // whose records are here anyway are said apart, not in red.
            for f in &r.refused {
                let (file, why) = (f.path.display(), f.why.localized(lang));
                if f.needed {
                    say(t!(lang, "sync.refused", file = file, why = why), red());
                } else {
                    say(
                        t!(lang, "sync.skipped", file = file, why = why),
                        Style::new(),
                    );
                }
            }
        }
    }
    out
}

/// "读入 3/10 个文件".
fn progress_words(p: Progress, lang: Lang) -> String {
    match p.stage {
        Stage::Start => t!(lang, "sync.stage_start").to_owned(),
        Stage::Read => t!(lang, "sync.stage_read", done = p.done, total = p.total),
        Stage::Write => t!(lang, "sync.stage_write", done = p.done, total = p.total),
    }
}

/// A bar of `cells`, filled as far as the stage is, with the percentage.
fn bar(p: Progress, cells: usize) -> String {
    let cells = cells.saturating_sub(5).max(1);
    let ratio = if p.total == 0 {
        0.0
    } else {
        (p.done.min(p.total) as f64) / (p.total as f64)
    };
    let full = ((cells as f64) * ratio).round() as usize;
    format!(
        "{}{} {:>3}%",
        "█".repeat(full),
        "░".repeat(cells - full.min(cells)),
        (ratio * 100.0).round() as u32
    )
}

/// The conflicts list from row `y` of `area`, the selected entry's
/// details under it.
fn draw_conflicts(p: &SyncPane, f: &mut Frame, area: Rect, y: u16, v: &View) {
    let lang = v.lang;
    let w = area.width as usize;
    let Some(r) = row(area, y) else { return };
    let n = p.conflicts.len();
    let head = if n == 0 {
        t!(lang, "sync.conflicts_head").to_owned()
    } else {
        t!(lang, "sync.conflicts_head_n", n = n)
    };
    f.render_widget(Paragraph::new(Span::styled(fit(&head, w), bold())), r);
    let Some(current) = p.current() else {
        if let Some(r) = row(area, y + 1) {
            let text = fit(t!(lang, "sync.no_conflicts"), w.saturating_sub(2));
            f.render_widget(Paragraph::new(Span::styled(format!("  {text}"), dim())), r);
        }
        return;
    };
    // The details: what stands, what lost, what each key does.
    let mut details: Vec<Line> = Vec::new();
    for d in words::details(current, lang, v.tz) {
        details.extend(wrapped(&d, w, 2, Style::new()));
    }
    let mut choices = Vec::new();
    for (key, words) in [
        (OTHER_KEY, words::other_action(current, lang)),
        (KEEP_KEY, words::keep_action(current, lang)),
    ] {
        if let Some(words) = words {
            choices.push(Span::styled(format!("  {key}"), bold().fg(Color::Yellow)));
            choices.push(Span::raw(format!(" {words}")));
        }
    }
    if !choices.is_empty() {
        details.push(Line::from(choices));
    }
    let left = area.height.saturating_sub(y + 1);
    // At least three rows of the list; the details (under a rule) take
    // what they need of the rest, right under the entries.
    let details_h = (details.len() as u16 + 1).min(left.saturating_sub(3));
    let list_h = (n as u16).min(left.saturating_sub(details_h)).max(1);
    let first = p
        .selected
        .saturating_sub(usize::from(list_h).saturating_sub(1));
    let active = p.focus == Focus::List && p.dialog.is_none();
    for (i, entry) in p
        .conflicts
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(list_h))
    {
        let Some(r) = row(area, y + 1 + (i - first) as u16) else {
            break;
        };
        let selected = i == p.selected;
        let mark = if selected { "›" } else { " " };
        let text = pad(&format!("{mark} {}", words::title(entry, lang)), w);
        let style = match (selected, active) {
            (true, true) => Style::new().add_modifier(Modifier::REVERSED),
            (true, false) => Style::new().add_modifier(Modifier::UNDERLINED),
            _ => Style::new(),
        };
        f.render_widget(Paragraph::new(Span::styled(text, style)), r);
    }
    if details_h == 0 {
        return;
    }
    let top = y + 1 + list_h;
    if let Some(r) = row(area, top) {
        f.render_widget(Paragraph::new(Span::styled("─".repeat(w), dim())), r);
    }
    for (k, line) in details
        .into_iter()
        .enumerate()
        .take(usize::from(details_h) - 1)
    {
        if let Some(r) = row(area, top + 1 + k as u16) {
            f.render_widget(Paragraph::new(line), r);
        }
    }
}
