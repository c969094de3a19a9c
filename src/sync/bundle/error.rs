//! Why a bundle cannot be written or read, worded for station staff in both
//! languages. The folder exchange adds the file name.

use crate::domain::ids::ReplicaId;
use crate::i18n::{Lang, Localized};
use crate::t;

use super::NetworkId;

/// A bundle that cannot be written, or a file that is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    // --- reading ------------------------------------------------------------
    /// The file does not start with the bundle magic bytes.
    #[error("not a waystation sync file")]
    NotABundle,
    /// The file is shorter than its header says.
    #[error("the file is incomplete ({found} of {expected} bytes): was it still being copied?")]
    Truncated { expected: u64, found: u64 },
    /// Written by a newer waystation.
    #[error(
        "the file has sync format {found}, this waystation reads up to {supported}: please update waystation"
    )]
    NewerFormat { found: u16, supported: u16 },
    /// The header does not add up (fails its checksum, an impossible
    /// version or sequence range, bytes after the end).
    #[error("the file is damaged ({})", .0.localized(Lang::En))]
    BadHeader(HeaderFault),
    /// Of another sync network (another district, or a network created
    /// again from scratch).
    #[error("the file belongs to another sync network ({found}; this station's is {expected})")]
    WrongNetwork {
        found: NetworkId,
        expected: NetworkId,
    },
    /// Larger than any sync file may be: refused before its body is read,
    /// so no file can make a sync read more than [`super::MAX_SEALED`].
    #[error("the file is larger than a sync file can be ({found} bytes, at most {limit})")]
    TooBig { found: u64, limit: u64 },
    /// Authentication failed: a change to any byte, or another key.
    #[error("the file is damaged, or was made with another sync passphrase")]
    Damaged,
    /// Authenticated, yet its contents do not decode or do not match the
    /// header: made by a faulty program holding the passphrase.
    #[error("the file's contents are invalid ({0})")]
    BadContent(String),

    // --- writing ------------------------------------------------------------
    /// No operations to write.
    #[error("a sync file needs at least one operation")]
    Empty,
    /// An operation of another replica in a bundle of `expected`.
    #[error("operation {seq} comes from replica {found}, not {expected}")]
    WrongOrigin {
        seq: i64,
        found: ReplicaId,
        expected: ReplicaId,
    },
    /// The sequence numbers are not `first, first + 1, …`.
    #[error("operations are not consecutive: expected number {expected}, found {found}")]
    NotContiguous { expected: i64, found: i64 },
    /// More than a bundle may hold.
    #[error("too much for one sync file: write the operations into several")]
    TooLarge,
    /// Encoding or compression failed.
    #[error("cannot write the sync file: {0}")]
    Encode(String),
    /// The key cannot be derived (parameters Argon2 refuses, or no memory).
    #[error("cannot derive the sync key: {0}")]
    Kdf(String),
}

impl Localized for BundleError {
    fn localized(&self, lang: Lang) -> String {
        use BundleError as E;
        match self {
            E::NotABundle => t!(lang, "errors.bundle.not_a_bundle").to_owned(),
            E::Truncated { expected, found } => t!(
                lang,
                "errors.bundle.truncated",
                found = found,
                expected = expected
            ),
            E::NewerFormat { found, supported } => t!(
                lang,
                "errors.bundle.newer_format",
                found = found,
                supported = supported
            ),
            E::BadHeader(fault) => {
                t!(
                    lang,
                    "errors.bundle.bad_header",
                    fault = fault.localized(lang)
                )
            }
            E::WrongNetwork { found, expected } => t!(
                lang,
                "errors.bundle.wrong_network",
                found = found,
                expected = expected
            ),
            E::TooBig { found, limit } => {
                t!(lang, "errors.bundle.too_big", found = found, limit = limit)
            }
            E::Damaged => t!(lang, "errors.bundle.damaged").to_owned(),
            E::BadContent(what) => t!(lang, "errors.bundle.bad_content", what = what),
            E::Empty => t!(lang, "errors.bundle.empty").to_owned(),
            E::WrongOrigin {
                seq,
                found,
                expected,
            } => t!(
                lang,
                "errors.bundle.wrong_origin",
                seq = seq,
                found = found,
                expected = expected
            ),
            E::NotContiguous { expected, found } => t!(
                lang,
                "errors.bundle.not_contiguous",
                expected = expected,
                found = found
            ),
            E::TooLarge => t!(lang, "errors.bundle.too_large").to_owned(),
            E::Encode(e) => t!(lang, "errors.bundle.encode", error = e),
            E::Kdf(e) => t!(lang, "errors.bundle.kdf", error = e),
        }
    }
}

/// What is wrong with a header that fails its own checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderFault {
    /// The header checksum does not match.
    Checksum,
    /// Format version 0, which never existed.
    Version,
    /// The sequence range, count or length cannot be.
    Range,
    /// Bytes after the end of the payload.
    TrailingBytes,
}

impl Localized for HeaderFault {
    fn localized(&self, lang: Lang) -> String {
        match self {
            HeaderFault::Checksum => t!(lang, "errors.bundle.header.checksum"),
            HeaderFault::Version => t!(lang, "errors.bundle.header.version"),
            HeaderFault::Range => t!(lang, "errors.bundle.header.range"),
            HeaderFault::TrailingBytes => t!(lang, "errors.bundle.header.trailing_bytes"),
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English of the catalogue is the English of `Display`.
    #[test]
    fn english_words_are_the_display() {
        let errors = [
            BundleError::NotABundle,
            BundleError::Truncated {
                expected: 900,
                found: 12,
            },
            BundleError::NewerFormat {
                found: 3,
                supported: 1,
            },
            BundleError::BadHeader(HeaderFault::Checksum),
            BundleError::BadHeader(HeaderFault::Version),
            BundleError::BadHeader(HeaderFault::Range),
            BundleError::BadHeader(HeaderFault::TrailingBytes),
            BundleError::WrongNetwork {
                found: NetworkId::new(),
                expected: NetworkId::new(),
            },
            BundleError::TooBig {
                found: 1 << 30,
                limit: 1 << 25,
            },
            BundleError::Damaged,
            BundleError::BadContent("op 3".into()),
            BundleError::Empty,
            BundleError::WrongOrigin {
                seq: 7,
                found: ReplicaId::new(),
                expected: ReplicaId::new(),
            },
            BundleError::NotContiguous {
                expected: 4,
                found: 6,
            },
            BundleError::TooLarge,
            BundleError::Encode("zstd".into()),
            BundleError::Kdf("memory".into()),
        ];
        for e in errors {
            assert_eq!(e.localized(Lang::En), e.to_string());
            assert!(!e.localized(Lang::ZhCn).contains('{'), "{e:?}");
        }
    }
}
