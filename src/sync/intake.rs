//! Reading one file of a sync folder, whatever is found under a bundle's
//! name: a file still being copied, cut short or damaged, one deleted
//! between the folder's listing and its reading, one that cannot be read,
//! a folder, a named pipe (FIFO), a device, or a link out of the folder.
//! None of them stops a sync or makes it wait: each is a [`Refusal`], and
//! the sync goes on with the other files.
//!
//! A file is judged by its header before its body is read, and read in
//! bounded memory: the header (102 bytes) first, then — only if the header
//! belongs to this network, matches the file's name and announces exactly
//! the file's size, at most [`MAX_SEALED`] — the payload, which is then
//! authenticated. Nothing a file says is believed before that.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::bundle::{
    BundleError, BundleHeader, HEADER_LEN, MAX_SEALED, NetworkId, NetworkKey, Opened, check_header,
    open_payload, read_header,
};
use crate::domain::ids::ReplicaId;
use crate::i18n::{Lang, Localized};
use crate::t;

/// Why a file of the folder was skipped. Nothing of it was applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// What is wrong with the bytes (incomplete, damaged, of another
    /// network or passphrase, of a newer format …).
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// Gone between the listing of the folder and its reading (deleted or
    /// renamed by another program meanwhile).
    #[error("the file vanished while the folder was being read (deleted or moved meanwhile)")]
    Vanished,
    /// Not an ordinary file.
    #[error("not a file but {}", .0.localized(Lang::En))]
    NotAFile(Special),
    /// A symbolic link to something outside the sync folder.
    #[error("a link to something outside the sync folder")]
    Outside,
    /// A symbolic link to nothing.
    #[error("a link to a file that does not exist")]
    Dangling,
    /// The system refuses to read it (no permission, an I/O error).
    #[error("it cannot be read: {0}")]
    Unreadable(String),
    /// The file's name says one range and its contents another.
    #[error("the file name does not match its contents")]
    Misnamed,
}

/// What a name in the folder turned out to be, when not a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Folder,
    /// A named pipe: reading it would wait for a writer forever.
    Fifo,
    Device,
    Socket,
    Other,
}

impl Localized for Special {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Special::Folder => t!(lang, "sync.skip.folder"),
            Special::Fifo => t!(lang, "sync.skip.fifo"),
            Special::Device => t!(lang, "sync.skip.device"),
            Special::Socket => t!(lang, "sync.skip.socket"),
            Special::Other => t!(lang, "sync.skip.other"),
        }
        .to_owned()
    }
}

impl Localized for Refusal {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Refusal::Bundle(b) => b.localized(lang),
            Refusal::Vanished => t!(lang, "sync.skip.vanished").to_owned(),
            Refusal::NotAFile(kind) => {
                t!(lang, "sync.skip.not_a_file", kind = kind.localized(lang))
            }
            Refusal::Outside => t!(lang, "sync.skip.outside").to_owned(),
            Refusal::Dangling => t!(lang, "sync.skip.dangling").to_owned(),
            Refusal::Unreadable(e) => t!(lang, "sync.skip.unreadable", error = e),
            Refusal::Misnamed => t!(lang, "sync.skip.misnamed").to_owned(),
        }
    }
}

impl Refusal {
    /// Whether a file written at the same path would replace what is
    /// there (a folder cannot be replaced by renaming a file over it).
    pub fn replaceable(&self) -> bool {
        !matches!(self, Refusal::NotAFile(Special::Folder))
    }
}

/// What the name of a file in the folder claims: the origin and range of
/// the operations in it. Unauthenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub origin: ReplicaId,
    pub first: i64,
    pub last: i64,
}

/// The folder a sync reads, resolved once: links inside it are followed
/// only as far as they stay inside it.
#[derive(Debug, Clone)]
pub struct Root {
    real: PathBuf,
}

