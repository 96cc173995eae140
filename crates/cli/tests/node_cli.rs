//! `storj-lens analyze` on the node's databases (NODE_DATA.md §4.1): the fixture's printed JSON
//! against earnings.py's goldens, folders and file lists, the monitor database mixed in, and
//! `demo --node`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const NOW: &str = "2025-04-14T09:30:00Z";

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/node")
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_storj-lens")).args(args).output().expect("run");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn golden(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture_dir().join(name)).expect("golden")).expect("json")
}

fn analyze_ok(args: &[&str]) -> Value {
    let (code, out, err) = cli(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("JSON on stdout")
}

fn copy_fixture(to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for name in node::FILE_NAMES {
        std::fs::copy(fixture_dir().join(name), to.join(name)).expect("copy");
    }
}

#[test]
fn fixture_folder_matches_both_goldens() {
    let dir = fixture_dir();
    for (month, name) in [("2025-03", "fixture.expected.json"), ("2025-04", "fixture-current.expected.json")] {
        let report = analyze_ok(&["analyze", dir.to_str().expect("path"), "--now", NOW, "--month", month]);
        let c = node::compare::compare(&golden(name), &report);
        assert!(c.diffs.is_empty(), "{month}: {}", c.diffs.join("\n"));
        assert!(c.checked > 140);
    }
}

#[test]
fn top_level_keys_in_order() {
    let (code, out, err) = cli(&["analyze", fixture_dir().to_str().expect("path"), "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&out).expect("object").keys().cloned().collect();
    let want = [
        "format",
        "now",
        "now_source",
        "month",
        "mode",
        "months",
        "files",
        "warnings",
        "notes",
        "satellites",
        "totals",
        "disk",
        "estimate",
        "payout",
        "payout_history",
        "payments",
        "held_history",
        "scores",
        "series",
        "diagnostics",
    ];
    assert_eq!(keys, want);
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["format"], "storj-node-report/1");
    assert_eq!(report["now_source"], "given");
    assert!(report["diagnostics"]["timings_ms"]["report"].as_f64().is_some());
}

#[test]
fn storage_subfolder_and_file_lists() {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_fixture(&tmp.path().join("storage"));
    let from_folder = analyze_ok(&["analyze", tmp.path().to_str().expect("path"), "--now", NOW, "--month", "2025-03"]);
    let c = node::compare::compare(&golden("fixture.expected.json"), &from_folder);
    assert!(c.diffs.is_empty(), "{}", c.diffs.join("\n"));
    // The same files named one by one, renamed: roles come from the tables.
    let listed = tempfile::tempdir().expect("tmp");
    let mut args: Vec<String> = vec!["analyze".into(), "--now".into(), NOW.into(), "--month".into(), "2025-03".into()];
    for (i, name) in node::FILE_NAMES.iter().enumerate() {
        let to = listed.path().join(format!("copy{i}.sqlite"));
        std::fs::copy(fixture_dir().join(name), &to).expect("copy");
        args.push(to.to_string_lossy().into_owned());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let report = analyze_ok(&refs);
    let c = node::compare::compare(&golden("fixture.expected.json"), &report);
    assert!(c.diffs.is_empty(), "{}", c.diffs.join("\n"));
    assert_eq!(report["files"][6]["name"], "copy6.sqlite");
}

#[test]
fn a_single_node_file_names_what_is_missing() {
    let (code, out, err) = cli(&["analyze", fixture_dir().join("pricing.db").to_str().expect("path")]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("satellites.db is missing: it holds"), "{err}");
}

#[test]
fn month_in_the_future_and_bad_month_exit_2() {
    let dir = fixture_dir();
    let (code, _, err) = cli(&["analyze", dir.to_str().expect("path"), "--now", NOW, "--month", "2025-05"]);
    assert_eq!(code, 2);
    assert!(err.contains("2025-05 is after"), "{err}");
    let (code, _, err) = cli(&["analyze", dir.to_str().expect("path"), "--month", "March"]);
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM"), "{err}");
}

/// A monitor database as the demo writes it.
fn monitor_db(dir: &Path) -> PathBuf {
    let path = dir.join("storj_stats.db");
    let opts = demo::DemoOptions { events: 200, days: 3, ..demo::DemoOptions::default() };
    demo::generate_to_path(&path, &opts, true).expect("demo");
    path
}

#[test]
fn a_monitor_database_with_node_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let monitor = monitor_db(tmp.path());
    let mut args: Vec<String> = vec!["analyze".into(), "--now".into(), NOW.into()];
    args.push(monitor.to_string_lossy().into_owned());
    for name in node::FILE_NAMES {
        args.push(fixture_dir().join(name).to_string_lossy().into_owned());
    }
    // Complete node set: it wins, with a warning.
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = cli(&refs);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["format"], "storj-node-report/1");
    assert!(err.contains("is a monitor database"), "{err}");
    assert!(report["warnings"].as_array().expect("warnings").iter().any(|w| w.as_str().is_some_and(|w| w.contains("monitor database"))));
    assert!(report["files"].as_array().expect("files").iter().any(|f| f["role"] == "monitor" && f["status"] == "ignored"));
    // Incomplete node set: the monitor database's report, with a warning.
    let refs: Vec<&str> = args[..6].iter().map(String::as_str).collect();
    let (code, out, err) = cli(&refs);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["format"], "storj-analytics-report/1");
    assert!(err.contains("reporting the monitor database"), "{err}");
}

#[test]
fn demo_node_folder_is_deterministic_and_analyzable() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let (code, out, err) = cli(&["demo", "--node", dir.to_str().expect("path"), "--seed", "7", "--months", "5"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("8 node databases"), "{out}");
    }
    for name in node::FILE_NAMES {
        assert_eq!(std::fs::read(a.join(name)).expect("a"), std::fs::read(b.join(name)).expect("b"), "{name}");
    }
    let (code, _, err) = cli(&["demo", "--node", a.to_str().expect("path")]);
    assert_eq!(code, 2, "refuses to overwrite");
    assert!(err.contains("already exists"), "{err}");
    let report = analyze_ok(&["analyze", a.to_str().expect("path")]);
    assert_eq!(report["mode"], "current");
    let sats = report["satellites"].as_array().expect("satellites");
    assert_eq!(sats.len(), 4);
    assert!(sats.iter().any(|s| s["status"].as_str().is_some_and(|s| s.contains("% Vetted"))));
    let months = report["months"].as_array().expect("months");
    let past = analyze_ok(&["analyze", a.to_str().expect("path"), "--month", months[1].as_str().expect("month")]);
    let kinds: Vec<&str> = past["payments"].as_array().expect("payments").iter().filter_map(|p| p["kind"].as_str()).collect();
    assert!(kinds.contains(&"eth") && kinds.contains(&"zksync"), "{kinds:?}");
    assert!(past["payout"]["paid_out_this_month"].as_f64().is_some() || past["payout"]["postponed_this_month"].as_f64().is_some());
}
