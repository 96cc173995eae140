//! The worked example: the report on `tests/fixtures/small.db` at the fixture's now equals
//! the original monitor's `small.expected.json` under the rules of ANALYTICS section 11.

use std::path::PathBuf;

use engine::cache::ManualClock;
use engine::compare::compare_reports;
use engine::time::parse_rfc3339;
use engine::{Analyzer, ReportOptions};

const NOW: &str = "2025-10-10T12:00:00+00:00";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture("small.expected.json")).expect("small.expected.json beside the repo");
    serde_json::from_str(&text).expect("expected JSON")
}

fn analyzer() -> Analyzer {
    let bytes = std::fs::read(fixture("small.db")).expect("small.db beside the repo");
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).expect("fixture loads");
    a.build_indexes().expect("indexes");
    a
}

fn assert_equal(actual: &serde_json::Value) {
    let diffs = compare_reports(&expected(), actual);
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}

#[test]
fn report_matches_the_original() {
    let mut a = analyzer();
    let report = a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_equal(&json);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn report_is_bit_exact_and_in_key_order() {
    let mut a = analyzer();
    let report = a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap();
    let mut actual = serde_json::to_value(&report).unwrap();
    let expected = expected();
    // Drop storj-lens's additions; what is left must be identical, key order included. (The
    // trends section has its own golden: tests/trends_fixture.rs.)
    let obj = actual.as_object_mut().unwrap();
    obj.remove("diagnostics");
    obj.remove("warnings");
    obj.remove("trends");
    for node in obj["nodes"].as_object_mut().unwrap().values_mut() {
        for period in node["periods"].as_object_mut().unwrap().values_mut() {
            let p = period.as_object_mut().unwrap();
            p.remove("payout");
            p.remove("month_end_estimate");
        }
    }
    let mut diffs = Vec::new();
    identical(&expected, &actual, "$", &mut diffs);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // serde_json's parser may be 1 ulp off (no `float_roundtrip`), so check the floats bit for
    // bit from the texts: both reports list their numbers in the same order.
    let expected_text = std::fs::read_to_string(fixture("small.expected.json")).unwrap();
    let (en, an) = (numbers(&expected_text), numbers(&serde_json::to_string(&actual).unwrap()));
    assert_eq!(en.len(), an.len());
    for (i, (x, y)) in en.iter().zip(&an).enumerate() {
        let is_int = |t: &str| !t.contains(['.', 'e', 'E']);
        assert_eq!(is_int(x), is_int(y), "number #{i}: {x} vs {y}");
        let (fx, fy): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
        assert_eq!(fx.to_bits(), fy.to_bits(), "number #{i}: {x} vs {y}");
    }
}

/// The number tokens of a JSON text, in order (outside strings).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut in_string, mut escaped, mut current) = (false, false, String::new());
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        let starts = c.is_ascii_digit() || c == '-';
        if starts || (!current.is_empty() && matches!(c, '+' | '.' | 'e' | 'E')) {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        in_string = c == '"';
    }
    out
}

/// Same keys in the same order, same JSON types (int vs float), bit-identical floats.
fn identical(e: &serde_json::Value, a: &serde_json::Value, path: &str, diffs: &mut Vec<String>) {
    use serde_json::Value::*;
    match (e, a) {
        (Object(x), Object(y)) => {
            let (kx, ky): (Vec<_>, Vec<_>) = (x.keys().collect(), y.keys().collect());
            if kx != ky {
                diffs.push(format!("{path}: keys {kx:?} vs {ky:?}"));
            }
            for (k, v) in x {
                if let Some(w) = y.get(k) {
                    identical(v, w, &format!("{path}.{k}"), diffs);
                }
            }
        }
        (Array(x), Array(y)) => {
            if x.len() != y.len() {
                diffs.push(format!("{path}: length {} vs {}", x.len(), y.len()));
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                identical(v, w, &format!("{path}[{i}]"), diffs);
            }
        }
        (Number(x), Number(y)) => {
            let same = match (x.as_i64(), y.as_i64()) {
                (Some(i), Some(j)) => i == j,
                (None, None) => x.is_f64() && y.is_f64(), // bits checked on the texts below
                _ => false,
            };
            if !same {
                diffs.push(format!("{path}: {x} vs {y}"));
            }
        }
        _ if e == a => {}
        _ => diffs.push(format!("{path}: {e} vs {a}")),
    }
}

#[test]
fn storj_lens_additions_of_the_fixture() {
    let mut a = analyzer();
    let r = a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap();
    let p = r.nodes.get("node-2").unwrap().periods.get("2025-10").unwrap();
    assert_eq!((p.payout.gross, p.payout.held, p.payout.paid), (6.353710545006654, 4.765282908754991, 1.5884276362516632));
    assert_eq!(p.month_end_estimate.elapsed_fraction, 0.3064516129032258);
    let sep = r.nodes.get("node-2").unwrap().periods.get("2025-09").unwrap();
    assert_eq!(sep.month_end_estimate.elapsed_fraction, 1.0);
    let stages: Vec<&str> = r.diagnostics.timings_ms.keys().map(String::as_str).collect();
    for s in ["load", "validate", "indexes", "analyze", "earnings", "latency", "total"] {
        assert!(stages.contains(&s), "{s} missing from {stages:?}");
    }
    assert_eq!(r.diagnostics.indexes.len(), 4);
    assert!(r.diagnostics.indexes.iter().all(|i| i.created));
    let caches: Vec<&str> = r.diagnostics.caches.keys().map(String::as_str).collect();
    assert_eq!(caches, ["satellites", "traffic", "storage", "latency_stats", "latency_histograms"]);
    // 3 nodes x 2 periods: one lookup each; the satellite list is shared by a node's periods.
    let c = |k| *r.diagnostics.caches.get(k).unwrap();
    assert_eq!((c("satellites").hits, c("satellites").misses), (3, 3));
    assert_eq!((c("traffic").hits, c("traffic").misses), (0, 6));
    assert_eq!((c("storage").hits, c("storage").misses), (0, 6));
    assert_eq!((c("latency_stats").hits, c("latency_stats").misses), (0, 8));
    assert_eq!((c("latency_histograms").hits, c("latency_histograms").misses), (0, 16));
}

#[test]
fn second_report_is_served_from_the_caches_and_unchanged() {
    let mut a = analyzer();
    let opts = ReportOptions::new(parse_rfc3339(NOW).unwrap());
    let first = a.report(&opts).unwrap();
    let second = a.report(&opts).unwrap();
    assert_eq!(first.nodes, second.nodes);
    assert_eq!(first.latency, second.latency);
    let c = |k| *second.diagnostics.caches.get(k).unwrap();
    assert_eq!((c("traffic").hits, c("storage").hits, c("latency_stats").hits), (6, 6, 8));
    // Another now empties the storage and latency caches, not traffic.
    let later = a.report(&ReportOptions::new(parse_rfc3339("2025-10-10T13:00:00+00:00").unwrap())).unwrap();
    let c = |k| *later.diagnostics.caches.get(k).unwrap();
    assert_eq!((c("traffic").hits, c("storage").misses, c("latency_stats").misses), (12, 12, 16));
}

#[test]
fn default_now_is_the_newest_event() {
    let a = analyzer();
    let now = a.default_now().unwrap().unwrap();
    assert_eq!(engine::time::iso(now), "2025-10-10T11:59:29.435851+00:00");
}
