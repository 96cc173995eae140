//! EXPLAIN QUERY PLAN: once the four indexes and ANALYZE exist, every analytics query uses an
//! index and none scans events or storage_snapshots (ANALYTICS 12.6).

use rusqlite::Connection;
use storj_lens::engine::cache::ManualClock;
use storj_lens::engine::explain::{engine_queries, query_plan, unindexed_steps};
use storj_lens::engine::Analyzer;

fn indexed_fixture() -> Analyzer {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/small.db");
    let bytes = std::fs::read(path).expect("small.db beside the repo");
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    a.build_indexes().unwrap();
    a
}

/// The section 8 and 9 queries as ANALYTICS.md writes them, for a view of `n` nodes.
fn latency_queries(n: usize) -> Vec<(String, String)> {
    let view = vec!["?"; n].join(", ");
    vec![
        (
            format!("latency rows, {n} node(s)"),
            format!(
                "SELECT timestamp, action, status, size, piece_id, satellite_id, duration_ms, node_name FROM events \
                 WHERE node_name IN ({view}) AND timestamp >= ? AND duration_ms IS NOT NULL AND duration_ms > 0 \
                 ORDER BY timestamp DESC LIMIT 10000"
            ),
        ),
        (
            format!("latency histogram, {n} node(s)"),
            format!(
                "SELECT (duration_ms / ?1) * ?1 AS bucket_start, COUNT(*) FROM events \
                 WHERE node_name IN ({view}) AND timestamp >= ? AND duration_ms IS NOT NULL \
                 AND duration_ms > 0 AND duration_ms < 10000 AND status = 'success' \
                 GROUP BY bucket_start ORDER BY bucket_start LIMIT 100"
            ),
        ),
    ]
}

fn check_all(conn: &Connection) {
    let mut queries: Vec<(String, String)> = engine_queries().into_iter().map(|(n, q)| (n.to_string(), q)).collect();
    queries.extend(latency_queries(1));
    queries.extend(latency_queries(3));
    let mut failures = Vec::new();
    for (name, sql) in &queries {
        let plan = query_plan(conn, sql).unwrap_or_else(|e| panic!("{name}: {e}"));
        let bad = unindexed_steps(&plan);
        if !bad.is_empty() {
            failures.push(format!("{name}: {plan:?}"));
        }
    }
    assert!(failures.is_empty(), "queries without an index:\n{}", failures.join("\n"));
}

#[test]
fn every_analytics_query_uses_an_index() {
    check_all(indexed_fixture().connection());
}

#[test]
fn the_rule_rejects_a_bare_scan() {
    assert_eq!(unindexed_steps(&["SCAN events".to_string()]).len(), 1);
    assert_eq!(unindexed_steps(&["SCAN storage_snapshots".to_string()]).len(), 1);
    assert!(unindexed_steps(&["SCAN events USING COVERING INDEX idx_events_node_time_status_size".to_string()]).is_empty());
    assert!(unindexed_steps(&["SEARCH events USING INDEX idx_events_node_satellite_time_status (node_name=?)".to_string()]).is_empty());
    assert!(unindexed_steps(&["USE TEMP B-TREE FOR GROUP BY".to_string()]).is_empty());
}

#[test]
fn without_indexes_the_rule_catches_scans() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/small.db");
    let a = Analyzer::open(&std::fs::read(path).unwrap(), Box::new(ManualClock::default())).unwrap();
    let plan = query_plan(a.connection(), storj_lens::engine::traffic::TRAFFIC_SQL).unwrap();
    assert!(!unindexed_steps(&plan).is_empty(), "{plan:?}");
}

#[test]
fn print_plans() {
    let a = indexed_fixture();
    for (name, sql) in engine_queries() {
        println!("{name}: {:?}", query_plan(a.connection(), &sql).unwrap());
    }
    for (name, sql) in latency_queries(3) {
        println!("{name}: {:?}", query_plan(a.connection(), &sql).unwrap());
    }
}
