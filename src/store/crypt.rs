//! Encryption at rest. A station's database is encrypted by SQLCipher
//! (every page, the write-ahead log and temporary files included) with a
//! 256-bit data key. The data key is derived from a random 128-bit
//! secret; the secret is kept in the key file beside the database
//! (`station.db.key`), wrapped by the station passphrase (Argon2id, then
//! XChaCha20-Poly1305), and is itself the recovery key, printed once at
//! set-up for the district to keep: with it a forgotten passphrase is
//! replaced, and a lost key file is made again.
//!
//! Keys and passphrases live in [`Zeroizing`] buffers: their memory is
//! overwritten with zeros when they are dropped.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use super::signin::{hex, unhex};
use crate::i18n::{Lang, Localized};
use crate::t;

/// The fewest characters a station passphrase may have: it guards every
/// record of the file against whoever copies it, offline, for ever.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Argon2id cost of the key file: memory in KiB, passes. About 0.3 s on a
/// cheap laptop: once per start of the console, the kiosk or a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Cost {
    pub const PRODUCTION: Cost = Cost {
        memory_kib: 64 * 1024,
        passes: 3,
    };
    /// The cheapest Argon2 accepts, for tests only.
    pub const FAST_INSECURE: Cost = Cost {
        memory_kib: 8,
        passes: 1,
    };
}

/// Context of the data key (BLAKE3 key derivation from the secret).
const DATA_KEY_CONTEXT: &str = "waystation 2026 database data key v1";
/// Associated data of the wrapped secret: the file's format.
const KEY_FILE_AD: &[u8] = b"waystation/key-file/v1";
/// The first bytes of every clear SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The 128-bit secret a database's key comes from; also its recovery key.
#[derive(Clone)]
pub struct Secret(Zeroizing<[u8; 16]>);

/// The key SQLCipher encrypts the pages with.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A new random secret.
    pub fn random() -> Secret {
        let mut bytes = Zeroizing::new([0u8; 16]);
        rand::rng().fill_bytes(bytes.as_mut());
        Secret(bytes)
    }

    /// The data key of this secret.
    pub fn data_key(&self) -> DataKey {
        DataKey(Zeroizing::new(blake3::derive_key(
            DATA_KEY_CONTEXT,
            self.0.as_ref(),
        )))
    }

    /// The recovery key as printed: 26 characters of Crockford's base32
    /// and 2 of check, in 7 groups of 4 (`K7QD-…`).
    pub fn recovery_key(&self) -> Zeroizing<String> {
        let mut chars = Zeroizing::new(base32(self.0.as_ref()));
        let check = blake3::hash(self.0.as_ref());
        chars.push_str(&base32(&check.as_bytes()[..2])[..2]);
        let groups: Vec<&str> = chars
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        Zeroizing::new(groups.join("-"))
    }

    /// Reads a recovery key as typed: case, spaces and dashes do not
    /// matter, and O, I, L read as 0, 1, 1 (Crockford).
    pub fn from_recovery_key(typed: &str) -> Result<Secret, CryptError> {
        let chars: Zeroizing<String> = Zeroizing::new(
            typed
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| match c.to_ascii_uppercase() {
                    'O' => '0',
                    'I' | 'L' => '1',
                    c => c,
                })
                .collect(),
        );
        if chars.len() != 28 {
            return Err(CryptError::BadRecoveryKey);
        }
        let bits = unbase32(&chars[..26]).ok_or(CryptError::BadRecoveryKey)?;
        let mut bytes = Zeroizing::new([0u8; 16]);
        bytes.copy_from_slice(bits.get(..16).ok_or(CryptError::BadRecoveryKey)?);
        let secret = Secret(bytes);
        let check = blake3::hash(secret.0.as_ref());
        if base32(&check.as_bytes()[..2])[..2] != chars[26..] {
            return Err(CryptError::BadRecoveryKey);
        }
        Ok(secret)
    }
}

impl DataKey {
    /// The key as SQLCipher's `PRAGMA key` takes a raw key: `x'…'`.
    pub(crate) fn pragma(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\'');
        s
    }
}

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

fn unbase32(s: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::new());
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// What can go wrong with a database's key.
#[derive(Debug, thiserror::Error)]
pub enum CryptError {
    #[error("the station passphrase is wrong")]
    WrongPassphrase,
    #[error(
        "the station passphrase is too short: at least {MIN_PASSPHRASE_CHARS} characters, a few words rather than a PIN"
    )]
    ShortPassphrase,
    #[error("the two passphrases typed are not the same")]
    Mismatch,
    #[error(
        "this is not a recovery key (28 letters and digits in groups of 4, as printed at set-up)"
    )]
    BadRecoveryKey,
    #[error("this recovery key is not the one of this database")]
    WrongRecoveryKey,
    #[error(
        "{0} is encrypted and its key file is missing: put the key file back beside it, or make a new one with the recovery key: waystation passphrase --recover"
    )]
    NoKeyFile(PathBuf),
    #[error(
        "the key file {0} is damaged or not a key file: put back a copy, or make a new one with the recovery key: waystation passphrase --recover"
    )]
    BadKeyFile(PathBuf),
    #[error("{0} is already encrypted")]
    AlreadyEncrypted(PathBuf),
    #[error("cannot read or write {path}: {why}")]
    Io { path: PathBuf, why: String },
    #[error("the key cannot be derived: {0}")]
    Kdf(String),
}

