//! The trend panels of TRENDS.md: reputation ([`reputation`]), storage growth ([`storage`]), the
//! hourly table and the 24-hour chart ([`hourly`]), payouts ([`payouts`]), assembled into the
//! report's `"trends"` section ([`trends`]) and into the page's panels for one view ([`view`]).
//!
//! Plain SQL over the loaded connection: bound parameters only (a view's node names travel as one
//! JSON array, `node_name IN (SELECT value FROM json_each(?1))`), `prepare_cached`, no IO and no
//! clock (now is given). A missing table (or one without the columns a panel reads) reads as an
//! empty one (section 1). Where the original fails on odd rows (sections 3.7 and 5) the panel is
//! empty and a warning says why; an SQLite error in a panel's query (an integer overflow in a
//! SUM) does the same, while interruptions and damaged pages still fail the request.

pub mod hourly;
pub mod num;
pub mod payouts;
pub mod reputation;
pub mod storage;
pub mod view;

use rusqlite::types::ValueRef;
use rusqlite::Connection;

pub use model::trends::*;

use crate::error::{EngineError, Result};
use crate::schema;
use crate::time::Micros;
use crate::Warnings;

/// One trend table as the panels can read it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Table {
    /// The table exists with every column its panels read.
    pub usable: bool,
    /// It has a rowid (not `WITHOUT ROWID`): rows that tie in a panel's order come in rowid order.
    pub rowid: bool,
}

impl Table {
    /// `, <alias>rowid` to end an ORDER BY with (rows that tie come in rowid order, as a plain
    /// scan gives them), or nothing for a table without rowid.
    fn rowid_order(&self, alias: &str) -> String {
        if self.rowid {
            format!(", {alias}rowid")
        } else {
            String::new()
        }
    }
}

/// The four tables the trends read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tables {
    pub reputation: Table,
    pub storage: Table,
    pub hourly: Table,
    pub payouts: Table,
}

/// Columns each panel reads (the rows themselves are printed with every column).
pub const REPUTATION_COLUMNS: &[&str] =
    &["timestamp", "node_name", "satellite", "audit_score", "suspension_score", "online_score", "is_disqualified", "is_suspended"];
pub const STORAGE_COLUMNS: &[&str] = &["timestamp", "node_name", "used_bytes", "available_bytes"];
pub const HOURLY_COLUMNS: &[&str] = &[
    "hour_timestamp",
    "node_name",
    "dl_success",
    "dl_fail",
    "ul_success",
    "ul_fail",
    "audit_success",
    "audit_fail",
    "total_download_size",
    "total_upload_size",
];
pub const PAYOUT_COLUMNS: &[&str] = &["timestamp", "node_name"];

impl Tables {
    /// Which trend tables the file has. A table that exists without a needed column is left out
    /// with a warning; a missing table is simply empty (section 1), noted in `trends.tables`.
    pub fn probe(conn: &Connection, w: &mut Warnings) -> Result<Tables> {
        Ok(Tables {
            reputation: probe_table(conn, "reputation_history", REPUTATION_COLUMNS, w)?,
            storage: probe_table(conn, "storage_snapshots", STORAGE_COLUMNS, w)?,
            hourly: probe_table(conn, "hourly_stats", HOURLY_COLUMNS, w)?,
            payouts: probe_table(conn, "payout_history", PAYOUT_COLUMNS, w)?,
        })
    }

    /// The report's and the page's `tables` flags.
    pub fn flags(&self) -> TrendTables {
        TrendTables {
            reputation_history: self.reputation.usable,
            storage_snapshots: self.storage.usable,
            hourly_stats: self.hourly.usable,
            payout_history: self.payouts.usable,
        }
    }
}

fn probe_table(conn: &Connection, table: &str, needed: &[&str], w: &mut Warnings) -> Result<Table> {
    if !schema::table_exists(conn, table)? {
        return Ok(Table::default());
    }
    let columns = schema::columns(conn, table)?;
    let missing: Vec<String> =
        needed.iter().filter(|c| !columns.iter().any(|k| k.eq_ignore_ascii_case(c))).map(|c| format!("`{c}`")).collect();
    if !missing.is_empty() {
        w.push(format!("{table}: the table lacks {}, so its trend panels are empty", missing.join(", ")));
        return Ok(Table::default());
    }
    let without_rowid: bool = conn
        .query_row("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1", [table], |r| r.get(0))
        .map_err(EngineError::from)?;
    Ok(Table { usable: true, rowid: !without_rowid })
}

