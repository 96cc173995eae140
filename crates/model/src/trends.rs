//! The report's `"trends"` section (TRENDS.md section 8): reputation, storage growth, the hourly
//! table, the 24-hour traffic chart and payout history, for each node and for all nodes.
//!
//! Plain serde types whose JSON is exactly section 8, key order included. The engine fills them
//! (`engine::trends`); the page gets the chosen view's panels as [`crate::trends_view::TrendsView`].
//!
//! **Rows as stored** ([`Row`]): every column of the table, in table order, with SQLite's values
//! mapped INTEGER → int, REAL → float (±inf, which JSON cannot hold, → null), TEXT → string
//! (invalid UTF-8 replaced by U+FFFD), NULL → null, and BLOB → the SQL blob literal as a string,
//! e.g. `"X'0AFF'"` (the same mapping as the latency section's slow operations).
//!
//! A row that gains fields (a reputation row gains `health_score` and `alerts`, a storage
//! forecast entry its growth fields) serializes like the original's Python `dict` update: a
//! field whose name is already a column replaces that column's value in place, the others follow
//! the columns in the order of section 8.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::report::{Num, OrderedMap};

/// One table row as stored: column name → SQLite value (see the module documentation).
pub type Row = OrderedMap<serde_json::Value>;

/// The whole section: `{"nodes": {N: …}, "all": {…}, "tables": {…}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    /// One entry per node of the file (the node list of ANALYTICS section 2), in that order.
    pub nodes: OrderedMap<NodeTrends>,
    /// All nodes together (the original's "Aggregate" view).
    pub all: AllTrends,
    /// storj-lens's addition: which of the trend tables the file has (a missing table reads as
    /// an empty one, section 1; the page words the two cases differently).
    #[serde(default)]
    pub tables: TrendTables,
}

/// The panels of one node, keys in section 8's order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeTrends {
    /// Section 2: the newest row of each satellite, with its health score and alerts.
    pub reputation: Vec<ReputationRow>,
    /// Section 2: the node's reputation rows of the last 24 hours, by timestamp then satellite.
    pub reputation_history: Vec<Row>,
    /// Section 3: the node's forecast entry, or null when it has no snapshot (or the original
    /// fails, section 3.7).
    pub storage_forecast: Option<StorageForecast>,
    /// Section 3: the node's snapshots of the last 7 days, oldest first, log-derived rows included.
    pub storage_history: Vec<Row>,
    /// Section 4: the 6 newest hours.
    pub hourly: Vec<HourlyRow>,
    /// Section 5: 25 hourly points (or none when the original fails).
    pub hourly_traffic: Vec<TrafficRow>,
    /// Section 6: the payouts of the last 360 days, newest first.
    pub payout_history: Vec<Row>,
}

/// The panels of all nodes together, keys in section 8's order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AllTrends {
    pub reputation: Vec<ReputationRow>,
    /// One entry per node with snapshots, by node name (empty when the original fails).
    pub storage_forecast: Vec<StorageForecast>,
    pub hourly: Vec<HourlyRow>,
    pub hourly_traffic: Vec<TrafficRow>,
    pub payout_history: Vec<Row>,
}

/// Which trend tables exist with the columns their panels read. A missing table gives empty
/// panels, never an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendTables {
    pub reputation_history: bool,
    pub storage_snapshots: bool,
    pub hourly_stats: bool,
    pub payout_history: bool,
}

/// One alert of section 2: `{"alert_type", "severity"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// `node_disqualified`, `node_suspended`, `audit_score_critical`, `audit_score_warning`,
    /// `suspension_risk` or `uptime_warning`.
    pub alert_type: String,
    /// `critical` or `warning`.
    pub severity: String,
}

/// A reputation row as stored plus `health_score` (null when a score is not a number) and
/// `alerts`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ReputationRow {
    #[serde(flatten)]
    pub row: Row,
    pub health_score: Option<f64>,
    pub alerts: Vec<Alert>,
}

impl Serialize for ReputationRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let extras = [("health_score", to_value(&self.health_score)), ("alerts", to_value(&self.alerts))];
        serialize_row_with(s, &self.row, &extras)
    }
}

