//! `waystation export`: people, visits, cases or sessions to CSV or XLSX.
//!
//! Rows go from one read of the database straight to the file (see
//! `store/export.rs`), into a hidden file beside the target. When the file
//! is complete the export is recorded in the audit log, and only then is
//! the file renamed into place: an export that is not recorded never
//! appears, and an interrupted one leaves no half file under the name
//! asked for.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::report::export::sink;
pub use crate::report::export::{Cell, FileFormat, Kind, Style, XLSX_SHEET_ROWS};

use crate::cli::explain;
use crate::cli::out::{self, Out};
use crate::domain::dates::parse_ends;
use crate::i18n::{Lang, Localized};
use crate::report::export::SinkError;
use crate::store::AuditAction;
use crate::store::ExportFilter;
use crate::store::{Store, StoreError};
use crate::t;

/// Options of `waystation export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export: people, visits, cases or appointments (counselling
    /// and legal sessions, also "sessions").
    #[arg(value_enum)]
    pub kind: Kind,
    /// csv (UTF-8 with a byte-order mark, opens in Excel) or xlsx (default:
    /// xlsx when --out ends in .xlsx, else csv).
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// Write to this file, or into this folder (default: a file named after
    /// the kind and the day in the current folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// First day (2026-11-01, 11/1, 今天/today) or a whole period (本月/this
    /// month, 2026-11, 2026-11-01..11-15): visits by arrival, cases by
    /// opening, sessions by date.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, or a period to its end (default: the end of --from's
    /// period; without --from, everything up to this day).
    #[arg(long)]
    pub to: Option<String>,
    /// Only the visits or cases of this station (its code).
    #[arg(long)]
    pub station: Option<String>,
    /// Show resident ID numbers and phones in full (people only; the export
    /// is recorded as unmasked).
    #[arg(long)]
    pub unmasked: bool,
    /// Who is exporting: a staff member's name as listed (staff, counsellor
    /// or admin). The PIN is asked for, or read from WAYSTATION_PIN.
    /// Needed once anyone can sign in; the export is recorded as theirs.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
}

/// Why an export was refused or failed, in the user's language.
#[derive(Debug)]
enum Problem {
    /// People are exported whole.
    PeopleFiltered,
    /// Sessions belong to no station.
    SessionsByStation,
    /// Only people have numbers to unmask.
    NothingToUnmask(Kind),
    UnknownStation {
        code: String,
        known: Vec<String>,
    },
    /// `--out x.csv --format xlsx`.
    FormatMismatch {
        ext: String,
        format: FileFormat,
    },
    NoFolder(PathBuf),
    /// The target is a database (this one, perhaps).
    WouldOverwriteDatabase(PathBuf),
    Write(PathBuf, String),
    /// Recording in the audit log failed: no file was written.
    NotRecorded(String),
    /// Recorded, but the finished file could not be put in place.
    NotPlaced(PathBuf, String),
}

impl Localized for Problem {
    fn localized(&self, lang: Lang) -> String {
        use Problem as P;
        match self {
            P::PeopleFiltered => t!(lang, "cli.export.people_filtered").to_owned(),
            P::SessionsByStation => t!(lang, "cli.export.sessions_by_station").to_owned(),
            P::NothingToUnmask(k) => t!(
                lang,
                "cli.export.nothing_to_unmask",
                kind = k.label(lang).to_lowercase()
            ),
            P::UnknownStation { code, known } => t!(
                lang,
                "cli.export.unknown_station",
                code = code,
                known = known.join(t!(lang, "cli.export.known_sep"))
            ),
            P::FormatMismatch { ext, format } => t!(
                lang,
                "cli.export.format_mismatch",
                ext = ext,
                format = format.ext()
            ),
            P::NoFolder(p) => t!(lang, "cli.export.no_folder", path = p.display()),
            P::WouldOverwriteDatabase(p) => {
                t!(
                    lang,
                    "cli.export.would_overwrite_database",
                    path = p.display()
                )
            }
            P::Write(p, e) => t!(lang, "cli.export.write", path = p.display(), error = e),
            P::NotRecorded(e) => t!(lang, "cli.export.not_recorded", error = e),
            P::NotPlaced(p, e) => {
                t!(lang, "cli.export.not_placed", path = p.display(), error = e)
            }
        }
    }
}

/// What one export does, worked out from the command line before anything
/// is read.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    kind: Kind,
    format: FileFormat,
    /// Where the file goes (absolute); standard output for `--out -`.
    path: PathBuf,
    stdout: bool,
    filter: ExportFilter,
    /// The code of the station filtered on.
    station: Option<String>,
    masked: bool,
}

