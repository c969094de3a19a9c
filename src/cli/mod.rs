//! The command line: global options and subcommands, one file per
//! subcommand owning its arguments and its run. Everything the binary
//! prints comes from here; the console and the kiosk are opened from here.

mod audit;
mod backup;
mod check;
mod console;
mod demo;
mod duplicates;
mod export;
mod held;
mod import;
mod kiosk;
mod lookup;
mod network;
mod out;
mod prompt;
mod report;
mod respondents;
mod secure;
mod slip;
mod station;
mod sync;
mod unlock;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand};

use crate::i18n::{Lang, Localized};

pub use audit::{AuditArgs, PIN_ENV};
pub use demo::DemoArgs;
pub use export::ExportArgs;
pub use import::{ImportArgs, ImportWhat, RosterArgs};
pub use kiosk::KioskArgs;
pub use report::ReportArgs;
pub use sync::ConflictAction;

/// Console and records of a trade-union rest station for outdoor workers.
/// Without a command, opens the console.
#[derive(Debug, Parser)]
#[command(name = "waystation", version, about, long_about = None)]
pub struct Cli {
    /// Database file (default: waystation.db in the platform data folder).
    #[arg(long, global = true, env = "WAYSTATION_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language of the output: zh-CN or en (default: from the system locale).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<crate::i18n::Lang>,

    /// Minutes without a key after which the console locks (0: never).
    #[arg(
        long,
        global = true,
        env = "WAYSTATION_LOCK_AFTER",
        value_name = "MINUTES",
        default_value_t = crate::tui::app::DEFAULT_LOCK_MINUTES as u32
    )]
    pub lock_after: u32,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up the station of a new database.
    Init(station::InitArgs),
    /// Fill a database with realistic generated records, for trying
    /// waystation out and for benchmarks (default: demo.db in the data
    /// folder, never the station's own database).
    Demo(DemoArgs),
    /// Find people and cases by case number, phone, name, pinyin or ID.
    Lookup(lookup::LookupArgs),
    /// Verify the database and print its record counts and content digest.
    Check,
    /// Exchange records with other stations through a folder (USB stick,
    /// network share, Syncthing folder). The network passphrase is asked
    /// for once and kept in this database's settings;
    /// WAYSTATION_SYNC_PASSPHRASE supplies it to scripts.
    Sync(sync::SyncArgs),
    /// The sync network: `create` it once at the district office (a sync
    /// never creates one), `show` this database's and a folder's, `leave`
    /// it to join another, `restore` its file in a folder where Syncthing
    /// replaced it.
    Network(network::NetworkArgs),
    /// List what sync found for staff to decide (edits made apart on the
    /// same field, removals that hid an edit, double bookings, case numbers
    /// given twice), or decide one.
    Conflicts(sync::ConflictsArgs),
    /// Change this station's code (the prefix of new case numbers) or name.
    Station(station::StationArgs),
    /// The figures of a period: visits, cases, counselling (as the F4 pane
    /// shows them), as text, CSV or XLSX.
    Report(ReportArgs),
    /// Write people, visits, cases or counselling sessions to a CSV or XLSX
    /// file for the office's own spreadsheets (ID numbers and phones masked
    /// unless --unmasked; that use is recorded).
    Export(ExportArgs),
    /// Read records people bring in a file: `import roster FILE` reads a
    /// group's roster (names, phones, ID numbers, trades, amounts owed)
    /// from CSV or a spreadsheet, shows each row and who it is, and adds
    /// the new people (and, with --case, the case's claimants) once
    /// confirmed.
    Import(ImportArgs),
    /// The self-service screen for workers themselves: check in, and look
    /// up a case's status by its number and the last four digits of the
    /// claimant's phone. Only a staff PIN leaves it.
    Kiosk(KioskArgs),
    /// The audit log (admins): sign-ins, who viewed, unmasked, exported or
    /// erased what, and who changed what, filtered by period, staff
    /// member, action or record.
    Audit(AuditArgs),
    /// People who may be one worker registered twice (same ID number,
    /// phone, or a name that reads the same or is one character apart with
    /// the same trade or employer), best first; `merge KEY` makes a pair
    /// one person on every station the change reaches, `undo KEY` two
    /// again, `dismiss KEY` marks them two workers (staff, admins).
    Duplicates(duplicates::DuplicatesArgs),
    /// The slip a worker takes away from a case (case number, station,
    /// handler, what next, a QR code to follow it at the kiosk; no name,
    /// phone or ID number), written as a page to print.
    Slip(slip::SlipArgs),
    /// Encrypt this clear database in place with a new station passphrase
    /// (typed twice, or WAYSTATION_NEW_PASSPHRASE); prints the recovery
    /// key once. A verified copy is kept until the encrypted file opens.
    Encrypt,
    /// Change the station passphrase (the data is not rewritten), or, with
    /// --recover, set a new one with the recovery key printed at set-up
    /// (also when the key file beside the database was lost).
    Passphrase(secure::PassphraseArgs),
    /// Copy the database, consistent while the console and the kiosk run,
    /// into a folder (a USB stick), encrypted as the database is, named by
    /// station and time; check the copy; thin out old ones.
    Backup(backup::BackupArgs),
    /// The register of respondents (employers and other parties claims are
    /// against): find one by name, pinyin, initials or code; `show` its
    /// cases at every station; `set` its credit code, platform, address,
    /// contact; `duplicates`, `merge`, `unmerge`; `several`: those with
    /// open cases at several stations.
    Respondents(respondents::RespondentsArgs),
}

