//! The forms of the management view: a new counsellor, recurring hours,
//! an exception. A refused value shows next to its field (and in full at
//! the foot of the form); what was typed stays.

use chrono::{NaiveDate, Weekday};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::counsellors::{exception_text, rule_text};
use super::{Dialog, SchedulePane, dialog_frame, fields, weekday_short};
use crate::domain::ValidationError;
use crate::domain::dates::{parse_date, parse_time};
use crate::domain::ids::{CounsellorId, ExceptionId, RuleId};
use crate::domain::schedule::{
    AvailabilityException, AvailabilityRule, CounsellorKind, ExceptionKind, Recurrence,
    WeeksOfMonth, check_period,
};
use crate::i18n::{Lang, Localized};
use crate::store::StoreError;
use crate::t;
use crate::tui::action::Action;
use crate::tui::panes::Ctx;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::{centered, fit};

/// Which form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Counsellor,
    Rule(CounsellorId),
    Exception(CounsellorId),
}

#[derive(Debug, Clone)]
pub struct ManageForm {
    pub kind: FormKind,
    pub form: Form,
    /// A name another counsellor already has, that the user was warned
    /// about: saving it again adds the counsellor all the same.
    pub same_name: Option<String>,
}

// Fields of the counsellor form.
const C_NAME: usize = 0;
const C_KIND: usize = 1;
// Fields of the rule form.
pub const R_REPEAT: usize = 0;
pub const R_WEEKDAY: usize = 1;
pub const R_WEEKS: usize = 2;
pub const R_START: usize = 3;
pub const R_END: usize = 4;
pub const R_MINUTES: usize = 5;
pub const R_FROM: usize = 6;
pub const R_UNTIL: usize = 7;
// Fields of the exception form.
pub const E_DATE: usize = 0;
pub const E_KIND: usize = 1;
pub const E_START: usize = 2;
pub const E_END: usize = 3;
pub const E_MINUTES: usize = 4;

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl ManageForm {
    pub fn counsellor(lang: Lang) -> ManageForm {
        let kinds = CounsellorKind::ALL
            .iter()
            .map(|k| k.label(lang).to_owned())
            .collect();
        ManageForm {
            kind: FormKind::Counsellor,
            same_name: None,
            form: Form::new(vec![
                Field::text(t!(lang, "schedule.mg.f_name"), ""),
                Field::choice(t!(lang, "schedule.mg.f_kind"), kinds, 0),
            ]),
        }
    }

    pub fn rule(lang: Lang, counsellor: CounsellorId, today: NaiveDate) -> ManageForm {
        let repeat = vec![
            t!(lang, "schedule.mg.r_weekly").to_owned(),
            t!(lang, "schedule.mg.r_monthly").to_owned(),
        ];
        let days = WEEKDAYS
            .iter()
            .map(|d| weekday_short(lang, *d).to_owned())
            .collect();
        ManageForm {
            kind: FormKind::Rule(counsellor),
            same_name: None,
            form: Form::new(vec![
                Field::choice(t!(lang, "schedule.mg.f_repeat"), repeat, 0),
                Field::choice(t!(lang, "schedule.mg.f_weekday"), days, 1),
                Field::text(t!(lang, "schedule.mg.f_weeks"), "")
                    .with_hint(t!(lang, "schedule.mg.weeks_hint")),
                Field::text(t!(lang, "schedule.mg.f_start"), "14:00"),
                Field::text(t!(lang, "schedule.mg.f_end"), "17:00"),
                Field::text(t!(lang, "schedule.mg.f_minutes"), "60"),
                Field::text(t!(lang, "schedule.mg.f_from"), &today.to_string()),
                Field::text(t!(lang, "schedule.mg.f_until"), "")
                    .with_hint(t!(lang, "schedule.mg.optional")),
            ]),
        }
    }

    pub fn exception(lang: Lang, counsellor: CounsellorId, date: NaiveDate) -> ManageForm {
        let kinds = vec![
            t!(lang, "schedule.mg.x_off_day").to_owned(),
            t!(lang, "schedule.mg.x_off_hours").to_owned(),
            t!(lang, "schedule.mg.x_extra").to_owned(),
        ];
        ManageForm {
            kind: FormKind::Exception(counsellor),
            same_name: None,
            form: Form::new(vec![
                Field::text(t!(lang, "schedule.mg.f_date"), &date.to_string()),
                Field::choice(t!(lang, "schedule.mg.f_x_kind"), kinds, 0),
                Field::text(t!(lang, "schedule.mg.f_start"), "")
                    .with_hint(t!(lang, "schedule.mg.x_hours_hint")),
                Field::text(t!(lang, "schedule.mg.f_end"), "")
                    .with_hint(t!(lang, "schedule.mg.x_hours_hint")),
                Field::text(t!(lang, "schedule.mg.f_minutes"), "60")
                    .with_hint(t!(lang, "schedule.mg.x_extra_hint")),
            ]),
        }
    }

    fn title(&self, lang: Lang) -> &'static str {
        match self.kind {
            FormKind::Counsellor => t!(lang, "schedule.mg.new_title"),
            FormKind::Rule(_) => t!(lang, "schedule.mg.rule_title"),
            FormKind::Exception(_) => t!(lang, "schedule.mg.exception_title"),
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, lang: Lang) {
        let w = area.width.min(84);
        let rows = fields::form_height(&self.form, w.saturating_sub(2));
        let r = centered(area, w, (rows + 6).min(area.height));
        let inner = dialog_frame(f, r, self.title(lang));
        let w = inner.width as usize;
        let row = |y: u16| Rect {
            y,
            height: 1,
            ..inner
        };
        let example = match self.kind {
            FormKind::Counsellor => t!(lang, "schedule.mg.new_example"),
            FormKind::Rule(_) => t!(lang, "schedule.mg.rule_example"),
            FormKind::Exception(_) => t!(lang, "schedule.mg.exception_example"),
        };
        f.render_widget(
            Paragraph::new(Span::styled(fit(example, w), Style::new().fg(Color::Cyan))),
            row(inner.y),
        );
        let body = Rect {
            y: inner.y + 2,
            height: rows.min(inner.height.saturating_sub(4)),
            ..inner
        };
        fields::draw_form(f, body, &self.form, true);
        let hint = Paragraph::new(Span::styled(
            fit(t!(lang, "schedule.form_hint"), w),
            Style::new().fg(Color::DarkGray),
        ));
        f.render_widget(hint, row(inner.bottom().saturating_sub(1)));
    }
}

