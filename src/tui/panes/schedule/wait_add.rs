//! Putting a person on the waitlist: pick the person, then the week, the
//! kind of help and a note.

use chrono::{Datelike, NaiveDate, Weekday};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::{Dialog, Mode, SchedulePane, Who, dialog_frame, fields};
use crate::domain::ValidationError;
use crate::domain::dates::DateError;
use crate::domain::ids::{CounsellorId, PersonId};
use crate::domain::schedule::{CounsellorKind, monday_of};
use crate::i18n::{Lang, Localized};
use crate::store::StoreError;
use crate::t;
use crate::tui::action::Action;
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::picker::{Picked, Picker, PickerKind};
use crate::tui::widgets::{centered, fit};

/// Putting a person on the waitlist: pick the person, then the week, the
/// kind of help and a note.
#[derive(Debug, Clone)]
pub struct WaitAdd {
    pub picker: Picker,
    pub person: Option<(PersonId, String)>,
    pub counsellor: Option<(CounsellorId, String)>,
    /// Kind, week (any day of it), note.
    pub form: Form,
    pub error: Option<String>,
}

pub const WA_KIND: usize = 0;
pub const WA_WEEK: usize = 1;
pub const WA_NOTE: usize = 2;

impl WaitAdd {
    pub fn new(
        lang: Lang,
        counsellor: Option<(CounsellorId, String)>,
        kind: CounsellorKind,
        week: chrono::NaiveDate,
    ) -> WaitAdd {
        let kinds = CounsellorKind::ALL
            .iter()
            .map(|k| k.label(lang).to_owned())
            .collect();
        let at = CounsellorKind::ALL
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(0);
        WaitAdd {
            picker: Picker::new(PickerKind::People, t!(lang, "schedule.booking.person")),
            person: None,
            counsellor,
            form: Form::new(vec![
                Field::choice(t!(lang, "schedule.wl.kind"), kinds, at),
                Field::text(t!(lang, "schedule.wl.week"), &monday_of(week).to_string()),
                Field::text(t!(lang, "schedule.wl.note"), "")
                    .with_hint(t!(lang, "schedule.wl.note_hint")),
            ]),
            error: None,
        }
    }

    pub fn picking(&self) -> bool {
        self.person.is_none()
    }

    pub fn typing(&self) -> bool {
        self.picking() || self.form.typing()
    }

    pub fn unsaved(&self) -> bool {
        !self.picker.query().trim().is_empty() || self.form.touched
    }

    pub fn refresh(&mut self, cx: &mut Ctx) -> bool {
        self.picking() && self.picker.refresh(cx.store, cx.lang)
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, lang: Lang, v: &View) {
        let r = centered(area, area.width.min(84), area.height.min(15));
        let inner = dialog_frame(f, r, t!(lang, "schedule.wl.add_title"));
        if inner.height < 6 {
            return;
        }
        let w = inner.width as usize;
        let row = |y: u16| Rect {
            y,
            height: 1,
            ..inner
        };
        let who = match &self.counsellor {
            Some((_, name)) => t!(lang, "schedule.wl.with", name = name),
            None => t!(lang, "schedule.wl.with_any").to_owned(),
        };
        f.render_widget(
            Paragraph::new(Span::styled(
                fit(&who, w),
                Style::new().add_modifier(Modifier::BOLD),
            )),
            row(inner.y),
        );
        let bottom = inner.bottom().saturating_sub(2);
        match &self.person {
            None => {
                let pr = Rect {
                    y: inner.y + 1,
                    height: bottom.saturating_sub(inner.y + 1),
                    ..inner
                };
                self.picker.draw(f, pr, lang, v.tz, true);
            }
            Some((_, name)) => {
                f.render_widget(
                    Paragraph::new(fit(&t!(lang, "schedule.wl.person", name = name), w)),
                    row(inner.y + 1),
                );
                let fr = Rect {
                    y: inner.y + 3,
                    height: bottom.saturating_sub(inner.y + 3),
                    ..inner
                };
                fields::draw_form(f, fr, &self.form, true);
            }
        }
        if let Some(e) = &self.error {
            f.render_widget(
                Paragraph::new(Span::styled(
                    fit(&format!("✗ {e}"), w),
                    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                )),
                row(bottom),
            );
        }
        let hint = if self.picking() {
            t!(lang, "schedule.wl.pick_hint")
        } else {
            t!(lang, "schedule.form_hint")
        };
        f.render_widget(
            Paragraph::new(Span::styled(fit(hint, w), Style::new().fg(Color::DarkGray))),
            row(inner.bottom().saturating_sub(1)),
        );
    }
}

