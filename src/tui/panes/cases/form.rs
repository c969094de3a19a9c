//! The new-case form: type, claimants (picked by lookup, or typed one per
//! line with what each is owed and registered with the case: intake.rs),
//! respondent, amount claimed, handler, follow-up date and a summary.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, HighlightSpacing, List, ListItem, ListState, Paragraph};

use super::intake::{self, Added, Draft, Plan, Who};
use super::{Cmd, draw_field, handler_choices, invalid, parse_amount, parse_follow_up};
use crate::domain::case::{CaseNumber, CaseType, HardshipKind};
use crate::domain::error::{Field as TextField, ValidationError};
use crate::domain::ids::{CaseId, StaffId};
use crate::domain::staff::Staff;
use crate::i18n::{Lang, Localized};
use crate::store::Hit;
use crate::store::NewCase;
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::schedule::TextBox;
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::field::Field;
use crate::tui::widgets::fit;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::picker::{Picked, Picker, PickerKind, hit_line, money};

pub const TYPE: usize = 0;
/// A stand-in in the form (for focus and errors); the picker draws it.
pub const CLAIMANTS: usize = 1;
pub const RESPONDENT: usize = 2;
pub const CLAIMED: usize = 3;
pub const HANDLER: usize = 4;
pub const FOLLOW_UP: usize = 5;
pub const SUMMARY: usize = 6;

/// Hits shown under the claimant field at most.
const DROPDOWN_ROWS: u16 = 6;

#[derive(Debug, Clone)]
pub struct NewCaseForm {
    pub form: Form,
    /// The register's respondents matching the respondent typed.
    pub offers: super::respondent::Offers,
    pub picker: Picker,
    /// Picked or typed so far, in order.
    pub claimants: Vec<Draft>,
    /// The amount field holds the claimants' sum as last filled in (it is
    /// filled again while nobody changed it).
    auto_total: Option<String>,
    /// ↑/↓ chose a hit for the typed line (reset by typing).
    moved: bool,
    /// A typed new claimant who may be a registered worker: the line as
    /// typed and that worker (said beside the field; Ctrl-P takes him,
    /// Enter again registers the new person).
    likely: Option<(String, crate::store::PersonHit)>,
    /// Lines of a pasted list or roster still to add, after the one in
    /// the field; each with why its roster row was refused, if it was.
    pub pending: Vec<(String, Option<String>)>,
    /// The staff behind each handler choice.
    handlers: Vec<Option<StaffId>>,
    /// The type (and kind of hardship) behind each type choice.
    types: Vec<(CaseType, Option<HardshipKind>)>,
    /// The summary, typed in the notes editor's box of several lines (the
    /// form's field holds its label, focus and refusal). It wraps what is
    /// typed; Enter still saves, as on every form's last field.
    pub summary: TextBox,
}

/// The type choices: every case type, hardship assistance once per kind
/// (material, medical, education, employment, emotional).
fn type_choices(lang: Lang) -> (Vec<String>, Vec<(CaseType, Option<HardshipKind>)>) {
    let mut labels = Vec::new();
    let mut types = Vec::new();
    for t in CaseType::ALL {
        if *t == CaseType::Hardship {
            for k in HardshipKind::ALL {
                labels.push(format!("{} · {}", t.label(lang), k.label(lang)));
                types.push((*t, Some(*k)));
            }
        } else {
            labels.push(t.label(lang).to_owned());
            types.push((*t, None));
        }
    }
    (labels, types)
}

