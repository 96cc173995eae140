//! TRENDS.md section 3: each node's newest snapshot with its growth forecast over the 1-, 7- and
//! 30-day windows (the original's least-squares slope, its rounding errors included), and a
//! node's snapshots of the last 7 days.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::num::{round_int, round_to, PyNum};
use super::{read_rows, shown, view_json, GrowthWindow, Row, StorageForecast, Table};
use super::{GROWTH_WINDOWS, REASON_DATA_TOO_FLAT, REASON_INSUFFICIENT_TIMESPAN};
use crate::error::Result;
use crate::time::{iso, parse_timestamp, Micros, MICROS_PER_HOUR};
use crate::Warnings;
use model::report::{Num, OrderedMap};
use serde_json::Value;

const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;
const BYTES_PER_GB: f64 = 1073741824.0;

/// The rows at each node's newest timestamp (`MAX(timestamp)` over all its rows, log-derived
/// ones included; all of them on a tie), by node, then rowid: the original's query.
pub fn newest_sql(t: Table) -> String {
    format!(
        "SELECT s1.* FROM storage_snapshots s1 \
         INNER JOIN (SELECT node_name, MAX(timestamp) AS max_timestamp FROM storage_snapshots \
                     WHERE node_name IN (SELECT value FROM json_each(?1)) GROUP BY node_name) s2 \
         ON s1.node_name = s2.node_name AND s1.timestamp = s2.max_timestamp ORDER BY s1.node_name{}",
        t.rowid_order("s1.")
    )
}

/// V: each node's rows with `used_bytes` since the 30-day cutoff, oldest first (two columns: the
/// sort stays small). One pass over the table serves every node of the view.
pub fn points_sql(t: Table) -> String {
    format!(
        "SELECT node_name, timestamp, used_bytes FROM storage_snapshots \
         WHERE node_name IN (SELECT value FROM json_each(?1)) AND timestamp >= ?2 AND used_bytes IS NOT NULL \
         ORDER BY node_name, timestamp ASC{}",
        t.rowid_order("")
    )
}

/// Each node's rows since the 7-day cutoff, oldest first.
pub fn history_sql(t: Table) -> String {
    format!(
        "SELECT * FROM storage_snapshots WHERE node_name IN (SELECT value FROM json_each(?1)) AND timestamp >= ?2 \
         ORDER BY node_name, timestamp ASC{}",
        t.rowid_order("")
    )
}

/// What the storage panels of one node read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeStorage {
    /// The rows at the node's newest timestamp.
    pub newest: Vec<Row>,
    /// `storage_history`: the rows with `timestamp >= iso(now − 7 days)`.
    pub history: Vec<Row>,
    /// V (rows of the last 30 days with `used_bytes`), as read.
    pub points: Vec<RawPoint>,
}

/// A row of V before parsing: its instant (`None` when the timestamp does not parse or has no
/// offset, with the value shown for the warning) and its `used_bytes`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPoint {
    pub at: std::result::Result<Micros, String>,
    /// `None`: a TEXT or BLOB value, on which the original's sum fails.
    pub used: Option<PyNum>,
}

/// The storage panels' rows of every node of a view, in three queries.
pub fn read(conn: &Connection, t: Table, nodes: &[String], now: Micros) -> Result<OrderedMap<NodeStorage>> {
    let mut out: OrderedMap<NodeStorage> = nodes.iter().map(|n| (n.clone(), NodeStorage::default())).collect();
    if !t.usable || nodes.is_empty() {
        return Ok(out);
    }
    let view = view_json(nodes);
    let node_of = |row: &Row| match row.get("node_name") {
        Some(Value::String(node)) => Some(node.clone()),
        _ => None,
    };
    let mut stmt = conn.prepare_cached(&newest_sql(t))?;
    for row in read_rows(&mut stmt, [&view])? {
        if let Some(s) = node_of(&row).and_then(|n| out.get_mut(&n)) {
            s.newest.push(row);
        }
    }
    let mut stmt = conn.prepare_cached(&history_sql(t))?;
    for row in read_rows(&mut stmt, rusqlite::params![view, iso(now - 7 * MICROS_PER_DAY)])? {
        if let Some(s) = node_of(&row).and_then(|n| out.get_mut(&n)) {
            s.history.push(row);
        }
    }
    let mut stmt = conn.prepare_cached(&points_sql(t))?;
    let mut rows = stmt.query(rusqlite::params![view, iso(now - 30 * MICROS_PER_DAY)])?;
    while let Some(row) = rows.next()? {
        let ValueRef::Text(node) = row.get_ref(0)? else { continue };
        let Some(s) = std::str::from_utf8(node).ok().and_then(|n| out.get_mut(n)) else { continue };
        let ts = row.get_ref(1)?;
        let at = match ts {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(parse_timestamp).and_then(|p| p.instant()),
            _ => None,
        };
        let used = match row.get_ref(2)? {
            ValueRef::Integer(i) => Some(PyNum::Int(i128::from(i))),
            ValueRef::Real(f) => Some(PyNum::Float(f)),
            _ => None,
        };
        s.points.push(RawPoint { at: at.ok_or_else(|| shown(ts)), used });
    }
    Ok(out)
}

