//! `waystation check`: verify the database, its counts and digest.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::explain;
use crate::i18n::Lang;
use crate::store::Store;
use crate::t;

/// How many records wait for a record they refer to (said only when some do).
pub(super) fn write_waiting(out: &mut impl Write, waiting: u64, lang: Lang) -> Result<()> {
    if waiting > 0 {
        writeln!(out, "{}: {waiting}", t!(lang, "cli.check.waiting"))?;
    }
    Ok(())
}

pub(super) fn check(store: &Store, lang: Lang) -> Result<ExitCode> {
    let report = store.check().map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    for (entity, n) in &report.counts {
        writeln!(out, "{}: {n}", entity.table().name)?;
    }
    writeln!(out, "operations: {}", report.ops)?;
    write_waiting(&mut out, report.waiting, lang)?;
    for p in &report.problems {
        writeln!(out, "problem: {p}")?;
    }
    writeln!(
        out,
        "{}",
        if report.is_ok() {
            t!(lang, "cli.check.ok")
        } else {
            t!(lang, "cli.check.failed")
        }
    )?;
    writeln!(out, "digest: {}", report.digest)?;
    writeln!(
        out,
        "{}",
        if store.encrypted() {
            t!(lang, "cli.check.encrypted")
        } else {
            t!(lang, "cli.check.clear")
        }
    )?;
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
