//! `waystation import roster FILE`: a group's roster read from a CSV file
//! or a spreadsheet (or pasted text on standard input), shown row by row
//! with who each worker is, and added only when confirmed: the new people
//! registered and, with `--case`, every row's person made a claimant of
//! the case owed the row's amount. All in one write: a failure adds
//! nothing.

mod preview;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use crate::cli::explain;
use crate::domain::access::Act;
use crate::domain::case::{Case, CaseNumber};

use crate::i18n::Lang;
use crate::import::{Matched, Roster, RosterRow};
use crate::store::{Hit, Match, Store};
use crate::t;

/// Options of `waystation import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportWhat,
}

/// What to import.
#[derive(Debug, clap::Subcommand)]
pub enum ImportWhat {
    /// A group's roster (names, phones, ID numbers, trades, amounts owed)
    /// from a CSV file (UTF-8 or GBK), an XLSX, XLS or ODS spreadsheet, or
    /// text pasted on standard input (FILE "-"). Shows every row first and
    /// adds nothing unless confirmed.
    Roster(RosterArgs),
}

/// Options of `waystation import roster`.
#[derive(Debug, clap::Args)]
pub struct RosterArgs {
    /// The roster: a .csv, .xlsx, .xls or .ods file, or "-" for text on
    /// standard input (tab- or comma-separated, as copied from a
    /// spreadsheet).
    pub file: PathBuf,
    /// Also make every row's person a claimant of this case (FT-2026-0012),
    /// with the row's amount as what is owed to them.
    #[arg(long, value_name = "NUMBER")]
    pub case: Option<String>,
    /// Add without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Add the good rows when some are refused (by default a refused row
    /// stops the whole import).
    #[arg(long)]
    pub skip_bad: bool,
    /// What to do with rows that may be workers registered already (a
    /// name read alike or one character apart with the same trade or
    /// phone, or the same ID number): "known" takes each as that worker,
    /// "new" registers them apart. Without it such rows stop the import.
    #[arg(long, value_enum, value_name = "known|new")]
    pub likely: Option<LikelyRows>,
    /// Who is importing: a staff member's name as listed (staff,
    /// counsellor or admin with --case; anyone at the front desk without).
    /// The PIN is asked for, or read from WAYSTATION_PIN. Needed once
    /// anyone can sign in.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
}

/// What the rows that may be registered workers are taken as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LikelyRows {
    /// The registered worker each may be.
    Known,
    /// Someone new each.
    New,
}

/// Runs `waystation import`.
pub fn import(store: &mut Store, args: ImportArgs, lang: Lang) -> Result<ExitCode> {
    match args.what {
        ImportWhat::Roster(args) => roster(store, args, lang),
    }
}

