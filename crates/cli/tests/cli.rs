//! The built `storj-lens` binary: the fixture's report, bad input (one stderr line, exit 2) and
//! the demo subcommand. The hostile corpus through the binary is in `hostile.rs`.

use std::path::PathBuf;
use std::process::Command;

use demo::{generate_to_path, DemoOptions};
use engine::cache::ManualClock;
use engine::compare::compare_reports;
use engine::time::parse_rfc3339;
use engine::{Analyzer, ReportOptions};
use rusqlite::Connection;

const NOW: &str = "2025-10-10T12:00:00+00:00";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_storj-lens")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// A monitor database made by SQL (events only unless `sql` adds more).
fn db_bytes(sql: &str) -> Vec<u8> {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn analyze_prints_the_fixture_report() {
    let out = Command::new(env!("CARGO_BIN_EXE_storj-lens"))
        .args(["analyze", fixture("small.db").to_str().unwrap(), "--now", NOW])
        .output()
        .expect("run storj-lens");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let actual: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let diffs = compare_reports(&serde_json::from_str(&std::fs::read_to_string(fixture("small.expected.json")).unwrap()).unwrap(), &actual);
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    // The same document as the library's report at the same now (diagnostics aside).
    let mut a = Analyzer::open(&std::fs::read(fixture("small.db")).unwrap(), Box::new(ManualClock::default())).unwrap();
    a.build_indexes().unwrap();
    let mut library = serde_json::to_value(a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap()).unwrap();
    let mut printed = actual;
    for v in [&mut library, &mut printed] {
        v.as_object_mut().unwrap().remove("diagnostics");
    }

    assert_eq!(serde_json::to_string(&printed).unwrap(), serde_json::to_string(&library).unwrap());
}

#[test]
fn cli_bad_input_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.db", Vec::new()),
        ("log.db", b"just a log line\n".to_vec()),
        ("truncated.db", std::fs::read(fixture("small.db")).unwrap()[..50_000].to_vec()),
        ("notmonitor.db", db_bytes("CREATE TABLE x (a);")),
    ];
    for (name, bytes) in &cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, stdout, stderr) = cli(&["analyze", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let (code, _, stderr) = cli(&["analyze", dir.join("missing.db").to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    let fixture = fixture("small.db").to_str().unwrap().to_string();
    for bad in [&["--now", "yesterday"][..], &["--period", "2025-13"], &["--hours", "0"], &["--buckets=-5"]] {
        let mut args = vec!["analyze", fixture.as_str()];
        args.extend_from_slice(bad);
        let (code, _, stderr) = cli(&args);
        assert_eq!(code, 2, "{bad:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{bad:?}: {stderr}");
    }
}

#[test]
fn cli_writes_a_file_and_refuses_to_overwrite() {
    let exe = env!("CARGO_BIN_EXE_storj-lens");
    let dir = tempfile::tempdir().unwrap();
    let scratch = |name: &str| dir.path().join(name);
    let path = scratch("cli.db");
    let run = |args: &[&str]| Command::new(exe).arg("demo").arg(&path).args(args).output().unwrap();

    let out = run(&["--events", "3000", "--nodes", "2", "--days", "7", "--seed", "5", "--end", "2025-10-10T12:00:00Z"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("3000 events"), "{stdout}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM events"), 3000);
    assert_eq!(count(&conn, "SELECT COUNT(DISTINCT node_name) FROM events"), 2);
    drop(conn);
    let written = std::fs::read(&path).unwrap();
    // Same bytes as the library call with the same options.
    let again = scratch("lib.db");
    let opts = DemoOptions { events: 3000, nodes: 2, days: 7, seed: 5, ..DemoOptions::default() };
    generate_to_path(&again, &opts, false).unwrap();
    assert!(std::fs::read(&again).unwrap() == written);

    // Existing file without --force: exit 2, one line, file untouched.
    let out = run(&["--events", "100"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already exists") && stderr.contains("--force"), "{stderr}");
    assert!(std::fs::read(&path).unwrap() == written);

    // With --force it is replaced.
    let out = run(&["--events", "100", "--force"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let conn = Connection::open(&path).unwrap();
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM events"), 100);

    // Bad arguments: exit 2 with one line.
    for args in [&["--events", "lots"][..], &["--nodes", "0"], &["--end", "yesterday"], &["--days", "-3"]] {
        let out = run(&[args, &["--force"]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    }
}

#[test]
fn analyze_prints_the_trends_section() {
    // TRENDS.md 8: `storj-lens analyze DB` prints the trends inside the report, equal to the
    // original's trends of the worked example (section 9's rules).
    let (code, stdout, stderr) = cli(&["analyze", fixture("trends.db").to_str().unwrap(), "--now", NOW]);
    assert_eq!(code, 0, "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
    assert_eq!(at("trends"), at("latency") + 1, "{keys:?}");
    let trends = &report["trends"];
    assert_eq!(
        trends["nodes"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["node-1", "node-2", "node-3", "node-4", "node-5", "node-6"]
    );
    assert_eq!(trends["nodes"]["node-2"]["storage_forecast"]["growth_rates"]["7d"]["growth_rate_bytes_per_day"], 38650942923i64);
    let golden: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture("trends.trends.json")).unwrap()).unwrap();
    let diffs = engine::compare_trends::compare_trends(&golden, &report);
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    // A file without the trend tables still gets the section, with empty panels.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events-only.db");
    let bytes = db_bytes(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT, size INTEGER, \
         piece_id TEXT, satellite_id TEXT, node_name TEXT, duration_ms INTEGER); \
         INSERT INTO events VALUES (1, '2025-10-10T11:00:00+00:00', 'GET', 'success', 10, 'p', 's', 'node-1', 5);",
    );
    std::fs::write(&path, bytes).unwrap();
    let (code, stdout, stderr) = cli(&["analyze", path.to_str().unwrap(), "--now", NOW]);
    assert_eq!(code, 0, "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let node = &report["trends"]["nodes"]["node-1"];
    assert_eq!((node["reputation"].clone(), node["storage_forecast"].clone()), (serde_json::json!([]), serde_json::Value::Null));
    assert_eq!(node["hourly_traffic"].as_array().unwrap().len(), 25);
    assert_eq!(report["trends"]["tables"]["hourly_stats"], false);
}
