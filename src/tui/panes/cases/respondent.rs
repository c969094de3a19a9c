//! Respondents in the cases pane: the register's offer while a respondent
//! is typed (the new-case form, `e` on a case; Ctrl-R takes it), and a
//! respondent's page (`b` on a case): what the register says of it and
//! every case against it at every station, open and closed, with the
//! amounts; Enter opens one, Esc goes back.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{money_long, status_style};
use crate::domain::ids::{CaseId, RespondentId};
use crate::i18n::{Lang, Localized};
use crate::store::{
    RespondentField, RespondentHit, RespondentInput, RespondentPage, Store, StoreError, name_key,
    refused_field,
};
use crate::t;
use crate::tui::panes::Ctx;
use crate::tui::panes::View;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::{fit, pad, width};

/// The register's respondents that match what is typed.
#[derive(Debug, Clone, Default)]
pub struct Offers {
    searched: String,
    pub hits: Vec<RespondentHit>,
}

impl Offers {
    /// Looks again when `typed` changed (after the keys of a burst are
    /// drained); returns whether it did.
    pub fn refresh(&mut self, store: &Store, typed: &str) -> bool {
        let q = typed.trim();
        if q == self.searched {
            return false;
        }
        self.searched = q.to_owned();
        self.hits = if q.chars().count() < 2 {
            Vec::new()
        } else {
            store.find_respondents(q, 3).unwrap_or_default()
        };
        // Typed exactly as registered: nothing to offer.
        let key = name_key(q);
        if self
            .hits
            .first()
            .is_some_and(|h| name_key(&h.respondent.name) == key)
        {
            self.hits.clear();
        }
        true
    }

    /// The name Ctrl-R puts in the field.
    pub fn first(&self) -> Option<&str> {
        self.hits.first().map(|h| h.respondent.name.as_str())
    }

    /// The offer as a line: the name, its code, its cases; Ctrl-R.
    pub fn line(&self, lang: Lang) -> Option<String> {
        let h = self.hits.first()?;
        let mut s = t!(lang, "respondents.offer", name = h.respondent.name);
        if h.cases > 0 {
            s.push_str(&t!(
                lang,
                "respondents.offer_cases",
                open = h.open,
                all = h.cases,
                stations = h.stations
            ));
        }
        if self.hits.len() > 1 {
            s.push_str(&t!(lang, "respondents.offer_more", n = self.hits.len() - 1));
        }
        Some(s)
    }
}

/// A respondent's page as shown.
#[derive(Debug, Clone)]
pub struct Page {
    pub page: RespondentPage,
    pub selected: usize,
    rows: Cell<usize>,
    /// `e`: what the register says of it, being changed (name, code,
    /// platform, address, contact).
    pub editing: Option<Form>,
}

/// The fields of the edit form, in order.
const EDIT_FIELDS: [RespondentField; 5] = [
    RespondentField::Name,
    RespondentField::Code,
    RespondentField::Platform,
    RespondentField::Address,
    RespondentField::Contact,
];

impl Page {
    pub fn load(store: &Store, id: RespondentId) -> Result<Option<Page>, crate::store::StoreError> {
        Ok(store.respondent_page(id)?.map(|page| Page {
            page,
            selected: 0,
            rows: Cell::new(10),
            editing: None,
        }))
    }

    /// `e`: the form to change what the register says of it.
    pub fn edit(&mut self, lang: Lang) {
        let r = &self.page.respondent;
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        let labels = [
            t!(lang, "respondents.name"),
            t!(lang, "respondents.code"),
            t!(lang, "respondents.platform"),
            t!(lang, "respondents.address"),
            t!(lang, "respondents.contact"),
        ];
        let values = [
            r.name.clone(),
            v(&r.credit_code),
            v(&r.platform),
            v(&r.address),
            v(&r.contact),
        ];
        let mut fields: Vec<Field> = labels
            .iter()
            .zip(values)
            .map(|(l, val)| Field::text(*l, &val))
            .collect();
        fields[1] = fields[1]
            .clone()
            .with_hint(t!(lang, "respondents.code_hint"));
        self.editing = Some(Form::new(fields));
    }

