//! A case's detail: who, against whom, how much, who handles it, when to
//! follow up, and the timeline read from the operation log.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use super::{money_long, overdue_style, staff_name, status_style};
use crate::domain::case::{
    Case, CaseStatus, CaseType, CloseReason, HardshipKind, Outcome, Referral,
};
use crate::domain::ids::{CaseId, PersonId, StaffId};
use crate::domain::money::Fen;
use crate::domain::staff::Staff;
use crate::i18n::Lang;
use crate::store::cases::{TimelineEntry, TimelineEvent};
use crate::store::{Store, StoreError};
use crate::t;
use crate::tui::panes::View;
use crate::tui::widgets::{fit, pad, width};

#[derive(Debug, Clone)]
pub struct Detail {
    pub case: Case,
    /// Current claimants, the first standing for the group.
    pub claimants: Vec<(PersonId, String)>,
    /// Oldest first, as the store gives it.
    pub timeline: Vec<TimelineEntry>,
    /// Timeline lines scrolled past (newest is at the top).
    pub scroll: usize,
}

/// One line of the timeline as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub text: String,
}

/// Case fields the timeline does not show (bookkeeping of the log).
const QUIET_FIELDS: &[&str] = &[
    "concluded_at",
    "opened_at",
    "code",
    "year",
    "seq",
    "station_id",
];

impl Detail {
    pub fn load(store: &Store, id: CaseId) -> Result<Detail, StoreError> {
        let case = store.case(id)?.ok_or(StoreError::NotFound("case"))?;
        Ok(Detail {
            case,
            claimants: store.claimants(id)?,
            timeline: store.case_timeline(id)?,
            scroll: 0,
        })
    }

    /// The timeline, newest first; claimants added together make one line.
    pub fn events(&self, lang: Lang, staff: &[Staff]) -> Vec<Event> {
        let mut out: Vec<Event> = Vec::new();
        // Names of the run of "claimant added" being gathered in `out.last()`.
        let mut added: Vec<String> = Vec::new();
        for e in &self.timeline {
            let text = match &e.event {
                TimelineEvent::ClaimantAdded(name) => {
                    let joins = !added.is_empty()
                        && out.last().is_some_and(|l| {
                            l.actor == e.actor && (e.at - l.at).num_seconds().abs() < 60
                        });
                    if joins {
                        added.push(name.clone());
                        if let Some(last) = out.last_mut() {
                            last.text =
                                t!(lang, "cases.ev_claimants_added", names = added.join("、"));
                        }
                        continue;
                    }
                    added = vec![name.clone()];
                    out.push(Event {
                        at: e.at,
                        actor: e.actor.clone(),
                        text: t!(lang, "cases.ev_claimants_added", names = name),
                    });
                    continue;
                }
                TimelineEvent::Opened => t!(lang, "cases.ev_opened").to_owned(),
                TimelineEvent::Note(body) => {
                    t!(lang, "cases.ev_note", text = body.replace('\n', " "))
                }
                TimelineEvent::ClaimantRemoved(name) => {
                    t!(lang, "cases.ev_claimant_removed", name = name)
                }
                TimelineEvent::Changed { field, value } => {
                    match change_text(field, value, lang, staff) {
                        Some(t) => t,
                        None => continue,
                    }
                }
            };
            added.clear();
            out.push(Event {
                at: e.at,
                actor: e.actor.clone(),
                text,
            });
        }
        out.reverse();
        out
    }

