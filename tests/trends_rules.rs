//! The tricky rules of TRENDS.md, each on a small database built here: missing and empty tables,
//! reputation ties and windows, the hourly table's two keys, the 25-point chart, the 360-day
//! payout cutoff, the growth windows and the original's failures (sections 3.7 and 5).

use engine::cache::ManualClock;
use engine::time::{iso, parse_rfc3339, MICROS_PER_HOUR};
use engine::trends::{trends, Trends};
use engine::{Analyzer, ReportOptions, Warnings};
use rusqlite::Connection;
use serde_json::{json, Value};

const NOW: &str = "2025-10-10T12:00:00+00:00";
const DAY: i64 = 24 * MICROS_PER_HOUR;
const MINUTE: i64 = 60_000_000;

const EVENTS: &str = "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT, size INTEGER, \
     piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT, latitude REAL, longitude REAL, error_reason TEXT, \
     node_name TEXT, duration_ms INTEGER)";
const REPUTATION: &str = "CREATE TABLE reputation_history (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, \
     node_name TEXT NOT NULL, satellite TEXT NOT NULL, audit_score REAL, suspension_score REAL, online_score REAL, \
     audit_success_count INTEGER, audit_total_count INTEGER, is_disqualified INTEGER DEFAULT 0, is_suspended INTEGER DEFAULT 0)";
const STORAGE: &str = "CREATE TABLE storage_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, \
     node_name TEXT NOT NULL, total_bytes INTEGER, used_bytes INTEGER, available_bytes INTEGER, trash_bytes INTEGER, \
     used_percent REAL, trash_percent REAL, available_percent REAL)";
const HOURLY: &str = "CREATE TABLE hourly_stats (hour_timestamp TEXT, node_name TEXT, dl_success INTEGER DEFAULT 0, \
     dl_fail INTEGER DEFAULT 0, ul_success INTEGER DEFAULT 0, ul_fail INTEGER DEFAULT 0, audit_success INTEGER DEFAULT 0, \
     audit_fail INTEGER DEFAULT 0, total_download_size INTEGER DEFAULT 0, total_upload_size INTEGER DEFAULT 0, \
     PRIMARY KEY (hour_timestamp, node_name))";
const PAYOUTS: &str = "CREATE TABLE payout_history (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, \
     node_name TEXT NOT NULL, satellite TEXT NOT NULL, period TEXT NOT NULL, actual_payout REAL NOT NULL, \
     estimated_payout REAL, variance REAL, variance_percent REAL, payout_address TEXT, transaction_hash TEXT, notes TEXT)";

const AP1: &str = "121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6";
const US1: &str = "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S";

fn now() -> i64 {
    parse_rfc3339(NOW).unwrap()
}

/// iso(now − `micros`).
fn ago(micros: i64) -> String {
    iso(now() - micros)
}

/// A database with the given CREATE statements.
fn db(creates: &[&str]) -> Connection {
    let c = Connection::open_in_memory().unwrap();
    for sql in creates {
        c.execute_batch(sql).unwrap();
    }
    c
}

fn all_tables() -> Connection {
    db(&[EVENTS, REPUTATION, STORAGE, HOURLY, PAYOUTS])
}

/// The section over `nodes` at now (or `at`), with its warnings.
fn section_at(c: &Connection, nodes: &[&str], at: i64) -> (Value, Vec<String>) {
    let names: Vec<String> = nodes.iter().map(|n| n.to_string()).collect();
    let mut w = Warnings::default();
    let t: Trends = trends(c, &names, at, &mut w).unwrap();
    (serde_json::to_value(&t).unwrap(), w.0)
}

fn section(c: &Connection, nodes: &[&str]) -> (Value, Vec<String>) {
    section_at(c, nodes, now())
}

