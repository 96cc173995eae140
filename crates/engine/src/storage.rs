//! Storage earnings (ANALYTICS section 4): byte-hours by trapezoid, projection to now, node totals,
//! and allocation to satellites by their share of successful traffic (ONE grouped query, 12.6).

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::error::Result;
use super::satellites::{text_of, SatelliteId};
use super::time::{parse_timestamp, Micros, Period};
use super::traffic::{is_overflow, OPERATOR_SHARE};

pub const PRICE_STORAGE_PER_TB_MONTH: f64 = 1.5;

pub const SNAPSHOTS_SQL: &str = "SELECT timestamp, used_bytes FROM storage_snapshots \
    WHERE node_name = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND used_bytes IS NOT NULL ORDER BY timestamp ASC";

pub const ALLOCATION_SQL: &str = "SELECT satellite_id, SUM(size) FROM events \
    WHERE node_name = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND status = 'success' GROUP BY satellite_id";

/// Successful traffic per satellite in one (node, period), the NULL satellite included.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    pub by_satellite: Vec<(SatelliteId, i64)>,
    /// Checked sum of every group, the NULL group included (quirk of the original, kept).
    pub total: i64,
}

impl Allocation {
    /// The share `p` of a satellite (section 4 step 6); `n` is the length of the all-time list.
    pub fn share(&self, sat: &SatelliteId, n: usize) -> f64 {
        if self.total > 0 {
            let own = self.by_satellite.iter().find(|(s, _)| s == sat).map(|(_, b)| *b).unwrap_or(0);
            own as f64 / self.total as f64
        } else {
            1.0 / (n.max(1) as f64)
        }
    }
}

/// The node's storage for one period, shared by all its satellites.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeStorage {
    pub byte_hours: f64,
    pub gross_total: f64,
    pub net_total: f64,
    /// False when the result is the original's `(0, 0.0, 0.0)` (no snapshots, or a failure).
    pub has_data: bool,
    pub allocation: Allocation,
    pub warnings: Vec<String>,
}

/// One satellite's `(storage_bytes_hour, gross, net)`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SatelliteStorage {
    pub byte_hours: i64,
    pub gross: f64,
    pub net: f64,
}

impl NodeStorage {
    /// Section 4 step 7; no snapshots (or a failure) gives zeros whatever the traffic.
    pub fn for_satellite(&self, sat: &SatelliteId, n: usize) -> SatelliteStorage {
        if !self.has_data {
            return SatelliteStorage::default();
        }
        let p = self.allocation.share(sat, n);
        SatelliteStorage { byte_hours: (self.byte_hours * p).trunc() as i64, gross: self.gross_total * p, net: self.net_total * p }
    }
}

/// A snapshot with its instant and used bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    pub at: Micros,
    pub used: i64,
}

/// Why a node's storage is the original's zeros (the text becomes a warning).
pub type Failure = String;

/// Computes the node's storage for a period: snapshots, trapezoid, projection, totals, allocation.
pub fn node_storage(conn: &Connection, node: &str, period: Period, now: Micros, has_snapshots: bool) -> Result<NodeStorage> {
    if !has_snapshots {
        return Ok(NodeStorage::default());
    }
    let snaps = match read_snapshots(conn, node, period)? {
        Ok(s) => s,
        Err(why) => return Ok(failed(why)),
    };
    if snaps.is_empty() {
        return Ok(NodeStorage::default());
    }
    let byte_hours = match byte_hours(&snaps, now, period.end()) {
        Some(bh) => bh,
        None => return Ok(failed(format!("storage_snapshots: used_bytes sums overflow for node {node} in {period}"))),
    };
    let allocation = match allocation(conn, node, period)? {
        Ok(a) => a,
        Err(why) => return Ok(failed(why)),
    };
    let gross_total = gross_from_byte_hours(byte_hours, period.days_in_month());
    Ok(NodeStorage { byte_hours, gross_total, net_total: gross_total * OPERATOR_SHARE, has_data: true, allocation, warnings: Vec::new() })
}

