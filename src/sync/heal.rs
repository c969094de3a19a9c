//! A folder that heals: what the export half of a sync writes so that
//! every operation this database holds is in at least one whole file of
//! the folder, and the leftovers it clears.
//!
//! - A range of an origin that no *authenticated* file holds — never
//!   written, deleted, cut short, damaged, or replaced by something that
//!   is not a file — is written again by whichever replica holds it (its
//!   writer or any other), at its **home**: `<origin>/ws-<origin>-…wsb`,
//!   the path its writer gives it. The bytes of a bundle depend only on
//!   its operations (see `bundle::write_bundle`), so several stations
//!   healing one range write one identical file — Syncthing takes
//!   identical files written on two machines for one, without a
//!   conflicting copy — not a copy each in their own sub-folders.
//! - A range is written under the name of the damaged file that held it
//!   when there is one, so the healed file replaces it.
//! - Temporary files of waystation's own older than a day are removed
//!   (a sync writes each file in well under a minute: an older one is
//!   the leftover of a sync that was cut off).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::bundle::{is_temp_name, parse_file_name};
use super::folder::{Found, NETWORK_FILE, OPS_PER_FILE, REDACTED_FILE};
use super::intake::Root;
use crate::domain::ids::ReplicaId;
use crate::store::Held;

/// How old a temporary file of waystation's must be to be removed.
pub const TEMP_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Whether `name` is the name of a file waystation writes in a folder.
fn ours(name: &str) -> bool {
    name == NETWORK_FILE || name == REDACTED_FILE || parse_file_name(name).is_some()
}

/// Whether `name` is a replica's sub-folder name (32 hex digits).
pub(super) fn is_replica_dir_name(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Removes waystation's own temporary files older than `max_age` from the
/// folder and its replicas' sub-folders (every one: Syncthing carries a
/// leftover to every machine). Returns how many were removed; a file that
/// cannot be removed is left for the next sync.
pub(super) fn tidy(folder: &Path, max_age: Duration) -> usize {
    let Some(cutoff) = SystemTime::now().checked_sub(max_age) else {
        return 0;
    };
    let mut dirs = vec![folder.to_owned()];
    if let Ok(entries) = std::fs::read_dir(folder) {
        for e in entries.flatten() {
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && e.file_name().to_str().is_some_and(is_replica_dir_name) {
                dirs.push(e.path());
            }
        }
    }
    let mut removed = 0;
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let Some(name) = e.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !is_temp_name(&name, ours) {
                continue;
            }
            // The entry itself (a link is not followed), an ordinary file.
            let old = e
                .metadata()
                .is_ok_and(|m| m.file_type().is_file() && m.modified().is_ok_and(|t| t < cutoff));
            if old {
                match std::fs::remove_file(e.path()) {
                    Ok(()) => removed += 1,
                    Err(err) => {
                        tracing::warn!(file = %e.path().display(), "cannot remove: {err}");
                    }
                }
            }
        }
    }
    if removed > 0 {
        tracing::info!(removed, "old temporary files removed from the sync folder");
    }
    removed
}

/// The ranges of `1..=upto` that `have` (sorted ranges) does not cover.
pub(super) fn missing(have: &[(i64, i64)], upto: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut next = 1;
    for &(a, b) in have {
        if next > upto {
            break;
        }
        if a > next {
            out.push((next, (a - 1).min(upto)));
        }
        next = next.max(b + 1);
    }
    if next <= upto {
        out.push((next, upto));
    }
    out
}

/// `a..=b` cut into files: each range of `named` (sorted; the names of
/// damaged files) that lies wholly inside keeps its own bounds, the rest
/// is cut every `per_file` operations.
pub(super) fn pieces(a: i64, b: i64, named: &[(i64, i64)], per_file: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let cut = |from: i64, to: i64, out: &mut Vec<(i64, i64)>| {
        let mut start = from;
        while start <= to {
            let end = start.saturating_add(per_file - 1).min(to);
            out.push((start, end));
            if end == i64::MAX {
                break;
            }
            start = end + 1;
        }
    };
    let mut next = a;
    for &(c, d) in named {
        if c < next || d > b || c > d {
            continue;
        }
        if c > next {
            cut(next, c - 1, &mut out);
        }
        out.push((c, d));
        if d == i64::MAX {
            return out;
        }
        next = d + 1;
    }
    if next <= b {
        cut(next, b, &mut out);
    }
    out
}

