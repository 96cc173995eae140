//! `EXPLAIN QUERY PLAN` of every analytics query, and the rule of 12.6: each read of events or
//! storage_snapshots uses an index (SEARCH … USING \[COVERING\] INDEX, or SCAN … USING COVERING
//! INDEX for whole-table aggregates); a bare `SCAN events` or `SCAN storage_snapshots` fails.

use rusqlite::Connection;

use super::error::Result;
use super::{checks, coverage, latency, node_age, satellites, storage, traffic};

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
            let reads_table = ["events", "storage_snapshots"]
                .iter()
                .any(|t| line.starts_with(&format!("SCAN {t}")) || line.starts_with(&format!("SEARCH {t}")));
            // A rowid lookup (`USING INTEGER PRIMARY KEY`) is the cheapest read there is.
            let ok = (line.starts_with("SEARCH") && line.contains(" USING ") && line.contains("INDEX"))
                || (line.starts_with("SEARCH") && line.contains("USING INTEGER PRIMARY KEY"))
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

/// The engine's own queries plus the latency module's, for views of one and of three nodes.
pub fn all_queries() -> Vec<(String, String)> {
    let mut queries: Vec<(String, String)> = engine_queries().into_iter().map(|(n, q)| (n.to_string(), q)).collect();
    for view_len in [1, 3] {
        let named = latency::latency_queries(view_len).into_iter().map(|(n, q)| (format!("{n}, {view_len} node(s)"), q));
        queries.extend(named);
    }
    queries
}

/// One line per query of [`all_queries`] whose plan reads events or storage_snapshots without an
/// index, or that cannot be planned; empty when the rule of 12.6 holds on `conn`.
pub fn plan_failures(conn: &Connection) -> Vec<String> {
    all_queries()
        .into_iter()
        .filter_map(|(name, sql)| match query_plan(conn, &sql) {
            Ok(plan) if unindexed_steps(&plan).is_empty() => None,
            Ok(plan) => Some(format!("{name}: {plan:?}")),
            Err(e) => Some(format!("{name}: {e}")),
        })
        .collect()
}
