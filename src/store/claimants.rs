//! The claimants of a case: who they are, what each one is owed and got
//! back, and the case total that follows from them.
//!
//! The rule, kept here for every caller and every replica: a case whose
//! current claimants carry their own amounts has the sum of those as its
//! total (claimed and recovered each on its own; a claimant without an
//! amount counts 0). A case where no claimant carries one keeps the amount
//! set on the case itself, as cases always did. The total is derived, not
//! logged (`derive_totals`, after every local claimant change and every
//! rebuild by sync), so every replica shows the same sum whatever the order
//! of delivery; `check` knows the rule. The case is opened with the sum and
//! resolved with the sum of what each got back, so a station of an older
//! build reads those two from the case itself.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::oplog::{Entity, fold, ops_of};
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::error::ValidationError;
use crate::domain::ids::{CaseId, ClaimantId, PersonId};
use crate::domain::money::Fen;
use crate::domain::person::PersonDetails;

/// Who a claimant of a new case is.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimantRef {
    /// Someone already registered.
    Known(PersonId),
    /// Someone registered with the case, in the same write.
    New(Box<PersonDetails>),
}

/// A claimant of a case being opened, with the amount owed to him when it
/// is known per claimant.
#[derive(Debug, Clone, PartialEq)]
pub struct NewClaimant {
    pub person: ClaimantRef,
    pub claimed: Option<Fen>,
}

impl From<PersonId> for NewClaimant {
    fn from(id: PersonId) -> Self {
        NewClaimant {
            person: ClaimantRef::Known(id),
            claimed: None,
        }
    }
}

/// A current claimant of a case and his own amounts (None: not given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimant {
    pub person: PersonId,
    pub name: String,
    pub claimed: Option<Fen>,
    pub recovered: Option<Fen>,
}

