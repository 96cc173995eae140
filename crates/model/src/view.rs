//! The dashboard's view-model: what the page shows for one request, computed by the engine
//! (`engine::dashboard::analyze`) in the worker and rendered as it is by the page. Also the
//! page-side helpers over it: chart ticks, CSV exports, download names, `?now=`.

use serde::{Deserialize, Serialize};

use crate::report::SatelliteReport;
pub use crate::trends_view::TrendsView;

/// "Whole file" latency window: far enough back to cover any real file.
pub const WHOLE_FILE_HOURS: i64 = 24 * 366 * 30;
/// Histogram bucket sizes the page offers (milliseconds).
pub const BUCKET_CHOICES: [i64; 4] = [50, 100, 250, 500];
/// Latency windows the page offers: hours, `None` for the whole file.
pub const WINDOW_CHOICES: [Option<i64>; 3] = [Some(1), Some(24), None];
/// Bytes per "TB" in the monitor's formulas (it divides by 2^40).
pub const TB: f64 = 1_099_511_627_776.0;

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
    pub fn from_report(id: &str, s: &SatelliteReport, days_in_month: i64) -> SatelliteRow {
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

    pub fn add(&mut self, o: &SatelliteRow) {
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

    pub fn is_zero(&self) -> bool {
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
    /// The trend panels (reputation, storage, hourly, payouts) of the chosen view: one node, or
    /// all nodes together. See [`crate::trends_view`].
    #[serde(default)]
    pub trends: TrendsView,
    pub warnings: Vec<String>,
    pub diagnostics: DiagnosticsView,
}

/// The page's `?now=` value (RFC 3339, e.g. `2025-10-10T12:00:00Z`, already URL-decoded) in
/// microseconds since the epoch, truncated to whole microseconds; `None` when it does not parse.
pub fn parse_now(value: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(value.trim()).ok().map(|t| t.timestamp_micros())
}

/// Round axis ticks from 0 to at least `max`: about five steps of 1, 2 or 5 × 10^k.
pub fn axis_ticks(max: f64) -> Vec<f64> {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
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
        "satellite_id",
        "satellite",
        "storage_tb_month",
        "storage_usd",
        "egress_bytes",
        "egress_tb",
        "egress_usd",
        "repair_bytes",
        "repair_tb",
        "repair_usd",
        "audit_bytes",
        "audit_tb",
        "audit_usd",
        "gross_usd",
        "held_usd",
        "paid_usd",
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
            vec![
                s.timestamp.clone(),
                s.node.clone(),
                s.satellite.clone(),
                s.action.clone(),
                s.status.clone(),
                s.duration_ms.clone(),
                s.size.clone(),
            ]
        }),
    )
}

/// The file name of the full report's download for a report made at `now_iso`:
/// `storj-lens-report-2025-10-10T120000Z.json`.
pub fn report_file_name(now_iso: &str) -> String {
    format!("storj-lens-report-{}.json", now_iso.replace(':', "").replace("+0000", "Z"))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Analysis {
        let row = SatelliteRow {
            id: "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S".into(),
            name: "us1, \"main\"".into(),
            egress_bytes: 1 << 40,
            egress_usd: 2.0,
            gross: 2.0,
            paid: 2.0,
            ..SatelliteRow::default()
        };
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
            trends: TrendsView::default(),
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
    fn now_parameter() {
        assert_eq!(parse_now("2025-10-10T12:00:00Z"), Some(1_760_097_600_000_000));
        assert_eq!(parse_now("2025-10-10T14:00:00+02:00"), Some(1_760_097_600_000_000));
        assert_eq!(parse_now("yesterday"), None);
        assert_eq!(parse_now(""), None);
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(axis_ticks(0.0), vec![0.0, 1.0]);
        assert_eq!(axis_ticks(7.0), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(axis_ticks(1234.0), vec![0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(axis_ticks(100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    }
}
