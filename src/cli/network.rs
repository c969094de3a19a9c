//! `waystation network`: the sync network this database belongs to:
//! created once at the district office, shown beside a folder's, left to
//! join another, and its file put back in a folder where Syncthing
//! replaced it.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::Subcommand;

use super::explain;
use crate::domain::access::Act;
use crate::i18n::Lang;
use crate::store::Store;
use crate::sync::folder::Network;
use crate::sync::network::{
    self, CopyKind, InFolder, Inspection, NetworkCopy, Verdict, fingerprint_words,
};
use crate::sync::session::env_passphrase;
use crate::t;

/// Options of `waystation network`.
#[derive(Debug, clap::Args)]
pub struct NetworkArgs {
    #[command(subcommand)]
    pub action: NetworkAction,
}

/// What to do with the sync network.
#[derive(Debug, Subcommand)]
pub enum NetworkAction {
    /// Create the district's sync network in an empty folder: once, at the
    /// district office. This database becomes its first member. The
    /// passphrase is asked for twice, or read from
    /// WAYSTATION_SYNC_PASSPHRASE. Stations join by syncing.
    Create {
        /// The shared folder (empty, or new).
        folder: PathBuf,
        /// Who is creating it: an admin's name as listed. The PIN is asked
        /// for, or read from WAYSTATION_PIN. Needed once anyone can sign
        /// in.
        #[arg(long = "as", value_name = "NAME")]
        as_name: Option<String>,
    },
    /// The network this database belongs to, the network of a folder
    /// (default: the folder of the last sync), whether they match, and
    /// what to do when they do not.
    Show {
        /// The shared folder.
        folder: Option<PathBuf>,
    },
    /// Forget the network, its passphrase and its folder, so that a sync
    /// can join another network. The records stay. Asks first on a
    /// terminal.
    Leave {
        /// Do not ask (scripts).
        #[arg(long)]
        yes: bool,
        /// Leave even though changes made here have not been written to
        /// the network (they go to the network joined next).
        #[arg(long)]
        unsynced: bool,
        /// Who is leaving: an admin's name as listed (see `create`).
        #[arg(long = "as", value_name = "NAME")]
        as_name: Option<String>,
    },
    /// Put this database's network file back into a folder where Syncthing
    /// replaced it with another network's (kept beside it, renamed).
    Restore {
        /// The shared folder.
        folder: PathBuf,
    },
}

/// Runs `waystation network …`.
pub fn network(store: &mut Store, args: NetworkArgs, lang: Lang) -> Result<ExitCode> {
    match args.action {
        NetworkAction::Create { folder, as_name } => create(store, &folder, as_name, lang),
        NetworkAction::Show { folder } => show(store, folder.as_deref(), lang),
        NetworkAction::Leave {
            yes,
            unsynced,
            as_name,
        } => leave(store, yes, unsynced, as_name, lang),
        NetworkAction::Restore { folder } => restore(store, &folder, lang),
    }
}

/// The passphrase of a new network: from the environment, or typed twice
/// on the terminal (a typo would make a network nobody can join).
fn new_passphrase(lang: Lang) -> Result<String> {
    if let Some(p) = env_passphrase() {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!(t!(lang, "cli.sync.need_passphrase")));
    }
    let cancelled = t!(lang, "cli.sync.cancelled");
    let first = super::prompt::read_secret(t!(lang, "cli.network.passphrase_new"), cancelled)?;
    if first.is_empty() {
        return Err(anyhow!(t!(lang, "cli.sync.no_passphrase")));
    }
    let again = super::prompt::read_secret(t!(lang, "cli.network.passphrase_again"), cancelled)?;
    if again != first {
        return Err(anyhow!(t!(lang, "cli.network.passphrases_differ")));
    }
    Ok(first)
}

fn create(
    store: &mut Store,
    folder: &Path,
    as_name: Option<String>,
    lang: Lang,
) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    // What needs no PIN is checked first; then who is creating it.
    network::can_create(store, folder).map_err(|e| explain(e, lang))?;
    super::audit::sign_in(
        store,
        as_name.as_deref(),
        chrono::Utc::now(),
        lang,
        Act::Network,
    )?;
    let pass = new_passphrase(lang)?;
    let net = network::create(store, folder, &pass).map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        t!(
            lang,
            "cli.network.created",
            id = net.id.0,
            folder = folder.display()
        )
    )?;
    writeln!(
        out,
        "{}",
        t!(
            lang,
            "cli.network.fingerprint",
            fp = fingerprint_words(&net.fingerprint)
        )
    )?;
    writeln!(
        out,
        "{}",
        t!(lang, "cli.network.created_next", folder = folder.display())
    )?;
    Ok(ExitCode::SUCCESS)
}

/// "network 0190… · key 3f9a 1c2e …".
fn network_line(net: &Network, lang: Lang) -> String {
    t!(
        lang,
        "cli.network.network_line",
        id = net.id.0,
        fp = fingerprint_words(&net.fingerprint)
    )
}

fn copy_line(c: &NetworkCopy, lang: Lang) -> String {
    let what = match c.kind {
        CopyKind::Syncthing => t!(lang, "cli.network.copy_syncthing"),
        CopyKind::SetAside => t!(lang, "cli.network.copy_set_aside"),
    };
    let net = match &c.network {
        Some(n) => network_line(n, lang),
        None => t!(lang, "cli.network.unreadable").to_owned(),
    };
    format!(
        "  {}",
        t!(
            lang,
            "cli.network.copy_line",
            name = c.name,
            what = what,
            net = net
        )
    )
}

