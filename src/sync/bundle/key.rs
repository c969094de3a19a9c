//! The sync network and its key: every station of one district shares a
//! passphrase; Argon2id stretches it, salted with the network id, into the
//! key that encrypts and authenticates bundles.

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;

use super::BundleError;

pub use crate::domain::ids::NetworkId;

/// Argon2id cost: memory in KiB, passes, lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl KdfParams {
    /// What stations use: 64 MiB, 3 passes, 1 lane (about 0.15 s on a
    /// current desktop, under 0.5 s on a cheap laptop). Changing it changes
    /// every key: it is part of the format.
    pub const PRODUCTION: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        passes: 3,
        lanes: 1,
    };

    /// The cheapest Argon2 accepts, for tests only.
    pub const FAST_INSECURE: KdfParams = KdfParams {
        memory_kib: 8,
        passes: 1,
        lanes: 1,
    };
}

/// Salt prefix, so that the same passphrase and network id used by another
/// program never yield this key.
const SALT_PREFIX: &[u8] = b"waystation/sync/v1:";

/// Context of the key fingerprint (BLAKE3 key derivation).
const FINGERPRINT_CONTEXT: &str = "waystation 2026 sync network key fingerprint v1";

/// Context of the key that picks a bundle's nonce (BLAKE3 key derivation).
const NONCE_CONTEXT: &str = "waystation 2026 sync bundle nonce v1";

/// The key of one sync network. Deriving it is slow on purpose: derive once
/// per sync, then read and write every bundle with it.
#[derive(Clone, PartialEq, Eq)]
pub struct NetworkKey {
    bytes: [u8; 32],
}

impl NetworkKey {
    /// The key of `network` for `passphrase`, with [`KdfParams::PRODUCTION`].
    /// The passphrase is taken in Unicode NFC with surrounding whitespace
    /// removed, so the same words typed on another system give the same key.
    /// Fails only when the 64 MiB it needs cannot be had.
    pub fn derive(passphrase: &str, network: NetworkId) -> Result<NetworkKey, BundleError> {
        Self::derive_with_params(passphrase, network, KdfParams::PRODUCTION)
    }

    /// As [`NetworkKey::derive`] with other costs (tests use
    /// [`KdfParams::FAST_INSECURE`]).
    pub fn derive_with_params(
        passphrase: &str,
        network: NetworkId,
        params: KdfParams,
    ) -> Result<NetworkKey, BundleError> {
        let bad = |e: argon2::Error| BundleError::Kdf(e.to_string());
        let p =
            Params::new(params.memory_kib, params.passes, params.lanes, Some(32)).map_err(bad)?;
        let normalized: String = passphrase.trim().nfc().collect();
        let mut salt = Vec::with_capacity(SALT_PREFIX.len() + 16);
        salt.extend_from_slice(SALT_PREFIX);
        salt.extend_from_slice(network.as_bytes());
        let mut bytes = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
            .hash_password_into(normalized.as_bytes(), &salt, &mut bytes)
            .map_err(bad)?;
        Ok(NetworkKey { bytes })
    }

    /// A short public value that tells whether two keys are the same without
    /// revealing either: the folder can keep it next to the network id, so a
    /// mistyped passphrase is named as such before any bundle is tried.
    pub fn fingerprint(&self) -> [u8; 16] {
        let full = blake3::derive_key(FINGERPRINT_CONTEXT, &self.bytes);
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// The nonce of a bundle whose header (without nonce and checksum)
    /// begins with `head` and whose compressed payload is `plain`: a keyed
    /// hash of both (a synthetic nonce). The same operations written by
    /// any station give the same bytes, so several stations writing one
    /// range into a shared folder write one file, not several that a
    /// folder-syncing program would keep as conflicting copies; two
    /// different payloads never share a nonce (short of a BLAKE3
    /// collision over 192 bits).
    pub(super) fn nonce(&self, head: &[u8], plain: &[u8]) -> [u8; 24] {
        let sub = blake3::derive_key(NONCE_CONTEXT, &self.bytes);
        let mut h = blake3::Hasher::new_keyed(&sub);
        h.update(&(head.len() as u64).to_le_bytes());
        h.update(head);
        h.update(plain);
        let mut out = [0u8; 24];
        h.finalize_xof().fill(&mut out);
        out
    }

    pub(super) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }
}

impl fmt::Debug for NetworkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NetworkKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_params_are_valid() {
        let p = KdfParams::PRODUCTION;
        assert!(Params::new(p.memory_kib, p.passes, p.lanes, Some(32)).is_ok());
    }

    #[test]
    fn key_depends_on_passphrase_and_network() {
        let (n1, n2) = (NetworkId::new(), NetworkId::new());
        let k =
            |p: &str, n| NetworkKey::derive_with_params(p, n, KdfParams::FAST_INSECURE).unwrap();
        assert_eq!(k("东城区工会", n1), k("东城区工会", n1));
        assert_ne!(k("东城区工会", n1), k("东城区工会", n2));
        assert_ne!(k("东城区工会", n1), k("西城区工会", n1));
        assert_ne!(k("a", n1).fingerprint(), k("b", n1).fingerprint());
        // NFC and surrounding whitespace do not matter.
        assert_eq!(k("caf\u{e9}", n1), k(" cafe\u{301}\n", n1));
        assert_eq!(format!("{:?}", k("x", n1)), "NetworkKey(…)");
    }

    #[test]
    fn bad_params_are_refused() {
        let p = KdfParams {
            memory_kib: 1,
            passes: 0,
            lanes: 1,
        };
        assert!(matches!(
            NetworkKey::derive_with_params("x", NetworkId::new(), p),
            Err(BundleError::Kdf(_))
        ));
    }
}
