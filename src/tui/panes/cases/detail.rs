//! A case's detail: who, against whom, how much, who handles it, when to
//! follow up, and the timeline read from the operation log.

use std::cell::Cell;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::{Map, Value};

use super::{money_long, overdue_style, staff_name, status_style};
use crate::domain::case::{
    Case, CaseStatus, CaseType, CloseReason, HardshipKind, Outcome, Referral,
};
use crate::domain::ids::{CaseId, PersonId, StaffId};
use crate::domain::money::Fen;
use crate::domain::staff::Staff;
use crate::i18n::Lang;
use crate::store::{Store, StoreError};
use crate::store::{TimelineEntry, TimelineEvent};
use crate::t;
use crate::tui::panes::View;
use crate::tui::widgets::wrap::wrap;
use crate::tui::widgets::{fit, pad, width};

#[derive(Debug, Clone)]
pub struct Detail {
    pub case: Case,
    /// Current claimants, the first standing for the group.
    pub claimants: Vec<(PersonId, String)>,
    /// The same, with each one's own amounts.
    pub owed: Vec<crate::store::Claimant>,
    /// Oldest first, as the store gives it.
    pub timeline: Vec<TimelineEntry>,
    /// The fields the case was opened with, as logged.
    pub opening: Map<String, Value>,
    /// Its referrals, escalations and hand-overs, oldest first.
    pub handoffs: Vec<crate::store::Handoff>,
    /// What its statutory time limits are worked out from.
    pub facts: crate::domain::limits::Facts,
    /// Lines of the detail scrolled past (the title stays on top).
    pub scroll: usize,
    /// The most the detail can scroll, and the rows it shows, as last
    /// drawn (the keys that scroll need them; drawing sets them).
    max_scroll: Cell<usize>,
    page: Cell<usize>,
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

/// The fields of the opening shown in its line of the timeline, in order.
const OPENING_SHOWN: &[&str] = &["handler", "follow_up", "claimed", "respondent"];

impl Detail {
    pub fn load(store: &Store, id: CaseId) -> Result<Detail, StoreError> {
        let case = store.case(id)?.ok_or(StoreError::NotFound("case"))?;
        let facts = store.limit_facts(&case)?;
        Ok(Detail {
            facts,
            case,
            claimants: store.claimants(id)?,
            owed: store.claimants_owed(id)?,
            timeline: store.case_timeline(id)?,
            opening: store.case_opening(id)?,
            handoffs: store.handoffs_of(id)?,
            scroll: 0,
            max_scroll: Cell::new(0),
            page: Cell::new(10),
        })
    }

