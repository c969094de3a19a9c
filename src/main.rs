//! The `waystation` binary, the edge only: parse the command line (clap's
//! errors on one line), install the panic hook, set up logging, run.

use std::process::ExitCode;

use clap::Parser;
use waystation::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    install_panic_hook();
    let _log = init_logging();
    match waystation::cli::run(cli) {
        Ok(code) => code,
        // The reader of the output went away (`| head`, a closed pager):
        // nothing is wrong, as for the standard tools.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("waystation: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// Whether an error is a write to a pipe whose reader is gone.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// An error on one line: the message and its causes, joined, with the
/// control characters of any argument it echoes escaped.
pub fn one_line(e: &anyhow::Error) -> String {
    waystation::cli::printable(&format!("{e:#}").replace('\n', " "))
}

/// Reports a command-line error on one line (help and version print as
/// usual) and gives the exit code.
pub fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let text = e.to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("bad command line");
            let mut first = first.strip_prefix("error: ").unwrap_or(first).to_owned();
            // "the following required arguments were not provided:" names
            // them on the next lines.
            if first.ends_with(':')
                && let Some(next) = lines.next()
            {
                first = format!("{first} {next}");
            }
            let first = waystation::cli::printable(&first);
            eprintln!("waystation: {first} (see waystation --help)");
            ExitCode::from(2)
        }
    }
}

/// Makes a panic print one line and log the details instead of a backtrace.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // `println!` to a pipe whose reader is gone: the output is not
        // wanted any more; end quietly, as the standard tools do.
        if msg.starts_with("failed printing to stdout") && msg.contains("os error 32") {
            std::process::exit(0);
        }
        if waystation::caught::active() {
            tracing::warn!(%at, "caught: {msg}");
            return;
        }
        tracing::error!(%at, "panic: {msg}");
        eprintln!("waystation: internal error: {msg} (please report it; details are in the log)");
    }));
}

/// Sends `tracing` output to a daily log file in the data folder. Logging
/// is best effort: without a writable folder nothing is logged.
pub fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = waystation::paths::log_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::daily(dir, "waystation.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("WAYSTATION_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_env_filter(filter)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
