//! The typed messages between the page (UI) and the Web Worker (SQLite + engine).
//!
//! Both enums cross the thread boundary through `serde-wasm-bindgen`. A `File` cannot be
//! serialized, so a `Request::LoadFiles` travels in an envelope `{ request, files }` whose
//! `files` field carries the `File` objects themselves (structured clone, no copy of the bytes;
//! `KeepFile` carries one in `file`).
//!
//! Every request carries an `id` chosen by the page; every answer to it repeats the id, so the
//! page ignores answers to requests it has superseded (a new file, another node picked while a
//! request was running).

use serde::{Deserialize, Serialize};

pub use crate::log_report::LogReport;
pub use crate::node_report::{NodeFile, NodeReport};
pub use crate::view::{Analysis, AnalyzeParams, NowMode};

/// The page asks, the worker answers with one or more [`Response`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Several files at once (the envelope's `files` array, in this order): the node's database
    /// files (with their `-wal` files), a node log, or a monitor database among them. The worker
    /// tells each file's kind by its content and answers with one view per kind
    /// (`NodeReport`/`NodeFiles`, `LogReport`, `Report`). `month` is the node view's month.
    /// With `keep` (a single monitor database only), the worker also keeps a copy of the file's
    /// bytes in the browser's private storage (OPFS) for the next visit (see
    /// [`Request::KeepStatus`]).
    LoadFiles {
        id: u64,
        names: Vec<String>,
        params: AnalyzeParams,
        month: Option<String>,
        #[serde(default)]
        keep: bool,
    },
    /// Forget the node's databases loaded so far (the node view's "Clear").
    ClearNode,
    /// The node view for another month (the node's databases stay loaded in the worker).
    NodeMonth { id: u64, month: String },
    /// Generate the built-in demo database, load it and analyze it with `params`.
    LoadDemo { id: u64, params: AnalyzeParams },
    /// Generate the built-in demo node (its storage folder's databases) and show its node view.
    LoadDemoNode { id: u64 },
    /// Analyze the loaded database again (another node, period, now, window or bucket size).
    Analyze { id: u64, params: AnalyzeParams },
    /// The full report of the loaded database for the "now" of `params` (the download).
    ReportJson { id: u64, params: AnalyzeParams },
    /// Sent first by the page (and after every worker restart): set up the private storage
    /// (OPFS, `sqlite-wasm-vfs` sahpool) unless `opfs` is false (test flag `?opfs=off`, which
    /// simulates a browser without it), and answer `Kept`, `NoneKept` or `KeepUnavailable`.
    KeepStatus { opfs: bool },
    /// Load and analyze the kept database, as a monitor database of `LoadFiles`.
    OpenKept { id: u64, params: AnalyzeParams },
    /// Keep the `File` attached to the envelope (the setting was switched on with a file loaded).
    KeepFile { name: String, size: u64 },
    /// Delete the kept database; answers `NoneKept` (or `KeepUnavailable`).
    Forget,
}

impl Request {
    pub fn id(&self) -> Option<u64> {
        match self {
            Request::LoadDemo { id, .. } | Request::Analyze { id, .. } => Some(*id),
            Request::ReportJson { id, .. } => Some(*id),
            Request::LoadFiles { id, .. } | Request::NodeMonth { id, .. } | Request::LoadDemoNode { id } => Some(*id),
            Request::OpenKept { id, .. } => Some(*id),
            Request::KeepStatus { .. } | Request::KeepFile { .. } | Request::Forget | Request::ClearNode => None,
        }
    }
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
    pub const ALL: [Stage; 5] = [Stage::Reading, Stage::Loading, Stage::Checking, Stage::Indexing, Stage::Computing];

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

