//! The command line: global options and subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
    Init {
        /// Short station code that prefixes case numbers, e.g. FT.
        #[arg(long)]
        code: String,
        /// Station name, e.g. "福田区总工会 爱心驿站".
        #[arg(long)]
        name: String,
        /// Time zone of the station.
        #[arg(long, default_value = crate::domain::station::DEFAULT_TIME_ZONE)]
        tz: String,
    },
    /// Fill a database with realistic generated records, for trying
    /// waystation out and for benchmarks (default: demo.db in the data
    /// folder, never the station's own database).
    Demo(DemoArgs),
    /// Find people and cases by case number, phone, name, pinyin or ID.
    Lookup {
        /// What to look for: FT-2026-0042, 42, 13812345678, 5678, 张三, zs …
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Verify the database and print its record counts and content digest.
    Check,
    /// Exchange records with other stations through a folder (USB stick,
    /// network share, Syncthing folder). The network passphrase is asked
    /// for once and kept in this database's settings;
    /// WAYSTATION_SYNC_PASSPHRASE supplies it to scripts.
    Sync {
        /// The shared folder.
        folder: PathBuf,
        /// Only show what the folder and this database hold, per origin.
        #[arg(long)]
        status: bool,
    },
    /// List what sync found for staff to decide (edits made apart on the
    /// same field, removals that hid an edit, double bookings, case numbers
    /// given twice), or decide one.
    Conflicts {
        #[command(subcommand)]
        action: Option<ConflictAction>,
    },
    /// Change this station's code (the prefix of new case numbers) or name.
    Station {
        /// New station code, e.g. FT2.
        #[arg(long)]
        code: String,
        /// New station name.
        #[arg(long)]
        name: Option<String>,
    },
    /// The figures of a period: visits, cases, counselling (as the F4 pane
    /// shows them), as text, CSV or XLSX.
    Report(crate::report_cmd::ReportArgs),
    /// Write people, visits, cases or counselling sessions to a CSV or XLSX
    /// file for the office's own spreadsheets (ID numbers and phones masked
    /// unless --unmasked; that use is recorded).
    Export(crate::export_cmd::ExportArgs),
    /// The self-service screen for workers themselves: check in, and look
    /// up a case's status by its number and the last four digits of the
    /// claimant's phone. Only a staff PIN leaves it.
    Kiosk(crate::kiosk::KioskArgs),
    /// The audit log (admins): sign-ins, who viewed, unmasked, exported or
    /// erased what, and who changed what, filtered by period, staff
    /// member, action or record.
    Audit(crate::audit_cmd::AuditArgs),
}

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
}

/// Options of `waystation demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Station code, used when the database has no station yet.
    #[arg(long, default_value = "FT")]
    pub code: String,
    /// People to register.
    #[arg(long, default_value_t = 2_000)]
    pub people: u32,
    /// Visits to record.
    #[arg(long, default_value_t = 20_000)]
    pub visits: u32,
    /// Cases to open.
    #[arg(long, default_value_t = 300)]
    pub cases: u32,
    /// Seed: the same seed (and day) gives the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The day the data leads up to (default: today), as 2026-11-30.
    #[arg(long, value_parser = parse_day)]
    pub today: Option<chrono::NaiveDate>,
    /// Open the console afterwards. A demo database that already has a
    /// station is opened as it is, without adding records.
    #[arg(long)]
    pub open: bool,
}

fn parse_lang(s: &str) -> Result<crate::i18n::Lang, String> {
    match s.to_ascii_lowercase().as_str() {
        "zh" | "zh-cn" | "zh_cn" | "cn" => Ok(crate::i18n::Lang::ZhCn),
        "en" | "en-us" | "en_us" | "en-gb" => Ok(crate::i18n::Lang::En),
        _ => Err(format!("unknown language '{s}' (use zh-CN or en)")),
    }
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::parse_date(s).map_err(|e| e.to_string())
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
        assert!(matches!(c.command, Some(Command::Lookup { ref query, .. }) if query == "张三"));
    }

    #[test]
    fn refuses_bad_language() {
        assert!(Cli::try_parse_from(["waystation", "--lang", "fr", "check"]).is_err());
    }
}