    /// The timeline, newest first; claimants added together make one line;
    /// a change that sets a field to the value it already had is left out.
    pub fn events(&self, lang: Lang, staff: &[Staff]) -> Vec<Event> {
        let sep = t!(lang, "cases.name_sep");
        let mut out: Vec<Event> = Vec::new();
        // Names of the run of "claimant added" being gathered in `out.last()`.
        let mut added: Vec<String> = Vec::new();
        // The run of claimants' amounts being gathered in `out.last()`,
        // and whose they are (a claimant changed twice starts a new line).
        let mut amounts: Vec<String> = Vec::new();
        let mut amount_names: Vec<&str> = Vec::new();
        // The value of each field as of the entry read.
        let mut known: HashMap<&str, &Value> =
            self.opening.iter().map(|(k, v)| (k.as_str(), v)).collect();
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
                                t!(lang, "cases.ev_claimants_added", names = added.join(sep));
                        }
                        continue;
                    }
                    amounts.clear();
                    added = vec![name.clone()];
                    out.push(Event {
                        at: e.at,
                        actor: e.actor.clone(),
                        text: t!(lang, "cases.ev_claimants_added", names = name),
                    });
                    continue;
                }
                TimelineEvent::ClaimantAmounts {
                    name,
                    claimed,
                    recovered,
                } => {
                    let mut what = Vec::new();
                    let shown = |f: &Option<Fen>| f.map_or("—".to_owned(), money_long);
                    if let Some(c) = claimed {
                        what.push(t!(lang, "cases.ev_owed_claimed", amount = shown(c)));
                    }
                    if let Some(r) = recovered {
                        what.push(t!(lang, "cases.ev_owed_recovered", amount = shown(r)));
                    }
                    let item = t!(
                        lang,
                        "cases.ev_owed_item",
                        name = name,
                        what = what.join(sep)
                    );
                    let joins = !amounts.is_empty()
                        && !amount_names.contains(&name.as_str())
                        && out.last().is_some_and(|l| {
                            l.actor == e.actor && (e.at - l.at).num_seconds().abs() < 60
                        });
                    added.clear();
                    if joins {
                        amounts.push(item);
                        amount_names.push(name);
                        if let Some(last) = out.last_mut() {
                            last.text = t!(
                                lang,
                                "cases.ev_claimant_amounts",
                                list = amounts.join(t!(lang, "cases.item_sep"))
                            );
                        }
                        continue;
                    }
                    amounts = vec![item];
                    amount_names = vec![name];
                    out.push(Event {
                        at: e.at,
                        actor: e.actor.clone(),
                        text: t!(lang, "cases.ev_claimant_amounts", list = amounts[0]),
                    });
                    continue;
                }
                TimelineEvent::Handoff {
                    handoff,
                    status,
                    reason,
                    outcome,
                    result,
                    due,
                } => crate::words::handoff::event(
                    lang,
                    crate::words::handoff::Event {
                        kind: handoff.kind,
                        whereto: &handoff.whereto(lang),
                        status: *status,
                        reason: reason.as_deref(),
                        outcome: *outcome,
                        result: result.as_deref(),
                        due: *due,
                    },
                ),
                TimelineEvent::Opened => self.opened_text(lang, staff),
                TimelineEvent::Note(body) => t!(lang, "cases.ev_note", text = body),
                TimelineEvent::ClaimantRemoved(name) => {
                    t!(lang, "cases.ev_claimant_removed", name = name)
                }
                TimelineEvent::Changed { field, value } => {
                    if known.insert(field.as_str(), value) == Some(value) {
                        continue;
                    }
                    // A referral record says where the case went, and
                    // more: the case's own field repeats it.
                    if field == "referral" && !self.handoffs.is_empty() {
                        continue;
                    }
                    match change_text(field, value, lang, staff) {
                        Some(t) => t,
                        None => continue,
                    }
                }
            };
            added.clear();
            amounts.clear();
            out.push(Event {
                at: e.at,
                actor: e.actor.clone(),
                text,
            });
        }
        out.reverse();
        out
    }

    /// "Case opened", with the handler, follow-up, amount and respondent it
    /// was opened with.
    fn opened_text(&self, lang: Lang, staff: &[Staff]) -> String {
        let parts: Vec<String> = OPENING_SHOWN
            .iter()
            .filter_map(|f| {
                let v = self.opening.get(*f)?;
                if v.is_null() || v.as_i64() == Some(0) || v.as_str() == Some("") {
                    return None;
                }
                let (label, value) = field_text(f, v, lang, staff)?;
                Some(t!(
                    lang,
                    "cases.ev_opened_field",
                    field = label,
                    value = value
                ))
            })
            .collect();
        if parts.is_empty() {
            t!(lang, "cases.ev_opened").to_owned()
        } else {
            t!(
                lang,
                "cases.ev_opened_with",
                details = parts.join(t!(lang, "cases.list_sep"))
            )
        }
    }

    /// Scrolls down by `n` lines, not past the end of the detail.
    pub fn scroll_down(&mut self, n: usize) {
        self.scroll = self.scroll.saturating_add(n).min(self.max_scroll.get());
    }

    /// Scrolls to the end of the detail.
    pub fn scroll_end(&mut self) {
        self.scroll = self.max_scroll.get();
    }

    /// Rows a page scrolls.
    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View, staff: &[Staff]) {
        if area.height == 0 {
            return;
        }
        let lang = v.lang;
        let cells = area.width as usize;
        let c = &self.case;
        let today = v.today();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let dim = Style::new().fg(Color::DarkGray);

        // Title: number, type, status; on the right when it was opened. It
        // stays on top; what is below scrolls.
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
        f.render_widget(
            Paragraph::new(Line::from(title)),
            Rect { height: 1, ..area },
        );

        let body = self.body(v, staff, cells);
        let rows = (area.height - 1) as usize;
        let max = body.len().saturating_sub(rows);
        self.max_scroll.set(max);
        self.page.set(rows.saturating_sub(1).max(1));
        let scroll = self.scroll.min(max);
        let mut shown: Vec<Line> = body.into_iter().skip(scroll).take(rows).collect();
        if scroll < max {
            // The last row says how much is below (it is counted in it).
            let below = max - scroll + 1;
            shown.pop();
            shown.push(Line::from(Span::styled(
                fit(
                    &format!(" {}", t!(lang, "cases.d_more_below", n = below)),
                    cells,
                ),
                Style::new().fg(Color::Yellow),
            )));
        }
        f.render_widget(
            Paragraph::new(shown),
            Rect {
                y: area.y + 1,
                height: area.height - 1,
                ..area
            },
        );
    }

    /// Everything under the title, wrapped to `cells`: claimants, the facts,
    /// the summary and the timeline.
    fn body(&self, v: &View, staff: &[Staff], cells: usize) -> Vec<Line<'static>> {
        let lang = v.lang;
        let c = &self.case;
        let today = v.today();
        let dim = Style::new().fg(Color::DarkGray);
        let mut lines: Vec<Line<'static>> = Vec::new();

        // Claimants: every name, on as many lines as it takes, each with
        // his own amounts (claimed/recovered) where they are kept.
        let each = self
            .owed
            .iter()
            .any(|k| k.claimed.is_some() || k.recovered.is_some());
        let labels: Vec<String> = self
            .owed
            .iter()
            .map(|k| {
                let name = crate::i18n::catalogue::person_name(&k.name, lang);
                if !each {
                    return name.to_owned();
                }
                let mut s = format!("{name} {}", k.claimed.unwrap_or_default().yuan_string());
                if let Some(r) = k.recovered {
                    s.push('/');
                    s.push_str(&r.yuan_string());
                }
                s
            })
            .collect();
        let names: Vec<&str> = labels.iter().map(String::as_str).collect();
        let head = format!(
            "{}{}",
            if each {
                t!(lang, "cases.d_claimants_owed", n = names.len())
            } else {
                t!(lang, "cases.d_claimants", n = names.len())
            },
            t!(lang, "cases.colon")
        );
        for (i, l) in wrap_names(&head, &names, cells.saturating_sub(1), usize::MAX, lang)
            .into_iter()
            .enumerate()
        {
            lines.push(if i == 0 {
                Line::from(vec![
                    Span::styled(format!(" {head}"), label_style()),
                    Span::raw(l.strip_prefix(head.as_str()).unwrap_or(&l).to_owned()),
                ])
            } else {
                Line::from(format!(" {l}"))
            });
        }

        let respondent = c.respondent.clone().unwrap_or_else(|| "-".into());
        lines.extend(pair(
            lang,
            (t!(lang, "cases.d_respondent"), Span::raw(respondent)),
            (
                t!(lang, "cases.d_handler"),
                Span::raw(staff_name(staff, c.handler, lang)),
            ),
            cells,
        ));
        lines.extend(pair(
            lang,
            (
                t!(lang, "cases.d_claimed"),
                Span::raw(money_long(c.claimed)),
            ),
            (
                t!(lang, "cases.d_recovered"),
                Span::raw(money_long(c.recovered)),
            ),
            cells,
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
            // A concluded case's follow-up (a call after the payment) is a
            // date, not work that is due.
            Some(d) if d == today && c.status.is_open() => Span::styled(
                t!(lang, "cases.d_due_today", date = d.format("%Y-%m-%d")),
                Style::new().fg(Color::Yellow),
            ),
            Some(d) => Span::raw(d.format("%Y-%m-%d").to_string()),
        };
        let referral = c
            .referral
            .map_or_else(|| "-".to_owned(), |r| r.label(lang).to_owned());
        lines.extend(pair(
            lang,
            (t!(lang, "cases.d_follow_up"), follow),
            (t!(lang, "cases.d_referral"), Span::raw(referral)),
            cells,
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
            lines.extend(pair(
                lang,
                (label, Span::raw(value.to_owned())),
                (t!(lang, "cases.d_concluded"), Span::raw(at)),
                cells,
            ));
        }
        if let Some(s) = &c.summary {
            lines.extend(label_lines(
                lang,
                t!(lang, "cases.d_summary"),
                Span::raw(s.clone()),
                cells,
            ));
        }

        lines.extend(self.handoff_lines(lang, today, cells));
        lines.extend(self.limit_lines(lang, today, cells));

        // The timeline, newest first, each entry wrapped under its text.
        let events = self.events(lang, staff);
        let head = format!(" ── {} ", t!(lang, "cases.d_timeline", n = events.len()));
        let rule = "─".repeat(cells.saturating_sub(width(&head)));
        lines.push(Line::from(Span::styled(format!("{head}{rule}"), dim)));
        let actor_cells = events
            .iter()
            .filter_map(|e| e.actor.as_deref())
            .map(width)
            .max()
            .unwrap_or(1)
            .clamp(1, 8);
        for e in &events {
            let at =
                e.at.with_timezone(&v.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string();
            let actor = pad(e.actor.as_deref().unwrap_or("-"), actor_cells);
            let indent = width(&at) + actor_cells + 4;
            for (i, l) in wrap(&e.text, cells.saturating_sub(indent).max(10))
                .into_iter()
                .enumerate()
            {
                lines.push(if i == 0 {
                    Line::from(vec![
                        Span::styled(format!(" {at} "), dim),
                        Span::raw(format!("{actor}  ")),
                        Span::raw(l),
                    ])
                } else {
                    Line::from(format!("{}{l}", " ".repeat(indent)))
                });
            }
        }
        if events.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(" {}", t!(lang, "cases.d_no_events")),
                dim,
            )));
        }
        lines
    }
}