/// A node's forecast entries (none without rows, several on a tie), or why the original fails
/// on its rows (which empties every list the node is part of).
pub fn entries(s: &NodeStorage, now: Micros) -> std::result::Result<Vec<StorageForecast>, String> {
    if s.newest.is_empty() {
        return Ok(Vec::new());
    }
    // With fewer than two points nothing is parsed: the original returns before.
    let fits: Vec<(&str, Fit)> = if s.points.len() < 2 {
        Vec::new()
    } else {
        let mut points = Vec::with_capacity(s.points.len());
        for p in &s.points {
            match &p.at {
                Ok(at) => points.push(Point { at: *at, used: p.used }),
                Err(ts) => return Err(format!("the snapshot timestamp {ts} does not parse as a time with a UTC offset")),
            }
        }
        GROWTH_WINDOWS.iter().map(|&(key, days)| (key, fit(&points, now - days * MICROS_PER_DAY))).collect()
    };
    s.newest.iter().map(|row| entry(row.clone(), &fits, s.points.len())).collect()
}

/// `storage_forecast` of a view: one entry per node with rows (all rows of a tie), by node. Where
/// the original fails (section 3.7) the list is empty and a warning says why.
pub fn forecast(storage: &OrderedMap<NodeStorage>, now: Micros, w: &mut Warnings) -> Vec<StorageForecast> {
    let mut out = Vec::new();
    for (node, s) in storage {
        match node_forecast(node, s, now, w) {
            Some(entries) => out.extend(entries),
            None => return Vec::new(),
        }
    }
    out
}

/// One node's entries, or `None` (with a warning) where the original fails on its rows.
pub fn node_forecast(node: &str, s: &NodeStorage, now: Micros, w: &mut Warnings) -> Option<Vec<StorageForecast>> {
    match entries(s, now) {
        Ok(e) => Some(e),
        Err(why) => {
            w.push(format!("storage_snapshots: the storage forecast is empty, as the original monitor fails on node {node}'s rows: {why}"));
            None
        }
    }
}

/// One point of V: its instant (parsed with its offset) and its `used_bytes`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub at: Micros,
    /// `None`: a TEXT or BLOB value, on which the original's sum fails.
    pub used: Option<PyNum>,
}

/// The regression of one window, before the node's available bytes are known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fit {
    /// Fewer than two points.
    TooFew(usize),
    /// The points span less than an hour.
    ShortSpan(usize),
    /// The standard deviation is below 0.1 % of a positive mean.
    Flat(usize),
    /// The denominator is 0.
    Singular(usize),
    Slope(f64, usize),
    /// A `used_bytes` value is not a number: the original's sum fails.
    NotANumber,
}

/// Section 3.5 for the points whose instant is at or after `cutoff`, with the original's
/// arithmetic: x = (µs / 1e6) / 86400, the mean and variance of y, then
/// slope = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²) in f64 from 0.0 left to right, Σy exact.
pub fn fit(points: &[Point], cutoff: Micros) -> Fit {
    let window: Vec<&Point> = points.iter().filter(|p| p.at >= cutoff).collect();
    let n = window.len();
    if n < 2 {
        return Fit::TooFew(n);
    }
    let xs: Vec<f64> = window.iter().map(|p| (p.at as f64 / 1e6) / 86400.0).collect();
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    if max - min < 1.0 / 24.0 {
        return Fit::ShortSpan(n);
    }
    let Some(ys) = window.iter().map(|p| p.used).collect::<Option<Vec<PyNum>>>() else { return Fit::NotANumber };
    let sum_y = PyNum::sum(ys.iter().copied());
    let mean = sum_y.div_count(n);
    if mean > 0.0 {
        let variance = ys.iter().map(|y| (y.as_f64() - mean) * (y.as_f64() - mean)).fold(0.0, |a, d| a + d) / n as f64;
        if variance.powf(0.5) < mean * 0.001 {
            return Fit::Flat(n);
        }
    }
    let (mut sx, mut sxy, mut sxx) = (0.0f64, 0.0f64, 0.0f64);
    for (x, y) in xs.iter().zip(&ys) {
        sx += x;
        sxy += x * y.as_f64();
        sxx += x * x;
    }
    let nf = n as f64;
    let denominator = (nf * sxx) - (sx * sx);
    if denominator == 0.0 {
        return Fit::Singular(n);
    }
    Fit::Slope(((nf * sxy) - (sx * sum_y.as_f64())) / denominator, n)
}

