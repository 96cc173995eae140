//! Untrusted files (issue 7): every entry of the hostile corpus (`crates/cli/tests/hostile/corpus.rs`) gets
//! its specific message or figures — through the engine (the whole pipeline the CLI and app run,
//! `crates/cli/tests/hostile/run.rs`) and through the built CLI (one stderr line, exit 2) — with no panic,
//! no hang (a deadline), defensive SQLite settings, and the user's file never written.

#[path = "hostile/corpus.rs"]
mod corpus;
#[path = "hostile/run.rs"]
mod run;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::process::Command;

use corpus::{corpus, tempdir, Expect, EVENTS, SNAPSHOTS};
use engine::db;
use engine::EngineError;
use model::protocol::ErrorKind;
use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::Connection;

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
}

/// Checks one outcome against its expectation; `None` when it matches.
fn mismatch(name: &str, expect: &Expect, outcome: Result<run::Outcome, run::Failure>) -> Option<String> {
    match (expect, outcome) {
        (Expect::Error(parts), Err(e)) => {
            let m = e.to_string();
            if m.contains('\n') || m.is_empty() {
                return Some(format!("{name}: message is not one line: {m:?}"));
            }
            if e.kind == ErrorKind::Internal {
                return Some(format!("{name}: unclassified error: {m}"));
            }
            let missing: Vec<_> = parts.iter().filter(|p| !m.contains(**p)).collect();
            (!missing.is_empty()).then(|| format!("{name}: message {m:?} lacks {missing:?}"))
        }
        (Expect::Error(parts), Ok(o)) => Some(format!("{name}: expected an error with {parts:?}, got a report ({} nodes)", o.nodes.len())),
        (Expect::Report { .. }, Err(e)) => Some(format!("{name}: expected figures, got error {e:?}")),
        (Expect::Report { empty, warnings }, Ok(o)) => {
            let mut problems = Vec::new();
            if o.empty != *empty {
                problems.push(format!("empty = {} (expected {empty})", o.empty));
            }
            for w in *warnings {
                if !o.warnings.iter().any(|x| x.contains(w)) {
                    problems.push(format!("no warning containing {w:?} in {:?}", o.warnings));
                }
            }
            if serde_json::from_str::<serde_json::Value>(&o.report_json).is_err() {
                problems.push("report is not JSON".into());
            }
            (!problems.is_empty()).then(|| format!("{name}: {}", problems.join("; ")))
        }
    }
}

#[test]
fn engine_gives_each_hostile_file_its_message_or_figures() {
    let mut failures = Vec::new();
    for entry in corpus() {
        let started = std::time::Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| run::whole_report(&entry.bytes, 60_000.0)));
        match outcome {
            Err(p) => failures.push(format!("{}: PANIC {}", entry.name, panic_text(p))),
            Ok(outcome) => {
                if let Some(m) = mismatch(&entry.name, &entry.expect, outcome) {
                    failures.push(m);
                }
            }
        }
        assert!(started.elapsed().as_secs() < 30, "{} took {:?}", entry.name, started.elapsed());
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn error_messages_differ_between_classes() {
    let mut by_class: Vec<(String, String)> = Vec::new();
    for entry in corpus() {
        if let Err(e) = run::whole_report(&entry.bytes, 60_000.0) {
            by_class.push((format!("{:?}", e.kind), e.to_string()));
        }
    }
    // Each kind the page words differently, and within a kind the messages name the detail.
    let classes: std::collections::BTreeSet<_> = by_class.iter().map(|(c, _)| c.clone()).collect();
    assert!(classes.len() >= 5, "{classes:?}");
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_storj-lens")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn snapshot(path: &Path) -> (Vec<u8>, Option<std::time::SystemTime>) {
    (std::fs::read(path).unwrap(), std::fs::metadata(path).unwrap().modified().ok())
}

/// Corpus entries that are not SQLite at all: the CLI reads them as node logs, with the log
/// reader's messages (the page's worker still says "not a SQLite database" until it reads logs).
const CLI_AS_LOG: &[(&str, &[&str])] = &[
    ("empty", &["the file is empty (0 bytes)"]),
    ("random-bytes", &["not a storagenode log"]),
    ("png", &["not a storagenode log"]),
    ("text-log", &["not a storagenode log"]),
];

