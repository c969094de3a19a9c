//! `waystation lookup`: people and cases by number, phone, name, pinyin, ID.

use std::io::Write;

use anyhow::Result;

use crate::i18n::Lang;
use crate::store::Store;
use crate::store::{CaseHit, Hit, Match, PersonHit};
use crate::t;

/// Options of `waystation lookup`.
#[derive(Debug, clap::Args)]
pub struct LookupArgs {
    /// What to look for: FT-2026-0042, 42, 13812345678, 5678, 张三, zs …
    pub query: String,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// Prints the people and cases that match.
pub(super) fn lookup(
    store: &Store,
    args: LookupArgs,
    lang: Lang,
) -> Result<std::process::ExitCode> {
    let hits = store
        .lookup(&args.query, args.limit)
        .map_err(|e| super::explain(e, lang))?;
    print_hits(store, &args.query, &hits, lang)?;
    Ok(std::process::ExitCode::SUCCESS)
}

fn print_hits(store: &Store, query: &str, hits: &[Hit], lang: Lang) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if hits.is_empty() {
        writeln!(out, "{}", t!(lang, "cli.lookup.no_match", query = query))?;
        return Ok(());
    }
    let tz = store.time_zone()?;
    for hit in hits {
        match hit {
            Hit::Person(p) => writeln!(out, "{}", person_line(p, lang, tz))?,
            Hit::Case(c) => writeln!(out, "{}", case_line(c, lang))?,
        }
    }
    Ok(())
}

fn person_line(p: &PersonHit, lang: Lang, tz: chrono_tz::Tz) -> String {
    let mut parts = vec![
        t!(lang, "cli.lookup.person").to_owned(),
        p.name.clone(),
        p.mobile
            .as_ref()
            .map_or_else(|| "-".to_owned(), |m| m.masked()),
        p.trade.label(lang).to_owned(),
    ];
    if let Some(e) = &p.employer {
        parts.push(e.clone());
    }
    if matches!(p.matched, Match::ResidentId | Match::ResidentIdTail)
        && let Some(r) = &p.resident_id
    {
        parts.push(format!("{} {}", t!(lang, "cli.lookup.id"), r.masked()));
    }
    if let Some(v) = p.last_visit {
        parts.push(format!(
            "{} {}",
            t!(lang, "cli.lookup.last_visit"),
            v.with_timezone(&tz).format("%Y-%m-%d %H:%M")
        ));
    }
    parts.join("  ")
}

fn case_line(c: &CaseHit, lang: Lang) -> String {
    let claimants = match (&c.first_claimant, c.claimants) {
        (Some(n), 1) => n.clone(),
        (Some(n), k) => t!(
            lang,
            "cli.lookup.claimants",
            name = n,
            n = k,
            more = k.saturating_sub(1)
        ),
        (None, _) => "-".to_owned(),
    };
    let mut parts = vec![
        t!(lang, "cli.lookup.case").to_owned(),
        c.number.to_string(),
        c.case_type.label(lang).to_owned(),
        c.status.label(lang).to_owned(),
        claimants,
    ];
    if let Some(r) = &c.respondent {
        parts.push(format!("{} {r}", t!(lang, "cli.lookup.against")));
    }
    if c.claimed.0 > 0 {
        parts.push(format!(
            "{} {} / {} {}",
            t!(lang, "cli.lookup.claimed"),
            c.claimed.wan_string(),
            t!(lang, "cli.lookup.recovered"),
            c.recovered.wan_string()
        ));
    }
    parts.push(format!(
        "{} {}",
        t!(lang, "cli.lookup.handler"),
        c.handler.as_deref().unwrap_or("-")
    ));
    parts.push(format!(
        "{} {}",
        t!(lang, "cli.lookup.follow_up"),
        c.follow_up
            .map_or_else(|| "-".to_owned(), |d| d.to_string())
    ));
    parts.join("  ")
}
