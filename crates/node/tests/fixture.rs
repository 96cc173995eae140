//! The worked example (tests/fixtures/node): earnings.py's goldens for March 2025 (past) and
//! April 2025 (current, now 2025-04-14T09:30:00Z), checked by the §4.3–4.4 rules.

use std::path::PathBuf;

use node::NodeSet;
use serde_json::Value;

const NOW: &str = "2025-04-14T09:30:00Z";

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/node")
}

fn fixture_set() -> NodeSet {
    let mut set = NodeSet::new();
    for name in node::FILE_NAMES {
        let bytes = std::fs::read(fixture_dir().join(name)).expect("fixture file");
        set.add(name, bytes).expect("a node database");
    }
    set
}

fn golden(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture_dir().join(name)).expect("golden")).expect("golden JSON")
}

fn check(month: &str, golden_name: &str) {
    let set = fixture_set();
    let report = set.report(Some(month), Some(NOW), 0).expect("report");
    let json = serde_json::to_value(&report).expect("JSON");
    let c = node::compare::compare(&golden(golden_name), &json);
    assert!(c.diffs.is_empty(), "{} mismatches:\n{}", c.diffs.len(), c.diffs.join("\n"));
    assert!(c.checked > 140, "only {} figures compared", c.checked);
}

#[test]
fn past_month_matches_earnings_py() {
    check("2025-03", "fixture.expected.json");
}

#[test]
fn current_month_matches_earnings_py() {
    check("2025-04", "fixture-current.expected.json");
}

#[test]
fn a_wrong_report_is_caught_by_the_comparison() {
    let set = fixture_set();
    let mut json = serde_json::to_value(set.report(Some("2025-03"), Some(NOW), 0).expect("report")).expect("JSON");
    json["satellites"][1]["payout"] = Value::from(0.7);
    json["totals"]["upload"] = Value::from(880_060_000_000u64);
    json["satellites"][0]["transaction"] = Value::Null;
    let c = node::compare::compare(&golden("fixture.expected.json"), &json);
    assert_eq!(c.diffs.len(), 2, "{:?}", c.diffs);
    json["satellites"][1]["name"] = Value::from("x");
    let c = node::compare::compare(&golden("fixture.expected.json"), &json);
    assert_eq!(c.diffs.len(), 3, "{:?}", c.diffs);
}

#[test]
fn default_now_is_the_newest_record_and_months_are_listed() {
    let report = fixture_set().report(None, None, 0).expect("report");
    assert_eq!(report.now, "2025-04-14T08:40:14.548891Z");
    assert_eq!(report.now_source, "newest-record");
    assert_eq!(report.month, "2025-04");
    assert_eq!(report.mode, "current");
    assert_eq!(report.months, vec!["2025-04", "2025-03", "2025-02", "2025-01", "2024-12"]);
    assert_eq!(report.series.days.len(), 14);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn the_files_panel_lists_all_eight_in_order() {
    let set = fixture_set();
    let files = set.files();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, node::FILE_NAMES.to_vec());
    assert!(files.iter().all(|f| f.status == "loaded" && f.journal.as_deref() == Some("wal") && f.wal.is_none()));
    assert_eq!(files[0].schema_version, Some(53));
    assert!(set.missing_required().is_empty());
}

#[test]
fn additions_of_the_past_month() {
    let report = fixture_set().report(Some("2025-03"), Some(NOW), 0).expect("report");
    // Every satellite has its March paystub, with the rates it actually paid.
    for sat in &report.satellites {
        let stub = sat.paystub.as_ref().expect("paystub");
        assert_eq!(stub.period, "2025-03");
        let rate = stub.rates.egress_tb.expect("egress rate");
        assert!(rate > 1.0 && rate < 3.0, "{rate}");
    }
    let stubs = report.totals.as_ref().and_then(|t| t.paystub.as_ref()).expect("totals.paystub");
    let held: f64 = report.satellites.iter().filter_map(|s| s.paystub.as_ref()).map(|p| p.held).sum();
    assert!((stubs.held - held).abs() < 1e-9);
    // History: 4 months × 3 satellites; running held totals end at the TOTAL row's held + this month's.
    assert_eq!(report.payout_history.len(), 12);
    assert_eq!(report.held_history.len(), 4);
    let last = report.held_history.last().expect("held history");
    assert!((last.held_total - 5.666583).abs() < 1e-9, "{}", last.held_total);
    assert!(report
        .payments
        .iter()
        .all(|p| p.kind == "eth" && p.url.as_deref().is_some_and(|u| u.starts_with("https://etherscan.io/tx/0x"))));
    assert_eq!(report.scores.satellites.len(), 3);
    let ap1 = &report.scores.satellites[0];
    assert_eq!(ap1.name, "ap1.storj.io:7777");
    assert_eq!(ap1.vetting.as_ref().map(|v| v.audits), Some(66));
    assert_eq!(report.series.days.len(), 31);
    assert_eq!(report.series.bandwidth.len(), 31 * 3);
}

#[test]
fn another_month_is_fast() {
    let set = fixture_set();
    set.report(Some("2025-04"), Some(NOW), 0).expect("warm");
    let started = std::time::Instant::now();
    for month in ["2025-03", "2025-02", "2025-01", "2024-12"] {
        set.report(Some(month), Some(NOW), 0).expect("report");
    }
    let per_month = started.elapsed().as_secs_f64() * 1000.0 / 4.0;
    // A loose bound (debug builds, shared machines): the benchmark has the real figure.
    assert!(per_month < 500.0, "{per_month} ms per month");
}
