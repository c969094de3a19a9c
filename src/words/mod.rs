//! How records, fields, audit entries and sync's findings read, in both
//! languages: one vocabulary shared by the console, the kiosk and the
//! command line. The words themselves are in the catalogue
//! (`locales/records.toml` for kinds of record and fields).

pub mod audit;
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

#[cfg(test)]
mod tests {
    use super::*;

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
