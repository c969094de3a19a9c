//! Group intake in the new-case form: the claimants typed one per line
//! (`王小二 13912345678 外卖 8500`), each someone already known or someone
//! registered with the case, with the amount owed to each. Nothing is
//! registered until the case is saved.

use crate::domain::intake::{IntakeLine, parse_line};
use crate::domain::money::Fen;
use crate::domain::person::PersonDetails;
use crate::i18n::{Lang, Localized};
use crate::store::{ClaimantRef, Hit, Match, NewClaimant, PersonHit};
use crate::t;
use crate::tui::widgets::picker::money;

/// Who a claimant in the form is.
#[derive(Debug, Clone, PartialEq)]
pub enum Who {
    Known(PersonHit),
    /// Registered when the case is saved; the names of the people who
    /// already have the same mobile (a family sharing a phone).
    New {
        details: Box<PersonDetails>,
        shares: Vec<String>,
    },
}

/// One claimant of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub who: Who,
    pub claimed: Option<Fen>,
}

impl Draft {
    pub fn name(&self) -> &str {
        match &self.who {
            Who::Known(p) => &p.name,
            Who::New { details, .. } => &details.name,
        }
    }

    pub fn is_new(&self) -> bool {
        matches!(self.who, Who::New { .. })
    }

    /// Whether this is the person `other` is.
    fn same(&self, other: &Draft) -> bool {
        match (&self.who, &other.who) {
            (Who::Known(a), Who::Known(b)) => a.id == b.id,
            (Who::New { details: a, .. }, Who::New { details: b, .. }) => {
                (a.resident_id.is_some() && a.resident_id == b.resident_id)
                    || (a.mobile.is_some() && a.mobile == b.mobile && a.name == b.name)
            }
            _ => false,
        }
    }

    /// What the store is given.
    pub fn to_new(&self) -> NewClaimant {
        NewClaimant {
            person: match &self.who {
                Who::Known(p) => ClaimantRef::Known(p.id),
                Who::New { details, .. } => ClaimantRef::New(details.clone()),
            },
            claimed: self.claimed,
        }
    }
}

/// What Enter on the claimant line would do, shown under it while typing.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// A name alone: a lookup; Enter adds the highlighted hit.
    Lookup,
    /// The line adds this claimant.
    Add(Draft),
    /// The line cannot be read (what is wrong with it).
    Refused(String),
}

/// The lookup the claimant line calls for: its mobile or ID number when it
/// has one (the person who has it is found exactly), else its name.
pub fn term_of(query: &str) -> String {
    match parse_line(query) {
        Ok(l) => l
            .resident_id
            .map(|r| r.as_str().to_owned())
            .or_else(|| l.mobile.map(|m| m.as_str().to_owned()))
            .unwrap_or(l.name),
        Err(_) => crate::domain::intake::words(query)
            .first()
            .map(|w| (*w).to_owned())
            .unwrap_or_default(),
    }
}

/// Reads the claimant line against the hits of its lookup. `chosen`: the
/// hit picked with ↑/↓, if any (None: the line decides).
pub fn plan(query: &str, hits: &[Hit], chosen: Option<usize>, lang: Lang) -> Plan {
    let line = match parse_line(query) {
        Ok(l) => l,
        Err(e) if crate::domain::intake::words(query).len() > 1 => {
            return Plan::Refused(e.localized(lang));
        }
        Err(_) => return Plan::Lookup,
    };
    if !line.has_more() {
        return Plan::Lookup;
    }
    let people: Vec<&PersonHit> = hits
        .iter()
        .filter_map(|h| match h {
            Hit::Person(p) => Some(p),
            Hit::Case(_) => None,
        })
        .collect();
    if let Some(p) = chosen.and_then(|i| people.get(i)) {
        return Plan::Add(known(p, &line));
    }
    // The ID number names one person.
    if let Some(id) = &line.resident_id {
        if let Some(p) = people.iter().find(|p| p.resident_id.as_ref() == Some(id)) {
            if p.name != line.name {
                return Plan::Refused(t!(
                    lang,
                    "cases.intake_id_other",
                    id = id.as_str(),
                    name = p.name
                ));
            }
            return Plan::Add(known(p, &line));
        }
    } else if let Some(m) = &line.mobile {
        let holders: Vec<&&PersonHit> = people
            .iter()
            .filter(|p| p.matched == Match::Mobile && p.mobile.as_ref() == Some(m))
            .collect();
        if let Some(p) = holders.iter().find(|p| p.name == line.name) {
            return Plan::Add(known(p, &line));
        }
        // Someone else has the number: a family sharing a phone.
        let shares = holders.iter().map(|p| p.name.clone()).collect();
        return Plan::Add(new(&line, shares));
    } else if let Some(p) = people
        .iter()
        .find(|p| p.name == line.name && p.matched <= Match::Name)
    {
        // A name and an amount: the person of that name the lookup shows
        // first (↑/↓ choose another; a mobile makes a new one).
        return Plan::Add(known(p, &line));
    }
    Plan::Add(new(&line, Vec::new()))
}