/// One window of `growth_rates` (section 3.5): keys `growth_rate_bytes_per_day`,
/// `growth_rate_gb_per_day`, `days_until_full`, `data_points`, then `reason` when given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GrowthWindow {
    /// Null, an int (`round(slope)`), or int `0` (flat or shrinking).
    pub growth_rate_bytes_per_day: Option<Num>,
    /// Null, a float (`round(slope / 2^30, 2)`), or int `0` (flat or shrinking).
    pub growth_rate_gb_per_day: Option<Num>,
    pub days_until_full: Option<f64>,
    pub data_points: i64,
    /// [`REASON_INSUFFICIENT_TIMESPAN`] or [`REASON_DATA_TOO_FLAT`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Section 3.5.2: the window's points span less than an hour.
pub const REASON_INSUFFICIENT_TIMESPAN: &str = "insufficient_timespan";
/// Section 3.5.3: the standard deviation is below 0.1 % of the mean.
pub const REASON_DATA_TOO_FLAT: &str = "data_too_flat";
/// The keys of `growth_rates`, in order, with their length in days.
pub const GROWTH_WINDOWS: [(&str, i64); 3] = [("1d", 1), ("7d", 7), ("30d", 30)];

/// A storage forecast entry (section 3): the node's newest snapshot as stored, then the `7d`
/// window's figures, `forecast_data_points` and `growth_rates` (`{}` with fewer than two API
/// rows in 30 days).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct StorageForecast {
    #[serde(flatten)]
    pub row: Row,
    pub growth_rate_bytes_per_day: Option<Num>,
    pub growth_rate_gb_per_day: Option<Num>,
    pub days_until_full: Option<f64>,
    pub forecast_data_points: i64,
    pub growth_rates: OrderedMap<GrowthWindow>,
}

impl Serialize for StorageForecast {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let extras = [
            ("growth_rate_bytes_per_day", to_value(&self.growth_rate_bytes_per_day)),
            ("growth_rate_gb_per_day", to_value(&self.growth_rate_gb_per_day)),
            ("days_until_full", to_value(&self.days_until_full)),
            ("forecast_data_points", to_value(&self.forecast_data_points)),
            ("growth_rates", to_value(&self.growth_rates)),
        ];
        serialize_row_with(s, &self.row, &extras)
    }
}

/// One row of the hourly table (section 4): the group's key as stored, the SQL sums (null when
/// every value is null; an int, or a float when a REAL was summed), and the unrounded Mbps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HourlyRow {
    pub hour_timestamp: serde_json::Value,
    pub dl_success: Option<Num>,
    pub dl_fail: Option<Num>,
    pub ul_success: Option<Num>,
    pub ul_fail: Option<Num>,
    pub audit_success: Option<Num>,
    pub audit_fail: Option<Num>,
    pub total_download_size: Option<Num>,
    pub total_upload_size: Option<Num>,
    pub dl_mbps: f64,
    pub ul_mbps: f64,
}

/// One point of the 24-hour traffic chart (section 5). A recorded hour has float Mbps and
/// concurrency; an hour without a row has every number int `0` and its iso(h) as `timestamp`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrafficRow {
    /// The stored `hour_timestamp` of a recorded hour (possibly the `.000Z` key), else iso(h).
    pub timestamp: String,
    pub ingress_mbps: Num,
    pub egress_mbps: Num,
    pub ingress_bytes: Num,
    pub egress_bytes: Num,
    pub ingress_pieces: Num,
    pub egress_pieces: Num,
    pub concurrency: Num,
    pub total_ops: Num,
    pub bin_duration_seconds: i64,
}

/// Seconds per point of the traffic chart.
pub const TRAFFIC_BIN_SECONDS: i64 = 3600;

impl TrafficRow {
    /// The point of an hour without a row: every figure int `0`.
    pub fn zero(timestamp: String) -> TrafficRow {
        TrafficRow { timestamp, bin_duration_seconds: TRAFFIC_BIN_SECONDS, ..TrafficRow::default() }
    }
}

