//! Bundle files: what one station writes is what another reads, and a
//! truncated, damaged, tampered, foreign, wrong-network or newer file is
//! refused with its own error — never a panic, never part of its contents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use uuid::Uuid;
use waystation::demo::{self, DemoSpec};
use waystation::domain::ids::{ReplicaId, StaffId};
use waystation::i18n::{Lang, Localized};
use waystation::store::Hlc;
use waystation::store::Store;
use waystation::store::{Entity, LoggedOp, OP_CREATE, OP_UPDATE, OpRef};
use waystation::sync::bundle::{
    self, BundleError, HEADER_LEN, HeaderFault, KdfParams, MAX_SEALED, NetworkId, NetworkKey,
    file_name, parse_file_name, read_bundle, read_header, write_bundle,
};

fn key(passphrase: &str, network: NetworkId) -> NetworkKey {
    NetworkKey::derive_with_params(passphrase, network, KdfParams::FAST_INSECURE).unwrap()
}

fn op(origin: ReplicaId, seq: i64, fields: Value) -> LoggedOp {
    LoggedOp {
        origin,
        seq,
        hlc: Hlc::from_millis(1_780_000_000_000 + (seq as u64 % 1_000_000) * 60_000).unwrap(),
        actor: Some(StaffId::new()),
        entity: Entity::Person,
        id: Uuid::now_v7(),
        kind: OP_CREATE,
        fields: match fields {
            Value::Object(m) => m,
            _ => Map::new(),
        },
        after: Vec::new(),
    }
}

/// A small bundle of three operations, with its key and network.
fn small() -> (NetworkKey, NetworkId, ReplicaId, Vec<LoggedOp>, Vec<u8>) {
    let network = NetworkId::new();
    let k = key("东城区工会 2026", network);
    let origin = ReplicaId::new();
    let ops = vec![
        op(
            origin,
            41,
            json!({"name": "张三", "mobile": "13800138000", "union_member": true}),
        ),
        op(
            origin,
            42,
            json!({"name": null, "created_at": 1_780_000_000_000i64}),
        ),
        op(origin, 43, json!({})),
    ];
    let bytes = write_bundle(&k, network, origin, &ops).unwrap();
    (k, network, origin, ops, bytes)
}

// --- round trip -------------------------------------------------------------

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Floats with a short exact decimal form (the log holds none today).
        (-1_000_000i32..1_000_000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
        "[\u{4e00}-\u{9fa5}]{0,12}".prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        any::<u128>().prop_map(|u| Value::from(Uuid::from_u128(u).to_string())),
    ]
}

fn fields() -> impl Strategy<Value = Map<String, Value>> {
    let name = prop_oneof![
        prop::sample::select(vec!["name", "mobile", "trade", "left_at", "备注"])
            .prop_map(str::to_owned),
        any::<String>(),
    ];
    prop::collection::btree_map(name, value(), 0..8).prop_map(|m| m.into_iter().collect())
}

