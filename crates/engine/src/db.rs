//! Opening an untrusted database: header check, an in-memory writable copy, defensive settings.

#[cfg(not(target_arch = "wasm32"))]
use rusqlite::MAIN_DB;
use rusqlite::{config::DbConfig, limits::Limit, Connection, OpenFlags};

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

/// A file shorter than the page count its header vouches for was cut short (an interrupted copy
/// or download): say so instead of reading zeros for the missing pages.
pub fn check_size(bytes: &[u8]) -> Result<()> {
    check_size_of(bytes, bytes.len() as u64)
}

/// [`check_size`] for a file of `len` bytes whose first bytes (at least 100 when `len` ≥ 100)
/// are `head`: the streaming load checks before reading the rest.
pub fn check_size_of(head: &[u8], len: u64) -> Result<()> {
    let bytes = head;
    if len < 100 || bytes.len() < 100 {
        return Err(EngineError::Corrupt { detail: format!("the file is {len} bytes, shorter than a SQLite header (100 bytes)") });
    }
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536u64,
        n => n as u64,
    };
    let be32 = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let pages = be32(28) as u64;
    // The in-header size is valid only when the change counter matches "version-valid-for".
    let valid = pages > 0 && be32(24) == be32(92) && page_size.is_power_of_two() && page_size >= 512;
    let expected = pages * page_size;
    if valid && len < expected {
        return Err(EngineError::Corrupt {
            detail: format!(
                "the file was cut short: it is {len} bytes but its header says {pages} pages of {page_size} bytes ({expected} bytes); copy it again"
            ),
        });
    }
    Ok(())
}

/// A short guess at what a non-SQLite file is, for the error message.
pub fn describe_content(bytes: &[u8]) -> String {
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
    load_read(bytes, bytes.len() as u64)
}

/// [`load_bytes`] for a file of `len` bytes read sequentially from `reader` (the browser reads
/// a `File` in slices straight into SQLite's copy, so the file is never held twice in memory).
/// The copy is private and writable; the source is only read.
///
/// Natively the copy is SQLite's memdb (`deserialize`). In wasm it is a file of sqlite-wasm-rs's
/// memory VFS (`memvfs`), which keeps the pages in separate 4 KiB blocks: memdb keeps one
/// buffer that grows by doubling (a copy each time) and is capped at 1 GiB, which put the peak
/// wasm memory at 8x the file once the indexes were built (BENCHMARKS.md).
pub fn load_read(mut reader: impl std::io::Read, len: u64) -> Result<Connection> {
    let mut head = vec![0u8; len.min(100) as usize];
    reader.read_exact(&mut head).map_err(read_error)?;
    check_header(&head)?;
    check_size_of(&head, len)?;
    if head.len() >= 20 {
        // WAL mode cannot be opened from memory (no shared-memory file for the WAL index), and the
        // browser's SQLite is built without WAL: each of the read and write versions says
        // "rollback journal" from here on, also in a hand-made header that sets only one of them.
        for version in &mut head[18..20] {
            if *version == 2 {
                *version = 1;
            }
        }
    }
    let conn = open_copy(&head, reader, len)?;
    let _ = conn.pragma_update(None, "journal_mode", "MEMORY");
    // Reading the schema is the first thing that fails on a corrupt or encrypted file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(classify_open_error)?;
    Ok(conn)
}

/// A file shorter than it said is unreadable as a database; any other failure is the reader's
/// (the browser's `File`, the disk).
fn read_error(e: std::io::Error) -> EngineError {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => EngineError::Unreadable { detail: format!("the file could not be read: {e}") },
        _ => EngineError::ReadFailed { detail: e.to_string() },
    }
}

/// Native: a hardened in-memory connection holding `head` + the rest of `reader` (memdb).
#[cfg(not(target_arch = "wasm32"))]
fn open_copy(head: &[u8], reader: impl std::io::Read, len: u64) -> Result<Connection> {
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    harden(&conn)?;
    let reader = std::io::Read::chain(head, reader);
    conn.deserialize_read_exact(MAIN_DB, reader, len as usize, false).map_err(classify_open_error)?;
    Ok(conn)
}

