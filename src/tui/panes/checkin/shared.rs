//! People who share a phone or a name with the visitor in the form.
//!
//! A family may share one phone (a couple; a father and son on one
//! platform account). A number typed for a new person, or typed over a
//! known person's own, that someone else has is not refused: the first
//! save says who has it beside the mobile and saves nothing; a second
//! save with the number unchanged registers the person with it. A known
//! person's details say who else has their number.
//!
//! A new person's name that people are registered with already gets a
//! hint beside the name (how many, their masked phones and trades), when
//! the name field is left or on saving: one exact-name range of the lookup
//! key, never a scan, and nothing per keystroke.

use super::CheckinPane;
use super::form::{EMPLOYER, LikelyNote, MOBILE, NAME, RESIDENT_ID};
use super::trade_short;
use crate::domain::person::{Person, PersonDetails};
use crate::domain::{Mobile, ResidentId};
use crate::i18n::Lang;
use crate::store::{Likely, Store, StoreError, Typed, Why};
use crate::t;
use crate::tui::panes::Ctx;

/// How many namesakes the hint describes (the count says how many in all).
const NAMESAKES_SHOWN: usize = 2;

/// What the shared-number rule says of a save.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Sharing {
    /// Nobody else has the number (or it is the known person's own, or
    /// the sharing was confirmed by a second save): save.
    Save,
    /// Someone else has it: the warning is shown, nothing is saved.
    Warned,
}

impl CheckinPane {
    /// The shared-number rule on saving `details`: when the number is
    /// someone else's too and was not already the known person's own, the
    /// first save shows who has it beside the mobile and saves nothing; a
    /// second save with the number unchanged goes ahead.
    pub(super) fn check_sharing(
        &mut self,
        cx: &mut Ctx,
        details: &PersonDetails,
    ) -> Result<Sharing, StoreError> {
        let Some(m) = &details.mobile else {
            return Ok(Sharing::Save);
        };
        let known = self.form.known.as_ref();
        if known.and_then(|k| k.details.mobile.as_ref()) == Some(m) {
            // Their own number, shared or not, as it was.
            return Ok(Sharing::Save);
        }
        if self.form.shared_ok.as_deref() == Some(m.as_str()) {
            return Ok(Sharing::Save);
        }
        let id = known.map(|k| k.id);
        let mut others = cx.store.people_by_mobile(m)?;
        others.retain(|p| Some(p.id) != id);
        if others.is_empty() {
            return Ok(Sharing::Save);
        }
        let lang = cx.lang;
        let names = |people: &[&Person]| {
            crate::words::names(people.iter().map(|p| p.details.name.as_str()), lang)
        };
        // The holders of the very same name are named alone: most likely
        // the same person, registered before.
        let same: Vec<&Person> = others
            .iter()
            .filter(|p| same_name(&p.details.name, &details.name))
            .collect();
        self.form.mobile_warning = Some(if same.is_empty() {
            let all: Vec<&Person> = others.iter().collect();
            t!(lang, "checkin.mobile_shared", names = names(&all))
        } else {
            t!(
                lang,
                "checkin.mobile_shared_same_name",
                names = names(&same)
            )
        });
        self.form.shared_ok = Some(m.as_str().to_owned());
        Ok(Sharing::Warned)
    }

    /// Looks up the people named exactly as the new person in the form and
    /// says so beside the name (nothing when a known person is in the
    /// form, the name is empty, or nobody has it).
    pub(super) fn check_namesakes(&mut self, cx: &mut Ctx) {
        self.form.namesakes = None;
        if self.form.known.is_some() {
            return;
        }
        let name = self.form.text(NAME).trim().to_owned();
        if name.is_empty() {
            return;
        }
        match cx.store.people_named(&name, NAMESAKES_SHOWN) {
            Ok(found) if found.count > 0 => {
                self.form.namesakes =
                    Some(namesakes_hint(&name, found.count, &found.first, cx.lang));
            }
            Ok(_) => {}
            Err(e) => cx.store_error(e),
        }
    }
}

impl CheckinPane {
    /// Works out which registered worker the new person in the form may
    /// be (the same mobile or ID number, or a name that reads the same or
    /// is one character apart with the same trade or employer) and says
    /// so beside the field that matched. Nothing for a known person.
    pub(super) fn check_likely(&mut self, cx: &mut Ctx) {
        self.form.likely = None;
        if self.form.known.is_some() {
            return;
        }
        let text = |i: usize| self.form.text(i).trim().to_owned();
        let typed = Typed {
            name: text(NAME),
            mobile: Mobile::parse(&text(MOBILE))
                .ok()
                .map(|m| m.as_str().to_owned()),
            resident_id: ResidentId::parse(&text(RESIDENT_ID))
                .ok()
                .map(|r| r.as_str().to_owned()),
            trade: Some(self.form.trade()),
            employer: Some(text(EMPLOYER)).filter(|e| !e.is_empty()),
        };
        if typed.name.is_empty() && typed.mobile.is_none() && typed.resident_id.is_none() {
            return;
        }
        let found = match cx.store.likely_same(&typed, 1) {
            Ok(found) => found,
            Err(e) => return cx.store_error(e),
        };
        let Some(l) = found.into_iter().next() else {
            return;
        };
        let field = if l.why.contains(&Why::SameResidentId) {
            RESIDENT_ID
        } else if l.why.contains(&Why::SameMobile) {
            MOBILE
        } else {
            NAME
        };
        self.form.likely = Some(LikelyNote {
            id: l.person.id,
            field,
            text: likely_text(&l, cx.lang, cx.tz),
        });
    }
}

/// "可能已登记：王小二（…）…；同一手机号 · Ctrl-P 用此人".
fn likely_text(l: &Likely, lang: Lang, tz: chrono_tz::Tz) -> String {
    t!(
        lang,
        "checkin.likely",
        who = crate::words::likely_who(l, lang, tz)
    )
}

/// The names of the others who share the known person's number.
pub(super) fn sharing_names(store: &Store, p: &Person) -> Result<Vec<String>, StoreError> {
    match &p.details.mobile {
        Some(m) => store.mobile_sharers(p.id, m),
        None => Ok(Vec::new()),
    }
}

/// Whether two names are the same as the lookup compares them (any case,
/// spaces collapsed).
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    !a.trim().is_empty() && norm(a) == norm(b)
}

/// "已有 2 位 李明（138****5678 外卖骑手；未留手机 快递员）：…": how many,
/// and the first of them by masked phone and trade.
fn namesakes_hint(name: &str, count: u64, first: &[Person], lang: Lang) -> String {
    let mut list = first
        .iter()
        .map(|p| {
            let mobile = p
                .details
                .mobile
                .as_ref()
                .map_or_else(|| t!(lang, "checkin.no_mobile").to_owned(), Mobile::masked);
            t!(
                lang,
                "checkin.namesake",
                mobile = mobile,
                trade = trade_short(p.details.trade, lang)
            )
        })
        .collect::<Vec<_>>()
        .join(t!(lang, "checkin.namesakes_sep"));
    if count > first.len() as u64 {
        list.push_str(t!(lang, "checkin.namesakes_more"));
    }
    t!(
        lang,
        "checkin.namesakes",
        n = count,
        name = name,
        list = list
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_as_the_lookup_does() {
        assert!(same_name("刘洋", "刘洋"));
        assert!(same_name("Li  Ming", "li ming"));
        assert!(!same_name("刘洋", "刘阳"));
        assert!(!same_name("", ""));
    }
}