impl Localized for CryptError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            CryptError::WrongPassphrase => t!(lang, "errors.crypt.wrong_passphrase").to_owned(),
            CryptError::ShortPassphrase => {
                t!(
                    lang,
                    "errors.crypt.short_passphrase",
                    min = MIN_PASSPHRASE_CHARS
                )
            }
            CryptError::Mismatch => t!(lang, "errors.crypt.mismatch").to_owned(),
            CryptError::BadRecoveryKey => t!(lang, "errors.crypt.bad_recovery_key").to_owned(),
            CryptError::WrongRecoveryKey => t!(lang, "errors.crypt.wrong_recovery_key").to_owned(),
            CryptError::NoKeyFile(p) => t!(lang, "errors.crypt.no_key_file", path = p.display()),
            CryptError::BadKeyFile(p) => t!(lang, "errors.crypt.bad_key_file", path = p.display()),
            CryptError::AlreadyEncrypted(p) => {
                t!(lang, "errors.crypt.already_encrypted", path = p.display())
            }
            CryptError::Io { path, why } => {
                t!(lang, "errors.crypt.io", path = path.display(), why = why)
            }
            CryptError::Kdf(why) => t!(lang, "errors.crypt.kdf", why = why),
        }
    }
}

/// A passphrase good enough to guard a station's file.
pub fn check_passphrase(passphrase: &str) -> Result<(), CryptError> {
    let p = passphrase.trim();
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(CryptError::ShortPassphrase);
    }
    Ok(())
}

/// The key file of the database at `db`: its name with `.key` added.
pub fn key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// Whether the file at `db` looks like an encrypted database: whole pages
/// (SQLCipher's are 4,096 bytes), not beginning as a clear SQLite file
/// does. (A text file or other damage is rarely whole pages.)
pub fn is_encrypted(db: &Path) -> bool {
    let mut head = [0u8; 16];
    let Ok(mut f) = std::fs::File::open(db) else {
        return false;
    };
    let whole_pages = f
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() >= 4096 && m.len() % 4096 == 0);
    whole_pages && f.read_exact(&mut head).is_ok() && &head != SQLITE_HEADER
}

/// The key file: the secret wrapped by the passphrase.
#[derive(Debug, Serialize, Deserialize)]
struct KeyFile {
    format: String,
    kdf: String,
    cost: Cost,
    salt: String,
    nonce: String,
    wrapped: String,
    /// Which database it is for (the first 16 bytes of the data key's
    /// hash): a key file of another station is named as such.
    key_id: String,
}

const FORMAT: &str = "waystation-key-1";

fn wrapping_key(
    passphrase: &str,
    salt: &[u8],
    cost: Cost,
) -> Result<Zeroizing<[u8; 32]>, CryptError> {
    let bad = |e: argon2::Error| CryptError::Kdf(e.to_string());
    let p = Params::new(cost.memory_kib, cost.passes, 1, Some(32)).map_err(bad)?;
    let normalized: Zeroizing<String> = Zeroizing::new(passphrase.trim().nfc().collect());
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(normalized.as_bytes(), salt, key.as_mut())
        .map_err(bad)?;
    Ok(key)
}

fn key_id(key: &DataKey) -> String {
    hex(&blake3::hash(key.0.as_ref()).as_bytes()[..16])
}

fn io_error(path: &Path, e: &std::io::Error) -> CryptError {
    CryptError::Io {
        path: path.to_owned(),
        why: e.to_string(),
    }
}

/// Writes the key file of `db`: `secret` wrapped by `passphrase`, whole or
/// not at all (a temporary file, flushed, then renamed over the old one).
pub fn write_key_file(
    db: &Path,
    secret: &Secret,
    passphrase: &str,
    cost: Cost,
) -> Result<(), CryptError> {
    check_passphrase(passphrase)?;
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut salt);
    rand::rng().fill_bytes(&mut nonce);
    let wrap = wrapping_key(passphrase, &salt, cost)?;
    let cipher = XChaCha20Poly1305::new(&Key::from(*wrap));
    let wrapped = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: secret.0.as_ref(),
                aad: KEY_FILE_AD,
            },
        )
        .map_err(|_| CryptError::Kdf("encryption failed".into()))?;
    let file = KeyFile {
        format: FORMAT.into(),
        kdf: "argon2id".into(),
        cost,
        salt: hex(&salt),
        nonce: hex(&nonce),
        wrapped: hex(&wrapped),
        key_id: key_id(&secret.data_key()),
    };
    let text = serde_json::to_string_pretty(&file).map_err(|e| CryptError::Kdf(e.to_string()))?;
    let path = key_path(db);
    let tmp = {
        let mut n = path.as_os_str().to_owned();
        n.push(format!(".{}.tmp", std::process::id()));
        PathBuf::from(n)
    };
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // The owner and the station's group (the staff's console and the
        // kiosk's account share the database), nobody else.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o640);
        let mut f = options.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(|e| io_error(&path, &e))
}

