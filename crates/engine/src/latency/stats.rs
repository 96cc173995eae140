//! Section 8: latency statistics and slow operations for one view and window.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};

use super::rounding::{mean, median, percentile};
use super::{
    describe_plain, describe_value, in_placeholders, json_value, sql_err, Category, CategoryStats, LatencyOutcome, LatencyStats,
    SlowOperation, Statistics, SLOW_OPERATIONS_KEPT, SLOW_THRESHOLD_MS, STATS_ROW_LIMIT,
};
use crate::checks::OddRows;
use crate::Result;

/// The columns of one fetched row that the loop reads, by position in the query.
struct Columns {
    /// `Some` in the narrow query: the row's rowid, to fetch a slow operation's details later.
    rowid: Option<usize>,
    action: usize,
    status: usize,
    duration: usize,
}

/// The section 8 query, narrowed to what the statistics need: the same WHERE, ORDER BY and
/// LIMIT, so the same rows in the same order, without carrying the wide text columns through
/// SQLite's sorter (a third faster for a multi-node view). The (at most 10) slow operations are
/// then read by rowid. `?1` is the cutoff, `?2…` the view's names.
pub(super) fn narrow_sql(table: &str, view_len: usize) -> String {
    format!(
        "SELECT rowid, action, status, duration_ms \
         FROM {table} WHERE node_name IN ({}) AND timestamp >= ?1 \
         AND duration_ms IS NOT NULL AND duration_ms > 0 \
         ORDER BY timestamp DESC LIMIT {STATS_ROW_LIMIT}",
        in_placeholders(2, view_len)
    )
}
const NARROW: Columns = Columns { rowid: Some(0), action: 1, status: 2, duration: 3 };

/// The section 8 query as written, for an `events` table without rowid (never made by the
/// original; a WITHOUT ROWID table fails the narrow query).
pub(super) fn wide_sql(table: &str, view_len: usize) -> String {
    format!(
        "SELECT timestamp, action, duration_ms, piece_id, satellite_id, status, size, node_name \
         FROM {table} WHERE node_name IN ({}) AND timestamp >= ?1 \
         AND duration_ms IS NOT NULL AND duration_ms > 0 \
         ORDER BY timestamp DESC LIMIT {STATS_ROW_LIMIT}",
        in_placeholders(2, view_len)
    )
}
const WIDE: Columns = Columns { rowid: None, action: 1, status: 5, duration: 2 };

/// A slow operation's columns in the original's key order (the wide query selects them so too).
pub(super) fn slow_by_rowid_sql(table: &str) -> String {
    format!("SELECT timestamp, action, duration_ms, piece_id, satellite_id, status, size, node_name FROM {table} WHERE rowid = ?1")
}

/// Section 8 for `view` (node names) over the rows with `timestamp >= cutoff`
/// (`cutoff` = iso(now − h), built by the caller).
///
/// Odd rows, each counted in a warning (table, count, one example):
/// - a NULL or non-text `action` counts as "other" (the original would fail the whole view);
/// - a REAL `duration_ms` is **coerced**: truncated toward zero as SQLite's
///   `CAST(… AS INTEGER)` does, the same coercion the histogram applies, so both agree;
/// - a TEXT or BLOB `duration_ms` (it passes `duration_ms > 0`, as SQLite ranks text above
///   numbers) is **excluded** from the statistics and slow operations, but it was fetched, so it
///   still counts in `total_operations` and takes one of the 10,000 places.
pub fn latency_stats(conn: &Connection, table: &str, view: &[String], cutoff: &str) -> Result<LatencyOutcome<LatencyStats>> {
    let (mut stmt, cols) = match conn.prepare_cached(&narrow_sql(table, view.len())) {
        Ok(stmt) => (stmt, NARROW),
        Err(narrow_err) => match conn.prepare_cached(&wide_sql(table, view.len())) {
            Ok(stmt) => (stmt, WIDE),
            Err(_) => return Err(sql_err(narrow_err)),
        },
    };
    stmt.raw_bind_parameter(1, cutoff).map_err(sql_err)?;
    for (i, name) in view.iter().enumerate() {
        stmt.raw_bind_parameter(i + 2, name.as_str()).map_err(sql_err)?;
    }
    let mut acc = Accumulator::default();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(sql_err)? {
        acc.add(row, &cols)?;
    }
    drop(rows);
    drop(stmt);
    acc.finish(conn, table, view, cutoff)
}