    /// The position of the stage in [`Stage::ALL`] (generating counts as reading).
    pub fn step(self) -> usize {
        match self {
            Stage::Reading | Stage::Generating => 0,
            Stage::Loading => 1,
            Stage::Checking => 2,
            Stage::Indexing => 3,
            Stage::Computing => 4,
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

/// What went wrong, as the page words it: one kind per thing the user can act on. Every error
/// answer carries one, so the page never has to read meaning into a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file has no bytes.
    EmptyFile,
    /// Not a SQLite database at all (an image, a log, ...).
    NotSqlite,
    /// More than this browser tab can hold: the command line can analyze it.
    TooLarge,
    /// A SQLite file that is truncated or damaged.
    Corrupt,
    /// Encrypted, or not readable as a database.
    Unreadable,
    /// A SQLite database, but not a storj_monitor one (a table or column is missing, a name the
    /// engine needs is taken).
    NotMonitor,
    /// A step ran past its time limit.
    Interrupted,
    /// Neither a SQLite database nor a storage node's log (LOGS.md 1.1).
    NotLog,
    /// A packed file (zip, xz, bzip2, zstd): the message names the format.
    Packed,
    /// The node's databases are incomplete: the message names the missing file and its use.
    NodeFileMissing,
    /// One of the node's databases cannot be used (old layout, torn copy, missing column): the
    /// message names the file.
    NodeFileBad,
    /// The request needs a loaded database and none is.
    NoDatabase,
    /// The browser could not read the file (permissions, the file changed on disk).
    ReadFailed,
    /// A bug or an unexpected SQLite error: the message has the details.
    Internal,
}

impl ErrorKind {
    /// The page's heading for the error (the details follow it).
    pub fn title(self) -> &'static str {
        match self {
            ErrorKind::EmptyFile => "This file is empty",
            ErrorKind::NotSqlite => "This is not a database",
            ErrorKind::TooLarge => "This file is too large for the browser",
            ErrorKind::Corrupt => "This database is damaged",
            ErrorKind::Unreadable => "This database cannot be read",
            ErrorKind::NotMonitor => "This is not a storj_monitor database",
            ErrorKind::Interrupted => "The analysis took too long",
            ErrorKind::NotLog => "This is neither a database nor a node log",
            ErrorKind::Packed => "This file is packed",
            ErrorKind::NodeFileMissing => "A node database is missing",
            ErrorKind::NodeFileBad => "A node database cannot be used",
            ErrorKind::NoDatabase => "No database is loaded",
            ErrorKind::ReadFailed => "The browser could not read the file",
            ErrorKind::Internal => "Something went wrong",
        }
    }

    /// What the user can do next.
    pub fn advice(self) -> &'static str {
        match self {
            ErrorKind::EmptyFile | ErrorKind::NotSqlite | ErrorKind::NotMonitor => {
                "Choose your node monitor's storj_stats.db, the node's database files or its log, or try the demo database."
            }
            ErrorKind::TooLarge => "Run the storj-lens command line on it: `storj-lens analyze storj_stats.db`.",
            ErrorKind::Corrupt | ErrorKind::Unreadable => {
                "Copy the database safely from the running monitor (`sqlite3 storj_stats.db \".backup copy.db\"`) and drop the copy."
            }
            ErrorKind::Interrupted => "Try a smaller file, or the storj-lens command line, whose time limit per step can be raised or removed (`--timeout SECONDS`, 0 for none).",
            ErrorKind::NotLog => {
                "storj-lens reads the monitor's storj_stats.db, the node's database files (bandwidth.db, heldamount.db, …) and the node's log (docker logs storagenode > node.log)."
            }
            ErrorKind::Packed => "Unpack it first (only .gz logs are read as they are), then drop the unpacked file.",
            ErrorKind::NodeFileMissing => {
                "Add the missing file: drop it too, or pick the node's storage folder with \"Choose folder\" (only the database files are read)."
            }
            ErrorKind::NodeFileBad => {
                "Copy the databases from a stopped node, or from a running one with `sqlite3 X.db \".backup copy.db\"`, and drop the copies."
            }
            ErrorKind::NoDatabase => "Choose a file first.",
            ErrorKind::ReadFailed => "Check that the file still exists and can be read, then drop it again.",
            ErrorKind::Internal => "Drop the file again; if it happens again, the storj-lens command line gives the same figures.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The worker's wasm is loaded: requests sent from now on are received.
    Ready,
    /// Work in progress; `done`/`total` are set where the amount is known.
    Progress { id: u64, stage: Stage, done: Option<u64>, total: Option<u64> },
    /// A database is loaded and checked (the analysis follows).
    Loaded { id: u64, summary: FileSummary },
    /// The dashboard for the request.
    Report { id: u64, analysis: Box<Analysis> },
    /// The full report of the loaded database (the CLI's `analyze` output), asked for by
    /// `Request::ReportJson` when the user downloads it.
    ReportJson { id: u64, json: String },
    /// The request failed: `kind` says what the user can do about it, `message` the details
    /// (the engine's one-line description, shown under the page's wording of the kind).
    Error { id: Option<u64>, kind: ErrorKind, message: String },
    /// Reading a log: input bytes read of `total`, lines so far (at least every 250 ms).
    LogProgress { id: u64, read: u64, total: u64, lines: u64 },
    /// The log's report (`storj-log-report/1`) and the same document as the CLI prints it.
    LogReport { id: u64, report: Box<LogReport>, report_json: String },
    /// The node view for a month (`storj-node-report/1`), and the same document as the CLI
    /// prints it. `note` says what else was dropped and not used (e.g. a monitor database).
    NodeReport { id: u64, report: Box<NodeReport>, report_json: String, note: Option<String> },
    /// The node's files so far, while the set is incomplete (the page lists them and waits).
    NodeFiles { id: u64, files: Vec<NodeFile>, message: String },
    /// A database is kept in the browser's private storage: its original file name, when it was
    /// saved (Unix milliseconds) and its size in bytes.
    Kept { name: String, saved_at: f64, size: u64 },
    /// The private storage works and holds no database.
    NoneKept,
    /// The private storage cannot be used here (private window, no OPFS, another tab holds it);
    /// files are analyzed in memory only.
    KeepUnavailable { reason: String },
    /// The storage works but this file could not be kept (e.g. over the storage quota); the
    /// analysis goes on in memory.
    KeepFailed { message: String },
}

impl Response {
    /// The request this answers (`None` for `Ready` and for undecodable requests).
    pub fn id(&self) -> Option<u64> {
        match self {
            Response::Ready
            | Response::Kept { .. }
            | Response::NoneKept
            | Response::KeepUnavailable { .. }
            | Response::KeepFailed { .. } => None,
            Response::Progress { id, .. } | Response::Loaded { id, .. } | Response::Report { id, .. } => Some(*id),
            Response::ReportJson { id, .. } => Some(*id),
            Response::LogProgress { id, .. } | Response::LogReport { id, .. } => Some(*id),
            Response::NodeReport { id, .. } | Response::NodeFiles { id, .. } => Some(*id),
            Response::Error { id, .. } => *id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_through_json() {
        let r = Request::Analyze {
            id: 7,
            params: AnalyzeParams { node: Some("node-1".into()), now: NowMode::At(1_760_097_600_000_000), ..AnalyzeParams::default() },
        };
        let back: Request = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.id(), Some(7));
        assert_eq!(Request::Forget.id(), None);
    }

    #[test]
    fn load_files_without_keep_still_decodes() {
        let r = Request::LoadFiles { id: 3, names: vec!["a.db".into()], params: AnalyzeParams::default(), month: None, keep: true };
        let mut json = serde_json::to_value(&r).unwrap();
        json.as_object_mut().unwrap().remove("keep");
        match serde_json::from_value::<Request>(json) {
            Ok(Request::LoadFiles { keep, .. }) => assert!(!keep),
            other => panic!("{other:?}"),
        }
        let kept = Response::Kept { name: "a.db".into(), saved_at: 1.0e12, size: 10 };
        let back: Response = serde_json::from_str(&serde_json::to_string(&kept).unwrap()).unwrap();
        assert_eq!(back, kept);
        assert_eq!(back.id(), None);
    }

    #[test]
    fn errors_carry_a_kind() {
        let e = Response::Error { id: Some(2), kind: ErrorKind::TooLarge, message: "2 GB".into() };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""kind":"too_large""#), "{json}");
        assert_eq!(serde_json::from_str::<Response>(&json).unwrap(), e);
        assert!(ErrorKind::TooLarge.advice().contains("command line"));
    }

    #[test]
    fn stages_are_ordered() {
        assert_eq!(Stage::ALL.iter().map(|s| s.step()).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        assert_eq!(Stage::Generating.step(), 0);
    }
}
