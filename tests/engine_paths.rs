//! The two paths to a report (SPEC section 8) give identical figures: the single pass (one scan
//! aggregated in Rust, no index) and the SQL path over the four indexes. Compared as JSON values,
//! everything but `diagnostics`, on the fixture, on the demo database and on files with odd rows.

use std::path::PathBuf;

use engine::cache::ManualClock;
use engine::time::{parse_rfc3339, Micros, Period};
use engine::{Analyzer, ReportOptions};
use model::view::{AnalyzeParams, NowMode};
use rusqlite::{Connection, MAIN_DB};

const NOW: &str = "2025-10-10T12:00:00+00:00";

fn fixture_bytes() -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.db");
    std::fs::read(p).expect("small.db beside the repo")
}

fn without_diagnostics(r: &engine::report::Report) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap();
    v.as_object_mut().unwrap().remove("diagnostics");
    v
}

fn opts(now: Micros) -> ReportOptions {
    let mut o = ReportOptions::new(now);
    o.extra_periods = vec![Period::parse("2025-08").unwrap(), Period::parse("2025-11").unwrap()];
    o
}

/// Reports of both paths for each `now` (None: the file's default now, which must agree too).
fn assert_paths_equal(bytes: &[u8], nows: &[Option<Micros>], expect_fast: bool) {
    let mut fast = Analyzer::open(bytes, Box::new(ManualClock::default())).unwrap();
    assert_eq!(fast.single_pass().unwrap(), expect_fast, "single pass usable");
    if !expect_fast {
        // Declined: the caller (CLI, worker) indexes first, as without a single pass.
        fast.build_indexes().unwrap();
    }
    let mut slow = Analyzer::open(bytes, Box::new(ManualClock::default())).unwrap();
    slow.build_indexes().unwrap();
    assert_eq!(fast.default_now().unwrap(), slow.default_now().unwrap(), "default now");
    for now in nows {
        let now = now.or(slow.default_now().unwrap()).expect("a now");
        let a = without_diagnostics(&fast.report(&opts(now)).unwrap());
        let b = without_diagnostics(&slow.report(&opts(now)).unwrap());
        if a != b {
            let (a, b) = (serde_json::to_string_pretty(&a).unwrap(), serde_json::to_string_pretty(&b).unwrap());
            let first = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
            panic!(
                "paths differ at now {now}, first at line {first}:\nsingle pass: {}\nindexed:     {}",
                a.lines().nth(first).unwrap_or(""),
                b.lines().nth(first).unwrap_or("")
            );
        }
        // Later requests on the single-pass analyzer, after indexing, still agree.
        if expect_fast {
            fast.build_indexes().unwrap();
            assert_eq!(without_diagnostics(&fast.report(&opts(now)).unwrap()), b);
        }
    }
}

#[test]
fn fixture_both_paths_identical() {
    let now = parse_rfc3339(NOW).unwrap();
    assert_paths_equal(&fixture_bytes(), &[Some(now), None, Some(now + 40 * 86_400_000_000)], true);
}

#[test]
fn fixture_single_pass_report_matches_the_original() {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.expected.json")).unwrap(),
    )
    .unwrap();
    let mut a = Analyzer::open(&fixture_bytes(), Box::new(ManualClock::default())).unwrap();
    assert!(a.single_pass().unwrap());
    assert!(!a.is_indexed());
    let report = a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap();
    let diffs = engine::compare::compare_reports(&expected, &serde_json::to_value(&report).unwrap());
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // The copy of recent rows is kept for the clicks (the table and its index), main untouched.
    let n: i64 = a.connection().query_row("SELECT count(*) FROM temp.sqlite_master", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
    assert!(a.recent_rows() > 0);
}