/// The whole section for the nodes of the file (the node list of ANALYTICS section 2).
///
/// `all.reputation` and `all.storage_forecast` are the nodes' lists one after the other: the
/// original's queries order them by node name, the node list is in that order, and alerts are
/// checked node by node (`all_trends` computes them over all nodes at once; the tests check
/// that both agree).
pub fn trends(conn: &Connection, nodes: &[String], now: Micros, w: &mut Warnings) -> Result<Trends> {
    let tables = Tables::probe(conn, w)?;
    let mut storage = panel(w, "storage_snapshots", storage::read(conn, tables.storage, nodes, now))?;
    let mut out = Trends { tables: tables.flags(), ..Trends::default() };
    let mut reputation_all = Vec::new();
    let mut forecast_all = Some(Vec::new());
    for node in nodes {
        let s = storage.shift_remove(node.as_str()).unwrap_or_default();
        let (t, forecast) = node_panels(conn, &tables, node, s, now, w)?;
        reputation_all.extend(t.reputation.iter().cloned());
        match (&mut forecast_all, forecast) {
            (Some(all), Some(entries)) => all.extend(entries),
            _ => forecast_all = None,
        }
        out.nodes.insert(node.clone(), t);
    }
    out.all = AllTrends {
        reputation: reputation_all,
        storage_forecast: forecast_all.unwrap_or_default(),
        hourly: panel(w, "hourly_stats", hourly::table(conn, tables.hourly, nodes))?,
        hourly_traffic: hourly::traffic(conn, tables.hourly, nodes, now, w)?,
        payout_history: panel(w, "payout_history", payouts::history(conn, tables.payouts, nodes, now))?,
    };
    Ok(out)
}

/// The panels of one node.
pub fn node_trends(conn: &Connection, tables: &Tables, node: &str, now: Micros, w: &mut Warnings) -> Result<NodeTrends> {
    let view = [node.to_string()];
    let mut storage = panel(w, "storage_snapshots", storage::read(conn, tables.storage, &view, now))?;
    let s = storage.shift_remove(node).unwrap_or_default();
    Ok(node_panels(conn, tables, node, s, now, w)?.0)
}

/// The panels of one node from its storage rows, with all its forecast entries (`None` where
/// the original fails).
fn node_panels(
    conn: &Connection,
    tables: &Tables,
    node: &str,
    storage: storage::NodeStorage,
    now: Micros,
    w: &mut Warnings,
) -> Result<(NodeTrends, Option<Vec<StorageForecast>>)> {
    let view = [node.to_string()];
    let forecast = storage::node_forecast(node, &storage, now, w);
    let t = NodeTrends {
        reputation: panel(w, "reputation_history", reputation::latest(conn, tables.reputation, &view))?,
        reputation_history: panel(w, "reputation_history", reputation::history(conn, tables.reputation, node, now))?,
        storage_forecast: forecast.as_ref().and_then(|entries| entries.first().cloned()),
        storage_history: storage.history,
        hourly: panel(w, "hourly_stats", hourly::table(conn, tables.hourly, &view))?,
        hourly_traffic: hourly::traffic(conn, tables.hourly, &view, now, w)?,
        payout_history: panel(w, "payout_history", payouts::history(conn, tables.payouts, &view, now))?,
    };
    Ok((t, forecast))
}

/// The panels of all nodes together (`nodes`: the file's node list), each with its own query
/// over all nodes.
pub fn all_trends(conn: &Connection, tables: &Tables, nodes: &[String], now: Micros, w: &mut Warnings) -> Result<AllTrends> {
    let storage = panel(w, "storage_snapshots", storage::read(conn, tables.storage, nodes, now))?;
    Ok(AllTrends {
        reputation: panel(w, "reputation_history", reputation::latest(conn, tables.reputation, nodes))?,
        storage_forecast: storage::forecast(&storage, now, w),
        hourly: panel(w, "hourly_stats", hourly::table(conn, tables.hourly, nodes))?,
        hourly_traffic: hourly::traffic(conn, tables.hourly, nodes, now, w)?,
        payout_history: panel(w, "payout_history", payouts::history(conn, tables.payouts, nodes, now))?,
    })
}

/// The section of one loaded file for one now and node list, computed once and shared by the
/// report and the dashboard's panels: the tables cannot change within a loaded file, and now is
/// part of the key (a different now computes it again). The warnings it raised are replayed on
/// each hit.
#[derive(Debug, Default)]
pub struct TrendsCache {
    entry: Option<(Micros, Vec<String>, Trends, Vec<String>)>,
    pub counts: model::report::CacheCounts,
}

impl TrendsCache {
    pub fn get(&mut self, conn: &Connection, nodes: &[String], now: Micros, w: &mut Warnings) -> Result<&Trends> {
        let hit = matches!(&self.entry, Some((at, names, _, _)) if *at == now && names.as_slice() == nodes);
        if hit {
            self.counts.hits += 1;
        } else {
            self.counts.misses += 1;
            self.entry = None;
            let mut found = Warnings::default();
            let t = trends(conn, nodes, now, &mut found)?;
            self.entry = Some((now, nodes.to_vec(), t, found.0));
        }
        let (_, _, t, found) = self.entry.as_ref().expect("filled above");
        w.extend(found);
        Ok(t)
    }
}