pub fn failed(why: Failure) -> NodeStorage {
    NodeStorage { warnings: vec![format!("{why}; storage is reported as 0 as the original does")], ..NodeStorage::default() }
}

/// The in-range snapshots with `used_bytes`, in text order of their timestamps.
pub fn read_snapshots(conn: &Connection, node: &str, period: Period) -> Result<std::result::Result<Vec<Snapshot>, Failure>> {
    let mut stmt = conn.prepare_cached(SNAPSHOTS_SQL)?;
    let mut rows = stmt.query(rusqlite::params![node, period.start_iso(), period.end_iso()])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let at = match text_of(row.get_ref(0)?) {
            Ok(Some(ts)) => match parse_timestamp(&ts).and_then(|p| p.instant()) {
                Some(at) => at,
                None => {
                    return Ok(Err(format!(
                        "storage_snapshots: node {node} has an unparseable or naive timestamp in {period} (e.g. {ts:?})"
                    )))
                }
            },
            Ok(None) | Err(_) => return Ok(Err(format!("storage_snapshots: node {node} has a non-text timestamp in {period}"))),
        };
        let used = match row.get_ref(1)? {
            ValueRef::Integer(u) => u,
            ValueRef::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e15 => r as i64,
            other => {
                return Ok(Err(format!(
                    "storage_snapshots: node {node} has a non-integer used_bytes in {period} (e.g. {:?})",
                    other.data_type()
                )))
            }
        };
        out.push(Snapshot { at, used });
    }
    Ok(Ok(out))
}

/// Trapezoid over consecutive snapshots plus the projection to now (steps 3–4).
/// `None` when an integer sum of two used_bytes overflows.
pub fn byte_hours(snaps: &[Snapshot], now: Micros, end: Micros) -> Option<f64> {
    let mut bh = 0.0_f64;
    for pair in snaps.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let sum = a.used.checked_add(b.used)?;
        bh += ((sum as f64) * 0.5) * (((b.at - a.at) as f64 / 1e6) / 3600.0);
    }
    let last = snaps.last()?;
    if last.at < now && now <= end {
        bh += (last.used as f64) * (((now - last.at) as f64 / 1e6) / 3600.0);
    }
    Some(bh)
}

/// `((bh / 1024³) / (1024 * 24 * days) as f64) * 1.5` (step 5).
pub fn gross_from_byte_hours(bh: f64, days_in_month: i64) -> f64 {
    ((bh / 1073741824.0) / ((1024 * 24 * days_in_month) as f64)) * PRICE_STORAGE_PER_TB_MONTH
}

