//! The payload before encryption: the operations in a compact binary form,
//! compressed with zstd.
//!
//! Each operation, in sequence order (origin and sequence number are the
//! header's, so they are not repeated):
//!
//! | field | encoding |
//! |-------|----------|
//! | hlc | LEB128 of the zigzagged difference to the previous op's (0 before the first) |
//! | entity | LEB128 of the stored entity number |
//! | kind | LEB128 of the zigzagged kind |
//! | flags | one byte: bit 0 = an actor follows, bit 1 = references follow; other bits 0 |
//! | id | 16 bytes |
//! | actor | 16 bytes, if flagged |
//! | references | if flagged: LEB128 count (≥ 1), then per reference the hlc (LEB128) and the origin (16 bytes): the operations of the record from other origins that the writer had seen |
//! | fields | LEB128 length, then that many bytes of a JSON object |
//!
//! The payload ends exactly after the last operation.

use std::io::Read;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::BundleError;
use crate::domain::ids::{ReplicaId, StaffId};
use crate::store::Hlc;
use crate::store::{Entity, LoggedOp, OpRef};

/// The most a payload may hold uncompressed: 32 MiB, several times what
/// 50,000 operations take (about 200 bytes each). Reading one file holds at
/// most this, its compressed form and the operations decoded from it, so
/// no file can make a sync take more than a few hundred megabytes; a writer
/// splits a range that would take more into several files.
pub(super) const MAX_PLAIN: usize = 32 << 20;
/// zstd level: fast, and within a few percent of the higher levels here.
const ZSTD_LEVEL: i32 = 3;
const FLAG_ACTOR: u8 = 1;
const FLAG_AFTER: u8 = 2;
/// The shortest encoded operation (no actor, `{}` fields).
const MIN_OP_LEN: usize = 1 + 1 + 1 + 1 + 16 + 1 + 2;

/// Encodes and compresses `ops` (already checked to be one origin's,
/// consecutive).
pub(super) fn encode(ops: &[LoggedOp]) -> Result<Vec<u8>, BundleError> {
    let mut out = Vec::with_capacity(ops.len() * 160);
    let mut prev = 0u64;
    for op in ops {
        put_varint(&mut out, zigzag(op.hlc.0.wrapping_sub(prev) as i64));
        prev = op.hlc.0;
        put_varint(&mut out, op.entity.code() as u64);
        put_varint(&mut out, zigzag(op.kind));
        let mut flags = 0;
        if op.actor.is_some() {
            flags |= FLAG_ACTOR;
        }
        if !op.after.is_empty() {
            flags |= FLAG_AFTER;
        }
        out.push(flags);
        out.extend_from_slice(op.id.as_bytes());
        if let Some(a) = &op.actor {
            out.extend_from_slice(a.as_bytes());
        }
        if !op.after.is_empty() {
            put_varint(&mut out, op.after.len() as u64);
            for r in &op.after {
                put_varint(&mut out, r.hlc.0);
                out.extend_from_slice(r.origin.as_bytes());
            }
        }
        let fields =
            serde_json::to_vec(&op.fields).map_err(|e| BundleError::Encode(e.to_string()))?;
        put_varint(&mut out, fields.len() as u64);
        out.extend_from_slice(&fields);
        if out.len() > MAX_PLAIN {
            return Err(BundleError::TooLarge);
        }
    }
    zstd::bulk::compress(&out, ZSTD_LEVEL).map_err(|e| BundleError::Encode(e.to_string()))
}

