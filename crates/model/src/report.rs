//! The report types. Their JSON is exactly ANALYTICS section 10 (key order included): fields are
//! declared in output order and maps keep insertion order ([`OrderedMap`]).
//!
//! Plain serde types: the engine fills them, the CLI prints them, the worker sends their JSON.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

pub const REPORT_FORMAT: &str = "storj-analytics-report/1";

/// A JSON object whose keys keep the order they were inserted in (ANALYTICS section 10 fixes the
/// key order of every object).
pub type OrderedMap<V> = IndexMap<String, V>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub now: String,
    pub current_period: String,
    pub periods: Vec<String>,
    pub config: Config,
    pub nodes: OrderedMap<NodeReport>,
    pub latency: LatencyReport,
    /// TRENDS.md section 8: reputation, storage growth, hourly figures and payouts.
    #[serde(default)]
    pub trends: crate::trends::Trends,
    pub diagnostics: Diagnostics,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub pricing_egress_per_tb: f64,
    pub pricing_storage_per_tb_month: f64,
    pub pricing_repair_per_tb: f64,
    pub pricing_audit_per_tb: f64,
    pub operator_share_egress: f64,
    pub operator_share_storage: f64,
    pub operator_share_repair: f64,
    pub operator_share_audit: f64,
    pub held_schedule: Vec<HeldStep>,
    pub satellite_names: OrderedMap<String>,
}

/// Storj's held-back schedule (ANALYTICS section 5), `(max_age_months, held_fraction)` in
/// order: the first step whose `max_age_months` is at least the node's age (or `None`, the last
/// step) gives the fraction held. The one table of the workspace: the demo writes
/// `held_percentage` from it, the engine computes and reports it, the page explains it.
pub const HELD_SCHEDULE: &[(Option<i64>, f64)] = &[(Some(3), 0.75), (Some(6), 0.5), (Some(9), 0.25), (Some(15), 0.0), (None, 0.0)];

/// The schedule in words, for the page's hover texts (a test keeps it in step with the table).
pub const HELD_SCHEDULE_TEXT: &str = "75 % in months 1–3, 50 % in 4–6, 25 % in 7–9";

