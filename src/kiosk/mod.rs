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
        return Err(anyhow!(lang.pick(
            "还没有设置工作人员 PIN 码，自助模式启动后将无人能退出；请先在控制台中创建第一位管理员",
            "no staff PIN is set, so nobody could leave the kiosk; create the first admin in the console first"
        )));
    }
    if !std::io::stdout().is_terminal() {
        return Err(anyhow!(lang.pick(
            "自助模式需要在终端中运行",
            "the kiosk needs a terminal to run in"
        )));
    }
    tracing::info!(db = %path.display(), "kiosk start");
    let mut kiosk =
        Kiosk::new(store, lang, chrono::Utc::now()).map_err(|e| anyhow!(e.localized(lang)))?;
    term::run(&mut kiosk)?;
    if let Some(by) = &kiosk.left_by {
        tracing::info!(staff = %by.staff.0, "kiosk left with a staff PIN");
    }
    if let Some(e) = &kiosk.audit_error {
        eprintln!(
            "waystation: {}: {e}",
            lang.pick(
                "退出自助模式未能记入审计日志",
                "leaving the kiosk could not be written to the audit log"
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}
