//! TRENDS.md section 6: the payout records of the last 360 days, newest first. The original
//! creates this table but never fills it, so a real monitor's file has an empty one.

use rusqlite::Connection;

use super::{read_rows, view_json, Row, Table};
use crate::error::Result;
use crate::time::{iso, Micros, MICROS_PER_HOUR};

/// How far back payouts are listed (the original's 12 "months" of 30 days).
pub const PAYOUT_DAYS: i64 = 360;

/// The view's rows since the cutoff, newest first (ties in rowid order, as a scan gives them).
pub fn history_sql(t: Table) -> String {
    format!(
        "SELECT * FROM payout_history WHERE timestamp >= ?2 AND node_name IN (SELECT value FROM json_each(?1)) \
         ORDER BY timestamp DESC{}",
        t.rowid_order("")
    )
}

/// `payout_history` of a view: rows with `timestamp >= iso(now − 360 days)`.
pub fn history(conn: &Connection, t: Table, nodes: &[String], now: Micros) -> Result<Vec<Row>> {
    if !t.usable || nodes.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(&history_sql(t))?;
    read_rows(&mut stmt, rusqlite::params![view_json(nodes), iso(now - PAYOUT_DAYS * 24 * MICROS_PER_HOUR)])
}