    /// Ctrl-S on the edit form: the store checks (the code by GB 32100,
    /// held by no other respondent) and refuses next to the field, keeping
    /// what was typed. Returns whether it was saved.
    pub fn save(&mut self, cx: &mut Ctx) -> bool {
        let Some(form) = &mut self.editing else {
            return false;
        };
        form.clear_errors();
        let text = |i: usize| form.field(i).text_value().to_owned();
        let opt = |i: usize| Some(text(i)).filter(|s| !s.trim().is_empty());
        let input = RespondentInput {
            name: text(0),
            credit_code: opt(1),
            platform: opt(2),
            address: opt(3),
            contact: opt(4),
        };
        let id = self.page.respondent.id;
        match cx.store.write(|w| w.update_respondent(id, &input)) {
            Ok(()) => {
                cx.info(t!(cx.lang, "respondents.saved", name = input.name));
                self.editing = None;
                true
            }
            Err(StoreError::Invalid(v)) => {
                let at = EDIT_FIELDS
                    .iter()
                    .position(|f| *f == refused_field(&v))
                    .unwrap_or(0);
                form.refuse(at, v.localized(cx.lang));
                false
            }
            Err(e) => {
                cx.store_error(e);
                false
            }
        }
    }

    pub fn up(&mut self) {
        self.selected = self.selected.saturating_sub(1);
    }

    pub fn down(&mut self) {
        self.selected = (self.selected + 1).min(self.page.cases.len().saturating_sub(1));
    }