fn roster(store: &mut Store, args: RosterArgs, lang: Lang) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    // What needs no PIN is checked first: the file, the case number.
    let from_stdin = args.file == Path::new("-");
    let mut roster = if from_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        crate::import::parse_text(&text)
    } else {
        crate::import::read(&args.file)
    }
    .map_err(|e| explain(e, lang))?;
    let number = match &args.case {
        Some(n) => Some(n.parse::<CaseNumber>().map_err(|e| explain(e, lang))?),
        None => None,
    };
    let act = if number.is_some() {
        Act::Cases
    } else {
        Act::FrontDesk
    };
    crate::cli::audit::sign_in(
        store,
        args.as_name.as_deref(),
        chrono::Utc::now(),
        lang,
        act,
    )?;
    let case = match &number {
        Some(n) => Some(find_case(store, n, lang)?),
        None => None,
    };
    crate::import::match_known(store, &mut roster).map_err(|e| explain(e, lang))?;

    let mut out = std::io::stdout().lock();
    let shown = if from_stdin {
        "-".to_owned()
    } else {
        args.file.display().to_string()
    };
    preview::print(&mut out, &roster, &shown, args.likely, lang)?;
    if let Some(c) = &case {
        let claimants = store.claimants(c.id).map_err(|e| explain(e, lang))?.len();
        writeln!(
            out,
            "{}",
            t!(
                lang,
                "import.cli.case",
                number = c.number,
                claimants = claimants,
                claimed = c.claimed
            )
        )?;
    } else if roster.rows.iter().any(|r| r.claimed.is_some()) {
        writeln!(out, "{}", t!(lang, "import.cli.amounts_unused"))?;
    }

    let refused = roster.rows.iter().filter(|r| !r.is_good()).count();
    if refused > 0 && !args.skip_bad {
        out.flush()?;
        return Err(anyhow!(t!(lang, "import.cli.refused_rows", n = refused)));
    }
    let likely = roster
        .rows
        .iter()
        .filter(|r| r.is_good() && matches!(r.matched, Some(Matched::Likely(..))))
        .count();
    if likely > 0 && args.likely.is_none() {
        out.flush()?;
        return Err(anyhow!(t!(lang, "import.cli.likely_rows", n = likely)));
    }
    if refused > 0 {
        writeln!(out, "{}", t!(lang, "import.cli.skipping", n = refused))?;
    }
    let good: Vec<&RosterRow> = roster.rows.iter().filter(|r| r.is_good()).collect();
    let new = good.iter().filter(|r| is_new(r, args.likely)).count();
    if good.is_empty() || (new == 0 && case.is_none()) {
        writeln!(out, "{}", t!(lang, "import.cli.nothing_to_add"))?;
        return Ok(ExitCode::SUCCESS);
    }
    out.flush()?;
    if !confirmed(args.yes, from_stdin, lang)? {
        let key = if !from_stdin && std::io::stdin().is_terminal() {
            t!(lang, "import.cli.declined")
        } else {
            t!(lang, "import.cli.preview_only")
        };
        writeln!(out, "{key}")?;
        return Ok(ExitCode::SUCCESS);
    }

    let claimants =
        add(store, &roster, case.as_ref(), args.likely).map_err(|e| explain(e, lang))?;
    let done = match &case {
        Some(c) => t!(
            lang,
            "import.cli.added_case",
            new = new,
            claimants = claimants,
            number = c.number
        ),
        None => t!(lang, "import.cli.added", new = new),
    };
    writeln!(out, "{done}")?;
    Ok(ExitCode::SUCCESS)
}

/// Whether the row registers someone new.
fn is_new(r: &RosterRow, likely: Option<LikelyRows>) -> bool {
    match r.matched {
        Some(Matched::Known(..)) => false,
        Some(Matched::Likely(..)) => likely != Some(LikelyRows::Known),
        _ => true,
    }
}

/// The case with this number, or a refusal naming it.
fn find_case(store: &Store, number: &CaseNumber, lang: Lang) -> Result<Case> {
    let hits = store
        .lookup(&number.to_string(), 1)
        .map_err(|e| explain(e, lang))?;
    let id = hits.into_iter().find_map(|h| match h {
        Hit::Case(c) if c.matched == Match::CaseNumber => Some(c.id),
        _ => None,
    });
    let case = match id {
        Some(id) => store.case(id).map_err(|e| explain(e, lang))?,
        None => None,
    };
    case.ok_or_else(|| anyhow!(t!(lang, "import.cli.no_case", number = number)))
}

/// Whether to go on: `--yes`, or a "y" typed at the terminal. Without a
/// terminal to ask at (a script, or the roster itself on standard input),
/// only `--yes` adds.
fn confirmed(yes: bool, from_stdin: bool, lang: Lang) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if from_stdin || !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("{}", t!(lang, "import.cli.confirm"));
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "好" | "确认"
    ))
}

/// Adds the good rows in one write: the new people registered, and with a
/// case every row's person a claimant owed the row's amount (an amount
/// the row does not give leaves what a claimant already has; the case
/// total follows its claimants'). The number of claimants added.
fn add(
    store: &mut Store,
    roster: &Roster,
    case: Option<&Case>,
    likely: Option<LikelyRows>,
) -> crate::store::Result<usize> {
    store.write(|w| {
        let mut claimants = 0;
        for row in roster.rows.iter().filter(|r| r.is_good()) {
            let person = match &row.matched {
                Some(Matched::Known(id, _)) => *id,
                Some(Matched::Likely(id, _)) if likely == Some(LikelyRows::Known) => *id,
                _ => w.add_person(&row.details())?,
            };
            if let Some(c) = case {
                w.add_claimant_owed(c.id, person, row.claimed)?;
                claimants += 1;
            }
        }
        Ok(claimants)
    })
}