/// Which row, for warning examples: its id (the rowid) or, from the wide query, its
/// timestamp and node.
fn which_row(row: &Row<'_>, cols: &Columns) -> String {
    match cols.rowid {
        Some(i) => match row.get_ref(i) {
            Ok(ValueRef::Integer(id)) => format!("the row with id {id}"),
            other => format!("the row with id {}", other.map(describe_plain).unwrap_or_default()),
        },
        None => format!(
            "the row at {} on {}",
            row.get_ref(0).map(describe_plain).unwrap_or_default(),
            row.get_ref(7).map(describe_plain).unwrap_or_default()
        ),
    }
}

/// A slow operation: read already (wide query) or to be read by rowid (narrow query).
enum SlowRow {
    Rowid(i64),
    Read(Box<SlowOperation>),
}

#[derive(Default)]
struct Accumulator {
    fetched: i64,
    get: Vec<i64>,
    put: Vec<i64>,
    audit: Vec<i64>,
    all: Vec<i64>,
    /// The slow operations so far, sorted by duration descending, ties in fetch order
    /// (newest first): an online stable sort that keeps only the first 10.
    slow: Vec<(i64, SlowRow)>,
    null_action: OddRows,
    non_text_action: OddRows,
    real_duration: OddRows,
    excluded_duration: OddRows,
}

impl Accumulator {
    fn add(&mut self, row: &Row<'_>, cols: &Columns) -> Result<()> {
        self.fetched += 1;
        let cat = match row.get_ref(cols.action)? {
            ValueRef::Text(a) => Category::of(a),
            ValueRef::Null => {
                self.null_action.note(|| which_row(row, cols));
                Category::Other
            }
            other => {
                self.non_text_action.note(|| format!("{}, {}", which_row(row, cols), describe_value(other)));
                Category::Other
            }
        };
        let d = match row.get_ref(cols.duration)? {
            ValueRef::Integer(d) => d,
            // Truncation toward zero, saturating, exactly like SQLite's CAST(x AS INTEGER).
            ValueRef::Real(f) => {
                self.real_duration.note(|| format!("{}, {f:?}", which_row(row, cols)));
                f as i64
            }
            // TEXT/BLOB: not a latency; left out (see latency_stats). NULL cannot be fetched.
            other => {
                self.excluded_duration.note(|| format!("{}, {}", which_row(row, cols), describe_value(other)));
                return Ok(());
            }
        };
        if matches!(row.get_ref(cols.status)?, ValueRef::Text(b"success")) {
            self.all.push(d);
            match cat {
                Category::Get => self.get.push(d),
                Category::Put => self.put.push(d),
                Category::Audit => self.audit.push(d),
                Category::Other => {}
            }
        }
        if d >= SLOW_THRESHOLD_MS {
            // After every entry with a duration >= d: equal durations stay newest first.
            let pos = self.slow.partition_point(|(x, _)| *x >= d);
            if pos < SLOW_OPERATIONS_KEPT {
                let slow = match cols.rowid {
                    Some(i) => match row.get_ref(i)? {
                        ValueRef::Integer(id) => SlowRow::Rowid(id),
                        _ => SlowRow::Read(Box::new(slow_operation(row)?)), // unreachable: rowids are integers
                    },
                    None => SlowRow::Read(Box::new(slow_operation(row)?)),
                };
                self.slow.insert(pos, (d, slow));
                self.slow.truncate(SLOW_OPERATIONS_KEPT);
            }
        }
        Ok(())
    }

