//! Latency analytics (ANALYTICS.md sections 8 and 9): per-view statistics over the newest
//! 10,000 rows of a window, and the per-bucket histogram of successful operations.
//!
//! - [`latency_stats`] — section 8: `{"statistics", "slow_operations", "total_operations",
//!   "operations_with_latency"}`, with the original monitor's JSON int/float typing.
//! - [`latency_histogram`] — section 9: the non-empty buckets below 10 s, ascending.
//! - [`round2`] — Python's `round(x, 2)`.
//!
//! Odd rows never fail: a NULL (or non-text) action counts as "other", REAL durations are
//! truncated toward zero, TEXT/BLOB durations are left out; each adds a warning to the outcome.

mod histogram;
mod rounding;
mod stats;
mod success;

pub use model::report::{CategoryStats, HistogramBucket, LatencyStats, Num, SlowOperation, Statistics};

pub use histogram::latency_histogram;
pub(crate) use rounding::ratio_to_f64;
pub use rounding::round2;
pub use stats::latency_stats;
pub use success::success_counts;

/// The longest window the original looks at: `LIMIT 10000` (section 8).
pub const STATS_ROW_LIMIT: i64 = 10_000;
/// Rows with `duration_ms >= SLOW_THRESHOLD_MS` are slow operations (section 8).
pub const SLOW_THRESHOLD_MS: i64 = 5_000;
/// At most this many slow operations are reported (section 8).
pub const SLOW_OPERATIONS_KEPT: usize = 10;
/// The histogram counts durations strictly below this (section 9).
pub const HISTOGRAM_MAX_MS: i64 = 10_000;
/// At most this many histogram buckets (section 9).
pub const HISTOGRAM_BUCKET_LIMIT: i64 = 100;

/// The category of an action (section 8): `GET_AUDIT` exactly is an audit, then any action
/// containing `GET` is a get, then any containing `PUT` a put; case-sensitive (`get` is
/// "other"). A NULL or non-text action is "other" too. The latency statistics and the
/// dashboard's success rates both classify with this.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Category {
    Get,
    Put,
    Audit,
    Other,
}

impl Category {
    /// The category of an action's bytes (compared as bytes: no UTF-8 needed).
    pub fn of(action: &[u8]) -> Category {
        let contains = |needle: &[u8]| action.windows(needle.len()).any(|w| w == needle);
        if action == b"GET_AUDIT" {
            Category::Audit
        } else if contains(b"GET") {
            Category::Get
        } else if contains(b"PUT") {
            Category::Put
        } else {
            Category::Other
        }
    }
}

/// A result plus the warnings (section 12.1) its odd rows raised, in the order found.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyOutcome<T> {
    pub value: T,
    pub warnings: Vec<String>,
}

/// Every query this module runs, for a view of `view_len` nodes (name, SQL), for
/// `EXPLAIN QUERY PLAN` checks. The slow-operation lookup is a rowid search
/// (`SEARCH events USING INTEGER PRIMARY KEY (rowid=?)`).
pub fn latency_queries(view_len: usize) -> Vec<(&'static str, String)> {
    vec![
        ("latency rows", stats::narrow_sql("events", view_len)),
        ("latency rows (table without rowid)", stats::wide_sql("events", view_len)),
        ("slow operation by rowid", stats::slow_by_rowid_sql("events")),
        ("latency histogram", histogram::histogram_sql("events", view_len)),
        ("latency histogram: REAL example", histogram::real_example_sql("events", view_len)),
    ]
}

/// `?first, ?first+1, …` for the `IN (<view>)` list; the names are bound, never interpolated.
fn in_placeholders(first: usize, count: usize) -> String {
    let mut s = String::with_capacity(count * 4);
    for i in 0..count {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('?');
        s.push_str(&(first + i).to_string());
    }
    s
}

/// A short human-readable rendering of a SQLite value, for warning examples.
fn describe_value(v: rusqlite::types::ValueRef<'_>) -> String {
    value_for_warning(v, " (TEXT)")
}

