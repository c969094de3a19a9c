//! The files the Debian package installs beside the binary, generated from
//! the command line itself so they can never describe other options than
//! the binary has: the manual pages (`waystation.1` and one page per
//! subcommand, `waystation-init.1` …) and the completions for bash, zsh and
//! fish.
//!
//! ```sh
//! cargo run --example package_assets [OUT_DIR]   # default: target/assets
//! ```
//!
//! writes `OUT_DIR/man/*.1` and `OUT_DIR/completions/{waystation,
//! _waystation, waystation.fish}`; `packaging/build-deb.sh` runs it before
//! `cargo deb`, whose `[package.metadata.deb]` assets name these paths.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::aot::Shell;
use waystation::cli::Cli;

/// The name the completions complete: the installed binary's.
const BIN: &str = "waystation";

/// What `waystation.1` says that the command line cannot: the variables
/// read outside the options, the files, where the guides are (roff).
const MAN_EXTRA: &str = r".SH ENVIRONMENT
.TP
\fBWAYSTATION_SYNC_PASSPHRASE\fR
The district's sync passphrase, for scripts; otherwise the first sync asks
for it and the database keeps it (\fBwaystation\-sync\fR(1)).
.TP
\fBWAYSTATION_PIN\fR
The PIN of the staff member a command names with \fB\-\-as\fR, for scripts;
otherwise it is asked for.
.TP
\fBWAYSTATION_LOG\fR
What the log files keep: \fBinfo\fR unless set (\fBdebug\fR for more).
.SH FILES
.TP
\fI~/.local/share/waystation/waystation.db\fR
The database when neither \fB\-\-db\fR nor \fBWAYSTATION_DB\fR names one
(in \fI$XDG_DATA_HOME/waystation/\fR where that is set).
.TP
\fI~/.local/share/waystation/logs/\fR
The log files, one a day.
.TP
\fI/var/lib/waystation/station.db\fR
The database of the workers' kiosk, \fBwaystation\-kiosk.service\fR, which the
staff accounts of group \fBwaystation\fR share.
.TP
\fI/usr/share/doc/waystation/\fR
The guides: installing (\fIdocs/install.md\fR), the console, the kiosk, sync,
reports, exports, security.
.SH SEE ALSO
\fBwaystation\-init\fR(1), \fBwaystation\-sync\fR(1), \fBwaystation\-kiosk\fR(1),
\fBsystemctl\fR(1)
";

fn main() -> Result<()> {
    let out = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/assets"),
    };
    let man = out.join("man");
    let completions = out.join("completions");
    for dir in [&man, &completions] {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }

    // One page for the command and one for each subcommand (waystation-
    // sync.1 …), which the first lists under SUBCOMMANDS. No date in them:
    // the same source gives the same pages.
    clap_mangen::generate_to(Cli::command(), &man)
        .with_context(|| format!("cannot write the manual pages in {}", man.display()))?;
    let page = man.join(format!("{BIN}.1"));
    OpenOptions::new()
        .append(true)
        .open(&page)
        .and_then(|mut f| f.write_all(MAN_EXTRA.as_bytes()))
        .with_context(|| format!("cannot write {}", page.display()))?;

    // The file names each shell's completion folder expects (Debian:
    // bash-completion/completions/waystation, zsh/vendor-completions/
    // _waystation, fish/vendor_completions.d/waystation.fish).
    for (shell, name) in [
        (Shell::Bash, BIN.to_owned()),
        (Shell::Zsh, format!("_{BIN}")),
        (Shell::Fish, format!("{BIN}.fish")),
    ] {
        write_completion(shell, &completions.join(name))?;
    }

    println!("{}", out.display());
    Ok(())
}

/// Writes the completion script of one shell to `path`.
fn write_completion(shell: Shell, path: &Path) -> Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = BufWriter::new(file);
    clap_complete::aot::generate(shell, &mut Cli::command(), BIN, &mut w);
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
