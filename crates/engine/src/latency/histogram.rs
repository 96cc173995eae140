//! Section 9: the latency histogram of one view, window and bucket size.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::{
    describe_plain, describe_value, in_placeholders, sql_err, HistogramBucket, LatencyOutcome, HISTOGRAM_BUCKET_LIMIT, HISTOGRAM_MAX_MS,
};
use crate::{EngineError, Result};

/// The section 9 query; `?1` = bucket size, `?2` = cutoff, `?3…` = the view's names.
///
/// Two additions that change nothing for INTEGER durations (all the original's writer makes):
/// - `CAST(duration_ms AS INTEGER)` in the bucket expression, so that a REAL duration falls in
///   the bucket of its truncation (the coercion the statistics use too) instead of opening a
///   group of its own;
/// - `typeof(duration_ms) IN ('integer', 'real')`, so TEXT/BLOB durations are left out whatever
///   the column's affinity (with INTEGER affinity, `duration_ms < 10000` already drops them).
///
/// The third column counts the REAL durations per bucket, for the warning. (On a 1M-event file
/// these additions cost about 1 ms of 10 for the widest view; the example is fetched only when
/// there is one.)
pub(super) fn histogram_sql(table: &str, view_len: usize) -> String {
    format!(
        "SELECT (CAST(duration_ms AS INTEGER) / ?1) * ?1 AS bucket_start, COUNT(*), \
         SUM(typeof(duration_ms) = 'real') \
         FROM {table} WHERE node_name IN ({}) AND timestamp >= ?2 {WINDOW_FILTER} \
         GROUP BY bucket_start ORDER BY bucket_start LIMIT {HISTOGRAM_BUCKET_LIMIT}",
        in_placeholders(3, view_len)
    )
}

const WINDOW_FILTER: &str = "AND duration_ms IS NOT NULL AND duration_ms > 0 AND duration_ms < 10000 \
     AND status = 'success' AND typeof(duration_ms) IN ('integer', 'real')";

/// One REAL duration of the window, for the warning's example.
pub(super) fn real_example_sql(table: &str, view_len: usize) -> String {
    format!(
        "SELECT duration_ms, timestamp FROM {table} WHERE node_name IN ({}) AND timestamp >= ?2 \
         {WINDOW_FILTER} AND typeof(duration_ms) = 'real' LIMIT 1",
        in_placeholders(3, view_len)
    )
}

