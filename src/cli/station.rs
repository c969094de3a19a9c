//! `waystation init` and `waystation station`: the station of a database.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::explain;
use crate::i18n::Lang;
use crate::store::Store;
use crate::t;

/// Options of `waystation init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Short station code that prefixes case numbers, e.g. FT.
    #[arg(long)]
    pub code: String,
    /// Station name, e.g. "福田区总工会 爱心驿站".
    #[arg(long)]
    pub name: String,
    /// Time zone of the station.
    #[arg(long, default_value = crate::domain::station::DEFAULT_TIME_ZONE)]
    pub tz: String,
}

/// Options of `waystation station`.
#[derive(Debug, clap::Args)]
pub struct StationArgs {
    /// New station code, e.g. FT2.
    #[arg(long)]
    pub code: String,
    /// New station name.
    #[arg(long)]
    pub name: Option<String>,
}

/// Sets up the station of a new database.
pub(super) fn init(store: &mut Store, path: &Path, args: InitArgs, lang: Lang) -> Result<ExitCode> {
    let s = store
        .init_station(&args.code, &args.name, &args.tz)
        .map_err(|e| explain(e, lang))?;
    println!(
        "{} {} {} ({}) — {}",
        t!(lang, "cli.station_set_up"),
        s.code,
        s.name,
        s.time_zone,
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Changes this station's code or name.
pub(super) fn station(store: &mut Store, args: StationArgs, lang: Lang) -> Result<ExitCode> {
    let s = store
        .update_station(&args.code, args.name.as_deref())
        .map_err(|e| explain(e, lang))?;
    println!("{} {} {}", t!(lang, "cli.station"), s.code, s.name);
    Ok(ExitCode::SUCCESS)
}
