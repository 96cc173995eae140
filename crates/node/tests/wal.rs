//! Applying a `-wal` in Rust (NODE_DATA.md §1.3) gives what SQLite itself reads from the pair:
//! each case is checked against SQLite opening a temporary copy of the database and its `-wal`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

/// Every table's rows (and the schema), as text: the `.dump` of the database.
fn dump(conn: &Connection) -> String {
    let mut out = String::new();
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").expect("schema");
    let tables: Vec<(String, Option<String>)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("schema").map(|r| r.expect("row")).collect();
    for (name, sql) in tables {
        out.push_str(&format!("{sql:?}\n"));
        if sql.as_deref().is_some_and(|s| s.starts_with("CREATE TABLE")) {
            let mut rows = conn.prepare(&format!("SELECT * FROM \"{name}\" ORDER BY rowid")).expect("select");
            let n = rows.column_count();
            let mut q = rows.query([]).expect("query");
            while let Some(row) = q.next().expect("row") {
                let values: Vec<String> = (0..n).map(|i| show(row.get_ref(i).expect("value"))).collect();
                out.push_str(&values.join("|"));
                out.push('\n');
            }
        }
    }
    out
}

fn show(v: rusqlite::types::ValueRef<'_>) -> String {
    match v {
        rusqlite::types::ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
        other => format!("{other:?}"),
    }
}

/// What SQLite reads from the pair: both copied into a private folder and opened there.
fn sqlite_reads(db: &[u8], wal: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("copy.db"), db).expect("write");
    std::fs::write(dir.path().join("copy.db-wal"), wal).expect("write");
    let conn = Connection::open_with_flags(dir.path().join("copy.db"), OpenFlags::SQLITE_OPEN_READ_WRITE).expect("open");
    dump(&conn)
}

/// What we read: the frames applied in Rust, then the hardened in-memory copy.
fn we_read(db: &[u8], wal: &[u8]) -> (String, node::wal::WalOutcome) {
    let mut image = db.to_vec();
    let outcome = node::wal::apply(&mut image, wal, "copy.db-wal");
    let conn = engine::db::load_bytes(&image).expect("load");
    (dump(&conn), outcome)
}

/// A WAL-mode database with a checkpointed base and `transactions` more commits only in its
/// `-wal` (the second one spans several pages). Returns (db bytes, wal bytes) taken while open.
fn wal_pair(dir: &Path, transactions: usize) -> (Vec<u8>, Vec<u8>) {
    let path = dir.join("x.db");
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
    conn.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoints");
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('base');").expect("base");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    for i in 0..transactions {
        let rows = if i == 1 { 300 } else { 3 };
        conn.execute_batch("BEGIN").expect("begin");
        for j in 0..rows {
            conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("tx{i} row{j} {}", "x".repeat(40))]).expect("insert");
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    let db = std::fs::read(&path).expect("db");
    let wal = std::fs::read(dir.join("x.db-wal")).expect("wal");
    drop(conn);
    (db, wal)
}

fn page_size(db: &[u8]) -> usize {
    node::wal::page_size(db).expect("page size")
}

/// Frame boundaries: (offset, is_commit) of each frame.
fn frames(db: &[u8], wal: &[u8]) -> Vec<(usize, bool)> {
    let frame = 24 + page_size(db);
    (0..(wal.len() - 32) / frame).map(|i| (32 + i * frame, wal[32 + i * frame + 4..32 + i * frame + 8] != [0, 0, 0, 0])).collect()
}

#[test]
fn all_commits_applied_like_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, wal) = wal_pair(dir.path(), 3);
    let (ours, outcome) = we_read(&db, &wal);
    assert_eq!(ours, sqlite_reads(&db, &wal));
    assert!(outcome.valid);
    assert_eq!(outcome.transactions, 3);
    assert_eq!(outcome.frames, outcome.applied_frames);
    assert!(ours.contains("tx2 row2"), "the last commit is there");
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn a_torn_last_frame_is_ignored_like_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, wal) = wal_pair(dir.path(), 3);
    let torn = &wal[..wal.len() - 100];
    let (ours, outcome) = we_read(&db, torn);
    assert_eq!(ours, sqlite_reads(&db, torn));
    assert_eq!(outcome.transactions, 2);
    assert!(!ours.contains("tx2 row"));
    assert!(ours.contains("tx1 row299"));
}

#[test]
fn an_unfinished_transaction_is_ignored_like_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, wal) = wal_pair(dir.path(), 2);
    // Cut just before the second transaction's commit frame: its other frames stay.
    let all = frames(&db, &wal);
    let commit = all.iter().rev().find(|(_, c)| *c).map(|(at, _)| *at).expect("commit frame");
    let cut = &wal[..commit];
    let (ours, outcome) = we_read(&db, cut);
    assert_eq!(ours, sqlite_reads(&db, cut));
    assert_eq!(outcome.transactions, 1);
    assert!(outcome.frames > outcome.applied_frames, "{outcome:?}");
    assert!(outcome.warnings.iter().any(|w| w.contains("unfinished transaction")), "{:?}", outcome.warnings);
}

