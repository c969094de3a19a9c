//! `waystation sync`, `waystation conflicts`: sync from the command line.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::Subcommand;

use super::check::write_waiting;
use super::explain;
use crate::i18n::{Lang, Localized};
use crate::store::Choice;
use crate::store::Store;
use crate::sync::folder::SyncError;
use crate::sync::session;
use crate::t;
use crate::words::sync as words;

/// Deciding one entry of `waystation conflicts`.
#[derive(Debug, Subcommand)]
pub enum ConflictAction {
    /// Take the other value (restore a removed record; renumber the later
    /// cases of a number given twice).
    Choose {
        /// The entry's key, as listed.
        key: String,
    },
    /// Keep the current value; the entry leaves the list.
    Keep {
        /// The entry's key, as listed.
        key: String,
    },
    /// Apply now the operations held apart (dated far in the future) of
    /// one station, or of all.
    Accept {
        /// The station's key, as listed under "Held apart"; none: all.
        key: Option<String>,
    },
}

/// Asks for the passphrase on the terminal, without echoing it.
fn ask_passphrase(lang: Lang) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!(t!(lang, "cli.sync.need_passphrase")));
    }
    let p = super::prompt::read_secret(
        t!(lang, "cli.sync.passphrase_prompt"),
        t!(lang, "cli.sync.cancelled"),
    )?;
    if p.is_empty() {
        return Err(anyhow!(t!(lang, "cli.sync.no_passphrase")));
    }
    Ok(p)
}

/// Options of `waystation sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The shared folder.
    pub folder: std::path::PathBuf,
    /// Only show what the folder and this database hold, per origin.
    #[arg(long)]
    pub status: bool,
}

/// Options of `waystation conflicts`.
#[derive(Debug, clap::Args)]
pub struct ConflictsArgs {
    #[command(subcommand)]
    pub action: Option<ConflictAction>,
}

