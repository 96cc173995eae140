//! The dashboard's view-model ([`model::view`]) computed from the engine's results: the
//! [`crate::session::Session`] calls [`analyze`] on its [`Analyzer`] and posts the resulting
//! [`Analysis`] to the page, which only renders it. "All nodes" sums, the months with data and
//! the success rates are computed here.

pub use model::view::*;

use crate::report::{Diagnostics, PeriodReport};
use crate::time::{iso, Micros, Period};
use crate::{Analyzer, EngineError, ReportOptions, Warnings};

/// At most this many months in the period picker.
const MAX_MONTHS: usize = 240;

/// The instant of a [`NowMode`] and the file's default now; `wall_now` is the wall clock.
pub fn resolve_now(a: &Analyzer, mode: NowMode, wall_now: Micros) -> Result<(Micros, Option<Micros>), EngineError> {
    let file_now = a.default_now()?;
    let now = match mode {
        NowMode::File => file_now.unwrap_or(wall_now),
        NowMode::Current => wall_now,
        NowMode::At(t) => t,
    };
    Ok((now, file_now))
}

/// The full report, exactly as `storj-lens analyze FILE --now <now>` prints it.
pub fn report_json(a: &mut Analyzer, now: Micros) -> Result<(String, Diagnostics), EngineError> {
    let report = a.report(&ReportOptions::new(now))?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| EngineError::InvalidArgument(e.to_string()))?;
    Ok((json, report.diagnostics))
}

