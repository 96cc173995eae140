//! Odd-row warnings of 12.1 that need a look at the whole file: cheap aggregates over the
//! covering indexes (never a scan of the events table itself). Run once per loaded file.

use rusqlite::Connection;

use super::error::Result;

/// Exactly the iso(t) layouts: 25 characters, or 32 with microseconds.
const ISO25: &str = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+00:00";
const ISO32: &str =
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00";

fn not_iso(col: &str) -> String {
    format!("(typeof({col}) != 'text' OR NOT ({col} GLOB '{ISO25}' OR {col} GLOB '{ISO32}'))")
}

/// Events: timestamps not in iso layout, negative sizes, non-integer sizes. Reads only columns of
/// `idx_events_node_time_status_size`, so SQLite scans that covering index.
pub fn events_sql() -> String {
    let odd = not_iso("timestamp");
    format!(
        "SELECT sum(CASE WHEN {odd} THEN 1 ELSE 0 END), min(CASE WHEN {odd} THEN quote(timestamp) END), \
                sum(CASE WHEN size < 0 THEN 1 ELSE 0 END), min(CASE WHEN size < 0 THEN size END), \
                sum(CASE WHEN typeof(size) NOT IN ('integer', 'null') THEN 1 ELSE 0 END), \
                min(CASE WHEN typeof(size) NOT IN ('integer', 'null') THEN quote(size) END) \
         FROM events"
    )
}

pub const NULL_SATELLITE_SQL: &str =
    "SELECT count(*), min(node_name) FROM events WHERE satellite_id IS NULL";

pub fn snapshots_sql() -> String {
    let odd = not_iso("timestamp");
    format!(
        "SELECT sum(CASE WHEN {odd} THEN 1 ELSE 0 END), min(CASE WHEN {odd} THEN quote(timestamp) END) \
         FROM storage_snapshots"
    )
}

/// The warnings, each naming the table, a count and one example.
pub fn odd_rows(conn: &Connection, has_snapshots: bool) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let (n_ts, ts, n_neg, neg, n_real, real): (Option<i64>, Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<String>) =
        conn.query_row(&events_sql(), [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    if let (Some(n), Some(ex)) = (n_ts.filter(|n| *n > 0), ts) {
        out.push(format!(
            "events: {n} row(s) have a timestamp not in the layout YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00 (e.g. {ex}); \
             they are filtered by text comparison as the original does"
        ));
    }
    if let (Some(n), Some(ex)) = (n_neg.filter(|n| *n > 0), neg) {
        out.push(format!("events: {n} row(s) have a negative size (e.g. {ex}); they are summed as they are"));
    }
    if let (Some(n), Some(ex)) = (n_real.filter(|n| *n > 0), real) {
        out.push(format!("events: {n} row(s) have a non-integer size (e.g. {ex})"));
    }
    let (n_null, node): (i64, Option<String>) = conn.query_row(NULL_SATELLITE_SQL, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if n_null > 0 {
        out.push(format!(
            "events: {n_null} row(s) have a NULL satellite_id (e.g. on node {}); they earn no traffic but count in storage allocation",
            node.unwrap_or_else(|| "NULL".into())
        ));
    }
    if has_snapshots {
        let (n, ex): (Option<i64>, Option<String>) = conn.query_row(&snapshots_sql(), [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if let (Some(n), Some(ex)) = (n.filter(|n| *n > 0), ex) {
            out.push(format!("storage_snapshots: {n} row(s) have a timestamp not in the layout of the original (e.g. {ex})"));
        }
    }
    Ok(out)
}