/// Reads "2,4", "2、4", "last", "末" … into weeks of the month.
pub fn parse_weeks(text: &str) -> Result<WeeksOfMonth, ValidationError> {
    let mut weeks = Vec::new();
    for part in text
        .split([',', '，', '、', ' ', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let w = match part.to_lowercase().as_str() {
            "last" | "l" | "末" | "最后" | "最后一个" | "最后一周" => 6,
            p => match p
                .trim_start_matches('第')
                .trim_end_matches(['个', '周'])
                .parse::<u8>()
            {
                Ok(n) if (1..=5).contains(&n) => n,
                _ => return Err(ValidationError::WeekOfMonth),
            },
        };
        weeks.push(w);
    }
    WeeksOfMonth::new(&weeks)
}

impl SchedulePane {
    pub(super) fn update_manage_form(
        &mut self,
        cx: &mut Ctx,
        mut m: Box<ManageForm>,
        action: &Action,
    ) {
        match action {
            Action::Back => {}
            // Enter goes down the form; on its last field (or Ctrl-S
            // anywhere) it saves.
            Action::Confirm if m.form.focus + 1 < m.form.fields.len() => {
                m.form.focus += 1;
                self.dialog = Some(Dialog::Manage(m));
            }
            Action::Confirm | Action::Save => {
                m.form.clear_errors();
                let kind = m.kind;
                let saved = match kind {
                    FormKind::Counsellor if self.name_taken(&mut m) => false,
                    FormKind::Counsellor => self.save_counsellor(cx, &mut m.form),
                    FormKind::Rule(c) => self.save_rule(cx, c, &mut m.form),
                    FormKind::Exception(c) => self.save_exception(cx, c, &mut m.form),
                };
                if !saved {
                    self.dialog = Some(Dialog::Manage(m));
                }
            }
            other => {
                m.form.handle(other);
                self.dialog = Some(Dialog::Manage(m));
            }
        }
    }

    /// Whether the typed name is another counsellor's and the user has
    /// not been warned yet: warns (next to the name) and says so. Saving
    /// the same name again adds the counsellor all the same.
    fn name_taken(&self, m: &mut ManageForm) -> bool {
        let name = m.form.field(C_NAME).text_value().trim().to_owned();
        let Some(other) = self.counsellors.iter().find(|c| c.name == name) else {
            return false;
        };
        if m.same_name.as_deref() == Some(name.as_str()) {
            return false;
        }
        let lang = self.lang;
        let state = if other.active {
            other.kind.label(lang).to_owned()
        } else {
            format!(
                "{}{}",
                other.kind.label(lang),
                t!(lang, "schedule.stopped_mark")
            )
        };
        m.form.refuse(
            C_NAME,
            t!(lang, "schedule.mg.same_name", name = name, other = state),
        );
        m.form.focus = C_NAME;
        m.same_name = Some(name);
        true
    }

    fn save_counsellor(&mut self, cx: &mut Ctx, form: &mut Form) -> bool {
        let lang = self.lang;
        let name = form.field(C_NAME).text_value().to_owned();
        let kind = CounsellorKind::ALL
            .get(form.field(C_KIND).selected())
            .copied()
            .unwrap_or(CounsellorKind::Psychological);
        match cx.store.write(|w| w.add_counsellor(&name, kind)) {
            Ok(id) => {
                cx.info(t!(lang, "schedule.mg.added", name = name.trim()));
                self.load_counsellors(cx);
                self.manage.sel = self
                    .counsellors
                    .iter()
                    .position(|c| c.id == id)
                    .unwrap_or(0);
                self.manage.item = 0;
                self.load_manage_details(cx);
                true
            }
            Err(StoreError::Invalid(v)) => {
                form.refuse(C_NAME, v.localized(lang));
                false
            }
            Err(e) => {
                cx.store_error(e);
                false
            }
        }
    }

    fn save_rule(&mut self, cx: &mut Ctx, counsellor: CounsellorId, form: &mut Form) -> bool {
        let lang = self.lang;
        let text = |i: usize| form.field(i).text_value().trim().to_owned();
        let monthly = form.field(R_REPEAT).selected() == 1;
        let day = WEEKDAYS
            .get(form.field(R_WEEKDAY).selected())
            .copied()
            .unwrap_or(Weekday::Mon);
        let mut refusals: Vec<(usize, String)> = Vec::new();
        let recurrence = if monthly {
            match parse_weeks(&text(R_WEEKS)) {
                Ok(w) => Some(Recurrence::Monthly(day, w)),
                Err(e) => {
                    refusals.push((R_WEEKS, e.localized(lang)));
                    None
                }
            }
        } else {
            Some(Recurrence::Weekly(day))
        };
        let mut time = |i: usize| match parse_time(&text(i)) {
            Ok(t) => Some(t),
            Err(e) => {
                refusals.push((i, e.localized(lang)));
                None
            }
        };
        let (start, end) = (time(R_START), time(R_END));
        let minutes = match text(R_MINUTES).parse::<u32>() {
            Ok(m) => Some(m),
            Err(_) => {
                refusals.push((R_MINUTES, ValidationError::SlotLength.localized(lang)));
                None
            }
        };
        let today = cx.today();
        let from = match parse_date(&text(R_FROM), today) {
            Ok(d) => Some(d),
            Err(e) => {
                refusals.push((R_FROM, e.localized(lang)));
                None
            }
        };
        let until = match text(R_UNTIL).as_str() {
            "" => Some(None),
            s => match parse_date(s, today) {
                Ok(d) if from.is_some_and(|f| d < f) => {
                    refusals.push((
                        R_UNTIL,
                        t!(lang, "schedule.mg.until_before_from").to_owned(),
                    ));
                    None
                }
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    refusals.push((R_UNTIL, e.localized(lang)));
                    None
                }
            },
        };
        // The domain's own checks of the period and slot length, on what
        // could be read, so that every refusal shows at once.
        if let (Some(start), Some(end), Some(slot_minutes)) = (start, end, minutes) {
            let probe = AvailabilityRule {
                id: RuleId::new(),
                counsellor,
                recurrence: Recurrence::Weekly(day),
                start,
                end,
                slot_minutes,
                valid_from: from.unwrap_or_default(),
                valid_until: None,
            };
            match probe.validate() {
                Ok(()) => {}
                Err(e @ ValidationError::EndBeforeStart) => {
                    refusals.push((R_END, e.localized(lang)))
                }
                Err(e) => refusals.push((R_MINUTES, e.localized(lang))),
            }
        }
        let (
            Some(recurrence),
            Some(start),
            Some(end),
            Some(slot_minutes),
            Some(valid_from),
            Some(valid_until),
            true,
        ) = (
            recurrence,
            start,
            end,
            minutes,
            from,
            until,
            refusals.is_empty(),
        )
        else {
            for (i, msg) in refusals.into_iter().rev() {
                form.refuse(i, msg);
            }
            return false;
        };
        let rule = AvailabilityRule {
            id: RuleId::new(),
            counsellor,
            recurrence,
            start,
            end,
            slot_minutes,
            valid_from,
            valid_until,
        };
        match cx.store.write(|w| w.add_rule(&rule)) {
            Ok(_) => {
                cx.info(t!(
                    lang,
                    "schedule.mg.rule_added",
                    rule = rule_text(&rule, lang)
                ));
                self.load_manage_details(cx);
                true
            }
            Err(StoreError::Invalid(v)) => {
                let at = match v {
                    ValidationError::EndBeforeStart => R_END,
                    ValidationError::SlotLength => R_MINUTES,
                    ValidationError::WeekOfMonth => R_WEEKS,
                    // RuleOverlaps, and anything else: at the hours.
                    _ => R_START,
                };
                form.refuse(at, v.localized(lang));
                false
            }
            Err(e) => {
                cx.store_error(e);
                false
            }
        }
    }

    fn save_exception(&mut self, cx: &mut Ctx, counsellor: CounsellorId, form: &mut Form) -> bool {
        let lang = self.lang;
        let text = |i: usize| form.field(i).text_value().trim().to_owned();
        let which = form.field(E_KIND).selected();
        let mut refusals: Vec<(usize, String)> = Vec::new();
        // The list shows exceptions from today on: one before could be
        // neither seen nor removed.
        let today = cx.today();
        let date = match parse_date(&text(E_DATE), today) {
            Ok(d) if d < today => {
                refusals.push((
                    E_DATE,
                    t!(lang, "schedule.mg.x_past", today = today.to_string()),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                refusals.push((E_DATE, e.localized(lang)));
                None
            }
        };
        let mut period = None;
        if which > 0 {
            let s = parse_time(&text(E_START))
                .map_err(|e| refusals.push((E_START, e.localized(lang))))
                .ok();
            let t = parse_time(&text(E_END))
                .map_err(|e| refusals.push((E_END, e.localized(lang))))
                .ok();
            if let (Some(s), Some(t)) = (s, t) {
                match check_period(s, t) {
                    Ok(()) => period = Some((s, t)),
                    Err(e) => refusals.push((E_END, e.localized(lang))),
                }
            }
        }
        let minutes = if which == 2 {
            match text(E_MINUTES).parse::<u32>() {
                Ok(m) if (10..=240).contains(&m) => Some(m),
                _ => {
                    refusals.push((E_MINUTES, ValidationError::SlotLength.localized(lang)));
                    None
                }
            }
        } else {
            None
        };
        let kind = match (which, period, minutes) {
            (0, _, _) => Some(ExceptionKind::Unavailable(None)),
            (1, Some(p), _) => Some(ExceptionKind::Unavailable(Some(p))),
            (2, Some((s, t)), Some(m)) => Some(ExceptionKind::Extra(s, t, m)),
            _ => None,
        };
        let (Some(date), Some(kind), true) = (date, kind, refusals.is_empty()) else {
            for (i, msg) in refusals.into_iter().rev() {
                form.refuse(i, msg);
            }
            return false;
        };
        let e = AvailabilityException {
            id: ExceptionId::new(),
            counsellor,
            date,
            kind,
        };
        match cx.store.write(|w| w.add_exception(&e)) {
            Ok(_) => {
                cx.info(t!(
                    lang,
                    "schedule.mg.exception_added",
                    about = exception_text(&e, lang)
                ));
                self.load_manage_details(cx);
                true
            }
            Err(StoreError::Invalid(v)) => {
                let at = match v {
                    ValidationError::SlotLength => E_MINUTES,
                    ValidationError::EndBeforeStart => E_END,
                    _ => E_DATE,
                };
                form.refuse(at, v.localized(lang));
                false
            }
            Err(e) => {
                cx.store_error(e);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_of_the_month_as_staff_type_them() {
        let bits = |s: &str| parse_weeks(s).map(WeeksOfMonth::bits);
        assert_eq!(bits("2,4"), Ok(0b1010));
        assert_eq!(bits("2、4"), Ok(0b1010));
        assert_eq!(bits("第2，第4个"), Ok(0b1010));
        assert_eq!(bits("1 last"), Ok(0b10_0001));
        assert_eq!(bits("末"), Ok(0b10_0000));
        assert_eq!(bits(""), Err(ValidationError::WeekOfMonth));
        assert_eq!(bits("2,9"), Err(ValidationError::WeekOfMonth));
        assert_eq!(bits("0"), Err(ValidationError::WeekOfMonth));
        assert_eq!(bits("x"), Err(ValidationError::WeekOfMonth));
    }
}
