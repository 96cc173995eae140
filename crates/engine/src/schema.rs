//! Schema validation (SPEC section 7): quick_check, the required table and columns, and which
//! optional parts (snapshots, estimates, durations) the file has.

use rusqlite::Connection;

use super::db::classify_open_error;
use super::error::{EngineError, Result};

/// Columns of `events` without which no figure can be computed.
pub const REQUIRED_EVENT_COLUMNS: &[&str] = &["timestamp", "action", "status", "size", "satellite_id", "node_name"];
/// Columns of `storage_snapshots` the earnings read.
const SNAPSHOT_COLUMNS: &[&str] = &["timestamp", "node_name", "used_bytes"];
/// Columns of `earnings_estimates` the node age reads.
const ESTIMATE_COLUMNS: &[&str] = &["node_name", "period"];

/// What the file offers beyond the required part; the report degrades gracefully without it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaInfo {
    pub has_snapshots: bool,
    pub has_estimates: bool,
    pub has_duration: bool,
    pub has_piece_id: bool,
    /// Human-readable notes about missing optional parts (they become report warnings).
    pub warnings: Vec<String>,
}

/// Checks every table but `events` with `PRAGMA quick_check(<table>)`, then the tables and
/// columns. `events` is read in full right after (by the single pass, or by the index builds when
/// the pass declines) with `cell_size_check` on, so a damaged page there fails that read with
/// SQLITE_CORRUPT, the same `Corrupt` error; checking it here too read its pages twice (0.33 s of
/// a 1M-event file's first dashboard in the browser, 0.19 s natively). What is left unchecked is
/// what no query reads (free pages, the file's own indexes on `events`, which the engine's
/// queries do not need).
pub fn validate(conn: &Connection) -> Result<SchemaInfo> {
    for table in table_names(conn)?.iter().filter(|t| !t.eq_ignore_ascii_case("events")) {
        quick_check_table(conn, table)?;
    }
    let events = columns(conn, "events")?;
    // A view named `events` is not read (views are disabled for untrusted files).
    if events.is_empty() || !table_exists(conn, "events")? {
        return Err(EngineError::MissingTable { table: "events".into() });
    }
    let missing: Vec<&str> = REQUIRED_EVENT_COLUMNS.iter().copied().filter(|c| !events.iter().any(|e| e == c)).collect();
    if !missing.is_empty() {
        return Err(EngineError::MissingColumns { table: "events".into(), columns: backticked(&missing) });
    }
    // The engine creates its indexes under fixed names: another object holding one is refused.
    for (name, _, _) in super::indexes::INDEXES {
        let kind: Option<String> = conn
            .query_row("SELECT type FROM sqlite_master WHERE name = ?1 COLLATE NOCASE AND type <> 'index'", [name], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(classify_open_error(e)) })?;
        if let Some(kind) = kind {
            return Err(EngineError::NameTaken { name: name.to_string(), kind });
        }
    }
    let mut info = SchemaInfo {
        has_duration: events.iter().any(|c| c == "duration_ms"),
        has_piece_id: events.iter().any(|c| c == "piece_id"),
        ..SchemaInfo::default()
    };
    if !info.has_duration {
        info.warnings.push("events: no `duration_ms` column, so latency statistics are unavailable".into());
    }
    info.has_snapshots = optional_table(
        conn,
        "storage_snapshots",
        SNAPSHOT_COLUMNS,
        &mut info.warnings,
        "storage earnings are unavailable (reported as 0) and node age cannot use snapshots",
    )?;
    info.has_estimates = optional_table(
        conn,
        "earnings_estimates",
        ESTIMATE_COLUMNS,
        &mut info.warnings,
        "node ages come from the first snapshot or event",
    )?;
    Ok(info)
}

/// The tables of the file (`sqlite_master`), in its order.
fn table_names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").map_err(classify_open_error)?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(classify_open_error)?.collect::<rusqlite::Result<_>>();
    names.map_err(classify_open_error)
}

/// `PRAGMA quick_check` of the whole file.
pub fn quick_check(conn: &Connection) -> Result<()> {
    check_rows(conn, "PRAGMA quick_check")
}

/// `PRAGMA quick_check(<table>)`: the table and its indexes.
pub fn quick_check_table(conn: &Connection, table: &str) -> Result<()> {
    check_rows(conn, &format!("PRAGMA quick_check(\"{}\")", table.replace('"', "\"\"")))
}

/// Anything but a single "ok" from a check pragma means the file is damaged.
fn check_rows(conn: &Connection, pragma: &str) -> Result<()> {
    let mut stmt = conn.prepare(pragma).map_err(classify_open_error)?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(classify_open_error)?
        .collect::<rusqlite::Result<_>>()
        .map_err(classify_open_error)?;
    match rows.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        [] => Err(EngineError::Corrupt { detail: "quick_check returned nothing".into() }),
        problems => {
            // quick_check rows may hold several lines: the message stays on one line.
            let lines: Vec<&str> = problems.iter().flat_map(|p| p.lines()).filter(|l| !l.starts_with("***")).collect();
            let shown: Vec<&str> = lines.iter().take(3).map(|l| l.trim()).collect();
            let more = if lines.len() > 3 { format!(" (and {} more)", lines.len() - 3) } else { String::new() };
            Err(EngineError::Corrupt { detail: format!("quick_check: {}{more}", shown.join("; ")) })
        }
    }
}

/// The column names of a table (empty when the table does not exist), generated columns included.
pub fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_xinfo(?1) WHERE hidden <> 1").map_err(classify_open_error)?;
    let names = stmt
        .query_map([table], |r| r.get::<_, String>(0))
        .map_err(classify_open_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(classify_open_error)?;
    Ok(names)
}

/// True when a table (not a view) of that name exists.
pub fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get::<_, i64>(0))
        .map(|n| n > 0)
        .map_err(classify_open_error)
}

/// An optional table is usable when it exists with the needed columns; otherwise a warning says why.
fn optional_table(conn: &Connection, table: &str, needed: &[&str], warnings: &mut Vec<String>, consequence: &str) -> Result<bool> {
    let cols = columns(conn, table)?;
    let then = if consequence.is_empty() { String::new() } else { format!(": {consequence}") };
    if cols.is_empty() || !table_exists(conn, table)? {
        warnings.push(format!("{table}: the table is missing{then}"));
        return Ok(false);
    }
    let missing: Vec<&str> = needed.iter().copied().filter(|c| !cols.iter().any(|e| e == c)).collect();
    if !missing.is_empty() {
        warnings.push(format!("{table}: the table lacks {}, so it is ignored{then}", backticked(&missing)));
        return Ok(false);
    }
    Ok(true)
}

fn backticked(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}