fn parse_lang(s: &str) -> Result<crate::i18n::Lang, String> {
    match s.to_ascii_lowercase().as_str() {
        "zh" | "zh-cn" | "zh_cn" | "cn" => Ok(crate::i18n::Lang::ZhCn),
        "en" | "en-us" | "en_us" | "en-gb" => Ok(crate::i18n::Lang::En),
        _ => Err(format!("unknown language '{s}' (use zh-CN or en)")),
    }
}

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let Some(command) = cli.command else {
        let path = db_path(cli.db)?;
        let store = unlock::open(&path, false, lang)?;
        return console::console(store, &path, lang, cli.lock_after);
    };
    let demo_db = matches!(command, Command::Demo(_));
    let path = match cli.db {
        Some(p) => p,
        None if demo_db => default_path(crate::paths::default_demo_db())?,
        None => db_path(None)?,
    };
    tracing::info!(db = %path.display(), ?command, "start");
    // These open the database themselves: `init` makes it (encrypted
    // from its first page), `encrypt` and `passphrase` handle its key.
    let command = match command {
        Command::Init(args) => return station::init(&path, args, lang),
        Command::Encrypt => return secure::encrypt(&path, lang),
        Command::Passphrase(args) => return secure::passphrase(&path, args, lang),
        other => other,
    };
    // Only `demo` makes a new database besides `init`: any other command
    // is given a mistyped name back instead of an empty database.
    let creates = matches!(command, Command::Demo(_));
    // The kiosk speaks Chinese unless told otherwise, whatever the system
    // locale (docs/kiosk.md): so does its passphrase prompt.
    let open_lang = match command {
        Command::Kiosk(_) => cli.lang.unwrap_or(Lang::ZhCn),
        _ => lang,
    };
    let mut store = unlock::open(&path, creates, open_lang)?;
    match command {
        Command::Init(_) | Command::Encrypt | Command::Passphrase(_) => {}
        Command::Backup(args) => return backup::backup(&store, &path, args, lang),
        Command::Demo(args) => {
            let open = args.open;
            // With --open, a demo database that already has its records is
            // opened as it is: the one-line start stays quick the second time.
            if !(open && store.station().map_err(|e| explain(e, lang))?.is_some()) {
                demo::demo(&mut store, &path, lang, args)?;
            }
            if open {
                return console::console(store, &path, lang, cli.lock_after);
            }
        }
        Command::Lookup(args) => return lookup::lookup(&store, args, lang),
        Command::Check => return check::check(&store, lang),
        Command::Sync(args) => return sync::sync(&mut store, args, lang),
        Command::Network(args) => return network::network(&mut store, args, lang),
        Command::Conflicts(args) => return sync::conflicts(&mut store, args.action, lang),
        Command::Station(args) => return station::station(&mut store, args, lang),
        Command::Report(args) => return report::report(&store, args, lang),
        Command::Export(args) => return export::export(&mut store, args, lang),
        Command::Import(args) => return import::import(&mut store, args, lang),
        Command::Kiosk(args) => return kiosk::run(store, &path, args, cli.lang),
        Command::Audit(args) => return audit::audit(&mut store, args, lang),
        Command::Duplicates(args) => return duplicates::duplicates(&mut store, args, lang),
        Command::Slip(args) => return slip::slip(&mut store, args, lang),
        Command::Respondents(args) => return respondents::respondents(&mut store, args, lang),
    }
    Ok(ExitCode::SUCCESS)
}

fn db_path(given: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p);
    }
    default_path(crate::paths::default_db())
}

fn default_path(path: Option<PathBuf>) -> Result<PathBuf> {
    let path = path.ok_or_else(|| {
        anyhow!("no home folder to keep the database in; give one with --db PATH")
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    }
    Ok(path)
}

/// `text` safe to print on a terminal: control characters (C0, DEL, C1)
/// and the marks that reorder text (bidirectional overrides and
/// isolates) shown as escapes (`\u{1b}`), so that an argument echoed in a
/// message cannot clear the screen, retitle the window or hide what
/// follows. Line breaks become `\n`; one-line messages stay one line.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let reorders = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || reorders => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// An error of a lower layer in the user's language.
pub(crate) fn explain(e: impl Localized, lang: Lang) -> anyhow::Error {
    anyhow!(e.localized(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_lookup_with_global_db() {
        let c = Cli::try_parse_from(["waystation", "lookup", "张三", "--db", "x.db"]).unwrap();
        assert_eq!(c.db.as_deref(), Some(std::path::Path::new("x.db")));
        assert!(matches!(c.command, Some(Command::Lookup(ref a)) if a.query == "张三"));
    }

    #[test]
    fn printable_escapes_what_drives_a_terminal() {
        let hostile = "a\u{1b}[2J\u{1b}]0;pwned\u{7}\rb\u{9b}31m\u{202e}gpj.exe";
        let shown = printable(hostile);
        assert_eq!(
            shown,
            "a\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\rb\\u{9b}31m\\u{202e}gpj.exe"
        );
        assert!(!shown.chars().any(char::is_control), "{shown}");
        // Chinese, spaces and punctuation are left as they are.
        assert_eq!(printable("张三 FT-2026-0042：ok"), "张三 FT-2026-0042：ok");
        assert_eq!(printable("two\nlines"), "two\\nlines");
    }

    #[test]
    fn refuses_bad_language() {
        assert!(Cli::try_parse_from(["waystation", "--lang", "fr", "check"]).is_err());
    }
}
