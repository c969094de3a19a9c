//! A lookup field with its hits underneath: the global lookup, and picking a
//! person (claimants, bookings, check-in) inside a pane. The search runs
//! after pending keys are drained (`refresh`), never per key in a burst.

use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, ListState};

use std::collections::HashMap;

use super::field::Field;
use super::fit;
use crate::domain::ids::PersonId;
use crate::domain::money::Fen;
use crate::i18n::Lang;
use crate::i18n::Localized;
use crate::store::Store;
use crate::store::{CaseHit, Hit, PersonHit};
use crate::t;
use crate::tui::action::Action;

/// What a picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// People and cases.
    All,
    /// People only.
    People,
}

/// What Enter chose.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    Person(PersonHit),
    Case(CaseHit),
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub kind: PickerKind,
    pub field: Field,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The query the hits belong to; differs from the field while a search
    /// is due.
    searched: String,
    pub limit: usize,
    pub error: Option<String>,
    /// What to look up for a query (None: the query itself).
    pub term: Option<fn(&str) -> String>,
    /// Whether the lines say who else has a person's mobile (a family
    /// sharing a phone): one more read of the lookup key per person found.
    pub with_sharers: bool,
    /// The names of the others with a found person's mobile, when
    /// `with_sharers` (nobody: no entry).
    pub sharers: HashMap<PersonId, Vec<String>>,
}

impl Picker {
    pub fn new(kind: PickerKind, label: impl Into<String>) -> Picker {
        Picker {
            kind,
            field: Field::text(label, ""),
            hits: Vec::new(),
            selected: 0,
            searched: String::new(),
            limit: 20,
            error: None,
            term: None,
            with_sharers: false,
            sharers: HashMap::new(),
        }
    }

    pub fn query(&self) -> &str {
        self.field.text_value()
    }

    /// Whether the hits are behind the typed query.
    pub fn stale(&self) -> bool {
        self.query().trim() != self.searched
    }

    /// Runs the search if the query changed. Returns whether it ran.
    pub fn refresh(&mut self, store: &Store, lang: Lang) -> bool {
        if !self.stale() {
            return false;
        }
        let q = self.query().trim().to_owned();
        self.searched = q.clone();
        self.selected = 0;
        self.error = None;
        self.sharers.clear();
        if q.is_empty() {
            self.hits.clear();
            return true;
        }
        let term = self.term.map_or_else(|| q.clone(), |f| f(&q));
        match store.lookup(&term, self.limit) {
            Ok(mut hits) => {
                if self.kind == PickerKind::People {
                    hits.retain(|h| matches!(h, Hit::Person(_)));
                }
                self.hits = hits;
                if self.with_sharers
                    && let Err(e) = self.read_sharers(store)
                {
                    self.error = Some(e.localized(lang));
                }
            }
            Err(e) => {
                self.hits.clear();
                self.error = Some(e.localized(lang));
            }
        }
        true
    }

    /// Who else has the mobile of each person found.
    fn read_sharers(&mut self, store: &Store) -> Result<(), crate::store::StoreError> {
        for h in &self.hits {
            if let Hit::Person(p) = h
                && let Some(m) = &p.mobile
            {
                let others = store.mobile_sharers(p.id, m)?;
                if !others.is_empty() {
                    self.sharers.insert(p.id, others);
                }
            }
        }
        Ok(())
    }

    /// The others with the mobile of hit `h` (none for a case, or a person
    /// nobody shares it with).
    pub fn sharers_of(&self, h: &Hit) -> &[String] {
        match h {
            Hit::Person(p) => self.sharers.get(&p.id).map_or(&[], Vec::as_slice),
            Hit::Case(_) => &[],
        }
    }

    /// Clears query and hits.
    pub fn clear(&mut self) {
        self.field.set_text("");
        self.hits.clear();
        self.sharers.clear();
        self.searched.clear();
        self.selected = 0;
    }

