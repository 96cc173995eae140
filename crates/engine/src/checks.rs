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

/// How many rows of one kind are odd, and the one shown as an example in the warning (12.1).
/// The example kept is the first one noted, or, with a key ([`OddRows::note_by`]), the one
/// with the smallest key so far (the first in some index order, whatever order rows come in).
/// The example is built only when it is kept.
#[derive(Debug)]
pub struct OddRows<K = ()> {
    pub count: u64,
    first: Option<(K, String)>,
}

impl<K> Default for OddRows<K> {
    fn default() -> Self {
        OddRows { count: 0, first: None }
    }
}

impl OddRows {
    /// Counts one more odd row; keeps its example if it is the first.
    pub fn note(&mut self, example: impl FnOnce() -> String) {
        self.note_by((), |_, _| false, example);
    }
}

impl<K> OddRows<K> {
    /// Counts one more odd row; keeps its example if `less(key, kept key)` or none is kept yet.
    pub fn note_by(&mut self, key: K, less: impl FnOnce(&K, &K) -> bool, example: impl FnOnce() -> String) {
        self.count += 1;
        if self.first.as_ref().is_none_or(|(kept, _)| less(&key, kept)) {
            self.first = Some((key, example()));
        }
    }

    /// The example kept, if any row was noted.
    pub fn example(&self) -> Option<&str> {
        self.first.as_ref().map(|(_, e)| e.as_str())
    }

    /// The warning `words(count, example)`, if any row was noted.
    pub fn warning(&self, words: impl FnOnce(u64, &str) -> String) -> Option<String> {
        self.example().map(|ex| words(self.count, ex))
    }
}

/// The warning of events whose timestamp is not in the iso layout (here and in the single pass).
pub(crate) fn odd_timestamps_warning(count: u64, example: &str) -> String {
    format!(
        "events: {count} row(s) have a timestamp not in the layout YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00 (e.g. {example}); \
         they are filtered by text comparison as the original does"
    )
}

/// The warning of events with a negative size (here and in the single pass).
pub(crate) fn negative_sizes_warning(count: u64, example: &str) -> String {
    format!("events: {count} row(s) have a negative size (e.g. {example}); they are summed as they are")
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
    let (mut ts, mut neg, mut real) = (OddRows::default(), OddRows::default(), OddRows::default());
    let mut stmt = conn.prepare(&events_sql())?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (t, size) = (row.get_ref(0)?, row.get_ref(1)?);
        if !matches!(t, ValueRef::Text(s) if is_iso_layout(&String::from_utf8_lossy(s))) {
            ts.note(|| shown(t));
        }
        match size {
            ValueRef::Integer(i) if i < 0 => neg.note(|| i.to_string()),
            ValueRef::Integer(_) | ValueRef::Null => {}
            other => real.note(|| shown(other)),
        }
    }
    out.extend(ts.warning(odd_timestamps_warning));
    out.extend(neg.warning(negative_sizes_warning));
    out.extend(real.warning(|n, ex| format!("events: {n} row(s) have a non-integer size (e.g. {ex})")));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_rows_keep_the_first_or_the_least_example() {
        let mut first = OddRows::default();
        assert_eq!(first.warning(|n, ex| format!("{n} {ex}")), None);
        first.note(|| "a".into());
        first.note(|| unreachable!("an example is built only when kept"));
        assert_eq!((first.count, first.example()), (2, Some("a")));
        let mut least = OddRows::default();
        for k in [5, 3, 9, 3] {
            least.note_by(k, |a, b| a < b, || k.to_string());
        }
        assert_eq!(least.warning(|n, ex| format!("{n} rows, e.g. {ex}")).as_deref(), Some("4 rows, e.g. 3"));
    }
}
