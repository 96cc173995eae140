//! Latency statistics and histograms (ANALYTICS.md sections 8 and 9) against the original
//! monitor's report on the fixture: every view × window {1, 24} h × bucket {100, 250} ms,
//! ints exact, the JSON type of every number exact, floats bit-exact.
//!
//! The expected floats are all short decimals (2-decimal latency figures), which serde_json
//! parses exactly (≤ 15 significant digits: a single correctly rounded operation), so comparing
//! `serde_json::Value`s compares the f64 bits.

use engine::db::load_bytes;
use engine::explain::query_plan;
use engine::indexes;
use engine::latency::{latency_histogram, latency_stats};
use serde_json::Value;

const FIXTURE_DB: &str = "tests/fixtures/small.db";
const FIXTURE_JSON: &str = "tests/fixtures/small.expected.json";
const HOURS: [i64; 2] = [1, 24];
const BUCKETS: [i64; 2] = [100, 250];

fn read(path: &str) -> Vec<u8> {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}

/// iso(t): `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, microseconds only when not zero.
/// The fixture with the four indexes of section 12.5 and ANALYZE, made by the engine's own code.
fn indexed_fixture() -> rusqlite::Connection {
    let conn = load_bytes(&read(FIXTURE_DB)).expect("load fixture");
    for i in 0..indexes::INDEXES.len() {
        indexes::create_index(&conn, i, true, &|| 0.0).expect("index");
    }
    indexes::analyze(&conn).expect("ANALYZE");
    conn
}

