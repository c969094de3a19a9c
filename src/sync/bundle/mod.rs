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

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;

use crate::domain::ids::ReplicaId;
use crate::store::LoggedOp;

pub use error::{BundleError, HeaderFault};
pub use header::{BundleHeader, FORMAT_VERSION, HEADER_LEN, MAGIC};
pub use key::{KdfParams, NetworkId, NetworkKey};
pub use name::{file_name, parse_file_name, temp_file_name};

/// Size of the authentication tag at the end of the payload.
pub const TAG_LEN: usize = 16;

/// Writes `ops` — operations `first..=last` of `origin`, in order, without
/// gaps — as the bytes of one bundle of `network`.
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
    let compressed = codec::encode(ops)?;
    let mut nonce = [0u8; header::NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    let header = BundleHeader {
        version: FORMAT_VERSION,
        network,
        origin,
        first,
        last: last_op.seq,
        count,
        payload_len: (compressed.len() + TAG_LEN) as u64,
        nonce,
    };
    let head = header.encode();
    let sealed = cipher(key)
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &compressed,
                aad: &head,
            },
        )
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

/// Reads a whole bundle of `network`: every check passes, or nothing of it
/// is returned.
pub fn read_bundle(
    key: &NetworkKey,
    network: NetworkId,
    bytes: &[u8],
) -> Result<(BundleHeader, Vec<LoggedOp>), BundleError> {
    let header = BundleHeader::decode(bytes)?;
    if header.network != network {
        return Err(BundleError::WrongNetwork {
            found: header.network,
            expected: network,
        });
    }
    let found = bytes.len() as u64;
    let expected = header.file_len();
    if found < expected {
        return Err(BundleError::Truncated { expected, found });
    }
    if found > expected {
        return Err(BundleError::BadHeader(HeaderFault::TrailingBytes));
    }
    let (head, sealed) = bytes.split_at(HEADER_LEN);
    let compressed = cipher(key)
        .decrypt(
            &XNonce::from(header.nonce),
            Payload {
                msg: sealed,
                aad: head,
            },
        )
        .map_err(|_| BundleError::Damaged)?;
    let ops = codec::decode(&compressed, header.origin, header.first, header.count)?;
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
    Ok((header, ops))
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
