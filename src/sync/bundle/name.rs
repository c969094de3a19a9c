//! Bundle file names: `ws-<origin as 32 hex digits>-<first>-<last>.wsb`, the
//! numbers zero-padded to at least 12 digits, e.g.
//! `ws-0190a1b2c3d4e5f60718293a4b5c6d7e-000000000001-000000000500.wsb`.
//! Only lowercase ASCII letters, digits, `-` and `.`, at most 79 characters:
//! valid on FAT32 and exFAT sticks, and sorted by origin then range. Any
//! other name — Syncthing's `.syncthing.*.tmp` and `*.sync-conflict-*`
//! files, editor `~` files, our own temporary names — is not a bundle.

use uuid::Uuid;

use crate::domain::ids::ReplicaId;

const PREFIX: &str = "ws-";
const SUFFIX: &str = ".wsb";

/// The name of the bundle of `origin`'s operations `first..=last`.
pub fn file_name(origin: ReplicaId, first: i64, last: i64) -> String {
    format!(
        "{PREFIX}{}-{first:012}-{last:012}{SUFFIX}",
        origin.0.as_simple()
    )
}

/// The temporary name earlier versions wrote a bundle under before
/// renaming it to [`file_name`]: hidden, and never taken for a bundle. Two
/// syncs writing the same file at once shared it; now each write has a name
/// of its own ([`unique_temp_name`]). Leftovers of both forms are
/// recognised by [`is_temp_name`].
pub fn temp_file_name(origin: ReplicaId, first: i64, last: i64) -> String {
    format!(".{}.tmp", file_name(origin, first, last))
}

/// A temporary name for writing `name` (a bundle, `network.wsn`,
/// `redacted.wsr`) that no other write uses, whichever process or thread
/// makes it: `.<name>.<process id>-<16 random hex digits>.tmp`.
pub fn unique_temp_name(name: &str) -> String {
    format!(
        ".{name}.{}-{:016x}.tmp",
        std::process::id(),
        rand::random::<u64>()
    )
}

/// Whether `name` is a temporary file of waystation's for one of the
/// files it writes in a folder (`known` says which names those are): the
/// form of [`unique_temp_name`] or the older `.<name>.tmp`. Syncthing's
/// `.syncthing.<name>.tmp` is not.
pub fn is_temp_name(name: &str, known: impl Fn(&str) -> bool) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    if known(inner) {
        return true;
    }
    let Some((stem, unique)) = inner.rsplit_once('.') else {
        return false;
    };
    let Some((pid, random)) = unique.split_once('-') else {
        return false;
    };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && random.len() == 16
        && random.bytes().all(|b| b.is_ascii_hexdigit())
        && known(stem)
}

/// Origin and range of a bundle file name; `None` for any other name.
/// Only the exact form [`file_name`] writes is accepted.
pub fn parse_file_name(name: &str) -> Option<(ReplicaId, i64, i64)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let mut parts = rest.split('-');
    let (hex, first, last) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || hex.len() != 32 {
        return None;
    }
    let number = |s: &str| -> Option<i64> {
        if s.len() < 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let origin = ReplicaId(Uuid::try_parse(hex).ok()?);
    let (first, last) = (number(first)?, number(last)?);
    if first < 1 || last < first || file_name(origin, first, last) != name {
        return None;
    }
    Some((origin, first, last))
}

/// What Syncthing inserts before the extension of a file it keeps as a
/// conflicting copy: `<stem>.sync-conflict-<date>-<time>-<device><ext>`.
const SYNC_CONFLICT: &str = ".sync-conflict-";