fn rep(c: &Connection, ts: &str, node: &str, sat: &str, scores: (f64, f64, f64), flags: (i64, i64)) {
    c.execute(
        "INSERT INTO reputation_history (timestamp, node_name, satellite, audit_score, suspension_score, online_score, \
         audit_success_count, audit_total_count, is_disqualified, is_suspended) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 10, 10, ?7, ?8)",
        rusqlite::params![ts, node, sat, scores.0, scores.1, scores.2, flags.0, flags.1],
    )
    .unwrap();
}

fn snapshot(c: &Connection, ts: &str, node: &str, used: Option<i64>, available: Option<i64>) {
    c.execute(
        "INSERT INTO storage_snapshots (timestamp, node_name, total_bytes, used_bytes, available_bytes, trash_bytes) VALUES (?1, ?2, ?3, ?3, ?4, 0)",
        rusqlite::params![ts, node, used, available],
    )
    .unwrap();
}

fn hour(c: &Connection, key: &str, node: &str, counts: [i64; 6], sizes: (i64, i64)) {
    c.execute(
        "INSERT INTO hourly_stats VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![key, node, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], sizes.0, sizes.1],
    )
    .unwrap();
}

fn payout(c: &Connection, ts: &str, node: &str, period: &str) {
    c.execute(
        "INSERT INTO payout_history (timestamp, node_name, satellite, period, actual_payout, estimated_payout) VALUES (?1, ?2, ?3, ?4, 1.5, NULL)",
        rusqlite::params![ts, node, AP1, period],
    )
    .unwrap();
}

fn alert_types(row: &Value) -> Vec<&str> {
    row["alerts"].as_array().unwrap().iter().map(|a| a["alert_type"].as_str().unwrap()).collect()
}

fn report_of(mut c: Connection) -> engine::report::Report {
    let bytes = c.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    a.build_indexes().unwrap();
    a.report(&ReportOptions::new(now())).unwrap()
}

fn one_event(c: &Connection, node: &str) {
    c.execute(
        "INSERT INTO events (timestamp, action, status, size, satellite_id, node_name, duration_ms) VALUES (?1, 'GET', 'success', 10, ?2, ?3, 5)",
        rusqlite::params![ago(MINUTE), AP1, node],
    )
    .unwrap();
}

fn assert_empty_panels(t: &Value, tables: bool) {
    let n = &t["nodes"]["node-1"];
    for k in ["reputation", "reputation_history", "storage_history", "hourly", "payout_history"] {
        assert_eq!(n[k], json!([]), "{k}");
    }
    assert_eq!(n["storage_forecast"], Value::Null);
    for k in ["reputation", "storage_forecast", "hourly", "payout_history"] {
        assert_eq!(t["all"][k], json!([]), "all.{k}");
    }
    // Only the chart is still 25 zero rows.
    for chart in [&n["hourly_traffic"], &t["all"]["hourly_traffic"]] {
        let rows = chart.as_array().unwrap();
        assert_eq!(rows.len(), 25);
        assert!(rows
            .iter()
            .all(|r| r["total_ops"] == json!(0) && r["ingress_mbps"] == json!(0) && r["bin_duration_seconds"] == json!(3600)));
        assert_eq!(rows[0]["timestamp"], "2025-10-09T12:00:00+00:00");
    }
    let flags = json!({"reputation_history": tables, "storage_snapshots": tables, "hourly_stats": tables, "payout_history": tables});
    assert_eq!(t["tables"], flags);
}

#[test]
fn missing_tables_read_as_empty() {
    let c = db(&[EVENTS]);
    one_event(&c, "node-1");
    let r = report_of(c);
    let t = serde_json::to_value(&r.trends).unwrap();
    assert_empty_panels(&t, false);
    assert!(!r.warnings.iter().any(|w| w.contains("trend")), "{:?}", r.warnings);
}

#[test]
fn empty_tables_read_as_empty() {
    let c = all_tables();
    one_event(&c, "node-1");
    let r = report_of(c);
    assert_empty_panels(&serde_json::to_value(&r.trends).unwrap(), true);
    assert_eq!(r.warnings, ["earnings_estimates: the table is missing: node ages come from the first snapshot or event"]);
}

