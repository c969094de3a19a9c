//! The from–to form of a period, shared by the figures pane and the audit
//! log: either field may hold a day or a whole period (上月, 2026-10).

use chrono::NaiveDate;

use super::field::Field;
use super::form::Form;
use crate::domain::dates::{Period, parse_period};
use crate::i18n::{Lang, Localized};
use crate::t;

const FROM: usize = 0;
const TO: usize = 1;

/// The form, filled with `period`.
pub fn form(period: Period, lang: Lang) -> Form {
    let hint = t!(lang, "figures.date_hint");
    Form::new(vec![
        Field::text(t!(lang, "figures.from"), &period.from.to_string()).with_hint(hint),
        Field::text(t!(lang, "figures.to"), &period.to.to_string()).with_hint(hint),
    ])
}

/// The period typed: the start of the first field's period to the end of
/// the second's (an empty second field: the first's whole period). A
/// refused field gets its reason beside it, the text stays, and `None`.
pub fn read(form: &mut Form, today: NaiveDate, lang: Lang) -> Option<Period> {
    form.clear_errors();
    let from = parse_period(form.field(FROM).text_value(), today);
    let to_text = form.field(TO).text_value().trim().to_owned();
    let to = if to_text.is_empty() {
        from.clone()
    } else {
        parse_period(&to_text, today)
    };
    if let Err(e) = &from {
        form.refuse(FROM, e.localized(lang));
    }
    if let Err(e) = &to {
        form.refuse(TO, e.localized(lang));
    }
    let (Ok(from), Ok(to)) = (from, to) else {
        return None;
    };
    match Period::new(from.from, to.to) {
        Ok(p) => Some(p),
        Err(e) => {
            form.refuse(TO, e.localized(lang));
            None
        }
    }
}