    /// Scrolls the timeline down by `n` lines, not past its end.
    pub fn scroll_by(&mut self, n: usize, lang: Lang, staff: &[Staff]) {
        let len = self.events(lang, staff).len();
        self.scroll = self.scroll.saturating_add(n).min(len.saturating_sub(1));
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View, staff: &[Staff]) {
        let lang = v.lang;
        let cells = area.width as usize;
        let c = &self.case;
        let today = v.today();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let dim = Style::new().fg(Color::DarkGray);
        let mut lines: Vec<Line> = Vec::new();

        // Title: number, type, status; on the right when it was opened.
        let mut kind = c.case_type.label(lang).to_owned();
        if let Some(h) = c.hardship_kind {
            kind = format!("{kind}（{}）", h.label(lang));
        }
        let opened = c.opened_at.with_timezone(&v.tz).date_naive();
        let right = t!(
            lang,
            "cases.d_opened",
            date = opened.format("%Y-%m-%d"),
            n = (today - opened).num_days().max(0)
        );
        let left = vec![
            Span::styled(format!(" {}", c.number), bold),
            Span::raw("  "),
            Span::styled(kind.clone(), bold),
            Span::raw("  "),
            Span::styled(
                format!("[{}]", c.status.label(lang)),
                status_style(c.status).add_modifier(Modifier::BOLD),
            ),
        ];
        let left_w: usize = left.iter().map(|s| width(&s.content)).sum();
        let mut title = left;
        if left_w + width(&right) + 2 <= cells {
            title.push(Span::raw(" ".repeat(cells - left_w - width(&right) - 1)));
            title.push(Span::styled(right, dim));
        }
        lines.push(Line::from(title));

        // Claimants: up to three lines of names.
        let names: Vec<&str> = self.claimants.iter().map(|(_, n)| n.as_str()).collect();
        let head = format!(
            "{}{}",
            t!(lang, "cases.d_claimants", n = names.len()),
            t!(lang, "cases.colon")
        );
        for (i, l) in wrap_names(&head, &names, cells.saturating_sub(1), 3, lang)
            .into_iter()
            .enumerate()
        {
            lines.push(if i == 0 {
                label_line(
                    lang,
                    &head,
                    l.strip_prefix(head.as_str()).unwrap_or(&l),
                    cells,
                )
            } else {
                Line::from(format!(" {l}"))
            });
        }

        let half = cells / 2;
        let respondent = c.respondent.clone().unwrap_or_else(|| "-".into());
        lines.push(pair(
            lang,
            (t!(lang, "cases.d_respondent"), Span::raw(respondent)),
            (
                t!(lang, "cases.d_handler"),
                Span::raw(staff_name(staff, c.handler, lang)),
            ),
            half,
        ));
        lines.push(pair(
            lang,
            (
                t!(lang, "cases.d_claimed"),
                Span::raw(money_long(c.claimed)),
            ),
            (
                t!(lang, "cases.d_recovered"),
                Span::raw(money_long(c.recovered)),
            ),
            half,
        ));
        let follow = match c.follow_up {
            None => Span::raw("-"),
            Some(d) if c.is_overdue(today) => Span::styled(
                t!(
                    lang,
                    "cases.d_overdue",
                    date = d.format("%Y-%m-%d"),
                    n = (today - d).num_days()
                ),
                overdue_style(),
            ),
            Some(d) if d == today => Span::styled(
                t!(lang, "cases.d_due_today", date = d.format("%Y-%m-%d")),
                Style::new().fg(Color::Yellow),
            ),
            Some(d) => Span::raw(d.format("%Y-%m-%d").to_string()),
        };
        let referral = c
            .referral
            .map_or_else(|| "-".to_owned(), |r| r.label(lang).to_owned());
        lines.push(pair(
            lang,
            (t!(lang, "cases.d_follow_up"), follow),
            (t!(lang, "cases.d_referral"), Span::raw(referral)),
            half,
        ));
        if !c.status.is_open() {
            let (label, value) = match c.status {
                CaseStatus::Resolved => (
                    t!(lang, "cases.d_outcome"),
                    c.outcome.map_or("-", |o| o.label(lang)),
                ),
                _ => (
                    t!(lang, "cases.d_close_reason"),
                    c.close_reason.map_or("-", |r| r.label(lang)),
                ),
            };
            let at = c.concluded_at.map_or_else(
                || "-".to_owned(),
                |t| t.with_timezone(&v.tz).format("%Y-%m-%d %H:%M").to_string(),
            );
            lines.push(pair(
                lang,
                (label, Span::raw(value.to_owned())),
                (t!(lang, "cases.d_concluded"), Span::raw(at)),
                half,
            ));
        }
        if let Some(s) = &c.summary {
            lines.push(label_line(
                lang,
                t!(lang, "cases.d_summary"),
                &s.replace('\n', " "),
                cells,
            ));
        }

        // The timeline.
        let events = self.events(lang, staff);
        let head = format!(" ── {} ", t!(lang, "cases.d_timeline", n = events.len()));
        let rule = "─".repeat(cells.saturating_sub(width(&head)));
        lines.push(Line::from(Span::styled(format!("{head}{rule}"), dim)));
        let fixed = lines.len();
        let room = (area.height as usize).saturating_sub(fixed);
        let actor_cells = events
            .iter()
            .filter_map(|e| e.actor.as_deref())
            .map(width)
            .max()
            .unwrap_or(1)
            .clamp(1, 8);
        for e in events.iter().skip(self.scroll).take(room) {
            let at =
                e.at.with_timezone(&v.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string();
            let actor = pad(e.actor.as_deref().unwrap_or("-"), actor_cells);
            let used = width(&at) + actor_cells + 4;
            lines.push(Line::from(vec![
                Span::styled(format!(" {at} "), dim),
                Span::raw(format!("{actor}  ")),
                Span::raw(fit(&e.text, cells.saturating_sub(used))),
            ]));
        }
        if events.is_empty() && room > 0 {
            lines.push(Line::from(Span::styled(
                format!(" {}", t!(lang, "cases.d_no_events")),
                dim,
            )));
        }
        f.render_widget(Paragraph::new(lines), area);
    }
}

/// "Label: value" on one line, cut to `cells`.
fn label_line(lang: Lang, label: &str, value: &str, cells: usize) -> Line<'static> {
    let colon = t!(lang, "cases.colon");
    let label = if label.ends_with(colon) {
        format!(" {label}")
    } else {
        format!(" {label}{colon}")
    };
    let room = cells.saturating_sub(width(&label));
    Line::from(vec![
        Span::styled(label, Style::new().fg(Color::Gray)),
        Span::raw(fit(value, room)),
    ])
}