    fn finish(mut self, conn: &Connection, table: &str, view: &[String], cutoff: &str) -> Result<LatencyOutcome<LatencyStats>> {
        let statistics = Statistics {
            get: category_stats(&mut self.get),
            put: category_stats(&mut self.put),
            audit: category_stats(&mut self.audit),
            all: category_stats(&mut self.all),
        };
        let mut slow_operations = Vec::with_capacity(self.slow.len());
        if !self.slow.is_empty() {
            let mut by_rowid = None;
            for (_, slow) in self.slow {
                match slow {
                    SlowRow::Read(op) => slow_operations.push(*op),
                    SlowRow::Rowid(id) => {
                        if by_rowid.is_none() {
                            by_rowid = Some(conn.prepare_cached(&slow_by_rowid_sql(table)).map_err(sql_err)?);
                        }
                        if let Some(stmt) = by_rowid.as_mut() {
                            let mut rows = stmt.query([id]).map_err(sql_err)?;
                            if let Some(row) = rows.next().map_err(sql_err)? {
                                slow_operations.push(slow_operation(row)?);
                            }
                        }
                    }
                }
            }
        }
        let where_ = format!("latency row(s) of view \"{}\" since {cutoff}", view.join(","));
        let mut warnings = Vec::new();
        let mut warn = |odd: &OddRows, what: &str| warnings.extend(odd.warning(|n, ex| format!("events: {n} {where_} {what}, e.g. {ex}")));
        warn(&self.null_action, "have a NULL action; counted as \"other\"");
        warn(&self.non_text_action, "have a non-text action; counted as \"other\"");
        warn(&self.real_duration, "have a REAL duration_ms; truncated toward zero");
        warn(&self.excluded_duration, "have a TEXT or BLOB duration_ms; left out of the statistics");
        Ok(LatencyOutcome {
            value: LatencyStats { statistics, slow_operations, total_operations: self.fetched, operations_with_latency: self.fetched },
            warnings,
        })
    }
}

/// A slow operation from a row whose first 8 columns are timestamp, action, duration_ms,
/// piece_id, satellite_id, status, size, node_name (the wide query and the rowid lookup).
fn slow_operation(row: &Row<'_>) -> Result<SlowOperation> {
    Ok(SlowOperation {
        timestamp: json_value(row.get_ref(0)?),
        action: json_value(row.get_ref(1)?),
        duration_ms: json_value(row.get_ref(2)?),
        piece_id: json_value(row.get_ref(3)?),
        satellite_id: json_value(row.get_ref(4)?),
        status: json_value(row.get_ref(5)?),
        size: json_value(row.get_ref(6)?),
        node_name: json_value(row.get_ref(7)?),
    })
}

/// The 8 fields of a category; all int 0 when it has no rows.
fn category_stats(d: &mut [i64]) -> CategoryStats {
    if d.is_empty() {
        return CategoryStats::default();
    }
    d.sort_unstable();
    let n = d.len();
    // Exact: at most 10,000 i64 values cannot overflow an i128.
    let sum: i128 = d.iter().map(|&x| x as i128).sum();
    CategoryStats {
        count: n as i64,
        mean: mean(sum, n),
        median: median(d),
        p50: percentile(d, 50),
        p95: percentile(d, 95),
        p99: percentile(d, 99),
        min: d[0],
        max: d[n - 1],
    }
}

#[cfg(test)]
mod tests {
    use super::super::Num;
    use super::*;
    use rusqlite::params;
    use serde_json::json;