fn known(p: &PersonHit, line: &IntakeLine) -> Draft {
    Draft {
        who: Who::Known(p.clone()),
        claimed: line.claimed,
    }
}

fn new(line: &IntakeLine, shares: Vec<String>) -> Draft {
    Draft {
        who: Who::New {
            details: Box::new(PersonDetails::newcomer(
                &line.name,
                line.mobile.clone(),
                line.resident_id.clone(),
                line.trade,
            )),
            shares,
        },
        claimed: line.claimed,
    }
}

/// What Enter adds, as a line under the claimant field.
pub fn plan_line(d: &Draft, lang: Lang) -> String {
    let owed = d
        .claimed
        .map(|f| t!(lang, "cases.plan_owed", amount = money(f)))
        .unwrap_or_default();
    match &d.who {
        Who::Known(p) => t!(
            lang,
            "cases.plan_known",
            name = p.name,
            mobile = p
                .mobile
                .as_ref()
                .map_or_else(|| "-".to_owned(), |m| m.masked()),
            owed = owed
        ),
        Who::New { details, shares } => {
            let mut s = t!(
                lang,
                "cases.plan_new",
                name = details.name,
                mobile = details
                    .mobile
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |m| m.as_str().to_owned()),
                // A trade not typed is not shown as one.
                trade = if details.trade == crate::domain::person::Trade::Other {
                    String::new()
                } else {
                    format!(" {}", details.trade.label(lang))
                },
                owed = owed
            );
            if !shares.is_empty() {
                s.push_str(&t!(
                    lang,
                    "cases.plan_shares",
                    names = shares.join(t!(lang, "cases.name_sep"))
                ));
            }
            s
        }
    }
}

/// What adding a draft did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new claimant, n in all.
    New(usize),
    /// The same person was there: his amount is now the one typed.
    Amount,
    /// The same person was there, nothing new typed.
    Already,
}

/// Adds `d` to `drafts`, or gives the one already there its new amount.
pub fn add(drafts: &mut Vec<Draft>, d: Draft) -> Added {
    match drafts.iter_mut().find(|x| x.same(&d)) {
        Some(x) if d.claimed.is_some() && x.claimed != d.claimed => {
            x.claimed = d.claimed;
            Added::Amount
        }
        Some(_) => Added::Already,
        None => {
            drafts.push(d);
            Added::New(drafts.len())
        }
    }
}

/// The sum of the amounts owed, when any claimant has one.
pub fn total(drafts: &[Draft]) -> Option<Fen> {
    drafts
        .iter()
        .any(|d| d.claimed.is_some())
        .then(|| Fen::saturating_sum(drafts.iter().filter_map(|d| d.claimed)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Mobile;
    use crate::domain::ids::PersonId;

    fn hit(name: &str, mobile: &str, matched: Match) -> Hit {
        Hit::Person(PersonHit {
            id: PersonId::new(),
            name: name.into(),
            mobile: Mobile::parse(mobile).ok(),
            resident_id: None,
            trade: crate::domain::person::Trade::Courier,
            employer: None,
            last_visit: None,
            matched,
        })
    }

    #[test]
    fn a_known_mobile_with_its_name_is_that_person() {
        let hits = [hit("刘洋", "13912345678", Match::Mobile)];
        let Plan::Add(d) = plan("刘洋 13912345678 8500", &hits, None, Lang::ZhCn) else {
            panic!()
        };
        assert!(!d.is_new());
        assert_eq!(d.claimed, Some(Fen(850_000)));
        // Another name on that phone: a new person who shares it.
        let Plan::Add(d) = plan("刘小洋 13912345678", &hits, None, Lang::ZhCn) else {
            panic!()
        };
        assert!(matches!(&d.who, Who::New { shares, .. } if shares == &["刘洋".to_owned()]));
    }

    #[test]
    fn a_name_alone_is_a_lookup_and_a_bad_word_is_refused() {
        assert_eq!(plan("刘洋", &[], None, Lang::ZhCn), Plan::Lookup);
        assert!(matches!(
            plan("刘洋 1391234567", &[], None, Lang::ZhCn),
            Plan::Refused(m) if m.contains("10位")
        ));
        assert_eq!(term_of("刘洋 13912345678 8500"), "13912345678");
        assert_eq!(term_of("刘洋 8500"), "刘洋");
    }

    #[test]
    fn the_same_person_twice_takes_the_new_amount() {
        let mut ds = Vec::new();
        let Plan::Add(a) = plan("王五 13900000001 100", &[], None, Lang::ZhCn) else {
            panic!()
        };
        assert_eq!(add(&mut ds, a.clone()), Added::New(1));
        assert_eq!(add(&mut ds, a), Added::Already);
        let Plan::Add(b) = plan("王五 13900000001 250", &[], None, Lang::ZhCn) else {
            panic!()
        };
        assert_eq!(add(&mut ds, b), Added::Amount);
        assert_eq!(total(&ds), Some(Fen(25_000)));
    }
}