/// Every dashboard a click can ask for (each view, month, window and bucket size) equals the
/// indexed path's, for each `now`: answered from the copy of recent rows, the single pass's
/// bins, or `main.events` when neither holds the rows.
fn assert_dashboards_equal(bytes: &[u8], nows: &[Option<Micros>]) {
    let mut fast = Analyzer::open(bytes, Box::new(ManualClock::default())).unwrap();
    assert!(fast.single_pass().unwrap(), "single pass usable");
    let mut slow = Analyzer::open(bytes, Box::new(ManualClock::default())).unwrap();
    slow.build_indexes().unwrap();
    let mut nodes: Vec<Option<String>> = vec![None];
    nodes.extend(slow.nodes(&mut Default::default()).unwrap().into_iter().map(Some));
    for now in nows {
        let now = now.or(slow.default_now().unwrap()).expect("a now");
        for node in &nodes {
            for hours in [Some(1), Some(24), None] {
                for bucket_ms in [50, 100, 250, 500, 30] {
                    let p = AnalyzeParams { node: node.clone(), period: None, now: NowMode::At(now), hours, bucket_ms };
                    let a = engine::dashboard::analyze(&mut fast, &p, 0, None).unwrap();
                    let b = engine::dashboard::analyze(&mut slow, &p, 0, None).unwrap();
                    assert_eq!((&a.nodes, &a.periods), (&b.nodes, &b.periods), "nodes and months of {p:?}");
                    assert_eq!(a.latency, b.latency, "latency of {p:?}");
                    assert_eq!(a.warnings, b.warnings, "warnings of {p:?}");
                    assert_eq!((&a.summary, &a.satellites), (&b.summary, &b.satellites), "earnings of {p:?}");
                }
            }
        }
    }
    assert!(!fast.is_indexed(), "no index was built for the clicks");
}

#[test]
fn fixture_every_click_equals_the_indexed_path() {
    let now = parse_rfc3339(NOW).unwrap();
    // The file's now, a later now (empty windows) and one long before the end (main.events).
    assert_dashboards_equal(&fixture_bytes(), &[Some(now), None, Some(now + 40 * 86_400_000_000), Some(now - 20 * 86_400_000_000)]);
}

#[test]
fn demo_every_click_equals_the_indexed_path() {
    let bytes = demo::demo_bytes(&demo::DemoOptions { events: 30_000, ..Default::default() }).unwrap();
    assert_dashboards_equal(&bytes, &[None]);
}

#[test]
fn odd_rows_every_click_equals_the_indexed_path() {
    // NULL, REAL, TEXT durations, odd layouts: the bins and the day counts step aside.
    assert_dashboards_equal(&with_rows(&odd_rows_sql()), &[Some(parse_rfc3339(NOW).unwrap()), None]);
}

#[test]
fn a_sparse_node_and_a_two_day_tail_every_click_equals_the_indexed_path() {
    // node-9 has a few old rows only (its whole-file statistics need them all in the copy);
    // node-1 gets 12,000 timed rows over two days, so that the newest 10,000 rows of the views
    // begin a day before the 24 hours. (Rows with one timestamp across the 10,000th place may be
    // taken in another order by another query plan, indexed or not: SQL leaves ties unordered,
    // and a monitor's timestamps carry microseconds.)
    let mut sql = String::from(
        "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name, duration_ms) VALUES \
         ('2025-06-01T10:00:00+00:00', 'GET', 'success', 5, 'x', 'node-9', 120), \
         ('2025-06-02T10:00:00+00:00', 'PUT', 'failed', 5, 'x', 'node-9', 6000);\n",
    );
    for i in 0..12_000 {
        let day = if i < 4_000 { 8 } else { 9 };
        let ts = format!("2025-10-{day:02}T09:{:02}:{:02}.{:06}+00:00", i / 3600 % 60, i / 60 % 60, i);
        let (action, dur) = if i % 3 == 0 { ("GET", i % 700 + 1) } else { ("PUT", i % 9_000 + 1) };
        sql.push_str(&format!(
            "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name, duration_ms) \
             VALUES ('{ts}', '{action}', 'success', 1, 'x', 'node-1', {dur});\n"
        ));
    }
    let bytes = with_rows(&sql);
    assert_dashboards_equal(&bytes, &[Some(parse_rfc3339(NOW).unwrap()), None]);
    // And they were answered from the copy, not from a scan of main.events.
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    assert!(a.single_pass().unwrap());
    let whole_file = engine::time::iso(parse_rfc3339(NOW).unwrap() - model::view::WHOLE_FILE_HOURS * engine::time::MICROS_PER_HOUR);
    let all: Vec<String> = a.nodes(&mut Default::default()).unwrap();
    for view in [vec!["node-1".to_string()], vec!["node-9".to_string()], all] {
        assert_eq!(a.latency_source(&view, &whole_file, true), engine::recent::RECENT_TABLE, "{view:?}");
    }
}

#[test]
fn demo_both_paths_identical() {
    let bytes = demo::demo_bytes(&demo::DemoOptions::default()).unwrap();
    assert_paths_equal(&bytes, &[None], true);
}