#[test]
fn a_table_without_a_column_it_needs_is_left_out_with_a_warning() {
    let c = db(&[EVENTS, "CREATE TABLE hourly_stats (hour_timestamp TEXT, node_name TEXT, dl_success INTEGER)"]);
    c.execute("INSERT INTO hourly_stats VALUES ('2025-10-10T11:00:00+00:00', 'node-1', 5)", []).unwrap();
    let (t, w) = section(&c, &["node-1"]);
    assert_eq!(t["nodes"]["node-1"]["hourly"], json!([]));
    assert_eq!(t["tables"]["hourly_stats"], json!(false));
    assert!(w.iter().any(|w| w.starts_with("hourly_stats: the table lacks `dl_fail`")), "{w:?}");
}

#[test]
fn latest_reputation_has_no_time_window_and_ties_keep_every_row() {
    let c = all_tables();
    let fine = (99.0, 100.0, 99.5);
    rep(&c, "2024-01-01T00:00:00+00:00", "node-1", US1, (80.0, 100.0, 99.0), (0, 0)); // only row: still the latest
    rep(&c, &ago(2 * DAY), "node-1", AP1, fine, (0, 0));
    rep(&c, &ago(DAY / 2), "node-1", AP1, (60.0, 100.0, 90.0), (0, 0));
    rep(&c, &ago(DAY / 2), "node-1", AP1, (60.0, 50.0, 90.0), (1, 0)); // ties with the row above
    rep(&c, &ago(DAY / 2), "node-2", AP1, (60.0, 100.0, 99.0), (0, 0));
    let (t, w) = section(&c, &["node-1", "node-2"]);
    assert!(w.is_empty(), "{w:?}");
    let latest = t["nodes"]["node-1"]["reputation"].as_array().unwrap();
    let sats: Vec<(&str, i64)> = latest.iter().map(|r| (r["satellite"].as_str().unwrap(), r["id"].as_i64().unwrap())).collect();
    assert_eq!(sats, [(AP1, 3), (AP1, 4), (US1, 1)]);
    assert_eq!(alert_types(&latest[0]), ["audit_score_critical", "uptime_warning"]);
    // The tied row gets only the alert types the first did not raise.
    assert_eq!(alert_types(&latest[1]), ["node_disqualified", "suspension_risk"]);
    assert_eq!(alert_types(&latest[2]), ["audit_score_warning"]);
    // Row columns first, as stored, then health_score and alerts.
    let keys: Vec<&String> = latest[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 13);
    assert_eq!(
        (keys[0].as_str(), keys[10].as_str(), keys[11].as_str(), keys[12].as_str()),
        ("id", "is_suspended", "health_score", "alerts")
    );
    assert_eq!(latest[0]["is_disqualified"], json!(0));
    // All nodes: node by node; node-2's alerts are its own.
    let all = t["all"]["reputation"].as_array().unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3]["node_name"], "node-2");
    assert_eq!(alert_types(&all[3]), ["audit_score_critical"]);
    // The history: the last 24 hours, by timestamp then satellite.
    let history = t["nodes"]["node-1"]["reputation_history"].as_array().unwrap();
    assert_eq!(history.iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>(), [3, 4]);
    assert!(history[0].get("health_score").is_none());
}

#[test]
fn reputation_history_orders_by_timestamp_then_satellite_and_starts_24_hours_back() {
    let c = all_tables();
    let fine = (99.0, 100.0, 99.5);
    rep(&c, &ago(DAY + 1), "node-1", AP1, fine, (0, 0)); // one microsecond too old
    rep(&c, &ago(DAY), "node-1", US1, fine, (0, 0)); // exactly at the cutoff
    rep(&c, &ago(DAY), "node-1", AP1, fine, (0, 0));
    rep(&c, &iso(now() + DAY), "node-1", AP1, fine, (0, 0)); // no upper bound at now
    let (t, _) = section(&c, &["node-1"]);
    let ids: Vec<i64> = t["nodes"]["node-1"]["reputation_history"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [3, 2, 4]);
}

