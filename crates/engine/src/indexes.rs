//! The four indexes of ANALYTICS 12.5 (exact names, `CREATE INDEX IF NOT EXISTS`) and ANALYZE.

use rusqlite::Connection;

use super::error::Result;

/// (name, table, DDL) of every index storj-lens creates, in creation order.
pub const INDEXES: &[(&str, &str, &str)] = &[
    (
        "idx_events_satellite_node_time",
        "events",
        "CREATE INDEX IF NOT EXISTS idx_events_satellite_node_time ON events (satellite_id, node_name, timestamp)",
    ),
    (
        "idx_events_node_satellite_time_status",
        "events",
        "CREATE INDEX IF NOT EXISTS idx_events_node_satellite_time_status ON events (node_name, satellite_id, timestamp, status)",
    ),
    (
        "idx_storage_node_time_used",
        "storage_snapshots",
        "CREATE INDEX IF NOT EXISTS idx_storage_node_time_used ON storage_snapshots (node_name, timestamp, used_bytes)",
    ),
    (
        "idx_events_node_time_status_size",
        "events",
        "CREATE INDEX IF NOT EXISTS idx_events_node_time_status_size ON events (node_name, timestamp, status, size)",
    ),
];

pub use model::report::IndexReport;

/// (name, table, columns) of the indexes by node on the monitor's other tables (node ages, trends),
/// built for files with many nodes ([`crate::Analyzer::build_node_indexes`]); not part of
/// ANALYTICS 12.5.
pub const NODE_INDEXES: &[(&str, &str, &[&str])] = &[
    ("storj_lens_estimates_node_period", "earnings_estimates", &["node_name", "period"]),
    ("storj_lens_reputation_node_time", "reputation_history", &["node_name", "timestamp"]),
    ("storj_lens_hourly_node_hour", "hourly_stats", &["node_name", "hour_timestamp"]),
    ("storj_lens_payouts_node_time", "payout_history", &["node_name", "timestamp"]),
];

/// Creates index `name` on `table (columns)` unless the file already holds an object of that
/// name (then `None`); `ms` is measured with the caller's clock.
pub fn create_named(conn: &Connection, name: &str, table: &str, columns: &[&str], now_ms: &dyn Fn() -> f64) -> Result<Option<IndexReport>> {
    let taken: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1 COLLATE NOCASE", [name], |r| r.get(0))?;
    if taken > 0 {
        return Ok(None);
    }
    let started = now_ms();
    let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    conn.execute_batch(&format!("CREATE INDEX \"{name}\" ON \"{table}\" ({})", quoted.join(", ")))?;
    Ok(Some(IndexReport { name: name.to_string(), created: true, ms: now_ms() - started }))
}

/// True when an index of that name exists.
pub fn index_exists(conn: &Connection, name: &str) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?1", [name], |r| r.get(0))?;
    Ok(n > 0)
}

/// Creates one index of [`INDEXES`] by position; `ms` is measured with the caller's clock.
pub fn create_index(conn: &Connection, i: usize, has_table: bool, now_ms: &dyn Fn() -> f64) -> Result<IndexReport> {
    let (name, _, ddl) = INDEXES[i];
    let started = now_ms();
    let created = has_table && !index_exists(conn, name)?;
    if created {
        conn.execute_batch(ddl)?;
    }
    Ok(IndexReport { name: name.to_string(), created, ms: now_ms() - started })
}

/// Gathers planner statistics for the new indexes.
pub fn analyze(conn: &Connection) -> Result<()> {
    conn.execute_batch("ANALYZE")?;
    Ok(())
}
