//! The hostile-input corpus, built by code (no committed binaries): every class of SPEC section 7
//! and ANALYTICS section 11, each with what the user must see. Shared by `tests/hostile.rs`
//! (engine and CLI) and written out as fuzz seeds.

#![allow(dead_code)]

use demo::{demo_bytes, DemoOptions};
use rusqlite::{Connection, MAIN_DB};

/// What a corpus entry must produce.
#[derive(Debug, Clone)]
pub enum Expect {
    /// An error whose message contains every one of these strings.
    Error(&'static [&'static str]),
    /// Figures (a report), with warnings containing each of these strings.
    Report { empty: bool, warnings: &'static [&'static str] },
}

pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

pub const EVENTS: &str = "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT, \
    size INTEGER, piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT, latitude REAL, longitude REAL, \
    error_reason TEXT, node_name TEXT, duration_ms INTEGER);";
pub const SNAPSHOTS: &str = "CREATE TABLE storage_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, \
    node_name TEXT NOT NULL, total_bytes INTEGER, used_bytes INTEGER, available_bytes INTEGER, trash_bytes INTEGER, \
    used_percent REAL, trash_percent REAL, available_percent REAL);";
pub const ESTIMATES: &str = "CREATE TABLE earnings_estimates (id INTEGER PRIMARY KEY, node_name TEXT NOT NULL, period TEXT NOT NULL);";

const SAT: &str = "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S";

pub const NOT_SQLITE: &[&str] = &["not a SQLite database", "storj_stats.db"];
pub const CORRUPT: &[&str] = &["truncated or corrupt"];
pub const TRUNCATED: &[&str] = &["truncated or corrupt", "cut short"];

/// A database made by running `sql` on an empty in-memory database.
pub fn db_bytes(sql: &str) -> Vec<u8> {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    conn.serialize(MAIN_DB).unwrap().to_vec()
}

/// A small, valid demo monitor database (2 nodes, 500 events).
pub fn demo_small() -> Vec<u8> {
    demo_bytes(&DemoOptions { events: 500, nodes: 2, days: 5, ..DemoOptions::default() }).unwrap()
}

pub fn fixture_bytes() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/small.db")).unwrap()
}

fn page_size(bytes: &[u8]) -> usize {
    match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        n => n as usize,
    }
}

/// Deterministic pseudo-random bytes.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = fastrand_like(seed);
    (0..len).map(|_| rng()).collect()
}

fn fastrand_like(mut state: u64) -> impl FnMut() -> u8 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 24) as u8
    }
}

/// A monitor database with the three tables and these statements run after them.
pub fn monitor(rows_sql: &str) -> Vec<u8> {
    db_bytes(&format!("{EVENTS}{SNAPSHOTS}{ESTIMATES}{rows_sql}"))
}

fn ev(ts: &str, action: &str, size: &str, node: &str) -> String {
    format!(
        "INSERT INTO events (timestamp, action, status, size, piece_id, satellite_id, node_name, duration_ms) \
         VALUES ({ts}, {action}, 'success', {size}, 'p', '{SAT}', {node}, 120);"
    )
}

/// A WAL-mode database file (header bytes 18 and 19 = 2), as written on disk.
pub fn wal_mode_bytes() -> Vec<u8> {
    let dir = tempdir("wal-corpus");
    let path = dir.join("wal.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(&format!("{EVENTS}{SNAPSHOTS}")).unwrap();
        conn.execute_batch(&ev("'2025-10-05T00:00:00+00:00'", "'GET'", "1000", "'n1'")).unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!((bytes[18], bytes[19]), (2, 2), "WAL mode header");
    bytes
}

/// A fresh, uniquely named directory (`tempfile`), deleted with its contents when dropped.
pub fn tempdir(tag: &str) -> TempDir {
    TempDir(tempfile::Builder::new().prefix(&format!("storj-lens-{tag}-")).tempdir().unwrap())
}

/// `tempfile::TempDir` that derefs to its path, so that callers write `dir.join(name)` and pass
/// `&dir` where a path goes, as with the `PathBuf` this function used to return.
pub struct TempDir(tempfile::TempDir);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        self.0.path()
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        self.0.path()
    }
}

