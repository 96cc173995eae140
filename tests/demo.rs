//! The demo generator: determinism, shape of the data, and the `storj-lens demo` command.

use std::collections::HashMap;

use chrono::{TimeZone, Utc};
use demo::{demo_bytes, generate, generate_to_path, DemoError, DemoOptions};
use rusqlite::{Connection, OptionalExtension};

const SATELLITES: [&str; 4] = [
    "121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6",
    "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S",
    "12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs",
    "1wFTAgs9DP5RSnCqKV1eLf6N9wtk4EAtmN5DpSxcs8EjT69tGE",
];

fn small() -> DemoOptions {
    DemoOptions { events: 5_000, ..DemoOptions::default() }
}

fn open(opts: &DemoOptions) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    let summary = generate(&mut conn, opts).unwrap();
    assert_eq!(summary.events, opts.events);
    conn
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, the fraction present exactly when not zero
/// (the engine's own layout test, plus the original's "no `.000000`" rule).
fn is_iso(s: &str) -> bool {
    engine::time::is_iso_layout(s) && !s.ends_with(".000000+00:00")
}

#[test]
fn same_seed_gives_identical_bytes() {
    let a = demo_bytes(&small()).unwrap();
    let b = demo_bytes(&small()).unwrap();
    assert!(a == b, "two runs with the same seed differ");
    let dir = tempfile::tempdir().unwrap();
    let (p1, p2) = (dir.path().join("same1.db"), dir.path().join("same2.db"));
    generate_to_path(&p1, &small(), false).unwrap();
    generate_to_path(&p2, &small(), false).unwrap();
    assert!(std::fs::read(&p1).unwrap() == std::fs::read(&p2).unwrap(), "files with the same seed differ");
}

#[test]
fn different_seed_gives_different_data() {
    let a = demo_bytes(&small()).unwrap();
    let b = demo_bytes(&DemoOptions { seed: 2, ..small() }).unwrap();
    assert!(a != b);
    let first = |opts: &DemoOptions| -> (String, String) {
        open(opts).query_row("SELECT timestamp, piece_id FROM events WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap()
    };
    assert_ne!(first(&small()), first(&DemoOptions { seed: 2, ..small() }));
}

#[test]
fn demo_bytes_is_a_sqlite_file() {
    let bytes = demo_bytes(&small()).unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    assert_eq!(bytes.len() % 4096, 0);
    // It loads back as a database with the events.
    let mut conn = Connection::open_in_memory().unwrap();
    conn.deserialize_read_exact(rusqlite::MAIN_DB, &bytes[..], bytes.len(), true).unwrap();
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM events"), 5_000);
}

#[test]
fn counts_are_as_asked() {
    let opts = DemoOptions { events: 3_210, nodes: 5, days: 10, seed: 9, ..DemoOptions::default() };
    let mut conn = Connection::open_in_memory().unwrap();
    let summary = generate(&mut conn, &opts).unwrap();
    assert_eq!(summary.events, 3_210);
    assert_eq!(summary.nodes, vec!["node-1", "node-2", "node-3", "node-4", "node-5"]);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM events"), 3_210);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM storage_snapshots") as u64, summary.snapshots);
    assert_eq!(count(&conn, "SELECT COUNT(DISTINCT node_name) FROM storage_snapshots"), 5);
    assert_eq!(count(&conn, "SELECT COUNT(DISTINCT node_name) FROM events"), 5);
    // About one API snapshot every 5 minutes per node, minus outages, plus log rows.
    let api = count(&conn, "SELECT COUNT(*) FROM storage_snapshots WHERE used_bytes IS NOT NULL");
    let expected = 5 * 10 * 288;
    assert!(api > expected * 9 / 10 && api <= expected + 5, "{api} API snapshots, expected about {expected}");
    // ids follow time.
    assert_eq!(count(&conn, "SELECT MIN(id) FROM events"), 1);
    assert_eq!(count(&conn, "SELECT MAX(id) FROM events"), 3_210);

    // Zero events is a valid (empty-traffic) database.
    let mut conn = Connection::open_in_memory().unwrap();
    let summary = generate(&mut conn, &DemoOptions { events: 0, days: 2, ..DemoOptions::default() }).unwrap();
    assert_eq!(summary.events, 0);
    assert!(summary.snapshots > 0);
}