/// Runs `waystation export`.
pub fn export(store: &mut Store, args: ExportArgs, lang: Lang) -> Result<ExitCode> {
    let tz = store.time_zone().map_err(|e| explain(e, lang))?;
    store.require_station().map_err(|e| explain(e, lang))?;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let cwd = std::env::current_dir()?;
    let plan = plan(store, &args, today, &cwd, lang)?;
    // What needs no PIN is checked first; then who is exporting.
    crate::cli::audit::sign_in(
        store,
        args.as_name.as_deref(),
        chrono::Utc::now(),
        lang,
        crate::domain::access::Act::Export,
    )?;
    let style = Style {
        lang,
        tz,
        masked: plan.masked,
    };
    let rows = write_and_record(store, &plan, style, XLSX_SHEET_ROWS)?;
    // With the rows on standard output, what was done goes to the error
    // stream, as a note, not into the file.
    let say = |line: String| {
        if plan.stdout {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    say(t!(
        lang,
        "cli.export.done",
        kind = plan.kind.label(lang).to_lowercase(),
        rows = rows,
        path = if plan.stdout {
            "-".into()
        } else {
            plan.path.display().to_string()
        }
    ));
    let note = match (plan.kind, plan.masked) {
        (Kind::People, true) => t!(lang, "cli.export.masked"),
        (Kind::People, false) => t!(lang, "cli.export.unmasked"),
        _ => t!(lang, "cli.export.recorded"),
    };
    say(note.to_string());
    Ok(ExitCode::SUCCESS)
}

fn refuse(p: Problem, lang: Lang) -> anyhow::Error {
    anyhow!(p.localized(lang))
}

/// Checks the command line and works out the filter and the file.
fn plan(
    store: &Store,
    args: &ExportArgs,
    today: NaiveDate,
    cwd: &Path,
    lang: Lang,
) -> Result<Plan> {
    let kind = args.kind;
    if kind == Kind::People && (args.from.is_some() || args.to.is_some() || args.station.is_some())
    {
        return Err(refuse(Problem::PeopleFiltered, lang));
    }
    if kind == Kind::Appointments && args.station.is_some() {
        return Err(refuse(Problem::SessionsByStation, lang));
    }
    if kind != Kind::People && args.unmasked {
        return Err(refuse(Problem::NothingToUnmask(kind), lang));
    }
    let mut filter = ExportFilter::default();
    // `--from` alone covers its whole period; `--to` alone everything up
    // to its end.
    let (from, to) = parse_ends(args.from.as_deref(), args.to.as_deref(), today)
        .map_err(|(_, e)| anyhow!(e.localized(lang)))?;
    filter.from = from.map(|p| p.from);
    filter.to = to.or(from).map(|p| p.to);
    let mut station = None;
    if let Some(code) = &args.station {
        let stations = store.export_stations().map_err(|e| explain(e, lang))?;
        let wanted = code.trim().to_uppercase();
        let found = stations.iter().find(|s| s.code.to_uppercase() == wanted);
        let Some(found) = found else {
            let known = stations.into_iter().map(|s| s.code).collect();
            return Err(refuse(
                Problem::UnknownStation {
                    code: code.trim().to_owned(),
                    known,
                },
                lang,
            ));
        };
        filter.station = Some(found.id);
        station = Some(found.code.clone());
    }
    let stdout = args.out.as_deref().map(Out::of) == Some(Out::Stdout);
    let (format, path) = if stdout {
        let format = args.format.unwrap_or(FileFormat::Csv);
        if format == FileFormat::Xlsx && std::io::stdout().is_terminal() {
            return Err(anyhow!(t!(lang, "cli.out.binary_to_terminal")));
        }
        // The rows go to a hidden file in the system's temporary folder
        // first, then out once the export is recorded.
        let name = format!("waystation-{}.{}", kind.code(), format.ext());
        (format, std::env::temp_dir().join(name))
    } else {
        target(args, kind, today, cwd, lang)?
    };
    Ok(Plan {
        kind,
        format,
        path,
        stdout,
        filter,
        station,
        masked: !args.unmasked,
    })
}

/// The format and the absolute path of the file.
fn target(
    args: &ExportArgs,
    kind: Kind,
    today: NaiveDate,
    cwd: &Path,
    lang: Lang,
) -> Result<(FileFormat, PathBuf)> {
    let ext_of = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
    };
    let given = args.out.as_ref().map(|p| cwd.join(p));
    let named = given
        .as_ref()
        .filter(|p| out::may_write(p) != Err(out::Refused::Folder));
    let format = match (args.format, named.and_then(|p| ext_of(p))) {
        (Some(f), Some(ext)) if (ext == "csv" || ext == "xlsx") && ext != f.ext() => {
            return Err(refuse(Problem::FormatMismatch { ext, format: f }, lang));
        }
        (Some(f), _) => f,
        (None, Some(ext)) if ext == "xlsx" => FileFormat::Xlsx,
        (None, _) => FileFormat::Csv,
    };
    let default_name = format!("waystation-{}-{today}.{}", kind.code(), format.ext());
    let path = match given {
        Some(p) if out::may_write(&p) == Err(out::Refused::Folder) => p.join(default_name),
        Some(p) => p,
        None => cwd.join(default_name),
    };
    out::check(&path, lang)?;
    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if !folder.is_dir() {
        return Err(refuse(Problem::NoFolder(folder), lang));
    }
    if is_database(&path) {
        return Err(refuse(Problem::WouldOverwriteDatabase(path), lang));
    }
    Ok((format, path))
}

/// Whether the file at `path` is an SQLite database (a mistyped `--out`
/// must never replace the station's records).
fn is_database(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == b"SQLite format 3\0")
}

