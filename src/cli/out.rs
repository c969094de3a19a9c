//! Where a command's file goes (`--out`): `-` is standard output for every
//! command that writes one; otherwise only a regular file is written or
//! replaced, whole or not at all, and never a device, a pipe, a folder or
//! what a symbolic link points to.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::anyhow;

use crate::i18n::Lang;
use crate::t;

/// Where the output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// `-`: standard output.
    Stdout,
    /// A file (it may not exist yet).
    File(PathBuf),
}

impl Out {
    /// `--out` as given: `-` is standard output.
    pub fn of(given: &Path) -> Out {
        if given.as_os_str() == "-" {
            Out::Stdout
        } else {
            Out::File(given.to_owned())
        }
    }
}

/// What is at a path given to write to, if it is not something a command
/// may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Link,
    Folder,
    Special,
}

/// Whether `path` may be written (created, or replaced as a regular file).
/// A symbolic link is refused rather than replaced or followed: the file it
/// names is for its owner to give.
pub fn may_write(path: &Path) -> Result<(), Refused> {
    match std::fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(m) if m.file_type().is_symlink() => Err(Refused::Link),
        Ok(m) if m.is_dir() => Err(Refused::Folder),
        Ok(m) if m.is_file() => Ok(()),
        // A character or block device, a named pipe, a socket.
        Ok(_) => Err(Refused::Special),
    }
}

/// The message for a path [`may_write`] refused.
pub fn refused(path: &Path, why: Refused, lang: Lang) -> anyhow::Error {
    let path = path.display();
    anyhow!(match why {
        Refused::Link => t!(lang, "cli.out.link", path = path),
        Refused::Folder => t!(lang, "cli.out.folder", path = path),
        Refused::Special => t!(lang, "cli.out.special", path = path),
    })
}

/// [`may_write`], as a message.
pub fn check(path: &Path, lang: Lang) -> anyhow::Result<()> {
    may_write(path).map_err(|why| refused(path, why, lang))
}

/// A failed write of `path` in words: a full disk says so.
pub fn cannot_write(path: &Path, e: &std::io::Error, lang: Lang) -> anyhow::Error {
    if crate::store::is_full(e) {
        return anyhow!(t!(lang, "cli.out.disk_full", path = path.display()));
    }
    anyhow!(t!(
        lang,
        "report.cannot_write",
        path = path.display(),
        why = e
    ))
}

/// Writes `bytes` as `path` whole or not at all: to a hidden temporary
/// file beside it, flushed to the device, then moved into place; the
/// temporary file is removed whatever happens. Without `replace`, an
/// existing `path` is left alone (`AlreadyExists`). A path that is not a
/// regular file is refused (`InvalidInput`): check it first with
/// [`may_write`] for the words.
pub fn write_whole(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    if may_write(path).is_err() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        if replace {
            return std::fs::rename(&tmp, path);
        }
        // A hard link never replaces a file; a file system without them
        // (a FAT stick) gets a check, then a rename.
        match std::fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists || path.exists() => {
                Err(Error::new(ErrorKind::AlreadyExists, e))
            }
            Err(_) => std::fs::rename(&tmp, path),
        }
    })();
    if std::fs::symlink_metadata(&tmp).is_ok() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to standard output.
pub fn to_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_may_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.csv");
        assert_eq!(may_write(&file), Ok(()), "a new file");
        std::fs::write(&file, "old").unwrap();
        assert_eq!(may_write(&file), Ok(()), "a file to replace");
        assert_eq!(may_write(dir.path()), Err(Refused::Folder));
        assert_eq!(may_write(Path::new("/dev/null")), Err(Refused::Special));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(may_write(&link), Err(Refused::Link));
            let e = write_whole(&link, b"new", true).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
            assert_eq!(std::fs::read(&file).unwrap(), b"old");
        }
        let msg = refused(Path::new("/dev/full"), Refused::Special, Lang::En).to_string();
        assert!(msg.contains("/dev/full"), "{msg}");
        assert_eq!(Out::of(Path::new("-")), Out::Stdout);
        assert_eq!(
            Out::of(Path::new("a.csv")),
            Out::File(PathBuf::from("a.csv"))
        );
    }

    #[test]
    fn a_full_disk_is_said_in_words() {
        let e = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let msg = cannot_write(Path::new("/media/stick/r.xlsx"), &e, Lang::En).to_string();
        assert!(msg.starts_with("the disk is full"), "{msg}");
        let msg = cannot_write(Path::new("r.xlsx"), &e, Lang::ZhCn).to_string();
        assert!(msg.starts_with("磁盘已满"), "{msg}");
    }
}
