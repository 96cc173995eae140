//! Hostile node folders through the binary (NODE_DATA.md §5.3): every bad file gets one stderr
//! line naming it and exit 2, and the user's files never change (bytes, listing, times), also
//! in a read-only folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/node")
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_storj-lens")).args(args).output().expect("run");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// A writable copy of the fixture folder.
fn folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    for name in node::FILE_NAMES {
        std::fs::copy(fixture_dir().join(name), tmp.path().join(name)).expect("copy");
        let mut perms = std::fs::metadata(tmp.path().join(name)).expect("meta").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(tmp.path().join(name), perms).expect("perms");
    }
    tmp
}

/// Exit 2, nothing on stdout, one stderr line that contains every `want`.
fn refused(dir: &Path, wants: &[&str]) {
    let (code, out, err) = cli(&["analyze", dir.to_str().expect("path"), "--now", "2025-04-14T09:30:00Z"]);
    assert_eq!(code, 2, "stdout {out} stderr {err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for want in wants {
        assert!(err.contains(want), "{want:?} not in {err}");
    }
}

#[test]
fn a_missing_required_file() {
    let dir = folder();
    std::fs::remove_file(dir.path().join("pricing.db")).expect("rm");
    refused(dir.path(), &["pricing.db is missing: it holds the satellites' current prices, used by every $ figure"]);
}

#[test]
fn the_optional_gc_file_may_be_missing() {
    let dir = folder();
    std::fs::remove_file(dir.path().join("garbage_collection_filewalker_progress.db")).expect("rm");
    let (code, out, err) = cli(&["analyze", dir.path().to_str().expect("path"), "--now", "2025-04-14T09:30:00Z"]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["files"][7]["status"], "missing");
    assert_eq!(report["satellites"][2]["status"], "OK", "no GC line without the file");
    let warnings = report["warnings"].as_array().expect("warnings");
    assert!(
        warnings.iter().any(|w| w.as_str().is_some_and(|w| w.starts_with("garbage_collection_filewalker_progress.db is missing"))),
        "{warnings:?}"
    );
}

#[test]
fn not_sqlite() {
    let dir = folder();
    std::fs::write(dir.path().join("bandwidth.db"), "this is a text file\n").expect("write");
    refused(dir.path(), &["bandwidth.db", "is not a SQLite database"]);
}

#[test]
fn truncated_copy() {
    let dir = folder();
    let path = dir.path().join("storage_usage.db");
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
    refused(dir.path(), &["storage_usage.db is damaged", "cut short", ".backup"]);
}

#[test]
fn corrupt_pages_fail_quick_check() {
    let dir = folder();
    let path = dir.path().join("bandwidth.db");
    let mut bytes = std::fs::read(&path).expect("read");
    // Scribble over the b-tree pages after the schema page (as a torn copy of a running node).
    for b in &mut bytes[4096 * 2..4096 * 6] {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).expect("write");
    refused(dir.path(), &["bandwidth.db", "damaged"]);
}

#[test]
fn old_layout() {
    let dir = folder();
    let path = dir.path().join("bandwidth.db");
    std::fs::remove_file(&path).expect("rm");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.execute_batch("CREATE TABLE bandwidth_usage (satellite_id BLOB, action INTEGER, amount BIGINT, created_at TIMESTAMP); CREATE TABLE bandwidth_usage_rollups (x);")
        .expect("schema");
    drop(conn);
    refused(dir.path(), &["bandwidth.db is from a node older than v1.104"]);
}

#[test]
fn missing_column() {
    let dir = folder();
    let path = dir.path().join("reputation.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA journal_mode=DELETE; ALTER TABLE reputation DROP COLUMN vetted_at;").expect("drop");
    drop(conn);
    refused(dir.path(), &["reputation.db: table reputation has no column vetted_at"]);
}

#[test]
fn a_lone_wal_is_listed_as_unpaired() {
    let dir = folder();
    let lone = dir.path().join("orders.db-wal");
    std::fs::write(&lone, [0u8; 32]).expect("write");
    let mut args: Vec<String> = vec!["analyze".into(), "--now".into(), "2025-04-14T09:30:00Z".into()];
    for name in node::FILE_NAMES {
        args.push(dir.path().join(name).to_string_lossy().into_owned());
    }
    args.push(lone.to_string_lossy().into_owned());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = cli(&refs);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    let files = report["files"].as_array().expect("files");
    assert!(files.iter().any(|f| f["name"] == "orders.db-wal" && f["status"] == "unpaired"), "{files:?}");
}

/// Names, bytes and modification times of everything in a folder (recursively).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            let meta = std::fs::metadata(&path).expect("meta");
            out.insert(path.clone(), (std::fs::read(&path).expect("read"), meta.modified().ok()));
        }
    }
    out
}

/// A node folder in WAL mode with live `-wal` files (the case earnings.py rewrites and deletes).
fn folder_with_wals() -> tempfile::TempDir {
    let dir = folder();
    for name in ["bandwidth.db", "reputation.db"] {
        let work = tempfile::tempdir().expect("tmp");
        let path = work.path().join(name);
        std::fs::copy(dir.path().join(name), &path).expect("copy");
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "wal_autocheckpoint", 0).expect("pragma");
        let table = if name == "bandwidth.db" { "bandwidth_usage" } else { "reputation" };
        conn.execute(&format!("UPDATE {table} SET satellite_id = satellite_id"), []).expect("write");
        std::fs::copy(work.path().join(format!("{name}-wal")), dir.path().join(format!("{name}-wal"))).expect("wal");
        drop(conn);
    }
    dir
}

#[test]
fn the_users_files_never_change() {
    let dir = folder_with_wals();
    let before = snapshot(dir.path());
    assert_eq!(before.len(), 10);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, out, err) = cli(&["analyze", dir.path().to_str().expect("path"), "--now", "2025-04-14T09:30:00Z"]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["files"][1]["wal"]["valid"], true, "the -wal was applied");
    assert_eq!(snapshot(dir.path()), before, "a file changed, appeared or disappeared");
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_works_and_stays_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with_wals();
    let set_mode = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    for (path, _) in snapshot(dir.path()) {
        set_mode(&path, 0o444);
    }
    set_mode(dir.path(), 0o555);
    let before = snapshot(dir.path());
    let (code, out, err) = cli(&["analyze", dir.path().to_str().expect("path"), "--now", "2025-04-14T09:30:00Z", "--month", "2025-03"]);
    // As root the mode does not stop writes: the snapshot comparison below is what proves it.
    let after = snapshot(dir.path());
    set_mode(dir.path(), 0o755);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("storj-node-report/1"));
    assert_eq!(after, before);
}