impl SchedulePane {
    /// Opens the waitlist dialog for the shown selection and week.
    pub(super) fn open_wait_add(&mut self) {
        let (counsellor, kind) = match self.who {
            Who::One(id) => match self.counsellor(id) {
                Some(c) if c.active => (Some((c.id, c.name.clone())), c.kind),
                // A stopped counsellor takes no one new: any of the kind.
                Some(c) => (None, c.kind),
                None => (None, CounsellorKind::Psychological),
            },
            Who::Kind(k) => (None, k),
            Who::All => (
                None,
                self.waitlist.kind.unwrap_or(CounsellorKind::Psychological),
            ),
        };
        let w = WaitAdd::new(self.lang, counsellor, kind, self.date);
        self.dialog = Some(Dialog::WaitAdd(Box::new(w)));
    }

    pub(super) fn update_wait_add(&mut self, cx: &mut Ctx, mut w: Box<WaitAdd>, action: &Action) {
        let lang = self.lang;
        if w.picking() {
            match action {
                Action::Back => return,
                Action::Confirm => match w.picker.current() {
                    Some(Picked::Person(p)) => {
                        w.person = Some((p.id, p.name));
                        w.error = None;
                        w.form.focus = WA_KIND;
                    }
                    _ => w.error = Some(t!(lang, "schedule.booking.need_person").to_owned()),
                },
                other => {
                    w.picker.handle(other);
                }
            }
            self.dialog = Some(Dialog::WaitAdd(w));
            return;
        }
        match action {
            Action::Back => {}
            // Enter goes down the form; on its last field (or Ctrl-S
            // anywhere) it saves.
            Action::Confirm if w.form.focus + 1 < w.form.fields.len() => {
                w.form.focus += 1;
                self.dialog = Some(Dialog::WaitAdd(w));
            }
            Action::Confirm | Action::Save => {
                w.form.clear_errors();
                w.error = None;
                let week = read_week(w.form.field(WA_WEEK).text_value(), cx.today());
                let kind = CounsellorKind::ALL
                    .get(w.form.field(WA_KIND).selected())
                    .copied();
                let week = match week {
                    Ok(d) => d,
                    Err(e) => {
                        w.form.refuse(WA_WEEK, e.localized(lang));
                        self.dialog = Some(Dialog::WaitAdd(w));
                        return;
                    }
                };
                let kind = kind.unwrap_or(CounsellorKind::Psychological);
                let note = w.form.field(WA_NOTE).text_value().to_owned();
                let person = w.person.clone();
                let counsellor = w.counsellor.as_ref().map(|c| c.0);
                let Some((pid, name)) = person else { return };
                let done = cx
                    .store
                    .write(|wr| wr.add_to_waitlist(pid, counsellor, kind, week, Some(&note)));
                match done {
                    Ok(_) => {
                        cx.info(t!(
                            lang,
                            "schedule.wl.added",
                            name = name,
                            week = monday_of(week)
                        ));
                        self.waitlist.kind = Some(kind);
                        self.mode = Mode::Waitlist;
                        self.load_waitlist(cx);
                    }
                    Err(StoreError::Invalid(v)) => {
                        let field = match v {
                            ValidationError::CounsellorKind => WA_KIND,
                            _ => WA_NOTE,
                        };
                        w.form.refuse(field, v.localized(lang));
                        self.dialog = Some(Dialog::WaitAdd(w));
                    }
                    Err(e) => {
                        let msg = e.localized(lang);
                        cx.error(msg.clone());
                        w.error = Some(msg);
                        self.dialog = Some(Dialog::WaitAdd(w));
                    }
                }
            }
            other => {
                w.form.handle(other);
                self.dialog = Some(Dialog::WaitAdd(w));
            }
        }
    }
}

/// The week field: any day of the week, or a week named whole (`下周`,
/// `本周`): its Monday.
fn read_week(text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    use crate::domain::dates::{parse_date, parse_period};
    parse_date(text, today).or_else(|e| match parse_period(text, today) {
        Ok(p) if p.days() == 7 && p.from.weekday() == Weekday::Mon => Ok(p.from),
        _ => Err(e),
    })
}
