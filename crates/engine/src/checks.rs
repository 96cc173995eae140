//! Odd-row warnings of 12.1 that need a look at the whole file: cheap aggregates over the
//! covering indexes (never a scan of the events table itself). Run once per loaded file.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::error::Result;
use super::time::is_iso_layout;

/// The iso(t) shapes (25 characters, or 32 with microseconds). `?` patterns are 2-3x cheaper
/// than digit classes over a million rows; rows they pass are checked no further.
const ISO25: &str = "????-??-??T??:??:??+00:00";
const ISO32: &str = "????-??-??T??:??:??.??????+00:00";

fn not_iso(col: &str) -> String {
    format!("(typeof({col}) != 'text' OR NOT ({col} GLOB '{ISO32}' OR {col} GLOB '{ISO25}'))")
}

/// Events whose timestamp is not in iso shape or whose size is negative or not an integer.
/// Reads only columns of `idx_events_node_time_status_size`: SQLite scans that covering index.
pub fn events_sql() -> String {
    format!("SELECT timestamp, size FROM events WHERE {} OR size < 0 OR typeof(size) NOT IN ('integer', 'null')", not_iso("timestamp"))
}

pub const NULL_SATELLITE_SQL: &str = "SELECT count(*), min(node_name) FROM events WHERE satellite_id IS NULL";

pub fn snapshots_sql() -> String {
    format!("SELECT count(*), min(quote(timestamp)) FROM storage_snapshots WHERE {}", not_iso("timestamp"))
}

/// A count and the first example of one kind of odd value.
#[derive(Default)]
struct Odd {
    count: i64,
    example: Option<String>,
}

impl Odd {
    fn add(&mut self, example: impl FnOnce() -> String) {
        self.count += 1;
        if self.example.is_none() {
            self.example = Some(example());
        }
    }
}

/// Shows a value as SQL would quote it, for warnings.
fn shown(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => format!("{r:?}"),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!("<blob of {} bytes>", b.len()),
    }
}

/// The warnings, each naming the table, a count and one example.
pub fn odd_rows(conn: &Connection, has_snapshots: bool) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let (mut ts, mut neg, mut real) = (Odd::default(), Odd::default(), Odd::default());
    let mut stmt = conn.prepare(&events_sql())?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (t, size) = (row.get_ref(0)?, row.get_ref(1)?);
        if !matches!(t, ValueRef::Text(s) if is_iso_layout(&String::from_utf8_lossy(s))) {
            ts.add(|| shown(t));
        }
        match size {
            ValueRef::Integer(i) if i < 0 => neg.add(|| i.to_string()),
            ValueRef::Integer(_) | ValueRef::Null => {}
            other => real.add(|| shown(other)),
        }
    }
    if let Some(ex) = ts.example {
        out.push(format!(
            "events: {} row(s) have a timestamp not in the layout YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00 (e.g. {ex}); \
             they are filtered by text comparison as the original does",
            ts.count
        ));
    }
    if let Some(ex) = neg.example {
        out.push(format!("events: {} row(s) have a negative size (e.g. {ex}); they are summed as they are", neg.count));
    }
    if let Some(ex) = real.example {
        out.push(format!("events: {} row(s) have a non-integer size (e.g. {ex})", real.count));
    }
    let (n_null, node): (i64, Option<String>) = conn.query_row(NULL_SATELLITE_SQL, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if n_null > 0 {
        out.push(format!(
            "events: {n_null} row(s) have a NULL satellite_id (e.g. on node {}); they earn no traffic but count in storage allocation",
            node.unwrap_or_else(|| "NULL".into())
        ));
    }
    if has_snapshots {
        let (n, ex): (i64, Option<String>) = conn.query_row(&snapshots_sql(), [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if let (n, Some(ex)) = (n, ex) {
            out.push(format!("storage_snapshots: {n} row(s) have a timestamp not in the layout of the original (e.g. {ex})"));
        }
    }
    Ok(out)
}
