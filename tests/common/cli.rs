//! The real binary as staff or a script run it: started with a home of its
//! own, run to its end, and what it printed and how it ended.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary under test, as cargo built it for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_waystation");

/// How one run of the binary ended.
pub struct Run {
    /// The arguments it was given, for the messages of failed assertions.
    pub args: String,
    /// The exit code (-1 when it was ended by a signal).
    pub code: i32,
    pub out: String,
    pub err: String,
}

/// The binary, with the environment of the tests left as it is.
pub fn bin() -> Command {
    Command::new(BIN)
}

/// The binary as if `home` were the station's computer: `home` is its home,
/// its current folder and holds its data folder (`home/data`, where logs
/// and remembered settings go); English unless `--lang` says otherwise; no
/// database, PIN or sync passphrase taken from the environment of the
/// tests; nothing on standard input, so a PIN that is not given is never
/// asked for.
pub fn waystation(home: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(home)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("WAYSTATION_DB")
        .env_remove("WAYSTATION_PIN")
        .env_remove("WAYSTATION_SYNC_PASSPHRASE")
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to its end.
pub fn output(cmd: &mut Command) -> Run {
    let args = format!("{:?}", cmd.get_args().collect::<Vec<_>>());
    let out = cmd.output().unwrap();
    Run {
        args,
        code: out.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `waystation args…` from `home` (see [`waystation`]).
pub fn run(home: &Path, args: &[&str]) -> Run {
    run_env(home, args, &[] as &[(&str, &str)])
}

/// As [`run`], with these environment variables set.
pub fn run_env<V: AsRef<OsStr>>(home: &Path, args: &[&str], env: &[(&str, V)]) -> Run {
    let mut cmd = waystation(home);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    output(&mut cmd)
}

/// The run succeeded (exit code 0).
pub fn ok(r: Run) -> Run {
    assert_eq!(
        r.code, 0,
        "{}\nstdout: {}\nstderr: {}",
        r.args, r.out, r.err
    );
    r
}

/// Refused in words: exit `code` and one line on stderr that names the
/// program, never a panic or a backtrace.
pub fn assert_one_line_error(r: &Run, code: i32) {
    assert_eq!(
        r.code, code,
        "{}\nstdout: {}\nstderr: {}",
        r.args, r.out, r.err
    );
    assert_eq!(r.err.trim_end().lines().count(), 1, "one line: {:?}", r.err);
    assert!(r.err.starts_with("waystation: "), "{:?}", r.err);
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!r.err.contains(bad), "{:?}", r.err);
    }
}

/// Refused: exit 1, one line on stderr, nothing on stdout; the line.
pub fn refused(r: &Run) -> &str {
    assert_one_line_error(r, 1);
    assert!(r.out.is_empty(), "{:?}", r.out);
    r.err.trim_end()
}

/// A small demo database in `dir`, its data folder `dir` itself (every
/// demo staff member's PIN is 1234).
pub fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("station.db");
    let out = bin()
        .args(["--db"])
        .arg(&db)
        .args([
            "demo", "--people", "300", "--visits", "2000", "--cases", "40", "--seed", "3",
        ])
        .env("XDG_DATA_HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}