#[test]
fn timestamps_are_iso_sorted_and_in_range() {
    let opts = small();
    let conn = open(&opts);
    let start = "2025-09-05T12:00:00+00:00";
    let end = "2025-10-10T12:00:00+00:00";
    for table in ["events", "storage_snapshots"] {
        let mut stmt = conn.prepare(&format!("SELECT timestamp, node_name FROM {table} ORDER BY id")).unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut last: HashMap<String, String> = HashMap::new();
        let mut last_any = String::new();
        let mut n = 0;
        while let Some(row) = rows.next().unwrap() {
            let ts: String = row.get(0).unwrap();
            let node: String = row.get(1).unwrap();
            assert!(is_iso(&ts), "{table}: {ts:?} is not in the iso layout");
            assert!(ts.as_str() >= start && ts.as_str() <= end, "{table}: {ts} outside the span");
            if let Some(prev) = last.get(&node) {
                assert!(prev <= &ts, "{table}: {node} goes back in time: {prev} then {ts}");
            }
            assert!(last_any <= ts, "{table}: ids are not in time order: {last_any} then {ts}");
            last_any = ts.clone();
            last.insert(node, ts);
            n += 1;
        }
        assert!(n > 1000);
    }
    for (table, column) in [
        ("hourly_stats", "hour_timestamp"),
        ("reputation_history", "timestamp"),
        ("earnings_estimates", "timestamp"),
        ("payout_history", "timestamp"),
    ] {
        let mut stmt = conn.prepare(&format!("SELECT {column} FROM {table}")).unwrap();
        let all: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert!(!all.is_empty(), "{table} is empty");
        assert!(all.iter().all(|t| is_iso(t)), "{table}.{column} not in iso layout");
    }
    // Events spread over the whole span and both months.
    assert_eq!(count(&conn, "SELECT COUNT(DISTINCT substr(timestamp, 1, 10)) FROM events"), 36);
    assert_eq!(count(&conn, "SELECT COUNT(DISTINCT substr(timestamp, 1, 7)) FROM events"), 2);
}

#[test]
fn schema_matches_the_monitor() {
    let conn = open(&small());
    let columns = |table: &str| -> Vec<String> {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(1)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(
        columns("events"),
        [
            "id",
            "timestamp",
            "action",
            "status",
            "size",
            "piece_id",
            "satellite_id",
            "remote_ip",
            "country",
            "latitude",
            "longitude",
            "error_reason",
            "node_name",
            "duration_ms"
        ]
    );
    assert_eq!(
        columns("storage_snapshots"),
        [
            "id",
            "timestamp",
            "node_name",
            "total_bytes",
            "used_bytes",
            "available_bytes",
            "trash_bytes",
            "used_percent",
            "trash_percent",
            "available_percent"
        ]
    );
    let est = columns("earnings_estimates");
    for c in ["node_name", "period", "satellite", "total_earnings_gross", "held_percentage", "is_finalized"] {
        assert!(est.iter().any(|x| x == c), "earnings_estimates lacks {c}");
    }
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    let tables: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(
        tables,
        [
            "app_persistent_state",
            "earnings_estimates",
            "events",
            "hourly_stats",
            "payout_history",
            "reputation_history",
            "sqlite_sequence",
            "storage_snapshots"
        ]
    );
    // No secondary indexes: only the automatic ones of PRIMARY KEY constraints.
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"), 0);
    // Same statements as the original monitor's file.
    let events_sql: String = conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'events'", [], |r| r.get(0)).unwrap();
    assert_eq!(
        events_sql,
        "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT, size INTEGER, \
         piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT, latitude REAL, longitude REAL, error_reason \
         TEXT, node_name TEXT, duration_ms INTEGER)"
    );
}

#[test]
fn storage_snapshots_have_log_rows_and_an_outage() {
    let conn = open(&small());
    // Log-derived rows: only available_bytes known.
    let log_rows = count(&conn, "SELECT COUNT(*) FROM storage_snapshots WHERE used_bytes IS NULL");
    assert!(log_rows > 50, "{log_rows} log-derived rows");
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM storage_snapshots WHERE used_bytes IS NULL AND (total_bytes IS NOT NULL OR \
             trash_bytes IS NOT NULL OR used_percent IS NOT NULL OR trash_percent IS NOT NULL OR \
             available_percent IS NOT NULL OR available_bytes IS NULL)"
        ),
        0
    );
    // API rows: every column set, available = total - used.
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM storage_snapshots WHERE used_bytes IS NOT NULL AND (total_bytes IS NULL OR \
             available_bytes IS NULL OR trash_bytes IS NULL OR used_percent IS NULL OR trash_percent IS NULL OR \
             available_percent IS NULL OR available_bytes != total_bytes - used_bytes OR used_bytes <= 0)"
        ),
        0
    );
    // Usage moves with traffic.
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM (SELECT node_name FROM storage_snapshots WHERE used_bytes IS NOT NULL \
             GROUP BY node_name HAVING MIN(used_bytes) < MAX(used_bytes))"
        ),
        3
    );
    // A multi-hour gap in node-1's API snapshots (an outage), and 5-minute cadence otherwise.
    let mut stmt =
        conn.prepare("SELECT timestamp FROM storage_snapshots WHERE node_name = 'node-1' AND used_bytes IS NOT NULL ORDER BY id").unwrap();
    let times: Vec<i64> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|t| chrono::DateTime::parse_from_rfc3339(&t.unwrap()).unwrap().timestamp_micros())
        .collect();
    let mut gaps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_unstable();
    let hour = 3_600_000_000;
    assert!(*gaps.last().unwrap() > 2 * hour, "largest gap {} µs", gaps.last().unwrap());
    let median = gaps[gaps.len() / 2];
    assert!((295_000_000..=305_000_000).contains(&median), "median gap {median} µs");
}