/// The fixture with extra rows inserted by `sql`, as bytes.
fn with_rows(sql: &str) -> Vec<u8> {
    let mut conn = Connection::open_in_memory().unwrap();
    let bytes = fixture_bytes();
    conn.deserialize_read_exact(MAIN_DB, &bytes[..], bytes.len(), false).unwrap();
    conn.execute_batch(sql).unwrap();
    conn.serialize(MAIN_DB).unwrap().to_vec()
}

const AP1: &str = "121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6";

fn odd_rows_sql() -> String {
    let rows: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
        // timestamp, action, status, size, satellite, node, duration
        ("'2025-10-05T10:00:00.000001+00:00'", "'GET'", "'success'", "1000", "NULL", "'node-1'", "100"),
        ("'2025-09-05T10:00:00+00:00'", "'PUT'", "'success'", "5000", "NULL", "'node-2'", "NULL"),
        ("'2025-10-06T10:00:00+00:00'", "'get'", "'success'", "777", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:01+00:00'", "'Get_Audit'", "'success'", "778", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:02+00:00'", "'TARGET'", "'success'", "779", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:03+00:00'", "'get_repair'", "'success'", "780", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:04+00:00'", "'GET_REPAIR'", "'success'", "781", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:05+00:00'", "'GET_AUDIT'", "'failed'", "782", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:06+00:00'", "'GET'", "'Success'", "783", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:07+00:00'", "NULL", "'success'", "784", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:08+00:00'", "'GET'", "NULL", "785", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:09+00:00'", "'GET'", "'success'", "NULL", &format!("'{AP1}'"), "'node-1'", "50"),
        ("'2025-10-06T10:00:10+00:00'", "'GET'", "'success'", "-50", &format!("'{AP1}'"), "'node-3'", "50"),
        // Odd layouts: Z, space, naive, another offset, month boundaries, non-text.
        ("'2025-10-05T10:00:00Z'", "'GET'", "'success'", "1001", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-10-05 10:00:00'", "'GET'", "'success'", "1002", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-10-05T10:00:00'", "'GET'", "'success'", "1003", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-10-05T10:00:00+02:00'", "'GET'", "'success'", "1004", &format!("'{AP1}'"), "'node-2'", "NULL"),
        ("'2025-10-01 00:00:00'", "'GET'", "'success'", "1005", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-10-01T00:00:00'", "'GET'", "'success'", "1006", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-10-01T00:00:00+00:00'", "'GET'", "'success'", "1007", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-09-30T23:59:59.999999+00:00'", "'GET'", "'success'", "1008", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-11-01T00:00:00Z'", "'GET'", "'success'", "1009", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025/10/05 10:00'", "'GET'", "'success'", "1010", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("'2025-1-5'", "'GET'", "'success'", "1011", &format!("'{AP1}'"), "'node-2'", "NULL"),
        ("''", "'GET'", "'success'", "1012", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("NULL", "'GET'", "'success'", "1013", &format!("'{AP1}'"), "'node-1'", "NULL"),
        ("1759900000", "'GET'", "'success'", "1014", &format!("'{AP1}'"), "'node-1'", "NULL"),
        // Out of order and inside the latency windows, a new satellite and a node-less row.
        ("'2025-10-10T11:45:00+00:00'", "'GET'", "'success'", "1015", "'1zzzNewSatellite'", "'node-1'", "6000"),
        ("'2025-10-10T11:50:00Z'", "'PUT'", "'success'", "1016", &format!("'{AP1}'"), "'node-2'", "7000"),
        ("'2025-10-09T11:50:00+00:00'", "'GET'", "'success'", "1017", &format!("'{AP1}'"), "NULL", "30"),
        ("'2025-09-01T00:00:00+00:00'", "'GET'", "'success'", "1018", &format!("'{AP1}'"), "'node-3'", "30"),
    ];
    let mut sql = String::new();
    for (ts, action, status, size, sat, node, dur) in rows {
        sql.push_str(&format!(
            "INSERT INTO events (timestamp, action, status, size, piece_id, satellite_id, node_name, duration_ms) \
             VALUES ({ts}, {action}, {status}, {size}, 'p', {sat}, {node}, {dur});\n"
        ));
    }
    sql
}

#[test]
fn odd_rows_both_paths_identical() {
    let bytes = with_rows(&odd_rows_sql());
    let now = parse_rfc3339(NOW).unwrap();
    assert_paths_equal(&bytes, &[Some(now), None], true);
    // The odd rows are reported, the same way on both paths.
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    a.single_pass().unwrap();
    let r = a.report(&ReportOptions::new(now)).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("NULL satellite_id")), "{:?}", r.warnings);
    assert!(r.warnings.iter().any(|w| w.contains("not in the layout")), "{:?}", r.warnings);
    assert!(r.warnings.iter().any(|w| w.contains("negative size")), "{:?}", r.warnings);
}

