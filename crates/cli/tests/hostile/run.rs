//! Everything the CLI and the app compute on one file, in the order they do it: load (header,
//! hardened copy, quick_check, schema), row counts, indexes + ANALYZE, the default "now", the
//! single-pass first dashboard, the full JSON report, and the dashboard's view-model for every node and for all nodes together.
//!
//! Shared by the hostile-input tests (`tests/hostile.rs`), the fuzz-regression test and the fuzz
//! target (`fuzz/fuzz_targets/whole_report.rs`, through `#[path]`).

#![allow(dead_code)]

use engine::cache::ManualClock;
use engine::dashboard::{self, AnalyzeParams, NowMode};
use engine::db::{self, Deadline};
use engine::{Analyzer, EngineError};

/// The wall clock the runs pretend it is (2025-10-10T12:00:00Z) when the file has no rows.
pub const WALL_NOW: i64 = 1_760_097_600_000_000;

/// What a successful run produced.
pub struct Outcome {
    pub report_json: String,
    pub warnings: Vec<String>,
    pub nodes: Vec<String>,
    pub empty: bool,
}

pub fn monotonic_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// Runs the whole pipeline with a per-step deadline of `limit_ms`.
pub fn whole_report(bytes: &[u8], limit_ms: f64) -> Result<Outcome, EngineError> {
    let deadline = Deadline::new(limit_ms, monotonic_ms);
    run(bytes, &deadline).map_err(|e| deadline.explain(e))
}

fn run(bytes: &[u8], deadline: &Deadline) -> Result<Outcome, EngineError> {
    let mut a = Analyzer::open_with_deadline(bytes, Box::new(ManualClock::default()), Some(deadline))?;
    db::table_counts(a.connection())?;
    deadline.restart();
    // The app's first dashboard comes from one scan (SPEC 8), the indexes afterwards.
    let fast = a.single_pass()?;
    if fast {
        let now = a.default_now()?.unwrap_or(WALL_NOW);
        let params = AnalyzeParams { now: NowMode::At(now), ..AnalyzeParams::default() };
        dashboard::analyze(&mut a, &params, WALL_NOW, None)?;
    }
    deadline.restart();
    a.build_indexes()?;
    deadline.restart();
    let now = a.default_now()?.unwrap_or(WALL_NOW);
    let (report_json, diagnostics) = dashboard::report_json(&mut a, now)?;
    let report: serde_json::Value = serde_json::from_str(&report_json).expect("the report is valid JSON");
    let warnings =
        report["warnings"].as_array().map(|ws| ws.iter().filter_map(|w| w.as_str().map(String::from)).collect()).unwrap_or_default();
    deadline.restart();
    let params = AnalyzeParams { now: NowMode::At(now), ..AnalyzeParams::default() };
    let all = dashboard::analyze(&mut a, &params, WALL_NOW, Some(&diagnostics))?;
    // Each node on its own, and the whole file as the window (hours: None), as the pickers ask.
    for node in all.nodes.iter().take(4) {
        let p = AnalyzeParams { node: Some(node.clone()), hours: None, ..params.clone() };
        dashboard::analyze(&mut a, &p, WALL_NOW, Some(&diagnostics))?;
    }
    Ok(Outcome { report_json, warnings, nodes: all.nodes, empty: all.empty })
}
