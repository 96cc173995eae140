//! Node age and held-back fraction (ANALYTICS section 5).

use chrono::Datelike;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::error::Result;
use super::time::{parse_timestamp, utc, Micros, ParsedTimestamp};

/// The held-back schedule `(max_age_months, held_fraction)` and its lookup: one table, shared
/// with the demo generator, which writes `held_percentage` from it.
pub use model::report::{held_fraction, HELD_SCHEDULE};

pub const FIRST_ESTIMATE_SQL: &str = "SELECT MIN(period) FROM earnings_estimates WHERE node_name = ?1";
pub const FIRST_SNAPSHOT_SQL: &str = "SELECT MIN(timestamp) FROM storage_snapshots WHERE node_name = ?1";
pub const FIRST_EVENT_SQL: &str = "SELECT MIN(timestamp) FROM events WHERE node_name = ?1";

/// The age used when no start date is known: past the held-back schedule.
pub const UNKNOWN_AGE_MONTHS: i64 = 16;

#[derive(Debug, Clone, PartialEq)]
pub struct NodeAge {
    pub months: i64,
    pub held_percentage: f64,
    pub start_date: Option<String>,
}

/// Age from a parsed start: months by year and month as written, at least 1.
pub fn age_from_start(start: &ParsedTimestamp, now: Micros) -> NodeAge {
    let n = utc(now);
    let months = (i64::from(n.year()) - i64::from(start.local.year())) * 12 + (i64::from(n.month()) - i64::from(start.local.month()));
    let months = months.max(1);
    NodeAge { months, held_percentage: held_fraction(months), start_date: Some(start.python_isoformat()) }
}

pub fn unknown_age() -> NodeAge {
    NodeAge { months: UNKNOWN_AGE_MONTHS, held_percentage: held_fraction(UNKNOWN_AGE_MONTHS), start_date: None }
}

/// Looks up the node's start (earnings_estimates, then the first snapshot or event) and its age.
/// `first_event`: the events' `MIN(timestamp)` when already known (the single pass's), so that
/// no scan of the unindexed events table is needed.
pub fn node_age(
    conn: &Connection,
    node: &str,
    now: Micros,
    has_estimates: bool,
    has_snapshots: bool,
    first_event: Option<Option<MinValue>>,
) -> Result<NodeAge> {
    if has_estimates {
        let first: Option<String> = conn.prepare_cached(FIRST_ESTIMATE_SQL)?.query_row([node], |r| Ok(value_text(r.get_ref(0)?)))?;
        if let Some(start) = first.and_then(|p| parse_timestamp(&format!("{p}-01T00:00:00+00:00"))) {
            return Ok(age_from_start(&start, now));
        }
    }
    let min_of =
        |sql: &str| -> Result<Option<MinValue>> { Ok(conn.prepare_cached(sql)?.query_row([node], |r| Ok(MinValue::of(r.get_ref(0)?)))?) };
    let snap = if has_snapshots { min_of(FIRST_SNAPSHOT_SQL)? } else { None };
    let event = match first_event {
        Some(known) => known,
        None => min_of(FIRST_EVENT_SQL)?,
    };
    let chosen = match (snap, event) {
        (Some(MinValue::Text(a)), Some(MinValue::Text(b))) => Some(if a <= b { a } else { b }),
        (Some(MinValue::Text(a)), None) | (None, Some(MinValue::Text(a))) => Some(a),
        // A non-text minimum cannot be parsed by the original: the age is unknown.
        _ => None,
    };
    Ok(match chosen.as_deref().and_then(parse_timestamp) {
        Some(start) => age_from_start(&start, now),
        None => unknown_age(),
    })
}

/// A MIN() result: text, or another storage class (which the original cannot parse).
#[derive(Debug, Clone, PartialEq)]
pub enum MinValue {
    Text(String),
    Other,
}

impl MinValue {
    fn of(v: ValueRef<'_>) -> Option<MinValue> {
        match v {
            ValueRef::Null => None,
            ValueRef::Text(t) => Some(MinValue::Text(String::from_utf8_lossy(t).into_owned())),
            _ => Some(MinValue::Other),
        }
    }
}

/// A value as Python's f-string would print it, for `f"{period}-01..."`.
fn value_text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Blob(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Micros {
        parse_timestamp(s).unwrap().instant().unwrap()
    }

    #[test]
    fn schedule() {
        assert_eq!(held_fraction(0), 0.75);
        assert_eq!(held_fraction(1), 0.75);
        assert_eq!(held_fraction(3), 0.75);
        assert_eq!(held_fraction(4), 0.5);
        assert_eq!(held_fraction(6), 0.5);
        assert_eq!(held_fraction(7), 0.25);
        assert_eq!(held_fraction(9), 0.25);
        assert_eq!(held_fraction(10), 0.0);
        assert_eq!(held_fraction(15), 0.0);
        assert_eq!(held_fraction(16), 0.0);
    }

    #[test]
    fn ages_of_the_fixture() {
        let now = at("2025-10-10T12:00:00+00:00");
        let a = age_from_start(&parse_timestamp("2025-04-01T00:00:00+00:00").unwrap(), now);
        assert_eq!((a.months, a.held_percentage), (6, 0.5));
        let b = age_from_start(&parse_timestamp("2025-09-05T12:05:44.216807+00:00").unwrap(), now);
        assert_eq!((b.months, b.held_percentage), (1, 0.75));
        assert_eq!(b.start_date.as_deref(), Some("2025-09-05T12:05:44.216807+00:00"));
        let c = age_from_start(&parse_timestamp("2024-01-01T00:00:00+00:00").unwrap(), now);
        assert_eq!((c.months, c.held_percentage), (21, 0.0));
        // Same month, and a start after now: at least 1.
        assert_eq!(age_from_start(&parse_timestamp("2025-10-09T00:00:00+00:00").unwrap(), now).months, 1);
        assert_eq!(age_from_start(&parse_timestamp("2026-01-01T00:00:00+00:00").unwrap(), now).months, 1);
        // December to January counts one month.
        let jan = at("2026-01-02T00:00:00+00:00");
        assert_eq!(age_from_start(&parse_timestamp("2025-12-31T23:00:00+00:00").unwrap(), jan).months, 1);
        assert_eq!(unknown_age().months, 16);
        assert_eq!(unknown_age().held_percentage, 0.0);
    }
}