fn iso(t: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    if t.nanosecond() / 1000 == 0 {
        format!("{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
    } else {
        format!("{}.{:06}+00:00", t.format("%Y-%m-%dT%H:%M:%S"), t.nanosecond() / 1000)
    }
}

fn cutoff(hours: i64) -> String {
    let now = chrono::NaiveDate::from_ymd_opt(2025, 10, 10).unwrap().and_hms_opt(12, 0, 0).unwrap();
    iso(now - chrono::Duration::hours(hours))
}

#[derive(Default, Debug)]
struct Tally {
    ints: usize,
    floats: usize,
    strings: usize,
    nulls: usize,
    lists: usize,
}

/// Exact comparison: same shape, same key order, ints exact, int vs float type exact,
/// floats bit-exact. Returns the mismatches with their paths.
fn compare(path: &str, expected: &Value, actual: &Value, tally: &mut Tally, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let ek: Vec<&String> = e.keys().collect();
            let ak: Vec<&String> = a.keys().collect();
            if ek != ak {
                errors.push(format!("{path}: keys {ek:?} != {ak:?}"));
            }
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => compare(&format!("{path}.{k}"), ev, av, tally, errors),
                    None => errors.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            tally.lists += 1;
            if e.len() != a.len() {
                errors.push(format!("{path}: length {} != {}", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), ev, av, tally, errors);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            if e.is_f64() != a.is_f64() {
                errors.push(format!("{path}: JSON type differs: expected {e}, got {a}"));
            } else if e.is_f64() {
                tally.floats += 1;
                let (ef, af) = (e.as_f64().unwrap(), a.as_f64().unwrap());
                if ef.to_bits() != af.to_bits() {
                    errors.push(format!("{path}: expected {ef:?}, got {af:?}"));
                }
            } else {
                tally.ints += 1;
                if e.as_i64() != a.as_i64() {
                    errors.push(format!("{path}: expected {e}, got {a}"));
                }
            }
        }
        (Value::String(e), Value::String(a)) => {
            tally.strings += 1;
            if e != a {
                errors.push(format!("{path}: expected {e:?}, got {a:?}"));
            }
        }
        (Value::Null, Value::Null) => tally.nulls += 1,
        (e, a) => {
            if e != a {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

fn check_against_fixture(conn: &rusqlite::Connection, label: &str) {
    let expected: Value = serde_json::from_slice(&read(FIXTURE_JSON)).expect("fixture JSON");
    let latency = &expected["latency"];
    let views: Vec<&String> = latency["stats"].as_object().expect("latency.stats").keys().collect();
    assert_eq!(views, ["node-1", "node-2", "node-3", "node-1,node-2,node-3"]);

    let mut tally = Tally::default();
    let mut errors = Vec::new();
    let mut compared = 0;
    for view_key in &views {
        let view: Vec<String> = view_key.split(',').map(str::to_string).collect();
        for h in HOURS {
            let cutoff = cutoff(h);
            let stats = latency_stats(conn, "events", &view, &cutoff).expect("latency_stats");
            assert!(stats.warnings.is_empty(), "{label}: unexpected warnings {:?}", stats.warnings);
            let actual = serde_json::to_value(&stats.value).unwrap();
            let want = &latency["stats"][view_key.as_str()][h.to_string()];
            assert!(!want.is_null(), "fixture lacks stats {view_key} {h}");
            compare(&format!("stats[{view_key}][{h}]"), want, &actual, &mut tally, &mut errors);
            compared += 1;

            for b in BUCKETS {
                let hist = latency_histogram(conn, "events", &view, &cutoff, b).expect("latency_histogram");
                assert!(hist.warnings.is_empty(), "{label}: unexpected warnings {:?}", hist.warnings);
                let actual = serde_json::to_value(&hist.value).unwrap();
                let want = &latency["histograms"][view_key.as_str()][h.to_string()][b.to_string()];
                assert!(want.is_array(), "fixture lacks histogram {view_key} {h} {b}");
                compare(&format!("histograms[{view_key}][{h}][{b}]"), want, &actual, &mut tally, &mut errors);
                compared += 1;
            }
        }
    }
    eprintln!("{label}: {compared} results compared: {tally:?}, {} mismatches", errors.len());
    assert!(errors.is_empty(), "{label}: {} mismatches:\n{}", errors.len(), errors.join("\n"));
    assert_eq!(compared, 4 * 2 * 3);
    assert!(tally.floats > 0 && tally.ints > 0);
}

#[test]
fn latency_matches_the_fixture_without_indexes() {
    let conn = load_bytes(&read(FIXTURE_DB)).expect("load fixture");
    check_against_fixture(&conn, "no indexes");
}

/// The same figures once the four indexes of section 12.5 exist (the app's later requests).
#[test]
fn latency_matches_the_fixture_with_the_four_indexes() {
    let conn = indexed_fixture();
    check_against_fixture(&conn, "four indexes");
}

#[test]
fn cutoffs_are_iso() {
    assert_eq!(cutoff(1), "2025-10-10T11:00:00+00:00");
    assert_eq!(cutoff(24), "2025-10-09T12:00:00+00:00");
}

/// Timing on a large file (not a pass/fail test): `LATENCY_BENCH_DB=/path/1m.db cargo test
/// --release --test latency_fixture -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_latency_on_a_large_file() {
    use engine::cache::monotonic_ms;
    let Ok(path) = std::env::var("LATENCY_BENCH_DB") else {
        eprintln!("set LATENCY_BENCH_DB");
        return;
    };
    let bytes = std::fs::read(&path).expect("bench db");
    let conn = load_bytes(&bytes).expect("load");
    let newest: String = conn.query_row("SELECT MAX(timestamp) FROM events", [], |r| r.get(0)).expect("newest");
    let now = chrono::DateTime::parse_from_rfc3339(&newest).expect("now").naive_utc();
    let nodes: Vec<String> = conn
        .prepare("SELECT DISTINCT node_name FROM events WHERE node_name IS NOT NULL ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut views: Vec<Vec<String>> = nodes.iter().map(|n| vec![n.clone()]).collect();
    views.push(nodes.clone());
    let run = |label: &str| {
        for view in &views {
            for h in HOURS {
                let cutoff = iso(now - chrono::Duration::hours(h));
                let t = monotonic_ms();
                let s = latency_stats(&conn, "events", view, &cutoff).unwrap();
                let ts = monotonic_ms() - t;
                let t = monotonic_ms();
                let hist = latency_histogram(&conn, "events", view, &cutoff, 100).unwrap();
                let th = monotonic_ms() - t;
                eprintln!(
                    "{label} {:>22} {h:>2} h: stats {:>8.2} ms ({} rows), histogram {:>8.2} ms ({} buckets)",
                    view.join(","),
                    ts,
                    s.value.total_operations,
                    th,
                    hist.value.len()
                );
            }
        }
    };
    run("no index");
    let t = monotonic_ms();
    conn.execute_batch(
        "CREATE INDEX IF NOT EXISTS idx_events_satellite_node_time ON events (satellite_id, node_name, timestamp);
         CREATE INDEX IF NOT EXISTS idx_events_node_satellite_time_status ON events (node_name, satellite_id, timestamp, status);
         CREATE INDEX IF NOT EXISTS idx_storage_node_time_used ON storage_snapshots (node_name, timestamp, used_bytes);
         CREATE INDEX IF NOT EXISTS idx_events_node_time_status_size ON events (node_name, timestamp, status, size);
         ANALYZE;",
    )
    .unwrap();
    eprintln!("indexes + ANALYZE: {:.0} ms", monotonic_ms() - t);
    run("indexed ");
    run("indexed again");
}

/// With the four indexes of section 12.5, every latency query reads events through an index
/// (or, for the slow-operation lookup, by rowid).
#[test]
fn latency_queries_use_an_index() {
    let conn = indexed_fixture();
    for view_len in [1, 3] {
        for (name, sql) in engine::latency::latency_queries(view_len) {
            let plan = query_plan(&conn, &sql).expect("plan");
            let reads: Vec<&String> = plan.iter().filter(|l| l.contains(" events")).collect();
            assert!(!reads.is_empty(), "{name}: {plan:?}");
            for line in reads {
                let indexed = line.starts_with("SEARCH events USING ") && (line.contains("INDEX") || line.contains("INTEGER PRIMARY KEY"));
                assert!(indexed, "{name} ({view_len} nodes) does not use an index: {plan:?}");
            }
        }
    }
}
