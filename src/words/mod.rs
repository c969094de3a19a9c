//! How records, fields, audit entries and sync's findings read, in both
//! languages: one vocabulary shared by the console, the kiosk and the
//! command line. The words themselves are in the catalogue
//! (`locales/records.toml` for kinds of record and fields).

pub mod audit;
pub mod handoff;
pub mod held;
pub mod sync;

use crate::i18n::{Lang, catalogue};
use crate::store::Entity;

/// A kind of record in words ("case", "claimant" …), the same everywhere:
/// the sync pane, the conflicts list, the audit log (`Entity::words`,
/// also its `Localized`).
pub fn entity(e: Entity, lang: Lang) -> &'static str {
    e.words(lang)
}

/// A field of a record in words; a field this version does not know (a
/// newer station's) by its stored name.
pub fn field(name: &str, lang: Lang) -> &str {
    catalogue::lookup(lang, &format!("record.field.{name}")).unwrap_or(name)
}

/// How many names [`names`] lists before "and n more".
const NAMES_SHOWN: usize = 3;

/// Names joined as the language lists them (、 / ", "), the first few,
/// then "and n more"; an erased person's empty name as the erased mark.
pub fn names<'a>(names: impl IntoIterator<Item = &'a str>, lang: Lang) -> String {
    let names: Vec<&str> = names
        .into_iter()
        .map(|n| catalogue::person_name(n, lang))
        .collect();
    let mut text = names
        .iter()
        .take(NAMES_SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(crate::t!(lang, "lookup.names_sep"));
    if names.len() > NAMES_SHOWN {
        text.push_str(&crate::t!(
            lang,
            "lookup.names_more",
            total = names.len(),
            more = names.len() - NAMES_SHOWN
        ));
    }
    text
}

/// The note on a person who shares their mobile number with others (a
/// family sharing a phone): "共用手机号：刘洋" / "shares this number with
/// 刘洋". `None` when nobody else has it.
pub fn shares_mobile(others: &[String], lang: Lang) -> Option<String> {
    if others.is_empty() {
        return None;
    }
    let names = names(others.iter().map(String::as_str), lang);
    Some(crate::t!(lang, "lookup.shares", names = names))
}

/// Why two records may be one worker, in words: "同一手机号、姓名读音相同".
pub fn why_same(why: &[crate::store::Why], lang: Lang) -> String {
    use crate::store::Why;
    why.iter()
        .map(|w| match w {
            Why::SameResidentId => crate::t!(lang, "cli.duplicates.why_id"),
            Why::SameMobile => crate::t!(lang, "cli.duplicates.why_mobile"),
            Why::SameName => crate::t!(lang, "cli.duplicates.why_name"),
            Why::SameReading => crate::t!(lang, "cli.duplicates.why_reading"),
            Why::CloseName => crate::t!(lang, "cli.duplicates.why_close"),
            Why::SameTrade => crate::t!(lang, "cli.duplicates.why_trade"),
            Why::SameEmployer => crate::t!(lang, "cli.duplicates.why_employer"),
        })
        .collect::<Vec<_>>()
        .join(crate::t!(lang, "cli.duplicates.sep"))
}

/// A registered worker someone new may be, for a note beside a form:
/// "王小二（199****3333 外卖骑手 美团），福田驿站 2026-11-03 登记；姓名读音相同、
/// 职业相同" (the number masked whatever the role: it is said unasked).
pub fn likely_who(l: &crate::store::Likely, lang: Lang, tz: chrono_tz::Tz) -> String {
    let d = &l.person.details;
    let mut about = d.mobile.as_ref().map_or_else(
        || crate::t!(lang, "people.no_mobile").to_owned(),
        crate::domain::Mobile::masked,
    );
    let sep = crate::t!(lang, "people.about_sep");
    about.push_str(sep);
    about.push_str(d.trade.label(lang));
    if let Some(e) = &d.employer {
        about.push_str(sep);
        about.push_str(e);
    }
    let date = l
        .registered_at
        .map(|at| at.with_timezone(&tz).format("%Y-%m-%d").to_string());
    let place = match (&l.registered_by, date) {
        (Some(s), Some(d)) => crate::t!(lang, "people.likely_where", station = s, date = d),
        (None, Some(d)) => crate::t!(lang, "people.likely_when", date = d),
        (Some(s), None) => crate::t!(lang, "people.likely_station", station = s),
        (None, None) => String::new(),
    };
    crate::t!(
        lang,
        "people.likely_who",
        name = d.name,
        about = about,
        place = place,
        why = why_same(&l.why, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_names_says_how_many_more() {
        let zh = Lang::ZhCn;
        assert_eq!(names(["刘洋"], zh), "刘洋");
        assert_eq!(names(["刘洋", "王芳"], Lang::En), "刘洋, 王芳");
        assert_eq!(
            names(["甲", "乙", "丙", "丁", "戊"], zh),
            "甲、乙、丙 等 5 人"
        );
        assert_eq!(
            names(["甲", "乙", "丙", "丁", "戊"], Lang::En),
            "甲, 乙, 丙 and 2 more"
        );
        assert_eq!(names([""], zh), "（已删除）");
        assert_eq!(shares_mobile(&[], zh), None);
        assert_eq!(
            shares_mobile(&["刘洋".to_owned()], zh).as_deref(),
            Some("共用手机号：刘洋")
        );
        assert_eq!(
            shares_mobile(&["刘洋".to_owned()], Lang::En).as_deref(),
            Some("shares this number with 刘洋")
        );
    }

    #[test]
    fn every_kind_of_record_has_words_in_both_languages() {
        for e in Entity::ALL {
            for lang in [Lang::ZhCn, Lang::En] {
                let w = entity(e, lang);
                assert!(
                    catalogue::lookup(lang, &format!("record.kind.{}", e.name())).is_some(),
                    "{e:?} has no words in {lang:?}"
                );
                assert!(!w.is_empty());
            }
        }
        assert_eq!(entity(Entity::Claimant, Lang::ZhCn), "申请人");
        for e in Entity::ALL {
            use crate::i18n::Localized;
            assert_eq!(e.localized(Lang::En), entity(e, Lang::En));
        }
    }

    #[test]
    fn every_stored_field_has_words() {
        for e in Entity::ALL {
            for (f, _) in e.table().cols {
                assert!(
                    catalogue::lookup(Lang::En, &format!("record.field.{f}")).is_some(),
                    "field {} of {e:?} has no words",
                    f
                );
            }
        }
        assert_eq!(field("a_newer_field", Lang::ZhCn), "a_newer_field");
    }
}