/// Decompresses and decodes `count` operations of `origin` numbered from
/// `first`. The compressed bytes are let go of once decompressed.
pub(super) fn decode(
    compressed: Vec<u8>,
    origin: ReplicaId,
    first: i64,
    count: u32,
) -> Result<Vec<LoggedOp>, BundleError> {
    let bad = |what: &str| BundleError::BadContent(what.to_owned());
    let mut plain = Vec::new();
    zstd::stream::read::Decoder::new(compressed.as_slice())
        .and_then(|d| d.take(MAX_PLAIN as u64 + 1).read_to_end(&mut plain))
        .map_err(|e| BundleError::BadContent(format!("cannot decompress: {e}")))?;
    drop(compressed);
    if plain.len() > MAX_PLAIN {
        return Err(bad("expands past the size limit"));
    }
    let count = count as usize;
    if count > plain.len() / MIN_OP_LEN {
        return Err(bad("fewer operations than the header says"));
    }
    let mut ops = Vec::with_capacity(count);
    let mut r = Reader(&plain);
    let mut prev = 0u64;
    for i in 0..count {
        let seq = i64::try_from(i)
            .ok()
            .and_then(|i| first.checked_add(i))
            .ok_or_else(|| bad("sequence number overflows"))?;
        let truncated = || bad("fewer operations than the header says");
        let hlc = prev.wrapping_add(unzigzag(r.varint().ok_or_else(truncated)?) as u64);
        prev = hlc;
        let entity = r.varint().ok_or_else(truncated)?;
        let entity = i64::try_from(entity)
            .ok()
            .and_then(Entity::from_code)
            .ok_or_else(|| BundleError::BadContent(format!("unknown record kind {entity}")))?;
        let kind = unzigzag(r.varint().ok_or_else(truncated)?);
        let flags = r.byte().ok_or_else(truncated)?;
        if flags & !(FLAG_ACTOR | FLAG_AFTER) != 0 {
            return Err(bad("unknown operation flags"));
        }
        let id = Uuid::from_bytes(r.array().ok_or_else(truncated)?);
        let actor = if flags & FLAG_ACTOR != 0 {
            Some(StaffId(Uuid::from_bytes(r.array().ok_or_else(truncated)?)))
        } else {
            None
        };
        let mut after = Vec::new();
        if flags & FLAG_AFTER != 0 {
            let n = r.varint().ok_or_else(truncated)?;
            // Each reference takes at least 17 bytes.
            if n == 0 || n > (r.0.len() / 17) as u64 {
                return Err(bad("bad references of an operation"));
            }
            for _ in 0..n {
                let hlc = Hlc(r.varint().ok_or_else(truncated)?);
                let origin = ReplicaId(Uuid::from_bytes(r.array().ok_or_else(truncated)?));
                after.push(OpRef { hlc, origin });
            }
        }
        let len = r.varint().ok_or_else(truncated)?;
        let json = usize::try_from(len)
            .ok()
            .and_then(|n| r.bytes(n))
            .ok_or_else(truncated)?;
        let fields: Map<String, Value> = serde_json::from_slice(json)
            .map_err(|_| bad("fields of an operation are not a JSON object"))?;
        ops.push(LoggedOp {
            origin,
            seq,
            hlc: Hlc(hlc),
            actor,
            entity,
            id,
            kind,
            fields,
            after,
        });
    }
    if !r.0.is_empty() {
        return Err(bad("more operations than the header says"));
    }
    Ok(ops)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A cursor over the payload; every read is checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.try_into().ok()
    }

    /// LEB128, at most 10 bytes, without overflow.
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let part = u64::from(b & 0x7f);
            if shift == 63 && part > 1 {
                return None;
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn varints_round_trip(v in any::<u64>(), s in any::<i64>()) {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            put_varint(&mut b, zigzag(s));
            let mut r = Reader(&b);
            prop_assert_eq!(r.varint(), Some(v));
            prop_assert_eq!(r.varint().map(unzigzag), Some(s));
            prop_assert!(r.0.is_empty());
        }

        #[test]
        fn varint_never_panics(b in prop::collection::vec(any::<u8>(), 0..12)) {
            let _ = Reader(&b).varint();
        }
    }

    #[test]
    fn overlong_varint_is_refused() {
        assert_eq!(Reader(&[0xff; 11]).varint(), None);
        assert_eq!(
            Reader(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]).varint(),
            None
        );
        assert_eq!(
            Reader(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).varint(),
            Some(u64::MAX)
        );
    }

    #[test]
    fn garbage_is_bad_content() {
        let r = decode(b"not zstd".to_vec(), ReplicaId::new(), 1, 1);
        assert!(matches!(r, Err(BundleError::BadContent(_))));
        let empty = zstd::bulk::compress(b"", 3).unwrap();
        assert!(matches!(
            decode(empty, ReplicaId::new(), 1, 1),
            Err(BundleError::BadContent(_))
        ));
    }
}
