//! `waystation init` and `waystation station`: the station of a database.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::explain;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::crypt::{self, Secret};
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
    /// Leave the database unencrypted: anyone who copies the file reads
    /// every record (a test or training database). Without it, a station
    /// passphrase is asked for twice (or WAYSTATION_NEW_PASSPHRASE).
    #[arg(long)]
    pub no_passphrase: bool,
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

/// Sets up the station of a new database: encrypted with a new station
/// passphrase, unless `--no-passphrase`; the recovery key is printed once.
pub(super) fn init(path: &Path, args: InitArgs, lang: Lang) -> Result<ExitCode> {
    if args.no_passphrase || super::unlock::locked(path) {
        // A clear database; or an encrypted one there already, which says
        // that its station is set up once opened.
        let mut store = super::unlock::open(path, true, lang)?;
        return set_up(&mut store, path, &args, lang);
    }
    if path.exists() && std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        // A clear database there already: its station, if it has one, is
        // said; else it is set up clear, and `encrypt` encrypts it.
        let mut store = super::unlock::open(path, false, lang)?;
        let done = set_up(&mut store, path, &args, lang)?;
        println!("{}", t!(lang, "cli.unlock.init_clear_exists"));
        return Ok(done);
    }
    let passphrase = super::unlock::new_passphrase(lang)?;
    let secret = Secret::random();
    let made = (|| {
        crypt::write_key_file(path, &secret, &passphrase, crypt::Cost::PRODUCTION)
            .map_err(|e| explain(e, lang))?;
        let mut store =
            Store::open_with(path, Some(&secret.data_key())).map_err(|e| explain(e, lang))?;
        set_up(&mut store, path, &args, lang)
    })();
    if made.is_err() {
        // Nothing half made: neither a database without a station nor a
        // key file without its database.
        for p in [
            path.to_owned(),
            crypt::key_path(path),
            super::unlock::beside(path, "-wal"),
            super::unlock::beside(path, "-shm"),
        ] {
            let _ = std::fs::remove_file(p);
        }
        return made;
    }
    super::unlock::show_recovery_key(&secret, path, lang);
    made
}

fn set_up(store: &mut Store, path: &Path, args: &InitArgs, lang: Lang) -> Result<ExitCode> {
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
