//! The worked example (LOGS.md §4.7): the fixture log's report equals its truth and
//! successrate.sh's golden output, by the rules of `logs::compare`, however it is sliced.

use std::path::PathBuf;

use logs::LogReader;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/logs").join(name)
}

fn load_json(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture JSON");
    serde_json::from_str(&text).expect("valid JSON")
}

fn report_in_slices(bytes: &[u8], slice: usize) -> model::log_report::LogReport {
    let mut r = LogReader::new("fixture.log", bytes.len() as u64);
    for part in bytes.chunks(slice.max(1)) {
        r.push(part).expect("a log");
    }
    r.finish(None).expect("a report")
}

#[test]
fn fixture_report_equals_truth_and_successrate() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let report = report_in_slices(&bytes, 8 << 20);
    let json = serde_json::to_value(&report).expect("serializable");
    let (bad, checks) = logs::compare::compare(&load_json("fixture.expected.json"), &load_json("fixture.truth.json"), &json);
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
    assert!(checks > 400, "only {checks} checks");
}

#[test]
fn successrate_figures_are_exact_not_just_within_tolerance() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let report = report_in_slices(&bytes, 1 << 20);
    let golden = load_json("fixture.expected.json");
    let ours = serde_json::to_value(&report.successrate_compat.categories).expect("serializable");
    assert_eq!(ours, golden["categories"], "the emulated double rounding prints what successrate.sh printed");
}

#[test]
fn any_slicing_gives_the_same_report() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let whole = report_in_slices(&bytes, bytes.len());
    for slice in [1usize, 7, 4096, 61_077, 100_003] {
        let mut r = report_in_slices(&bytes, slice);
        r.diagnostics = whole.diagnostics.clone();
        assert_eq!(r, whole, "slices of {slice} bytes");
    }
}

#[test]
fn report_keys_are_in_specified_order() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let text = serde_json::to_string(&report_in_slices(&bytes, 1 << 20)).expect("serializable");
    let order = [
        "\"format\"",
        "\"input\"",
        "\"now\"",
        "\"lines\"",
        "\"time_range\"",
        "\"key_styles\"",
        "\"versions\"",
        "\"summary\"",
        "\"categories\"",
        "\"other_actions\"",
        "\"satellites\"",
        "\"unattributed\"",
        "\"hourly\"",
        "\"failure_reasons\"",
        "\"started\"",
        "\"removals\"",
        "\"successrate_compat\"",
        "\"diagnostics\"",
    ];
    let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap_or_else(|| panic!("{k} missing"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "top-level keys out of order: {positions:?}");
    assert!(text.starts_with("{\"format\":\"storj-log-report/1\""));
}