#[test]
fn the_hourly_table_takes_the_six_greatest_keys_with_no_bound_at_now() {
    let c = all_tables();
    for h in 0..8 {
        let key = iso(now() - (h - 1) * MICROS_PER_HOUR); // h = 0: an hour after now
        hour(&c, &key, "node-1", [h, 1, 0, 0, 0, 0], (1_000_000 * h, 0));
        hour(&c, &key, "node-2", [1, 0, 0, 0, 0, 0], (1_000_000, 450));
    }
    // The backfill's key for the hour of 10:00 (written besides the live one).
    hour(&c, "2025-10-10T10:00:00.000Z", "node-1", [7, 0, 0, 0, 0, 0], (0, 0));
    let (t, w) = section(&c, &["node-1", "node-2"]);
    assert!(w.is_empty(), "{w:?}");
    let keys =
        |v: &Value| -> Vec<String> { v.as_array().unwrap().iter().map(|r| r["hour_timestamp"].as_str().unwrap().to_string()).collect() };
    let node = &t["nodes"]["node-1"]["hourly"];
    assert_eq!(
        keys(node),
        [
            "2025-10-10T13:00:00+00:00",
            "2025-10-10T12:00:00+00:00",
            "2025-10-10T11:00:00+00:00",
            "2025-10-10T10:00:00.000Z",
            "2025-10-10T10:00:00+00:00",
            "2025-10-10T09:00:00+00:00"
        ]
    );
    assert_eq!(node[0]["dl_success"], json!(0));
    assert_eq!(node[3]["dl_success"], json!(7));
    assert_eq!(node[1]["dl_mbps"], json!(1_000_000.0 * 8.0 / 3.6e9));
    // All nodes: the sums of both nodes per key.
    let all = &t["all"]["hourly"];
    assert_eq!(all[1]["dl_success"], json!(2));
    assert_eq!(all[1]["total_download_size"], json!(2_000_000));
    assert_eq!(all[1]["ul_mbps"], json!(450.0 * 8.0 / 3.6e9));
    assert_eq!(all[1].as_object().unwrap().keys().next_back().unwrap(), "ul_mbps");
}

#[test]
fn the_chart_has_25_hours_and_the_first_is_zero_unless_now_is_on_the_hour() {
    let c = all_tables();
    hour(&c, "2025-10-09T11:00:00+00:00", "node-1", [1, 0, 0, 0, 0, 0], (0, 0));
    hour(&c, "2025-10-09T12:00:00+00:00", "node-1", [2, 1, 3, 0, 4, 0], (3_600_000, 450_000_000));
    hour(&c, "2025-10-10T08:00:00+00:00", "node-1", [1, 0, 0, 0, 0, 0], (0, 0));
    hour(&c, "2025-10-10T08:00:00.000Z", "node-1", [5, 0, 0, 0, 0, 0], (0, 0));
    hour(&c, "2025-10-10T13:00:00+00:00", "node-1", [9, 0, 0, 0, 0, 0], (0, 0)); // after now: dropped
                                                                                 // Now between hours: the first point is the hour of the cutoff, whose key is below it.
    let between = parse_rfc3339("2025-10-10T11:59:29.435851+00:00").unwrap();
    let (t, _) = section_at(&c, &["node-1"], between);
    let chart = t["nodes"]["node-1"]["hourly_traffic"].as_array().unwrap().clone();
    assert_eq!(chart.len(), 25);
    assert_eq!(chart[0]["timestamp"], "2025-10-09T11:00:00+00:00");
    assert_eq!(chart[0]["total_ops"], json!(0));
    assert_eq!(chart[1]["timestamp"], "2025-10-09T12:00:00+00:00");
    assert_eq!(chart[24]["timestamp"], "2025-10-10T11:00:00+00:00");
    let p = &chart[1];
    assert_eq!(
        (p["ingress_bytes"].clone(), p["egress_bytes"].clone(), p["ingress_pieces"].clone(), p["egress_pieces"].clone()),
        (json!(450_000_000), json!(3_600_000), json!(3), json!(2))
    );
    assert_eq!(
        (p["ingress_mbps"].clone(), p["egress_mbps"].clone(), p["concurrency"].clone(), p["total_ops"].clone()),
        (json!(1.0), json!(0.01), json!(0.0), json!(10))
    );
    // The hour written under two keys shows the later key's row.
    let eight = chart.iter().find(|r| r["timestamp"].as_str().unwrap().starts_with("2025-10-10T08")).unwrap();
    assert_eq!((eight["timestamp"].as_str(), eight["total_ops"].as_i64()), (Some("2025-10-10T08:00:00.000Z"), Some(5)));
    // On the hour the first point is recorded (its key equals the cutoff).
    let (t, _) = section(&c, &["node-1"]);
    let chart = t["nodes"]["node-1"]["hourly_traffic"].as_array().unwrap().clone();
    assert_eq!(chart.len(), 25);
    assert_eq!((chart[0]["timestamp"].as_str(), chart[0]["total_ops"].as_i64()), (Some("2025-10-09T12:00:00+00:00"), Some(10)));
    assert_eq!(chart[24]["timestamp"], "2025-10-10T12:00:00+00:00");
    assert!(chart.iter().all(|r| r["total_ops"] != json!(9)));
}

