//! The kiosk: a self-service screen for workers (`waystation kiosk`).
//!
//! Two things only: check in (trade, services, an optional mobile number),
//! and look up a case's status by its number and the last four digits of a
//! claimant's mobile. Nothing else of the records is reachable, no key
//! combination leaves it, and only a staff PIN (F12) opens its exit. It
//! speaks Chinese unless `--lang en` is given. See docs/kiosk.md.
//!
//! [`state`] holds the screens and turns keys into actions, [`update`]
//! applies them (tested without a terminal), [`draw`] draws the state,
//! [`term`] runs the loop.

pub mod draw;
pub mod state;
pub mod term;
pub mod update;
pub mod words;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use crate::i18n::{Lang, Localized};
use crate::store::Store;
use crate::t;

pub use state::{Action, Screen};
pub use update::Kiosk;

/// Runs the kiosk until a staff PIN leaves it. `lang`: the language given
/// on the command line (the kiosk speaks Chinese unless told otherwise;
/// the system locale of a kiosk PC says nothing of who stands at it).
///
/// Refuses to start, before touching the terminal, on a database without a
/// station, where nobody could sign in (nobody could ever leave), or
/// without a terminal.
pub fn run(store: Store, path: &Path, lang: Lang) -> Result<ExitCode> {
    store
        .require_station()
        .map_err(|e| anyhow!(e.localized(lang)))?;
    if !store
        .has_sign_in()
        .map_err(|e| anyhow!(e.localized(lang)))?
    {
        return Err(anyhow!(t!(lang, "kiosk.start.no_pin")));
    }
    if !std::io::stdout().is_terminal() {
        return Err(anyhow!(t!(lang, "kiosk.start.no_terminal")));
    }
    tracing::info!(db = %path.display(), "kiosk start");
    let mut kiosk =
        Kiosk::new(store, lang, chrono::Utc::now()).map_err(|e| anyhow!(e.localized(lang)))?;
    term::run(&mut kiosk)?;
    if let Some(by) = &kiosk.left_by {
        tracing::info!(staff = %by.staff.0, "kiosk left with a staff PIN");
    }
    if let Some(e) = &kiosk.audit_error {
        eprintln!("waystation: {}: {e}", t!(lang, "kiosk.exit.not_recorded"));
    }
    Ok(ExitCode::SUCCESS)
}