/// The held-back fraction of an age in months, from [`HELD_SCHEDULE`].
pub fn held_fraction(age_months: i64) -> f64 {
    HELD_SCHEDULE.iter().find(|(max, _)| max.is_none_or(|m| age_months <= m)).map(|(_, f)| *f).unwrap_or(0.0)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldStep {
    pub max_age_months: Option<i64>,
    pub held_fraction: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeReport {
    pub satellites: Vec<Option<String>>,
    pub node_age_months: i64,
    pub held_percentage: f64,
    pub node_start_date: Option<String>,
    pub periods: OrderedMap<PeriodReport>,
}

/// One node's figures for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub is_current_period: bool,
    pub satellites: OrderedMap<SatelliteReport>,
    pub forecast: Forecast,
    pub payout: Payout,
    pub month_end_estimate: MonthEndEstimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatelliteReport {
    pub name: String,
    pub traffic: TrafficFigures,
    pub storage: StorageFigures,
    pub estimate: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficFigures {
    pub egress_bytes: i64,
    pub egress_earnings_gross: f64,
    pub egress_earnings_net: f64,
    pub repair_bytes: i64,
    pub repair_earnings_gross: f64,
    pub repair_earnings_net: f64,
    pub audit_bytes: i64,
    pub audit_earnings_gross: f64,
    pub audit_earnings_net: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageFigures {
    pub storage_bytes_hour: i64,
    pub storage_earnings_gross: f64,
    pub storage_earnings_net: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub total_earnings_gross: f64,
    pub total_earnings_net: f64,
    pub held_amount: f64,
    pub held_percentage: f64,
    pub node_age_months: i64,
    pub is_finalized: bool,
}

/// Section 7: the full forecast, or the original's fixed object for a node without satellites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Forecast {
    Full(FullForecast),
    NoData(NoDataForecast),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FullForecast {
    pub forecasted_payout: f64,
    pub forecasted_payout_before_held: f64,
    pub held_amount: f64,
    pub current_earnings: f64,
    pub extrapolation_factor: f64,
    pub confidence: f64,
    pub time_confidence: f64,
    pub data_confidence: f64,
    pub satellites: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoDataForecast {
    pub forecasted_payout: f64,
    pub confidence: f64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payout {
    pub gross: f64,
    pub held: f64,
    pub paid: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthEndEstimate {
    pub method: String,
    pub elapsed_fraction: f64,
    pub estimate: f64,
}

/// Latency results keyed by view, then window (hours), then bucket size (sections 8 and 9).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LatencyReport {
    pub stats: OrderedMap<OrderedMap<LatencyStats>>,
    pub histograms: OrderedMap<OrderedMap<OrderedMap<Vec<HistogramBucket>>>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Diagnostics {
    pub timings_ms: OrderedMap<f64>,
    pub indexes: Vec<IndexReport>,
    pub caches: OrderedMap<CacheCounts>,
    /// Which optional parts of the file were available.
    pub available: Availability,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CacheCounts {
    pub hits: i64,
    pub misses: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Availability {
    pub storage_snapshots: bool,
    pub earnings_estimates: bool,
    pub latency: bool,
}

// ----- latency (sections 8 and 9) and indexes --------------------------------------------------

/// A JSON number that keeps the original's int-vs-float typing: `Int(350)` prints `350`,
/// `Float(350.0)` prints `350.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    /// The value as f64 (for display and tolerance comparisons).
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// True for the int variant (the JSON type the original prints).
    pub fn is_int(self) -> bool {
        matches!(self, Num::Int(_))
    }
}

impl Default for Num {
    fn default() -> Self {
        Num::Int(0)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => write!(f, "{x:?}"),
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match *self {
            Num::Int(i) => s.serialize_i64(i),
            Num::Float(x) => s.serialize_f64(x),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct NumVisitor;
        impl<'de> Visitor<'de> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Num, E> {
                Ok(Num::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Num, E> {
                i64::try_from(v).map(Num::Int).map_err(|_| E::custom("integer out of i64 range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Num, E> {
                Ok(Num::Float(v))
            }
        }
        d.deserialize_any(NumVisitor)
    }
}

/// The 8 fields of one category (section 8 table), in the original's key order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryStats {
    pub count: i64,
    pub mean: Num,
    pub median: Num,
    pub p50: Num,
    pub p95: Num,
    pub p99: Num,
    pub min: i64,
    pub max: i64,
}

/// `statistics`: the keys `get`, `put`, `audit`, `all`, in that order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    pub get: CategoryStats,
    pub put: CategoryStats,
    pub audit: CategoryStats,
    pub all: CategoryStats,
}

/// One entry of `slow_operations`: the raw SQLite values of the row, NULL as `null`.
///
/// Values map as INTEGER → int, REAL → float (±inf → null), TEXT → string (invalid UTF-8
/// replaced by U+FFFD), BLOB → the SQL blob literal as a string, e.g. `"X'0AFF'"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlowOperation {
    pub timestamp: serde_json::Value,
    pub action: serde_json::Value,
    pub duration_ms: serde_json::Value,
    pub piece_id: serde_json::Value,
    pub satellite_id: serde_json::Value,
    pub status: serde_json::Value,
    pub size: serde_json::Value,
    pub node_name: serde_json::Value,
}

/// The section 8 result for one view and window: serializes to exactly
/// `{"statistics": {"get","put","audit","all"}, "slow_operations": [...], "total_operations",
/// "operations_with_latency"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencyStats {
    pub statistics: Statistics,
    pub slow_operations: Vec<SlowOperation>,
    pub total_operations: i64,
    pub operations_with_latency: i64,
}

/// One section 9 bucket: `{"bucket_start_ms", "bucket_end_ms", "count", "label"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistogramBucket {
    pub bucket_start_ms: i64,
    pub bucket_end_ms: i64,
    pub count: i64,
    pub label: String,
}

/// One line of `diagnostics.indexes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexReport {
    pub name: String,
    /// False when the index already existed (or its table is absent).
    pub created: bool,
    pub ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_in_words_is_the_table() {
        let mut from = 1;
        let mut parts = Vec::new();
        for (max, fraction) in HELD_SCHEDULE {
            if let (Some(max), true) = (max, *fraction > 0.0) {
                let months = if parts.is_empty() { format!("months {from}–{max}") } else { format!("{from}–{max}") };
                parts.push(format!("{} % in {months}", (fraction * 100.0).round()));
            }
            from = max.map_or(from, |m| m + 1);
        }
        assert_eq!(parts.join(", "), HELD_SCHEDULE_TEXT);
        assert_eq!((held_fraction(3), held_fraction(4), held_fraction(10), held_fraction(100)), (0.75, 0.5, 0.0, 0.0));
    }

    #[test]
    fn ordered_map_keeps_order_and_floats_stay_floats() {
        let mut m = OrderedMap::new();
        m.insert("b".to_string(), 1.0);
        m.insert("a".to_string(), 0.5);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"b":1.0,"a":0.5}"#);
        let back: OrderedMap<f64> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.keys().collect::<Vec<_>>(), ["b", "a"]);
    }
}
