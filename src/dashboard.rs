//! The dashboard's view-model: what the page shows, built from the engine's results.
//!
//! Plain Rust (no browser code), so it runs natively in tests: the worker calls [`analyze`] on
//! its [`Analyzer`] and posts the resulting [`Analysis`] to the page, which only renders it.
//! "All nodes" sums, the months with data, success rates, CSV exports live here too.

use serde::{Deserialize, Serialize};

use crate::engine::report::{Diagnostics, PeriodReport, SatelliteReport};
use crate::engine::time::{iso, Micros, Period, MICROS_PER_HOUR};
use crate::engine::{Analyzer, EngineError, ReportOptions, Warnings};

/// "Whole file" latency window: far enough back to cover any real file.
pub const WHOLE_FILE_HOURS: i64 = 24 * 366 * 30;
/// Histogram bucket sizes the page offers (milliseconds).
pub const BUCKET_CHOICES: [i64; 4] = [50, 100, 250, 500];
/// Latency windows the page offers: hours, `None` for the whole file.
pub const WINDOW_CHOICES: [Option<i64>; 3] = [Some(1), Some(24), None];
/// Bytes per "TB" in the monitor's formulas (it divides by 2^40).
pub const TB: f64 = 1_099_511_627_776.0;
/// At most this many months in the period picker.
const MAX_MONTHS: usize = 240;

/// Which instant is "now" for an analysis (ANALYTICS 12.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NowMode {
    /// The newest timestamp in the file ("as of the last record"); the default.
    File,
    /// The wall clock at the time of the request.
    Current,
    /// A fixed instant in microseconds (the page's `?now=` query parameter).
    At(i64),
}

/// What the page asks the worker to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeParams {
    /// `None`: all nodes together.
    pub node: Option<String>,
    /// `YYYY-MM`; `None`: the month of now.
    pub period: Option<String>,
    pub now: NowMode,
    /// Latency window in hours; `None`: the whole file.
    pub hours: Option<i64>,
    pub bucket_ms: i64,
}

impl Default for AnalyzeParams {
    fn default() -> Self {
        AnalyzeParams { node: None, period: None, now: NowMode::File, hours: Some(24), bucket_ms: 100 }
    }
}

/// The four summary cards.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Month-to-date gross (Σ payout.gross).
    pub gross: f64,
    /// Month-end estimate (Σ month_end_estimate.estimate).
    pub estimate: f64,
    /// Elapsed fraction of the period (the same for every node).
    pub elapsed_fraction: f64,
    pub held: f64,
    pub paid: f64,
}

/// One row of the earnings table (a satellite, or the totals).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SatelliteRow {
    /// The satellite id, `"null"` for a NULL satellite id; empty for the totals row.
    pub id: String,
    pub name: String,
    /// Byte-hours (f64: it exceeds 2^53 on large nodes).
    pub storage_byte_hours: f64,
    pub storage_tb_month: f64,
    pub storage_usd: f64,
    pub egress_bytes: i64,
    pub egress_usd: f64,
    pub repair_bytes: i64,
    pub repair_usd: f64,
    pub audit_bytes: i64,
    pub audit_usd: f64,
    pub gross: f64,
    pub held: f64,
    pub paid: f64,
}

impl SatelliteRow {
    fn from_report(id: &str, s: &SatelliteReport, days_in_month: i64) -> SatelliteRow {
        let bh = s.storage.storage_bytes_hour as f64;
        SatelliteRow {
            id: id.to_string(),
            name: s.name.clone(),
            storage_byte_hours: bh,
            storage_tb_month: bh / TB / (24 * days_in_month) as f64,
            storage_usd: s.storage.storage_earnings_gross,
            egress_bytes: s.traffic.egress_bytes,
            egress_usd: s.traffic.egress_earnings_gross,
            repair_bytes: s.traffic.repair_bytes,
            repair_usd: s.traffic.repair_earnings_gross,
            audit_bytes: s.traffic.audit_bytes,
            audit_usd: s.traffic.audit_earnings_gross,
            gross: s.estimate.total_earnings_gross,
            held: s.estimate.held_amount,
            paid: s.estimate.total_earnings_gross - s.estimate.held_amount,
        }
    }

