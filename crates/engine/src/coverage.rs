//! What time span a file covers: the default "now" (12.2) and whether the report includes the
//! previous month (12.3). Per-node index searches, so no query scans a table once indexed.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::error::Result;
use super::time::{is_iso_layout, parse_timestamp, Micros};

/// The newest timestamp in iso layout among events and snapshots (text maximum), if any.
pub fn newest_timestamp(conn: &Connection, nodes: &[String], has_snapshots: bool) -> Result<Option<Micros>> {
    let mut best: Option<String> = None;
    let mut tables = vec!["events"];
    if has_snapshots {
        tables.push("storage_snapshots");
    }
    for table in tables {
        for node in nodes.iter().map(|n| Some(n.as_str())).chain([None]) {
            if let Some(ts) = newest_in(conn, table, node)? {
                if best.as_ref().is_none_or(|b| ts > *b) {
                    best = Some(ts);
                }
            }
        }
    }
    Ok(best.and_then(|b| parse_timestamp(&b)).and_then(|p| p.instant()))
}

/// Walks one node's timestamps from the text maximum down to the first one in iso layout.
fn newest_in(conn: &Connection, table: &str, node: Option<&str>) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(&newest_sql(table, node.is_some()))?;
    let mut rows = match node {
        Some(n) => stmt.query([n])?,
        None => stmt.query([])?,
    };
    while let Some(row) = rows.next()? {
        if let ValueRef::Text(t) = row.get_ref(0)? {
            let s = String::from_utf8_lossy(t);
            if is_iso_layout(&s) {
                return Ok(Some(s.into_owned()));
            }
        }
    }
    Ok(None)
}

/// True when any row of events or snapshots has a timestamp text-smaller than `bound`
/// (numbers sort before text, so non-text timestamps count as earlier, like `MIN(timestamp)`).
pub fn has_rows_before(conn: &Connection, nodes: &[String], has_snapshots: bool, bound: &str) -> Result<bool> {
    let mut tables = vec!["events"];
    if has_snapshots {
        tables.push("storage_snapshots");
    }
    for table in tables {
        let (by_node, null_node) = (before_sql(table, true), before_sql(table, false));
        for node in nodes {
            if conn.prepare_cached(&by_node)?.query_row(rusqlite::params![node, bound], |r| r.get::<_, bool>(0))? {
                return Ok(true);
            }
        }
        if conn.prepare_cached(&null_node)?.query_row([bound], |r| r.get::<_, bool>(0))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Timestamps of one node (or of rows without a node), newest text first.
pub fn newest_sql(table: &str, by_node: bool) -> String {
    let filter = if by_node { "node_name = ?1" } else { "node_name IS NULL" };
    format!("SELECT timestamp FROM {table} WHERE {filter} ORDER BY timestamp DESC")
}

/// Whether one node (or rows without a node) has a timestamp text-smaller than the bound.
pub fn before_sql(table: &str, by_node: bool) -> String {
    if by_node {
        format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE node_name = ?1 AND timestamp < ?2)")
    } else {
        format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE node_name IS NULL AND timestamp < ?1)")
    }
}
