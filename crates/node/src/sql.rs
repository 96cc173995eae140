//! Reading SQLite values the way earnings.py's Python sees them, without trusting their types.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Params, Row};

use crate::error::NodeError;

/// A number (INTEGER or REAL); anything else reads as none (earnings.py would fail on it).
pub fn num(v: ValueRef<'_>) -> Option<f64> {
    match v {
        ValueRef::Integer(i) => Some(i as f64),
        ValueRef::Real(f) => Some(f),
        _ => None,
    }
}

/// Python's `int()` of a number: REAL truncated (saturating).
pub fn int(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(i) => Some(i),
        ValueRef::Real(f) if f.is_finite() => Some(f.trunc() as i64),
        _ => None,
    }
}

/// A value as stored, as text (timestamps, receipts, names).
pub fn text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// Only TEXT values (a window or a date compares stored text).
pub fn text_only(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        _ => None,
    }
}

pub fn val<'a>(row: &'a Row<'_>, i: usize) -> ValueRef<'a> {
    row.get_ref(i).unwrap_or(ValueRef::Null)
}

/// Runs `sql` on the file `name`, mapping each row; errors name the file.
pub fn rows<T>(conn: &Connection, name: &str, sql: &str, params: impl Params, map: impl FnMut(&Row<'_>) -> T) -> Result<Vec<T>, NodeError> {
    let mut map = map;
    let mut stmt = conn.prepare_cached(sql).map_err(|e| NodeError::query(name, e))?;
    let mut rows = stmt.query(params).map_err(|e| NodeError::query(name, e))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| NodeError::query(name, e))? {
        out.push(map(row));
    }
    Ok(out)
}
