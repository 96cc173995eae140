//! The fixture comparison and the index-use rule, run by wasm-bindgen-test in headless Chromium
//! on SQLite compiled to wasm: `cargo test --target wasm32-unknown-unknown --test wasm_engine`.
#![cfg(target_arch = "wasm32")]

use engine::cache::ManualClock;
use engine::compare::compare_reports;
use engine::explain::plan_failures;
use engine::time::parse_rfc3339;
use engine::{Analyzer, ReportOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

static SMALL_DB: &[u8] = include_bytes!("../tests/fixtures/small.db");
static EXPECTED: &str = include_str!("../tests/fixtures/small.expected.json");

fn indexed_fixture() -> Analyzer {
    let mut a = Analyzer::open(SMALL_DB, Box::new(ManualClock::default())).expect("fixture loads");
    a.build_indexes().expect("indexes");
    a
}

#[wasm_bindgen_test]
fn fixture_report_matches_the_original() {
    let mut a = indexed_fixture();
    let report = a.report(&ReportOptions::new(parse_rfc3339("2025-10-10T12:00:00+00:00").unwrap())).unwrap();
    let actual = serde_json::to_value(&report).unwrap();
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    let diffs = compare_reports(&expected, &actual);
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let c = report.diagnostics.caches.get("traffic").unwrap();
    assert_eq!((c.hits, c.misses), (0, 6));
}

#[wasm_bindgen_test]
fn every_engine_query_uses_an_index_in_wasm() {
    let a = indexed_fixture();
    let failures = plan_failures(a.connection());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(Analyzer::open(&[], Box::new(ManualClock::default())).is_err());
    assert!(Analyzer::open(b"not a database", Box::new(ManualClock::default())).is_err());
    assert!(Analyzer::open(&SMALL_DB[..SMALL_DB.len() / 2], Box::new(ManualClock::default())).is_err());
}

/// SPEC 8: the single-pass path (no index) and the indexed SQL path give identical reports in
/// wasm too (everything but `diagnostics`), at the fixture's now and at the file's default now.
#[wasm_bindgen_test]
fn single_pass_and_indexed_reports_are_identical() {
    let strip = |r: &engine::report::Report| {
        let mut v = serde_json::to_value(r).unwrap();
        v.as_object_mut().unwrap().remove("diagnostics");
        v
    };
    let mut fast = Analyzer::open(SMALL_DB, Box::new(ManualClock::default())).unwrap();
    assert!(fast.single_pass().unwrap());
    let mut slow = indexed_fixture();
    assert_eq!(fast.default_now().unwrap(), slow.default_now().unwrap());
    let fixture_now = parse_rfc3339("2025-10-10T12:00:00+00:00").unwrap();
    for now in [fixture_now, slow.default_now().unwrap().unwrap()] {
        let a = strip(&fast.report(&ReportOptions::new(now)).unwrap());
        let b = strip(&slow.report(&ReportOptions::new(now)).unwrap());
        assert!(a == b, "single-pass and indexed reports differ at now {now}");
    }
    // The single-pass report also matches the original's.
    let mut fresh = Analyzer::open(SMALL_DB, Box::new(ManualClock::default())).unwrap();
    assert!(fresh.single_pass().unwrap());
    let actual = serde_json::to_value(fresh.report(&ReportOptions::new(fixture_now)).unwrap()).unwrap();
    let diffs = compare_reports(&serde_json::from_str(EXPECTED).unwrap(), &actual);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