/// What to write: per origin this database knows, the ranges of what it
/// holds (the unbroken run from 1) that no whole file of the folder
/// (`intact`) holds, cut at the names of `damaged` files where they fit.
pub(super) fn plan(
    knowledge: &BTreeMap<ReplicaId, Held>,
    intact: &[&Found],
    damaged: &[&Found],
) -> Vec<(ReplicaId, i64, i64)> {
    let mut have: BTreeMap<ReplicaId, Vec<(i64, i64)>> = BTreeMap::new();
    for f in intact {
        have.entry(f.origin).or_default().push((f.first, f.last));
    }
    let mut named: BTreeMap<ReplicaId, Vec<(i64, i64)>> = BTreeMap::new();
    for f in damaged {
        named.entry(f.origin).or_default().push((f.first, f.last));
    }
    for ranges in have.values_mut().chain(named.values_mut()) {
        ranges.sort_unstable();
        ranges.dedup();
    }
    let mut out = Vec::new();
    for (origin, held) in knowledge {
        let have = have.get(origin).map_or(&[][..], Vec::as_slice);
        let named = named.get(origin).map_or(&[][..], Vec::as_slice);
        for (a, b) in missing(have, held.contiguous) {
            for (x, y) in pieces(a, b, named, OPS_PER_FILE) {
                out.push((*origin, x, y));
            }
        }
    }
    out
}

/// Whether files of `origin` may be written at their home in `folder`:
/// its sub-folder is a folder inside the sync folder, or can be made.
pub(super) fn home_usable(root: &Root, home: &Path) -> bool {
    match std::fs::symlink_metadata(home) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(m) if m.file_type().is_dir() => true,
        Ok(m) if m.file_type().is_symlink() => home.is_dir() && root.contains(home),
        Ok(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_ranges() {
        assert_eq!(missing(&[], 5), vec![(1, 5)]);
        assert_eq!(missing(&[(1, 5)], 5), vec![]);
        assert_eq!(missing(&[(1, 3), (6, 8)], 10), vec![(4, 5), (9, 10)]);
        assert_eq!(missing(&[(2, 3)], 3), vec![(1, 1)]);
        assert_eq!(missing(&[(1, 4), (2, 6)], 6), vec![]);
        assert_eq!(missing(&[(1, 2)], 0), vec![]);
    }

    #[test]
    fn a_damaged_file_is_written_again_under_its_own_name() {
        assert_eq!(pieces(1, 10, &[], 4), vec![(1, 4), (5, 8), (9, 10)]);
        assert_eq!(pieces(11, 25, &[(11, 20)], 100), vec![(11, 20), (21, 25)]);
        assert_eq!(
            pieces(1, 30, &[(5, 9), (7, 12), (20, 40)], 100),
            vec![(1, 4), (5, 9), (10, 30)],
            "names that overlap a kept one, or reach past what is missing, are not kept"
        );
        assert_eq!(pieces(3, 3, &[(3, 3)], 10), vec![(3, 3)]);
        assert_eq!(
            pieces(i64::MAX - 1, i64::MAX, &[], 10),
            vec![(i64::MAX - 1, i64::MAX)]
        );
    }

    #[test]
    fn only_old_temporary_files_of_ours_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path();
        let sub = folder.join("0123456789abcdef0123456789abcdef");
        std::fs::create_dir(&sub).unwrap();
        let o = ReplicaId::new();
        let name = super::super::bundle::file_name(o, 1, 5);
        let old = SystemTime::now() - Duration::from_secs(2 * 24 * 3600);
        let plant = |path: std::path::PathBuf, when: SystemTime| {
            std::fs::write(&path, b"x").unwrap();
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(when).unwrap();
            path
        };
        let gone = [
            plant(sub.join(format!(".{name}.tmp")), old),
            plant(sub.join(super::super::bundle::unique_temp_name(&name)), old),
            plant(folder.join(".network.wsn.tmp"), old),
        ];
        let kept = [
            plant(
                sub.join(super::super::bundle::unique_temp_name(&name)),
                SystemTime::now(),
            ),
            plant(sub.join(format!(".syncthing.{name}.tmp")), old),
            plant(sub.join(format!("{name}.tmp")), old),
            plant(sub.join(&name), old),
        ];
        assert_eq!(tidy(folder, TEMP_MAX_AGE), 3);
        for p in gone {
            assert!(!p.exists(), "{}", p.display());
        }
        for p in kept {
            assert!(p.exists(), "{}", p.display());
        }
    }
}
