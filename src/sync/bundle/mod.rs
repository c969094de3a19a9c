//! Bundles: the files stations exchange. One bundle holds the operations
//! `first..=last` of ONE origin replica's log, in sequence order.
//!
//! A bundle is a fixed 102-byte header ([`BundleHeader`]; the layout is in
//! `header.rs`) followed by the payload: the operations in a compact binary
//! form (`codec.rs`), compressed with zstd,
//! then encrypted and authenticated with XChaCha20-Poly1305 under the
//! [network key](NetworkKey), with the whole header as associated data.
//! Changing any byte of the file, or reading it with another passphrase,
//! fails authentication, and nothing of it is returned.
//!
//! The payload is the ciphertext followed by the 16-byte Poly1305 tag; its
//! length is the header's `payload_len`, and the file ends right after it.

mod codec;
mod error;
mod header;
mod key;
mod name;

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::domain::ids::ReplicaId;
use crate::store::LoggedOp;

pub use error::{BundleError, HeaderFault};
pub use header::{BundleHeader, FORMAT_VERSION, HEADER_LEN, MAGIC};
pub use key::{KdfParams, NetworkId, NetworkKey};
pub use name::{
    file_name, is_temp_name, parse_bundle_name, parse_file_name, temp_file_name, unique_temp_name,
};

/// Size of the authentication tag at the end of the payload.
pub const TAG_LEN: usize = 16;

/// The most operations a payload may hold once decompressed: a file
/// expanding past it is refused, and a range that would is written as
/// several files (see [`BundleError::TooLarge`]).
pub const MAX_PLAIN: usize = codec::MAX_PLAIN;

/// The most a payload (compressed operations and tag) may be: a file whose
/// header announces more is refused before its body is read. Room for the
/// worst case of compressing [`MAX_PLAIN`] bytes that do not compress.
pub const MAX_SEALED: u64 = (MAX_PLAIN + MAX_PLAIN / 128 + 64 * 1024 + TAG_LEN) as u64;

