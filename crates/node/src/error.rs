//! The node crate's one error type: each message names the file and what it holds (NODE_DATA.md §5.3).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum NodeError {
    #[error("{name} is missing: it holds {holds}")]
    MissingFile { name: &'static str, holds: &'static str },
    #[error("{name} is empty (0 bytes): copy it again from the node's storage folder")]
    Empty { name: String },
    #[error("{name} is not a SQLite database ({found})")]
    NotSqlite { name: String, found: String },
    #[error(
        "{name} is damaged ({detail}): copy it from a stopped node, or from a running one with sqlite3 {name} \".backup copy.db\" (a plain copy of a file being written is torn)"
    )]
    Corrupt { name: String, detail: String },
    #[error("{name} cannot be read as a database ({detail})")]
    Unreadable { name: String, detail: String },
    #[error("{name} is from a node older than {version}; run the node once on a current version and copy it again")]
    OldLayout { name: String, version: &'static str },
    #[error("{name} has no table {table}: it is not the node's {role} (it holds {holds})")]
    MissingTable { name: String, table: &'static str, role: &'static str, holds: &'static str },
    #[error("{name}: table {table} has no column {column} (a node older than v1.104, or a damaged copy)")]
    MissingColumn { name: String, table: &'static str, column: &'static str },
    #[error("{name} could not be read: {detail}")]
    Query { name: String, detail: String },
    #[error("month {given} is not of the form YYYY-MM")]
    BadMonth { given: String },
    #[error("month {month} is after the report's current month {current}")]
    FutureMonth { month: String, current: String },
    #[error("now {given} is not an RFC 3339 instant (YYYY-MM-DDTHH:MM:SSZ)")]
    BadNow { given: String },
}

impl NodeError {
    /// A query's failure on a loaded file, named after the file.
    pub(crate) fn query(name: &str, e: rusqlite::Error) -> NodeError {
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseCorrupt) => NodeError::Corrupt { name: name.to_string(), detail: e.to_string() },
            Some(NotADatabase) => NodeError::Unreadable { name: name.to_string(), detail: e.to_string() },
            _ => NodeError::Query { name: name.to_string(), detail: e.to_string() },
        }
    }

    /// The engine's load errors, named after the file.
    pub(crate) fn load(name: &str, e: engine::EngineError) -> NodeError {
        use engine::EngineError as E;
        let name = name.to_string();
        match e {
            E::EmptyFile => NodeError::Empty { name },
            E::NotSqlite { found } => NodeError::NotSqlite { name, found },
            E::Corrupt { detail } => NodeError::Corrupt { name, detail },
            E::Unreadable { detail } => NodeError::Unreadable { name, detail },
            other => NodeError::Unreadable { name, detail: other.to_string() },
        }
    }
}
