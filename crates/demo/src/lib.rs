//! Deterministic generator of realistic monitor databases.
//!
//! It writes the original monitor's tables (same `CREATE TABLE` statements, no secondary
//! indexes) with data shaped like a real node's: the four production satellites, the usual mix
//! of actions and outcomes, piece sizes, heavy-tailed durations (some NULL, some 0, some over
//! 10 s), timestamps in the original's `isoformat()` layout, storage snapshots every 5 minutes
//! with an API outage and log-derived rows whose `used_bytes` is NULL, and earnings history that
//! gives the nodes different ages. The same options give the same bytes, natively and in wasm
//! (no clock, no filesystem, no platform math in [`generate`]).
//!
//! [`node`] writes a storage node's own databases instead (NODE_DATA.md), for `demo --node`.
//! [`monitor_shape`] writes a database shaped like a real monitor's (hourly polls, every table
//! filled, small.db's distributions), for the benchmarks (`demo --shape monitor`).
//!
//! Used by the CLI (`storj-lens demo`), the app's "Try the demo database" button
//! ([`demo_bytes`]), tests and benchmarks.

mod gen;
mod model;
pub mod monitor_shape;
pub mod node;
mod num;
mod schema;
mod time;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of rows in `events`, spread over all nodes.
    pub events: u64,
    /// Nodes `node-1` .. `node-K`.
    pub nodes: u32,
    /// Days of data, ending at `end`.
    pub days: u32,
    /// Everything random follows from this.
    pub seed: u64,
    /// The last instant of data: events and snapshots lie in `[end - days, end]`.
    pub end: DateTime<Utc>,
}

impl Default for DemoOptions {
    /// The small demo: 20,000 events, 3 nodes, 35 days up to 2025-10-10T12:00:00Z (two months,
    /// September and October 2025, like `fixtures/small.db`), seed 1.
    fn default() -> Self {
        DemoOptions {
            events: 20_000,
            nodes: 3,
            days: 35,
            seed: 1,
            end: Utc.with_ymd_and_hms(2025, 10, 10, 12, 0, 0).single().expect("valid date"),
        }
    }
}

impl DemoOptions {
    /// The benchmark database of SPEC.md section 8: 1,000,000 events, 3 nodes, 35 days.
    pub fn benchmark() -> Self {
        DemoOptions { events: 1_000_000, ..DemoOptions::default() }
    }
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DemoSummary {
    /// Rows in `events`.
    pub events: u64,
    /// Rows in `storage_snapshots` (API rows and log-derived rows).
    pub snapshots: u64,
    /// The node names, `node-1` .. `node-K`.
    pub nodes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("invalid demo options: {0}")]
    InvalidOptions(String),
    #[error("the database is not empty: the demo needs a fresh database")]
    NotEmpty,
    #[error("{} already exists (use --force to overwrite it)", .0.display())]
    Exists(std::path::PathBuf),
    #[error("cannot write {}: {}", .0.display(), .1)]
    Io(std::path::PathBuf, std::io::Error),
    #[error("SQLite error while writing the demo database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Writes the demo tables into an empty connection (in wasm: an in-memory connection).
///
/// Runs in one transaction with `journal_mode=OFF` and `synchronous=OFF`; the previous
/// settings are restored afterwards.
pub fn generate(conn: &mut Connection, opts: &DemoOptions) -> Result<DemoSummary, DemoError> {
    gen::validate(opts)?;
    fresh_and_fast(conn, |tx| gen::write(tx, opts))
}

/// Runs `write` in one transaction on an empty connection with `journal_mode=OFF` and
/// `synchronous=OFF`, then restores the previous settings.
pub(crate) fn fresh_and_fast<T>(conn: &mut Connection, write: impl FnOnce(&Connection) -> Result<T, DemoError>) -> Result<T, DemoError> {
    let objects: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
    if objects != 0 {
        return Err(DemoError::NotEmpty);
    }
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let synchronous: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
    conn.query_row("PRAGMA journal_mode=OFF", [], |_| Ok(()))?;
    conn.execute_batch("PRAGMA synchronous=OFF")?;

    let outcome = (|| {
        let tx = conn.transaction()?;
        let written = write(&tx)?;
        tx.commit()?;
        Ok::<_, DemoError>(written)
    })();

    // Restore the caller's settings (journal_mode answers with the mode it ended in).
    let journal = if journal.chars().all(|c| c.is_ascii_alphabetic()) { journal } else { "delete".to_string() };
    let restored = conn
        .query_row(&format!("PRAGMA journal_mode={journal}"), [], |_| Ok(()))
        .and_then(|_| conn.execute_batch(&format!("PRAGMA synchronous={}", synchronous.clamp(0, 3))));
    let written = outcome?;
    restored?;
    Ok(written)
}

/// Native convenience: writes a fresh database file at `path`.
///
/// Refuses to replace an existing file unless `overwrite`. The data goes to a uniquely named
/// temporary file beside `path` first (`tempfile`: removed if anything fails), which is renamed
/// over it once complete; without `overwrite` the rename itself refuses an existing `path`.
#[cfg(not(target_arch = "wasm32"))]
pub fn generate_to_path(path: &std::path::Path, opts: &DemoOptions, overwrite: bool) -> Result<DemoSummary, DemoError> {
    gen::validate(opts)?;
    write_file(path, overwrite, |conn| generate(conn, opts))
}

/// Writes a new database file at `path` with `fill` (see [`generate_to_path`]).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn write_file<T>(
    path: &std::path::Path,
    overwrite: bool,
    fill: impl FnOnce(&mut Connection) -> Result<T, DemoError>,
) -> Result<T, DemoError> {
    if !overwrite && path.exists() {
        return Err(DemoError::Exists(path.to_path_buf()));
    }
    let io_err = |e| DemoError::Io(path.to_path_buf(), e);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".storj-lens-demo-").suffix(".partial");
    // tempfile's files are private (0600) by default; the demo file is an ordinary one, whose
    // permissions the umask decides as for any file the user creates.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let tmp = builder.tempfile_in(dir).map_err(io_err)?;
    let mut conn = Connection::open(tmp.path())?;
    let written = fill(&mut conn)?;
    conn.close().map_err(|(_, e)| e)?;
    let persisted = if overwrite { tmp.persist(path) } else { tmp.persist_noclobber(path) };
    persisted.map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists if !overwrite => DemoError::Exists(path.to_path_buf()),
        _ => io_err(e.error),
    })?;
    Ok(written)
}

/// A demo database built in memory and serialized to the bytes of a SQLite file (the
/// browser's "Try the demo database" button loads these like a dropped file).
pub fn demo_bytes(opts: &DemoOptions) -> Result<Vec<u8>, DemoError> {
    let mut conn = Connection::open_in_memory()?;
    generate(&mut conn, opts)?;
    let data = conn.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_demo_is_deterministic() {
        let opts = DemoOptions { events: 2_000, days: 5, ..DemoOptions::default() };
        let a = demo_bytes(&opts).unwrap();
        let b = demo_bytes(&opts).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with(b"SQLite format 3\0"));
    }

    #[test]
    fn refuses_bad_options_and_used_connections() {
        let mut conn = Connection::open_in_memory().unwrap();
        let bad = DemoOptions { nodes: 0, ..DemoOptions::default() };
        assert!(matches!(generate(&mut conn, &bad), Err(DemoError::InvalidOptions(_))));
        conn.execute_batch("CREATE TABLE x (y)").unwrap();
        assert!(matches!(generate(&mut conn, &DemoOptions::default()), Err(DemoError::NotEmpty)));
    }
}
