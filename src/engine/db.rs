//! Opening an untrusted database: header check, an in-memory writable copy, defensive settings.

use rusqlite::{config::DbConfig, limits::Limit, Connection, OpenFlags, MAIN_DB};

use super::error::{EngineError, Result};

/// The 16 bytes every SQLite 3 database file starts with.
pub const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Checks the 16-byte SQLite header before anything else touches the bytes.
pub fn check_header(bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        return Err(EngineError::EmptyFile);
    }
    if bytes.len() >= 16 && &bytes[..16] == SQLITE_HEADER {
        return Ok(());
    }
    Err(EngineError::NotSqlite { found: describe_content(bytes) })
}

/// A short guess at what a non-SQLite file is, for the error message.
fn describe_content(bytes: &[u8]) -> String {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "it looks like a PNG image"),
        (b"\xff\xd8\xff", "it looks like a JPEG image"),
        (b"GIF8", "it looks like a GIF image"),
        (b"%PDF", "it looks like a PDF document"),
        (b"PK\x03\x04", "it looks like a ZIP archive"),
        (b"\x1f\x8b", "it looks like a gzip archive"),
        (b"SQLite format", "its SQLite header is damaged"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return what.to_string();
    }
    let head = &bytes[..bytes.len().min(512)];
    if std::str::from_utf8(head).is_ok() || head.iter().all(|b| b.is_ascii()) {
        "it looks like a text file".to_string()
    } else {
        "its first bytes are not a SQLite header".to_string()
    }
}

/// Loads `bytes` into a private, writable in-memory database. The source is never written.
pub fn load_bytes(bytes: &[u8]) -> Result<Connection> {
    check_header(bytes)?;
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    harden(&conn)?;
    conn.deserialize_read_exact(MAIN_DB, without_wal_flag(bytes), bytes.len(), false)
        .map_err(classify_open_error)?;
    let _ = conn.pragma_update(None, "journal_mode", "MEMORY");
    // Reading the schema is the first thing that fails on a corrupt or encrypted file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .map_err(classify_open_error)?;
    Ok(conn)
}

/// The bytes as a reader whose header says "rollback journal": a WAL-mode file (header bytes
/// 18 and 19 = 2) cannot be opened from memory, which has no shared-memory file for the WAL index.
/// Only the first 100 bytes are copied.
fn without_wal_flag(bytes: &[u8]) -> impl std::io::Read + '_ {
    let split = bytes.len().min(100);
    let mut head = bytes[..split].to_vec();
    if split >= 20 && head[18] == 2 && head[19] == 2 {
        head[18] = 1;
        head[19] = 1;
    }
    std::io::Read::chain(std::io::Cursor::new(head), &bytes[split..])
}

/// Defensive settings for a database that came from the user (SQLite's guidance for hostile files).
pub fn harden(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    conn.pragma_update(None, "cell_size_check", true)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(())
}

/// Maps SQLite's open-time failures onto the user-facing classes of SPEC section 7.
pub fn classify_open_error(e: rusqlite::Error) -> EngineError {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt) => EngineError::Corrupt { detail: e.to_string() },
        Some(NotADatabase) => EngineError::Unreadable { detail: e.to_string() },
        _ => EngineError::Sqlite(e),
    }
}

/// Names and row counts of the user tables, in name order (what the first screen shows).
pub fn table_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(classify_open_error)?;
    names
        .into_iter()
        .map(|name| {
            let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
            let n = conn.query_row(&sql, [], |r| r.get(0)).map_err(classify_open_error)?;
            Ok((name, n))
        })
        .collect()
}
