//! Which rows of a roster are people already known.

use std::collections::HashMap;

use super::{Matched, Roster};
use crate::domain::person::Person;
use crate::domain::{Mobile, ResidentId};
use crate::store::{Hit, Match, Result, Store};

/// Marks each row with who it is among the people known: by its ID number,
/// that person; by its mobile with the same name, that person; by its
/// mobile with another name, a new person who shares the phone (families
/// share phones), as does a later row of the roster with an earlier row's
/// mobile and another name. Rows are looked at whatever their problems:
/// the values that could be read say who they are.
pub fn match_known(store: &Store, roster: &mut Roster) -> Result<()> {
    // The names each mobile has had in the rows above.
    let mut above: HashMap<String, Vec<String>> = HashMap::new();
    for row in &mut roster.rows {
        let by_id = match &row.resident_id {
            Some(r) => person_with_id(store, r)?,
            None => None,
        };
        let matched = if let Some(p) = by_id {
            Matched::Known(p.id, p.details.name)
        } else if let Some(m) = &row.mobile {
            let sharing = people_with_mobile(store, m)?;
            if let Some(p) = sharing.iter().find(|p| p.details.name == row.name) {
                Matched::Known(p.id, p.details.name.clone())
            } else {
                let mut names: Vec<String> = sharing.into_iter().map(|p| p.details.name).collect();
                for n in above.get(m.as_str()).into_iter().flatten() {
                    if *n != row.name && !names.contains(n) {
                        names.push(n.clone());
                    }
                }
                if names.is_empty() {
                    Matched::New
                } else {
                    Matched::SharesPhoneWith(names)
                }
            }
        } else {
            Matched::New
        };
        // Not known exactly: maybe a registered worker all the same.
        let matched = match matched {
            Matched::Known(..) => matched,
            other => match likely(store, row)? {
                Some((id, name)) => Matched::Likely(id, name),
                None => other,
            },
        };
        if let Some(m) = &row.mobile {
            above
                .entry(m.as_str().to_owned())
                .or_default()
                .push(row.name.clone());
        }
        row.matched = Some(matched);
    }
    Ok(())
}

/// The registered worker a row not known exactly may be: the same ID
/// number, or a name read alike or one character apart (with the same
/// trade, employer or phone). A shared phone alone is a family's.
fn likely(
    store: &Store,
    row: &super::RosterRow,
) -> Result<Option<(crate::domain::ids::PersonId, String)>> {
    use crate::store::Why;
    if row.name.trim().is_empty() {
        return Ok(None);
    }
    let typed = crate::store::Typed {
        name: row.name.clone(),
        mobile: row.mobile.as_ref().map(|m| m.as_str().to_owned()),
        resident_id: row.resident_id.as_ref().map(|r| r.as_str().to_owned()),
        trade: row.trade,
        employer: None,
    };
    Ok(store
        .likely_same(&typed, 1)?
        .into_iter()
        .find(|l| {
            l.why.iter().any(|w| {
                matches!(
                    w,
                    Why::SameResidentId | Why::SameName | Why::SameReading | Why::CloseName
                )
            })
        })
        .map(|l| (l.person.id, l.person.details.name)))
}

/// The people registered with this mobile (every one of a family who
/// share the phone): the one place the store is asked.
fn people_with_mobile(store: &Store, mobile: &Mobile) -> Result<Vec<Person>> {
    store.people_by_mobile(mobile)
}

/// The person registered with this ID number, through the one lookup (an
/// ID number is looked up whole as it is typed at the console).
fn person_with_id(store: &Store, id: &ResidentId) -> Result<Option<Person>> {
    for hit in store.lookup(id.as_str(), 5)? {
        if let Hit::Person(p) = hit
            && p.matched == Match::ResidentId
            && p.resident_id.as_ref() == Some(id)
        {
            return store.person(p.id);
        }
    }
    Ok(None)
}