/// Exchanges records through the folder, or says what it holds.
pub fn sync(store: &mut Store, args: SyncArgs, lang: Lang) -> Result<ExitCode> {
    let (folder, status) = (args.folder.as_path(), args.status);
    store.require_station().map_err(|e| explain(e, lang))?;
    if status {
        let net =
            crate::sync::folder::read_network(folder).map_err(|e| anyhow!(e.localized(lang)))?;
        return sync_status(store, folder, net.is_some(), lang);
    }
    let marks = crate::paths::data_dir();
    let tty = std::io::stderr().is_terminal();
    let mut progress = |stage: &str, done: usize, total: usize| {
        if tty && total > 0 {
            let stage = match stage {
                "read" => t!(lang, "cli.sync.reading"),
                _ => t!(lang, "cli.sync.writing"),
            };
            eprint!("\r{stage}: {done}/{total}        ");
        }
    };
    let mut given = crate::sync::session::env_passphrase();
    let mut asked = false;
    let outcome = loop {
        match session::run(
            store,
            folder,
            given.as_deref(),
            marks.as_deref(),
            &mut progress,
        ) {
            Ok(o) => break o,
            // Nothing kept, or the kept one no longer fits: ask once.
            Err(SyncError::NeedPassphrase | SyncError::WrongPassphrase)
                if !asked
                    && crate::sync::session::env_passphrase().is_none()
                    && std::io::stdin().is_terminal() =>
            {
                asked = true;
                given = Some(ask_passphrase(lang)?);
            }
            Err(e) => return Err(anyhow!(e.localized(lang))),
        }
    };
    if tty {
        eprint!("\r{:40}\r", "");
    }
    let mut out = std::io::stdout().lock();
    // The same words as the console's sync pane says them.
    if outcome.created_network {
        writeln!(out, "{}", t!(lang, "sync.created"))?;
    } else if outcome.joined {
        writeln!(out, "{}", t!(lang, "sync.joined"))?;
    }
    if outcome.left_files_removed > 0 {
        writeln!(
            out,
            "{}",
            t!(
                lang,
                "sync.left_files_removed",
                n = outcome.left_files_removed
            )
        )?;
    }
    if outcome.new_replica {
        writeln!(out, "{}", t!(lang, "sync.new_replica"))?;
    }
    if outcome.copied {
        writeln!(out, "{}", t!(lang, "sync.copied"))?;
    }
    let r = &outcome.report;
    for s in &r.splits {
        writeln!(out, "{}", words::split(s, lang))?;
    }
    writeln!(
        out,
        "{}",
        t!(
            lang,
            "cli.sync.counts",
            read = r.files_read,
            applied = r.ops_applied,
            written = r.files_written,
            ops = r.ops_written
        )
    )?;
    write_waiting(&mut out, r.waiting as u64, lang)?;
    if r.files_rewritten > 0 {
        writeln!(
            out,
            "{}",
            t!(lang, "cli.sync.rewritten", n = r.files_rewritten)
        )?;
    }
    if outcome.conflicts > 0 {
        writeln!(
            out,
            "{}",
            t!(lang, "cli.sync.conflicts", n = outcome.conflicts)
        )?;
    }
    super::held::write_held(&mut out, store, lang)?;
    if r.files_repaired > 0 {
        writeln!(out, "{}", t!(lang, "sync.repaired", n = r.files_repaired))?;
    }
    if r.temp_removed > 0 {
        writeln!(out, "{}", t!(lang, "sync.temp_removed", n = r.temp_removed))?;
    }
    // One line a skipped file; the sync fails only for those whose
    // records are not here from another copy.
    for f in &r.refused {
        let (word, here) = if f.needed {
            (t!(lang, "cli.sync.refused"), "")
        } else {
            (
                t!(lang, "cli.sync.skipped"),
                t!(lang, "cli.sync.skipped_here"),
            )
        };
        let line = format!("{word} {}: {}", f.path.display(), f.why.localized(lang));
        writeln!(out, "{}", format!("{line} {here}").trim_end())?;
    }
    Ok(if r.incomplete() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Per origin: what the folder holds and what this database holds.
fn sync_status(store: &Store, folder: &Path, has_network: bool, lang: Lang) -> Result<ExitCode> {
    use std::collections::BTreeMap;
    let mut out = std::io::stdout().lock();
    if !has_network {
        writeln!(out, "{}", t!(lang, "cli.sync.no_network"))?;
    }
    let found = crate::sync::folder::scan(folder).map_err(|e| anyhow!(e.localized(lang)))?;
    let mut in_folder: BTreeMap<crate::domain::ids::ReplicaId, (usize, i64)> = BTreeMap::new();
    for f in &found {
        let e = in_folder.entry(f.origin).or_default();
        e.0 += 1;
        e.1 = e.1.max(f.last);
    }
    let here = store.knowledge().map_err(|e| explain(e, lang))?;
    let mut origins: Vec<_> = in_folder.keys().chain(here.keys()).copied().collect();
    origins.sort();
    origins.dedup();
    writeln!(out, "{}", t!(lang, "cli.sync.status_head"))?;
    for o in origins {
        let own = if o == store.replica_id() { " *" } else { "" };
        let (files, top) = in_folder.get(&o).copied().unwrap_or((0, 0));
        let (c, h) = here.get(&o).map_or((0, 0), |k| (k.contiguous, k.highest));
        let name = if o.is_carrier() {
            t!(lang, "cli.sync.carrier").to_owned()
        } else {
            store
                .origin_station(o)
                .map_err(|e| explain(e, lang))?
                .unwrap_or_default()
        };
        writeln!(
            out,
            "{}{own:<3}{files:>6}/{top:<19}{c:>8}/{h:<12}{name}",
            o.0.as_simple()
        )?;
    }
    for s in store.splits().map_err(|e| explain(e, lang))?.values() {
        let origin = s.origin.0.as_simple().to_string();
        writeln!(
            out,
            "{}",
            t!(
                lang,
                "cli.sync.split_status",
                origin = origin,
                from = s.from
            )
        )?;
    }
    super::held::write_held(&mut out, store, lang)?;
    Ok(ExitCode::SUCCESS)
}

/// `waystation conflicts [choose KEY | keep KEY]`.
pub fn conflicts(
    store: &mut Store,
    action: Option<ConflictAction>,
    lang: Lang,
) -> Result<ExitCode> {
    let (key, choice) = match action {
        None => return list_conflicts(store, lang),
        Some(ConflictAction::Choose { key }) => (key, Choice::Other),
        Some(ConflictAction::Keep { key }) => (key, Choice::Keep),
        Some(ConflictAction::Accept { key }) => {
            return super::held::accept(store, key.as_deref(), lang);
        }
    };
    let listed = store.conflicts().map_err(|e| explain(e, lang))?;
    let tz = store.time_zone().map_err(|e| explain(e, lang))?;
    let Some(entry) = listed
        .iter()
        .find(|l| l.key.eq_ignore_ascii_case(key.trim()))
    else {
        return Err(anyhow!(t!(lang, "cli.conflicts.unknown", key = key)));
    };
    let allowed = match choice {
        Choice::Other => words::other_action(entry, lang),
        Choice::Keep => words::keep_action(entry, lang),
    };
    let Some(done) = allowed else {
        return Err(anyhow!(
            words::details(entry, lang, tz)
                .last()
                .cloned()
                .unwrap_or_default()
        ));
    };
    store
        .resolve_conflict(&key, choice)
        .map_err(|e| explain(e, lang))?;
    println!("{key}: {done} — {}", words::title(entry, lang));
    Ok(ExitCode::SUCCESS)
}

fn list_conflicts(store: &Store, lang: Lang) -> Result<ExitCode> {
    let listed = store.conflicts().map_err(|e| explain(e, lang))?;
    let tz = store.time_zone().map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    let held = super::held::write_held(&mut out, store, lang)?;
    let splits = store.recent_splits().map_err(|e| explain(e, lang))?;
    if !splits.is_empty() {
        writeln!(
            out,
            "{}",
            t!(
                lang,
                "sync.split_head",
                days = crate::store::SPLIT_LISTED_DAYS
            )
        )?;
        for s in &splits {
            writeln!(out, "  {}", words::split_listed(s, lang, tz))?;
        }
    }
    if listed.is_empty() {
        if held == 0 && splits.is_empty() {
            writeln!(out, "{}", t!(lang, "cli.conflicts.none"))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    for l in &listed {
        writeln!(out, "{}  {}", l.key, words::title(l, lang))?;
        for line in words::details(l, lang, tz) {
            writeln!(out, "          {line}")?;
        }
        let mut how = Vec::new();
        if let Some(a) = words::other_action(l, lang) {
            how.push(format!("waystation conflicts choose {}  ({a})", l.key));
        }
        if let Some(a) = words::keep_action(l, lang) {
            how.push(format!("waystation conflicts keep {}  ({a})", l.key));
        }
        for h in how {
            writeln!(out, "          {h}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