/// A window's figures for a row whose `available_bytes` is `available`; `Err` where the
/// original fails (a positive slope with a NULL or non-numeric `available_bytes`).
pub fn window(f: Fit, available: &serde_json::Value) -> std::result::Result<GrowthWindow, String> {
    let none = |n: usize, reason: Option<&str>| GrowthWindow {
        growth_rate_bytes_per_day: None,
        growth_rate_gb_per_day: None,
        days_until_full: None,
        data_points: n as i64,
        reason: reason.map(String::from),
    };
    Ok(match f {
        Fit::TooFew(n) | Fit::Singular(n) => none(n, None),
        Fit::ShortSpan(n) => none(n, Some(REASON_INSUFFICIENT_TIMESPAN)),
        Fit::Flat(n) => GrowthWindow {
            growth_rate_bytes_per_day: Some(Num::Int(0)),
            growth_rate_gb_per_day: Some(Num::Int(0)),
            days_until_full: None,
            data_points: n as i64,
            reason: Some(REASON_DATA_TOO_FLAT.into()),
        },
        Fit::NotANumber => return Err("a used_bytes value in the last 30 days is not a number".into()),
        Fit::Slope(slope, n) if slope > 0.0 => {
            let a = match available {
                serde_json::Value::Number(a) => a.as_f64().unwrap_or(f64::NAN),
                other => return Err(format!("the newest snapshot's available_bytes is {other} while the used space grows")),
            };
            // `round(A / slope, 1) if A / slope else None` for A > 0.
            let days = (a > 0.0).then(|| a / slope).filter(|d| *d != 0.0).map(|d| round_to(d, 1));
            GrowthWindow {
                growth_rate_bytes_per_day: Some(round_int(slope)),
                growth_rate_gb_per_day: Some(Num::Float(round_to(slope / BYTES_PER_GB, 2))),
                days_until_full: days,
                data_points: n as i64,
                reason: None,
            }
        }
        Fit::Slope(_, n) => GrowthWindow {
            growth_rate_bytes_per_day: Some(Num::Int(0)),
            growth_rate_gb_per_day: Some(Num::Int(0)),
            days_until_full: None,
            data_points: n as i64,
            reason: None,
        },
    })
}