pub fn corpus() -> Vec<Entry> {
    let mut out = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>, expect: Expect| out.push(Entry { name: name.into(), bytes, expect });

    // ----- not SQLite -------------------------------------------------------------------------
    add("empty", Vec::new(), Expect::Error(&["the file is empty (0 bytes)"]));
    add("random-bytes", noise(8192, 7), Expect::Error(NOT_SQLITE));
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    png.extend(noise(200, 3));
    add("png", png, Expect::Error(&["not a SQLite database", "PNG"]));
    add(
        "text-log",
        b"2025-10-10T12:00:00Z INFO piecestore downloaded {\"Piece ID\": \"X\", \"Size\": 2048}\n".repeat(40),
        Expect::Error(&["not a SQLite database", "text file"]),
    );
    add("short-header", b"SQLite format".to_vec(), Expect::Error(&["not a SQLite database", "header is damaged"]));
    let mut header_garbage = b"SQLite format 3\0".to_vec();
    header_garbage.extend(noise(8192, 11));
    add("sqlite-header-then-garbage", header_garbage, Expect::Error(&["SQLite file"]));
    let mut header_zeros = b"SQLite format 3\0\x10\0\x01\x01\0\x40\x20\x20".to_vec();
    header_zeros.resize(4096 * 3, 0);
    add("sqlite-header-then-zeros", header_zeros, Expect::Error(&["SQLite file"]));

    // ----- truncated and corrupt --------------------------------------------------------------
    let demo = demo_small();
    let page = page_size(&demo);
    for (label, at) in [
        ("truncated-header-only", 100),
        ("truncated-first-page", page),
        ("truncated-quarter", demo.len() / 4),
        ("truncated-half", demo.len() / 2 + 123),
        ("truncated-minus-one-page", demo.len() - page),
        ("truncated-minus-one-byte", demo.len() - 1),
    ] {
        add(label, demo[..at].to_vec(), Expect::Error(if at > 100 { TRUNCATED } else { CORRUPT }));
    }
    let mut pages = demo.clone();
    let mid = (demo.len() / page / 2) * page;
    pages[mid..mid + 4 * page].fill(0xA5);
    add("corrupt-pages-a5", pages, Expect::Error(CORRUPT));
    let mut zeroed = demo.clone();
    zeroed[2 * page..4 * page].fill(0);
    add("corrupt-pages-zeroed", zeroed, Expect::Error(CORRUPT));
    let mut cells = demo.clone();
    for p in (2..demo.len() / page).step_by(3) {
        // Cell pointers past the end of the page on every third b-tree page.
        let at = p * page;
        if cells[at] == 13 || cells[at] == 5 || cells[at] == 10 || cells[at] == 2 {
            cells[at + 8..at + 12].copy_from_slice(&[0xFF, 0xF0, 0xFF, 0xF0]);
        }
    }
    add("corrupt-cell-pointers", cells, Expect::Error(CORRUPT));
    let mut schema = demo.clone();
    // Damage the schema table on page 1 (its cell content lives at the end of the page).
    schema[page - 300..page - 200].fill(0x5A);
    add("corrupt-schema-page", schema, Expect::Error(&["SQLite file"]));
    let mut count = demo.clone();
    count[28..32].copy_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
    add("header-page-count-huge", count, Expect::Error(CORRUPT));

    // ----- not a monitor database -------------------------------------------------------------
    add(
        "other-app-sqlite",
        db_bytes(
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT, visit_count INTEGER); \
             INSERT INTO moz_places (url, title, visit_count) VALUES ('https://storj.io', 'Storj', 3);",
        ),
        Expect::Error(&["no `events` table", "storj_monitor"]),
    );
    add("missing-events", db_bytes(&format!("{SNAPSHOTS}{ESTIMATES}")), Expect::Error(&["no `events` table"]));
    add(
        "events-is-a-view",
        db_bytes(&format!("{SNAPSHOTS} CREATE TABLE ev2 (timestamp, action, status, size, satellite_id, node_name); CREATE VIEW events AS SELECT * FROM ev2;")),
        Expect::Error(&["no `events` table"]),
    );
    add(
        "missing-columns",
        db_bytes("CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp TEXT, action TEXT, status TEXT, node_name TEXT);"),
        Expect::Error(&["lacks the column(s) `size`, `satellite_id`"]),
    );

    // ----- odd but valid: figures plus warnings ------------------------------------------------
    add(
        "missing-storage-snapshots",
        db_bytes(&format!("{EVENTS}{}", ev("'2025-10-05T00:00:00+00:00'", "'GET'", "1000", "'n1'"))),
        Expect::Report { empty: false, warnings: &["storage_snapshots: the table is missing"] },
    );
    add("zero-events", monitor(""), Expect::Report { empty: true, warnings: &[] });
    add(
        "nulls-everywhere",
        monitor(&format!(
            "{} INSERT INTO events (id) VALUES (NULL); INSERT INTO events (id, node_name) VALUES (NULL, 'n1'); \
             INSERT INTO storage_snapshots (timestamp, node_name) VALUES ('2025-10-05T00:00:00+00:00', 'n1');",
            ev("'2025-10-05T00:00:00+00:00'", "NULL", "NULL", "'n1'")
        )),
        // The only event has a NULL size: no figures, so the dashboard shows its empty state.
        Expect::Report { empty: true, warnings: &["NULL"] },
    );
    let huge = i64::MAX - 10;
    add(
        "negative-and-huge-sizes",
        monitor(&format!(
            "{}{}{}{} INSERT INTO storage_snapshots (timestamp, node_name, total_bytes, used_bytes, available_bytes, trash_bytes) VALUES \
             ('2025-10-04T00:00:00+00:00', 'n1', {huge}, {huge}, {huge}, {huge}), ('2025-10-05T00:00:00+00:00', 'n1', {huge}, {huge}, 0, -5), \
             ('2025-10-06T00:00:00+00:00', 'n1', -1, -9223372036854775808, 0, 0);",
            ev("'2025-10-05T00:00:00+00:00'", "'GET'", &huge.to_string(), "'n1'"),
            ev("'2025-10-05T01:00:00+00:00'", "'GET'", &huge.to_string(), "'n1'"),
            ev("'2025-10-05T02:00:00+00:00'", "'GET_REPAIR'", "-9223372036854775808", "'n1'"),
            ev("'2025-10-05T03:00:00+00:00'", "'PUT'", "-42", "'n1'"),
        )),
        // Sums overflow i64: zeros as in the original (ANALYTICS 11), with warnings.
        Expect::Report { empty: true, warnings: &["negative"] },
    );
    add(
        "timestamp-layouts-out-of-order",
        monitor(&format!(
            "{}{}{}{}{}{}{} INSERT INTO storage_snapshots (timestamp, node_name, total_bytes, used_bytes, available_bytes, trash_bytes) VALUES \
             ('2025-10-06T00:00:00Z', 'n1', 10, 5, 5, 0), ('2025-10-05 00:00:00', 'n1', 10, 5, 5, 0), ('2025-10-04T00:00:00', 'n1', 10, 5, 5, 0), \
             ('2025-10-03T00:00:00+02:00', 'n1', 10, 5, 5, 0), ('2025-10-07T00:00:00+00:00', 'n1', 10, 5, 5, 0);",
            ev("'2025-10-09T00:00:00+00:00'", "'GET'", "10", "'n1'"),
            ev("'2025-10-05T00:00:00Z'", "'GET'", "10", "'n1'"),
            ev("'2025-10-05 00:00:00'", "'PUT'", "10", "'n1'"),
            ev("'2025-10-05T00:00:00'", "'GET'", "10", "'n1'"),
            ev("'2025-10-05T00:00:00-07:00'", "'GET'", "10", "'n1'"),
            ev("1759622400", "'GET'", "10", "'n1'"),
            ev("'2025-10-01T00:00:00.500000+00:00'", "'GET'", "10", "'n1'"),
        )),
        Expect::Report { empty: false, warnings: &["timestamp"] },
    );
    add(
        "blobs-and-reals-everywhere",
        monitor(&format!(
            "{} INSERT INTO events (timestamp, action, status, size, piece_id, satellite_id, node_name, duration_ms) VALUES \
             ('2025-10-05T00:00:00+00:00', X'00FF', X'01', 1.5, X'', X'DEAD', 'n1', 'slow'), \
             (X'323032352D31302D3035', 'GET', 'success', X'FFFF', 'p', 4.25, 'n1', 1e300), \
             ('2025-10-05T00:00:01+00:00', 'GET', 'success', '12', 'p', 'sat', X'6E31', -7); \
             INSERT INTO storage_snapshots (timestamp, node_name, used_bytes) VALUES (X'00', 'n1', 'lots'), ('2025-10-05T00:00:00+00:00', 'n1', 2.5);",
            ev("'2025-10-04T00:00:00+00:00'", "'GET'", "100", "'n1'")
        )),
        Expect::Report { empty: false, warnings: &[] },
    );
    add(
        "unicode-and-injection-names",
        monitor(&format!(
            "{}{}{}",
            ev("'2025-10-05T00:00:00+00:00'", "'GET'", "1", "'n1\"; DROP TABLE events; --'"),
            ev("'2025-10-05T00:00:00+00:00'", "'GET'", "1", "'<script>alert(1)</script>'"),
            ev("'2025-10-05T00:00:00+00:00'", "'GET'", "1", "'ノード\u{202e}x'"),
        )),
        Expect::Report { empty: false, warnings: &[] },
    );
    add("wal-mode", wal_mode_bytes(), Expect::Report { empty: false, warnings: &[] });
    add(
        "views-and-triggers",
        monitor(&format!(
            "{} CREATE TABLE audit_log (what TEXT); \
             CREATE TRIGGER wipe AFTER INSERT ON events BEGIN DELETE FROM storage_snapshots; INSERT INTO audit_log VALUES ('fired'); END; \
             CREATE TRIGGER on_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'trigger ran'); END; \
             CREATE VIEW events_view AS SELECT *, load_extension('/tmp/evil.so') AS x FROM events; \
             CREATE VIEW sats AS SELECT DISTINCT satellite_id FROM events; \
             CREATE INDEX idx_user_expr ON events(lower(action), abs(size)); \
             INSERT INTO storage_snapshots (timestamp, node_name, total_bytes, used_bytes, available_bytes, trash_bytes) VALUES ('2025-10-05T00:00:00+00:00', 'n1', 10, 5, 5, 0);",
            ev("'2025-10-05T00:00:00+00:00'", "'GET'", "1000", "'n1'")
        )),
        Expect::Report { empty: false, warnings: &[] },
    );
    add(
        "engine-index-names-taken",
        monitor(&format!(
            "{} CREATE TABLE idx_events_node_time (x); CREATE VIEW idx_storage_node_time_used AS SELECT 1;",
            ev("'2025-10-05T00:00:00+00:00'", "'GET'", "1000", "'n1'")
        )),
        Expect::Error(&["`idx_storage_node_time_used`", "storj_monitor"]),
    );
    add(
        "generated-columns",
        db_bytes(&format!(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT, raw INTEGER, \
             size INTEGER GENERATED ALWAYS AS (raw * 2) VIRTUAL, satellite_id TEXT, node_name TEXT, \
             duration_ms INTEGER GENERATED ALWAYS AS (length(hex(zeroblob(64)))) STORED); \
             INSERT INTO events (timestamp, action, status, raw, satellite_id, node_name) VALUES ('2025-10-05T00:00:00+00:00', 'GET', 'success', 4611686018427387904, '{SAT}', 'n1');"
        )),
        Expect::Report { empty: false, warnings: &[] },
    );
    add("demo-small", demo, Expect::Report { empty: false, warnings: &[] });
    out
}
