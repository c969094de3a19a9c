//! Where waystation keeps its files by default.

use std::path::PathBuf;

use directories::ProjectDirs;

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("org", "waystation", "waystation")
}

/// The platform data folder (created on demand), e.g.
/// `~/.local/share/waystation` on Linux.
pub fn data_dir() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().to_owned())
}

/// The database used when `--db` and `WAYSTATION_DB` are not given.
pub fn default_db() -> Option<PathBuf> {
    data_dir().map(|d| d.join("waystation.db"))
}

/// The database `waystation demo` fills when `--db` is not given: demo
/// records never mix with a station's real ones.
pub fn default_demo_db() -> Option<PathBuf> {
    data_dir().map(|d| d.join("demo.db"))
}

/// The folder of log files.
pub fn log_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("logs"))
}
