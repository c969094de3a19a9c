//! `waystation encrypt` (a clear database encrypted in place) and
//! `waystation passphrase` (a new station passphrase, or a forgotten one
//! replaced with the recovery key).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use zeroize::Zeroizing;

use super::explain;
use super::prompt::read_secret;
use super::unlock::{self, beside, locked};
use crate::i18n::Lang;
use crate::store::backup::verify_copy;
use crate::store::crypt::{self, CryptError, Secret};
use crate::store::{Store, StoreError};
use crate::t;

/// The recovery key, for scripts (`passphrase --recover`).
pub const RECOVERY_ENV: &str = "WAYSTATION_RECOVERY_KEY";

/// Options of `waystation passphrase`.
#[derive(Debug, clap::Args)]
pub struct PassphraseArgs {
    /// Set a new passphrase with the recovery key printed at set-up
    /// (typed, or WAYSTATION_RECOVERY_KEY) instead of the current
    /// passphrase; also makes the key file again when it was lost.
    #[arg(long)]
    pub recover: bool,
}

/// Overwrites a file with zeros, flushes, then removes it (best effort: a
/// flash disk may keep the old blocks elsewhere; see docs/security.md).
fn shred(path: &Path) {
    use std::io::Write;
    if let Ok(len) = std::fs::metadata(path).map(|m| m.len())
        && let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path)
    {
        let zeros = vec![0u8; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            if f.write_all(&zeros[..n]).is_err() {
                break;
            }
            left -= n as u64;
        }
        let _ = f.sync_all();
    }
    let _ = std::fs::remove_file(path);
}

/// Encrypts the clear database at `path` in place.
pub(super) fn encrypt(path: &Path, lang: Lang) -> Result<ExitCode> {
    if !path.exists() {
        return Err(explain(StoreError::NoDatabase(path.to_owned()), lang));
    }
    if locked(path) {
        return Err(explain(CryptError::AlreadyEncrypted(path.to_owned()), lang));
    }
    let store = Store::open_existing(path).map_err(|e| explain(e, lang))?;
    store.require_station().map_err(|e| explain(e, lang))?;
    // Everything in the file itself, and nobody else writing: a console
    // or a kiosk left open would go on writing to the clear file.
    if !store.alone().map_err(|e| explain(e, lang))? {
        return Err(anyhow!(t!(lang, "cli.encrypt.in_use")));
    }
    let passphrase = unlock::new_passphrase(lang)?;
    let secret = Secret::random();
    let key = secret.data_key();
    let part = beside(path, &format!(".encrypting-{}", std::process::id()));
    let fail = |e: StoreError, part: &Path| {
        let _ = std::fs::remove_file(part);
        explain(e, lang)
    };
    eprintln!("{}", t!(lang, "cli.encrypt.working"));
    let before = store.contents().map_err(|e| explain(e, lang))?;
    store
        .export_encrypted(&part, &key)
        .map_err(|e| fail(e, &part))?;
    let after = verify_copy(&part, Some(&key), true).map_err(|e| fail(e, &part))?;
    if after != before {
        let _ = std::fs::remove_file(&part);
        return Err(anyhow!(t!(lang, "cli.encrypt.differs")));
    }
    drop(store);
    // The clear file is kept under another name until the encrypted one
    // is in place and opens as the station's database.
    let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S");
    let kept = beside(path, &format!(".clear-{stamp}"));
    std::fs::rename(path, &kept).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        anyhow!(t!(lang, "cli.encrypt.io", path = path.display(), why = e))
    })?;
    let put_back = |why: String| {
        let _ = std::fs::rename(&kept, path);
        let _ = std::fs::remove_file(&part);
        let _ = std::fs::remove_file(crypt::key_path(path));
        anyhow!(t!(lang, "cli.encrypt.undone", why = why))
    };
    if let Err(e) = crypt::write_key_file(path, &secret, &passphrase, crypt::Cost::PRODUCTION) {
        return Err(put_back(explain(e, lang).to_string()));
    }
    if let Err(e) = std::fs::rename(&part, path) {
        return Err(put_back(e.to_string()));
    }
    let proven = Store::open_existing_with(path, Some(&key)).and_then(|s| s.contents());
    match proven {
        Ok(c) if c.digest == before.digest => {}
        Ok(_) => return Err(put_back(t!(lang, "cli.encrypt.differs").to_owned())),
        Err(e) => return Err(put_back(explain(e, lang).to_string())),
    }
    // Proven: the clear copy and what SQLite left beside it go.
    for p in [beside(&kept, "-wal"), beside(&kept, "-shm")] {
        shred(&p);
    }
    shred(&kept);
    println!("{}", t!(lang, "cli.encrypt.done", path = path.display()));
    unlock::show_recovery_key(&secret, path, lang);
    Ok(ExitCode::SUCCESS)
}

/// A recovery key: from WAYSTATION_RECOVERY_KEY, or typed.
fn recovery_key(lang: Lang) -> Result<Secret> {
    let typed = match std::env::var(RECOVERY_ENV) {
        Ok(v) => Zeroizing::new(v),
        Err(_) if std::io::stdin().is_terminal() => Zeroizing::new(read_secret(
            t!(lang, "cli.passphrase.recovery_prompt"),
            t!(lang, "cli.unlock.cancelled"),
        )?),
        Err(_) => {
            return Err(anyhow!(t!(
                lang,
                "cli.passphrase.needs_recovery",
                env = RECOVERY_ENV
            )));
        }
    };
    Secret::from_recovery_key(&typed).map_err(|e| explain(e, lang))
}

/// Sets a new station passphrase.
pub(super) fn passphrase(
    path: &Path,
    args: super::secure::PassphraseArgs,
    lang: Lang,
) -> Result<ExitCode> {
    if !path.exists() {
        return Err(explain(StoreError::NoDatabase(path.to_owned()), lang));
    }
    if !locked(path) {
        return Err(anyhow!(t!(
            lang,
            "cli.passphrase.clear",
            path = path.display()
        )));
    }
    let secret = if args.recover {
        let secret = recovery_key(lang)?;
        // The key must open this database: a recovery key of another
        // station would make a key file that opens nothing.
        match Store::open_existing_with(path, Some(&secret.data_key())) {
            Ok(_) => {}
            Err(StoreError::WrongKey(_)) => {
                return Err(explain(CryptError::WrongRecoveryKey, lang));
            }
            Err(e) => return Err(explain(e, lang)),
        }
        secret
    } else {
        unlock::unlock(path, lang)?
    };
    let new = unlock::new_passphrase(lang)?;
    crypt::write_key_file(path, &secret, &new, crypt::Cost::PRODUCTION)
        .map_err(|e| explain(e, lang))?;
    println!(
        "{}",
        t!(
            lang,
            "cli.passphrase.done",
            key = crypt::key_path(path).display()
        )
    );
    Ok(ExitCode::SUCCESS)
}