/// ONE grouped query per node and period (12.6).
pub fn allocation(conn: &Connection, node: &str, period: Period) -> Result<std::result::Result<Allocation, Failure>> {
    let mut stmt = conn.prepare_cached(ALLOCATION_SQL)?;
    let mut rows = stmt.query(rusqlite::params![node, period.start_iso(), period.end_iso()])?;
    let mut out = Allocation::default();
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) if is_overflow(&e) => return Ok(Err(format!("events: the sum of sizes overflows for node {node} in {period}"))),
            Err(e) => return Err(e.into()),
        };
        let sat = match text_of(row.get_ref(0)?) {
            Ok(s) => s,
            Err(_) => continue,
        };
        let sum = match row.get_ref(1)? {
            ValueRef::Integer(i) => i,
            ValueRef::Real(r) => r.trunc() as i64,
            _ => 0,
        };
        out.total = match out.total.checked_add(sum) {
            Some(t) => t,
            None => return Ok(Err(format!("events: the sum of sizes overflows for node {node} in {period}"))),
        };
        out.by_satellite.push((sat, sum));
    }
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    fn at(s: &str) -> Micros {
        parse_timestamp(s).unwrap().instant().unwrap()
    }

    fn snap(s: &str, used: i64) -> Snapshot {
        Snapshot { at: at(s), used }
    }

    #[test]
    fn no_snapshots_and_one_snapshot() {
        let end = at("2025-11-01T00:00:00+00:00");
        assert_eq!(byte_hours(&[], at("2025-10-10T00:00:00+00:00"), end), None);
        // One snapshot in a closed period: nothing before or after it.
        assert_eq!(byte_hours(&[snap("2025-10-05T00:00:00+00:00", 1000)], end + 1, end), Some(0.0));
        // One snapshot in the current period: projected to now.
        let one = [snap("2025-10-05T00:00:00+00:00", 1000)];
        assert_eq!(byte_hours(&one, at("2025-10-05T02:00:00+00:00"), end), Some(2000.0));
        let s = NodeStorage::default();
        assert_eq!(s.for_satellite(&None, 3), SatelliteStorage::default());
    }

    #[test]
    fn gap_is_bridged_linearly_with_microseconds() {
        let snaps = [
            snap("2025-10-01T00:00:00+00:00", 100),
            snap("2025-10-01T01:00:00+00:00", 300),
            // a 10-hour outage
            snap("2025-10-01T11:00:00.5+00:00", 300),
        ];
        let bh = byte_hours(&snaps, at("2025-12-01T00:00:00+00:00"), at("2025-11-01T00:00:00+00:00")).unwrap();
        let expect = (400.0 * 0.5) * ((3_600_000_000.0 / 1e6) / 3600.0) + (600.0 * 0.5) * ((36_000_500_000.0 / 1e6) / 3600.0);
        assert_eq!(bh, expect);
    }

    #[test]
    fn projection_to_now_at_the_month_end_boundary() {
        let oct = Period::parse("2025-10").unwrap();
        let snaps = [snap("2025-10-31T23:00:00+00:00", 3600)];
        // now = end exactly: the month that just ended is still projected.
        assert_eq!(byte_hours(&snaps, oct.end(), oct.end()), Some(3600.0));
        // now past end: no projection.
        assert_eq!(byte_hours(&snaps, oct.end() + 1, oct.end()), Some(0.0));
    }

    #[test]
    fn overflowing_sum_fails() {
        let snaps = [snap("2025-10-01T00:00:00+00:00", i64::MAX), snap("2025-10-01T01:00:00+00:00", 1)];
        assert_eq!(byte_hours(&snaps, 0, 0), None);
    }

    #[test]
    fn gross_uses_days_of_the_month() {
        let feb_leap = Period::parse("2024-02").unwrap().days_in_month();
        let bh = 1073741824.0 * 1024.0 * 24.0 * 29.0;
        assert_eq!(gross_from_byte_hours(bh, feb_leap), 1.5);
        assert_eq!(gross_from_byte_hours(bh, 28), ((bh / 1073741824.0) / ((1024 * 24 * 28) as f64)) * 1.5);
    }

    #[test]
    fn allocation_shares() {
        let a = Allocation { by_satellite: vec![(None, 50), (Some("a".into()), 150), (Some("b".into()), 200)], total: 400 };
        assert_eq!(a.share(&Some("a".into()), 3), 0.375);
        assert_eq!(a.share(&Some("zzz".into()), 3), 0.0);
        assert_eq!(a.share(&None, 3), 0.125);
        let empty = Allocation::default();
        assert_eq!(empty.share(&Some("a".into()), 3), 1.0 / 3.0);
        assert_eq!(empty.share(&Some("a".into()), 0), 1.0);
        let s = NodeStorage { byte_hours: 1001.0, gross_total: 2.0, net_total: 2.0, has_data: true, allocation: a, warnings: vec![] };
        assert_eq!(s.for_satellite(&Some("a".into()), 3), SatelliteStorage { byte_hours: 375, gross: 0.75, net: 0.75 });
    }
}
