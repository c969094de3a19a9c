//! `waystation demo`: a database of realistic generated records.

use std::io::IsTerminal;

use anyhow::{Result, anyhow};

use super::explain;
use crate::domain::dates::parse_date;
use crate::i18n::{Lang, Localized};
use crate::store::Store;
use crate::t;

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
    /// The day the data leads up to (default: today): any date as staff
    /// type one (2026-11-30, 11/30, 昨天).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Open the console afterwards. A demo database that already has a
    /// station is opened as it is, without adding records.
    #[arg(long)]
    pub open: bool,
}

pub(super) fn demo(
    store: &mut Store,
    path: &std::path::Path,
    lang: Lang,
    args: DemoArgs,
) -> Result<()> {
    let now = chrono::Utc::now().with_timezone(&store.time_zone()?);
    let today = match &args.today {
        Some(text) => parse_date(text, now.date_naive()).map_err(|e| {
            anyhow!(t!(
                lang,
                "report.bad_option",
                option = "--today",
                why = e.localized(lang)
            ))
        })?,
        None => demo_day(now),
    };
    let spec = crate::demo::DemoSpec {
        code: args.code,
        name: None,
        people: args.people,
        visits: args.visits,
        cases: args.cases,
        seed: args.seed,
        today,
    };
    let started = std::time::Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut last = String::new();
    let mut progress = |stage: &str, done: u64, total: u64| {
        if tty {
            eprint!("\r{stage}: {done}/{total}        ");
        } else if stage != last {
            eprintln!("{stage} …");
            last = stage.to_owned();
        }
    };
    let summary =
        crate::demo::generate(store, &spec, &mut progress).map_err(|e| explain(e, lang))?;
    if tty {
        eprint!("\r{:40}\r", "");
    }
    let counts = [
        (u64::from(summary.people), t!(lang, "cli.demo.people")),
        (u64::from(summary.visits), t!(lang, "cli.demo.visits")),
        (u64::from(summary.cases), t!(lang, "cli.demo.cases")),
        (
            u64::from(summary.counsellors),
            t!(lang, "cli.demo.counsellors"),
        ),
        (
            u64::from(summary.appointments),
            t!(lang, "cli.demo.appointments"),
        ),
        (summary.ops, t!(lang, "cli.demo.operations")),
    ];
    let counts: Vec<String> = counts
        .iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    println!(
        "{} {}: {} ({:.1} s)",
        t!(lang, "cli.demo.written_to"),
        path.display(),
        counts.join(", "),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The day demo records lead up to when none is given: today once its
/// demo afternoon (up to [`crate::demo::NOW_HOUR`]) has passed, yesterday
/// before that, so that nothing is recorded later than now.
fn demo_day(now: chrono::DateTime<chrono_tz::Tz>) -> chrono::NaiveDate {
    use chrono::Timelike;
    let today = now.date_naive();
    if now.hour() >= crate::demo::NOW_HOUR {
        today
    } else {
        today.pred_opt().unwrap_or(today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn demo_records_never_lie_in_the_future() {
        let tz = chrono_tz::Asia::Shanghai;
        let morning = tz.with_ymd_and_hms(2026, 11, 23, 6, 20, 0).unwrap();
        assert_eq!(
            demo_day(morning),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
        let evening = tz.with_ymd_and_hms(2026, 11, 23, 18, 0, 0).unwrap();
        assert_eq!(
            demo_day(evening),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }
}