    fn add(&mut self, o: &SatelliteRow) {
        self.storage_byte_hours += o.storage_byte_hours;
        self.storage_tb_month += o.storage_tb_month;
        self.storage_usd += o.storage_usd;
        self.egress_bytes = self.egress_bytes.saturating_add(o.egress_bytes); // hostile sizes: never overflow
        self.egress_usd += o.egress_usd;
        self.repair_bytes = self.repair_bytes.saturating_add(o.repair_bytes); // hostile sizes: never overflow
        self.repair_usd += o.repair_usd;
        self.audit_bytes = self.audit_bytes.saturating_add(o.audit_bytes); // hostile sizes: never overflow
        self.audit_usd += o.audit_usd;
        self.gross += o.gross;
        self.held += o.held;
        self.paid += o.paid;
    }

    fn is_zero(&self) -> bool {
        self.storage_byte_hours == 0.0 && self.egress_bytes == 0 && self.repair_bytes == 0 && self.audit_bytes == 0 && self.gross == 0.0
    }
}

/// One latency category (get, put, audit, all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub name: String,
    pub count: i64,
    pub mean: f64,
    pub median: f64,
    pub p95: f64,
    pub p99: f64,
    pub min: i64,
    pub max: i64,
    /// Successful / all operations of the category in the window; `None` when not computed.
    pub success_rate: Option<f64>,
    pub attempts: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistogramBar {
    pub start_ms: i64,
    pub end_ms: i64,
    pub count: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlowRow {
    pub timestamp: String,
    pub node: String,
    pub satellite: String,
    pub action: String,
    pub status: String,
    pub duration_ms: String,
    pub size: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyView {
    /// Hours of the window; `None`: the whole file.
    pub hours: Option<i64>,
    pub bucket_ms: i64,
    pub categories: Vec<CategoryRow>,
    pub histogram: Vec<HistogramBar>,
    pub slow: Vec<SlowRow>,
    pub total_operations: i64,
    pub operations_with_latency: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LatencyPanel {
    Ready(LatencyView),
    /// The file has no latency data (no `duration_ms` column): the engine's message.
    Unavailable(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub stage: String,
    pub ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexRow {
    pub name: String,
    pub created: bool,
    pub ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheRow {
    pub name: String,
    pub hits: i64,
    pub misses: i64,
}

impl CacheRow {
    pub fn hit_rate(&self) -> Option<f64> {
        let n = self.hits + self.misses;
        (n > 0).then(|| self.hits as f64 / n as f64)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticsView {
    /// The worker's own stages (reading, loading, indexing, ...).
    pub stages: Vec<Timing>,
    /// The engine's `diagnostics.timings_ms` of the full report.
    pub engine: Vec<Timing>,
    pub indexes: Vec<IndexRow>,
    pub caches: Vec<CacheRow>,
    pub sqlite_version: String,
    /// This request's time in the worker.
    pub request_ms: f64,
}

/// Everything the dashboard shows for one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub params: AnalyzeParams,
    pub now_iso: String,
    /// The file's newest timestamp (the default now), if it has rows.
    pub file_now_iso: Option<String>,
    pub nodes: Vec<String>,
    /// Months with data, newest first.
    pub periods: Vec<String>,
    pub period: String,
    pub is_current_period: bool,
    pub summary: Summary,
    pub satellites: Vec<SatelliteRow>,
    pub totals: SatelliteRow,
    /// No events in the chosen period (or none at all): the page shows its empty state.
    pub empty: bool,
    pub latency: LatencyPanel,
    pub warnings: Vec<String>,
    pub diagnostics: DiagnosticsView,
}

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
    // After the single pass its per-node month range answers for events without SQL.
    if let Some(fast) = a.single_pass_data() {
        tables.retain(|t| *t != "events");
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
            match rows.iter_mut().find(|r| r.id == id) {
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

/// The category of an action (ANALYTICS section 8: case-sensitive, in this order).
pub fn category_of(action: Option<&str>) -> &'static str {
    match action {
        Some("GET_AUDIT") => "audit",
        Some(a) if a.contains("GET") => "get",
        Some(a) if a.contains("PUT") => "put",
        _ => "other",
    }
}

/// (successes, attempts) per category `get`, `put`, `audit`, `all` over the events of `nodes`
/// since `cutoff` (all statuses; a row counts whether or not it has a duration).
pub fn success_counts(a: &Analyzer, nodes: &[String], cutoff: &str) -> Result<[(i64, i64); 4], EngineError> {
    let conn = a.connection();
    let mut stmt = conn.prepare_cached(
        "SELECT action, status = 'success', COUNT(*) FROM events WHERE node_name = ?1 AND timestamp >= ?2 GROUP BY 1, 2",
    )?;
    let mut out = [(0i64, 0i64); 4];
    for node in nodes {
        let rows = stmt.query_map(rusqlite::params![node, cutoff], |r| {
            let action = match r.get_ref(0)? {
                rusqlite::types::ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                _ => None,
            };
            Ok((action, r.get::<_, Option<bool>>(1)?.unwrap_or(false), r.get::<_, i64>(2)?))
        })?;
        for row in rows {
            let (action, ok, n) = row?;
            let slot = match category_of(action.as_deref()) {
                "get" => Some(0),
                "put" => Some(1),
                "audit" => Some(2),
                _ => None,
            };
            for i in slot.into_iter().chain([3]) {
                out[i].1 += n;
                if ok {
                    out[i].0 += n;
                }
            }
        }
    }
    Ok(out)
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The latency panel for `nodes` (one node or all), a window and a bucket size.
pub fn latency_panel(a: &mut Analyzer, nodes: &[String], hours: Option<i64>, bucket_ms: i64, now: Micros, w: &mut Warnings) -> Result<LatencyPanel, EngineError> {
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
    // Success rates cost a pass over the window's rows: only for the bounded windows, and only
    // once the indexes exist (the first, single-pass dashboard goes without).
    let success = match hours {
        Some(h) if a.is_indexed() => Some(success_counts(a, nodes, &iso(now - h * MICROS_PER_HOUR))?),
        _ => None,
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
        indexes: d.map_or_else(Vec::new, |d| {
            d.indexes.iter().map(|i| IndexRow { name: i.name.clone(), created: i.created, ms: i.ms }).collect()
        }),
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
    let mut diagnostics = diagnostics_view(a, report);
    diagnostics.request_ms = a.now_ms() - started;
    Ok(Analysis {
        params: AnalyzeParams {
            node: params.node.clone().filter(|n| nodes.contains(n)),
            period: Some(period.key()),
            ..params.clone()
        },
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
        warnings: w.0,
        diagnostics,
    })
}

/// The page's `?now=RFC3339` query parameter (e.g. `?now=2025-10-10T12:00:00Z`), if valid.
pub fn now_from_query(search: &str) -> Option<i64> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "now")
        .and_then(|(_, v)| crate::engine::time::parse_rfc3339(&v.replace("%3A", ":").replace("%3a", ":").replace("%2B", "+").replace("%2b", "+")))
}

/// Round axis ticks from 0 to at least `max`: about five steps of 1, 2 or 5 × 10^k.
pub fn axis_ticks(max: f64) -> Vec<f64> {
    if !(max > 0.0) || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let n = (max / step).ceil() as usize;
    (0..=n.max(1)).map(|i| i as f64 * step).collect()
}

// ----- CSV ----------------------------------------------------------------------------------

fn write_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn f(x: f64) -> String {
    format!("{x}")
}

/// The earnings table with its totals row; money in dollars, traffic in bytes and TB (2^40).
pub fn earnings_csv(a: &Analysis) -> String {
    let header = [
        "satellite_id", "satellite", "storage_tb_month", "storage_usd", "egress_bytes", "egress_tb", "egress_usd",
        "repair_bytes", "repair_tb", "repair_usd", "audit_bytes", "audit_tb", "audit_usd", "gross_usd", "held_usd", "paid_usd",
    ];
    let row = |r: &SatelliteRow| {
        vec![
            r.id.clone(),
            r.name.clone(),
            f(r.storage_tb_month),
            f(r.storage_usd),
            r.egress_bytes.to_string(),
            f(r.egress_bytes as f64 / TB),
            f(r.egress_usd),
            r.repair_bytes.to_string(),
            f(r.repair_bytes as f64 / TB),
            f(r.repair_usd),
            r.audit_bytes.to_string(),
            f(r.audit_bytes as f64 / TB),
            f(r.audit_usd),
            f(r.gross),
            f(r.held),
            f(r.paid),
        ]
    };
    write_csv(&header, a.satellites.iter().map(row).chain(std::iter::once(row(&a.totals))))
}

/// The latency statistics per category.
pub fn latency_csv(a: &Analysis) -> String {
    let LatencyPanel::Ready(l) = &a.latency else { return write_csv(&["category"], []) };
    write_csv(
        &["category", "count", "mean_ms", "median_ms", "p95_ms", "p99_ms", "min_ms", "max_ms", "success_rate", "attempts"],
        l.categories.iter().map(|c| {
            vec![
                c.name.clone(),
                c.count.to_string(),
                f(c.mean),
                f(c.median),
                f(c.p95),
                f(c.p99),
                c.min.to_string(),
                c.max.to_string(),
                c.success_rate.map(f).unwrap_or_default(),
                c.attempts.to_string(),
            ]
        }),
    )
}

/// The histogram buckets.
pub fn histogram_csv(a: &Analysis) -> String {
    let LatencyPanel::Ready(l) = &a.latency else { return write_csv(&["bucket_start_ms"], []) };
    write_csv(
        &["bucket_start_ms", "bucket_end_ms", "count", "label"],
        l.histogram.iter().map(|b| vec![b.start_ms.to_string(), b.end_ms.to_string(), b.count.to_string(), b.label.clone()]),
    )
}

/// The slowest operations.
pub fn slow_csv(a: &Analysis) -> String {
    let LatencyPanel::Ready(l) = &a.latency else { return write_csv(&["timestamp"], []) };
    write_csv(
        &["timestamp", "node", "satellite_id", "action", "status", "duration_ms", "size"],
        l.slow.iter().map(|s| {
            vec![s.timestamp.clone(), s.node.clone(), s.satellite.clone(), s.action.clone(), s.status.clone(), s.duration_ms.clone(), s.size.clone()]
        }),
    )
}

/// A file name for a download: `storj-lens-<what>-<node or all>-<period>.<ext>`.
pub fn download_name(what: &str, a: &Analysis, ext: &str) -> String {
    let node: String = a
        .params
        .node
        .as_deref()
        .unwrap_or("all-nodes")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    format!("storj-lens-{what}-{node}-{}.{ext}", a.period)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::engine::cache::StdClock;
    use crate::engine::time::parse_rfc3339;

    const SMALL: &str = "../shared/fixtures/small.db";
    const EXPECTED: &str = "../shared/fixtures/small.expected.json";

    fn fixture() -> Option<(Analyzer, serde_json::Value)> {
        let bytes = std::fs::read(SMALL).ok()?;
        let expected = serde_json::from_str(&std::fs::read_to_string(EXPECTED).ok()?).ok()?;
        let mut a = Analyzer::open(&bytes, Box::new(StdClock::new())).unwrap();
        a.build_indexes().unwrap();
        Some((a, expected))
    }

    fn fixture_now() -> Micros {
        parse_rfc3339("2025-10-10T12:00:00+00:00").unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
    }

    #[test]
    fn one_node_matches_the_fixture() {
        let Some((mut a, exp)) = fixture() else { return };
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
        let Some((mut a, exp)) = fixture() else { return };
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
        let Some((mut a, _)) = fixture() else { return };
        let params = AnalyzeParams { now: NowMode::At(fixture_now()), period: Some("2020-01".into()), ..AnalyzeParams::default() };
        let an = analyze(&mut a, &params, 0, None).unwrap();
        assert!(an.empty);
        assert_eq!(an.summary.gross, 0.0);
    }

    #[test]
    fn report_json_is_the_cli_report() {
        let Some((mut a, _)) = fixture() else { return };
        let (json, d) = report_json(&mut a, fixture_now()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["now"], "2025-10-10T12:00:00+00:00");
        assert_eq!(v["nodes"]["node-2"]["periods"]["2025-10"]["payout"]["paid"], 1.5884276362516632);
        assert!(!d.indexes.is_empty());
    }

    #[test]
    fn categories_follow_section_8() {
        assert_eq!(category_of(Some("GET_AUDIT")), "audit");
        assert_eq!(category_of(Some("GET_REPAIR")), "get");
        assert_eq!(category_of(Some("PUT_REPAIR")), "put");
        assert_eq!(category_of(Some("get")), "other");
        assert_eq!(category_of(None), "other");
    }

    fn sample() -> Analysis {
        let row = SatelliteRow { id: "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S".into(), name: "us1, \"main\"".into(), egress_bytes: 1 << 40, egress_usd: 2.0, gross: 2.0, paid: 2.0, ..SatelliteRow::default() };
        Analysis {
            params: AnalyzeParams { node: Some("node 1/a".into()), ..AnalyzeParams::default() },
            now_iso: String::new(),
            file_now_iso: None,
            nodes: vec![],
            periods: vec![],
            period: "2025-10".into(),
            is_current_period: true,
            summary: Summary::default(),
            totals: SatelliteRow { id: String::new(), name: "Total".into(), ..row.clone() },
            satellites: vec![row],
            empty: false,
            latency: LatencyPanel::Unavailable("x".into()),
            warnings: vec![],
            diagnostics: DiagnosticsView::default(),
        }
    }

    #[test]
    fn earnings_csv_quotes_and_totals() {
        let csv = earnings_csv(&sample());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("satellite_id,satellite,storage_tb_month"));
        assert!(lines[1].contains("\"us1, \"\"main\"\"\""), "{}", lines[1]);
        assert!(lines[1].contains(",1099511627776,1,2,"), "{}", lines[1]);
        assert!(lines[2].starts_with(",Total,"));
        assert_eq!(latency_csv(&sample()), "category\n");
    }

    #[test]
    fn download_names_are_safe() {
        assert_eq!(download_name("earnings", &sample(), "csv"), "storj-lens-earnings-node_1_a-2025-10.csv");
    }

    #[test]
    fn cache_hit_rate() {
        assert_eq!(CacheRow { name: "x".into(), hits: 3, misses: 1 }.hit_rate(), Some(0.75));
        assert_eq!(CacheRow { name: "x".into(), hits: 0, misses: 0 }.hit_rate(), None);
    }

    #[test]
    fn now_query_parameter() {
        assert_eq!(now_from_query("?now=2025-10-10T12:00:00Z"), Some(fixture_now()));
        assert_eq!(now_from_query("?x=1&now=2025-10-10T12%3A00%3A00%2B00%3A00"), Some(fixture_now()));
        assert_eq!(now_from_query("?now=yesterday"), None);
        assert_eq!(now_from_query(""), None);
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(axis_ticks(0.0), vec![0.0, 1.0]);
        assert_eq!(axis_ticks(7.0), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(axis_ticks(1234.0), vec![0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(axis_ticks(100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    }

    #[test]
    fn single_pass_dashboard_equals_the_indexed_one() {
        let Some(bytes) = std::fs::read(SMALL).ok() else { return };
        let mut fast = Analyzer::open(&bytes, Box::new(StdClock::new())).unwrap();
        assert!(fast.single_pass().unwrap());
        let Some((mut slow, _)) = fixture() else { return };
        for node in [None, Some("node-2".to_string())] {
            for period in [None, Some("2025-09".to_string())] {
                let params = AnalyzeParams { node: node.clone(), period: period.clone(), now: NowMode::At(fixture_now()), ..AnalyzeParams::default() };
                let (_, d) = report_json(&mut fast, fixture_now()).unwrap();
                let a = analyze(&mut fast, &params, 0, Some(&d)).unwrap();
                let b = analyze(&mut slow, &params, 0, None).unwrap();
                assert_eq!(a.periods, b.periods);
                assert_eq!(a.nodes, b.nodes);
                assert_eq!(a.summary, b.summary);
                assert_eq!(a.satellites, b.satellites);
                let (LatencyPanel::Ready(la), LatencyPanel::Ready(lb)) = (&a.latency, &b.latency) else { panic!() };
                assert_eq!(la.histogram, lb.histogram);
                assert_eq!(la.categories.iter().map(|c| c.count).collect::<Vec<_>>(), lb.categories.iter().map(|c| c.count).collect::<Vec<_>>());
            }
        }
    }
}
