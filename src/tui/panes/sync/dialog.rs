//! The sync pane's dialogs: the passphrase, creating the district's
//! network, deciding a conflict.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw::{bold, dim, red, row, wrapped};
use super::{Dialog, Secret, SyncPane};
use crate::t;
use crate::tui::panes::View;
use crate::tui::panes::schedule::dialog_frame;
use crate::tui::widgets::{centered, pad, width};
use crate::words::sync as words;

pub(super) fn draw_dialog(p: &SyncPane, f: &mut Frame, area: Rect, d: &Dialog, v: &View) {
    let lang = v.lang;
    let dw = area.width.saturating_sub(4).min(72);
    let inner_w = usize::from(dw.saturating_sub(2));
    match d {
        Dialog::Passphrase { input, error } => {
            let mut lines: Vec<Line> = Vec::new();
            let folder = t!(
                lang,
                "sync.secret_folder",
                folder = p.folder.text_value().trim()
            );
            lines.extend(wrapped(&folder, inner_w, 0, Style::new()));
            let about = if p.network.joined {
                t!(lang, "sync.secret_about_joined")
            } else {
                t!(lang, "sync.secret_about_new")
            };
            lines.extend(wrapped(about, inner_w, 0, dim()));
            lines.push(Line::from(""));
            let field_at = lines.len();
            lines.push(Line::from(""));
            if let Some(e) = error {
                lines.extend(wrapped(
                    &format!("✗ {e}"),
                    inner_w,
                    0,
                    red().add_modifier(Modifier::BOLD),
                ));
            }
            lines.push(Line::from(""));
            lines.extend(wrapped(t!(lang, "sync.secret_kept"), inner_w, 0, dim()));
            lines.push(Line::from(Span::styled(
                t!(lang, "sync.secret_keys"),
                Style::new().fg(Color::Yellow),
            )));
            let r = centered(area, dw, lines.len() as u16 + 2);
            let inner = dialog_frame(f, r, t!(lang, "sync.secret_title"));
            f.render_widget(Paragraph::new(lines), inner);
            if let Some(fr) = row(inner, field_at as u16) {
                draw_secret(f, fr, input, t!(lang, "sync.f_secret"), v.focused);
            }
        }
        Dialog::Create {
            pass,
            again,
            second,
            error,
        } => {
            let mut lines: Vec<Line> = Vec::new();
            let folder = t!(
                lang,
                "sync.secret_folder",
                folder = p.folder.text_value().trim()
            );
            lines.extend(wrapped(&folder, inner_w, 0, Style::new()));
            lines.extend(wrapped(t!(lang, "sync.create_about"), inner_w, 0, bold()));
            lines.extend(wrapped(
                t!(lang, "sync.create_join"),
                inner_w,
                0,
                Style::new(),
            ));
            lines.extend(wrapped(
                t!(lang, "sync.create_warn"),
                inner_w,
                0,
                Style::new().fg(Color::Yellow),
            ));
            lines.push(Line::from(""));
            let field_at = lines.len();
            if p.network.given {
                lines.push(Line::from(Span::styled(t!(lang, "sync.pass_given"), dim())));
            } else {
                lines.push(Line::from(""));
                lines.push(Line::from(""));
            }
            if let Some(e) = error {
                lines.extend(wrapped(
                    &format!("✗ {e}"),
                    inner_w,
                    0,
                    red().add_modifier(Modifier::BOLD),
                ));
            }
            lines.push(Line::from(""));
            let keys = if p.network.given {
                t!(lang, "sync.create_keys_given")
            } else {
                t!(lang, "sync.create_keys")
            };
            lines.push(Line::from(Span::styled(
                keys,
                Style::new().fg(Color::Yellow),
            )));
            let r = centered(area, dw, lines.len() as u16 + 2);
            let inner = dialog_frame(f, r, t!(lang, "sync.create_title"));
            f.render_widget(Paragraph::new(lines), inner);
            if !p.network.given {
                let labels = [t!(lang, "sync.f_secret"), t!(lang, "sync.f_again")];
                let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(0);
                for (i, (input, label)) in [pass, again].into_iter().zip(labels).enumerate() {
                    if let Some(fr) = row(inner, (field_at + i) as u16) {
                        let focused = v.focused && *second == (i == 1);
                        draw_secret(f, fr, input, &pad(label, label_w), focused);
                    }
                }
            }
        }
        Dialog::AcceptHeld { n } => super::held::draw_dialog(f, area, *n, v),
        Dialog::Confirm { entry, action, .. } => {
            let mut lines: Vec<Line> = Vec::new();
            lines.extend(wrapped(&words::title(entry, lang), inner_w, 0, bold()));
            for d in words::details(entry, lang, v.tz) {
                lines.extend(wrapped(&d, inner_w, 0, Style::new()));
            }
            lines.push(Line::from(""));
            lines.extend(wrapped(
                &t!(lang, "sync.confirm_q", action = action),
                inner_w,
                0,
                Style::new(),
            ));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                t!(lang, "sync.confirm_keys", action = action),
                Style::new().fg(Color::Yellow),
            )));
            let r = centered(area, dw, lines.len() as u16 + 2);
            let inner = dialog_frame(f, r, t!(lang, "sync.confirm_title"));
            f.render_widget(Paragraph::new(lines), inner);
        }
    }
}

/// The passphrase field: one `*` a character, the terminal cursor at the
/// caret.
fn draw_secret(f: &mut Frame, r: Rect, input: &Secret, label: &str, focused: bool) {
    let lead = width(label) + 1;
    let cells = (r.width as usize).saturating_sub(lead).clamp(1, 32);
    let n = input.0.value().chars().count();
    let caret = input.0.cursor().min(n);
    let scroll = caret.saturating_sub(cells - 1);
    let shown = "*".repeat(n.saturating_sub(scroll).min(cells));
    let line = Line::from(vec![
        Span::styled(format!("{label} "), bold()),
        Span::styled(
            pad(&shown, cells),
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
        ),
    ]);
    f.render_widget(Paragraph::new(line), r);
    if focused {
        let x = (lead + caret - scroll).min(r.width.saturating_sub(1) as usize);
        f.set_cursor_position((r.x + x as u16, r.y));
    }
}
