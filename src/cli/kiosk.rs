//! `waystation kiosk`: the workers' self-service screen (see `kiosk/`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::i18n::Lang;
use crate::store::Store;

/// Options of `waystation kiosk`.
#[derive(Debug, clap::Args)]
pub struct KioskArgs {}

/// Runs the kiosk until a staff PIN leaves it, in the language given on
/// the command line (Chinese unless told otherwise: the system locale of a
/// kiosk PC says nothing of who stands at it).
pub(super) fn run(
    store: Store,
    path: &Path,
    _args: KioskArgs,
    lang: Option<Lang>,
) -> Result<ExitCode> {
    crate::kiosk::run(store, path, lang.unwrap_or(Lang::ZhCn))
}
