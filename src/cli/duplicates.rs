//! `waystation duplicates`: people who may be one worker registered
//! twice, best first; `merge KEY` makes the pair one person (an operation
//! that syncs), `undo KEY` makes them two again.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use super::explain;
use crate::domain::access::Act;
use crate::domain::ids::PersonId;
use crate::domain::person::Detail;
use crate::i18n::Lang;
use crate::store::{Candidate, Store, short};
use crate::t;

/// Options of `waystation duplicates`.
#[derive(Debug, clap::Args)]
pub struct DuplicatesArgs {
    #[command(subcommand)]
    pub action: Option<DuplicatesAction>,
    /// At most this many pairs.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Who is doing it: a staff member's name as listed (staff or admin).
    /// The PIN is asked for, or read from WAYSTATION_PIN. Needed once
    /// anyone can sign in.
    #[arg(long = "as", value_name = "NAME", global = true)]
    pub as_name: Option<String>,
}

/// What to do with a pair.
#[derive(Debug, clap::Subcommand)]
pub enum DuplicatesAction {
    /// Make the pair one person: the second listed becomes the first (with
    /// --keep second, the other way round). Every station the change
    /// reaches shows one worker with both records' visits and cases.
    Merge {
        /// The pair as listed, e.g. 1a2b3c4d:5e6f7a8b.
        key: String,
        /// Which record stays: first (registered earlier) or second.
        #[arg(long, default_value = "first")]
        keep: Keep,
        /// Details the record that stays takes from the other, comma
        /// separated: name, mobile, id, trade, employer, union (the values
        /// replaced stay in its history).
        #[arg(long, value_delimiter = ',', value_parser = parse_detail)]
        take: Vec<Detail>,
    },
    /// Mark a listed pair two different workers: it is listed no more,
    /// here and on every station the mark reaches.
    Dismiss {
        /// The pair as listed, e.g. 1a2b3c4d:5e6f7a8b.
        key: String,
    },
    /// Take back a dismissal: the pair is listed again when it still
    /// looks alike.
    Undismiss {
        /// The pair as it was listed, e.g. 1a2b3c4d:5e6f7a8b.
        key: String,
    },
    /// Make a merged pair two people again, with their own visits and
    /// cases, on every station the change reaches.
    Undo {
        /// The pair as it was listed, e.g. 1a2b3c4d:5e6f7a8b.
        key: String,
    },
}

fn parse_detail(s: &str) -> Result<Detail, String> {
    Detail::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Detail::ALL.iter().map(|d| d.code()).collect();
        format!("'{s}': one of {}", all.join(", "))
    })
}

/// Which record of a pair stays.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Keep {
    First,
    Second,
}

