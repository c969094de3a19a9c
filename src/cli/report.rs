//! `waystation report`: the figures of a period as text, CSV or XLSX.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::cli::explain;
use crate::cli::out::{self, Out};
use crate::domain::dates::{DateError, End, Period, parse_date, parse_from_to};
use crate::domain::station::Station;
use crate::i18n::{Lang, Localized};
use crate::report::sheet::{Scope, sections};
use crate::store::Store;
use crate::t;

/// The ways a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for the terminal.
    Text,
    /// CSV, UTF-8 with a byte-order mark (Excel reads it right).
    Csv,
    /// An Excel workbook, a sheet per section.
    Xlsx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Options of `waystation report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// First day (2026-11-01, 2026/11/1, 11-01, 今天/today) or a whole
    /// period (本月/this month, 上月/last month, 2026-11, 2026-11-01..11-15).
    #[arg(long, value_name = "DATE|PERIOD")]
    pub from: String,
    /// Last day, or a period to end with (default: the end of the period
    /// given with --from).
    #[arg(long, value_name = "DATE|PERIOD")]
    pub to: Option<String>,
    /// Only this station (its code); default: every station the database holds.
    #[arg(long, value_name = "CODE")]
    pub station: Option<String>,
    /// text, csv or xlsx (default: from the --out file's name, else text).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file, replacing it if it exists; a folder: a file named
    /// after the period in it; `-`: the screen. Default: the screen for
    /// text, else a file named after the period in the current folder
    /// (never replacing one: a number is added to the name).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The day the report is made on: relative dates (本月, today) are read
    /// from it and overdue follow-ups counted on it (default: today).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Runs `waystation report`.
///
/// A file named with `--out` is replaced if it exists; a file given its
/// default name never replaces one (`…-2.xlsx` is written instead). Files
/// are written whole or not at all: to a temporary file in the same
/// folder, flushed, then moved into place.
pub fn report(store: &Store, args: ReportArgs, lang: Lang) -> Result<ExitCode> {
    let own = store.require_station().map_err(|e| explain(e, lang))?;
    let station = match &args.station {
        Some(code) => Some(find_station(store, code, lang)?),
        None => None,
    };
    let clock_today = store
        .figures_today(Some(station.as_ref().unwrap_or(&own).id))
        .map_err(|e| anyhow!(e.localized(lang)))?;
    let today = match &args.today {
        Some(t) => parse_date(t, clock_today).map_err(bad("--today", lang))?,
        None => clock_today,
    };
    let period = read_period(&args, today, lang)?;
    let format = choose_format(&args, lang)?;
    let figures = store
        .figures_on(
            period.from,
            period.to,
            station.as_ref().map(|s| s.id),
            today,
        )
        .map_err(|e| anyhow!(e.localized(lang)))?;
    let scope = match &station {
        Some(s) => Scope::Station {
            code: s.code.clone(),
            name: s.name.clone(),
        },
        None => Scope::All {
            stations: store.stations().map_err(|e| explain(e, lang))?.len(),
        },
    };
    let sheets = sections(&figures, &scope, lang);
    let bytes = match format {
        Format::Text => crate::report::text::render(&sheets, lang).into_bytes(),
        Format::Csv => crate::report::csv::render(&sheets, lang)?,
        Format::Xlsx => crate::report::xlsx::render(&sheets, lang)?,
    };
    let default_name = || {
        let code = station
            .as_ref()
            .map(|s| format!("{}-", s.code))
            .unwrap_or_default();
        format!(
            "waystation-report-{code}{}_{}.{}",
            period.from,
            period.to,
            format.extension()
        )
    };
    let written = match args.out.as_deref().map(Out::of) {
        None if format == Format::Text => None,
        Some(Out::Stdout) => None,
        None => Some(write_new(Path::new(&default_name()), &bytes, lang)?),
        // A folder (not a link to one) gets the file under its default name.
        Some(Out::File(dir)) if out::may_write(&dir) == Err(out::Refused::Folder) => {
            Some(write_new(&dir.join(default_name()), &bytes, lang)?)
        }
        Some(Out::File(path)) => {
            out::check(&path, lang)?;
            out::write_whole(&path, &bytes, true)
                .map_err(|e| out::cannot_write(&path, &e, lang))?;
            Some(path)
        }
    };
    match written {
        Some(path) => println!("{}", t!(lang, "report.written", path = path.display())),
        None if format == Format::Xlsx && std::io::stdout().is_terminal() => {
            return Err(anyhow!(t!(lang, "cli.out.binary_to_terminal")));
        }
        None => out::to_stdout(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A date error as a message naming the option it is about.
fn bad(option: &'static str, lang: Lang) -> impl Fn(DateError) -> anyhow::Error {
    move |e| {
        anyhow!(t!(
            lang,
            "report.bad_option",
            option = option,
            why = e.localized(lang)
        ))
    }
}

/// The days asked for: `--from`'s period, or from its first day to the
/// end of `--to`'s (read together: `--from 2025-11-01 --to 11-30` is
/// November 2025).
fn read_period(args: &ReportArgs, today: NaiveDate, lang: Lang) -> Result<Period> {
    parse_from_to(&args.from, args.to.as_deref(), today)
        .map_err(|(end, e)| bad(option(end), lang)(e))
}

/// The option an end of the period was given with.
pub(super) fn option(end: End) -> &'static str {
    match end {
        End::From => "--from",
        End::To => "--to",
    }
}

/// `--format`, or what the name of `--out` says.
fn choose_format(args: &ReportArgs, lang: Lang) -> Result<Format> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    let Some(out) = args.out.as_deref().filter(|o| !o.is_dir()) else {
        return Ok(Format::Text);
    };
    let ext = out.extension().map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref() {
        None | Some("txt" | "text") => Ok(Format::Text),
        Some("csv") => Ok(Format::Csv),
        Some("xlsx") => Ok(Format::Xlsx),
        Some(_) => Err(anyhow!(t!(lang, "report.bad_format", path = out.display()))),
    }
}

/// The station with `code` (in any case), or a message listing the codes.
fn find_station(store: &Store, code: &str, lang: Lang) -> Result<Station> {
    let wanted = code.trim().to_uppercase();
    let stations = store.stations().map_err(|e| explain(e, lang))?;
    let mut matching: Vec<Station> = stations
        .iter()
        .filter(|s| s.code == wanted)
        .cloned()
        .collect();
    match matching.len() {
        1 => Ok(matching.remove(0)),
        0 => {
            let codes: Vec<&str> = stations.iter().map(|s| s.code.as_str()).collect();
            let codes = if codes.is_empty() {
                t!(lang, "report.no_stations").to_owned()
            } else {
                codes.join(", ")
            };
            Err(anyhow!(t!(
                lang,
                "report.unknown_station",
                code = code.trim(),
                codes = codes
            )))
        }
        _ => {
            let names: Vec<&str> = matching.iter().map(|s| s.name.as_str()).collect();
            Err(anyhow!(t!(
                lang,
                "report.ambiguous_station",
                code = wanted,
                names = names.join(", ")
            )))
        }
    }
}

/// The names tried for a file given its default name: the name, then
/// `name-2.ext` … `name-99.ext`.
fn candidates(path: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    std::iter::once(path.to_owned())
        .chain((2..100).map(move |n| path.with_file_name(format!("{stem}-{n}{ext}"))))
}

/// Writes `bytes` to `path` or, if it exists, the first free numbered
/// name; gives the name written.
fn write_new(path: &Path, bytes: &[u8], lang: Lang) -> Result<PathBuf> {
    for p in candidates(path) {
        if p.exists() {
            continue;
        }
        match out::write_whole(&p, bytes, false) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(out::cannot_write(&p, &e, lang)),
        }
    }
    Err(anyhow!(t!(
        lang,
        "report.no_free_name",
        path = path.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_never_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        assert_eq!(write_new(&path, b"one", Lang::En).unwrap(), path);
        let second = write_new(&path, b"two", Lang::En).unwrap();
        assert_eq!(second, dir.path().join("r-2.csv"));
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
        // An explicit file is replaced; no temporary file is left behind.
        out::write_whole(&path, b"three", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        let err = out::write_whole(&path, b"four", false).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
    }

    #[test]
    fn a_missing_folder_is_said_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/r.csv");
        let e = out::write_whole(&path, b"x", true).unwrap_err();
        let msg = out::cannot_write(&path, &e, Lang::ZhCn).to_string();
        assert!(msg.starts_with("无法写入"), "{msg}");
    }
}
