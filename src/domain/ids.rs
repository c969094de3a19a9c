//! Record identifiers: UUIDv7, so that new keys arrive in time order and keep
//! B-tree inserts local.

use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// The raw 16 bytes, as stored.
            pub fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }
            /// Reads an identifier from its stored bytes.
            pub fn from_slice(b: &[u8]) -> Option<Self> {
                Uuid::from_slice(b).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    )*};
}

id_type!(
    /// A station; equal to the replica id of the database that created it.
    StationId,
    /// A replica: one database that takes part in sync.
    ReplicaId,
    /// A sync network: the stations that exchange bundles under one
    /// passphrase. Created by the first sync into an empty folder.
    NetworkId,
    /// A worker who visited or asked for help.
    PersonId,
    /// One visit, named or an anonymous tally.
    VisitId,
    /// A case (求助/案件).
    CaseId,
    /// A note in a case timeline.
    NoteId,
    /// The membership of one person in one case.
    ClaimantId,
    /// A staff member or volunteer.
    StaffId,
    /// A counsellor or volunteer lawyer.
    CounsellorId,
    /// A recurring availability rule of a counsellor.
    RuleId,
    /// An exception to a counsellor's availability.
    ExceptionId,
    /// A booked counselling or legal session.
    AppointmentId,
    /// A worker waiting for a session in a week that is full.
    WaitlistId,
    /// One entry of the audit log.
    AuditId,
    /// A referral, escalation or hand-over of a case.
    HandoffId,
    /// An employer or other party claims are made against.
    RespondentId,
);

/// The first bytes of a carrier's replica id: a replica id that never
/// writes edits of its own, under which a database keeps the operations of
/// a replica whose history forked in two (a cloned disk: `store/split.rs`).
const CARRIER_TAG: [u8; 6] = *b"wscarr";

impl ReplicaId {
    /// A new carrier id: random, tagged, a UUID of version 8.
    pub fn new_carrier() -> ReplicaId {
        let mut b: [u8; 16] = rand::random();
        b[..CARRIER_TAG.len()].copy_from_slice(&CARRIER_TAG);
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        ReplicaId(Uuid::from_bytes(b))
    }

    /// Whether this is a carrier's id ([`ReplicaId::new_carrier`]): its
    /// operations are copies, in no order of their own.
    pub fn is_carrier(&self) -> bool {
        self.0.get_version_num() == 8 && self.0.as_bytes()[..CARRIER_TAG.len()] == CARRIER_TAG
    }
}

impl ClaimantId {
    /// The membership id of `person` in `case` is derived from both, so two
    /// stations adding the same claimant offline create one record, not two.
    pub fn of(case: CaseId, person: PersonId) -> ClaimantId {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(case.as_bytes());
        bytes[16..].copy_from_slice(person.as_bytes());
        ClaimantId(Uuid::new_v5(&CLAIMANT_NAMESPACE, &bytes))
    }
}

impl RespondentId {
    /// A respondent's id is derived from its name as compared (spaces,
    /// brackets and letter case set aside), so two stations registering
    /// the same employer apart create one record, not two.
    pub fn of_name(key: &str) -> RespondentId {
        RespondentId(Uuid::new_v5(&RESPONDENT_NAMESPACE, key.as_bytes()))
    }
}

const RESPONDENT_NAMESPACE: Uuid = Uuid::from_u128(0x5761_7973_7461_7469_6f6e_2d72_6573_7064);

const CLAIMANT_NAMESPACE: Uuid = Uuid::from_u128(0x5761_7973_7461_7469_6f6e_2d63_6c61_696d);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered() {
        let a = PersonId::new();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = PersonId::new();
        assert!(a < b);
        assert_eq!(a.0.get_version_num(), 7);
    }

    #[test]
    fn claimant_id_is_derived() {
        let c = CaseId::new();
        let p = PersonId::new();
        assert_eq!(ClaimantId::of(c, p), ClaimantId::of(c, p));
        assert_ne!(ClaimantId::of(c, p), ClaimantId::of(c, PersonId::new()));
    }

    #[test]
    fn bytes_round_trip() {
        let a = CaseId::new();
        assert_eq!(CaseId::from_slice(a.as_bytes()), Some(a));
        assert_eq!(CaseId::from_slice(&[1, 2, 3]), None);
    }
}