/// Runs `waystation duplicates`.
pub fn duplicates(store: &mut Store, args: DuplicatesArgs, lang: Lang) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    super::audit::sign_in(
        store,
        args.as_name.as_deref(),
        chrono::Utc::now(),
        lang,
        Act::MergePeople,
    )?;
    match args.action {
        None => list(store, args.limit, lang),
        Some(DuplicatesAction::Merge { key, keep, take }) => {
            let (a, b) = pair(store, &key, lang)?;
            let (from, into) = match keep {
                Keep::First => (b, a),
                Keep::Second => (a, b),
            };
            store
                .merge_people(from, into, &take)
                .map_err(|e| explain(e, lang))?;
            println!(
                "{}",
                t!(
                    lang,
                    "cli.duplicates.merged",
                    from = name(store, from),
                    into = name(store, into)
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(DuplicatesAction::Dismiss { key }) => {
            let (a, b) = pair(store, &key, lang)?;
            store.dismiss_pair(a, b).map_err(|e| explain(e, lang))?;
            println!(
                "{}",
                t!(
                    lang,
                    "cli.duplicates.dismissed",
                    a = name(store, a),
                    b = name(store, b),
                    key = key.trim()
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(DuplicatesAction::Undismiss { key }) => {
            let (a, b) = pair(store, &key, lang)?;
            if !store.dismissed(a, b).map_err(|e| explain(e, lang))? {
                return Err(anyhow!(t!(
                    lang,
                    "cli.duplicates.not_dismissed",
                    key = key.trim()
                )));
            }
            store.undismiss_pair(a, b).map_err(|e| explain(e, lang))?;
            println!(
                "{}",
                t!(
                    lang,
                    "cli.duplicates.undismissed",
                    a = name(store, a),
                    b = name(store, b)
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(DuplicatesAction::Undo { key }) => {
            let (a, b) = pair(store, &key, lang)?;
            let merged = [a, b]
                .into_iter()
                .find(|p| {
                    store
                        .merged_into(*p)
                        .ok()
                        .flatten()
                        .is_some_and(|t| t == a || t == b)
                })
                .ok_or_else(|| anyhow!(t!(lang, "cli.duplicates.not_merged", key = key)))?;
            store.unmerge_people(merged).map_err(|e| explain(e, lang))?;
            println!(
                "{}",
                t!(lang, "cli.duplicates.undone", name = name(store, merged))
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn name(store: &Store, p: PersonId) -> String {
    store
        .person(p)
        .ok()
        .flatten()
        .map_or_else(|| short(p), |x| x.details.name)
}

/// The two people a key names (`first:second`, each the last 8 hex
/// digits of an id).
fn pair(store: &Store, key: &str, lang: Lang) -> Result<(PersonId, PersonId)> {
    let bad = || anyhow!(t!(lang, "cli.duplicates.bad_key", key = key));
    let (a, b) = key.trim().split_once(':').ok_or_else(bad)?;
    let find = |tail: &str| -> Result<PersonId> {
        let tail = tail.to_ascii_lowercase();
        if tail.len() != 8 || !tail.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let found: Vec<PersonId> = store
            .people_ending_with(&tail)
            .map_err(|e| explain(e, lang))?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(anyhow!(t!(lang, "cli.duplicates.no_person", tail = tail))),
            _ => Err(anyhow!(t!(lang, "cli.duplicates.ambiguous", tail = tail))),
        }
    };
    Ok((find(a)?, find(b)?))
}

fn list(store: &Store, limit: usize, lang: Lang) -> Result<ExitCode> {
    let found = store
        .duplicate_candidates(limit)
        .map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    if found.is_empty() {
        writeln!(out, "{}", t!(lang, "cli.duplicates.none"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let tz = store.time_zone().map_err(|e| explain(e, lang))?;
    for c in &found {
        write_pair(&mut out, store, c, lang, tz)?;
    }
    writeln!(out, "{}", t!(lang, "cli.duplicates.how"))?;
    Ok(ExitCode::SUCCESS)
}

fn write_pair(
    out: &mut impl Write,
    store: &Store,
    c: &Candidate,
    lang: Lang,
    tz: chrono_tz::Tz,
) -> Result<()> {
    writeln!(
        out,
        "{}  {}  {}",
        c.key(),
        t!(lang, "cli.duplicates.score", n = c.score),
        crate::words::why_same(&c.why, lang)
    )?;
    for (i, p) in [c.first, c.second].into_iter().enumerate() {
        let Some(person) = store.person(p).map_err(|e| explain(e, lang))? else {
            continue;
        };
        let d = &person.details;
        let visits = store
            .visits_of(p, 10_000)
            .map_err(|e| explain(e, lang))?
            .len();
        writeln!(
            out,
            "   {}) {}  {}  {}  {}  {}",
            i + 1,
            d.name,
            d.mobile
                .as_ref()
                .map_or_else(|| "-".to_owned(), |m| m.masked()),
            d.trade.label(lang),
            d.employer.as_deref().unwrap_or("-"),
            t!(
                lang,
                "cli.duplicates.registered",
                date = store
                    .registered_at(p)
                    .map_err(|e| explain(e, lang))?
                    .map_or_else(
                        || "-".to_owned(),
                        |d| d.with_timezone(&tz).format("%Y-%m-%d").to_string()
                    ),
                visits = visits
            )
        )?;
    }
    Ok(())
}