#[test]
fn a_key_that_does_not_parse_or_a_null_sum_empties_the_chart_with_a_warning() {
    let c = all_tables();
    hour(&c, "2025-10-10T08:00:00+00:00", "node-1", [1, 0, 0, 0, 0, 0], (0, 0));
    hour(&c, "yesterday", "node-2", [1, 0, 0, 0, 0, 0], (0, 0)); // 'y' sorts after the cutoff
    c.execute(
        "INSERT INTO hourly_stats (hour_timestamp, node_name, total_upload_size) VALUES ('2025-10-10T09:00:00+00:00', 'node-3', NULL)",
        [],
    )
    .unwrap();
    let (t, w) = section(&c, &["node-1", "node-2", "node-3"]);
    assert_eq!(t["nodes"]["node-1"]["hourly_traffic"].as_array().unwrap().len(), 25);
    assert_eq!(t["nodes"]["node-2"]["hourly_traffic"], json!([]));
    assert_eq!(t["nodes"]["node-3"]["hourly_traffic"], json!([]));
    assert_eq!(t["all"]["hourly_traffic"], json!([]));
    assert!(w.iter().any(|w| w.contains("'yesterday' does not parse")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("a sum of the hour 2025-10-10T09:00:00+00:00 is NULL")), "{w:?}");
    // The table itself still lists them.
    assert_eq!(t["all"]["hourly"].as_array().unwrap().len(), 3);
}

#[test]
fn payouts_of_the_last_360_days_newest_first() {
    let c = all_tables();
    payout(&c, &ago(360 * DAY), "node-1", "2024-10"); // exactly at the cutoff: kept
    payout(&c, &ago(360 * DAY + 1), "node-1", "2024-09"); // one microsecond older: dropped
    payout(&c, &ago(DAY), "node-1", "2025-09");
    payout(&c, &ago(DAY), "node-1", "2025-09"); // a tie: rowid order
    payout(&c, &iso(now() + DAY), "node-1", "2025-10"); // no upper bound at now
    payout(&c, &ago(2 * DAY), "node-2", "2025-09");
    let (t, w) = section(&c, &["node-1", "node-2"]);
    assert!(w.is_empty(), "{w:?}");
    let ids = |v: &Value| -> Vec<i64> { v.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect() };
    assert_eq!(ids(&t["nodes"]["node-1"]["payout_history"]), [5, 3, 4, 1]);
    assert_eq!(ids(&t["all"]["payout_history"]), [5, 3, 4, 6, 1]);
    // Rows as stored: every column in table order, SQLite's types.
    let row = &t["nodes"]["node-1"]["payout_history"][0];
    let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "timestamp",
            "node_name",
            "satellite",
            "period",
            "actual_payout",
            "estimated_payout",
            "variance",
            "variance_percent",
            "payout_address",
            "transaction_hash",
            "notes"
        ]
    );
    assert_eq!(
        (row["actual_payout"].clone(), row["estimated_payout"].clone(), row["period"].clone()),
        (json!(1.5), Value::Null, json!("2025-10"))
    );
}