impl Detail {
    /// The case's referrals, escalations and hand-overs: where, where each
    /// stands, and its answer's due date (red once passed).
    fn handoff_lines(&self, lang: Lang, today: NaiveDate, cells: usize) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if self.handoffs.is_empty() {
            return lines;
        }
        lines.push(rule_line(
            &t!(lang, "handoff.d_head", n = self.handoffs.len()),
            cells,
        ));
        for h in &self.handoffs {
            let mut parts = vec![
                format!("{} {}", h.kind.label(lang), h.whereto(lang)),
                h.status.label(lang).to_owned(),
                t!(lang, "handoff.d_sent", date = h.sent_on.format("%m-%d")),
            ];
            if let Some(r) = &h.reference {
                parts.push(r.clone());
            }
            if let Some(o) = h.outcome {
                parts.push(o.label(lang).to_owned());
            }
            let head = parts.join(" · ");
            let due = h.due.map(|d| {
                if h.is_overdue(today) {
                    Span::styled(
                        t!(
                            lang,
                            "handoff.d_overdue",
                            date = d.format("%Y-%m-%d"),
                            n = (today - d).num_days()
                        ),
                        super::overdue_style(),
                    )
                } else {
                    Span::raw(t!(lang, "handoff.d_due", date = d.format("%Y-%m-%d")))
                }
            });
            let style = if h.status.is_open() {
                Style::new()
            } else {
                Style::new().fg(Color::DarkGray)
            };
            let wrapped = wrap(&head, cells.saturating_sub(2).max(10));
            let n = wrapped.len();
            for (i, l) in wrapped.into_iter().enumerate() {
                let mut spans = vec![Span::raw(" "), Span::styled(l, style)];
                if i + 1 == n
                    && let Some(d) = &due
                {
                    spans.push(Span::raw(" · "));
                    spans.push(d.clone());
                }
                lines.push(Line::from(spans));
            }
            for t in [&h.reason, &h.result].into_iter().flatten() {
                for l in wrap(t, cells.saturating_sub(4).max(10)) {
                    lines.push(Line::from(Span::styled(format!("    {l}"), label_style())));
                }
            }
        }
        lines
    }

    /// The statutory time limits that matter to the case: each last day,
    /// how near it is (yellow within its warning days, red once passed)
    /// and the law it comes from.
    fn limit_lines(&self, lang: Lang, today: NaiveDate, cells: usize) -> Vec<Line<'static>> {
        use crate::domain::limits::{Anchor, Nearness, builtin, dues};
        let mut lines = Vec::new();
        let Ok(rules) = builtin() else {
            return lines;
        };
        let list = dues(rules, &self.facts, today);
        // A limit that would run from the day the worker knew, not typed.
        let wants_day = self.case.status.is_open()
            && self.case.infringed_on.is_none()
            && rules.iter().any(|l| {
                l.from == Anchor::Infringed
                    && l.case_types.contains(&self.case.case_type)
                    && l.until.is_none_or(|_| self.facts.referrals.is_empty())
            });
        if list.is_empty() && !wants_day && self.case.infringed_on.is_none() {
            return lines;
        }
        lines.push(rule_line(t!(lang, "handoff.d_limits"), cells));
        if let Some(d) = self.case.infringed_on {
            lines.extend(label_lines(
                lang,
                t!(lang, "handoff.f_infringed"),
                Span::raw(d.format("%Y-%m-%d").to_string()),
                cells,
            ));
        } else if wants_day {
            lines.push(Line::from(Span::styled(
                format!(" {}", t!(lang, "handoff.d_type_day")),
                Style::new().fg(Color::Yellow),
            )));
        }
        for due in &list {
            let date = due.last_day.format("%Y-%m-%d");
            let (text, style) = match due.nearness {
                Nearness::Ahead => (
                    t!(
                        lang,
                        "handoff.d_limit_left",
                        date = date,
                        n = (due.last_day - today).num_days()
                    ),
                    Style::new(),
                ),
                Nearness::Near(0) => (
                    t!(lang, "handoff.d_limit_today", date = date),
                    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                ),
                Nearness::Near(n) => (
                    format!("⚠ {}", t!(lang, "handoff.d_limit_left", date = date, n = n)),
                    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                ),
                Nearness::Passed => (
                    format!(
                        "✗ {}",
                        t!(
                            lang,
                            "handoff.d_limit_passed",
                            date = date,
                            n = (today - due.last_day).num_days()
                        )
                    ),
                    super::overdue_style(),
                ),
            };
            lines.extend(label_lines(
                lang,
                due.limit.name(lang),
                Span::styled(text, style),
                cells,
            ));
            let source = due.limit.source(lang);
            let short = source.split(['：', ':']).next().unwrap_or(source);
            for l in wrap(
                &t!(lang, "handoff.d_source", source = short),
                cells.saturating_sub(4).max(10),
            ) {
                lines.push(Line::from(Span::styled(
                    format!("    {l}"),
                    Style::new().fg(Color::DarkGray),
                )));
            }
        }
        if !list.is_empty() {
            for l in wrap(
                t!(lang, "handoff.d_holidays"),
                cells.saturating_sub(1).max(10),
            ) {
                lines.push(Line::from(Span::styled(
                    format!(" {l}"),
                    Style::new().fg(Color::DarkGray),
                )));
            }
        }
        lines
    }
}

