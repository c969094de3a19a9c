//! F5 `d`: people who may be one worker registered twice (most often by
//! two stations before they synced), best first with why; the selected
//! pair's two records side by side (details, where and when registered,
//! visits, cases). `m` merges them, choosing field by field what the
//! worker's record keeps; `x` marks them two workers (synced, listed no
//! more); `u` undoes the last merge made here. Merging and dismissing
//! need the staff or admin role (the store checks). The list is read on a
//! thread of its own with a connection of its own (a district's million
//! people take most of a minute): keys stay live meanwhile.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::SyncPane;
use crate::domain::ids::PersonId;
use crate::domain::person::{Detail, PersonDetails};
use crate::store::{Candidate, PersonRecord};
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::{fit, pad, width};

use super::keys::Cmd;

/// Pairs listed at most.
pub const LISTED: usize = 200;

/// The view, open over the pane.
#[derive(Debug, Clone, Default)]
pub struct DupsView {
    pub pairs: Vec<Candidate>,
    /// The two names of each pair, as listed.
    pub names: Vec<(String, String)>,
    pub selected: usize,
    /// The selected pair's two records (first registered first).
    pub shown: Option<Box<(PersonRecord, PersonRecord)>>,
    /// Choosing what the merged worker's record keeps.
    pub merging: Option<Merging>,
    /// The last merge made here: who was merged, and the two names.
    pub last: Option<(PersonId, String, String)>,
    /// The list being read on a thread of its own.
    pub reading: Option<Reading>,
}

/// The pairs listed, and the two names of each.
type Listed = (Vec<Candidate>, Vec<(String, String)>);

/// The pairs and their names, or why they could not be read.
type Found = Result<Listed, String>;

/// A read of the list under way.
pub struct Reading(std::sync::mpsc::Receiver<Found>);

impl std::fmt::Debug for Reading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reading(…)")
    }
}

impl Clone for Reading {
    fn clone(&self) -> Self {
        // A view is cloned only in tests' snapshots of state: the copy
        // waits for nothing.
        let (_, rx) = std::sync::mpsc::channel();
        Reading(rx)
    }
}

/// The merge being chosen: which record stays, and per detail the two
/// records hold differently whether the other's value is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merging {
    pub keep_second: bool,
    pub rows: Vec<(Detail, bool)>,
    /// 0: which record stays; 1..: the rows.
    pub focus: usize,
}

impl Merging {
    fn new(a: &PersonDetails, b: &PersonDetails) -> Merging {
        let mut m = Merging {
            keep_second: false,
            rows: Detail::ALL
                .into_iter()
                .filter(|d| d.differs(a, b))
                .map(|d| (d, false))
                .collect(),
            focus: 0,
        };
        m.fill_blanks(a, b);
        m
    }

    /// What is first offered: the record that stays keeps its own, and
    /// takes from the other what it lacks (a phone, an ID number, an
    /// employer, the union membership).
    fn fill_blanks(&mut self, a: &PersonDetails, b: &PersonDetails) {
        let (keep, other) = if self.keep_second { (b, a) } else { (a, b) };
        for (d, take) in &mut self.rows {
            *take = match d {
                Detail::Mobile => keep.mobile.is_none() && other.mobile.is_some(),
                Detail::ResidentId => keep.resident_id.is_none() && other.resident_id.is_some(),
                Detail::Employer => keep.employer.is_none() && other.employer.is_some(),
                Detail::Union => !keep.union_member && other.union_member,
                Detail::Name | Detail::Trade => false,
            };
        }
    }

    /// The details the record that stays takes from the other.
    pub fn take(&self) -> Vec<Detail> {
        self.rows
            .iter()
            .filter(|(_, t)| *t)
            .map(|(d, _)| *d)
            .collect()
    }
}

impl SyncPane {
    /// `d` in the list: reads the pairs and opens the view.
    pub(super) fn open_dups(&mut self, cx: &mut Ctx) {
        let mut view = DupsView::default();
        load(&mut view, cx);
        self.dups = Some(view);
    }

