//! `waystation slip CASE`: the slip a worker takes away (case number,
//! station, handler, what next, a QR code; no name or number), written as
//! a page to print.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use super::explain;
use super::out::{self, Out};
use crate::domain::access::Act;
use crate::domain::case::CaseNumber;
use crate::i18n::Lang;
use crate::report::slip::Slip;
use crate::store::{Hit, Match, Store};
use crate::t;

/// Options of `waystation slip`.
#[derive(Debug, clap::Args)]
pub struct SlipArgs {
    /// The case number, e.g. FT-2026-0012.
    pub case: String,
    /// Where to write the page (HTML, to print or open in a browser); by
    /// default CASE.html in the current folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Who prints it: a staff member's name as listed (staff, counsellor
    /// or admin). The PIN is asked for, or read from WAYSTATION_PIN.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
}

/// Runs `waystation slip`.
pub fn slip(store: &mut Store, args: SlipArgs, lang: Lang) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    let number: CaseNumber = args.case.parse().map_err(|e| explain(e, lang))?;
    super::audit::sign_in(
        store,
        args.as_name.as_deref(),
        chrono::Utc::now(),
        lang,
        Act::Cases,
    )?;
    let id = store
        .lookup(&number.to_string(), 1)
        .map_err(|e| explain(e, lang))?
        .into_iter()
        .find_map(|h| match h {
            Hit::Case(c) if c.matched == Match::CaseNumber => Some(c.id),
            _ => None,
        })
        .ok_or_else(|| anyhow!(t!(lang, "slip.no_case", number = number)))?;
    let slip = Slip::of(store, id, lang)
        .map_err(|e| explain(e, lang))?
        .ok_or_else(|| anyhow!(t!(lang, "slip.no_case", number = number)))?;
    let out = match args.out.as_deref().map(Out::of) {
        // The page itself, for a script or a printer's pipe.
        Some(Out::Stdout) => {
            out::to_stdout(slip.html(lang).as_bytes())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Out::File(path)) => path,
        None => PathBuf::from(format!("{}.html", slip.number)),
    };
    out::check(&out, lang)?;
    out::write_whole(&out, slip.html(lang).as_bytes(), true)
        .map_err(|e| out::cannot_write(&out, &e, lang))?;
    for line in slip.lines(lang) {
        println!("{line}");
    }
    println!();
    println!("{}", t!(lang, "slip.written", path = out.display()));
    Ok(ExitCode::SUCCESS)
}