    const SCHEMA: &str = "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT,
         status TEXT, size INTEGER, piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT,
         latitude REAL, longitude REAL, error_reason TEXT, node_name TEXT, duration_ms INTEGER)";

    /// An in-memory events table with the original's schema.
    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn
    }

    fn ts(i: i64) -> String {
        // Seconds after 2025-10-10T10:00:00, in iso layout; i < 36000.
        format!("2025-10-10T{:02}:{:02}:{:02}.000001+00:00", 10 + i / 3600, (i / 60) % 60, i % 60)
    }

    fn insert(conn: &Connection, i: i64, action: Option<&str>, status: &str, duration: rusqlite::types::Value) {
        conn.execute(
            "INSERT INTO events (id, timestamp, action, status, size, piece_id, satellite_id, node_name, duration_ms)
             VALUES (?4 - 999, ?1, ?2, ?3, ?4, ?5, 'sat', 'n1', ?6)",
            params![ts(i), action, status, 1000 + i, format!("piece{i}"), duration],
        )
        .unwrap();
    }

    fn int(d: i64) -> rusqlite::types::Value {
        rusqlite::types::Value::Integer(d)
    }

    fn view() -> Vec<String> {
        vec!["n1".to_string()]
    }

    const CUTOFF: &str = "2025-10-10T10:00:00+00:00";

    #[test]
    fn categories_and_json_types() {
        let conn = db();
        let rows = [
            ("GET", 100),
            ("GET_REPAIR", 300),
            ("GET_AUDIT", 50),
            ("PUT", 200),
            ("PUT_REPAIR", 401),
            ("DELETE", 7),
            ("get", 9), // lowercase: "other"
        ];
        for (i, (a, d)) in rows.iter().enumerate() {
            insert(&conn, i as i64, Some(a), "success", int(*d));
        }
        insert(&conn, 20, Some("GET"), "failed", int(999)); // fetched, not in statistics
        insert(&conn, 21, Some("GET"), "success", int(0)); // not fetched
        insert(&conn, 22, Some("GET"), "success", rusqlite::types::Value::Null); // not fetched
        insert(&conn, 23, Some("GET"), "success", int(-5)); // not fetched
        let out = latency_stats(&conn, "events", &view(), CUTOFF).unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let s = out.value;
        assert_eq!(s.total_operations, 8);
        assert_eq!(s.operations_with_latency, 8);
        assert_eq!(s.statistics.get.count, 2);
        assert_eq!(s.statistics.get.mean, Num::Int(200));
        assert_eq!(s.statistics.get.median, Num::Float(200.0));
        assert_eq!(s.statistics.audit.count, 1);
        assert_eq!(s.statistics.audit.median, Num::Int(50));
        assert_eq!(s.statistics.put.count, 2);
        assert_eq!(s.statistics.put.mean, Num::Float(300.5));
        // all = every success row, "other" (DELETE, lowercase get) included.
        assert_eq!(s.statistics.all.count, 7);
        assert_eq!(s.statistics.all.min, 7);
        assert_eq!(s.statistics.all.max, 401);
        assert_eq!(s.statistics.all.median, Num::Int(100));
        assert_eq!(s.statistics.all.mean, Num::Float(152.43)); // 1067 / 7
        let v = serde_json::to_value(&s.statistics.get).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"count":2,"mean":200,"median":200.0,"p50":100.0,"p95":280.0,"p99":296.0,"min":100,"max":300}"#
        );
    }

    #[test]
    fn empty_categories_are_int_zeros() {
        let conn = db();
        insert(&conn, 1, Some("GET"), "failed", int(300));
        let s = latency_stats(&conn, "events", &view(), CUTOFF).unwrap().value;
        assert_eq!(s.total_operations, 1);
        let zero = json!({"count":0,"mean":0,"median":0,"p50":0,"p95":0,"p99":0,"min":0,"max":0});
        let v = serde_json::to_value(&s).unwrap();
        for k in ["get", "put", "audit", "all"] {
            assert_eq!(v["statistics"][k], zero);
            assert!(v["statistics"][k]["mean"].is_i64());
        }
        // An empty view or window fetches nothing.
        let s = latency_stats(&conn, "events", &[], CUTOFF).unwrap().value;
        assert_eq!(s, LatencyStats::default());
        let s = latency_stats(&conn, "events", &view(), "2025-10-11T00:00:00+00:00").unwrap().value;
        assert_eq!(s, LatencyStats::default());
    }

    #[test]
    fn null_action_counts_as_other_with_a_warning() {
        let conn = db();
        insert(&conn, 1, None, "success", int(120));
        insert(&conn, 2, Some("GET"), "success", int(80));
        let out = latency_stats(&conn, "events", &view(), CUTOFF).unwrap();
        let s = out.value;
        assert_eq!(s.statistics.get.count, 1);
        assert_eq!(s.statistics.all.count, 2);
        assert_eq!(s.statistics.all.mean, Num::Int(100));
        assert_eq!(out.warnings.len(), 1);
        let w = &out.warnings[0];
        assert!(w.starts_with("events: 1 "), "{w}");
        assert!(w.contains("NULL action") && w.ends_with("e.g. the row with id 2"), "{w}");
    }

    #[test]
    fn odd_durations_warn_and_never_fail() {
        let conn = db();
        insert(&conn, 1, Some("GET"), "success", rusqlite::types::Value::Real(150.7));
        insert(&conn, 2, Some("GET"), "success", rusqlite::types::Value::Text("slow".into()));
        insert(&conn, 3, Some("GET"), "success", rusqlite::types::Value::Blob(vec![1, 2]));
        insert(&conn, 4, Some("GET"), "success", int(50));
        conn.execute("UPDATE events SET timestamp = 12345, size = 'big' WHERE id = 5", []).unwrap();
        insert(&conn, 5, Some("PUT"), "success", rusqlite::types::Value::Real(6000.9));
        let out = latency_stats(&conn, "events", &view(), CUTOFF).unwrap();
        let s = out.value;
        // The numeric timestamp 12345 sorts below the text cutoff: not fetched.
        assert_eq!(s.total_operations, 4);
        assert_eq!(s.statistics.get.count, 1);
        assert_eq!(s.statistics.get.min, 150);
        assert_eq!(s.statistics.put.min, 6000);
        assert_eq!(s.slow_operations.len(), 1);
        assert_eq!(s.slow_operations[0].duration_ms, json!(6000.9));
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings[0].starts_with("events: 2 ") && out.warnings[0].contains("REAL"));
        assert!(out.warnings[1].starts_with("events: 2 ") && out.warnings[1].contains("TEXT or BLOB"));
    }

    #[test]
    fn slow_operations_stable_order_and_raw_values() {
        let conn = db();
        // Inserted oldest first; fetched newest first.
        let durations = [5000, 7000, 4999, 7000, 6000, 9000, 5000, 7000, 5500, 5100, 5200, 5300, 5400, 5000];
        for (i, d) in durations.iter().enumerate() {
            let status = if i % 3 == 0 { "failed" } else { "success" };
            insert(&conn, i as i64, Some("PUT"), status, int(*d));
        }
        let s = latency_stats(&conn, "events", &view(), CUTOFF).unwrap().value;
        let got: Vec<(i64, i64)> =
            s.slow_operations.iter().map(|o| (o.duration_ms.as_i64().unwrap(), o.size.as_i64().unwrap_or(-1) - 1000)).collect();
        // By duration descending; equal durations newest (higher index) first; keep 10.
        assert_eq!(
            got,
            vec![(9000, 5), (7000, 7), (7000, 3), (7000, 1), (6000, 4), (5500, 8), (5400, 12), (5300, 11), (5200, 10), (5100, 9)]
        );
        // Any status, raw values, the original's key order.
        let failed = s.slow_operations.iter().find(|o| o.status == json!("failed")).unwrap();
        assert_eq!(failed.duration_ms, json!(7000));
        let keys: Vec<String> = serde_json::to_value(&s.slow_operations[0]).unwrap().as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["timestamp", "action", "duration_ms", "piece_id", "satellite_id", "status", "size", "node_name"]);
        // A NULL becomes null.
        let conn2 = db();
        insert(&conn2, 1, Some("GET"), "success", int(8000));
        conn2.execute("UPDATE events SET size = NULL, satellite_id = NULL", []).unwrap();
        let s = latency_stats(&conn2, "events", &view(), CUTOFF).unwrap().value;
        let v = serde_json::to_value(&s.slow_operations[0]).unwrap();
        assert_eq!(
            v,
            json!({"timestamp": ts(1), "action": "GET", "duration_ms": 8000, "piece_id": "piece1",
                   "satellite_id": null, "status": "success", "size": null, "node_name": "n1"})
        );
    }

    #[test]
    fn limit_keeps_the_newest_10000_rows_of_any_status() {
        let conn = db();
        let tx = conn.unchecked_transaction().unwrap();
        // 10,005 rows: the 5 oldest are successes of 1 ms; of the newest 10,000 every other
        // one failed, so only 5,000 successes of 1000 ms remain.
        for i in 0..10_005 {
            let (status, d) = if i < 5 {
                ("success", 1)
            } else if i % 2 == 0 {
                ("failed", 5)
            } else {
                ("success", 1000)
            };
            insert(&conn, i, Some("GET"), status, int(d));
        }
        tx.commit().unwrap();
        let s = latency_stats(&conn, "events", &view(), CUTOFF).unwrap().value;
        assert_eq!(s.total_operations, 10_000);
        assert_eq!(s.statistics.get.count, 5_000);
        assert_eq!(s.statistics.get.min, 1000);
        assert_eq!(s.statistics.all.mean, Num::Int(1000));
    }

    #[test]
    fn view_names_are_bound_not_interpolated() {
        let conn = db();
        insert(&conn, 1, Some("GET"), "success", int(10));
        conn.execute("UPDATE events SET node_name = 'it''s \"odd\"'", []).unwrap();
        let s = latency_stats(&conn, "events", &["it's \"odd\"".to_string(), "n1".to_string()], CUTOFF).unwrap().value;
        assert_eq!(s.total_operations, 1);
        let s = latency_stats(&conn, "events", &["') OR 1=1 --".to_string()], CUTOFF).unwrap().value;
        assert_eq!(s.total_operations, 0);
    }

    #[test]
    fn a_table_without_rowid_gives_the_same_result() {
        let fill = |conn: &Connection| {
            let durations = [5000, 7000, 4999, 7000, 6000, 9000, 5000, 7000, 5500, 5100, 5200, 5300, 5400, 5000];
            for (i, d) in durations.iter().enumerate() {
                let status = if i % 3 == 0 { "failed" } else { "success" };
                let action = ["GET", "PUT", "GET_AUDIT", "DELETE"][i % 4];
                insert(conn, i as i64, Some(action), status, int(*d));
            }
            insert(conn, 30, None, "success", rusqlite::types::Value::Real(12.5));
        };
        let with_rowid = db();
        fill(&with_rowid);
        let without = Connection::open_in_memory().unwrap();
        without.execute_batch(&format!("{SCHEMA} WITHOUT ROWID")).unwrap();
        fill(&without);
        assert!(without.prepare(&narrow_sql("events", 1)).is_err());
        let a = latency_stats(&with_rowid, "events", &view(), CUTOFF).unwrap();
        let b = latency_stats(&without, "events", &view(), CUTOFF).unwrap();
        assert_eq!(a.value, b.value);
        assert_eq!(a.value.slow_operations.len(), 10);
        assert_eq!(a.warnings.len(), 2);
        assert_eq!(b.warnings.len(), 2);
        assert!(
            a.warnings[0].ends_with("e.g. the row with id 31") && a.warnings[1].ends_with("e.g. the row with id 31, 12.5"),
            "{:?}",
            a.warnings
        );
        assert!(b.warnings[0].contains(&format!("the row at {} on n1", ts(30))), "{:?}", b.warnings);
    }

    #[test]
    fn an_interrupt_is_reported_as_interrupted() {
        let mut conn = db();
        insert(&conn, 1, Some("GET"), "success", int(10));
        conn.progress_handler(1, Some(|| true)).unwrap();
        let err = latency_stats(&conn, "events", &view(), CUTOFF).unwrap_err();
        assert!(matches!(err, crate::EngineError::Interrupted { .. }), "{err:?}");
    }
}
