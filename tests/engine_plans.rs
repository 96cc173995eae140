//! EXPLAIN QUERY PLAN: once the four indexes and ANALYZE exist, every analytics query uses an
//! index and none scans events or storage_snapshots (ANALYTICS 12.6).

use engine::cache::ManualClock;
use engine::explain::{plan_failures, query_plan, unindexed_steps};
use engine::Analyzer;
use rusqlite::Connection;

fn indexed_fixture() -> Analyzer {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.db");
    let bytes = std::fs::read(path).expect("small.db beside the repo");
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    a.build_indexes().unwrap();
    a
}

fn check_all(conn: &Connection) {
    let failures = plan_failures(conn);
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
    assert!(unindexed_steps(&["SEARCH events USING INTEGER PRIMARY KEY (rowid=?)".to_string()]).is_empty());
}

#[test]
fn without_indexes_the_rule_catches_scans() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.db");
    let a = Analyzer::open(&std::fs::read(path).unwrap(), Box::new(ManualClock::default())).unwrap();
    let plan = query_plan(a.connection(), engine::traffic::TRAFFIC_SQL).unwrap();
    assert!(!unindexed_steps(&plan).is_empty(), "{plan:?}");
}
