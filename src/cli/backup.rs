//! `waystation backup DEST`: a copy of the database in a folder (a USB
//! stick), consistent while the console and the kiosk go on writing,
//! encrypted as the database is (its key file beside it), named by station
//! and time, read back to check it, and old copies thinned out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};

use super::explain;
use super::unlock::beside;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::crypt;
use crate::t;

/// Options of `waystation backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The folder to copy into (a USB stick, a network share).
    #[arg(value_name = "FOLDER")]
    pub dest: PathBuf,
    /// Keep every copy, thinning none out.
    #[arg(long)]
    pub keep_all: bool,
}

/// The name of a backup: `waystation-FT-20261207-183005.db`.
fn name_of(code: &str, at: NaiveDateTime) -> String {
    format!("waystation-{code}-{}.db", at.format("%Y%m%d-%H%M%S"))
}

/// When a file of `dir` named as a backup of station `code` was made.
fn made_at(code: &str, name: &str) -> Option<NaiveDateTime> {
    let stamp = name
        .strip_prefix(&format!("waystation-{code}-"))?
        .strip_suffix(".db")?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()
}

/// Which of the backups made at `times` (any order) to keep at `now`:
/// every one of the last 7 days, the newest of each week of the last 8
/// weeks, the newest of each month of the last 12 months, and the newest
/// of all.
pub fn to_keep(times: &[NaiveDateTime], now: NaiveDateTime) -> Vec<NaiveDateTime> {
    let mut sorted: Vec<NaiveDateTime> = times.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut keep = Vec::new();
    let mut weeks = std::collections::HashSet::new();
    let mut months = std::collections::HashSet::new();
    for (i, t) in sorted.iter().enumerate() {
        let age = now - *t;
        let week = (t.iso_week().year(), t.iso_week().week());
        let month = (t.year(), t.month());
        let kept = i == 0
            || age <= chrono::Duration::days(7)
            || (age <= chrono::Duration::weeks(8) && weeks.insert(week))
            || (age <= chrono::Duration::days(366) && months.insert(month));
        // A week or month is taken by its newest copy, kept or not.
        weeks.insert(week);
        months.insert(month);
        if kept {
            keep.push(*t);
        }
    }
    keep
}

/// Runs `waystation backup`.
pub(super) fn backup(store: &Store, db: &Path, args: BackupArgs, lang: Lang) -> Result<ExitCode> {
    let station = store.require_station().map_err(|e| explain(e, lang))?;
    if !args.dest.is_dir() {
        return Err(anyhow!(t!(
            lang,
            "cli.backup.no_folder",
            path = args.dest.display()
        )));
    }
    let now: DateTime<Utc> = Utc::now();
    let local = now.with_timezone(&store.time_zone().map_err(|e| explain(e, lang))?);
    let name = name_of(&station.code, local.naive_local());
    let dest = args.dest.join(&name);
    if dest.exists() {
        return Err(anyhow!(t!(
            lang,
            "cli.backup.exists",
            path = dest.display()
        )));
    }
    let part = args
        .dest
        .join(format!(".{name}.{}.part", std::process::id()));
    let cleanup = |e: anyhow::Error| {
        for p in [part.clone(), beside(&part, "-journal")] {
            let _ = std::fs::remove_file(p);
        }
        e
    };
    let started = std::time::Instant::now();
    store
        .backup_to(&part)
        .map_err(|e| cleanup(explain(e, lang)))?;
    // The key file goes with an encrypted copy: without it only the
    // recovery key opens the copy.
    if store.encrypted() {
        let key = crypt::key_path(db);
        std::fs::copy(&key, crypt::key_path(&dest)).map_err(|e| {
            cleanup(anyhow!(t!(
                lang,
                "cli.backup.io",
                path = key.display(),
                why = e
            )))
        })?;
    }
    std::fs::rename(&part, &dest).map_err(|e| {
        cleanup(anyhow!(t!(
            lang,
            "cli.backup.io",
            path = dest.display(),
            why = e
        )))
    })?;
    let size = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    println!(
        "{}",
        t!(
            lang,
            "cli.backup.done",
            path = dest.display(),
            mib = format!("{:.1}", size as f64 / (1024.0 * 1024.0)),
            secs = format!("{:.1}", started.elapsed().as_secs_f64())
        )
    );
    if !store.encrypted() {
        println!("{}", t!(lang, "cli.backup.clear"));
    }
    if !args.keep_all {
        thin(&args.dest, &station.code, local.naive_local(), lang);
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes the backups of `code` in `dir` that [`to_keep`] does not keep.
fn thin(dir: &Path, code: &str, now: NaiveDateTime, lang: Lang) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let found: Vec<(NaiveDateTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            made_at(code, &name).map(|t| (t, e.path()))
        })
        .collect();
    let times: Vec<NaiveDateTime> = found.iter().map(|(t, _)| *t).collect();
    let keep = to_keep(&times, now);
    for (t, path) in found {
        if keep.contains(&t) {
            continue;
        }
        let removed = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(crypt::key_path(&path));
        if removed.is_ok() {
            println!("{}", t!(lang, "cli.backup.thinned", path = path.display()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days_ago: i64, hour: u32) -> NaiveDateTime {
        let now = now();
        (now.date() - chrono::Duration::days(days_ago))
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(20, 0, 0)
            .unwrap()
    }

    #[test]
    fn names_read_back() {
        let t = at(0, 18);
        assert_eq!(made_at("FT", &name_of("FT", t)), Some(t));
        assert_eq!(made_at("FT2", &name_of("FT", t)), None);
        assert_eq!(made_at("FT", "waystation-FT-x.db"), None);
    }

    #[test]
    fn thinning_keeps_the_last_week_then_weeks_then_months() {
        // Two copies a day for 400 days.
        let times: Vec<NaiveDateTime> = (0..400).flat_map(|d| [at(d, 9), at(d, 18)]).collect();
        let keep = to_keep(&times, now());
        // Every copy of the last 7 days (and the 8th day's evening one,
        // exactly 7 days old at 20:00? no: 7 days and 2 hours).
        for d in 0..7 {
            assert!(
                keep.contains(&at(d, 9)) && keep.contains(&at(d, 18)),
                "day {d}"
            );
        }
        // Older: at most one a week up to 8 weeks, one a month to a year.
        let older: Vec<_> = keep
            .iter()
            .filter(|t| now() - **t > chrono::Duration::days(7))
            .collect();
        assert!(older.len() <= 8 + 12, "{}", older.len());
        assert!(older.len() >= 7 + 9, "{}", older.len());
        assert!(
            keep.iter()
                .all(|t| now() - *t <= chrono::Duration::days(366))
        );
        // Thinning again changes nothing.
        assert_eq!(to_keep(&keep, now()).len(), keep.len());
        // A lone old copy is the newest of all: kept.
        assert_eq!(to_keep(&[at(900, 9)], now()), vec![at(900, 9)]);
    }
}
