//! Why a file cannot be read as a node log. Each message is shown to the user as it is.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LogError {
    /// zip, xz, bzip2 or zstd: the browser's worker inflates gzip only.
    #[error("this is a {format} archive: unpack it first (storj-lens reads the storagenode log itself, plain or .gz)")]
    Compressed { format: &'static str },
    /// A SQLite file given to the log reader.
    #[error("this is a SQLite database, not a storagenode log")]
    Database,
    #[error("the file is empty (0 bytes)")]
    Empty,
    /// No node line (time, level, message) in the first 64 MiB of text.
    #[error("not a storagenode log: no line in the node's log format (time, level, logger, message) in the {scope}")]
    NotALog { scope: &'static str },
    /// `--now` is not an RFC 3339 time.
    #[error("--now {0:?} is not an RFC 3339 time such as 2026-02-15T12:00:00Z")]
    BadNow(String),
}