/// Whether what was typed in the claimant field is the path of a file
/// (a roster to read with Ctrl-O) rather than a person: it has a folder
/// separator, or ends as a spreadsheet's or a CSV file's name.
fn is_path(q: &str) -> bool {
    let lower = q.trim().to_lowercase();
    lower.contains(['/', '\\'])
        || [".csv", ".xlsx", ".xls", ".ods", ".txt"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// What the claimant field says when nobody matches `q`: for a file's
/// path, that Ctrl-O reads it; else how to add someone new.
fn not_found(q: &str, lang: Lang) -> String {
    if is_path(q) {
        t!(lang, "cases.roster_open_hint", path = q.trim())
    } else {
        t!(lang, "cases.no_such_person", q = q)
    }
}

/// The form field a validation error belongs to.
fn field_of(v: &ValidationError) -> Option<usize> {
    use ValidationError::*;
    match v {
        TextEmpty { field } | TextTooLong { field, .. } | TextControlChar { field } => {
            match field {
                TextField::Respondent => Some(RESPONDENT),
                TextField::Note => Some(SUMMARY),
                _ => None,
            }
        }
        MoneyEmpty
        | MoneyNotNumber
        | MoneyNegative
        | MoneyTooPrecise
        | MoneyTooLarge { .. }
        | MoneyBadGrouping
        | MoneyMisplaced { .. }
        | MoneyAmbiguous { .. }
        | AmountsPerClaimant { .. } => Some(CLAIMED),
        NoClaimant | ClaimantTwice { .. } => Some(CLAIMANTS),
        FollowUpPast { .. } => Some(FOLLOW_UP),
        _ => None,
    }
}

impl NewCaseForm {
    pub fn new(lang: Lang, staff: &[Staff]) -> Self {
        let (type_labels, types) = type_choices(lang);
        let (labels, handlers, _) = handler_choices(staff, None, lang);
        let claimants_label = t!(lang, "cases.form_claimants");
        let hint = t!(lang, "cases.form_claimants_hint");
        let form = Form::new(vec![
            Field::choice(t!(lang, "cases.form_type"), type_labels, 0),
            Field::text(claimants_label, "").with_hint(hint),
            Field::text(t!(lang, "cases.form_respondent"), ""),
            Field::text(t!(lang, "cases.form_claimed"), "")
                .with_hint(t!(lang, "cases.amount_hint")),
            Field::choice(t!(lang, "cases.form_handler"), labels, 0),
            Field::text(t!(lang, "cases.form_follow_up"), "")
                .with_hint(t!(lang, "cases.date_hint")),
            Field::text(t!(lang, "cases.form_summary"), ""),
        ]);
        let mut picker = Picker::new(PickerKind::People, claimants_label);
        picker.field.hint = Some(hint.to_owned());
        picker.term = Some(intake::term_of);
        NewCaseForm {
            form,
            offers: Default::default(),
            picker,
            claimants: Vec::new(),
            auto_total: None,
            moved: false,
            likely: None,
            pending: Vec::new(),
            handlers,
            types,
            summary: TextBox::new(""),
        }
    }

    /// Whether the claimant picker has the keyboard.
    pub fn on_picker(&self) -> bool {
        self.form.focus == CLAIMANTS
    }

    pub fn typing(&self) -> bool {
        self.on_picker() || self.form.typing()
    }

    pub fn unsaved(&self) -> bool {
        self.form.touched
            || !self.claimants.is_empty()
            || !self.picker.query().trim().is_empty()
            || !self.pending.is_empty()
    }

    /// What Enter on the claimant line would do (None: nothing typed).
    pub fn plan(&self, lang: Lang) -> Option<Plan> {
        let q = self.picker.query().trim();
        (!q.is_empty()).then(|| {
            intake::plan(
                q,
                &self.picker.hits,
                self.moved.then_some(self.picker.selected),
                lang,
            )
        })
    }

    /// A pasted list: one claimant a line, added in turn; the first line
    /// refused stays in the field to be corrected, the rest wait.
    /// Cells copied from a spreadsheet (tab-separated, maybe with its
    /// header row) are read as a roster; other text one claimant a line.
    pub fn paste_lines(&mut self, cx: &mut Ctx, lines: &[String]) {
        if lines.iter().any(|l| l.contains('\t')) {
            match crate::import::roster::parse_text(&lines.join("\n")) {
                Ok(roster) => return self.take_roster(cx, roster),
                Err(e) => {
                    self.picker.field.error = Some(e.localized(cx.lang));
                    return;
                }
            }
        }
        let mut rest: Vec<(String, Option<String>)> = lines
            .iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .map(|l| (l, None))
            .collect();
        rest.append(&mut self.pending);
        self.pending = rest;
        self.next_pending(cx);
    }

    /// Ctrl-O: reads the roster file whose path is typed in the claimant
    /// field (CSV or a spreadsheet, as `waystation import roster`).
    fn open_roster(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        let typed = self
            .picker
            .query()
            .trim()
            .trim_matches(['"', '\''])
            .to_owned();
        if typed.is_empty() {
            self.picker.field.error = Some(t!(lang, "cases.roster_path").to_owned());
            return;
        }
        let path = match typed.strip_prefix("~/") {
            Some(rest) => directories::BaseDirs::new()
                .map_or_else(|| typed.clone().into(), |b| b.home_dir().join(rest)),
            None => std::path::PathBuf::from(&typed),
        };
        match crate::import::roster::read(&path) {
            Ok(roster) => {
                self.picker.clear();
                self.take_roster(cx, roster);
            }
            Err(e) => self.picker.field.error = Some(e.localized(lang)),
        }
    }

    /// The rows of a roster: those that read well become claimants (known
    /// people by ID or phone and name, others registered with the case);
    /// each refused row waits as a line to correct, with its reason.
    fn take_roster(&mut self, cx: &mut Ctx, mut roster: crate::import::roster::Roster) {
        use crate::import::roster::Matched;
        let lang = cx.lang;
        if let Err(e) = crate::import::roster::match_known(cx.store, &mut roster) {
            return cx.store_error(e);
        }
        use crate::import::roster::RowProblem;
        let (mut added, mut refused, mut repeats) = (0, Vec::new(), 0);
        for row in roster.rows {
            if row
                .problems
                .iter()
                .any(|p| matches!(p, RowProblem::Repeat { .. }))
            {
                repeats += 1;
                continue;
            }
            if !row.is_good() {
                let line = row_line(&row, lang);
                let why: Vec<String> = row.problems.iter().map(|p| p.localized(lang)).collect();
                let why = t!(
                    lang,
                    "cases.roster_row",
                    line = row.line,
                    why = why.join("；")
                );
                refused.push((line, Some(why)));
                continue;
            }
            if matches!(row.matched, Some(Matched::Likely(..))) {
                // Maybe a registered worker: the line waits, and Enter on
                // it says who (Ctrl-P takes them, Enter again someone new).
                refused.push((row_line(&row, lang), None));
                continue;
            }
            let details = row.details();
            let who = match row.matched {
                Some(Matched::Known(id, _)) => match cx.store.person(id) {
                    Ok(Some(p)) => Who::Known(crate::store::PersonHit {
                        id,
                        name: p.details.name,
                        mobile: p.details.mobile,
                        resident_id: p.details.resident_id,
                        trade: p.details.trade,
                        employer: p.details.employer,
                        last_visit: None,
                        matched: crate::store::Match::Name,
                    }),
                    Ok(None) => continue,
                    Err(e) => return cx.store_error(e),
                },
                other => Who::New {
                    details: Box::new(details),
                    shares: match other {
                        Some(Matched::SharesPhoneWith(names)) => names,
                        _ => Vec::new(),
                    },
                },
            };
            if matches!(
                intake::add(
                    &mut self.claimants,
                    Draft {
                        who,
                        claimed: row.claimed
                    }
                ),
                Added::New(_) | Added::Amount
            ) {
                added += 1;
            }
        }
        self.form.touched = true;
        self.follow_total();
        let waiting = refused.len();
        refused.append(&mut self.pending);
        self.pending = refused;
        cx.info(t!(
            lang,
            "cases.roster_read",
            added = added,
            refused = waiting,
            repeats = repeats,
            n = self.claimants.len()
        ));
        self.next_pending(cx);
    }

    /// Adds waiting lines until one is refused (it stays in the field).
    fn next_pending(&mut self, cx: &mut Ctx) {
        while self.picker.query().trim().is_empty() && !self.pending.is_empty() {
            let (line, why) = self.pending.remove(0);
            self.picker.field.set_text(&line);
            self.moved = false;
            match why {
                // A refused roster row: shown with its reason, to correct.
                Some(why) => {
                    self.picker.field.error = Some(why);
                    break;
                }
                None => self.pick(cx),
            }
        }
        if !self.pending.is_empty() || !self.picker.query().trim().is_empty() {
            self.form.touched = true;
        }
    }

    /// The amount field follows the claimants' sum while nobody typed
    /// another amount there.
    fn follow_total(&mut self) {
        let field = self.form.field(CLAIMED).text_value().trim().to_owned();
        let untouched = field.is_empty() || Some(&field) == self.auto_total.as_ref();
        if !untouched {
            return;
        }
        let text = intake::total(&self.claimants)
            .map(|t| t.plain())
            .unwrap_or_default();
        self.form.field_mut(CLAIMED).set_text(&text);
        self.auto_total = (!text.is_empty()).then_some(text);
    }

    /// Applies an action; gives the new case once it is saved.
    pub fn update(&mut self, cx: &mut Ctx, action: &Action) -> Option<(CaseId, CaseNumber)> {
        match action {
            Action::PasteLines(lines) if self.on_picker() => self.paste_lines(cx, lines),
            Action::Save => return self.save(cx),
            Action::Confirm if self.on_picker() && !self.picker.query().trim().is_empty() => {
                self.pick(cx)
            }
            Action::Confirm if self.form.focus == SUMMARY => return self.save(cx),
            Action::Confirm => {
                self.form.handle(&Action::NextField);
            }
            // Only this key drops a claimant (never Backspace: it would
            // drop one too many when deleting typed text).
            Action::Pane(PaneCmd::Cases(Cmd::OpenRoster)) if self.on_picker() => {
                self.open_roster(cx)
            }
            Action::Pane(PaneCmd::Cases(Cmd::UseLikely)) if self.on_picker() => self.use_likely(cx),
            // The register's respondent offered under the field.
            Action::Pane(PaneCmd::Cases(Cmd::UseRespondent)) => {
                if let Some(name) = self.offers.first().map(str::to_owned) {
                    self.form.field_mut(RESPONDENT).set_text(&name);
                    self.form.touched = true;
                    self.offers.hits.clear();
                }
            }
            Action::Pane(PaneCmd::Cases(Cmd::PickerPop)) => {
                match self.claimants.pop() {
                    Some(p) => cx.info(t!(
                        cx.lang,
                        "cases.claimant_dropped",
                        name = p.name(),
                        n = self.claimants.len()
                    )),
                    None => cx.info(t!(cx.lang, "cases.form_no_claimants")),
                }
                self.follow_total();
            }
            Action::Up | Action::Down if self.on_picker() => {
                self.picker.handle(action);
                self.moved = true;
            }
            Action::Left | Action::Right | Action::Edit(_) if self.on_picker() => {
                self.picker.handle(action);
                if matches!(action, Action::Edit(_)) {
                    self.moved = false;
                    self.picker.field.error = None;
                    self.likely = None;
                }
            }
            Action::Left | Action::Right | Action::Edit(_) if self.form.focus == SUMMARY => {
                let req = match action {
                    Action::Left => tui_input::InputRequest::GoToPrevChar,
                    Action::Right => tui_input::InputRequest::GoToNextChar,
                    Action::Edit(r) => *r,
                    _ => return None,
                };
                if self.summary.edit(req) {
                    self.form.touched = true;
                    self.form.field_mut(SUMMARY).error = None;
                }
            }
            other => {
                self.form.handle(other);
            }
        }
        None
    }

    /// Enter in the picker: adds the typed claimant, or the highlighted
    /// person of a lookup by name.
    fn pick(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        // Decide on the hits of what is typed, not of an earlier query.
        self.picker.refresh(cx.store, lang);
        let q = self.picker.query().trim().to_owned();
        let draft = match self.plan(lang) {
            None => return,
            Some(Plan::Refused(m)) => {
                // Refused: what was typed stays, to correct it.
                self.picker.field.error = Some(m);
                *cx.status = None;
                return;
            }
            Some(Plan::Add(d)) => d,
            Some(Plan::Lookup) => match self.picker.current() {
                Some(Picked::Person(p)) => Draft {
                    who: Who::Known(p),
                    claimed: None,
                },
                _ => {
                    self.picker.field.error = Some(not_found(&q, lang));
                    return;
                }
            },
        };
        if let Who::New { details, .. } = &draft.who
            && self.likely.as_ref().is_none_or(|(line, _)| *line != q)
        {
            // Nobody is registered twice by accident: a new claimant who
            // may be a registered worker is said first.
            match likely_claimant(cx, details) {
                Ok(Some((hit, text))) => {
                    self.picker.field.error = Some(t!(lang, "cases.likely", who = text));
                    self.likely = Some((q, hit));
                    *cx.status = None;
                    return;
                }
                Ok(None) => {}
                Err(e) => return cx.store_error(e),
            }
        }
        self.add_draft(cx, draft);
    }

    /// Ctrl-P on a typed claimant said to be a registered worker: adds
    /// that worker, with the amount typed.
    fn use_likely(&mut self, cx: &mut Ctx) {
        let q = self.picker.query().trim().to_owned();
        let Some((_, hit)) = self.likely.clone().filter(|(line, _)| *line == q) else {
            return cx.error(t!(cx.lang, "cases.use_likely_none"));
        };
        let claimed = match self.plan(cx.lang) {
            Some(Plan::Add(d)) => d.claimed,
            _ => None,
        };
        self.add_draft(
            cx,
            Draft {
                who: Who::Known(hit),
                claimed,
            },
        );
    }

    /// Adds a claimant picked or typed, and says so.
    fn add_draft(&mut self, cx: &mut Ctx, draft: Draft) {
        let lang = cx.lang;
        self.likely = None;
        let name = draft.name().to_owned();
        let new = draft.is_new();
        let owed = draft.claimed;
        match intake::add(&mut self.claimants, draft) {
            Added::Already => {
                self.picker.field.error = Some(t!(lang, "cases.claimant_already", name = name));
                *cx.status = None;
                return;
            }
            Added::Amount => cx.info(t!(
                lang,
                "cases.claimant_amount",
                name = name,
                amount = owed.map(money).unwrap_or_default()
            )),
            Added::New(n) if new => cx.info(t!(lang, "cases.claimant_new", name = name, n = n)),
            Added::New(n) => cx.info(t!(lang, "cases.claimant_picked", name = name, n = n)),
        }
        self.picker.clear();
        self.moved = false;
        self.picker.field.error = None;
        self.form.field_mut(CLAIMANTS).error = None;
        self.follow_total();
        self.next_pending(cx);
    }

    fn refuse(&mut self, i: usize, message: String) {
        if i == CLAIMANTS {
            self.picker.field.error = Some(message.clone());
        }
        self.form.refuse(i, message);
    }

    /// Checks every field, then opens the case. A refused field says why
    /// next to it; nothing typed is lost.
    fn save(&mut self, cx: &mut Ctx) -> Option<(CaseId, CaseNumber)> {
        let lang = cx.lang;
        self.form.clear_errors();
        self.picker.field.error = None;
        if !self.picker.query().trim().is_empty() || !self.pending.is_empty() {
            // Typed but not added: say so rather than drop it.
            self.refuse(CLAIMANTS, t!(lang, "cases.picker_pending").to_owned());
        } else if self.claimants.is_empty() {
            self.refuse(CLAIMANTS, ValidationError::NoClaimant.localized(lang));
        }
        let claimed = parse_amount(self.form.field(CLAIMED).text_value(), lang)
            .map_err(|m| self.refuse(CLAIMED, m))
            .ok();
        let today = cx.today();
        let follow_up = parse_follow_up(self.form.field(FOLLOW_UP).text_value(), today, lang)
            .map_err(|m| self.refuse(FOLLOW_UP, m))
            .ok();
        let (Some(claimed), Some(follow_up)) = (claimed, follow_up) else {
            return None;
        };
        if self.form.has_errors() {
            return None;
        }
        let (case_type, hardship_kind) = self
            .types
            .get(self.form.field(TYPE).selected())
            .copied()
            .unwrap_or((CaseType::Other, None));
        let c = NewCase {
            case_type,
            hardship_kind,
            claimants: self.claimants.iter().map(Draft::to_new).collect(),
            respondent: Some(self.form.field(RESPONDENT).text_value().to_owned()),
            summary: Some(self.summary.text()),
            claimed,
            handler: self
                .handlers
                .get(self.form.field(HANDLER).selected())
                .copied()
                .flatten(),
            follow_up,
            opened_at: cx.now,
        };
        match cx.store.write(|w| w.open_case(&c)) {
            Ok(done) => Some(done),
            Err(e) => {
                match invalid(&e).and_then(|v| field_of(v).map(|i| (i, v.localized(lang)))) {
                    Some((i, m)) => self.refuse(i, m),
                    None => cx.store_error(e),
                }
                None
            }
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        let lang = v.lang;
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", t!(lang, "cases.form_title")));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let label_cells = self.form.label_cells();
        // How the form works, on up to three rows at the bottom.
        let hint = t!(lang, "cases.form_help");
        let cells = (inner.width as usize).max(1);
        let help = crate::tui::widgets::wrap::wrap(hint, cells);
        let rows = help.len().min(3) as u16;
        let mut y = inner.y;
        let mut dropdown_y = None;
        for (i, field) in self.form.fields.iter().enumerate() {
            if y >= inner.bottom() {
                break;
            }
            let row = Rect {
                y,
                height: inner.bottom() - y,
                ..inner
            };
            let focused = i == self.form.focus;
            if i == SUMMARY {
                // Down to the help, a row kept blank above it.
                let row = Rect {
                    height: row.height.saturating_sub(rows + 1).max(1),
                    ..row
                };
                y += self.draw_summary(f, row, field, label_cells, focused);
            } else if i == CLAIMANTS {
                y += draw_field(f, row, &self.picker.field, label_cells, focused);
                y += self.draw_claimants(f, inner, y, label_cells, lang);
                dropdown_y = Some(y);
            } else {
                y += draw_field(f, row, field, label_cells, focused);
                // The register's respondent that matches, under the field.
                if let (RESPONDENT, true, Some(offer)) = (i, focused, self.offers.line(lang))
                    && y < inner.bottom()
                {
                    let r = Rect {
                        y,
                        height: 1,
                        ..inner
                    };
                    f.render_widget(
                        Paragraph::new(Span::styled(
                            crate::tui::widgets::fit(&format!("  {offer}"), cells),
                            Style::new().fg(Color::Yellow),
                        )),
                        r,
                    );
                    y += 1;
                }
            }
        }
        if y + rows < inner.bottom() {
            let r = Rect {
                y: inner.bottom() - rows,
                height: rows,
                ..inner
            };
            let lines: Vec<Line> = help
                .into_iter()
                .map(|l| Line::from(Span::styled(l, Style::new().fg(Color::DarkGray))))
                .collect();
            f.render_widget(Paragraph::new(lines), r);
        }
        if let (true, Some(dy)) = (self.on_picker(), dropdown_y) {
            self.draw_dropdown(f, inner, dy, label_cells, v);
        }
    }

    /// The summary: its label, then a box of several lines down to the
    /// form's help (its refusal under it); returns the rows used.
    fn draw_summary(
        &self,
        f: &mut Frame,
        area: Rect,
        field: &Field,
        label_cells: usize,
        focused: bool,
    ) -> u16 {
        if area.height == 0 {
            return 0;
        }
        let mut bare = field.clone();
        let error = bare.error.take();
        bare.set_text("");
        bare.hint = None;
        // The label (and the focus) as a one-line field would show them.
        let label = Rect {
            width: (label_cells as u16 + 1).min(area.width),
            height: 1,
            ..area
        };
        bare.draw(f, label, label_cells, false);
        if focused {
            f.render_widget(
                Paragraph::new(Span::styled(
                    crate::tui::widgets::pad(&field.label, label_cells),
                    Style::new().add_modifier(Modifier::BOLD),
                )),
                label,
            );
        }
        let indent = (label_cells as u16 + 1).min(area.width);
        let cells = usize::from(area.width - indent);
        let error_lines = error
            .as_ref()
            .map(|e| crate::tui::widgets::wrap::wrap(&format!("✗ {e}"), cells))
            .unwrap_or_default();
        // All the room the form has left, its refusal under it.
        let h = area.height.saturating_sub(error_lines.len() as u16).max(1);
        let r = Rect {
            x: area.x + indent,
            y: area.y,
            width: area.width - indent,
            height: h,
        };
        // The box shows as a field does: underlined rows.
        let style = Style::new().add_modifier(Modifier::UNDERLINED);
        for k in 0..h {
            f.render_widget(
                Paragraph::new(Span::styled(" ".repeat(cells), style)),
                Rect {
                    y: r.y + k,
                    height: 1,
                    ..r
                },
            );
        }
        self.summary.draw(f, r, "", focused);
        let mut used = h;
        for l in error_lines {
            if used >= area.height {
                break;
            }
            f.render_widget(
                Paragraph::new(Span::styled(l, super::overdue_style())),
                Rect {
                    y: area.y + used,
                    height: 1,
                    ..r
                },
            );
            used += 1;
        }
        used
    }

    /// The picked claimants under the picker; returns the rows used.
    fn draw_claimants(
        &self,
        f: &mut Frame,
        inner: Rect,
        y: u16,
        label_cells: usize,
        lang: Lang,
    ) -> u16 {
        let indent = (label_cells as u16 + 1).min(inner.width);
        let cells = (inner.width - indent) as usize;
        let dim = Style::new().fg(Color::DarkGray);
        let lines: Vec<Line> = if self.claimants.is_empty() {
            vec![Line::from(Span::styled(
                fit(t!(lang, "cases.form_no_claimants"), cells),
                dim,
            ))]
        } else {
            let n = self.claimants.len();
            let head = match intake::total(&self.claimants) {
                Some(t) => t!(lang, "cases.form_picked_owed", n = n, total = money(t)),
                None => t!(lang, "cases.form_picked", n = n),
            };
            let labels: Vec<String> = self
                .claimants
                .iter()
                .map(|d| {
                    let mut s = d.name().to_owned();
                    if d.is_new() {
                        s.push_str(t!(lang, "cases.new_mark"));
                    }
                    if let Some(f) = d.claimed {
                        s.push(' ');
                        s.push_str(&money(f));
                    }
                    s
                })
                .collect();
            let names: Vec<&str> = labels.iter().map(String::as_str).collect();
            // As many lines as the form can spare: its fields, two for
            // errors and two for the help stay.
            let spare = (inner.height as usize).saturating_sub(self.form.fields.len() + 4);
            let mut lines: Vec<Line> =
                super::detail::wrap_names(&head, &names, cells, spare.max(1), lang)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, Style::new().fg(Color::Green))))
                    .collect();
            if !self.pending.is_empty() {
                lines.push(Line::from(Span::styled(
                    fit(
                        &t!(lang, "cases.lines_waiting", n = self.pending.len()),
                        cells,
                    ),
                    Style::new().fg(Color::Yellow),
                )));
            }
            lines
        };
        let n = (lines.len() as u16).min(inner.bottom().saturating_sub(y));
        let r = Rect {
            x: inner.x + indent,
            y,
            width: inner.width - indent,
            height: n,
        };
        f.render_widget(Paragraph::new(lines), r);
        n
    }

    /// The hits of the picker, over the fields below it.
    fn draw_dropdown(&self, f: &mut Frame, inner: Rect, y: u16, label_cells: usize, v: &View) {
        let lang = v.lang;
        let query = self.picker.query().trim();
        if query.is_empty() || y >= inner.bottom() {
            return;
        }
        let none = self.picker.hits.is_empty() && !self.picker.stale();
        // A typed claimant: what Enter adds, first.
        let planned = self.plan(lang);
        if matches!(planned, Some(Plan::Refused(_))) && self.picker.field.error.is_some() {
            return; // said beside the field
        }
        let plan = match planned {
            Some(Plan::Add(d)) => Some(intake::plan_line(&d, lang)),
            Some(Plan::Refused(m)) => Some(format!("✗ {m}")),
            _ => None,
        };
        let indent = (label_cells as u16 + 1).min(inner.width);
        let w = (inner.width - indent).min(76);
        // The marker of the highlighted hit takes two cells, the box two.
        let cells = (w as usize).saturating_sub(4);
        let hits = plan.is_some() as usize;
        let mut lines: Vec<String> = plan.into_iter().collect();
        // A message is wrapped, never cut.
        if let Some(e) = &self.picker.error {
            lines.extend(crate::tui::widgets::wrap::wrap(e, cells));
        } else if none && hits == 0 {
            lines.extend(crate::tui::widgets::wrap::wrap(
                &not_found(query, lang),
                cells,
            ));
        } else {
            // A tick marks who is already in the case.
            lines.extend(self.picker.hits.iter().map(|h| {
                let picked = matches!(h, Hit::Person(p) if self.claimants.iter()
                    .any(|c| matches!(&c.who, Who::Known(k) if k.id == p.id)));
                format!(
                    "{}{}",
                    if picked { "✓ " } else { "  " },
                    hit_line(h, lang, v.tz)
                )
            }));
        }
        if lines.is_empty() {
            return;
        }
        let want = (lines.len() as u16).min(DROPDOWN_ROWS) + 2;
        let h = want.min(inner.bottom() - y);
        if h < 3 {
            return;
        }
        let r = Rect {
            x: inner.x + indent,
            y,
            width: w,
            height: h,
        };
        crate::tui::widgets::clear_popup_within(f, r, inner);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(Style::new().fg(Color::Yellow));
        let items: Vec<ListItem> = lines.iter().map(|l| ListItem::new(fit(l, cells))).collect();
        let mut state = ListState::default();
        if hits == 1 && !self.moved {
            state.select(Some(0));
        } else if !none && self.picker.error.is_none() {
            state.select(Some(self.picker.selected + hits));
        }
        let list = List::new(items)
            .block(block)
            .highlight_symbol("▶ ")
            .highlight_spacing(HighlightSpacing::Always)
            .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        f.render_stateful_widget(list, r, &mut state);
    }
}

