//! The engine's one error type: each variant is a distinct problem a user can act on. Across the
//! worker boundary it travels as its [`ErrorKind`] (what the page words) plus its message.

use model::protocol::ErrorKind;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum EngineError {
    #[error("the file is empty (0 bytes): choose your node monitor's storj_stats.db")]
    EmptyFile,

    #[error("this is not a SQLite database ({found}): choose your node monitor's storj_stats.db")]
    NotSqlite { found: String },

    #[error("the file is {:.2} GB ({size} bytes) and at most {:.2} GB ({limit} bytes) can be analyzed here: the page keeps a copy of the database in the tab's memory (with room for what SQLite reads and copies), and a browser tab's WebAssembly memory stops at 4 GiB", *size as f64 / 1e9, *limit as f64 / 1e9)]
    TooLarge { size: u64, limit: u64 },

    #[error("the file could not be read: {detail}")]
    ReadFailed { detail: String },

    #[error("no database is loaded: choose a file first")]
    NotLoaded,

    #[error("this SQLite file is truncated or corrupt: {detail}")]
    Corrupt { detail: String },

    #[error("this SQLite file is encrypted or not readable as a database: {detail}")]
    Unreadable { detail: String },

    #[error("this SQLite file has no `{table}` table: is it a storj_monitor database?")]
    MissingTable { table: String },

    #[error("the `{table}` table lacks the column(s) {columns}: is it a storj_monitor database?")]
    MissingColumns { table: String, columns: String },

    #[error("this SQLite file has a {kind} named `{name}`, a name storj-lens needs for its own index: is it a storj_monitor database?")]
    NameTaken { name: String, kind: String },

    #[error("the analysis was interrupted: {reason}")]
    Interrupted { reason: String },

    #[error("{what} unavailable in this file")]
    Unavailable { what: String },

    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    #[error("SQLite error: {0}")]
    Sqlite(rusqlite::Error),
}

impl EngineError {
    /// What the user can act on, for the page (the message gives the details).
    pub fn kind(&self) -> ErrorKind {
        match self {
            EngineError::EmptyFile => ErrorKind::EmptyFile,
            EngineError::NotSqlite { .. } => ErrorKind::NotSqlite,
            EngineError::TooLarge { .. } => ErrorKind::TooLarge,
            EngineError::ReadFailed { .. } => ErrorKind::ReadFailed,
            EngineError::NotLoaded => ErrorKind::NoDatabase,
            EngineError::Corrupt { .. } => ErrorKind::Corrupt,
            EngineError::Unreadable { .. } => ErrorKind::Unreadable,
            EngineError::MissingTable { .. } | EngineError::MissingColumns { .. } | EngineError::NameTaken { .. } => ErrorKind::NotMonitor,
            EngineError::Interrupted { .. } => ErrorKind::Interrupted,
            EngineError::Unavailable { .. } | EngineError::InvalidArgument(_) | EngineError::Sqlite(_) => ErrorKind::Internal,
        }
    }
}

/// Any query can meet a damaged page or an interrupt: keep those user-facing classes.
impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseCorrupt) => EngineError::Corrupt { detail: e.to_string() },
            Some(NotADatabase) => EngineError::Unreadable { detail: e.to_string() },
            Some(OperationInterrupted) => EngineError::Interrupted { reason: e.to_string() },
            Some(TooBig) => EngineError::Unreadable { detail: format!("{e} (a value exceeds the safety limits)") },
            _ => EngineError::Sqlite(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, EngineError>;