prop_compose! {
    fn logged_op()(
        hlc in any::<u64>(),
        actor in proptest::option::of(any::<u128>()),
        entity in prop::sample::select(Entity::ALL.to_vec()),
        id in any::<u128>(),
        kind in prop_oneof![Just(OP_CREATE), Just(OP_UPDATE), any::<i64>()],
        fields in fields(),
        after in prop::collection::vec((any::<u64>(), any::<u128>()), 0..3),
    ) -> LoggedOp {
        LoggedOp {
            origin: ReplicaId(Uuid::nil()),
            seq: 0,
            hlc: Hlc(hlc),
            actor: actor.map(|a| StaffId(Uuid::from_u128(a))),
            entity,
            id: Uuid::from_u128(id),
            kind,
            fields,
            after: after
                .into_iter()
                .map(|(h, o)| OpRef { hlc: Hlc(h), origin: ReplicaId(Uuid::from_u128(o)) })
                .collect(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip(
        origin in any::<u128>(),
        first in prop_oneof![1i64..1_000, 1i64..i64::MAX - 100, Just(i64::MAX - 30)],
        mut ops in prop::collection::vec(logged_op(), 1..30),
    ) {
        let origin = ReplicaId(Uuid::from_u128(origin));
        for (i, o) in ops.iter_mut().enumerate() {
            o.origin = origin;
            o.seq = first + i as i64;
        }
        let network = NetworkId::new();
        let k = key("口令", network);
        let bytes = write_bundle(&k, network, origin, &ops).unwrap();
        let (header, back) = read_bundle(&k, network, &bytes).unwrap();
        prop_assert_eq!(&back, &ops);
        prop_assert_eq!(header.origin, origin);
        prop_assert_eq!(header.network, network);
        prop_assert_eq!(header.first, first);
        prop_assert_eq!(header.last, ops[ops.len() - 1].seq);
        prop_assert_eq!(header.count as usize, ops.len());
        prop_assert_eq!(header.file_len(), bytes.len() as u64);
        prop_assert_eq!(read_header(&bytes), Ok(header));
        prop_assert_eq!(read_header(&bytes[..HEADER_LEN]), Ok(header));
    }
}

/// Two stations writing the same operations write the same file (one
/// file in a shared folder, not two conflicting copies); any other
/// operations, or another key, give another nonce.
#[test]
fn same_ops_twice_give_the_same_bytes_and_other_ops_another_nonce() {
    let (k, network, origin, ops, a) = small();
    let b = write_bundle(&k, network, origin, &ops).unwrap();
    assert_eq!(a, b, "the same operations, the same bytes");
    assert_eq!(read_bundle(&k, network, &a).unwrap().1, ops);
    let nonce = |bytes: &[u8]| read_header(bytes).unwrap().nonce;
    let mut other = ops.clone();
    other[0].hlc = Hlc(other[0].hlc.0 + 1);
    let c = write_bundle(&k, network, origin, &other).unwrap();
    assert_ne!(nonce(&c), nonce(&a), "another clock");
    let fewer = write_bundle(&k, network, origin, &ops[..ops.len() - 1]).unwrap();
    assert_ne!(nonce(&fewer), nonce(&a), "fewer operations");
    let k2 = NetworkKey::derive_with_params("another", network, KdfParams::FAST_INSECURE).unwrap();
    let d = write_bundle(&k2, network, origin, &ops).unwrap();
    assert_ne!(nonce(&d), nonce(&a), "another key");
}

// --- refusals ---------------------------------------------------------------

#[test]
fn truncation_at_every_offset_is_refused() {
    let (k, network, _, _, bytes) = small();
    for cut in 0..bytes.len() {
        let part = &bytes[..cut];
        match read_bundle(&k, network, part) {
            Err(BundleError::Truncated { expected, found }) => {
                assert_eq!(found, cut as u64);
                assert!(expected > found);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
        // The header alone says how long the file should be.
        match read_header(part) {
            Ok(h) => assert!(cut >= HEADER_LEN && h.file_len() > cut as u64),
            Err(e) => assert!(matches!(e, BundleError::Truncated { .. }), "{cut}: {e:?}"),
        }
    }
}

#[test]
fn truncation_of_a_large_bundle_is_refused() {
    let network = NetworkId::new();
    let k = key("pass", network);
    let origin = ReplicaId::new();
    let ops: Vec<_> = (1..=1000)
        .map(|s| op(origin, s, json!({"name": format!("工人{s}"), "n": s})))
        .collect();
    let bytes = write_bundle(&k, network, origin, &ops).unwrap();
    for cut in (0..bytes.len())
        .step_by(bytes.len() / 300 + 1)
        .chain([bytes.len() - 1])
    {
        assert!(
            matches!(
                read_bundle(&k, network, &bytes[..cut]),
                Err(BundleError::Truncated { .. })
            ),
            "cut at {cut}"
        );
    }
}

#[test]
fn every_single_bit_flip_is_refused() {
    let (k, network, _, _, bytes) = small();
    for bit in 0..bytes.len() * 8 {
        let mut b = bytes.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        let err = read_bundle(&k, network, &b).expect_err("a flipped bit must be refused");
        if bit / 8 < HEADER_LEN {
            assert!(
                matches!(
                    err,
                    BundleError::NotABundle
                        | BundleError::NewerFormat { .. }
                        | BundleError::BadHeader(_)
                ),
                "header bit {bit}: {err:?}"
            );
        } else {
            assert_eq!(err, BundleError::Damaged, "payload bit {bit}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn corruption_anywhere_is_refused(at in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let (k, network, _, _, mut bytes) = small();
        let i = at.index(bytes.len());
        bytes[i] ^= mask;
        prop_assert!(read_bundle(&k, network, &bytes).is_err());
    }
}

/// Rewrites a header field and recomputes the header checksum, as a forger
/// without the key could: authentication still refuses it.
fn forge(bytes: &mut [u8], at: usize, new: &[u8]) {
    bytes[at..at + new.len()].copy_from_slice(new);
    let sum = blake3::hash(&bytes[..HEADER_LEN - 8]);
    bytes[HEADER_LEN - 8..HEADER_LEN].copy_from_slice(&sum.as_bytes()[..8]);
}

#[test]
fn a_forged_header_is_refused() {
    let (k, network, _, _, bytes) = small();
    let range = |first: i64, last: i64| {
        let mut v = first.to_le_bytes().to_vec();
        v.extend_from_slice(&last.to_le_bytes());
        v
    };
    for (at, new) in [
        (26, ReplicaId::new().as_bytes().to_vec()), // another origin
        (42, range(1, 3)),                          // another range of 3
        (42, range(100, 102)),
        (70, vec![0; 24]), // another nonce
    ] {
        let mut b = bytes.clone();
        forge(&mut b, at, &new);
        assert!(read_header(&b).is_ok(), "the forger fixed the checksum");
        assert_eq!(
            read_bundle(&k, network, &b),
            Err(BundleError::Damaged),
            "at {at}"
        );
    }
    // Moved to another network: named as such when read as this one, and
    // refused as damaged when read as that one.
    let other = NetworkId::new();
    let mut b = bytes.clone();
    forge(&mut b, 10, other.as_bytes());
    assert!(matches!(
        read_bundle(&k, network, &b),
        Err(BundleError::WrongNetwork { .. })
    ));
    assert_eq!(read_bundle(&k, other, &b), Err(BundleError::Damaged));
}

#[test]
fn an_impossible_length_is_refused() {
    let (k, network, _, _, bytes) = small();
    // Longer than any bundle may be: refused by its header alone, before
    // a byte of the payload is read.
    for len in [
        u64::MAX,
        u64::MAX - HEADER_LEN as u64,
        1 << 40,
        MAX_SEALED + 1,
    ] {
        let mut b = bytes.clone();
        forge(&mut b, 62, &len.to_le_bytes());
        assert!(matches!(
            read_bundle(&k, network, &b),
            Err(BundleError::TooBig { .. })
        ));
    }
    let mut b = bytes.clone();
    forge(&mut b, 62, &MAX_SEALED.to_le_bytes());
    assert!(matches!(
        read_bundle(&k, network, &b),
        Err(BundleError::Truncated { .. })
    ));
    let mut b = bytes.clone();
    forge(&mut b, 62, &3u64.to_le_bytes());
    assert_eq!(
        read_bundle(&k, network, &b),
        Err(BundleError::BadHeader(HeaderFault::Range))
    );
}

#[test]
fn wrong_passphrase_is_refused() {
    let (_, network, _, _, bytes) = small();
    let err = read_bundle(&key("西城区工会 2026", network), network, &bytes).unwrap_err();
    assert_eq!(err, BundleError::Damaged);
    assert!(err.to_string().contains("another sync passphrase"), "{err}");
    assert!(err.localized(Lang::ZhCn).contains("口令"));
}

#[test]
fn wrong_network_is_refused() {
    let (k, network, _, _, bytes) = small();
    let other = NetworkId::new();
    assert_eq!(
        read_bundle(&k, other, &bytes),
        Err(BundleError::WrongNetwork {
            found: network,
            expected: other
        })
    );
}

#[test]
fn newer_format_is_refused() {
    let (k, network, _, _, mut bytes) = small();
    forge(&mut bytes, 8, &2u16.to_le_bytes());
    let want = Err(BundleError::NewerFormat {
        found: 2,
        supported: bundle::FORMAT_VERSION,
    });
    assert_eq!(read_bundle(&k, network, &bytes), want);
    assert_eq!(
        read_header(&bytes[..10]).map(|_| ()),
        want.clone().map(|_| ())
    );
    bytes.truncate(10);
    assert_eq!(read_bundle(&k, network, &bytes), want);
}

#[test]
fn foreign_files_are_refused() {
    let (k, network, _, _, bytes) = small();
    for foreign in [
        &b"PK\x03\x04 a zip"[..],
        b"SQLite format 3\0",
        "姓名,手机\n张三,13800138000\n".as_bytes(),
        b"X",
    ] {
        assert_eq!(
            read_bundle(&k, network, foreign),
            Err(BundleError::NotABundle)
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        read_bundle(&k, network, &longer),
        Err(BundleError::BadHeader(HeaderFault::TrailingBytes))
    );
    assert_eq!(
        read_bundle(&k, network, b""),
        Err(BundleError::Truncated {
            expected: HEADER_LEN as u64,
            found: 0
        })
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..400), magic in any::<bool>()) {
        let mut b = b;
        if magic && b.len() >= 10 {
            b[..8].copy_from_slice(&bundle::MAGIC);
            b[8..10].copy_from_slice(&1u16.to_le_bytes());
        }
        let network = NetworkId::new();
        let _ = read_header(&b);
        prop_assert!(read_bundle(&key("x", network), network, &b).is_err());
    }
}

// --- writing ----------------------------------------------------------------

#[test]
fn only_one_origins_consecutive_ops_are_written() {
    let network = NetworkId::new();
    let k = key("pass", network);
    let a = ReplicaId::new();
    let b = ReplicaId::new();
    let w = |ops: &[LoggedOp]| write_bundle(&k, network, a, ops);
    let e = || json!({});
    assert_eq!(w(&[]), Err(BundleError::Empty));
    assert_eq!(
        w(&[op(a, 1, e()), op(a, 3, e())]),
        Err(BundleError::NotContiguous {
            expected: 2,
            found: 3
        })
    );
    assert!(matches!(
        w(&[op(a, 2, e()), op(a, 1, e())]),
        Err(BundleError::NotContiguous { .. })
    ));
    assert!(matches!(
        w(&[op(a, 1, e()), op(a, 1, e())]),
        Err(BundleError::NotContiguous { .. })
    ));
    assert!(matches!(
        w(&[op(a, 0, e())]),
        Err(BundleError::NotContiguous { .. })
    ));
    assert!(matches!(
        w(&[op(a, i64::MAX, e()), op(a, i64::MIN, e())]),
        Err(BundleError::NotContiguous { .. })
    ));
    assert_eq!(
        w(&[op(a, 1, e()), op(b, 2, e())]),
        Err(BundleError::WrongOrigin {
            seq: 2,
            found: b,
            expected: a
        })
    );
    assert!(w(&[op(a, 7, e()), op(a, 8, e())]).is_ok());
}

// --- file names -------------------------------------------------------------

proptest! {
    #[test]
    fn file_names_round_trip(origin in any::<u128>(), first in 1i64..i64::MAX, len in 0i64..1_000_000) {
        let origin = ReplicaId(Uuid::from_u128(origin));
        let last = first.saturating_add(len);
        let name = file_name(origin, first, last);
        prop_assert!(name.len() <= 100);
        prop_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
        prop_assert_eq!(parse_file_name(&name), Some((origin, first, last)));
        prop_assert_eq!(parse_file_name(&bundle::temp_file_name(origin, first, last)), None);
        let stem = name.trim_end_matches(".wsb");
        let conflict = format!("{stem}.sync-conflict-20260321-101500-ABCDEF1.wsb");
        prop_assert_eq!(parse_file_name(&conflict), None);
        prop_assert_eq!(parse_file_name(&format!(".syncthing.{name}.tmp")), None);
        prop_assert_eq!(parse_file_name(&format!("~{name}")), None);
    }

    #[test]
    fn parsing_never_panics(s in any::<String>()) {
        let _ = parse_file_name(&s);
    }

    #[test]
    fn near_misses_are_not_bundles(cut in 0usize..65, ch in any::<char>()) {
        let name = file_name(ReplicaId::new(), 1, 500);
        let mut near: String = name.chars().take(cut).collect();
        near.push(ch);
        near.extend(name.chars().skip(cut + 1));
        // Only another canonical name (another hex digit, another number)
        // is taken.
        if let Some((o, f, l)) = parse_file_name(&near) {
            prop_assert_eq!(file_name(o, f, l), near);
        }
    }
}

// --- messages ---------------------------------------------------------------

#[test]
fn every_error_speaks_both_languages() {
    let (r, n) = (ReplicaId::new(), NetworkId::new());
    let errors = [
        BundleError::NotABundle,
        BundleError::Truncated {
            expected: 200,
            found: 100,
        },
        BundleError::NewerFormat {
            found: 2,
            supported: 1,
        },
        BundleError::BadHeader(HeaderFault::Checksum),
        BundleError::BadHeader(HeaderFault::Version),
        BundleError::BadHeader(HeaderFault::Range),
        BundleError::BadHeader(HeaderFault::TrailingBytes),
        BundleError::WrongNetwork {
            found: n,
            expected: NetworkId::new(),
        },
        BundleError::Damaged,
        BundleError::BadContent("x".into()),
        BundleError::Empty,
        BundleError::WrongOrigin {
            seq: 1,
            found: r,
            expected: ReplicaId::new(),
        },
        BundleError::NotContiguous {
            expected: 2,
            found: 3,
        },
        BundleError::TooLarge,
        BundleError::Encode("x".into()),
        BundleError::Kdf("x".into()),
    ];
    for e in errors {
        let (zh, en) = (e.localized(Lang::ZhCn), e.localized(Lang::En));
        assert_eq!(en, e.to_string());
        assert!(!zh.is_empty() && zh != en, "{en}");
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fa5}').contains(&c)),
            "{zh}"
        );
    }
}

// --- size -------------------------------------------------------------------

/// A UUIDv7 made at `ms`, as the store makes them.
fn v7(rng: &mut impl rand::RngCore, ms: u64) -> Uuid {
    let mut random = [0u8; 10];
    rng.fill_bytes(&mut random);
    uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid()
}

/// 1,000 visit operations as a station makes them over a few days:
/// check-ins of registered workers (a pool of 300 registered over the past
/// year), anonymous tallies, and leavings marked later, minutes apart.
fn visit_ops(origin: ReplicaId) -> Vec<LoggedOp> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut t = 1_780_000_000_000u64;
    let station = v7(&mut rng, t - 400 * 86_400_000).to_string();
    let people: Vec<String> = (0..300)
        .map(|_| {
            let ms = t - rng.random_range(0..365 * 86_400_000);
            v7(&mut rng, ms).to_string()
        })
        .collect();
    let staff: Vec<StaffId> = (0..3)
        .map(|_| StaffId(v7(&mut rng, t - 500 * 86_400_000)))
        .collect();
    let trades = [
        "courier",
        "food_delivery",
        "ride_hail",
        "sanitation",
        "construction",
    ];
    let mut open: Vec<Uuid> = Vec::new();
    let mut ops = Vec::new();
    for seq in 1..=1000 {
        t += rng.random_range(20_000..600_000);
        let actor = Some(staff[rng.random_range(0..staff.len())]);
        let leave = !open.is_empty() && rng.random_bool(0.4);
        let (id, kind, fields) = if leave {
            let id = open.swap_remove(rng.random_range(0..open.len()));
            (id, OP_UPDATE, json!({"left_at": t}))
        } else {
            let id = v7(&mut rng, t);
            let named = rng.random_bool(0.7);
            open.push(id);
            let person = if named {
                Value::from(people[rng.random_range(0..people.len())].clone())
            } else {
                Value::Null
            };
            let f = json!({
                "station_id": station,
                "person_id": person,
                "headcount": if named { 1 } else { rng.random_range(1..5) },
                "trade": trades[rng.random_range(0..trades.len())],
                "services": rng.random_range(1..64),
                "arrived_at": t,
                "left_at": Value::Null,
            });
            (id, OP_CREATE, f)
        };
        ops.push(LoggedOp {
            origin,
            seq,
            hlc: Hlc::from_millis(t).unwrap(),
            actor,
            entity: Entity::Visit,
            id,
            kind,
            fields: match fields {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            after: Vec::new(),
        });
    }
    ops
}

fn report(what: &str, ops: &[LoggedOp]) -> f64 {
    let network = NetworkId::new();
    let k = key("pass", network);
    let origin = ops[0].origin;
    let bytes = write_bundle(&k, network, origin, ops).unwrap();
    let json: usize = ops
        .iter()
        .map(|o| serde_json::to_vec(&o.fields).unwrap().len())
        .sum();
    let per_op = bytes.len() as f64 / ops.len() as f64;
    println!(
        "{what}: {} ops, bundle {} bytes = {per_op:.1} bytes/op (their fields as JSON alone: {:.1} bytes/op)",
        ops.len(),
        bytes.len(),
        json as f64 / ops.len() as f64,
    );
    assert_eq!(read_bundle(&k, network, &bytes).unwrap().1, ops);
    per_op
}

/// Run with `--nocapture` to see the figures.
#[test]
fn bytes_per_visit_operation() {
    let per_op = report("synthetic visit ops", &visit_ops(ReplicaId::new()));
    assert!(per_op < 100.0, "{per_op} bytes per visit operation");

    // The same through the store's real write path (demo data: a year of
    // visits written in one go, so clocks are close together).
    let mut store = Store::open_in_memory().unwrap();
    let spec = DemoSpec {
        code: "FT".into(),
        name: None,
        people: 300,
        visits: 1000,
        cases: 0,
        seed: 1,
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
    };
    demo::generate(&mut store, &spec, &mut |_, _, _| {}).unwrap();
    let all = store.ops_range(store.replica_id(), 1, i64::MAX).unwrap();
    let (Some(a), Some(b)) = (
        all.iter().position(|o| o.entity == Entity::Visit),
        all.iter().rposition(|o| o.entity == Entity::Visit),
    ) else {
        panic!("demo made no visits")
    };
    report("demo visit ops", &all[a..=b]);
    report("all demo ops", &all);
}

// --- key derivation -----------------------------------------------------------

/// The production cost, once per sync. Run with `--nocapture` to see it.
#[test]
fn production_key_derivation_time() {
    let network = NetworkId::new();
    let start = std::time::Instant::now();
    let k = NetworkKey::derive("东城区工会 2026", network).unwrap();
    let took = start.elapsed();
    println!("Argon2id key derivation with production parameters: {took:.2?}");
    let again = NetworkKey::derive(" 东城区工会 2026\n", network).unwrap();
    assert_eq!(k.fingerprint(), again.fingerprint());
    let (_, _, origin, ops, _) = small();
    let bytes = write_bundle(&k, network, origin, &ops).unwrap();
    assert_eq!(read_bundle(&again, network, &bytes).unwrap().1, ops);
}
