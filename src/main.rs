//! The `waystation` binary: parse the command line, set up logging, run.

use std::process::ExitCode;

use clap::Parser;
use waystation::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return waystation::run::clap_error(e),
    };
    waystation::run::install_panic_hook();
    let _log = waystation::run::init_logging();
    match waystation::run::run(cli) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("waystation: {}", waystation::run::one_line(&e));
            ExitCode::FAILURE
        }
    }
}