/// "── title ─────" across `cells`.
fn rule_line(title: &str, cells: usize) -> Line<'static> {
    let head = format!(" ── {title} ");
    let rule = "─".repeat(cells.saturating_sub(width(&head)));
    Line::from(Span::styled(
        format!("{head}{rule}"),
        Style::new().fg(Color::DarkGray),
    ))
}

fn label_style() -> Style {
    Style::new().fg(Color::Gray)
}

/// "Label: value", the value wrapped under itself in `cells`.
fn label_lines(lang: Lang, label: &str, value: Span<'static>, cells: usize) -> Vec<Line<'static>> {
    let colon = t!(lang, "cases.colon");
    let label = format!(" {label}{colon}");
    let indent = width(&label);
    wrap(&value.content, cells.saturating_sub(indent).max(10))
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                Span::styled(label.clone(), label_style())
            } else {
                Span::raw(" ".repeat(indent))
            };
            Line::from(vec![lead, Span::styled(l, value.style)])
        })
        .collect()
}

/// Two "label: value" halves on one line; when a value does not fit its
/// half, each on its own lines instead, wrapped.
fn pair(
    lang: Lang,
    a: (&str, Span<'static>),
    b: (&str, Span<'static>),
    cells: usize,
) -> Vec<Line<'static>> {
    let half = cells / 2;
    let colon = t!(lang, "cases.colon");
    let a_label = format!(" {}{colon}", a.0);
    let b_label = format!("{}{colon}", b.0);
    let a_room = half.saturating_sub(width(&a_label) + 1);
    let b_room = half.saturating_sub(width(&b_label) + 1);
    if width(&a.1.content) > a_room || width(&b.1.content) > b_room {
        let mut out = label_lines(lang, a.0, a.1, cells);
        out.extend(label_lines(lang, b.0, b.1, cells));
        return out;
    }
    let fill = half.saturating_sub(width(&a_label) + width(&a.1.content));
    vec![Line::from(vec![
        Span::styled(a_label, label_style()),
        a.1,
        Span::raw(" ".repeat(fill)),
        Span::styled(b_label, label_style()),
        b.1,
    ])]
}

/// `head` then the names joined (、 in Chinese, ", " in English), wrapped
/// into at most `max_lines` lines of `cells`, never cutting a name; the
/// names that do not fit end the last line as "… n more".
pub fn wrap_names(
    head: &str,
    names: &[&str],
    cells: usize,
    max_lines: usize,
    lang: Lang,
) -> Vec<String> {
    let sep = t!(lang, "cases.name_sep");
    // A line: the head on the first, its names, a separator when more
    // names follow on the next line.
    let line = |first: bool, ns: &[&str], more: bool| {
        let mut s = if first {
            head.to_owned()
        } else {
            String::new()
        };
        s.push_str(&ns.join(sep));
        if more && !ns.is_empty() {
            s.push_str(sep.trim_end());
        }
        s
    };
    let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
    for (i, n) in names.iter().enumerate() {
        let first = lines.len() == 1;
        let Some(cur) = lines.last_mut() else { break };
        let mut with = cur.clone();
        with.push(n);
        if width(&line(first, &with, i + 1 < names.len())) <= cells || (cur.is_empty() && !first) {
            *cur = with;
            continue;
        }
        if lines.len() >= max_lines.max(1) {
            // Drop names from the end of the last line until "… n more"
            // fits after it.
            let mut out: Vec<String> = Vec::new();
            let n_lines = lines.len();
            for (k, ns) in lines.iter_mut().enumerate() {
                if k + 1 < n_lines {
                    out.push(line(k == 0, ns, true));
                    continue;
                }
                let before: usize = i - ns.len();
                loop {
                    let more = t!(lang, "cases.d_more", n = names.len() - before - ns.len());
                    let text = format!("{}{more}", line(k == 0, ns, false));
                    if width(&text) <= cells || ns.is_empty() {
                        out.push(text);
                        break;
                    }
                    ns.pop();
                }
            }
            return out;
        }
        lines.push(vec![n]);
    }
    let n_lines = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(k, ns)| line(k == 0, ns, k + 1 < n_lines))
        .collect()
}

/// A change of one case field as a line of the timeline; `None` for
/// fields that are not shown.
fn change_text(field: &str, value: &Value, lang: Lang, staff: &[Staff]) -> Option<String> {
    let (label, shown) = field_text(field, value, lang, staff)?;
    Some(t!(lang, "cases.ev_changed", field = label, value = shown))
}

/// The label of a case field and its value as shown; `None` for fields
/// that are not shown.
fn field_text(
    field: &str,
    value: &Value,
    lang: Lang,
    staff: &[Staff],
) -> Option<(&'static str, String)> {
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
    Some((label, shown))
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
        // A name is never cut; the count says how many are not listed.
        let one = wrap_names("Claimants: ", &names, 30, 1, Lang::En);
        assert_eq!(one, ["Claimants: 张三, 李四… 3 more"]);
        let two = wrap_names("Claimants: ", &names, 24, 3, Lang::En);
        assert_eq!(two, ["Claimants: 张三, 李四,", "王五, 赵六, 钱七"]);
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