    /// Handles typing and moving in the hits; Enter gives the chosen hit.
    /// Returns `(used, picked)`.
    pub fn handle(&mut self, action: &Action) -> (bool, Option<Picked>) {
        match action {
            Action::Edit(req) => {
                self.field.edit(*req);
                (true, None)
            }
            Action::Left | Action::Right => {
                let req = if *action == Action::Left {
                    tui_input::InputRequest::GoToPrevChar
                } else {
                    tui_input::InputRequest::GoToNextChar
                };
                self.field.edit(req);
                (true, None)
            }
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                (true, None)
            }
            Action::Down => {
                if self.selected + 1 < self.hits.len() {
                    self.selected += 1;
                }
                (true, None)
            }
            Action::Confirm => (true, self.current()),
            _ => (false, None),
        }
    }

    /// The highlighted hit.
    pub fn current(&self) -> Option<Picked> {
        if self.stale() {
            return None;
        }
        self.hits.get(self.selected).map(|h| match h {
            Hit::Person(p) => Picked::Person(p.clone()),
            Hit::Case(c) => Picked::Case(c.clone()),
        })
    }

    /// Draws the field on the first row and the hits below.
    pub fn draw(&self, f: &mut Frame, area: Rect, lang: Lang, tz: Tz, active: bool) {
        if area.height == 0 {
            return;
        }
        let label_cells = super::width(&self.field.label);
        self.field
            .draw(f, Rect { height: 1, ..area }, label_cells, active);
        let list_area = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        if list_area.height == 0 {
            return;
        }
        let w = list_area.width as usize;
        let items: Vec<ListItem> = if let Some(e) = &self.error {
            vec![ListItem::new(Line::from(fit(e, w)))]
        } else if self.hits.is_empty() && !self.searched.is_empty() && !self.stale() {
            vec![ListItem::new(Line::from(fit(
                &t!(lang, "lookup.none", q = self.searched),
                w,
            )))]
        } else {
            self.hits
                .iter()
                // Two cells go to the selection mark.
                .map(|h| {
                    ListItem::new(Line::from(hit_line_within(
                        h,
                        self.sharers_of(h),
                        lang,
                        tz,
                        w.saturating_sub(2),
                    )))
                })
                .collect()
        };
        let mut state = ListState::default();
        if !self.hits.is_empty() {
            state.select(Some(self.selected));
        }
        // The same selection mark as the other lists of the console.
        let list = List::new(items)
            .highlight_symbol("▶ ")
            .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        f.render_stateful_widget(list, list_area, &mut state);
    }
}

/// Claimants as "张三" or "张三等3人" / "Zhang San +2".
pub fn claimants_label(first: Option<&str>, count: u32, lang: Lang) -> String {
    let first = first.map(|n| crate::i18n::catalogue::person_name(n, lang));
    match (first, count) {
        (Some(n), 0 | 1) => n.to_owned(),
        (Some(n), k) => t!(lang, "case.claimants_more", name = n, n = k, more = k - 1),
        (None, _) => "-".to_owned(),
    }
}

/// Money as ¥1,234.50 (or - for zero).
pub fn money(f: Fen) -> String {
    if f.0 == 0 {
        "-".into()
    } else {
        format!("¥{}", f.yuan_string())
    }
}

/// One line describing a hit, cut to `cells`; a person who shares their
/// mobile number with `sharers` says so when the line has room for it
/// whole.
pub fn hit_line_within(h: &Hit, sharers: &[String], lang: Lang, tz: Tz, cells: usize) -> String {
    let line = hit_line(h, lang, tz);
    match crate::words::shares_mobile(sharers, lang) {
        Some(n) if super::width(&line) + 2 + super::width(&n) <= cells => format!("{line}  {n}"),
        _ => fit(&line, cells),
    }
}

/// One line describing a hit.
pub fn hit_line(h: &Hit, lang: Lang, tz: Tz) -> String {
    match h {
        Hit::Person(p) => {
            let mut parts = vec![
                format!("[{}]", t!(lang, "lookup.person")),
                p.name.clone(),
                p.mobile
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |m| m.masked()),
                p.trade.label(lang).to_owned(),
            ];
            if let Some(e) = &p.employer {
                parts.push(e.clone());
            }
            if let Some(v) = p.last_visit {
                parts.push(t!(
                    lang,
                    "lookup.last_visit",
                    at = v.with_timezone(&tz).format("%Y-%m-%d")
                ));
            }
            parts.join("  ")
        }
        Hit::Case(c) => {
            let mut parts = vec![
                format!("[{}]", t!(lang, "lookup.case")),
                c.number.to_string(),
                c.case_type.label(lang).to_owned(),
                c.status.label(lang).to_owned(),
                claimants_label(c.first_claimant.as_deref(), c.claimants, lang),
            ];
            if let Some(r) = &c.respondent {
                parts.push(r.clone());
            }
            if c.claimed.0 > 0 {
                parts.push(money(c.claimed));
            }
            parts.join("  ")
        }
    }
}