#[test]
fn events_look_like_a_node() {
    let conn = open(&DemoOptions { events: 20_000, ..DemoOptions::default() });
    let mut stmt = conn.prepare("SELECT DISTINCT satellite_id FROM events ORDER BY satellite_id").unwrap();
    let sats: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(sats, SATELLITES);
    // Uneven satellite shares: us1 leads, saltlake trails.
    let share = |id: &str| count(&conn, &format!("SELECT COUNT(*) FROM events WHERE satellite_id = '{id}'"));
    assert!(share(SATELLITES[1]) > 2 * share(SATELLITES[0]));
    assert!(share(SATELLITES[3]) < share(SATELLITES[0]));

    let mut stmt = conn.prepare("SELECT action, COUNT(*) FROM events GROUP BY action").unwrap();
    let actions: HashMap<String, i64> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    for a in ["GET", "PUT", "GET_AUDIT", "GET_REPAIR", "PUT_REPAIR", "DELETE"] {
        assert!(actions.get(a).copied().unwrap_or(0) > 200, "too few {a}: {actions:?}");
    }
    assert!(actions["GET"] > 5 * actions["GET_AUDIT"] && actions["PUT"] > 3 * actions["DELETE"]);
    let statuses = count(&conn, "SELECT COUNT(DISTINCT status) FROM events");
    assert_eq!(statuses, 3);
    let success = count(&conn, "SELECT COUNT(*) FROM events WHERE status = 'success'");
    assert!(success > 16_000 && success < 19_500, "{success} successes");
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM events WHERE action = 'DELETE' AND size != 0"), 0);
    assert!(count(&conn, "SELECT MAX(size) FROM events WHERE action = 'GET_AUDIT'") <= 10_240);
    assert_eq!(count(&conn, "SELECT MAX(size) FROM events"), 2_319_872);
    assert!(count(&conn, "SELECT COUNT(*) FROM events WHERE size = 2319872") > 4_000);
    assert!(count(&conn, "SELECT COUNT(*) FROM events WHERE status != 'success' AND error_reason IS NULL") == 0);
    assert!(count(&conn, "SELECT COUNT(*) FROM events WHERE status = 'success' AND error_reason IS NOT NULL") == 0);

    // Durations: heavy tail past 10 s, some NULL, a few 0, never negative.
    assert!(count(&conn, "SELECT COUNT(*) FROM events WHERE duration_ms > 10000") > 50);
    assert!(count(&conn, "SELECT COUNT(*) FROM events WHERE duration_ms >= 5000 AND duration_ms < 10000") > 50);
    assert!(count(&conn, "SELECT COUNT(*) FROM events WHERE duration_ms IS NULL") > 200);
    let zeros = count(&conn, "SELECT COUNT(*) FROM events WHERE duration_ms = 0");
    assert!(zeros > 20 && zeros < 1_000, "{zeros} zero durations");
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM events WHERE duration_ms < 0"), 0);
    let median_get: i64 = conn
        .query_row(
            "SELECT duration_ms FROM events WHERE action = 'GET' AND duration_ms IS NOT NULL ORDER BY duration_ms \
             LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM events WHERE action = 'GET' AND duration_ms IS NOT NULL)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!((100..600).contains(&median_get), "median GET {median_get} ms");

    // Every written column is set; peers and pieces look real.
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM events WHERE timestamp IS NULL OR action IS NULL OR status IS NULL OR size IS \
             NULL OR piece_id IS NULL OR satellite_id IS NULL OR node_name IS NULL OR remote_ip IS NULL OR \
             country IS NULL"
        ),
        0
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM events WHERE length(piece_id) != 52"), 0);
    assert_eq!(count(&conn, "SELECT COUNT(DISTINCT piece_id) FROM events"), 20_000);
    assert!(count(&conn, "SELECT COUNT(DISTINCT country) FROM events") >= 8);
    assert!(count(&conn, "SELECT COUNT(*) FROM events WHERE country = 'Unknown' AND latitude IS NULL") > 0);

    // The hourly aggregates agree with the events, as the original's aggregator computes them.
    let dl: i64 = count(&conn, "SELECT SUM(dl_success) FROM hourly_stats");
    assert_eq!(dl, count(&conn, "SELECT COUNT(*) FROM events WHERE action LIKE '%GET%' AND action != 'GET_AUDIT' AND status = 'success'"));
    let ul: i64 = count(&conn, "SELECT SUM(total_upload_size) FROM hourly_stats");
    assert_eq!(ul, count(&conn, "SELECT SUM(size) FROM events WHERE action LIKE '%PUT%' AND status = 'success'"));
}