fn to_value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// The row's columns, then the extra fields, as a Python `dict` update would leave them: an
/// extra whose name is a column replaces its value in place.
fn serialize_row_with<S: Serializer>(s: S, row: &Row, extras: &[(&str, serde_json::Value)]) -> Result<S::Ok, S::Error> {
    let new = extras.iter().filter(|(k, _)| !row.contains_key(*k)).count();
    let mut map = s.serialize_map(Some(row.len() + new))?;
    for (k, v) in row {
        match extras.iter().find(|(e, _)| e == k) {
            Some((_, extra)) => map.serialize_entry(k, extra)?,
            None => map.serialize_entry(k, v)?,
        }
    }
    for (k, v) in extras {
        if !row.contains_key(*k) {
            map.serialize_entry(k, v)?;
        }
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(pairs: &[(&str, serde_json::Value)]) -> Row {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn reputation_row_puts_its_fields_after_the_columns() {
        let r = ReputationRow {
            row: row(&[("id", json!(1)), ("audit_score", json!(99.5)), ("is_disqualified", json!(0))]),
            health_score: Some(99.69),
            alerts: vec![Alert { alert_type: "uptime_warning".into(), severity: "warning".into() }],
        };
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(
            text,
            r#"{"id":1,"audit_score":99.5,"is_disqualified":0,"health_score":99.69,"alerts":[{"alert_type":"uptime_warning","severity":"warning"}]}"#
        );
        let back: ReputationRow = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn a_column_named_like_a_field_is_replaced_in_place() {
        let r = ReputationRow { row: row(&[("alerts", json!("x")), ("id", json!(2))]), health_score: None, alerts: vec![] };
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"alerts":[],"id":2,"health_score":null}"#);
    }

    #[test]
    fn forecast_entry_and_windows_keep_their_types() {
        let mut rates = OrderedMap::new();
        rates.insert(
            "1d".to_string(),
            GrowthWindow {
                growth_rate_bytes_per_day: Some(Num::Int(0)),
                growth_rate_gb_per_day: Some(Num::Int(0)),
                days_until_full: None,
                data_points: 24,
                reason: Some(REASON_DATA_TOO_FLAT.into()),
            },
        );
        rates.insert(
            "7d".to_string(),
            GrowthWindow {
                growth_rate_bytes_per_day: Some(Num::Int(38650942923)),
                growth_rate_gb_per_day: Some(Num::Float(36.0)),
                days_until_full: Some(12.4),
                data_points: 167,
                reason: None,
            },
        );
        let e = StorageForecast {
            row: row(&[("node_name", json!("node-2")), ("available_bytes", json!(481028060015i64))]),
            growth_rate_bytes_per_day: Some(Num::Int(38650942923)),
            growth_rate_gb_per_day: Some(Num::Float(36.0)),
            days_until_full: Some(12.4),
            forecast_data_points: 167,
            growth_rates: rates,
        };
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(
            text,
            concat!(
                r#"{"node_name":"node-2","available_bytes":481028060015,"growth_rate_bytes_per_day":38650942923,"#,
                r#""growth_rate_gb_per_day":36.0,"days_until_full":12.4,"forecast_data_points":167,"growth_rates":{"#,
                r#""1d":{"growth_rate_bytes_per_day":0,"growth_rate_gb_per_day":0,"days_until_full":null,"data_points":24,"reason":"data_too_flat"},"#,
                r#""7d":{"growth_rate_bytes_per_day":38650942923,"growth_rate_gb_per_day":36.0,"days_until_full":12.4,"data_points":167}}}"#
            )
        );
        let back: StorageForecast = serde_json::from_str(&text).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn an_hour_without_a_row_is_all_int_zeros() {
        let z = TrafficRow::zero("2025-10-09T12:00:00+00:00".into());
        assert_eq!(
            serde_json::to_string(&z).unwrap(),
            r#"{"timestamp":"2025-10-09T12:00:00+00:00","ingress_mbps":0,"egress_mbps":0,"ingress_bytes":0,"egress_bytes":0,"ingress_pieces":0,"egress_pieces":0,"concurrency":0,"total_ops":0,"bin_duration_seconds":3600}"#
        );
    }

    #[test]
    fn the_section_keeps_its_key_order() {
        let mut t = Trends::default();
        t.nodes.insert("node-1".into(), NodeTrends::default());
        let v = serde_json::to_value(&t).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["nodes", "all", "tables"]);
        let node: Vec<&String> = v["nodes"]["node-1"].as_object().unwrap().keys().collect();
        assert_eq!(
            node,
            ["reputation", "reputation_history", "storage_forecast", "storage_history", "hourly", "hourly_traffic", "payout_history"]
        );
        let all: Vec<&String> = v["all"].as_object().unwrap().keys().collect();
        assert_eq!(all, ["reputation", "storage_forecast", "hourly", "hourly_traffic", "payout_history"]);
        assert_eq!(serde_json::from_value::<Trends>(v).unwrap(), t);
    }
}
