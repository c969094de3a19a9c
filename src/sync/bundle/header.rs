//! The fixed binary header of a bundle (format version 1, little-endian):
//!
//! | offset | size | field |
//! |-------:|-----:|-------|
//! |      0 |    8 | magic `WSBUNDLE` |
//! |      8 |    2 | format version (u16) |
//! |     10 |   16 | network id (UUID bytes) |
//! |     26 |   16 | origin replica id (UUID bytes) |
//! |     42 |    8 | first sequence number (i64) |
//! |     50 |    8 | last sequence number (i64) |
//! |     58 |    4 | operation count (u32) |
//! |     62 |    8 | payload length in bytes (u64) |
//! |     70 |   24 | XChaCha20-Poly1305 nonce (random) |
//! |     94 |    8 | first 8 bytes of BLAKE3 of bytes 0..94 |
//!
//! Magic and version come first and stay put in every later version, so an
//! older reader can always say "newer format". The checksum lets a folder
//! scan notice a damaged header without the key; the payload's
//! authentication (with these 102 bytes as associated data) is what makes
//! the header trustworthy.

use crate::domain::ids::ReplicaId;

use super::{BundleError, HeaderFault, NetworkId};

/// The first bytes of every bundle.
pub const MAGIC: [u8; 8] = *b"WSBUNDLE";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;
/// Size of the header in bytes.
pub const HEADER_LEN: usize = 102;
/// Size of the nonce.
pub const NONCE_LEN: usize = 24;
/// Where the nonce starts: the bytes before it are what it is derived from
/// (with the payload).
pub const NONCE_AT: usize = 70;

const CHECKED_LEN: usize = 94;

/// What a bundle's header says. Unauthenticated until [`super::read_bundle`]
/// has accepted the whole file: a folder scan may use it to plan, never to
/// mark anything as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleHeader {
    pub version: u16,
    pub network: NetworkId,
    pub origin: ReplicaId,
    /// Sequence number of the first operation (≥ 1).
    pub first: i64,
    /// Sequence number of the last operation: `first + count - 1`.
    pub last: i64,
    pub count: u32,
    /// Bytes of the encrypted payload that follows the header.
    pub payload_len: u64,
    pub nonce: [u8; NONCE_LEN],
}

impl BundleHeader {
    /// Size of the whole file this header announces.
    pub fn file_len(&self) -> u64 {
        (HEADER_LEN as u64).saturating_add(self.payload_len)
    }

    pub(super) fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..8].copy_from_slice(&MAGIC);
        b[8..10].copy_from_slice(&self.version.to_le_bytes());
        b[10..26].copy_from_slice(self.network.as_bytes());
        b[26..42].copy_from_slice(self.origin.as_bytes());
        b[42..50].copy_from_slice(&self.first.to_le_bytes());
        b[50..58].copy_from_slice(&self.last.to_le_bytes());
        b[58..62].copy_from_slice(&self.count.to_le_bytes());
        b[62..70].copy_from_slice(&self.payload_len.to_le_bytes());
        b[70..94].copy_from_slice(&self.nonce);
        let sum = checksum(&b[..CHECKED_LEN]);
        b[CHECKED_LEN..].copy_from_slice(&sum);
        b
    }

    /// Reads and checks the header at the start of `bytes` (which may be
    /// the header alone or the whole file).
    pub(super) fn decode(bytes: &[u8]) -> Result<BundleHeader, BundleError> {
        let found = bytes.len() as u64;
        let magic_part = bytes.get(..MAGIC.len()).unwrap_or(bytes);
        if !MAGIC.starts_with(magic_part) {
            return Err(BundleError::NotABundle);
        }
        let truncated = || BundleError::Truncated {
            expected: HEADER_LEN as u64,
            found,
        };
        let version = u16::from_le_bytes(*array(bytes, 8).ok_or_else(truncated)?);
        if version > FORMAT_VERSION {
            return Err(BundleError::NewerFormat {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let b: &[u8; HEADER_LEN] = array(bytes, 0).ok_or_else(truncated)?;
        let b = *b;
        if checksum(&b[..CHECKED_LEN]) != b[CHECKED_LEN..] {
            return Err(BundleError::BadHeader(HeaderFault::Checksum));
        }
        if version == 0 {
            return Err(BundleError::BadHeader(HeaderFault::Version));
        }
        let header = BundleHeader {
            version,
            network: NetworkId(uuid::Uuid::from_bytes(take(&b, 10))),
            origin: ReplicaId(uuid::Uuid::from_bytes(take(&b, 26))),
            first: i64::from_le_bytes(take(&b, 42)),
            last: i64::from_le_bytes(take(&b, 50)),
            count: u32::from_le_bytes(take(&b, 58)),
            payload_len: u64::from_le_bytes(take(&b, 62)),
            nonce: take(&b, 70),
        };
        if !range_ok(header.first, header.last, header.count)
            || header.payload_len < super::TAG_LEN as u64
        {
            return Err(BundleError::BadHeader(HeaderFault::Range));
        }
        Ok(header)
    }
}

/// Whether `first..=last` holds exactly `count ≥ 1` sequence numbers ≥ 1.
pub(super) fn range_ok(first: i64, last: i64, count: u32) -> bool {
    count >= 1 && first >= 1 && last.checked_sub(first) == Some(i64::from(count) - 1)
}

fn checksum(b: &[u8]) -> [u8; 8] {
    take(blake3::hash(b).as_bytes(), 0)
}

/// `N` bytes of `b` from `at`, if there are that many.
fn array<const N: usize>(b: &[u8], at: usize) -> Option<&[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// `N` bytes of a buffer known to be long enough.
fn take<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    array(b, at).copied().unwrap_or([0; N])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> BundleHeader {
        BundleHeader {
            version: FORMAT_VERSION,
            network: NetworkId::new(),
            origin: ReplicaId::new(),
            first: 7,
            last: 9,
            count: 3,
            payload_len: 100,
            nonce: [5; NONCE_LEN],
        }
    }

    #[test]
    fn round_trips() {
        let h = header();
        assert_eq!(BundleHeader::decode(&h.encode()), Ok(h));
        assert_eq!(h.file_len(), 202);
    }

    #[test]
    fn checks_range_and_checksum() {
        let mut h = header();
        h.last = 10;
        assert_eq!(
            BundleHeader::decode(&h.encode()),
            Err(BundleError::BadHeader(HeaderFault::Range))
        );
        let mut b = header().encode();
        b[45] ^= 1;
        assert_eq!(
            BundleHeader::decode(&b),
            Err(BundleError::BadHeader(HeaderFault::Checksum))
        );
        assert!(!range_ok(0, 0, 1));
        assert!(!range_ok(i64::MAX, i64::MIN, 2));
        assert!(range_ok(i64::MAX, i64::MAX, 1));
    }

    #[test]
    fn short_and_foreign_input() {
        assert_eq!(
            BundleHeader::decode(b""),
            Err(BundleError::Truncated {
                expected: HEADER_LEN as u64,
                found: 0
            })
        );
        assert!(matches!(
            BundleHeader::decode(b"WSB"),
            Err(BundleError::Truncated { .. })
        ));
        assert_eq!(
            BundleHeader::decode(b"PK\x03\x04"),
            Err(BundleError::NotABundle)
        );
        let mut b = header().encode().to_vec();
        b[8..10].copy_from_slice(&2u16.to_le_bytes());
        b.truncate(10);
        assert_eq!(
            BundleHeader::decode(&b),
            Err(BundleError::NewerFormat {
                found: 2,
                supported: 1
            })
        );
    }
}
