//! Traffic earnings (ANALYTICS section 3): paid egress, repair and audit bytes per satellite.
//!
//! The indexed path runs ONE query per (node, period) grouped by satellite (12.6). The result is a
//! plain aggregate ([`TrafficBytes`] per satellite) so a single-pass scan can produce it too.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode};
use serde::{Deserialize, Serialize};

use super::error::Result;
use super::satellites::{text_of, SatelliteId};
use super::time::Period;

/// "TB" of the original: 1024⁴ bytes (quirk of the original, kept).
pub const TB: f64 = 1_099_511_627_776.0;
pub const PRICE_EGRESS_PER_TB: f64 = 2.0;
pub const PRICE_REPAIR_PER_TB: f64 = 2.0;
pub const PRICE_AUDIT_PER_TB: f64 = 2.0;
pub const OPERATOR_SHARE: f64 = 1.0;

/// Paid byte counts of one (node, satellite, period).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrafficBytes {
    pub egress: i64,
    pub repair: i64,
    pub audit: i64,
}

/// The traffic of one (node, period): the non-NULL satellites that had rows, in query order.
/// Satellites absent here had no traffic (0). The NULL satellite's traffic is always 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeTraffic {
    pub by_satellite: Vec<(String, TrafficBytes)>,
    pub warnings: Vec<String>,
}

impl NodeTraffic {
    pub fn bytes_of(&self, sat: &SatelliteId) -> TrafficBytes {
        match sat {
            None => TrafficBytes::default(),
            Some(id) => self.by_satellite.iter().find(|(s, _)| s == id).map(|(_, b)| *b).unwrap_or_default(),
        }
    }
}

/// The traffic CASE sums of section 3, grouped by satellite (12.6).
pub const TRAFFIC_SQL: &str = "SELECT satellite_id, \
    SUM(CASE WHEN action LIKE '%GET%' AND action != 'GET_AUDIT' AND action != 'GET_REPAIR' \
             AND status = 'success' THEN size ELSE 0 END), \
    SUM(CASE WHEN action = 'GET_REPAIR' AND status = 'success' THEN size ELSE 0 END), \
    SUM(CASE WHEN action = 'GET_AUDIT' AND status = 'success' THEN size ELSE 0 END) \
    FROM events WHERE node_name = ?1 AND timestamp >= ?2 AND timestamp < ?3 GROUP BY satellite_id";

/// Runs the grouped traffic query for one node and period.
pub fn node_traffic(conn: &Connection, node: &str, period: Period) -> Result<NodeTraffic> {
    let mut out = NodeTraffic::default();
    let mut stmt = conn.prepare_cached(TRAFFIC_SQL)?;
    let mut rows = stmt.query(rusqlite::params![node, period.start_iso(), period.end_iso()])?;
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) if is_overflow(&e) => {
                // The original's query raises here and it reports zeros.
                out.by_satellite.clear();
                out.warnings.push(format!("events: the sum of sizes overflows for node {node} in {period}; its traffic is reported as 0"));
                return Ok(out);
            }
            Err(e) => return Err(e.into()),
        };
        let sat = match text_of(row.get_ref(0)?) {
            Ok(Some(id)) => id,
            _ => continue, // NULL (or odd) satellite: `satellite_id = NULL` matches nothing.
        };
        let mut sums = [0i64; 3];
        for (k, sum) in sums.iter_mut().enumerate() {
            *sum = sum_value(row.get_ref(k + 1)?, node, &mut out.warnings);
        }
        out.by_satellite.push((sat, TrafficBytes { egress: sums[0], repair: sums[1], audit: sums[2] }));
    }
    Ok(out)
}

/// A SUM as an integer: NULL is 0; a REAL sum (non-integer sizes) is truncated with a warning.
pub fn sum_value(v: ValueRef<'_>, node: &str, warnings: &mut Vec<String>) -> i64 {
    match v {
        ValueRef::Integer(i) => i,
        ValueRef::Null => 0,
        ValueRef::Real(r) => {
            warnings.push(format!("events: node {node} has non-integer `size` values (a sum of {r}); sums are truncated"));
            r.trunc() as i64
        }
        _ => 0,
    }
}

/// SQLite's "integer overflow" from SUM.
pub fn is_overflow(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::Unknown)) && e.to_string().contains("integer overflow")
}

/// `(bytes as f64 / TB) * price`, the gross earnings of a byte count.
pub fn earnings(bytes: i64, price_per_tb: f64) -> f64 {
    (bytes as f64 / TB) * price_per_tb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earnings_use_binary_terabytes() {
        assert_eq!(earnings(1_099_511_627_776, 2.0), 2.0);
        assert_eq!(earnings(0, 2.0), 0.0);
        // Fixture, node-1, 2025-10, ap1 egress.
        assert_eq!(earnings(79_441_761, 2.0), 0.00014450372145802248);
    }
}