#[test]
fn cli_gives_one_line_and_exit_2_or_json_and_never_writes_the_file() {
    let dir = tempdir("hostile-cli");
    let mut failures = Vec::new();
    for mut entry in corpus() {
        // the CLI tells a log from a database by content (LOGS.md 1.1): what is not SQLite is read as a log
        if let Some((_, parts)) = CLI_AS_LOG.iter().find(|(name, _)| *name == entry.name) {
            entry.expect = Expect::Error(parts);
        }
        let path = dir.join(format!("{}.db", entry.name));
        std::fs::write(&path, &entry.bytes).unwrap();
        let before = snapshot(&path);
        let (code, stdout, stderr) = cli(&["analyze", path.to_str().unwrap()]);
        if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
            failures.push(format!("{}: PANIC {stderr}", entry.name));
        }
        match entry.expect {
            Expect::Error(parts) => {
                let line = stderr.trim_end();
                if code != 2 || !stdout.is_empty() || line.lines().count() != 1 || !parts.iter().all(|p| line.contains(p)) {
                    failures.push(format!("{}: exit {code}, stderr {stderr:?} (expected {parts:?})", entry.name));
                }
                if !line.starts_with("storj-lens: ") || !line.contains(&entry.name) {
                    failures.push(format!("{}: the line does not name the program and file: {line:?}", entry.name));
                }
            }
            Expect::Report { .. } => {
                if code != 0 || serde_json::from_str::<serde_json::Value>(&stdout).is_err() {
                    failures.push(format!("{}: exit {code}, stderr {stderr:?}", entry.name));
                }
            }
        }
        if snapshot(&path) != before {
            failures.push(format!("{}: the file changed", entry.name));
        }
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        if names.iter().any(|n| n.to_string_lossy().ends_with("-journal") || n.to_string_lossy().ends_with("-shm")) {
            failures.push(format!("{}: a journal or shm file appeared: {names:?}", entry.name));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// A WAL-mode file with its `-wal` (uncheckpointed commits) and `-shm` beside it, and a file with
/// a hot rollback journal: the CLI analyzes a copy in memory and leaves all of them byte-for-byte.
#[test]
fn cli_leaves_wal_and_hot_journal_files_unchanged() {
    let dir = tempdir("hostile-sidecars");
    // WAL: keep the writer open (no checkpoint) while the CLI reads.
    let wal = dir.join("wal.db");
    let writer = Connection::open(&wal).unwrap();
    writer.pragma_update(None, "journal_mode", "WAL").unwrap();
    writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    writer.execute_batch(&format!("{EVENTS}{SNAPSHOTS}")).unwrap();
    writer
        .execute_batch("INSERT INTO events (timestamp, action, status, size, satellite_id, node_name, duration_ms) VALUES ('2025-10-05T00:00:00+00:00', 'GET', 'success', 5, 's', 'n1', 10);")
        .unwrap();
    let sidecars = [wal.clone(), dir.join("wal.db-wal"), dir.join("wal.db-shm")];
    assert!(sidecars[1].exists(), "the -wal file exists");
    let before: Vec<_> = sidecars.iter().map(|p| snapshot(p)).collect();
    let (code, _, stderr) = cli(&["analyze", wal.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let after: Vec<_> = sidecars.iter().map(|p| snapshot(p)).collect();
    assert!(before == after, "WAL-mode files changed");
    drop(writer);

    // Hot journal: a transaction that spilled to the database file, journal still present.
    let hot = dir.join("hot.db");
    {
        let c = Connection::open(&hot).unwrap();
        c.execute_batch(&format!("{EVENTS}{SNAPSHOTS}")).unwrap();
        c.execute_batch("BEGIN;").unwrap();
        for i in 0..2000 {
            c.execute(
                "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name, piece_id) VALUES ('2025-10-05T00:00:00+00:00', 'GET', 'success', ?1, 's', 'n1', hex(randomblob(64)))",
                [i],
            )
            .unwrap();
        }
        c.execute_batch("COMMIT;").unwrap();
    }
    let copy = dir.join("hot-copy.db");
    {
        let c = Connection::open(&hot).unwrap();
        c.pragma_update(None, "cache_size", 2).unwrap();
        c.execute_batch("BEGIN; UPDATE events SET piece_id = hex(randomblob(80));").unwrap();
        // Copy while the transaction is open: the copy has a hot journal.
        std::fs::copy(&hot, &copy).unwrap();
        std::fs::copy(dir.join("hot.db-journal"), dir.join("hot-copy.db-journal")).unwrap();
    }
    let journal = dir.join("hot-copy.db-journal");
    assert!(std::fs::metadata(&journal).unwrap().len() > 512, "a hot journal");
    let before = (snapshot(&copy), snapshot(&journal));
    let (code, stdout, stderr) = cli(&["analyze", copy.to_str().unwrap()]);
    // The interrupted transaction is rolled back in the private copy: the committed rows count.
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"n1\""), "the committed events are analyzed");
    assert!((snapshot(&copy), snapshot(&journal)) == before, "a file with a hot journal changed (rolled back?)");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_says_a_file_is_too_large_with_its_size() {
    let dir = tempdir("hostile-large");
    let path = dir.join("huge.db");
    let mut file = std::fs::File::create(&path).unwrap();
    // A database's header (without it the CLI would read a log, which has no size limit)
    std::io::Write::write_all(&mut file, b"SQLite format 3\0").unwrap();
    // Sparse: no disk is used. 8 TiB cannot be held in memory here.
    let size: u64 = 8 << 40;
    if file.set_len(size).is_err() {
        eprintln!("skipped: the file system refuses an 8 TiB sparse file");
        return;
    }
    let (code, stdout, stderr) = cli(&["analyze", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("too large") && stderr.contains(&size.to_string()), "{stderr}");
}

#[test]
fn deadline_interrupts_and_names_the_limit() {
    let bytes = corpus::demo_small();
    match run::whole_report(&bytes, 0.0) {
        Err(e) if e.kind == ErrorKind::Interrupted => {
            let m = e.to_string();
            assert!(m.contains("interrupted") && m.contains("time limit of 0 s"), "{m}");
        }
        other => panic!("expected an interruption, got {:?}", other.map(|o| o.nodes)),
    }
    // A generous limit lets the same file through.
    assert!(run::whole_report(&bytes, 60_000.0).is_ok());
    // The CLI's --timeout reaches the engine.
    let dir = tempdir("hostile-timeout");
    let path = dir.join("demo.db");
    std::fs::write(&path, demo::demo_bytes(&Default::default()).unwrap()).unwrap();
    let (code, _, stderr) = cli(&["analyze", path.to_str().unwrap(), "--timeout", "0.000001"]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("time limit") && stderr.trim_end().lines().count() == 1, "{stderr}");
    let (code, _, stderr) = cli(&["analyze", "x.db", "--timeout", "-1"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn defensive_settings_are_on() {
    let bytes = corpus::monitor(
        "CREATE TABLE audit_log (what TEXT); \
         CREATE TRIGGER t AFTER INSERT ON events BEGIN INSERT INTO audit_log VALUES ('fired'); END; \
         CREATE VIEW v AS SELECT * FROM events;",
    );
    let conn = db::load_bytes(&bytes).unwrap();
    assert!(conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap());
    assert!(!conn.db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA).unwrap());
    assert!(!conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER).unwrap());
    assert!(!conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW).unwrap());
    assert!(!conn.db_config(DbConfig::SQLITE_DBCONFIG_WRITABLE_SCHEMA).unwrap());
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(pragma("trusted_schema"), 0);
    assert_eq!(pragma("cell_size_check"), 1);
    assert_eq!(conn.limit(Limit::SQLITE_LIMIT_ATTACHED).unwrap(), 0);
    for &(limit, value) in db::LIMITS {
        assert_eq!(conn.limit(limit).unwrap(), value, "{limit:?}");
    }
    assert!(conn.limit(Limit::SQLITE_LIMIT_LENGTH).unwrap() <= 16 << 20);
    // No ATTACH (it could create or read other files), no extensions, no views, no triggers.
    assert!(conn.execute_batch("ATTACH DATABASE '/tmp/storj-lens-attach.db' AS other").is_err());
    assert!(!Path::new("/tmp/storj-lens-attach.db").exists());
    assert!(conn.query_row("SELECT load_extension('/nonexistent/evil')", [], |_| Ok(())).is_err());
    assert!(conn.query_row("SELECT count(*) FROM v", [], |_| Ok(())).is_err());
    conn.execute("INSERT INTO events (node_name) VALUES ('x')", []).unwrap();
    assert_eq!(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)).unwrap(), 0, "a trigger ran");
    // DEFENSIVE: the schema cannot be edited through writable_schema.
    let _ = conn.execute_batch("PRAGMA writable_schema = ON");
    assert!(conn.execute_batch("UPDATE sqlite_master SET sql = 'x' WHERE name = 'events'").is_err());
    // Limits: a huge value is refused instead of allocated.
    let e = conn.query_row("SELECT zeroblob(100000000)", [], |_| Ok(())).unwrap_err();
    assert!(matches!(EngineError::from(e), EngineError::Unreadable { .. }));
}

/// Every file under `tests/fuzz_regressions/` (minimized fuzzer findings) runs through the whole
/// pipeline without a panic; CI runs this, not the fuzzer.
#[test]
fn fuzz_regressions_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in &files {
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(path).unwrap();
        ran += 1;
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| run::whole_report(&bytes, 10_000.0))) {
            failures.push(format!("{}: PANIC {}", path.display(), panic_text(p)));
        }
    }
    assert!(ran > 0, "no regression files in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `STORJ_LENS_WRITE_SEEDS=1 cargo test --test hostile write_fuzz_seeds`: the corpus, the fixture
/// and small demo databases as seeds for `fuzz/` (not committed).
#[test]
fn write_fuzz_seeds() {
    if std::env::var_os("STORJ_LENS_WRITE_SEEDS").is_none() {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in corpus() {
        std::fs::write(dir.join(format!("{}.db", entry.name)), &entry.bytes).unwrap();
    }
    std::fs::write(dir.join("fixture_small.db"), corpus::fixture_bytes()).unwrap();
}