/// Wasm: `head` + the rest of `reader` imported, 4 MiB at a time, into a new file of the memory
/// VFS, opened read-write and then unlinked from the VFS's directory: the open connection keeps
/// the pages alive and frees them when it closes (no leak when another file is loaded).
#[cfg(target_arch = "wasm32")]
fn open_copy(head: &[u8], mut reader: impl std::io::Read, len: u64) -> Result<Connection> {
    use sqlite_wasm_rs::vfs::memvfs::MemVfsUtil;
    use sqlite_wasm_rs::vfs::transfer::DbTransfer;
    use sqlite_wasm_rs::vfs::VfsFilesManager;
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let name = format!("storj-lens-{}.db", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let vfs_error = |e: &dyn std::fmt::Display| EngineError::Unreadable {
        detail: format!("the browser could not hold a copy of the file ({len} bytes): {e}"),
    };
    // SAFETY: the worker is single-threaded; SQLite registered memvfs at initialisation.
    let _ = rusqlite::version();
    let util = unsafe { MemVfsUtil::get() }.map_err(|e| vfs_error(&e))?;
    let mut import = util.begin_import_unchecked(&name, len).map_err(|e| vfs_error(&e))?;
    import.write(head).map_err(|e| vfs_error(&e))?;
    let mut buf = vec![0u8; (4 << 20).min(len as usize)];
    let mut at = head.len() as u64;
    while at < len {
        let want = buf.len().min((len - at) as usize);
        reader.read_exact(&mut buf[..want]).map_err(read_error)?;
        import.write(&buf[..want]).map_err(|e| vfs_error(&e))?;
        at += want as u64;
    }
    drop(buf);
    import.finish().map_err(|e| vfs_error(&e))?;
    let opened = Connection::open_with_flags_and_vfs(&name, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX, c"memvfs");
    let _ = util.remove(&name);
    let conn = opened.map_err(classify_open_error)?;
    harden(&conn)?;
    Ok(conn)
}

/// Defensive settings for a database that came from the user (SQLite's guidance for hostile
/// files, <https://sqlite.org/security.html>). Nothing from the file's schema runs except the
/// engine's own queries:
/// - `DEFENSIVE` forbids writes to the schema and shadow tables (no `writable_schema` tricks);
/// - `trusted_schema = OFF`: views, triggers, defaults and generated columns in the file cannot
///   call functions with side effects; on top, triggers and views are disabled outright (the
///   engine reads only tables, and never writes to the user's tables anyway);
/// - no `ATTACH` (limit 0, and attaching may neither create nor write files);
/// - no extension loading: rusqlite is built without its `load_extension` feature, so neither
///   `Connection::load_extension` nor `sqlite3_enable_load_extension` is ever called and the SQL
///   function `load_extension()` stays disabled (and the wasm build has no dynamic loader at all);
/// - `cell_size_check = ON`: b-tree cells are checked as pages are read, so a damaged page is
///   reported as SQLITE_CORRUPT instead of being trusted;
/// - bounded [`LIMITS`] for what the engine needs; a query that still runs too long is stopped by
///   the [`Deadline`] progress handler.
pub fn harden(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_WRITABLE_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_FKEY, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, false)?;
    // Older SQLite builds (the wasm one may lag) lack these two: ATTACH is off by its limit anyway.
    let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_ATTACH_CREATE, false);
    let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_ATTACH_WRITE, false);
    for &(limit, value) in LIMITS {
        conn.set_limit(limit, value)?;
    }
    conn.pragma_update(None, "cell_size_check", true)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(())
}

/// Run-time limits, far above what the engine's own queries need and far below SQLite's
/// defaults (which allow 1 GB strings, 2,000 columns, expressions 1,000 deep…). A file whose
/// schema exceeds them is refused as unreadable rather than parsed.
pub const LIMITS: &[(Limit, i32)] = &[
    (Limit::SQLITE_LIMIT_ATTACHED, 0),
    // Largest string or blob: the engine reads short TEXT values (names, ids, timestamps).
    (Limit::SQLITE_LIMIT_LENGTH, 16 * 1024 * 1024),
    // The engine's longest statement is a few kB (IN lists of node names are bound parameters).
    (Limit::SQLITE_LIMIT_SQL_LENGTH, 1_000_000),
    (Limit::SQLITE_LIMIT_COLUMN, 1000),
    (Limit::SQLITE_LIMIT_EXPR_DEPTH, 200),
    (Limit::SQLITE_LIMIT_COMPOUND_SELECT, 50),
    (Limit::SQLITE_LIMIT_VDBE_OP, 250_000),
    (Limit::SQLITE_LIMIT_FUNCTION_ARG, 32),
    (Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000),
    (Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 32766),
    (Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 1),
    (Limit::SQLITE_LIMIT_WORKER_THREADS, 0),
];

