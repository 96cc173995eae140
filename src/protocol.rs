//! The typed messages between the page (UI) and the Web Worker (SQLite + engine).
//!
//! Both enums cross the thread boundary through `serde-wasm-bindgen`. A `File` cannot be
//! serialized, so a `Request::LoadFile` travels in an envelope `{ request, file }` whose
//! `file` field carries the `File` object itself (structured clone, no copy of the bytes).

use serde::{Deserialize, Serialize};

/// The page asks, the worker answers with one or more [`Response`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Load the `File` attached to the envelope, replacing any loaded database.
    LoadFile { name: String, size: u64 },
    /// Generate the built-in demo database and load it.
    LoadDemo,
}

/// A stage of the pipeline, shown as the progress label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Reading,
    Generating,
    Loading,
    Checking,
    Indexing,
    Computing,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "Reading the file",
            Stage::Generating => "Generating the demo database",
            Stage::Loading => "Loading into SQLite",
            Stage::Checking => "Checking the database",
            Stage::Indexing => "Building indexes",
            Stage::Computing => "Computing",
        }
    }
}

/// Row count of one table of the loaded database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableCount {
    pub name: String,
    pub rows: i64,
}

/// What the page knows about the loaded database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub size: u64,
    pub tables: Vec<TableCount>,
    /// Milliseconds spent reading and loading, measured in the worker.
    pub load_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The worker's wasm is loaded: requests sent from now on are received.
    Ready,
    /// Work in progress; `done`/`total` are set where the amount is known.
    Progress { stage: Stage, done: Option<u64>, total: Option<u64> },
    /// A database is loaded and checked.
    Loaded(FileSummary),
    /// The request failed; `message` is for the user.
    Error { message: String },
}