impl TrendsCache {
    /// The section when it was computed for this now and node list (its warnings replayed).
    pub fn peek(&mut self, nodes: &[String], now: Micros, w: &mut Warnings) -> Option<&Trends> {
        match &self.entry {
            Some((at, names, t, found)) if *at == now && names.as_slice() == nodes => {
                self.counts.hits += 1;
                w.extend(found);
                Some(t)
            }
            _ => None,
        }
    }
}

/// A panel's result: an SQLite error of the panel's own query (not an interruption, not a
/// damaged page, which [`EngineError::from`] keeps apart) gives an empty panel and a warning.
fn panel<T: Default>(w: &mut Warnings, table: &str, r: Result<T>) -> Result<T> {
    match r {
        Err(EngineError::Sqlite(e)) => {
            w.push(format!("{table}: a trend panel could not be computed ({e}); it is shown empty"));
            Ok(T::default())
        }
        other => other,
    }
}

/// A computation that can meet the original's failures (`Ok(Err(why))`): an SQLite error of its
/// own queries becomes one more such failure; interruptions and damaged pages stay errors.
fn or_failure<T>(r: Result<std::result::Result<T, String>>) -> Result<std::result::Result<T, String>> {
    match r {
        Err(EngineError::Sqlite(e)) => Ok(Err(format!("SQLite: {e}"))),
        other => other,
    }
}

/// The JSON array of a view's node names, bound as `?1` of `json_each`.
fn view_json(nodes: &[String]) -> String {
    serde_json::to_string(nodes).unwrap_or_else(|_| "[]".into())
}

/// A row as stored (see [`model::trends`]): every column of the statement, in order.
fn read_row(row: &rusqlite::Row<'_>, names: &[String]) -> Result<Row> {
    let mut out = Row::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        out.insert(name.clone(), json_value(row.get_ref(i)?));
    }
    Ok(out)
}

/// Every row of a `SELECT *` statement, as stored.
fn read_rows(stmt: &mut rusqlite::CachedStatement<'_>, params: impl rusqlite::Params) -> Result<Vec<Row>> {
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(read_row(row, &names)?);
    }
    Ok(out)
}

/// The JSON form of a SQLite value: INTEGER → int, REAL → float (±inf → null), TEXT → string
/// (invalid UTF-8 replaced), NULL → null, BLOB → its SQL literal `X'…'` as a string.
pub fn json_value(v: ValueRef<'_>) -> serde_json::Value {
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

/// A SQL SUM's value as a number: null, an int, or a float.
fn sum_value(v: ValueRef<'_>) -> Option<model::report::Num> {
    use model::report::Num;
    match v {
        ValueRef::Integer(i) => Some(Num::Int(i)),
        ValueRef::Real(f) => Some(Num::Float(f)),
        _ => None,
    }
}

/// A value for a warning: text as it is (shortened), other types by name.
fn shown(v: ValueRef<'_>) -> String {
    crate::latency::value_for_warning(v, "")
}

/// Every query of the trends for a view, (name, SQL), for plan checks: the storage queries
/// must use an index once the engine's indexes exist (ANALYTICS 12.6).
pub fn trend_queries() -> Vec<(&'static str, String)> {
    let t = Table { usable: true, rowid: true };
    vec![
        ("reputation: latest per satellite", reputation::latest_sql(t)),
        ("reputation: history", reputation::history_sql(t)),
        ("storage: newest rows", storage::newest_sql(t)),
        ("storage: API rows of 30 days", storage::points_sql(t)),
        ("storage: history", storage::history_sql(t)),
        ("hourly: table", hourly::TABLE_SQL.to_string()),
        ("hourly: traffic", hourly::TRAFFIC_SQL.to_string()),
        ("payouts: history", payouts::history_sql(t)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_json_value_is_a_sql_literal() {
        assert_eq!(json_value(ValueRef::Blob(&[0x0a, 0xff])), serde_json::json!("X'0AFF'"));
        assert_eq!(json_value(ValueRef::Real(f64::INFINITY)), serde_json::Value::Null);
        assert_eq!(json_value(ValueRef::Real(2.0)).to_string(), "2.0");
        assert_eq!(json_value(ValueRef::Integer(2)).to_string(), "2");
        assert_eq!(json_value(ValueRef::Text(b"a\xffb")), serde_json::json!("a\u{fffd}b"));
    }

    #[test]
    fn view_json_is_an_array_of_names() {
        assert_eq!(view_json(&["node-1".into(), "a\"b".into()]), r#"["node-1","a\"b"]"#);
    }
}