#[test]
fn odd_values_in_rows_keep_their_sqlite_types() {
    let c = all_tables();
    c.execute(
        "INSERT INTO payout_history (timestamp, node_name, satellite, period, actual_payout, estimated_payout, notes, variance) \
         VALUES (?1, 'node-1', 'x', '2025-09', 2, 'n/a', X'0AFF', 1e999)",
        [ago(DAY)],
    )
    .unwrap();
    let (t, _) = section(&c, &["node-1"]);
    let row = &t["nodes"]["node-1"]["payout_history"][0];
    // REAL affinity stores 2 as 2.0; text stays text; a BLOB is its SQL literal; ±inf is null.
    assert_eq!(row["actual_payout"].to_string(), "2.0");
    assert_eq!(
        (row["estimated_payout"].clone(), row["notes"].clone(), row["variance"].clone()),
        (json!("n/a"), json!("X'0AFF'"), Value::Null)
    );
}

const GIB: i64 = 1 << 30;

/// Hourly API snapshots of a node over the last `hours` hours, `used(h)` bytes `h` hours ago.
fn hourly_snapshots(c: &Connection, node: &str, hours: i64, used: impl Fn(i64) -> i64, available: Option<i64>) {
    for h in (0..hours).rev() {
        snapshot(c, &ago(h * MICROS_PER_HOUR + 5 * MINUTE), node, Some(used(h)), available);
    }
}