    /// A key while the view is open.
    pub(super) fn update_dups(&mut self, cx: &mut Ctx, action: &Action) {
        let Some(mut view) = self.dups.take() else {
            return;
        };
        if let Some(m) = view.merging.take() {
            view.merging = choose(&mut view, cx, m, action);
            self.dups = Some(view);
            return;
        }
        match action {
            Action::Back | Action::Pane(PaneCmd::Sync(Cmd::DupsClose)) => return,
            Action::Up => step(&mut view, cx, -1),
            Action::Down => step(&mut view, cx, 1),
            Action::PageUp => step(&mut view, cx, -10),
            Action::PageDown => step(&mut view, cx, 10),
            Action::Home => step(&mut view, cx, isize::MIN / 2),
            Action::End => step(&mut view, cx, isize::MAX / 2),
            Action::Pane(PaneCmd::Sync(Cmd::DupsMerge)) => {
                if let Some(pair) = view.shown.as_deref() {
                    view.merging =
                        Some(Merging::new(&pair.0.person.details, &pair.1.person.details));
                } else {
                    cx.error(t!(cx.lang, "dups.none_selected"));
                }
            }
            Action::Pane(PaneCmd::Sync(Cmd::DupsDismiss)) => dismiss(&mut view, cx),
            Action::Pane(PaneCmd::Sync(Cmd::DupsUndo)) => undo(&mut view, cx),
            _ => {}
        }
        self.dups = Some(view);
    }
}

/// Reads the pairs with their names, best first.
fn find(store: &crate::store::Store) -> Result<Listed, crate::store::StoreError> {
    let pairs = store.duplicate_candidates(LISTED)?;
    let name = |p| -> Result<String, crate::store::StoreError> {
        Ok(store.person(p)?.map(|p| p.details.name).unwrap_or_default())
    };
    let mut names = Vec::with_capacity(pairs.len());
    for c in &pairs {
        names.push((name(c.first)?, name(c.second)?));
    }
    Ok((pairs, names))
}

/// Reads the pairs again, keeping the selection where it was: on a thread
/// of its own when the database is a file, here otherwise.
fn load(view: &mut DupsView, cx: &mut Ctx) {
    if let Some(db) = cx.db.cloned() {
        let (tx, rx) = std::sync::mpsc::channel();
        let lang = cx.lang;
        let spawned = std::thread::Builder::new()
            .name("duplicates".into())
            .spawn(move || {
                use crate::i18n::Localized;
                let found = db
                    .open()
                    .and_then(|s| find(&s))
                    .map_err(|e| e.localized(lang));
                let _ = tx.send(found);
            });
        if spawned.is_ok() {
            view.reading = Some(Reading(rx));
            return;
        }
    }
    let found = find(cx.store).map_err(|e| {
        use crate::i18n::Localized;
        e.localized(cx.lang)
    });
    take(view, cx, found);
}

/// What a read of the list found.
fn take(view: &mut DupsView, cx: &mut Ctx, found: Found) {
    match found {
        Ok((pairs, names)) => {
            view.selected = view.selected.min(pairs.len().saturating_sub(1));
            view.pairs = pairs;
            view.names = names;
        }
        Err(e) => {
            view.pairs.clear();
            view.names.clear();
            cx.error(e);
        }
    }
    show(view, cx);
}

impl SyncPane {
    /// Whether the list is being read.
    pub(super) fn dups_reading(&self) -> bool {
        self.dups.as_ref().is_some_and(|d| d.reading.is_some())
    }

    /// Takes the list once it has been read.
    pub(super) fn take_dups(&mut self, cx: &mut Ctx) -> crate::tui::panes::Polled {
        use crate::tui::panes::Polled;
        let Some(view) = self.dups.as_mut() else {
            return Polled::Idle;
        };
        let Some(reading) = &view.reading else {
            return Polled::Idle;
        };
        let found = match reading.0.try_recv() {
            Ok(found) => found,
            Err(std::sync::mpsc::TryRecvError::Empty) => return Polled::Idle,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err(t!(cx.lang, "dups.lost").to_owned())
            }
        };
        view.reading = None;
        take(view, cx, found);
        Polled::Moved
    }
}

