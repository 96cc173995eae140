//! The pipeline behind the page, as a plain-Rust state machine: load → validate → first report
//! (single pass) → later requests. It emits protocol [`Response`]s through a callback; the worker
//! only reads the `File`, feeds the bytes in and posts what comes out, so every order of events
//! is tested natively (`tests/session.rs`).
//!
//! Nothing runs after the first report: every later request is answered from what the single
//! pass kept (its aggregates, the latency facts and the copy of recent rows, [`crate::recent`]),
//! so no click waits behind a long step. Only a file the single pass declines is indexed, before
//! its first report.

use std::io::Read;

use model::protocol::{FileSummary, Response, Stage, TableCount};
use model::view::{Analysis, AnalyzeParams, Timing};

use crate::cache::FnClock;
use crate::dashboard;
use crate::db::{self, Deadline};
use crate::report::Diagnostics;
use crate::time::Micros;
use crate::{Analyzer, EngineError};

/// From this many nodes the monitor's other tables are indexed by node before the first report (the
/// trends read each node's rows; with few nodes a scan per node costs less than the index).
pub const NODE_INDEXES_FROM_NODES: usize = 8;

/// A file to load: its bytes as a reader plus what the page shows about it.
pub struct Source<R> {
    /// The user's file name, shown on the file card.
    pub name: String,
    /// Bytes the reader yields.
    pub len: u64,
    pub reader: R,
    /// The first stage's timing (opening the `File`, generating the demo), measured by the caller.
    pub opened: Timing,
    /// Milliseconds the reader spent in the browser's `File` reads so far (0 natively).
    pub read_ms: fn() -> f64,
}

/// The loaded database and what the session remembers about it.
struct Loaded {
    analyzer: Analyzer,
    /// The stage timings of the load (and of the full report, once made).
    stages: Vec<Timing>,
    /// The diagnostics of the last full report made (shown with later dashboards).
    report_diagnostics: Option<Diagnostics>,
}

/// The worker's pipeline; one per worker, holding at most one database.
pub struct Session {
    clock: fn() -> f64,
    wall: fn() -> Micros,
    deadline: Deadline,
    max_file_bytes: Option<u64>,
    loaded: Option<Loaded>,
}

impl Session {
    /// `clock`: monotonic milliseconds (stage timings, deadlines); `wall`: the wall clock (for
    /// "now = current time"); `limit_ms`: the time budget of each step.
    pub fn new(clock: fn() -> f64, wall: fn() -> Micros, limit_ms: f64) -> Session {
        Session { clock, wall, deadline: Deadline::new(limit_ms, clock), max_file_bytes: None, loaded: None }
    }

    /// Refuse files above `max` bytes before reading them (the browser's memory limit).
    pub fn with_max_file_bytes(mut self, max: u64) -> Session {
        self.max_file_bytes = Some(max);
        self
    }

    /// `Err(TooLarge)` for a file the session would refuse, before anything is read.
    pub fn check_size(&self, size: u64) -> Result<(), EngineError> {
        match self.max_file_bytes {
            Some(limit) if size > limit => Err(EngineError::TooLarge { size, limit }),
            _ => Ok(()),
        }
    }

    /// True when a database is loaded.
    pub fn is_loaded(&self) -> bool {
        self.loaded.is_some()
    }

    /// Forgets the loaded database (frees its memory).
    pub fn clear(&mut self) {
        self.loaded = None;
    }

    /// Loads a file and answers `id` with `Progress`…, `Loaded`, `Report`, or one `Error`.
    /// Any database loaded before is dropped first (and stays dropped if this load fails).
    pub fn load<R: Read>(&mut self, id: u64, source: Source<R>, params: &AnalyzeParams, out: &mut dyn FnMut(Response)) {
        self.clear();
        let size = source.len;
        let outcome = self.check_size(size).and_then(|()| self.try_load(id, source, params, out));
        if let Err(e) = outcome {
            self.clear();
            out(error_response(Some(id), &e));
        }
    }

    /// Generates the built-in demo database and loads it as a file named `demo.db`.
    pub fn load_demo(&mut self, id: u64, params: &AnalyzeParams, out: &mut dyn FnMut(Response)) {
        self.clear();
        out(Response::Progress { id, stage: Stage::Generating, done: None, total: None });
        let started = (self.clock)();
        let bytes = match demo::demo_bytes(&demo::DemoOptions::default()) {
            Ok(b) => b,
            Err(e) => return out(error_response(Some(id), &EngineError::InvalidArgument(format!("the demo database: {e}")))),
        };
        let opened = Timing { stage: "generate demo".into(), ms: (self.clock)() - started };
        let source = Source { name: "demo.db".into(), len: bytes.len() as u64, reader: bytes.as_slice(), opened, read_ms: || 0.0 };
        self.load(id, source, params, out);
    }

    /// Answers `id` with the dashboard for `params` (a `Report`), or an `Error`.
    pub fn analyze(&mut self, id: u64, params: &AnalyzeParams, out: &mut dyn FnMut(Response)) {
        self.deadline.restart();
        out(Response::Progress { id, stage: Stage::Computing, done: None, total: None });
        match self.report(id, params) {
            Ok(r) => out(r),
            Err(e) => out(error_response(Some(id), &self.deadline.explain(e))),
        }
    }

