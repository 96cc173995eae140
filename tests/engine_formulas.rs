//! Formula edge cases of ANALYTICS sections 3–9 on small databases built here, run through the
//! whole engine (Analyzer → Report).

use engine::cache::ManualClock;
use engine::latency::{round2, Num};
use engine::report::{Forecast, PeriodReport, Report};
use engine::time::{parse_rfc3339, Micros};
use engine::{Analyzer, ReportOptions, Warnings};
use rusqlite::{params, Connection, MAIN_DB};

const SCHEMA: &str = "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT, \
    size INTEGER, piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT, latitude REAL, longitude REAL, \
    error_reason TEXT, node_name TEXT, duration_ms INTEGER); \
    CREATE TABLE storage_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, \
    node_name TEXT NOT NULL, total_bytes INTEGER, used_bytes INTEGER, available_bytes INTEGER, trash_bytes INTEGER, \
    used_percent REAL, trash_percent REAL, available_percent REAL); \
    CREATE TABLE earnings_estimates (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, \
    node_name TEXT NOT NULL, satellite TEXT NOT NULL, period TEXT NOT NULL);";

const TB: f64 = 1_099_511_627_776.0;

struct Db(Connection);

impl Db {
    fn new() -> Db {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(SCHEMA).unwrap();
        Db(c)
    }
    #[allow(clippy::too_many_arguments)]
    fn event(&self, ts: &str, action: &str, status: &str, size: i64, sat: Option<&str>, node: &str, dur: Option<i64>) -> &Self {
        self.0
            .execute(
                "INSERT INTO events (timestamp, action, status, size, piece_id, satellite_id, node_name, duration_ms) VALUES (?1, ?2, ?3, ?4, 'P', ?5, ?6, ?7)",
                params![ts, action, status, size, sat, node, dur],
            )
            .unwrap();
        self
    }
    fn snap(&self, ts: &str, node: &str, used: Option<i64>) -> &Self {
        self.0
            .execute("INSERT INTO storage_snapshots (timestamp, node_name, used_bytes) VALUES (?1, ?2, ?3)", params![ts, node, used])
            .unwrap();
        self
    }
    fn estimate(&self, node: &str, period: &str) -> &Self {
        self.0
            .execute(
                "INSERT INTO earnings_estimates (timestamp, node_name, satellite, period) VALUES ('x', ?1, 's', ?2)",
                params![node, period],
            )
            .unwrap();
        self
    }
    fn analyzer(&mut self) -> Analyzer {
        let bytes = self.0.serialize(MAIN_DB).unwrap().to_vec();
        let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).unwrap();
        a.build_indexes().unwrap();
        a
    }
    fn report(&mut self, now: &str) -> Report {
        self.analyzer().report(&ReportOptions::new(at(now))).unwrap()
    }
}

fn at(s: &str) -> Micros {
    parse_rfc3339(s).unwrap()
}

fn period<'a>(r: &'a Report, node: &str, p: &str) -> &'a PeriodReport {
    r.nodes.get(node).unwrap().periods.get(p).unwrap()
}

const A: &str = "sat-aaaa-1";
const B: &str = "sat-bbbb-2";