#[test]
fn growth_windows_through_the_database() {
    let c = all_tables();
    // 8 rows in 35 minutes.
    for m in (0..8).rev() {
        snapshot(&c, &ago(m * 5 * MINUTE), "n-short", Some(1_000 + 100 * m), Some(10 * GIB));
    }
    // Flat for a day, then growing for 6 days.
    hourly_snapshots(&c, "n-flat", 7 * 24, |h| if h < 24 { 500 * GIB } else { 500 * GIB - (h - 24) * GIB / 24 }, Some(100 * GIB));
    // Shrinking.
    hourly_snapshots(&c, "n-shrink", 48, |h| 100 * GIB + h * GIB, Some(10 * GIB));
    // Growing 24 GiB a day with 240 GiB left, plus a log-derived row at the very end.
    hourly_snapshots(&c, "n-grow", 10 * 24, |h| 1000 * GIB - h * GIB, Some(240 * GIB));
    snapshot(&c, &ago(0), "n-grow", None, Some(240 * GIB));
    // Log-derived rows only; a single API row.
    snapshot(&c, &ago(DAY), "n-log", None, Some(GIB));
    snapshot(&c, &ago(0), "n-log", None, Some(GIB));
    snapshot(&c, &ago(DAY), "n-one", Some(GIB), Some(GIB));
    let nodes = ["n-flat", "n-grow", "n-log", "n-one", "n-short", "n-shrink"];
    let (t, w) = section(&c, &nodes);
    assert!(w.is_empty(), "{w:?}");
    let f = |n: &str| t["nodes"][n]["storage_forecast"].clone();
    let window = |n: &str, k: &str| t["nodes"][n]["storage_forecast"]["growth_rates"][k].clone();

    for k in ["1d", "7d", "30d"] {
        assert_eq!(window("n-short", k)["reason"], "insufficient_timespan");
        assert_eq!(window("n-short", k)["growth_rate_bytes_per_day"], Value::Null);
        assert_eq!(window("n-short", k)["data_points"], json!(8));
    }
    assert_eq!(window("n-flat", "1d")["reason"], "data_too_flat");
    assert_eq!(
        (window("n-flat", "1d")["growth_rate_bytes_per_day"].clone(), window("n-flat", "1d")["growth_rate_gb_per_day"].clone()),
        (json!(0), json!(0))
    );
    assert!(window("n-flat", "7d")["growth_rate_bytes_per_day"].as_i64().unwrap() > 0);
    assert!(window("n-flat", "7d").get("reason").is_none());

    let shrink = window("n-shrink", "7d");
    assert_eq!(
        (shrink["growth_rate_bytes_per_day"].clone(), shrink["growth_rate_gb_per_day"].clone(), shrink["days_until_full"].clone()),
        (json!(0), json!(0), Value::Null)
    );
    assert!(shrink.get("reason").is_none());

    // The newest row is the log-derived one (its available_bytes is A); the points are API rows.
    let grow = f("n-grow");
    assert_eq!(grow["used_bytes"], Value::Null);
    assert_eq!(
        (
            window("n-grow", "1d")["data_points"].clone(),
            window("n-grow", "7d")["data_points"].clone(),
            window("n-grow", "30d")["data_points"].clone()
        ),
        (json!(24), json!(168), json!(240))
    );
    let rate = window("n-grow", "7d")["growth_rate_bytes_per_day"].as_i64().unwrap();
    assert!((rate - 24 * GIB).abs() < 24 * GIB / 100_000, "{rate}");
    assert_eq!(window("n-grow", "7d")["growth_rate_gb_per_day"], json!(24.0));
    assert_eq!(window("n-grow", "7d")["days_until_full"], json!(10.0));
    assert_eq!((grow["growth_rate_bytes_per_day"].clone(), grow["forecast_data_points"].clone()), (json!(rate), json!(168)));

    for n in ["n-log", "n-one"] {
        let e = f(n);
        assert_eq!(
            (e["growth_rate_bytes_per_day"].clone(), e["days_until_full"].clone(), e["growth_rates"].clone()),
            (Value::Null, Value::Null, json!({}))
        );
    }
    assert_eq!((f("n-log")["forecast_data_points"].clone(), f("n-one")["forecast_data_points"].clone()), (json!(0), json!(1)));
    // All nodes: one entry per node, by node name.
    let all: Vec<&str> = t["all"]["storage_forecast"].as_array().unwrap().iter().map(|e| e["node_name"].as_str().unwrap()).collect();
    assert_eq!(all, nodes);
    // The history: the last 7 days, log-derived rows included.
    assert_eq!(t["nodes"]["n-grow"]["storage_history"].as_array().unwrap().len(), 7 * 24 + 1);
}

#[test]
fn a_newest_timestamp_shared_by_two_rows_gives_two_entries() {
    let c = all_tables();
    hourly_snapshots(&c, "node-1", 48, |h| 1000 * GIB - h * GIB, Some(10 * GIB));
    snapshot(&c, &ago(0), "node-1", None, Some(20 * GIB));
    snapshot(&c, &ago(0), "node-1", None, Some(30 * GIB));
    let (t, w) = section(&c, &["node-1"]);
    assert!(w.is_empty(), "{w:?}");
    let all = t["all"]["storage_forecast"].as_array().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!((all[0]["available_bytes"].clone(), all[1]["available_bytes"].clone()), (json!(20 * GIB), json!(30 * GIB)));
    assert!(all[0]["days_until_full"].as_f64() < all[1]["days_until_full"].as_f64());
    assert_eq!(t["nodes"]["node-1"]["storage_forecast"], all[0]);
}

