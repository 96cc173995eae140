//! `EXPLAIN QUERY PLAN` of every analytics query, and the rule of 12.6: each read of events or
//! storage_snapshots uses an index (SEARCH … USING [COVERING] INDEX, or SCAN … USING COVERING
//! INDEX for whole-table aggregates); a bare `SCAN events` or `SCAN storage_snapshots` fails.

use rusqlite::Connection;

use super::error::Result;
use super::{checks, coverage, node_age, satellites, storage, traffic};

/// The plan's detail lines, one per step.
pub fn query_plan(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    // Parameters stay unbound (NULL): the plan does not depend on their values.
    let mut rows = stmt.raw_query();
    let mut lines = Vec::new();
    while let Some(row) = rows.next()? {
        lines.push(row.get::<_, String>(3)?);
    }
    Ok(lines)
}

/// The offending lines of a plan (empty when every table read uses an index).
pub fn unindexed_steps(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|line| {
            let reads_table = ["events", "storage_snapshots"].iter().any(|t| {
                line.starts_with(&format!("SCAN {t}")) || line.starts_with(&format!("SEARCH {t}"))
            });
            let ok = (line.starts_with("SEARCH") && line.contains(" USING ") && line.contains("INDEX"))
                || (line.starts_with("SCAN") && line.contains("USING COVERING INDEX"));
            reads_table && !ok
        })
        .cloned()
        .collect()
}

/// Every analytics query of the engine's own modules (name, SQL). The latency queries live in
/// the latency module; their WHERE clauses are the ones of ANALYTICS sections 8 and 9.
pub fn engine_queries() -> Vec<(&'static str, String)> {
    vec![
        ("nodes", satellites::NODES_SQL.to_string()),
        ("satellite list", satellites::SATELLITES_SQL.to_string()),
        ("traffic", traffic::TRAFFIC_SQL.to_string()),
        ("storage snapshots", storage::SNAPSHOTS_SQL.to_string()),
        ("storage allocation", storage::ALLOCATION_SQL.to_string()),
        ("node age: first snapshot", node_age::FIRST_SNAPSHOT_SQL.to_string()),
        ("node age: first event", node_age::FIRST_EVENT_SQL.to_string()),
        ("newest event of a node", coverage::newest_sql("events", true)),
        ("newest event without node", coverage::newest_sql("events", false)),
        ("newest snapshot of a node", coverage::newest_sql("storage_snapshots", true)),
        ("newest snapshot without node", coverage::newest_sql("storage_snapshots", false)),
        ("events before a month", coverage::before_sql("events", true)),
        ("events without node before a month", coverage::before_sql("events", false)),
        ("snapshots before a month", coverage::before_sql("storage_snapshots", true)),
        ("snapshots without node before a month", coverage::before_sql("storage_snapshots", false)),
        ("odd events", checks::events_sql()),
        ("NULL satellites", checks::NULL_SATELLITE_SQL.to_string()),
        ("odd snapshots", checks::snapshots_sql()),
    ]
}
