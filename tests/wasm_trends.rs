//! The trends worked examples in headless Chromium, on SQLite compiled to wasm (its `json_each`,
//! `pragma_table_list` and the wasm float library): `cargo test --target wasm32-unknown-unknown
//! --test wasm_trends`. The native twin is `trends_fixture.rs`.
#![cfg(target_arch = "wasm32")]

use engine::cache::ManualClock;
use engine::compare_trends::compare_trends;
use engine::time::parse_rfc3339;
use engine::{Analyzer, ReportOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

static TRENDS_DB: &[u8] = include_bytes!("../tests/fixtures/trends.db");
static TRENDS_GOLDEN: &str = include_str!("../tests/fixtures/trends.trends.json");
static SMALL_DB: &[u8] = include_bytes!("../tests/fixtures/small.db");
static SMALL_GOLDEN: &str = include_str!("../tests/fixtures/small.trends.json");

fn check(db: &[u8], golden: &str, indexed: bool) {
    let mut a = Analyzer::open(db, Box::new(ManualClock::default())).expect("fixture loads");
    if indexed {
        a.build_indexes().expect("indexes");
    } else {
        assert!(a.single_pass().expect("single pass"));
    }
    let report = a.report(&ReportOptions::new(parse_rfc3339("2025-10-10T12:00:00+00:00").unwrap())).unwrap();
    let diffs = compare_trends(&serde_json::from_str(golden).unwrap(), &serde_json::to_value(&report).unwrap());
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[wasm_bindgen_test]
fn trends_db_matches_the_original_in_wasm() {
    check(TRENDS_DB, TRENDS_GOLDEN, true);
    check(TRENDS_DB, TRENDS_GOLDEN, false);
}

#[wasm_bindgen_test]
fn small_db_matches_the_original_in_wasm() {
    check(SMALL_DB, SMALL_GOLDEN, true);
}