/// Months from the oldest to the newest row of the nodes (events and snapshots), plus the month
/// of now, newest first. Each bound is one index lookup per node and table.
pub fn months_with_data(a: &Analyzer, nodes: &[String], now: Micros) -> Result<Vec<Period>, EngineError> {
    let conn = a.connection();
    let mut lo: Option<Period> = None;
    let mut hi: Option<Period> = None;
    let mut tables = vec!["events"];
    if a.schema().has_snapshots {
        tables.push("storage_snapshots");
    }
    let mut merge = |p: Option<Period>, is_min: bool| {
        if let Some(p) = p {
            let slot = if is_min { &mut lo } else { &mut hi };
            *slot = Some(match *slot {
                None => p,
                Some(q) if is_min => q.min(p),
                Some(q) => q.max(p),
            });
        }
    };
    // After the single pass its per-node month range (events and snapshots) answers without SQL.
    if let Some(fast) = a.single_pass_data() {
        tables.clear();
        for node in nodes {
            if let Some((first, last)) = fast.month_range(node) {
                merge(first, true);
                merge(last, false);
            }
        }
    }
    for table in tables {
        for (agg, is_min) in [("MIN", true), ("MAX", false)] {
            let sql = format!(
                "SELECT substr({agg}(timestamp), 1, 7) FROM {table} WHERE node_name = ?1 AND timestamp >= '1000-01-01' AND timestamp < '9999-12-32'"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            for node in nodes {
                let month: Option<String> = stmt.query_row([node], |r| r.get::<_, Option<String>>(0)).unwrap_or(None);
                merge(month.as_deref().and_then(Period::parse), is_min);
            }
        }
    }
    let current = Period::of(now);
    let lo = lo.map_or(current, |p| p.min(current));
    let hi = hi.map_or(current, |p| p.max(current));
    let mut out = Vec::new();
    let mut p = hi;
    while p >= lo && out.len() < MAX_MONTHS {
        out.push(p);
        p = p.previous();
    }
    Ok(out)
}

/// Merges per-node period reports into the rows of the earnings table and the summary.
/// Rows keep first-appearance order; sums start from 0.0 in node order.
pub fn combine(per_node: &[(String, PeriodReport)], period: Period) -> (Vec<SatelliteRow>, SatelliteRow, Summary) {
    let mut rows: Vec<SatelliteRow> = Vec::new();
    let mut summary = Summary { elapsed_fraction: 1.0, ..Summary::default() };
    for (i, (_, pr)) in per_node.iter().enumerate() {
        for (id, s) in pr.satellites.iter() {
            let row = SatelliteRow::from_report(id, s, period.days_in_month());
            match rows.iter_mut().find(|r| r.id == *id) {
                Some(r) => r.add(&row),
                None => rows.push(row),
            }
        }
        summary.gross += pr.payout.gross;
        summary.held += pr.payout.held;
        summary.paid += pr.payout.paid;
        summary.estimate += pr.month_end_estimate.estimate;
        if i == 0 {
            summary.elapsed_fraction = pr.month_end_estimate.elapsed_fraction;
        }
    }
    let mut totals = SatelliteRow { name: "Total".into(), ..SatelliteRow::default() };
    for r in &rows {
        totals.add(r);
    }
    (rows, totals, summary)
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The latency panel for `nodes` (one node or all), a window and a bucket size.
pub fn latency_panel(
    a: &mut Analyzer,
    nodes: &[String],
    hours: Option<i64>,
    bucket_ms: i64,
    now: Micros,
    w: &mut Warnings,
) -> Result<LatencyPanel, EngineError> {
    if !a.schema().has_duration {
        return Ok(LatencyPanel::Unavailable(
            EngineError::Unavailable { what: "latency statistics (the events table has no `duration_ms` column)".into() }.to_string(),
        ));
    }
    if nodes.is_empty() {
        return Ok(LatencyPanel::Unavailable("no latency data: the file has no events".into()));
    }
    let h = hours.unwrap_or(WHOLE_FILE_HOURS);
    let stats = a.latency_stats(nodes, h, now, w)?;
    let histogram = a.latency_histogram(nodes, h, bucket_ms, now, w)?;
    let success = match hours {
        Some(h) => Some(a.success_counts(nodes, h, now)?),
        None => None,
    };
    let s = &stats.statistics;
    let categories = [("get", &s.get), ("put", &s.put), ("audit", &s.audit), ("all", &s.all)]
        .into_iter()
        .enumerate()
        .map(|(i, (name, c))| CategoryRow {
            name: name.into(),
            count: c.count,
            mean: c.mean.as_f64(),
            median: c.median.as_f64(),
            p95: c.p95.as_f64(),
            p99: c.p99.as_f64(),
            min: c.min,
            max: c.max,
            success_rate: success.and_then(|s| (s[i].1 > 0).then(|| s[i].0 as f64 / s[i].1 as f64)),
            attempts: success.map_or(0, |s| s[i].1),
        })
        .collect();
    Ok(LatencyPanel::Ready(LatencyView {
        hours,
        bucket_ms,
        categories,
        histogram: histogram
            .into_iter()
            .map(|b| HistogramBar { start_ms: b.bucket_start_ms, end_ms: b.bucket_end_ms, count: b.count, label: b.label })
            .collect(),
        slow: stats
            .slow_operations
            .iter()
            .map(|o| SlowRow {
                timestamp: value_text(&o.timestamp),
                node: value_text(&o.node_name),
                satellite: value_text(&o.satellite_id),
                action: value_text(&o.action),
                status: value_text(&o.status),
                duration_ms: value_text(&o.duration_ms),
                size: value_text(&o.size),
            })
            .collect(),
        total_operations: stats.total_operations,
        operations_with_latency: stats.operations_with_latency,
    }))
}

/// The engine's diagnostics (of the last full report) with the live cache counts.
pub fn diagnostics_view(a: &Analyzer, d: Option<&Diagnostics>) -> DiagnosticsView {
    DiagnosticsView {
        engine: d.map_or_else(Vec::new, |d| d.timings_ms.iter().map(|(k, v)| Timing { stage: k.into(), ms: *v }).collect()),
        indexes: a.built_indexes().iter().map(|i| IndexRow { name: i.name.clone(), created: i.created, ms: i.ms }).collect(),
        caches: a.cache_counts().iter().map(|(k, c)| CacheRow { name: k.into(), hits: c.hits, misses: c.misses }).collect(),
        ..DiagnosticsView::default()
    }
}

/// Computes the dashboard for `params`: the nodes' figures for the period, the latency panel.
pub fn analyze(a: &mut Analyzer, params: &AnalyzeParams, wall_now: Micros, report: Option<&Diagnostics>) -> Result<Analysis, EngineError> {
    let started = a.now_ms();
    let (now, file_now) = resolve_now(a, params.now, wall_now)?;
    let mut w = Warnings::default();
    let nodes = a.nodes(&mut w)?;
    let periods = months_with_data(a, &nodes, now)?;
    let period = params.period.as_deref().and_then(Period::parse).unwrap_or_else(|| Period::of(now));
    let chosen: Vec<String> = match &params.node {
        Some(n) if nodes.contains(n) => vec![n.clone()],
        _ => nodes.clone(),
    };
    let mut per_node = Vec::new();
    for node in &chosen {
        let age = a.node_age(node, now)?;
        let (_, pr) = a.node_period(node, period, &age, now, &mut w)?;
        per_node.push((node.clone(), pr));
    }
    let (satellites, totals, summary) = combine(&per_node, period);
    let empty = satellites.iter().all(SatelliteRow::is_zero);
    let latency = latency_panel(a, &chosen, params.hours, params.bucket_ms, now, &mut w)?;
    let one_node = params.node.as_deref().filter(|n| nodes.iter().any(|m| m == n));
    let trends = a.trends_view(&nodes, one_node, now, &mut w)?;
    let mut diagnostics = diagnostics_view(a, report);
    diagnostics.request_ms = a.now_ms() - started;
    Ok(Analysis {
        params: AnalyzeParams { node: params.node.clone().filter(|n| nodes.contains(n)), period: Some(period.key()), ..params.clone() },
        now_iso: iso(now),
        file_now_iso: file_now.map(iso),
        nodes,
        periods: periods.iter().map(Period::key).collect(),
        period: period.key(),
        is_current_period: period == Period::of(now),
        summary,
        satellites,
        totals,
        empty,
        latency,
        trends,
        warnings: w.0,
        diagnostics,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::cache::StdClock;
    use crate::time::parse_rfc3339;

    // The repository's copy of the worked example: a missing fixture fails these tests.
    const SMALL: &[u8] = include_bytes!("../../../tests/fixtures/small.db");
    const EXPECTED: &str = include_str!("../../../tests/fixtures/small.expected.json");

    fn fixture() -> (Analyzer, serde_json::Value) {
        let expected = serde_json::from_str(EXPECTED).expect("small.expected.json parses");
        let mut a = Analyzer::open(SMALL, Box::new(StdClock::new())).unwrap();
        a.build_indexes().unwrap();
        (a, expected)
    }

    fn fixture_now() -> Micros {
        parse_rfc3339("2025-10-10T12:00:00+00:00").unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
    }

    #[test]
    fn one_node_matches_the_fixture() {
        let (mut a, exp) = fixture();
        let params = AnalyzeParams { node: Some("node-2".into()), now: NowMode::At(fixture_now()), ..AnalyzeParams::default() };
        let an = analyze(&mut a, &params, 0, None).unwrap();
        assert_eq!(an.period, "2025-10");
        assert_eq!(an.nodes, ["node-1", "node-2", "node-3"]);
        assert!(an.periods.starts_with(&["2025-10".to_string(), "2025-09".to_string()]), "{:?}", an.periods);
        assert!(close(an.summary.gross, 6.353710545006654));
        assert!(close(an.summary.held, 4.765282908754991));
        assert!(close(an.summary.paid, 1.5884276362516632));
        assert!(close(an.summary.elapsed_fraction, 0.3064516129032258));
        let sats = &exp["nodes"]["node-2"]["periods"]["2025-10"]["satellites"];
        assert_eq!(an.satellites.len(), sats.as_object().unwrap().len());
        for row in &an.satellites {
            let e = &sats[&row.id];
            assert!(close(row.gross, e["estimate"]["total_earnings_gross"].as_f64().unwrap()));
            assert!(close(row.egress_usd, e["traffic"]["egress_earnings_gross"].as_f64().unwrap()));
            assert_eq!(row.egress_bytes, e["traffic"]["egress_bytes"].as_i64().unwrap());
            assert!(close(row.storage_usd, e["storage"]["storage_earnings_gross"].as_f64().unwrap()));
        }
        assert!(!an.empty);
        let LatencyPanel::Ready(l) = &an.latency else { panic!("latency unavailable") };
        let stats = &exp["latency"]["stats"]["node-2"]["24"]["statistics"];
        assert_eq!(l.categories[3].count, stats["all"]["count"].as_i64().unwrap());
        assert!(l.categories[3].success_rate.is_some());
    }

    #[test]
    fn all_nodes_sum_the_nodes() {
        let (mut a, exp) = fixture();
        let params = AnalyzeParams { now: NowMode::At(fixture_now()), period: Some("2025-09".into()), ..AnalyzeParams::default() };
        let an = analyze(&mut a, &params, 0, None).unwrap();
        let mut gross = 0.0;
        for n in ["node-1", "node-2", "node-3"] {
            for s in exp["nodes"][n]["periods"]["2025-09"]["satellites"].as_object().unwrap().values() {
                gross += s["estimate"]["total_earnings_gross"].as_f64().unwrap();
            }
        }
        assert!((an.summary.gross - gross).abs() < 1e-9);
        assert!((an.totals.gross - gross).abs() < 1e-9);
        assert!(!an.is_current_period);
        assert_eq!(an.summary.elapsed_fraction, 1.0);
    }

    #[test]
    fn a_month_without_events_is_empty() {
        let (mut a, _) = fixture();
        let params = AnalyzeParams { now: NowMode::At(fixture_now()), period: Some("2020-01".into()), ..AnalyzeParams::default() };
        let an = analyze(&mut a, &params, 0, None).unwrap();
        assert!(an.empty);
        assert_eq!(an.summary.gross, 0.0);
    }

    #[test]
    fn report_json_is_the_cli_report() {
        let (mut a, _) = fixture();
        let (json, d) = report_json(&mut a, fixture_now()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["now"], "2025-10-10T12:00:00+00:00");
        assert_eq!(v["nodes"]["node-2"]["periods"]["2025-10"]["payout"]["paid"], 1.5884276362516632);
        assert!(!d.indexes.is_empty());
    }

    #[test]
    fn single_pass_dashboard_equals_the_indexed_one() {
        let mut fast = Analyzer::open(SMALL, Box::new(StdClock::new())).unwrap();
        assert!(fast.single_pass().unwrap());
        let (mut slow, _) = fixture();
        for node in [None, Some("node-2".to_string())] {
            for period in [None, Some("2025-09".to_string())] {
                let params = AnalyzeParams {
                    node: node.clone(),
                    period: period.clone(),
                    now: NowMode::At(fixture_now()),
                    ..AnalyzeParams::default()
                };
                let (_, d) = report_json(&mut fast, fixture_now()).unwrap();
                let a = analyze(&mut fast, &params, 0, Some(&d)).unwrap();
                let b = analyze(&mut slow, &params, 0, None).unwrap();
                assert_eq!(a.periods, b.periods);
                assert_eq!(a.nodes, b.nodes);
                assert_eq!(a.summary, b.summary);
                assert_eq!(a.satellites, b.satellites);
                let (LatencyPanel::Ready(la), LatencyPanel::Ready(lb)) = (&a.latency, &b.latency) else { panic!() };
                assert_eq!(la.histogram, lb.histogram);
                assert_eq!(
                    la.categories.iter().map(|c| c.count).collect::<Vec<_>>(),
                    lb.categories.iter().map(|c| c.count).collect::<Vec<_>>()
                );
            }
        }
    }
}