/// A file that is removed when dropped, unless it was put in place.
struct PartFile(Option<PathBuf>);

impl PartFile {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// What stopped the rows on their way to the file.
enum Failure {
    Store(StoreError),
    Sink(SinkError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

impl From<SinkError> for Failure {
    fn from(e: SinkError) -> Self {
        Failure::Sink(e)
    }
}

/// Writes the rows to a hidden file beside the target, records the export
/// in the audit log, then renames the file into place. The number of rows.
fn write_and_record(store: &mut Store, plan: &Plan, style: Style, sheet_rows: u32) -> Result<u64> {
    let lang = style.lang;
    let name = plan
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = plan.path.parent().unwrap_or(Path::new("."));
    let mut part = PartFile(Some(
        folder.join(format!(".{name}.{}.part", std::process::id())),
    ));
    let write_error = |e: SinkError| match e.io() {
        Some(io) if crate::store::is_full(io) => out::cannot_write(&plan.path, io, lang),
        _ => refuse(Problem::Write(plan.path.clone(), e.to_string()), lang),
    };
    let mut out =
        sink::open(plan.format, part.path(), plan.kind, lang, sheet_rows).map_err(write_error)?;
    let tty = std::io::stderr().is_terminal();
    let mut n = 0u64;
    let mut put = |cells: Vec<Cell>| -> Result<(), Failure> {
        out.row(&cells)?;
        n += 1;
        if tty && n.is_multiple_of(100_000) {
            eprint!("\r{}: {n} …", plan.kind.label(lang));
        }
        Ok(())
    };
    let f = &plan.filter;
    let read = match plan.kind {
        Kind::People => store.export_people(|r| put(style.person(&r))),
        Kind::Visits => store.export_visits(f, |r| put(style.visit(&r))),
        Kind::Cases => store.export_cases(f, |r| put(style.case(&r))),
        Kind::Appointments => store.export_appointments(f, |r| put(style.appointment(&r))),
    };
    if tty && n >= 100_000 {
        eprint!("\r{:40}\r", "");
    }
    let rows = match read {
        Ok(rows) => rows,
        Err(Failure::Store(e)) => return Err(explain(e, lang)),
        Err(Failure::Sink(e)) => return Err(write_error(e)),
    };
    out.finish().map_err(write_error)?;

    let action = if plan.masked {
        AuditAction::Export
    } else {
        AuditAction::ExportUnmasked
    };
    let detail = serde_json::json!({
        "format": plan.format.ext(),
        "rows": rows,
        "masked": plan.masked,
        "from": plan.filter.from.map(|d| d.to_string()),
        "to": plan.filter.to.map(|d| d.to_string()),
        "station": plan.station,
        "file": if plan.stdout { "-".into() } else { plan.path.to_string_lossy() },
    });
    store
        .record_audit(
            action,
            crate::store::About::Records(plan.kind.code()),
            &detail,
        )
        .map_err(|e| refuse(Problem::NotRecorded(explain(e, lang).to_string()), lang))?;

    if plan.stdout {
        let copied = std::fs::File::open(part.path())
            .and_then(|mut f| std::io::copy(&mut f, &mut std::io::stdout().lock()));
        copied?;
        return Ok(rows);
    }
    let from = part.0.take().unwrap_or_default();
    if let Err(e) = std::fs::rename(&from, &plan.path) {
        let _ = std::fs::remove_file(&from);
        return Err(refuse(
            Problem::NotPlaced(plan.path.clone(), e.to_string()),
            lang,
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