fn show(store: &Store, folder: Option<&Path>, lang: Lang) -> Result<ExitCode> {
    let seen = network::inspect(store, folder).map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    for line in show_lines(&seen, lang) {
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `network show` prints.
fn show_lines(seen: &Inspection, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    match &seen.member {
        Some(m) => {
            lines.push(t!(lang, "cli.network.db_member", id = m.network.0));
            let fp = m
                .fingerprint
                .as_ref()
                .map_or_else(|| "?".to_owned(), fingerprint_words);
            let pass = if m.passphrase_kept {
                t!(lang, "cli.network.pass_kept")
            } else {
                t!(lang, "cli.network.pass_not_kept")
            };
            lines.push(format!(
                "  {}",
                t!(lang, "cli.network.fingerprint_pass", fp = fp, pass = pass)
            ));
            if m.unsynced > 0 {
                lines.push(format!(
                    "  {}",
                    t!(lang, "cli.network.unsynced", n = m.unsynced)
                ));
            }
        }
        None => lines.push(t!(lang, "cli.network.db_none").to_owned()),
    }
    let folder = seen
        .folder
        .as_ref()
        .map(|f| f.path.display().to_string())
        .unwrap_or_default();
    if let Some(f) = &seen.folder {
        lines.push(t!(lang, "cli.network.folder", folder = folder));
        let net = match &f.network {
            InFolder::Found(n) => network_line(n, lang),
            InFolder::Missing => t!(lang, "cli.network.folder_none").to_owned(),
            InFolder::Unreadable => t!(lang, "cli.network.unreadable").to_owned(),
            InFolder::NoFolder => t!(lang, "cli.network.folder_missing").to_owned(),
        };
        lines.push(format!("  network.wsn: {net}"));
        for c in &f.copies {
            lines.push(copy_line(c, lang));
        }
        if f.network != InFolder::NoFolder {
            lines.push(format!("  {}", t!(lang, "cli.network.files", n = f.files)));
        }
    }
    let verdict = match seen.verdict() {
        Verdict::NoFolder => t!(lang, "cli.network.v_no_folder").to_owned(),
        Verdict::FolderMissing => t!(lang, "cli.network.v_folder_missing").to_owned(),
        Verdict::Same => t!(lang, "cli.network.v_same").to_owned(),
        Verdict::WrittenBySync => t!(lang, "cli.network.v_written_by_sync").to_owned(),
        Verdict::JoinedBySync => t!(lang, "cli.network.v_joined_by_sync").to_owned(),
        Verdict::Neither => t!(lang, "cli.network.v_neither", folder = folder),
        Verdict::Replaced { copy } => {
            let then = t!(lang, "cli.network.v_replaced_then", folder = folder);
            format!(
                "{}\n{then}",
                t!(lang, "cli.network.v_replaced", copy = copy)
            )
        }
        Verdict::SetAside { copy } => t!(lang, "cli.network.v_set_aside", copy = copy),
        Verdict::Other => t!(lang, "cli.network.v_other").to_owned(),
        Verdict::Unreadable if seen.member.is_some() => {
            t!(lang, "cli.network.v_unreadable_member", folder = folder)
        }
        Verdict::Unreadable => t!(lang, "cli.network.v_unreadable").to_owned(),
    };
    lines.push(String::new());
    lines.extend(verdict.lines().map(str::to_owned));
    lines
}

/// Asks on the terminal; `true` for yes.
fn confirm(question: &str) -> Result<bool> {
    eprint!("{question} ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    let a = answer.trim().to_lowercase();
    Ok(matches!(a.as_str(), "y" | "yes" | "是" | "是的"))
}

fn leave(
    store: &mut Store,
    yes: bool,
    unsynced: bool,
    as_name: Option<String>,
    lang: Lang,
) -> Result<ExitCode> {
    // What needs no PIN is checked first: a member, with nothing left to
    // write out (or --unsynced).
    let Some(id) = store.sync_settings().map_err(|e| explain(e, lang))?.network else {
        return Err(explain(network::NetworkError::NotMember, lang));
    };
    let pending = network::unsynced(store).map_err(|e| explain(e, lang))?;
    if pending > 0 && !unsynced {
        return Err(explain(network::NetworkError::Unsynced(pending), lang));
    }
    super::audit::sign_in(
        store,
        as_name.as_deref(),
        chrono::Utc::now(),
        lang,
        Act::Network,
    )?;
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(anyhow!(t!(lang, "cli.network.leave_needs_yes")));
        }
        if !confirm(&t!(lang, "cli.network.leave_q", id = id.0))? {
            return Err(anyhow!(t!(lang, "cli.network.not_left")));
        }
    }
    let left = network::leave(store, unsynced).map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", t!(lang, "cli.network.left", id = left.network.0))?;
    if left.unsynced > 0 {
        writeln!(
            out,
            "{}",
            t!(lang, "cli.network.left_unsynced", n = left.unsynced)
        )?;
    }
    writeln!(out, "{}", t!(lang, "cli.network.left_next"))?;
    Ok(ExitCode::SUCCESS)
}

fn restore(store: &mut Store, folder: &Path, lang: Lang) -> Result<ExitCode> {
    let done = network::restore(store, folder).map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        t!(lang, "cli.network.restored", folder = folder.display())
    )?;
    if let Some(name) = &done.set_aside {
        writeln!(out, "{}", t!(lang, "cli.network.set_aside", name = name))?;
    }
    for name in &done.removed {
        writeln!(out, "{}", t!(lang, "cli.network.copy_removed", name = name))?;
    }
    writeln!(out, "{}", t!(lang, "cli.network.restored_next"))?;
    Ok(ExitCode::SUCCESS)
}