fn read_key_file(db: &Path) -> Result<KeyFile, CryptError> {
    let path = key_path(db);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CryptError::NoKeyFile(db.to_owned()));
        }
        Err(e) => return Err(io_error(&path, &e)),
    };
    let file: KeyFile =
        serde_json::from_str(&text).map_err(|_| CryptError::BadKeyFile(path.clone()))?;
    if file.format != FORMAT || file.kdf != "argon2id" {
        return Err(CryptError::BadKeyFile(path));
    }
    Ok(file)
}

/// The secret of `db`, unwrapped from its key file with `passphrase`.
pub fn unlock(db: &Path, passphrase: &str) -> Result<Secret, CryptError> {
    let file = read_key_file(db)?;
    let bad = || CryptError::BadKeyFile(key_path(db));
    let salt = unhex(&file.salt).ok_or_else(bad)?;
    let nonce: [u8; 24] = unhex(&file.nonce)
        .and_then(|n| n.try_into().ok())
        .ok_or_else(bad)?;
    let wrapped = unhex(&file.wrapped).ok_or_else(bad)?;
    // A cost far above what this program writes is a damaged (or hostile)
    // file, not a reason to take all the memory there is.
    if file.cost.memory_kib > 4 * 1024 * 1024 || file.cost.passes > 64 {
        return Err(bad());
    }
    let wrap = wrapping_key(passphrase, &salt, file.cost)?;
    let cipher = XChaCha20Poly1305::new(&Key::from(*wrap));
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &wrapped,
                    aad: KEY_FILE_AD,
                },
            )
            .map_err(|_| CryptError::WrongPassphrase)?,
    );
    let mut bytes = Zeroizing::new([0u8; 16]);
    if plain.len() != 16 {
        return Err(bad());
    }
    bytes.copy_from_slice(&plain);
    Ok(Secret(bytes))
}

/// Whether `secret` is the one of the key file of `db` (when there is a
/// key file: without one, nothing says otherwise).
pub fn belongs(db: &Path, secret: &Secret) -> Result<bool, CryptError> {
    match read_key_file(db) {
        Ok(file) => Ok(file.key_id == key_id(&secret.data_key())),
        Err(CryptError::NoKeyFile(_)) => Ok(true),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_keys_read_back_and_catch_typos() {
        for _ in 0..200 {
            let s = Secret::random();
            let printed = s.recovery_key();
            assert_eq!(printed.len(), 7 * 4 + 6, "{}", printed.as_str());
            let back = Secret::from_recovery_key(&printed).unwrap();
            assert_eq!(back.0.as_ref(), s.0.as_ref());
            let lower = printed.to_lowercase().replace('-', " ");
            assert_eq!(
                Secret::from_recovery_key(&lower).unwrap().0.as_ref(),
                s.0.as_ref()
            );
        }
        let s = Secret::random();
        let printed = s.recovery_key().to_string();
        // One character changed: the check catches it (all but 1 in 1024).
        let mut caught = 0;
        for i in (0..printed.len()).filter(|i| !printed[*i..].starts_with('-')) {
            let c = printed.as_bytes()[i];
            let other = if c == b'Z' { 'Y' } else { 'Z' };
            let typo = format!("{}{other}{}", &printed[..i], &printed[i + 1..]);
            if Secret::from_recovery_key(&typo).is_err() {
                caught += 1;
            }
        }
        assert!(caught >= 26, "{caught}");
        assert!(Secret::from_recovery_key("ABCD").is_err());
    }

    #[test]
    fn the_key_file_opens_with_its_passphrase_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        let s = Secret::random();
        assert!(matches!(
            write_key_file(&db, &s, "short", Cost::FAST_INSECURE),
            Err(CryptError::ShortPassphrase)
        ));
        write_key_file(&db, &s, "  一街一月两次 corner  ", Cost::FAST_INSECURE).unwrap();
        let back = unlock(&db, "一街一月两次 corner").unwrap();
        assert_eq!(back.data_key().0.as_ref(), s.data_key().0.as_ref());
        assert!(matches!(
            unlock(&db, "一街一月两次 Corner"),
            Err(CryptError::WrongPassphrase)
        ));
        assert!(belongs(&db, &s).unwrap());
        assert!(!belongs(&db, &Secret::random()).unwrap());
        let text = std::fs::read_to_string(key_path(&db)).unwrap();
        assert!(
            !text.contains(&hex(s.0.as_ref())),
            "the secret is not in the file"
        );
        std::fs::write(key_path(&db), "{}").unwrap();
        assert!(matches!(
            unlock(&db, "一街一月两次 corner"),
            Err(CryptError::BadKeyFile(_))
        ));
        std::fs::remove_file(key_path(&db)).unwrap();
        assert!(matches!(
            unlock(&db, "一街一月两次 corner"),
            Err(CryptError::NoKeyFile(_))
        ));
    }
}