#[test]
fn odd_layouts_in_a_new_month_and_a_new_year() {
    // Rows that are the newest of the file, across a year boundary, in odd layouts.
    let sql = "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name) VALUES \
        ('2026-01-01 00:00:00', 'GET', 'success', 10, 'x', 'node-1'), \
        ('2026-01-01T00:00:00.5+00:00', 'GET', 'success', 11, 'x', 'node-1'), \
        ('2025-12-31T23:59:59+00:00', 'GET', 'success', 12, 'x', 'node-1'), \
        ('2026-01-01T00:00:00-05:00', 'GET', 'success', 13, 'x', 'node-9');";
    assert_paths_equal(&with_rows(sql), &[None, Some(parse_rfc3339("2026-01-01T00:00:00.5+00:00").unwrap())], true);
}

#[test]
fn values_the_single_pass_leaves_to_sql() {
    // A REAL size: the SQL path truncates it with a warning; the single pass declines.
    let sql = "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name) \
               VALUES ('2025-10-05T10:00:00+00:00', 'GET', 'success', 12.5, 'x', 'node-1');";
    let now = parse_rfc3339(NOW).unwrap();
    assert_paths_equal(&with_rows(sql), &[Some(now)], false);
    let sql = "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name) \
               VALUES ('2025-10-05T10:00:00+00:00', 'GET', 'success', 1, X'2A', 'node-1');";
    assert_paths_equal(&with_rows(sql), &[Some(now)], false);
}

#[test]
fn the_node_indexes_change_no_figure() {
    // Many nodes: the worker and the CLI index the trend tables by node before the first report.
    let bytes = demo::demo_bytes(&demo::DemoOptions { events: 5_000, nodes: 10, days: 10, ..Default::default() }).unwrap();
    let mut plain = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    assert!(plain.single_pass().unwrap());
    let mut indexed = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    assert!(indexed.single_pass().unwrap());
    indexed.build_snapshot_index(8).unwrap();
    indexed.build_node_indexes(8).unwrap();
    let built: Vec<&str> = indexed.built_indexes().iter().map(|i| i.name.as_str()).collect();
    assert!(built.contains(&"storj_lens_reputation_node_time") && built.contains(&"storj_lens_hourly_node_hour"), "{built:?}");
    let now = plain.default_now().unwrap().unwrap();
    assert_eq!(without_diagnostics(&plain.report(&opts(now)).unwrap()), without_diagnostics(&indexed.report(&opts(now)).unwrap()));
    // Below the threshold nothing is built.
    let mut few = Analyzer::open(&fixture_bytes(), Box::new(ManualClock::default())).unwrap();
    assert!(few.single_pass().unwrap());
    few.build_node_indexes(8).unwrap();
    assert!(few.built_indexes().is_empty());
}

#[test]
fn a_table_with_collations_every_click_equals_the_indexed_path() {
    // `status ... COLLATE NOCASE` makes SQL count 'SUCCESS' as a success: the bins and the
    // extended copy, which compare bytes, step aside for such a table.
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT COLLATE NOCASE, size INTEGER, \
         piece_id TEXT, satellite_id TEXT, node_name TEXT, duration_ms INTEGER);",
    )
    .unwrap();
    let mut sql = String::new();
    for i in 0..3_000 {
        let status = ["success", "SUCCESS", "failed"][i % 3];
        let action = ["GET", "PUT", "GET_AUDIT"][i % 3];
        sql.push_str(&format!(
            "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name, duration_ms) VALUES \
             ('2025-10-{:02}T{:02}:{:02}:00+00:00', '{action}', '{status}', 100, 'x', 'node-{}', {});\n",
            1 + i % 10,
            i % 24,
            i % 60,
            1 + i % 2,
            1 + i % 4_000
        ));
    }
    conn.execute_batch(&sql).unwrap();
    let bytes = conn.serialize(MAIN_DB).unwrap().to_vec();
    assert_dashboards_equal(&bytes, &[None, Some(parse_rfc3339("2025-10-10T12:00:00+00:00").unwrap())]);
}