#[test]
fn nodes_have_different_ages() {
    let conn = open(&small());
    let first = |node: &str| -> Option<String> {
        conn.query_row("SELECT MIN(period) FROM earnings_estimates WHERE node_name = ?1", [node], |r| r.get(0))
            .optional()
            .unwrap()
            .flatten()
    };
    assert_eq!(first("node-1").as_deref(), Some("2025-04")); // 6 months: held 50 %
    assert_eq!(first("node-2"), None); // age from its first event: held 75 %
    assert_eq!(first("node-3").as_deref(), Some("2024-01")); // 21 months: no held-back
                                                             // Ages follow `end`.
    let conn = open(&DemoOptions { end: Utc.with_ymd_and_hms(2024, 3, 2, 8, 30, 0).unwrap(), days: 20, ..small() });
    let p: String = conn.query_row("SELECT MIN(period) FROM earnings_estimates WHERE node_name = 'node-1'", [], |r| r.get(0)).unwrap();
    assert_eq!(p, "2023-09");
    let last: String = conn.query_row("SELECT MAX(timestamp) FROM events", [], |r| r.get(0)).unwrap();
    assert!(last.as_str() < "2024-03-02T08:30:00+00:00" && last.as_str() > "2024-03-02T07");
}

#[test]
fn refuses_bad_options_existing_files_and_used_connections() {
    for bad in [DemoOptions { nodes: 0, ..small() }, DemoOptions { days: 0, ..small() }, DemoOptions { nodes: 1000, days: 1000, ..small() }]
    {
        assert!(matches!(demo_bytes(&bad), Err(DemoError::InvalidOptions(_))), "{bad:?} accepted");
    }
    let mut conn = Connection::open_in_memory().unwrap();
    generate(&mut conn, &small()).unwrap();
    assert!(matches!(generate(&mut conn, &small()), Err(DemoError::NotEmpty)));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exists.db");
    std::fs::write(&path, b"keep me").unwrap();
    assert!(matches!(generate_to_path(&path, &small(), false), Err(DemoError::Exists(_))));
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    generate_to_path(&path, &small(), true).unwrap();
    assert!(std::fs::read(&path).unwrap().starts_with(b"SQLite format 3\0"));
}