#[test]
fn no_snapshots_means_zero_storage_whatever_the_traffic() {
    let mut db = Db::new();
    db.event("2025-10-02T00:00:00+00:00", "PUT", "success", 1_000_000, Some(A), "n", None);
    let r = db.report("2025-10-10T12:00:00+00:00");
    let p = period(&r, "n", "2025-10");
    let s = p.satellites.get(A).unwrap();
    assert_eq!((s.storage.storage_bytes_hour, s.storage.storage_earnings_gross), (0, 0.0));
    match &p.forecast {
        Forecast::Full(f) => assert_eq!(f.data_confidence, 0.7),
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_snapshot_in_a_closed_month_is_zero_and_in_the_current_month_projects() {
    let mut db = Db::new();
    db.event("2025-09-02T00:00:00+00:00", "GET", "success", 10, Some(A), "n", None)
        .snap("2025-09-15T00:00:00+00:00", "n", Some(1 << 40))
        .snap("2025-10-10T10:00:00+00:00", "n", Some(1 << 40));
    let r = db.report("2025-10-10T12:00:00+00:00");
    assert_eq!(r.periods, ["2025-10", "2025-09"]);
    let sep = period(&r, "n", "2025-09").satellites.get(A).unwrap();
    assert_eq!(sep.storage.storage_bytes_hour, 0);
    // October: 2 hours projected to now; no October traffic, so the one satellite takes 1/1.
    let oct = period(&r, "n", "2025-10").satellites.get(A).unwrap();
    let bh = ((1u64 << 40) as f64) * ((7_200_000_000.0 / 1e6) / 3600.0);
    assert_eq!(oct.storage.storage_bytes_hour, bh as i64);
    let gross = ((bh / 1073741824.0) / ((1024 * 24 * 31) as f64)) * 1.5;
    assert_eq!(oct.storage.storage_earnings_gross, gross);
    assert_eq!(oct.traffic.egress_bytes, 0);
}

#[test]
fn gap_and_null_used_bytes() {
    let mut db = Db::new();
    db.event("2025-09-02T00:00:00+00:00", "GET", "success", 10, Some(A), "n", None)
        .snap("2025-09-01T00:00:00+00:00", "n", Some(100))
        .snap("2025-09-01T06:00:00+00:00", "n", None) // log-derived row: not used by earnings
        .snap("2025-09-02T00:00:00.000001+00:00", "n", Some(300));
    let r = db.report("2025-10-01T00:00:00.5+00:00");
    let s = period(&r, "n", "2025-09").satellites.get(A).unwrap();
    let bh = (400.0 * 0.5) * ((86_400_000_001.0 / 1e6) / 3600.0);
    assert_eq!(s.storage.storage_bytes_hour, bh as i64);
    // The first snapshot (used_bytes NULL included) gives the node's start.
    assert_eq!(r.nodes.get("n").unwrap().node_start_date.as_deref(), Some("2025-09-01T00:00:00+00:00"));
}

#[test]
fn month_boundaries_and_projection_at_the_end_instant() {
    let mut db = Db::new();
    db.event("2025-09-30T23:59:59.999999+00:00", "GET", "success", 7, Some(A), "n", None)
        .event("2025-10-01T00:00:00+00:00", "GET", "success", 11, Some(A), "n", None)
        .snap("2025-09-30T23:00:00+00:00", "n", Some(3600));
    // now = the end of September exactly: September is still projected (quirk kept).
    let r = db.report("2025-10-01T00:00:00+00:00");
    assert_eq!(r.current_period, "2025-10");
    let sep = period(&r, "n", "2025-09").satellites.get(A).unwrap();
    assert_eq!(sep.traffic.egress_bytes, 7);
    assert_eq!(sep.storage.storage_bytes_hour, 3600);
    let oct = period(&r, "n", "2025-10").satellites.get(A).unwrap();
    assert_eq!(oct.traffic.egress_bytes, 11);
    assert_eq!(oct.storage.storage_bytes_hour, 0);
    // Day 1 of the month: no extrapolation.
    match &period(&r, "n", "2025-10").forecast {
        Forecast::Full(f) => assert_eq!(f.extrapolation_factor, 1.0),
        other => panic!("{other:?}"),
    }
}

#[test]
fn february_of_a_leap_year() {
    let mut db = Db::new();
    db.event("2024-02-03T00:00:00+00:00", "GET", "success", 1, Some(A), "n", None)
        .snap("2024-02-01T00:00:00+00:00", "n", Some(1 << 30))
        .snap("2024-03-01T00:00:00+00:00", "n", Some(1 << 30));
    let r = db.report("2024-02-15T00:00:00+00:00");
    let p = period(&r, "n", "2024-02");
    let s = p.satellites.get(A).unwrap();
    let bh = ((2u64 << 30) as f64 * 0.5) * 0.0 + ((1u64 << 30) as f64) * ((14.0 * 86400.0) / 3600.0);
    assert_eq!(s.storage.storage_earnings_gross, ((bh / 1073741824.0) / ((1024 * 24 * 29) as f64)) * 1.5);
    assert_eq!(p.month_end_estimate.elapsed_fraction, (14.0 * 86400.0) / ((29 * 86400) as f64));
    match &p.forecast {
        Forecast::Full(f) => assert_eq!(f.extrapolation_factor, 1.0 / (15.0 / 29.0)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn december_to_january() {
    let mut db = Db::new();
    db.event("2024-12-31T23:59:59+00:00", "GET", "success", 5, Some(A), "n", None)
        .event("2025-01-01T00:00:00+00:00", "GET", "success", 6, Some(A), "n", None)
        .estimate("n", "2024-10");
    let r = db.report("2025-01-05T00:00:00+00:00");
    assert_eq!(r.periods, ["2025-01", "2024-12"]);
    assert_eq!(period(&r, "n", "2024-12").satellites.get(A).unwrap().traffic.egress_bytes, 5);
    assert_eq!(period(&r, "n", "2025-01").satellites.get(A).unwrap().traffic.egress_bytes, 6);
    assert!(period(&r, "n", "2024-12").satellites.get(A).unwrap().estimate.is_finalized);
    let n = r.nodes.get("n").unwrap();
    assert_eq!((n.node_age_months, n.held_percentage), (3, 0.75));
    assert_eq!(n.node_start_date.as_deref(), Some("2024-10-01T00:00:00+00:00"));
}

#[test]
fn null_satellite_rows() {
    let mut db = Db::new();
    db.event("2025-10-02T00:00:00+00:00", "GET", "success", 100, None, "n", None)
        .event("2025-10-02T00:00:01+00:00", "PUT", "success", 300, Some(A), "n", None)
        .snap("2025-10-01T00:00:00+00:00", "n", Some(1000))
        .snap("2025-10-02T00:00:00+00:00", "n", Some(1000));
    let r = db.report("2025-10-10T00:00:00+00:00");
    let n = r.nodes.get("n").unwrap();
    assert_eq!(n.satellites, [None, Some(A.to_string())]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["nodes"]["n"]["satellites"][0], serde_json::Value::Null);
    let p = period(&r, "n", "2025-10");
    assert_eq!(p.satellites.keys().collect::<Vec<_>>(), ["null", A]);
    let null = p.satellites.get("null").unwrap();
    assert_eq!((null.name.as_str(), null.traffic.egress_bytes), ("", 0));
    // Allocation: the NULL group counts in the total (100 of 400) and gets its share.
    let a = p.satellites.get(A).unwrap();
    let total_bh = 1000.0 * 24.0 + 1000.0 * (8.0 * 24.0);
    assert_eq!(a.storage.storage_bytes_hour, (total_bh * 0.75) as i64);
    assert_eq!(null.storage.storage_bytes_hour, (total_bh * 0.25) as i64);
    assert!(r.warnings.iter().any(|w| w.contains("NULL satellite_id")), "{:?}", r.warnings);
}

#[test]
fn allocation_without_traffic_shares_equally_with_null_in_n() {
    let mut db = Db::new();
    db.event("2025-09-02T00:00:00+00:00", "GET", "success", 100, None, "n", None)
        .event("2025-09-02T00:00:01+00:00", "GET", "success", 300, Some(A), "n", None)
        .event("2025-09-02T00:00:01+00:00", "GET", "success", 300, Some(B), "n", None)
        .snap("2025-10-01T00:00:00+00:00", "n", Some(3000))
        .snap("2025-10-02T00:00:00+00:00", "n", Some(3000));
    let r = db.report("2025-10-10T00:00:00+00:00");
    let p = period(&r, "n", "2025-10");
    let total = 3000.0 * 24.0 + 3000.0 * (8.0 * 24.0);
    for key in ["null", A, B] {
        assert_eq!(p.satellites.get(key).unwrap().storage.storage_bytes_hour, (total * (1.0 / 3.0)) as i64, "{key}");
    }
    // Satellites without traffic in the period still appear, with zeros.
    assert_eq!(p.satellites.get(A).unwrap().traffic.egress_bytes, 0);
}

#[test]
fn traffic_categories_and_like_case_rules() {
    let mut db = Db::new();
    for (action, status, size) in [
        ("GET", "success", 1),
        ("get", "success", 2),       // LIKE is case-insensitive: egress
        ("Get_Audit", "success", 4), // != 'GET_AUDIT' is case-sensitive: egress
        ("TARGET", "success", 8),    // contains GET: egress
        ("GET", "failed", 16),       // not success: nothing
        ("GET_REPAIR", "success", 32),
        ("GET_AUDIT", "success", 64),
        ("PUT", "success", 128),
        ("PUT_REPAIR", "success", 256),
        ("DELETE", "success", 512),
    ] {
        db.event("2025-10-02T00:00:00+00:00", action, status, size, Some(A), "n", None);
    }
    let r = db.report("2025-10-10T00:00:00+00:00");
    let t = &period(&r, "n", "2025-10").satellites.get(A).unwrap().traffic;
    assert_eq!((t.egress_bytes, t.repair_bytes, t.audit_bytes), (15, 32, 64));
    assert_eq!(t.egress_earnings_gross, (15.0 / TB) * 2.0);
    assert_eq!(t.repair_earnings_net, (32.0 / TB) * 2.0);
}

#[test]
fn node_age_sources() {
    let mut db = Db::new();
    db.event("2025-08-20T00:00:00+00:00", "GET", "success", 1, Some(A), "events-only", None)
        .snap("2025-07-20T00:00:00+00:00", "snap-first", None)
        .event("2025-08-20T00:00:00+00:00", "GET", "success", 1, Some(A), "snap-first", None)
        .estimate("bad-estimate", "2025-7") // does not parse: fall back to source 3
        .event("2025-09-20T00:00:00Z", "GET", "success", 1, Some(A), "bad-estimate", None)
        .event("garbage", "GET", "success", 1, Some(A), "unparseable", None);
    let r = db.report("2025-10-10T00:00:00+00:00");
    let age = |n: &str| {
        let n = r.nodes.get(n).unwrap();
        (n.node_age_months, n.held_percentage, n.node_start_date.clone())
    };
    assert_eq!(age("events-only"), (2, 0.75, Some("2025-08-20T00:00:00+00:00".into())));
    assert_eq!(age("snap-first"), (3, 0.75, Some("2025-07-20T00:00:00+00:00".into())));
    assert_eq!(age("bad-estimate"), (1, 0.75, Some("2025-09-20T00:00:00+00:00".into())));
    assert_eq!(age("unparseable"), (16, 0.0, None));
}

#[test]
fn snapshot_only_node_has_the_no_data_forecast() {
    let mut db = Db::new();
    db.event("2025-10-02T00:00:00+00:00", "GET", "success", 1, Some(A), "n", None).snap("2025-10-02T00:00:00+00:00", "lonely", Some(5));
    let r = db.report("2025-10-10T00:00:00+00:00");
    let p = period(&r, "lonely", "2025-10");
    assert!(p.satellites.is_empty());
    assert_eq!(serde_json::to_string(&p.forecast).unwrap(), r#"{"forecasted_payout":0.0,"confidence":0.0,"reason":"No data available"}"#);
}

#[test]
fn unparseable_snapshot_timestamp_gives_zero_storage_with_a_warning() {
    let mut db = Db::new();
    db.event("2025-10-02T00:00:00+00:00", "GET", "success", 1, Some(A), "n", None).snap("2025-10-01T00:00:00+00:00", "n", Some(5)).snap(
        "2025-10-02T00:00:00",
        "n",
        Some(5),
    ); // naive: the original fails
    let r = db.report("2025-10-10T00:00:00+00:00");
    assert_eq!(period(&r, "n", "2025-10").satellites.get(A).unwrap().storage.storage_bytes_hour, 0);
    assert!(r.warnings.iter().any(|w| w.contains("storage is reported as 0")), "{:?}", r.warnings);
    assert!(r.warnings.iter().any(|w| w.starts_with("storage_snapshots: 1 row(s) have a timestamp not in the layout")), "{:?}", r.warnings);
}

#[test]
fn odd_event_rows_are_warned_about() {
    let mut db = Db::new();
    db.event("2025-10-02T00:00:00+00:00", "GET", "success", -5, Some(A), "n", None).event(
        "2025-10-02 00:00:00",
        "GET",
        "success",
        5,
        Some(A),
        "n",
        None,
    );
    let r = db.report("2025-10-10T00:00:00+00:00");
    assert!(r.warnings.iter().any(|w| w.starts_with("events: 1 row(s) have a negative size (e.g. -5)")), "{:?}", r.warnings);
    assert!(r.warnings.iter().any(|w| w.starts_with("events: 1 row(s) have a timestamp not in the layout")), "{:?}", r.warnings);
    // The space-separated row sorts before 'T' on the same day but after the 1st: it is in October.
    assert_eq!(period(&r, "n", "2025-10").satellites.get(A).unwrap().traffic.egress_bytes, 0);
}

fn num(n: Num) -> f64 {
    n.as_f64()
}

#[test]
fn latency_percentile_examples_and_empty_categories() {
    let mut db = Db::new();
    for (i, d) in [100, 200, 300, 400].iter().enumerate() {
        db.event(&format!("2025-10-10T11:0{i}:00+00:00"), "GET", "success", 1, Some(A), "n", Some(*d));
    }
    let mut a = db.analyzer();
    let mut w = Warnings::default();
    let s = a.latency_stats(&["n".to_string()], 1, at("2025-10-10T12:00:00+00:00"), &mut w).unwrap();
    let g = &s.statistics.get;
    assert_eq!((num(g.p50), num(g.p95), num(g.p99)), (200.0, 380.0, 396.0));
    assert_eq!(g.median, Num::Float(250.0));
    assert_eq!(g.mean, Num::Int(250));
    assert_eq!(s.statistics.put.count, 0);
    assert_eq!(
        serde_json::to_string(&s.statistics.audit).unwrap(),
        r#"{"count":0,"mean":0,"median":0,"p50":0,"p95":0,"p99":0,"min":0,"max":0}"#
    );
    let h = a.latency_histogram(&["n".to_string()], 1, 250, at("2025-10-10T12:00:00+00:00"), &mut w).unwrap();
    assert_eq!(h.iter().map(|b| (b.bucket_start_ms, b.count)).collect::<Vec<_>>(), [(0, 2), (250, 2)]);
    assert_eq!(h[1].label, "250-500ms");
}

#[test]
fn latency_odd_count_median_and_window_without_upper_bound() {
    let mut db = Db::new();
    for (i, d) in [10, 20, 30, 40, 50].iter().enumerate() {
        db.event(&format!("2025-10-10T11:0{i}:00+00:00"), "PUT", "success", 1, Some(A), "n", Some(*d));
    }
    db.event("2025-10-11T00:00:00+00:00", "PUT", "success", 1, Some(A), "n", Some(60)); // after now: counted
    db.event("2025-10-10T11:30:00+00:00", "PUT", "failed", 1, Some(A), "n", Some(7000)); // slow, not in stats
    let mut a = db.analyzer();
    let s = a.latency_stats(&["n".to_string()], 1, at("2025-10-10T12:00:00+00:00"), &mut Warnings::default()).unwrap();
    let p = &s.statistics.put;
    assert_eq!(p.count, 6);
    assert_eq!(p.median, Num::Float(35.0));
    assert_eq!(s.total_operations, 7);
    assert_eq!(s.slow_operations.len(), 1);
}

#[test]
fn python_rounding_ties() {
    assert_eq!(round2(0.125), 0.12);
    assert_eq!(round2(0.375), 0.38);
    assert_eq!(round2(2.675), 2.67);
    assert_eq!(round2(454.79999999999995), 454.8);
}
