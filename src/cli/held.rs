//! Operations held apart (dated far in the future, `store/held.rs`) on the
//! command line: listed by `waystation conflicts`, `waystation sync` and
//! `waystation sync --status`; applied by `waystation conflicts accept
//! [KEY]`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use super::explain;
use crate::i18n::Lang;
use crate::store::{Store, StoreError};
use crate::t;

/// Writes one line per station whose operations are held apart, with how
/// to accept them. Returns how many stations.
pub fn write_held(out: &mut impl Write, store: &Store, lang: Lang) -> Result<usize> {
    let held = store.held_apart().map_err(|e| explain(e, lang))?;
    if held.is_empty() {
        return Ok(0);
    }
    let tz = store.time_zone().map_err(|e| explain(e, lang))?;
    writeln!(out, "{}", t!(lang, "held.head"))?;
    for h in &held {
        writeln!(out, "{}  {}", h.key, crate::words::held::line(h, lang, tz))?;
        writeln!(out, "          {}", t!(lang, "held.how_cli", key = h.key))?;
    }
    writeln!(out, "          {}", t!(lang, "held.why"))?;
    Ok(held.len())
}

/// `waystation conflicts accept [KEY]`: applies the held operations of
/// the station listed as KEY, or all of them.
pub fn accept(store: &mut Store, key: Option<&str>, lang: Lang) -> Result<ExitCode> {
    match store.accept_held_noted(key) {
        Ok(applied) => {
            println!("{}", t!(lang, "held.accepted", n = applied.new_ops));
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::NotFound(_)) => Err(anyhow!(t!(lang, "held.none"))),
        Err(e) => Err(explain(e, lang)),
    }
}