#[test]
fn the_forecast_fails_like_the_original() {
    // A growing node whose newest row has no available_bytes: the whole list is empty.
    let c = all_tables();
    hourly_snapshots(&c, "node-1", 48, |h| 1000 * GIB - h * GIB, None);
    hourly_snapshots(&c, "node-2", 48, |_| GIB, Some(GIB));
    let (t, w) = section(&c, &["node-1", "node-2"]);
    assert_eq!(t["nodes"]["node-1"]["storage_forecast"], Value::Null);
    assert_eq!(t["all"]["storage_forecast"], json!([]));
    assert_eq!(t["nodes"]["node-2"]["storage_forecast"]["node_name"], "node-2");
    assert!(w.iter().any(|w| w.contains("fails on node node-1's rows") && w.contains("available_bytes is null")), "{w:?}");

    // No positive slope: a null available_bytes is not used, nothing fails.
    let c = all_tables();
    hourly_snapshots(&c, "node-1", 48, |h| 1000 * GIB + h * GIB, None);
    let (t, w) = section(&c, &["node-1"]);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(t["nodes"]["node-1"]["storage_forecast"]["days_until_full"], Value::Null);

    // A timestamp without an offset among the API rows: the original cannot compare it.
    let c = all_tables();
    hourly_snapshots(&c, "node-1", 48, |h| 1000 * GIB - h * GIB, Some(GIB));
    snapshot(&c, "2025-10-10T11:30:00", "node-1", Some(1000 * GIB), Some(GIB));
    let (t, w) = section(&c, &["node-1"]);
    assert_eq!(t["all"]["storage_forecast"], json!([]));
    assert!(w.iter().any(|w| w.contains("'2025-10-10T11:30:00' does not parse")), "{w:?}");

    // ... unless it is the only API row (the original returns before reading it).
    let c = all_tables();
    snapshot(&c, "2025-10-10T11:30:00", "node-1", Some(1000 * GIB), Some(GIB));
    let (t, w) = section(&c, &["node-1"]);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(t["nodes"]["node-1"]["storage_forecast"]["forecast_data_points"], json!(1));
}

#[test]
fn a_table_without_rowid_is_read_too() {
    let c = db(&[
        EVENTS,
        "CREATE TABLE payout_history (id INTEGER PRIMARY KEY, timestamp DATETIME NOT NULL, node_name TEXT NOT NULL, \
         satellite TEXT NOT NULL, period TEXT NOT NULL, actual_payout REAL NOT NULL) WITHOUT ROWID",
    ]);
    for (id, days) in [(1, 3), (2, 1), (3, 2)] {
        c.execute("INSERT INTO payout_history VALUES (?1, ?2, 'node-1', 's', '2025-09', 1.0)", rusqlite::params![id, ago(days * DAY)])
            .unwrap();
    }
    let (t, w) = section(&c, &["node-1"]);
    assert!(w.is_empty(), "{w:?}");
    let ids: Vec<i64> = t["all"]["payout_history"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [2, 3, 1]);
}

#[test]
fn the_section_is_computed_once_per_now_and_its_warnings_are_replayed() {
    let mut c = all_tables();
    one_event(&c, "node-1");
    hour(&c, "yesterday", "node-1", [1, 0, 0, 0, 0, 0], (0, 0));
    rep(&c, &ago(DAY - MICROS_PER_HOUR / 2), "node-1", AP1, (99.0, 100.0, 99.0), (0, 0));
    let bytes = c.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
    let nodes = vec!["node-1".to_string()];
    let mut w = Warnings::default();
    let first = a.trends(&nodes, now(), &mut w).unwrap().clone();
    let mut again = Warnings::default();
    assert_eq!(a.trends(&nodes, now(), &mut again).unwrap(), &first);
    assert_eq!(again.0, w.0);
    assert!(w.0.iter().any(|w| w.contains("'yesterday' does not parse")), "{:?}", w.0);
    // Another now computes it again: the 24-hour history moves with it.
    assert_eq!(first.nodes["node-1"].reputation_history.len(), 1);
    let later = a.trends(&nodes, now() + MICROS_PER_HOUR, &mut Warnings::default()).unwrap();
    assert!(later.nodes["node-1"].reputation_history.is_empty());
    // The report carries the same section (and the first's warnings).
    let r = a.report(&ReportOptions::new(now())).unwrap();
    assert_eq!(r.trends, first);
    assert!(r.warnings.iter().any(|w| w.contains("'yesterday' does not parse")), "{:?}", r.warnings);
    assert!(r.diagnostics.timings_ms.contains_key("trends"));
}