/// The totals a case's claimants call for: claimed and recovered, each
/// None when no current claimant carries that amount.
pub(crate) fn derived_totals(conn: &Connection, case: &[u8]) -> Result<(Option<i64>, Option<i64>)> {
    Ok(conn
        .prepare_cached(
            "SELECT sum(claimed), sum(recovered)
             FROM case_claimants WHERE case_id = ?1 AND removed = 0",
        )?
        .query_row([case], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Sets the case's total to what its claimants call for, after a local
/// claimant change or a rebuild by sync. A total no claimant carries any
/// more (all amounts cleared) goes back to what the log says of the case.
/// Written to the table only; `check` knows the rule.
/// `folded`: the case's fields as its log folds to, when the caller has
/// them (read from the log otherwise, and only when needed).
pub(crate) fn derive_totals(
    conn: &Connection,
    case: &[u8],
    folded: Option<&BTreeMap<String, Value>>,
) -> Result<()> {
    let (claimed, recovered) = derived_totals(conn, case)?;
    let logged = |field: &str| -> Result<Option<i64>> {
        if let Some(f) = folded {
            return Ok(f.get(field).and_then(Value::as_i64));
        }
        let Ok(id) = uuid::Uuid::from_slice(case) else {
            return Ok(None);
        };
        Ok(fold(&ops_of(conn, &id)?).and_then(|f| f.get(field).and_then(Value::as_i64)))
    };
    let claimed = match claimed {
        Some(c) => Some(c),
        None => logged("claimed")?,
    };
    let recovered = match recovered {
        Some(r) => Some(r),
        None => logged("recovered")?,
    };
    if let Some(c) = claimed {
        conn.prepare_cached("UPDATE cases SET claimed = ?2 WHERE id = ?1 AND claimed <> ?2")?
            .execute(params![case, c])?;
    }
    if let Some(r) = recovered {
        conn.prepare_cached("UPDATE cases SET recovered = ?2 WHERE id = ?1 AND recovered <> ?2")?
            .execute(params![case, r])?;
    }
    Ok(())
}

/// The case of a claimant record, if it is built.
pub(crate) fn case_of_claimant(conn: &Connection, claimant: &[u8]) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT case_id FROM case_claimants WHERE id = ?1")?
        .query_row([claimant], |r| r.get(0))
        .optional()?)
}

pub(crate) fn check_amount(f: Fen) -> Result<Fen> {
    if f.0 < 0 {
        Err(ValidationError::MoneyNegative.into())
    } else if f > Fen::MAX {
        Err(ValidationError::MoneyTooLarge {
            max_yuan: (Fen::MAX.0 / 100) as u64,
        }
        .into())
    } else {
        Ok(f)
    }
}

fn fen_value(f: Option<Fen>) -> Value {
    f.map_or(Value::Null, |f| Value::from(f.0))
}

impl Writer<'_> {
    /// Adds a claimant (or brings back one who was removed).
    pub fn add_claimant(&mut self, case: CaseId, person: PersonId) -> Result<()> {
        self.add_claimant_owed(case, person, None)
    }

    /// Adds a claimant with the amount owed to him (None: not given).
    pub fn add_claimant_owed(
        &mut self,
        case: CaseId,
        person: PersonId,
        claimed: Option<Fen>,
    ) -> Result<()> {
        if let Some(c) = claimed {
            check_amount(c)?;
        }
        let id = ClaimantId::of(case, person);
        // Whether the row carries an amount: only then can it change the
        // case total.
        let row: Option<(bool, bool)> = self
            .tx()
            .prepare_cached(
                "SELECT removed, coalesce(claimed, recovered) IS NOT NULL
                 FROM case_claimants WHERE id = ?1",
            )?
            .query_row([id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let counts = claimed.is_some() || row.is_some_and(|(_, owed)| owed);
        match row.map(|(removed, _)| removed) {
            None => self.create(
                Entity::Claimant,
                &id.0,
                &[
                    ("case_id", opt_id(Some(&case.0))),
                    ("person_id", opt_id(Some(&person.0))),
                    ("removed", Value::Bool(false)),
                    ("claimed", fen_value(claimed)),
                    ("recovered", Value::Null),
                ],
            )?,
            Some(true) => {
                let mut f = vec![("removed", Value::Bool(false))];
                if claimed.is_some() {
                    f.push(("claimed", fen_value(claimed)));
                }
                self.update(Entity::Claimant, &id.0, &f)?
            }
            Some(false) if claimed.is_some() => {
                self.update(Entity::Claimant, &id.0, &[("claimed", fen_value(claimed))])?
            }
            Some(false) => return Ok(()),
        }
        if counts {
            self.settle_totals(case)?;
        }
        Ok(())
    }

    /// Removes a claimant; the last one cannot be removed. His amounts no
    /// longer count in the case total.
    pub fn remove_claimant(&mut self, case: CaseId, person: PersonId) -> Result<()> {
        let n: i64 = self.tx().query_row(
            "SELECT count(*) FROM case_claimants WHERE case_id = ?1 AND removed = 0",
            [case.as_bytes()],
            |r| r.get(0),
        )?;
        let id = ClaimantId::of(case, person);
        let present: Option<(bool, bool)> = self
            .tx()
            .query_row(
                "SELECT removed = 0, coalesce(claimed, recovered) IS NOT NULL
                 FROM case_claimants WHERE id = ?1",
                [id.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((true, owed)) = present else {
            return Err(StoreError::NotFound("claimant"));
        };
        if n <= 1 {
            return Err(ValidationError::NoClaimant.into());
        }
        self.update(Entity::Claimant, &id.0, &[("removed", Value::Bool(true))])?;
        if owed {
            self.settle_totals(case)?;
        }
        Ok(())
    }

    /// Sets what one claimant is owed and got back (None: not given); the
    /// case total follows.
    pub fn set_claimant_amounts(
        &mut self,
        case: CaseId,
        person: PersonId,
        claimed: Option<Fen>,
        recovered: Option<Fen>,
    ) -> Result<()> {
        self.set_claimant_amounts_only(case, person, claimed, recovered)?;
        self.settle_totals(case)
    }

    /// As `set_claimant_amounts`, leaving the case total to the caller.
    pub(crate) fn set_claimant_amounts_only(
        &mut self,
        case: CaseId,
        person: PersonId,
        claimed: Option<Fen>,
        recovered: Option<Fen>,
    ) -> Result<()> {
        for f in [claimed, recovered].into_iter().flatten() {
            check_amount(f)?;
        }
        let id = ClaimantId::of(case, person);
        let old: Option<(bool, Option<i64>, Option<i64>)> = self
            .tx()
            .prepare_cached("SELECT removed, claimed, recovered FROM case_claimants WHERE id = ?1")?
            .query_row([id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((false, old_claimed, old_recovered)) = old else {
            return Err(StoreError::NotFound("claimant"));
        };
        let mut f = Vec::new();
        if old_claimed != claimed.map(|c| c.0) {
            f.push(("claimed", fen_value(claimed)));
        }
        if old_recovered != recovered.map(|r| r.0) {
            f.push(("recovered", fen_value(recovered)));
        }
        self.update(Entity::Claimant, &id.0, &f)
    }

    /// What one current claimant is owed, as recorded.
    pub(crate) fn claimant_claimed(&self, case: CaseId, person: PersonId) -> Result<Option<Fen>> {
        let id = ClaimantId::of(case, person);
        let row: Option<Option<i64>> = self
            .tx()
            .prepare_cached("SELECT claimed FROM case_claimants WHERE id = ?1 AND removed = 0")?
            .query_row([id.as_bytes()], |r| r.get(0))
            .optional()?;
        row.map(|c| c.map(Fen))
            .ok_or(StoreError::NotFound("claimant"))
    }

    /// Sets the case total its claimants call for. Not logged: every
    /// replica derives it from the claimants it holds, so two stations
    /// changing two claimants apart end with one sum (a logged total
    /// would be one station's sum, and listed as a conflict).
    pub(crate) fn settle_totals(&mut self, case: CaseId) -> Result<()> {
        derive_totals(self.tx(), case.as_bytes(), None)
    }

    /// Refuses a case-level amount where the claimants carry their own and
    /// it is not their sum.
    pub(crate) fn check_case_amounts(
        &self,
        case: CaseId,
        claimed: Option<Fen>,
        recovered: Option<Fen>,
    ) -> Result<()> {
        let (c, r) = derived_totals(self.tx(), case.as_bytes())?;
        for (given, sum) in [(claimed, c), (recovered, r)] {
            if let (Some(given), Some(sum)) = (given, sum)
                && given.0 != sum
            {
                return Err(ValidationError::AmountsPerClaimant {
                    sum: Fen(sum).yuan_string(),
                }
                .into());
            }
        }
        Ok(())
    }
}

impl Store {
    /// The current claimants of a case: id and name, in the order the people
    /// were registered (the first one stands for the group in lists).
    pub fn claimants(&self, case: CaseId) -> Result<Vec<(PersonId, String)>> {
        Ok(self
            .claimants_owed(case)?
            .into_iter()
            .map(|c| (c.person, c.name))
            .collect())
    }

    /// The current claimants of a case with their own amounts.
    pub fn claimants_owed(&self, case: CaseId) -> Result<Vec<Claimant>> {
        let mut stmt = self.conn().prepare_cached(
            // A claimant merged into another is shown by the survivor's
            // name (`store/merge.rs`); the row stays his own.
            "SELECT p.id, coalesce(sp.name, p.name), k.claimed, k.recovered
             FROM case_claimants k JOIN people p ON p.id = k.person_id
             LEFT JOIN person_survivor s ON s.id = k.person_id
             LEFT JOIN people sp ON sp.id = s.survivor
             WHERE k.case_id = ?1 AND k.removed = 0 ORDER BY k.person_id",
        )?;
        let rows = stmt.query_map([case.as_bytes()], |r| {
            Ok(Claimant {
                person: id_col(&r.get::<_, Vec<u8>>(0)?)?,
                name: r.get(1)?,
                claimed: r.get::<_, Option<i64>>(2)?.map(Fen),
                recovered: r.get::<_, Option<i64>>(3)?.map(Fen),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Whether a claimant's operations ever gave him an amount: one that never
/// had one adds nothing to his case's total, whatever else changes.
pub(crate) fn ever_owed(ops: &[super::oplog::LoggedOp]) -> bool {
    ops.iter().any(|o| {
        ["claimed", "recovered"]
            .iter()
            .any(|f| o.fields.get(*f).is_some_and(|v| !v.is_null()))
    })
}
