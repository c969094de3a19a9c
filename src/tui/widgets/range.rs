//! The from–to form of a period, shared by the figures pane and the audit
//! log: either field may hold a day or a whole period (上月, 2026-10).

use chrono::NaiveDate;

use super::field::Field;
use super::form::Form;
use crate::domain::dates::{End, Period, parse_from_to};
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
/// the second's (an empty second field: the first's whole period), the two
/// read together (a side without a year takes the other's). A refused
/// field gets its reason beside it, the text stays, and `None`.
pub fn read(form: &mut Form, today: NaiveDate, lang: Lang) -> Option<Period> {
    form.clear_errors();
    let from = form.field(FROM).text_value().to_owned();
    let to = form.field(TO).text_value().trim().to_owned();
    let to = (!to.is_empty()).then_some(to.as_str());
    match parse_from_to(&from, to, today) {
        Ok(p) => Some(p),
        Err((end, e)) => {
            let at = match end {
                End::From => FROM,
                End::To => TO,
            };
            form.refuse(at, e.localized(lang));
            None
        }
    }
}