/// Writes `ops` — operations `first..=last` of `origin`, in order, without
/// gaps — as the bytes of one bundle of `network`.
///
/// The bytes depend only on the key, the network and the operations (the
/// nonce is a keyed hash of them, see `NetworkKey::nonce`): two stations
/// holding the same operations write the same file.
pub fn write_bundle(
    key: &NetworkKey,
    network: NetworkId,
    origin: ReplicaId,
    ops: &[LoggedOp],
) -> Result<Vec<u8>, BundleError> {
    let (Some(first_op), Some(last_op)) = (ops.first(), ops.last()) else {
        return Err(BundleError::Empty);
    };
    let count = u32::try_from(ops.len()).map_err(|_| BundleError::TooLarge)?;
    let first = first_op.seq;
    if first < 1 {
        return Err(BundleError::NotContiguous {
            expected: 1,
            found: first,
        });
    }
    for (i, op) in ops.iter().enumerate() {
        if op.origin != origin {
            return Err(BundleError::WrongOrigin {
                seq: op.seq,
                found: op.origin,
                expected: origin,
            });
        }
        // Past i64::MAX nothing can follow.
        let want = i64::try_from(i).ok().and_then(|i| first.checked_add(i));
        if want != Some(op.seq) {
            return Err(BundleError::NotContiguous {
                expected: want.unwrap_or(i64::MAX),
                found: op.seq,
            });
        }
    }
    let mut sealed = codec::encode(ops)?;
    let payload_len = (sealed.len() + TAG_LEN) as u64;
    if payload_len > MAX_SEALED {
        return Err(BundleError::TooLarge);
    }
    let mut header = BundleHeader {
        version: FORMAT_VERSION,
        network,
        origin,
        first,
        last: last_op.seq,
        count,
        payload_len,
        nonce: [0; header::NONCE_LEN],
    };
    header.nonce = key.nonce(&header.encode()[..header::NONCE_AT], &sealed);
    let head = header.encode();
    cipher(key)
        .encrypt_in_place(&XNonce::from(header.nonce), &head, &mut sealed)
        .map_err(|_| BundleError::Encode("encryption failed".into()))?;
    let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
    out.extend_from_slice(&head);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Reads the header of a bundle without the key: `bytes` may be the first
/// [`HEADER_LEN`] bytes of the file or all of it. Checks magic, version and
/// the header's own checksum, not the payload: nothing read here is
/// authenticated until [`read_bundle`] accepts the file. Compare
/// [`BundleHeader::file_len`] with the file's size to spot a file still
/// being copied.
pub fn read_header(bytes: &[u8]) -> Result<BundleHeader, BundleError> {
    BundleHeader::decode(bytes)
}

/// What a header says that can be checked before the payload is read: of
/// `network`, and as long as a file of `size` bytes (the header's
/// `payload_len` within [`MAX_SEALED`]). Refusing here costs no more than
/// the header; nothing it says is believed until [`open_payload`]
/// authenticates it.
pub fn check_header(
    header: &BundleHeader,
    network: NetworkId,
    size: u64,
) -> Result<(), BundleError> {
    if header.network != network {
        return Err(BundleError::WrongNetwork {
            found: header.network,
            expected: network,
        });
    }
    if header.payload_len > MAX_SEALED {
        return Err(BundleError::TooBig {
            found: header.file_len(),
            limit: HEADER_LEN as u64 + MAX_SEALED,
        });
    }
    let expected = header.file_len();
    if size < expected {
        return Err(BundleError::Truncated {
            expected,
            found: size,
        });
    }
    if size > expected {
        return Err(BundleError::BadHeader(HeaderFault::TrailingBytes));
    }
    Ok(())
}

/// A bundle whose payload passed authentication: its header is now
/// trustworthy; its operations are still compressed.
#[derive(Debug)]
pub struct Opened {
    pub header: BundleHeader,
    compressed: Vec<u8>,
}

impl Opened {
    /// Decompresses and decodes the operations (the compressed bytes are
    /// let go of as soon as they are decompressed).
    pub fn operations(self) -> Result<Vec<LoggedOp>, BundleError> {
        let header = self.header;
        let ops = codec::decode(self.compressed, header.origin, header.first, header.count)?;
        // By construction origin and sequence numbers are the header's; the
        // count is what the payload held. Checked again as the last word.
        let consistent = ops.len() == header.count as usize
            && ops.first().map(|o| o.seq) == Some(header.first)
            && ops.last().map(|o| o.seq) == Some(header.last)
            && ops.iter().all(|o| o.origin == header.origin);
        if !consistent {
            return Err(BundleError::BadContent(
                "operations do not match the header".into(),
            ));
        }
        Ok(ops)
    }
}

/// Authenticates and decrypts the payload of a bundle, read apart from its
/// header: `head` the header's bytes as read (decoded into `header` and
/// passed by [`check_header`]), `sealed` the `payload_len` bytes that
/// follow. Decrypted in place: the payload is held once.
pub fn open_payload(
    key: &NetworkKey,
    head: &[u8],
    header: BundleHeader,
    mut sealed: Vec<u8>,
) -> Result<Opened, BundleError> {
    let head = head.get(..HEADER_LEN).ok_or(BundleError::Truncated {
        expected: HEADER_LEN as u64,
        found: head.len() as u64,
    })?;
    if sealed.len() as u64 != header.payload_len {
        return Err(BundleError::Truncated {
            expected: header.file_len(),
            found: (HEADER_LEN + sealed.len()) as u64,
        });
    }
    cipher(key)
        .decrypt_in_place(&XNonce::from(header.nonce), head, &mut sealed)
        .map_err(|_| BundleError::Damaged)?;
    Ok(Opened {
        header,
        compressed: sealed,
    })
}

/// Reads a whole bundle of `network`: every check passes, or nothing of it
/// is returned.
pub fn read_bundle(
    key: &NetworkKey,
    network: NetworkId,
    bytes: &[u8],
) -> Result<(BundleHeader, Vec<LoggedOp>), BundleError> {
    let header = BundleHeader::decode(bytes)?;
    check_header(&header, network, bytes.len() as u64)?;
    let (head, sealed) = bytes.split_at(HEADER_LEN);
    let opened = open_payload(key, head, header, sealed.to_vec())?;
    Ok((header, opened.operations()?))
}

fn cipher(key: &NetworkKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&Key::from(*key.bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Hlc;
    use crate::store::{Entity, OP_CREATE};

    fn ops(origin: ReplicaId, seqs: std::ops::RangeInclusive<i64>) -> Vec<LoggedOp> {
        seqs.map(|seq| LoggedOp {
            origin,
            seq,
            hlc: Hlc::from_millis(1_000 + seq as u64).unwrap(),
            actor: None,
            entity: Entity::Visit,
            id: uuid::Uuid::now_v7(),
            kind: OP_CREATE,
            fields: serde_json::json!({"headcount": seq, "trade": "外卖骑手", "left_at": null})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            after: Vec::new(),
        })
        .collect()
    }

    #[test]
    fn writes_and_reads_back() {
        let network = NetworkId::new();
        let key =
            NetworkKey::derive_with_params("pass", network, KdfParams::FAST_INSECURE).unwrap();
        let origin = ReplicaId::new();
        let ops = ops(origin, 5..=9);
        let bytes = write_bundle(&key, network, origin, &ops).unwrap();
        let (h, back) = read_bundle(&key, network, &bytes).unwrap();
        assert_eq!(back, ops);
        assert_eq!((h.first, h.last, h.count), (5, 9, 5));
        assert_eq!(read_header(&bytes[..HEADER_LEN]), Ok(h));
        assert_eq!(
            write_bundle(&key, network, origin, &ops).unwrap(),
            bytes,
            "the same operations, the same bytes"
        );
        let mut other_ops = ops.clone();
        other_ops[2].fields.insert("headcount".into(), 99.into());
        let other_bytes = write_bundle(&key, network, origin, &other_ops).unwrap();
        assert_ne!(
            read_header(&other_bytes).unwrap().nonce,
            h.nonce,
            "other operations, another nonce"
        );
        let other =
            NetworkKey::derive_with_params("passe", network, KdfParams::FAST_INSECURE).unwrap();
        assert_eq!(
            read_bundle(&other, network, &bytes),
            Err(BundleError::Damaged)
        );
        let stranger = ReplicaId::new();
        assert_eq!(
            write_bundle(&key, network, stranger, &ops).map(|_| ()),
            Err(BundleError::WrongOrigin {
                seq: 5,
                found: origin,
                expected: stranger,
            })
        );
    }
}