/// The entry of one newest row (section 3.6).
fn entry(row: Row, fits: &[(&str, Fit)], points: usize) -> std::result::Result<StorageForecast, String> {
    if fits.is_empty() {
        return Ok(StorageForecast {
            row,
            growth_rate_bytes_per_day: None,
            growth_rate_gb_per_day: None,
            days_until_full: None,
            forecast_data_points: points as i64,
            growth_rates: OrderedMap::new(),
        });
    }
    let available = row.get("available_bytes").cloned().unwrap_or(serde_json::Value::Null);
    let mut rates = OrderedMap::new();
    for (key, f) in fits {
        rates.insert(key.to_string(), window(*f, &available)?);
    }
    let primary = rates.get("7d").cloned().unwrap_or_default();
    Ok(StorageForecast {
        row,
        growth_rate_bytes_per_day: primary.growth_rate_bytes_per_day,
        growth_rate_gb_per_day: primary.growth_rate_gb_per_day,
        days_until_full: primary.days_until_full,
        forecast_data_points: primary.data_points,
        growth_rates: rates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DAY: i64 = MICROS_PER_DAY;
    const NOW: Micros = 1_760_097_600_000_000; // 2025-10-10T12:00:00Z

    fn pts(spec: &[(i64, i64)]) -> Vec<Point> {
        spec.iter().map(|&(ago_minutes, used)| Point { at: NOW - ago_minutes * 60_000_000, used: Some(PyNum::Int(used.into())) }).collect()
    }

    #[test]
    fn too_few_points_in_a_window() {
        let p = pts(&[(3 * 24 * 60, 100), (2 * 24 * 60, 200)]);
        assert_eq!(fit(&p, NOW - DAY), Fit::TooFew(0));
        assert_eq!(fit(&p[1..], NOW - 7 * DAY), Fit::TooFew(1));
        let w = window(Fit::TooFew(1), &json!(5)).unwrap();
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"growth_rate_bytes_per_day":null,"growth_rate_gb_per_day":null,"days_until_full":null,"data_points":1}"#
        );
    }

    #[test]
    fn less_than_an_hour_is_insufficient_timespan() {
        // 8 rows in 35 minutes (fixture node-5).
        let p = pts(&[(35, 10), (30, 20), (25, 30), (20, 40), (15, 50), (10, 60), (5, 70), (0, 80)]);
        assert_eq!(fit(&p, NOW - DAY), Fit::ShortSpan(8));
        let w = window(Fit::ShortSpan(8), &json!(5)).unwrap();
        assert_eq!(w.reason.as_deref(), Some("insufficient_timespan"));
        assert_eq!(w.growth_rate_bytes_per_day, None);
        // Exactly one hour is enough.
        assert!(matches!(fit(&pts(&[(60, 1_000), (0, 2_000)]), NOW - DAY), Fit::Slope(..)));
    }

    #[test]
    fn flat_data_is_zero_with_a_reason() {
        let p = pts(&[(120, 1_000_000), (60, 1_000_500), (0, 1_000_200)]);
        assert_eq!(fit(&p, NOW - DAY), Fit::Flat(3));
        let w = window(Fit::Flat(3), &json!(5)).unwrap();
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"growth_rate_bytes_per_day":0,"growth_rate_gb_per_day":0,"days_until_full":null,"data_points":3,"reason":"data_too_flat"}"#
        );
        // A mean of 0 (or below) skips the flatness test.
        assert!(matches!(fit(&pts(&[(120, 0), (0, 0)]), NOW - DAY), Fit::Slope(s, 2) if s == 0.0));
    }

    #[test]
    fn one_instant_repeated_gives_a_zero_denominator() {
        // Span ≥ 1 h is checked first, so D = 0 needs equal x at two ends... which the span
        // check refuses; D = 0 is reached only by rounding. Check the branch directly.
        let w = window(Fit::Singular(5), &json!(5)).unwrap();
        assert_eq!(w.data_points, 5);
        assert_eq!(w.reason, None);
        assert_eq!(w.growth_rate_gb_per_day, None);
    }

    #[test]
    fn shrinking_is_int_zero_and_growth_rounds() {
        let shrink = pts(&[(48 * 60, 3_000_000_000), (24 * 60, 2_000_000_000), (0, 1_000_000_000)]);
        let Fit::Slope(s, 3) = fit(&shrink, NOW - 7 * DAY) else { panic!() };
        assert!(s < 0.0);
        let w = window(Fit::Slope(s, 3), &serde_json::Value::Null).unwrap();
        assert_eq!(w.growth_rate_bytes_per_day, Some(Num::Int(0)));
        assert_eq!(w.growth_rate_gb_per_day, Some(Num::Int(0)));
        assert_eq!(w.days_until_full, None);
        // 1 GiB a day: 1.0 GB/day, 10 days for 10 GiB left; a negative allocation left gives null.
        let w = window(Fit::Slope(1073741824.0, 3), &json!(10_737_418_240i64)).unwrap();
        assert_eq!(w.growth_rate_bytes_per_day, Some(Num::Int(1073741824)));
        assert_eq!(w.growth_rate_gb_per_day, Some(Num::Float(1.0)));
        assert_eq!(w.days_until_full, Some(10.0));
        assert_eq!(window(Fit::Slope(1073741824.0, 3), &json!(-68014805471i64)).unwrap().days_until_full, None);
        assert_eq!(window(Fit::Slope(1073741824.0, 3), &json!(0)).unwrap().days_until_full, None);
    }

    #[test]
    fn a_null_allocation_fails_only_with_a_positive_slope() {
        assert!(window(Fit::Slope(5.0, 3), &serde_json::Value::Null).is_err());
        assert!(window(Fit::Slope(5.0, 3), &json!("lots")).is_err());
        assert!(window(Fit::Slope(0.0, 3), &serde_json::Value::Null).is_ok());
        assert!(window(Fit::Flat(3), &serde_json::Value::Null).is_ok());
    }

    #[test]
    fn the_slope_is_the_originals_formula() {
        // Exact data on a line: 2 GiB a day over a week, hourly.
        let p: Vec<Point> = (0..=168)
            .map(|h| Point { at: NOW - h * MICROS_PER_HOUR, used: Some(PyNum::Int((1i128 << 40) - (h as i128) * (1 << 31) / 24)) })
            .collect();
        let Fit::Slope(s, 169) = fit(&p, NOW - 7 * DAY) else { panic!() };
        // Day numbers near 20,000 lose digits: close to 2 GiB a day, not exactly.
        assert!((s / 2147483648.0 - 1.0).abs() < 1e-6, "{s}");
        // A text used_bytes fails the sum.
        let mut q = p.clone();
        q[3].used = None;
        assert_eq!(fit(&q, NOW - 7 * DAY), Fit::NotANumber);
        // ... but not in a window that does not reach the sum.
        assert_eq!(fit(&q, NOW - MICROS_PER_HOUR / 2), Fit::TooFew(1));
    }
}