/// The registered worker a typed new claimant may be, when the match says
/// more than a shared phone (the claimant line already says who shares
/// it): the same ID number, or a name read alike or one character apart
/// with the same trade or employer, or the same phone with a name read
/// alike.
pub(super) fn likely_claimant(
    cx: &mut Ctx,
    details: &crate::domain::person::PersonDetails,
) -> Result<Option<(crate::store::PersonHit, String)>, crate::store::StoreError> {
    use crate::store::Why;
    let typed = crate::store::Typed {
        name: details.name.clone(),
        mobile: details.mobile.as_ref().map(|m| m.as_str().to_owned()),
        resident_id: details.resident_id.as_ref().map(|r| r.as_str().to_owned()),
        trade: Some(details.trade),
        employer: details.employer.clone(),
    };
    let found = cx.store.likely_same(&typed, 1)?;
    let Some(l) = found.into_iter().next().filter(|l| {
        l.why.iter().any(|w| {
            matches!(
                w,
                Why::SameResidentId | Why::SameName | Why::SameReading | Why::CloseName
            )
        })
    }) else {
        return Ok(None);
    };
    let last_visit = cx
        .store
        .visits_of(l.person.id, 1)?
        .first()
        .map(|v| v.arrived_at);
    let text = crate::words::likely_who(&l, cx.lang, cx.tz);
    let d = l.person.details;
    Ok(Some((
        crate::store::PersonHit {
            id: l.person.id,
            name: d.name,
            mobile: d.mobile,
            resident_id: d.resident_id,
            trade: d.trade,
            employer: d.employer,
            last_visit,
            matched: crate::store::Match::Name,
        },
        text,
    )))
}