/// Default wall-clock budget of one stage of a request (load, indexes, report), in milliseconds.
pub const DEFAULT_DEADLINE_MS: f64 = 60_000.0;

/// A wall-clock budget for the queries of one request, enforced by SQLite's progress handler
/// (installed by [`crate::Analyzer::open_with_deadline`] and [`crate::Analyzer::open_read`], or
/// by [`crate::Analyzer::set_interrupt_check`] with [`Deadline::check`]). [`Deadline::restart`]
/// starts the budget of the next request; [`Deadline::explain`] turns the resulting
/// interruption into a message that names the limit.
#[derive(Clone)]
pub struct Deadline {
    state: std::sync::Arc<DeadlineState>,
}

struct DeadlineState {
    limit_ms: f64,
    now_ms: fn() -> f64,
    started_ms: std::sync::Mutex<f64>,
    expired: std::sync::atomic::AtomicBool,
}

impl Deadline {
    /// A budget of `limit_ms` per request, measured with `now_ms` (any monotonic clock in ms).
    pub fn new(limit_ms: f64, now_ms: fn() -> f64) -> Deadline {
        let state = DeadlineState {
            limit_ms,
            now_ms,
            started_ms: std::sync::Mutex::new(now_ms()),
            expired: std::sync::atomic::AtomicBool::new(false),
        };
        Deadline { state: std::sync::Arc::new(state) }
    }

    /// Starts the budget of the next request.
    pub fn restart(&self) {
        if let Ok(mut started) = self.state.started_ms.lock() {
            *started = (self.state.now_ms)();
        }
        self.state.expired.store(false, std::sync::atomic::Ordering::Relaxed);
    }

    /// The progress handler: true (stop the statement) once the budget is spent.
    pub fn check(&self) -> bool {
        let started = self.state.started_ms.lock().map(|s| *s).unwrap_or(f64::NEG_INFINITY);
        let over = (self.state.now_ms)() - started > self.state.limit_ms;
        if over {
            self.state.expired.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        over
    }

    pub fn limit_ms(&self) -> f64 {
        self.state.limit_ms
    }

    /// True when the last interruption came from this deadline.
    pub fn expired(&self) -> bool {
        self.state.expired.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Names the limit in an interruption caused by this deadline; other errors pass unchanged.
    pub fn explain(&self, e: EngineError) -> EngineError {
        match e {
            EngineError::Interrupted { .. } | EngineError::Sqlite(_) if self.expired() => EngineError::Interrupted {
                reason: format!(
                    "a query ran longer than the time limit of {} s per step (the file is very large or built to be slow)",
                    self.state.limit_ms / 1000.0
                ),
            },
            e => e,
        }
    }
}

/// Maps SQLite's open-time failures onto the user-facing classes of SPEC section 7.
pub fn classify_open_error(e: rusqlite::Error) -> EngineError {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt) => EngineError::Corrupt { detail: e.to_string() },
        Some(NotADatabase) => EngineError::Unreadable { detail: e.to_string() },
        Some(OperationInterrupted) => EngineError::Interrupted { reason: e.to_string() },
        Some(TooBig) => EngineError::Unreadable { detail: format!("{e} (a value or the schema exceeds the safety limits)") },
        _ => EngineError::Sqlite(e),
    }
}

/// Names and row counts of the user tables, in name order (what the first screen shows).
/// `known`: a table whose row count is known already (the single pass counted `events`).
pub fn table_counts(conn: &Connection, known: Option<(&str, i64)>) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>().map_err(classify_open_error)?;
    names
        .into_iter()
        .map(|name| {
            if let Some((_, n)) = known.filter(|(table, _)| *table == name) {
                return Ok((name, n));
            }
            let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
            let n = conn.query_row(&sql, [], |r| r.get(0)).map_err(classify_open_error)?;
            Ok((name, n))
        })
        .collect()
}