#[test]
fn a_bad_checksum_stops_reading_like_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, wal) = wal_pair(dir.path(), 3);
    let all = frames(&db, &wal);
    // Damage a frame of the second transaction: it and everything after are ignored.
    let (at, _) = all[all.len() / 2];
    let mut bad = wal.clone();
    bad[at + 24 + 100] ^= 0x55;
    let (ours, outcome) = we_read(&db, &bad);
    assert_eq!(ours, sqlite_reads(&db, &bad));
    assert_eq!(outcome.transactions, 1);
}

#[test]
fn a_bad_header_ignores_the_whole_wal_like_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, wal) = wal_pair(dir.path(), 2);
    let mut bad = wal.clone();
    bad[24] ^= 1; // header checksum
    let (ours, outcome) = we_read(&db, &bad);
    assert_eq!(ours, sqlite_reads(&db, &bad));
    assert!(!outcome.valid);
    assert!(!ours.contains("tx0"));
}

#[test]
fn stale_frames_of_an_older_generation_are_ignored_like_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.db");
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
    conn.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoints");
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);").expect("schema");
    for i in 0..20 {
        conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("old {i} {}", "y".repeat(500))]).expect("insert");
    }
    // A full checkpoint, then a new write restarts the WAL from its start with new salts: the
    // older frames behind it stay in the file.
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).expect("checkpoint");
    conn.execute("INSERT INTO t (v) VALUES ('new')", []).expect("insert");
    let db = std::fs::read(&path).expect("db");
    let wal = std::fs::read(dir.path().join("x.db-wal")).expect("wal");
    drop(conn);
    let (ours, outcome) = we_read(&db, &wal);
    assert_eq!(ours, sqlite_reads(&db, &wal));
    assert_eq!(outcome.transactions, 1, "{outcome:?}");
    assert!(ours.contains("new"));
}

#[test]
fn a_node_file_with_its_wal_in_a_node_set() {
    // The fixture's bandwidth.db in WAL mode, with one more day written only to its -wal.
    let fixture = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/node/bandwidth.db")).expect("fixture");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bandwidth.db");
    std::fs::write(&path, &fixture).expect("copy");
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoints");
    conn.execute(
        "INSERT INTO bandwidth_usage VALUES ('2025-04-15 00:00:00+00:00', (SELECT satellite_id FROM bandwidth_usage LIMIT 1), 1, 2000000000000, 3, 4, 5, 0)",
        [],
    )
    .expect("insert");
    let db = std::fs::read(&path).expect("db");
    let wal = std::fs::read(dir.path().join("bandwidth.db-wal")).expect("wal");
    drop(conn);
    let mut set = node::NodeSet::new();
    let fixture_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/node");
    for name in node::FILE_NAMES {
        let bytes = if name == "bandwidth.db" { db.clone() } else { std::fs::read(fixture_dir.join(name)).expect("fixture") };
        set.add(name, bytes).expect("add");
    }
    let before = set.report(Some("2025-04"), Some("2025-04-15T12:00:00Z"), 0).expect("report");
    // The -wal comes later (a second drop): the database is loaded again with it.
    let added = set.add("bandwidth.db-wal", wal).expect("wal");
    assert_eq!(added, node::Added::Wal { name: "bandwidth.db-wal".into(), applied_to: Some("bandwidth.db".into()) });
    let after = set.report(Some("2025-04"), Some("2025-04-15T12:00:00Z"), 0).expect("report");
    let get = |r: &model::node_report::NodeReport| r.totals.as_ref().map(|t| t.download.bandwidth).unwrap_or(0);
    assert_eq!(get(&after) - get(&before), 2_000_000_000_000);
    let file = &after.files[1];
    assert_eq!(file.journal.as_deref(), Some("wal"));
    let info = file.wal.as_ref().expect("wal info");
    assert!(info.valid && info.transactions == 1 && info.applied_frames == info.frames);
    // The caller's bytes are untouched: the database bytes still say WAL mode.
    assert_eq!(&db[18..20], &[2, 2]);
}

#[test]
fn a_lone_wal_is_unpaired() {
    let mut set = node::NodeSet::new();
    let added = set.add("reputation.db-wal", vec![0u8; 64]).expect("wal");
    assert_eq!(added, node::Added::Wal { name: "reputation.db-wal".into(), applied_to: None });
    let files = set.files();
    let lone = files.iter().find(|f| f.name == "reputation.db-wal").expect("listed");
    assert_eq!(lone.status, "unpaired");
    assert_eq!(files.iter().filter(|f| f.status == "missing").count(), 8);
}