/// A roster row as a claimant line: each value as read, or as written
/// where it was refused.
fn row_line(row: &crate::import::roster::RosterRow, lang: Lang) -> String {
    use crate::import::roster::{Column, RowProblem};
    // The row as a line to correct: each value as read, or as
    // written where it was refused.
    let raw = |c: Column| {
        row.problems.iter().find_map(|p| match p {
            RowProblem::Invalid { column, value, .. } if *column == c => Some(value.clone()),
            RowProblem::UnknownTrade { value } if c == Column::Trade => Some(value.clone()),
            RowProblem::IdAsNumber { value } if c == Column::ResidentId => Some(value.clone()),
            _ => None,
        })
    };
    [
        Some(row.name.clone()),
        row.mobile
            .as_ref()
            .map(|m| m.as_str().to_owned())
            .or_else(|| raw(Column::Mobile)),
        row.resident_id
            .as_ref()
            .map(|r| r.as_str().to_owned())
            .or_else(|| raw(Column::ResidentId)),
        row.trade
            .map(|t| t.label(lang).to_owned())
            .or_else(|| raw(Column::Trade)),
        row.claimed
            .map(|f| f.plain())
            .or_else(|| raw(Column::Amount)),
    ]
    .into_iter()
    .flatten()
    .filter(|w| !w.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}
