//! `waystation` without a command: the console.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use super::explain;
use crate::i18n::Lang;
use crate::store::Store;
use crate::t;

/// Opens the console on the database at `path`; refuses a database
/// without a station.
pub(super) fn console(
    store: Store,
    path: &std::path::Path,
    lang: Lang,
    lock_after: u32,
) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    if !std::io::stdout().is_terminal() {
        return Err(anyhow!(t!(lang, "cli.console_needs_terminal")));
    }
    // A sync runs on a connection of its own, then the app's is opened
    // again (see tui::work), with the key of an encrypted database.
    let file = store.file().map(|f| crate::store::DbFile {
        path: path.to_owned(),
        ..f
    });
    let mut app = crate::tui::app::App::new(store, lang, chrono::Utc::now);
    app.lock_after = (lock_after > 0).then(|| chrono::Duration::minutes(i64::from(lock_after)));
    app.db = file;
    app.marks = crate::paths::data_dir();
    crate::tui::run(&mut app)?;
    Ok(ExitCode::SUCCESS)
}
