//! The dashboard's success rates: per category, the window's operations and how many succeeded.

use rusqlite::Connection;

use super::Category;
use crate::Result;

/// (successes, attempts) per category `get`, `put`, `audit`, `all` over the rows of `view` in
/// `table` with `timestamp >= cutoff` (all statuses; a row counts whether or not it has a
/// duration). One query per node: each reads its own index range.
pub fn success_counts(conn: &Connection, table: &str, view: &[String], cutoff: &str) -> Result<[(i64, i64); 4]> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT action, status = 'success', COUNT(*) FROM {table} WHERE node_name = ?1 AND timestamp >= ?2 GROUP BY 1, 2"
    ))?;
    let mut out = [(0i64, 0i64); 4];
    for node in view {
        let rows = stmt.query_map(rusqlite::params![node, cutoff], |r| {
            let category = match r.get_ref(0)? {
                rusqlite::types::ValueRef::Text(t) => Category::of(t),
                _ => Category::Other,
            };
            Ok((category, r.get::<_, Option<bool>>(1)?.unwrap_or(false), r.get::<_, i64>(2)?))
        })?;
        for row in rows {
            let (category, ok, n) = row?;
            let slot = match category {
                Category::Get => Some(0),
                Category::Put => Some(1),
                Category::Audit => Some(2),
                Category::Other => None,
            };
            for i in slot.into_iter().chain([3]) {
                out[i].1 += n;
                if ok {
                    out[i].0 += n;
                }
            }
        }
    }
    Ok(out)
}