/// Two "label: value" halves on one line.
fn pair(
    lang: Lang,
    a: (&str, Span<'static>),
    b: (&str, Span<'static>),
    half: usize,
) -> Line<'static> {
    let colon = t!(lang, "cases.colon");
    let a_label = format!(" {}{colon}", a.0);
    let a_room = half.saturating_sub(width(&a_label) + 1);
    let a_value = fit(&a.1.content, a_room);
    let fill = half.saturating_sub(width(&a_label) + width(&a_value));
    let b_label = format!("{}{colon}", b.0);
    let b_room = half.saturating_sub(width(&b_label) + 1);
    let b_value = fit(&b.1.content, b_room);
    Line::from(vec![
        Span::styled(a_label, Style::new().fg(Color::Gray)),
        Span::styled(a_value, a.1.style),
        Span::raw(" ".repeat(fill)),
        Span::styled(b_label, Style::new().fg(Color::Gray)),
        Span::styled(b_value, b.1.style),
    ])
}

/// `head` then the names joined with 、, wrapped into at most `max_lines`
/// lines of `cells`; what does not fit ends as "… (n more)".
pub fn wrap_names(
    head: &str,
    names: &[&str],
    cells: usize,
    max_lines: usize,
    lang: Lang,
) -> Vec<String> {
    let mut lines = vec![head.to_owned()];
    for (i, n) in names.iter().enumerate() {
        let sep = if i + 1 < names.len() { "、" } else { "" };
        let piece = format!("{n}{sep}");
        let Some(cur) = lines.last_mut() else { break };
        if width(cur) + width(&piece) <= cells || width(cur) == 0 {
            cur.push_str(&piece);
            continue;
        }
        if lines.len() == max_lines {
            let more = t!(lang, "cases.d_more", n = names.len() - i);
            if let Some(cur) = lines.last_mut() {
                while width(cur) + width(&more) > cells && cur.pop().is_some() {}
                cur.push_str(&more);
            }
            return lines;
        }
        lines.push(piece);
    }
    lines
}

/// A change of one case field as a line of the timeline; `None` for
/// fields that are not shown.
fn change_text(field: &str, value: &Value, lang: Lang, staff: &[Staff]) -> Option<String> {
    if QUIET_FIELDS.contains(&field) {
        return None;
    }
    let label = match field {
        "status" => t!(lang, "cases.d_status"),
        "case_type" => t!(lang, "cases.d_type"),
        "hardship_kind" => t!(lang, "cases.d_hardship"),
        "summary" => t!(lang, "cases.d_summary"),
        "respondent" => t!(lang, "cases.d_respondent"),
        "claimed" => t!(lang, "cases.d_claimed"),
        "recovered" => t!(lang, "cases.d_recovered"),
        "handler" => t!(lang, "cases.d_handler"),
        "follow_up" => t!(lang, "cases.d_follow_up"),
        "referral" => t!(lang, "cases.d_referral"),
        "outcome" => t!(lang, "cases.d_outcome"),
        "close_reason" => t!(lang, "cases.d_close_reason"),
        _ => return None,
    };
    let label = label.trim_end_matches(['：', ':', ' ']);
    let code = value.as_str().unwrap_or("");
    let shown = if value.is_null() {
        t!(lang, "cases.ev_cleared").to_owned()
    } else {
        match field {
            "status" => CaseStatus::from_code(code)
                .map_or(code, |s| s.label(lang))
                .to_owned(),
            "case_type" => CaseType::from_code(code)
                .map_or(code, |s| s.label(lang))
                .to_owned(),
            "hardship_kind" => HardshipKind::from_code(code)
                .map_or(code, |s| s.label(lang))
                .to_owned(),
            "referral" => Referral::from_code(code)
                .map_or(code, |s| s.label(lang))
                .to_owned(),
            "outcome" => Outcome::from_code(code)
                .map_or(code, |s| s.label(lang))
                .to_owned(),
            "close_reason" => CloseReason::from_code(code)
                .map_or(code, |s| s.label(lang))
                .to_owned(),
            "claimed" | "recovered" => money_long(Fen(value.as_i64().unwrap_or(0))),
            "handler" => staff_name(staff, uuid::Uuid::parse_str(code).ok().map(StaffId), lang),
            _ => code.replace('\n', " "),
        }
    };
    Some(t!(lang, "cases.ev_changed", field = label, value = shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_wrap_and_say_how_many_are_left_out() {
        let names = ["张三", "李四", "王五", "赵六", "钱七"];
        let l = wrap_names("申请人：", &names, 16, 2, Lang::ZhCn);
        assert_eq!(l.len(), 2);
        assert!(l.iter().all(|x| width(x) <= 16));
        assert!(l[1].contains('等'));
        let all = wrap_names("申请人：", &names[..2], 40, 3, Lang::ZhCn);
        assert_eq!(all, vec!["申请人：张三、李四".to_owned()]);
    }

    #[test]
    fn changes_name_field_and_value_and_skip_bookkeeping() {
        let s = change_text("status", &Value::from("resolved"), Lang::En, &[]).unwrap();
        assert!(s.contains("Resolved"));
        let m = change_text("recovered", &Value::from(500_000), Lang::ZhCn, &[]).unwrap();
        assert!(m.contains("¥5,000.00"));
        assert!(change_text("concluded_at", &Value::from(1), Lang::En, &[]).is_none());
        let h = change_text("handler", &Value::Null, Lang::En, &[]).unwrap();
        assert!(h.contains(t!(Lang::En, "cases.ev_cleared")), "{h}");
    }
}