impl Root {
    /// `folder` as the system resolves it.
    pub fn new(folder: &Path) -> std::io::Result<Root> {
        Ok(Root {
            real: std::fs::canonicalize(folder)?,
        })
    }

    /// Whether `path`, resolved, is inside the folder.
    pub fn contains(&self, path: &Path) -> bool {
        std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&self.real))
    }
}

fn kind_of(meta: &Metadata) -> Option<Special> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some(Special::Folder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some(Special::Fifo);
        }
        if t.is_char_device() || t.is_block_device() {
            return Some(Special::Device);
        }
        if t.is_socket() {
            return Some(Special::Socket);
        }
    }
    Some(Special::Other)
}

fn io_refusal(e: &std::io::Error) -> Refusal {
    match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Vanished,
        _ => Refusal::Unreadable(e.to_string()),
    }
}

/// Opens `path` for reading if it is an ordinary file inside `root`,
/// without ever waiting: its type is looked at before it is opened, and it
/// is opened non-blocking (a pipe swapped in meanwhile does not wait for a
/// writer) and looked at again once open. Returns the file and its size.
pub fn open_file(root: &Root, path: &Path) -> Result<(File, u64), Refusal> {
    let link = std::fs::symlink_metadata(path)
        .map_err(|e| io_refusal(&e))?
        .file_type()
        .is_symlink();
    // Resolved: a link, or a file in a linked replica folder, must stay
    // inside the folder.
    let target = match std::fs::canonicalize(path) {
        Ok(p) if p.starts_with(&root.real) => p,
        Ok(_) => return Err(Refusal::Outside),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && link => {
            return Err(Refusal::Dangling);
        }
        Err(e) => return Err(io_refusal(&e)),
    };
    let meta = std::fs::metadata(&target).map_err(|e| io_refusal(&e))?;
    if let Some(kind) = kind_of(&meta) {
        return Err(Refusal::NotAFile(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(&target).map_err(|e| io_refusal(&e))?;
    let meta = file.metadata().map_err(|e| io_refusal(&e))?;
    if let Some(kind) = kind_of(&meta) {
        return Err(Refusal::NotAFile(kind));
    }
    Ok((file, meta.len()))
}

/// Reads at most `limit` bytes of a small text file of the folder
/// (`network.wsn`, `redacted.wsr`) with the same care as a bundle: `None`
/// when it does not exist; `Err` for anything that is not a readable
/// ordinary file of at most `limit` bytes.
pub fn read_small(root: &Root, path: &Path, limit: u64) -> Result<Option<Vec<u8>>, Refusal> {
    let (file, size) = match open_file(root, path) {
        Ok(f) => f,
        Err(Refusal::Vanished) => return Ok(None),
        Err(e) => return Err(e),
    };
    if size > limit {
        return Err(Refusal::Bundle(BundleError::TooBig { found: size, limit }));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_refusal(&e))?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::Bundle(BundleError::TooBig {
            found: bytes.len() as u64,
            limit,
        }));
    }
    Ok(Some(bytes))
}

/// Reads only the header of the bundle at `path`, which its name says
/// holds `claim`, and checks it as [`read_bundle_file`] does. Nothing in
/// it is authenticated yet: its nonce (a keyed hash of the contents, when
/// the file is whole) tells a file already read from one not read yet.
pub fn read_bundle_head(
    root: &Root,
    path: &Path,
    claim: Claim,
    network: NetworkId,
) -> Result<BundleHeader, Refusal> {
    let (file, size) = open_file(root, path)?;
    let mut head = Vec::with_capacity(HEADER_LEN);
    file.take(HEADER_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| io_refusal(&e))?;
    let header = read_header(&head)?;
    check_header(&header, network, size)?;
    if (header.origin, header.first, header.last) != (claim.origin, claim.first, claim.last) {
        return Err(Refusal::Misnamed);
    }
    Ok(header)
}

/// Reads and authenticates the bundle at `path`, which its name says holds
/// `claim`: the header first (refused there if it is not of `network`,
/// does not match the name or does not announce the file's size), then the
/// payload, at most [`MAX_SEALED`] bytes. The operations are still to be
/// decoded ([`Opened::operations`]), so a file can be checked without
/// decoding it.
pub fn read_bundle_file(
    root: &Root,
    path: &Path,
    claim: Claim,
    network: NetworkId,
    key: &NetworkKey,
) -> Result<Opened, Refusal> {
    let (file, size) = open_file(root, path)?;
    let mut file = file.take(size.min(HEADER_LEN as u64 + MAX_SEALED));
    let mut head = Vec::with_capacity(HEADER_LEN);
    (&mut file)
        .take(HEADER_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| io_refusal(&e))?;
    let header: BundleHeader = read_header(&head).map_err(|e| match e {
        // Cut short within the header: say how long the file is.
        BundleError::Truncated { expected, .. } => BundleError::Truncated {
            expected,
            found: size,
        },
        other => other,
    })?;
    check_header(&header, network, size)?;
    if (header.origin, header.first, header.last) != (claim.origin, claim.first, claim.last) {
        return Err(Refusal::Misnamed);
    }
    let len = usize::try_from(header.payload_len).map_err(|_| BundleError::TooBig {
        found: header.file_len(),
        limit: HEADER_LEN as u64 + MAX_SEALED,
    })?;
    let mut sealed = Vec::with_capacity(len);
    file.take(header.payload_len)
        .read_to_end(&mut sealed)
        .map_err(|e| io_refusal(&e))?;
    if sealed.len() != len {
        // Cut short since its size was read.
        return Err(Refusal::Bundle(BundleError::Truncated {
            expected: header.file_len(),
            found: (HEADER_LEN + sealed.len()) as u64,
        }));
    }
    Ok(open_payload(key, &head, header, sealed)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English of the catalogue is the English of `Display`; the
    /// Chinese fills every placeholder.
    #[test]
    fn english_words_are_the_display() {
        let refusals = [
            Refusal::Bundle(BundleError::NotABundle),
            Refusal::Vanished,
            Refusal::NotAFile(Special::Folder),
            Refusal::NotAFile(Special::Fifo),
            Refusal::NotAFile(Special::Device),
            Refusal::NotAFile(Special::Socket),
            Refusal::NotAFile(Special::Other),
            Refusal::Outside,
            Refusal::Dangling,
            Refusal::Unreadable("Permission denied (os error 13)".into()),
            Refusal::Misnamed,
        ];
        for r in refusals {
            assert_eq!(r.localized(Lang::En), r.to_string());
            let zh = r.localized(Lang::ZhCn);
            assert!(!zh.contains('{') && !zh.is_empty(), "{r:?}: {zh}");
        }
        assert_eq!(
            Refusal::NotAFile(Special::Fifo).localized(Lang::ZhCn),
            "这不是文件，而是命名管道（FIFO）"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_refused_without_waiting_and_small_files_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::new(dir.path()).unwrap();
        let pipe = dir.path().join("pipe");
        {
            use std::os::unix::ffi::OsStrExt;
            let c = std::ffi::CString::new(pipe.as_os_str().as_bytes()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        }
        assert_eq!(
            open_file(&root, &pipe).err(),
            Some(Refusal::NotAFile(Special::Fifo))
        );
        assert_eq!(
            read_small(&root, &pipe, 10).err(),
            Some(Refusal::NotAFile(Special::Fifo))
        );
        let big = dir.path().join("big");
        std::fs::write(&big, [b'x'; 11]).unwrap();
        assert!(matches!(
            read_small(&root, &big, 10),
            Err(Refusal::Bundle(BundleError::TooBig {
                found: 11,
                limit: 10
            }))
        ));
        assert_eq!(read_small(&root, &dir.path().join("none"), 10), Ok(None));
        assert_eq!(
            open_file(&root, dir.path()).err(),
            Some(Refusal::NotAFile(Special::Folder))
        );
    }
}
