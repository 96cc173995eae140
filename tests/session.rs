//! The worker's pipeline, natively: `engine::Session` answers each order of events the page can
//! produce with the protocol responses the page expects (load, first report, clicks right after
//! it, clear, a new file, bad and too-large files, the deadline). No index is built after a
//! single pass: nothing runs after the first report that a click could wait behind.

use engine::cache::ManualClock;
use engine::time::parse_rfc3339;
use engine::{Analyzer, ReportOptions, Session, Source};
use model::protocol::{ErrorKind, Response, Stage};
use model::view::{Analysis, AnalyzeParams, LatencyPanel, NowMode, Timing};

const SMALL: &[u8] = include_bytes!("fixtures/small.db");
const NOW: &str = "2025-10-10T12:00:00+00:00";

fn clock() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn session() -> Session {
    Session::new(clock, || parse_rfc3339(NOW).unwrap_or(0), 60_000.0)
}

fn source(name: &str, bytes: &'static [u8]) -> Source<&'static [u8]> {
    Source { name: name.into(), len: bytes.len() as u64, reader: bytes, opened: Timing { stage: "open".into(), ms: 0.0 }, read_ms: || 0.0 }
}

fn params() -> AnalyzeParams {
    AnalyzeParams { now: NowMode::At(parse_rfc3339(NOW).unwrap()), ..AnalyzeParams::default() }
}

/// Runs one step and returns what it emitted.
fn step(f: impl FnOnce(&mut dyn FnMut(Response))) -> Vec<Response> {
    let mut out = Vec::new();
    f(&mut |r| out.push(r));
    out
}

/// A compact picture of a response sequence: `progress:loading`, `loaded`, `report`, `error:...`.
fn shape(rs: &[Response]) -> Vec<String> {
    rs.iter()
        .map(|r| match r {
            Response::Progress { stage, .. } => format!("progress:{stage:?}"),
            Response::Loaded { .. } => "loaded".into(),
            Response::Report { .. } => "report".into(),
            Response::ReportJson { .. } => "report-json".into(),
            Response::Error { kind, .. } => format!("error:{kind:?}"),
            other => format!("{other:?}"),
        })
        .collect()
}

fn analysis(r: &Response) -> &Analysis {
    match r {
        Response::Report { analysis, .. } => analysis,
        other => panic!("not a report: {other:?}"),
    }
}

fn report_json(rs: &[Response]) -> Option<String> {
    rs.iter().rev().find_map(|r| match r {
        Response::ReportJson { json, .. } => Some(json.clone()),
        _ => None,
    })
}

#[test]
fn load_answers_with_progress_loaded_and_the_first_report_without_any_events_index() {
    let mut s = session();
    let rs = step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    assert_eq!(shape(&rs), ["progress:Loading", "progress:Computing", "loaded", "report"]);
    assert!(rs.iter().all(|r| r.id() == Some(1)));
    let Response::Loaded { summary, .. } = &rs[2] else { unreachable!() };
    assert_eq!(summary.tables.iter().find(|t| t.name == "events").map(|t| t.rows), Some(20_000), "the scan's count");
    assert_eq!((summary.name.as_str(), summary.size), ("small.db", SMALL.len() as u64));
    assert!(summary.tables.iter().any(|t| t.name == "events" && t.rows > 0));
    let first = analysis(&rs[3]);
    // Only the snapshots' index (cheap; storage earnings and trends read snapshots node by node).
    assert!(
        first.diagnostics.indexes.iter().all(|i| !i.created || i.name == "idx_storage_node_time_used"),
        "no events index is built: {:?}",
        first.diagnostics.indexes
    );
    assert!(first.diagnostics.stages.iter().any(|t| t.stage == "single pass"));
    // The success rates come with the first report (from the kept copy of recent rows).
    let LatencyPanel::Ready(l) = &first.latency else { panic!("latency") };
    assert!(l.categories.iter().any(|c| c.success_rate.is_some()), "{:?}", l.categories);
}

/// The dashboard of the indexed SQL path, the reference for every click.
fn indexed_dashboard(p: &AnalyzeParams) -> Analysis {
    let mut a = Analyzer::open(SMALL, Box::new(ManualClock::default())).unwrap();
    a.build_indexes().unwrap();
    engine::dashboard::analyze(&mut a, p, 0, None).unwrap()
}

#[test]
fn every_click_right_after_the_first_report_is_answered_at_once_with_the_indexed_figures() {
    let mut s = session();
    step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    let mut id = 1;
    for node in [None, Some("node-2".to_string())] {
        for period in [None, Some("2025-09".to_string())] {
            for hours in [Some(1), Some(24), None] {
                for bucket_ms in [50, 100, 250, 500] {
                    id += 1;
                    let p = AnalyzeParams { node: node.clone(), period: period.clone(), hours, bucket_ms, ..params() };
                    let rs = step(|out| s.analyze(id, &p, out));
                    assert_eq!(shape(&rs), ["progress:Computing", "report"], "{p:?}");
                    let got = analysis(&rs[1]);
                    let want = indexed_dashboard(&p);
                    assert_eq!(got.summary, want.summary, "{p:?}");
                    assert_eq!(got.satellites, want.satellites, "{p:?}");
                    assert_eq!(got.latency, want.latency, "{p:?}");
                    assert_eq!(got.warnings, want.warnings, "{p:?}");
                }
            }
        }
    }
}

#[test]
fn the_downloaded_report_is_the_cli_report() {
    let mut s = session();
    step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    let download = step(|out| s.report_json(2, &params(), out));
    assert_eq!(shape(&download), ["progress:Computing", "report-json"]);
    let mut a = Analyzer::open(SMALL, Box::new(ManualClock::default())).unwrap();
    a.build_indexes().unwrap();
    let cli = a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap();
    let strip = |json: &str| {
        let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
        v.as_object_mut().unwrap().remove("diagnostics");
        v
    };
    let cli = strip(&serde_json::to_string(&cli).unwrap());
    assert_eq!(strip(&report_json(&download).expect("the full report")), cli);
    // Without a database: an error, not a report.
    s.clear();
    assert_eq!(shape(&step(|out| s.report_json(3, &params(), out))), ["progress:Computing", "error:NoDatabase"]);
}

#[test]
fn clear_forgets_the_database() {
    let mut s = session();
    step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    s.clear();
    let rs = step(|out| s.analyze(2, &params(), out));
    assert_eq!(shape(&rs), ["progress:Computing", "error:NoDatabase"]);
}

#[test]
fn a_new_file_replaces_the_old_one() {
    let mut s = session();
    step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    let demo: &'static [u8] =
        Box::leak(demo::demo_bytes(&demo::DemoOptions { events: 2_000, ..Default::default() }).unwrap().into_boxed_slice());
    let rs = step(|out| s.load(2, source("demo.db", demo), &AnalyzeParams::default(), out));
    assert!(rs.iter().all(|r| r.id() == Some(2)));
    let Some(Response::Loaded { summary, .. }) = rs.iter().find(|r| matches!(r, Response::Loaded { .. })) else { panic!() };
    assert_eq!(summary.name, "demo.db");
    assert!(summary.tables.iter().any(|t| t.name == "events" && t.rows == 2_000), "{:?}", summary.tables);
    assert!(matches!(rs.last(), Some(Response::Report { .. })));
    let rs = step(|out| s.analyze(3, &AnalyzeParams { hours: None, ..AnalyzeParams::default() }, out));
    assert!(matches!(rs.last(), Some(Response::Report { id: 3, .. })), "the new file answers clicks");
}

#[test]
fn a_bad_file_is_one_error_with_its_kind_and_the_next_file_loads() {
    let mut s = session();
    step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    let png: &'static [u8] =
        b"\x89PNG\r\n\x1a\n0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    let rs = step(|out| s.load(2, source("a.png", png), &params(), out));
    assert_eq!(shape(&rs), ["progress:Loading", "error:NotSqlite"]);
    assert!(!s.is_loaded(), "the old database is gone too");
    let empty: &'static [u8] = b"";
    assert_eq!(shape(&step(|out| s.load(3, source("e.db", empty), &params(), out))), ["progress:Loading", "error:EmptyFile"]);
    let truncated: &'static [u8] = &SMALL[..50_000];
    let rs = step(|out| s.load(4, source("t.db", truncated), &params(), out));
    assert!(matches!(rs.last(), Some(Response::Error { kind: ErrorKind::Corrupt | ErrorKind::Unreadable, .. })), "{rs:?}");
    let rs = step(|out| s.load(5, source("small.db", SMALL), &params(), out));
    assert!(shape(&rs).contains(&"report".to_string()), "{:?}", shape(&rs));
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let mut s = session().with_max_file_bytes(1_000);
    let rs = step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    assert_eq!(shape(&rs), ["error:TooLarge"]);
    let Response::Error { message, .. } = &rs[0] else { unreachable!() };
    assert!(message.contains(&SMALL.len().to_string()) && message.contains("1000 bytes"), "{message}");
    assert!(s.check_size(999).is_ok());
}

#[test]
fn the_deadline_interrupts_a_step_and_names_the_limit() {
    let mut s = Session::new(clock, || 0, 0.0);
    let rs = step(|out| s.load(1, source("small.db", SMALL), &params(), out));
    let Some(Response::Error { kind, message, .. }) = rs.last() else { panic!("{rs:?}") };
    assert_eq!(*kind, ErrorKind::Interrupted);
    assert!(message.contains("time limit"), "{message}");
}

#[test]
fn the_demo_loads_as_demo_db() {
    let mut s = session();
    let rs = step(|out| s.load_demo(1, &AnalyzeParams::default(), out));
    assert_eq!(shape(&rs)[0], "progress:Generating");
    assert!(rs.iter().any(|r| matches!(r, Response::Loaded { summary, .. } if summary.name == "demo.db")));
    assert!(rs.iter().any(|r| matches!(r, Response::Report { .. })));
    let Some(Response::Progress { stage, .. }) = rs.first() else { unreachable!() };
    assert_eq!(*stage, Stage::Generating);
}