/// Origin and range of a bundle file name, or of Syncthing's copy of one
/// that it kept when two machines wrote the file at once
/// (`ws-….sync-conflict-20261207-101500-ABCDEFG.wsb`): such a copy may
/// hold other operations under the same numbers (two copies of one
/// database), and must be read. `None` for any other name.
pub fn parse_bundle_name(name: &str) -> Option<(ReplicaId, i64, i64)> {
    if let Some(claim) = parse_file_name(name) {
        return Some(claim);
    }
    let (stem, rest) = name.split_once(SYNC_CONFLICT)?;
    let marks = rest.strip_suffix(SUFFIX)?;
    let marks_ok = !marks.is_empty()
        && marks
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !marks_ok {
        return None;
    }
    parse_file_name(&format!("{stem}{SUFFIX}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_portable() {
        let o = ReplicaId::new();
        for (f, l) in [
            (1, 1),
            (1, 500),
            (999_999_999_999, 1_000_000_000_000),
            (i64::MAX, i64::MAX),
        ] {
            let n = file_name(o, f, l);
            assert!(n.len() <= 100, "{n}");
            assert!(
                n.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'-'
                    || b == b'.')
            );
            assert_eq!(parse_file_name(&n), Some((o, f, l)));
            assert_eq!(parse_file_name(&temp_file_name(o, f, l)), None);
        }
        assert_eq!(file_name(o, 1, 500).len(), 65);
    }

    #[test]
    fn temporary_names_are_unique_and_recognised() {
        let o = ReplicaId::new();
        let n = file_name(o, 1, 500);
        let known = |s: &str| parse_file_name(s).is_some() || s == "network.wsn";
        let (a, b) = (unique_temp_name(&n), unique_temp_name(&n));
        assert_ne!(a, b);
        for t in [
            &a,
            &b,
            &temp_file_name(o, 1, 500),
            &unique_temp_name("network.wsn"),
        ] {
            assert!(is_temp_name(t, known), "{t}");
            assert_eq!(parse_file_name(t), None, "{t}");
        }
        for other in [
            format!(".syncthing.{n}.tmp"),
            format!("{n}.tmp"),
            format!(".{n}.12-abc.tmp"),
            format!(".{n}.x-0123456789abcdef.tmp"),
            ".notes.txt.tmp".to_owned(),
            n.clone(),
        ] {
            assert!(!is_temp_name(&other, known), "{other}");
        }
    }

    #[test]
    fn foreign_names_are_ignored() {
        let o = ReplicaId::new();
        let n = file_name(o, 1, 500);
        let stem = n.trim_end_matches(".wsb");
        for other in [
            format!(".syncthing.{n}.tmp"),
            format!("{stem}.sync-conflict-20260101-120000-ABCDEFG.wsb"),
            format!("~{n}"),
            format!("{n}~"),
            format!("{n}.tmp"),
            n.to_uppercase(),
            n.replace("-000000000001-", "-00000000001-"),
            n.replace("-000000000001-", "-0000000000001-"),
            n.replace("-000000000001-", "-000000000000-"),
            file_name(o, 5, 4),
            n.replace("-000000000500", "-+00000000500"),
            format!("ws-{}-000000000001-000000000500.wsb", o.0),
            "network.toml".into(),
            "desktop.ini".into(),
            String::new(),
        ] {
            assert_eq!(parse_file_name(&other), None, "{other}");
        }
    }

    #[test]
    fn syncthing_copies_of_a_bundle_name_the_same_range() {
        let o = ReplicaId::new();
        let n = file_name(o, 1, 500);
        let stem = n.trim_end_matches(".wsb");
        for copy in [
            format!("{stem}.sync-conflict-20260101-120000-ABCDEFG.wsb"),
            format!(
                "{stem}.sync-conflict-20260101-120000-ABCDEFG.sync-conflict-20260102-080000-HIJKLMN.wsb"
            ),
        ] {
            assert_eq!(parse_bundle_name(&copy), Some((o, 1, 500)), "{copy}");
        }
        assert_eq!(parse_bundle_name(&n), Some((o, 1, 500)));
        for other in [
            format!("{stem}.sync-conflict-.wsb"),
            format!("{stem}.sync-conflict-2026 01.wsb"),
            format!("{stem}.sync-conflict-20260101-120000-ABCDEFG.wsb.tmp"),
            format!(".syncthing.{stem}.sync-conflict-20260101-120000-ABCDEFG.wsb.tmp"),
            format!(
                "{}.sync-conflict-20260101-120000-ABCDEFG.wsb",
                stem.replace("-000000000001-", "-1-")
            ),
        ] {
            assert_eq!(parse_bundle_name(&other), None, "{other}");
        }
    }
}
