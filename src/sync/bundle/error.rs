//! Why a bundle cannot be written or read, worded for station staff in both
//! languages. The folder exchange adds the file name.

use crate::domain::ids::ReplicaId;
use crate::i18n::{Lang, Localized};

use super::NetworkId;

/// A bundle that cannot be written, or a file that is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    // --- reading ------------------------------------------------------------
    /// The file does not start with the bundle magic bytes.
    #[error("not a waystation sync file")]
    NotABundle,
    /// The file is shorter than its header says.
    #[error("the file is incomplete ({found} of {expected} bytes): was it still being copied?")]
    Truncated { expected: u64, found: u64 },
    /// Written by a newer waystation.
    #[error(
        "the file has sync format {found}, this waystation reads up to {supported}: please update waystation"
    )]
    NewerFormat { found: u16, supported: u16 },
    /// The header does not add up (fails its checksum, an impossible
    /// version or sequence range, bytes after the end).
    #[error("the file is damaged ({})", .0.localized(Lang::En))]
    BadHeader(HeaderFault),
    /// Of another sync network (another district, or a network created
    /// again from scratch).
    #[error("the file belongs to another sync network ({found}; this station's is {expected})")]
    WrongNetwork {
        found: NetworkId,
        expected: NetworkId,
    },
    /// Authentication failed: a change to any byte, or another key.
    #[error("the file is damaged, or was made with another sync passphrase")]
    Damaged,
    /// Authenticated, yet its contents do not decode or do not match the
    /// header: made by a faulty program holding the passphrase.
    #[error("the file's contents are invalid ({0})")]
    BadContent(String),

    // --- writing ------------------------------------------------------------
    /// No operations to write.
    #[error("a sync file needs at least one operation")]
    Empty,
    /// An operation of another replica in a bundle of `expected`.
    #[error("operation {seq} comes from replica {found}, not {expected}")]
    WrongOrigin {
        seq: i64,
        found: ReplicaId,
        expected: ReplicaId,
    },
    /// The sequence numbers are not `first, first + 1, …`.
    #[error("operations are not consecutive: expected number {expected}, found {found}")]
    NotContiguous { expected: i64, found: i64 },
    /// More than a bundle may hold.
    #[error("too much for one sync file: write the operations into several")]
    TooLarge,
    /// Encoding or compression failed.
    #[error("cannot write the sync file: {0}")]
    Encode(String),
    /// The key cannot be derived (parameters Argon2 refuses, or no memory).
    #[error("cannot derive the sync key: {0}")]
    Kdf(String),
}

impl Localized for BundleError {
    fn localized(&self, lang: Lang) -> String {
        use BundleError as E;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            E::NotABundle => "不是 waystation 同步文件".into(),
            E::Truncated { expected, found } => {
                format!("文件不完整（{found}/{expected} 字节），可能还没复制完")
            }
            E::NewerFormat { found, supported } => format!(
                "文件是第{found}版同步格式，本程序只能读到第{supported}版，请升级 waystation"
            ),
            E::BadHeader(fault) => format!("文件已损坏（{}）", fault.localized(lang)),
            E::WrongNetwork { found, expected } => {
                format!("文件属于另一个同步网络（{found}；本站为 {expected}）")
            }
            E::Damaged => "文件已损坏，或是用另一个同步口令制作的".into(),
            E::BadContent(what) => format!("文件内容无效（{what}）"),
            E::Empty => "同步文件至少要有一条操作".into(),
            E::WrongOrigin {
                seq,
                found,
                expected,
            } => format!("第{seq}条操作来自副本 {found}，而不是 {expected}"),
            E::NotContiguous { expected, found } => {
                format!("操作编号不连续：应为 {expected}，实为 {found}")
            }
            E::TooLarge => "内容太多，一个同步文件放不下，请分成几个文件".into(),
            E::Encode(e) => format!("无法写出同步文件：{e}"),
            E::Kdf(e) => format!("无法生成同步密钥：{e}"),
        }
    }
}

/// What is wrong with a header that fails its own checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderFault {
    /// The header checksum does not match.
    Checksum,
    /// Format version 0, which never existed.
    Version,
    /// The sequence range, count or length cannot be.
    Range,
    /// Bytes after the end of the payload.
    TrailingBytes,
}

impl Localized for HeaderFault {
    fn localized(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            HeaderFault::Checksum => ("文件头校验和不符", "header checksum mismatch"),
            HeaderFault::Version => ("格式版本无效", "invalid format version"),
            HeaderFault::Range => (
                "编号范围或长度不可能",
                "impossible sequence range or length",
            ),
            HeaderFault::TrailingBytes => ("结尾有多余的数据", "extra bytes after the end"),
        };
        lang.pick(zh, en).to_owned()
    }
}