/// Section 9 for `view` over `timestamp >= cutoff` with buckets of `bucket_ms` milliseconds:
/// the non-empty buckets in ascending order, at most 100. Counts every qualifying row of the
/// window (no 10,000-row limit). `bucket_ms` must be positive.
pub fn latency_histogram(
    conn: &Connection,
    table: &str,
    view: &[String],
    cutoff: &str,
    bucket_ms: i64,
) -> Result<LatencyOutcome<Vec<HistogramBucket>>> {
    if bucket_ms <= 0 || bucket_ms > i64::MAX - HISTOGRAM_MAX_MS {
        return Err(EngineError::InvalidArgument(format!(
            "the histogram bucket size must be a positive number of milliseconds, not {bucket_ms}"
        )));
    }
    let bind = |stmt: &mut rusqlite::Statement<'_>| -> Result<()> {
        stmt.raw_bind_parameter(1, bucket_ms).map_err(sql_err)?;
        stmt.raw_bind_parameter(2, cutoff).map_err(sql_err)?;
        for (i, name) in view.iter().enumerate() {
            stmt.raw_bind_parameter(i + 3, name.as_str()).map_err(sql_err)?;
        }
        Ok(())
    };
    let mut stmt = conn.prepare_cached(&histogram_sql(table, view.len())).map_err(sql_err)?;
    bind(&mut stmt)?;
    let mut buckets = Vec::new();
    let mut real_count: i64 = 0;
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(sql_err)? {
        // The CAST makes both integers; anything else would be a SQLite bug, so skip it.
        let (ValueRef::Integer(start), ValueRef::Integer(count)) = (row.get_ref(0)?, row.get_ref(1)?) else {
            continue;
        };
        if let ValueRef::Integer(reals) = row.get_ref(2)? {
            real_count = real_count.saturating_add(reals);
        }
        // start <= duration < 10,000 and bucket_ms <= i64::MAX - 10,000: no overflow.
        let end = start + bucket_ms;
        buckets.push(HistogramBucket { bucket_start_ms: start, bucket_end_ms: end, count, label: format!("{start}-{end}ms") });
    }
    drop(rows);
    drop(stmt);
    let mut warnings = Vec::new();
    if real_count > 0 {
        // Rare: a second query for one example. It shares the numbering (?1 is unused there).
        let mut example = String::from("?");
        let mut stmt = conn.prepare(&real_example_sql(table, view.len())).map_err(sql_err)?;
        bind(&mut stmt)?;
        let mut rows = stmt.raw_query();
        if let Some(row) = rows.next().map_err(sql_err)? {
            example = format!("{} at {}", describe_value(row.get_ref(0)?), describe_plain(row.get_ref(1)?));
        }
        warnings.push(format!(
            "events: {real_count} latency row(s) of view \"{}\" since {cutoff} have a REAL duration_ms; \
             truncated toward zero, e.g. {example}",
            view.join(","),
        ));
    }
    Ok(LatencyOutcome { value: buckets, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    fn db(rows: &[(&str, &str, &str, rusqlite::types::Value)]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT,
             size INTEGER, piece_id TEXT, satellite_id TEXT, node_name TEXT, duration_ms INTEGER)",
        )
        .unwrap();
        for (ts, node, status, d) in rows {
            conn.execute(
                "INSERT INTO events (timestamp, action, status, size, node_name, duration_ms) VALUES (?1, 'GET', ?2, 1, ?3, ?4)",
                params![ts, status, node, d],
            )
            .unwrap();
        }
        conn
    }

    const T: &str = "2025-10-10T11:30:00+00:00";
    const CUTOFF: &str = "2025-10-10T11:00:00+00:00";

    fn v(d: i64) -> rusqlite::types::Value {
        rusqlite::types::Value::Integer(d)
    }

    fn view(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn buckets_ascending_non_empty_and_bounded() {
        let conn = db(&[
            (T, "a", "success", v(99)),
            (T, "a", "success", v(100)),
            (T, "a", "success", v(250)),
            (T, "b", "success", v(1)),
            (T, "a", "success", v(9999)),
            (T, "a", "success", v(10000)), // never counted
            (T, "a", "failed", v(120)),    // success only
            (T, "a", "success", v(0)),
            (T, "a", "success", v(-3)),
            (T, "a", "success", rusqlite::types::Value::Null),
            ("2025-10-10T10:59:59.999999+00:00", "a", "success", v(150)), // before the cutoff
            ("2025-10-10T13:00:00+00:00", "a", "success", v(150)),        // after now counts
            (T, "c", "success", v(150)),                                  // other node
        ]);
        let h = latency_histogram(&conn, "events", &view(&["a", "b"]), CUTOFF, 100).unwrap();
        assert!(h.warnings.is_empty());
        let got: Vec<(i64, i64, i64, &str)> =
            h.value.iter().map(|b| (b.bucket_start_ms, b.bucket_end_ms, b.count, b.label.as_str())).collect();
        assert_eq!(
            got,
            vec![(0, 100, 2, "0-100ms"), (100, 200, 2, "100-200ms"), (200, 300, 1, "200-300ms"), (9900, 10000, 1, "9900-10000ms")]
        );
        let h = latency_histogram(&conn, "events", &view(&["a"]), CUTOFF, 250).unwrap().value;
        assert_eq!(h[0].label, "0-250ms");
        assert_eq!(h[0].count, 3);
        assert_eq!(h[1].label, "250-500ms");
        assert!(latency_histogram(&conn, "events", &view(&["a"]), CUTOFF, 0).is_err());
        assert!(latency_histogram(&conn, "events", &view(&["a"]), CUTOFF, -5).is_err());
        assert!(latency_histogram(&conn, "events", &[], CUTOFF, 100).unwrap().value.is_empty());
        let json = serde_json::to_string(&h[0]).unwrap();
        assert_eq!(json, r#"{"bucket_start_ms":0,"bucket_end_ms":250,"count":3,"label":"0-250ms"}"#);
    }

    #[test]
    fn limit_100_cuts_the_highest_buckets() {
        let rows: Vec<_> = (1..200).map(|d| (T, "a", "success", v(d * 10))).collect();
        let conn = db(&rows);
        let h = latency_histogram(&conn, "events", &view(&["a"]), CUTOFF, 10).unwrap().value;
        assert_eq!(h.len(), 100);
        assert_eq!(h[0].bucket_start_ms, 10);
        assert_eq!(h[99].bucket_start_ms, 1000);
    }

    #[test]
    fn odd_durations() {
        let conn = db(&[
            (T, "a", "success", rusqlite::types::Value::Real(199.9)),
            (T, "a", "success", v(150)),
            (T, "a", "success", rusqlite::types::Value::Text("fast".into())),
            (T, "a", "success", rusqlite::types::Value::Blob(vec![0])),
        ]);
        let h = latency_histogram(&conn, "events", &view(&["a"]), CUTOFF, 100).unwrap();
        assert_eq!(h.value.len(), 1);
        assert_eq!(h.value[0].count, 2);
        assert_eq!(h.warnings.len(), 1);
        assert!(
            h.warnings[0].starts_with("events: 1 ") && h.warnings[0].ends_with(&format!("e.g. 199.9 (REAL) at {T}")),
            "{:?}",
            h.warnings
        );
    }
}