/// Reads the selected pair's two records.
fn show(view: &mut DupsView, cx: &mut Ctx) {
    view.shown = None;
    let Some(c) = view.pairs.get(view.selected) else {
        return;
    };
    let read = |cx: &mut Ctx, p| match cx.store.person_record(p) {
        Ok(r) => r,
        Err(e) => {
            cx.store_error(e);
            None
        }
    };
    let (first, second) = (c.first, c.second);
    if let (Some(a), Some(b)) = (read(cx, first), read(cx, second)) {
        view.shown = Some(Box::new((a, b)));
    }
}

fn step(view: &mut DupsView, cx: &mut Ctx, by: isize) {
    let last = view.pairs.len().saturating_sub(1);
    let at = view.selected.saturating_add_signed(by).min(last);
    if at != view.selected {
        view.selected = at;
        show(view, cx);
    }
}

/// A key while choosing the merge; the choice stays open unless it was
/// made or cancelled.
fn choose(view: &mut DupsView, cx: &mut Ctx, mut m: Merging, action: &Action) -> Option<Merging> {
    let rows = m.rows.len();
    match action {
        Action::Back => return None,
        Action::Up | Action::PrevField => m.focus = m.focus.checked_sub(1).unwrap_or(rows),
        Action::Down | Action::NextField => m.focus = (m.focus + 1) % (rows + 1),
        Action::Left | Action::Right | Action::Pane(PaneCmd::Sync(Cmd::DupsToggle)) => {
            if m.focus == 0 {
                m.keep_second = !m.keep_second;
                if let Some(pair) = view.shown.as_deref() {
                    m.fill_blanks(&pair.0.person.details, &pair.1.person.details);
                }
            } else if let Some(r) = m.rows.get_mut(m.focus - 1) {
                r.1 = !r.1;
            }
        }
        Action::Confirm => {
            merge(view, cx, &m);
            return None;
        }
        _ => {}
    }
    Some(m)
}

fn merge(view: &mut DupsView, cx: &mut Ctx, m: &Merging) {
    let Some(pair) = view.shown.as_deref() else {
        return;
    };
    let (keep, other) = if m.keep_second {
        (&pair.1, &pair.0)
    } else {
        (&pair.0, &pair.1)
    };
    let (into, from) = (keep.person.id, other.person.id);
    let (into_name, from_name) = (
        keep.person.details.name.clone(),
        other.person.details.name.clone(),
    );
    match cx.store.merge_people(from, into, &m.take()) {
        Ok(()) => {
            // The survivor's name may be the other's, as chosen.
            let shown = cx
                .store
                .person(into)
                .ok()
                .flatten()
                .map_or(into_name, |p| p.details.name);
            cx.info(t!(cx.lang, "dups.merged", from = from_name, into = shown));
            view.last = Some((from, from_name, shown));
            *cx.changed = true;
            drop_selected(view, cx);
            load(view, cx);
        }
        Err(e) => cx.store_error(e),
    }
}

/// Takes the pair just merged or dismissed off the list shown, while the
/// list is read again.
fn drop_selected(view: &mut DupsView, cx: &mut Ctx) {
    if view.selected < view.pairs.len() {
        view.pairs.remove(view.selected);
        if view.selected < view.names.len() {
            view.names.remove(view.selected);
        }
        view.selected = view.selected.min(view.pairs.len().saturating_sub(1));
        show(view, cx);
    }
}

fn dismiss(view: &mut DupsView, cx: &mut Ctx) {
    let Some(c) = view.pairs.get(view.selected).cloned() else {
        return cx.error(t!(cx.lang, "dups.none_selected"));
    };
    let names = view.shown.as_deref().map(|p| {
        (
            p.0.person.details.name.clone(),
            p.1.person.details.name.clone(),
        )
    });
    match cx.store.dismiss_pair(c.first, c.second) {
        Ok(()) => {
            let (a, b) = names.unwrap_or_default();
            cx.info(t!(cx.lang, "dups.dismissed", a = a, b = b));
            *cx.changed = true;
            drop_selected(view, cx);
            load(view, cx);
        }
        Err(e) => cx.store_error(e),
    }
}