    pub fn current(&self) -> Option<CaseId> {
        self.page.cases.get(self.selected).map(|c| c.row.id)
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let lang = v.lang;
        let cells = area.width as usize;
        let p = &self.page;
        let r = &p.respondent;
        let colon = t!(lang, "cases.colon");
        let dim = Style::new().fg(Color::DarkGray);
        let mut lines: Vec<Line> = vec![Line::from(vec![Span::styled(
            format!(" {}", fit(&r.name, cells.saturating_sub(2))),
            Style::new().add_modifier(Modifier::BOLD),
        )])];
        let mut facts: Vec<String> = Vec::new();
        for (key, value) in [
            ("respondents.code", &r.credit_code),
            ("respondents.platform", &r.platform),
            ("respondents.address", &r.address),
            ("respondents.contact", &r.contact),
        ] {
            if let Some(value) = value {
                facts.push(format!(
                    "{}{colon}{value}",
                    crate::i18n::catalogue::text(lang, key)
                ));
            }
        }
        if r.credit_code.is_none() {
            facts.push(t!(lang, "respondents.no_code").to_owned());
        }
        for fact in facts {
            lines.push(Line::from(format!(
                " {}",
                fit(&fact, cells.saturating_sub(2))
            )));
        }
        if !p.merged.is_empty() {
            let names: Vec<&str> = p.merged.iter().map(|m| m.name.as_str()).collect();
            let text = format!(
                "{}{colon}{}",
                t!(lang, "respondents.merged"),
                names.join(t!(lang, "cases.name_sep"))
            );
            lines.push(Line::from(format!(
                " {}",
                fit(&text, cells.saturating_sub(2))
            )));
        }
        let open = p.cases.iter().filter(|c| c.row.status.is_open()).count();
        let stations: std::collections::BTreeSet<&str> = p
            .cases
            .iter()
            .filter_map(|c| c.station.as_deref())
            .collect();
        let claimed =
            crate::domain::money::Fen::saturating_sum(p.cases.iter().map(|c| c.row.claimed));
        let recovered =
            crate::domain::money::Fen::saturating_sum(p.cases.iter().map(|c| c.row.recovered));
        lines.push(Line::from(Span::styled(
            format!(
                " {}",
                fit(
                    &t!(
                        lang,
                        "respondents.page_totals",
                        all = p.cases.len(),
                        open = open,
                        stations = stations.len(),
                        claimed = money_long(claimed),
                        recovered = money_long(recovered)
                    ),
                    cells.saturating_sub(2)
                )
            ),
            Style::new().fg(Color::Cyan),
        )));
        let head = format!(" ── {} ", t!(lang, "respondents.page_cases"));
        lines.push(Line::from(Span::styled(
            format!("{head}{}", "─".repeat(cells.saturating_sub(width(&head)))),
            dim,
        )));
        let top = lines.len() as u16;
        f.render_widget(Paragraph::new(lines), area);
        let list = Rect {
            y: area.y + top.min(area.height),
            height: area.height.saturating_sub(top),
            ..area
        };
        let rows = list.height as usize;
        self.rows.set(rows.max(1));
        let first = self.selected.saturating_sub(rows.saturating_sub(1));
        // The station's name where there is room (the case number names
        // the station that opened it by its code).
        let wide = cells >= 100;
        let type_cells = crate::domain::case::CaseType::ALL
            .iter()
            .map(|t| width(t.label(lang)))
            .max()
            .unwrap_or(8)
            .min(if wide { 26 } else { 14 });
        let status_cells = crate::domain::case::CaseStatus::ALL
            .iter()
            .map(|s| width(s.label(lang)))
            .max()
            .unwrap_or(6);
        let station_cells = stations.iter().map(|s| width(s)).max().unwrap_or(4).min(20);
        let mut out: Vec<Line> = Vec::new();
        for (i, c) in p.cases.iter().enumerate().skip(first).take(rows) {
            let mark = if i == self.selected { "▶ " } else { "  " };
            let amounts = format!(
                "{}/{}",
                c.row.claimed.yuan_string(),
                c.row.recovered.yuan_string()
            );
            let who = c
                .row
                .first_claimant
                .as_deref()
                .map(|n| crate::i18n::catalogue::person_name(n, lang).to_owned());
            let station = if wide {
                format!(
                    " {}",
                    pad(c.station.as_deref().unwrap_or("?"), station_cells)
                )
            } else {
                String::new()
            };
            let text = format!(
                "{}{station} {} ",
                c.row.number,
                pad(c.row.case_type.label(lang), type_cells),
            );
            let mut spans = vec![
                Span::raw(mark),
                Span::raw(text),
                Span::styled(
                    pad(c.row.status.label(lang), status_cells),
                    status_style(c.row.status),
                ),
                Span::raw(format!(" {amounts:>21} ")),
            ];
            if wide {
                spans.push(Span::raw(who.unwrap_or_default()));
            }
            let mut line = Line::from(spans);
            if i == self.selected {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            out.push(line);
        }
        if p.cases.is_empty() {
            out.push(Line::from(Span::styled(
                format!(" {}", t!(lang, "respondents.page_none")),
                dim,
            )));
        }
        f.render_widget(Paragraph::new(out), list);
        if let Some(form) = &self.editing {
            let w = area.width.saturating_sub(4).min(84);
            let label_cells = form.label_cells();
            let rows: u16 = form
                .fields
                .iter()
                .map(|f| f.height(usize::from(w.saturating_sub(2)), label_cells))
                .sum();
            let h = (rows + 2).min(area.height);
            let r = crate::tui::widgets::centered(area, w, h);
            crate::tui::widgets::clear_popup_within(f, r, area);
            let block = ratatui::widgets::Block::default()
                .borders(ratatui::widgets::Borders::ALL)
                .border_style(Style::new().fg(Color::Cyan))
                .title(format!(" {} ", t!(lang, "respondents.edit_title")));
            let inner = block.inner(r);
            f.render_widget(block, r);
            form.draw(f, inner, true);
        }
    }
}