/// A SQLite value for a warning message: NULL, numbers with their type, text quoted and cut at
/// 40 characters (followed by `text_tag`), a blob by its size. Shared with the trends' warnings.
pub(crate) fn value_for_warning(v: rusqlite::types::ValueRef<'_>, text_tag: &str) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(i) => format!("{i} (INTEGER)"),
        ValueRef::Real(f) => format!("{f:?} (REAL)"),
        ValueRef::Text(t) => {
            let s = String::from_utf8_lossy(t);
            let short: String = s.chars().take(40).collect();
            let ellipsis = if short.len() < s.len() { "…" } else { "" };
            format!("'{short}{ellipsis}'{text_tag}")
        }
        ValueRef::Blob(b) => format!("a {}-byte BLOB", b.len()),
    }
}

/// Like [`describe_value`], but TEXT as it is (timestamps, node names).
fn describe_plain(v: rusqlite::types::ValueRef<'_>) -> String {
    match v {
        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        other => describe_value(other),
    }
}

/// The raw JSON form of a SQLite value (see [`SlowOperation`]).
fn json_value(v: rusqlite::types::ValueRef<'_>) -> serde_json::Value {
    use rusqlite::types::ValueRef;
    use serde_json::Value;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => {
            let mut s = String::with_capacity(3 + 2 * b.len());
            s.push_str("X'");
            for byte in b {
                s.push_str(&format!("{byte:02X}"));
            }
            s.push('\'');
            Value::String(s)
        }
    }
}

/// Maps a SQLite error through `EngineError`'s `From`, which keeps the user-facing classes
/// (corrupt, unreadable, interrupted by the progress handler).
fn sql_err(e: rusqlite::Error) -> crate::EngineError {
    crate::EngineError::from(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_serializes_with_its_json_type() {
        assert_eq!(serde_json::to_string(&Num::Int(350)).unwrap(), "350");
        assert_eq!(serde_json::to_string(&Num::Float(350.0)).unwrap(), "350.0");
        assert_eq!(serde_json::from_str::<Num>("350").unwrap(), Num::Int(350));
        assert_eq!(serde_json::from_str::<Num>("350.0").unwrap(), Num::Float(350.0));
        assert_eq!(serde_json::from_str::<Num>("454.8").unwrap(), Num::Float(454.8));
    }

    #[test]
    fn empty_stats_serialize_in_key_order_as_ints() {
        let s = serde_json::to_string(&LatencyStats::default()).unwrap();
        let zero = r#"{"count":0,"mean":0,"median":0,"p50":0,"p95":0,"p99":0,"min":0,"max":0}"#;
        assert_eq!(
            s,
            format!(
                r#"{{"statistics":{{"get":{zero},"put":{zero},"audit":{zero},"all":{zero}}},"slow_operations":[],"total_operations":0,"operations_with_latency":0}}"#
            )
        );
        let back: LatencyStats = serde_json::from_str(&s).unwrap();
        assert_eq!(back, LatencyStats::default());
    }

    #[test]
    fn category_rules() {
        assert_eq!(Category::of(b"GET_AUDIT"), Category::Audit);
        assert_eq!(Category::of(b"GET_AUDIT2"), Category::Get);
        assert_eq!(Category::of(b"GET_REPAIR"), Category::Get);
        assert_eq!(Category::of(b"PUT_GET"), Category::Get);
        assert_eq!(Category::of(b"PUT_REPAIR"), Category::Put);
        assert_eq!(Category::of(b"get"), Category::Other);
        assert_eq!(Category::of(b"Put"), Category::Other);
        assert_eq!(Category::of(b""), Category::Other);
        assert_eq!(Category::of(b"\xffGET\xfe"), Category::Get);
    }

    #[test]
    fn placeholders_are_numbered() {
        assert_eq!(in_placeholders(2, 3), "?2, ?3, ?4");
        assert_eq!(in_placeholders(3, 0), "");
    }

    #[test]
    fn blob_json_value_is_a_sql_literal() {
        use rusqlite::types::ValueRef;
        assert_eq!(json_value(ValueRef::Blob(&[0x0a, 0xff])), serde_json::json!("X'0AFF'"));
        assert_eq!(json_value(ValueRef::Real(f64::INFINITY)), serde_json::Value::Null);
        assert_eq!(json_value(ValueRef::Real(2.5)), serde_json::json!(2.5));
    }
}