/// FNV-1a, 64 bits: a stable hash of the file's bytes (std's `DefaultHasher` may change between
/// Rust releases, and the pin must not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

/// The exact bytes of a few small demo databases, pinned: a change to the generator (its calendar
/// maths, its random draws, the row order) that moves a single byte fails here. The spans cross
/// the calendar's corners: leap days (2024, 2000), a century that is not a leap year (2100), a
/// year end with an end that is not a whole second, the earliest and latest allowed spans, and eight nodes' earnings histories (up to 21 months
/// back). The bytes also depend on the bundled SQLite's file format: should a SQLite upgrade
/// change them, check that the rows are unchanged (e.g. with the previous build's `sqlite3
/// .dump`) before pinning the new hashes. Re-pinned once on purpose: reputation scores in
/// percent, hourly polls over the last two days and a flaky node (the trend panels of issue 13).
#[test]
fn demo_bytes_are_pinned() {
    let at = |y, m, d, h, min, s| Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap();
    let cases = [
        (DemoOptions { events: 2_000, days: 5, ..DemoOptions::default() }, 0x192b_93b3_2f19_278a),
        (DemoOptions { events: 1_500, nodes: 8, days: 40, seed: 7, end: at(2024, 3, 1, 0, 0, 0) }, 0x7549_f9b6_ad79_f9fa),
        (DemoOptions { events: 700, nodes: 2, days: 3, seed: 3, end: at(2000, 3, 1, 23, 59, 59) }, 0xf921_5c69_9690_d5ef),
        (DemoOptions { events: 700, nodes: 2, days: 3, seed: 4, end: at(2100, 3, 1, 0, 30, 0) }, 0x6a69_23ab_6093_9b9e),
        (
            DemoOptions { events: 900, nodes: 3, days: 9, seed: 5, end: at(2026, 1, 3, 5, 6, 7) + chrono::Duration::microseconds(123_457) },
            0x69f1_12e9_6913_9729,
        ),
        (DemoOptions { events: 300, nodes: 1, days: 2, seed: 6, end: at(1972, 1, 3, 0, 0, 0) }, 0xde43_a4dd_e220_cb04),
        (DemoOptions { events: 300, nodes: 1, days: 2, seed: 8, end: at(9998, 12, 31, 12, 0, 0) }, 0x27bf_a7c9_1038_5027),
    ];
    let got: Vec<u64> = cases.iter().map(|(opts, _)| fnv1a(&demo_bytes(opts).unwrap())).collect();
    let want: Vec<u64> = cases.iter().map(|(_, h)| *h).collect();
    assert_eq!(got, want, "the demo's bytes changed: {got:#018x?}");
}

/// The trend panels have something to show: scores in percent as the monitor stores them, hourly
/// polls over the last day (the 24-hour chart), and one flaky satellite under the 95 % online
/// threshold on the last node.
#[test]
fn reputation_fills_the_trend_panels() {
    let conn = open(&DemoOptions::default());
    let (lo, hi) = conn
        .query_row("SELECT MIN(audit_score), MAX(online_score) FROM reputation_history", [], |r| {
            Ok((r.get::<_, f64>(0)?, r.get::<_, f64>(1)?))
        })
        .unwrap();
    assert!(lo > 99.0 && hi <= 100.0, "percent: {lo} .. {hi}");
    let last_day =
        count(&conn, "SELECT COUNT(*) FROM reputation_history WHERE node_name = 'node-1' AND timestamp >= '2025-10-09T12:00:00'");
    assert!(last_day >= 4 * 20, "hourly polls in the last day: {last_day}");
    let flaky = count(&conn, "SELECT COUNT(DISTINCT satellite) FROM reputation_history WHERE node_name = 'node-3' AND online_score < 95 AND timestamp >= '2025-10-10T11:00:00'");
    assert_eq!(flaky, 1);
    let healthy = count(&conn, "SELECT COUNT(*) FROM reputation_history WHERE node_name <> 'node-3' AND online_score < 95");
    assert_eq!(healthy, 0);
    assert!(count(&conn, "SELECT COUNT(*) FROM hourly_stats WHERE hour_timestamp >= '2025-10-09T12:00:00'") >= 24);
    assert!(count(&conn, "SELECT COUNT(*) FROM payout_history") > 0);
}