fn undo(view: &mut DupsView, cx: &mut Ctx) {
    let Some((from, from_name, into_name)) = view.last.clone() else {
        return cx.error(t!(cx.lang, "dups.nothing_to_undo"));
    };
    match cx.store.unmerge_people(from) {
        Ok(()) => {
            cx.info(t!(
                cx.lang,
                "dups.undone",
                from = from_name,
                into = into_name
            ));
            view.last = None;
            *cx.changed = true;
            load(view, cx);
        }
        Err(e) => cx.store_error(e),
    }
}

/// Draws the view over the pane's area.
pub(super) fn draw(view: &DupsView, f: &mut Frame, area: Rect, v: &View) {
    let lang = v.lang;
    let w = area.width as usize;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let gray = Style::new().fg(Color::DarkGray);
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        fit(&t!(lang, "dups.head", n = view.pairs.len()), w),
        bold,
    ))];
    if view.reading.is_some() && view.pairs.is_empty() {
        lines.push(Line::from(Span::styled(t!(lang, "dups.reading"), gray)));
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    if view.pairs.is_empty() {
        lines.push(Line::from(t!(lang, "dups.none")));
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    // The list: as many rows as leave room for the heading, the
    // comparison (10 lines, 11 while merging) and the keys, at least 3.
    let compare_lines = 10 + usize::from(view.merging.is_some());
    let room = (area.height as usize)
        .saturating_sub(1 + compare_lines + 1)
        .max(3);
    let top = view.selected.saturating_sub(room.saturating_sub(1));
    for (i, c) in view.pairs.iter().enumerate().skip(top).take(room) {
        let mark = if i == view.selected { "▶ " } else { "  " };
        let (a, b) = view.names.get(i).cloned().unwrap_or_default();
        let text = format!(
            "{mark}{:>3}  {a} / {b}  · {}",
            c.score,
            crate::words::why_same(&c.why, lang)
        );
        let style = if i == view.selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(pad(&text, w), style)));
    }
    if let Some(pair) = view.shown.as_deref() {
        lines.extend(compare(pair, view.merging.as_ref(), w, v));
    }
    let keys = if view.merging.is_some() {
        t!(lang, "dups.keys_merge")
    } else if view.last.is_some() {
        t!(lang, "dups.keys_undo")
    } else {
        t!(lang, "dups.keys")
    };
    lines.push(Line::from(Span::styled(fit(keys, w), gray)));
    f.render_widget(Paragraph::new(lines), area);
}

