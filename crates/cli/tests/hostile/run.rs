//! Everything the CLI and the app compute on one file, in the order they do it: load (header,
//! hardened copy, quick_check, schema), row counts, indexes + ANALYZE, the default "now", the
//! single-pass first dashboard, the full JSON report, and the dashboard's view-model for every node and for all nodes together.
//!
//! Shared by the hostile-input tests (`tests/hostile.rs`), the fuzz-regression test and the fuzz
//! target (`fuzz/fuzz_targets/whole_report.rs`, through `#[path]`).

#![allow(dead_code)]

use engine::{Session, Source};
use model::protocol::{ErrorKind, Response};
use model::view::{Analysis, AnalyzeParams, Timing};

/// The wall clock the runs pretend it is (2025-10-10T12:00:00Z) when the file has no rows.
pub const WALL_NOW: i64 = 1_760_097_600_000_000;

/// What a successful run produced.
pub struct Outcome {
    pub report_json: String,
    pub warnings: Vec<String>,
    pub nodes: Vec<String>,
    pub empty: bool,
}

/// An error answer of the session: what the page words, and the engine's message.
#[derive(Debug)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub use engine::cache::monotonic_ms;

/// Runs the page's whole pipeline (the engine's [`Session`], as the worker drives it) with a
/// per-step deadline of `limit_ms`: load, first dashboard, each node and the whole-file latency
/// window as the pickers ask, then the full report as the download asks for it.
pub fn whole_report(bytes: &[u8], limit_ms: f64) -> Result<Outcome, Failure> {
    let mut session = Session::new(monotonic_ms, || WALL_NOW, limit_ms);
    let mut answers = Vec::new();
    let source = Source {
        name: "hostile.db".into(),
        len: bytes.len() as u64,
        reader: bytes,
        opened: Timing { stage: "open".into(), ms: 0.0 },
        read_ms: || 0.0,
    };
    session.load(1, source, &AnalyzeParams::default(), &mut |r| answers.push(r));
    let (all, _) = last_report(&answers)?;
    for (i, node) in all.nodes.iter().take(4).enumerate() {
        let params = AnalyzeParams { node: Some(node.clone()), hours: None, ..AnalyzeParams::default() };
        let mut more = Vec::new();
        session.analyze(2 + i as u64, &params, &mut |r| more.push(r));
        last_report(&more)?;
    }
    let mut download = Vec::new();
    session.report_json(9, &AnalyzeParams::default(), &mut |r| download.push(r));
    let report_json = download
        .iter()
        .find_map(|r| match r {
            Response::ReportJson { json, .. } => Some(json.clone()),
            Response::Error { kind, message, .. } => panic!("the download failed after the dashboard: {kind:?} {message}"),
            _ => None,
        })
        .expect("the download answers with the full report");
    let report: serde_json::Value = serde_json::from_str(&report_json).expect("the report is valid JSON");
    let warnings =
        report["warnings"].as_array().map(|ws| ws.iter().filter_map(|w| w.as_str().map(String::from)).collect()).unwrap_or_default();
    Ok(Outcome { report_json, warnings, nodes: all.nodes, empty: all.empty })
}

/// The last dashboard among `answers` and the last full report among them; the first error.
fn last_report(answers: &[Response]) -> Result<(Analysis, Option<String>), Failure> {
    // (the JSON is only ever sent alone, as the answer to the download)
    let mut last = None;
    let mut json = None;
    for r in answers {
        match r {
            Response::Error { kind, message, .. } => return Err(Failure { kind: *kind, message: message.clone() }),
            Response::Report { analysis, .. } => last = Some((**analysis).clone()),
            Response::ReportJson { json: j, .. } => json = Some(j.clone()),
            _ => {}
        }
    }
    let analysis = last.expect("a load that did not fail answers with a report");
    Ok((analysis, json))
}