    fn try_load<R: Read>(
        &mut self,
        id: u64,
        source: Source<R>,
        params: &AnalyzeParams,
        out: &mut dyn FnMut(Response),
    ) -> Result<(), EngineError> {
        let clock = self.clock;
        let started = clock() - source.opened.ms;
        let mut stages = vec![source.opened];
        let mut mark = clock();
        let mut lap = |stages: &mut Vec<Timing>, stage: &str| {
            let t = clock();
            stages.push(Timing { stage: stage.into(), ms: t - mark });
            mark = t;
        };
        out(Response::Progress { id, stage: Stage::Loading, done: None, total: None });
        self.deadline.restart();
        let mut analyzer = Analyzer::open_read(source.reader, source.len, Box::new(FnClock(clock)), Some(&self.deadline))
            .map_err(|e| self.deadline.explain(e))?;
        lap(&mut stages, "read + load + validate");
        stages.push(Timing { stage: "– of which reading the File".into(), ms: (source.read_ms)() });
        stages
            .push(Timing {
                stage: "– of which validate (schema + quick_check)".into(), ms: analyzer.setup_ms("validate").unwrap_or(0.0)
            });
        // SPEC 8: the first report from one scan aggregated in Rust. When the file holds values
        // only the SQL path reproduces, the indexes come first.
        out(Response::Progress { id, stage: Stage::Computing, done: None, total: None });
        let fast = analyzer.single_pass().map_err(|e| self.deadline.explain(e))?;
        lap(&mut stages, if fast { "single pass" } else { "single pass (not usable)" });
        if let Some(ms) = analyzer.setup_ms("recent rows").filter(|_| fast) {
            stages.push(Timing { stage: "– of which the copy of recent rows".into(), ms });
        }
        // The scan counted the events: counting them again would read every page once more.
        let scanned = analyzer.single_pass_data().map(|f| ("events", f.rows as i64));
        let tables = db::table_counts(analyzer.connection(), scanned)?.into_iter().map(|(name, rows)| TableCount { name, rows }).collect();
        lap(&mut stages, "count rows");
        let summary = FileSummary { name: source.name, size: source.len, tables, load_ms: clock() - started };
        out(Response::Loaded { id, summary });
        if fast {
            // Storage earnings and trends read the snapshots node by node (see the method).
            self.deadline.restart();
            analyzer.build_snapshot_index(1).map_err(|e| self.deadline.explain(e))?;
            analyzer.build_node_indexes(NODE_INDEXES_FROM_NODES).map_err(|e| self.deadline.explain(e))?;
            lap(&mut stages, "snapshot index");
        }
        if !fast {
            out(Response::Progress { id, stage: Stage::Indexing, done: Some(0), total: Some(1) });
            self.deadline.restart();
            analyzer.build_indexes().map_err(|e| self.deadline.explain(e))?;
            out(Response::Progress { id, stage: Stage::Indexing, done: Some(1), total: Some(1) });
            lap(&mut stages, "indexes + ANALYZE");
        }
        self.loaded = Some(Loaded { analyzer, stages, report_diagnostics: None });
        self.deadline.restart();
        let report = self.report(id, params).map_err(|e| self.deadline.explain(e))?;
        out(report);
        Ok(())
    }

    /// The `Report` answer: the dashboard (only what it shows: the full report is made when it
    /// is downloaded, [`Session::report_json`]).
    fn report(&mut self, id: u64, params: &AnalyzeParams) -> Result<Response, EngineError> {
        let clock = self.clock;
        let started = clock();
        let wall = (self.wall)();
        let loaded = self.loaded.as_mut().ok_or(EngineError::NotLoaded)?;
        let mut analysis: Analysis = dashboard::analyze(&mut loaded.analyzer, params, wall, loaded.report_diagnostics.as_ref())?;
        analysis.diagnostics.stages = loaded.stages.clone();
        analysis.diagnostics.sqlite_version = rusqlite::version().to_string();
        analysis.diagnostics.request_ms = clock() - started;
        Ok(Response::Report { id, analysis: Box::new(analysis) })
    }

    /// Answers `id` with the full report for the instant `params.now` resolves to, as
    /// `storj-lens analyze FILE --now <now>` prints it (`ReportJson`), or an `Error`. Made on
    /// demand: with many nodes it is large (its latency section has a view per node) and the
    /// first dashboard does not wait for it.
    pub fn report_json(&mut self, id: u64, params: &AnalyzeParams, out: &mut dyn FnMut(Response)) {
        self.deadline.restart();
        out(Response::Progress { id, stage: Stage::Computing, done: None, total: None });
        let clock = self.clock;
        let wall = (self.wall)();
        let outcome = self.loaded.as_mut().ok_or(EngineError::NotLoaded).and_then(|loaded| {
            let (now, _) = dashboard::resolve_now(&loaded.analyzer, params.now, wall)?;
            let t = clock();
            let (json, diagnostics) = dashboard::report_json(&mut loaded.analyzer, now)?;
            loaded.stages.retain(|t| t.stage != "full report");
            loaded.stages.push(Timing { stage: "full report".into(), ms: clock() - t });
            loaded.report_diagnostics = Some(diagnostics);
            Ok(json)
        });
        match outcome {
            Ok(json) => out(Response::ReportJson { id, json }),
            Err(e) => out(error_response(Some(id), &self.deadline.explain(e))),
        }
    }
}

/// The `Error` answer for an engine error: its kind for the page, its message for the details.
pub fn error_response(id: Option<u64>, e: &EngineError) -> Response {
    Response::Error { id, kind: e.kind(), message: e.to_string() }
}
