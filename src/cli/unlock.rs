//! Opening a database: an encrypted one after its station passphrase,
//! typed at the terminal (the console and the kiosk in the morning) or
//! given by a script in WAYSTATION_PASSPHRASE; and the passphrase of a new
//! key (`init`, `encrypt`, `passphrase`), typed twice.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Result, anyhow};
use zeroize::Zeroizing;

use super::explain;
use super::prompt::read_secret;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::crypt::{self, CryptError, Secret};
use crate::t;

/// The station passphrase, for scripts (a backup from cron); staff type it.
pub const PASSPHRASE_ENV: &str = "WAYSTATION_PASSPHRASE";
/// A new station passphrase, for scripts (`init`, `encrypt`, `passphrase`).
pub const NEW_PASSPHRASE_ENV: &str = "WAYSTATION_NEW_PASSPHRASE";
/// Tries at the terminal before giving up.
const TRIES: u32 = 3;

/// Whether the database at `path` needs its passphrase to open.
pub fn locked(path: &Path) -> bool {
    crypt::key_path(path).exists() || crypt::is_encrypted(path)
}

/// Opens the database at `path` (which must exist unless `creates`),
/// asking for its passphrase when it is encrypted.
pub fn open(path: &Path, creates: bool, lang: Lang) -> Result<Store> {
    if !locked(path) {
        let opened = if creates {
            Store::open(path)
        } else {
            Store::open_existing(path)
        };
        return opened.map_err(|e| explain(e, lang));
    }
    if !path.exists() {
        return Err(explain(
            crate::store::StoreError::NoDatabase(path.to_owned()),
            lang,
        ));
    }
    let secret = unlock(path, lang)?;
    Store::open_existing_with(path, Some(&secret.data_key())).map_err(|e| explain(e, lang))
}

/// The secret of the encrypted database at `path`, from its passphrase.
pub fn unlock(path: &Path, lang: Lang) -> Result<Secret> {
    if let Ok(given) = std::env::var(PASSPHRASE_ENV) {
        let given = Zeroizing::new(given);
        return crypt::unlock(path, &given).map_err(|e| explain(e, lang));
    }
    if !std::io::stdin().is_terminal() {
        // Without a terminal to ask at, say how to give it (or that the
        // key file it would open is missing).
        if !crypt::key_path(path).exists() {
            return Err(explain(CryptError::NoKeyFile(path.to_owned()), lang));
        }
        return Err(anyhow!(t!(
            lang,
            "cli.unlock.needs_passphrase",
            path = path.display(),
            env = PASSPHRASE_ENV
        )));
    }
    let mut tries = 0;
    loop {
        let typed = Zeroizing::new(read_secret(
            &t!(lang, "cli.unlock.prompt", path = path.display()),
            t!(lang, "cli.unlock.cancelled"),
        )?);
        match crypt::unlock(path, &typed) {
            Ok(secret) => return Ok(secret),
            Err(CryptError::WrongPassphrase) if tries + 1 < TRIES => {
                tries += 1;
                eprintln!("{}", t!(lang, "cli.unlock.wrong"));
            }
            Err(e) => return Err(explain(e, lang)),
        }
    }
}

/// A new station passphrase: from WAYSTATION_NEW_PASSPHRASE, or typed
/// twice at the terminal (again while it is too short or the two differ).
pub fn new_passphrase(lang: Lang) -> Result<Zeroizing<String>> {
    if let Ok(given) = std::env::var(NEW_PASSPHRASE_ENV) {
        let given = Zeroizing::new(given.trim().to_owned());
        crypt::check_passphrase(&given).map_err(|e| explain(e, lang))?;
        return Ok(given);
    }
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!(t!(
            lang,
            "cli.unlock.needs_new_passphrase",
            env = NEW_PASSPHRASE_ENV
        )));
    }
    eprintln!(
        "{}",
        t!(lang, "cli.unlock.choose", min = crypt::MIN_PASSPHRASE_CHARS)
    );
    loop {
        let first = Zeroizing::new(read_secret(
            t!(lang, "cli.unlock.new_prompt"),
            t!(lang, "cli.unlock.cancelled"),
        )?);
        if let Err(e) = crypt::check_passphrase(&first) {
            eprintln!("{}", explain(e, lang));
            continue;
        }
        let second = Zeroizing::new(read_secret(
            t!(lang, "cli.unlock.again_prompt"),
            t!(lang, "cli.unlock.cancelled"),
        )?);
        if *first == *second {
            return Ok(first);
        }
        eprintln!("{}", explain(CryptError::Mismatch, lang));
    }
}

/// Prints the recovery key of a new key, once, with what it is for.
pub fn show_recovery_key(secret: &Secret, db: &Path, lang: Lang) {
    println!();
    println!("{}", t!(lang, "cli.unlock.recovery_title"));
    println!();
    println!("    {}", secret.recovery_key().as_str());
    println!();
    println!(
        "{}",
        t!(
            lang,
            "cli.unlock.recovery_note",
            key = crypt::key_path(db).display()
        )
    );
}

/// `path` with `suffix` added to its name (`station.db` → `station.db-wal`):
/// the files SQLite and these commands keep beside a database.
pub fn beside(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}