/// The two records side by side; while merging, what the worker's record
/// keeps is marked (✓) and the row chosen highlighted.
fn compare(
    pair: &(PersonRecord, PersonRecord),
    merging: Option<&Merging>,
    w: usize,
    v: &View,
) -> Vec<Line<'static>> {
    let lang = v.lang;
    let label_w = [
        "dups.l_name",
        "dups.l_mobile",
        "dups.l_id",
        "dups.l_trade",
        "dups.l_employer",
        "dups.l_union",
        "dups.l_registered",
        "dups.l_visits",
        "dups.l_cases",
    ]
    .iter()
    .map(|k| width(crate::i18n::catalogue::text(lang, k)))
    .max()
    .unwrap_or(8)
        + 2;
    let col = w.saturating_sub(label_w + 2) / 2;
    let (a, b) = (&pair.0, &pair.1);
    let keep_second = merging.is_some_and(|m| m.keep_second);
    let taken = |d: Detail| merging.is_some_and(|m| m.rows.iter().any(|(x, t)| *x == d && *t));
    // Which side a detail is kept from, when merging.
    let kept_from_second = |d: Detail| keep_second != taken(d);
    let focus_row = merging.map(|m| m.focus);
    let row_of =
        |d: Detail| merging.and_then(|m| m.rows.iter().position(|(x, _)| *x == d).map(|i| i + 1));
    let mut out = Vec::new();
    let head = |k: &str| t!(lang, "dups.record", n = k);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if let Some(m) = merging {
        let stays = if m.keep_second {
            t!(lang, "dups.stays_second")
        } else {
            t!(lang, "dups.stays_first")
        };
        let style = if m.focus == 0 {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(Color::Yellow)
        };
        out.push(Line::from(Span::styled(fit(stays, w), style)));
    }
    let head_line = vec![
        Span::raw(pad("", label_w)),
        Span::styled(pad(&head("1"), col), bold),
        Span::raw("  "),
        Span::styled(pad(&head("2"), col), bold),
    ];
    out.push(Line::from(head_line));
    let masked_id = |d: &PersonDetails| {
        d.resident_id
            .as_ref()
            .map_or_else(|| "-".to_owned(), |r| r.masked())
    };
    let mobile = |d: &PersonDetails| {
        d.mobile
            .as_ref()
            .map_or_else(|| "-".to_owned(), crate::domain::Mobile::masked)
    };
    let union = |d: &PersonDetails| {
        if d.union_member {
            d.union_joined.map_or_else(
                || t!(lang, "dups.member").to_owned(),
                |j| t!(lang, "dups.member_since", date = j),
            )
        } else {
            "-".to_owned()
        }
    };
    let (da, db) = (&a.person.details, &b.person.details);
    let details: [(Detail, &str, String, String); 6] = [
        (
            Detail::Name,
            "dups.l_name",
            da.name.clone(),
            db.name.clone(),
        ),
        (Detail::Mobile, "dups.l_mobile", mobile(da), mobile(db)),
        (
            Detail::ResidentId,
            "dups.l_id",
            masked_id(da),
            masked_id(db),
        ),
        (
            Detail::Trade,
            "dups.l_trade",
            da.trade.label(lang).to_owned(),
            db.trade.label(lang).to_owned(),
        ),
        (
            Detail::Employer,
            "dups.l_employer",
            da.employer.clone().unwrap_or_else(|| "-".into()),
            db.employer.clone().unwrap_or_else(|| "-".into()),
        ),
        (Detail::Union, "dups.l_union", union(da), union(db)),
    ];
    for (d, key, x, y) in details {
        let label = pad(crate::i18n::catalogue::text(lang, key), label_w);
        let differs = d.differs(da, db);
        let (mut sx, mut sy) = (x, y);
        let mut style_x = Style::new();
        let mut style_y = Style::new();
        if merging.is_some() && differs {
            let (kept, dropped) = if kept_from_second(d) {
                (&mut style_y, &mut style_x)
            } else {
                (&mut style_x, &mut style_y)
            };
            *kept = kept.fg(Color::Green).add_modifier(Modifier::BOLD);
            *dropped = dropped.fg(Color::DarkGray);
            if kept_from_second(d) {
                sy = format!("✓ {sy}");
            } else {
                sx = format!("✓ {sx}");
            }
        } else if differs {
            style_x = style_x.fg(Color::Yellow);
            style_y = style_y.fg(Color::Yellow);
        }
        let label_style = if focus_row.is_some() && focus_row == row_of(d) {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        out.push(Line::from(vec![
            Span::styled(label, label_style),
            Span::styled(pad(&sx, col), style_x),
            Span::raw("  "),
            Span::styled(pad(&sy, col), style_y),
        ]));
    }
    let date = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|t| t.with_timezone(&v.tz).format("%Y-%m-%d").to_string())
    };
    let registered = |r: &PersonRecord| {
        [r.registered_by.clone(), date(r.registered_at)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let visits = |r: &PersonRecord| match date(r.last_visit) {
        Some(d) => t!(lang, "dups.visits_last", n = r.visits, date = d),
        None => t!(lang, "dups.visits", n = r.visits),
    };
    let cases = |r: &PersonRecord| {
        if r.cases.is_empty() {
            "-".to_owned()
        } else {
            r.cases.join(" ")
        }
    };
    for (key, x, y) in [
        ("dups.l_registered", registered(a), registered(b)),
        ("dups.l_visits", visits(a), visits(b)),
        ("dups.l_cases", cases(a), cases(b)),
    ] {
        out.push(Line::from(vec![
            Span::raw(pad(crate::i18n::catalogue::text(lang, key), label_w)),
            Span::raw(pad(&x, col)),
            Span::raw("  "),
            Span::raw(pad(&y, col)),
        ]));
    }
    out
}
